/* planner.h -- builds a plan that keeps every hard constraint of vdsched(1)
 * and vdsched.ini(5).
 *
 * The planner is a deterministic time sweep (list scheduling): day by day,
 * at every site, for every course the site offers, it forms runs from the
 * doctors whose nearest suitable site it is, in township order, admitting a
 * doctor only when the seats, resources, instructor, the doctor's calendar,
 * prerequisites and the clinic's coverage (with township cover) allow.
 * Doctors a home site cannot serve get a second sweep at any suitable site.
 * Pairs left over are explained in plan->unsched. */
#ifndef VD_PLANNER_H
#define VD_PLANNER_H
#include "diag.h"
#include "model.h"
#include "state.h"

struct vd_plan_opts {
	int verbose;
	int progress;   /* show progress on stderr */
	unsigned tries; /* constructions to compare; 0 = by program size */
	const struct vd_prev *prev;  /* re-plan from this previous plan, or NULL */
	vd_date freeze;              /* --freeze-before: nothing before it changes; 0 none */
	double deadline;             /* set by vd_plan_build from time_limit: monotonic seconds */
	vd_date hold;                /* set by vd_plan_build: the bound's doctor and cover
	                              * parts; no site need finish before it */
	double budget;               /* travel budget of the constructions; 0: [program]'s */
	const size_t *lp_home;       /* set by vd_plan_build: the bound's priced sites
	                              * (vd_bound_homes), or NULL */
};

int vd_plan_build(const struct vd_program *p, const struct vd_plan_opts *o,
                  struct vd_plan *pl, struct vd_diag *dg);

/* Warnings about programs infeasible on their face (check). */
void vd_plan_precheck(const struct vd_program *p, struct vd_diag *dg);
#endif

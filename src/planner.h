/* planner.h -- builds a plan that keeps every hard constraint of vdsched(1)
 * and vdsched.ini(5).
 *
 * The planner is a search over constructions.  Each construction sweeps
 * day by day over sites and courses and forms runs from the doctors whose
 * home site it is, admitting a doctor only when the seats, resources,
 * instructor, the doctor's calendar, prerequisites and the clinic's
 * coverage (with township cover) allow; later passes try any site and move
 * doctors already placed; improvement moves then re-place the runs that end
 * last and give travel back.  The constructions differ by strategy (where
 * doctors start, in which order they are offered places); the best plan by
 * the soft goals is kept.  A re-plan keeps what holds of the previous plan
 * first and lets go of it only where a fresh plan places more.  Pairs left
 * over are explained in plan->unsched.  (The pieces: plan-int.h.) */
#ifndef VD_PLANNER_H
#define VD_PLANNER_H
#include "diag.h"
#include "model.h"
#include "state.h"

struct vd_plan_opts {
	int verbose;
	int progress;   /* show progress on stderr */
	unsigned tries; /* constructions to compare; 0 = by program size (at most
	                 * the search's main strategies) */
	const struct vd_prev *prev;  /* re-plan from this previous plan, or NULL */
	vd_date freeze;              /* --freeze-before: nothing before it changes; 0 none */
	const unsigned char *makeup; /* per previous member: missed its run before freeze
	                              * (vd_completion_missed), planned again; or NULL */
	double deadline;             /* set by vd_plan_build from time_limit: monotonic seconds */
	vd_date hold;                /* set by vd_plan_build: the bound's doctor and cover
	                              * parts; no site need finish before it */
	double budget;               /* travel budget of the constructions; 0: [program]'s */
	const size_t *lp_home;       /* set by vd_plan_build: the bound's priced sites
	                              * (vd_bound_homes), or NULL */
};

/* Plans program p into pl (o: NULL for the defaults); returns 0. */
int vd_plan_build(const struct vd_program *p, const struct vd_plan_opts *o,
                  struct vd_plan *pl, struct vd_diag *dg);

/* Warnings about programs infeasible on their face (check). */
void vd_plan_precheck(const struct vd_program *p, struct vd_diag *dg);
#endif

/* planner.c -- see planner.h: the driver.
 *
 * vd_plan_build weighs the bound once (its priced home sites and the day
 * before which no site need finish), runs the search (plan-search.c) and,
 * on a re-plan that leaves pairs out, relaxes the previous plan
 * (replan.c); vd_plan_precheck warns of programs infeasible on their face.
 * The family's other files share plan-int.h. */
#include <stdlib.h>
#include <string.h>
#include "bound.h"
#include "course.h"
#include "plan-int.h"
#include "xalloc.h"

/* The day before which no site need finish: the latest of the bound's
 * doctor and cover parts within the program. */
static vd_date hold_day(const struct vd_program *p, const struct vd_bound *bd)
{
	vd_date hold = 0;
	for (int k = VD_BOUND_DOCTOR; k < VD_BOUND_NKINDS; k++)
		if ((k == VD_BOUND_DOCTOR || k == VD_BOUND_COVER) && bd->part[k].set &&
		    bd->part[k].date <= p->end && bd->part[k].date > hold)
			hold = bd->part[k].date;
	return hold;
}

int vd_plan_build(const struct vd_program *p, const struct vd_plan_opts *o,
                  struct vd_plan *pl, struct vd_diag *dg)
{
	(void)dg;
	struct vd_plan_opts lo = { 0 };
	if (o)
		lo = *o;
	unsigned tries = plan_tries(p, &lo);
	/* [program] time_limit, or by size: a few seconds for a county, up
	 * to 50 for the nation.  The work itself is bounded by the size (so
	 * the same inputs give the same plan); the limit is a safety net for
	 * slow machines, and the report says when it stopped the search. */
	double limit = p->time_limit > 0 ? p->time_limit : 3.0 + (double)p->ndoctors / 20000.0;
	if (p->time_limit <= 0 && limit > 50)
		limit = 50;
	double t0 = plan_clock();
	struct vd_bound bd;
	size_t *lp_home = NULL;
	if (!lo.prev && p->nsites > 1 && p->ndoctors <= 200000) {
		lp_home = xmalloc(2 * p->ndoctors * p->ncourses * sizeof *lp_home + 1);
		vd_bound_homes(p, &bd, lp_home);
		if (!bd.travel.set) {
			free(lp_home);   /* nothing to price */
			lp_home = NULL;
		}
	} else {
		vd_bound_compute_with(p, VD_NONE, 0, &bd);
	}
	lo.lp_home = lp_home;
	/* the search's time; weighing seats against travel (up to 3 s on a
	 * province) does not count */
	lo.deadline = (lp_home ? plan_clock() : t0) + limit;
	lo.hold = hold_day(p, &bd);
	plan_best_of(p, tries, &lo, NULL, pl);
	if (lo.prev && pl->nunsched)
		plan_relax(p, tries, &lo, pl);
	if (lp_home)
		pl->travel_bound = bd.travel;   /* the report's, weighed once */
	free(lp_home);
	return 0;
}

/* Warnings about one course that cannot run at all, and why. */
static void precheck_course(const struct vd_program *p, const struct vd_course *co, struct vd_diag *dg)
{
	int minsz = co->def->min_size > (unsigned)p->cohort_min ? (int)co->def->min_size : p->cohort_min;
	bool seats_ok = false, days_ok = false, any_ins = false, ins_ok = false;
	unsigned days = co->def->weekdays ? co->def->weekdays : p->teaching_days;
	char *why = NULL;
	for (size_t j = 0; j < co->nsites && !seats_ok; j++) {
		free(why);
		why = vd_course_site_unfit(p, co, co->sites[j], minsz, false);
		seats_ok = !why;
	}
	for (vd_date t = p->start; t <= p->end && !days_ok; t++)
		days_ok = vd_program_teaching_day(p, co, t);
	for (size_t i = 0; i < p->ninstructors; i++)
		if (vd_strv_has(&p->instructors[i].courses, co->name)) {
			any_ins = true;
			ins_ok |= (p->instructors[i].days & days) != 0;
		}
	if (co->nsites && !seats_ok)
		vd_warning(dg, p->path, co->line,
		           _("course %s cannot run at any of its sites (%s); lower cohort_min or add seats or resources"),
		           co->name, why);
	free(why);
	if (!days_ok)
		vd_warning(dg, p->path, co->line,
		           _("course %s cannot run: no teaching day between start and end (check teaching_days, holidays and blackout)"),
		           co->name);
	if (co->def->needs_instructor && !ins_ok)
		vd_warning(dg, p->path, co->line,
		           _("course %s needs an instructor on its teaching days, but no [instructor] teaching it has such days; set days = in an [instructor] with courses = %s"),
		           co->name, co->name);
	else if (any_ins && !ins_ok)
		vd_warning(dg, p->path, co->line,
		           _("the instructors who teach course %s never work on the days it runs, so its runs go without an instructor; change their days = or the course's days"),
		           co->name);
}

/* A clinic that cannot spare a doctor in a township without cover can
 * never send anyone: say which setting fixes it, with a cover that also
 * leaves one over the clinics without doctors take every day. */
static void precheck_townships(const struct vd_program *p, struct vd_diag *dg)
{
	size_t nt = p->ntownships;
	unsigned *stuck = xcalloc(nt + 1, sizeof *stuck);
	int *taken = xcalloc(nt + 1, sizeof *taken);
	for (size_t k = 0; k < p->nclinics; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		if (cl->ndoctors && (int)cl->ndoctors - 1 < cl->min_on_duty &&
		    p->townships[cl->township].cover <= 0)
			stuck[cl->township]++;
		if ((int)cl->ndoctors < cl->min_on_duty)
			taken[cl->township] += cl->min_on_duty - (int)cl->ndoctors;
	}
	for (size_t t = 0; t < nt; t++) {
		if (!stuck[t])
			continue;
		const struct vd_township *tw = &p->townships[t];
		if (tw->line)
			vd_warning(dg, p->path, tw->line,
			           _("township %s has %u clinic(s) that cannot spare a doctor and cover = 0, so their doctors can never train; set cover = %d in [township %s]"),
			           tw->id, stuck[t], taken[t] + 1, tw->id);
		else   /* no section to edit, and adding one would need one for every township */
			vd_warning(dg, p->clinics_path, 0,
			           _("township '%s' has %u clinic(s) that cannot spare a doctor and no cover, so their doctors can never train; set cover = %d in [townships] (the cover of every township: the program has no [township] sections)"),
			           tw->id, stuck[t], taken[t] + 1);
	}
	free(taken);
	free(stuck);
}

void vd_plan_precheck(const struct vd_program *p, struct vd_diag *dg)
{
	for (size_t c = 0; c < p->ncourses; c++)
		if (p->courses[c].def)
			precheck_course(p, &p->courses[c], dg);
	precheck_townships(p, dg);
	for (size_t k = 0; k < p->nclinics; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		if ((int)cl->ndoctors < cl->min_on_duty)
			vd_warning(dg, p->clinics_path, cl->line,
			           _("clinic %s has %u doctor(s) on the roster but min_on_duty %d; it relies on township cover every day"),
			           cl->id, cl->ndoctors, cl->min_on_duty);
	}
}

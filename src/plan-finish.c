/* plan-finish.c -- what a construction's book becomes as a plan: runs
 * dissolved while planning dropped, the plan's figures (travel and its
 * nearest-site bound, the last day and a lower bound on it), cohorts
 * named, and every pair left out explained.
 *
 * Apart because none of it decides where anyone goes: it runs once per
 * construction, after the passes and the moves, and the search compares
 * the figures it sets.  Site_unfit serves the precheck too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "course.h"
#include "plan-int.h"
#include "xalloc.h"

static int cmp_run(const void *a, const void *b)
{
	const struct vd_run *x = a, *y = b;
	if (x->dates[0] != y->dates[0])
		return x->dates[0] < y->dates[0] ? -1 : 1;
	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return (x->course > y->course) - (x->course < y->course);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* Cohorts: a run kept from the previous plan keeps its cohort id; any
 * other run continues the cohort most of its members began in, when that
 * cohort has no run of this course yet, or starts a new cohort whose
 * number was never given out (pl->next_cohort). */
static void name_cohorts(struct vd_planwork *W, unsigned long next)
{
	struct vd_plan *pl = W->b.pl;
	if (pl->nruns)
		qsort(pl->runs, pl->nruns, sizeof *pl->runs, cmp_run);
	size_t *home = xmalloc(W->b.nd * sizeof *home + 1);
	for (size_t i = 0; i < W->b.nd; i++)
		home[i] = VD_NONE;
	/* cohort -> courses it has (bitmask over <= 64 courses, else no reuse) */
	uint64_t *has = NULL;
	const char **names = NULL;
	size_t ncoh = 0;
	struct vd_hmap ix;
	vd_hmap_init(&ix);
	size_t *cnt = xcalloc(pl->nruns + 1, sizeof *cnt);
	if (!next)
		next = 1;
	for (size_t r = 0; r < pl->nruns; r++) {
		struct vd_run *run = &pl->runs[r];
		qsort(run->members, run->nmembers, sizeof *run->members, cmp_size);
		size_t bestk = VD_NONE, bestn = 0, k;
		if (run->kept && (k = vd_hmap_get(&ix, run->cohort)) != VD_NONE) {
			bestk = k;
		} else if (!run->kept) {
			for (size_t m = 0; m < run->nmembers; m++) {
				size_t h = home[run->members[m]];
				if (h == VD_NONE || run->course >= 64 || (has[h] >> run->course & 1))
					continue;
				if (++cnt[h] > bestn || (cnt[h] == bestn && h < bestk)) {
					bestn = cnt[h];
					bestk = h;
				}
			}
			for (size_t m = 0; m < run->nmembers; m++)
				if (home[run->members[m]] != VD_NONE)
					cnt[home[run->members[m]]] = 0;
			if (bestn * 2 < run->nmembers)
				bestk = VD_NONE;
		}
		k = bestk;
		if (k == VD_NONE) {
			k = ncoh++;
			has = xreallocarray(has, ncoh, sizeof *has);
			names = xreallocarray(names, ncoh, sizeof *names);
			has[k] = 0;
			if (!run->kept)
				snprintf(run->cohort, sizeof run->cohort, "C%03lu", next++);
			names[k] = run->cohort;
			vd_hmap_put(&ix, run->cohort, k);
		} else {
			snprintf(run->cohort, sizeof run->cohort, "%s", names[k]);
		}
		if (run->course < 64)
			has[k] |= 1ULL << run->course;
		for (size_t m = 0; m < run->nmembers; m++)
			if (home[run->members[m]] == VD_NONE)
				home[run->members[m]] = k;
	}
	pl->ncohorts = ncoh;
	pl->next_cohort = next;
	vd_hmap_free(&ix);
	free(names);
	free(cnt);
	free(has);
	free(home);
}

static void add_unsched(struct vd_plan *pl, size_t *cap, size_t x, size_t c, char *why)
{
	xgrow(&pl->unsched, cap, pl->nunsched + 1, sizeof *pl->unsched);
	pl->unsched[pl->nunsched++] = (struct vd_unsched){ x, c, why };
}

static char *explain(struct vd_planwork *W, size_t x, size_t c)
{
	const struct vd_program *p = W->b.p;
	const struct vd_doctor *d = &p->doctors[x];
	const struct vd_clinic *cl = &p->clinics[d->clinic];
	const struct vd_township *tw = &p->townships[cl->township];
	const char *cn = p->courses[c].name;
	unsigned f = W->b.fail[x * W->b.nc + c];
	char end[11];
	vd_date_format(p->end, end);

	int any_site = 0;
	for (size_t s = 0; s < W->b.ns; s++)
		any_site |= W->b.ci[c].usable[s];
	if (!any_site) {
		char *why = W->b.ns && p->courses[c].nsites
		            ? vd_course_site_unfit(p, &p->courses[c], p->courses[c].sites[0], W->b.ci[c].minsz, W->b.ci[c].needs_ins)
		            : NULL;
		char *msg = xasprintf(_("no site can hold course %s%s%s"), cn, why ? ": " : "", why ? why : "");
		free(why);
		return msg;
	}
	if (!W->b.ci[c].ndates)
		return xasprintf(_("course %s (%u days) has no possible run dates between start and end on its teaching days"),
		                 cn, W->b.ci[c].def->days);
	for (size_t q = 0; q < W->b.ci[c].nprereq; q++) {
		size_t qc = W->b.ci[c].prereq[q];
		if (W->b.need[x * W->b.nc + qc] && W->b.asg[x * W->b.nc + qc] == VD_NONE)
			return xasprintf(_("prerequisite %s could not be scheduled, so %s cannot follow it"),
			                 p->courses[qc].name, cn);
	}
	if ((int)cl->ndoctors - 1 < cl->min_on_duty && W->b.cover_cap[cl->township] <= 0) {
		/* one more than clinics without doctors take every day; a
		 * township without a section has only [townships] to raise */
		int want = tw->cover - W->b.cover_cap[cl->township] + 1;
		if (!tw->line)
			return xasprintf(_("clinic %s would be left without a doctor (%u on the roster, min_on_duty %d) and township %s has no cover left (cover = %d); raise [townships] cover to %d"),
			                 cl->id, cl->ndoctors, cl->min_on_duty, tw->id, tw->cover, want);
		return xasprintf(_("clinic %s would be left without a doctor (%u on the roster, min_on_duty %d) and township %s has no cover left (cover = %d); raise [township %s] cover to %d"),
		                 cl->id, cl->ndoctors, cl->min_on_duty, tw->id, tw->cover, tw->id, want);
	}
	if (f & VD_FAIL_COVER && !(f & ~(unsigned)(VD_FAIL_COVER | VD_FAIL_TRIED | VD_FAIL_BUSY | VD_FAIL_SIZE)))
		return xasprintf(_("clinic %s would be left without a doctor on every date %s could run before %s: township %s's cover (%d per day) is used up by other clinics"),
		                 cl->id, cn, end, tw->id, W->b.cover_cap[cl->township]);
	if (f & VD_FAIL_PREREQ)
		return xasprintf(_("the prerequisite of %s ends too late for %s to fit before %s"), cn, cn, end);
	if ((f & VD_FAIL_BUSY) && d->nunavail)
		return xasprintf(_("unavailable or in other training on every date %s could run at a site with room before %s"),
		                 cn, end);
	if (f & VD_FAIL_SIZE)
		return xasprintf(_("too few doctors need %s at sites within reach on the same dates to fill a run (cohort_min %d)"),
		                 cn, W->b.ci[c].minsz);
	return xasprintf(_("no site had seats, resources%s free for %s on a date this doctor could attend before %s"),
	                 W->b.ci[c].needs_ins ? _(" or an instructor") : "", cn, end);
}

/* The plan's travel, and the travel of every placed pair at its nearest
 * site (the bound the travel budget is over). */
static void measure_travel(struct vd_planwork *W)
{
	const struct vd_program *p = W->b.p;
	struct vd_plan *pl = W->b.pl;
	pl->travel_km = pl->travel_bound_km = 0;
	for (size_t x = 0; x < W->b.nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < W->b.nc; c++) {
			size_t r = W->b.asg[x * W->b.nc + c];
			if (r == VD_NONE)
				continue;
			const struct vd_site *si = &p->sites[pl->runs[r].site];
			pl->travel_km += vd_km(cl->lat, cl->lon, si->lat, si->lon);
			size_t h = W->nearest[x * W->b.nc + c];
			if (h != VD_NONE)
				pl->travel_bound_km += vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
		}
	}
}

/* A lower bound on the last day: the longest chain of prerequisites, and
 * all sites' seats on every teaching day until they cover what the
 * required pairs need. */
static vd_date seat_day_bound(const struct vd_planwork *W)
{
	const struct vd_program *p = W->b.p;
	double need_seatdays = 0;
	vd_date earliest = p->start;
	for (size_t c = 0; c < W->b.nc; c++) {
		size_t n = 0;
		for (size_t x = 0; x < W->b.nd; x++)
			n += W->b.need[x * W->b.nc + c];
		need_seatdays += (double)n * W->b.ci[c].def->days;
		if (n && W->b.ci[c].ndates) {
			/* A doctor's chain of prerequisites bounds the finish too. */
			int len = (int)W->b.ci[c].def->days;
			for (size_t q = 0; q < W->b.ci[c].nprereq; q++)
				len += (int)W->b.ci[W->b.ci[c].prereq[q]].def->days;
			int t = 0, k = 0;
			for (; t < W->b.H && k < len; t++)
				k += vd_program_teaching_day(p, &p->courses[c], p->start + t);
			if (p->start + t - 1 > earliest)
				earliest = p->start + t - 1;
		}
	}
	double have = 0;
	vd_date cap_day = p->start;
	for (int t = 0; t < W->b.H && have < need_seatdays; t++) {
		for (size_t s = 0; s < W->b.ns; s++) {
			int open = 0;
			for (size_t c = 0; c < W->b.nc && !open; c++)
				open = W->b.ci[c].usable[s] && vd_program_teaching_day(p, &p->courses[c], p->start + t);
			if (open)
				have += p->sites[s].seats;
		}
		cap_day = p->start + t;
	}
	return cap_day > earliest ? cap_day : earliest;
}

/* The lower bound raised to where each course alone could end: its sites,
 * every teaching day, full runs. */
static vd_date course_day_bound(const struct vd_planwork *W, vd_date bound)
{
	const struct vd_program *p = W->b.p;
	for (size_t c = 0; c < W->b.nc; c++) {
		double needc = 0, perday = 0, got = 0;
		for (size_t x = 0; x < W->b.nd; x++)
			needc += W->b.need[x * W->b.nc + c] == 1;
		needc *= W->b.ci[c].def->days;
		for (size_t s = 0; s < W->b.ns; s++)
			if (W->b.ci[c].usable[s])
				perday += vd_book_run_capacity(&W->b, c, s, VD_ALL_RUNS);
		if (needc <= 0 || perday <= 0)
			continue;
		for (int t = 0; t < W->b.H && got < needc; t++)
			if (vd_program_teaching_day(p, &p->courses[c], p->start + t)) {
				got += perday;
				if (got >= needc && p->start + t > bound)
					bound = p->start + t;
			}
	}
	return bound;
}

/* The plan's figures: travel and its bound, the last day and its bound. */
static void measure_plan(struct vd_planwork *W)
{
	struct vd_plan *pl = W->b.pl;
	measure_travel(W);
	pl->last_day_bound = course_day_bound(W, seat_day_bound(W));
	pl->last_day = 0;
	for (size_t r = 0; r < pl->nruns; r++) {
		vd_date e = pl->runs[r].dates[W->b.ci[pl->runs[r].course].def->days - 1];
		if (e > pl->last_day)
			pl->last_day = e;
	}
}

/* Runs dissolved while planning leave the plan; the book's run indexes
 * (asg, runs_at) are rebuilt. */
static void drop_dead_runs(struct vd_planwork *W)
{
	struct vd_book *B = &W->b;
	struct vd_plan *pl = B->pl;
	size_t w = 0;
	for (size_t r = 0; r < pl->nruns; r++) {
		if (pl->runs[r].dead) {
			free(pl->runs[r].dates);
			free(pl->runs[r].members);
			continue;
		}
		pl->runs[w++] = pl->runs[r];
	}
	if (w == pl->nruns)
		return;
	pl->nruns = w;
	for (size_t i = 0; i < B->nd * B->nc; i++)
		B->asg[i] = VD_NONE;
	for (size_t i = 0; i < B->ns * B->nc; i++)
		B->runs_at[i].n = 0;
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		vd_ixv_push(&B->runs_at[run->site * B->nc + run->course], r);
		for (size_t m = 0; m < run->nmembers; m++)
			B->asg[run->members[m] * B->nc + run->course] = r;
	}
	vd_book_runs_renumbered(B);
}

/* Why pair (x, c) is left out, for the report. */
static char *why_unscheduled(struct vd_planwork *W, size_t x, size_t c)
{
	const struct vd_program *p = W->b.p;
	if (W->b.need[x * W->b.nc + c] != 2)
		return explain(W, x, c);
	const struct vds_course *def = W->b.ci[c].def;
	const char *q = "";
	for (size_t k = 0; k < def->nprereqs; k++)
		if (vd_hmap_get(&p->course_ix, def->prereqs[k]) == VD_NONE &&
		    !vd_doctor_completed(&p->doctors[x], def->prereqs[k]))
			q = def->prereqs[k];
	return xasprintf(_("needs course %s first, which this program does not offer and the doctor has not completed"), q);
}

void plan_finish(struct vd_planwork *W, const struct vd_plan_opts *o)
{
	struct vd_plan *pl = W->b.pl;
	size_t ucap = 0;
	drop_dead_runs(W);
	measure_plan(W);
	name_cohorts(W, o && o->prev ? o->prev->next_cohort : 1);
	if (o && o->prev && pl->next_cohort < o->prev->next_cohort)
		pl->next_cohort = o->prev->next_cohort;
	vd_book_cover_rows(&W->b);
	/* asg indexes are stale after sorting runs; rebuild from members. */
	for (size_t i = 0; i < W->b.nd * W->b.nc; i++)
		W->b.asg[i] = VD_NONE;
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++)
			W->b.asg[pl->runs[r].members[m] * W->b.nc + pl->runs[r].course] = r;
	for (size_t x = 0; x < W->b.nd; x++)
		for (size_t c = 0; c < W->b.nc; c++) {
			size_t i = x * W->b.nc + c;
			if (W->b.need[i] && W->b.asg[i] == VD_NONE)
				add_unsched(pl, &ucap, x, c, why_unscheduled(W, x, c));
		}
	if (o && o->prev)
		pl->moved = plan_moved_pairs(&W->b, o->prev);
}

/* plan-search.c -- which constructions the planner tries, and which of
 * them it keeps.
 *
 * A construction is one pass of plan-build.c under a strategy; no single
 * strategy wins on every program (townships kept together or shuffled,
 * cover first or not, load spread or not, the bound's prices or not), so
 * the search builds several and keeps the best by plan_better().  The
 * strategies are a named table, tried stage by stage in a fixed order, and
 * how many depends only on the program's size (never on the clock), so the
 * plan is the same on every machine.  Apart from the constructions, which
 * know nothing of each other. */
#include <math.h>
#include <time.h>
#include "plan-int.h"

/* The main stage by how much each tends to help, so that a few tries get
 * the most useful ones: the first 16 balance as far as the budget goes;
 * the next 8 (small programs) stop where the township cover binds anyway
 * (fill), the last 4 rank moves per trainee-day.  Then three from the
 * sites the bound's prices choose: two for the day the budget allows, one
 * for the day half of it allows (else a larger budget could end later: a
 * province at 25%).  Balancing spends what the budget allows; a fifth or
 * half of it may end on the same day with less travel (a county: 1.042 ->
 * 1.008).  When no construction kept to the budget, balancing once more
 * with a quarter, half and all of the travel the best one spent over the
 * nearest-site bound: sending doctors to other sites by plan costs less
 * than the last passes' any site with room. */
const struct plan_strategy plan_strategies[] = {
	{ .name = "nearest", .stage = STAGE_MAIN },
	{ .name = "balance", .stage = STAGE_MAIN, .balance = true },
	{ .name = "busiest-first", .stage = STAGE_MAIN, .busiest_first = true },
	{ .name = "balance+busiest-first", .stage = STAGE_MAIN, .balance = true, .busiest_first = true },
	{ .name = "no-chains", .stage = STAGE_MAIN, .no_chains = true },
	{ .name = "balance+no-chains", .stage = STAGE_MAIN, .balance = true, .no_chains = true },
	{ .name = "cover-first", .stage = STAGE_MAIN, .cover_first = true },
	{ .name = "balance+cover-first", .stage = STAGE_MAIN, .balance = true, .cover_first = true },
	{ .name = "cover-first+busiest-first", .stage = STAGE_MAIN, .cover_first = true, .busiest_first = true },
	{ .name = "balance+cover-first+busiest-first", .stage = STAGE_MAIN, .balance = true, .cover_first = true,
	  .busiest_first = true },
	{ .name = "busiest-first+no-chains", .stage = STAGE_MAIN, .busiest_first = true, .no_chains = true },
	{ .name = "balance+busiest-first+no-chains", .stage = STAGE_MAIN, .balance = true, .busiest_first = true,
	  .no_chains = true },
	{ .name = "shuffled", .stage = STAGE_MAIN, .shuffle = 4 },
	{ .name = "balance+shuffled", .stage = STAGE_MAIN, .balance = true, .shuffle = 5 },
	{ .name = "shuffled+busiest-first", .stage = STAGE_MAIN, .shuffle = 12, .busiest_first = true },
	{ .name = "balance+shuffled+busiest-first", .stage = STAGE_MAIN, .balance = true, .shuffle = 13,
	  .busiest_first = true },
	{ .name = "balance-90", .stage = STAGE_MAIN, .balance = true, .fill = 0.90 },
	{ .name = "balance-95+busiest-first", .stage = STAGE_MAIN, .balance = true, .fill = 0.95, .busiest_first = true },
	{ .name = "balance-100+no-chains", .stage = STAGE_MAIN, .balance = true, .fill = 1.00, .no_chains = true },
	{ .name = "balance-105+cover-first", .stage = STAGE_MAIN, .balance = true, .fill = 1.05, .cover_first = true },
	{ .name = "balance-90+cover-first+busiest-first", .stage = STAGE_MAIN, .balance = true, .fill = 0.90,
	  .cover_first = true, .busiest_first = true },
	{ .name = "balance-95+busiest-first+no-chains", .stage = STAGE_MAIN, .balance = true, .fill = 0.95,
	  .busiest_first = true, .no_chains = true },
	{ .name = "balance-100+shuffled", .stage = STAGE_MAIN, .balance = true, .fill = 1.00, .shuffle = 5 },
	{ .name = "balance-105+shuffled+busiest-first", .stage = STAGE_MAIN, .balance = true, .fill = 1.05,
	  .shuffle = 13, .busiest_first = true },
	{ .name = "balance-per-day", .stage = STAGE_MAIN, .balance = true, .per_day = true },
	{ .name = "balance-per-day+busiest-first", .stage = STAGE_MAIN, .balance = true, .per_day = true,
	  .busiest_first = true },
	{ .name = "balance-per-day+no-chains", .stage = STAGE_MAIN, .balance = true, .per_day = true, .no_chains = true },
	{ .name = "balance-per-day+cover-first", .stage = STAGE_MAIN, .balance = true, .per_day = true,
	  .cover_first = true },
	{ .name = "priced", .stage = STAGE_PRICED, .priced = PRICED_BUDGET },
	{ .name = "priced+busiest-first", .stage = STAGE_PRICED, .busiest_first = true, .priced = PRICED_BUDGET },
	{ .name = "priced-half", .stage = STAGE_PRICED, .priced = PRICED_HALF_BUDGET },
	{ .name = "balance-fifth", .stage = STAGE_THRIFTY, .balance = true, .budget_share = 0.2 },
	{ .name = "balance-fifth+busiest-first", .stage = STAGE_THRIFTY, .balance = true, .busiest_first = true,
	  .budget_share = 0.2 },
	{ .name = "balance-half", .stage = STAGE_THRIFTY, .balance = true, .budget_share = 0.5 },
	{ .name = "balance-half+busiest-first", .stage = STAGE_THRIFTY, .balance = true, .busiest_first = true,
	  .budget_share = 0.5 },
	{ .name = "balance-over-quarter", .stage = STAGE_OVERSPENT, .balance = true, .budget_share = 0.25 },
	{ .name = "balance-over-quarter+busiest-first", .stage = STAGE_OVERSPENT, .balance = true,
	  .busiest_first = true, .budget_share = 0.25 },
	{ .name = "balance-over-half", .stage = STAGE_OVERSPENT, .balance = true, .budget_share = 0.5 },
	{ .name = "balance-over-half+busiest-first", .stage = STAGE_OVERSPENT, .balance = true, .busiest_first = true,
	  .budget_share = 0.5 },
	{ .name = "balance-over-all", .stage = STAGE_OVERSPENT, .balance = true, .budget_share = 1.0 },
	{ .name = "balance-over-all+busiest-first", .stage = STAGE_OVERSPENT, .balance = true, .busiest_first = true,
	  .budget_share = 1.0 },
};
const size_t plan_nstrategies = sizeof plan_strategies / sizeof *plan_strategies;

double plan_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned plan_tries(const struct vd_program *p, const struct vd_plan_opts *o)
{
	/* A few constructions, the best kept; large programs get two. */
	size_t pairs = 0;
	for (size_t x = 0; x < p->ndoctors; x++)
		pairs += p->ncourses;
	unsigned tries = pairs <= 2500 ? 28 : pairs <= 10000 ? 16 : 2;
	/* A re-plan may build many times over (relax); half the tries */
	if (o && o->prev && tries > 4)
		tries /= 2;
	if (o && o->tries)
		tries = o->tries;
	return tries;
}

/* Is plan a better than plan b?  Everyone placed first, then the two-year
 * deadlines met (re-plan: then the fewest moves), then the finish,
 * then travel (the order of the soft goals) -- but a plan whose
 * travel is more than [program] travel_budget over the nearest-site bound
 * loses to one within it: finishing a day earlier is not worth sending
 * doctors far; of two plans over it, the one with less travel wins. */
bool plan_better(const struct vd_program *p, const struct vd_plan *a, const struct vd_plan *b)
{
	if (a->nunsched != b->nunsched)
		return a->nunsched < b->nunsched;
	if (a->nlapses != b->nlapses)  /* the two-year rule (plan-deadline.c) */
		return a->nlapses < b->nlapses;
	if (a->moved != b->moved)  /* re-plan: minimal change first */
		return a->moved < b->moved;
	double lim = 1 + p->travel_budget;
	bool na = a->travel_km <= lim * a->travel_bound_km + 1e-6;
	bool nb = b->travel_km <= lim * b->travel_bound_km + 1e-6;
	if (na != nb)
		return na;
	/* both over it: placing everyone needs the travel; the least of it */
	if (!na && fabs(a->travel_km - b->travel_km) > 1e-6)
		return a->travel_km < b->travel_km;
	if (a->last_day != b->last_day)
		return a->last_day < b->last_day;
	return a->travel_km < b->travel_km - 1e-6;
}

void plan_keep_better(const struct vd_program *p, struct vd_plan *pl, struct vd_plan *alt)
{
	if (plan_better(p, alt, pl)) {
		vd_plan_free(pl);
		*pl = *alt;
	} else {
		vd_plan_free(alt);
	}
}

/* Has the time limit (the safety net) passed?  Then the report says so. */
static bool out_of_time(const struct vd_plan_opts *o, struct vd_plan *pl)
{
	if (o && o->deadline > 0 && plan_clock() > o->deadline) {
		pl->time_cut = 1;
		return true;
	}
	return false;
}

/* Every strategy of `stage` built with opts o (budget: share x base when
 * base > 0), the better kept in pl; with `timed`, only while time is left. */
static void try_stage(const struct vd_program *p, enum plan_stage stage, const struct vd_plan_opts *o,
                      double base, bool timed, const unsigned char *exclude, struct vd_plan *pl)
{
	struct vd_plan_opts bo = *o;
	for (size_t k = 0; k < plan_nstrategies; k++) {
		const struct plan_strategy *st = &plan_strategies[k];
		struct vd_plan alt;
		if (st->stage != stage)
			continue;
		if (base > 0)
			bo.budget = st->budget_share * base;
		if (timed && out_of_time(&bo, pl))
			break;
		plan_construct(p, st, &bo, exclude, &alt);
		plan_keep_better(p, pl, &alt);
	}
}

void plan_best_of(const struct vd_program *p, unsigned tries, const struct vd_plan_opts *o,
                  const unsigned char *exclude, struct vd_plan *pl)
{
	plan_construct(p, &plan_strategies[0], o, exclude, pl);
	/* A re-plan that moves nobody and places everyone cannot be beaten on
	 * what comes first (moves); the other constructions would only cost
	 * time. */
	if (!o || (o->prev && !pl->moved && !pl->nunsched && !pl->nlapses))
		return;
	/* the main stage: the first `tries` (at most all of them) */
	for (size_t k = 1; k < tries && k < plan_nstrategies && plan_strategies[k].stage == STAGE_MAIN; k++) {
		struct vd_plan alt;
		if (out_of_time(o, pl))
			break;
		plan_construct(p, &plan_strategies[k], o, exclude, &alt);
		plan_keep_better(p, pl, &alt);
	}
	if (o->prev)
		return;
	if (o->lp_home && tries > 1)
		try_stage(p, STAGE_PRICED, o, 0, false, exclude, pl);
	if (tries >= 24 && p->travel_budget > 0.02)
		try_stage(p, STAGE_THRIFTY, o, p->travel_budget, false, exclude, pl);
	double lim = 1 + p->travel_budget;
	if (tries > 2 && pl->travel_bound_km > 0 && pl->travel_km > lim * pl->travel_bound_km + 1e-6)
		try_stage(p, STAGE_OVERSPENT, o, pl->travel_km / pl->travel_bound_km - 1, true, exclude, pl);
}

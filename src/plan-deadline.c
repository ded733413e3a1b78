/* plan-deadline.c -- the two-year rule (乡村医生从业管理条例 Art. 33): a
 * doctor whose deadline (last_trained + [program] retrain_years) falls in
 * the program is trained before it wherever the hard constraints allow.
 *
 * The constructions offer these doctors places first (plan-build.c's
 * order); what that leaves late is repaired here, after the moves: a late
 * pair moves into an earlier run with room, or trades places with a member
 * who has no deadline to keep.  Every change goes through the book's
 * checks, and no pair is ever left out for a deadline (the objective puts
 * everyone placed first).  Then each doctor still late is recorded with the
 * best reason the book gives (report.txt).  Apart because programs without
 * last_trained never reach any of it: their plans stay as they were. */
#include <stdlib.h>
#include "plan-int.h"
#include "xalloc.h"

bool plan_deadline_binding(const struct vd_program *p, size_t x)
{
	vd_date dl = p->doctors[x].deadline;
	return dl && dl > p->start && dl <= p->end;
}

/* The last day of run r (an index into the plan). */
static vd_date run_end(const struct vd_book *B, size_t r)
{
	const struct vd_run *run = &B->pl->runs[r];
	return run->dates[B->ci[run->course].def->days - 1];
}

/* Does one of x's runs, course `but` left out, end before day dl? */
static bool in_time_but(const struct vd_book *B, size_t x, size_t but, vd_date dl)
{
	for (size_t c = 0; c < B->nc; c++) {
		size_t r = B->asg[x * B->nc + c];
		if (c != but && r != VD_NONE && run_end(B, r) < dl)
			return true;
	}
	return false;
}

/* May y (a member of an earlier run of c) go to a later run ending on
 * day end instead, as far as y's own deadline is concerned? */
static bool may_go_later(const struct vd_planwork *W, size_t y, size_t c, vd_date end)
{
	const struct vd_program *p = W->b.p;
	if (plan_kept_pair(W, y, c))
		return false;
	if (!p->doctors[y].deadline || p->doctors[y].deadline > p->end)
		return true;
	/* a deadline before the start: as early as possible, so not later */
	return plan_deadline_binding(p, y) &&
	       (end < p->doctors[y].deadline || in_time_but(&W->b, y, c, p->doctors[y].deadline));
}

/* x (out of run r0, on days D0) takes y's place in run r (days D), and y
 * takes x's in r0; true if both fit, else all is as it was. */
static bool trade(struct vd_planwork *W, size_t x, size_t c, size_t r0, const int *D0,
                  size_t r, const int *D, size_t m)
{
	struct vd_book *B = &W->b;
	size_t y = B->pl->runs[r].members[m];
	vd_book_leave(B, r, y);
	if (vd_book_doctor_free(B, x, c, D) && vd_book_take(B, x, c, D, VD_CHECK)) {
		vd_book_join(B, r, x);
		if (vd_book_room_for_one(B, &B->pl->runs[r0], D0) && vd_book_doctor_free(B, y, c, D0) &&
		    vd_book_take(B, y, c, D0, VD_CHECK)) {
			vd_book_join(B, r0, y);
			return true;
		}
		vd_book_leave(B, r, x);
	}
	vd_book_join(B, r, y);
	plan_put_back(&B->pl->runs[r], m);
	return false;
}

/* x, out of run r0 (days D0), into run r of c ending before day dl: alone
 * if r has room and r0 keeps its minimum, else by trading with a member
 * who may go later.  True if x is in r. */
static bool into_run(struct vd_planwork *W, size_t x, size_t c, size_t r0, const int *D0,
                     size_t r, unsigned *budget)
{
	struct vd_book *B = &W->b;
	const struct vd_run *run = &B->pl->runs[r];
	int D[64];
	vd_book_run_days_of(B, run, D);
	if (D[0] < B->t0 || !vd_book_doctor_free(B, x, c, D))
		return false;   /* begun before --freeze-before: not to be joined */
	if ((int)B->pl->runs[r0].nmembers >= B->ci[c].minsz && vd_book_room_for_one(B, run, D) &&
	    vd_book_take(B, x, c, D, VD_CHECK)) {
		vd_book_join(B, r, x);
		return true;
	}
	vd_date end0 = run_end(B, r0);
	for (size_t m = 0; m < B->pl->runs[r].nmembers && *budget; m++)
		if (--*budget && may_go_later(W, B->pl->runs[r].members[m], c, end0) &&
		    trade(W, x, c, r0, D0, r, D, m))
			return true;
	return false;
}

/* Pair (x, c), now in run r0, into a run of c ending before day dl: the
 * sites near x first, then any (a deadline comes before travel). */
static bool move_earlier(struct vd_planwork *W, size_t x, size_t c, size_t r0, vd_date dl,
                         unsigned *budget)
{
	struct vd_book *B = &W->b;
	const struct vd_program *p = B->p;
	size_t near[PLAN_NEAR];
	size_t nn = plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, near);
	int D0[64];
	vd_book_run_days_of(B, &B->pl->runs[r0], D0);
	size_t m0 = plan_member_index(&B->pl->runs[r0], x);
	vd_book_leave(B, r0, x);
	for (size_t k = 0; k < nn + B->ns && *budget; k++) {
		size_t s = k < nn ? near[k] : k - nn;
		const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
		for (size_t j = 0; j < ra->n && *budget; j++) {
			size_t r = ra->v[j];
			const struct vd_run *run = &B->pl->runs[r];
			if (--*budget && r != r0 && !run->dead && !run->frozen && run_end(B, r) < dl &&
			    into_run(W, x, c, r0, D0, r, budget))
				return true;
		}
	}
	vd_book_join(B, r0, x);
	plan_put_back(&B->pl->runs[r0], m0);
	return false;
}

/* The doctors whose deadline falls in the program into *out (the caller
 * frees it), earliest deadline first, then by index: a counting sort over
 * the program's days.  Returns how many. */
static size_t binding_doctors(const struct vd_program *p, size_t **out)
{
	size_t ndays = (size_t)(p->end - p->start) + 2, n = 0;
	size_t *at = xcalloc(ndays + 1, sizeof *at);
	for (size_t x = 0; x < p->ndoctors; x++)
		if (plan_deadline_binding(p, x)) {
			at[p->doctors[x].deadline - p->start + 1]++;
			n++;
		}
	for (size_t k = 1; k <= ndays; k++)
		at[k] += at[k - 1];
	*out = xmalloc(n * sizeof **out + 1);
	for (size_t x = 0; x < p->ndoctors; x++)
		if (plan_deadline_binding(p, x))
			(*out)[at[p->doctors[x].deadline - p->start]++] = x;
	free(at);
	return n;
}

/* How close run r (of c, ending before x's deadline) came to taking x,
 * out of r0 (VD_NONE: x is in no run of c): the later the check that
 * refused, the better the reason. */
static enum vd_lapse_why refusal(struct vd_book *B, size_t x, size_t c, size_t r0, size_t r)
{
	const struct vd_doctor *d = &B->p->doctors[x];
	const struct vd_run *run = &B->pl->runs[r];
	int D[64];
	vd_book_run_days_of(B, run, D);
	for (unsigned k = 0; k < B->ci[c].def->days; k++)
		if (vd_in_ranges(d->unavail, d->nunavail, run->dates[k]))
			return VD_LAPSE_UNAVAIL;
	if (!vd_book_doctor_free(B, x, c, D))
		return VD_LAPSE_CLASH;
	if (run->frozen || !vd_book_room_for_one(B, run, D))
		return VD_LAPSE_FULL;
	if (!vd_book_take(B, x, c, D, VD_CHECK))
		return VD_LAPSE_COVER;
	return r0 != VD_NONE ? VD_LAPSE_MIN_SIZE : VD_LAPSE_FULL;
}

/* The best reason x is not trained before day dl, over the runs of his
 * courses that end before it. */
static enum vd_lapse_why lapse_reason(struct vd_book *B, size_t x, vd_date dl)
{
	bool any_need = false, any_asg = false;
	int best = -1;
	for (size_t c = 0; c < B->nc; c++) {
		any_need |= B->need[x * B->nc + c] != 0;
		any_asg |= B->asg[x * B->nc + c] != VD_NONE;
	}
	if (!any_need)
		return VD_LAPSE_NO_COURSE;
	if (!any_asg)   /* unscheduled.csv says why */
		return VD_LAPSE_UNSCHED;
	for (size_t c = 0; c < B->nc; c++) {
		size_t r0 = B->asg[x * B->nc + c];
		if (!B->need[x * B->nc + c])
			continue;
		size_t m0 = r0 != VD_NONE ? plan_member_index(&B->pl->runs[r0], x) : 0;
		if (r0 != VD_NONE)
			vd_book_leave(B, r0, x);
		for (size_t s = 0; s < B->ns; s++) {
			const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
			for (size_t j = 0; j < ra->n; j++)
				if (!B->pl->runs[ra->v[j]].dead && run_end(B, ra->v[j]) < dl) {
					int why = (int)refusal(B, x, c, r0, ra->v[j]);
					best = why > best ? why : best;
				}
		}
		if (r0 != VD_NONE) {
			vd_book_join(B, r0, x);
			plan_put_back(&B->pl->runs[r0], m0);
		}
	}
	return best < 0 ? VD_LAPSE_NO_RUN : (enum vd_lapse_why)best;
}

/* x's late deadline into pl->lapses, with his earliest run and the reason. */
static void record_lapse(struct vd_book *B, size_t x, size_t *cap)
{
	struct vd_plan *pl = B->pl;
	struct vd_lapse lp = { .doctor = x, .deadline = B->p->doctors[x].deadline };
	for (size_t c = 0; c < B->nc; c++) {
		size_t r = B->asg[x * B->nc + c];
		if (r != VD_NONE && (!lp.first || run_end(B, r) < lp.first_end)) {
			lp.first = pl->runs[r].dates[0];
			lp.first_end = run_end(B, r);
		}
	}
	lp.why = lapse_reason(B, x, lp.deadline);
	xgrow(&pl->lapses, cap, pl->nlapses + 1, sizeof *pl->lapses);
	pl->lapses[pl->nlapses++] = lp;
}

void plan_meet_deadlines(struct vd_planwork *W)
{
	struct vd_book *B = &W->b;
	const struct vd_program *p = B->p;
	struct vd_plan *pl = B->pl;
	size_t *xs, n = binding_doctors(p, &xs), cap = 0;
	/* the search's work stays bounded on a nation's roster */
	unsigned budget = 200000 + 200 * (unsigned)n;
	pl->ndeadlines = n;
	for (size_t i = 0; i < n; i++) {
		size_t x = xs[i];
		vd_date dl = p->doctors[x].deadline;
		for (size_t c = 0; c < B->nc && budget && !in_time_but(B, x, VD_NONE, dl); c++) {
			size_t r0 = B->asg[x * B->nc + c];
			if (r0 != VD_NONE && !pl->runs[r0].frozen && !plan_kept_pair(W, x, c))
				move_earlier(W, x, c, r0, dl, &budget);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!in_time_but(B, xs[i], VD_NONE, p->doctors[xs[i]].deadline))
			record_lapse(B, xs[i], &cap);
	for (size_t x = 0; x < p->ndoctors; x++)
		pl->nlapsed_before += p->doctors[x].deadline && p->doctors[x].deadline <= p->start;
	free(xs);
}

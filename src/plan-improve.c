/* plan-improve.c -- moves on a finished construction: the runs that end
 * last re-placed earlier, doctors sent far returned to nearer sites, and
 * two doctors trading sites.
 *
 * Apart from the passes (plan-build.c) because these move whole runs and
 * take them back when they do not pay: each relocation keeps a log
 * (struct rlog) that undoes it, so a round that cannot move every run on
 * the last day changes nothing. */
#include <stdlib.h>
#include <string.h>
#include "plan-int.h"
#include "xalloc.h"

static vd_date run_end(const struct vd_planwork *W, const struct vd_run *r)
{
	return r->dates[W->b.ci[r->course].def->days - 1];
}

/* The day the last run with members ends. */
static vd_date last_day(const struct vd_planwork *W)
{
	const struct vd_plan *pl = W->b.pl;
	vd_date last = 0;
	for (size_t r = 0; r < pl->nruns; r++)
		if (!pl->runs[r].dead && pl->runs[r].nmembers && run_end(W, &pl->runs[r]) > last)
			last = run_end(W, &pl->runs[r]);
	return last;
}

/* x joins the run of c that starts first of those that end before
 * `before`, at the nearest site near its clinic that has one, less than km
 * away.  True if so. */
static bool join_nearer(struct vd_planwork *W, size_t x, size_t c, vd_date before, double km)
{
	const struct vd_program *p = W->b.p;
	size_t sites[PLAN_NEAR];
	size_t ns = plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, sites);
	int D[64];
	for (size_t k = 0; k < ns && plan_pair_km(W, x, sites[k]) < km - 1e-9; k++) {
		const struct vd_ixv *ra = &W->b.runs_at[sites[k] * W->b.nc + c];
		size_t best = VD_NONE;
		for (size_t j = 0; j < ra->n; j++) {
			struct vd_run *run = &W->b.pl->runs[ra->v[j]];
			if (run->dead || run_end(W, run) >= before ||
			    (best != VD_NONE && run->dates[0] >= W->b.pl->runs[best].dates[0]))
				continue;
			vd_book_run_days_of(&W->b, run, D);
			if (vd_book_room_for_one(&W->b, run, D) && vd_book_doctor_free(&W->b, x, c, D) &&
			    vd_book_take(&W->b, x, c, D, VD_CHECK))
				best = ra->v[j];
		}
		if (best != VD_NONE) {
			vd_book_join(&W->b, best, x);
			return true;
		}
	}
	return false;
}

/* As join_nearer, at any distance. */
static bool join_before(struct vd_planwork *W, size_t x, size_t c, vd_date before)
{
	return join_nearer(W, x, c, before, 1e300);
}

/* Run r re-created as it was (after a failed relocation). */
static void restore_run(struct vd_planwork *W, const struct vd_run *was, const size_t *m, size_t n)
{
	int D[64];
	vd_book_run_days_of(&W->b, was, D);
	size_t r = vd_book_new_run(&W->b, was->course, was->site, was->instructor, D);
	struct vd_run *run = &W->b.pl->runs[r];
	run->kept = was->kept;
	memcpy(run->cohort, was->cohort, sizeof run->cohort);
	vd_book_site(&W->b, was->course, was->site, was->instructor, D, 0, VD_TAKE);
	/* as they were: not checked again under the rules of this pass */
	for (size_t i = 0; i < n; i++) {
		vd_book_one(&W->b, &W->b.pl->runs[r], D, VD_TAKE);
		vd_book_take_anyway(&W->b, m[i], was->course, D);
		vd_book_add_member(&W->b, r, m[i]);
	}
}

/* What one relocation did, to take it back. */
struct rlog {
	struct vd_run was;       /* the run as it was (own copy of dates) */
	size_t *m, n;            /* its members */
	size_t (*joined)[4], nj; /* (run, doctor, y, y's new run) joins elsewhere;
	                          * y != VD_NONE: the doctor took y's place */
	size_t nrun0, nrun1;     /* runs it formed: [nrun0, nrun1) */
	double extra;            /* travel it added */
};

static void rlog_free(struct rlog *lg)
{
	free(lg->was.dates);
	free(lg->m);
	free(lg->joined);
}

/* Takes a relocation back: the book is as it was before it. */
static void undo_relocate(struct vd_planwork *W, struct rlog *lg)
{
	struct vd_book *B = &W->b;
	for (size_t r2 = lg->nrun0; r2 < lg->nrun1; r2++)
		if (!B->pl->runs[r2].dead)
			vd_book_drop_run(B, r2);
	while (lg->nj--) {
		const size_t *j = lg->joined[lg->nj];
		if (j[2] != VD_NONE)
			vd_book_leave(B, j[3], j[2]);
		vd_book_leave(B, j[0], j[1]);
		if (j[2] != VD_NONE)
			vd_book_join(B, j[0], j[2]);
	}
	restore_run(W, &lg->was, lg->m, lg->n);
}

/* x takes the place of y in a run of c that ends before `before`, and y
 * moves to another such run with room: for the finish, one ejection when
 * no earlier run has room for x itself.  j gets (run, x, y, y's run). */
static bool displace_before(struct vd_planwork *W, size_t x, size_t c, vd_date before, size_t *j)
{
	struct vd_book *B = &W->b;
	const struct vd_program *p = B->p;
	const unsigned char *why = B->pl->replan_why;
	size_t sites[PLAN_NEAR];
	size_t ns = plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, sites);
	unsigned budget = 4000;
	int D[64];
	for (size_t a = 0; a < ns && budget; a++) {
		const struct vd_ixv *ra = &B->runs_at[sites[a] * B->nc + c];
		for (size_t k = 0; k < ra->n && budget; k++) {
			size_t r = ra->v[k];
			struct vd_run *run = &B->pl->runs[r];
			if (run->dead || run->frozen || run_end(W, run) >= before)
				continue;
			vd_book_run_days_of(B, run, D);
			if (D[0] < B->t0 || !vd_book_doctor_free(B, x, c, D))
				continue;
			for (size_t m = 0; m < B->pl->runs[r].nmembers && budget; m++, budget--) {
				size_t y = B->pl->runs[r].members[m];
				if (why && why[y * B->nc + c] == VD_WHY_KEPT)
					continue;
				vd_book_leave(B, r, y);
				if (vd_book_room_for_one(B, &B->pl->runs[r], D) && vd_book_take(B, x, c, D, VD_CHECK)) {
					vd_book_join(B, r, x);
					if (join_before(W, y, c, before)) {
						j[0] = r;
						j[1] = x;
						j[2] = y;
						j[3] = B->asg[y * B->nc + c];
						return true;
					}
					vd_book_leave(B, r, x);
				}
				vd_book_join(B, r, y);
				plan_put_back(&B->pl->runs[r], m);
			}
		}
	}
	return false;
}

/* Those left of a run of c at site `at` that ends on `end`: runs of their
 * own, earlier, there or at a site near them.  Returns how many are still
 * left. */
static size_t runs_of_their_own(struct vd_planwork *W, size_t c, size_t at, vd_date end,
                                const size_t *left, size_t nleft)
{
	struct vd_book *B = &W->b;
	const struct vd_program *p = B->p;
	size_t sites[PLAN_NEAR + 1], ns = 1;
	sites[0] = at;
	size_t more[PLAN_NEAR];
	size_t nm = plan_near_sites(W, &p->clinics[p->doctors[left[0]].clinic], c, more);
	for (size_t k = 0; k < nm; k++)
		if (more[k] != at)
			sites[ns++] = more[k];
	struct vd_ixv po = { 0 };
	for (size_t i = 0; i < nleft; i++)
		vd_ixv_push(&po, left[i]);
	for (int t = B->t0; t < B->H && po.n; t++) {
		const int *D = vd_book_run_days(B, c, t);
		if (!D || p->start + D[B->ci[c].def->days - 1] >= end)
			continue;
		for (size_t k = 0; k < ns && po.n; k++)
			if (B->ci[c].usable[sites[k]])
				while (plan_form_run(W, c, sites[k], t, &po, RECORD_NOTHING, 0))
					;
	}
	size_t w = 0;
	for (size_t i = 0; i < po.n; i++)
		if (B->asg[po.v[i] * B->nc + c] == VD_NONE)
			po.v[w++] = po.v[i];
	free(po.v);
	return w;
}

/* Moves every member of run r into runs that end before it does: runs
 * with room, else new runs formed earlier from those left.  All or
 * nothing: true if run r is gone (lg says how, to take it back), else the
 * book is as it was. */
static bool relocate(struct vd_planwork *W, size_t r, double *budget, struct rlog *lg)
{
	struct vd_book *B = &W->b;
	struct vd_run was = B->pl->runs[r];
	size_t c = was.course, n = was.nmembers, nj = 0, nleft = 0;
	vd_date end = run_end(W, &was);
	size_t *m = xmalloc((n + 1) * sizeof *m), *left = xmalloc((n + 1) * sizeof *left);
	size_t (*joined)[4] = xmalloc((n + 1) * sizeof *joined);
	size_t nrun0 = B->pl->nruns;
	memcpy(m, was.members, n * sizeof *m);
	was.dates = xmalloc(B->ci[c].def->days * sizeof *was.dates);
	memcpy(was.dates, B->pl->runs[r].dates, B->ci[c].def->days * sizeof *was.dates);
	was.members = NULL;
	vd_book_drop_run(B, r);
	double yextra = 0;  /* travel of the doctors displaced */
	for (size_t i = 0; i < n; i++) {
		if (join_before(W, m[i], c, end)) {
			joined[nj][0] = B->asg[m[i] * B->nc + c];
			joined[nj][1] = m[i];
			joined[nj][2] = joined[nj][3] = VD_NONE;
			nj++;
		} else if (W->eject && displace_before(W, m[i], c, end, joined[nj])) {
			size_t y = joined[nj][2];
			yextra += plan_pair_km(W, y, B->pl->runs[joined[nj][3]].site) -
			          plan_pair_km(W, y, B->pl->runs[joined[nj][0]].site);
			nj++;
		} else {
			left[nleft++] = m[i];
		}
	}
	if (nleft)
		nleft = runs_of_their_own(W, c, was.site, end, left, nleft);
	double extra = yextra;
	for (size_t i = 0; i < n && !nleft; i++)
		extra += plan_pair_km(W, m[i], B->pl->runs[B->asg[m[i] * B->nc + c]].site) - plan_pair_km(W, m[i], was.site);
	if (!nleft && extra > *budget)
		nleft = 1;
	*lg = (struct rlog){ was, m, n, joined, nj, nrun0, B->pl->nruns, extra };
	free(left);
	if (nleft) {
		undo_relocate(W, lg);
		rlog_free(lg);
		return false;
	}
	*budget -= extra;
	return true;
}

/* Travel back: a doctor sent past a nearer site (to spread the load, or
 * by a relocation) returns to a run there with room that ends by the last
 * day, if the run left keeps its minimum.  The finish does not move. */
int plan_travel_back(struct vd_planwork *W)
{
	int n = 0;
	struct vd_book *B = &W->b;
	struct vd_plan *pl = B->pl;
	const unsigned char *why = pl->replan_why;
	vd_date last = last_day(W);
	for (size_t i = 0; i < B->nd * B->nc; i++) {
		size_t r = B->asg[i], x = i / B->nc, c = i % B->nc;
		if (r == VD_NONE || W->nearest[i] == VD_NONE || pl->runs[r].site == W->nearest[i] ||
		    pl->runs[r].frozen || (int)pl->runs[r].nmembers <= B->ci[c].minsz ||
		    (why && why[i] == VD_WHY_KEPT))
			continue;
		double km = plan_pair_km(W, x, pl->runs[r].site);
		vd_book_leave(B, r, x);
		if (!join_nearer(W, x, c, last + 1, km))
			vd_book_join(B, r, x);
		else
			n++;
	}
	return n;
}

/* Two doctors of one course trade runs where each is nearer the other's
 * site: the runs keep their sizes, dates and seats, so only the two
 * doctors' own days (and their clinics' cover) are checked.  Each doctor
 * sent past their nearest site looks at the runs of the sites nearer
 * than where they are.  A re-plan does not trade: it would move two pairs
 * to save some travel. */
int plan_swap_sites(struct vd_planwork *W)
{
	int traded = 0;
	struct vd_book *B = &W->b;
	struct vd_plan *pl = B->pl;
	const struct vd_program *p = B->p;
	if (B->ns < 2 || pl->replan_why)
		return 0;
	size_t budget = 2000000;  /* candidate pairs looked at: bounded work */
	int Da[64], Db[64];
	for (size_t i = 0; i < B->nd * B->nc && budget; i++) {
		size_t ra = B->asg[i], x = i / B->nc, c = i % B->nc;
		if (ra == VD_NONE || W->nearest[i] == VD_NONE || pl->runs[ra].site == W->nearest[i] ||
		    pl->runs[ra].frozen)
			continue;
		size_t sa = pl->runs[ra].site, sites[PLAN_NEAR];
		double kxa = plan_pair_km(W, x, sa);
		size_t n = plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, sites);
		int done = 0;
		for (size_t k = 0; k < n && !done && sites[k] != sa; k++) {
			double kxb = plan_pair_km(W, x, sites[k]);
			if (kxb >= kxa)
				break;
			const struct vd_ixv *rv = &B->runs_at[sites[k] * B->nc + c];
			for (size_t j = 0; j < rv->n && !done && budget; j++) {
				size_t rb = rv->v[j];
				if (pl->runs[rb].dead || pl->runs[rb].frozen)
					continue;
				for (size_t m = 0; m < pl->runs[rb].nmembers && budget; m++, budget--) {
					size_t y = pl->runs[rb].members[m];
					if (plan_pair_km(W, y, sa) + kxb + 1e-6 >= plan_pair_km(W, y, sites[k]) + kxa)
						continue;
					size_t atx = plan_member_index(&pl->runs[ra], x);
					vd_book_leave(B, ra, x);
					vd_book_leave(B, rb, y);
					vd_book_run_days_of(B, &pl->runs[ra], Da);
					vd_book_run_days_of(B, &pl->runs[rb], Db);
					if (vd_book_doctor_free(B, x, c, Db) && vd_book_take(B, x, c, Db, VD_CHECK)) {
						vd_book_join(B, rb, x);
						if (vd_book_doctor_free(B, y, c, Da) && vd_book_take(B, y, c, Da, VD_CHECK)) {
							vd_book_join(B, ra, y);
							done = 1;
							traded++;
							break;
						}
						vd_book_leave(B, rb, x);
					}
					vd_book_join(B, rb, y);
					plan_put_back(&pl->runs[rb], m);
					vd_book_join(B, ra, x);
					plan_put_back(&pl->runs[ra], atx);
				}
			}
		}
	}
	return traded;
}

/* Local search on the finish: while every run that ends on the last day
 * can be re-placed to end earlier, the last day moves in.  Runs that a
 * re-plan keeps, or began before the freeze, never move.  The work is
 * bounded by the number of runs (the same on every machine) and by the
 * clock (time_limit) as a safety net. */
int plan_improve(struct vd_planwork *W, double deadline)
{
	int gained = 0;
	struct vd_book *B = &W->b;
	struct vd_plan *pl = B->pl;
	const unsigned char *why = pl->replan_why;
	/* travel the search may add: what is left of the budget over the
	 * nearest-site bound */
	double budget = 0;
	for (size_t i = 0; i < B->nd * B->nc; i++) {
		size_t r = B->asg[i], h = W->nearest[i];
		if (r == VD_NONE || h == VD_NONE)
			continue;
		budget += (1 + B->p->travel_budget) * plan_pair_km(W, i / B->nc, h) - plan_pair_km(W, i / B->nc, pl->runs[r].site);
	}
	for (size_t iter = 0; iter < pl->nruns + 16; iter++) {
		vd_date last = last_day(W);
		/* all runs on the last day move, or none: moving some without
		 * moving the finish would only crowd the earlier runs */
		int all = 1;
		size_t nr = pl->nruns, nlg = 0;
		struct rlog *lg = NULL;
		size_t lgcap = 0;
		for (size_t r = 0; r < nr && all; r++) {
			struct vd_run *run = &pl->runs[r];
			if (run->dead || !run->nmembers || run_end(W, run) != last)
				continue;
			int fixed = run->frozen;
			for (size_t k = 0; k < run->nmembers && why && !fixed; k++)
				fixed = why[run->members[k] * B->nc + run->course] == VD_WHY_KEPT;
			xgrow(&lg, &lgcap, nlg + 1, sizeof *lg);
			if (fixed || !relocate(W, r, &budget, &lg[nlg]))
				all = 0;
			else
				nlg++;
		}
		if (!all)
			while (nlg--) {
				budget += lg[nlg].extra;
				undo_relocate(W, &lg[nlg]);
				rlog_free(&lg[nlg]);
			}
		else
			for (size_t k = 0; k < nlg; k++)
				rlog_free(&lg[k]);
		free(lg);
		if (!all || !nlg)
			break;
		gained++;
		if (deadline > 0 && plan_clock() > deadline) {
			pl->time_cut = 1;
			break;
		}
	}
	return gained;
}

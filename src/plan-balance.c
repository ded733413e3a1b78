/* plan-balance.c -- spreading the load before the sweep, and township
 * cover for those who need it most.
 *
 * A site whose catchment needs far more teaching days than another's
 * finishes late while the other stands idle: balance_homes moves the pairs
 * that cost the least extra travel from the busiest sites to less busy
 * ones, until the loads even out or the travel budget over the
 * nearest-site total is spent (finishing early weighs more than travel,
 * but travel should stay close to its bound).  A township whose cover is
 * short decides the finish: pack_cover chains its pairs through the cover
 * from the first day.  Apart from the passes (plan-build.c), which place
 * doctors where these leave them. */
#include <stdlib.h>
#include "plan-int.h"
#include "xalloc.h"

struct move { double extra; size_t x, c, to; };

/* Cheapest first: by the extra km, or (per_day) by the extra km per
 * trainee-day the busy site gets back.  (Per trainee-day alone: the city
 * finished 5 days later, as its bottleneck is a 3-day course; but where
 * the nearest sites' seats bind it buys days, 06-22 -> 06-17 on
 * county-s3, so small programs try both.) */
static int cmp_move(const void *a, const void *b)
{
	const struct move *x = a, *y = b;
	if (x->extra != y->extra)
		return x->extra < y->extra ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return (x->c > y->c) - (x->c < y->c);
}

static double site_load(const struct vd_planwork *W, const double *dem, size_t s)
{
	double all = 0, worst = 0;
	for (size_t c = 0; c < W->b.nc; c++) {
		double d = dem[s * W->b.nc + c];
		if (d <= 0)
			continue;
		all += d;
		double alone = d / vd_book_run_capacity(&W->b, c, s, VD_ALL_RUNS);
		worst = alone > worst ? alone : worst;
	}
	all /= W->b.p->sites[s].seats;
	return all > worst ? all : worst;
}

/* Over every pair at its home site: dem[] gets the trainee-days per site
 * and course, *mv the pair's moves to the others of the 3 sites nearest
 * it (*nmv of them, unranked).  Returns the travel of every pair at home. */
static double home_pairs(const struct vd_planwork *W, double *dem, struct move **mv, size_t *nmv)
{
	const struct vd_program *p = W->b.p;
	double total_km = 0;
	size_t cap = 0;
	for (size_t x = 0; x < W->b.nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < W->b.nc; c++) {
			size_t h = W->home[x * W->b.nc + c];
			if (W->b.need[x * W->b.nc + c] != 1 || h == VD_NONE)
				continue;
			dem[h * W->b.nc + c] += W->b.ci[c].def->days;
			double kh = vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
			total_km += kh;
			size_t sites[PLAN_NEAR];
			size_t n = plan_near_sites(W, cl, c, sites);
			for (size_t k = 0; k < n && k < 3; k++) {
				if (sites[k] == h)
					continue;
				xgrow(mv, &cap, *nmv + 1, sizeof **mv);
				(*mv)[(*nmv)++] = (struct move){
					vd_km(cl->lat, cl->lon, p->sites[sites[k]].lat, p->sites[sites[k]].lon) - kh,
					x, c, sites[k] };
			}
		}
	}
	return total_km;
}

/* Moves cheapest first (see cmp_move); per_day: by the extra km per
 * trainee-day, the key divided while sorting, then back. */
static void rank_moves(const struct vd_planwork *W, struct move *mv, size_t nmv, bool per_day)
{
	for (size_t i = 0; per_day && i < nmv; i++)
		mv[i].extra /= W->b.ci[mv[i].c].def->days;
	if (nmv)
		qsort(mv, nmv, sizeof *mv, cmp_move);
	for (size_t i = 0; per_day && i < nmv; i++)
		mv[i].extra *= W->b.ci[mv[i].c].def->days;
}

void plan_balance_homes(struct vd_planwork *W, double fill, bool per_day)
{
	const struct vd_program *p = W->b.p;
	if (W->b.ns < 2)
		return;
	/* A site's load is a lower bound on the teaching days its catchment
	 * needs: all courses share its seats, and each course alone is held
	 * back by its own limit (seats, or chairs for dental).  dem[] holds
	 * trainee-days per site and course. */
	double *dem = xcalloc(W->b.ns * W->b.nc + 1, sizeof *dem);
	double *load = xcalloc(W->b.ns, sizeof *load);
	struct move *mv = NULL;
	size_t nmv = 0;
	double total_km = home_pairs(W, dem, &mv, &nmv);
	for (size_t s2 = 0; s2 < W->b.ns; s2++)
		load[s2] = site_load(W, dem, s2);
	rank_moves(W, mv, nmv, per_day);
	double budget = W->budget * total_km;  /* [program] travel_budget */
	/* Travel spent to make a site faster than the doctors' days or the
	 * township cover allow buys nothing: a site whose load fits within
	 * `fill` of those days sends nobody away.  (How well the runs pack
	 * varies, so the constructions try 90% to 105%.) */
	double enough = 0;
	if (W->hold) {
		for (vd_date d = p->start; d <= W->hold && d <= p->end; d++)
			enough += vd_program_teaching_day(p, NULL, d);
		enough *= fill;
	}
	/* Only the busiest sites decide the finish: each pass moves pairs off
	 * the sites within 15% of the current maximum load. */
	for (int pass = 0; pass < 8 && budget > 0; pass++) {
		double maxload = 0;
		for (size_t s = 0; s < W->b.ns; s++)
			maxload = load[s] > maxload ? load[s] : maxload;
		double thr = 0.85 * maxload;
		for (size_t i = 0; i < nmv && budget > 0; i++) {
			size_t from = W->home[mv[i].x * W->b.nc + mv[i].c], to = mv[i].to;
			if (from == to || load[from] < thr || load[from] <= enough || mv[i].extra > budget)
				continue;
			double d = (double)W->b.ci[mv[i].c].def->days;
			dem[from * W->b.nc + mv[i].c] -= d;
			dem[to * W->b.nc + mv[i].c] += d;
			double lf = site_load(W, dem, from), lt = site_load(W, dem, to);
			if (lt >= load[from]) {  /* would only move the bottleneck */
				dem[from * W->b.nc + mv[i].c] += d;
				dem[to * W->b.nc + mv[i].c] -= d;
				continue;
			}
			load[from] = lf;
			load[to] = lt;
			budget -= mv[i].extra;
			W->home[mv[i].x * W->b.nc + mv[i].c] = to;
		}
	}
	free(mv);
	free(load);
	free(dem);
}

/* Fills run r to its minimum with members of other runs of its course at
 * its site that can move (more than the minimum there, free on r's days).
 * Returns 1 if it reached the minimum; else nothing moved. */
bool plan_top_up(struct vd_planwork *W, size_t r)
{
	struct vd_book *B = &W->b;
	struct vd_plan *pl = B->pl;
	size_t c = pl->runs[r].course, s = pl->runs[r].site;
	const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
	size_t moved[8][2], n = 0;
	int D[64];
	vd_book_run_days_of(B, &pl->runs[r], D);
	for (size_t j = 0; j < ra->n && (int)pl->runs[r].nmembers < B->ci[c].minsz; j++) {
		size_t r2 = ra->v[j];
		for (size_t m = 0; r2 != r && m < pl->runs[r2].nmembers &&
		                   !pl->runs[r2].frozen && !pl->runs[r2].dead &&
		                   (int)pl->runs[r2].nmembers > B->ci[c].minsz &&
		                   (int)pl->runs[r].nmembers < B->ci[c].minsz && n < 8;) {
			size_t y = pl->runs[r2].members[m];
			vd_book_leave(B, r2, y);
			if (vd_book_room_for_one(B, &pl->runs[r], D) && vd_book_doctor_free(B, y, c, D) &&
			    vd_book_take(B, y, c, D, VD_CHECK)) {
				vd_book_join(B, r, y);
				moved[n][0] = y;
				moved[n++][1] = r2;
			} else {
				vd_book_join(B, r2, y);
				m++;
			}
		}
	}
	if ((int)pl->runs[r].nmembers >= B->ci[c].minsz)
		return true;
	while (n--) {
		vd_book_leave(B, r, moved[n][0]);
		vd_book_join(B, moved[n][1], moved[n][0]);
	}
	return false;
}

/* A pair waiting to be chained into its township's runs: its index, its
 * course's days, its doctor's cover-days still to place, its order key. */
struct chain_pair { size_t i; unsigned days, rem; uint64_t key; };

/* The doctor with the most cover-days still to place first (so no doctor
 * is left with two courses at the end), then the longest course. */
static int cmp_chain_pair(const void *a, const void *b)
{
	const struct chain_pair *x = a, *y = b;
	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return (x->key > y->key) - (x->key < y->key);
}

/* x starts course c at site s on day t: joins a run that starts that
 * day, or opens one filled from the site's pool.  Returns 1 if placed. */
static bool start_at(struct vd_planwork *W, size_t x, size_t c, size_t s, int t)
{
	struct vd_book *B = &W->b;
	struct vd_ixv tmp = { 0 };
	vd_ixv_push(&tmp, x);
	plan_fill_runs_at(W, c, s, t, &tmp);
	if (B->asg[x * B->nc + c] != VD_NONE) {
		free(tmp.v);
		return true;
	}
	const struct vd_ixv *po = &W->pools[s * B->nc + c];
	for (size_t k = 0; k < po->n; k++)
		if (po->v[k] != x)
			vd_ixv_push(&tmp, po->v[k]);
	bool ok = plan_form_run(W, c, s, t, &tmp, RECORD_NOTHING, B->ci[c].minsz) &&
	          B->asg[x * B->nc + c] != VD_NONE;
	free(tmp.v);
	return ok;
}

/* The chain of township T: on each day its cover is free, the candidate
 * with the most cover-days still to place starts a run at its home site
 * (or the nearest other that can start one). */
static void chain_township(struct vd_planwork *W, size_t T, struct chain_pair *cand, size_t n)
{
	struct vd_book *B = &W->b;
	const struct vd_program *p = B->p;
	size_t nc = B->nc;
	qsort(cand, n, sizeof *cand, cmp_chain_pair);  /* by days: doctors' pairs follow by key */
	for (size_t k = 0; k < n; k++)
		for (size_t j = 0; j < n; j++)
			if (cand[j].i / nc == cand[k].i / nc)
				cand[k].rem += cand[j].days;
	qsort(cand, n, sizeof *cand, cmp_chain_pair);
	int *used = &B->cover_used[T * (size_t)B->H];
	for (int t = B->t0; t < B->H; t++)
		while (used[t] < B->cover_cap[T]) {
			bool placed = false;
			for (size_t k = 0; k < n && !placed; k++) {
				size_t x = cand[k].i / nc, c = cand[k].i % nc;
				const int *D = vd_book_run_days(B, c, t);
				if (B->asg[cand[k].i] != VD_NONE || !D || !vd_book_doctor_free(B, x, c, D) ||
				    !vd_book_take(B, x, c, D, VD_CHECK))
					continue;
				placed = start_at(W, x, c, W->home[cand[k].i], t);
				/* else the nearest other site that can start one */
				size_t sites[PLAN_NEAR];
				size_t ns = placed ? 0 : plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, sites);
				for (size_t j = 0; j < ns && !placed; j++)
					if (sites[j] != W->home[cand[k].i])
						placed = start_at(W, x, c, sites[j], t);
				if (placed) {
					for (size_t j = 0; j < n; j++)
						if (cand[j].i / nc == x)
							cand[j].rem -= cand[k].days;
					cand[k].rem = 0;
					qsort(cand, n, sizeof *cand, cmp_chain_pair);
				}
			}
			if (!placed)
				break;
		}
}

/* Bottleneck first.  A township whose cover is short for what its
 * clinics without a spare doctor need decides the finish, unless its
 * cover is in use on every teaching day from the first.  Before the
 * sweep, the pairs of the tightest townships that need cover are chained
 * through it: on each day cover is free one of them starts a run at its
 * home site, longest course first; the other seats of that run go to
 * whoever waits there, as the sweep would give them. */
void plan_pack_cover(struct vd_planwork *W, double frac, enum plan_cover_chain chain)
{
	struct vd_book *B = &W->b;
	const struct vd_program *p = B->p;
	size_t nt = p->ntownships, nc = B->nc;
	double *ratio = xcalloc(nt + 1, sizeof *ratio), maxr = 0;
	for (size_t i = 0; i < B->nd * nc; i++) {
		size_t x = i / nc, tw = p->clinics[p->doctors[x].clinic].township;
		if (B->need[i] == 1 && B->asg[i] == VD_NONE && W->home[i] != VD_NONE &&
		    plan_needs_cover(p, x) && B->cover_cap[tw] > 0)
			ratio[tw] += (double)B->ci[i % nc].def->days / B->cover_cap[tw];
	}
	for (size_t tw = 0; tw < nt; tw++)
		maxr = ratio[tw] > maxr ? ratio[tw] : maxr;
	/* the waiting pairs that need cover, by township (one pass, not one
	 * per township: a nation has 34,000) */
	size_t *at = xcalloc(nt + 2, sizeof *at), *bucket;
	for (size_t i = 0; i < B->nd * nc; i++)
		if (B->need[i] == 1 && B->asg[i] == VD_NONE && W->home[i] != VD_NONE && plan_needs_cover(p, i / nc))
			at[p->clinics[p->doctors[i / nc].clinic].township + 2]++;
	for (size_t tw = 2; tw < nt + 2; tw++)
		at[tw] += at[tw - 1];
	bucket = xmalloc((at[nt + 1] + 1) * sizeof *bucket);
	for (size_t i = 0; i < B->nd * nc; i++)
		if (B->need[i] == 1 && B->asg[i] == VD_NONE && W->home[i] != VD_NONE && plan_needs_cover(p, i / nc))
			bucket[at[p->clinics[p->doctors[i / nc].clinic].township + 1]++] = i;
	struct chain_pair *cand = NULL;
	size_t cap = 0;
	for (;;) {
		size_t T = VD_NONE;
		for (size_t tw = 0; tw < nt; tw++)
			if (ratio[tw] > 0 && ratio[tw] >= frac * maxr && (T == VD_NONE || ratio[tw] > ratio[T]))
				T = tw;
		if (T == VD_NONE)
			break;
		ratio[T] = 0;
		B->tight[T] = 1;
		if (!chain)
			continue;
		size_t n = 0;
		for (size_t j = at[T]; j < at[T + 1]; j++) {
			size_t i = bucket[j], x = i / nc;
			xgrow(&cand, &cap, n + 1, sizeof *cand);
			cand[n++] = (struct chain_pair){ i, B->ci[i % nc].def->days, 0, W->order[x] };
		}
		if (!n)
			continue;
		chain_township(W, T, cand, n);
	}
	free(cand);
	free(bucket);
	free(at);
	free(ratio);
}

bool plan_any_tight(const struct vd_book *B)
{
	for (size_t t = 0; t < B->p->ntownships; t++)
		if (B->tight[t])
			return true;
	return false;
}

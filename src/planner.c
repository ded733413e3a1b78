/* planner.c -- see planner.h
 *
 * Cost: every check is a lookup in a day-indexed table (seats per site,
 * resources per site, instructors, doctors away per clinic, cover used per
 * township), so forming a run costs O(candidates scanned x run days).  Pools
 * are compacted as doctors are placed, so a doctor is scanned only while
 * waiting; the whole sweep is O(days x sites x courses + pairs x days). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "book.h"
#include "bound.h"
#include "planner.h"
#include "replan.h"
#include "xalloc.h"


struct st {
	struct vd_book b;       /* seats, resources, instructors, cover, runs */
	size_t *home;           /* nd x nc: the site the doctor is planned at */
	size_t *nearest;        /* nd x nc: nearest usable site (travel bound) */
	struct vd_ixv *pools;   /* ns x nc: who waits for a run there */
	double (*sxyz)[3];      /* sites on the unit sphere */
	size_t *bylat;          /* sites ordered by latitude */
	uint32_t *near_memo;    /* nclinics x nc x NEAR: near_sites' answers, */
	unsigned char *near_n;  /* and how many (0xff: not asked yet) */
	int progress;           /* stderr is a terminal: show progress */
	uint64_t *order;        /* per doctor: sort key */
	size_t *corder;         /* courses, most constrained first */
	double *load;           /* per course: days of its sites' capacity needed */
	int protect;            /* re-plan: pairs kept from the previous plan stay put */
	vd_date hold;           /* no site need finish before this (vd_plan_opts) */
	int eject;              /* improve may displace a doctor of an earlier run
	                         * (displace_before) */
	double budget;          /* balance_homes' travel budget: [program] travel_budget,
	                         * or vd_plan_opts' (improve keeps to [program]'s) */
};

/* On a re-plan, a pair kept from the previous plan moves only when no
 * other way schedules everyone (the passes run again without protect). */
static int kept_pair(const struct st *S, size_t x, size_t c)
{
	const unsigned char *w = S->b.pl->replan_why;
	return S->protect && w && w[x * S->b.nc + c] == VD_WHY_KEPT;
}

/* Point on the unit sphere; nearer on the sphere = larger dot product. */
static void unit(double lat, double lon, double *u)
{
	const double rad = M_PI / 180.0;
	u[0] = cos(lat * rad) * cos(lon * rad);
	u[1] = cos(lat * rad) * sin(lon * rad);
	u[2] = sin(lat * rad);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}















/* The k nearest sites of clinic `cl` that can hold course c, nearest
 * first; returns how many. */
#define NEAR 8
/* Remembered per clinic and course: the same pairs ask again and again
 * on an over-subscribed program, and the band of sites scanned widens
 * with their number. */
static size_t near_sites(const struct st *S, const struct vd_clinic *cl, size_t c, size_t *out)
{
	const struct vd_program *p = S->b.p;
	const double rad = M_PI / 180.0;
	double best[NEAR], u[3];
	size_t n = 0;
	size_t key = (size_t)(cl - p->clinics) * S->b.nc + c;
	uint32_t *memo = &S->near_memo[key * NEAR];
	if (S->near_n[key] != 0xff) {
		for (size_t i = 0; i < S->near_n[key]; i++)
			out[i] = memo[i];
		return S->near_n[key];
	}
	unit(cl->lat, cl->lon, u);
	/* outwards from the clinic's latitude, as in nearest_sites_of() */
	size_t lo = 0, hi = S->b.ns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->sites[S->bylat[mid]].lat < cl->lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t up = lo, down = lo;
	double reach = 10.0;  /* the angle of the worst of the NEAR found (acos only when it changes) */
	for (;;) {
		double du = up < S->b.ns ? (p->sites[S->bylat[up]].lat - cl->lat) * rad : 1e9;
		double dd = down > 0 ? (cl->lat - p->sites[S->bylat[down - 1]].lat) * rad : 1e9;
		if ((du > reach + 1e-12 && dd > reach + 1e-12) || (up >= S->b.ns && down == 0))
			break;
		size_t s = du <= dd ? S->bylat[up++] : S->bylat[--down];
		if (!S->b.ci[c].usable[s])
			continue;
		double d = -(u[0] * S->sxyz[s][0] + u[1] * S->sxyz[s][1] + u[2] * S->sxyz[s][2]);
		if (n == NEAR && (d > best[NEAR - 1] || (d == best[NEAR - 1] && s > out[NEAR - 1])))
			continue;
		size_t j = n < NEAR ? n++ : NEAR - 1;
		while (j > 0 && (best[j - 1] > d || (best[j - 1] == d && out[j - 1] > s))) {
			best[j] = best[j - 1];
			out[j] = out[j - 1];
			j--;
		}
		best[j] = d;
		out[j] = s;
		if (n == NEAR)
			reach = acos(fmax(-1.0, fmin(1.0, -best[NEAR - 1])));
	}
	for (size_t i = 0; i < n; i++)
		memo[i] = (uint32_t)out[i];
	S->near_n[key] = (unsigned char)n;
	return n;
}




/* Tries to form one run of course c at site s starting on day t from pool
 * `po`.  Returns 1 if a run was formed. */
static int form_run_sized(struct st *S, size_t c, size_t s, int t, struct vd_ixv *po, int final,
                          int most);

static int form_run(struct st *S, size_t c, size_t s, int t, struct vd_ixv *po, int final)
{
	return form_run_sized(S, c, s, t, po, final, 0);
}

/* As form_run, with at most `most` members (0: as many as fit). */
static int form_run_sized(struct st *S, size_t c, size_t s, int t, struct vd_ixv *po, int final,
                          int most)
{
	const int *D = vd_book_run_days(&S->b, c, t);
	if (!D || !po->n)
		return 0;
	struct vd_course_model *ci = &S->b.ci[c];
	int cap = vd_book_site_capacity(&S->b, c, s, D);
	if (cap < ci->minsz)
		return 0;
	size_t ins = VD_NONE;
	if (ci->needs_ins && (ins = vd_book_find_instructor(&S->b, c, s, D)) == VD_NONE)
		return 0;
	/* Compact the pool: drop doctors already placed for c. */
	size_t w = 0;
	for (size_t i = 0; i < po->n; i++)
		if (S->b.asg[po->v[i] * S->b.nc + c] == VD_NONE)
			po->v[w++] = po->v[i];
	po->n = w;
	if ((int)po->n < ci->minsz) {
		if (final)
			for (size_t i = 0; i < po->n; i++)
				S->b.fail[po->v[i] * S->b.nc + c] |= VD_FAIL_SIZE;
		return 0;
	}
	/* Even sizes: split what waits into equal runs no larger than cap. */
	int want = cap;
	size_t k = (po->n + (size_t)cap - 1) / (size_t)cap;
	if (k > 1 && (int)((po->n + k - 1) / k) < want)
		want = (int)((po->n + k - 1) / k);
	if (want < ci->minsz)
		want = ci->minsz;
	if (most && want > most)
		want = most;

	size_t *chosen = xmalloc((size_t)want * sizeof *chosen);
	int n = 0;
	for (size_t i = 0; i < po->n && n < want; i++) {
		size_t x = po->v[i];
		if (final)
			S->b.fail[x * S->b.nc + c] |= VD_FAIL_TRIED;
		if (!vd_book_doctor_free(&S->b, x, c, D) || !vd_book_take(&S->b, x, c, D, VD_COMMIT))
			continue;
		chosen[n++] = x;
	}
	if (n < ci->minsz) {
		for (int i = 0; i < n; i++)
			vd_book_untake(&S->b, chosen[i], c, D);
		if (final)
			for (int i = 0; i < n; i++)
				S->b.fail[chosen[i] * S->b.nc + c] |= VD_FAIL_SIZE;
		free(chosen);
		return 0;
	}
	size_t run = vd_book_new_run(&S->b, c, s, ins, D);
	vd_book_site(&S->b, c, s, ins, D, n, VD_TAKE);
	for (int i = 0; i < n; i++)
		vd_book_add_member(&S->b, run, chosen[i]);
	free(chosen);
	return 1;
}

/* Runs of c at s that start on day t already (seeded by pack_cover, or
 * kept by a re-plan) take the waiting doctors before new runs form. */
static void fill_runs_at(struct st *S, size_t c, size_t s, int t, struct vd_ixv *po)
{
	struct vd_book *B = &S->b;
	const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
	vd_date day = B->p->start + t;
	int D[64];
	for (size_t j = 0; j < ra->n && po->n; j++) {
		struct vd_run *run = &B->pl->runs[ra->v[j]];
		if (run->dates[0] != day || run->dead || run->frozen)
			continue;
		vd_book_run_days_of(B, run, D);
		for (size_t i = 0; i < po->n && vd_book_room_for_one(B, &B->pl->runs[ra->v[j]], D); i++) {
			size_t x = po->v[i];
			if (B->asg[x * B->nc + c] == VD_NONE && vd_book_doctor_free(B, x, c, D) &&
			    vd_book_take(B, x, c, D, VD_CHECK))
				vd_book_join(B, ra->v[j], x);
		}
	}
}

static void sweep_only(struct st *S, int final, size_t only);

static void sweep(struct st *S, int final)
{
	sweep_only(S, final, VD_NONE);
}

/* The day-by-day sweep; `only` (not VD_NONE) restricts it to one course. */
static void sweep_only(struct st *S, int final, size_t only)
{
	/* Progress for long runs, only when stderr is a terminal. */
	int show = S->progress && !final && S->b.nd > 20000;
	for (int t = 0; t < S->b.H; t++) {
		if (show && t % 7 == 0)
			fprintf(stderr, "\rvdsched: planning day %d/%d ", t + 1, S->b.H);
		for (size_t s = 0; s < S->b.ns; s++)
			for (size_t ci = 0; ci < S->b.nc; ci++) {
				size_t c = S->corder[ci];
				if ((only != VD_NONE && c != only) || !S->b.ci[c].usable[s] || S->b.ci[c].start_ix[t] < 0)
					continue;
				struct vd_ixv *po = &S->pools[s * S->b.nc + c];
				fill_runs_at(S, c, s, t, po);
				while (form_run(S, c, s, t, po, final))
					;
			}
	}
	if (show)
		fputs("\r\033[K", stderr);
}






/* Adds a waiting doctor to an existing run with room, nearest site first,
 * earliest first; never run `skip`. */
/* full (or NULL): runs that had no room for one more when the caller
 * began; a hint only -- runs at skip's site are checked all the same, as
 * the caller's own moves there may have made room. */
static int insert_into_runs(struct st *S, size_t x, size_t c, size_t skip, size_t only_site,
                            const unsigned char *full)
{
	const struct vd_program *p = S->b.p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	size_t best = VD_NONE;
	double bestkm = 0;
	vd_date bestday = 0;
	int D[64];
	size_t sites[NEAR], ns = 1;
	if (only_site != VD_NONE)
		sites[0] = only_site;
	else
		ns = near_sites(S, cl, c, sites);
	for (size_t k = 0; k < ns; k++) {
		const struct vd_ixv *ra = &S->b.runs_at[sites[k] * S->b.nc + c];
		const struct vd_site *si = &p->sites[sites[k]];
		/* km only once there is a find to compare with: most calls on a
		 * full program find nothing */
		double km = best != VD_NONE ? vd_km(cl->lat, cl->lon, si->lat, si->lon) : 0;
		if (best != VD_NONE && km > bestkm + 1e-9)
			break;  /* sites come nearest first */
		for (size_t j = 0; j < ra->n; j++) {
			size_t r = ra->v[j];
			struct vd_run *run = &S->b.pl->runs[r];
			if (r == skip || (int)run->nmembers >= S->b.ci[c].maxsz || run->frozen || run->dead)
				continue;  /* the cheap part of room_for_one first */
			if (full && full[r] && (skip == VD_NONE || run->site != S->b.pl->runs[skip].site))
				continue;
			vd_book_run_days_of(&S->b, run, D);
			if (!vd_book_room_for_one(&S->b, run, D) || !vd_book_doctor_free(&S->b, x, c, D) || !vd_book_take(&S->b, x, c, D, VD_CHECK))
				continue;
			if (best == VD_NONE || run->dates[0] < bestday) {
				if (best == VD_NONE)
					km = vd_km(cl->lat, cl->lon, si->lat, si->lon);
				best = r;
				bestkm = km;
				bestday = run->dates[0];
			}
		}
	}
	if (best != VD_NONE)
		vd_book_join(&S->b, best, x);
	return best != VD_NONE;
}

static int overlaps(const struct st *S, const struct vd_run *a, const struct vd_run *b)
{
	int D[64];
	vd_book_run_days_of(&S->b, a, D);
	return vd_dates_overlap(D, S->b.ci[a->course].def->days, b->dates,
	                     S->b.ci[b->course].def->days, S->b.p->start);
}

/* One ejection: x cannot join a run of c only because its township's cover
 * is used up on those days.  Move a doctor y of the same township who uses
 * that cover to another run of y's course, and let x take the place. */
/* A member who left run and joined it again is last: back to index m,
 * so that a try that failed changes nothing (and the caller's loop over
 * the members sees each once). */
static void put_back(struct vd_run *run, size_t m)
{
	size_t y = run->members[run->nmembers - 1];
	memmove(&run->members[m + 1], &run->members[m], (run->nmembers - 1 - m) * sizeof *run->members);
	run->members[m] = y;
}

/* The runs without room for one more trainee now (taken once, on first
 * use: repair and displace try many doctors against the same book; the
 * book keeps the answer up to date site by site). */
static const unsigned char *full_runs(struct st *S, const unsigned char **full)
{
	if (!*full)
		*full = vd_book_full_runs(&S->b);
	return *full;
}

static int repair(struct st *S, size_t x, size_t c)
{
	const struct vd_program *p = S->b.p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	size_t tw = cl->township;
	int D[64];
	unsigned budget = 20000;
	const unsigned char *full = NULL;
	size_t sites[NEAR];
	size_t ns = near_sites(S, cl, c, sites);
	for (size_t a = 0; a < ns && budget; a++) {
		const struct vd_ixv *ra = &S->b.runs_at[sites[a] * S->b.nc + c];
		for (size_t ia = 0; ia < ra->n && budget; ia++) {
			size_t r = ra->v[ia];
			struct vd_run *run = &S->b.pl->runs[r];
			vd_book_run_days_of(&S->b, run, D);
			if (!vd_book_room_for_one(&S->b, run, D) || !vd_book_doctor_free(&S->b, x, c, D))
				continue;
			/* who of x's township is away on those days, at sites near x */
			for (size_t b = 0; b < ns && budget; b++)
				for (size_t c2 = 0; c2 < S->b.nc && budget; c2++) {
					const struct vd_ixv *rb = &S->b.runs_at[sites[b] * S->b.nc + c2];
					for (size_t ib = 0; ib < rb->n && budget; ib++, budget--) {
						size_t r2 = rb->v[ib];
						struct vd_run *o = &S->b.pl->runs[r2];
						if (r2 == r || o->frozen || (int)o->nmembers - 1 < S->b.ci[o->course].minsz ||
						    !overlaps(S, run, o))
							continue;
						for (size_t m = 0; m < o->nmembers && budget; m++, budget--) {
							size_t y = o->members[m];
							const struct vd_clinic *cy = &p->clinics[p->doctors[y].clinic];
							if (cy->township != tw || (int)cy->ndoctors - 1 >= cy->min_on_duty ||
							    kept_pair(S, y, o->course))
								continue;
							vd_book_leave(&S->b, r2, y);
							if (vd_book_take(&S->b, x, c, D, VD_CHECK)) {
								vd_book_join(&S->b, r, x);
								if (insert_into_runs(S, y, c2, r2, VD_NONE, full_runs(S, &full)))
									return 1;
								vd_book_leave(&S->b, r, x);
							}
							vd_book_join(&S->b, r2, y);
							o = &S->b.pl->runs[r2];
							put_back(o, m);
						}
					}
				}
		}
	}
	return 0;
}

/* Does any absence of doctor x leave the clinic short (township cover)? */
static int needs_cover(const struct vd_program *p, size_t x)
{
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	return (int)cl->ndoctors - 1 < cl->min_on_duty;
}

/* One displacement: x takes the place of a doctor y in a run of c that
 * x can attend, and y moves to another run of c (often the place x could
 * not keep).  One pair moves instead of a new run's worth of donors. */
static int displace(struct st *S, size_t x, size_t c)
{
	const struct vd_program *p = S->b.p;
	size_t sites[NEAR];
	size_t ns = near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
	unsigned budget = 20000;
	const unsigned char *full = NULL;
	int D[64];
	/* y must move to another run of c with room: none, no displacement
	 * (x's and y's moves leave the other runs' room as it was) */
	full_runs(S, &full);
	int any = vd_book_open_runs(&S->b, c) > 0;
	for (size_t a = 0; a < ns && budget && any; a++) {
		const struct vd_ixv *ra = &S->b.runs_at[sites[a] * S->b.nc + c];
		for (size_t j = 0; j < ra->n && budget; j++) {
			size_t r = ra->v[j];
			struct vd_run *run = &S->b.pl->runs[r];
			if (run->dead || run->frozen)
				continue;
			vd_book_run_days_of(&S->b, run, D);
			if (D[0] < S->b.t0 || !vd_book_doctor_free(&S->b, x, c, D))
				continue;
			for (size_t m = 0; m < S->b.pl->runs[r].nmembers && budget; m++, budget--) {
				size_t y = S->b.pl->runs[r].members[m];
				if (kept_pair(S, y, c) || needs_cover(p, y))
					continue;
				vd_book_leave(&S->b, r, y);
				if (vd_book_room_for_one(&S->b, &S->b.pl->runs[r], D) && vd_book_take(&S->b, x, c, D, VD_CHECK)) {
					vd_book_join(&S->b, r, x);
					if (insert_into_runs(S, y, c, r, VD_NONE, full_runs(S, &full)))
						return 1;
					vd_book_leave(&S->b, r, x);
				}
				vd_book_join(&S->b, r, y);
				put_back(&S->b.pl->runs[r], m);
			}
		}
	}
	return 0;
}

/* Leftovers of course c too few for a run of their own: open a new run
 * for them and fill it up to the minimum with doctors who move from
 * bigger runs of c at the same site.  Returns the number placed. */
static size_t leftover_run(struct st *S, size_t c, size_t *left, size_t nleft,
                           const size_t *sites, size_t nsites)
{
	struct vd_course_model *ci = &S->b.ci[c];
	size_t placed = 0;
	size_t *got = xmalloc((nleft + (size_t)ci->maxsz + 1) * sizeof *got);
	size_t *from = xmalloc((nleft + (size_t)ci->maxsz + 1) * sizeof *from);
	for (size_t si = 0; si < nsites && placed < nleft; si++) {
		size_t s = sites[si];
		if (!ci->usable[s])
			continue;
		for (int t = 0; t < S->b.H && placed < nleft; t++) {
			const int *D = vd_book_run_days(&S->b, c, t);
			if (!D || vd_book_site_capacity(&S->b, c, s, D) < ci->minsz)
				continue;
			size_t ins = VD_NONE;
			if (ci->needs_ins && (ins = vd_book_find_instructor(&S->b, c, s, D)) == VD_NONE)
				continue;
			size_t n = 0, nl = 0;
			for (size_t i = 0; i < nleft && (int)n < ci->maxsz; i++) {
				size_t x = left[i];
				if (S->b.asg[x * S->b.nc + c] != VD_NONE || !vd_book_doctor_free(&S->b, x, c, D) || !vd_book_take(&S->b, x, c, D, VD_COMMIT))
					continue;
				from[n] = VD_NONE;
				got[n++] = x;
			}
			nl = n;
			/* donors: members of bigger runs of c at this site */
			const struct vd_ixv *ra = &S->b.runs_at[s * S->b.nc + c];
			for (size_t j = 0; nl && j < ra->n && (int)n < ci->minsz; j++) {
				size_t r = ra->v[j];
				struct vd_run *run = &S->b.pl->runs[r];
				if (run->frozen)
					continue;
				for (size_t m = 0; m < run->nmembers && (int)run->nmembers > ci->minsz &&
				                   (int)n < ci->minsz;) {
					size_t y = run->members[m];
					/* a doctor on township cover keeps the place the
					 * cover chain gave (pack_cover) */
					if (kept_pair(S, y, c) || needs_cover(S->b.p, y)) {
						m++;
						continue;
					}
					vd_book_leave(&S->b, r, y);
					if (vd_book_doctor_free(&S->b, y, c, D) && vd_book_take(&S->b, y, c, D, VD_COMMIT)) {
						from[n] = r;
						got[n++] = y;
					} else {
						vd_book_join(&S->b, r, y);  /* members stay sorted? order is not relied on */
						m++;
					}
					run = &S->b.pl->runs[r];
				}
			}
			if (nl && (int)n >= ci->minsz) {
				size_t r = vd_book_new_run(&S->b, c, s, ins, D);
				vd_book_site(&S->b, c, s, ins, D, (int)n, VD_TAKE);
				for (size_t i = 0; i < n; i++)
					vd_book_add_member(&S->b, r, got[i]);
				placed += nl;
				continue;
			}
			for (size_t i = 0; i < n; i++) {
				vd_book_untake(&S->b, got[i], c, D);
				if (from[i] != VD_NONE)
					vd_book_join(&S->b, from[i], got[i]);
			}
		}
	}
	free(got);
	free(from);
	return placed;
}

static int cmp_order_ctx(const void *a, const void *b, void *ctx)
{
	const uint64_t *o = ctx;
	uint64_t x = o[*(const size_t *)a], y = o[*(const size_t *)b];
	return (x > y) - (x < y);
}


static void sort_pools(struct st *S)
{
	for (size_t i = 0; i < S->b.ns * S->b.nc; i++)
		if (S->pools[i].n > 1)
			qsort_r(S->pools[i].v, S->pools[i].n, sizeof(size_t), cmp_order_ctx, S->order);
}

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
static void name_cohorts(struct st *S, unsigned long next)
{
	struct vd_plan *pl = S->b.pl;
	if (pl->nruns)
		qsort(pl->runs, pl->nruns, sizeof *pl->runs, cmp_run);
	size_t *home = xmalloc(S->b.nd * sizeof *home + 1);
	for (size_t i = 0; i < S->b.nd; i++)
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

/* Why site s cannot hold a run of course c (NULL if it can), for
 * messages: the limiting seats, resource or instructor. */
static char *site_unfit(const struct vd_program *p, const struct vd_course *co, size_t s,
                        int minsz, int needs_ins)
{
	const struct vd_site *si = &p->sites[s];
	if (si->seats < minsz)
		return xasprintf(_("site %s has %d seats, fewer than the minimum run of %d"), si->id, si->seats, minsz);
	for (size_t r = 0; r < co->def->nresources; r++) {
		const struct vds_resource *rs = &co->def->resources[r];
		int have = 0;
		for (size_t k = 0; k < si->nres; k++)
			if (!strcmp(si->res[k].name, rs->name))
				have = si->res[k].count;
		int most = rs->per ? have * (int)rs->per : (have > 0 ? minsz : 0);
		if (most < minsz)
			return xasprintf(_("site %s has %d %s, enough for %d trainees (%u per unit), fewer than the minimum run of %d"),
			                 si->id, have, rs->name, most, rs->per ? rs->per : 1, minsz);
	}
	if (needs_ins) {
		int any = 0;
		for (size_t i = 0; i < p->ninstructors; i++) {
			const struct vd_instructor *in = &p->instructors[i];
			any |= vd_strv_has(&in->courses, co->name) && (!in->sites.n || vd_strv_has(&in->sites, si->id));
		}
		if (!any)
			return xasprintf(_("no [instructor] teaching %s works at site %s"), co->name, si->id);
	}
	return NULL;
}

static void add_unsched(struct vd_plan *pl, size_t *cap, size_t x, size_t c, char *why)
{
	xgrow(&pl->unsched, cap, pl->nunsched + 1, sizeof *pl->unsched);
	pl->unsched[pl->nunsched++] = (struct vd_unsched){ x, c, why };
}

static char *explain(struct st *S, size_t x, size_t c)
{
	const struct vd_program *p = S->b.p;
	const struct vd_doctor *d = &p->doctors[x];
	const struct vd_clinic *cl = &p->clinics[d->clinic];
	const struct vd_township *tw = &p->townships[cl->township];
	const char *cn = p->courses[c].name;
	unsigned f = S->b.fail[x * S->b.nc + c];
	char end[11];
	vd_date_format(p->end, end);

	int any_site = 0;
	for (size_t s = 0; s < S->b.ns; s++)
		any_site |= S->b.ci[c].usable[s];
	if (!any_site) {
		char *why = S->b.ns && p->courses[c].nsites
		            ? site_unfit(p, &p->courses[c], p->courses[c].sites[0], S->b.ci[c].minsz, S->b.ci[c].needs_ins)
		            : NULL;
		char *msg = xasprintf(_("no site can hold course %s%s%s"), cn, why ? ": " : "", why ? why : "");
		free(why);
		return msg;
	}
	if (!S->b.ci[c].ndates)
		return xasprintf(_("course %s (%u days) has no possible run dates between start and end on its teaching days"),
		                 cn, S->b.ci[c].def->days);
	for (size_t q = 0; q < S->b.ci[c].nprereq; q++) {
		size_t qc = S->b.ci[c].prereq[q];
		if (S->b.need[x * S->b.nc + qc] && S->b.asg[x * S->b.nc + qc] == VD_NONE)
			return xasprintf(_("prerequisite %s could not be scheduled, so %s cannot follow it"),
			                 p->courses[qc].name, cn);
	}
	if ((int)cl->ndoctors - 1 < cl->min_on_duty && S->b.cover_cap[cl->township] <= 0)
		return xasprintf(_("clinic %s would be left without a doctor (%u on the roster, min_on_duty %d) and township %s has no cover (cover = %d); raise [township %s] cover"),
		                 cl->id, cl->ndoctors, cl->min_on_duty, tw->id, tw->cover, tw->id);
	if (f & VD_FAIL_COVER && !(f & ~(unsigned)(VD_FAIL_COVER | VD_FAIL_TRIED | VD_FAIL_BUSY | VD_FAIL_SIZE)))
		return xasprintf(_("clinic %s would be left without a doctor on every date %s could run before %s: township %s's cover (%d per day) is used up by other clinics"),
		                 cl->id, cn, end, tw->id, S->b.cover_cap[cl->township]);
	if (f & VD_FAIL_PREREQ)
		return xasprintf(_("the prerequisite of %s ends too late for %s to fit before %s"), cn, cn, end);
	if ((f & VD_FAIL_BUSY) && d->nunavail)
		return xasprintf(_("unavailable or in other training on every date %s could run at a site with room before %s"),
		                 cn, end);
	if (f & VD_FAIL_SIZE)
		return xasprintf(_("too few doctors need %s at sites within reach on the same dates to fill a run (cohort_min %d)"),
		                 cn, S->b.ci[c].minsz);
	return xasprintf(_("no site had seats, resources%s free for %s on a date this doctor could attend before %s"),
	                 S->b.ci[c].needs_ins ? _(" or an instructor") : "", cn, end);
}


static void bounds(struct st *S)
{
	const struct vd_program *p = S->b.p;
	struct vd_plan *pl = S->b.pl;
	double need_seatdays = 0;
	vd_date earliest = p->start;
	pl->travel_km = pl->travel_bound_km = 0;
	for (size_t x = 0; x < S->b.nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < S->b.nc; c++) {
			size_t r = S->b.asg[x * S->b.nc + c];
			if (r == VD_NONE)
				continue;
			const struct vd_site *si = &p->sites[pl->runs[r].site];
			pl->travel_km += vd_km(cl->lat, cl->lon, si->lat, si->lon);
			size_t h = S->nearest[x * S->b.nc + c];
			if (h != VD_NONE)
				pl->travel_bound_km += vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
		}
	}
	for (size_t c = 0; c < S->b.nc; c++) {
		size_t n = 0;
		for (size_t x = 0; x < S->b.nd; x++)
			n += S->b.need[x * S->b.nc + c];
		need_seatdays += (double)n * S->b.ci[c].def->days;
		if (n && S->b.ci[c].ndates) {
			/* A doctor's chain of prerequisites bounds the finish too. */
			int len = (int)S->b.ci[c].def->days;
			for (size_t q = 0; q < S->b.ci[c].nprereq; q++)
				len += (int)S->b.ci[S->b.ci[c].prereq[q]].def->days;
			int t = 0, k = 0;
			for (; t < S->b.H && k < len; t++)
				k += vd_program_teaching_day(p, &p->courses[c], p->start + t);
			if (p->start + t - 1 > earliest)
				earliest = p->start + t - 1;
		}
	}
	/* Seat-days: all sites' seats on every teaching day, until they cover
	 * what the required pairs need. */
	double have = 0;
	vd_date cap_day = p->start;
	for (int t = 0; t < S->b.H && have < need_seatdays; t++) {
		for (size_t s = 0; s < S->b.ns; s++) {
			int open = 0;
			for (size_t c = 0; c < S->b.nc && !open; c++)
				open = S->b.ci[c].usable[s] && vd_program_teaching_day(p, &p->courses[c], p->start + t);
			if (open)
				have += p->sites[s].seats;
		}
		cap_day = p->start + t;
	}
	pl->last_day_bound = cap_day > earliest ? cap_day : earliest;
	/* Each course alone: its sites, every teaching day, full runs. */
	for (size_t c = 0; c < S->b.nc; c++) {
		double needc = 0, perday = 0, got = 0;
		for (size_t x = 0; x < S->b.nd; x++)
			needc += S->b.need[x * S->b.nc + c] == 1;
		needc *= S->b.ci[c].def->days;
		for (size_t s = 0; s < S->b.ns; s++)
			if (S->b.ci[c].usable[s])
				perday += vd_book_run_capacity(&S->b, c, s, VD_ALL_RUNS);
		if (needc <= 0 || perday <= 0)
			continue;
		for (int t = 0; t < S->b.H && got < needc; t++)
			if (vd_program_teaching_day(p, &p->courses[c], p->start + t)) {
				got += perday;
				if (got >= needc && p->start + t > pl->last_day_bound)
					pl->last_day_bound = p->start + t;
			}
	}
	pl->last_day = 0;
	for (size_t r = 0; r < pl->nruns; r++) {
		vd_date e = pl->runs[r].dates[S->b.ci[pl->runs[r].course].def->days - 1];
		if (e > pl->last_day)
			pl->last_day = e;
	}
}

static void st_free(struct st *S)
{
	for (size_t i = 0; S->pools && i < S->b.ns * S->b.nc; i++)
		free(S->pools[i].v);
	vd_book_free(&S->b);
	free(S->home);
	free(S->nearest);
	free(S->pools);
	free(S->sxyz);
	free(S->bylat);
	free(S->near_memo);
	free(S->near_n);
	free(S->order);
	free(S->corder);
	free(S->load);
}


/* Leftover runs for every course, the waiting doctors grouped by their
 * nearest site: at_home tries only that site, else its nearest others. */
static void leftovers(struct st *S, int at_home)
{
	struct vd_ixv *by_home = xcalloc(S->b.ns + 1, sizeof *by_home);
	for (size_t c = 0; c < S->b.nc; c++) {
		for (size_t x = 0; x < S->b.nd; x++) {
			size_t i = x * S->b.nc + c;
			if (S->b.need[i] == 1 && S->b.asg[i] == VD_NONE && S->home[i] != VD_NONE)
				vd_ixv_push(&by_home[S->home[i]], x);
		}
		for (size_t s = 0; s < S->b.ns; s++) {
			struct vd_ixv *g = &by_home[s];
			if (!g->n)
				continue;
			size_t sites[NEAR], n = 1;
			sites[0] = s;
			if (!at_home)
				n = near_sites(S, &S->b.p->clinics[S->b.p->doctors[g->v[0]].clinic], c, sites);
			leftover_run(S, c, g->v, g->n, sites, n);
			g->n = 0;
		}
	}
	for (size_t s = 0; s < S->b.ns; s++)
		free(by_home[s].v);
	free(by_home);
}

static int cmp_lat(const void *a, const void *b, void *ctx)
{
	const struct vd_program *p = ctx;
	double x = p->sites[*(const size_t *)a].lat, y = p->sites[*(const size_t *)b].lat;
	if (x != y)
		return x < y ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* The nearest usable site of each course for one clinic (VD_NONE where a
 * course has none); sites ordered by latitude in bylat.  Ties go to the
 * lower site index, as a plain scan would. */
static void nearest_sites_of(const struct st *S, const size_t *bylat, const struct vd_clinic *cl,
                             size_t *out)
{
	const struct vd_program *p = S->b.p;
	const double rad = M_PI / 180.0;
	double u[3], best[64];
	size_t nc = S->b.nc < 64 ? S->b.nc : 64;
	unit(cl->lat, cl->lon, u);
	for (size_t c = 0; c < S->b.nc; c++)
		out[c] = VD_NONE;
	/* first site at or above the clinic's latitude */
	size_t lo = 0, hi = S->b.ns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->sites[bylat[mid]].lat < cl->lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t up = lo, down = lo;  /* next to look at: bylat[up], bylat[down - 1] */
	for (;;) {
		/* widest angle still of interest: infinite while a course lacks a find */
		double reach = 0;
		for (size_t c = 0; c < nc; c++) {
			double a = out[c] == VD_NONE ? 10.0 : acos(fmax(-1.0, fmin(1.0, best[c])));
			reach = a > reach ? a : reach;
		}
		double du = up < S->b.ns ? (p->sites[bylat[up]].lat - cl->lat) * rad : 1e9;
		double dd = down > 0 ? (cl->lat - p->sites[bylat[down - 1]].lat) * rad : 1e9;
		if ((du > reach + 1e-12 && dd > reach + 1e-12) || (up >= S->b.ns && down == 0))
			break;
		size_t s = du <= dd ? bylat[up++] : bylat[--down];
		double dot = u[0] * S->sxyz[s][0] + u[1] * S->sxyz[s][1] + u[2] * S->sxyz[s][2];
		for (size_t c = 0; c < nc; c++)
			if (S->b.ci[c].usable[s] &&
			    (out[c] == VD_NONE || dot > best[c] || (dot == best[c] && s < out[c]))) {
				best[c] = dot;
				out[c] = s;
			}
	}
}

/* A site whose catchment needs far more teaching days than another's
 * finishes late while the other stands idle.  Move the pairs that cost
 * the least extra travel from the busiest sites to less busy ones, until
 * the loads even out or a travel budget of 1.5% over the nearest-site
 * total is spent: finishing early weighs more than travel, but travel
 * should stay close to its bound. */
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

static double site_load(const struct st *S, const double *dem, size_t s)
{
	double all = 0, worst = 0;
	for (size_t c = 0; c < S->b.nc; c++) {
		double d = dem[s * S->b.nc + c];
		if (d <= 0)
			continue;
		all += d;
		double alone = d / vd_book_run_capacity(&S->b, c, s, VD_ALL_RUNS);
		worst = alone > worst ? alone : worst;
	}
	all /= S->b.p->sites[s].seats;
	return all > worst ? all : worst;
}

static void balance_homes(struct st *S, double fill, int per_day)
{
	const struct vd_program *p = S->b.p;
	if (S->b.ns < 2)
		return;
	/* A site's load is a lower bound on the teaching days its catchment
	 * needs: all courses share its seats, and each course alone is held
	 * back by its own limit (seats, or chairs for dental).  dem[] holds
	 * trainee-days per site and course. */
	double *dem = xcalloc(S->b.ns * S->b.nc + 1, sizeof *dem);
	double *load = xcalloc(S->b.ns, sizeof *load);
	double total_km = 0;
	for (size_t x = 0; x < S->b.nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < S->b.nc; c++) {
			size_t h = S->home[x * S->b.nc + c];
			if (S->b.need[x * S->b.nc + c] != 1 || h == VD_NONE)
				continue;
			dem[h * S->b.nc + c] += S->b.ci[c].def->days;
			total_km += vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
		}
	}
	for (size_t s2 = 0; s2 < S->b.ns; s2++)
		load[s2] = site_load(S, dem, s2);
	struct move *mv = NULL;
	size_t nmv = 0, cap = 0;
	for (size_t x = 0; x < S->b.nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < S->b.nc; c++) {
			size_t h = S->home[x * S->b.nc + c];
			if (S->b.need[x * S->b.nc + c] != 1 || h == VD_NONE)
				continue;
			size_t sites[NEAR];
			size_t n = near_sites(S, cl, c, sites);
			double kh = vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
			for (size_t k = 0; k < n && k < 3; k++) {
				if (sites[k] == h)
					continue;
				xgrow(&mv, &cap, nmv + 1, sizeof *mv);
				mv[nmv++] = (struct move){
					vd_km(cl->lat, cl->lon, p->sites[sites[k]].lat, p->sites[sites[k]].lon) - kh,
					x, c, sites[k] };
			}
		}
	}
	/* ranked per trainee-day: the key divided while sorting, then back */
	for (size_t i = 0; per_day && i < nmv; i++)
		mv[i].extra /= S->b.ci[mv[i].c].def->days;
	if (nmv)
		qsort(mv, nmv, sizeof *mv, cmp_move);
	for (size_t i = 0; per_day && i < nmv; i++)
		mv[i].extra *= S->b.ci[mv[i].c].def->days;
	double budget = S->budget * total_km;  /* [program] travel_budget */
	/* Travel spent to make a site faster than the doctors' days or the
	 * township cover allow buys nothing: a site whose load fits within
	 * `fill` of those days sends nobody away.  (How well the runs pack
	 * varies, so the constructions try 90% to 105%.) */
	double enough = 0;
	if (S->hold) {
		for (vd_date d = p->start; d <= S->hold && d <= p->end; d++)
			enough += vd_program_teaching_day(p, NULL, d);
		enough *= fill;
	}
	/* Only the busiest sites decide the finish: each pass moves pairs off
	 * the sites within 15% of the current maximum load. */
	for (int pass = 0; pass < 8 && budget > 0; pass++) {
		double maxload = 0;
		for (size_t s = 0; s < S->b.ns; s++)
			maxload = load[s] > maxload ? load[s] : maxload;
		double thr = 0.85 * maxload;
		for (size_t i = 0; i < nmv && budget > 0; i++) {
			size_t from = S->home[mv[i].x * S->b.nc + mv[i].c], to = mv[i].to;
			if (from == to || load[from] < thr || load[from] <= enough || mv[i].extra > budget)
				continue;
			double d = (double)S->b.ci[mv[i].c].def->days;
			dem[from * S->b.nc + mv[i].c] -= d;
			dem[to * S->b.nc + mv[i].c] += d;
			double lf = site_load(S, dem, from), lt = site_load(S, dem, to);
			if (lt >= load[from]) {  /* would only move the bottleneck */
				dem[from * S->b.nc + mv[i].c] += d;
				dem[to * S->b.nc + mv[i].c] -= d;
				continue;
			}
			load[from] = lf;
			load[to] = lt;
			budget -= mv[i].extra;
			S->home[mv[i].x * S->b.nc + mv[i].c] = to;
		}
	}
	free(mv);
	free(load);
	free(dem);
}

/* Fills run r to its minimum with members of other runs of its course at
 * its site that can move (more than the minimum there, free on r's days).
 * Returns 1 if it reached the minimum; else nothing moved. */
static int top_up(struct st *S, size_t r)
{
	struct vd_book *B = &S->b;
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
		return 1;
	while (n--) {
		vd_book_leave(B, r, moved[n][0]);
		vd_book_join(B, moved[n][1], moved[n][0]);
	}
	return 0;
}

/* Re-plan: the previous plan's runs that still hold go into the book
 * first.  A kept run the edit left too small is topped up with waiting
 * doctors whose nearest site it is, or dissolved; then waiting doctors
 * (new ones, or those the edit forced out) join kept runs at their nearest
 * site where there is room, before any new run is formed. */
static void seed_previous(struct st *S, const struct vd_prev *pv, vd_date freeze,
                          const unsigned char *exclude)
{
	struct vd_book *B = &S->b;
	struct vd_plan *pl = B->pl;
	struct vd_ixv shortv = { 0 };
	pl->replan_why = xcalloc(B->nd * B->nc + 1, 1);
	vd_replan_seed(B, pv, freeze, exclude, pl->replan_why, &shortv);
	S->protect = 1;
	int D[64];
	for (size_t k = 0; k < shortv.n; k++) {
		size_t r = shortv.v[k], c = pl->runs[r].course;
		vd_book_run_days_of(B, &pl->runs[r], D);
		for (size_t x = 0; x < B->nd && (int)pl->runs[r].nmembers < B->ci[c].minsz; x++) {
			size_t i = x * B->nc + c;
			if (B->need[i] == 1 && B->asg[i] == VD_NONE && S->home[i] == pl->runs[r].site &&
			    vd_book_room_for_one(B, &pl->runs[r], D) && vd_book_doctor_free(B, x, c, D) &&
			    vd_book_take(B, x, c, D, VD_CHECK))
				vd_book_join(B, r, x);
		}
		if ((int)pl->runs[r].nmembers >= B->ci[c].minsz)
			continue;
		/* Short by a few: a few doctors of bigger runs of the course at
		 * the same site move over, rather than the whole run dissolving. */
		if (B->ci[c].minsz - (int)pl->runs[r].nmembers <= 3 && top_up(S, r))
			continue;
		for (size_t m = 0; m < pl->runs[r].nmembers; m++) {
			size_t i = pl->runs[r].members[m] * B->nc + c;
			if (pl->replan_why[i] == VD_WHY_KEPT)
				pl->replan_why[i] = VD_WHY_SIZE;
		}
		vd_book_drop_run(B, r);
	}
	free(shortv.v);
	for (size_t c = 0; c < B->nc; c++)
		for (size_t x = 0; x < B->nd; x++) {
			size_t i = x * B->nc + c;
			if (B->need[i] == 1 && B->asg[i] == VD_NONE && S->home[i] != VD_NONE)
				insert_into_runs(S, x, c, VD_NONE, S->home[i], NULL);
		}
}

/* Runs dissolved while planning leave the plan; the book's run indexes
 * (asg, runs_at) are rebuilt. */
/* Does run hold pair (x, c) where the previous plan had it (prev run k)? */
static int at_prev(const struct st *S, const struct vd_prev *pv, size_t k, const struct vd_run *run)
{
	const struct vd_prev_run *pr = &pv->runs[k];
	unsigned days = S->b.ci[run->course].def->days;
	return pr->ndates && !strcmp(S->b.p->sites[run->site].id, pr->site) &&
	       run->dates[0] == pr->dates[0] && run->dates[days - 1] == pr->dates[pr->ndates - 1];
}

static size_t index_of(const struct vd_run *run, size_t x)
{
	size_t m = 0;
	while (run->members[m] != x)
		m++;
	return m;
}

/* x leaves its run (if any) and tries run `to`; on failure all is as it
 * was.  Returns 1 if x is in `to`. */
static int try_run(struct st *S, size_t x, size_t c, size_t to)
{
	struct vd_book *B = &S->b;
	size_t r = B->asg[x * B->nc + c], at = 0;
	int D[64];
	if (r != VD_NONE) {
		at = index_of(&B->pl->runs[r], x);
		vd_book_leave(B, r, x);
	}
	vd_book_run_days_of(B, &B->pl->runs[to], D);
	if (vd_book_room_for_one(B, &B->pl->runs[to], D) && vd_book_doctor_free(B, x, c, D) &&
	    vd_book_take(B, x, c, D, VD_CHECK)) {
		vd_book_join(B, to, x);
		return 1;
	}
	if (r != VD_NONE) {
		vd_book_join(B, r, x);
		put_back(&B->pl->runs[r], at);
	}
	return 0;
}

/* Re-plan: a pair that moved (or waits) goes back to a run held on its
 * previous site and dates -- the last resorts' chains can leave such a
 * place behind and end elsewhere: where there is room for it, or in
 * exchange with a member of that run whose own previous place is where x
 * is now (two doctors of one clinic, say, who swapped weeks).  A run left
 * keeps its minimum.  Repeats while someone returns (one return can make
 * room for the next). */
static void move_back(struct st *S, const struct vd_prev *pv)
{
	struct vd_book *B = &S->b;
	const struct vd_program *p = B->p;
	size_t *prev = xmalloc(B->nd * B->nc * sizeof *prev + 1);
	for (size_t i = 0; i < B->nd * B->nc; i++)
		prev[i] = VD_NONE;
	for (size_t m = 0; m < pv->nmembers; m++) {
		size_t x = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor);
		size_t c = vd_hmap_get(&p->course_ix, pv->members[m].course);
		if (x != VD_NONE && c != VD_NONE && pv->members[m].run != VD_NONE)
			prev[x * B->nc + c] = pv->members[m].run;
	}
	for (int pass = 0; pass < 4; pass++) {
		int back = 0;
		for (size_t i = 0; i < B->nd * B->nc; i++) {
			size_t x = i / B->nc, c = i % B->nc, k = prev[i], r = B->asg[i];
			if (k == VD_NONE || B->need[i] != 1)
				continue;
			size_t s = vd_hmap_get(&p->site_ix, pv->runs[k].site);
			if (s == VD_NONE)
				continue;
			if (r != VD_NONE && (at_prev(S, pv, k, &B->pl->runs[r]) || B->pl->runs[r].frozen))
				continue;
			const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
			for (size_t j = 0; j < ra->n; j++) {
				size_t to = ra->v[j];
				if (to == r || B->pl->runs[to].dead || !at_prev(S, pv, k, &B->pl->runs[to]))
					continue;
				if ((r == VD_NONE || (int)B->pl->runs[r].nmembers > B->ci[c].minsz) &&
				    try_run(S, x, c, to)) {
					back = 1;
					break;
				}
				/* an exchange: y in `to` was where x is now */
				int done = 0;
				for (size_t m = 0; r != VD_NONE && !done && m < B->pl->runs[to].nmembers; m++) {
					size_t y = B->pl->runs[to].members[m], ky = prev[y * B->nc + c];
					if (ky == VD_NONE || !at_prev(S, pv, ky, &B->pl->runs[r]) ||
					    kept_pair(S, y, c))
						continue;
					size_t aty = m, atx = index_of(&B->pl->runs[r], x);
					vd_book_leave(B, to, y);
					if (try_run(S, x, c, to)) {
						if (try_run(S, y, c, r)) {
							done = 1;
							break;
						}
						vd_book_leave(B, to, x);
						vd_book_join(B, r, x);
						put_back(&B->pl->runs[r], atx);
					}
					vd_book_join(B, to, y);
					put_back(&B->pl->runs[to], aty);
				}
				if (done) {
					back = 1;
					break;
				}
			}
		}
		if (!back)
			break;
	}
	free(prev);
}

static void drop_dead_runs(struct st *S)
{
	struct vd_book *B = &S->b;
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

struct pk { size_t i; unsigned days, rem; uint64_t key; };

/* The doctor with the most cover-days still to place first (so no doctor
 * is left with two courses at the end), then the longest course. */
static int cmp_pk(const void *a, const void *b)
{
	const struct pk *x = a, *y = b;
	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return (x->key > y->key) - (x->key < y->key);
}

/* x starts course c at site s on day t: joins a run that starts that
 * day, or opens one filled from the site's pool.  Returns 1 if placed. */
static int start_at(struct st *S, size_t x, size_t c, size_t s, int t)
{
	struct vd_book *B = &S->b;
	struct vd_ixv tmp = { 0 };
	vd_ixv_push(&tmp, x);
	fill_runs_at(S, c, s, t, &tmp);
	if (B->asg[x * B->nc + c] != VD_NONE) {
		free(tmp.v);
		return 1;
	}
	const struct vd_ixv *po = &S->pools[s * B->nc + c];
	for (size_t k = 0; k < po->n; k++)
		if (po->v[k] != x)
			vd_ixv_push(&tmp, po->v[k]);
	int ok = form_run_sized(S, c, s, t, &tmp, 0, B->ci[c].minsz) && B->asg[x * B->nc + c] != VD_NONE;
	free(tmp.v);
	return ok;
}

/* Bottleneck first.  A township whose cover is short for what its
 * clinics without a spare doctor need decides the finish, unless its
 * cover is in use on every teaching day from the first.  Before the
 * sweep, the pairs of the tightest townships that need cover are chained
 * through it: on each day cover is free one of them starts a run at its
 * home site, longest course first; the other seats of that run go to
 * whoever waits there, as the sweep would give them. */
static void pack_cover(struct st *S, double frac, int chain)
{
	struct vd_book *B = &S->b;
	const struct vd_program *p = B->p;
	size_t nt = p->ntownships, nc = B->nc;
	double *ratio = xcalloc(nt + 1, sizeof *ratio), maxr = 0;
	for (size_t i = 0; i < B->nd * nc; i++) {
		size_t x = i / nc, tw = p->clinics[p->doctors[x].clinic].township;
		if (B->need[i] == 1 && B->asg[i] == VD_NONE && S->home[i] != VD_NONE &&
		    needs_cover(p, x) && B->cover_cap[tw] > 0)
			ratio[tw] += (double)B->ci[i % nc].def->days / B->cover_cap[tw];
	}
	for (size_t tw = 0; tw < nt; tw++)
		maxr = ratio[tw] > maxr ? ratio[tw] : maxr;
	/* the waiting pairs that need cover, by township (one pass, not one
	 * per township: a nation has 34,000) */
	size_t *at = xcalloc(nt + 2, sizeof *at), *bucket;
	for (size_t i = 0; i < B->nd * nc; i++)
		if (B->need[i] == 1 && B->asg[i] == VD_NONE && S->home[i] != VD_NONE && needs_cover(p, i / nc))
			at[p->clinics[p->doctors[i / nc].clinic].township + 2]++;
	for (size_t tw = 2; tw < nt + 2; tw++)
		at[tw] += at[tw - 1];
	bucket = xmalloc((at[nt + 1] + 1) * sizeof *bucket);
	for (size_t i = 0; i < B->nd * nc; i++)
		if (B->need[i] == 1 && B->asg[i] == VD_NONE && S->home[i] != VD_NONE && needs_cover(p, i / nc))
			bucket[at[p->clinics[p->doctors[i / nc].clinic].township + 1]++] = i;
	struct pk *cand = NULL;
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
			cand[n++] = (struct pk){ i, B->ci[i % nc].def->days, 0, S->order[x] };
		}
		if (!n)
			continue;
		qsort(cand, n, sizeof *cand, cmp_pk);  /* by days: doctors' pairs follow by key */
		for (size_t k = 0; k < n; k++)
			for (size_t j = 0; j < n; j++)
				if (cand[j].i / nc == cand[k].i / nc)
					cand[k].rem += cand[j].days;
		qsort(cand, n, sizeof *cand, cmp_pk);
		int *used = &B->cover_used[T * (size_t)B->H];
		for (int t = B->t0; t < B->H; t++)
			while (used[t] < B->cover_cap[T]) {
				int placed = 0;
				for (size_t k = 0; k < n && !placed; k++) {
					size_t x = cand[k].i / nc, c = cand[k].i % nc;
					const int *D = vd_book_run_days(B, c, t);
					if (B->asg[cand[k].i] != VD_NONE || !D || !vd_book_doctor_free(B, x, c, D) ||
					    !vd_book_take(B, x, c, D, VD_CHECK))
						continue;
					placed = start_at(S, x, c, S->home[cand[k].i], t);
					/* else the nearest other site that can start one */
					size_t sites[NEAR];
					size_t ns = placed ? 0 : near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
					for (size_t j = 0; j < ns && !placed; j++)
						if (sites[j] != S->home[cand[k].i])
							placed = start_at(S, x, c, sites[j], t);
					if (placed) {
						for (size_t j = 0; j < n; j++)
							if (cand[j].i / nc == x)
								cand[j].rem -= cand[k].days;
						cand[k].rem = 0;
						qsort(cand, n, sizeof *cand, cmp_pk);
					}
				}
				if (!placed)
					break;
			}
	}
	free(cand);
	free(bucket);
	free(at);
	free(ratio);
}

static int any_tight(const struct vd_book *B)
{
	for (size_t t = 0; t < B->p->ntownships; t++)
		if (B->tight[t])
			return 1;
	return 0;
}

/* ---- improvement: the runs that end last, re-placed earlier ---- */

/* Seconds on the monotonic clock (the time limit's safety net only). */
static double vd_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}


static vd_date run_end(const struct st *S, const struct vd_run *r)
{
	return r->dates[S->b.ci[r->course].def->days - 1];
}

/* x joins the run of c that ends first before `before` at the sites near
 * its clinic (nearest first, at most `reach` of them).  Returns 1 if so. */
static double pair_km(const struct st *S, size_t x, size_t s);

static int join_nearer(struct st *S, size_t x, size_t c, vd_date before, double km);

static int join_before(struct st *S, size_t x, size_t c, vd_date before)
{
	return join_nearer(S, x, c, before, 1e300);
}

/* As join_before, at sites less than km away only. */
static int join_nearer(struct st *S, size_t x, size_t c, vd_date before, double km)
{
	const struct vd_program *p = S->b.p;
	size_t sites[NEAR];
	size_t ns = near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
	int D[64];
	for (size_t k = 0; k < ns && pair_km(S, x, sites[k]) < km - 1e-9; k++) {
		const struct vd_ixv *ra = &S->b.runs_at[sites[k] * S->b.nc + c];
		size_t best = VD_NONE;
		for (size_t j = 0; j < ra->n; j++) {
			struct vd_run *run = &S->b.pl->runs[ra->v[j]];
			if (run->dead || run_end(S, run) >= before ||
			    (best != VD_NONE && run->dates[0] >= S->b.pl->runs[best].dates[0]))
				continue;
			vd_book_run_days_of(&S->b, run, D);
			if (vd_book_room_for_one(&S->b, run, D) && vd_book_doctor_free(&S->b, x, c, D) &&
			    vd_book_take(&S->b, x, c, D, VD_CHECK))
				best = ra->v[j];
		}
		if (best != VD_NONE) {
			vd_book_join(&S->b, best, x);
			return 1;
		}
	}
	return 0;
}

/* Run r re-created as it was (after a failed relocation). */
static void restore_run(struct st *S, const struct vd_run *was, const size_t *m, size_t n)
{
	int D[64];
	vd_book_run_days_of(&S->b, was, D);
	size_t r = vd_book_new_run(&S->b, was->course, was->site, was->instructor, D);
	struct vd_run *run = &S->b.pl->runs[r];
	run->kept = was->kept;
	memcpy(run->cohort, was->cohort, sizeof run->cohort);
	vd_book_site(&S->b, was->course, was->site, was->instructor, D, 0, VD_TAKE);
	/* as they were: not checked again under the rules of this pass */
	for (size_t i = 0; i < n; i++) {
		vd_book_one(&S->b, &S->b.pl->runs[r], D, VD_TAKE);
		vd_book_take_anyway(&S->b, m[i], was->course, D);
		vd_book_add_member(&S->b, r, m[i]);
	}
}

/* Moves every member of run r into runs that end before it does: runs
 * with room, else new runs formed earlier from those left.  All or
 * nothing: returns 1 if run r is gone, else the book is as it was. */
static double pair_km(const struct st *S, size_t x, size_t s)
{
	const struct vd_program *p = S->b.p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	return vd_km(cl->lat, cl->lon, p->sites[s].lat, p->sites[s].lon);
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
static void undo_relocate(struct st *S, struct rlog *lg)
{
	struct vd_book *B = &S->b;
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
	restore_run(S, &lg->was, lg->m, lg->n);
}

/* x takes the place of y in a run of c that ends before `before`, and y
 * moves to another such run with room: for the finish, one ejection when
 * no earlier run has room for x itself.  j gets (run, x, y, y's run). */
static int displace_before(struct st *S, size_t x, size_t c, vd_date before, size_t *j)
{
	struct vd_book *B = &S->b;
	const struct vd_program *p = B->p;
	const unsigned char *why = B->pl->replan_why;
	size_t sites[NEAR];
	size_t ns = near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
	unsigned budget = 4000;
	int D[64];
	for (size_t a = 0; a < ns && budget; a++) {
		const struct vd_ixv *ra = &B->runs_at[sites[a] * B->nc + c];
		for (size_t k = 0; k < ra->n && budget; k++) {
			size_t r = ra->v[k];
			struct vd_run *run = &B->pl->runs[r];
			if (run->dead || run->frozen || run_end(S, run) >= before)
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
					if (join_before(S, y, c, before)) {
						j[0] = r;
						j[1] = x;
						j[2] = y;
						j[3] = B->asg[y * B->nc + c];
						return 1;
					}
					vd_book_leave(B, r, x);
				}
				vd_book_join(B, r, y);
				put_back(&B->pl->runs[r], m);
			}
		}
	}
	return 0;
}

static int relocate(struct st *S, size_t r, double *budget, struct rlog *lg)
{
	struct vd_book *B = &S->b;
	const struct vd_program *p = B->p;
	struct vd_run was = B->pl->runs[r];
	size_t c = was.course, n = was.nmembers, nj = 0, nleft = 0;
	vd_date end = run_end(S, &was);
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
		if (join_before(S, m[i], c, end)) {
			joined[nj][0] = B->asg[m[i] * B->nc + c];
			joined[nj][1] = m[i];
			joined[nj][2] = joined[nj][3] = VD_NONE;
			nj++;
		} else if (S->eject && displace_before(S, m[i], c, end, joined[nj])) {
			size_t y = joined[nj][2];
			yextra += pair_km(S, y, B->pl->runs[joined[nj][3]].site) -
			          pair_km(S, y, B->pl->runs[joined[nj][0]].site);
			nj++;
		} else {
			left[nleft++] = m[i];
		}
	}
	/* those left: a run of their own, earlier, here or at a site near them */
	if (nleft) {
		size_t sites[NEAR + 1], ns = 1;
		sites[0] = was.site;
		size_t more[NEAR];
		size_t nm = near_sites(S, &p->clinics[p->doctors[left[0]].clinic], c, more);
		for (size_t k = 0; k < nm; k++)
			if (more[k] != was.site)
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
					while (form_run(S, c, sites[k], t, &po, 0))
						;
		}
		size_t w = 0;
		for (size_t i = 0; i < po.n; i++)
			if (B->asg[po.v[i] * B->nc + c] == VD_NONE)
				po.v[w++] = po.v[i];
		nleft = w;
		free(po.v);
	}
	double extra = yextra;
	for (size_t i = 0; i < n && !nleft; i++)
		extra += pair_km(S, m[i], B->pl->runs[B->asg[m[i] * B->nc + c]].site) - pair_km(S, m[i], was.site);
	if (!nleft && extra > *budget)
		nleft = 1;
	*lg = (struct rlog){ was, m, n, joined, nj, nrun0, B->pl->nruns, extra };
	free(left);
	if (nleft) {
		undo_relocate(S, lg);
		rlog_free(lg);
		return 0;
	}
	*budget -= extra;
	return 1;
}

/* Travel back: a doctor sent past a nearer site (to spread the load, or
 * by a relocation) returns to a run there with room that ends by the last
 * day, if the run left keeps its minimum.  The finish does not move. */
static int travel_back(struct st *S)
{
	int n = 0;
	struct vd_book *B = &S->b;
	struct vd_plan *pl = B->pl;
	const unsigned char *why = pl->replan_why;
	vd_date last = 0;
	for (size_t r = 0; r < pl->nruns; r++)
		if (!pl->runs[r].dead && pl->runs[r].nmembers && run_end(S, &pl->runs[r]) > last)
			last = run_end(S, &pl->runs[r]);
	for (size_t i = 0; i < B->nd * B->nc; i++) {
		size_t r = B->asg[i], x = i / B->nc, c = i % B->nc;
		if (r == VD_NONE || S->nearest[i] == VD_NONE || pl->runs[r].site == S->nearest[i] ||
		    pl->runs[r].frozen || (int)pl->runs[r].nmembers <= B->ci[c].minsz ||
		    (why && why[i] == VD_WHY_KEPT))
			continue;
		double km = pair_km(S, x, pl->runs[r].site);
		vd_book_leave(B, r, x);
		if (!join_nearer(S, x, c, last + 1, km))
			vd_book_join(B, r, x);
		else
			n++;
	}
	return n;
}

/* Local search on the finish: while every run that ends on the last day
 * can be re-placed to end earlier, the last day moves in.  Runs that a
 * re-plan keeps, or began before the freeze, never move.  The work is
 * bounded by the number of runs (the same on every machine) and by the
 * clock (time_limit) as a safety net. */
/* Two doctors of one course trade runs where each is nearer the other's
 * site: the runs keep their sizes, dates and seats, so only the two
 * doctors' own days (and their clinics' cover) are checked.  Each doctor
 * sent past their nearest site looks at the runs of the sites nearer
 * than where they are.  A re-plan does not trade: it would move two pairs
 * to save some travel. */
static int swap_sites(struct st *S)
{
	int traded = 0;
	struct vd_book *B = &S->b;
	struct vd_plan *pl = B->pl;
	const struct vd_program *p = B->p;
	if (B->ns < 2 || pl->replan_why)
		return 0;
	size_t budget = 2000000;  /* candidate pairs looked at: bounded work */
	int Da[64], Db[64];
	for (size_t i = 0; i < B->nd * B->nc && budget; i++) {
		size_t ra = B->asg[i], x = i / B->nc, c = i % B->nc;
		if (ra == VD_NONE || S->nearest[i] == VD_NONE || pl->runs[ra].site == S->nearest[i] ||
		    pl->runs[ra].frozen)
			continue;
		size_t sa = pl->runs[ra].site, sites[NEAR];
		double kxa = pair_km(S, x, sa);
		size_t n = near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
		int done = 0;
		for (size_t k = 0; k < n && !done && sites[k] != sa; k++) {
			double kxb = pair_km(S, x, sites[k]);
			if (kxb >= kxa)
				break;
			const struct vd_ixv *rv = &B->runs_at[sites[k] * B->nc + c];
			for (size_t j = 0; j < rv->n && !done && budget; j++) {
				size_t rb = rv->v[j];
				if (pl->runs[rb].dead || pl->runs[rb].frozen)
					continue;
				for (size_t m = 0; m < pl->runs[rb].nmembers && budget; m++, budget--) {
					size_t y = pl->runs[rb].members[m];
					if (pair_km(S, y, sa) + kxb + 1e-6 >= pair_km(S, y, sites[k]) + kxa)
						continue;
					size_t atx = index_of(&pl->runs[ra], x);
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
					put_back(&pl->runs[rb], m);
					vd_book_join(B, ra, x);
					put_back(&pl->runs[ra], atx);
				}
			}
		}
	}
	return traded;
}

static int improve(struct st *S, double deadline)
{
	int gained = 0;
	struct vd_book *B = &S->b;
	struct vd_plan *pl = B->pl;
	const unsigned char *why = pl->replan_why;
	/* travel the search may add: what is left of the budget over the
	 * nearest-site bound */
	double budget = 0;
	for (size_t i = 0; i < B->nd * B->nc; i++) {
		size_t r = B->asg[i], h = S->nearest[i];
		if (r == VD_NONE || h == VD_NONE)
			continue;
		budget += (1 + B->p->travel_budget) * pair_km(S, i / B->nc, h) - pair_km(S, i / B->nc, pl->runs[r].site);
	}
	for (size_t iter = 0; iter < pl->nruns + 16; iter++) {
		vd_date last = 0;
		for (size_t r = 0; r < pl->nruns; r++)
			if (!pl->runs[r].dead && pl->runs[r].nmembers && run_end(S, &pl->runs[r]) > last)
				last = run_end(S, &pl->runs[r]);
		/* all runs on the last day move, or none: moving some without
		 * moving the finish would only crowd the earlier runs */
		int all = 1;
		size_t nr = pl->nruns, nlg = 0;
		struct rlog *lg = NULL;
		size_t lgcap = 0;
		for (size_t r = 0; r < nr && all; r++) {
			struct vd_run *run = &pl->runs[r];
			if (run->dead || !run->nmembers || run_end(S, run) != last)
				continue;
			int fixed = run->frozen;
			for (size_t k = 0; k < run->nmembers && why && !fixed; k++)
				fixed = why[run->members[k] * B->nc + run->course] == VD_WHY_KEPT;
			xgrow(&lg, &lgcap, nlg + 1, sizeof *lg);
			if (fixed || !relocate(S, r, &budget, &lg[nlg]))
				all = 0;
			else
				nlg++;
		}
		if (!all)
			while (nlg--) {
				budget += lg[nlg].extra;
				undo_relocate(S, &lg[nlg]);
				rlog_free(&lg[nlg]);
			}
		else
			for (size_t k = 0; k < nlg; k++)
				rlog_free(&lg[k]);
		free(lg);
		if (!all || !nlg)
			break;
		gained++;
		if (deadline > 0 && vd_clock() > deadline) {
			pl->time_cut = 1;
			break;
		}
	}
	return gained;
}

/* One construction.  `variant` changes how: 0 keeps townships together
 * at their nearest sites; odd variants first move some doctors off
 * overloaded sites; variants with bit 1 set offer places first to doctors
 * whose clinics need township cover; with bit 2 the order of townships is
 * also shuffled and clinics with a doctor to spare may use cover; with
 * bit 3 the busiest course runs back to back first; bit 4 skips the cover
 * chains (pack_cover), whose rigidity can leave a late doctor no run;
 * bits 5-7 pick how far odd variants balance (balance_homes' fill). */
static void build(const struct vd_program *p, unsigned variant, const struct vd_plan_opts *o,
                  const unsigned char *exclude, struct vd_plan *pl)
{
	struct st S0 = { 0 }, *S = &S0;
	size_t ucap = 0;
	vd_plan_init(pl);
	S->progress = o && o->progress;
	S->hold = o ? o->hold : 0;
	S->budget = o && o->budget > 0 ? o->budget : p->travel_budget;
	vd_book_init(&S->b, p, pl);
	/* ejections in improve: on a city they cost more than a second of
	 * planning and gained nothing in the bench */
	S->eject = S->b.nd * S->b.nc <= 2500;
	S->home = xmalloc(S->b.nd * S->b.nc * sizeof *S->home + 1);
	S->nearest = xmalloc(S->b.nd * S->b.nc * sizeof *S->nearest + 1);
	S->pools = xcalloc(S->b.ns * S->b.nc + 1, sizeof *S->pools);
	S->order = xmalloc(S->b.nd * sizeof *S->order + 1);

	/* Order: township (keeps townships together in cohorts), clinic (so a
	 * clinic's doctors fall into different runs), then a seeded shuffle
	 * within the clinic.  (Putting doctors who need cover first was tried:
	 * 3 days earlier on Tianyang but 1.2 points more travel.) */
	for (size_t x = 0; x < S->b.nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		uint64_t tw = cl->township, k = d->clinic;
		uint64_t first = (variant & 2) && (int)cl->ndoctors - 1 < cl->min_on_duty ? 0 : 1;
		if (variant & 4)
			tw = mix((p->seed + (variant & 31)) * 0x9e3779b97f4a7c15ULL + tw) & 0x3ffff;
		S->order[x] = (first << 62) | ((tw & 0x3ffff) << 44) | ((k & 0xffffff) << 20) |
		              (mix(p->seed * 0x9e3779b97f4a7c15ULL + x) & 0xfffff);
	}

	/* Home sites: the nearest usable site per clinic and course.  Nearest
	 * by the dot product of unit vectors, which orders sites exactly as
	 * great-circle distance does, at a fraction of the cost. */
	S->sxyz = xmalloc((S->b.ns + 1) * sizeof *S->sxyz);
	for (size_t s = 0; s < S->b.ns; s++)
		unit(p->sites[s].lat, p->sites[s].lon, S->sxyz[s]);
	size_t *chome = xmalloc((p->nclinics * S->b.nc + 1) * sizeof *chome);
	/* Sites by latitude: a site d radians of latitude away is at least d
	 * radians away on the sphere, so each clinic scans outwards from its
	 * own latitude and stops once the band is wider than its best find. */
	size_t *bylat = S->bylat = xmalloc((S->b.ns + 1) * sizeof *bylat);
	for (size_t s2 = 0; s2 < S->b.ns; s2++)
		bylat[s2] = s2;
	if (S->b.ns)
		qsort_r(bylat, S->b.ns, sizeof *bylat, cmp_lat, (void *)p);
	S->near_memo = xmalloc((p->nclinics * S->b.nc * NEAR + 1) * sizeof *S->near_memo);
	S->near_n = xmalloc(p->nclinics * S->b.nc + 1);
	memset(S->near_n, 0xff, p->nclinics * S->b.nc + 1);
	for (size_t k = 0; k < p->nclinics; k++)
		nearest_sites_of(S, bylat, &p->clinics[k], &chome[k * S->b.nc]);
	/* Requirements are the book's; the home site is the nearest usable one. */
	for (size_t i = 0; i < S->b.nd * S->b.nc; i++)
		S->home[i] = S->b.need[i] == 1
		             ? chome[p->doctors[i / S->b.nc].clinic * S->b.nc + i % S->b.nc] : VD_NONE;
	free(chome);

	/* The course whose sites are busiest relative to its demand is served
	 * first each day: it is the one that decides the finish. */
	S->load = xcalloc(S->b.nc + 1, sizeof *S->load);
	S->corder = xmalloc((S->b.nc + 1) * sizeof *S->corder);
	for (size_t c = 0; c < S->b.nc; c++) {
		double need = 0, perday = 0;
		for (size_t x = 0; x < S->b.nd; x++)
			need += S->b.need[x * S->b.nc + c] == 1;
		for (size_t s = 0; s < S->b.ns; s++)
			if (S->b.ci[c].usable[s])
				perday += vd_book_run_capacity(&S->b, c, s, VD_ONE_RUN);
		S->load[c] = perday > 0 ? need * S->b.ci[c].def->days / perday : 0;
		S->corder[c] = c;
	}
	for (size_t i = 1; i < S->b.nc; i++)  /* insertion sort: few courses */
		for (size_t j = i; j > 0 && S->load[S->corder[j]] > S->load[S->corder[j - 1]]; j--) {
			size_t tmp = S->corder[j];
			S->corder[j] = S->corder[j - 1];
			S->corder[j - 1] = tmp;
		}

	memcpy(S->nearest, S->home, S->b.nd * S->b.nc * sizeof *S->nearest);
	if (variant & 1) {
		static const double fill[8] = { 0, 0.90, 0.95, 1.00, 1.05, 0, 0, 0 };
		balance_homes(S, fill[(variant >> 5) & 7], (variant >> 8) & 1);
	} else if ((variant >> 9) & 1 && o && o->lp_home) {
		/* the sites the bound's prices choose, where the course can run */
		const size_t *lh = o->lp_home + ((variant >> 10) & 1) * S->b.nd * S->b.nc;
		for (size_t i = 0; i < S->b.nd * S->b.nc; i++) {
			size_t h = lh[i];
			if (S->home[i] != VD_NONE && h != VD_NONE &&
			    vd_book_run_capacity(&S->b, i % S->b.nc, h, VD_ALL_RUNS) > 0)
				S->home[i] = h;
		}
	}

	if (o && o->prev)
		seed_previous(S, o->prev, o->freeze, exclude);

	/* Township cover goes first to the clinics that cannot spare a
	 * doctor: in passes 1 and 2 a clinic with a doctor to spare sends its
	 * doctors one at a time (variants 0-3; the others let it use cover
	 * when it has some, which wins where cover is plentiful). */
	S->b.spare_first = !(variant & 4);
	/* Pass 1: each doctor at the nearest suitable site. */
	for (size_t x = 0; x < S->b.nd; x++)
		for (size_t c = 0; c < S->b.nc; c++) {
			size_t i = x * S->b.nc + c;
			if (S->b.need[i] == 1 && S->home[i] != VD_NONE)
				vd_ixv_push(&S->pools[S->home[i] * S->b.nc + c], x);
		}
	sort_pools(S);
	/* The bottleneck first: the tightest townships' cover chained from
	 * the first day (never used by a clinic that can spare a doctor), and
	 * in variants with bit 3 the busiest course's runs back to back
	 * before any other course takes seats or doctors' days. */
	/* (On a re-plan the tightest townships are marked but not chained:
	 * the few pairs left to place take whatever cover is free, and moving
	 * nobody comes before finishing early.) */
	if (!(variant & 16)) {
		int sf = S->b.spare_first;
		S->b.spare_first = 1;
		pack_cover(S, 0.9, !(o && o->prev));
		S->b.spare_first = sf;
	}
	if (variant & 8)
		sweep_only(S, 0, S->corder[0]);
	sweep(S, 0);

	/* Pass 2: whoever is left stays at the nearest site if at all possible:
	 * a run there with room, or a new run there filled to the minimum by
	 * doctors moving over from its bigger runs. */
	for (size_t c = 0; c < S->b.nc; c++)
		for (size_t x = 0; x < S->b.nd; x++) {
			size_t i = x * S->b.nc + c;
			if (S->b.need[i] == 1 && S->b.asg[i] == VD_NONE && S->home[i] != VD_NONE)
				insert_into_runs(S, x, c, VD_NONE, S->home[i], NULL);
		}
	leftovers(S, 1);

	S->b.spare_first = 0;
	/* Pass 3: then any suitable site, nearest first: a run with room, new
	 * runs from what is left, one ejection to free township cover, and new
	 * runs filled by movers. */
	for (size_t i = 0; i < S->b.ns * S->b.nc; i++)
		S->pools[i].n = 0;
	for (size_t c = 0; c < S->b.nc; c++)
		for (size_t x = 0; x < S->b.nd; x++) {
			size_t i = x * S->b.nc + c;
			if (S->b.need[i] != 1 || S->b.asg[i] != VD_NONE || S->home[i] == VD_NONE)
				continue;
			if (insert_into_runs(S, x, c, VD_NONE, VD_NONE, NULL))
				continue;
			size_t sites[NEAR];
			size_t n = near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
			for (size_t k = 0; k < n; k++)
				vd_ixv_push(&S->pools[sites[k] * S->b.nc + c], x);
		}
	sort_pools(S);
	sweep(S, 1);
	/* Last resorts move doctors already placed; on a re-plan first only
	 * those not kept from the previous plan, then, for whoever is still
	 * waiting, anyone. */
	for (int round = 0; round < 2; round++) {
		size_t waiting = 0;
		for (size_t c = 0; c < S->b.nc; c++)
			for (size_t x = 0; x < S->b.nd; x++) {
				size_t i = x * S->b.nc + c;
				if (S->b.need[i] == 1 && S->b.asg[i] == VD_NONE &&
				    !insert_into_runs(S, x, c, VD_NONE, VD_NONE, NULL) && !repair(S, x, c))
					displace(S, x, c);
			}
		leftovers(S, 0);
		for (size_t i = 0; i < S->b.nd * S->b.nc; i++)
			waiting += S->b.need[i] == 1 && S->b.asg[i] == VD_NONE;
		if ((!S->protect && !any_tight(&S->b)) || !waiting)
			break;
		S->protect = 0;
		memset(S->b.tight, 0, S->b.p->ntownships);
	}

	/* travel given back (returns to nearer sites, trades) may buy another
	 * day: again while something changes, up to 8 times on a county (on a
	 * city that would triple the planning time for 0.4% of travel) */
	int rounds = S->b.nd * S->b.nc <= 2500 ? 8 : 2;
	for (int k = 0; k < rounds; k++) {
		int gained = improve(S, o ? o->deadline : 0);
		int back = travel_back(S), traded = swap_sites(S);
		if (!gained && !back && !traded)
			break;
	}
	if (o && o->prev)
		move_back(S, o->prev);
	drop_dead_runs(S);
	bounds(S);
	name_cohorts(S, o && o->prev ? o->prev->next_cohort : 1);
	if (o && o->prev && pl->next_cohort < o->prev->next_cohort)
		pl->next_cohort = o->prev->next_cohort;
	vd_book_cover_rows(&S->b);
	/* asg indexes are stale after sorting runs; rebuild from members. */
	for (size_t i = 0; i < S->b.nd * S->b.nc; i++)
		S->b.asg[i] = VD_NONE;
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++)
			S->b.asg[pl->runs[r].members[m] * S->b.nc + pl->runs[r].course] = r;
	for (size_t x = 0; x < S->b.nd; x++)
		for (size_t c = 0; c < S->b.nc; c++) {
			size_t i = x * S->b.nc + c;
			if (!S->b.need[i] || S->b.asg[i] != VD_NONE)
				continue;
			char *why;
			if (S->b.need[i] == 2) {
				const struct vds_course *def = S->b.ci[c].def;
				const char *q = "";
				for (size_t k = 0; k < def->nprereqs; k++)
					if (vd_hmap_get(&p->course_ix, def->prereqs[k]) == VD_NONE &&
					    !vd_doctor_completed(&p->doctors[x], def->prereqs[k]))
						q = def->prereqs[k];
				why = xasprintf(_("needs course %s first, which this program does not offer and the doctor has not completed"), q);
			} else {
				why = explain(S, x, c);
			}
			add_unsched(pl, &ucap, x, c, why);
		}
	if (o && o->prev)
		pl->moved = vd_replan_moved(&S->b, o->prev);
	st_free(S);
}

/* Is plan a better than plan b?  Everyone placed first, then the finish,
 * then travel (the order of the soft goals) -- but a plan whose
 * travel is more than [program] travel_budget over the nearest-site bound
 * loses to one within it: finishing a day earlier is not worth sending
 * doctors far; of two plans over it, the one with less travel wins. */
static int better(const struct vd_program *p, const struct vd_plan *a, const struct vd_plan *b)
{
	if (a->nunsched != b->nunsched)
		return a->nunsched < b->nunsched;
	if (a->moved != b->moved)  /* re-plan: minimal change first */
		return a->moved < b->moved;
	double lim = 1 + p->travel_budget;
	int na = a->travel_km <= lim * a->travel_bound_km + 1e-6;
	int nb = b->travel_km <= lim * b->travel_bound_km + 1e-6;
	if (na != nb)
		return na;
	/* both over it: placing everyone needs the travel; the least of it */
	if (!na && fabs(a->travel_km - b->travel_km) > 1e-6)
		return a->travel_km < b->travel_km;
	if (a->last_day != b->last_day)
		return a->last_day < b->last_day;
	return a->travel_km < b->travel_km - 1e-6;
}

/* pl becomes alt if alt is better; the other one is freed. */
static void keep_better(const struct vd_program *p, struct vd_plan *pl, struct vd_plan *alt)
{
	if (better(p, alt, pl)) {
		vd_plan_free(pl);
		*pl = *alt;
	} else {
		vd_plan_free(alt);
	}
}

static void best_of(const struct vd_program *p, unsigned tries, const struct vd_plan_opts *o,
                    const unsigned char *exclude, struct vd_plan *pl)
{
	build(p, 0, o, exclude, pl);
	/* A re-plan that moves nobody and places everyone cannot be beaten on
	 * what comes first (moves); the other constructions would only cost
	 * time. */
	if (o && o->prev && !pl->moved && !pl->nunsched)
		return;
	/* variants by how much they tend to help, so that a few tries get the
	 * most useful ones */
	/* The first 16 balance as far as the budget goes; the next 8 (small
	 * programs) stop where the township cover binds anyway (bits 5-7:
	 * balance_homes' fill), the last 4 rank moves per trainee-day (bit 8). */
	static const unsigned order[28] = {
		0, 1, 8, 9, 16, 17, 2, 3, 10, 11, 24, 25, 4, 5, 12, 13,
		1 | 1 << 5, 9 | 2 << 5, 17 | 3 << 5, 3 | 4 << 5, 11 | 1 << 5, 25 | 2 << 5, 5 | 3 << 5, 13 | 4 << 5,
		1 | 1 << 8, 9 | 1 << 8, 17 | 1 << 8, 3 | 1 << 8 };
	for (unsigned k = 1; k < tries; k++) {
		struct vd_plan alt;
		if (o && o->deadline > 0 && vd_clock() > o->deadline) {
			pl->time_cut = 1;
			break;
		}
		unsigned v = k < 28 ? order[k] : k;
		build(p, v, o, exclude, &alt);
		keep_better(p, pl, &alt);
	}
	/* Three constructions from the sites the bound's prices choose: two
	 * for the day the budget allows, one for the day half of it allows
	 * (bit 10; else a larger budget could end later: a province at 25%). */
	static const unsigned lpv[3] = { 1u << 9, 8u | 1u << 9, 1u << 9 | 1u << 10 };
	for (unsigned k = 0; o && o->lp_home && !o->prev && tries > 1 && k < 3; k++) {
		struct vd_plan alt;
		build(p, lpv[k], o, exclude, &alt);
		keep_better(p, pl, &alt);
	}
	/* Balancing spends what the budget allows; a fifth or half of it may
	 * end on the same day with less travel (a county: 1.042 -> 1.008). */
	if (o && !o->prev && tries >= 24 && p->travel_budget > 0.02) {
		struct vd_plan_opts bo = *o;
		for (unsigned k = 0; k < 4; k++) {
			struct vd_plan alt;
			bo.budget = (k < 2 ? 0.2 : 0.5) * p->travel_budget;
			build(p, k & 1 ? 9u : 1u, &bo, exclude, &alt);
			keep_better(p, pl, &alt);
		}
	}
	double lim = 1 + p->travel_budget;
	/* No construction kept to the budget: placing everyone costs more
	 * travel.  Then two balancing constructions once more, with a
	 * quarter, half and all of the travel the best one spent over the
	 * nearest-site bound: sending doctors to other sites by plan costs
	 * less than the last passes' any site with room. */
	if (o && !o->prev && tries > 2 && pl->travel_bound_km > 0 &&
	    pl->travel_km > lim * pl->travel_bound_km + 1e-6) {
		struct vd_plan_opts bo = *o;
		double over = pl->travel_km / pl->travel_bound_km - 1;
		static const unsigned bal[6] = { 1, 9, 1, 9, 1, 9 };
		for (unsigned k = 0; k < 6; k++) {
			struct vd_plan alt;
			bo.budget = over / (double)(4 >> (k / 2));  /* a quarter, half, all of it */
			if (bo.deadline > 0 && vd_clock() > bo.deadline) {
				pl->time_cut = 1;
				break;
			}
			build(p, bal[k], &bo, exclude, &alt);
			keep_better(p, pl, &alt);
		}
	}
}

/* A re-plan must schedule every pair a fresh plan schedules.  When keeping
 * the previous runs leaves pairs out that a fresh plan places, one doctor
 * in the way of each such pair on the days of its run in the fresh plan
 * is let go of their kept place: a doctor of the same clinic, else one of a
 * clinic of the same township that needs its cover, else one of a run of
 * the same course at that site, else one of any run there (seats) -- from
 * the biggest run, which can spare one -- and the re-plan is built again,
 * for a few rounds; if that is not enough, the whole run of that doctor is
 * given up, for a few more, and then the runs of that site on any date.
 * A pair on township cover lets its township's whole cover chain go at
 * once (every kept pair on that township's cover). */
static void relax(const struct vd_program *p, unsigned tries, const struct vd_plan_opts *o,
                  struct vd_plan *pl)
{
	const struct vd_prev *pv = o->prev;
	struct vd_plan_opts fo = *o;
	struct vd_plan fresh;
	fo.prev = NULL;
	fo.freeze = 0;
	best_of(p, tries, &fo, NULL, &fresh);
	if (pl->nunsched <= fresh.nunsched) {
		vd_plan_free(&fresh);
		return;
	}
	size_t nc = p->ncourses, nr = pv->nruns;
	unsigned char *ex = xcalloc(pv->nmembers + 1, 1);
	/* previous members by run */
	size_t *at = xcalloc(nr + 2, sizeof *at), *mem = xmalloc((pv->nmembers + 1) * sizeof *mem);
	for (size_t m = 0; m < pv->nmembers; m++)
		if (pv->members[m].run != VD_NONE)
			at[pv->members[m].run + 2]++;
	for (size_t r = 2; r < nr + 2; r++)
		at[r] += at[r - 1];
	for (size_t m = 0; m < pv->nmembers; m++)
		if (pv->members[m].run != VD_NONE)
			mem[at[pv->members[m].run + 1]++] = m;
	size_t *fasg = xmalloc(p->ndoctors * nc * sizeof *fasg + 1);
	for (size_t i = 0; i < p->ndoctors * nc; i++)
		fasg[i] = VD_NONE;
	for (size_t r = 0; r < fresh.nruns; r++)
		for (size_t m = 0; m < fresh.runs[r].nmembers; m++)
			fasg[fresh.runs[r].members[m] * nc + fresh.runs[r].course] = r;
	unsigned char *chain_done = xcalloc(p->ntownships + 1, 1);
	/* each round builds the re-plan again: few tries on big programs */
	unsigned rtries = p->ndoctors * p->ncourses > 2000 && tries > 2 ? 2 : tries;
	/* Stages: 0 lets one doctor go per waiting pair, on the dates of its
	 * run in the fresh plan; 1 the whole run of that doctor; 2 one doctor
	 * of that site on any date; 3 a whole run there, two runs a round.  A
	 * stage lasts while its rounds place more pairs (four rounds without
	 * are enough); up to 48 rounds on a city (a round costs about a tenth
	 * of a second there), 24 beyond. */
	int stage = 0, stuck = 0;
	int maxround = p->ndoctors * p->ncourses <= 10000 ? 48 : 24;
	for (int round = 0; round < maxround && stage < 4 && pl->nunsched > fresh.nunsched; round++) {
		int whole = stage & 1, wide = stage >= 2;
		size_t nex = 0, nruns_let = 0;
		for (size_t u = 0; u < pl->nunsched; u++) {
			size_t x = pl->unsched[u].doctor, c = pl->unsched[u].course;
			size_t fr = fasg[x * nc + c], best = VD_NONE, bestn = 0;
			int bestcl = 4;
			if (fr == VD_NONE)
				continue;
			const struct vd_run *f = &fresh.runs[fr];
			const struct vd_clinic *cx = &p->clinics[p->doctors[x].clinic];
			vd_date a = f->dates[0], b = f->dates[p->courses[c].def->days - 1];
			/* A pair on township cover waits because the township's
			 * cover chain is full: the chain is planned again (every
			 * kept pair on that township's cover lets go), not the
			 * doctors around it one by one. */
			if (needs_cover(p, x) && !chain_done[cx->township]) {
				chain_done[cx->township] = 1;
				for (size_t m = 0; m < pv->nmembers; m++) {
					size_t y = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor), k = pv->members[m].run;
					if (ex[m] || y == VD_NONE || !needs_cover(p, y) ||
					    p->clinics[p->doctors[y].clinic].township != cx->township ||
					    (o->freeze && k != VD_NONE && pv->runs[k].ndates && pv->runs[k].dates[0] < o->freeze))
						continue;
					ex[m] = 1;
					nex++;
				}
				continue;
			}
			for (size_t k = 0; k < nr; k++) {
				const struct vd_prev_run *pr = &pv->runs[k];
				if (!pr->ndates || (!wide && (pr->dates[pr->ndates - 1] < a || pr->dates[0] > b)) ||
				    (wide && strcmp(pr->site, p->sites[f->site].id)) ||
				    (o->freeze && pr->dates[0] < o->freeze))
					continue;
				int here = !strcmp(pr->site, p->sites[f->site].id);
				int same = here && !strcmp(pr->course, p->courses[c].name);
				size_t n = at[k + 1] - at[k];
				for (size_t j = at[k]; j < at[k + 1]; j++) {
					size_t m = mem[j];
					size_t y = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor);
					if (ex[m] || y == VD_NONE || y == x)
						continue;
					const struct vd_clinic *cy = &p->clinics[p->doctors[y].clinic];
					int cl = p->doctors[y].clinic == p->doctors[x].clinic ? 0
					       : cy->township == cx->township && (int)cy->ndoctors - 1 < cy->min_on_duty ? 1
					       : same ? 2 : here ? 3 : 4;
					if (cl < bestcl || (cl == bestcl && n > bestn)) {
						best = m;
						bestcl = cl;
						bestn = n;
					}
				}
			}
			if (best != VD_NONE && whole && wide && nruns_let >= 2)
				continue;  /* site-wide: a couple of runs a round, not all at once */
			if (best != VD_NONE && whole) {
				size_t k = pv->members[best].run;
				nruns_let++;
				for (size_t j = at[k]; j < at[k + 1]; j++)
					if (!ex[mem[j]]) {
						ex[mem[j]] = 1;
						nex++;
					}
			} else if (best != VD_NONE && !ex[best]) {
				ex[best] = 1;
				nex++;
			}
		}
		if (!nex) {
			stage++;  /* nobody left to let go at this stage */
			stuck = 0;
			continue;
		}
		struct vd_plan alt;
		best_of(p, rtries, o, ex, &alt);
		int gain = alt.nunsched < pl->nunsched;
		if (gain || (alt.nunsched == pl->nunsched && alt.moved < pl->moved)) {
			vd_plan_free(pl);
			*pl = alt;
		} else {
			vd_plan_free(&alt);
		}
		stuck = gain ? 0 : stuck + 1;
		if (stuck >= 4) {
			stage++;
			stuck = 0;
		}
	}
	/* Still short of the fresh plan: placing everyone comes before moving
	 * nobody, so only the frozen past is kept. */
	if (pl->nunsched > fresh.nunsched) {
		for (size_t m = 0; m < pv->nmembers; m++) {
			size_t k = pv->members[m].run;
			ex[m] = !(o->freeze && k != VD_NONE && pv->runs[k].ndates && pv->runs[k].dates[0] < o->freeze);
		}
		struct vd_plan alt;
		best_of(p, tries, o, ex, &alt);
		if (alt.nunsched < pl->nunsched) {
			vd_plan_free(pl);
			*pl = alt;
		} else {
			vd_plan_free(&alt);
		}
	}
	free(chain_done);
	free(fasg);
	free(mem);
	free(at);
	free(ex);
	vd_plan_free(&fresh);
}

int vd_plan_build(const struct vd_program *p, const struct vd_plan_opts *o,
                  struct vd_plan *pl, struct vd_diag *dg)
{
	(void)dg;
	/* A few constructions with different orders, the best kept.  How many
	 * depends only on the size of the program (never on the clock), so
	 * the plan is the same on every machine; large programs get one. */
	size_t pairs = 0;
	for (size_t x = 0; x < p->ndoctors; x++)
		pairs += p->ncourses;
	unsigned tries = pairs <= 2500 ? 28 : pairs <= 10000 ? 16 : 2;
	struct vd_plan_opts lo = { 0 };
	if (o)
		lo = *o;
	/* A re-plan may build many times over (relax); half the tries */
	if (lo.prev && tries > 4)
		tries /= 2;
	if (lo.tries)
		tries = lo.tries;
	/* [program] time_limit, or by size: a few seconds for a county, up
	 * to 50 for the nation.  The work itself is bounded by the size (so
	 * the same inputs give the same plan); the limit is a safety net for
	 * slow machines, and the report says when it stopped the search. */
	double limit = p->time_limit > 0 ? p->time_limit : 3.0 + (double)p->ndoctors / 20000.0;
	if (p->time_limit <= 0 && limit > 50)
		limit = 50;
	double t0 = vd_clock();
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
	lo.deadline = (lp_home ? vd_clock() : t0) + limit;
	lo.hold = 0;
	for (int k = VD_BOUND_DOCTOR; k < VD_BOUND_NKINDS; k++)
		if ((k == VD_BOUND_DOCTOR || k == VD_BOUND_COVER) && bd.part[k].set &&
		    bd.part[k].date <= p->end && bd.part[k].date > lo.hold)
			lo.hold = bd.part[k].date;
	best_of(p, tries, &lo, NULL, pl);
	if (lo.prev && pl->nunsched)
		relax(p, tries, &lo, pl);
	if (lp_home)
		pl->travel_bound = bd.travel;   /* the report's, weighed once */
	free(lp_home);
	return 0;
}

void vd_plan_precheck(const struct vd_program *p, struct vd_diag *dg)
{
	/* Courses that cannot run at all, and why. */
	for (size_t c = 0; c < p->ncourses; c++) {
		const struct vd_course *co = &p->courses[c];
		if (!co->def)
			continue;
		int minsz = co->def->min_size > (unsigned)p->cohort_min ? (int)co->def->min_size : p->cohort_min;
		int seats_ok = 0, days_ok = 0, any_ins = 0, ins_ok = 0;
		unsigned days = co->def->weekdays ? co->def->weekdays : p->teaching_days;
		char *why = NULL;
		for (size_t j = 0; j < co->nsites && !seats_ok; j++) {
			free(why);
			why = site_unfit(p, co, co->sites[j], minsz, 0);
			seats_ok = !why;
		}
		for (vd_date t = p->start; t <= p->end && !days_ok; t++)
			days_ok = vd_program_teaching_day(p, co, t);
		for (size_t i = 0; i < p->ninstructors; i++)
			if (vd_strv_has(&p->instructors[i].courses, co->name)) {
				any_ins = 1;
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
	 * never send anyone: say which setting fixes it. */
	size_t nt = p->ntownships;
	unsigned *stuck = xcalloc(nt + 1, sizeof *stuck);
	for (size_t k = 0; k < p->nclinics; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		if (cl->ndoctors && (int)cl->ndoctors - 1 < cl->min_on_duty &&
		    p->townships[cl->township].cover <= 0)
			stuck[cl->township]++;
	}
	for (size_t t = 0; t < nt; t++) {
		if (!stuck[t])
			continue;
		const struct vd_township *tw = &p->townships[t];
		if (tw->line)
			vd_warning(dg, p->path, tw->line,
			           _("township %s has %u clinic(s) that cannot spare a doctor and cover = 0, so their doctors can never train; set cover = 1 or more in [township %s]"),
			           tw->id, stuck[t], tw->id);
		else
			vd_warning(dg, p->clinics_path, 0,
			           _("township '%s' has %u clinic(s) that cannot spare a doctor and no cover, so their doctors can never train; add [township ID] with name = %s and cover = 1 to the program, or raise [townships] cover"),
			           tw->id, stuck[t], tw->name);
	}
	free(stuck);
	for (size_t k = 0; k < p->nclinics; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		if ((int)cl->ndoctors < cl->min_on_duty)
			vd_warning(dg, p->clinics_path, cl->line,
			           _("clinic %s has %u doctor(s) on the roster but min_on_duty %d; it relies on township cover every day"),
			           cl->id, cl->ndoctors, cl->min_on_duty);
	}
}

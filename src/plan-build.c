/* plan-build.c -- one construction: the passes that fill a book from a
 * strategy, and the moves they make to place the last doctors.
 *
 * Pass 1 sweeps day by day over sites and courses and forms runs from the
 * doctors whose home site it is (list scheduling); pass 2 keeps whoever is
 * left at the home site if at all possible; pass 3 tries any suitable site,
 * nearest first; the last resorts move doctors already placed (repair,
 * displace, leftover runs filled by movers).  Apart from the search, which
 * only compares finished constructions, and from the moves after the
 * passes (plan-improve.c), which work on whole runs.
 *
 * Cost: every check is a lookup in a day-indexed table (seats per site,
 * resources per site, instructors, doctors away per clinic, cover used per
 * township), so forming a run costs O(candidates scanned x run days).  Pools
 * are compacted as doctors are placed, so a doctor is scanned only while
 * waiting; the whole sweep is O(days x sites x courses + pairs x days). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan-int.h"
#include "xalloc.h"

/* On a re-plan, a pair kept from the previous plan moves only when no
 * other way schedules everyone (the passes run again without protect). */
bool plan_kept_pair(const struct vd_planwork *W, size_t x, size_t c)
{
	const unsigned char *w = W->b.pl->replan_why;
	return W->protect && w && w[x * W->b.nc + c] == VD_WHY_KEPT;
}

/* Forms one run of course c at site s starting on day t from pool po,
 * with at most `most` members (0: as many as fit, in even sizes). */
bool plan_form_run(struct vd_planwork *W, size_t c, size_t s, int t, struct vd_ixv *po,
                   enum plan_record record, int most)
{
	const int *D = vd_book_run_days(&W->b, c, t);
	if (!D || !po->n)
		return false;
	struct vd_course_model *ci = &W->b.ci[c];
	int cap = vd_book_site_capacity(&W->b, c, s, D);
	if (cap < ci->minsz)
		return false;
	size_t ins = VD_NONE;
	if (ci->needs_ins && (ins = vd_book_find_instructor(&W->b, c, s, D)) == VD_NONE)
		return false;
	/* Compact the pool: drop doctors already placed for c. */
	size_t w = 0;
	for (size_t i = 0; i < po->n; i++)
		if (W->b.asg[po->v[i] * W->b.nc + c] == VD_NONE)
			po->v[w++] = po->v[i];
	po->n = w;
	if ((int)po->n < ci->minsz) {
		if (record == RECORD_FAILS)
			for (size_t i = 0; i < po->n; i++)
				W->b.fail[po->v[i] * W->b.nc + c] |= VD_FAIL_SIZE;
		return false;
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
		if (record == RECORD_FAILS)
			W->b.fail[x * W->b.nc + c] |= VD_FAIL_TRIED;
		if (!vd_book_doctor_free(&W->b, x, c, D) || !vd_book_take(&W->b, x, c, D, VD_COMMIT))
			continue;
		chosen[n++] = x;
	}
	if (n < ci->minsz) {
		for (int i = 0; i < n; i++)
			vd_book_untake(&W->b, chosen[i], c, D);
		if (record == RECORD_FAILS)
			for (int i = 0; i < n; i++)
				W->b.fail[chosen[i] * W->b.nc + c] |= VD_FAIL_SIZE;
		free(chosen);
		return false;
	}
	size_t run = vd_book_new_run(&W->b, c, s, ins, D);
	vd_book_site(&W->b, c, s, ins, D, n, VD_TAKE);
	for (int i = 0; i < n; i++)
		vd_book_add_member(&W->b, run, chosen[i]);
	free(chosen);
	return true;
}

/* Runs of c at s that start on day t already (seeded by pack_cover, or
 * kept by a re-plan) take the waiting doctors before new runs form. */
void plan_fill_runs_at(struct vd_planwork *W, size_t c, size_t s, int t, struct vd_ixv *po)
{
	struct vd_book *B = &W->b;
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

/* The day-by-day sweep; `only` (not VD_NONE) restricts it to one course. */
static void sweep(struct vd_planwork *W, enum plan_record record, size_t only)
{
	/* Progress for long runs, only when stderr is a terminal. */
	bool show = W->progress && record != RECORD_FAILS && W->b.nd > 20000;
	for (int t = 0; t < W->b.H; t++) {
		if (show && t % 7 == 0)
			fprintf(stderr, "\rvdsched: planning day %d/%d ", t + 1, W->b.H);
		for (size_t s = 0; s < W->b.ns; s++)
			for (size_t ci = 0; ci < W->b.nc; ci++) {
				size_t c = W->corder[ci];
				if ((only != VD_NONE && c != only) || !W->b.ci[c].usable[s] || W->b.ci[c].start_ix[t] < 0)
					continue;
				struct vd_ixv *po = &W->pools[s * W->b.nc + c];
				plan_fill_runs_at(W, c, s, t, po);
				while (plan_form_run(W, c, s, t, po, record, 0))
					;
			}
	}
	if (show)
		fputs("\r\033[K", stderr);
}

/* Adds a waiting doctor to an existing run with room, nearest site first,
 * earliest first; never run `skip`.  full (or NULL): runs that had no room
 * for one more when the caller began; a hint only -- runs at skip's site
 * are checked all the same, as the caller's own moves there may have made
 * room. */
bool plan_insert_into_runs(struct vd_planwork *W, size_t x, size_t c, size_t skip,
                           size_t only_site, const unsigned char *full)
{
	const struct vd_program *p = W->b.p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	size_t best = VD_NONE;
	double bestkm = 0;
	vd_date bestday = 0;
	int D[64];
	size_t sites[PLAN_NEAR], ns = 1;
	if (only_site != VD_NONE)
		sites[0] = only_site;
	else
		ns = plan_near_sites(W, cl, c, sites);
	for (size_t k = 0; k < ns; k++) {
		const struct vd_ixv *ra = &W->b.runs_at[sites[k] * W->b.nc + c];
		const struct vd_site *si = &p->sites[sites[k]];
		/* km only once there is a find to compare with: most calls on a
		 * full program find nothing */
		double km = best != VD_NONE ? vd_km(cl->lat, cl->lon, si->lat, si->lon) : 0;
		if (best != VD_NONE && km > bestkm + 1e-9)
			break;  /* sites come nearest first */
		for (size_t j = 0; j < ra->n; j++) {
			size_t r = ra->v[j];
			struct vd_run *run = &W->b.pl->runs[r];
			if (r == skip || (int)run->nmembers >= W->b.ci[c].maxsz || run->frozen || run->dead)
				continue;  /* the cheap part of room_for_one first */
			if (full && full[r] && (skip == VD_NONE || run->site != W->b.pl->runs[skip].site))
				continue;
			vd_book_run_days_of(&W->b, run, D);
			if (!vd_book_room_for_one(&W->b, run, D) || !vd_book_doctor_free(&W->b, x, c, D) || !vd_book_take(&W->b, x, c, D, VD_CHECK))
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
		vd_book_join(&W->b, best, x);
	return best != VD_NONE;
}

/* Do the days of runs a and b overlap? */
static bool overlaps(const struct vd_planwork *W, const struct vd_run *a, const struct vd_run *b)
{
	int D[64];
	vd_book_run_days_of(&W->b, a, D);
	return vd_dates_overlap(D, W->b.ci[a->course].def->days, b->dates,
	                     W->b.ci[b->course].def->days, W->b.p->start);
}

/* A member who left run and joined it again is last: back to index m,
 * so that a try that failed changes nothing (and the caller's loop over
 * the members sees each once). */
void plan_put_back(struct vd_run *run, size_t m)
{
	size_t y = run->members[run->nmembers - 1];
	memmove(&run->members[m + 1], &run->members[m], (run->nmembers - 1 - m) * sizeof *run->members);
	run->members[m] = y;
}

/* The runs without room for one more trainee now (taken once, on first
 * use: repair and displace try many doctors against the same book; the
 * book keeps the answer up to date site by site). */
static const unsigned char *full_runs(struct vd_planwork *W, const unsigned char **full)
{
	if (!*full)
		*full = vd_book_full_runs(&W->b);
	return *full;
}

/* y leaves run ry (where it is member m) and x, free on days D, takes a
 * place in run rx (check_room: only if rx has room for one more then, as
 * when rx is ry); then y joins another run of its course cy with room.
 * If y finds none, all is as it was. */
static bool trade_places(struct vd_planwork *W, size_t x, size_t c, const int *D, size_t rx,
                         size_t y, size_t cy, size_t ry, size_t m, bool check_room,
                         const unsigned char **full)
{
	vd_book_leave(&W->b, ry, y);
	if ((!check_room || vd_book_room_for_one(&W->b, &W->b.pl->runs[rx], D)) &&
	    vd_book_take(&W->b, x, c, D, VD_CHECK)) {
		vd_book_join(&W->b, rx, x);
		if (plan_insert_into_runs(W, y, cy, ry, VD_NONE, full_runs(W, full)))
			return true;
		vd_book_leave(&W->b, rx, x);
	}
	vd_book_join(&W->b, ry, y);
	plan_put_back(&W->b.pl->runs[ry], m);
	return false;
}

/* One ejection: x cannot join a run of c only because its township's cover
 * is used up on those days.  Move a doctor y of the same township who uses
 * that cover to another run of y's course, and let x take the place. */
static bool repair(struct vd_planwork *W, size_t x, size_t c)
{
	const struct vd_program *p = W->b.p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	size_t tw = cl->township;
	int D[64];
	unsigned budget = 20000;
	const unsigned char *full = NULL;
	size_t sites[PLAN_NEAR];
	size_t ns = plan_near_sites(W, cl, c, sites);
	for (size_t a = 0; a < ns && budget; a++) {
		const struct vd_ixv *ra = &W->b.runs_at[sites[a] * W->b.nc + c];
		for (size_t ia = 0; ia < ra->n && budget; ia++) {
			size_t r = ra->v[ia];
			struct vd_run *run = &W->b.pl->runs[r];
			vd_book_run_days_of(&W->b, run, D);
			if (!vd_book_room_for_one(&W->b, run, D) || !vd_book_doctor_free(&W->b, x, c, D))
				continue;
			/* who of x's township is away on those days, at sites near x */
			for (size_t b = 0; b < ns && budget; b++)
				for (size_t c2 = 0; c2 < W->b.nc && budget; c2++) {
					const struct vd_ixv *rb = &W->b.runs_at[sites[b] * W->b.nc + c2];
					for (size_t ib = 0; ib < rb->n && budget; ib++, budget--) {
						size_t r2 = rb->v[ib];
						struct vd_run *o = &W->b.pl->runs[r2];
						if (r2 == r || o->frozen || (int)o->nmembers - 1 < W->b.ci[o->course].minsz ||
						    !overlaps(W, run, o))
							continue;
						for (size_t m = 0; m < o->nmembers && budget; m++, budget--) {
							size_t y = o->members[m];
							const struct vd_clinic *cy = &p->clinics[p->doctors[y].clinic];
							if (cy->township != tw || (int)cy->ndoctors - 1 >= cy->min_on_duty ||
							    plan_kept_pair(W, y, o->course))
								continue;
							if (trade_places(W, x, c, D, r, y, c2, r2, m, false, &full))
								return true;
							o = &W->b.pl->runs[r2];
						}
					}
				}
		}
	}
	return false;
}

/* Does any absence of doctor x leave the clinic short (township cover)? */
bool plan_needs_cover(const struct vd_program *p, size_t x)
{
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	return (int)cl->ndoctors - 1 < cl->min_on_duty;
}

/* One displacement: x takes the place of a doctor y in a run of c that
 * x can attend, and y moves to another run of c (often the place x could
 * not keep).  One pair moves instead of a new run's worth of donors. */
static bool displace(struct vd_planwork *W, size_t x, size_t c)
{
	const struct vd_program *p = W->b.p;
	size_t sites[PLAN_NEAR];
	size_t ns = plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, sites);
	unsigned budget = 20000;
	const unsigned char *full = NULL;
	int D[64];
	/* y must move to another run of c with room: none, no displacement
	 * (x's and y's moves leave the other runs' room as it was) */
	full_runs(W, &full);
	int any = vd_book_open_runs(&W->b, c) > 0;
	for (size_t a = 0; a < ns && budget && any; a++) {
		const struct vd_ixv *ra = &W->b.runs_at[sites[a] * W->b.nc + c];
		for (size_t j = 0; j < ra->n && budget; j++) {
			size_t r = ra->v[j];
			struct vd_run *run = &W->b.pl->runs[r];
			if (run->dead || run->frozen)
				continue;
			vd_book_run_days_of(&W->b, run, D);
			if (D[0] < W->b.t0 || !vd_book_doctor_free(&W->b, x, c, D))
				continue;
			for (size_t m = 0; m < W->b.pl->runs[r].nmembers && budget; m++, budget--) {
				size_t y = W->b.pl->runs[r].members[m];
				if (plan_kept_pair(W, y, c) || plan_needs_cover(p, y))
					continue;
				if (trade_places(W, x, c, D, r, y, c, r, m, true, &full))
					return true;
			}
		}
	}
	return false;
}

/* Donors for a new run of c at s on days D: members of bigger runs of c
 * there move over (booked, out of their runs) until got[] holds the
 * minimum; from[] says where each came from.  Returns the new count. */
static size_t take_donors(struct vd_planwork *W, size_t c, size_t s, const int *D,
                          size_t *got, size_t *from, size_t n)
{
	struct vd_course_model *ci = &W->b.ci[c];
	const struct vd_ixv *ra = &W->b.runs_at[s * W->b.nc + c];
	for (size_t j = 0; j < ra->n && (int)n < ci->minsz; j++) {
		size_t r = ra->v[j];
		struct vd_run *run = &W->b.pl->runs[r];
		if (run->frozen)
			continue;
		for (size_t m = 0; m < run->nmembers && (int)run->nmembers > ci->minsz &&
		                   (int)n < ci->minsz;) {
			size_t y = run->members[m];
			/* a doctor on township cover keeps the place the
			 * cover chain gave (pack_cover) */
			if (plan_kept_pair(W, y, c) || plan_needs_cover(W->b.p, y)) {
				m++;
				continue;
			}
			vd_book_leave(&W->b, r, y);
			if (vd_book_doctor_free(&W->b, y, c, D) && vd_book_take(&W->b, y, c, D, VD_COMMIT)) {
				from[n] = r;
				got[n++] = y;
			} else {
				vd_book_join(&W->b, r, y);  /* members stay sorted? order is not relied on */
				m++;
			}
			run = &W->b.pl->runs[r];
		}
	}
	return n;
}

/* Leftovers of course c too few for a run of their own: open a new run
 * for them and fill it up to the minimum with doctors who move from
 * bigger runs of c at the same site.  Returns the number placed. */
static size_t leftover_run(struct vd_planwork *W, size_t c, size_t *left, size_t nleft,
                           const size_t *sites, size_t nsites)
{
	struct vd_course_model *ci = &W->b.ci[c];
	size_t placed = 0;
	size_t *got = xmalloc((nleft + (size_t)ci->maxsz + 1) * sizeof *got);
	size_t *from = xmalloc((nleft + (size_t)ci->maxsz + 1) * sizeof *from);
	for (size_t si = 0; si < nsites && placed < nleft; si++) {
		size_t s = sites[si];
		if (!ci->usable[s])
			continue;
		for (int t = 0; t < W->b.H && placed < nleft; t++) {
			const int *D = vd_book_run_days(&W->b, c, t);
			if (!D || vd_book_site_capacity(&W->b, c, s, D) < ci->minsz)
				continue;
			size_t ins = VD_NONE;
			if (ci->needs_ins && (ins = vd_book_find_instructor(&W->b, c, s, D)) == VD_NONE)
				continue;
			size_t n = 0, nl = 0;
			for (size_t i = 0; i < nleft && (int)n < ci->maxsz; i++) {
				size_t x = left[i];
				if (W->b.asg[x * W->b.nc + c] != VD_NONE || !vd_book_doctor_free(&W->b, x, c, D) || !vd_book_take(&W->b, x, c, D, VD_COMMIT))
					continue;
				from[n] = VD_NONE;
				got[n++] = x;
			}
			nl = n;
			if (nl)
				n = take_donors(W, c, s, D, got, from, n);
			if (nl && (int)n >= ci->minsz) {
				size_t r = vd_book_new_run(&W->b, c, s, ins, D);
				vd_book_site(&W->b, c, s, ins, D, (int)n, VD_TAKE);
				for (size_t i = 0; i < n; i++)
					vd_book_add_member(&W->b, r, got[i]);
				placed += nl;
				continue;
			}
			for (size_t i = 0; i < n; i++) {
				vd_book_untake(&W->b, got[i], c, D);
				if (from[i] != VD_NONE)
					vd_book_join(&W->b, from[i], got[i]);
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

static void sort_pools(struct vd_planwork *W)
{
	for (size_t i = 0; i < W->b.ns * W->b.nc; i++)
		if (W->pools[i].n > 1)
			qsort_r(W->pools[i].v, W->pools[i].n, sizeof(size_t), cmp_order_ctx, W->order);
}

void plan_work_free(struct vd_planwork *W)
{
	for (size_t i = 0; W->pools && i < W->b.ns * W->b.nc; i++)
		free(W->pools[i].v);
	vd_book_free(&W->b);
	free(W->home);
	free(W->nearest);
	free(W->pools);
	free(W->sxyz);
	free(W->bylat);
	free(W->near_memo);
	free(W->near_n);
	free(W->order);
	free(W->corder);
	free(W->load);
}

/* Leftover runs for every course, the waiting doctors grouped by their
 * home site: at that site only, or at the sites nearest them. */
static void leftovers(struct vd_planwork *W, enum plan_leftover_sites where)
{
	struct vd_ixv *by_home = xcalloc(W->b.ns + 1, sizeof *by_home);
	for (size_t c = 0; c < W->b.nc; c++) {
		for (size_t x = 0; x < W->b.nd; x++) {
			size_t i = x * W->b.nc + c;
			if (W->b.need[i] == 1 && W->b.asg[i] == VD_NONE && W->home[i] != VD_NONE)
				vd_ixv_push(&by_home[W->home[i]], x);
		}
		for (size_t s = 0; s < W->b.ns; s++) {
			struct vd_ixv *g = &by_home[s];
			if (!g->n)
				continue;
			size_t sites[PLAN_NEAR], n = 1;
			sites[0] = s;
			if (where == LEFTOVER_NEAR)
				n = plan_near_sites(W, &W->b.p->clinics[W->b.p->doctors[g->v[0]].clinic], c, sites);
			leftover_run(W, c, g->v, g->n, sites, n);
			g->n = 0;
		}
	}
	for (size_t s = 0; s < W->b.ns; s++)
		free(by_home[s].v);
	free(by_home);
}

size_t plan_member_index(const struct vd_run *run, size_t x)
{
	size_t m = 0;
	while (run->members[m] != x)
		m++;
	return m;
}

/* ---- one construction ---- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* Order: township (keeps townships together in cohorts), clinic (so a
 * clinic's doctors fall into different runs), then a seeded shuffle
 * within the clinic.  (Putting doctors who need cover first was tried:
 * 3 days earlier on Tianyang but 1.2 points more travel; a strategy may.) */
static void order_doctors(struct vd_planwork *W, const struct plan_strategy *st)
{
	const struct vd_program *p = W->b.p;
	W->order = xmalloc(W->b.nd * sizeof *W->order + 1);
	for (size_t x = 0; x < W->b.nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		uint64_t tw = cl->township, k = d->clinic;
		uint64_t first = st->cover_first && (int)cl->ndoctors - 1 < cl->min_on_duty ? 0 : 1;
		if (st->shuffle)
			tw = mix((p->seed + st->shuffle) * 0x9e3779b97f4a7c15ULL + tw) & 0x3ffff;
		/* a doctor with a deadline (last_trained) before everyone: the
		 * other keys keep their order among themselves */
		uint64_t later = d->deadline && d->deadline <= p->end ? 0 : 1;
		W->order[x] = (later << 63) | (first << 62) | ((tw & 0x3ffff) << 44) | ((k & 0xffffff) << 20) |
		              (mix(p->seed * 0x9e3779b97f4a7c15ULL + x) & 0xfffff);
	}
}

/* The course whose sites are busiest relative to its demand is served
 * first each day: it is the one that decides the finish. */
static void order_courses(struct vd_planwork *W)
{
	W->load = xcalloc(W->b.nc + 1, sizeof *W->load);
	W->corder = xmalloc((W->b.nc + 1) * sizeof *W->corder);
	for (size_t c = 0; c < W->b.nc; c++) {
		double need = 0, perday = 0;
		for (size_t x = 0; x < W->b.nd; x++)
			need += W->b.need[x * W->b.nc + c] == 1;
		for (size_t s = 0; s < W->b.ns; s++)
			if (W->b.ci[c].usable[s])
				perday += vd_book_run_capacity(&W->b, c, s, VD_ONE_RUN);
		W->load[c] = perday > 0 ? need * W->b.ci[c].def->days / perday : 0;
		W->corder[c] = c;
	}
	for (size_t i = 1; i < W->b.nc; i++)  /* insertion sort: few courses */
		for (size_t j = i; j > 0 && W->load[W->corder[j]] > W->load[W->corder[j - 1]]; j--) {
			size_t tmp = W->corder[j];
			W->corder[j] = W->corder[j - 1];
			W->corder[j - 1] = tmp;
		}
}

/* Homes as the strategy says: moved off overloaded sites, or at the
 * sites the bound's prices choose, where the course can run. */
static void move_homes(struct vd_planwork *W, const struct plan_strategy *st,
                       const struct vd_plan_opts *o)
{
	if (st->balance) {
		plan_balance_homes(W, st->fill, st->per_day);
	} else if (st->priced != PRICED_NONE && o && o->lp_home) {
		const size_t *lh = o->lp_home + (st->priced == PRICED_HALF_BUDGET) * W->b.nd * W->b.nc;
		for (size_t i = 0; i < W->b.nd * W->b.nc; i++) {
			size_t h = lh[i];
			if (W->home[i] != VD_NONE && h != VD_NONE &&
			    vd_book_run_capacity(&W->b, i % W->b.nc, h, VD_ALL_RUNS) > 0)
				W->home[i] = h;
		}
	}
}

void plan_work_init(struct vd_planwork *W, const struct vd_program *p,
                    const struct plan_strategy *st, const struct vd_plan_opts *o, struct vd_plan *pl)
{
	*W = (struct vd_planwork){ 0 };
	vd_plan_init(pl);
	W->progress = o && o->progress;
	W->hold = o ? o->hold : 0;
	W->budget = o && o->budget > 0 ? o->budget : p->travel_budget;
	vd_book_init(&W->b, p, pl);
	/* ejections in improve: on a city they cost more than a second of
	 * planning and gained nothing in the bench */
	W->eject = W->b.nd * W->b.nc <= 2500;
	W->pools = xcalloc(W->b.ns * W->b.nc + 1, sizeof *W->pools);
	order_doctors(W, st);
	plan_geo_init(W);
	order_courses(W);
	move_homes(W, st, o);
}

/* Pass 1: each doctor at the nearest suitable site (the home site).  The
 * bottleneck first: the tightest townships' cover chained from the first
 * day (never used by a clinic that can spare a doctor), and with
 * busiest_first the busiest course's runs back to back before any other
 * course takes seats or doctors' days.  (On a re-plan the tightest
 * townships are marked but not chained: the few pairs left to place take
 * whatever cover is free, and moving nobody comes before finishing
 * early.) */
static void pass_home_sweep(struct vd_planwork *W, const struct plan_strategy *st, bool replan)
{
	/* Township cover goes first to the clinics that cannot spare a
	 * doctor: in passes 1 and 2 a clinic with a doctor to spare sends its
	 * doctors one at a time (unless shuffled: those let it use cover
	 * when it has some, which wins where cover is plentiful). */
	W->b.spare_first = !st->shuffle;
	for (size_t x = 0; x < W->b.nd; x++)
		for (size_t c = 0; c < W->b.nc; c++) {
			size_t i = x * W->b.nc + c;
			if (W->b.need[i] == 1 && W->home[i] != VD_NONE)
				vd_ixv_push(&W->pools[W->home[i] * W->b.nc + c], x);
		}
	sort_pools(W);
	if (!st->no_chains) {
		int sf = W->b.spare_first;
		W->b.spare_first = 1;
		plan_pack_cover(W, 0.9, replan ? COVER_MARK_ONLY : COVER_CHAIN);
		W->b.spare_first = sf;
	}
	if (st->busiest_first)
		sweep(W, RECORD_NOTHING, W->corder[0]);
	sweep(W, RECORD_NOTHING, VD_NONE);
}

/* Pass 2: whoever is left stays at the nearest site if at all possible:
 * a run there with room, or a new run there filled to the minimum by
 * doctors moving over from its bigger runs. */
static void pass_home_rooms(struct vd_planwork *W)
{
	for (size_t c = 0; c < W->b.nc; c++)
		for (size_t x = 0; x < W->b.nd; x++) {
			size_t i = x * W->b.nc + c;
			if (W->b.need[i] == 1 && W->b.asg[i] == VD_NONE && W->home[i] != VD_NONE)
				plan_insert_into_runs(W, x, c, VD_NONE, W->home[i], NULL);
		}
	leftovers(W, LEFTOVER_AT_HOME);
}

/* Pass 3: then any suitable site, nearest first: a run with room, else a
 * new run from who waits at the sites near them. */
static void pass_any_site(struct vd_planwork *W)
{
	const struct vd_program *p = W->b.p;
	W->b.spare_first = 0;
	for (size_t i = 0; i < W->b.ns * W->b.nc; i++)
		W->pools[i].n = 0;
	for (size_t c = 0; c < W->b.nc; c++)
		for (size_t x = 0; x < W->b.nd; x++) {
			size_t i = x * W->b.nc + c;
			if (W->b.need[i] != 1 || W->b.asg[i] != VD_NONE || W->home[i] == VD_NONE)
				continue;
			if (plan_insert_into_runs(W, x, c, VD_NONE, VD_NONE, NULL))
				continue;
			size_t sites[PLAN_NEAR];
			size_t n = plan_near_sites(W, &p->clinics[p->doctors[x].clinic], c, sites);
			for (size_t k = 0; k < n; k++)
				vd_ixv_push(&W->pools[sites[k] * W->b.nc + c], x);
		}
	sort_pools(W);
	sweep(W, RECORD_FAILS, VD_NONE);
}

/* Last resorts move doctors already placed: one ejection to free township
 * cover, one displacement, and new runs filled by movers.  On a re-plan
 * first only those not kept from the previous plan, then, for whoever is
 * still waiting, anyone. */
static void last_resorts(struct vd_planwork *W)
{
	for (int round = 0; round < 2; round++) {
		size_t waiting = 0;
		for (size_t c = 0; c < W->b.nc; c++)
			for (size_t x = 0; x < W->b.nd; x++) {
				size_t i = x * W->b.nc + c;
				if (W->b.need[i] == 1 && W->b.asg[i] == VD_NONE &&
				    !plan_insert_into_runs(W, x, c, VD_NONE, VD_NONE, NULL) && !repair(W, x, c))
					displace(W, x, c);
			}
		leftovers(W, LEFTOVER_NEAR);
		for (size_t i = 0; i < W->b.nd * W->b.nc; i++)
			waiting += W->b.need[i] == 1 && W->b.asg[i] == VD_NONE;
		if ((!W->protect && !plan_any_tight(&W->b)) || !waiting)
			break;
		W->protect = false;
		memset(W->b.tight, 0, W->b.p->ntownships);
	}
}

/* The finish moved in, and travel given back (returns to nearer sites,
 * trades) may buy another day: again while something changes, up to 8
 * times on a county (on a city that would triple the planning time for
 * 0.4% of travel). */
static void improve_rounds(struct vd_planwork *W, const struct vd_plan_opts *o)
{
	int rounds = W->b.nd * W->b.nc <= 2500 ? 8 : 2;
	for (int k = 0; k < rounds; k++) {
		int gained = plan_improve(W, o ? o->deadline : 0);
		int back = plan_travel_back(W), traded = plan_swap_sites(W);
		if (!gained && !back && !traded)
			break;
	}
}

void plan_construct(const struct vd_program *p, const struct plan_strategy *st,
                    const struct vd_plan_opts *o, const unsigned char *exclude, struct vd_plan *pl)
{
	struct vd_planwork W0, *W = &W0;
	bool replan = o && o->prev;
	plan_work_init(W, p, st, o, pl);
	if (replan)
		plan_seed_previous(W, o->prev, o->freeze, exclude, o->makeup);
	pass_home_sweep(W, st, replan);
	pass_home_rooms(W);
	pass_any_site(W);
	last_resorts(W);
	improve_rounds(W, o);
	if (replan)
		plan_move_back(W, o->prev);
	plan_meet_deadlines(W);
	plan_finish(W, o);
	plan_work_free(W);
}

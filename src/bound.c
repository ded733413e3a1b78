/* bound.c -- see bound.h.
 *
 * Every component is a relaxation, so each is at most the last day of any
 * feasible plan; tests/exact-bound.sh checks this against exact optima.
 * The fifth, seats against travel, is travel-price.c's: another method.
 * Days are indexes from p->start; H = the number of days in the period. */
#include <stdlib.h>
#include <string.h>
#include "bound.h"
#include "course.h"
#include "i18n.h"
#include "travel-price.h"
#include "xalloc.h"

/* One course as the bound sees it: the planner's model of it (course.h),
 * and how many of its trainees the sites hold a day. */
struct bound_course {
	struct vd_course_model m;
	unsigned d;             /* days per run */
	int *next_end;          /* per day t: end of the first run starting >= t, or -1 */
	int *end_at;            /* per day t: end of the run starting at t, or -1 */
	long lanes;             /* trainees it can hold per day, all sites together */
	long *cap;              /* per site: trainees per day, 0 = not usable */
	const char *limit;      /* what caps the lanes */
	int group;              /* courses with the same teaching days */
	long n;                 /* schedulable pairs */
};

/* The relaxed problem every part bounds: the courses, which pairs any
 * plan could schedule, and the townships' cover (with a what-if). */
struct bound_problem {
	const struct vd_program *p;
	int H;
	size_t nc, nd;
	struct bound_course *c;
	unsigned char *ok;      /* nd x nc: a schedulable pair */
	int *cover;             /* per township, as given (with the what-if) */
};

/* end_at and next_end from the course's teaching days. */
static void run_ends(struct bound_course *k, const struct vds_course *def, int H)
{
	k->next_end = xmalloc(((size_t)H + 1) * sizeof *k->next_end);
	k->end_at = xmalloc(((size_t)H + 1) * sizeof *k->end_at);
	for (int t = 0; t < H; t++)
		k->end_at[t] = -1;
	for (int i = 0; i + (int)k->d <= k->m.ntdays; i++) {
		int a = k->m.tdays[i], e = k->m.tdays[i + (int)k->d - 1];
		if (def->max_span && (unsigned)(e - a + 1) > def->max_span)
			continue;
		k->end_at[a] = e;
	}
	int nx = -1;
	k->next_end[H] = -1;
	for (int t = H - 1; t >= 0; t--) {
		if (k->end_at[t] >= 0)
			nx = k->end_at[t];
		k->next_end[t] = nx;
	}
}

/* The course's calendar, sizes and sites, as the planner sees them. */
static void setup_course(struct bound_problem *B, size_t c)
{
	const struct vd_program *p = B->p;
	const struct vd_course *co = &p->courses[c];
	struct bound_course *k = &B->c[c];
	vd_course_model_init(&k->m, p, c, B->H);
	k->d = co->def->days ? co->def->days : 1;
	run_ends(k, co->def, B->H);
	/* Per site, the trainees it can hold on one day: its seats, and per
	 * resource units x trainees per unit (one run per unit when per = 0). */
	k->cap = xcalloc(p->nsites + 1, sizeof *k->cap);
	k->limit = "seats";
	for (size_t j = 0; j < co->nsites; j++) {
		size_t s = co->sites[j];
		const struct vd_site *si = &p->sites[s];
		if (!k->m.usable[s])
			continue;
		long cap = si->seats;
		const char *lim = NULL;
		for (size_t r = 0; r < co->def->nresources; r++) {
			const struct vds_resource *res = &co->def->resources[r];
			int have = vd_site_resource(si, res->name);
			long l = res->per ? (long)have * res->per : (long)have * k->m.maxsz;
			if (l < cap) {
				cap = l;
				lim = res->name;
			}
		}
		k->cap[s] = cap;
		k->lanes += cap;
		if (lim)
			k->limit = lim;
	}
	/* Runs needing an instructor: at most one run per instructor a day. */
	long nins = (long)k->m.ninstructors;
	if (k->m.needs_ins && nins && nins * k->m.maxsz < k->lanes) {
		k->lanes = nins * k->m.maxsz;
		k->limit = "instructors";
	}
}

/* End of the earliest run of course c starting on or after t0 that avoids
 * doctor x's unavailable dates; -1 if none. */
static int earliest_end(const struct bound_problem *B, size_t c, int t0, const struct vd_doctor *x)
{
	const struct bound_course *k = &B->c[c];
	if (t0 < 0)
		t0 = 0;
	if (t0 >= B->H)
		return -1;
	if (!x || !x->nunavail)
		return k->next_end[t0];
	for (int t = t0; t < B->H; t++) {
		if (k->end_at[t] < 0)
			continue;
		int ok = 1;
		for (int u = t; u <= k->end_at[t] && ok; u++)
			ok = !k->m.tday[u] || !vd_in_ranges(x->unavail, x->nunavail, B->p->start + u);
		if (ok)
			return k->end_at[t];
	}
	return -1;
}

/* Per township, its cover less what clinics short of doctors before
 * anyone trains use already (malloc'd). */
static long *cover_after_baseline(const struct bound_problem *B)
{
	const struct vd_program *p = B->p;
	long *capw = xcalloc(p->ntownships + 1, sizeof *capw);
	for (size_t t = 0; t < p->ntownships; t++)
		capw[t] = B->cover[t];
	for (size_t k = 0; k < p->nclinics; k++) {
		int base = p->clinics[k].min_on_duty - (int)p->clinics[k].ndoctors;
		if (base > 0)
			capw[p->clinics[k].township] -= base;
	}
	return capw;
}

/* Which pairs any plan could schedule (see bound.h). */
static void requirements(struct bound_problem *B)
{
	const struct vd_program *p = B->p;
	size_t nc = B->nc;
	long *capw = cover_after_baseline(B);
	unsigned char *need = xcalloc(B->nd * nc + 1, 1);
	for (size_t x = 0; x < B->nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		int stuck = (int)cl->ndoctors - 1 < cl->min_on_duty && capw[cl->township] <= 0;
		for (size_t c = 0; c < nc; c++) {
			if (!vd_course_required(p, x, c))
				continue;
			need[x * nc + c] = 1;
			int ok = !stuck && B->c[c].lanes > 0 && earliest_end(B, c, 0, d) >= 0 &&
			         !vd_course_prereq_missing(p, x, c);
			B->ok[x * nc + c] = (unsigned char)ok;
		}
		/* A course whose prerequisite the doctor needs but cannot take is
		 * out of reach too (a chain is at most nc long). */
		for (size_t pass = 0; pass < nc; pass++)
			for (size_t c = 0; c < nc; c++)
				for (size_t q = 0; q < B->c[c].m.nprereq; q++) {
					size_t qc = B->c[c].m.prereq[q];
					if (need[x * nc + qc] && !B->ok[x * nc + qc])
						B->ok[x * nc + c] = 0;
				}
	}
	free(need);
	free(capw);
}

/* Doctor x's earliest finish: within each group of courses sharing their
 * teaching days, runs are disjoint blocks of the same day sequence, so the
 * doctor takes them one after another; f[S] is the earliest end of taking
 * the set S in the best order (a greedy earliest start is optimal for a
 * given order, as the earliest end is monotone in the start). */
static int doctor_finish(const struct bound_problem *B, size_t x, int *f, int *rel)
{
	size_t nc = B->nc;
	const struct vd_doctor *d = &B->p->doctors[x];
	const unsigned char *ok = &B->ok[x * nc];
	int worst = -1;
	/* Releases from prerequisites, single courses in chain order. */
	for (size_t c = 0; c < nc; c++)
		rel[c] = 0;
	for (size_t pass = 0; pass < nc; pass++)
		for (size_t c = 0; c < nc; c++) {
			if (!ok[c])
				continue;
			for (size_t q = 0; q < B->c[c].m.nprereq; q++) {
				size_t qc = B->c[c].m.prereq[q];
				if (!ok[qc])
					continue;
				int e = earliest_end(B, qc, rel[qc], d);
				if (e >= 0 && e + 1 > rel[c])
					rel[c] = e + 1;
			}
		}
	for (int g = 0; g < (int)nc; g++) {
		size_t idx[16], n = 0;
		for (size_t c = 0; c < nc && n < 16; c++)
			if (ok[c] && B->c[c].group == g)
				idx[n++] = c;
		if (!n)
			continue;
		if (n > 12) {  /* too many to order: each course alone */
			for (size_t i = 0; i < n; i++) {
				int e = earliest_end(B, idx[i], rel[idx[i]], d);
				worst = e > worst ? e : worst;
			}
			continue;
		}
		size_t full = ((size_t)1 << n) - 1;
		f[0] = -1;
		for (size_t S = 1; S <= full; S++) {
			int best = -2;  /* -2: not possible */
			for (size_t i = 0; i < n; i++) {
				if (!(S & ((size_t)1 << i)))
					continue;
				size_t R = S & ~((size_t)1 << i);
				if (f[R] == -2)
					continue;
				/* prerequisites of the last course come before it */
				int pre = 1;
				for (size_t q = 0; q < B->c[idx[i]].m.nprereq && pre; q++)
					for (size_t j = 0; j < n; j++)
						if (idx[j] == B->c[idx[i]].m.prereq[q] && !(R & ((size_t)1 << j)))
							pre = 0;
				if (!pre)
					continue;
				int t0 = f[R] + 1 > rel[idx[i]] ? f[R] + 1 : rel[idx[i]];
				int e = earliest_end(B, idx[i], t0, d);
				if (e >= 0 && (best == -2 || e < best))
					best = e;
			}
			f[S] = best;
		}
		if (f[full] == -2) {
			/* no order fits the period: the planner drops some; each
			 * course alone still bounds its own finish */
			for (size_t i = 0; i < n; i++) {
				int e = earliest_end(B, idx[i], rel[idx[i]], d);
				worst = e > worst ? e : worst;
			}
		} else if (f[full] > worst) {
			worst = f[full];
		}
	}
	return worst;
}

/* Clinic-days of shortfall the clinics ks[0..n) of one township have at
 * least when their doctors train A[k] doctor-days within nd training days. */
static long township_short(const struct vd_program *p, const long *A, const size_t *ks,
                           size_t n, long nd)
{
	long sh = 0;
	for (size_t i = 0; i < n; i++) {
		const struct vd_clinic *cl = &p->clinics[ks[i]];
		long r = (long)cl->ndoctors - cl->min_on_duty;
		long s = r < 0 ? A[ks[i]] : A[ks[i]] - r * nd;
		sh += s > 0 ? s : 0;
	}
	return sh;
}


/* The seats-against-travel part (travel-price.h) from the problem. */
static void travel_part(const struct bound_problem *B, struct vd_bound *b, size_t *home)
{
	struct vd_travel_course *tc = xcalloc(B->nc + 1, sizeof *tc);
	for (size_t c = 0; c < B->nc; c++)
		tc[c] = (struct vd_travel_course){ B->c[c].d, B->c[c].m.tday, B->c[c].cap,
		                                   B->c[c].limit, B->c[c].n };
	struct vd_travel_input in = { B->p, B->H, tc, B->ok, b->date };
	vd_travel_price(&in, &b->travel, home);
	free(tc);
}

static void part_set(struct vd_bound *b, enum vd_bound_kind k, vd_date date, size_t index,
                     long need, long have, const char *limit)
{
	if (b->part[k].set && date <= b->part[k].date)
		return;
	b->part[k] = (struct vd_bound_part){ 1, date, index, need, have, limit };
}

/* The relaxed problem of p (with township tw's cover + cover_delta);
 * 0 when there is nothing sensible to say (a course not loaded, no
 * courses, no days). */
static int problem_init(struct bound_problem *B, const struct vd_program *p, size_t tw, int cover_delta)
{
	memset(B, 0, sizeof *B);
	B->p = p;
	B->H = p->end >= p->start ? p->end - p->start + 1 : 0;
	B->nd = p->ndoctors;
	for (size_t c = 0; c < p->ncourses; c++)
		if (!p->courses[c].def)
			return 0;   /* not loaded: nothing sensible to say */
	B->nc = p->ncourses;
	size_t nc = B->nc, H = (size_t)B->H;
	if (!nc || !H) {
		B->nc = 0;
		return 0;
	}
	B->c = xcalloc(nc, sizeof *B->c);
	for (size_t c = 0; c < nc; c++)
		setup_course(B, c);
	/* groups: courses with identical teaching days */
	for (size_t c = 0; c < nc; c++) {
		B->c[c].group = (int)c;
		for (size_t c2 = 0; c2 < c; c2++)
			if (!memcmp(B->c[c].m.tday, B->c[c2].m.tday, H)) {
				B->c[c].group = B->c[c2].group;
				break;
			}
	}
	B->cover = xcalloc(p->ntownships + 1, sizeof *B->cover);
	for (size_t t = 0; t < p->ntownships; t++)
		B->cover[t] = p->townships[t].cover + (t == tw ? cover_delta : 0);
	B->ok = xcalloc(B->nd * nc + 1, 1);
	requirements(B);
	for (size_t x = 0; x < B->nd; x++)
		for (size_t c = 0; c < nc; c++)
			B->c[c].n += B->ok[x * nc + c];
	return 1;
}

static void problem_free(struct bound_problem *B)
{
	for (size_t c = 0; c < B->nc; c++) {
		vd_course_model_free(&B->c[c].m);
		free(B->c[c].next_end);
		free(B->c[c].end_at);
		free(B->c[c].cap);
	}
	free(B->c);
	free(B->ok);
	free(B->cover);
}

/* doctor: each doctor's courses in sequence */
static void doctor_part(const struct bound_problem *B, struct vd_bound *b)
{
	const struct vd_program *p = B->p;
	size_t nc = B->nc;
	int *f = xmalloc(((size_t)1 << (nc < 12 ? nc : 12)) * sizeof *f);
	int *rel = xmalloc(nc * sizeof *rel);
	/* doctors without unavailable dates and the same courses finish
	 * alike: cache by the set of courses (up to 16 courses) */
	size_t ncache = nc <= 16 ? (size_t)1 << nc : 0;
	int *cache = ncache ? xmalloc(ncache * sizeof *cache) : NULL;
	for (size_t i = 0; i < ncache; i++)
		cache[i] = -3;
	for (size_t x = 0; x < B->nd; x++) {
		size_t mask = 0;
		int any = 0;
		for (size_t c = 0; c < nc; c++)
			if (B->ok[x * nc + c]) {
				mask |= (size_t)1 << (c < 63 ? c : 63);
				any = 1;
			}
		if (!any)
			continue;
		int e;
		if (cache && !p->doctors[x].nunavail) {
			if (cache[mask] == -3)
				cache[mask] = doctor_finish(B, x, f, rel);
			e = cache[mask];
		} else {
			e = doctor_finish(B, x, f, rel);
		}
		if (e >= 0)
			part_set(b, VD_BOUND_DOCTOR, p->start + e, x, 0, 0, NULL);
	}
	free(cache);
	free(rel);
	free(f);
}

/* course: N trainees through `lanes` seats a day.  Runs of one course at
 * one site never hold more trainees on a day than the site's capacity,
 * so its runs split into that many lanes of disjoint runs (interval
 * graphs are perfect); a lane finishes at most one run per d teaching
 * days.  So by the end of teaching day i (0-based) at most lanes x
 * floor((i + 1) / d) trainees are done. */
static void course_part(const struct bound_problem *B, struct vd_bound *b)
{
	const struct vd_program *p = B->p;
	vd_date never = p->end + 1;
	for (size_t c = 0; c < B->nc; c++) {
		const struct bound_course *k = &B->c[c];
		if (!k->n)
			continue;
		long runs = (k->n + k->lanes - 1) / k->lanes;
		long i = runs * (long)k->d - 1;
		vd_date date = i < k->m.ntdays ? p->start + k->m.tdays[i] : never;
		part_set(b, VD_BOUND_COURSE, date, c, k->n, k->lanes, k->limit);
	}
}

/* seats: any set of courses together through the sites' seats; on a day
 * a site holds at most its seats, and at most what those of the set's
 * courses teaching that day could hold there. */
static void seats_part(const struct bound_problem *B, struct vd_bound *b)
{
	const struct vd_program *p = B->p;
	size_t nc = B->nc;
	vd_date never = p->end + 1;
	if (nc > 10)
		return;  /* 2^nc sets: too many to try */
	for (size_t S = 1; S < ((size_t)1 << nc); S++) {
		if (!(S & (S - 1)))
			continue;  /* one course: the course bound is stronger */
		long need = 0;
		for (size_t c = 0; c < nc; c++)
			if (S & ((size_t)1 << c))
				need += B->c[c].n * (long)B->c[c].d;
		if (!need)
			continue;
		long got = 0, perday = 0;
		int t = 0;
		for (; t < B->H && got < need; t++) {
			long day = 0;
			for (size_t s = 0; s < p->nsites; s++) {
				long cs = 0;
				for (size_t c = 0; c < nc; c++)
					if ((S & ((size_t)1 << c)) && B->c[c].n && B->c[c].m.tday[t])
						cs += B->c[c].cap[s];
				day += cs < p->sites[s].seats ? cs : p->sites[s].seats;
			}
			got += day;
			perday = day > perday ? day : perday;
		}
		vd_date date = got >= need ? p->start + t - 1 : never;
		part_set(b, VD_BOUND_SEATS, date, S, need, perday, NULL);
	}
}

/* cover: on each day someone trains, clinic k with K doctors and
 * min_on_duty m is short max(0, a - (K - m)) when a of its doctors are
 * away (a when K < m: its own shortfall is there anyway and the
 * township's cover already pays for it).  Summed over the n training
 * days up to the last day, a clinic whose doctors train A doctor-days is
 * short at least max(0, A - (K - m) n) clinic-days, and the township has
 * cover x n of them.  Training days: the union of the courses' teaching
 * days (optimistic). */
static void cover_part(const struct bound_problem *B, struct vd_bound *b)
{
	const struct vd_program *p = B->p;
	size_t nc = B->nc, H = (size_t)B->H;
	vd_date never = p->end + 1;
	int *uday = xmalloc((H + 1) * sizeof *uday);
	int nu = 0;
	for (int t = 0; t < B->H; t++) {
		int any = 0;
		for (size_t c = 0; c < nc && !any; c++)
			any = B->c[c].n && B->c[c].m.tday[t];
		if (any)
			uday[nu++] = t;
	}
	long *A = xcalloc(p->nclinics + 1, sizeof *A);
	for (size_t x = 0; x < B->nd; x++)
		for (size_t c = 0; c < nc; c++)
			if (B->ok[x * nc + c])
				A[p->doctors[x].clinic] += B->c[c].d;
	long *capw = cover_after_baseline(B);
	/* clinics grouped by township (counting sort): each township's
	 * search then reads only its own clinics */
	size_t nt = p->ntownships;
	size_t *first = xcalloc(nt + 2, sizeof *first);
	size_t *byt = xmalloc((p->nclinics + 1) * sizeof *byt);
	for (size_t k = 0; k < p->nclinics; k++)
		first[p->clinics[k].township + 2]++;
	for (size_t w = 0; w < nt; w++)
		first[w + 2] += first[w + 1];
	for (size_t k = 0; k < p->nclinics; k++)
		byt[first[p->clinics[k].township + 1]++] = k;
	/* now clinics of township w are byt[first[w] .. first[w + 1]) */
	for (size_t w = 0; w < nt; w++) {
		long cw = capw[w] > 0 ? capw[w] : 0;
		long total = 0;
		for (size_t i = first[w]; i < first[w + 1]; i++)
			total += A[byt[i]];
		if (!total)
			continue;
		/* smallest n with short(n) <= cw n: binary search, short()
		 * falls and cw n rises with n; nu + 1 = not in the period */
		long lo = 1, hi = nu + 1, sh = 0;
		while (lo < hi) {
			long n = (lo + hi) / 2;
			if (township_short(p, A, byt + first[w], first[w + 1] - first[w], n) <= cw * n)
				hi = n;
			else
				lo = n + 1;
		}
		sh = township_short(p, A, byt + first[w], first[w + 1] - first[w], lo <= nu ? lo : nu);
		vd_date date = lo <= nu ? p->start + uday[lo - 1] : never;
		part_set(b, VD_BOUND_COVER, date, w, sh, cw, NULL);
	}
	free(byt);
	free(first);
	free(capw);
	free(A);
	free(uday);
}

/* excluded pairs: required by the plugins' rules but out of reach */
static void count_excluded(const struct bound_problem *B, struct vd_bound *b)
{
	for (size_t x = 0; x < B->nd; x++)
		for (size_t c = 0; c < B->nc; c++)
			if (!B->ok[x * B->nc + c] && vd_course_required(B->p, x, c))
				b->nexcluded++;
}

static void compute(const struct vd_program *p, size_t tw, int cover_delta,
                    struct vd_bound *b, int travel, size_t *home)
{
	struct bound_problem B;
	memset(b, 0, sizeof *b);
	b->date = p->start;
	b->binding = VD_BOUND_NONE;
	if (!problem_init(&B, p, tw, cover_delta)) {
		problem_free(&B);
		return;
	}
	doctor_part(&B, b);
	course_part(&B, b);
	seats_part(&B, b);
	cover_part(&B, b);
	count_excluded(&B, b);
	/* the latest part binds; ties go to the first kind (doctor, course,
	 * seats, cover): the simplest explanation */
	for (int k = 1; k < VD_BOUND_NKINDS; k++)
		if (b->part[k].set &&
		    (b->binding == VD_BOUND_NONE || b->part[k].date > b->date)) {
			b->date = b->part[k].date;
			b->binding = (enum vd_bound_kind)k;
		}
	if (travel && b->binding != VD_BOUND_NONE)
		travel_part(&B, b, home);
	problem_free(&B);
}

void vd_bound_compute_with(const struct vd_program *p, size_t tw, int cover_delta,
                           struct vd_bound *b)
{
	compute(p, tw, cover_delta, b, 0, NULL);
}

/* The site whose `what` (seats or a resource) to raise for a capacity
 * bound: of the course's sites (all sites for VD_BOUND_SEATS) the one
 * that has the most, so the change goes where the course already runs.
 * VD_NONE: none has any. */
static size_t capacity_site(const struct vd_program *p, const struct vd_course *co,
                            const char *what)
{
	size_t best = VD_NONE, n = co ? co->nsites : p->nsites;
	int most = 0;
	for (size_t j = 0; j < n; j++) {
		const struct vd_site *si = &p->sites[co ? co->sites[j] : j];
		int have = strcmp(what, "seats") ? vd_site_resource(si, what) : si->seats;
		if (have > most) {
			most = have;
			best = co ? co->sites[j] : j;
		}
	}
	return best;
}

/* For a course or seats bound: the bound with more of what binds at one
 * site, in steps of one unit of a resource or one cohort's seats: 1, 2,
 * 4 ... steps, up to doubling what the site has, until the bound comes
 * earlier (the smallest such raise among those tried, so the advice is
 * worth following).  The what-if program shares everything with p but
 * the sites array and the changed site's resources, which it owns. */
static void fix_capacity(const struct vd_program *p, struct vd_bound *b)
{
	const struct vd_bound_part *q = &b->part[b->binding];
	const struct vd_course *co = b->binding == VD_BOUND_COURSE ? &p->courses[q->index] : NULL;
	const char *what = co ? q->limit : "seats";
	if (!strcmp(what, "instructors"))
		return;
	size_t s = capacity_site(p, co, what);
	if (s == VD_NONE)
		return;
	struct vd_program alt = *p;
	struct vd_site *sites = xmalloc(p->nsites * sizeof *sites + 1);
	memcpy(sites, p->sites, p->nsites * sizeof *sites);
	struct vd_resource_count *res = NULL;
	alt.sites = sites;
	int *count = &sites[s].seats, unit = p->cohort_max;
	if (strcmp(what, "seats")) {
		size_t r = vd_site_resource_index(&sites[s], what);
		res = xmalloc(sites[s].nres * sizeof *res);
		memcpy(res, sites[s].res, sites[s].nres * sizeof *res);
		sites[s].res = res;
		count = &res[r].count;
		unit = 1;
	}
	int had = *count;
	for (int steps = 1;; steps *= 2) {
		struct vd_bound after;
		*count = had + steps * unit;
		compute(&alt, VD_NONE, 0, &after, 0, NULL);
		b->fix_count = *count;
		b->fix_date = after.date;
		b->fix_next = after.binding;
		b->fix_next_index = after.part[after.binding].index;
		if (after.date < b->date || steps * unit >= had)
			break;
	}
	b->fix_site = s;
	b->fix_what = what;
	free(res);
	free(sites);
}

void vd_bound_compute_given(const struct vd_program *p, const struct vd_travel_bound *travel,
                            struct vd_bound *b)
{
	compute(p, VD_NONE, 0, b, !travel, NULL);
	if (travel)
		b->travel = *travel;
	b->fix_site = VD_NONE;
	if (b->binding == VD_BOUND_COURSE || b->binding == VD_BOUND_SEATS)
		fix_capacity(p, b);
	if (b->binding == VD_BOUND_COVER) {
		struct vd_bound alt;
		size_t w = b->part[VD_BOUND_COVER].index;
		vd_bound_compute_with(p, w, 1, &alt);
		b->fix_cover = p->townships[w].cover + 1;
		b->fix_date = alt.date;
	}
}

void vd_bound_compute(const struct vd_program *p, struct vd_bound *b)
{
	vd_bound_compute_given(p, NULL, b);
}

void vd_bound_homes(const struct vd_program *p, struct vd_bound *b, size_t *home)
{
	for (size_t i = 0; i < 2 * p->ndoctors * p->ncourses; i++)
		home[i] = VD_NONE;
	compute(p, VD_NONE, 0, b, 1, home);
}

/* "raising dental_chairs of [site hospital] to 4 would allow DAY", or
 * NULL when fix_capacity found no change to name. */
static char *capacity_fix(const struct vd_program *p, const struct vd_bound *b)
{
	char a[11];
	if (b->fix_site == VD_NONE)
		return NULL;
	const char *site = p->sites[b->fix_site].id;
	if (b->fix_date >= b->date) {
		/* a tie: say what else binds, rather than promise nothing */
		size_t i = b->fix_next_index;
		char *next = b->fix_next == VD_BOUND_DOCTOR ? xasprintf(_("the courses of doctor %s"), p->doctors[i].id)
		           : b->fix_next == VD_BOUND_COURSE ? xasprintf(_("the capacity of course %s"), p->courses[i].name)
		           : b->fix_next == VD_BOUND_COVER ? xasprintf(_("the cover of township %s"), p->townships[i].id)
		           : xstrdup(_("the seats of all sites"));
		char *s = xasprintf(_("raising %s of [site %s] would not by itself allow an earlier day: %s binds on the same day"),
		                    b->fix_what, site, next);
		free(next);
		return s;
	}
	if (b->fix_date > p->end)
		return xasprintf(_("raising %s of [site %s] to %d would still not finish in the period"),
		                 b->fix_what, site, b->fix_count);
	return xasprintf(_("raising %s of [site %s] to %d would allow %s"),
	                 b->fix_what, site, b->fix_count, vd_date_format(b->fix_date, a));
}

char *vd_bound_describe(const struct vd_program *p, const struct vd_bound *b)
{
	const struct vd_bound_part *q = &b->part[b->binding];
	char a[11];
	switch (b->binding) {
	case VD_BOUND_DOCTOR:
		return xasprintf(_("the courses of doctor %s (%s) one after another, on their teaching days and around the doctor's unavailable dates; start earlier or move the doctor's unavailable dates"),
		                 p->doctors[q->index].id, p->doctors[q->index].name);
	case VD_BOUND_COURSE: {
		char *fix = capacity_fix(p, b);
		char *s = fix ? xasprintf(_("capacity of course %s: %ld doctors, %ld a day at its sites (limited by %s), %u days per run; %s"),
		                          p->courses[q->index].name, q->need, q->have, q->limit,
		                          p->courses[q->index].def->days, fix)
		              : xasprintf(_("capacity of course %s: %ld doctors, %ld a day at its sites (limited by %s), %u days per run; add sites or %s to [course %s]'s sites"),
		                          p->courses[q->index].name, q->need, q->have, q->limit,
		                          p->courses[q->index].def->days, q->limit, p->courses[q->index].name);
		free(fix);
		return s;
	}
	case VD_BOUND_SEATS: {
		char *fix = capacity_fix(p, b);
		char *s = fix ? xasprintf(_("seats of all sites: %ld trainee-days, at most %ld a day; %s"),
		                          q->need, q->have, fix)
		              : xasprintf(_("seats of all sites: %ld trainee-days, at most %ld a day; add seats or sites"),
		                          q->need, q->have);
		free(fix);
		return s;
	}
	case VD_BOUND_COVER: {
		const struct vd_township *t = &p->townships[q->index];
		char *name = strcmp(t->id, t->name) ? xasprintf("%s (%s)", t->id, t->name) : xstrdup(t->id);
		/* clinics with no doctor take their cover every day: say so, or
		 * "1 per day" reads wrong beside cover = 2 */
		char *who = q->have < t->cover
			? xasprintf(_("%s (cover = %d, %ld of it taken every day by clinics with no doctor on the roster)"),
			            name, t->cover, (long)t->cover - q->have)
			: xstrdup(name);
		free(name);
		/* A township known only from clinics.csv has no section to edit,
		 * and adding one would make every township need one: raise the
		 * cover of all of them, which allows no later day. */
		char *fix = t->line ? xasprintf(_("raising [township %s] cover to %d"), t->id, b->fix_cover)
		                    : xasprintf(_("raising [townships] cover (every township's) to %d"),
		                                b->fix_cover);
		char *s;
		if (b->fix_date > p->end)
			s = xasprintf(_("cover of township %s: %ld per day; %s would still not finish in the period"),
			              who, q->have, fix);
		else
			s = xasprintf(_("cover of township %s: %ld per day; %s would allow %s"),
			              who, q->have, fix, vd_date_format(b->fix_date, a));
		free(who);
		free(fix);
		return s;
	}
	default:
		return xasprintf("%s", _("nothing to schedule"));
	}
}

/* bound.c -- see bound.h.
 *
 * Every component is a relaxation, so each is at most the last day of any
 * feasible plan; tests/exact-bound.sh checks this against exact optima.
 * Days are indexes from p->start; H = the number of days in the period. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <math.h>
#include "bound.h"
#include "i18n.h"
#include "xalloc.h"

struct bc {                 /* one course */
	const struct vds_course *def;
	unsigned d;             /* days per run */
	int minsz, maxsz;
	unsigned char *tday;    /* per day: a teaching day of the course */
	int *tdays, ntdays;     /* its teaching days in order */
	int *next_end;          /* per day t: end of the first run starting >= t, or -1 */
	int *end_at;            /* per day t: end of the run starting at t, or -1 */
	size_t *prereq; size_t nprereq;
	long lanes;             /* trainees it can hold per day, all sites together */
	long *cap;              /* per site: trainees per day, 0 = not usable */
	const char *limit;      /* what caps the lanes */
	int group;              /* courses with the same teaching days */
	long n;                 /* schedulable pairs */
};

struct B {
	const struct vd_program *p;
	int H;
	size_t nc, nd;
	struct bc *c;
	unsigned char *ok;      /* nd x nc: a schedulable pair */
	int *cover;             /* per township, as given (with the what-if) */
};

static int completed(const struct vd_doctor *d, const char *course)
{
	for (size_t i = 0; i < d->completed.n; i++)
		if (strcasecmp(d->completed.v[i], course) == 0)
			return 1;
	return 0;
}

static int site_res(const struct vd_site *s, const char *name)
{
	for (size_t i = 0; i < s->nres; i++)
		if (!strcmp(s->res[i].name, name))
			return s->res[i].count;
	return 0;
}

static int instructor_ok(const struct vd_program *p, size_t i, size_t c, size_t s)
{
	const struct vd_instructor *in = &p->instructors[i];
	if (!vd_strv_has(&in->courses, p->courses[c].name))
		return 0;
	return !in->sites.n || vd_strv_has(&in->sites, p->sites[s].id);
}

/* The course's calendar, sizes and sites, as the planner sees them. */
static void setup_course(struct B *B, size_t c)
{
	const struct vd_program *p = B->p;
	const struct vd_course *co = &p->courses[c];
	struct bc *k = &B->c[c];
	size_t H = (size_t)B->H;
	k->def = co->def;
	k->d = co->def->days ? co->def->days : 1;
	k->minsz = co->def->min_size ? (int)co->def->min_size : p->cohort_min;
	k->maxsz = co->def->max_size ? (int)co->def->max_size : p->cohort_max;
	if (k->maxsz > p->cohort_max)
		k->maxsz = p->cohort_max;
	if (k->minsz < p->cohort_min)
		k->minsz = p->cohort_min;
	k->tday = xcalloc(H + 1, 1);
	k->tdays = xmalloc((H + 1) * sizeof *k->tdays);
	k->next_end = xmalloc((H + 1) * sizeof *k->next_end);
	k->end_at = xmalloc((H + 1) * sizeof *k->end_at);
	for (int t = 0; t < B->H; t++)
		if ((k->tday[t] = (unsigned char)vd_program_teaching_day(p, co, p->start + t)))
			k->tdays[k->ntdays++] = t;
	for (int t = 0; t < B->H; t++)
		k->end_at[t] = -1;
	for (int i = 0; i + (int)k->d <= k->ntdays; i++) {
		int a = k->tdays[i], e = k->tdays[i + (int)k->d - 1];
		if (co->def->max_span && (unsigned)(e - a + 1) > co->def->max_span)
			continue;
		k->end_at[a] = e;
	}
	int nx = -1;
	k->next_end[H] = -1;
	for (int t = B->H - 1; t >= 0; t--) {
		if (k->end_at[t] >= 0)
			nx = k->end_at[t];
		k->next_end[t] = nx;
	}
	for (size_t q = 0; q < co->def->nprereqs; q++) {
		size_t qi = vd_hmap_get(&p->course_ix, co->def->prereqs[q]);
		if (qi != VD_NONE) {
			k->prereq = xreallocarray(k->prereq, k->nprereq + 1, sizeof *k->prereq);
			k->prereq[k->nprereq++] = qi;
		}
	}
	unsigned cdays = co->def->weekdays ? co->def->weekdays : p->teaching_days;
	int needs_ins = co->def->needs_instructor;
	long nins = 0;
	for (size_t i = 0; i < p->ninstructors; i++)
		if (vd_strv_has(&p->instructors[i].courses, co->name) &&
		    (p->instructors[i].days & cdays)) {
			needs_ins = 1;
			nins++;
		}
	/* Per site, the trainees it can hold on one day: its seats, and per
	 * resource units x trainees per unit (one run per unit when per = 0). */
	k->cap = xcalloc(p->nsites + 1, sizeof *k->cap);
	k->limit = "seats";
	for (size_t j = 0; j < co->nsites; j++) {
		size_t s = co->sites[j];
		const struct vd_site *si = &p->sites[s];
		if (si->seats < k->minsz)
			continue;
		long cap = si->seats;
		const char *lim = NULL;
		int ok = 1;
		for (size_t r = 0; r < co->def->nresources; r++) {
			const struct vds_resource *res = &co->def->resources[r];
			int have = site_res(si, res->name);
			int units_min = res->per ? (k->minsz + (int)res->per - 1) / (int)res->per : 1;
			if (have < units_min)
				ok = 0;
			long l = res->per ? (long)have * res->per : (long)have * k->maxsz;
			if (l < cap) {
				cap = l;
				lim = res->name;
			}
		}
		if (ok && needs_ins) {
			int any = 0;
			for (size_t i = 0; i < p->ninstructors && !any; i++)
				any = instructor_ok(p, i, c, s);
			ok = any;
		}
		if (!ok)
			continue;
		k->cap[s] = cap;
		k->lanes += cap;
		if (lim)
			k->limit = lim;
	}
	/* Runs needing an instructor: at most one run per instructor a day. */
	if (needs_ins && nins && nins * k->maxsz < k->lanes) {
		k->lanes = nins * k->maxsz;
		k->limit = "instructors";
	}
}

/* End of the earliest run of course c starting on or after t0 that avoids
 * doctor x's unavailable dates; -1 if none. */
static int earliest_end(const struct B *B, size_t c, int t0, const struct vd_doctor *x)
{
	const struct bc *k = &B->c[c];
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
			ok = !k->tday[u] || !vd_in_ranges(x->unavail, x->nunavail, B->p->start + u);
		if (ok)
			return k->end_at[t];
	}
	return -1;
}

/* Which pairs any plan could schedule (see bound.h). */
static void requirements(struct B *B)
{
	const struct vd_program *p = B->p;
	size_t nc = B->nc;
	int *capw = xcalloc(p->ntownships + 1, sizeof *capw);
	for (size_t t = 0; t < p->ntownships; t++)
		capw[t] = B->cover[t];
	for (size_t k = 0; k < p->nclinics; k++) {
		int base = p->clinics[k].min_on_duty - (int)p->clinics[k].ndoctors;
		if (base > 0)
			capw[p->clinics[k].township] -= base;
	}
	unsigned char *need = xcalloc(B->nd * nc + 1, 1);
	for (size_t x = 0; x < B->nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		struct vds_doctor_view view = {
			d->id, d->name, cl->id, p->townships[cl->township].id,
			(const char *const *)d->completed.v, d->completed.n };
		int stuck = (int)cl->ndoctors - 1 < cl->min_on_duty && capw[cl->township] <= 0;
		for (size_t c = 0; c < nc; c++) {
			const struct vds_course *def = B->c[c].def;
			if (completed(d, p->courses[c].name))
				continue;
			const char *why = NULL;
			if (def->eligible && !def->eligible(def->state, &view, &why))
				continue;
			need[x * nc + c] = 1;
			int ok = !stuck && B->c[c].lanes > 0 && earliest_end(B, c, 0, d) >= 0;
			for (size_t q = 0; q < def->nprereqs && ok; q++)
				if (vd_hmap_get(&p->course_ix, def->prereqs[q]) == VD_NONE &&
				    !completed(d, def->prereqs[q]))
					ok = 0;
			B->ok[x * nc + c] = (unsigned char)ok;
		}
		/* A course whose prerequisite the doctor needs but cannot take is
		 * out of reach too (a chain is at most nc long). */
		for (size_t pass = 0; pass < nc; pass++)
			for (size_t c = 0; c < nc; c++)
				for (size_t q = 0; q < B->c[c].nprereq; q++) {
					size_t qc = B->c[c].prereq[q];
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
static int doctor_finish(const struct B *B, size_t x, int *f, int *rel)
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
			for (size_t q = 0; q < B->c[c].nprereq; q++) {
				size_t qc = B->c[c].prereq[q];
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
				for (size_t q = 0; q < B->c[idx[i]].nprereq && pre; q++)
					for (size_t j = 0; j < n; j++)
						if (idx[j] == B->c[idx[i]].prereq[q] && !(R & ((size_t)1 << j)))
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

/* Seats against travel.  Group the schedulable pairs by clinic and course
 * (n pairs of d days each) and let each pair go to any site that can
 * teach its course.  By the end of day t, site s holds at most cap_s(t)
 * trainee-days, and course c there at most capc_cs(t) where a resource
 * (dental chairs) holds it below the seats.  For prices P >= 0 on those
 * capacities,
 *
 *   LB(P) = sum_g n_g min_s (km_gs + (P_s + P_cs) d_g) - sum_k P_k cap_k(t)
 *
 * is at most the travel of any plan that places every pair by day t
 * (each pair pays km_gs + (P_s + P_cs) d_g at its site, and sum_k P_k
 * (load_k - cap_k) <= 0).  Coordinate ascent raises the prices: for one
 * capacity the best price is where the groups that still prefer it just
 * fit.  Whatever the prices, LB is a true bound; better prices only
 * tighten it.  A group's sites beyond its TNEAR nearest count as one site
 * without limits at the distance of the nearest of them, which only
 * lowers LB.  The last day found is a true bound as long as LB exceeded
 * the budget on the day before it: fewer days never need less travel. */
#define TNEAR 8

struct tgroup {
	long n, d;               /* pairs, days per pair */
	size_t c;                /* course */
	size_t e0, ne;           /* its entries: sites, nearest first, then the rest */
};

struct T {
	size_t ng, ns, nk, H1;   /* nk capacities: ns sites' seats, then per course x site */
	struct tgroup *g;
	size_t *site;            /* per entry: site, or VD_NONE = the far rest */
	size_t *kc;              /* per entry: its course-at-site capacity, or VD_NONE */
	double *km;
	size_t *of, *ofg, *ofe;  /* per capacity k: entries ofe[of[k] .. of[k+1]) of groups ofg[] */
	long *cum;               /* nk x H1: trainee-days capacity k holds on days 0 .. t-1 */
	double *P;               /* per capacity: its price */
	double *bestv, *secv;    /* per group: its cheapest entry's cost, the next one's */
	size_t *beste;           /* and which entry that is */
};

static double t_cost(const struct T *T, const struct tgroup *g, size_t e)
{
	if (T->site[e] == VD_NONE)
		return T->km[e];
	double pr = T->P[T->site[e]] + (T->kc[e] != VD_NONE ? T->P[T->kc[e]] : 0);
	return T->km[e] + pr * (double)g->d;
}

/* Group i's cheapest entry and the cost of the next (kept up to date as
 * prices change: a capacity's step then reads them instead of scanning
 * every group's sites again) */
static void tg_update(struct T *T, size_t i)
{
	const struct tgroup *g = &T->g[i];
	double b1 = 1e300, b2 = 1e300;
	size_t be = VD_NONE;
	for (size_t e = g->e0; e < g->e0 + g->ne; e++) {
		double v = t_cost(T, g, e);
		if (v < b1) {
			b2 = b1;
			b1 = v;
			be = e;
		} else if (v < b2) {
			b2 = v;
		}
	}
	T->bestv[i] = b1;
	T->secv[i] = b2;
	T->beste[i] = be;
}

static long t_cap(const struct T *T, size_t k, int t)
{
	return T->cum[k * T->H1 + (size_t)t + 1];
}

static double t_lb(const struct T *T, int t)
{
	double lb = 0;
	for (size_t i = 0; i < T->ng; i++)
		lb += (double)T->g[i].n * T->bestv[i];
	for (size_t k = 0; k < T->nk; k++)
		if (T->P[k] > 0)
			lb -= T->P[k] * (double)t_cap(T, k, t);
	return lb;
}

struct tbrk { double b; long w; };

static int brk_desc(const void *a, const void *b)
{
	double x = ((const struct tbrk *)a)->b, y = ((const struct tbrk *)b)->b;
	return x < y ? 1 : x > y ? -1 : 0;
}

static double t_eval(struct T *T, int t, struct tbrk *tmp, int rounds);

/* The earliest day in [lo, hi) whose LB is within lim, hi if none; the
 * day before it (if >= lo) has its LB proven above lim.  Fewer rounds
 * while searching: a weaker LB only makes the day found earlier, still
 * true. */
static int t_first(struct T *T, int lo, int hi, double lim, struct tbrk *tmp)
{
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (t_eval(T, mid, tmp, 6) <= lim)
			hi = mid;
		else
			lo = mid + 1;
	}
	return hi;
}

/* LB for finishing by day t after at most `rounds` rounds of ascent; the
 * prices improve in place (and carry over to the next day asked as a
 * warm start) */
static double t_eval(struct T *T, int t, struct tbrk *tmp, int rounds)
{
	double lb = t_lb(T, t);
	for (int sweep = 0; sweep < rounds; sweep++) {
		for (size_t k = 0; k < T->nk; k++) {
			long cap = t_cap(T, k, t);
			if (T->of[k] == T->of[k + 1])
				continue;
			if (T->P[k] == 0) {  /* free and not over: nothing to do */
				long load = 0;
				for (size_t j = T->of[k]; j < T->of[k + 1]; j++) {
					size_t i = T->ofg[j];
					if (T->beste[i] == T->ofe[j] && T->secv[i] > T->bestv[i])
						load += T->g[i].n * T->g[i].d;
				}
				if (load <= cap)
					continue;
			}
			size_t n = 0;
			long load = 0;
			for (size_t j = T->of[k]; j < T->of[k + 1]; j++) {
				size_t i = T->ofg[j], e = T->ofe[j];
				const struct tgroup *g = &T->g[i];
				/* above this price of k the group would rather go elsewhere */
				double other = T->beste[i] == e ? T->secv[i] : T->bestv[i];
				double b = T->P[k] + (other - t_cost(T, g, e)) / (double)g->d;
				if (b > 0) {
					tmp[n++] = (struct tbrk){ b, g->n * g->d };
					load += g->n * g->d;
				}
			}
			double pr = 0;
			if (load > cap) {
				qsort(tmp, n, sizeof *tmp, brk_desc);
				long acc = 0;
				for (size_t i = 0; i < n && !pr; i++)
					if ((acc += tmp[i].w) > cap)
						pr = tmp[i].b;
			}
			if (pr != T->P[k]) {
				T->P[k] = pr;
				for (size_t j = T->of[k]; j < T->of[k + 1]; j++)
					tg_update(T, T->ofg[j]);
			}
		}
		double nlb = t_lb(T, t);
		int done = nlb <= lb + 1e-5 * (1 + fabs(lb));  /* creeping: stop */
		lb = nlb > lb ? nlb : lb;
		if (done)
			break;
	}
	return lb;
}

static void travel_part(const struct B *B, struct vd_bound *b, size_t *home)
{
	const struct vd_program *p = B->p;
	size_t nc = B->nc, ns = p->nsites, ncl = p->nclinics;
	if (!ns || !ncl)
		return;
	struct T T0 = { 0 }, *T = &T0;
	T->ns = ns;
	T->nk = ns + nc * ns;
	T->H1 = (size_t)B->H + 1;
	long *n = xcalloc(ncl * nc + 1, sizeof *n);
	for (size_t x = 0; x < B->nd; x++)
		for (size_t c = 0; c < nc; c++)
			n[p->doctors[x].clinic * nc + c] += B->ok[x * nc + c];
	for (size_t i = 0; i < ncl * nc; i++)
		T->ng += n[i] > 0;
	/* A province's 84,000 groups take 3 s here (a city's 4,500: 0.02 s):
	 * above about 35,000 clinics the report goes without this part. */
	if (T->ng * (ns < TNEAR ? ns + 1 : TNEAR + 1) > 1000000) {
		free(n);
		return;
	}
	/* a course's own limit at a site counts where it is below the seats */
	unsigned char *own = xcalloc(nc * ns + 1, 1);
	for (size_t c = 0; c < nc; c++)
		for (size_t s = 0; s < ns; s++)
			own[c * ns + s] = B->c[c].cap[s] > 0 && B->c[c].cap[s] < p->sites[s].seats;
	size_t *gof = home ? xmalloc((ncl * nc + 1) * sizeof *gof) : NULL;  /* (clinic, course) -> group */
	size_t me = T->ng * (TNEAR + 1) + 1;
	T->g = xcalloc(T->ng + 1, sizeof *T->g);
	T->site = xmalloc(me * sizeof *T->site);
	T->kc = xmalloc(me * sizeof *T->kc);
	T->km = xmalloc(me * sizeof *T->km);
	size_t ne = 0, gi = 0, nent = 0;
	double near = 0;
	size_t *cnt = xcalloc(T->nk + 2, sizeof *cnt);
	/* nearness by the dot product of unit vectors (one multiply-add per
	 * site instead of a haversine); km only for the TNEAR + 1 nearest */
	const double rad = M_PI / 180.0;
	double *su = xmalloc((3 * ns + 1) * sizeof *su);
	for (size_t s = 0; s < ns; s++) {
		double la = p->sites[s].lat * rad, lo = p->sites[s].lon * rad;
		su[3 * s] = cos(la) * cos(lo);
		su[3 * s + 1] = cos(la) * sin(lo);
		su[3 * s + 2] = sin(la);
	}
	double *dot = xmalloc((ns + 1) * sizeof *dot);
	size_t *ord = xmalloc((ns + 1) * sizeof *ord);
	for (size_t k = 0; k < ncl; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		int any = 0;
		for (size_t c = 0; c < nc && !any; c++)
			any = n[k * nc + c] > 0;
		if (!any)
			continue;
		double la = cl->lat * rad, lo = cl->lon * rad;
		double u0 = cos(la) * cos(lo), u1 = cos(la) * sin(lo), u2 = sin(la);
		for (size_t s = 0; s < ns; s++)
			dot[s] = u0 * su[3 * s] + u1 * su[3 * s + 1] + u2 * su[3 * s + 2];
		for (size_t c = 0; c < nc; c++) {
			if (!n[k * nc + c])
				continue;
			size_t m = 0;
			for (size_t s = 0; s < ns; s++) {
				if (B->c[c].cap[s] <= 0 || (m == TNEAR + 1 && dot[s] <= dot[ord[TNEAR]]))
					continue;
				/* insertion into the TNEAR + 1 nearest */
				size_t i = m < TNEAR + 1 ? m++ : TNEAR;
				while (i > 0 && dot[ord[i - 1]] < dot[s]) {
					ord[i] = ord[i - 1];
					i--;
				}
				ord[i] = s;
			}
			if (gof)
				gof[k * nc + c] = gi;
			struct tgroup *g = &T->g[gi++];
			g->n = n[k * nc + c];
			g->d = B->c[c].d;
			g->c = c;
			g->e0 = ne;
			for (size_t i = 0; i < m; i++) {
				int rest = i == TNEAR;   /* stands for every site from here on */
				size_t s = ord[i];
				T->site[ne] = rest ? VD_NONE : s;
				T->kc[ne] = !rest && own[c * ns + s] ? ns + c * ns + s : VD_NONE;
				T->km[ne] = vd_km(cl->lat, cl->lon, p->sites[s].lat, p->sites[s].lon);
				if (!rest) {
					cnt[s + 1]++;
					nent++;
					if (T->kc[ne] != VD_NONE) {
						cnt[T->kc[ne] + 1]++;
						nent++;
					}
				}
				ne++;
			}
			g->ne = ne - g->e0;
			near += (double)g->n * T->km[g->e0];
		}
	}
	free(dot);
	free(su);
	free(ord);
	/* capacities' entries (CSR) */
	T->of = cnt;
	for (size_t k = 0; k < T->nk; k++)
		T->of[k + 1] += T->of[k];
	T->ofg = xmalloc((nent + 1) * sizeof *T->ofg);
	T->ofe = xmalloc((nent + 1) * sizeof *T->ofe);
	size_t *fill = xmalloc((T->nk + 1) * sizeof *fill);
	memcpy(fill, T->of, T->nk * sizeof *fill);
	for (size_t i = 0; i < T->ng; i++)
		for (size_t e = T->g[i].e0; e < T->g[i].e0 + T->g[i].ne; e++) {
			size_t ks[2] = { T->site[e], T->kc[e] };
			for (int j = 0; j < 2; j++)
				if (ks[j] != VD_NONE) {
					T->ofg[fill[ks[j]]] = i;
					T->ofe[fill[ks[j]]++] = e;
				}
		}
	free(fill);
	/* capacities: on day t site s holds at most its seats, and at most
	 * what the courses teaching that day could hold there; course c at
	 * most its own limit there on its teaching days */
	T->cum = xcalloc(T->nk * T->H1 + 1, sizeof *T->cum);
	for (size_t s = 0; s < ns; s++)
		for (int t = 0; t < B->H; t++) {
			long cs = 0;
			for (size_t c = 0; c < nc; c++)
				if (B->c[c].n && B->c[c].tday[t])
					cs += B->c[c].cap[s];
			long day = cs < p->sites[s].seats ? cs : p->sites[s].seats;
			T->cum[s * T->H1 + (size_t)t + 1] = T->cum[s * T->H1 + (size_t)t] + day;
		}
	for (size_t c = 0; c < nc; c++)
		for (size_t s = 0; s < ns; s++) {
			if (!own[c * ns + s])
				continue;
			long *cu = &T->cum[(ns + c * ns + s) * T->H1];
			for (int t = 0; t < B->H; t++)
				cu[t + 1] = cu[t] + (B->c[c].tday[t] ? B->c[c].cap[s] : 0);
		}
	free(own);
	T->P = xcalloc(T->nk + 1, sizeof *T->P);
	T->bestv = xmalloc((T->ng + 1) * sizeof *T->bestv);
	T->secv = xmalloc((T->ng + 1) * sizeof *T->secv);
	T->beste = xmalloc((T->ng + 1) * sizeof *T->beste);
	for (size_t i = 0; i < T->ng; i++)
		tg_update(T, i);
	struct tbrk *tmp = xmalloc((T->ng + 1) * sizeof *tmp);
	double lim = (1 + p->travel_budget) * near * (1 + 1e-9);
	int H = B->H;
	int t0 = b->date - p->start;   /* the other parts' bound */
	if (near > 0 && t0 >= 0 && t0 < H) {
		b->travel.set = 1;
		double lb0 = t_eval(T, t0, tmp, 20);
		b->travel.need = fmax(0, lb0 / near - 1);
		int hi = lb0 <= lim ? t0 : t_first(T, t0 + 1, H, lim, tmp);
		b->travel.date = p->start + hi;
		/* the capacity dearest on the day before: its site, and the
		 * course whose own limit it is (VD_NONE: the seats) */
		b->travel.site = b->travel.course = VD_NONE;
		if (hi > t0) {
			double lbe = t_eval(T, hi - 1, tmp, 20);
			if (hi == H)   /* not in the period: what the period's end takes */
				b->travel.end = fmax(0, lbe / near - 1);
			double best = 0;
			for (size_t k = 0; k < T->nk; k++) {
				double v = T->P[k] * (double)t_cap(T, k, hi - 1);
				if (v > best) {
					best = v;
					b->travel.site = k < ns ? k : (k - ns) % ns;
					b->travel.course = k < ns ? VD_NONE : (k - ns) / ns;
					b->travel.limit = k < ns ? NULL : B->c[(k - ns) / ns].limit;
				}
			}
		}
	}
	/* The sites at these prices, for the planner: each pair where its
	 * group is cheapest on the earliest day the budget allows, and (the
	 * second set) on the day half of it allows -- prices for a tighter
	 * day send more doctors far than a plan packed into runs can use. */
	if (home && b->travel.set) {
		int th = b->travel.date - p->start;
		th = th < t0 ? t0 : th >= H ? H - 1 : th;
		double lim2 = (1 + p->travel_budget / 2) * near * (1 + 1e-9);
		for (int set = 0; set < 2; set++) {
			size_t *h = home + (size_t)set * B->nd * nc;
			if (set) {
				int th2 = t_eval(T, th, tmp, 20) <= lim2 ? th : t_first(T, th + 1, H, lim2, tmp);
				th = th2 >= H ? H - 1 : th2;
			}
			t_eval(T, th, tmp, 20);
			for (size_t x = 0; x < B->nd; x++)
				for (size_t c = 0; c < nc; c++) {
					if (!B->ok[x * nc + c])
						continue;
					size_t be = T->beste[gof[p->doctors[x].clinic * nc + c]];
					h[x * nc + c] = be != VD_NONE ? T->site[be] : VD_NONE;
				}
		}
	}
	free(gof);
	free(n);
	free(tmp);
	free(T->bestv);
	free(T->secv);
	free(T->beste);
	free(T->P);
	free(T->cum);
	free(T->ofg);
	free(T->ofe);
	free(T->of);
	free(T->km);
	free(T->kc);
	free(T->site);
	free(T->g);
}

static void part_set(struct vd_bound *b, enum vd_bound_kind k, vd_date date, size_t index,
                     long need, long have, const char *limit)
{
	if (b->part[k].set && date <= b->part[k].date)
		return;
	b->part[k] = (struct vd_bound_part){ 1, date, index, need, have, limit };
}

static void compute(const struct vd_program *p, size_t tw, int cover_delta,
                    struct vd_bound *b, int travel, size_t *home)
{
	struct B B0 = { 0 }, *B = &B0;
	memset(b, 0, sizeof *b);
	b->date = p->start;
	b->binding = VD_BOUND_NONE;
	B->p = p;
	B->H = p->end >= p->start ? p->end - p->start + 1 : 0;
	B->nd = p->ndoctors;
	B->nc = 0;
	for (size_t c = 0; c < p->ncourses; c++)
		if (!p->courses[c].def)
			return;   /* not loaded: nothing sensible to say */
	B->nc = p->ncourses;
	size_t nc = B->nc, H = (size_t)B->H;
	if (!nc || !H)
		return;
	B->c = xcalloc(nc, sizeof *B->c);
	for (size_t c = 0; c < nc; c++)
		setup_course(B, c);
	/* groups: courses with identical teaching days */
	for (size_t c = 0; c < nc; c++) {
		B->c[c].group = (int)c;
		for (size_t c2 = 0; c2 < c; c2++)
			if (!memcmp(B->c[c].tday, B->c[c2].tday, H)) {
				B->c[c].group = B->c[c2].group;
				break;
			}
	}
	B->cover = xcalloc(p->ntownships + 1, sizeof *B->cover);
	for (size_t t = 0; t < p->ntownships; t++)
		B->cover[t] = p->townships[t].cover + (t == tw ? cover_delta : 0);
	B->ok = xcalloc(B->nd * nc + 1, 1);
	requirements(B);
	vd_date never = p->end + 1;

	/* doctor: each doctor's courses in sequence */
	{
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

	for (size_t x = 0; x < B->nd; x++)
		for (size_t c = 0; c < nc; c++)
			B->c[c].n += B->ok[x * nc + c];

	/* course: N trainees through `lanes` seats a day.  Runs of one course
	 * at one site never hold more trainees on a day than the site's
	 * capacity, so its runs split into that many lanes of disjoint runs
	 * (interval graphs are perfect); a lane finishes at most one run per d
	 * teaching days.  So by the end of teaching day i (0-based) at most
	 * lanes x floor((i + 1) / d) trainees are done. */
	for (size_t c = 0; c < nc; c++) {
		struct bc *k = &B->c[c];
		if (!k->n)
			continue;
		long runs = (k->n + k->lanes - 1) / k->lanes;
		long i = runs * (long)k->d - 1;
		vd_date date = i < k->ntdays ? p->start + k->tdays[i] : never;
		part_set(b, VD_BOUND_COURSE, date, c, k->n, k->lanes, k->limit);
	}

	/* seats: any set of courses together through the sites' seats; on a
	 * day a site holds at most its seats, and at most what those of the
	 * set's courses teaching that day could hold there. */
	if (nc <= 10) {
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
						if ((S & ((size_t)1 << c)) && B->c[c].n && B->c[c].tday[t])
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
	 * days up to the last day, a clinic whose doctors train A doctor-days
	 * is short at least max(0, A - (K - m) n) clinic-days, and the
	 * township has cover x n of them.  Training days: the union of the
	 * courses' teaching days (optimistic). */
	{
		int *uday = xmalloc((H + 1) * sizeof *uday);
		int nu = 0;
		for (int t = 0; t < B->H; t++) {
			int any = 0;
			for (size_t c = 0; c < nc && !any; c++)
				any = B->c[c].n && B->c[c].tday[t];
			if (any)
				uday[nu++] = t;
		}
		long *A = xcalloc(p->nclinics + 1, sizeof *A);
		for (size_t x = 0; x < B->nd; x++)
			for (size_t c = 0; c < nc; c++)
				if (B->ok[x * nc + c])
					A[p->doctors[x].clinic] += B->c[c].d;
		long *capw = xcalloc(p->ntownships + 1, sizeof *capw);
		for (size_t t = 0; t < p->ntownships; t++)
			capw[t] = B->cover[t];
		for (size_t k = 0; k < p->nclinics; k++) {
			int base = p->clinics[k].min_on_duty - (int)p->clinics[k].ndoctors;
			if (base > 0)
				capw[p->clinics[k].township] -= base;
		}
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
	for (size_t x = 0; x < B->nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		for (size_t c = 0; c < nc; c++) {
			if (B->ok[x * nc + c] || completed(d, p->courses[c].name))
				continue;
			const struct vds_course *def = B->c[c].def;
			const struct vd_clinic *cl = &p->clinics[d->clinic];
			struct vds_doctor_view view = {
				d->id, d->name, cl->id, p->townships[cl->township].id,
				(const char *const *)d->completed.v, d->completed.n };
			const char *why = NULL;
			if (!def->eligible || def->eligible(def->state, &view, &why))
				b->nexcluded++;
		}
	}

	/* the latest part binds; ties go to the first kind (doctor, course,
	 * seats, cover): the simplest explanation */
	for (int k = 1; k < VD_BOUND_NKINDS; k++)
		if (b->part[k].set &&
		    (b->binding == VD_BOUND_NONE || b->part[k].date > b->date)) {
			b->date = b->part[k].date;
			b->binding = (enum vd_bound_kind)k;
		}
	if (travel && b->binding != VD_BOUND_NONE)
		travel_part(B, b, home);

	for (size_t c = 0; c < nc; c++) {
		free(B->c[c].tday); free(B->c[c].tdays); free(B->c[c].next_end);
		free(B->c[c].end_at); free(B->c[c].prereq); free(B->c[c].cap);
	}
	free(B->c);
	free(B->ok);
	free(B->cover);
}

void vd_bound_compute_with(const struct vd_program *p, size_t tw, int cover_delta,
                           struct vd_bound *b)
{
	compute(p, tw, cover_delta, b, 0, NULL);
}

void vd_bound_compute_given(const struct vd_program *p, const struct vd_travel_bound *travel,
                            struct vd_bound *b)
{
	compute(p, VD_NONE, 0, b, !travel, NULL);
	if (travel)
		b->travel = *travel;
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

char *vd_bound_describe(const struct vd_program *p, const struct vd_bound *b)
{
	const struct vd_bound_part *q = &b->part[b->binding];
	char a[11];
	switch (b->binding) {
	case VD_BOUND_DOCTOR:
		return xasprintf(_("the courses of doctor %s (%s) one after another, on their teaching days and around the doctor's unavailable dates; start earlier or move the doctor's unavailable dates"),
		                 p->doctors[q->index].id, p->doctors[q->index].name);
	case VD_BOUND_COURSE:
		return xasprintf(_("capacity of course %s: %ld doctors, %ld a day at its sites (limited by %s), %u days per run; add sites or %s to [course %s]'s sites"),
		                 p->courses[q->index].name, q->need, q->have, q->limit,
		                 p->courses[q->index].def->days, q->limit, p->courses[q->index].name);
	case VD_BOUND_SEATS:
		return xasprintf(_("seats of all sites: %ld trainee-days, at most %ld a day; add seats or sites"),
		                 q->need, q->have);
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

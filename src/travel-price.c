/* travel-price.c -- see travel-price.h.
 *
 * Days are indexes from p->start; H = the number of days in the period. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "travel-price.h"
#include "xalloc.h"

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

struct travel_group {
	long n, d;               /* pairs, days per pair */
	size_t c;                /* course */
	size_t e0, ne;           /* its entries: sites, nearest first, then the rest */
};

/* The pricing problem: the groups, their entries (one site each), the
 * capacities with their prices, and each group's cheapest entry. */
struct travel_prices {
	size_t ng, ns, nk, H1;   /* nk capacities: ns sites' seats, then per course x site */
	struct travel_group *g;
	size_t *site;            /* per entry: site, or VD_NONE = the far rest */
	size_t *kc;              /* per entry: its course-at-site capacity, or VD_NONE */
	double *km;
	size_t *of, *ofg, *ofe;  /* per capacity k: entries ofe[of[k] .. of[k+1]) of groups ofg[] */
	long *cum;               /* nk x H1: trainee-days capacity k holds on days 0 .. t-1 */
	double *P;               /* per capacity: its price */
	double *bestv, *secv;    /* per group: its cheapest entry's cost, the next one's */
	size_t *beste;           /* and which entry that is */
};

static double entry_cost(const struct travel_prices *TP, const struct travel_group *g, size_t e)
{
	if (TP->site[e] == VD_NONE)
		return TP->km[e];
	double pr = TP->P[TP->site[e]] + (TP->kc[e] != VD_NONE ? TP->P[TP->kc[e]] : 0);
	return TP->km[e] + pr * (double)g->d;
}

/* Group i's cheapest entry and the cost of the next (kept up to date as
 * prices change: a capacity's step then reads them instead of scanning
 * every group's sites again) */
static void group_update(struct travel_prices *TP, size_t i)
{
	const struct travel_group *g = &TP->g[i];
	double b1 = 1e300, b2 = 1e300;
	size_t be = VD_NONE;
	for (size_t e = g->e0; e < g->e0 + g->ne; e++) {
		double v = entry_cost(TP, g, e);
		if (v < b1) {
			b2 = b1;
			b1 = v;
			be = e;
		} else if (v < b2) {
			b2 = v;
		}
	}
	TP->bestv[i] = b1;
	TP->secv[i] = b2;
	TP->beste[i] = be;
}

static long capacity_by(const struct travel_prices *TP, size_t k, int t)
{
	return TP->cum[k * TP->H1 + (size_t)t + 1];
}

static double lower_bound(const struct travel_prices *TP, int t)
{
	double lb = 0;
	for (size_t i = 0; i < TP->ng; i++)
		lb += (double)TP->g[i].n * TP->bestv[i];
	for (size_t k = 0; k < TP->nk; k++)
		if (TP->P[k] > 0)
			lb -= TP->P[k] * (double)capacity_by(TP, k, t);
	return lb;
}

struct price_break { double b; long w; };

static int break_desc(const void *a, const void *b)
{
	double x = ((const struct price_break *)a)->b, y = ((const struct price_break *)b)->b;
	return x < y ? 1 : x > y ? -1 : 0;
}

static double ascend(struct travel_prices *TP, int t, struct price_break *tmp, int rounds);

/* The earliest day in [lo, hi) whose LB is within lim, hi if none; the
 * day before it (if >= lo) has its LB proven above lim.  Fewer rounds
 * while searching: a weaker LB only makes the day found earlier, still
 * true. */
static int first_day_within(struct travel_prices *TP, int lo, int hi, double lim, struct price_break *tmp)
{
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ascend(TP, mid, tmp, 6) <= lim)
			hi = mid;
		else
			lo = mid + 1;
	}
	return hi;
}

/* LB for finishing by day t after at most `rounds` rounds of ascent; the
 * prices improve in place (and carry over to the next day asked as a
 * warm start) */
static double ascend(struct travel_prices *TP, int t, struct price_break *tmp, int rounds)
{
	double lb = lower_bound(TP, t);
	for (int sweep = 0; sweep < rounds; sweep++) {
		for (size_t k = 0; k < TP->nk; k++) {
			long cap = capacity_by(TP, k, t);
			if (TP->of[k] == TP->of[k + 1])
				continue;
			if (TP->P[k] == 0) {  /* free and not over: nothing to do */
				long load = 0;
				for (size_t j = TP->of[k]; j < TP->of[k + 1]; j++) {
					size_t i = TP->ofg[j];
					if (TP->beste[i] == TP->ofe[j] && TP->secv[i] > TP->bestv[i])
						load += TP->g[i].n * TP->g[i].d;
				}
				if (load <= cap)
					continue;
			}
			size_t n = 0;
			long load = 0;
			for (size_t j = TP->of[k]; j < TP->of[k + 1]; j++) {
				size_t i = TP->ofg[j], e = TP->ofe[j];
				const struct travel_group *g = &TP->g[i];
				/* above this price of k the group would rather go elsewhere */
				double other = TP->beste[i] == e ? TP->secv[i] : TP->bestv[i];
				double b = TP->P[k] + (other - entry_cost(TP, g, e)) / (double)g->d;
				if (b > 0) {
					tmp[n++] = (struct price_break){ b, g->n * g->d };
					load += g->n * g->d;
				}
			}
			double pr = 0;
			if (load > cap) {
				qsort(tmp, n, sizeof *tmp, break_desc);
				long acc = 0;
				for (size_t i = 0; i < n && !pr; i++)
					if ((acc += tmp[i].w) > cap)
						pr = tmp[i].b;
			}
			if (pr != TP->P[k]) {
				TP->P[k] = pr;
				for (size_t j = TP->of[k]; j < TP->of[k + 1]; j++)
					group_update(TP, TP->ofg[j]);
			}
		}
		double nlb = lower_bound(TP, t);
		int done = nlb <= lb + 1e-5 * (1 + fabs(lb));  /* creeping: stop */
		lb = nlb > lb ? nlb : lb;
		if (done)
			break;
	}
	return lb;
}

/* Pairs per (clinic, course) group: n[clinic * nc + c]; their number. */
static long *group_sizes(const struct vd_travel_input *in, size_t *ng)
{
	const struct vd_program *p = in->p;
	size_t nc = p->ncourses;
	long *n = xcalloc(p->nclinics * nc + 1, sizeof *n);
	for (size_t x = 0; x < p->ndoctors; x++)
		for (size_t c = 0; c < nc; c++)
			n[p->doctors[x].clinic * nc + c] += in->ok[x * nc + c];
	*ng = 0;
	for (size_t i = 0; i < p->nclinics * nc; i++)
		*ng += n[i] > 0;
	return n;
}

/* Unit vectors of the sites: nearness by a dot product (one multiply-add
 * per site instead of a haversine); km only for the TNEAR + 1 nearest. */
static double *site_units(const struct vd_program *p)
{
	const double rad = M_PI / 180.0;
	double *su = xmalloc((3 * p->nsites + 1) * sizeof *su);
	for (size_t s = 0; s < p->nsites; s++) {
		double la = p->sites[s].lat * rad, lo = p->sites[s].lon * rad;
		su[3 * s] = cos(la) * cos(lo);
		su[3 * s + 1] = cos(la) * sin(lo);
		su[3 * s + 2] = sin(la);
	}
	return su;
}

/* ord[0..m): the TNEAR + 1 sites nearest by dot that can hold course c. */
static size_t nearest_sites(const struct vd_travel_course *tc, size_t ns, const double *dot, size_t *ord)
{
	size_t m = 0;
	for (size_t s = 0; s < ns; s++) {
		if (tc->cap[s] <= 0 || (m == TNEAR + 1 && dot[s] <= dot[ord[TNEAR]]))
			continue;
		/* insertion into the TNEAR + 1 nearest */
		size_t i = m < TNEAR + 1 ? m++ : TNEAR;
		while (i > 0 && dot[ord[i - 1]] < dot[s]) {
			ord[i] = ord[i - 1];
			i--;
		}
		ord[i] = s;
	}
	return m;
}

/* The building of the groups' entries, shared by group_entries' steps. */
struct entry_builder {
	size_t ne, gi, nent;     /* entries, groups, (capacity, entry) links so far */
	size_t *cnt;             /* per capacity + 1: its links */
	const unsigned char *own;
	double near;             /* travel to the nearest sites, all pairs */
};

/* Group gi: n pairs of course c from clinic cl, to the sites ord[0..m). */
static void add_group(struct travel_prices *TP, struct entry_builder *eb, const struct vd_program *p,
                      const struct vd_clinic *cl, size_t c, long n, unsigned days,
                      const size_t *ord, size_t m)
{
	size_t ns = TP->ns;
	struct travel_group *g = &TP->g[eb->gi++];
	g->n = n;
	g->d = days;
	g->c = c;
	g->e0 = eb->ne;
	for (size_t i = 0; i < m; i++) {
		int rest = i == TNEAR;   /* stands for every site from here on */
		size_t s = ord[i], e = eb->ne++;
		TP->site[e] = rest ? VD_NONE : s;
		TP->kc[e] = !rest && eb->own[c * ns + s] ? ns + c * ns + s : VD_NONE;
		TP->km[e] = vd_km(cl->lat, cl->lon, p->sites[s].lat, p->sites[s].lon);
		if (!rest) {
			eb->cnt[s + 1]++;
			eb->nent++;
			if (TP->kc[e] != VD_NONE) {
				eb->cnt[TP->kc[e] + 1]++;
				eb->nent++;
			}
		}
	}
	g->ne = eb->ne - g->e0;
	eb->near += (double)g->n * TP->km[g->e0];
}

/* Every group and its entries, nearest sites first; gof (or NULL) maps
 * (clinic, course) to its group. */
static void group_entries(struct travel_prices *TP, struct entry_builder *eb,
                          const struct vd_travel_input *in, const long *n, size_t *gof)
{
	const struct vd_program *p = in->p;
	size_t nc = p->ncourses, ns = p->nsites;
	double *su = site_units(p);
	double *dot = xmalloc((ns + 1) * sizeof *dot);
	size_t *ord = xmalloc((ns + 1) * sizeof *ord);
	const double rad = M_PI / 180.0;
	for (size_t k = 0; k < p->nclinics; k++) {
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
			size_t m = nearest_sites(&in->course[c], ns, dot, ord);
			if (gof)
				gof[k * nc + c] = eb->gi;
			add_group(TP, eb, p, cl, c, n[k * nc + c], in->course[c].days, ord, m);
		}
	}
	free(dot);
	free(su);
	free(ord);
}

/* Each capacity's entries (CSR): ofe[of[k] .. of[k + 1]) of groups ofg[];
 * cnt (per capacity + 1: its links) becomes of. */
static void capacity_entries(struct travel_prices *TP, size_t *cnt, size_t nent)
{
	TP->of = cnt;
	for (size_t k = 0; k < TP->nk; k++)
		TP->of[k + 1] += TP->of[k];
	TP->ofg = xmalloc((nent + 1) * sizeof *TP->ofg);
	TP->ofe = xmalloc((nent + 1) * sizeof *TP->ofe);
	size_t *fill = xmalloc((TP->nk + 1) * sizeof *fill);
	memcpy(fill, TP->of, TP->nk * sizeof *fill);
	for (size_t i = 0; i < TP->ng; i++)
		for (size_t e = TP->g[i].e0; e < TP->g[i].e0 + TP->g[i].ne; e++) {
			size_t ks[2] = { TP->site[e], TP->kc[e] };
			for (int j = 0; j < 2; j++)
				if (ks[j] != VD_NONE) {
					TP->ofg[fill[ks[j]]] = i;
					TP->ofe[fill[ks[j]]++] = e;
				}
		}
	free(fill);
}

/* Capacities: on day t site s holds at most its seats, and at most what
 * the courses teaching that day could hold there; course c at most its
 * own limit there on its teaching days (where own). */
static void capacities(struct travel_prices *TP, const struct vd_travel_input *in,
                       const unsigned char *own)
{
	const struct vd_program *p = in->p;
	size_t nc = p->ncourses, ns = p->nsites;
	TP->cum = xcalloc(TP->nk * TP->H1 + 1, sizeof *TP->cum);
	for (size_t s = 0; s < ns; s++)
		for (int t = 0; t < in->H; t++) {
			long cs = 0;
			for (size_t c = 0; c < nc; c++)
				if (in->course[c].npairs && in->course[c].tday[t])
					cs += in->course[c].cap[s];
			long day = cs < p->sites[s].seats ? cs : p->sites[s].seats;
			TP->cum[s * TP->H1 + (size_t)t + 1] = TP->cum[s * TP->H1 + (size_t)t] + day;
		}
	for (size_t c = 0; c < nc; c++)
		for (size_t s = 0; s < ns; s++) {
			if (!own[c * ns + s])
				continue;
			long *cu = &TP->cum[(ns + c * ns + s) * TP->H1];
			for (int t = 0; t < in->H; t++)
				cu[t + 1] = cu[t] + (in->course[c].tday[t] ? in->course[c].cap[s] : 0);
		}
}

/* The pricing problem for in's groups; 0 (nothing built) when there are
 * too many to price.  gof as group_entries. */
static int prices_init(struct travel_prices *TP, const struct vd_travel_input *in, size_t *gof,
                       double *near)
{
	const struct vd_program *p = in->p;
	size_t nc = p->ncourses, ns = p->nsites;
	memset(TP, 0, sizeof *TP);
	TP->ns = ns;
	TP->nk = ns + nc * ns;
	TP->H1 = (size_t)in->H + 1;
	long *n = group_sizes(in, &TP->ng);
	/* A province's 84,000 groups take 3 s here (a city's 4,500: 0.02 s):
	 * above about 35,000 clinics the report goes without this part. */
	if (TP->ng * (ns < TNEAR ? ns + 1 : TNEAR + 1) > 1000000) {
		free(n);
		return 0;
	}
	/* a course's own limit at a site counts where it is below the seats */
	unsigned char *own = xcalloc(nc * ns + 1, 1);
	for (size_t c = 0; c < nc; c++)
		for (size_t s = 0; s < ns; s++)
			own[c * ns + s] = in->course[c].cap[s] > 0 && in->course[c].cap[s] < p->sites[s].seats;
	size_t me = TP->ng * (TNEAR + 1) + 1;
	TP->g = xcalloc(TP->ng + 1, sizeof *TP->g);
	TP->site = xmalloc(me * sizeof *TP->site);
	TP->kc = xmalloc(me * sizeof *TP->kc);
	TP->km = xmalloc(me * sizeof *TP->km);
	struct entry_builder eb = { 0, 0, 0, xcalloc(TP->nk + 2, sizeof *eb.cnt), own, 0 };
	group_entries(TP, &eb, in, n, gof);
	capacity_entries(TP, eb.cnt, eb.nent);
	capacities(TP, in, own);
	free(own);
	free(n);
	TP->P = xcalloc(TP->nk + 1, sizeof *TP->P);
	TP->bestv = xmalloc((TP->ng + 1) * sizeof *TP->bestv);
	TP->secv = xmalloc((TP->ng + 1) * sizeof *TP->secv);
	TP->beste = xmalloc((TP->ng + 1) * sizeof *TP->beste);
	for (size_t i = 0; i < TP->ng; i++)
		group_update(TP, i);
	*near = eb.near;
	return 1;
}

static void prices_free(struct travel_prices *TP)
{
	free(TP->bestv);
	free(TP->secv);
	free(TP->beste);
	free(TP->P);
	free(TP->cum);
	free(TP->ofg);
	free(TP->ofe);
	free(TP->of);
	free(TP->km);
	free(TP->kc);
	free(TP->site);
	free(TP->g);
}

/* The part's date from day t0 (the other parts' bound) on, the share of
 * travel it needs, and the capacity dearest on the day before it: its
 * site, and the course whose own limit it is (VD_NONE: the seats). */
static void find_date(struct travel_prices *TP, const struct vd_travel_input *in, double near,
                      struct price_break *tmp, struct vd_travel_bound *tb)
{
	const struct vd_program *p = in->p;
	size_t ns = TP->ns;
	double lim = (1 + p->travel_budget) * near * (1 + 1e-9);
	int H = in->H;
	int t0 = in->date - p->start;
	tb->set = 1;
	double lb0 = ascend(TP, t0, tmp, 20);
	tb->need = fmax(0, lb0 / near - 1);
	int hi = lb0 <= lim ? t0 : first_day_within(TP, t0 + 1, H, lim, tmp);
	tb->date = p->start + hi;
	tb->site = tb->course = VD_NONE;
	if (hi <= t0)
		return;
	double lbe = ascend(TP, hi - 1, tmp, 20);
	if (hi == H)   /* not in the period: what the period's end takes */
		tb->end = fmax(0, lbe / near - 1);
	double best = 0;
	for (size_t k = 0; k < TP->nk; k++) {
		double v = TP->P[k] * (double)capacity_by(TP, k, hi - 1);
		if (v > best) {
			best = v;
			tb->site = k < ns ? k : (k - ns) % ns;
			tb->course = k < ns ? VD_NONE : (k - ns) / ns;
			tb->limit = k < ns ? NULL : in->course[(k - ns) / ns].limit;
		}
	}
}

/* The sites at these prices, for the planner: each pair where its group
 * is cheapest on the earliest day the budget allows, and (the second
 * set) on the day half of it allows -- prices for a tighter day send
 * more doctors far than a plan packed into runs can use. */
static void find_homes(struct travel_prices *TP, const struct vd_travel_input *in, double near,
                       const size_t *gof, struct price_break *tmp, const struct vd_travel_bound *tb,
                       size_t *home)
{
	const struct vd_program *p = in->p;
	size_t nc = p->ncourses, nd = p->ndoctors;
	int H = in->H, t0 = in->date - p->start;
	int th = tb->date - p->start;
	th = th < t0 ? t0 : th >= H ? H - 1 : th;
	double lim2 = (1 + p->travel_budget / 2) * near * (1 + 1e-9);
	for (int set = 0; set < 2; set++) {
		size_t *h = home + (size_t)set * nd * nc;
		if (set) {
			int th2 = ascend(TP, th, tmp, 20) <= lim2 ? th : first_day_within(TP, th + 1, H, lim2, tmp);
			th = th2 >= H ? H - 1 : th2;
		}
		ascend(TP, th, tmp, 20);
		for (size_t x = 0; x < nd; x++)
			for (size_t c = 0; c < nc; c++) {
				if (!in->ok[x * nc + c])
					continue;
				size_t be = TP->beste[gof[p->doctors[x].clinic * nc + c]];
				h[x * nc + c] = be != VD_NONE ? TP->site[be] : VD_NONE;
			}
	}
}

void vd_travel_price(const struct vd_travel_input *in, struct vd_travel_bound *tb, size_t *home)
{
	const struct vd_program *p = in->p;
	size_t nc = p->ncourses;
	if (!p->nsites || !p->nclinics)
		return;
	struct travel_prices TP;
	double near = 0;
	size_t *gof = home ? xmalloc((p->nclinics * nc + 1) * sizeof *gof) : NULL;  /* (clinic, course) -> group */
	if (!prices_init(&TP, in, gof, &near)) {
		free(gof);
		return;
	}
	struct price_break *tmp = xmalloc((TP.ng + 1) * sizeof *tmp);
	int t0 = in->date - p->start;
	if (near > 0 && t0 >= 0 && t0 < in->H)
		find_date(&TP, in, near, tmp, tb);
	if (home && tb->set)
		find_homes(&TP, in, near, gof, tmp, tb, home);
	free(gof);
	free(tmp);
	prices_free(&TP);
}

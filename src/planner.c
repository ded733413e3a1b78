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
#include "planner.h"
#include "xalloc.h"

enum { F_BUSY = 1, F_COVER = 2, F_PREREQ = 4, F_SIZE = 8, F_TRIED = 16 };

struct cinfo {
	const struct vds_course *def;
	int minsz, maxsz;
	int *start_ix;          /* per day: index into dates / days, or -1 */
	int *dates;             /* day indexes of each possible run */
	int ndates;
	size_t *prereq;         /* loaded prerequisite course indexes */
	size_t nprereq;
	unsigned char *usable;  /* per site */
	int needs_ins;          /* the plugin asks, or an instructor names it */
};

struct pool {
	size_t *v;
	size_t n, cap;
};

struct st {
	const struct vd_program *p;
	struct vd_plan *pl;
	size_t runcap;
	int H;
	size_t nc, ns, nd;
	struct cinfo *ci;
	int *seats_used;        /* ns x H */
	int **res_used;         /* per site: nres x H */
	unsigned char *ins_busy;/* ninstructors x H */
	uint16_t *away;         /* nclinics x H */
	int *cover_used;        /* ntownships x H */
	int *cover_cap;         /* per township, after baseline shortfall */
	size_t *asg;            /* nd x nc: run index or VD_NONE */
	unsigned char *need;    /* nd x nc: 1 required, 0 not */
	unsigned char *fail;    /* nd x nc: F_* seen */
	size_t *home;           /* nd x nc: the site the doctor is planned at */
	size_t *nearest;        /* nd x nc: nearest usable site (travel bound) */
	struct pool *pools;     /* ns x nc */
	struct pool *runs_at;   /* ns x nc: indexes of the runs held there */
	double (*sxyz)[3];      /* sites on the unit sphere */
	size_t *bylat;          /* sites ordered by latitude */
	int progress;           /* stderr is a terminal: show progress */
	uint64_t *order;        /* per doctor: sort key */
	size_t *corder;         /* courses, most constrained first */
	double *load;           /* per course: days of its sites' capacity needed */
};

double vd_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(fmin(1.0, sqrt(a)));
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

static int site_res(const struct vd_site *s, const char *name)
{
	for (size_t i = 0; i < s->nres; i++)
		if (!strcmp(s->res[i].name, name))
			return s->res[i].count;
	return 0;
}

static size_t res_index(const struct vd_site *s, const char *name)
{
	for (size_t i = 0; i < s->nres; i++)
		if (!strcmp(s->res[i].name, name))
			return i;
	return VD_NONE;
}

static int units_for(const struct vds_resource *r, int n)
{
	return r->per ? (n + (int)r->per - 1) / (int)r->per : 1;
}

static int instructor_ok(const struct st *S, size_t i, size_t c, size_t s)
{
	const struct vd_instructor *in = &S->p->instructors[i];
	if (!vd_strv_has(&in->courses, S->p->courses[c].name))
		return 0;
	return !in->sites.n || vd_strv_has(&in->sites, S->p->sites[s].id);
}

static void setup_courses(struct st *S)
{
	const struct vd_program *p = S->p;
	S->ci = xcalloc(S->nc, sizeof *S->ci);
	for (size_t c = 0; c < S->nc; c++) {
		struct cinfo *ci = &S->ci[c];
		const struct vd_course *co = &p->courses[c];
		ci->def = co->def;
		ci->minsz = co->def->min_size ? (int)co->def->min_size : p->cohort_min;
		ci->maxsz = co->def->max_size ? (int)co->def->max_size : p->cohort_max;
		if (ci->maxsz > p->cohort_max)
			ci->maxsz = p->cohort_max;
		if (ci->minsz < p->cohort_min)
			ci->minsz = p->cohort_min;
		int days = (int)co->def->days;
		ci->start_ix = xmalloc((size_t)S->H * sizeof *ci->start_ix);
		ci->dates = xmalloc((size_t)S->H * (size_t)days * sizeof *ci->dates);
		for (int t = 0; t < S->H; t++) {
			ci->start_ix[t] = -1;
			if (!vd_program_teaching_day(p, co, p->start + t))
				continue;
			int k = 0, u = t;
			int *d = &ci->dates[(size_t)ci->ndates * (size_t)days];
			for (; u < S->H && k < days; u++)
				if (vd_program_teaching_day(p, co, p->start + u))
					d[k++] = u;
			if (k < days)
				continue;
			if (co->def->max_span && (unsigned)(d[days - 1] - d[0] + 1) > co->def->max_span)
				continue;
			ci->start_ix[t] = ci->ndates++;
		}
		for (size_t q = 0; q < co->def->nprereqs; q++) {
			size_t qi = vd_hmap_get(&p->course_ix, co->def->prereqs[q]);
			if (qi != VD_NONE) {
				ci->prereq = xreallocarray(ci->prereq, ci->nprereq + 1, sizeof *ci->prereq);
				ci->prereq[ci->nprereq++] = qi;
			}
		}
		/* A course needs an instructor for every run when its plugin says
		 * so, or when an [instructor] names it and works on days the
		 * course runs.  An instructor who never works on those days is
		 * not made a condition (check warns about it): otherwise one
		 * misread day list would leave the whole course unscheduled. */
		unsigned cdays = co->def->weekdays ? co->def->weekdays : p->teaching_days;
		ci->needs_ins = co->def->needs_instructor;
		for (size_t i = 0; i < p->ninstructors; i++)
			ci->needs_ins |= vd_strv_has(&p->instructors[i].courses, co->name) &&
			                 (p->instructors[i].days & cdays);
		ci->usable = xcalloc(S->ns ? S->ns : 1, 1);
		for (size_t j = 0; j < co->nsites; j++) {
			size_t s = co->sites[j];
			const struct vd_site *si = &p->sites[s];
			int ok = si->seats >= ci->minsz;
			for (size_t r = 0; r < co->def->nresources; r++)
				if (site_res(si, co->def->resources[r].name) <
				    units_for(&co->def->resources[r], ci->minsz))
					ok = 0;
			if (ci->needs_ins) {
				int any = 0;
				for (size_t i = 0; i < p->ninstructors; i++)
					any |= instructor_ok(S, i, c, s);
				ok &= any;
			}
			ci->usable[s] = (unsigned char)ok;
		}
	}
}

static const int *run_days(const struct st *S, size_t c, int t)
{
	int ix = S->ci[c].start_ix[t];
	return ix < 0 ? NULL : &S->ci[c].dates[(size_t)ix * S->ci[c].def->days];
}

/* The trainees of course c site s can hold at once when it is empty: in
 * one run, or (all) in as many runs as fit. */
static int run_capacity(const struct st *S, size_t c, size_t s, int all)
{
	const struct vd_site *si = &S->p->sites[s];
	const struct vds_course *def = S->ci[c].def;
	int cap = S->ci[c].maxsz < si->seats && !all ? S->ci[c].maxsz : si->seats;
	for (size_t r = 0; r < def->nresources; r++) {
		int have = site_res(si, def->resources[r].name);
		int lim = def->resources[r].per ? have * (int)def->resources[r].per : (have > 0 ? cap : 0);
		if (lim < cap)
			cap = lim;
	}
	return cap;
}

/* How many trainees site s can still take for course c on days D. */
static int site_capacity(const struct st *S, size_t c, size_t s, const int *D)
{
	const struct vd_site *si = &S->p->sites[s];
	const struct vds_course *def = S->ci[c].def;
	int cap = S->ci[c].maxsz;
	for (unsigned k = 0; k < def->days; k++) {
		int free_seats = si->seats - S->seats_used[s * (size_t)S->H + (size_t)D[k]];
		if (free_seats < cap)
			cap = free_seats;
	}
	for (size_t r = 0; r < def->nresources; r++) {
		size_t ri = res_index(si, def->resources[r].name);
		if (ri == VD_NONE)
			return 0;
		int freeu = si->res[ri].count;
		for (unsigned k = 0; k < def->days; k++) {
			int f = si->res[ri].count - S->res_used[s][ri * (size_t)S->H + (size_t)D[k]];
			if (f < freeu)
				freeu = f;
		}
		int lim = def->resources[r].per ? freeu * (int)def->resources[r].per : (freeu >= 1 ? cap : 0);
		if (lim < cap)
			cap = lim;
	}
	return cap < 0 ? 0 : cap;
}

static size_t find_instructor(const struct st *S, size_t c, size_t s, const int *D)
{
	const struct vd_program *p = S->p;
	for (size_t i = 0; i < p->ninstructors; i++) {
		if (!instructor_ok(S, i, c, s))
			continue;
		int ok = 1;
		for (unsigned k = 0; k < S->ci[c].def->days && ok; k++) {
			vd_date t = p->start + D[k];
			ok = (p->instructors[i].days & (1u << vd_weekday(t))) &&
			     !S->ins_busy[i * (size_t)S->H + (size_t)D[k]];
		}
		if (ok)
			return i;
	}
	return VD_NONE;
}

static int dates_overlap(const int *a, size_t na, const vd_date *b, size_t nb, vd_date base)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		vd_date x = base + a[i], y = b[j];
		if (x == y)
			return 1;
		if (x < y)
			i++;
		else
			j++;
	}
	return 0;
}

/* Can doctor x take course c on days D?  Checks the doctor's calendar and
 * prerequisites; coverage is checked (and taken) by take(). */
static int doctor_free(struct st *S, size_t x, size_t c, const int *D)
{
	const struct vd_program *p = S->p;
	const struct vd_doctor *d = &p->doctors[x];
	unsigned days = S->ci[c].def->days;
	for (unsigned k = 0; k < days; k++)
		if (vd_in_ranges(d->unavail, d->nunavail, p->start + D[k])) {
			S->fail[x * S->nc + c] |= F_BUSY;
			return 0;
		}
	for (size_t c2 = 0; c2 < S->nc; c2++) {
		size_t r = S->asg[x * S->nc + c2];
		if (r == VD_NONE)
			continue;
		const struct vd_run *run = &S->pl->runs[r];
		if (dates_overlap(D, days, run->dates, S->ci[c2].def->days, p->start)) {
			S->fail[x * S->nc + c] |= F_BUSY;
			return 0;
		}
	}
	for (size_t q = 0; q < S->ci[c].nprereq; q++) {
		size_t qc = S->ci[c].prereq[q];
		if (!S->need[x * S->nc + qc])
			continue;
		size_t r = S->asg[x * S->nc + qc];
		if (r == VD_NONE || S->pl->runs[r].dates[S->ci[qc].def->days - 1] >= p->start + D[0]) {
			S->fail[x * S->nc + c] |= F_PREREQ;
			return 0;
		}
	}
	/* A course this one is a prerequisite of must not already be earlier. */
	for (size_t c2 = 0; c2 < S->nc; c2++) {
		size_t r = S->asg[x * S->nc + c2];
		if (r == VD_NONE)
			continue;
		for (size_t q = 0; q < S->ci[c2].nprereq; q++)
			if (S->ci[c2].prereq[q] == c && S->pl->runs[r].dates[0] <= p->start + D[days - 1])
				return 0;
	}
	return 1;
}

/* Takes doctor x away from the clinic on days D if coverage allows (with
 * township cover).  Returns 1 and updates the tables, or 0. */
static int take(struct st *S, size_t x, size_t c, const int *D, int commit)
{
	const struct vd_program *p = S->p;
	size_t k = p->doctors[x].clinic;
	const struct vd_clinic *cl = &p->clinics[k];
	size_t tw = cl->township;
	unsigned days = S->ci[c].def->days;
	for (unsigned j = 0; j < days; j++) {
		size_t a = k * (size_t)S->H + (size_t)D[j];
		int avail_after = (int)cl->ndoctors - (int)S->away[a] - 1;
		if (avail_after < cl->min_on_duty &&
		    S->cover_used[tw * (size_t)S->H + (size_t)D[j]] + 1 > S->cover_cap[tw]) {
			S->fail[x * S->nc + c] |= F_COVER;
			return 0;
		}
	}
	if (!commit)
		return 1;
	for (unsigned j = 0; j < days; j++) {
		size_t a = k * (size_t)S->H + (size_t)D[j];
		int avail_after = (int)cl->ndoctors - (int)S->away[a] - 1;
		if (avail_after < cl->min_on_duty)
			S->cover_used[tw * (size_t)S->H + (size_t)D[j]]++;
		S->away[a]++;
	}
	return 1;
}

static void untake(struct st *S, size_t x, size_t c, const int *D)
{
	const struct vd_program *p = S->p;
	size_t k = p->doctors[x].clinic;
	const struct vd_clinic *cl = &p->clinics[k];
	size_t tw = cl->township;
	for (unsigned j = 0; j < S->ci[c].def->days; j++) {
		size_t a = k * (size_t)S->H + (size_t)D[j];
		S->away[a]--;
		if ((int)cl->ndoctors - (int)S->away[a] - 1 < cl->min_on_duty)
			S->cover_used[tw * (size_t)S->H + (size_t)D[j]]--;
	}
}

static void pool_push(struct pool *po, size_t x)
{
	xgrow(&po->v, &po->cap, po->n + 1, sizeof *po->v);
	po->v[po->n++] = x;
}

/* The k nearest sites of clinic `cl` that can hold course c, nearest
 * first; returns how many. */
#define NEAR 8
static size_t near_sites(const struct st *S, const struct vd_clinic *cl, size_t c, size_t *out)
{
	const struct vd_program *p = S->p;
	const double rad = M_PI / 180.0;
	double best[NEAR], u[3];
	size_t n = 0;
	unit(cl->lat, cl->lon, u);
	/* outwards from the clinic's latitude, as in nearest_sites_of() */
	size_t lo = 0, hi = S->ns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->sites[S->bylat[mid]].lat < cl->lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t up = lo, down = lo;
	for (;;) {
		double reach = n < NEAR ? 10.0 : acos(fmax(-1.0, fmin(1.0, -best[NEAR - 1])));
		double du = up < S->ns ? (p->sites[S->bylat[up]].lat - cl->lat) * rad : 1e9;
		double dd = down > 0 ? (cl->lat - p->sites[S->bylat[down - 1]].lat) * rad : 1e9;
		if ((du > reach + 1e-12 && dd > reach + 1e-12) || (up >= S->ns && down == 0))
			break;
		size_t s = du <= dd ? S->bylat[up++] : S->bylat[--down];
		if (!S->ci[c].usable[s])
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
	}
	return n;
}

static size_t new_run(struct st *S, size_t c, size_t s, size_t ins, const int *D)
{
	struct vd_plan *pl = S->pl;
	xgrow(&pl->runs, &S->runcap, pl->nruns + 1, sizeof *pl->runs);
	struct vd_run *r = &pl->runs[pl->nruns];
	memset(r, 0, sizeof *r);
	r->course = c;
	r->site = s;
	r->instructor = ins;
	unsigned days = S->ci[c].def->days;
	r->dates = xmalloc(days * sizeof *r->dates);
	for (unsigned k = 0; k < days; k++)
		r->dates[k] = S->p->start + D[k];
	pool_push(&S->runs_at[s * S->nc + c], pl->nruns);
	return pl->nruns++;
}

static void book_site(struct st *S, size_t c, size_t s, size_t ins, const int *D, int n, int sign)
{
	const struct vd_site *si = &S->p->sites[s];
	const struct vds_course *def = S->ci[c].def;
	for (unsigned k = 0; k < def->days; k++) {
		size_t t = (size_t)D[k];
		S->seats_used[s * (size_t)S->H + t] += sign * n;
		for (size_t r = 0; r < def->nresources; r++) {
			size_t ri = res_index(si, def->resources[r].name);
			S->res_used[s][ri * (size_t)S->H + t] += sign * units_for(&def->resources[r], n);
		}
		if (ins != VD_NONE)
			S->ins_busy[ins * (size_t)S->H + t] = sign > 0;
	}
}

static void add_member(struct st *S, size_t run, size_t x)
{
	struct vd_run *r = &S->pl->runs[run];
	r->members = xreallocarray(r->members, r->nmembers + 1, sizeof *r->members);
	r->members[r->nmembers++] = x;
	S->asg[x * S->nc + r->course] = run;
	S->pl->nassigned++;
}

/* Tries to form one run of course c at site s starting on day t from pool
 * `po`.  Returns 1 if a run was formed. */
static int form_run(struct st *S, size_t c, size_t s, int t, struct pool *po, int final)
{
	const int *D = run_days(S, c, t);
	if (!D || !po->n)
		return 0;
	struct cinfo *ci = &S->ci[c];
	int cap = site_capacity(S, c, s, D);
	if (cap < ci->minsz)
		return 0;
	size_t ins = VD_NONE;
	if (ci->needs_ins && (ins = find_instructor(S, c, s, D)) == VD_NONE)
		return 0;
	/* Compact the pool: drop doctors already placed for c. */
	size_t w = 0;
	for (size_t i = 0; i < po->n; i++)
		if (S->asg[po->v[i] * S->nc + c] == VD_NONE)
			po->v[w++] = po->v[i];
	po->n = w;
	if ((int)po->n < ci->minsz) {
		if (final)
			for (size_t i = 0; i < po->n; i++)
				S->fail[po->v[i] * S->nc + c] |= F_SIZE;
		return 0;
	}
	/* Even sizes: split what waits into equal runs no larger than cap. */
	int want = cap;
	size_t k = (po->n + (size_t)cap - 1) / (size_t)cap;
	if (k > 1 && (int)((po->n + k - 1) / k) < want)
		want = (int)((po->n + k - 1) / k);
	if (want < ci->minsz)
		want = ci->minsz;

	size_t *chosen = xmalloc((size_t)want * sizeof *chosen);
	int n = 0;
	for (size_t i = 0; i < po->n && n < want; i++) {
		size_t x = po->v[i];
		if (final)
			S->fail[x * S->nc + c] |= F_TRIED;
		if (!doctor_free(S, x, c, D) || !take(S, x, c, D, 1))
			continue;
		chosen[n++] = x;
	}
	if (n < ci->minsz) {
		for (int i = 0; i < n; i++)
			untake(S, chosen[i], c, D);
		if (final)
			for (int i = 0; i < n; i++)
				S->fail[chosen[i] * S->nc + c] |= F_SIZE;
		free(chosen);
		return 0;
	}
	size_t run = new_run(S, c, s, ins, D);
	book_site(S, c, s, ins, D, n, +1);
	for (int i = 0; i < n; i++)
		add_member(S, run, chosen[i]);
	free(chosen);
	return 1;
}

static void sweep(struct st *S, int final)
{
	/* Progress for long runs, only when stderr is a terminal. */
	int show = S->progress && !final && S->nd > 20000;
	for (int t = 0; t < S->H; t++) {
		if (show && t % 7 == 0)
			fprintf(stderr, "\rvdsched: planning day %d/%d ", t + 1, S->H);
		for (size_t s = 0; s < S->ns; s++)
			for (size_t ci = 0; ci < S->nc; ci++) {
				size_t c = S->corder[ci];
				if (!S->ci[c].usable[s] || S->ci[c].start_ix[t] < 0)
					continue;
				struct pool *po = &S->pools[s * S->nc + c];
				while (form_run(S, c, s, t, po, final))
					;
			}
	}
	if (show)
		fputs("\r\033[K", stderr);
}

static void run_days_of(const struct st *S, const struct vd_run *run, int *D)
{
	for (unsigned k = 0; k < S->ci[run->course].def->days; k++)
		D[k] = run->dates[k] - S->p->start;
}

/* Seats and resources for one more trainee in an existing run? */
static int room_for_one(const struct st *S, const struct vd_run *run, const int *D)
{
	size_t c = run->course;
	const struct vds_course *def = S->ci[c].def;
	const struct vd_site *si = &S->p->sites[run->site];
	if ((int)run->nmembers >= S->ci[c].maxsz)
		return 0;
	for (unsigned k = 0; k < def->days; k++)
		if (S->seats_used[run->site * (size_t)S->H + (size_t)D[k]] + 1 > si->seats)
			return 0;
	for (size_t q = 0; q < def->nresources; q++) {
		const struct vds_resource *rs = &def->resources[q];
		int extra = units_for(rs, (int)run->nmembers + 1) - units_for(rs, (int)run->nmembers);
		size_t ri = res_index(si, rs->name);
		for (unsigned k = 0; k < def->days && extra; k++)
			if (S->res_used[run->site][ri * (size_t)S->H + (size_t)D[k]] + extra > si->res[ri].count)
				return 0;
	}
	return 1;
}

/* Books one trainee more (sign +1) or less (-1) in a run's seats and
 * resources. */
static void book_one(struct st *S, const struct vd_run *run, const int *D, int sign)
{
	const struct vds_course *def = S->ci[run->course].def;
	const struct vd_site *si = &S->p->sites[run->site];
	int before = (int)run->nmembers, after = before + sign;
	for (unsigned k = 0; k < def->days; k++) {
		S->seats_used[run->site * (size_t)S->H + (size_t)D[k]] += sign;
		for (size_t q = 0; q < def->nresources; q++) {
			size_t ri = res_index(si, def->resources[q].name);
			S->res_used[run->site][ri * (size_t)S->H + (size_t)D[k]] +=
				units_for(&def->resources[q], after) - units_for(&def->resources[q], before);
		}
	}
}

/* x joins run r (already checked). */
static void join(struct st *S, size_t r, size_t x)
{
	int D[64];
	run_days_of(S, &S->pl->runs[r], D);
	book_one(S, &S->pl->runs[r], D, +1);
	take(S, x, S->pl->runs[r].course, D, 1);
	add_member(S, r, x);
}

/* x leaves run r. */
static void leave(struct st *S, size_t r, size_t x)
{
	struct vd_run *run = &S->pl->runs[r];
	int D[64];
	run_days_of(S, run, D);
	size_t w = 0;
	for (size_t m = 0; m < run->nmembers; m++)
		if (run->members[m] != x)
			run->members[w++] = run->members[m];
	book_one(S, run, D, -1);  /* uses nmembers before the removal */
	run->nmembers = w;
	untake(S, x, run->course, D);
	S->asg[x * S->nc + run->course] = VD_NONE;
	S->pl->nassigned--;
}

/* Adds a waiting doctor to an existing run with room, nearest site first,
 * earliest first; never run `skip`. */
static int insert_into_runs(struct st *S, size_t x, size_t c, size_t skip, size_t only_site)
{
	const struct vd_program *p = S->p;
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
		const struct pool *ra = &S->runs_at[sites[k] * S->nc + c];
		const struct vd_site *si = &p->sites[sites[k]];
		double km = vd_km(cl->lat, cl->lon, si->lat, si->lon);
		if (best != VD_NONE && km > bestkm + 1e-9)
			break;  /* sites come nearest first */
		for (size_t j = 0; j < ra->n; j++) {
			size_t r = ra->v[j];
			struct vd_run *run = &S->pl->runs[r];
			if (r == skip)
				continue;
			run_days_of(S, run, D);
			if (!room_for_one(S, run, D) || !doctor_free(S, x, c, D) || !take(S, x, c, D, 0))
				continue;
			if (best == VD_NONE || run->dates[0] < bestday) {
				best = r;
				bestkm = km;
				bestday = run->dates[0];
			}
		}
	}
	if (best != VD_NONE)
		join(S, best, x);
	return best != VD_NONE;
}

static int overlaps(const struct st *S, const struct vd_run *a, const struct vd_run *b)
{
	int D[64];
	run_days_of(S, a, D);
	return dates_overlap(D, S->ci[a->course].def->days, b->dates,
	                     S->ci[b->course].def->days, S->p->start);
}

/* One ejection: x cannot join a run of c only because its township's cover
 * is used up on those days.  Move a doctor y of the same township who uses
 * that cover to another run of y's course, and let x take the place. */
static int repair(struct st *S, size_t x, size_t c)
{
	const struct vd_program *p = S->p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	size_t tw = cl->township;
	int D[64];
	unsigned budget = 20000;
	size_t sites[NEAR];
	size_t ns = near_sites(S, cl, c, sites);
	for (size_t a = 0; a < ns && budget; a++) {
		const struct pool *ra = &S->runs_at[sites[a] * S->nc + c];
		for (size_t ia = 0; ia < ra->n && budget; ia++) {
			size_t r = ra->v[ia];
			struct vd_run *run = &S->pl->runs[r];
			run_days_of(S, run, D);
			if (!room_for_one(S, run, D) || !doctor_free(S, x, c, D))
				continue;
			/* who of x's township is away on those days, at sites near x */
			for (size_t b = 0; b < ns && budget; b++)
				for (size_t c2 = 0; c2 < S->nc && budget; c2++) {
					const struct pool *rb = &S->runs_at[sites[b] * S->nc + c2];
					for (size_t ib = 0; ib < rb->n && budget; ib++, budget--) {
						size_t r2 = rb->v[ib];
						struct vd_run *o = &S->pl->runs[r2];
						if (r2 == r || (int)o->nmembers - 1 < S->ci[o->course].minsz || !overlaps(S, run, o))
							continue;
						for (size_t m = 0; m < o->nmembers && budget; m++, budget--) {
							size_t y = o->members[m];
							const struct vd_clinic *cy = &p->clinics[p->doctors[y].clinic];
							if (cy->township != tw || (int)cy->ndoctors - 1 >= cy->min_on_duty)
								continue;
							leave(S, r2, y);
							if (take(S, x, c, D, 0)) {
								join(S, r, x);
								if (insert_into_runs(S, y, c2, r2, VD_NONE))
									return 1;
								leave(S, r, x);
							}
							join(S, r2, y);
							o = &S->pl->runs[r2];
						}
					}
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
	struct cinfo *ci = &S->ci[c];
	size_t placed = 0;
	size_t *got = xmalloc((nleft + (size_t)ci->maxsz + 1) * sizeof *got);
	size_t *from = xmalloc((nleft + (size_t)ci->maxsz + 1) * sizeof *from);
	for (size_t si = 0; si < nsites && placed < nleft; si++) {
		size_t s = sites[si];
		if (!ci->usable[s])
			continue;
		for (int t = 0; t < S->H && placed < nleft; t++) {
			const int *D = run_days(S, c, t);
			if (!D || site_capacity(S, c, s, D) < ci->minsz)
				continue;
			size_t ins = VD_NONE;
			if (ci->needs_ins && (ins = find_instructor(S, c, s, D)) == VD_NONE)
				continue;
			size_t n = 0, nl = 0;
			for (size_t i = 0; i < nleft && (int)n < ci->maxsz; i++) {
				size_t x = left[i];
				if (S->asg[x * S->nc + c] != VD_NONE || !doctor_free(S, x, c, D) || !take(S, x, c, D, 1))
					continue;
				from[n] = VD_NONE;
				got[n++] = x;
			}
			nl = n;
			/* donors: members of bigger runs of c at this site */
			const struct pool *ra = &S->runs_at[s * S->nc + c];
			for (size_t j = 0; nl && j < ra->n && (int)n < ci->minsz; j++) {
				size_t r = ra->v[j];
				struct vd_run *run = &S->pl->runs[r];
				for (size_t m = 0; m < run->nmembers && (int)run->nmembers > ci->minsz &&
				                   (int)n < ci->minsz;) {
					size_t y = run->members[m];
					leave(S, r, y);
					if (doctor_free(S, y, c, D) && take(S, y, c, D, 1)) {
						from[n] = r;
						got[n++] = y;
					} else {
						join(S, r, y);  /* members stay sorted? order is not relied on */
						m++;
					}
					run = &S->pl->runs[r];
				}
			}
			if (nl && (int)n >= ci->minsz) {
				size_t r = new_run(S, c, s, ins, D);
				book_site(S, c, s, ins, D, (int)n, +1);
				for (size_t i = 0; i < n; i++)
					add_member(S, r, got[i]);
				placed += nl;
				continue;
			}
			for (size_t i = 0; i < n; i++) {
				untake(S, got[i], c, D);
				if (from[i] != VD_NONE)
					join(S, from[i], got[i]);
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
	for (size_t i = 0; i < S->ns * S->nc; i++)
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

/* Cohorts: a run continues the cohort most of its members began in, when
 * that cohort has no run of this course yet; else it starts a new one. */
static void name_cohorts(struct st *S)
{
	struct vd_plan *pl = S->pl;
	if (pl->nruns)
		qsort(pl->runs, pl->nruns, sizeof *pl->runs, cmp_run);
	size_t *home = xmalloc(S->nd * sizeof *home);
	for (size_t i = 0; i < S->nd; i++)
		home[i] = VD_NONE;
	/* cohort -> courses it has (bitmask over <= 64 courses, else no reuse) */
	uint64_t *has = NULL;
	size_t ncoh = 0;
	size_t *cnt = xcalloc(pl->nruns + 1, sizeof *cnt);
	for (size_t r = 0; r < pl->nruns; r++) {
		struct vd_run *run = &pl->runs[r];
		qsort(run->members, run->nmembers, sizeof *run->members, cmp_size);
		size_t bestk = VD_NONE, bestn = 0;
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
		size_t k = bestk;
		if (k == VD_NONE || bestn * 2 < run->nmembers) {
			k = ncoh++;
			has = xreallocarray(has, ncoh, sizeof *has);
			has[k] = 0;
		}
		if (run->course < 64)
			has[k] |= 1ULL << run->course;
		snprintf(run->cohort, sizeof run->cohort, "C%03zu", k + 1);
		for (size_t m = 0; m < run->nmembers; m++)
			if (home[run->members[m]] == VD_NONE)
				home[run->members[m]] = k;
	}
	pl->ncohorts = ncoh;
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
	const struct vd_program *p = S->p;
	const struct vd_doctor *d = &p->doctors[x];
	const struct vd_clinic *cl = &p->clinics[d->clinic];
	const struct vd_township *tw = &p->townships[cl->township];
	const char *cn = p->courses[c].name;
	unsigned f = S->fail[x * S->nc + c];
	char end[11];
	vd_date_format(p->end, end);

	int any_site = 0;
	for (size_t s = 0; s < S->ns; s++)
		any_site |= S->ci[c].usable[s];
	if (!any_site) {
		char *why = S->ns && p->courses[c].nsites
		            ? site_unfit(p, &p->courses[c], p->courses[c].sites[0], S->ci[c].minsz, S->ci[c].needs_ins)
		            : NULL;
		char *msg = xasprintf(_("no site can hold course %s%s%s"), cn, why ? ": " : "", why ? why : "");
		free(why);
		return msg;
	}
	if (!S->ci[c].ndates)
		return xasprintf(_("course %s (%u days) has no possible run dates between start and end on its teaching days"),
		                 cn, S->ci[c].def->days);
	for (size_t q = 0; q < S->ci[c].nprereq; q++) {
		size_t qc = S->ci[c].prereq[q];
		if (S->need[x * S->nc + qc] && S->asg[x * S->nc + qc] == VD_NONE)
			return xasprintf(_("prerequisite %s could not be scheduled, so %s cannot follow it"),
			                 p->courses[qc].name, cn);
	}
	if ((int)cl->ndoctors - 1 < cl->min_on_duty && S->cover_cap[cl->township] <= 0)
		return xasprintf(_("clinic %s would be left without a doctor (%u on the roster, min_on_duty %d) and township %s has no cover (cover = %d); raise [township %s] cover"),
		                 cl->id, cl->ndoctors, cl->min_on_duty, tw->id, tw->cover, tw->id);
	if (f & F_COVER && !(f & ~(unsigned)(F_COVER | F_TRIED | F_BUSY | F_SIZE)))
		return xasprintf(_("clinic %s would be left without a doctor on every date %s could run before %s: township %s's cover (%d per day) is used up by other clinics"),
		                 cl->id, cn, end, tw->id, S->cover_cap[cl->township]);
	if (f & F_PREREQ)
		return xasprintf(_("the prerequisite of %s ends too late for %s to fit before %s"), cn, cn, end);
	if ((f & F_BUSY) && d->nunavail)
		return xasprintf(_("unavailable or in other training on every date %s could run at a site with room before %s"),
		                 cn, end);
	if (f & F_SIZE)
		return xasprintf(_("too few doctors need %s at sites within reach on the same dates to fill a run (cohort_min %d)"),
		                 cn, S->ci[c].minsz);
	return xasprintf(_("no site had seats, resources%s free for %s on a date this doctor could attend before %s"),
	                 S->ci[c].needs_ins ? _(" or an instructor") : "", cn, end);
}

static void build_cover_rows(struct st *S)
{
	const struct vd_program *p = S->p;
	struct vd_plan *pl = S->pl;
	size_t cap = 0;
	for (int t = 0; t < S->H; t++)
		for (size_t k = 0; k < p->nclinics; k++) {
			const struct vd_clinic *cl = &p->clinics[k];
			int away = S->away[k * (size_t)S->H + (size_t)t];
			if (!away)
				continue;
			int sf = cl->min_on_duty - ((int)cl->ndoctors - away);
			if (sf <= 0)
				continue;
			xgrow(&pl->cover, &cap, pl->ncover + 1, sizeof *pl->cover);
			pl->cover[pl->ncover++] = (struct vd_cover_row){ p->start + t, cl->township, k, sf };
		}
}

static void bounds(struct st *S)
{
	const struct vd_program *p = S->p;
	struct vd_plan *pl = S->pl;
	double need_seatdays = 0;
	vd_date earliest = p->start;
	pl->travel_km = pl->travel_bound_km = 0;
	for (size_t x = 0; x < S->nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < S->nc; c++) {
			size_t r = S->asg[x * S->nc + c];
			if (r == VD_NONE)
				continue;
			const struct vd_site *si = &p->sites[pl->runs[r].site];
			pl->travel_km += vd_km(cl->lat, cl->lon, si->lat, si->lon);
			size_t h = S->nearest[x * S->nc + c];
			if (h != VD_NONE)
				pl->travel_bound_km += vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
		}
	}
	for (size_t c = 0; c < S->nc; c++) {
		size_t n = 0;
		for (size_t x = 0; x < S->nd; x++)
			n += S->need[x * S->nc + c];
		need_seatdays += (double)n * S->ci[c].def->days;
		if (n && S->ci[c].ndates) {
			/* A doctor's chain of prerequisites bounds the finish too. */
			int len = (int)S->ci[c].def->days;
			for (size_t q = 0; q < S->ci[c].nprereq; q++)
				len += (int)S->ci[S->ci[c].prereq[q]].def->days;
			int t = 0, k = 0;
			for (; t < S->H && k < len; t++)
				k += vd_program_teaching_day(p, &p->courses[c], p->start + t);
			if (p->start + t - 1 > earliest)
				earliest = p->start + t - 1;
		}
	}
	/* Seat-days: all sites' seats on every teaching day, until they cover
	 * what the required pairs need. */
	double have = 0;
	vd_date cap_day = p->start;
	for (int t = 0; t < S->H && have < need_seatdays; t++) {
		for (size_t s = 0; s < S->ns; s++) {
			int open = 0;
			for (size_t c = 0; c < S->nc && !open; c++)
				open = S->ci[c].usable[s] && vd_program_teaching_day(p, &p->courses[c], p->start + t);
			if (open)
				have += p->sites[s].seats;
		}
		cap_day = p->start + t;
	}
	pl->last_day_bound = cap_day > earliest ? cap_day : earliest;
	/* Each course alone: its sites, every teaching day, full runs. */
	for (size_t c = 0; c < S->nc; c++) {
		double needc = 0, perday = 0, got = 0;
		for (size_t x = 0; x < S->nd; x++)
			needc += S->need[x * S->nc + c] == 1;
		needc *= S->ci[c].def->days;
		for (size_t s = 0; s < S->ns; s++)
			if (S->ci[c].usable[s])
				perday += run_capacity(S, c, s, 1);
		if (needc <= 0 || perday <= 0)
			continue;
		for (int t = 0; t < S->H && got < needc; t++)
			if (vd_program_teaching_day(p, &p->courses[c], p->start + t)) {
				got += perday;
				if (got >= needc && p->start + t > pl->last_day_bound)
					pl->last_day_bound = p->start + t;
			}
	}
	pl->last_day = 0;
	for (size_t r = 0; r < pl->nruns; r++) {
		vd_date e = pl->runs[r].dates[S->ci[pl->runs[r].course].def->days - 1];
		if (e > pl->last_day)
			pl->last_day = e;
	}
}

static void st_free(struct st *S)
{
	for (size_t c = 0; c < S->nc && S->ci; c++) {
		free(S->ci[c].start_ix);
		free(S->ci[c].dates);
		free(S->ci[c].prereq);
		free(S->ci[c].usable);
	}
	free(S->ci);
	free(S->seats_used);
	for (size_t s = 0; s < S->ns && S->res_used; s++)
		free(S->res_used[s]);
	free(S->res_used);
	free(S->ins_busy);
	free(S->away);
	free(S->cover_used);
	free(S->cover_cap);
	free(S->asg);
	free(S->need);
	free(S->fail);
	free(S->home);
	free(S->nearest);
	for (size_t i = 0; S->pools && i < S->ns * S->nc; i++) {
		free(S->pools[i].v);
		free(S->runs_at[i].v);
	}
	free(S->pools);
	free(S->runs_at);
	free(S->sxyz);
	free(S->bylat);
	free(S->order);
	free(S->corder);
	free(S->load);
}

/* Course ids are lowercase (section names); a roster may say TCM. */
static int doctor_completed(const struct vd_doctor *d, const char *course)
{
	for (size_t i = 0; i < d->completed.n; i++)
		if (strcasecmp(d->completed.v[i], course) == 0)
			return 1;
	return 0;
}

/* Leftover runs for every course, the waiting doctors grouped by their
 * nearest site: at_home tries only that site, else its nearest others. */
static void leftovers(struct st *S, int at_home)
{
	struct pool *by_home = xcalloc(S->ns + 1, sizeof *by_home);
	for (size_t c = 0; c < S->nc; c++) {
		for (size_t x = 0; x < S->nd; x++) {
			size_t i = x * S->nc + c;
			if (S->need[i] == 1 && S->asg[i] == VD_NONE && S->home[i] != VD_NONE)
				pool_push(&by_home[S->home[i]], x);
		}
		for (size_t s = 0; s < S->ns; s++) {
			struct pool *g = &by_home[s];
			if (!g->n)
				continue;
			size_t sites[NEAR], n = 1;
			sites[0] = s;
			if (!at_home)
				n = near_sites(S, &S->p->clinics[S->p->doctors[g->v[0]].clinic], c, sites);
			leftover_run(S, c, g->v, g->n, sites, n);
			g->n = 0;
		}
	}
	for (size_t s = 0; s < S->ns; s++)
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
	const struct vd_program *p = S->p;
	const double rad = M_PI / 180.0;
	double u[3], best[64];
	size_t nc = S->nc < 64 ? S->nc : 64;
	unit(cl->lat, cl->lon, u);
	for (size_t c = 0; c < S->nc; c++)
		out[c] = VD_NONE;
	/* first site at or above the clinic's latitude */
	size_t lo = 0, hi = S->ns;
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
		double du = up < S->ns ? (p->sites[bylat[up]].lat - cl->lat) * rad : 1e9;
		double dd = down > 0 ? (cl->lat - p->sites[bylat[down - 1]].lat) * rad : 1e9;
		if ((du > reach + 1e-12 && dd > reach + 1e-12) || (up >= S->ns && down == 0))
			break;
		size_t s = du <= dd ? bylat[up++] : bylat[--down];
		double dot = u[0] * S->sxyz[s][0] + u[1] * S->sxyz[s][1] + u[2] * S->sxyz[s][2];
		for (size_t c = 0; c < nc; c++)
			if (S->ci[c].usable[s] &&
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
	for (size_t c = 0; c < S->nc; c++) {
		double d = dem[s * S->nc + c];
		if (d <= 0)
			continue;
		all += d;
		double alone = d / run_capacity(S, c, s, 1);
		worst = alone > worst ? alone : worst;
	}
	all /= S->p->sites[s].seats;
	return all > worst ? all : worst;
}

static void balance_homes(struct st *S)
{
	const struct vd_program *p = S->p;
	if (S->ns < 2)
		return;
	/* A site's load is a lower bound on the teaching days its catchment
	 * needs: all courses share its seats, and each course alone is held
	 * back by its own limit (seats, or chairs for dental).  dem[] holds
	 * trainee-days per site and course. */
	double *dem = xcalloc(S->ns * S->nc + 1, sizeof *dem);
	double *load = xcalloc(S->ns, sizeof *load);
	double total_km = 0;
	for (size_t x = 0; x < S->nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < S->nc; c++) {
			size_t h = S->home[x * S->nc + c];
			if (S->need[x * S->nc + c] != 1 || h == VD_NONE)
				continue;
			dem[h * S->nc + c] += S->ci[c].def->days;
			total_km += vd_km(cl->lat, cl->lon, p->sites[h].lat, p->sites[h].lon);
		}
	}
	for (size_t s2 = 0; s2 < S->ns; s2++)
		load[s2] = site_load(S, dem, s2);
	struct move *mv = NULL;
	size_t nmv = 0, cap = 0;
	for (size_t x = 0; x < S->nd; x++) {
		const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
		for (size_t c = 0; c < S->nc; c++) {
			size_t h = S->home[x * S->nc + c];
			if (S->need[x * S->nc + c] != 1 || h == VD_NONE)
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
	if (nmv)
		qsort(mv, nmv, sizeof *mv, cmp_move);
	double budget = 0.015 * total_km;
	/* Only the busiest sites decide the finish: each pass moves pairs off
	 * the sites within 15% of the current maximum load. */
	for (int pass = 0; pass < 8 && budget > 0; pass++) {
		double maxload = 0;
		for (size_t s = 0; s < S->ns; s++)
			maxload = load[s] > maxload ? load[s] : maxload;
		double thr = 0.85 * maxload;
		for (size_t i = 0; i < nmv && budget > 0; i++) {
			size_t from = S->home[mv[i].x * S->nc + mv[i].c], to = mv[i].to;
			if (from == to || load[from] < thr || mv[i].extra > budget)
				continue;
			double d = (double)S->ci[mv[i].c].def->days;
			dem[from * S->nc + mv[i].c] -= d;
			dem[to * S->nc + mv[i].c] += d;
			double lf = site_load(S, dem, from), lt = site_load(S, dem, to);
			if (lt >= load[from]) {  /* would only move the bottleneck */
				dem[from * S->nc + mv[i].c] += d;
				dem[to * S->nc + mv[i].c] -= d;
				continue;
			}
			load[from] = lf;
			load[to] = lt;
			budget -= mv[i].extra;
			S->home[mv[i].x * S->nc + mv[i].c] = to;
		}
	}
	free(mv);
	free(load);
	free(dem);
}

/* One construction.  `variant` changes how: 0 keeps townships together
 * at their nearest sites; odd variants first move some doctors off
 * overloaded sites; variants with bit 1 set offer places first to doctors
 * whose clinics need township cover; from 4 on the order of townships is
 * also shuffled. */
static void build(const struct vd_program *p, unsigned variant, int progress, struct vd_plan *pl)
{
	struct st S0 = { 0 }, *S = &S0;
	size_t ucap = 0;
	vd_plan_init(pl);
	S->progress = progress;
	S->p = p;
	S->pl = pl;
	S->H = p->end - p->start + 1;
	S->nc = p->ncourses;
	S->ns = p->nsites;
	S->nd = p->ndoctors;
	size_t H = (size_t)S->H;
	setup_courses(S);
	S->seats_used = xcalloc(S->ns * H + 1, sizeof *S->seats_used);
	S->res_used = xcalloc(S->ns + 1, sizeof *S->res_used);
	for (size_t s = 0; s < S->ns; s++)
		S->res_used[s] = xcalloc(p->sites[s].nres * H + 1, sizeof **S->res_used);
	S->ins_busy = xcalloc(p->ninstructors * H + 1, 1);
	S->away = xcalloc(p->nclinics * H + 1, sizeof *S->away);
	S->cover_used = xcalloc(p->ntownships * H + 1, sizeof *S->cover_used);
	S->cover_cap = xcalloc(p->ntownships + 1, sizeof *S->cover_cap);
	for (size_t t = 0; t < p->ntownships; t++)
		S->cover_cap[t] = p->townships[t].cover;
	/* A clinic short of doctors before anyone trains uses cover already. */
	for (size_t k = 0; k < p->nclinics; k++) {
		int base = p->clinics[k].min_on_duty - (int)p->clinics[k].ndoctors;
		if (base > 0)
			S->cover_cap[p->clinics[k].township] -= base;
	}
	S->asg = xmalloc(S->nd * S->nc * sizeof *S->asg + 1);
	S->need = xcalloc(S->nd * S->nc + 1, 1);
	S->fail = xcalloc(S->nd * S->nc + 1, 1);
	S->home = xmalloc(S->nd * S->nc * sizeof *S->home + 1);
	S->nearest = xmalloc(S->nd * S->nc * sizeof *S->nearest + 1);
	S->pools = xcalloc(S->ns * S->nc + 1, sizeof *S->pools);
	S->runs_at = xcalloc(S->ns * S->nc + 1, sizeof *S->runs_at);
	S->order = xmalloc(S->nd * sizeof *S->order + 1);

	/* Order: township (keeps townships together in cohorts), clinic (so a
	 * clinic's doctors fall into different runs), then a seeded shuffle
	 * within the clinic.  (Putting doctors who need cover first was tried:
	 * 3 days earlier on Tianyang but 1.2 points more travel.) */
	for (size_t x = 0; x < S->nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		uint64_t tw = cl->township, k = d->clinic;
		uint64_t first = (variant & 2) && (int)cl->ndoctors - 1 < cl->min_on_duty ? 0 : 1;
		if (variant >= 4)
			tw = mix((p->seed + variant) * 0x9e3779b97f4a7c15ULL + tw) & 0x3ffff;
		S->order[x] = (first << 62) | ((tw & 0x3ffff) << 44) | ((k & 0xffffff) << 20) |
		              (mix(p->seed * 0x9e3779b97f4a7c15ULL + x) & 0xfffff);
	}

	/* Home sites: the nearest usable site per clinic and course.  Nearest
	 * by the dot product of unit vectors, which orders sites exactly as
	 * great-circle distance does, at a fraction of the cost. */
	S->sxyz = xmalloc((S->ns + 1) * sizeof *S->sxyz);
	for (size_t s = 0; s < S->ns; s++)
		unit(p->sites[s].lat, p->sites[s].lon, S->sxyz[s]);
	size_t *chome = xmalloc((p->nclinics * S->nc + 1) * sizeof *chome);
	/* Sites by latitude: a site d radians of latitude away is at least d
	 * radians away on the sphere, so each clinic scans outwards from its
	 * own latitude and stops once the band is wider than its best find. */
	size_t *bylat = S->bylat = xmalloc((S->ns + 1) * sizeof *bylat);
	for (size_t s2 = 0; s2 < S->ns; s2++)
		bylat[s2] = s2;
	if (S->ns)
		qsort_r(bylat, S->ns, sizeof *bylat, cmp_lat, (void *)p);
	for (size_t k = 0; k < p->nclinics; k++)
		nearest_sites_of(S, bylat, &p->clinics[k], &chome[k * S->nc]);
	/* Requirements. */
	for (size_t x = 0; x < S->nd; x++) {
		const struct vd_doctor *d = &p->doctors[x];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		struct vds_doctor_view view = {
			d->id, d->name, cl->id, p->townships[cl->township].id,
			(const char *const *)d->completed.v, d->completed.n };
		for (size_t c = 0; c < S->nc; c++) {
			const struct vds_course *def = S->ci[c].def;
			size_t i = x * S->nc + c;
			S->asg[i] = S->home[i] = VD_NONE;
			if (doctor_completed(d, p->courses[c].name))
				continue;
			const char *why = NULL;
			if (def->eligible && !def->eligible(def->state, &view, &why))
				continue;
			S->need[i] = 1;
			pl->nrequired++;
			S->home[i] = chome[d->clinic * S->nc + c];
		}
	}
	free(chome);
	/* Prerequisites not offered here and not completed: unschedulable. */
	for (size_t x = 0; x < S->nd; x++)
		for (size_t c = 0; c < S->nc; c++) {
			if (!S->need[x * S->nc + c])
				continue;
			const struct vds_course *def = S->ci[c].def;
			for (size_t q = 0; q < def->nprereqs; q++)
				if (vd_hmap_get(&p->course_ix, def->prereqs[q]) == VD_NONE &&
				    !doctor_completed(&p->doctors[x], def->prereqs[q])) {
					S->need[x * S->nc + c] = 2;  /* required, cannot be met */
					break;
				}
		}

	/* The course whose sites are busiest relative to its demand is served
	 * first each day: it is the one that decides the finish. */
	S->load = xcalloc(S->nc + 1, sizeof *S->load);
	S->corder = xmalloc((S->nc + 1) * sizeof *S->corder);
	for (size_t c = 0; c < S->nc; c++) {
		double need = 0, perday = 0;
		for (size_t x = 0; x < S->nd; x++)
			need += S->need[x * S->nc + c] == 1;
		for (size_t s = 0; s < S->ns; s++)
			if (S->ci[c].usable[s])
				perday += run_capacity(S, c, s, 0);
		S->load[c] = perday > 0 ? need * S->ci[c].def->days / perday : 0;
		S->corder[c] = c;
	}
	for (size_t i = 1; i < S->nc; i++)  /* insertion sort: few courses */
		for (size_t j = i; j > 0 && S->load[S->corder[j]] > S->load[S->corder[j - 1]]; j--) {
			size_t tmp = S->corder[j];
			S->corder[j] = S->corder[j - 1];
			S->corder[j - 1] = tmp;
		}

	memcpy(S->nearest, S->home, S->nd * S->nc * sizeof *S->nearest);
	if (variant & 1)
		balance_homes(S);

	/* Pass 1: each doctor at the nearest suitable site. */
	for (size_t x = 0; x < S->nd; x++)
		for (size_t c = 0; c < S->nc; c++) {
			size_t i = x * S->nc + c;
			if (S->need[i] == 1 && S->home[i] != VD_NONE)
				pool_push(&S->pools[S->home[i] * S->nc + c], x);
		}
	sort_pools(S);
	sweep(S, 0);

	/* Pass 2: whoever is left stays at the nearest site if at all possible:
	 * a run there with room, or a new run there filled to the minimum by
	 * doctors moving over from its bigger runs. */
	for (size_t c = 0; c < S->nc; c++)
		for (size_t x = 0; x < S->nd; x++) {
			size_t i = x * S->nc + c;
			if (S->need[i] == 1 && S->asg[i] == VD_NONE && S->home[i] != VD_NONE)
				insert_into_runs(S, x, c, VD_NONE, S->home[i]);
		}
	leftovers(S, 1);

	/* Pass 3: then any suitable site, nearest first: a run with room, new
	 * runs from what is left, one ejection to free township cover, and new
	 * runs filled by movers. */
	for (size_t i = 0; i < S->ns * S->nc; i++)
		S->pools[i].n = 0;
	for (size_t c = 0; c < S->nc; c++)
		for (size_t x = 0; x < S->nd; x++) {
			size_t i = x * S->nc + c;
			if (S->need[i] != 1 || S->asg[i] != VD_NONE || S->home[i] == VD_NONE)
				continue;
			if (insert_into_runs(S, x, c, VD_NONE, VD_NONE))
				continue;
			size_t sites[NEAR];
			size_t n = near_sites(S, &p->clinics[p->doctors[x].clinic], c, sites);
			for (size_t k = 0; k < n; k++)
				pool_push(&S->pools[sites[k] * S->nc + c], x);
		}
	sort_pools(S);
	sweep(S, 1);
	for (size_t c = 0; c < S->nc; c++)
		for (size_t x = 0; x < S->nd; x++) {
			size_t i = x * S->nc + c;
			if (S->need[i] == 1 && S->asg[i] == VD_NONE &&
			    !insert_into_runs(S, x, c, VD_NONE, VD_NONE))
				repair(S, x, c);
		}
	leftovers(S, 0);

	bounds(S);
	name_cohorts(S);
	build_cover_rows(S);
	/* asg indexes are stale after sorting runs; rebuild from members. */
	for (size_t i = 0; i < S->nd * S->nc; i++)
		S->asg[i] = VD_NONE;
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++)
			S->asg[pl->runs[r].members[m] * S->nc + pl->runs[r].course] = r;
	for (size_t x = 0; x < S->nd; x++)
		for (size_t c = 0; c < S->nc; c++) {
			size_t i = x * S->nc + c;
			if (!S->need[i] || S->asg[i] != VD_NONE)
				continue;
			char *why;
			if (S->need[i] == 2) {
				const struct vds_course *def = S->ci[c].def;
				const char *q = "";
				for (size_t k = 0; k < def->nprereqs; k++)
					if (vd_hmap_get(&p->course_ix, def->prereqs[k]) == VD_NONE &&
					    !doctor_completed(&p->doctors[x], def->prereqs[k]))
						q = def->prereqs[k];
				why = xasprintf(_("needs course %s first, which this program does not offer and the doctor has not completed"), q);
			} else {
				why = explain(S, x, c);
			}
			add_unsched(pl, &ucap, x, c, why);
		}
	st_free(S);
}

/* Is plan a better than plan b?  Everyone placed first, then the finish,
 * then travel (the order of the soft goals) -- but a plan whose
 * travel is more than 2% over the nearest-site bound loses to one within
 * it: finishing a day earlier is not worth sending doctors far. */
static int better(const struct vd_plan *a, const struct vd_plan *b)
{
	if (a->nunsched != b->nunsched)
		return a->nunsched < b->nunsched;
	int na = a->travel_km <= 1.02 * a->travel_bound_km + 1e-6;
	int nb = b->travel_km <= 1.02 * b->travel_bound_km + 1e-6;
	if (na != nb)
		return na;
	if (a->last_day != b->last_day)
		return a->last_day < b->last_day;
	return a->travel_km < b->travel_km - 1e-6;
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
	unsigned tries = pairs <= 2000 ? 8 : pairs <= 10000 ? 4 : 2;
	if (o && o->tries)
		tries = o->tries;
	int progress = o && o->progress;
	build(p, 0, progress, pl);
	for (unsigned v = 1; v < tries; v++) {
		struct vd_plan alt;
		build(p, v, progress, &alt);
		if (better(&alt, pl)) {
			vd_plan_free(pl);
			*pl = alt;
		} else {
			vd_plan_free(&alt);
		}
	}
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

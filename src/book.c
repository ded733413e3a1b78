/* book.c -- see book.h */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "book.h"
#include "xalloc.h"

const int *vd_book_run_days(const struct vd_book *B, size_t c, int t)
{
	if (t < B->t0)
		return NULL;  /* the frozen past */
	return vd_course_run_days(&B->ci[c], t);
}

int vd_book_run_capacity(const struct vd_book *B, size_t c, size_t s, enum vd_runs runs)
{
	const struct vd_site *si = &B->p->sites[s];
	const struct vds_course *def = B->ci[c].def;
	int cap = B->ci[c].maxsz < si->seats && runs == VD_ONE_RUN ? B->ci[c].maxsz : si->seats;
	for (size_t r = 0; r < def->nresources; r++) {
		int have = vd_site_resource(si, def->resources[r].name);
		int lim = def->resources[r].per ? have * (int)def->resources[r].per : (have > 0 ? cap : 0);
		if (lim < cap)
			cap = lim;
	}
	return cap;
}

int vd_book_site_capacity(const struct vd_book *B, size_t c, size_t s, const int *D)
{
	const struct vd_site *si = &B->p->sites[s];
	const struct vds_course *def = B->ci[c].def;
	int cap = B->ci[c].maxsz;
	for (unsigned k = 0; k < def->days; k++) {
		int free_seats = si->seats - B->seats_used[s * (size_t)B->H + (size_t)D[k]];
		if (free_seats < cap)
			cap = free_seats;
	}
	for (size_t r = 0; r < def->nresources; r++) {
		size_t ri = B->ci[c].resix[s * def->nresources + r];
		if (ri == VD_NONE)
			return 0;
		int freeu = si->res[ri].count;
		for (unsigned k = 0; k < def->days; k++) {
			int f = si->res[ri].count - B->res_used[s][ri * (size_t)B->H + (size_t)D[k]];
			if (f < freeu)
				freeu = f;
		}
		int lim = def->resources[r].per ? freeu * (int)def->resources[r].per : (freeu >= 1 ? cap : 0);
		if (lim < cap)
			cap = lim;
	}
	return cap < 0 ? 0 : cap;
}

size_t vd_book_find_instructor(const struct vd_book *B, size_t c, size_t s, const int *D)
{
	const struct vd_program *p = B->p;
	for (size_t i = 0; i < p->ninstructors; i++) {
		if (!vd_instructor_ok(p, i, c, s))
			continue;
		int ok = 1;
		for (unsigned k = 0; k < B->ci[c].def->days && ok; k++) {
			vd_date t = p->start + D[k];
			ok = (p->instructors[i].days & (1u << vd_weekday(t))) &&
			     !B->ins_busy[i * (size_t)B->H + (size_t)D[k]];
		}
		if (ok)
			return i;
	}
	return VD_NONE;
}

int vd_dates_overlap(const int *a, size_t na, const vd_date *b, size_t nb, vd_date base)
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

int vd_book_doctor_free(struct vd_book *B, size_t x, size_t c, const int *D)
{
	const struct vd_program *p = B->p;
	const struct vd_doctor *d = &p->doctors[x];
	unsigned days = B->ci[c].def->days;
	for (unsigned k = 0; k < days; k++)
		if (vd_in_ranges(d->unavail, d->nunavail, p->start + D[k])) {
			B->fail[x * B->nc + c] |= VD_FAIL_BUSY;
			return 0;
		}
	for (size_t c2 = 0; c2 < B->nc; c2++) {
		size_t r = B->asg[x * B->nc + c2];
		if (r == VD_NONE)
			continue;
		const struct vd_run *run = &B->pl->runs[r];
		if (vd_dates_overlap(D, days, run->dates, B->ci[c2].def->days, p->start)) {
			B->fail[x * B->nc + c] |= VD_FAIL_BUSY;
			return 0;
		}
	}
	for (size_t q = 0; q < B->ci[c].nprereq; q++) {
		size_t qc = B->ci[c].prereq[q];
		if (!B->need[x * B->nc + qc])
			continue;
		size_t r = B->asg[x * B->nc + qc];
		if (r == VD_NONE || B->pl->runs[r].dates[B->ci[qc].def->days - 1] >= p->start + D[0]) {
			B->fail[x * B->nc + c] |= VD_FAIL_PREREQ;
			return 0;
		}
	}
	/* A course this one is a prerequisite of must not already be earlier. */
	for (size_t c2 = 0; c2 < B->nc; c2++) {
		size_t r = B->asg[x * B->nc + c2];
		if (r == VD_NONE)
			continue;
		for (size_t q = 0; q < B->ci[c2].nprereq; q++)
			if (B->ci[c2].prereq[q] == c && B->pl->runs[r].dates[0] <= p->start + D[days - 1])
				return 0;
	}
	return 1;
}

int vd_book_take(struct vd_book *B, size_t x, size_t c, const int *D, enum vd_book_mode mode)
{
	const struct vd_program *p = B->p;
	size_t k = p->doctors[x].clinic;
	const struct vd_clinic *cl = &p->clinics[k];
	size_t tw = cl->township;
	unsigned days = B->ci[c].def->days;
	for (unsigned j = 0; j < days; j++) {
		size_t a = k * (size_t)B->H + (size_t)D[j];
		int avail_after = (int)cl->ndoctors - (int)B->away[a] - 1;
		if (avail_after < cl->min_on_duty &&
		    (B->cover_used[tw * (size_t)B->H + (size_t)D[j]] + 1 > B->cover_cap[tw] ||
		     ((B->spare_first || B->tight[tw]) && (int)cl->ndoctors > cl->min_on_duty))) {
			B->fail[x * B->nc + c] |= VD_FAIL_COVER;
			return 0;
		}
	}
	if (mode == VD_CHECK)
		return 1;
	for (unsigned j = 0; j < days; j++) {
		size_t a = k * (size_t)B->H + (size_t)D[j];
		int avail_after = (int)cl->ndoctors - (int)B->away[a] - 1;
		if (avail_after < cl->min_on_duty)
			B->cover_used[tw * (size_t)B->H + (size_t)D[j]]++;
		B->away[a]++;
	}
	return 1;
}

void vd_book_untake(struct vd_book *B, size_t x, size_t c, const int *D)
{
	const struct vd_program *p = B->p;
	size_t k = p->doctors[x].clinic;
	const struct vd_clinic *cl = &p->clinics[k];
	size_t tw = cl->township;
	for (unsigned j = 0; j < B->ci[c].def->days; j++) {
		size_t a = k * (size_t)B->H + (size_t)D[j];
		B->away[a]--;
		if ((int)cl->ndoctors - (int)B->away[a] - 1 < cl->min_on_duty)
			B->cover_used[tw * (size_t)B->H + (size_t)D[j]]--;
	}
}

/* Something changed at site s: its runs' room is to be looked at again. */
static void mark_stale(struct vd_book *B, size_t s)
{
	if (!B->room.stale[s]) {
		B->room.stale[s] = 1;
		vd_ixv_push(&B->room.stale_sites, s);
	}
}

void vd_ixv_push(struct vd_ixv *po, size_t x)
{
	xgrow(&po->v, &po->cap, po->n + 1, sizeof *po->v);
	po->v[po->n++] = x;
}

size_t vd_book_new_run(struct vd_book *B, size_t c, size_t s, size_t ins, const int *D)
{
	struct vd_plan *pl = B->pl;
	xgrow(&pl->runs, &B->runcap, pl->nruns + 1, sizeof *pl->runs);
	struct vd_run *r = &pl->runs[pl->nruns];
	memset(r, 0, sizeof *r);
	r->course = c;
	r->site = s;
	r->instructor = ins;
	unsigned days = B->ci[c].def->days;
	r->dates = xmalloc(days * sizeof *r->dates);
	for (unsigned k = 0; k < days; k++)
		r->dates[k] = B->p->start + D[k];
	/* never NULL: a run may stay empty (one a re-plan cut short, or that
	 * everyone missed), and qsort and memcpy take no NULL even for 0 */
	r->members = xmalloc(sizeof *r->members);
	vd_ixv_push(&B->runs_at[s * B->nc + c], pl->nruns);
	mark_stale(B, s);
	return pl->nruns++;
}

void vd_book_site(struct vd_book *B, size_t c, size_t s, size_t ins, const int *D, int n,
                  enum vd_book_op op)
{
	int sign = op;
	const struct vds_course *def = B->ci[c].def;
	mark_stale(B, s);
	for (unsigned k = 0; k < def->days; k++) {
		size_t t = (size_t)D[k];
		B->seats_used[s * (size_t)B->H + t] += sign * n;
		for (size_t r = 0; r < def->nresources; r++) {
			size_t ri = B->ci[c].resix[s * def->nresources + r];
			B->res_used[s][ri * (size_t)B->H + t] += sign * vd_units_for(&def->resources[r], n);
		}
		if (ins != VD_NONE)
			B->ins_busy[ins * (size_t)B->H + t] = sign > 0;
	}
}

void vd_book_add_member(struct vd_book *B, size_t run, size_t x)
{
	struct vd_run *r = &B->pl->runs[run];
	r->members = xreallocarray(r->members, r->nmembers + 1, sizeof *r->members);
	r->members[r->nmembers++] = x;
	B->asg[x * B->nc + r->course] = run;
	B->pl->nassigned++;
	mark_stale(B, r->site);
}

void vd_book_run_days_of(const struct vd_book *B, const struct vd_run *run, int *D)
{
	for (unsigned k = 0; k < B->ci[run->course].def->days; k++)
		D[k] = run->dates[k] - B->p->start;
}

int vd_book_room_for_one(const struct vd_book *B, const struct vd_run *run, const int *D)
{
	size_t c = run->course;
	const struct vds_course *def = B->ci[c].def;
	const struct vd_site *si = &B->p->sites[run->site];
	if ((int)run->nmembers >= B->ci[c].maxsz || run->frozen || run->dead || D[0] < B->t0)
		return 0;
	for (unsigned k = 0; k < def->days; k++)
		if (B->seats_used[run->site * (size_t)B->H + (size_t)D[k]] + 1 > si->seats)
			return 0;
	for (size_t q = 0; q < def->nresources; q++) {
		const struct vds_resource *rs = &def->resources[q];
		int extra = vd_units_for(rs, (int)run->nmembers + 1) - vd_units_for(rs, (int)run->nmembers);
		if (!extra)
			continue;
		size_t ri = B->ci[c].resix[run->site * def->nresources + q];
		for (unsigned k = 0; k < def->days; k++)
			if (B->res_used[run->site][ri * (size_t)B->H + (size_t)D[k]] + extra > si->res[ri].count)
				return 0;
	}
	return 1;
}

void vd_book_one(struct vd_book *B, const struct vd_run *run, const int *D, enum vd_book_op op)
{
	const struct vds_course *def = B->ci[run->course].def;
	int sign = op, before = (int)run->nmembers, after = before + sign;
	mark_stale(B, run->site);
	for (unsigned k = 0; k < def->days; k++) {
		B->seats_used[run->site * (size_t)B->H + (size_t)D[k]] += sign;
		for (size_t q = 0; q < def->nresources; q++) {
			size_t ri = B->ci[run->course].resix[run->site * def->nresources + q];
			B->res_used[run->site][ri * (size_t)B->H + (size_t)D[k]] +=
				vd_units_for(&def->resources[q], after) - vd_units_for(&def->resources[q], before);
		}
	}
}

void vd_book_join(struct vd_book *B, size_t r, size_t x)
{
	int D[64];
	vd_book_run_days_of(B, &B->pl->runs[r], D);
	vd_book_one(B, &B->pl->runs[r], D, VD_TAKE);
	/* booked as checked: a re-check under another pass's rules (tight,
	 * spare_first) could refuse and leave the tables short */
	vd_book_take_anyway(B, x, B->pl->runs[r].course, D);
	vd_book_add_member(B, r, x);
}

void vd_book_leave(struct vd_book *B, size_t r, size_t x)
{
	struct vd_run *run = &B->pl->runs[r];
	int D[64];
	vd_book_run_days_of(B, run, D);
	size_t w = 0;
	for (size_t m = 0; m < run->nmembers; m++)
		if (run->members[m] != x)
			run->members[w++] = run->members[m];
	vd_book_one(B, run, D, VD_GIVE);  /* uses nmembers before the removal */
	run->nmembers = w;
	vd_book_untake(B, x, run->course, D);
	B->asg[x * B->nc + run->course] = VD_NONE;
	B->pl->nassigned--;
}

/* Looks at run r again; it is at a stale site, or new. */
static void room_update(struct vd_book *B, size_t r)
{
	struct vd_room_index *ix = &B->room;
	const struct vd_run *run = &B->pl->runs[r];
	int D[64];
	vd_book_run_days_of(B, run, D);
	unsigned char full = (unsigned char)!vd_book_room_for_one(B, run, D);
	if (r >= ix->n) {  /* new: counted as full until now */
		ix->full[r] = 1;
		ix->n = r + 1;
	}
	if (full != ix->full[r]) {
		if (full)
			ix->open[run->course]--;
		else
			ix->open[run->course]++;
		ix->full[r] = full;
	}
}

const unsigned char *vd_book_full_runs(struct vd_book *B)
{
	struct vd_room_index *ix = &B->room;
	size_t nruns = B->pl->nruns;
	xgrow(&ix->full, &ix->cap, nruns + 1, 1);
	if (ix->t0 != B->t0) {  /* a new freeze: every run again */
		ix->t0 = B->t0;
		vd_book_runs_renumbered(B);
	}
	if (ix->n > nruns)
		vd_book_runs_renumbered(B);
	for (size_t r = ix->n; r < nruns; r++)
		room_update(B, r);
	for (size_t i = 0; i < ix->stale_sites.n; i++) {
		size_t s = ix->stale_sites.v[i];
		ix->stale[s] = 0;
		for (size_t c = 0; c < B->nc; c++) {
			const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
			for (size_t j = 0; j < ra->n; j++)
				room_update(B, ra->v[j]);
		}
	}
	ix->stale_sites.n = 0;
	return ix->full;
}

size_t vd_book_open_runs(const struct vd_book *B, size_t c)
{
	return B->room.open[c];
}

void vd_book_runs_renumbered(struct vd_book *B)
{
	struct vd_room_index *ix = &B->room;
	ix->n = 0;
	memset(ix->open, 0, B->nc * sizeof *ix->open);
	for (size_t i = 0; i < ix->stale_sites.n; i++)
		ix->stale[ix->stale_sites.v[i]] = 0;
	ix->stale_sites.n = 0;
}

void vd_book_cover_rows(struct vd_book *B)
{
	const struct vd_program *p = B->p;
	struct vd_plan *pl = B->pl;
	size_t H = (size_t)B->H;
	/* clinic by clinic (the tables are clinic-major: day by day over
	 * 580,000 clinics missed the cache), into rows ordered by day, then
	 * clinic */
	size_t *at = xcalloc(H + 2, sizeof *at);
	for (size_t k = 0; k < p->nclinics; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		const uint16_t *aw = &B->away[k * H];
		for (size_t t = 0; t < H; t++)
			if (aw[t] && cl->min_on_duty - ((int)cl->ndoctors - aw[t]) > 0)
				at[t + 2]++;
	}
	for (size_t t = 2; t < H + 2; t++)
		at[t] += at[t - 1];
	size_t n = at[H + 1];
	pl->cover = xreallocarray(pl->cover, n + 1, sizeof *pl->cover);
	pl->ncover = n;
	for (size_t k = 0; k < p->nclinics; k++) {
		const struct vd_clinic *cl = &p->clinics[k];
		const uint16_t *aw = &B->away[k * H];
		for (size_t t = 0; t < H; t++) {
			int sf = aw[t] ? cl->min_on_duty - ((int)cl->ndoctors - aw[t]) : 0;
			if (sf > 0)
				pl->cover[at[t + 1]++] = (struct vd_cover_row){ p->start + (vd_date)t, cl->township, k, sf };
		}
	}
	free(at);
}

void vd_book_init(struct vd_book *B, const struct vd_program *p, struct vd_plan *pl)
{
	memset(B, 0, sizeof *B);
	B->p = p;
	B->pl = pl;
	B->H = p->end - p->start + 1;
	B->nc = p->ncourses;
	B->ns = p->nsites;
	B->nd = p->ndoctors;
	size_t H = (size_t)B->H;
	B->ci = xcalloc(B->nc + 1, sizeof *B->ci);
	for (size_t c = 0; c < B->nc; c++)
		vd_course_model_init(&B->ci[c], p, c, B->H);
	B->seats_used = xcalloc(B->ns * H + 1, sizeof *B->seats_used);
	B->res_used = xcalloc(B->ns + 1, sizeof *B->res_used);
	for (size_t s = 0; s < B->ns; s++)
		B->res_used[s] = xcalloc(p->sites[s].nres * H + 1, sizeof **B->res_used);
	B->ins_busy = xcalloc(p->ninstructors * H + 1, 1);
	B->away = xcalloc(p->nclinics * H + 1, sizeof *B->away);
	B->cover_used = xcalloc(p->ntownships * H + 1, sizeof *B->cover_used);
	B->cover_cap = xcalloc(p->ntownships + 1, sizeof *B->cover_cap);
	B->tight = xcalloc(p->ntownships + 1, 1);
	for (size_t t = 0; t < p->ntownships; t++)
		B->cover_cap[t] = p->townships[t].cover;
	/* A clinic short of doctors before anyone trains uses cover already. */
	for (size_t k = 0; k < p->nclinics; k++) {
		int base = p->clinics[k].min_on_duty - (int)p->clinics[k].ndoctors;
		if (base > 0)
			B->cover_cap[p->clinics[k].township] -= base;
	}
	B->asg = xmalloc(B->nd * B->nc * sizeof *B->asg + 1);
	B->need = xcalloc(B->nd * B->nc + 1, 1);
	B->fail = xcalloc(B->nd * B->nc + 1, 1);
	B->runs_at = xcalloc(B->ns * B->nc + 1, sizeof *B->runs_at);
	B->room.stale = xcalloc(B->ns + 1, 1);
	B->room.open = xcalloc(B->nc + 1, sizeof *B->room.open);

	/* Requirements: loaded, not completed, eligible per the plugin. */
	for (size_t x = 0; x < B->nd; x++)
		for (size_t c = 0; c < B->nc; c++) {
			size_t i = x * B->nc + c;
			B->asg[i] = VD_NONE;
			if (!vd_course_required(p, x, c))
				continue;
			/* 2: a prerequisite not offered here and not completed */
			B->need[i] = vd_course_prereq_missing(p, x, c) ? 2 : 1;
			pl->nrequired++;
		}
}

void vd_book_free(struct vd_book *B)
{
	for (size_t c = 0; c < B->nc && B->ci; c++)
		vd_course_model_free(&B->ci[c]);
	free(B->ci);
	free(B->seats_used);
	for (size_t s = 0; s < B->ns && B->res_used; s++)
		free(B->res_used[s]);
	free(B->res_used);
	free(B->ins_busy);
	free(B->away);
	free(B->cover_used);
	free(B->cover_cap);
	free(B->tight);
	free(B->asg);
	free(B->need);
	free(B->fail);
	for (size_t i = 0; B->runs_at && i < B->ns * B->nc; i++)
		free(B->runs_at[i].v);
	free(B->runs_at);
	free(B->room.full);
	free(B->room.stale);
	free(B->room.stale_sites.v);
	free(B->room.open);
	memset(B, 0, sizeof *B);
}

/* A frozen run happened: its doctors were away whatever the rules say now. */
void vd_book_take_anyway(struct vd_book *B, size_t x, size_t c, const int *D)
{
	const struct vd_program *p = B->p;
	size_t k = p->doctors[x].clinic;
	const struct vd_clinic *cl = &p->clinics[k];
	for (unsigned j = 0; j < B->ci[c].def->days; j++) {
		size_t a = k * (size_t)B->H + (size_t)D[j];
		if ((int)cl->ndoctors - (int)B->away[a] - 1 < cl->min_on_duty)
			B->cover_used[cl->township * (size_t)B->H + (size_t)D[j]]++;
		B->away[a]++;
	}
}

void vd_book_drop_run(struct vd_book *B, size_t r)
{
	struct vd_run *run = &B->pl->runs[r];
	int D[64];
	vd_book_run_days_of(B, run, D);
	while (run->nmembers) {
		vd_book_leave(B, r, run->members[run->nmembers - 1]);
		run = &B->pl->runs[r];
	}
	/* what an empty run still holds: per-run resources, the instructor */
	vd_book_site(B, run->course, run->site, run->instructor, D, 0, VD_GIVE);
	run->dead = 1;
}

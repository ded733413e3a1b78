/* replan.c -- see replan.h */
#include <stdlib.h>
#include <string.h>
#include "replan.h"
#include "xalloc.h"

static int cmp_first_date(const void *a, const void *b, void *ctx)
{
	const struct vd_prev *pv = ctx;
	const struct vd_prev_run *x = &pv->runs[*(const size_t *)a], *y = &pv->runs[*(const size_t *)b];
	vd_date dx = x->ndates ? x->dates[0] : 0, dy = y->ndates ? y->dates[0] : 0;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* Can instructor i still teach course c at site s on days D? */
static int instructor_still(const struct vd_book *B, size_t i, size_t c, size_t s, const int *D)
{
	if (i == VD_NONE || !vd_instructor_ok(B->p, i, c, s))
		return 0;
	for (unsigned k = 0; k < B->ci[c].def->days; k++)
		if (!(B->p->instructors[i].days & (1u << vd_weekday(B->p->start + D[k]))) ||
		    B->ins_busy[i * (size_t)B->H + (size_t)D[k]])
			return 0;
	return 1;
}

static void new_kept_run(struct vd_book *B, const struct vd_prev_run *pr, size_t c, size_t s,
                         size_t ins, const int *D, int booked, const size_t *who, size_t n, int frozen)
{
	size_t r = vd_book_new_run(B, c, s, ins, D);
	struct vd_run *run = &B->pl->runs[r];
	run->kept = 1;
	run->frozen = (unsigned char)frozen;
	snprintf(run->cohort, sizeof run->cohort, "%s", pr->cohort);
	vd_book_site(B, c, s, ins, D, booked, VD_TAKE);
	for (size_t i = 0; i < n; i++)
		vd_book_add_member(B, r, who[i]);
}

void vd_replan_seed(struct vd_book *B, const struct vd_prev *pv, vd_date freeze,
                    const unsigned char *exclude, unsigned char *why, struct vd_ixv *short_runs)
{
	const struct vd_program *p = B->p;
	if (freeze > p->start)
		B->t0 = freeze - p->start > B->H ? B->H : freeze - p->start;
	/* members by run */
	size_t *cnt = xcalloc(pv->nruns + 1, sizeof *cnt), *at = xcalloc(pv->nruns + 1, sizeof *at);
	for (size_t m = 0; m < pv->nmembers; m++)
		if (pv->members[m].run != VD_NONE)
			cnt[pv->members[m].run]++;
	for (size_t r = 1; r <= pv->nruns; r++)
		at[r] = at[r - 1] + cnt[r - 1];
	size_t *mem = xmalloc((pv->nmembers + 1) * sizeof *mem);
	memset(cnt, 0, (pv->nruns + 1) * sizeof *cnt);
	for (size_t m = 0; m < pv->nmembers; m++)
		if (pv->members[m].run != VD_NONE) {
			size_t r = pv->members[m].run;
			mem[at[r] + cnt[r]++] = m;
		}
	size_t *order = xmalloc((pv->nruns + 1) * sizeof *order);
	for (size_t r = 0; r < pv->nruns; r++)
		order[r] = r;
	qsort_r(order, pv->nruns, sizeof *order, cmp_first_date, (void *)pv);
	size_t *who = xmalloc((pv->nmembers + 1) * sizeof *who);

	for (size_t oi = 0; oi < pv->nruns; oi++) {
		size_t ri = order[oi];
		const struct vd_prev_run *pr = &pv->runs[ri];
		size_t c = vd_hmap_get(&p->course_ix, pr->course);
		if (c == VD_NONE)
			continue;  /* the course is no longer loaded: its pairs are dropped */
		int frozen = freeze && pr->ndates && pr->dates[0] < freeze;
		const struct vd_course_model *ci = &B->ci[c];
		unsigned days = ci->def->days;
		size_t s = vd_hmap_get(&p->site_ix, pr->site);
		int D[64], valid = pr->ndates == days && days <= 64;
		for (unsigned k = 0; valid && k < days; k++) {
			valid = pr->dates[k] >= p->start && pr->dates[k] <= p->end;
			D[k] = pr->dates[k] - p->start;
		}
		/* the doctors of this run still in the program who need the course */
		size_t n = 0;
		for (size_t j = 0; j < cnt[ri]; j++) {
			size_t m = mem[at[ri] + j];
			size_t x = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor);
			if (x == VD_NONE || B->need[x * B->nc + c] != 1 || B->asg[x * B->nc + c] != VD_NONE)
				continue;
			if (exclude && exclude[m] && !frozen) {
				why[x * B->nc + c] = VD_WHY_RUN;
				continue;
			}
			who[n++] = x;
		}
		unsigned char bad = VD_WHY_NONE;
		size_t ins = VD_NONE;
		if (s == VD_NONE)
			bad = VD_WHY_SITE;
		else if (!valid)
			bad = VD_WHY_DATES;
		if (frozen && !bad) {
			/* History: kept as it was, seats for everyone who came. */
			ins = vd_hmap_get(&p->instructor_ix, pr->instructor);
			for (size_t j = 0; j < n; j++) {
				vd_book_take_anyway(B, who[j], c, D);
				why[who[j] * B->nc + c] = VD_WHY_FROZEN;
			}
			new_kept_run(B, pr, c, s, ins, D, (int)cnt[ri], who, n, 1);
			continue;
		}
		if (!bad && !ci->usable[s])
			bad = VD_WHY_SITE;
		if (!bad) {
			const int *RD = vd_book_run_days(B, c, D[0]);
			if (!RD || memcmp(RD, D, days * sizeof *D))
				bad = VD_WHY_DATES;  /* a new holiday, blackout, or the freeze */
		}
		if (!bad && ci->needs_ins) {
			ins = vd_hmap_get(&p->instructor_ix, pr->instructor);
			if (!instructor_still(B, ins, c, s, D))
				ins = vd_book_find_instructor(B, c, s, D);
			if (ins == VD_NONE)
				bad = VD_WHY_INSTRUCTOR;
		}
		if (bad) {
			for (size_t j = 0; j < n; j++)
				why[who[j] * B->nc + c] = bad;
			continue;
		}
		int cap = vd_book_site_capacity(B, c, s, D);
		size_t k = 0;
		for (size_t j = 0; j < n; j++) {
			size_t x = who[j], i = x * B->nc + c;
			if ((int)k >= cap)
				why[i] = VD_WHY_SEATS;
			else if (!vd_book_doctor_free(B, x, c, D))
				why[i] = VD_WHY_DOCTOR;
			else if (!vd_book_take(B, x, c, D, VD_COMMIT))
				why[i] = VD_WHY_COVER;
			else {
				why[i] = VD_WHY_KEPT;
				who[k++] = x;
			}
		}
		if (!k)
			continue;
		new_kept_run(B, pr, c, s, ins, D, (int)k, who, k, 0);
		if ((int)k < ci->minsz)
			vd_ixv_push(short_runs, B->pl->nruns - 1);
	}
	free(who);
	free(order);
	free(mem);
	free(at);
	free(cnt);
}

size_t vd_replan_moved(const struct vd_book *B, const struct vd_prev *pv)
{
	const struct vd_program *p = B->p;
	size_t moved = 0;
	for (size_t m = 0; m < pv->nmembers; m++) {
		const struct vd_prev_member *pm = &pv->members[m];
		if (pm->run == VD_NONE)
			continue;
		size_t x = vd_hmap_get(&p->doctor_ix, pm->doctor);
		size_t c = vd_hmap_get(&p->course_ix, pm->course);
		if (x == VD_NONE || c == VD_NONE)
			continue;
		size_t r = B->asg[x * B->nc + c];
		if (r == VD_NONE)
			continue;  /* dropped or unscheduled: counted apart */
		const struct vd_run *run = &B->pl->runs[r];
		const struct vd_prev_run *pr = &pv->runs[pm->run];
		unsigned days = B->ci[c].def->days;
		if (strcmp(p->sites[run->site].id, pr->site) || !pr->ndates ||
		    run->dates[0] != pr->dates[0] || run->dates[days - 1] != pr->dates[pr->ndates - 1])
			moved++;
	}
	return moved;
}

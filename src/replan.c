/* replan.c -- re-planning (plan --previous): the previous plan kept, and
 * let go of where it is in the way.
 *
 * Minimal change comes first: every run of the previous plan that the
 * edit leaves legal is kept -- its site, dates, cohort id and the members
 * that still need it -- before any construction runs; the constructions
 * then place only the pairs that were left free, and pairs that moved go
 * back where they were if they can.  Runs that began before
 * --freeze-before are history and are kept whatever the rules say now.
 * When keeping leaves out pairs a fresh plan places, relax lets previous
 * members go, round by round.  Apart from the constructions, which know
 * only that some pairs are kept (plan_kept_pair). */
#include <stdlib.h>
#include <string.h>
#include "plan-int.h"
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
static bool instructor_still(const struct vd_book *B, size_t i, size_t c, size_t s, const int *D)
{
	if (i == VD_NONE || !vd_instructor_ok(B->p, i, c, s))
		return false;
	for (unsigned k = 0; k < B->ci[c].def->days; k++)
		if (!(B->p->instructors[i].days & (1u << vd_weekday(B->p->start + D[k]))) ||
		    B->ins_busy[i * (size_t)B->H + (size_t)D[k]])
			return false;
	return true;
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

/* Who of who[0 .. n) the seats, their calendars and the cover still
 * admit to a kept run of c at s on days D (booked); they move to the front
 * of who[], and why[] says of each.  Returns how many. */
static size_t admit_kept(struct vd_book *B, size_t c, size_t s, const int *D, size_t *who, size_t n,
                         unsigned char *why)
{
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
	return k;
}

/* Run pr of course c at site s (days D, the first k0 of them before the
 * freeze, doctors who[0 .. n)) goes on from the first teaching days after
 * the freeze on which its site, instructor and every one of its doctors
 * are free.  Returns false, with nothing booked, when no such days come
 * before the end of the program. */
static bool resume_run(struct vd_book *B, const struct vd_prev_run *pr, size_t c, size_t s,
                       size_t ins, const int *D, unsigned k0, size_t *who, size_t n,
                       unsigned char *why, vd_date freeze)
{
	const struct vd_course_model *ci = &B->ci[c];
	unsigned days = ci->def->days, m = days - k0;
	int D2[64];
	memcpy(D2, D, k0 * sizeof *D2);
	for (int t = freeze - B->p->start; t < B->H; t++) {
		const int *RD = vd_book_run_days(B, c, t);
		if (!RD || (k0 && RD[0] <= D[k0 - 1]))
			continue;
		memcpy(D2 + k0, RD, m * sizeof *D2);
		if (ci->def->max_span && D2[days - 1] - D2[0] + 1 > (int)ci->def->max_span)
			break;   /* later days only stretch it further: cut it instead */
		size_t i2 = ins;
		if (ci->needs_ins && !instructor_still(B, i2, c, s, D2))
			i2 = vd_book_find_instructor(B, c, s, D2);
		if (ci->needs_ins && i2 == VD_NONE)
			continue;
		bool all = vd_book_site_capacity(B, c, s, D2) >= (int)n;
		for (size_t j = 0; all && j < n; j++)
			all = vd_book_doctor_free(B, who[j], c, D2) && vd_book_take(B, who[j], c, D2, VD_CHECK);
		if (!all)
			continue;
		for (size_t j = 0; j < n; j++) {
			vd_book_take(B, who[j], c, D2, VD_COMMIT);
			why[who[j] * B->nc + c] = VD_WHY_DATES;
		}
		new_kept_run(B, pr, c, s, i2, D2, (int)n, who, n, 1);
		return true;
	}
	return false;
}

/* Keeps previous run ri (members mem[0 .. nmem)) in B as far as it
 * holds (see keep_previous_runs); who: room for nmem doctors. */
static void keep_run(struct vd_book *B, const struct vd_prev *pv, size_t ri, const size_t *mem,
                     size_t nmem, vd_date freeze, const unsigned char *exclude,
                     const unsigned char *makeup, unsigned char *why,
                     size_t *who, struct vd_ixv *short_runs)
{
	const struct vd_program *p = B->p;
	const struct vd_prev_run *pr = &pv->runs[ri];
	size_t c = vd_hmap_get(&p->course_ix, pr->course);
	if (c == VD_NONE)
		return;  /* the course is no longer loaded: its pairs are dropped */
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
	for (size_t j = 0; j < nmem; j++) {
		size_t m = mem[j];
		size_t x = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor);
		if (x == VD_NONE || B->need[x * B->nc + c] != 1 || B->asg[x * B->nc + c] != VD_NONE)
			continue;
		if (exclude && exclude[m] && !frozen) {
			why[x * B->nc + c] = VD_WHY_RUN;
			continue;
		}
		if (frozen && makeup && makeup[m]) {
			/* missed it: history keeps the run, the pair is planned again */
			why[x * B->nc + c] = VD_WHY_MAKEUP;
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
	if (frozen && !bad && pr->cut) {
		/* cut in an earlier re-plan: its past as it was, nobody left in it */
		new_kept_run(B, pr, c, s, vd_hmap_get(&p->instructor_ix, pr->instructor), D, 0, who, 0, 1);
		B->pl->runs[B->pl->nruns - 1].cut = (unsigned char)pr->cut;
		return;
	}
	if (frozen && !bad) {
		ins = vd_hmap_get(&p->instructor_ix, pr->instructor);
		unsigned k0 = 0;  /* its first day on or after the freeze */
		while (k0 < days && pr->dates[k0] < freeze)
			k0++;
		bool future_ok = k0 == days || ci->usable[s];
		for (unsigned k = k0; future_ok && k < days; k++)
			future_ok = ci->tday[D[k]];
		if (future_ok) {
			/* History: kept as it was, seats for everyone who came. */
			for (size_t j = 0; j < n; j++) {
				vd_book_take_anyway(B, who[j], c, D);
				why[who[j] * B->nc + c] = VD_WHY_FROZEN;
			}
			new_kept_run(B, pr, c, s, ins, D, (int)nmem, who, n, 1);
			return;
		}
		/* A run in progress whose days from the freeze on the edit made
		 * illegal (a new blackout or holiday): it resumes after the
		 * disruption at its site; if it cannot (or the site closed), its
		 * days from the freeze on are cancelled and its doctors are
		 * planned again (the calendars keep the past as history). */
		if (ci->usable[s] && resume_run(B, pr, c, s, ins, D, k0, who, n, why, freeze))
			return;
		for (size_t j = 0; j < n; j++)
			why[who[j] * B->nc + c] = VD_WHY_CUT;
		new_kept_run(B, pr, c, s, ins, D, 0, who, 0, 1);
		B->pl->runs[B->pl->nruns - 1].cut = (unsigned char)k0;
		return;
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
		return;
	}
	size_t k = admit_kept(B, c, s, D, who, n, why);
	if (!k)
		return;
	new_kept_run(B, pr, c, s, ins, D, (int)k, who, k, 0);
	if ((int)k < ci->minsz)
		vd_ixv_push(short_runs, B->pl->nruns - 1);
}

/* Keeps what holds of the previous plan pv in B and sets B->t0 from freeze
 * (0: none); previous members with exclude[m] set (NULL: none) are not
 * kept in their runs, unless frozen.  why[x * nc + c] gets VD_WHY_* for
 * each previous pair of a doctor and course still in the program.  Kept
 * runs that the edit left below their minimum size are appended to
 * short_runs: the caller tops them up or dissolves them. */
static void keep_previous_runs(struct vd_book *B, const struct vd_prev *pv, vd_date freeze,
                               const unsigned char *exclude, const unsigned char *makeup,
                               unsigned char *why,
                               struct vd_ixv *short_runs)
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
		keep_run(B, pv, ri, mem + at[ri], cnt[ri], freeze, exclude, makeup, why, who, short_runs);
	}

	free(who);
	free(order);
	free(mem);
	free(at);
	free(cnt);
}

size_t plan_moved_pairs(const struct vd_book *B, const struct vd_prev *pv)
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

/* Re-plan: the previous plan's runs that still hold go into the book
 * first.  A kept run the edit left too small is topped up with waiting
 * doctors whose nearest site it is, or dissolved; then waiting doctors
 * (new ones, or those the edit forced out) join kept runs at their nearest
 * site where there is room, before any new run is formed. */
void plan_seed_previous(struct vd_planwork *W, const struct vd_prev *pv, vd_date freeze,
                        const unsigned char *exclude, const unsigned char *makeup)
{
	struct vd_book *B = &W->b;
	struct vd_plan *pl = B->pl;
	struct vd_ixv shortv = { 0 };
	pl->replan_why = xcalloc(B->nd * B->nc + 1, 1);
	keep_previous_runs(B, pv, freeze, exclude, makeup, pl->replan_why, &shortv);
	W->protect = true;
	int D[64];
	for (size_t k = 0; k < shortv.n; k++) {
		size_t r = shortv.v[k], c = pl->runs[r].course;
		vd_book_run_days_of(B, &pl->runs[r], D);
		for (size_t x = 0; x < B->nd && (int)pl->runs[r].nmembers < B->ci[c].minsz; x++) {
			size_t i = x * B->nc + c;
			if (B->need[i] == 1 && B->asg[i] == VD_NONE && W->home[i] == pl->runs[r].site &&
			    vd_book_room_for_one(B, &pl->runs[r], D) && vd_book_doctor_free(B, x, c, D) &&
			    vd_book_take(B, x, c, D, VD_CHECK))
				vd_book_join(B, r, x);
		}
		if ((int)pl->runs[r].nmembers >= B->ci[c].minsz)
			continue;
		/* Short by a few: a few doctors of bigger runs of the course at
		 * the same site move over, rather than the whole run dissolving. */
		if (B->ci[c].minsz - (int)pl->runs[r].nmembers <= 3 && plan_top_up(W, r))
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
			if (B->need[i] == 1 && B->asg[i] == VD_NONE && W->home[i] != VD_NONE)
				plan_insert_into_runs(W, x, c, VD_NONE, W->home[i], NULL);
		}
	/* A make-up joins a kept run with room at any site near the doctor
	 * before a new run is formed for it: a new run needs cohort_min
	 * doctors, and would take them from runs that did nothing wrong. */
	for (size_t c = 0; c < B->nc; c++)
		for (size_t x = 0; x < B->nd; x++) {
			size_t i = x * B->nc + c;
			if (B->need[i] == 1 && B->asg[i] == VD_NONE &&
			    (pl->replan_why[i] == VD_WHY_MAKEUP || pl->replan_why[i] == VD_WHY_CUT))
				plan_insert_into_runs(W, x, c, VD_NONE, VD_NONE, NULL);
		}
}

/* Does run hold pair (x, c) where the previous plan had it (prev run k)? */
static bool at_prev(const struct vd_planwork *W, const struct vd_prev *pv, size_t k, const struct vd_run *run)
{
	const struct vd_prev_run *pr = &pv->runs[k];
	unsigned days = W->b.ci[run->course].def->days;
	return pr->ndates && !strcmp(W->b.p->sites[run->site].id, pr->site) &&
	       run->dates[0] == pr->dates[0] && run->dates[days - 1] == pr->dates[pr->ndates - 1];
}

/* x leaves its run (if any) and tries run `to`; on failure all is as it
 * was.  Returns 1 if x is in `to`. */
static bool try_run(struct vd_planwork *W, size_t x, size_t c, size_t to)
{
	struct vd_book *B = &W->b;
	size_t r = B->asg[x * B->nc + c], at = 0;
	int D[64];
	if (r != VD_NONE) {
		at = plan_member_index(&B->pl->runs[r], x);
		vd_book_leave(B, r, x);
	}
	vd_book_run_days_of(B, &B->pl->runs[to], D);
	if (vd_book_room_for_one(B, &B->pl->runs[to], D) && vd_book_doctor_free(B, x, c, D) &&
	    vd_book_take(B, x, c, D, VD_CHECK)) {
		vd_book_join(B, to, x);
		return true;
	}
	if (r != VD_NONE) {
		vd_book_join(B, r, x);
		plan_put_back(&B->pl->runs[r], at);
	}
	return false;
}

/* Re-plan: a pair that moved (or waits) goes back to a run held on its
 * previous site and dates -- the last resorts' chains can leave such a
 * place behind and end elsewhere: where there is room for it, or in
 * exchange with a member of that run whose own previous place is where x
 * is now (two doctors of one clinic, say, who swapped weeks).  A run left
 * keeps its minimum.  Repeats while someone returns (one return can make
 * room for the next). */
void plan_move_back(struct vd_planwork *W, const struct vd_prev *pv)
{
	struct vd_book *B = &W->b;
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
			if (k == VD_NONE || B->need[i] != 1 || B->pl->replan_why[i] == VD_WHY_MAKEUP ||
			    B->pl->replan_why[i] == VD_WHY_CUT)
				continue;   /* a make-up never goes back to the run it missed */
			size_t s = vd_hmap_get(&p->site_ix, pv->runs[k].site);
			if (s == VD_NONE)
				continue;
			if (r != VD_NONE && (at_prev(W, pv, k, &B->pl->runs[r]) || B->pl->runs[r].frozen))
				continue;
			const struct vd_ixv *ra = &B->runs_at[s * B->nc + c];
			for (size_t j = 0; j < ra->n; j++) {
				size_t to = ra->v[j];
				if (to == r || B->pl->runs[to].dead || !at_prev(W, pv, k, &B->pl->runs[to]))
					continue;
				if ((r == VD_NONE || (int)B->pl->runs[r].nmembers > B->ci[c].minsz) &&
				    try_run(W, x, c, to)) {
					back = 1;
					break;
				}
				/* an exchange: y in `to` was where x is now */
				int done = 0;
				for (size_t m = 0; r != VD_NONE && !done && m < B->pl->runs[to].nmembers; m++) {
					size_t y = B->pl->runs[to].members[m], ky = prev[y * B->nc + c];
					if (ky == VD_NONE || !at_prev(W, pv, ky, &B->pl->runs[r]) ||
					    plan_kept_pair(W, y, c))
						continue;
					size_t aty = m, atx = plan_member_index(&B->pl->runs[r], x);
					vd_book_leave(B, to, y);
					if (try_run(W, x, c, to)) {
						if (try_run(W, y, c, r)) {
							done = 1;
							break;
						}
						vd_book_leave(B, to, x);
						vd_book_join(B, r, x);
						plan_put_back(&B->pl->runs[r], atx);
					}
					vd_book_join(B, to, y);
					plan_put_back(&B->pl->runs[to], aty);
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

/* What relax knows of the previous plan and of the fresh one. */
struct relax {
	const struct vd_program *p;
	const struct vd_plan_opts *o;
	const struct vd_prev *pv;
	struct vd_plan fresh;         /* the plan without the previous one */
	unsigned char *ex;            /* per previous member: let go */
	size_t *at, *mem;             /* previous members of run k: mem[at[k] .. at[k + 1]) */
	size_t *fasg;                 /* nd x nc: the pair's run in the fresh plan */
	unsigned char *chain_done;    /* per township: its cover chain was let go */
};

static void relax_init(struct relax *R)
{
	const struct vd_program *p = R->p;
	const struct vd_prev *pv = R->pv;
	size_t nc = p->ncourses, nr = pv->nruns;
	R->ex = xcalloc(pv->nmembers + 1, 1);
	/* previous members by run */
	size_t *at = R->at = xcalloc(nr + 2, sizeof *at);
	R->mem = xmalloc((pv->nmembers + 1) * sizeof *R->mem);
	for (size_t m = 0; m < pv->nmembers; m++)
		if (pv->members[m].run != VD_NONE)
			at[pv->members[m].run + 2]++;
	for (size_t r = 2; r < nr + 2; r++)
		at[r] += at[r - 1];
	for (size_t m = 0; m < pv->nmembers; m++)
		if (pv->members[m].run != VD_NONE)
			R->mem[at[pv->members[m].run + 1]++] = m;
	R->fasg = xmalloc(p->ndoctors * nc * sizeof *R->fasg + 1);
	for (size_t i = 0; i < p->ndoctors * nc; i++)
		R->fasg[i] = VD_NONE;
	for (size_t r = 0; r < R->fresh.nruns; r++)
		for (size_t m = 0; m < R->fresh.runs[r].nmembers; m++)
			R->fasg[R->fresh.runs[r].members[m] * nc + R->fresh.runs[r].course] = r;
	R->chain_done = xcalloc(p->ntownships + 1, 1);
}

static void relax_free(struct relax *R)
{
	free(R->chain_done);
	free(R->fasg);
	free(R->mem);
	free(R->at);
	free(R->ex);
	vd_plan_free(&R->fresh);
}

/* Did previous run k begin before the freeze (history, never let go)? */
static bool frozen_prev(const struct relax *R, size_t k)
{
	return R->o->freeze && k != VD_NONE && R->pv->runs[k].ndates &&
	       R->pv->runs[k].dates[0] < R->o->freeze;
}

/* A pair on township cover waits because the township's cover chain is
 * full: the chain is planned again (every kept pair on that township's
 * cover lets go), not the doctors around it one by one.  Returns how many
 * were let go. */
static size_t let_chain_go(struct relax *R, size_t township)
{
	const struct vd_program *p = R->p;
	const struct vd_prev *pv = R->pv;
	size_t nex = 0;
	R->chain_done[township] = 1;
	for (size_t m = 0; m < pv->nmembers; m++) {
		size_t y = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor), k = pv->members[m].run;
		if (R->ex[m] || y == VD_NONE || !plan_needs_cover(p, y) ||
		    p->clinics[p->doctors[y].clinic].township != township || frozen_prev(R, k))
			continue;
		R->ex[m] = 1;
		nex++;
	}
	return nex;
}

/* The previous member most in the way of pair (x, c), whose run in the
 * fresh plan is f: of a previous run on f's dates (wide: at f's site on
 * any date), a doctor of x's clinic, else of a clinic of x's township
 * that needs its cover, else of a run of c at f's site, else of any run
 * there -- from the biggest run, which can spare one.  VD_NONE: none. */
static size_t in_the_way(const struct relax *R, size_t x, size_t c, const struct vd_run *f, bool wide)
{
	const struct vd_program *p = R->p;
	const struct vd_prev *pv = R->pv;
	const struct vd_clinic *cx = &p->clinics[p->doctors[x].clinic];
	vd_date a = f->dates[0], b = f->dates[p->courses[c].def->days - 1];
	size_t best = VD_NONE, bestn = 0;
	int bestcl = 4;
	for (size_t k = 0; k < pv->nruns; k++) {
		const struct vd_prev_run *pr = &pv->runs[k];
		if (!pr->ndates || (!wide && (pr->dates[pr->ndates - 1] < a || pr->dates[0] > b)) ||
		    (wide && strcmp(pr->site, p->sites[f->site].id)) ||
		    (R->o->freeze && pr->dates[0] < R->o->freeze))
			continue;
		bool here = !strcmp(pr->site, p->sites[f->site].id);
		bool same = here && !strcmp(pr->course, p->courses[c].name);
		size_t n = R->at[k + 1] - R->at[k];
		for (size_t j = R->at[k]; j < R->at[k + 1]; j++) {
			size_t m = R->mem[j];
			size_t y = vd_hmap_get(&p->doctor_ix, pv->members[m].doctor);
			if (R->ex[m] || y == VD_NONE || y == x)
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
	return best;
}

/* One round of stage `stage` (see plan_relax) over the pairs pl leaves
 * out; returns how many previous members it let go. */
static size_t let_go(struct relax *R, const struct vd_plan *pl, int stage)
{
	const struct vd_program *p = R->p;
	size_t nc = p->ncourses;
	bool whole = stage & 1, wide = stage >= 2;
	size_t nex = 0, nruns_let = 0;
	for (size_t u = 0; u < pl->nunsched; u++) {
		size_t x = pl->unsched[u].doctor, c = pl->unsched[u].course;
		size_t fr = R->fasg[x * nc + c];
		if (fr == VD_NONE)
			continue;
		size_t tw = p->clinics[p->doctors[x].clinic].township;
		if (plan_needs_cover(p, x) && !R->chain_done[tw]) {
			nex += let_chain_go(R, tw);
			continue;
		}
		size_t best = in_the_way(R, x, c, &R->fresh.runs[fr], wide);
		if (best != VD_NONE && whole && wide && nruns_let >= 2)
			continue;  /* site-wide: a couple of runs a round, not all at once */
		if (best != VD_NONE && whole) {
			size_t k = R->pv->members[best].run;
			nruns_let++;
			for (size_t j = R->at[k]; j < R->at[k + 1]; j++)
				if (!R->ex[R->mem[j]]) {
					R->ex[R->mem[j]] = 1;
					nex++;
				}
		} else if (best != VD_NONE && !R->ex[best]) {
			R->ex[best] = 1;
			nex++;
		}
	}
	return nex;
}

/* A re-plan must schedule every pair a fresh plan schedules.  When keeping
 * the previous runs leaves pairs out that a fresh plan places, one doctor
 * in the way of each such pair on the days of its run in the fresh plan
 * is let go of their kept place (in_the_way) and the re-plan is built
 * again, for a few rounds; if that is not enough, the whole run of that
 * doctor is given up, for a few more, and then the runs of that site on
 * any date.  A pair on township cover lets its township's whole cover
 * chain go at once (every kept pair on that township's cover). */
void plan_relax(const struct vd_program *p, unsigned tries, const struct vd_plan_opts *o,
                struct vd_plan *pl)
{
	struct relax R = { .p = p, .o = o, .pv = o->prev };
	struct vd_plan_opts fo = *o;
	fo.prev = NULL;
	fo.freeze = 0;
	plan_best_of(p, tries, &fo, NULL, &R.fresh);
	if (pl->nunsched <= R.fresh.nunsched) {
		vd_plan_free(&R.fresh);
		return;
	}
	relax_init(&R);
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
	for (int round = 0; round < maxround && stage < 4 && pl->nunsched > R.fresh.nunsched; round++) {
		if (!let_go(&R, pl, stage)) {
			stage++;  /* nobody left to let go at this stage */
			stuck = 0;
			continue;
		}
		struct vd_plan alt;
		plan_best_of(p, rtries, o, R.ex, &alt);
		bool gain = alt.nunsched < pl->nunsched;
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
	if (pl->nunsched > R.fresh.nunsched) {
		for (size_t m = 0; m < R.pv->nmembers; m++)
			R.ex[m] = !frozen_prev(&R, R.pv->members[m].run);
		struct vd_plan alt;
		plan_best_of(p, tries, o, R.ex, &alt);
		if (alt.nunsched < pl->nunsched) {
			vd_plan_free(pl);
			*pl = alt;
		} else {
			vd_plan_free(&alt);
		}
	}
	relax_free(&R);
}

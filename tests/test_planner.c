/* test_planner.c -- the planner keeps every hard constraint on small
 * programs built in memory, and explains what it cannot place; and, through
 * its private header, the pieces: the strategies the search tries, how it
 * keeps the better plan, and a previous plan seeded into the book. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>
#include "plan-int.h"
#include "planfix.h"
#include "planner.h"
#include "xalloc.h"

/* Independent re-check of the hard constraints a test cares about. */
static void check_plan(const struct vd_program *p, const struct vd_plan *pl)
{
	size_t H = (size_t)(p->end - p->start + 1);
	int *away = xcalloc(p->nclinics * H, sizeof *away);
	int *busy = xcalloc(p->ndoctors * H, sizeof *busy);
	int *seats = xcalloc(p->nsites * H, sizeof *seats);
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		const struct vds_course *def = p->courses[run->course].def;
		assert_true((int)run->nmembers >= p->cohort_min);
		assert_true((int)run->nmembers <= p->cohort_max);
		for (unsigned k = 0; k < def->days; k++) {
			vd_date t = run->dates[k];
			assert_true(vd_program_teaching_day(p, &p->courses[run->course], t));
			size_t i = (size_t)(t - p->start);
			seats[run->site * H + i] += (int)run->nmembers;
			for (size_t m = 0; m < run->nmembers; m++) {
				size_t x = run->members[m];
				assert_false(vd_in_ranges(p->doctors[x].unavail, p->doctors[x].nunavail, t));
				assert_int_equal(busy[x * H + i]++, 0);
				away[p->doctors[x].clinic * H + i]++;
			}
		}
	}
	for (size_t s = 0; s < p->nsites; s++)
		for (size_t i = 0; i < H; i++)
			assert_true(seats[s * H + i] <= p->sites[s].seats);
	for (size_t i = 0; i < H; i++) {
		int *used = xcalloc(p->ntownships, sizeof *used);
		for (size_t k = 0; k < p->nclinics; k++) {
			int sf = p->clinics[k].min_on_duty - ((int)p->clinics[k].ndoctors - away[k * H + i]);
			if (sf > 0 && away[k * H + i])
				used[p->clinics[k].township] += sf;
		}
		for (size_t t = 0; t < p->ntownships; t++)
			assert_true(used[t] <= p->townships[t].cover);
		free(used);
	}
	free(away);
	free(busy);
	free(seats);
}

static void plan(const struct vd_program *p, struct vd_plan *pl)
{
	struct vd_diag dg;
	struct vd_plan_opts o = { 0 };
	vd_diag_init(&dg, stderr);
	assert_int_equal(vd_plan_build(p, &o, pl, &dg), 0);
	check_plan(p, pl);
}

static void test_two_doctor_clinics_alternate(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 0);
	for (int i = 0; i < 6; i++)
		add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	assert_int_equal(pl.nassigned, 12);
	assert_int_equal(pl.nruns, 2);  /* one doctor of each clinic per run */
	assert_int_equal(pl.ncover, 0);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_no_cover_explained(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "pohong", 0);
	add_clinic(&p, 0, 1, 23.7, 106.9);
	for (int i = 0; i < 3; i++)
		add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 1);
	assert_string_equal(p.doctors[pl.unsched[0].doctor].id, "d0000");
	assert_non_null(strstr(pl.unsched[0].reason, "clinic c000 would be left without a doctor"));
	assert_non_null(strstr(pl.unsched[0].reason, "township pohong has no cover left (cover = 0); raise [township pohong] cover to 1"));
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_township_cover_per_day(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 1);
	for (int i = 0; i < 6; i++)
		add_clinic(&p, 0, 1, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	p.cohort_min = 1;
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);  /* check_plan asserts cover <= 1 each day */
	assert_int_equal(pl.nunsched, 0);
	assert_int_equal(pl.nruns, 6);
	assert_int_equal(pl.ncover, 12);  /* 6 doctors x 2 days */
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_seats_and_even_sizes(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 0);
	for (int i = 0; i < 25; i++)
		add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 12, 23.7, 106.9);
	p.cohort_min = 4;
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	for (size_t r = 0; r < pl.nruns; r++)
		assert_true(pl.runs[r].nmembers <= 12 && pl.runs[r].nmembers >= 4);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_resources(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 0);
	for (int i = 0; i < 10; i++)
		add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	p.sites[0].res = xcalloc(1, sizeof *p.sites[0].res);
	p.sites[0].res[0] = (struct vd_resource_count){ xstrdup("chairs"), 2 };
	p.sites[0].nres = 1;
	add_course(&p, "dd", &course_dent);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	/* 2 chairs x 3 trainees: never more than 6 at once */
	for (size_t r = 0; r < pl.nruns; r++)
		assert_true(pl.runs[r].nmembers <= 6);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_prerequisite_order(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 0);
	for (int i = 0; i < 5; i++)
		add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	add_course(&p, "bb", &course_b);  /* listed first on purpose */
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	for (size_t x = 0; x < p.ndoctors; x++) {
		vd_date a_end = 0, b_start = 0;
		for (size_t r = 0; r < pl.nruns; r++)
			for (size_t m = 0; m < pl.runs[r].nmembers; m++)
				if (pl.runs[r].members[m] == x) {
					if (pl.runs[r].course == 1)
						a_end = pl.runs[r].dates[1];
					else
						b_start = pl.runs[r].dates[0];
				}
		assert_true(a_end && b_start && a_end < b_start);
	}
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_weekend_instructor(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 0);
	for (int i = 0; i < 8; i++)
		add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	add_site(&p, "br", 40, 23.7, 106.9);
	p.cohort_max = 4;
	p.instructors = xcalloc(1, sizeof *p.instructors);
	p.instructors[0].id = xstrdup("feng");
	p.instructors[0].name = xstrdup("冯医生");
	vd_strv_push(&p.instructors[0].courses, "ww");
	p.instructors[0].days = VDS_WEEKEND;
	p.ninstructors = 1;
	add_course(&p, "ww", &course_wknd);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	for (size_t r = 0; r < pl.nruns; r++) {
		assert_int_equal(pl.runs[r].instructor, 0);
		for (int k = 0; k < 2; k++)
			assert_true(vd_weekday(pl.runs[r].dates[k]) >= 5);
		for (size_t q = 0; q < r; q++)  /* one run at a time */
			assert_true(pl.runs[q].dates[0] != pl.runs[r].dates[0]);
	}
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_unavailable_and_nearest_site(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "near", 0);
	add_township(&p, "far", 0);
	for (int i = 0; i < 4; i++)
		add_clinic(&p, 0, 2, 23.70, 106.90);
	for (int i = 0; i < 4; i++)
		add_clinic(&p, 1, 2, 24.20, 106.50);
	add_site(&p, "hq", 40, 23.70, 106.90);
	add_site(&p, "branch", 40, 24.20, 106.50);
	/* everyone unavailable the first two weeks, one doctor the first month */
	p.cohort_min = 1;
	for (size_t x = 0; x < p.ndoctors; x++) {
		p.doctors[x].unavail = xcalloc(1, sizeof *p.doctors[x].unavail);
		p.doctors[x].unavail[0] = (struct vd_range){ p.start, p.start + (x == 3 ? 30 : 13) };
		p.doctors[x].nunavail = 1;
	}
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	for (size_t r = 0; r < pl.nruns; r++)
		for (size_t m = 0; m < pl.runs[r].nmembers; m++) {
			size_t x = pl.runs[r].members[m];
			assert_int_equal(pl.runs[r].site, p.doctors[x].clinic < 4 ? 0 : 1);
		}
	assert_true(pl.travel_km < 1.0);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_too_few_explained(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	base(&p);
	add_township(&p, "t1", 0);
	add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	p.cohort_min = 3;
	add_course(&p, "aa", &course_a);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 2);
	assert_non_null(strstr(pl.unsched[0].reason, "too few doctors need aa"));
	assert_non_null(strstr(pl.unsched[0].reason, "cohort_min 3"));
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_deterministic(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan a, b;
	base(&p);
	add_township(&p, "t1", 2);
	for (int i = 0; i < 30; i++)
		add_clinic(&p, 0, 1 + i % 2, 23.7 + i * 0.01, 106.9);
	add_site(&p, "hq", 20, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	plan(&p, &a);
	plan(&p, &b);
	assert_int_equal(a.nruns, b.nruns);
	for (size_t r = 0; r < a.nruns; r++) {
		assert_int_equal(a.runs[r].dates[0], b.runs[r].dates[0]);
		assert_int_equal(a.runs[r].nmembers, b.runs[r].nmembers);
		assert_memory_equal(a.runs[r].members, b.runs[r].members, a.runs[r].nmembers * sizeof(size_t));
		assert_string_equal(a.runs[r].cohort, b.runs[r].cohort);
	}
	vd_plan_free(&a);
	vd_plan_free(&b);
	vd_program_free(&p);
}

static void test_precheck_warnings(void **state)
{
	(void)state;
	struct vd_program p;
	char *msgs = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&msgs, &len);
	struct vd_diag dg;
	vd_diag_init(&dg, mem);
	base(&p);
	p.path = xstrdup("vdsched.ini");
	p.clinics_path = xstrdup("clinics.csv");
	add_township(&p, "lonely", 0);
	add_clinic(&p, 0, 1, 23.7, 106.9);
	add_site(&p, "hq", 40, 23.7, 106.9);
	p.instructors = xcalloc(1, sizeof *p.instructors);
	p.instructors[0].id = xstrdup("feng");
	p.instructors[0].name = xstrdup("冯医生");
	vd_strv_push(&p.instructors[0].courses, "ww");
	p.instructors[0].days = VDS_WEEKDAYS;  /* but the course is weekend-only */
	p.ninstructors = 1;
	add_course(&p, "ww", &course_wknd);
	vd_plan_precheck(&p, &dg);
	fclose(mem);
	assert_non_null(strstr(msgs, "course ww needs an instructor on its teaching days"));
	assert_non_null(strstr(msgs, "township lonely has 1 clinic(s) that cannot spare a doctor and cover = 0"));
	assert_non_null(strstr(msgs, "set cover = 1 in [township lonely]"));
	free(msgs);
	vd_program_free(&p);
}

/* ---- re-planning ---- */

/* Plans p, writes its state into a fresh folder and reads it back. */
static void plan_and_keep(const struct vd_program *p, struct vd_plan *pl, struct vd_prev *pv,
                          char *dir)
{
	struct vd_diag dg;
	vd_diag_init(&dg, stderr);
	plan(p, pl);
	strcpy(dir, "/tmp/vdsched-test-replan-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(vd_state_write(p, pl, dir, &dg), 0);
	assert_int_equal(vd_state_read(dir, pv, &dg), 0);
}

static void replan(const struct vd_program *p, const struct vd_prev *pv, vd_date freeze,
                   struct vd_plan *pl)
{
	struct vd_diag dg;
	struct vd_plan_opts o = { 0 };
	o.prev = pv;
	o.freeze = freeze;
	vd_diag_init(&dg, stderr);
	assert_int_equal(vd_plan_build(p, &o, pl, &dg), 0);
	check_plan(p, pl);
}

static void rm_state(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The run of doctor x in course c, or NULL. */
static const struct vd_run *run_of(const struct vd_plan *pl, size_t x, size_t c)
{
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++)
			if (pl->runs[r].course == c && pl->runs[r].members[m] == x)
				return &pl->runs[r];
	return NULL;
}

static int same_run(const struct vd_run *a, const struct vd_run *b, unsigned days)
{
	return a && b && a->site == b->site && !strcmp(a->cohort, b->cohort) &&
	       !memcmp(a->dates, b->dates, days * sizeof *a->dates);
}

static void county(struct vd_program *p)
{
	base(p);
	add_township(p, "t1", 1);
	add_township(p, "t2", 1);
	for (int i = 0; i < 10; i++)
		add_clinic(p, (size_t)(i % 2), i % 3 ? 2 : 1, 23.7 + 0.01 * i, 106.9);
	add_site(p, "hq", 8, 23.7, 106.9);
	add_site(p, "east", 8, 23.7, 107.4);
	p->cohort_min = 3;
	add_course(p, "aa", &course_a);
	add_course(p, "bb", &course_b);
}

static void test_state_round_trip(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_prev pv;
	char dir[64];
	county(&p);
	plan_and_keep(&p, &pl, &pv, dir);
	assert_int_equal(pv.nruns, pl.nruns);
	assert_int_equal(pv.nmembers, pl.nassigned);
	assert_string_equal(pv.program, "t");
	assert_int_equal(pv.next_cohort, pl.next_cohort);
	for (size_t r = 0; r < pl.nruns; r++) {
		size_t k = vd_prev_run_of(&pv, p.courses[pl.runs[r].course].name, pl.runs[r].cohort);
		assert_int_not_equal(k, VD_NONE);
		assert_string_equal(pv.runs[k].site, p.sites[pl.runs[r].site].id);
		assert_int_equal(pv.runs[k].ndates, p.courses[pl.runs[r].course].def->days);
		assert_int_equal(pv.runs[k].dates[0], pl.runs[r].dates[0]);
	}
	vd_prev_free(&pv);
	/* another version, or no state at all, is refused */
	char meta[96], cmd[256];
	snprintf(meta, sizeof meta, "%s/state/meta.csv", dir);
	snprintf(cmd, sizeof cmd, "sed -i 's/^version,1/version,7/' '%s'", meta);
	assert_int_equal(system(cmd), 0);
	struct vd_diag dg;
	char *msgs = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&msgs, &len);
	vd_diag_init(&dg, mem);
	assert_int_equal(vd_state_read(dir, &pv, &dg), -1);
	vd_prev_free(&pv);
	assert_int_equal(vd_state_read("/nonexistent-vdsched", &pv, &dg), -1);
	vd_prev_free(&pv);
	fclose(mem);
	assert_non_null(strstr(msgs, "state version '7' is not one this vdsched reads"));
	assert_non_null(strstr(msgs, "not a folder"));
	free(msgs);
	rm_state(dir);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

static void test_replan_no_edit_keeps_everything(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl, pl2;
	struct vd_prev pv;
	char dir[64];
	county(&p);
	plan_and_keep(&p, &pl, &pv, dir);
	replan(&p, &pv, 0, &pl2);
	assert_int_equal(pl2.moved, 0);
	assert_int_equal(pl2.nruns, pl.nruns);
	assert_int_equal(pl2.nassigned, pl.nassigned);
	for (size_t x = 0; x < p.ndoctors; x++)
		for (size_t c = 0; c < p.ncourses; c++)
			if (run_of(&pl, x, c))
				assert_true(same_run(run_of(&pl, x, c), run_of(&pl2, x, c), p.courses[c].def->days));
	vd_prev_free(&pv);
	rm_state(dir);
	vd_plan_free(&pl);
	vd_plan_free(&pl2);
	vd_program_free(&p);
}

/* A doctor falls ill during one run: that pair moves, and nobody who is not
 * in the way does; new cohorts get numbers never given out before. */
static void test_replan_unavailable_moves_one(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl, pl2;
	struct vd_prev pv;
	char dir[64];
	county(&p);
	plan_and_keep(&p, &pl, &pv, dir);
	size_t x = 3;  /* d0003: clinic 1 (two doctors) */
	const struct vd_run *old = run_of(&pl, x, 0);
	assert_non_null(old);
	struct vd_doctor *d = &p.doctors[x];
	d->unavail = xmalloc(sizeof *d->unavail);
	d->unavail[0] = (struct vd_range){ old->dates[0], old->dates[1] };
	d->nunavail = 1;
	replan(&p, &pv, 0, &pl2);
	const struct vd_run *now = run_of(&pl2, x, 0);
	assert_non_null(now);
	assert_false(same_run(old, now, 2));
	assert_int_equal(pl2.replan_why[x * p.ncourses + 0], VD_WHY_DOCTOR);
	assert_true(pl2.moved >= 1 && pl2.moved <= 4);
	unsigned long maxold = 0;
	for (size_t r = 0; r < pl.nruns; r++)
		if (strtoul(pl.runs[r].cohort + 1, NULL, 10) > maxold)
			maxold = strtoul(pl.runs[r].cohort + 1, NULL, 10);
	/* a run not kept belongs to a new cohort, or continues one still alive */
	for (size_t r = 0; r < pl2.nruns; r++) {
		if (pl2.runs[r].kept || strtoul(pl2.runs[r].cohort + 1, NULL, 10) > maxold)
			continue;
		int alive = 0;
		for (size_t q = 0; q < pl2.nruns; q++)
			alive |= pl2.runs[q].kept && !strcmp(pl2.runs[q].cohort, pl2.runs[r].cohort);
		assert_true(alive);
	}
	assert_int_equal(pl2.nunsched, 0);  /* as a fresh plan */
	vd_prev_free(&pv);
	rm_state(dir);
	vd_plan_free(&pl);
	vd_plan_free(&pl2);
	vd_program_free(&p);
}

/* --freeze-before: runs that began before the date keep their past as
 * it was; a blackout over their days from the date on makes them resume
 * after it or be cut (their doctors made up later); nothing is held on
 * the blackout; no new run starts before the date. */
static void test_replan_freeze(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl, pl2;
	struct vd_prev pv;
	char dir[64];
	county(&p);
	plan_and_keep(&p, &pl, &pv, dir);
	vd_date freeze = pl.runs[0].dates[0] + 1;  /* the first run is in progress */
	p.blackout = xmalloc(sizeof *p.blackout);
	p.blackout[0] = (struct vd_range){ pl.runs[0].dates[0], pl.runs[0].dates[0] + 6 };
	p.nblackout = 1;
	struct vd_diag dg;
	struct vd_plan_opts o = { 0 };
	o.prev = &pv;
	o.freeze = freeze;
	vd_diag_init(&dg, stderr);
	assert_int_equal(vd_plan_build(&p, &o, &pl2, &dg), 0);
	for (size_t r = 0; r < pl.nruns; r++) {
		if (pl.runs[r].dates[0] >= freeze)
			continue;
		size_t c = pl.runs[r].course;
		for (size_t m = 0; m < pl.runs[r].nmembers; m++) {
			const struct vd_run *now = run_of(&pl2, pl.runs[r].members[m], c);
			assert_non_null(now);
			if (strcmp(now->cohort, pl.runs[r].cohort))
				assert_true(now->dates[0] >= freeze);   /* made up */
			else
				assert_int_equal(now->dates[0], pl.runs[r].dates[0]);   /* its past as it was */
		}
	}
	for (size_t r = 0; r < pl2.nruns; r++) {
		const struct vd_run *run = &pl2.runs[r];
		if (!run->frozen)
			assert_true(run->dates[0] >= freeze);
		for (unsigned k = 0; k < p.courses[run->course].def->days; k++)
			if (vd_run_day_held(run, k) && run->dates[k] >= freeze)
				assert_false(run->dates[k] >= p.blackout[0].a && run->dates[k] <= p.blackout[0].b);
	}
	vd_prev_free(&pv);
	rm_state(dir);
	vd_plan_free(&pl);
	vd_plan_free(&pl2);
	vd_program_free(&p);
}

/* ---- the pieces (plan-int.h) ---- */

/* Every strategy has a name of its own; the main stage comes first, 28 of
 * them, "nearest" (no option) leading; then 3 priced, 4 thrifty, 6
 * overspent, in that order. */
static void test_strategies_named(void **state)
{
	(void)state;
	size_t count[4] = { 0 };
	for (size_t k = 0; k < plan_nstrategies; k++) {
		const struct plan_strategy *st = &plan_strategies[k];
		assert_non_null(st->name);
		assert_true(st->name[0]);
		for (size_t j = 0; j < k; j++)
			assert_string_not_equal(plan_strategies[j].name, st->name);
		assert_true(k == 0 || st->stage >= plan_strategies[k - 1].stage);
		assert_true(st->stage <= STAGE_OVERSPENT);
		count[st->stage]++;
		/* a fill or per-day ranking means nothing without balancing */
		if (st->fill > 0 || st->per_day)
			assert_true(st->balance);
		assert_true((st->budget_share > 0) == (st->stage == STAGE_THRIFTY || st->stage == STAGE_OVERSPENT));
	}
	assert_int_equal(count[STAGE_MAIN], 28);
	assert_int_equal(count[STAGE_PRICED], 3);
	assert_int_equal(count[STAGE_THRIFTY], 4);
	assert_int_equal(count[STAGE_OVERSPENT], 6);
	const struct plan_strategy *first = &plan_strategies[0];
	assert_string_equal(first->name, "nearest");
	assert_false(first->balance || first->cover_first || first->shuffle || first->busiest_first ||
	             first->no_chains || first->priced != PRICED_NONE);
	static const char *const lead[] = { "nearest", "balance", "busiest-first", "balance+busiest-first" };
	for (size_t k = 0; k < 4; k++)
		assert_string_equal(plan_strategies[k].name, lead[k]);
}

/* A program of n doctors (two a clinic) and two courses. */
static void doctors_and_courses(struct vd_program *p, int n)
{
	base(p);
	add_township(p, "t1", 1);
	for (int i = 0; i < n / 2; i++)
		add_clinic(p, 0, 2, 23.7 + 0.001 * (i % 100), 106.9);
	add_site(p, "hq", 40, 23.7, 106.9);
	add_course(p, "aa", &course_a);
	add_course(p, "bb", &course_b);
}

/* How many constructions: by the program's size (pairs of a doctor and a
 * course), half on a re-plan, or as asked. */
static void test_tries_by_size(void **state)
{
	(void)state;
	static const struct { int doctors; unsigned tries; } sizes[] = {
		{ 20, 28 }, { 1250, 28 }, { 1252, 16 }, { 5000, 16 }, { 5002, 2 },
	};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		struct vd_program p;
		doctors_and_courses(&p, sizes[k].doctors);
		struct vd_plan_opts o = { 0 };
		assert_int_equal(plan_tries(&p, &o), sizes[k].tries);
		struct vd_prev pv = { 0 };
		o.prev = &pv;
		assert_int_equal(plan_tries(&p, &o), sizes[k].tries > 4 ? sizes[k].tries / 2 : sizes[k].tries);
		o.tries = 5;
		assert_int_equal(plan_tries(&p, &o), 5);
		vd_program_free(&p);
	}
}

/* plan_better: everyone placed first, then moves, then the travel budget,
 * then the finish, then travel. */
static void test_better_order(void **state)
{
	(void)state;
	struct vd_program p;
	base(&p);
	p.travel_budget = 0.1;
	struct vd_plan a = { 0 }, b = { 0 };
	a.travel_bound_km = b.travel_bound_km = 100;
	a.travel_km = b.travel_km = 105;
	a.last_day = b.last_day = p.start + 20;
	assert_false(plan_better(&p, &a, &b));  /* equal: not better */
	b.last_day++;
	assert_true(plan_better(&p, &a, &b));
	b.travel_km = 120;  /* over the budget loses to within it, whatever the day */
	b.last_day = p.start;
	assert_true(plan_better(&p, &a, &b));
	b.travel_km = 104;
	assert_false(plan_better(&p, &a, &b));
	a.nunsched = 1;   /* nobody left out comes before all else */
	b.travel_km = 500;
	assert_true(plan_better(&p, &b, &a));
	vd_program_free(&p);
}

/* plan_best_of over two constructions keeps the one plan_better prefers,
 * and plan_keep_better frees the other. */
static void test_best_of_keeps_better(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan one, two, best;
	struct vd_plan_opts o = { 0 };
	county(&p);
	plan_construct(&p, &plan_strategies[0], &o, NULL, &one);
	plan_construct(&p, &plan_strategies[1], &o, NULL, &two);
	plan_best_of(&p, 2, &o, NULL, &best);
	const struct vd_plan *want = plan_better(&p, &two, &one) ? &two : &one;
	assert_int_equal(best.nunsched, want->nunsched);
	assert_int_equal(best.last_day, want->last_day);
	assert_int_equal(best.nruns, want->nruns);
	assert_true(fabs(best.travel_km - want->travel_km) < 1e-9);
	check_plan(&p, &best);
	plan_keep_better(&p, &one, &two);  /* one is the better; the other is freed */
	assert_int_equal(one.nruns, want->nruns);
	vd_plan_free(&one);
	vd_plan_free(&best);
	vd_program_free(&p);
}

/* A previous plan seeded into a fresh book, nothing changed: every run is
 * kept with its site, dates, cohort id and members, and every pair is
 * marked kept. */
static void test_seed_keeps_previous(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl, seeded;
	struct vd_prev pv;
	struct vd_planwork W;
	char dir[64];
	county(&p);
	plan_and_keep(&p, &pl, &pv, dir);
	assert_int_equal(pl.nunsched, 0);
	struct vd_plan_opts o = { 0 };
	o.prev = &pv;
	plan_work_init(&W, &p, &plan_strategies[0], &o, &seeded);
	plan_seed_previous(&W, &pv, 0, NULL, NULL);
	assert_int_equal(seeded.nruns, pl.nruns);
	for (size_t r = 0; r < pl.nruns; r++) {
		const struct vd_run *was = &pl.runs[r], *now = NULL;
		for (size_t q = 0; q < seeded.nruns; q++)
			if (seeded.runs[q].course == was->course && !strcmp(seeded.runs[q].cohort, was->cohort))
				now = &seeded.runs[q];
		assert_non_null(now);
		assert_true(now->kept);
		assert_true(same_run(was, now, p.courses[was->course].def->days));
		assert_int_equal(now->nmembers, was->nmembers);
		for (size_t m = 0; m < was->nmembers; m++) {
			size_t x = was->members[m];
			assert_ptr_equal(run_of(&seeded, x, was->course), now);
			assert_int_equal(seeded.replan_why[x * p.ncourses + was->course], VD_WHY_KEPT);
		}
	}
	plan_work_free(&W);
	vd_plan_free(&seeded);
	vd_prev_free(&pv);
	rm_state(dir);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_doctor_clinics_alternate),
		cmocka_unit_test(test_no_cover_explained),
		cmocka_unit_test(test_township_cover_per_day),
		cmocka_unit_test(test_seats_and_even_sizes),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_prerequisite_order),
		cmocka_unit_test(test_weekend_instructor),
		cmocka_unit_test(test_unavailable_and_nearest_site),
		cmocka_unit_test(test_too_few_explained),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_precheck_warnings),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_replan_no_edit_keeps_everything),
		cmocka_unit_test(test_replan_unavailable_moves_one),
		cmocka_unit_test(test_replan_freeze),
		cmocka_unit_test(test_strategies_named),
		cmocka_unit_test(test_tries_by_size),
		cmocka_unit_test(test_better_order),
		cmocka_unit_test(test_best_of_keeps_better),
		cmocka_unit_test(test_seed_keeps_previous),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_bound.c -- the coverage-aware lower bound on the last day, on small
 * programs built in memory whose bound is worked out by hand; the planner's
 * plans never finish before it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bound.h"
#include "planfix.h"
#include "planner.h"
#include "xalloc.h"

static void plan(const struct vd_program *p, struct vd_plan *pl)
{
	struct vd_diag dg;
	struct vd_plan_opts o = { 0 };
	vd_diag_init(&dg, stderr);
	assert_int_equal(vd_plan_build(p, &o, pl, &dg), 0);
}

static vd_date day(int m, int d)
{
	return vd_date_from_ymd(2026, m, d);
}

/* Four single-doctor clinics, cover 1: each day of training costs a
 * cover-day, 4 x 2 = 8 of them, one a day: the 8th teaching day. */
static void test_cover_binds(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "pohong", 1);
	for (int i = 0; i < 4; i++)
		add_clinic(&p, 0, 1, 23.7, 106.9);
	add_clinic(&p, 0, 3, 23.7, 106.9);  /* three doctors: no cover needed */
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_COVER);
	assert_int_equal(b.date, day(3, 11));         /* Mon 2 .. Wed 11: 8 weekdays */
	assert_int_equal(b.part[VD_BOUND_COVER].index, 0);
	assert_int_equal(b.part[VD_BOUND_DOCTOR].date, day(3, 3));
	assert_int_equal(b.part[VD_BOUND_COURSE].date, day(3, 3));
	assert_int_equal(b.fix_cover, 2);
	assert_int_equal(b.fix_date, day(3, 5));      /* 8 cover-days, 2 a day */
	assert_int_equal(b.nexcluded, 0);
	char *why = vd_bound_describe(&p, &b);
	assert_non_null(strstr(why, "cover of township pohong"));
	assert_non_null(strstr(why, "raising [township pohong] cover to 2 would allow 2026-03-05"));
	free(why);
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	assert_true(pl.last_day >= b.date);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

/* A township known only from clinics.csv (no section: then no township
 * has one) with cover 2, one of which a clinic without doctors takes every
 * day: the advice says what is taken and raises [townships] cover, since
 * adding one [township] section would make every township need one. */
static void test_cover_implicit(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t0004", 2);
	p.townships[0].line = 0;
	for (int i = 0; i < 4; i++)
		add_clinic(&p, 0, 1, 23.7, 106.9);
	add_clinic(&p, 0, 0, 23.7, 106.9);
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_COVER);
	assert_int_equal(b.part[VD_BOUND_COVER].have, 1);
	char *why = vd_bound_describe(&p, &b);
	if (!strstr(why, "cover = 2, 1 of it taken every day by clinics with no doctor") ||
	    !strstr(why, "raising [townships] cover (every township's) to 3 would allow") ||
	    strstr(why, "[township t0004]") || strstr(why, "adding"))
		fail_msg("advice: %s", why);
	free(why);
	vd_program_free(&p);
}

/* A clinic of two with min_on_duty 2 needs cover for either doctor: its 2
 * doctors x 2 days = 4 cover-days; with a single-doctor clinic, 6. */
static void test_cover_min_on_duty(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t", 1);
	add_clinic(&p, 0, 2, 23.7, 106.9);
	p.clinics[0].min_on_duty = 2;
	add_clinic(&p, 0, 1, 23.7, 106.9);
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_COVER);
	assert_int_equal(b.date, day(3, 9));          /* 6th weekday */
	vd_program_free(&p);
}

/* Cover 0: the single-doctor clinic's doctor can never train; left out,
 * the others bound the finish. */
static void test_no_cover_excluded(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t", 0);
	add_clinic(&p, 0, 1, 23.7, 106.9);
	add_clinic(&p, 0, 2, 23.7, 106.9);
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.nexcluded, 1);
	/* the clinic of two sends one at a time: 4 days */
	assert_int_equal(b.binding, VD_BOUND_COVER);
	assert_int_equal(b.date, day(3, 5));
	vd_program_free(&p);
}

/* Dental chairs: 2 chairs x 3 a chair = 6 trainees a day; 13 doctors are
 * three slots of 2 days: the 6th teaching day. */
static void test_chairs_bind(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t", 0);
	add_clinic(&p, 0, 13, 23.7, 106.9);
	add_site(&p, "hq", 20, 23.7, 106.9);
	p.sites[0].res = xcalloc(1, sizeof *p.sites[0].res);
	p.sites[0].res[0] = (struct vd_resource_count){ xstrdup("chairs"), 2 };
	p.sites[0].nres = 1;
	add_course(&p, "dd", &course_dent);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_COURSE);
	assert_int_equal(b.date, day(3, 9));
	assert_int_equal(b.part[VD_BOUND_COURSE].have, 6);
	assert_string_equal(b.part[VD_BOUND_COURSE].limit, "chairs");
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	assert_true(pl.last_day >= b.date);
	vd_plan_free(&pl);
	vd_program_free(&p);
}

/* One doctor, aa then bb (bb requires aa), away on Wednesday: aa Mon-Tue,
 * bb cannot start Wednesday, so Thu-Fri. */
static void test_doctor_sequence(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t", 0);
	p.townships[0].cover = 10;
	add_clinic(&p, 0, 3, 23.7, 106.9);
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	add_course(&p, "bb", &course_b);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_DOCTOR);
	assert_int_equal(b.date, day(3, 5));          /* 4 days in a row */
	struct vd_doctor *d = &p.doctors[1];
	d->unavail = xcalloc(1, sizeof *d->unavail);
	d->unavail[0] = (struct vd_range){ day(3, 4), day(3, 4) };
	d->nunavail = 1;
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_DOCTOR);
	assert_int_equal(b.part[VD_BOUND_DOCTOR].index, 1);
	assert_int_equal(b.date, day(3, 6));
	vd_program_free(&p);
}

/* Two courses on one small site: each alone needs 3 days, together their
 * seat-days need 6. */
static void test_shared_seats(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t", 0);
	p.townships[0].cover = 10;
	for (int i = 0; i < 4; i++)
		add_clinic(&p, 0, 5, 23.7, 106.9);
	add_site(&p, "hq", 10, 23.7, 106.9);
	static struct vds_course course_c = {
		.size = sizeof(struct vds_course), .id = "cc", .title = "课程C", .days = 2,
		.sessions = two_sessions, .nsessions = 4 };
	add_course(&p, "aa", &course_a);
	add_course(&p, "cc", &course_c);
	vd_bound_compute(&p, &b);
	/* 20 doctors x 2 courses x 2 days = 80 seat-days, 10 a day: the 8th
	 * weekday; each course alone: 2 runs of 2 days = the 4th */
	assert_int_equal(b.part[VD_BOUND_COURSE].date, day(3, 5));
	assert_int_equal(b.binding, VD_BOUND_SEATS);
	assert_int_equal(b.date, day(3, 11));
	vd_program_free(&p);
}

/* Seats against travel: 20 doctors 5.56 km south of a 10-seat site, a
 * 30-seat site three times as far.  Any plan may finish on day 2 (03-03),
 * sending 10 of them far: +100% travel.  Within 50%, 5 go far and the
 * rest need three days at the near site (03-04); within 0%, four (03-05). */
static void test_travel_binds(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_bound b;
	base(&p);
	p.cohort_min = 1;
	add_township(&p, "t", 10);
	for (int i = 0; i < 4; i++)
		add_clinic(&p, 0, 5, 23.65, 106.9);
	add_site(&p, "near", 10, 23.70, 106.9);
	add_site(&p, "far", 30, 23.80, 106.9);
	add_course(&p, "aa", &course_a);
	p.travel_budget = 0;
	vd_bound_compute(&p, &b);
	assert_int_equal(b.date, day(3, 3));
	assert_true(b.travel.set);
	assert_int_equal(b.travel.date, day(3, 5));
	assert_int_equal(b.travel.site, 0);
	assert_true(b.travel.need > 0.99 && b.travel.need < 1.01);
	p.travel_budget = 0.5;
	vd_bound_compute(&p, &b);
	assert_int_equal(b.travel.date, day(3, 4));
	plan(&p, &pl);
	assert_int_equal(pl.nunsched, 0);
	if (pl.travel_km <= 1.5 * pl.travel_bound_km + 1e-6)
		assert_true(pl.last_day >= b.travel.date);
	vd_plan_free(&pl);
	p.travel_budget = 1.0;   /* enough: the budget does not hold it back */
	vd_bound_compute(&p, &b);
	assert_int_equal(b.travel.date, b.date);
	vd_program_free(&p);
}

/* Nothing to schedule: no bound kind binds. */
static void test_nothing(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_bound b;
	base(&p);
	add_township(&p, "t", 0);
	add_clinic(&p, 0, 1, 23.7, 106.9);
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	vd_bound_compute(&p, &b);
	assert_int_equal(b.binding, VD_BOUND_NONE);
	assert_int_equal(b.nexcluded, 1);
	vd_program_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cover_binds),
		cmocka_unit_test(test_cover_implicit),
		cmocka_unit_test(test_cover_min_on_duty),
		cmocka_unit_test(test_no_cover_excluded),
		cmocka_unit_test(test_chairs_bind),
		cmocka_unit_test(test_doctor_sequence),
		cmocka_unit_test(test_shared_seats),
		cmocka_unit_test(test_travel_binds),
		cmocka_unit_test(test_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

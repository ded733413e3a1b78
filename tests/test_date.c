/* test_date.c -- dates, ranges, weekdays, teaching days with holidays and
 * make-up workdays (调休). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "date.h"
#include "model.h"

static void test_roundtrip(void **state)
{
	(void)state;
	char buf[11];
	for (vd_date t = vd_date_from_ymd(1999, 12, 25); t < vd_date_from_ymd(2031, 1, 5); t += 17) {
		int y, m, d;
		vd_date_to_ymd(t, &y, &m, &d);
		assert_int_equal(vd_date_from_ymd(y, m, d), t);
		vd_date back;
		assert_int_equal(vd_date_parse(vd_date_format(t, buf), &back), 0);
		assert_int_equal(back, t);
	}
	assert_int_equal(vd_date_from_ymd(1970, 1, 1), 0);
}

static void test_bad_dates(void **state)
{
	(void)state;
	vd_date t;
	assert_int_equal(vd_date_parse("2026-02-30", &t), -1);
	assert_int_equal(vd_date_parse("2026-13-01", &t), -1);
	assert_int_equal(vd_date_parse("2026-2-3", &t), -1);
	assert_int_equal(vd_date_parse("2026-02-28x", &t), -1);
	assert_int_equal(vd_date_parse("", &t), -1);
	assert_int_equal(vd_date_parse("2025-02-29", &t), -1);
	assert_int_equal(vd_date_parse("2024-02-29", &t), 0);
}

static void test_ranges(void **state)
{
	(void)state;
	struct vd_range r;
	assert_int_equal(vd_range_parse("2026-05-25..2026-06-05", &r), 0);
	assert_int_equal(r.b - r.a, 11);
	assert_int_equal(vd_range_parse("2026-05-25", &r), 0);
	assert_int_equal(r.a, r.b);
	assert_int_equal(vd_range_parse("2026-06-05..2026-05-25", &r), -2);
	assert_int_equal(vd_range_parse("2026-05-25..", &r), -1);
	assert_int_equal(vd_range_parse("2026-05-25...2026-05-26", &r), -1);
}

static void test_weekdays(void **state)
{
	(void)state;
	/* 2026-03-02 is a Monday; 2026-01-04 (调休 workday) a Sunday */
	assert_int_equal(vd_weekday(vd_date_from_ymd(2026, 3, 2)), 0);
	assert_int_equal(vd_weekday(vd_date_from_ymd(2026, 1, 4)), 6);
	assert_int_equal(vd_weekday(vd_date_from_ymd(1969, 12, 31)), 2);
	unsigned m;
	char *bad;
	assert_int_equal(vd_days_parse("mon-fri", &m, &bad), 0);
	assert_int_equal(m, VDS_WEEKDAYS);
	assert_int_equal(vd_days_parse("sat, sun", &m, &bad), 0);
	assert_int_equal(m, VDS_WEEKEND);
	assert_int_equal(vd_days_parse("周六 周日", &m, &bad), 0);
	assert_int_equal(m, VDS_WEEKEND);
	assert_int_equal(vd_days_parse("mon funday", &m, &bad), -1);
	assert_string_equal(bad, "funday");
	free(bad);
}

static void test_teaching_day(void **state)
{
	(void)state;
	struct vd_program p;
	vd_program_init(&p);
	p.start = vd_date_from_ymd(2026, 1, 1);
	p.end = vd_date_from_ymd(2026, 12, 31);
	vd_date hol[] = { vd_date_from_ymd(2026, 1, 1), vd_date_from_ymd(2026, 1, 2) };
	vd_date work[] = { vd_date_from_ymd(2026, 1, 4) };
	struct vd_range bo = { vd_date_from_ymd(2026, 5, 25), vd_date_from_ymd(2026, 6, 5) };
	p.holidays = hol; p.nholidays = 2;
	p.workdays = work; p.nworkdays = 1;
	p.blackout = &bo; p.nblackout = 1;
	/* holiday Thursday: no; make-up Sunday: yes; ordinary Saturday: no */
	assert_false(vd_program_teaching_day(&p, NULL, vd_date_from_ymd(2026, 1, 1)));
	assert_true(vd_program_teaching_day(&p, NULL, vd_date_from_ymd(2026, 1, 4)));
	assert_false(vd_program_teaching_day(&p, NULL, vd_date_from_ymd(2026, 1, 10)));
	assert_true(vd_program_teaching_day(&p, NULL, vd_date_from_ymd(2026, 1, 5)));
	assert_false(vd_program_teaching_day(&p, NULL, vd_date_from_ymd(2026, 5, 27)));
	assert_false(vd_program_teaching_day(&p, NULL, vd_date_from_ymd(2027, 1, 4)));
	/* a weekend-only course trains on Saturdays but not on the holiday */
	struct vds_course def = { .weekdays = VDS_WEEKEND, .days = 1 };
	struct vd_course c = { .def = &def };
	assert_true(vd_program_teaching_day(&p, &c, vd_date_from_ymd(2026, 1, 10)));
	assert_false(vd_program_teaching_day(&p, &c, vd_date_from_ymd(2026, 1, 5)));
	p.holidays = NULL; p.nholidays = 0;
	p.workdays = NULL; p.nworkdays = 0;
	p.blackout = NULL; p.nblackout = 0;
	vd_program_free(&p);
}

static void test_ids(void **state)
{
	(void)state;
	assert_true(vd_id_valid("d0001"));
	assert_true(vd_id_valid("ty-pohong.01_a"));
	assert_false(vd_id_valid("../x"));
	assert_false(vd_id_valid(".hidden"));
	assert_false(vd_id_valid("a/b"));
	assert_false(vd_id_valid(""));
	assert_false(vd_id_valid("张三"));
	char id[66];
	memset(id, 'a', 65);
	id[65] = '\0';
	assert_false(vd_id_valid(id));
	id[64] = '\0';
	assert_true(vd_id_valid(id));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_teaching_day),
		cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

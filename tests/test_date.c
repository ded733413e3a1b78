/* test_date.c -- dates in every form Excel writes, ranges, the list
 * splitter and "did you mean", weekdays, teaching days with holidays and
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
#include "words.h"

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
	/* shaped like a date, but no such day: -3 */
	assert_int_equal(vd_date_parse("2026-02-30", &t), -3);
	assert_int_equal(vd_date_parse("2026-13-01", &t), -3);
	assert_int_equal(vd_date_parse("2026年2月30日", &t), -3);
	assert_int_equal(vd_date_parse("2026/4/31", &t), -3);
	/* not a date at all: -1 */
	assert_int_equal(vd_date_parse("2026-02-28x", &t), -1);
	assert_int_equal(vd_date_parse("26-03-02", &t), -1);        /* two-digit year */
	assert_int_equal(vd_date_parse("5/11/2026", &t), -1);       /* US order */
	assert_int_equal(vd_date_parse("11.05.2026", &t), -1);      /* German order */
	assert_int_equal(vd_date_parse("2026-5/11", &t), -1);       /* mixed separators */
	assert_int_equal(vd_date_parse("2026-05-111", &t), -1);
	assert_int_equal(vd_date_parse("2026--5-11", &t), -1);
	assert_int_equal(vd_date_parse("2026年5月", &t), -1);
	assert_int_equal(vd_date_parse("2026-05-11 2026-05-12", &t), -1);
	assert_int_equal(vd_date_parse("2026", &t), -1);
	assert_int_equal(vd_date_parse("", &t), -1);
	assert_int_equal(vd_date_parse("2025-02-29", &t), -3);
	assert_int_equal(vd_date_parse("2024-02-29", &t), 0);
}

/* Every form Excel and WPS write in a Chinese locale is the same day. */
static void test_excel_forms(void **state)
{
	(void)state;
	static const char *const forms[] = {
		"2026-05-11", "2026-5-11", "2026/5/11", "2026/05/11", "2026.5.11",
		"2026.05.11", "2026年5月11日", "2026年05月11日", "2026年5月11",
		"２０２６年５月１１日", "２０２６／５／１１", "2026－05－11",
		" 2026/5/11 ", "\u30002026-05-11\u3000",
	};
	vd_date want = vd_date_from_ymd(2026, 5, 11);
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		vd_date t = 0;
		if (vd_date_parse(forms[i], &t) != 0 || t != want)
			fail_msg("'%s' did not parse as 2026-05-11", forms[i]);
	}
	vd_date t;
	assert_int_equal(vd_date_parse("2026/1/2", &t), 0);
	assert_int_equal(t, vd_date_from_ymd(2026, 1, 2));
	assert_int_equal(vd_date_parse("2024年2月29日", &t), 0);
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
	assert_int_equal(vd_range_parse("2026-05-25..2026-02-30", &r), -3);
	assert_int_equal(vd_range_parse("2026-05-25..26-05-26", &r), -1);
	assert_int_equal(vd_range_parse("2026-05-25～", &r), -1);
	assert_int_equal(vd_range_parse("2026-05-25-2026-05-26", &r), -1);
	/* the range marks of Chinese offices, with Excel's dates */
	static const char *const ranges[] = {
		"2026/5/1..2026/5/5", "2026/5/1～2026/5/5", "2026/5/1~2026/5/5",
		"2026-05-01〜2026-05-05", "2026年5月1日至2026年5月5日",
		"2026年5月1日到2026年5月5日", "2026.5.1..2026.5.5",
		"2026-5-1 ～ 2026-5-5",
	};
	for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
		memset(&r, 0, sizeof r);
		if (vd_range_parse(ranges[i], &r) != 0 || r.a != vd_date_from_ymd(2026, 5, 1) ||
		    r.b != vd_date_from_ymd(2026, 5, 5))
			fail_msg("'%s' did not parse as 2026-05-01..2026-05-05", ranges[i]);
	}
	assert_int_equal(vd_range_parse("2026年5月5日至2026年5月1日", &r), -2);
	/* a dash between dates that have no hyphens of their own */
	static const char *const dashed[] = {
		"2026/4/21-2026/4/27", "2026年4月21日-2026年4月27日", "2026.4.21-2026.4.27",
		"2026/4/21 - 2026/4/27", "2026年4月21日－2026年4月27日", "2026/4/21–2026/4/27",
		"2026/4/21—2026/4/27", "2026年4月21日-2026/4/27",
	};
	for (size_t i = 0; i < sizeof dashed / sizeof *dashed; i++) {
		memset(&r, 0, sizeof r);
		if (vd_range_parse(dashed[i], &r) != 0 || r.a != vd_date_from_ymd(2026, 4, 21) ||
		    r.b != vd_date_from_ymd(2026, 4, 27))
			fail_msg("'%s' did not parse as 2026-04-21..2026-04-27", dashed[i]);
	}
	assert_int_equal(vd_range_parse("2026/4/27-2026/4/21", &r), -2);
	assert_int_equal(vd_range_parse("2026/4/21-2026-4-27", &r), -1);
	assert_int_equal(vd_range_parse("2026-4-21-2026/4/27", &r), -1);
	assert_int_equal(vd_range_parse("2026/4/21-", &r), -1);
	assert_int_equal(vd_range_parse("2026/4/21--2026/4/27", &r), -1);
}

/* The one list splitter: blanks, commas, semicolons, full-width forms. */
static void test_list_split(void **state)
{
	(void)state;
	struct vd_strv sv = { 0 };
	vd_strv_split(&sv, " tcm，dental、pediatrics；first-aid\u3000x ,;y\t");
	assert_int_equal(sv.n, 6);
	assert_string_equal(sv.v[0], "tcm");
	assert_string_equal(sv.v[1], "dental");
	assert_string_equal(sv.v[2], "pediatrics");
	assert_string_equal(sv.v[3], "first-aid");
	assert_string_equal(sv.v[4], "x");
	assert_string_equal(sv.v[5], "y");
	vd_strv_free(&sv);
	vd_strv_split(&sv, "，、\u3000 ");
	assert_int_equal(sv.n, 0);
	unsigned mask;
	char *bad;
	assert_int_equal(vd_days_parse("周一、周三，周五", &mask, &bad), 0);
	assert_int_equal(mask, 1u | 4u | 16u);
	free(bad);
}

/* The one "did you mean", by code points. */
static void test_nearest(void **state)
{
	(void)state;
	static const char *const list[] = { "clinic_id", "name", "township", "卫生室编号", NULL };
	assert_string_equal(vd_nearest("clinic-id", list), "clinic_id");
	assert_string_equal(vd_nearest("nmae", list), "name");
	assert_string_equal(vd_nearest("卫生室编码", list), "卫生室编号");
	assert_string_equal(vd_nearest("name", list), "name");
	assert_null(vd_nearest("lat", list));
	assert_null(vd_nearest("备注", list));
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

/* The two-year rule's deadline: the same day years later; Feb 29 of a
 * leap year becomes Feb 28 (vdsched.ini(5), last_trained). */
static void test_add_years(void **state)
{
	(void)state;
	assert_int_equal(vd_date_add_years(vd_date_from_ymd(2024, 5, 11), 2), vd_date_from_ymd(2026, 5, 11));
	assert_int_equal(vd_date_add_years(vd_date_from_ymd(2024, 2, 29), 2), vd_date_from_ymd(2026, 2, 28));
	assert_int_equal(vd_date_add_years(vd_date_from_ymd(2024, 2, 29), 4), vd_date_from_ymd(2028, 2, 29));
	assert_int_equal(vd_date_add_years(vd_date_from_ymd(2096, 2, 29), 4), vd_date_from_ymd(2100, 2, 28));
	assert_int_equal(vd_date_add_years(vd_date_from_ymd(2025, 12, 31), 1), vd_date_from_ymd(2026, 12, 31));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_excel_forms),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_list_split),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_teaching_day),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_add_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

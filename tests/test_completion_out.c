/* test_completion_out.c -- completion.csv, the per township x course tally
 * the report and the 培训统计 sheet share, and the certificates, from a
 * hand-made struct vd_completion: rows a plan without attendance records
 * never has (a missed run made up later, a session absent, an
 * unscheduled pair) must come out right too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "certificate.h"
#include "completion-out.h"
#include "diag.h"
#include "planfix.h"
#include "xalloc.h"

/* Two townships; doctors d0000, d0001 in the first, d0002 in the second;
 * courses aa and bb; runs C001 (aa, March 2-3), C002 (aa, March 9-10),
 * C003 (bb, March 16-17). */
struct fixture {
	struct vd_program p;
	struct vd_plan pl;
	struct vd_completion c;
	char dir[64];
};

static struct vd_completion_row row(size_t x, size_t course, size_t run,
                                    enum vd_pair_status st, unsigned attended, double hours,
                                    double credits, const char *cert)
{
	return (struct vd_completion_row){ x, course, run, st, attended, 4, hours, credits,
	                                   cert ? xstrdup(cert) : NULL };
}

static void add_run(struct vd_plan *pl, size_t course, const char *cohort, int day)
{
	struct vd_run *r = &pl->runs[pl->nruns++];
	memset(r, 0, sizeof *r);
	r->course = course;
	r->instructor = VD_NONE;
	r->dates = xcalloc(2, sizeof *r->dates);
	r->dates[0] = vd_date_from_ymd(2026, 3, day);
	r->dates[1] = r->dates[0] + 1;
	snprintf(r->cohort, sizeof r->cohort, "%s", cohort);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	base(&f->p);
	add_township(&f->p, "east", 1);
	add_township(&f->p, "west", 1);
	add_clinic(&f->p, 0, 2, 23.7, 106.9);
	add_clinic(&f->p, 1, 1, 23.8, 106.8);
	add_site(&f->p, "hall", 20, 23.7, 106.9);
	add_course(&f->p, "aa", &course_a);
	add_course(&f->p, "bb", &course_b);
	f->pl.runs = xcalloc(3, sizeof *f->pl.runs);
	add_run(&f->pl, 0, "C001", 2);
	add_run(&f->pl, 0, "C002", 9);
	add_run(&f->pl, 1, "C003", 16);
	f->c.asof = vd_date_from_ymd(2026, 3, 17);
	f->c.rows = xcalloc(6, sizeof *f->c.rows);
	struct vd_completion_row *r = f->c.rows;
	/* d0000 aa: missed C001 (1 of 4 sessions), made up and completed in C002 */
	r[f->c.n++] = row(0, 0, 0, VD_PAIR_MISSED, 1, 3, 0, NULL);
	r[f->c.n++] = row(0, 0, 1, VD_PAIR_COMPLETED, 4, 12, 4, "t-aa-d0000");
	/* d0000 bb: in C003, which goes on after the as-of date */
	r[f->c.n++] = row(0, 1, 2, VD_PAIR_IN_PROGRESS, 2, 6, 0, NULL);
	/* d0001 aa: missed C001, no make-up yet */
	r[f->c.n++] = row(1, 0, 0, VD_PAIR_MISSED, 2, 6, 0, NULL);
	/* d0002 aa: completed at 3 of 4 (min_attendance 75%), 7.5 credits set */
	r[f->c.n++] = row(2, 0, 0, VD_PAIR_COMPLETED, 3, 9, 7.5, "t-aa-d0002");
	/* d0002 bb: no run holds it */
	r[f->c.n++] = row(2, 1, VD_NONE, VD_PAIR_UNSCHEDULED, 0, 0, 0, NULL);
	snprintf(f->dir, sizeof f->dir, "/tmp/vdsched-test-completion.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static void rm_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	rm_tree(f->dir);
	vd_completion_free(&f->c);
	for (size_t r = 0; r < f->pl.nruns; r++)
		free(f->pl.runs[r].dates);
	free(f->pl.runs);
	vd_program_free(&f->p);
	free(f);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = xcalloc(1 << 16, 1);
	size_t n = fread(buf, 1, (1 << 16) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void test_decimal(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(vd_decimal(30, b), "30");
	assert_string_equal(vd_decimal(7.5, b), "7.5");
	assert_string_equal(vd_decimal(18.25, b), "18.25");
	assert_string_equal(vd_decimal(0, b), "0");
	assert_string_equal(vd_decimal(1.0 / 3, b), "0.33");
	assert_string_equal(vd_decimal(2.999, b), "3");
	assert_string_equal(vd_decimal(100.1, b), "100.1");
}

static void test_tally(void **state)
{
	struct fixture *f = *state;
	struct vd_completion_tally t;
	vd_completion_tally(&f->p, &f->c, &t);
	assert_int_equal(t.n, 4);   /* east aa, east bb, west aa, west bb (unscheduled) */
	/* east aa: d0000 completed (its make-up), d0001 missed; all rows' hours */
	assert_int_equal(t.cells[0].township, 0);
	assert_int_equal(t.cells[0].course, 0);
	assert_int_equal(t.cells[0].required, 2);
	assert_int_equal(t.cells[0].pairs[VD_PAIR_COMPLETED], 1);
	assert_int_equal(t.cells[0].pairs[VD_PAIR_MISSED], 1);
	assert_true(t.cells[0].hours == 21 && t.cells[0].credits == 4);
	assert_int_equal(t.cells[1].pairs[VD_PAIR_IN_PROGRESS], 1);
	assert_int_equal(t.cells[2].township, 1);
	assert_int_equal(t.cells[2].course, 0);
	assert_true(t.cells[2].credits == 7.5);
	assert_int_equal(t.cells[3].pairs[VD_PAIR_UNSCHEDULED], 1);
	assert_int_equal(t.total.required, 5);
	size_t sum = 0;
	for (int s = 0; s < VD_PAIR_NSTATUS; s++)
		sum += t.total.pairs[s];
	assert_int_equal(sum, t.total.required);
	assert_int_equal(t.total.pairs[VD_PAIR_UNSCHEDULED], 1);
	assert_true(t.total.hours == 36 && t.total.credits == 11.5);
	vd_completion_tally_free(&t);
}

static void test_csv(void **state)
{
	struct fixture *f = *state;
	struct vd_diag dg = { 0 };
	assert_int_equal(vd_write_completion_csv(&f->p, &f->pl, &f->c, f->dir, &dg), 0);
	char *path = xasprintf("%s/completion.csv", f->dir);
	char *got = slurp(path);
	const char *want =
		"\xEF\xBB\xBF" "doctor_id,doctor_name,clinic_id,township,course_id,cohort_id,status,"
		"sessions_attended,sessions_total,hours,credits,certificate\r\n"
		"d0000,医生,c000,east,aa,C001,missed,1,4,3,0,\r\n"
		"d0000,医生,c000,east,aa,C002,completed,4,4,12,4,t-aa-d0000\r\n"
		"d0000,医生,c000,east,bb,C003,in_progress,2,4,6,0,\r\n"
		"d0001,医生,c000,east,aa,C001,missed,2,4,6,0,\r\n"
		"d0002,医生,c001,west,aa,C001,completed,3,4,9,7.5,t-aa-d0002\r\n"
		"d0002,医生,c001,west,bb,,unscheduled,0,4,0,0,\r\n";
	assert_string_equal(got, want);
	free(got);
	free(path);
}

static void test_report(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);
	vd_completion_report(fp, &f->p, &f->c);
	fclose(fp);
	assert_non_null(strstr(buf, "sessions before 2026-03-17 have taken place"));
	assert_non_null(strstr(buf, "  east         aa                  2         1      1"));
	assert_non_null(strstr(buf, "  合计         total               5         2      1           1         0           1   40.0%       36     11.5\n"));
	free(buf);
	/* no freeze date: nothing has happened yet, and it says how to get there */
	f->c.asof = 0;
	fp = open_memstream(&buf, &n);
	vd_completion_report(fp, &f->p, &f->c);
	fclose(fp);
	assert_non_null(strstr(buf, "no session has happened yet"));
	free(buf);
}

static void test_certificates(void **state)
{
	struct fixture *f = *state;
	struct vd_diag dg = { 0 };
	f->p.base_url = xstrdup("https://example.org/px/");
	char *print = xasprintf("%s/print", f->dir);
	assert_int_equal(mkdir(print, 0755), 0);
	assert_int_equal(vd_write_certificates(&f->p, &f->pl, &f->c, f->dir, &dg), 0);
	struct stat st;
	static const char *const want[] = { "print/certificates/t-aa-d0000.html",
		"print/certificates/t-aa-d0002.html", "verify/t-aa-d0000.html",
		"verify/t-aa-d0002.html", "print/certificates/index.html" };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char *p = xasprintf("%s/%s", f->dir, want[i]);
		assert_int_equal(stat(p, &st), 0);
		free(p);
	}
	/* the make-up's certificate: its run's dates, 4 of 4, the QR code's
	 * address; in English, the messages untranslated here (the Chinese
	 * through the catalogue: tests/language.sh, make same-bytes) */
	char *p = xasprintf("%s/print/certificates/t-aa-d0000.html", f->dir);
	char *page = slurp(p);
	assert_non_null(strstr(page, "(2026-03-09 – 2026-03-10)"));
	assert_non_null(strstr(page, "attended 4 of its 4 sessions, 12 hours in all, earned 4 credits"));
	assert_non_null(strstr(page, "aria-label=\"https://example.org/px/verify/t-aa-d0000.html\""));
	assert_non_null(strstr(page, "(seal)"));
	free(page);
	free(p);
	/* only completed rows have one: 2 files, the index and the style sheet */
	char *cmd = xasprintf("test $(ls '%s/print/certificates' | wc -l) -eq 4", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(print);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test_setup_teardown(test_tally, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_certificates, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

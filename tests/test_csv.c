/* test_csv.c -- the one table reader (csvread.h) and the one CSV writer
 * (csvwrite.h): BOM, CRLF, quoted line breaks, GBK, a bad byte reported at
 * its line, header aliases; the writer's quoting, and what vdsched writes
 * (state/, changes.csv) read back to the same values.
 *
 * Files go to one mkdtemp folder under /tmp, removed at the end. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iconv.h>
#include <cmocka.h>
#include "changes.h"
#include "csvread.h"
#include "csvwrite.h"
#include "state.h"
#include "tablefix.h"
#include "xalloc.h"

static int group_setup(void **state)
{
	return fx_setup(state, "/tmp/vdcsv-XXXXXX");
}

/* Reads data as a file; returns vd_table_read's value, the table's error
 * count in *errors. */
static int read_opts(struct fx *f, const char *data, size_t n, const struct vd_table_opts *o,
                     unsigned *errors)
{
	char *path = write_bytes(f, "t.csv", data, n);
	struct vd_table *t = vd_table_new();
	int rc = vd_table_read(t, path, o, &f->dg, collect, f);
	if (errors)
		*errors = vd_table_errors(t);
	vd_table_free(t);
	free(path);
	fflush(f->mem);
	return rc;
}

static int read_str(struct fx *f, const char *data, const char *encoding, unsigned *errors)
{
	struct vd_table_opts o = { .encoding = encoding, .field_max = 4096, .record_max = 65536 };
	return read_opts(f, data, strlen(data), &o, errors);
}

/* ---- the reader ---- */

static void test_bom_and_crlf(void **state)
{
	struct fx *f = *state;
	unsigned errors;
	assert_int_equal(read_str(f, "\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n3,4\r5,6", NULL, &errors), 0);
	assert_int_equal(errors, 0);
	assert_got(f, (const char *[]){ "1|a|b", "2|1|2", "4|3|4", "5|5|6", NULL });
}

static void test_quoted_newlines(void **state)
{
	struct fx *f = *state;
	assert_int_equal(read_str(f, "a,b\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\nq,\"1\n2\n3\"\nlast,z\n",
	                          NULL, NULL), 0);
	assert_got(f, (const char *[]){ "1|a|b", "2|x\ny|say \"hi\"", "4|q|1\n2\n3", "7|last|z", NULL });
}

static char *to_gbk(const char *utf, size_t *n)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t il = strlen(utf), ol = il * 2 + 8;
	char *out = xmalloc(ol), *ip = (char *)utf, *op = out;
	assert_int_equal(iconv(cd, &ip, &il, &op, &ol), 0);
	iconv_close(cd);
	*n = (size_t)(op - out);
	return out;
}

static void test_gbk(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *g = to_gbk("姓名,乡镇\r\n黄秀兰,新安镇\r\n", &n);
	struct vd_table_opts o = { .encoding = "gbk" };
	assert_int_equal(read_opts(f, g, n, &o, NULL), 0);
	assert_got(f, (const char *[]){ "1|姓名|乡镇", "2|黄秀兰|新安镇", NULL });
	free(g);
}

/* A bad byte is reported at its own line, with CR LF or LF, in UTF-8 and
 * in GBK; the lines before it are read. */
static void test_bad_byte_lines(void **state)
{
	struct fx *f = *state;
	unsigned errors;
	assert_int_equal(read_str(f, "a,b\r\nc,d\r\ne\xff,f\r\n", NULL, &errors), 0);
	assert_int_equal(errors, 1);
	assert_msg(f, "/t.csv:3: error: the file is not valid UTF-8 (byte 0xFF)");
	assert_got(f, (const char *[]){ "1|a|b", "2|c|d", NULL });

	size_t n;
	char *g = to_gbk("编号,姓名\r\n", &n);
	g = xrealloc(g, n + 32);
	memcpy(g + n, "t1,\xba\xa3\xff\r\nt2,x\r\n", 13);
	struct vd_table_opts o = { .encoding = "gbk" };
	assert_int_equal(read_opts(f, g, n + 13, &o, &errors), 0);
	assert_int_equal(errors, 1);
	assert_msg(f, "/t.csv:2: error: byte 0xFF is not valid gbk;");
	free(g);

	/* GBK not declared, first met on line 2 */
	g = to_gbk("id,name\r\nt1,黄秀兰\r\n", &n);
	assert_int_equal(read_opts(f, g, n, &(struct vd_table_opts){ 0 }, &errors), 0);
	assert_msg(f, "/t.csv:2: error: the file is not UTF-8; it looks like GBK");
	free(g);
}

static const struct vd_column cols[] = {
	{ "doctor_id", VD_COLUMN_REQUIRED, { "医生编号", "村医编号" } },
	{ "name", VD_COLUMN_REQUIRED, { "姓名" } },
	{ "phone", VD_COLUMN_OPTIONAL, { "电话" } },
};

static void test_header_aliases(void **state)
{
	struct fx *f = *state;
	struct vd_table_opts o = { .cols = cols, .ncols = 3 };
	static const char in[] = "备注,\xE3\x80\x80姓名 ,村医编号\nx,黄秀兰,d1\n,,\ny,韦建国,d2\n";
	unsigned errors;
	assert_int_equal(read_opts(f, in, sizeof in - 1, &o, &errors), 0);
	assert_int_equal(errors, 0);
	assert_got(f, (const char *[]){ "2|d1|黄秀兰", "4|d2|韦建国", NULL });

	static const char bad[] = "DOCTOR_ID,nmae\nd1,x\n";
	assert_int_equal(read_opts(f, bad, sizeof bad - 1, &o, &errors), 0);
	assert_msg(f, "/t.csv:1: warning: column 'nmae' is not one vdsched reads, so it is ignored; did you mean 'name'?");
	assert_msg(f, "/t.csv:1: error: missing column 'name'; the header has: DOCTOR_ID, nmae. The first line must name the columns: doctor_id,name,phone (or in Chinese: 医生编号,姓名,电话; see vdsched.ini(5))");
}

static void test_from_vdsched_parse_error(void **state)
{
	struct fx *f = *state;
	struct vd_table_opts o = { .origin = VD_TABLE_FROM_VDSCHED };
	char *path = write_bytes(f, "s.csv", "a,b\r\nc,d\"e\r\n", 12);
	struct vd_table *t = vd_table_new();
	assert_int_equal(vd_table_read(t, path, &o, &f->dg, collect, f), 0);
	int line;
	assert_non_null(vd_table_parse_error(t, &line));
	assert_int_equal(line, 2);
	assert_true(vd_table_unusable(t));
	assert_int_equal(vd_table_errors(t), 0);   /* the reader words it */
	vd_table_free(t);
	free(path);
}

/* ---- the writer ---- */

static void test_quoting(void **state)
{
	(void)state;
	static const struct { const char *in; enum vd_csv_cell kind; const char *out; } cases[] = {
		{ "plain", VD_CSV_PLAIN, "plain" },
		{ "a,b", VD_CSV_PLAIN, "\"a,b\"" },
		{ "say \"hi\"", VD_CSV_PLAIN, "\"say \"\"hi\"\"\"" },
		{ "two\nlines", VD_CSV_PLAIN, "\"two\nlines\"" },
		{ "cr\r", VD_CSV_PLAIN, "\"cr\r\"" },
		{ " lead", VD_CSV_PLAIN, "\" lead\"" },
		{ "=1+2", VD_CSV_TEXT, "'=1+2" },
		{ "=1+2", VD_CSV_PLAIN, "=1+2" },
		{ "-x,y", VD_CSV_TEXT, "\"'-x,y\"" },
		{ "@a", VD_CSV_TEXT, "'@a" },
		{ "", VD_CSV_TEXT, "" },
		{ NULL, VD_CSV_PLAIN, "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[64];
		size_t n = vd_csv_format(buf, cases[i].in, cases[i].kind);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
}

static void test_write_read_back(void **state)
{
	struct fx *f = *state;
	char *path = xasprintf("%s/w.csv", f->dir);
	FILE *o = fopen(path, "w");
	assert_non_null(o);
	vd_csv_row(o, 3, (const char *[]){ "a", "b,c", "d\"e" });
	vd_csv_field(o, "two\nlines", VD_CSV_PLAIN);
	vd_csv_field(o, " x", VD_CSV_PLAIN);
	vd_csv_last(o, "=sum", VD_CSV_TEXT);
	fclose(o);
	struct vd_table *t = vd_table_new();
	struct vd_table_opts op = { .origin = VD_TABLE_FROM_VDSCHED };
	assert_int_equal(vd_table_read(t, path, &op, &f->dg, collect, f), 0);
	vd_table_free(t);
	assert_got(f, (const char *[]){ "1|a|b,c|d\"e", "2|two\nlines| x|'=sum", NULL });
	free(path);
}

/* ---- what vdsched writes, read back ---- */

static const struct vds_course course_def = { .id = "tcm", .title = "中医", .days = 2 };

/* A program of two doctors and a plan of one run with both; written to
 * f->dir/state when f is not NULL. */
static void small_plan(struct fx *f, struct vd_program *p, struct vd_plan *pl)
{
	static const char *const doctors[][3] = {   /* id, name, phone */
		{ "d1", "黄, \"秀兰\"", "=138" }, { "d2", "two\nlines", NULL },
	};
	vd_program_init(p);
	vd_plan_init(pl);
	p->id = xstrdup("prog-1");
	p->courses = xcalloc(p->ncourses = 1, sizeof *p->courses);
	p->courses[0] = (struct vd_course){ .name = xstrdup("tcm"), .def = &course_def };
	vd_hmap_put(&p->course_ix, p->courses[0].name, 0);
	p->sites = xcalloc(p->nsites = 1, sizeof *p->sites);
	p->sites[0].id = xstrdup("hospital");
	p->doctors = xcalloc(p->ndoctors = 2, sizeof *p->doctors);
	struct vd_run run = { .instructor = VD_NONE, .cohort = "C001", .nmembers = 2 };
	run.dates = xmalloc(2 * sizeof *run.dates);
	run.members = xmalloc(2 * sizeof *run.members);
	assert_int_equal(vd_date_parse("2026-05-06", &run.dates[0]), 0);
	run.dates[1] = run.dates[0] + 1;
	for (size_t i = 0; i < 2; i++) {
		struct vd_doctor *d = &p->doctors[i];
		d->id = xstrdup(doctors[i][0]);
		d->name = xstrdup(doctors[i][1]);
		d->phone = doctors[i][2] ? xstrdup(doctors[i][2]) : NULL;
		vd_hmap_put(&p->doctor_ix, d->id, i);
		run.members[i] = i;
	}
	pl->runs = xmalloc(sizeof *pl->runs);
	pl->runs[pl->nruns++] = run;
	pl->next_cohort = 2;
	if (f)
		assert_int_equal(vd_state_write(p, pl, f->dir, &f->dg), 0);
}

static void drop_plan(struct vd_program *p, struct vd_plan *pl)
{
	vd_plan_free(pl);
	vd_program_free(p);
}

static void test_state_round_trip(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plan pl;
	small_plan(f, &p, &pl);
	struct vd_prev pv;
	assert_int_equal(vd_state_read(f->dir, &pv, &f->dg), 0);
	fflush(f->mem);
	assert_int_equal(f->msglen, 0);
	assert_string_equal(pv.program, "prog-1");
	assert_int_equal(pv.next_cohort, 2);
	assert_int_equal(pv.nruns, 1);
	assert_string_equal(pv.runs[0].cohort, "C001");
	assert_string_equal(pv.runs[0].course, "tcm");
	assert_string_equal(pv.runs[0].site, "hospital");
	assert_string_equal(pv.runs[0].instructor, "");
	assert_int_equal(pv.runs[0].ndates, 2);
	assert_int_equal(pv.runs[0].dates[1], pl.runs[0].dates[1]);
	assert_int_equal(pv.runs[0].line, 2);
	assert_int_equal(pv.nmembers, 2);
	assert_string_equal(pv.members[0].name, "黄, \"秀兰\"");
	assert_string_equal(pv.members[0].phone, "=138");   /* state is not for Excel */
	assert_string_equal(pv.members[1].name, "two\nlines");
	assert_string_equal(pv.members[1].phone, "");
	assert_int_equal(pv.members[1].run, 0);
	assert_int_equal(vd_prev_run_of(&pv, "tcm", "C001"), 0);
	vd_prev_free(&pv);
	drop_plan(&p, &pl);
}

static void test_state_damaged(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plan pl;
	small_plan(f, &p, &pl);
	char *runs = xasprintf("%s/state/runs.csv", f->dir);
	FILE *o = fopen(runs, "a");
	fputs("C002,tcm,hospital,,\"2026-05-07\n", o);   /* cut in a quoted value */
	fclose(o);
	struct vd_prev pv;
	assert_int_equal(vd_state_read(f->dir, &pv, &f->dg), -1);
	fflush(f->mem);
	assert_msg(f, "/state/runs.csv:3: error: not a CSV file that vdsched wrote (");
	vd_prev_free(&pv);
	free(runs);
	drop_plan(&p, &pl);
}

static void test_changes_written_and_read(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plan pl;
	small_plan(NULL, &p, &pl);
	struct vd_changes ch = { 0 };
	struct vd_change v[2] = {
		{ "d1", "黄, \"秀兰\"", "=138", "tcm", VD_CH_MOVED, 1, 0, xstrdup("C001 hospital 2026-05-06..2026-05-07"),
		  xstrdup("C003 hospital 2026-05-13..2026-05-14") },
		{ "d2", "two\nlines", "", "tcm", VD_CH_ADDED, 0, 0, xstrdup(""), xstrdup("C001 x") },
	};
	ch.v = v;
	ch.n = 2;
	assert_int_equal(vd_changes_write(&p, &ch, f->dir, &f->dg), 0);
	char *path = xasprintf("%s/changes.csv", f->dir);
	struct vd_table *t = vd_table_new();
	struct vd_table_opts op = { .origin = VD_TABLE_FROM_VDSCHED };
	assert_int_equal(vd_table_read(t, path, &op, &f->dg, collect, f), 0);
	vd_table_free(t);
	assert_int_equal(f->got.n, 3);
	assert_string_equal(f->got.v[0], "1|doctor_id|doctor_name|phone|course_id|change|old|new|calendar");
	assert_string_equal(f->got.v[1], "2|d1|黄, \"秀兰\"|'=138|tcm|moved|C001 hospital 2026-05-06..2026-05-07|C003 hospital 2026-05-13..2026-05-14|ics/doctors/d1.ics");
	assert_string_equal(f->got.v[2], "3|d2|two\nlines||tcm|added||C001 x|ics/doctors/d2.ics");
	for (size_t i = 0; i < 2; i++) {
		free(v[i].old);
		free(v[i].new);
	}
	free(path);
	drop_plan(&p, &pl);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, fresh)
	const struct CMUnitTest tests[] = {
		T(test_bom_and_crlf),
		T(test_quoted_newlines),
		T(test_gbk),
		T(test_bad_byte_lines),
		T(test_header_aliases),
		T(test_from_vdsched_parse_error),
		T(test_quoting),
		T(test_write_read_back),
		T(test_state_round_trip),
		T(test_state_damaged),
		T(test_changes_written_and_read),
	};
	return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}

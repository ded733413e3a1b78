/* test_roster.c -- clinics.csv and doctors.csv as administrators send them:
 * Excel's BOM and CRLF, quoted commas and line breaks, GBK, and every
 * mistake reported at the line where its record starts, never a crash,
 * never a flood of messages, never minutes on a hostile file.
 *
 * Fixtures: tests/data/roster/ (found through $srcdir).  Generated files go
 * to a mkdtemp folder under /tmp that each test removes.
 * VDSCHED_TEST_SMALL=1 shrinks the big inputs (for valgrind). */
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
#include <time.h>
#include <iconv.h>
#include <unistd.h>
#include <cmocka.h>
#include "roster.h"
#include "xalloc.h"

struct fx {
	char dir[64];
	char *msgs;
	size_t msglen;
	FILE *mem;
	struct vd_diag dg;
	struct vd_program p;
};

static const char *srcdir(void)
{
	const char *s = getenv("srcdir");
	return s && *s ? s : ".";
}

static int small(void)
{
	const char *s = getenv("VDSCHED_TEST_SMALL");
	return s && *s && strcmp(s, "0") != 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add_township(struct vd_program *p, const char *id, const char *name, int cover)
{
	p->townships = xreallocarray(p->townships, p->ntownships + 1, sizeof *p->townships);
	struct vd_township *t = &p->townships[p->ntownships];
	t->id = xstrdup(id);
	t->name = xstrdup(name);
	t->cover = cover;
	t->line = 10 + (int)p->ntownships;
	vd_hmap_put(&p->township_ix, t->id, p->ntownships);
	p->ntownships++;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/vdroster-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->mem = open_memstream(&f->msgs, &f->msglen);
	assert_non_null(f->mem);
	vd_diag_init(&f->dg, f->mem);
	vd_program_init(&f->p);
	f->p.path = xasprintf("%s/vdsched.ini", f->dir);
	f->p.default_cover = 0;
	add_township(&f->p, "xinan", "新安镇", 1);
	add_township(&f->p, "heping", "和平乡", 2);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fclose(f->mem);
	free(f->msgs);
	vd_program_free(&f->p);
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

/* A fresh program and message buffer within one test. */
static void reset(struct fx *f, int townships)
{
	fclose(f->mem);
	free(f->msgs);
	f->msgs = NULL;
	f->msglen = 0;
	f->mem = open_memstream(&f->msgs, &f->msglen);
	assert_non_null(f->mem);
	vd_diag_init(&f->dg, f->mem);
	vd_program_free(&f->p);
	vd_program_init(&f->p);
	if (townships) {
		add_township(&f->p, "xinan", "新安镇", 1);
		add_township(&f->p, "heping", "和平乡", 2);
	}
}

static char *write_bytes(struct fx *f, const char *name, const char *data, size_t n)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	FILE *o = fopen(path, "wb");
	assert_non_null(o);
	assert_int_equal(fwrite(data, 1, n, o), n);
	fclose(o);
	return path;
}

static const char CLINICS[] =
	"clinic_id,name,township,lat,lon,min_on_duty\n"
	"xa-01,东林村卫生室,xinan,23.742,106.935,1\n"
	"xa-02,南坪村卫生室,新安镇,23.761,106.958,\n"
	"hp-01,和安村卫生室,heping,23.652,106.861,2\n"
	"c099,和平村卫生室,heping,23.6,106.8,1\n";

static const char DOCTORS[] =
	"doctor_id,name,clinic_id,phone,completed,unavailable\n"
	"t01,黄秀兰,xa-01,13800001001,,\n"
	"t02,韦建国,xa-01,,tcm dental,2026-05-11..2026-05-13 2026-06-01\n"
	"t03,陆春燕,hp-01,13800001003,tcm、dental,\n";

static void set_paths(struct fx *f, char *clinics, char *doctors)
{
	free(f->p.clinics_path);
	free(f->p.doctors_path);
	f->p.clinics_path = clinics;
	f->p.doctors_path = doctors;
}

/* Writes the two files (NULL: the defaults above) and loads them. */
static int load_n(struct fx *f, const char *clinics, size_t nc, const char *doctors, size_t nd)
{
	if (!clinics) {
		clinics = CLINICS;
		nc = sizeof CLINICS - 1;
	}
	if (!doctors) {
		doctors = DOCTORS;
		nd = sizeof DOCTORS - 1;
	}
	set_paths(f, write_bytes(f, "clinics.csv", clinics, nc),
	          write_bytes(f, "doctors.csv", doctors, nd));
	int rc = vd_roster_load(&f->p, &f->dg);
	fflush(f->mem);
	return rc;
}

static int load(struct fx *f, const char *clinics, const char *doctors)
{
	return load_n(f, clinics, clinics ? strlen(clinics) : 0, doctors,
	              doctors ? strlen(doctors) : 0);
}

static int load_fixtures(struct fx *f, const char *clinics, const char *doctors)
{
	set_paths(f, xasprintf("%s/tests/data/roster/%s", srcdir(), clinics),
	          xasprintf("%s/tests/data/roster/%s", srcdir(), doctors));
	int rc = vd_roster_load(&f->p, &f->dg);
	fflush(f->mem);
	return rc;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* Asserts that the messages contain `want` (a whole message after the
 * folder part of the path), printing them all when not. */
#define assert_msg(f, want) do { \
	if (!(f)->msgs || !strstr((f)->msgs, (want))) \
		fail_msg("message not found:\n  %s\nmessages were:\n%s", (want), \
		         (f)->msgs ? (f)->msgs : "(none)"); \
} while (0)

#define assert_no_msgs(f) do { \
	if ((f)->msglen) \
		fail_msg("unexpected messages:\n%s", (f)->msgs); \
} while (0)

static const struct vd_doctor *doctor(struct fx *f, const char *id)
{
	size_t i = vd_hmap_get(&f->p.doctor_ix, id);
	assert_true(i != VD_NONE);
	return &f->p.doctors[i];
}

static const struct vd_clinic *clinic(struct fx *f, const char *id)
{
	size_t i = vd_hmap_get(&f->p.clinic_ix, id);
	assert_true(i != VD_NONE);
	return &f->p.clinics[i];
}

/* ---- what loads ---- */

static void test_loads_values(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL, NULL), 0);
	assert_no_msgs(f);
	assert_int_equal(f->dg.errors, 0);
	assert_int_equal(f->p.nclinics, 4);
	assert_int_equal(f->p.ndoctors, 3);

	const struct vd_clinic *c = clinic(f, "xa-02");
	assert_string_equal(c->name, "南坪村卫生室");
	assert_string_equal(c->township_id, "xinan");      /* matched by name */
	assert_int_equal(c->township, 0);
	assert_int_equal(c->min_on_duty, 1);               /* empty cell */
	assert_int_equal(c->line, 3);
	assert_true(c->lat > 23.760 && c->lat < 23.762);
	assert_true(c->lon > 106.957 && c->lon < 106.959);
	assert_int_equal(clinic(f, "hp-01")->min_on_duty, 2);
	assert_int_equal(clinic(f, "hp-01")->township, 1);
	assert_int_equal(clinic(f, "xa-01")->ndoctors, 2);
	assert_int_equal(clinic(f, "hp-01")->ndoctors, 1);
	assert_int_equal(clinic(f, "xa-02")->ndoctors, 0);
	assert_int_equal(f->p.ntownships, 2);               /* none invented */

	const struct vd_doctor *d = doctor(f, "t02");
	assert_string_equal(d->name, "韦建国");
	assert_string_equal(d->clinic_id, "xa-01");
	assert_string_equal(f->p.clinics[d->clinic].id, "xa-01");
	assert_string_equal(d->phone, "");
	assert_int_equal(d->line, 3);
	assert_int_equal(d->completed.n, 2);
	assert_string_equal(d->completed.v[0], "tcm");
	assert_string_equal(d->completed.v[1], "dental");
	assert_int_equal(d->nunavail, 2);
	assert_int_equal(d->unavail[0].a, vd_date_from_ymd(2026, 5, 11));
	assert_int_equal(d->unavail[0].b, vd_date_from_ymd(2026, 5, 13));
	assert_int_equal(d->unavail[1].a, vd_date_from_ymd(2026, 6, 1));
	assert_int_equal(d->unavail[1].b, vd_date_from_ymd(2026, 6, 1));

	d = doctor(f, "t03");
	assert_string_equal(d->phone, "13800001003");
	assert_int_equal(d->completed.n, 2);                /* split on 、 */
	assert_string_equal(d->completed.v[1], "dental");
	assert_int_equal(doctor(f, "t01")->nunavail, 0);
	/* the hash maps' keys are the program's own strings */
	for (size_t j = 0; j < f->p.clinic_ix.cap; j++)
		if (f->p.clinic_ix.keys[j])
			assert_ptr_equal(f->p.clinic_ix.keys[j],
			                 f->p.clinics[f->p.clinic_ix.vals[j]].id);
	for (size_t j = 0; j < f->p.doctor_ix.cap; j++)
		if (f->p.doctor_ix.keys[j])
			assert_ptr_equal(f->p.doctor_ix.keys[j],
			                 f->p.doctors[f->p.doctor_ix.vals[j]].id);
}

/* last_trained (Chinese header 最近培训日期): the deadline is the date
 * [program] retrain_years later; empty binds nothing; one already past at
 * the start is a warning at its line. */
static void test_last_trained(void **state)
{
	struct fx *f = *state;
	f->p.start = vd_date_from_ymd(2026, 3, 2);
	f->p.retrain_years = 2;
	assert_int_equal(load(f, NULL,
	    "医生编号,姓名,卫生室编号,最近培训日期\n"
	    "t01,黄秀兰,xa-01,2024年5月11日\n"
	    "t02,韦建国,xa-01,\n"
	    "t03,陆春燕,hp-01,2024/2/29\n"), 0);
	assert_int_equal(doctor(f, "t01")->deadline, vd_date_from_ymd(2026, 5, 11));
	assert_int_equal(doctor(f, "t02")->deadline, 0);
	assert_int_equal(doctor(f, "t03")->deadline, vd_date_from_ymd(2026, 2, 28));
	assert_msg(f, "doctors.csv:4: warning: doctor t03, last trained 2024/2/29, was due for training by 2026-02-28, before the program starts");
	assert_int_equal(f->dg.errors, 0);
}

static void test_excel_bom_crlf(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_fixtures(f, "excel-clinics.csv", "excel-doctors.csv"), 0);
	assert_no_msgs(f);
	assert_int_equal(f->p.nclinics, 3);
	const struct vd_clinic *c = clinic(f, "xa-01");   /* BOM gone from the id column */
	assert_int_equal(c->line, 2);
	c = clinic(f, "xa-02");
	assert_string_equal(c->name, "南坪村卫生室, 北区");
	assert_true(c->lat > 23.760 && c->lat < 23.762); /* " 23.761 " trimmed */
	assert_int_equal(c->min_on_duty, 1);
	assert_int_equal(c->line, 5);                      /* after ",,,," and a blank line */
	c = clinic(f, "hp-01");
	assert_int_equal(c->line, 7);                      /* after a two-line note */
	assert_int_equal(c->min_on_duty, 0);
	assert_string_equal(c->name, "和安村卫生室");      /* no stray CR */

	const struct vd_doctor *d = doctor(f, "t02");
	assert_int_equal(d->completed.n, 2);
	assert_int_equal(d->nunavail, 2);
	assert_string_equal(doctor(f, "t01")->phone, "13800001001");
	assert_string_equal(doctor(f, "t03")->phone, "");
	assert_int_equal(doctor(f, "t03")->line, 4);
}

static void test_crlf_and_cr_lines(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\r\n"
		"t01,黄秀兰,xa-01\r\n"
		"\r\n"
		"t02,韦建国,xa-9\r"          /* old Mac line end */
		"t03,陆春燕,xa-01\r\n"), -1);
	assert_msg(f, "/doctors.csv:4: error: unknown clinic_id 'xa-9'; it is not in clinics.csv (did you mean 'xa-01'?)\n");
	assert_int_equal(count_lines(f->msgs), 1);
	assert_string_equal(doctor(f, "t03")->name, "陆春燕");
	assert_int_equal(doctor(f, "t03")->line, 5);
}

static void test_quoted_fields_and_lines(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id,phone,completed,unavailable\n"
		"t01,\"Li, Wei\",xa-01,,,\n"
		"t02,\"王\"\"小\"\"明\",xa-01,,,\n"
		"t03,\"黄\n秀\r\n兰\",xa-01,,,\n"      /* lines 4-6 */
		"t04,韦建国,xa-01,,,2026-02-30\n"       /* line 7 */
		"\"t05\",\"多行\n姓名\",nowhere,,,\n"  /* lines 8-9 */
		"  t06 , 陆春燕 ,xa-01,,,\n"), -1);     /* line 10 */
	assert_string_equal(doctor(f, "t01")->name, "Li, Wei");
	assert_string_equal(doctor(f, "t02")->name, "王\"小\"明");
	assert_string_equal(doctor(f, "t03")->name, "黄\n秀\n兰");
	assert_int_equal(doctor(f, "t03")->line, 4);
	assert_msg(f, "/doctors.csv:7: error: unavailable: '2026-02-30' is not a real date; check the month and the day\n");
	assert_msg(f, "/doctors.csv:8: error: unknown clinic_id 'nowhere'; it is not in clinics.csv\n");
	assert_int_equal(count_lines(f->msgs), 2);
	assert_int_equal(doctor(f, "t05")->line, 8);
	assert_string_equal(doctor(f, "t06")->name, "陆春燕");
	assert_int_equal(doctor(f, "t06")->line, 10);
}

static void test_multiline_first_field(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"\n"
		"\"t0\n1\",x,xa-01\n"        /* lines 3-4: id with a line break */
		"t02,y,xa-01\n"), -1);
	assert_msg(f, "/doctors.csv:3: error: doctor_id 't0 1' is not a valid id;");
	assert_int_equal(doctor(f, "t02")->line, 5);
}

/* ---- encodings ---- */

static void test_gbk_with_encoding(void **state)
{
	struct fx *f = *state;
	f->p.encoding = xstrdup("GBK");
	assert_int_equal(load_fixtures(f, "gbk-clinics.csv", "gbk-doctors.csv"), 0);
	assert_no_msgs(f);
	assert_string_equal(clinic(f, "xa-01")->name, "东林村卫生室");
	assert_int_equal(clinic(f, "xa-01")->township, 0);   /* 新安镇 by name */
	assert_int_equal(clinic(f, "hp-01")->township, 1);   /* 和平乡 */
	assert_string_equal(doctor(f, "t01")->name, "黄秀兰");
	assert_string_equal(doctor(f, "t02")->name, "韦建国");
	assert_int_equal(doctor(f, "t02")->completed.n, 2);  /* 、 survived */
	assert_int_equal(doctor(f, "t02")->line, 3);
}

static void test_gb18030_spelling(void **state)
{
	struct fx *f = *state;
	f->p.encoding = xstrdup("gb18030");
	assert_int_equal(load_fixtures(f, "gbk-clinics.csv", "gbk-doctors.csv"), 0);
	assert_string_equal(doctor(f, "t01")->name, "黄秀兰");
}

static void test_gbk_without_encoding(void **state)
{
	struct fx *f = *state;
	char *doctors = xasprintf("%s/tests/data/roster/gbk-doctors.csv", srcdir());
	set_paths(f, write_bytes(f, "clinics.csv", CLINICS, sizeof CLINICS - 1), doctors);
	assert_int_equal(vd_roster_load(&f->p, &f->dg), -1);
	fflush(f->mem);
	assert_msg(f, "/gbk-doctors.csv:2: error: the file is not UTF-8; it looks like GBK (Excel on Chinese Windows saves that). Save it as \"CSV UTF-8\" or set encoding = gbk in [program]\n");
	assert_int_equal(count_lines(f->msgs), 1);
	assert_int_equal(f->p.ndoctors, 0);                   /* no mojibake loaded */
}

static void test_gbk_generated_big(void **state)
{
	/* GBK spread over several 64 KiB chunks, characters cut at chunk ends */
	struct fx *f = *state;
	f->p.encoding = xstrdup("cp936");
	size_t n = 30000;
	size_t cap = 64 + n * 64, len = 0;
	char *utf = xmalloc(cap);
	len += (size_t)sprintf(utf, "doctor_id,name,clinic_id\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(utf + len, "d%zu,黄秀兰%zu号,xa-01\n", i, i % 7);
	iconv_t cd = iconv_open("GBK", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	char *out = xmalloc(cap), *ip = utf, *op = out;
	size_t il = len, ol = cap;
	assert_int_equal(iconv(cd, &ip, &il, &op, &ol), 0);
	iconv_close(cd);
	char *gbk = write_bytes(f, "doctors-gbk.csv", out, (size_t)(op - out));
	char *cl = write_bytes(f, "clinics.csv", CLINICS, sizeof CLINICS - 1);
	set_paths(f, cl, gbk);
	int rc = vd_roster_load(&f->p, &f->dg);
	fflush(f->mem);
	assert_int_equal(rc, 0);
	assert_int_equal(f->p.ndoctors, n);
	assert_string_equal(doctor(f, "d29999")->name, "黄秀兰4号");
	assert_int_equal(doctor(f, "d29999")->line, 30001);
	free(utf);
	free(out);
}

static void test_utf8_file_with_encoding_gbk(void **state)
{
	struct fx *f = *state;
	f->p.encoding = xstrdup("gbk");
	assert_int_equal(load(f, NULL, NULL), 0);
	assert_msg(f, "/clinics.csv: warning: encoding = gbk is set in [program] but this file is UTF-8; reading it as UTF-8\n");
	assert_string_equal(doctor(f, "t01")->name, "黄秀兰");
}

static void test_gbk_invalid_bytes(void **state)
{
	struct fx *f = *state;
	f->p.encoding = xstrdup("gbk");
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"t01,ab,xa-01\n"
		"t02,a\x81\x20,xa-01\n"), -1);
	assert_msg(f, "/doctors.csv:3: error: byte 0x81 is not valid gbk; check encoding = gbk in [program], or save the file as \"CSV UTF-8\"\n");
}

static void test_invalid_utf8(void **state)
{
	struct fx *f = *state;
	/* Latin-1 é: not UTF-8 and not GBK either */
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"t01,Ren\xe9,xa-01\n"), -1);
	assert_msg(f, "/doctors.csv:2: error: the file is not valid UTF-8 (byte 0xE9); save it as \"CSV UTF-8\"\n");
}

static void test_overlong_and_surrogate(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"t01,a,xa-01\n"
		"t02,\xe0\x80\xaf,xa-01\n"), -1);            /* overlong '/' */
	assert_msg(f, "/doctors.csv:3: error: the file is not valid UTF-8 (byte 0xE0)");
	assert_int_equal(f->p.ndoctors, 1);

	reset(f, 1);
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"t01,\xed\xa0\x80,xa-01\n"), -1);            /* UTF-16 surrogate */
	assert_msg(f, "/doctors.csv:2: error: the file is not valid UTF-8 (byte 0xED)");
}

static void test_utf16_and_workbook(void **state)
{
	struct fx *f = *state;
	static const char u16[] = "\xff\xfe" "c\0l\0i\0n\0i\0c\0_\0i\0d\0\n\0";
	assert_int_equal(load_n(f, u16, sizeof u16 - 1, NULL, 0), -1);
	assert_msg(f, "/clinics.csv: error: the file is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\"\n");
	/* doctors.csv is still checked, without a cascade of unknown clinics */
	assert_int_equal(count_lines(f->msgs), 1);
	assert_int_equal(f->p.ndoctors, 3);

	reset(f, 1);
	assert_int_equal(load_n(f, NULL, 0, "PK\3\4\x14\0\0\0", 8), -1);
	/* read as the workbook it starts like; a zip cut short */
	assert_msg(f, "/doctors.csv: error: the workbook cannot be opened: it is cut short or damaged");
}

static void test_nul_byte(void **state)
{
	struct fx *f = *state;
	static const char d[] = "doctor_id,name,clinic_id\nt01,a,xa-01\nt02,b\0c,xa-01\n";
	assert_int_equal(load_n(f, NULL, 0, d, sizeof d - 1), -1);
	assert_msg(f, "/doctors.csv:3: error: the file contains a NUL byte, so it is not a text CSV file");
}

/* ---- structure ---- */

static void test_missing_column(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f,
		"Clinic_ID,name,lat,lon,备注\n"
		"xa-01,东林村卫生室,23.7,106.9,\n", NULL), -1);
	assert_msg(f, "/clinics.csv:1: error: missing column 'township'; the header has: Clinic_ID, name, lat, lon, 备注. The first line must name the columns: clinic_id,name,township,lat,lon,min_on_duty (or in Chinese: 卫生室编号,卫生室名称,乡镇,纬度,经度,最少在岗; see vdsched.ini(5))\n");
	/* doctors are still checked, but not against a clinic list we could not read */
	assert_int_equal(count_lines(f->msgs), 1);
}

static void test_missing_columns_doctors(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL, "\n\nid,name\nt01,x\n"), -1);
	assert_msg(f, "/doctors.csv:3: error: missing columns 'doctor_id', 'clinic_id'; the header has: id, name.");
}

static void test_empty_and_header_only(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, "", "doctor_id,name,clinic_id\n\n  \n"), -1);
	assert_msg(f, "/clinics.csv: error: the file is empty; it needs a header line (clinic_id,name,township,lat,lon,min_on_duty) and one line per clinic\n");
	assert_msg(f, "/doctors.csv: error: no doctors; add one line per doctor below the header\n");
	assert_int_equal(count_lines(f->msgs), 2);
}

static void test_cannot_open(void **state)
{
	struct fx *f = *state;
	set_paths(f, xasprintf("%s/nope.csv", f->dir),
	          write_bytes(f, "doctors.csv", DOCTORS, sizeof DOCTORS - 1));
	assert_int_equal(vd_roster_load(&f->p, &f->dg), -1);
	fflush(f->mem);
	assert_msg(f, "/nope.csv: error: cannot open: No such file or directory\n");
	assert_int_equal(count_lines(f->msgs), 1);
	assert_int_equal(f->p.ndoctors, 0);
}

static void test_stray_and_unclosed_quotes(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"t01,Li \"Jr\",xa-01\n"
		"t02,\"Wang\"x,xa-01\n"
		"t03,ok,xa-01\n"
		"t04,\"never closed,xa-01\n"
		"t05,x,xa-01\n"), -1);
	assert_msg(f, "/doctors.csv:2: error: stray quote (\") in column 'name' after 'Li '; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\"\n");
	assert_msg(f, "/doctors.csv:3: error: stray quote (\") in column 'name' after 'Wang\"';");
	assert_msg(f, "/doctors.csv:5: error: a quoted value starting on this line has no closing quote (\"); add it\n");
	assert_int_equal(count_lines(f->msgs), 3);
	assert_int_equal(doctor(f, "t03")->line, 4);

	/* the only row is unclosed: one message, not also "no doctors" */
	reset(f, 1);
	assert_int_equal(load(f, NULL, "doctor_id,name,clinic_id\nt01,\"a\n"), -1);
	assert_msg(f, "/doctors.csv:2: error: a quoted value starting on this line has no closing quote");
	assert_int_equal(count_lines(f->msgs), 1);
}

static void test_extra_and_short_rows(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"name,clinic_id,doctor_id,note\n"
		"黄秀兰,xa-01,t01,x,y,z\n"
		"韦建国,xa-01\n"), -1);
	assert_string_equal(doctor(f, "t01")->name, "黄秀兰");
	assert_msg(f, "/doctors.csv:3: error: doctor_id is empty; every doctor needs an id\n");
	assert_int_equal(count_lines(f->msgs), 1);
}

/* ---- rosters as a Chinese county office makes them ---- */

/* Excel on Chinese Windows: BOM, CRLF, Chinese headers in its own order
 * (padded with U+3000, an extra 备注), Excel's dates, 、 and ， lists. */
static const char ZH_CLINICS[] =
	"\xEF\xBB\xBF村卫生室编号,村卫生室名称,\u3000所属乡镇\u3000, 经度 ,纬度,最少在岗人数,备注\r\n"
	"xa-01,东林村卫生室,新安镇,106.935,23.742,2,\r\n"
	"hp-01,和安村卫生室,和平乡,106.861,23.652,,村委会旁\r\n";
static const char ZH_DOCTORS[] =
	"\xEF\xBB\xBF村医编号,姓名,卫生室编号,联系电话,已完成课程,不可参加日期,备注\r\n"
	"t01,黄秀兰,xa-01,13800001001,\"tcm，dental\",2026/5/11～2026/5/13、2026年6月1日,\r\n"
	"t02,韦建国,hp-01,,tcm、pediatrics,\"2026-5-20至2026-5-22，2026.6.3\",请假\r\n";

static void check_zh(struct fx *f)
{
	assert_int_equal(f->p.nclinics, 2);
	const struct vd_clinic *c = clinic(f, "xa-01");
	assert_string_equal(c->name, "东林村卫生室");
	assert_int_equal(c->township, 0);
	assert_int_equal(c->min_on_duty, 2);
	assert_true(c->lat > 23.741 && c->lat < 23.743);    /* 纬度, not 经度 */
	assert_true(c->lon > 106.934 && c->lon < 106.936);
	assert_int_equal(clinic(f, "hp-01")->township, 1);
	const struct vd_doctor *d = doctor(f, "t01");
	assert_string_equal(d->name, "黄秀兰");
	assert_string_equal(d->phone, "13800001001");
	assert_int_equal(d->completed.n, 2);
	assert_int_equal(d->nunavail, 2);
	assert_int_equal(d->unavail[0].a, vd_date_from_ymd(2026, 5, 11));
	assert_int_equal(d->unavail[0].b, vd_date_from_ymd(2026, 5, 13));
	assert_int_equal(d->unavail[1].a, vd_date_from_ymd(2026, 6, 1));
	d = doctor(f, "t02");
	assert_int_equal(d->clinic, 1);
	assert_int_equal(d->completed.n, 2);
	assert_string_equal(d->completed.v[1], "pediatrics");
	assert_int_equal(d->nunavail, 2);
	assert_int_equal(d->unavail[0].b, vd_date_from_ymd(2026, 5, 22));
	assert_int_equal(d->unavail[1].a, vd_date_from_ymd(2026, 6, 3));
	assert_int_equal(d->line, 3);
}

static void test_chinese_headers(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, ZH_CLINICS, ZH_DOCTORS), 0);
	assert_no_msgs(f);
	check_zh(f);
}

static char *to_gbk(const char *utf, size_t *n)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t il = strlen(utf), cap = il * 2 + 16, ol = cap;
	char *out = xmalloc(cap), *ip = (char *)utf, *op = out;
	assert_int_equal(iconv(cd, &ip, &il, &op, &ol), 0);
	iconv_close(cd);
	*n = (size_t)(op - out);
	return out;
}

/* The same rosters saved as "CSV (逗号分隔)": GBK, no BOM. */
static void test_chinese_headers_gbk(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = { "gbk", "GB18030", "gb2312", "CP936" };
	for (size_t i = 0; i < 4; i++) {
		reset(f, 1);
		f->p.encoding = xstrdup(names[i]);
		size_t nc, nd;
		char *c = to_gbk(ZH_CLINICS + 3, &nc), *d = to_gbk(ZH_DOCTORS + 3, &nd);
		assert_int_equal(load_n(f, c, nc, d, nd), 0);
		assert_no_msgs(f);
		check_zh(f);
		free(c);
		free(d);
	}
}

static void test_header_aliases_twice(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL, "doctor_id,姓名,医生编号,clinic_id\nt01,a,t01,xa-01\n"), -1);
	assert_msg(f, "/doctors.csv:1: error: column 'doctor_id' appears twice in the header (columns 1 and 3); keep one\n");
}

/* A header that is no column gets the project's one "did you mean". */
static void test_header_near_miss(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id,phon,已完成,不可参加日朝,备注,note\n"
		"t01,黄秀兰,xa-01,13800001001,,,,\n"), 0);
	assert_msg(f, "/doctors.csv:1: warning: column 'phon' is not one vdsched reads, so it is ignored; did you mean 'phone'?\n");
	assert_msg(f, "/doctors.csv:1: warning: column '不可参加日朝' is not one vdsched reads, so it is ignored; did you mean '不可参加日期'?\n");
	assert_int_equal(count_lines(f->msgs), 2);   /* 备注 and note are just other columns */
	assert_string_equal(doctor(f, "t01")->phone, "");
	reset(f, 1);
	assert_int_equal(load(f, NULL, "村医编码,姓名,村卫生室编号\nt01,a,xa-01\n"), -1);
	assert_msg(f, "/doctors.csv:1: warning: column '村医编码' is not one vdsched reads, so it is ignored; did you mean '村医编号'?\n");
	assert_msg(f, "/doctors.csv:1: error: missing column 'doctor_id'; the header has: 村医编码, 姓名, 村卫生室编号.");
}

/* Long digit strings in a General column: Excel shows and saves 1.39E+10. */
static void test_excel_shortened_numbers(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id,phone\n"
		"t01,黄秀兰,xa-01,1.39E+10\n"
		"t02,韦建国,xa-01,1.38001E+10\n"
		"t03,陆春燕,xa-01,13800001003\n"), 0);
	assert_msg(f, "/doctors.csv:2: warning: phone '1.39E+10' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it\n");
	assert_msg(f, "/doctors.csv:3: warning: phone '1.38001E+10' looks like a number Excel shortened;");
	assert_int_equal(count_lines(f->msgs), 2);
	reset(f, 1);
	assert_int_equal(load(f,
		"clinic_id,name,township,lat,lon\n"
		"4.50821E+11,东林村卫生室,xinan,23.7,106.9\n"
		"xa-01,东林村卫生室,xinan,23.7,106.9\n",
		"doctor_id,name,clinic_id\n"
		"4.5E+11,a,xa-01\n"
		"t02,a,4.50821E+11\n"), -1);
	assert_msg(f, "/clinics.csv:2: error: clinic_id '4.50821E+11' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it\n");
	assert_msg(f, "/doctors.csv:2: error: doctor_id '4.5E+11' looks like a number Excel shortened;");
	assert_msg(f, "/doctors.csv:3: error: clinic_id '4.50821E+11' looks like a number Excel shortened;");
	assert_int_equal(count_lines(f->msgs), 3);   /* no "unknown clinic_id" after it */
}

/* ---- values ---- */

static void test_duplicates(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f,
		"clinic_id,name,township,lat,lon\n"
		"xa-01,a,xinan,23,106\n"
		"xa-01,b,xinan,23,106\n",
		"doctor_id,name,clinic_id\n"
		"d001,a,xa-01\n"
		"d002,b,xa-01\n"
		"d001,c,xa-01\n"), -1);
	assert_msg(f, "/clinics.csv:3: error: duplicate clinic_id 'xa-01' (first on line 2); each clinic needs a unique id\n");
	assert_msg(f, "/doctors.csv:4: error: duplicate doctor_id 'd001' (first on line 2); each doctor needs a unique id\n");
	assert_int_equal(count_lines(f->msgs), 2);
	assert_int_equal(f->p.nclinics, 1);
	assert_string_equal(clinic(f, "xa-01")->name, "a");
	assert_int_equal(f->p.ndoctors, 2);
	assert_string_equal(doctor(f, "d001")->name, "a");
	assert_int_equal(clinic(f, "xa-01")->ndoctors, 2);
}

static void test_bad_ids(void **state)
{
	struct fx *f = *state;
	char id64[65], id65[66];
	memset(id64, 'a', 64);
	id64[64] = '\0';
	memset(id65, 'b', 65);
	id65[65] = '\0';
	char *doctors = xasprintf(
		"doctor_id,name,clinic_id\n"
		"../x,a,xa-01\n"      /* 2 */
		".hidden,a,xa-01\n"   /* 3 */
		"a/b,a,xa-01\n"       /* 4 */
		",a,xa-01\n"          /* 5 */
		"%s,a,xa-01\n"        /* 6 */
		"张三,a,xa-01\n"      /* 7 */
		"%s,a,xa-01\n"        /* 8: 64 characters is fine */
		"a-b_c.D9,a,xa-01\n", /* 9 */
		id65, id64);
	assert_int_equal(load(f, NULL, doctors), -1);
	free(doctors);
	static const char tail[] = "' is not a valid id; use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit (ids become file names)\n";
	const char *bad[] = { "2: error: doctor_id '../x", "3: error: doctor_id '.hidden",
	                      "4: error: doctor_id 'a/b" };
	for (size_t i = 0; i < 3; i++) {
		char *want = xasprintf("/doctors.csv:%s%s", bad[i], tail);
		assert_msg(f, want);
		free(want);
	}
	assert_msg(f, "/doctors.csv:5: error: doctor_id is empty; every doctor needs an id\n");
	/* a Chinese id: one message saying what to write instead */
	assert_msg(f, "/doctors.csv:7: error: doctor_id '张三' must be letters, digits, '_', '.' or '-' (it becomes a file name); use an id such as d001 and put the Chinese name in the name column\n");
	char *want = xasprintf("/doctors.csv:6: error: doctor_id '%.48s...' is not a valid id", id65);
	assert_msg(f, want);
	free(want);
	assert_int_equal(count_lines(f->msgs), 6);
	assert_int_equal(f->p.ndoctors, 2);
	assert_non_null(doctor(f, id64));
	assert_non_null(doctor(f, "a-b_c.D9"));
}

static void test_bad_dates_and_courses(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id,completed,unavailable\n"
		"t01,a,xa-01,,2026-02-30\n"
		"t02,a,xa-01,,2026-05-13..2026-05-11\n"
		"t03,a,xa-01,,5/1/2026; 2026-05-01..\n"
		"t04,a,xa-01,\"tcm, ../x\",\"2024-02-29，2026-05-01..2026-05-03\"\n"), -1);
	assert_msg(f, "/doctors.csv:2: error: unavailable: '2026-02-30' is not a real date; check the month and the day\n");
	assert_msg(f, "/doctors.csv:3: error: unavailable: range '2026-05-13..2026-05-11' ends before it starts; write the earlier date first\n");
	assert_msg(f, "/doctors.csv:4: error: unavailable: '5/1/2026' is not a date; write a date as 2026-05-11, 2026-5-11, 2026/5/11, 2026.5.11 or 2026年5月11日, a range as A..B, A~B, A～B, A至B, A到B or A-B, e.g. 2026/5/11～2026/5/13 or 2026/5/11-2026/5/13, separated by spaces, commas or 、\n");
	assert_msg(f, "/doctors.csv:4: error: unavailable: '2026-05-01..' is not a date;");
	assert_msg(f, "/doctors.csv:5: error: completed: '../x' is not a course id; list course ids such as tcm or dental, separated by spaces or commas\n");
	assert_int_equal(count_lines(f->msgs), 5);
	const struct vd_doctor *d = doctor(f, "t04");
	assert_int_equal(d->completed.n, 1);
	assert_int_equal(d->nunavail, 2);                   /* split on ， too */
	assert_int_equal(d->unavail[0].a, vd_date_from_ymd(2024, 2, 29));
}

static void test_unknown_clinic(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, NULL,
		"doctor_id,name,clinic_id\n"
		"t01,a,xa-01\n"
		"t02,a,xa-01\n"
		"t03,a,c999\n"
		"t04,a,zzzzzzzz\n"
		"t05,a,\n"), -1);
	assert_msg(f, "/doctors.csv:4: error: unknown clinic_id 'c999'; it is not in clinics.csv (did you mean 'c099'?)\n");
	assert_msg(f, "/doctors.csv:5: error: unknown clinic_id 'zzzzzzzz'; it is not in clinics.csv\n");
	assert_msg(f, "/doctors.csv:6: error: clinic_id is empty; give the id of the doctor's clinic from clinics.csv\n");
	assert_int_equal(count_lines(f->msgs), 3);
	assert_int_equal(doctor(f, "t03")->clinic, VD_NONE);
	assert_int_equal(clinic(f, "xa-01")->ndoctors, 2);
}

static void test_unknown_township_declared(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f,
		"clinic_id,name,township,lat,lon\n"
		"xa-01,a,XinAn,23,106\n"             /* id, any case */
		"xa-02,a,新按镇,23,106\n"            /* typo in the name */
		"xa-03,a,田州镇,23,106\n"
		"xa-04,a,,23,106\n", "doctor_id,name,clinic_id\nt01,a,xa-01\n"), -1);
	assert_int_equal(clinic(f, "xa-01")->township, 0);
	assert_msg(f, "/clinics.csv:3: error: township '新按镇' is not in the program file; use the id or name of a [township ...] section (did you mean '新安镇'?)\n");
	assert_msg(f, "/clinics.csv:4: error: township '田州镇' is not in the program file; use the id or name of a [township ...] section, or add [township ID] with name = 田州镇\n");
	assert_msg(f, "/clinics.csv:5: error: township is empty; give the clinic's township (its id or name)\n");
	assert_int_equal(count_lines(f->msgs), 3);
	assert_int_equal(f->p.ntownships, 2);
}

static void test_implicit_townships(void **state)
{
	struct fx *f = *state;
	reset(f, 0);
	f->p.default_cover = 3;
	assert_int_equal(load(f,
		"clinic_id,name,township,lat,lon\n"
		"ty-01,a,田州镇,23,106\n"
		"ty-02,b,那坡镇,23,106\n"
		"ty-03,c,田州镇,23,106\n",
		"doctor_id,name,clinic_id\nt01,a,ty-02\n"), 0);
	assert_no_msgs(f);
	assert_int_equal(f->p.ntownships, 2);
	assert_string_equal(f->p.townships[0].id, "田州镇");
	assert_string_equal(f->p.townships[0].name, "田州镇");
	assert_int_equal(f->p.townships[0].cover, 3);
	assert_int_equal(f->p.townships[0].line, 0);
	assert_int_equal(clinic(f, "ty-01")->township, 0);
	assert_int_equal(clinic(f, "ty-03")->township, 0);
	assert_int_equal(clinic(f, "ty-02")->township, 1);
	assert_string_equal(clinic(f, "ty-02")->township_id, "那坡镇");
	assert_int_equal(clinic(f, "ty-02")->ndoctors, 1);
}

static void test_coordinates_and_min_on_duty(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f,
		"clinic_id,name,township,lat,lon,min_on_duty\n"
		"xa-01,a,xinan,23.7,106.9,1\n"
		"xa-02,a,xinan,23.7,106.9,-1\n"
		"xa-03,a,xinan,23.7,106.9,1.5\n"
		"xa-04,a,xinan,,106.9,\n"
		"xa-05,a,xinan,23°44',106.9,\n"
		"xa-06,a,xinan,nan,inf,\n"
		"xa-07,a,xinan,123.5,-180.5,\n"
		"xa-08,a,xinan,-90,180,0\n", "doctor_id,name,clinic_id\nt01,a,xa-01\n"), -1);
	assert_msg(f, "/clinics.csv:3: error: min_on_duty '-1' is not a whole number from 0 to 10000; use e.g. 1 (empty means 1)\n");
	assert_msg(f, "/clinics.csv:4: error: min_on_duty '1.5' is not a whole number");
	assert_msg(f, "/clinics.csv:5: error: lat is empty; give the clinic's latitude in decimal degrees, e.g. 23.736\n");
	assert_msg(f, "/clinics.csv:6: error: lat '23°44'' is not a number; use decimal degrees like 23.736\n");
	assert_msg(f, "/clinics.csv:7: error: lat 'nan' is not a number;");
	assert_msg(f, "/clinics.csv:7: error: lon 'inf' is not a number;");
	assert_msg(f, "/clinics.csv:8: error: lat '123.5' is out of range; use decimal degrees between -90 and 90\n");
	assert_msg(f, "/clinics.csv:8: error: lon '-180.5' is out of range; use decimal degrees between -180 and 180\n");
	assert_int_equal(count_lines(f->msgs), 8);
	/* bad rows still register their clinic: no cascade in doctors.csv */
	assert_int_equal(f->p.nclinics, 8);
	assert_int_equal(clinic(f, "xa-08")->min_on_duty, 0);
}

/* ---- limits ---- */

static void test_million_duplicates_capped(void **state)
{
	struct fx *f = *state;
	size_t n = small() ? 100000 : 1000000;
	char *path = xasprintf("%s/doctors.csv", f->dir);
	FILE *o = fopen(path, "w");
	assert_non_null(o);
	fputs("doctor_id,name,clinic_id\n", o);
	for (size_t i = 0; i < n; i++)
		fputs("d001,黄秀兰,xa-01\n", o);
	fclose(o);
	set_paths(f, write_bytes(f, "clinics.csv", CLINICS, sizeof CLINICS - 1), path);
	double t0 = now();
	assert_int_equal(vd_roster_load(&f->p, &f->dg), -1);
	double dt = now() - t0;
	fflush(f->mem);
	assert_int_equal(count_lines(f->msgs), 51);
	assert_msg(f, "/doctors.csv:3: error: duplicate doctor_id 'd001' (first on line 2)");
	assert_msg(f, "/doctors.csv:52: error: duplicate doctor_id 'd001' (first on line 2)");
	assert_msg(f, "/doctors.csv: error: too many errors; stopping after 50\n");
	assert_true(dt < 5.0);    /* it stops reading: no need to parse 1,000,000 rows */
}

static void test_huge_line(void **state)
{
	struct fx *f = *state;
	size_t big = small() ? 20u << 20 : 200u << 20;
	char *path = xasprintf("%s/doctors.csv", f->dir);
	FILE *o = fopen(path, "w");
	assert_non_null(o);
	fputs("doctor_id,name,clinic_id\nt01,a,xa-01\nt02,", o);
	char *blk = xmalloc(1 << 20);
	memset(blk, 'x', 1 << 20);
	for (size_t i = 0; i < big >> 20; i++)
		assert_int_equal(fwrite(blk, 1, 1 << 20, o), 1 << 20);
	fputs(",xa-01\nt03,\"", o);                           /* a quoted one, with quotes inside */
	memset(blk, '"', 1 << 20);
	for (size_t i = 0; i < (big >> 20) / 10; i++)
		assert_int_equal(fwrite(blk, 1, 1 << 20, o), 1 << 20);
	fputs("\n\",xa-01\nt04,陆春燕,xa-01\n", o);
	fclose(o);
	free(blk);
	set_paths(f, write_bytes(f, "clinics.csv", CLINICS, sizeof CLINICS - 1), path);
	double t0 = now();
	assert_int_equal(vd_roster_load(&f->p, &f->dg), -1);
	double dt = now() - t0;
	fflush(f->mem);
	assert_msg(f, "/doctors.csv:3: error: the value in column 'name' is longer than 4096 bytes; the line was skipped (is a closing quote \" missing?)\n");
	assert_msg(f, "/doctors.csv:4: error: the value in column 'name' is longer than 4096 bytes;");
	assert_int_equal(count_lines(f->msgs), 2);
	assert_int_equal(f->p.ndoctors, 2);
	assert_string_equal(doctor(f, "t04")->name, "陆春燕");
	assert_int_equal(doctor(f, "t04")->line, 6);
	print_message("%zu MB line skipped in %.2f s\n", big >> 20, dt);
	assert_true(dt < 30.0);
	unlink(path);
}

static void test_long_record_of_short_fields(void **state)
{
	struct fx *f = *state;
	size_t n = 100000;
	char *d = xmalloc(n + 128);
	strcpy(d, "doctor_id,name,clinic_id\nt01,a,xa-01");
	size_t len = strlen(d);
	memset(d + len, ',', n);
	strcpy(d + len + n, "\nt02,b,xa-01\n");
	assert_int_equal(load(f, NULL, d), -1);
	free(d);
	assert_msg(f, "/doctors.csv:2: error: this line is longer than 65536 bytes; it was skipped (is a closing quote \" missing?)\n");
	assert_int_equal(count_lines(f->msgs), 1);
	assert_int_equal(doctor(f, "t02")->line, 3);
	assert_int_equal(f->p.ndoctors, 1);
}

static void test_unclosed_quote_swallows_file(void **state)
{
	struct fx *f = *state;
	size_t n = 20000;
	char *d = xmalloc(n * 16 + 128);
	strcpy(d, "doctor_id,name,clinic_id\nt01,\"oops,xa-01\n");
	size_t len = strlen(d);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(d + len, "t%zu,x,xa-01\n", i + 2);
	assert_int_equal(load(f, NULL, d), -1);
	free(d);
	assert_msg(f, "/doctors.csv:2: error: the value in column 'name' is longer than 4096 bytes; the line was skipped (is a closing quote \" missing?)\n");
	assert_int_equal(count_lines(f->msgs), 1);
}

static void test_many_row_errors_stop_file_not_program(void **state)
{
	/* 60 bad clinics: 50 messages and a stop line; doctors.csv still read,
	 * with its own budget but without unknown-clinic cascades */
	struct fx *f = *state;
	size_t cap = 8192, len = 0;
	char *c = xmalloc(cap);
	len += (size_t)sprintf(c, "clinic_id,name,township,lat,lon\n");
	for (int i = 0; i < 60; i++)
		len += (size_t)sprintf(c + len, "c%d,a,xinan,99,106\n", i);
	assert_int_equal(load(f, c, "doctor_id,name,clinic_id\nt01,a,c59\nt01,b,c1\n"), -1);
	free(c);
	assert_msg(f, "/clinics.csv: error: too many errors; stopping after 50\n");
	assert_msg(f, "/doctors.csv:3: error: duplicate doctor_id 't01' (first on line 2)");
	assert_int_equal(count_lines(f->msgs), 52);
}

static void test_big_roster_fast(void **state)
{
	/* 1.1 million doctors at 550,000 clinics */
	struct fx *f = *state;
	size_t nd = small() ? 110000 : 1100000, nc = nd / 2;
	char *cp = xasprintf("%s/clinics.csv", f->dir), *dp = xasprintf("%s/doctors.csv", f->dir);
	FILE *o = fopen(cp, "w");
	assert_non_null(o);
	fputs("clinic_id,name,township,lat,lon,min_on_duty\n", o);
	for (size_t i = 0; i < nc; i++)
		fprintf(o, "c%06zu,第%zu村卫生室,%s,23.%04zu,106.%04zu,1\n", i, i,
		        i % 2 ? "xinan" : "和平乡", i % 9999, i % 9973);
	fclose(o);
	o = fopen(dp, "w");
	assert_non_null(o);
	fputs("doctor_id,name,clinic_id,phone,completed,unavailable\n", o);
	for (size_t i = 0; i < nd; i++)
		fprintf(o, "d%07zu,村医%zu,c%06zu,138%08zu,%s,%s\n", i, i, i % nc, i,
		        i % 3 ? "" : "tcm", i % 5 ? "" : "2026-05-11..2026-05-13");
	fclose(o);
	set_paths(f, cp, dp);
	double t0 = now(), c0 = (double)clock() / CLOCKS_PER_SEC;
	int rc = vd_roster_load(&f->p, &f->dg);
	double dt = now() - t0, cpu = (double)clock() / CLOCKS_PER_SEC - c0;
	fflush(f->mem);
	assert_no_msgs(f);
	assert_int_equal(rc, 0);
	assert_int_equal(f->p.ndoctors, nd);
	assert_int_equal(f->p.nclinics, nc);
	assert_int_equal(clinic(f, "c000007")->ndoctors, 2);
	assert_string_equal(doctor(f, "d0000009")->name, "村医9");
	print_message("loaded %zu clinics and %zu doctors in %.2f s (%.2f s CPU)\n", nc, nd, dt, cpu);
	assert_true(dt < 60.0);   /* catches quadratic work; sanitizers run this too */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_loads_values),
		T(test_last_trained),
		T(test_excel_bom_crlf),
		T(test_crlf_and_cr_lines),
		T(test_quoted_fields_and_lines),
		T(test_multiline_first_field),
		T(test_gbk_with_encoding),
		T(test_gb18030_spelling),
		T(test_gbk_without_encoding),
		T(test_gbk_generated_big),
		T(test_utf8_file_with_encoding_gbk),
		T(test_gbk_invalid_bytes),
		T(test_invalid_utf8),
		T(test_overlong_and_surrogate),
		T(test_utf16_and_workbook),
		T(test_nul_byte),
		T(test_chinese_headers),
		T(test_chinese_headers_gbk),
		T(test_header_aliases_twice),
		T(test_header_near_miss),
		T(test_excel_shortened_numbers),
		T(test_missing_column),
		T(test_missing_columns_doctors),
		T(test_empty_and_header_only),
		T(test_cannot_open),
		T(test_stray_and_unclosed_quotes),
		T(test_extra_and_short_rows),
		T(test_duplicates),
		T(test_bad_ids),
		T(test_bad_dates_and_courses),
		T(test_unknown_clinic),
		T(test_unknown_township_declared),
		T(test_implicit_townships),
		T(test_coordinates_and_min_on_duty),
		T(test_million_duplicates_capped),
		T(test_huge_line),
		T(test_long_record_of_short_fields),
		T(test_unclosed_quote_swallows_file),
		T(test_many_row_errors_stop_file_not_program),
		T(test_big_roster_fast),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

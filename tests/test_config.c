/* test_config.c -- the program file: values, defaults, and every mistake
 * reported at its line with the fix, never a crash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "config.h"
#include "ini.h"
#include "xalloc.h"

struct fx {
	char dir[64];
	char *msgs;
	size_t msglen;
	FILE *mem;
	struct vd_diag dg;
	struct vd_program p;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/vdcfg-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->mem = open_memstream(&f->msgs, &f->msglen);
	vd_diag_init(&f->dg, f->mem);
	vd_program_init(&f->p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fclose(f->mem);
	free(f->msgs);
	vd_program_free(&f->p);
	char *cmd = xasprintf("rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

static char *write_file(struct fx *f, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	FILE *o = fopen(path, "w");
	assert_non_null(o);
	fputs(text, o);
	fclose(o);
	return path;
}

/* Loads text as the program; returns the error count; messages in f->msgs */
static unsigned load(struct fx *f, const char *text)
{
	free(write_file(f, "clinics.csv", "clinic_id,name,township,lat,lon\n"));
	free(write_file(f, "doctors.csv", "doctor_id,name,clinic_id\n"));
	char *path = write_file(f, "vdsched.ini", text);
	struct vd_ini *ini = vd_ini_open(path, &f->dg);
	if (ini) {
		vd_config_read(&f->p, ini, &f->dg);
		vd_ini_close(ini);
	}
	fflush(f->mem);
	free(path);
	return f->dg.errors;
}

/* A fresh program and message buffer within one test. */
static void reset_msgs(struct fx *f)
{
	fclose(f->mem);
	free(f->msgs);
	f->msgs = NULL;
	f->msglen = 0;
	f->mem = open_memstream(&f->msgs, &f->msglen);
	vd_diag_init(&f->dg, f->mem);
	vd_program_free(&f->p);
	vd_program_init(&f->p);
}

#define GOOD_HEAD_PROGRAM_ONLY \
	"[program]\n" \
	"id = t-2026\n" \
	"name = 测试培训\n" \
	"start = 2026-03-02\n" \
	"end = 2026-04-30\n" \
	"clinics = clinics.csv\n" \
	"doctors = doctors.csv\n"
#define GOOD_TAIL \
	"[plugins]\nload = tcm\n[course tcm]\nsites = hq\n" \
	"[site hq]\nlat = 23.7\nlon = 106.9\nseats = 40\n"

#define GOOD_HEAD \
	"[program]\n" \
	"id = t-2026\n" \
	"name = 测试培训\n" \
	"start = 2026-03-02\n" \
	"end = 2026-04-30\n" \
	"clinics = clinics.csv\n" \
	"doctors = doctors.csv\n" \
	"[plugins]\n" \
	"load = tcm\n" \
	"[course tcm]\n" \
	"sites = hq\n" \
	"[site hq]\n" \
	"name = 县医院\n" \
	"lat = 23.7\n" \
	"lon = 106.9\n" \
	"seats = 40\n" \
	"features = classroom skills_lab\n"

static void test_good(void **state)
{
	struct fx *f = *state;
	free(write_file(f, "hol.ini", "; test\n[holidays]\noff = 2026-04-04..2026-04-06 2026-05-01\nworkdays = 2026-05-09\n"));
	unsigned e = load(f, GOOD_HEAD
		"holidays = hol.ini\n"   /* a [site] key? no: see next line */
		);
	/* holidays belongs to [program]; in [site hq] it is a typo */
	assert_int_equal(e, 1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:18: error: holidays 'hol.ini' must be a whole number from 0 to 100000 if it is a resource count"));
	assert_non_null(strstr(f->msgs, "otherwise 'holidays' is not a [site] key"));
}

static void test_values(void **state)
{
	struct fx *f = *state;
	free(write_file(f, "hol.ini", "[holidays]\noff = 2026-04-04..2026-04-06\nworkdays = 2026-05-09\n"));
	unsigned e = load(f,
		"[program]\nid = t-2026\nname = 测试\nstart = 2026-03-02\nend = 2026-04-30\n"
		"clinics = clinics.csv\ndoctors = doctors.csv\nholidays = hol.ini\n"
		"cohort_max = 20\nteaching_days = mon-sat\n"
		"[plugins]\nload = tcm\n[course tcm]\nsites = hq\n"
		"[site hq]\nlat = 23.7\nlon = 106.9\nseats = 40\ndental_chairs = 4\n"
		"[townships]\ncover = 2\n[township pohong]\nname = 坡洪镇\n"
		"[township napo]\ncover = 0\n"
		"[output]\nalarms = -1d -1h\n");
	assert_int_equal(e, 0);
	assert_string_equal(f->p.id, "t-2026");
	assert_string_equal(f->p.timezone, "Asia/Shanghai");
	assert_int_equal(f->p.cohort_max, 20);
	assert_int_equal(f->p.cohort_min, 8);
	assert_int_equal(f->p.teaching_days, 0x3f);
	assert_int_equal(f->p.nholidays, 3);
	assert_int_equal(f->p.nworkdays, 1);
	assert_int_equal(f->p.nalarms, 2);
	assert_int_equal(f->p.alarms[0], 1440);
	assert_int_equal(f->p.alarms[1], 60);
	assert_int_equal(f->p.ntownships, 2);
	assert_string_equal(f->p.townships[0].name, "坡洪镇");
	assert_int_equal(f->p.townships[0].cover, 2);  /* the [townships] default */
	assert_int_equal(f->p.townships[1].cover, 0);
	assert_int_equal(f->p.sites[0].nres, 1);
	assert_int_equal(f->p.sites[0].res[0].count, 4);
	assert_int_equal(f->p.ncourses, 1);
	assert_int_equal(f->p.courses[0].nsites, 1);
	/* relative paths are relative to the program file */
	assert_non_null(strstr(f->p.clinics_path, f->dir));
}

static void test_unknown_key_suggests(void **state)
{
	struct fx *f = *state;
	load(f, GOOD_HEAD "[output]\nalrams = -1h\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:19: error: unknown key 'alrams' in [output]; did you mean 'alarms'?"));
}

static void test_unknown_section(void **state)
{
	struct fx *f = *state;
	load(f, GOOD_HEAD "[stie x]\nseats = 3\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:18: error: unknown section [stie x]; did you mean [site x]?"));
}

static void test_bad_date_line(void **state)
{
	struct fx *f = *state;
	unsigned e = load(f, "[program]\nid = x\nname = y\nstart = 2026-02-30\nend = 2026-01-01\n"
		"clinics = c.csv\ndoctors = d.csv\n[plugins]\nload = tcm\n[course tcm]\nsites = hq\n"
		"[site hq]\nlat=1\nlon=1\nseats=3\n");
	assert_true(e >= 1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:4: error: start '2026-02-30' is not a valid date: there is no such day"));
}

static void test_end_before_start(void **state)
{
	struct fx *f = *state;
	load(f, "[program]\nid = x\nname = y\nstart = 2026-05-01\nend = 2026-04-01\n"
		"clinics = c.csv\ndoctors = d.csv\n[plugins]\nload = tcm\n[course tcm]\nsites = hq\n"
		"[site hq]\nlat=1\nlon=1\nseats=3\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:5: error: end 2026-04-01 is before start 2026-05-01; swap them"));
}

static void test_long_line(void **state)
{
	struct fx *f = *state;
	char *big = xmalloc(3000);
	strcpy(big, "[program]\nblackout = ");
	for (int i = 0; i < 120; i++)
		strcat(big, "2026-05-01 ");
	strcat(big, "\n[other]\nfoo\n");
	unsigned e = load(f, big);
	free(big);
	assert_int_equal(e, 2);  /* the long line and the syntax error: all reported */
	assert_non_null(strstr(f->msgs, "vdsched.ini:2: error: line is 1331 bytes long"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:4: error: 'foo' is not 'key = value'"));
}

static void test_colon_section(void **state)
{
	struct fx *f = *state;
	unsigned e = load(f, "[site a:b]\nseats = 3\n");
	assert_int_equal(e, 1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:1: error: section name 'site a:b' is empty or contains ':'"));
}

static void test_bare_section_lookup_is_safe(void **state)
{
	struct fx *f = *state;
	/* CVE-2023-33461: iniparser crashes looking up a bare section name */
	char *path = write_file(f, "x.ini", "[program]\nid = x\n[site a]\n");
	struct vd_ini *ini = vd_ini_open(path, &f->dg);
	assert_non_null(ini);
	assert_null(vd_ini_get(ini, "site a", ""));
	assert_null(vd_ini_get(ini, "program", "name"));
	assert_string_equal(vd_ini_get(ini, "program", "id"), "x");
	assert_int_equal(vd_ini_line(ini, "site a", "seats"), 3);
	vd_ini_close(ini);
	free(path);
}

static void test_references(void **state)
{
	struct fx *f = *state;
	load(f, GOOD_HEAD "[instructor feng]\ncourses = dentl\nsites = nowhere\n"
		"[course dental]\nsites = hq\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:19: error: unknown course 'dentl'"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:20: error: unknown site 'nowhere'"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:21: error: [course dental] but 'dental' is not in [plugins] load"));
}

static void test_bad_values(void **state)
{
	struct fx *f = *state;
	load(f, "[program]\nid = ../x\nname = y\nstart = 2026-03-02\nend = 2026-04-01\n"
		"timezone = Asia/Beijing\nclinics = c.csv\ndoctors = d.csv\nblackout = 2026-05-10..2026-05-01\n"
		"[plugins]\nload = tcm\n[course tcm]\nsites = hq\n"
		"[site hq]\nlat=91\nlon=1\nseats=-3\n[output]\nalarms = 1h\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:2: error: id '../x' may use only"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:6: error: unknown time zone 'Asia/Beijing'"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:9: error: blackout: range '2026-05-10..2026-05-01' ends before it starts"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:15: error: lat '91' is out of range"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:17: error: seats '-3' must be a whole number from 1 to 100000"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:19: error: alarm '1h' is not valid"));
}

static void test_missing_required(void **state)
{
	struct fx *f = *state;
	load(f, "[program]\nname = y\n[plugins]\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:1: error: [program] needs 'id'"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:1: error: [program] needs 'start'"));
	assert_non_null(strstr(f->msgs, "error: no courses: add [plugins] load = "));
}

static void test_duplicate_key(void **state)
{
	struct fx *f = *state;
	load(f, GOOD_HEAD "seats = 50\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:18: error: key 'seats' appears twice in [site hq] (first on line 16)"));
}

static void test_holiday_file_errors(void **state)
{
	struct fx *f = *state;
	free(write_file(f, "hol.ini", "[holidays]\noff = 2026-04-31\nworkday = 2026-05-09\n"));
	load(f, "[program]\nid = x\nname = y\nstart = 2026-03-02\nend = 2026-04-01\n"
		"holidays = hol.ini\nclinics = c.csv\ndoctors = d.csv\n[plugins]\nload = tcm\n[course tcm]\nsites = hq\n"
		"[site hq]\nlat=1\nlon=1\nseats=3\n");
	assert_non_null(strstr(f->msgs, "hol.ini:2: error: off: '2026-04-31' is not a date or range"));
	assert_non_null(strstr(f->msgs, "hol.ini:3: error: unknown key 'workday' in [holidays]; did you mean 'workdays'?"));
}

static void test_alarm_parse(void **state)
{
	(void)state;
	int *a = NULL;
	size_t n = 0;
	char *bad;
	assert_int_equal(vd_alarms_parse("-1d -1h -30m -1d12h", &a, &n, &bad), 0);
	assert_int_equal(n, 4);
	assert_int_equal(a[3], 2160);
	free(a);
	a = NULL; n = 0;
	assert_int_equal(vd_alarms_parse("-0h", &a, &n, &bad), -1);
	assert_string_equal(bad, "-0h");
	free(bad);
	free(a);
}

/* A program typed on a Chinese keyboard in full-width mode and saved by
 * Notepad: BOM, CRLF, ＝ ： U+3000, ，、 lists, Excel dates, ；comments. */
static void test_chinese_keyboard(void **state)
{
	struct fx *f = *state;
	free(write_file(f, "hol.ini", "\xEF\xBB\xBF[holidays]\r\noff ＝ 2026年4月4日至2026年4月6日、2026/5/1\r\n"
		"workdays：2026.5.9\r\n"));
	unsigned e = load(f,
		"\xEF\xBB\xBF；示例县卫健委\r\n"
		"[program]\r\n"
		"id　＝　t-2026\r\n"
		"name：测试　培训\r\n"
		"start＝2026/3/2\r\n"
		"end: 2026年4月30日\u3000\r\n"
		"clinics = clinics.csv\r\n"
		"doctors = doctors.csv\r\n"
		"holidays ＝ hol.ini\r\n"
		"blackout ＝ 2026/3/10～2026/3/11，2026-3-20~2026-3-21；2026-3-25\r\n"
		"teaching_days ＝ 周一、周三，周五\r\n"
		"[plugins]\r\n"
		"load = tcm，dental\r\n"
		"[course tcm]\r\n"
		"sites ＝ hq、annex\r\n"
		"[course dental]\r\n"
		"[site　hq]\r\n"
		"lat ＝ 23.7\r\nlon ＝ 106.9\r\nseats ＝ 40\r\n"
		"features ＝ classroom，skills_lab\r\n"
		"[site annex]\r\nlat=1\r\nlon=1\r\nseats=3\r\n");
	if (e)
		fail_msg("unexpected errors:\n%s", f->msgs);
	assert_string_equal(f->p.id, "t-2026");
	assert_string_equal(f->p.name, "测试　培训");   /* inside a value U+3000 stays */
	assert_int_equal(f->p.start, vd_date_from_ymd(2026, 3, 2));
	assert_int_equal(f->p.end, vd_date_from_ymd(2026, 4, 30));
	assert_int_equal(f->p.nholidays, 4);
	assert_int_equal(f->p.nworkdays, 1);
	assert_int_equal(f->p.workdays[0], vd_date_from_ymd(2026, 5, 9));
	assert_int_equal(f->p.nblackout, 3);
	assert_int_equal(f->p.blackout[1].b, vd_date_from_ymd(2026, 3, 21));
	assert_int_equal(f->p.teaching_days, 1u | 4u | 16u);
	assert_int_equal(f->p.load.n, 2);
	assert_string_equal(f->p.load.v[1], "dental");
	assert_int_equal(f->p.courses[0].nsites, 2);
	assert_int_equal(f->p.nsites, 2);
	assert_string_equal(f->p.sites[0].id, "hq");
	assert_int_equal(f->p.sites[0].features.n, 2);
	/* the normalised copy is gone */
	char *cmd = xasprintf("ls %s/vdsched-ini-* >/dev/null 2>&1", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_int_not_equal(system(cmd), 0);
	free(cmd);
}

/* Line numbers survive the normalised copy; a bad date names the forms. */
static void test_chinese_keyboard_errors(void **state)
{
	struct fx *f = *state;
	load(f, "\xEF\xBB\xBF[program]\r\nid ＝ x\r\nname ＝ y\r\nstart ＝ 3/2/2026\r\nend：2026年2月30日\r\n"
		"clinics = c.csv\r\ndoctors = d.csv\r\nblackout ＝ 2026/3/10～\r\n"
		"[plugins]\r\nload ＝ tcm\r\n[course tcm]\r\nsites = hq\r\n[site hq]\r\nlat=1\r\nlon=1\r\nseats=3\r\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:4: error: start '3/2/2026' is not a valid date; write it as 2026-05-11, 2026-5-11, 2026/5/11, 2026.5.11 or 2026年5月11日\n"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:5: error: end '2026年2月30日' is not a valid date: there is no such day; check the month and the day\n"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:8: error: blackout: '2026/3/10～' is not a date or range; write a date as 2026-05-11, 2026-5-11, 2026/5/11, 2026.5.11 or 2026年5月11日, a range as A..B, A~B, A～B, A至B, A到B or A-B, e.g. 2026/5/11～2026/5/13 or 2026/5/11-2026/5/13\n"));
}

/* [site 县医院]: refused with one message that says what to write. */
static void test_chinese_section_id(void **state)
{
	struct fx *f = *state;
	unsigned e = load(f, "[program]\nid = x\nname = y\nstart = 2026-03-02\nend = 2026-04-01\n"
		"clinics = clinics.csv\ndoctors = doctors.csv\n[plugins]\nload = tcm\n[course tcm]\nsites = 县医院\n"
		"[site 县医院]\nlat=1\nlon=1\nseats=3\n[instructor feng]\ncourses = tcm\nsites = 县医院\n");
	if (e != 1)
		fail_msg("want one error, got:\n%s", f->msgs);
	assert_non_null(strstr(f->msgs, "vdsched.ini:12: error: site id '县医院' must be letters, digits, '_', '.' or '-' (it becomes a file name); write e.g. [site site1] (pinyin reads best) and put the Chinese name in name = 县医院\n"));
	/* the site's name where its id belongs */
	reset_msgs(f);
	e = load(f, GOOD_HEAD "[instructor feng]\ncourses = tcm\nsites = 县医院\n");
	assert_int_equal(e, 1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:20: error: '县医院' is the name of [site hq]; sites = takes site ids: write hq\n"));
}

/* encoding = names the spellings of GBK that Windows and Excel use. */
static void test_encoding_names(void **state)
{
	struct fx *f = *state;
	static const char *const ok[] = { "gbk", "GBK", "gb18030", "GB2312", "cp936", "utf-8", "UTF8" };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		reset_msgs(f);
		char *t = xasprintf(GOOD_HEAD_PROGRAM_ONLY "encoding = %s\n" GOOD_TAIL, ok[i]);
		if (load(f, t))
			fail_msg("encoding = %s refused:\n%s", ok[i], f->msgs);
		free(t);
	}
	reset_msgs(f);
	char *t = xasprintf(GOOD_HEAD_PROGRAM_ONLY "encoding = big5\n" GOOD_TAIL);
	assert_int_equal(load(f, t), 1);
	free(t);
	assert_non_null(strstr(f->msgs, "error: encoding 'big5' is not supported; use utf-8 or gbk"));
}

static void test_ids_ignore_case(void **state)
{
	struct fx *f = *state;
	/* iniparser lowercases [Site HQ]; references in any case must find it */
	unsigned e = load(f, "[program]\nid = x\nname = y\nstart = 2026-03-02\nend = 2026-04-01\n"
		"clinics = clinics.csv\ndoctors = doctors.csv\n[plugins]\nload = TCM\n[Course tcm]\nsites = Hq\n"
		"[Site HQ]\nlat=1\nlon=1\nseats=3\n[instructor Feng]\ncourses = Tcm\nsites = hQ\n");
	assert_int_equal(e, 0);
	assert_string_equal(f->p.courses[0].name, "tcm");
	assert_int_equal(f->p.courses[0].nsites, 1);
	assert_string_equal(f->p.instructors[0].id, "feng");
}

/* [program] travel_budget: a percentage or a fraction; time_limit. */
#define BUDGET_HEAD(v) \
	"[program]\nid = t-2026\nname = x\nstart = 2026-03-02\nend = 2026-04-30\n" \
	"clinics = clinics.csv\ndoctors = doctors.csv\n" v \
	"[plugins]\nload = tcm\n[course tcm]\nsites = hq\n" \
	"[site hq]\nname = h\nlat = 23.7\nlon = 106.9\nseats = 40\nfeatures = classroom skills_lab\n"

static void test_travel_budget(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, BUDGET_HEAD("travel_budget = 10%\ntime_limit = 30\n")), 0);
	assert_true(f->p.travel_budget > 0.0999 && f->p.travel_budget < 0.1001);
	assert_int_equal(f->p.time_limit, 30);
}

static void test_travel_budget_fraction(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, BUDGET_HEAD("travel_budget = 0.25\n")), 0);
	assert_true(f->p.travel_budget > 0.2499 && f->p.travel_budget < 0.2501);
	assert_int_equal(f->p.time_limit, 0);
}

static void test_travel_budget_default(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, BUDGET_HEAD("")), 0);
	assert_true(f->p.travel_budget == VD_TRAVEL_BUDGET);
}

static void test_travel_budget_bad(void **state)
{
	struct fx *f = *state;
	/* 5 is 5% or 500%? refused, with the way to say it */
	assert_int_equal(load(f, BUDGET_HEAD("travel_budget = 5\ntime_limit = -1\n")), 2);
	assert_non_null(strstr(f->msgs, "vdsched.ini:8: error: travel_budget '5' must be a percentage from 0% to 1000% (e.g. 10%) or a fraction from 0 to 1 (e.g. 0.1)"));
	assert_non_null(strstr(f->msgs, "vdsched.ini:9: error: time_limit '-1' must be a whole number from 0 to 86400"));
}

static void test_base_url(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, GOOD_HEAD "[output]\nbase_url = https://example.org/peixun\n"), 0);
	assert_string_equal(f->p.base_url, "https://example.org/peixun/");
}

static void test_bad_base_url(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, GOOD_HEAD "[output]\nbase_url = example.org/peixun/\n"), 1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:19: error: base_url 'example.org/peixun/' must start with https:// or http://"));
	assert_null(f->p.base_url);
}

static void test_bad_base_url_space(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load(f, GOOD_HEAD "[output]\ndir = out\nbase_url = https://example.org/pei xun/\n"), 1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:20: error: base_url 'https://example.org/pei xun/' contains a space"));
}

static void test_base_url_typo(void **state)
{
	struct fx *f = *state;
	load(f, GOOD_HEAD "[output]\nbaseurl = https://example.org/\n");
	assert_non_null(strstr(f->msgs, "vdsched.ini:19: error: unknown key 'baseurl' in [output]; did you mean 'base_url'?"));
}

/* [output] refresh: 12 h by default with base_url, none without; units
 * m h d from 5m to 30d; 0 for none. */
static void test_refresh(void **state)
{
	static const struct { const char *output; unsigned errors; int refresh; } cases[] = {
		{ "base_url = https://example.org/peixun\n", 0, 720 },
		{ "dir = out\n", 0, 0 },
		{ "refresh = 1d\n", 0, 1440 },
		{ "base_url = https://example.org/\nrefresh = 0\n", 0, 0 },
		{ "refresh = 3m\n", 1, 0 },
		{ "refresh = 12 h\n", 1, 0 },
	};
	struct fx *f = *state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *text = xasprintf("%s[output]\n%s", GOOD_HEAD, cases[i].output);
		reset_msgs(f);
		assert_int_equal(load(f, text), cases[i].errors);
		if (!cases[i].errors)
			assert_int_equal(f->p.refresh, cases[i].refresh);
		free(text);
	}
	assert_non_null(strstr(f->msgs, "vdsched.ini:19: error: refresh '12 h' is not a time from 5m to 30d"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chinese_keyboard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chinese_keyboard_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chinese_section_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encoding_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_suggests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_date_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_before_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_colon_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bare_section_lookup_is_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_holiday_file_errors, setup, teardown),
		cmocka_unit_test(test_alarm_parse),
		cmocka_unit_test_setup_teardown(test_ids_ignore_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_travel_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_travel_budget_fraction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_travel_budget_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_travel_budget_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_base_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_base_url_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_url_typo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

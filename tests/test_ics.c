/* test_ics.c -- the calendars: each owner's sessions at the right local
 * times, RFC 5545 well-formed as libical itself checks it, byte-level
 * folding rules, stable UIDs, byte-identical re-runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <libical/ical.h>
#include "ics.h"
#include "xalloc.h"

#define STAMP 1767225600LL   /* 2026-01-01T00:00:00Z */

/* A session title and a description long enough, and without spaces, that
 * libical must fold them inside runs of 3-byte characters. */
static const struct vds_session tcm_sessions[] = {
	{ 0, 510, 690, "针刺基础与安全操作", "毫针刺法",
	  "常见穴位定位包括足三里合谷内关三阴交太冲曲池风池百会肩井委中承山阳陵泉等穴位的取穴方法与针刺角度深度及注意事项" },
	{ 0, 870, 1050, "艾灸", "灸法", NULL },
	{ 1, 480, 720, "拔罐与刮痧", "拔罐; 刮痧, \"实操\"", "练习：留罐\\闪罐\n走罐" },
};
static struct vds_course tcm = {
	.size = sizeof(struct vds_course), .id = "tcm", .title = "中医适宜技术",
	.lang = "zh-CN", .category = "中医", .bring = "白大褂、笔记本", .days = 2,
	.sessions = tcm_sessions, .nsessions = 3 };
static const struct vds_session dental_sessions[] = {
	{ 0, 540, 660, "口腔检查", "检查", "龋齿筛查" },
	{ 0, 840, 1020, "窝沟封闭", "预防", NULL },
};
static struct vds_course dental = {
	.size = sizeof(struct vds_course), .id = "dental", .title = "口腔保健",
	.lang = "zh-CN", .category = "口腔", .days = 1,
	.sessions = dental_sessions, .nsessions = 2, .needs_instructor = 1 };

static void build(struct vd_program *p, struct vd_plan *pl, int organizer)
{
	vd_program_init(p);
	p->id = xstrdup("tianyang-2026-spring");
	p->name = xstrdup("田阳区2026年春季村医轮转培训");
	p->timezone = xstrdup("Asia/Shanghai");
	p->start = vd_date_from_ymd(2026, 3, 2);
	p->end = vd_date_from_ymd(2026, 7, 31);
	p->contact = xstrdup("区卫健委科教股 0776-0000000");
	if (organizer)
		p->organizer = xstrdup("mailto:peixun@example.org");
	p->nalarms = 2;
	p->alarms = xmalloc(2 * sizeof *p->alarms);
	p->alarms[0] = 1440;
	p->alarms[1] = 60;

	static const char *const ids[] = { "d0001", "d0002", "d0003" };
	static const char *const names[] = { "张三", "李四", "王五" };
	p->ndoctors = 3;
	p->doctors = xcalloc(3, sizeof *p->doctors);
	for (size_t i = 0; i < 3; i++) {
		p->doctors[i].id = xstrdup(ids[i]);
		p->doctors[i].name = xstrdup(names[i]);
	}
	p->nsites = 2;
	p->sites = xcalloc(2, sizeof *p->sites);
	p->sites[0].id = xstrdup("county_hospital");
	p->sites[0].name = xstrdup("田阳区人民医院");
	p->sites[0].address = xstrdup("广西壮族自治区百色市田阳区田州镇解放西路一百二十三号门诊楼三楼培训室");
	p->sites[0].lat = 23.736;
	p->sites[0].lon = 106.915;
	p->sites[1].id = xstrdup("unused_site");
	p->sites[1].name = xstrdup("没有课");
	p->ninstructors = 2;
	p->instructors = xcalloc(2, sizeof *p->instructors);
	p->instructors[0].id = xstrdup("feng");
	p->instructors[0].name = xstrdup("冯医生");
	p->instructors[1].id = xstrdup("idle");
	p->instructors[1].name = xstrdup("闲");
	p->ncourses = 2;
	p->courses = xcalloc(2, sizeof *p->courses);
	p->courses[0].name = xstrdup("tcm");
	p->courses[0].def = &tcm;
	p->courses[1].name = xstrdup("dental");
	p->courses[1].def = &dental;

	vd_plan_init(pl);
	pl->nruns = 3;
	pl->runs = xcalloc(3, sizeof *pl->runs);
	/* C001 takes tcm on Mon 2 + Tue 3 March, dental on Wed 4 March */
	struct vd_run *r = &pl->runs[0];
	r->course = 0; r->site = 0; r->instructor = VD_NONE;
	r->dates = xmalloc(2 * sizeof *r->dates);
	r->dates[0] = vd_date_from_ymd(2026, 3, 2);
	r->dates[1] = vd_date_from_ymd(2026, 3, 3);
	r->members = xmalloc(2 * sizeof *r->members);
	r->members[0] = 0; r->members[1] = 1; r->nmembers = 2;
	strcpy(r->cohort, "C001");
	r = &pl->runs[1];
	r->course = 1; r->site = 0; r->instructor = 0;
	r->dates = xmalloc(sizeof *r->dates);
	r->dates[0] = vd_date_from_ymd(2026, 3, 4);
	r->members = xmalloc(2 * sizeof *r->members);
	r->members[0] = 0; r->members[1] = 1; r->nmembers = 2;
	strcpy(r->cohort, "C001");
	/* C002 (d0003) takes tcm on Thu 5 and Mon 9 March */
	r = &pl->runs[2];
	r->course = 0; r->site = 0; r->instructor = VD_NONE;
	r->dates = xmalloc(2 * sizeof *r->dates);
	r->dates[0] = vd_date_from_ymd(2026, 3, 5);
	r->dates[1] = vd_date_from_ymd(2026, 3, 9);
	r->members = xmalloc(sizeof *r->members);
	r->members[0] = 2; r->nmembers = 1;
	strcpy(r->cohort, "C002");
}

struct fx {
	struct vd_program p;
	struct vd_plan pl;
	char dir[64];
	char *diag;
	size_t diaglen;
	FILE *dgout;
	struct vd_diag dg;
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct fx *fx_new(int organizer)
{
	struct fx *f = xcalloc(1, sizeof *f);
	build(&f->p, &f->pl, organizer);
	strcpy(f->dir, "/tmp/test_ics-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->dgout = open_memstream(&f->diag, &f->diaglen);
	vd_diag_init(&f->dg, f->dgout);
	return f;
}

static int fx_write(struct fx *f, const char *dir)
{
	int rc = vd_ics_write_all(&f->p, &f->pl, dir ? dir : f->dir, STAMP, NULL, 0, NULL, &f->dg);
	fflush(f->dgout);
	return rc;
}

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* tests/ics-lint.py, the byte-level lint, on every calendar under dir */
static void lint(const char *dir)
{
	const char *py = getenv("PYTHON3_DEBIAN");
	char *cmd = xasprintf("'%s' '%s/tests/ics-lint.py' '%s/ics' >/dev/null", py && *py ? py : "/usr/bin/python3",
	                      TOP_SRCDIR, dir);
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "ics-lint.py fails on %s/ics\n", dir);
	assert_int_equal(rc, 0);
	free(cmd);
}

static void fx_free(struct fx *f)
{
	lint(f->dir);
	rm_rf(f->dir);
	fclose(f->dgout);
	free(f->diag);
	vd_program_free(&f->p);
	vd_plan_free(&f->pl);
	free(f);
}

static int setup_org(void **state)
{
	struct fx *f = fx_new(1);
	*state = f;
	return fx_write(f, NULL);
}

static int setup_noorg(void **state)
{
	struct fx *f = fx_new(0);
	*state = f;
	return fx_write(f, NULL);
}

static int teardown(void **state)
{
	fx_free(*state);
	icalmemory_free_ring();
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *s = xmalloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, fp);
	s[got] = '\0';
	fclose(fp);
	if (len)
		*len = got;
	return s;
}

static char *file_of(const struct fx *f, const char *kind, const char *id)
{
	return xasprintf("%s/ics/%s/%s.ics", f->dir, kind, id);
}

static icalcomponent *parse(const char *path)
{
	char *s = slurp(path, NULL);
	assert_non_null(s);
	icalcomponent *c = icalparser_parse_string(s);
	free(s);
	assert_non_null(c);
	assert_int_equal(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	return c;
}

static icalcomponent *parse_owner(const struct fx *f, const char *kind, const char *id)
{
	char *path = file_of(f, kind, id);
	icalcomponent *c = parse(path);
	free(path);
	return c;
}

static int count(icalcomponent *cal, icalcomponent_kind k)
{
	return icalcomponent_count_components(cal, k);
}

/* No X-LIC-ERROR anywhere: libical's parser records every problem so. */
static void assert_no_errors(icalcomponent *c)
{
	assert_int_equal(icalcomponent_count_errors(c), 0);
}

static const char *param_tzid(icalproperty *prop)
{
	icalparameter *tz = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	return tz ? icalparameter_get_tzid(tz) : NULL;
}

/* ---- each doctor gets exactly their sessions, at the right local times ---- */

struct want { const char *start, *end, *summary; };

static void check_doctor(const struct fx *f, const char *id, const struct want *w, int n)
{
	icalcomponent *cal = parse_owner(f, "doctors", id);
	assert_no_errors(cal);
	assert_int_equal(count(cal, ICAL_VEVENT_COMPONENT), n);
	int i = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), i++) {
		icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		icalproperty *de = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
		assert_non_null(ds);
		assert_non_null(de);
		assert_string_equal(param_tzid(ds), "Asia/Shanghai");
		assert_string_equal(param_tzid(de), "Asia/Shanghai");
		struct icaltimetype s = icalproperty_get_dtstart(ds);
		struct icaltimetype e = icalproperty_get_dtend(de);
		assert_false(icaltime_is_utc(s));
		assert_string_equal(icaltime_as_ical_string(s), w[i].start);
		assert_string_equal(icaltime_as_ical_string(e), w[i].end);
		assert_string_equal(icalcomponent_get_summary(ev), w[i].summary);
		/* resolved against the file's own VTIMEZONE: 08:00 ahead of UTC */
		icaltimezone *z = icalcomponent_get_timezone(cal, "Asia/Shanghai");
		assert_non_null(z);
		struct icaltimetype u = s;
		icaltimezone_convert_time(&u, z, icaltimezone_get_utc_timezone());
		struct icaltimetype back = s;
		icaltime_adjust(&back, 0, -8, 0, 0);
		assert_int_equal(icaltime_compare(u, back), 0);
	}
	icalcomponent_free(cal);
}

static void test_doctor_sessions(void **state)
{
	struct fx *f = *state;
	static const struct want d1[] = {
		{ "20260302T083000", "20260302T113000", "中医适宜技术 — 针刺基础与安全操作" },
		{ "20260302T143000", "20260302T173000", "中医适宜技术 — 艾灸" },
		{ "20260303T080000", "20260303T120000", "中医适宜技术 — 拔罐与刮痧" },
		{ "20260304T090000", "20260304T110000", "口腔保健 — 口腔检查" },
		{ "20260304T140000", "20260304T170000", "口腔保健 — 窝沟封闭" },
	};
	static const struct want d3[] = {
		{ "20260305T083000", "20260305T113000", "中医适宜技术 — 针刺基础与安全操作" },
		{ "20260305T143000", "20260305T173000", "中医适宜技术 — 艾灸" },
		{ "20260309T080000", "20260309T120000", "中医适宜技术 — 拔罐与刮痧" },
	};
	check_doctor(f, "d0001", d1, 5);
	check_doctor(f, "d0002", d1, 5);
	check_doctor(f, "d0003", d3, 3);
}

/* ---- which files exist ---- */

static void test_files(void **state)
{
	struct fx *f = *state;
	static const char *const yes[][2] = {
		{ "doctors", "d0001" }, { "doctors", "d0002" }, { "doctors", "d0003" },
		{ "cohorts", "C001" }, { "cohorts", "C002" }, { "sites", "county_hospital" },
		{ "instructors", "feng" } };
	static const char *const no[][2] = { { "sites", "unused_site" }, { "instructors", "idle" } };
	struct stat st;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		char *p = file_of(f, yes[i][0], yes[i][1]);
		assert_int_equal(stat(p, &st), 0);
		free(p);
	}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		char *p = file_of(f, no[i][0], no[i][1]);
		assert_int_not_equal(stat(p, &st), 0);
		free(p);
	}
	icalcomponent *c = parse_owner(f, "cohorts", "C001");
	assert_int_equal(count(c, ICAL_VEVENT_COMPONENT), 5);
	icalcomponent_free(c);
	c = parse_owner(f, "cohorts", "C002");
	assert_int_equal(count(c, ICAL_VEVENT_COMPONENT), 3);
	icalcomponent_free(c);
	c = parse_owner(f, "sites", "county_hospital");
	assert_int_equal(count(c, ICAL_VEVENT_COMPONENT), 8);
	icalcomponent_free(c);
	c = parse_owner(f, "instructors", "feng");
	assert_int_equal(count(c, ICAL_VEVENT_COMPONENT), 2);
	icalcomponent_free(c);
}

/* ---- every file, every byte ---- */

typedef void (*each_fn)(const char *path, void *arg);

static void each_file(const struct fx *f, each_fn fn, void *arg)
{
	static const char *const kinds[] = { "doctors", "cohorts", "sites", "instructors" };
	int n = 0;
	for (size_t k = 0; k < 4; k++) {
		char *d = xasprintf("%s/ics/%s", f->dir, kinds[k]);
		DIR *dir = opendir(d);
		assert_non_null(dir);
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (e->d_name[0] == '.')
				continue;
			char *p = xasprintf("%s/%s", d, e->d_name);
			fn(p, arg);
			free(p);
			n++;
		}
		closedir(dir);
		free(d);
	}
	assert_int_equal(n, 7);
}

static void check_bytes(const char *path, void *arg)
{
	size_t len;
	char *s = slurp(path, &len);
	int *folded = arg;
	assert_non_null(s);
	assert_true(len > 2);
	assert_memory_equal(s, "BEGIN:VCALENDAR\r\n", 17);
	assert_memory_equal(s + len - 15, "END:VCALENDAR\r\n", 15);
	size_t a = 0;
	while (a < len) {
		char *nl = memchr(s + a, '\n', len - a);
		assert_non_null(nl);                       /* the file ends with a line end */
		size_t b = (size_t)(nl - s);
		assert_true(b > a && s[b - 1] == '\r');    /* CRLF, never a bare LF */
		size_t n = b - 1 - a;                      /* octets without CRLF */
		assert_true(n <= 75);
		assert_null(memchr(s + a, '\r', n));       /* no bare CR */
		if (s[a] == ' ') {
			(*folded)++;
			/* a folded line never starts inside a UTF-8 sequence */
			assert_true(n > 1);
			assert_int_not_equal((unsigned char)s[a + 1] & 0xC0, 0x80);
		}
		/* and the line itself is whole UTF-8 */
		for (size_t i = a; i < a + n;) {
			unsigned char c = (unsigned char)s[i];
			size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
			         : (c & 0xF8) == 0xF0 ? 4 : 0;
			assert_true(k > 0 && i + k <= a + n);
			for (size_t j = 1; j < k; j++)
				assert_int_equal((unsigned char)s[i + j] & 0xC0, 0x80);
			i += k;
		}
		a = b + 1;
	}
	/* one VCALENDAR, one VTIMEZONE, the program's zone by its IANA name */
	assert_null(strstr(s + 1, "BEGIN:VCALENDAR"));
	char *tz = strstr(s, "BEGIN:VTIMEZONE\r\n");
	assert_non_null(tz);
	assert_null(strstr(tz + 1, "BEGIN:VTIMEZONE"));
	assert_non_null(strstr(s, "\r\nTZID:Asia/Shanghai\r\n"));
	assert_null(strstr(s, "freeassociation"));
	assert_non_null(strstr(s, "\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(s, "\r\nPRODID:-//vdsched//vdsched "));
	assert_non_null(strstr(s, "\r\nCALSCALE:GREGORIAN\r\n"));
	/* never a floating or UTC start */
	for (char *q = s; (q = strstr(q, "\r\nDTSTART")); q += 9)
		if (q < tz || q > strstr(s, "END:VTIMEZONE"))
			assert_memory_equal(q, "\r\nDTSTART;TZID=Asia/Shanghai:", 29);
	free(s);
}

static void test_bytes(void **state)
{
	int folded = 0;
	each_file(*state, check_bytes, &folded);
	assert_true(folded > 0);   /* the long Chinese texts were folded */
}

/* ---- libical's own RFC 5545 checks, and a round trip ---- */

static void check_restriction(const char *path, void *arg)
{
	(void)arg;
	icalcomponent *c = parse(path);
	assert_no_errors(c);
	assert_int_equal(count(c, ICAL_VTIMEZONE_COMPONENT), 1);
	assert_true(icalrestriction_check(c));
	assert_no_errors(c);
	icalcomponent_free(c);
}

static void test_restriction(void **state)
{
	each_file(*state, check_restriction, NULL);
}

static void uids(icalcomponent *cal, char ***out, size_t *n)
{
	*n = 0;
	*out = NULL;
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(icalcomponent_get_uid(ev));
	}
}

static void free_uids(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void check_roundtrip(const char *path, void *arg)
{
	(void)arg;
	icalcomponent *a = parse(path);
	char *text = icalcomponent_as_ical_string_r(a);
	icalcomponent *b = icalparser_parse_string(text);
	free(text);
	assert_non_null(b);
	assert_no_errors(b);
	char **ua, **ub;
	size_t na, nb;
	uids(a, &ua, &na);
	uids(b, &ub, &nb);
	assert_true(na > 0);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(ua[i], ub[i]);
		for (size_t j = 0; j < i; j++)     /* unique within the file */
			assert_string_not_equal(ua[i], ua[j]);
	}
	free_uids(ua, na);
	free_uids(ub, nb);
	icalcomponent_free(a);
	icalcomponent_free(b);
}

static void test_roundtrip(void **state)
{
	each_file(*state, check_roundtrip, NULL);
}

/* ---- UIDs: the scheme, stable, and byte-identical re-runs ---- */

static void test_uid_scheme(void **state)
{
	struct fx *f = *state;
	icalcomponent *c = parse_owner(f, "doctors", "d0001");
	char **u;
	size_t n;
	uids(c, &u, &n);
	assert_int_equal(n, 5);
	assert_string_equal(u[0], "tcm-s1.doctor-d0001.tianyang-2026-spring@vdsched");
	assert_string_equal(u[2], "tcm-s3.doctor-d0001.tianyang-2026-spring@vdsched");
	assert_string_equal(u[4], "dental-s2.doctor-d0001.tianyang-2026-spring@vdsched");
	free_uids(u, n);
	icalcomponent_free(c);
	c = parse_owner(f, "instructors", "feng");
	uids(c, &u, &n);
	assert_string_equal(u[0], "dental-C001-s1.instructor-feng.tianyang-2026-spring@vdsched");
	free_uids(u, n);
	icalcomponent_free(c);
	c = parse_owner(f, "sites", "county_hospital");
	uids(c, &u, &n);
	assert_string_equal(u[7], "tcm-C002-s3.site-county_hospital.tianyang-2026-spring@vdsched");
	free_uids(u, n);
	icalcomponent_free(c);
}

struct cmp { const char *a, *b; int n; };

static void same_file(const char *path, void *arg)
{
	struct cmp *c = arg;
	size_t la = strlen(c->a);
	assert_memory_equal(path, c->a, la);
	char *other = xasprintf("%s%s", c->b, path + la);
	size_t n1, n2;
	char *s1 = slurp(path, &n1), *s2 = slurp(other, &n2);
	assert_non_null(s2);
	assert_int_equal(n1, n2);
	assert_memory_equal(s1, s2, n1);
	free(s1);
	free(s2);
	free(other);
	c->n++;
}

static void test_identical(void **state)
{
	struct fx *f = *state;
	char d2[] = "/tmp/test_ics2-XXXXXX", d3[] = "/tmp/test_ics3-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_non_null(mkdtemp(d3));
	assert_int_equal(fx_write(f, d2), 0);
	/* the cached and the whole-event serializations are the same bytes */
	vd_ics_set_cache(0);
	assert_int_equal(fx_write(f, d3), 0);
	vd_ics_set_cache(1);
	struct cmp c = { f->dir, d2, 0 };
	each_file(f, same_file, &c);
	c.b = d3;
	each_file(f, same_file, &c);
	assert_int_equal(c.n, 14);
	rm_rf(d2);
	rm_rf(d3);
}

/* ---- METHOD, ORGANIZER, content ---- */

static void check_method(const char *path, void *arg)
{
	int org = *(int *)arg;
	icalcomponent *c = parse(path);
	icalproperty *m = icalcomponent_get_first_property(c, ICAL_METHOD_PROPERTY);
	if (org) {
		assert_non_null(m);
		assert_int_equal(icalproperty_get_method(m), ICAL_METHOD_PUBLISH);
	} else {
		assert_null(m);
	}
	for (icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
		icalproperty *o = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
		if (org) {
			assert_non_null(o);
			assert_string_equal(icalproperty_get_organizer(o), "mailto:peixun@example.org");
			icalparameter *cn = icalproperty_get_first_parameter(o, ICAL_CN_PARAMETER);
			assert_non_null(cn);
			assert_string_equal(icalparameter_get_cn(cn), "区卫健委科教股 0776-0000000");
		} else {
			assert_null(o);
		}
	}
	icalcomponent_free(c);
}

static void test_method_org(void **state)
{
	int org = 1;
	each_file(*state, check_method, &org);
}

static void test_method_noorg(void **state)
{
	int org = 0;
	each_file(*state, check_method, &org);
}

static void test_alarms(void **state)
{
	struct fx *f = *state;
	icalcomponent *c = parse_owner(f, "doctors", "d0003");
	int n = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
		assert_int_equal(count(ev, ICAL_VALARM_COMPONENT), 2);
		int k = 0;
		for (icalcomponent *al = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
		     al; al = icalcomponent_get_next_component(ev, ICAL_VALARM_COMPONENT), k++) {
			icalproperty *a = icalcomponent_get_first_property(al, ICAL_ACTION_PROPERTY);
			assert_int_equal(icalproperty_get_action(a), ICAL_ACTION_DISPLAY);
			icalproperty *t = icalcomponent_get_first_property(al, ICAL_TRIGGER_PROPERTY);
			const char *text = icalproperty_get_value_as_string(t);
			assert_string_equal(text, k == 0 ? "-P1D" : "-PT1H");
			struct icaldurationtype d = icaldurationtype_from_string(text);
			assert_false(icaldurationtype_is_bad_duration(d));
			assert_int_equal(icaldurationtype_as_int(d), k == 0 ? -86400 : -3600);
			struct icaltriggertype tr = icalproperty_get_trigger(t);
			assert_true(icaltime_is_null_time(tr.time));
			assert_non_null(icalcomponent_get_first_property(al, ICAL_DESCRIPTION_PROPERTY));
			n++;
		}
	}
	assert_int_equal(n, 6);
	icalcomponent_free(c);
}

static void test_content(void **state)
{
	struct fx *f = *state;
	icalcomponent *c = parse_owner(f, "doctors", "d0001");
	const char *calname = "田阳区2026年春季村医轮转培训 — 张三";
	icalproperty *name = icalcomponent_get_first_property(c, ICAL_NAME_PROPERTY);
	assert_non_null(name);
	assert_string_equal(icalproperty_get_name(name), calname);
	int xw = 0;
	for (icalproperty *x = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); x;
	     x = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (!strcmp(icalproperty_get_x_name(x), "X-WR-CALNAME")) {
			assert_string_equal(icalproperty_get_x(x), calname);
			xw++;
		}
	assert_int_equal(xw, 1);

	icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_location(ev),
	                    "田阳区人民医院，广西壮族自治区百色市田阳区田州镇解放西路一百二十三号门诊楼三楼培训室");
	struct icalgeotype g = icalproperty_get_geo(icalcomponent_get_first_property(ev, ICAL_GEO_PROPERTY));
	assert_true(g.lat > 23.7359 && g.lat < 23.7361);
	assert_true(g.lon > 106.9149 && g.lon < 106.9151);
	const char *desc = icalcomponent_get_description(ev);
	assert_non_null(strstr(desc, "模块：毫针刺法\n"));
	assert_non_null(strstr(desc, "足三里合谷内关"));
	assert_non_null(strstr(desc, "请携带：白大褂、笔记本\n"));
	assert_non_null(strstr(desc, "班级：C001\n"));
	assert_non_null(strstr(desc, "联系：区卫健委科教股 0776-0000000"));
	assert_null(strstr(desc, "教师"));
	assert_string_equal(icalproperty_get_categories(
		icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY)), "中医");
	assert_int_equal(icalcomponent_get_sequence(ev), 0);
	struct icaltimetype st = icalcomponent_get_dtstamp(ev);
	assert_true(icaltime_is_utc(st));
	assert_int_equal(icaltime_as_timet(st), STAMP);

	/* escaped TEXT comes back as given: ; , " \ and a new line */
	ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT);
	ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT);
	desc = icalcomponent_get_description(ev);
	assert_non_null(strstr(desc, "模块：拔罐; 刮痧, \"实操\"\n练习：留罐\\闪罐\n走罐\n"));
	/* the dental run has an instructor */
	ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT);
	assert_non_null(strstr(icalcomponent_get_description(ev), "教师：冯医生"));
	icalcomponent_free(c);

	c = parse_owner(f, "cohorts", "C002");
	assert_string_equal(icalproperty_get_name(icalcomponent_get_first_property(c, ICAL_NAME_PROPERTY)),
	                    "田阳区2026年春季村医轮转培训 — 班级 C002");
	icalcomponent_free(c);
}

static void test_english(void **state)
{
	struct fx *f = *state;
	tcm.lang = "en";
	tcm.title = "TCM techniques";
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	int rc = fx_write(f, d2);
	tcm.lang = "zh-CN";
	tcm.title = "中医适宜技术";
	assert_int_equal(rc, 0);
	char *path = xasprintf("%s/ics/doctors/d0003.ics", d2);
	icalcomponent *c = parse(path);
	free(path);
	icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_summary(ev), "TCM techniques — 针刺基础与安全操作");
	icalparameter *lang = icalproperty_get_first_parameter(
		icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY), ICAL_LANGUAGE_PARAMETER);
	assert_string_equal(icalparameter_get_language(lang), "en");
	const char *desc = icalcomponent_get_description(ev);
	assert_non_null(strstr(desc, "Module: "));
	assert_non_null(strstr(desc, "Cohort: C002"));
	assert_non_null(strstr(icalcomponent_get_location(ev), "田阳区人民医院, 广西"));
	icalcomponent_free(c);
	rm_rf(d2);
}

/* ---- errors ---- */

static void test_bad_zone(void **state)
{
	struct fx *f = *state;
	assert_int_equal(vd_ics_check_timezone("Asia/Shanghai"), 0);
	assert_int_equal(vd_ics_check_timezone("Europe/Berlin"), 0);
	assert_int_equal(vd_ics_check_timezone("Mars/Olympus"), -1);
	assert_int_equal(vd_ics_check_timezone("../../etc/passwd"), -1);
	assert_int_equal(vd_ics_check_timezone(""), -1);
	assert_int_equal(vd_ics_check_timezone(NULL), -1);
	free(f->p.timezone);
	f->p.timezone = xstrdup("Mars/Olympus");
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_int_equal(fx_write(f, d2), -1);
	assert_non_null(strstr(f->diag, "vdsched: error: time zone 'Mars/Olympus' not found in /usr/share/zoneinfo; install tzdata (apt-get install tzdata)"));
	rm_rf(d2);
}

static void test_other_zone(void **state)
{
	struct fx *f = *state;
	free(f->p.timezone);
	f->p.timezone = xstrdup("Europe/Berlin");
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_int_equal(fx_write(f, d2), 0);
	char *path = xasprintf("%s/ics/doctors/d0001.ics", d2);
	icalcomponent *c = parse(path);
	free(path);
	icalcomponent *tz = icalcomponent_get_first_component(c, ICAL_VTIMEZONE_COMPONENT);
	assert_string_equal(icalproperty_get_tzid(icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY)),
	                    "Europe/Berlin");
	/* 2026: CET and CEST (the truncated zone keeps both changes) */
	assert_true(count(tz, ICAL_XDAYLIGHT_COMPONENT) >= 1);
	icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	assert_string_equal(param_tzid(ds), "Europe/Berlin");
	assert_true(icalrestriction_check(c));
	icalcomponent_free(c);
	rm_rf(d2);
}

static void test_cannot_write(void **state)
{
	struct fx *f = *state;
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	/* a folder where d0002's file should go */
	char *p = xasprintf("%s/ics", d2);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/ics/doctors", d2);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/ics/doctors/d0002.ics", d2);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(fx_write(f, d2), -1);
	char *want = xasprintf("%s: error: cannot write: Is a directory", p);
	assert_non_null(strstr(f->diag, want));
	free(want);
	free(p);
	rm_rf(d2);
	/* an output folder that does not exist */
	assert_int_equal(fx_write(f, "/nonexistent/vdsched-out"), -1);
	assert_non_null(strstr(f->diag, "/nonexistent/vdsched-out/ics: error: cannot create folder: No such file or directory"));
}

static void test_bad_id(void **state)
{
	struct fx *f = *state;
	free(f->p.doctors[1].id);
	f->p.doctors[1].id = xstrdup("../evil");
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_int_equal(fx_write(f, d2), -1);
	assert_non_null(strstr(f->diag, "'../evil'"));
	rm_rf(d2);
}

/* Sessions at the same time (two cohorts at one site): ordered by UID. */
static void test_ties(void **state)
{
	struct fx *f = *state;
	f->pl.runs[2].dates[0] = f->pl.runs[0].dates[0];
	f->pl.runs[2].dates[1] = f->pl.runs[0].dates[1];
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_int_equal(fx_write(f, d2), 0);
	char *path = xasprintf("%s/ics/sites/county_hospital.ics", d2);
	icalcomponent *c = parse(path);
	free(path);
	char **u;
	size_t n;
	uids(c, &u, &n);
	assert_int_equal(n, 8);
	static const char *const want[] = { "tcm-C001-s1", "tcm-C002-s1", "tcm-C001-s2", "tcm-C002-s2",
		"tcm-C001-s3", "tcm-C002-s3", "dental-C001-s1", "dental-C001-s2" };
	for (size_t i = 0; i < n; i++) {
		char *w = xasprintf("%s.site-county_hospital.tianyang-2026-spring@vdsched", want[i]);
		assert_string_equal(u[i], w);
		free(w);
	}
	free_uids(u, n);
	icalcomponent_free(c);
	rm_rf(d2);
}

/* Control characters never reach the file; a quote cannot end CN="...". */
static void test_sanitize(void **state)
{
	struct fx *f = *state;
	free(f->p.contact);
	f->p.contact = xstrdup("科教股 \"张\"\t0776\r分机1");
	free(f->p.organizer);
	f->p.organizer = xstrdup("peixun@example.org");
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_int_equal(fx_write(f, d2), 0);
	char *path = xasprintf("%s/ics/doctors/d0003.ics", d2);
	icalcomponent *c = parse(path);
	free(path);
	assert_true(icalrestriction_check(c));
	icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	icalproperty *o = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	assert_string_equal(icalproperty_get_organizer(o), "mailto:peixun@example.org");
	icalparameter *cn = icalproperty_get_first_parameter(o, ICAL_CN_PARAMETER);
	assert_string_equal(icalparameter_get_cn(cn), "科教股 '张' 0776 分机1");
	assert_non_null(strstr(icalcomponent_get_description(ev), "联系：科教股 \"张\" 0776 分机1"));
	icalcomponent_free(c);
	rm_rf(d2);
}

/* A name with a comma, a semicolon and a backslash: NAME and X-WR-CALNAME
 * both carry the TEXT escapes. */
static void test_calname_escape(void **state)
{
	struct fx *f = *state;
	free(f->p.doctors[2].name);
	f->p.doctors[2].name = xstrdup("王五, 副主任; A\\B");
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	assert_int_equal(fx_write(f, d2), 0);
	char *path = xasprintf("%s/ics/doctors/d0003.ics", d2);
	char *s = slurp(path, NULL);
	free(path);
	/* unfolded */
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\r' && r[1] == '\n' && r[2] == ' ') {
			r += 2;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	assert_non_null(strstr(s, "\r\nNAME;LANGUAGE=zh-CN:田阳区2026年春季村医轮转培训 — 王五\\, 副主任\\; A\\\\B\r\n"));
	assert_non_null(strstr(s, "\r\nX-WR-CALNAME:田阳区2026年春季村医轮转培训 — 王五\\, 副主任\\; A\\\\B\r\n"));
	free(s);
	rm_rf(d2);
}

/* A full disk: the error names the file. */
static void test_disk_full(void **state)
{
	struct fx *f = *state;
	struct stat st;
	if (stat("/dev/full", &st) != 0)
		skip();
	char d2[] = "/tmp/test_ics2-XXXXXX";
	assert_non_null(mkdtemp(d2));
	char *p = xasprintf("%s/ics", d2);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/ics/cohorts", d2);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/ics/cohorts/C002.ics", d2);
	assert_int_equal(symlink("/dev/full", p), 0);
	assert_int_equal(fx_write(f, d2), -1);
	char *want = xasprintf("%s: error: cannot write: No space left on device", p);
	assert_non_null(strstr(f->diag, want));
	free(want);
	free(p);
	rm_rf(d2);
}

/* ---- re-planning: SEQUENCE, DTSTAMP, LAST-MODIFIED, CANCELLED ---- */

#define STAMP2 1767312000LL  /* 2026-01-02T00:00:00Z */
#define STAMP3 1767398400LL  /* 2026-01-03T00:00:00Z */

static int replan(struct fx *f, const char *dir, const char *prev, long long stamp, vd_date freeze,
                  struct vd_strv *changed)
{
	int rc = vd_ics_write_all(&f->p, &f->pl, dir, stamp, prev, freeze, changed, &f->dg);
	fflush(f->dgout);
	if (rc)
		fprintf(stderr, "%s", f->diag);
	return rc;
}

static char *in_dir(const char *dir, const char *cal)
{
	return xasprintf("%s/ics/%s.ics", dir, cal);
}

/* The raw VEVENT of uid in the file, NULL when absent. */
static char *raw_event(const char *dir, const char *cal, const char *uid)
{
	char *path = in_dir(dir, cal);
	char *s = slurp(path, NULL);
	free(path);
	assert_non_null(s);
	char *key = xasprintf("\r\nUID:%s\r\n", uid);
	char *u = strstr(s, key), *out = NULL;
	free(key);
	if (u) {
		char *a = u;
		while (a > s && strncmp(a, "BEGIN:VEVENT\r\n", 14))
			a--;
		char *e = strstr(u, "END:VEVENT\r\n");
		assert_non_null(e);
		out = xstrndup(a, (size_t)(e + 12 - a));
	}
	free(s);
	return out;
}

static icalcomponent *event_of(icalcomponent *cal, const char *uid)
{
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (!strcmp(icalcomponent_get_uid(ev), uid))
			return ev;
	return NULL;
}

/* uid's SEQUENCE, DTSTAMP and LAST-MODIFIED (UTC seconds) and STATUS in dir */
struct evinfo { int seq; long long stamp, lastmod; icalproperty_status status; };

static struct evinfo info(const char *dir, const char *cal, const char *uid)
{
	char *path = in_dir(dir, cal);
	icalcomponent *c = parse(path);
	free(path);
	assert_no_errors(c);
	icalcomponent *ev = event_of(c, uid);
	if (!ev)
		fprintf(stderr, "no %s in %s/%s\n", uid, dir, cal);
	assert_non_null(ev);
	struct evinfo r;
	r.seq = icalcomponent_get_sequence(ev);
	r.stamp = (long long)icaltime_as_timet(icalcomponent_get_dtstamp(ev));
	icalproperty *lm = icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY);
	assert_non_null(lm);
	r.lastmod = (long long)icaltime_as_timet(icalproperty_get_lastmodified(lm));
	r.status = icalcomponent_get_status(ev);
	icalcomponent_free(c);
	return r;
}

static int nevents(const char *dir, const char *cal, icalproperty_status st)
{
	char *path = in_dir(dir, cal);
	icalcomponent *c = parse(path);
	free(path);
	int n = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT))
		n += icalcomponent_get_status(ev) == st;
	icalcomponent_free(c);
	return n;
}

static void same_bytes(const char *a, const char *b, const char *cal)
{
	char *pa = in_dir(a, cal), *pb = in_dir(b, cal);
	size_t na, nb;
	char *sa = slurp(pa, &na), *sb = slurp(pb, &nb);
	assert_non_null(sa);
	assert_non_null(sb);
	if (na != nb || memcmp(sa, sb, na))
		fprintf(stderr, "%s and %s differ\n", pa, pb);
	assert_int_equal(na, nb);
	assert_memory_equal(sa, sb, na);
	free(sa); free(sb); free(pa); free(pb);
}

static void same_event(const char *a, const char *b, const char *cal, const char *uid)
{
	char *ea = raw_event(a, cal, uid), *eb = raw_event(b, cal, uid);
	assert_non_null(ea);
	assert_non_null(eb);
	assert_string_equal(ea, eb);
	free(ea);
	free(eb);
}

static void assert_strv(const struct vd_strv *v, const char *const *want, size_t n)
{
	for (size_t i = 0; v->n != n && i < v->n; i++)
		fprintf(stderr, "changed: %s (want %zu ids)\n", v->v[i], n);
	assert_int_equal(v->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v->v[i], want[i]);
}

#define U(s) s ".tianyang-2026-spring@vdsched"

static void test_replan(void **state)
{
	struct fx *f = *state;
	const char *A = f->dir;
	char B[] = "/tmp/test_icsB-XXXXXX", B2[] = "/tmp/test_icsB2-XXXXXX", Cd[] = "/tmp/test_icsC-XXXXXX";
	assert_non_null(mkdtemp(B));
	assert_non_null(mkdtemp(B2));
	assert_non_null(mkdtemp(Cd));

	/* events.csv of the first plan: a header and one row per event */
	char *csvp = xasprintf("%s/state/events.csv", A);
	char *csv = slurp(csvp, NULL);
	free(csvp);
	assert_non_null(csv);
	assert_memory_equal(csv, "calendar,uid,sequence,dtstamp,last_modified,hash,status\r\n", 57);
	assert_non_null(strstr(csv, "\r\ndoctors/d0001," U("tcm-s1.doctor-d0001") ",0,20260101T000000Z,20260101T000000Z,"));
	int rows = 0;
	for (char *c = csv; (c = strchr(c, '\n')); c++)
		rows++;
	assert_int_equal(rows, 1 + 5 + 5 + 3 + 5 + 3 + 8 + 2);   /* header, 3 doctors, 2 cohorts, site, instructor */
	free(csv);
	assert_int_equal(info(A, "doctors/d0001", U("tcm-s1.doctor-d0001")).lastmod, STAMP);

	/* B: dental (C001) moves from 4 to 6 March; d0002 leaves both runs */
	f->pl.runs[1].dates[0] = vd_date_from_ymd(2026, 3, 6);
	f->pl.runs[0].nmembers = 1;
	f->pl.runs[1].nmembers = 1;
	struct vd_strv chg = { 0 };
	assert_int_equal(replan(f, B, A, STAMP2, 0, &chg), 0);
	static const char *const want_b[] = { "d0001", "d0002" };
	assert_strv(&chg, want_b, 2);
	vd_strv_free(&chg);
	/* unchanged events: the same bytes, SEQUENCE 0, the first stamps */
	for (int s = 1; s <= 3; s++) {
		char *uid = xasprintf(U("tcm-s%d.doctor-d0001"), s);
		same_event(A, B, "doctors/d0001", uid);
		struct evinfo e = info(B, "doctors/d0001", uid);
		assert_int_equal(e.seq, 0);
		assert_int_equal(e.stamp, STAMP);
		assert_int_equal(e.lastmod, STAMP);
		free(uid);
	}
	same_bytes(A, B, "doctors/d0003");
	same_bytes(A, B, "cohorts/C002");
	/* the moved run: SEQUENCE 1, new DTSTAMP = LAST-MODIFIED */
	struct evinfo e = info(B, "doctors/d0001", U("dental-s1.doctor-d0001"));
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.stamp, STAMP2);
	assert_int_equal(e.lastmod, STAMP2);
	assert_int_equal(e.status, ICAL_STATUS_CONFIRMED);
	e = info(B, "instructors/feng", U("dental-C001-s2.instructor-feng"));
	assert_int_equal(e.seq, 1);
	/* d0002 has no runs: a file of its 5 events, all cancelled, at their old times */
	assert_int_equal(nevents(B, "doctors/d0002", ICAL_STATUS_CANCELLED), 5);
	assert_int_equal(nevents(B, "doctors/d0002", ICAL_STATUS_CONFIRMED), 0);
	e = info(B, "doctors/d0002", U("dental-s2.doctor-d0002"));
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.stamp, STAMP2);
	assert_int_equal(e.lastmod, STAMP2);
	char *raw = raw_event(B, "doctors/d0002", U("dental-s2.doctor-d0002"));
	assert_non_null(strstr(raw, "\r\nDTSTART;TZID=Asia/Shanghai:20260304T140000\r\n"));
	assert_non_null(strstr(raw, "\r\nSUMMARY;LANGUAGE=zh-CN:口腔保健 — 窝沟封闭\r\n"));
	assert_non_null(strstr(raw, "\r\nSTATUS:CANCELLED\r\n"));
	assert_null(strstr(raw, "VALARM"));
	free(raw);
	char *p2 = in_dir(B, "doctors/d0002");
	icalcomponent *c = parse(p2);
	free(p2);
	assert_true(icalrestriction_check(c));
	assert_string_equal(icalproperty_get_name(icalcomponent_get_first_property(c, ICAL_NAME_PROPERTY)),
	                    "田阳区2026年春季村医轮转培训 — 李四");
	icalcomponent_free(c);

	/* the same inputs again: byte-identical, nothing changed */
	assert_int_equal(replan(f, B2, B, STAMP3, 0, &chg), 0);
	assert_strv(&chg, NULL, 0);
	struct cmp cm = { B, B2, 0 };
	struct fx fb = *f;
	strcpy(fb.dir, B);
	each_file(&fb, same_file, &cm);
	char *ea = xasprintf("%s/state/events.csv", B), *eb = xasprintf("%s/state/events.csv", B2);
	char *sa = slurp(ea, NULL), *sb = slurp(eb, NULL);
	assert_string_equal(sa, sb);
	free(sa); free(sb); free(ea); free(eb);
	/* the cache off gives the same bytes */
	vd_ics_set_cache(0);
	rm_rf(B2);
	assert_non_null(mkdtemp(strcpy(B2, "/tmp/test_icsB2-XXXXXX")));
	assert_int_equal(replan(f, B2, B, STAMP3, 0, NULL), 0);
	vd_ics_set_cache(1);
	cm.n = 0;
	each_file(&fb, same_file, &cm);

	/* C: the C002 run is dropped: d0003 and cohort C002 hold cancellations;
	 * d0002's cancellations stay as they were */
	f->pl.nruns = 2;
	assert_int_equal(replan(f, Cd, B, STAMP3, 0, &chg), 0);
	f->pl.nruns = 3;
	static const char *const want_c[] = { "d0003" };
	assert_strv(&chg, want_c, 1);
	vd_strv_free(&chg);
	same_bytes(B, Cd, "doctors/d0002");
	same_bytes(B, Cd, "doctors/d0001");
	assert_int_equal(nevents(Cd, "doctors/d0003", ICAL_STATUS_CANCELLED), 3);
	assert_int_equal(nevents(Cd, "cohorts/C002", ICAL_STATUS_CANCELLED), 3);
	e = info(Cd, "doctors/d0003", U("tcm-s3.doctor-d0003"));
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.stamp, STAMP3);
	lint(B);
	lint(B2);
	lint(Cd);
	rm_rf(B);
	rm_rf(B2);
	rm_rf(Cd);
}

/* The freeze date: vanished events before it are history, kept as they
 * were; after it, cancelled.  A changed event comes back from CANCELLED. */
static void test_freeze(void **state)
{
	struct fx *f = *state;
	const char *A = f->dir;
	char B[] = "/tmp/test_icsF-XXXXXX", Cd[] = "/tmp/test_icsG-XXXXXX";
	assert_non_null(mkdtemp(B));
	assert_non_null(mkdtemp(Cd));
	/* C002's run (5 and 9 March) is dropped, frozen before 6 March */
	f->pl.nruns = 2;
	int rc = replan(f, B, A, STAMP2, vd_date_from_ymd(2026, 3, 6), NULL);
	f->pl.nruns = 3;
	assert_int_equal(rc, 0);
	same_event(A, B, "doctors/d0003", U("tcm-s1.doctor-d0003"));
	same_event(A, B, "doctors/d0003", U("tcm-s2.doctor-d0003"));
	struct evinfo e = info(B, "doctors/d0003", U("tcm-s3.doctor-d0003"));
	assert_int_equal(e.status, ICAL_STATUS_CANCELLED);
	assert_int_equal(e.seq, 1);
	/* it comes back: CONFIRMED, SEQUENCE 2 */
	assert_int_equal(replan(f, Cd, B, STAMP3, 0, NULL), 0);
	e = info(Cd, "doctors/d0003", U("tcm-s3.doctor-d0003"));
	assert_int_equal(e.status, ICAL_STATUS_CONFIRMED);
	assert_int_equal(e.seq, 2);
	assert_int_equal(e.stamp, STAMP3);
	same_event(A, Cd, "doctors/d0003", U("tcm-s1.doctor-d0003"));
	lint(B);
	lint(Cd);
	rm_rf(B);
	rm_rf(Cd);
}

/* A damaged previous folder: the error names the file. */
static void test_bad_previous(void **state)
{
	struct fx *f = *state;
	char B[] = "/tmp/test_icsH-XXXXXX";
	assert_non_null(mkdtemp(B));
	char *p = xasprintf("%s/state/events.csv", f->dir);
	FILE *fp = fopen(p, "ab");
	assert_non_null(fp);
	fputs("doctors/../x,u,0,20260101T000000Z,20260101T000000Z,0000000000000000,CONFIRMED\r\n", fp);
	fclose(fp);
	assert_int_equal(vd_ics_write_all(&f->p, &f->pl, B, STAMP2, f->dir, 0, NULL, &f->dg), -1);
	fflush(f->dgout);
	char *want = xasprintf("%s:33: error: calendar 'doctors/../x' is not valid", p);
	assert_non_null(strstr(f->diag, want));
	free(want);
	/* and a missing one */
	assert_int_equal(vd_ics_write_all(&f->p, &f->pl, B, STAMP2, "/nonexistent", 0, NULL, &f->dg), -1);
	fflush(f->dgout);
	assert_non_null(strstr(f->diag, "/nonexistent/state/events.csv: error: cannot read the previous plan's events"));
	free(p);
	/* the damaged row is dropped so that teardown's lint sees a good folder */
	rm_rf(B);
}

/* A re-plan in another time zone cannot keep the old events' times. */
static void test_replan_zone(void **state)
{
	struct fx *f = *state;
	char B[] = "/tmp/test_icsZ-XXXXXX";
	assert_non_null(mkdtemp(B));
	free(f->p.timezone);
	f->p.timezone = xstrdup("Europe/Berlin");
	f->pl.nruns = 2;
	int rc = vd_ics_write_all(&f->p, &f->pl, B, STAMP2, f->dir, 0, NULL, &f->dg);
	f->pl.nruns = 3;
	fflush(f->dgout);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(f->diag, "is in time zone 'Asia/Shanghai', this plan in 'Europe/Berlin'"));
	rm_rf(B);
}

/* 73- and 74-octet content lines are where libical 3.0 folds into the
 * line end: contacts of every length, every file lint-clean. */
static void test_fold_lengths(void **state)
{
	struct fx *f = *state;
	char d[] = "/tmp/test_icsL-XXXXXX";
	assert_non_null(mkdtemp(d));
	for (int n = 1; n <= 90; n++) {
		free(f->p.contact);
		f->p.contact = xmalloc((size_t)n + 1);
		for (int i = 0; i < n; i++)
			f->p.contact[i] = (char)('a' + i % 26);
		f->p.contact[n] = '\0';
		assert_int_equal(fx_write(f, d), 0);
		int folded = 0;
		struct fx fd = *f;
		strcpy(fd.dir, d);
		each_file(&fd, check_bytes, &folded);
	}
	lint(d);
	rm_rf(d);
}

/* ---- UIDs stable across plans; a kept event as it was ---- */

/* d0003's tcm run moved to other days and another cohort, written
 * afresh at another time: each session keeps its UID (so a phone updates
 * the event), and the three sessions' UIDs differ. */
static void test_uid_stable(void **state)
{
	struct fx *f = *state;
	char d2[] = "/tmp/test_icsU-XXXXXX";
	assert_non_null(mkdtemp(d2));
	struct vd_run *r = &f->pl.runs[2];
	r->dates[0] = vd_date_from_ymd(2026, 3, 12);
	r->dates[1] = vd_date_from_ymd(2026, 3, 13);
	strcpy(r->cohort, "C007");
	assert_int_equal(vd_ics_write_all(&f->p, &f->pl, d2, STAMP2, NULL, 0, NULL, &f->dg), 0);
	char *p1 = in_dir(f->dir, "doctors/d0003"), *p2 = in_dir(d2, "doctors/d0003");
	icalcomponent *c1 = parse(p1), *c2 = parse(p2);
	char **u1, **u2;
	size_t n1, n2;
	uids(c1, &u1, &n1);
	uids(c2, &u2, &n2);
	assert_int_equal(n1, 3);
	assert_int_equal(n2, 3);
	for (size_t i = 0; i < n1; i++) {
		assert_string_equal(u1[i], u2[i]);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(u1[i], u1[j]);
	}
	assert_string_equal(u2[1], U("tcm-s2.doctor-d0003"));
	/* the moved session is another event, under the same UID */
	char *e1 = raw_event(f->dir, "doctors/d0003", u1[1]), *e2 = raw_event(d2, "doctors/d0003", u2[1]);
	assert_string_not_equal(e1, e2);
	free(e1);
	free(e2);
	free_uids(u1, n1);
	free_uids(u2, n2);
	icalcomponent_free(c1);
	icalcomponent_free(c2);
	free(p1);
	free(p2);
	lint(d2);
	rm_rf(d2);
}

/* d0003's run dropped: its events are cancelled once (B), then kept by
 * every later plan byte for byte, stamps included (C, from B). */
static void test_kept_bytes(void **state)
{
	struct fx *f = *state;
	char B[] = "/tmp/test_icsKB-XXXXXX", Cd[] = "/tmp/test_icsKC-XXXXXX";
	assert_non_null(mkdtemp(B));
	assert_non_null(mkdtemp(Cd));
	f->pl.nruns = 2;
	assert_int_equal(replan(f, B, f->dir, STAMP2, 0, NULL), 0);
	assert_int_equal(replan(f, Cd, B, STAMP3, 0, NULL), 0);
	f->pl.nruns = 3;
	static const char *const ids[] = { U("tcm-s1.doctor-d0003"), U("tcm-s2.doctor-d0003"),
	                                   U("tcm-s3.doctor-d0003") };
	for (size_t i = 0; i < 3; i++) {
		struct evinfo in = info(B, "doctors/d0003", ids[i]);
		assert_int_equal(in.status, ICAL_STATUS_CANCELLED);
		assert_int_equal(in.seq, 1);
		assert_int_equal(in.stamp, STAMP2);
		same_event(B, Cd, "doctors/d0003", ids[i]);
	}
	same_bytes(B, Cd, "doctors/d0003");
	same_bytes(B, Cd, "cohorts/C002");
	lint(B);
	lint(Cd);
	rm_rf(B);
	rm_rf(Cd);
}

/* Keep a copy for the independent validators: ICS_TEST_KEEP=DIR. */
static void test_keep(void **state)
{
	struct fx *f = *state;
	const char *keep = getenv("ICS_TEST_KEEP");
	if (!keep || !*keep)
		skip();
	mkdir(keep, 0755);
	char *first = xasprintf("%s/first", keep), *again = xasprintf("%s/replan", keep);
	mkdir(first, 0755);
	mkdir(again, 0755);
	assert_int_equal(fx_write(f, first), 0);
	/* and a re-plan with a moved run, a doctor who left, a dropped run */
	f->pl.runs[1].dates[0] = vd_date_from_ymd(2026, 3, 6);
	f->pl.runs[0].nmembers = 1;
	f->pl.runs[1].nmembers = 1;
	f->pl.nruns = 2;
	int rc = replan(f, again, first, STAMP2, 0, NULL);
	f->pl.nruns = 3;
	assert_int_equal(rc, 0);
	free(first);
	free(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_doctor_sessions, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_bytes, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_bytes, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_restriction, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_restriction, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_uid_scheme, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_identical, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_method_org, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_method_noorg, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_alarms, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_content, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_english, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_bad_zone, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_other_zone, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_cannot_write, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_bad_id, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_ties, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_calname_escape, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_disk_full, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_replan, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_replan, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_freeze, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_bad_previous, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_replan_zone, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_fold_lengths, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_uid_stable, setup_noorg, teardown),
		cmocka_unit_test_setup_teardown(test_kept_bytes, setup_org, teardown),
		cmocka_unit_test_setup_teardown(test_keep, setup_org, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	icaltimezone_free_builtin_timezones();
	icalmemory_free_ring();
	return rc;
}

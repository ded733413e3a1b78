/* test_plugins.c -- the shipped course plugins (tcm, pediatrics, dental),
 * loaded as the host loads them: dlopen of the built NAME.so from
 * $VDSCHED_TEST_PLUGIN_DIR, driven through a fake host that serves the
 * [course NAME] section from an in-memory key = value list and records
 * every error and warning with the key it was reported at. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <vdsched/plugin.h>

/* ---- the fake host ---- */

#define MAXKV 16
#define MAXMSG 16

struct msg {
	int error;
	char key[64];     /* "" when reported at the section */
	char text[512];
};

struct vds_ctx {
	const char *name;
	const char *keys[MAXKV], *vals[MAXKV];
	size_t nkv;
	struct msg msgs[MAXMSG];
	size_t nmsgs, nerrors;
};

static void ctx_set(struct vds_ctx *c, const char *key, const char *val)
{
	assert_true(c->nkv < MAXKV);
	c->keys[c->nkv] = key;
	c->vals[c->nkv++] = val;
}

static const char *f_get(struct vds_ctx *c, const char *key)
{
	for (size_t i = 0; key && i < c->nkv; i++)
		if (!strcmp(c->keys[i], key))
			return c->vals[i];
	return NULL;
}

static void f_report(struct vds_ctx *c, int error, const char *key, const char *fmt, va_list ap)
{
	if (error)
		c->nerrors++;
	if (c->nmsgs == MAXMSG)
		return;
	struct msg *m = &c->msgs[c->nmsgs++];
	m->error = error;
	snprintf(m->key, sizeof m->key, "%s", key ? key : "");
	vsnprintf(m->text, sizeof m->text, fmt, ap);
}

static void f_error(struct vds_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f_report(c, 1, key, fmt, ap);
	va_end(ap);
}

static void f_warning(struct vds_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f_report(c, 0, key, fmt, ap);
	va_end(ap);
}

/* Unlike the real host this one does not let `sites` through by itself,
 * so a plugin that forgets it in its known list fails the tests. */
static int f_check_keys(struct vds_ctx *c, const char *const *known)
{
	int bad = 0;
	for (size_t i = 0; i < c->nkv; i++) {
		int ok = 0;
		for (const char *const *k = known; *k; k++)
			ok |= !strcmp(*k, c->keys[i]);
		if (!ok) {
			f_error(c, c->keys[i], "unknown key '%s'", c->keys[i]);
			bad++;
		}
	}
	return bad;
}

static int f_get_int(struct vds_ctx *c, const char *key, long def, long min, long max, long *out)
{
	const char *v = f_get(c, key);
	*out = def;
	if (!v || !*v)
		return 0;
	char *end;
	long x = strtol(v, &end, 10);
	if (end == v || *end || x < min || x > max) {
		f_error(c, key, "%s '%s' must be a whole number from %ld to %ld", key, v, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

static int f_get_days(struct vds_ctx *c, const char *key, unsigned def, unsigned *out)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	const char *v = f_get(c, key);
	*out = def;
	if (!v || !*v)
		return 0;
	unsigned mask = 0;
	char buf[128];
	snprintf(buf, sizeof buf, "%s", v);
	for (char *save, *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
		size_t i = 0;
		while (i < 7 && strcmp(w, names[i]))
			i++;
		if (i == 7) {
			f_error(c, key, "%s: '%s' is not a weekday", key, w);
			return -1;
		}
		mask |= 1u << i;
	}
	*out = mask;
	return 0;
}

static int f_get_bool(struct vds_ctx *c, const char *key, int def, int *out)
{
	const char *v = f_get(c, key);
	*out = def;
	if (!v || !*v)
		return 0;
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		return *out = 1, 0;
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		return *out = 0, 0;
	f_error(c, key, "%s '%s' must be yes or no", key, v);
	return -1;
}

static const char *f_name(struct vds_ctx *c)
{
	return c->name;
}

static const struct vds_host host = {
	.size = sizeof(struct vds_host),
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.get = f_get,
	.error = f_error,
	.warning = f_warning,
	.check_keys = f_check_keys,
	.get_int = f_get_int,
	.get_days = f_get_days,
	.get_bool = f_get_bool,
	.name = f_name,
};

/* ---- loading ---- */

struct loaded {
	void *dl;
	const struct vds_plugin *desc;
	struct vds_ctx ctx;
	struct vds_course course;
	int rc;
};

static void open_plugin(struct loaded *l, const char *name)
{
	const char *dir = getenv("VDSCHED_TEST_PLUGIN_DIR");
	if (!dir)
		dir = "plugins/.libs";
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.so", dir, name);
	memset(l, 0, sizeof *l);
	l->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!l->dl)
		fail_msg("cannot load %s: %s (set VDSCHED_TEST_PLUGIN_DIR)", path, dlerror());
	l->desc = dlsym(l->dl, VDS_PLUGIN_SYMBOL);
	assert_non_null(l->desc);
	l->ctx.name = name;
	l->course.size = sizeof l->course;
}

/* Runs init with the options set so far. */
static int init_plugin(struct loaded *l)
{
	l->rc = l->desc->init(&host, &l->ctx, &l->course);
	return l->rc;
}

static void close_plugin(struct loaded *l)
{
	if (l->desc->fini)
		l->desc->fini(&l->course);
	dlclose(l->dl);
}

/* Loads NAME with the given NULL-terminated key, value pairs and inits. */
static int load(struct loaded *l, const char *name, ...)
{
	open_plugin(l, name);
	va_list ap;
	va_start(ap, name);
	for (const char *k; (k = va_arg(ap, const char *));)
		ctx_set(&l->ctx, k, va_arg(ap, const char *));
	va_end(ap);
	return init_plugin(l);
}

static void assert_ok(struct loaded *l)
{
	if (l->rc != 0 || l->ctx.nerrors)
		fail_msg("init failed (rc %d): %s: %s", l->rc,
		         l->ctx.nmsgs ? l->ctx.msgs[0].key : "", l->ctx.nmsgs ? l->ctx.msgs[0].text : "");
}

/* The first error reported, which must be at `key`. */
static const char *error_at(struct loaded *l, const char *key)
{
	assert_int_not_equal(l->rc, 0);
	assert_true(l->ctx.nerrors > 0);
	for (size_t i = 0; i < l->ctx.nmsgs; i++)
		if (l->ctx.msgs[i].error) {
			assert_string_equal(l->ctx.msgs[i].key, key);
			return l->ctx.msgs[i].text;
		}
	fail_msg("no error recorded");
	return NULL;
}

static int has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

/* What the host's validate_course checks, and a little more. */
static void check_course(const struct vds_course *c)
{
	assert_true(c->days >= 1 && c->days <= 60);
	assert_non_null(c->title);
	assert_true(*c->title);
	assert_string_equal(c->lang, "zh-CN");
	assert_non_null(c->category);
	assert_non_null(c->sessions);
	assert_true(c->nsessions > 0);
	assert_int_equal(c->weekdays & ~(unsigned)VDS_ALLDAYS, 0);
	if (c->min_size && c->max_size)
		assert_true(c->min_size <= c->max_size);
	if (c->max_span)
		assert_true(c->max_span >= c->days);
	int *used = calloc(c->days, sizeof *used);
	assert_non_null(used);
	for (size_t i = 0; i < c->nsessions; i++) {
		const struct vds_session *s = &c->sessions[i];
		assert_true(s->day < c->days);
		assert_true(s->start < s->end);
		assert_true(s->end <= 24 * 60);
		assert_non_null(s->title);
		assert_true(*s->title);
		assert_non_null(s->module);
		assert_non_null(s->description);
		used[s->day] = 1;
		for (size_t j = 0; j < i; j++) {
			const struct vds_session *o = &c->sessions[j];
			assert_false(o->day == s->day && o->start < s->end && s->start < o->end);
		}
	}
	for (unsigned d = 0; d < c->days; d++)
		assert_true(used[d]);  /* no empty teaching day */
	free(used);
	for (size_t i = 0; i < c->nfeatures; i++)
		assert_non_null(c->features[i]);
	for (size_t i = 0; i < c->nprereqs; i++)
		assert_non_null(c->prereqs[i]);
	for (size_t i = 0; i < c->nresources; i++)
		assert_non_null(c->resources[i].name);
}

static size_t sessions_on(const struct vds_course *c, unsigned day)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nsessions; i++)
		n += c->sessions[i].day == day;
	return n;
}

static int any_title_has(const struct vds_course *c, const char *s)
{
	for (size_t i = 0; i < c->nsessions; i++)
		if (strstr(c->sessions[i].title, s))
			return 1;
	return 0;
}

/* ---- descriptors ---- */

static void test_descriptors(void **st)
{
	(void)st;
	static const char *const names[] = { "tcm", "pediatrics", "dental" };
	for (size_t i = 0; i < 3; i++) {
		struct loaded l;
		open_plugin(&l, names[i]);
		assert_int_equal(l.desc->abi_major, VDS_ABI_MAJOR);
		assert_int_equal(l.desc->abi_minor, VDS_ABI_MINOR);
		assert_string_equal(l.desc->name, names[i]);
		assert_non_null(l.desc->version);
		assert_non_null(l.desc->description);
		assert_non_null(l.desc->init);
		assert_non_null(l.desc->fini);
		/* only the descriptor is exported */
		assert_null(dlsym(l.dl, "tcm_init"));
		assert_null(dlsym(l.dl, "own"));
		dlclose(l.dl);
	}
}

static void test_old_host_refused(void **st)
{
	(void)st;
	static const char *const names[] = { "tcm", "pediatrics", "dental" };
	for (size_t i = 0; i < 3; i++) {
		struct loaded l;
		open_plugin(&l, names[i]);
		struct vds_host small = host;
		small.size = offsetof(struct vds_host, get_days);
		assert_int_not_equal(l.desc->init(&small, &l.ctx, &l.course), 0);
		close_plugin(&l);
	}
}

/* ---- tcm ---- */

static void test_tcm_default(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "tcm", "sites", "county_hospital pohong_branch", NULL);
	assert_ok(&l);
	const struct vds_course *c = &l.course;
	check_course(c);
	assert_true(c->id == NULL || !strcmp(c->id, "tcm"));
	assert_string_equal(c->title, "中医适宜技术");
	assert_int_equal(c->days, 4);
	assert_int_equal(c->nsessions, 8);
	assert_int_equal(c->weekdays, 0);
	assert_int_equal(c->max_size, 30);
	assert_int_equal(c->nprereqs, 0);
	assert_int_equal(c->nresources, 0);
	assert_false(c->needs_instructor);
	assert_null(c->eligible);
	assert_int_equal(c->nfeatures, 1);
	assert_string_equal(c->features[0], "skills_lab");
	static const char *const mods[] = { "针刺", "推拿", "拔罐", "艾灸" };
	for (unsigned d = 0; d < 4; d++) {
		assert_int_equal(sessions_on(c, d), 2);
		const struct vds_session *m = &c->sessions[2 * d], *a = &c->sessions[2 * d + 1];
		assert_int_equal(m->day, d);
		assert_int_equal(m->start, 8 * 60 + 30);
		assert_int_equal(m->end, 11 * 60 + 30);
		assert_int_equal(a->start, 14 * 60 + 30);
		assert_int_equal(a->end, 17 * 60 + 30);
		assert_string_equal(m->module, mods[d]);
		assert_string_equal(a->module, mods[d]);
		assert_non_null(strstr(m->title, "理论"));
		assert_non_null(strstr(a->title, "实操"));
	}
	/* what to bring, per session */
	assert_non_null(strstr(c->sessions[0].description, "针"));
	assert_non_null(strstr(c->sessions[6].description, "艾条"));
	assert_non_null(strstr(c->sessions[6].description, "由培训点提供"));
	assert_non_null(strstr(c->sessions[1].description, "宽松衣物"));
	close_plugin(&l);
}

static void test_tcm_techniques(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "tcm", "techniques", "scraping, plaster", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_int_equal(l.course.days, 2);
	assert_int_equal(l.course.nsessions, 4);
	assert_string_equal(l.course.sessions[0].module, "刮痧");
	assert_string_equal(l.course.sessions[2].module, "敷贴");
	assert_true(any_title_has(&l.course, "刮痧"));
	assert_true(any_title_has(&l.course, "敷贴"));
	assert_false(any_title_has(&l.course, "针刺"));
	close_plugin(&l);

	load(&l, "tcm", "techniques", "acupuncture massage cupping moxibustion scraping fumigation plaster",
	     "days_per_technique", "2", "assessment", "yes", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_int_equal(l.course.days, 15);
	assert_int_equal(l.course.nsessions, 29);
	assert_true(any_title_has(&l.course, "熏洗"));
	const struct vds_session *last = &l.course.sessions[28];
	assert_int_equal(last->day, 14);
	assert_non_null(strstr(last->title, "考核"));
	assert_true(last->end <= 12 * 60);  /* a half day */
	assert_true(l.course.max_span >= 15);
	close_plugin(&l);
}

static void test_tcm_times_and_days(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "tcm", "morning", "08:00-11:00", "afternoon", "15:00-18:00",
	     "weekdays", "sat sun", "max_size", "20", "max_span", "30", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_int_equal(l.course.sessions[0].start, 8 * 60);
	assert_int_equal(l.course.sessions[1].end, 18 * 60);
	assert_int_equal(l.course.weekdays, VDS_WEEKEND);
	assert_int_equal(l.course.max_size, 20);
	assert_int_equal(l.course.max_span, 30);
	close_plugin(&l);

	load(&l, "tcm", "afternoon", "11:00-13:00", NULL);
	assert_non_null(strstr(error_at(&l, "afternoon"), "before"));
	close_plugin(&l);

	load(&l, "tcm", "morning", "8.30 to 11.30", NULL);
	assert_non_null(strstr(error_at(&l, "morning"), "8.30 to 11.30"));
	close_plugin(&l);

	load(&l, "tcm", "days_per_technique", "4", NULL);
	error_at(&l, "days_per_technique");
	close_plugin(&l);

	load(&l, "tcm", "max_span", "3", NULL);
	error_at(&l, "max_span");
	close_plugin(&l);
}

static void test_tcm_unknown_technique(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "tcm", "techniques", "acupuncture qigong", NULL);
	const char *e = error_at(&l, "techniques");
	assert_non_null(strstr(e, "'qigong'"));
	assert_non_null(strstr(e, "acupuncture massage cupping moxibustion scraping fumigation plaster"));
	close_plugin(&l);

	load(&l, "tcm", "techniques", "massage massage", NULL);
	assert_non_null(strstr(error_at(&l, "techniques"), "twice"));
	close_plugin(&l);
}

static void test_tcm_requires_and_keys(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "tcm", "requires", "pediatrics dental", NULL);
	assert_ok(&l);
	assert_int_equal(l.course.nprereqs, 2);
	assert_string_equal(l.course.prereqs[0], "pediatrics");
	assert_string_equal(l.course.prereqs[1], "dental");
	close_plugin(&l);

	load(&l, "tcm", "requires", "../etc", NULL);
	assert_non_null(strstr(error_at(&l, "requires"), "../etc"));
	close_plugin(&l);

	load(&l, "tcm", "requires", "tcm", NULL);
	error_at(&l, "requires");
	close_plugin(&l);

	load(&l, "tcm", "tecniques", "massage", NULL);
	error_at(&l, "tecniques");
	close_plugin(&l);
}

/* ---- pediatrics ---- */

static void test_peds_default(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "pediatrics", "sites", "county_hospital", NULL);
	assert_ok(&l);
	const struct vds_course *c = &l.course;
	check_course(c);
	assert_int_equal(c->days, 5);
	assert_int_equal(c->weekdays, VDS_WEEKDAYS);
	assert_false(c->needs_instructor);
	assert_int_equal(c->max_size, 24);
	assert_null(c->eligible);
	assert_string_equal(c->sessions[0].module, "危险体征与转诊");
	assert_true(any_title_has(c, "肺炎"));
	assert_true(any_title_has(c, "腹泻"));
	assert_true(any_title_has(c, "营养不良"));
	assert_false(any_title_has(c, "免疫接种"));
	for (unsigned d = 0; d < 5; d++)
		assert_int_equal(sessions_on(c, d), 2);
	close_plugin(&l);

	load(&l, "pediatrics", "days", "6", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_true(any_title_has(&l.course, "免疫接种"));
	close_plugin(&l);
}

static void test_peds_weekend(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "pediatrics", "weekend", "yes", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_int_equal(l.course.weekdays, VDS_WEEKEND);
	assert_true(l.course.needs_instructor);
	assert_true(l.course.max_span >= 7 * 2 + 2);  /* five days = three weekends */
	close_plugin(&l);

	load(&l, "pediatrics", "weekend", "yes", "instructor", "none", NULL);
	assert_ok(&l);
	assert_false(l.course.needs_instructor);
	close_plugin(&l);

	load(&l, "pediatrics", "instructor", "required", NULL);
	assert_ok(&l);
	assert_true(l.course.needs_instructor);
	assert_int_equal(l.course.weekdays, VDS_WEEKDAYS);
	close_plugin(&l);

	load(&l, "pediatrics", "instructor", "maybe", NULL);
	assert_non_null(strstr(error_at(&l, "instructor"), "required"));
	close_plugin(&l);

	load(&l, "pediatrics", "weekend", "sometimes", NULL);
	error_at(&l, "weekend");
	close_plugin(&l);
}

static void test_peds_days(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "pediatrics", "days", "3", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_int_equal(l.course.days, 3);
	assert_true(any_title_has(&l.course, "危险体征"));
	assert_true(any_title_has(&l.course, "肺炎"));
	assert_true(any_title_has(&l.course, "腹泻"));
	assert_false(any_title_has(&l.course, "麻疹"));
	close_plugin(&l);

	load(&l, "pediatrics", "days", "2", NULL);
	error_at(&l, "days");
	close_plugin(&l);
	load(&l, "pediatrics", "days", "7", NULL);
	error_at(&l, "days");
	close_plugin(&l);
}

static void test_peds_eligibility(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "pediatrics", "exclude_completed", "pediatrics-basic imci2019", NULL);
	assert_ok(&l);
	const struct vds_course *c = &l.course;
	assert_non_null(c->eligible);
	const char *const done1[] = { "tcm", "pediatrics-basic" };
	const char *const done2[] = { "tcm", "dental" };
	struct vds_doctor_view a = { "d1", "张医生", "c1", "pohong", done1, 2 };
	struct vds_doctor_view b = { "d2", "李医生", "c2", "pohong", done2, 2 };
	struct vds_doctor_view n = { "d3", "王医生", "c3", "pohong", NULL, 0 };
	const char *why = NULL;
	assert_int_equal(c->eligible(c->state, &a, &why), 0);
	assert_non_null(why);
	assert_non_null(strstr(why, "已完成"));
	assert_non_null(strstr(why, "pediatrics-basic"));
	why = NULL;
	assert_int_equal(c->eligible(c->state, &b, &why), 1);
	assert_int_equal(c->eligible(c->state, &n, &why), 1);
	close_plugin(&l);

	load(&l, "pediatrics", "exclude_completed", "ok bad/id", NULL);
	assert_non_null(strstr(error_at(&l, "exclude_completed"), "bad/id"));
	close_plugin(&l);
}

/* ---- dental ---- */

static void test_dental_default(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "dental", "sites", "county_hospital", NULL);
	assert_ok(&l);
	const struct vds_course *c = &l.course;
	check_course(c);
	assert_int_equal(c->days, 3);
	assert_int_equal(c->nresources, 1);
	assert_string_equal(c->resources[0].name, "dental_chairs");
	assert_int_equal(c->resources[0].per, 3);
	/* the chairs qualify a site: no second marker feature by default */
	assert_int_equal(c->nfeatures, 0);
	assert_true(any_title_has(c, "涂氟"));
	assert_true(any_title_has(c, "窝沟封闭"));
	assert_true(any_title_has(c, "口腔健康教育"));
	assert_true(any_title_has(c, "考核"));
	int saw = 0;
	for (size_t i = 0; i < c->nsessions; i++)
		if (!strcmp(c->sessions[i].module, "涂氟"))
			saw |= strstr(c->sessions[i].description, "3～6岁") != NULL;
	assert_true(saw);
	close_plugin(&l);

	load(&l, "dental", "exam", "no", NULL);
	assert_ok(&l);
	check_course(&l.course);
	assert_false(any_title_has(&l.course, "考核"));
	close_plugin(&l);
}

static void test_dental_chairs(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "dental", "trainees_per_chair", "2", NULL);
	assert_ok(&l);
	assert_int_equal(l.course.resources[0].per, 2);
	assert_true(strstr(l.course.sessions[2].description, "每台牙椅2人") != NULL);
	close_plugin(&l);

	load(&l, "dental", "trainees_per_chair", "0", NULL);
	assert_non_null(strstr(error_at(&l, "trainees_per_chair"), "'0'"));
	close_plugin(&l);

	load(&l, "dental", "trainees_per_chair", "7", NULL);
	error_at(&l, "trainees_per_chair");
	close_plugin(&l);
}

static void test_dental_features(void **st)
{
	(void)st;
	struct loaded l;
	load(&l, "dental", "features", "dental_unit xray", NULL);
	assert_ok(&l);
	assert_int_equal(l.course.nfeatures, 2);
	assert_true(has(l.course.features, 2, "xray"));
	close_plugin(&l);

	load(&l, "dental", "features", "", NULL);
	assert_ok(&l);
	assert_int_equal(l.course.nfeatures, 0);
	close_plugin(&l);

	/* options split as the core splits lists: full-width ，、 and U+3000 */
	load(&l, "dental", "features", "xray，classroom、skills_lab\u3000lab2", NULL);
	assert_ok(&l);
	assert_int_equal(l.course.nfeatures, 4);
	assert_true(has(l.course.features, 4, "classroom"));
	assert_true(has(l.course.features, 4, "lab2"));
	close_plugin(&l);

	load(&l, "dental", "features", "牙椅", "requires", "tcm", NULL);
	error_at(&l, "features");
	close_plugin(&l);

	load(&l, "dental", "requires", "tcm", NULL);
	assert_ok(&l);
	assert_int_equal(l.course.nprereqs, 1);
	assert_string_equal(l.course.prereqs[0], "tcm");
	close_plugin(&l);
}

/* Every option combination the manuals show gives a course the host takes. */
static void test_all_valid(void **st)
{
	(void)st;
	static const char *const techs[] = {
		"acupuncture", "massage cupping", "moxibustion scraping fumigation plaster",
		"acupuncture massage cupping moxibustion scraping fumigation plaster"
	};
	char per[2] = "1";
	for (size_t i = 0; i < 4; i++)
		for (per[0] = '1'; per[0] <= '3'; per[0]++)
			for (int a = 0; a < 2; a++) {
				struct loaded l;
				load(&l, "tcm", "techniques", techs[i], "days_per_technique", per,
				     "assessment", a ? "yes" : "no", NULL);
				assert_ok(&l);
				check_course(&l.course);
				close_plugin(&l);
			}
	char days[2] = "3";
	for (days[0] = '3'; days[0] <= '6'; days[0]++)
		for (int w = 0; w < 2; w++) {
			struct loaded l;
			load(&l, "pediatrics", "days", days, "weekend", w ? "yes" : "no", NULL);
			assert_ok(&l);
			check_course(&l.course);
			assert_int_equal(l.course.days, (unsigned)(days[0] - '0'));
			close_plugin(&l);
		}
	char tpc[2] = "1";
	for (tpc[0] = '1'; tpc[0] <= '6'; tpc[0]++)
		for (int e = 0; e < 2; e++) {
			struct loaded l;
			load(&l, "dental", "trainees_per_chair", tpc, "exam", e ? "yes" : "no", NULL);
			assert_ok(&l);
			check_course(&l.course);
			close_plugin(&l);
		}
}

/* fini after a failed init frees the partial course (the host calls it). */
static void test_fini_after_failure(void **st)
{
	(void)st;
	static const char *const names[] = { "tcm", "pediatrics", "dental" };
	for (size_t i = 0; i < 3; i++) {
		struct loaded l;
		load(&l, names[i], "requires", "ok x/y", "max_size", "0", NULL);
		assert_int_not_equal(l.rc, 0);
		assert_true(l.ctx.nerrors >= 2);  /* every problem, not just the first */
		close_plugin(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_old_host_refused),
		cmocka_unit_test(test_tcm_default),
		cmocka_unit_test(test_tcm_techniques),
		cmocka_unit_test(test_tcm_times_and_days),
		cmocka_unit_test(test_tcm_unknown_technique),
		cmocka_unit_test(test_tcm_requires_and_keys),
		cmocka_unit_test(test_peds_default),
		cmocka_unit_test(test_peds_weekend),
		cmocka_unit_test(test_peds_days),
		cmocka_unit_test(test_peds_eligibility),
		cmocka_unit_test(test_dental_default),
		cmocka_unit_test(test_dental_chairs),
		cmocka_unit_test(test_dental_features),
		cmocka_unit_test(test_all_valid),
		cmocka_unit_test(test_fini_after_failure),
	};
	return cmocka_run_group_tests_name("plugins", tests, NULL, NULL);
}

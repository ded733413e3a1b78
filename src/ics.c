/* ics.c -- see ics.h */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libical/ical.h>
#include "ics.h"
#include "xalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

#define IOBUF_SIZE (1u << 20)
#define CACHE_SLOTS 2048u    /* serialized events kept, ~1.3 KB each */

static int cache_on = 1;

void vd_ics_set_cache(int on)
{
	cache_on = on != 0;
}

/* ---- small helpers ---- */

struct sbuf { char *s; size_t n, cap; };

static void sb_catn(struct sbuf *b, const char *s, size_t n)
{
	xgrow(&b->s, &b->cap, b->n + n + 1, 1);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_cat(struct sbuf *b, const char *s)
{
	sb_catn(b, s, strlen(s));
}

/* Appends s with control characters other than \n (kept only when keep_nl)
 * turned into spaces; in a parameter value (param) '"' becomes '\''. */
static void sb_clean(struct sbuf *b, const char *s, int keep_nl, int param)
{
	size_t start = b->n;
	sb_cat(b, s ? s : "");
	for (char *c = b->s + start; *c; c++) {
		unsigned char ch = (unsigned char)*c;
		if ((ch < 0x20 && !(ch == '\n' && keep_nl)) || ch == 0x7f)
			*c = ' ';
		else if (param && ch == '"')
			*c = '\'';
	}
}

static void sb_reset(struct sbuf *b)
{
	b->n = 0;
	if (b->s)
		b->s[0] = '\0';
}

static const char *course_id(const struct vd_program *p, size_t c)
{
	const struct vds_course *def = p->courses[c].def;
	return def && def->id ? def->id : p->courses[c].name;
}

static int lang_en(const struct vds_course *def)
{
	return def->lang && (def->lang[0] == 'e' || def->lang[0] == 'E') &&
	       (def->lang[1] == 'n' || def->lang[1] == 'N');
}

static int nonempty(const char *s)
{
	return s && *s;
}

/* ---- time zone ---- */

static icalcomponent *load_zone(const char *tzid)
{
	if (!nonempty(tzid) || tzid[0] == '/' || strstr(tzid, ".."))
		return NULL;
	return icaltzutil_fetch_timezone(tzid);
}

int vd_ics_check_timezone(const char *tzid)
{
	icalcomponent *c = load_zone(tzid);
	if (!c)
		return -1;
	icalcomponent_free(c);
	return 0;
}

static icaltimetype utc_day(int y, int m, int d)
{
	icaltimetype t = icaltime_null_time();
	t.year = y;
	t.month = m;
	t.day = d;
	t.is_date = 0;
	t.zone = icaltimezone_get_utc_timezone();
	return t;
}

/* ---- the writer ---- */

struct ev {
	int64_t start;      /* local minutes since 1970-01-01 */
	size_t run;
	unsigned sess;
};

/* One cached event: session sess of run, serialized without UID. */
struct slot {
	size_t run;          /* VD_NONE when empty */
	unsigned sess;
	char *txt;
	size_t len, hl;      /* its length; length of its first line */
};

struct ctx {
	const struct vd_program *p;
	const struct vd_plan *pl;
	struct vd_diag *dg;
	const char *tzid;
	char *vtz;                   /* serialized VTIMEZONE */
	char *head;                  /* serialized calendar properties */
	size_t split;                /* where END:VCALENDAR starts in head */
	icalproperty *nameprop, *xnameprop;
	icaltimetype stamp;
	struct ev *ev;
	size_t nev, evcap;
	struct slot *slots;
	char *iobuf;
	icalproperty *uidprop;
	struct sbuf uid, tmp, tmp2;
	const char *kind, *owner;    /* current file's owner */
	/* the current file */
	FILE *f;
	char *path;
	int err;
};

static void make_uid(struct ctx *C, size_t r, unsigned s)
{
	const struct vd_run *run = &C->pl->runs[r];
	char num[24];
	snprintf(num, sizeof num, "-s%u.", s + 1);
	sb_reset(&C->uid);
	sb_cat(&C->uid, course_id(C->p, run->course));
	/* A doctor (and a cohort) takes a course once, so their UIDs leave the
	 * cohort out: when a re-plan moves a doctor to another cohort, the
	 * phone updates the event instead of keeping a stale copy.  Sites and
	 * instructors hold several runs of a course, told apart by cohort. */
	if (strcmp(C->kind, "doctor") != 0 && strcmp(C->kind, "cohort") != 0) {
		sb_cat(&C->uid, "-");
		sb_cat(&C->uid, run->cohort);
	}
	sb_cat(&C->uid, num);
	sb_cat(&C->uid, C->kind);
	sb_cat(&C->uid, "-");
	sb_cat(&C->uid, C->owner);
	sb_cat(&C->uid, ".");
	sb_cat(&C->uid, C->p->id ? C->p->id : "vdsched");
	sb_cat(&C->uid, "@vdsched");
}

static void add_text_prop(icalcomponent *ev, icalproperty *prop, const char *lang)
{
	if (nonempty(lang))
		icalproperty_add_parameter(prop, icalparameter_new_language(lang));
	icalcomponent_add_property(ev, prop);
}

static icalproperty *local_time_prop(struct ctx *C, int dtend, vd_date day, unsigned min)
{
	int y, m, d;
	vd_date_to_ymd(day, &y, &m, &d);
	icaltimetype t = icaltime_null_time();
	t.year = y;
	t.month = m;
	t.day = d;
	icaltime_adjust(&t, 0, 0, (int)min, 0);
	icalproperty *prop = dtend ? icalproperty_new_dtend(t) : icalproperty_new_dtstart(t);
	icalproperty_add_parameter(prop, icalparameter_new_tzid(C->tzid));
	return prop;
}

/* One VEVENT for session s of run r; with UID when uid is not NULL (it is
 * then the first property, as the cached form relies on). */
static icalcomponent *build_event(struct ctx *C, size_t r, unsigned s, const char *uid)
{
	const struct vd_program *p = C->p;
	const struct vd_run *run = &C->pl->runs[r];
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	const struct vd_site *site = &p->sites[run->site];
	int en = lang_en(def);
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

	if (uid)
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(C->stamp));
	icalcomponent_add_property(ev, icalproperty_new_sequence(0));
	icalcomponent_add_property(ev, local_time_prop(C, 0, run->dates[se->day], se->start));
	icalcomponent_add_property(ev, local_time_prop(C, 1, run->dates[se->day], se->end));

	/* SUMMARY: "课程 — 本节" */
	struct sbuf *b = &C->tmp;
	sb_reset(b);
	sb_clean(b, def->title ? def->title : course_id(p, run->course), 0, 0);
	if (nonempty(se->title)) {
		sb_cat(b, " — ");
		sb_clean(b, se->title, 0, 0);
	}
	add_text_prop(ev, icalproperty_new_summary(b->s), def->lang);
	struct sbuf *summary = &C->tmp2;
	sb_reset(summary);
	sb_catn(summary, b->s, b->n);

	/* LOCATION: site name, address */
	sb_reset(b);
	sb_clean(b, nonempty(site->name) ? site->name : site->id, 0, 0);
	if (nonempty(site->address)) {
		sb_cat(b, en ? ", " : "，");
		sb_clean(b, site->address, 0, 0);
	}
	icalcomponent_add_property(ev, icalproperty_new_location(b->s));
	if ((site->lat != 0 || site->lon != 0) && site->lat >= -90 && site->lat <= 90 &&
	    site->lon >= -180 && site->lon <= 180) {
		struct icalgeotype g;
		memset(&g, 0, sizeof g);
		g.lat = site->lat;
		g.lon = site->lon;
		icalcomponent_add_property(ev, icalproperty_new_geo(g));
	}

	/* DESCRIPTION */
	sb_reset(b);
	char line[96];
	if (nonempty(se->module)) {
		sb_cat(b, en ? "Module: " : "模块：");
		sb_clean(b, se->module, 0, 0);
		sb_cat(b, "\n");
	}
	if (nonempty(se->description)) {
		sb_clean(b, se->description, 1, 0);
		sb_cat(b, "\n");
	}
	if (nonempty(def->bring)) {
		sb_cat(b, en ? "Bring: " : "请携带：");
		sb_clean(b, def->bring, 0, 0);
		sb_cat(b, "\n");
	}
	if (en)
		snprintf(line, sizeof line, "Session %u of %zu, day %u of %u\n",
		         s + 1, def->nsessions, se->day + 1, def->days);
	else
		snprintf(line, sizeof line, "课次：第%u节，共%zu节（第%u天，共%u天）\n",
		         s + 1, def->nsessions, se->day + 1, def->days);
	sb_cat(b, line);
	sb_cat(b, en ? "Cohort: " : "班级：");
	sb_clean(b, run->cohort, 0, 0);
	sb_cat(b, "\n");
	if (run->instructor != VD_NONE) {
		const struct vd_instructor *in = &p->instructors[run->instructor];
		sb_cat(b, en ? "Instructor: " : "教师：");
		sb_clean(b, nonempty(in->name) ? in->name : in->id, 0, 0);
		sb_cat(b, "\n");
	}
	if (nonempty(p->contact)) {
		sb_cat(b, en ? "Contact: " : "联系：");
		sb_clean(b, p->contact, 0, 0);
		sb_cat(b, "\n");
	}
	if (b->n && b->s[b->n - 1] == '\n')
		b->s[--b->n] = '\0';
	add_text_prop(ev, icalproperty_new_description(b->s), def->lang);

	sb_reset(b);
	sb_clean(b, nonempty(def->category) ? def->category
	            : def->title ? def->title : course_id(p, run->course), 0, 0);
	icalcomponent_add_property(ev, icalproperty_new_categories(b->s));
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));

	if (nonempty(p->organizer)) {
		sb_reset(b);
		if (!strchr(p->organizer, ':'))
			sb_cat(b, "mailto:");
		sb_clean(b, p->organizer, 0, 0);
		icalproperty *org = icalproperty_new_organizer(b->s);
		if (nonempty(p->contact)) {
			sb_reset(b);
			sb_clean(b, p->contact, 0, 1);
			icalproperty_add_parameter(org, icalparameter_new_cn(b->s));
		}
		icalcomponent_add_property(ev, org);
	}

	for (size_t a = 0; a < p->nalarms; a++) {
		icalcomponent *al = icalcomponent_new(ICAL_VALARM_COMPONENT);
		icalcomponent_add_property(al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
		struct icaltriggertype tr = icaltriggertype_from_int(-p->alarms[a] * 60);
		icalcomponent_add_property(al, icalproperty_new_trigger(tr));
		icalcomponent_add_property(al, icalproperty_new_description(summary->s));
		icalcomponent_add_component(ev, al);
	}
	return ev;
}

/* ---- output ---- */

static void put(struct ctx *C, const char *s, size_t n)
{
	if (!C->err && n && fwrite(s, 1, n, C->f) != n)
		C->err = errno ? errno : EIO;
}

static void slot_clear(struct slot *sl)
{
	icalmemory_free_buffer(sl->txt);
	memset(sl, 0, sizeof *sl);
	sl->run = VD_NONE;
}

static void write_event(struct ctx *C, const struct ev *e)
{
	make_uid(C, e->run, e->sess);
	if (!cache_on) {
		icalcomponent *ev = build_event(C, e->run, e->sess, C->uid.s);
		char *s = icalcomponent_as_ical_string_r(ev);
		put(C, s, strlen(s));
		icalmemory_free_buffer(s);
		icalcomponent_free(ev);
		return;
	}
	struct slot *sl = &C->slots[((uint64_t)e->run * 61 + e->sess) % CACHE_SLOTS];
	if (sl->run != e->run || sl->sess != e->sess) {
		slot_clear(sl);
		icalcomponent *ev = build_event(C, e->run, e->sess, NULL);
		char *s = icalcomponent_as_ical_string_r(ev);
		icalcomponent_free(ev);
		char *nl = strstr(s, "\r\n");   /* end of BEGIN:VEVENT */
		sl->run = e->run;
		sl->sess = e->sess;
		sl->txt = s;
		sl->len = strlen(s);
		sl->hl = nl ? (size_t)(nl + 2 - s) : 0;
	}
	icalproperty_set_uid(C->uidprop, C->uid.s);
	char *u = icalproperty_as_ical_string_r(C->uidprop);
	put(C, sl->txt, sl->hl);
	put(C, u, strlen(u));
	put(C, sl->txt + sl->hl, sl->len - sl->hl);
	icalmemory_free_buffer(u);
}

static void uid_prefix(const struct ctx *C, const struct ev *e, char *buf, size_t n)
{
	const struct vd_run *run = &C->pl->runs[e->run];
	snprintf(buf, n, "%s-%s-s%u", course_id(C->p, run->course), run->cohort, e->sess + 1);
}

static int cmp_ev(const void *a, const void *b, void *arg)
{
	const struct ev *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* same start: by UID (the rest of the UID is the file's own) */
	char ux[160], uy[160];
	uid_prefix(arg, x, ux, sizeof ux);
	uid_prefix(arg, y, uy, sizeof uy);
	int c = strcmp(ux, uy);
	if (c)
		return c;
	return x->run != y->run ? (x->run < y->run ? -1 : 1)
	                        : (x->sess > y->sess) - (x->sess < y->sess);
}

static int add_run_events(struct ctx *C, size_t r)
{
	const struct vd_run *run = &C->pl->runs[r];
	const struct vds_course *def = C->p->courses[run->course].def;
	for (size_t s = 0; s < def->nsessions; s++) {
		const struct vds_session *se = &def->sessions[s];
		if (se->day >= def->days) {
			vd_error(C->dg, NULL, 0, _("course %s: session %zu is on run day %u but the course has %u days"),
			         course_id(C->p, run->course), s + 1, se->day + 1, def->days);
			return -1;
		}
		xgrow(&C->ev, &C->evcap, C->nev + 1, sizeof *C->ev);
		struct ev *e = &C->ev[C->nev++];
		e->start = (int64_t)run->dates[se->day] * 1440 + se->start;
		e->run = r;
		e->sess = (unsigned)s;
	}
	return 0;
}

/* The calendar's fixed properties, serialized once: C->head holds
 * "BEGIN:VCALENDAR ... " up to END:VCALENDAR, which starts at C->split. */
static void header(struct ctx *C)
{
	const struct vd_program *p = C->p;
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//vdsched//vdsched " PACKAGE_VERSION "//ZH"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	if (nonempty(p->organizer))
		icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalproperty *x = icalproperty_new_x(C->tzid);
	icalproperty_set_x_name(x, "X-WR-TIMEZONE");
	icalcomponent_add_property(cal, x);
	C->head = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	char *end = strstr(C->head, "END:VCALENDAR");
	C->split = end ? (size_t)(end - C->head) : strlen(C->head);
	C->nameprop = icalproperty_new_name("");
	icalproperty_add_parameter(C->nameprop, icalparameter_new_language("zh-CN"));
	C->xnameprop = icalproperty_new_x("");
	icalproperty_set_x_name(C->xnameprop, "X-WR-CALNAME");
}

/* NAME and X-WR-CALNAME, the calendar's own */
static void put_names(struct ctx *C, const char *calname)
{
	icalproperty_set_name(C->nameprop, calname);
	icalproperty_set_x(C->xnameprop, calname);
	char *a = icalproperty_as_ical_string_r(C->nameprop);
	char *b = icalproperty_as_ical_string_r(C->xnameprop);
	put(C, a, strlen(a));
	put(C, b, strlen(b));
	icalmemory_free_buffer(a);
	icalmemory_free_buffer(b);
}

static int write_file(struct ctx *C, const char *sub, const char *owner,
                      const char *label, const char *outdir)
{
	int rc = 0;
	if (!vd_id_valid(owner)) {
		vd_error(C->dg, NULL, 0, _("cannot write a calendar for '%s': not a valid id (A-Z a-z 0-9 _ . -)"), owner);
		return -1;
	}
	qsort_r(C->ev, C->nev, sizeof *C->ev, cmp_ev, C);

	C->owner = owner;
	C->path = xasprintf("%s/ics/%s/%s.ics", outdir, sub, owner);
	C->err = 0;
	errno = 0;
	C->f = fopen(C->path, "wb");
	if (!C->f) {
		vd_error(C->dg, C->path, 0, _("cannot write: %s"), strerror(errno));
		free(C->path);
		return -1;
	}
	setvbuf(C->f, C->iobuf, _IOFBF, IOBUF_SIZE);

	struct sbuf *b = &C->tmp;
	sb_reset(b);
	sb_clean(b, nonempty(C->p->name) ? C->p->name : C->p->id ? C->p->id : "vdsched", 0, 0);
	sb_cat(b, " — ");
	sb_clean(b, label, 0, 0);
	put(C, C->head, C->split);
	put_names(C, b->s);
	put(C, C->vtz, strlen(C->vtz));
	for (size_t i = 0; i < C->nev && !C->err; i++)
		write_event(C, &C->ev[i]);
	put(C, C->head + C->split, strlen(C->head + C->split));

	if (!C->err && fflush(C->f) != 0)
		C->err = errno ? errno : EIO;
	if (!C->err && ferror(C->f))
		C->err = EIO;
	if (fclose(C->f) != 0 && !C->err)
		C->err = errno ? errno : EIO;
	C->f = NULL;
	if (C->err) {
		vd_error(C->dg, C->path, 0, _("cannot write: %s"), strerror(C->err));
		rc = -1;
	}
	free(C->path);
	C->path = NULL;
	C->nev = 0;
	return rc;
}

/* Compressed index: owner -> runs, off[n + 1], ix[off[o] .. off[o+1]). */
struct csr { size_t *off, *ix; };

static void csr_free(struct csr *c)
{
	free(c->off);
	free(c->ix);
}

/* kind: 0 doctors (members), 1 sites, 2 instructors */
static void csr_build(struct csr *c, const struct vd_plan *pl, size_t n, int kind)
{
	c->off = xcalloc(n + 2, sizeof *c->off);
	size_t total = 0;
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (kind == 0) {
			for (size_t m = 0; m < run->nmembers; m++)
				if (run->members[m] < n)
					c->off[run->members[m] + 1]++, total++;
		} else {
			size_t o = kind == 1 ? run->site : run->instructor;
			if (o < n)
				c->off[o + 1]++, total++;
		}
	}
	for (size_t i = 0; i < n; i++)
		c->off[i + 1] += c->off[i];
	c->ix = xmalloc((total + 1) * sizeof *c->ix);
	size_t *pos = xmalloc((n + 1) * sizeof *pos);
	memcpy(pos, c->off, (n + 1) * sizeof *pos);
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (kind == 0) {
			for (size_t m = 0; m < run->nmembers; m++)
				if (run->members[m] < n)
					c->ix[pos[run->members[m]]++] = r;
		} else {
			size_t o = kind == 1 ? run->site : run->instructor;
			if (o < n)
				c->ix[pos[o]++] = r;
		}
	}
	free(pos);
}

static int cmp_cohort(const void *a, const void *b, void *arg)
{
	const struct vd_plan *pl = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(pl->runs[x].cohort, pl->runs[y].cohort);
	return c ? c : (x > y) - (x < y);
}

static int mkdir_p(struct vd_diag *dg, const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		vd_error(dg, path, 0, _("cannot create folder: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

static int make_folders(struct vd_diag *dg, const char *outdir)
{
	static const char *const sub[] = { "", "/doctors", "/cohorts", "/sites", "/instructors" };
	for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
		char *d = xasprintf("%s/ics%s", outdir, sub[i]);
		int rc = mkdir_p(dg, d);
		free(d);
		if (rc)
			return -1;
	}
	return 0;
}

static int prepare_zone(struct ctx *C)
{
	const struct vd_program *p = C->p;
	icalcomponent *vtz = load_zone(C->tzid);
	if (!vtz) {
		const char *dir = icaltzutil_get_zone_directory();
		vd_error(C->dg, NULL, 0, _("time zone '%s' not found in %s; install tzdata (apt-get install tzdata)"),
		         C->tzid, dir ? dir : "/usr/share/zoneinfo");
		return -1;
	}
	icalproperty *tz = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (tz)
		icalproperty_set_tzid(tz, C->tzid);
	else
		icalcomponent_add_property(vtz, icalproperty_new_tzid(C->tzid));

	/* the years of the program and of every run date, with a day's margin
	 * either side for zones far from UTC */
	vd_date lo = INT32_MAX, hi = INT32_MIN;
	if (p->start || p->end) {
		lo = p->start;
		hi = p->end > p->start ? p->end : p->start;
	}
	for (size_t r = 0; r < C->pl->nruns; r++) {
		const struct vd_run *run = &C->pl->runs[r];
		unsigned days = p->courses[run->course].def->days;
		for (unsigned i = 0; i < days; i++) {
			if (run->dates[i] < lo) lo = run->dates[i];
			if (run->dates[i] > hi) hi = run->dates[i];
		}
	}
	if (lo > hi)
		lo = hi = (vd_date)(C->stamp.year > 0 ? vd_date_from_ymd(C->stamp.year, 1, 1) : 0);
	int y1, y2, m, d;
	vd_date_to_ymd(lo, &y1, &m, &d);
	vd_date_to_ymd(hi, &y2, &m, &d);
	icaltimezone_truncate_vtimezone(vtz, utc_day(y1 - 1, 12, 31), utc_day(y2 + 1, 1, 2), 0);
	C->vtz = icalcomponent_as_ical_string_r(vtz);
	icalcomponent_free(vtz);
	return 0;
}

int vd_ics_write_all(const struct vd_program *p, const struct vd_plan *pl,
                     const char *outdir, long long dtstamp, struct vd_diag *dg)
{
	struct ctx C;
	int rc = 0;
	memset(&C, 0, sizeof C);
	C.p = p;
	C.pl = pl;
	C.dg = dg;
	C.tzid = nonempty(p->timezone) ? p->timezone : "Asia/Shanghai";
	C.stamp = icaltime_from_timet_with_zone((time_t)dtstamp, 0, icaltimezone_get_utc_timezone());

	if (make_folders(dg, outdir) || prepare_zone(&C))
		return -1;
	C.iobuf = xmalloc(IOBUF_SIZE);
	C.slots = xcalloc(CACHE_SLOTS, sizeof *C.slots);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		C.slots[i].run = VD_NONE;
	C.uidprop = icalproperty_new_uid("");
	header(&C);

	struct csr ix;
	const char *zh_cohort = "班级 ", *zh_teacher = "教师 ";
	struct sbuf label = { 0 };

	/* doctors */
	csr_build(&ix, pl, p->ndoctors, 0);
	C.kind = "doctor";
	for (size_t d = 0; (p->calendars & VD_CAL_DOCTORS) && d < p->ndoctors && !rc; d++) {
		if (ix.off[d] == ix.off[d + 1])
			continue;
		for (size_t k = ix.off[d]; k < ix.off[d + 1] && !rc; k++)
			rc = add_run_events(&C, ix.ix[k]);
		const struct vd_doctor *doc = &p->doctors[d];
		if (!rc)
			rc = write_file(&C, "doctors", doc->id, nonempty(doc->name) ? doc->name : doc->id, outdir);
	}
	csr_free(&ix);

	/* cohorts */
	size_t *byc = xmalloc((pl->nruns + 1) * sizeof *byc);
	for (size_t r = 0; r < pl->nruns; r++)
		byc[r] = r;
	qsort_r(byc, pl->nruns, sizeof *byc, cmp_cohort, (void *)pl);
	C.kind = "cohort";
	for (size_t i = 0; (p->calendars & VD_CAL_COHORTS) && i < pl->nruns && !rc;) {
		size_t j = i;
		while (j < pl->nruns && !strcmp(pl->runs[byc[j]].cohort, pl->runs[byc[i]].cohort))
			j++;
		for (size_t k = i; k < j && !rc; k++)
			rc = add_run_events(&C, byc[k]);
		const char *cid = pl->runs[byc[i]].cohort;
		sb_reset(&label);
		sb_cat(&label, zh_cohort);
		sb_cat(&label, cid);
		if (!rc)
			rc = write_file(&C, "cohorts", cid, label.s, outdir);
		i = j;
	}
	free(byc);

	/* sites */
	csr_build(&ix, pl, p->nsites, 1);
	C.kind = "site";
	for (size_t s = 0; (p->calendars & VD_CAL_SITES) && s < p->nsites && !rc; s++) {
		if (ix.off[s] == ix.off[s + 1])
			continue;
		for (size_t k = ix.off[s]; k < ix.off[s + 1] && !rc; k++)
			rc = add_run_events(&C, ix.ix[k]);
		const struct vd_site *site = &p->sites[s];
		if (!rc)
			rc = write_file(&C, "sites", site->id, nonempty(site->name) ? site->name : site->id, outdir);
	}
	csr_free(&ix);

	/* instructors */
	csr_build(&ix, pl, p->ninstructors, 2);
	C.kind = "instructor";
	for (size_t t = 0; (p->calendars & VD_CAL_INSTRUCTORS) && t < p->ninstructors && !rc; t++) {
		if (ix.off[t] == ix.off[t + 1])
			continue;
		for (size_t k = ix.off[t]; k < ix.off[t + 1] && !rc; k++)
			rc = add_run_events(&C, ix.ix[k]);
		const struct vd_instructor *in = &p->instructors[t];
		sb_reset(&label);
		sb_cat(&label, zh_teacher);
		sb_cat(&label, nonempty(in->name) ? in->name : in->id);
		if (!rc)
			rc = write_file(&C, "instructors", in->id, label.s, outdir);
	}
	csr_free(&ix);

	for (size_t i = 0; i < CACHE_SLOTS; i++)
		slot_clear(&C.slots[i]);
	free(C.slots);
	icalproperty_free(C.uidprop);
	icalproperty_free(C.nameprop);
	icalproperty_free(C.xnameprop);
	icalmemory_free_buffer(C.head);
	icalmemory_free_buffer(C.vtz);
	free(C.iobuf);
	free(C.ev);
	free(C.uid.s);
	free(C.tmp.s);
	free(C.tmp2.s);
	free(label.s);
	return rc;
}

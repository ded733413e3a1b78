/* ics-event.c -- one calendar event's texts and UID, built whole
 * (ics_build_event, the reference form), the time zone, and libical's
 * serialized text taken in and repaired.  Apart from the driver (ics.c)
 * and the cache (ics-cache.c), which both use it: what an event says is
 * decided here and only here. */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "ics-int.h"
#include "xalloc.h"

void ics_append_clean(struct vd_strbuf *b, const char *s, enum ics_clean how)
{
	size_t start = b->n;
	vd_strbuf_cat(b, s ? s : "");
	for (char *c = b->s + start; *c; c++) {
		unsigned char ch = (unsigned char)*c;
		if ((ch < 0x20 && !(ch == '\n' && how == ICS_KEEP_NEWLINES)) || ch == 0x7f)
			*c = ' ';
		else if (how == ICS_PARAM_VALUE && ch == '"')
			*c = '\'';
	}
}

int ics_lang_en(const struct vds_course *def)
{
	return def->lang && (def->lang[0] == 'e' || def->lang[0] == 'E') &&
	       (def->lang[1] == 'n' || def->lang[1] == 'N');
}

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

/* Repairs b->s[from ..): libical before 4.0.3 folds the content line
 * together with its CRLF, so a line of 73 octets comes out as CR, fold,
 * LF ("\r\r\n \n", which parsers read as a bare CR and a bare LF) and
 * one of 74 octets gains an empty continuation ("\r\n \r\n").  Both
 * become the plain line end the fixed libical writes (it folds the content
 * line without its line end: libical PR #1338, released in 4.0.3).  The
 * patterns come from nothing else: TEXT never holds a raw CR or LF. */
void ics_wire_repair(struct vd_strbuf *b, size_t from)
{
	char *s = b->s, *w = NULL, *r = s + from, *e = s + b->n;
	/* a fold is LF + blank: look at each LF, for one line or few */
	for (char *nl = r; (nl = memchr(nl, '\n', (size_t)(e - nl))); nl++) {
		if (e - nl < 3 || nl[1] != ' ' || nl - s < 1 || nl[-1] != '\r')
			continue;
		char *hit;
		if (nl[2] == '\n' && nl - s >= 2 && nl[-2] == '\r')
			hit = nl - 2;                    /* CR CR LF SP LF */
		else if (e - nl >= 4 && nl[2] == '\r' && nl[3] == '\n')
			hit = nl - 1;                    /* CR LF SP CR LF */
		else
			continue;
		size_t keep = (size_t)(hit - r);
		if (w && keep)
			memmove(w, r, keep);
		w = (w ? w : r) + keep;
		memcpy(w, "\r\n", 2);
		w += 2;
		r = hit + 5;
		nl = r - 1;
	}
	if (w) {
		size_t rest = (size_t)(e - r);
		memmove(w, r, rest);
		b->n = (size_t)(w + rest - b->s);
		b->s[b->n] = '\0';
	}
}

/* Appends the libical text s and frees it.  Every byte libical serializes
 * reaches the files through here, so the repair is in one place. */
void ics_append_ical(struct vd_strbuf *b, char *s)
{
	size_t from = b->n;
	vd_strbuf_cat(b, s ? s : "");
	icalmemory_free_buffer(s);
	ics_wire_repair(b, from);
}

void ics_append_prop(struct vd_strbuf *b, icalproperty *prop)
{
	ics_append_ical(b, icalproperty_as_ical_string_r(prop));
}

/* A doctor (and a cohort) takes a course once, so their UIDs leave the
 * cohort out: when a re-plan moves a doctor to another cohort, the phone
 * updates the event instead of keeping a stale copy.  Sites and
 * instructors hold several runs of a course, told apart by cohort. */
static int uid_has_cohort(const struct ics_writer *w)
{
	return w->kind != VD_CALKIND_DOCTOR && w->kind != VD_CALKIND_COHORT;
}

/* The event's part of the UID, COURSE[-COHORT]-sN., into w->uid; the
 * file's part follows (ics_uid_owner). */
void ics_uid_event(struct ics_writer *w, size_t r, unsigned s)
{
	const struct vd_run *run = &w->pl->runs[r];
	vd_strbuf_reset(&w->uid);
	vd_strbuf_cat(&w->uid, vd_course_id(w->p, run->course));
	if (uid_has_cohort(w)) {
		vd_strbuf_cat(&w->uid, "-");
		vd_strbuf_cat(&w->uid, run->cohort);
	}
	vd_strbuf_cat(&w->uid, "-s");
	vd_strbuf_num(&w->uid, s + 1);
	vd_strbuf_cat(&w->uid, ".");
	w->uidhead = w->uid.n;
}

void ics_uid_owner(struct ics_writer *w, const struct cal_file *o)
{
	w->uid.n = w->uidhead;
	vd_strbuf_catn(&w->uid, o->uidtail.s, o->uidtail.n);
}

void ics_uid_tail(struct ics_writer *w, struct cal_file *o)
{
	vd_strbuf_reset(&o->uidtail);
	vd_strbuf_cat(&o->uidtail, vd_calkinds[w->kind].word);
	vd_strbuf_cat(&o->uidtail, "-");
	vd_strbuf_cat(&o->uidtail, o->id);
	vd_strbuf_cat(&o->uidtail, ".");
	vd_strbuf_cat(&o->uidtail, w->p->id ? w->p->id : "vdsched");
	vd_strbuf_cat(&o->uidtail, "@vdsched");
}

static void uid_prefix(const struct ics_writer *w, const struct plan_event *e, char *buf, size_t n)
{
	const struct vd_run *run = &w->pl->runs[e->run];
	snprintf(buf, n, "%s-%s-s%u", vd_course_id(w->p, run->course), run->cohort, e->sess + 1);
}

int ics_cmp_ev(const void *a, const void *b, void *arg)
{
	const struct plan_event *x = a, *y = b;
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

icaltimetype ics_local_time(vd_date day, unsigned min)
{
	int y, m, d;
	vd_date_to_ymd(day, &y, &m, &d);
	icaltimetype t = icaltime_null_time();
	t.year = y;
	t.month = m;
	t.day = d;
	icaltime_adjust(&t, 0, 0, (int)min, 0);
	return t;
}

/* SUMMARY: "课程 — 本节" */
void ics_summary_text(struct ics_writer *w, const struct vd_run *run, const struct vds_session *se,
                      struct vd_strbuf *b)
{
	const struct vds_course *def = w->p->courses[run->course].def;
	vd_strbuf_reset(b);
	ics_append_clean(b, def->title ? def->title : vd_course_id(w->p, run->course), ICS_ONE_LINE);
	if (nonempty(se->title)) {
		vd_strbuf_cat(b, " — ");
		ics_append_clean(b, se->title, ICS_ONE_LINE);
	}
}

/* LOCATION: site name, address */
void ics_location_text(const struct vd_site *site, int en, struct vd_strbuf *b)
{
	vd_strbuf_reset(b);
	ics_append_clean(b, nonempty(site->name) ? site->name : site->id, ICS_ONE_LINE);
	if (nonempty(site->address)) {
		vd_strbuf_cat(b, en ? ", " : "，");
		ics_append_clean(b, site->address, ICS_ONE_LINE);
	}
}

/* the GEO property of the site, NULL when it has no position */
icalproperty *ics_geo_prop(const struct vd_site *site)
{
	if ((site->lat != 0 || site->lon != 0) && site->lat >= -90 && site->lat <= 90 &&
	    site->lon >= -180 && site->lon <= 180) {
		struct icalgeotype g;
		memset(&g, 0, sizeof g);
		g.lat = site->lat;
		g.lon = site->lon;
		return icalproperty_new_geo(g);
	}
	return NULL;
}

void ics_description_text(struct ics_writer *w, const struct vd_run *run, unsigned s,
                          struct vd_strbuf *b)
{
	const struct vd_program *p = w->p;
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	int en = ics_lang_en(def);
	vd_strbuf_reset(b);
	if (nonempty(se->module)) {
		vd_strbuf_cat(b, en ? "Module: " : "模块：");
		ics_append_clean(b, se->module, ICS_ONE_LINE);
		vd_strbuf_cat(b, "\n");
	}
	if (nonempty(se->description)) {
		ics_append_clean(b, se->description, ICS_KEEP_NEWLINES);
		vd_strbuf_cat(b, "\n");
	}
	if (nonempty(def->bring)) {
		vd_strbuf_cat(b, en ? "Bring: " : "请携带：");
		ics_append_clean(b, def->bring, ICS_ONE_LINE);
		vd_strbuf_cat(b, "\n");
	}
	/* "Session %u of %zu, day %u of %u\n", "课次：第%u节，共%zu节（第%u天，共%u天）\n",
	 * without snprintf, which is slow on a multibyte format */
	vd_strbuf_cat(b, en ? "Session " : "课次：第");
	vd_strbuf_num(b, s + 1);
	vd_strbuf_cat(b, en ? " of " : "节，共");
	vd_strbuf_num(b, def->nsessions);
	vd_strbuf_cat(b, en ? ", day " : "节（第");
	vd_strbuf_num(b, se->day + 1u);
	vd_strbuf_cat(b, en ? " of " : "天，共");
	vd_strbuf_num(b, def->days);
	vd_strbuf_cat(b, en ? "\n" : "天）\n");
	vd_strbuf_cat(b, en ? "Cohort: " : "班级：");
	ics_append_clean(b, run->cohort, ICS_ONE_LINE);
	vd_strbuf_cat(b, "\n");
	if (run->instructor != VD_NONE) {
		const struct vd_instructor *in = &p->instructors[run->instructor];
		vd_strbuf_cat(b, en ? "Instructor: " : "教师：");
		ics_append_clean(b, nonempty(in->name) ? in->name : in->id, ICS_ONE_LINE);
		vd_strbuf_cat(b, "\n");
	}
	if (nonempty(p->contact)) {
		vd_strbuf_cat(b, en ? "Contact: " : "联系：");
		ics_append_clean(b, p->contact, ICS_ONE_LINE);
		vd_strbuf_cat(b, "\n");
	}
	if (b->n && b->s[b->n - 1] == '\n')
		b->s[--b->n] = '\0';
}

void ics_category_text(struct ics_writer *w, size_t ci, struct vd_strbuf *b)
{
	const struct vds_course *def = w->p->courses[ci].def;
	vd_strbuf_reset(b);
	ics_append_clean(b, nonempty(def->category) ? def->category
	            : def->title ? def->title : vd_course_id(w->p, ci), ICS_ONE_LINE);
}

/* ORGANIZER, NULL when the program has none */
icalproperty *ics_organizer_prop(struct ics_writer *w, struct vd_strbuf *b)
{
	const struct vd_program *p = w->p;
	if (!nonempty(p->organizer))
		return NULL;
	vd_strbuf_reset(b);
	if (!strchr(p->organizer, ':'))
		vd_strbuf_cat(b, "mailto:");
	ics_append_clean(b, p->organizer, ICS_ONE_LINE);
	icalproperty *org = icalproperty_new_organizer(b->s);
	if (nonempty(p->contact)) {
		vd_strbuf_reset(b);
		ics_append_clean(b, p->contact, ICS_PARAM_VALUE);
		icalproperty_add_parameter(org, icalparameter_new_cn(b->s));
	}
	return org;
}

/* A VALARM without its DESCRIPTION (the event's summary), which is its
 * last property. */
icalcomponent *ics_alarm_comp(struct ics_writer *w, size_t a)
{
	icalcomponent *al = icalcomponent_new(ICAL_VALARM_COMPONENT);
	icalcomponent_add_property(al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
	struct icaltriggertype tr = icaltriggertype_from_int(-w->p->alarms[a] * 60);
	icalcomponent_add_property(al, icalproperty_new_trigger(tr));
	return al;
}

static void add_text_prop(icalcomponent *ev, icalproperty *prop, const char *lang)
{
	if (nonempty(lang))
		icalproperty_add_parameter(prop, icalparameter_new_language(lang));
	icalcomponent_add_property(ev, prop);
}

static icalproperty *local_time_prop(struct ics_writer *w, int dtend, vd_date day, unsigned min)
{
	icaltimetype t = ics_local_time(day, min);
	icalproperty *prop = dtend ? icalproperty_new_dtend(t) : icalproperty_new_dtstart(t);
	icalproperty_add_parameter(prop, icalparameter_new_tzid(w->tzid));
	return prop;
}

/* One VEVENT for session s of run r, UID first, built whole: the
 * reference form, used when the cache is off; the spliced form of
 * ics_event_text must give the same bytes. */
icalcomponent *ics_build_event(struct ics_writer *w, size_t r, unsigned s, const char *uid)
{
	const struct vd_program *p = w->p;
	const struct vd_run *run = &w->pl->runs[r];
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	const struct vd_site *site = &p->sites[run->site];
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(w->stamp));
	icalcomponent_add_property(ev, icalproperty_new_sequence(0));
	icalcomponent_add_property(ev, icalproperty_new_lastmodified(w->stamp));
	icalcomponent_add_property(ev, local_time_prop(w, 0, run->dates[se->day], se->start));
	icalcomponent_add_property(ev, local_time_prop(w, 1, run->dates[se->day], se->end));

	struct vd_strbuf *b = &w->tmp, *summary = &w->tmp2;
	ics_summary_text(w, run, se, summary);
	add_text_prop(ev, icalproperty_new_summary(summary->s), def->lang);

	ics_location_text(site, ics_lang_en(def), b);
	icalcomponent_add_property(ev, icalproperty_new_location(b->s));
	icalproperty *geo = ics_geo_prop(site);
	if (geo)
		icalcomponent_add_property(ev, geo);

	ics_description_text(w, run, s, b);
	add_text_prop(ev, icalproperty_new_description(b->s), def->lang);

	ics_category_text(w, run->course, b);
	icalcomponent_add_property(ev, icalproperty_new_categories(b->s));
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	icalproperty *org = ics_organizer_prop(w, b);
	if (org)
		icalcomponent_add_property(ev, org);

	for (size_t a = 0; a < p->nalarms; a++) {
		icalcomponent *al = ics_alarm_comp(w, a);
		icalcomponent_add_property(al, icalproperty_new_description(summary->s));
		icalcomponent_add_component(ev, al);
	}
	return ev;
}

int ics_prepare_zone(struct ics_writer *w)
{
	const struct vd_program *p = w->p;
	icalcomponent *vtz = load_zone(w->tzid);
	if (!vtz) {
		const char *dir = icaltzutil_get_zone_directory();
		vd_error(w->dg, NULL, 0, _("time zone '%s' not found in %s; install tzdata (apt-get install tzdata)"),
		         w->tzid, dir ? dir : "/usr/share/zoneinfo");
		return -1;
	}
	icalproperty *tz = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (tz)
		icalproperty_set_tzid(tz, w->tzid);
	else
		icalcomponent_add_property(vtz, icalproperty_new_tzid(w->tzid));

	/* the years of the program and of every run date, with a day's margin
	 * either side for zones far from UTC */
	vd_date lo = INT32_MAX, hi = INT32_MIN;
	if (p->start || p->end) {
		lo = p->start;
		hi = p->end > p->start ? p->end : p->start;
	}
	for (size_t r = 0; r < w->pl->nruns; r++) {
		const struct vd_run *run = &w->pl->runs[r];
		unsigned days = p->courses[run->course].def->days;
		for (unsigned i = 0; i < days; i++) {
			if (run->dates[i] < lo) lo = run->dates[i];
			if (run->dates[i] > hi) hi = run->dates[i];
		}
	}
	/* and the events kept from the previous plan */
	if (w->xlo < lo) lo = w->xlo;
	if (w->xhi > hi) hi = w->xhi;
	if (lo > hi)
		lo = hi = (vd_date)(w->stamp.year > 0 ? vd_date_from_ymd(w->stamp.year, 1, 1) : 0);
	int y1, y2, m, d;
	vd_date_to_ymd(lo, &y1, &m, &d);
	vd_date_to_ymd(hi, &y2, &m, &d);
	icaltimezone_truncate_vtimezone(vtz, utc_day(y1 - 1, 12, 31), utc_day(y2 + 1, 1, 2), 0);
	ics_append_ical(&w->vtz, icalcomponent_as_ical_string_r(vtz));
	icalcomponent_free(vtz);
	return 0;
}

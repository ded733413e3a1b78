/* ics-kept.c -- the previous plan's events that the new plan no longer
 * has: read back from the previous calendar files, then written again as
 * they were (cancelled before, or history before the freeze date) or
 * cancelled now.  Apart from the driver because only a re-plan needs it,
 * and it reads calendars where the rest writes them. */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "ics-int.h"
#include "xalloc.h"

static int cmp_kept(const void *a, const void *b)
{
	const struct kept_event *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->uid, y->uid);
}

/* 1 when [output] calendars has the kind of the previous calendar cal */
static int kind_written(const struct ics_writer *w, const char *cal)
{
	enum vd_calkind k = vd_calkind_of(cal, NULL);
	return k != VD_NCALKINDS && (w->p->calendars & 1u << k);
}

/* The cancellation of the previous event old: its UID, times, SUMMARY,
 * LOCATION and ORGANIZER, STATUS:CANCELLED, the next SEQUENCE, now. */
static void cancel_text(struct ics_writer *w, icalcomponent *old, const struct vd_evrow *row,
                        struct kept_event *x)
{
	static const icalproperty_kind keep[] = { ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY,
		ICAL_SUMMARY_PROPERTY, ICAL_LOCATION_PROPERTY };
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icaltimetype now = icaltime_from_timet_with_zone((time_t)w->now, 0, utc);
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(ev, icalproperty_new_uid(x->uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(now));
	icalcomponent_add_property(ev, icalproperty_new_sequence((int)row->seq + 1));
	icalcomponent_add_property(ev, icalproperty_new_lastmodified(now));
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		icalproperty *prop = icalcomponent_get_first_property(old, keep[i]);
		if (prop)
			icalcomponent_add_property(ev, icalproperty_new_clone(prop));
	}
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
	icalproperty *org = icalcomponent_get_first_property(old, ICAL_ORGANIZER_PROPERTY);
	if (org)
		icalcomponent_add_property(ev, icalproperty_new_clone(org));
	ics_append_ical(&x->text, icalcomponent_as_ical_string_r(ev));
	icalcomponent_free(ev);
	x->hash = vd_ev_hash(x->text.s, x->text.n);
	x->stamp = x->lastmod = w->now;
	x->seq = row->seq + 1;
	x->cancelled = 1;
	x->fresh = 1;
}

/* Reads the file at path whole into t (a string even when empty).
 * Returns 0, or the errno. */
static int read_whole(const char *path, struct vd_strbuf *t)
{
	char buf[65536];
	size_t got;
	int err = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno ? errno : EIO;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		vd_strbuf_catn(t, buf, got);
	if (ferror(f))
		err = errno ? errno : EIO;
	fclose(f);
	vd_strbuf_cat(t, "");
	return err;
}

/* The NAME of the calendar whose properties are head[0 .. n), parsed by
 * libical; malloc'd, or NULL when it has none. */
static char *calendar_name(const char *head, size_t n)
{
	struct vd_strbuf hd = { 0 };
	vd_strbuf_catn(&hd, head, n);
	if (!strstr(hd.s, "END:VCALENDAR"))
		vd_strbuf_cat(&hd, "END:VCALENDAR\r\n");
	icalcomponent *hc = icalparser_parse_string(hd.s);
	icalproperty *np = hc ? icalcomponent_get_first_property(hc, ICAL_NAME_PROPERTY) : NULL;
	char *name = np && icalproperty_get_name(np) ? xstrdup(icalproperty_get_name(np)) : NULL;
	if (hc)
		icalcomponent_free(hc);
	vd_strbuf_free(&hd);
	return name;
}

/* x: the previous event ev (its text[0 .. n) as in the file, its row):
 * as it was when cancelled before or before the freeze date, else
 * cancelled now.  Widens the dates the VTIMEZONE covers. */
static void keep_event(struct ics_writer *w, icalcomponent *ev, const struct vd_evrow *row,
                       const char *text, size_t n, struct kept_event *x)
{
	icaltimetype ds = icalcomponent_get_dtstart(ev);
	vd_date day = vd_date_from_ymd(ds.year, ds.month, ds.day);
	memset(x, 0, sizeof *x);
	x->uid = xstrdup(icalcomponent_get_uid(ev));
	x->start = (int64_t)day * 1440 + ds.hour * 60 + ds.minute;
	if (row->cancelled || (w->freeze && day < w->freeze)) {
		vd_strbuf_catn(&x->text, text, n);
		ics_wire_repair(&x->text, 0);
		x->hash = row->hash;
		x->stamp = row->stamp;
		x->lastmod = row->lastmod;
		x->seq = row->seq;
		x->cancelled = row->cancelled;
	} else {
		cancel_text(w, ev, row, x);
	}
	if (day < w->xlo) w->xlo = day;
	if (day > w->xhi) w->xhi = day;
}

/* The events of previous calendar cal that the new plan lacks, from its
 * file: cancelled now, or kept as they were (cancelled before, or history
 * before the freeze date).  *calname gets its NAME. */
static int kept_events(struct ics_writer *w, size_t cal, size_t unseen, char **calname)
{
	char *path = xasprintf("%s/ics/%s.ics", w->prevdir, w->pv->cals[cal]);
	struct vd_strbuf t = { 0 };
	int err = read_whole(path, &t);
	if (err) {
		vd_error(w->dg, path, 0, _("cannot read the previous plan's calendar: %s"), strerror(err));
		free(path);
		vd_strbuf_free(&t);
		return -1;
	}
	struct kept_event *v = NULL;
	size_t n = 0, cap = 0;
	static const char bev[] = "BEGIN:VEVENT\r\n", eev[] = "END:VEVENT\r\n";
	char *first = strstr(t.s, bev);
	*calname = calendar_name(t.s, first ? (size_t)(first - t.s) : t.n);

	for (char *a = first; a; a = strstr(a, bev)) {
		if (a != t.s && a[-1] != '\n') {
			a += sizeof bev - 1;
			continue;
		}
		char *e = strstr(a, eev);
		if (!e)
			break;
		e += sizeof eev - 1;
		char save = *e;
		*e = '\0';
		icalcomponent *ev = icalcomponent_new_from_string(a);
		*e = save;
		const char *uid = ev ? icalcomponent_get_uid(ev) : NULL;
		struct vd_evrow *row = uid ? vd_evstate_find(w->pv, vd_ev_key(cal, uid, strlen(uid))) : NULL;
		icalproperty *dsp = ev ? icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) : NULL;
		icalparameter *tzp = dsp ? icalproperty_get_first_parameter(dsp, ICAL_TZID_PARAMETER) : NULL;
		const char *tz = tzp ? icalparameter_get_tzid(tzp) : NULL;
		if (row && !row->seen && row->cal == cal && (!tz || strcmp(tz, w->tzid))) {
			/* its times would not match this file's VTIMEZONE */
			vd_error(w->dg, path, 0, _("event '%s' is in time zone '%s', this plan in '%s'; a re-plan keeps [program] timezone, so plan without --previous"),
			         uid, tz ? tz : "", w->tzid);
			icalcomponent_free(ev);
			free(path);
			vd_strbuf_free(&t);
			for (size_t i = 0; i < n; i++) {
				free(v[i].uid);
				vd_strbuf_free(&v[i].text);
			}
			free(v);
			return -1;
		}
		if (row && !row->seen && row->cal == cal) {
			row->seen = 2;   /* found; not found twice */
			xgrow(&v, &cap, n + 1, sizeof *v);
			keep_event(w, ev, row, a, (size_t)(e - a), &v[n++]);
		}
		if (ev)
			icalcomponent_free(ev);
		a = e;
	}
	vd_strbuf_free(&t);
	int rc = 0;
	if (n != unseen) {
		vd_error(w->dg, path, 0, _("%zu events that state/events.csv lists for this calendar are not in it; the previous output folder is damaged, plan without --previous"),
		         unseen - n);
		rc = -1;
	}
	qsort(v, n, sizeof *v, cmp_kept);
	w->px[cal] = v;
	w->pnx[cal] = n;
	free(path);
	return rc;
}

int ics_collect_kept(struct ics_writer *w)
{
	struct vd_evstate *pv = w->pv;
	size_t *unseen = xcalloc(pv->ncals + 1, sizeof *unseen);
	for (size_t i = 0; i < pv->n; i++)
		if (!pv->rows[i].seen)
			unseen[pv->rows[i].cal]++;
	w->px = xcalloc(pv->ncals + 1, sizeof *w->px);
	w->pnx = xcalloc(pv->ncals + 1, sizeof *w->pnx);
	w->pwritten = xcalloc(pv->ncals + 1, 1);
	w->pname = xcalloc(pv->ncals + 1, sizeof *w->pname);
	int rc = 0;
	for (size_t c = 0; c < pv->ncals && !rc; c++)
		if (unseen[c] && kind_written(w, pv->cals[c]))
			rc = kept_events(w, c, unseen[c], &w->pname[c]);
	free(unseen);
	return rc;
}

void ics_kept_free(struct ics_writer *w)
{
	for (size_t c = 0; w->px && c < w->pv->ncals; c++) {
		for (size_t i = 0; i < w->pnx[c]; i++) {
			free(w->px[c][i].uid);
			vd_strbuf_free(&w->px[c][i].text);
		}
		free(w->px[c]);
		free(w->pname[c]);
	}
	free(w->px);
	free(w->pnx);
	free(w->pwritten);
	free(w->pname);
}

/* Writes o's events of the previous plan that come before the event at
 * local minute start with UID uid (all that are left when uid is NULL). */
void ics_flush_kept(struct ics_writer *w, struct cal_file *o, int64_t start, const char *uid)
{
	for (; o->xi < o->nx; o->xi++) {
		struct kept_event *x = &o->x[o->xi];
		if (uid && (x->start > start || (x->start == start && strcmp(x->uid, uid) > 0)))
			break;
		ics_put(w, o, x->text.s, x->text.n);
		o->dirty |= x->fresh;
		vd_evwriter_row(&w->csv, o->cal, x->uid, x->seq, x->stamp, x->lastmod, x->hash, x->cancelled);
	}
}

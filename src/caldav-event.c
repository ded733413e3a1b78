/* caldav-event.c -- see caldav-event.h.  What the sync compares and sends
 * of one event; apart from caldav-sync.c because it is libical work on
 * one event, not the sync's order of requests. */
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>
#include "caldav-event.h"
#include "xalloc.h"

icalcomponent *vd_ical_first_event(icalcomponent *c)
{
	if (!c)
		return NULL;
	if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT)
		return c;
	return icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
}

/* A time as written and its TZID parameter: a server that leaves out the
 * VTIMEZONE (partial retrieval) must not make the zone look changed. */
static void when_of(icalcomponent *ev, icalproperty_kind kind, struct icaltimetype *t, char **tzid)
{
	icalproperty *p = icalcomponent_get_first_property(ev, kind);
	icalvalue *v = p ? icalproperty_get_value(p) : NULL;
	icalparameter *tz = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
	*t = v ? icalvalue_get_datetime(v) : icaltime_null_time();
	*tzid = tz && icalparameter_get_tzid(tz) ? xstrdup(icalparameter_get_tzid(tz)) : NULL;
}

void vd_event_key_of(icalcomponent *ev, struct vd_event_key *k)
{
	const char *uid = icalcomponent_get_uid(ev);
	k->uid = uid && *uid ? xstrdup(uid) : NULL;
	k->seq = icalcomponent_get_sequence(ev);
	k->dtstamp = icalcomponent_get_dtstamp(ev);
	icalproperty *lm = icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY);
	k->has_lastmod = lm != NULL;
	k->lastmod = lm ? icalproperty_get_lastmodified(lm) : icaltime_null_time();
	k->status = icalcomponent_get_status(ev);
	when_of(ev, ICAL_DTSTART_PROPERTY, &k->dtstart, &k->start_tz);
	when_of(ev, ICAL_DTEND_PROPERTY, &k->dtend, &k->end_tz);
	const char *t;
	k->summary = (t = icalcomponent_get_summary(ev)) ? xstrdup(t) : NULL;
	k->location = (t = icalcomponent_get_location(ev)) ? xstrdup(t) : NULL;
	k->description = (t = icalcomponent_get_description(ev)) ? xstrdup(t) : NULL;
}

void vd_event_key_free(struct vd_event_key *k)
{
	free(k->uid);
	free(k->summary);
	free(k->location);
	free(k->description);
	free(k->start_tz);
	free(k->end_tz);
	k->uid = k->summary = k->location = k->description = k->start_tz = k->end_tz = NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void vd_event_key_copy(struct vd_event_key *to, const struct vd_event_key *from)
{
	*to = *from;
	to->uid = dup_or_null(from->uid);
	to->summary = dup_or_null(from->summary);
	to->location = dup_or_null(from->location);
	to->description = dup_or_null(from->description);
	to->start_tz = dup_or_null(from->start_tz);
	to->end_tz = dup_or_null(from->end_tz);
}

static int str_eq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* The same time as written, in a zone of the same name. */
static int when_eq(struct icaltimetype a, const char *za, struct icaltimetype b, const char *zb)
{
	int na = icaltime_is_null_time(a), nb = icaltime_is_null_time(b);
	if (na || nb)
		return na == nb;
	return str_eq(za, zb) && a.is_date == b.is_date && icaltime_is_utc(a) == icaltime_is_utc(b) &&
	       a.year == b.year && a.month == b.month && a.day == b.day &&
	       a.hour == b.hour && a.minute == b.minute && a.second == b.second;
}

static int time_eq(struct icaltimetype a, struct icaltimetype b)
{
	int na = icaltime_is_null_time(a), nb = icaltime_is_null_time(b);
	return na || nb ? na == nb : icaltime_compare(a, b) == 0;
}

int vd_event_key_eq(const struct vd_event_key *a, const struct vd_event_key *b)
{
	return a->uid && b->uid && !strcmp(a->uid, b->uid) && a->seq == b->seq &&
	       time_eq(a->dtstamp, b->dtstamp) && a->has_lastmod == b->has_lastmod &&
	       (!a->has_lastmod || time_eq(a->lastmod, b->lastmod)) && a->status == b->status &&
	       when_eq(a->dtstart, a->start_tz, b->dtstart, b->start_tz) &&
	       when_eq(a->dtend, a->end_tz, b->dtend, b->end_tz) &&
	       str_eq(a->summary, b->summary) && str_eq(a->location, b->location) &&
	       str_eq(a->description, b->description);
}

/* Key of a server copy; uid NULL when it has no readable event. */
void vd_event_key_of_data(const char *data, struct vd_event_key *k)
{
	icalcomponent *c = data ? icalparser_parse_string(data) : NULL;
	icalcomponent *ev = vd_ical_first_event(c);
	if (ev) {
		vd_event_key_of(ev, k);
	} else {
		memset(k, 0, sizeof *k);
		k->dtstamp = k->lastmod = k->dtstart = k->dtend = icaltime_null_time();
	}
	if (c)
		icalcomponent_free(c);
}

/* The resource's text: a VCALENDAR with the file's time zones and one
 * event, serialized by libical. */
char *vd_event_body(icalcomponent *file, icalcomponent *ev, const char *prodid)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(prodid));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	/* an iterator of its own: the caller is walking file's events */
	for (icalcompiter it = icalcomponent_begin_component(file, ICAL_VTIMEZONE_COMPONENT);
	     icalcompiter_deref(&it); icalcompiter_next(&it))
		icalcomponent_add_component(cal, icalcomponent_new_clone(icalcompiter_deref(&it)));
	icalcomponent_add_component(cal, icalcomponent_new_clone(ev));
	char *s = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	return s;
}

const char *vd_ical_x_prop(icalcomponent *c, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (!strcmp(icalproperty_get_x_name(p), name))
			return icalproperty_get_x(p);
	return NULL;
}

/* caldav-event.h -- one event as the CalDAV sync sees it: the key that
 * says whether the server's copy differs from ours, and the resource's
 * text (a VCALENDAR of the time zones and that one event). */
#ifndef VD_CALDAV_EVENT_H
#define VD_CALDAV_EVENT_H

#include <libical/ical.h>

/* What "changed" is judged by: the properties our writer changes with
 * every change (SEQUENCE, DTSTAMP, LAST-MODIFIED, STATUS), and, so that a
 * plan re-made with the same SOURCE_DATE_EPOCH is caught too, what a
 * reader sees (times, title, place, text).  Values are compared parsed,
 * never as text, so a server that re-folds or reorders lines (Radicale)
 * does not make every event look changed. */
struct vd_event_key {
	char *uid;
	int seq, has_lastmod;
	struct icaltimetype dtstamp, lastmod, dtstart, dtend;   /* as written, no zone */
	icalproperty_status status;
	char *summary, *location, *description, *start_tz, *end_tz;
};

/* The key of event ev (malloc'd strings: free with vd_event_key_free). */
void vd_event_key_of(icalcomponent *ev, struct vd_event_key *k);
/* Frees k's strings and leaves it empty. */
void vd_event_key_free(struct vd_event_key *k);
/* A deep copy of from into to. */
void vd_event_key_copy(struct vd_event_key *to, const struct vd_event_key *from);
/* 1 when a and b are the same event with nothing changed. */
int vd_event_key_eq(const struct vd_event_key *a, const struct vd_event_key *b);
/* The key of a server copy (iCalendar text); uid NULL when it has no
 * readable event. */
void vd_event_key_of_data(const char *data, struct vd_event_key *k);
/* The resource for ev: file's time zones and ev, serialized (malloc'd). */
char *vd_event_body(icalcomponent *file, icalcomponent *ev, const char *prodid);
/* c when it is a VEVENT, else its first VEVENT; NULL when none. */
icalcomponent *vd_ical_first_event(icalcomponent *c);
/* The value of c's X- property name, or NULL. */
const char *vd_ical_x_prop(icalcomponent *c, const char *name);

#endif

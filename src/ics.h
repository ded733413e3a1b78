/* ics.h -- the iCalendar files (libical): one calendar per doctor, cohort,
 * site and instructor.
 *
 * Every byte of the files comes from libical's serializer
 * (icalcomponent_as_ical_string_r / icalproperty_as_ical_string_r), so
 * folding (<= 75 octets, never inside a UTF-8 sequence), TEXT escaping and
 * CRLF line ends are libical's -- less one bug of libical before 4.0.3,
 * a fold inside the CRLF of a 73- or 74-octet line, repaired where its
 * text is taken (ics_append_ical in ics-event.c; fixed upstream by libical PR #1338).  Files are streamed: the calendar header
 * and the VTIMEZONE, then each VEVENT serialized and written on its own;
 * no calendar tree of all events is ever held in memory.
 *
 * An event is the same for every owner of a run except for its UID, so the
 * serialized event (without UID) of each session of a run is kept in a
 * fixed-size cache (2048 events, ~3 MB at most, whatever the plan's size)
 * and written after the owner's UID property, serialized by libical.  On a
 * miss the event is spliced from properties serialized by libical: those
 * fixed for a site or course, and recurring times and titles, come from
 * small bounded memos; per session only DESCRIPTION is serialized anew.
 * Owners with the same runs (the doctors of a cohort) are written side by
 * side, event by event, so each event is serialized once for all of them.
 * vd_ics_set_cache(0) turns the cache off (each event is then built and
 * serialized whole, UID included); the output is byte-identical either
 * way, which the tests check.
 *
 * Every VEVENT has DTSTAMP, SEQUENCE and LAST-MODIFIED (RFC 5545
 * 3.8.7.3: when the event last changed); they are written per file after
 * the UID, so the cache holds the rest of the event.
 *
 * UIDs depend only on the program, owner, course, cohort and session:
 *     COURSE-COHORT-sN.KIND-OWNER.PROGRAM@vdsched
 * e.g. tcm-C003-s2.doctor-d0012.tianyang-2026-spring@vdsched, where N
 * counts the course's sessions from 1 and KIND is doctor, cohort, site or
 * instructor. */
#ifndef VD_ICS_H
#define VD_ICS_H
#include "diag.h"
#include "model.h"

/* Writes outdir/ics/{doctors,cohorts,sites,instructors}/ID.ics for every
 * owner with at least one run, creating the folders, and
 * outdir/state/events.csv, one row per event written (icsstate.h).
 * dtstamp is the new DTSTAMP and LAST-MODIFIED in UTC seconds.
 *
 * prevdir: an earlier output folder of vdsched (already validated by the
 * caller), or NULL for a first plan.  Then, per calendar file:
 *   - an event whose UID the previous file has, with the same content hash
 *     (state/events.csv), is written byte for byte as before: the same
 *     SEQUENCE, DTSTAMP and LAST-MODIFIED;
 *   - a changed event keeps its UID and gets SEQUENCE+1 and DTSTAMP =
 *     LAST-MODIFIED = dtstamp; so does one that comes back after a
 *     cancellation;
 *   - a previous event the plan no longer has is written once more with
 *     STATUS:CANCELLED, SEQUENCE+1, the new stamps and its old DTSTART,
 *     DTEND, SUMMARY, LOCATION (and ORGANIZER), read from
 *     prevdir/ics/CALENDAR.ics with libical's parser; a cancelled event
 *     stays in later plans byte for byte;
 *   - one that starts before `freeze` is history: written as it was,
 *     not cancelled (freeze 0: no freeze);
 *   - an owner with no events any more (a doctor who left, a cohort that
 *     vanished) still gets a file holding its cancellations, named as
 *     before.
 * With the same inputs the files are byte-identical to prevdir's.  A
 * re-plan first walks the plan once to mark the previous events it still
 * has (so that the VTIMEZONE also covers the events kept), and holds the
 * previous state, about 48 bytes an event, and the kept events' text.
 * prevdir must have the same [program] timezone when events are kept.
 * changed: when not NULL, receives the ids (vd_strv_push) of the doctors
 * whose calendar file differs from the previous one (new, changed or
 * cancelled events, or a new header), sorted, each once -- including
 * doctors who left; on a first plan, every doctor with a file.
 * Returns 0, or -1 after vd_error. */
int vd_ics_write_all(const struct vd_program *p, const struct vd_plan *pl,
                     const char *outdir, long long dtstamp,
                     const char *prevdir, vd_date freeze,
                     struct vd_strv *changed, struct vd_diag *dg);

/* 0 when libical can load the IANA zone `tzid` from the system tzdata,
 * -1 when not (unknown name, or tzdata missing). */
int vd_ics_check_timezone(const char *tzid);

/* Tests and benchmarks: 1 (default) keeps serialized events per run in a
 * bounded cache, 0 serializes every event whole. */
void vd_ics_set_cache(int on);

#endif

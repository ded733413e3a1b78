/* icsstate.h -- state/events.csv: what each calendar event was when it was
 * last written, so that a re-plan keeps SEQUENCE, DTSTAMP and
 * LAST-MODIFIED of the events it does not change.  Read (vd_evstate_load)
 * and written (vd_evwriter_*) here, so that the two agree on the format.
 *
 * The file (libcsv-compatible CSV, CRLF line ends, a header row) has one
 * row per event written, in the order of the files and of the events in
 * them:
 *
 *     calendar,uid,sequence,dtstamp,last_modified,hash,status
 *     doctors/d001,tcm-s1.doctor-d001.tianyang-2026-spring@vdsched,0,20260101T000000Z,20260101T000000Z,9f0c1d2e3a4b5c6d,CONFIRMED
 *
 * calendar  the file's path under ics/ without .ics (doctors/ID,
 *           cohorts/ID, sites/ID, instructors/ID)
 * uid       the event's UID
 * sequence  its SEQUENCE
 * dtstamp, last_modified   its DTSTAMP and LAST-MODIFIED (UTC, as in the file)
 * hash      16 hex digits: FNV-1a (64 bit) of the event's unfolded content
 *           lines other than UID, DTSTAMP, SEQUENCE and LAST-MODIFIED, each
 *           with its CRLF (vd_ev_hash)
 * status    CONFIRMED or CANCELLED
 *
 * The rows are held by a 64-bit key of (calendar, uid) rather than by the
 * strings, about 48 bytes an event. */
#ifndef VD_ICSSTATE_H
#define VD_ICSSTATE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "hmap.h"
#include "strbuf.h"

#define VD_EVENTS_CSV_HEADER "calendar,uid,sequence,dtstamp,last_modified,hash,status"

struct vd_evrow {
	uint64_t key, hash;
	int64_t stamp, lastmod;    /* UTC seconds */
	uint32_t cal, seq;         /* cal: index into vd_evstate.cals */
	unsigned char cancelled;
	unsigned char seen;        /* the new plan has the event */
};

struct vd_evstate {
	struct vd_evrow *rows;
	size_t n, cap;
	uint32_t *tab;             /* open addressing: row index + 1, 0 empty */
	size_t tabmask;
	char **cals;               /* "doctors/d001", ... */
	size_t ncals, calcap;
	struct vd_hmap calmap;     /* calendar -> index */
};

/* Reads path (PREVDIR/state/events.csv).  Returns 0, or -1 after vd_error
 * naming the file and line. */
int vd_evstate_load(struct vd_evstate *st, const char *path, struct vd_diag *dg);
/* Frees what vd_evstate_load read. */
void vd_evstate_free(struct vd_evstate *st);
/* The index of calendar ("doctors/d001"), or (size_t)-1 when absent. */
size_t vd_evstate_cal(const struct vd_evstate *st, const char *calendar);
/* The row of key, or NULL. */
struct vd_evrow *vd_evstate_find(const struct vd_evstate *st, uint64_t key);

/* ---- writing ---- */

/* state/events.csv being written, a row per event as the files are. */
struct vd_evwriter {
	FILE *f;
	char *path;
	int err;                   /* the first write error (errno), 0 when none */
	struct vd_strbuf row;
	int64_t tlast;             /* the last stamp formatted, in tfmt */
	char tfmt[17];
};

/* Creates path and writes the header row.  Returns 0, or -1 after vd_error. */
int vd_evwriter_open(struct vd_evwriter *ew, const char *path, struct vd_diag *dg);
/* Writes the row of one event of calendar ("doctors/d001"); status
 * CANCELLED when cancelled, else CONFIRMED.  A write error is kept for
 * vd_evwriter_close. */
void vd_evwriter_row(struct vd_evwriter *ew, const char *calendar, const char *uid, uint32_t seq,
                     int64_t stamp, int64_t lastmod, uint64_t hash, int cancelled);
/* Closes the file if open and frees ew.  Returns 0, or -1 when a write
 * failed, after vd_error if report. */
int vd_evwriter_close(struct vd_evwriter *ew, int report, struct vd_diag *dg);

/* The key of uid[0 .. n) in calendar index cal. */
uint64_t vd_ev_key(size_t cal, const char *uid, size_t n);
/* The content hash of one serialized VEVENT text[0 .. n) (see above). */
uint64_t vd_ev_hash(const char *text, size_t n);

/* UTC seconds as 20260101T000000Z (buf of 17 bytes); returns buf. */
char *vd_utc_format(int64_t t, char *buf);
/* Parses exactly that form.  0, or -1 when s is not one. */
int vd_utc_parse(const char *s, int64_t *t);
#endif

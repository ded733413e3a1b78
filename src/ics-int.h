/* ics-int.h -- what the calendar writer's files share: the writer's state
 * and the functions one file calls in another.  Private to ics*.c; the
 * interface is ics.h.
 *
 *   ics.c        the driver: owners, groups of files, writing each event
 *   ics-event.c  an event's texts and UID, the time zone, libical's text
 *   ics-cache.c  the spliced events and the memos of property texts
 *   ics-kept.c   the previous plan's events kept or cancelled
 *   icsstate.c   state/events.csv, read and written */
#ifndef VD_ICS_INT_H
#define VD_ICS_INT_H
#include <stdint.h>
#include <stdio.h>
#include <libical/ical.h>
#include "ics.h"
#include "icsstate.h"
#include "model.h"
#include "strbuf.h"

/* An event of the new plan: session sess of run, at start. */
struct plan_event {
	int64_t start;      /* local minutes since 1970-01-01 */
	size_t run;
	unsigned sess;
};

/* One cached event: session sess of run, serialized without UID. */
struct cache_slot {
	size_t run;          /* VD_NONE when empty */
	unsigned sess;
	struct vd_strbuf txt; /* the text; its buffer is reused by the next miss */
	size_t hl;           /* length of its first line, BEGIN:VEVENT */
	uint64_t hash;       /* vd_ev_hash of the text */
};

/* An event of the previous plan written again as it was (cancelled, or
 * history before the freeze date) or newly cancelled: text is final. */
struct kept_event {
	int64_t start;       /* local minutes, as struct plan_event */
	char *uid;
	struct vd_strbuf text;
	uint64_t hash;
	int64_t stamp, lastmod;
	uint32_t seq;
	int cancelled;
	int fresh;           /* cancelled by this plan: the file changes */
};

/* One file being written; the files of a group are written side by side. */
struct cal_file {
	const char *id;
	char *label;
	FILE *f;
	char *path;
	int err;
	struct vd_strbuf uidtail; /* KIND-OWNER.PROGRAM@vdsched */
	char *cal;           /* KIND/ID, its name in state/events.csv */
	size_t pcal;         /* its index in the previous state, VD_NONE if new */
	const char *calname; /* NAME when not program -- label (a departed owner) */
	struct kept_event *x; /* its events from the previous plan, by start */
	size_t nx, xi;       /* how many, and how many written */
	int dirty;           /* differs from the previous file */
};

/* Serialized text of a property value: libical's output for the same
 * input is the same, so texts that recur across runs (the times of day,
 * the session titles) are serialized once. */
struct memo {
	struct vd_strbuf key, txt;
	size_t split;        /* the summary memo: SUMMARY | alarms' DESCRIPTION */
};

#define GROUP_MAX 64u        /* files written side by side */

/* Owners with the same runs, written together (see write_group in ics.c). */
struct file_group {
	const char *sub;
	const size_t *runs;
	size_t nruns, n;
	struct cal_file o[GROUP_MAX];
};

/* The state of one vd_ics_write_all: the plan, the pieces serialized
 * once, the cache, the previous plan's events and the files open. */
struct ics_writer {
	const struct vd_program *p;
	const struct vd_plan *pl;
	struct vd_diag *dg;
	const char *outdir;
	const char *tzid;
	struct vd_strbuf vtz;        /* serialized VTIMEZONE */
	struct vd_strbuf head;       /* serialized calendar properties */
	size_t split;                /* where END:VCALENDAR starts in head */
	icalproperty *nameprop, *xnameprop;
	icaltimetype stamp;
	struct plan_event *ev;
	size_t nev, evcap;
	struct cache_slot *slots;
	struct memo *times, *sums, *fixed;   /* MEMO_SLOTS each */
	char *iobuf;
	/* Pieces of an event that libical serialized once (see ics_ev_pieces):
	 * BEGIN:VEVENT, END:VEVENT, and per alarm its
	 * BEGIN:VALARM+ACTION+TRIGGER; END:VALARM. */
	struct vd_strbuf ev_begin, ev_end, al_end, *al_head;
	/* property objects reused for what varies by session */
	icalproperty *uidprop, *dtstart, *dtend, *summary, *desc, *aldesc;
	char *lang;                  /* LANGUAGE now on summary and desc */
	struct vd_strbuf uid, tmp, tmp2, key;
	size_t uidhead;              /* length of the event's part of w->uid */
	enum vd_calkind kind;        /* of the calendars being written */
	int err;                     /* some file of the group failed */

	/* re-planning (see vd_ics_write_all in ics.h) */
	long long now;               /* the new DTSTAMP and LAST-MODIFIED */
	struct vd_evstate *pv;       /* the previous plan's events, or NULL */
	const char *prevdir;
	vd_date freeze;              /* 0: none */
	struct kept_event **px;      /* per previous calendar: its events kept */
	size_t *pnx;
	unsigned char *pwritten;     /* per previous calendar: in the new plan */
	char **pname;                /* per previous calendar: its NAME */
	int pass1;                   /* only mark what the new plan has */
	vd_date xlo, xhi;            /* the dates of the events kept */
	struct memo *stamps;         /* DTSTAMP SEQUENCE LAST-MODIFIED texts */
	struct vd_evwriter csv;      /* state/events.csv */
	struct vd_strbuf ubuf, wbuf;
	struct vd_strv chg;          /* doctors whose file changed */
};

static inline int nonempty(const char *s)
{
	return s && *s;
}

/* ---- ics.c ---- */

/* Writes s[0 .. n) to o; a failure marks o and the group (w->err). */
void ics_put(struct ics_writer *w, struct cal_file *o, const char *s, size_t n);

/* ---- ics-event.c ---- */

/* How ics_append_clean treats what a calendar must not hold */
enum ics_clean {
	ICS_ONE_LINE,        /* every control character becomes a space */
	ICS_KEEP_NEWLINES,   /* as ICS_ONE_LINE, less \n */
	ICS_PARAM_VALUE      /* as ICS_ONE_LINE, and '"' becomes '\'' */
};
/* Appends s (NULL: nothing) to b, cleaned as `how` says. */
void ics_append_clean(struct vd_strbuf *b, const char *s, enum ics_clean how);
/* Appends the libical text s, repaired (ics_wire_repair), and frees s. */
void ics_append_ical(struct vd_strbuf *b, char *s);
/* Appends prop serialized by libical. */
void ics_append_prop(struct vd_strbuf *b, icalproperty *prop);
/* Repairs libical's folds across a line end in b->s[from ..). */
void ics_wire_repair(struct vd_strbuf *b, size_t from);
/* 1 when the course's language is English (LANGUAGE en...). */
int ics_lang_en(const struct vds_course *def);

/* The event's part of the UID of session s of run r, into w->uid. */
void ics_uid_event(struct ics_writer *w, size_t r, unsigned s);
/* Completes w->uid with o's part (after ics_uid_event). */
void ics_uid_owner(struct ics_writer *w, const struct cal_file *o);
/* Sets o's part of the UID, KIND-OWNER.PROGRAM@vdsched. */
void ics_uid_tail(struct ics_writer *w, struct cal_file *o);
/* qsort_r order of struct plan_event (arg: the writer): by start, then UID. */
int ics_cmp_ev(const void *a, const void *b, void *arg);

/* Local time min minutes into day, without a zone. */
icaltimetype ics_local_time(vd_date day, unsigned min);
/* SUMMARY's text, "course — session", into b. */
void ics_summary_text(struct ics_writer *w, const struct vd_run *run,
                      const struct vds_session *se, struct vd_strbuf *b);
/* LOCATION's text, "site, address" (en: English punctuation), into b. */
void ics_location_text(const struct vd_site *site, int en, struct vd_strbuf *b);
/* DESCRIPTION's text of session s of run: module, text, session, cohort..., into b. */
void ics_description_text(struct ics_writer *w, const struct vd_run *run, unsigned s,
                          struct vd_strbuf *b);
/* CATEGORIES' text of course ci, into b. */
void ics_category_text(struct ics_writer *w, size_t ci, struct vd_strbuf *b);
/* The site's GEO, NULL when it has no position. */
icalproperty *ics_geo_prop(const struct vd_site *site);
/* The program's ORGANIZER (b: scratch), NULL when it has none. */
icalproperty *ics_organizer_prop(struct ics_writer *w, struct vd_strbuf *b);
/* Alarm a of the program, without its DESCRIPTION. */
icalcomponent *ics_alarm_comp(struct ics_writer *w, size_t a);
/* Session s of run r as one VEVENT, built whole, UID uid first. */
icalcomponent *ics_build_event(struct ics_writer *w, size_t r, unsigned s, const char *uid);
/* Serializes the VTIMEZONE for the plan's dates into w->vtz; -1 after vd_error. */
int ics_prepare_zone(struct ics_writer *w);

/* ---- ics-cache.c ---- */

/* Allocates the cache and the memos, empty. */
void ics_cache_init(struct ics_writer *w);
/* Frees the cache, the memos and the pieces. */
void ics_cache_free(struct ics_writer *w);
/* Serializes the pieces every event shares (once, before writing). */
void ics_ev_pieces(struct ics_writer *w);
/* 1 when events are spliced and cached (vd_ics_set_cache). */
int ics_cache_on(void);
/* Session s of run r serialized without UID and stamps. */
const struct cache_slot *ics_event_text(struct ics_writer *w, size_t r, unsigned s);
/* DTSTAMP, SEQUENCE and LAST-MODIFIED serialized, from a memo. */
const struct memo *ics_stamp_text(struct ics_writer *w, int64_t stamp, uint32_t seq,
                                  int64_t lastmod);

/* ---- ics-kept.c ---- */

/* Reads the previous plan's events the new plan lacks (after pass 1);
 * -1 after vd_error. */
int ics_collect_kept(struct ics_writer *w);
/* Frees what ics_collect_kept read. */
void ics_kept_free(struct ics_writer *w);
/* Writes o's kept events before (start, uid), or all left when uid is NULL. */
void ics_flush_kept(struct ics_writer *w, struct cal_file *o, int64_t start, const char *uid);
#endif

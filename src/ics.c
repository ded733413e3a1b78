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
#include <csv.h>
#include <libical/ical.h>
#include "ics.h"
#include "icsstate.h"
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

static void sb_num(struct sbuf *b, uintmax_t v)
{
	char num[24], *e = num + sizeof num, *c = e;
	do
		*--c = (char)('0' + v % 10);
	while (v /= 10);
	sb_catn(b, c, (size_t)(e - c));
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
	struct sbuf txt;     /* the text; its buffer is reused by the next miss */
	size_t hl;           /* length of its first line, BEGIN:VEVENT */
	uint64_t hash;       /* vd_ev_hash of the text */
};

/* An event of the previous plan written again as it was (cancelled, or
 * history before the freeze date) or newly cancelled: text is final. */
struct xev {
	int64_t start;       /* local minutes, as struct ev */
	char *uid;
	struct sbuf text;
	uint64_t hash;
	int64_t stamp, lastmod;
	uint32_t seq;
	int cancelled;
	int fresh;           /* cancelled by this plan: the file changes */
};

/* One file being written; the files of a group are written side by side. */
struct outf {
	const char *id;
	char *label;
	FILE *f;
	char *path;
	int err;
	struct sbuf uidtail; /* KIND-OWNER.PROGRAM@vdsched */
	char *cal;           /* KIND/ID, its name in state/events.csv */
	size_t pcal;         /* its index in the previous state, VD_NONE if new */
	const char *calname; /* NAME when not program -- label (a departed owner) */
	struct xev *x;       /* its events from the previous plan, by start */
	size_t nx, xi;       /* how many, and how many written */
	int dirty;           /* differs from the previous file */
};

/* Serialized text of a property value: libical's output for the same
 * input is the same, so texts that recur across runs (the times of day,
 * the session titles) are serialized once. */
struct memo {
	struct sbuf key, txt;
	size_t split;        /* the summary memo: SUMMARY | alarms' DESCRIPTION */
};

#define MEMO_SLOTS 1024u
#define GROUP_MAX 64u        /* files written side by side */

/* Owners with the same runs, written together (see write_group). */
struct group {
	const char *sub;
	const size_t *runs;
	size_t nruns, n;
	struct outf o[GROUP_MAX];
};

struct ctx {
	const struct vd_program *p;
	const struct vd_plan *pl;
	struct vd_diag *dg;
	const char *outdir;
	const char *tzid;
	struct sbuf vtz;             /* serialized VTIMEZONE */
	struct sbuf head;            /* serialized calendar properties */
	size_t split;                /* where END:VCALENDAR starts in head */
	icalproperty *nameprop, *xnameprop;
	icaltimetype stamp;
	struct ev *ev;
	size_t nev, evcap;
	struct slot *slots;
	struct memo *times, *sums, *fixed;   /* MEMO_SLOTS each */
	char *iobuf;
	/* Pieces of an event that libical serialized once (see ev_pieces):
	 * BEGIN:VEVENT, END:VEVENT, and per alarm its
	 * BEGIN:VALARM+ACTION+TRIGGER; END:VALARM. */
	struct sbuf ev_begin, ev_end, al_end, *al_head;
	/* property objects reused for what varies by session */
	icalproperty *uidprop, *dtstart, *dtend, *summary, *desc, *aldesc;
	char *lang;                  /* LANGUAGE now on summary and desc */
	struct sbuf uid, tmp, tmp2, key;
	size_t uidhead;              /* length of the event's part of C->uid */
	const char *kind;            /* doctor, cohort, site or instructor */
	int err;                     /* some file of the group failed */

	/* re-planning (see vd_ics_write_all in ics.h) */
	long long now;               /* the new DTSTAMP and LAST-MODIFIED */
	struct vd_evstate *pv;       /* the previous plan's events, or NULL */
	const char *prevdir;
	vd_date freeze;              /* 0: none */
	struct xev **px;             /* per previous calendar: its events kept */
	size_t *pnx;
	unsigned char *pwritten;     /* per previous calendar: in the new plan */
	char **pname;                /* per previous calendar: its NAME */
	int pass1;                   /* only mark what the new plan has */
	vd_date xlo, xhi;            /* the dates of the events kept */
	struct memo *stamps;         /* DTSTAMP SEQUENCE LAST-MODIFIED texts */
	FILE *csv;                   /* state/events.csv */
	char *csvpath;
	int csverr;
	struct sbuf ubuf, wbuf, row;
	int64_t tlast;               /* csv_row's last stamp, formatted */
	char tfmt[17];
	struct vd_strv chg;          /* doctors whose file changed */
};

static void sb_free(struct sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* Repairs b->s[from ..): libical before 4.0.3 folds the content line
 * together with its CRLF, so a line of 73 octets comes out as CR, fold,
 * LF ("\r\r\n \n", which parsers read as a bare CR and a bare LF) and
 * one of 74 octets gains an empty continuation ("\r\n \r\n").  Both
 * become the plain line end the fixed libical writes (it folds the content
 * line without its line end: libical PR #1338, released in 4.0.3).  The
 * patterns come from nothing else: TEXT never holds a raw CR or LF. */
static void wire_repair(struct sbuf *b, size_t from)
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
static void sb_take(struct sbuf *b, char *s)
{
	size_t from = b->n;
	sb_cat(b, s ? s : "");
	icalmemory_free_buffer(s);
	wire_repair(b, from);
}

static void sb_prop(struct sbuf *b, icalproperty *prop)
{
	sb_take(b, icalproperty_as_ical_string_r(prop));
}

/* A doctor (and a cohort) takes a course once, so their UIDs leave the
 * cohort out: when a re-plan moves a doctor to another cohort, the phone
 * updates the event instead of keeping a stale copy.  Sites and
 * instructors hold several runs of a course, told apart by cohort. */
static int uid_has_cohort(const struct ctx *C)
{
	return strcmp(C->kind, "doctor") != 0 && strcmp(C->kind, "cohort") != 0;
}

/* The event's part of the UID, COURSE[-COHORT]-sN., into C->uid; the
 * file's part follows (uid_owner). */
static void uid_event(struct ctx *C, size_t r, unsigned s)
{
	const struct vd_run *run = &C->pl->runs[r];
	sb_reset(&C->uid);
	sb_cat(&C->uid, course_id(C->p, run->course));
	if (uid_has_cohort(C)) {
		sb_cat(&C->uid, "-");
		sb_cat(&C->uid, run->cohort);
	}
	sb_cat(&C->uid, "-s");
	sb_num(&C->uid, s + 1);
	sb_cat(&C->uid, ".");
	C->uidhead = C->uid.n;
}

static void uid_owner(struct ctx *C, const struct outf *o)
{
	C->uid.n = C->uidhead;
	sb_catn(&C->uid, o->uidtail.s, o->uidtail.n);
}

static void uid_tail(struct ctx *C, struct outf *o)
{
	sb_reset(&o->uidtail);
	sb_cat(&o->uidtail, C->kind);
	sb_cat(&o->uidtail, "-");
	sb_cat(&o->uidtail, o->id);
	sb_cat(&o->uidtail, ".");
	sb_cat(&o->uidtail, C->p->id ? C->p->id : "vdsched");
	sb_cat(&o->uidtail, "@vdsched");
}

/* ---- the texts of an event's properties ---- */

static icaltimetype local_time(vd_date day, unsigned min)
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
static void summary_text(struct ctx *C, const struct vd_run *run, const struct vds_session *se,
                         struct sbuf *b)
{
	const struct vds_course *def = C->p->courses[run->course].def;
	sb_reset(b);
	sb_clean(b, def->title ? def->title : course_id(C->p, run->course), 0, 0);
	if (nonempty(se->title)) {
		sb_cat(b, " — ");
		sb_clean(b, se->title, 0, 0);
	}
}

/* LOCATION: site name, address */
static void location_text(const struct vd_site *site, int en, struct sbuf *b)
{
	sb_reset(b);
	sb_clean(b, nonempty(site->name) ? site->name : site->id, 0, 0);
	if (nonempty(site->address)) {
		sb_cat(b, en ? ", " : "，");
		sb_clean(b, site->address, 0, 0);
	}
}

/* the GEO property of the site, NULL when it has no position */
static icalproperty *geo_prop(const struct vd_site *site)
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

static void description_text(struct ctx *C, const struct vd_run *run, unsigned s, struct sbuf *b)
{
	const struct vd_program *p = C->p;
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	int en = lang_en(def);
	sb_reset(b);
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
	/* "Session %u of %zu, day %u of %u\n", "课次：第%u节，共%zu节（第%u天，共%u天）\n",
	 * without snprintf, which is slow on a multibyte format */
	sb_cat(b, en ? "Session " : "课次：第");
	sb_num(b, s + 1);
	sb_cat(b, en ? " of " : "节，共");
	sb_num(b, def->nsessions);
	sb_cat(b, en ? ", day " : "节（第");
	sb_num(b, se->day + 1u);
	sb_cat(b, en ? " of " : "天，共");
	sb_num(b, def->days);
	sb_cat(b, en ? "\n" : "天）\n");
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
}

static void category_text(struct ctx *C, size_t ci, struct sbuf *b)
{
	const struct vds_course *def = C->p->courses[ci].def;
	sb_reset(b);
	sb_clean(b, nonempty(def->category) ? def->category
	            : def->title ? def->title : course_id(C->p, ci), 0, 0);
}

/* ORGANIZER, NULL when the program has none */
static icalproperty *organizer_prop(struct ctx *C, struct sbuf *b)
{
	const struct vd_program *p = C->p;
	if (!nonempty(p->organizer))
		return NULL;
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
	return org;
}

/* A VALARM without its DESCRIPTION (the event's summary), which is its
 * last property. */
static icalcomponent *alarm_comp(struct ctx *C, size_t a)
{
	icalcomponent *al = icalcomponent_new(ICAL_VALARM_COMPONENT);
	icalcomponent_add_property(al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
	struct icaltriggertype tr = icaltriggertype_from_int(-C->p->alarms[a] * 60);
	icalcomponent_add_property(al, icalproperty_new_trigger(tr));
	return al;
}

static void add_text_prop(icalcomponent *ev, icalproperty *prop, const char *lang)
{
	if (nonempty(lang))
		icalproperty_add_parameter(prop, icalparameter_new_language(lang));
	icalcomponent_add_property(ev, prop);
}

static icalproperty *local_time_prop(struct ctx *C, int dtend, vd_date day, unsigned min)
{
	icaltimetype t = local_time(day, min);
	icalproperty *prop = dtend ? icalproperty_new_dtend(t) : icalproperty_new_dtstart(t);
	icalproperty_add_parameter(prop, icalparameter_new_tzid(C->tzid));
	return prop;
}

/* One VEVENT for session s of run r, UID first, built whole: the
 * reference form, used when the cache is off; the spliced form of
 * event_text must give the same bytes. */
static icalcomponent *build_event(struct ctx *C, size_t r, unsigned s, const char *uid)
{
	const struct vd_program *p = C->p;
	const struct vd_run *run = &C->pl->runs[r];
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	const struct vd_site *site = &p->sites[run->site];
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);

	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(C->stamp));
	icalcomponent_add_property(ev, icalproperty_new_sequence(0));
	icalcomponent_add_property(ev, icalproperty_new_lastmodified(C->stamp));
	icalcomponent_add_property(ev, local_time_prop(C, 0, run->dates[se->day], se->start));
	icalcomponent_add_property(ev, local_time_prop(C, 1, run->dates[se->day], se->end));

	struct sbuf *b = &C->tmp, *summary = &C->tmp2;
	summary_text(C, run, se, summary);
	add_text_prop(ev, icalproperty_new_summary(summary->s), def->lang);

	location_text(site, lang_en(def), b);
	icalcomponent_add_property(ev, icalproperty_new_location(b->s));
	icalproperty *geo = geo_prop(site);
	if (geo)
		icalcomponent_add_property(ev, geo);

	description_text(C, run, s, b);
	add_text_prop(ev, icalproperty_new_description(b->s), def->lang);

	category_text(C, run->course, b);
	icalcomponent_add_property(ev, icalproperty_new_categories(b->s));
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	icalproperty *org = organizer_prop(C, b);
	if (org)
		icalcomponent_add_property(ev, org);

	for (size_t a = 0; a < p->nalarms; a++) {
		icalcomponent *al = alarm_comp(C, a);
		icalcomponent_add_property(al, icalproperty_new_description(summary->s));
		icalcomponent_add_component(ev, al);
	}
	return ev;
}

/* ---- the spliced form ----
 *
 * libical serializes a component as BEGIN:KIND, each property in the
 * order added, each subcomponent, END:KIND, and a property the same
 * whatever component holds it.  So an event is spliced from pieces, each
 * serialized by libical, in build_event's order:
 *
 *   BEGIN:VEVENT  UID  DTSTAMP SEQUENCE LAST-MODIFIED  DTSTART DTEND SUMMARY
 *   LOCATION GEO  DESCRIPTION  CATEGORIES STATUS ORGANIZER
 *   (BEGIN:VALARM ACTION TRIGGER  DESCRIPTION  END:VALARM)...  END:VEVENT
 *
 * Pieces the same for all events are serialized once (ev_pieces), those
 * of a site or course once (fixed_text), and per session only DTSTART, DTEND,
 * SUMMARY and the two DESCRIPTIONs, on property objects that are reused.
 * The UID and the stamps, which are the file's own, come last
 * (write_event). */

/* Splits the serialization of an empty component into BEGIN and END. */
static void split_comp(icalcomponent *c, struct sbuf *begin, struct sbuf *end)
{
	struct sbuf t = { 0 };
	sb_take(&t, icalcomponent_as_ical_string_r(c));
	char *e = strstr(t.s, "END:");
	size_t n = e ? (size_t)(e - t.s) : t.n;
	sb_catn(begin, t.s, n);
	sb_cat(end, t.s + n);
	sb_free(&t);
}

static void ev_pieces(struct ctx *C)
{
	const struct vd_program *p = C->p;
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	split_comp(ev, &C->ev_begin, &C->ev_end);
	icalcomponent_free(ev);

	C->al_head = xcalloc(p->nalarms + 1, sizeof *C->al_head);
	for (size_t a = 0; a < p->nalarms; a++) {
		icalcomponent *al = alarm_comp(C, a);
		sb_reset(&C->al_end);
		split_comp(al, &C->al_head[a], &C->al_end);
		icalcomponent_free(al);
	}

	icaltimetype t = local_time(0, 0);
	C->dtstart = icalproperty_new_dtstart(t);
	icalproperty_add_parameter(C->dtstart, icalparameter_new_tzid(C->tzid));
	C->dtend = icalproperty_new_dtend(t);
	icalproperty_add_parameter(C->dtend, icalparameter_new_tzid(C->tzid));
	C->summary = icalproperty_new_summary("");
	C->desc = icalproperty_new_description("");
	C->aldesc = icalproperty_new_description("");
	C->uidprop = icalproperty_new_uid("");
}

static void pieces_free(struct ctx *C)
{
	sb_free(&C->ev_begin);
	sb_free(&C->ev_end);
	sb_free(&C->al_end);
	for (size_t a = 0; C->al_head && a < C->p->nalarms; a++)
		sb_free(&C->al_head[a]);
	free(C->al_head);
	icalproperty *props[] = { C->dtstart, C->dtend, C->summary, C->desc, C->aldesc, C->uidprop };
	for (size_t i = 0; i < sizeof props / sizeof *props; i++)
		if (props[i])
			icalproperty_free(props[i]);
	free(C->lang);
}

/* Puts LANGUAGE=lang (none when empty) on SUMMARY and DESCRIPTION, as
 * add_text_prop does; only when it changes, which is per course. */
static void set_lang(struct ctx *C, const char *lang)
{
	const char *want = nonempty(lang) ? lang : "";
	if (C->lang && !strcmp(C->lang, want))
		return;
	free(C->lang);
	C->lang = xstrdup(want);
	icalproperty *props[] = { C->summary, C->desc };
	for (size_t i = 0; i < 2; i++) {
		icalproperty_remove_parameter_by_kind(props[i], ICAL_LANGUAGE_PARAMETER);
		if (*want)
			icalproperty_add_parameter(props[i], icalparameter_new_language(want));
	}
}

static uint64_t hash(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = 14695981039346656037u, w;   /* FNV-1a, 8 bytes a step */
	for (; n >= 8; n -= 8, c += 8) {
		memcpy(&w, c, 8);
		h = (h ^ w) * 1099511628211u;
		h ^= h >> 29;
	}
	for (; n; n--)
		h = (h ^ *c++) * 1099511628211u;
	return h ^ h >> 32;
}

/* The slot of tab for key: *hit when it holds key's text, else it is
 * emptied and given key, for the caller to fill in its text. */
static struct memo *memo_find(struct memo *tab, const void *key, size_t n, int *hit)
{
	struct memo *m = &tab[hash(key, n) % MEMO_SLOTS];
	*hit = m->key.s && m->key.n == n && !memcmp(m->key.s, key, n);
	if (!*hit) {
		sb_reset(&m->key);
		sb_catn(&m->key, key, n);
		sb_reset(&m->txt);
	}
	return m;
}

static void memo_free(struct memo *tab)
{
	for (size_t i = 0; tab && i < MEMO_SLOTS; i++) {
		sb_free(&tab[i].key);
		sb_free(&tab[i].txt);
	}
	free(tab);
}

/* DTSTART (end 0) or DTEND (1) of minute min of day, appended to t */
static void time_text(struct ctx *C, struct sbuf *t, int end, vd_date day, unsigned min)
{
	unsigned char key[1 + sizeof day + sizeof min];
	key[0] = (unsigned char)end;
	memcpy(key + 1, &day, sizeof day);
	memcpy(key + 1 + sizeof day, &min, sizeof min);
	int hit;
	struct memo *m = memo_find(C->times, key, sizeof key, &hit);
	if (!hit) {
		icalproperty *prop = end ? C->dtend : C->dtstart;
		if (end)
			icalproperty_set_dtend(prop, local_time(day, min));
		else
			icalproperty_set_dtstart(prop, local_time(day, min));
		sb_prop(&m->txt, prop);
	}
	sb_catn(t, m->txt.s, m->txt.n);
}

/* SUMMARY and the alarms' DESCRIPTION for summary text sum, in language
 * lang, from the memo. */
static const struct memo *summary_memo(struct ctx *C, const char *lang, const struct sbuf *sum)
{
	struct sbuf *key = &C->key;
	sb_reset(key);
	sb_cat(key, nonempty(lang) ? lang : "");
	sb_catn(key, "", 1);
	sb_catn(key, sum->s, sum->n);
	int hit;
	struct memo *m = memo_find(C->sums, key->s, key->n, &hit);
	if (!hit) {
		set_lang(C, lang);
		icalproperty_set_summary(C->summary, sum->s);
		sb_prop(&m->txt, C->summary);
		m->split = m->txt.n;
		if (C->p->nalarms) {
			icalproperty_set_description(C->aldesc, sum->s);
			sb_prop(&m->txt, C->aldesc);
		}
	}
	return m;
}

/* LOCATION and GEO of site si, or (site VD_NONE) CATEGORIES, STATUS and
 * ORGANIZER of course ci: the properties that depend only on the run's
 * site or course, appended to t. */
static void fixed_text(struct ctx *C, struct sbuf *t, size_t si, size_t ci)
{
	const struct vds_course *def = C->p->courses[ci].def;
	int en = lang_en(def);
	size_t key[2] = { si, si == VD_NONE ? ci : (size_t)en };
	int hit;
	struct memo *m = memo_find(C->fixed, key, sizeof key, &hit);
	if (!hit) {
		struct sbuf *b = &C->tmp;
		icalproperty *prop;
		if (si != VD_NONE) {
			const struct vd_site *site = &C->p->sites[si];
			location_text(site, en, b);
			prop = icalproperty_new_location(b->s);
			sb_prop(&m->txt, prop);
			icalproperty_free(prop);
			if ((prop = geo_prop(site))) {
				sb_prop(&m->txt, prop);
				icalproperty_free(prop);
			}
		} else {
			category_text(C, ci, b);
			prop = icalproperty_new_categories(b->s);
			sb_prop(&m->txt, prop);
			icalproperty_free(prop);
			prop = icalproperty_new_status(ICAL_STATUS_CONFIRMED);
			sb_prop(&m->txt, prop);
			icalproperty_free(prop);
			if ((prop = organizer_prop(C, b))) {
				sb_prop(&m->txt, prop);
				icalproperty_free(prop);
			}
		}
	}
	sb_catn(t, m->txt.s, m->txt.n);
}

/* Session s of run r serialized without UID, from the cache, spliced
 * there on a miss. */
static const struct slot *event_text(struct ctx *C, size_t r, unsigned s)
{
	struct slot *sl = &C->slots[((uint64_t)r * 61 + s) % CACHE_SLOTS];
	if (sl->run == r && sl->sess == s)
		return sl;
	const struct vd_program *p = C->p;
	const struct vd_run *run = &C->pl->runs[r];
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	struct sbuf *t = &sl->txt, *b = &C->tmp, *summary = &C->tmp2;
	sl->run = r;
	sl->sess = s;
	sb_reset(t);
	sb_catn(t, C->ev_begin.s, C->ev_begin.n);
	sl->hl = t->n;
	time_text(C, t, 0, run->dates[se->day], se->start);
	time_text(C, t, 1, run->dates[se->day], se->end);
	summary_text(C, run, se, summary);
	const struct memo *sm = summary_memo(C, def->lang, summary);
	sb_catn(t, sm->txt.s, sm->split);
	fixed_text(C, t, run->site, run->course);
	set_lang(C, def->lang);
	description_text(C, run, s, b);
	icalproperty_set_description(C->desc, b->s);
	sb_prop(t, C->desc);
	fixed_text(C, t, VD_NONE, run->course);
	for (size_t a = 0; a < p->nalarms; a++) {
		sb_catn(t, C->al_head[a].s, C->al_head[a].n);
		sb_catn(t, sm->txt.s + sm->split, sm->txt.n - sm->split);
		sb_catn(t, C->al_end.s, C->al_end.n);
	}
	sb_catn(t, C->ev_end.s, C->ev_end.n);
	sl->hash = vd_ev_hash(t->s, t->n);
	return sl;
}

/* ---- output ---- */

static void put(struct ctx *C, struct outf *o, const char *s, size_t n)
{
	if (!o->err && n && fwrite(s, 1, n, o->f) != n) {
		o->err = errno ? errno : EIO;
		C->err = 1;
	}
}

/* DTSTAMP, SEQUENCE and LAST-MODIFIED, serialized by libical; few
 * combinations recur (one per plan that changed an event). */
static const struct memo *stamp_text(struct ctx *C, int64_t stamp, uint32_t seq, int64_t lastmod)
{
	unsigned char key[2 * sizeof stamp + sizeof seq];
	memcpy(key, &stamp, sizeof stamp);
	memcpy(key + sizeof stamp, &lastmod, sizeof lastmod);
	memcpy(key + 2 * sizeof stamp, &seq, sizeof seq);
	int hit;
	struct memo *m = memo_find(C->stamps, key, sizeof key, &hit);
	if (!hit) {
		icaltimezone *utc = icaltimezone_get_utc_timezone();
		icalproperty *prop = icalproperty_new_dtstamp(icaltime_from_timet_with_zone((time_t)stamp, 0, utc));
		sb_prop(&m->txt, prop);
		icalproperty_free(prop);
		prop = icalproperty_new_sequence((int)seq);
		sb_prop(&m->txt, prop);
		icalproperty_free(prop);
		prop = icalproperty_new_lastmodified(icaltime_from_timet_with_zone((time_t)lastmod, 0, utc));
		sb_prop(&m->txt, prop);
		icalproperty_free(prop);
	}
	return m;
}

/* Appends one field of state/events.csv: quoted by libcsv when it must be
 * (our ids never need it). */
static void csv_field(struct sbuf *b, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") || s[0] == ' ') {
		size_t n = strlen(s), need = 2 * n + 3;
		xgrow(&b->s, &b->cap, b->n + need + 1, 1);
		b->n += csv_write(b->s + b->n, need, s, n);
		b->s[b->n] = '\0';
	} else {
		sb_cat(b, s);
	}
	sb_cat(b, last ? "\r\n" : ",");
}

/* The row of one event written to o. */
static void csv_row(struct ctx *C, struct outf *o, const char *uid, uint32_t seq,
                    int64_t stamp, int64_t lastmod, uint64_t hash, int cancelled)
{
	if (C->csverr)
		return;
	struct sbuf *b = &C->row;
	char t[17], h[17];
	sb_reset(b);
	csv_field(b, o->cal, 0);
	csv_field(b, uid, 0);
	sb_num(b, seq);
	sb_cat(b, ",");
	/* the stamps take few values: the last one formatted is kept */
	if (stamp != C->tlast || !C->tfmt[0])
		vd_utc_format(C->tlast = stamp, C->tfmt);
	sb_catn(b, C->tfmt, 16);
	sb_cat(b, ",");
	sb_catn(b, lastmod == stamp ? C->tfmt : vd_utc_format(lastmod, t), 16);
	sb_cat(b, ",");
	for (int i = 0; i < 16; i++)
		h[i] = "0123456789abcdef"[(hash >> (60 - 4 * i)) & 15];
	h[16] = '\0';
	sb_cat(b, h);
	sb_cat(b, cancelled ? ",CANCELLED\r\n" : ",CONFIRMED\r\n");
	if (fwrite(b->s, 1, b->n, C->csv) != b->n)
		C->csverr = errno ? errno : EIO;
}

/* Writes o's events of the previous plan that come before the event at
 * local minute start with UID uid (all that are left when uid is NULL). */
static void flush_kept(struct ctx *C, struct outf *o, int64_t start, const char *uid)
{
	for (; o->xi < o->nx; o->xi++) {
		struct xev *x = &o->x[o->xi];
		if (uid && (x->start > start || (x->start == start && strcmp(x->uid, uid) > 0)))
			break;
		put(C, o, x->text.s, x->text.n);
		o->dirty |= x->fresh;
		csv_row(C, o, x->uid, x->seq, x->stamp, x->lastmod, x->hash, x->cancelled);
	}
}

/* Event e for the file o; the event's part of the UID is in C->uid. */
static void write_event(struct ctx *C, struct outf *o, const struct ev *e, const struct slot *sl)
{
	uid_owner(C, o);
	if (C->pass1) {
		struct vd_evrow *row = o->pcal == VD_NONE ? NULL
			: vd_evstate_find(C->pv, vd_ev_key(o->pcal, C->uid.s, C->uid.n));
		if (row)
			row->seen = 1;
		return;
	}
	icalcomponent *ev = NULL;
	uint64_t hash;
	if (!sl) {
		ev = build_event(C, e->run, e->sess, C->uid.s);
		sb_reset(&C->wbuf);
		sb_take(&C->wbuf, icalcomponent_as_ical_string_r(ev));
		hash = vd_ev_hash(C->wbuf.s, C->wbuf.n);
	} else {
		hash = sl->hash;
	}

	/* unchanged: the stamps it had; changed: the next SEQUENCE, now */
	int64_t stamp = C->now, lastmod = C->now;
	uint32_t seq = 0;
	struct vd_evrow *row = NULL;
	if (C->pv && o->pcal != VD_NONE)
		row = vd_evstate_find(C->pv, vd_ev_key(o->pcal, C->uid.s, C->uid.n));
	if (row && row->hash == hash && !row->cancelled) {
		stamp = row->stamp;
		lastmod = row->lastmod;
		seq = row->seq;
	} else {
		if (row)
			seq = row->seq + 1;
		o->dirty = 1;
	}
	if (o->nx > o->xi)
		flush_kept(C, o, e->start, C->uid.s);

	if (!sl) {
		if (stamp != C->now || seq) {
			icaltimezone *utc = icaltimezone_get_utc_timezone();
			icalcomponent_set_dtstamp(ev, icaltime_from_timet_with_zone((time_t)stamp, 0, utc));
			icalcomponent_set_sequence(ev, (int)seq);
			icalproperty_set_lastmodified(icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY),
			                              icaltime_from_timet_with_zone((time_t)lastmod, 0, utc));
			sb_reset(&C->wbuf);
			sb_take(&C->wbuf, icalcomponent_as_ical_string_r(ev));
		}
		put(C, o, C->wbuf.s, C->wbuf.n);
		icalcomponent_free(ev);
	} else {
		/* the same as icalproperty_set_uid, less a new value each time */
		icalvalue_set_text(icalproperty_get_value(C->uidprop), C->uid.s);
		sb_reset(&C->ubuf);
		sb_prop(&C->ubuf, C->uidprop);
		const struct memo *st = stamp_text(C, stamp, seq, lastmod);
		put(C, o, sl->txt.s, sl->hl);
		put(C, o, C->ubuf.s, C->ubuf.n);
		put(C, o, st->txt.s, st->txt.n);
		put(C, o, sl->txt.s + sl->hl, sl->txt.n - sl->hl);
	}
	csv_row(C, o, C->uid.s, seq, stamp, lastmod, hash, 0);
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
	if (p->refresh > 0) {  /* how often a subscriber fetches it again (RFC 7986, Apple, Outlook) */
		struct icaldurationtype every = icaldurationtype_from_int(p->refresh * 60);
		icalproperty *ri = icalproperty_new_refreshinterval(every);
		icalproperty_add_parameter(ri, icalparameter_new_value(ICAL_VALUE_DURATION));
		icalcomponent_add_property(cal, ri);
		icalproperty *ttl = icalproperty_new_x(icaldurationtype_as_ical_string(every));
		icalproperty_set_x_name(ttl, "X-PUBLISHED-TTL");
		icalcomponent_add_property(cal, ttl);
	}
	sb_take(&C->head, icalcomponent_as_ical_string_r(cal));
	icalcomponent_free(cal);
	char *end = strstr(C->head.s, "END:VCALENDAR");
	C->split = end ? (size_t)(end - C->head.s) : C->head.n;
	C->nameprop = icalproperty_new_name("");
	icalproperty_add_parameter(C->nameprop, icalparameter_new_language("zh-CN"));
	C->xnameprop = icalproperty_new_x("");
	icalproperty_set_x_name(C->xnameprop, "X-WR-CALNAME");
}

/* NAME and X-WR-CALNAME, the calendar's own, appended to b.  X-WR-CALNAME
 * is TEXT, escaped as NAME is (\, \; \\), but libical 3.0 serializes an
 * X- property's value with , and ; bare and every backslash doubled.  So
 * libical escapes the name as a TEXT value, the escapes' backslashes go
 * in as 0x01 (no calendar name holds a control character: sb_clean), and
 * libical's line (folded as for the backslashes: same length, ASCII) gets
 * them back. */
static void names_text(struct ctx *C, struct sbuf *b, const char *calname)
{
	icalproperty_set_name(C->nameprop, calname);
	sb_prop(b, C->nameprop);
	icalvalue *v = icalvalue_new_text(calname);
	char *esc = icalvalue_as_ical_string_r(v);
	icalvalue_free(v);
	for (char *c = esc; c && *c; c++)
		if (*c == '\\')
			*c = '\x01';
	icalproperty_set_x(C->xnameprop, esc ? esc : "");
	icalmemory_free_buffer(esc);
	size_t from = b->n;
	sb_prop(b, C->xnameprop);
	for (char *c = b->s + from; *c; c++)
		if (*c == '\x01')
			*c = '\\';
}

/* 1 when the file at path starts with head[0 .. n) and has size bytes:
 * the new file, whose events are all unchanged, is then the same. */
static int same_file(const char *path, const char *head, size_t n, long long size)
{
	struct stat st;
	if (stat(path, &st) != 0 || st.st_size != size)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char buf[4096];
	size_t off = 0;
	int same = 1;
	while (same && off < n) {
		size_t want = n - off < sizeof buf ? n - off : sizeof buf;
		same = fread(buf, 1, want, f) == want && !memcmp(buf, head + off, want);
		off += want;
	}
	fclose(f);
	return same;
}

/* Sets up o's part of the previous plan: its index there and the events
 * of it that the new plan no longer has. */
static void outf_prev(struct ctx *C, struct group *g, struct outf *o)
{
	o->cal = xasprintf("%s/%s", g->sub, o->id);
	o->pcal = C->pv ? vd_evstate_cal(C->pv, o->cal) : VD_NONE;
	o->x = NULL;
	o->nx = o->xi = 0;
	o->dirty = !C->pv || o->pcal == VD_NONE;
	if (o->pcal != VD_NONE && C->px) {
		o->x = C->px[o->pcal];
		o->nx = C->pnx[o->pcal];
		C->pwritten[o->pcal] = 1;
	}
}

/* Writes the files of group g side by side, event by event: each event is
 * serialized (or found in the cache) once and written to every file with
 * that file's UID.  Owners with the same runs -- the doctors of a cohort
 * -- have the same events in the same order, and a course of more
 * sessions than the cache holds would otherwise be serialized again for
 * every owner.  The stdio buffer is shared out among the files.  In pass
 * 1 nothing is written: the previous plan's events the new one has are
 * marked. */
static int write_group(struct ctx *C, struct group *g)
{
	int rc = 0;
	size_t n = g->n, nopen = 0;
	int openerr = 0;
	g->n = 0;
	C->nev = 0;
	for (size_t k = 0; k < g->nruns && !rc; k++)
		rc = add_run_events(C, g->runs[k]);
	if (rc)
		goto out;
	if (C->nev > 1)
		qsort_r(C->ev, C->nev, sizeof *C->ev, cmp_ev, C);

	if (C->pass1) {
		for (size_t k = 0; k < n; k++) {
			struct outf *o = &g->o[k];
			outf_prev(C, g, o);
			uid_tail(C, o);
		}
		for (size_t i = 0; i < C->nev; i++) {
			uid_event(C, C->ev[i].run, C->ev[i].sess);
			for (size_t k = 0; k < n; k++)
				write_event(C, &g->o[k], &C->ev[i], NULL);
		}
		goto out;
	}

	size_t bufsz = IOBUF_SIZE / n;
	for (; nopen < n; nopen++) {
		struct outf *o = &g->o[nopen];
		o->path = xasprintf("%s/ics/%s/%s.ics", C->outdir, g->sub, o->id);
		outf_prev(C, g, o);
		o->err = 0;
		errno = 0;
		o->f = fopen(o->path, "wb");
		if (!o->f) {
			/* the files before it are still written, as one by one */
			openerr = errno;
			break;
		}
		setvbuf(o->f, C->iobuf + nopen * bufsz, _IOFBF, bufsz);
		uid_tail(C, o);
	}

	C->err = 0;
	struct sbuf *b = &C->tmp;
	for (size_t k = 0; k < nopen; k++) {
		struct outf *o = &g->o[k];
		sb_reset(b);
		if (o->calname) {
			sb_cat(b, o->calname);
		} else {
			sb_clean(b, nonempty(C->p->name) ? C->p->name : C->p->id ? C->p->id : "vdsched", 0, 0);
			sb_cat(b, " — ");
			sb_clean(b, o->label, 0, 0);
		}
		sb_reset(&C->ubuf);
		sb_catn(&C->ubuf, C->head.s, C->split);
		names_text(C, &C->ubuf, b->s);
		sb_catn(&C->ubuf, C->vtz.s, C->vtz.n);
		put(C, o, C->ubuf.s, C->ubuf.n);
		/* kept for the comparison with the previous file */
		free(o->label);
		o->label = xstrndup(C->ubuf.s, C->ubuf.n);
	}
	for (size_t i = 0; i < C->nev && !C->err; i++) {
		const struct ev *e = &C->ev[i];
		const struct slot *sl = cache_on ? event_text(C, e->run, e->sess) : NULL;
		uid_event(C, e->run, e->sess);
		for (size_t k = 0; k < nopen; k++)
			write_event(C, &g->o[k], e, sl);
	}
	for (size_t k = 0; k < nopen; k++) {
		struct outf *o = &g->o[k];
		flush_kept(C, o, 0, NULL);
		put(C, o, C->head.s + C->split, C->head.n - C->split);
		long long size = o->f ? (long long)ftello(o->f) : -1;
		if (!o->err && fflush(o->f) != 0)
			o->err = errno ? errno : EIO;
		if (!o->err && ferror(o->f))
			o->err = EIO;
		if (fclose(o->f) != 0 && !o->err)
			o->err = errno ? errno : EIO;
		o->f = NULL;
		if (o->err && rc == 0) {
			/* the first failure, as when the files were written in turn */
			vd_error(C->dg, o->path, 0, _("cannot write: %s"), strerror(o->err));
			rc = -1;
		}
		if (!o->err && !strcmp(C->kind, "doctor")) {
			if (!o->dirty) {
				char *old = xasprintf("%s/ics/%s.ics", C->prevdir, o->cal);
				o->dirty = !same_file(old, o->label, strlen(o->label), size);
				free(old);
			}
			if (o->dirty)
				vd_strv_push(&C->chg, o->id);
		}
	}
	if (nopen < n && rc == 0) {
		vd_error(C->dg, g->o[nopen].path, 0, _("cannot write: %s"), strerror(openerr));
		rc = -1;
	}
out:
	for (size_t k = 0; k < n; k++) {
		free(g->o[k].path);
		free(g->o[k].label);
		free(g->o[k].cal);
		g->o[k].path = g->o[k].label = g->o[k].cal = NULL;
		g->o[k].calname = NULL;
	}
	C->nev = 0;
	return rc;
}

/* Adds the file of owner id (its runs runs[0 .. nruns)) to group g,
 * writing the group first when the owner's runs differ or it is full.
 * calname, when not NULL, is the whole NAME (an owner who left). */
static int group_add(struct ctx *C, struct group *g, const char *id, const char *label,
                     const size_t *runs, size_t nruns, const char *calname)
{
	if (g->n && (g->n == GROUP_MAX || g->nruns != nruns || calname ||
	             memcmp(g->runs, runs, nruns * sizeof *runs) != 0)) {
		if (write_group(C, g))
			return -1;
	}
	if (!vd_id_valid(id)) {
		if (g->n && write_group(C, g))
			return -1;
		vd_error(C->dg, NULL, 0, _("cannot write a calendar for '%s': not a valid id (A-Z a-z 0-9 _ . -)"), id);
		return -1;
	}
	if (!g->n) {
		g->runs = runs;
		g->nruns = nruns;
	}
	struct outf *o = &g->o[g->n++];
	o->id = id;
	o->label = xstrdup(label);
	o->calname = calname;
	return 0;
}

/* Writes what is left of g. */
static int group_end(struct ctx *C, struct group *g, int rc)
{
	if (!rc && g->n)
		return write_group(C, g);
	for (size_t k = 0; k < g->n; k++) {
		free(g->o[k].label);
		g->o[k].label = NULL;
	}
	g->n = 0;
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
	/* and the events kept from the previous plan */
	if (C->xlo < lo) lo = C->xlo;
	if (C->xhi > hi) hi = C->xhi;
	if (lo > hi)
		lo = hi = (vd_date)(C->stamp.year > 0 ? vd_date_from_ymd(C->stamp.year, 1, 1) : 0);
	int y1, y2, m, d;
	vd_date_to_ymd(lo, &y1, &m, &d);
	vd_date_to_ymd(hi, &y2, &m, &d);
	icaltimezone_truncate_vtimezone(vtz, utc_day(y1 - 1, 12, 31), utc_day(y2 + 1, 1, 2), 0);
	sb_take(&C->vtz, icalcomponent_as_ical_string_r(vtz));
	icalcomponent_free(vtz);
	return 0;
}

/* ---- the previous plan ---- */

static int cmp_xev(const void *a, const void *b)
{
	const struct xev *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->uid, y->uid);
}

static unsigned cal_kind_flag(const char *cal)
{
	return !strncmp(cal, "doctors/", 8) ? VD_CAL_DOCTORS
	     : !strncmp(cal, "cohorts/", 8) ? VD_CAL_COHORTS
	     : !strncmp(cal, "sites/", 6) ? VD_CAL_SITES : VD_CAL_INSTRUCTORS;
}

/* The cancellation of the previous event old: its UID, times, SUMMARY,
 * LOCATION and ORGANIZER, STATUS:CANCELLED, the next SEQUENCE, now. */
static void cancel_text(struct ctx *C, icalcomponent *old, const struct vd_evrow *row, struct xev *x)
{
	static const icalproperty_kind keep[] = { ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY,
		ICAL_SUMMARY_PROPERTY, ICAL_LOCATION_PROPERTY };
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icaltimetype now = icaltime_from_timet_with_zone((time_t)C->now, 0, utc);
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
	sb_take(&x->text, icalcomponent_as_ical_string_r(ev));
	icalcomponent_free(ev);
	x->hash = vd_ev_hash(x->text.s, x->text.n);
	x->stamp = x->lastmod = C->now;
	x->seq = row->seq + 1;
	x->cancelled = 1;
	x->fresh = 1;
}

/* The events of previous calendar cal that the new plan lacks, from its
 * file: cancelled now, or kept as they were (cancelled before, or history
 * before the freeze date).  *calname gets its NAME. */
static int kept_events(struct ctx *C, size_t cal, size_t unseen, char **calname)
{
	char *path = xasprintf("%s/ics/%s.ics", C->prevdir, C->pv->cals[cal]);
	struct sbuf t = { 0 };
	char buf[65536];
	size_t got;
	int err = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		err = errno ? errno : EIO;
	} else {
		while ((got = fread(buf, 1, sizeof buf, f)) > 0)
			sb_catn(&t, buf, got);
		if (ferror(f))
			err = errno ? errno : EIO;
		fclose(f);
	}
	if (err) {
		vd_error(C->dg, path, 0, _("cannot read the previous plan's calendar: %s"), strerror(err));
		free(path);
		sb_free(&t);
		return -1;
	}
	sb_cat(&t, "");
	struct xev *v = NULL;
	size_t n = 0, cap = 0;
	static const char bev[] = "BEGIN:VEVENT\r\n", eev[] = "END:VEVENT\r\n";
	char *first = strstr(t.s, bev);
	/* the calendar's NAME: its properties, parsed by libical */
	struct sbuf hd = { 0 };
	sb_catn(&hd, t.s, first ? (size_t)(first - t.s) : t.n);
	if (!strstr(hd.s, "END:VCALENDAR"))
		sb_cat(&hd, "END:VCALENDAR\r\n");
	icalcomponent *hc = icalparser_parse_string(hd.s);
	icalproperty *np = hc ? icalcomponent_get_first_property(hc, ICAL_NAME_PROPERTY) : NULL;
	*calname = np && icalproperty_get_name(np) ? xstrdup(icalproperty_get_name(np)) : NULL;
	if (hc)
		icalcomponent_free(hc);
	sb_free(&hd);

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
		struct vd_evrow *row = uid ? vd_evstate_find(C->pv, vd_ev_key(cal, uid, strlen(uid))) : NULL;
		icalproperty *dsp = ev ? icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) : NULL;
		icalparameter *tzp = dsp ? icalproperty_get_first_parameter(dsp, ICAL_TZID_PARAMETER) : NULL;
		const char *tz = tzp ? icalparameter_get_tzid(tzp) : NULL;
		if (row && !row->seen && row->cal == cal && (!tz || strcmp(tz, C->tzid))) {
			/* its times would not match this file's VTIMEZONE */
			vd_error(C->dg, path, 0, _("event '%s' is in time zone '%s', this plan in '%s'; a re-plan keeps [program] timezone, so plan without --previous"),
			         uid, tz ? tz : "", C->tzid);
			icalcomponent_free(ev);
			free(path);
			sb_free(&t);
			for (size_t i = 0; i < n; i++) {
				free(v[i].uid);
				sb_free(&v[i].text);
			}
			free(v);
			return -1;
		}
		if (row && !row->seen && row->cal == cal) {
			row->seen = 2;   /* found; not found twice */
			icaltimetype ds = icalcomponent_get_dtstart(ev);
			vd_date day = vd_date_from_ymd(ds.year, ds.month, ds.day);
			xgrow(&v, &cap, n + 1, sizeof *v);
			struct xev *x = &v[n++];
			memset(x, 0, sizeof *x);
			x->uid = xstrdup(uid);
			x->start = (int64_t)day * 1440 + ds.hour * 60 + ds.minute;
			if (row->cancelled || (C->freeze && day < C->freeze)) {
				sb_catn(&x->text, a, (size_t)(e - a));
				wire_repair(&x->text, 0);
				x->hash = row->hash;
				x->stamp = row->stamp;
				x->lastmod = row->lastmod;
				x->seq = row->seq;
				x->cancelled = row->cancelled;
			} else {
				cancel_text(C, ev, row, x);
			}
			if (day < C->xlo) C->xlo = day;
			if (day > C->xhi) C->xhi = day;
		}
		if (ev)
			icalcomponent_free(ev);
		a = e;
	}
	sb_free(&t);
	int rc = 0;
	if (n != unseen) {
		vd_error(C->dg, path, 0, _("%zu events that state/events.csv lists for this calendar are not in it; the previous output folder is damaged, plan without --previous"),
		         unseen - n);
		rc = -1;
	}
	qsort(v, n, sizeof *v, cmp_xev);
	C->px[cal] = v;
	C->pnx[cal] = n;
	free(path);
	return rc;
}

static int collect_kept(struct ctx *C)
{
	struct vd_evstate *pv = C->pv;
	size_t *unseen = xcalloc(pv->ncals + 1, sizeof *unseen);
	for (size_t i = 0; i < pv->n; i++)
		if (!pv->rows[i].seen)
			unseen[pv->rows[i].cal]++;
	C->px = xcalloc(pv->ncals + 1, sizeof *C->px);
	C->pnx = xcalloc(pv->ncals + 1, sizeof *C->pnx);
	C->pwritten = xcalloc(pv->ncals + 1, 1);
	C->pname = xcalloc(pv->ncals + 1, sizeof *C->pname);
	int rc = 0;
	for (size_t c = 0; c < pv->ncals && !rc; c++)
		if (unseen[c] && (C->p->calendars & cal_kind_flag(pv->cals[c])))
			rc = kept_events(C, c, unseen[c], &C->pname[c]);
	free(unseen);
	return rc;
}

static void kept_free(struct ctx *C)
{
	for (size_t c = 0; C->px && c < C->pv->ncals; c++) {
		for (size_t i = 0; i < C->pnx[c]; i++) {
			free(C->px[c][i].uid);
			sb_free(&C->px[c][i].text);
		}
		free(C->px[c]);
		free(C->pname[c]);
	}
	free(C->px);
	free(C->pnx);
	free(C->pwritten);
	free(C->pname);
}

static int cmp_calname(const void *a, const void *b, void *arg)
{
	char *const *cals = arg;
	return strcmp(cals[*(const size_t *)a], cals[*(const size_t *)b]);
}

/* The calendars of kind `sub` of the previous plan that the new one does
 * not have (a doctor who left, a cohort that vanished): their events
 * kept, by name. */
static int write_departed(struct ctx *C, struct group *g, int rc)
{
	if (rc || !C->px)
		return rc;
	size_t k = strlen(g->sub), n = 0;
	size_t *v = xmalloc((C->pv->ncals + 1) * sizeof *v);
	for (size_t c = 0; c < C->pv->ncals; c++) {
		const char *name = C->pv->cals[c];
		if (!C->pwritten[c] && C->pnx[c] && !strncmp(name, g->sub, k) && name[k] == '/')
			v[n++] = c;
	}
	qsort_r(v, n, sizeof *v, cmp_calname, C->pv->cals);
	for (size_t i = 0; i < n && !rc; i++) {
		size_t c = v[i];
		const char *id = C->pv->cals[c] + k + 1;
		if (!C->pname[c]) {
			struct sbuf b = { 0 };
			sb_clean(&b, nonempty(C->p->name) ? C->p->name : C->p->id ? C->p->id : "vdsched", 0, 0);
			sb_cat(&b, " — ");
			sb_cat(&b, id);
			C->pname[c] = b.s;
		}
		rc = group_add(C, g, id, id, NULL, 0, C->pname[c]);
	}
	free(v);
	return group_end(C, g, rc);
}

/* Every owner's file, in turn (pass 1: only marks the previous events
 * the new plan has). */
static int write_owners(struct ctx *C, struct group *g)
{
	const struct vd_program *p = C->p;
	const struct vd_plan *pl = C->pl;
	int rc = 0;
	struct csr ix;
	const char *zh_cohort = "班级 ", *zh_teacher = "教师 ";
	struct sbuf label = { 0 };

	/* doctors */
	csr_build(&ix, pl, p->ndoctors, 0);
	C->kind = "doctor";
	g->sub = "doctors";
	for (size_t d = 0; (p->calendars & VD_CAL_DOCTORS) && d < p->ndoctors && !rc; d++) {
		if (ix.off[d] == ix.off[d + 1])
			continue;
		const struct vd_doctor *doc = &p->doctors[d];
		rc = group_add(C, g, doc->id, nonempty(doc->name) ? doc->name : doc->id,
		               ix.ix + ix.off[d], ix.off[d + 1] - ix.off[d], NULL);
	}
	rc = group_end(C, g, rc);
	rc = write_departed(C, g, rc);
	csr_free(&ix);

	/* cohorts */
	size_t *byc = xmalloc((pl->nruns + 1) * sizeof *byc);
	for (size_t r = 0; r < pl->nruns; r++)
		byc[r] = r;
	qsort_r(byc, pl->nruns, sizeof *byc, cmp_cohort, (void *)pl);
	C->kind = "cohort";
	g->sub = "cohorts";
	for (size_t i = 0; (p->calendars & VD_CAL_COHORTS) && i < pl->nruns && !rc;) {
		size_t j = i;
		while (j < pl->nruns && !strcmp(pl->runs[byc[j]].cohort, pl->runs[byc[i]].cohort))
			j++;
		const char *cid = pl->runs[byc[i]].cohort;
		sb_reset(&label);
		sb_cat(&label, zh_cohort);
		sb_cat(&label, cid);
		rc = group_add(C, g, cid, label.s, byc + i, j - i, NULL);
		i = j;
	}
	rc = group_end(C, g, rc);
	rc = write_departed(C, g, rc);
	free(byc);

	/* sites */
	csr_build(&ix, pl, p->nsites, 1);
	C->kind = "site";
	g->sub = "sites";
	for (size_t s = 0; (p->calendars & VD_CAL_SITES) && s < p->nsites && !rc; s++) {
		if (ix.off[s] == ix.off[s + 1])
			continue;
		const struct vd_site *site = &p->sites[s];
		rc = group_add(C, g, site->id, nonempty(site->name) ? site->name : site->id,
		               ix.ix + ix.off[s], ix.off[s + 1] - ix.off[s], NULL);
	}
	rc = group_end(C, g, rc);
	rc = write_departed(C, g, rc);
	csr_free(&ix);

	/* instructors */
	csr_build(&ix, pl, p->ninstructors, 2);
	C->kind = "instructor";
	g->sub = "instructors";
	for (size_t t = 0; (p->calendars & VD_CAL_INSTRUCTORS) && t < p->ninstructors && !rc; t++) {
		if (ix.off[t] == ix.off[t + 1])
			continue;
		const struct vd_instructor *in = &p->instructors[t];
		sb_reset(&label);
		sb_cat(&label, zh_teacher);
		sb_cat(&label, nonempty(in->name) ? in->name : in->id);
		rc = group_add(C, g, in->id, label.s, ix.ix + ix.off[t], ix.off[t + 1] - ix.off[t], NULL);
	}
	rc = group_end(C, g, rc);
	rc = write_departed(C, g, rc);
	csr_free(&ix);
	free(label.s);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vd_ics_write_all(const struct vd_program *p, const struct vd_plan *pl,
                     const char *outdir, long long dtstamp,
                     const char *prevdir, vd_date freeze,
                     struct vd_strv *changed, struct vd_diag *dg)
{
	struct ctx C;
	int rc = 0;
	memset(&C, 0, sizeof C);
	C.p = p;
	C.pl = pl;
	C.dg = dg;
	C.outdir = outdir;
	C.tzid = nonempty(p->timezone) ? p->timezone : "Asia/Shanghai";
	C.stamp = icaltime_from_timet_with_zone((time_t)dtstamp, 0, icaltimezone_get_utc_timezone());
	C.now = dtstamp;
	C.prevdir = prevdir;
	C.freeze = freeze;
	C.xlo = INT32_MAX;
	C.xhi = INT32_MIN;

	if (make_folders(dg, outdir))
		return -1;
	char *sdir = xasprintf("%s/state", outdir);
	rc = mkdir_p(dg, sdir);
	free(sdir);
	if (rc)
		return -1;

	struct vd_evstate pv;
	struct group *g = xcalloc(1, sizeof *g);
	C.iobuf = xmalloc(IOBUF_SIZE);
	C.slots = xcalloc(CACHE_SLOTS, sizeof *C.slots);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		C.slots[i].run = VD_NONE;
	C.fixed = xcalloc(MEMO_SLOTS, sizeof *C.fixed);
	C.times = xcalloc(MEMO_SLOTS, sizeof *C.times);
	C.sums = xcalloc(MEMO_SLOTS, sizeof *C.sums);
	C.stamps = xcalloc(MEMO_SLOTS, sizeof *C.stamps);

	if (prevdir) {
		char *path = xasprintf("%s/state/events.csv", prevdir);
		rc = vd_evstate_load(&pv, path, dg);
		free(path);
		if (!rc) {
			C.pv = &pv;
			C.pass1 = 1;
			rc = write_owners(&C, g);
			C.pass1 = 0;
			rc = rc ? rc : collect_kept(&C);
		}
	}
	if (!rc)
		rc = prepare_zone(&C);
	if (!rc) {
		ev_pieces(&C);
		header(&C);
		C.csvpath = xasprintf("%s/state/events.csv", outdir);
		C.csv = fopen(C.csvpath, "wb");
		if (!C.csv) {
			vd_error(dg, C.csvpath, 0, _("cannot write: %s"), strerror(errno));
			rc = -1;
		}
	}
	if (!rc) {
		setvbuf(C.csv, NULL, _IOFBF, 1 << 16);
		fputs(VD_EVENTS_CSV_HEADER "\r\n", C.csv);
		rc = write_owners(&C, g);
		if (fflush(C.csv) != 0 && !C.csverr)
			C.csverr = errno ? errno : EIO;
		if (fclose(C.csv) != 0 && !C.csverr)
			C.csverr = errno ? errno : EIO;
		C.csv = NULL;
		if (!rc && C.csverr) {
			vd_error(dg, C.csvpath, 0, _("cannot write: %s"), strerror(C.csverr));
			rc = -1;
		}
	}
	if (!rc && changed) {
		if (C.chg.n)
			qsort(C.chg.v, C.chg.n, sizeof *C.chg.v, cmp_str);
		for (size_t i = 0; i < C.chg.n; i++)
			if (!i || strcmp(C.chg.v[i], C.chg.v[i - 1]))
				vd_strv_push(changed, C.chg.v[i]);
	}

	if (C.pv) {
		kept_free(&C);
		vd_evstate_free(&pv);
	}
	vd_strv_free(&C.chg);
	for (size_t k = 0; k < GROUP_MAX; k++)
		sb_free(&g->o[k].uidtail);
	free(g);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		sb_free(&C.slots[i].txt);
	free(C.slots);
	memo_free(C.fixed);
	memo_free(C.times);
	memo_free(C.sums);
	memo_free(C.stamps);
	pieces_free(&C);
	if (C.nameprop)
		icalproperty_free(C.nameprop);
	if (C.xnameprop)
		icalproperty_free(C.xnameprop);
	sb_free(&C.head);
	sb_free(&C.vtz);
	sb_free(&C.ubuf);
	sb_free(&C.wbuf);
	sb_free(&C.row);
	free(C.csvpath);
	free(C.iobuf);
	free(C.ev);
	free(C.uid.s);
	free(C.tmp.s);
	free(C.tmp2.s);
	free(C.key.s);
	return rc;
}

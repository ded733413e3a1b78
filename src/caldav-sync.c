/* caldav-sync.c -- see caldav-sync.h.
 *
 * Each OUT/ics/KIND/ID.ics becomes the collection URL/KIND-ID/, and each
 * of its events the resource KIND-ID/UID.ics, a VCALENDAR of the VTIMEZONE
 * and that one event.  Every run lists the server first and sends only the
 * difference (PUT of new or changed events, DELETE of events no longer
 * planned), with If-None-Match / If-Match so a concurrent change is never
 * overwritten blindly.  So a run killed half-way is finished by running it
 * again, and a second run with nothing changed sends no PUT at all.  An
 * event counts as changed when its UID, SEQUENCE, DTSTAMP, LAST-MODIFIED
 * or STATUS differ from the server's copy: the plan writer changes these
 * whenever an event changes. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libical/ical.h>
#include "caldav.h"
#include "caldav-sync.h"
#include "diag.h"
#include "hmap.h"
#include "xalloc.h"
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif

static const char *const kinds[] = { "doctors", "cohorts", "sites", "instructors" };
/* the KIND word inside our UIDs: COURSE-COHORT-sN.KIND-OWNER.PROGRAM@vdsched */
static const char *const singular[] = { "doctor", "cohort", "site", "instructor" };
#define NKINDS 4
/* HTTP failures after which the run gives up (a broken server or rights) */
#define MAX_FAILURES 20

struct cal {
	int kind;
	char *id, *name, *path;   /* name: KIND-ID, the collection's */
};

/* What "changed" is judged by: the properties our writer changes with
 * every change (SEQUENCE, DTSTAMP, LAST-MODIFIED, STATUS), and, so that a
 * plan re-made with the same SOURCE_DATE_EPOCH is caught too, what a
 * reader sees (times, title, place, text).  Values are compared parsed,
 * never as text, so a server that re-folds or reorders lines (Radicale)
 * does not make every event look changed. */
struct key {
	char *uid;
	int seq, has_lastmod;
	struct icaltimetype dtstamp, lastmod, dtstart, dtend;   /* as written, no zone */
	icalproperty_status status;
	char *summary, *location, *description, *start_tz, *end_tz;
};

struct pub {
	const struct vd_sync_opts *o;
	struct vd_sync_stats *st;
	struct vd_diag *dg;
	struct vd_dav *d;
	int dry;
	unsigned failures;      /* HTTP failures reported */
	int net_down;           /* a transfer failed: stop */
	int progress;           /* stderr is a terminal: show where we are */
	size_t cal_at, cal_n;   /* for the progress line */
	double shown_at;
	char *progsuffix;       /* "PROGRAM@vdsched", learnt from the local UIDs */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* At most 5 times a second: a site calendar can take minutes. */
static void progress(struct pub *P, int force)
{
	if (!P->progress)
		return;
	double t = now_s();
	if (!force && t - P->shown_at < 0.2)
		return;
	P->shown_at = t;
	fputc('\r', stderr);
	fprintf(stderr, _("vdsched: publishing calendar %zu/%zu (PUT %zu, DELETE %zu) "),
	        P->cal_at, P->cal_n, P->st->nput, P->st->ndelete);
}

static int stopped(const struct pub *P)
{
	return P->net_down || P->failures >= MAX_FAILURES;
}

static void http_failed(struct pub *P, const char *method, const char *url, int st)
{
	if (st < 0) {
		P->net_down = 1;
		return;
	}
	vd_dav_fail(P->d, method, url, st);
	P->failures++;
}

/* A 412 we cannot retry: the server's copy has no ETag to match. */
static void changed_meanwhile(struct pub *P, const char *method, const char *url)
{
	char *shown = vd_dav_redact(P->d, url);
	vd_error(P->dg, NULL, 0, _("%s %s: 412 Precondition Failed: changed on the server while publishing; "
	                           "run vdsched publish again"), method, shown);
	free(shown);
	P->failures++;
}

/* ---- local calendars ---- */

static int by_name(const void *a, const void *b)
{
	const struct cal *x = a, *y = b;
	return x->kind != y->kind ? x->kind - y->kind : strcmp(x->id, y->id);
}

/* Lists OUT/ics/KIND/ *.ics; -1 after vd_error when ics/ is missing. */
static int list_local(const char *out, struct cal **cv, size_t *nc, struct vd_diag *dg)
{
	char *ics = xasprintf("%s/ics", out);
	struct stat st;
	if (stat(ics, &st) != 0 || !S_ISDIR(st.st_mode)) {
		vd_error(dg, NULL, 0, _("'%s' is not a vdsched output folder (no ics/ in it); "
		                        "run vdsched plan first, or name the folder with -o DIR"), out);
		free(ics);
		return -1;
	}
	size_t cap = 0;
	int rc = 0;
	for (int k = 0; k < NKINDS; k++) {
		char *dir = xasprintf("%s/%s", ics, kinds[k]);
		DIR *dh = opendir(dir);
		if (!dh) {
			if (errno != ENOENT) {  /* a kind not written ([output] calendars) is fine */
				vd_error(dg, dir, 0, _("cannot read the folder: %s"), strerror(errno));
				rc = -1;
			}
			free(dir);
			continue;
		}
		struct dirent *de;
		while ((de = readdir(dh))) {
			size_t n = strlen(de->d_name);
			if (n <= 4 || strcmp(de->d_name + n - 4, ".ics") || de->d_name[0] == '.')
				continue;
			xgrow(cv, &cap, *nc + 1, sizeof **cv);
			struct cal *c = &(*cv)[(*nc)++];
			c->kind = k;
			c->id = xstrndup(de->d_name, n - 4);
			c->name = xasprintf("%s-%s", kinds[k], c->id);
			c->path = xasprintf("%s/%s", dir, de->d_name);
		}
		closedir(dh);
		free(dir);
	}
	free(ics);
	if (*nc)
		qsort(*cv, *nc, sizeof **cv, by_name);
	return rc;
}

static char *slurp(const char *path, struct vd_diag *dg)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		vd_error(dg, path, 0, _("cannot open: %s"), strerror(errno));
		return NULL;
	}
	char *s = NULL;
	size_t n = 0, cap = 0, got;
	do {
		xgrow(&s, &cap, n + 65536 + 1, 1);
		got = fread(s + n, 1, 65536, f);
		n += got;
	} while (got > 0);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		vd_error(dg, path, 0, _("cannot read: %s"), strerror(errno));
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

/* ---- events and their keys ---- */

static icalcomponent *first_event(icalcomponent *c)
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

static void key_of(icalcomponent *ev, struct key *k)
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

static void key_free(struct key *k)
{
	free(k->uid);
	free(k->summary);
	free(k->location);
	free(k->description);
	free(k->start_tz);
	free(k->end_tz);
	k->uid = k->summary = k->location = k->description = k->start_tz = k->end_tz = NULL;
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

static int key_eq(const struct key *a, const struct key *b)
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
static void key_of_data(const char *data, struct key *k)
{
	icalcomponent *c = data ? icalparser_parse_string(data) : NULL;
	icalcomponent *ev = first_event(c);
	if (ev) {
		key_of(ev, k);
	} else {
		memset(k, 0, sizeof *k);
		k->dtstamp = k->lastmod = k->dtstart = k->dtend = icaltime_null_time();
	}
	if (c)
		icalcomponent_free(c);
}

/* The resource's text: a VCALENDAR with the file's time zones and one
 * event, serialized by libical. */
static char *event_body(icalcomponent *file, icalcomponent *ev, const char *prodid)
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

static const char *x_prop(icalcomponent *c, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (!strcmp(icalproperty_get_x_name(p), name))
			return icalproperty_get_x(p);
	return NULL;
}

/* ---- sending ---- */

/* url relative to the base URL, for dry-run lines */
static const char *rel(const struct pub *P, const char *url)
{
	const char *b = vd_dav_base(P->d);
	size_t n = strlen(b);
	return strncmp(url, b, n) ? url : url + n;
}

/* PUT with one retry after 412 (someone else changed or created it). */
static void put_event(struct pub *P, const char *url, const char *body, const char *etag,
                      const struct key *mine)
{
	int is_new = etag == NULL;
	if (P->dry) {
		printf(is_new ? _("PUT %s (new)\n") : _("PUT %s (changed)\n"), rel(P, url));
		P->st->nput++;
		*(is_new ? &P->st->nnew : &P->st->nupd) += 1;
		return;
	}
	struct vd_dav_entry now = { 0 };
	for (int attempt = 0;; attempt++) {
		int st = vd_dav_put(P->d, url, body, etag);
		P->st->nput++;
		progress(P, 0);
		if (st >= 200 && st <= 299) {
			*(is_new ? &P->st->nnew : &P->st->nupd) += 1;
			break;
		}
		if (st != 412 || attempt) {
			http_failed(P, "PUT", url, st);
			break;
		}
		int g = vd_dav_get(P->d, url, &now);
		if (g == 404) {
			etag = NULL;
			continue;
		}
		if (g != 200) {
			http_failed(P, "GET", url, g);
			break;
		}
		struct key theirs;
		key_of_data(now.data, &theirs);
		int same = key_eq(mine, &theirs);
		key_free(&theirs);
		if (same) {  /* someone published the same: nothing to do */
			P->st->nsame++;
			break;
		}
		if (!now.etag) {
			changed_meanwhile(P, "PUT", url);
			break;
		}
		etag = now.etag;
	}
	vd_dav_entry_free(&now);
}

static void delete_event(struct pub *P, const char *url, const char *etag)
{
	if (P->dry) {
		printf(_("DELETE %s\n"), rel(P, url));
		P->st->ndelete++;
		P->st->ndel++;
		return;
	}
	struct vd_dav_entry now = { 0 };
	for (int attempt = 0;; attempt++) {
		int st = vd_dav_delete(P->d, url, etag);
		P->st->ndelete++;
		progress(P, 0);
		if ((st >= 200 && st <= 299) || st == 404) {
			P->st->ndel++;
			break;
		}
		if (st != 412 || attempt) {
			http_failed(P, "DELETE", url, st);
			break;
		}
		int g = vd_dav_get(P->d, url, &now);
		if (g == 404) {  /* gone already */
			P->st->ndel++;
			break;
		}
		if (g != 200) {
			http_failed(P, "GET", url, g);
			break;
		}
		if (!now.etag) {
			changed_meanwhile(P, "DELETE", url);
			break;
		}
		etag = now.etag;
	}
	vd_dav_entry_free(&now);
}

/* Makes the server's collection `coll` hold exactly the events of `local`
 * (NULL: none of ours, for an owner no longer planned; then only events
 * of this program are deleted).  srv is the collection's listing. */
static void sync_events(struct pub *P, const char *coll, const struct cal *c,
                        icalcomponent *local, struct vd_dav_list *srv)
{
	size_t ns = srv->n;
	struct key *keys = xcalloc(ns ? ns : 1, sizeof *keys);
	char *matched = xcalloc(ns ? ns : 1, 1);
	struct vd_hmap ix;
	vd_hmap_init(&ix);
	for (size_t i = 0; i < ns; i++) {
		struct vd_dav_entry *e = &srv->v[i];
		if (P->o->no_data) {
			free(e->data);
			e->data = NULL;
		}
		if (!e->data) {  /* a server that sends no calendar-data (GET changes nothing) */
			int g = vd_dav_get(P->d, e->url, e);
			if (g != 200) {
				http_failed(P, "GET", e->url, g);
				matched[i] = 1;  /* unknown: leave it alone */
				continue;
			}
		}
		key_of_data(e->data, &keys[i]);
		if (P->o->stale_etags && e->etag) {  /* as if changed since the listing */
			free(e->etag);
			e->etag = xstrdup("\"vdsched-stale\"");
		}
		/* a second copy of a UID is not ours to keep */
		if (keys[i].uid && vd_hmap_put(&ix, keys[i].uid, i) != (size_t)-1)
			key_free(&keys[i]);
	}

	const char *prodid = "-//vdsched//vdsched " PACKAGE_VERSION "//ZH";
	icalproperty *pp = local ? icalcomponent_get_first_property(local, ICAL_PRODID_PROPERTY) : NULL;
	if (pp && icalproperty_get_prodid(pp))
		prodid = icalproperty_get_prodid(pp);
	icalcompiter it;
	memset(&it, 0, sizeof it);  /* a null iterator: no events */
	if (local)
		it = icalcomponent_begin_component(local, ICAL_VEVENT_COMPONENT);
	for (icalcomponent *ev; (ev = icalcompiter_deref(&it)) && !stopped(P); icalcompiter_next(&it)) {
		struct key mine;
		key_of(ev, &mine);
		if (!mine.uid) {
			key_free(&mine);
			continue;  /* refused when the file was read */
		}
		size_t j = vd_hmap_get(&ix, mine.uid);
		if (j != (size_t)-1 && matched[j]) {
			key_free(&mine);
			continue;  /* the file repeats a UID: checked when read */
		}
		if (j != (size_t)-1)
			matched[j] = 1;
		if (j != (size_t)-1 && key_eq(&mine, &keys[j])) {
			P->st->nsame++;
		} else {
			char *body = event_body(local, ev, prodid);
			if (j != (size_t)-1) {
				put_event(P, srv->v[j].url, body, srv->v[j].etag ? srv->v[j].etag : "*", &mine);
			} else {
				char *url = vd_dav_child_resource(P->d, coll, mine.uid);
				put_event(P, url, body, NULL, &mine);
				free(url);
			}
			icalmemory_free_buffer(body);
		}
		key_free(&mine);
	}

	char *marker = local ? NULL : xasprintf(".%s-%s.%s", singular[c->kind], c->id,
	                                        P->progsuffix ? P->progsuffix : "");
	for (size_t i = 0; i < ns && !stopped(P); i++) {
		if (matched[i])
			continue;
		if (marker) {  /* an owner no longer planned: only our program's events */
			size_t ul = keys[i].uid ? strlen(keys[i].uid) : 0, ml = strlen(marker);
			if (!P->progsuffix || ul < ml || strcmp(keys[i].uid + ul - ml, marker))
				continue;
		}
		delete_event(P, srv->v[i].url, srv->v[i].etag);
	}
	free(marker);
	for (size_t i = 0; i < ns; i++)
		key_free(&keys[i]);
	free(keys);
	free(matched);
	vd_hmap_free(&ix);
}

/* Reads c's file; NULL after vd_error.  Learns the program's UID suffix. */
static icalcomponent *read_calendar(struct pub *P, const struct cal *c)
{
	char *text = slurp(c->path, P->dg);
	if (!text)
		return NULL;
	icalcomponent *cal = icalparser_parse_string(text);
	free(text);
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		vd_error(P->dg, c->path, 0, _("not an iCalendar file (no VCALENDAR); run vdsched plan again"));
		if (cal)
			icalcomponent_free(cal);
		return NULL;
	}
	struct vd_hmap seen;
	vd_hmap_init(&seen);
	int bad = 0;
	char *marker = xasprintf(".%s-%s.", singular[c->kind], c->id);
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		const char *uid = icalcomponent_get_uid(ev);
		if (!uid || !*uid) {
			vd_error(P->dg, c->path, 0, _("an event has no UID; run vdsched plan again"));
			bad = 1;
		} else if (vd_hmap_put(&seen, uid, 0) != (size_t)-1) {
			vd_error(P->dg, c->path, 0, _("UID '%s' appears twice; run vdsched plan again"), uid);
			bad = 1;
		} else if (!P->progsuffix) {
			const char *m = strstr(uid, marker);
			if (m && strstr(m, "@vdsched"))
				P->progsuffix = xstrdup(m + strlen(marker));
		}
	}
	free(marker);
	vd_hmap_free(&seen);
	if (bad) {
		icalcomponent_free(cal);
		return NULL;
	}
	return cal;
}

/* One owner's calendar: the collection (made when missing), then its events. */
static void publish_one(struct pub *P, const struct cal *c, const struct vd_dav_entry *have)
{
	icalcomponent *local = read_calendar(P, c);
	if (!local) {
		P->st->input_bad = 1;
		return;
	}
	char *coll = vd_dav_child_collection(P->d, c->name);
	struct vd_dav_list srv = { 0 };
	int ok = 1, exists = have != NULL;
	if (have && !have->is_calendar) {
		char *shown = vd_dav_redact(P->d, coll);
		vd_error(P->dg, NULL, 0, _("%s exists but is not a calendar collection; remove it, "
		                           "or publish to another --url"), shown);
		free(shown);
		P->failures++;
		ok = 0;
	} else if (!have) {
		const char *dn = x_prop(local, "X-WR-CALNAME");
		if (P->dry) {
			printf(_("MKCALENDAR %s\n"), rel(P, coll));
			P->st->nmk++;
		} else {
			int st = vd_dav_mkcalendar(P->d, coll, dn ? dn : c->name);
			if (st >= 200 && st <= 299) {
				P->st->nmk++;
			} else if (st == 405) {  /* made meanwhile: list it */
				exists = 1;
			} else {
				http_failed(P, "MKCALENDAR", coll, st);
				ok = 0;
			}
		}
	}
	if (ok && exists) {
		int st = vd_dav_list_events(P->d, coll, &srv);
		if (st != 207) {
			http_failed(P, "REPORT", coll, st);
			ok = 0;
		}
	}
	if (ok) {
		P->st->ncal++;
		sync_events(P, coll, c, local, &srv);
	}
	vd_dav_list_free(&srv);
	free(coll);
	icalcomponent_free(local);
}

/* A KIND-ID collection of ours with no local calendar any more: its
 * events of this program go. */
static void clean_orphan(struct pub *P, const struct vd_dav_entry *e, int kind, const char *id)
{
	struct vd_dav_list srv = { 0 };
	int st = vd_dav_list_events(P->d, e->url, &srv);
	if (st != 207) {
		http_failed(P, "REPORT", e->url, st);
	} else {
		struct cal c = { kind, (char *)id, NULL, NULL };
		sync_events(P, e->url, &c, NULL, &srv);
	}
	vd_dav_list_free(&srv);
}


/* The base's children, in one request: which collections exist.  0, or
 * -1 after an error (the run cannot start). */
static int list_base(struct pub *P, struct vd_dav_list *top)
{
	const char *base = vd_dav_base(P->d);
	int st = vd_dav_propfind(P->d, base, 1, top);
	if (st == -1 && P->dry) {
		vd_warning(P->dg, NULL, 0, _("the server could not be reached; showing what a first publish would send"));
	} else if (st == 404) {
		char *shown = vd_dav_redact(P->d, base);
		vd_error(P->dg, NULL, 0, _("PROPFIND %s: 404 Not Found: give an existing collection, e.g. "
		                           "your calendar home (Radicale: http://HOST:5232/USER/, "
		                           "Nextcloud: https://HOST/remote.php/dav/calendars/USER/)"), shown);
		free(shown);
		return -1;
	} else if (st != 207) {
		if (st != -1)
			vd_dav_fail(P->d, "PROPFIND", base, st);
		return -1;
	}
	return 0;
}

/* Owners no longer planned: a collection named like ours, no file. */
static void clean_orphans(struct pub *P, const struct cal *cv, size_t nc,
                          const struct vd_dav_list *top)
{
	struct vd_hmap local;
	vd_hmap_init(&local);
	for (size_t i = 0; i < nc; i++)
		vd_hmap_put(&local, cv[i].name, i);
	for (size_t i = 0; i < top->n && !stopped(P) && P->progsuffix; i++) {
		const struct vd_dav_entry *e = &top->v[i];
		if (!e->is_calendar || vd_hmap_get(&local, e->name) != (size_t)-1)
			continue;
		for (int k = 0; k < NKINDS; k++) {
			size_t kl = strlen(kinds[k]);
			if (!strncmp(e->name, kinds[k], kl) && e->name[kl] == '-' && e->name[kl + 1]) {
				clean_orphan(P, e, k, e->name + kl + 1);
				break;
			}
		}
	}
	vd_hmap_free(&local);
}

/* Every local calendar, then the orphans. */
static void publish_all(struct pub *P, const struct cal *cv, size_t nc,
                        const struct vd_dav_list *top)
{
	const char *base = vd_dav_base(P->d);
	struct vd_hmap have;
	vd_hmap_init(&have);
	for (size_t i = 0; i < top->n; i++)
		if (top->v[i].is_collection && strcmp(top->v[i].url, base))
			vd_hmap_put(&have, top->v[i].name, i);
	P->progress = isatty(2) && !P->o->quiet && !P->o->verbose && !P->dry;
	P->cal_n = nc;
	for (size_t i = 0; i < nc && !stopped(P); i++) {
		P->cal_at = i + 1;
		progress(P, i == 0);
		size_t j = vd_hmap_get(&have, cv[i].name);
		publish_one(P, &cv[i], j == (size_t)-1 ? NULL : &top->v[j]);
	}
	if (P->progress)
		fputs("\r\033[K", stderr);
	vd_hmap_free(&have);
	clean_orphans(P, cv, nc, top);
}

/* Connects, lists the base collection and publishes: VD_SYNC_DONE, or
 * VD_SYNC_NO_SERVER after an error. */
static enum vd_sync_result sync_with_server(const struct vd_sync_opts *o, struct vd_sync_stats *st,
                                            const struct cal *cv, size_t nc, struct vd_diag *dg)
{
	struct vd_dav_opts dopt = { o->verbose, o->fault_after };
	struct pub P = { .o = o, .st = st, .dg = dg, .dry = o->dry_run };
	P.d = vd_dav_new(o->url, &dopt, dg);
	if (!P.d)
		return VD_SYNC_NO_SERVER;
	struct vd_dav_list top = { 0 };
	enum vd_sync_result res = VD_SYNC_DONE;
	if (list_base(&P, &top)) {
		res = VD_SYNC_NO_SERVER;
	} else {
		publish_all(&P, cv, nc, &top);
		st->requests = vd_dav_requests(P.d);
		st->connections = vd_dav_connections(P.d);
		st->stopped = stopped(&P);
		st->server_failed = P.net_down || P.failures;
	}
	vd_dav_list_free(&top);
	vd_dav_free(P.d);
	free(P.progsuffix);
	return res;
}

enum vd_sync_result vd_caldav_sync(const struct vd_sync_opts *o, struct vd_sync_stats *st,
                                   struct vd_diag *dg)
{
	memset(st, 0, sizeof *st);
	double t0 = now_s();
	struct cal *cv = NULL;
	size_t nc = 0;
	enum vd_sync_result res = VD_SYNC_NO_FOLDER;
	if (list_local(o->out_dir, &cv, &nc, dg) == 0)
		res = sync_with_server(o, st, cv, nc, dg);
	for (size_t i = 0; i < nc; i++)
		free(cv[i].id), free(cv[i].name), free(cv[i].path);
	free(cv);
	st->seconds = now_s() - t0;
	return res;
}

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
#include "caldav-event.h"
#include "caldav-pool.h"
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

struct pub;

struct cal {
	int kind;
	char *id, *name, *path;   /* name: KIND-ID, the collection's */
	struct pub *P;            /* the run, for the calendar's task */
};

/* A collection of ours on the server with no local calendar. */
struct orphan {
	struct pub *P;
	const struct vd_dav_entry *e;
	int kind;
	const char *id;
};

/* The run.  Its tasks run one at a time under the pool's lock (see
 * caldav-pool.h), so they share this without locking. */
struct pub {
	const struct vd_sync_opts *o;
	struct vd_sync_stats *st;
	struct vd_diag *dg;
	struct vd_pool *pl;
	struct vd_dav *d;       /* for URLs and messages; requests go through pl */
	int dry;
	unsigned failures;      /* HTTP failures reported */
	int net_down;           /* a transfer failed for good: stop */
	unsigned long changing; /* PUT, DELETE, MKCALENDAR sent (fault_after) */
	const struct cal *cv;   /* the local calendars */
	size_t nc, next_cal;    /* ... and the next to start */
	const struct vd_dav_list *top;   /* the base's children */
	struct vd_hmap have;    /* their names -> index in top */
	struct vd_hmap local;   /* the local calendars' names -> index in cv */
	size_t next_orphan;     /* the next of top to look at as an orphan */
	int progress;           /* stderr is a terminal: show where we are */
	size_t events, events_done;   /* local events, and those settled */
	double started, shown_at;
	char *progsuffix;       /* "PROGRAM@vdsched", learnt from the local UIDs */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "1 min 05 s", "3 s": an estimate needs no more. */
static void say_duration(char *buf, size_t n, double t)
{
	long s = (long)(t + 0.5);
	if (s >= 60)
		snprintf(buf, n, _("%ld min %02ld s"), s / 60, s % 60);
	else
		snprintf(buf, n, _("%ld s"), s);
}

/* events done/total, calendars, rate, time left; at most 5 times a
 * second: a city takes many minutes. */
static void progress(struct pub *P, int force)
{
	if (!P->progress)
		return;
	double t = now_s();
	if (!force && t - P->shown_at < 0.2)
		return;
	P->shown_at = t;
	double secs = t - P->started;
	struct vd_pool_stats ps;
	vd_pool_stats(P->pl, &ps);
	char left[64] = "?";
	if (P->events_done && P->events_done < P->events)
		say_duration(left, sizeof left, secs * (double)(P->events - P->events_done) / (double)P->events_done);
	fputc('\r', stderr);
	fprintf(stderr, _("vdsched: publishing %zu/%zu events, calendar %zu/%zu, %.0f requests/s, "
	                  "%s left "), P->events_done, P->events, P->next_cal, P->nc,
	        secs > 0 ? (double)ps.requests / secs : 0.0, left);
}

static int stopped(const struct pub *P)
{
	return P->net_down || P->failures >= MAX_FAILURES;
}

/* Reports a failed call; one given up after retries, or a transfer
 * failure, stops the run (the server or the network is down). */
static void http_failed(struct pub *P, struct vd_pool_worker *w, const struct vd_pool_call *c,
                        struct vd_pool_result r)
{
	vd_pool_fail(P->pl, w, c, r);
	if (r.gave_up || r.status < 0)
		P->net_down = 1;
	else
		P->failures++;
	if (stopped(P))
		vd_pool_stop(P->pl);
}

/* Sends c; counts the changing requests for the tests' fault_after. */
static struct vd_pool_result send_call(struct pub *P, struct vd_pool_worker *w,
                                       const struct vd_pool_call *c)
{
	struct vd_pool_result r = vd_pool_send(P->pl, w, c);
	int changing = c->method == VD_PUT || c->method == VD_DELETE || c->method == VD_MKCALENDAR;
	if (changing && P->o->fault_after > 0 && ++P->changing >= (unsigned long)P->o->fault_after) {
		fflush(stdout);
		fflush(stderr);
		_exit(1);  /* tests: a publish killed half-way */
	}
	progress(P, 0);
	return r;
}

/* A 412 we cannot retry: the server's copy has no ETag to match. */
static void changed_meanwhile(struct pub *P, const char *method, const char *url)
{
	char *shown = vd_dav_redact(P->d, url);
	vd_error(P->dg, NULL, 0, _("%s %s: 412 Precondition Failed: changed on the server while publishing; "
	                           "run vdsched publish again"), method, shown);
	free(shown);
	P->failures++;
	if (stopped(P))
		vd_pool_stop(P->pl);
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

/* ---- sending ---- */

static const char *method_name(enum vd_pool_method m)
{
	return m == VD_PUT ? "PUT" : "DELETE";
}

/* url relative to the base URL, for dry-run lines */
static const char *rel(const struct pub *P, const char *url)
{
	const char *b = vd_dav_base(P->d);
	size_t n = strlen(b);
	return strncmp(url, b, n) ? url : url + n;
}

/* One resource to change: a task of its own, so that several go at once. */
struct op {
	struct pub *P;
	enum vd_pool_method method;   /* VD_PUT or VD_DELETE */
	char *url, *etag;             /* etag NULL: PUT creates (If-None-Match) */
	char *body;                   /* PUT */
	struct vd_event_key mine;              /* PUT: what the body holds */
};

static void op_free(void *arg)
{
	struct op *op = arg;
	free(op->url);
	free(op->etag);
	icalmemory_free_buffer(op->body);
	vd_event_key_free(&op->mine);
	free(op);
}

/* The server's copy after a 412: 1 when ours is there already (a PUT of
 * ours landed before its connection dropped, or someone published the
 * same), 0 to try again with its ETag (now->etag), -1 when done (gone, or
 * failed and reported). */
static int after_conflict(struct pub *P, struct vd_pool_worker *w, struct op *op,
                          struct vd_dav_entry *now)
{
	struct vd_pool_call get = { .method = VD_GET, .url = op->url, .entry = now };
	struct vd_pool_result g = send_call(P, w, &get);
	if (g.status == 404)
		return op->method == VD_DELETE ? 1 : 0;
	if (g.status != 200) {
		http_failed(P, w, &get, g);
		return -1;
	}
	if (op->method == VD_PUT) {
		struct vd_event_key theirs;
		vd_event_key_of_data(now->data, &theirs);
		int same = vd_event_key_eq(&op->mine, &theirs);
		vd_event_key_free(&theirs);
		if (same)
			return 1;
	}
	if (!now->etag) {
		changed_meanwhile(P, method_name(op->method), op->url);
		return -1;
	}
	return 0;
}

/* PUT or DELETE, once more after a 412 (someone else changed or created
 * it, or our own earlier try landed). */
static void run_op(struct vd_pool_worker *w, void *arg)
{
	struct op *op = arg;
	struct pub *P = op->P;
	int is_put = op->method == VD_PUT, is_new = is_put && !op->etag;
	struct vd_dav_entry now = { 0 };
	const char *etag = op->etag;
	for (int conflicts = 0; !vd_pool_stopped(P->pl); conflicts++) {
		struct vd_pool_call c = { .method = op->method, .url = op->url, .body = op->body, .etag = etag };
		struct vd_pool_result r = send_call(P, w, &c);
		*(is_put ? &P->st->nput : &P->st->ndelete) += 1 + (size_t)r.retried;
		int done = r.status >= 200 && r.status <= 299;
		if (done || (!is_put && r.status == 404)) {
			*(is_put ? (is_new ? &P->st->nnew : &P->st->nupd) : &P->st->ndel) += 1;
			break;
		}
		if (r.status != 412 || conflicts) {
			http_failed(P, w, &c, r);
			break;
		}
		int k = after_conflict(P, w, op, &now);
		if (k == 1 && (r.retried || !is_put))   /* ours landed, or gone */
			*(is_put ? (is_new ? &P->st->nnew : &P->st->nupd) : &P->st->ndel) += 1;
		else if (k == 1)   /* someone published the same: nothing to do */
			P->st->nsame++;
		if (k)
			break;
		etag = now.etag;   /* NULL: gone meanwhile, create it */
	}
	if (is_put)
		P->events_done++;
	vd_dav_entry_free(&now);
	op_free(op);
}

/* Queues a PUT (etag: the server's, "*" for any, NULL to create) or a
 * DELETE; prints it instead under --dry-run.  Takes body. */
static void queue_op(struct pub *P, enum vd_pool_method m, const char *url, const char *etag,
                     char *body, const struct vd_event_key *mine)
{
	if (P->dry) {
		const char *rurl = rel(P, url);
		if (m == VD_DELETE)
			printf(_("DELETE %s\n"), rurl);
		else
			printf(etag ? _("PUT %s (changed)\n") : _("PUT %s (new)\n"), rurl);
		*(m == VD_DELETE ? &P->st->ndelete : &P->st->nput) += 1;
		*(m == VD_DELETE ? &P->st->ndel : etag ? &P->st->nupd : &P->st->nnew) += 1;
		icalmemory_free_buffer(body);
		return;
	}
	struct op *op = xcalloc(1, sizeof *op);
	op->P = P;
	op->method = m;
	op->url = xstrdup(url);
	op->etag = etag ? xstrdup(etag) : NULL;
	op->body = body;
	if (mine)
		vd_event_key_copy(&op->mine, mine);
	vd_pool_push(P->pl, (struct vd_pool_task){ run_op, op_free, op });
}

/* The keys of srv's events, and ix: UID -> index (the first copy of
 * each).  An entry whose copy cannot be had is marked matched: unknown,
 * left alone. */
static void index_listing(struct pub *P, struct vd_pool_worker *w, struct vd_dav_list *srv,
                          struct vd_event_key *keys, char *matched, struct vd_hmap *ix)
{
	for (size_t i = 0; i < srv->n; i++) {
		struct vd_dav_entry *e = &srv->v[i];
		if (P->o->no_data) {
			free(e->data);
			e->data = NULL;
		}
		if (!e->data) {  /* a server that sends no calendar-data (GET changes nothing) */
			struct vd_pool_call get = { .method = VD_GET, .url = e->url, .entry = e };
			struct vd_pool_result g = send_call(P, w, &get);
			if (g.status != 200) {
				http_failed(P, w, &get, g);
				matched[i] = 1;  /* unknown: leave it alone */
				continue;
			}
		}
		vd_event_key_of_data(e->data, &keys[i]);
		if (P->o->stale_etags && e->etag) {  /* as if changed since the listing */
			free(e->etag);
			e->etag = xstrdup("\"vdsched-stale\"");
		}
		/* a second copy of a UID is not ours to keep */
		if (keys[i].uid && vd_hmap_put(ix, keys[i].uid, i) != (size_t)-1)
			vd_event_key_free(&keys[i]);
	}
}

/* Makes the server's collection `coll` hold exactly the events of `local`
 * (NULL: none of ours, for an owner no longer planned; then only events
 * of this program are deleted).  srv is the collection's listing. */
static void sync_events(struct pub *P, struct vd_pool_worker *w, const char *coll,
                        const struct cal *c, icalcomponent *local, struct vd_dav_list *srv)
{
	size_t ns = srv->n;
	struct vd_event_key *keys = xcalloc(ns ? ns : 1, sizeof *keys);
	char *matched = xcalloc(ns ? ns : 1, 1);
	struct vd_hmap ix;
	vd_hmap_init(&ix);
	index_listing(P, w, srv, keys, matched, &ix);

	const char *prodid = "-//vdsched//vdsched " PACKAGE_VERSION "//ZH";
	icalproperty *pp = local ? icalcomponent_get_first_property(local, ICAL_PRODID_PROPERTY) : NULL;
	if (pp && icalproperty_get_prodid(pp))
		prodid = icalproperty_get_prodid(pp);
	icalcompiter it;
	memset(&it, 0, sizeof it);  /* a null iterator: no events */
	if (local)
		it = icalcomponent_begin_component(local, ICAL_VEVENT_COMPONENT);
	for (icalcomponent *ev; (ev = icalcompiter_deref(&it)) && !stopped(P); icalcompiter_next(&it)) {
		struct vd_event_key mine;
		vd_event_key_of(ev, &mine);
		if (!mine.uid) {
			vd_event_key_free(&mine);
			continue;  /* refused when the file was read */
		}
		size_t j = vd_hmap_get(&ix, mine.uid);
		if (j != (size_t)-1 && matched[j]) {
			vd_event_key_free(&mine);
			continue;  /* the file repeats a UID: checked when read */
		}
		if (j != (size_t)-1)
			matched[j] = 1;
		if (j != (size_t)-1 && vd_event_key_eq(&mine, &keys[j])) {
			P->st->nsame++;
			P->events_done++;
		} else {
			char *body = vd_event_body(local, ev, prodid);
			if (j != (size_t)-1) {
				queue_op(P, VD_PUT, srv->v[j].url, srv->v[j].etag ? srv->v[j].etag : "*", body, &mine);
			} else {
				char *url = vd_dav_child_resource(P->d, coll, mine.uid);
				queue_op(P, VD_PUT, url, NULL, body, &mine);
				free(url);
			}
		}
		vd_event_key_free(&mine);
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
		queue_op(P, VD_DELETE, srv->v[i].url, srv->v[i].etag, NULL, NULL);
	}
	free(marker);
	for (size_t i = 0; i < ns; i++)
		vd_event_key_free(&keys[i]);
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

/* The collection of c: made when missing (have NULL), then listed into
 * srv.  0, or -1 when it cannot be published (reported). */
static int open_collection(struct pub *P, struct vd_pool_worker *w, const struct cal *c,
                           icalcomponent *local, const struct vd_dav_entry *have,
                           const char *coll, struct vd_dav_list *srv)
{
	int exists = have != NULL;
	if (have && !have->is_calendar) {
		char *shown = vd_dav_redact(P->d, coll);
		vd_error(P->dg, NULL, 0, _("%s exists but is not a calendar collection; remove it, "
		                           "or publish to another --url"), shown);
		free(shown);
		P->failures++;
		return -1;
	}
	if (!have && P->dry) {
		printf(_("MKCALENDAR %s\n"), rel(P, coll));
		P->st->nmk++;
	} else if (!have) {
		const char *dn = vd_ical_x_prop(local, "X-WR-CALNAME");
		struct vd_pool_call mk = { .method = VD_MKCALENDAR, .url = coll, .displayname = dn ? dn : c->name };
		struct vd_pool_result r = send_call(P, w, &mk);
		if (r.status >= 200 && r.status <= 299) {
			P->st->nmk++;
		} else if (r.status == 405 || r.status == 409) {
			/* made meanwhile, or by our own try that landed before its
			 * connection dropped or the run was killed (Radicale: 409
			 * resource-must-be-null).  Its parent is the collection we
			 * listed, so a 409 cannot mean a missing parent: list it */
			exists = 1;
		} else {
			http_failed(P, w, &mk, r);
			return -1;
		}
	}
	if (exists) {
		struct vd_pool_call rep = { .method = VD_REPORT, .url = coll, .list = srv };
		struct vd_pool_result r = send_call(P, w, &rep);
		if (r.status != 207) {
			http_failed(P, w, &rep, r);
			return -1;
		}
	}
	return 0;
}

/* One owner's calendar, a task: the collection, then its events queued. */
static void publish_one(struct vd_pool_worker *w, void *arg)
{
	const struct cal *c = arg;
	struct pub *P = c->P;
	size_t j = vd_hmap_get(&P->have, c->name);
	const struct vd_dav_entry *have = j == (size_t)-1 ? NULL : &P->top->v[j];
	icalcomponent *local = read_calendar(P, c);
	if (!local) {
		P->st->input_bad = 1;
		return;
	}
	char *coll = vd_dav_child_collection(P->d, c->name);
	struct vd_dav_list srv = { 0 };
	if (open_collection(P, w, c, local, have, coll, &srv) == 0 && !stopped(P)) {
		P->st->ncal++;
		sync_events(P, w, coll, c, local, &srv);
	}
	vd_dav_list_free(&srv);
	free(coll);
	icalcomponent_free(local);
}

/* A KIND-ID collection of ours with no local calendar any more, a task:
 * its events of this program go. */
static void clean_orphan(struct vd_pool_worker *w, void *arg)
{
	struct orphan *o = arg;
	struct pub *P = o->P;
	struct vd_dav_list srv = { 0 };
	struct vd_pool_call rep = { .method = VD_REPORT, .url = o->e->url, .list = &srv };
	struct vd_pool_result r = send_call(P, w, &rep);
	if (r.status != 207) {
		http_failed(P, w, &rep, r);
	} else {
		struct cal c = { o->kind, (char *)o->id, NULL, NULL, P };
		sync_events(P, w, o->e->url, &c, NULL, &srv);
	}
	vd_dav_list_free(&srv);
	free(o);
}

/* The next orphan of top: a collection named like ours, no local file;
 * only once every calendar was read (they teach the program's UIDs). */
static int next_orphan(struct pub *P, struct vd_pool_task *t)
{
	for (; P->next_orphan < P->top->n && P->progsuffix; P->next_orphan++) {
		const struct vd_dav_entry *e = &P->top->v[P->next_orphan];
		if (!e->is_calendar || vd_hmap_get(&P->local, e->name) != (size_t)-1)
			continue;
		for (int k = 0; k < NKINDS; k++) {
			size_t kl = strlen(kinds[k]);
			if (!strncmp(e->name, kinds[k], kl) && e->name[kl] == '-' && e->name[kl + 1]) {
				struct orphan *o = xcalloc(1, sizeof *o);
				*o = (struct orphan){ P, e, k, e->name + kl + 1 };
				*t = (struct vd_pool_task){ clean_orphan, free, o };
				P->next_orphan++;
				return 1;
			}
		}
	}
	return 0;
}

/* The pool's feed: the calendars in order, then the orphans (by then
 * every calendar was read: a calendar task reads its file before its
 * first request). */
static int next_big_task(void *ctx, struct vd_pool_task *t)
{
	struct pub *P = ctx;
	if (stopped(P))
		return 0;
	if (P->next_cal < P->nc) {
		progress(P, P->next_cal == 0);
		*t = (struct vd_pool_task){ publish_one, NULL, (void *)&P->cv[P->next_cal++] };
		return 1;
	}
	return next_orphan(P, t);
}

/* The base's children, in one request: which collections exist.  0, or
 * -1 after an error (the run cannot start). */
static int list_base(struct pub *P, struct vd_dav_list *top)
{
	const char *base = vd_dav_base(P->d);
	struct vd_pool_call c = { .method = VD_PROPFIND, .url = base, .list = top };
	struct vd_pool_result r = vd_pool_send(P->pl, NULL, &c);
	if (r.status == -1 && !r.gave_up && P->dry) {
		vd_warning(P->dg, NULL, 0, _("the server could not be reached; showing what a first publish would send"));
	} else if (r.status == 404) {
		char *shown = vd_dav_redact(P->d, base);
		vd_error(P->dg, NULL, 0, _("PROPFIND %s: 404 Not Found: give an existing collection, e.g. "
		                           "your calendar home (Radicale: http://HOST:5232/USER/, "
		                           "Nextcloud: https://HOST/remote.php/dav/calendars/USER/)"), shown);
		free(shown);
		return -1;
	} else if (r.status != 207) {
		vd_pool_fail(P->pl, NULL, &c, r);
		return -1;
	}
	return 0;
}

/* Events in the local calendars, for the progress line: lines counted,
 * not parsed (that is the tasks' work); a file that cannot be read is
 * reported by its task. */
static size_t count_events(const struct cal *cv, size_t nc)
{
	size_t n = 0;
	char *line = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < nc; i++) {
		FILE *f = fopen(cv[i].path, "rb");
		while (f && getline(&line, &cap, f) > 0)
			n += !strncmp(line, "BEGIN:VEVENT", 12);
		if (f)
			fclose(f);
	}
	free(line);
	return n;
}

/* Every local calendar, then the orphans, on o->jobs connections. */
static void publish_all(struct pub *P, struct cal *cv, size_t nc, const struct vd_dav_list *top)
{
	const char *base = vd_dav_base(P->d);
	P->cv = cv;
	P->nc = nc;
	P->top = top;
	vd_hmap_init(&P->have);
	vd_hmap_init(&P->local);
	for (size_t i = 0; i < top->n; i++)
		if (top->v[i].is_collection && strcmp(top->v[i].url, base))
			vd_hmap_put(&P->have, top->v[i].name, i);
	for (size_t i = 0; i < nc; i++) {
		cv[i].P = P;
		vd_hmap_put(&P->local, cv[i].name, i);
	}
	P->progress = isatty(2) && !P->o->quiet && !P->o->verbose && !P->dry;
	if (P->progress)
		P->events = count_events(cv, nc);
	P->started = now_s();
	vd_pool_run(P->pl, next_big_task, P);
	if (P->progress)
		fputs("\r\033[K", stderr);
	vd_hmap_free(&P->local);
	vd_hmap_free(&P->have);
}

/* Connects, lists the base collection and publishes: VD_SYNC_DONE, or
 * VD_SYNC_NO_SERVER after an error. */
static enum vd_sync_result sync_with_server(const struct vd_sync_opts *o, struct vd_sync_stats *st,
                                            struct cal *cv, size_t nc, struct vd_diag *dg)
{
	/* a dry run prints in the order of the files: one at a time */
	struct vd_pool_opts po = { o->dry_run ? 1 : o->jobs, o->retries, o->verbose };
	struct pub P = { .o = o, .st = st, .dg = dg, .dry = o->dry_run };
	P.pl = vd_pool_new(o->url, &po, dg);
	if (!P.pl)
		return VD_SYNC_NO_SERVER;
	P.d = vd_pool_dav(P.pl);
	struct vd_dav_list top = { 0 };
	enum vd_sync_result res = VD_SYNC_DONE;
	if (list_base(&P, &top)) {
		res = VD_SYNC_NO_SERVER;
	} else {
		publish_all(&P, cv, nc, &top);
		struct vd_pool_stats ps;
		vd_pool_stats(P.pl, &ps);
		st->requests = ps.requests;
		st->connections = ps.connections;
		st->retries = ps.retries;
		st->survived = ps.survived;
		st->stopped = stopped(&P);
		st->server_failed = P.net_down || P.failures;
	}
	vd_pool_free(P.pl);
	vd_dav_list_free(&top);
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

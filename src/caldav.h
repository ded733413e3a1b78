/* caldav.h -- a small CalDAV (RFC 4791) client on libcurl and libxml2.
 *
 * One CURL handle is reused for every request, so the connection is kept
 * alive between them (HTTP/1.1 servers; Radicale's own server speaks 1.0
 * and closes each time).  Credentials come from ~/.netrc or from
 * VDSCHED_CALDAV_USER / VDSCHED_CALDAV_PASSWORD, never from a file of the
 * program; no URL is ever printed with a password in it.
 *
 * Every request function returns the HTTP status (100..599), or -1 after a
 * transfer failure (connection refused, timeout, TLS...) or an answer that
 * could not be read (reported).  Statuses and transfer failures are the
 * caller's to judge (a 404 or a 412 is often an answer, a 503 worth another
 * try): vd_dav_transient() says which may pass, vd_dav_fail() reports one
 * in the standard form.
 *
 * One vd_dav is used by one thread at a time; several threads each with
 * their own work in parallel.  A caller that serializes its threads with a
 * mutex names it in vd_dav_opts: it is released while a transfer waits on
 * the network, and held again before the answer is looked at. */
#ifndef VD_CALDAV_H
#define VD_CALDAV_H
#include <pthread.h>
#include <stddef.h>
#include "diag.h"

struct vd_dav;

struct vd_dav_opts {
	int verbose;        /* print each request and its status on stderr */
	pthread_mutex_t *unlock_while_waiting;  /* held by the caller; NULL: none */
};

/* One <response> of a multistatus answer. */
struct vd_dav_entry {
	char *url;          /* absolute, percent-encoded as the server sent it */
	char *name;         /* last path segment, percent-decoded, no trailing '/' */
	char *etag;         /* with its quotes; NULL when the server gave none */
	char *data;         /* calendar-data; NULL when absent */
	char *displayname;  /* NULL when absent */
	int is_collection, is_calendar;
};

struct vd_dav_list {
	struct vd_dav_entry *v;
	size_t n, cap;
};

/* base_url: the collection under which each owner's calendar lives; a
 * trailing '/' is added when missing.  NULL after vd_error (bad URL). */
struct vd_dav *vd_dav_new(const char *base_url, const struct vd_dav_opts *o,
                          struct vd_diag *dg);
void vd_dav_free(struct vd_dav *d);

/* The base URL (ends with '/'), for building collection URLs. */
const char *vd_dav_base(const struct vd_dav *d);
/* base + escaped segment + "/" (a collection) or + ".ics" (a resource
 * inside collection url `coll`); newly allocated. */
char *vd_dav_child_collection(const struct vd_dav *d, const char *segment);
char *vd_dav_child_resource(const struct vd_dav *d, const char *coll, const char *stem);
/* url without user:password, for messages; newly allocated. */
char *vd_dav_redact(const struct vd_dav *d, const char *url);

/* PROPFIND resourcetype+displayname.  depth 0 or 1.  Entries other than
 * url itself are its children.  207 on success. */
int vd_dav_propfind(struct vd_dav *d, const char *url, int depth, struct vd_dav_list *out);
/* REPORT calendar-query for every VEVENT, with getetag and calendar-data. */
int vd_dav_list_events(struct vd_dav *d, const char *coll, struct vd_dav_list *out);
/* GET: fills e->url, e->etag (from the ETag header) and e->data. */
int vd_dav_get(struct vd_dav *d, const char *url, struct vd_dav_entry *e);
int vd_dav_mkcalendar(struct vd_dav *d, const char *url, const char *displayname);
/* PUT text/calendar; etag NULL sends If-None-Match: * (create only). */
int vd_dav_put(struct vd_dav *d, const char *url, const char *body, const char *etag);
/* DELETE; etag non-NULL sends If-Match. */
int vd_dav_delete(struct vd_dav *d, const char *url, const char *etag);

/* "vdsched: error: METHOD URL: STATUS Reason" (or curl's error, status
 * -1) for the last request; nothing for an answer reported unreadable. */
void vd_dav_fail(struct vd_dav *d, const char *method, const char *url, int status);
/* The last request's failure (its status) may pass if sent again: 408,
 * 429, 5xx but 501 and 505, a reset, dropped or timed-out connection,
 * and a refused one once `reached` (something answered before; refused
 * from the start is most likely a wrong URL). */
int vd_dav_transient(const struct vd_dav *d, int status, int reached);
/* The last answer's Retry-After in seconds; -1 when it had none. */
double vd_dav_retry_after(const struct vd_dav *d);
/* Why the last request failed, for a message: "503 Service Unavailable",
 * or curl's words for a transfer failure; d's own buffer. */
const char *vd_dav_why(struct vd_dav *d, int status);

/* Requests sent so far, and the connections opened for them (fewer when
 * the server keeps connections alive). */
unsigned long vd_dav_requests(const struct vd_dav *d);
unsigned long vd_dav_connections(const struct vd_dav *d);

void vd_dav_entry_free(struct vd_dav_entry *e);
void vd_dav_list_free(struct vd_dav_list *l);

#endif

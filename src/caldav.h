/* caldav.h -- a small CalDAV (RFC 4791) client on libcurl and libxml2.
 *
 * One CURL handle is reused for every request, so the connection is kept
 * alive between them (HTTP/1.1 servers; Radicale's own server speaks 1.0
 * and closes each time).  Credentials come from ~/.netrc or from
 * VDSCHED_CALDAV_USER / VDSCHED_CALDAV_PASSWORD, never from a file of the
 * program; no URL is ever printed with a password in it.
 *
 * Every request function returns the HTTP status (100..599), or -1 after a
 * transfer failure (connection refused, timeout, TLS...), which it has
 * reported through the diag with curl_easy_strerror.  HTTP statuses are the
 * caller's to judge (a 404 or a 412 is often an answer, not a failure):
 * vd_dav_fail() reports one in the standard form. */
#ifndef VD_CALDAV_H
#define VD_CALDAV_H
#include <stddef.h>
#include "diag.h"

struct vd_dav;

struct vd_dav_opts {
	int verbose;        /* print each request and its status on stderr */
	long fault_after;   /* tests: _exit(1) after this many changing requests; 0 never */
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

/* "vdsched: error: METHOD URL: STATUS Reason" for the last request. */
void vd_dav_fail(struct vd_dav *d, const char *method, const char *url, int status);

/* Requests sent so far, and the connections opened for them (fewer when
 * the server keeps connections alive). */
unsigned long vd_dav_requests(const struct vd_dav *d);
unsigned long vd_dav_connections(const struct vd_dav *d);

void vd_dav_entry_free(struct vd_dav_entry *e);
void vd_dav_list_free(struct vd_dav_list *l);

#endif

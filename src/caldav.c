/* caldav.c -- see caldav.h */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "caldav.h"
#include "strbuf.h"
#include "xalloc.h"
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif

#define NS_DAV "DAV:"
#define NS_CALDAV "urn:ietf:params:xml:ns:caldav"

struct vd_dav {
	CURL *h;
	CURLU *base;            /* parsed base URL, for resolving hrefs */
	char *base_url;         /* ends with '/' */
	struct vd_diag *dg;
	int verbose;
	pthread_mutex_t *unlock_while_waiting;
	unsigned long nreq, nconnects;
	CURLcode last_rc;       /* the last transfer's outcome */
	double retry_after;     /* the last response's Retry-After; -1 none */
	struct vd_strbuf body;  /* the last response's body, NUL-terminated */
	char etag[256];         /* the last response's ETag header */
	char reason[128];       /* the last response's reason phrase */
	char errbuf[CURL_ERROR_SIZE];
	char why[CURL_ERROR_SIZE + 160];
};

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	vd_strbuf_catn(ud, p, sz * n);
	return sz * n;
}

/* Copies p[0..n) into dst without the line end and surrounding blanks. */
static void copy_trimmed(char *dst, size_t cap, const char *p, size_t n)
{
	while (n && isspace((unsigned char)*p))
		p++, n--;
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct vd_dav *d = ud;
	size_t len = sz * n;
	if (len > 5 && !memcmp(p, "HTTP/", 5)) {
		/* a new status line (after a 100 or a 401 retry): forget the old */
		d->etag[0] = d->reason[0] = '\0';
		d->retry_after = -1;
		const char *sp = memchr(p, ' ', len);
		if (sp && (sp = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - p))))
			copy_trimmed(d->reason, sizeof d->reason, sp + 1, len - (size_t)(sp + 1 - p));
	} else if (len > 5 && !strncasecmp(p, "ETag:", 5)) {
		copy_trimmed(d->etag, sizeof d->etag, p + 5, len - 5);
	} else if (len > 12 && !strncasecmp(p, "Retry-After:", 12)) {
		/* seconds, or an HTTP date (RFC 9110 10.2.3) */
		char v[64];
		char *end;
		copy_trimmed(v, sizeof v, p + 12, len - 12);
		double s = strtod(v, &end);
		if (end != v && !*end && s >= 0) {
			d->retry_after = s;
		} else {
			time_t at = curl_getdate(v, NULL);
			if (at != -1)
				d->retry_after = at > time(NULL) ? (double)(at - time(NULL)) : 0;
		}
	}
	return len;
}

struct vd_dav *vd_dav_new(const char *base_url, const struct vd_dav_opts *o,
                          struct vd_diag *dg)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		vd_error(dg, NULL, 0, _("libcurl could not be initialised"));
		return NULL;
	}
	struct vd_dav *d = xcalloc(1, sizeof *d);
	d->dg = dg;
	d->verbose = o->verbose;
	d->unlock_while_waiting = o->unlock_while_waiting;
	d->retry_after = -1;
	d->base = curl_url();
	char *scheme = NULL, *path = NULL;
	if (!d->base || curl_url_set(d->base, CURLUPART_URL, base_url, 0) != CURLUE_OK ||
	    curl_url_get(d->base, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") && strcasecmp(scheme, "https"))) {
		/* the URL may hold a password: name the rule, not the value */
		vd_error(dg, NULL, 0, _("the CalDAV URL (--url or VDSCHED_CALDAV_URL) is not an http:// or "
		                        "https:// URL; give the collection, e.g. https://dav.example.org/USER/"));
		curl_free(scheme);
		vd_dav_free(d);
		return NULL;
	}
	curl_free(scheme);
	if (curl_url_get(d->base, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
		size_t n = strlen(path);
		if (!n || path[n - 1] != '/') {
			char *p2 = xasprintf("%s/", path);
			curl_url_set(d->base, CURLUPART_PATH, p2, 0);
			free(p2);
		}
		curl_free(path);
	}
	/* no query or fragment: child URLs are built by appending */
	curl_url_set(d->base, CURLUPART_QUERY, NULL, 0);
	curl_url_set(d->base, CURLUPART_FRAGMENT, NULL, 0);
	char *u = NULL;
	curl_url_get(d->base, CURLUPART_URL, &u, 0);
	d->base_url = xstrdup(u);
	curl_free(u);

	xmlInitParser();
	d->h = curl_easy_init();
	if (!d->h) {
		vd_error(dg, NULL, 0, _("libcurl could not make a handle"));
		vd_dav_free(d);
		return NULL;
	}
	CURL *h = d->h;
	curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	const char *user = getenv("VDSCHED_CALDAV_USER");
	const char *pass = getenv("VDSCHED_CALDAV_PASSWORD");
	if (user && *user)
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
	if (pass && *pass)
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	/* Basic only: anything that needs a probe first (ANY) would send each
	 * PUT body twice. */
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vdsched/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, d->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &d->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, d);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a stalled server fails the run (re-running resumes it) */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	return d;
}

void vd_dav_free(struct vd_dav *d)
{
	if (!d)
		return;
	if (d->h)
		curl_easy_cleanup(d->h);
	curl_url_cleanup(d->base);
	free(d->base_url);
	vd_strbuf_free(&d->body);
	free(d);
	curl_global_cleanup();
}

const char *vd_dav_base(const struct vd_dav *d)
{
	return d->base_url;
}

unsigned long vd_dav_requests(const struct vd_dav *d)
{
	return d->nreq;
}

unsigned long vd_dav_connections(const struct vd_dav *d)
{
	return d->nconnects;
}

static char *escape(const struct vd_dav *d, const char *s)
{
	char *e = curl_easy_escape(d->h, s, 0);
	char *r = xstrdup(e ? e : "");
	curl_free(e);
	return r;
}

char *vd_dav_child_collection(const struct vd_dav *d, const char *segment)
{
	char *e = escape(d, segment);
	char *r = xasprintf("%s%s/", d->base_url, e);
	free(e);
	return r;
}

char *vd_dav_child_resource(const struct vd_dav *d, const char *coll, const char *stem)
{
	char *e = escape(d, stem);
	char *r = xasprintf("%s%s%s.ics", coll, coll[0] && coll[strlen(coll) - 1] == '/' ? "" : "/", e);
	free(e);
	return r;
}

char *vd_dav_redact(const struct vd_dav *d, const char *url)
{
	(void)d;
	CURLU *u = curl_url();
	char *s = NULL, *r;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_get(u, CURLUPART_URL, &s, 0);
	}
	r = xstrdup(s ? s : "(URL)");
	curl_free(s);
	curl_url_cleanup(u);
	return r;
}

const char *vd_dav_why(struct vd_dav *d, int status)
{
	if (status < 0)
		snprintf(d->why, sizeof d->why, "%s%s%s%s", curl_easy_strerror(d->last_rc),
		         d->errbuf[0] ? " (" : "", d->errbuf, d->errbuf[0] ? ")" : "");
	else
		snprintf(d->why, sizeof d->why, "%d %s", status, d->reason);
	return d->why;
}

void vd_dav_fail(struct vd_dav *d, const char *method, const char *url, int status)
{
	if (status < 0 && d->last_rc == CURLE_OK)
		return;  /* an unreadable answer: reported when read */
	char *shown = vd_dav_redact(d, url);
	const char *hint = status == 401 ? _(" (check the user and password: ~/.netrc, or "
	                                     "VDSCHED_CALDAV_USER and VDSCHED_CALDAV_PASSWORD)")
	                 : status == 403 ? _(" (this user has no right to do this there)") : "";
	vd_error(d->dg, NULL, 0, "%s %s: %s%s", method, shown, vd_dav_why(d, status), hint);
	free(shown);
}

int vd_dav_transient(const struct vd_dav *d, int status, int reached)
{
	if (status >= 0)
		return status == 408 || status == 429 || (status >= 500 && status <= 599 &&
		                                          status != 501 && status != 505);
	switch (d->last_rc) {
	case CURLE_COULDNT_CONNECT:
		return reached;
	case CURLE_OPERATION_TIMEDOUT: case CURLE_SEND_ERROR: case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE: case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM: case CURLE_SSL_CONNECT_ERROR: case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;  /* an answer that could not be read, a bad URL, TLS trust... */
	}
}

double vd_dav_retry_after(const struct vd_dav *d)
{
	return d->retry_after;
}

/* Sends one request; returns the HTTP status or -1 (a transfer failure,
 * for the caller to judge and report). */
static int request(struct vd_dav *d, const char *method, const char *url,
                   struct curl_slist *hdrs, const char *body, size_t len)
{
	CURL *h = d->h;
	vd_strbuf_reset(&d->body);
	d->etag[0] = d->reason[0] = d->errbuf[0] = '\0';
	d->retry_after = -1;
	/* without this curl waits a second for a "100 Continue" that an
	 * HTTP/1.0 server (Radicale) never sends */
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, strcmp(method, "GET") ? method : NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (d->unlock_while_waiting)
		pthread_mutex_unlock(d->unlock_while_waiting);
	CURLcode rc = curl_easy_perform(h);
	if (d->unlock_while_waiting)
		pthread_mutex_lock(d->unlock_while_waiting);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	d->nreq++;
	d->last_rc = rc;
	long status = 0, conns = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK && conns > 0)
		d->nconnects += (unsigned long)conns;
	if (d->verbose) {
		char *shown = vd_dav_redact(d, url);
		fprintf(stderr, "vdsched: %s %s: %s\n", method, shown,
		        vd_dav_why(d, rc == CURLE_OK ? (int)status : -1));
		free(shown);
	}
	return rc == CURLE_OK ? (int)status : -1;
}

static struct curl_slist *xml_headers(int depth)
{
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/xml; charset=utf-8");
	if (depth >= 0)
		hd = curl_slist_append(hd, depth ? "Depth: 1" : "Depth: 0");
	/* sabre/dav (Nextcloud) then leaves out the 404 propstats */
	return curl_slist_append(hd, "Prefer: return=minimal");
}

/* ---- multistatus ---- */

static int is(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name);
}

static char *text_of(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *r = xstrdup(c ? (const char *)c : "");
	xmlFree(c);
	return r;
}

/* "HTTP/1.1 200 OK" -> 200; 0 when unreadable */
static int status_code(const xmlNode *n)
{
	char *s = text_of(n);
	int code = 0;
	if (sscanf(s, "%*s %d", &code) != 1)
		code = 0;
	free(s);
	return code;
}

void vd_dav_entry_free(struct vd_dav_entry *e)
{
	free(e->url);
	free(e->name);
	free(e->etag);
	free(e->data);
	free(e->displayname);
	memset(e, 0, sizeof *e);
}

void vd_dav_list_free(struct vd_dav_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		vd_dav_entry_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Sets e->url (href resolved against the request URL) and e->name. */
static int resolve(const char *req_url, const char *href, struct vd_dav_entry *e)
{
	CURLU *u = curl_url();
	char *s = NULL, *path = NULL;
	int ok = u && curl_url_set(u, CURLUPART_URL, req_url, 0) == CURLUE_OK &&
	         curl_url_set(u, CURLUPART_URL, href, 0) == CURLUE_OK &&
	         curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK &&
	         curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK;
	if (ok) {
		e->url = xstrdup(s);
		size_t n = strlen(path);
		while (n && path[n - 1] == '/')
			n--;
		size_t b = n;
		while (b && path[b - 1] != '/')
			b--;
		e->name = xstrndup(path + b, n - b);
	}
	curl_free(s);
	curl_free(path);
	curl_url_cleanup(u);
	return ok ? 0 : -1;
}

static void read_prop(const xmlNode *prop, struct vd_dav_entry *e)
{
	for (const xmlNode *p = prop->children; p; p = p->next) {
		if (is(p, NS_DAV, "getetag")) {
			free(e->etag);
			e->etag = text_of(p);
		} else if (is(p, NS_CALDAV, "calendar-data")) {
			free(e->data);
			e->data = text_of(p);
		} else if (is(p, NS_DAV, "displayname")) {
			free(e->displayname);
			e->displayname = text_of(p);
		} else if (is(p, NS_DAV, "resourcetype")) {
			for (const xmlNode *t = p->children; t; t = t->next) {
				if (is(t, NS_DAV, "collection"))
					e->is_collection = 1;
				else if (is(t, NS_CALDAV, "calendar"))
					e->is_calendar = 1;
			}
		}
	}
}

/* Parses d->body as a multistatus into out; -1 after vd_error. */
static int parse_multistatus(struct vd_dav *d, const char *method, const char *url,
                             struct vd_dav_list *out)
{
	/* no network access, no entity expansion: the answer is data */
	xmlDoc *doc = xmlReadMemory(d->body.s ? d->body.s : "", (int)d->body.n, NULL, NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || !is(root, NS_DAV, "multistatus")) {
		char *shown = vd_dav_redact(d, url);
		vd_error(d->dg, NULL, 0, _("%s %s: the answer is not a WebDAV multistatus; "
		                           "is this URL a CalDAV collection?"), method, shown);
		free(shown);
		xmlFreeDoc(doc);
		return -1;
	}
	for (const xmlNode *r = root->children; r; r = r->next) {
		if (!is(r, NS_DAV, "response"))
			continue;
		struct vd_dav_entry e = { 0 };
		char *href = NULL;
		int bad = 0;
		for (const xmlNode *c = r->children; c; c = c->next) {
			if (is(c, NS_DAV, "href") && !href) {
				href = text_of(c);
			} else if (is(c, NS_DAV, "status")) {
				int code = status_code(c);
				bad |= code < 200 || code > 299;
			} else if (is(c, NS_DAV, "propstat")) {
				const xmlNode *prop = NULL;
				int code = 0;
				for (const xmlNode *ps = c->children; ps; ps = ps->next) {
					if (is(ps, NS_DAV, "prop"))
						prop = ps;
					else if (is(ps, NS_DAV, "status"))
						code = status_code(ps);
				}
				if (prop && code >= 200 && code <= 299)
					read_prop(prop, &e);
			}
		}
		if (!bad && href && resolve(url, href, &e) == 0) {
			xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
			out->v[out->n++] = e;
		} else {
			vd_dav_entry_free(&e);
		}
		free(href);
	}
	xmlFreeDoc(doc);
	return 0;
}

int vd_dav_propfind(struct vd_dav *d, const char *url, int depth, struct vd_dav_list *out)
{
	static const char body[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:displayname/></D:prop></D:propfind>\n";
	int st = request(d, "PROPFIND", url, xml_headers(depth), body, sizeof body - 1);
	if (st == 207 && parse_multistatus(d, "PROPFIND", url, out))
		return -1;
	return st;
}

int vd_dav_list_events(struct vd_dav *d, const char *coll, struct vd_dav_list *out)
{
	/* Only the properties compared are asked for; a server that ignores
	 * partial retrieval (RFC 4791 9.6) sends the whole event, which works
	 * as well. */
	static const char body[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
		"<D:prop><D:getetag/><C:calendar-data><C:comp name=\"VCALENDAR\">"
		"<C:comp name=\"VEVENT\"><C:prop name=\"UID\"/><C:prop name=\"SEQUENCE\"/>"
		"<C:prop name=\"DTSTAMP\"/><C:prop name=\"LAST-MODIFIED\"/><C:prop name=\"STATUS\"/>"
		"<C:prop name=\"DTSTART\"/><C:prop name=\"DTEND\"/><C:prop name=\"SUMMARY\"/>"
		"<C:prop name=\"LOCATION\"/><C:prop name=\"DESCRIPTION\"/>"
		"</C:comp></C:comp></C:calendar-data></D:prop>"
		"<C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"/>"
		"</C:comp-filter></C:filter></C:calendar-query>\n";
	int st = request(d, "REPORT", coll, xml_headers(1), body, sizeof body - 1);
	if (st == 207 && parse_multistatus(d, "REPORT", coll, out))
		return -1;
	return st;
}

int vd_dav_get(struct vd_dav *d, const char *url, struct vd_dav_entry *e)
{
	int st = request(d, "GET", url, NULL, NULL, 0);
	if (st == 200) {
		char *keep = xstrdup(url);  /* url may be e->url */
		vd_dav_entry_free(e);
		if (resolve(keep, keep, e))
			e->url = xstrdup(keep);
		free(keep);
		e->etag = d->etag[0] ? xstrdup(d->etag) : NULL;
		e->data = xstrdup(d->body.s ? d->body.s : "");
	}
	return st;
}

int vd_dav_mkcalendar(struct vd_dav *d, const char *url, const char *displayname)
{
	/* built with libxml2 so the display name is escaped as XML wants */
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *root = xmlNewNode(NULL, BAD_CAST "mkcalendar");
	xmlNs *c = xmlNewNs(root, BAD_CAST NS_CALDAV, BAD_CAST "C");
	xmlNs *dav = xmlNewNs(root, BAD_CAST NS_DAV, BAD_CAST "D");
	xmlSetNs(root, c);
	xmlDocSetRootElement(doc, root);
	xmlNode *set = xmlNewChild(root, dav, BAD_CAST "set", NULL);
	xmlNode *prop = xmlNewChild(set, dav, BAD_CAST "prop", NULL);
	if (displayname && *displayname)
		xmlNewTextChild(prop, dav, BAD_CAST "displayname", BAD_CAST displayname);
	xmlNode *comps = xmlNewChild(prop, c, BAD_CAST "supported-calendar-component-set", NULL);
	xmlNode *comp = xmlNewChild(comps, c, BAD_CAST "comp", NULL);
	xmlNewProp(comp, BAD_CAST "name", BAD_CAST "VEVENT");
	xmlChar *mem = NULL;
	int len = 0;
	xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
	xmlFreeDoc(doc);
	int st = request(d, "MKCALENDAR", url, xml_headers(-1), (const char *)mem,
	                 len > 0 ? (size_t)len : 0);
	xmlFree(mem);
	return st;
}

static struct curl_slist *cond_header(struct curl_slist *hd, const char *etag, int create)
{
	char *h;
	if (etag)
		h = xasprintf("If-Match: %s", etag);
	else if (create)
		h = xstrdup("If-None-Match: *");
	else
		return hd;
	hd = curl_slist_append(hd, h);
	free(h);
	return hd;
}

int vd_dav_put(struct vd_dav *d, const char *url, const char *body, const char *etag)
{
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: text/calendar; charset=utf-8");
	hd = cond_header(hd, etag, 1);
	return request(d, "PUT", url, hd, body, strlen(body));
}

int vd_dav_delete(struct vd_dav *d, const char *url, const char *etag)
{
	return request(d, "DELETE", url, cond_header(NULL, etag, 0), NULL, 0);
}

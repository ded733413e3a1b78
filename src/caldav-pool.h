/* caldav-pool.h -- CalDAV requests from several threads at once, each
 * retried through transient faults.
 *
 * Apart from the client (caldav.c: one request, one answer) and from the
 * publish algorithm (caldav-sync.c: what to send): how requests are sent.
 * N workers each own a connection (a struct vd_dav, kept alive where the
 * server allows) and take tasks from one queue.  All of them run under
 * one lock, released only while a request waits on the network or a
 * retry waits out its backoff: the tasks' own code never runs at the same
 * time as another's, so it needs no locking of its own, and the wall time
 * is the network's, spread over N connections.
 *
 * A request that meets a transient fault (vd_dav_transient: 408, 429, 5xx,
 * a reset or timed-out connection) is sent again after a capped
 * exponential backoff with jitter, at least what Retry-After asks (up to
 * VD_POOL_RETRY_AFTER_MAX); after `retries` retries it is given up.  The
 * caller makes a repeated request safe: its PUTs and DELETEs carry
 * If-None-Match / If-Match, so one that landed before the connection
 * dropped answers 412 or 404 the second time, never a duplicate. */
#ifndef VD_CALDAV_POOL_H
#define VD_CALDAV_POOL_H
#include "caldav.h"

/* Waits between tries: 0.5 s, doubling, at most 8 s, each drawn between
 * half and all of that; Retry-After up to 60 s. */
#define VD_POOL_BACKOFF_FIRST 0.5
#define VD_POOL_BACKOFF_MAX 8.0
#define VD_POOL_RETRY_AFTER_MAX 60.0

struct vd_pool;
struct vd_pool_worker;

struct vd_pool_opts {
	int jobs;           /* workers, 1.. */
	int retries;        /* retries of one request after a transient fault */
	int verbose;        /* each request, and each retry, on stderr */
};

/* One request to send; the fields its method needs. */
enum vd_pool_method { VD_PROPFIND, VD_REPORT, VD_GET, VD_MKCALENDAR, VD_PUT, VD_DELETE };
struct vd_pool_call {
	enum vd_pool_method method;
	const char *url;
	const char *body;           /* PUT */
	const char *etag;           /* PUT, DELETE: If-Match; PUT NULL: If-None-Match: * */
	const char *displayname;    /* MKCALENDAR */
	struct vd_dav_list *list;   /* PROPFIND (depth 1), REPORT */
	struct vd_dav_entry *entry; /* GET */
};

/* What one call came to. */
struct vd_pool_result {
	int status;         /* the last try's, as vd_dav's functions return it */
	int retried;        /* tries after a transient fault: one may have landed */
	int gave_up;        /* still transient after the last retry */
};

/* A piece of work: run(worker, arg) with the pool's lock held; drop(arg)
 * frees an arg never run (the pool stopped). */
struct vd_pool_task {
	void (*run)(struct vd_pool_worker *w, void *arg);
	void (*drop)(void *arg);
	void *arg;
};

/* Opens o->jobs connections to url; NULL after vd_error (a bad URL). */
struct vd_pool *vd_pool_new(const char *url, const struct vd_pool_opts *o, struct vd_diag *dg);
void vd_pool_free(struct vd_pool *pl);

/* A connection for what the pool does not send itself (URLs, messages). */
struct vd_dav *vd_pool_dav(struct vd_pool *pl);
struct vd_dav *vd_worker_dav(struct vd_pool_worker *w);
struct vd_pool *vd_worker_pool(struct vd_pool_worker *w);

/* Sends c, retrying transient faults; before the workers run (from the
 * calling thread, w NULL) or from a task.  Failures are the caller's to
 * report: vd_pool_fail. */
struct vd_pool_result vd_pool_send(struct vd_pool *pl, struct vd_pool_worker *w,
                                   const struct vd_pool_call *c);
/* Reports r of c: "METHOD URL: 503 ...; gave up after N tries". */
void vd_pool_fail(struct vd_pool *pl, struct vd_pool_worker *w, const struct vd_pool_call *c,
                  struct vd_pool_result r);

/* Queues t behind the queued tasks (from a task). */
void vd_pool_push(struct vd_pool *pl, struct vd_pool_task t);
/* Runs the workers until no task is queued or running and feed (called
 * with the lock held when the queue is empty) gives no more (returns 0);
 * or until vd_pool_stop.  feed's tasks are the big ones (a calendar):
 * taken only when the queue is empty, so what they queue stays small. */
void vd_pool_run(struct vd_pool *pl, int (*feed)(void *ctx, struct vd_pool_task *t), void *ctx);
/* No more tasks are started; the running ones finish their request. */
void vd_pool_stop(struct vd_pool *pl);
int vd_pool_stopped(const struct vd_pool *pl);

/* Figures for the summary. */
struct vd_pool_stats {
	unsigned long requests, connections;
	unsigned long retries;      /* tries after a transient fault */
	unsigned long survived;     /* faults of requests that then got through */
};
void vd_pool_stats(const struct vd_pool *pl, struct vd_pool_stats *s);

#endif

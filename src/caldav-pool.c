/* caldav-pool.c -- see caldav-pool.h */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "caldav-pool.h"
#include "xalloc.h"

struct vd_pool_worker {
	struct vd_pool *pl;
	struct vd_dav *d;
	pthread_t thread;
	unsigned seed;              /* rand_r's, for the jitter */
};

struct vd_pool {
	pthread_mutex_t lock;       /* held by whoever runs pool code or a task */
	pthread_cond_t changed;     /* a task was queued or finished, or stop */
	struct vd_pool_opts o;
	struct vd_diag *dg;
	struct vd_pool_worker *w;   /* o.jobs of them; w[0]'s connection also serves the caller */
	unsigned seed;              /* the caller's jitter, before the workers run */
	struct vd_pool_task *q;     /* queued: q[head] .. q[end - 1] */
	size_t head, end, cap;
	int busy;                   /* workers running a task */
	int stop;
	int reached;                /* some request was answered: refused means down */
	int (*feed)(void *ctx, struct vd_pool_task *t);
	void *feed_ctx;
	unsigned long retries, survived;
};

struct vd_pool *vd_pool_new(const char *url, const struct vd_pool_opts *o, struct vd_diag *dg)
{
	struct vd_pool *pl = xcalloc(1, sizeof *pl);
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->changed, NULL);
	/* the caller holds the lock whenever it uses the pool */
	pthread_mutex_lock(&pl->lock);
	pl->o = *o;
	if (pl->o.jobs < 1)
		pl->o.jobs = 1;
	pl->dg = dg;
	pl->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	pl->w = xcalloc((size_t)pl->o.jobs, sizeof *pl->w);
	struct vd_dav_opts dopt = { o->verbose, &pl->lock };
	/* made here, in one thread: curl_global_init is not thread-safe */
	for (int i = 0; i < pl->o.jobs; i++) {
		pl->w[i].pl = pl;
		pl->w[i].seed = pl->seed + 7919u * (unsigned)(i + 1);
		if (!(pl->w[i].d = vd_dav_new(url, &dopt, dg))) {
			vd_pool_free(pl);
			return NULL;
		}
	}
	return pl;
}

void vd_pool_free(struct vd_pool *pl)
{
	if (!pl)
		return;
	for (size_t i = pl->head; i < pl->end; i++)
		if (pl->q[i].drop)
			pl->q[i].drop(pl->q[i].arg);
	free(pl->q);
	for (int i = 0; i < pl->o.jobs; i++)
		vd_dav_free(pl->w[i].d);
	free(pl->w);
	pthread_mutex_unlock(&pl->lock);
	pthread_cond_destroy(&pl->changed);
	pthread_mutex_destroy(&pl->lock);
	free(pl);
}

struct vd_dav *vd_pool_dav(struct vd_pool *pl)
{
	return pl->w[0].d;
}

struct vd_dav *vd_worker_dav(struct vd_pool_worker *w)
{
	return w->d;
}

struct vd_pool *vd_worker_pool(struct vd_pool_worker *w)
{
	return w->pl;
}

static const char *const method_names[] = {
	[VD_PROPFIND] = "PROPFIND", [VD_REPORT] = "REPORT", [VD_GET] = "GET",
	[VD_MKCALENDAR] = "MKCALENDAR", [VD_PUT] = "PUT", [VD_DELETE] = "DELETE" };

static int send_once(struct vd_dav *d, const struct vd_pool_call *c)
{
	switch (c->method) {
	case VD_PROPFIND: return vd_dav_propfind(d, c->url, 1, c->list);
	case VD_REPORT: return vd_dav_list_events(d, c->url, c->list);
	case VD_GET: return vd_dav_get(d, c->url, c->entry);
	case VD_MKCALENDAR: return vd_dav_mkcalendar(d, c->url, c->displayname);
	case VD_PUT: return vd_dav_put(d, c->url, c->body, c->etag);
	case VD_DELETE: return vd_dav_delete(d, c->url, c->etag);
	}
	return -1;
}

/* The wait before retry number `retry` (1..): capped exponential, drawn
 * between half and all of it so that workers hit by one fault do not
 * come back together; at least Retry-After. */
static double backoff(unsigned *seed, int retry, double retry_after)
{
	double cap = VD_POOL_BACKOFF_FIRST * ldexp(1.0, retry - 1);
	if (cap > VD_POOL_BACKOFF_MAX)
		cap = VD_POOL_BACKOFF_MAX;
	double t = cap * (0.5 + 0.5 * rand_r(seed) / (double)RAND_MAX);
	if (retry_after > VD_POOL_RETRY_AFTER_MAX)
		retry_after = VD_POOL_RETRY_AFTER_MAX;
	return retry_after > t ? retry_after : t;
}

/* Sleeps t seconds without the lock; returns early on vd_pool_stop. */
static void wait_unlocked(struct vd_pool *pl, double t)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	double whole = floor(t);
	until.tv_sec += (time_t)whole;
	until.tv_nsec += (long)((t - whole) * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!pl->stop && pthread_cond_timedwait(&pl->changed, &pl->lock, &until) != ETIMEDOUT)
		;
}

struct vd_pool_result vd_pool_send(struct vd_pool *pl, struct vd_pool_worker *w,
                                   const struct vd_pool_call *c)
{
	struct vd_dav *d = w ? w->d : pl->w[0].d;
	unsigned *seed = w ? &w->seed : &pl->seed;
	struct vd_pool_result r = { 0, 0, 0 };
	for (;;) {
		r.status = send_once(d, c);
		int transient = vd_dav_transient(d, r.status, pl->reached);
		if (r.status >= 0)
			pl->reached = 1;
		if (!transient) {
			pl->survived += (unsigned long)r.retried;
			return r;
		}
		if (r.retried >= pl->o.retries || pl->stop) {
			r.gave_up = 1;
			return r;
		}
		r.retried++;
		pl->retries++;
		double t = backoff(seed, r.retried, vd_dav_retry_after(d));
		if (pl->o.verbose) {
			char *shown = vd_dav_redact(d, c->url);
			fprintf(stderr, _("vdsched: %s %s: %s; trying again in %.1f s (retry %d of %d)\n"),
			        method_names[c->method], shown, vd_dav_why(d, r.status), t, r.retried,
			        pl->o.retries);
			free(shown);
		}
		wait_unlocked(pl, t);
	}
}

void vd_pool_fail(struct vd_pool *pl, struct vd_pool_worker *w, const struct vd_pool_call *c,
                  struct vd_pool_result r)
{
	struct vd_dav *d = w ? w->d : pl->w[0].d;
	if (r.gave_up && pl->stop)
		return;  /* cut short by the stop, whose reason is reported */
	if (!r.gave_up) {
		vd_dav_fail(d, method_names[c->method], c->url, r.status);
		return;
	}
	char *shown = vd_dav_redact(d, c->url);
	vd_error(pl->dg, NULL, 0, _("%s %s: %s; gave up after %d tries (the server or the network "
	                            "keeps failing; --retries sets how many)"),
	         method_names[c->method], shown, vd_dav_why(d, r.status), r.retried + 1);
	free(shown);
}

void vd_pool_push(struct vd_pool *pl, struct vd_pool_task t)
{
	if (pl->end == pl->cap && pl->head) {  /* reuse the taken front */
		memmove(pl->q, pl->q + pl->head, (pl->end - pl->head) * sizeof *pl->q);
		pl->end -= pl->head;
		pl->head = 0;
	}
	xgrow(&pl->q, &pl->cap, pl->end + 1, sizeof *pl->q);
	pl->q[pl->end++] = t;
	/* all: a signal could wake a worker waiting out a backoff instead */
	pthread_cond_broadcast(&pl->changed);
}

/* The next task, 1; 0 when there is none and none can come. */
static int next_task(struct vd_pool *pl, struct vd_pool_task *t)
{
	for (;;) {
		if (pl->stop)
			return 0;
		if (pl->head < pl->end) {
			*t = pl->q[pl->head++];
			return 1;
		}
		if (pl->feed && pl->feed(pl->feed_ctx, t))
			return 1;
		pl->feed = NULL;  /* fed out */
		if (!pl->busy)
			return 0;  /* nobody can queue more */
		pthread_cond_wait(&pl->changed, &pl->lock);
	}
}

static void *work(void *arg)
{
	struct vd_pool_worker *w = arg;
	struct vd_pool *pl = w->pl;
	pthread_mutex_lock(&pl->lock);
	struct vd_pool_task t;
	while (next_task(pl, &t)) {
		pl->busy++;
		t.run(w, t.arg);
		pl->busy--;
		pthread_cond_broadcast(&pl->changed);
	}
	pthread_cond_broadcast(&pl->changed);
	pthread_mutex_unlock(&pl->lock);
	return NULL;
}

void vd_pool_run(struct vd_pool *pl, int (*feed)(void *ctx, struct vd_pool_task *t), void *ctx)
{
	pl->feed = feed;
	pl->feed_ctx = ctx;
	pthread_mutex_unlock(&pl->lock);
	int started = 0;
	for (int i = 1; i < pl->o.jobs; i++)
		if (pthread_create(&pl->w[i].thread, NULL, work, &pl->w[i]) == 0)
			started = i;
		else
			break;
	work(&pl->w[0]);  /* the calling thread is worker 0 */
	for (int i = 1; i <= started; i++)
		pthread_join(pl->w[i].thread, NULL);
	pthread_mutex_lock(&pl->lock);
}

void vd_pool_stop(struct vd_pool *pl)
{
	pl->stop = 1;
	pthread_cond_broadcast(&pl->changed);
}

int vd_pool_stopped(const struct vd_pool *pl)
{
	return pl->stop;
}

void vd_pool_stats(const struct vd_pool *pl, struct vd_pool_stats *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < pl->o.jobs; i++) {
		s->requests += vd_dav_requests(pl->w[i].d);
		s->connections += vd_dav_connections(pl->w[i].d);
	}
	s->retries = pl->retries;
	s->survived = pl->survived;
}

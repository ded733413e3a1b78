/* jobs.c -- see jobs.h.  A pool as small as the job needs: the jobs are
 * few (four) and long (seconds each), so a mutex-guarded index hands them
 * out and nothing is queued. */
#include <locale.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "jobs.h"
#include "print.h"
#include "xalloc.h"

struct pool {
	struct vd_job *jobs;
	size_t n, next;
	int *rc;                 /* by job */
	struct vd_diag *dgs;     /* by job */
	pthread_mutex_t lock;
	locale_t loc, page_loc;  /* the caller's, for every worker */
};

/* This thread's CPU seconds: a job's own, whatever runs beside it. */
static double thread_cpu(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
		return 0;
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run_one(struct pool *pl, size_t i)
{
	double t0 = thread_cpu();
	pl->rc[i] = pl->jobs[i].run(pl->jobs[i].arg, &pl->dgs[i]);
	pl->jobs[i].cpu = thread_cpu() - t0;
}

static void *worker(void *arg)
{
	struct pool *pl = arg;
	uselocale(pl->loc);
	vd_page_locale_set(pl->page_loc);
	for (;;) {
		pthread_mutex_lock(&pl->lock);
		size_t i = pl->next < pl->n ? pl->next++ : pl->n;
		pthread_mutex_unlock(&pl->lock);
		if (i == pl->n)
			break;
		run_one(pl, i);
	}
	vd_page_locale_set((locale_t)0);
	return NULL;
}

int vd_jobs_run(struct vd_job *jobs, size_t n, unsigned threads, struct vd_diag *dg)
{
	struct pool pl = { .jobs = jobs, .n = n };
	pl.rc = xcalloc(n ? n : 1, sizeof *pl.rc);
	pl.dgs = xcalloc(n ? n : 1, sizeof *pl.dgs);
	for (size_t i = 0; i < n; i++) {
		vd_diag_init(&pl.dgs[i], dg->out);
		pl.dgs[i].quiet = dg->quiet;
	}
	size_t nt = threads < n ? threads : n;
	pthread_t *tid = xcalloc(nt ? nt : 1, sizeof *tid);
	size_t started = 0;
	if (nt > 1) {
		pthread_mutex_init(&pl.lock, NULL);
		pl.loc = uselocale((locale_t)0);
		pl.page_loc = vd_page_locale_get();
		/* the calling thread waits: the workers are the jobs' threads */
		while (started < nt && pthread_create(&tid[started], NULL, worker, &pl) == 0)
			started++;
	}
	if (!started)   /* one thread asked for, or none could be made */
		for (size_t i = 0; i < n; i++)
			run_one(&pl, i);
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (nt > 1)
		pthread_mutex_destroy(&pl.lock);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		dg->errors += pl.dgs[i].errors;
		dg->warnings += pl.dgs[i].warnings;
		bad |= pl.rc[i] != 0;
	}
	free(tid);
	free(pl.dgs);
	free(pl.rc);
	return bad ? -1 : 0;
}

unsigned vd_jobs_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

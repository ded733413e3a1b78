/* jobs.h -- independent writers side by side.
 *
 * A plan's outputs are separate files: the workbook alone is half of a
 * 50,000-doctor plan's time, the pages and the calendars most of the rest,
 * and none reads what another writes.  vd_jobs_run runs such jobs on a few
 * threads and returns when all have ended, as if they had run one after
 * the other: each job gets a diagnostics sink of its own, counted into the
 * caller's, and the caller's thread settings that writers depend on (the
 * locale of the messages, the pages' locale of print.h) are the workers'
 * too.  A job must touch nothing another job of the same call writes. */
#ifndef VD_JOBS_H
#define VD_JOBS_H
#include <stddef.h>
#include "diag.h"

struct vd_job {
	int (*run)(void *arg, struct vd_diag *dg);   /* 0, or -1 after vd_error */
	void *arg;
	double cpu;    /* out: the seconds of CPU the job took (plan -v prints them) */
};

/* Runs jobs[0 .. n-1] on up to `threads` threads (1: one after the other,
 * in this thread, in order).  Returns 0, or -1 when any job failed (every
 * job runs anyway: its errors are reported). */
int vd_jobs_run(struct vd_job *jobs, size_t n, unsigned threads, struct vd_diag *dg);
/* The processors this process may run on, at least 1. */
unsigned vd_jobs_cpus(void);

#endif

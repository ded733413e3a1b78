/* caldav-sync.h -- the publish algorithm: make a CalDAV server hold exactly
 * the events of an output folder's calendars.
 *
 * Apart from the command (cmd-publish.c, which finds the URL and the
 * folder and prints the summary) and from the HTTP client (caldav.c, which
 * sends one request and reads its answer): this is the plan of what to
 * PUT and DELETE, from the local calendars and the server's listing, and
 * its execution.  Nothing is remembered between runs, so a run stopped
 * half-way is finished by running it again. */
#ifndef VD_CALDAV_SYNC_H
#define VD_CALDAV_SYNC_H
#include <stddef.h>
#include "diag.h"

struct vd_sync_opts {
	const char *url;        /* the base collection; may hold user:password */
	const char *out_dir;    /* the output folder: OUT/ics/KIND/ID.ics */
	int dry_run;            /* list the server, print what would be sent */
	int quiet, verbose;
	int jobs;               /* requests in flight at once */
	int retries;            /* retries of a request after a transient fault */
	long fault_after;       /* tests: _exit(1) after this many changing requests */
	int stale_etags;        /* tests: pretend each listed ETag is outdated */
	int no_data;            /* tests: pretend the listing has no calendar-data */
};

/* What a run did, for the summary. */
struct vd_sync_stats {
	size_t ncal, nnew, nupd, ndel, nsame;   /* calendars and events */
	size_t nput, ndelete, nmk;              /* requests that change the server */
	unsigned long requests, connections;
	unsigned long retries, survived;        /* tries after transient faults, faults got over */
	double seconds;                         /* wall time of the run */
	int stopped;                            /* gave up before the end: run again */
	int input_bad;                          /* a local calendar could not be read */
	int server_failed;                      /* some request failed */
};

enum vd_sync_result {
	VD_SYNC_DONE,       /* ran to the end or stopped; see the stats */
	VD_SYNC_NO_FOLDER,  /* the output folder is not one (reported) */
	VD_SYNC_NO_SERVER   /* bad URL, or the base collection failed (reported) */
};

/* Publishes o->out_dir to o->url; st is filled as far as the run got. */
enum vd_sync_result vd_caldav_sync(const struct vd_sync_opts *o, struct vd_sync_stats *st,
                                   struct vd_diag *dg);

#endif

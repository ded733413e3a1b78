/* cmd-publish.c -- vdsched publish: the calendars of an output folder to a
 * CalDAV server.
 *
 * Only the command: which server, which folder, the options, and the
 * summary.  What is sent, and why, is caldav-sync.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "caldav-sync.h"
#include "cmd.h"
#include "config.h"
#include "ini.h"
#include "xalloc.h"

/* Requests in flight: against Radicale 3.1 on loopback 8 published a
 * county 1.7 times as fast as 1, 4 only 1.4 times (see vdsched(1));
 * retries: about 24 s of backoff in all. */
#define VD_PUBLISH_JOBS 8
#define VD_PUBLISH_RETRIES 6

/* The output folder: -o, else [output] dir of the program file, else
 * ./out.  NULL when the program file is there but unreadable (reported). */
static char *output_dir(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	if (o->output)
		return xstrdup(o->output);
	char *dir = NULL;
	if (o->config && access(o->config, F_OK) == 0) {
		struct vd_ini *ini = vd_ini_open(o->config, dg);
		if (!ini)
			return NULL;
		const char *v = vd_ini_get(ini, "output", "dir");
		if (v && *v) {
			const char *slash = strrchr(o->config, '/');
			char *cdir = slash ? xstrndup(o->config, (size_t)(slash - o->config)) : xstrdup(".");
			dir = vd_path_join(cdir, v);
			free(cdir);
		}
		vd_ini_close(ini);
	}
	return dir ? dir : xstrdup("out");
}

static void print_summary(const struct vd_cmd_opts *o, const struct vd_sync_stats *s)
{
	if (o->verbose)
		fprintf(stderr, _("vdsched: %lu requests over %lu connections\n"), s->requests, s->connections);
	if (s->stopped)
		fprintf(stderr, _("vdsched: publishing stopped; run it again to finish "
		                  "(what was sent is kept, nothing is sent twice)\n"));
	if (o->quiet)
		return;
	if (o->dry_run)
		printf(_("dry run, nothing sent: would publish %zu calendars: %zu new, %zu updated, "
		         "%zu deleted, %zu unchanged (PUT %zu, DELETE %zu, MKCALENDAR %zu)\n"),
		       s->ncal, s->nnew, s->nupd, s->ndel, s->nsame, s->nput, s->ndelete, s->nmk);
	else
		printf(_("published %zu calendars: %zu new, %zu updated, %zu deleted, %zu unchanged "
		         "(PUT %zu, DELETE %zu, MKCALENDAR %zu) in %.1f s\n"),
		       s->ncal, s->nnew, s->nupd, s->ndel, s->nsame, s->nput, s->ndelete, s->nmk, s->seconds);
	if (s->retries)
		printf(_("%lu transient faults survived, %lu requests sent again\n"), s->survived, s->retries);
}

int vd_cmd_publish(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	const char *url = o->url && *o->url ? o->url : getenv("VDSCHED_CALDAV_URL");
	if (!url || !*url) {
		vd_error(dg, NULL, 0, _("no CalDAV server: give --url URL or set VDSCHED_CALDAV_URL, "
		                        "e.g. https://dav.example.org/USER/ (see vdsched(1))"));
		return VD_EXIT_USAGE;
	}
	int jobs = vd_cmd_count("--jobs", o->jobs, VD_PUBLISH_JOBS, 1, 64, dg);
	int retries = vd_cmd_count("--retries", o->retries, VD_PUBLISH_RETRIES, 0, 100, dg);
	if (jobs < 0 || retries < 0)
		return VD_EXIT_USAGE;
	char *out = output_dir(o, dg);
	if (!out)
		return VD_EXIT_INPUT;
	const char *fa = getenv("VDSCHED_PUBLISH_FAULT_AFTER");  /* tests only */
	/* tests only: the server behaviours Radicale does not show */
	const char *t = getenv("VDSCHED_PUBLISH_TEST");
	struct vd_sync_opts so = {
		.url = url, .out_dir = out, .dry_run = o->dry_run, .quiet = o->quiet,
		.verbose = o->verbose, .jobs = jobs, .retries = retries, .fault_after = fa ? strtol(fa, NULL, 10) : 0,
		.stale_etags = t && strstr(t, "stale-etags"),
		.no_data = t && strstr(t, "no-calendar-data"),
	};
	struct vd_sync_stats s;
	enum vd_sync_result res = vd_caldav_sync(&so, &s, dg);
	free(out);
	if (res == VD_SYNC_NO_FOLDER)
		return VD_EXIT_INPUT;
	if (res == VD_SYNC_NO_SERVER)
		return VD_EXIT_USAGE;
	print_summary(o, &s);
	return s.server_failed ? VD_EXIT_USAGE : s.input_bad ? VD_EXIT_INPUT : VD_EXIT_OK;
}

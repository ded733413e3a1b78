/* cmd-plan.c -- vdsched plan [--previous DIR [--freeze-before DATE]]:
 * build the schedule (from scratch, or changing the previous plan as
 * little as the edit allows) and write every output, all or nothing. */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attendance.h"
#include "certificate.h"
#include "changes.h"
#include "cmd.h"
#include "completion.h"
#include "completion-out.h"
#include "fsutil.h"
#include "ics.h"
#include "loader.h"
#include "model.h"
#include "output.h"
#include "planner.h"
#include "print.h"
#include "state.h"
#include "xalloc.h"
#include "xlsx.h"

/* --freeze-before: a date inside the program (its end + 1 freezes all). */
static int parse_freeze(const struct vd_cmd_opts *o, const struct vd_program *p, vd_date *out,
                        struct vd_diag *dg)
{
	char a[11], b[11];
	*out = 0;
	if (!o->freeze_before)
		return 0;
	if (!o->previous) {
		vd_error(dg, NULL, 0, _("--freeze-before needs --previous DIR, the earlier plan whose past it keeps"));
		return -1;
	}
	if (vd_date_parse(o->freeze_before, out)) {
		vd_error(dg, NULL, 0, _("--freeze-before '%s' is not a date; write it as YYYY-MM-DD, e.g. %s"),
		         o->freeze_before, vd_date_format(p->start, a));
		return -1;
	}
	if (*out < p->start || *out > p->end + 1) {
		vd_error(dg, NULL, 0, _("--freeze-before %s is outside the program (%s to %s); give a date in it, the first day that may still change"),
		         o->freeze_before, vd_date_format(p->start, a), vd_date_format(p->end, b));
		return -1;
	}
	return 0;
}

static int append_replan_report(const char *dir, const struct vd_changes *ch, FILE *also,
                                struct vd_diag *dg)
{
	struct vd_outfile o;
	int rc = vd_outfile_open(&o, dg, dir, "report.txt", VD_OUT_APPEND);
	if (!rc) {
		vd_changes_report(o.f, ch);
		rc = vd_outfile_close(&o, dg);
	}
	if (also)
		vd_changes_report(also, ch);
	return rc;
}

static int plan_and_write(const struct vd_cmd_opts *o, struct vd_program *p, struct vd_diag *dg)
{
	struct vd_prev pv, *prev = NULL;
	struct vd_attendance att;
	vd_date freeze = 0;
	memset(&pv, 0, sizeof pv);
	memset(&att, 0, sizeof att);
	if (parse_freeze(o, p, &freeze, dg) || (o->previous && vd_state_read(o->previous, &pv, dg)) ||
	    vd_attendance_read(p, &att, dg) ||
	    (o->previous && vd_attendance_match(p, &pv, freeze, &att, dg))) {
		vd_attendance_free(&att);
		vd_prev_free(&pv);
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg->errors);
		return VD_EXIT_INPUT;
	}
	if (o->previous) {
		prev = &pv;
		if (pv.program && strcmp(pv.program, p->id))
			vd_warning(dg, NULL, 0, _("the previous plan in %s is of program '%s', this one is '%s'; calendar UIDs will differ"),
			           o->previous, pv.program, p->id);
	}
	struct vd_plan pl;
	struct vd_plan_opts po = { .verbose = o->verbose, .progress = isatty(2), .prev = prev, .freeze = freeze };
	struct vd_outdir od;
	const char *out = o->output ? o->output : p->output_dir ? p->output_dir : "out";
	long long stamp = vd_cmd_dtstamp(dg);
	struct vd_changes ch;
	memset(&ch, 0, sizeof ch);

	if (vd_outdir_begin(&od, out, dg)) {
		vd_outdir_free(&od);
		vd_attendance_free(&att);
		if (prev)
			vd_prev_free(prev);
		return VD_EXIT_USAGE;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	vd_plan_build(p, &po, &pl, dg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o->verbose)
		fprintf(stderr, _("vdsched: planned in %.2f s\n"),
		        (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (prev)
		vd_changes_compute(p, &pl, prev, freeze, &ch);
	struct vd_completion comp;
	vd_completion_compute(p, &pl, &att, freeze, &comp);
	int bad = vd_write_tables(p, &pl, od.tmp, dg) != 0;
	bad = bad || vd_write_completion_csv(p, &pl, &comp, od.tmp, dg) != 0;
	bad = bad || (!prev && vd_write_xlsx(p, &pl, &comp, NULL, od.tmp, dg) != 0);
	bad = bad || vd_write_report(p, &pl, &comp, od.tmp, o->verbose ? stdout : NULL, dg) != 0;
	bad = bad || vd_write_print(p, &pl, od.tmp, dg) != 0;
	bad = bad || vd_write_certificates(p, &pl, &comp, od.tmp, dg) != 0;
	bad = bad || vd_state_write(p, &pl, od.tmp, dg) != 0;
	struct vd_strv changed = { 0 };
	bad = bad || vd_ics_write_all(p, &pl, od.tmp, stamp, prev ? prev->dir : NULL, freeze,
	                              prev ? &changed : NULL, dg) != 0;
	/* a calendar can change with no pair changing (a new instructor, a
	 * new contact): those doctors are listed too */
	if (prev)
		vd_changes_add_calendars(p, &ch, &changed);
	vd_strv_free(&changed);
	bad = bad || (prev && append_replan_report(od.tmp, &ch, o->verbose ? stdout : NULL, dg) != 0);
	bad = bad || (prev && vd_changes_write(p, &ch, od.tmp, dg) != 0);
	/* a re-plan's workbook last: its 变动 sheet needs the changes the
	 * calendars added */
	bad = bad || (prev && vd_write_xlsx(p, &pl, &comp, &ch, od.tmp, dg) != 0);
	bad = bad || vd_outdir_commit(&od, dg) != 0;
	int rc = pl.nunsched ? VD_EXIT_PARTIAL : 0;
	if (bad) {
		vd_outdir_abort(&od);
		fprintf(stderr, _("vdsched: nothing was written to %s; what was there is unchanged\n"), od.final);
		rc = VD_EXIT_USAGE;
	} else if (!o->quiet) {
		printf(_("planned %zu of %zu doctor x course pairs in %zu runs; %zu unscheduled\n"),
		       pl.nassigned, pl.nrequired, pl.nruns, pl.nunsched);
		if (prev)
			printf(_("re-planned: %zu pairs moved (%zu forced by the edit), %zu added, %zu dropped, %zu cancelled; %zu doctors' calendars change (changes.csv)\n"),
			       ch.moved, ch.forced, ch.added, ch.dropped, ch.cancelled, ch.ndoctors);
		printf(_("tables, workbook (plan.xlsx) and report: %s/\ncalendars: %s/ics/ (doctors, cohorts, sites, instructors)\nprintable notices with QR codes: %s/print/index.html\n"),
		       od.final, od.final, od.final);
		if (p->base_url)
			printf(_("doctors subscribe to %sics/doctors/ID.ics once the folder is served there\n"), p->base_url);
	}
	if (!bad && pl.nunsched && !o->quiet)
		fprintf(stderr, _("vdsched: %zu pairs could not be scheduled; reasons in %s/unscheduled.csv\n"),
		        pl.nunsched, od.final);
	vd_completion_free(&comp);
	vd_changes_free(&ch);
	vd_outdir_free(&od);
	vd_plan_free(&pl);
	vd_attendance_free(&att);
	if (prev)
		vd_prev_free(prev);
	return rc;
}

int vd_cmd_plan(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	struct vd_program p;
	struct vd_plugins ps;
	vd_program_init(&p);
	memset(&ps, 0, sizeof ps);
	int rc = vd_cmd_load(o, &p, &ps, dg);
	if (rc == 0)
		rc = plan_and_write(o, &p, dg);
	else
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg->errors);
	vd_program_free(&p);
	vd_plugins_free(&ps);
	return rc;
}

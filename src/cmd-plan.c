/* cmd-plan.c -- vdsched plan [--previous DIR [--freeze-before DATE]]:
 * build the schedule (from scratch, or changing the previous plan as
 * little as the edit allows) and write every output, all or nothing. */
#include <locale.h>
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
#include "jobs.h"
#include "loader.h"
#include "model.h"
#include "output.h"
#include "planner.h"
#include "print.h"
#include "state.h"
#include "xalloc.h"
#include "xlsx.h"

/* [output] language: what the office reads is in that language whatever
 * the locale vdsched runs in (a scheduled job under LANG=C, a Chinese
 * desktop writing an English report).  Switches this thread's
 * LC_MESSAGES and LC_CTYPE; ls keeps what output_language_end restores. */
/* What a switch switches: the thread's locale (the report, every
 * message), or only the pages' texts (print.h: vd_page_text), so that
 * the diagnostics while the pages are written stay in the thread's. */
enum lang_target { LANG_THREAD, LANG_PAGES };

struct lang_switch {
	enum lang_target target;
	locale_t loc, old;
	char *language;   /* $LANGUAGE, set aside: it would override the locale */
	int language_set; /* $LANGUAGE was changed: put it back */
};

/* gettext caches its translations by the locale's name, not by $LANGUAGE:
 * after changing $LANGUAGE the cache must be dropped, as the gettext
 * manual's "Changing the language at runtime" says. */
static void language_changed(void)
{
#if ENABLE_NLS
	extern int _nl_msg_cat_cntr;
	++_nl_msg_cat_cntr;
#endif
}

/* Sets $LANGUAGE to value (NULL: unset), keeping the old one in ls. */
static void language_env(struct lang_switch *ls, const char *value)
{
	const char *lg = getenv("LANGUAGE");
	ls->language = lg ? xstrdup(lg) : NULL;
	ls->language_set = 1;
	if (value)
		setenv("LANGUAGE", value, 1);
	else
		unsetenv("LANGUAGE");
	language_changed();
}

/* Switches to `lang` (VD_LANG_LOCALE: no switch).  Chinese is the
 * zh_CN.UTF-8 locale, or, where the system lacks it, C.UTF-8 with
 * LANGUAGE=zh_CN: gettext honours $LANGUAGE under any locale but plain C,
 * and C.UTF-8 is built into glibc since 2.35, so the catalogue alone is
 * enough for the Chinese pages.  English is C.UTF-8 without $LANGUAGE. */
static void output_language_begin(const struct vd_program *p, enum vd_lang lang,
                                  enum lang_target target, struct lang_switch *ls,
                                  struct vd_diag *dg)
{
	memset(ls, 0, sizeof *ls);
	ls->target = target;
	if (lang == VD_LANG_LOCALE)
		return;
	const char *name = lang == VD_LANG_ZH ? "zh_CN.UTF-8" : "C.UTF-8";
	locale_t base = duplocale(LC_GLOBAL_LOCALE);
	/* LC_CTYPE too: gettext converts to its codeset, and the files are UTF-8 */
	ls->loc = base ? newlocale(LC_MESSAGES_MASK | LC_CTYPE_MASK, name, base) : (locale_t)0;
	int by_language = 0;
	if (!ls->loc && base && lang == VD_LANG_ZH) {
		ls->loc = newlocale(LC_MESSAGES_MASK | LC_CTYPE_MASK, "C.UTF-8", base);
		by_language = ls->loc != (locale_t)0;
	}
	if (!ls->loc) {
		if (base)
			freelocale(base);
		vd_warning(dg, p->path, 0, _("[output] language needs the %s locale, which this system lacks (locale-gen %s); the outputs follow the current locale"),
		           name, name);
		return;
	}
	/* $LANGUAGE is the process's: without the zh_CN.UTF-8 locale the
	 * diagnostics while the pages are written are Chinese too */
	if (target == LANG_THREAD || by_language)
		language_env(ls, by_language ? "zh_CN" : NULL);
	if (target == LANG_PAGES)
		vd_page_locale_set(ls->loc);
	else
		ls->old = uselocale(ls->loc);
}

static void output_language_end(struct lang_switch *ls)
{
	if (!ls->loc)
		return;
	if (ls->target == LANG_PAGES)
		vd_page_locale_set((locale_t)0);
	else
		uselocale(ls->old);
	freelocale(ls->loc);
	if (ls->language)
		setenv("LANGUAGE", ls->language, 1);
	else if (ls->language_set)
		unsetenv("LANGUAGE");
	if (ls->language_set)
		language_changed();
	free(ls->language);
	memset(ls, 0, sizeof *ls);
}

/* The language of the pages and the workbook: Chinese unless the program
 * asks for English, whatever the locale, for they go to the Chinese
 * office and the doctors (the report follows the locale when the key is
 * absent: it is the administrator's). */
static enum vd_lang pages_language(const struct vd_program *p)
{
	return p->language == VD_LANG_EN ? VD_LANG_EN : VD_LANG_ZH;
}

/* Everything a writer of a plan's outputs reads: the jobs below run side
 * by side (jobs.h), each writing files no other one writes. */
struct writers {
	const struct vd_program *p;
	const struct vd_plan *pl;
	const struct vd_completion *comp;
	const struct vd_changes *ch;   /* the re-plan's, for the workbook; else NULL */
	const char *dir;               /* the output folder being written */
	FILE *also;                    /* the report here too (-v), or NULL */
	long long stamp;
	const char *prev_dir;          /* --previous, or NULL */
	vd_date freeze;
	struct vd_strv *changed;       /* a re-plan's calendars that change; else NULL */
};

static int job_tables(void *arg, struct vd_diag *dg)
{
	const struct writers *w = arg;
	int bad = vd_write_tables(w->p, w->pl, w->dir, dg) != 0;
	bad = bad || vd_write_completion_csv(w->p, w->pl, w->comp, w->dir, dg) != 0;
	bad = bad || vd_write_report(w->p, w->pl, w->comp, w->dir, w->also, dg) != 0;
	bad = bad || vd_state_write(w->p, w->pl, w->dir, dg) != 0;
	return bad ? -1 : 0;
}

static int job_workbook(void *arg, struct vd_diag *dg)
{
	const struct writers *w = arg;
	return vd_write_xlsx(w->p, w->pl, w->comp, w->ch, w->dir, dg) != 0 ? -1 : 0;
}

static int job_pages(void *arg, struct vd_diag *dg)
{
	const struct writers *w = arg;
	return vd_write_print(w->p, w->pl, w->dir, dg) != 0 ||
	       vd_write_certificates(w->p, w->pl, w->comp, w->dir, dg) != 0 ? -1 : 0;
}

static int job_calendars(void *arg, struct vd_diag *dg)
{
	const struct writers *w = arg;
	return vd_ics_write_all(w->p, w->pl, w->dir, w->stamp, w->prev_dir, w->freeze, w->changed,
	                        dg) != 0 ? -1 : 0;
}

/* Runs jobs in the pages' language (pages_language): the workbook, the
 * pages and the certificates take their texts from vd_page_text, and the
 * calendars, which have none of gettext's, may run beside them.
 * 0, or -1 after vd_error. */
static int in_pages_language(const struct vd_program *p, struct vd_job *jobs, size_t n,
                             unsigned threads, struct vd_diag *dg)
{
	struct lang_switch ls;
	output_language_begin(p, pages_language(p), LANG_PAGES, &ls, dg);
#if ENABLE_NLS
	/* without the catalogue the Chinese pages come out in English: say so */
	for (size_t i = 0; i < n; i++)
		if (jobs[i].run == job_pages && pages_language(p) == VD_LANG_ZH &&
		    !strcmp(vd_print_lang(), "en"))
			vd_warning(dg, NULL, 0, _("the message catalogue is missing from %s: the printable pages and the workbook are in English, not Chinese (reinstall vdsched, or set VDSCHED_LOCALEDIR)"),
			           bindtextdomain(PACKAGE, NULL));
#endif
	int rc = vd_jobs_run(jobs, n, threads, dg);
	output_language_end(&ls);
	return rc;
}

/* --jobs: the outputs written at once; by default one per processor, up
 * to the three that run side by side.  -1 after vd_error. */
static int plan_threads(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	unsigned cpus = vd_jobs_cpus();
	return vd_cmd_count("--jobs", o->jobs, cpus < 3 ? (int)cpus : 3, 1, 64, dg);
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
	if (vd_cmd_freeze(o, p, &freeze, dg) || (o->previous && vd_state_read(o->previous, &pv, dg)) ||
	    vd_attendance_read(p, &att, dg) ||
	    (o->previous && vd_attendance_match(p, &pv, freeze, &att, dg))) {
		vd_attendance_free(&att);
		vd_prev_free(&pv);
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg->errors);
		return VD_EXIT_INPUT;
	}
	if (att.n && !o->previous)
		vd_warning(dg, p->path, 0, _("the %zu attendance records are read only by a re-plan (plan --previous DIR --freeze-before DATE); this plan starts afresh without them"),
		           att.n);
	if (o->previous) {
		prev = &pv;
		if (pv.program && strcmp(pv.program, p->id))
			vd_warning(dg, NULL, 0, _("the previous plan in %s is of program '%s', this one is '%s'; calendar UIDs will differ"),
			           o->previous, pv.program, p->id);
	}
	unsigned threads = (unsigned)plan_threads(o, dg);
	struct vd_plan pl;
	unsigned char *makeup = prev ? vd_completion_missed(p, prev, &att, freeze) : NULL;
	struct vd_plan_opts po = { .verbose = o->verbose, .progress = isatty(2), .prev = prev, .freeze = freeze,
	                           .makeup = makeup };
	struct vd_outdir od;
	const char *out = o->output ? o->output : p->output_dir ? p->output_dir : "out";
	long long stamp = vd_cmd_dtstamp(dg);
	struct vd_changes ch;
	memset(&ch, 0, sizeof ch);

	if (vd_outdir_begin(&od, out, dg)) {
		vd_outdir_free(&od);
		free(makeup);
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
	if (prev) {
		vd_completion_note_missed(p, &pl, prev, makeup);
		vd_changes_compute(p, &pl, prev, freeze, &ch);
	}
	struct vd_completion comp;
	vd_completion_compute(p, &pl, &att, freeze, &comp);
	/* the report's language around every writer, the pages' around the
	 * workbook and the pages (write_pages); the writers keep their order:
	 * past `ulimit -f` the workbook is the first file cut short
	 * (tests/xlsx.sh) */
	struct vd_strv changed = { 0 };
	struct writers w = {
		.p = p, .pl = &pl, .comp = &comp, .dir = od.tmp, .also = o->verbose ? stdout : NULL,
		.stamp = stamp, .prev_dir = prev ? prev->dir : NULL, .freeze = freeze,
		.changed = prev ? &changed : NULL,
	};
	/* The report's language around every writer, the pages' around the
	 * workbook, the pages and the calendars (in_pages_language): the
	 * tables and the report first, alone, for $LANGUAGE may be the pages'
	 * while those run.  A re-plan's workbook comes last: its 变动 sheet
	 * needs the changes the calendars add. */
	enum { J_TABLES, J_WORKBOOK, J_PAGES, J_CALENDARS };
	struct vd_job jobs[] = {
		[J_TABLES] = { job_tables, &w, 0 }, [J_WORKBOOK] = { job_workbook, &w, 0 },
		[J_PAGES] = { job_pages, &w, 0 }, [J_CALENDARS] = { job_calendars, &w, 0 },
	};
	struct lang_switch ls;
	output_language_begin(p, p->language, LANG_THREAD, &ls, dg);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int bad = vd_jobs_run(&jobs[J_TABLES], 1, 1, dg) != 0;
	if (!prev)
		bad = bad || in_pages_language(p, &jobs[J_WORKBOOK], 3, threads, dg) != 0;
	else
		bad = bad || in_pages_language(p, &jobs[J_PAGES], 2, threads, dg) != 0;
	/* a calendar can change with no pair changing (a new instructor, a
	 * new contact): those doctors are listed too */
	if (prev)
		vd_changes_add_calendars(p, &ch, &changed);
	vd_strv_free(&changed);
	bad = bad || (prev && append_replan_report(od.tmp, &ch, w.also, dg) != 0);
	bad = bad || (prev && vd_changes_write(p, &ch, od.tmp, dg) != 0);
	w.ch = &ch;
	bad = bad || (prev && in_pages_language(p, &jobs[J_WORKBOOK], 1, 1, dg) != 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o->verbose)
		fprintf(stderr, _("vdsched: wrote the outputs in %.2f s (%u at once); CPU: tables and report %.2f s, workbook %.2f s, pages %.2f s, calendars %.2f s\n"),
		        (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, threads,
		        jobs[J_TABLES].cpu, jobs[J_WORKBOOK].cpu, jobs[J_PAGES].cpu, jobs[J_CALENDARS].cpu);
	output_language_end(&ls);
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
	free(makeup);
	vd_attendance_free(&att);
	if (prev)
		vd_prev_free(prev);
	return rc;
}

int vd_cmd_plan(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	if (plan_threads(o, dg) < 0)
		return VD_EXIT_USAGE;
	return vd_cmd_on_program(o, plan_and_write, dg);
}

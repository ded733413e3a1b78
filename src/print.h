/* print.h -- printable pages (HTML, A4) in OUTDIR/print/, in the
 * language of the messages (cmd-plan.c switches it: Chinese unless
 * [output] language = en).
 *
 * print/index.html links every page and says briefly how to subscribe;
 * print/overview.html charts the plan (overview.h);
 * print/cohort-ID.html is a cohort's notice: its courses in time order
 * with each run's timetable, site, address, map position, what to bring,
 * instructor and contact, and every member with a QR code of the address
 * of that doctor's calendar (url.h); print/site-ID.html lists a site's
 * runs in date order; print/signin-COHORT-COURSE.html are the sign-in
 * sheets (signin.h).  The same inputs give byte-identical pages. */
#ifndef VD_PRINT_H
#define VD_PRINT_H
#include <stdio.h>
#include "diag.h"
#include "model.h"
#include "url.h"

/* Writes OUTDIR/print/, and the attendance template beside it
 * (vd_write_signin).  Returns 0, or -1 after reporting. */
int vd_write_print(const struct vd_program *p, const struct vd_plan *pl, const char *outdir,
                   struct vd_diag *dg);

/* The runs in the order index.html and the cohort pages list them: by
 * cohort id, then first day, then index.  malloc'd, pl->nruns long. */
size_t *vd_print_runs(const struct vd_plan *pl);

/* Begins a page of print/: the shared CSS, then extra_css (or NULL), and
 * the program's name as its <h1>. */
void vd_print_head(FILE *f, const struct vd_program *p, const char *title, const char *extra_css);
/* Ends a page vd_print_head began. */
void vd_print_foot(FILE *f);
/* The pages' texts: in the files that write them, _() is vd_page_text,
 * the message in the pages' language, and a diagnostic's message is
 * gettext()'s, in the language of the thread (the administrator's). */
#include <locale.h>
#include "i18n.h"
#if !ENABLE_NLS
#define gettext(s) (s)
#endif
/* Sets the locale whose messages vd_page_text gives (cmd-plan.c), for
 * this thread; (locale_t)0: the thread's own. */
void vd_page_locale_set(locale_t loc);
/* What vd_page_locale_set set in this thread (jobs.c hands it on). */
locale_t vd_page_locale_get(void);
/* msgid in the pages' language. */
const char *vd_page_text(const char *msgid) __attribute__((format_arg(1)));

/* How a header cell aligns: text left, numbers right. */
enum th_align { TH_TEXT, TH_NUM };

/* The pages' language tag for <html lang=...>: "zh-CN" in Chinese. */
const char *vd_print_lang(void);
/* The day of the week of t, short: "周一", "Mon". */
const char *vd_print_weekday(vd_date t);
/* Writes a header cell <th>text</th> (escaped), aligned as asked. */
void vd_print_th(FILE *f, const char *text, enum th_align align);
/* A column's header: label, a message id (N_), and its alignment. */
struct vd_th {
	const char *label;
	enum th_align align;
};
/* Writes the n header cells of th, their labels translated. */
void vd_print_ths(FILE *f, const struct vd_th *th, size_t n);
/* Writes t as "2026-04-27（周一）". */
void vd_print_date(FILE *f, vd_date t);
/* Writes a run's first and last day and its number of days. */
void vd_print_run_dates(FILE *f, const struct vd_program *p, const struct vd_run *run);
/* The run's course title (its id when it has none). */
const char *vd_print_course_title(const struct vd_program *p, const struct vd_run *run);

/* Writes s to f as vd_html_escape makes it. */
void vd_html_put(FILE *f, const char *s);

/* s with & < > " ' as character references and control characters other
 * than tab and newline dropped (HTML allows none).  malloc'd. */
char *vd_html_escape(const char *s);

#endif

/* signin.c -- see signin.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvwrite.h"
#include "fsutil.h"
#include "i18n.h"
#include "output.h"
#include "print.h"
#include "signin.h"
#include "xalloc.h"
/* the pages' texts in the pages' language (print.h) */
#undef _
#define _(s) vd_page_text(s)

#define NOON (12 * 60)
/* Session columns a sheet holds: up to PORTRAIT_COLS on A4 portrait, more
 * on A4 landscape, and past LANDSCAPE_COLS in tables of at most that many,
 * each on pages of its own, so that a box stays wide enough to sign in
 * (about 14.5 mm either way). */
#define PORTRAIT_COLS 6
#define LANDSCAPE_COLS 12

static const char *name_or_id(const char *name, const char *id)
{
	return name && *name ? name : id;
}

const char *vd_signin_half(const struct vds_session *se)
{
	return se->start < NOON ? _("morning") : _("afternoon");
}

char *vd_signin_page(const struct vd_program *p, const struct vd_run *run)
{
	return xasprintf("signin-%s-%s.html", run->cohort, vd_course_id(p, run->course));
}

/* doctors by township, clinic, name and id: how the office finds a name */
static int cmp_member(const void *a, const void *b, void *arg)
{
	const struct vd_program *p = arg;
	const struct vd_doctor *x = &p->doctors[*(const size_t *)a], *y = &p->doctors[*(const size_t *)b];
	const struct vd_clinic *cx = &p->clinics[x->clinic], *cy = &p->clinics[y->clinic];
	const struct vd_township *tx = &p->townships[cx->township], *ty = &p->townships[cy->township];
	int c = strcmp(name_or_id(tx->name, tx->id), name_or_id(ty->name, ty->id));
	if (!c)
		c = strcmp(tx->id, ty->id);
	if (!c)
		c = strcmp(name_or_id(cx->name, cx->id), name_or_id(cy->name, cy->id));
	if (!c)
		c = strcmp(cx->id, cy->id);
	if (!c)
		c = strcmp(name_or_id(x->name, x->id), name_or_id(y->name, y->id));
	return c ? c : strcmp(x->id, y->id);
}

size_t vd_signin_rows(const struct vd_program *p, const struct vd_plan *pl)
{
	size_t n = 0;
	for (size_t i = 0; i < pl->nruns; i++)
		n += pl->runs[i].nmembers * p->courses[pl->runs[i].course].def->nsessions;
	return n;
}

size_t *vd_signin_members(const struct vd_program *p, const struct vd_run *run)
{
	size_t *m = xmalloc((run->nmembers + 1) * sizeof *m);
	memcpy(m, run->members, run->nmembers * sizeof *m);
	qsort_r(m, run->nmembers, sizeof *m, cmp_member, (void *)p);
	return m;
}

/* ---- the sheet ---- */

/* after print.c's shared CSS; the widths of the fixed columns add up to
 * 100 mm (an 11-digit phone number on one line), leaving 86 mm of a
 * portrait page for up to 6 boxes */
static const char sheet_css[] =
	"h2.signin { font-size: 15pt; text-align: center; border: 0; margin: 2mm 0 }\n"
	"table.signin { table-layout: fixed }\n"
	"table.signin th, table.signin td { white-space: normal; overflow-wrap: anywhere; "
	"word-break: break-all; padding: 0.6mm 1mm }\n"
	"table.signin th.s { text-align: center; font-size: 8.5pt; line-height: 1.25 }\n"
	"table.signin tbody td { height: 9mm; vertical-align: middle }\n"
	"table.signin col.no { width: 10mm } table.signin col.name { width: 20mm }\n"
	"table.signin col.clinic { width: 27mm } table.signin col.town { width: 16mm }\n"
	"table.signin col.phone { width: 27mm }\n"
	"table.signin td.no { text-align: right }\n"
	"h3.part { break-before: page; page-break-before: always }\n"
	".sign { margin: 8mm 0 0; break-inside: avoid; page-break-inside: avoid }\n"
	".sign span { display: inline-block; width: 60mm; border-bottom: 0.3mm solid #000; "
	"margin: 0 10mm 0 1mm }\n";

static const char landscape_css[] =
	"@page { size: A4 landscape; margin: 12mm }\n"
	"body { max-width: 273mm }\n";

/* Three rows of two pairs: a landscape page keeps its height for names. */
static void sheet_info(FILE *f, const struct vd_program *p, const struct vd_run *run)
{
	const struct vd_site *site = &p->sites[run->site];
	const struct vd_instructor *in =
		run->instructor == VD_NONE ? NULL : &p->instructors[run->instructor];
	fputs("<h2 class=\"signin\">", f);
	vd_html_put(f, _("Sign-in sheet"));
	fputs("</h2>\n<table class=\"info\">\n<tr>", f);
	vd_print_th(f, _("Course"), TH_TEXT);
	fputs("<td>", f);
	vd_html_put(f, vd_print_course_title(p, run));
	fputs("</td>", f);
	vd_print_th(f, _("Cohort"), TH_TEXT);
	fputs("<td>", f);
	vd_html_put(f, run->cohort);
	fputs("</td></tr>\n<tr>", f);
	vd_print_th(f, _("Site"), TH_TEXT);
	fputs("<td>", f);
	vd_html_put(f, name_or_id(site->name, site->id));
	if (site->address && *site->address) {
		fputs(_(" ("), f);
		vd_html_put(f, site->address);
		fputs(_(")"), f);
	}
	fputs("</td>", f);
	vd_print_th(f, _("Trainees"), TH_TEXT);
	fprintf(f, "<td>%zu</td></tr>\n<tr>", run->nmembers);
	vd_print_th(f, _("Date"), TH_TEXT);
	fputs("<td>", f);
	vd_print_run_dates(f, p, run);
	fputs("</td>", f);
	vd_print_th(f, _("Instructor"), TH_TEXT);
	fputs("<td>", f);
	vd_html_put(f, in ? name_or_id(in->name, in->id) : "—");
	fprintf(f, "</td></tr>\n</table>\n<p class=\"small\">%s</p>\n",
	        _("Every trainee signs for every session in person; leave the box of one who is "
	          "absent empty."));
}

/* One table of the members and sessions [s0, s1): its header repeats on
 * every page (thead), a row never splits (tr: break-inside avoid). */
static void sheet_table(FILE *f, const struct vd_program *p, const struct vd_run *run,
                        const size_t *members, size_t s0, size_t s1)
{
	const struct vds_course *def = p->courses[run->course].def;
	fputs("<table class=\"signin\">\n<colgroup><col class=\"no\"><col class=\"name\">"
	      "<col class=\"clinic\"><col class=\"town\"><col class=\"phone\">", f);
	for (size_t s = s0; s < s1; s++)
		fputs("<col>", f);
	static const struct vd_th head[] = { { N_("No."), TH_TEXT }, { N_("Name"), TH_TEXT },
		{ N_("Village clinic"), TH_TEXT }, { N_("Township"), TH_TEXT }, { N_("Phone"), TH_TEXT } };
	fputs("</colgroup>\n<thead><tr>", f);
	vd_print_ths(f, head, sizeof head / sizeof *head);
	for (size_t s = s0; s < s1; s++) {
		const struct vds_session *se = &def->sessions[s];
		vd_date t = run->dates[se->day];
		char iso[11];
		int y, mo, d;
		vd_date_to_ymd(t, &y, &mo, &d);
		fprintf(f, "<th class=\"s\" data-date=\"%s\" data-start=\"%02u:%02u\">%02d-%02d<br>%s<br>%s"
		        "<br>%02u:%02u</th>", vd_date_format(t, iso), (se->start / 60) % 100, se->start % 60,
		        mo, d, vd_print_weekday(t), vd_signin_half(se), (se->start / 60) % 100,
		        se->start % 60);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t m = 0; m < run->nmembers; m++) {
		const struct vd_doctor *d = &p->doctors[members[m]];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		const struct vd_township *tw = &p->townships[cl->township];
		fputs("<tr data-doctor=\"", f);
		vd_html_put(f, d->id);
		fprintf(f, "\"><td class=\"no\">%zu</td><td>", m + 1);
		vd_html_put(f, name_or_id(d->name, d->id));
		fputs("</td><td>", f);
		vd_html_put(f, name_or_id(cl->name, cl->id));
		fputs("</td><td>", f);
		vd_html_put(f, name_or_id(tw->name, tw->id));
		fputs("</td><td>", f);
		vd_html_put(f, d->phone);
		fputs("</td>", f);
		for (size_t s = s0; s < s1; s++)
			fputs("<td></td>", f);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

static int sheet_page(const struct vd_program *p, const struct vd_run *run, const char *dir,
                      struct vd_diag *dg)
{
	const struct vds_course *def = p->courses[run->course].def;
	size_t ns = def->nsessions;
	struct vd_outfile pg;
	char *name = vd_signin_page(p, run);
	int rc = vd_outfile_open(&pg, dg, dir, name, VD_OUT_NEW);
	free(name);
	if (rc)
		return -1;
	FILE *f = pg.f;
	char *title = xasprintf(_("Sign-in sheet %s %s"), run->cohort, vd_print_course_title(p, run));
	char *css = xasprintf("%s%s", sheet_css, ns > PORTRAIT_COLS ? landscape_css : "");
	vd_print_head(f, p, title, css);
	free(css);
	free(title);
	sheet_info(f, p, run);
	size_t *members = vd_signin_members(p, run);
	/* past LANDSCAPE_COLS: parts of equal size, none over it */
	size_t parts = ns ? (ns + LANDSCAPE_COLS - 1) / LANDSCAPE_COLS : 1;
	size_t per = ns ? (ns + parts - 1) / parts : 0;
	for (size_t k = 0; k < parts; k++) {
		size_t s0 = k * per, s1 = s0 + per < ns ? s0 + per : ns;
		if (parts > 1) {
			/* a part on pages of its own says whose sheet it is */
			fprintf(f, "<h3%s>", k ? " class=\"part\"" : "");
			vd_html_put(f, run->cohort);
			fputs(" ", f);
			vd_html_put(f, vd_print_course_title(p, run));
			fputs(" · ", f);
			fprintf(f, _("sessions %zu–%zu (of %zu)"), s0 + 1, s1, ns);
			fputs("</h3>\n", f);
		}
		sheet_table(f, p, run, members, s0, s1);
	}
	free(members);
	fputs("<p class=\"sign\">", f);
	vd_html_put(f, _("Instructor's signature: "));
	fputs("<span></span>", f);
	vd_html_put(f, _("Date: "));
	fputs("<span></span></p>\n", f);
	vd_print_foot(f);
	return vd_outfile_close(&pg, dg);
}

/* ---- the template ---- */

static void template_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	fputs(VD_CSV_BOM VD_SIGNIN_CSV_HEADER "\r\n", f);
	size_t *order = vd_print_runs(pl);
	for (size_t i = 0; i < pl->nruns; i++) {
		const struct vd_run *run = &pl->runs[order[i]];
		const struct vds_course *def = p->courses[run->course].def;
		size_t *members = vd_signin_members(p, run);
		for (size_t m = 0; m < run->nmembers; m++) {
			const struct vd_doctor *d = &p->doctors[members[m]];
			for (size_t s = 0; s < def->nsessions; s++) {
				const struct vds_session *se = &def->sessions[s];
				char date[11], start[6];
				snprintf(start, sizeof start, "%02u:%02u", (se->start / 60) % 100, se->start % 60);
				vd_csv_field(f, d->id, VD_CSV_PLAIN);
				vd_csv_field(f, d->name, VD_CSV_TEXT);
				vd_csv_field(f, p->clinics[d->clinic].id, VD_CSV_PLAIN);
				vd_csv_field(f, run->cohort, VD_CSV_PLAIN);
				vd_csv_field(f, def->id, VD_CSV_PLAIN);
				vd_csv_field(f, vd_date_format(run->dates[se->day], date), VD_CSV_PLAIN);
				vd_csv_field(f, start, VD_CSV_PLAIN);
				vd_csv_field(f, vd_signin_half(se), VD_CSV_PLAIN);
				vd_csv_last(f, "", VD_CSV_PLAIN);
			}
		}
		free(members);
	}
	free(order);
}

int vd_write_signin(const struct vd_program *p, const struct vd_plan *pl, const char *outdir,
                    struct vd_diag *dg)
{
	char *dir = xasprintf("%s/print", outdir);
	int rc = 0;
	for (size_t r = 0; r < pl->nruns && !rc; r++)
		rc = sheet_page(p, &pl->runs[r], dir, dg);
	free(dir);
	static const struct vd_plan_file tpl = { "attendance-template.csv", template_table };
	return rc ? rc : vd_write_plan_files(&tpl, 1, p, pl, outdir, dg);
}

/* print.c -- see print.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsutil.h"
#include "i18n.h"
#include "overview.h"
#include "print.h"
#include "qr.h"
#include "signin.h"
#include "xalloc.h"
/* the pages' texts in the pages' language (print.h) */
#undef _
#define _(s) vd_page_text(s)

/* Each module 1.016 mm, 6 dots at 150 dpi (8 at 200, 12 at 300): a whole
 * number of a scanner's dots, so every module edge falls alike.  zbar
 * read all 194 codes of tests/print.sh's pages at 150 dpi so; with codes
 * of a fixed 30 mm or 36 mm (modules of 5.2 to 7.6 dots) it missed one in
 * about 100.  An https address's code is 42 mm with its quiet zone. */
#define QR_MODULE_MM 1.016

static const char *const weekdays[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"),
	N_("Sat"), N_("Sun") };

static int nonempty(const char *s)
{
	return s && *s;
}

static void esc(FILE *f, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		switch (*c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((*c >= 0x20 && *c != 0x7f) || *c == '\t' || *c == '\n')
				putc(*c, f);
		}
	}
}

void vd_html_put(FILE *f, const char *s)
{
	esc(f, s);
}

char *vd_html_escape(const char *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f) {
		fputs("vdsched: out of memory\n", stderr);
		exit(1);
	}
	esc(f, s);
	fclose(f);
	return buf;
}

/* ---- pages ---- */

static const char css[] =
	"@page { size: A4; margin: 12mm }\n"
	"html { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", "
	"\"Microsoft YaHei\", \"PingFang SC\", \"Droid Sans Fallback\", sans-serif; "
	"font-size: 10.5pt; line-height: 1.45; color: #000; background: #fff }\n"
	"body { margin: 0 auto; max-width: 186mm }\n"
	"@media screen { body { padding: 12mm 0 } }\n"
	"h1 { font-size: 16pt; margin: 0 0 1mm }\n"
	"h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 0.4mm solid #000; "
	"break-after: avoid; page-break-after: avoid }\n"
	"h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; page-break-after: avoid }\n"
	".sub { font-size: 12pt; margin: 0 0 3mm }\n"
	"table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm }\n"
	"th, td { border: 0.25mm solid #777; padding: 0.8mm 2mm; text-align: left; vertical-align: top }\n"
	"th { background: #eee; white-space: nowrap }\n"
	"thead { display: table-header-group }\n"
	"tr, .info, .howto, .note { break-inside: avoid; page-break-inside: avoid }\n"
	"table.info th { width: 22mm; white-space: nowrap }\n"
	"table.timetable td:first-child { width: 38mm; white-space: nowrap }\n"
	"table.timetable td:nth-child(2) { width: 26mm; white-space: nowrap }\n"
	".num { text-align: right }\n"
	".small { font-size: 8.5pt; color: #333 }\n"
	".note { border: 0.4mm solid #000; padding: 2mm 3mm; margin: 3mm 0 }\n"
	/* inline-block cards: a line box never splits across pages, so a
	 * member's card (QR code and name) always stays whole */
	".members { font-size: 0; margin: 2mm 0 }\n"
	".member { display: inline-block; box-sizing: border-box; width: 62mm; "
	"padding: 2mm 1.5mm 3mm; vertical-align: top; text-align: center; font-size: 9pt; "
	"border: 0.2mm dashed #999; break-inside: avoid; page-break-inside: avoid }\n"
	".member svg { display: block; margin: 0 auto 1mm }\n"
	".member .name { font-size: 12pt; font-weight: bold }\n"
	"ol.roster { columns: 3; column-gap: 4mm; margin: 1mm 0 3mm; padding-left: 7mm }\n"
	"ol.roster li { break-inside: avoid; page-break-inside: avoid }\n"
	"h2.cards { break-before: page; page-break-before: always }\n"
	".nowrap, td.date { white-space: nowrap }\n"
	".url { font-size: 7pt; word-break: break-all; font-family: monospace }\n"
	"a { color: inherit }\n";

/* The pages' locale while cmd-plan.c writes them: per thread, so that the
 * diagnostics of the writers (a full disk, say) stay in the thread's
 * language while the pages take theirs; the one state print.c keeps. */
static _Thread_local locale_t page_locale;

void vd_page_locale_set(locale_t loc)
{
	page_locale = loc;
}

locale_t vd_page_locale_get(void)
{
	return page_locale;
}

const char *vd_page_text(const char *msgid)
{
#if ENABLE_NLS
	if (page_locale) {
		locale_t old = uselocale(page_locale);
		const char *text = gettext(msgid);
		uselocale(old);
		return text;
	}
	return gettext(msgid);
#else
	return msgid;
#endif
}

const char *vd_print_lang(void)
{
	/* TRANSLATORS: the language tag of the pages' <html lang=...> (BCP 47) */
	return _("en");
}

const char *vd_print_weekday(vd_date t)
{
	return _(weekdays[vd_weekday(t)]);
}

void vd_print_th(FILE *f, const char *text, enum th_align align)
{
	fputs(align == TH_NUM ? "<th class=\"num\">" : "<th>", f);
	esc(f, text);
	fputs("</th>", f);
}

void vd_print_ths(FILE *f, const struct vd_th *th, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vd_print_th(f, _(th[i].label), th[i].align);
}

void vd_print_head(FILE *f, const struct vd_program *p, const char *title, const char *extra_css)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	        vd_print_lang());
	esc(f, title);
	if (nonempty(p->name)) {
		fputs(" — ", f);
		esc(f, p->name);
	}
	fprintf(f, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<h1>", css,
	        extra_css ? extra_css : "");
	esc(f, nonempty(p->name) ? p->name : p->id ? p->id : "vdsched");
	fputs("</h1>\n", f);
}

void vd_print_foot(FILE *f)
{
	fputs("</body>\n</html>\n", f);
}

void vd_print_date(FILE *f, vd_date t)
{
	char a[11];
	/* TRANSLATORS: a date and its day of the week */
	fprintf(f, _("%s (%s)"), vd_date_format(t, a), vd_print_weekday(t));
}

static void put_hm(FILE *f, unsigned m)
{
	fprintf(f, "%02u:%02u", (m / 60) % 100, m % 60);
}

static const char *site_name(const struct vd_site *s)
{
	return nonempty(s->name) ? s->name : s->id;
}

static const char *instructor_name(const struct vd_program *p, const struct vd_run *run)
{
	if (run->instructor == VD_NONE)
		return NULL;
	const struct vd_instructor *in = &p->instructors[run->instructor];
	return nonempty(in->name) ? in->name : in->id;
}

const char *vd_print_course_title(const struct vd_program *p, const struct vd_run *run)
{
	const struct vd_course *c = &p->courses[run->course];
	return nonempty(c->def->title) ? c->def->title : c->def->id ? c->def->id : c->name;
}

static int has_position(const struct vd_site *s)
{
	return (s->lat != 0 || s->lon != 0) && s->lat >= -90 && s->lat <= 90 &&
	       s->lon >= -180 && s->lon <= 180;
}

static void row(FILE *f, const char *th, const char *td)
{
	fputs("<tr><th>", f);
	esc(f, th);
	fputs("</th><td>", f);
	esc(f, td);
	fputs("</td></tr>\n", f);
}

static void contact_rows(FILE *f, const struct vd_program *p)
{
	if (nonempty(p->organizer))
		row(f, _("Organizer"), p->organizer);
	if (nonempty(p->contact))
		row(f, _("Contact"), p->contact);
}

static void coordinates_row(FILE *f, const struct vd_site *site)
{
	if (!has_position(site))
		return;
	fputs("<tr><th>", f);
	esc(f, _("Coordinates"));
	fputs("</th><td>", f);
	fprintf(f, _("%.5f, %.5f (latitude, longitude)"), site->lat, site->lon);
	fputs("</td></tr>\n", f);
}

static void howto(FILE *f, const struct vd_program *p)
{
	fprintf(f, "<div class=\"howto\">\n<h2>%s</h2>\n<p>%s</p>\n<ul>\n<li><b>%s</b>%s</li>\n"
	        "<li><b>%s</b>%s</li>\n</ul>\n</div>\n",
	        _("Put the training calendar on your phone"),
	        _("Scan the QR code beside your name with the phone's camera, or type in the address "
	          "under the code, to subscribe to your own training calendar; it updates itself "
	          "whenever the training is re-planned."),
	        _("iPhone: "),
	        _("Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar, "
	          "and paste the address."),
	        _("Android: "),
	        _("install ICSx⁵ (F-Droid or Google Play), tap “+” and paste or scan the address; "
	          "the system calendar of some Huawei, Xiaomi, OPPO and vivo phones can also "
	          "“subscribe to a calendar”."));
	if (!nonempty(p->base_url))
		fprintf(f, "<p class=\"note\">%s</p>\n",
		        _("Note: [output] base_url is not set, so the QR codes hold only a relative path "
		          "(ics/doctors/ID.ics), which no phone can subscribe to.  Write the address the "
		          "folder is published at in [output] of vdsched.ini, for example "
		          "base_url = https://example.org/peixun/, and plan again (see vdsched.ini(5))."));
}

/* ---- output files ---- */

/* ---- cohorts ---- */

struct cohort {
	const char *id;
	size_t *runs, nruns;       /* in date order */
	size_t *members, nmembers; /* doctor indexes, ascending, no repeats */
};

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* runs by cohort id, then first date, then index */
static int cmp_run(const void *a, const void *b, void *arg)
{
	const struct vd_plan *pl = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct vd_run *rx = &pl->runs[x], *ry = &pl->runs[y];
	int c = strcmp(rx->cohort, ry->cohort);
	if (c)
		return c;
	if (rx->dates[0] != ry->dates[0])
		return rx->dates[0] < ry->dates[0] ? -1 : 1;
	return (x > y) - (x < y);
}

size_t *vd_print_runs(const struct vd_plan *pl)
{
	size_t *o = xmalloc((pl->nruns + 1) * sizeof *o);
	for (size_t r = 0; r < pl->nruns; r++)
		o[r] = r;
	qsort_r(o, pl->nruns, sizeof *o, cmp_run, (void *)pl);
	return o;
}

/* runs by first date, then cohort, then index */
static int cmp_run_date(const void *a, const void *b, void *arg)
{
	const struct vd_plan *pl = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct vd_run *rx = &pl->runs[x], *ry = &pl->runs[y];
	if (rx->dates[0] != ry->dates[0])
		return rx->dates[0] < ry->dates[0] ? -1 : 1;
	int c = strcmp(rx->cohort, ry->cohort);
	return c ? c : (x > y) - (x < y);
}

/* Groups the runs into cohorts; *ncoh set.  The cohorts' runs arrays
 * point into *order (owned by the caller). */
static struct cohort *cohorts_build(const struct vd_plan *pl, size_t **order, size_t *ncoh)
{
	size_t *o = vd_print_runs(pl);
	struct cohort *co = xcalloc(pl->nruns + 1, sizeof *co);
	size_t n = 0;
	for (size_t i = 0; i < pl->nruns;) {
		size_t j = i, nm = 0;
		while (j < pl->nruns && !strcmp(pl->runs[o[j]].cohort, pl->runs[o[i]].cohort))
			nm += pl->runs[o[j++]].nmembers;
		struct cohort *c = &co[n++];
		c->id = pl->runs[o[i]].cohort;
		c->runs = o + i;
		c->nruns = j - i;
		c->members = xmalloc((nm + 1) * sizeof *c->members);
		for (size_t k = i; k < j; k++) {
			const struct vd_run *run = &pl->runs[o[k]];
			memcpy(c->members + c->nmembers, run->members, run->nmembers * sizeof *run->members);
			c->nmembers += run->nmembers;
		}
		qsort(c->members, c->nmembers, sizeof *c->members, cmp_size);
		size_t u = 0;
		for (size_t k = 0; k < c->nmembers; k++)
			if (!u || c->members[u - 1] != c->members[k])
				c->members[u++] = c->members[k];
		c->nmembers = u;
		i = j;
	}
	*order = o;
	*ncoh = n;
	return co;
}

void vd_print_run_dates(FILE *f, const struct vd_program *p, const struct vd_run *run)
{
	unsigned days = p->courses[run->course].def->days;
	vd_print_date(f, run->dates[0]);
	if (days > 1) {
		fputs(_(" to "), f);
		vd_print_date(f, run->dates[days - 1]);
	}
	fprintf(f, _(", %u days"), days);
}

static const char *doctor_name(const struct vd_doctor *d)
{
	return nonempty(d->name) ? d->name : d->id;
}

/* Who attends this run, and only them: a cohort's members need not all
 * take each of its courses. */
static void run_roster(FILE *f, const struct vd_program *p, const struct vd_run *run)
{
	fputs("<h3>", f);
	fprintf(f, _("Trainees of this course (%zu)"), run->nmembers);
	fputs("</h3>\n<ol class=\"roster\" data-course=\"", f);
	esc(f, p->courses[run->course].def->id);
	fputs("\">", f);
	for (size_t m = 0; m < run->nmembers; m++) {
		const struct vd_doctor *d = &p->doctors[run->members[m]];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		fputs("<li data-doctor=\"", f);
		esc(f, d->id);
		fputs("\"><b>", f);
		esc(f, doctor_name(d));
		fputs("</b> <span class=\"small\">", f);
		esc(f, d->id);
		fputs(" · ", f);
		esc(f, nonempty(cl->name) ? cl->name : cl->id);
		fputs("</span></li>", f);
	}
	fputs("</ol>\n", f);
}

static int run_has(const struct vd_run *run, size_t doctor)
{
	return bsearch(&doctor, run->members, run->nmembers, sizeof *run->members, cmp_size) != NULL;
}

static void cohort_run(FILE *f, const struct vd_program *p, const struct vd_run *run)
{
	const struct vds_course *def = p->courses[run->course].def;
	const struct vd_site *site = &p->sites[run->site];
	fputs("<h2>", f);
	esc(f, vd_print_course_title(p, run));
	fputs("</h2>\n<table class=\"info\">\n<tr><th>", f);
	esc(f, _("Date"));
	fputs("</th><td>", f);
	vd_print_run_dates(f, p, run);
	fputs("</td></tr>\n", f);
	row(f, _("Place"), site_name(site));
	if (nonempty(site->address))
		row(f, _("Address"), site->address);
	coordinates_row(f, site);
	const char *in = instructor_name(p, run);
	if (in)
		row(f, _("Instructor"), in);
	if (nonempty(def->bring))
		row(f, _("Bring"), def->bring);
	contact_rows(f, p);
	char *signin = vd_signin_page(p, run);
	fputs("<tr><th>", f);
	esc(f, _("Sign-in sheet"));
	fputs("</th><td><a href=\"", f);
	esc(f, signin);
	fputs("\">", f);
	esc(f, _("Print this course's sign-in sheet"));
	fputs("</a></td></tr>\n", f);
	free(signin);
	fputs("</table>\n<table class=\"timetable\">\n<thead><tr>", f);
	vd_print_th(f, _("Date"), TH_TEXT);
	vd_print_th(f, _("Time"), TH_TEXT);
	vd_print_th(f, _("Content"), TH_TEXT);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t s = 0; s < def->nsessions; s++) {
		const struct vds_session *se = &def->sessions[s];
		if (!vd_run_day_held(run, se->day))
			continue;
		fputs("<tr><td>", f);
		vd_print_date(f, run->dates[se->day]);
		fputs("</td><td>", f);
		put_hm(f, se->start);
		fputs("–", f);
		put_hm(f, se->end);
		fputs("</td><td>", f);
		esc(f, se->title);
		/* the module, unless the title already names it */
		if (nonempty(se->module) && (!se->title || !strstr(se->title, se->module))) {
			fputs("<br><span class=\"small\">", f);
			esc(f, se->module);
			fputs("</span>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	run_roster(f, p, run);
}

/* The courses of cohort c that doctor takes, on the doctor's card. */
static void member_courses(FILE *f, const struct vd_program *p, const struct vd_plan *pl,
                           const struct cohort *c, size_t doctor)
{
	fputs("<div>", f);
	esc(f, _("Attends: "));
	const char *sep = "";
	for (size_t k = 0; k < c->nruns; k++) {
		const struct vd_run *run = &pl->runs[c->runs[k]];
		if (!run_has(run, doctor))
			continue;
		fputs(sep, f);
		esc(f, vd_print_course_title(p, run));
		sep = _(", ");
	}
	fputs("</div>", f);
}

static int cohort_page(const struct vd_program *p, const struct vd_plan *pl, const struct cohort *c,
                       struct vd_qr_cache *qrs, const char *dir, struct vd_diag *dg)
{
	struct vd_outfile pg;
	char *name = xasprintf("cohort-%s.html", c->id);
	int rc = vd_outfile_open(&pg, dg, dir, name, VD_OUT_NEW);
	free(name);
	if (rc)
		return -1;
	FILE *f = pg.f;
	char *title = xasprintf(_("Cohort %s"), c->id);
	vd_print_head(f, p, title, NULL);
	free(title);
	fputs("<p class=\"sub\">", f);
	esc(f, _("Cohort"));
	fputs(" <b>", f);
	esc(f, c->id);
	fputs("</b> ", f);
	fprintf(f, _("training notice · %zu courses · %zu trainees"), c->nruns, c->nmembers);
	fputs("</p>\n", f);
	for (size_t k = 0; k < c->nruns; k++)
		cohort_run(f, p, &pl->runs[c->runs[k]]);

	int qr = (p->calendars & VD_CAL_DOCTORS) != 0;
	fputs("<h2 class=\"cards\">", f);
	fprintf(f, qr ? _("Trainees' own calendars (%zu)") : _("Trainees (%zu)"), c->nmembers);
	fputs("</h2>\n", f);
	if (qr) {
		fprintf(f, "<p>%s</p>\n", _("Scan the QR code above your name with your phone to subscribe "
		                             "to your own training calendar (how: see the box below)."));
		howto(f, p);
	}
	fputs("<div class=\"members\">", f);
	for (size_t m = 0; m < c->nmembers && !rc; m++) {
		const struct vd_doctor *d = &p->doctors[c->members[m]];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		const struct vd_township *tw = &p->townships[cl->township];
		char *url = qr ? vd_calendar_url(p, "doctors", d->id) : NULL;
		fputs("<div class=\"member\">", f);
		if (url && vd_qr_svg_cached(f, qrs, c->members[m], url, QR_MODULE_MM) != 0) {
			vd_error(dg, NULL, 0, gettext("cannot make a QR code of '%s': %s"), url, strerror(errno));
			rc = -1;
		}
		fputs("<div class=\"name\">", f);
		esc(f, doctor_name(d));
		fputs("</div>", f);
		if (c->nruns > 1)
			member_courses(f, p, pl, c, c->members[m]);
		fputs("<div>", f);
		esc(f, _("ID"));
		fputs(" ", f);
		esc(f, d->id);
		fputs("</div><div>", f);
		esc(f, nonempty(cl->name) ? cl->name : cl->id);
		fputs("</div><div>", f);
		esc(f, nonempty(tw->name) ? tw->name : tw->id);
		fputs("</div>", f);
		if (url) {
			fputs("<div class=\"url\">", f);
			esc(f, url);
			fputs("</div>", f);
		}
		free(url);
		fputs("</div>", f);
	}
	fputs("</div>\n", f);
	vd_print_foot(f);
	return (vd_outfile_close(&pg, dg) || rc) ? -1 : 0;
}

/* ---- sites ---- */

static int site_page(const struct vd_program *p, const struct vd_plan *pl, size_t s,
                     const size_t *bydate, const char *dir, struct vd_diag *dg)
{
	const struct vd_site *site = &p->sites[s];
	struct vd_outfile pg;
	char *name = xasprintf("site-%s.html", site->id);
	int rc = vd_outfile_open(&pg, dg, dir, name, VD_OUT_NEW);
	free(name);
	if (rc)
		return -1;
	FILE *f = pg.f;
	char *title = xasprintf(_("Site %s"), site_name(site));
	vd_print_head(f, p, title, NULL);
	free(title);
	fputs("<p class=\"sub\">", f);
	esc(f, _("Site"));
	fputs(" <b>", f);
	esc(f, site_name(site));
	fputs("</b> ", f);
	esc(f, _("training schedule"));
	fputs("</p>\n<table class=\"info\">\n", f);
	row(f, _("ID"), site->id);
	if (nonempty(site->address))
		row(f, _("Address"), site->address);
	coordinates_row(f, site);
	fputs("<tr><th>", f);
	esc(f, _("Seats"));
	fprintf(f, "</th><td>%d</td></tr>\n", site->seats);
	contact_rows(f, p);
	fputs("</table>\n", f);
	size_t n = 0;
	int teachers = 0;   /* a column of dashes says nothing: only when some run has one */
	for (size_t i = 0; i < pl->nruns; i++)
		if (pl->runs[i].site == s) {
			n++;
			teachers |= pl->runs[i].instructor != VD_NONE;
		}
	fputs("<h2>", f);
	fprintf(f, _("Runs (%zu)"), n);
	fputs("</h2>\n", f);
	if (!n) {
		fprintf(f, "<p>%s</p>\n", _("No training is planned at this site."));
	} else {
		fputs("<table>\n<thead><tr>", f);
		vd_print_th(f, _("Date"), TH_TEXT);
		vd_print_th(f, _("Cohort"), TH_TEXT);
		vd_print_th(f, _("Course"), TH_TEXT);
		if (teachers)
			vd_print_th(f, _("Instructor"), TH_TEXT);
		vd_print_th(f, _("Trainees"), TH_NUM);
		fputs("</tr></thead>\n<tbody>\n", f);
		for (size_t i = 0; i < pl->nruns; i++) {
			const struct vd_run *run = &pl->runs[bydate[i]];
			if (run->site != s)
				continue;
			fputs("<tr><td class=\"date\">", f);
			vd_print_run_dates(f, p, run);
			fputs("</td><td><a href=\"cohort-", f);
			esc(f, run->cohort);
			fputs(".html\">", f);
			esc(f, run->cohort);
			fputs("</a></td><td>", f);
			esc(f, vd_print_course_title(p, run));
			if (teachers) {
				const char *in = instructor_name(p, run);
				fputs("</td><td>", f);
				esc(f, in ? in : "—");
			}
			fprintf(f, "</td><td class=\"num\">%zu</td></tr>\n", run->nmembers);
		}
		fputs("</tbody>\n</table>\n", f);
	}
	vd_print_foot(f);
	return vd_outfile_close(&pg, dg);
}

/* ---- index ---- */

/* Every run's sign-in sheet, in the order of attendance-template.csv. */
static void signin_index(FILE *f, const struct vd_program *p, const struct vd_plan *pl,
                         const struct cohort *co, size_t ncoh)
{
	fputs("<h2>", f);
	fprintf(f, _("Sign-in sheets (%zu)"), pl->nruns);
	/* TRANSLATORS: 签到 is the name of plan.xlsx's sign-in sheet, which
	 * keeps it in every language: [program] attendance reads it by it */
	fprintf(f, "</h2>\n<p>%s</p>\n", vd_signin_rows(p, pl) <= VD_SIGNIN_SHEET_ROWS
	        ? _("One sheet per run, printed on A4; the trainees sign for every session.  After the "
	            "training, copy attendance-template.csv (or the sheet “签到” of plan.xlsx) out of the "
	            "output folder (the next plan replaces the whole folder), fill in its status column "
	            "from the sheets with present, absent or excused, and name that file in "
	            "[program] attendance of vdsched.ini.")
	        /* plan.xlsx has no 签到 sheet for so many rows (xlsx.c) */
	        : _("One sheet per run, printed on A4; the trainees sign for every session.  After the "
	            "training, copy attendance-template.csv out of the output folder (the next plan "
	            "replaces the whole folder; plan.xlsx has no sheet “签到”, for its rows would not "
	            "fit one Excel sheet), fill in its status column from the sheets with present, "
	            "absent or excused, and name that file in [program] attendance of vdsched.ini."));
	static const struct vd_th head[] = { { N_("Cohort"), TH_TEXT }, { N_("Course"), TH_TEXT },
		{ N_("Date"), TH_TEXT }, { N_("Site"), TH_TEXT }, { N_("Trainees"), TH_NUM },
		{ N_("Sessions"), TH_NUM } };
	fputs("<table>\n<thead><tr>", f);
	vd_print_ths(f, head, sizeof head / sizeof *head);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < ncoh; i++)
		for (size_t k = 0; k < co[i].nruns; k++) {
			const struct vd_run *run = &pl->runs[co[i].runs[k]];
			char *page = vd_signin_page(p, run);
			fputs("<tr><td>", f);
			esc(f, run->cohort);
			fputs("</td><td><a href=\"", f);
			esc(f, page);
			fputs("\">", f);
			esc(f, vd_print_course_title(p, run));
			fputs("</a></td><td class=\"date\">", f);
			vd_print_date(f, run->dates[0]);
			fputs("</td><td>", f);
			esc(f, site_name(&p->sites[run->site]));
			fprintf(f, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
			        run->nmembers, p->courses[run->course].def->nsessions);
			free(page);
		}
	fputs("</tbody>\n</table>\n", f);
}

static int index_page(const struct vd_program *p, const struct vd_plan *pl, const struct cohort *co,
                      size_t ncoh, const char *dir, struct vd_diag *dg)
{
	struct vd_outfile pg;
	if (vd_outfile_open(&pg, dg, dir, "index.html", VD_OUT_NEW))
		return -1;
	FILE *f = pg.f;
	vd_print_head(f, p, _("Printable pages"), NULL);
	char a[11], b[11];
	fputs("<p class=\"sub\">", f);
	fprintf(f, _("Training period %s to %s · %zu cohorts · %zu sites"),
	        vd_date_format(p->start, a), vd_date_format(p->end, b), ncoh, p->nsites);
	fprintf(f, "</p>\n<p>%s</p>\n<p>%s</p>\n",
	        _("Charts of the seats, the township cover and the completion: "
	          "<a href=\"overview.html\">overview</a> (print on A4 landscape)."),
	        _("The certificates of the trainees who completed a course: "
	          "<a href=\"certificates/index.html\">certificates</a> (one A4 page each)."));
	howto(f, p);
	fputs("<h2>", f);
	fprintf(f, _("Cohorts (%zu)"), ncoh);
	fputs("</h2>\n<table>\n<thead><tr>", f);
	vd_print_th(f, _("Cohort"), TH_TEXT);
	vd_print_th(f, _("Course"), TH_TEXT);
	vd_print_th(f, _("Date"), TH_TEXT);
	vd_print_th(f, _("Trainees"), TH_NUM);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < ncoh; i++) {
		const struct cohort *c = &co[i];
		fputs("<tr><td><a href=\"cohort-", f);
		esc(f, c->id);
		fputs(".html\">", f);
		esc(f, c->id);
		fputs("</a></td><td>", f);
		for (size_t k = 0; k < c->nruns; k++) {
			if (k)
				fputs(_(", "), f);
			esc(f, vd_print_course_title(p, &pl->runs[c->runs[k]]));
		}
		fputs("</td><td class=\"date\">", f);
		const struct vd_run *r0 = &pl->runs[c->runs[0]];
		vd_print_date(f, r0->dates[0]);
		fprintf(f, "</td><td class=\"num\">%zu</td></tr>\n", c->nmembers);
	}
	fputs("</tbody>\n</table>\n", f);
	signin_index(f, p, pl, co, ncoh);
	fputs("<h2>", f);
	fprintf(f, _("Sites (%zu)"), p->nsites);
	fputs("</h2>\n<table>\n<thead><tr>", f);
	vd_print_th(f, _("Site"), TH_TEXT);
	vd_print_th(f, _("Address"), TH_TEXT);
	vd_print_th(f, _("Runs"), TH_NUM);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t s = 0; s < p->nsites; s++) {
		const struct vd_site *site = &p->sites[s];
		size_t n = 0;
		for (size_t r = 0; r < pl->nruns; r++)
			n += pl->runs[r].site == s;
		fputs("<tr><td><a href=\"site-", f);
		esc(f, site->id);
		fputs(".html\">", f);
		esc(f, site_name(site));
		fputs("</a></td><td>", f);
		esc(f, site->address);
		fprintf(f, "</td><td class=\"num\">%zu</td></tr>\n", n);
	}
	fputs("</tbody>\n</table>\n", f);
	vd_print_foot(f);
	return vd_outfile_close(&pg, dg);
}

int vd_write_print(const struct vd_program *p, const struct vd_plan *pl, const char *outdir,
                   struct vd_diag *dg)
{
	char *dir = xasprintf("%s/print", outdir);
	if (vd_mkdir(dg, dir) != 0) {
		free(dir);
		return -1;
	}
	size_t *order, ncoh;
	struct cohort *co = cohorts_build(pl, &order, &ncoh);
	int rc = 0;
	struct vd_qr_cache qrs;
	vd_qr_cache_init(&qrs, p->ndoctors);
	for (size_t i = 0; i < ncoh && !rc; i++) {
		if (!vd_id_valid(co[i].id)) {
			vd_error(dg, NULL, 0, gettext("cannot write a page for cohort '%s': not a valid id (A-Z a-z 0-9 _ . -)"), co[i].id);
			rc = -1;
		} else {
			rc = cohort_page(p, pl, &co[i], &qrs, dir, dg);
		}
	}
	vd_qr_cache_free(&qrs);
	size_t *bydate = xmalloc((pl->nruns + 1) * sizeof *bydate);
	for (size_t r = 0; r < pl->nruns; r++)
		bydate[r] = r;
	qsort_r(bydate, pl->nruns, sizeof *bydate, cmp_run_date, (void *)pl);
	for (size_t s = 0; s < p->nsites && !rc; s++)
		rc = site_page(p, pl, s, bydate, dir, dg);
	if (!rc)
		rc = index_page(p, pl, co, ncoh, dir, dg);
	struct vd_outfile pg;
	if (!rc && !(rc = vd_outfile_open(&pg, dg, dir, "overview.html", VD_OUT_NEW))) {
		vd_overview_write(pg.f, p, pl);
		rc = vd_outfile_close(&pg, dg);
	}
	if (!rc)
		rc = vd_write_signin(p, pl, outdir, dg);
	free(bydate);
	for (size_t i = 0; i < ncoh; i++)
		free(co[i].members);
	free(co);
	free(order);
	free(dir);
	return rc;
}

/* overview.c -- see overview.h.  Apart from print.c because it draws
 * charts over the whole plan (sites by week, townships by day, progress),
 * where print.c writes one notice per cohort or site. */
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "overview.h"
#include "print.h"
#include "xalloc.h"
/* the pages' texts in the pages' language (print.h) */
#undef _
#define _(s) vd_page_text(s)

#define PAGE_W 270.0   /* mm: an A4 landscape page inside its margins */
#define AXIS_X 12.0    /* mm left of a column chart's plot, for its scale */
#define LABEL_W 36.0   /* mm left of the cover map, for the townships' names */
#define PLOT_H 30.0    /* mm: a column chart's plot */
#define ROW_H 4.0      /* mm: a township's row in the cover map */

static const char css[] =
	"@page { size: A4 landscape; margin: 10mm }\n"
	"html { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", "
	"\"Microsoft YaHei\", \"PingFang SC\", \"Droid Sans Fallback\", sans-serif; "
	"font-size: 10pt; line-height: 1.4; color: #000; background: #fff }\n"
	"body { margin: 0 auto; max-width: 277mm }\n"
	"h1 { font-size: 15pt; margin: 0 0 1mm }\n"
	"h2 { font-size: 12.5pt; margin: 5mm 0 1.5mm; border-bottom: 0.4mm solid #000; "
	"break-after: avoid; page-break-after: avoid }\n"
	"h3 { font-size: 10.5pt; margin: 2mm 0 0; break-after: avoid; page-break-after: avoid }\n"
	".chart, tr { break-inside: avoid; page-break-inside: avoid }\n"
	"svg { display: block }\n"
	"svg text { font-size: 2.8px; fill: #000 }\n"
	"svg .yl { text-anchor: end }\n"
	"svg .axis { stroke: #000; stroke-width: 0.25 }\n"
	"svg .cap { stroke: #c00; stroke-width: 0.35; stroke-dasharray: 1.5 1 }\n"
	"svg .captext { fill: #c00 }\n"
	"svg .bar { fill: #444 }\n"
	"svg .over, svg .unsched { fill: #d00 }\n"
	"svg .done { fill: #bbb }\n"
	"svg .sched { fill: #222 }\n"
	"svg .used { fill: #036 }\n"
	"table { border-collapse: collapse; margin: 1mm 0 3mm }\n"
	"th, td { border: 0.25mm solid #777; padding: 0.5mm 1.5mm; text-align: left; "
	"vertical-align: middle; white-space: nowrap }\n"
	"th { background: #eee }\n"
	"thead { display: table-header-group }\n"
	"td svg { display: inline-block; vertical-align: middle; margin-right: 1mm }\n"
	".small { font-size: 8pt; color: #333 }\n";

/* The weeks the charts cover: from the Monday on or before the first day
 * of the program to the Sunday on or after its last. */
struct weeks {
	vd_date first;    /* a Monday */
	size_t n;         /* weeks */
};

static void date_attr(FILE *f, const char *name, vd_date t)
{
	char a[11];
	fprintf(f, " %s=\"%s\"", name, vd_date_format(t, a));
}

static const char *const months[] = { N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"),
	N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec") };

/* The month under the column of `t` when it starts one ("3月"). */
static void month_label(FILE *f, vd_date t, vd_date prev, double x, double y)
{
	int y1, m1, d1, y0, m0, d0;
	vd_date_to_ymd(t, &y1, &m1, &d1);
	vd_date_to_ymd(prev, &y0, &m0, &d0);
	if (m1 != m0)
		fprintf(f, "<text x=\"%.2f\" y=\"%.2f\">%s</text>", x, y, _(months[m1 - 1]));
}

/* One column per week of `w`, v[i] high, against a capacity line.  The
 * svg carries `who` (data-* naming the series, escaped); each column
 * carries data-week, `what`=v[i] and `capname`=cap. */
struct column_chart {
	const char *who, *what, *capname, *caption;
	const int *v;
	int cap;
};

static void column_chart(FILE *f, const struct column_chart *c, const struct weeks *w)
{
	int top = c->cap > 1 ? c->cap : 1;
	for (size_t i = 0; i < w->n; i++)
		top = c->v[i] > top ? c->v[i] : top;
	double plot_w = PAGE_W - AXIS_X - 2, col = plot_w / (double)w->n, y0 = 3, base = y0 + PLOT_H;
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0fmm\" height=\"%.0fmm\" %s>\n",
	        PAGE_W, base + 5, PAGE_W, base + 5, c->who);
	fprintf(f, "<line class=\"axis\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>"
	        "<text class=\"yl\" x=\"%.2f\" y=\"%.2f\">0</text><text class=\"yl\" x=\"%.2f\" y=\"%.2f\">%d</text>\n",
	        AXIS_X, base, AXIS_X + plot_w, base, AXIS_X - 1, base, AXIS_X - 1, y0 + 1, top);
	for (size_t i = 0; i < w->n; i++) {
		vd_date t = w->first + 7 * (vd_date)i;
		month_label(f, t, i ? t - 7 : t - 31, AXIS_X + col * (double)i, base + 4);
		if (c->v[i] <= 0)
			continue;
		double h = PLOT_H * c->v[i] / top;
		fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"",
		        c->v[i] > c->cap ? "over" : "bar", AXIS_X + col * ((double)i + 0.15), base - h,
		        col * 0.7, h);
		date_attr(f, "data-week", t);
		char a[11];
		fprintf(f, " %s=\"%d\" %s=\"%d\"><title>%s: %d</title></rect>\n", c->what, c->v[i],
		        c->capname, c->cap, vd_date_format(t, a), c->v[i]);
	}
	double cy = base - PLOT_H * c->cap / top;
	fprintf(f, "<line class=\"cap\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>"
	        "<text class=\"captext\" x=\"%.2f\" y=\"%.2f\">", AXIS_X, cy, AXIS_X + plot_w, cy,
	        AXIS_X + 1, cy - 0.8);
	vd_html_put(f, c->caption);
	fputs("</text>\n</svg>\n", f);
}

/* The most in one day of each week: day[] is per day from w->first. */
static void week_peaks(const int *day, const struct weeks *w, int *out)
{
	for (size_t i = 0; i < w->n; i++) {
		out[i] = 0;
		for (size_t k = 0; k < 7; k++)
			out[i] = day[7 * i + k] > out[i] ? day[7 * i + k] : out[i];
	}
}

/* How much of `res` a run uses (plugin.h: ceil(n / per), or 1). */
static int run_units(const struct vd_program *p, const struct vd_run *run, const char *res)
{
	const struct vds_course *def = p->courses[run->course].def;
	for (size_t k = 0; k < def->nresources; k++)
		if (!strcmp(def->resources[k].name, res)) {
			unsigned per = def->resources[k].per;
			return per ? (int)((run->nmembers + per - 1) / per) : 1;
		}
	return 0;
}

/* Per day from w->first: trainees at site s (res NULL), or units of res. */
static void site_days(const struct vd_program *p, const struct vd_plan *pl, size_t s,
                      const char *res, const struct weeks *w, int *day)
{
	memset(day, 0, 7 * w->n * sizeof *day);
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (run->site != s)
			continue;
		int use = res ? run_units(p, run, res) : (int)run->nmembers;
		for (unsigned k = 0; k < p->courses[run->course].def->days; k++) {
			vd_date t = run->dates[k];
			if (t >= w->first && (size_t)(t - w->first) < 7 * w->n)
				day[t - w->first] += use;
		}
	}
}

static const char *resource_label(const char *res)
{
	return !strcmp(res, "dental_chairs") ? _("dental chairs") : res;
}

static void site_section(FILE *f, const struct vd_program *p, const struct vd_plan *pl,
                         const struct weeks *w)
{
	int *day = xmalloc((7 * w->n + 1) * sizeof *day), *peak = xmalloc((w->n + 1) * sizeof *peak);
	fprintf(f, "<h2>%s</h2>\n", _("Sites: the trainees on the busiest day of each week, and the seats"));
	for (size_t s = 0; s < p->nsites; s++) {
		const struct vd_site *site = &p->sites[s];
		char *id = vd_html_escape(site->id);
		fputs("<h3>", f);
		vd_html_put(f, site->name && *site->name ? site->name : site->id);
		fprintf(f, _(" (seats %d"), site->seats);
		for (size_t k = 0; k < site->nres; k++)
			fprintf(f, _(", %s %d"), resource_label(site->res[k].name), site->res[k].count);
		fputs(_(")"), f);
		fputs("</h3>\n", f);
		site_days(p, pl, s, NULL, w, day);
		week_peaks(day, w, peak);
		char *who = xasprintf("data-site=\"%s\"", id);
		char *cap = xasprintf(_("seats %d"), site->seats);
		column_chart(f, &(struct column_chart){ who, "data-peak", "data-seats", cap, peak, site->seats }, w);
		free(who);
		free(cap);
		for (size_t k = 0; k < site->nres; k++) {
			char *res = vd_html_escape(site->res[k].name);
			site_days(p, pl, s, site->res[k].name, w, day);
			week_peaks(day, w, peak);
			who = xasprintf("data-site=\"%s\" data-resource=\"%s\"", id, res);
			cap = xasprintf("%s %d", resource_label(site->res[k].name), site->res[k].count);
			column_chart(f, &(struct column_chart){ who, "data-peak", "data-count", cap, peak,
			                                        site->res[k].count }, w);
			free(who);
			free(cap);
			free(res);
		}
		free(id);
	}
	free(day);
	free(peak);
}

/* Cover staff used per township and day, from w->first; malloc'd. */
static int *cover_days(const struct vd_program *p, const struct vd_plan *pl, const struct weeks *w)
{
	size_t nd = 7 * w->n;
	int *used = xcalloc(p->ntownships * nd + 1, sizeof *used);
	for (size_t i = 0; i < pl->ncover; i++) {
		const struct vd_cover_row *cr = &pl->cover[i];
		if (cr->date >= w->first && (size_t)(cr->date - w->first) < nd)
			used[cr->township * nd + (size_t)(cr->date - w->first)] += cr->shortfall;
	}
	return used;
}

static void cover_cells(FILE *f, const struct vd_township *tw, const int *used, size_t nd,
                        vd_date first, double y)
{
	double col = (PAGE_W - LABEL_W - 2) / (double)nd;
	char *id = vd_html_escape(tw->id);
	for (size_t d = 0; d < nd; d++) {
		if (!used[d])
			continue;
		double share = tw->cover > 0 ? (double)used[d] / tw->cover : 1;
		fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
		        "fill-opacity=\"%.2f\" data-township=\"%s\"", used[d] > tw->cover ? "over" : "used",
		        LABEL_W + col * (double)d, y, col, ROW_H - 0.6, share < 0.25 ? 0.25 : share > 1 ? 1 : share, id);
		date_attr(f, "data-date", first + (vd_date)d);
		char a[11];
		fprintf(f, " data-used=\"%d\" data-cover=\"%d\"><title>%s: %d / %d</title></rect>",
		        used[d], tw->cover, vd_date_format(first + (vd_date)d, a), used[d], tw->cover);
	}
	fputs("\n", f);
	free(id);
}

static void cover_section(FILE *f, const struct vd_program *p, const struct vd_plan *pl,
                          const struct weeks *w)
{
	size_t nd = 7 * w->n, rows = 0;
	int *used = cover_days(p, pl, w);
	unsigned char *any = xcalloc(p->ntownships + 1, 1);
	for (size_t t = 0; t < p->ntownships; t++) {
		for (size_t d = 0; d < nd && !any[t]; d++)
			any[t] = used[t * nd + d] != 0;
		rows += any[t];
	}
	fprintf(f, "<h2>%s</h2>\n<p class=\"small\">",
	        _("Township cover: the staff sent to stand in each day, against the limit cover"));
	fprintf(f, _("One row per township, its cover in brackets; the darker, the nearer the limit; "
	             "red, over it.  %zu townships use cover, %zu do not."),
	        rows, p->ntownships - rows);
	fputs("</p>\n", f);
	if (rows) {
		double hgt = ROW_H * (double)rows + 6, col = (PAGE_W - LABEL_W - 2) / (double)nd;
		fprintf(f, "<svg class=\"map\" viewBox=\"0 0 %.0f %.1f\" width=\"%.0fmm\" height=\"%.1fmm\">\n",
		        PAGE_W, hgt, PAGE_W, hgt);
		double y = 0;
		for (size_t t = 0; t < p->ntownships; t++) {
			if (!any[t])
				continue;
			const struct vd_township *tw = &p->townships[t];
			fprintf(f, "<text class=\"yl\" x=\"%.2f\" y=\"%.2f\">", LABEL_W - 1, y + ROW_H - 1.2);
			vd_html_put(f, tw->name && *tw->name ? tw->name : tw->id);
			fprintf(f, _(" (%d)"), tw->cover);
			fputs("</text>", f);
			cover_cells(f, tw, used + t * nd, nd, w->first, y);
			y += ROW_H;
		}
		for (size_t i = 0; i < w->n; i++) {
			vd_date t = w->first + 7 * (vd_date)i;
			month_label(f, t, i ? t - 7 : t - 31, LABEL_W + col * 7 * (double)i, y + 4);
		}
		fputs("</svg>\n", f);
	}
	free(any);
	free(used);
}

struct tally { int done, sched, unsched; };

static int completed(const struct vd_doctor *d, const struct vd_course *c)
{
	return vd_strv_has(&d->completed, c->name) || (c->def && vd_strv_has(&d->completed, c->def->id));
}

/* Per township x course: done before, scheduled, unscheduled; malloc'd. */
static struct tally *tally_build(const struct vd_program *p, const struct vd_plan *pl)
{
	size_t nc = p->ncourses;
	struct tally *t = xcalloc(p->ntownships * nc + 1, sizeof *t);
	for (size_t d = 0; d < p->ndoctors; d++)
		for (size_t c = 0; c < nc; c++)
			t[p->clinics[p->doctors[d].clinic].township * nc + c].done +=
				completed(&p->doctors[d], &p->courses[c]);
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++) {
			size_t d = pl->runs[r].members[m];
			t[p->clinics[p->doctors[d].clinic].township * nc + pl->runs[r].course].sched++;
		}
	for (size_t i = 0; i < pl->nunsched; i++) {
		size_t d = pl->unsched[i].doctor;
		t[p->clinics[p->doctors[d].clinic].township * nc + pl->unsched[i].course].unsched++;
	}
	return t;
}

/* A 40 mm bar: done before (grey), scheduled (black), unscheduled (red). */
static void tally_cell(FILE *f, const struct tally *t, const char *course_id)
{
	int all = t->done + t->sched + t->unsched;
	double k = all ? 40.0 / all : 0;
	fputs("<td><svg viewBox=\"0 0 40 3\" width=\"40mm\" height=\"3mm\" data-course=\"", f);
	vd_html_put(f, course_id);
	fprintf(f, "\" data-done=\"%d\" data-scheduled=\"%d\" data-unscheduled=\"%d\">"
	        "<rect class=\"done\" x=\"0\" y=\"0\" width=\"%.2f\" height=\"3\"/>"
	        "<rect class=\"sched\" x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"3\"/>"
	        "<rect class=\"unsched\" x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"3\"/></svg>"
	        "<span class=\"small\">%d / %d</span></td>",
	        t->done, t->sched, t->unsched, k * t->done, k * t->done, k * t->sched,
	        k * (t->done + t->sched), k * t->unsched, t->done + t->sched, all);
}

static void progress_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	struct tally *t = tally_build(p, pl);
	fprintf(f, "<h3>%s</h3>\n<p class=\"small\">%s</p>\n<table>\n<thead><tr>",
	        _("By township and course"),
	        _("Grey: completed before; black: scheduled by this plan; red: could not be "
	          "scheduled (see unscheduled.csv).  The numbers are the trainees “completed and "
	          "scheduled / required”."));
	vd_print_th(f, _("Township"), TH_TEXT);
	for (size_t c = 0; c < p->ncourses; c++) {
		fputs("<th>", f);
		vd_html_put(f, p->courses[c].def && p->courses[c].def->title ? p->courses[c].def->title
		                                                              : p->courses[c].name);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t w = 0; w < p->ntownships; w++) {
		const struct vd_township *tw = &p->townships[w];
		fputs("<tr data-township=\"", f);
		vd_html_put(f, tw->id);
		fputs("\"><th>", f);
		vd_html_put(f, tw->name && *tw->name ? tw->name : tw->id);
		fputs("</th>", f);
		for (size_t c = 0; c < p->ncourses; c++)
			tally_cell(f, &t[w * p->ncourses + c],
			           p->courses[c].def ? p->courses[c].def->id : p->courses[c].name);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	free(t);
}

static void progress_section(FILE *f, const struct vd_program *p, const struct vd_plan *pl,
                             const struct weeks *w)
{
	fprintf(f, "<h2>%s</h2>\n<h3>%s</h3>\n", _("Completion"),
	        _("Courses finished by the end of each week, trainee by trainee (the red line: "
	          "all that are required)"));
	int *done = xcalloc(w->n + 1, sizeof *done);
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		vd_date last = run->dates[p->courses[run->course].def->days - 1];
		size_t from = last < w->first ? 0 : (size_t)(last - w->first) / 7;
		for (size_t i = from; i < w->n; i++)
			done[i] += (int)run->nmembers;
	}
	char *cap = xasprintf(_("%zu required"), pl->nrequired);
	column_chart(f, &(struct column_chart){ "data-series=\"finished\"", "data-finished",
	                                        "data-required", cap, done, (int)pl->nrequired }, w);
	free(cap);
	free(done);
	progress_table(f, p, pl);
}

void vd_overview_write(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	struct weeks w;
	w.first = p->start - vd_weekday(p->start);
	w.n = p->end >= w.first ? (size_t)(p->end - w.first) / 7 + 1 : 1;
	const char *name = p->name && *p->name ? p->name : p->id ? p->id : "vdsched";
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
	        vd_print_lang());
	vd_html_put(f, _("Overview"));
	fputs(" — ", f);
	vd_html_put(f, name);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	vd_html_put(f, name);
	char a[11], b[11];
	fputs("</h1>\n<p>", f);
	vd_html_put(f, _("Overview"));
	fputs(" · ", f);
	fprintf(f, _("training period %s to %s · %zu / %zu trainee courses planned · %zu runs"),
	        vd_date_format(p->start, a), vd_date_format(p->end, b), pl->nassigned, pl->nrequired,
	        pl->nruns);
	fputs(" · <a href=\"index.html\">", f);
	vd_html_put(f, _("Index of the printable pages"));
	fputs("</a></p>\n", f);
	site_section(f, p, pl, &w);
	cover_section(f, p, pl, &w);
	progress_section(f, p, pl, &w);
	fputs("</body>\n</html>\n", f);
}

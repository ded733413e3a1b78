/* xlsx.c -- see xlsx.h */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <unzip.h>
#include <xlsxwriter.h>
#include "changes.h"
#include "i18n.h"
#include "completion-out.h"
#include "output.h"
#include "print.h"
#include "signin.h"
#include "url.h"
#include "xlsx.h"
#include "xalloc.h"
/* the pages' texts in the pages' language (print.h) */
#undef _
#define _(s) vd_page_text(s)

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

#define SHEET_NAME_MAX 31      /* Excel's limit, in UTF-16 units */
#define COL_WIDTH_MAX 255.0    /* Excel's widest column */
#define NCOLS_MAX 16
#define PAPER_A4 9             /* Excel's paper size code */
#define LINE_PT 15.0           /* a row's height per line of text */
#define VD_XLSX_STREAM_PAIRS 50000  /* above it, rows are streamed (constant memory) */

/* ---- display width: what Excel needs to show a cell unclipped ---- */

/* Decodes one UTF-8 code point (the input is valid UTF-8: the readers
 * checked it); returns its length in bytes. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	uint32_t c = s[0] & (0x3F >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return *cp = 0xFFFD, i;  /* cut sequence: stop before the next char */
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return n;
}

/* CJK and full-width characters take two digit widths; so does general
 * punctuation such as — and “ ”, which Chinese fonts draw wide. */
static int wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2010 && c <= 0x2027) ||
	       (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
	       (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
	       (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

/* The widest line's width (a cell with line breaks wraps at them). */
static double text_width(const char *s)
{
	double w = 0, widest = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		uint32_t c;
		u += utf8_next(u, &c);
		w = c == '\n' ? 0 : w + (wide(c) ? 2 : 1);
		widest = w > widest ? w : widest;
	}
	return widest;
}

static unsigned text_lines(const char *s)
{
	unsigned n = 1;
	for (; *s; s++)
		n += *s == '\n' && s[1];
	return n;
}

/* ---- sheet names ---- */

static int name_used(const char *s, char *const *used, size_t nused)
{
	if (!strcasecmp(s, "History"))  /* reserved by Excel */
		return 1;
	for (size_t i = 0; i < nused; i++)
		if (!strcasecmp(s, used[i]))
			return 1;
	return 0;
}

/* s with Excel's forbidden characters replaced, cut to `max` UTF-16 units */
static char *sheet_clean(const char *s, size_t max)
{
	size_t n = strlen(s), units = 0, o = 0;
	char *out = xmalloc(n + 1);
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		uint32_t c;
		size_t len = utf8_next(u, &c);
		size_t cu = c > 0xFFFF ? 2 : 1;
		if (units + cu > max)
			break;
		if (c < 0x20 || c == 0x7F || (c < 0x80 && strchr("[]:*?/\\", (int)c)))
			out[o++] = '_';
		else {
			memcpy(out + o, u, len);
			o += len;
		}
		units += cu;
		u += len;
	}
	out[o] = '\0';
	/* no apostrophe at either end: Excel uses them to quote sheet names */
	size_t a = 0;
	while (out[a] == '\'')
		a++;
	memmove(out, out + a, o - a + 1);
	o -= a;
	while (o && out[o - 1] == '\'')
		out[--o] = '\0';
	return out;
}

char *vd_xlsx_sheet_name(const char *name, const char *id, char *const *used, size_t nused)
{
	char *s = sheet_clean(name ? name : "", SHEET_NAME_MAX);
	if (*s && !name_used(s, used, nused))
		return s;
	free(s);
	s = sheet_clean(id, SHEET_NAME_MAX);
	if (*s && !name_used(s, used, nused))
		return s;
	free(s);
	char *base = sheet_clean(*id ? id : "site", SHEET_NAME_MAX - 6);
	for (unsigned k = 2;; k++) {
		s = xasprintf("%s~%u", base, k);
		if (!name_used(s, used, nused))
			break;
		free(s);
	}
	free(base);
	return s;
}

/* ---- one sheet being written ---- */

struct sheet {
	lxw_worksheet *ws;
	const char *name;          /* for the continuation sheets */
	const char *const *head;
	unsigned part;             /* 1, then 2, 3, ... past Excel's row limit */
	lxw_row_t row;             /* next row */
	lxw_col_t ncols;
	double width[NCOLS_MAX];
	lxw_format *wrap;          /* for cells with line breaks */
	lxw_row_t tall_row;        /* the last row made taller for them, */
	unsigned tall_lines;       /* to this many lines */
	lxw_error err;             /* the first error */
};

struct book {
	lxw_workbook *wb;
	lxw_format *head, *date, *time, *wrap;
	lxw_error err;
	char **names;              /* continuation sheet names, kept until the close */
	size_t nnames;
};

static void note(struct sheet *sh, lxw_error e)
{
	if (e && !sh->err)
		sh->err = e;
}

static void fit(struct sheet *sh, lxw_col_t col, double w)
{
	if (w > sh->width[col])
		sh->width[col] = w;
}

static void sheet_begin(struct book *b, struct sheet *sh, const char *name,
                        const char *const *head, lxw_col_t ncols)
{
	memset(sh, 0, sizeof *sh);
	sh->ncols = ncols;
	sh->ws = workbook_add_worksheet(b->wb, name);
	if (!sh->ws) {
		sh->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return;
	}
	for (lxw_col_t c = 0; c < ncols; c++) {
		const char *text = _(head[c]);
		note(sh, worksheet_write_string(sh->ws, 0, c, text, b->head));
		fit(sh, c, text_width(text) + 3);  /* room for the filter button */
	}
	worksheet_freeze_panes(sh->ws, 1, 0);
	/* printed: A4 landscape, as wide as the page, the header on every page */
	worksheet_set_landscape(sh->ws);
	worksheet_set_paper(sh->ws, PAPER_A4);
	worksheet_fit_to_pages(sh->ws, 1, 0);
	note(sh, worksheet_repeat_rows(sh->ws, 0, 0));
	sh->wrap = b->wrap;
	sh->row = 1;
	sh->name = name;
	sh->head = head;
	sh->part = 1;
}

static void sheet_end(struct book *b, struct sheet *sh);

/* The row is written: on to the next, and past Excel's 1,048,576 rows
 * to a continuation sheet "NAME (2)" with the same header (a nation's
 * schedule has millions of rows). */
static void next_row(struct book *b, struct sheet *sh)
{
	if (++sh->row < LXW_ROW_MAX || sh->err)
		return;
	const char *name = sh->name;
	const char *const *head = sh->head;
	unsigned part = sh->part + 1;
	lxw_col_t ncols = sh->ncols;
	sheet_end(b, sh);
	char *nm = xasprintf("%s (%u)", name, part);
	b->names = xreallocarray(b->names, b->nnames + 1, sizeof *b->names);
	b->names[b->nnames++] = nm;
	sheet_begin(b, sh, nm, head, ncols);
	sh->name = name;
	sh->part = part;
}

static void cell_text(struct sheet *sh, lxw_col_t col, const char *s, lxw_format *f)
{
	if (!sh->ws || !s || !*s)  /* an empty cell, as the CSV's empty field */
		return;
	double w = text_width(s);
	/* its line breaks, and where a line wider than Excel's widest column
	 * wraps */
	unsigned lines = text_lines(s) * (unsigned)((w + COL_WIDTH_MAX - 1) / COL_WIDTH_MAX);
	if (lines > 1) {
		/* wrapped, in a row tall enough: not spilling over the rows around it */
		f = sh->wrap;
		if (sh->tall_row != sh->row || lines > sh->tall_lines) {
			sh->tall_row = sh->row;
			sh->tall_lines = lines;
			note(sh, worksheet_set_row(sh->ws, sh->row, LINE_PT * lines, NULL));
		}
	}
	note(sh, worksheet_write_string(sh->ws, sh->row, col, s, f));
	fit(sh, col, w + 1);
}

static void cell_number(struct sheet *sh, lxw_col_t col, double v)
{
	if (!sh->ws)
		return;
	note(sh, worksheet_write_number(sh->ws, sh->row, col, v, NULL));
	char buf[32];
	fit(sh, col, snprintf(buf, sizeof buf, "%g", v) + 1);
}

static void cell_date(struct book *b, struct sheet *sh, lxw_col_t col, vd_date t)
{
	if (!sh->ws)
		return;
	lxw_datetime dt = { 0 };
	vd_date_to_ymd(t, &dt.year, &dt.month, &dt.day);
	note(sh, worksheet_write_datetime(sh->ws, sh->row, col, &dt, b->date));
	fit(sh, col, 10 + 1);  /* yyyy-mm-dd */
}

static void cell_time(struct book *b, struct sheet *sh, lxw_col_t col, unsigned minutes)
{
	if (!sh->ws)
		return;
	note(sh, worksheet_write_number(sh->ws, sh->row, col, minutes / 1440.0, b->time));
	fit(sh, col, 5 + 1);   /* hh:mm */
}

static void sheet_end(struct book *b, struct sheet *sh)
{
	if (sh->ws) {
		for (lxw_col_t c = 0; c < sh->ncols; c++) {
			double w = sh->width[c] < COL_WIDTH_MAX ? sh->width[c] : COL_WIDTH_MAX;
			/* a cell wider than Excel allows wraps instead */
			note(sh, worksheet_set_column(sh->ws, c, c, w,
			                              sh->width[c] > COL_WIDTH_MAX ? b->wrap : NULL));
		}
		note(sh, worksheet_autofilter(sh->ws, 0, 0, sh->row - 1, sh->ncols - 1));
	}
	if (sh->err && !b->err)
		b->err = sh->err;
}

/* ---- the sheets ---- */

/* The sheets of fixed names, in the language of the messages but the
 * sign-in sheet's: [program] attendance reads it back by its name
 * (attendance.c), in either language. */
enum fixed_sheet { SHEET_SIGNIN, SHEET_SCHEDULE, SHEET_SESSIONS, SHEET_COVER, SHEET_UNSCHED,
	SHEET_CHANGES, SHEET_TALLY, SHEET_ROWS, NFIXED };

static const char *const fixed_names[NFIXED] = {
	[SHEET_SIGNIN] = "签到", [SHEET_SCHEDULE] = N_("Schedule"), [SHEET_SESSIONS] = N_("Timetable"),
	[SHEET_COVER] = N_("Township cover"), [SHEET_UNSCHED] = N_("Unscheduled"),
	[SHEET_CHANGES] = N_("Changes"), [SHEET_TALLY] = N_("Training statistics"),
	[SHEET_ROWS] = N_("Completion") };

static const char *fixed_name(enum fixed_sheet s)
{
	return s == SHEET_SIGNIN ? fixed_names[s] : _(fixed_names[s]);
}

static void schedule_sheet(struct book *b, const struct vd_program *p, const struct vd_plan *pl)
{
	static const char *const head[] = { N_("Doctor ID"), N_("Name"), N_("Clinic ID"),
		N_("Clinic name"), N_("Township"), N_("Phone"), N_("Cohort"), N_("Course"),
		N_("Course title"), N_("Site ID"), N_("Site name"), N_("First day"), N_("Last day") };
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_SCHEDULE), head, 13);
	struct vd_schedule_row *rows;
	size_t nrows = vd_schedule_rows(pl, &rows);
	for (size_t i = 0; i < nrows && !sh.err; i++, next_row(b, &sh)) {
		const struct vd_doctor *d = &p->doctors[rows[i].doctor];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		const struct vd_run *run = &pl->runs[rows[i].run];
		const struct vds_course *def = p->courses[run->course].def;
		const struct vd_site *si = &p->sites[run->site];
		cell_text(&sh, 0, d->id, NULL);
		cell_text(&sh, 1, d->name, NULL);
		cell_text(&sh, 2, cl->id, NULL);
		cell_text(&sh, 3, cl->name, NULL);
		cell_text(&sh, 4, p->townships[cl->township].name, NULL);
		cell_text(&sh, 5, d->phone, NULL);
		cell_text(&sh, 6, run->cohort, NULL);
		cell_text(&sh, 7, def->id, NULL);
		cell_text(&sh, 8, def->title, NULL);
		cell_text(&sh, 9, si->id, NULL);
		cell_text(&sh, 10, si->name, NULL);
		cell_date(b, &sh, 11, run->dates[0]);
		cell_date(b, &sh, 12, run->dates[def->days - 1]);
	}
	free(rows);
	sheet_end(b, &sh);
}

static void sessions_sheet(struct book *b, const struct vd_program *p, const struct vd_plan *pl)
{
	static const char *const head[] = { N_("Cohort"), N_("Course"), N_("Site ID"), N_("Site name"),
		N_("Instructor ID"), N_("Teacher"), N_("Date"), N_("Start"), N_("End"), N_("Content") };
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_SESSIONS), head, 10);
	for (size_t r = 0; r < pl->nruns && !sh.err; r++) {
		const struct vd_run *run = &pl->runs[r];
		const struct vds_course *def = p->courses[run->course].def;
		const struct vd_instructor *in =
			run->instructor == VD_NONE ? NULL : &p->instructors[run->instructor];
		for (size_t s = 0; s < def->nsessions; s++) {
			const struct vds_session *se = &def->sessions[s];
			if (!vd_run_day_held(run, se->day))
				continue;
			cell_text(&sh, 0, run->cohort, NULL);
			cell_text(&sh, 1, def->id, NULL);
			cell_text(&sh, 2, p->sites[run->site].id, NULL);
			cell_text(&sh, 3, p->sites[run->site].name, NULL);
			cell_text(&sh, 4, in ? in->id : NULL, NULL);
			cell_text(&sh, 5, in ? in->name : NULL, NULL);
			cell_date(b, &sh, 6, run->dates[se->day]);
			cell_time(b, &sh, 7, se->start);
			cell_time(b, &sh, 8, se->end);
			char *title = xasprintf("%s — %s", def->title, se->title);
			cell_text(&sh, 9, title, NULL);
			free(title);
			next_row(b, &sh);
		}
	}
	sheet_end(b, &sh);
}

static void cover_sheet(struct book *b, const struct vd_program *p, const struct vd_plan *pl)
{
	static const char *const head[] = { N_("Date"), N_("Township ID"), N_("Township name"),
		N_("Clinic ID"), N_("Clinic name"), N_("Shortfall") };
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_COVER), head, 6);
	for (size_t i = 0; i < pl->ncover && !sh.err; i++, next_row(b, &sh)) {
		const struct vd_cover_row *cr = &pl->cover[i];
		cell_date(b, &sh, 0, cr->date);
		cell_text(&sh, 1, p->townships[cr->township].id, NULL);
		cell_text(&sh, 2, p->townships[cr->township].name, NULL);
		cell_text(&sh, 3, p->clinics[cr->clinic].id, NULL);
		cell_text(&sh, 4, p->clinics[cr->clinic].name, NULL);
		cell_number(&sh, 5, cr->shortfall);
	}
	sheet_end(b, &sh);
}

static void unsched_sheet(struct book *b, const struct vd_program *p, const struct vd_plan *pl)
{
	static const char *const head[] = { N_("Doctor ID"), N_("Name"), N_("Course"), N_("Reason") };
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_UNSCHED), head, 4);
	for (size_t i = 0; i < pl->nunsched && !sh.err; i++, next_row(b, &sh)) {
		const struct vd_unsched *u = &pl->unsched[i];
		cell_text(&sh, 0, p->doctors[u->doctor].id, NULL);
		cell_text(&sh, 1, p->doctors[u->doctor].name, NULL);
		cell_text(&sh, 2, p->courses[u->course].name, NULL);
		cell_text(&sh, 3, u->reason, NULL);
	}
	sheet_end(b, &sh);
}

static void site_sheet(struct book *b, const struct vd_program *p, const struct vd_plan *pl,
                       size_t site, const char *name)
{
	static const char *const head[] = { N_("Cohort"), N_("Course"), N_("First day"),
		N_("Last day"), N_("Teacher"), N_("Trainees"), N_("Members") };
	struct sheet sh;
	sheet_begin(b, &sh, name, head, 7);
	for (size_t r = 0; r < pl->nruns && !sh.err; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (run->site != site)
			continue;
		const struct vds_course *def = p->courses[run->course].def;
		cell_text(&sh, 0, run->cohort, NULL);
		cell_text(&sh, 1, def->title && *def->title ? def->title : def->id, NULL);
		cell_date(b, &sh, 2, run->dates[0]);
		cell_date(b, &sh, 3, run->dates[def->days - 1]);
		cell_text(&sh, 4, run->instructor == VD_NONE ? NULL : p->instructors[run->instructor].name,
		          NULL);
		cell_number(&sh, 5, (double)run->nmembers);
		const char *sep = _(", ");
		size_t len = 1;
		for (size_t m = 0; m < run->nmembers; m++)
			len += strlen(p->doctors[run->members[m]].name) + strlen(sep);
		char *names = xmalloc(len), *o = names;
		*o = '\0';
		for (size_t m = 0; m < run->nmembers; m++)
			o += sprintf(o, "%s%s", m ? sep : "", p->doctors[run->members[m]].name);
		cell_text(&sh, 6, names, NULL);
		free(names);
		sh.row++;
	}
	sheet_end(b, &sh);
}

/* changes.csv's rows, in words for the office */
static void changes_sheet(struct book *b, const struct vd_program *p, const struct vd_changes *ch)
{
	static const char *const head[] = { N_("Doctor ID"), N_("Name"), N_("Phone"), N_("Course"),
		N_("Change"), N_("Before"), N_("After"), N_("Own calendar") };
	static const char *const kind[] = {
		[VD_CH_MOVED] = N_("moved to other days or another site"),
		[VD_CH_UPDATED] = N_("calendar updated"), [VD_CH_ADDED] = N_("added"),
		[VD_CH_DROPPED] = N_("dropped"), [VD_CH_CANCELLED] = N_("cannot be scheduled"),
		[VD_CH_MAKEUP] = N_("make-up training") };
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_CHANGES), head, 8);
	for (size_t i = 0; i < ch->n && !sh.err; i++, next_row(b, &sh)) {
		const struct vd_change *e = &ch->v[i];
		size_t c = *e->course ? vd_hmap_get(&p->course_ix, e->course) : VD_NONE;
		const struct vds_course *def = c != VD_NONE ? p->courses[c].def : NULL;
		char *cal = vd_calendar_url(p, "doctors", e->doctor);
		cell_text(&sh, 0, e->doctor, NULL);
		cell_text(&sh, 1, e->name, NULL);
		cell_text(&sh, 2, e->phone, NULL);
		cell_text(&sh, 3, def && def->title && *def->title ? def->title : e->course, NULL);
		cell_text(&sh, 4, e->kind >= 0 && e->kind <= VD_CH_MAKEUP ? _(kind[e->kind]) : "", NULL);
		cell_text(&sh, 5, e->old, NULL);
		cell_text(&sh, 6, e->new, NULL);
		cell_text(&sh, 7, cal, NULL);
		free(cal);
	}
	sheet_end(b, &sh);
}

/* The 出勤 column: filled in yellow with a list of 到/缺/假 (present,
 * absent, excused: words attendance.c reads in either language), so the
 * office sees which column to type into. */
static void status_column(struct sheet *sh, lxw_col_t col)
{
	if (!sh->ws || sh->row < 2)
		return;
	const char *marks[] = { _("present"), _("absent"), _("excused"), NULL };
	lxw_data_validation dv = { .validate = LXW_VALIDATION_TYPE_LIST,
	                           .value_list = (char **)marks,
	                           .input_title = (char *)_("status"),
	                           .input_message = (char *)_("present, absent or excused") };
	note(sh, worksheet_data_validation_range(sh->ws, 1, col, sh->row - 1, col, &dv));
}

/* attendance-template.csv's rows (signin.h), with the clinic's and the
 * course's names for people; dates and times are text, as the reader of
 * [program] attendance matches them.  Its headers are ones that reader
 * knows, in English its column ids.
 *
 * Only when they fit one sheet: the reader reads the sheet named 签到, so
 * rows on a continuation sheet would be filled in and never read, and
 * past a million rows no office fills in a workbook anyway (a province of
 * 50,000 doctors has 1.28 million: 70 % of its workbook's time).  The
 * CSV template has every row. */
static void signin_sheet(struct book *b, const struct vd_program *p, const struct vd_plan *pl,
                         struct vd_diag *dg)
{
	size_t rows = vd_signin_rows(p, pl);
	if (rows > VD_SIGNIN_SHEET_ROWS) {
		vd_warning(dg, NULL, 0, gettext("plan.xlsx has no 签到 sheet: its %zu rows would be more than an Excel sheet holds (%d); fill in attendance-template.csv, which has them all, and list it in [program] attendance"),
		           rows, VD_SIGNIN_SHEET_ROWS);
		return;
	}
	static const char *const head[] = { N_("doctor_id"), N_("doctor_name"), N_("clinic_name"),
		N_("cohort_id"), N_("course_id"), N_("course_title"), N_("date"), N_("start"),
		N_("session"), N_("status") };
	enum { COL_STATUS = 9 };
	lxw_format *fill = workbook_add_format(b->wb);
	format_set_bg_color(fill, 0xFFF2CC);
	format_set_border(fill, LXW_BORDER_THIN);
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_SIGNIN), head, 10);
	size_t *order = vd_print_runs(pl);
	for (size_t i = 0; i < pl->nruns && !sh.err; i++) {
		const struct vd_run *run = &pl->runs[order[i]];
		const struct vds_course *def = p->courses[run->course].def;
		size_t *members = vd_signin_members(p, run);
		for (size_t m = 0; m < run->nmembers && !sh.err; m++) {
			const struct vd_doctor *d = &p->doctors[members[m]];
			const struct vd_clinic *cl = &p->clinics[d->clinic];
			for (size_t s = 0; s < def->nsessions && !sh.err; s++, next_row(b, &sh)) {
				const struct vds_session *se = &def->sessions[s];
				char date[11], start[6];
				snprintf(start, sizeof start, "%02u:%02u", (se->start / 60) % 100, se->start % 60);
				cell_text(&sh, 0, d->id, NULL);
				cell_text(&sh, 1, d->name, NULL);
				cell_text(&sh, 2, cl->name && *cl->name ? cl->name : cl->id, NULL);
				cell_text(&sh, 3, run->cohort, NULL);
				cell_text(&sh, 4, def->id, NULL);
				cell_text(&sh, 5, def->title, NULL);
				cell_text(&sh, 6, vd_date_format(run->dates[se->day], date), NULL);
				cell_text(&sh, 7, start, NULL);
				cell_text(&sh, 8, vd_signin_half(se), NULL);
				note(&sh, worksheet_write_blank(sh.ws, sh.row, COL_STATUS, fill));
			}
		}
		free(members);
	}
	free(order);
	status_column(&sh, COL_STATUS);
	sheet_end(b, &sh);
}

/* ---- who completed what ---- */

static void tally_row(struct sheet *sh, const struct vd_completion_cell *cell, lxw_format *pct)
{
	static const enum vd_pair_status cols[] = { VD_PAIR_COMPLETED, VD_PAIR_MISSED,
		VD_PAIR_IN_PROGRESS, VD_PAIR_SCHEDULED, VD_PAIR_UNSCHEDULED };
	cell_number(sh, 2, (double)cell->required);
	for (lxw_col_t k = 0; k < 5; k++)
		cell_number(sh, 3 + k, (double)cell->pairs[cols[k]]);
	double rate = cell->required ? (double)cell->pairs[VD_PAIR_COMPLETED] / (double)cell->required : 0;
	note(sh, worksheet_write_number(sh->ws, sh->row, 8, rate, pct));
	fit(sh, 8, 7);
	cell_number(sh, 9, cell->hours);
	cell_number(sh, 10, cell->credits);
}

/* report.txt's 培训完成情况 table: township x course, then the total. */
static void completion_tally_sheet(struct book *b, const struct vd_program *p,
                                   const struct vd_completion *comp)
{
	static const char *const head[] = { N_("Township"), N_("Course"), N_("Required"),
		N_("Completed"), N_("Missed, to be made up"), N_("In progress"), N_("Scheduled"),
		N_("Unscheduled"), N_("Completion rate"), N_("Hours"), N_("Credits") };
	lxw_format *pct = workbook_add_format(b->wb);
	format_set_num_format(pct, "0.0%");
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_TALLY), head, 11);
	struct vd_completion_tally t;
	vd_completion_tally(p, comp, &t);
	for (size_t i = 0; i < t.n && !sh.err; i++, next_row(b, &sh)) {
		const struct vd_township *tw = &p->townships[t.cells[i].township];
		const struct vds_course *def = p->courses[t.cells[i].course].def;
		cell_text(&sh, 0, tw->name && *tw->name ? tw->name : tw->id, NULL);
		cell_text(&sh, 1, def->title && *def->title ? def->title : def->id, NULL);
		tally_row(&sh, &t.cells[i], pct);
	}
	if (!sh.err) {
		cell_text(&sh, 0, _("Total"), b->head);
		tally_row(&sh, &t.total, pct);
		next_row(b, &sh);
	}
	vd_completion_tally_free(&t);
	sheet_end(b, &sh);
}

/* completion.csv's rows, with names and status words for people */
static void completion_rows_sheet(struct book *b, const struct vd_program *p,
                                  const struct vd_plan *pl, const struct vd_completion *comp)
{
	static const char *const head[] = { N_("Doctor ID"), N_("Name"), N_("Clinic ID"),
		N_("Township"), N_("Course"), N_("Cohort"), N_("Status"), N_("Attended"),
		N_("Sessions held"), N_("Hours"), N_("Credits"), N_("Certificate no.") };
	static const char *const status[VD_PAIR_NSTATUS] = {
		[VD_PAIR_COMPLETED] = N_("Completed"), [VD_PAIR_MISSED] = N_("Missed, to be made up"),
		[VD_PAIR_IN_PROGRESS] = N_("In progress"), [VD_PAIR_SCHEDULED] = N_("Scheduled"),
		[VD_PAIR_UNSCHEDULED] = N_("Unscheduled") };
	struct sheet sh;
	sheet_begin(b, &sh, fixed_name(SHEET_ROWS), head, 12);
	for (size_t i = 0; i < comp->n && !sh.err; i++, next_row(b, &sh)) {
		const struct vd_completion_row *r = &comp->rows[i];
		const struct vd_doctor *d = &p->doctors[r->doctor];
		const struct vd_clinic *cl = &p->clinics[d->clinic];
		const struct vds_course *def = p->courses[r->course].def;
		cell_text(&sh, 0, d->id, NULL);
		cell_text(&sh, 1, d->name, NULL);
		cell_text(&sh, 2, cl->id, NULL);
		cell_text(&sh, 3, p->townships[cl->township].name, NULL);
		cell_text(&sh, 4, def->title && *def->title ? def->title : def->id, NULL);
		cell_text(&sh, 5, r->run == VD_NONE ? NULL : pl->runs[r->run].cohort, NULL);
		cell_text(&sh, 6, _(status[r->status]), NULL);
		cell_number(&sh, 7, r->attended);
		cell_number(&sh, 8, r->total);
		cell_number(&sh, 9, r->hours);
		cell_number(&sh, 10, r->credits);
		cell_text(&sh, 11, r->certificate, NULL);
	}
	sheet_end(b, &sh);
}

/* ---- reading the workbook back ----
 *
 * libxlsxwriter 1.1 writes each part to a scratch file first and does not
 * check those writes: on a full disk, or past `ulimit -f`, a part comes out
 * cut short and workbook_close() still succeeds.  So we open the workbook
 * with minizip (the zip library libxlsxwriter writes it with) and check
 * that every XML part ends with the end tag of its root element. */

/* The name of the root element: the first tag after the <?xml ...?>
 * declaration.  Empty when there is none. */
static void root_name(const char *head, size_t n, char *name, size_t size)
{
	size_t i = 0, o = 0;
	while (i + 1 < n && (head[i] != '<' || head[i + 1] == '?' || head[i + 1] == '!'))
		i++;
	for (i++; i < n && o + 1 < size && !strchr(" \t\r\n/>", head[i]); i++)
		name[o++] = head[i];
	name[o] = '\0';
}

static int part_complete(const char *head, size_t nhead, const char *tail, size_t ntail)
{
	char name[64], end[80];
	root_name(head, nhead, name, sizeof name);
	while (ntail && strchr(" \t\r\n", tail[ntail - 1]))
		ntail--;
	if (!*name || !ntail)
		return 0;
	int n = snprintf(end, sizeof end, "</%s>", name);
	return (size_t)n <= ntail && !memcmp(tail + ntail - (size_t)n, end, (size_t)n);
}

/* Returns NULL when every part is whole, else the name of the first one
 * that is not (malloc'd; "plan.xlsx" when the zip itself is unreadable). */
static char *broken_part(const char *path)
{
	unzFile z = unzOpen(path);
	if (!z)
		return xstrdup("plan.xlsx");
	char *bad = NULL;
	enum { HEAD = 512, TAIL = 128, CHUNK = 16384 };
	char *buf = xmalloc(CHUNK), head[HEAD], tail[TAIL];
	int rc = unzGoToFirstFile(z);
	while (rc == UNZ_OK && !bad) {
		char name[256];
		unz_file_info info;
		if (unzGetCurrentFileInfo(z, &info, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK ||
		    unzOpenCurrentFile(z) != UNZ_OK) {
			bad = xstrdup("plan.xlsx");
			break;
		}
		size_t len = strlen(name), nhead = 0, ntail = 0;
		int xml = (len > 4 && !strcmp(name + len - 4, ".xml")) ||
		          (len > 5 && !strcmp(name + len - 5, ".rels"));
		int got;
		while ((got = unzReadCurrentFile(z, buf, CHUNK)) > 0) {
			size_t g = (size_t)got;
			size_t h = g < HEAD - nhead ? g : HEAD - nhead;
			memcpy(head + nhead, buf, h);
			nhead += h;
			if (g >= TAIL) {
				memcpy(tail, buf + g - TAIL, TAIL);
				ntail = TAIL;
			} else {
				size_t keep = ntail + g > TAIL ? TAIL - g : ntail;
				memmove(tail, tail + ntail - keep, keep);
				memcpy(tail + keep, buf, g);
				ntail = keep + g;
			}
		}
		if (unzCloseCurrentFile(z) != UNZ_OK || got < 0 ||
		    (xml && !part_complete(head, nhead, tail, ntail)))
			bad = xstrdup(name);
		rc = unzGoToNextFile(z);
	}
	if (!bad && rc != UNZ_END_OF_LIST_OF_FILE)
		bad = xstrdup("plan.xlsx");
	unzClose(z);
	free(buf);
	return bad;
}

/* The workbook's creation time: SOURCE_DATE_EPOCH when it is a number of
 * seconds (main warns when it is not), else now. */
static time_t created(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && v > 0)
			return (time_t)v;
	}
	return time(NULL);
}

int vd_write_xlsx(const struct vd_program *p, const struct vd_plan *pl,
                  const struct vd_completion *comp, const struct vd_changes *ch,
                  const char *dir, struct vd_diag *dg)
{
	char *path = xasprintf("%s/plan.xlsx", dir);
	char *tmpdir = xstrdup(dir);
	/* libxlsxwriter's scratch files go into our temporary folder too
	 * (unlinked as soon as opened), so nothing is written elsewhere. */
	/* A big program's workbook streams its rows to the scratch files
	 * (constant memory: a nation's 3.3 million rows took 8 GB held in
	 * memory, 50,000 doctors 2.1 GB and 25 % more CPU than streamed) and
	 * may pass 4 GB inside the zip.  Streamed cells carry their strings
	 * inline, not shared: the same cells for Excel and for xlsxread.c,
	 * another file; a county's or a city's workbook stays as it was. */
	uint8_t big = pl->nassigned > VD_XLSX_STREAM_PAIRS ? LXW_TRUE : LXW_FALSE;
	lxw_workbook_options opt = { .constant_memory = big, .tmpdir = tmpdir, .use_zip64 = big };
	struct book b = { 0 };
	b.wb = workbook_new_opt(path, &opt);
	if (!b.wb) {
		vd_error(dg, path, 0, gettext("cannot write: %s"), lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED));
		free(tmpdir);
		free(path);
		return -1;
	}
	char *title = p->name ? p->name : p->id;
	lxw_doc_properties props = { .title = title, .author = p->contact,
	                             .comments = (char *)"vdsched " PACKAGE_VERSION,
	                             .created = created() };
	b.err = workbook_set_properties(b.wb, &props);
	b.head = workbook_add_format(b.wb);
	format_set_bold(b.head);
	b.date = workbook_add_format(b.wb);
	format_set_num_format(b.date, "yyyy-mm-dd");
	b.time = workbook_add_format(b.wb);
	format_set_num_format(b.time, "hh:mm");
	b.wrap = workbook_add_format(b.wb);
	format_set_text_wrap(b.wrap);

	schedule_sheet(&b, p, pl);
	sessions_sheet(&b, p, pl);
	cover_sheet(&b, p, pl);
	unsched_sheet(&b, p, pl);
	/* a re-plan that changes nothing leaves the workbook as it was */
	int with_changes = ch && ch->n > 0;
	if (with_changes)
		changes_sheet(&b, p, ch);
	char **used = xmalloc((p->nsites + 8) * sizeof *used);
	size_t nused = 0;
	for (enum fixed_sheet s = 0; s < NFIXED; s++)
		if (s != SHEET_CHANGES || with_changes)
			used[nused++] = xstrdup(fixed_name(s));
	for (size_t s = 0; s < p->nsites && !b.err; s++) {
		used[nused] = vd_xlsx_sheet_name(p->sites[s].name, p->sites[s].id, used, nused);
		site_sheet(&b, p, pl, s, used[nused]);
		nused++;
	}
	if (!b.err)
		completion_tally_sheet(&b, p, comp);
	if (!b.err)
		completion_rows_sheet(&b, p, pl, comp);
	for (size_t i = 0; i < nused; i++)
		free(used[i]);
	free(used);
	/* last, so the sheets before it keep their places */
	if (!b.err)
		signin_sheet(&b, p, pl, dg);

	/* Close even after an error, to free the workbook; then drop the file. */
	errno = 0;
	lxw_error ce = workbook_close(b.wb);
	for (size_t i = 0; i < b.nnames; i++)
		free(b.names[i]);
	free(b.names);
	int saved = errno;
	int rc = 0;
	if (b.err || ce) {
		lxw_error e = b.err ? b.err : ce;
		if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE ||
		    e == LXW_ERROR_ZIP_FILE_OPERATION || e == LXW_ERROR_ZIP_CLOSE ||
		    e == LXW_ERROR_ZIP_FILE_ADD)
			vd_error(dg, path, 0, gettext("cannot write: %s (%s)"), lxw_strerror(e),
			         strerror(saved ? saved : EIO));
		else
			vd_error(dg, path, 0, gettext("cannot write: %s"), lxw_strerror(e));
		unlink(path);
		rc = -1;
	} else {
		char *part = broken_part(path);
		if (part) {
			vd_error(dg, path, 0, gettext("cannot write: %s came out incomplete: the disk is full or the file size limit (ulimit -f) was reached"),
			         part);
			free(part);
			unlink(path);
			rc = -1;
		}
	}
	free(tmpdir);
	free(path);
	return rc;
}

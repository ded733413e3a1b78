/* attendance.c -- see attendance.h.  The rows come through the one table
 * reader (csvread.h), so a CSV in GBK, a file with Chinese headers and the
 * workbook vdsched wrote all read alike. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "attendance.h"
#include "csvread.h"
#include "state.h"
#include "xalloc.h"

#define FIELD_MAX 4096
#define RECORD_MAX (64 * 1024)

enum { A_DOCTOR, A_COHORT, A_COURSE, A_DATE, A_START, A_STATUS, NCOLS };

/* The columns, English then the Chinese headers of the 签到 sheet and of
 * an office's own sheet (attendance.h). */
static const struct vd_column att_cols[NCOLS] = {
	{ "doctor_id", VD_COLUMN_REQUIRED, { "医生编号", "村医编号" } },
	{ "cohort_id", VD_COLUMN_REQUIRED, { "班级", "班级编号", "班次" } },
	{ "course_id", VD_COLUMN_REQUIRED, { "课程", "课程编号" } },
	{ "date", VD_COLUMN_REQUIRED, { "日期", "培训日期" } },
	{ "start", VD_COLUMN_OPTIONAL, { "时间", "开始时间" } },
	{ "status", VD_COLUMN_REQUIRED, { "出勤", "出勤情况", "签到" } },
};

/* The words an office writes for each status (matched after trimming;
 * English ignoring case). */
static const struct { const char *word; enum vd_presence st; } status_words[] = {
	{ "present", VD_PRESENT }, { "到", VD_PRESENT }, { "√", VD_PRESENT }, { "✓", VD_PRESENT },
	{ "✔", VD_PRESENT }, { "出勤", VD_PRESENT }, { "已到", VD_PRESENT }, { "是", VD_PRESENT },
	{ "absent", VD_ABSENT }, { "缺", VD_ABSENT }, { "×", VD_ABSENT }, { "✗", VD_ABSENT },
	{ "✘", VD_ABSENT }, { "x", VD_ABSENT }, { "缺勤", VD_ABSENT }, { "未到", VD_ABSENT },
	{ "否", VD_ABSENT },
	{ "excused", VD_EXCUSED }, { "假", VD_EXCUSED }, { "请假", VD_EXCUSED },
};

/* Session times: -1 every session of the day; these two, the sessions
 * before noon or from noon on (the 场次 column of the 签到 sheet). */
enum { START_ALL = -1, START_MORNING = -2, START_AFTERNOON = -3 };

struct reader {
	const struct vd_program *p;
	struct vd_attendance *a;
	struct vd_table *t;
	const char *file;
	size_t cap;
	struct vd_hmap title_ix;     /* course title -> course */
};

/* Trims blanks (also U+3000) at both ends, into a new string. */
static char *trimmed(const char *s)
{
	size_t n = strlen(s);
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		else if (n >= 3 && !memcmp(s + n - 3, "\xe3\x80\x80", 3))
			n -= 3;
		else if (*s == ' ' || *s == '\t')
			s++, n--;
		else if (n >= 3 && !memcmp(s, "\xe3\x80\x80", 3))
			s += 3, n -= 3;
		else
			break;
	}
	return xstrndup(s, n);
}

/* A date as offices write it, or an Excel serial (a date column saved as
 * a number), or a date with a midnight time after it (Excel's "2026/3/2
 * 0:00").  0, or -1. */
static int parse_day(const char *s, vd_date *out)
{
	if (vd_date_parse(s, out) == 0)
		return 0;
	char *end;
	long n = strtol(s, &end, 10);
	if (end != s && *end == '\0' && n >= 36526 && n <= 73050) {   /* 2000 .. 2099 */
		*out = vd_date_from_ymd(1899, 12, 30) + (vd_date)n;
		return 0;
	}
	const char *sp = strchr(s, ' ');
	if (sp && (!strcmp(sp + 1, "0:00") || !strcmp(sp + 1, "00:00") || !strcmp(sp + 1, "0:00:00") ||
	           !strcmp(sp + 1, "00:00:00"))) {
		char *d = xstrndup(s, (size_t)(sp - s));
		int rc = vd_date_parse(d, out);
		free(d);
		return rc == 0 ? 0 : -1;
	}
	return -1;
}

/* "8:30", "08:30", "08:30:00", 上午, 下午, or empty.  0, or -1. */
static int parse_start(const char *s, int *out)
{
	if (!*s) {
		*out = START_ALL;
		return 0;
	}
	if (!strcmp(s, "上午")) {
		*out = START_MORNING;
		return 0;
	}
	if (!strcmp(s, "下午")) {
		*out = START_AFTERNOON;
		return 0;
	}
	unsigned h, m, sec = 0;
	int n = 0;
	if ((sscanf(s, "%2u:%2u%n", &h, &m, &n) == 2 && !s[n]) ||
	    (sscanf(s, "%2u:%2u:%2u%n", &h, &m, &sec, &n) == 3 && !s[n] && sec == 0)) {
		if (h < 24 && m < 60) {
			*out = (int)(h * 60 + m);
			return 0;
		}
	}
	return -1;
}

static int parse_status(const char *s, enum vd_presence *out)
{
	for (size_t i = 0; i < sizeof status_words / sizeof *status_words; i++)
		if (!strcasecmp(s, status_words[i].word)) {
			*out = status_words[i].st;
			return 0;
		}
	return -1;
}

/* Course by id or by its title. */
static size_t course_of(struct reader *r, const char *s)
{
	size_t c = vd_hmap_get(&r->p->course_ix, s);
	return c != VD_NONE ? c : vd_hmap_get(&r->title_ix, s);
}

#define ERR(r, line, ...) vd_table_error((r)->t, (line), __VA_ARGS__)

static void on_row(void *ctx, struct vd_table *t, const struct vd_record *rec)
{
	struct reader *r = ctx;
	const struct vd_program *p = r->p;
	(void)t;
	char *v[NCOLS];
	for (int k = 0; k < NCOLS; k++)
		v[k] = trimmed(rec->col[k]);
	struct vd_att_row row = { .file = r->file, .line = rec->line, .run = VD_NONE };
	int ok = 1;
	if (!*v[A_STATUS])
		goto done;   /* a template row left empty: attendance_default */
	if (parse_status(v[A_STATUS], &row.status)) {
		ERR(r, rec->line, _("status '%s' is not one vdsched knows; write 到 (or present, √), 缺 (absent, ×) or 假 (excused, 请假)"),
		    vd_table_excerpt(r->t, v[A_STATUS]));
		ok = 0;
	}
	row.doctor = vd_hmap_get(&p->doctor_ix, v[A_DOCTOR]);
	if (!*v[A_DOCTOR]) {
		ERR(r, rec->line, _("the row names no doctor; fill in doctor_id (医生编号) as the sign-in sheet shows it"));
		ok = 0;
	} else if (row.doctor == VD_NONE) {
		ERR(r, rec->line, _("doctor '%s' is not on the roster; check the id against doctors.csv (医生编号)"),
		    vd_table_excerpt(r->t, v[A_DOCTOR]));
		ok = 0;
	}
	row.course = course_of(r, v[A_COURSE]);
	if (row.course == VD_NONE) {
		ERR(r, rec->line, _("course '%s' is not one of the program's; write its id (%s) as the sign-in sheet shows it"),
		    vd_table_excerpt(r->t, v[A_COURSE]), p->ncourses ? vd_course_id(p, 0) : "tcm");
		ok = 0;
	}
	if (!*v[A_COHORT] || !vd_id_valid(v[A_COHORT])) {
		ERR(r, rec->line, _("cohort '%s' is not a cohort id; write it as the sign-in sheet shows it, e.g. C003"),
		    vd_table_excerpt(r->t, v[A_COHORT]));
		ok = 0;
	}
	if (parse_day(v[A_DATE], &row.date)) {
		ERR(r, rec->line, _("'%s' is not a date; write the session's date as %s"),
		    vd_table_excerpt(r->t, v[A_DATE]), _(VD_DATE_FORMS));
		ok = 0;
	}
	if (parse_start(v[A_START], &row.start)) {
		ERR(r, rec->line, _("time '%s' is not a session time; write it as HH:MM (e.g. 08:30), 上午 or 下午, or leave it empty for every session of the day"),
		    vd_table_excerpt(r->t, v[A_START]));
		ok = 0;
	}
	if (ok) {
		struct vd_attendance *a = r->a;
		xgrow(&a->rows, &r->cap, a->n + 1, sizeof *a->rows);
		row.cohort = xstrdup(v[A_COHORT]);
		a->rows[a->n++] = row;
	}
done:
	for (int k = 0; k < NCOLS; k++)
		free(v[k]);
}

static unsigned read_file(struct reader *r, const char *path, struct vd_diag *dg)
{
	struct vd_table_opts opts = {
		.encoding = r->p->encoding, .cols = att_cols, .ncols = NCOLS,
		.origin = VD_TABLE_FROM_PERSON, .field_max = FIELD_MAX, .record_max = RECORD_MAX,
		.sheet = "签到",   /* plan.xlsx's sign-in sheet, filled in */
	};
	r->file = path;
	r->t = vd_table_new();
	if (vd_table_read(r->t, path, &opts, dg, on_row, r) != 0 && !vd_table_errors(r->t))
		ERR(r, 0, _("cannot open: %s"), strerror(errno));
	else if (!vd_table_errors(r->t) && vd_table_records(r->t) == 0)
		ERR(r, 0, _("the file is empty; it needs a header line (doctor_id,cohort_id,course_id,date,start,status) and one line per doctor and session, as attendance-template.csv has them"));
	unsigned e = vd_table_errors(r->t);
	vd_table_free(r->t);
	r->t = NULL;
	return e;
}

unsigned vd_attendance_read(const struct vd_program *p, struct vd_attendance *a, struct vd_diag *dg)
{
	struct reader r = { .p = p, .a = a };
	memset(a, 0, sizeof *a);
	a->dflt = p->attendance_default == VD_ATT_DEFAULT_ABSENT ? VD_ABSENT : VD_PRESENT;
	vd_hmap_init(&r.title_ix);
	for (size_t c = 0; c < p->ncourses; c++)
		if (p->courses[c].def && p->courses[c].def->title)
			vd_hmap_put(&r.title_ix, p->courses[c].def->title, c);
	/* the rows borrow the file names: all of them first */
	for (size_t i = 0; i < p->attendance.n; i++)
		vd_strv_push(&a->files, p->attendance.v[i]);
	unsigned errors = 0;
	for (size_t i = 0; i < a->files.n; i++)
		errors += read_file(&r, a->files.v[i], dg);
	vd_hmap_free(&r.title_ix);
	return errors;
}

/* ---- against the plan the sign-in sheets came from ---- */

/* Does session s of course c (start st) match a row's start? */
static int start_matches(int row_start, unsigned st)
{
	return row_start == START_ALL || row_start == (int)st ||
	       (row_start == START_MORNING && st < 720) || (row_start == START_AFTERNOON && st >= 720);
}

/* The previous plan's members and missed members, "doctor course cohort". */
static void member_keys(const struct vd_prev *pv, struct vd_hmap *ix, struct vd_strv *keys)
{
	vd_hmap_init(ix);
	for (int pass = 0; pass < 2; pass++) {
		const struct vd_prev_member *v = pass ? pv->missed : pv->members;
		size_t n = pass ? pv->nmissed : pv->nmembers;
		for (size_t m = 0; m < n; m++) {
			char *k = xasprintf("%s %s %s", v[m].doctor, v[m].course, v[m].cohort);
			vd_strv_push(keys, k);
			free(k);
		}
	}
	for (size_t i = 0; i < keys->n; i++)
		vd_hmap_put(ix, keys->v[i], i);
}

/* Checks one row against run ri of pv; 0 or -1 after reporting. */
static int match_row(const struct vd_program *p, const struct vd_prev *pv, vd_date freeze,
                     const struct vd_hmap *mix, struct vd_att_row *row, struct vd_diag *dg)
{
	const char *cid = vd_course_id(p, row->course);
	const char *did = p->doctors[row->doctor].id;
	char a[11], b[11];
	size_t ri = vd_prev_run_of(pv, cid, row->cohort);
	if (ri == VD_NONE || !pv->runs[ri].ndates) {
		vd_error(dg, row->file, row->line, _("cohort %s has no %s run in the plan in %s; check the cohort against the sign-in sheet (print/index.html lists the runs)"),
		         row->cohort, cid, pv->dir);
		return -1;
	}
	char *k = xasprintf("%s %s %s", did, cid, row->cohort);
	size_t m = vd_hmap_get(mix, k);
	free(k);
	if (m == VD_NONE) {
		vd_error(dg, row->file, row->line, _("doctor %s is not in cohort %s's %s run; check the doctor id or the cohort against the sign-in sheet"),
		         did, row->cohort, cid);
		return -1;
	}
	const struct vd_prev_run *pr = &pv->runs[ri];
	const struct vds_course *def = p->courses[row->course].def;
	int day = 0, time_ok = 0;
	for (size_t s = 0; s < def->nsessions; s++) {
		unsigned d = def->sessions[s].day;
		if (pr->cut && d >= pr->cut)
			continue;   /* cancelled: it never took place */
		if (d < pr->ndates && pr->dates[d] == row->date) {
			day = 1;
			time_ok |= start_matches(row->start, def->sessions[s].start);
		}
	}
	if (!day) {
		vd_error(dg, row->file, row->line, _("%s is not a day of cohort %s's %s run (%s to %s); check the date against the sign-in sheet"),
		         vd_date_format(row->date, a), row->cohort, cid,
		         vd_date_format(pr->dates[0], b), vd_date_format(pr->dates[pr->ndates - 1], (char[11]){ 0 }));
		return -1;
	}
	if (!time_ok) {
		vd_error(dg, row->file, row->line, _("cohort %s's %s run has no session at that time on %s; write the session's start (as the sign-in sheet shows it), 上午, 下午, or leave the time empty"),
		         row->cohort, cid, vd_date_format(row->date, a));
		return -1;
	}
	if (row->date >= freeze) {
		vd_error(dg, row->file, row->line, _("the session on %s is on or after --freeze-before %s: it has not happened yet; remove the row, or re-plan with a later --freeze-before"),
		         vd_date_format(row->date, a), vd_date_format(freeze, b));
		return -1;
	}
	row->run = ri;
	return 0;
}

/* Orders rows by course, cohort, doctor, date, then file order. */
static int cmp_key(const struct vd_att_row *x, size_t c, const char *cohort, size_t d, vd_date date)
{
	if (x->course != c) return x->course < c ? -1 : 1;
	int k = strcmp(x->cohort, cohort);
	if (k) return k;
	if (x->doctor != d) return x->doctor < d ? -1 : 1;
	return (x->date > date) - (x->date < date);
}

static int cmp_order(const void *a, const void *b, void *ctx)
{
	const struct vd_attendance *at = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct vd_att_row *y = &at->rows[j];
	int k = cmp_key(&at->rows[i], y->course, y->cohort, y->doctor, y->date);
	return k ? k : (i > j) - (i < j);
}

enum vd_presence vd_attendance_of(const struct vd_attendance *a, size_t c, const char *cohort,
                                  size_t x, vd_date date, unsigned start)
{
	enum vd_presence st = a ? a->dflt : VD_PRESENT;
	if (!a || !a->order)
		return st;
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_key(&a->rows[a->order[mid]], c, cohort, x, date) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->n; lo++) {
		const struct vd_att_row *r = &a->rows[a->order[lo]];
		if (cmp_key(r, c, cohort, x, date))
			break;
		if (start_matches(r->start, start))
			st = r->status;
	}
	return st;
}

unsigned vd_attendance_match(const struct vd_program *p, const struct vd_prev *pv, vd_date freeze,
                             struct vd_attendance *a, struct vd_diag *dg)
{
	if (!a->n)
		return 0;
	if (!freeze) {
		vd_error(dg, a->rows[0].file, a->rows[0].line, _("attendance is read by a re-plan that says which sessions have happened: plan --previous %s --freeze-before DATE (the first day that may still change)"),
		         pv->dir);
		return 1;
	}
	struct vd_hmap mix;
	struct vd_strv keys = { 0 };
	member_keys(pv, &mix, &keys);
	unsigned errors = 0;
	for (size_t i = 0; i < a->n; i++)
		errors += match_row(p, pv, freeze, &mix, &a->rows[i], dg) != 0;
	a->order = xmalloc((a->n + 1) * sizeof *a->order);
	for (size_t i = 0; i < a->n; i++)
		a->order[i] = i;
	qsort_r(a->order, a->n, sizeof *a->order, cmp_order, a);
	vd_hmap_free(&mix);
	vd_strv_free(&keys);
	return errors;
}

void vd_attendance_free(struct vd_attendance *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->rows[i].cohort);
	free(a->rows);
	free(a->order);
	vd_strv_free(&a->files);
	memset(a, 0, sizeof *a);
}

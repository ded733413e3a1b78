/* roster.c -- clinics.csv and doctors.csv, see roster.h.
 *
 * csvread.c reads the files (encoding, quoting, limits, the header and its
 * Chinese aliases); this file turns each record into a clinic or a doctor
 * and checks its values.
 *
 * Rows with errors still add their clinic or doctor when its id is valid and
 * new, so one mistake does not cascade into "unknown clinic_id" on every
 * doctor of that clinic; the caller must not plan when -1 is returned. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"
#include "roster.h"
#include "words.h"
#include "xalloc.h"

#define FIELD_MAX 4096
#define RECORD_MAX (64 * 1024)
#define SUGGEST_MAX 10000    /* no "did you mean" above this many candidates */
#define NCOLS 6

enum { C_ID, C_NAME, C_TOWNSHIP, C_LAT, C_LON, C_MIN };
enum { D_ID, D_NAME, D_CLINIC, D_PHONE, D_COMPLETED, D_UNAVAIL, D_LAST_TRAINED, NDOCTOR_COLS };

/* The columns each file reads: the English name, then the Chinese headers
 * county offices use for it (the one alias table; vdsched.ini(5) lists
 * every alias).  Headers match after trimming blanks (also U+3000) and a
 * BOM; English ones ignore case. */
static const struct vd_column clinic_cols[NCOLS] = {
	{ "clinic_id", VD_COLUMN_REQUIRED, { "卫生室编号", "村卫生室编号" } },
	{ "name", VD_COLUMN_REQUIRED, { "卫生室名称", "村卫生室名称", "名称" } },
	{ "township", VD_COLUMN_REQUIRED, { "乡镇", "所属乡镇" } },
	{ "lat", VD_COLUMN_REQUIRED, { "纬度" } },
	{ "lon", VD_COLUMN_REQUIRED, { "经度" } },
	{ "min_on_duty", VD_COLUMN_OPTIONAL, { "最少在岗", "最少在岗人数" } },
};
static const struct vd_column doctor_cols[NDOCTOR_COLS] = {
	{ "doctor_id", VD_COLUMN_REQUIRED, { "医生编号", "村医编号" } },
	{ "name", VD_COLUMN_REQUIRED, { "姓名", "医生姓名", "村医姓名" } },
	{ "clinic_id", VD_COLUMN_REQUIRED, { "卫生室编号", "村卫生室编号" } },
	{ "phone", VD_COLUMN_OPTIONAL, { "电话", "手机", "联系电话", "手机号" } },
	{ "completed", VD_COLUMN_OPTIONAL, { "已完成", "已完成课程" } },
	{ "unavailable", VD_COLUMN_OPTIONAL, { "不可参加日期", "不可参加" } },
	{ "last_trained", VD_COLUMN_OPTIONAL, { "最近培训日期", "上次培训日期" } },
};

/* One file being read: what its rows go into. */
struct roster_reader {
	struct vd_program *p;
	struct vd_table *t;
	enum { READING_CLINICS, READING_DOCTORS } what;
	const struct vd_record *rec;   /* the row being checked */
	const char *clinics_name;   /* base name of the clinics file */
	int clinics_ok;             /* doctors: clinic ids can be checked */

	/* townships */
	struct vd_hmap tname_ix;    /* township name -> index */
	int implicit;               /* the program declared no townships */
	size_t township_cap, clinic_cap, doctor_cap;
	size_t last_clinic;         /* clinic of the previous doctor */
};

#define ERR(r, line, ...) vd_table_error((r)->t, (line), __VA_ARGS__)
#define WARN(r, line, ...) vd_table_warning((r)->t, (line), __VA_ARGS__)

/* A value for a message (csvread.h). */
static const char *excerpt(struct roster_reader *r, const char *s)
{
	return vd_table_excerpt(r->t, s);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- values ---- */

/* The value of column k in the row being checked. */
static const char *cell(struct roster_reader *r, int k)
{
	return r->rec->col[k];
}

/* Does s look like a number Excel showed in scientific notation
 * (1.39E+10, 1.38001E+10, 1E+11)?  Excel does this to long digit strings
 * in a General column, and the digits are lost. */
static int excel_shortened(const char *s)
{
	const char *t = s;
	if (*t < '0' || *t > '9')
		return 0;
	while (*t >= '0' && *t <= '9')
		t++;
	if (*t == '.') {
		t++;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	if (*t != 'E' && *t != 'e')
		return 0;
	t++;
	if (*t == '+')
		t++;
	if (*t < '0' || *t > '9')
		return 0;
	while (*t >= '0' && *t <= '9')
		t++;
	return !*t;
}

static int non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static int check_id(struct roster_reader *r, const char *col, const char *id, const char *what)
{
	if (!*id) {
		ERR(r, r->rec->line, _("%s is empty; every %s needs an id"), col, what);
		return 0;
	}
	if (excel_shortened(id)) {
		ERR(r, r->rec->line, _("%s '%s' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it"),
		    col, excerpt(r, id));
		return 0;
	}
	if (!vd_id_valid(id) && non_ascii(id)) {
		ERR(r, r->rec->line, _("%s '%s' must be letters, digits, '_', '.' or '-' (it becomes a file name); use an id such as %s and put the Chinese name in the name column"),
		    col, excerpt(r, id), r->what == READING_DOCTORS ? "d001" : "c001");
		return 0;
	}
	if (!vd_id_valid(id)) {
		ERR(r, r->rec->line, _("%s '%s' is not a valid id; use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit (ids become file names)"),
		    col, excerpt(r, id));
		return 0;
	}
	return 1;
}

static void check_name(struct roster_reader *r, const char *name, const char *what)
{
	if (!*name)
		ERR(r, r->rec->line, _("name is empty; give the %s's name"), what);
}

static int parse_num(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int coord(struct roster_reader *r, int k, double *out)
{
	const char *col = k == C_LAT ? "lat" : "lon";
	const char *eg = k == C_LAT ? "23.736" : "106.915";
	double lim = k == C_LAT ? 90 : 180;
	const char *s = cell(r, k);
	if (!*s) {
		ERR(r, r->rec->line, _("%s is empty; give the clinic's %s in decimal degrees, e.g. %s"),
		    col, k == C_LAT ? _("latitude") : _("longitude"), eg);
		return -1;
	}
	if (parse_num(s, out)) {
		ERR(r, r->rec->line, _("%s '%s' is not a number; use decimal degrees like %s"),
		    col, excerpt(r, s), eg);
		return -1;
	}
	if (*out < -lim || *out > lim) {
		ERR(r, r->rec->line, _("%s '%s' is out of range; use decimal degrees between %g and %g"),
		    col, excerpt(r, s), -lim, lim);
		return -1;
	}
	return 0;
}

static void add_township_name_ix(struct roster_reader *r)
{
	struct vd_program *p = r->p;
	vd_hmap_init(&r->tname_ix);
	for (size_t i = 0; i < p->ntownships; i++)
		if (p->townships[i].name)
			vd_hmap_put(&r->tname_ix, p->townships[i].name, i);
}

static size_t find_township(struct roster_reader *r, const char *s)
{
	struct vd_program *p = r->p;
	size_t i = vd_hmap_get(&p->township_ix, s);
	if (i != VD_NONE)
		return i;
	if ((i = vd_hmap_get(&r->tname_ix, s)) != VD_NONE)
		return i;
	size_t n = strlen(s);
	if (n <= 64) {
		char low[65];
		int changed = 0;
		for (size_t k = 0; k <= n; k++) {
			low[k] = s[k];
			if (s[k] >= 'A' && s[k] <= 'Z') {
				low[k] = (char)(s[k] - 'A' + 'a');
				changed = 1;
			}
		}
		if (changed)
			return vd_hmap_get(&p->township_ix, low);
	}
	return VD_NONE;
}

static size_t township_of(struct roster_reader *r, const char *s)
{
	struct vd_program *p = r->p;
	if (!*s) {
		ERR(r, r->rec->line, _("township is empty; give the clinic's township (its id or name)"));
		return VD_NONE;
	}
	if (r->implicit) {
		size_t i = vd_hmap_get(&p->township_ix, s);
		if (i != VD_NONE)
			return i;
		xgrow(&p->townships, &r->township_cap, p->ntownships + 1, sizeof *p->townships);
		struct vd_township *t = &p->townships[p->ntownships];
		t->id = xstrdup(s);
		t->name = xstrdup(s);
		t->cover = p->default_cover;
		t->line = 0;
		vd_hmap_put(&p->township_ix, t->id, p->ntownships);
		return p->ntownships++;
	}
	size_t i = find_township(r, s);
	if (i != VD_NONE)
		return i;
	struct vd_near g;
	vd_near_init(&g, s);
	if (p->ntownships * 2 <= SUGGEST_MAX) {
		for (size_t k = 0; k < p->ntownships; k++) {
			vd_near_try(&g, p->townships[k].id);
			vd_near_try(&g, p->townships[k].name);
		}
	}
	if (g.pick)
		ERR(r, r->rec->line, _("township '%s' is not in the program file; use the id or name of a [township ...] section (did you mean '%s'?)"),
		    excerpt(r, s), excerpt(r, g.pick));
	else
		ERR(r, r->rec->line, _("township '%s' is not in the program file; use the id or name of a [township ...] section, or add [township ID] with name = %s"),
		    excerpt(r, s), excerpt(r, s));
	return VD_NONE;
}

/* ---- clinics ---- */

static void clinic_row(struct roster_reader *r)
{
	struct vd_program *p = r->p;
	const char *id = cell(r, C_ID);
	int id_ok = check_id(r, "clinic_id", id, _("clinic"));
	check_name(r, cell(r, C_NAME), _("clinic"));
	size_t tw = township_of(r, cell(r, C_TOWNSHIP));
	double lat = 0, lon = 0;
	coord(r, C_LAT, &lat);
	coord(r, C_LON, &lon);
	long min = 1;
	const char *m = cell(r, C_MIN);
	if (*m) {
		char *end;
		errno = 0;
		min = strtol(m, &end, 10);
		if (end == m || *end || errno || min < 0 || min > 10000) {
			ERR(r, r->rec->line, _("min_on_duty '%s' is not a whole number from 0 to 10000; use e.g. 1 (empty means 1)"),
			    excerpt(r, m));
			min = 1;
		}
	}
	if (!id_ok || vd_table_stopped(r->t))
		return;
	xgrow(&p->clinics, &r->clinic_cap, p->nclinics + 1, sizeof *p->clinics);
	struct vd_clinic *c = &p->clinics[p->nclinics];
	memset(c, 0, sizeof *c);
	c->id = xstrdup(id);
	size_t first = vd_hmap_put(&p->clinic_ix, c->id, p->nclinics);
	if (first != VD_NONE) {
		ERR(r, r->rec->line, _("duplicate clinic_id '%s' (first on line %d); each clinic needs a unique id"),
		    excerpt(r, id), p->clinics[first].line);
		free(c->id);
		c->id = NULL;
		return;
	}
	c->name = xstrdup(cell(r, C_NAME));
	c->township = tw;
	c->township_id = xstrdup(tw != VD_NONE ? p->townships[tw].id : cell(r, C_TOWNSHIP));
	c->lat = lat;
	c->lon = lon;
	c->min_on_duty = (int)min;
	c->line = r->rec->line;
	c->ndoctors = 0;
	p->nclinics++;
}

/* ---- doctors ---- */

static void parse_completed(struct roster_reader *r, struct vd_doctor *d, const char *s)
{
	const char *w;
	size_t n;
	while ((w = vd_list_next(&s, &n))) {
		char *id = xstrndup(w, n);
		if (!vd_id_valid(id))
			ERR(r, r->rec->line, _("completed: '%s' is not a course id; list course ids such as tcm or dental, separated by spaces or commas"),
			    excerpt(r, id));
		else if (d && !vd_strv_has(&d->completed, id))
			vd_strv_push(&d->completed, id);
		free(id);
	}
}

static void parse_unavailable(struct roster_reader *r, struct vd_doctor *d, const char *s)
{
	const char *w;
	size_t n;
	size_t cap = 0;
	while ((w = vd_list_next(&s, &n))) {
		char *t = xstrndup(w, n);
		struct vd_range rg;
		int rc = vd_range_parse(t, &rg);
		if (rc == -2)
			ERR(r, r->rec->line, _("unavailable: range '%s' ends before it starts; write the earlier date first"),
			    excerpt(r, t));
		else if (rc == -3)
			ERR(r, r->rec->line, _("unavailable: '%s' is not a real date; check the month and the day"),
			    excerpt(r, t));
		else if (rc)
			ERR(r, r->rec->line, _("unavailable: '%s' is not a date; write a date as %s, a range as %s, separated by spaces, commas or 、"),
			    excerpt(r, t), _(VD_DATE_FORMS), _(VD_RANGE_FORMS));
		else if (d) {
			xgrow(&d->unavail, &cap, d->nunavail + 1, sizeof *d->unavail);
			d->unavail[d->nunavail++] = rg;
		}
		free(t);
	}
}

/* last_trained: the two-year rule's deadline (empty: none known); one
 * already past at the start is lapsed, which the office should hear of. */
static void parse_last_trained(struct roster_reader *r, struct vd_doctor *d, const char *s)
{
	vd_date t;
	int rc = *s ? vd_date_parse(s, &t) : 1;
	char a[11];
	if (rc == -3)
		ERR(r, r->rec->line, _("last_trained: '%s' is not a real date; check the month and the day"),
		    excerpt(r, s));
	else if (rc < 0)
		ERR(r, r->rec->line, _("last_trained: '%s' is not a date; write the day the doctor was last trained as %s, or leave it empty"),
		    excerpt(r, s), _(VD_DATE_FORMS));
	if (rc || !d)
		return;
	d->deadline = vd_date_add_years(t, r->p->retrain_years);
	if (d->deadline <= r->p->start)
		WARN(r, r->rec->line, _("doctor %s, last trained %s, was due for training by %s, before the program starts; the plan trains him as early as it can"),
		     d->id, excerpt(r, s), vd_date_format(d->deadline, a));
}

static void doctor_row(struct roster_reader *r)
{
	struct vd_program *p = r->p;
	const char *id = cell(r, D_ID);
	int id_ok = check_id(r, "doctor_id", id, _("doctor"));
	check_name(r, cell(r, D_NAME), _("doctor"));
	const char *cid = cell(r, D_CLINIC);
	size_t ci = VD_NONE;
	if (!*cid) {
		ERR(r, r->rec->line, _("clinic_id is empty; give the id of the doctor's clinic from %s"),
		    r->clinics_name);
	} else if (excel_shortened(cid)) {
		ERR(r, r->rec->line, _("%s '%s' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it"),
		    "clinic_id", excerpt(r, cid));
	} else if (r->last_clinic != VD_NONE && !strcmp(p->clinics[r->last_clinic].id, cid)) {
		ci = r->last_clinic;   /* rosters usually list a clinic's doctors together */
	} else if (r->clinics_ok && (ci = vd_hmap_get(&p->clinic_ix, cid)) == VD_NONE) {
		struct vd_near g;
		vd_near_init(&g, cid);
		if (p->nclinics <= SUGGEST_MAX)
			for (size_t k = 0; k < p->nclinics; k++)
				vd_near_try(&g, p->clinics[k].id);
		if (g.pick)
			ERR(r, r->rec->line, _("unknown clinic_id '%s'; it is not in %s (did you mean '%s'?)"),
			    excerpt(r, cid), r->clinics_name, excerpt(r, g.pick));
		else
			ERR(r, r->rec->line, _("unknown clinic_id '%s'; it is not in %s"),
			    excerpt(r, cid), r->clinics_name);
	}

	struct vd_doctor *d = NULL;
	if (id_ok && !vd_table_stopped(r->t)) {
		xgrow(&p->doctors, &r->doctor_cap, p->ndoctors + 1, sizeof *p->doctors);
		d = &p->doctors[p->ndoctors];
		memset(d, 0, sizeof *d);
		d->id = xstrdup(id);
		size_t first = vd_hmap_put(&p->doctor_ix, d->id, p->ndoctors);
		if (first != VD_NONE) {
			ERR(r, r->rec->line, _("duplicate doctor_id '%s' (first on line %d); each doctor needs a unique id"),
			    excerpt(r, id), p->doctors[first].line);
			free(d->id);
			d = NULL;
		}
	}
	parse_completed(r, d, cell(r, D_COMPLETED));
	parse_unavailable(r, d, cell(r, D_UNAVAIL));
	parse_last_trained(r, d, cell(r, D_LAST_TRAINED));
	if (!d)
		return;
	d->name = xstrdup(cell(r, D_NAME));
	d->clinic_id = xstrdup(cid);
	d->phone = xstrdup(cell(r, D_PHONE));
	if (excel_shortened(d->phone))
		WARN(r, r->rec->line, _("phone '%s' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it"),
		     excerpt(r, d->phone));
	d->line = r->rec->line;
	d->clinic = ci;
	if (ci != VD_NONE) {
		p->clinics[ci].ndoctors++;
		r->last_clinic = ci;
	}
	p->ndoctors++;
}

/* ---- files ---- */

static void on_row(void *ctx, struct vd_table *t, const struct vd_record *rec)
{
	struct roster_reader *r = ctx;
	(void)t;
	r->rec = rec;
	if (r->what == READING_DOCTORS)
		doctor_row(r);
	else
		clinic_row(r);
	r->rec = NULL;
}

/* Reads one file into r->t (which the caller frees).  Returns -1 if it
 * could not be opened or read. */
static int load(struct roster_reader *r, const char *path, struct vd_diag *dg)
{
	int doctors = r->what == READING_DOCTORS;
	struct vd_table_opts opts = {
		.encoding = r->p->encoding, .cols = doctors ? doctor_cols : clinic_cols,
		.ncols = doctors ? NDOCTOR_COLS : NCOLS, .origin = VD_TABLE_FROM_PERSON,
		.field_max = FIELD_MAX, .record_max = RECORD_MAX,
	};
	struct vd_table *t = r->t = vd_table_new();
	if (vd_table_read(t, path, &opts, dg, on_row, r) != 0) {
		if (!vd_table_errors(t))   /* not opened; a read error is reported */
			ERR(r, 0, _("cannot open: %s"), strerror(errno));
		return -1;
	}
	if (vd_table_stopped(t) || vd_table_unusable(t))
		return 0;
	if (vd_table_records(t) == 0 || vd_table_rows(t) == 0)
		vd_table_set_unusable(t);
	if (vd_table_records(t) == 0)
		ERR(r, 0, doctors
		    ? _("the file is empty; it needs a header line (doctor_id,name,clinic_id,phone,completed,unavailable) and one line per doctor")
		    : _("the file is empty; it needs a header line (clinic_id,name,township,lat,lon,min_on_duty) and one line per clinic"));
	else if (vd_table_rows(t) == 0)
		ERR(r, 0, doctors ? _("no doctors; add one line per doctor below the header")
		                  : _("no clinics; add one line per clinic below the header"));
	return 0;
}

int vd_roster_load(struct vd_program *p, struct vd_diag *dg)
{
	struct roster_reader r;
	if (!p->clinics_path || !p->doctors_path) {
		vd_error(dg, p->path, 0, _("the program names no clinics or doctors file; set clinics = and doctors = in [program]"));
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.p = p;
	r.what = READING_CLINICS;
	r.implicit = p->ntownships == 0;
	r.township_cap = p->ntownships;
	r.clinic_cap = p->nclinics;
	add_township_name_ix(&r);
	int open_failed = load(&r, p->clinics_path, dg) != 0;
	vd_hmap_free(&r.tname_ix);
	unsigned errors = vd_table_errors(r.t);
	int clinics_ok = !vd_table_unusable(r.t) && !vd_table_stopped(r.t);
	vd_table_free(r.t);
	if (open_failed)
		return -1;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.what = READING_DOCTORS;
	r.clinics_name = base_name(p->clinics_path);
	r.clinics_ok = clinics_ok;
	r.last_clinic = VD_NONE;
	r.doctor_cap = p->ndoctors;
	load(&r, p->doctors_path, dg);
	errors += vd_table_errors(r.t);
	vd_table_free(r.t);
	return errors ? -1 : 0;
}

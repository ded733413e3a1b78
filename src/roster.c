/* roster.c -- clinics.csv and doctors.csv, see roster.h.
 *
 * Pipeline per file, one 64 KiB chunk at a time:
 *   read -> (first chunk: BOM / UTF-16 / workbook checks) -> CR and CRLF
 *   become LF -> NUL check -> strict UTF-8 check, or GBK -> UTF-8 with
 *   iconv -> libcsv.
 * The text is handed to csv_parse one physical line at a time, so every
 * callback knows the line it is on; a record's first line is that line
 * minus the newlines inside its first field.
 *
 * Limits keep hostile input cheap: a field is at most FIELD_MAX bytes and a
 * record at most RECORD_MAX bytes; past that the record is reported once and
 * the rest of it is skipped by a quote-aware scan without libcsv buffering
 * it.  A file stops being read after MAX_MSGS messages.
 *
 * Rows with errors still add their clinic or doctor when its id is valid and
 * new, so one mistake does not cascade into "unknown clinic_id" on every
 * doctor of that clinic; the caller must not plan when -1 is returned. */
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include "roster.h"
#include "utf8.h"
#include "words.h"
#include "xalloc.h"

#define CHUNK (64 * 1024)
#define FIELD_MAX 4096
#define RECORD_MAX (64 * 1024)
#define MAX_MSGS 50
#define SUGGEST_MAX 10000    /* no "did you mean" above this many candidates */
#define SHOW_MAX 48          /* bytes of a value quoted in a message */
#define NCOLS 6
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
/* libcsv's parser states (libcsv.c); struct csv_parser is public. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

enum { C_ID, C_NAME, C_TOWNSHIP, C_LAT, C_LON, C_MIN };
enum { D_ID, D_NAME, D_CLINIC, D_PHONE, D_COMPLETED, D_UNAVAIL };

/* The columns each file reads: the English name, then the Chinese headers
 * county offices use for it (the one alias table; vdsched.ini(5) lists
 * every alias).  Headers match after trimming blanks (also U+3000) and a
 * BOM; English ones ignore case. */
#define NALIAS 4
struct colspec { const char *name; int required; const char *alias[NALIAS + 1]; };

static const struct colspec clinic_cols[NCOLS] = {
	{ "clinic_id", 1, { "卫生室编号", "村卫生室编号" } },
	{ "name", 1, { "卫生室名称", "村卫生室名称", "名称" } },
	{ "township", 1, { "乡镇", "所属乡镇" } },
	{ "lat", 1, { "纬度" } },
	{ "lon", 1, { "经度" } },
	{ "min_on_duty", 0, { "最少在岗", "最少在岗人数" } },
};
static const struct colspec doctor_cols[NCOLS] = {
	{ "doctor_id", 1, { "医生编号", "村医编号" } },
	{ "name", 1, { "姓名", "医生姓名", "村医姓名" } },
	{ "clinic_id", 1, { "卫生室编号", "村卫生室编号" } },
	{ "phone", 0, { "电话", "手机", "联系电话", "手机号" } },
	{ "completed", 0, { "已完成", "已完成课程" } },
	{ "unavailable", 0, { "不可参加日期", "不可参加" } },
};

static int col_matches(const struct colspec *c, const char *h)
{
	if (!strcasecmp(h, c->name))
		return 1;
	for (const char *const *a = c->alias; *a; a++)
		if (!strcmp(h, *a))
			return 1;
	return 0;
}

struct rd {
	struct vd_program *p;
	struct vd_diag *dg;
	const char *path;
	int doctors;                /* 0: clinics.csv, 1: doctors.csv */
	const struct colspec *cols;
	const char *clinics_name;   /* base name of the clinics file */
	int clinics_ok;             /* doctors: clinic ids can be checked */

	struct csv_parser csv;
	int line;                   /* physical line being fed, 1-based */
	unsigned nmsgs;
	unsigned nerrors;
	int stop;                   /* stop reading this file */
	int fatal;                  /* the file as a whole is unusable */
	size_t nrecords, nrows;

	int have_header;
	long pos[NCOLS];            /* file column of each of ours, or -1 */
	char **hdr;                 /* header names as written */
	size_t nhdr, hdr_cap;

	/* the record being read */
	size_t fidx;
	int rec_line;
	size_t rec_bytes;
	int rec_nonempty;
	int rec_bad;                /* reported as too long or malformed */
	char *arena;                /* our columns' values, NUL-terminated */
	size_t arena_len;
	long val[NCOLS];            /* offsets into arena, or -1 */

	/* skipping the rest of a bad record */
	int skipping, skip_q, skip_raw;

	/* townships */
	struct vd_hmap tname_ix;    /* township name -> index */
	int implicit;               /* the program declared no townships */
	size_t township_cap, clinic_cap, doctor_cap;
	size_t last_clinic;         /* clinic of the previous doctor */

	char show[4][SHOW_MAX + 8];
	unsigned showi;
};

/* ---- messages ---- */

static void msg(struct rd *r, int warn, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void msg(struct rd *r, int warn, int line, const char *fmt, ...)
{
	if (r->stop)
		return;
	if (r->nmsgs >= MAX_MSGS) {
		vd_error(r->dg, r->path, 0, _("too many errors; stopping after %d"), MAX_MSGS);
		r->nerrors++;
		r->stop = 1;
		return;
	}
	r->nmsgs++;
	char buf[1024], *text = buf;
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (len < 0) {
		snprintf(buf, sizeof buf, "%s", fmt);
	} else if ((size_t)len >= sizeof buf) {
		text = xmalloc((size_t)len + 1);
		va_start(ap, fmt);
		vsnprintf(text, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	if (warn) {
		vd_warning(r->dg, r->path, line, "%s", text);
	} else {
		vd_error(r->dg, r->path, line, "%s", text);
		r->nerrors++;
	}
	if (text != buf)
		free(text);
}

#define ERR(r, line, ...) msg((r), 0, (line), __VA_ARGS__)
#define WARN(r, line, ...) msg((r), 1, (line), __VA_ARGS__)

/* A value for a message: at most SHOW_MAX bytes, cut at a character
 * boundary, newlines shown as spaces.  Four rotating buffers. */
static const char *show(struct rd *r, const char *s, size_t n)
{
	char *b = r->show[r->showi++ % 4];
	size_t k = n;
	if (k > SHOW_MAX) {
		k = SHOW_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	for (size_t i = 0; i < k; i++)
		b[i] = (s[i] == '\n' || s[i] == '\t') ? ' ' : s[i];
	if (k < n)
		memcpy(b + k, "...", 4);
	else
		b[k] = '\0';
	return b;
}

static const char *S(struct rd *r, const char *s)
{
	return show(r, s, strlen(s));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static size_t count_nl(const void *s, size_t n)
{
	size_t k = 0;
	const char *p = s, *e = p + n;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		k++;
		p++;
	}
	return k;
}

/* ---- parser plumbing ---- */

static void parser_init(struct rd *r)
{
	csv_init(&r->csv, CSV_OPTS);
	csv_set_blk_size(&r->csv, 1024);
}

static void rec_reset(struct rd *r)
{
	r->fidx = 0;
	r->rec_line = 0;
	r->rec_bytes = 0;
	r->rec_nonempty = 0;
	r->rec_bad = 0;
	r->arena_len = 0;
	for (int k = 0; k < NCOLS; k++)
		r->val[k] = -1;
}

/* The line the current record started on, while it is being read. */
static int rec_start(struct rd *r)
{
	if (r->fidx > 0)
		return r->rec_line;
	return r->line - (int)count_nl(r->csv.entry_buf, r->csv.entry_pos);
}

static const char *col_name(struct rd *r, size_t f)
{
	return f < r->nhdr ? r->hdr[f] : NULL;
}

static void too_long_field(struct rd *r, size_t f, int line)
{
	const char *c = r->have_header ? col_name(r, f) : NULL;
	r->rec_line = line;
	r->rec_bad = 1;
	if (c)
		ERR(r, line, _("the value in column '%s' is longer than %d bytes; the line was skipped (is a closing quote \" missing?)"),
		    S(r, c), FIELD_MAX);
	else
		ERR(r, line, _("field %zu is longer than %d bytes; the line was skipped (is a closing quote \" missing?)"),
		    f + 1, FIELD_MAX);
}

static void too_long_record(struct rd *r, int line)
{
	r->rec_line = line;
	r->rec_bad = 1;
	ERR(r, line, _("this line is longer than %d bytes; it was skipped (is a closing quote \" missing?)"),
	    RECORD_MAX);
}

static void header_done(struct rd *r);
static void clinic_row(struct rd *r);
static void doctor_row(struct rd *r);

static void end_record(struct rd *r)
{
	if (!r->stop && (r->rec_nonempty || r->rec_bad)) {
		r->nrecords++;
		if (!r->have_header) {
			if (r->rec_bad) {
				r->fatal = 1;
				r->stop = 1;
			} else {
				header_done(r);
			}
		} else {
			r->nrows++;
			if (!r->rec_bad)
				(r->doctors ? doctor_row : clinic_row)(r);
		}
	}
	rec_reset(r);
}

static void on_field(void *data, size_t len, void *vr)
{
	struct rd *r = vr;
	size_t f = r->fidx++;
	if (r->stop || r->rec_bad)
		return;
	if (f == 0)
		r->rec_line = r->line - (int)count_nl(data, len);
	r->rec_bytes += len + 1;
	if (len)
		r->rec_nonempty = 1;
	if (len > FIELD_MAX) {
		too_long_field(r, f, r->rec_line);
		return;
	}
	if (r->rec_bytes > RECORD_MAX) {
		too_long_record(r, r->rec_line);
		return;
	}
	if (!r->have_header) {
		xgrow(&r->hdr, &r->hdr_cap, r->nhdr + 1, sizeof *r->hdr);
		r->hdr[r->nhdr++] = xstrndup(data, len);
		return;
	}
	for (int k = 0; k < NCOLS; k++) {
		if (r->pos[k] == (long)f) {
			memcpy(r->arena + r->arena_len, data, len);
			r->arena[r->arena_len + len] = '\0';
			r->val[k] = (long)r->arena_len;
			r->arena_len += len + 1;
			break;
		}
	}
}

static void on_record(int c, void *vr)
{
	(void)c;
	end_record(vr);
}

static void enter_skip(struct rd *r, int in_quote, int raw)
{
	r->skipping = 1;
	r->skip_q = in_quote;
	r->skip_raw = raw;
	csv_free(&r->csv);
	parser_init(r);
}

/* Feeds UTF-8 text to libcsv one physical line at a time. */
static void feed(struct rd *r, const char *buf, size_t n)
{
	size_t i = 0;
	while (i < n && !r->stop) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - buf) + 1 : n;
		if (r->skipping) {
			if (!r->skip_raw) {
				const char *q = buf + i, *e = buf + end;
				while (q < e && (q = memchr(q, '"', (size_t)(e - q)))) {
					r->skip_q ^= 1;
					q++;
				}
			}
			if (nl && !r->skip_q) {
				r->skipping = 0;
				end_record(r);
			}
		} else {
			size_t done = csv_parse(&r->csv, buf + i, end - i, on_field, on_record, r);
			if (done < end - i) {
				if (csv_error(&r->csv) == CSV_EPARSE) {
					int line = rec_start(r);
					const char *c = r->have_header ? col_name(r, r->fidx) : NULL;
					const char *v = show(r, (const char *)r->csv.entry_buf, r->csv.entry_pos);
					r->rec_line = line;
					r->rec_bad = 1;
					if (c)
						ERR(r, line, _("stray quote (\") in column '%s' after '%s'; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\""),
						    S(r, c), v);
					else
						ERR(r, line, _("stray quote (\") in field %zu after '%s'; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\""),
						    r->fidx + 1, v);
				} else {
					ERR(r, rec_start(r), _("cannot parse this line: %s"),
					    csv_strerror(csv_error(&r->csv)));
					r->rec_bad = 1;
				}
				enter_skip(r, 0, 1);
				if (nl) {
					r->skipping = 0;
					end_record(r);
				}
			} else if (!r->stop && r->csv.pstate != LIBCSV_ROW_NOT_BEGUN) {
				if (!r->rec_bad && r->csv.entry_pos > FIELD_MAX)
					too_long_field(r, r->fidx, rec_start(r));
				else if (!r->rec_bad && r->rec_bytes + r->csv.entry_pos > RECORD_MAX)
					too_long_record(r, rec_start(r));
				if (r->rec_bad)
					enter_skip(r, r->csv.pstate == LIBCSV_FIELD_BEGUN && r->csv.quoted, 0);
			}
		}
		if (nl)
			r->line++;
		i = end;
	}
}

/* ---- header ---- */

static void header_done(struct rd *r)
{
	int line = r->rec_line;
	r->have_header = 1;
	for (size_t f = 0; f < r->nhdr; f++) {
		char *h = vd_trim(r->hdr[f]);
		if (h != r->hdr[f])
			memmove(r->hdr[f], h, strlen(h) + 1);
		for (int k = 0; k < NCOLS; k++) {
			if (!col_matches(&r->cols[k], r->hdr[f]))
				continue;
			if (r->pos[k] >= 0)
				ERR(r, line, _("column '%s' appears twice in the header (columns %ld and %zu); keep one"),
				    r->cols[k].name, r->pos[k] + 1, f + 1);
			else
				r->pos[k] = (long)f;
		}
	}
	/* Other columns (备注...) are allowed, but one near a column that is
	 * missing is a typo. */
	for (size_t f = 0; f < r->nhdr; f++) {
		int known = !*r->hdr[f];
		for (int k = 0; k < NCOLS && !known; k++)
			known = col_matches(&r->cols[k], r->hdr[f]);
		if (known)
			continue;
		struct vd_near g;
		vd_near_init(&g, r->hdr[f]);
		for (int k = 0; k < NCOLS; k++) {
			if (r->pos[k] >= 0)
				continue;
			vd_near_try(&g, r->cols[k].name);
			for (const char *const *a = r->cols[k].alias; *a; a++)
				vd_near_try(&g, *a);
		}
		if (g.pick)
			WARN(r, line, _("column '%s' is not one vdsched reads, so it is ignored; did you mean '%s'?"),
			     S(r, r->hdr[f]), g.pick);
	}
	char *missing = NULL, *has = NULL;
	size_t nmissing = 0;
	for (int k = 0; k < NCOLS; k++) {
		if (r->pos[k] >= 0 || !r->cols[k].required)
			continue;
		char *m = xasprintf("%s%s'%s'", missing ? missing : "", missing ? ", " : "",
		                    r->cols[k].name);
		free(missing);
		missing = m;
		nmissing++;
	}
	if (!missing)
		return;
	for (size_t f = 0; f < r->nhdr && f < 20; f++) {
		char *m = xasprintf("%s%s%s", has ? has : "", has ? ", " : "",
		                    *r->hdr[f] ? S(r, r->hdr[f]) : "(empty)");
		free(has);
		has = m;
	}
	const char *want = r->doctors ? "doctor_id,name,clinic_id,phone,completed,unavailable"
	                              : "clinic_id,name,township,lat,lon,min_on_duty";
	const char *zh = r->doctors ? "医生编号,姓名,卫生室编号,电话,已完成,不可参加日期"
	                            : "卫生室编号,卫生室名称,乡镇,纬度,经度,最少在岗";
	ERR(r, line, nmissing == 1
	    ? _("missing column %s; the header has: %s%s. The first line must name the columns: %s (or in Chinese: %s; see vdsched.ini(5))")
	    : _("missing columns %s; the header has: %s%s. The first line must name the columns: %s (or in Chinese: %s; see vdsched.ini(5))"),
	    missing, has ? has : "", r->nhdr > 20 ? ", ..." : "", want, zh);
	free(missing);
	free(has);
	r->fatal = 1;
	r->stop = 1;
}

/* ---- values ---- */

static const char *V(struct rd *r, int k)
{
	return r->val[k] >= 0 ? r->arena + r->val[k] : "";
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

static int check_id(struct rd *r, const char *col, const char *id, const char *what)
{
	if (!*id) {
		ERR(r, r->rec_line, _("%s is empty; every %s needs an id"), col, what);
		return 0;
	}
	if (excel_shortened(id)) {
		ERR(r, r->rec_line, _("%s '%s' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it"),
		    col, S(r, id));
		return 0;
	}
	if (!vd_id_valid(id) && non_ascii(id)) {
		ERR(r, r->rec_line, _("%s '%s' must be letters, digits, '_', '.' or '-' (it becomes a file name); use an id such as %s and put the Chinese name in the name column"),
		    col, S(r, id), r->doctors ? "d001" : "c001");
		return 0;
	}
	if (!vd_id_valid(id)) {
		ERR(r, r->rec_line, _("%s '%s' is not a valid id; use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit (ids become file names)"),
		    col, S(r, id));
		return 0;
	}
	return 1;
}

static void check_name(struct rd *r, const char *name, const char *what)
{
	if (!*name)
		ERR(r, r->rec_line, _("name is empty; give the %s's name"), what);
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

static int coord(struct rd *r, int k, double *out)
{
	const char *col = k == C_LAT ? "lat" : "lon";
	const char *eg = k == C_LAT ? "23.736" : "106.915";
	double lim = k == C_LAT ? 90 : 180;
	const char *s = V(r, k);
	if (!*s) {
		ERR(r, r->rec_line, _("%s is empty; give the clinic's %s in decimal degrees, e.g. %s"),
		    col, k == C_LAT ? _("latitude") : _("longitude"), eg);
		return -1;
	}
	if (parse_num(s, out)) {
		ERR(r, r->rec_line, _("%s '%s' is not a number; use decimal degrees like %s"),
		    col, S(r, s), eg);
		return -1;
	}
	if (*out < -lim || *out > lim) {
		ERR(r, r->rec_line, _("%s '%s' is out of range; use decimal degrees between %g and %g"),
		    col, S(r, s), -lim, lim);
		return -1;
	}
	return 0;
}

static void add_township_name_ix(struct rd *r)
{
	struct vd_program *p = r->p;
	vd_hmap_init(&r->tname_ix);
	for (size_t i = 0; i < p->ntownships; i++)
		if (p->townships[i].name)
			vd_hmap_put(&r->tname_ix, p->townships[i].name, i);
}

static size_t find_township(struct rd *r, const char *s)
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

static size_t township_of(struct rd *r, const char *s)
{
	struct vd_program *p = r->p;
	if (!*s) {
		ERR(r, r->rec_line, _("township is empty; give the clinic's township (its id or name)"));
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
		ERR(r, r->rec_line, _("township '%s' is not in the program file; use the id or name of a [township ...] section (did you mean '%s'?)"),
		    S(r, s), S(r, g.pick));
	else
		ERR(r, r->rec_line, _("township '%s' is not in the program file; use the id or name of a [township ...] section, or add [township ID] with name = %s"),
		    S(r, s), S(r, s));
	return VD_NONE;
}

/* ---- clinics ---- */

static void clinic_row(struct rd *r)
{
	struct vd_program *p = r->p;
	const char *id = V(r, C_ID);
	int id_ok = check_id(r, "clinic_id", id, _("clinic"));
	check_name(r, V(r, C_NAME), _("clinic"));
	size_t tw = township_of(r, V(r, C_TOWNSHIP));
	double lat = 0, lon = 0;
	coord(r, C_LAT, &lat);
	coord(r, C_LON, &lon);
	long min = 1;
	const char *m = V(r, C_MIN);
	if (*m) {
		char *end;
		errno = 0;
		min = strtol(m, &end, 10);
		if (end == m || *end || errno || min < 0 || min > 10000) {
			ERR(r, r->rec_line, _("min_on_duty '%s' is not a whole number from 0 to 10000; use e.g. 1 (empty means 1)"),
			    S(r, m));
			min = 1;
		}
	}
	if (!id_ok || r->stop)
		return;
	xgrow(&p->clinics, &r->clinic_cap, p->nclinics + 1, sizeof *p->clinics);
	struct vd_clinic *c = &p->clinics[p->nclinics];
	memset(c, 0, sizeof *c);
	c->id = xstrdup(id);
	size_t first = vd_hmap_put(&p->clinic_ix, c->id, p->nclinics);
	if (first != VD_NONE) {
		ERR(r, r->rec_line, _("duplicate clinic_id '%s' (first on line %d); each clinic needs a unique id"),
		    S(r, id), p->clinics[first].line);
		free(c->id);
		c->id = NULL;
		return;
	}
	c->name = xstrdup(V(r, C_NAME));
	c->township = tw;
	c->township_id = xstrdup(tw != VD_NONE ? p->townships[tw].id : V(r, C_TOWNSHIP));
	c->lat = lat;
	c->lon = lon;
	c->min_on_duty = (int)min;
	c->line = r->rec_line;
	c->ndoctors = 0;
	p->nclinics++;
}

/* ---- doctors ---- */

static void parse_completed(struct rd *r, struct vd_doctor *d, const char *s)
{
	const char *w;
	size_t n;
	while ((w = vd_list_next(&s, &n))) {
		char *id = xstrndup(w, n);
		if (!vd_id_valid(id))
			ERR(r, r->rec_line, _("completed: '%s' is not a course id; list course ids such as tcm or dental, separated by spaces or commas"),
			    S(r, id));
		else if (d && !vd_strv_has(&d->completed, id))
			vd_strv_push(&d->completed, id);
		free(id);
	}
}

static void parse_unavailable(struct rd *r, struct vd_doctor *d, const char *s)
{
	const char *w;
	size_t n;
	size_t cap = 0;
	while ((w = vd_list_next(&s, &n))) {
		char *t = xstrndup(w, n);
		struct vd_range rg;
		int rc = vd_range_parse(t, &rg);
		if (rc == -2)
			ERR(r, r->rec_line, _("unavailable: range '%s' ends before it starts; write the earlier date first"),
			    S(r, t));
		else if (rc == -3)
			ERR(r, r->rec_line, _("unavailable: '%s' is not a real date; check the month and the day"),
			    S(r, t));
		else if (rc)
			ERR(r, r->rec_line, _("unavailable: '%s' is not a date; write a date as %s, a range as %s, separated by spaces, commas or 、"),
			    S(r, t), _(VD_DATE_FORMS), _(VD_RANGE_FORMS));
		else if (d) {
			xgrow(&d->unavail, &cap, d->nunavail + 1, sizeof *d->unavail);
			d->unavail[d->nunavail++] = rg;
		}
		free(t);
	}
}

static void doctor_row(struct rd *r)
{
	struct vd_program *p = r->p;
	const char *id = V(r, D_ID);
	int id_ok = check_id(r, "doctor_id", id, _("doctor"));
	check_name(r, V(r, D_NAME), _("doctor"));
	const char *cid = V(r, D_CLINIC);
	size_t ci = VD_NONE;
	if (!*cid) {
		ERR(r, r->rec_line, _("clinic_id is empty; give the id of the doctor's clinic from %s"),
		    r->clinics_name);
	} else if (excel_shortened(cid)) {
		ERR(r, r->rec_line, _("%s '%s' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it"),
		    "clinic_id", S(r, cid));
	} else if (r->last_clinic != VD_NONE && !strcmp(p->clinics[r->last_clinic].id, cid)) {
		ci = r->last_clinic;   /* rosters usually list a clinic's doctors together */
	} else if (r->clinics_ok && (ci = vd_hmap_get(&p->clinic_ix, cid)) == VD_NONE) {
		struct vd_near g;
		vd_near_init(&g, cid);
		if (p->nclinics <= SUGGEST_MAX)
			for (size_t k = 0; k < p->nclinics; k++)
				vd_near_try(&g, p->clinics[k].id);
		if (g.pick)
			ERR(r, r->rec_line, _("unknown clinic_id '%s'; it is not in %s (did you mean '%s'?)"),
			    S(r, cid), r->clinics_name, S(r, g.pick));
		else
			ERR(r, r->rec_line, _("unknown clinic_id '%s'; it is not in %s"),
			    S(r, cid), r->clinics_name);
	}

	struct vd_doctor *d = NULL;
	if (id_ok && !r->stop) {
		xgrow(&p->doctors, &r->doctor_cap, p->ndoctors + 1, sizeof *p->doctors);
		d = &p->doctors[p->ndoctors];
		memset(d, 0, sizeof *d);
		d->id = xstrdup(id);
		size_t first = vd_hmap_put(&p->doctor_ix, d->id, p->ndoctors);
		if (first != VD_NONE) {
			ERR(r, r->rec_line, _("duplicate doctor_id '%s' (first on line %d); each doctor needs a unique id"),
			    S(r, id), p->doctors[first].line);
			free(d->id);
			d = NULL;
		}
	}
	parse_completed(r, d, V(r, D_COMPLETED));
	parse_unavailable(r, d, V(r, D_UNAVAIL));
	if (!d)
		return;
	d->name = xstrdup(V(r, D_NAME));
	d->clinic_id = xstrdup(cid);
	d->phone = xstrdup(V(r, D_PHONE));
	if (excel_shortened(d->phone))
		WARN(r, r->rec_line, _("phone '%s' looks like a number Excel shortened; format the column as Text (设置单元格格式 → 文本) and re-enter it"),
		     S(r, d->phone));
	d->line = r->rec_line;
	d->clinic = ci;
	if (ci != VD_NONE) {
		p->clinics[ci].ndoctors++;
		r->last_clinic = ci;
	}
	p->ndoctors++;
}

/* ---- bytes to UTF-8 ---- */

/* Does s read as GBK double-byte text? */
static int looks_gbk(const unsigned char *s, size_t n)
{
	size_t i = 0;
	int pairs = 0;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] == 0x80 || s[i] == 0xFF)
			return 0;
		if (i + 1 >= n)
			break;
		if (s[i + 1] < 0x40 || s[i + 1] == 0x7F || s[i + 1] == 0xFF)
			return 0;
		i += 2;
		pairs++;
	}
	return pairs > 0;
}

static int has_multibyte(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

/* CRLF and lone CR become LF; *pending carries a CR that ended the
 * previous chunk.  Returns the new length. */
static size_t norm_cr(unsigned char *s, size_t n, int *pending)
{
	size_t i = 0, j = 0;
	if (*pending && n && s[0] == '\n')
		i = 1;
	if (n)
		*pending = 0;
	if (!memchr(s + i, '\r', n - i)) {
		if (i)
			memmove(s, s + 1, n - 1);
		return n - i;
	}
	for (; i < n; i++) {
		if (s[i] != '\r') {
			s[j++] = s[i];
		} else if (i + 1 == n) {
			s[j++] = '\n';
			*pending = 1;
		} else if (s[i + 1] != '\n') {
			s[j++] = '\n';
		}
	}
	return j;
}

static int want_gbk(const char *enc)
{
	return enc && (!strcasecmp(enc, "gbk") || !strcasecmp(enc, "gb18030") ||
	               !strcasecmp(enc, "cp936") || !strcasecmp(enc, "gb2312"));
}

/* Checks the very start of the file.  Returns -1 when it cannot be read
 * as CSV text at all. */
static int check_start(struct rd *r, unsigned char *s, size_t *n, int *gbk)
{
	if (*n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		ERR(r, 0, _("the file is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\""));
		return -1;
	}
	if (*n >= 4 && !memcmp(s, "PK\3\4", 4)) {
		ERR(r, 0, _("the file is an Excel workbook (.xlsx), not CSV; in Excel use Save As \"CSV UTF-8 (Comma delimited)\""));
		return -1;
	}
	if (*n >= 4 && !memcmp(s, "\xD0\xCF\x11\xE0", 4)) {
		ERR(r, 0, _("the file is an Excel workbook (.xls), not CSV; in Excel use Save As \"CSV UTF-8 (Comma delimited)\""));
		return -1;
	}
	int bom = *n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3);
	if (bom) {
		memmove(s, s + 3, *n - 3);
		*n -= 3;
	}
	if (*gbk) {
		int bad;
		size_t ok = vd_utf8_prefix(s, *n, &bad);
		if (bom || (!bad && *n - ok < 4 && has_multibyte(s, ok))) {
			WARN(r, 0, _("encoding = %s is set in [program] but this file is UTF-8; reading it as UTF-8"),
			     r->p->encoding);
			*gbk = 0;
		}
	}
	return 0;
}

static void bad_utf8(struct rd *r, const unsigned char *s, size_t n)
{
	if (looks_gbk(s, n))
		ERR(r, r->line, _("the file is not UTF-8; it looks like GBK (Excel on Chinese Windows saves that). Save it as \"CSV UTF-8\" or set encoding = gbk in [program]"));
	else
		ERR(r, r->line, _("the file is not valid UTF-8 (byte 0x%02X); save it as \"CSV UTF-8\""),
		    s[0]);
}

/* Reads one file.  Returns -1 if it could not be opened or read. */
static int read_file(struct rd *r)
{
	FILE *f = fopen(r->path, "rb");
	if (!f) {
		ERR(r, 0, _("cannot open: %s"), strerror(errno));
		r->fatal = 1;
		return -1;
	}
	int gbk = want_gbk(r->p->encoding);
	iconv_t cd = (iconv_t)-1;
	unsigned char *in = xmalloc(CHUNK + 8);
	char *out = NULL;
	size_t outcap = CHUNK * 2 + 64;
	size_t carry = 0;
	int first = 1, pending_cr = 0, rc = 0, eof_seen = 0;

	parser_init(r);
	rec_reset(r);
	r->line = 1;
	while (!r->stop) {
		size_t n = fread(in + carry, 1, CHUNK, f);
		if (n == 0) {
			if (ferror(f)) {
				ERR(r, 0, _("cannot read: %s"), strerror(errno));
				r->fatal = 1;
				rc = -1;
			} else {
				eof_seen = 1;
			}
			break;
		}
		unsigned char *s = in + carry;
		if (first) {
			first = 0;
			if (check_start(r, s, &n, &gbk)) {
				r->fatal = 1;
				break;
			}
			if (gbk) {
				cd = iconv_open("UTF-8", "GB18030");
				if (cd == (iconv_t)-1) {
					ERR(r, 0, _("cannot convert from %s: %s"), r->p->encoding, strerror(errno));
					r->fatal = 1;
					break;
				}
				out = xmalloc(outcap);
			}
		}
		n = norm_cr(s, n, &pending_cr);
		const unsigned char *z = memchr(s, '\0', n);
		if (z) {
			ERR(r, r->line + (int)count_nl(s, (size_t)(z - s)), _("the file contains a NUL byte, so it is not a text CSV file (UTF-16 or a workbook?); save it as \"CSV UTF-8\""));
			r->fatal = 1;
			break;
		}
		size_t total = carry + n;
		if (!gbk) {
			int bad;
			size_t ok = vd_utf8_prefix(in, total, &bad);
			if (bad) {
				size_t ls = ok;
				while (ls && in[ls - 1] != '\n')
					ls--;
				feed(r, (const char *)in, ls);
				if (!r->stop)
					bad_utf8(r, in + ok, total - ok);
				r->fatal = 1;
				break;
			}
			feed(r, (const char *)in, ok);
			carry = total - ok;
			memmove(in, in + ok, carry);
		} else {
			char *ip = (char *)in, *op = out;
			size_t il = total, ol = outcap;
			for (;;) {
				size_t k = iconv(cd, &ip, &il, &op, &ol);
				int e = errno;
				feed(r, out, (size_t)(op - out));
				op = out;
				ol = outcap;
				if (k != (size_t)-1 || r->stop)
					break;
				if (e == E2BIG)
					continue;
				if (e == EILSEQ) {
					ERR(r, r->line, _("byte 0x%02X is not valid %s; check encoding = %s in [program], or save the file as \"CSV UTF-8\""),
					    (unsigned char)*ip, r->p->encoding, r->p->encoding);
					r->fatal = 1;
				}
				break;
			}
			if (r->fatal)
				break;
			carry = il;
			memmove(in, ip, carry);
		}
	}
	if (!r->stop && !r->fatal && eof_seen) {
		if (carry) {
			ERR(r, r->line, gbk ? _("the file ends in the middle of a GBK character; save it again")
			                    : _("the file ends in the middle of a UTF-8 character; save it again"));
			r->fatal = 1;
		} else if (r->skipping) {
			r->skipping = 0;
			end_record(r);
		} else if (csv_fini(&r->csv, on_field, on_record, r) != 0) {
			ERR(r, rec_start(r), _("a quoted value starting on this line has no closing quote (\"); add it"));
			r->rec_bad = 1;
			end_record(r);
		}
	}
	csv_free(&r->csv);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(out);
	free(in);
	fclose(f);
	return rc;
}

static int load(struct rd *r)
{
	for (int k = 0; k < NCOLS; k++)
		r->pos[k] = -1;
	r->arena = xmalloc(NCOLS * (FIELD_MAX + 1) + 16);
	int rc = read_file(r);
	if (rc == 0 && !r->stop && !r->fatal) {
		if (r->nrecords == 0 || r->nrows == 0)
			r->fatal = 1;
		if (r->nrecords == 0)
			ERR(r, 0, r->doctors
			    ? _("the file is empty; it needs a header line (doctor_id,name,clinic_id,phone,completed,unavailable) and one line per doctor")
			    : _("the file is empty; it needs a header line (clinic_id,name,township,lat,lon,min_on_duty) and one line per clinic"));
		else if (r->nrows == 0)
			ERR(r, 0, r->doctors ? _("no doctors; add one line per doctor below the header")
			                     : _("no clinics; add one line per clinic below the header"));
	}
	for (size_t i = 0; i < r->nhdr; i++)
		free(r->hdr[i]);
	free(r->hdr);
	free(r->arena);
	return rc;
}

int vd_roster_load(struct vd_program *p, struct vd_diag *dg)
{
	struct rd r;
	if (!p->clinics_path || !p->doctors_path) {
		vd_error(dg, p->path, 0, _("the program names no clinics or doctors file; set clinics = and doctors = in [program]"));
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.p = p;
	r.dg = dg;
	r.path = p->clinics_path;
	r.cols = clinic_cols;
	r.implicit = p->ntownships == 0;
	r.township_cap = p->ntownships;
	r.clinic_cap = p->nclinics;
	add_township_name_ix(&r);
	int open_failed = load(&r) != 0;
	vd_hmap_free(&r.tname_ix);
	unsigned errors = r.nerrors;
	int clinics_ok = !r.fatal && !r.stop;
	if (open_failed)
		return -1;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.dg = dg;
	r.path = p->doctors_path;
	r.doctors = 1;
	r.cols = doctor_cols;
	r.clinics_name = base_name(p->clinics_path);
	r.clinics_ok = clinics_ok;
	r.last_clinic = VD_NONE;
	r.doctor_cap = p->ndoctors;
	load(&r);
	errors += r.nerrors;
	return errors ? -1 : 0;
}

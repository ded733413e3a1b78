/* csvread.c -- see csvread.h.  The table: what every tabular input shares
 * whatever its source -- the header matched to the reader's columns (by
 * name, alias or near miss), records handed over one by one, the field
 * and record limits, and messages at FILE:LINE.
 *
 * Limits keep hostile input cheap: past field_max or record_max a record is
 * reported once and the source skips the rest of it.  A file stops being
 * read after VD_TABLE_MAX_MSGS messages.
 *
 * vd_table_read picks the source by the file's first bytes: a workbook
 * (a zip, or an .xls) goes to xlsxread.c's source, anything else to the
 * CSV source (csvread-csv.c: encodings, BOM, CR, GBK, libcsv).
 *
 * Apart from roster.c and state.c because all of them read tables the
 * same way, from CSV or from a workbook (csvread.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "csvread-int.h"
#include "i18n.h"
#include "utf8.h"
#include "words.h"
#include "xalloc.h"
#include "xlsxread.h"

#define HEADER_SHOWN 20      /* header cells listed when columns are missing */

/* ---- messages ---- */

static void vmsg(struct vd_table *t, int warn, int line, const char *fmt, va_list ap0)
{
	if (t->stopped)
		return;
	if (t->nmsgs >= VD_TABLE_MAX_MSGS) {
		vd_error(t->dg, t->path, 0, _("too many errors; stopping after %d"), VD_TABLE_MAX_MSGS);
		t->nerrors++;
		t->stopped = 1;
		return;
	}
	t->nmsgs++;
	char buf[1024], *text = buf;
	va_list ap;
	va_copy(ap, ap0);
	int len = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (len < 0) {
		snprintf(buf, sizeof buf, "%s", fmt);
	} else if ((size_t)len >= sizeof buf) {
		text = xmalloc((size_t)len + 1);
		va_copy(ap, ap0);
		vsnprintf(text, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	if (warn) {
		vd_warning(t->dg, t->path, line, "%s", text);
	} else {
		vd_error(t->dg, t->path, line, "%s", text);
		t->nerrors++;
	}
	if (text != buf)
		free(text);
}

void vd_table_error(struct vd_table *t, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(t, 0, line, fmt, ap);
	va_end(ap);
}

void vd_table_warning(struct vd_table *t, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(t, 1, line, fmt, ap);
	va_end(ap);
}

const char *vd_table_excerpt_n(struct vd_table *t, const char *s, size_t n)
{
	char *b = t->show[t->showi++ % 4];
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

const char *vd_table_excerpt(struct vd_table *t, const char *s)
{
	return vd_table_excerpt_n(t, s, strlen(s));
}

unsigned vd_table_errors(const struct vd_table *t) { return t->nerrors; }
int vd_table_stopped(const struct vd_table *t) { return t->stopped; }
int vd_table_unusable(const struct vd_table *t) { return t->unusable; }
void vd_table_set_unusable(struct vd_table *t) { t->unusable = 1; }
size_t vd_table_records(const struct vd_table *t) { return t->nrecords; }
size_t vd_table_rows(const struct vd_table *t) { return t->nrows; }

const char *vd_table_parse_error(const struct vd_table *t, int *line)
{
	*line = t->parse_line;
	return t->parse_error;
}

/* ---- the table: records, limits, header ---- */

static void rec_reset(struct vd_table *t)
{
	t->fidx = 0;
	t->rec_line = 0;
	t->rec_bytes = 0;
	t->rec_nonempty = 0;
	t->rec_bad = 0;
	t->text_len = 0;
	t->nstored = 0;
}

const char *vd_table_col_name(struct vd_table *t, size_t f)
{
	return t->have_header && f < t->nhdr ? t->hdr[f] : NULL;
}

void vd_table_too_long_field(struct vd_table *t, size_t f, int line)
{
	const char *c = vd_table_col_name(t, f);
	t->rec_line = line;
	t->rec_bad = 1;
	if (c)
		ERR(t, line, _("the value in column '%s' is longer than %d bytes; the line was skipped (is a closing quote \" missing?)"),
		    vd_table_excerpt(t, c), (int)t->opt.field_max);
	else
		ERR(t, line, _("field %zu is longer than %d bytes; the line was skipped (is a closing quote \" missing?)"),
		    f + 1, (int)t->opt.field_max);
}

void vd_table_too_long_record(struct vd_table *t, int line)
{
	t->rec_line = line;
	t->rec_bad = 1;
	ERR(t, line, _("this line is longer than %d bytes; it was skipped (is a closing quote \" missing?)"),
	    (int)t->opt.record_max);
}

static void store_field(struct vd_table *t, const char *data, size_t len)
{
	xgrow(&t->text, &t->text_cap, t->text_len + len + 1, 1);
	memcpy(t->text + t->text_len, data, len);
	t->text[t->text_len + len] = '\0';
	if (t->nstored + 1 > t->stored_cap) {
		size_t cap = t->stored_cap;
		xgrow(&t->off, &cap, t->nstored + 1, sizeof *t->off);
		t->len = xreallocarray(t->len, cap, sizeof *t->len);
		t->stored_cap = cap;
	}
	t->off[t->nstored] = t->text_len;
	t->len[t->nstored++] = len;
	t->text_len += len + 1;
}

void vd_table_field(struct vd_table *t, const char *data, size_t len, int line)
{
	size_t f = t->fidx++;
	if (t->stopped || t->rec_bad)
		return;
	if (f == 0)
		t->rec_line = line;
	t->rec_bytes += len + 1;
	if (len)
		t->rec_nonempty = 1;
	if (t->opt.field_max && len > t->opt.field_max) {
		vd_table_too_long_field(t, f, t->rec_line);
		return;
	}
	if (t->opt.record_max && t->rec_bytes > t->opt.record_max) {
		vd_table_too_long_record(t, t->rec_line);
		return;
	}
	if (!t->have_header && t->opt.cols) {
		xgrow(&t->hdr, &t->hdr_cap, t->nhdr + 1, sizeof *t->hdr);
		t->hdr[t->nhdr++] = xstrndup(data, len);
		return;
	}
	store_field(t, data, len);
}

static int col_matches(const struct vd_column *c, const char *h)
{
	if (!strcasecmp(h, c->name))
		return 1;
	for (const char *const *a = c->alias; *a; a++)
		if (!strcmp(h, *a))
			return 1;
	return 0;
}

/* Other columns (备注...) are allowed, but one near a column that is
 * missing is a typo. */
static void warn_near_misses(struct vd_table *t, int line)
{
	const struct vd_column *cols = t->opt.cols;
	for (size_t f = 0; f < t->nhdr; f++) {
		int known = !*t->hdr[f];
		for (size_t k = 0; k < t->opt.ncols && !known; k++)
			known = col_matches(&cols[k], t->hdr[f]);
		if (known)
			continue;
		struct vd_near g;
		vd_near_init(&g, t->hdr[f]);
		for (size_t k = 0; k < t->opt.ncols; k++) {
			if (t->pos[k] >= 0)
				continue;
			vd_near_try(&g, cols[k].name);
			for (const char *const *a = cols[k].alias; *a; a++)
				vd_near_try(&g, *a);
		}
		if (g.pick)
			WARN(t, line, _("column '%s' is not one vdsched reads, so it is ignored; did you mean '%s'?"),
			     vd_table_excerpt(t, t->hdr[f]), g.pick);
	}
}

/* "a, b, c": each item from item(t, i), for i < n. */
static char *join(struct vd_table *t, size_t n, const char *(*item)(struct vd_table *, size_t),
                  const char *sep)
{
	char *s = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		const char *v = item(t, i);
		if (!v)
			continue;
		char *m = xasprintf("%s%s%s", s, *s ? sep : "", v);
		free(s);
		s = m;
	}
	return s;
}

/* The required columns the header lacks, as "'a', 'b'"; *n of them. */
static char *missing_list(struct vd_table *t, size_t *n)
{
	char *s = xstrdup("");
	*n = 0;
	for (size_t k = 0; k < t->opt.ncols; k++) {
		if (t->pos[k] >= 0 || t->opt.cols[k].need != VD_COLUMN_REQUIRED)
			continue;
		char *m = xasprintf("%s%s'%s'", s, *s ? ", " : "", t->opt.cols[k].name);
		free(s);
		s = m;
		++*n;
	}
	return s;
}

static const char *header_item(struct vd_table *t, size_t f)
{
	return *t->hdr[f] ? vd_table_excerpt(t, t->hdr[f]) : "(empty)";
}

static const char *name_item(struct vd_table *t, size_t k)
{
	return t->opt.cols[k].name;
}

static const char *alias_item(struct vd_table *t, size_t k)
{
	return t->opt.cols[k].alias[0] ? t->opt.cols[k].alias[0] : t->opt.cols[k].name;
}

static void report_missing(struct vd_table *t, int line)
{
	size_t nmissing;
	char *missing = missing_list(t, &nmissing);
	if (!nmissing) {
		free(missing);
		return;
	}
	char *has = join(t, t->nhdr < HEADER_SHOWN ? t->nhdr : HEADER_SHOWN, header_item, ", ");
	char *want = join(t, t->opt.ncols, name_item, ",");
	char *zh = join(t, t->opt.ncols, alias_item, ",");
	ERR(t, line, nmissing == 1
	    ? _("missing column %s; the header has: %s%s. The first line must name the columns: %s (or in Chinese: %s; see vdsched.ini(5))")
	    : _("missing columns %s; the header has: %s%s. The first line must name the columns: %s (or in Chinese: %s; see vdsched.ini(5))"),
	    missing, has, t->nhdr > HEADER_SHOWN ? ", ..." : "", want, zh);
	free(missing);
	free(has);
	free(want);
	free(zh);
	t->unusable = 1;
	t->stopped = 1;
}

static void header_done(struct vd_table *t)
{
	int line = t->rec_line;
	t->have_header = 1;
	for (size_t f = 0; f < t->nhdr; f++) {
		char *h = vd_trim(t->hdr[f]);
		if (h != t->hdr[f])
			memmove(t->hdr[f], h, strlen(h) + 1);
		for (size_t k = 0; k < t->opt.ncols; k++) {
			if (!col_matches(&t->opt.cols[k], t->hdr[f]))
				continue;
			if (t->pos[k] >= 0)
				ERR(t, line, _("column '%s' appears twice in the header (columns %ld and %zu); keep one"),
				    t->opt.cols[k].name, t->pos[k] + 1, f + 1);
			else
				t->pos[k] = (long)f;
		}
	}
	warn_near_misses(t, line);
	report_missing(t, line);
}

/* Hands the record read to the callback. */
static void deliver(struct vd_table *t)
{
	xgrow(&t->fieldv, &t->fieldv_cap, t->nstored + t->opt.ncols + 1, sizeof *t->fieldv);
	for (size_t i = 0; i < t->nstored; i++)
		t->fieldv[i] = t->text + t->off[i];
	struct vd_record rec = {
		.line = t->rec_line, .index = t->nrecords - 1, .nfields = t->nstored,
		.field = t->fieldv, .len = t->len, .col = NULL,
	};
	if (t->opt.cols) {
		const char **col = t->fieldv + t->nstored;
		for (size_t k = 0; k < t->opt.ncols; k++)
			col[k] = t->pos[k] >= 0 && (size_t)t->pos[k] < t->nstored
			         ? t->fieldv[t->pos[k]] : "";
		rec.col = col;
	}
	t->fn(t->ctx, t, &rec);
}

void vd_table_end_record(struct vd_table *t)
{
	if (!t->stopped && (t->rec_nonempty || t->rec_bad)) {
		t->nrecords++;
		if (!t->have_header && t->opt.cols) {
			if (t->rec_bad) {
				t->unusable = 1;
				t->stopped = 1;
			} else {
				header_done(t);
			}
		} else {
			t->nrows += t->have_header;
			if (!t->rec_bad)
				deliver(t);
		}
	}
	rec_reset(t);
}

void vd_table_parse_failed(struct vd_table *t, int line, const char *why)
{
	t->rec_line = line;
	t->rec_bad = 1;
	if (t->opt.origin == VD_TABLE_FROM_VDSCHED) {
		if (!t->parse_error) {
			t->parse_error = why;
			t->parse_line = line;
		}
		t->unusable = 1;
		t->stopped = 1;
	}
}

/* ---- reading ---- */

struct vd_table *vd_table_new(void)
{
	return xcalloc(1, sizeof(struct vd_table));
}

void vd_table_free(struct vd_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nhdr; i++)
		free(t->hdr[i]);
	free(t->hdr);
	free(t->pos);
	free(t->text);
	free(t->off);
	free(t->len);
	free(t->fieldv);
	free(t);
}

/* "book.xlsx#村医" is the sheet 村医 of book.xlsx, unless a file is
 * called that: the sheet's name, and the file's in *file (malloc'd); NULL
 * when path names no sheet. */
static const char *sheet_of(const char *path, char **file)
{
	const char *hash = strrchr(path, '#');
	*file = NULL;
	if (!hash || access(path, F_OK) == 0)
		return NULL;
	*file = xstrndup(path, (size_t)(hash - path));
	return hash + 1;
}

/* Opens path as the source its first bytes (or its name) call for, in
 * *src: 0; -1 with errno set when it cannot be opened.  With a sheet
 * named, it must be a workbook.  *src NULL after reporting why the file
 * cannot be read. */
static int src_open(struct vd_table *t, const char *path, const char *sheet,
                    struct vd_table_src **src)
{
	unsigned char head[8];
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(head, 1, sizeof head, f);
	if (vd_xlsx_is_workbook(head, n, path)) {
		fclose(f);
		*src = vd_xlsx_src_open(t, path, sheet, t->opt.sheet);
	} else if (sheet) {
		fclose(f);
		ERR(t, 0, _("'#%s' names a sheet, but the file is not an Excel workbook (.xlsx); name a sheet only after a workbook's name"),
		    vd_table_excerpt(t, sheet));
	} else {
		rewind(f);
		*src = vd_csv_src_open(t, f);
	}
	return 0;
}

int vd_table_read(struct vd_table *t, const char *path, const struct vd_table_opts *opts,
                  struct vd_diag *dg, vd_record_fn *fn, void *ctx)
{
	t->dg = dg;
	t->path = path;
	t->opt = *opts;
	t->fn = fn;
	t->ctx = ctx;
	t->pos = xmalloc((opts->ncols + 1) * sizeof *t->pos);
	for (size_t k = 0; k < opts->ncols; k++)
		t->pos[k] = -1;
	rec_reset(t);
	char *file = NULL;
	const char *sheet = sheet_of(path, &file);
	struct vd_table_src *src = NULL;
	int rc = src_open(t, file ? file : path, sheet, &src);
	free(file);
	if (rc < 0 || !src) {
		t->unusable = 1;
		return rc;
	}
	while ((rc = src->pump(src, t)) > 0)
		;
	src->free(src);
	return rc < 0 ? -1 : 0;
}

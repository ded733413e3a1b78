/* csvread.c -- see csvread.h.
 *
 * The CSV source, per file, one 64 KiB chunk at a time:
 *   read -> (first chunk: BOM / UTF-16 / workbook checks) -> CR and CRLF
 *   become LF -> NUL check -> strict UTF-8 check, or GBK -> UTF-8 with
 *   iconv -> libcsv.
 * The text is handed to csv_parse one physical line at a time, so every
 * callback knows the line it is on; a record's first line is that line
 * minus the newlines inside its first field.  An encoding error is
 * reported after the complete lines before it are read, at its own line.
 *
 * Limits keep hostile input cheap: past field_max or record_max a record is
 * reported once and the rest of it is skipped by a quote-aware scan
 * without libcsv buffering it.  A file stops being read after
 * VD_TABLE_MAX_MSGS messages.
 *
 * vd_table_read picks the source by the file's first bytes: a workbook
 * (a zip, or an .xls) goes to xlsxread.c's source instead.
 *
 * Apart from roster.c and state.c because all of them read tables the
 * same way, from CSV or from a workbook (csvread.h). */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <csv.h>
#include "csvread.h"
#include "i18n.h"
#include "utf8.h"
#include "words.h"
#include "xalloc.h"
#include "xlsxread.h"

#define CHUNK (64 * 1024)
#define SHOW_MAX 48          /* bytes of a value quoted in a message */
#define HEADER_SHOWN 20      /* header cells listed when columns are missing */
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
/* libcsv's parser states (libcsv.c); struct csv_parser is public. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

struct vd_table {
	struct vd_diag *dg;
	const char *path;
	struct vd_table_opts opt;
	vd_record_fn *fn;
	void *ctx;

	unsigned nmsgs, nerrors;
	int stopped;                /* no more reading, no more messages */
	int unusable;               /* the file as a whole cannot be used */
	size_t nrecords, nrows;
	const char *parse_error;    /* VD_TABLE_FROM_VDSCHED: why it ended */
	int parse_line;

	int have_header;
	long *pos;                  /* file column of each of ours, or -1 */
	char **hdr;                 /* header names as written */
	size_t nhdr, hdr_cap;

	/* the record being read */
	size_t fidx;
	int rec_line;
	size_t rec_bytes;
	int rec_nonempty;
	int rec_bad;                /* reported as too long or malformed */
	char *text;                 /* its fields, each NUL-terminated */
	size_t text_len, text_cap;
	size_t *off, *len;          /* per field: offset into text, length */
	size_t nstored, stored_cap;
	const char **fieldv, **colv;
	size_t fieldv_cap;

	char show[4][SHOW_MAX + 8];
	unsigned showi;
};

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

#define ERR(t, line, ...) vd_table_error((t), (line), __VA_ARGS__)
#define WARN(t, line, ...) vd_table_warning((t), (line), __VA_ARGS__)

/* s[0 .. n) for a message, in one of four rotating buffers. */
static const char *excerpt_n(struct vd_table *t, const char *s, size_t n)
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
	return excerpt_n(t, s, strlen(s));
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

static const char *col_name(struct vd_table *t, size_t f)
{
	return t->have_header && f < t->nhdr ? t->hdr[f] : NULL;
}

static void too_long_field(struct vd_table *t, size_t f, int line)
{
	const char *c = col_name(t, f);
	t->rec_line = line;
	t->rec_bad = 1;
	if (c)
		ERR(t, line, _("the value in column '%s' is longer than %d bytes; the line was skipped (is a closing quote \" missing?)"),
		    vd_table_excerpt(t, c), (int)t->opt.field_max);
	else
		ERR(t, line, _("field %zu is longer than %d bytes; the line was skipped (is a closing quote \" missing?)"),
		    f + 1, (int)t->opt.field_max);
}

static void too_long_record(struct vd_table *t, int line)
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
		too_long_field(t, f, t->rec_line);
		return;
	}
	if (t->opt.record_max && t->rec_bytes > t->opt.record_max) {
		too_long_record(t, t->rec_line);
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

/* A record libcsv cannot parse.  From a person: reported and skipped;
 * from vdsched: the read ends, for the reader to word. */
static void parse_failed(struct vd_table *t, int line, const char *why)
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

/* ---- the CSV source ---- */

struct csv_src {
	struct vd_table_src base;
	struct vd_table *t;
	FILE *f;
	struct csv_parser csv;
	int line;                   /* physical line being fed, 1-based */
	int gbk;
	iconv_t cd;
	unsigned char *in;          /* raw bytes; the first carry are left over */
	size_t carry;
	char *out;                  /* GBK converted to UTF-8 */
	size_t outcap;
	int first, pending_cr, eof;
	/* skipping the rest of a bad record */
	int skipping, skip_q, skip_raw;
};

static void on_field(void *data, size_t len, void *vs)
{
	struct csv_src *s = vs;
	vd_table_field(s->t, data, len, s->line - (int)count_nl(data, len));
}

static void on_record(int c, void *vs)
{
	(void)c;
	struct csv_src *s = vs;
	vd_table_end_record(s->t);
}

static void parser_init(struct csv_src *s)
{
	csv_init(&s->csv, CSV_OPTS);
	csv_set_blk_size(&s->csv, 1024);
}

/* The line the current record started on, while it is being read. */
static int rec_start(struct csv_src *s)
{
	if (s->t->fidx > 0)
		return s->t->rec_line;
	return s->line - (int)count_nl(s->csv.entry_buf, s->csv.entry_pos);
}

static void enter_skip(struct csv_src *s, int in_quote, int raw)
{
	s->skipping = 1;
	s->skip_q = in_quote;
	s->skip_raw = raw;
	csv_free(&s->csv);
	parser_init(s);
}

static void report_parse_error(struct csv_src *s)
{
	struct vd_table *t = s->t;
	int line = rec_start(s);
	if (t->opt.origin == VD_TABLE_FROM_VDSCHED) {
		parse_failed(t, line, csv_strerror(csv_error(&s->csv)));
	} else if (csv_error(&s->csv) == CSV_EPARSE) {
		const char *c = col_name(t, t->fidx);
		const char *v = excerpt_n(t, (const char *)s->csv.entry_buf, s->csv.entry_pos);
		parse_failed(t, line, NULL);
		if (c)
			ERR(t, line, _("stray quote (\") in column '%s' after '%s'; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\""),
			    vd_table_excerpt(t, c), v);
		else
			ERR(t, line, _("stray quote (\") in field %zu after '%s'; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\""),
			    t->fidx + 1, v);
	} else {
		ERR(t, line, _("cannot parse this line: %s"), csv_strerror(csv_error(&s->csv)));
		parse_failed(t, line, NULL);
	}
}

/* The field being parsed has grown: is the record over a limit already?
 * Reports it once. */
static void check_partial(struct csv_src *s)
{
	struct vd_table *t = s->t;
	size_t pending = s->csv.entry_pos;
	if (t->rec_bad)
		return;
	if (t->opt.field_max && pending > t->opt.field_max)
		too_long_field(t, t->fidx, rec_start(s));
	else if (t->opt.record_max && t->rec_bytes + pending > t->opt.record_max)
		too_long_record(t, rec_start(s));
}

/* The rest of a bad record, up to a newline outside quotes. */
static void skip_line(struct csv_src *s, const char *p, const char *e, int nl)
{
	if (!s->skip_raw) {
		while (p < e && (p = memchr(p, '"', (size_t)(e - p)))) {
			s->skip_q ^= 1;
			p++;
		}
	}
	if (nl && !s->skip_q) {
		s->skipping = 0;
		vd_table_end_record(s->t);
	}
}

/* Feeds UTF-8 text to libcsv one physical line at a time. */
static void feed(struct csv_src *s, const char *buf, size_t n)
{
	struct vd_table *t = s->t;
	size_t i = 0;
	while (i < n && !t->stopped) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - buf) + 1 : n;
		if (s->skipping) {
			skip_line(s, buf + i, buf + end, nl != NULL);
		} else if (csv_parse(&s->csv, buf + i, end - i, on_field, on_record, s) < end - i) {
			report_parse_error(s);
			enter_skip(s, 0, 1);
			if (nl) {
				s->skipping = 0;
				vd_table_end_record(t);
			}
		} else if (!t->stopped && s->csv.pstate != LIBCSV_ROW_NOT_BEGUN) {
			check_partial(s);
			if (t->rec_bad)
				enter_skip(s, s->csv.pstate == LIBCSV_FIELD_BEGUN && s->csv.quoted, 0);
		}
		if (nl)
			s->line++;
		i = end;
	}
}

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
static int check_start(struct csv_src *s, unsigned char *b, size_t *n)
{
	struct vd_table *t = s->t;
	if (*n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		ERR(t, 0, _("the file is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\""));
		return -1;
	}
	/* a workbook (PK, or .xls's D0 CF 11 E0) went to xlsxread.c */
	int bom = *n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3);
	if (bom) {
		memmove(b, b + 3, *n - 3);
		*n -= 3;
	}
	if (s->gbk) {
		int bad;
		size_t ok = vd_utf8_prefix(b, *n, &bad);
		if (bom || (!bad && *n - ok < 4 && has_multibyte(b, ok))) {
			WARN(t, 0, _("encoding = %s is set in [program] but this file is UTF-8; reading it as UTF-8"),
			     t->opt.encoding);
			s->gbk = 0;
		}
	}
	if (s->gbk) {
		s->cd = iconv_open("UTF-8", "GB18030");
		if (s->cd == (iconv_t)-1) {
			ERR(t, 0, _("cannot convert from %s: %s"), t->opt.encoding, strerror(errno));
			return -1;
		}
		s->out = xmalloc(s->outcap);
	}
	return 0;
}

static void bad_utf8(struct csv_src *s, const unsigned char *b, size_t n)
{
	if (looks_gbk(b, n))
		ERR(s->t, s->line, _("the file is not UTF-8; it looks like GBK (Excel on Chinese Windows saves that). Save it as \"CSV UTF-8\" or set encoding = gbk in [program]"));
	else
		ERR(s->t, s->line, _("the file is not valid UTF-8 (byte 0x%02X); save it as \"CSV UTF-8\""),
		    b[0]);
}

/* Feeds the complete lines of text[0 .. n): the part of a line before an
 * encoding error is not read, so the error is the line's only message. */
static void feed_lines(struct csv_src *s, const char *text, size_t n)
{
	while (n && text[n - 1] != '\n')
		n--;
	feed(s, text, n);
}

/* total bytes of UTF-8 at in: feeds the valid ones, keeps a character cut
 * by the chunk's end for the next.  -1 at invalid UTF-8. */
static int take_utf8(struct csv_src *s, size_t total)
{
	int bad;
	size_t ok = vd_utf8_prefix(s->in, total, &bad);
	if (bad) {
		feed_lines(s, (const char *)s->in, ok);
		if (!s->t->stopped)
			bad_utf8(s, s->in + ok, total - ok);
		return -1;
	}
	feed(s, (const char *)s->in, ok);
	s->carry = total - ok;
	memmove(s->in, s->in + ok, s->carry);
	return 0;
}

/* The same for GBK, converted on the way.  -1 at a byte that is not. */
static int take_gbk(struct csv_src *s, size_t total)
{
	struct vd_table *t = s->t;
	char *ip = (char *)s->in, *op = s->out;
	size_t il = total, ol = s->outcap;
	for (;;) {
		size_t k = iconv(s->cd, &ip, &il, &op, &ol);
		int e = errno;
		if (k == (size_t)-1 && e == EILSEQ) {
			feed_lines(s, s->out, (size_t)(op - s->out));
			ERR(t, s->line, _("byte 0x%02X is not valid %s; check encoding = %s in [program], or save the file as \"CSV UTF-8\""),
			    (unsigned char)*ip, t->opt.encoding, t->opt.encoding);
			return -1;
		}
		feed(s, s->out, (size_t)(op - s->out));
		op = s->out;
		ol = s->outcap;
		if (k != (size_t)-1 || t->stopped || e != E2BIG)
			break;
	}
	s->carry = il;
	memmove(s->in, ip, s->carry);
	return 0;
}

/* The end of the file: what is left in the parser or the skipper. */
static void finish(struct csv_src *s)
{
	struct vd_table *t = s->t;
	if (s->carry) {
		ERR(t, s->line, s->gbk ? _("the file ends in the middle of a GBK character; save it again")
		                       : _("the file ends in the middle of a UTF-8 character; save it again"));
		t->unusable = 1;
	} else if (s->skipping) {
		s->skipping = 0;
		vd_table_end_record(t);
	} else if (csv_fini(&s->csv, on_field, on_record, s) != 0) {
		int line = rec_start(s);
		if (t->opt.origin == VD_TABLE_FROM_VDSCHED) {
			parse_failed(t, line, csv_strerror(csv_error(&s->csv)));
		} else {
			ERR(t, line, _("a quoted value starting on this line has no closing quote (\"); add it"));
			t->rec_bad = 1;
			vd_table_end_record(t);
		}
	}
}

/* One chunk: read, checked, converted, parsed. */
static int csv_pump(struct vd_table_src *src, struct vd_table *t)
{
	struct csv_src *s = (struct csv_src *)src;
	if (t->stopped || s->eof)
		return 0;
	size_t n = fread(s->in + s->carry, 1, CHUNK, s->f);
	if (n == 0) {
		s->eof = 1;
		if (ferror(s->f)) {
			ERR(t, 0, _("cannot read: %s"), strerror(errno));
			t->unusable = 1;
			return -1;
		}
		if (!t->unusable)
			finish(s);
		return 0;
	}
	unsigned char *b = s->in + s->carry;
	if (s->first) {
		s->first = 0;
		if (check_start(s, b, &n))
			return t->unusable = 1, 0;
	}
	n = norm_cr(b, n, &s->pending_cr);
	const unsigned char *z = memchr(b, '\0', n);
	if (z) {
		ERR(t, s->line + (int)count_nl(b, (size_t)(z - b)), _("the file contains a NUL byte, so it is not a text CSV file (UTF-16 or a workbook?); save it as \"CSV UTF-8\""));
		return t->unusable = 1, 0;
	}
	if ((s->gbk ? take_gbk : take_utf8)(s, s->carry + n))
		return t->unusable = 1, 0;
	return 1;
}

static void csv_src_free(struct vd_table_src *src)
{
	struct csv_src *s = (struct csv_src *)src;
	csv_free(&s->csv);
	if (s->cd != (iconv_t)-1)
		iconv_close(s->cd);
	free(s->out);
	free(s->in);
	if (s->f)
		fclose(s->f);
	free(s);
}

/* The CSV source reading f, which it now owns. */
static struct csv_src *csv_src_open(struct vd_table *t, FILE *f)
{
	struct csv_src *s = xcalloc(1, sizeof *s);
	s->base.pump = csv_pump;
	s->base.free = csv_src_free;
	s->t = t;
	s->f = f;
	s->line = 1;
	s->first = 1;
	s->gbk = want_gbk(t->opt.encoding);
	s->cd = (iconv_t)-1;
	s->in = xmalloc(CHUNK + 8);
	s->outcap = CHUNK * 2 + 64;
	parser_init(s);
	return s;
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
		*src = &csv_src_open(t, f)->base;
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

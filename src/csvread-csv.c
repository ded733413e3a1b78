/* csvread-csv.c -- csvread's CSV source, per file, one 64 KiB chunk at a
 * time:
 *   read -> (first chunk: BOM / UTF-16 / workbook checks) -> CR and CRLF
 *   become LF -> NUL check -> strict UTF-8 check, or GBK -> UTF-8 with
 *   iconv -> libcsv.
 * The text is handed to csv_parse one physical line at a time, so every
 * callback knows the line it is on; a record's first line is that line
 * minus the newlines inside its first field.  An encoding error is
 * reported after the complete lines before it are read, at its own line.
 * Past field_max or record_max (csvread.c reports it) the rest of a
 * record is skipped by a quote-aware scan without libcsv buffering it.
 *
 * Apart from csvread.c because bytes and encodings are one job and the
 * table (header, records, limits) another that the workbook source
 * (xlsxread.c) shares. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include "csvread-int.h"
#include "i18n.h"
#include "utf8.h"
#include "words.h"
#include "xalloc.h"

#define CHUNK (64 * 1024)
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
/* libcsv's parser states (libcsv.c); struct csv_parser is public. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

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
		vd_table_parse_failed(t, line, csv_strerror(csv_error(&s->csv)));
	} else if (csv_error(&s->csv) == CSV_EPARSE) {
		const char *c = vd_table_col_name(t, t->fidx);
		const char *v = vd_table_excerpt_n(t, (const char *)s->csv.entry_buf, s->csv.entry_pos);
		vd_table_parse_failed(t, line, NULL);
		if (c)
			ERR(t, line, _("stray quote (\") in column '%s' after '%s'; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\""),
			    vd_table_excerpt(t, c), v);
		else
			ERR(t, line, _("stray quote (\") in field %zu after '%s'; put the whole value in quotes and double each quote inside it, e.g. \"Li \"\"Jr\"\"\""),
			    t->fidx + 1, v);
	} else {
		ERR(t, line, _("cannot parse this line: %s"), csv_strerror(csv_error(&s->csv)));
		vd_table_parse_failed(t, line, NULL);
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
		vd_table_too_long_field(t, t->fidx, rec_start(s));
	else if (t->opt.record_max && t->rec_bytes + pending > t->opt.record_max)
		vd_table_too_long_record(t, rec_start(s));
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
			vd_table_parse_failed(t, line, csv_strerror(csv_error(&s->csv)));
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

struct vd_table_src *vd_csv_src_open(struct vd_table *t, FILE *f)
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
	return &s->base;
}

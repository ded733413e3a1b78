/* xlsxread.c -- see xlsxread.h.
 *
 * An .xlsx is a zip (minizip) of XML parts, each read with libxml2's
 * xmlReader streaming straight out of the zip, so a 30,000-row sheet is
 * never held whole:
 *   xl/workbook.xml             the sheets' names in order; date1904
 *   xl/_rels/workbook.xml.rels  which part holds each sheet, and where the
 *                               shared strings and the styles are
 *   sharedStrings.xml           the texts cells refer to by number (kept)
 *   styles.xml                  which cell styles show dates (kept)
 *   the sheet                   read one row per pump
 * A cell becomes the text Excel shows for it: numbers without exponent or
 * ".0", date-styled numbers as YYYY-MM-DD (1900 system with Excel's
 * 1900-02-29, or 1904), booleans TRUE/FALSE, a formula its cached value,
 * an error cell its text (#N/A).
 *
 * Apart from csvread.c because it shares only the table layer with the CSV
 * source: this one is a zip of XML, that one a stream of text. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unzip.h>
#include <libxml/xmlreader.h>
#include "date.h"
#include "i18n.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xlsxread.h"

#define COLS_MAX 16384          /* Excel's last column, XFD */
#define SHEETS_SHOWN 20         /* sheet names listed when one is missing */
#define ATTR_MAX 32             /* bytes kept of a cell's r, t and s */
#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"
#define OLE2_MAGIC "\xD0\xCF\x11\xE0"

#define ERR(t, ...) vd_table_error((t), 0, __VA_ARGS__)

/* One part of the zip, being read. */
struct part {
	unzFile zip;
	const char *name;
	xmlTextReaderPtr rd;
	int open;                /* the zip's current file is this part */
	int unpack_failed;       /* inflate or the checksum failed */
};

enum part_status { PART_OK, PART_MISSING, PART_BROKEN };

/* The sheets as xl/workbook.xml lists them. */
struct sheets {
	char **name, **rel;      /* the relationship id of each */
	size_t n, cap;
};

/* Where the parts are, from the workbook's relationships. */
struct targets {
	char *sheet, *strings, *styles;
};

/* A cell of the row being read: its column, its text in rowtext. */
struct cell {
	size_t col, off, len;
};

struct xlsx_src {
	struct vd_table_src base;
	struct vd_table *t;
	unzFile zip;
	int date1904;
	struct vd_strbuf strings;      /* the shared strings, each NUL-ended */
	size_t *string_off, nstrings, string_cap;
	unsigned char *xf_date;        /* per cell style: shows a date */
	size_t nxf;
	char *sheet_name;              /* the sheet's part */
	struct part sheet;
	int row;                       /* the sheet row being read */
	struct vd_strbuf rowtext, value;
	struct cell *cells;
	size_t ncells, cells_cap;
	int done;
};

/* ---- parts ---- */

static int part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	int n = unzReadCurrentFile(p->zip, buf, (unsigned)len);
	if (n < 0) {
		p->unpack_failed = 1;
		return -1;
	}
	return n;
}

/* libxml2 would print its complaints; the reader's verdict is enough. */
static void quiet(void *arg, const char *msg, xmlParserSeverities severity,
                  xmlTextReaderLocatorPtr locator)
{
	(void)arg; (void)msg; (void)severity; (void)locator;
}

/* Opens part name (any case) of zip. */
static enum part_status part_open(struct part *p, unzFile zip, const char *name)
{
	memset(p, 0, sizeof *p);
	p->zip = zip;
	p->name = name;
	if (unzLocateFile(zip, name, 2) != UNZ_OK)
		return PART_MISSING;
	if (unzOpenCurrentFile(zip) != UNZ_OK) {
		p->unpack_failed = 1;
		return PART_BROKEN;
	}
	p->open = 1;
	p->rd = xmlReaderForIO(part_read, NULL, p, name, NULL, XML_OPTS);
	if (!p->rd)
		return PART_BROKEN;
	xmlTextReaderSetErrorHandler(p->rd, quiet, NULL);
	return PART_OK;
}

/* Closes p; -1 when its checksum was wrong (minizip checks it here). */
static int part_close(struct part *p)
{
	if (p->rd)
		xmlFreeTextReader(p->rd);
	p->rd = NULL;
	if (p->open && unzCloseCurrentFile(p->zip) != UNZ_OK)
		p->unpack_failed = 1;
	p->open = 0;
	return p->unpack_failed ? -1 : 0;
}

/* Reports p as damaged; the table becomes unusable. */
static void damaged(struct vd_table *t, struct part *p)
{
	if (p->unpack_failed || !p->rd)
		ERR(t, _("the workbook is damaged (%s cannot be unpacked); open it in Excel and save it again, or save it as \"CSV UTF-8\""),
		    p->name);
	else
		ERR(t, _("the workbook is damaged (%s is not well-formed XML at its line %d); open it in Excel and save it again, or save it as \"CSV UTF-8\""),
		    p->name, xmlTextReaderGetParserLineNumber(p->rd));
	vd_table_set_unusable(t);
}

static void missing_part(struct vd_table *t, const char *name)
{
	ERR(t, _("the workbook is damaged (%s is missing); open it in Excel and save it again, or save it as \"CSV UTF-8\""),
	    vd_table_excerpt(t, name));
}

static int is_element(xmlTextReaderPtr rd, const char *name)
{
	return xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(rd), name);
}

static int is_end(xmlTextReaderPtr rd, const char *name)
{
	return xmlTextReaderNodeType(rd) == XML_READER_TYPE_END_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(rd), name);
}

/* Attribute name of the current element, malloc'd, or NULL. */
static char *attr_dup(xmlTextReaderPtr rd, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(rd, BAD_CAST name);
	char *s = v ? xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

/* Attribute name into buf (cut to cap - 1 bytes); buf, or NULL. */
static const char *attr_copy(xmlTextReaderPtr rd, const char *name, char *buf, size_t cap)
{
	if (xmlTextReaderMoveToAttribute(rd, BAD_CAST name) != 1)
		return NULL;
	const char *v = (const char *)xmlTextReaderConstValue(rd);
	snprintf(buf, cap, "%s", v ? v : "");
	xmlTextReaderMoveToElement(rd);
	return buf;
}

/* Appends the text of the current element to b, reading up to its end:
 * the text of its <t> and <v> elements (itself one, or the runs of rich
 * text), phonetic guides (<rPh>) left out.  0, or -1 when the part ends
 * or breaks first. */
static int collect_text(struct part *p, struct vd_strbuf *b)
{
	xmlTextReaderPtr rd = p->rd;
	int top = xmlTextReaderDepth(rd);
	const char *own = (const char *)xmlTextReaderConstLocalName(rd);
	int take = !strcmp(own, "t") || !strcmp(own, "v") ? top + 1 : -1;
	int phonetic = -1;
	if (xmlTextReaderIsEmptyElement(rd))
		return 0;
	while (xmlTextReaderRead(rd) == 1) {
		int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);
		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == top)
				return 0;
			if (depth == phonetic)
				phonetic = -1;
			if (depth + 1 == take && depth > top)
				take = -1;
		} else if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(rd)) {
			const char *name = (const char *)xmlTextReaderConstLocalName(rd);
			if (!strcmp(name, "rPh") && phonetic < 0)
				phonetic = depth;
			else if (!strcmp(name, "t") && phonetic < 0)
				take = depth + 1;
		} else if (depth == take && (type == XML_READER_TYPE_TEXT ||
		           type == XML_READER_TYPE_CDATA || type == XML_READER_TYPE_WHITESPACE ||
		           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
			vd_strbuf_cat(b, (const char *)xmlTextReaderConstValue(rd));
		}
	}
	return -1;
}

/* Reads part name to its end, handing each node to fn; fn returns -1 to
 * say the part is damaged.  PART_MISSING when the zip has no such part
 * (nothing reported); PART_BROKEN after reporting it damaged. */
static enum part_status part_scan(struct xlsx_src *s, const char *name,
                                  int (*fn)(struct xlsx_src *, struct part *, void *), void *arg)
{
	struct part p;
	enum part_status st = part_open(&p, s->zip, name);
	int rc = st == PART_OK ? 1 : -1;
	while (rc == 1 && (rc = xmlTextReaderRead(p.rd)) == 1)
		if (fn(s, &p, arg) < 0)
			rc = -1;
	if (st == PART_MISSING) {
		part_close(&p);
		return st;
	}
	if (rc < 0 || part_close(&p) < 0) {
		damaged(s->t, &p);
		part_close(&p);
		return PART_BROKEN;
	}
	return PART_OK;
}

/* ---- the workbook, its relationships ---- */

static int truthy(const char *v)
{
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true"));
}

/* The relationship id of the <sheet> being read: r:id, in the
 * transitional or the strict namespace. */
static char *sheet_rel(xmlTextReaderPtr rd)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(rd, BAD_CAST "id", BAD_CAST REL_NS);
	if (!v)
		v = xmlTextReaderGetAttributeNs(rd, BAD_CAST "id", BAD_CAST REL_NS_STRICT);
	char *s = xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

static int on_workbook(struct xlsx_src *s, struct part *p, void *arg)
{
	struct sheets *sh = arg;
	if (is_element(p->rd, "workbookPr")) {
		char *v = attr_dup(p->rd, "date1904");
		s->date1904 = truthy(v);
		free(v);
	} else if (is_element(p->rd, "sheet")) {
		char *name = attr_dup(p->rd, "name");
		if (!name)
			return -1;
		if (sh->n + 1 > sh->cap) {
			size_t cap = sh->cap;
			xgrow(&sh->name, &cap, sh->n + 1, sizeof *sh->name);
			sh->rel = xreallocarray(sh->rel, cap, sizeof *sh->rel);
			sh->cap = cap;
		}
		sh->name[sh->n] = name;
		sh->rel[sh->n++] = sheet_rel(p->rd);
	}
	return 0;
}

static void sheets_free(struct sheets *sh)
{
	for (size_t i = 0; i < sh->n; i++) {
		free(sh->name[i]);
		free(sh->rel[i]);
	}
	free(sh->name);
	free(sh->rel);
}

/* A relationship's target as a part name: relative to xl/, or absolute. */
static char *part_name(const char *target)
{
	if (target[0] == '/')
		return xstrdup(target + 1);
	return xasprintf("xl/%s", target);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n >= k && !strcmp(s + n - k, tail);
}

struct rels_want {
	const char *sheet_rel;
	struct targets *out;
};

static int on_rels(struct xlsx_src *s, struct part *p, void *arg)
{
	struct rels_want *w = arg;
	(void)s;
	if (!is_element(p->rd, "Relationship"))
		return 0;
	char *id = attr_dup(p->rd, "Id"), *type = attr_dup(p->rd, "Type");
	char *target = attr_dup(p->rd, "Target");
	char **slot = NULL;
	if (id && !strcmp(id, w->sheet_rel))
		slot = &w->out->sheet;
	else if (type && ends_with(type, "/sharedStrings"))
		slot = &w->out->strings;
	else if (type && ends_with(type, "/styles"))
		slot = &w->out->styles;
	if (slot && target && !*slot)
		*slot = part_name(target);
	free(id);
	free(type);
	free(target);
	return 0;
}

/* The index in sh of the sheet called name: exact, then ignoring case;
 * -1 when there is none. */
static long find_sheet(const struct sheets *sh, const char *name)
{
	for (size_t i = 0; i < sh->n; i++)
		if (!strcmp(sh->name[i], name))
			return (long)i;
	for (size_t i = 0; i < sh->n; i++)
		if (!strcasecmp(sh->name[i], name))
			return (long)i;
	return -1;
}

/* book: the workbook's path, whose file name the fix is written with */
static void no_such_sheet(struct vd_table *t, const struct sheets *sh, const char *name,
                          const char *book)
{
	const char *base = strrchr(book, '/');
	struct vd_strbuf list = { 0 };
	for (size_t i = 0; i < sh->n && i < SHEETS_SHOWN; i++) {
		vd_strbuf_cat(&list, i ? ", '" : "'");
		vd_strbuf_cat(&list, vd_table_excerpt(t, sh->name[i]));
		vd_strbuf_cat(&list, "'");
	}
	if (sh->n > SHEETS_SHOWN)
		vd_strbuf_cat(&list, ", ...");
	ERR(t, _("the workbook has no sheet '%s'; its sheets are: %s (write the sheet's name after '#', e.g. %s#%s)"),
	    vd_table_excerpt(t, name), list.s, base ? base + 1 : book, vd_table_excerpt(t, sh->name[0]));
	vd_strbuf_free(&list);
}

/* Which sheet to read; -1 after reporting. */
static long pick_sheet(struct vd_table *t, const struct sheets *sh, const char *sheet,
                       const char *fallback, const char *book)
{
	if (sh->n == 0) {
		ERR(t, _("the workbook has no sheets; open it in Excel and save it again, or save it as \"CSV UTF-8\""));
		return -1;
	}
	if (!sheet) {
		long i = fallback ? find_sheet(sh, fallback) : -1;
		return i >= 0 ? i : 0;
	}
	long i = find_sheet(sh, sheet);
	if (i < 0)
		no_such_sheet(t, sh, sheet, book);
	return i;
}

/* ---- shared strings and styles ---- */

static int on_string(struct xlsx_src *s, struct part *p, void *arg)
{
	(void)arg;
	if (!is_element(p->rd, "si"))
		return 0;
	xgrow(&s->string_off, &s->string_cap, s->nstrings + 1, sizeof *s->string_off);
	s->string_off[s->nstrings++] = s->strings.n;
	int rc = collect_text(p, &s->strings);
	vd_strbuf_catn(&s->strings, "", 1);
	return rc;
}

/* Whether a number format code shows a date: after quoted text, escaped
 * characters, [colour] and [$-locale] parts, its only letters are y, m and
 * d (so h:mm and General are not, yyyy"年"m"月"d"日" is). */
static int date_code(const char *code)
{
	int ymd = 0;
	for (const char *c = code; *c; c++) {
		if (*c == '"') {
			const char *q = strchr(c + 1, '"');
			if (!q)
				return 0;
			c = q;
		} else if (*c == '\\' || *c == '_' || *c == '*') {
			if (!c[1])
				break;
			c++;
		} else if (*c == '[') {
			const char *q = strchr(c, ']');
			if (!q)
				return 0;
			c = q;
		} else if (strchr("yYmMdD", *c)) {
			ymd = 1;
		} else if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) {
			return 0;
		}
	}
	return ymd;
}

/* Excel's built-in date formats (14-22, 45-47), and the ones Chinese
 * Excel adds (27-31, 36, 50-54, 57, 58: yyyy"年"m"月" and the like). */
static int builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 31) ||
	       id == 36 || (id >= 50 && id <= 54) || id == 57 || id == 58;
}

/* What styles.xml says: its custom formats, its cell styles' formats. */
struct style_scan {
	long *fmt_id;
	unsigned char *fmt_date;
	size_t nfmt, fmt_cap;
	long *xf_fmt;
	size_t nxf, xf_cap;
	int in_cell_xfs;
};

static long attr_long(xmlTextReaderPtr rd, const char *name)
{
	char buf[ATTR_MAX];
	const char *v = attr_copy(rd, name, buf, sizeof buf);
	return v ? strtol(v, NULL, 10) : 0;
}

static int on_style(struct xlsx_src *s, struct part *p, void *arg)
{
	struct style_scan *st = arg;
	xmlTextReaderPtr rd = p->rd;
	(void)s;
	if (is_element(rd, "cellXfs")) {
		st->in_cell_xfs = !xmlTextReaderIsEmptyElement(rd);
	} else if (is_end(rd, "cellXfs")) {
		st->in_cell_xfs = 0;
	} else if (is_element(rd, "numFmt")) {
		char *code = attr_dup(rd, "formatCode");
		if (st->nfmt + 1 > st->fmt_cap) {
			size_t cap = st->fmt_cap;
			xgrow(&st->fmt_id, &cap, st->nfmt + 1, sizeof *st->fmt_id);
			st->fmt_date = xreallocarray(st->fmt_date, cap, 1);
			st->fmt_cap = cap;
		}
		st->fmt_id[st->nfmt] = attr_long(rd, "numFmtId");
		st->fmt_date[st->nfmt++] = code && date_code(code);
		free(code);
	} else if (st->in_cell_xfs && is_element(rd, "xf")) {
		xgrow(&st->xf_fmt, &st->xf_cap, st->nxf + 1, sizeof *st->xf_fmt);
		st->xf_fmt[st->nxf++] = attr_long(rd, "numFmtId");
	}
	return 0;
}

/* Each cell style's verdict: its format defined in the file, else built in. */
static void resolve_styles(struct xlsx_src *s, const struct style_scan *st)
{
	s->nxf = st->nxf;
	s->xf_date = xmalloc(st->nxf + 1);
	for (size_t i = 0; i < st->nxf; i++) {
		int date = builtin_date(st->xf_fmt[i]);
		for (size_t k = 0; k < st->nfmt; k++)
			if (st->fmt_id[k] == st->xf_fmt[i])
				date = st->fmt_date[k];
		s->xf_date[i] = (unsigned char)date;
	}
}

static int read_styles(struct xlsx_src *s, const char *name)
{
	struct style_scan st = { 0 };
	enum part_status rc = part_scan(s, name, on_style, &st);
	if (rc != PART_BROKEN)
		resolve_styles(s, &st);
	free(st.fmt_id);
	free(st.fmt_date);
	free(st.xf_fmt);
	return rc == PART_BROKEN ? -1 : 0;
}

/* ---- cells ---- */

/* A number as Excel's General format shows it, 15 significant digits,
 * never with an exponent: 13907760001, 0.3, 100000000000000000000. */
static void put_number(struct vd_strbuf *b, double x)
{
	char buf[400];
	snprintf(buf, sizeof buf, "%.15g", x == 0 ? 0.0 : x);
	if (strchr(buf, 'e')) {
		double y = strtod(buf, NULL);
		int exp10 = (int)floor(log10(fabs(y)));
		int decimals = exp10 >= 14 ? 0 : 14 - exp10;
		snprintf(buf, sizeof buf, "%.*f", decimals, y);
		if (strchr(buf, '.')) {
			char *e = buf + strlen(buf);
			while (e[-1] == '0')
				*--e = '\0';
			if (e[-1] == '.')
				e[-1] = '\0';
		}
	}
	vd_strbuf_cat(b, buf);
}

/* An Excel date serial as YYYY-MM-DD; -1 when out of Excel's range.
 * 1900 system: day 1 is 1900-01-01, and day 60 the 1900-02-29 Lotus
 * believed in; 1904 system: day 0 is 1904-01-01. */
static int put_date(struct vd_strbuf *b, double x, int date1904)
{
	double day = floor(x);
	char buf[16];
	if (!(date1904 ? day >= 0 && day <= 2957003 : day >= 1 && day <= 2958465))
		return -1;             /* also NaN */
	if (!date1904 && day == 60) {
		vd_strbuf_cat(b, "1900-02-29");
		return 0;
	}
	vd_date base = date1904 ? vd_date_from_ymd(1904, 1, 1)
	                        : vd_date_from_ymd(1899, 12, day < 60 ? 31 : 30);
	vd_strbuf_cat(b, vd_date_format(base + (vd_date)day, buf));
	return 0;
}

/* The text of a cell of type kind (t=) and style (s=) whose <v> or <is>
 * says raw, appended to b.  -1 when it names a shared string the
 * workbook does not have. */
static int put_cell(struct xlsx_src *s, const char *kind, const char *style, const char *raw,
                    struct vd_strbuf *b)
{
	char *end;
	if (!kind || !strcmp(kind, "n")) {
		double x = strtod(raw, &end);
		if (end == raw || *end || !isfinite(x)) {   /* not a number Excel writes */
			vd_strbuf_cat(b, raw);
			return 0;
		}
		unsigned long xf = style ? strtoul(style, NULL, 10) : 0;
		if (!(xf < s->nxf && s->xf_date[xf] && put_date(b, x, s->date1904) == 0))
			put_number(b, x);
	} else if (!strcmp(kind, "s")) {
		unsigned long k = strtoul(raw, &end, 10);
		if (end == raw || k >= s->nstrings)
			return -1;
		vd_strbuf_cat(b, s->strings.s + s->string_off[k]);
	} else if (!strcmp(kind, "b")) {
		vd_strbuf_cat(b, truthy(raw) ? "TRUE" : "FALSE");
	} else if (!strcmp(kind, "d") && strlen(raw) > 10 && raw[10] == 'T') {
		vd_strbuf_catn(b, raw, 10);   /* an ISO date-time: its date */
	} else {
		vd_strbuf_cat(b, raw);        /* str, inlineStr, e, d */
	}
	return 0;
}

/* The column of a cell reference (C5: 2); -1 when it is not one. */
static long ref_column(const char *ref)
{
	long col = 0;
	const char *c = ref;
	for (; (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z'); c++) {
		col = col * 26 + ((*c | 0x20) - 'a' + 1);
		if (col > COLS_MAX)
			return -1;
	}
	return c == ref ? -1 : col - 1;
}

/* Reads the <c> element at the reader into the row: its value, if it has
 * one.  -1 when the part is damaged, -2 when the cell names a shared
 * string there is not. */
static int read_cell(struct xlsx_src *s)
{
	xmlTextReaderPtr rd = s->sheet.rd;
	char refb[ATTR_MAX], kindb[ATTR_MAX], styleb[ATTR_MAX];
	const char *ref = attr_copy(rd, "r", refb, sizeof refb);
	const char *kind = attr_copy(rd, "t", kindb, sizeof kindb);
	const char *style = attr_copy(rd, "s", styleb, sizeof styleb);
	size_t next = s->ncells ? s->cells[s->ncells - 1].col + 1 : 0;
	long col = ref ? ref_column(ref) : -1;
	if (col < 0 || (size_t)col < next)
		col = (long)next;
	if (xmlTextReaderIsEmptyElement(rd) || col >= COLS_MAX)
		return 0;
	int top = xmlTextReaderDepth(rd), has_value = 0;
	vd_strbuf_reset(&s->value);
	vd_strbuf_cat(&s->value, "");
	while (xmlTextReaderRead(rd) == 1) {
		if (xmlTextReaderNodeType(rd) == XML_READER_TYPE_END_ELEMENT &&
		    xmlTextReaderDepth(rd) == top) {
			size_t off = s->rowtext.n;
			if (has_value && put_cell(s, kind, style, s->value.s, &s->rowtext) < 0)
				return -2;
			if (s->rowtext.n == off)
				return 0;
			xgrow(&s->cells, &s->cells_cap, s->ncells + 1, sizeof *s->cells);
			s->cells[s->ncells++] = (struct cell){ (size_t)col, off, s->rowtext.n - off };
			return 0;
		}
		if (is_element(rd, "v") || is_element(rd, "is")) {
			has_value = 1;
			if (collect_text(&s->sheet, &s->value) < 0)
				return -1;
		}
	}
	return -1;
}

/* ---- the sheet, one row per pump ---- */

static void row_begin(struct xlsx_src *s)
{
	char buf[ATTR_MAX];
	const char *r = attr_copy(s->sheet.rd, "r", buf, sizeof buf);
	long n = r ? strtol(r, NULL, 10) : 0;
	s->row = n > 0 && n <= 1048576 ? (int)n : s->row + 1;
	s->ncells = 0;
	vd_strbuf_reset(&s->rowtext);
}

/* Hands the row to the table: empty fields for the cells it skips. */
static void row_end(struct xlsx_src *s)
{
	size_t col = 0;
	for (size_t i = 0; i < s->ncells; i++) {
		for (; col < s->cells[i].col; col++)
			vd_table_field(s->t, "", 0, s->row);
		vd_table_field(s->t, s->rowtext.s + s->cells[i].off, s->cells[i].len, s->row);
		col++;
	}
	vd_table_end_record(s->t);
}

static void sheet_over(struct xlsx_src *s, int broken)
{
	s->done = 1;
	if (broken)
		damaged(s->t, &s->sheet);
	if (part_close(&s->sheet) < 0 && !broken)
		damaged(s->t, &s->sheet);
}

static int xlsx_pump(struct vd_table_src *src, struct vd_table *t)
{
	struct xlsx_src *s = (struct xlsx_src *)src;
	xmlTextReaderPtr rd = s->sheet.rd;
	if (s->done || vd_table_stopped(t))
		return 0;
	int rc;
	while ((rc = xmlTextReaderRead(rd)) == 1) {
		if (is_element(rd, "row")) {
			row_begin(s);
			if (xmlTextReaderIsEmptyElement(rd))
				return 1;
		} else if (is_element(rd, "c")) {
			int cell = read_cell(s);
			if (cell == -2) {
				ERR(t, _("the workbook is damaged (a cell in row %d refers to a text it does not hold); open it in Excel and save it again, or save it as \"CSV UTF-8\""),
				    s->row);
				vd_table_set_unusable(t);
				s->done = 1;
				return 0;
			}
			if (cell < 0)
				break;
		} else if (is_end(rd, "row")) {
			row_end(s);
			return 1;
		}
	}
	sheet_over(s, rc != 0);
	return 0;
}

static void xlsx_src_free(struct vd_table_src *src)
{
	struct xlsx_src *s = (struct xlsx_src *)src;
	part_close(&s->sheet);
	if (s->zip)
		unzClose(s->zip);
	vd_strbuf_free(&s->strings);
	vd_strbuf_free(&s->rowtext);
	vd_strbuf_free(&s->value);
	free(s->string_off);
	free(s->xf_date);
	free(s->sheet_name);
	free(s->cells);
	free(s);
}

/* ---- opening ---- */

int vd_xlsx_is_workbook(const unsigned char *head, size_t n, const char *path)
{
	size_t len = strlen(path);
	if (n >= 4 && (!memcmp(head, "PK\3\4", 4) || !memcmp(head, OLE2_MAGIC, 4)))
		return 1;
	return len > 5 && (!strcasecmp(path + len - 5, ".xlsx") || !strcasecmp(path + len - 5, ".xlsm"));
}

/* A file the workbook source was given that is no zip at all: an old
 * .xls, a workbook with a password, or something else named .xlsx.
 * Reports why; 0 when it is a zip after all. */
static int not_a_zip(struct vd_table *t, const char *path)
{
	unsigned char head[4] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	if (n == 4 && !memcmp(head, "PK\3\4", 4))
		return 0;
	if (n == 4 && !memcmp(head, OLE2_MAGIC, 4))
		ERR(t, _("the file is an old Excel workbook (.xls) or one with a password, which vdsched cannot read; in Excel remove the password (文件 → 信息 → 保护工作簿) and use Save As \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8 (Comma delimited)\""));
	else
		ERR(t, _("the file is named like an Excel workbook (.xlsx) but is not one; open it in Excel and use Save As \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8 (Comma delimited)\""));
	return -1;
}

/* The workbook's parts up to the sheet's: the sheet list, the sheet
 * picked, the relationships, the shared strings, the styles.  -1 after
 * reporting. */
static int read_book(struct xlsx_src *s, const char *book, const char *sheet,
                     const char *fallback)
{
	struct vd_table *t = s->t;
	struct sheets sh = { 0 };
	struct targets tg = { 0 };
	int rc = -1;
	enum part_status st = part_scan(s, "xl/workbook.xml", on_workbook, &sh);
	if (st == PART_MISSING)
		ERR(t, _("the file is a zip but not an Excel workbook (it has no xl/workbook.xml); open the table in Excel and use Save As \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8 (Comma delimited)\""));
	long pick = st == PART_OK ? pick_sheet(t, &sh, sheet, fallback, book) : -1;
	if (pick >= 0) {
		struct rels_want w = { sh.rel[pick], &tg };
		st = part_scan(s, "xl/_rels/workbook.xml.rels", on_rels, &w);
		if (st == PART_OK && !tg.sheet)
			st = PART_MISSING;
		if (st == PART_MISSING)
			missing_part(t, "xl/_rels/workbook.xml.rels");
	}
	if (pick >= 0 && st == PART_OK &&
	    part_scan(s, tg.strings ? tg.strings : "xl/sharedStrings.xml", on_string, NULL) != PART_BROKEN &&
	    read_styles(s, tg.styles ? tg.styles : "xl/styles.xml") == 0) {
		s->sheet_name = tg.sheet;
		tg.sheet = NULL;
		rc = 0;
	}
	sheets_free(&sh);
	free(tg.sheet);
	free(tg.strings);
	free(tg.styles);
	return rc;
}

struct vd_table_src *vd_xlsx_src_open(struct vd_table *t, const char *path, const char *sheet,
                                      const char *fallback)
{
	if (not_a_zip(t, path)) {
		vd_table_set_unusable(t);
		return NULL;
	}
	struct xlsx_src *s = xcalloc(1, sizeof *s);
	s->base.pump = xlsx_pump;
	s->base.free = xlsx_src_free;
	s->t = t;
	s->zip = unzOpen64(path);
	if (!s->zip) {
		ERR(t, _("the workbook cannot be opened: it is cut short or damaged (not a whole zip file); open it in Excel and save it again, or save it as \"CSV UTF-8\""));
	} else if (read_book(s, path, sheet, fallback) == 0) {
		enum part_status st = part_open(&s->sheet, s->zip, s->sheet_name);
		if (st == PART_OK)
			return &s->base;
		if (st == PART_MISSING)
			missing_part(t, s->sheet_name);
		else
			damaged(t, &s->sheet);
	}
	vd_table_set_unusable(t);
	xlsx_src_free(&s->base);
	return NULL;
}

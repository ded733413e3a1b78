/* icsstate.c -- see icsstate.h */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"
#include "csvwrite.h"
#include "fsutil.h"
#include "date.h"
#include "hash.h"
#include "i18n.h"
#include "icsstate.h"
#include "model.h"
#include "xalloc.h"

#define NFIELDS 7
#define FIELD_MAX 4096

uint64_t vd_ev_key(size_t cal, const char *uid, size_t n)
{
	uint32_t c = (uint32_t)cal;
	unsigned char b[4] = { (unsigned char)c, (unsigned char)(c >> 8),
	                       (unsigned char)(c >> 16), (unsigned char)(c >> 24) };
	return vd_fnv1a(vd_fnv1a(VD_FNV1A_INIT, b, 4), uid, n);
}

/* The property name of the content line at s: up to ':' or ';'. */
static int line_is(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);
	return n > k && !memcmp(s, name, k) && (s[k] == ':' || s[k] == ';');
}

uint64_t vd_ev_hash(const char *s, size_t n)
{
	uint64_t h = VD_FNV1A_INIT;
	int depth = 0;
	size_t a = 0;
	while (a < n) {
		/* the content line [a, b): up to a CRLF not followed by a fold */
		size_t b = a;
		for (;;) {
			const char *nl = memchr(s + b, '\n', n - b);
			b = nl ? (size_t)(nl - s) + 1 : n;
			if (b >= n || (s[b] != ' ' && s[b] != '\t'))
				break;
		}
		const char *l = s + a;
		size_t len = b - a;
		if (line_is(l, len, "BEGIN"))
			depth++;
		int skip = depth == 1 && (line_is(l, len, "UID") || line_is(l, len, "DTSTAMP") ||
		                          line_is(l, len, "SEQUENCE") || line_is(l, len, "LAST-MODIFIED"));
		if (line_is(l, len, "END"))
			depth--;
		if (!skip) {
			/* unfolded: CRLF + one blank dropped */
			size_t i = 0;
			while (i < len) {
				const char *f = memchr(l + i, '\r', len - i);
				size_t stop = f ? (size_t)(f - l) : len;
				h = vd_fnv1a(h, l + i, stop - i);
				i = stop;
				if (i + 2 < len && l[i + 1] == '\n' && (l[i + 2] == ' ' || l[i + 2] == '\t')) {
					i += 3;
				} else if (i < len) {
					h = vd_fnv1a(h, l + i, 1);
					i++;
				}
			}
		}
		a = b;
	}
	return h;
}

char *vd_utc_format(int64_t t, char *buf)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sec = t - days * 86400;
	int y, m, d;
	vd_date_to_ymd((vd_date)days, &y, &m, &d);
	/* digits by hand: the year is 4 digits for any date vdsched plans */
	int v[6] = { y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60) };
	char *c = buf;
	for (int k = 0; k < 6; k++) {
		int w = k ? 2 : 4, x = v[k] < 0 ? 0 : v[k];
		for (int i = w - 1; i >= 0; i--, x /= 10)
			c[i] = (char)('0' + x % 10);
		c += w;
		if (k == 2)
			*c++ = 'T';
	}
	*c++ = 'Z';
	*c = '\0';
	return buf;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int vd_utc_parse(const char *s, int64_t *t)
{
	if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	int y = digits(s, 4), mo = digits(s + 4, 2), d = digits(s + 6, 2);
	int h = digits(s + 9, 2), mi = digits(s + 11, 2), se = digits(s + 13, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 59)
		return -1;
	vd_date day = vd_date_from_ymd(y, mo, d);
	int y2, m2, d2;
	vd_date_to_ymd(day, &y2, &m2, &d2);
	if (y2 != y || m2 != mo || d2 != d)
		return -1;
	*t = (int64_t)day * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* ---- the table ---- */

/* FNV-1a's low bits mix poorly: the slot comes from the high bits of the
 * key times an odd constant */
static size_t slot_of(const struct vd_evstate *st, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & st->tabmask;
}

static void tab_put(struct vd_evstate *st, size_t row)
{
	size_t i = slot_of(st, st->rows[row].key);
	while (st->tab[i])
		i = (i + 1) & st->tabmask;
	st->tab[i] = (uint32_t)(row + 1);
}

struct vd_evrow *vd_evstate_find(const struct vd_evstate *st, uint64_t key)
{
	if (!st->tab)
		return NULL;
	size_t i = slot_of(st, key);
	for (; st->tab[i]; i = (i + 1) & st->tabmask)
		if (st->rows[st->tab[i] - 1].key == key)
			return &st->rows[st->tab[i] - 1];
	return NULL;
}

size_t vd_evstate_cal(const struct vd_evstate *st, const char *calendar)
{
	return vd_hmap_get(&st->calmap, calendar);
}

void vd_evstate_free(struct vd_evstate *st)
{
	for (size_t i = 0; i < st->ncals; i++)
		free(st->cals[i]);
	free(st->cals);
	free(st->rows);
	free(st->tab);
	vd_hmap_free(&st->calmap);
	memset(st, 0, sizeof *st);
}

/* ---- reading ---- */

struct events_reader {
	struct vd_evstate *st;
	struct vd_diag *dg;
	const char *path;
	int line;          /* of the row being checked */
	int bad;           /* rows rejected: the first five are reported */
};

static int calendar_ok(const char *s)
{
	const char *id;
	return vd_calkind_of(s, &id) != VD_NCALKINDS && vd_id_valid(id);
}

static int parse_uint(const char *s, uint32_t *v)
{
	char *end;
	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long x = strtoul(s, &end, 10);
	if (errno || *end || x > 0x7fffffffUL)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int parse_hex(const char *s, uint64_t *v)
{
	if (strlen(s) != 16)
		return -1;
	uint64_t x = 0;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

static void row_error(struct events_reader *r, const char *what, const char *val)
{
	if (r->bad++ < 5)
		vd_error(r->dg, r->path, r->line, _("%s '%s' is not valid; this file is written by vdsched plan, restore it from that plan's output"),
		         what, val);
}

static void on_record(void *ctx, struct vd_table *t, const struct vd_record *rec)
{
	(void)t;
	struct events_reader *r = ctx;
	const char *const *f = rec->field;
	size_t nf = rec->nfields;
	r->line = rec->line;
	if (rec->index == 0) {
		static const char *const hdr[NFIELDS] = { "calendar", "uid", "sequence", "dtstamp",
			"last_modified", "hash", "status" };
		int ok = nf == NFIELDS;
		for (size_t k = 0; ok && k < NFIELDS; k++)
			ok = !strcmp(f[k], hdr[k]);
		if (!ok && r->bad++ < 5)
			vd_error(r->dg, r->path, 1, _("the header is not '%s'; this file is written by vdsched plan"),
			         VD_EVENTS_CSV_HEADER);
		return;
	}
	if (nf != NFIELDS) {
		if (r->bad++ < 5)
			vd_error(r->dg, r->path, r->line, _("%zu fields, want %d (%s)"), nf, NFIELDS,
			         VD_EVENTS_CSV_HEADER);
		return;
	}
	struct vd_evstate *st = r->st;
	struct vd_evrow row;
	memset(&row, 0, sizeof row);
	if (!calendar_ok(f[0]))
		return row_error(r, "calendar", f[0]);
	if (!rec->len[1] || rec->len[1] >= FIELD_MAX || strpbrk(f[1], "\r\n"))
		return row_error(r, "uid", f[1]);
	if (parse_uint(f[2], &row.seq))
		return row_error(r, "sequence", f[2]);
	if (vd_utc_parse(f[3], &row.stamp))
		return row_error(r, "dtstamp", f[3]);
	if (vd_utc_parse(f[4], &row.lastmod))
		return row_error(r, "last_modified", f[4]);
	if (parse_hex(f[5], &row.hash))
		return row_error(r, "hash", f[5]);
	if (!strcmp(f[6], "CANCELLED"))
		row.cancelled = 1;
	else if (strcmp(f[6], "CONFIRMED"))
		return row_error(r, "status", f[6]);
	size_t cal = vd_hmap_get(&st->calmap, f[0]);
	if (cal == (size_t)-1) {
		cal = st->ncals;
		xgrow(&st->cals, &st->calcap, st->ncals + 1, sizeof *st->cals);
		st->cals[st->ncals++] = xstrdup(f[0]);
		vd_hmap_put(&st->calmap, st->cals[cal], cal);
	}
	row.cal = (uint32_t)cal;
	row.key = vd_ev_key(cal, f[1], rec->len[1]);
	if (vd_evstate_find(st, row.key)) {
		if (r->bad++ < 5)
			vd_error(r->dg, r->path, r->line, _("event '%s' of %s is listed twice"), f[1], f[0]);
		return;
	}
	xgrow(&st->rows, &st->cap, st->n + 1, sizeof *st->rows);
	st->rows[st->n] = row;
	/* the table is rebuilt at twice the rows, so it stays at most half full */
	if (2 * (st->n + 1) > st->tabmask) {
		size_t cap = st->tabmask ? 2 * (st->tabmask + 1) : 1024;
		free(st->tab);
		st->tab = xcalloc(cap, sizeof *st->tab);
		st->tabmask = cap - 1;
		for (size_t i = 0; i < st->n; i++)
			tab_put(st, i);
	}
	tab_put(st, st->n);
	st->n++;
}

int vd_evstate_load(struct vd_evstate *st, const char *path, struct vd_diag *dg)
{
	memset(st, 0, sizeof *st);
	vd_hmap_init(&st->calmap);
	struct events_reader r = { .st = st, .dg = dg, .path = path };
	struct vd_table_opts opts = { .origin = VD_TABLE_FROM_VDSCHED };
	struct vd_table *t = vd_table_new();
	int rc = vd_table_read(t, path, &opts, dg, on_record, &r);
	int line;
	const char *why = vd_table_parse_error(t, &line);
	if (rc && !vd_table_errors(t))
		vd_error(dg, path, 0, _("cannot read the previous plan's events: %s"), strerror(errno));
	else if (why)
		vd_error(dg, path, line, _("not CSV: %s"), why);
	else if (!rc && !vd_table_unusable(t) && vd_table_records(t) == 0)
		vd_error(dg, path, 0, _("empty file; this file is written by vdsched plan"));
	int bad = rc || vd_table_unusable(t) || vd_table_records(t) == 0 || r.bad;
	vd_table_free(t);
	if (bad) {
		vd_evstate_free(st);
		return -1;
	}
	return 0;
}

/* ---- writing ---- */

/* Appends one field of state/events.csv (quoted when it must be; our ids
 * never need it). */
static void csv_field(struct vd_strbuf *b, const char *s, int last)
{
	size_t n = strlen(s);
	b->n += vd_csv_format(vd_strbuf_reserve(b, VD_CSV_FORMAT_MAX(n)), s, VD_CSV_PLAIN);
	vd_strbuf_cat(b, last ? "\r\n" : ",");
}

int vd_evwriter_open(struct vd_evwriter *ew, const char *path, struct vd_diag *dg)
{
	memset(ew, 0, sizeof *ew);
	ew->path = xstrdup(path);
	if (!(ew->f = vd_open_out(dg, path, VD_OUT_NEW)))
		return -1;
	setvbuf(ew->f, NULL, _IOFBF, 1 << 16);
	fputs(VD_EVENTS_CSV_HEADER "\r\n", ew->f);
	return 0;
}

void vd_evwriter_row(struct vd_evwriter *ew, const char *calendar, const char *uid, uint32_t seq,
                     int64_t stamp, int64_t lastmod, uint64_t hash, int cancelled)
{
	if (ew->err)
		return;
	struct vd_strbuf *b = &ew->row;
	char t[17], h[17];
	vd_strbuf_reset(b);
	csv_field(b, calendar, 0);
	csv_field(b, uid, 0);
	vd_strbuf_num(b, seq);
	vd_strbuf_cat(b, ",");
	/* the stamps take few values: the last one formatted is kept */
	if (stamp != ew->tlast || !ew->tfmt[0])
		vd_utc_format(ew->tlast = stamp, ew->tfmt);
	vd_strbuf_catn(b, ew->tfmt, 16);
	vd_strbuf_cat(b, ",");
	vd_strbuf_catn(b, lastmod == stamp ? ew->tfmt : vd_utc_format(lastmod, t), 16);
	vd_strbuf_cat(b, ",");
	for (int i = 0; i < 16; i++)
		h[i] = "0123456789abcdef"[(hash >> (60 - 4 * i)) & 15];
	h[16] = '\0';
	vd_strbuf_cat(b, h);
	vd_strbuf_cat(b, cancelled ? ",CANCELLED\r\n" : ",CONFIRMED\r\n");
	if (fwrite(b->s, 1, b->n, ew->f) != b->n)
		ew->err = errno ? errno : EIO;
}

int vd_evwriter_close(struct vd_evwriter *ew, int report, struct vd_diag *dg)
{
	if (ew->f) {
		if (fflush(ew->f) != 0 && !ew->err)
			ew->err = errno ? errno : EIO;
		if (fclose(ew->f) != 0 && !ew->err)
			ew->err = errno ? errno : EIO;
		ew->f = NULL;
	}
	int rc = ew->err ? -1 : 0;
	if (rc && report)
		vd_error(dg, ew->path, 0, _("cannot write: %s"), strerror(ew->err));
	free(ew->path);
	vd_strbuf_free(&ew->row);
	memset(ew, 0, sizeof *ew);
	return rc;
}

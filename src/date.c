/* date.c -- civil-date arithmetic (Howard Hinnant's days_from_civil). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "date.h"
#include "words.h"
#include "vdsched/plugin.h"
#include "xalloc.h"

vd_date vd_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int)doe - 719468;
}

vd_date vd_date_add_years(vd_date t, int n)
{
	int y, m, d;
	vd_date_to_ymd(t, &y, &m, &d);
	y += n;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return vd_date_from_ymd(y, m, m == 2 && d == 29 && !leap ? 28 : d);
}

void vd_date_to_ymd(vd_date z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* A digit at *s, ASCII or full-width (a Chinese IME in full-width mode
 * types ０-９): its value, *s moved past it; -1 if none. */
static int digit(const char **s)
{
	const unsigned char *u = (const unsigned char *)*s;
	if (*u >= '0' && *u <= '9') {
		*s += 1;
		return *u - '0';
	}
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*s += 3;
		return u[2] - 0x90;
	}
	return -1;
}

/* Up to max digits at *s as a number, at least min of them; -1 if fewer. */
static int number(const char **s, int min, int max)
{
	int v = 0, k = 0, d;
	const char *t = *s;
	while (k < max && (d = digit(&t)) >= 0) {
		v = v * 10 + d;
		k++;
		*s = t;
	}
	return k >= min ? v : -1;
}

/* The byte string at *s if it is there, *s moved past it. */
static int lit(const char **s, const char *w)
{
	size_t n = strlen(w);
	if (strncmp(*s, w, n) != 0)
		return 0;
	*s += n;
	return 1;
}

/* A date separator at *s: '-' '/' '.' or their full-width forms; 0 if none. */
static int date_sep(const char **s)
{
	static const char *const seps[][2] = {
		{ "-", "-" }, { "/", "/" }, { ".", "." },
		{ "\xEF\xBC\x8D", "-" }, { "\xEF\xBC\x8F", "/" }, { "\xEF\xBC\x8E", "." },
	};
	if ((*s)[0] == '.' && (*s)[1] == '.')
		return 0;   /* a range's "..", not a separator */
	for (size_t i = 0; i < sizeof seps / sizeof *seps; i++)
		if (lit(s, seps[i][0]))
			return seps[i][1][0];
	return 0;
}

/* Parses a date at s in one of the forms of VD_DATE_FORMS: the year, then
 * month and day of one or two digits, separated by one of - / . used
 * twice, or written 2026年5月11日 (the 日 may be left out).  Returns the
 * bytes consumed, or 0 with *impossible set when it had the shape of a
 * date but no such day exists (2026-02-30, month 13).  *hyphen says
 * whether it was written with hyphens (2026-5-11). */
static size_t parse_at(const char *s, vd_date *out, int *impossible, int *hyphen)
{
	const char *t = s;
	*impossible = 0;
	int y = number(&t, 4, 4), m, d;
	*hyphen = 0;
	if (y < 0)
		return 0;
	if (lit(&t, "年")) {
		if ((m = number(&t, 1, 2)) < 0 || !lit(&t, "月") || (d = number(&t, 1, 2)) < 0)
			return 0;
		lit(&t, "日");
	} else {
		int sep = date_sep(&t);
		if (!sep || (m = number(&t, 1, 2)) < 0 || date_sep(&t) != sep ||
		    (d = number(&t, 1, 2)) < 0)
			return 0;
		*hyphen = sep == '-';
	}
	if (digit(&(const char *){ t }) >= 0)
		return 0;   /* 2026-05-111 */
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
		*impossible = 1;
		return 0;
	}
	*out = vd_date_from_ymd(y, m, d);
	return (size_t)(t - s);
}

/* Length of the blanks (space, tab, U+3000) at s. */
static size_t blanks(const char *s)
{
	size_t n = 0;
	for (;;) {
		if (s[n] == ' ' || s[n] == '\t')
			n++;
		else if (!strncmp(s + n, "\xE3\x80\x80", 3))
			n += 3;
		else
			return n;
	}
}

static int at_end(const char *s)
{
	return !s[blanks(s)];
}

int vd_date_parse(const char *s, vd_date *out)
{
	if (!s)
		return -1;
	s += blanks(s);
	int impossible, hyphen;
	size_t n = parse_at(s, out, &impossible, &hyphen);
	if (!n)
		return impossible ? -3 : -1;
	return at_end(s + n) ? 0 : -1;
}

int vd_range_parse(const char *s, struct vd_range *out)
{
	/* what Chinese offices write between the two dates */
	static const char *const to[] = {
		"..", "～", "〜", "~", "至", "到", NULL
	};
	/* a dash, as offices also write, only where the dates have no
	 * hyphens of their own (2026/4/21-2026/4/27, not 2026-4-21-2026-4-27):
	 * hyphen, full-width hyphen, en dash, em dash */
	static const char *const dash[] = {
		"-", "\xEF\xBC\x8D", "\xE2\x80\x93", "\xE2\x80\x94", NULL
	};
	int impossible, hyphen_a, hyphen_b;
	s += blanks(s);
	size_t n = parse_at(s, &out->a, &impossible, &hyphen_a);
	if (!n)
		return impossible ? -3 : -1;
	s += n;
	if (at_end(s)) {
		out->b = out->a;
		return 0;
	}
	s += blanks(s);
	int found = 0;
	for (const char *const *w = to; *w && !found; w++)
		found = lit(&s, *w);
	int dashed = 0;
	for (const char *const *w = dash; *w && !found && !hyphen_a; w++)
		found = dashed = lit(&s, *w);
	if (!found)
		return -1;
	s += blanks(s);
	n = parse_at(s, &out->b, &impossible, &hyphen_b);
	if (!n)
		return impossible ? -3 : -1;
	if (!at_end(s + n) || (dashed && hyphen_b))
		return -1;
	return out->b < out->a ? -2 : 0;
}

char *vd_date_format(vd_date t, char *buf)
{
	int y, m, d;
	vd_date_to_ymd(t, &y, &m, &d);
	unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
	snprintf(buf, 11, "%04u-%02u-%02u", yy, mm, dd);
	return buf;
}

int vd_weekday(vd_date t)
{
	/* 1970-01-01 was a Thursday (3) */
	int w = (int)((t + 3) % 7);
	return w < 0 ? w + 7 : w;
}

static int day_index(const char *w, size_t n)
{
	static const char *const en[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	static const char *const zh[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
	for (int i = 0; i < 7; i++) {
		if (n == 3 && strncasecmp(w, en[i], 3) == 0)
			return i;
		if (n == strlen(zh[i]) && strncmp(w, zh[i], n) == 0)
			return i;
	}
	if (n == strlen("周天") && strncmp(w, "周天", n) == 0)
		return 6;
	return -1;
}

int vd_days_parse(const char *s, unsigned *mask, char **bad)
{
	unsigned m = 0;
	const char *w;
	size_t n;
	*bad = NULL;
	while ((w = vd_list_next(&s, &n))) {
		const char *dash = memchr(w, '-', n);
		int a, b;
		if (dash) {
			a = day_index(w, (size_t)(dash - w));
			b = day_index(dash + 1, n - (size_t)(dash - w) - 1);
		} else {
			a = b = day_index(w, n);
		}
		if (a < 0 || b < 0 || b < a) {
			*bad = xstrndup(w, n);
			return -1;
		}
		for (int i = a; i <= b; i++)
			m |= 1u << i;
	}
	if (!m) {
		*bad = xstrdup("");
		return -1;
	}
	*mask = m;
	return 0;
}

int vd_in_ranges(const struct vd_range *r, size_t n, vd_date t)
{
	for (size_t i = 0; i < n; i++)
		if (t >= r[i].a && t <= r[i].b)
			return 1;
	return 0;
}

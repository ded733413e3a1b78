/* date.c -- civil-date arithmetic (Howard Hinnant's days_from_civil). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "date.h"
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

/* Parses YYYY-MM-DD at s; returns characters consumed or 0. */
static size_t parse_at(const char *s, vd_date *out)
{
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return 0;
	*out = vd_date_from_ymd(y, m, d);
	return 10;
}

int vd_date_parse(const char *s, vd_date *out)
{
	if (!s || strlen(s) != 10 || !parse_at(s, out))
		return -1;
	return 0;
}

int vd_range_parse(const char *s, struct vd_range *out)
{
	size_t n = parse_at(s, &out->a);
	if (!n)
		return -1;
	if (s[n] == '\0') {
		out->b = out->a;
		return 0;
	}
	if (strncmp(s + n, "..", 2) != 0)
		return -1;
	s += n + 2;
	if (strlen(s) != 10 || !parse_at(s, &out->b))
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
	*bad = NULL;
	while (*s) {
		size_t skip = strspn(s, " \t,;");
		s += skip;
		if (!*s)
			break;
		size_t n = strcspn(s, " \t,;");
		const char *dash = memchr(s, '-', n);
		int a, b;
		if (dash) {
			a = day_index(s, (size_t)(dash - s));
			b = day_index(dash + 1, n - (size_t)(dash - s) - 1);
		} else {
			a = b = day_index(s, n);
		}
		if (a < 0 || b < 0 || b < a) {
			*bad = xstrndup(s, n);
			return -1;
		}
		for (int i = a; i <= b; i++)
			m |= 1u << i;
		s += n;
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

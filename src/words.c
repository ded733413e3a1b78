/* words.c -- see words.h */
#include <string.h>
#include "words.h"

size_t vd_blank(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)     /* U+3000 */
		return 3;
	return 0;
}

size_t vd_list_sep(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (*u == ',' || *u == ';')
		return 1;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x81)     /* 、 */
		return 3;
	if (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x8C || u[2] == 0x9B))  /* ，； */
		return 3;
	return vd_blank(s);
}

const char *vd_list_next(const char **sp, size_t *len)
{
	const char *s = *sp;
	size_t k;
	while ((k = vd_list_sep(s)))
		s += k;
	if (!*s) {
		*sp = s;
		return NULL;
	}
	const char *w = s;
	while (*s && !vd_list_sep(s))
		s++;
	*len = (size_t)(s - w);
	*sp = s;
	return w;
}

char *vd_trim(char *s)
{
	size_t k;
	for (;;) {
		if (!strncmp(s, "\xEF\xBB\xBF", 3))
			s += 3;
		else if ((k = vd_blank(s)))
			s += k;
		else
			break;
	}
	size_t n = strlen(s);
	for (;;) {
		if (n && vd_blank(s + n - 1) == 1)
			n--;
		else if (n >= 3 && vd_blank(s + n - 3) == 3)
			n -= 3;
		else
			break;
	}
	s[n] = '\0';
	return s;
}

/* Code points of s, at most VD_NEAR_MAX; VD_NEAR_MAX + 1 when longer. */
static size_t to_cps(const char *s, uint32_t *out)
{
	size_t n = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		if (n == VD_NEAR_MAX)
			return VD_NEAR_MAX + 1;
		uint32_t c = *u++;
		if (c >= 0xC0) {
			int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
			c &= 0x3Fu >> more;
			while (more-- && (*u & 0xC0) == 0x80)
				c = (c << 6) | (*u++ & 0x3Fu);
		}
		out[n++] = c;
	}
	return n;
}

void vd_near_init(struct vd_near *g, const char *word)
{
	g->nq = to_cps(word, g->q);
	g->best = g->nq <= 3 ? 1 : g->nq <= 6 ? 2 : 3;
	g->pick = NULL;
}

void vd_near_try(struct vd_near *g, const char *cand)
{
	uint32_t c[VD_NEAR_MAX + 1];
	size_t nc, row[VD_NEAR_MAX + 2];
	if (g->nq > VD_NEAR_MAX || !cand || (nc = to_cps(cand, c)) > VD_NEAR_MAX)
		return;
	if (g->pick && g->best == 0)
		return;
	size_t lim = g->pick ? g->best - 1 : g->best;
	if ((nc > g->nq ? nc - g->nq : g->nq - nc) > lim)
		return;
	for (size_t j = 0; j <= nc; j++)
		row[j] = j;
	for (size_t i = 1; i <= g->nq; i++) {
		size_t diag = row[0], lo;
		row[0] = i;
		lo = row[0];
		for (size_t j = 1; j <= nc; j++) {
			size_t up = row[j];
			size_t v = diag + (g->q[i - 1] != c[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < lo)
				lo = v;
		}
		if (lo > lim)
			return;   /* every path is already too far */
	}
	if (row[nc] <= lim) {
		g->best = row[nc];
		g->pick = cand;
	}
}

const char *vd_nearest(const char *word, const char *const *list)
{
	struct vd_near g;
	vd_near_init(&g, word);
	for (; *list; list++)
		vd_near_try(&g, *list);
	return g.pick;
}

/* strbuf.c -- see strbuf.h; what is not inline there. */
#include <stdlib.h>
#include "strbuf.h"
#include "xalloc.h"

char *vd_strbuf_reserve(struct vd_strbuf *b, size_t n)
{
	xgrow(&b->s, &b->cap, b->n + n + 1, 1);
	return b->s + b->n;
}

void vd_strbuf_num(struct vd_strbuf *b, uintmax_t v)
{
	char num[24], *e = num + sizeof num, *c = e;
	do
		*--c = (char)('0' + v % 10);
	while (v /= 10);
	vd_strbuf_catn(b, c, (size_t)(e - c));
}

char *vd_strbuf_take(struct vd_strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

void vd_strbuf_free(struct vd_strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
}

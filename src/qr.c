/* qr.c -- see qr.h.  Apart from print.c because certificates and cohort
 * pages both draw codes, and the cache is a job of its own. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>
#include "print.h"
#include "qr.h"
#include "xalloc.h"

#define QR_QUIET 4    /* modules of white around the code, as ISO 18004 asks */
#define QR_WIDTH_MAX 177  /* modules across a version 40 code */

/* A code's dark modules, row by row, one bit each. */
struct vd_qr {
	int width;
	uint8_t bits[];
};

static int dark(const struct vd_qr *q, int x, int y)
{
	size_t i = (size_t)y * (size_t)q->width + (size_t)x;
	return q->bits[i / 8] >> (i % 8) & 1;
}

static struct vd_qr *encode(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	size_t w = (size_t)qr->width, n = w * w;
	struct vd_qr *q = xcalloc(1, sizeof *q + (n + 7) / 8);
	q->width = qr->width;
	for (size_t i = 0; i < n; i++)
		if (qr->data[i] & 1)
			q->bits[i / 8] |= (uint8_t)(1u << (i % 8));
	QRcode_free(qr);
	return q;
}

/* v in decimal at s; returns the end */
static char *put_uint(char *s, unsigned v)
{
	char t[10];
	int n = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*s++ = t[--n];
	return s;
}

static void draw(FILE *f, const struct vd_qr *q, const char *text, double module_mm)
{
	int w = q->width, n = w + 2 * QR_QUIET;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\" "
	        "width=\"%.3fmm\" height=\"%.3fmm\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"",
	        n, n, n * module_mm, n * module_mm);
	vd_html_put(f, text);
	fprintf(f, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", n, n);
	/* one rectangle per horizontal run of dark modules, "M%d %dh%dv1h-%dz",
	 * a row at a time: a code is drawn on every page that carries it, and
	 * one fprintf per run was a fifth of the pages' time */
	char row[(QR_WIDTH_MAX / 2 + 1) * 24];
	for (int y = 0; y < w; y++) {
		char *s = row;
		for (int x = 0; x < w;) {
			if (!dark(q, x, y)) {
				x++;
				continue;
			}
			int x0 = x;
			while (x < w && dark(q, x, y))
				x++;
			*s++ = 'M';
			s = put_uint(s, (unsigned)(x0 + QR_QUIET));
			*s++ = ' ';
			s = put_uint(s, (unsigned)(y + QR_QUIET));
			*s++ = 'h';
			s = put_uint(s, (unsigned)(x - x0));
			memcpy(s, "v1h-", 4);
			s = put_uint(s + 4, (unsigned)(x - x0));
			*s++ = 'z';
		}
		fwrite(row, 1, (size_t)(s - row), f);
	}
	fputs("\"/></svg>", f);
}

int vd_qr_svg(FILE *f, const char *text, double module_mm)
{
	struct vd_qr *q = encode(text);
	if (!q)
		return -1;
	draw(f, q, text, module_mm);
	free(q);
	return 0;
}

int vd_qr_svg_cached(FILE *f, struct vd_qr_cache *c, size_t key, const char *text,
                     double module_mm)
{
	if (!c->code[key] && !(c->code[key] = encode(text)))
		return -1;
	draw(f, c->code[key], text, module_mm);
	return 0;
}

void vd_qr_cache_init(struct vd_qr_cache *c, size_t n)
{
	c->code = xcalloc(n ? n : 1, sizeof *c->code);
	c->n = n;
}

void vd_qr_cache_free(struct vd_qr_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->code[i]);
	free(c->code);
	c->code = NULL;
	c->n = 0;
}

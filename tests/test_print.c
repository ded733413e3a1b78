/* test_print.c -- calendar addresses, base_url checking, HTML escaping and
 * the QR code's SVG. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <qrencode.h>
#include "print.h"
#include "qr.h"
#include "url.h"
#include "xalloc.h"

static void test_calendar_url(void **state)
{
	(void)state;
	struct vd_program p;
	vd_program_init(&p);
	char *u = vd_calendar_url(&p, "doctors", "t01");
	assert_string_equal(u, "ics/doctors/t01.ics");
	free(u);
	p.base_url = xstrdup("https://example.org/peixun/");
	u = vd_calendar_url(&p, "doctors", "t01");
	assert_string_equal(u, "https://example.org/peixun/ics/doctors/t01.ics");
	free(u);
	u = vd_calendar_url(&p, "cohorts", "C001");
	assert_string_equal(u, "https://example.org/peixun/ics/cohorts/C001.ics");
	free(u);
	/* ids are [A-Za-z0-9_.-]: nothing to encode ... */
	u = vd_calendar_url(&p, "sites", "a_b.c-D9");
	assert_string_equal(u, "https://example.org/peixun/ics/sites/a_b.c-D9.ics");
	free(u);
	/* ... but anything else is percent-encoded, never passed raw */
	u = vd_calendar_url(&p, "instructors", "李 a/b?#%");
	assert_string_equal(u, "https://example.org/peixun/ics/instructors/%E6%9D%8E%20a%2Fb%3F%23%25.ics");
	free(u);
	vd_program_free(&p);
	u = vd_calendar_url(NULL, "doctors", "x");
	assert_string_equal(u, "ics/doctors/x.ics");
	free(u);
}

static void test_base_url(void **state)
{
	(void)state;
	const char *why = NULL;
	char *v = vd_base_url_normalize("https://example.org/peixun", &why);
	assert_string_equal(v, "https://example.org/peixun/");  /* the '/' added */
	free(v);
	v = vd_base_url_normalize("http://10.0.0.2:8000/", &why);
	assert_string_equal(v, "http://10.0.0.2:8000/");
	free(v);
	v = vd_base_url_normalize("webcal://example.org/a%20b/", &why);
	assert_string_equal(v, "webcal://example.org/a%20b/");
	free(v);
	v = vd_base_url_normalize("HTTPS://Example.org", &why);
	assert_string_equal(v, "HTTPS://Example.org/");
	free(v);

	static const struct { const char *v, *why; } bad[] = {
		{ "example.org/peixun/", "must start with https://" },
		{ "ftp://example.org/", "must start with https://" },
		{ "file:///srv/out/", "must start with https://" },
		{ "https://", "no host name" },
		{ "https:///peixun/", "no host name" },
		{ "https://example.org/pei xun/", "space or a control character" },
		{ "https://example.org/\tx/", "space or a control character" },
		{ "https://example.org/\x7f/", "space or a control character" },
		{ "https://例子.中国/", "non-ASCII" },
		{ "https://example.org/<x>/", "not allowed in a URL" },
		{ "https://example.org/a\"b/", "not allowed in a URL" },
		{ "https://example.org/?a=1", "'?' or '#'" },
		{ "https://example.org/#top", "'?' or '#'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		why = NULL;
		v = vd_base_url_normalize(bad[i].v, &why);
		if (v)
			fail_msg("'%s' accepted as '%s'", bad[i].v, v);
		assert_non_null(why);
		if (!strstr(why, bad[i].why))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].v, why, bad[i].why);
	}
}

static void test_html_escape(void **state)
{
	(void)state;
	char *s = vd_html_escape("梁<b>丽&华</b> \"x\" 'y'");
	assert_string_equal(s, "梁&lt;b&gt;丽&amp;华&lt;/b&gt; &quot;x&quot; &#39;y&#39;");
	free(s);
	s = vd_html_escape("&amp;");  /* escaped again: the text shows "&amp;" */
	assert_string_equal(s, "&amp;amp;");
	free(s);
	s = vd_html_escape("a\x01\x1b" "b\tc\nd\x7f");  /* no control characters in HTML */
	assert_string_equal(s, "ab\tc\nd");
	free(s);
	s = vd_html_escape(NULL);
	assert_string_equal(s, "");
	free(s);
	s = vd_html_escape("");
	assert_string_equal(s, "");
	free(s);
}

/* The SVG draws exactly libqrencode's modules, inside a 4-module quiet
 * zone, each module of the size asked. */
static void test_qr_svg(void **state)
{
	(void)state;
	const char *url = "https://example.org/peixun/ics/doctors/t01.ics";
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_int_equal(vd_qr_svg(f, url, 1.016), 0);
	fclose(f);
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(qr);
	int w = qr->width, side = w + 8;
	char *want = xasprintf("viewBox=\"0 0 %d %d\" width=\"%.3fmm\" height=\"%.3fmm\"", side, side,
	                       side * 1.016, side * 1.016);
	assert_non_null(strstr(buf, want));
	free(want);
	assert_true(strncmp(buf, "<svg ", 5) == 0);
	assert_non_null(strstr(buf, "</svg>"));
	assert_non_null(strstr(buf, url));  /* aria-label */

	/* paint the path's rectangles back onto a grid */
	unsigned char *grid = xcalloc((size_t)side * side, 1);
	const char *d = strstr(buf, " d=\"");
	assert_non_null(d);
	d += 4;
	int x, y, len, len2, used;
	size_t rects = 0;
	while (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &len, &len2, &used) == 4) {
		assert_int_equal(len, len2);
		assert_true(x >= 4 && y >= 4 && x + len <= side - 4 && y < side - 4);
		for (int i = 0; i < len; i++)
			grid[y * side + x + i]++;
		d += used;
		rects++;
	}
	assert_true(*d == '"');
	assert_true(rects > 0);
	for (int yy = 0; yy < side; yy++)
		for (int xx = 0; xx < side; xx++) {
			int in = xx >= 4 && yy >= 4 && xx < side - 4 && yy < side - 4;
			int dark = in && (qr->data[(yy - 4) * w + (xx - 4)] & 1);
			assert_int_equal(grid[yy * side + xx], dark);
		}
	free(grid);
	QRcode_free(qr);
	free(buf);
}

static char *svg_of(struct vd_qr_cache *c, size_t key, const char *text)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_int_equal(c ? vd_qr_svg_cached(f, c, key, text, 1.016) : vd_qr_svg(f, text, 1.016), 0);
	fclose(f);
	return buf;
}

/* A cached code is drawn exactly as a fresh one, the first time and
 * after, and each key keeps its own code. */
static void test_qr_cache(void **state)
{
	(void)state;
	const char *a = "https://example.org/peixun/ics/doctors/t01.ics";
	const char *b = "https://example.org/peixun/ics/doctors/a-much-longer-doctor-id-0002.ics";
	char *fa = svg_of(NULL, 0, a), *fb = svg_of(NULL, 0, b);
	assert_string_not_equal(fa, fb);
	struct vd_qr_cache c;
	vd_qr_cache_init(&c, 3);
	for (int round = 0; round < 2; round++) {
		char *ca = svg_of(&c, 0, a), *cb = svg_of(&c, 2, b);
		assert_string_equal(ca, fa);
		assert_string_equal(cb, fb);
		free(ca);
		free(cb);
	}
	assert_non_null(c.code[0]);
	assert_null(c.code[1]);
	vd_qr_cache_free(&c);
	free(fa);
	free(fb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_url),
		cmocka_unit_test(test_base_url),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_qr_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

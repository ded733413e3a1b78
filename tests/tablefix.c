/* tablefix.c -- see tablefix.h.  Apart so that the CSV and the workbook
 * tests catch messages and records the same way. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tablefix.h"
#include "xalloc.h"

int fx_setup(void **state, const char *tmpl)
{
	struct fx *f = xcalloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "%s", tmpl);
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

int fresh(void **state)
{
	struct fx *f = *state;
	if (f->mem)
		fclose(f->mem);
	free(f->msgs);
	f->msgs = NULL;
	vd_strv_free(&f->got);
	f->mem = open_memstream(&f->msgs, &f->msglen);
	vd_diag_init(&f->dg, f->mem);
	return f->mem ? 0 : -1;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(cmd);
	if (f->mem)
		fclose(f->mem);
	free(f->msgs);
	vd_strv_free(&f->got);
	free(f);
	return rc;
}

char *write_bytes(struct fx *f, const char *name, const char *data, size_t n)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	FILE *o = fopen(path, "wb");
	assert_true(o && fwrite(data, 1, n, o) == n && fclose(o) == 0);
	return path;
}

void collect(void *ctx, struct vd_table *t, const struct vd_record *rec)
{
	struct fx *f = ctx;
	(void)t;
	char *s = xasprintf("%d", rec->line);
	size_t n = rec->col ? 2 : rec->nfields;
	for (size_t i = 0; i < n; i++) {
		char *m = xasprintf("%s|%s", s, rec->col ? rec->col[i] : rec->field[i]);
		free(s);
		s = m;
	}
	vd_strv_push(&f->got, s);
	free(s);
}

void assert_got(struct fx *f, const char *const *want)
{
	size_t n = 0;
	for (; want[n]; n++) {
		if (n >= f->got.n)
			fail_msg("record %zu missing, want %s", n, want[n]);
		assert_string_equal(f->got.v[n], want[n]);
	}
	assert_int_equal(f->got.n, n);
}

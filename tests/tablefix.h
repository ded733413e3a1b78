/* tablefix.h -- what the tests of the one table reader (test_csv,
 * test_xlsxread) share: one temporary folder for the run, each test's
 * messages caught in memory, each record read kept as "LINE|f1|f2|..."
 * (with columns: "LINE|col1|col2").  Include after <cmocka.h>. */
#ifndef VD_TABLEFIX_H
#define VD_TABLEFIX_H
#include <stdio.h>
#include "csvread.h"
#include "model.h"

struct fx {
	struct vd_diag dg;
	FILE *mem;            /* dg's stream: the messages into msgs */
	char *msgs;
	size_t msglen;
	struct vd_strv got;   /* the records read */
	int unusable;         /* of the last read, where a test records it */
	char dir[64];
};

/* Group setup: a fresh fixture and its folder, made from tmpl (mkdtemp). */
int fx_setup(void **state, const char *tmpl);
/* Group teardown: removes the folder and frees the fixture. */
int fx_teardown(void **state);
/* Test setup: no messages and no records yet. */
int fresh(void **state);
/* Writes data[0 .. n) to dir/name; returns the path (malloc'd). */
char *write_bytes(struct fx *f, const char *name, const char *data, size_t n);
/* The vd_record_fn that keeps each record in f->got (ctx is f). */
void collect(void *ctx, struct vd_table *t, const struct vd_record *rec);
/* f->got holds exactly want (NULL-terminated), in order. */
void assert_got(struct fx *f, const char *const *want);

#define assert_msg(f, want) do { \
	if (!(f)->msgs || !strstr((f)->msgs, (want))) \
		fail_msg("message not found:\n  %s\nmessages were:\n%s", (want), \
		         (f)->msgs ? (f)->msgs : "(none)"); \
} while (0)
#endif

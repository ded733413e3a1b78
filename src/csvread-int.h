/* csvread-int.h -- what csvread.c (the table: header, records, limits,
 * messages) shares with its CSV source, csvread-csv.c; like SQLite's
 * whereInt.h, private to the two.  Other sources (xlsxread.c) see only
 * csvread.h's interface. */
#ifndef VD_CSVREAD_INT_H
#define VD_CSVREAD_INT_H

#include <stdio.h>
#include "csvread.h"

#define SHOW_MAX 48          /* bytes of a value quoted in a message */

struct vd_table {
	struct vd_diag *dg;
	const char *path;
	struct vd_table_opts opt;
	vd_record_fn *fn;
	void *ctx;

	unsigned nmsgs, nerrors;
	int stopped;                /* no more reading, no more messages */
	int unusable;               /* the file as a whole cannot be used */
	size_t nrecords, nrows;
	const char *parse_error;    /* VD_TABLE_FROM_VDSCHED: why it ended */
	int parse_line;

	int have_header;
	long *pos;                  /* file column of each of ours, or -1 */
	char **hdr;                 /* header names as written */
	size_t nhdr, hdr_cap;

	/* the record being read */
	size_t fidx;
	int rec_line;
	size_t rec_bytes;
	int rec_nonempty;
	int rec_bad;                /* reported as too long or malformed */
	char *text;                 /* its fields, each NUL-terminated */
	size_t text_len, text_cap;
	size_t *off, *len;          /* per field: offset into text, length */
	size_t nstored, stored_cap;
	const char **fieldv, **colv;
	size_t fieldv_cap;

	char show[4][SHOW_MAX + 8];
	unsigned showi;
};

#define ERR(t, line, ...) vd_table_error((t), (line), __VA_ARGS__)
#define WARN(t, line, ...) vd_table_warning((t), (line), __VA_ARGS__)

/* s[0 .. n) for a message, in one of four rotating buffers of t. */
const char *vd_table_excerpt_n(struct vd_table *t, const char *s, size_t n);
/* The header's name of file column f, or NULL (no header, or past it). */
const char *vd_table_col_name(struct vd_table *t, size_t f);
/* Field f (file column) of the record starting on line is over field_max,
 * or the record over record_max: reported once, the record marked bad. */
void vd_table_too_long_field(struct vd_table *t, size_t f, int line);
void vd_table_too_long_record(struct vd_table *t, int line);
/* A record that cannot be parsed, starting on line: from a person it is
 * skipped (the caller says why); from vdsched the read ends with why. */
void vd_table_parse_failed(struct vd_table *t, int line, const char *why);
/* The CSV source reading f, which it now owns. */
struct vd_table_src *vd_csv_src_open(struct vd_table *t, FILE *f);

#endif

/* csvread.h -- the one reader of tables: every tabular input (clinics.csv,
 * doctors.csv) and every state file (the files under state/) is read through here.
 *
 * Two layers, so that a workbook (.xlsx) is read without the readers of
 * rosters and state noticing:
 *
 *   a table source  turns a file into records: fields, each record with
 *                   the physical line (or sheet row) it starts on.  The
 *                   CSV source: libcsv over 64 KiB chunks, UTF-8 (BOM or
 *                   not) or GBK via iconv (encoding = gbk), CR and CRLF
 *                   read as LF, quote-aware skipping of a broken record.
 *                   The workbook source (xlsxread.h): one sheet's rows,
 *                   for a file that starts like a zip (or an .xls) or is
 *                   named .xlsx; "book.xlsx#sheet" names the sheet.
 *   the table       checks the limits (a field of at most field_max bytes,
 *                   a record of at most record_max), maps the header row to
 *                   the reader's columns (English names, Chinese aliases),
 *                   skips blank records, and hands each record to the
 *                   reader's callback.  Messages are "FILE:LINE: error: ..."
 *                   and capped at VD_TABLE_MAX_MSGS a file.
 *
 * The callback sees struct vd_record only: the same for a CSV line and for
 * a sheet row. */
#ifndef VD_CSVREAD_H
#define VD_CSVREAD_H
#include <stddef.h>
#include "diag.h"

#define VD_TABLE_MAX_MSGS 50
#define VD_TABLE_ALIASES 4

/* Whether a column must be in the header. */
enum vd_column_need { VD_COLUMN_OPTIONAL, VD_COLUMN_REQUIRED };

/* A column a reader wants: its English header (any case), then the other
 * headers offices write for it (Chinese; matched exactly).  Blanks (also
 * U+3000) and a BOM around a header do not count. */
struct vd_column {
	const char *name;
	enum vd_column_need need;
	const char *alias[VD_TABLE_ALIASES + 1];   /* NULL-terminated */
};

/* Who wrote the file, which decides what a broken record does. */
enum vd_table_origin {
	VD_TABLE_FROM_PERSON,  /* a roster: report the record, skip it, go on */
	VD_TABLE_FROM_VDSCHED  /* a state file: the first parse error ends the
	                          read, unreported; the reader words it
	                          (vd_table_parse_error) */
};

struct vd_table_opts {
	const char *encoding;          /* [program] encoding: gbk, gb18030, cp936,
	                                  gb2312 convert; NULL or else: UTF-8
	                                  (a workbook is Unicode: not used) */
	const struct vd_column *cols;  /* with a header row to map, or NULL:
	                                  then the header is record 1 */
	size_t ncols;
	enum vd_table_origin origin;
	size_t field_max, record_max;  /* bytes; 0: no limit */
	const char *sheet;             /* a workbook's sheet to read when the
	                                  path names none (path#sheet): this
	                                  one if the workbook has it, else the
	                                  first; NULL: the first */
};

/* One record, as the callback sees it. */
struct vd_record {
	int line;                   /* where it starts: physical line or sheet row */
	size_t index;               /* 0, 1, ... among the records handed over */
	size_t nfields;
	const char *const *field;   /* NUL-terminated; nfields of them */
	const size_t *len;          /* their lengths */
	const char *const *col;     /* with opts.cols: each column's value, ""
	                               when the file has no such column */
};

struct vd_table;
typedef void vd_record_fn(void *ctx, struct vd_table *t, const struct vd_record *rec);

/* ---- reading a table ---- */

/* Reads path (a CSV file, a workbook, or "workbook#sheet") to the end,
 * handing each record to fn.  Returns 0; -1 when
 * the file could not be opened (errno says why; nothing was reported, the
 * caller words it with vd_table_error), or could not be read.  Then see
 * vd_table_unusable and the counts.  Free t with vd_table_free. */
int vd_table_read(struct vd_table *t, const char *path, const struct vd_table_opts *opts,
                  struct vd_diag *dg, vd_record_fn *fn, void *ctx);
/* A fresh table, for one vd_table_read. */
struct vd_table *vd_table_new(void);
/* Frees t and all it holds. */
void vd_table_free(struct vd_table *t);

/* Reports an error at line (0: the whole file), counted against the cap;
 * once the cap is reached, reading stops. */
void vd_table_error(struct vd_table *t, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for a warning. */
void vd_table_warning(struct vd_table *t, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A value for a message: at most 48 bytes cut at a character, newlines
 * as spaces.  Valid until three more calls. */
const char *vd_table_excerpt(struct vd_table *t, const char *s);

/* Errors reported in this file so far. */
unsigned vd_table_errors(const struct vd_table *t);
/* Reading stopped early (too many messages, or the file is unusable). */
int vd_table_stopped(const struct vd_table *t);
/* The file as a whole cannot be used (not text, no header, ...). */
int vd_table_unusable(const struct vd_table *t);
/* Marks it so (the reader's own verdict, e.g. no rows at all). */
void vd_table_set_unusable(struct vd_table *t);
/* Non-blank records read, the header included. */
size_t vd_table_records(const struct vd_table *t);
/* Non-blank records after the header (with opts.cols). */
size_t vd_table_rows(const struct vd_table *t);
/* With VD_TABLE_FROM_VDSCHED: libcsv's words for the parse error that
 * ended the read, and the line of its record; NULL when there was none. */
const char *vd_table_parse_error(const struct vd_table *t, int *line);

/* ---- the source interface ----
 * A source is opened by its own function, given the table and the path
 * (csvread.c's csv_src_open, xlsxread.h's vd_xlsx_src_open, which takes
 * the sheet too), and vd_table_read picks it by the file's first bytes.
 * It hands records to the table with vd_table_field (each field of a
 * record in order, with the line or sheet row the record starts on) and
 * vd_table_end_record.  pump hands over what the next piece of the file
 * holds (a chunk, a sheet row): 1 while more may follow, 0 at the end or
 * when the table is stopped, -1 when the file cannot be read. */
struct vd_table_src {
	int (*pump)(struct vd_table_src *src, struct vd_table *t);
	void (*free)(struct vd_table_src *src);
};
/* The next field of the record starting on line. */
void vd_table_field(struct vd_table *t, const char *data, size_t len, int line);
/* The record is complete: checked, then handed to the callback. */
void vd_table_end_record(struct vd_table *t);
#endif

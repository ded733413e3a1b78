/* csvwrite.h -- the one CSV field writer: RFC 4180 quoting, CRLF row ends.
 *
 * A field is quoted when it holds a comma, a quote, CR or LF, or starts
 * with a space (Excel would drop it); a quote inside is doubled.  Every
 * table vdsched writes (schedule.csv ... changes.csv, state/) goes through
 * here, so the files read back with csvread.h byte for byte. */
#ifndef VD_CSVWRITE_H
#define VD_CSVWRITE_H
#include <stddef.h>
#include <stdio.h>

/* What every CSV for people begins with: the byte-order mark Excel itself
 * writes for "CSV UTF-8", without which Excel on Chinese Windows reads the
 * file as GBK (state/ files are not for people and have none). */
#define VD_CSV_BOM "\xEF\xBB\xBF"

/* How a value is written. */
enum vd_csv_cell {
	VD_CSV_PLAIN,  /* as it is: ids, dates, numbers */
	VD_CSV_TEXT    /* free text an office opens in Excel: a leading = + - @
	                  tab or CR gets a ' before it, so it is not run as a
	                  formula */
};

/* The longest vd_csv_format can make of n bytes (quotes doubled, a ' and
 * two enclosing quotes), without the NUL. */
#define VD_CSV_FORMAT_MAX(n) (2 * (size_t)(n) + 4)

/* Writes s (NULL is "") as one field into dst, which has room for
 * VD_CSV_FORMAT_MAX(strlen(s)) + 1 bytes; NUL-terminates it and returns
 * its length.  For writers that build rows in memory. */
size_t vd_csv_format(char *dst, const char *s, enum vd_csv_cell kind);
/* Writes s as one field followed by ','. */
void vd_csv_field(FILE *f, const char *s, enum vd_csv_cell kind);
/* Writes s as the row's last field followed by CRLF. */
void vd_csv_last(FILE *f, const char *s, enum vd_csv_cell kind);
/* Writes a whole row of n plain fields. */
void vd_csv_row(FILE *f, size_t n, const char *const *v);
#endif

/* date.h -- civil dates as day numbers.
 *
 * A date is an int32_t counting days since 1970-01-01 (proleptic
 * Gregorian), so ranges are integer intervals and weekdays are arithmetic. */
#ifndef VD_DATE_H
#define VD_DATE_H

#include <stdint.h>
#include <stddef.h>
#include "i18n.h"

typedef int32_t vd_date;

struct vd_range { vd_date a, b; };  /* inclusive */

vd_date vd_date_from_ymd(int y, int m, int d);
void vd_date_to_ymd(vd_date t, int *y, int *m, int *d);
/* The date forms accepted everywhere (program file, holidays files,
 * rosters), as Excel and WPS write them in a Chinese locale; digits and
 * separators may also be full-width.  For messages: marked for translation
 * here, translated where they are used (_(VD_DATE_FORMS)), so that a Chinese
 * message says 或 and 例如, not "or" and "e.g.". */
#define VD_DATE_FORMS N_("2026-05-11, 2026-5-11, 2026/5/11, 2026.5.11 or 2026年5月11日")
#define VD_RANGE_FORMS N_("A..B, A~B, A～B, A至B, A到B or A-B, e.g. 2026/5/11～2026/5/13 or 2026/5/11-2026/5/13")
/* Parses one date in a VD_DATE_FORMS form, blanks around it allowed.
 * 0 ok, -1 not a date, -3 shaped like one but no such day (2026-02-30). */
int vd_date_parse(const char *s, vd_date *out);
/* Parses "A" or a range "A..B" (A <= B; see VD_RANGE_FORMS; A-B only
 * when A is not written with hyphens).  0 ok, -1 bad
 * syntax, -2 B before A, -3 a date with no such day. */
int vd_range_parse(const char *s, struct vd_range *out);
/* The same day n years later; Feb 29 becomes Feb 28 in a common year. */
vd_date vd_date_add_years(vd_date t, int n);
/* buf needs 11 bytes. Returns buf. */
char *vd_date_format(vd_date t, char *buf);
/* 0 = Monday .. 6 = Sunday */
int vd_weekday(vd_date t);
/* Parses "mon tue", "mon-fri", "sat,sun", "周一 周二"... into a VDS_* mask.
 * 0 ok, -1 with *bad pointing at the offending word (malloc'd). */
int vd_days_parse(const char *s, unsigned *mask, char **bad);
int vd_in_ranges(const struct vd_range *r, size_t n, vd_date t);

#endif

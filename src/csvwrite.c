/* csvwrite.c -- see csvwrite.h.  Apart from csvread.c because writing
 * needs neither libcsv nor iconv, and the writers are many and small. */
#include <stdlib.h>
#include <string.h>
#include "csvwrite.h"
#include "xalloc.h"

size_t vd_csv_format(char *dst, const char *s, enum vd_csv_cell kind)
{
	char *d = dst;
	if (!s)
		s = "";
	int tick = kind == VD_CSV_TEXT && s[0] && strchr("=+-@\t\r", s[0]);
	/* the ' counts as the first character: "' x" needs no quotes */
	int quote = strpbrk(s, ",\"\r\n") || (!tick && s[0] == ' ');
	if (quote)
		*d++ = '"';
	if (tick)
		*d++ = '\'';
	for (; *s; s++) {
		if (*s == '"' && quote)
			*d++ = '"';
		*d++ = *s;
	}
	if (quote)
		*d++ = '"';
	*d = '\0';
	return (size_t)(d - dst);
}

/* Writes the field, with a stack buffer for the usual short value. */
static void put(FILE *f, const char *s, enum vd_csv_cell kind, char end)
{
	char small[256], *buf = small;
	size_t n = s ? strlen(s) : 0;
	if (VD_CSV_FORMAT_MAX(n) + 1 > sizeof small)
		buf = xmalloc(VD_CSV_FORMAT_MAX(n) + 1);
	fwrite(buf, 1, vd_csv_format(buf, s, kind), f);
	fputs(end == '\n' ? "\r\n" : ",", f);
	if (buf != small)
		free(buf);
}

void vd_csv_field(FILE *f, const char *s, enum vd_csv_cell kind)
{
	put(f, s, kind, ',');
}

void vd_csv_last(FILE *f, const char *s, enum vd_csv_cell kind)
{
	put(f, s, kind, '\n');
}

void vd_csv_row(FILE *f, size_t n, const char *const *v)
{
	for (size_t i = 0; i < n; i++)
		put(f, v[i], VD_CSV_PLAIN, i + 1 == n ? '\n' : ',');
}

/* diag.h -- "FILE:LINE: error: message" reporting.
 *
 * Every problem a user can fix goes through a struct vd_diag, which counts
 * errors and warnings and prints them to its stream.  Tests point the
 * stream at a memory buffer.  No global state. */
#ifndef VD_DIAG_H
#define VD_DIAG_H

#include <stdio.h>
#include <stdarg.h>
#include "i18n.h"

struct vd_diag {
	FILE *out;        /* where messages go; stderr by default */
	unsigned errors;
	unsigned warnings;
	int quiet;        /* suppress warnings */
};

void vd_diag_init(struct vd_diag *dg, FILE *out);
/* line <= 0 prints "FILE: error: ..."; file NULL prints "vdsched: error: ..." */
void vd_error(struct vd_diag *dg, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void vd_warning(struct vd_diag *dg, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void vd_verror(struct vd_diag *dg, const char *kind, const char *file, int line,
               const char *fmt, va_list ap);

#endif

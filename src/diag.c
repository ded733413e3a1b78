/* diag.c -- see diag.h */
#include <stdarg.h>
#include "diag.h"

void vd_diag_init(struct vd_diag *dg, FILE *out)
{
	dg->out = out ? out : stderr;
	dg->errors = dg->warnings = 0;
	dg->quiet = 0;
}

void vd_verror(struct vd_diag *dg, const char *kind, const char *file, int line,
               const char *fmt, va_list ap)
{
	FILE *o = dg->out ? dg->out : stderr;
	/* one message, one piece: writers may run side by side (jobs.h) */
	flockfile(o);
	/* The prefixes are translatable for the punctuation after KIND (a
	 * full-width colon in Chinese); FILE:LINE: stays as it is. */
	if (file && line > 0)
		/* TRANSLATORS: FILE:LINE: KIND: -- keep "%s:%d: " as it is */
		fprintf(o, _("%s:%d: %s: "), file, line, kind);
	else if (file)
		/* TRANSLATORS: FILE: KIND: -- keep "%s: " as it is */
		fprintf(o, _("%s: %s: "), file, kind);
	else
		/* TRANSLATORS: vdsched: KIND: */
		fprintf(o, _("vdsched: %s: "), kind);
	vfprintf(o, fmt, ap);
	fputc('\n', o);
	funlockfile(o);
}

void vd_error(struct vd_diag *dg, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	dg->errors++;
	va_start(ap, fmt);
	vd_verror(dg, _("error"), file, line, fmt, ap);
	va_end(ap);
}

void vd_warning(struct vd_diag *dg, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	dg->warnings++;
	if (dg->quiet)
		return;
	va_start(ap, fmt);
	vd_verror(dg, _("warning"), file, line, fmt, ap);
	va_end(ap);
}

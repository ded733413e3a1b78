/* fsutil.h -- the one "open this output file or say why", its closing
 * counterpart, and the one "make this folder".
 *
 * Every writer of the output folder reports a failure the same way:
 * "PATH: error: cannot write: REASON" (or "cannot create folder: REASON");
 * the caller then gives up with exit status 1. */
#ifndef VD_FSUTIL_H
#define VD_FSUTIL_H
#include <stdio.h>
#include "diag.h"

/* How an output file is opened. */
enum vd_out_mode {
	VD_OUT_NEW,     /* created, or truncated */
	VD_OUT_APPEND   /* written at its end (report.txt's re-plan section) */
};

/* Opens path for writing.  NULL after vd_error. */
FILE *vd_open_out(struct vd_diag *dg, const char *path, enum vd_out_mode mode);
/* Closes f, reporting a write error on it or on closing.  0, or -1 after
 * vd_error. */
int vd_close_out(struct vd_diag *dg, FILE *f, const char *path);

/* An output file and the path its messages name. */
struct vd_outfile {
	FILE *f;
	char *path;    /* malloc'd */
};
/* Opens DIR/NAME.  0, or -1 after vd_error (o then holds nothing). */
int vd_outfile_open(struct vd_outfile *o, struct vd_diag *dg, const char *dir, const char *name,
                    enum vd_out_mode mode);
/* Closes o and frees its path.  0, or -1 after vd_error. */
int vd_outfile_close(struct vd_outfile *o, struct vd_diag *dg);

/* Makes the folder path unless it exists.  Its parent must exist: a
 * missing one is reported, not created, so a mistyped -o fails loudly
 * (test_ics.c expects "cannot create folder: No such file or directory").
 * 0, or -1 after vd_error. */
int vd_mkdir(struct vd_diag *dg, const char *path);
#endif

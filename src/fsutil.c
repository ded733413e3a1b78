/* fsutil.c -- see fsutil.h.  Apart so that output.c, state.c, changes.c,
 * print.c and the commands share one wording and one errno rule. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fsutil.h"
#include "i18n.h"
#include "xalloc.h"

FILE *vd_open_out(struct vd_diag *dg, const char *path, enum vd_out_mode mode)
{
	FILE *f = fopen(path, mode == VD_OUT_APPEND ? "a" : "w");
	if (!f)
		vd_error(dg, path, 0, _("cannot write: %s"), strerror(errno ? errno : EIO));
	return f;
}

/* errno is not reset first: after a failed fwrite it still says why (a
 * full disk), which ferror alone cannot. */
int vd_close_out(struct vd_diag *dg, FILE *f, const char *path)
{
	int bad = ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	if (bad)
		vd_error(dg, path, 0, _("cannot write: %s"), strerror(errno ? errno : EIO));
	return bad ? -1 : 0;
}

int vd_outfile_open(struct vd_outfile *o, struct vd_diag *dg, const char *dir, const char *name,
                    enum vd_out_mode mode)
{
	o->path = xasprintf("%s/%s", dir, name);
	o->f = vd_open_out(dg, o->path, mode);
	if (o->f)
		return 0;
	free(o->path);
	o->path = NULL;
	return -1;
}

int vd_outfile_close(struct vd_outfile *o, struct vd_diag *dg)
{
	int rc = vd_close_out(dg, o->f, o->path);
	free(o->path);
	o->f = NULL;
	o->path = NULL;
	return rc;
}

int vd_mkdir(struct vd_diag *dg, const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		vd_error(dg, path, 0, _("cannot create folder: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

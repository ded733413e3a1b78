/* attendance.c -- see attendance.h */
#include <stdlib.h>
#include <string.h>
#include "attendance.h"
#include "state.h"
#include "xalloc.h"

unsigned vd_attendance_read(const struct vd_program *p, struct vd_attendance *a, struct vd_diag *dg)
{
	(void)p; (void)dg;
	memset(a, 0, sizeof *a);
	return 0;
}

unsigned vd_attendance_match(const struct vd_program *p, const struct vd_prev *pv, vd_date freeze,
                             struct vd_attendance *a, struct vd_diag *dg)
{
	(void)p; (void)pv; (void)freeze; (void)a; (void)dg;
	return 0;
}

void vd_attendance_free(struct vd_attendance *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->rows[i].cohort);
	free(a->rows);
	vd_strv_free(&a->files);
	memset(a, 0, sizeof *a);
}

/* cmd-check.c -- vdsched check [--previous DIR --freeze-before DATE]:
 * validate everything, report every problem.  The attendance records are
 * checked against the plan in DIR when it is given (the plan whose
 * sign-in sheets they come from), else row by row. */
#include <stdio.h>
#include <string.h>
#include "attendance.h"
#include "cmd.h"
#include "loader.h"
#include "model.h"
#include "state.h"

static int check_attendance(const struct vd_cmd_opts *o, const struct vd_program *p,
                            struct vd_diag *dg)
{
	struct vd_attendance att;
	struct vd_prev pv;
	vd_date freeze = 0;
	memset(&pv, 0, sizeof pv);
	int bad = vd_cmd_freeze(o, p, &freeze, dg) != 0;
	bad |= vd_attendance_read(p, &att, dg) != 0;
	if (!bad && o->previous)
		bad = vd_state_read(o->previous, &pv, dg) || vd_attendance_match(p, &pv, freeze, &att, dg);
	vd_attendance_free(&att);
	vd_prev_free(&pv);
	return bad ? VD_EXIT_INPUT : 0;
}

/* The program loaded clean: its attendance files, then the summary. */
static int check_loaded(const struct vd_cmd_opts *o, struct vd_program *p, struct vd_diag *dg)
{
	int rc = check_attendance(o, p, dg);
	if (rc == 0 && !o->quiet)
		printf(_("%s: ok: %zu doctors, %zu clinics, %zu townships, %zu sites, %zu courses; %u warning(s)\n"),
		       o->config, p->ndoctors, p->nclinics, p->ntownships, p->nsites, p->ncourses, dg->warnings);
	else if (rc)
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg->errors);
	return rc;
}

int vd_cmd_check(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	return vd_cmd_on_program(o, check_loaded, dg);
}

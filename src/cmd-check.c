/* cmd-check.c -- vdsched check: validate everything, report every problem. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "loader.h"
#include "model.h"

int vd_cmd_check(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	struct vd_program p;
	struct vd_plugins ps;
	vd_program_init(&p);
	memset(&ps, 0, sizeof ps);
	int rc = vd_cmd_load(o, &p, &ps, dg);
	if (rc == 0 && !o->quiet)
		printf(_("%s: ok: %zu doctors, %zu clinics, %zu townships, %zu sites, %zu courses; %u warning(s)\n"),
		       o->config, p.ndoctors, p.nclinics, p.ntownships, p.nsites, p.ncourses, dg->warnings);
	else if (rc)
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg->errors);
	vd_program_free(&p);
	vd_plugins_free(&ps);
	return rc;
}

/* cmd.c -- the command table and what the commands share: loading and
 * checking a program. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cmd.h"
#include "config.h"
#include "i18n.h"
#include "ini.h"
#include "loader.h"
#include "model.h"
#include "planner.h"
#include "roster.h"

const struct vd_cmd vd_cmds[] = {
	{ "check", vd_cmd_check },
	{ "plan", vd_cmd_plan },
	{ "plugins", vd_cmd_plugins },
	{ "publish", vd_cmd_publish },
	{ NULL, NULL } };

const struct vd_cmd *vd_cmd_find(const char *name)
{
	for (const struct vd_cmd *c = vd_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Reads the program file, loads the plugins and the rosters, and checks
 * them: 0, VD_EXIT_INPUT (bad input, all of it reported) or VD_EXIT_USAGE
 * (unreadable file, plugin failure). */
static int load(const struct vd_cmd_opts *o, struct vd_program *p, struct vd_plugins *ps,
                struct vd_diag *dg)
{
	struct vd_ini *ini = vd_ini_open(o->config, dg);
	struct stat st;
	if (!ini)  /* unreadable is an I/O failure; unparsable is bad input */
		return access(o->config, R_OK) || stat(o->config, &st) || S_ISDIR(st.st_mode)
		       ? VD_EXIT_USAGE : VD_EXIT_INPUT;
	int input_bad = vd_config_read(p, ini, dg) != 0;
	if (o->seed_set)
		p->seed = o->seed;
	vd_plugins_init(ps, o->plugin_dir, getenv("VDSCHED_PLUGIN_DIR"), p->plugin_dir);
	int lrc = vd_plugins_load(ps, p, ini, dg);  /* <0 plugin failure, >0 bad options */
	int plugin_bad = lrc < 0;
	input_bad |= lrc > 0;
	if (!lrc)
		input_bad |= vd_config_check_courses(p, ini, dg) != 0;
	vd_ini_close(ini);
	if (p->clinics_path && p->doctors_path)
		input_bad |= vd_roster_load(p, dg) != 0;
	if (!input_bad && !plugin_bad)
		vd_plan_precheck(p, dg);
	if (plugin_bad)
		return VD_EXIT_USAGE;
	return input_bad ? VD_EXIT_INPUT : 0;
}

int vd_cmd_on_program(const struct vd_cmd_opts *o, vd_cmd_body *body, struct vd_diag *dg)
{
	struct vd_program p;
	struct vd_plugins ps;
	vd_program_init(&p);
	memset(&ps, 0, sizeof ps);
	int rc = load(o, &p, &ps, dg);
	if (rc == 0)
		rc = body(o, &p, dg);
	else
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg->errors);
	vd_program_free(&p);
	vd_plugins_free(&ps);
	return rc;
}

int vd_cmd_count(const char *name, const char *v, int def, int min, int max,
                 struct vd_diag *dg)
{
	if (!v)
		return def;
	char *end;
	long x = strtol(v, &end, 10);
	if (!*v || *end || x < min || x > max) {
		vd_error(dg, NULL, 0, _("%s '%s' must be a whole number from %d to %d"), name, v, min, max);
		return -1;
	}
	return (int)x;
}

long long vd_cmd_dtstamp(struct vd_diag *dg)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && v >= 0)
			return v;
		vd_warning(dg, NULL, 0, _("SOURCE_DATE_EPOCH '%s' is not a number of seconds; using the current time"), s);
	}
	return (long long)time(NULL);
}

/* --freeze-before: a date inside the program (its end + 1 freezes all). */
int vd_cmd_freeze(const struct vd_cmd_opts *o, const struct vd_program *p, vd_date *out,
                  struct vd_diag *dg)
{
	char a[11], b[11];
	*out = 0;
	if (!o->freeze_before)
		return 0;
	if (!o->previous) {
		vd_error(dg, NULL, 0, _("--freeze-before needs --previous DIR, the earlier plan whose past it keeps"));
		return -1;
	}
	if (vd_date_parse(o->freeze_before, out)) {
		vd_error(dg, NULL, 0, _("--freeze-before '%s' is not a date; write it as YYYY-MM-DD, e.g. %s"),
		         o->freeze_before, vd_date_format(p->start, a));
		return -1;
	}
	if (*out < p->start || *out > p->end + 1) {
		vd_error(dg, NULL, 0, _("--freeze-before %s is outside the program (%s to %s); give a date in it, the first day that may still change"),
		         o->freeze_before, vd_date_format(p->start, a), vd_date_format(p->end, b));
		return -1;
	}
	return 0;
}

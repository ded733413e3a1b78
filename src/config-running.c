/* config-running.c -- the keys of running the program: [program]
 * attendance and attendance_default, [course X] min_attendance and
 * credits (vdsched.ini(5)); read by vdsched, not by the course plugins. */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "completion.h"
#include "config-int.h"
#include "xalloc.h"

/* [program] attendance: files or shell globs, relative to the program
 * file (a file that is missing is an error; a glob that matches nothing
 * yet, a warning); attendance_default. */
void cfg_read_attendance_keys(struct cfg_reader *r)
{
	struct vd_program *p = r->p;
	const char *v, *S = "program";
	if ((v = vd_ini_get(r->ini, S, "attendance")) && *v) {
		struct vd_strv w = { 0 };
		vd_strv_split(&w, v);
		for (size_t i = 0; i < w.n; i++) {
			char *pat = vd_path_join(p->dir, w.v[i]);
			glob_t g;
			int rc = strpbrk(w.v[i], "*?[") ? glob(pat, 0, NULL, &g) : -1;
			if (rc == 0) {
				for (size_t k = 0; k < g.gl_pathc; k++)
					vd_strv_push(&p->attendance, g.gl_pathv[k]);
				globfree(&g);
			} else if (rc == -1) {
				char *path = cfg_readable(r, S, "attendance", w.v[i]);
				if (path)
					vd_strv_push(&p->attendance, path);
				free(path);
			} else if (rc == GLOB_NOMATCH) {
				/* a folder the sign-in sheets will go into: fine before
				 * the first run, but say so, in case it is a typo */
				globfree(&g);
				vd_warning(r->dg, r->ini->path, vd_ini_line(r->ini, S, "attendance"),
				           _("attendance '%s' matches no file yet; until it does, nobody's attendance is recorded"), w.v[i]);
			} else {
				ERR(r, S, "attendance", _("attendance '%s' cannot be searched: %s"), w.v[i], strerror(errno));
			}
			free(pat);
		}
		vd_strv_free(&w);
	}
	if ((v = vd_ini_get(r->ini, S, "attendance_default")) && *v) {
		if (!strcasecmp(v, "present"))
			p->attendance_default = VD_ATT_DEFAULT_PRESENT;
		else if (!strcasecmp(v, "absent"))
			p->attendance_default = VD_ATT_DEFAULT_ABSENT;
		else
			ERR(r, S, "attendance_default", _("attendance_default '%s' must be present (a session with no record counts as attended) or absent"), v);
	}
}

/* [course X] min_attendance (percent, or a fraction) and credits: read
 * by vdsched, not the plugin (completion.h has the defaults). */
void cfg_read_course_completion(struct cfg_reader *r, const char *sec, struct vd_course *c)
{
	const char *v;
	c->min_attendance = VD_MIN_ATTENDANCE_DEFAULT;
	c->credits = -1;
	if ((v = vd_ini_get(r->ini, sec, "min_attendance")) && *v) {
		char *pct = strchr(v, '%'), *num = xstrdup(v);
		double b;
		if (pct)
			num[pct - v] = ' ';
		if (cfg_parse_double(num, &b) || (pct && strchr(pct + 1, '%')) || (pct ? b : b * 100) <= 0 ||
		    (pct ? b : b * 100) > 100)
			ERR(r, sec, "min_attendance", _("min_attendance '%s' must be a percentage of the course's sessions from 1%% to 100%% (e.g. 80%%) or a fraction (e.g. 0.8)"), v);
		else
			c->min_attendance = (int)ceil(pct ? b : b * 100);
		free(num);
	}
	if ((v = vd_ini_get(r->ini, sec, "credits")) && *v) {
		double b;
		if (cfg_parse_double(v, &b) || b < 0 || b > 1000)
			ERR(r, sec, "credits", _("credits '%s' must be a number from 0 to 1000 (e.g. 10 or 2.5)"), v);
		else
			c->credits = b;
	}
}

/* config.h -- the program file ([program], [site ...], ...) into a
 * struct vd_program.  Plugin sections are left to the loader; checks that
 * need the courses (features, resources) run in vd_config_check_courses
 * once the plugins are loaded. */
#ifndef VD_CONFIG_H
#define VD_CONFIG_H
#include "diag.h"
#include "ini.h"
#include "model.h"

/* Reads everything but the rosters and the plugins.  Reports every problem;
 * returns 0 or -1. */
int vd_config_read(struct vd_program *p, struct vd_ini *ini, struct vd_diag *dg);
/* After the plugins are loaded: course sites, features and resources,
 * instructors' courses.  Returns 0 or -1. */
int vd_config_check_courses(struct vd_program *p, struct vd_ini *ini, struct vd_diag *dg);
/* "-1d -1h" -> minutes; 0 ok, -1 with *bad = offending word (malloc'd). */
int vd_alarms_parse(const char *s, int **out, size_t *n, char **bad);
/* Joins dir and a path relative to it (absolute paths kept). */
char *vd_path_join(const char *dir, const char *path);
#endif

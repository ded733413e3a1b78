/* loader.h -- finding, vetting, opening and initialising course plugins.
 *
 * Plugins are found by name (NAME.so) in, in order: --plugin-dir,
 * $VDSCHED_PLUGIN_DIR, [plugins] dir, then the install folder.  A file is
 * refused before dlopen if it is a symlink or not a regular file, or if it
 * or its folder is writable by group or others or owned by someone other
 * than root or the user -- as sudo and PAM do with their modules. */
#ifndef VD_LOADER_H
#define VD_LOADER_H
#include <stdio.h>
#include "diag.h"
#include "ini.h"
#include "model.h"

struct vd_plugin {
	char *path;
	void *dl;
	const struct vds_plugin *desc;
	struct vds_course course;   /* filled by the plugin's init */
	int inited;
	size_t course_ix;           /* index into program.courses */
};

struct vd_plugins {
	struct vd_plugin *v;
	size_t n;
	char *dirs[4];              /* search path, NULL-terminated */
	size_t ndirs;
};

/* Builds the search path from the command line, the environment and the
 * program.  Any may be NULL. */
void vd_plugins_init(struct vd_plugins *ps, const char *cli_dir, const char *env_dir,
                     const char *program_dir);
/* Loads and initialises every course of p; sets p->courses[i].def.
 * Returns 0; 1 when plugins only reported bad options in the program file
 * (invalid input, exit 2); -1 when a plugin could not be found, was
 * refused or failed (exit 1).  Every problem is reported. */
int vd_plugins_load(struct vd_plugins *ps, struct vd_program *p, struct vd_ini *ini,
                    struct vd_diag *dg);
/* Lists every plugin file found on the search path (name, version, ABI,
 * file, description) without initialising any.  Returns 0 or -1. */
int vd_plugins_list(struct vd_plugins *ps, FILE *out, struct vd_diag *dg);
void vd_plugins_free(struct vd_plugins *ps);

/* Vets and opens one file; exposed for tests.  Returns the handle or NULL
 * after reporting why. */
void *vd_plugin_open(const char *path, const struct vds_plugin **desc, struct vd_diag *dg);
/* The host function table handed to plugins. */
const struct vds_host *vd_host_table(void);
#endif

/* cmd-plugins.c -- vdsched plugins: list the course plugins found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "config.h"
#include "ini.h"
#include "loader.h"
#include "xalloc.h"

int vd_cmd_plugins(const struct vd_cmd_opts *o, struct vd_diag *dg)
{
	/* The program file only adds its [plugins] dir, if it exists. */
	const char *pdir = NULL;
	struct vd_ini *ini = NULL;
	char *joined = NULL;
	struct vd_plugins ps;
	memset(&ps, 0, sizeof ps);
	if (access(o->config, R_OK) == 0 && (ini = vd_ini_open(o->config, dg))) {
		const char *d = vd_ini_get(ini, "plugins", "dir");
		if (d && *d) {
			const char *slash = strrchr(o->config, '/');
			char *dir = slash ? xstrndup(o->config, (size_t)(slash - o->config)) : xstrdup(".");
			pdir = joined = vd_path_join(dir, d);
			free(dir);
		}
	}
	vd_plugins_init(&ps, o->plugin_dir, getenv("VDSCHED_PLUGIN_DIR"), pdir);
	int rc = vd_plugins_list(&ps, stdout, dg) ? VD_EXIT_USAGE : 0;
	vd_plugins_free(&ps);
	vd_ini_close(ini);
	free(joined);
	return rc;
}

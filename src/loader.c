/* loader.c -- see loader.h */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader.h"
#include "xalloc.h"
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#ifndef PKGLIBDIR
#define PKGLIBDIR "/usr/local/lib/vdsched"
#endif

/* ---- the host side of the ABI ---- */

struct vds_ctx {
	struct vd_ini *ini;
	struct vd_diag *dg;
	const char *name;
	char *section;
	unsigned errors;
};

static const char *h_get(struct vds_ctx *c, const char *key)
{
	return key ? vd_ini_get(c->ini, c->section, key) : NULL;
}

static void h_report(struct vds_ctx *c, int err, const char *key, const char *fmt, va_list ap)
{
	int line = vd_ini_line(c->ini, c->section, key);
	if (err) {
		c->errors++;
		c->dg->errors++;
	} else {
		c->dg->warnings++;
		if (c->dg->quiet)
			return;
	}
	vd_verror(c->dg, err ? _("error") : _("warning"), c->ini->path, line, fmt, ap);
}

static void h_error(struct vds_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	h_report(c, 1, key, fmt, ap);
	va_end(ap);
}

static void h_warning(struct vds_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	h_report(c, 0, key, fmt, ap);
	va_end(ap);
}

static int h_check_keys(struct vds_ctx *c, const char *const *known)
{
	int bad = 0;
	for (size_t i = 0; i < c->ini->nkeys; i++) {
		const struct vd_ini_key *k = &c->ini->keys[i];
		/* the keys vdsched itself reads in every [course X] */
		if (strcmp(k->section, c->section) != 0 || !strcmp(k->key, "sites") ||
		    !strcmp(k->key, "min_attendance") || !strcmp(k->key, "credits"))
			continue;
		int ok = 0;
		for (const char *const *q = known; *q; q++)
			ok |= !strcmp(*q, k->key);
		if (ok)
			continue;
		const char *near = vd_nearest(k->key, known);
		if (near)
			h_error(c, k->key, _("unknown key '%s' in [%s]; did you mean '%s'?"), k->key, c->section, near);
		else
			h_error(c, k->key, _("unknown key '%s' in [%s]; see vdsched-%s(7) for its options"),
			        k->key, c->section, c->name);
		bad++;
	}
	return bad;
}

static int h_get_int(struct vds_ctx *c, const char *key, long def, long min, long max, long *out)
{
	const char *v = h_get(c, key);
	*out = def;
	if (!v || !*v)
		return 0;
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno || end == v || *end || x < min || x > max) {
		h_error(c, key, _("%s '%s' must be a whole number from %ld to %ld"), key, v, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

static int h_get_days(struct vds_ctx *c, const char *key, unsigned def, unsigned *out)
{
	const char *v = h_get(c, key);
	*out = def;
	if (!v || !*v)
		return 0;
	char *bad;
	if (vd_days_parse(v, out, &bad)) {
		h_error(c, key, _("%s: '%s' is not a weekday; use mon tue wed thu fri sat sun or a range like sat-sun"),
		        key, bad);
		free(bad);
		*out = def;
		return -1;
	}
	return 0;
}

static int h_get_bool(struct vds_ctx *c, const char *key, int def, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "是", NULL };
	static const char *const no[] = { "no", "false", "off", "0", "否", NULL };
	const char *v = h_get(c, key);
	*out = def;
	if (!v || !*v)
		return 0;
	for (const char *const *y = yes; *y; y++)
		if (!strcasecmp(v, *y))
			return *out = 1, 0;
	for (const char *const *n = no; *n; n++)
		if (!strcasecmp(v, *n))
			return *out = 0, 0;
	h_error(c, key, _("%s '%s' must be yes or no"), key, v);
	return -1;
}

static const char *h_name(struct vds_ctx *c)
{
	return c->name;
}

static const struct vds_host host_table = {
	.size = sizeof(struct vds_host),
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.get = h_get,
	.error = h_error,
	.warning = h_warning,
	.check_keys = h_check_keys,
	.get_int = h_get_int,
	.get_days = h_get_days,
	.get_bool = h_get_bool,
	.name = h_name,
};

const struct vds_host *vd_host_table(void)
{
	return &host_table;
}

/* ---- finding and vetting files ---- */

void vd_plugins_init(struct vd_plugins *ps, const char *cli_dir, const char *env_dir,
                     const char *program_dir)
{
	memset(ps, 0, sizeof *ps);
	const char *cand[] = { cli_dir, env_dir, program_dir, PKGLIBDIR };
	for (size_t i = 0; i < 4; i++)
		if (cand[i] && *cand[i])
			ps->dirs[ps->ndirs++] = xstrdup(cand[i]);
}

void vd_plugins_free(struct vd_plugins *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		struct vd_plugin *pl = &ps->v[i];
		if (pl->inited && pl->desc->fini)
			pl->desc->fini(&pl->course);
		if (pl->dl)
			dlclose(pl->dl);
		free(pl->path);
	}
	free(ps->v);
	for (size_t i = 0; i < ps->ndirs; i++)
		free(ps->dirs[i]);
	memset(ps, 0, sizeof *ps);
}

static int unsafe_owner(const struct stat *st)
{
	return st->st_uid != 0 && st->st_uid != geteuid();
}

/* Returns 0 if path (and its folder) may be loaded, else reports. */
static int vet(const char *path, struct vd_diag *dg)
{
	struct stat st;
	if (lstat(path, &st)) {
		vd_error(dg, path, 0, _("cannot load plugin: %s"), strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		vd_error(dg, path, 0, _("plugin refused: it is a symbolic link; copy the real file into the plugin folder"));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		vd_error(dg, path, 0, _("plugin refused: not a regular file"));
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		vd_error(dg, path, 0, _("plugin refused: writable by group or others (mode %03o); run chmod go-w on it"),
		         (unsigned)(st.st_mode & 0777));
		return -1;
	}
	if (unsafe_owner(&st)) {
		vd_error(dg, path, 0, _("plugin refused: owned by uid %u, neither root nor you; chown it"),
		         (unsigned)st.st_uid);
		return -1;
	}
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash == dir ? (void)(slash[1] = '\0') : (void)(*slash = '\0');
	else
		strcpy(dir, ".");
	int rc = 0;
	if (stat(dir, &st)) {
		vd_error(dg, dir, 0, _("cannot check plugin folder: %s"), strerror(errno));
		rc = -1;
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		vd_error(dg, path, 0, _("plugin refused: its folder %s is writable by group or others (mode %03o); run chmod go-w on it"),
		         dir, (unsigned)(st.st_mode & 0777));
		rc = -1;
	} else if (unsafe_owner(&st)) {
		vd_error(dg, path, 0, _("plugin refused: its folder %s is owned by uid %u, neither root nor you"),
		         dir, (unsigned)st.st_uid);
		rc = -1;
	}
	free(dir);
	return rc;
}

void *vd_plugin_open(const char *path, const struct vds_plugin **desc, struct vd_diag *dg)
{
	*desc = NULL;
	if (vet(path, dg))
		return NULL;
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		const char *e = dlerror();
		vd_error(dg, path, 0, _("plugin refused: not a loadable shared object (%s)"), e ? e : "?");
		return NULL;
	}
	const struct vds_plugin *d = dlsym(dl, VDS_PLUGIN_SYMBOL);
	if (!d) {
		vd_error(dg, path, 0, _("plugin refused: not a vdsched plugin (no '%s' symbol)"), VDS_PLUGIN_SYMBOL);
		dlclose(dl);
		return NULL;
	}
	if (d->abi_major != VDS_ABI_MAJOR || d->abi_minor > VDS_ABI_MINOR) {
		vd_error(dg, path, 0, _("plugin refused: built for plugin ABI %u.%u, but this vdsched provides %u.%u; rebuild it against this vdsched's vdsched/plugin.h"),
		         d->abi_major, d->abi_minor, VDS_ABI_MAJOR, VDS_ABI_MINOR);
		dlclose(dl);
		return NULL;
	}
	if (!d->name || !d->init) {
		vd_error(dg, path, 0, _("plugin refused: its descriptor has no name or no init function"));
		dlclose(dl);
		return NULL;
	}
	*desc = d;
	return dl;
}

static char *find(struct vd_plugins *ps, const char *name)
{
	for (size_t i = 0; i < ps->ndirs; i++) {
		char *path = xasprintf("%s/%s.so", ps->dirs[i], name);
		struct stat st;
		if (lstat(path, &st) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/* A course as returned by init must be one the planner can use. */
static int validate_course(const char *path, const struct vds_course *c, struct vd_diag *dg)
{
	unsigned before = dg->errors;
	if (!c->days || c->days > 60)
		vd_error(dg, path, 0, _("plugin error: course has %u teaching days; it needs 1 to 60"), c->days);
	if (!c->sessions || !c->nsessions)
		vd_error(dg, path, 0, _("plugin error: course has no sessions"));
	if (!c->title || !*c->title)
		vd_error(dg, path, 0, _("plugin error: course has no title"));
	if (c->id && !vd_id_valid(c->id))
		vd_error(dg, path, 0, _("plugin error: course id '%s' is not a valid id"), c->id);
	for (size_t i = 0; c->sessions && i < c->nsessions; i++) {
		const struct vds_session *s = &c->sessions[i];
		if (s->day >= c->days || s->start >= s->end || s->end > 24 * 60 || !s->title)
			vd_error(dg, path, 0, _("plugin error: session %zu ('%s', day %u, %02u:%02u-%02u:%02u) lies outside the course's %u days or its day"),
			         i + 1, s->title ? s->title : "", s->day + 1, s->start / 60, s->start % 60,
			         s->end / 60, s->end % 60, c->days);
	}
	for (size_t i = 0; c->sessions && i < c->nsessions; i++)
		for (size_t j = 0; j < i; j++) {
			const struct vds_session *a = &c->sessions[i], *b = &c->sessions[j];
			if (a->day == b->day && a->start < b->end && b->start < a->end)
				vd_error(dg, path, 0, _("plugin error: sessions %zu and %zu overlap"), j + 1, i + 1);
		}
	if (c->min_size && c->max_size && c->min_size > c->max_size)
		vd_error(dg, path, 0, _("plugin error: min_size %u is above max_size %u"), c->min_size, c->max_size);
	if (c->weekdays & ~(unsigned)VDS_ALLDAYS)
		vd_error(dg, path, 0, _("plugin error: bad weekday mask 0x%x"), c->weekdays);
	for (size_t i = 0; i < c->nresources; i++)
		if (!c->resources[i].name || !vd_id_valid(c->resources[i].name))
			vd_error(dg, path, 0, _("plugin error: resource %zu has no valid name"), i + 1);
	return dg->errors == before ? 0 : -1;
}

int vd_plugins_load(struct vd_plugins *ps, struct vd_program *p, struct vd_ini *ini,
                    struct vd_diag *dg)
{
	unsigned before = dg->errors;
	unsigned failed = 0;  /* plugin failures, as opposed to bad options */
	ps->v = xcalloc(p->ncourses ? p->ncourses : 1, sizeof *ps->v);
	for (size_t i = 0; i < p->ncourses; i++) {
		struct vd_course *c = &p->courses[i];
		unsigned mine = dg->errors;  /* this plugin's problems start here */
		int bad_options = 0;
		if (!vd_id_valid(c->name))
			goto next;
		char *path = find(ps, c->name);
		if (!path) {
			char *where = xstrdup("");
			for (size_t d = 0; d < ps->ndirs; d++) {
				char *w = xasprintf("%s%s%s", where, d ? ", " : "", ps->dirs[d]);
				free(where);
				where = w;
			}
			vd_error(dg, ini->path, vd_ini_line(ini, "plugins", "load"),
			         _("course plugin '%s' not found: looked for %s.so in %s; install it or pass --plugin-dir"),
			         c->name, c->name, where);
			free(where);
			goto next;
		}
		const struct vds_plugin *desc;
		void *dl = vd_plugin_open(path, &desc, dg);
		if (!dl) {
			free(path);
			goto next;
		}
		struct vd_plugin *pl = &ps->v[ps->n++];
		pl->path = path;
		pl->dl = dl;
		pl->desc = desc;
		pl->course_ix = i;
		if (strcmp(desc->name, c->name) != 0) {
			vd_error(dg, path, 0, _("plugin refused: the file is named '%s' but the plugin calls itself '%s'"),
			         c->name, desc->name);
			goto next;
		}
		struct vds_ctx ctx = { ini, dg, c->name, xasprintf("course %s", c->name), 0 };
		pl->course.size = sizeof pl->course;
		int rc = desc->init(&host_table, &ctx, &pl->course);
		pl->inited = 1;  /* fini may free a partial course */
		free(ctx.section);
		if (rc != 0 || ctx.errors) {
			if (!ctx.errors)
				vd_error(dg, path, 0, _("plugin '%s' failed to initialise (init returned %d)"), c->name, rc);
			else
				bad_options = 1;  /* reported at their lines: bad input */
			goto next;
		}
		if (!pl->course.id)
			pl->course.id = desc->name;
		if (validate_course(path, &pl->course, dg))
			goto next;
		for (size_t j = 0; j < i; j++)
			if (p->courses[j].def && !strcmp(p->courses[j].def->id, pl->course.id))
				vd_error(dg, path, 0, _("plugin refused: course id '%s' is already declared by plugin '%s'"),
				         pl->course.id, p->courses[j].name);
		if (strcmp(pl->course.id, c->name) != 0 && dg->errors == mine)
			vd_error(dg, path, 0, _("plugin refused: it declares course '%s' but is loaded as '%s'; course ids must equal plugin names"),
			         pl->course.id, c->name);
		if (dg->errors == mine)
			c->def = &pl->course;
next:
		if (dg->errors != mine && !bad_options)
			failed++;
	}
	if (dg->errors == before)
		return 0;
	return failed ? -1 : 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vd_plugins_list(struct vd_plugins *ps, FILE *out, struct vd_diag *dg)
{
	unsigned before = dg->errors;
	struct vd_strv seen = { 0 };
	fprintf(out, "%-12s %-8s %-5s %-40s %s\n", _("NAME"), _("VERSION"), _("ABI"), _("FILE"), _("DESCRIPTION"));
	for (size_t d = 0; d < ps->ndirs; d++) {
		DIR *dir = opendir(ps->dirs[d]);
		if (!dir)
			continue;
		struct vd_strv names = { 0 };
		struct dirent *e;
		while ((e = readdir(dir))) {
			size_t l = strlen(e->d_name);
			if (l > 3 && !strcmp(e->d_name + l - 3, ".so"))
				vd_strv_push(&names, e->d_name);
		}
		closedir(dir);
		if (names.n)
			qsort(names.v, names.n, sizeof *names.v, cmp_str);
		for (size_t i = 0; i < names.n; i++) {
			char *path = xasprintf("%s/%s", ps->dirs[d], names.v[i]);
			const struct vds_plugin *desc;
			void *dl = vd_plugin_open(path, &desc, dg);
			if (dl) {
				int shadowed = vd_strv_has(&seen, desc->name);
				char abi[16];
				snprintf(abi, sizeof abi, "%u.%u", desc->abi_major, desc->abi_minor);
				fprintf(out, "%-12s %-8s %-5s %-40s %s%s\n", desc->name,
				        desc->version ? desc->version : "-", abi, path,
				        desc->description ? desc->description : "",
				        shadowed ? _(" (shadowed by an earlier folder)") : "");
				vd_strv_push(&seen, desc->name);
				dlclose(dl);
			}
			free(path);
		}
		vd_strv_free(&names);
	}
	vd_strv_free(&seen);
	return dg->errors == before ? 0 : -1;
}

/* config.c -- see config.h.  Reading a program file: the sections
 * dispatched from a table (as collectd's configfile.c), the sections of
 * things -- [site], [instructor], [township(s)], [plugins], the [course]
 * sections' common keys -- and the references between them, then the
 * checks of the courses once their plugins are loaded.  [program] is
 * config-program.c's, [output] config-output.c's, the keys of running the
 * program config-running.c's, over config-int.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "config.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *const plugins_keys[] = { "dir", "load", NULL };
static const char *const site_keys[] = {
	"name", "address", "lat", "lon", "seats", "features", NULL };
static const char *const instructor_keys[] = { "name", "courses", "days", "sites", NULL };
static const char *const townships_keys[] = { "cover", NULL };
static const char *const township_keys[] = { "name", "cover", NULL };

char *vd_path_join(const char *dir, const char *path)
{
	if (path[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
		return xstrdup(path);
	return xasprintf("%s/%s", dir, path);
}

/* A list of ids of things defined by sections.  iniparser lowercases
 * section names, so references are lowercased too: [site Pohong] is
 * site 'pohong', and sites = Pohong must find it. */
static void split_ids(struct vd_strv *sv, const char *v)
{
	size_t from = sv->n;
	vd_strv_split(sv, v);
	for (size_t i = from; i < sv->n; i++)
		for (char *c = sv->v[i]; *c; c++)
			*c = (char)tolower((unsigned char)*c);
}

static int non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

#include "config-int.h"

/* strto* read v up to end: 1 when that was a number and all of v but
 * blanks around it. */
static int whole_number(const char *v, const char *end)
{
	while (isspace((unsigned char)*end)) end++;
	return !errno && end != v && !*end;
}

int cfg_parse_long(const char *v, long *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (!whole_number(v, end))
		return -1;
	*out = x;
	return 0;
}

int cfg_parse_double(const char *v, double *out)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (!whole_number(v, end) || !isfinite(x))
		return -1;
	*out = x;
	return 0;
}

int cfg_get_int(struct cfg_reader *r, const char *sec, const char *key, long def,
                   long min, long max, long *out)
{
	const char *v = vd_ini_get(r->ini, sec, key);
	*out = def;
	if (!v)
		return 0;
	long x;
	if (cfg_parse_long(v, &x) || x < min || x > max) {
		ERR(r, sec, key, _("%s '%s' must be a whole number from %ld to %ld"), key, v, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

const char *cfg_need(struct cfg_reader *r, const char *sec, const char *key, const char *example)
{
	const char *v = vd_ini_get(r->ini, sec, key);
	if (!v || !*v) {
		ERR(r, sec, NULL, _("[%s] needs '%s', e.g. %s = %s"), sec, key, key, example);
		return NULL;
	}
	return v;
}

void cfg_check_keys(struct cfg_reader *r, const char *sec, const char *const *known,
                       int (*extra)(struct cfg_reader *, const char *sec, const char *key))
{
	for (size_t i = 0; i < r->ini->nkeys; i++) {
		struct vd_ini_key *k = &r->ini->keys[i];
		if (strcmp(k->section, sec) != 0)
			continue;
		int ok = 0;
		for (const char *const *q = known; *q; q++)
			if (strcmp(*q, k->key) == 0)
				ok = 1;
		if (ok || (extra && extra(r, sec, k->key)))
			continue;
		const char *near = vd_nearest(k->key, known);
		int set_on = near && vd_ini_get(r->ini, sec, near) ? vd_ini_line(r->ini, sec, near) : 0;
		/* renaming the key to one set already would only make a duplicate */
		if (near && set_on > 0)
			vd_error(r->dg, r->ini->path, k->line,
			         _("unknown key '%s' in [%s]; did you mean '%s'? It is set already on line %d: remove this line or that one"),
			         k->key, sec, near, set_on);
		else if (near)
			vd_error(r->dg, r->ini->path, k->line,
			         _("unknown key '%s' in [%s]; did you mean '%s'?"), k->key, sec, near);
		else
			vd_error(r->dg, r->ini->path, k->line,
			         _("unknown key '%s' in [%s]; remove it (see vdsched.ini(5))"), k->key, sec);
	}
}

static int site_resource_key(struct cfg_reader *r, const char *sec, const char *key)
{
	/* Any other integer key of a site is a resource count; whether a
	 * course uses it is checked once the plugins are loaded. */
	(void)r;
	(void)sec;
	return vd_nearest(key, site_keys) == NULL && vd_id_valid(key);
}

static void read_site(struct cfg_reader *r, const char *sec, const char *id, int line)
{
	struct vd_program *p = r->p;
	struct vd_site s = { 0 };
	const char *v;
	s.line = line;
	s.id = xstrdup(id);
	cfg_check_keys(r, sec, site_keys, site_resource_key);
	v = vd_ini_get(r->ini, sec, "name");
	s.name = xstrdup(v && *v ? v : id);
	v = vd_ini_get(r->ini, sec, "address");
	s.address = xstrdup(v ? v : "");
	const char *la = vd_ini_get(r->ini, sec, "lat"), *lo = vd_ini_get(r->ini, sec, "lon");
	if (!la || !lo) {
		ERR(r, sec, NULL, _("[%s] needs lat and lon (decimal degrees) to measure travel"), sec);
	} else {
		if (cfg_parse_double(la, &s.lat) || s.lat < -90 || s.lat > 90)
			ERR(r, sec, "lat", _("lat '%s' is out of range; use decimal degrees between -90 and 90"), la);
		if (cfg_parse_double(lo, &s.lon) || s.lon < -180 || s.lon > 180)
			ERR(r, sec, "lon", _("lon '%s' is out of range; use decimal degrees between -180 and 180"), lo);
	}
	long x;
	if (!vd_ini_get(r->ini, sec, "seats"))
		ERR(r, sec, NULL, _("[%s] needs seats, the number of trainees it can hold at once"), sec);
	else if (!cfg_get_int(r, sec, "seats", 0, 1, 100000, &x))
		s.seats = (int)x;
	if ((v = vd_ini_get(r->ini, sec, "features")))
		vd_strv_split(&s.features, v);
	for (size_t i = 0; i < r->ini->nkeys; i++) {
		struct vd_ini_key *k = &r->ini->keys[i];
		if (strcmp(k->section, sec) == 0 && site_resource_key(r, sec, k->key)) {
			long c = 0;
			const char *rv = vd_ini_get(r->ini, sec, k->key);
			if (!rv || cfg_parse_long(rv, &c) || c < 0 || c > 100000) {
				vd_error(r->dg, r->ini->path, k->line,
				         _("%s '%s' must be a whole number from 0 to 100000 if it is a resource count (e.g. dental_chairs = 4); otherwise '%s' is not a [site] key (see vdsched.ini(5))"),
				         k->key, rv ? rv : "", k->key);
				c = 0;
			}
			s.res = xreallocarray(s.res, s.nres + 1, sizeof *s.res);
			s.res[s.nres++] = (struct vd_resource_count){ xstrdup(k->key), (int)c };
		}
	}
	p->sites = xreallocarray(p->sites, p->nsites + 1, sizeof *p->sites);
	p->sites[p->nsites] = s;
	vd_hmap_put(&p->site_ix, p->sites[p->nsites].id, p->nsites);
	p->nsites++;
}

static void read_instructor(struct cfg_reader *r, const char *sec, const char *id, int line)
{
	struct vd_program *p = r->p;
	struct vd_instructor in = { 0 };
	const char *v;
	in.line = line;
	in.id = xstrdup(id);
	cfg_check_keys(r, sec, instructor_keys, NULL);
	v = vd_ini_get(r->ini, sec, "name");
	in.name = xstrdup(v && *v ? v : id);
	if ((v = cfg_need(r, sec, "courses", r->p->load.n ? r->p->load.v[0] : "pediatrics")))
		split_ids(&in.courses, v);
	in.days = VDS_ALLDAYS;
	if ((v = vd_ini_get(r->ini, sec, "days"))) {
		char *bad;
		const char *day = NULL;
		if (vd_days_parse(v, &in.days, &bad) && (day = cfg_weekday_near(bad)))
			ERR(r, sec, "days", _("%s: '%s' is not a weekday; did you mean '%s'?"), "days", bad, day);
		else if (bad)
			ERR(r, sec, "days", _("days: '%s' is not a weekday; use mon tue wed thu fri sat sun or a range like sat-sun"), bad);
		free(bad);
	}
	if ((v = vd_ini_get(r->ini, sec, "sites")))
		split_ids(&in.sites, v);
	p->instructors = xreallocarray(p->instructors, p->ninstructors + 1, sizeof *p->instructors);
	p->instructors[p->ninstructors] = in;
	vd_hmap_put(&p->instructor_ix, p->instructors[p->ninstructors].id, p->ninstructors);
	p->ninstructors++;
}

static void read_township(struct cfg_reader *r, const char *sec, const char *id, int line)
{
	struct vd_program *p = r->p;
	struct vd_township t = { 0 };
	long x;
	cfg_check_keys(r, sec, township_keys, NULL);
	t.id = xstrdup(id);
	const char *v = vd_ini_get(r->ini, sec, "name");
	t.name = xstrdup(v && *v ? v : id);
	cfg_get_int(r, sec, "cover", p->default_cover, 0, 100000, &x);
	t.cover = (int)x;
	t.line = line;
	p->townships = xreallocarray(p->townships, p->ntownships + 1, sizeof *p->townships);
	p->townships[p->ntownships] = t;
	vd_hmap_put(&p->township_ix, p->townships[p->ntownships].id, p->ntownships);
	p->ntownships++;
}

/* sites = names a site that is not defined. */
static void unknown_site(struct cfg_reader *r, const char *sec, const char *id)
{
	struct vd_program *p = r->p;
	char *own = xasprintf("site %s", id);
	int has_section = vd_ini_has_section(r->ini, own);
	free(own);
	if (has_section && !vd_id_valid(id))
		return;   /* its [site ...] header is reported already */
	for (size_t i = 0; i < p->nsites; i++)
		if (!strcmp(p->sites[i].name, id)) {
			ERR(r, sec, "sites", _("'%s' is the name of [site %s]; sites = takes site ids: write %s"),
			    id, p->sites[i].id, p->sites[i].id);
			return;
		}
	struct vd_near g;
	vd_near_init(&g, id);
	for (size_t i = 0; i < p->nsites; i++)
		vd_near_try(&g, p->sites[i].id);
	if (g.pick)
		ERR(r, sec, "sites", _("unknown site '%s'; did you mean '%s'?"), id, g.pick);
	else if (!vd_id_valid(id))
		ERR(r, sec, "sites", _("unknown site '%s'; sites = takes the ids of [site ...] sections (letters, digits, '_', '.' or '-')"), id);
	else
		ERR(r, sec, "sites", _("unknown site '%s'; define it in a [site %s] section"), id, id);
}

/* [townships]: the default cover of every township. */
static void read_townships(struct cfg_reader *r)
{
	long x;
	if (!vd_ini_has_section(r->ini, "townships"))
		return;
	cfg_check_keys(r, "townships", townships_keys, NULL);
	if (!cfg_get_int(r, "townships", "cover", 0, 0, 100000, &x))
		r->p->default_cover = (int)x;
}

/* [plugins]: where to look and what to load; no load is an error even
 * without the section. */
static void read_plugins(struct cfg_reader *r)
{
	struct vd_program *p = r->p;
	struct vd_ini *ini = r->ini;
	const char *v;
	if (vd_ini_has_section(ini, "plugins"))
		cfg_check_keys(r, "plugins", plugins_keys, NULL);
	if ((v = vd_ini_get(ini, "plugins", "dir")) && *v)
		p->plugin_dir = vd_path_join(p->dir, v);
	if ((v = vd_ini_get(ini, "plugins", "load")))
		split_ids(&p->load, v);
	int line = vd_ini_line(ini, "plugins", "load");
	if (!p->load.n) {
		/* name the courses the file has sections for, so that the line
		 * as written loads exactly those */
		struct vd_strbuf want = { 0 };
		for (size_t i = 0; i < ini->nsecs; i++)
			if (!strncmp(ini->secs[i].name, "course ", 7)) {
				if (want.n)
					vd_strbuf_cat(&want, " ");
				vd_strbuf_cat(&want, ini->secs[i].name + 7);
			}
		vd_error(r->dg, ini->path, line,
		         _("no courses: add [plugins] load = %s (the course plugins to use)"),
		         want.n ? want.s : "tcm pediatrics dental");
		vd_strbuf_free(&want);
	}
	for (size_t i = 0; i < p->load.n; i++) {
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->load.v[i], p->load.v[j]) == 0)
				vd_error(r->dg, ini->path, line, _("course '%s' is loaded twice; list it once"), p->load.v[i]);
		if (!vd_id_valid(p->load.v[i]))
			vd_error(r->dg, ini->path, line,
			         _("'%s' is not a plugin name; plugins are loaded by name (e.g. tcm), never by path"), p->load.v[i]);
	}
}

/* The kinds of section, as collectd's configfile.c dispatches its
 * blocks: a kind without a name ([program]) is read once by read_once,
 * whether the file has it or not (a missing one may be an error); a named
 * kind ([site ID]) by read_each, for every such section in file order.
 * Courses have no reader: there is one per loaded plugin, read with
 * read_courses.  The order is the one suggestions prefer for a misspelt
 * kind (the first of equally near ones wins); read_rank orders the
 * read_once calls. */
enum section_naming { SECTION_SINGLE, SECTION_NAMED };

struct section_kind {
	const char *kind;
	enum section_naming naming;
	int read_rank;
	void (*read_once)(struct cfg_reader *r);
	void (*read_each)(struct cfg_reader *r, const char *sec, const char *id, int line);
};

static const struct section_kind section_table[] = {
	{ "program", SECTION_SINGLE, 1, cfg_read_program, NULL },
	{ "plugins", SECTION_SINGLE, 3, read_plugins, NULL },
	{ "course", SECTION_NAMED, 0, NULL, NULL },
	{ "site", SECTION_NAMED, 0, NULL, read_site },
	{ "instructor", SECTION_NAMED, 0, NULL, read_instructor },
	{ "townships", SECTION_SINGLE, 2, read_townships, NULL },
	{ "township", SECTION_NAMED, 0, NULL, read_township },
	{ "output", SECTION_SINGLE, 4, cfg_read_output, NULL },
};
#define NSECTION_KINDS (sizeof section_table / sizeof *section_table)
#define LAST_READ_RANK 4

static const struct section_kind *section_kind_of(const char *kind, size_t kl)
{
	for (size_t i = 0; i < NSECTION_KINDS; i++)
		if (strlen(section_table[i].kind) == kl && !strncmp(section_table[i].kind, kind, kl))
			return &section_table[i];
	return NULL;
}

/* An id that is not one: Chinese ids are refused (they become file names
 * and UIDs); say what to write instead, once. */
static void bad_section_id(struct cfg_reader *r, const char *name, const char *kind, const char *id, int line)
{
	if (non_ascii(id) && !strcmp(kind, "course"))
		vd_error(r->dg, r->ini->path, line,
		         _("course id '%s' must be the plugin's name (it becomes a file name); write e.g. [course tcm] for the course of plugin tcm"),
		         id);
	else if (non_ascii(id))
		vd_error(r->dg, r->ini->path, line,
		         _("%s id '%s' must be letters, digits, '_', '.' or '-' (it becomes a file name); write e.g. [%s %s1] (pinyin reads best) and put the Chinese name in name = %s"),
		         kind, id, kind, kind, id);
	else
		vd_error(r->dg, r->ini->path, line,
		         _("'%s' in [%s] is not a valid id: use A-Z a-z 0-9 _ . - (at most 64, starting with a letter or digit)"),
		         id, name);
}

/* A section header: a known kind, named when the kind wants a name. */
static void check_section_header(struct cfg_reader *r, const char *name, int line)
{
	const char *sp = strchr(name, ' ');
	size_t kl = sp ? (size_t)(sp - name) : strlen(name);
	const struct section_kind *sk = section_kind_of(name, kl);
	char *kind = xstrndup(name, kl);
	if (!sk) {
		struct vd_near g;
		vd_near_init(&g, kind);
		for (size_t i = 0; i < NSECTION_KINDS; i++)
			vd_near_try(&g, section_table[i].kind);
		if (g.pick)
			vd_error(r->dg, r->ini->path, line, _("unknown section [%s]; did you mean [%s%s]?"),
			         name, g.pick, sp ? sp : "");
		else
			vd_error(r->dg, r->ini->path, line, _("unknown section [%s] (see vdsched.ini(5))"), name);
	} else if (sk->naming == SECTION_NAMED && !sp) {
		vd_error(r->dg, r->ini->path, line, _("section [%s] needs a name, e.g. [%s example]"), name, name);
	} else if (sk->naming == SECTION_SINGLE && sp) {
		vd_error(r->dg, r->ini->path, line, _("section [%s] takes no name; write [%s]"), name, kind);
	} else if (sk->naming == SECTION_NAMED && !vd_id_valid(sp + 1)) {
		bad_section_id(r, name, kind, sp + 1, line);
	}
	free(kind);
}

/* Courses: one per loaded plugin, with its [course NAME] section; then
 * the [course ...] sections of no loaded plugin. */
static void read_courses(struct cfg_reader *r)
{
	struct vd_program *p = r->p;
	struct vd_ini *ini = r->ini;
	const char *v;
	for (size_t i = 0; i < p->load.n; i++) {
		struct vd_course c = { 0 };
		if (vd_hmap_get(&p->course_ix, p->load.v[i]) != VD_NONE)
			continue;  /* loaded twice: reported above */
		c.name = xstrdup(p->load.v[i]);
		char *sec = xasprintf("course %s", c.name);
		c.line = vd_ini_line(ini, sec, NULL);
		if (!vd_ini_has_section(ini, sec))
			vd_error(r->dg, ini->path, vd_ini_line(ini, "plugins", "load"),
			         _("course '%s' is loaded but has no [%s] section; add one with sites = <site ids>"), c.name, sec);
		else if ((v = vd_ini_get(ini, sec, "sites")) && *v)
			split_ids(&c.site_ids, v);
		else
			c.any_site = 1;  /* every site with what the course needs */
		cfg_read_course_completion(r, sec, &c);
		free(sec);
		p->courses = xreallocarray(p->courses, p->ncourses + 1, sizeof *p->courses);
		p->courses[p->ncourses] = c;
		vd_hmap_put(&p->course_ix, p->courses[p->ncourses].name, p->ncourses);
		p->ncourses++;
	}
	for (size_t i = 0; i < ini->nsecs; i++) {
		const char *name = ini->secs[i].name;
		if (strncmp(name, "course ", 7) == 0 && vd_id_valid(name + 7) &&
		    vd_hmap_get(&p->course_ix, name + 7) == VD_NONE)
			vd_error(r->dg, ini->path, ini->secs[i].line,
			         _("[%s] but '%s' is not in [plugins] load; add it to load or remove the section"),
			         name, name + 7);
	}
}

/* What courses and instructors name: sites and courses that exist. */
static void resolve_references(struct cfg_reader *r)
{
	struct vd_program *p = r->p;
	for (size_t i = 0; i < p->ncourses; i++) {
		struct vd_course *c = &p->courses[i];
		char *sec = xasprintf("course %s", c->name);
		c->sites = xcalloc(c->any_site ? p->nsites + 1 : c->site_ids.n + 1, sizeof *c->sites);
		for (size_t j = 0; c->any_site && j < p->nsites; j++)
			c->sites[c->nsites++] = j;
		for (size_t j = 0; j < c->site_ids.n; j++) {
			size_t s = vd_hmap_get(&p->site_ix, c->site_ids.v[j]);
			if (s == VD_NONE)
				unknown_site(r, sec, c->site_ids.v[j]);
			else
				c->sites[c->nsites++] = s;
		}
		free(sec);
	}
	for (size_t i = 0; i < p->ninstructors; i++) {
		struct vd_instructor *in = &p->instructors[i];
		char *sec = xasprintf("instructor %s", in->id);
		for (size_t j = 0; j < in->courses.n; j++) {
			if (vd_hmap_get(&p->course_ix, in->courses.v[j]) != VD_NONE)
				continue;
			struct vd_near g;
			vd_near_init(&g, in->courses.v[j]);
			for (size_t c = 0; c < p->ncourses; c++)
				vd_near_try(&g, p->courses[c].name);
			if (g.pick)
				ERR(r, sec, "courses", _("unknown course '%s'; did you mean '%s'?"),
				    in->courses.v[j], g.pick);
			else
				ERR(r, sec, "courses", _("unknown course '%s'; loaded courses are those in [plugins] load"),
				    in->courses.v[j]);
		}
		for (size_t j = 0; j < in->sites.n; j++)
			if (vd_hmap_get(&p->site_ix, in->sites.v[j]) == VD_NONE)
				unknown_site(r, sec, in->sites.v[j]);
		free(sec);
	}
}

/* Named sections with a reader, in file order. */
static void read_named_sections(struct cfg_reader *r)
{
	for (size_t i = 0; i < r->ini->nsecs; i++) {
		const char *name = r->ini->secs[i].name;
		const char *sp = strchr(name, ' ');
		if (!sp || !vd_id_valid(sp + 1))
			continue;
		const struct section_kind *sk = section_kind_of(name, (size_t)(sp - name));
		if (sk && sk->read_each)
			sk->read_each(r, name, sp + 1, r->ini->secs[i].line);
	}
	/* Township defaults apply to those declared before [townships] too. */
	for (size_t i = 0; i < r->p->ntownships; i++) {
		char *sec = xasprintf("township %s", r->p->townships[i].id);
		if (!vd_ini_get(r->ini, sec, "cover"))
			r->p->townships[i].cover = r->p->default_cover;
		free(sec);
	}
}

int vd_config_read(struct vd_program *p, struct vd_ini *ini, struct vd_diag *dg)
{
	struct cfg_reader r = { p, ini, dg };
	unsigned before = dg->errors;

	free(p->path);
	free(p->dir);
	p->path = xstrdup(ini->path);
	const char *slash = strrchr(ini->path, '/');
	p->dir = slash ? xstrndup(ini->path, (size_t)(slash - ini->path + (slash == ini->path))) : xstrdup(".");

	/* Section kinds first, so a typo in a header is reported once. */
	for (size_t i = 0; i < ini->nsecs; i++)
		check_section_header(&r, ini->secs[i].name, ini->secs[i].line);
	for (int rank = 1; rank <= LAST_READ_RANK; rank++)
		for (size_t i = 0; i < NSECTION_KINDS; i++)
			if (section_table[i].read_rank == rank)
				section_table[i].read_once(&r);
	read_named_sections(&r);
	read_courses(&r);
	resolve_references(&r);
	return dg->errors == before ? 0 : -1;
}

static int site_has_feature(const struct vd_site *s, const char *f)
{
	return vd_strv_has(&s->features, f);
}

static int site_resource(const struct vd_site *s, const char *name)
{
	for (size_t i = 0; i < s->nres; i++)
		if (strcmp(s->res[i].name, name) == 0)
			return s->res[i].count;
	return -1;
}

/* Depth-first search over loaded prerequisites; color 1 = on the path,
 * 2 = done.  Reports the edge that closes a circle. */
static void prereq_cycle(const struct vd_program *p, struct vd_ini *ini, struct vd_diag *dg,
                         size_t c, unsigned char *color)
{
	if (color[c])
		return;
	color[c] = 1;
	const struct vds_course *d = p->courses[c].def;
	for (size_t k = 0; d && k < d->nprereqs; k++) {
		size_t q = vd_hmap_get(&p->course_ix, d->prereqs[k]);
		if (q == VD_NONE)
			continue;
		if (color[q] == 1) {
			char *sec = xasprintf("course %s", p->courses[c].name);
			vd_error(dg, ini->path, vd_ini_line(ini, sec, "requires"),
			         _("course '%s' requires '%s', which leads back to '%s': nobody could ever take them; remove one of the requires"),
			         p->courses[c].name, d->prereqs[k], p->courses[c].name);
			free(sec);
		} else {
			prereq_cycle(p, ini, dg, q, color);
		}
	}
	color[c] = 2;
}

int vd_config_check_courses(struct vd_program *p, struct vd_ini *ini, struct vd_diag *dg)
{
	unsigned before = dg->errors;
	for (size_t i = 0; i < p->ncourses; i++) {
		struct vd_course *c = &p->courses[i];
		if (!c->def)
			continue;
		char *sec = xasprintf("course %s", c->name);
		if (c->any_site) {
			size_t w = 0;
			for (size_t j = 0; j < c->nsites; j++) {
				const struct vd_site *s = &p->sites[c->sites[j]];
				int ok = 1;
				for (size_t f = 0; f < c->def->nfeatures; f++)
					ok &= site_has_feature(s, c->def->features[f]);
				for (size_t k = 0; k < c->def->nresources; k++)
					ok &= site_resource(s, c->def->resources[k].name) > 0;
				if (ok)
					c->sites[w++] = c->sites[j];
			}
			c->nsites = w;
			if (!w)
				vd_error(dg, ini->path, c->line,
				         _("no site has what course '%s' needs; add its features and resources to a [site] or list sites = in [%s]"),
				         c->name, sec);
		}
		for (size_t j = 0; j < c->nsites; j++) {
			const struct vd_site *s = &p->sites[c->sites[j]];
			for (size_t f = 0; f < c->def->nfeatures; f++)
				if (!site_has_feature(s, c->def->features[f]))
					vd_error(dg, ini->path, vd_ini_line(ini, sec, "sites"),
					         _("site '%s' lacks feature '%s' that course '%s' needs; add it to [site %s] features or drop the site"),
					         s->id, c->def->features[f], c->name, s->id);
			for (size_t k = 0; k < c->def->nresources; k++) {
				const struct vds_resource *rs = &c->def->resources[k];
				int have = site_resource(s, rs->name);
				char *site_sec = xasprintf("site %s", s->id);
				const char *written = vd_ini_get(ini, site_sec, rs->name);
				long n;
				free(site_sec);
				/* a count that is not a number is reported already */
				if (have <= 0 && !(written && cfg_parse_long(written, &n)))
					vd_error(dg, ini->path, vd_ini_line(ini, sec, "sites"),
					         _("site '%s' has no '%s' that course '%s' needs; add e.g. %s = 4 to [site %s]"),
					         s->id, rs->name, c->name, rs->name, s->id);
			}
		}
		for (size_t k = 0; k < c->def->nprereqs; k++)
			if (vd_hmap_get(&p->course_ix, c->def->prereqs[k]) == VD_NONE)
				vd_warning(dg, ini->path, c->line,
				           _("course '%s' requires '%s', which is not loaded; only doctors who completed it can take '%s'"),
				           c->name, c->def->prereqs[k], c->name);
		free(sec);
	}
	/* Prerequisites must not go round in a circle. */
	unsigned char *color = xcalloc(p->ncourses + 1, 1);
	for (size_t i = 0; i < p->ncourses; i++)
		prereq_cycle(p, ini, dg, i, color);
	free(color);
	/* A site key that no course uses is most likely a typo. */
	for (size_t i = 0; i < p->nsites; i++) {
		const struct vd_site *s = &p->sites[i];
		char *sec = xasprintf("site %s", s->id);
		for (size_t k = 0; k < s->nres; k++) {
			int used = 0;
			for (size_t j = 0; j < p->ncourses; j++)
				for (size_t q = 0; p->courses[j].def && q < p->courses[j].def->nresources; q++)
					used |= !strcmp(p->courses[j].def->resources[q].name, s->res[k].name);
			if (!used)
				vd_warning(dg, ini->path, vd_ini_line(ini, sec, s->res[k].name),
				           _("'%s' in [%s] is not a resource any loaded course uses; check the spelling"),
				           s->res[k].name, sec);
		}
		free(sec);
	}
	return dg->errors == before ? 0 : -1;
}

/* fuzz_plugin_opts.c -- libFuzzer target: a course plugin's own options.
 *
 * Input layout: byte 0 chooses the plugin (value % 3: tcm, pediatrics,
 * dental); the rest is the body of its [course NAME] section.  The target
 * writes
 *     [plugins]\nload = NAME\n[course NAME]\n<body>
 * to a per-process temporary vdsched.ini, opens it with vd_ini_open, builds
 * a program with that one course and calls vd_plugins_load with the
 * plugins in $VDSCHED_FUZZ_PLUGIN_DIR (a private folder, mode 755, files
 * 644, as the loader's vetting requires).  When the course loads, every
 * string and array it declares is read (so ASan sees dangling pointers)
 * and eligible() is called on a few doctors; then vd_plugins_free.
 *
 * Each plugin is dlopen'ed once with RTLD_NODELETE at start-up so that the
 * loader's dlopen/dlclose per input does not unmap and remap it (which
 * would re-register its coverage counters with libFuzzer every run).
 * Build: see tests/fuzz/README. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "diag.h"
#include "ini.h"
#include "loader.h"
#include "model.h"
#include "xalloc.h"

static const char *const names[] = { "tcm", "pediatrics", "dental" };
static char dir[64], ini_path[96];
static const char *plugin_dir;
static FILE *devnull;
static volatile size_t sink;

static void cleanup(void)
{
	unlink(ini_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	plugin_dir = getenv("VDSCHED_FUZZ_PLUGIN_DIR");
	if (!plugin_dir || !*plugin_dir) {
		fprintf(stderr, "fuzz_plugin_opts: set VDSCHED_FUZZ_PLUGIN_DIR to a folder with tcm.so pediatrics.so dental.so\n");
		exit(1);
	}
	for (size_t i = 0; i < 3; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.so", plugin_dir, names[i]);
		if (!dlopen(path, RTLD_NOW | RTLD_NODELETE)) {
			fprintf(stderr, "fuzz_plugin_opts: %s\n", dlerror());
			exit(1);
		}
	}
	snprintf(dir, sizeof dir, "/tmp/vdfuzz-plugin.%ld", (long)getpid());
	mkdir(dir, 0700);
	snprintf(ini_path, sizeof ini_path, "%s/vdsched.ini", dir);
	devnull = getenv("VDFUZZ_DEBUG") ? stderr : fopen("/dev/null", "w");
	atexit(cleanup);
	return 0;
}

static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static void exercise(const struct vds_course *c)
{
	size_t n = touch(c->id) + touch(c->title) + touch(c->lang) + touch(c->category) +
	           touch(c->bring);
	for (size_t i = 0; i < c->nsessions; i++)
		n += touch(c->sessions[i].title) + touch(c->sessions[i].module) +
		     touch(c->sessions[i].description) + c->sessions[i].start;
	for (size_t i = 0; i < c->nfeatures; i++)
		n += touch(c->features[i]);
	for (size_t i = 0; i < c->nresources; i++)
		n += touch(c->resources[i].name) + c->resources[i].per;
	for (size_t i = 0; i < c->nprereqs; i++)
		n += touch(c->prereqs[i]);
	if (c->eligible) {
		static const char *const done0[] = { NULL };
		static const char *const done1[] = { "tcm", "pediatrics", "dental", "imci" };
		const struct vds_doctor_view dv[] = {
			{ "t01", "黄秀兰", "xa-01", "xinan", done0, 0 },
			{ "t02", "韦建国", "xa-02", "heping", done1, 4 },
			{ "t03", "", "", "", done1, 1 },
		};
		for (size_t i = 0; i < sizeof dv / sizeof *dv; i++) {
			const char *why = NULL;
			if (!c->eligible(c->state, &dv[i], &why))
				n += touch(why);
		}
	}
	sink += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *name = names[data[0] % 3];
	FILE *f = fopen(ini_path, "wb");
	if (!f)
		abort();
	fprintf(f, "[plugins]\nload = %s\n[course %s]\n", name, name);
	if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
		abort();
	fclose(f);

	struct vd_diag dg;
	vd_diag_init(&dg, devnull);
	struct vd_ini *ini = vd_ini_open(ini_path, &dg);
	if (!ini)
		return 0;
	struct vd_program p;
	vd_program_init(&p);
	p.path = xstrdup(ini_path);
	p.dir = xstrdup(dir);
	vd_strv_push(&p.load, name);
	p.courses = xcalloc(1, sizeof *p.courses);
	p.courses[0].name = xstrdup(name);
	p.courses[0].line = 3;
	p.courses[0].any_site = 1;
	p.ncourses = 1;
	vd_hmap_put(&p.course_ix, p.courses[0].name, 0);

	struct vd_plugins ps;
	vd_plugins_init(&ps, plugin_dir, NULL, NULL);
	if (vd_plugins_load(&ps, &p, ini, &dg) == 0 && p.courses[0].def)
		exercise(p.courses[0].def);
	vd_plugins_free(&ps);
	vd_program_free(&p);
	vd_ini_close(ini);
	return 0;
}

/* test_loader.c -- plugins are found by name, vetted, and every broken or
 * unsafe one is refused with a message naming the file; nothing crashes.
 * The broken plugins are real shared objects built by the test suite
 * (tests/plugins/); dlopen is wrapped only to make it fail for a file that
 * is otherwise fine, which cannot be arranged for real. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "ini.h"
#include "loader.h"
#include "xalloc.h"

void *__real_dlopen(const char *file, int mode);
static int fail_next_dlopen;  /* test-local switch for the wrapper */
void *__wrap_dlopen(const char *file, int mode);
void *__wrap_dlopen(const char *file, int mode)
{
	if (fail_next_dlopen) {
		fail_next_dlopen = 0;
		return NULL;
	}
	return __real_dlopen(file, mode);
}

struct fx {
	char dir[64];
	char *msgs;
	size_t len;
	FILE *mem;
	struct vd_diag dg;
};

static const char *bad_dir(void)
{
	const char *d = getenv("VDSCHED_TEST_BAD_PLUGINS");
	return d ? d : "tests/plugins/.libs";
}

static const char *good_dir(void)
{
	const char *d = getenv("VDSCHED_TEST_PLUGIN_DIR");
	return d ? d : "plugins/lib";
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/vdload-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	chmod(f->dir, 0755);
	f->mem = open_memstream(&f->msgs, &f->len);
	vd_diag_init(&f->dg, f->mem);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fclose(f->mem);
	free(f->msgs);
	char *cmd = xasprintf("chmod -R u+w %s; rm -rf %s", f->dir, f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

static char *copy_in(struct fx *f, const char *srcdir, const char *name, const char *as)
{
	char *dst = xasprintf("%s/%s", f->dir, as ? as : name);
	char *cmd = xasprintf("cp %s/%s %s && chmod 644 %s", srcdir, name, dst, dst);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return dst;
}

/* Opens path; asserts it is refused with `expect` in the message. */
static void refused(struct fx *f, const char *path, const char *expect)
{
	const struct vds_plugin *d;
	void *dl = vd_plugin_open(path, &d, &f->dg);
	fflush(f->mem);
	assert_null(dl);
	assert_null(d);
	assert_non_null(strstr(f->msgs, path));
	if (!strstr(f->msgs, expect))
		fail_msg("expected '%s' in: %s", expect, f->msgs);
}

static void test_good_plugin_opens(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, good_dir(), "tcm.so", NULL);
	const struct vds_plugin *d;
	void *dl = vd_plugin_open(p, &d, &f->dg);
	assert_non_null(dl);
	assert_string_equal(d->name, "tcm");
	assert_int_equal(d->abi_major, VDS_ABI_MAJOR);
	dlclose(dl);
	free(p);
}

static void test_not_a_plugin(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, bad_dir(), "notplugin.so", NULL);
	refused(f, p, "not a vdsched plugin (no 'vdsched_plugin' symbol)");
	free(p);
}

static void test_not_elf(void **state)
{
	struct fx *f = *state;
	char *p = xasprintf("%s/text.so", f->dir);
	FILE *o = fopen(p, "w");
	fputs("this is not ELF\n", o);
	fclose(o);
	chmod(p, 0644);
	refused(f, p, "not a loadable shared object");
	free(p);
}

static void test_wrong_abi(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, bad_dir(), "wrongabi.so", NULL);
	refused(f, p, "built for plugin ABI 99.0, but this vdsched provides 1.0");
	free(p);
}

static void test_newer_minor(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, bad_dir(), "newminor.so", NULL);
	refused(f, p, "built for plugin ABI 1.1, but this vdsched provides 1.0");
	free(p);
}

static void test_symlink(void **state)
{
	struct fx *f = *state;
	char *real = copy_in(f, good_dir(), "tcm.so", "real.so");
	char *link = xasprintf("%s/tcm.so", f->dir);
	assert_int_equal(symlink(real, link), 0);
	refused(f, link, "it is a symbolic link");
	free(real);
	free(link);
}

static void test_world_writable(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, good_dir(), "tcm.so", NULL);
	chmod(p, 0666);
	refused(f, p, "writable by group or others (mode 666)");
	free(p);
}

static void test_group_writable_folder(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, good_dir(), "tcm.so", NULL);
	chmod(f->dir, 0775);
	refused(f, p, "folder");
	assert_non_null(strstr(f->msgs, "is writable by group or others (mode 775)"));
	chmod(f->dir, 0755);
	free(p);
}

static void test_wrong_owner(void **state)
{
	struct fx *f = *state;
	if (geteuid() != 0)
		skip();  /* only root can give a file to someone else */
	char *p = copy_in(f, good_dir(), "tcm.so", NULL);
	assert_int_equal(chown(p, 65534, 65534), 0);
	refused(f, p, "owned by uid 65534, neither root nor you");
	free(p);
}

static void test_not_regular(void **state)
{
	struct fx *f = *state;
	char *p = xasprintf("%s/dir.so", f->dir);
	mkdir(p, 0755);
	refused(f, p, "not a regular file");
	free(p);
}

static void test_dlopen_failure(void **state)
{
	struct fx *f = *state;
	char *p = copy_in(f, good_dir(), "tcm.so", NULL);
	fail_next_dlopen = 1;
	refused(f, p, "not a loadable shared object");
	free(p);
}

/* Loads the named courses from dir through the real host table. */
static int load(struct fx *f, const char *dir, const char *ini_text, const char *const *names,
                struct vd_program *p, struct vd_plugins *ps)
{
	char *path = xasprintf("%s/vdsched.ini", f->dir);
	FILE *o = fopen(path, "w");
	fputs(ini_text, o);
	fclose(o);
	struct vd_ini *ini = vd_ini_open(path, &f->dg);
	assert_non_null(ini);
	vd_program_init(p);
	for (; *names; names++) {
		p->courses = xreallocarray(p->courses, p->ncourses + 1, sizeof *p->courses);
		memset(&p->courses[p->ncourses], 0, sizeof *p->courses);
		p->courses[p->ncourses].name = xstrdup(*names);
		vd_hmap_put(&p->course_ix, p->courses[p->ncourses].name, p->ncourses);
		p->ncourses++;
	}
	vd_plugins_init(ps, dir, NULL, NULL);
	int rc = vd_plugins_load(ps, p, ini, &f->dg);
	vd_ini_close(ini);
	free(path);
	fflush(f->mem);
	return rc;
}

static void test_load_by_name(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plugins ps;
	const char *names[] = { "tcm", "dental", NULL };
	assert_int_equal(load(f, good_dir(), "[plugins]\nload = tcm dental\n[course tcm]\nsites = a\n[course dental]\nsites = a\n",
	                      names, &p, &ps), 0);
	assert_non_null(p.courses[0].def);
	assert_string_equal(p.courses[0].def->id, "tcm");
	assert_true(p.courses[1].def->days >= 1);
	vd_program_free(&p);
	vd_plugins_free(&ps);
}

static void test_missing_plugin(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plugins ps;
	const char *names[] = { "nosuch", NULL };
	assert_int_equal(load(f, good_dir(), "[plugins]\nload = nosuch\n[course nosuch]\n", names, &p, &ps), -1);
	assert_non_null(strstr(f->msgs, "vdsched.ini:2: error: course plugin 'nosuch' not found: looked for nosuch.so in"));
	vd_program_free(&p);
	vd_plugins_free(&ps);
}

static void test_failing_init(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plugins ps;
	const char *names[] = { "failinit", NULL };
	/* an error the plugin reports through the host is bad input (1), not a
	 * plugin failure (-1) */
	assert_int_equal(load(f, bad_dir(), "[plugins]\nload = failinit\n[course failinit]\nsetting = 3\n", names, &p, &ps), 1);
	/* the plugin's own error, at the line of its key */
	assert_non_null(strstr(f->msgs, "vdsched.ini:4: error: failinit: '3' is not accepted"));
	assert_null(p.courses[0].def);
	vd_program_free(&p);
	vd_plugins_free(&ps);
}

static void test_duplicate_course(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plugins ps;
	/* dupcourse declares course id "tcm"; put both in one folder */
	char *a = copy_in(f, good_dir(), "tcm.so", NULL);
	char *b = copy_in(f, bad_dir(), "dupcourse.so", NULL);
	const char *names[] = { "tcm", "dupcourse", NULL };
	assert_int_equal(load(f, f->dir, "[plugins]\nload = tcm dupcourse\n[course tcm]\n[course dupcourse]\n", names, &p, &ps), -1);
	assert_non_null(strstr(f->msgs, "dupcourse.so: error: plugin refused: course id 'tcm' is already declared by plugin 'tcm'"));
	vd_program_free(&p);
	vd_plugins_free(&ps);
	free(a);
	free(b);
}

static void test_invalid_courses(void **state)
{
	struct fx *f = *state;
	struct vd_program p;
	struct vd_plugins ps;
	const char *names[] = { "badcourse", "badsession", NULL };
	assert_int_equal(load(f, bad_dir(), "[plugins]\nload = badcourse badsession\n[course badcourse]\n[course badsession]\n",
	                      names, &p, &ps), -1);
	assert_non_null(strstr(f->msgs, "badcourse.so: error: plugin error: course has 0 teaching days"));
	assert_non_null(strstr(f->msgs, "badsession.so: error: plugin error: session"));
	assert_null(p.courses[0].def);
	assert_null(p.courses[1].def);
	vd_program_free(&p);
	vd_plugins_free(&ps);
}

static void test_list(void **state)
{
	struct fx *f = *state;
	struct vd_plugins ps;
	char *out = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&out, &len);
	vd_plugins_init(&ps, good_dir(), NULL, NULL);
	assert_int_equal(vd_plugins_list(&ps, o, &f->dg), 0);
	fclose(o);
	assert_non_null(strstr(out, "tcm "));
	assert_non_null(strstr(out, "pediatrics "));
	assert_non_null(strstr(out, "dental "));
	assert_non_null(strstr(out, " 1.0 "));
	free(out);
	vd_plugins_free(&ps);
}

int main(void)
{
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_good_plugin_opens), T(test_not_a_plugin), T(test_not_elf),
		T(test_wrong_abi), T(test_newer_minor), T(test_symlink),
		T(test_world_writable), T(test_group_writable_folder),
		T(test_wrong_owner), T(test_not_regular), T(test_dlopen_failure),
		T(test_load_by_name), T(test_missing_plugin), T(test_failing_init),
		T(test_duplicate_course), T(test_invalid_courses), T(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

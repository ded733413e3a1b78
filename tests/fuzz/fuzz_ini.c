/* fuzz_ini.c -- libFuzzer target: the program file.
 *
 * Writes the input to a per-process temporary folder as vdsched.ini (with a
 * small holidays.ini beside it, so `holidays = holidays.ini` is reachable)
 * and runs the real reader: vd_ini_open + vd_config_read, then frees
 * everything.  Diagnostics go to /dev/null.  Build: see tests/fuzz/README. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "config.h"
#include "diag.h"
#include "ini.h"
#include "model.h"

static char dir[64], ini_path[96];
static FILE *devnull;

static void put_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	if (n && fwrite(data, 1, n, f) != n)
		abort();
	fclose(f);
}

static void cleanup(void)
{
	char p[128];
	unlink(ini_path);
	snprintf(p, sizeof p, "%s/holidays.ini", dir);
	unlink(p);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	snprintf(dir, sizeof dir, "/tmp/vdfuzz-ini.%ld", (long)getpid());
	mkdir(dir, 0700);
	snprintf(ini_path, sizeof ini_path, "%s/vdsched.ini", dir);
	char p[128];
	snprintf(p, sizeof p, "%s/holidays.ini", dir);
	static const char hol[] =
		"[holidays]\n"
		"off      = 2026-01-01..2026-01-03 2026-05-01..2026-05-05 2026-06-19\n"
		"workdays = 2026-01-04 2026-05-09\n";
	put_file(p, hol, sizeof hol - 1);
	devnull = getenv("VDFUZZ_DEBUG") ? stderr : fopen("/dev/null", "w");
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	put_file(ini_path, data, size);
	struct vd_diag dg;
	vd_diag_init(&dg, devnull);
	struct vd_ini *ini = vd_ini_open(ini_path, &dg);
	if (!ini)
		return 0;
	struct vd_program p;
	vd_program_init(&p);
	vd_config_read(&p, ini, &dg);
	/* the lookups the loader and config make with arbitrary names */
	(void)vd_ini_get(ini, "program", "id");
	(void)vd_ini_line(ini, "plugins", "load");
	vd_program_free(&p);
	vd_ini_close(ini);
	return 0;
}

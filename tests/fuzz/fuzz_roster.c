/* fuzz_roster.c -- libFuzzer targets for the rosters through
 * vd_roster_load: built with -DFUZZ_DOCTORS it is fuzz_doctors (the input
 * is doctors.csv, clinics.csv a fixed valid file), otherwise fuzz_clinics
 * (the input is clinics.csv, doctors.csv fixed).
 *
 * Input layout: byte 0 selects the program's settings, the rest is the
 * roster file.
 *   bit 0: encoding = gbk (else bit 2: encoding = utf-8, else unset)
 *   bit 1: the program declares townships xinan (新安镇) and heping (和平乡),
 *          so clinics' townships are resolved by id or name; otherwise
 *          townships are implicit (created from clinics.csv)
 * Diagnostics go to /dev/null.  Build: see tests/fuzz/README. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "diag.h"
#include "model.h"
#include "roster.h"
#include "xalloc.h"

static char dir[64], clinics[96], doctors[96];

#ifdef FUZZ_DOCTORS
#define FUZZED "doctors"
#define FUZZ_FILE doctors
#else
#define FUZZED "clinics"
#define FUZZ_FILE clinics
#endif
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
	unlink(clinics);
	unlink(doctors);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	snprintf(dir, sizeof dir, "/tmp/vdfuzz-%s.%ld", FUZZED, (long)getpid());
	mkdir(dir, 0700);
	snprintf(clinics, sizeof clinics, "%s/clinics.csv", dir);
	snprintf(doctors, sizeof doctors, "%s/doctors.csv", dir);
#ifdef FUZZ_DOCTORS
	static const char cl[] =
		"clinic_id,name,township,lat,lon,min_on_duty\n"
		"xa-01,东林村卫生室,xinan,23.742,106.935,1\n"
		"xa-02,南坪村卫生室,xinan,23.761,106.958,1\n"
		"xa-03,新桥村卫生室,新安镇,23.728,106.981,1\n"
		"hp-01,和安村卫生室,heping,23.652,106.861,1\n"
		"hp-02,和乐村卫生室,heping,23.640,106.850,0\n"
		"hp-03,和平村卫生室,和平乡,23.630,106.840,\n";
	put_file(clinics, cl, sizeof cl - 1);
#else
	static const char doc[] =
		"doctor_id,name,clinic_id,phone,completed,unavailable\n"
		"t01,黄秀兰,xa-01,13800001001,,\n"
		"t02,韦建国,xa-02,13800001002,tcm,2026-05-11..2026-05-13\n"
		"t03,陆春燕,hp-01,13800001003,,2026-05-20\n";
	put_file(doctors, doc, sizeof doc - 1);
#endif
	devnull = getenv("VDFUZZ_DEBUG") ? stderr : fopen("/dev/null", "w");
	atexit(cleanup);
	return 0;
}

static void add_township(struct vd_program *p, const char *id, const char *name, int cover)
{
	p->townships = xreallocarray(p->townships, p->ntownships + 1, sizeof *p->townships);
	struct vd_township *t = &p->townships[p->ntownships];
	memset(t, 0, sizeof *t);
	t->id = xstrdup(id);
	t->name = xstrdup(name);
	t->cover = cover;
	t->line = 1;
	vd_hmap_put(&p->township_ix, t->id, p->ntownships);
	p->ntownships++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	put_file(FUZZ_FILE, data + 1, size - 1);
	struct vd_diag dg;
	vd_diag_init(&dg, devnull);
	struct vd_program p;
	vd_program_init(&p);
	p.path = xstrdup("vdsched.ini");
	p.dir = xstrdup(dir);
	p.clinics_path = xstrdup(clinics);
	p.doctors_path = xstrdup(doctors);
	if (sel & 1)
		p.encoding = xstrdup("gbk");
	else if (sel & 4)
		p.encoding = xstrdup("utf-8");
	if (sel & 2) {
		/* reserve exactly: the reader must grow the array itself */
		add_township(&p, "xinan", "新安镇", 1);
		add_township(&p, "heping", "和平乡", 1);
	}
	vd_roster_load(&p, &dg);
	vd_program_free(&p);
	return 0;
}

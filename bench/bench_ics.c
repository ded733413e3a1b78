/* bench_ics.c -- how fast vd_ics_write_all writes, and that its memory does
 * not grow with the number of events.
 *
 * Usage: bench_ics [DOCTORS... | hDOCTORS...]
 * (default: 10000 100000 h2 h20; hN is the "huge" case with N doctors)
 *
 * For each size, in a child process of its own (so peak RSS is per size):
 * builds a program of DOCTORS doctors in cohorts of 30, one 5-day course of
 * 10 sessions, 100 sites and 50 instructors -- 10 events per doctor plus
 * the cohort, site and instructor calendars -- writes every calendar into a
 * temporary folder, and prints events/s and peak RSS before and after the
 * write.  Also one "huge calendars" case: 20 doctors in one run of a course
 * of 50,000 sessions (1M events in 20 files).  Then each size is
 * re-planned from its own output (prevdir: state/events.csv read back,
 * every event looked up, nothing changed) and timed the same way.  Prints
 * figures; asserts nothing about time.  Set BENCH_NOCACHE=1 to serialize
 * every event whole. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ics.h"
#include "xalloc.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* user (0) or kernel (1) CPU seconds so far */
static double cpu(int sys)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	struct timeval t = sys ? ru.ru_stime : ru.ru_utime;
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static struct vds_session *make_sessions(size_t n)
{
	struct vds_session *s = xcalloc(n, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		s[i].day = (unsigned)(i / 2);
		s[i].start = i % 2 ? 870 : 510;
		s[i].end = i % 2 ? 1050 : 690;
		s[i].title = i % 2 ? "实操训练" : "理论讲授";
		s[i].module = "针刺与艾灸";
		s[i].description = "常见穴位定位、毫针刺法与安全操作要点，分组练习并由教师逐一指导纠正";
	}
	return s;
}

/* ndoc doctors, runs of `size` members, a course of nsess sessions */
static void build(struct vd_program *p, struct vd_plan *pl, struct vds_course *c,
                  size_t ndoc, size_t size, size_t nsess)
{
	vd_program_init(p);
	p->id = xstrdup("bench-2026");
	p->name = xstrdup("基准测试2026年村医轮转培训");
	p->timezone = xstrdup("Asia/Shanghai");
	p->start = vd_date_from_ymd(2026, 1, 5);
	p->end = vd_date_from_ymd(2026, 12, 31);
	p->contact = xstrdup("区卫健委科教股 0776-0000000");
	p->organizer = xstrdup("mailto:peixun@example.org");
	p->nalarms = 2;
	p->alarms = xmalloc(2 * sizeof *p->alarms);
	p->alarms[0] = 1440;
	p->alarms[1] = 60;

	memset(c, 0, sizeof *c);
	c->size = sizeof *c;
	c->id = "tcm";
	c->title = "中医适宜技术";
	c->lang = "zh-CN";
	c->category = "中医";
	c->bring = "白大褂、笔记本";
	c->nsessions = nsess;
	c->days = (unsigned)((nsess + 1) / 2);
	c->sessions = make_sessions(nsess);
	p->ncourses = 1;
	p->courses = xcalloc(1, sizeof *p->courses);
	p->courses[0].name = xstrdup("tcm");
	p->courses[0].def = c;

	p->ndoctors = ndoc;
	p->doctors = xcalloc(ndoc, sizeof *p->doctors);
	for (size_t i = 0; i < ndoc; i++) {
		p->doctors[i].id = xasprintf("d%07zu", i);
		p->doctors[i].name = xasprintf("村医%zu", i);
	}
	p->nsites = 100;
	p->sites = xcalloc(p->nsites, sizeof *p->sites);
	for (size_t i = 0; i < p->nsites; i++) {
		p->sites[i].id = xasprintf("site%03zu", i);
		p->sites[i].name = xasprintf("第%zu培训基地（乡镇卫生院）", i);
		p->sites[i].address = xstrdup("广西壮族自治区百色市田阳区田州镇解放西路123号");
		p->sites[i].lat = 23.7 + (double)i / 1000;
		p->sites[i].lon = 106.9;
	}
	p->ninstructors = 50;
	p->instructors = xcalloc(p->ninstructors, sizeof *p->instructors);
	for (size_t i = 0; i < p->ninstructors; i++) {
		p->instructors[i].id = xasprintf("t%02zu", i);
		p->instructors[i].name = xasprintf("教师%zu", i);
	}

	vd_plan_init(pl);
	pl->nruns = (ndoc + size - 1) / size;
	pl->runs = xcalloc(pl->nruns, sizeof *pl->runs);
	vd_date day0 = vd_date_from_ymd(2026, 1, 5);
	for (size_t r = 0; r < pl->nruns; r++) {
		struct vd_run *run = &pl->runs[r];
		run->course = 0;
		run->site = r % p->nsites;
		run->instructor = r % p->ninstructors;
		run->dates = xmalloc(c->days * sizeof *run->dates);
		for (unsigned d = 0; d < c->days; d++)
			run->dates[d] = day0 + (vd_date)((r / p->nsites) * 7 % 350) + (vd_date)d;
		size_t lo = r * size, hi = lo + size < ndoc ? lo + size : ndoc;
		run->members = xmalloc((hi - lo) * sizeof *run->members);
		for (size_t m = lo; m < hi; m++)
			run->members[run->nmembers++] = m;
		snprintf(run->cohort, sizeof run->cohort, "C%06zu", r + 1);
	}
}

static void one(const char *label, size_t ndoc, size_t size, size_t nsess)
{
	struct vd_program p;
	struct vd_plan pl;
	struct vds_course c;
	struct vd_diag dg;
	vd_diag_init(&dg, stderr);
	build(&p, &pl, &c, ndoc, size, nsess);
	size_t events = 0, files = ndoc + p.nsites;
	for (size_t r = 0; r < pl.nruns; r++)
		events += nsess * (pl.runs[r].nmembers + 3);   /* doctors + cohort, site, instructor */
	files = ndoc + pl.nruns + (pl.nruns < p.nsites ? pl.nruns : p.nsites) +
	        (pl.nruns < p.ninstructors ? pl.nruns : p.ninstructors);
	long rss0 = maxrss_kb();

	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/bench_ics-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	char *dir2 = xasprintf("%s/bench_ics-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir2)) {
		perror("mkdtemp");
		exit(1);
	}
	for (int re = 0; re < 2; re++) {
		double t0 = now(), u0 = cpu(0), k0 = cpu(1);
		int rc = re ? vd_ics_write_all(&p, &pl, dir2, 1767312000LL, dir, 0, NULL, &dg)
		            : vd_ics_write_all(&p, &pl, dir, 1767225600LL, NULL, 0, NULL, &dg);
		double t1 = now(), u1 = cpu(0), k1 = cpu(1);
		long rss1 = maxrss_kb();
		if (rc) {
			fprintf(stderr, "bench_ics: write failed\n");
			exit(1);
		}
		printf("%-4s %6zu doctors %6zu files %7zu events: %5.2f s wall (user %5.2f s, "
		       "kernel %5.2f s) = %7.0f events/s wall, %7.0f events/s user CPU; "
		       "peak RSS %6ld KB before writing, %6ld KB after (+%ld KB)%s\n",
		       label, ndoc, files, events, t1 - t0, u1 - u0, k1 - k0,
		       (double)events / (t1 - t0), (double)events / (u1 - u0),
		       rss0, rss1, rss1 - rss0, re ? " [re-plan]" : "");
		fflush(stdout);
		rss0 = rss1;
	}
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(dir2, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	free(dir2);
	free((void *)c.sessions);
	vd_program_free(&p);
	vd_plan_free(&pl);
}

static void in_child(const char *label, size_t ndoc, size_t size, size_t nsess)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		one(label, ndoc, size, nsess);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench_ics: %s run failed\n", label);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *nc = getenv("BENCH_NOCACHE");
	if (nc && *nc && strcmp(nc, "0"))
		vd_ics_set_cache(0);
	printf("bench_ics: cohorts of 30, 10 sessions per doctor, 2 alarms each%s\n",
	       nc && *nc && strcmp(nc, "0") ? " (cache off)" : "");
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			if (argv[i][0] == 'h') {
				size_t n = strtoul(argv[i] + 1, NULL, 10);
				in_child("huge", n, n, 50000);
			} else {
				in_child("many", strtoul(argv[i], NULL, 10), 30, 10);
			}
		}
		return 0;
	}
	in_child("many", 10000, 30, 10);     /* ~100k doctor events */
	in_child("many", 100000, 30, 10);    /* ~1M doctor events */
	in_child("huge", 2, 2, 50000);       /* a few calendars of 50k events */
	in_child("huge", 20, 20, 50000);     /* 1M events in 23 files */
	return 0;
}

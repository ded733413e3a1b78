/* output.c -- see output.h */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/file.h>
#include "bound.h"
#include "completion-out.h"
#include "csvwrite.h"
#include "fsutil.h"
#include "i18n.h"
#include "output.h"
#include "planner.h"
#include "xalloc.h"

static const char *const ours[] = {
	"schedule.csv", "sessions.csv", "cover.csv", "unscheduled.csv", "report.txt",
	"ics", "changes.csv", "state", "print", "plan.xlsx", "attendance-template.csv", "completion.csv",
	"verify", NULL };

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Temporary folders .vdsched-BASE-XXXXXX (six characters, as mkdtemp
 * makes them) of runs that died. */
static void remove_stale(const char *parent, const char *base)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	char *prefix = xasprintf(".vdsched-%s-", base);
	size_t pl = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, pl) != 0 || strlen(e->d_name) != pl + 6)
			continue;
		char *path = xasprintf("%s/%s", parent, e->d_name);
		rm_rf(path);
		free(path);
	}
	closedir(d);
	free(prefix);
}

int vd_outdir_begin(struct vd_outdir *o, const char *final, struct vd_diag *dg)
{
	memset(o, 0, sizeof *o);
	o->lockfd = -1;
	o->final = xstrdup(final);
	size_t l = strlen(o->final);
	while (l > 1 && o->final[l - 1] == '/')
		o->final[--l] = '\0';
	struct stat st;
	if (stat(o->final, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			vd_error(dg, o->final, 0, _("output folder is not a folder; choose another with -o"));
			return -1;
		}
		DIR *d = opendir(o->final);
		if (!d) {
			vd_error(dg, o->final, 0, _("cannot read output folder: %s"), strerror(errno));
			return -1;
		}
		struct dirent *e;
		char *stranger = NULL;
		while ((e = readdir(d)) && !stranger) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			int known = 0;
			for (const char *const *q = ours; *q; q++)
				known |= !strcmp(*q, e->d_name);
			if (!known)
				stranger = xstrdup(e->d_name);
		}
		closedir(d);
		if (stranger) {
			vd_error(dg, o->final, 0, _("output folder holds '%s', which vdsched did not write; vdsched replaces the whole folder, so choose an empty or new folder with -o"),
			         stranger);
			free(stranger);
			return -1;
		}
	}
	char *slash = strrchr(o->final, '/');
	char *parent = slash ? xstrndup(o->final, (size_t)(slash - o->final) + (slash == o->final)) : xstrdup(".");
	if (stat(parent, &st) != 0 && vd_mkdir(dg, parent) != 0) {
		free(parent);
		return -1;
	}
	/* One run at a time writes beside a folder (a lock on the parent
	 * folder itself, so no lock file is left behind; a second run waits).
	 * Holding it also means any temporary folder of ours found there
	 * belongs to a run that was killed, so it can go. */
	const char *base = slash ? slash + 1 : o->final;
	o->lockfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->lockfd < 0 || flock(o->lockfd, LOCK_EX) != 0) {
		vd_error(dg, o->final, 0, _("cannot lock the folder holding the output folder: %s"),
		         strerror(errno));
		free(parent);
		return -1;
	}
	remove_stale(parent, base);
	o->tmp = xasprintf("%s/.vdsched-%s-XXXXXX", parent, base);
	free(parent);
	if (!mkdtemp(o->tmp)) {
		vd_error(dg, o->final, 0, _("cannot write beside the output folder: %s"), strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	chmod(o->tmp, 0755);
	return 0;
}

int vd_outdir_commit(struct vd_outdir *o, struct vd_diag *dg)
{
	struct stat st;
	/* The new plan reaches the disk before it replaces the old one, so a
	 * power cut cannot leave empty files where a plan was. */
	int dfd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		syncfs(dfd);
		close(dfd);
	}
	if (stat(o->final, &st) == 0) {
		/* Swap atomically: at every instant the output folder is either
		 * the complete old plan or the complete new one. */
		if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
			rm_rf(o->tmp);
			return 0;
		}
		if (errno != EINVAL && errno != ENOSYS) {
			vd_error(dg, o->final, 0, _("cannot replace output folder: %s"), strerror(errno));
			return -1;
		}
		/* No exchange on this file system: move the old one aside first. */
		char *old = xasprintf("%s.old", o->tmp);
		if (rename(o->final, old) != 0 || rename(o->tmp, o->final) != 0) {
			vd_error(dg, o->final, 0, _("cannot replace output folder: %s"), strerror(errno));
			free(old);
			return -1;
		}
		rm_rf(old);
		free(old);
		return 0;
	}
	if (rename(o->tmp, o->final) != 0) {
		vd_error(dg, o->final, 0, _("cannot create output folder: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

void vd_outdir_abort(struct vd_outdir *o)
{
	if (o->tmp)
		rm_rf(o->tmp);
}

void vd_outdir_free(struct vd_outdir *o)
{
	if (o->lockfd >= 0)
		close(o->lockfd);  /* releases the lock */
	free(o->final);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

static void fmt_time(unsigned m, char *buf)
{
	snprintf(buf, 6, "%02u:%02u", (m / 60) % 100, m % 60);
}

static int cmp_row(const void *a, const void *b, void *ctx)
{
	const struct vd_schedule_row *x = a, *y = b;
	const struct vd_plan *pl = ctx;
	if (x->doctor != y->doctor)
		return x->doctor < y->doctor ? -1 : 1;
	vd_date dx = pl->runs[x->run].dates[0], dy = pl->runs[y->run].dates[0];
	return (dx > dy) - (dx < dy);
}

size_t vd_schedule_rows(const struct vd_plan *pl, struct vd_schedule_row **out)
{
	size_t n = 0;
	for (size_t r = 0; r < pl->nruns; r++)
		n += pl->runs[r].nmembers;
	struct vd_schedule_row *rows = xmalloc((n + 1) * sizeof *rows);
	n = 0;
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++)
			rows[n++] = (struct vd_schedule_row){ pl->runs[r].members[m], r };
	qsort_r(rows, n, sizeof *rows, cmp_row, (void *)pl);
	*out = rows;
	return n;
}

static void schedule_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	char a[11], b[11];
	fputs(VD_CSV_BOM "doctor_id,doctor_name,clinic_id,cohort_id,course_id,site_id,first_day,last_day\r\n", f);
	struct vd_schedule_row *rows;
	size_t nrows = vd_schedule_rows(pl, &rows);
	for (size_t i = 0; i < nrows; i++) {
		const struct vd_doctor *d = &p->doctors[rows[i].doctor];
		const struct vd_run *run = &pl->runs[rows[i].run];
		const struct vd_course *c = &p->courses[run->course];
		vd_csv_field(f, d->id, VD_CSV_PLAIN);
		vd_csv_field(f, d->name, VD_CSV_TEXT);
		vd_csv_field(f, p->clinics[d->clinic].id, VD_CSV_PLAIN);
		vd_csv_field(f, run->cohort, VD_CSV_PLAIN);
		vd_csv_field(f, c->def->id, VD_CSV_PLAIN);
		vd_csv_field(f, p->sites[run->site].id, VD_CSV_PLAIN);
		vd_csv_field(f, vd_date_format(run->dates[0], a), VD_CSV_PLAIN);
		vd_csv_last(f, vd_date_format(run->dates[c->def->days - 1], b), VD_CSV_PLAIN);
	}
	free(rows);
}

static void sessions_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	char a[11];
	fputs(VD_CSV_BOM "cohort_id,course_id,site_id,instructor_id,date,start,end,title\r\n", f);
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		const struct vds_course *def = p->courses[run->course].def;
		for (size_t s = 0; s < def->nsessions; s++) {
			const struct vds_session *se = &def->sessions[s];
			char t1[6], t2[6];
			if (!vd_run_day_held(run, se->day))
				continue;
			fmt_time(se->start, t1);
			fmt_time(se->end, t2);
			vd_csv_field(f, run->cohort, VD_CSV_PLAIN);
			vd_csv_field(f, def->id, VD_CSV_PLAIN);
			vd_csv_field(f, p->sites[run->site].id, VD_CSV_PLAIN);
			vd_csv_field(f, run->instructor == VD_NONE ? "" : p->instructors[run->instructor].id, VD_CSV_PLAIN);
			vd_csv_field(f, vd_date_format(run->dates[se->day], a), VD_CSV_PLAIN);
			vd_csv_field(f, t1, VD_CSV_PLAIN);
			vd_csv_field(f, t2, VD_CSV_PLAIN);
			char *title = xasprintf("%s — %s", def->title, se->title);
			vd_csv_last(f, title, VD_CSV_TEXT);
			free(title);
		}
	}
}

static void cover_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	char a[11];
	/* the names after the contract's columns, for the office reading it */
	fputs(VD_CSV_BOM "date,township,clinic_id,shortfall,township_name,clinic_name\r\n", f);
	for (size_t i = 0; i < pl->ncover; i++) {
		const struct vd_cover_row *cr = &pl->cover[i];
		vd_csv_field(f, vd_date_format(cr->date, a), VD_CSV_PLAIN);
		vd_csv_field(f, p->townships[cr->township].id, VD_CSV_TEXT);
		vd_csv_field(f, p->clinics[cr->clinic].id, VD_CSV_PLAIN);
		fprintf(f, "%d,", cr->shortfall);
		vd_csv_field(f, p->townships[cr->township].name, VD_CSV_TEXT);
		vd_csv_last(f, p->clinics[cr->clinic].name, VD_CSV_TEXT);
	}
}

static void unscheduled_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	fputs(VD_CSV_BOM "doctor_id,course_id,reason\r\n", f);
	for (size_t i = 0; i < pl->nunsched; i++) {
		const struct vd_unsched *u = &pl->unsched[i];
		vd_csv_field(f, p->doctors[u->doctor].id, VD_CSV_PLAIN);
		vd_csv_field(f, p->courses[u->course].name, VD_CSV_PLAIN);
		vd_csv_last(f, u->reason, VD_CSV_TEXT);
	}
}

int vd_write_plan_files(const struct vd_plan_file *files, size_t n, const struct vd_program *p,
                        const struct vd_plan *pl, const char *dir, struct vd_diag *dg)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct vd_outfile o;
		if (vd_outfile_open(&o, dg, dir, files[i].name, VD_OUT_NEW))
			return -1;
		files[i].write(o.f, p, pl);
		rc |= vd_outfile_close(&o, dg);
	}
	return rc;
}

int vd_write_tables(const struct vd_program *p, const struct vd_plan *pl, const char *dir,
                    struct vd_diag *dg)
{
	static const struct vd_plan_file tables[] = {
		{ "schedule.csv", schedule_table }, { "sessions.csv", sessions_table },
		{ "cover.csv", cover_table }, { "unscheduled.csv", unscheduled_table },
	};
	return vd_write_plan_files(tables, sizeof tables / sizeof *tables, p, pl, dir, dg);
}

/* Why a doctor lapses, as the report says it (enum vd_lapse_why). */
static const char *lapse_why(enum vd_lapse_why w)
{
	switch (w) {
	case VD_LAPSE_NO_COURSE: return _("no course to take: every course is completed");
	case VD_LAPSE_UNSCHED: return _("his courses could not be scheduled (see unscheduled.csv)");
	case VD_LAPSE_NO_RUN: return _("no run of his courses ends before that day");
	case VD_LAPSE_UNAVAIL: return _("his unavailable dates cover every run before that day");
	case VD_LAPSE_CLASH: return _("the runs before that day clash with his other courses or their order");
	case VD_LAPSE_FULL: return _("all runs before that day are full");
	case VD_LAPSE_COVER: return _("his clinic cannot spare him then (township cover)");
	case VD_LAPSE_MIN_SIZE: return _("moving him would leave his run below its minimum size");
	}
	return "?";
}

/* The two-year rule (last_trained in doctors.csv): only when the roster
 * gives any doctor a deadline. */
static void deadline_section(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	char a[11], b[11], c[11];
	size_t any = 0;
	for (size_t x = 0; x < p->ndoctors; x++)
		any += p->doctors[x].deadline != 0;
	if (!any)
		return;
	fprintf(f, _("\n两年培训期限 two-year rule (retrain_years = %d)\n"), p->retrain_years);
	fprintf(f, _("  培训期内到期 due in the period          %zu doctor(s)\n"), pl->ndeadlines);
	fprintf(f, _("  按期培训 trained in time                %zu\n"), pl->ndeadlines - pl->nlapses);
	fprintf(f, _("  将逾期 will lapse                       %zu\n"), pl->nlapses);
	if (pl->nlapsed_before)
		fprintf(f, _("  开始前已逾期 lapsed before the start    %zu (planned as early as possible)\n"), pl->nlapsed_before);
	for (size_t i = 0; i < pl->nlapses; i++) {
		const struct vd_lapse *lp = &pl->lapses[i];
		const struct vd_doctor *d = &p->doctors[lp->doctor];
		vd_date_format(lp->deadline, a);
		if (lp->first)
			fprintf(f, _("  %s %s, clinic %s: deadline %s, trained %s..%s; %s\n"), d->id, d->name,
			        d->clinic_id, a, vd_date_format(lp->first, b), vd_date_format(lp->first_end, c),
			        lapse_why(lp->why));
		else
			fprintf(f, _("  %s %s, clinic %s: deadline %s, not trained; %s\n"), d->id, d->name,
			        d->clinic_id, a, lapse_why(lp->why));
	}
}

static void report(FILE *f, const struct vd_program *p, const struct vd_plan *pl,
                   const struct vd_completion *comp)
{
	char a[11], b[11];
	fprintf(f, "%s\n", p->name ? p->name : "");
	fprintf(f, _("vdsched %s  (program %s, seed %lu)\n\n"), "0.1.0", p->id, p->seed);
	fprintf(f, _("培训期 period            %s .. %s\n"), vd_date_format(p->start, a), vd_date_format(p->end, b));
	fprintf(f, _("村医 doctors             %zu\n"), p->ndoctors);
	fprintf(f, _("村卫生室 clinics         %zu\n"), p->nclinics);
	fprintf(f, _("乡镇 townships           %zu\n"), p->ntownships);
	fprintf(f, _("培训点 sites             %zu\n"), p->nsites);
	fprintf(f, _("需培训 required pairs    %zu\n"), pl->nrequired);
	fprintf(f, _("已安排 scheduled         %zu\n"), pl->nassigned);
	fprintf(f, _("未安排 unscheduled       %zu\n"), pl->nunsched);
	fprintf(f, _("班次 runs                %zu in %zu cohorts\n"), pl->nruns, pl->ncohorts);
	if (p->base_url)  /* where each doctor subscribes ([output] base_url) */
		fprintf(f, _("日历地址 calendars       %sics/doctors/DOCTOR_ID.ics\n"), p->base_url);
	fputc('\n', f);

	fprintf(f, _("目标 objective           value          bound (best possible)\n"));
	/* The bound counts township cover (bound.h); the planner's own
	 * last_day_bound does not, so the report shows this one. */
	struct vd_bound bd;
	vd_bound_compute_given(p, pl->travel_bound.set ? &pl->travel_bound : NULL, &bd);
	if (pl->nruns)
		fprintf(f, _("最后培训日 last day      %s     >= %s  (%+d days)\n"),
		        vd_date_format(pl->last_day, a), vd_date_format(bd.date, b),
		        pl->last_day - bd.date);
	/* a plan that leaves pairs out can finish before the bound for all */
	if (pl->nruns && pl->last_day < bd.date && pl->nunsched)
		fprintf(f, _("  (before the bound only because %zu pair(s) are left unscheduled: the bound is the earliest finish that places everyone)\n"),
		        pl->nunsched);
	if (bd.binding != VD_BOUND_NONE) {
		char *why = vd_bound_describe(p, &bd);
		if (bd.date > p->end)
			fprintf(f, _("earliest possible finish: after the end of the period (%s)"), why);
		else
			fprintf(f, _("earliest possible finish: %s (%s)"), vd_date_format(bd.date, b), why);
		fputc('\n', f);
		if (bd.nexcluded)
			fprintf(f, _("  (not counting %zu pair(s) no plan can schedule)\n"), bd.nexcluded);
		free(why);
	}
	/* Where the nearest sites' seats bind, the travel budget holds the
	 * plan back more than the bound above: say so, or the office raises
	 * cover for nothing. */
	if (bd.travel.set && bd.travel.date > bd.date) {
		double pct = 100.0 * p->travel_budget;
		if (bd.travel.date > p->end) {
			fprintf(f, _("within travel_budget %g%%: the seats of the sites near the doctors cannot train everyone in the period; that takes at least %.1f%% more travel than the nearest sites\n"),
			        pct, 100.0 * bd.travel.end);
		} else {
			const struct vd_site *si = bd.travel.site != VD_NONE ? &p->sites[bd.travel.site] : NULL;
			char *who = !si ? xstrdup("?") : si->name && strcmp(si->id, si->name)
			            ? xasprintf("%s (%s)", si->id, si->name) : xstrdup(si->id);
			/* the seats, or one course's own limit there (dental chairs) */
			char *what = bd.travel.course == VD_NONE ? xstrdup(_("the seats"))
			             : xasprintf(_("the %s for course %s"), bd.travel.limit,
			                         p->courses[bd.travel.course].name);
			fprintf(f, _("within travel_budget %g%%: no finish before %s, %s of %s and the sites near it are full (finishing by %s takes at least %.1f%% more travel than the nearest sites)\n"),
			        pct, vd_date_format(bd.travel.date, a), what, who,
			        vd_date_format(bd.date, b), 100.0 * bd.travel.need);
			free(what);
			free(who);
		}
	}
	if (pl->time_cut)
		fprintf(f, _("the planner's time limit ([program] time_limit = %d s, 0 = by size) stopped the search early; a faster machine or a larger time_limit may give an earlier finish\n"),
		        p->time_limit);
	double gap = pl->travel_bound_km > 0 ? 100.0 * (pl->travel_km / pl->travel_bound_km - 1) : 0;
	fprintf(f, _("路程 travel km           %-14.1f >= %.1f  (+%.2f%%)\n"), pl->travel_km, pl->travel_bound_km, gap);
	size_t cover_days = 0;
	for (size_t i = 0; i < pl->ncover; i++)
		cover_days += (size_t)pl->cover[i].shortfall;
	fprintf(f, _("图表 charts              print/overview.html (seats, cover, progress)\n"));
	fprintf(f, _("乡镇支援 cover used      %zu clinic-days\n\n"), cover_days);

	fprintf(f, _("按课程 per course        runs  trainees  min/avg/max size\n"));
	for (size_t c = 0; c < p->ncourses; c++) {
		size_t nr = 0, nt = 0, mn = (size_t)-1, mx = 0;
		for (size_t r = 0; r < pl->nruns; r++)
			if (pl->runs[r].course == c) {
				size_t n = pl->runs[r].nmembers;
				nr++; nt += n;
				mn = n < mn ? n : mn;
				mx = n > mx ? n : mx;
			}
		char sizes[64];
		snprintf(sizes, sizeof sizes, "%zu/%.1f/%zu", nr ? mn : 0, nr ? (double)nt / (double)nr : 0.0, mx);
		/* the Chinese title last: its display width is not its byte count */
		fprintf(f, "  %-20s %4zu  %8zu  %-16s  %s\n", p->courses[c].name, nr, nt, sizes,
		        p->courses[c].def ? p->courses[c].def->title : "");
	}
	fprintf(f, _("\n按培训点 per site        runs  trainee-days  travel km\n"));
	for (size_t s = 0; s < p->nsites; s++) {
		size_t nr = 0, td = 0;
		double km = 0;
		for (size_t r = 0; r < pl->nruns; r++) {
			const struct vd_run *run = &pl->runs[r];
			if (run->site != s)
				continue;
			nr++;
			td += run->nmembers * p->courses[run->course].def->days;
			for (size_t m = 0; m < run->nmembers; m++) {
				const struct vd_clinic *cl = &p->clinics[p->doctors[run->members[m]].clinic];
				km += vd_km(cl->lat, cl->lon, p->sites[s].lat, p->sites[s].lon);
			}
		}
		fprintf(f, "  %-20s %4zu  %12zu  %9.1f  %s\n", p->sites[s].id, nr, td, km, p->sites[s].name);
	}
	deadline_section(f, p, pl);
	if (pl->nunsched) {
		fprintf(f, _("\n未安排 unscheduled (see unscheduled.csv)\n"));
		for (size_t i = 0; i < pl->nunsched && i < 20; i++)
			fprintf(f, "  %s %s: %s\n", p->doctors[pl->unsched[i].doctor].id,
			        p->courses[pl->unsched[i].course].name, pl->unsched[i].reason);
		if (pl->nunsched > 20)
			fprintf(f, _("  ... %zu more\n"), pl->nunsched - 20);
	}
	vd_completion_report(f, p, comp);
}

int vd_write_report(const struct vd_program *p, const struct vd_plan *pl,
                    const struct vd_completion *comp, const char *dir, FILE *also,
                    struct vd_diag *dg)
{
	struct vd_outfile o;
	if (vd_outfile_open(&o, dg, dir, "report.txt", VD_OUT_NEW))
		return -1;
	report(o.f, p, pl, comp);
	if (also)
		report(also, p, pl, comp);
	return vd_outfile_close(&o, dg);
}

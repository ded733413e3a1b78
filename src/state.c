/* state.c -- see state.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "i18n.h"
#include "csvread.h"
#include "csvwrite.h"
#include "fsutil.h"
#include "output.h"
#include "state.h"
#include "xalloc.h"

/* ---- writing ---- */

#define RUNS_HEADER (const char *[]){ "cohort_id", "course_id", "site_id", "instructor_id", "dates" }
#define MEMBERS_HEADER (const char *[]){ "doctor_id", "course_id", "cohort_id", "doctor_name", "phone" }
#define MISSED_HEADER (const char *[]){ "doctor_id", "course_id", "cohort_id" }

static void meta_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	char ver[16], next[24];
	snprintf(ver, sizeof ver, "%d", VD_STATE_VERSION);
	snprintf(next, sizeof next, "%lu", pl->next_cohort);
	vd_csv_row(f, 2, (const char *[]){ "key", "value" });
	vd_csv_row(f, 2, (const char *[]){ "format", "vdsched-state" });
	vd_csv_row(f, 2, (const char *[]){ "version", ver });
	vd_csv_row(f, 2, (const char *[]){ "program", p->id });
	vd_csv_row(f, 2, (const char *[]){ "next_cohort", next });
}

static void runs_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	vd_csv_row(f, 6, (const char *[]){ "cohort_id", "course_id", "site_id", "instructor_id", "dates", "cut" });
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		unsigned days = p->courses[run->course].def->days;
		char *dates = xmalloc((size_t)days * 11 + 1);
		dates[0] = '\0';
		for (unsigned k = 0; k < days; k++) {
			char d[11];
			if (k)
				strcat(dates, " ");
			strcat(dates, vd_date_format(run->dates[k], d));
		}
		char cut[8] = "";
		if (run->cut)
			snprintf(cut, sizeof cut, "%u", run->cut);
		vd_csv_row(f, 6, (const char *[]){ run->cohort, vd_course_id(p, run->course), p->sites[run->site].id,
		                                   run->instructor == VD_NONE ? "" : p->instructors[run->instructor].id,
		                                   dates, cut });
		free(dates);
	}
}

static void members_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	vd_csv_row(f, 5, MEMBERS_HEADER);
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		for (size_t m = 0; m < run->nmembers; m++) {
			const struct vd_doctor *d = &p->doctors[run->members[m]];
			vd_csv_row(f, 5, (const char *[]){ d->id, vd_course_id(p, run->course), run->cohort, d->name,
			                                   d->phone ? d->phone : "" });
		}
	}
}

static void missed_table(FILE *f, const struct vd_program *p, const struct vd_plan *pl)
{
	vd_csv_row(f, 3, MISSED_HEADER);
	for (size_t i = 0; i < pl->nmissed; i++) {
		const struct vd_missed *ms = &pl->missed[i];
		vd_csv_row(f, 3, (const char *[]){ p->doctors[ms->doctor].id, vd_course_id(p, ms->course),
		                                   pl->runs[ms->run].cohort });
	}
}

int vd_state_write(const struct vd_program *p, const struct vd_plan *pl, const char *dir,
                   struct vd_diag *dg)
{
	static const struct vd_plan_file tables[] = {
		{ "meta.csv", meta_table }, { "runs.csv", runs_table }, { "members.csv", members_table },
		{ "missed.csv", missed_table },
	};
	char *sd = xasprintf("%s/state", dir);
	int rc = vd_mkdir(dg, sd);
	if (!rc)
		rc = vd_write_plan_files(tables, sizeof tables / sizeof *tables, p, pl, sd, dg);
	free(sd);
	return rc;
}

/* ---- reading: a whole small CSV file into rows of fields ---- */

struct table {
	char ***rows;      /* rows[i][j], NULL-terminated per row */
	size_t *nf;
	int *line;         /* where each row starts */
	size_t n, cap;
};

static void on_row(void *ctx, struct vd_table *t, const struct vd_record *rec)
{
	struct table *tb = ctx;
	(void)t;
	if (tb->n + 1 > tb->cap) {
		size_t cap = tb->cap;
		xgrow(&tb->rows, &cap, tb->n + 1, sizeof *tb->rows);
		tb->nf = xreallocarray(tb->nf, cap, sizeof *tb->nf);
		tb->line = xreallocarray(tb->line, cap, sizeof *tb->line);
		tb->cap = cap;
	}
	char **row = xmalloc((rec->nfields + 1) * sizeof *row);
	for (size_t j = 0; j < rec->nfields; j++)
		row[j] = xstrndup(rec->field[j], rec->len[j]);
	row[rec->nfields] = NULL;
	tb->rows[tb->n] = row;
	tb->nf[tb->n] = rec->nfields;
	tb->line[tb->n++] = rec->line;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->nf[i]; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->nf);
	free(t->line);
	memset(t, 0, sizeof *t);
}

/* Reads path; checks the header.  0 ok, -1 after vd_error. */
static int table_read(const char *path, struct table *t, size_t ncols, const char *const *hdr,
                      struct vd_diag *dg)
{
	memset(t, 0, sizeof *t);
	struct vd_table_opts opts = { .origin = VD_TABLE_FROM_VDSCHED };
	struct vd_table *tab = vd_table_new();
	int rc = vd_table_read(tab, path, &opts, dg, on_row, t);
	int line;
	const char *why = vd_table_parse_error(tab, &line);
	if (rc && !vd_table_errors(tab))
		vd_error(dg, path, 0, _("cannot read: %s; give --previous the output folder of an earlier plan"),
		         strerror(errno));
	else if (why)
		vd_error(dg, path, line, _("not a CSV file that vdsched wrote (%s); plan afresh without --previous"),
		         why);
	int bad = rc || vd_table_unusable(tab);
	vd_table_free(tab);
	if (bad)
		return -1;
	int hdr_ok = t->n > 0 && t->nf[0] >= ncols;
	for (size_t j = 0; hdr_ok && j < ncols; j++)
		hdr_ok = !strcmp(t->rows[0][j], hdr[j]);
	if (!hdr_ok) {
		vd_error(dg, path, 1, _("the header is not the one vdsched writes (%s, ...); plan afresh without --previous"),
		         hdr[0]);
		return -1;
	}
	return 0;
}

void vd_prev_free(struct vd_prev *pv)
{
	free(pv->dir);
	free(pv->program);
	for (size_t i = 0; i < pv->nruns; i++) {
		struct vd_prev_run *r = &pv->runs[i];
		free(r->cohort); free(r->course); free(r->site); free(r->instructor); free(r->dates);
	}
	free(pv->runs);
	for (size_t i = 0; i < pv->nmembers; i++) {
		struct vd_prev_member *m = &pv->members[i];
		free(m->doctor); free(m->course); free(m->cohort); free(m->name); free(m->phone);
	}
	free(pv->members);
	for (size_t i = 0; i < pv->nmissed; i++) {
		struct vd_prev_member *m = &pv->missed[i];
		free(m->doctor); free(m->course); free(m->cohort); free(m->name); free(m->phone);
	}
	free(pv->missed);
	for (size_t i = 0; pv->keys && i < pv->nruns; i++)
		free(pv->keys[i]);
	free(pv->keys);
	vd_hmap_free(&pv->run_ix);
	memset(pv, 0, sizeof *pv);
}

size_t vd_prev_run_of(const struct vd_prev *pv, const char *course, const char *cohort)
{
	char *k = xasprintf("%s %s", course, cohort);
	size_t r = vd_hmap_get(&pv->run_ix, k);
	free(k);
	return r;
}

static char *take_field(struct table *t, size_t i, size_t j)
{
	char *s = t->rows[i][j];
	t->rows[i][j] = xstrdup("");
	return s;
}

int vd_state_read(const char *dir, struct vd_prev *pv, struct vd_diag *dg)
{
	memset(pv, 0, sizeof *pv);
	vd_hmap_init(&pv->run_ix);
	pv->dir = xstrdup(dir);
	struct stat st;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		vd_error(dg, dir, 0, _("--previous needs the output folder of an earlier plan, and this is not a folder"));
		return -1;
	}
	char *meta = xasprintf("%s/state/meta.csv", dir);
	if (access(meta, F_OK)) {
		vd_error(dg, dir, 0, _("not a vdsched output folder (it has no state/meta.csv); give --previous the -o folder of an earlier plan, or plan afresh without it"));
		free(meta);
		return -1;
	}
	struct table t;
	int rc = table_read(meta, &t, 2, (const char *[]){ "key", "value" }, dg);
	const char *format = NULL, *version = NULL;
	int vline = 0;
	for (size_t i = 1; !rc && i < t.n; i++) {
		if (t.nf[i] < 2)
			continue;
		if (!strcmp(t.rows[i][0], "format"))
			format = t.rows[i][1];
		else if (!strcmp(t.rows[i][0], "version"))
			version = t.rows[i][1], vline = t.line[i];
		else if (!strcmp(t.rows[i][0], "program"))
			pv->program = xstrdup(t.rows[i][1]);
		else if (!strcmp(t.rows[i][0], "next_cohort"))
			pv->next_cohort = strtoul(t.rows[i][1], NULL, 10);
	}
	if (!rc && (!format || strcmp(format, "vdsched-state"))) {
		vd_error(dg, meta, 2, _("not a vdsched state file (format is not vdsched-state); give --previous the -o folder of an earlier plan"));
		rc = -1;
	} else if (!rc && (!version || strcmp(version, "1"))) {
		vd_error(dg, meta, vline, _("state version '%s' is not one this vdsched reads (version %d); re-plan with the vdsched that wrote it, or plan afresh without --previous"),
		         version ? version : "", VD_STATE_VERSION);
		rc = -1;
	}
	table_free(&t);
	free(meta);
	if (rc)
		return -1;

	char *path = xasprintf("%s/state/runs.csv", dir);
	rc = table_read(path, &t, 5, RUNS_HEADER, dg);
	if (!rc) {
		pv->runs = xcalloc(t.n + 1, sizeof *pv->runs);
		pv->keys = xcalloc(t.n + 1, sizeof *pv->keys);
	}
	for (size_t i = 1; !rc && i < t.n; i++) {
		if (t.nf[i] < 5) {
			vd_error(dg, path, t.line[i], _("a run row needs 5 fields; plan afresh without --previous"));
			rc = -1;
			break;
		}
		struct vd_prev_run *r = &pv->runs[pv->nruns];
		r->line = t.line[i];
		r->cohort = take_field(&t, i, 0);
		r->course = take_field(&t, i, 1);
		r->site = take_field(&t, i, 2);
		r->instructor = take_field(&t, i, 3);
		struct vd_strv dv = { 0 };
		vd_strv_split(&dv, t.rows[i][4]);
		r->dates = xcalloc(dv.n + 1, sizeof *r->dates);
		for (size_t k = 0; k < dv.n; k++)
			if (vd_date_parse(dv.v[k], &r->dates[r->ndates++])) {
				vd_error(dg, path, r->line, _("'%s' is not a date; plan afresh without --previous"), dv.v[k]);
				rc = -1;
			}
		vd_strv_free(&dv);
		if (t.nf[i] > 5)   /* since attendance: the days from index cut on were cancelled */
			r->cut = (unsigned)strtoul(t.rows[i][5], NULL, 10);
		pv->keys[pv->nruns] = xasprintf("%s %s", r->course, r->cohort);
		vd_hmap_put(&pv->run_ix, pv->keys[pv->nruns], pv->nruns);
		pv->nruns++;
	}
	table_free(&t);
	free(path);
	if (rc)
		return -1;

	path = xasprintf("%s/state/members.csv", dir);
	rc = table_read(path, &t, 5, MEMBERS_HEADER, dg);
	if (!rc)
		pv->members = xcalloc(t.n + 1, sizeof *pv->members);
	for (size_t i = 1; !rc && i < t.n; i++) {
		if (t.nf[i] < 5)
			continue;
		struct vd_prev_member *m = &pv->members[pv->nmembers++];
		m->doctor = take_field(&t, i, 0);
		m->course = take_field(&t, i, 1);
		m->cohort = take_field(&t, i, 2);
		m->name = take_field(&t, i, 3);
		m->phone = take_field(&t, i, 4);
		m->run = vd_prev_run_of(pv, m->course, m->cohort);
	}
	table_free(&t);
	free(path);
	if (rc)
		return rc;

	/* missed.csv: since attendance; a plan without it missed nothing */
	path = xasprintf("%s/state/missed.csv", dir);
	if (access(path, F_OK) == 0) {
		rc = table_read(path, &t, 3, MISSED_HEADER, dg);
		if (!rc)
			pv->missed = xcalloc(t.n + 1, sizeof *pv->missed);
		for (size_t i = 1; !rc && i < t.n; i++) {
			if (t.nf[i] < 3)
				continue;
			struct vd_prev_member *m = &pv->missed[pv->nmissed++];
			m->doctor = take_field(&t, i, 0);
			m->course = take_field(&t, i, 1);
			m->cohort = take_field(&t, i, 2);
			m->name = xstrdup("");
			m->phone = xstrdup("");
			m->run = vd_prev_run_of(pv, m->course, m->cohort);
		}
		table_free(&t);
	}
	free(path);
	return rc;
}

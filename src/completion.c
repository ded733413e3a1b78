/* completion.c -- who completed what (completion.h): the plan's runs, as
 * of the freeze date, weighed against the attendance records. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attendance.h"
#include "completion.h"
#include "state.h"
#include "xalloc.h"

const char *const vd_pair_status_names[VD_PAIR_NSTATUS] = {
	"completed", "missed", "in_progress", "scheduled", "unscheduled" };

double vd_session_hours(const struct vd_program *p, size_t c, size_t s)
{
	const struct vds_session *se = &p->courses[c].def->sessions[s];
	return se->end > se->start ? (se->end - se->start) / 60.0 : 0;
}

double vd_course_hours(const struct vd_program *p, size_t c)
{
	double h = 0;
	for (size_t s = 0; s < p->courses[c].def->nsessions; s++)
		h += vd_session_hours(p, c, s);
	return h;
}

double vd_course_credits(const struct vd_program *p, size_t c)
{
	if (p->courses[c].credits >= 0)
		return p->courses[c].credits;
	return floor(vd_course_hours(p, c) / VD_HOURS_PER_CREDIT * 2) / 2;
}

char *vd_certificate_number(const struct vd_program *p, size_t x, size_t c)
{
	return xasprintf("%s-%s-%s", p->id, vd_course_id(p, c), p->doctors[x].id);
}

static void add_row(struct vd_completion *cp, size_t *cap, const struct vd_completion_row *row)
{
	if (cp->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		cp->rows = xrealloc(cp->rows, *cap * sizeof *cp->rows);
	}
	cp->rows[cp->n++] = *row;
}

/* The row of doctor x in run r (missed: the run he missed). */
static void run_row(const struct vd_program *p, const struct vd_plan *pl,
                    const struct vd_attendance *att, vd_date asof, size_t x, size_t r, int missed,
                    struct vd_completion_row *row)
{
	const struct vd_run *run = &pl->runs[r];
	size_t c = run->course;
	const struct vds_course *def = p->courses[c].def;
	memset(row, 0, sizeof *row);
	row->doctor = x;
	row->course = c;
	row->run = r;
	row->total = (unsigned)def->nsessions;
	unsigned held = 0;
	for (size_t s = 0; s < def->nsessions; s++) {
		vd_date d = run->dates[def->sessions[s].day];
		if (!asof || d >= asof || !vd_run_day_held(run, def->sessions[s].day))
			continue;   /* not yet, or cancelled (a cut run) */
		held++;
		if (vd_attendance_of(att, c, run->cohort, x, d, def->sessions[s].start) == VD_PRESENT) {
			row->attended++;
			row->hours += vd_session_hours(p, c, s);
		}
	}
	if (missed)
		row->status = VD_PAIR_MISSED;
	else if (held == 0)
		row->status = VD_PAIR_SCHEDULED;
	else if (held < row->total)
		row->status = VD_PAIR_IN_PROGRESS;
	else if (row->attended * 100 >= (unsigned)p->courses[c].min_attendance * row->total)
		row->status = VD_PAIR_COMPLETED;
	else
		row->status = VD_PAIR_MISSED;
	if (row->status == VD_PAIR_COMPLETED) {
		row->credits = vd_course_credits(p, c);
		row->certificate = vd_certificate_number(p, x, c);
	}
}

static int cmp_row(const void *a, const void *b, void *ctx)
{
	const struct vd_plan *pl = ctx;
	const struct vd_completion_row *m = a, *n = b;
	if (m->doctor != n->doctor) return m->doctor < n->doctor ? -1 : 1;
	if (m->course != n->course) return m->course < n->course ? -1 : 1;
	vd_date dm = m->run == VD_NONE ? 0x7fffffff : pl->runs[m->run].dates[0];
	vd_date dn = n->run == VD_NONE ? 0x7fffffff : pl->runs[n->run].dates[0];
	return (dm > dn) - (dm < dn);
}

void vd_completion_compute(const struct vd_program *p, const struct vd_plan *pl,
                           const struct vd_attendance *att, vd_date asof,
                           struct vd_completion *cp)
{
	size_t cap = 0;
	memset(cp, 0, sizeof *cp);
	cp->asof = asof;
	struct vd_completion_row row;
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (run->dead)
			continue;
		for (size_t m = 0; m < run->nmembers; m++) {
			run_row(p, pl, att, asof, run->members[m], r, 0, &row);
			add_row(cp, &cap, &row);
		}
	}
	for (size_t i = 0; i < pl->nmissed; i++) {
		run_row(p, pl, att, asof, pl->missed[i].doctor, pl->missed[i].run, 1, &row);
		add_row(cp, &cap, &row);
	}
	for (size_t i = 0; i < pl->nunsched; i++) {
		memset(&row, 0, sizeof row);
		row.doctor = pl->unsched[i].doctor;
		row.course = pl->unsched[i].course;
		row.run = VD_NONE;
		row.total = (unsigned)p->courses[row.course].def->nsessions;
		row.status = VD_PAIR_UNSCHEDULED;
		add_row(cp, &cap, &row);
	}
	qsort_r(cp->rows, cp->n, sizeof *cp->rows, cmp_row, (void *)pl);
}

unsigned char *vd_completion_missed(const struct vd_program *p, const struct vd_prev *pv,
                                    const struct vd_attendance *att, vd_date freeze)
{
	if (!freeze || !att || (!att->n && att->dflt == VD_PRESENT))
		return NULL;
	unsigned char *makeup = xcalloc(pv->nmembers + 1, 1);
	size_t n = 0;
	for (size_t m = 0; m < pv->nmembers; m++) {
		const struct vd_prev_member *pm = &pv->members[m];
		size_t x = vd_hmap_get(&p->doctor_ix, pm->doctor), c = vd_hmap_get(&p->course_ix, pm->course);
		if (pm->run == VD_NONE || x == VD_NONE || c == VD_NONE)
			continue;
		const struct vd_prev_run *pr = &pv->runs[pm->run];
		const struct vds_course *def = p->courses[c].def;
		if (!pr->ndates || pr->dates[0] >= freeze)
			continue;   /* not begun: nothing to miss */
		unsigned can = 0;   /* sessions attended, or still to come */
		for (size_t s = 0; s < def->nsessions; s++) {
			unsigned d = def->sessions[s].day;
			if (d >= pr->ndates)
				continue;
			can += pr->dates[d] >= freeze ||
			       vd_attendance_of(att, c, pr->cohort, x, pr->dates[d], def->sessions[s].start) == VD_PRESENT;
		}
		if ((size_t)can * 100 < (size_t)p->courses[c].min_attendance * def->nsessions)
			makeup[m] = 1, n++;
	}
	if (!n) {
		free(makeup);
		return NULL;
	}
	return makeup;
}

void vd_completion_note_missed(const struct vd_program *p, struct vd_plan *pl,
                               const struct vd_prev *pv, const unsigned char *makeup)
{
	struct vd_hmap ix;
	vd_hmap_init(&ix);
	char **keys = xcalloc(pl->nruns + 1, sizeof *keys);
	for (size_t r = 0; r < pl->nruns; r++) {
		keys[r] = xasprintf("%s %s", vd_course_id(p, pl->runs[r].course), pl->runs[r].cohort);
		vd_hmap_put(&ix, keys[r], r);
	}
	size_t cap = 0;
	for (int pass = 0; pass < 2; pass++) {
		const struct vd_prev_member *v = pass ? pv->members : pv->missed;
		size_t n = pass ? pv->nmembers : pv->nmissed;
		for (size_t m = 0; m < n; m++) {
			size_t x = vd_hmap_get(&p->doctor_ix, v[m].doctor), c = vd_hmap_get(&p->course_ix, v[m].course);
			/* this re-plan's: missed, or their run was cut short */
			if (pass && (x == VD_NONE || c == VD_NONE ||
			             (!(makeup && makeup[m]) &&
			              !(pl->replan_why && pl->replan_why[x * p->ncourses + c] == VD_WHY_CUT))))
				continue;
			char *k = xasprintf("%s %s", v[m].course, v[m].cohort);
			size_t r = vd_hmap_get(&ix, k);
			free(k);
			if (x == VD_NONE || c == VD_NONE || r == VD_NONE)
				continue;
			xgrow(&pl->missed, &cap, pl->nmissed + 1, sizeof *pl->missed);
			pl->missed[pl->nmissed++] = (struct vd_missed){ x, c, r, pass };
		}
	}
	for (size_t r = 0; r < pl->nruns; r++)
		free(keys[r]);
	free(keys);
	vd_hmap_free(&ix);
}

void vd_completion_free(struct vd_completion *cp)
{
	for (size_t i = 0; i < cp->n; i++)
		free(cp->rows[i].certificate);
	free(cp->rows);
	memset(cp, 0, sizeof *cp);
}

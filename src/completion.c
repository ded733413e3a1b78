/* completion.c -- who completed what (completion.h): the plan's runs, as
 * of the freeze date, weighed against the attendance records. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attendance.h"
#include "completion.h"
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

/* An attendance record mapped onto the plan: doctor, course, run. */
struct mark {
	size_t x, c, r;
	vd_date date;
	int start;
	enum vd_presence status;
};

static int cmp_mark(const void *a, const void *b)
{
	const struct mark *m = a, *n = b;
	if (m->x != n->x) return m->x < n->x ? -1 : 1;
	if (m->c != n->c) return m->c < n->c ? -1 : 1;
	if (m->r != n->r) return m->r < n->r ? -1 : 1;
	if (m->date != n->date) return m->date < n->date ? -1 : 1;
	return (m->start > n->start) - (m->start < n->start);
}

/* The records of att on the plan's runs (by cohort and course), sorted;
 * a later record of the same session wins (qsort is not stable: the
 * file order is kept by the index as the last key). */
static struct mark *marks_of(const struct vd_program *p, const struct vd_plan *pl,
                             const struct vd_attendance *att, size_t *n)
{
	*n = 0;
	if (!att || !att->n)
		return NULL;
	struct vd_hmap ix;
	vd_hmap_init(&ix);
	char **keys = xcalloc(pl->nruns + 1, sizeof *keys);
	for (size_t r = 0; r < pl->nruns; r++) {
		keys[r] = xasprintf("%s %s", vd_course_id(p, pl->runs[r].course), pl->runs[r].cohort);
		vd_hmap_put(&ix, keys[r], r);
	}
	struct mark *v = xcalloc(att->n + 1, sizeof *v);
	for (size_t i = 0; i < att->n; i++) {
		const struct vd_att_row *a = &att->rows[i];
		char *k = xasprintf("%s %s", vd_course_id(p, a->course), a->cohort);
		size_t r = vd_hmap_get(&ix, k);
		free(k);
		if (r == VD_NONE)
			continue;
		v[(*n)++] = (struct mark){ a->doctor, a->course, r, a->date, a->start, a->status };
	}
	for (size_t r = 0; r < pl->nruns; r++)
		free(keys[r]);
	free(keys);
	vd_hmap_free(&ix);
	qsort(v, *n, sizeof *v, cmp_mark);
	return v;
}

/* The status the records give session s (date d) of doctor x in run r. */
static enum vd_presence presence(const struct vd_program *p, const struct mark *v, size_t n,
                                 size_t x, size_t c, size_t r, vd_date d, int start)
{
	enum vd_presence st = p->attendance_default == VD_ATT_DEFAULT_ABSENT ? VD_ABSENT : VD_PRESENT;
	struct mark key = { x, c, r, d, -1, VD_PRESENT };
	/* first record of (x, c, r, d): start -1 sorts before every time */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_mark(&v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && v[i].x == x && v[i].c == c && v[i].r == r && v[i].date == d; i++)
		if (v[i].start == -1 || v[i].start == start)
			st = v[i].status;
	return st;
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
static void run_row(const struct vd_program *p, const struct vd_plan *pl, const struct mark *v,
                    size_t nv, vd_date asof, size_t x, size_t r, int missed,
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
		if (!asof || d >= asof)
			continue;
		held++;
		if (presence(p, v, nv, x, c, r, d, (int)def->sessions[s].start) == VD_PRESENT) {
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
	size_t nv, cap = 0;
	struct mark *v = marks_of(p, pl, att, &nv);
	memset(cp, 0, sizeof *cp);
	cp->asof = asof;
	struct vd_completion_row row;
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (run->dead)
			continue;
		for (size_t m = 0; m < run->nmembers; m++) {
			run_row(p, pl, v, nv, asof, run->members[m], r, 0, &row);
			add_row(cp, &cap, &row);
		}
	}
	for (size_t i = 0; i < pl->nmissed; i++) {
		run_row(p, pl, v, nv, asof, pl->missed[i].doctor, pl->missed[i].run, 1, &row);
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
	free(v);
}

void vd_completion_free(struct vd_completion *cp)
{
	for (size_t i = 0; i < cp->n; i++)
		free(cp->rows[i].certificate);
	free(cp->rows);
	memset(cp, 0, sizeof *cp);
}

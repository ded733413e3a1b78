/* course.c -- see course.h */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "course.h"
#include "i18n.h"
#include "xalloc.h"

int vd_units_for(const struct vds_resource *r, int n)
{
	return r->per ? (n + (int)r->per - 1) / (int)r->per : 1;
}

size_t vd_site_resource_index(const struct vd_site *s, const char *name)
{
	for (size_t i = 0; i < s->nres; i++)
		if (!strcmp(s->res[i].name, name))
			return i;
	return VD_NONE;
}

int vd_site_resource(const struct vd_site *s, const char *name)
{
	size_t i = vd_site_resource_index(s, name);
	return i == VD_NONE ? 0 : s->res[i].count;
}

int vd_doctor_completed(const struct vd_doctor *d, const char *course)
{
	for (size_t i = 0; i < d->completed.n; i++)
		if (strcasecmp(d->completed.v[i], course) == 0)
			return 1;
	return 0;
}

int vd_course_required(const struct vd_program *p, size_t x, size_t c)
{
	const struct vd_doctor *d = &p->doctors[x];
	const struct vd_clinic *cl = &p->clinics[d->clinic];
	const struct vds_course *def = p->courses[c].def;
	if (vd_doctor_completed(d, p->courses[c].name))
		return 0;
	struct vds_doctor_view view = {
		d->id, d->name, cl->id, p->townships[cl->township].id,
		(const char *const *)d->completed.v, d->completed.n };
	const char *why = NULL;
	return !def->eligible || def->eligible(def->state, &view, &why);
}

int vd_course_prereq_missing(const struct vd_program *p, size_t x, size_t c)
{
	const struct vds_course *def = p->courses[c].def;
	for (size_t q = 0; q < def->nprereqs; q++)
		if (vd_hmap_get(&p->course_ix, def->prereqs[q]) == VD_NONE &&
		    !vd_doctor_completed(&p->doctors[x], def->prereqs[q]))
			return 1;
	return 0;
}

static int teaches_at(const struct vd_instructor *in, const struct vd_course *co,
                      const struct vd_site *si)
{
	return vd_strv_has(&in->courses, co->name) && (!in->sites.n || vd_strv_has(&in->sites, si->id));
}

int vd_instructor_ok(const struct vd_program *p, size_t i, size_t c, size_t s)
{
	return teaches_at(&p->instructors[i], &p->courses[c], &p->sites[s]);
}

char *vd_course_site_unfit(const struct vd_program *p, const struct vd_course *co, size_t s,
                           int minsz, int needs_ins)
{
	const struct vd_site *si = &p->sites[s];
	if (si->seats < minsz)
		return xasprintf(_("site %s has %d seats, fewer than the minimum run of %d"), si->id, si->seats, minsz);
	for (size_t r = 0; r < co->def->nresources; r++) {
		const struct vds_resource *rs = &co->def->resources[r];
		int have = vd_site_resource(si, rs->name);
		int most = rs->per ? have * (int)rs->per : (have > 0 ? minsz : 0);
		if (most < minsz)
			return xasprintf(_("site %s has %d %s, enough for %d trainees (%u per unit), fewer than the minimum run of %d"),
			                 si->id, have, rs->name, most, rs->per ? rs->per : 1, minsz);
	}
	if (needs_ins) {
		int any = 0;
		for (size_t i = 0; i < p->ninstructors && !any; i++)
			any = teaches_at(&p->instructors[i], co, si);
		if (!any)
			return xasprintf(_("no [instructor] teaching %s works at site %s"), co->name, si->id);
	}
	return NULL;
}

/* The teaching days, and each run's days: def->days teaching days in a
 * row from a teaching day, within max_span calendar days. */
static void setup_calendar(struct vd_course_model *m, const struct vd_program *p,
                           const struct vd_course *co, int H)
{
	unsigned days = co->def->days;
	m->tday = xcalloc((size_t)H + 1, 1);
	m->tdays = xmalloc(((size_t)H + 1) * sizeof *m->tdays);
	m->start_ix = xmalloc(((size_t)H + 1) * sizeof *m->start_ix);
	m->dates = xmalloc(((size_t)H * days + 1) * sizeof *m->dates);
	for (int t = 0; t < H; t++) {
		m->start_ix[t] = -1;
		if ((m->tday[t] = (unsigned char)vd_program_teaching_day(p, co, p->start + t)))
			m->tdays[m->ntdays++] = t;
	}
	for (int i = 0; days && (size_t)i + days <= (size_t)m->ntdays; i++) {
		const int *d = &m->tdays[i];
		if (co->def->max_span && (unsigned)(d[days - 1] - d[0] + 1) > co->def->max_span)
			continue;
		memcpy(&m->dates[(size_t)m->ndates * days], d, days * sizeof *d);
		m->start_ix[d[0]] = m->ndates++;
	}
}

/* Can site s hold a run of minsz: seats, every resource, an instructor? */
static int site_usable(const struct vd_course_model *m, const struct vd_program *p, size_t c, size_t s)
{
	const struct vd_site *si = &p->sites[s];
	int ok = si->seats >= m->minsz;
	for (size_t r = 0; r < m->def->nresources; r++)
		if (vd_site_resource(si, m->def->resources[r].name) <
		    vd_units_for(&m->def->resources[r], m->minsz))
			ok = 0;
	if (m->needs_ins) {
		int any = 0;
		for (size_t i = 0; i < p->ninstructors; i++)
			any |= vd_instructor_ok(p, i, c, s);
		ok &= any;
	}
	return ok;
}

void vd_course_model_init(struct vd_course_model *m, const struct vd_program *p, size_t c, int H)
{
	const struct vd_course *co = &p->courses[c];
	memset(m, 0, sizeof *m);
	m->def = co->def;
	m->minsz = co->def->min_size ? (int)co->def->min_size : p->cohort_min;
	m->maxsz = co->def->max_size ? (int)co->def->max_size : p->cohort_max;
	if (m->maxsz > p->cohort_max)
		m->maxsz = p->cohort_max;
	if (m->minsz < p->cohort_min)
		m->minsz = p->cohort_min;
	setup_calendar(m, p, co, H);
	for (size_t q = 0; q < co->def->nprereqs; q++) {
		size_t qi = vd_hmap_get(&p->course_ix, co->def->prereqs[q]);
		if (qi != VD_NONE) {
			m->prereq = xreallocarray(m->prereq, m->nprereq + 1, sizeof *m->prereq);
			m->prereq[m->nprereq++] = qi;
		}
	}
	/* A course needs an instructor for every run when its plugin says
	 * so, or when an [instructor] names it and works on days the course
	 * runs.  An instructor who never works on those days is not made a
	 * condition (check warns about it): otherwise one misread day list
	 * would leave the whole course unscheduled. */
	unsigned cdays = co->def->weekdays ? co->def->weekdays : p->teaching_days;
	m->needs_ins = co->def->needs_instructor;
	for (size_t i = 0; i < p->ninstructors; i++)
		if (vd_strv_has(&p->instructors[i].courses, co->name) && (p->instructors[i].days & cdays)) {
			m->needs_ins = 1;
			m->ninstructors++;
		}
	/* resource indexes by site, looked up once: the book's checks run
	 * for every candidate run */
	size_t nr = co->def->nresources;
	m->resix = xmalloc((p->nsites * nr + 1) * sizeof *m->resix);
	for (size_t s = 0; s < p->nsites; s++)
		for (size_t r = 0; r < nr; r++)
			m->resix[s * nr + r] = vd_site_resource_index(&p->sites[s], co->def->resources[r].name);
	m->usable = xcalloc(p->nsites + 1, 1);
	for (size_t j = 0; j < co->nsites; j++)
		m->usable[co->sites[j]] = (unsigned char)site_usable(m, p, c, co->sites[j]);
}

void vd_course_model_free(struct vd_course_model *m)
{
	free(m->tday);
	free(m->tdays);
	free(m->start_ix);
	free(m->dates);
	free(m->prereq);
	free(m->usable);
	free(m->resix);
	memset(m, 0, sizeof *m);
}

const int *vd_course_run_days(const struct vd_course_model *m, int t)
{
	int ix = m->start_ix[t];
	return ix < 0 ? NULL : &m->dates[(size_t)ix * m->def->days];
}

/* model.c -- lifetime of the program and the plan; small shared helpers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "words.h"
#include "xalloc.h"

void vd_program_init(struct vd_program *p)
{
	memset(p, 0, sizeof *p);
	p->teaching_days = VDS_WEEKDAYS;
	p->cohort_min = 8;
	p->cohort_max = 30;
	p->seed = 1;
	p->travel_budget = VD_TRAVEL_BUDGET;
	p->retrain_years = VD_RETRAIN_YEARS;
	p->calendars = VD_CAL_ALL;
	vd_hmap_init(&p->township_ix);
	vd_hmap_init(&p->clinic_ix);
	vd_hmap_init(&p->doctor_ix);
	vd_hmap_init(&p->site_ix);
	vd_hmap_init(&p->instructor_ix);
	vd_hmap_init(&p->course_ix);
}

const struct vd_calkind_names vd_calkinds[VD_NCALKINDS] = {
	[VD_CALKIND_DOCTOR] = { "doctors", "doctor", "" },
	[VD_CALKIND_COHORT] = { "cohorts", "cohort", "班级 " },
	[VD_CALKIND_SITE] = { "sites", "site", "" },
	[VD_CALKIND_INSTRUCTOR] = { "instructors", "instructor", "教师 " },
};

enum vd_calkind vd_calkind_of(const char *calendar, const char **id)
{
	for (int k = 0; k < VD_NCALKINDS; k++) {
		size_t n = strlen(vd_calkinds[k].folder);
		if (!strncmp(calendar, vd_calkinds[k].folder, n) && calendar[n] == '/') {
			if (id)
				*id = calendar + n + 1;
			return (enum vd_calkind)k;
		}
	}
	return VD_NCALKINDS;
}

const char *vd_course_id(const struct vd_program *p, size_t c)
{
	return p->courses[c].name;
}

void vd_strv_push(struct vd_strv *sv, const char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 2, sizeof *sv->v);
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void vd_strv_free(struct vd_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

int vd_strv_has(const struct vd_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

/* The project's one list splitter (words.h): blanks, commas, semicolons
 * and their full-width forms. */
void vd_strv_split(struct vd_strv *sv, const char *s)
{
	const char *w;
	size_t n;
	while ((w = vd_list_next(&s, &n))) {
		char *t = xstrndup(w, n);
		vd_strv_push(sv, t);
		free(t);
	}
}

int vd_id_valid(const char *s)
{
	size_t n = 0;
	if (!s)
		return 0;
	for (const char *c = s; *c; c++, n++) {
		unsigned char ch = (unsigned char)*c;
		int alnum = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		            (ch >= 'A' && ch <= 'Z');
		if (!alnum && (n == 0 || (ch != '_' && ch != '.' && ch != '-')))
			return 0;
	}
	return n >= 1 && n <= 64;
}

static int in_sorted(const vd_date *v, size_t n, vd_date t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] < t)
			lo = mid + 1;
		else if (v[mid] > t)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

int vd_program_teaching_day(const struct vd_program *p, const struct vd_course *c,
                            vd_date t)
{
	if (t < p->start || t > p->end)
		return 0;
	if (in_sorted(p->holidays, p->nholidays, t))
		return 0;
	if (vd_in_ranges(p->blackout, p->nblackout, t))
		return 0;
	unsigned days = c && c->def && c->def->weekdays ? c->def->weekdays
	                                                : p->teaching_days;
	if (days & (1u << vd_weekday(t)))
		return 1;
	/* 调休: a make-up workday counts as a working day when the course
	 * trains on working days (i.e. it is not a weekend-only course). */
	return (days & VDS_WEEKDAYS) && in_sorted(p->workdays, p->nworkdays, t);
}

void vd_program_free(struct vd_program *p)
{
	free(p->path); free(p->dir); free(p->id); free(p->name); free(p->timezone);
	free(p->holidays); free(p->workdays); free(p->blackout);
	free(p->holidays_path); free(p->clinics_path); free(p->doctors_path);
	free(p->encoding); free(p->contact); free(p->organizer);
	free(p->output_dir); free(p->base_url); free(p->alarms); free(p->plugin_dir);
	vd_strv_free(&p->load);
	vd_strv_free(&p->attendance);
	for (size_t i = 0; i < p->ntownships; i++) {
		free(p->townships[i].id);
		free(p->townships[i].name);
	}
	free(p->townships);
	for (size_t i = 0; i < p->nclinics; i++) {
		struct vd_clinic *c = &p->clinics[i];
		free(c->id); free(c->name); free(c->township_id);
	}
	free(p->clinics);
	for (size_t i = 0; i < p->ndoctors; i++) {
		struct vd_doctor *d = &p->doctors[i];
		free(d->id); free(d->name); free(d->clinic_id); free(d->phone);
		vd_strv_free(&d->completed);
		free(d->unavail);
	}
	free(p->doctors);
	for (size_t i = 0; i < p->nsites; i++) {
		struct vd_site *s = &p->sites[i];
		free(s->id); free(s->name); free(s->address);
		vd_strv_free(&s->features);
		for (size_t j = 0; j < s->nres; j++)
			free(s->res[j].name);
		free(s->res);
	}
	free(p->sites);
	for (size_t i = 0; i < p->ninstructors; i++) {
		struct vd_instructor *in = &p->instructors[i];
		free(in->id); free(in->name);
		vd_strv_free(&in->courses);
		vd_strv_free(&in->sites);
	}
	free(p->instructors);
	for (size_t i = 0; i < p->ncourses; i++) {
		free(p->courses[i].name);
		vd_strv_free(&p->courses[i].site_ids);
		free(p->courses[i].sites);
	}
	free(p->courses);
	vd_hmap_free(&p->township_ix);
	vd_hmap_free(&p->clinic_ix);
	vd_hmap_free(&p->doctor_ix);
	vd_hmap_free(&p->site_ix);
	vd_hmap_free(&p->instructor_ix);
	vd_hmap_free(&p->course_ix);
	vd_program_init(p);
}

void vd_plan_init(struct vd_plan *pl)
{
	memset(pl, 0, sizeof *pl);
}

void vd_plan_free(struct vd_plan *pl)
{
	for (size_t i = 0; i < pl->nruns; i++) {
		free(pl->runs[i].dates);
		free(pl->runs[i].members);
	}
	free(pl->runs);
	for (size_t i = 0; i < pl->nunsched; i++)
		free(pl->unsched[i].reason);
	free(pl->unsched);
	free(pl->cover);
	free(pl->lapses);
	free(pl->replan_why);
	free(pl->missed);
	vd_plan_init(pl);
}

double vd_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(fmin(1.0, sqrt(a)));
}

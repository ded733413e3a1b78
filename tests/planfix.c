/* planfix.c -- see planfix.h */
#include <string.h>
#include "planfix.h"
#include "xalloc.h"

const struct vds_session two_sessions[] = {
	{ 0, 510, 690, "理论", "m1", NULL }, { 0, 870, 1050, "实操", "m1", NULL },
	{ 1, 510, 690, "理论", "m2", NULL }, { 1, 870, 1050, "实操", "m2", NULL },
};
struct vds_course course_a = {
	.size = sizeof(struct vds_course), .id = "aa", .title = "课程A", .days = 2,
	.sessions = two_sessions, .nsessions = 4 };
static const char *const need_a[] = { "aa" };
struct vds_course course_b = {
	.size = sizeof(struct vds_course), .id = "bb", .title = "课程B", .days = 2,
	.sessions = two_sessions, .nsessions = 4, .prereqs = need_a, .nprereqs = 1 };
static const struct vds_resource chairs[] = { { "chairs", 3 } };
struct vds_course course_dent = {
	.size = sizeof(struct vds_course), .id = "dd", .title = "口腔", .days = 2,
	.sessions = two_sessions, .nsessions = 4, .resources = chairs, .nresources = 1 };
struct vds_course course_wknd = {
	.size = sizeof(struct vds_course), .id = "ww", .title = "儿科", .days = 2,
	.sessions = two_sessions, .nsessions = 4, .weekdays = VDS_WEEKEND, .needs_instructor = 1 };

void add_township(struct vd_program *p, const char *id, int cover)
{
	p->townships = xreallocarray(p->townships, p->ntownships + 1, sizeof *p->townships);
	p->townships[p->ntownships] = (struct vd_township){ xstrdup(id), xstrdup(id), cover, 1 };
	vd_hmap_put(&p->township_ix, p->townships[p->ntownships].id, p->ntownships);
	p->ntownships++;
}

/* A clinic with n doctors at (lat, lon). */
void add_clinic(struct vd_program *p, size_t tw, int n, double lat, double lon)
{
	size_t k = p->nclinics;
	p->clinics = xreallocarray(p->clinics, k + 1, sizeof *p->clinics);
	struct vd_clinic *c = &p->clinics[k];
	memset(c, 0, sizeof *c);
	c->id = xasprintf("c%03zu", k);
	c->name = xstrdup(c->id);
	c->township_id = xstrdup(p->townships[tw].id);
	c->township = tw;
	c->lat = lat;
	c->lon = lon;
	c->min_on_duty = 1;
	c->ndoctors = (unsigned)n;
	vd_hmap_put(&p->clinic_ix, c->id, k);
	p->nclinics++;
	for (int i = 0; i < n; i++) {
		size_t x = p->ndoctors;
		p->doctors = xreallocarray(p->doctors, x + 1, sizeof *p->doctors);
		struct vd_doctor *d = &p->doctors[x];
		memset(d, 0, sizeof *d);
		d->id = xasprintf("d%04zu", x);
		d->name = xstrdup("医生");
		d->clinic_id = xstrdup(c->id);
		d->clinic = k;
		vd_hmap_put(&p->doctor_ix, d->id, x);
		p->ndoctors++;
	}
}

void add_site(struct vd_program *p, const char *id, int seats, double lat, double lon)
{
	p->sites = xreallocarray(p->sites, p->nsites + 1, sizeof *p->sites);
	struct vd_site *s = &p->sites[p->nsites];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(id);
	s->name = xstrdup(id);
	s->address = xstrdup("");
	s->seats = seats;
	s->lat = lat;
	s->lon = lon;
	vd_hmap_put(&p->site_ix, s->id, p->nsites);
	p->nsites++;
}

void add_course(struct vd_program *p, const char *name, const struct vds_course *def)
{
	p->courses = xreallocarray(p->courses, p->ncourses + 1, sizeof *p->courses);
	struct vd_course *c = &p->courses[p->ncourses];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->def = def;
	c->sites = xcalloc(p->nsites, sizeof *c->sites);
	for (size_t s = 0; s < p->nsites; s++)
		c->sites[c->nsites++] = s;
	vd_hmap_put(&p->course_ix, c->name, p->ncourses);
	p->ncourses++;
}

void base(struct vd_program *p)
{
	vd_program_init(p);
	p->id = xstrdup("t");
	p->name = xstrdup("测试");
	p->timezone = xstrdup("Asia/Shanghai");
	p->start = vd_date_from_ymd(2026, 3, 2);  /* a Monday */
	p->end = vd_date_from_ymd(2026, 4, 30);
	p->cohort_min = 2;
	p->cohort_max = 30;
}


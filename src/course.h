/* course.h -- what the planner's book and the bound know of one course:
 * its calendar (the days a run may start, and the days of each such run),
 * its run sizes, its prerequisites, the sites that can hold a run of it,
 * and whether it needs an instructor.
 *
 * The book (book.h) and the bound (bound.h) must agree on all of this --
 * a bound that saw another calendar or other sites than the planner
 * would bound another problem -- so both derive it here, once.  The site
 * and doctor look-ups below (a resource count by name, a completed
 * course, an instructor's eligibility) are the only copies.
 *
 * Ownership: a struct vd_course_model owns its arrays
 * (vd_course_model_free); it points into the program and the plugin's
 * course definition, which must outlive it.  Days are indexes from
 * p->start. */
#ifndef VD_COURSE_H
#define VD_COURSE_H
#include <stddef.h>
#include "model.h"

struct vd_course_model {
	const struct vds_course *def;
	int minsz, maxsz;       /* trainees in one run, within [program] cohort_min..max */
	unsigned char *tday;    /* per day: a teaching day of the course */
	int *tdays, ntdays;     /* its teaching days in order */
	int *start_ix;          /* per day: index into dates of the run starting then, or -1 */
	int *dates;             /* ndates x def->days: the days of each possible run */
	int ndates;
	size_t *prereq;         /* prerequisite course indexes that are loaded */
	size_t nprereq;
	int needs_ins;          /* every run needs an instructor */
	size_t ninstructors;    /* instructors who name it and work on its weekdays */
	unsigned char *usable;  /* per site: can hold a run of minsz */
	size_t *resix;          /* nsites x nresources: index in the site's res, or VD_NONE */
};

/* The model of course c of p over H days from p->start (H >= 0). */
void vd_course_model_init(struct vd_course_model *m, const struct vd_program *p, size_t c, int H);
/* Frees what vd_course_model_init allocated. */
void vd_course_model_free(struct vd_course_model *m);
/* The days of the run of m starting on day t, or NULL if none starts then. */
const int *vd_course_run_days(const struct vd_course_model *m, int t);

/* Units of a resource a run of n trainees takes. */
int vd_units_for(const struct vds_resource *r, int n);
/* How many of resource `name` site s has (0 if none). */
int vd_site_resource(const struct vd_site *s, const char *name);
/* Index of resource `name` in s->res, or VD_NONE. */
size_t vd_site_resource_index(const struct vd_site *s, const char *name);
/* Has doctor d completed `course`?  Course ids are lowercase (section
 * names); a roster may say TCM. */
int vd_doctor_completed(const struct vd_doctor *d, const char *course);
/* Must doctor x take course c: not completed, and eligible by the
 * plugin's rules? */
int vd_course_required(const struct vd_program *p, size_t x, size_t c);
/* Does doctor x lack a prerequisite of course c that the program does
 * not offer (so no plan can give it)? */
int vd_course_prereq_missing(const struct vd_program *p, size_t x, size_t c);
/* May instructor i teach course c at site s (not looking at days)? */
int vd_instructor_ok(const struct vd_program *p, size_t i, size_t c, size_t s);
/* Why site s cannot hold a run of minsz trainees of course co (NULL if it
 * can), for messages: the seats, a resource, or (needs_ins) no
 * instructor.  malloc'd. */
char *vd_course_site_unfit(const struct vd_program *p, const struct vd_course *co, size_t s,
                           int minsz, int needs_ins);
#endif

/* book.h -- the planner's bookkeeping: what a plan holds at every site,
 * clinic, township and instructor, day by day, and who is in which run.
 *
 * A book is filled by the constructions in planner.c and, before they run,
 * by a re-plan (replan.c) with the frozen past and the runs of the previous
 * plan that still hold.  Every admission goes through the same checks
 * (seats, resources, instructor, the doctor's calendar, prerequisites,
 * clinic coverage with township cover), so a plan is legal whichever code
 * put a doctor in a run.  Days are indexes from the program's start; each
 * table is day-indexed, so a check costs O(run days).
 *
 * Ownership: the book owns its tables; the runs it makes belong to the plan
 * it was given (struct vd_plan). */
#ifndef VD_BOOK_H
#define VD_BOOK_H
#include <stdint.h>
#include "model.h"

enum { F_BUSY = 1, F_COVER = 2, F_PREREQ = 4, F_SIZE = 8, F_TRIED = 16 };

/* What the book knows of one course, derived from its plugin and sites. */
struct vd_cinfo {
	const struct vds_course *def;
	int minsz, maxsz;
	int *start_ix;          /* per day: index into dates, or -1 */
	int *dates;             /* day indexes of each possible run */
	int ndates;
	size_t *prereq;         /* loaded prerequisite course indexes */
	size_t nprereq;
	unsigned char *usable;  /* per site */
	size_t *resix;          /* ns x nresources: index in the site's res, or VD_NONE */
	int needs_ins;          /* the plugin asks, or an instructor names it */
};

/* A growable list of indexes. */
struct vd_ixv {
	size_t *v;
	size_t n, cap;
};

struct vd_book {
	const struct vd_program *p;
	struct vd_plan *pl;
	size_t runcap;
	int H;                  /* days from start to end */
	int t0;                 /* first day a new run may start or be joined (freeze) */
	int spare_first;        /* a clinic that can spare a doctor uses no cover */
	unsigned char *tight;   /* per township: its cover is the bottleneck, so
	                         * it goes only to clinics that cannot spare one */
	size_t nc, ns, nd;
	struct vd_cinfo *ci;
	int *seats_used;        /* ns x H */
	int **res_used;         /* per site: nres x H */
	unsigned char *ins_busy;/* ninstructors x H */
	uint16_t *away;         /* nclinics x H */
	int *cover_used;        /* ntownships x H */
	int *cover_cap;         /* per township, after baseline shortfall */
	size_t *asg;            /* nd x nc: run index or VD_NONE */
	unsigned char *need;    /* nd x nc: 1 required, 2 required but impossible, 0 not */
	unsigned char *fail;    /* nd x nc: F_* seen */
	struct vd_ixv *runs_at; /* ns x nc: indexes of the runs held there */
};

/* An empty book for program p, whose runs go into pl (vd_plan_init'ed):
 * course tables, requirements (need), township cover after baseline. */
void vd_book_init(struct vd_book *B, const struct vd_program *p, struct vd_plan *pl);
void vd_book_free(struct vd_book *B);

int vd_site_res(const struct vd_site *s, const char *name);
size_t vd_res_index(const struct vd_site *s, const char *name);
/* Units of a resource a run of n trainees takes. */
int vd_units_for(const struct vds_resource *r, int n);
int vd_dates_overlap(const int *a, size_t na, const vd_date *b, size_t nb, vd_date base);
/* Course ids are lowercase (section names); a roster may say TCM. */
int vd_doctor_completed(const struct vd_doctor *d, const char *course);
void vd_ixv_push(struct vd_ixv *po, size_t x);

int vd_book_instructor_ok(const struct vd_book *B, size_t i, size_t c, size_t s);
/* The days of a run of course c starting on day t, or NULL. */
const int *vd_book_run_days(const struct vd_book *B, size_t c, int t);
int vd_book_run_capacity(const struct vd_book *B, size_t c, size_t s, int all);
int vd_book_site_capacity(const struct vd_book *B, size_t c, size_t s, const int *D);
size_t vd_book_find_instructor(const struct vd_book *B, size_t c, size_t s, const int *D);
int vd_book_doctor_free(struct vd_book *B, size_t x, size_t c, const int *D);
int vd_book_take(struct vd_book *B, size_t x, size_t c, const int *D, int commit);
void vd_book_untake(struct vd_book *B, size_t x, size_t c, const int *D);
size_t vd_book_new_run(struct vd_book *B, size_t c, size_t s, size_t ins, const int *D);
void vd_book_site(struct vd_book *B, size_t c, size_t s, size_t ins, const int *D, int n, int sign);
void vd_book_add_member(struct vd_book *B, size_t run, size_t x);
void vd_book_run_days_of(const struct vd_book *B, const struct vd_run *run, int *D);
int vd_book_room_for_one(const struct vd_book *B, const struct vd_run *run, const int *D);
void vd_book_one(struct vd_book *B, const struct vd_run *run, const int *D, int sign);
void vd_book_join(struct vd_book *B, size_t r, size_t x);
void vd_book_leave(struct vd_book *B, size_t r, size_t x);
/* Books doctor x away on days D without checking coverage (frozen runs). */
void vd_book_take_anyway(struct vd_book *B, size_t x, size_t c, const int *D);
/* Empties run r and releases what it holds; it is marked dead. */
void vd_book_drop_run(struct vd_book *B, size_t r);
/* pl->cover from the coverage tables. */
void vd_book_cover_rows(struct vd_book *B);
#endif

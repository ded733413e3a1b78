/* book.h -- the planner's bookkeeping: what a plan holds at every site,
 * clinic, township and instructor, day by day, and who is in which run.
 *
 * A book is filled by the constructions in planner.c and, before they run,
 * by a re-plan (replan.c) with the frozen past and the runs of the previous
 * plan that still hold.  Every admission goes through the same checks
 * (seats, resources, instructor, the doctor's calendar, prerequisites,
 * clinic coverage with township cover), so a plan is legal whichever code
 * put a doctor in a run.  Days are indexes from the program's start; each
 * table is day-indexed, so a check costs O(run days).  Which runs have
 * room for one more is kept as an index (struct vd_room_index), so that
 * asking for it again costs what changed since, not a look at every run.
 * What a course is (calendar, sizes, sites) is course.h's.
 *
 * Ownership: the book owns its tables; the runs it makes belong to the plan
 * it was given (struct vd_plan). */
#ifndef VD_BOOK_H
#define VD_BOOK_H
#include <stdint.h>
#include "course.h"
#include "model.h"

/* Why a doctor-course pair was refused, bits of vd_book.fail (for the
 * unscheduled list's reasons). */
enum vd_fail {
	VD_FAIL_BUSY = 1,    /* the doctor's calendar or another course */
	VD_FAIL_COVER = 2,   /* the clinic's coverage, with its township's cover */
	VD_FAIL_PREREQ = 4,  /* a prerequisite not (yet) taken */
	VD_FAIL_SIZE = 8,    /* too few doctors for a run */
	VD_FAIL_TRIED = 16   /* offered a run at all */
};

/* vd_book_take: only check, or check and book. */
enum vd_book_mode { VD_CHECK, VD_COMMIT };

/* vd_book_site, vd_book_one: book (take) or release (give) seats,
 * resources and the instructor; the value is the sign of the change. */
enum vd_book_op { VD_GIVE = -1, VD_TAKE = +1 };

/* vd_book_run_capacity: one run, or as many runs as fit. */
enum vd_runs { VD_ONE_RUN, VD_ALL_RUNS };

/* A growable list of indexes. */
struct vd_ixv {
	size_t *v;
	size_t n, cap;
};

/* Which runs have room for one more trainee, kept so that asking costs
 * what changed since the last time, not a look at every run: a pair that
 * finds no room on an over-subscribed program asks again and again.
 * Refreshed lazily, site by site: every change of seats, resources or
 * members marks the run's site stale. */
struct vd_room_index {
	unsigned char *full;    /* per run: no room (as of the last refresh) */
	size_t n, cap;          /* runs covered */
	unsigned char *stale;   /* per site: changed since the last refresh */
	struct vd_ixv stale_sites;
	size_t *open;           /* per course: its runs with room */
	int t0;                 /* B->t0 when refreshed */
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
	struct vd_course_model *ci;  /* per course */
	int *seats_used;        /* ns x H */
	int **res_used;         /* per site: nres x H */
	unsigned char *ins_busy;/* ninstructors x H */
	uint16_t *away;         /* nclinics x H */
	int *cover_used;        /* ntownships x H */
	int *cover_cap;         /* per township, after baseline shortfall */
	size_t *asg;            /* nd x nc: run index or VD_NONE */
	unsigned char *need;    /* nd x nc: 1 required, 2 required but impossible, 0 not */
	unsigned char *fail;    /* nd x nc: VD_FAIL_* seen */
	struct vd_ixv *runs_at; /* ns x nc: indexes of the runs held there */
	struct vd_room_index room;
};

/* An empty book for program p, whose runs go into pl (vd_plan_init'ed):
 * course tables, requirements (need), township cover after baseline. */
void vd_book_init(struct vd_book *B, const struct vd_program *p, struct vd_plan *pl);
/* Frees the book's tables (not the plan's runs). */
void vd_book_free(struct vd_book *B);

/* Do day lists a (na days from base) and b (nb dates) share a day?  Both
 * ascending. */
int vd_dates_overlap(const int *a, size_t na, const vd_date *b, size_t nb, vd_date base);
/* Appends x to a growable list. */
void vd_ixv_push(struct vd_ixv *po, size_t x);

/* The days of a run of course c starting on day t, or NULL (none starts
 * then, or t is before the freeze). */
const int *vd_book_run_days(const struct vd_book *B, size_t c, int t);
/* The trainees of course c site s can hold at once when it is empty: in
 * one run, or in as many runs as fit. */
int vd_book_run_capacity(const struct vd_book *B, size_t c, size_t s, enum vd_runs runs);
/* How many trainees site s can still take for a new run of course c on
 * days D (seats and resources in use subtracted). */
int vd_book_site_capacity(const struct vd_book *B, size_t c, size_t s, const int *D);
/* The first instructor free to teach c at s on days D, or VD_NONE. */
size_t vd_book_find_instructor(const struct vd_book *B, size_t c, size_t s, const int *D);
/* Can doctor x take course c on days D (calendar, other courses,
 * prerequisites)?  Notes a refusal in fail; coverage is vd_book_take's. */
int vd_book_doctor_free(struct vd_book *B, size_t x, size_t c, const int *D);
/* Can x's clinic spare x on days D (township cover)?  VD_COMMIT also
 * books the absence.  Notes a refusal in fail. */
int vd_book_take(struct vd_book *B, size_t x, size_t c, const int *D, enum vd_book_mode mode);
/* Undoes a committed vd_book_take. */
void vd_book_untake(struct vd_book *B, size_t x, size_t c, const int *D);
/* Books doctor x away on days D without checking coverage (frozen runs). */
void vd_book_take_anyway(struct vd_book *B, size_t x, size_t c, const int *D);
/* A new empty run of c at s with instructor ins (or VD_NONE) on days D;
 * returns its index.  Books nothing: see vd_book_site. */
size_t vd_book_new_run(struct vd_book *B, size_t c, size_t s, size_t ins, const int *D);
/* Takes (or gives back) the seats and resources of a run of n trainees
 * of c at s on days D, and its instructor. */
void vd_book_site(struct vd_book *B, size_t c, size_t s, size_t ins, const int *D, int n,
                  enum vd_book_op op);
/* Lists x in run `run` (booked already). */
void vd_book_add_member(struct vd_book *B, size_t run, size_t x);
/* A run's dates as day indexes into D (def->days of them). */
void vd_book_run_days_of(const struct vd_book *B, const struct vd_run *run, int *D);
/* Seats and resources for one more trainee in an existing run on its
 * days D, within its course's size, not frozen, not dead? */
int vd_book_room_for_one(const struct vd_book *B, const struct vd_run *run, const int *D);
/* Books one trainee more (VD_TAKE) or less (VD_GIVE) in a run's seats and
 * resources. */
void vd_book_one(struct vd_book *B, const struct vd_run *run, const int *D, enum vd_book_op op);
/* x joins run r (already checked): seats, absence, membership. */
void vd_book_join(struct vd_book *B, size_t r, size_t x);
/* x leaves run r, and what x held is released. */
void vd_book_leave(struct vd_book *B, size_t r, size_t x);
/* Empties run r and releases what it holds; it is marked dead. */
void vd_book_drop_run(struct vd_book *B, size_t r);
/* Per run (index), 1 if it has no room for one more trainee
 * (!vd_book_room_for_one), as of now.  The array is the book's; it stays
 * as it is (a snapshot) until the next call, and is valid while no run
 * is added. */
const unsigned char *vd_book_full_runs(struct vd_book *B);
/* Runs of course c with room for one more, as of the last
 * vd_book_full_runs. */
size_t vd_book_open_runs(const struct vd_book *B, size_t c);
/* Whoever renumbers pl->runs (dropping dead runs, sorting) tells the
 * book, so that vd_book_full_runs looks at every run again. */
void vd_book_runs_renumbered(struct vd_book *B);
/* pl->cover from the coverage tables. */
void vd_book_cover_rows(struct vd_book *B);
#endif

/* completion.h -- who completed what: each doctor x course pair's status,
 * sessions attended, hours, credits and certificate, as of the freeze date.
 *
 * One row per doctor x course x run the doctor was in: a pair that missed
 * a run and is made up in a later one has two rows (missed, then the
 * make-up's); a pair no run holds has one unscheduled row.  A pair is
 *   completed    its run ended before the as-of date and the doctor
 *                attended at least [course X] min_attendance of its sessions;
 *   missed       its run ended (or can no longer be completed) below that;
 *   in_progress  its run began before the as-of date and goes on after it;
 *   scheduled    its run is after the as-of date;
 *   unscheduled  no run holds it (unscheduled.csv says why).
 * The as-of date is --freeze-before: everything before it has happened.
 * A plan with no freeze date has nothing completed yet. */
#ifndef VD_COMPLETION_H
#define VD_COMPLETION_H
#include <stddef.h>
#include "model.h"

struct vd_attendance;
struct vd_prev;

enum vd_pair_status { VD_PAIR_COMPLETED, VD_PAIR_MISSED, VD_PAIR_IN_PROGRESS,
                      VD_PAIR_SCHEDULED, VD_PAIR_UNSCHEDULED, VD_PAIR_NSTATUS };

/* completion.csv's words for each status: "completed", ... */
extern const char *const vd_pair_status_names[VD_PAIR_NSTATUS];

/* [course X] min_attendance's default: every session (percent). */
#define VD_MIN_ATTENDANCE_DEFAULT 100
/* Hours per credit when [course X] credits is not given. */
#define VD_HOURS_PER_CREDIT 3.0

struct vd_completion_row {
	size_t doctor, course;
	size_t run;                  /* index into the plan's runs; VD_NONE: unscheduled */
	enum vd_pair_status status;
	unsigned attended, total;    /* sessions attended before the as-of date; of the run */
	double hours;                /* the attended sessions' hours */
	double credits;              /* completed: the course's credits; else 0 */
	char *certificate;           /* completed: its number; else NULL */
};

struct vd_completion {
	struct vd_completion_row *rows;  /* by doctor (roster order), course, run's first day */
	size_t n;
	vd_date asof;                    /* the freeze date; 0: nothing has happened yet */
};

/* Fills c from the plan pl (its runs, unscheduled and missed pairs), the
 * attendance att (NULL or matched: attendance.h) and the as-of date. */
void vd_completion_compute(const struct vd_program *p, const struct vd_plan *pl,
                           const struct vd_attendance *att, vd_date asof,
                           struct vd_completion *c);
/* Re-plan: per member m of the previous plan pv, 1 when the doctor
 * missed its run -- it began before freeze and the sessions he attended
 * before freeze, with all of its sessions from freeze on, stay below
 * min_attendance -- so the pair is planned again (a make-up).  NULL when
 * nobody missed anything. */
unsigned char *vd_completion_missed(const struct vd_program *p, const struct vd_prev *pv,
                                    const struct vd_attendance *att, vd_date freeze);
/* Sets pl->missed: the runs missed in earlier re-plans (pv->missed) and,
 * with makeup (vd_completion_missed), in this one, where pl still holds
 * the run. */
void vd_completion_note_missed(const struct vd_program *p, struct vd_plan *pl,
                               const struct vd_prev *pv, const unsigned char *makeup);
/* Frees c's rows. */
void vd_completion_free(struct vd_completion *c);

/* Hours of session s of course c, and of a whole run of it. */
double vd_session_hours(const struct vd_program *p, size_t c, size_t s);
double vd_course_hours(const struct vd_program *p, size_t c);
/* Credits a completed run of course c earns: [course X] credits, else
 * its hours / VD_HOURS_PER_CREDIT rounded down to a half credit. */
double vd_course_credits(const struct vd_program *p, size_t c);
/* The certificate number of doctor x's course c: PROGRAM-COURSE-DOCTOR,
 * the same in every re-plan; newly allocated. */
char *vd_certificate_number(const struct vd_program *p, size_t x, size_t c);
#endif

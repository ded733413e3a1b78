/* bound.h -- a lower bound on the last training day that accounts for
 * township cover.
 *
 * vd_bound_compute() returns the earliest date by which ANY plan that keeps
 * every hard rule could have trained every doctor-course pair that can be
 * scheduled at all.  It is the latest of four component bounds, each a
 * relaxation of the problem:
 *
 *   doctor   one doctor's courses in sequence on their teaching days, after
 *            their prerequisites, around the doctor's unavailable dates;
 *   course   one course's trainees through its sites' seats and resources
 *            (dental chairs), in runs of its days ("lanes" of seats);
 *   seats    any set of courses through the sites' shared seats;
 *   cover    one township's cover: the clinic-days its clinics are short
 *            while their doctors train, at `cover` per day.
 *
 * A fifth, conditional part weighs seats against travel: a plan within
 * [program] travel_budget cannot send everyone far, so the nearest sites'
 * seats may bind later than all four (struct vd_travel_bound).
 *
 * Pairs no plan can schedule are left out, as the planner leaves them
 * unscheduled: a prerequisite not offered, a course with no usable site or
 * no run in the period, a doctor whose unavailability leaves no run, and
 * doctors of a clinic that cannot spare one in a township without cover. */
#ifndef VD_BOUND_H
#define VD_BOUND_H
#include "model.h"

enum vd_bound_kind {
	VD_BOUND_NONE,     /* nothing to schedule */
	VD_BOUND_DOCTOR,
	VD_BOUND_COURSE,
	VD_BOUND_SEATS,
	VD_BOUND_COVER,
	VD_BOUND_NKINDS
};

struct vd_bound_part {
	int set;           /* this kind has something to say */
	vd_date date;      /* earliest possible last day; p->end + 1 = not in the period */
	size_t index;      /* doctor, course or township; seats: the set of courses (bits) */
	long need, have;   /* teaching days / trainee-days needed, per-day capacity */
	const char *limit; /* course: "seats" or the resource that binds */
};

struct vd_bound {
	vd_date date;                            /* the bound: latest part */
	enum vd_bound_kind binding;              /* which part it is */
	struct vd_bound_part part[VD_BOUND_NKINDS];
	size_t nexcluded;                        /* pairs no plan can schedule */
	/* binding == VD_BOUND_COVER: the bound with that township's cover
	 * raised by one (fix_cover); VD_BOUND_COURSE or VD_BOUND_SEATS: with
	 * fix_what ("seats" or the resource) of site fix_site raised to
	 * fix_count (fix_site VD_NONE: no such change, e.g. instructors) */
	int fix_cover;
	size_t fix_site;
	const char *fix_what;
	int fix_count;
	vd_date fix_date;
	/* fix_date not earlier: what binds on the same day after the raise */
	enum vd_bound_kind fix_next;
	size_t fix_next_index;
	/* Seats against travel (travel-price.h); set by
	 * vd_bound_compute only (not the what-ifs), and not for programs of
	 * more than about 35,000 clinics. */
	struct vd_travel_bound travel;
};

/* Computes the bound; cover_delta is added to township `tw`'s cover
 * (VD_NONE: none) to answer "what if". */
void vd_bound_compute_with(const struct vd_program *p, size_t tw, int cover_delta,
                           struct vd_bound *b);
/* The bound as it is, for a cover bound the date one more cover gives,
 * and the part that weighs seats against travel. */
void vd_bound_compute(const struct vd_program *p, struct vd_bound *b);
/* vd_bound_compute, with the seats-against-travel part as given (the
 * planner's, of the same program) instead of weighed again; NULL: weigh
 * it. */
void vd_bound_compute_given(const struct vd_program *p, const struct vd_travel_bound *travel,
                            struct vd_bound *b);

/* vd_bound_compute without the cover what-if, and two sets of home
 * [ndoctors x ncourses] one after the other: the site where the
 * seats-against-travel part's prices make each pair cheapest on the
 * earliest day the travel budget allows, and on the day half the budget
 * allows (VD_NONE: no preference -- the part is not set, or a far site). */
void vd_bound_homes(const struct vd_program *p, struct vd_bound *b, size_t *home);

/* What binds and the fix, in words (malloc'd). */
char *vd_bound_describe(const struct vd_program *p, const struct vd_bound *b);
#endif

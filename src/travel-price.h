/* travel-price.h -- the bound's fifth, conditional part: seats against
 * travel.  A plan within [program] travel_budget cannot send everyone
 * far, so the nearest sites' seats (and chairs) may bind later than the
 * four combinatorial parts of bound.c.  Prices on the sites' capacities
 * (a Lagrangian relaxation) give a lower bound on the travel of any plan
 * that finishes by a day; the first day whose bound is within the budget
 * is the part's date.  The same prices tell the planner where each pair
 * is cheapest (vd_bound_homes).
 *
 * Apart from bound.c because it is another method (a price search over
 * clinic-course groups and their nearest sites, not counting) and as
 * long as the four parts together. */
#ifndef VD_TRAVEL_PRICE_H
#define VD_TRAVEL_PRICE_H
#include "model.h"

/* One course as the pricing sees it (the bound works it out). */
struct vd_travel_course {
	unsigned days;              /* teaching days per run */
	const unsigned char *tday;  /* per day: a teaching day of the course */
	const long *cap;            /* per site: trainees a day, 0 = cannot hold it */
	const char *limit;          /* what caps the course at its sites */
	long npairs;                /* its schedulable pairs */
};

/* What the pricing is given: the program over H days, its courses, which
 * doctor-course pairs (nd x nc) any plan could schedule, and the latest
 * date of the other parts of the bound. */
struct vd_travel_input {
	const struct vd_program *p;
	int H;
	const struct vd_travel_course *course;  /* p->ncourses of them */
	const unsigned char *ok;
	vd_date date;
};

/* Sets *tb (tb->set 0 when the part has nothing to say, or the program is
 * too large to price).  home (or NULL): two sets of nd x nc sites, as
 * vd_bound_homes (bound.h) describes, filled where the part is set. */
void vd_travel_price(const struct vd_travel_input *in, struct vd_travel_bound *tb, size_t *home);
#endif

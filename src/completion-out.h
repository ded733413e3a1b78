/* completion-out.h -- what the office reports upward: completion.csv, and
 * the per township x course counts that report.txt's 培训完成情况 section
 * and plan.xlsx's 培训统计 sheet both show (one tally, so they agree).
 *
 * A pair (doctor x course) counts once, under the status of its latest
 * row (completion.h orders a pair's rows by run date, unscheduled last):
 * a missed run made up later counts as the make-up's status, so the
 * status columns add up to the required pairs.  Hours and credits add
 * up every row. */
#ifndef VD_COMPLETION_OUT_H
#define VD_COMPLETION_OUT_H
#include <stdio.h>
#include "completion.h"
#include "diag.h"
#include "model.h"

/* One township x course of the tally (or the total). */
struct vd_completion_cell {
	size_t township, course;             /* VD_NONE in the total */
	size_t required;                     /* distinct doctor x course pairs */
	size_t pairs[VD_PAIR_NSTATUS];       /* pairs by their latest row's status */
	double hours, credits;               /* summed over the rows */
};

struct vd_completion_tally {
	struct vd_completion_cell *cells;    /* by township, then course (program order) */
	size_t n;                            /* cells with a pair only */
	struct vd_completion_cell total;
};

/* Counts c's rows by township (the doctor's clinic's) and course. */
void vd_completion_tally(const struct vd_program *p, const struct vd_completion *c,
                         struct vd_completion_tally *t);
/* Frees t's cells. */
void vd_completion_tally_free(struct vd_completion_tally *t);

/* Hours or credits as completion.csv writes them: a plain decimal, at
 * most two places, no trailing zeros ("30", "7.5").  Returns buf. */
char *vd_decimal(double v, char buf[32]);

/* Writes DIR/completion.csv.  0, or -1 after vd_error. */
int vd_write_completion_csv(const struct vd_program *p, const struct vd_plan *pl,
                            const struct vd_completion *c, const char *dir, struct vd_diag *dg);

/* report.txt's 培训完成情况 section: the as-of date, the tally, totals. */
void vd_completion_report(FILE *f, const struct vd_program *p, const struct vd_completion *c);
#endif

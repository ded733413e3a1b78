/* replan.h -- filling a book with the previous plan (plan --previous).
 *
 * Minimal change comes first: every run of the previous plan that the
 * edit leaves legal is kept -- its site, dates, cohort id and the members
 * that still need it -- before any construction runs; the constructions
 * then place only the pairs that were left free.  Runs that began before
 * --freeze-before are history and are kept whatever the rules say now. */
#ifndef VD_REPLAN_H
#define VD_REPLAN_H
#include "book.h"
#include "state.h"

/* Keeps what holds of the previous plan pv in B and sets B->t0 from freeze
 * (0: none); previous members with exclude[m] set (NULL: none) are not
 * kept in their runs, unless frozen.  why[x * nc + c] gets VD_WHY_* for each previous pair of a
 * doctor and course still in the program.  Kept runs that the edit left
 * below their minimum size are appended to short_runs: the caller tops
 * them up or dissolves them. */
void vd_replan_seed(struct vd_book *B, const struct vd_prev *pv, vd_date freeze,
                    const unsigned char *exclude, unsigned char *why, struct vd_ixv *short_runs);
/* Pairs of pv, still in the program, now at another site or dates. */
size_t vd_replan_moved(const struct vd_book *B, const struct vd_prev *pv);
#endif

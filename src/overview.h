/* overview.h -- print/overview.html: the plan at a glance, in charts.
 *
 * One page (A4 landscape, inline SVG that vdsched draws itself: no script,
 * nothing fetched, so it prints and opens offline) with
 *   - each site's trainees per week (the busiest day of the week) against
 *     its seats, and its chairs or other resources used against their count;
 *   - each township's cover staff used per day against its `cover`;
 *   - per township and course: pairs done before, scheduled and left
 *     unscheduled; and pairs finished by each week against all required.
 * Every drawn bar or cell carries its figures in data-* attributes
 * (data-site, data-week, data-peak, data-seats, data-township, data-date,
 * data-used, data-cover, data-course, data-scheduled, ...), so a test reads
 * back from the rendered page what was drawn and compares it with the
 * tables. */
#ifndef VD_OVERVIEW_H
#define VD_OVERVIEW_H
#include <stdio.h>
#include "model.h"

/* Writes the whole page to f. */
void vd_overview_write(FILE *f, const struct vd_program *p, const struct vd_plan *pl);
#endif

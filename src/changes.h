/* changes.h -- what a re-plan changed for whom: changes.csv and the
 * report's re-plan section.
 *
 * A pair (doctor x course) of the previous plan is
 *   moved      now at another site, or on other first or last days;
 *   updated    same site and days, but another cohort id or instructor;
 *   dropped    no longer required (the doctor left the roster, the course
 *              is no longer loaded, or it is marked completed);
 *   cancelled  still required but it can no longer be scheduled;
 *   makeup     it missed its run before the freeze date (attendance.h) and
 *              is placed again in a later one;
 * and a pair scheduled now that was not before is added.  A move is forced
 * when the edit made the pair's old run illegal for it (VD_WHY_*). */
#ifndef VD_CHANGES_H
#define VD_CHANGES_H
#include <stdio.h>
#include "diag.h"
#include "model.h"
#include "state.h"

enum { VD_CH_MOVED, VD_CH_UPDATED, VD_CH_ADDED, VD_CH_DROPPED, VD_CH_CANCELLED, VD_CH_MAKEUP };

struct vd_change {
	const char *doctor, *name, *phone, *course;  /* borrowed from the program or pv */
	int kind;
	int forced;       /* moved because the edit made the old run illegal */
	unsigned char why;
	char *old, *new;  /* "C003 site 2026-03-02..2026-03-06", or "" */
};

struct vd_changes {
	struct vd_change *v;
	size_t n;
	size_t kept, frozen, moved, forced, updated, added, dropped, cancelled, makeup;
	size_t nwhy[16];   /* forced moves by VD_WHY_* */
	size_t ndoctors;   /* doctors with at least one change */
	struct vd_strv resumed;  /* runs in progress the edit interrupted: "C003 tcm 2026-..", */
	struct vd_strv cut;      /* going on after it, or cancelled from the freeze on */
	const char *prev_dir;
	vd_date freeze;
};

/* What the plan pl changed against the previous plan pv, into ch. */
void vd_changes_compute(const struct vd_program *p, const struct vd_plan *pl,
                        const struct vd_prev *pv, vd_date freeze, struct vd_changes *ch);
/* Doctors whose calendar changed without a pair changing (ics.c) get an
 * "updated" row; ids sorted. */
void vd_changes_add_calendars(const struct vd_program *p, struct vd_changes *ch,
                              const struct vd_strv *doctors);
/* Frees ch's rows. */
void vd_changes_free(struct vd_changes *ch);
/* changes.csv: doctor_id,doctor_name,phone,course_id,change,old,new,calendar */
int vd_changes_write(const struct vd_program *p, const struct vd_changes *ch, const char *dir,
                     struct vd_diag *dg);
/* The report's re-plan section, to f. */
void vd_changes_report(FILE *f, const struct vd_changes *ch);
#endif

/* attendance.h -- who came: the sign-in records an office types in,
 * read back ([program] attendance = FILE...) and checked against the plan
 * whose sign-in sheets they come from.
 *
 * A record says, for one doctor and one session of one run (cohort x
 * course), present, absent or excused.  Files are CSV (any encoding a
 * roster may have; English or Chinese headers) or the plan.xlsx vdsched
 * wrote, its 签到 sheet filled in.  A session with no record counts as
 * [program] attendance_default (present: an office may record absences
 * only).  Reading is two steps: vd_attendance_read checks each row on its
 * own (the doctor is on the roster, the course loaded, the date a date,
 * the status known); vd_attendance_match checks it against the previous
 * plan's runs (the run exists, the doctor was in it, the date and time are
 * one of its sessions, before --freeze-before). */
#ifndef VD_ATTENDANCE_H
#define VD_ATTENDANCE_H
#include <stddef.h>
#include "diag.h"
#include "model.h"

struct vd_prev;

enum vd_presence { VD_PRESENT, VD_ABSENT, VD_EXCUSED };

struct vd_att_row {
	size_t doctor, course;     /* program indexes */
	char *cohort;
	vd_date date;
	int start;                 /* minutes after midnight; -1: every session of the day */
	enum vd_presence status;
	const char *file;          /* borrowed from struct vd_attendance's files */
	int line;
	size_t run;                /* after matching: index into the previous plan's runs */
};

struct vd_attendance {
	struct vd_strv files;      /* the files read, globs expanded, in order */
	struct vd_att_row *rows;   /* in file order */
	size_t n;
	size_t *order;             /* after matching: rows by course, cohort, doctor, date, file order */
	enum vd_presence dflt;     /* [program] attendance_default */
};

/* Reads every [program] attendance file of p (none: an empty set).
 * Each bad row is reported (FILE:LINE: error: the value and the fix);
 * returns the number of errors. */
unsigned vd_attendance_read(const struct vd_program *p, struct vd_attendance *a,
                            struct vd_diag *dg);
/* Checks the rows against the previous plan pv (runs, members, sessions)
 * and the freeze date (0: none, then any row is an error), setting each
 * row's run.  Returns the number of errors. */
unsigned vd_attendance_match(const struct vd_program *p, const struct vd_prev *pv,
                             vd_date freeze, struct vd_attendance *a, struct vd_diag *dg);
/* How doctor x attended the session of course c's run for cohort that
 * starts at `start` on date: the last record of it, else the default. */
enum vd_presence vd_attendance_of(const struct vd_attendance *a, size_t c, const char *cohort,
                                  size_t x, vd_date date, unsigned start);
/* Frees what the two filled in. */
void vd_attendance_free(struct vd_attendance *a);

#endif

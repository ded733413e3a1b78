/* state.h -- what a plan leaves for the next re-plan (OUT/state/), and
 * reading it back.
 *
 * OUT/state/ holds CSV files (RFC 4180, UTF-8, CRLF, header row):
 *   meta.csv     key,value: format=vdsched-state, version=1, program, next_cohort
 *   runs.csv     cohort_id,course_id,site_id,instructor_id,dates (ISO, space-separated),
 *                cut (the run's days from this index on were cancelled; empty:
 *                none; absent in a plan of vdsched 0.2)
 *   members.csv  doctor_id,course_id,cohort_id,doctor_name,phone
 *   missed.csv   doctor_id,course_id,cohort_id: runs a doctor missed (the
 *                attendance fell short) and is made up in a later one;
 *                optional (a plan of vdsched 0.2 has none)
 *   events.csv   the calendars' events (ics.c)
 * A reader refuses another format or version: the files are a contract
 * between vdsched releases, documented in vdsched(1). */
#ifndef VD_STATE_H
#define VD_STATE_H
#include "diag.h"
#include "hmap.h"
#include "model.h"

#define VD_STATE_VERSION 1

struct vd_prev_run {
	char *cohort, *course, *site, *instructor;
	vd_date *dates;
	size_t ndates;
	unsigned cut;      /* days from this index on were cancelled; 0: none */
	int line;
};

struct vd_prev_member {
	char *doctor, *course, *cohort, *name, *phone;
	size_t run;        /* index into runs, VD_NONE if none matches */
};

/* A previous plan as read back. */
struct vd_prev {
	char *dir;
	char *program;
	unsigned long next_cohort;
	struct vd_prev_run *runs;       size_t nruns;
	struct vd_prev_member *members; size_t nmembers;
	struct vd_prev_member *missed;  size_t nmissed;   /* name, phone: "" */
	struct vd_hmap run_ix;          /* "course cohort" -> run */
	char **keys;                    /* the map's keys */
};

/* Writes dir/state/{meta,runs,members,missed}.csv.  0, or -1 after vd_error. */
int vd_state_write(const struct vd_program *p, const struct vd_plan *pl, const char *dir,
                   struct vd_diag *dg);
/* Reads DIR/state/.  0, or -1 after vd_error (bad input: exit 2). */
int vd_state_read(const char *dir, struct vd_prev *pv, struct vd_diag *dg);
/* Frees what vd_state_read filled in. */
void vd_prev_free(struct vd_prev *pv);
/* The run of a course and cohort, or VD_NONE. */
size_t vd_prev_run_of(const struct vd_prev *pv, const char *course, const char *cohort);
#endif

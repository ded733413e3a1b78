/* output.h -- the tables and the report, and the all-or-nothing output
 * folder.
 *
 * Everything is written into a fresh temporary folder beside the output
 * folder; only when all of it is written does one rename (an atomic
 * exchange when the folder exists) put it in place.  A run that fails or is
 * killed therefore leaves the previous outputs exactly as they were. */
#ifndef VD_OUTPUT_H
#define VD_OUTPUT_H
#include <stdio.h>
#include "diag.h"
#include "model.h"

struct vd_outdir {
	char *final;   /* the output folder */
	char *tmp;     /* where this run writes */
	int lockfd;    /* the parent folder, flock'ed while we write */
};

/* Checks the output folder and makes the temporary one.  Returns 0, or -1
 * after reporting (exit status 1). */
int vd_outdir_begin(struct vd_outdir *o, const char *final, struct vd_diag *dg);
/* Puts the temporary folder in place of the output folder. */
int vd_outdir_commit(struct vd_outdir *o, struct vd_diag *dg);
/* Removes the temporary folder (after a failure). */
void vd_outdir_abort(struct vd_outdir *o);
/* Releases the lock and frees o. */
void vd_outdir_free(struct vd_outdir *o);

/* A file of the plan: its name and what writes its content. */
struct vd_plan_file {
	const char *name;
	void (*write)(FILE *f, const struct vd_program *p, const struct vd_plan *pl);
};
/* Writes files[0 .. n) into dir, each opened and closed with fsutil.h.
 * 0, or -1 after vd_error. */
int vd_write_plan_files(const struct vd_plan_file *files, size_t n, const struct vd_program *p,
                        const struct vd_plan *pl, const char *dir, struct vd_diag *dg);
/* schedule.csv, sessions.csv, cover.csv, unscheduled.csv */
int vd_write_tables(const struct vd_program *p, const struct vd_plan *pl, const char *dir,
                    struct vd_diag *dg);
/* The rows of schedule.csv in its order (by doctor, then first day); the
 * workbook's 排班表 sheet uses the same.  *rows is malloc'd. */
struct vd_schedule_row { size_t doctor, run; };
size_t vd_schedule_rows(const struct vd_plan *pl, struct vd_schedule_row **rows);
/* report.txt, its last section comp's (completion-out.h); also printed
 * to `also` when not NULL (-v). */
struct vd_completion;
int vd_write_report(const struct vd_program *p, const struct vd_plan *pl,
                    const struct vd_completion *comp, const char *dir, FILE *also,
                    struct vd_diag *dg);
#endif

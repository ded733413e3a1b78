/* signin.h -- the sign-in sheets (签到表) and the attendance template:
 * what the office runs the program with.
 *
 * Each run (one cohort's course) gets an A4 sheet to print,
 * print/signin-COHORT-COURSE.html: one row per member who takes that
 * course, one column per session headed with its date and 上午/下午, boxes
 * to sign in, and a line for the instructor's signature.  After the
 * sessions the office types who was absent into attendance-template.csv
 * (or plan.xlsx's 签到 sheet): one row per member and session, in the
 * sheets' order, status left empty; [program] attendance reads it back.
 *
 * Order everywhere: runs as print/index.html lists them (vd_print_runs),
 * members by township, clinic, name and id, sessions as the course's
 * plugin gives them.  Apart from print.c, which holds the notices, so that
 * the sheet, the template and the workbook share one order. */
#ifndef VD_SIGNIN_H
#define VD_SIGNIN_H
#include "diag.h"
#include "model.h"

/* The columns of attendance-template.csv, as its header says them. */
#define VD_SIGNIN_CSV_HEADER \
	"doctor_id,doctor_name,clinic_id,cohort_id,course_id,date,start,session,status"

/* The rows of attendance-template.csv: one per member x session. */
size_t vd_signin_rows(const struct vd_program *p, const struct vd_plan *pl);
/* The most of them plan.xlsx's 签到 sheet holds: an Excel sheet's rows
 * below the header.  Past it the workbook has no 签到 sheet (xlsx.c): the
 * reader of [program] attendance reads that sheet alone. */
#define VD_SIGNIN_SHEET_ROWS 1048575

/* The run's members in the sheets' order (township, clinic, name, id).
 * malloc'd, run->nmembers long. */
size_t *vd_signin_members(const struct vd_program *p, const struct vd_run *run);

/* "上午" (morning) for a session that starts before noon, else "下午"
 * (afternoon), in the language of the messages; nothing reads it back. */
const char *vd_signin_half(const struct vds_session *se);

/* The run's sheet's file name in print/: "signin-C003-tcm.html".  malloc'd. */
char *vd_signin_page(const struct vd_program *p, const struct vd_run *run);

/* Writes the sheets into OUTDIR/print/ (which exists) and
 * OUTDIR/attendance-template.csv.  0, or -1 after reporting. */
int vd_write_signin(const struct vd_program *p, const struct vd_plan *pl, const char *outdir,
                    struct vd_diag *dg);
#endif

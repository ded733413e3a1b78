/* roster.h -- clinics.csv and doctors.csv (libcsv).
 *
 * Reads p->clinics_path then p->doctors_path into p->clinics / p->doctors,
 * honouring p->encoding ("gbk" converts with iconv; otherwise input must be
 * UTF-8, BOM allowed).  Resolves each clinic's township against
 * p->townships (by id or by name) and each doctor's clinic; counts
 * clinics' ndoctors.  Reports every problem as FILE:LINE: error and keeps
 * going so `check` can list them all.  Returns 0, or -1 if any error. */
#ifndef VD_ROSTER_H
#define VD_ROSTER_H
#include "diag.h"
#include "model.h"

/* Loads both files into p (see above).  0, or -1 after vd_error. */
int vd_roster_load(struct vd_program *p, struct vd_diag *dg);

#endif

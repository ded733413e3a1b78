/* planfix.h -- small programs built in memory, shared by the planner's
 * and the bound's unit tests: courses, townships, clinics (with their
 * doctors), sites, and an empty program of March-April 2026. */
#ifndef VD_PLANFIX_H
#define VD_PLANFIX_H
#include "model.h"

extern const struct vds_session two_sessions[4];
extern struct vds_course course_a;   /* aa: 2 days */
extern struct vds_course course_b;   /* bb: 2 days, after aa */
extern struct vds_course course_dent;  /* dd: 2 days, a chair per 3 */
extern struct vds_course course_wknd;  /* ww: 2 weekend days, an instructor */

void add_township(struct vd_program *p, const char *id, int cover);
/* A clinic with n doctors at (lat, lon). */
void add_clinic(struct vd_program *p, size_t tw, int n, double lat, double lon);
void add_site(struct vd_program *p, const char *id, int seats, double lat, double lon);
void add_course(struct vd_program *p, const char *name, const struct vds_course *def);
void base(struct vd_program *p);
#endif

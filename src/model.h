/* model.h -- the program, the roster and the plan, as loaded in memory.
 *
 * Ownership: struct vd_program owns every string and array reachable from
 * it (freed by vd_program_free); course definitions (struct vds_course) are
 * owned by their plugins and released through the loader.  struct vd_plan
 * owns its runs and rows (vd_plan_free).  Cross references are indexes, not
 * pointers, so arrays can grow while loading. */
#ifndef VD_MODEL_H
#define VD_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "date.h"
#include "hmap.h"
#include "vdsched/plugin.h"

#define VD_NONE ((size_t)-1)
#define VD_TRAVEL_BUDGET 0.10  /* [program] travel_budget's default (see vdsched.ini(5)) */
#define VD_RETRAIN_YEARS 2     /* [program] retrain_years' default: 乡村医生从业管理条例 Art. 33 */
#define VD_REFRESH_DEFAULT 720 /* [output] refresh's default with base_url, minutes */

/* The kinds of calendar (one per owner: ics/FOLDER/ID.ics), in the order
 * they are written. */
enum vd_calkind { VD_CALKIND_DOCTOR, VD_CALKIND_COHORT, VD_CALKIND_SITE, VD_CALKIND_INSTRUCTOR,
                  VD_NCALKINDS };

/* [output] calendars: which iCalendar folders to write, a bit per kind */
enum { VD_CAL_DOCTORS = 1 << VD_CALKIND_DOCTOR, VD_CAL_COHORTS = 1 << VD_CALKIND_COHORT,
       VD_CAL_SITES = 1 << VD_CALKIND_SITE, VD_CAL_INSTRUCTORS = 1 << VD_CALKIND_INSTRUCTOR,
       VD_CAL_ALL = (1 << VD_NCALKINDS) - 1 };

struct vd_calkind_names {
	const char *folder;  /* "doctors": ics/doctors/ID.ics, doctors/ID in state/events.csv */
	const char *word;    /* "doctor": the KIND in UIDs (ics.h) */
	const char *label;   /* put before the owner's name in the calendar's name */
};

struct vd_strv { char **v; size_t n; };

struct vd_township {
	char *id, *name;
	int cover;
	int line;            /* line in the program file; 0 if implicit */
};

struct vd_clinic {
	char *id, *name, *township_id;
	double lat, lon;
	int min_on_duty;
	int line;            /* line in clinics.csv */
	size_t township;     /* index into program.townships */
	unsigned ndoctors;   /* doctors on the roster at this clinic */
};

struct vd_doctor {
	char *id, *name, *clinic_id, *phone;
	struct vd_strv completed;
	struct vd_range *unavail;
	size_t nunavail;
	vd_date deadline;    /* last_trained + [program] retrain_years: trained before it; 0 = none */
	int line;            /* line in doctors.csv */
	size_t clinic;       /* index into program.clinics */
};

struct vd_resource_count { char *name; int count; };

struct vd_site {
	char *id, *name, *address;
	double lat, lon;
	int seats;
	struct vd_strv features;
	struct vd_resource_count *res;
	size_t nres;
	int line;
};

struct vd_instructor {
	char *id, *name;
	struct vd_strv courses;
	unsigned days;       /* VDS_* mask */
	struct vd_strv sites;  /* empty = any site of the course */
	int line;
};

struct vd_course {
	char *name;                     /* plugin name = section name */
	const struct vds_course *def;   /* owned by the plugin */
	struct vd_strv site_ids;
	size_t *sites;                  /* indexes into program.sites */
	size_t nsites;
	int any_site;                   /* no sites = : every suitable site */
	int line;
	int min_attendance;             /* [course X] min_attendance: percent of its sessions, 1..100 */
	double credits;                 /* [course X] credits; < 0: from the hours (completion.h) */
};

/* [program] attendance_default: what a session with no record counts as. */
enum vd_att_default { VD_ATT_DEFAULT_PRESENT, VD_ATT_DEFAULT_ABSENT };

struct vd_program {
	char *path;          /* the program file as given */
	char *dir;           /* its folder, for relative paths */
	char *id, *name, *timezone;
	vd_date start, end;
	unsigned teaching_days;
	vd_date *holidays;   size_t nholidays;   /* sorted */
	vd_date *workdays;   size_t nworkdays;   /* sorted; 调休 make-up days */
	struct vd_range *blackout; size_t nblackout;
	char *holidays_path, *clinics_path, *doctors_path;  /* resolved */
	char *encoding;      /* NULL/"utf-8" or "gbk" */
	int cohort_min, cohort_max;
	unsigned long seed;
	char *contact, *organizer;
	char *output_dir;    /* resolved; NULL = ./out */
	char *base_url;      /* [output] base_url, ends in '/'; NULL = none */
	int refresh;         /* [output] refresh, minutes; 0 = not written */
	enum vd_lang { VD_LANG_LOCALE, VD_LANG_ZH, VD_LANG_EN } language;  /* [output] language */
	unsigned calendars;  /* VD_CAL_* kinds to write */
	int *alarms;         /* minutes before the session */
	size_t nalarms;
	char *plugin_dir;    /* [plugins] dir, resolved */
	struct vd_strv load;
	int default_cover;
	/* [program] travel_budget: the share of travel above the nearest-site
	 * bound the planner may spend to finish earlier (0.02 = 2%) */
	double travel_budget;
	int time_limit;      /* [program] time_limit, seconds; 0 = by size */
	struct vd_strv attendance;  /* [program] attendance: files or globs, resolved */
	enum vd_att_default attendance_default;
	int retrain_years;   /* [program] retrain_years: train at least once in so many years */

	struct vd_township *townships; size_t ntownships;
	struct vd_clinic *clinics;     size_t nclinics;
	struct vd_doctor *doctors;     size_t ndoctors;
	struct vd_site *sites;         size_t nsites;
	struct vd_instructor *instructors; size_t ninstructors;
	struct vd_course *courses;     size_t ncourses;

	struct vd_hmap township_ix, clinic_ix, doctor_ix, site_ix,
	               instructor_ix, course_ix;
};

void vd_program_init(struct vd_program *p);
void vd_program_free(struct vd_program *p);

/* Is training possible on date t at all for course c (its weekdays or the
 * program's, holidays, make-up workdays, blackout, [start, end])? */
int vd_program_teaching_day(const struct vd_program *p, const struct vd_course *c,
                            vd_date t);

/* The names of each kind of calendar, by enum vd_calkind. */
extern const struct vd_calkind_names vd_calkinds[VD_NCALKINDS];
/* The kind whose folder starts calendar ("doctors/d001", a calendar's
 * name in state/events.csv), *id (when id is not NULL) pointing after its
 * '/'; VD_NCALKINDS when none does. */
enum vd_calkind vd_calkind_of(const char *calendar, const char **id);

/* Course c's id, as UIDs and the state files name it: its plugin's name,
 * which the loader makes sure is the id the course declares. */
const char *vd_course_id(const struct vd_program *p, size_t c);

void vd_strv_push(struct vd_strv *sv, const char *s);
void vd_strv_free(struct vd_strv *sv);
int vd_strv_has(const struct vd_strv *sv, const char *s);
/* Appends each word of a list (vd_list_next in words.h: blanks, , ; and
 * the full-width ， 、 ； U+3000). */
void vd_strv_split(struct vd_strv *sv, const char *s);

/* IDs: [A-Za-z0-9][A-Za-z0-9_.-]{0,63}; safe as file names. */
int vd_id_valid(const char *s);

/* ---- the plan ---- */

struct vd_run {
	size_t course, site;
	size_t instructor;     /* VD_NONE when the course needs none */
	vd_date *dates;        /* def->days teaching dates */
	size_t *members;       /* doctor indexes, ascending */
	size_t nmembers;
	char cohort[24];       /* cohort id; set before naming when kept from a previous plan */
	unsigned char kept;    /* carried over from the previous plan (re-plan) */
	unsigned char frozen;  /* began before --freeze-before: never changes */
	unsigned char dead;    /* dissolved while planning; dropped before output */
	unsigned char cut;     /* re-plan: its days from this index on were cancelled
	                        * (a run in progress the edit interrupted); 0: none */
};

/* Did run day `day` of run r take place (or will it)? */
static inline int vd_run_day_held(const struct vd_run *r, unsigned day)
{
	return !r->cut || day < r->cut;
}

struct vd_missed {
	size_t doctor, course, run;
	int now;             /* missed in this re-plan (a make-up); 0: in an earlier one */
};

struct vd_unsched {
	size_t doctor, course;
	char *reason;
};

/* Why a doctor whose two-year deadline falls in the program is not
 * trained before it (the planner's best reason; report.txt). */
enum vd_lapse_why {
	VD_LAPSE_NO_COURSE,   /* nothing left to take (every course completed) */
	VD_LAPSE_UNSCHED,     /* his courses could not be scheduled at all */
	VD_LAPSE_NO_RUN,      /* no run of his courses ends before the deadline */
	VD_LAPSE_UNAVAIL,     /* his unavailable dates cover those runs */
	VD_LAPSE_CLASH,       /* those runs clash with his other courses or their order */
	VD_LAPSE_FULL,        /* those runs are full */
	VD_LAPSE_COVER,       /* his clinic cannot spare him then (township cover) */
	VD_LAPSE_MIN_SIZE     /* moving him would leave his run below its minimum */
};

/* A doctor trained too late for his deadline (or not at all). */
struct vd_lapse {
	size_t doctor;
	vd_date deadline;
	vd_date first, first_end;  /* his earliest run's days; 0: none */
	enum vd_lapse_why why;
};

struct vd_cover_row {
	vd_date date;
	size_t township, clinic;
	int shortfall;
};

/* The bound's seats-against-travel part (bound.h): the earliest last day
 * the sites' seats and chairs allow a plan within [program]
 * travel_budget.  The planner keeps it with the plan, so that the report
 * need not weigh it again. */
struct vd_travel_bound {
	int set;
	vd_date date;        /* p->end + 1: none within the budget finishes in the period */
	size_t site;         /* the site whose seats bind most there */
	size_t course;       /* VD_NONE: its seats; else this course's own limit there */
	const char *limit;   /* and what that is: a resource (dental_chairs) */
	double need;         /* share above the nearest sites' km that finishing on the
	                      * bound's date needs (0.25 = 25%) */
	double end;          /* date not in the period: the same for finishing by its end */
};

struct vd_plan {
	struct vd_run *runs;          size_t nruns;
	struct vd_unsched *unsched;   size_t nunsched;
	struct vd_cover_row *cover;   size_t ncover;
	struct vd_lapse *lapses;      size_t nlapses;  /* deadlines in the program missed */
	size_t ndeadlines;            /* doctors whose deadline falls in the program */
	size_t nlapsed_before;        /* doctors whose deadline was before the start */
	size_t ncohorts;              /* distinct cohort ids in the plan */
	unsigned long next_cohort;    /* first cohort number never given out */
	unsigned char *replan_why;    /* re-plan: nd x nc VD_WHY_* of each previous pair, or NULL */
	size_t moved;                 /* re-plan: previous pairs whose site or dates changed */
	size_t nrequired;             /* doctor x course pairs required */
	size_t nassigned;
	double travel_km, travel_bound_km;
	/* last_day_bound is the planner's quick bound, which ignores township
	 * cover; the report shows vd_bound_compute()'s (bound.h) */
	vd_date last_day, last_day_bound;
	int time_cut;                 /* [program] time_limit stopped the search early */
	struct vd_travel_bound travel_bound;  /* set by vd_plan_build when it weighed it */
	/* re-plan with attendance: pairs that missed a run (it ended, or can no
	 * longer be completed, before the freeze date) and are made up in a
	 * later one; run indexes the missed run, still in runs (frozen) */
	struct vd_missed *missed;     size_t nmissed;
};

/* Why a pair of the previous plan was not kept as it was (re-plan). */
enum { VD_WHY_NONE, VD_WHY_KEPT, VD_WHY_FROZEN, VD_WHY_RUN, VD_WHY_SITE, VD_WHY_DATES,
       VD_WHY_INSTRUCTOR, VD_WHY_DOCTOR, VD_WHY_COVER, VD_WHY_SEATS, VD_WHY_SIZE,
       VD_WHY_MAKEUP, VD_WHY_CUT };

void vd_plan_init(struct vd_plan *pl);
void vd_plan_free(struct vd_plan *pl);

/* Great-circle distance in km (haversine, mean Earth radius). */
double vd_km(double lat1, double lon1, double lat2, double lon2);

#endif

/* config-int.h -- what the readers of the program file's sections share
 * (config.c reads most of them; config-output.c [output]; config-running.c
 * the keys of running the program).  Not for use outside config*.c. */
#ifndef VD_CONFIG_INT_H
#define VD_CONFIG_INT_H
#include "config.h"
#include "ini.h"

/* One reading of a program file. */
struct cfg_reader {
	struct vd_program *p;
	struct vd_ini *ini;
	struct vd_diag *dg;
};

#define ERR(r, sec, key, ...) \
	vd_error((r)->dg, (r)->ini->path, vd_ini_line((r)->ini, sec, key), __VA_ARGS__)

/* A whole number or a finite decimal, blanks around allowed: 0, or -1. */
int cfg_parse_long(const char *v, long *out);
int cfg_parse_double(const char *v, double *out);
/* Rejects the keys of section sec not in known (or accepted by extra),
 * suggesting the nearest. */
void cfg_check_keys(struct cfg_reader *r, const char *sec, const char *const *known,
                    int (*extra)(struct cfg_reader *, const char *sec, const char *key));
/* The path of a file named by sec:key, relative to the program; NULL
 * after reporting at the key's line when it cannot be read. */
char *cfg_readable(struct cfg_reader *r, const char *sec, const char *key, const char *v);

/* A whole number key from min to max (def when absent) into *out: 0, or
 * -1 after reporting at its line. */
int cfg_get_int(struct cfg_reader *r, const char *sec, const char *key, long def,
                long min, long max, long *out);
/* sec:key's value; NULL after reporting that sec needs it, with example. */
const char *cfg_need(struct cfg_reader *r, const char *sec, const char *key, const char *example);

/* config-program.c: the [program] section. */
void cfg_read_program(struct cfg_reader *r);
/* The weekday word (mon .. sun) nearest word, or NULL. */
const char *cfg_weekday_near(const char *word);

/* config-output.c: the [output] section. */
void cfg_read_output(struct cfg_reader *r);
/* config-running.c: [program] attendance and attendance_default. */
void cfg_read_attendance_keys(struct cfg_reader *r);
/* config-running.c: [course X] min_attendance and credits into c. */
void cfg_read_course_completion(struct cfg_reader *r, const char *sec, struct vd_course *c);
#endif

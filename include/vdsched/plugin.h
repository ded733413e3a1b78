/*
 * vdsched/plugin.h -- the boundary between vdsched and its course plugins.
 *
 * A course plugin is one shared object that exports exactly one symbol,
 * VDS_PLUGIN_SYMBOL ("vdsched_plugin"), a const struct vds_plugin.  The host
 * checks the ABI numbers in it before it calls anything, then calls init()
 * once with a table of host functions and a course to fill in.
 *
 * Compatibility rules (as SQLite does with sqlite3_api_routines):
 *  - struct vds_host starts with its own size; new functions are only ever
 *    appended.  A plugin built against minor N may use the entries of minor N
 *    and must check host->size before using anything newer.
 *  - struct vds_course starts with the size the plugin was built with; the
 *    host ignores what it does not know and zero-fills what the plugin does
 *    not know.
 *  - A host refuses a plugin whose ABI major differs or whose minor is newer
 *    than the host's.
 *
 * Everything a plugin hands the host (strings, arrays) must stay valid until
 * its fini() is called.
 */
#ifndef VDSCHED_PLUGIN_H
#define VDSCHED_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VDS_ABI_MAJOR 1
#define VDS_ABI_MINOR 0
#define VDS_PLUGIN_SYMBOL "vdsched_plugin"

#if defined(__GNUC__)
#define VDS_EXPORT __attribute__((visibility("default")))
#define VDS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VDS_EXPORT
#define VDS_PRINTF(a, b)
#endif

/* Weekday bits for vds_course.weekdays and instructors' days. */
enum {
	VDS_MON = 1u << 0, VDS_TUE = 1u << 1, VDS_WED = 1u << 2,
	VDS_THU = 1u << 3, VDS_FRI = 1u << 4, VDS_SAT = 1u << 5,
	VDS_SUN = 1u << 6,
	VDS_WEEKDAYS = 0x1fu, VDS_WEEKEND = 0x60u, VDS_ALLDAYS = 0x7fu
};

/* The host's handle for one plugin and its [course NAME] section. */
struct vds_ctx;

/* One session of a run: run day `day` (0 = first teaching day of the run),
 * from `start` to `end` minutes after local midnight. */
struct vds_session {
	unsigned day;
	unsigned start, end;
	const char *title;        /* short, shown as "课程 — title" */
	const char *module;       /* the module or technique taught */
	const char *description;  /* what is practised; may be NULL */
};

/* A countable site resource a run needs, e.g. dental_chairs.  A run of n
 * trainees uses ceil(n / per) units, or one unit when per is 0; runs held at
 * one site on one day never use more units than the site has. */
struct vds_resource {
	const char *name;
	unsigned per;
};

/* What eligible() may look at. */
struct vds_doctor_view {
	const char *id;
	const char *name;
	const char *clinic_id;
	const char *township;
	const char *const *completed;  /* course ids already done */
	size_t ncompleted;
};

struct vds_course {
	size_t size;              /* set by the host to its sizeof before init;
	                           * a plugin may set its own sizeof after */
	const char *id;           /* defaults to the plugin's name */
	const char *title;        /* e.g. "中医适宜技术" */
	const char *lang;         /* BCP 47 of titles, e.g. "zh-CN" */
	const char *category;     /* iCalendar CATEGORIES */
	const char *bring;        /* what to bring to every session */
	unsigned days;            /* teaching days per run, >= 1 */
	unsigned weekdays;        /* VDS_* mask of allowed days; 0 = program's */
	unsigned max_span;        /* run must fit in this many calendar days; 0 = any */
	const struct vds_session *sessions;
	size_t nsessions;
	unsigned min_size, max_size;  /* 0 = program cohort bounds */
	const char *const *features;  /* site features required */
	size_t nfeatures;
	const struct vds_resource *resources;
	size_t nresources;
	const char *const *prereqs;   /* course ids to finish before */
	size_t nprereqs;
	int needs_instructor;         /* each run needs one instructor */
	/* Returns 1 if the doctor takes the course, 0 if not (then *why says
	 * why, in the course's language).  NULL means everyone. */
	int (*eligible)(void *state, const struct vds_doctor_view *d,
	                const char **why);
	void *state;                  /* the plugin's own, freed by fini() */
};

struct vds_host {
	size_t size;                  /* sizeof(struct vds_host) of the host */
	unsigned abi_major, abi_minor;
	/* The raw value of `key` in this plugin's [course NAME] section, or
	 * NULL when absent. */
	const char *(*get)(struct vds_ctx *ctx, const char *key);
	/* Report a problem at the line of `key` (or the section when key is
	 * NULL or absent).  Any error makes init fail. */
	void (*error)(struct vds_ctx *ctx, const char *key, const char *fmt, ...)
		VDS_PRINTF(3, 4);
	void (*warning)(struct vds_ctx *ctx, const char *key, const char *fmt, ...)
		VDS_PRINTF(3, 4);
	/* Reject keys of the section not in the NULL-terminated `known` list,
	 * suggesting the nearest; returns the number rejected. */
	int (*check_keys)(struct vds_ctx *ctx, const char *const *known);
	/* Integer option in [min, max]; absent gives def.  Returns 0, or -1
	 * after reporting the bad value at its line. */
	int (*get_int)(struct vds_ctx *ctx, const char *key, long def,
	               long min, long max, long *out);
	/* Weekday list ("sat sun", "mon-fri") into a VDS_* mask; absent
	 * gives def.  Returns 0, or -1 after reporting. */
	int (*get_days)(struct vds_ctx *ctx, const char *key, unsigned def,
	                unsigned *out);
	/* Boolean option (yes/no, true/false, 1/0). */
	int (*get_bool)(struct vds_ctx *ctx, const char *key, int def, int *out);
	/* The course name from the section header, i.e. the plugin name. */
	const char *(*name)(struct vds_ctx *ctx);
};

struct vds_plugin {
	unsigned abi_major, abi_minor;  /* VDS_ABI_MAJOR, VDS_ABI_MINOR */
	const char *name;               /* must equal the file's base name */
	const char *version;
	const char *description;
	/* Read options through host, fill *course.  Returns 0 on success. */
	int (*init)(const struct vds_host *host, struct vds_ctx *ctx,
	            struct vds_course *course);
	/* Free what init allocated; may be NULL. */
	void (*fini)(struct vds_course *course);
};

/* Declare the plugin's descriptor:
 *     VDS_PLUGIN_DEFINE = { VDS_ABI_MAJOR, VDS_ABI_MINOR, "tcm", ... };  */
#define VDS_PLUGIN_DEFINE \
	VDS_EXPORT extern const struct vds_plugin vdsched_plugin; \
	const struct vds_plugin vdsched_plugin

#ifdef __cplusplus
}
#endif
#endif

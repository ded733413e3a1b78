/* plugutil.h -- plumbing shared by the course plugins in plugins/.
 *
 * Compiled into each plugin (a libtool convenience library built with
 * -fvisibility=hidden), so none of it is exported from a plugin's .so: a
 * plugin still exports only vdsched_plugin.  The names are prefixed pu_ so
 * they cannot clash with a plugin's own.  Third-party plugins such as
 * etc/example-plugin/firstaid.c do not use this; it is not part of the ABI.
 *
 * Everything a plugin hands the host lives in a struct pu_arena that is the
 * FIRST member of the plugin's state struct: blocks are registered with
 * pu_own() and freed together, with the state, by pu_fini(), which serves as
 * every plugin's fini. */
#ifndef VDSCHED_PLUGUTIL_H
#define VDSCHED_PLUGUTIL_H

#include <stddef.h>
#include <vdsched/plugin.h>
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif

/* Messages.  The shipped plugins' messages are in vdsched's own catalogue
 * (po/), so they use its text domain explicitly: dgettext, not gettext,
 * whose default domain belongs to whatever program loaded the plugin.  The
 * host binds the domain in main(); the plugins never bind it themselves.
 * Third-party plugins bind a domain of their own: see vdsched-plugin(7). */
#if ENABLE_NLS
#include <libintl.h>
#define _(s) dgettext(PACKAGE, s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

/* Blocks owned by one course, freed together. */
struct pu_arena {
	void **owned;
	size_t n, cap;
};

/* Registers p (from malloc) with the arena and returns it.  NULL when p is
 * NULL, or (after freeing p) when the arena cannot grow. */
void *pu_own(struct pu_arena *a, void *p);

/* An owned, formatted string; NULL when out of memory. */
char *pu_printf(struct pu_arena *a, const char *fmt, ...) VDS_PRINTF(2, 3);

/* Splits an owned copy of s (NULL counts as "") into words, exactly as
 * the core splits its lists (src/words.h: blanks, commas, semicolons and
 * the full-width ， 、 ； and U+3000); *n gets the count.  The returned array is owned
 * too.  NULL when out of memory. */
char **pu_split(struct pu_arena *a, const char *s, size_t *n);

/* 1 if s is an id: 1 to 64 letters, digits, '_', '.', '-', starting with a
 * letter or digit. */
int pu_id_valid(const char *s);

/* Frees every owned block and the arena's own array. */
void pu_arena_free(struct pu_arena *a);

/* Reports "out of memory" at the section and returns -1, for init's
 * `oom:` exit. */
int pu_oom(const struct vds_host *h, struct vds_ctx *ctx);

/* The start of every init: checks the host's and the course's ABI (returns
 * NULL silently when they do not fit), allocates SIZE zeroed bytes of state
 * and hangs them on course->state, so fini frees them even when init fails
 * later.  NULL after reporting "out of memory". */
void *pu_state_new(const struct vds_host *h, struct vds_ctx *ctx,
                   struct vds_course *course, size_t size);

/* The plugins' fini: frees course->state (a struct whose first member is
 * its struct pu_arena), everything in the arena, and clears the state and
 * every array the course handed the host.  Nothing when state is NULL. */
void pu_fini(struct vds_course *course);

/* The descriptor of a plugin built on these helpers: the ABI numbers it was
 * built with, and pu_fini as its fini.  Use once, at file scope:
 *     PU_PLUGIN_DEFINE("tcm", "1.0", "中医适宜技术 / ...", tcm_init);  */
#define PU_PLUGIN_DEFINE(NAME, VERSION, DESCRIPTION, INIT) \
	VDS_PLUGIN_DEFINE = { \
		.abi_major = VDS_ABI_MAJOR, \
		.abi_minor = VDS_ABI_MINOR, \
		.name = NAME, \
		.version = VERSION, \
		.description = DESCRIPTION, \
		.init = INIT, \
		.fini = pu_fini, \
	}

/* Reports each of v[0..n) that is not an id, at option KEY:
 * "KEY: 'x' is not a WHAT (letters, digits, '_', '.', '-')".
 * Returns 1 if any was reported, else 0. */
int pu_check_ids(const struct vds_host *h, struct vds_ctx *ctx, const char *key,
                 const char *what, char *const *v, size_t n);

/* Reports each of req[0..n) that is the course's own name ("requires: a
 * course cannot require itself").  Returns 1 if any was reported, else 0.
 * pediatrics checks its lists with pu_check_ids first and this after them;
 * pu_check_requires does both word by word. */
int pu_check_self(const struct vds_host *h, struct vds_ctx *ctx,
                  char *const *req, size_t n);

/* Both checks of the `requires` list, word by word in order: a word that is
 * not a course id is reported as such, else one naming the course itself.
 * Returns 1 if anything was reported, else 0. */
int pu_check_requires(const struct vds_host *h, struct vds_ctx *ctx,
                      char *const *req, size_t n);

#endif

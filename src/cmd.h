/* cmd.h -- the command table: one cmd-NAME.c per command, as tmux does.
 *
 * main.c parses the options common to every command into struct
 * vd_cmd_opts, finds the command by name in vd_cmds[] and runs its exec.
 * A command returns its exit status (VD_EXIT_*). */
#ifndef VD_CMD_H
#define VD_CMD_H
#include <stdint.h>
#include "diag.h"

enum { VD_EXIT_OK = 0, VD_EXIT_USAGE = 1, VD_EXIT_INPUT = 2, VD_EXIT_PARTIAL = 3 };

struct vd_cmd_opts {
	const char *config, *output, *plugin_dir;
	const char *previous;       /* plan --previous DIR */
	const char *freeze_before;  /* plan --freeze-before DATE */
	const char *url;            /* publish --url URL */
	const char *jobs;           /* plan and publish --jobs N, checked by the command */
	const char *retries;        /* publish --retries N, checked by the command */
	int dry_run;                /* publish --dry-run */
	int seed_set, quiet, verbose;
	unsigned long seed;
};

struct vd_cmd {
	const char *name;
	int (*exec)(const struct vd_cmd_opts *o, struct vd_diag *dg);
};

extern const struct vd_cmd vd_cmds[];  /* ends with { NULL, NULL } */
const struct vd_cmd *vd_cmd_find(const char *name);

struct vd_program;
struct vd_plugins;
/* What a command does with a program that loaded and checked clean:
 * returns the exit status. */
typedef int vd_cmd_body(const struct vd_cmd_opts *o, struct vd_program *p, struct vd_diag *dg);
/* Reads the program file, loads the plugins and the rosters, checks them,
 * and runs body on them when all is well; says nothing was written when
 * not.  Returns body's status, or VD_EXIT_INPUT (bad input, all of it
 * reported) or VD_EXIT_USAGE (unreadable file, plugin failure). */
int vd_cmd_on_program(const struct vd_cmd_opts *o, vd_cmd_body *body, struct vd_diag *dg);
/* --freeze-before into *out (0 when not given): a date inside the
 * program, and only with --previous.  0, or -1 after vd_error. */
int vd_cmd_freeze(const struct vd_cmd_opts *o, const struct vd_program *p, int32_t *out,
                  struct vd_diag *dg);
/* An option's count (--jobs, --retries): a whole number in [min, max],
 * else def when not given; -1 after vd_error. */
int vd_cmd_count(const char *name, const char *v, int def, int min, int max,
                 struct vd_diag *dg);
/* DTSTAMP for new or changed events: SOURCE_DATE_EPOCH, else now. */
long long vd_cmd_dtstamp(struct vd_diag *dg);

int vd_cmd_check(const struct vd_cmd_opts *o, struct vd_diag *dg);
int vd_cmd_plan(const struct vd_cmd_opts *o, struct vd_diag *dg);
int vd_cmd_plugins(const struct vd_cmd_opts *o, struct vd_diag *dg);
int vd_cmd_publish(const struct vd_cmd_opts *o, struct vd_diag *dg);
#endif

/* main.c -- the vdsched command: check, plan, plugins, publish. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cmd.h"
#include "config.h"
#include "diag.h"
#include "ics.h"
#include "ini.h"
#include "loader.h"
#include "model.h"
#include "output.h"
#include "planner.h"
#include "roster.h"
#include "xalloc.h"
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif

enum { EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_PARTIAL = 3 };

static void usage(FILE *f)
{
	fputs(_("Usage: vdsched [OPTIONS] COMMAND\n"
	        "Schedule rotating training for village doctors (乡村医生培训排班).\n\n"
	        "Commands:\n"
	        "  check     validate the config, the roster and the plugins; report every problem\n"
	        "  plan      build the schedule and write all outputs\n"
	        "  plugins   list the course plugins found: name, version, ABI, file, description\n"
	        "  publish   send the output folder's calendars to a CalDAV server\n\n"
	        "Options:\n"
	        "  -c, --config FILE     program file (default ./vdsched.ini)\n"
	        "  -o, --output DIR      output folder (default: [output] dir, else ./out)\n"
	        "      --plugin-dir DIR  look for plugins here first (also VDSCHED_PLUGIN_DIR)\n"
	        "      --seed N          override [program] seed\n"
	        "  -q, --quiet           only errors\n"
	        "  -v, --verbose         print the report and quality figures (publish: each request)\n"
	        "      --url URL         publish: the CalDAV collection (also VDSCHED_CALDAV_URL)\n"
	        "      --dry-run         publish: list the server, print what would be sent, send nothing\n"
	        "      --help            this text\n"
	        "      --version         print the version\n\n"
	        "Exit status: 0 all scheduled, 1 usage/I-O/plugin failure, 2 invalid input,\n"
	        "3 plan written but some doctor x course pairs unscheduled.\n"
	        "See vdsched(1) and vdsched.ini(5).\n"), f);
}

struct opts {
	const char *config, *output, *plugin_dir, *command, *url;
	int seed_set, quiet, verbose, dry_run;
	unsigned long seed;
};

/* Loads and checks everything; returns 0, EXIT_INPUT or EXIT_USAGE. */
static int load_all(const struct opts *o, struct vd_program *p, struct vd_plugins *ps,
                    struct vd_diag *dg)
{
	struct vd_ini *ini = vd_ini_open(o->config, dg);
	struct stat st;
	if (!ini)  /* unreadable is an I/O failure; unparsable is bad input */
		return access(o->config, R_OK) || stat(o->config, &st) || S_ISDIR(st.st_mode)
		       ? EXIT_USAGE : EXIT_INPUT;
	int input_bad = vd_config_read(p, ini, dg) != 0;
	if (o->seed_set)
		p->seed = o->seed;
	vd_plugins_init(ps, o->plugin_dir, getenv("VDSCHED_PLUGIN_DIR"), p->plugin_dir);
	int lrc = vd_plugins_load(ps, p, ini, dg);  /* <0 plugin failure, >0 bad options */
	int plugin_bad = lrc < 0;
	input_bad |= lrc > 0;
	if (!lrc)
		input_bad |= vd_config_check_courses(p, ini, dg) != 0;
	vd_ini_close(ini);
	if (p->clinics_path && p->doctors_path)
		input_bad |= vd_roster_load(p, dg) != 0;
	if (!input_bad && !plugin_bad)
		vd_plan_precheck(p, dg);
	if (plugin_bad)
		return EXIT_USAGE;
	return input_bad ? EXIT_INPUT : 0;
}

static long long dtstamp(struct vd_diag *dg)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && v >= 0)
			return v;
		vd_warning(dg, NULL, 0, _("SOURCE_DATE_EPOCH '%s' is not a number of seconds; using the current time"), s);
	}
	return (long long)time(NULL);
}

static int cmd_plan(const struct opts *o, struct vd_program *p, struct vd_diag *dg)
{
	struct vd_plan pl;
	struct vd_plan_opts po = { o->verbose, isatty(2), 0 };
	struct vd_outdir od;
	const char *out = o->output ? o->output : p->output_dir ? p->output_dir : "out";
	long long stamp = dtstamp(dg);

	if (vd_outdir_begin(&od, out, dg)) {
		vd_outdir_free(&od);
		return EXIT_USAGE;
	}
	vd_plan_build(p, &po, &pl, dg);
	int bad = vd_write_tables(p, &pl, od.tmp, dg) != 0;
	bad = bad || vd_write_report(p, &pl, od.tmp, o->verbose ? stdout : NULL, dg) != 0;
	bad = bad || vd_ics_write_all(p, &pl, od.tmp, stamp, dg) != 0;
	bad = bad || vd_outdir_commit(&od, dg) != 0;
	if (bad) {
		vd_outdir_abort(&od);
		fprintf(stderr, _("vdsched: nothing was written to %s; what was there is unchanged\n"), od.final);
		vd_outdir_free(&od);
		vd_plan_free(&pl);
		return EXIT_USAGE;
	}
	if (!o->quiet) {
		printf(_("planned %zu of %zu doctor x course pairs in %zu runs; %zu unscheduled\n"),
		       pl.nassigned, pl.nrequired, pl.nruns, pl.nunsched);
		printf(_("tables and report: %s/\ncalendars: %s/ics/ (doctors, cohorts, sites, instructors)\n"),
		       od.final, od.final);
	}
	int rc = pl.nunsched ? EXIT_PARTIAL : 0;
	if (pl.nunsched && !o->quiet)
		fprintf(stderr, _("vdsched: %zu pairs could not be scheduled; reasons in %s/unscheduled.csv\n"),
		        pl.nunsched, od.final);
	vd_outdir_free(&od);
	vd_plan_free(&pl);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "plugin-dir", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 'S' },
		{ "url", required_argument, NULL, 'U' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 } };
	struct opts o = { .config = "vdsched.ini" };
	int ch;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:o:qv", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o.config = optarg; break;
		case 'o': o.output = optarg; break;
		case 'P': o.plugin_dir = optarg; break;
		case 'S': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				fprintf(stderr, _("vdsched: error: --seed '%s' must be a non-negative whole number\n"), optarg);
				return EXIT_USAGE;
			}
			o.seed = v;
			o.seed_set = 1;
			break;
		}
		case 'U': o.url = optarg; break;
		case 'D': o.dry_run = 1; break;
		case 'q': o.quiet = 1; break;
		case 'v': o.verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("vdsched %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, VDS_ABI_MAJOR, VDS_ABI_MINOR); return 0;
		default:
			fprintf(stderr, _("vdsched: error: unknown or incomplete option '%s'; see vdsched --help\n"),
			        argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, optind == argc ? _("vdsched: error: no command; use check, plan, plugins or publish\n")
		                               : _("vdsched: error: one command at a time; see vdsched --help\n"));
		return EXIT_USAGE;
	}
	o.command = argv[optind];
	if (strcmp(o.command, "check") && strcmp(o.command, "plan") && strcmp(o.command, "plugins") &&
	    strcmp(o.command, "publish")) {
		fprintf(stderr, _("vdsched: error: unknown command '%s'; use check, plan, plugins or publish\n"), o.command);
		return EXIT_USAGE;
	}

	struct vd_diag dg;
	vd_diag_init(&dg, stderr);
	dg.quiet = o.quiet;
	struct vd_program p;
	struct vd_plugins ps;
	vd_program_init(&p);
	memset(&ps, 0, sizeof ps);
	int rc;

	if (!strcmp(o.command, "publish")) {
		struct vd_cmd_opts co = { .config = o.config, .output = o.output, .url = o.url,
		                          .dry_run = o.dry_run, .quiet = o.quiet, .verbose = o.verbose };
		return vd_cmd_publish(&co, &dg);
	}
	if (!strcmp(o.command, "plugins")) {
		/* The program file only adds its [plugins] dir, if it exists. */
		const char *pdir = NULL;
		struct vd_ini *ini = NULL;
		char *joined = NULL;
		if (access(o.config, R_OK) == 0 && (ini = vd_ini_open(o.config, &dg))) {
			const char *d = vd_ini_get(ini, "plugins", "dir");
			if (d && *d) {
				const char *slash = strrchr(o.config, '/');
				char *dir = slash ? xstrndup(o.config, (size_t)(slash - o.config)) : xstrdup(".");
				pdir = joined = vd_path_join(dir, d);
				free(dir);
			}
		}
		vd_plugins_init(&ps, o.plugin_dir, getenv("VDSCHED_PLUGIN_DIR"), pdir);
		rc = vd_plugins_list(&ps, stdout, &dg) ? EXIT_USAGE : 0;
		vd_plugins_free(&ps);
		vd_ini_close(ini);
		free(joined);
		return rc;
	}

	rc = load_all(&o, &p, &ps, &dg);
	if (rc == 0 && !strcmp(o.command, "check")) {
		if (!o.quiet)
			printf(_("%s: ok: %zu doctors, %zu clinics, %zu townships, %zu sites, %zu courses; %u warning(s)\n"),
			       o.config, p.ndoctors, p.nclinics, p.ntownships, p.nsites, p.ncourses, dg.warnings);
	} else if (rc == 0) {
		rc = cmd_plan(&o, &p, &dg);
	} else {
		fprintf(stderr, _("vdsched: %u error(s); nothing was written\n"), dg.errors);
	}
	vd_program_free(&p);
	vd_plugins_free(&ps);
	return rc;
}

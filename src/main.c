/* main.c -- the vdsched command: options, then one command of the table
 * in cmd.c (one cmd-NAME.c each). */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "diag.h"
#include "vdsched/plugin.h"
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif

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
	        "      --previous DIR    plan: change the plan in DIR (an earlier output folder,\n"
	        "                        may be the -o folder) as little as the edit allows\n"
	        "      --freeze-before DATE\n"
	        "                        plan --previous: nothing before DATE changes\n"
	        "      --url URL         publish: the CalDAV collection (also VDSCHED_CALDAV_URL)\n"
	        "      --dry-run         publish: list the server, print what would be sent, send nothing\n"
	        "      --jobs N          plan: outputs written at once (default: the processors, up to 3);\n"
	        "                        publish: requests in flight at once (default 8)\n"
	        "      --retries N       publish: tries again after a transient fault (default 6)\n"
	        "  -q, --quiet           only errors\n"
	        "  -v, --verbose         print the report and quality figures (publish: each request)\n"
	        "      --help            this text\n"
	        "      --version         print the version\n\n"
	        "Exit status: 0 all scheduled, 1 usage/I-O/plugin failure, 2 invalid input,\n"
	        "3 plan written but some doctor x course pairs unscheduled.\n"
	        "See vdsched(1) and vdsched.ini(5).\n"), f);
}

int main(int argc, char **argv)
{
	enum { O_PLUGIN_DIR = 256, O_SEED, O_PREVIOUS, O_FREEZE, O_URL, O_DRY_RUN, O_JOBS, O_RETRIES, O_HELP, O_VERSION };
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "plugin-dir", required_argument, NULL, O_PLUGIN_DIR },
		{ "seed", required_argument, NULL, O_SEED },
		{ "previous", required_argument, NULL, O_PREVIOUS },
		{ "freeze-before", required_argument, NULL, O_FREEZE },
		{ "url", required_argument, NULL, O_URL },
		{ "dry-run", no_argument, NULL, O_DRY_RUN },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 } };
	struct vd_cmd_opts o = { .config = "vdsched.ini" };
	int ch;
	/* Messages in the user's language; numbers in the files and the
	 * tables always use '.', whatever the locale. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
#if ENABLE_NLS
	/* VDSCHED_LOCALEDIR: the catalogues of a build tree (make check). */
	const char *localedir = getenv("VDSCHED_LOCALEDIR");
	bindtextdomain(PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
	textdomain(PACKAGE);
#endif
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:o:qv", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o.config = optarg; break;
		case 'o': o.output = optarg; break;
		case O_PLUGIN_DIR: o.plugin_dir = optarg; break;
		case O_PREVIOUS: o.previous = optarg; break;
		case O_FREEZE: o.freeze_before = optarg; break;
		case O_URL: o.url = optarg; break;
		case O_DRY_RUN: o.dry_run = 1; break;
		case O_JOBS: o.jobs = optarg; break;
		case O_RETRIES: o.retries = optarg; break;
		case O_SEED: {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				fprintf(stderr, _("vdsched: error: --seed '%s' must be a non-negative whole number\n"), optarg);
				return VD_EXIT_USAGE;
			}
			o.seed = v;
			o.seed_set = 1;
			break;
		}
		case 'q': o.quiet = 1; break;
		case 'v': o.verbose = 1; break;
		case O_HELP: usage(stdout); return 0;
		case O_VERSION:
			printf("vdsched %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, VDS_ABI_MAJOR, VDS_ABI_MINOR);
			return 0;
		default:
			fprintf(stderr, _("vdsched: error: unknown or incomplete option '%s'; see vdsched --help\n"),
			        argv[optind - 1]);
			return VD_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, optind == argc ? _("vdsched: error: no command; use check, plan, plugins or publish\n")
		                               : _("vdsched: error: one command at a time; see vdsched --help\n"));
		return VD_EXIT_USAGE;
	}
	const struct vd_cmd *cmd = vd_cmd_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, _("vdsched: error: unknown command '%s'; use check, plan, plugins or publish\n"), argv[optind]);
		return VD_EXIT_USAGE;
	}
	if ((o.previous || o.freeze_before) && strcmp(cmd->name, "plan") && strcmp(cmd->name, "check")) {
		fprintf(stderr, _("vdsched: error: --previous and --freeze-before go with plan and check\n"));
		return VD_EXIT_USAGE;
	}
	if ((o.url || o.dry_run || o.retries) && strcmp(cmd->name, "publish")) {
		fprintf(stderr, _("vdsched: error: --url, --dry-run and --retries go with publish\n"));
		return VD_EXIT_USAGE;
	}
	if (o.jobs && strcmp(cmd->name, "publish") && strcmp(cmd->name, "plan")) {
		fprintf(stderr, _("vdsched: error: --jobs goes with plan and publish\n"));
		return VD_EXIT_USAGE;
	}
	struct vd_diag dg;
	vd_diag_init(&dg, stderr);
	dg.quiet = o.quiet;
	return cmd->exec(&o, &dg);
}

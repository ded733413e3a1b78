/* config-program.c -- the [program] section: the period, teaching days,
 * holidays and blackouts, the rosters' files and the program-wide
 * numbers; and the help a wrong date, weekday or file name gets (the
 * nearest weekday, a file of nearly that name).  Apart from config.c,
 * which reads the sections of things (sites, instructors, townships,
 * courses), because a program's dates and files are a job of their own. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config-int.h"
#include "xalloc.h"
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#ifndef ZONEINFO_DIR
#define ZONEINFO_DIR "/usr/share/zoneinfo"
#endif

static const char *const program_keys[] = {
	"id", "name", "timezone", "start", "end", "teaching_days", "holidays",
	"blackout", "clinics", "doctors", "encoding", "cohort_max", "cohort_min",
	"seed", "contact", "organizer", "travel_budget", "time_limit", "attendance",
	"attendance_default", "retrain_years", NULL };

static int parse_date_key(struct cfg_reader *r, const char *sec, const char *key, const char *example,
                          vd_date *out)
{
	const char *v = cfg_need(r, sec, key, example);
	if (!v)
		return -1;
	int e = vd_date_parse(v, out);
	if (e == -3) {
		ERR(r, sec, key, _("%s '%s' is not a valid date: there is no such day; check the month and the day"), key, v);
		return -1;
	}
	if (e) {
		ERR(r, sec, key, _("%s '%s' is not a valid date; write it as %s"), key, v, _(VD_DATE_FORMS));
		return -1;
	}
	return 0;
}

/* Parses a list of dates/ranges into *out. */
static int parse_ranges(struct cfg_reader *r, const char *file, int line, const char *key,
                        const char *v, struct vd_range **out, size_t *n)
{
	struct vd_strv w = { 0 };
	int bad = 0;
	vd_strv_split(&w, v);
	for (size_t i = 0; i < w.n; i++) {
		struct vd_range rg;
		int e = vd_range_parse(w.v[i], &rg);
		if (e == -2) {
			vd_error(r->dg, file, line, _("%s: range '%s' ends before it starts; write A..B with A <= B"), key, w.v[i]);
			bad = 1;
		} else if (e == -3) {
			vd_error(r->dg, file, line, _("%s: '%s' is not a date or range: there is no such day; check the month and the day"), key, w.v[i]);
			bad = 1;
		} else if (e) {
			vd_error(r->dg, file, line, _("%s: '%s' is not a date or range; write a date as %s, a range as %s"),
			         key, w.v[i], _(VD_DATE_FORMS), _(VD_RANGE_FORMS));
			bad = 1;
		} else {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = rg;
		}
	}
	vd_strv_free(&w);
	return bad ? -1 : 0;
}

static int cmp_date(const void *a, const void *b)
{
	vd_date x = *(const vd_date *)a, y = *(const vd_date *)b;
	return (x > y) - (x < y);
}

static void ranges_to_dates(const struct vd_range *rg, size_t n, vd_date **out, size_t *nout)
{
	for (size_t i = 0; i < n; i++)
		for (vd_date t = rg[i].a; t <= rg[i].b; t++) {
			*out = xreallocarray(*out, *nout + 1, sizeof **out);
			(*out)[(*nout)++] = t;
		}
	if (*nout)
		qsort(*out, *nout, sizeof **out, cmp_date);
}

static void read_holidays(struct cfg_reader *r, const char *path)
{
	struct vd_ini *h = vd_ini_open(path, r->dg);
	if (!h)
		return;
	struct cfg_reader hr = { r->p, h, r->dg };
	static const char *const hkeys[] = { "off", "workdays", NULL };
	for (size_t i = 0; i < h->nsecs; i++)
		if (strcmp(h->secs[i].name, "holidays") != 0)
			vd_error(r->dg, path, h->secs[i].line,
			         _("unknown section [%s]; a holidays file has only [holidays] with off = and workdays ="),
			         h->secs[i].name);
	cfg_check_keys(&hr, "holidays", hkeys, NULL);
	struct vd_range *rg = NULL;
	size_t n = 0;
	const char *v;
	if ((v = vd_ini_get(h, "holidays", "off")))
		parse_ranges(&hr, path, vd_ini_line(h, "holidays", "off"), "off", v, &rg, &n);
	ranges_to_dates(rg, n, &r->p->holidays, &r->p->nholidays);
	free(rg);
	rg = NULL;
	n = 0;
	if ((v = vd_ini_get(h, "holidays", "workdays")))
		parse_ranges(&hr, path, vd_ini_line(h, "holidays", "workdays"), "workdays", v, &rg, &n);
	ranges_to_dates(rg, n, &r->p->workdays, &r->p->nworkdays);
	free(rg);
	vd_ini_close(h);
}

/* The weekday a word that is not one was likely meant as: an English
 * name written out (saturday, Sat.) or a typo (fry); NULL if none. */
const char *cfg_weekday_near(const char *word)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };
	static const char *const full[] = { "monday", "tuesday", "wednesday", "thursday", "friday",
	                                    "saturday", "sunday", NULL };
	size_t n = strlen(word);
	if (n > 3 && word[n - 1] == '.')
		n--;
	for (size_t i = 0; full[i]; i++)
		if (n >= 3 && n <= strlen(full[i]) && !strncasecmp(word, full[i], n))
			return days[i];
	return strchr(word, '-') ? NULL : vd_nearest(word, days);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Do a and b have the same bytes, in any order? */
static int same_letters(const char *a, const char *b)
{
	size_t count[256] = { 0 };
	for (; *a; a++)
		count[(unsigned char)*a]++;
	for (; *b; b++)
		if (!count[(unsigned char)*b]--)
			return 0;
	for (size_t i = 0; i < 256; i++)
		if (count[i])
			return 0;
	return 1;
}

/* A file beside the missing one v (relative to dir) whose name is a likely
 * typo of v's, as v would name it (cn-2062.ini -> ../holidays/cn-2026.ini);
 * NULL when none.  The caller frees it. */
static char *nearby_file(const char *dir, const char *v)
{
	const char *slash = strrchr(v, '/');
	char *sub = slash ? xstrndup(v, (size_t)(slash - v + 1)) : xstrdup("");
	char *folder = vd_path_join(dir, *sub ? sub : ".");
	DIR *d = opendir(folder);
	char *found = NULL;
	if (d) {
		struct vd_near g;
		struct dirent *e;
		vd_near_init(&g, slash ? slash + 1 : v);
		char **names = NULL;
		size_t n = 0, cap = 0;
		while ((e = readdir(d)) && n < 1000) {
			if (e->d_name[0] == '.')
				continue;
			xgrow(&names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
		closedir(d);
		/* the first nearest wins: not readdir's order, and names with
		 * the same letters first (cn-2062.ini: cn-2026.ini, not cn-2025.ini) */
		qsort(names, n, sizeof *names, cmp_str);
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < n; i++)
				if (pass || same_letters(names[i], slash ? slash + 1 : v))
					vd_near_try(&g, names[i]);
		if (g.pick)
			found = xasprintf("%s%s", sub, g.pick);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	free(folder);
	free(sub);
	return found;
}

/* The path of a file named by section:key, relative to the program; NULL
 * after reporting at the key's line when it cannot be read.  A workbook's
 * sheet may follow the name (名单.xlsx#村医): then the part before the
 * last '#' must be readable, unless a file has the whole name. */
char *cfg_readable(struct cfg_reader *r, const char *sec, const char *key, const char *v)
{
	char *path = vd_path_join(r->p->dir, v);
	const char *hash = strrchr(path, '#');
	char *file = hash && access(path, F_OK) != 0 ? xstrndup(path, (size_t)(hash - path)) : NULL;
	struct stat st;
	const char *why = NULL;
	int gone = 0;
	if (stat(file ? file : path, &st) != 0 || access(file ? file : path, R_OK) != 0) {
		gone = errno == ENOENT;
		why = strerror(errno);
	}
	else if (S_ISDIR(st.st_mode))
		why = _("it is a folder");
	free(file);
	if (!why)
		return path;
	char *near = gone && !hash ? nearby_file(r->p->dir, v) : NULL;
	if (near)
		ERR(r, sec, key, _("%s '%s' cannot be read: %s; did you mean '%s'? (the path is relative to this file)"),
		    key, v, why, near);
	else
		ERR(r, sec, key, _("%s '%s' cannot be read: %s; check the path (it is relative to this file)"), key, v, why);
	free(near);
	free(path);
	return NULL;
}

void cfg_read_program(struct cfg_reader *r)
{
	struct vd_program *p = r->p;
	const char *v;
	const char *S = "program";

	if (!vd_ini_has_section(r->ini, S)) {
		vd_error(r->dg, r->ini->path, 0, _("no [program] section; start the file with [program] (see vdsched.ini(5))"));
		return;
	}
	cfg_check_keys(r, S, program_keys, NULL);
	if ((v = cfg_need(r, S, "id", "tianyang-2026-spring"))) {
		if (!vd_id_valid(v))
			ERR(r, S, "id", _("id '%s' may use only A-Z a-z 0-9 _ . - (at most 64, starting with a letter or digit); it goes into calendar UIDs"), v);
		p->id = xstrdup(v);
	}
	if ((v = cfg_need(r, S, "name", "田阳区2026年春季村医轮转培训")))
		p->name = xstrdup(v);
	v = vd_ini_get(r->ini, S, "timezone");
	p->timezone = xstrdup(v && *v ? v : "Asia/Shanghai");
	{
		char *zf = xasprintf("%s/%s", ZONEINFO_DIR, p->timezone);
		struct stat st;
		if (strstr(p->timezone, "..") || p->timezone[0] == '/' || stat(zf, &st) || !S_ISREG(st.st_mode)) {
			if (stat(ZONEINFO_DIR "/Asia/Shanghai", &st) != 0)
				ERR(r, S, "timezone", _("time zone '%s' cannot be checked: %s is missing; install tzdata (apt-get install tzdata)"),
				    p->timezone, ZONEINFO_DIR);
			else
				ERR(r, S, "timezone", _("unknown time zone '%s'; use an IANA name such as Asia/Shanghai"), p->timezone);
		}
		free(zf);
	}
	/* The example for a missing date keeps the other one valid, so that
	 * writing it as the message says passes check: ~5 months apart. */
	vd_date other;
	const char *ev = vd_ini_get(r->ini, S, "end");
	char start_eg[11] = "2026-03-02", end_eg[11] = "2026-07-31";
	vd_date eg = vd_date_from_ymd(2026, 3, 2);
	if (ev && vd_date_parse(ev, &other) == 0 && (other < eg + 28 || other > eg + 1000))
		vd_date_format(other - 151, start_eg);
	int okd = parse_date_key(r, S, "start", start_eg, &p->start) == 0;
	if (okd)
		vd_date_format(p->start + 151, end_eg);
	okd &= parse_date_key(r, S, "end", end_eg, &p->end) == 0;
	if (okd && p->end < p->start) {
		char a[11], b[11];
		ERR(r, S, "end", _("end %s is before start %s; swap them"),
		    vd_date_format(p->end, a), vd_date_format(p->start, b));
	} else if (okd && p->end - p->start > 3 * 366) {
		ERR(r, S, "end", _("the program spans %d days; keep it within three years"), p->end - p->start + 1);
	}
	if ((v = vd_ini_get(r->ini, S, "teaching_days"))) {
		char *bad;
		if (vd_days_parse(v, &p->teaching_days, &bad)) {
			const char *day = cfg_weekday_near(bad);
			if (day)
				ERR(r, S, "teaching_days", _("%s: '%s' is not a weekday; did you mean '%s'?"), "teaching_days", bad, day);
			else
				ERR(r, S, "teaching_days", _("teaching_days: '%s' is not a weekday; use mon tue wed thu fri sat sun or a range like mon-fri"), bad);
			p->teaching_days = VDS_WEEKDAYS;
		}
		free(bad);
	}
	if ((v = vd_ini_get(r->ini, S, "holidays")) && *v) {
		struct vd_strv w = { 0 };
		vd_strv_split(&w, v);
		for (size_t i = 0; i < w.n; i++) {
			char *hp = cfg_readable(r, S, "holidays", w.v[i]);
			if (!hp)
				continue;
			if (!p->holidays_path)
				p->holidays_path = xstrdup(hp);
			read_holidays(r, hp);
			free(hp);
		}
		vd_strv_free(&w);
	}
	if ((v = vd_ini_get(r->ini, S, "blackout")))
		parse_ranges(r, r->ini->path, vd_ini_line(r->ini, S, "blackout"), "blackout", v,
		             &p->blackout, &p->nblackout);
	if ((v = cfg_need(r, S, "clinics", "clinics.csv")))
		p->clinics_path = cfg_readable(r, S, "clinics", v);
	if ((v = cfg_need(r, S, "doctors", "doctors.csv")))
		p->doctors_path = cfg_readable(r, S, "doctors", v);
	if ((v = vd_ini_get(r->ini, S, "encoding")) && *v) {
		static const char *const encs[] = { "utf-8", "utf8", "gbk", "gb18030", "gb2312", "cp936", NULL };
		int ok = 0;
		for (const char *const *e = encs; *e; e++)
			ok |= strcasecmp(v, *e) == 0;
		if (!ok)
			ERR(r, S, "encoding", _("encoding '%s' is not supported; use utf-8 or gbk (gb18030, gb2312 and cp936 are read as gbk)"), v);
		p->encoding = xstrdup(v);
	}
	long x;
	if (!cfg_get_int(r, S, "cohort_max", 30, 1, 10000, &x))
		p->cohort_max = (int)x;
	if (!cfg_get_int(r, S, "cohort_min", 8, 1, 10000, &x))
		p->cohort_min = (int)x;
	if (p->cohort_min > p->cohort_max)
		ERR(r, S, "cohort_min", _("cohort_min %d is larger than cohort_max %d; lower cohort_min to %d"),
		    p->cohort_min, p->cohort_max, p->cohort_max);
	if (!cfg_get_int(r, S, "seed", 1, 0, LONG_MAX, &x))
		p->seed = (unsigned long)x;
	/* travel_budget: "10%", or a fraction "0.1"; a bare number above 1
	 * is refused rather than guessed (5 = 5% or 500%?). */
	if ((v = vd_ini_get(r->ini, S, "travel_budget"))) {
		char *pct = strchr(v, '%'), *num = xstrdup(v);
		double b;
		if (pct)
			num[pct - v] = ' ';
		if (cfg_parse_double(num, &b) || (pct && strchr(pct + 1, '%')) || b < 0 ||
		    (pct ? b > 1000 : b > 1))
			ERR(r, S, "travel_budget", _("travel_budget '%s' must be a percentage from 0%% to 1000%% (e.g. 10%%) or a fraction from 0 to 1 (e.g. 0.1)"), v);
		else
			p->travel_budget = pct ? b / 100 : b;
		free(num);
	}
	if (!cfg_get_int(r, S, "time_limit", 0, 0, 86400, &x))
		p->time_limit = (int)x;
	cfg_read_attendance_keys(r);
	/* retrain_years: the deadline each doctor's last_trained sets */
	if ((v = vd_ini_get(r->ini, S, "retrain_years")) && (cfg_parse_long(v, &x) || x < 1 || x > 10))
		ERR(r, S, "retrain_years", _("retrain_years '%s' must be a whole number of years from 1 to 10; the rule is at least one training every 2 years (retrain_years = 2)"), v);
	else if (v)
		p->retrain_years = (int)x;
	if ((v = vd_ini_get(r->ini, S, "contact")))
		p->contact = xstrdup(v);
	if ((v = vd_ini_get(r->ini, S, "organizer")) && *v) {
		if (strncasecmp(v, "mailto:", 7) != 0 || !strchr(v, '@'))
			ERR(r, S, "organizer", _("organizer '%s' must be a mailto: address, e.g. mailto:peixun@example.org"), v);
		p->organizer = xstrdup(v);
	}
}

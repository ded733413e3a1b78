/* config-output.c -- the [output] section of the program file: where the
 * outputs go, which calendars, their alarms and refresh, the public
 * address, the language (vdsched.ini(5)). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config-int.h"
#include "url.h"
#include "xalloc.h"

static const char *const output_keys[] = { "dir", "alarms", "calendars", "base_url", "refresh",
	"language", NULL };

int vd_alarms_parse(const char *s, int **out, size_t *n, char **bad)
{
	struct vd_strv w = { 0 };
	vd_strv_split(&w, s);
	*bad = NULL;
	for (size_t i = 0; i < w.n && !*bad; i++) {
		const char *t = w.v[i];
		long total = 0;
		if (*t++ != '-' || !*t) {
			*bad = xstrdup(w.v[i]);
			break;
		}
		while (!*bad && *t) {
			char *end;
			long x = strtol(t, &end, 10);
			long mult = *end == 'd' ? 1440 : *end == 'h' ? 60 : *end == 'm' ? 1 : 0;
			if (end == t || !mult || x < 0 || x > 10000)
				*bad = xstrdup(w.v[i]);
			else
				total += x * mult;
			t = end + 1;
		}
		if (!*bad && total > 40 * 1440) {
			*bad = xstrdup(w.v[i]);
			vd_strv_free(&w);
			return -2;
		}
		if (!*bad && total <= 0)
			*bad = xstrdup(w.v[i]);
		if (!*bad) {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = (int)total;
		}
	}
	vd_strv_free(&w);
	return *bad ? -1 : 0;
}

/* [output] calendars = the kinds written, as VD_CAL_* bits. */
static void read_output_calendars(struct cfg_reader *r, const char *v)
{
	static const char *const kinds[] = { "doctors", "cohorts", "sites", "instructors", NULL };
	struct vd_strv w = { 0 };
	vd_strv_split(&w, v);
	r->p->calendars = 0;
	for (size_t i = 0; i < w.n; i++) {
		unsigned bit = 0;
		for (unsigned k = 0; kinds[k]; k++)
			if (!strcmp(w.v[i], kinds[k]))
				bit = 1u << k;
		if (!strcmp(w.v[i], "all"))
			bit = VD_CAL_ALL;
		if (!bit && strcmp(w.v[i], "none") != 0)
			ERR(r, "output", "calendars", _("calendars: '%s' is not a kind of calendar; use doctors cohorts sites instructors, all or none"), w.v[i]);
		r->p->calendars |= bit;
	}
	vd_strv_free(&w);
}

/* [output] refresh = 12h: how often a subscribed calendar is fetched
 * again (REFRESH-INTERVAL, X-PUBLISHED-TTL); by default 12 hours when
 * the calendars are published at base_url, else not written.  0: never. */
static void read_output_refresh(struct cfg_reader *r)
{
	const char *v = vd_ini_get(r->ini, "output", "refresh");
	r->p->refresh = r->p->base_url ? VD_REFRESH_DEFAULT : 0;
	if (!v || !*v)
		return;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	long unit = *end == 'm' ? 1 : *end == 'h' ? 60 : *end == 'd' ? 1440 : 0;
	if (n == 0 && end != v && !*end) {
		r->p->refresh = 0;
	} else if (errno || end == v || !unit || end[1] || n * unit < 5 || n * unit > 30 * 1440 || n < 0) {
		ERR(r, "output", "refresh", _("refresh '%s' is not a time from 5m to 30d; write e.g. 12h, 1d or 30m, or 0 to leave it out"), v);
	} else {
		r->p->refresh = (int)(n * unit);
	}
}

void cfg_read_output(struct cfg_reader *r)
{
	struct vd_program *p = r->p;
	const char *v;
	if (!vd_ini_has_section(r->ini, "output"))
		return;
	cfg_check_keys(r, "output", output_keys, NULL);
	if ((v = vd_ini_get(r->ini, "output", "dir")) && *v)
		p->output_dir = vd_path_join(p->dir, v);
	if ((v = vd_ini_get(r->ini, "output", "calendars")))
		read_output_calendars(r, v);
	if ((v = vd_ini_get(r->ini, "output", "alarms")) && *v) {
		char *bad;
		int e = vd_alarms_parse(v, &p->alarms, &p->nalarms, &bad);
		if (e == -2)
			ERR(r, "output", "alarms", _("alarm '%s' is more than 40 days before the session; use at most -40d"), bad);
		else if (e) {
			/* "1d" for "-1d": an alarm comes before the session */
			char *minus = xasprintf("-%s", bad);
			int *one = NULL;
			size_t none = 0;
			char *still = NULL;
			if (bad[0] != '-' && vd_alarms_parse(minus, &one, &none, &still) == 0)
				ERR(r, "output", "alarms", _("alarm '%s' is not valid: it would ring after the start; did you mean '%s'?"),
				    bad, minus);
			else
				ERR(r, "output", "alarms", _("alarm '%s' is not valid; write how long before, e.g. -1d -1h -30m"), bad);
			free(one);
			free(still);
			free(minus);
		}
		free(bad);
	}
	if ((v = vd_ini_get(r->ini, "output", "base_url")) && *v) {
		const char *why;
		if (!(p->base_url = vd_base_url_normalize(v, &why)))
			ERR(r, "output", "base_url", _("base_url '%s' %s"), v, why);
	}
	read_output_refresh(r);
	if ((v = vd_ini_get(r->ini, "output", "language")) && *v) {
		if (!strncasecmp(v, "zh", 2) || !strcmp(v, "中文"))
			p->language = VD_LANG_ZH;
		else if (!strncasecmp(v, "en", 2) || !strcmp(v, "C") || !strcmp(v, "英文"))
			p->language = VD_LANG_EN;
		else
			ERR(r, "output", "language", _("language '%s' is not one vdsched writes; use zh_CN (Chinese) or en (English)"), v);
	}
}

/* ics.c -- the calendar writer's driver (see ics.h): every owner's file,
 * kind by kind, owners with the same runs in a group written side by
 * side, each event with the file's UID and stamps, the files of owners
 * who departed, and state/events.csv alongside.  What an event says is in
 * ics-event.c, how it is spliced fast in ics-cache.c, the previous plan's
 * events in ics-kept.c (ics-int.h). */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "i18n.h"
#include "fsutil.h"
#include "ics-int.h"
#include "xalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

#define IOBUF_SIZE (1u << 20)

void ics_put(struct ics_writer *w, struct cal_file *o, const char *s, size_t n)
{
	if (!o->err && n && fwrite(s, 1, n, o->f) != n) {
		o->err = errno ? errno : EIO;
		w->err = 1;
	}
}

/* Event e for the file o; the event's part of the UID is in w->uid. */
static void write_event(struct ics_writer *w, struct cal_file *o, const struct plan_event *e,
                        const struct cache_slot *sl)
{
	ics_uid_owner(w, o);
	if (w->pass1) {
		struct vd_evrow *row = o->pcal == VD_NONE ? NULL
			: vd_evstate_find(w->pv, vd_ev_key(o->pcal, w->uid.s, w->uid.n));
		if (row)
			row->seen = 1;
		return;
	}
	icalcomponent *ev = NULL;
	uint64_t hash;
	if (!sl) {
		ev = ics_build_event(w, e->run, e->sess, w->uid.s);
		vd_strbuf_reset(&w->wbuf);
		ics_append_ical(&w->wbuf, icalcomponent_as_ical_string_r(ev));
		hash = vd_ev_hash(w->wbuf.s, w->wbuf.n);
	} else {
		hash = sl->hash;
	}

	/* unchanged: the stamps it had; changed: the next SEQUENCE, now */
	int64_t stamp = w->now, lastmod = w->now;
	uint32_t seq = 0;
	struct vd_evrow *row = NULL;
	if (w->pv && o->pcal != VD_NONE)
		row = vd_evstate_find(w->pv, vd_ev_key(o->pcal, w->uid.s, w->uid.n));
	if (row && row->hash == hash && !row->cancelled) {
		stamp = row->stamp;
		lastmod = row->lastmod;
		seq = row->seq;
	} else {
		if (row)
			seq = row->seq + 1;
		o->dirty = 1;
	}
	if (o->nx > o->xi)
		ics_flush_kept(w, o, e->start, w->uid.s);

	if (!sl) {
		if (stamp != w->now || seq) {
			icaltimezone *utc = icaltimezone_get_utc_timezone();
			icalcomponent_set_dtstamp(ev, icaltime_from_timet_with_zone((time_t)stamp, 0, utc));
			icalcomponent_set_sequence(ev, (int)seq);
			icalproperty_set_lastmodified(icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY),
			                              icaltime_from_timet_with_zone((time_t)lastmod, 0, utc));
			vd_strbuf_reset(&w->wbuf);
			ics_append_ical(&w->wbuf, icalcomponent_as_ical_string_r(ev));
		}
		ics_put(w, o, w->wbuf.s, w->wbuf.n);
		icalcomponent_free(ev);
	} else {
		/* the same as icalproperty_set_uid, less a new value each time */
		icalvalue_set_text(icalproperty_get_value(w->uidprop), w->uid.s);
		vd_strbuf_reset(&w->ubuf);
		ics_append_prop(&w->ubuf, w->uidprop);
		const struct memo *st = ics_stamp_text(w, stamp, seq, lastmod);
		ics_put(w, o, sl->txt.s, sl->hl);
		ics_put(w, o, w->ubuf.s, w->ubuf.n);
		ics_put(w, o, st->txt.s, st->txt.n);
		ics_put(w, o, sl->txt.s + sl->hl, sl->txt.n - sl->hl);
	}
	vd_evwriter_row(&w->csv, o->cal, w->uid.s, seq, stamp, lastmod, hash, 0);
}

static int add_run_events(struct ics_writer *w, size_t r)
{
	const struct vd_run *run = &w->pl->runs[r];
	const struct vds_course *def = w->p->courses[run->course].def;
	for (size_t s = 0; s < def->nsessions; s++) {
		const struct vds_session *se = &def->sessions[s];
		if (se->day >= def->days) {
			vd_error(w->dg, NULL, 0, _("course %s: session %zu is on run day %u but the course has %u days"),
			         vd_course_id(w->p, run->course), s + 1, se->day + 1, def->days);
			return -1;
		}
		if (!vd_run_day_held(run, se->day))
			continue;   /* cancelled: the previous calendar's copy says so */
		xgrow(&w->ev, &w->evcap, w->nev + 1, sizeof *w->ev);
		struct plan_event *e = &w->ev[w->nev++];
		e->start = (int64_t)run->dates[se->day] * 1440 + se->start;
		e->run = r;
		e->sess = (unsigned)s;
	}
	return 0;
}

/* The calendar's fixed properties, serialized once: w->head holds
 * "BEGIN:VCALENDAR ... " up to END:VCALENDAR, which starts at w->split. */
static void header(struct ics_writer *w)
{
	const struct vd_program *p = w->p;
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//vdsched//vdsched " PACKAGE_VERSION "//ZH"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	if (nonempty(p->organizer))
		icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalproperty *x = icalproperty_new_x(w->tzid);
	icalproperty_set_x_name(x, "X-WR-TIMEZONE");
	icalcomponent_add_property(cal, x);
	if (p->refresh > 0) {  /* how often a subscriber fetches it again (RFC 7986, Apple, Outlook) */
		struct icaldurationtype every = icaldurationtype_from_int(p->refresh * 60);
		icalproperty *ri = icalproperty_new_refreshinterval(every);
		icalproperty_add_parameter(ri, icalparameter_new_value(ICAL_VALUE_DURATION));
		icalcomponent_add_property(cal, ri);
		icalproperty *ttl = icalproperty_new_x(icaldurationtype_as_ical_string(every));
		icalproperty_set_x_name(ttl, "X-PUBLISHED-TTL");
		icalcomponent_add_property(cal, ttl);
	}
	ics_append_ical(&w->head, icalcomponent_as_ical_string_r(cal));
	icalcomponent_free(cal);
	char *end = strstr(w->head.s, "END:VCALENDAR");
	w->split = end ? (size_t)(end - w->head.s) : w->head.n;
	w->nameprop = icalproperty_new_name("");
	icalproperty_add_parameter(w->nameprop, icalparameter_new_language("zh-CN"));
	w->xnameprop = icalproperty_new_x("");
	icalproperty_set_x_name(w->xnameprop, "X-WR-CALNAME");
}

/* NAME and X-WR-CALNAME, the calendar's own, appended to b.  X-WR-CALNAME
 * is TEXT, escaped as NAME is (\, \; \\), but libical 3.0 serializes an
 * X- property's value with , and ; bare and every backslash doubled.  So
 * libical escapes the name as a TEXT value, the escapes' backslashes go
 * in as 0x01 (no calendar name holds a control character: ics_append_clean), and
 * libical's line (folded as for the backslashes: same length, ASCII) gets
 * them back. */
static void names_text(struct ics_writer *w, struct vd_strbuf *b, const char *calname)
{
	icalproperty_set_name(w->nameprop, calname);
	ics_append_prop(b, w->nameprop);
	icalvalue *v = icalvalue_new_text(calname);
	char *esc = icalvalue_as_ical_string_r(v);
	icalvalue_free(v);
	for (char *c = esc; c && *c; c++)
		if (*c == '\\')
			*c = '\x01';
	icalproperty_set_x(w->xnameprop, esc ? esc : "");
	icalmemory_free_buffer(esc);
	size_t from = b->n;
	ics_append_prop(b, w->xnameprop);
	for (char *c = b->s + from; *c; c++)
		if (*c == '\x01')
			*c = '\\';
}

/* 1 when the file at path starts with head[0 .. n) and has size bytes:
 * the new file, whose events are all unchanged, is then the same. */
static int same_file(const char *path, const char *head, size_t n, long long size)
{
	struct stat st;
	if (stat(path, &st) != 0 || st.st_size != size)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char buf[4096];
	size_t off = 0;
	int same = 1;
	while (same && off < n) {
		size_t want = n - off < sizeof buf ? n - off : sizeof buf;
		same = fread(buf, 1, want, f) == want && !memcmp(buf, head + off, want);
		off += want;
	}
	fclose(f);
	return same;
}

/* Sets up o's part of the previous plan: its index there and the events
 * of it that the new plan no longer has. */
static void file_prev(struct ics_writer *w, struct file_group *g, struct cal_file *o)
{
	o->cal = xasprintf("%s/%s", g->sub, o->id);
	o->pcal = w->pv ? vd_evstate_cal(w->pv, o->cal) : VD_NONE;
	o->x = NULL;
	o->nx = o->xi = 0;
	o->dirty = !w->pv || o->pcal == VD_NONE;
	if (o->pcal != VD_NONE && w->px) {
		o->x = w->px[o->pcal];
		o->nx = w->pnx[o->pcal];
		w->pwritten[o->pcal] = 1;
	}
}

/* Appends the program's name and " — ", what a calendar's name starts with. */
static void program_title(const struct ics_writer *w, struct vd_strbuf *b)
{
	const struct vd_program *p = w->p;
	ics_append_clean(b, nonempty(p->name) ? p->name : p->id ? p->id : "vdsched", ICS_ONE_LINE);
	vd_strbuf_cat(b, " — ");
}

/* Opens the first n files of g in turn, sharing out the stdio buffer.
 * Returns how many opened; when fewer than n, *openerr is the errno of
 * the next (the files before it are still written, as one by one). */
static size_t open_files(struct ics_writer *w, struct file_group *g, size_t n, int *openerr)
{
	size_t bufsz = IOBUF_SIZE / n, nopen = 0;
	for (; nopen < n; nopen++) {
		struct cal_file *o = &g->o[nopen];
		o->path = xasprintf("%s/ics/%s/%s.ics", w->outdir, g->sub, o->id);
		file_prev(w, g, o);
		o->err = 0;
		errno = 0;
		o->f = fopen(o->path, "wb");
		if (!o->f) {
			*openerr = errno;
			break;
		}
		setvbuf(o->f, w->iobuf + nopen * bufsz, _IOFBF, bufsz);
		ics_uid_tail(w, o);
	}
	return nopen;
}

/* Each open file's head: the calendar's properties, its names and the
 * VTIMEZONE, kept in o->label for the comparison with the previous file. */
static void write_heads(struct ics_writer *w, struct file_group *g, size_t nopen)
{
	struct vd_strbuf *b = &w->tmp;
	for (size_t k = 0; k < nopen; k++) {
		struct cal_file *o = &g->o[k];
		vd_strbuf_reset(b);
		if (o->calname) {
			vd_strbuf_cat(b, o->calname);
		} else {
			program_title(w, b);
			ics_append_clean(b, o->label, ICS_ONE_LINE);
		}
		vd_strbuf_reset(&w->ubuf);
		vd_strbuf_catn(&w->ubuf, w->head.s, w->split);
		names_text(w, &w->ubuf, b->s);
		vd_strbuf_catn(&w->ubuf, w->vtz.s, w->vtz.n);
		ics_put(w, o, w->ubuf.s, w->ubuf.n);
		free(o->label);
		o->label = xstrndup(w->ubuf.s, w->ubuf.n);
	}
}

/* Ends and closes the open files: the first failure is reported (rc,
 * 0 or -1, returned), and the doctors whose file differs from the
 * previous plan's are noted in w->chg. */
static int close_files(struct ics_writer *w, struct file_group *g, size_t nopen, int rc)
{
	for (size_t k = 0; k < nopen; k++) {
		struct cal_file *o = &g->o[k];
		ics_flush_kept(w, o, 0, NULL);
		ics_put(w, o, w->head.s + w->split, w->head.n - w->split);
		long long size = o->f ? (long long)ftello(o->f) : -1;
		if (!o->err && fflush(o->f) != 0)
			o->err = errno ? errno : EIO;
		if (!o->err && ferror(o->f))
			o->err = EIO;
		if (fclose(o->f) != 0 && !o->err)
			o->err = errno ? errno : EIO;
		o->f = NULL;
		if (o->err && rc == 0) {
			/* the first failure, as when the files were written in turn */
			vd_error(w->dg, o->path, 0, _("cannot write: %s"), strerror(o->err));
			rc = -1;
		}
		if (!o->err && w->kind == VD_CALKIND_DOCTOR) {
			if (!o->dirty) {
				char *old = xasprintf("%s/ics/%s.ics", w->prevdir, o->cal);
				o->dirty = !same_file(old, o->label, strlen(o->label), size);
				free(old);
			}
			if (o->dirty)
				vd_strv_push(&w->chg, o->id);
		}
	}
	return rc;
}

/* Writes the files of group g side by side, event by event: each event is
 * serialized (or found in the cache) once and written to every file with
 * that file's UID.  Owners with the same runs -- the doctors of a cohort
 * -- have the same events in the same order, and a course of more
 * sessions than the cache holds would otherwise be serialized again for
 * every owner.  The stdio buffer is shared out among the files.  In pass
 * 1 nothing is written: the previous plan's events the new one has are
 * marked. */
static int write_group(struct ics_writer *w, struct file_group *g)
{
	int rc = 0;
	size_t n = g->n;
	int openerr = 0;
	g->n = 0;
	w->nev = 0;
	for (size_t k = 0; k < g->nruns && !rc; k++)
		rc = add_run_events(w, g->runs[k]);
	if (rc)
		goto out;
	if (w->nev > 1)
		qsort_r(w->ev, w->nev, sizeof *w->ev, ics_cmp_ev, w);

	if (w->pass1) {
		for (size_t k = 0; k < n; k++) {
			struct cal_file *o = &g->o[k];
			file_prev(w, g, o);
			ics_uid_tail(w, o);
		}
		for (size_t i = 0; i < w->nev; i++) {
			ics_uid_event(w, w->ev[i].run, w->ev[i].sess);
			for (size_t k = 0; k < n; k++)
				write_event(w, &g->o[k], &w->ev[i], NULL);
		}
		goto out;
	}

	size_t nopen = open_files(w, g, n, &openerr);
	w->err = 0;
	write_heads(w, g, nopen);
	for (size_t i = 0; i < w->nev && !w->err; i++) {
		const struct plan_event *e = &w->ev[i];
		const struct cache_slot *sl = ics_cache_on() ? ics_event_text(w, e->run, e->sess) : NULL;
		ics_uid_event(w, e->run, e->sess);
		for (size_t k = 0; k < nopen; k++)
			write_event(w, &g->o[k], e, sl);
	}
	rc = close_files(w, g, nopen, rc);
	if (nopen < n && rc == 0) {
		vd_error(w->dg, g->o[nopen].path, 0, _("cannot write: %s"), strerror(openerr));
		rc = -1;
	}
out:
	for (size_t k = 0; k < n; k++) {
		free(g->o[k].path);
		free(g->o[k].label);
		free(g->o[k].cal);
		g->o[k].path = g->o[k].label = g->o[k].cal = NULL;
		g->o[k].calname = NULL;
	}
	w->nev = 0;
	return rc;
}

/* Adds the file of owner id (its runs runs[0 .. nruns)) to group g,
 * writing the group first when the owner's runs differ or it is full.
 * calname, when not NULL, is the whole NAME (an owner who left). */
static int group_add(struct ics_writer *w, struct file_group *g, const char *id, const char *label,
                     const size_t *runs, size_t nruns, const char *calname)
{
	if (g->n && (g->n == GROUP_MAX || g->nruns != nruns || calname ||
	             memcmp(g->runs, runs, nruns * sizeof *runs) != 0)) {
		if (write_group(w, g))
			return -1;
	}
	if (!vd_id_valid(id)) {
		if (g->n && write_group(w, g))
			return -1;
		vd_error(w->dg, NULL, 0, _("cannot write a calendar for '%s': not a valid id (A-Z a-z 0-9 _ . -)"), id);
		return -1;
	}
	if (!g->n) {
		g->runs = runs;
		g->nruns = nruns;
	}
	struct cal_file *o = &g->o[g->n++];
	o->id = id;
	o->label = xstrdup(label);
	o->calname = calname;
	return 0;
}

/* Writes what is left of g. */
static int group_end(struct ics_writer *w, struct file_group *g, int rc)
{
	if (!rc && g->n)
		return write_group(w, g);
	for (size_t k = 0; k < g->n; k++) {
		free(g->o[k].label);
		g->o[k].label = NULL;
	}
	g->n = 0;
	return rc;
}

/* The owners of one kind of calendar and each one's runs, in ascending
 * order: owner i's are ix[off[i] .. off[i + 1]).  Doctors, sites and
 * instructors are the program's, by index; cohorts are the plan's
 * distinct cohort ids, sorted. */
struct owners { size_t n, *off, *ix; };

static void owners_free(struct owners *c)
{
	free(c->off);
	free(c->ix);
}

/* The owners of kind (not cohorts) that run holds, *v[0 .. n) */
static size_t run_owners(const struct vd_run *run, enum vd_calkind kind, const size_t **v)
{
	switch (kind) {
	case VD_CALKIND_DOCTOR:
		*v = run->members;
		return run->nmembers;
	case VD_CALKIND_SITE:
		*v = &run->site;
		return 1;
	default:
		*v = &run->instructor;   /* VD_NONE: none */
		return 1;
	}
}

/* Doctors, sites or instructors: n of them, counted then placed */
static void owners_index(struct owners *c, const struct vd_plan *pl, size_t n,
                         enum vd_calkind kind)
{
	const size_t *v;
	c->n = n;
	c->off = xcalloc(n + 2, sizeof *c->off);
	size_t total = 0;
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t i = 0, k = run_owners(&pl->runs[r], kind, &v); i < k; i++)
			if (v[i] < n)
				c->off[v[i] + 1]++, total++;
	for (size_t i = 0; i < n; i++)
		c->off[i + 1] += c->off[i];
	c->ix = xmalloc((total + 1) * sizeof *c->ix);
	size_t *pos = xmalloc((n + 1) * sizeof *pos);
	memcpy(pos, c->off, (n + 1) * sizeof *pos);
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t i = 0, k = run_owners(&pl->runs[r], kind, &v); i < k; i++)
			if (v[i] < n)
				c->ix[pos[v[i]]++] = r;
	free(pos);
}

static int cmp_cohort(const void *a, const void *b, void *arg)
{
	const struct vd_plan *pl = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(pl->runs[x].cohort, pl->runs[y].cohort);
	return c ? c : (x > y) - (x < y);
}

/* Cohorts: the runs sorted by cohort id, a cohort where the id changes */
static void owners_cohorts(struct owners *c, const struct vd_plan *pl)
{
	c->ix = xmalloc((pl->nruns + 1) * sizeof *c->ix);
	c->off = xmalloc((pl->nruns + 1) * sizeof *c->off);
	for (size_t r = 0; r < pl->nruns; r++)
		c->ix[r] = r;
	qsort_r(c->ix, pl->nruns, sizeof *c->ix, cmp_cohort, (void *)pl);
	c->n = 0;
	for (size_t i = 0; i < pl->nruns; i++)
		if (!i || strcmp(pl->runs[c->ix[i]].cohort, pl->runs[c->ix[i - 1]].cohort))
			c->off[c->n++] = i;
	c->off[c->n] = pl->nruns;
}

static void owners_build(struct owners *c, const struct vd_program *p, const struct vd_plan *pl,
                         enum vd_calkind kind)
{
	switch (kind) {
	case VD_CALKIND_DOCTOR:
		owners_index(c, pl, p->ndoctors, kind);
		break;
	case VD_CALKIND_COHORT:
		owners_cohorts(c, pl);
		break;
	case VD_CALKIND_SITE:
		owners_index(c, pl, p->nsites, kind);
		break;
	default:
		owners_index(c, pl, p->ninstructors, kind);
		break;
	}
}

/* Owner i's id and the name its calendar's name shows */
static const char *owner_id(const struct ics_writer *w, const struct owners *c, size_t i,
                            const char **name)
{
	const struct vd_program *p = w->p;
	const char *id = NULL;
	switch (w->kind) {
	case VD_CALKIND_DOCTOR:
		id = p->doctors[i].id;
		*name = p->doctors[i].name;
		break;
	case VD_CALKIND_COHORT:
		id = *name = w->pl->runs[c->ix[c->off[i]]].cohort;
		break;
	case VD_CALKIND_SITE:
		id = p->sites[i].id;
		*name = p->sites[i].name;
		break;
	default:
		id = p->instructors[i].id;
		*name = p->instructors[i].name;
		break;
	}
	if (!nonempty(*name))
		*name = id;
	return id;
}

static int make_folders(struct vd_diag *dg, const char *outdir)
{
	char *d = xasprintf("%s/ics", outdir);
	int rc = vd_mkdir(dg, d);
	free(d);
	for (int k = 0; k < VD_NCALKINDS && !rc; k++) {
		d = xasprintf("%s/ics/%s", outdir, vd_calkinds[k].folder);
		rc = vd_mkdir(dg, d);
		free(d);
	}
	return rc;
}
static int cmp_calname(const void *a, const void *b, void *arg)
{
	char *const *cals = arg;
	return strcmp(cals[*(const size_t *)a], cals[*(const size_t *)b]);
}

/* The calendars of kind `sub` of the previous plan that the new one does
 * not have (a doctor who left, a cohort that vanished): their events
 * kept, by name. */
static int write_departed(struct ics_writer *w, struct file_group *g, int rc)
{
	if (rc || !w->px)
		return rc;
	size_t k = strlen(g->sub), n = 0;
	size_t *v = xmalloc((w->pv->ncals + 1) * sizeof *v);
	for (size_t c = 0; c < w->pv->ncals; c++) {
		const char *name = w->pv->cals[c];
		if (!w->pwritten[c] && w->pnx[c] && !strncmp(name, g->sub, k) && name[k] == '/')
			v[n++] = c;
	}
	qsort_r(v, n, sizeof *v, cmp_calname, w->pv->cals);
	for (size_t i = 0; i < n && !rc; i++) {
		size_t c = v[i];
		const char *id = w->pv->cals[c] + k + 1;
		if (!w->pname[c]) {
			struct vd_strbuf b = { 0 };
			program_title(w, &b);
			vd_strbuf_cat(&b, id);
			w->pname[c] = vd_strbuf_take(&b);
		}
		rc = group_add(w, g, id, id, NULL, 0, w->pname[c]);
	}
	free(v);
	return group_end(w, g, rc);
}

/* The files of every owner of kind, then of those who departed. */
static int write_kind(struct ics_writer *w, struct file_group *g, enum vd_calkind kind)
{
	struct owners own = { 0 };
	struct vd_strbuf label = { 0 };
	int rc = 0;
	w->kind = kind;
	g->sub = vd_calkinds[kind].folder;
	if (w->p->calendars & 1u << kind)
		owners_build(&own, w->p, w->pl, kind);
	for (size_t i = 0; i < own.n && !rc; i++) {
		if (own.off[i] == own.off[i + 1])
			continue;
		const char *name, *id = owner_id(w, &own, i, &name);
		vd_strbuf_reset(&label);
		vd_strbuf_cat(&label, vd_calkinds[kind].label);
		vd_strbuf_cat(&label, name);
		rc = group_add(w, g, id, label.s, own.ix + own.off[i], own.off[i + 1] - own.off[i], NULL);
	}
	rc = group_end(w, g, rc);
	rc = write_departed(w, g, rc);
	owners_free(&own);
	vd_strbuf_free(&label);
	return rc;
}

/* Every owner's file, kind by kind (pass 1: only marks the previous
 * events the new plan has). */
static int write_owners(struct ics_writer *w, struct file_group *g)
{
	int rc = 0;
	for (int k = 0; k < VD_NCALKINDS && !rc; k++)
		rc = write_kind(w, g, (enum vd_calkind)k);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vd_ics_write_all(const struct vd_program *p, const struct vd_plan *pl,
                     const char *outdir, long long dtstamp,
                     const char *prevdir, vd_date freeze,
                     struct vd_strv *changed, struct vd_diag *dg)
{
	struct ics_writer w;
	int rc = 0;
	memset(&w, 0, sizeof w);
	w.p = p;
	w.pl = pl;
	w.dg = dg;
	w.outdir = outdir;
	w.tzid = nonempty(p->timezone) ? p->timezone : "Asia/Shanghai";
	w.stamp = icaltime_from_timet_with_zone((time_t)dtstamp, 0, icaltimezone_get_utc_timezone());
	w.now = dtstamp;
	w.prevdir = prevdir;
	w.freeze = freeze;
	w.xlo = INT32_MAX;
	w.xhi = INT32_MIN;

	if (make_folders(dg, outdir))
		return -1;
	char *sdir = xasprintf("%s/state", outdir);
	rc = vd_mkdir(dg, sdir);
	free(sdir);
	if (rc)
		return -1;

	struct vd_evstate pv;
	struct file_group *g = xcalloc(1, sizeof *g);
	w.iobuf = xmalloc(IOBUF_SIZE);
	ics_cache_init(&w);

	if (prevdir) {
		char *path = xasprintf("%s/state/events.csv", prevdir);
		rc = vd_evstate_load(&pv, path, dg);
		free(path);
		if (!rc) {
			w.pv = &pv;
			w.pass1 = 1;
			rc = write_owners(&w, g);
			w.pass1 = 0;
			rc = rc ? rc : ics_collect_kept(&w);
		}
	}
	if (!rc)
		rc = ics_prepare_zone(&w);
	if (!rc) {
		ics_ev_pieces(&w);
		header(&w);
		char *path = xasprintf("%s/state/events.csv", outdir);
		rc = vd_evwriter_open(&w.csv, path, dg);
		free(path);
	}
	if (!rc)
		rc = write_owners(&w, g);
	/* a write error of events.csv counts when all else went well */
	rc = vd_evwriter_close(&w.csv, !rc, dg) ? -1 : rc;
	if (!rc && changed) {
		if (w.chg.n)
			qsort(w.chg.v, w.chg.n, sizeof *w.chg.v, cmp_str);
		for (size_t i = 0; i < w.chg.n; i++)
			if (!i || strcmp(w.chg.v[i], w.chg.v[i - 1]))
				vd_strv_push(changed, w.chg.v[i]);
	}

	if (w.pv) {
		ics_kept_free(&w);
		vd_evstate_free(&pv);
	}
	vd_strv_free(&w.chg);
	for (size_t k = 0; k < GROUP_MAX; k++)
		vd_strbuf_free(&g->o[k].uidtail);
	free(g);
	ics_cache_free(&w);
	if (w.nameprop)
		icalproperty_free(w.nameprop);
	if (w.xnameprop)
		icalproperty_free(w.xnameprop);
	vd_strbuf_free(&w.head);
	vd_strbuf_free(&w.vtz);
	vd_strbuf_free(&w.ubuf);
	vd_strbuf_free(&w.wbuf);
	free(w.iobuf);
	free(w.ev);
	free(w.uid.s);
	free(w.tmp.s);
	free(w.tmp2.s);
	free(w.key.s);
	return rc;
}


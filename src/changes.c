/* changes.c -- see changes.h */
#include <stdlib.h>
#include <string.h>
#include "changes.h"
#include "csvwrite.h"
#include "fsutil.h"
#include "i18n.h"
#include "url.h"
#include "xalloc.h"

static char *describe_run(const struct vd_program *p, const struct vd_run *run)
{
	char a[11], b[11];
	unsigned days = p->courses[run->course].def->days;
	return xasprintf("%s %s %s..%s", run->cohort, p->sites[run->site].id,
	                 vd_date_format(run->dates[0], a), vd_date_format(run->dates[days - 1], b));
}

static char *describe_prev(const struct vd_prev_run *pr)
{
	char a[11] = "", b[11] = "";
	if (pr->ndates) {
		vd_date_format(pr->dates[0], a);
		vd_date_format(pr->dates[pr->ndates - 1], b);
	}
	return xasprintf("%s %s %s..%s", pr->cohort, pr->site, a, b);
}

static size_t cap_of(struct vd_changes *ch, size_t *cap)
{
	xgrow(&ch->v, cap, ch->n + 1, sizeof *ch->v);
	return ch->n++;
}

static int cmp_change(const void *a, const void *b)
{
	const struct vd_change *x = a, *y = b;
	int c = strcmp(x->doctor, y->doctor);
	return c ? c : strcmp(x->course, y->course);
}

/* Runs in progress on the freeze date that the edit interrupted: cut
 * (their doctors made up) or resumed on other days. */
static void interrupted_runs(const struct vd_program *p, const struct vd_plan *pl,
                             const struct vd_prev *pv, struct vd_changes *ch)
{
	for (size_t r = 0; r < pl->nruns; r++) {
		const struct vd_run *run = &pl->runs[r];
		if (!run->frozen)
			continue;
		size_t k = vd_prev_run_of(pv, vd_course_id(p, run->course), run->cohort);
		if (k == VD_NONE || pv->runs[k].cut)
			continue;
		unsigned days = p->courses[run->course].def->days;
		if (!run->cut && pv->runs[k].ndates == days &&
		    !memcmp(pv->runs[k].dates, run->dates, days * sizeof *run->dates))
			continue;
		/* a cut run as it was planned; a resumed one as it goes on */
		char *d = run->cut ? describe_prev(&pv->runs[k]) : describe_run(p, run);
		char *line = xasprintf("%s %s", vd_course_id(p, run->course), d);
		vd_strv_push(run->cut ? &ch->cut : &ch->resumed, line);
		free(line);
		free(d);
	}
}

void vd_changes_compute(const struct vd_program *p, const struct vd_plan *pl,
                        const struct vd_prev *pv, vd_date freeze, struct vd_changes *ch)
{
	memset(ch, 0, sizeof *ch);
	ch->prev_dir = pv->dir;
	ch->freeze = freeze;
	size_t nc = p->ncourses, cap = 0;
	size_t *asg = xmalloc(p->ndoctors * nc * sizeof *asg + 1);
	unsigned char *seen = xcalloc(p->ndoctors * nc + 1, 1);
	for (size_t i = 0; i < p->ndoctors * nc; i++)
		asg[i] = VD_NONE;
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++)
			asg[pl->runs[r].members[m] * nc + pl->runs[r].course] = r;
	for (size_t m = 0; m < pv->nmembers; m++) {
		const struct vd_prev_member *pm = &pv->members[m];
		if (pm->run == VD_NONE)
			continue;
		const struct vd_prev_run *pr = &pv->runs[pm->run];
		size_t x = vd_hmap_get(&p->doctor_ix, pm->doctor);
		size_t c = vd_hmap_get(&p->course_ix, pm->course);
		size_t r = x != VD_NONE && c != VD_NONE ? asg[x * nc + c] : VD_NONE;
		unsigned char why = x != VD_NONE && c != VD_NONE && pl->replan_why
		                    ? pl->replan_why[x * nc + c] : VD_WHY_NONE;
		struct vd_change e = { pm->doctor, pm->name, pm->phone, pm->course, -1, 0, why, NULL, NULL };
		if (x != VD_NONE) {
			e.doctor = p->doctors[x].id;
			e.name = p->doctors[x].name;
			e.phone = p->doctors[x].phone ? p->doctors[x].phone : "";
		}
		if (x != VD_NONE && c != VD_NONE) {
			seen[x * nc + c] = 1;
			e.course = p->courses[c].name;
		}
		if (r != VD_NONE && (why == VD_WHY_MAKEUP || why == VD_WHY_CUT)) {
			e.kind = VD_CH_MAKEUP;
		} else if (r == VD_NONE) {
			int still = 0;
			for (size_t u = 0; x != VD_NONE && c != VD_NONE && u < pl->nunsched; u++)
				still |= pl->unsched[u].doctor == x && pl->unsched[u].course == c;
			e.kind = still ? VD_CH_CANCELLED : VD_CH_DROPPED;
		} else {
			const struct vd_run *run = &pl->runs[r];
			unsigned days = p->courses[c].def->days;
			const char *ins = run->instructor == VD_NONE ? "" : p->instructors[run->instructor].id;
			if (strcmp(p->sites[run->site].id, pr->site) || !pr->ndates ||
			    run->dates[0] != pr->dates[0] || run->dates[days - 1] != pr->dates[pr->ndates - 1])
				e.kind = VD_CH_MOVED;
			else if (strcmp(run->cohort, pr->cohort) || strcmp(ins, pr->instructor))
				e.kind = VD_CH_UPDATED;
			else if (why == VD_WHY_FROZEN)
				ch->frozen++;
			else
				ch->kept++;
		}
		if (e.kind < 0)
			continue;
		e.old = describe_prev(pr);
		e.new = r == VD_NONE ? xstrdup("") : describe_run(p, &pl->runs[r]);
		if (e.kind == VD_CH_MOVED) {
			ch->moved++;
			e.forced = why != VD_WHY_KEPT && why != VD_WHY_FROZEN && why != VD_WHY_NONE &&
			           why != VD_WHY_RUN;
			if (e.forced) {
				ch->forced++;
				ch->nwhy[why < 16 ? why : 0]++;
			}
		}
		ch->updated += e.kind == VD_CH_UPDATED;
		ch->dropped += e.kind == VD_CH_DROPPED;
		ch->cancelled += e.kind == VD_CH_CANCELLED;
		ch->makeup += e.kind == VD_CH_MAKEUP;
		{ size_t k = cap_of(ch, &cap); ch->v[k] = e; }
	}
	for (size_t r = 0; r < pl->nruns; r++)
		for (size_t m = 0; m < pl->runs[r].nmembers; m++) {
			size_t x = pl->runs[r].members[m], c = pl->runs[r].course;
			if (seen[x * nc + c])
				continue;
			struct vd_change e = { p->doctors[x].id, p->doctors[x].name,
			                       p->doctors[x].phone ? p->doctors[x].phone : "",
			                       p->courses[c].name, VD_CH_ADDED, 0, VD_WHY_NONE,
			                       xstrdup(""), describe_run(p, &pl->runs[r]) };
			ch->added++;
			{ size_t k = cap_of(ch, &cap); ch->v[k] = e; }
		}
	free(seen);
	free(asg);
	interrupted_runs(p, pl, pv, ch);
	if (ch->n)
		qsort(ch->v, ch->n, sizeof *ch->v, cmp_change);
	for (size_t i = 0; i < ch->n; i++)
		ch->ndoctors += !i || strcmp(ch->v[i].doctor, ch->v[i - 1].doctor);
}

void vd_changes_add_calendars(const struct vd_program *p, struct vd_changes *ch,
                              const struct vd_strv *doctors)
{
	size_t cap = ch->n, added = 0;
	for (size_t i = 0; i < doctors->n; i++) {
		int have = 0;
		for (size_t j = 0; j < ch->n && !have; j++)  /* few rows: a re-plan changes little */
			have = !strcmp(ch->v[j].doctor, doctors->v[i]);
		if (have)
			continue;
		size_t x = vd_hmap_get(&p->doctor_ix, doctors->v[i]);
		struct vd_change e = { x != VD_NONE ? p->doctors[x].id : "", x != VD_NONE ? p->doctors[x].name : "",
		                       x != VD_NONE && p->doctors[x].phone ? p->doctors[x].phone : "", "",
		                       VD_CH_UPDATED, 0, VD_WHY_NONE, xstrdup(""), xstrdup("") };
		if (x == VD_NONE)
			continue;
		{ size_t k = cap_of(ch, &cap); ch->v[k] = e; }
		ch->updated++;
		added++;
	}
	if (added) {
		qsort(ch->v, ch->n, sizeof *ch->v, cmp_change);
		ch->ndoctors = 0;
		for (size_t i = 0; i < ch->n; i++)
			ch->ndoctors += !i || strcmp(ch->v[i].doctor, ch->v[i - 1].doctor);
	}
}

void vd_changes_free(struct vd_changes *ch)
{
	for (size_t i = 0; i < ch->n; i++) {
		free(ch->v[i].old);
		free(ch->v[i].new);
	}
	free(ch->v);
	vd_strv_free(&ch->resumed);
	vd_strv_free(&ch->cut);
	memset(ch, 0, sizeof *ch);
}

static const char *kind_id(int k)
{
	static const char *const ids[] = { "moved", "updated", "added", "dropped", "cancelled", "makeup" };
	return ids[k];
}

int vd_changes_write(const struct vd_program *p, const struct vd_changes *ch, const char *dir,
                     struct vd_diag *dg)
{
	struct vd_outfile o;
	if (vd_outfile_open(&o, dg, dir, "changes.csv", VD_OUT_NEW))
		return -1;
	FILE *f = o.f;
	fputs(VD_CSV_BOM "doctor_id,doctor_name,phone,course_id,change,old,new,calendar\r\n", f);
	for (size_t i = 0; i < ch->n; i++) {
		const struct vd_change *e = &ch->v[i];
		char *cal = vd_calendar_url(p, vd_calkinds[VD_CALKIND_DOCTOR].folder, e->doctor);
		vd_csv_field(f, e->doctor, VD_CSV_TEXT);
		vd_csv_field(f, e->name, VD_CSV_TEXT);
		vd_csv_field(f, e->phone, VD_CSV_TEXT);
		vd_csv_field(f, e->course, VD_CSV_TEXT);
		vd_csv_field(f, kind_id(e->kind), VD_CSV_PLAIN);
		vd_csv_field(f, e->old, VD_CSV_TEXT);
		vd_csv_field(f, e->new, VD_CSV_TEXT);
		vd_csv_last(f, cal, VD_CSV_TEXT);
		free(cal);
	}
	return vd_outfile_close(&o, dg);
}

static const char *why_text(unsigned w)
{
	switch (w) {
	case VD_WHY_SITE: return _("the site closed or no longer suits the course");
	case VD_WHY_DATES: return _("its dates are no longer teaching days (holiday, blackout, freeze)");
	case VD_WHY_INSTRUCTOR: return _("no instructor can teach it any more");
	case VD_WHY_DOCTOR: return _("the doctor is unavailable then, or has another course then");
	case VD_WHY_COVER: return _("the clinic's township cannot cover it any more");
	case VD_WHY_SEATS: return _("the site has fewer seats or resources now");
	case VD_WHY_SIZE: return _("the run fell below its minimum size");
	case VD_WHY_MAKEUP: return _("the doctor missed the run (attendance)");
	case VD_WHY_CUT: return _("the run was interrupted: its days from the freeze on are no longer possible");
	default: return _("other");
	}
}

void vd_changes_report(FILE *f, const struct vd_changes *ch)
{
	char fz[11];
	fprintf(f, _("\nRe-plan from %s"), ch->prev_dir);
	if (ch->freeze)
		fprintf(f, _(", nothing before %s changed"), vd_date_format(ch->freeze, fz));
	fputs(":\n", f);
	fprintf(f, _("  pairs kept as they were: %zu (%zu of them in the frozen past)\n"),
	        ch->kept + ch->frozen, ch->frozen);
	fprintf(f, _("  moved: %zu (%zu forced by the edit, %zu moved to place others)\n"),
	        ch->moved, ch->forced, ch->moved - ch->forced);
	fprintf(f, _("  added: %zu, dropped: %zu, cancelled (cannot be scheduled now): %zu, updated (same days, new cohort or instructor): %zu\n"),
	        ch->added, ch->dropped, ch->cancelled, ch->updated);
	if (ch->makeup)
		fprintf(f, _("  made up in a later run (they missed their run before %s, or it was cut short): %zu\n"),
		        vd_date_format(ch->freeze, fz), ch->makeup);
	for (unsigned w = 0; w < 16; w++)
		if (ch->nwhy[w])
			fprintf(f, _("    forced because %s: %zu\n"), why_text(w), ch->nwhy[w]);
	if (ch->resumed.n)
		fprintf(f, _("  runs in progress on %s that the edit interrupted and that go on after it (same site, later days): %zu\n"),
		        vd_date_format(ch->freeze, fz), ch->resumed.n);
	for (size_t i = 0; i < ch->resumed.n; i++)
		fprintf(f, "    %s\n", ch->resumed.v[i]);
	if (ch->cut.n)
		fprintf(f, _("  runs in progress on %s whose days from then on the edit made impossible: cancelled from %s, their doctors made up in later runs: %zu\n"),
		        vd_date_format(ch->freeze, fz), fz, ch->cut.n);
	for (size_t i = 0; i < ch->cut.n; i++)
		fprintf(f, "    %s\n", ch->cut.v[i]);
	size_t shown = 0, given_up = 0;
	for (size_t i = 0; i < ch->n; i++)
		given_up += ch->v[i].kind == VD_CH_MOVED && ch->v[i].why == VD_WHY_RUN;
	if (given_up)
		fprintf(f, _("    moved because their run stood in the way of a pair that could not be placed otherwise: %zu\n"),
		        given_up);
	for (size_t i = 0; i < ch->n && shown < 20; i++)
		if (ch->v[i].kind == VD_CH_MOVED && !ch->v[i].forced) {
			if (!shown++)
				fputs(_("  moved to place others (not forced by the edit):\n"), f);
			fprintf(f, "    %s %s: %s -> %s\n", ch->v[i].doctor, ch->v[i].course, ch->v[i].old, ch->v[i].new);
		}
	fprintf(f, _("  doctors whose calendars change: %zu (listed in changes.csv; subscribed phones update by themselves, others must import their file again)\n"),
	        ch->ndoctors);
}

/* completion-out.c -- completion.csv and the per township x course tally
 * (completion-out.h); apart from output.c, which keeps the plan's own
 * tables, because these say what happened, not what is planned. */
#include <stdlib.h>
#include <string.h>
#include "completion-out.h"
#include "csvwrite.h"
#include "fsutil.h"
#include "i18n.h"
#include "xalloc.h"

char *vd_decimal(double v, char buf[32])
{
	snprintf(buf, 32, "%.2f", v);
	char *e = buf + strlen(buf);
	while (e[-1] == '0')
		*--e = '\0';
	if (e[-1] == '.')
		*--e = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return buf;
}

static size_t township_of(const struct vd_program *p, size_t doctor)
{
	return p->clinics[p->doctors[doctor].clinic].township;
}

static void cell_add_row(struct vd_completion_cell *cell, const struct vd_completion_row *r)
{
	cell->hours += r->hours;
	cell->credits += r->credits;
}

static void cell_add_pair(struct vd_completion_cell *cell, enum vd_pair_status latest)
{
	cell->required++;
	cell->pairs[latest]++;
}

void vd_completion_tally(const struct vd_program *p, const struct vd_completion *c,
                         struct vd_completion_tally *t)
{
	size_t nc = p->ncourses, ncell = p->ntownships * nc;
	/* a dense grid, then compacted: townships x courses stays small */
	struct vd_completion_cell *grid = xcalloc(ncell + 1, sizeof *grid);
	memset(t, 0, sizeof *t);
	t->total.township = t->total.course = VD_NONE;
	for (size_t i = 0; i < c->n; i++) {
		const struct vd_completion_row *r = &c->rows[i];
		struct vd_completion_cell *cell = &grid[township_of(p, r->doctor) * nc + r->course];
		cell_add_row(cell, r);
		cell_add_row(&t->total, r);
		/* a pair's rows are consecutive: its last one is its status */
		const struct vd_completion_row *next = i + 1 < c->n ? &c->rows[i + 1] : NULL;
		if (!next || next->doctor != r->doctor || next->course != r->course) {
			cell_add_pair(cell, r->status);
			cell_add_pair(&t->total, r->status);
		}
	}
	t->cells = xcalloc(ncell + 1, sizeof *t->cells);
	for (size_t k = 0; k < ncell; k++)
		if (grid[k].required) {
			grid[k].township = k / nc;
			grid[k].course = k % nc;
			t->cells[t->n++] = grid[k];
		}
	free(grid);
}

void vd_completion_tally_free(struct vd_completion_tally *t)
{
	free(t->cells);
	memset(t, 0, sizeof *t);
}

int vd_write_completion_csv(const struct vd_program *p, const struct vd_plan *pl,
                            const struct vd_completion *c, const char *dir, struct vd_diag *dg)
{
	struct vd_outfile o;
	if (vd_outfile_open(&o, dg, dir, "completion.csv", VD_OUT_NEW))
		return -1;
	FILE *f = o.f;
	fputs(VD_CSV_BOM "doctor_id,doctor_name,clinic_id,township,course_id,cohort_id,status,"
	      "sessions_attended,sessions_total,hours,credits,certificate\r\n", f);
	for (size_t i = 0; i < c->n; i++) {
		const struct vd_completion_row *r = &c->rows[i];
		const struct vd_doctor *d = &p->doctors[r->doctor];
		char h[32], cr[32];
		vd_csv_field(f, d->id, VD_CSV_PLAIN);
		vd_csv_field(f, d->name, VD_CSV_TEXT);
		vd_csv_field(f, p->clinics[d->clinic].id, VD_CSV_PLAIN);
		vd_csv_field(f, p->townships[township_of(p, r->doctor)].id, VD_CSV_PLAIN);
		vd_csv_field(f, vd_course_id(p, r->course), VD_CSV_PLAIN);
		vd_csv_field(f, r->run == VD_NONE ? "" : pl->runs[r->run].cohort, VD_CSV_PLAIN);
		vd_csv_field(f, vd_pair_status_names[r->status], VD_CSV_PLAIN);
		fprintf(f, "%u,%u,", r->attended, r->total);
		vd_csv_field(f, vd_decimal(r->hours, h), VD_CSV_PLAIN);
		vd_csv_field(f, vd_decimal(r->credits, cr), VD_CSV_PLAIN);
		vd_csv_last(f, r->certificate, VD_CSV_PLAIN);
	}
	return vd_outfile_close(&o, dg);
}

/* Writes s left-aligned in `width` columns, a character outside ASCII
 * taken as two (the Chinese of the total row's label). */
static void put_padded(FILE *f, const char *s, int width)
{
	int w = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		w += *u < 0x80 ? 1 : (*u & 0xC0) == 0xC0 ? 2 : 0;
	fprintf(f, "%s%*s", s, width > w ? width - w : 0, "");
}

/* One line of the report's table: ids first (aligned), names last (their
 * display width is not their byte count). */
static void report_line(FILE *f, const char *township, const char *course,
                        const struct vd_completion_cell *cell, const char *names)
{
	char h[32], cr[32];
	double rate = cell->required ? 100.0 * (double)cell->pairs[VD_PAIR_COMPLETED] / (double)cell->required : 0;
	fputs("  ", f);
	put_padded(f, township, 13);
	put_padded(f, course, 12);
	fprintf(f, " %8zu %9zu %6zu %11zu %9zu %11zu %6.1f%% %8s %8s%s%s\n",
	        cell->required, cell->pairs[VD_PAIR_COMPLETED],
	        cell->pairs[VD_PAIR_MISSED], cell->pairs[VD_PAIR_IN_PROGRESS],
	        cell->pairs[VD_PAIR_SCHEDULED], cell->pairs[VD_PAIR_UNSCHEDULED], rate,
	        vd_decimal(cell->hours, h), vd_decimal(cell->credits, cr), *names ? "  " : "", names);
}

void vd_completion_report(FILE *f, const struct vd_program *p, const struct vd_completion *c)
{
	char a[11];
	if (c->asof)
		fprintf(f, _("\n培训完成情况 completion: sessions before %s have taken place (rows: completion.csv)\n"),
		        vd_date_format(c->asof, a));
	else
		fprintf(f, _("\n培训完成情况 completion (rows: completion.csv)\n  no session has happened yet: plan --previous DIR --freeze-before DATE after the first runs\n"));
	fputs(_("  township     course       required completed missed in_progress scheduled unscheduled   rate    hours  credits\n"), f);
	struct vd_completion_tally t;
	vd_completion_tally(p, c, &t);
	for (size_t i = 0; i < t.n; i++) {
		const struct vd_completion_cell *cell = &t.cells[i];
		const struct vd_township *tw = &p->townships[cell->township];
		const struct vds_course *def = p->courses[cell->course].def;
		char *names = xasprintf("%s %s", tw->name && *tw->name ? tw->name : tw->id,
		                        def->title && *def->title ? def->title : def->id);
		report_line(f, tw->id, vd_course_id(p, cell->course), cell, names);
		free(names);
	}
	report_line(f, _("合计"), _("total"), &t.total, "");
	char h[32], cr[32];
	fprintf(f, _("  %zu of %zu pairs completed; %zu missed and to be made up; %s hours taught, %s credits granted; certificates: print/certificates/index.html\n"),
	        t.total.pairs[VD_PAIR_COMPLETED], t.total.required, t.total.pairs[VD_PAIR_MISSED],
	        vd_decimal(t.total.hours, h), vd_decimal(t.total.credits, cr));
	vd_completion_tally_free(&t);
}

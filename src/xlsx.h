/* xlsx.h -- plan.xlsx: the CSV tables and one sheet per site as one Excel
 * workbook (libxlsxwriter), so Excel and WPS open the plan without an
 * import dialog.
 *
 * Sheets 排班表, 课次, 乡镇支援 and 未安排 hold the rows of schedule.csv,
 * sessions.csv, cover.csv and unscheduled.csv in the same order, with names
 * beside the ids; after a re-plan 变动 holds changes.csv's rows with
 * headers and change names for people; then one sheet per site lists its
 * runs (course titles, not ids); 培训统计 and 完成情况 say who completed
 * what (completion-out.h); 签到 is attendance-template.csv's rows.  Names,
 * headers and words are in the language of the messages (Chinese, or
 * English under [output] language = en), but 签到's name, by which
 * [program] attendance reads it back.  Every sheet prints on A4 landscape, as
 * wide as the page, its header row on each page.  Dates and times
 * are real Excel dates and times, ids and phone numbers are text.  The
 * workbook's creation time is SOURCE_DATE_EPOCH when set, so two runs with
 * it give byte-identical files. */
#ifndef VD_XLSX_H
#define VD_XLSX_H
#include <stddef.h>
#include "diag.h"
#include "model.h"

struct vd_changes;
struct vd_completion;

/* Writes DIR/plan.xlsx; with ch (a re-plan) also its 变动 sheet, after
 * 未安排; last the 培训统计 (comp's per township x course tally,
 * completion-out.h) and 完成情况 (completion.csv's rows) sheets.
 * Returns 0, or -1 after reporting with the path (nothing usable is left
 * at DIR/plan.xlsx then). */
int vd_write_xlsx(const struct vd_program *p, const struct vd_plan *pl,
                  const struct vd_completion *comp, const struct vd_changes *ch,
                  const char *dir, struct vd_diag *dg);

/* The sheet name for a site called `name` with id `id`: `name` with the
 * characters Excel refuses ([]:*?/\ and control characters) turned into
 * '_', apostrophes at the ends dropped, cut to 31 characters; the id when
 * that is empty or already taken (case-insensitively) among used[0..nused);
 * the id with ~2, ~3... when even that is taken.  Returned malloc'd. */
char *vd_xlsx_sheet_name(const char *name, const char *id, char *const *used, size_t nused);
#endif

/* xlsxread.h -- the workbook table source: one sheet of an Excel workbook
 * (.xlsx) read as records, one per non-blank sheet row, for vd_table_read
 * (csvread.h).  Cells read as the office sees them in Excel: ids and phones
 * typed as numbers keep all their digits, date cells are YYYY-MM-DD. */
#ifndef VD_XLSXREAD_H
#define VD_XLSXREAD_H
#include <stddef.h>
#include "csvread.h"

/* Whether a file starting with head[0 .. n) and called path is for the
 * workbook source: a zip, an OLE2 file (.xls, or an .xlsx with a
 * password), or a name ending in .xlsx or .xlsm. */
int vd_xlsx_is_workbook(const unsigned char *head, size_t n, const char *path);

/* Opens the workbook at path for t: the sheet named sheet (exact, then
 * ignoring case), or with sheet NULL the one named fallback if the workbook
 * has it, else the first.  NULL after reporting through t (and marking it
 * unusable) when the workbook or the sheet cannot be read. */
struct vd_table_src *vd_xlsx_src_open(struct vd_table *t, const char *path, const char *sheet,
                                      const char *fallback);
#endif

/* test_xlsxread.c -- the workbook source (xlsxread.h) through the one
 * table reader: cells as Excel shows them (ids and phones typed as
 * numbers, date cells in both date systems, shared, inline and rich
 * text), skipped cells and blank rows, path#sheet and the default sheet,
 * and one clear message for each kind of file that is not a usable
 * workbook.
 *
 * The workbooks are written by the test, part by part, with minizip's
 * zip.h, so each holds exactly the XML a case needs.  Files go to one
 * mkdtemp folder under /tmp, removed at the end. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zip.h>
#include "csvread.h"
#include "strbuf.h"
#include "tablefix.h"
#include "xalloc.h"

static int group_setup(void **state)
{
	return fx_setup(state, "/tmp/vdxlsx-XXXXXX");
}

/* ---- writing workbooks ---- */

/* A zip at dir/name of the parts given as name, text, ..., NULL. */
static char *write_zip(struct fx *f, const char *name, const char *const *parts)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
	assert_non_null(z);
	for (; parts[0]; parts += 2) {
		zip_fileinfo zi = { 0 };
		assert_int_equal(zipOpenNewFileInZip(z, parts[0], &zi, NULL, 0, NULL, 0, NULL,
		                                     Z_DEFLATED, Z_DEFAULT_COMPRESSION), ZIP_OK);
		assert_int_equal(zipWriteInFileInZip(z, parts[1], (unsigned)strlen(parts[1])), ZIP_OK);
		assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
	}
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	return path;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* The styles every workbook here has: cell style 1 is built-in date
 * format 14, 2 a Chinese custom date, 3 a number with decimals, 4 a
 * time. */
static const char styles_xml[] =
	"<styleSheet " NS "><numFmts count=\"3\">"
	"<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"0.00\"/>"
	"<numFmt numFmtId=\"166\" formatCode=\"h:mm\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
	"<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>";

/* A workbook of sheets named names[i] holding rows[i] (the inside of
 * <sheetData>), with the shared strings sst (the inside of <sst>). */
static char *write_book(struct fx *f, const char *file, int date1904, const char *sst,
                        const char *const *names, const char *const *rows)
{
	struct vd_strbuf wb = { 0 }, rels = { 0 };
	const char *parts[40];
	char *sheet_xml[8], *sheet_part[8];
	size_t np = 0, n = 0;
	vd_strbuf_cat(&wb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook " NS ">");
	vd_strbuf_cat(&wb, date1904 ? "<workbookPr date1904=\"1\"/><sheets>" : "<workbookPr/><sheets>");
	vd_strbuf_cat(&rels, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	              "<Relationship Id=\"rId99\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	              "<Relationship Id=\"rId98\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>");
	for (; names[n]; n++) {
		char *s = xasprintf("<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", names[n], n + 1, n + 1);
		vd_strbuf_cat(&wb, s);
		free(s);
		s = xasprintf("<Relationship Id=\"rId%zu\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet%zu.xml\"/>", n + 1, n + 1);
		vd_strbuf_cat(&rels, s);
		free(s);
		sheet_part[n] = xasprintf("xl/worksheets/sheet%zu.xml", n + 1);
		sheet_xml[n] = xasprintf("<worksheet " NS "><sheetData>%s</sheetData></worksheet>", rows[n]);
		parts[np++] = sheet_part[n];
		parts[np++] = sheet_xml[n];
	}
	vd_strbuf_cat(&wb, "</sheets></workbook>");
	vd_strbuf_cat(&rels, "</Relationships>");
	char *sst_xml = xasprintf("<sst " NS ">%s</sst>", sst ? sst : "");
	const char *fixed[] = { "xl/workbook.xml", wb.s, "xl/_rels/workbook.xml.rels", rels.s,
	                        "xl/styles.xml", styles_xml, "xl/sharedStrings.xml", sst_xml };
	memcpy(parts + np, fixed, sizeof fixed);
	np += sizeof fixed / sizeof *fixed;
	parts[np] = NULL;
	char *path = write_zip(f, file, parts);
	for (size_t i = 0; i < n; i++) {
		free(sheet_xml[i]);
		free(sheet_part[i]);
	}
	free(sst_xml);
	vd_strbuf_free(&wb);
	vd_strbuf_free(&rels);
	return path;
}

/* One sheet called Sheet1. */
static char *write_sheet(struct fx *f, int date1904, const char *sst, const char *rows)
{
	return write_book(f, "t.xlsx", date1904, sst, (const char *[]){ "Sheet1", NULL },
	                  (const char *[]){ rows, NULL });
}

/* ---- reading ---- */

/* Reads path (which it frees) with opts' default sheet; returns the error count. */
static unsigned read_path(struct fx *f, char *path, const char *default_sheet)
{
	struct vd_table_opts o = { .field_max = 4096, .record_max = 65536, .sheet = default_sheet };
	struct vd_table *t = vd_table_new();
	assert_int_equal(vd_table_read(t, path, &o, &f->dg, collect, f), 0);
	unsigned errors = vd_table_errors(t);
	f->unusable = vd_table_unusable(t);
	vd_table_free(t);
	free(path);
	fflush(f->mem);
	return errors;
}

/* ---- cells ---- */

/* A sheet of rows (with shared strings sst) reads as want, without a message. */
static void assert_sheet(struct fx *f, int date1904, const char *sst, const char *rows,
                         const char *const *want)
{
	void *st = f;
	fresh(&st);
	assert_int_equal(read_path(f, write_sheet(f, date1904, sst, rows), NULL), 0);
	assert_got(f, want);
}

static void test_numbers_as_typed(void **state)
{
	struct fx *f = *state;
	assert_sheet(f, 0, NULL,
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>"
		"<row r=\"2\"><c r=\"A2\"><v>1001</v></c><c r=\"B2\"><v>13907760001</v></c><c r=\"C2\" s=\"3\"><v>1.5</v></c></row>"
		"<row r=\"3\"><c r=\"A3\"><v>0.30000000000000004</v></c><c r=\"B3\"><v>1E+20</v></c><c r=\"C3\"><v>-2.5E-7</v></c><c r=\"D3\"><v>-0</v></c></row>"
		"<row r=\"4\"><c r=\"A4\" t=\"b\"><v>1</v></c><c r=\"B4\" t=\"b\"><v>0</v></c>"
		"<c r=\"C4\" t=\"e\"><f>VLOOKUP(A1,B:B,2,0)</f><v>#N/A</v></c>"
		"<c r=\"D4\" t=\"str\"><f>A1&amp;\"x\"</f><v>idx</v></c><c r=\"E4\"><f>1+1</f><v>2</v></c></row>",
		(const char *[]){ "1|id|phone", "2|1001|13907760001|1.5",
		                  "3|0.3|100000000000000000000|-0.00000025|0",
		                  "4|TRUE|FALSE|#N/A|idx|2", NULL });
}

static void test_strings(void **state)
{
	struct fx *f = *state;
	static const char sst[] =
		"<si><t>卢玉永</t></si>"
		"<si><r><rPr><b/></rPr><t>那安</t></r><r><t xml:space=\"preserve\">村 卫生室</t></r></si>"
		"<si><t>田阳</t><rPh sb=\"0\" eb=\"2\"><t>tianyang</t></rPh><phoneticPr fontId=\"1\"/></si>"
		"<si><t/></si>"
		"<si><t>a &amp; &lt;b&gt;</t></si>";
	assert_sheet(f, 0, sst,
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>\n"
		"  <row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c>\n"
		"  <c r=\"B2\" t=\"inlineStr\"><is><r><t>合</t></r><r><t>并</t></r></is></c></row>",
		(const char *[]){ "1|卢玉永|那安村 卫生室|田阳", "2|a & <b>|合并", NULL });
}

/* Cells a row skips are empty fields; a row with nothing (or only empty
 * strings and styled blanks) is skipped; rows keep their sheet numbers,
 * also when the writer leaves r out. */
static void test_skipped_cells_and_rows(void **state)
{
	struct fx *f = *state;
	assert_sheet(f, 0, "<si><t/></si><si><t>x</t></si>",
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"C1\"><v>3</v></c><c r=\"D1\" s=\"3\"/></row>"
		"<row r=\"2\"><c r=\"A2\" s=\"1\"/><c r=\"B2\" t=\"s\"><v>0</v></c></row>"
		"<row r=\"3\"/>"
		"<row r=\"5\"><c r=\"B5\"><v>7</v></c></row>"
		"<row><c><v>8</v></c><c><v>9</v></c><c r=\"AA6\"><v>27</v></c></row>",
		(const char *[]){ "1|x||3", "5||7",
		                  "6|8|9|||||||||||||||||||||||||27" /* AA: column 27 */, NULL });
}

static void test_dates(void **state)
{
	struct fx *f = *state;
	assert_sheet(f, 0, NULL,
		/* styles 1 and 2 show dates, 3 decimals, 4 a time; there is no 9 */
		"<row r=\"1\"><c r=\"A1\" s=\"1\"><v>46143</v></c><c r=\"B1\" s=\"2\"><v>45000.75</v></c><c r=\"C1\" s=\"3\"><v>46143</v></c><c r=\"D1\" s=\"4\"><v>0.5</v></c><c r=\"E1\" s=\"9\"><v>46143</v></c></row>"
		/* Excel's 1900-02-29; a negative serial is no date; an ISO date cell;
		 * what no Excel writes stays as written */
		"<row r=\"2\"><c r=\"A2\" s=\"1\"><v>59</v></c><c r=\"B2\" s=\"1\"><v>60</v></c><c r=\"C2\" s=\"1\"><v>61</v></c><c r=\"D2\" s=\"1\"><v>1</v></c><c r=\"E2\" s=\"1\"><v>-3</v></c><c r=\"F2\" t=\"d\"><v>2026-05-11T00:00:00</v></c><c r=\"G2\" s=\"1\"><v>NaN</v></c><c r=\"H2\" s=\"1\"><v>1e400</v></c></row>",
		(const char *[]){ "1|2026-05-01|2023-03-15|46143|0.5|46143",
		                  "2|1900-02-28|1900-02-29|1900-03-01|1900-01-01|-3|2026-05-11|NaN|1e400", NULL });

	assert_sheet(f, 1, NULL,
		"<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43219</v></c><c r=\"B1\" s=\"2\"><v>0</v></c><c r=\"C1\"><v>43219</v></c></row>",
		(const char *[]){ "1|2022-04-30|1904-01-01|43219", NULL });
}

/* ---- sheets ---- */

static char *two_sheets(struct fx *f)
{
	return write_book(f, "名单.xlsx", 0, NULL, (const char *[]){ "Sheet1", "村医", "签到", NULL },
	                  (const char *[]){ "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
	                                    "<row r=\"3\"><c r=\"A3\"><v>2</v></c></row>",
	                                    "<row r=\"2\"><c r=\"B2\"><v>3</v></c></row>" });
}

static void test_named_sheet(void **state)
{
	struct fx *f = *state;
	char *path = two_sheets(f);
	assert_int_equal(read_path(f, xasprintf("%s#村医", path), NULL), 0);
	assert_int_equal(read_path(f, xasprintf("%s#SHEET1", path), "签到"), 0);
	assert_int_equal(read_path(f, xasprintf("%s", path), NULL), 0);
	assert_int_equal(read_path(f, xasprintf("%s", path), "签到"), 0);
	assert_int_equal(read_path(f, xasprintf("%s", path), "attendance"), 0);
	assert_got(f, (const char *[]){ "3|2", "1|1", "1|1", "2||3", "1|1", NULL });
	free(path);

	/* a CSV file whose name has a '#' is still that file */
	path = xasprintf("%s/a#b.csv", f->dir);
	FILE *o = fopen(path, "w");
	assert_true(o && fputs("x,y\n", o) >= 0 && fclose(o) == 0);
	assert_int_equal(read_path(f, path, NULL), 0);
	assert_string_equal(f->got.v[f->got.n - 1], "1|x|y");
}

static void test_missing_sheet(void **state)
{
	struct fx *f = *state;
	char *path = two_sheets(f);
	char *named = xasprintf("%s#医生", path);
	assert_int_equal(read_path(f, xasprintf("%s", named), NULL), 1);
	char *want = xasprintf("%s: error: the workbook has no sheet '医生'; its sheets are: 'Sheet1', '村医', '签到'", named);
	assert_msg(f, want);
	assert_true(f->unusable);
	assert_int_equal(f->got.n, 0);
	free(want);
	free(named);
	free(path);
}

/* ---- files that are not usable workbooks ---- */

/* path read gives exactly one error, containing want; nothing is read. */
static void assert_refused(struct fx *f, char *path, const char *want)
{
	fresh((void **)&f);
	assert_int_equal(read_path(f, path, NULL), 1);
	assert_true(f->unusable);
	assert_int_equal(f->got.n, 0);
	assert_msg(f, want);
}

static void test_bad_workbooks(void **state)
{
	struct fx *f = *state;
	assert_refused(f, write_bytes(f, "old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
	               "old.xls: error: the file is an old Excel workbook (.xls) or one with a password");
	assert_refused(f, write_bytes(f, "text.xlsx", "a,b\n1,2\n", 8),
	               "text.xlsx: error: the file is named like an Excel workbook (.xlsx) but is not one");
	assert_refused(f, write_bytes(f, "cut.csv", "PK\3\4\x14\0\0\0", 8),
	               "cut.csv: error: the workbook cannot be opened: it is cut short or damaged");
	assert_refused(f, write_zip(f, "doc.xlsx", (const char *[]){ "word/document.xml", "<w/>", NULL }),
	               "doc.xlsx: error: the file is a zip but not an Excel workbook (it has no xl/workbook.xml)");
	assert_refused(f, write_sheet(f, 0, NULL, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</c></row>"),
	               "t.xlsx: error: the workbook is damaged (xl/worksheets/sheet1.xml is not well-formed XML at its line 1)");
	assert_refused(f, write_sheet(f, 0, "<si><t>a</t></si>", "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>1</v></c></row>"),
	               "t.xlsx: error: the workbook is damaged (a cell in row 4 refers to a text it does not hold)");
	assert_refused(f, write_zip(f, "nosheet.xlsx", (const char *[]){
	               "xl/workbook.xml", "<workbook " NS "><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>",
	               "xl/_rels/workbook.xml.rels", "<Relationships/>", NULL }),
	               "nosheet.xlsx: error: the workbook is damaged (xl/_rels/workbook.xml.rels is missing)");
	char *csv = write_bytes(f, "plain.csv", "a,b\n", 4);
	char *named = xasprintf("%s#村医", csv);
	assert_refused(f, named, "plain.csv#村医: error: '#村医' names a sheet, but the file is not an Excel workbook (.xlsx)");
	free(csv);
}

/* A sheet of a real size, whose rows must all arrive in order. */
static void test_many_rows(void **state)
{
	struct fx *f = *state;
	struct vd_strbuf rows = { 0 };
	for (int r = 1; r <= 3000; r++) {
		char *s = xasprintf("<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>d%04d</t></is></c>"
		                    "<c r=\"C%d\"><v>%lld</v></c></row>", r, r, r, r, 13800000000LL + r);
		vd_strbuf_cat(&rows, s);
		free(s);
	}
	char *path = write_sheet(f, 0, NULL, rows.s);
	vd_strbuf_free(&rows);
	assert_int_equal(read_path(f, path, NULL), 0);
	assert_int_equal(f->got.n, 3000);
	assert_string_equal(f->got.v[0], "1|d0001||13800000001");
	assert_string_equal(f->got.v[2999], "3000|d3000||13800003000");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, fresh)
	const struct CMUnitTest tests[] = {
		T(test_numbers_as_typed),
		T(test_strings),
		T(test_skipped_cells_and_rows),
		T(test_dates),
		T(test_named_sheet),
		T(test_missing_sheet),
		T(test_bad_workbooks),
		T(test_many_rows),
	};
	return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}

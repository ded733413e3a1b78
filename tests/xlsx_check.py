#!/usr/bin/env python3
"""xlsx_check.py -- read OUTDIR/plan.xlsx back and compare it with the CSV
tables beside it, cell by cell.

    xlsx_check.py OUTDIR PROGRAM.ini

Checks, with openpyxl:
  * the sheets are 排班表, 课次, 乡镇支援, 未安排, then one per [site ...]
    section in file order, each named by the site's name made valid for
    Excel (at most 31 characters, none of []:*?/\\, no ' at the ends,
    unique ignoring case), else by its id;
  * every sheet has its Chinese header row in bold, frozen (freeze_panes
    A2) and under an autofilter covering the whole table;
  * 排班表, 课次, 乡镇支援, 未安排 hold the rows of schedule.csv,
    sessions.csv, cover.csv, unscheduled.csv in the same order: ids and
    phone numbers are strings equal to the CSV (and the roster), dates are
    datetime cells on the CSV's date, times are times, counts are numbers;
    the names beside the ids are those of the program and the roster;
  * each site sheet lists that site's runs (from schedule.csv and
    sessions.csv) with dates, teacher, size and the members' names;
  * the last sheet, 签到, holds attendance-template.csv's rows in its
    order, dates and times as text (as the CSV writes them), the clinic's
    and the course's names beside the ids, and its 出勤 column empty,
    filled in colour and offering the list 到,缺,假 on every row;
  * every column is at least as wide as its widest cell (a CJK character
    counting two), up to Excel's 255.
Prints one line per problem; exit 0 when there are none, 1 otherwise.
"""

import configparser
import csv
import datetime
import io
import os
import sys
import unicodedata

import openpyxl
from openpyxl.utils import get_column_letter

FIXED = ["排班表", "课次", "乡镇支援", "未安排"]
# last, after the site sheets (tests/completion.sh checks their cells)
COMPLETION = ["培训统计", "完成情况"]
HEADS = {
    "排班表": ["医生编号", "姓名", "卫生室编号", "卫生室名称", "乡镇", "电话", "班级", "课程",
            "课程名称", "培训点编号", "培训点名称", "开始日期", "结束日期"],
    "课次": ["班级", "课程", "培训点编号", "培训点名称", "老师编号", "老师", "日期", "开始",
           "结束", "内容"],
    "乡镇支援": ["日期", "乡镇编号", "乡镇名称", "卫生室编号", "卫生室名称", "缺额"],
    "未安排": ["医生编号", "姓名", "课程", "原因"],
}
HEADS["变动"] = ["医生编号", "姓名", "电话", "课程", "变动", "原安排", "新安排", "个人日历"]
CHANGES = {"moved": "改期或换培训点", "updated": "日历有更新", "added": "新加入",
           "dropped": "不再参加", "cancelled": "无法安排"}
SITE_HEAD = ["班级", "课程", "开始日期", "结束日期", "老师", "人数", "学员"]
SIGNIN = "签到"
HEADS[SIGNIN] = ["医生编号", "姓名", "村卫生室", "班级", "课程", "课程名称", "日期", "时间", "场次",
                 "出勤"]
SIGNIN_CSV = ["doctor_id", "doctor_name", "clinic_id", "cohort_id", "course_id", "date", "start",
              "session", "status"]

problems = []


def bad(msg):
    problems.append(msg)


def read_csv(path, encoding="utf-8-sig"):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode(encoding or "gbk")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_program(ini_path):
    cp = configparser.ConfigParser(interpolation=None, strict=False,
                                   inline_comment_prefixes=(";", "#"),
                                   comment_prefixes=(";", "#"))
    cp.optionxform = str
    with open(ini_path, encoding="utf-8-sig") as f:
        cp.read_file(f)
    prog = {"sites": [], "townships": {}, "instructors": {}}
    for sec in cp.sections():
        kind, _, ident = sec.partition(" ")
        ident = ident.strip()
        if kind == "site":
            prog["sites"].append((ident, cp[sec].get("name", "")))
        elif kind == "township":
            prog["townships"][ident] = cp[sec].get("name", "")
        elif kind == "instructor":
            prog["instructors"][ident] = cp[sec].get("name", "")
    base = os.path.dirname(ini_path)
    pg = cp["program"]
    prog["encoding"] = pg.get("encoding", "").strip() or None
    prog["clinics"] = os.path.join(base, pg.get("clinics", "clinics.csv"))
    prog["doctors"] = os.path.join(base, pg.get("doctors", "doctors.csv"))
    return prog


def township_name(prog, value):
    tw = prog["townships"]
    if not tw:                       # implicit townships: id = name = value
        return value
    if value in tw:
        return tw[value]
    for ident, name in tw.items():
        if name == value:
            return name
    return tw.get(value.lower(), value)


# ---- Excel's rules for sheet names, as the spreadsheet applications apply them
FORBIDDEN = set("[]:*?/\\")


def units(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def valid_sheet_name(s):
    return (0 < units(s) <= 31 and not any(c in FORBIDDEN or ord(c) < 0x20 for c in s)
            and not s.startswith("'") and not s.endswith("'"))


def clean(s, limit=31):
    out, n = [], 0
    for c in s:
        u = 2 if ord(c) > 0xFFFF else 1
        if n + u > limit:
            break
        out.append("_" if c in FORBIDDEN or ord(c) < 0x20 or ord(c) == 0x7F else c)
        n += u
    return "".join(out).strip("'")


def expected_sheet_names(prog, fixed):
    used = [s.casefold() for s in fixed] + ["history", SIGNIN]
    names = []
    for ident, name in prog["sites"]:
        cand = clean(name)
        if not cand or cand.casefold() in used:
            cand = clean(ident)
        if not cand or cand.casefold() in used:
            base, k = clean(ident, 25), 2
            while f"{base}~{k}".casefold() in used:
                k += 1
            cand = f"{base}~{k}"
        used.append(cand.casefold())
        names.append(cand)
    return names


# ---- cell comparison
def width(v):
    if isinstance(v, datetime.datetime):
        return 10
    if isinstance(v, datetime.time):
        return 5
    if isinstance(v, (int, float)):
        return len("%g" % v)
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
               for line in str(v).split("\n"))


def as_date(s):
    return datetime.datetime.strptime(s, "%Y-%m-%d")


def same_text(cell, csvv):
    """An id or a text cell: a str equal to the CSV field.  The CSV writes a
    leading ' before = + - @ so Excel does not run them; the workbook keeps
    the text as it is (a string cell is never a formula)."""
    if csvv == "":
        return cell is None
    if not isinstance(cell, str):
        return False
    return cell == csvv or (csvv.startswith("'") and cell == csvv[1:] and cell[:1] in "=+-@\t\r")


class Sheet:
    def __init__(self, ws, name, head):
        self.ws, self.name = ws, name
        self.rows = [list(r) for r in ws.iter_rows(values_only=True)]
        self.ncols = len(head)
        if not self.rows or list(self.rows[0][:len(head)]) != head:
            bad(f"{name}: header is {self.rows[0] if self.rows else None}, expected {head}")
        for c in range(1, len(head) + 1):
            if not ws.cell(row=1, column=c).font.b:
                bad(f"{name}: header cell {get_column_letter(c)}1 is not bold")
                break
        if ws.freeze_panes != "A2":
            bad(f"{name}: freeze_panes is {ws.freeze_panes!r}, expected 'A2'")
        ref = f"A1:{get_column_letter(len(head))}{max(1, len(self.rows))}"
        if ws.auto_filter.ref != ref:
            bad(f"{name}: autofilter is {ws.auto_filter.ref!r}, expected {ref!r}")
        ps = ws.page_setup
        if ps.orientation != "landscape" or str(ps.paperSize) != "9":
            bad(f"{name}: prints {ps.orientation} on paper {ps.paperSize}, expected landscape A4 (9)")
        if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage or \
                ps.fitToWidth not in (1, None) or ps.fitToHeight != 0:
            bad(f"{name}: not fitted to one page wide (fitToWidth {ps.fitToWidth}, fitToHeight {ps.fitToHeight})")
        if ws.print_title_rows not in ("1:1", "$1:$1"):
            bad(f"{name}: header row not repeated on printed pages ({ws.print_title_rows!r})")
        self.body = [r + [None] * (len(head) - len(r)) for r in self.rows[1:]]
        # a cell with line breaks wraps in a row tall enough for its lines
        for i, r in enumerate(self.rows):
            for c, v in enumerate(r):
                if isinstance(v, str) and "\n" in v.rstrip("\n"):
                    cell = ws.cell(row=i + 1, column=c + 1)
                    h = ws.row_dimensions[i + 1].height
                    if not cell.alignment.wrap_text or not h or h < 15 * (v.rstrip("\n").count("\n") + 1) - 1e-9:
                        bad(f"{name}!{get_column_letter(c + 1)}{i + 1}: {v!r} not wrapped in a row tall enough (height {h})")
        # widths: each column at least its widest cell
        for c in range(len(head)):
            need = max(width(r[c]) for r in self.rows if c < len(r) and r[c] is not None)
            letter = get_column_letter(c + 1)
            dim = ws.column_dimensions.get(letter)
            have = dim.width if dim is not None and dim.width else 8.43
            if have + 1e-9 < min(need, 255):
                bad(f"{name}: column {letter} ({head[c]}) is {have:.2f} wide, its widest cell needs {need}")

    def where(self, i, c):
        return f"{self.name}!{get_column_letter(c + 1)}{i + 2}"


def check_text(sh, i, c, csvv, what):
    v = sh.body[i][c]
    if not same_text(v, csvv):
        bad(f"{sh.where(i, c)}: {what} is {v!r} ({type(v).__name__}), CSV has {csvv!r}")


def check_date(sh, i, c, csvv):
    v = sh.body[i][c]
    if not isinstance(v, datetime.datetime) or v != as_date(csvv):
        bad(f"{sh.where(i, c)}: date is {v!r}, CSV has {csvv} (a date cell expected)")
    elif sh.ws.cell(row=i + 2, column=c + 1).number_format != "yyyy-mm-dd":
        bad(f"{sh.where(i, c)}: date format is {sh.ws.cell(row=i + 2, column=c + 1).number_format!r}")


def check_time(sh, i, c, csvv):
    v = sh.body[i][c]
    h, m = map(int, csvv.split(":"))
    if not isinstance(v, datetime.time) or (v.hour, v.minute) != (h, m):
        bad(f"{sh.where(i, c)}: time is {v!r}, CSV has {csvv} (a time cell expected)")


def check_number(sh, i, c, want):
    v = sh.body[i][c]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != want:
        bad(f"{sh.where(i, c)}: number is {v!r}, expected {want}")


def check_equal(sh, i, c, want, what):
    v = sh.body[i][c]
    if (v or "") != (want or ""):
        bad(f"{sh.where(i, c)}: {what} is {v!r}, expected {want!r}")


def same_rows(sh, csvrows):
    if len(sh.body) != len(csvrows):
        bad(f"{sh.name}: {len(sh.body)} rows, the CSV has {len(csvrows)}")
        return False
    return True


def check_signin(wb, out, clinics, ci, titles):
    """签到 <- attendance-template.csv, row for row."""
    sh = Sheet(wb[SIGNIN], SIGNIN, HEADS[SIGNIN])
    rows = read_csv(os.path.join(out, "attendance-template.csv"))
    if not rows or rows[0] != SIGNIN_CSV:
        bad(f"attendance-template.csv: header is {rows[:1]}, expected {SIGNIN_CSV}")
        return
    rows = [r for r in rows[1:] if r]
    if not same_rows(sh, rows):
        return
    for i, r in enumerate(rows):
        did, dname, cid, coh, course, date, start, half, status = r
        clinic = clinics.get(cid)
        for c, v, what in ((0, did, "doctor id"), (1, dname, "name"), (3, coh, "cohort"),
                           (4, course, "course"), (6, date, "date"), (7, start, "time"),
                           (8, half, "session")):
            check_text(sh, i, c, v, what)
        if clinic:
            check_equal(sh, i, 2, clinic[ci["name"]] or cid, "clinic name")
        if course in titles:
            check_equal(sh, i, 5, titles[course], "course title")
        if status != "" or sh.body[i][9] is not None:
            bad(f"{sh.where(i, 9)}: status is {sh.body[i][9]!r} (CSV {status!r}), expected empty")
        fill = sh.ws.cell(row=i + 2, column=10).fill
        if fill is None or fill.fill_type != "solid":
            bad(f"{sh.where(i, 9)}: the 出勤 cell is not filled in colour")
            break
    dvs = [dv for dv in sh.ws.data_validations.dataValidation
           if dv.type == "list" and dv.formula1 == '"到,缺,假"']
    want = f"J2:J{len(rows) + 1}"
    if rows and not any(str(dv.sqref) == want for dv in dvs):
        bad(f"{SIGNIN}: no list 到,缺,假 over {want} "
            f"({[(str(dv.sqref), dv.formula1) for dv in sh.ws.data_validations.dataValidation]})")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: xlsx_check.py OUTDIR PROGRAM.ini")
    out, ini = sys.argv[1], sys.argv[2]
    prog = read_program(ini)
    clinics = {r[0]: r for r in read_csv(prog["clinics"], prog["encoding"])[1:] if r}
    doctors = {r[0]: r for r in read_csv(prog["doctors"], prog["encoding"])[1:] if r}
    chead = read_csv(prog["clinics"], prog["encoding"])[0]
    dhead = read_csv(prog["doctors"], prog["encoding"])[0]
    ci = {k.strip().lstrip("\ufeff"): n for n, k in enumerate(chead)}
    di = {k.strip().lstrip("\ufeff"): n for n, k in enumerate(dhead)}
    sites = dict(prog["sites"])

    wb = openpyxl.load_workbook(os.path.join(out, "plan.xlsx"))
    # the 变动 sheet is there when a re-plan changed something
    cpath = os.path.join(out, "changes.csv")
    replan = os.path.isfile(cpath) and len(open(cpath, encoding="utf-8-sig").read().splitlines()) > 1
    fixed = FIXED + (["变动"] if replan else [])
    want_names = fixed + expected_sheet_names(prog, fixed + COMPLETION) + COMPLETION + [SIGNIN]
    if wb.sheetnames != want_names:
        bad(f"sheets are {wb.sheetnames}, expected {want_names}")
    seen = set()
    for n in wb.sheetnames:
        if not valid_sheet_name(n) or n.casefold() in seen:
            bad(f"sheet name {n!r} is not valid in Excel (or repeated)")
        seen.add(n.casefold())

    def table(name):
        rows = read_csv(os.path.join(out, name))
        return [r for r in rows[1:] if r]

    # 排班表 <- schedule.csv
    titles = {}
    if "排班表" in wb.sheetnames:
        sh = Sheet(wb["排班表"], "排班表", HEADS["排班表"])
        rows = table("schedule.csv")
        if same_rows(sh, rows):
            for i, r in enumerate(rows):
                did, dname, cid, coh, course, site, a, b = r
                for c, v, what in ((0, did, "doctor id"), (1, dname, "name"), (2, cid, "clinic id"),
                                   (6, coh, "cohort"), (7, course, "course"), (9, site, "site id")):
                    check_text(sh, i, c, v, what)
                check_date(sh, i, 11, a)
                check_date(sh, i, 12, b)
                cl = clinics.get(cid)
                if cl:
                    check_equal(sh, i, 3, cl[ci["name"]], "clinic name")
                    check_equal(sh, i, 4, township_name(prog, cl[ci["township"]]), "township")
                d = doctors.get(did)
                phone = d[di["phone"]].strip() if d and "phone" in di else ""
                check_text(sh, i, 5, phone, "phone")
                check_equal(sh, i, 10, sites.get(site), "site name")
                t = sh.body[i][8]
                if not isinstance(t, str) or titles.setdefault(course, t) != t:
                    bad(f"{sh.where(i, 8)}: course title {t!r} for {course}")

    # 课次 <- sessions.csv
    teacher = {}
    if "课次" in wb.sheetnames:
        sh = Sheet(wb["课次"], "课次", HEADS["课次"])
        rows = table("sessions.csv")
        if same_rows(sh, rows):
            for i, r in enumerate(rows):
                coh, course, site, ins, date, t1, t2, title = r
                for c, v, what in ((0, coh, "cohort"), (1, course, "course"), (2, site, "site id"),
                                   (4, ins, "teacher id"), (9, title, "title")):
                    check_text(sh, i, c, v, what)
                check_equal(sh, i, 3, sites.get(site), "site name")
                check_equal(sh, i, 5, prog["instructors"].get(ins, "") if ins else "", "teacher")
                check_date(sh, i, 6, date)
                check_time(sh, i, 7, t1)
                check_time(sh, i, 8, t2)
                if course in titles and not (sh.body[i][9] or "").startswith(titles[course] + " — "):
                    bad(f"{sh.where(i, 9)}: {sh.body[i][9]!r} does not start with the course title {titles[course]!r}")
                teacher[(coh, course)] = sh.body[i][5]

    # 乡镇支援 <- cover.csv
    if "乡镇支援" in wb.sheetnames:
        sh = Sheet(wb["乡镇支援"], "乡镇支援", HEADS["乡镇支援"])
        rows = table("cover.csv")
        if same_rows(sh, rows):
            for i, r in enumerate(rows):
                date, tw, cid, short = r[:4]
                check_date(sh, i, 0, date)
                check_text(sh, i, 1, tw, "township id")
                check_text(sh, i, 3, cid, "clinic id")
                check_number(sh, i, 5, int(short))
                tw_id = tw[1:] if tw.startswith("'") else tw
                check_equal(sh, i, 2, township_name(prog, tw_id), "township name")
                if cid in clinics:
                    check_equal(sh, i, 4, clinics[cid][ci["name"]], "clinic name")

    # 未安排 <- unscheduled.csv
    if "未安排" in wb.sheetnames:
        sh = Sheet(wb["未安排"], "未安排", HEADS["未安排"])
        rows = table("unscheduled.csv")
        if same_rows(sh, rows):
            for i, r in enumerate(rows):
                did, course, reason = r
                check_text(sh, i, 0, did, "doctor id")
                check_text(sh, i, 2, course, "course")
                check_text(sh, i, 3, reason, "reason")
                if did in doctors:
                    check_equal(sh, i, 1, doctors[did][di["name"]], "name")

    # 变动 <- changes.csv, with Chinese change names and course titles
    if replan and "变动" in wb.sheetnames:
        sh = Sheet(wb["变动"], "变动", HEADS["变动"])
        rows = table("changes.csv")
        if same_rows(sh, rows):
            for i, r in enumerate(rows):
                did, name, phone, course, change, old, new, cal = r
                for c, v, what in ((0, did, "doctor id"), (1, name, "name"), (2, phone, "phone"),
                                   (5, old, "old"), (6, new, "new"), (7, cal, "calendar")):
                    check_text(sh, i, c, v, what)
                check_equal(sh, i, 4, CHANGES.get(change, "?" + change), "change")
                check_equal(sh, i, 3, titles.get(course, course), "course")

    # site sheets <- schedule.csv (members, dates) and sessions.csv (order)
    sched = table("schedule.csv")
    runs, order = {}, []
    for r in table("sessions.csv"):
        key = (r[0], r[1])
        if key not in runs:
            runs[key] = {"site": r[2], "members": [], "a": None, "b": None}
            order.append(key)
    for did, dname, cid, coh, course, site, a, b in sched:
        run = runs.get((coh, course))
        if run is None:
            bad(f"schedule.csv: {did} in {coh}/{course}, which has no sessions")
            continue
        run["members"].append(dname[1:] if dname.startswith("'") else dname)
        run["a"], run["b"] = a, b
    for (ident, _), sname in zip(prog["sites"], want_names[len(fixed):]):
        if sname not in wb.sheetnames:
            continue
        sh = Sheet(wb[sname], sname, SITE_HEAD)
        mine = [k for k in order if runs[k]["site"] == ident]
        if len(sh.body) != len(mine):
            bad(f"{sname}: {len(sh.body)} runs, the CSVs have {len(mine)} at {ident}")
            continue
        for i, key in enumerate(mine):
            run = runs[key]
            check_text(sh, i, 0, key[0], "cohort")
            check_equal(sh, i, 1, titles.get(key[1], key[1]), "course title")
            check_date(sh, i, 2, run["a"])
            check_date(sh, i, 3, run["b"])
            check_equal(sh, i, 4, teacher.get(key), "teacher")
            check_number(sh, i, 5, len(run["members"]))
            check_equal(sh, i, 6, "、".join(run["members"]), "members")

    if SIGNIN in wb.sheetnames:
        check_signin(wb, out, clinics, ci, titles)

    for p in problems[:40]:
        print(f"xlsx_check: {p}")
    if len(problems) > 40:
        print(f"xlsx_check: ... {len(problems) - 40} more")
    if not problems:
        print(f"xlsx_check: {out}/plan.xlsx matches the CSV tables ({len(wb.sheetnames)} sheets)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""signin_check.py -- check the sign-in sheets and attendance-template.csv
of a plan against its schedule.csv and sessions.csv.

    signin_check.py OUTDIR              the pages and the template
    signin_check.py --pdf OUTDIR PDFDIR the sheets as Chromium printed them
                                        (PDFDIR/signin-*.pdf)

Prints one summary line and exits 0, or prints one line per problem and
exits 1.  Standard library only (pdfinfo and pdftotext for --pdf).
"""

import csv
import glob
import html
import os
import re
import subprocess
import sys

HEADER = ["doctor_id", "doctor_name", "clinic_id", "cohort_id", "course_id", "date", "start",
          "session", "status"]
PORTRAIT_COLS = 6
MARGIN_PT = 12 / 25.4 * 72   # the pages' @page margin
FONT_PT = 10.5               # the pages' font size
problems = []


def bad(msg):
    problems.append(msg)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def plan_runs(out):
    """(cohort, course) -> sessions [(date, start)] and members {id: clinic}"""
    sessions, members = {}, {}
    for r in read_csv(os.path.join(out, "sessions.csv")):
        sessions.setdefault((r["cohort_id"], r["course_id"]), []).append((r["date"], r["start"]))
    for r in read_csv(os.path.join(out, "schedule.csv")):
        members.setdefault((r["cohort_id"], r["course_id"]), {})[r["doctor_id"]] = r["clinic_id"]
    return sessions, members


def half(start):
    return "上午" if start < "12:00" else "下午"


TH = re.compile(r'<th class="s" data-date="([^"]*)" data-start="([^"]*)">(\d\d)-(\d\d)<br>(周.)'
                r'<br>(上午|下午)<br>([^<]*)</th>')
ROW = re.compile(r'<tr data-doctor="([^"]*)"><td class="no">(\d+)</td><td>([^<]*)</td>'
                 r'<td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>((?:<td></td>)*)</tr>')


def parse_sheet(page, want_sessions, want_members):
    """The sheet's members in order [(id, name)], after checking it."""
    text = open(page, encoding="utf-8").read()
    name = os.path.basename(page)
    if "<h2 class=\"signin\">签到表</h2>" not in text:
        bad(f"{name}: no title 签到表")
    if "带教老师签字" not in text:
        bad(f"{name}: no line for the instructor's signature")
    tables = re.findall(r'<table class="signin">(.*?)</table>', text, re.S)
    if not tables:
        bad(f"{name}: no table")
        return []
    got_sessions, order = [], None
    for t in tables:
        heads = TH.findall(t)
        for date, start, mm, dd, _, h, shown in heads:
            got_sessions.append((date, start))
            if (mm, dd) != (date[5:7], date[8:10]) or shown != start or h != half(start):
                bad(f"{name}: session heading {mm}-{dd} {h} {shown} for {date} {start}")
        rows = ROW.findall(t)
        if len(rows) != t.count("<tr data-doctor="):
            bad(f"{name}: {t.count('<tr data-doctor=')} rows, {len(rows)} of them as expected")
        ids = [(r[0], html.unescape(r[2])) for r in rows]
        if order is None:
            order = ids
        elif ids != order:
            bad(f"{name}: the tables list different members")
        for i, r in enumerate(rows):
            if int(r[1]) != i + 1:
                bad(f"{name}: row {i + 1} numbered {r[1]}")
            if r[6].count("<td></td>") != len(heads):
                bad(f"{name}: {r[0]} has {r[6].count('<td></td>')} boxes, {len(heads)} sessions")
        keys = [(html.unescape(r[4]), html.unescape(r[3]), html.unescape(r[2])) for r in rows]
        # township, clinic, name; ties are ordered by ids the page does not show
        for a, b in zip(keys, keys[1:]):
            if a > b:
                bad(f"{name}: {b} after {a}: not by township, clinic and name")
                break
    if got_sessions != want_sessions:
        bad(f"{name}: sessions {got_sessions}, sessions.csv {want_sessions}")
    ids = [i for i, _ in order]
    if len(set(ids)) != len(ids) or set(ids) != set(want_members):
        bad(f"{name}: lists {sorted(ids)}, schedule.csv {sorted(want_members)}")
    return order


def main_pages(out):
    sessions, members = plan_runs(out)
    pdir = os.path.join(out, "print")
    want = {f"signin-{c}-{k}.html": (c, k) for c, k in sessions}
    have = {os.path.basename(p) for p in glob.glob(os.path.join(pdir, "signin-*.html"))}
    for n in sorted(have - set(want)):
        bad(f"{n}: a sheet of no run in sessions.csv")
    for n in sorted(set(want) - have):
        bad(f"no sheet {n} for run {want[n]}")
    if set(members) != set(sessions):
        bad("schedule.csv and sessions.csv name different runs")
    index = open(os.path.join(pdir, "index.html"), encoding="utf-8").read()
    linked = re.findall(r'href="(signin-[^"]*\.html)"', index)
    if sorted(linked) != sorted(want):
        bad(f"index.html links {len(linked)} sheets, {len(want)} runs (or some twice)")
    sheets = {}
    for n in sorted(set(want) & have):
        key = want[n]
        sheets[key] = parse_sheet(os.path.join(pdir, n), sessions[key], members.get(key, {}))
        cohort = open(os.path.join(pdir, f"cohort-{key[0]}.html"), encoding="utf-8").read()
        if f'href="{html.escape(n)}"' not in cohort:
            bad(f"cohort-{key[0]}.html does not link {n}")

    # the template: the sheets' rows, runs in index.html's order
    path = os.path.join(out, "attendance-template.csv")
    raw = open(path, "rb").read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        bad("attendance-template.csv: no UTF-8 byte-order mark")
    if raw.count(b"\n") != raw.count(b"\r\n") or not raw.endswith(b"\r\n"):
        bad("attendance-template.csv: rows not ended by CRLF")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != HEADER:
        bad(f"attendance-template.csv: header {rows[:1]}, expected {HEADER}")
        return
    expect = []
    for n in linked:
        key = want.get(n)
        for did, name in sheets.get(key, []):
            for date, start in sessions[key]:
                expect.append((did, name, members[key][did], key[0], key[1], date, start, half(start),
                               ""))
    got = rows[1:]
    if len(got) != sum(len(members.get(k, {})) * len(s) for k, s in sessions.items()):
        bad(f"attendance-template.csv: {len(got)} rows, not the sum of members x sessions")
    for i, (g, e) in enumerate(zip(got, expect)):
        name = g[1][1:] if g[1][:1] == "'" and g[1][1:2] in ("=", "+", "-", "@") else g[1]
        if tuple(g[:1] + [e[1] if not name else name] + g[2:]) != e:
            bad(f"attendance-template.csv row {i + 2}: {g}, the sheets give {list(e)}")
            break
    if len(got) != len(expect):
        bad(f"attendance-template.csv: {len(got)} rows, the sheets {len(expect)}")
    if not problems:
        print(f"{len(sheets)} sheets list exactly the runs' members and sessions; "
              f"the template's {len(got)} rows follow them")


def pdf_text(pdf, page, *opts):
    return subprocess.run(["pdftotext", *opts, "-f", str(page), "-l", str(page), pdf, "-"],
                          stdout=subprocess.PIPE, text=True, check=True).stdout


def main_pdf(out, pdfdir):
    sessions, members = plan_runs(out)
    npages = 0
    for (cohort, course), sess in sorted(sessions.items()):
        n = f"signin-{cohort}-{course}"
        pdf = os.path.join(pdfdir, n + ".pdf")
        if not os.path.isfile(pdf):
            bad(f"{n}: not printed")
            continue
        info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
        npages += pages
        want = (595, 842) if len(sess) <= PORTRAIT_COLS else (842, 595)
        if (round(w), round(h)) != want:
            bad(f"{n}: {len(sess)} sessions printed on {w:.0f} x {h:.0f} pt, expected {want}")
        # a table of at most 12 boxes, at least 8 rows of members to a page
        tables = -(-len(sess) // 12)
        most = tables * (-(-(len(members[(cohort, course)]) + 8) // 8))
        if not tables <= pages <= most:
            bad(f"{n}: {pages} pages for {len(members[(cohort, course)])} members and "
                f"{len(sess)} sessions (expected {tables} to {most})")
        last_start = sess[-1][1] if tables == 1 else None
        for p in range(1, pages + 1):
            text = pdf_text(pdf, p)
            # the signature line alone may end up on a last page of its own
            if "序号" not in text and not (p == pages and text.split() == ["带教老师签字：", "日期："]):
                bad(f"{n}: page {p} has no header row: {text.split()[:8]}")
            if p == 1 and last_start and last_start not in pdf_text(pdf, p):
                bad(f"{n}: the last session's column ({last_start}) is not on the page")
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)',
                                 pdf_text(pdf, p, "-bbox")):
                if float(m.group(2)) > w - MARGIN_PT + 1 or float(m.group(3)) > h - MARGIN_PT + 1:
                    bad(f"{n}: page {p}: '{m.group(4)}' past the margin ({m.group(2)}, {m.group(3)})")
                    break
                # Chromium shrinks a page too wide for the paper: the
                # header's 序号 (10.5 pt a character) comes out narrower
                if m.group(4) == "序号" and float(m.group(2)) - float(m.group(1)) < 2 * FONT_PT - 1:
                    bad(f"{n}: page {p}: printed shrunk to fit (序号 "
                        f"{float(m.group(2)) - float(m.group(1)):.1f} pt wide, not {2 * FONT_PT})")
                    break
    if not problems:
        print(f"{len(sessions)} sheets print on A4 in {npages} pages, header on each, within the margins")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--pdf":
        main_pdf(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        main_pages(sys.argv[1])
    else:
        sys.exit("usage: signin_check.py OUTDIR | --pdf OUTDIR PDFDIR")
    for p in problems[:30]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""completion_check.py -- checks a plan's completion outputs against its
own tables (tests/completion.sh runs it).

Usage: completion_check.py OUT FREEZE|- PROGRAM_ID CREDITS_JSON BASE_URL|- TOWNSHIPS_JSON
(TOWNSHIPS_JSON: township id -> name)

  * completion.csv: BOM, CRLF, the exact header; one row per pair of
    schedule.csv and of unscheduled.csv (no attendance records: nothing
    missed), in doctor order;
  * each row's status, sessions and hours recounted from sessions.csv and
    the freeze date (a session before it has happened, everyone present);
    credits as configured (CREDITS_JSON: course -> credits, or null for
    the default hours / 3 rounded down to a half);
  * certificates exactly for the completed rows: print/certificates/
    CERTNO.html, listed in its index.html; with BASE_URL verify/CERTNO.html
    too, and no verify/ without it;
  * report.txt's 培训完成情况 table and plan.xlsx's 培训统计 sheet equal a
    recount of completion.csv (each pair under its last row's status).
Prints what differs; exit 0 when nothing does.
"""
import csv
import datetime
import io
import json
import math
import os
import re
import sys

import openpyxl

HEAD = ("doctor_id,doctor_name,clinic_id,township,course_id,cohort_id,status,"
        "sessions_attended,sessions_total,hours,credits,certificate")
STATUSES = ["completed", "missed", "in_progress", "scheduled", "unscheduled"]
failures = []


def bad(msg):
    failures.append(msg)
    print("FAIL:", msg)


def table(path):
    raw = open(path, "rb").read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        bad(f"{path}: no UTF-8 BOM")
    text = raw.decode("utf-8-sig")
    return [r for r in csv.reader(io.StringIO(text, newline="")) if r]


def minutes(hm):
    h, m = hm.split(":")
    return int(h) * 60 + int(m)


def check_rows(out, freeze, prog_id, credits):
    raw = open(os.path.join(out, "completion.csv"), "rb").read()
    if raw.count(b"\n") != raw.count(b"\r\n"):
        bad("completion.csv: a line does not end in CRLF")
    rows = table(os.path.join(out, "completion.csv"))
    if ",".join(rows[0]) != HEAD:
        bad(f"completion.csv header is {rows[0]}")
    rows = [dict(zip(HEAD.split(","), r)) for r in rows[1:]]
    sched = table(os.path.join(out, "schedule.csv"))[1:]
    unsched = table(os.path.join(out, "unscheduled.csv"))[1:]
    sessions = {}
    for coh, course, _site, _in, date, start, end, _t in table(os.path.join(out, "sessions.csv"))[1:]:
        sessions.setdefault((coh, course), []).append((date, minutes(end) - minutes(start)))
    want = sorted([(d, c, coh) for d, _n, _cl, coh, c, *_ in sched] +
                  [(d, c, "") for d, c, _r in unsched])
    got = sorted((r["doctor_id"], r["course_id"], r["cohort_id"]) for r in rows)
    if got != want:
        bad(f"completion.csv has rows {got}, expected {want}")
    for r in rows:
        key = (r["cohort_id"], r["course_id"])
        ses = sessions.get(key, [])
        total = sum(m for _d, m in ses) / 60
        held = [(d, m) for d, m in ses if freeze and d < freeze]
        if not r["cohort_id"]:
            status = "unscheduled"
            ses = []
        elif not held:
            status = "scheduled"
        elif len(held) < len(ses):
            status = "in_progress"
        else:
            status = "completed"
        hours = sum(m for _d, m in held) / 60
        c = credits.get(r["course_id"])
        cred = (c if c is not None else math.floor(total / 3 * 2) / 2) if status == "completed" else 0
        cert = f"{prog_id}-{r['course_id']}-{r['doctor_id']}" if status == "completed" else ""
        want_row = (status, str(len(held)), str(len(ses) or r["sessions_total"]), cert)
        got_row = (r["status"], r["sessions_attended"], r["sessions_total"], r["certificate"])
        if got_row != want_row or abs(float(r["hours"]) - hours) > 0.006 or \
                abs(float(r["credits"]) - cred) > 1e-9:
            bad(f"row {r}: expected status/attended/total/certificate {want_row}, "
                f"hours {hours}, credits {cred}")
        for v in (r["hours"], r["credits"]):
            if not re.fullmatch(r"0|[1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9]", v):
                bad(f"row {r}: {v!r} is not a plain decimal without trailing zeros")
    return rows


def tally(rows):
    """(township, course) -> [required, completed, missed, in_progress,
    scheduled, unscheduled, hours, credits]; each pair under its last row."""
    t, last = {}, {}
    for r in rows:
        k = (r["township"], r["course_id"])
        cell = t.setdefault(k, [0] * 6 + [0.0, 0.0])
        cell[6] += float(r["hours"])
        cell[7] += float(r["credits"])
        last[(r["doctor_id"], r["course_id"])] = r
    for r in last.values():
        cell = t[(r["township"], r["course_id"])]
        cell[0] += 1
        cell[1 + STATUSES.index(r["status"])] += 1
    total = [sum(c[i] for c in t.values()) for i in range(8)]
    return t, total


def same(a, b):
    return all(abs(float(x) - float(y)) < 0.011 for x, y in zip(a, b)) and len(a) == len(b)


def compare(where, seen, t, total):
    """seen (township, course) -> counts, against the recount t and total."""
    want = dict(t)
    want[("合计", "total")] = total
    if set(seen) != set(want):
        bad(f"{where} has rows {sorted(seen)}, expected {sorted(want)}")
    for k, v in want.items():
        if k in seen and not same(seen[k], v):
            bad(f"{where} {k}: {seen[k]}, recount of completion.csv {v}")


def check_report(out, freeze, t, total):
    text = open(os.path.join(out, "report.txt"), encoding="utf-8").read()
    m = re.search(r"\n培训完成情况 completion[^\n]*\n(.*?)\n\n", text + "\n\n", re.S)
    if not m:
        bad("report.txt has no 培训完成情况 section")
        return
    sec = m.group(1).splitlines()
    if freeze and f"before {freeze}" not in m.group(0):
        bad(f"report.txt's section does not name the freeze date {freeze}")
    if not freeze and "no session has happened yet" not in m.group(0):
        bad("report.txt's section does not say that no session has happened yet")
    seen = {}
    for line in sec:
        f = line.split()
        if len(f) >= 11 and re.fullmatch(r"[0-9.]+%", f[8]):
            nums = f[2:8] + f[9:11]
            seen[(f[0], f[1])] = nums
            if f[:2] != ["合计", "total"]:
                req, comp = int(f[2]), int(f[3])
                if abs(float(f[8][:-1]) - (100.0 * comp / req if req else 0)) > 0.051:
                    bad(f"report.txt: rate {f[8]} of {line!r}")
    compare("report.txt", seen, t, total)


def check_sheet(out, prog, t, total):
    wb = openpyxl.load_workbook(os.path.join(out, "plan.xlsx"))
    if "培训统计" not in wb.sheetnames:
        bad("plan.xlsx has no 培训统计 sheet")
        return
    ws = wb["培训统计"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = ["乡镇", "课程", "应培训", "已完成", "未完成需补训", "培训中", "已安排", "未安排",
            "完成率", "学时", "学分"]
    if rows[0] != head:
        bad(f"培训统计 header {rows[0]}")
    if ws.page_setup.paperSize != 9 or ws.page_setup.orientation != "landscape":
        bad("培训统计 does not print on A4 landscape")
    names = {n: i for i, n in prog["townships"].items()}
    titles = {title.split(" — ")[0]: course for _c, course, *_x, title
              in table(os.path.join(out, "sessions.csv"))[1:]}
    seen = {}
    for r in rows[1:]:
        if r[0] == "合计":
            key = ("合计", "total")
        else:
            key = (names.get(r[0], r[0]), titles.get(r[1], r[1]))
        seen[key] = [r[2], r[3], r[4], r[5], r[6], r[7], r[9], r[10]]
        if abs(r[8] - (r[3] / r[2] if r[2] else 0)) > 1e-9:
            bad(f"培训统计 {key}: 完成率 {r[8]}")
    compare("培训统计", seen, t, total)


def check_certs(out, rows, base):
    certs = sorted(r["certificate"] for r in rows if r["status"] == "completed")
    if any(r["certificate"] for r in rows if r["status"] != "completed"):
        bad("a row that is not completed has a certificate number")
    cdir = os.path.join(out, "print", "certificates")
    files = sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []
    if files != sorted([c + ".html" for c in certs] + ["index.html", "certificate.css"]):
        bad(f"print/certificates holds {files}, expected the {len(certs)} completed rows' and index.html")
    index = open(os.path.join(cdir, "index.html"), encoding="utf-8").read() if files else ""
    linked = sorted(set(re.findall(r'href="([^"/]+)\.html"', index)) - {"index"})
    if linked != certs:
        bad(f"certificates/index.html links {linked}, expected {certs}")
    top = open(os.path.join(out, "print", "index.html"), encoding="utf-8").read()
    if 'href="certificates/index.html"' not in top:
        bad("print/index.html does not link certificates/index.html")
    vdir = os.path.join(out, "verify")
    if base:
        vfiles = sorted(os.listdir(vdir)) if os.path.isdir(vdir) else []
        if vfiles != sorted([c + ".html" for c in certs] + ["verify.css"]):
            bad(f"verify/ holds {vfiles}, expected the completed rows'")
        for c in certs:
            page = open(os.path.join(cdir, c + ".html"), encoding="utf-8").read()
            url = f"{base}verify/{c}.html"
            if f'aria-label="{url}"' not in page:
                bad(f"{c}.html has no QR code of {url}")
    elif os.path.exists(vdir):
        bad("verify/ written without [output] base_url")


def main():
    out, freeze, prog_id, credits = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    base = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] != "-" else ""
    prog = {"townships": json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}}
    freeze = "" if freeze == "-" else freeze
    rows = check_rows(out, freeze, prog_id, credits)
    t, total = tally(rows)
    check_report(out, freeze, t, total)
    check_sheet(out, prog, t, total)
    check_certs(out, rows, base)
    n = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    print(f"completion_check: {out}: {len(rows)} rows {n}; {len(failures)} problem(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

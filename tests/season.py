#!/usr/bin/env python3
"""season.py -- the outside view of running a program (tests/season.sh).

    season.py absent OUT FREEZE SEED SHARE FILE [--gbk] [--english] [--again OUT0]
        Writes an attendance file for the sessions of OUT before FREEZE:
        about SHARE of the members of those runs miss one session or more
        (absent 缺/×/absent, or excused 假/请假), a few present rows
        (到/√) and, for the rest, no row.  --again OUT0: also every doctor
        made up in OUT (a pair in state/missed.csv) misses his make-up if
        it began before FREEZE -- a doctor absent from two runs.
        Prints "N absences".

    season.py fill OUT FREEZE SEED SHARE FILE.xlsx
        Fills in the sheet 签到 of OUT/plan.xlsx as an office would with
        another program (openpyxl): 缺 or 假 in 出勤 on one session for
        about SHARE of the members of the runs before FREEZE, 到 on a few
        others; saves it as FILE.xlsx.  Prints "N absences".

    season.py verify PREV OUT FREEZE MIN ATT...
        Recounts from PREV's plan (schedule.csv, sessions.csv) and the
        attendance files ATT (as vdsched reads them: the last record of a
        session wins, no record = present), then checks OUT:
          - every pair that missed its run (its attended sessions, with
            those still to come, below MIN percent) is in a run that begins
            on or after FREEZE, or in unscheduled.csv with a reason;
            changes.csv says 'makeup' for each one placed;
          - every pair whose run ended before FREEZE and that did not miss
            it keeps its run (cohort and dates): never planned again;
          - at most 3 pairs of PREV move that neither missed a run nor were
            forced by the edit ('moved' rows of changes.csv);
          - completion.csv: one row per pair and run, status, sessions
            attended and hours equal to the recount, to the hour.
        Exit 1 with the reasons on a failure.

Standard library only.
"""
import csv
import datetime
import random
import sys

PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
WORDS = {"到": PRESENT, "√": PRESENT, "present": PRESENT, "出勤": PRESENT,
         "缺": ABSENT, "×": ABSENT, "absent": ABSENT, "缺勤": ABSENT,
         "假": EXCUSED, "请假": EXCUSED, "excused": EXCUSED}


def table(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def sessions(out):
    """(cohort, course) -> [(date, start, end)]"""
    runs = {}
    for r in table(out + "/sessions.csv"):
        runs.setdefault((r["cohort_id"], r["course_id"]), []).append((r["date"], r["start"], r["end"]))
    return runs


def hours(a, b):
    ha, ma = map(int, a.split(":"))
    hb, mb = map(int, b.split(":"))
    return (hb * 60 + mb - ha * 60 - ma) / 60.0


def absent(argv):
    out, freeze, seed, share, path = argv[:5]
    gbk, english = "--gbk" in argv, "--english" in argv
    rng = random.Random(int(seed))
    runs = sessions(out)
    members = table(out + "/schedule.csv")
    again = set()
    if "--again" in argv:
        for r in table(out + "/state/missed.csv", "utf-8"):
            again.add((r["doctor_id"], r["course_id"]))
    rows = []
    for m in members:
        ss = sorted(runs.get((m["cohort_id"], m["course_id"]), []))
        past = [s for s in ss if s[0] < freeze]
        if not past:
            continue
        key = (m["doctor_id"], m["course_id"])
        if key in again or rng.random() < float(share):
            k = 1 if rng.random() < 0.7 else 2
            for s in rng.sample(past, min(k, len(past))):
                word = rng.choice(["缺", "×", "absent", "缺勤", "假", "请假"])
                if key in again:
                    word = "缺"
                rows.append([m["doctor_id"], m["cohort_id"], m["course_id"], s[0], s[1], word])
        elif rng.random() < 0.05:
            s = rng.choice(past)
            rows.append([m["doctor_id"], m["cohort_id"], m["course_id"], s[0], s[1], rng.choice(["到", "√"])])
    # dates as offices type them: some 2026/4/3, some ISO
    for r in rows:
        if rng.random() < 0.3:
            d = datetime.date.fromisoformat(r[3])
            r[3] = "%d/%d/%d" % (d.year, d.month, d.day)
    head = (["doctor_id", "cohort_id", "course_id", "date", "start", "status"] if english
            else ["医生编号", "班级", "课程", "日期", "时间", "出勤"])
    with open(path, "w", encoding="gbk" if gbk else "utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(head)
        w.writerows(rows)
    print("%d absences" % sum(1 for r in rows if WORDS[r[5]] != PRESENT))
    return 0


def fill(argv):
    import openpyxl
    out, freeze, seed, share, path = argv[:5]
    rng = random.Random(int(seed))
    wb = openpyxl.load_workbook(out + "/plan.xlsx")
    ws = wb["签到"]
    head = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(head)}
    rows = {}
    for r in ws.iter_rows(min_row=2):
        if r[col["日期"]].value and r[col["日期"]].value < freeze:
            rows.setdefault((r[col["医生编号"]].value, r[col["课程"]].value), []).append(r)
    n = 0
    for key in sorted(rows):
        if rng.random() < float(share):
            cell = rng.choice(rows[key])[col["出勤"]]
            cell.value = rng.choice(["缺", "假"])
            n += 1
        elif rng.random() < 0.05:
            rng.choice(rows[key])[col["出勤"]].value = "到"
    wb.save(path)
    print("%d absences" % n)
    return 0


def xlsx_rows(path):
    import openpyxl
    ws = openpyxl.load_workbook(path, read_only=True)["签到"]
    it = ws.iter_rows(values_only=True)
    head = list(next(it))
    ix = [head.index(h) for h in ("医生编号", "班级", "课程", "日期", "时间", "出勤")]
    return [["" if r[i] is None else str(r[i]) for i in ix] for r in it]


def read_attendance(paths):
    """(doctor, cohort, course, date, start) -> status; the last record wins"""
    att = {}
    for p in paths:
        if p.endswith(".xlsx"):
            for r in xlsx_rows(p):
                if r[5].strip():
                    att[(r[0], r[1], r[2], r[3], r[4])] = WORDS[r[5].strip()]
            continue
        raw = open(p, "rb").read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gbk")
        rows = list(csv.reader(text.splitlines()))
        for r in rows[1:]:
            if len(r) < 6 or not r[5].strip():
                continue
            d = r[3].strip().replace("/", "-")
            y, mo, da = d.split("-")
            d = "%04d-%02d-%02d" % (int(y), int(mo), int(da))
            att[(r[0], r[1], r[2], d, r[4])] = WORDS[r[5].strip()]
    return att


def verify(argv):
    prev, out, freeze, minimum = argv[:4]
    minimum = float(minimum)
    att = read_attendance(argv[4:])
    bad = []
    pruns, nruns = sessions(prev), sessions(out)
    pmem = table(prev + "/schedule.csv")
    nmem = {(m["doctor_id"], m["course_id"]): m for m in table(out + "/schedule.csv")}
    unsched = {(u["doctor_id"], u["course_id"]): u["reason"] for u in table(out + "/unscheduled.csv")}
    changes = {}
    for c in table(out + "/changes.csv"):
        changes.setdefault((c["doctor_id"], c["course_id"]), []).append(c["change"])
    missed, completed = set(), set()
    for m in pmem:
        key = (m["doctor_id"], m["course_id"])
        ss = pruns[(m["cohort_id"], m["course_id"])]
        if min(s[0] for s in ss) >= freeze:
            continue
        can = sum(1 for s in ss if s[0] >= freeze or
                  att.get((m["doctor_id"], m["cohort_id"], m["course_id"], s[0], s[1]), PRESENT) == PRESENT)
        if can * 100 < minimum * len(ss):
            missed.add(key)
            n = nmem.get(key)
            if n is not None:
                if n["first_day"] < freeze or n["cohort_id"] == m["cohort_id"]:
                    bad.append("%s %s missed %s but is not made up after %s: %s %s" %
                               (key + (m["cohort_id"], freeze, n["cohort_id"], n["first_day"])))
                elif "makeup" not in changes.get(key, []):
                    bad.append("%s %s made up, but changes.csv says %s" % (key + (changes.get(key),)))
            elif not unsched.get(key):
                bad.append("%s %s missed its run and is neither made up nor in unscheduled.csv" % key)
        elif max(s[0] for s in ss) < freeze:
            completed.add(key)
            n = nmem.get(key)
            if n is None or n["cohort_id"] != m["cohort_id"] or n["first_day"] != m["first_day"] \
                    or n["last_day"] != m["last_day"]:
                bad.append("%s %s completed %s but is planned again: %s" %
                           (key + (m["cohort_id"], n and (n["cohort_id"], n["first_day"]))))
    # moves the edit did not force (the report's count: changes.csv does
    # not say which moves were forced)
    import re
    report = open(out + "/report.txt", encoding="utf-8").read()
    m = re.search(r"moved: (\d+) \((\d+) forced by the edit, (\d+) moved to place others\)", report)
    moved = int(m.group(3)) if m else 99
    if moved > 3:
        bad.append("%d pairs untouched by an absence or the edit moved (report.txt: %s)"
                   % (moved, m and m.group(0)))
    bad += recount(out, freeze, minimum, att, nruns)
    for b in bad[:30]:
        print("season: " + b)
    print("season: %d missed (made up or unscheduled), %d completed kept, %d other moves; %d problem(s)"
          % (len(missed), len(completed), moved, len(bad)))
    return 1 if bad else 0


def recount(out, freeze, minimum, att, runs):
    """completion.csv against a recount from the sessions and attendance"""
    bad = []
    rows = table(out + "/completion.csv")
    # a course's sessions: those of its runs that were not cut short
    total_of = {}
    for (cohort, course), ss in runs.items():
        total_of[course] = max(total_of.get(course, 0), len(ss))
    seen = set()
    for r in rows:
        key = (r["doctor_id"], r["course_id"], r["cohort_id"])
        if key in seen:
            bad.append("completion.csv: %s %s %s twice" % key)
        seen.add(key)
        if r["status"] == "unscheduled":
            continue
        ss = runs.get((r["cohort_id"], r["course_id"]))
        if ss is None:
            bad.append("completion.csv: %s %s: run %s not in sessions.csv" % key)
            continue
        held = [s for s in ss if s[0] < freeze]
        came = [s for s in held if att.get((r["doctor_id"], r["cohort_id"], r["course_id"], s[0], s[1]),
                                           PRESENT) == PRESENT]
        h = sum(hours(s[1], s[2]) for s in came)
        if int(r["sessions_attended"]) != len(came) or abs(float(r["hours"] or 0) - h) > 0.01:
            bad.append("completion.csv: %s %s %s: %s sessions, %s hours; recount %d, %g" %
                       (key + (r["sessions_attended"], r["hours"], len(came), h)))
        total = total_of[r["course_id"]]
        if int(r["sessions_total"]) != total:
            bad.append("completion.csv: %s %s %s: %s sessions in all; the course has %d" %
                       (key + (r["sessions_total"], total)))
        cut = len(ss) < total and all(s[0] < freeze for s in ss)   # its later days cancelled
        if not held:
            want = "scheduled"
        elif cut or (len(came) + total - len(held)) * 100 < minimum * total:
            want = "missed"
        elif len(held) < total:
            want = "in_progress"
        else:
            want = "completed"
        if r["status"] != want:
            bad.append("completion.csv: %s %s %s is %s; recount says %s" % (key + (r["status"], want)))
        if (r["status"] == "completed") != bool(r["certificate"]):
            bad.append("completion.csv: %s %s %s: certificate '%s' for status %s" %
                       (key + (r["certificate"], r["status"])))
    return bad


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "absent":
        sys.exit(absent(sys.argv[2:]))
    if cmd == "fill":
        sys.exit(fill(sys.argv[2:]))
    if cmd == "verify":
        sys.exit(verify(sys.argv[2:]))
    sys.stderr.write(__doc__)
    sys.exit(2)

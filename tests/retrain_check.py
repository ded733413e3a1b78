#!/usr/bin/env python3
"""retrain_check.py -- the two-year rule from outside the planner.

    retrain_check.py add PROGRAM.ini SEED    give about one doctor in ten a
                                             last_trained whose deadline
                                             falls in the middle of the
                                             period (two at least), and one
                                             more a deadline before the start
                                             (his id is printed)
    retrain_check.py strip PROGRAM.ini       drop the last_trained column
    retrain_check.py late PROGRAM.ini OUTDIR DEADLINES.ini
                                             the doctors with a deadline in
                                             the period (from DEADLINES.ini's
                                             roster) whose earliest run in
                                             OUTDIR/schedule.csv does not end
                                             before it, one id a line
    retrain_check.py reported OUTDIR         the ids report.txt's two-year
                                             section lists as lapsing

The deadline is last_trained + [program] retrain_years years (default 2;
Feb 29 becomes Feb 28), as vdsched.ini(5) says; a doctor is trained in time
when one of his runs ends before it.  Rosters in UTF-8 only (not the mixed
kind of gen_program.py).  Standard library only.
"""
import csv
import datetime
import os
import random
import re
import sys


def program(ini):
    """{key: value} of [program], and the folder of the file."""
    keys, sec = {}, None
    with open(ini, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.split(";")[0].strip()
            m = re.match(r"\[([^\]]+)\]", line)
            if m:
                sec = m.group(1).strip().lower()
            elif sec == "program" and "=" in line:
                k, v = line.split("=", 1)
                keys[k.strip()] = v.strip()
    return keys, os.path.dirname(os.path.abspath(ini))


def day(s):
    return datetime.date.fromisoformat(s.strip())


def roster(ini):
    keys, d = program(ini)
    path = os.path.join(d, keys.get("doctors", "doctors.csv"))
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return keys, path, rows


def write_rows(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def years_later(t, n):
    try:
        return t.replace(year=t.year + n)
    except ValueError:      # Feb 29 in a common year
        return t.replace(year=t.year + n, day=28)


def add(ini, seed):
    keys, path, rows = roster(ini)
    rng = random.Random("retrain-%s" % seed)
    start, end = day(keys["start"]), day(keys["end"])
    span = (end - start).days
    n = len(rows) - 1
    pick = rng.sample(range(1, n + 1), min(n, max(3, n // 10) + 1))
    rows[0].append("last_trained")
    for r in rows[1:]:
        r.append("")
    for k, i in enumerate(pick):
        if k == 0:      # lapsed already: due a month before the start
            dl = start - datetime.timedelta(days=30)
            print(rows[i][0])
        else:
            dl = start + datetime.timedelta(days=rng.randint(span * 3 // 10, span * 7 // 10))
        rows[i][-1] = years_later(dl, -2).isoformat()
    write_rows(path, rows)


def strip(ini):
    keys, path, rows = roster(ini)
    col = rows[0].index("last_trained")
    write_rows(path, [r[:col] + r[col + 1:] for r in rows])


def late(ini, outdir, deadlines_ini):
    keys, path, rows = roster(deadlines_ini)
    start, end = day(keys["start"]), day(keys["end"])
    years = int(keys.get("retrain_years", "2"))
    col = rows[0].index("last_trained")
    due = {}
    for r in rows[1:]:
        if r[col].strip():
            dl = years_later(day(r[col]), years)
            if start < dl <= end:
                due[r[0]] = dl
    first = {}
    with open(os.path.join(outdir, "schedule.csv"), encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            t = day(r["last_day"])
            if r["doctor_id"] not in first or t < first[r["doctor_id"]]:
                first[r["doctor_id"]] = t
    for x in sorted(due):
        if x not in first or first[x] >= due[x]:
            print(x)


def reported(outdir):
    ids, inside = [], False
    with open(os.path.join(outdir, "report.txt"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("两年培训期限"):
                inside = True
            elif inside and not line.strip():
                break
            elif inside:
                m = re.match(r"  (\S+) .*, clinic \S+: deadline ", line)
                if m:
                    ids.append(m.group(1))
    print("\n".join(sorted(ids)) if ids else "", end="\n" if ids else "")


def main(argv):
    if len(argv) == 4 and argv[1] == "add":
        add(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "strip":
        strip(argv[2])
    elif len(argv) == 5 and argv[1] == "late":
        late(argv[2], argv[3], argv[4])
    elif len(argv) == 3 and argv[1] == "reported":
        reported(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

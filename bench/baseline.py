#!/usr/bin/env python3
"""baseline.py -- the administrator's hand plan, to compare vdsched against.

    baseline.py PROGRAM.ini [OUTDIR]

Meant for county (and city) programs.  The hand plan is what an office
does without a scheduler:

  * every batch trains at the county hospital -- the first [site] section
    of the program file -- and takes all the loaded courses back to back,
    in [plugins] load order, on consecutive teaching days;
  * batches follow one another: the next starts the teaching day after the
    previous one ends;
  * batch size = min(cohort_max, seats of that site);
  * the office goes down doctors.csv and adds a doctor to the current batch
    only if the clinic stays covered: its other doctors stay on duty
    (min_on_duty of them), or, for a clinic that cannot spare anyone (a
    single-doctor clinic), only while the township still has cover left on
    each of the doctor's training days (cover is counted per township per
    day); a doctor unavailable on one of their training days waits for a
    later batch; completed courses are skipped (those days the doctor stays
    at the clinic);
  * teaching days are the program's teaching_days (default mon-fri) minus
    holidays and blackout dates; make-up workdays (调休) count.

Course lengths in teaching days default to tcm 4, pediatrics 5, dental 3
(other courses 3); if OUTDIR (a vdsched output folder) is given they are
read from its sessions.csv (distinct dates per cohort run, most common
value per course).

Prints the hand plan's last training day and how many doctors it could not
place before the program's end, then, continuing batch after batch past the
end, the day by which the hand plan would have placed everyone ("never" if
some doctor can never be placed, e.g. a single-doctor clinic in a township
without cover).  Standard library only.
"""

import collections
import csv
import datetime as dt
import os
import re
import sys

DEFAULT_DAYS = {"tcm": 4, "pediatrics": 5, "dental": 3}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def read_ini(path):
    """iniparser-like: [section] / key = value, ';' and '#' comments,
    section and key names lowercased, backslash continuation.
    Returns (ordered dict of sections, list of section names in order)."""
    secs = collections.OrderedDict()
    cur = None
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + lines[i].strip()
        i += 1
        s = line.strip()
        if not s or s[0] in ";#":
            continue
        if s.startswith("["):
            cur = s[1:s.index("]")].strip().lower()
            cur = re.sub(r"\s+", " ", cur)
            secs.setdefault(cur, {})
            continue
        if "=" not in s or cur is None:
            continue
        k, v = s.split("=", 1)
        v = v.strip()
        if v.startswith('"'):
            end = v.find('"', 1)
            v = v[1:end] if end > 0 else v[1:]
        else:
            v = re.split(r"\s[;#]|^[;#]", v)[0].strip()
        secs[cur][k.strip().lower()] = v
    return secs


def parse_date(s):
    return dt.date.fromisoformat(s.strip())


def parse_dates(s):
    """'A..B C D..E' (also ';' or ',' separated) -> set of dates."""
    out = set()
    for tok in re.split(r"[\s;,]+", s or ""):
        if not tok:
            continue
        if ".." in tok:
            a, b = tok.split("..", 1)
            a, b = parse_date(a), parse_date(b)
            while a <= b:
                out.add(a)
                a += dt.timedelta(days=1)
        else:
            out.add(parse_date(tok))
    return out


def parse_weekdays(s):
    s = (s or "mon tue wed thu fri").lower()
    out = set()
    for tok in s.split():
        if "-" in tok:
            a, b = tok.split("-", 1)
            i, j = WEEKDAYS.index(a[:3]), WEEKDAYS.index(b[:3])
            k = i
            while True:
                out.add(k)
                if k == j:
                    break
                k = (k + 1) % 7
        else:
            out.add(WEEKDAYS.index(tok[:3]))
    return out


def course_days_from(outdir, courses):
    days = dict((c, DEFAULT_DAYS.get(c, 3)) for c in courses)
    path = os.path.join(outdir, "sessions.csv")
    if not os.path.exists(path):
        return days, False
    runs = collections.defaultdict(set)
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            runs[(row["cohort_id"], row["course_id"], row["site_id"])].add(row["date"])
    per = collections.defaultdict(collections.Counter)
    for (_coh, course, _site), ds in runs.items():
        per[course][len(ds)] += 1
    for c in courses:
        if per[c]:
            days[c] = per[c].most_common(1)[0][0]
    return days, True


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit("usage: baseline.py PROGRAM.ini [OUTDIR]")
    ini_path = argv[1]
    base = os.path.dirname(os.path.abspath(ini_path))
    ini = read_ini(ini_path)
    prog = ini.get("program", {})
    rel = lambda p: p if os.path.isabs(p) else os.path.join(base, p)
    enc = "gbk" if prog.get("encoding", "utf-8").lower() in ("gbk", "gb2312", "gb18030") else "utf-8-sig"

    start, end = parse_date(prog["start"]), parse_date(prog["end"])
    cohort_max = int(prog.get("cohort_max", "30"))
    courses = (ini.get("plugins", {}).get("load", "") or "").split()
    if len(argv) == 3:
        cdays, from_run = course_days_from(argv[2], courses)
    else:
        cdays, from_run = dict((c, DEFAULT_DAYS.get(c, 3)) for c in courses), False

    site = next((s for s in ini if s.startswith("site ")), None)
    if site is None:
        sys.exit("baseline.py: no [site] in %s" % ini_path)
    seats = int(ini[site].get("seats", "30"))
    size = min(cohort_max, seats)

    # teaching days
    off, work = set(), set()
    if prog.get("holidays"):
        h = read_ini(rel(prog["holidays"])).get("holidays", {})
        off, work = parse_dates(h.get("off", "")), parse_dates(h.get("workdays", ""))
    off |= parse_dates(prog.get("blackout", ""))
    wd = parse_weekdays(prog.get("teaching_days"))
    # teaching days, continued for eight years past the end to find when the
    # hand plan would have placed everyone (holidays beyond the holiday
    # file are not known there)
    T = []
    d = start
    horizon = end + dt.timedelta(days=8 * 366)
    while d <= horizon:
        if d not in off and (d.weekday() in wd or d in work):
            T.append(d)
        d += dt.timedelta(days=1)
    nT = sum(1 for x in T if x <= end)

    # course blocks, as offsets into a batch's run of teaching days
    offs, o = {}, 0
    for c in courses:
        offs[c] = range(o, o + cdays[c])
        o += cdays[c]
    batch_len = o

    # townships and their cover
    default_cover = int(ini.get("townships", {}).get("cover", "0"))
    tw_cover = {}
    for s, kv in ini.items():
        if s.startswith("township "):
            c = int(kv.get("cover", default_cover))
            tw_cover[s[9:]] = c
            if kv.get("name"):
                tw_cover[kv["name"]] = c

    clinics = {}
    with open(rel(prog["clinics"]), encoding=enc, newline="") as f:
        for row in csv.DictReader(f):
            mod = (row.get("min_on_duty") or "1").strip() or "1"
            tw = row["township"].strip()
            clinics[row["clinic_id"].strip()] = [tw, int(mod), 0]
    doctors = []
    with open(rel(prog["doctors"]), encoding=enc, newline="") as f:
        for row in csv.DictReader(f):
            cid = row["clinic_id"].strip()
            clinics[cid][2] += 1
            done = set((row.get("completed") or "").lower().split())
            need = [c for c in courses if c not in done]
            if need:
                doctors.append((row["doctor_id"].strip(), cid, need,
                                parse_dates(row.get("unavailable") or "")))

    remaining = doctors
    batches, last = 0, None
    in_window = None          # (batches, last, remaining) at the program end
    i = 0
    while remaining and i + batch_len <= len(T):
        if in_window is None and i + batch_len > nT:
            in_window = (batches, last, len(remaining))
        absent = collections.Counter()          # (clinic, day idx) -> doctors away
        cover_used = collections.Counter()      # (township, day idx)
        taken, left = 0, []
        for doc in remaining:
            did, cid, need, unav = doc
            if taken >= size:
                left.append(doc)
                continue
            tw, mod, nd = clinics[cid]
            days = [i + k for c in need for k in offs[c]]
            ok = not any(T[t] in unav for t in days)
            use_cover = False
            if ok:
                if all(nd - absent[(cid, t)] - 1 >= mod for t in days):
                    pass
                elif nd <= mod:
                    cap = tw_cover.get(tw, default_cover)
                    ok = all(cover_used[(tw, t)] + 1 <= cap for t in days)
                    use_cover = ok
                else:
                    ok = False
            if not ok:
                left.append(doc)
                continue
            for t in days:
                absent[(cid, t)] += 1
                if use_cover:
                    cover_used[(tw, t)] += 1
            taken += 1
            dl = T[max(days)]
            last = dl if last is None or dl > last else last
        if taken:
            batches += 1
            i += batch_len
        else:
            i += 1           # nobody can go this week: try a day later
        remaining = left

    print("hand plan: site %s, batch size %d, %s = %d teaching days per batch%s"
          % (site[5:], size, " + ".join("%s %dd" % (c, cdays[c]) for c in courses),
             batch_len, " (lengths from the vdsched run)" if from_run else ""))
    all_last = last if not remaining else None
    if in_window is None:
        in_window = (batches, last, len(remaining))
    wb, wlast, wleft = in_window
    print("batches: %d" % wb)
    print("placed: %d of %d doctors" % (len(doctors) - wleft, len(doctors)))
    print("last day: %s" % (wlast.isoformat() if wlast else "-"))
    print("unplaced: %d" % wleft)
    # past the program's end, batch after batch until everyone is placed
    print("last day to place all: %s" % (all_last.isoformat() if all_last else "never"))
    print("batches to place all: %s" % (batches if all_last else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

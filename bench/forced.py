#!/usr/bin/env python3
"""forced.py -- pairs of a previous plan that an edit forces to move,
computed from the edited program and the previous plan's tables alone,
independently of the planner (it shares only tests/check_plan.py's reader).

    forced.py EDITED.ini PREVIOUS-OUTDIR [--freeze-before DATE]

Prints one line: "forced N dropped M cover-bound B cover-exact E" where
dropped counts pairs that are no longer required (doctor left, course
unloaded).  A pair is forced when its
old run became illegal for it: its site is no longer a site of the course,
one of its dates is now a holiday or blackout day, the doctor is unavailable
on one of them, or the run falls below cohort_min once those pairs leave
(then all of its members are forced).  Clinic cover adds the fewest pairs
that must leave so that no township needs more cover than it has on any
day, solved exactly with CBC (E); B is the simple bound, per township the
largest excess on one day.  Runs that began
before --freeze-before are history and force nothing.
"""
import csv
import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import check_plan  # noqa: E402


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def main(argv):
    ini, prev = argv[1], argv[2]
    freeze = None
    if len(argv) > 4 and argv[3] == "--freeze-before":
        freeze = datetime.date.fromisoformat(argv[4]).toordinal()
    P = check_plan.load_program(ini)
    loads = set(c.lower() for c in P["loads"])
    sched = rows(os.path.join(prev, "schedule.csv"))
    dates = {}
    for s in rows(os.path.join(prev, "sessions.csv")):
        dates.setdefault((s["cohort_id"], s["course_id"]), set()).add(
            datetime.date.fromisoformat(s["date"]).toordinal())
    off = (P["off"] | P["blackout"]) - P["work"]
    members, forced, dropped = {}, set(), 0
    for r in sched:
        run = (r["cohort_id"], r["course_id"])
        if r["doctor_id"] not in P["doctors"] or r["course_id"].lower() not in loads:
            dropped += 1
            continue
        members.setdefault(run, []).append(r)
    frozen = set(k for k, ds in dates.items() if freeze and min(ds) < freeze)
    for run, ms in members.items():
        if run in frozen:
            continue
        ds = dates.get(run, set())
        for r in ms:
            d = P["doctors"][r["doctor_id"]]
            if (r["site_id"] not in P["course_sites"].get(r["course_id"].lower(), set())
                    or ds & off or any(x < P["start"] or x > P["end"] for x in ds)
                    or ds & d["unav"]):
                forced.add((r["doctor_id"], run))
    changed = True
    while changed:
        changed = False
        for run, ms in members.items():
            if run in frozen:
                continue
            left = [r for r in ms if (r["doctor_id"], run) not in forced]
            if left and len(left) < P["cmin"]:
                forced |= set((r["doctor_id"], run) for r in left)
                changed = True
    # cover: per township and day, clinic shortfalls of the pairs that stay
    away = {}
    for run, ms in members.items():
        for r in ms:
            if (r["doctor_id"], run) in forced:
                continue
            c = P["doctors"][r["doctor_id"]]["clinic"]
            for x in dates.get(run, ()):
                away[(c, x)] = away.get((c, x), 0) + 1
    need = {}
    for (c, x), n in away.items():
        cl = P["clinics"].get(c)
        if not cl:
            continue
        sf = cl["mod"] - (len(cl["docs"]) - n)
        base = max(0, cl["mod"] - len(cl["docs"]))
        if sf - base > 0:
            need[(cl["town"], x)] = need.get((cl["town"], x), 0) + sf - base
    base_use = {}
    for cid, cl in P["clinics"].items():
        b = max(0, cl["mod"] - len(cl["docs"]))
        base_use[cl["town"]] = base_use.get(cl["town"], 0) + b
    excess = {}
    for (t, x), n in need.items():
        e = n - (check_plan.town_cover(P, t) - base_use.get(t, 0))
        if e > 0:
            excess[(t, x)] = e
    bound = {}
    for (t, x), e in excess.items():
        bound[t] = max(bound.get(t, 0), e)
    lb = sum(bound.values())
    exact = cover_minimum(P, members, forced, dates, away, excess) if excess else 0
    print("forced %d dropped %d cover-bound %d cover-exact %s" % (
        len(forced) + (exact if exact is not None else lb), dropped, lb,
        "-" if exact is None else exact))


def cover_minimum(P, members, forced, dates, away, excess):
    """The fewest pairs that must leave their runs so that no township needs
    more cover than it has on any day: a covering problem solved exactly
    with CBC (coinor-cbc).  None when cbc is missing or fails."""
    import shutil
    import subprocess
    import tempfile
    cbc = shutil.which("cbc")
    if not cbc:
        return None
    var, rows = {}, {}
    for run, ms in members.items():
        for r in ms:
            if (r["doctor_id"], run) in forced:
                continue
            c = P["doctors"][r["doctor_id"]]["clinic"]
            cl = P["clinics"].get(c)
            if not cl:
                continue
            for x in dates.get(run, ()):
                # leaving relieves the day when the clinic is short that day
                if (cl["town"], x) in excess and cl["mod"] - (len(cl["docs"]) - away[(c, x)]) > 0:
                    v = var.setdefault((r["doctor_id"], run), "z%d" % len(var))
                    rows.setdefault((cl["town"], x), []).append(v)
    with tempfile.TemporaryDirectory() as d:
        lp = os.path.join(d, "m.lp")
        with open(lp, "w") as f:
            f.write("Minimize\n obj: " + (" + ".join(sorted(set(var.values()))) or "0") + "\nSubject To\n")
            for i, (k, vs) in enumerate(sorted(rows.items())):
                f.write(" c%d: %s >= %d\n" % (i, " + ".join(vs), excess[k]))
            f.write("Binary\n " + " ".join(sorted(set(var.values()))) + "\nEnd\n")
        sol = os.path.join(d, "s.txt")
        r = subprocess.run([cbc, lp, "solve", "solu", sol], capture_output=True, text=True)
        if r.returncode or not os.path.exists(sol):
            return None
        first = open(sol).readline()
        if "Optimal" not in first:
            return None
        return int(round(float(first.split()[-1])))


if __name__ == "__main__":
    main(sys.argv)

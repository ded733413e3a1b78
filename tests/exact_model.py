#!/usr/bin/env python3
"""exact_model.py -- small vdsched programs and their exact optimum.

    exact_model.py gen SEED OUTDIR [BUDGET]
                                      write OUTDIR/vdsched.ini, clinics.csv,
                                      doctors.csv and model.lp; with BUDGET,
                                      travel_budget = BUDGET% and the model
                                      keeps to it
    exact_model.py opt OUTDIR SOL     print the optimum last day (YYYY-MM-DD)
                                      from CBC's solution file, "infeasible",
                                      or "none" (not solved)
    exact_model.py edit SEED EDIT OUTDIR
                                      the same program after an edit (leave,
                                      unavailable, blackout)
    exact_model.py replan-lp SEED EDIT OUTDIR PREVDIR
                                      OUTDIR/moves.lp: the fewest pairs of the
                                      plan in PREVDIR that the edited program
                                      must move (same constraints)
    exact_model.py moves OUTDIR SOL   that minimum, from CBC's solution
    exact_model.py deadline SEED OUTDIR
                                      the program with last_trained for a
                                      few doctors (deadlines in the window,
                                      OUTDIR/deadlines lists them) and
                                      OUTDIR/lapses.lp: the fewest of them
                                      trained too late (same constraints)
    exact_model.py lapses OUTDIR SOL  that minimum, from CBC's solution

The program: 8-40 doctors, 1-3 of the shipped courses (tcm 2 days, pediatrics
3 days, dental 3 days with chairs; dental may require tcm), 1-2 sites, a
window of three or four weeks of March 2026 (no public holiday), township
cover 0-2, some unavailable dates and completed courses.

model.lp is a time-indexed MILP of every hard rule the planner keeps, whose
minimum is the earliest possible last day:
  x[d,c,s,t]   doctor d takes course c in a run at site s starting on day t
  n[c,s,t]     number of such runs; cohort_min n <= trainees <= cohort_max n
               (any total in that range splits into n runs of legal sizes)
  u[c,s,t]     dental chairs used by them: >= trainees / per, >= n
  sh[k,u]      clinic k's shortfall on day u >= min_on_duty - (K - away)
and: every schedulable pair exactly once; a doctor in one run a day;
seats per site and day; chairs per site and day; township cover per day;
prerequisites before; last >= end of every run taken.  The chair count is
the one relaxation (sum of ceil(n_r / per) over runs is at least this), so
the optimum is at most the true one: a bound above it is wrong for sure.
Pairs no plan can schedule are left out, as vdsched leaves them out: a
clinic that cannot spare a doctor in a township without cover, a doctor
whose unavailable dates leave no run.  Standard library only.
"""

import datetime
import math
import os
import random
import sys

START = datetime.date(2026, 3, 2)   # a Monday; no holiday until 4 April

COURSES = {
    "tcm": {"days": 2, "max_size": 30, "max_span": 14, "feature": "skills_lab", "per": 0},
    "pediatrics": {"days": 3, "max_size": 24, "max_span": 14, "feature": None, "per": 0},
    "dental": {"days": 3, "max_size": 24, "max_span": 7, "feature": "dental_unit", "per": 3},
}


def generate(seed):
    rng = random.Random("exact-%d" % seed)
    nd = rng.choice([8, 10, 12, 16, 20, 24, 30, 40])
    if nd >= 30:
        courses = [rng.choice(["tcm", "pediatrics", "dental"])]
    elif nd >= 16:
        courses = rng.sample(["tcm", "pediatrics", "dental"], rng.randint(1, 2))
    else:
        courses = rng.sample(["tcm", "pediatrics", "dental"], rng.randint(1, 3))
    courses.sort(key=["tcm", "pediatrics", "dental"].index)
    weeks = rng.randint(3, 4)
    H = 7 * weeks - 2                                  # ends on a Friday
    cmin = rng.randint(2, 4)
    cmax = rng.randint(max(cmin, 4), 10)
    ntown = rng.randint(1, 3)
    towns = [{"id": "w%d" % (i + 1), "cover": rng.choice([0, 1, 1, 2])} for i in range(ntown)]
    clinics, doctors = [], []
    while len(doctors) < nd:
        k = min(rng.choice([1, 1, 2, 2, 3]), nd - len(doctors))
        m = 2 if k >= 3 and rng.random() < 0.3 else 1
        cid = "c%02d" % (len(clinics) + 1)
        clinics.append({"id": cid, "town": rng.randrange(ntown), "K": k, "m": m,
                        "lat": 23.6 + 0.3 * rng.random(), "lon": 106.7 + 0.3 * rng.random()})
        for _ in range(k):
            doctors.append({"id": "d%03d" % (len(doctors) + 1), "clinic": len(clinics) - 1})
    for d in doctors:
        d["done"] = ["tcm"] if "tcm" in courses and rng.random() < 0.15 else []
        d["unav"] = []
        if rng.random() < 0.25:
            a = rng.randrange(H)
            b = min(H - 1, a + rng.randint(0, 6))
            d["unav"] = [(a, b)]
    nsite = rng.randint(1, 2)
    sites = []
    for i in range(nsite):
        sites.append({"id": "s%d" % (i + 1), "seats": rng.randint(max(cmin, 6), 20),
                      "features": ["classroom", "skills_lab"], "chairs": 0,
                      "lat": 23.7 + 0.05 * i, "lon": 106.9})
    if "dental" in courses:
        for s in sites:
            if s is sites[0] or rng.random() < 0.5:
                s["features"].append("dental_unit")
                s["chairs"] = rng.randint(-(-cmin // 3), 3)
    prereq = "dental" in courses and "tcm" in courses and rng.random() < 0.5
    return dict(courses=courses, H=H, cmin=cmin, cmax=cmax, towns=towns, clinics=clinics,
                doctors=doctors, sites=sites, prereq=prereq, seed=seed)


def write_program(P, out):
    os.makedirs(out, exist_ok=True)
    end = START + datetime.timedelta(days=P["H"] - 1)
    L = ["[program]", "id = exact-%d" % P["seed"], "name = exact %d" % P["seed"],
         "start = %s" % START, "end = %s" % end, "clinics = clinics.csv",
         "doctors = doctors.csv", "cohort_min = %d" % P["cmin"],
         "cohort_max = %d" % P["cmax"]]
    if P.get("budget") is not None:
        L.append("travel_budget = %d%%" % P["budget"])
    if P.get("blackout"):
        L.append("blackout = %s" % " ".join(
            (START + datetime.timedelta(days=t)).isoformat() for t in sorted(P["blackout"])))
    L += ["", "[plugins]", "load = %s" % " ".join(P["courses"]), ""]
    for c in P["courses"]:
        f = COURSES[c]["feature"]
        L.append("[course %s]" % c)
        L.append("sites = %s" % " ".join(s["id"] for s in P["sites"] if not f or f in s["features"]))
        if c == "tcm":
            L.append("techniques = acupuncture massage")
        if c == "pediatrics":
            L.append("days = 3")
        if c == "dental" and P["prereq"]:
            L.append("requires = tcm")
        L.append("")
    for s in P["sites"]:
        L += ["[site %s]" % s["id"], "name = %s" % s["id"], "address = %s" % s["id"],
              "lat = %.4f" % s["lat"], "lon = %.4f" % s["lon"], "seats = %d" % s["seats"],
              "features = %s" % " ".join(s["features"])]
        if s["chairs"]:
            L.append("dental_chairs = %d" % s["chairs"])
        L.append("")
    for t in P["towns"]:
        L += ["[township %s]" % t["id"], "name = %s" % t["id"], "cover = %d" % t["cover"], ""]
    with open(os.path.join(out, "vdsched.ini"), "w") as fh:
        fh.write("\n".join(L) + "\n")
    with open(os.path.join(out, "clinics.csv"), "w") as fh:
        fh.write("clinic_id,name,township,lat,lon,min_on_duty\n")
        for c in P["clinics"]:
            fh.write("%s,%s,%s,%.4f,%.4f,%d\n" % (c["id"], c["id"], P["towns"][c["town"]]["id"],
                                                  c["lat"], c["lon"], c["m"]))
    day = lambda i: (START + datetime.timedelta(days=i)).isoformat()
    with open(os.path.join(out, "doctors.csv"), "w") as fh:
        last = any("last" in d for d in P["doctors"])
        fh.write("doctor_id,name,clinic_id,phone,completed,unavailable%s\n" % (",last_trained" * last))
        for d in P["doctors"]:
            un = " ".join("%s..%s" % (day(a), day(b)) if b > a else day(a) for a, b in d["unav"])
            fh.write("%s,%s,%s,,%s,%s%s\n" % (d["id"], d["id"], P["clinics"][d["clinic"]]["id"],
                                             " ".join(d["done"]), un, ("," + d.get("last", "")) * last))


def starts(P, c):
    """{start day: run days} for course c: consecutive weekdays within max_span."""
    td = [t for t in range(P["H"]) if (START + datetime.timedelta(days=t)).weekday() < 5
          and t not in P.get("blackout", ())]
    n, span = COURSES[c]["days"], COURSES[c]["max_span"]
    out = {}
    for i in range(len(td) - n + 1):
        D = td[i:i + n]
        if D[-1] - D[0] + 1 <= span:
            out[D[0]] = D
    return out


def write_lp(P, out, keep=None, name="model.lp", deadlines=None):
    """keep: {(doctor index, course): (site index, start day)} of a previous
    plan -- then the objective is the fewest of those pairs moved (keeping
    a pair = the same site and start day, hence the same days).
    deadlines: {doctor index: day} -- then the objective is the fewest of
    those doctors without a run that ends before their day (lapse z_i)."""
    cmin, cmax = P["cmin"], P["cmax"]
    run = {c: starts(P, c) for c in P["courses"]}
    usable = {}
    for c in P["courses"]:
        f, per = COURSES[c]["feature"], COURSES[c]["per"]
        lo = max(cmin, 1)
        usable[c] = [j for j, s in enumerate(P["sites"])
                     if (not f or f in s["features"]) and s["seats"] >= lo
                     and (not per or s["chairs"] * per >= lo and s["chairs"] >= -(-lo // per))]
    mx = {c: min(cmax, COURSES[c]["max_size"]) for c in P["courses"]}
    capw = [t["cover"] for t in P["towns"]]
    X = {}      # (d, c, s, t) -> name
    need = {}
    for i, d in enumerate(P["doctors"]):
        cl = P["clinics"][d["clinic"]]
        stuck = cl["K"] - 1 < cl["m"] and capw[cl["town"]] <= 0
        for c in P["courses"]:
            if c in d["done"] or stuck or not usable[c]:
                continue
            ok = [t for t, D in run[c].items()
                  if not any(a <= u <= b for a, b in d["unav"] for u in D)]
            if not ok:
                continue
            need[i, c] = ok
    if P["prereq"]:
        for i, d in enumerate(P["doctors"]):
            if (i, "dental") in need and "tcm" not in d["done"] and (i, "tcm") not in need:
                del need[i, "dental"]
    for (i, c), ok in need.items():
        for s in usable[c]:
            for t in ok:
                X[i, c, s, t] = "x_%d_%s_%d_%d" % (i, c[0], s, t)
    obj = ["min: last"]
    cons, ints, bins = [], [], list(X.values())
    # each pair once; last >= the end of its run (one term is 1: a much
    # tighter LP than last >= end x for each x)
    for (i, c) in need:
        xs = [(t, v) for (a, b, s, t), v in X.items() if a == i and b == c]
        cons.append(" + ".join(v for t, v in xs) + " = 1")
        cons.append("last - " + " - ".join("%d %s" % (run[c][t][-1], v) for t, v in xs) + " >= 0")
    # one run a day per doctor; last day
    byday = {}
    for (i, c, s, t), v in X.items():
        for u in run[c][t]:
            byday.setdefault((i, u), []).append(v)
    for vs in byday.values():
        if len(vs) > 1:
            cons.append(" + ".join(vs) + " <= 1")
    # run sizes, chairs
    members = {}
    for (i, c, s, t), v in X.items():
        members.setdefault((c, s, t), []).append(v)
    seats = {}
    chairs = {}
    for (c, s, t), vs in members.items():
        n = "n_%s_%d_%d" % (c[0], s, t)
        ints.append(n)
        tot = " + ".join(vs)
        cons.append("%s - %d %s <= 0" % (tot, mx[c], n))
        cons.append("%s - %d %s >= 0" % (tot, cmin, n))
        for u in run[c][t]:
            seats.setdefault((s, u), []).extend(vs)
        per = COURSES[c]["per"]
        if per:
            uu = "u_%s_%d_%d" % (c[0], s, t)
            ints.append(uu)
            cons.append("%d %s - %s >= 0" % (per, uu, " - ".join(vs)))
            cons.append("%s - %s >= 0" % (uu, n))
            for u in run[c][t]:
                chairs.setdefault((s, u), []).append(uu)
    for (s, u), vs in seats.items():
        if len(vs) > P["sites"][s]["seats"]:
            cons.append(" + ".join(vs) + " <= %d" % P["sites"][s]["seats"])
    for (s, u), vs in chairs.items():
        cons.append(" + ".join(vs) + " <= %d" % P["sites"][s]["chairs"])
    # coverage: sh[k,u] >= m - K + away, per township sum <= cover
    away = {}
    for (i, c, s, t), v in X.items():
        k = P["doctors"][i]["clinic"]
        for u in run[c][t]:
            away.setdefault((k, u), []).append(v)
    town_day = {}
    for (k, u), vs in away.items():
        cl = P["clinics"][k]
        r = cl["K"] - cl["m"]
        if len(vs) <= r:
            continue            # never short
        sh = "sh_%d_%d" % (k, u)
        cons.append("%s - %s >= %d" % (sh, " - ".join(vs), -r))
        town_day.setdefault((cl["town"], u), []).append(sh)
    for (w, u), vs in town_day.items():
        cons.append(" + ".join(vs) + " <= %d" % capw[w])
    # prerequisites: dental starts after tcm ends
    if P["prereq"]:
        for i, d in enumerate(P["doctors"]):
            if (i, "dental") in need and (i, "tcm") in need:
                st = " + ".join("%d %s" % (t, v) for (a, c, s, t), v in X.items()
                                if a == i and c == "dental")
                en = " - ".join("%d %s" % (run["tcm"][t][-1] + 1, v)
                                for (a, c, s, t), v in X.items() if a == i and c == "tcm")
                cons.append("%s - %s >= 0" % (st, en))
    # travel: at most the budget over every pair at its nearest usable site
    # (km as vdsched reckons it, from the coordinates as written)
    if P.get("budget") is not None:
        def km(a, b):
            la1, lo1, la2, lo2 = (math.radians(float("%.4f" % v)) for v in a + b)
            h = (math.sin((la2 - la1) / 2) ** 2 +
                 math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
            return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
        where = lambda i, s: km((P["clinics"][P["doctors"][i]["clinic"]]["lat"],
                                 P["clinics"][P["doctors"][i]["clinic"]]["lon"]),
                                (P["sites"][s]["lat"], P["sites"][s]["lon"]))
        near = sum(min(where(i, s) for s in usable[c]) for (i, c) in need)
        cons.append(" + ".join("%.6f %s" % (where(i, s), v) for (i, c, s, t), v in X.items())
                    + " <= %.6f" % ((1 + P["budget"] / 100.0) * near + 1e-6))
    objective = "last"
    if keep is not None:
        kept = [X[i, c, s, t] for (i, c), (s, t) in keep.items() if (i, c, s, t) in X]
        objective = " - ".join(["0 last"] + kept)
        with open(os.path.join(out, "kept-pairs"), "w") as fh:
            fh.write("%d\n" % sum(1 for k in keep if k in need))
    if deadlines is not None:
        zs = []
        for i, dl in sorted(deadlines.items()):
            z = "z_%d" % i
            zs.append(z)
            early = [v for (a, c, s, t), v in X.items() if a == i and run[c][t][-1] < dl]
            cons.append(" + ".join(early + [z]) + " >= 1")
        bins += zs
        objective = " + ".join(["0 last"] + zs)
    with open(os.path.join(out, name), "w") as fh:
        fh.write("\\ exact model of %s\n" % out)
        fh.write("Minimize\n obj: %s\nSubject To\n" % objective)
        for j, c in enumerate(cons):
            fh.write(" r%d: %s\n" % (j, c))
        fh.write("Bounds\n last <= %d\n" % (P["H"] - 1))
        if ints:
            fh.write("General\n " + "\n ".join(ints) + "\n")
        if bins:
            fh.write("Binary\n " + "\n ".join(bins) + "\n")
        fh.write("End\n")
    with open(os.path.join(out, "pairs"), "w") as fh:
        fh.write("%d\n" % len(need))


EDITS = ("leave", "unavailable", "blackout")


def apply_edit(P, kind):
    """One administrator's edit of a generated program, in place."""
    if kind == "leave":      # a doctor of a clinic with two or more leaves
        i = next((j for j, d in enumerate(P["doctors"]) if P["clinics"][d["clinic"]]["K"] >= 2), 0)
        P["clinics"][P["doctors"][i]["clinic"]]["K"] -= 1
        del P["doctors"][i]
    elif kind == "unavailable":  # the first doctor is away the first week
        P["doctors"][0]["unav"] = P["doctors"][0]["unav"] + [(0, 4)]
    elif kind == "blackout":     # no training in the second week's Tue-Thu
        P["blackout"] = {8, 9, 10}
    else:
        sys.exit("unknown edit " + kind)


def previous_pairs(P, prev):
    """{(doctor index, course): (site index, start day)} from a plan's schedule.csv."""
    import csv
    di = {d["id"]: i for i, d in enumerate(P["doctors"])}
    si = {s["id"]: j for j, s in enumerate(P["sites"])}
    keep = {}
    with open(os.path.join(prev, "schedule.csv"), encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if r["doctor_id"] in di and r["site_id"] in si:
                t = (datetime.date.fromisoformat(r["first_day"]) - START).days
                keep[di[r["doctor_id"]], r["course_id"]] = (si[r["site_id"]], t)
    return keep


def moves(out, sol):
    """The fewest moves of CBC's solution: pairs to keep minus pairs kept."""
    try:
        first = open(sol).readline()
        total = int(open(os.path.join(out, "kept-pairs")).read())
    except (OSError, ValueError):
        return "none"
    if not first.startswith("Optimal"):
        return "infeasible" if first.startswith("Infeasible") else "none"
    kept = -float(first.split("objective value")[1])
    return str(total - int(round(kept)))


def add_deadlines(P):
    """last_trained for about one doctor in six (two at least), so that
    retrain_years = 2 puts the deadline inside the window; {index: day}."""
    rng = random.Random("deadline-%d" % P["seed"])
    n = max(2, len(P["doctors"]) // 6)
    out = {}
    for i in sorted(rng.sample(range(len(P["doctors"])), n)):
        dl = rng.randint(4, P["H"] - 3)
        out[i] = dl
        when = START + datetime.timedelta(days=dl)
        P["doctors"][i]["last"] = when.replace(year=when.year - 2).isoformat()
    return out


def lapses(sol):
    """The fewest lapses of CBC's solution."""
    try:
        first = open(sol).readline()
    except OSError:
        return "none"
    if not first.startswith("Optimal"):
        return "infeasible" if first.startswith("Infeasible") else "none"
    return str(int(round(float(first.split("objective value")[1]))))


def optimum(out, sol):
    try:
        first = open(sol).readline()
    except OSError:
        return "none"
    if first.startswith("Infeasible"):
        return "infeasible"
    if not first.startswith("Optimal"):
        return "none"
    v = float(first.split("objective value")[1])
    return (START + datetime.timedelta(days=int(round(v)))).isoformat()


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "gen":
        P = generate(int(sys.argv[2]))
        if len(sys.argv) == 5:
            # seats scarce at the site nearer most clinics (the last), so
            # that travel buys days
            P["budget"] = int(sys.argv[4])
            s0 = P["sites"][-1]
            s0["seats"] = max(P["cmin"], 4, s0["chairs"] * 3)
        write_program(P, sys.argv[3])
        write_lp(P, sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "opt":
        print(optimum(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "edit":
        P = generate(int(sys.argv[2]))
        apply_edit(P, sys.argv[3])
        write_program(P, sys.argv[4])
    elif len(sys.argv) == 6 and sys.argv[1] == "replan-lp":
        P = generate(int(sys.argv[2]))
        apply_edit(P, sys.argv[3])
        write_lp(P, sys.argv[4], keep=previous_pairs(P, sys.argv[5]), name="moves.lp")
    elif len(sys.argv) == 4 and sys.argv[1] == "moves":
        print(moves(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "deadline":
        P = generate(int(sys.argv[2]))
        dls = add_deadlines(P)
        write_program(P, sys.argv[3])
        write_lp(P, sys.argv[3], name="lapses.lp", deadlines=dls)
        with open(os.path.join(sys.argv[3], "deadlines"), "w") as fh:
            for i, dl in sorted(dls.items()):
                fh.write("%s %s\n" % (P["doctors"][i]["id"], START + datetime.timedelta(days=dl)))
    elif len(sys.argv) == 4 and sys.argv[1] == "lapses":
        print(lapses(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

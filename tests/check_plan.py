#!/usr/bin/env python3
"""check_plan.py -- independent checker of a vdsched plan.

    check_plan.py PROGRAM.ini OUTDIR [PLUGIN-FACTS.json]
    check_plan.py --shipped-facts PROGRAM.ini      (print facts JSON, exit 0)

Reads the program file, its holiday files and rosters, and the plan in OUTDIR
(schedule.csv, sessions.csv, cover.csv, unscheduled.csv), and recomputes every
hard constraint (numbered 1-7 here) that vdsched(1) and vdsched.ini(5)
state.  Each broken constraint
is printed as one line

    VIOLATION <n>: <details>

and the exit status is 1.  Softer findings (cover.csv not matching the
recomputed shortfalls, names not matching the roster, ...) print as
"WARNING: ..." and do not fail.  When nothing is broken it prints one line
"OK: ..." (pairs scheduled, runs, last day) and exits 0.  Exit 2: the checker
could not read its inputs.

This file is written from the manual pages only, independently of
the planner.  Standard library only, Python 3.5+.

Plugin facts.  What a course needs beyond the core contract (its weekdays,
size limits, site features, resources, instructor, prerequisites,
eligibility) is declared by its plugin.  The optional facts file gives it:

    {"courses": {
       "dental": {"weekdays": ["mon","tue","wed","thu","fri"],
                  "workdays": true,          # make-up workdays (调休) count
                  "max_size": 24, "min_size": 0,
                  "features": ["dental_unit"],
                  "resources": {"dental_chairs": 3},   # ceil(n/3) per run
                  "needs_instructor": false,
                  "prereqs": [], "exclude_completed": [],
                  "max_span": 7, "days": 3}},
     "ineligible": [["d0001", "pediatrics"], ...],
     "course_ids": ["tcm", "dental"]}         # when ids differ from plugin names

Every key is optional.  Without a facts file, or for a course the file does
not describe, the facts of the shipped plugins tcm, pediatrics and dental are
derived from their [course] sections as their manual pages describe
(vdsched-tcm(7), vdsched-pediatrics(7), vdsched-dental(7)); any other course
gets the program's teaching_days and no further requirement.
"""

import csv
import datetime
import io
import json
import math
import os
import re
import sys

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WD_ALIASES = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "tues": 1, "thur": 3, "thurs": 3,
    "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5,
    "周日": 6, "周天": 6,
    "星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4,
    "星期六": 5, "星期日": 6, "星期天": 6,
}
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class InputError(Exception):
    pass


# ---------------------------------------------------------------- INI ----

def read_ini(path):
    """Parse an INI file the way iniparser 4.1 does: lowercased section and
    key names, ';'/'#' comment lines and trailing comments, quoted values,
    backslash continuation lines.  Returns {section: {key: value}}."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError("%s: cannot read: %s" % (path, e))
    text = raw.decode("utf-8-sig", errors="replace")
    data = {}
    sect = ""
    data[sect] = {}
    pending = ""
    for line in text.splitlines():
        line = pending + line
        pending = ""
        s = line.rstrip()
        if s.endswith("\\"):
            pending = s[:-1]
            continue
        s = s.strip()
        if not s or s[0] in ";#":
            continue
        if s[0] == "[":
            end = s.find("]")
            name = s[1:end] if end > 0 else s[1:]
            sect = " ".join(name.split()).lower()
            data.setdefault(sect, {})
            continue
        if "=" not in s:
            continue
        key, val = s.split("=", 1)
        key = key.strip().lower()
        val = val.strip()
        if val[:1] in ('"', "'"):
            q = val[0]
            end = val.find(q, 1)
            val = val[1:end] if end > 0 else val[1:]
        else:
            m = re.search(r"[;#]", val)
            if m:
                val = val[:m.start()]
            val = val.strip()
        data.setdefault(sect, {})[key] = val
    return data


def parse_date(s, where=""):
    m = DATE_RE.match(s.strip())
    if not m:
        raise InputError("%sbad date '%s'" % (where, s))
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise InputError("%simpossible date '%s'" % (where, s))


def split_list(s):
    return [x for x in re.split(r"[\s,;，；]+", s or "") if x]


def parse_dates(s, where=""):
    """Dates and ranges A..B -> set of date ordinals."""
    out = set()
    for tok in split_list(s):
        if ".." in tok:
            a, b = tok.split("..", 1)
            da, db = parse_date(a, where), parse_date(b, where)
            if db < da:
                raise InputError("%srange '%s' ends before it starts" % (where, tok))
            out.update(range(da.toordinal(), db.toordinal() + 1))
        else:
            out.add(parse_date(tok, where).toordinal())
    return out


def parse_weekdays(s, where=""):
    out = set()
    for tok in split_list(s):
        t = tok.lower()
        if t in WD_ALIASES:
            out.add(WD_ALIASES[t])
            continue
        if "-" in t:
            a, b = t.split("-", 1)
            if a in WD_ALIASES and b in WD_ALIASES:
                i, j = WD_ALIASES[a], WD_ALIASES[b]
                while True:
                    out.add(i)
                    if i == j:
                        break
                    i = (i + 1) % 7
                continue
        raise InputError("%sbad weekday '%s'" % (where, tok))
    return out


def wd_names(days):
    return [WEEKDAYS[i] for i in sorted(days)]


def as_int(s, default, where=""):
    s = (s or "").strip()
    if s == "":
        return default
    try:
        return int(s)
    except ValueError:
        raise InputError("%snot a whole number: '%s'" % (where, s))


def yes(s, default=False):
    s = (s or "").strip().lower()
    if s == "":
        return default
    return s in ("yes", "true", "on", "1", "y")


# ---------------------------------------------------------------- CSV ----

def read_csv(path, encoding="utf-8"):
    """-> (header list lowercased, list of dict rows)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError("%s: cannot read: %s" % (path, e))
    enc = (encoding or "utf-8").strip().lower().replace("_", "-")
    if enc in ("gbk", "gb18030", "cp936", "gb2312"):
        enc = "gb18030"
    else:
        enc = "utf-8-sig"
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as e:
        raise InputError("%s: not valid %s: %s" % (path, enc, e))
    rd = csv.reader(io.StringIO(text, newline=""))
    rows = list(rd)
    if not rows:
        return [], []
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for r in rows[1:]:
        if not r or all(not c.strip() for c in r):
            continue
        d = {}
        for i, h in enumerate(header):
            d[h] = r[i].strip() if i < len(r) else ""
        out.append(d)
    return header, out


def read_output(outdir, name, required_cols):
    path = os.path.join(outdir, name)
    if not os.path.exists(path):
        raise InputError("%s: missing" % path)
    header, rows = read_csv(path)
    missing = [c for c in required_cols if c not in header]
    if missing:
        raise InputError("%s: missing column(s) %s" % (path, " ".join(missing)))
    return rows


# -------------------------------------------------------------- facts ----

def shipped_facts(ini, teaching):
    """Facts of the shipped plugins as their manual pages describe them."""
    loads = split_list(ini.get("plugins", {}).get("load", ""))
    facts = {}
    mon_fri = [0, 1, 2, 3, 4]
    for name in loads:
        sec = ini.get("course " + name.lower(), {})
        f = {}
        if name == "tcm":
            wd = parse_weekdays(sec["weekdays"]) if sec.get("weekdays", "").strip() else teaching
            ntech = len(split_list(sec.get("techniques", ""))) or 4
            days = ntech * as_int(sec.get("days_per_technique"), 1)
            if yes(sec.get("assessment")):
                days += 1
            span = as_int(sec.get("max_span"), 7 * int(math.ceil(days / 5.0)) + 7)
            f = {"weekdays": wd_names(wd),
                 "max_size": as_int(sec.get("max_size"), 30),
                 "features": ["skills_lab"], "resources": {},
                 "needs_instructor": False,
                 "prereqs": split_list(sec.get("requires", "")),
                 "max_span": span, "days": days}
        elif name == "pediatrics":
            weekend = yes(sec.get("weekend"))
            days = as_int(sec.get("days"), 5)
            instr = (sec.get("instructor") or "").strip().lower()
            need = (instr == "required") if instr else weekend
            f = {"weekdays": wd_names([5, 6] if weekend else mon_fri),
                 "workdays": not weekend,
                 "max_size": as_int(sec.get("max_size"), 24),
                 "min_size": as_int(sec.get("min_size"), 0),
                 "features": split_list(sec.get("features", "")),
                 "resources": {}, "needs_instructor": need,
                 "prereqs": split_list(sec.get("requires", "")),
                 "exclude_completed": split_list(sec.get("exclude_completed", "")),
                 "max_span": (7 * int(math.ceil(days / 2.0)) + 7) if weekend else 14,
                 "days": days}
        elif name == "dental":
            feats = split_list(sec["features"]) if "features" in sec else ["dental_unit"]
            f = {"weekdays": wd_names(teaching),
                 "max_size": as_int(sec.get("max_size"), 24),
                 "features": feats,
                 "resources": {"dental_chairs": as_int(sec.get("trainees_per_chair"), 3)},
                 "needs_instructor": False,
                 "prereqs": split_list(sec.get("requires", "")),
                 "max_span": 7, "days": 3}
        else:
            f = {"weekdays": wd_names(teaching)}
        facts[name] = f
    return {"courses": facts}


# -------------------------------------------------------------- check ----

class Checker(object):
    def __init__(self):
        self.violations = []
        self.warnings = []

    def v(self, n, msg):
        self.violations.append("VIOLATION %d: %s" % (n, msg))

    def w(self, msg):
        self.warnings.append("WARNING: %s" % msg)


def dstr(o):
    return datetime.date.fromordinal(o).isoformat()


def hm(s):
    m = re.match(r"^(\d{1,2}):(\d{2})$", (s or "").strip())
    if not m:
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


def load_program(ini_path):
    ini = read_ini(ini_path)
    base = os.path.dirname(os.path.abspath(ini_path))
    prog = ini.get("program", {})
    P = {"ini": ini, "base": base}
    try:
        P["start"] = parse_date(prog.get("start", ""), "[program] start: ").toordinal()
        P["end"] = parse_date(prog.get("end", ""), "[program] end: ").toordinal()
    except InputError as e:
        raise InputError("%s: %s" % (ini_path, e))
    P["teaching"] = (parse_weekdays(prog["teaching_days"])
                     if prog.get("teaching_days", "").strip() else {0, 1, 2, 3, 4})
    off, work = set(), set()
    for h in split_list(prog.get("holidays", "")):
        hp = os.path.join(base, h)
        hi = read_ini(hp).get("holidays", {})
        off |= parse_dates(hi.get("off", ""), "%s: off: " % hp)
        work |= parse_dates(hi.get("workdays", ""), "%s: workdays: " % hp)
    P["off"], P["work"] = off, work
    P["blackout"] = parse_dates(prog.get("blackout", ""), "[program] blackout: ")
    P["cmin"] = as_int(prog.get("cohort_min"), 8)
    P["cmax"] = as_int(prog.get("cohort_max"), 30)
    P["loads"] = split_list(ini.get("plugins", {}).get("load", ""))
    enc = prog.get("encoding", "utf-8")

    # sites, instructors, townships
    sites, instr, towns = {}, {}, {}
    for sname, sec in ini.items():
        parts = sname.split(" ", 1)
        if len(parts) != 2:
            continue
        kind, sid = parts
        if kind == "site":
            res = {}
            for k, val in sec.items():
                if k in ("name", "address", "lat", "lon", "seats", "features"):
                    continue
                if re.match(r"^\s*\d+\s*$", val or ""):
                    res[k] = int(val)
            sites[sid] = {"seats": as_int(sec.get("seats"), 0),
                          "features": set(split_list(sec.get("features", ""))),
                          "res": res}
        elif kind == "instructor":
            instr[sid] = {"courses": set(split_list(sec.get("courses", ""))),
                          "days": (parse_weekdays(sec["days"])
                                   if sec.get("days", "").strip() else set(range(7))),
                          "sites": set(split_list(sec.get("sites", "")))}
        elif kind == "township":
            towns[sid] = {"name": sec.get("name", "").strip(),
                          "cover": sec.get("cover")}
    dcover = as_int(ini.get("townships", {}).get("cover"), 0)
    P["dcover"] = dcover
    for t in towns.values():
        t["cover"] = as_int(t["cover"], dcover)
    P["sites"], P["instr"], P["towns"] = sites, instr, towns
    # a course without `sites` may use every site with its features and
    # resources (None: checked by those alone)
    P["course_sites"] = {}
    for name in P["loads"]:
        sec = ini.get("course " + name.lower(), {})
        P["course_sites"][name] = set(split_list(sec["sites"])) if "sites" in sec else None

    # rosters
    cpath = os.path.join(base, prog.get("clinics", "clinics.csv"))
    dpath = os.path.join(base, prog.get("doctors", "doctors.csv"))
    _, crows = read_csv(cpath, enc)
    _, drows = read_csv(dpath, enc)
    byname = {}
    for tid, t in towns.items():
        if t["name"]:
            byname[t["name"]] = tid
    clinics = {}
    for r in crows:
        cid = r.get("clinic_id", "")
        cell = r.get("township", "").strip()
        if towns:
            if cell.lower() in towns:
                tkey = cell.lower()
            elif cell in byname:
                tkey = byname[cell]
            else:
                tkey = cell
        else:
            tkey = cell
        clinics[cid] = {"town": tkey, "mod": as_int(r.get("min_on_duty"), 1),
                        "docs": []}
    doctors = {}
    for r in drows:
        did = r.get("doctor_id", "")
        try:
            unav = parse_dates(r.get("unavailable", ""), "%s: doctor %s: " % (dpath, did))
        except InputError:
            unav = set()
        doctors[did] = {"name": r.get("name", ""), "clinic": r.get("clinic_id", ""),
                        "completed": set(split_list(r.get("completed", ""))),
                        "unav": unav}
        if r.get("clinic_id", "") in clinics:
            clinics[r["clinic_id"]]["docs"].append(did)
    P["clinics"], P["doctors"] = clinics, doctors
    return P


def town_cover(P, tkey):
    t = P["towns"].get(tkey)
    return t["cover"] if t else P["dcover"]


def check(ini_path, outdir, facts_path=None):
    C = Checker()
    P = load_program(ini_path)
    facts = shipped_facts(P["ini"], P["teaching"])["courses"]
    ineligible = set()
    ext = {}
    if facts_path:
        try:
            with open(facts_path, encoding="utf-8") as f:
                ext = json.load(f)
        except (OSError, ValueError) as e:
            raise InputError("%s: %s" % (facts_path, e))
        for cid, cf in (ext.get("courses") or {}).items():
            facts.setdefault(cid, {}).update(cf)
        for pair in ext.get("ineligible") or []:
            ineligible.add((pair[0], pair[1]))
    courses = set(P["loads"]) | set(facts.keys())
    if facts_path and ext.get("course_ids"):
        courses = set(ext["course_ids"])
        for cid in courses:
            facts.setdefault(cid, {})
    cf = {}
    for cid in sorted(courses):
        f = facts.get(cid, {})
        wd = set(WD_ALIASES[x.lower()] for x in f.get("weekdays", wd_names(P["teaching"])))
        cf[cid] = {
            "wd": wd,
            "workdays": f.get("workdays", bool(wd & {0, 1, 2, 3, 4})),
            "max": min(P["cmax"], f["max_size"]) if f.get("max_size") else P["cmax"],
            "min": f.get("min_size") or P["cmin"],
            "features": set(f.get("features") or []),
            "res": dict(f.get("resources") or {}),
            "instr": bool(f.get("needs_instructor")),
            "prereqs": list(f.get("prereqs") or []),
            "excl": set(f.get("exclude_completed") or []),
            "span": f.get("max_span") or 0,
            "days": f.get("days") or 0,
            "sites": (set(f["sites"]) if "sites" in f
                      else P["course_sites"].get(cid)),
        }
    doctors, clinics, sites, instr = P["doctors"], P["clinics"], P["sites"], P["instr"]

    sched = read_output(outdir, "schedule.csv",
                        ["doctor_id", "cohort_id", "course_id", "site_id", "first_day", "last_day"])
    sess = read_output(outdir, "sessions.csv",
                       ["cohort_id", "course_id", "site_id", "instructor_id", "date", "start", "end"])
    cover = read_output(outdir, "cover.csv", ["date", "township", "clinic_id", "shortfall"])
    unsch = read_output(outdir, "unscheduled.csv", ["doctor_id", "course_id", "reason"])

    dcache = {}

    def pd(s):
        o = dcache.get(s)
        if o is None:
            try:
                o = parse_date(s).toordinal()
            except InputError:
                o = -1
            dcache[s] = o
        return o

    # ---- runs from sessions.csv
    runs = {}   # (cohort, course) -> dict
    for i, r in enumerate(sess, 2):
        key = (r["cohort_id"], r["course_id"])
        run = runs.get(key)
        if run is None:
            run = runs[key] = {"sites": set(), "dates": set(), "sess": [],
                               "instr": set(), "docs": []}
        run["sites"].add(r["site_id"])
        d = pd(r["date"])
        if d < 0:
            C.v(2, "sessions.csv:%d: run %s/%s has an invalid date '%s'" % (i, key[0], key[1], r["date"]))
            continue
        a, b = hm(r["start"]), hm(r["end"])
        if a is None or b is None or a >= b:
            C.w("sessions.csv:%d: run %s/%s on %s has bad times '%s'-'%s'"
                % (i, key[0], key[1], r["date"], r["start"], r["end"]))
        run["dates"].add(d)
        run["sess"].append((d, a, b, i))
        run["instr"].add(r["instructor_id"])

    for key, run in runs.items():
        cid = key[1]
        f = cf.get(cid)
        tag = "run %s/%s" % key
        if f is None:
            C.v(1, "%s: unknown course '%s' (loaded: %s)" % (tag, cid, " ".join(sorted(courses))))
            f = {"wd": P["teaching"], "workdays": True, "max": P["cmax"], "min": P["cmin"],
                 "features": set(), "res": {}, "instr": False, "prereqs": [], "excl": set(),
                 "span": 0, "days": 0, "sites": set()}
            cf[cid] = f
        run["site"] = sorted(run["sites"])[0] if run["sites"] else ""
        if len(run["sites"]) > 1:
            C.v(4, "%s is held at several sites: %s" % (tag, " ".join(sorted(run["sites"]))))
        for s in sorted(run["sites"]):
            if s not in sites:
                C.v(5, "%s: unknown site '%s'" % (tag, s))
                continue
            if f["sites"] is not None and s not in f["sites"]:
                C.v(5, "%s: site '%s' is not listed in [course %s] sites (%s)"
                    % (tag, s, cid, " ".join(sorted(f["sites"]))))
            miss = f["features"] - sites[s]["features"]
            if miss:
                C.v(5, "%s: site '%s' lacks feature(s) %s" % (tag, s, " ".join(sorted(miss))))
        # dates
        for d in sorted(run["dates"]):
            ds = dstr(d)
            if d < P["start"] or d > P["end"]:
                C.v(2, "%s: session on %s outside [%s, %s]" % (tag, ds, dstr(P["start"]), dstr(P["end"])))
            if d in P["off"]:
                C.v(2, "%s: session on holiday %s" % (tag, ds))
            if d in P["blackout"]:
                C.v(2, "%s: session on blackout date %s" % (tag, ds))
            wd = datetime.date.fromordinal(d).weekday()
            if wd not in f["wd"] and not (f["workdays"] and d in P["work"]):
                C.v(2, "%s: session on %s (%s), not a teaching day of %s (%s)"
                    % (tag, ds, WEEKDAYS[wd], cid, " ".join(wd_names(f["wd"]))))
        if run["dates"]:
            first, last = min(run["dates"]), max(run["dates"])
            run["first"], run["last"] = first, last
            if f["span"] and last - first + 1 > f["span"]:
                C.v(2, "%s spans %s..%s, %d days, more than the course's max_span %d"
                    % (tag, dstr(first), dstr(last), last - first + 1, f["span"]))
            if f["days"] and len(run["dates"]) != f["days"]:
                C.w("%s has %d teaching days, the course declares %d"
                    % (tag, len(run["dates"]), f["days"]))
        else:
            run["first"] = run["last"] = None
        # time overlap inside a run (every member attends every session)
        byday = {}
        for (d, a, b, ln) in run["sess"]:
            if a is None or b is None:
                continue
            byday.setdefault(d, []).append((a, b, ln))
        run["byday"] = byday
        for d, lst in byday.items():
            lst.sort()
            for j in range(1, len(lst)):
                if lst[j][0] < lst[j - 1][1]:
                    C.v(3, "%s: sessions overlap on %s (sessions.csv lines %d and %d)"
                        % (tag, dstr(d), lst[j - 1][2], lst[j][2]))
        # instructors
        ins = run["instr"]
        if f["instr"] and "" in ins:
            C.v(4, "%s: course %s needs an instructor, some sessions have none" % (tag, cid))
        if len(ins - {""}) > 1:
            C.w("%s has several instructors: %s" % (tag, " ".join(sorted(ins - {""}))))
        for iid in sorted(ins - {""}):
            I = instr.get(iid)
            if I is None:
                C.v(4, "%s: unknown instructor '%s'" % (tag, iid))
                continue
            if cid not in I["courses"]:
                C.v(4, "%s: instructor '%s' does not teach %s (courses = %s)"
                    % (tag, iid, cid, " ".join(sorted(I["courses"]))))
            if I["sites"] and run["site"] not in I["sites"]:
                C.v(4, "%s: instructor '%s' does not teach at site '%s' (sites = %s)"
                    % (tag, iid, run["site"], " ".join(sorted(I["sites"]))))

    # instructor per date across runs, and weekdays
    ibusy = {}
    for r in sess:
        iid = r["instructor_id"]
        if not iid:
            continue
        d = pd(r["date"])
        if d < 0:
            continue
        key = (r["cohort_id"], r["course_id"])
        ibusy.setdefault((iid, d), set()).add(key)
    for (iid, d), keys in sorted(ibusy.items()):
        I = instr.get(iid)
        if I is not None:
            wd = datetime.date.fromordinal(d).weekday()
            if wd not in I["days"]:
                C.v(4, "instructor '%s' teaches on %s (%s), not one of their days (%s)"
                    % (iid, dstr(d), WEEKDAYS[wd], " ".join(wd_names(I["days"]))))
        if len(keys) > 1:
            C.v(4, "instructor '%s' teaches %d runs on %s: %s"
                % (iid, len(keys), dstr(d), " ".join("%s/%s" % k for k in sorted(keys))))

    # ---- schedule rows
    pairs = {}
    for i, r in enumerate(sched, 2):
        did, cid = r["doctor_id"], r["course_id"]
        key = (r["cohort_id"], cid)
        where = "schedule.csv:%d: %s/%s" % (i, did, cid)
        if did not in doctors:
            C.v(1, "%s: unknown doctor '%s'" % (where, did))
        else:
            D = doctors[did]
            if r.get("clinic_id", D["clinic"]) != D["clinic"]:
                C.v(1, "%s: clinic '%s' but the roster says '%s'" % (where, r.get("clinic_id"), D["clinic"]))
            if "doctor_name" in r and r["doctor_name"] != D["name"]:
                C.w("%s: name '%s' but the roster says '%s'" % (where, r["doctor_name"], D["name"]))
            if cid in D["completed"]:
                C.v(1, "%s: doctor already completed %s" % (where, cid))
        if cid not in cf:
            C.v(1, "%s: unknown course '%s'" % (where, cid))
        if (did, cid) in pairs:
            C.v(1, "%s: doctor scheduled for %s twice (lines %d and %d)" % (where, cid, pairs[(did, cid)], i))
            continue
        pairs[(did, cid)] = i
        run = runs.get(key)
        if run is None:
            C.v(1, "%s: cohort '%s' has no sessions of %s in sessions.csv" % (where, key[0], cid))
            continue
        run["docs"].append(did)
        if r["site_id"] not in run["sites"]:
            C.v(1, "%s: site '%s' but the run is held at %s" % (where, r["site_id"], " ".join(sorted(run["sites"]))))
        if run["first"] is not None:
            if pd(r["first_day"]) != run["first"] or pd(r["last_day"]) != run["last"]:
                C.v(1, "%s: first_day..last_day %s..%s but the run's sessions are %s..%s"
                    % (where, r["first_day"], r["last_day"], dstr(run["first"]), dstr(run["last"])))

    # ---- unscheduled rows
    unl = {}
    for i, r in enumerate(unsch, 2):
        did, cid = r["doctor_id"], r["course_id"]
        where = "unscheduled.csv:%d: %s/%s" % (i, did, cid)
        if did not in doctors:
            C.v(1, "%s: unknown doctor '%s'" % (where, did))
        if cid not in cf:
            C.v(1, "%s: unknown course '%s'" % (where, cid))
        if not r["reason"].strip():
            C.v(1, "%s: no reason given" % where)
        if (did, cid) in pairs:
            C.v(1, "%s: listed as unscheduled but scheduled at schedule.csv:%d" % (where, pairs[(did, cid)]))
        if (did, cid) in unl:
            C.w("%s: listed twice" % where)
        if did in doctors and cid in doctors[did]["completed"]:
            C.w("%s: the doctor has already completed %s" % (where, cid))
        unl[(did, cid)] = i

    # ---- constraint 1: everybody who needs a course is accounted for
    for did in sorted(doctors):
        D = doctors[did]
        for cid in sorted(cf):
            if cid not in courses or cid in D["completed"]:
                continue
            if (did, cid) in pairs or (did, cid) in unl:
                continue
            if (did, cid) in ineligible or (cf[cid]["excl"] & D["completed"]):
                continue
            C.v(1, "doctor %s needs %s but is neither in schedule.csv nor in unscheduled.csv" % (did, cid))

    # ---- run sizes, seats, resources
    use = {}   # (site, date) -> [seats, {res: n}, [runs]]
    for key in sorted(runs):
        run = runs[key]
        f = cf[key[1]]
        n = len(run["docs"])
        tag = "run %s/%s" % key
        if n > f["max"]:
            C.v(4, "%s has %d doctors, more than the limit %d" % (tag, n, f["max"]))
        # a run begun before the re-plan's freeze date happened: doctors
        # who missed it are made up elsewhere, so fewer may be left in it
        if n < f["min"] and not (FREEZE and run["dates"] and min(run["dates"]) < pd(FREEZE)):
            C.v(4, "%s has %d doctors, fewer than the minimum %d" % (tag, n, f["min"]))
        for d in run["dates"]:
            u = use.get((run["site"], d))
            if u is None:
                u = use[(run["site"], d)] = [0, {}, []]
            u[0] += n
            u[2].append("%s/%s(%d)" % (key[0], key[1], n))
            for res, per in f["res"].items():
                need = int(math.ceil(n / float(per))) if per else 0
                u[1][res] = u[1].get(res, 0) + need
    for (s, d) in sorted(use):
        u = use[(s, d)]
        S = sites.get(s)
        if S is None:
            continue
        if u[0] > S["seats"]:
            C.v(4, "site %s on %s: %d trainees, %d seats (%s)" % (s, dstr(d), u[0], S["seats"], " ".join(u[2])))
        for res, need in sorted(u[1].items()):
            have = S["res"].get(res, 0)
            if need > have:
                C.v(4, "site %s on %s: runs need %d %s, it has %d (%s)"
                    % (s, dstr(d), need, res, have, " ".join(u[2])))

    # ---- doctors: no two runs a day, unavailable dates
    ddays = {}   # doctor -> {date: [run keys]}
    for key, run in runs.items():
        for did in run["docs"]:
            dd = ddays.setdefault(did, {})
            for d in run["dates"]:
                dd.setdefault(d, []).append(key)
    for did in sorted(ddays):
        dd = ddays[did]
        D = doctors.get(did)
        for d in sorted(dd):
            keys = dd[d]
            if len(keys) > 1:
                C.v(3, "doctor %s is in %d runs on %s: %s"
                    % (did, len(keys), dstr(d), " ".join("%s/%s" % k for k in sorted(keys))))
                ivs = []
                for k in keys:
                    for (a, b, ln) in runs[k]["byday"].get(d, []):
                        ivs.append((a, b, k))
                ivs.sort()
                for j in range(1, len(ivs)):
                    if ivs[j][0] < ivs[j - 1][1] and ivs[j][2] != ivs[j - 1][2]:
                        C.v(3, "doctor %s has overlapping sessions on %s: %s/%s and %s/%s"
                            % (did, dstr(d), ivs[j - 1][2][0], ivs[j - 1][2][1], ivs[j][2][0], ivs[j][2][1]))
            if D is not None and d in D["unav"]:
                C.v(3, "doctor %s is unavailable on %s but in run %s"
                    % (did, dstr(d), " ".join("%s/%s" % k for k in sorted(keys))))

    # ---- constraint 6: clinic coverage
    away = {}    # (date, clinic) -> n
    for did, dd in ddays.items():
        D = doctors.get(did)
        if D is None or D["clinic"] not in clinics:
            continue
        for d in dd:
            k = (d, D["clinic"])
            away[k] = away.get(k, 0) + 1
    base_town = {}
    for cid, c in clinics.items():
        b = max(0, c["mod"] - len(c["docs"]))
        if b:
            base_town[c["town"]] = base_town.get(c["town"], 0) + b
    used = {}    # (date, town) -> extra shortfall caused by training
    expect = {}
    for (d, cid), n in away.items():
        c = clinics[cid]
        sf = max(0, c["mod"] - (len(c["docs"]) - n))
        extra = sf - max(0, c["mod"] - len(c["docs"]))
        if sf > 0:
            expect[(d, cid)] = sf
        if extra > 0:
            k = (d, c["town"])
            used.setdefault(k, []).append((cid, sf))
    for (d, t) in sorted(used):
        lst = used[(d, t)]
        base = base_town.get(t, 0)
        total = base + sum(sf - max(0, clinics[c]["mod"] - len(clinics[c]["docs"])) for c, sf in lst)
        cov = town_cover(P, t)
        if total > cov and total > base:
            C.v(6, "township %s on %s: %d clinic shortfall(s), cover %d (%s)"
                % (t, dstr(d), total, cov, " ".join("%s:%d" % x for x in sorted(lst))))
    # cover.csv against the recomputed shortfalls (warnings only)
    names = {}
    for tid, tt in P["towns"].items():
        names[tid] = {tid, tt["name"]}
    seen = set()
    for i, r in enumerate(cover, 2):
        d = pd(r["date"])
        cid = r["clinic_id"]
        k = (d, cid)
        seen.add(k)
        c = clinics.get(cid)
        if c is None:
            C.w("cover.csv:%d: unknown clinic '%s'" % (i, cid))
            continue
        okt = names.get(c["town"], {c["town"]})
        if r["township"] not in okt:
            C.w("cover.csv:%d: clinic %s belongs to township %s, not '%s'" % (i, cid, c["town"], r["township"]))
        base = max(0, c["mod"] - len(c["docs"]))
        want = expect.get(k, base)
        if want == 0:
            C.w("cover.csv:%d: %s %s has no shortfall (nobody away)" % (i, r["date"], cid))
        elif as_int(r["shortfall"], -1) != want:
            C.w("cover.csv:%d: %s %s shortfall %s, recomputed %d" % (i, r["date"], cid, r["shortfall"], want))
    for k in sorted(expect):
        if k not in seen:
            C.w("cover.csv lacks %s %s (shortfall %d while its doctors train)" % (dstr(k[0]), k[1], expect[k]))

    # ---- constraint 7: prerequisites
    firstlast = {}
    for key, run in runs.items():
        for did in run["docs"]:
            firstlast[(did, key[1])] = (run["first"], run["last"])
    for (did, cid) in sorted(firstlast):
        pre = cf.get(cid, {}).get("prereqs") or []
        if not pre:
            continue
        D = doctors.get(did)
        done = D["completed"] if D else set()
        first = firstlast[(did, cid)][0]
        for p in pre:
            if p in done:
                continue
            pl = firstlast.get((did, p))
            if pl is None:
                C.v(7, "doctor %s takes %s without its prerequisite %s" % (did, cid, p))
            elif first is not None and pl[1] is not None and not pl[1] < first:
                C.v(7, "doctor %s: %s starts %s, but prerequisite %s ends %s"
                    % (did, cid, dstr(first), p, dstr(pl[1])))

    last = max([r["last"] for r in runs.values() if r["last"] is not None] or [0])
    summary = "%d pairs scheduled, %d runs, last day %s, %d unscheduled, %d warnings" % (
        len(pairs), len(runs), dstr(last) if last else "-", len(unl), len(C.warnings))
    return C, summary


# CHECK_PLAN_FREEZE=YYYY-MM-DD: the plan is a re-plan frozen before that
# day (plan --freeze-before); runs begun before it are history.
FREEZE = os.environ.get("CHECK_PLAN_FREEZE", "")


def main(argv):
    if len(argv) == 3 and argv[1] == "--shipped-facts":
        try:
            ini = read_ini(argv[2])
            prog = ini.get("program", {})
            teaching = (parse_weekdays(prog["teaching_days"])
                        if prog.get("teaching_days", "").strip() else {0, 1, 2, 3, 4})
            json.dump(shipped_facts(ini, teaching), sys.stdout, indent=2, sort_keys=True)
            sys.stdout.write("\n")
        except InputError as e:
            sys.stderr.write("check_plan: %s\n" % e)
            return 2
        return 0
    if len(argv) not in (3, 4) or argv[1].startswith("-"):
        sys.stderr.write("usage: check_plan.py PROGRAM.ini OUTDIR [PLUGIN-FACTS.json]\n"
                         "       check_plan.py --shipped-facts PROGRAM.ini\n")
        return 2
    try:
        C, summary = check(argv[1], argv[2], argv[3] if len(argv) == 4 else None)
    except InputError as e:
        sys.stderr.write("check_plan: %s\n" % e)
        return 2
    out = sys.stdout
    cap = int(os.environ.get("CHECK_PLAN_MAX_WARNINGS", "200"))
    for line in C.warnings[:cap]:
        out.write(line + "\n")
    if len(C.warnings) > cap:
        out.write("WARNING: ... %d more warnings (CHECK_PLAN_MAX_WARNINGS=%d)\n"
                  % (len(C.warnings) - cap, cap))
    for line in C.violations:
        out.write(line + "\n")
    if C.violations:
        out.write("FAIL: %d violation(s); %s\n" % (len(C.violations), summary))
        return 1
    out.write("OK: %s\n" % summary)
    return 0


if __name__ == "__main__":
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except AttributeError:
        pass
    sys.exit(main(sys.argv))

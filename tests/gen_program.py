#!/usr/bin/env python3
"""gen_program.py -- write a small random, well-formed vdsched program.

    gen_program.py SEED OUTDIR [--kind tight|seats|weekend|holidays|unavail|mixed] [--long-text]

Writes OUTDIR/vdsched.ini, clinics.csv, doctors.csv, holidays.ini (the real
2026 holidays of mainland China) and facts.json (the plugin facts that
tests/check_plan.py takes as its third argument), following vdsched(1) and
vdsched.ini(5).  The same SEED and kind give byte-identical files.

Kinds stress one side of the problem each:
  tight     few weeks, little township cover, many single-doctor clinics
  seats     small sites: few seats and dental chairs
  weekend   pediatrics taught on weekends by [instructor] sections
  holidays  a window around a 2026 holiday with its make-up workday, blackout
  unavail   many doctors with unavailable dates
  mixed     a bit of everything (also GBK rosters, CRLF/BOM, quoted cells)
--long-text makes the texts that reach the calendars long and mixed
(Chinese with digits, ASCII and punctuation): the contact (in every
DESCRIPTION), site names and addresses (LOCATION), and doctor names with
commas (NAME, X-WR-CALNAME), so that folding meets every line length.
Standard library only.
"""

import argparse
import csv
import datetime
import io
import json
import math
import os
import random

KINDS = ["tight", "seats", "weekend", "holidays", "unavail", "mixed"]

HOLIDAYS_2026 = """\
; 2026 public holidays and make-up working days of mainland China
; (国务院办公厅关于2026年部分节假日安排的通知), for vdsched tests.
[holidays]
off      = 2026-01-01..2026-01-03 2026-02-15..2026-02-23 2026-04-04..2026-04-06 2026-05-01..2026-05-05 2026-06-19..2026-06-21 2026-09-25..2026-09-27 2026-10-01..2026-10-07
workdays = 2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10
"""

# Mondays of the weeks around a holiday with a make-up workday or a long break
HOLIDAY_WEEKS = [datetime.date(2026, 4, 27), datetime.date(2026, 4, 20),
                 datetime.date(2026, 9, 14), datetime.date(2026, 9, 21),
                 datetime.date(2026, 3, 30), datetime.date(2026, 6, 15)]

TOWN_NAMES = ["新安镇", "和平乡", "坡洪镇", "那满镇", "百育镇", "玉凤镇", "头塘镇"]
SURNAMES = "黄韦农陆罗李梁覃蒙潘卢陈杨何马莫岑廖谭周"
GIVEN = "秀丽美文建国志明海春玉金德永红光华军芳兰英燕勇平东宁福祥庆忠"
VILLAGE = "那百坡弄巴龙六大新平东南定古江安和林塘山湖坪桥"


def monday_between(rng, a, b):
    """A random Monday in [a, b]."""
    a = a + datetime.timedelta(days=(7 - a.weekday()) % 7)
    weeks = max(0, (b - a).days // 7)
    return a + datetime.timedelta(days=7 * rng.randint(0, weeks))


def rng_range(rng, start, end, lo, hi):
    """A random date range of lo..hi days inside [start, end], as A..B."""
    n = rng.randint(lo, hi)
    span = (end - start).days - n
    a = start + datetime.timedelta(days=rng.randint(0, max(0, span)))
    b = min(end, a + datetime.timedelta(days=n - 1))
    return "%s..%s" % (a.isoformat(), b.isoformat()) if b > a else a.isoformat()


def write_csv(path, header, rows, encoding="utf-8", bom=False, crlf=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    data = buf.getvalue()
    raw = data.encode("gb18030" if encoding == "gbk" else "utf-8")
    if bom and encoding != "gbk":
        raw = b"\xef\xbb\xbf" + raw
    with open(path, "wb") as f:
        f.write(raw)


def long_text(rng, lo, hi):
    """Chinese mixed with digits, ASCII words and punctuation, lo..hi chars."""
    parts = ["卫生健康委员会科技教育股", "培训办公室", "0776-%07d" % rng.randint(0, 9999999),
             "转%d" % rng.randint(1, 999), "Room %d" % rng.randint(1, 99), "，", ", ", "；", "（值班）",
             "广西壮族自治区百色市", "解放西路%d号" % rng.randint(1, 300), "门诊楼三楼", "a", "ab"]
    out = ""
    n = rng.randint(lo, hi)
    while len(out) < n:
        out += rng.choice(parts)
    return out


def generate(seed, outdir, kind, long=False):
    rng = random.Random("vdsched-%s-%d" % (kind, seed))
    lrng = random.Random("vdsched-long-%s-%d" % (kind, seed))
    os.makedirs(outdir, exist_ok=True)
    mixed = kind == "mixed"

    # ---- courses
    courses = [c for c in ("tcm", "pediatrics", "dental") if rng.random() < 0.6]
    if kind == "weekend" and "pediatrics" not in courses:
        courses.append("pediatrics")
    if not courses:
        courses = [rng.choice(["tcm", "pediatrics", "dental"])]
    courses.sort(key=["tcm", "pediatrics", "dental"].index)
    weekend = "pediatrics" in courses and (kind == "weekend" or (mixed and rng.random() < 0.4))

    # ---- window
    weeks = rng.randint(3, 4) if kind == "tight" else rng.randint(3, 10)
    if kind == "holidays" or (mixed and rng.random() < 0.4):
        start = rng.choice(HOLIDAY_WEEKS)
    else:
        start = monday_between(rng, datetime.date(2026, 3, 2), datetime.date(2026, 10, 19))
    end = start + datetime.timedelta(days=7 * weeks - 1)
    if end > datetime.date(2026, 12, 31):
        end = datetime.date(2026, 12, 31)
    if not weekend and rng.random() < 0.5:
        end -= datetime.timedelta(days=2)       # end on a Friday
    blackout = ""
    if kind == "holidays" or rng.random() < 0.3:
        blackout = rng_range(rng, start, end, 2, 7)

    # ---- townships and clinics
    ntown = rng.randint(2, 5)
    towns = []
    for i in range(ntown):
        if kind == "tight":
            cover = rng.choice([0, 1, 1])
        else:
            cover = rng.choice([0, 1, 1, 2, 2])
        towns.append({"id": "t%d" % (i + 1), "name": TOWN_NAMES[i], "cover": cover})
    ndoc = rng.randint(10, 60)
    single_share = 0.6 if kind == "tight" else 0.35
    clinics, doctors = [], []
    ci = 0
    while len(doctors) < ndoc:
        ci += 1
        town = towns[rng.randrange(ntown)]
        cid = "c%02d" % ci
        k = 1 if rng.random() < single_share else rng.choice([2, 2, 2, 3])
        k = min(k, ndoc - len(doctors))
        mod = 1
        if k >= 3 and rng.random() < 0.3:
            mod = 2
        cell = town["id"] if rng.random() < 0.5 else town["name"]
        cname = VILLAGE[rng.randrange(len(VILLAGE))] + VILLAGE[rng.randrange(len(VILLAGE))] + "村卫生室"
        if mixed and rng.random() < 0.15:
            cname += ",分点"                      # a quoted cell with a comma
        lat = round(23.6 + rng.random() * 0.4, 4)
        lon = round(106.7 + rng.random() * 0.4, 4)
        clinics.append([cid, cname, cell, "%.4f" % lat, "%.4f" % lon,
                        "" if mod == 1 and rng.random() < 0.3 else str(mod)])
        for _ in range(k):
            doctors.append({"clinic": cid, "town": town})
    # Single-doctor clinics need cover to send their doctor; mostly give it.
    singles = {}
    for d in doctors:
        singles[d["clinic"]] = singles.get(d["clinic"], 0) + 1
    single_towns = set(d["town"]["id"] for d in doctors if singles[d["clinic"]] == 1)
    for t in towns:
        if t["id"] in single_towns and t["cover"] == 0 and rng.random() < 0.75:
            t["cover"] = 1

    # ---- sites
    nsite = rng.randint(1, 3)
    feats_all = ["classroom", "skills_lab", "dental_unit"]
    sites = []
    for i in range(nsite):
        feats = ["classroom"] + [f for f in feats_all[1:] if rng.random() < 0.6]
        seats = rng.randint(8, 14) if kind == "seats" else rng.randint(8, 40)
        s = {"id": "site%d" % (i + 1) if i else "county_hospital",
             "name": "示例县人民医院" if i == 0 else "第%d分院" % i,
             "lat": 23.70 + 0.05 * i, "lon": 106.90 + 0.04 * i,
             "seats": seats, "features": feats, "chairs": 0}
        sites.append(s)
    need = {"tcm": "skills_lab", "dental": "dental_unit", "pediatrics": None}
    for c in courses:
        f = need[c]
        if f and not any(f in s["features"] for s in sites):
            rng.choice(sites)["features"].append(f)
    for s in sites:
        if "dental_unit" in s["features"] and "dental" in courses:
            s["chairs"] = 2 if kind == "seats" else rng.randint(2, 5)
    course_sites = {}
    for c in courses:
        f = need[c]
        ok = [s["id"] for s in sites if not f or f in s["features"]]
        pick = [x for x in ok if rng.random() < 0.7] or [rng.choice(ok)]
        course_sites[c] = pick

    # ---- doctors' rows
    drows = []
    unav_share = 0.5 if kind == "unavail" else 0.15
    for i, d in enumerate(doctors, 1):
        did = "d%03d" % i
        name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
        if rng.random() < 0.5:
            name += GIVEN[rng.randrange(len(GIVEN))]
        if long and lrng.random() < 0.3:
            name += ", " + long_text(lrng, 2, 40)
        done = []
        if "tcm" in courses and rng.random() < 0.15:
            done.append("tcm")
        unav = []
        if rng.random() < unav_share:
            for _ in range(rng.randint(1, 3 if kind == "unavail" else 1)):
                unav.append(rng_range(rng, start, end, 1, 10 if kind == "unavail" else 4))
        sep = "; " if rng.random() < 0.3 else " "
        drows.append([did, name, d["clinic"], "1380000%04d" % i, " ".join(done), sep.join(unav)])

    # ---- program file
    cmin = rng.randint(3, 8)
    # mostly keep a run feasible at the sites (sometimes not: unscheduled reasons)
    if rng.random() < 0.85:
        cmin = min(cmin, max(s["seats"] for s in sites))
        if "dental" in courses:
            cmin = min(cmin, 3 * max(s["chairs"] for s in sites))
    cmax = rng.randint(10, 30)
    encoding = "gbk" if mixed and rng.random() < 0.3 else ""
    L = []
    L.append("; generated by tests/gen_program.py, seed %d, kind %s" % (seed, kind))
    L.append("[program]")
    L.append("id         = gen-%s-%d" % (kind, seed))
    L.append("name       = 测试项目 %s %d" % (kind, seed))
    L.append("start      = %s" % start.isoformat())
    L.append("end        = %s" % end.isoformat())
    td = rng.choice(["", "", "mon-fri", "mon tue wed thu fri", "周一-周五"])
    if td:
        L.append("teaching_days = %s" % td)
    L.append("holidays   = holidays.ini")
    if blackout:
        L.append("blackout   = %s   ; 农忙" % blackout)
    L.append("clinics    = clinics.csv")
    L.append("doctors    = doctors.csv")
    if encoding:
        L.append("encoding   = %s" % encoding)
    L.append("cohort_min = %d" % cmin)
    L.append("cohort_max = %d" % cmax)
    L.append("seed       = %d" % seed)
    L.append("contact    = %s" % (long_text(lrng, 20, 120) if long else "测试县卫健委 0000-0000000"))
    L.append("")
    L.append("[plugins]")
    L.append("load = %s" % " ".join(courses))
    L.append("")
    facts = {}
    tcm_days = 4
    for c in courses:
        L.append("[course %s]" % c)
        L.append("sites = %s" % " ".join(course_sites[c]))
        if c == "tcm":
            if rng.random() < 0.5:
                L.append("techniques = acupuncture massage")
                tcm_days = 2
            facts[c] = {"weekdays": ["mon", "tue", "wed", "thu", "fri"],
                        "features": ["skills_lab"], "resources": {},
                        "max_size": 30, "needs_instructor": False, "prereqs": [],
                        "days": tcm_days, "max_span": 7 * int(math.ceil(tcm_days / 5.0)) + 7}
        elif c == "pediatrics":
            pdays = 5
            if rng.random() < 0.4:
                pdays = rng.choice([3, 4])
                L.append("days = %d" % pdays)
            if weekend:
                L.append("weekend = yes")
            facts[c] = {"weekdays": ["sat", "sun"] if weekend else ["mon", "tue", "wed", "thu", "fri"],
                        "workdays": not weekend,
                        "features": [], "resources": {}, "max_size": 24,
                        "needs_instructor": weekend, "prereqs": [],
                        "days": pdays,
                        "max_span": (7 * int(math.ceil(pdays / 2.0)) + 7) if weekend else 14}
        elif c == "dental":
            facts[c] = {"weekdays": ["mon", "tue", "wed", "thu", "fri"],
                        "features": ["dental_unit"], "resources": {"dental_chairs": 3},
                        "max_size": 24, "needs_instructor": False, "prereqs": [],
                        "days": 3, "max_span": 7}
        L.append("")
    for s in sites:
        L.append("[site %s]" % s["id"])
        L.append("name     = %s" % (s["name"] + long_text(lrng, 0, 30) if long else s["name"]))
        L.append("address  = %s" % (long_text(lrng, 10, 90) if long else "测试县" + s["name"]))
        L.append("lat      = %.4f" % s["lat"])
        L.append("lon      = %.4f" % s["lon"])
        L.append("seats    = %d" % s["seats"])
        L.append("features = %s" % " ".join(s["features"]))
        if s["chairs"]:
            L.append("dental_chairs = %d" % s["chairs"])
        L.append("")
    if weekend:
        for i in range(rng.randint(1, 2)):
            L.append("[instructor expert%d]" % (i + 1))
            L.append("name    = 专家%d" % (i + 1))
            L.append("courses = pediatrics")
            L.append("days    = %s" % rng.choice(["sat sun", "sat-sun", "周六 周日"]))
            if i == 0 and len(course_sites["pediatrics"]) > 1 and rng.random() < 0.5:
                L.append("sites   = %s" % course_sites["pediatrics"][0])
            L.append("")
    if rng.random() < 0.5:
        L.append("[townships]")
        L.append("cover = 0")
        L.append("")
    for t in towns:
        L.append("[township %s]" % t["id"])
        L.append("name  = %s" % t["name"])
        L.append("cover = %d" % t["cover"])
        L.append("")
    L.append("[output]")
    L.append("alarms = -1d")
    with open(os.path.join(outdir, "vdsched.ini"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L) + "\n")
    with open(os.path.join(outdir, "holidays.ini"), "w", encoding="utf-8", newline="\n") as f:
        f.write(HOLIDAYS_2026)
    write_csv(os.path.join(outdir, "clinics.csv"),
              ["clinic_id", "name", "township", "lat", "lon", "min_on_duty"], clinics,
              encoding=encoding)
    crlf = mixed and rng.random() < 0.5
    write_csv(os.path.join(outdir, "doctors.csv"),
              ["doctor_id", "name", "clinic_id", "phone", "completed", "unavailable"], drows,
              encoding=encoding, bom=crlf, crlf=crlf)
    with open(os.path.join(outdir, "facts.json"), "w", encoding="utf-8") as f:
        json.dump({"courses": facts}, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description="write a random vdsched program")
    ap.add_argument("seed", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--kind", choices=KINDS, default="mixed")
    ap.add_argument("--long-text", action="store_true", help="long, mixed texts in the calendars")
    a = ap.parse_args()
    generate(a.seed, a.outdir, a.kind, a.long_text)


if __name__ == "__main__":
    main()

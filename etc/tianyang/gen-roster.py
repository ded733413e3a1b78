#!/usr/bin/env python3
"""gen-roster.py -- generate the synthetic roster of the Tianyang example.

Writes clinics.csv and doctors.csv next to this script for the example
program vdsched.ini (田阳区2026年春季村医轮转培训).  The county is modelled on
Tianyang district (田阳区), Baise, Guangxi: ten townships, 152 villages with
one clinic (村卫生室) each, one or two village doctors per clinic.

Everything personal is SYNTHETIC: village names are made from common
characters, doctor names from common surnames and given-name characters,
phone numbers are 1380000NNNN.  No real person or clinic is described.
Township centres sit at plausible bearings and distances from the district
seat (田州镇, 23.736 N 106.915 E); clinics are scattered around them.

The output is deterministic (fixed seed), so re-running the script gives
byte-identical files.  The CSVs are committed because they are inputs.

    python3 gen-roster.py            # rewrite clinics.csv and doctors.csv
    python3 gen-roster.py --check    # exit 1 if the committed files differ

clinics.csv is plain UTF-8 with LF line ends.  doctors.csv is written the way
Excel saves "CSV UTF-8": with a byte-order mark and CRLF line ends, and it has
two extra columns (clinic_name, note) that vdsched ignores; some of their
cells are quoted because they contain commas or quotes.  Standard library
only.
"""

import csv
import datetime
import io
import math
import os
import random
import sys

SEED = 20260302
SEAT = (23.736, 106.915)          # 田州镇, the district seat
PROGRAM = ("2026-03-02", "2026-07-31")
SINGLE_SHARE = 0.40               # clinics with one doctor

# id, Chinese name, villages, distance from the seat (km), bearing (deg),
# scatter radius of its villages (km), cover staff of its health centre
TOWNSHIPS = [
    ("tianzhou", "田州镇", 20, 0, 0, 7, 3),
    ("napo", "那坡镇", 15, 14, 115, 7, 2),
    ("pohong", "坡洪镇", 24, 27, 315, 10, 3),
    ("naman", "那满镇", 16, 18, 205, 8, 2),
    ("baiyu", "百育镇", 14, 15, 285, 7, 2),
    ("yufeng", "玉凤镇", 17, 40, 20, 9, 2),
    ("toutang", "头塘镇", 8, 8, 60, 4, 1),
    ("wucun", "五村镇", 9, 30, 170, 6, 1),
    ("dongjing", "洞靖镇", 20, 50, 345, 10, 3),
    ("babie", "巴别乡", 9, 42, 140, 7, 1),
]

# Common first and second characters of village names in the Youjiang
# valley (many are Zhuang place-name elements: 那 field, 百/巴 mouth,
# 坡 slope, 弄 valley).
VILLAGE_A = "那百坡弄巴龙六大新平东南定古江"
VILLAGE_B = "安和平林塘江山湖坪桥洞兴利合良福宁德祥荣华民联美文"

SURNAMES = "黄韦农陆罗李梁覃蒙潘卢陈杨何马莫岑廖谭周"
GIVEN = "秀丽美文建国志明海春玉金德永红光华军芳兰英燕勇平东宁福祥庆忠"

HERE = os.path.dirname(os.path.abspath(__file__))


def offset(lat, lon, km, bearing):
    """The point km away from (lat, lon) on the given bearing (spherical)."""
    r = 6371.0088
    d = km / r
    b = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def village_names(rng, n, used):
    names = []
    while len(names) < n:
        v = rng.choice(VILLAGE_A) + rng.choice(VILLAGE_B) + "村"
        if v not in used:
            used.add(v)
            names.append(v)
    return names


def person_name(rng, used):
    while True:
        k = 1 if rng.random() < 0.3 else 2
        n = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(k))
        if n not in used:
            used.add(n)
            return n


def day(s):
    return datetime.date.fromisoformat(s)


def generate():
    rng = random.Random(SEED)
    clinics, doctors = [], []
    used_villages, used_names = set(), set()
    start, end = day(PROGRAM[0]), day(PROGRAM[1])
    span = (end - start).days

    for tid, tname, nvil, km, bearing, radius, _cover in TOWNSHIPS:
        clat, clon = offset(SEAT[0], SEAT[1], km, bearing)
        for i, vname in enumerate(village_names(rng, nvil, used_villages), 1):
            cid = "ty-%s-%02d" % (tid, i)
            # uniform in a disc around the township centre
            r = radius * math.sqrt(rng.random())
            lat, lon = offset(clat, clon, r, rng.uniform(0, 360))
            name = vname + "卫生室"
            if tid == "naman" and i == 16:
                name = "那满镇新村卫生室,分点"   # a quoted field with a comma
            clinics.append([cid, name, tname, "%.4f" % lat, "%.4f" % lon, "1"])
            ndoc = 1 if rng.random() < SINGLE_SHARE else 2
            for _ in range(ndoc):
                did = "d%04d" % (len(doctors) + 1)
                completed = "tcm" if rng.random() < 0.05 else ""
                unavailable = ""
                if rng.random() < 0.05:
                    a = start + datetime.timedelta(days=rng.randrange(span - 10))
                    b = a + datetime.timedelta(days=rng.randrange(2, 8))
                    unavailable = "%s..%s" % (a.isoformat(), b.isoformat())
                doctors.append({
                    "doctor_id": did,
                    "name": person_name(rng, used_names),
                    "clinic_id": cid,
                    "phone": "1380000%04d" % (len(doctors) + 1),
                    "completed": completed,
                    "unavailable": unavailable,
                    "clinic_name": name,
                    "note": "",
                })

    # A few hand-made rows that exercise the reader: a list of two
    # unavailable periods separated by a semicolon, a note with a comma,
    # a note with a double quote, and a doctor who finished two courses.
    doctors[4]["unavailable"] = "2026-03-16..2026-03-20; 2026-04-20"
    doctors[4]["note"] = "乡聘村用, 由乡镇卫生院派驻"
    doctors[9]["note"] = '备注含"引号", 仅作测试'
    doctors[20]["completed"] = "tcm dental"
    doctors[20]["note"] = "2025年已参加中医适宜技术和口腔培训"
    return clinics, doctors


def render(clinics, doctors):
    c = io.StringIO()
    w = csv.writer(c, lineterminator="\n")
    w.writerow(["clinic_id", "name", "township", "lat", "lon", "min_on_duty"])
    w.writerows(clinics)

    d = io.StringIO()
    cols = ["doctor_id", "name", "clinic_id", "phone", "completed", "unavailable",
            "clinic_name", "note"]
    w = csv.writer(d, lineterminator="\r\n")
    w.writerow(cols)
    for row in doctors:
        w.writerow([row[k] for k in cols])
    return (c.getvalue().encode("utf-8"),
            b"\xef\xbb\xbf" + d.getvalue().encode("utf-8"))


def main():
    clinics, doctors = generate()
    files = dict(zip(("clinics.csv", "doctors.csv"), render(clinics, doctors)))
    if sys.argv[1:] == ["--check"]:
        bad = 0
        for name, data in files.items():
            with open(os.path.join(HERE, name), "rb") as f:
                if f.read() != data:
                    print("%s differs from what gen-roster.py generates" % name)
                    bad = 1
        return bad
    if sys.argv[1:]:
        print("usage: gen-roster.py [--check]", file=sys.stderr)
        return 2
    for name, data in files.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)

    ndoc = {}
    for d in doctors:
        ndoc[d["clinic_id"]] = ndoc.get(d["clinic_id"], 0) + 1
    single = sum(1 for v in ndoc.values() if v == 1)
    print("%d townships, %d clinics (%d single-doctor, %.0f%%), %d doctors"
          % (len(TOWNSHIPS), len(clinics), single, 100.0 * single / len(clinics),
             len(doctors)))
    for tid, tname, nvil, _km, _b, _r, cover in TOWNSHIPS:
        cs = [c[0] for c in clinics if c[2] == tname]
        s = sum(1 for c in cs if ndoc[c] == 1)
        print("  %-9s %s %2d clinics, %2d single-doctor, cover %d"
              % (tid, tname, len(cs), s, cover))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""gen.py -- generate a synthetic vdsched program for the benchmarks.

    gen.py [--doctors N] SCALE SEED OUTDIR

SCALE is one of

    county    ~250 doctors, ~155 clinics, 10 townships, 2 sites;
              one program in OUTDIR (2026-03-02..2026-07-31)
    city      2,485 doctors, 1,384 clinics, 118 townships, 13 sites;
              one program in OUTDIR (2026-03-02..2026-07-31)
    province  ~50,000 doctors, ~28,000 clinics, ~1,600 townships, ~200 sites
    nation    1.1 million doctors, ~580,000 clinics, ~34,000 townships,
              ~4,000 sites

At province and nation scale the country is cut into prefecture-sized
regions of about 25 sites (~250 doctors per site), each an independent
program OUTDIR/r001/vdsched.ini, OUTDIR/r002/... (2026-03-02..2026-12-31),
the way each commission plans its own doctors.  This keeps every INI file
small: iniparser looks keys up linearly and refuses lines over 1,022
bytes, so a single national `sites =` list could not even be written.
For the same reason [township] sections are written only at county and
city scale; regional programs set `[townships] cover = 2` for every
township named in clinics.csv.

--doctors N scales the city-like shape (doctors per clinic, per township,
per site) to N doctors in ONE program over 2026-03-02..2026-07-31, for the
doubling test; it writes no [township] sections, so the INI stays the same
size class at every N.

Every program gets OUTDIR/holidays.ini (the 2026 public holidays and
make-up workdays).  Names, places and phone numbers are synthetic.  The
output is a function of SCALE, SEED and N only.  Standard library only.
"""

import math
import os
import random
import sys

HOLIDAYS = """\
; 2026年全国法定节假日与调休 (bench copy of etc/holidays/cn-2026.ini)
[holidays]
off      = 2026-01-01..2026-01-03 2026-02-15..2026-02-23 2026-04-04..2026-04-06 2026-05-01..2026-05-05 2026-06-19..2026-06-21 2026-09-25..2026-09-27 2026-10-01..2026-10-07
workdays = 2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10
"""

# doctors, clinics, townships, sites
SCALES = {
    "county": (250, 155, 10, 2),
    "city": (2485, 1384, 118, 13),
    "province": (50000, 28000, 1600, 200),
    "nation": (1100000, 580000, 34000, 4000),
}
SITES_PER_REGION = 25

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
            "袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟"
            "熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪农蒙岑")
GIVEN = ("秀丽美文建国志明海春玉金德永红光华军芳兰英燕勇平东宁福祥庆忠伟强磊洋艳"
         "娟静敏杰涛超霞刚桂凤琴云辉鹏飞斌波林荣新利清峰亮成俊梅琳雪晓丹萍")
PLACE_A = "那百坡弄巴龙六大新平东南定古江石长青黄白上下中高马双三和安兴"
PLACE_B = "安和平林塘江山湖坪桥洞兴利合良福宁德祥荣华民联美文田水岭口河家庄"
SUFFIX_T = ("镇", "镇", "镇", "乡")
PROVINCES = ("广西壮族自治区", "河南省", "四川省", "湖南省", "云南省", "贵州省", "河北省",
             "山东省", "安徽省", "江西省", "湖北省", "甘肃省")


def offset(lat, lon, km, bearing):
    """The point km away from (lat, lon) on the bearing (deg), flat-earth
    approximation (good to well under 1% at these distances)."""
    b = math.radians(bearing)
    dlat = km * math.cos(b) / 111.195
    dlon = km * math.sin(b) / (111.195 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def disc(rng, lat, lon, radius):
    return offset(lat, lon, radius * math.sqrt(rng.random()), rng.uniform(0, 360))


def split(total, parts):
    """total split into parts integers as equal as possible."""
    q, r = divmod(total, parts)
    return [q + (1 if i < r else 0) for i in range(parts)]


def unique_place(rng, used, suffix):
    for _ in range(30):
        n = rng.choice(PLACE_A) + rng.choice(PLACE_B) + suffix
        if n not in used:
            used.add(n)
            return n
    for _ in range(30):
        n = rng.choice(PLACE_A) + rng.choice(PLACE_B) + rng.choice(PLACE_B) + suffix
        if n not in used:
            used.add(n)
            return n
    # national scale exhausts the short names: number them
    n = "%s%s%d%s" % (rng.choice(PLACE_A), rng.choice(PLACE_B), len(used), suffix)
    used.add(n)
    return n


class Ids:
    """Global counters so ids stay unique across the regions of a run."""
    def __init__(self):
        self.doctor = 0
        self.clinic = 0


def make_program(rng, ids, outdir, *, pid, name, start, end, ndoc, nclin, ntown,
                 nsite, center, spread, holidays_rel, township_sections,
                 county_names):
    """Write one program (vdsched.ini, clinics.csv, doctors.csv) in outdir.

    The region is cut into nsite 'counties' (one site each) whose seats are
    scattered within `spread` km of `center`; each county's townships lie
    within ~35 km of its seat (50 km when there is a single county), and
    clinics within 10 km of their township centre.  With nsite == 2 and a
    single county (county scale) the second site sits at a township centre.
    """
    os.makedirs(outdir, exist_ok=True)
    province = PROVINCES[0] if county_names == ["田阳区"] else rng.choice(PROVINCES)
    used_places = set()

    # ---- counties (one site each) and their townships -------------------
    single_county = nsite <= 2
    ncounty = 1 if single_county else nsite
    counties = []
    for k in range(ncounty):
        if k == 0 or single_county:
            lat, lon = center
        else:
            lat, lon = disc(rng, center[0], center[1], spread)
        cname = county_names[k] if k < len(county_names) else unique_place(rng, used_places, "县")
        counties.append((cname, lat, lon))
    town_counts = split(ntown, ncounty)
    towns = []            # (tid, name, county index, lat, lon)
    seat_town = []
    radius = 50.0 if single_county else 35.0
    for k, (cname, clat, clon) in enumerate(counties):
        for j in range(town_counts[k]):
            tname = unique_place(rng, used_places, rng.choice(SUFFIX_T))
            if j == 0:
                lat, lon = clat, clon    # the seat town
                seat_town.append(tname)
            else:
                lat, lon = disc(rng, clat, clon, radius)
            towns.append(("t%03d" % (len(towns) + 1), tname, k, lat, lon))

    # ---- sites ----------------------------------------------------------
    sites = []            # (sid, name, address, lat, lon, seats, dental, chairs)
    if single_county:
        cname, clat, clon = counties[0]
        sites.append(("county_hospital", cname + "人民医院", province + cname + towns[0][1],
                       clat, clon, rng.randint(30, 60), True, rng.randint(4, 8)))
        if nsite == 2:
            far = max(towns[1:], key=lambda t: (t[3] - clat) ** 2 + (t[4] - clon) ** 2)
            sites.append(("%s_branch" % far[0], far[1] + "中心卫生院（" + cname + "人民医院分院）",
                          province + cname + far[1], far[3], far[4],
                          rng.randint(30, 60), False, 0))
    else:
        width = max(2, len(str(nsite)))
        for k, (cname, clat, clon) in enumerate(counties):
            dental = k == 0 or rng.random() < 0.5
            sites.append(("site%0*d" % (width, k + 1), cname + "人民医院",
                          province + cname + seat_town[k], clat, clon,
                          rng.randint(30, 60), dental,
                          rng.randint(4, 8) if dental else 0))

    # ---- clinics --------------------------------------------------------
    # nclin clinics, ndoc - nclin of them with two doctors, spread over the
    # townships; a township gets clinics in proportion (with jitter).
    tcl = split(nclin, len(towns))
    twos = set(rng.sample(range(nclin), max(0, min(nclin, ndoc - nclin))))
    cl_rows = ["clinic_id,name,township,lat,lon,min_on_duty\n"]
    clinic_list = []       # (cid, ndoctors)
    ci = 0
    rnd = rng.random
    choice = rng.choice
    for t, (tid, tname, k, tlat, tlon) in enumerate(towns):
        coslat = math.cos(math.radians(tlat))
        for _ in range(tcl[t]):
            ids.clinic += 1
            cid = "c%06d" % ids.clinic
            r = 10.0 * math.sqrt(rnd())
            b = 6.283185307179586 * rnd()
            lat = tlat + r * math.cos(b) / 111.195
            lon = tlon + r * math.sin(b) / (111.195 * coslat)
            cname = choice(PLACE_A) + choice(PLACE_B) + "村卫生室"
            cl_rows.append("%s,%s,%s,%.4f,%.4f,1\n" % (cid, cname, tname, lat, lon))
            clinic_list.append((cid, 2 if ci in twos else 1))
            ci += 1
    with open(os.path.join(outdir, "clinics.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(cl_rows))

    # ---- doctors --------------------------------------------------------
    from datetime import date, timedelta
    d0 = date.fromisoformat(start)
    span = (date.fromisoformat(end) - d0).days
    dr = ["doctor_id,name,clinic_id,phone,completed,unavailable\n"]
    app = dr.append
    ns, ng = len(SURNAMES), len(GIVEN)
    randrange = rng.randrange
    for cid, nd in clinic_list:
        for _ in range(nd):
            ids.doctor += 1
            n = ids.doctor
            x = rnd()
            dname = SURNAMES[int(x * ns)] + GIVEN[randrange(ng)]
            if rnd() < 0.7:
                dname += GIVEN[randrange(ng)]
            completed = "tcm" if rnd() < 0.05 else ""
            unav = ""
            if rnd() < 0.05:
                a = d0 + timedelta(days=randrange(span - 10))
                b = a + timedelta(days=randrange(2, 8))
                unav = "%s..%s" % (a.isoformat(), b.isoformat())
            app("d%07d,%s,%s,13%09d,%s,%s\n" % (n, dname, cid, n, completed, unav))
    with open(os.path.join(outdir, "doctors.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(dr))

    # ---- program file ---------------------------------------------------
    all_ids = " ".join(s[0] for s in sites)
    dental_ids = " ".join(s[0] for s in sites if s[6])
    # iniparser reads lines of at most 1,022 bytes: past a few dozen sites
    # leave `sites =` out, which means every site with what the course needs
    long_lists = len(all_ids) >= 900
    L = []
    w = L.append
    w("; generated by bench/gen.py -- synthetic benchmark program\n")
    w("; %d doctors, %d clinics, %d townships, %d sites\n\n"
      % (ndoc, nclin, len(towns), len(sites)))
    w("[program]\n")
    w("id            = %s\n" % pid)
    w("name          = %s\n" % name)
    w("timezone      = Asia/Shanghai\n")
    w("start         = %s\n" % start)
    w("end           = %s\n" % end)
    w("teaching_days = mon tue wed thu fri\n")
    w("holidays      = %s\n" % holidays_rel)
    w("clinics       = clinics.csv\n")
    w("doctors       = doctors.csv\n")
    w("cohort_max    = 30\n")
    w("cohort_min    = 8\n")
    w("seed          = 1\n")
    w("contact       = %s卫健委科教股 0000-0000000\n" % counties[0][0])
    w("organizer     = mailto:peixun@example.org\n\n")
    w("[plugins]\nload = tcm pediatrics dental\n\n")
    if long_lists:
        w("; no sites = : every site with the features a course needs\n")
        w("[course tcm]\n\n[course pediatrics]\n\n[course dental]\n\n")
    else:
        w("[course tcm]\nsites = %s\n\n" % all_ids)
        w("[course pediatrics]\nsites = %s\n\n" % all_ids)
        w("[course dental]\nsites = %s\n\n" % dental_ids)
    for sid, sname, addr, lat, lon, seats, dental, chairs in sites:
        w("[site %s]\n" % sid)
        w("name     = %s\n" % sname)
        w("address  = %s\n" % addr)
        w("lat      = %.4f\n" % lat)
        w("lon      = %.4f\n" % lon)
        w("seats    = %d\n" % seats)
        if dental:
            w("features = classroom skills_lab dental_unit\n")
            w("dental_chairs = %d\n\n" % chairs)
        else:
            w("features = classroom skills_lab\n\n")
    if township_sections:
        w("[townships]\ncover = 1\n\n")
        for tid, tname, _k, _lat, _lon in towns:
            w("[township %s]\nname  = %s\ncover = %d\n\n" % (tid, tname, rng.randint(1, 3)))
    else:
        w("[townships]\ncover = 2\n\n")
    w("[output]\nalarms = -1d -1h\n")
    with open(os.path.join(outdir, "vdsched.ini"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(L))
    return len(sites)


def main(argv):
    args = [a for a in argv[1:] if a != "--regions"]
    override = None
    if "--doctors" in args:
        i = args.index("--doctors")
        try:
            override = int(args[i + 1])
        except (IndexError, ValueError):
            sys.exit("gen.py: --doctors needs a number")
        del args[i:i + 2]
    if len(args) != 3 or args[0] not in SCALES:
        sys.exit("usage: gen.py [--doctors N] county|city|province|nation SEED OUTDIR")
    scale, seed, outdir = args[0], int(args[1]), args[2]
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "holidays.ini"), "w", encoding="utf-8") as f:
        f.write(HOLIDAYS)
    rng = random.Random("%s:%d:%s" % (scale, seed, override))
    ids = Ids()
    seat = (23.736, 106.915)

    if override is not None:
        bd, bc, bt, bs = SCALES["city"]
        ndoc = override
        nclin = max(1, round(ndoc * bc / bd))
        ntown = max(1, round(ndoc * bt / bd))
        nsite = max(2, round(ndoc * bs / bd))
        spread = 80.0 * math.sqrt(nsite / bs)
        make_program(rng, ids, outdir, pid="bench-%d" % ndoc,
                     name="基准测试%d名村医培训" % ndoc,
                     start="2026-03-02", end="2026-07-31", ndoc=ndoc, nclin=nclin,
                     ntown=ntown, nsite=nsite, center=seat, spread=spread,
                     holidays_rel="holidays.ini", township_sections=False,
                     county_names=[])
        print("gen.py: 1 program, %d doctors, %d clinics, %d townships, %d sites"
              % (ndoc, nclin, ntown, nsite))
        return 0

    ndoc, nclin, ntown, nsite = SCALES[scale]
    if scale in ("county", "city"):
        pname = {"county": ("田阳区", "county-2026-spring", 0.0),
                 "city": ("南宁市", "city-2026-spring", 80.0)}[scale]
        make_program(rng, ids, outdir, pid=pname[1],
                     name="%s2026年春季村医轮转培训" % pname[0],
                     start="2026-03-02", end="2026-07-31", ndoc=ndoc, nclin=nclin,
                     ntown=ntown, nsite=nsite, center=seat, spread=pname[2],
                     holidays_rel="holidays.ini", township_sections=True,
                     county_names=["田阳区"] if scale == "county" else [])
        print("gen.py: 1 program, %d doctors, %d clinics, %d townships, %d sites"
              % (ndoc, nclin, ntown, nsite))
        return 0

    if "--regions" not in sys.argv:
        # one program for the whole province or country
        make_program(rng, ids, outdir, pid="%s-2026" % scale,
                     name="%s2026年村医轮转培训" % ("全省" if scale == "province" else "全国"),
                     start="2026-03-02", end="2026-12-31", ndoc=ndoc, nclin=nclin,
                     ntown=ntown, nsite=nsite, center=(31.0, 110.0),
                     spread=600.0 if scale == "province" else 1400.0,
                     holidays_rel="holidays.ini", township_sections=False,
                     county_names=[])
        print("gen.py: 1 program, %d doctors, %d clinics, %d townships, %d sites"
              % (ndoc, nclin, ntown, nsite))
        return 0

    nreg = max(1, round(nsite / SITES_PER_REGION))
    rd, rc, rt, rs = (split(ndoc, nreg), split(nclin, nreg), split(ntown, nreg),
                      split(nsite, nreg))
    for r in range(nreg):
        # regions across southern/central China (lat 22..40, lon 100..120)
        center = (22.0 + 18.0 * rng.random(), 100.0 + 20.0 * rng.random())
        make_program(rng, ids, os.path.join(outdir, "r%03d" % (r + 1)),
                     pid="%s-r%03d-2026" % (scale, r + 1),
                     name="第%d片区2026年村医轮转培训" % (r + 1),
                     start="2026-03-02", end="2026-12-31", ndoc=rd[r], nclin=rc[r],
                     ntown=rt[r], nsite=rs[r], center=center, spread=80.0,
                     holidays_rel="../holidays.ini", township_sections=False,
                     county_names=[])
    print("gen.py: %d programs, %d doctors, %d clinics, %d townships, %d sites"
          % (nreg, ndoc, nclin, ntown, nsite))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

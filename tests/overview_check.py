#!/usr/bin/env python3
"""overview_check.py -- what print/overview.html draws, read back from the
DOM Chromium rendered (--dump-dom), against the CSV tables.

    overview_check.py OUTDIR PROGRAMDIR DOM.html

  * each site's column per week (svg data-site, no data-resource) has
    data-peak = the most trainees there on one day of that week, from
    schedule.csv's members and sessions.csv's dates; weeks without
    trainees draw nothing;
  * each cover cell (data-township, data-date) has data-used = the sum of
    shortfall in cover.csv for that township and day, and no cell is
    drawn where cover.csv has none;
  * per township row and course: data-scheduled and data-unscheduled are
    the doctors of that township (clinics.csv) in schedule.csv and
    unscheduled.csv;
  * the finished series: per week, the pairs whose last_day is on or
    before that week's Sunday.
Prints one line per problem and a summary; exit 0 when none, 1 otherwise.
"""
import collections
import csv
import datetime as dt
import html.parser
import os
import re
import sys


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


class Dom(html.parser.HTMLParser):
    """Collects every element with data-* attributes, with those of the
    enclosing svg and tr."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.found = []

    def _note(self, tag, a):
        ctx = {}
        for t, pa in self.stack:
            if t in ("svg", "tr"):
                ctx.update({k: v for k, v in pa.items() if k.startswith("data-")})
        if any(k.startswith("data-") for k in a):
            self.found.append((tag, a, ctx))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._note(tag, a)
        if tag not in ("rect", "line", "path", "br", "meta", "img", "input"):
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self._note(tag, dict(attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def monday(d):
    return d - dt.timedelta(days=d.weekday())


def main():
    out, prog, dom_path = sys.argv[1:4]
    dom = Dom()
    dom.feed(open(dom_path, encoding="utf-8").read())
    bad = []
    sched = rows(os.path.join(out, "schedule.csv"))
    sess = rows(os.path.join(out, "sessions.csv"))
    cover = rows(os.path.join(out, "cover.csv"))
    unsched = rows(os.path.join(out, "unscheduled.csv"))
    # clinics.csv names a township by its id or its name: both become the id
    by_name, sec = {}, None
    for line in open(os.path.join(prog, "vdsched.ini"), encoding="utf-8-sig"):
        m = re.match(r"\s*\[\s*township\s+([^\]\s]+)\s*\]", line)
        if m or line.lstrip().startswith("["):
            sec = m.group(1) if m else None
        elif sec and re.match(r"\s*name\s*=", line):
            by_name[line.split("=", 1)[1].strip()] = sec
    clinics = {r["clinic_id"]: by_name.get(r["township"].strip(), r["township"].strip())
               for r in rows(os.path.join(prog, "clinics.csv"))}
    doctors = {r["doctor_id"]: r["clinic_id"] for r in rows(os.path.join(prog, "doctors.csv"))}

    # sites: trainees per day, peak per week
    days = collections.defaultdict(set)
    for s in sess:
        days[(s["cohort_id"], s["course_id"])].add(dt.date.fromisoformat(s["date"]))
    per_day = collections.Counter()
    for r in sched:
        for d in days[(r["cohort_id"], r["course_id"])]:
            per_day[(r["site_id"], d)] += 1
    want = collections.Counter()
    for (site, d), n in per_day.items():
        k = (site, monday(d))
        want[k] = max(want[k], n)
    got = {}
    cells = {}
    tally = {}
    finished = {}
    for tag, a, ctx in dom.found:
        if tag == "rect" and "data-peak" in a and "data-site" in ctx and "data-resource" not in ctx:
            got[(ctx["data-site"], dt.date.fromisoformat(a["data-week"]))] = int(a["data-peak"])
        elif tag == "rect" and "data-used" in a:
            cells[(a["data-township"], a["data-date"])] = int(a["data-used"])
            if int(a["data-used"]) > int(a["data-cover"]) and "over" not in a.get("class", ""):
                bad.append("cover cell %s %s over its cover is not marked" % (a["data-township"], a["data-date"]))
        elif tag == "svg" and "data-scheduled" in a:
            tally[(ctx.get("data-township"), a["data-course"])] = (int(a["data-scheduled"]),
                                                                   int(a["data-unscheduled"]))
        elif tag == "rect" and "data-finished" in a:
            finished[dt.date.fromisoformat(a["data-week"])] = int(a["data-finished"])
    if got != dict(want):
        for k in sorted(set(got) | set(want)):
            if got.get(k) != want.get(k):
                bad.append("site %s week of %s: drawn %s, tables say %s" % (k[0], k[1], got.get(k), want.get(k)))
    # cover: sum of shortfall per township and day
    wc = collections.Counter()
    for r in cover:
        wc[(r["township"].lstrip("'"), r["date"])] += int(r["shortfall"])
    if cells != dict(wc):
        for k in sorted(set(cells) | set(wc)):
            if cells.get(k) != wc.get(k):
                bad.append("cover %s %s: drawn %s, cover.csv says %s" % (k[0], k[1], cells.get(k), wc.get(k)))
    # progress by township and course
    ws = collections.Counter((clinics[r["clinic_id"]], r["course_id"]) for r in sched)
    wu = collections.Counter((clinics[doctors[r["doctor_id"]]], r["course_id"]) for r in unsched)
    for k in set(ws) | set(wu):
        have = tally.get(k)
        if have != (ws[k], wu[k]):
            bad.append("township %s course %s: drawn %s, tables say %s scheduled, %s unscheduled"
                       % (k[0], k[1], have, ws[k], wu[k]))
    # finished pairs by week
    lasts = collections.Counter(monday(dt.date.fromisoformat(r["last_day"])) for r in sched)
    for wk, n in finished.items():
        want_n = sum(c for m, c in lasts.items() if m <= wk)
        if n != want_n:
            bad.append("finished by the week of %s: drawn %d, schedule.csv says %d" % (wk, n, want_n))
    if sched and not finished:
        bad.append("no finished series drawn")
    for b in bad[:30]:
        print("overview_check: " + b)
    print("overview_check: %d site-weeks, %d cover cells, %d township x course tallies, %d weeks of progress; %d problems"
          % (len(got), len(cells), len(ws), len(finished), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""ics_validate.py -- check vdsched's calendars with two independent parsers.

Usage: ics_validate.py [--tz ZONE] [--sessions sessions.csv] DIR

Parses every *.ics beneath DIR with python3-icalendar and python3-vobject
(Debian's packages) and fails, naming the file and the problem, on any
parse error or warning, a missing required property, a floating or
non-program-zone DTSTART/DTEND, a duplicate UID within a file, or a
VTIMEZONE whose offsets disagree with the system tzdata.  With --sessions,
every event must start and end at a row's date+start/end (local time in
ZONE) of sessions.csv.  Prints "N files ok" and exits 0, else exits 1.
"""
import argparse
import csv
import datetime as dt
import logging
import os
import sys
import warnings
from zoneinfo import ZoneInfo

try:
    import icalendar
    import vobject
except ImportError as e:  # the shell wrapper turns this into a SKIP
    print("ics_validate.py: missing module: %s (apt-get install python3-icalendar python3-vobject)" % e,
          file=sys.stderr)
    sys.exit(77)

CAL_REQUIRED = ("PRODID", "VERSION", "CALSCALE", "NAME", "X-WR-CALNAME")
EVENT_REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED",
                  "LOCATION", "DESCRIPTION", "CATEGORIES")
# a cancellation of an earlier plan's event keeps only what identifies it
CANCELLED_REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED")
ALARM_REQUIRED = ("ACTION", "TRIGGER", "DESCRIPTION")


class Problems(Exception):
    pass


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def local_naive(value, zone):
    """An aware datetime as naive local time in zone."""
    return value.astimezone(zone).replace(tzinfo=None)


def check_icalendar(path, data, tzid, zone, problems, starts):
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # noqa: BLE001 -- any parse failure is the finding
        problems.append("icalendar cannot parse: %s" % e)
        return
    for comp in cal.walk():
        for err in getattr(comp, "errors", []) or []:
            problems.append("icalendar: %s: %s" % (comp.name, err))
    if cal.name != "VCALENDAR":
        problems.append("not a VCALENDAR")
        return
    for prop in CAL_REQUIRED:
        if prop not in cal:
            problems.append("VCALENDAR lacks %s" % prop)
    if str(cal.get("VERSION", "")) != "2.0":
        problems.append("VERSION is not 2.0")
    method = cal.get("METHOD")
    if method is not None and str(method) != "PUBLISH":
        problems.append("METHOD is %s, not PUBLISH" % method)
    tzs = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    if len(tzs) != 1:
        problems.append("%d VTIMEZONE components, want exactly 1" % len(tzs))
    for t in tzs:
        if str(t.get("TZID")) != tzid:
            problems.append("VTIMEZONE TZID is %s, not %s" % (t.get("TZID"), tzid))
    uids = set()
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID", ""))
        where = "event %s" % (uid or "(no UID)")
        cancelled = str(ev.get("STATUS", "")) == "CANCELLED"
        for prop in CANCELLED_REQUIRED if cancelled else EVENT_REQUIRED:
            if prop not in ev:
                problems.append("%s lacks %s" % (where, prop))
        if method is not None and "ORGANIZER" not in ev:
            problems.append("%s lacks ORGANIZER (METHOD:PUBLISH)" % where)
        if uid in uids:
            problems.append("duplicate UID %s" % uid)
        uids.add(uid)
        stamp = ev.get("DTSTAMP")
        if stamp is not None and (not isinstance(stamp.dt, dt.datetime) or stamp.dt.utcoffset() != dt.timedelta(0)):
            problems.append("%s: DTSTAMP is not in UTC" % where)
        times = []
        for name in ("DTSTART", "DTEND"):
            p = ev.get(name)
            if p is None:
                continue
            value = p.dt
            ptz = p.params.get("TZID")
            if not isinstance(value, dt.datetime) or value.tzinfo is None or ptz is None:
                problems.append("%s: %s is floating (no TZID)" % (where, name))
                continue
            if ptz != tzid:
                problems.append("%s: %s TZID is %s, not %s" % (where, name, ptz, tzid))
            times.append(local_naive(value, zone))
        for name in ("DTSTAMP", "LAST-MODIFIED"):
            p = ev.get(name)
            if p is not None and (not isinstance(p.dt, dt.datetime) or p.dt.utcoffset() != dt.timedelta(0)):
                problems.append("%s: %s is not in UTC" % (where, name))
        if len(times) == 2:
            if times[1] <= times[0]:
                problems.append("%s ends before it starts" % where)
            if not cancelled:
                starts.append((where, times[0], times[1]))
        for al in ev.walk("VALARM"):
            for prop in ALARM_REQUIRED:
                if prop not in al:
                    problems.append("%s: VALARM lacks %s" % (where, prop))
            trig = al.get("TRIGGER")
            if trig is not None and not (isinstance(trig.dt, dt.timedelta) and trig.dt <= dt.timedelta(0)):
                problems.append("%s: TRIGGER %s is not a duration before the start" % (where, trig.to_ical()))


def check_vobject(path, text, tzid, zone, problems):
    try:
        cals = list(vobject.readComponents(text, validate=True))
    except Exception as e:  # noqa: BLE001
        problems.append("vobject cannot parse: %s" % e)
        return
    if len(cals) != 1:
        problems.append("%d calendars in the file, want 1" % len(cals))
        return
    cal = cals[0]
    try:
        cal.validate(raiseException=True, complainUnrecognized=False)
    except Exception as e:  # noqa: BLE001
        problems.append("vobject validation: %s" % e)
    for ev in getattr(cal, "vevent_list", []):
        uid = ev.uid.value if hasattr(ev, "uid") else "(no UID)"
        for name in ("dtstart", "dtend"):
            if not hasattr(ev, name):
                continue
            value = getattr(ev, name).value
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                problems.append("vobject: event %s: %s is floating" % (uid, name.upper()))
                continue
            # the file's own VTIMEZONE must give the offset tzdata gives
            naive = value.replace(tzinfo=None)
            want = naive.replace(tzinfo=zone).utcoffset()
            got = value.utcoffset()
            if want != got:
                problems.append("vobject: event %s: %s offset %s from the VTIMEZONE, tzdata says %s"
                                % (uid, name.upper(), got, want))


def load_sessions(path, zone):
    rows = set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            day = dt.date.fromisoformat(r["date"])
            def at(hhmm):
                h, m = (int(x) for x in hhmm.split(":"))
                return dt.datetime(day.year, day.month, day.day) + dt.timedelta(hours=h, minutes=m)
            rows.add((at(r["start"]), at(r["end"])))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--tz", default="Asia/Shanghai", help="the program's time zone (IANA name)")
    ap.add_argument("--sessions", help="sessions.csv to cross-check start and end times")
    ap.add_argument("dir")
    a = ap.parse_args()
    zone = ZoneInfo(a.tz)
    rows = load_sessions(a.sessions, zone) if a.sessions else None

    rec = Recorder()
    logging.getLogger().addHandler(rec)
    logging.getLogger().setLevel(logging.WARNING)

    files = []
    for root, _dirs, names in os.walk(a.dir):
        files += [os.path.join(root, n) for n in names if n.endswith(".ics")]
    files.sort()
    if not files:
        print("%s: no .ics files" % a.dir, file=sys.stderr)
        return 1
    bad = 0
    for path in files:
        problems = []
        with open(path, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append("not UTF-8: %s" % e)
            text = None
        starts = []
        rec.records.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            check_icalendar(path, data, a.tz, zone, problems, starts)
            if text is not None:
                check_vobject(path, text, a.tz, zone, problems)
        problems += ["warning: %s" % w.message for w in caught]
        problems += ["logged warning: %s" % m for m in rec.records]
        if rows is not None:
            for where, s, e in starts:
                if (s, e) not in rows:
                    problems.append("%s: %s..%s is not a session in %s" % (where, s, e, a.sessions))
        for p in problems:
            print("%s: %s" % (path, p), file=sys.stderr)
        bad += bool(problems)
    if bad:
        print("%d of %d files have problems" % (bad, len(files)), file=sys.stderr)
        return 1
    print("%d files ok" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())

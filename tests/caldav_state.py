#!/usr/bin/env python3
"""caldav_state.py -- what a CalDAV server holds, or what an output folder
says it should hold, as sorted lines that can be compared with diff.

    caldav_state.py server URL USER PASSWORD
    caldav_state.py local OUTDIR

One line per calendar collection that has events:
    CAL <TAB> KIND-ID <TAB> display name
and one per event:
    EV <TAB> KIND-ID <TAB> UID <TAB> SEQUENCE <TAB> DTSTAMP <TAB> STATUS <TAB> DTSTART

`server` lists the calendar collections directly under URL with PROPFIND
Depth 1 and each one's events with a calendar-query REPORT, and checks
every resource (exit 1 with a message when one is wrong): it holds
exactly one VEVENT, a VTIMEZONE for the zone it names, and its name is
derived from its UID.  `local` reads OUTDIR/ics/{doctors,cohorts,sites,
instructors}/ID.ics.  Parsing is python3-icalendar's, a reader
independent of libical.  Standard library otherwise.
"""

import base64
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import icalendar

KINDS = ["doctors", "cohorts", "sites", "instructors"]
D = "{DAV:}"
C = "{urn:ietf:params:xml:ns:caldav}"


def event_line(coll, ev):
    seq = int(ev.get("SEQUENCE", 0))
    stamp = ev.decoded("DTSTAMP").strftime("%Y%m%dT%H%M%SZ") if "DTSTAMP" in ev else "-"
    status = str(ev.get("STATUS", "-"))
    start = ev["DTSTART"].to_ical().decode() if "DTSTART" in ev else "-"
    return "EV\t%s\t%s\t%d\t%s\t%s\t%s" % (coll, ev["UID"], seq, stamp, status, start)


def local(outdir):
    lines = []
    ics = os.path.join(outdir, "ics")
    if not os.path.isdir(ics):
        sys.exit("caldav_state.py: %s has no ics/" % outdir)
    for kind in KINDS:
        d = os.path.join(ics, kind)
        if not os.path.isdir(d):
            continue
        for fn in os.listdir(d):
            if not fn.endswith(".ics"):
                continue
            coll = "%s-%s" % (kind, fn[:-4])
            with open(os.path.join(d, fn), "rb") as f:
                cal = icalendar.Calendar.from_ical(f.read())
            evs = [c for c in cal.walk("VEVENT")]
            if evs:
                lines.append("CAL\t%s\t%s" % (coll, cal.get("X-WR-CALNAME", "")))
            lines.extend(event_line(coll, ev) for ev in evs)
    return lines


class Dav:
    def __init__(self, url, user, password):
        self.url = url if url.endswith("/") else url + "/"
        tok = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.auth = "Basic " + tok

    def req(self, method, url, body=None, depth=None):
        r = urllib.request.Request(url, data=body.encode() if body else None, method=method)
        r.add_header("Authorization", self.auth)
        if body:
            r.add_header("Content-Type", "application/xml; charset=utf-8")
        if depth is not None:
            r.add_header("Depth", str(depth))
        with urllib.request.urlopen(r, timeout=60) as resp:
            return resp.status, resp.read()

    def multistatus(self, method, url, body, depth):
        st, data = self.req(method, url, body, depth)
        if st != 207:
            sys.exit("caldav_state.py: %s %s: %d" % (method, url, st))
        out = []
        for r in ET.fromstring(data).findall(D + "response"):
            href = r.find(D + "href").text
            props = {}
            for ps in r.findall(D + "propstat"):
                if " 200 " not in (ps.find(D + "status").text or ""):
                    continue
                for p in ps.find(D + "prop"):
                    props[p.tag] = p
            out.append((urllib.parse.urljoin(url, href), props))
        return out


def server(url, user, password):
    dav = Dav(url, user, password)
    base_path = urllib.parse.urlparse(dav.url).path
    lines, problems = [], []
    tops = dav.multistatus("PROPFIND", dav.url,
                           '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>'
                           '<D:resourcetype/><D:displayname/></D:prop></D:propfind>', 1)
    for href, props in tops:
        path = urllib.parse.unquote(urllib.parse.urlparse(href).path)
        rt = props.get(D + "resourcetype")
        if path.rstrip("/") == base_path.rstrip("/") or rt is None or rt.find(C + "calendar") is None:
            continue
        coll = path.rstrip("/").rsplit("/", 1)[-1]
        name = props.get(D + "displayname")
        items = dav.multistatus(
            "REPORT", href,
            '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/>'
            '</D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>', 1)
        if items:
            lines.append("CAL\t%s\t%s" % (coll, name.text if name is not None and name.text else ""))
        for ihref, iprops in items:
            data = iprops.get(C + "calendar-data")
            if data is None or not data.text:
                problems.append("%s: no calendar-data" % ihref)
                continue
            cal = icalendar.Calendar.from_ical(data.text)
            evs = list(cal.walk("VEVENT"))
            if len(evs) != 1:
                problems.append("%s: %d VEVENTs, want 1" % (ihref, len(evs)))
                continue
            ev = evs[0]
            tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
            want = ev["DTSTART"].params.get("TZID")
            if want and want not in tzids:
                problems.append("%s: no VTIMEZONE for %s" % (ihref, want))
            rname = urllib.parse.unquote(urllib.parse.urlparse(ihref).path.rsplit("/", 1)[-1])
            if rname != str(ev["UID"]) + ".ics":
                problems.append("%s: resource name is not UID.ics" % ihref)
            lines.append(event_line(coll, ev))
    for p in problems:
        print("caldav_state.py: " + p, file=sys.stderr)
    return lines, 1 if problems else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "local":
        lines, rc = local(argv[2]), 0
    elif len(argv) == 5 and argv[1] == "server":
        try:
            lines, rc = server(argv[2], argv[3], argv[4])
        except urllib.error.URLError as e:
            sys.exit("caldav_state.py: %s" % e)
    else:
        sys.exit(__doc__)
    for line in sorted(lines):
        print(line)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))

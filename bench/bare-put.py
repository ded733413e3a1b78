#!/usr/bin/env python3
"""bare-put.py -- what the CalDAV server itself can take: bare PUTs of a
plan's events, one resource per event, with nothing else (no listing, no
comparison), one at a time and with several in flight.

    bare-put.py URL USER PASSWORD OUTDIR JOBS [LIMIT]

Each OUTDIR/ics/KIND/ID.ics is cut into its events; each event goes to
URL/bare-JOBS-KIND-ID/UID.ics in a VCALENDAR with the file's VTIMEZONE,
after a MKCALENDAR of that collection, over keep-alive connections, JOBS
at a time.  Prints: requests, seconds, requests/s.  bench/publish.sh runs
it beside vdsched so that "the server, not vdsched, is what limits the
publish" is a figure, not a guess.  Standard library only.
"""

import base64
import http.client
import os
import queue
import socket
import sys
import threading
import time
import urllib.parse


def events_of(text):
    """The VTIMEZONE blocks and the VEVENT blocks of an iCalendar text."""
    tz, evs, cur, kind = [], [], [], None
    for line in text.splitlines():
        if line in ("BEGIN:VTIMEZONE", "BEGIN:VEVENT") and kind is None:
            kind, cur = line[6:], []
        if kind:
            cur.append(line)
        if kind and line == "END:" + kind:
            (tz if kind == "VTIMEZONE" else evs).append("\r\n".join(cur))
            kind = None
    return tz, evs


def uid_of(ev):
    for line in ev.split("\r\n"):
        if line.startswith("UID:"):
            return line[4:]
    return None


def main(argv):
    url, user, pw, out, jobs = argv[1], argv[2], argv[3], argv[4], int(argv[5])
    limit = int(argv[6]) if len(argv) > 6 else 0
    u = urllib.parse.urlsplit(url)
    auth = "Basic " + base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
    work = []
    for kind in sorted(os.listdir(os.path.join(out, "ics"))):
        d = os.path.join(out, "ics", kind)
        for name in sorted(os.listdir(d)):
            tz, evs = events_of(open(os.path.join(d, name), encoding="utf-8").read())
            coll = "%sbare-%d-%s-%s/" % (u.path, jobs, kind, name[:-4])
            work.append(("MKCALENDAR", coll, None))
            for ev in evs:
                body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bare-put//EN"]
                                   + tz + [ev, "END:VCALENDAR", ""])
                work.append(("PUT", coll + urllib.parse.quote(uid_of(ev)) + ".ics", body.encode()))
            if limit and len(work) >= limit:
                break
        if limit and len(work) >= limit:
            break
    # a collection's MKCALENDAR before its PUTs: each worker takes one
    # collection with all its events
    colls, cur = [], None
    for w in work:
        if w[0] == "MKCALENDAR":
            cur = []
            colls.append(cur)
        cur.append(w)
    q = queue.Queue()
    for c in colls:
        q.put(c)
    failed = []

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # as curl does
        while True:
            try:
                c = q.get_nowait()
            except queue.Empty:
                return
            for method, path, body in c:
                h = {"Authorization": auth}
                if body is not None:
                    h["Content-Type"] = "text/calendar; charset=utf-8"
                conn.request(method, path, body=body, headers=h)
                r = conn.getresponse()
                r.read()
                if r.status >= 300:
                    failed.append((method, path, r.status))

    t0 = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(jobs)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    dt = time.monotonic() - t0
    if failed:
        print("bare-put: %d requests failed, e.g. %s" % (len(failed), failed[0]), file=sys.stderr)
        return 1
    print("%d %.2f %.1f" % (len(work), dt, len(work) / dt))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""edit_program.py -- apply one administrator's edit to a copy of a program.

    edit_program.py PROGRAM.ini EDIT [ARGS...]

Edits, in place (work on a copy):
    leave DOCTOR_ID              the doctor leaves: their row goes from doctors.csv
    join CLINIC_ID DOCTOR_ID     a new doctor joins a clinic
    unavailable DOCTOR_ID A..B   the doctor cannot train from A to B
    blackout A..B                a new blackout (flood, 农忙) in [program]
    drop-site SITE_ID            the site closes: removed from every [course] sites
    unload COURSE                the course is no longer loaded (its section goes)
    min-size N                   [program] cohort_min = N

The program's rosters are found by its [program] clinics/doctors keys; the
files keep their line ends.  Standard library only.
"""
import csv
import io
import os
import re
import sys


def read_ini(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def section_of(lines):
    sec = None
    out = []
    for l in lines:
        m = re.match(r"\s*\[([^\]]+)\]", l)
        if m:
            sec = m.group(1).strip().lower()
        out.append(sec)
    return out


def key_line(lines, sec, key):
    secs = section_of(lines)
    for i, l in enumerate(lines):
        if secs[i] == sec and re.match(r"\s*" + key + r"\s*=", l):
            return i
    return None


def set_key(lines, sec, key, value):
    i = key_line(lines, sec, key)
    if i is not None:
        lines[i] = "%s = %s" % (key, value)
        return
    secs = section_of(lines)
    for j, s in enumerate(secs):
        if s == sec and re.match(r"\s*\[", lines[j]):
            lines.insert(j + 1, "%s = %s" % (key, value))
            return
    raise SystemExit("no [%s] section" % sec)


def get_key(lines, sec, key):
    i = key_line(lines, sec, key)
    if i is None:
        return None
    return re.sub(r"\s;.*$", "", lines[i].split("=", 1)[1]).strip()


def roster(ini, lines, key):
    return os.path.join(os.path.dirname(ini), get_key(lines, "program", key))


def edit_rows(path, fn):
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    nl = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text)))
    rows = fn(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator=nl).writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    ini, edit, args = argv[1], argv[2], argv[3:]
    lines = read_ini(ini)
    doctors = roster(ini, lines, "doctors")
    if edit == "leave":
        gone = []
        edit_rows(doctors, lambda rows: [r for r in rows if not (r and r[0] == args[0]) or gone.append(r)])
        if not gone:
            sys.exit("no doctor " + args[0])
    elif edit == "join":
        def add(rows):
            h = rows[0]
            r = [""] * len(h)
            r[h.index("doctor_id")] = args[1]
            r[h.index("name")] = "新医生" + args[1]
            r[h.index("clinic_id")] = args[0]
            return rows + [r]
        edit_rows(doctors, add)
    elif edit == "unavailable":
        def un(rows):
            h = rows[0]
            if "unavailable" not in h:
                h.append("unavailable")
                for r in rows[1:]:
                    r.append("")
            k = h.index("unavailable")
            for r in rows[1:]:
                while len(r) < len(h):
                    r.append("")
                if r[0] == args[0]:
                    r[k] = (r[k] + " " + args[1]).strip()
            return rows
        edit_rows(doctors, un)
    elif edit == "blackout":
        old = get_key(lines, "program", "blackout") or ""
        set_key(lines, "program", "blackout", (old + " " + args[0]).strip())
    elif edit == "drop-site":
        secs = section_of(lines)
        for i, l in enumerate(lines):
            if secs[i] and secs[i].startswith("course ") and re.match(r"\s*sites\s*=", l):
                v = re.sub(r"\s;.*$", "", l.split("=", 1)[1]).split()
                lines[i] = "sites = " + " ".join(s for s in v if s != args[0])
    elif edit == "unload":
        v = get_key(lines, "plugins", "load").split()
        set_key(lines, "plugins", "load", " ".join(c for c in v if c != args[0]))
        secs = section_of(lines)
        lines = [l for i, l in enumerate(lines) if secs[i] != "course " + args[0]]
    elif edit == "min-size":
        set_key(lines, "program", "cohort_min", args[0])
    else:
        sys.exit("unknown edit " + edit)
    with open(ini, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv)

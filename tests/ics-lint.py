#!/usr/bin/python3
"""ics-lint.py -- byte-level lint of iCalendar files (RFC 5545 section 3.1).

Usage: ics-lint.py PATH...

Each PATH is an .ics file or a folder searched for *.ics.  Fails (exit 1),
naming file, line and problem, on:
  - a bare CR or a bare LF (every line ends with CRLF, the file too);
  - a line longer than 75 octets, line end excluded;
  - a fold inside a line end: CR, fold, LF (CR CR LF SP LF, as libical
    before 4.0.3 writes a 73-octet line) or a continuation line holding
    nothing (CR LF SP CR LF);
  - a UTF-8 sequence split across a fold (a continuation line starting
    with a continuation byte, or a line ending inside a sequence), or any
    byte that is not UTF-8.
Prints "ics-lint: N files ok" and exits 0 otherwise; 2 on bad usage or no
files.  Standard library only.
"""
import os
import re
import sys

UTF8 = re.compile(rb"(?:[\x00-\x7F]|[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]"
                  rb"|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}|\xED[\x80-\x9F][\x80-\xBF]"
                  rb"|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2})*")


def lint(data):
    """The problems of one file's bytes, as (line, text)."""
    problems = []
    if not data:
        return [(0, "empty file")]
    if not data.endswith(b"\r\n"):
        problems.append((0, "does not end with CRLF"))
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, raw in enumerate(lines):
        n = i + 1
        last = i == len(lines) - 1
        if not raw.endswith(b"\r"):
            if not (last and not data.endswith(b"\n")):
                if raw == b" " and i > 0 and lines[i - 1].endswith(b"\r\r"):
                    problems.append((n, "fold inside a line end (CR, fold, LF)"))
                else:
                    problems.append((n, "bare LF"))
            line = raw
        else:
            line = raw[:-1]
        if b"\r" in line:
            if line.endswith(b"\r") and i + 1 < len(lines) and lines[i + 1] == b" ":
                pass  # reported on the next line as a fold inside a line end
            else:
                problems.append((n, "bare CR"))
            line = line.replace(b"\r", b"")
        if len(line) > 75:
            problems.append((n, "%d octets (max 75)" % len(line)))
        if line[:1] in (b" ", b"\t"):
            if len(line) == 1:
                if raw.endswith(b"\r"):
                    problems.append((n, "empty continuation line (fold at a line end)"))
            elif 0x80 <= line[1] <= 0xBF:
                problems.append((n, "UTF-8 sequence split across a fold"))
        m = UTF8.match(line)
        if m.end() != len(line):
            rest = line[m.end():]
            nxt = lines[i + 1] if i + 1 < len(lines) else b""
            if nxt[:1] in (b" ", b"\t") and len(rest) < 4 and 0xC2 <= rest[0] <= 0xF4 \
                    and all(0x80 <= c <= 0xBF for c in rest[1:]):
                problems.append((n, "UTF-8 sequence split across a fold"))
            elif not (line[:1] in (b" ", b"\t") and m.end() == 0 and len(line) > 1):
                problems.append((n, "not UTF-8 at octet %d" % (m.end() + 1)))
        if len(problems) > 50:
            problems.append((n, "(more problems not shown)"))
            break
    return problems


def files_of(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                out += [os.path.join(root, x) for x in names if x.endswith(".ics")]
        else:
            out.append(p)
    return sorted(out)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    files = files_of(argv[1:])
    if not files:
        print("ics-lint: no .ics files in %s" % " ".join(argv[1:]), file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            print("%s: error: cannot read: %s" % (path, e.strerror), file=sys.stderr)
            bad += 1
            continue
        problems = lint(data)
        for line, text in problems:
            print("%s:%d: error: %s" % (path, line, text), file=sys.stderr)
        bad += bool(problems)
    if bad:
        print("ics-lint: %d of %d files have problems" % (bad, len(files)), file=sys.stderr)
        return 1
    print("ics-lint: %d files ok" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

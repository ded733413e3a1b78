#!/usr/bin/python3
"""suggestions.py -- every change vdsched suggests works when followed.

    suggestions.py VDSCHED PLUGIN_DIR SRCDIR WORKDIR [programs|corpus|all]

An outside script's view of vdsched's advice: it reads only the text
vdsched prints (report.txt, unscheduled.csv, `check`'s messages), applies
each suggestion to a copy of the program exactly as written, and checks
the result.

programs  etc/tiny, etc/tianyang and bench programs (gen.py's county, with
          cover 2, tight300, a county whose townships have no sections,
          with cover 0 and 1, and the city): every suggestion of the report
          ("raising [township X] cover to N would allow D", "raise
          [townships] cover to N") and of `check` ("set cover = N in
          [township X]") is applied; then `check` must pass and the promise
          must hold: the earliest possible finish on or before the day
          named, the warning or the unscheduled reason gone.
corpus    every case of tests/bad/: `check`'s errors; each that names a
          fix concretely (did you mean, write X, set K = V, add K = V ...)
          is applied, and the error must be gone, and `check` must pass
          when it was the case's only error.  Prints the counts and the
          cases whose messages suggest nothing concrete.

Exit 0 when every suggestion works, 1 otherwise.  Standard library only.
"""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

DATE = r"\d{4}-\d\d-\d\d"


class Run:
    """The vdsched binary, its plugins and the failures seen so far."""

    def __init__(self, vdsched, plugdir, srcdir, work):
        self.vdsched, self.plugdir, self.srcdir, self.work = vdsched, plugdir, srcdir, work
        self.failures = 0

    def vd(self, ini, *args):
        p = subprocess.run([self.vdsched, "--plugin-dir", self.plugdir, "-c", ini] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")

    def ok(self, what):
        print("ok: " + what)

    def fail(self, what):
        print("FAIL: " + what)
        self.failures += 1


# --- editing a program as a person would --------------------------------

def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def section_span(text, header):
    """(start, end) of the section whose header line is [header], or None."""
    m = re.search(r"(?mi)^[ \t]*\[[ \t]*" + re.escape(header) + r"[ \t]*\][ \t]*$", text)
    if not m:
        return None
    n = re.compile(r"(?m)^[ \t]*\[").search(text, m.end())
    return m.start(), n.start() if n else len(text)


def set_key(ini, header, key, value):
    """key = value in [header]: replaced if there, else added (and the
    section too)."""
    s = read(ini)
    span = section_span(s, header)
    if span is None:
        s = s.rstrip("\n") + "\n\n[%s]\n%s = %s\n" % (header, key, value)
    else:
        a, b = span
        sec = s[a:b]
        pat = re.compile(r"(?m)^(\s*)" + re.escape(key) + r"\s*=.*$")
        if pat.search(sec):
            sec = pat.sub(lambda m: "%s%s = %s" % (m.group(1), key, value), sec, count=1)
        else:
            head_end = sec.index("\n") + 1 if "\n" in sec else len(sec)
            sec = sec[:head_end] + "%s = %s\n" % (key, value) + sec[head_end:]
        s = s[:a] + sec + s[b:]
    write(ini, s)


def get_key(ini, header, key):
    span = section_span(read(ini), header)
    if span is None:
        return None
    m = re.search(r"(?m)^\s*" + re.escape(key) + r"\s*=\s*(.*?)\s*$", read(ini)[span[0]:span[1]])
    return m.group(1) if m else None


def edit_line(path, line, fn):
    """Replaces line number `line` (1-based) of a text file by fn(line)."""
    s = read(path)
    lines = s.split("\n")
    lines[line - 1] = fn(lines[line - 1])
    write(path, "\n".join(lines))


def replace_word(old, new):
    """On one line: the first `old` standing alone becomes `new`."""
    pat = re.compile(r"(?<![\w.-])" + re.escape(old) + r"(?![\w-])")
    return lambda text: pat.sub(lambda m: new, text, count=1)


def replace_csv_field(path, line, old, new):
    """In a CSV (or a workbook's cells) the cell `old` becomes `new`."""
    if ".xlsx" in path:
        book = path.split("#")[0]
        data = {}
        with zipfile.ZipFile(book) as z:
            for n in z.namelist():
                data[n] = z.read(n)
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
            for n, b in data.items():
                if n.endswith(".xml"):
                    b = b.replace((">%s<" % old).encode(), (">%s<" % new).encode())
                z.writestr(n, b)
        return
    edit_line(path, line, lambda t: ",".join(new if c.strip() == old else c for c in t.split(",")))


# --- check's messages -----------------------------------------------------

MSG = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: (?P<kind>error|warning): (?P<msg>.*)$")


def messages(out, kind="error"):
    """[(file, line, message)] of check's output."""
    res = []
    for ln in out.splitlines():
        m = MSG.match(ln)
        if m and m.group("kind") == kind:
            res.append((m.group("file"), int(m.group("line") or 0), m.group("msg")))
    return res


def ini_section_of(ini, line):
    """The header of the section line `line` of an INI file is in."""
    head = None
    for i, t in enumerate(read(ini).split("\n")[:line], 1):
        m = re.match(r"^\s*\[\s*(.+?)\s*\]\s*$", t)
        if m:
            head = m.group(1)
    return head


def fix_for(prog, path, line, msg):
    """The fix `msg` names, as a function that applies it to the program
    folder `prog`, or None when it names nothing concrete.  Longer than
    80 lines because it is one table of message forms and their edits,
    read top to bottom (the first form that matches wins)."""
    ini = os.path.join(prog, "vdsched.ini")
    m = re.search(r"unknown section \[(.+?)\]; did you mean \[(.+?)\]\?", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace("[%s]" % m.group(1), "[%s]" % m.group(2), 1))
    m = re.search(r"unknown section \[(.+?)\]; a holidays file has only \[(holidays)\]", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace("[%s]" % m.group(1), "[%s]" % m.group(2), 1))
    if re.search(r"unknown key '.+?' in \[.+?\]; (?:did you mean '.+?'\? It is set already on line \d+: )?remove this line|unknown key '.+?' in \[.+?\]; remove it", msg):
        return lambda: edit_line(path, line, lambda t: "; " + t)
    m = re.search(r"unknown key '(.+?)' in \[.+?\]; did you mean '(.+?)'\?", msg)
    if m:
        return lambda: edit_line(path, line, replace_word(m.group(1), m.group(2)))
    m = re.search(r"section \[(.+?)\] takes no name; write \[(.+?)\]", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: re.sub(r"\[.*\]", "[%s]" % m.group(2), t, count=1))
    m = re.search(r"'(.+?)' is the name of \[site .+?\]; sites = takes site ids: write (\S+)", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace(m.group(1), m.group(2), 1))
    m = re.search(r"unknown (?:site|course) '(.+?)'; did you mean '(.+?)'\?", msg)
    if m:
        return lambda: edit_line(path, line, replace_word(m.group(1), m.group(2)))
    m = re.search(r"(?:unknown clinic_id|township) '(.+?)'.*\(did you mean '(.+?)'\?\)", msg)
    if m:
        return lambda: replace_csv_field(path, line, m.group(1), m.group(2))
    m = re.search(r"course '(.+?)' is not one of the program's; write its id \((.+?)\)", msg)
    if m:
        return lambda: replace_csv_field(path, line, m.group(1), m.group(2))
    m = re.search(r"min_on_duty '(.*?)' .*; use e\.g\. (\d+)", msg)
    if m:
        return lambda: replace_csv_field(path, line, m.group(1), m.group(2))
    m = re.search(r"^end (\S+) is before start (\S+); swap them", msg)
    if m:
        def swap():
            a, b = get_key(ini, "program", "start"), get_key(ini, "program", "end")
            set_key(ini, "program", "start", b)
            set_key(ini, "program", "end", a)
        return swap
    m = re.search(r"range '(.+?)\.\.(.+?)' ends before it starts", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace(
            "%s..%s" % (m.group(1), m.group(2)), "%s..%s" % (m.group(2), m.group(1)), 1))
    m = re.search(r"key '(.+?)' appears twice in \[.+?\] \(first on line \d+\); keep one", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: "; " + t)
    m = re.search(r"set encoding = (\S+) in \[program\]", msg)
    if m:
        return lambda: set_key(ini, "program", "encoding", m.group(1))
    m = re.search(r"add e\.g\. (\S+) = (\S+) to \[(.+?)\]", msg)
    if m:
        return lambda: set_key(ini, m.group(3), m.group(1), m.group(2))
    m = re.search(r"^\[(.+?)\] needs '(.+?)', e\.g\. (\S+) = (.+)$", msg)
    if m:
        return lambda: set_key(ini, m.group(1), m.group(3), m.group(4))
    m = re.search(r"no courses: add \[plugins\] load = (.+?) \(", msg)
    if m:
        return lambda: set_key(ini, "plugins", "load", m.group(1))
    m = re.search(r"^\[course .+?\] but '(.+?)' is not in \[plugins\] load; add it to load", msg)
    if m:
        return lambda: set_key(ini, "plugins", "load",
                               ((get_key(ini, "plugins", "load") or "") + " " + m.group(1)).strip())
    m = re.search(r"course '(.+?)' is loaded twice; list it once", msg)
    if m:
        def once():
            seen, out = set(), []
            for w in re.split(r"[\s,]+", get_key(ini, "plugins", "load")):
                if w and w not in seen:
                    seen.add(w)
                    out.append(w)
            set_key(ini, "plugins", "load", " ".join(out))
        return once
    m = re.search(r"^alarm '(.+?)' is more than .*; use at most (\S+)$", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace(m.group(1), m.group(2), 1))
    m = re.search(r"unknown time zone '(.+?)'; use an IANA name such as (\S+)", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace(m.group(1), m.group(2), 1))
    m = re.search(r"^(\w+) '(.+?)' must be a mailto: address, e\.g\. (\S+)", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: re.sub(r"=.*", "= " + m.group(3), t, count=1))
    m = re.search(r"^(\w+) '.*?' must .*, e\.g\. (\w+) = (\S+)$", msg)
    if m and path.endswith(".ini"):
        return lambda: set_key(ini, ini_section_of(path, line), m.group(2), m.group(3))
    m = re.search(r"^(\w+) '.*?' .*\((\w+) = (\S+)\)$", msg)
    if m and path.endswith(".ini"):
        return lambda: set_key(ini, ini_section_of(path, line), m.group(2), m.group(3))
    m = re.search(r"^cohort_min \d+ is larger than cohort_max \d+; lower cohort_min to (\d+)", msg)
    if m:
        return lambda: set_key(ini, "program", "cohort_min", m.group(1))
    m = re.search(r"^'(\S+)\s+(.*?)' is not 'key = value'; add the '='", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace(m.group(1), m.group(1) + " =", 1))
    m = re.search(r"bad section header '(.+?)'; write (\[.+?\])$", msg)
    if m:
        return lambda: edit_line(path, line, lambda t: t.replace(m.group(1), m.group(2), 1))
    # any other "'X' ...; did you mean 'Y'?" in the program file: X becomes Y
    # on that line (weekdays, alarms, file names)
    m = re.search(r"'([^']+)' .*did you mean '([^']+)'\?", msg)
    if m and path.endswith(".ini"):
        return lambda: edit_line(path, line, lambda t: t.replace(m.group(1), m.group(2), 1))
    m = re.search(r"the workbook has no sheet '(.+?)'; its sheets are: '([^']+)' \(", msg)
    if m:
        return lambda: edit_line(ini, 0 or ini_line_of(ini, "#" + m.group(1)),
                                 lambda t: t.replace("#" + m.group(1), "#" + m.group(2), 1))
    return None


def ini_line_of(path, text):
    for i, t in enumerate(read(path).split("\n"), 1):
        if text in t:
            return i
    return 1


# --- the bad-input corpus --------------------------------------------------

def corpus(R):
    """Applies the fix of every concrete error message of tests/bad/."""
    bad = os.path.join(R.srcdir, "tests", "bad")
    base = os.path.join(R.work, "corpus")
    cases = sorted(d for d in os.listdir(bad) if os.path.isdir(os.path.join(bad, d)))
    n_concrete = n_passing = 0
    words, huge = [], []
    for name in cases:
        errs = run_case(R, bad, base, name, None)
        if errs is None:
            huge.append(name)
            continue
        fixes = [(i, e) for i, e in enumerate(errs) if fix_for("", e[0], e[1], e[2])]
        for e in errs:   # a named replacement this script cannot apply
            if "did you mean" in e[2] and not fix_for("", e[0], e[1], e[2]):
                R.fail("%s: cannot apply '%s'" % (name, e[2]))
        if not fixes:
            words.append("%s: %s" % (name, errs[0][2][:150] if errs else "(no error)"))
            continue
        n_concrete += 1
        good = True
        for i, e in fixes:
            why = run_case(R, bad, base, name, (i, len(errs)))
            if why:
                R.fail("%s: following '%s' %s" % (name, e[2], why))
                good = False
        if good:
            n_passing += 1
            R.ok("%s: %d fix(es) followed" % (name, len(fixes)))
    print("corpus: %d cases, %d with a concrete suggestion, %d applied and passing; "
          "%d with huge generated inputs not run (%s)"
          % (len(cases), n_concrete, n_passing, len(huge), " ".join(huge)))
    print("corpus: %d cases whose messages suggest nothing concrete (they say what to do in words):"
          % len(words))
    for w in words:
        print("  " + w)


def run_case(R, bad, base, name, follow):
    """Builds the case's program as bad-input.sh does and runs check.
    follow None: returns its errors [(file, line, message)] with paths
    relative to the program; (i, n): applies the fix of error i of n and
    returns why that failed ('' if it worked)."""
    w = os.path.join(base, name)
    shutil.rmtree(w, ignore_errors=True)
    shutil.copytree(os.path.join(R.srcdir, "etc", "tiny"), os.path.join(w, "tiny"))
    shutil.copytree(os.path.join(R.srcdir, "etc", "holidays"), os.path.join(w, "holidays"))
    prog = os.path.join(w, "tiny")
    d = os.path.join(bad, name)
    for f in os.listdir(d):
        if f in ("expect", "setup.sh"):
            continue
        src = os.path.join(d, f)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(prog, f))
    if os.path.exists(os.path.join(d, "setup.sh")):
        subprocess.run(["sh", os.path.join(d, "setup.sh")], cwd=prog,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ini = os.path.join(prog, "vdsched.ini")
    if os.path.getsize(os.path.join(d, "expect")) and "max-seconds" in read(os.path.join(d, "expect")):
        return None if follow is None else ""   # huge generated inputs: nothing to follow
    rc, out = R.vd(ini, "check")
    errs = [(f[len(prog) + 1:] if f.startswith(prog + "/") else f, ln, msg)
            for f, ln, msg in messages(out)]
    if follow is None:
        return errs
    i, n = follow
    f, ln, msg = errs[i]
    fix = fix_for(prog, os.path.join(prog, f), ln, msg)
    try:
        fix()
    except Exception as e:   # the message named something the program lacks
        return "cannot be applied: %r" % e
    rc2, out2 = R.vd(ini, "check")
    if msg in [m for _, _, m in messages(out2)]:
        return "leaves the error in place"
    # The case's only error: check passes now, or what it reports next
    # (a fault the first one hid) is followed too, as a person would.
    for _ in range(5):
        if n != 1 or rc2 == 0:
            return ""
        nxt = messages(out2)
        step = nxt and fix_for(prog, os.path.join(prog, nxt[0][0]) if not nxt[0][0].startswith("/")
                               else nxt[0][0], nxt[0][1], nxt[0][2])
        if not step:
            break
        step()
        rc2, out2 = R.vd(ini, "check")
    return "makes check fail: %s" % out2.strip().splitlines()[0][:300]


# --- the programs' report advice -------------------------------------------

def copy_program(src_ini, dst):
    """Copies the program folder of src_ini (and etc/holidays beside it) to dst."""
    src = os.path.dirname(src_ini)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("out*"))
    hol = os.path.join(os.path.dirname(src), "holidays")
    if os.path.isdir(hol) and not os.path.exists(os.path.join(os.path.dirname(dst), "holidays")):
        shutil.copytree(hol, os.path.join(os.path.dirname(dst), "holidays"))
    return os.path.join(dst, "vdsched.ini")


def earliest(report):
    m = re.search(r"(?m)^earliest possible finish: (%s|after the end of the period)" % DATE, report)
    return m.group(1) if m else None


def suggestions(report, unsched, check_out, cap=True):
    """[(kind, fix, promise, text)]: fix = (section, key, value); promise
    a date, ('warning', text), ('reason', text) or None."""
    res = []
    m = re.search(r"raising \[(township \S+|townships)\] cover(?: \(every township's\))? to (\d+) "
                  r"would (?:allow (%s)|still not finish in the period)" % DATE, report)
    if m:
        res.append(("report", (m.group(1), "cover", m.group(2)), m.group(3), m.group(0)))
    m = re.search(r"raising (\w+) of \[(site \S+)\] to (\d+) "
                  r"would (?:allow (%s)|still not finish in the period)" % DATE, report)
    if m:
        res.append(("report", (m.group(2), m.group(1), m.group(3)), m.group(4), m.group(0)))
    for r in sorted(set(unsched)):
        m = re.search(r"township (\S+) has no cover left .*; raise \[(township \S+|townships)\] cover to (\d+)", r)
        if m:
            res.append(("unscheduled.csv", (m.group(2), "cover", m.group(3)),
                        ("reason", r), r))
    for f, ln, msg in messages(check_out, "warning"):
        m = re.search(r"township '?(\S+?)'? has .*; set cover = (\d+) in \[(township \S+|townships)\]", msg)
        if m:
            res.append(("check", (m.group(3), "cover", m.group(2)), ("warning", msg), msg))
    # advice this script cannot read is a failure too (see unread())
    # each text once, and at most 4 of one change (the same change for
    # many townships or doctors)
    seen, count, out = set(), {}, []
    for s in res:
        key = (s[0], s[1])
        if s[3] not in seen and (count.get(key, 0) < 4 or not cap):
            seen.add(s[3])
            count[key] = count.get(key, 0) + 1
            out.append(s)
    return out


ADVICE = re.compile(r"(?:^|; |, )(?:raise|raising|set|add|adding|lower|remove) ")


def unread(report, unsched, check_out, found):
    """Texts that advise a change which suggestions() did not read."""
    read_ = set(s[3] for s in found)
    texts = re.findall(r"(?m)^earliest possible finish: .*$", report)
    texts += sorted(set(unsched))
    texts += [m for _, _, m in messages(check_out, "warning")]
    res = []
    for t in texts:
        if ADVICE.search(t) and not any(r in t for r in read_) and \
                "would not by itself allow an earlier day" not in t:
            res.append(t)
    return res


def plan(R, ini, out):
    rc, text = R.vd(ini, "-q", "-o", out, "plan")
    if rc not in (0, 3):
        return None, None, text
    report = read(os.path.join(out, "report.txt"))
    with open(os.path.join(out, "unscheduled.csv"), encoding="utf-8-sig", newline="") as f:
        unsched = [row["reason"] for row in csv.DictReader(f)]
    return report, unsched, text


def program(R, name, ini):
    """Plans one program and follows every suggestion it gets."""
    rc, check_out = R.vd(ini, "check")
    report, unsched, err = plan(R, ini, os.path.join(R.work, "out-" + name))
    if report is None:
        R.fail("%s: plan failed: %s" % (name, err[:300]))
        return 0
    found = suggestions(report, unsched, check_out)
    for t in unread(report, unsched, check_out, suggestions(report, unsched, check_out, cap=False)):
        R.fail("%s: advice the script cannot apply (no section, key and value): %s" % (name, t[:300]))
    line = re.search(r"(?m)^earliest possible finish: .*$", report)
    if not found:
        print("   %s: no change suggested (%s)" % (name, line.group(0) if line else "no bound"))
    for k, (where, fix, promise, text) in enumerate(found):
        what = "%s: %s's '%s'" % (name, where, text[:160])
        fixed = copy_program(ini, os.path.join(R.work, "%s-fix%d" % (name, k), "prog"))
        set_key(fixed, *fix)
        rc, out = R.vd(fixed, "check")
        if rc != 0:
            R.fail("%s: check fails after it: %s" % (what, out.strip()[:300]))
            continue
        if isinstance(promise, tuple) and promise[0] == "warning" and promise[1] in out:
            R.fail("%s: the warning stays" % what)
            continue
        rep2, uns2, err2 = plan(R, fixed, os.path.join(R.work, "out-%s-fix%d" % (name, k)))
        if rep2 is None:
            R.fail("%s: plan fails after it: %s" % (what, err2[:300]))
        elif isinstance(promise, tuple):
            # the township's clinics can spare their doctors now: no
            # doctor of it is left out for want of cover
            m = re.match(r"clinic (\S+)", promise[1]) or re.match(r"township '?([^' ]+)", promise[1])
            who = m.group(1)
            left = [r for r in uns2 if "no cover left" in r and
                    (r.startswith("clinic %s " % who) or " township %s has" % who in r)]
            if left:
                R.fail("%s: still '%s'" % (what, left[0]))
            else:
                R.ok("%s: check passes, %s has cover" % (what, who))
        elif promise:
            got = earliest(rep2)
            if got and got <= promise:
                R.ok("%s: check passes, earliest possible finish %s" % (what, got))
            else:
                R.fail("%s: promised %s, the earliest possible finish is now %s" % (what, promise, got))
        else:
            R.ok("%s: check passes (no day promised)" % what)
    return len(found)


def programs(R):
    gen = os.path.join(R.srcdir, "bench", "gen.py")
    work = R.work
    todo = []
    for ex in ("tiny", "tianyang"):
        todo.append((ex, copy_program(os.path.join(R.srcdir, "etc", ex, "vdsched.ini"),
                                      os.path.join(work, "etc", ex))))
    # etc/tiny without [township] sections (cover for all in [townships]),
    # and that with a clinic without doctors, which takes cover every day
    # and with its sections but no cover anywhere (plus such a clinic)
    empty = "hp-04,无人村卫生室,heping,23.640,106.850,1\n"
    for name, cover, extra in (("tiny-implicit", 1, ""), ("tiny-empty", 2, empty),
                               ("tiny-c0", 0, empty)):
        ini = copy_program(os.path.join(R.srcdir, "etc", "tiny", "vdsched.ini"),
                           os.path.join(work, "etc", name))
        if cover:
            s = re.sub(r"(?m)^\[township [^\]]*\][^\[]*", "", read(ini))
            s += "\n[townships]\ncover = %d\n" % cover
        else:
            s = re.sub(r"(?m)^cover *= *\d+", "cover = 0", read(ini))
        write(ini, s)
        clinics = os.path.join(os.path.dirname(ini), "clinics.csv")
        write(clinics, read(clinics) + extra)
        todo.append((name, ini))

    def generate(name, args, edits):
        d = os.path.join(work, "bench", name)
        subprocess.run([sys.executable, gen] + args + [d], stdout=subprocess.DEVNULL, check=True)
        ini = os.path.join(d, "vdsched.ini")
        s = read(ini)
        for a, b in edits:
            s = re.sub(a, b, s, flags=re.M)
        write(ini, s)
        todo.append((name, ini))

    generate("county", ["county", "1"], [])
    generate("county-c2", ["county", "1"], [(r"^cover = \d+$", "cover = 2")])
    generate("county-s3", ["county", "3"], [(r"^cover = \d+$", "cover = 2")])   # seats bind
    generate("tight300", ["--doctors", "300", "county", "1"],
             [(r"^cover = \d+$", "cover = 1"), (r"^end *= .*", "end = 2026-05-29")])
    # townships known only from clinics.csv (no [township] sections)
    generate("nosec-c0", ["--doctors", "250", "county", "1"], [(r"^cover = \d+$", "cover = 0")])
    generate("nosec-c1", ["--doctors", "250", "county", "1"], [(r"^cover = \d+$", "cover = 1")])
    if os.environ.get("SUGGESTIONS_CITY", "1") == "1":
        generate("city", ["city", "1"], [])
    n = 0
    for name, ini in todo:
        n += program(R, name, ini)
    print("programs: %d programs, %d suggestions followed" % (len(todo), n))


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    R = Run(*argv[1:5])
    what = argv[5] if len(argv) > 5 else "all"
    if what in ("programs", "all"):
        programs(R)
    if what in ("corpus", "all"):
        corpus(R)
    print("suggestions: %d failures" % R.failures)
    return 1 if R.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

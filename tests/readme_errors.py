#!/usr/bin/env python3
"""readme_errors.py -- every row of the README's 常见错误 table is what
vdsched really prints.

    readme_errors.py README.md SRCDIR VDSCHED PLUGIN_DIR [--print]

The README's first-time walk-through copies the example program
etc/tianyang/; each row of its 常见错误 table quotes a message.  For each row
this script makes that mistake in a copy of the example (one case per row,
in the table's order, below), runs vdsched under zh_CN.UTF-8 and compares:
the quoted text must be a line of what vdsched printed, where "……" in the
README stands for any text.  --print shows what each case prints, to write
the table from.  Exit 0 when every row matches, 1 otherwise.  Standard
library only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def sub(path, pattern, repl, count=1):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new, n = re.subn(pattern, repl, text, count=count, flags=re.M)
    if n == 0:
        raise SystemExit("readme_errors.py: %s: no '%s' to change" % (path, pattern))
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def to_gbk(path):
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    with open(path, "w", encoding="gbk", newline="") as f:
        f.write(text)


# One case per row of the table, in its order: (what goes wrong, the edit,
# the command).  P is the copied program's folder.
CASES = [
    ("a GBK roster", lambda P: to_gbk(P + "/doctors.csv"), "check"),
    ("a misspelt key", lambda P: sub(P + "/vdsched.ini", r"^cohort_max ", "cohort_mx "), "check"),
    ("a day that does not exist", lambda P: sub(P + "/vdsched.ini", r"^start( *)= 2026-03-02",
                                                r"start\1= 2026-02-30"), "check"),
    ("a township that cannot cover", lambda P: sub(P + "/vdsched.ini",
                                                   r"^(\[township babie\]\nname  = 巴别乡\ncover = )1",
                                                   r"\g<1>0"), "check"),
    ("an unknown site", lambda P: sub(P + "/vdsched.ini",
                                      r"^(\[course tcm\]\nsites( *)= county_hospital) pohong_branch",
                                      r"\1 pohong"), "check"),
    ("an unknown clinic", lambda P: sub(P + "/doctors.csv", r"^(d0008,[^,]*,)ty-tianzhou-06",
                                        r"\1ty-tianzhou-6"), "check"),
    ("an unknown township", lambda P: sub(P + "/clinics.csv", r"^(ty-napo-01,[^,]*,)那坡镇",
                                          r"\1那坡"), "check"),
    ("a missing column", lambda P: sub(P + "/doctors.csv", r"^(\ufeff?doctor_id,name,)clinic_id",
                                       r"\1clinic"), "check"),
    ("--previous without a plan", lambda P: os.makedirs(P + "/上次结果"),
     "plan --previous 上次结果"),
    ("an unknown course plugin", lambda P: sub(P + "/vdsched.ini", r"^load = tcm pediatrics dental",
                                               "load = tcm pediatrics dental surgery"), "check"),
]


def table_rows(readme):
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## 常见错误\n(.*?)(?=^## |^---)", text, re.S | re.M)
    if not m:
        raise SystemExit("readme_errors.py: no 常见错误 section in " + readme)
    rows = []
    for line in m.group(1).splitlines():
        q = re.match(r"^\| `([^`]*)` \|", line)
        if q:
            rows.append(q.group(1))
    return rows


def run_case(srcdir, vdsched, plugdir, edit, command, work):
    prog = os.path.join(work, "peixun")
    os.makedirs(prog + "/holidays")
    for f in ("vdsched.ini", "clinics.csv", "doctors.csv"):
        shutil.copy(os.path.join(srcdir, "etc/tianyang", f), prog)
    shutil.copy(os.path.join(srcdir, "etc/holidays/cn-2026.ini"), prog + "/holidays")
    # step 1 of the README: the holidays path as it is in the copy
    sub(prog + "/vdsched.ini", r"\.\./holidays/cn-2026\.ini", "holidays/cn-2026.ini")
    edit(prog)
    env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    env.pop("LANGUAGE", None)
    r = subprocess.run([vdsched, "--plugin-dir", plugdir, "-c", "vdsched.ini", "-o", "结果"]
                       + command.split(), cwd=prog, env=env, capture_output=True, timeout=120)
    return r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


def main(argv):
    if len(argv) < 5:
        print(__doc__)
        return 2
    readme, srcdir, vdsched, plugdir = argv[1:5]
    show = "--print" in argv
    rows = table_rows(readme)
    fails = 0
    if len(rows) != len(CASES):
        print("FAIL the README's 常见错误 table has %d rows, this test %d cases" % (len(rows), len(CASES)))
        fails += 1
    for i, (what, edit, command) in enumerate(CASES):
        with tempfile.TemporaryDirectory() as work:
            out = run_case(srcdir, vdsched, plugdir, edit, command, work)
        if show:
            print("== %d %s\n%s" % (i + 1, what, out))
            continue
        if i >= len(rows):
            continue
        pat = "^" + ".*".join(re.escape(p) for p in rows[i].split("……")) + "$"
        if not any(re.match(pat, line) for line in out.splitlines()):
            print("FAIL row %d (%s): the README says\n    %s\n  vdsched printed\n    %s" % (
                i + 1, what, rows[i], "\n    ".join(out.splitlines()[:4])))
            fails += 1
    if not show:
        print("readme-errors: %d rows, %d differ from what vdsched prints" % (len(rows), fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env bash
# office.sh -- a program as a Chinese county office writes it plans.
#
# tests/data/office/ is typed the way administrators type it: Notepad's
# UTF-8 with a BOM and CRLF lines, ＝ ： and the ideographic space from a
# Chinese keyboard in full-width mode, lists split by ， and 、, Excel's
# dates (2026/4/27, 2026年5月29日, 2026-5-25至2026-5-26, 2026/5/11～2026/5/13),
# Chinese column headers in another order with an extra 备注 column, and
# Chinese file names.  The test plans it (exit 0, no warning) and checks
# schedule.csv against what the files say, read here independently: the
# doctors who completed a course are not in it, nobody trains on a day
# they are unavailable, and no session falls on a holiday or blackout day.
# Then the same program with the rosters saved by Excel as GBK (no BOM)
# and `encoding = gbk` (also spelled gb18030, GB2312, cp936) must give a
# byte-identical schedule.csv.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN.  Exit 0 pass, 1 fail, 77 skip (automake).
set -u
export LC_ALL=C.UTF-8 LANG=C.UTF-8 SOURCE_DATE_EPOCH=1700000000
unset VDSCHED_PLUGIN_DIR

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || true)
if [ ! -x "$VDSCHED" ] || [ -z "$PY" ]; then
	echo "office: vdsched or python3 missing; skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-office.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# plan NAME DIR: plan DIR/vdsched.ini into $tmp/NAME, expecting exit 0
# and no message on stderr
plan() {
	"$VDSCHED" --plugin-dir "$PLUGDIR" -c "$2/vdsched.ini" -o "$tmp/$1" plan \
		>"$tmp/$1.out" 2>"$tmp/$1.err"
	local rc=$?
	if [ $rc -ne 0 ]; then
		fail "$1: plan exited $rc"
		sed 's/^/  /' "$tmp/$1.err"
		return 1
	fi
	if [ -s "$tmp/$1.err" ]; then
		fail "$1: plan wrote messages"
		sed 's/^/  /' "$tmp/$1.err"
		return 1
	fi
	pass "$1: plan exit 0, no messages: $(head -n1 "$tmp/$1.out")"
}

prog=$srcdir/tests/data/office
# the fixture must really be what an office sends
head -c3 "$prog/vdsched.ini" | od -An -tx1 | grep -q 'ef bb bf' &&
	grep -q $'\r$' "$prog/vdsched.ini" && grep -q '＝' "$prog/vdsched.ini" &&
	head -c3 "$prog/村医.csv" | od -An -tx1 | grep -q 'ef bb bf' &&
	grep -q $'\r$' "$prog/村医.csv" ||
	fail "tests/data/office lost its BOM, CRLF or full-width ＝ (check .gitattributes)"

if "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$prog/vdsched.ini" check >"$tmp/check.out" 2>&1 &&
   grep -q '12 doctors, 6 clinics, 2 townships, 2 sites, 2 courses; 0 warning' "$tmp/check.out"; then
	pass "check: $(cat "$tmp/check.out")"
else
	fail "check: $(cat "$tmp/check.out")"
fi

if plan utf8 "$prog"; then
	if "$PY" - "$tmp/utf8" <<'PYEOF'
import csv, datetime, sys
out = sys.argv[1]
D = datetime.date
def span(a, b):
    return {a + datetime.timedelta(days=i) for i in range((b - a).days + 1)}
# what the fixture says, in the forms an office wrote them
unavailable = {
    "d02": span(D(2026, 5, 11), D(2026, 5, 13)),
    "d03": {D(2026, 4, 27), D(2026, 4, 28)},
    "d06": span(D(2026, 5, 25), D(2026, 5, 26)),
    "d08": {D(2026, 5, 6)},
}
closed = span(D(2026, 5, 1), D(2026, 5, 5)) | {D(2026, 5, 20), D(2026, 5, 21), D(2026, 5, 27)}
completed = {"d04": {"tcm"}, "d05": {"tcm", "dental"}, "d07": {"dental"}}
start, end = D(2026, 4, 27), D(2026, 5, 29)
bad = []
rows = list(csv.DictReader(open(out + "/schedule.csv", encoding="utf-8-sig")))
sess = {}
for s in csv.DictReader(open(out + "/sessions.csv", encoding="utf-8-sig")):
    sess.setdefault((s["cohort_id"], s["course_id"]), set()).add(D.fromisoformat(s["date"]))
pairs = {(r["doctor_id"], r["course_id"]) for r in rows}
for d in ["d%02d" % i for i in range(1, 13)]:
    for c in ("tcm", "dental"):
        want = c not in completed.get(d, set())
        if ((d, c) in pairs) != want:
            bad.append("%s %s: %s" % (d, c, "missing" if want else "scheduled though completed"))
for r in rows:
    days = sess.get((r["cohort_id"], r["course_id"]), set())
    if not days:
        bad.append("%s: no sessions for %s %s" % (r["doctor_id"], r["cohort_id"], r["course_id"]))
    for t in days:
        if t in unavailable.get(r["doctor_id"], set()):
            bad.append("%s trains on %s, a day they are unavailable" % (r["doctor_id"], t))
        if t in closed or not start <= t <= end:
            bad.append("%s %s has a session on %s (holiday, blackout or outside the program)" % (r["cohort_id"], r["course_id"], t))
        if t.weekday() >= 5 and t != D(2026, 5, 9):
            bad.append("%s %s has a session on weekend day %s" % (r["cohort_id"], r["course_id"], t))
    if r["course_id"] == "dental" and r["site_id"] not in ("xianyiyuan", "zhongyiyuan"):
        bad.append("dental at site %s" % r["site_id"])
    if r["course_id"] == "tcm" and r["site_id"] != "xianyiyuan":
        bad.append("tcm at site %s" % r["site_id"])
# a site with dental chairs and no dental_unit feature holds dental
if not any(r["course_id"] == "dental" and r["site_id"] == "zhongyiyuan" for r in rows):
    bad.append("no dental run at zhongyiyuan (dental_chairs = 4, no dental_unit)")
names = {r["doctor_id"]: r["doctor_name"] for r in rows}
if names.get("d01") != "黄秀兰" or names.get("d12") != "陆秀梅":
    bad.append("names not read from the 姓名 column: %r" % names)
for b in bad:
    print("  " + b)
print("%d rows, %d problems" % (len(rows), len(bad)))
sys.exit(1 if bad else 0)
PYEOF
	then
		pass "utf8: schedule.csv keeps completed courses, unavailable days, holidays and blackout"
	else
		fail "utf8: schedule.csv does not follow the program"
	fi
fi

# the rosters as Excel on Chinese Windows saves "CSV (逗号分隔)": GBK, no BOM
for enc in gbk gb18030 GB2312 cp936; do
	g=$tmp/gbk-$enc
	mkdir -p "$g"
	cp "$prog/vdsched.ini" "$prog/holidays.ini" "$g/"
	for f in 卫生室.csv 村医.csv; do
		tail -c +4 "$prog/$f" | iconv -f UTF-8 -t GBK >"$g/$f" || fail "iconv $f"
	done
	# encoding = as a new line after teaching_days
	sed -i "s/^\(teaching_days .*\)\r$/\1\r\nencoding ＝ $enc\r/" "$g/vdsched.ini"
	grep -q "^encoding ＝ $enc" "$g/vdsched.ini" || fail "$enc: could not add encoding ="
	if plan "gbk-$enc-out" "$g"; then
		if cmp -s "$tmp/utf8/schedule.csv" "$tmp/gbk-$enc-out/schedule.csv"; then
			pass "$enc: schedule.csv is byte-identical to the UTF-8 program's"
		else
			fail "$enc: schedule.csv differs from the UTF-8 program's"
			diff "$tmp/utf8/schedule.csv" "$tmp/gbk-$enc-out/schedule.csv" | head
		fi
	fi
done
# ...and the GBK rosters without encoding = are refused with the fix
g=$tmp/gbk-undeclared
mkdir -p "$g"
cp "$prog/vdsched.ini" "$prog/holidays.ini" "$tmp/gbk-gbk/卫生室.csv" "$tmp/gbk-gbk/村医.csv" "$g/"
"$VDSCHED" --plugin-dir "$PLUGDIR" -c "$g/vdsched.ini" check >/dev/null 2>"$tmp/undeclared.err"
rc=$?
if [ $rc -eq 2 ] && grep -q '卫生室.csv:1: error: the file is not UTF-8; it looks like GBK' "$tmp/undeclared.err"; then
	pass "GBK without encoding =: exit 2 naming the fix"
else
	fail "GBK without encoding =: exit $rc: $(cat "$tmp/undeclared.err")"
fi

# every table for people opens by double-click in Chinese Excel and WPS:
# UTF-8 with the BOM Excel writes for "CSV UTF-8", CRLF lines; state/ is
# not for people and has no BOM.  A re-plan after one doctor leaves gives
# changes.csv.
r=$tmp/replan-src
mkdir -p "$r"
cp "$prog"/* "$r/"
sed -i '/^d03,/d' "$r/村医.csv"
"$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$r/vdsched.ini" -o "$tmp/utf8-re" --previous "$tmp/utf8" plan \
	>/dev/null 2>"$tmp/re.err" || true
if [ ! -f "$tmp/utf8-re/changes.csv" ]; then
	fail "re-plan wrote no changes.csv: $(head -3 "$tmp/re.err")"
elif "$PY" - "$tmp/utf8" "$tmp/utf8-re" <<'PYEOF'
import glob, os, sys
bad = []
for out in sys.argv[1:]:
    for path in sorted(glob.glob(os.path.join(out, "*.csv"))):
        b = open(path, "rb").read()
        name = os.path.relpath(path, os.path.dirname(out))
        if not b.startswith(b"\xef\xbb\xbf"):
            bad.append(name + ": no UTF-8 byte-order mark")
        if b.count(b"\n") != b.count(b"\r\n") or not b.endswith(b"\r\n"):
            bad.append(name + ": lines not all CRLF")
        b[3:].decode("utf-8")
    for path in glob.glob(os.path.join(out, "state", "*")):
        if open(path, "rb").read(3) == b"\xef\xbb\xbf":
            bad.append(os.path.relpath(path, out) + ": a state file with a BOM")
if not os.path.isfile(os.path.join(sys.argv[2], "changes.csv")):
    bad.append("no changes.csv")
for x in bad:
    print("  " + x)
sys.exit(1 if bad else 0)
PYEOF
then
	pass "every CSV (changes.csv too) is UTF-8 with BOM and CRLF; state/ has no BOM; the re-plan read the previous plan back"
else
	fail "CSV files are not as Excel writes CSV UTF-8"
fi

# ranges typed with a dash between slash or Chinese dates, as offices
# also type them, mean the same as with ～
h=$tmp/dashed
mkdir -p "$h"
cp "$prog"/* "$h/"
sed -i 's|2026/5/11～2026/5/13|2026/5/11-2026/5/13|' "$h/村医.csv"
sed -i 's|2026/5/20～2026/5/21|2026年5月20日-2026年5月21日|' "$h/vdsched.ini"
if grep -q '2026/5/11-2026/5/13' "$h/村医.csv" && grep -q '2026年5月20日-2026年5月21日' "$h/vdsched.ini" &&
   plan dashed-out "$h" && cmp -s "$tmp/utf8/schedule.csv" "$tmp/dashed-out/schedule.csv"; then
	pass "A-B ranges (2026/5/11-2026/5/13, 2026年5月20日-2026年5月21日) read as A～B"
else
	fail "A-B ranges are not read as A～B"
fi

if [ $failures -ne 0 ]; then
	echo "office: $failures failure(s)"
	exit 1
fi
echo "office: all passed"

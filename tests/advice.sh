#!/usr/bin/env bash
# advice.sh -- the report's advice works when followed.
#
# For etc/tiny (township sections of its own), the same program without
# them (townships known only from clinics.csv, [townships] cover = 1), and
# the latter with a clinic that has no doctors: plan, read the cover
# advice of report.txt's "earliest possible finish" line, apply it to the
# program exactly as it says, then `vdsched check` must pass and the new
# plan's report must give an earliest possible finish on or before the day
# promised.  The advice for a township without a section must not be to
# add one (that makes check fail for every other township), and a
# township whose cover a clinic without doctors partly takes says so.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN.  Exit 0 pass, 1 fail.
set -u
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset VDSCHED_PLUGIN_DIR

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || echo python3)

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-advice.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

V() { "$VDSCHED" -q --plugin-dir "$PLUGDIR" "$@"; }

# the programs
mkdir -p sections implicit empty
for d in sections implicit empty; do
	cp "$srcdir/etc/tiny/vdsched.ini" "$srcdir/etc/tiny/clinics.csv" "$srcdir/etc/tiny/doctors.csv" "$d/"
	sed -i 's|^holidays *=.*|holidays = '"$srcdir"'/etc/holidays/cn-2026.ini|' "$d/vdsched.ini"
done
for d in implicit empty; do
	# no [township] sections: the clinics name their townships; cover 1 for all
	"$PY" - "$d/vdsched.ini" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?m)^\[township [^\]]*\][^\[]*", "", s)
s += "\n[townships]\ncover = 1\n"
open(p, "w", encoding="utf-8").write(s)
EOF
done
# a clinic with no doctors on the roster takes cover every day
printf 'hp-04,无人村卫生室,heping,23.640,106.850,1\n' >>empty/clinics.csv
sed -i 's/^\[townships\]$/[townships]/; s/^cover = 1$/cover = 2/' empty/vdsched.ini

# advice REPORT: the promise of the cover advice as "KIND ARG COVER DATE"
advice() {
	"$PY" - "$1" <<'EOF'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"raising \[township (\S+)\] cover to (\d+) would allow (\d{4}-\d\d-\d\d)", t)
if m:
    print("section", m.group(1), m.group(2), m.group(3))
    sys.exit(0)
m = re.search(r"raising \[townships\] cover \(every township's\) to (\d+) would allow (\d{4}-\d\d-\d\d)", t)
if m:
    print("townships", "-", m.group(1), m.group(2))
    sys.exit(0)
print("none - - -")
EOF
}

# apply INI KIND ARG COVER: set the cover the advice names
apply() {
	"$PY" - "$@" <<'EOF'
import re, sys
ini, kind, arg, cover = sys.argv[1:5]
s = open(ini, encoding="utf-8").read()
head = "[township %s]" % arg if kind == "section" else "[townships]"
i = s.index(head)
j = s.find("\n[", i + 1)
j = len(s) if j < 0 else j
sec = re.sub(r"(?m)^cover\s*=.*$", "cover = " + cover, s[i:j])
if "cover =" not in sec:
    sec = sec.rstrip("\n") + "\ncover = %s\n" % cover
open(ini, "w", encoding="utf-8").write(s[:i] + sec + s[j:])
EOF
}

finish() {   # finish REPORT: the earliest possible finish it gives
	sed -n 's/^earliest possible finish: \([0-9-]*\) .*/\1/p' "$1" | head -1
}

for d in sections implicit empty; do
	V -c "$d/vdsched.ini" -o "out-$d" plan >/dev/null 2>"$d.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		fail "$d: plan exited $rc: $(head -2 "$d.err")"
		continue
	fi
	line=$(grep '^earliest possible finish' "out-$d/report.txt")
	read -r kind arg cover date <<<"$(advice "out-$d/report.txt")"
	if [ "$kind" = none ]; then
		fail "$d: no cover advice in: $line"
		continue
	fi
	case $d:$kind in
	sections:section | implicit:townships | empty:townships) pass "$d: advice: ${line#*(}" ;;
	*) fail "$d: advice of the wrong kind ($kind): $line" ;;
	esac
	grep -q 'adding \[township' "out-$d/report.txt" && fail "$d: advises adding a [township] section"
	if [ $d = empty ]; then
		echo "$line" | grep -q 'cover = 2, 1 of it taken every day by clinics with no doctor' &&
			pass "empty: says a clinic without doctors takes 1 of cover = 2" ||
			fail "empty: does not say what the clinic without doctors takes: $line"
	fi
	cp -R "$d" "$d-fixed"
	apply "$d-fixed/vdsched.ini" "$kind" "$arg" "$cover"
	if V -c "$d-fixed/vdsched.ini" check >"$d-check.out" 2>&1; then
		pass "$d: the program with the advice applied passes check"
	else
		fail "$d: with the advice applied, check fails: $(head -3 "$d-check.out")"
		continue
	fi
	V -c "$d-fixed/vdsched.ini" -o "out-$d-fixed" plan >/dev/null 2>&1
	got=$(finish "out-$d-fixed/report.txt")
	last=$(sed -n 's/^最后培训日 last day *\([0-9-]*\) .*/\1/p' "out-$d-fixed/report.txt")
	if [ -n "$got" ] && [[ ! "$got" > "$date" ]]; then
		pass "$d: promised $date, now the earliest possible finish is $got (the plan's last day $last)"
	else
		fail "$d: promised $date, but the earliest possible finish is now ${got:-?}"
	fi
done

echo "advice: $failures failures"
[ $failures -eq 0 ]

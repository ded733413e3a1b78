#!/usr/bin/env bash
# e2e.sh -- end-to-end test of the vdsched program against its manual pages.
#
# Environment (set by `make check`, see AM_TESTS_ENVIRONMENT):
#   VDSCHED                  the vdsched binary
#   VDSCHED_TEST_PLUGIN_DIR  folder with tcm.so pediatrics.so dental.so
#   top_srcdir               the source tree (etc/, tests/)
#   PYTHON3_DEBIAN           python3 to run the checkers (empty: python3)
#
# For each shipped example program (etc/tiny, etc/tianyang): `check` passes,
# `plan` succeeds (exit 0, or 3 with rows in unscheduled.csv),
# tests/check_plan.py finds no broken hard constraint, every scheduled doctor
# and used site has a calendar, two runs with SOURCE_DATE_EPOCH give
# byte-identical folders, and tests/ics-validate.sh (if present) accepts the
# calendars.  Then the command-line contract: --version, unknown command,
# missing config, `plugins`, and an invalid program (exit 2, FILE:LINE:
# error: naming the bad value, output folder untouched).
#
# Exit 0 pass, 1 fail, 77 skip (automake).
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || true)

if [ ! -x "$VDSCHED" ]; then
	echo "e2e: $VDSCHED is not built; skipped"
	exit 77
fi
if [ -z "$PY" ]; then
	echo "e2e: no python3; skipped"
	exit 77
fi
for p in tcm pediatrics dental; do
	if [ ! -f "$PLUGDIR/$p.so" ]; then
		echo "e2e: $PLUGDIR/$p.so missing; skipped"
		exit 77
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-e2e.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1      # anything written to ./ lands in the temp folder

failures=0
checks=0
skips=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
skip() { echo "skip: $*"; skips=$((skips + 1)); }

# run NAME CMD...: run a command, keep stdout/stderr/exit in $tmp/NAME.{out,err,rc}
run() {
	local name=$1
	shift
	checks=$((checks + 1))
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}
rc_of() { cat "$tmp/$1.rc"; }
show() {
	echo "  \$ ${*:2}"
	sed -n '1,30p' "$tmp/$1.err" | sed 's/^/  stderr: /'
	sed -n '1,10p' "$tmp/$1.out" | sed 's/^/  stdout: /'
}
data_rows() {   # rows after the header of a CSV file (0 if missing)
	[ -f "$1" ] || { echo 0; return; }
	"$PY" -c 'import csv,sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    print(max(0, sum(1 for r in csv.reader(f) if r) - 1))' "$1"
}

# --------------------------------------------------- example programs ----
programs=0
for ex in tiny tianyang; do
	ini="$srcdir/etc/$ex/vdsched.ini"
	if [ ! -f "$ini" ]; then
		skip "$ex: $ini does not exist"
		continue
	fi
	programs=$((programs + 1))
	out="$tmp/$ex-out"

	run "$ex-check" "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$ini" check
	if [ "$(rc_of "$ex-check")" -eq 0 ]; then
		pass "$ex: vdsched check exits 0"
	else
		fail "$ex: vdsched check exits $(rc_of "$ex-check")"
		show "$ex-check" vdsched -c "$ini" check
	fi

	run "$ex-plan" "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$ini" -o "$out" plan
	rc=$(rc_of "$ex-plan")
	nun=$(data_rows "$out/unscheduled.csv")
	case $rc in
	0)
		if [ "$nun" -eq 0 ]; then
			pass "$ex: plan exits 0, nothing unscheduled"
		else
			fail "$ex: plan exits 0 but unscheduled.csv has $nun rows (vdsched(1): exit 3)"
		fi ;;
	3)
		if [ "$nun" -gt 0 ]; then
			pass "$ex: plan exits 3 with $nun unscheduled pairs"
		else
			fail "$ex: plan exits 3 but unscheduled.csv has no rows"
		fi ;;
	*)
		fail "$ex: plan exits $rc"
		show "$ex-plan" vdsched -c "$ini" -o "$out" plan
		continue ;;
	esac
	for f in schedule.csv sessions.csv cover.csv unscheduled.csv report.txt; do
		[ -f "$out/$f" ] || fail "$ex: $f not written"
	done

	# hard constraints, recomputed independently
	checks=$((checks + 1))
	"$PY" "$here/check_plan.py" --shipped-facts "$ini" >"$tmp/$ex-facts.json" ||
		fail "$ex: check_plan.py --shipped-facts failed"
	if "$PY" "$here/check_plan.py" "$ini" "$out" "$tmp/$ex-facts.json" >"$tmp/$ex-checkplan.out" 2>&1; then
		pass "$ex: check_plan.py: $(tail -n1 "$tmp/$ex-checkplan.out")"
		grep '^WARNING' "$tmp/$ex-checkplan.out" | sed -n '1,10p' | sed 's/^/  /'
	else
		fail "$ex: check_plan.py found violations:"
		grep -v '^WARNING' "$tmp/$ex-checkplan.out" | sed -n '1,40p' | sed 's/^/  /'
	fi

	# every scheduled doctor and every used site has a calendar
	checks=$((checks + 1))
	missing=$("$PY" - "$out" <<'EOF'
import csv, os, sys
out = sys.argv[1]
miss = []
with open(os.path.join(out, "schedule.csv"), encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
for kind, col in (("doctors", "doctor_id"), ("sites", "site_id")):
    for i in sorted(set(r[col] for r in rows)):
        p = os.path.join(out, "ics", kind, i + ".ics")
        if not os.path.isfile(p):
            miss.append("ics/%s/%s.ics" % (kind, i))
print(" ".join(miss[:20]))
EOF
)
	if [ -z "$missing" ]; then
		pass "$ex: a calendar for every scheduled doctor and used site"
	else
		fail "$ex: calendars missing: $missing"
	fi

	# reproducible: same inputs, seed and SOURCE_DATE_EPOCH -> same bytes
	run "$ex-r1" env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$ini" -o "$tmp/$ex-r1" plan
	run "$ex-r2" env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$ini" -o "$tmp/$ex-r2" plan
	if [ "$(rc_of "$ex-r1")" -ne "$rc" ] || [ "$(rc_of "$ex-r2")" -ne "$rc" ]; then
		fail "$ex: repeated plans exit $(rc_of "$ex-r1") and $(rc_of "$ex-r2"), first one $rc"
	elif diff -r "$tmp/$ex-r1" "$tmp/$ex-r2" >"$tmp/$ex-diff" 2>&1; then
		pass "$ex: two plans with SOURCE_DATE_EPOCH are byte-identical"
	else
		fail "$ex: two plans with SOURCE_DATE_EPOCH differ:"
		sed -n '1,20p' "$tmp/$ex-diff" | sed 's/^/  /'
	fi

	# calendars valid for the parsers phones and desktop clients use
	if [ -f "$srcdir/tests/ics-validate.sh" ]; then
		checks=$((checks + 1))
		bash "$srcdir/tests/ics-validate.sh" --sessions "$out/sessions.csv" "$out/ics" >"$tmp/$ex-ics.out" 2>&1
		irc=$?
		case $irc in
		0) pass "$ex: ics-validate.sh accepts the calendars" ;;
		77) skip "$ex: ics-validate.sh skipped: $(tail -n1 "$tmp/$ex-ics.out")" ;;
		*) fail "$ex: ics-validate.sh exits $irc:"
		   sed -n '1,30p' "$tmp/$ex-ics.out" | sed 's/^/  /' ;;
		esac
	else
		skip "$ex: tests/ics-validate.sh not present"
	fi
done

# ------------------------------------------------- command-line contract ----
run version "$VDSCHED" --version
if [ "$(rc_of version)" -eq 0 ] && [ -s "$tmp/version.out" ]; then
	pass "--version: $(head -n1 "$tmp/version.out")"
else
	fail "--version exits $(rc_of version) (stdout $(wc -c <"$tmp/version.out") bytes)"
fi

run unknown "$VDSCHED" --plugin-dir "$PLUGDIR" frobnicate
if [ "$(rc_of unknown)" -eq 1 ] && [ -s "$tmp/unknown.err" ]; then
	pass "unknown command exits 1: $(head -n1 "$tmp/unknown.err")"
else
	fail "unknown command exits $(rc_of unknown) (want 1 and a message on stderr)"
fi

run noconfig "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$tmp/no/such/vdsched.ini" check
case $(rc_of noconfig) in
1|2)
	if [ -s "$tmp/noconfig.err" ]; then
		pass "missing config exits $(rc_of noconfig): $(head -n1 "$tmp/noconfig.err")"
	else
		fail "missing config: no message on stderr"
	fi ;;
*) fail "missing config exits $(rc_of noconfig) (want 1 or 2)" ;;
esac

run plugins "$VDSCHED" plugins --plugin-dir "$PLUGDIR"
if [ "$(rc_of plugins)" -ne 0 ]; then
	fail "vdsched plugins --plugin-dir exits $(rc_of plugins)"
	show plugins vdsched plugins --plugin-dir "$PLUGDIR"
else
	for p in tcm pediatrics dental; do
		if grep -qw "$p" "$tmp/plugins.out"; then
			pass "plugins lists $p"
		else
			fail "plugins does not list $p:"
			sed 's/^/  /' "$tmp/plugins.out"
		fi
	done
fi

# An invalid program: exit 2, FILE:LINE: error: naming the value, and the
# existing output folder left exactly as it was.
if [ -f "$srcdir/etc/tiny/vdsched.ini" ]; then
	mkdir -p "$tmp/bad/etc"
	cp -R "$srcdir/etc/tiny" "$tmp/bad/etc/tiny"
	[ -d "$srcdir/etc/holidays" ] && cp -R "$srcdir/etc/holidays" "$tmp/bad/etc/holidays"
	chmod -R u+w "$tmp/bad"
	badini="$tmp/bad/etc/tiny/vdsched.ini"
	badout="$tmp/bad/out"
	# a previous good plan in the output folder (or a sentinel if that fails)
	"$VDSCHED" --plugin-dir "$PLUGDIR" -c "$badini" -o "$badout" plan >/dev/null 2>&1
	mkdir -p "$badout"
	echo "previous plan" >"$badout/sentinel.txt"
	cp -R "$badout" "$tmp/bad/out.before"
	sed -i 's/^start\([[:space:]]*\)=.*/start\1= 2026-02-30/' "$badini"
	if ! grep -q '2026-02-30' "$badini"; then
		fail "could not break the copy of etc/tiny/vdsched.ini"
	else
		line=$(grep -n '2026-02-30' "$badini" | head -n1 | cut -d: -f1)
		for cmd in plan check; do
			run "bad-$cmd" "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$badini" -o "$badout" $cmd
			brc=$(rc_of "bad-$cmd")
			if [ "$brc" -eq 2 ]; then
				pass "bad start date: $cmd exits 2"
			else
				fail "bad start date: $cmd exits $brc (want 2)"
			fi
			if grep -E ":[0-9]+: error: .*2026-02-30" "$tmp/bad-$cmd.err" >/dev/null; then
				pass "bad start date: $cmd says $(grep -m1 -E ':[0-9]+: error: .*2026-02-30' "$tmp/bad-$cmd.err")"
				grep -qE "vdsched\.ini:$line: error: " "$tmp/bad-$cmd.err" ||
					fail "bad start date: $cmd names not vdsched.ini:$line"
			else
				fail "bad start date: $cmd has no 'FILE:LINE: error: ... 2026-02-30' on stderr"
				show "bad-$cmd" vdsched -c "$badini" $cmd
			fi
		done
		checks=$((checks + 1))
		if diff -r "$tmp/bad/out.before" "$badout" >"$tmp/bad.diff" 2>&1; then
			pass "bad start date: the output folder is untouched"
		else
			fail "bad start date: the output folder changed:"
			sed -n '1,20p' "$tmp/bad.diff" | sed 's/^/  /'
		fi
	fi
else
	skip "invalid-program test: etc/tiny/vdsched.ini does not exist"
fi

echo "e2e: $programs example program(s), $checks checks, $failures failure(s), $skips skipped part(s)"
[ "$failures" -eq 0 ] || exit 1
exit 0

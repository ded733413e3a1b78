#!/bin/sh
# replan-exact.sh -- a re-plan moves no more pairs than it must: on small
# random programs (tests/exact_model.py) and an edit each (a doctor leaves,
# a doctor is unavailable for a week), vdsched's re-plan from its own first
# plan places every pair and moves at most as many as the exact minimum,
# solved by CBC on the same constraints.
#
#   REPLAN_EXACT_CASES="1:leave 5:unavailable" tests/replan-exact.sh
set -u
srcdir=${top_srcdir:-${srcdir:-.}}
builddir=${top_builddir:-.}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGINS=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3:-python3}
CBC=${CBC:-cbc}
# the cases where the edit leaves a plan that schedules every pair
CASES=${REPLAN_EXACT_CASES:-"1:leave 1:unavailable 2:leave 2:unavailable 5:unavailable"}
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C

command -v "$CBC" >/dev/null || { echo "replan-exact.sh: $CBC not found (apt-get install coinor-cbc)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vd-rexact.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

V() { "$VDSCHED" --plugin-dir "$PLUGINS" -q "$@" plan >/dev/null 2>"$tmp/err"; }
fail=0 n=0
for case in $CASES; do
	seed=${case%%:*} edit=${case#*:} d=$tmp/$seed-$edit
	"$PY" "$srcdir/tests/exact_model.py" gen "$seed" "$d/a" >/dev/null || { echo "FAIL: $case: generator"; fail=1; continue; }
	"$PY" "$srcdir/tests/exact_model.py" edit "$seed" "$edit" "$d/b"
	V -c "$d/a/vdsched.ini" -o "$d/p0" || { echo "FAIL: $case: first plan"; cat "$tmp/err"; fail=1; continue; }
	V -c "$d/b/vdsched.ini" -o "$d/p1" --previous "$d/p0"
	rc=$?
	if [ $rc != 0 ]; then echo "FAIL: $case: re-plan exited $rc"; cat "$tmp/err"; fail=1; continue; fi
	moved=$(grep -c ',moved,' "$d/p1/changes.csv")
	uns=$(tail -n +2 "$d/p1/unscheduled.csv" | grep -c .)
	"$PY" "$srcdir/tests/exact_model.py" replan-lp "$seed" "$edit" "$d/b" "$d/p0"
	timeout 120 "$CBC" "$d/b/moves.lp" sec 60 solve solu "$d/sol" >/dev/null 2>&1
	min=$("$PY" "$srcdir/tests/exact_model.py" moves "$d/b" "$d/sol")
	case $min in
	''|*[!0-9]*) echo "FAIL: $case: CBC found no minimum ($min)"; fail=1; continue;;
	esac
	n=$((n + 1))
	if [ "$uns" != 0 ] || [ "$moved" -gt "$min" ]; then
		echo "FAIL: $case: moved $moved, unscheduled $uns; the exact minimum moves $min and places all"
		grep ',moved,' "$d/p1/changes.csv" | cut -d, -f1,4,6,7 | sed 's/^/    /'
		fail=1
	else
		echo "ok: $case: moved $moved, the exact minimum $min, everyone placed"
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no case solved"; fail=1; }
exit $fail

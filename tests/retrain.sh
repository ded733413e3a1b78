#!/bin/sh
# retrain.sh -- the two-year rule (doctors.csv last_trained, [program]
# retrain_years): doctors whose deadline falls in the period are trained
# before it wherever that is possible, and report.txt lists exactly those
# who lapse.
#
# 1. Small random programs of tests/exact_model.py with a few deadlines:
#    where vdsched schedules every pair the exact model does, it lapses no
#    more doctors than CBC's minimum (the MILP of every hard rule, lapses
#    counted) -- "possible" decided exactly.
# 2. Programs of tests/gen_program.py, one doctor in ten due mid-period:
#    the plan with deadlines lapses no more of them than the same program
#    planned without last_trained, leaves no more pairs out, passes
#    tests/check_plan.py, and `check` warns (FILE:LINE) of the doctor due
#    before the start.
# In both, the report's list is the list recomputed from schedule.csv.
#
#   RETRAIN_EXACT_SEEDS="1 2" RETRAIN_GEN="tight:1 seats:2" tests/retrain.sh
set -u
srcdir=${top_srcdir:-${srcdir:-.}} builddir=${top_builddir:-.} PY=${PYTHON3:-python3} CBC=${CBC:-cbc}
VDSCHED=${VDSCHED:-$builddir/vdsched} PLUGINS=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
EXACT_SEEDS=${RETRAIN_EXACT_SEEDS:-"1 2 5 7 9 14 16 21 24 31"}
GEN=${RETRAIN_GEN:-"tight:1 tight:2 seats:3 seats:4 unavail:5 unavail:6 holidays:7 weekend:8"}
LIMIT=20     # CPU seconds CBC may take per program (wall: 6x, for busy machines)
export LC_ALL=C
unset LANGUAGE LANG

command -v "$CBC" >/dev/null || { echo "retrain.sh: $CBC not found (apt-get install coinor-cbc)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vd-retrain.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

plan() {   # plan PROGRAM.ini OUTDIR: 0 or 3, else said why
	"$VDSCHED" --plugin-dir "$PLUGINS" -q -c "$1" -o "$2" plan >/dev/null 2>"$2.err"
	rc=$?
	[ $rc = 0 ] || [ $rc = 3 ] || { echo "  FAIL: vdsched plan $1 exited $rc"; cat "$2.err"; return 1; }
}

# the report's list against schedule.csv; deadlines from $3's roster
same_list() {   # same_list NAME PROGRAM.ini OUTDIR [DEADLINES.ini]
	"$PY" "$srcdir/tests/retrain_check.py" late "$2" "$3" "${4:-$2}" >"$3.late" &&
	"$PY" "$srcdir/tests/retrain_check.py" reported "$3" >"$3.listed" || return 1
	if ! cmp -s "$3.late" "$3.listed"; then
		echo "  FAIL $1: report.txt lists $(tr '\n' ' ' <"$3.listed")but schedule.csv lapses $(tr '\n' ' ' <"$3.late")"
		return 1
	fi
}

echo "exact programs: lapses against CBC's minimum"
printf '%-5s %6s %6s %8s %8s\n' seed pairs placed minimum vdsched
for s in $EXACT_SEEDS; do
	d=$tmp/exact-$s
	"$PY" "$srcdir/tests/exact_model.py" deadline "$s" "$d" || { echo "  FAIL: generator, seed $s"; fail=1; continue; }
	plan "$d/vdsched.ini" "$d/out" || { fail=1; continue; }
	(cd "$d" && timeout $((LIMIT * 6)) "$CBC" lapses.lp sec "$LIMIT" solve solu sol.txt >cbc.log 2>&1)
	opt=$("$PY" "$srcdir/tests/exact_model.py" lapses "$d" "$d/sol.txt")
	pairs=$(cat "$d/pairs")
	placed=$(sed -n 's/^.*scheduled *\([0-9]*\)$/\1/p' "$d/out/report.txt" | head -n1)
	got=$(sed -n 's/^  将逾期 will lapse *\([0-9]*\)$/\1/p' "$d/out/report.txt")
	printf '%-5s %6s %6s %8s %8s\n' "$s" "$pairs" "$placed" "$opt" "${got:--}"
	same_list "exact $s" "$d/vdsched.ini" "$d/out" || fail=1
	case $opt in [0-9]*) ;; *) continue ;; esac
	if [ "$placed" = "$pairs" ] && [ "${got:-x}" != "$opt" ]; then
		echo "  FAIL seed $s: vdsched lapses ${got:-?} doctor(s), the minimum is $opt"
		sed -n '/^两年/,/^$/p' "$d/out/report.txt"
		fail=1
	fi
done

echo "generated programs: with deadlines against without"
printf '%-12s %7s %8s %8s %7s %7s\n' program doctors due without with unsched
for kc in $GEN; do
	kind=${kc%%:*} s=${kc#*:}
	d=$tmp/$kind-$s n=$tmp/$kind-$s-none
	"$PY" "$srcdir/tests/gen_program.py" "$s" "$d" --kind "$kind" >/dev/null || { echo "  FAIL: gen_program $kc"; fail=1; continue; }
	cp -r "$d" "$n"
	early=$("$PY" "$srcdir/tests/retrain_check.py" add "$d/vdsched.ini" "$s") || { fail=1; continue; }
	plan "$d/vdsched.ini" "$d/out" && plan "$n/vdsched.ini" "$n/out" || { fail=1; continue; }
	"$PY" "$srcdir/tests/check_plan.py" "$d/vdsched.ini" "$d/out" "$d/facts.json" >"$d/check.log" 2>&1 ||
		{ echo "  FAIL $kc: check_plan.py"; cat "$d/check.log"; fail=1; }
	same_list "$kc" "$d/vdsched.ini" "$d/out" || fail=1
	"$PY" "$srcdir/tests/retrain_check.py" late "$n/vdsched.ini" "$n/out" "$d/vdsched.ini" >"$n/late"
	due=$(sed -n 's/^  培训期内到期 due in the period *\([0-9]*\) .*/\1/p' "$d/out/report.txt")
	with=$(wc -l <"$d/out.late") without=$(wc -l <"$n/late")
	u1=$(sed -n 's/^.*unscheduled *\([0-9]*\)$/\1/p' "$d/out/report.txt")
	u0=$(sed -n 's/^.*unscheduled *\([0-9]*\)$/\1/p' "$n/out/report.txt")
	printf '%-12s %7s %8s %8s %7s %7s\n' "$kc" "$(($(wc -l <"$d/doctors.csv") - 1))" "${due:--}" \
		"$without" "$with" "$u0/$u1"
	[ "$with" -le "$without" ] || { echo "  FAIL $kc: $with lapse with deadlines, $without without"; fail=1; }
	[ "$u1" -le "$u0" ] || { echo "  FAIL $kc: $u1 pairs unscheduled with deadlines, $u0 without"; fail=1; }
	line=$(grep -n "^$early," "$d/doctors.csv" | cut -d: -f1)
	"$VDSCHED" --plugin-dir "$PLUGINS" -c "$d/vdsched.ini" check >/dev/null 2>"$d/check.err"
	grep -q "doctors.csv:$line: warning: doctor $early, last trained .* before the program starts" "$d/check.err" ||
		{ echo "  FAIL $kc: check did not warn of $early (line $line) due before the start"; cat "$d/check.err"; fail=1; }
done

# a roster without last_trained: no section, and retrain_years alone changes nothing
d=$tmp/tiny
cp -r "$srcdir/etc/tiny" "$d" && cp -r "$srcdir/etc/holidays" "$tmp/holidays"
plan "$d/vdsched.ini" "$d/a" || fail=1
sed 's/^cohort_max = 10$/cohort_max = 10\nretrain_years = 3/' "$srcdir/etc/tiny/vdsched.ini" >"$d/vdsched.ini"
plan "$d/vdsched.ini" "$d/b" || fail=1
if grep -q '两年' "$d/a/report.txt" || ! cmp -s "$d/a/schedule.csv" "$d/b/schedule.csv"; then
	echo "  FAIL: a roster without last_trained changed the plan or the report"; fail=1
fi

[ $fail = 0 ] && echo "retrain.sh: ok"
exit $fail

#!/bin/sh
# exact-bound.sh -- the report's "earliest possible finish" is a true lower
# bound: on small random programs (tests/exact_model.py) it never exceeds
# the exact minimum last day, solved by CBC from a time-indexed MILP.
# Also checks the model itself against the planner: a plan that schedules
# every pair the model does can never finish before the model's optimum,
# and never schedules a pair the model calls impossible.  And the same for
# the report's bound within the travel budget, on programs whose nearest
# site has few seats.
#
#   EXACT_SEEDS="1 2 3" tests/exact-bound.sh   (default: 13 seeds that CBC
#   solves in seconds; any seeds work)
set -u
srcdir=${top_srcdir:-${srcdir:-.}}
builddir=${top_builddir:-.}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGINS=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3:-python3}
CBC=${CBC:-cbc}
SEEDS=${EXACT_SEEDS:-"1 2 3 4 5 7 9 12 21 23 24 27 30"}
LIMIT=${EXACT_LIMIT:-20}     # CPU seconds CBC may take per program (wall: 6x, for busy machines)

command -v "$CBC" >/dev/null || { echo "exact-bound.sh: $CBC not found (apt-get install coinor-cbc)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vd-exact.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# plan_seed SEED DIR [BUDGET]: the program of a seed (exact_model.py gen),
# planned into DIR/out; 1 (said why) if either fails
plan_seed() {
	"$PY" "$srcdir/tests/exact_model.py" gen "$@" || { echo "seed $1: generator failed"; return 1; }
	LC_ALL=C "$VDSCHED" --plugin-dir "$PLUGINS" -q -c "$2/vdsched.ini" -o "$2/out" plan >/dev/null 2>"$2/err"
	rc=$?
	if [ $rc != 0 ] && [ $rc != 3 ]; then
		echo "seed $1: vdsched exited $rc"; cat "$2/err"; return 1
	fi
}

fail=0 solved=0 total=0 tight=0
printf '%-5s %7s %5s %8s %11s %11s %11s %s\n' seed doctors pairs courses bound optimum vdsched binds
for s in $SEEDS; do
	d=$tmp/$s
	total=$((total + 1))
	plan_seed "$s" "$d" || { fail=1; continue; }
	rep=$d/out/report.txt
	bound=$(sed -n 's/^earliest possible finish: \([0-9-]*\) .*/\1/p' "$rep")
	grep -q '^earliest possible finish: after the end' "$rep" && bound=after
	binds=$(sed -n 's/^earliest possible finish: [^(]* (\(the courses\|[a-z]*\) .*/\1/p' "$rep" | tr ' ' _)
	last=$(sed -n 's/^.*last day *\([0-9-]*\) .*/\1/p' "$rep")
	sched=$(sed -n 's/^.*scheduled *\([0-9]*\)$/\1/p' "$rep" | head -n1)
	pairs=$(cat "$d/pairs")
	ndoc=$(($(wc -l <"$d/doctors.csv") - 1))
	courses=$(sed -n 's/^load = //p' "$d/vdsched.ini" | tr ' ' ,)
	(cd "$d" && timeout $((LIMIT * 6)) "$CBC" model.lp sec "$LIMIT" solve solu sol.txt >cbc.log 2>&1)
	opt=$("$PY" "$srcdir/tests/exact_model.py" opt "$d" "$d/sol.txt")
	printf '%-5s %7s %5s %8s %11s %11s %11s %s\n' "$s" "$ndoc" "$pairs" "$courses" \
		"${bound:--}" "$opt" "${last:--}" "${binds:--}"
	if [ -z "$bound" ] && [ "$pairs" != 0 ]; then
		echo "  FAIL: no bound in the report"; sed -n '/objective/,/cover used/p' "$rep"; fail=1
	fi
	if [ "$sched" -gt "$pairs" ]; then
		echo "  FAIL: vdsched scheduled $sched pairs, the model thinks only $pairs can be"; fail=1
	fi
	# a plan that schedules every pair finishes on or after the bound
	if [ "$sched" = "$pairs" ] && [ -n "$last" ] && { [ "$bound" = after ] || [ "$last" \< "$bound" ]; }; then
		echo "  FAIL: vdsched schedules every pair by $last, before the bound $bound"; fail=1
	fi
	case $opt in
	infeasible) solved=$((solved + 1)); continue;;   # no plan: any bound holds
	none) continue;;
	esac
	solved=$((solved + 1))
	if [ -n "$bound" ] && { [ "$bound" = after ] || [ "$bound" \> "$opt" ]; }; then
		echo "  FAIL: bound $bound is after the optimum $opt"; fail=1
	fi
	[ "$bound" = "$opt" ] && tight=$((tight + 1))
	if [ "$sched" = "$pairs" ] && [ -n "$last" ] && [ "$last" \< "$opt" ]; then
		echo "  FAIL: vdsched finishes $last, before the model's optimum $opt: the model is wrong"; fail=1
	fi
done
echo "solved $solved of $total exactly; bound = optimum on $tight"

# Seats against travel: the report's "within travel_budget" line is a true
# bound too.  These programs have seats scarce at the site nearer most
# clinics (exact_model.py gen SEED DIR 0) and travel_budget = 0%; the
# model keeps to the same budget.  "cannot train everyone" must mean no
# plan within the budget exists; "no finish before D" that none ends
# before D.
TSEEDS=${EXACT_TRAVEL_SEEDS:-"13 66 89 92 109 146"}
tsolved=0 ttotal=0
printf '%-5s %5s %14s %11s\n' seed pairs travel-bound optimum
for s in $TSEEDS; do
	d=$tmp/t$s
	ttotal=$((ttotal + 1))
	plan_seed "$s" "$d" 0 || { fail=1; continue; }
	rep=$d/out/report.txt
	tb=$(sed -n 's/^within travel_budget .*no finish before \([0-9-]*\),.*/\1/p' "$rep")
	grep -q '^within travel_budget .*cannot train everyone' "$rep" && tb=never
	(cd "$d" && timeout $((LIMIT * 6)) "$CBC" model.lp sec "$LIMIT" solve solu sol.txt >cbc.log 2>&1)
	opt=$("$PY" "$srcdir/tests/exact_model.py" opt "$d" "$d/sol.txt")
	printf '%-5s %5s %14s %11s\n' "$s" "$(cat "$d/pairs")" "${tb:--}" "$opt"
	[ "$opt" = none ] && continue
	tsolved=$((tsolved + 1))
	[ "$opt" = infeasible ] && continue
	if [ "$tb" = never ] || { [ -n "$tb" ] && [ "$tb" \> "$opt" ]; }; then
		echo "  FAIL: within the budget the report says no finish before $tb, the optimum is $opt"; fail=1
	fi
done
echo "travel: solved $tsolved of $ttotal exactly"
if [ "$tsolved" -lt $(( (ttotal + 1) / 2 )) ]; then
	echo "FAIL: CBC solved fewer than half the travel programs in ${LIMIT}s"; fail=1
fi
# a test that solves nothing tests nothing
if [ "$solved" -lt $(( (total + 1) / 2 )) ]; then
	echo "FAIL: CBC solved fewer than half the programs in ${LIMIT}s"; fail=1
fi
exit $fail

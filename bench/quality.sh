#!/usr/bin/env bash
# quality.sh -- how good are vdsched's plans?  (`make bench` runs it after
# run.sh; `make bench-quality` alone.)
#
#   VDSCHED=./vdsched PLUGIN_DIR=plugins/lib bench/quality.sh
#
# Environment:
#   VDSCHED, PLUGIN_DIR  as for run.sh
#   QUALITY_CASES        programs of the table (default: all, see below)
#   QUALITY_BUDGETS      travel budgets of the trade-off table
#                        (default "0% 2% 5% 10% 25%"; "none" skips it)
#   QUALITY_TRADEOFF     programs of the trade-off table
#                        (default "county-c2 tight300 city province")
#   QUALITY_EXACT        seeds of tests/exact_model.py to solve exactly with
#                        CBC (default "1 2 3 5 7 9 10 12"; "none" skips)
#   BENCH_TMPDIR         as for run.sh
#
# For each generated program it prints the last day, the coverage-aware
# lower bound of the report (bound.h), the gap in days and in % of the
# period, travel against the nearest-site bound, and wall time (province:
# without calendars).  It never fails on a figure (exit 0), only on a missing binary (exit 1).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
here=$(cd "$(dirname "$0")" && pwd)
VDSCHED=${VDSCHED:-$here/../vdsched}
PLUGIN_DIR=${PLUGIN_DIR:-$here/../plugins/lib}
PY=${PYTHON3:-python3}
CASES=${QUALITY_CASES:-"county county-c2 county-s3 tight300 small40 small80 city province"}
BUDGETS=${QUALITY_BUDGETS:-"0% 2% 5% 10% 25%"}
EXACT=${QUALITY_EXACT:-"1 2 3 5 7 9 10 12"}
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C

[ -x "$VDSCHED" ] || { echo "quality.sh: no vdsched binary at '$VDSCHED' (set VDSCHED)" >&2; exit 1; }
if [ -z "${BENCH_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMPDIR=/dev/shm; fi
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/vdsched-quality.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# gen CASE DIR -- the program of a case; prints the path of its vdsched.ini
gen() {
	local c=$1 d=$2 ini
	case $c in
	county)   "$PY" "$here/gen.py" county 1 "$d" >/dev/null;;          # cover 1-3
	county-c2) "$PY" "$here/gen.py" county 1 "$d" >/dev/null
	          sed -i 's/^cover = [0-9]*$/cover = 2/' "$d/vdsched.ini";;
	county-s3) "$PY" "$here/gen.py" county 3 "$d" >/dev/null          # hospital seats bind
	          sed -i 's/^cover = [0-9]*$/cover = 2/' "$d/vdsched.ini";;
	tight300) "$PY" "$here/gen.py" --doctors 300 county 1 "$d" >/dev/null
	          sed -i 's/^cover = [0-9]*$/cover = 1/; s/^end *= .*/end           = 2026-05-29/' "$d/vdsched.ini";;
	small40)  "$PY" "$here/gen.py" --doctors 40 county 1 "$d" >/dev/null
	          sed -i 's/^cover = [0-9]*$/cover = 1/' "$d/vdsched.ini";;
	small80)  "$PY" "$here/gen.py" --doctors 80 county 1 "$d" >/dev/null
	          sed -i 's/^cover = [0-9]*$/cover = 1/' "$d/vdsched.ini";;
	city)     "$PY" "$here/gen.py" city 1 "$d" >/dev/null;;
	province) "$PY" "$here/gen.py" province 1 "$d" >/dev/null
	          # 50,000 doctors' calendars would dominate the wall time
	          sed -i 's/^\[output\]$/[output]\ncalendars = none/' "$d/vdsched.ini";;
	*) echo "unknown case $c" >&2; return 1;;
	esac
	echo "$d/vdsched.ini"
}

# row NAME INI -- plan INI, print one row of the table
row() {
	local name=$1 ini=$2 out=$tmp/out
	rm -rf "$out"
	local t0 t1
	t0=$(date +%s%N)
	"$VDSCHED" --plugin-dir "$PLUGIN_DIR" -q -c "$ini" -o "$out" plan >/dev/null 2>"$tmp/err"
	local rc=$?
	t1=$(date +%s%N)
	if [ $rc != 0 ] && [ $rc != 3 ]; then
		echo "$name: vdsched exited $rc"; tail -n3 "$tmp/err"; return
	fi
	"$PY" - "$name" "$ini" "$out/report.txt" $(( (t1 - t0) / 1000000 )) <<'PY'
import re, sys, datetime as dt
name, ini, rep, ms = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
txt = open(rep, encoding="utf-8").read()
cfg = open(ini, encoding="utf-8").read()
D = dt.date.fromisoformat
start = D(re.search(r"^start\s*=\s*(\S+)", cfg, re.M).group(1))
end = D(re.search(r"^end\s*=\s*(\S+)", cfg, re.M).group(1))
g = lambda pat: re.search(pat, txt, re.M)
doctors = int(g(r"doctors\s+(\d+)").group(1))
uns = int(g(r"^\S*\s*unscheduled\s+(\d+)").group(1))
last = g(r"last day\s+(\S+)").group(1)
b = g(r"^earliest possible finish: (\S+) \((\w+)")
bound, binds = (b.group(1), b.group(2)) if b else ("-", "-")
if txt.find("earliest possible finish: after the end") >= 0:
    bound = "after-end"
tb = g(r"^within travel_budget .*no finish before (\S+),")
tb = tb.group(1) if tb else ("none" if g(r"^within travel_budget .*cannot train") else "-")
tr = g(r"travel km\s+([\d.]+)\s+>=\s*([\d.]+)")
ratio = float(tr.group(1)) / float(tr.group(2)) if float(tr.group(2)) > 0 else 1.0
H = (end - start).days + 1
try:
    gap = (D(last) - D(bound)).days
    gaps = "%+4d d %5.1f%%" % (gap, 100.0 * gap / H)
except ValueError:
    gaps = "%13s" % "-"
print("%-14s %7d %4d %10s %10s %-9s %s %10s  %6.3f %7.2f s" % (
    name, doctors, uns, last, bound, binds, gaps, tb, ratio, ms / 1000.0))
PY
}

echo "plan quality: $("$VDSCHED" --version 2>/dev/null | head -n1)"
echo "  bound = the report's earliest possible finish (coverage-aware lower bound)"
echo "  gap = last day - bound, in days and in % of the period; travel = km / nearest-site km"
echo "  in budget = the report's 'within travel_budget' day: no plan within the budget ends"
echo "    before it, as the nearest sites' seats bind ('-': they do not; 'none': not in the period)"
echo
printf '%-14s %7s %4s %10s %10s %-9s %13s %10s  %6s %9s\n' program doctors uns "last day" bound binds gap "in budget" travel wall
for c in $CASES; do
	ini=$(gen "$c" "$tmp/$c") || continue
	row "$c" "$ini"
done

if [ "$BUDGETS" != none ]; then
	echo
	echo "travel_budget trade-off ([program] travel_budget)"
	printf '%-14s %7s %4s %10s %10s %-9s %13s %10s  %6s %9s\n' program doctors uns "last day" bound binds gap "in budget" travel wall
	for c in ${QUALITY_TRADEOFF:-county-c2 tight300 city province}; do
		[ -d "$tmp/$c" ] || continue
		ini=$tmp/$c/vdsched.ini
		for b in $BUDGETS; do
			sed -i '/^travel_budget/d; s/^\[program\]$/[program]\ntravel_budget = '"$b"'/' "$ini"
			row "$c@$b" "$ini"
		done
		sed -i '/^travel_budget/d' "$ini"
	done
fi

if [ "$EXACT" != none ]; then
	echo
	echo "small programs against the exact optimum (tests/exact_model.py, CBC)"
	if command -v cbc >/dev/null; then
		top_srcdir="$here/.." VDSCHED="$VDSCHED" VDSCHED_TEST_PLUGIN_DIR="$PLUGIN_DIR" \
			EXACT_SEEDS="$EXACT" sh "$here/../tests/exact-bound.sh" | sed 's/^/  /'
	else
		echo "  cbc not installed (apt-get install coinor-cbc)"
	fi
fi
exit 0

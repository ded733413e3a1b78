#!/usr/bin/env bash
# run.sh -- vdsched benchmarks (`make bench`).
#
#   VDSCHED=./vdsched PLUGIN_DIR=plugins/lib bench/run.sh
#
# Environment:
#   VDSCHED        the vdsched binary (default: ../vdsched next to this script)
#   PLUGIN_DIR     folder with tcm.so, pediatrics.so, dental.so (default ../plugins/lib)
#   BENCH_ICS      optional iCalendar writer benchmark binary; run if executable
#   BENCH_SCALES   scales to run (default "county city province nation")
#   BENCH_DOUBLING doctor counts of the doubling test (default "2500 5000 10000 20000";
#                  "none" skips it)
#   BENCH_TIMEOUT  seconds allowed per vdsched run (default 0: no limit)
#   BENCH_KEEP     set to 1 to keep the temporary folder (its path is printed)
#   BENCH_TMPDIR   where inputs and outputs go (default $TMPDIR, else /tmp); the
#                  output is thousands of files, so the file system counts:
#                  compare BENCH_TMPDIR=/dev/shm (tmpfs) with a disk
#
# For each scale it generates a synthetic program with gen.py (timed apart,
# not counted), runs `vdsched -q plan` with SOURCE_DATE_EPOCH fixed, and
# prints wall time, peak RSS and the figures of report.txt.  Province and
# nation scale are many regional programs (see gen.py); their figures are
# summed (wall time, runs, pairs, travel) or maxed (peak RSS, last day).
# County and city are compared with the administrator's hand plan
# (baseline.py).  It prints figures and targets; it never fails on a missed
# target (exit 0), only on a missing binary or generator error (exit 1).

if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u

here=$(cd "$(dirname "$0")" && pwd)
VDSCHED=${VDSCHED:-$here/../vdsched}
PLUGIN_DIR=${PLUGIN_DIR:-$here/../plugins/lib}
BENCH_ICS=${BENCH_ICS:-}
BENCH_SCALES=${BENCH_SCALES:-county city province nation}
BENCH_DOUBLING=${BENCH_DOUBLING:-2500 5000 10000 20000}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-0}
PY=${PYTHON3:-python3}
export SOURCE_DATE_EPOCH=1700000000

if [ ! -x "$VDSCHED" ]; then
	echo "run.sh: no vdsched binary at '$VDSCHED' (set VDSCHED)" >&2
	exit 1
fi
if ! command -v "$PY" >/dev/null 2>&1; then
	echo "run.sh: python3 is needed for the generator" >&2
	exit 1
fi

# tmpfs by default: on a VM disk creating each of the thousands of calendar
# files costs ~0.5 ms of kernel time, which would hide the program's own.
if [ -z "${BENCH_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	BENCH_TMPDIR=/dev/shm
fi
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/vdsched-bench.XXXXXX") || exit 1
cleanup() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

have_time=0
[ -x /usr/bin/time ] && have_time=1

# measure OUT.tsv CMD...  -- runs CMD, appends "wall_s<TAB>peak_kb<TAB>cpu_s<TAB>status"
# (cpu = user + system time: steadier than wall time on a busy machine)
measure() {
	local rec=$1; shift
	local to=()
	[ "$BENCH_TIMEOUT" != 0 ] && command -v timeout >/dev/null && to=(timeout "$BENCH_TIMEOUT")
	if [ $have_time = 1 ]; then
		/usr/bin/time -f '%e %M %U %S' -o "$tmp/time.out" ${to[@]+"${to[@]}"} "$@" 2>>"$tmp/stderr.log"
		local rc=$?
		# the last line; "Command exited with non-zero status N" may precede it
		local wall=0 kb=0 u=0 sy=0
		read -r wall kb u sy < <(tail -n1 "$tmp/time.out" 2>/dev/null)
		[[ $wall =~ ^[0-9.]+$ ]] || wall=0
		[[ $kb =~ ^[0-9]+$ ]] || kb=0
		[[ $u =~ ^[0-9.]+$ ]] || u=0
		[[ $sy =~ ^[0-9.]+$ ]] || sy=0
		printf '%s\t%s\t%s\t%s\n' "$wall" "$kb" "$(echo "$u $sy" | awk '{printf "%.2f", $1 + $2}')" "$rc" >>"$rec"
	else
		"$PY" - "$rec" ${to[@]+"${to[@]}"} "$@" 2>>"$tmp/stderr.log" <<'PY'
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "a") as f:
    f.write("%.3f\t%d\t%.2f\t%d\n" % (wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime, rc))
PY
	fi
}

# plan INI OUT REC -- one vdsched run; appends its measurements and the
# figures of OUT/report.txt to REC as one TSV line.
plan() {
	local ini=$1 out=$2 rec=$3
	: >"$tmp/one.tsv"
	measure "$tmp/one.tsv" "$VDSCHED" --plugin-dir "$PLUGIN_DIR" -q -c "$ini" -o "$out" plan
	local m
	m=$(cat "$tmp/one.tsv")
	"$PY" - "$out/report.txt" "$m" >>"$rec" <<'PY'
import re, sys
path, m = sys.argv[1], sys.argv[2]
f = dict(doctors="0", runs="0", required="0", scheduled="0", unscheduled="0",
         last="-", last_bound="-", travel="0", travel_bound="0")
try:
    txt = open(path, encoding="utf-8").read()
except OSError:
    txt = ""
def grab(key, pat):
    r = re.search(pat, txt, re.M)
    if r:
        f[key] = r.group(1)
grab("doctors", r"doctors\s+(\d+)")
grab("runs", r"\bruns\s+(\d+)")
grab("required", r"required pairs\s+(\d+)")
grab("scheduled", r"\bscheduled\s+(\d+)")
grab("unscheduled", r"^\S*\s*unscheduled\s+(\d+)")
r = re.search(r"last day\s+(\d{4}-\d\d-\d\d)\s+>=\s*(\d{4}-\d\d-\d\d)", txt)
if r:
    f["last"], f["last_bound"] = r.group(1), r.group(2)
r = re.search(r"travel km\s+([\d.]+)\s+>=\s*([\d.]+)", txt)
if r:
    f["travel"], f["travel_bound"] = r.group(1), r.group(2)
print("\t".join([m] + [f[k] for k in ("doctors", "runs", "required", "scheduled",
      "unscheduled", "last", "last_bound", "travel", "travel_bound")]))
PY
	local rc=${m##*$'\t'}
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
		echo "  vdsched exited $rc on $ini:" >&2
		tail -n 5 "$tmp/stderr.log" | sed 's/^/    /' >&2
	fi
	: >"$tmp/stderr.log"
}

# summary SCALE REC -- aggregate the regional lines of REC and print one line
summary() {
	"$PY" - "$1" "$2" <<'PY'
import sys
scale, rec = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(rec) if l.strip()]
if not rows:
    print("%-9s no runs" % scale); sys.exit()
wall = sum(float(r[0]) for r in rows)
mb = max(int(r[1]) for r in rows) / 1024.0
cpu = sum(float(r[2]) for r in rows)
bad = [r[3] for r in rows if r[3] not in ("0", "3")]
rows = [r[:2] + r[3:] for r in rows]   # drop cpu: indices below as before
S = lambda i: sum(int(r[i]) for r in rows)
doctors, runs, req, sch, uns = S(3), S(4), S(5), S(6), S(7)
last = max((r[8] for r in rows if r[8] != "-"), default="-")
bound = max((r[9] for r in rows if r[9] != "-"), default="-")
# the worst region's gap to its own bound
import datetime as dt
d = lambda s: dt.date.fromisoformat(s)
gaps = [(d(r[8]) - d(r[9])).days for r in rows if r[8] != "-" and r[9] != "-"]
tr, tb = sum(float(r[10]) for r in rows), sum(float(r[11]) for r in rows)
line = ("%-9s %4d prog %8d doctors %6d runs %8.2f s (cpu %.2f s) %8.1f MB  scheduled %d/%d  unscheduled %d"
        % (scale, len(rows), doctors, runs, wall, cpu, mb, sch, req, uns))
if last != "-":
    line += "  last day %s (bound %s, worst gap %+d d)" % (last, bound, max(gaps))
if tb > 0:
    line += "  travel %.0f km (bound %.0f, %+.1f%%)" % (tr, tb, 100.0 * (tr / tb - 1))
print(line)
if bad:
    print("          %d run(s) FAILED (exit %s)" % (len(bad), " ".join(sorted(set(bad)))))
if len(rows) > 1:
    w = sorted(float(r[0]) for r in rows)
    print("          per program: wall min/median/max %.2f/%.2f/%.2f s"
          % (w[0], w[len(w) // 2], w[-1]))
with open(rec + ".sum", "w") as f:
    f.write("%f %f %s %d\n" % (wall, mb, last, len(bad)))
PY
}

nproc_=$(nproc 2>/dev/null || echo "?")
echo "vdsched benchmarks: $("$VDSCHED" --version 2>/dev/null | head -n1)"
echo "  binary $VDSCHED, plugins $PLUGIN_DIR, $nproc_ CPU(s), $(uname -m), timing with $([ $have_time = 1 ] && echo /usr/bin/time || echo python3 getrusage)"
echo "  files in $tmp ($(stat -f -c %T "$tmp" 2>/dev/null || echo '?'))"
echo "  targets: city <= 1 s including output; nation <= 60 s and <= 4 GB; doubling <= 2.2x"
echo

for scale in $BENCH_SCALES; do
	case $scale in county|city|province|nation) ;; *)
		echo "$scale: unknown scale (county city province nation)"; continue;;
	esac
	g="$tmp/$scale"
	t0=$(date +%s%N)
	if ! "$PY" "$here/gen.py" "$scale" 1 "$g/in" >"$tmp/gen.out"; then
		echo "$scale: gen.py failed" >&2; exit 1
	fi
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	printf '%-9s generated in %d.%02d s (not counted): %s\n' "$scale" \
		$((ms / 1000)) $((ms % 1000 / 10)) "$(sed 's/^gen.py: //' "$tmp/gen.out")"
	rec="$g/rec.tsv"; : >"$rec"
	if [ "$scale" = nation ] && [ -f "$g/in/vdsched.ini" ]; then
		# 1.1 million doctors' calendars are ~26 million events (tens of GB):
		# the nation run measures the plan, tables and report; the calendar
		# writer's speed is measured on its own by bench_ics below.
		sed -i 's/^\[output\]$/[output]\ncalendars = none/' "$g/in/vdsched.ini"
		echo "          (nation: [output] calendars = none; see bench_ics for calendar speed)"
	fi
	if [ -f "$g/in/vdsched.ini" ]; then
		plan "$g/in/vdsched.ini" "$g/out" "$rec"
	else
		for ini in "$g"/in/r*/vdsched.ini; do
			r=$(basename "$(dirname "$ini")")
			plan "$ini" "$g/out/$r" "$rec"
			rm -rf "$g/out/$r"          # nation outputs are GBs in total
		done
	fi
	summary "$scale" "$rec"
	wall=0 mb=0 last=- nbad=0
	[ -f "$rec.sum" ] && read -r wall mb last nbad <"$rec.sum"

	case $scale in
	county|city)
		start=$(sed -n 's/^start *= *\([0-9-]*\).*/\1/p' "$g/in/vdsched.ini" | head -n1)
		"$PY" "$here/baseline.py" "$g/in/vdsched.ini" "$g/out" >"$g/base.out" 2>&1
		hlast=$(sed -n 's/^last day: //p' "$g/base.out")
		hun=$(sed -n 's/^unplaced: //p' "$g/base.out")
		hall=$(sed -n 's/^last day to place all: //p' "$g/base.out")
		"$PY" - "$start" "$last" "$hlast" "$hun" "$hall" "$(sed -n 's/^hand plan: //p' "$g/base.out")" <<'PY'
import sys, datetime as dt
start, last, hlast, hun, hall, how = sys.argv[1:7]
print("          hand plan (%s): last day %s, %s doctor(s) not placed by the end" % (how, hlast, hun))
# Compare like with like: the day the hand plan has placed everyone
# (continuing past the program's end if it must) against vdsched's last day.
ref = hall if hun != "0" else hlast
try:
    s, v, h = (dt.date.fromisoformat(x) for x in (start, last, ref))
except ValueError:
    print("          hand plan never places everyone (%s); no day comparison" % hall); sys.exit()
vd, hd = (v - s).days, (h - s).days
pct = 100.0 * (hd - vd) / hd if hd > 0 else 0.0
print("          %s: vdsched %d vs hand %d days from start (hand plan done %s): %.1f%% %s"
      % ("all placed" if hun == "0" else "hand plan continued past the end to place all",
         vd, hd, ref, abs(pct), "fewer" if pct >= 0 else "MORE"))
PY
		;;
	esac
	case $scale in
	city)
		"$PY" -c "import sys; w=float(sys.argv[1]); print('          target city <= 1 s including output: %.2f s  %s' % (w, 'met' if w <= 1 else 'MISSED'))" "$wall";;
	nation)
		"$PY" -c "import sys; w,m=float(sys.argv[1]),float(sys.argv[2]); print('          target nation <= 60 s: %.1f s  %s;  <= 4 GB: %.0f MB  %s' % (w, 'met' if w <= 60 else 'MISSED', m, 'met' if m <= 4096 else 'MISSED'))" "$wall" "$mb";;
	esac
	rm -rf "$g"
done

if [ "$BENCH_DOUBLING" != none ] && [ -n "$BENCH_DOUBLING" ]; then
	echo
	echo "doubling test (one city-like program, 2026-03-02..2026-07-31; best of 3 when under 20 s)"
	prev=""
	for n in $BENCH_DOUBLING; do
		g="$tmp/d$n"
		"$PY" "$here/gen.py" --doctors "$n" county 1 "$g/in" >/dev/null || { echo "gen.py failed" >&2; exit 1; }
		rec="$g/rec.tsv"; : >"$rec"
		plan "$g/in/vdsched.ini" "$g/out" "$rec"
		w=$(cut -f1 "$rec")
		if "$PY" -c "import sys; sys.exit(float(sys.argv[1]) >= 20)" "$w"; then
			for _ in 1 2; do rm -rf "$g/out"; plan "$g/in/vdsched.ini" "$g/out" "$rec"; done
		fi
		"$PY" - "$n" "$rec" "$prev" <<'PY'
import sys
n, rec, prev = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [l.split("\t") for l in open(rec) if l.strip()]
best = min(rows, key=lambda r: float(r[0]))
w, mb, cpu = float(best[0]), int(best[1]) / 1024.0, min(float(r[2]) for r in rows)
line = ("  %6s doctors %6s runs %8.2f s (cpu %.2f s) %8.1f MB  scheduled %s/%s"
        % (n, best[5], w, cpu, mb, best[7], best[6]))
if prev:
    pw, pc = (float(x) for x in prev.split())
    if pw > 0:
        r = w / pw
        line += "  wall x%.2f" % r
        if pc > 0:
            line += ", cpu x%.2f" % (cpu / pc)
        line += " per doubling  %s" % ("met" if r <= 2.2 else "MISSED (target <= 2.2x)")
    if pw < 0.1:
        line += " (under 0.1 s: timer resolution)"
print(line)
with open(rec + ".best", "w") as f:
    f.write("%f %f\n" % (w, cpu))
PY
		prev=$(cat "$rec.best")
		rm -rf "$g"
	done
fi

if [ -n "$BENCH_ICS" ] && [ -x "$BENCH_ICS" ]; then
	echo
	echo "iCalendar writer ($BENCH_ICS):"
	TMPDIR="$tmp" "$BENCH_ICS" 2>&1 | sed 's/^/  /'
fi
exit 0

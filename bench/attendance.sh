#!/usr/bin/env bash
# attendance.sh -- what reading attendance costs a re-plan (part of `make bench`).
#
#   VDSCHED=./vdsched PLUGIN_DIR=plugins/lib bench/attendance.sh [county city]
#
# For each scale: a generated program (bench/gen.py) is planned; the freeze
# date is the day by which about 40 % of its sessions were held (45 %); every
# member x session before it gets an attendance row (到, or 缺/假 for about
# 10 % of the members, on one session), as an office fills in
# attendance-template.csv.  Then the same re-plan (plan --previous P0
# --freeze-before D) runs without and with the attendance, and it prints the
# rows, the make-ups and both times (CPU) and their ratio.  The target: with
# attendance at most 1.2 x the time without.  It never fails on a missed
# target.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
here=$(cd "$(dirname "$0")" && pwd)
VDSCHED=${VDSCHED:-$here/../vdsched}
PLUGIN_DIR=${PLUGIN_DIR:-$here/../plugins/lib}
PY=${PYTHON3:-python3}
export SOURCE_DATE_EPOCH=1700000000
scales=${*:-county city}
if [ -z "${BENCH_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMPDIR=/dev/shm; fi
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/vdsched-attendance.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# V ARGS...: plan; $tmp/time gets "wall user sys" seconds
V() { /usr/bin/time -o "$tmp/time" -f "%e %U %S" "$VDSCHED" --plugin-dir "$PLUGIN_DIR" -q "$@" \
	>/dev/null 2>"$tmp/err"; }
cpu() { tail -n1 "$tmp/time" | awk '{printf "%.2f", $2 + $3}'; }

printf '%-8s %8s %7s %8s %12s %12s %6s\n' scale rows absent make-ups "without s" "with s" ratio
for scale in $scales; do
	base=$tmp/$scale
	"$PY" "$here/gen.py" "$scale" 1 "$base" >/dev/null || exit 1
	V -c "$base/vdsched.ini" -o "$tmp/$scale-p0" plan
	read -r freeze nrows nabs <<EOF
$("$PY" - "$tmp/$scale-p0" "$base/attendance.csv" <<'PYEOF'
import csv, random, sys
out, path = sys.argv[1:3]
rng = random.Random(7)
ses = list(csv.DictReader(open(out + "/sessions.csv", encoding="utf-8-sig")))
days = sorted(s["date"] for s in ses)
freeze = days[int(len(days) * 0.45)]
by_run = {}
for s in ses:
    by_run.setdefault((s["cohort_id"], s["course_id"]), []).append(s)
rows, nabs = [], 0
for m in csv.DictReader(open(out + "/schedule.csv", encoding="utf-8-sig")):
    past = [s for s in by_run[(m["cohort_id"], m["course_id"])] if s["date"] < freeze]
    miss = rng.choice(past) if past and rng.random() < 0.10 else None
    for s in past:
        st = rng.choice(["缺", "假"]) if s is miss else "到"
        nabs += s is miss
        rows.append([m["doctor_id"], m["doctor_name"], m["cohort_id"], m["course_id"], s["date"], s["start"], st])
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["医生编号", "姓名", "班级", "课程", "日期", "时间", "出勤"])
    w.writerows(rows)
print(freeze, len(rows), nabs)
PYEOF
)
EOF
	V -c "$base/vdsched.ini" -o "$tmp/$scale-p1" plan --previous "$tmp/$scale-p0" --freeze-before "$freeze"
	without=$(cpu)
	sed -i 's/^\[program\]/[program]\nattendance = attendance.csv/' "$base/vdsched.ini"
	V -c "$base/vdsched.ini" -o "$tmp/$scale-p2" plan --previous "$tmp/$scale-p0" --freeze-before "$freeze"
	with=$(cpu)
	makeups=$(grep -c ',makeup,' "$tmp/$scale-p2/changes.csv")
	printf '%-8s %8d %7d %8d %12s %12s %6s\n' "$scale" "$nrows" "$nabs" "$makeups" "$without" "$with" \
		"$(awk -v a="$without" -v b="$with" 'BEGIN { printf "%.2f", (a > 0) ? b / a : 0 }')"
done

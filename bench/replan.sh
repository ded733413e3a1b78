#!/usr/bin/env bash
# replan.sh -- re-planning benchmark (part of `make bench`).
#
#   VDSCHED=./vdsched PLUGIN_DIR=plugins/lib bench/replan.sh [county city]
#
# For each scale it generates a program (bench/gen.py), plans it, and then
# re-plans after each of the edits an office makes, from that first plan:
# no edit; a doctor leaves; a doctor joins; a doctor is unavailable for one
# week of a run; a new 3-day blackout; a site closes from a date
# (--freeze-before); a course is added.  It prints per edit
#     moved / forced-by-the-edit / beyond / doctors to re-import / wall s
# where moved counts changes.csv's "moved" rows, forced is computed by
# bench/forced.py from the edited program and the first plan alone
# (independently of the planner; for clinic cover it is a lower bound),
# beyond = moved - forced, and doctors to re-import is the report's count of
# doctors whose calendars change.  The wall time of the first plan is printed
# for comparison.  Then, on small programs, vdsched's moves against the
# exact minimum (CBC, tests/exact_model.py).  It never fails on a missed
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
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/vdsched-replan.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# V ARGS...: plan; $tmp/time gets "wall user sys" seconds
V() { /usr/bin/time -o "$tmp/time" -f "%e %U %S" "$VDSCHED" --plugin-dir "$PLUGIN_DIR" -q "$@" plan \
	>/dev/null 2>"$tmp/err"; }
cpu() { tail -n1 "$tmp/time" | awk '{printf "%.2f", $2 + $3}'; }
wall() { tail -n1 "$tmp/time" | awk '{printf "%.2f", $1}'; }

for scale in $scales; do
	base=$tmp/$scale-base
	"$PY" "$here/gen.py" "$scale" 1 "$base" >/dev/null || exit 1
	# the course-added edit starts from a program without dental
	cp -r "$base" "$tmp/$scale-nodental"
	"$PY" "$here/../tests/edit_program.py" "$tmp/$scale-nodental/vdsched.ini" unload dental
	V -c "$base/vdsched.ini" -o "$tmp/$scale-p0"
	# a fresh plan into an existing folder, as a re-plan writes
	V -c "$base/vdsched.ini" -o "$tmp/$scale-p0"
	fresh="$(wall) s wall, $(cpu) s CPU"
	V -c "$tmp/$scale-nodental/vdsched.ini" -o "$tmp/$scale-p0nd"
	pairs=$(tail -n +2 "$tmp/$scale-p0/schedule.csv" | wc -l)
	printf '\nre-plan, %s (%d pairs; planning it from scratch: %s)\n' "$scale" "$pairs" "$fresh"
	printf '  %-40s %6s %6s %6s %9s %7s %6s\n' edit moved forced beyond re-import "wall s" "CPU s"
	# what the edits need, from the first plan
	read -r leaver busy busyrange bigclinic blackout site freeze leaver2 <<EOF2
$("$PY" - "$base" "$tmp/$scale-p0" <<'PYEOF'
import csv, datetime, sys
base, out = sys.argv[1], sys.argv[2]
def rows(p):
    return list(csv.DictReader(open(p, encoding="utf-8-sig")))
docs = rows(base + "/doctors.csv")
sched = rows(out + "/schedule.csv")
per = {}
for r in docs:
    per[r["clinic_id"]] = per.get(r["clinic_id"], 0) + 1
mine = {}
for r in sched:
    mine.setdefault(r["doctor_id"], []).append(r)
ids = sorted(mine)
clinic = {r["doctor_id"]: r["clinic_id"] for r in docs}
rest = ids[len(ids) // 3:] + ids[:len(ids) // 3]
leaver = next(x for x in rest if per[clinic[x]] == 1)     # the clinic is left empty
leaver2 = next(x for x in rest if per[clinic[x]] >= 2)    # a colleague stays
busy = ids[2 * len(ids) // 3]
run = mine[busy][0]
big = max(per, key=lambda c: (per[c], c))
last = max(r["last_day"] for r in sched)
mid = datetime.date.fromisoformat(min(r["first_day"] for r in sched)) + (
    datetime.date.fromisoformat(last) - datetime.date.fromisoformat(min(r["first_day"] for r in sched))) / 2
while mid.weekday() > 2:
    mid += datetime.timedelta(days=1)
bo = "%s..%s" % (mid, mid + datetime.timedelta(days=2))
sites = {}
for r in sched:
    if r["first_day"] > str(mid):
        sites[r["site_id"]] = sites.get(r["site_id"], 0) + 1
site = sorted(sites, key=lambda s: (sites[s], s))[0]   # the least used site after mid closes
print(leaver, busy, run["first_day"] + ".." + run["last_day"], big, bo, site, mid, leaver2)
PYEOF
)
EOF2
	for edit in "no edit" "a doctor leaves (a colleague stays):leave $leaver2" \
	            "a lone doctor leaves (clinic empty):leave $leaver" "a doctor joins:join $bigclinic dnew01" \
	            "unavailable a week:unavailable $busy $busyrange" "3-day blackout:blackout $blackout" \
	            "site $site closes from $freeze:drop-site $site" "a course is added:add-course"; do
		label=${edit%%:*}; args=${edit#*:}; [ "$args" = "$edit" ] && args=
		prog=$tmp/$scale-e; out=$tmp/$scale-o; rm -rf "$prog" "$out"
		from=$base; prev=$tmp/$scale-p0; extra=
		# a course is added: the full program re-planned from the plan without it
		case $args in add-course) prev=$tmp/$scale-p0nd; args= ;; esac
		case $args in drop-site*) extra="--freeze-before $freeze" ;; esac
		cp -r "$from" "$prog"; cp -r "$prev" "$out"
		[ -n "$args" ] && "$PY" "$here/../tests/edit_program.py" "$prog/vdsched.ini" $args
		forced=$("$PY" "$here/forced.py" "$prog/vdsched.ini" "$prev" $extra | awk '{print $2}')
		V -c "$prog/vdsched.ini" -o "$out" --previous "$out" $extra; rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
			printf '  %-40s failed (exit %d): %s\n' "$label" $rc "$(head -n1 "$tmp/err")"; continue
		fi
		moved=$(grep -c ',moved,' "$out/changes.csv")
		re=$(sed -n 's/^  doctors whose calendars change: \([0-9]*\).*/\1/p' "$out/report.txt")
		beyond=$((moved - forced)); [ $beyond -lt 0 ] && beyond=0
		printf '  %-40s %6d %6d %6d %9s %7s %6s\n' "$label" "$moved" "$forced" "$beyond" "$re" \
			"$(wall)" "$(cpu)"
	done
done

# Small programs (8-40 doctors, tests/exact_model.py): the moves of
# vdsched's re-plan against the exact minimum, solved with CBC on the same
# constraints ("infeasible": no plan schedules every pair after the edit).
if command -v cbc >/dev/null 2>&1; then
	printf '\nre-plan, small programs: vdsched against the exact minimum of moves (CBC)\n'
	printf '  %-5s %7s %-12s %8s %8s %12s\n' seed doctors edit moved minimum unscheduled
	for seed in ${REPLAN_EXACT_SEEDS:-1 2 3 4 5 6}; do
		for e in leave unavailable blackout; do
			d=$tmp/exact-$seed-$e
			"$PY" "$here/../tests/exact_model.py" gen "$seed" "$d/a" >/dev/null
			V -c "$d/a/vdsched.ini" -o "$d/out" || [ $? -eq 3 ] || continue
			cp -r "$d/out" "$d/p0"
			"$PY" "$here/../tests/exact_model.py" edit "$seed" "$e" "$d/b"
			V -c "$d/b/vdsched.ini" -o "$d/out" --previous "$d/out"
			moved=$(grep -c ',moved,' "$d/out/changes.csv")
			uns=$(tail -n +2 "$d/out/unscheduled.csv" | grep -c .)
			"$PY" "$here/../tests/exact_model.py" replan-lp "$seed" "$e" "$d/b" "$d/p0"
			timeout 120 cbc "$d/b/moves.lp" sec 60 solve solu "$d/sol" >/dev/null 2>&1
			printf '  %-5s %7s %-12s %8s %8s %12s\n' "$seed" \
				"$(tail -n +2 "$d/a/doctors.csv" | grep -c .)" "$e" "$moved" \
				"$("$PY" "$here/../tests/exact_model.py" moves "$d/b" "$d/sol")" "$uns"
		done
	done
fi

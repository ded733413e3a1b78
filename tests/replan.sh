#!/usr/bin/env bash
# replan.sh -- end-to-end test of re-planning (plan --previous DIR
# [--freeze-before DATE]) on the example county and a generated one.
#
# What an administrator relies on:
#   - re-planning with no edit changes nothing: changes.csv has no row, the
#     tables and every calendar are byte-identical;
#   - a doctor who leaves moves nobody else when their runs stay within the
#     size bounds; a doctor who joins is added and nobody moves;
#   - a doctor unavailable for one of their runs moves, and at most 3 other
#     pairs move;
#   - with --freeze-before D nothing before D changes, runs in progress on D
#     continue as they were;
#   - every re-plan passes the independent checker (tests/check_plan.py) and
#     every calendar validator; changes.csv names exactly the doctors whose
#     calendar files changed; a doctor who left gets a file of cancellations;
#     a moved pair's events keep their UIDs with SEQUENCE:1;
#   - a folder that is not a vdsched output, a state file of another
#     version, or a bad --freeze-before is an error (exit 2) and the
#     output folder is left as it was.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || true)
if [ ! -x "$VDSCHED" ] || [ -z "$PY" ]; then
	echo "replan: needs the vdsched binary and python3 (tools/install-deps)"
	exit 99
fi
export SOURCE_DATE_EPOCH=1767225600

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-replan.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

V() { "$VDSCHED" --plugin-dir "$PLUGDIR" -q "$@"; }

# rows NAME: data rows of OUT/changes.csv
rows() { tail -n +2 "$1/changes.csv" | grep -c . ; }

checker() {  # checker INI OUT LABEL
	"$PY" "$here/check_plan.py" --shipped-facts "$1" >"$tmp/facts.json" 2>/dev/null
	if "$PY" "$here/check_plan.py" "$1" "$2" "$tmp/facts.json" >"$tmp/check.out" 2>&1; then
		pass "$3: checker: $(tail -n1 "$tmp/check.out")"
	else
		fail "$3: checker found broken constraints:"; head -n 5 "$tmp/check.out"
	fi
}

# calendars OUT LABEL: every validator of make check passes on re-planned calendars
calendars() {
	if sh "$here/ics-validate.sh" --sessions "$1/sessions.csv" "$1/ics" >"$tmp/val.out" 2>&1; then
		pass "$2: calendars pass ics-validate.sh (lint, libical, python3-icalendar, vobject, ical.js)"
	else
		fail "$2: calendars fail ics-validate.sh:"; tail -n 5 "$tmp/val.out"
	fi
}

# changed_files OLD NEW: ids of doctors whose calendar file differs
changed_files() {
	{ ls "$1/ics/doctors"; ls "$2/ics/doctors"; } | sort -u | sed 's/\.ics$//' | while read -r d; do
		cmp -s "$1/ics/doctors/$d.ics" "$2/ics/doctors/$d.ics" || echo "$d"
	done
}

# exact_rows OLD NEW LABEL: changes.csv lists exactly the doctors whose calendars changed
exact_rows() {
	changed_files "$1" "$2" >"$tmp/files"
	tail -n +2 "$2/changes.csv" | cut -d, -f1 | sort -u >"$tmp/rows"
	if cmp -s "$tmp/files" "$tmp/rows"; then
		pass "$3: changes.csv names exactly the $(wc -l <"$tmp/rows") doctors whose calendars changed"
	else
		fail "$3: calendars changed for [$(tr '\n' ' ' <"$tmp/files")], changes.csv names [$(tr '\n' ' ' <"$tmp/rows")]"
	fi
}

# same_except OUT1 OUT2 LABEL: identical but for report.txt and changes.csv
same_except() {
	if diff -r -x report.txt -x changes.csv -x state "$1" "$2" >"$tmp/diff.out"; then
		pass "$3: outputs byte-identical"
	else
		fail "$3: outputs differ:"; head -n 5 "$tmp/diff.out"
	fi
}

# A program with the example's layout (holidays file beside it).
# Both programs get a time limit their search finishes within (sanitizer
# builds are slow; see time_limit in vdsched.ini(5)), so that plans repeat.
setup() {  # setup NAME SRC-KIND
	local d=$tmp/$1
	mkdir -p "$d"
	if [ "$2" = tianyang ]; then
		mkdir -p "$d/tianyang" "$d/holidays"
		cp "$srcdir"/etc/tianyang/*.ini "$srcdir"/etc/tianyang/*.csv "$d/tianyang/"
		cp "$srcdir"/etc/holidays/*.ini "$d/holidays/"
		sed -i 's/^\[program\]$/[program]\ntime_limit = 3600/' "$d/tianyang/vdsched.ini"
		echo "$d/tianyang/vdsched.ini"
	else
		"$PY" "$srcdir/bench/gen.py" county 7 "$d/p" >/dev/null || exit 1
		sed -i 's/^\[program\]$/[program]\ntime_limit = 3600/' "$d/p/vdsched.ini"
		echo "$d/p/vdsched.ini"
	fi
}

for kind in tianyang county; do
	ini=$(setup "$kind-base" "$kind")
	out=$tmp/$kind-out
	V -c "$ini" -o "$out" plan; rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$kind: first plan exit $rc"
	[ -f "$out/state/meta.csv" ] && [ -f "$out/state/runs.csv" ] && [ -f "$out/state/members.csv" ] ||
		fail "$kind: no state/ in the output"
	cp -r "$out" "$tmp/$kind-p0"

	# 1. no edit, --previous names the -o folder itself
	V -c "$ini" -o "$out" --previous "$out" plan; rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$kind: no-op re-plan exit $rc"
	[ "$(rows "$out")" -eq 0 ] && pass "$kind: no-op: changes.csv has no row" ||
		fail "$kind: no-op: changes.csv has $(rows "$out") rows"
	same_except "$tmp/$kind-p0" "$out" "$kind: no-op"
	V -c "$ini" -o "$out" --previous "$out" plan
	if diff -r "$tmp/$kind-p0/state" "$out/state" >/dev/null; then
		pass "$kind: no-op: state unchanged"
	else
		fail "$kind: no-op: state/ changed"
	fi

	# pick the doctors the edits need from the first plan
	"$PY" - "$ini" "$tmp/$kind-p0" >"$tmp/pick" <<'PYEOF' || fail "$kind: cannot pick doctors"
import csv, os, re, sys
ini, out = sys.argv[1], sys.argv[2]
d = os.path.dirname(ini)
txt = open(ini, encoding="utf-8").read()
def key(k):
    return re.search(r"^\s*" + k + r"\s*=\s*([^;\n]*)", txt, re.M).group(1).strip()
cmin = int(key("cohort_min"))
docs = list(csv.DictReader(open(os.path.join(d, key("doctors")), encoding="utf-8-sig")))
per_clinic = {}
for r in docs:
    per_clinic[r["clinic_id"]] = per_clinic.get(r["clinic_id"], 0) + 1
sched = list(csv.DictReader(open(os.path.join(out, "schedule.csv"), encoding="utf-8-sig")))
size = {}
for r in sched:
    size[(r["cohort_id"], r["course_id"])] = size.get((r["cohort_id"], r["course_id"]), 0) + 1
mine = {}
for r in sched:
    mine.setdefault(r["doctor_id"], []).append(r)
clinic = {r["doctor_id"]: r["clinic_id"] for r in docs}
# a doctor of a clinic with two, whose runs keep more than cohort_min
leaver = next(x for x in sorted(mine) if per_clinic[clinic[x]] >= 2
              and all(size[(r["cohort_id"], r["course_id"])] > cmin for r in mine[x]))
mate = next(r["doctor_id"] for r in docs if r["clinic_id"] == clinic[leaver] and r["doctor_id"] != leaver)
busy = next(x for x in sorted(mine, reverse=True) if len(mine[x]) >= 2)
run = mine[busy][0]
big = max(per_clinic, key=lambda c: (per_clinic[c], c))
print(leaver, busy, run["first_day"] + ".." + run["last_day"], big, mate)
PYEOF
	read -r leaver busy busyrange bigclinic mate <"$tmp/pick"

	# 2. a doctor leaves
	ini2=$(setup "$kind-leave" "$kind"); o2=$tmp/$kind-leave-out
	cp -r "$tmp/$kind-p0" "$o2"
	"$PY" "$here/edit_program.py" "$ini2" leave "$leaver"
	V -c "$ini2" -o "$o2" --previous "$o2" plan
	# The clinic-mate now works alone there: their training needs township
	# cover, which may force them, or one doctor of the same township on
	# the same days (up to their 3 courses), to move; at most 3 others
	# move to make room for them.
	others=$(tail -n +2 "$o2/changes.csv" | grep -v "^$leaver," | grep -vc "^$mate,")
	knock=$(sed -n 's/^  moved: [0-9]* ([0-9]* forced by the edit, \([0-9]*\) moved.*/\1/p' "$o2/report.txt")
	forced=$(sed -n 's/^  moved: [0-9]* (\([0-9]*\) forced by the edit.*/\1/p' "$o2/report.txt")
	mates=$(grep -c "^$mate,.*,moved," "$o2/changes.csv")
	fother=$(( ${forced:-99} - mates ))
	[ "$fother" -le 3 ] && [ "${knock:-99}" -le 3 ] && [ "$others" -le $((fother + knock + 1)) ] &&
		pass "$kind: $leaver leaves: rows for $(grep -c "^$mate," "$o2/changes.csv") pairs of $mate (now alone), $others of others ($fother forced by cover), $knock moved to make room" ||
		fail "$kind: $leaver leaves: $others rows for other doctors ($fother forced besides $mate), $knock moved to make room"
	grep -q "^$leaver,.*,dropped," "$o2/changes.csv" && pass "$kind: $leaver's pairs are dropped" ||
		fail "$kind: $leaver's pairs not listed as dropped"
	checker "$ini2" "$o2" "$kind leave"
	f=$o2/ics/doctors/$leaver.ics
	if [ -f "$f" ] && [ "$(grep -c '^BEGIN:VEVENT' "$f")" -gt 0 ] &&
	   [ "$(grep -c '^BEGIN:VEVENT' "$f")" -eq "$(grep -c '^STATUS:CANCELLED' "$f")" ] &&
	   ! grep -q '^SEQUENCE:0' "$f"; then
		pass "$kind: $leaver's calendar holds only cancellations, SEQUENCE+1"
	else
		fail "$kind: $leaver's calendar is not a file of cancellations"
	fi
	exact_rows "$tmp/$kind-p0" "$o2" "$kind leave"
	calendars "$o2" "$kind leave"

	# 3. a doctor joins the biggest clinic
	ini3=$(setup "$kind-join" "$kind"); o3=$tmp/$kind-join-out
	cp -r "$tmp/$kind-p0" "$o3"
	"$PY" "$here/edit_program.py" "$ini3" join "$bigclinic" dnew1
	V -c "$ini3" -o "$o3" --previous "$o3" plan
	moved=$(grep -c ",moved," "$o3/changes.csv")
	added=$(grep -c "^dnew1,.*,added," "$o3/changes.csv")
	[ "$moved" -le 3 ] && [ "$added" -ge 1 ] && pass "$kind: a doctor joins: added $added, moved $moved" ||
		fail "$kind: a doctor joins: added $added, moved $moved"
	checker "$ini3" "$o3" "$kind join"

	# 4. a doctor is unavailable for one of their runs
	ini4=$(setup "$kind-unavail" "$kind"); o4=$tmp/$kind-unavail-out
	cp -r "$tmp/$kind-p0" "$o4"
	"$PY" "$here/edit_program.py" "$ini4" unavailable "$busy" "$busyrange"
	V -c "$ini4" -o "$o4" --previous "$o4" plan
	own=$(grep -c "^$busy,.*,moved," "$o4/changes.csv")
	others=$(grep ",moved," "$o4/changes.csv" | grep -vc "^$busy,")
	[ "$own" -ge 1 ] && [ "$others" -le 3 ] &&
		pass "$kind: $busy unavailable $busyrange: moved, $others others moved" ||
		fail "$kind: $busy unavailable $busyrange: own moves $own, others $others"
	checker "$ini4" "$o4" "$kind unavailable"
	exact_rows "$tmp/$kind-p0" "$o4" "$kind unavailable"
	# the moved pair's events keep their UIDs with SEQUENCE:1; the others
	# in the file are byte-identical
	"$PY" - "$tmp/$kind-p0/ics/doctors/$busy.ics" "$o4/ics/doctors/$busy.ics" <<'PYEOF' &&
import re, sys
def events(p):
    t = open(p, encoding="utf-8", newline="").read().replace("\r\n ", "")
    t = t.replace("END:VCALENDAR\r\n", "")  # not part of the file's last event
    return {re.search(r"\nUID:(.*?)\r", e).group(1): e for e in t.split("BEGIN:VEVENT")[1:]}
a, b = events(sys.argv[1]), events(sys.argv[2])
changed = [u for u in a if u in b and a[u] != b[u]]
ok = changed and all("\nSEQUENCE:1\r" in b[u] and "\nSEQUENCE:0\r" in a[u] for u in changed)
ok = ok and all("STATUS:CANCELLED" in b[u] for u in a if u not in b) is not None
ok = ok and all(b[u] == a[u] for u in a if u in b and u not in changed)
sys.exit(0 if ok else 1)
PYEOF
		pass "$kind: $busy's moved events: same UID, SEQUENCE:1" ||
		fail "$kind: $busy's moved events do not carry SEQUENCE:1 under their UIDs"
	calendars "$o4" "$kind unavailable"

	# 5. a new blackout, the past frozen
	ini5=$(setup "$kind-freeze" "$kind"); o5=$tmp/$kind-freeze-out
	cp -r "$tmp/$kind-p0" "$o5"
	"$PY" "$here/edit_program.py" "$ini5" blackout 2026-04-20..2026-04-22
	D=2026-04-08
	V -c "$ini5" -o "$o5" --previous "$o5" --freeze-before $D plan; rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$kind: freeze re-plan exit $rc"
	"$PY" - "$tmp/$kind-p0" "$o5" $D <<'PYEOF' && pass "$kind: frozen before $D: past sessions and runs in progress unchanged" || fail "$kind: the frozen past changed"
import csv, sys
a, b, d = sys.argv[1:4]
def runs(out):
    rs = {}
    for r in csv.DictReader(open(out + "/sessions.csv", encoding="utf-8-sig")):
        rs.setdefault((r["cohort_id"], r["course_id"]), []).append(tuple(r.values()))
    return rs
def members(out):
    m = {}
    for r in csv.DictReader(open(out + "/schedule.csv", encoding="utf-8-sig")):
        m.setdefault((r["cohort_id"], r["course_id"]), set()).add(r["doctor_id"])
    return m
ra, rb, ma, mb = runs(a), runs(b), members(a), members(b)
bad = 0
for k, ss in ra.items():
    if min(s[4] for s in ss) < d:          # began before the freeze
        if rb.get(k) != ss or mb.get(k) != ma.get(k):
            print("changed:", k); bad += 1
for k, ss in rb.items():
    if min(s[4] for s in ss) < d and k not in ra:
        print("new run in the past:", k); bad += 1
sys.exit(1 if bad else 0)
PYEOF
	grep -q "2026-04-2[012]" "$o5/sessions.csv" && fail "$kind: a session on the new blackout" ||
		pass "$kind: no session on the new blackout"
	checker "$ini5" "$o5" "$kind freeze+blackout"
	exact_rows "$tmp/$kind-p0" "$o5" "$kind freeze+blackout"
	calendars "$o5" "$kind freeze+blackout"
	# no-op re-plan of the re-plan: byte-identical calendars, cancellations kept
	cp -r "$o5" "$tmp/$kind-o5"
	V -c "$ini5" -o "$o5" --previous "$o5" --freeze-before $D plan
	[ "$(rows "$o5")" -eq 0 ] && diff -r "$tmp/$kind-o5/ics" "$o5/ics" >/dev/null &&
		pass "$kind: re-planning the re-plan changes nothing" ||
		fail "$kind: re-planning the re-plan changed $(rows "$o5") rows or calendars"
done

# Errors: exit 2, nothing written, the output folder as it was.
ini=$tmp/tianyang-base/tianyang/vdsched.ini
out=$tmp/tianyang-out
V -c "$ini" -o "$out" plan
cp -r "$out" "$tmp/keep"
expect() {  # expect LABEL PATTERN ARGS...
	local label=$1 pat=$2
	shift 2
	"$VDSCHED" --plugin-dir "$PLUGDIR" -c "$ini" -o "$out" "$@" plan >"$tmp/e.out" 2>&1; local rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$pat" "$tmp/e.out" && diff -r "$tmp/keep" "$out" >/dev/null; then
		pass "$label: exit 2, '$pat', output untouched"
	else
		fail "$label: exit $rc, output:"; cat "$tmp/e.out"
	fi
}
mkdir -p "$tmp/notours"
expect "missing folder" "not a folder" --previous "$tmp/nothing"
expect "not a vdsched output" "not a vdsched output folder" --previous "$tmp/notours"
cp -r "$out" "$tmp/v2"; sed -i 's/^version,1/version,2/' "$tmp/v2/state/meta.csv"
expect "state version 2" "meta.csv:3: error: state version '2'" --previous "$tmp/v2"
expect "bad freeze date" "--freeze-before '2026-13-01' is not a date" --previous "$out" --freeze-before 2026-13-01
expect "freeze outside" "is outside the program" --previous "$out" --freeze-before 2025-01-01
expect "freeze alone" "needs --previous" --freeze-before 2026-04-01

if [ $failures -eq 0 ]; then echo "replan: all passed"; exit 0; fi
echo "replan: $failures failure(s)"
exit 1

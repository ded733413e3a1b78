#!/usr/bin/env bash
# checker-selftest.sh -- prove that tests/check_plan.py catches what it must.
#
# tests/data/checker/good is a tiny program with a hand-made plan that keeps
# every hard constraint of vdsched(1).  The checker must pass it; then each case
# below breaks it in one place (a sed script on one file) and the checker
# must exit 1 and name the constraint.  Exit 0 pass, 1 fail, 77 skip.
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "checker-selftest: no python3; skipped"; exit 77; }
CHECK="$srcdir/tests/check_plan.py"
GOOD="$srcdir/tests/data/checker/good"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-checker.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

fail=0
n=0

out=$("$PY" "$CHECK" "$GOOD/vdsched.ini" "$GOOD/out" 2>&1)
rc=$?
if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -q '^WARNING'; then
	echo "FAIL good: exit $rc"; printf '%s\n' "$out"; fail=1
else
	echo "ok   good: $out"
fi

# case NAME EXPECTED-CONSTRAINT FILE SED-SCRIPT
case_() {
	name=$1 want=$2 file=$3 script=$4
	n=$((n + 1))
	d="$tmp/$name"
	cp -R "$GOOD" "$d" && chmod -R u+w "$d"
	sed -i -e "$script" "$d/$file"
	if cmp -s "$GOOD/$file" "$d/$file"; then
		echo "FAIL $name: the sed script changed nothing in $file"; fail=1; return
	fi
	out=$("$PY" "$CHECK" "$d/vdsched.ini" "$d/out" 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q "^VIOLATION $want:"; then
		echo "ok   $name: $(printf '%s\n' "$out" | grep -m1 "^VIOLATION $want:")"
	else
		echo "FAIL $name: want exit 1 with VIOLATION $want, got exit $rc:"
		printf '%s\n' "$out" | sed 's/^/     /'
		fail=1
	fi
}

# 1: every required doctor x course scheduled once or listed with a reason
case_ missing-pair        1 out/schedule.csv    '/^d5,.*,B,dental,/d'
case_ twice               1 out/schedule.csv    '$a d5,乙二,c3,A,dental,hosp,2026-05-06,2026-05-08'
case_ no-reason           1 out/unscheduled.csv 's/,".*"$/,/'
case_ unknown-doctor      1 out/schedule.csv    's/^d4,/d9,/'
case_ unknown-cohort      1 out/schedule.csv    's/^d4,\(.*\),A,tcm,/d4,\1,Z,tcm,/'
case_ wrong-first-day     1 out/schedule.csv    's/^d2,\(.*\),B,tcm,hosp,2026-04-29/d2,\1,B,tcm,hosp,2026-04-28/'
case_ completed-taken     1 out/schedule.csv    '$a d6,乙三,c4,B,tcm,hosp,2026-04-29,2026-04-30'
case_ both-lists          1 out/unscheduled.csv '$a d5,tcm,无'
# 2: teaching days, window, holidays, blackout, the course's day pattern
case_ holiday             2 out/sessions.csv    's/^B,tcm,\(.*\),2026-04-30,/B,tcm,\1,2026-05-01,/'
case_ blackout            2 out/sessions.csv    's/^B,dental,\(.*\),2026-05-12,/B,dental,\1,2026-05-14,/'
case_ saturday            2 out/sessions.csv    's/^B,tcm,\(.*\),2026-04-30,/B,tcm,\1,2026-05-16,/'
case_ before-start        2 out/sessions.csv    's/^A,tcm,\(.*\),2026-04-27,/A,tcm,\1,2026-04-24,/'
case_ weekend-on-weekday  2 out/sessions.csv    's/^B,pediatrics,\(.*\),2026-05-30,/B,pediatrics,\1,2026-05-29,/'
case_ weekend-on-workday  2 vdsched.ini         's/^weekend = yes/weekend = no/'
case_ span                2 out/sessions.csv    's/^B,dental,\(.*\),2026-05-12,/B,dental,\1,2026-05-19,/'
# 3: one run a day per doctor, unavailable dates
case_ two-runs-a-day      3 out/sessions.csv    's/^B,dental,\(.*\),2026-05-12,/B,dental,\1,2026-04-30,/'
case_ unavailable         3 doctors.csv         's/^d5,\(.*\),2026-05-18..2026-05-20; 2026-05-22/d5,\1,2026-05-11/'
case_ overlapping         3 out/sessions.csv    's/^A,tcm,\(.*\),2026-04-27,14:30,17:30,/A,tcm,\1,2026-04-27,10:30,12:30,/'
# 4: run sizes, seats, resources, instructors
case_ too-big             4 vdsched.ini         's/^cohort_max = 4/cohort_max = 2/'
case_ too-small           4 vdsched.ini         's/^cohort_min = 2/cohort_min = 3/'
case_ seats               4 vdsched.ini         's/^seats         = 6/seats         = 2/'
case_ chairs              4 vdsched.ini         's/^dental_chairs = 2/dental_chairs = 0/'
case_ two-sites           4 out/sessions.csv    '0,/^A,tcm,hosp,/s//A,tcm,branch,/'
case_ no-instructor       4 out/sessions.csv    's/^A,pediatrics,hosp,exp,/A,pediatrics,hosp,,/'
case_ instructor-day      4 vdsched.ini         's/^days    = sat sun/days    = sat/'
case_ instructor-site     4 vdsched.ini         's/^sites   = hosp$/sites   = branch/'
case_ instructor-course   4 vdsched.ini         's/^courses = pediatrics/courses = dental/'
case_ instructor-unknown  4 out/sessions.csv    's/^B,pediatrics,hosp,exp,/B,pediatrics,hosp,nobody,/'
case_ instructor-twice    4 out/sessions.csv    's/^B,pediatrics,\(.*\),2026-05-23,/B,pediatrics,\1,2026-05-17,/'
# 5: site listed for the course, with its features
case_ site-not-listed     5 vdsched.ini         's/^sites      = hosp/sites      = branch/'
case_ site-feature        5 vdsched.ini         's/^features      = classroom skills_lab dental_unit/features      = classroom dental_unit/'
# 6: clinic coverage within the township's cover
case_ no-cover            6 vdsched.ini         '/^\[township a\]/,/^cover/s/^cover = 1/cover = 0/'
case_ clinic-emptied      6 out/sessions.csv    's/^B,dental,\(.*\),2026-05-09,/B,dental,\1,2026-05-07,/'
case_ min-on-duty         6 clinics.csv         's/^c1,\(.*\),1$/c1,\1,2/'
# 7: prerequisites
case_ prerequisite        7 vdsched.ini         's/^techniques = acupuncture massage/&\nrequires   = dental/'

# cover.csv that does not match the recomputed shortfalls is a warning only
n=$((n + 1))
d="$tmp/cover-mismatch"
cp -R "$GOOD" "$d" && chmod -R u+w "$d" && sed -i '/^2026-05-16,/d' "$d/out/cover.csv"
out=$("$PY" "$CHECK" "$d/vdsched.ini" "$d/out" 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^WARNING: cover.csv lacks 2026-05-16 c2'; then
	echo "ok   cover-mismatch: $(printf '%s\n' "$out" | head -n1)"
else
	echo "FAIL cover-mismatch: want exit 0 with a warning, got exit $rc:"; printf '%s\n' "$out"; fail=1
fi

# a facts file overrides what the checker derives for the shipped plugins
n=$((n + 1))
d="$tmp/facts"
cp -R "$GOOD" "$d" && chmod -R u+w "$d"
printf '{"courses": {"dental": {"max_size": 2}}}\n' >"$d/facts.json"
out=$("$PY" "$CHECK" "$d/vdsched.ini" "$d/out" "$d/facts.json" 2>&1)
rc=$?
if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q '^VIOLATION 4: run A/dental has 3 doctors, more than the limit 2'; then
	echo "ok   facts: $(printf '%s\n' "$out" | grep -m1 '^VIOLATION')"
else
	echo "FAIL facts: got exit $rc:"; printf '%s\n' "$out"; fail=1
fi

echo "checker-selftest: $n cases"
exit $fail

#!/usr/bin/env bash
# season.sh -- a season of running the example county, as an office would:
# plan, print, read who came, re-plan the no-shows, three times over.
#
#   1. plan; absences (10 % of the members of the runs before D1, some
#      excused) typed into a CSV with Chinese headers; re-plan with
#      --freeze-before D1;
#   2. a second file in GBK (encoding = gbk), every doctor made up in step 1
#      misses his make-up too (absent from two runs), and a flood blackout
#      right after D2 interrupts the runs in progress: they resume or are
#      cut, and nothing is planned on the blackout; re-plan at D2;
#   3. more absences (English headers), and plan.xlsx's 签到 sheet filled
#      in by another program (openpyxl); re-plan at D3.
# After each re-plan: tests/season.py recounts from the attendance and the
# sessions (every missed pair made up after D or unscheduled with a reason,
# completed pairs never planned again, at most 3 other moves, completion.csv
# to the hour), the independent checker passes, the calendars validate.
# Then every kind of bad attendance row: exit 2 from check and plan, one
# FILE:LINE: error naming the value, nothing written.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || true)
if [ ! -x "$VDSCHED" ] || [ -z "$PY" ]; then
	echo "season: needs the vdsched binary and python3 (tools/install-deps)"
	exit 99
fi
export SOURCE_DATE_EPOCH=1767225600 LC_ALL=C.UTF-8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-season.XXXXXX") || exit 1
trap '[ -n "${SEASON_KEEP:-}" ] || rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
V() { "$VDSCHED" --plugin-dir "$PLUGDIR" -q "$@"; }

cp -r "$srcdir/etc/tianyang" "$srcdir/etc/holidays" "$tmp/"
chmod -R u+w "$tmp"
ini=$tmp/tianyang/vdsched.ini
# the attendance files, as an office names them
sed -i 's/^\[program\]/[program]\nattendance = 签到\/*.csv/' "$ini"
mkdir "$tmp/tianyang/签到"
"$PY" "$here/check_plan.py" --shipped-facts "$ini" >"$tmp/facts.json" 2>/dev/null

checker() {  # checker OUT FREEZE LABEL
	if CHECK_PLAN_FREEZE=$2 "$PY" "$here/check_plan.py" "$ini" "$1" "$tmp/facts.json" >"$tmp/check.out" 2>&1; then
		pass "$3: checker: $(tail -n1 "$tmp/check.out")"
	else
		fail "$3: checker found broken constraints:"; grep -v WARNING "$tmp/check.out" | head -n 5
	fi
}

calendars() {  # calendars OUT LABEL
	if sh "$here/ics-validate.sh" --sessions "$1/sessions.csv" "$1/ics" >"$tmp/val.out" 2>&1; then
		pass "$2: calendars validate"
	else
		fail "$2: calendars fail ics-validate.sh:"; tail -n 5 "$tmp/val.out"
	fi
}

# replan N PREV FREEZE: plan --previous PREV into out$N, then the checks
replan() {
	local n=$1 prev=$2 d=$3 out=$tmp/out$1
	V -c "$ini" check --previous "$prev" --freeze-before "$d" >"$tmp/check$n.log" 2>&1 ||
		{ fail "step $n: check --previous exit $?"; head -n 5 "$tmp/check$n.log"; }
	V -c "$ini" -o "$out" plan --previous "$prev" --freeze-before "$d" >"$tmp/plan$n.log" 2>&1
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		fail "step $n: re-plan exit $rc"; head -n 5 "$tmp/plan$n.log"; return
	fi
	if "$PY" "$here/season.py" verify "$prev" "$out" "$d" 100 "$tmp"/tianyang/签到/* >"$tmp/verify.out" 2>&1; then
		pass "step $n: $(tail -n1 "$tmp/verify.out")"
	else
		fail "step $n: the outside recount disagrees:"; head -n 12 "$tmp/verify.out"
	fi
	checker "$out" "$d" "step $n"
	calendars "$out" "step $n"
	grep -q "makeup" "$out/changes.csv" && pass "step $n: changes.csv lists the make-ups" ||
		fail "step $n: no makeup row in changes.csv"
}

V -c "$ini" -o "$tmp/out0" plan >"$tmp/plan0.log" 2>&1 || fail "first plan exit $?"

# 1. absences before D1
D1=2026-04-15
"$PY" "$here/season.py" absent "$tmp/out0" $D1 1 0.10 "$tmp/tianyang/签到/1-四月.csv" >/dev/null
replan 1 "$tmp/out0" $D1

# 2. GBK, absent twice, a flood right after D2
D2=2026-05-13
for f in clinics doctors; do   # the office's files, all saved by Excel on Chinese Windows
	sed '1s/^\xEF\xBB\xBF//' "$tmp/tianyang/$f.csv" | iconv -f UTF-8 -t GBK >"$tmp/$f.gbk" &&
		mv "$tmp/$f.gbk" "$tmp/tianyang/$f.csv"
done
sed -i 's/^encoding *=.*/encoding = gbk/' "$ini"
grep -q '^encoding' "$ini" || sed -i 's/^\[program\]/[program]\nencoding = gbk/' "$ini"
"$PY" "$here/season.py" absent "$tmp/out1" $D2 2 0.10 "$tmp/tianyang/签到/2-五月.csv" --gbk --again >/dev/null
"$PY" "$here/edit_program.py" "$ini" blackout 2026-05-13..2026-05-15
replan 2 "$tmp/out1" $D2
if grep -q "2026-05-1[345]" "$tmp/out2/sessions.csv"; then
	fail "step 2: sessions on the new blackout: $(grep -c '2026-05-1[345]' "$tmp/out2/sessions.csv")"
else
	pass "step 2: no session on the flood's days"
fi
"$PY" - "$tmp/out2" <<'EOF' && pass "step 2: a doctor absent from two runs has two missed rows in completion.csv" || fail "step 2: no doctor has two missed rows"
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1] + "/completion.csv", encoding="utf-8-sig")))
n = collections.Counter((r["doctor_id"], r["course_id"]) for r in rows if r["status"] == "missed")
sys.exit(0 if n and max(n.values()) >= 2 else 1)
EOF
grep -qE "resum|cut|go on after|cancelled from" "$tmp/out2/report.txt" &&
	pass "step 2: the report says which interrupted runs resumed or were cut" ||
	fail "step 2: the report does not mention the interrupted runs"

# 3. English headers, later; and plan.xlsx's 签到 sheet filled in by another program
D3=2026-06-10
"$PY" "$here/season.py" absent "$tmp/out2" $D3 3 0.05 "$tmp/tianyang/签到/3-六月.csv" --english >/dev/null
"$PY" "$here/season.py" fill "$tmp/out2" $D3 4 0.05 "$tmp/tianyang/签到/4-plan.xlsx" >/dev/null
sed -i 's|^attendance = .*|attendance = 签到/*.csv 签到/*.xlsx|' "$ini"
replan 3 "$tmp/out2" $D3

# bad rows, each kind: exit 2, FILE:LINE, nothing written
bad() {  # bad LABEL ROW WANT
	local f=$tmp/tianyang/签到/9-bad.csv
	printf '医生编号,班级,课程,日期,时间,出勤\r\n%s\r\n' "$2" | iconv -f UTF-8 -t GBK >"$f"
	cp -a "$tmp/out3" "$tmp/before"
	V -c "$ini" check --previous "$tmp/out2" --freeze-before $D3 >"$tmp/bad.out" 2>&1; local rc=$?
	V -c "$ini" -o "$tmp/out3" plan --previous "$tmp/out2" --freeze-before $D3 >/dev/null 2>&1; local rc2=$?
	if [ $rc -eq 2 ] && [ $rc2 -eq 2 ] && grep -q "9-bad.csv:2: error: .*$3" "$tmp/bad.out" &&
	   diff -r "$tmp/before" "$tmp/out3" >/dev/null; then
		pass "bad row ($1): exit 2, 9-bad.csv:2: error naming it, nothing written"
	else
		fail "bad row ($1): check exit $rc, plan exit $rc2, said: $(head -n 2 "$tmp/bad.out")"
	fi
	rm -rf "$tmp/before" "$f"
}
first=$(awk -F, 'NR==2 { print $1 "," $4 "," $5 }' "$tmp/out2/schedule.csv")   # doctor,cohort,course
doc=${first%%,*}; rest=${first#*,}; coh=${rest%%,*}; crs=${rest#*,}
day=$(awk -F, -v c="$coh" -v k="$crs" '$1 == c && $2 == k { print $5; exit }' "$tmp/out2/sessions.csv")
bad "unknown doctor" "d9999,$coh,$crs,$day,,缺" "d9999"
bad "unknown cohort" "$doc,C999,$crs,$day,,缺" "C999"
bad "not a session day" "$doc,$coh,$crs,2026-03-01,,缺" "2026-03-01"
bad "unknown status" "$doc,$coh,$crs,$day,,迟到" "迟到"
bad "not a date" "$doc,$coh,$crs,明天,,缺" "明天"
bad "bad time" "$doc,$coh,$crs,$day,25:00,缺" "25:00"
bad "unknown course" "$doc,$coh,yoga,$day,,缺" "yoga"
late=$("$PY" - "$tmp/out2" $D3 <<'EOF'
import csv, sys
out, d = sys.argv[1:3]
ses = list(csv.DictReader(open(out + "/sessions.csv", encoding="utf-8-sig")))
for m in csv.DictReader(open(out + "/schedule.csv", encoding="utf-8-sig")):
    if m["first_day"] >= d:
        day = min(s["date"] for s in ses if (s["cohort_id"], s["course_id"]) == (m["cohort_id"], m["course_id"]))
        print("%s,%s,%s,%s,,缺" % (m["doctor_id"], m["cohort_id"], m["course_id"], day))
        break
EOF
)
bad "after the freeze" "$late" "$D3"

echo "season: $failures failure(s)"
[ "$failures" -eq 0 ]

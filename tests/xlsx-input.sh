#!/usr/bin/env bash
# xlsx-input.sh -- rosters read straight from Excel workbooks (.xlsx).
#
# Converts etc/tianyang's clinics.csv and doctors.csv to workbooks the way
# Excel stores what an office keys in (tests/csv2xlsx.py: phones and
# numeric values as number cells, single unavailable dates as date
# cells; the doctors on a sheet 村医 after a sheet of notes), plans with
# clinics = clinics.xlsx and doctors = doctors.xlsx#村医, and checks that
# every CSV table of the plan is byte-identical to the CSV roster's plan.
# Then workbooks that cannot be used -- a sheet that is not there, a file
# cut short, an old .xls, a zip that is no workbook, a damaged sheet -- and
# a bad row: each exits 2 with its FILE[:ROW]: error: message, in English
# (LANG=C) and in Chinese (zh_CN.UTF-8, when the catalogue is built), and
# leaves the output folder (a previous plan) byte-identical.  Last, an
# attendance workbook ([program] attendance = att.xlsx) is read from its
# sheet 签到 without naming it.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN (python3 with openpyxl), VDSCHED_LOCALEDIR.
# Exit 0 pass, 1 fail.
set -u
unset VDSCHED_PLUGIN_DIR
here=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
VDSCHED=${VDSCHED:-${top_builddir:-$srcdir}/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-${top_builddir:-$srcdir}/plugins/lib}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-xlsxin.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

if ! "$PY" -c 'import openpyxl' 2>"$tmp/openpyxl.err"; then
	fail "$PY cannot import openpyxl (apt-get install python3-openpyxl): $(cat "$tmp/openpyxl.err")"
	exit 1
fi

# ---- the example roster as workbooks plans the same
csvp=$tmp/csv
xp=$tmp/xlsx
mkdir -p "$csvp" "$xp"
cp "$srcdir"/etc/tianyang/*.csv "$srcdir"/etc/tianyang/vdsched.ini "$csvp/"
cp -R "$srcdir/etc/holidays" "$tmp/"
"$PY" "$here/csv2xlsx.py" "$xp/clinics.xlsx" Sheet1="$csvp/clinics.csv" &&
"$PY" "$here/csv2xlsx.py" "$xp/doctors.xlsx" --front 说明 村医="$csvp/doctors.csv" ||
	{ fail "csv2xlsx.py failed"; exit 1; }
sed -e 's|^clinics *=.*|clinics = clinics.xlsx|' -e 's|^doctors *=.*|doctors = doctors.xlsx#村医|' \
	"$csvp/vdsched.ini" >"$xp/vdsched.ini"
grep -q '^doctors = doctors.xlsx#村医' "$xp/vdsched.ini" || fail "vdsched.ini not rewritten"

plan() {  # plan INI OUT: exit status
	env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$1" -o "$2" plan \
		>"$2.out" 2>"$2.err"
}
plan "$csvp/vdsched.ini" "$tmp/out-csv"; rc_csv=$?
plan "$xp/vdsched.ini" "$tmp/out-xlsx"; rc_xlsx=$?
if [ $rc_xlsx -ne $rc_csv ] || { [ $rc_csv -ne 0 ] && [ $rc_csv -ne 3 ]; }; then
	fail "plan exits $rc_csv from CSV, $rc_xlsx from .xlsx"
	sed -n '1,10p' "$tmp/out-xlsx.err" | sed 's/^/  /'
else
	n=0
	for f in "$tmp"/out-csv/*.csv; do
		n=$((n + 1))
		cmp -s "$f" "$tmp/out-xlsx/${f##*/}" || fail "${f##*/} differs when the roster is .xlsx"
	done
	[ $n -ge 4 ] && [ -s "$tmp/out-csv/schedule.csv" ] || fail "the CSV plan wrote only $n tables"
	pass "tianyang from clinics.xlsx and doctors.xlsx#村医: $n tables byte-identical to the CSV roster's"
	if cmp -s "$tmp/out-csv.err" "$tmp/out-xlsx.err"; then
		pass "the same messages"
	else
		fail "the messages differ:"; diff "$tmp/out-csv.err" "$tmp/out-xlsx.err" | head -n 10
	fi
fi

# ---- workbooks that cannot be used: exit 2, FILE[:ROW]: error:, output untouched
prev=$tmp/out-csv
( cd "$prev" && find . -type f -exec sha256sum {} + | sort ) >"$tmp/prev.sums"
have_zh=0
if [ -f "${VDSCHED_LOCALEDIR:-/nonexistent}/zh_CN/LC_MESSAGES/vdsched.mo" ] &&
   locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	have_zh=1
fi

# bad NAME DOCTORS-VALUE EN ZH: doctors = DOCTORS-VALUE in a copy of $xp,
# after setup commands on stdin run there
bad() {
	local name=$1 value=$2 en=$3 zh=$4 w=$tmp/bad-$1
	cp -R "$xp" "$w"
	(cd "$w" && sh -e) || { fail "$name: setup failed"; return; }
	sed -i 's|^doctors = .*|doctors = '"$value"'|' "$w/vdsched.ini"
	for lang in C zh; do
		[ $lang = zh ] && [ $have_zh = 0 ] && continue
		local loc=C.UTF-8 want=$en
		[ $lang = zh ] && loc=zh_CN.UTF-8 want=$zh
		env LANG=$loc LC_ALL=$loc "$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$w/vdsched.ini" \
			-o "$prev" plan >/dev/null 2>"$w/err.$lang"
		local rc=$?
		if [ $rc -ne 2 ]; then
			fail "$name ($lang): exit $rc, not 2"; sed -n '1,5p' "$w/err.$lang" | sed 's/^/  /'
		elif ! grep -qF -- "$want" "$w/err.$lang"; then
			fail "$name ($lang): no '$want' in:"; sed -n '1,5p' "$w/err.$lang" | sed 's/^/  /'
		else
			pass "$name ($lang): $(head -n1 "$w/err.$lang" | cut -c1-150)"
		fi
	done
	( cd "$prev" && find . -type f -exec sha256sum {} + | sort ) | cmp -s - "$tmp/prev.sums" ||
		fail "$name: the output folder changed"
}

bad missing-sheet 'doctors.xlsx#医生' \
	"doctors.xlsx#医生: error: the workbook has no sheet '医生'; its sheets are: '说明', '村医'" \
	"doctors.xlsx#医生: 错误：工作簿中没有名为“医生”的工作表；它的工作表有：'说明', '村医'" </dev/null
bad cut-short 'doctors.xlsx#村医' \
	'doctors.xlsx#村医: error: the workbook cannot be opened: it is cut short' \
	'doctors.xlsx#村医: 错误：无法打开工作簿：文件不完整或已损坏' <<'EOF'
head -c 3000 doctors.xlsx >cut && mv cut doctors.xlsx
EOF
bad old-xls 'doctors.xlsx' \
	'doctors.xlsx: error: the file is an old Excel workbook (.xls) or one with a password' \
	'doctors.xlsx: 错误：文件是旧版 Excel 工作簿（.xls）或设了密码的工作簿' <<'EOF'
printf '\320\317\021\340\241\261\032\341' >doctors.xlsx; head -c 4000 /dev/zero >>doctors.xlsx
EOF
bad not-a-workbook 'doctors.xlsx#村医' \
	'doctors.xlsx#村医: error: the file is a zip but not an Excel workbook (it has no xl/workbook.xml)' \
	'doctors.xlsx#村医: 错误：文件是 zip 压缩包，但不是 Excel 工作簿' <<EOF
"$PY" -c 'import zipfile; zipfile.ZipFile("doctors.xlsx", "w").writestr("word/document.xml", "<w/>")'
EOF
bad damaged-sheet 'doctors.xlsx#村医' \
	'doctors.xlsx#村医: error: the workbook is damaged (xl/worksheets/sheet2.xml is not well-formed XML' \
	'doctors.xlsx#村医: 错误：工作簿已损坏（xl/worksheets/sheet2.xml 第 ' <<EOF
"$PY" - <<'PYEOF'
import zipfile
src = zipfile.ZipFile('doctors.xlsx')
parts = {n: src.read(n) for n in src.namelist()}
src.close()
parts['xl/worksheets/sheet2.xml'] = parts['xl/worksheets/sheet2.xml'].replace(b'</row>', b'</rows>', 40)
with zipfile.ZipFile('doctors.xlsx', 'w') as out:
    for n, data in parts.items():
        out.writestr(n, data)
PYEOF
EOF
# a bad row is reported at its sheet row (17: the 16th doctor)
bad bad-row 'doctors.xlsx#村医' \
	"doctors.xlsx#村医:17: error: unknown clinic_id 'nowhere'; it is not in clinics.xlsx" \
	"doctors.xlsx#村医:17: 错误：未知的 clinic_id 'nowhere'" <<EOF
"$PY" - <<'PYEOF'
import openpyxl
wb = openpyxl.load_workbook('doctors.xlsx')
wb['村医']['C17'] = 'nowhere'
wb.save('doctors.xlsx')
PYEOF
EOF

# ---- an attendance workbook: its sheet 签到 is read without being named
# (plan.xlsx's sign-in sheet, after a sheet of notes); a bad row is
# reported at its sheet row
att=$tmp/att
cp -R "$xp" "$att"
printf 'doctor_id,cohort_id,course_id,date,start,status\nnobody,C001,tcm,2026-05-11,,absent\n' >"$att/att.csv"
"$PY" "$here/csv2xlsx.py" "$att/att.xlsx" --front 说明 签到="$att/att.csv" || fail "csv2xlsx.py att failed"
sed -i 's|^\[program\]$|[program]\nattendance = att.xlsx|' "$att/vdsched.ini"
"$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$att/vdsched.ini" check >/dev/null 2>"$att/err"; rc=$?
if [ $rc -eq 2 ] && grep -qF "att.xlsx:2: error: doctor 'nobody' is not on the roster" "$att/err"; then
	pass "attendance = att.xlsx reads its sheet 签到: $(head -n1 "$att/err" | cut -c1-120)"
else
	fail "attendance = att.xlsx: exit $rc"; sed -n '1,5p' "$att/err" | sed 's/^/  /'
fi

[ $have_zh = 1 ] || echo "note: no zh_CN catalogue or locale; Chinese messages not checked"
echo "xlsx-input: $failures failures"
[ $failures -eq 0 ]

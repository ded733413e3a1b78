#!/usr/bin/env bash
# xlsx.sh -- plan.xlsx holds what the CSV tables hold, as Excel cells.
#
# Environment (set by `make check`, see AM_TESTS_ENVIRONMENT):
#   VDSCHED                  the vdsched binary
#   VDSCHED_TEST_PLUGIN_DIR  folder with tcm.so pediatrics.so dental.so
#   top_srcdir               the source tree (etc/, tests/)
#   PYTHON3_DEBIAN           python3 with openpyxl (python3-openpyxl)
#
# Plans etc/tiny, etc/tianyang and two generated programs
# (tests/gen_program.py: weekend, and mixed with a GBK roster), and has
# tests/xlsx_check.py read each plan.xlsx back with openpyxl and compare
# every sheet with the CSVs cell by cell.  Then: two runs with
# SOURCE_DATE_EPOCH give byte-identical workbooks; sites named with
# characters Excel refuses in sheet names, longer than 31 characters, or
# named like another sheet (or like Excel's reserved History)
# get valid, unique sheet names (签到, attendance-template.csv's rows, is
# last); a re-plan adds 变动 (changes.csv, with
# Chinese change names) and a name with a line break wraps within a row
# tall enough; every sheet prints on A4 landscape, one page wide, with its
# header repeated; a program with more sign-in rows than a sheet holds
# has no 签到 sheet, and a warning; a workbook cut short by `ulimit -f` is
# reported (exit 1, nothing written) instead of shipped; and the checker
# itself fails on a workbook with a phone number turned into a number, a
# date turned into text, a row dropped, a column made too narrow or the
# header row unfrozen.
#
# Exit 0 pass, 1 fail.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
CHECK=$here/xlsx_check.py

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-xlsx.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# plan NAME INI: plan into $tmp/NAME (exit 0 or 3 expected)
plan() {
	env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$2" \
		-o "$tmp/$1" plan >"$tmp/$1.out" 2>"$tmp/$1.err"
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		fail "$1: plan exits $rc"
		sed -n '1,20p' "$tmp/$1.err" | sed 's/^/  /'
		return 1
	fi
	if [ ! -f "$tmp/$1/plan.xlsx" ]; then
		fail "$1: plan.xlsx not written"
		return 1
	fi
}

# xcheck NAME INI: the checker accepts $tmp/NAME/plan.xlsx
xcheck() {
	if "$PY" "$CHECK" "$tmp/$1" "$2" >"$tmp/$1.check" 2>&1; then
		pass "$1: $(tail -n1 "$tmp/$1.check")"
	else
		fail "$1: plan.xlsx differs from the CSV tables:"
		sed -n '1,40p' "$tmp/$1.check" | sed 's/^/  /'
	fi
}

if ! "$PY" -c 'import openpyxl' 2>"$tmp/openpyxl.err"; then
	fail "$PY cannot import openpyxl (apt-get install python3-openpyxl): $(cat "$tmp/openpyxl.err")"
	exit 1
fi

# ---- shipped and generated programs
"$PY" "$here/gen_program.py" 11 "$tmp/gen-weekend" --kind weekend >/dev/null ||
	fail "gen_program.py weekend failed"
"$PY" "$here/gen_program.py" 12 "$tmp/gen-mixed" --kind mixed >/dev/null ||
	fail "gen_program.py mixed failed"
for p in tiny:"$srcdir/etc/tiny/vdsched.ini" tianyang:"$srcdir/etc/tianyang/vdsched.ini" \
         weekend:"$tmp/gen-weekend/vdsched.ini" mixed:"$tmp/gen-mixed/vdsched.ini"; do
	name=${p%%:*} ini=${p#*:}
	plan "$name" "$ini" && xcheck "$name" "$ini"
done

# ---- a re-plan: changes.csv as the 变动 sheet; a name with a line break
# wraps inside its row
re=$tmp/replan-program
mkdir "$re"
cp "$srcdir/etc/tiny/vdsched.ini" "$srcdir/etc/tiny/clinics.csv" "$re/"
sed -i 's|^holidays *=.*|holidays = '"$srcdir"'/etc/holidays/cn-2026.ini|' "$re/vdsched.ini"
# t02 leaves; t04's name gets a line break, as a cell typed with Alt+Enter
grep -v '^t02,' "$srcdir/etc/tiny/doctors.csv" | sed 's/^t04,\([^,]*\),/t04,"\1\n（新）",/' >"$re/doctors.csv"
if grep -q '^t04,"' "$re/doctors.csv" &&
   env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$re/vdsched.ini" \
	-o "$tmp/replan" --previous "$tmp/tiny" plan >"$tmp/replan.out" 2>"$tmp/replan.err" &&
   [ -s "$tmp/replan/changes.csv" ]; then
	xcheck replan "$re/vdsched.ini"
else
	fail "replan: re-plan failed or wrote no changes.csv: $(head -3 "$tmp/replan.err")"
fi

# ---- byte-identical with SOURCE_DATE_EPOCH
if plan tianyang-again "$srcdir/etc/tianyang/vdsched.ini"; then
	if cmp -s "$tmp/tianyang/plan.xlsx" "$tmp/tianyang-again/plan.xlsx"; then
		pass "tianyang: two plans with SOURCE_DATE_EPOCH give byte-identical plan.xlsx"
	else
		fail "tianyang: two plans with SOURCE_DATE_EPOCH give different plan.xlsx"
	fi
fi

# ---- sheet names Excel would refuse
names=$tmp/names-program
mkdir "$names"
cp "$srcdir/etc/tiny/clinics.csv" "$srcdir/etc/tiny/doctors.csv" "$names/"
sed -e 's|^holidays *=.*|holidays = '"$srcdir"'/etc/holidays/cn-2026.ini|' \
    -e 's|^sites = hospital$|sites = hospital annex history|' \
    -e 's|^name *= 示例县人民医院$|name = Ward [A]:B*C?D/E\\F 示例县人民医院附属第一培训中心分部|' \
    "$srcdir/etc/tiny/vdsched.ini" >"$names/vdsched.ini"
for s in annex:排班表 history:History; do
	printf '\n[site %s]\nname = %s\nlat = 23.71\nlon = 106.91\nseats = 20\nfeatures = classroom skills_lab dental_unit\ndental_chairs = 2\n' \
		"${s%%:*}" "${s#*:}" >>"$names/vdsched.ini"
done
if plan names "$names/vdsched.ini"; then
	xcheck names "$names/vdsched.ini"
	got=$("$PY" -c 'import openpyxl, sys
print("|".join(openpyxl.load_workbook(sys.argv[1], read_only=True).sheetnames))' "$tmp/names/plan.xlsx")
	want='排班表|课次|乡镇支援|未安排|Ward _A__B_C_D_E_F 示例县人民医院附属第一培|annex|history~2|培训统计|完成情况|签到'
	if [ "$got" = "$want" ]; then
		pass "names: sites get valid sheet names: $got"
	else
		fail "names: sheets are '$got', expected '$want'"
	fi
fi

# ---- past one sheet of sign-in rows: no 签到 sheet, a warning, the CSV whole
# 43,000 doctors of the city's shape have ~1.1 million member x session
# rows, more than the 1,048,575 an Excel sheet holds below its header; the
# attendance reader reads only the sheet named 签到, so a continuation
# sheet would be filled in and never read
big=$tmp/big
if "$PY" "$srcdir/bench/gen.py" --doctors 43000 city 1 "$big" >/dev/null 2>"$tmp/big-gen.err"; then
	sed -i 's/^\[output\]$/[output]\ncalendars = none/' "$big/vdsched.ini"
	env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$big/vdsched.ini" \
		-o "$big/out" plan >"$tmp/big.out" 2>"$tmp/big.err"
	rc=$?
	rows=$(($(wc -l <"$big/out/attendance-template.csv" 2>/dev/null || echo 1) - 1))
	sheets=$("$PY" -c 'import sys, zipfile, re
x = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()
print(" ".join(n for n in re.findall(r"<sheet name=\"([^\"]*)\"", x) if n.startswith("签到") or n.startswith("排班表")))' \
		"$big/out/plan.xlsx" 2>&1)
	if { [ $rc -eq 0 ] || [ $rc -eq 3 ]; } && [ "$rows" -gt 1048575 ] && [ "$sheets" = "排班表" ] &&
	   grep -q "warning: plan.xlsx has no 签到 sheet: its $rows rows would be more than an Excel sheet holds (1048575); fill in attendance-template.csv" "$tmp/big.err" &&
	   grep -q 'plan.xlsx 中没有“签到”表' "$big/out/print/index.html" &&
	   ! grep -q '或 plan.xlsx 的“签到”表' "$big/out/print/index.html"; then
		pass "43,000 doctors: $rows sign-in rows in attendance-template.csv, no 签到 sheet, a warning and the index saying so"
	else
		fail "43,000 doctors: exit $rc, $rows rows in attendance-template.csv, sheets '$sheets' (want 排班表 alone, no 签到), index: $(grep -o '培训后把[^（]*（[^）]*）' "$big/out/print/index.html" | head -n1):"
		sed -n '1,5p' "$tmp/big.err" | sed 's/^/  /'
	fi
	rm -rf "$big"
else
	fail "bench/gen.py --doctors 43000 failed:"
	sed -n '1,5p' "$tmp/big-gen.err" | sed 's/^/  /'
fi

# ---- a workbook cut short is an error, not a plan
# libxlsxwriter does not check its scratch-file writes; past `ulimit -f`
# (as on a full disk) a sheet comes out truncated.  200 KiB holds every
# etc/tianyang CSV table but not the 排班表 sheet's XML.
lim=$tmp/limited
(trap '' XFSZ; ulimit -f 200; exec "$VDSCHED" --plugin-dir "$PLUGDIR" -q \
	-c "$srcdir/etc/tianyang/vdsched.ini" -o "$lim" plan) >"$tmp/limited.out" 2>"$tmp/limited.err"
rc=$?
if [ $rc -eq 1 ] && grep -q "plan.xlsx: error: cannot write: .*incomplete" "$tmp/limited.err" &&
   [ ! -e "$lim" ] && [ -z "$(ls -A "$tmp" | grep '^\.vdsched-')" ]; then
	pass "ulimit -f 200: exit 1, $(head -n1 "$tmp/limited.err" | sed 's|.*/plan.xlsx|plan.xlsx|'), nothing written"
else
	fail "ulimit -f 200: exit $rc (want 1, an error naming the incomplete plan.xlsx, no output folder):"
	sed -n '1,10p' "$tmp/limited.err" | sed 's/^/  /'
fi

# ---- the checker notices broken workbooks
mutate() {   # mutate NAME PYTHON-STATEMENTS (on wb): the checker must refuse it
	rm -rf "$tmp/m-$1"
	cp -r "$tmp/tiny" "$tmp/m-$1"
	"$PY" - "$tmp/m-$1/plan.xlsx" "$2" <<'EOF' || { fail "mutation $1 could not be applied"; return; }
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
exec(sys.argv[2])
wb.save(sys.argv[1])
EOF
	if "$PY" "$CHECK" "$tmp/m-$1" "$srcdir/etc/tiny/vdsched.ini" >"$tmp/m-$1.check" 2>&1; then
		fail "xlsx_check.py accepts a workbook with $1"
	else
		pass "xlsx_check.py refuses a workbook with $1: $(head -n1 "$tmp/m-$1.check")"
	fi
}
if [ -f "$tmp/tiny/plan.xlsx" ]; then
	mutate "a phone number as a number" 'ws = wb["排班表"]; ws["F2"].value = int(ws["F2"].value)'
	mutate "a date as text" 'ws = wb["排班表"]; ws["L2"].value = ws["L2"].value.strftime("%Y-%m-%d")'
	mutate "a row dropped" 'wb["课次"].delete_rows(3)'
	mutate "a narrow column" 'wb["排班表"].column_dimensions["D"].width = 4'
	mutate "no frozen header" 'wb["课次"].freeze_panes = None'
	mutate "a member missing" 'ws = wb.worksheets[4]; ws["G2"].value = ws["G2"].value.split("、", 1)[1]'
	mutate "a 签到 row dropped" 'wb["签到"].delete_rows(5)'
	mutate "a 签到 date as a date" 'import datetime; ws = wb["签到"]; ws["G2"].value = datetime.datetime.strptime(ws["G2"].value, "%Y-%m-%d")'
	mutate "no list 到缺假 on 出勤" 'wb["签到"].data_validations.dataValidation = []'
fi

if [ $failures -ne 0 ]; then
	echo "xlsx: $failures failure(s)"
	exit 1
fi
echo "xlsx: all passed"
exit 0

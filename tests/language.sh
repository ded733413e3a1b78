#!/usr/bin/env bash
# language.sh -- [output] language: the report is in the language the
# program file asks for, whatever the locale vdsched runs in; a bad value
# is an error at its line.  The pages and the workbook are in English under
# language = en (no Han character but the program's own data), and in
# Chinese otherwise, whatever the locale: with language = zh_CN, with the
# key absent under LC_ALL=C and without the zh_CN.UTF-8 locale (LOCPATH),
# byte for byte the pages of the default plan; the English sign-in sheet
# reads back as [program] attendance.
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
[ -x "$VDSCHED" ] || { echo "language: needs the vdsched binary"; exit 99; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
	{ echo "language: needs the zh_CN.UTF-8 locale (tools/install-deps makes it)"; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-language.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

cp -r "$srcdir/etc/tiny" "$srcdir/etc/holidays" "$tmp/"
chmod -R u+w "$tmp"
ini=$tmp/tiny/vdsched.ini
lang() {  # lang VALUE: set [output] language
	grep -q '^\[output\]' "$ini" || printf '\n[output]\n' >>"$ini"
	sed -i '/^language *=/d' "$ini"
	sed -i "s/^\[output\]/[output]\nlanguage = $1/" "$ini"
}
run() {  # run LOCALE OUT [INI]: plan, with the creation time of the workbook fixed
	env -u LANG -u LANGUAGE SOURCE_DATE_EPOCH=1700000000 LC_ALL=$1 "$VDSCHED" --plugin-dir "$PLUGDIR" \
		-q -c "${3:-$ini}" -o "$2" plan >/dev/null 2>"$tmp/err"
}
# han FILE...: the runs of Han characters in the files, one a line
han() { cat "$@" | LC_ALL=C.UTF-8 grep -oP '\p{Han}+' | sort -u; }
# han_left OUT: the runs of Han characters in OUT's pages and workbook
# that are not in $tmp/a-en.data (the program's own words), nor 签到
han_left() {
	unzip -p "$1/plan.xlsx" xl/workbook.xml xl/sharedStrings.xml >"$1.xlsx.txt"
	han $(find "$1/print" "$1/verify" -type f) "$1.xlsx.txt" | grep -vxF 签到 |
		while read -r w; do grep -qF -- "$w" "$tmp/a-en.data" || echo "$w"; done | head -n 8
}

lang zh_CN
run C "$tmp/zh"
if grep -q '^村医  ' "$tmp/zh/report.txt" && ! grep -q '^村医 doctors' "$tmp/zh/report.txt"; then
	pass "language = zh_CN under LC_ALL=C: the report is in Chinese"
else
	fail "language = zh_CN under LC_ALL=C: $(sed -n 5p "$tmp/zh/report.txt")"
fi
lang en
run zh_CN.UTF-8 "$tmp/en"
if grep -q '^村医 doctors' "$tmp/en/report.txt"; then
	pass "language = en under zh_CN.UTF-8: the report is in English"
else
	fail "language = en under zh_CN.UTF-8: $(sed -n 5p "$tmp/en/report.txt")"
fi
# The pages and the workbook.  A program whose own data is ASCII, but for
# the tcm plugin's course and session titles (in sessions.csv) and what it
# asks to bring (the notices' Bring row): every run
# of Han characters left in the English pages must be one of those, or the
# name of the sign-in sheet, 签到, which [program] attendance reads by it.
if command -v unzip >/dev/null; then
	a=$tmp/ascii
	cp -r "$srcdir/etc/tiny" "$a"
	chmod -R u+w "$a"
	sed -i -e 's|\.\./holidays|'"$tmp"'/holidays|' -e '/^\[course dental\]/,/^$/d' \
		-e 's/^load = .*/load = tcm/' -e '/^dental_chairs/d' -e 's/ dental_unit//' \
		-e 's/^name *= 示例县2026.*/name = Example county 2026/' -e 's/^contact *= .*/contact = Health office/' \
		-e 's/^name *= 示例县人民医院/name = County hospital/' -e 's/^address *= .*/address = 1 Main Street/' \
		-e 's/^name *= 新安镇/name = Xinan/' -e 's/^name *= 和平乡/name = Heping/' "$a/vdsched.ini"
	awk -F, -v OFS=, 'NR > 1 { $2 = "Clinic " $1; if ($3 == "新安镇") $3 = "xinan"; if ($3 == "和平乡") $3 = "heping" } 1' \
		"$srcdir/etc/tiny/clinics.csv" >"$a/clinics.csv"
	awk -F, -v OFS=, 'NR > 1 { $2 = "Doctor " $1 } 1' "$srcdir/etc/tiny/doctors.csv" >"$a/doctors.csv"
	sed -i 's|^\[output\]|[output]\nlanguage = en\nbase_url = https://example.org/t/|' "$a/vdsched.ini"
	run zh_CN.UTF-8 "$tmp/a-en" "$a/vdsched.ini" || [ $? -eq 3 ] || fail "plan of the ASCII program: $(head -n 2 "$tmp/err")"
	# the data: the titles, and what the course asks the trainees to bring
	{ cut -d, -f8- "$tmp/a-en/sessions.csv"
	  sed -n 's|.*<tr><th>Bring</th><td>\(.*\)</td></tr>.*|\1|p' "$tmp"/a-en/print/cohort-*.html; } >"$tmp/a-en.data"
	left=$(han_left "$tmp/a-en")
	if [ -s "$tmp/a-en/print/index.html" ] && [ -z "$left" ] &&
	   grep -q '<html lang="en">' "$tmp/a-en/print/index.html" &&
	   grep -q 'Printable pages' "$tmp/a-en/print/index.html" && grep -q '>doctor_id<' "$tmp/a-en.xlsx.txt"; then
		pass "language = en under zh_CN.UTF-8: the pages and the workbook are in English"
	else
		fail "language = en under zh_CN.UTF-8: Chinese left in the pages or the workbook: $(echo $left)"
	fi
	# the English sign-in sheet, filled in, reads back in a re-plan
	cp "$tmp/a-en/plan.xlsx" "$tmp/att.xlsx"
	sed -i "s|^\[program\]|[program]\nattendance = $tmp/att.xlsx|" "$a/vdsched.ini"
	env -u LANG -u LANGUAGE LC_ALL=C "$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$a/vdsched.ini" \
		-o "$tmp/a-re" plan --previous "$tmp/a-en" --freeze-before 2026-05-20 >/dev/null 2>"$tmp/err"; rc=$?
	if [ $rc -le 3 ] && [ $rc -ne 1 ] && [ $rc -ne 2 ] && [ -s "$tmp/a-re/completion.csv" ]; then
		pass "the English workbook's sign-in sheet reads back as [program] attendance"
	else
		fail "the English sign-in sheet does not read back: exit $rc: $(head -n 2 "$tmp/err")"
	fi
	left=$(han_left "$tmp/a-re")
	if [ -n "$(ls "$tmp"/a-re/verify/*.html 2>/dev/null)" ] && [ -z "$left" ] &&
	   grep -q 'Certificate of completion' "$tmp"/a-re/print/certificates/*.html; then
		pass "language = en: the re-plan's certificates, verification pages and workbook are in English"
	else
		fail "language = en: the re-plan's certificates or workbook: no certificate, or Chinese left: $(echo $left)"
	fi

	# Chinese: the key absent under zh_CN.UTF-8 (the default plan), under
	# C, and without the zh_CN.UTF-8 locale; language = zh_CN under C
	sed -i '/^language *=/d' "$ini"
	run zh_CN.UTF-8 "$tmp/d-zh"
	run C "$tmp/d-c"
	mkdir -p "$tmp/nolocales"
	LOCPATH=$tmp/nolocales run C "$tmp/d-noloc"
	lang zh_CN
	run C "$tmp/z-c"
	grep -q '<html lang="zh-CN">' "$tmp/d-zh/print/index.html" ||
		fail "the default plan's pages are not Chinese: $(grep -o '<html[^>]*>' "$tmp/d-zh/print/index.html")"
	for o in d-c d-noloc z-c; do
		if diff -r "$tmp/d-zh/print" "$tmp/$o/print" >/dev/null && cmp -s "$tmp/d-zh/plan.xlsx" "$tmp/$o/plan.xlsx" &&
		   cmp -s "$tmp/d-zh/attendance-template.csv" "$tmp/$o/attendance-template.csv"; then
			pass "$o: the pages and the workbook are the default plan's, in Chinese"
		else
			fail "$o: the pages or the workbook differ from the default plan's: $(diff -r "$tmp/d-zh/print" "$tmp/$o/print" | sed -n 2p)"
		fi
	done
else
	echo "language: no unzip; the pages and the workbook not checked"
fi

lang klingon
run C "$tmp/bad"; rc=$?
if [ $rc -eq 2 ] && grep -q "vdsched.ini:[0-9]*: error: language 'klingon'" "$tmp/err"; then
	pass "language = klingon: exit 2 at its line"
else
	fail "language = klingon: exit $rc: $(head -n1 "$tmp/err")"
fi
echo "language: $failures failure(s)"
[ "$failures" -eq 0 ]

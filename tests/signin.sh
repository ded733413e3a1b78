#!/usr/bin/env bash
# signin.sh -- the sign-in sheets (print/signin-COHORT-COURSE.html) and
# attendance-template.csv, as the office prints and fills them.
#
# Plans etc/tiny (a doctor and a clinic with long names and < & >), the
# same with 16 tcm sessions (landscape, in two tables), and two generated
# programs (tests/gen_program.py, one with cohorts whose courses differ in
# members).  tests/signin_check.py then checks that every run of
# sessions.csv has exactly one sheet, linked from index.html and from its
# cohort page; that each sheet lists exactly the run's members of that
# course (schedule.csv), each once, by township, clinic and name, with an
# empty box under each of exactly the run's sessions (sessions.csv) in
# order, headed with the date and 上午/下午; and that the template has
# BOM, CRLF, its header, and one row per member x session in the sheets'
# order (runs as index.html lists them), status empty.  plan.xlsx's 签到
# sheet is compared with the template by tests/xlsx.sh.
# Headless Chromium prints every sheet: A4, portrait up to 6 sessions and
# landscape above, a sane page count, the header row on every page, no
# text past the right margin (pdftotext -bbox).  No Chromium is left.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN.  Exit 0 pass, 1 fail.
set -u
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset VDSCHED_PLUGIN_DIR

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || echo python3)
CHROMIUM=${CHROMIUM:-chromium}

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

for t in "$VDSCHED" "$CHROMIUM" pdfinfo pdftotext "$PY"; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "FAIL: $t not found; run tools/install-deps"
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-signin.XXXXXX") || exit 1
. "$here/chromium.sh"
trap 'chromium_reap; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# ---- the programs ----
mkdir -p progs
cp -R "$srcdir/etc/tiny" "$srcdir/etc/holidays" progs/ || exit 1
# a name to escape and wrap, a clinic name far wider than its column
sed -i 's/^t05,[^,]*,/t05,梁<b>丽\&华>·阿卜杜热合曼·买买提依明,/' progs/tiny/doctors.csv
sed -i 's/^xa-02,[^,]*,/xa-02,南坪村第一卫生室（原南坪乡中心卫生院分院）,/' progs/tiny/clinics.csv
cp -R progs/tiny progs/tiny-long
# 8 techniques of 2 days: 16 sessions, past one table's 12 columns
sed -i 's/^\[course tcm\]$/[course tcm]\ndays_per_technique = 2/' progs/tiny-long/vdsched.ini
"$PY" "$srcdir/tests/gen_program.py" 1 progs/gen >/dev/null || exit 1
"$PY" "$srcdir/tests/gen_program.py" 11 progs/weekend --kind weekend >/dev/null || exit 1

for prog in tiny tiny-long gen weekend; do
	out=$tmp/out-$prog
	"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c "progs/$prog/vdsched.ini" -o "$out" plan >"$prog.out" 2>"$prog.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		fail "$prog: plan exited $rc: $(head -3 "$prog.err")"
		continue
	fi
	if res=$("$PY" "$here/signin_check.py" "$out" 2>&1); then
		pass "$prog: $res"
	else
		fail "$prog: sheets or template wrong:"
		echo "$res" | head -20 | sed 's/^/    /'
	fi

	# print every sheet
	mkdir -p "pdf-$prog"
	for f in "$out"/print/signin-*.html; do
		n=${f##*/}
		n=${n%.html}
		chromium_run "pdf-$prog/$n.out" "--print-to-pdf=$tmp/pdf-$prog/$n.pdf" --no-pdf-header-footer "file://$f" ||
			fail "$prog: Chromium could not print $n"
	done
	if res=$("$PY" "$here/signin_check.py" --pdf "$out" "pdf-$prog" 2>&1); then
		pass "$prog: $res"
	else
		fail "$prog: printed sheets wrong:"
		echo "$res" | head -20 | sed 's/^/    /'
	fi
done

# the long names: escaped, and the 16 sessions on landscape in two tables
f=$(grep -l 'data-doctor="t05"' out-tiny/print/signin-*.html | head -1)
if [ -n "$f" ] && grep -q '梁&lt;b&gt;丽&amp;华&gt;' "$f" && ! grep -q '梁<b>' "$f"; then
	pass "a name with < & > is escaped on the sheet"
else
	fail "the name 梁<b>丽&华> is not escaped on ${f:-any sheet}"
fi
f=out-tiny-long/print/signin-C001-tcm.html
if [ "$(grep -o '<table class="signin">' "$f" | wc -l)" -eq 2 ] && grep -q 'size: A4 landscape' "$f"; then
	pass "16 sessions: landscape, two tables of 8"
else
	fail "16 sessions: $(grep -o '<table class="signin">' "$f" | wc -l) tables in $f"
fi

# the same inputs give the same sheets and template
"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c progs/gen/vdsched.ini -o "$tmp/again" plan >/dev/null 2>&1
if cmp -s out-gen/attendance-template.csv again/attendance-template.csv &&
	diff -r out-gen/print again/print >/dev/null; then
	pass "two plans give byte-identical sheets and template"
else
	fail "two plans of one program give different sheets or template"
fi

chromium_reap
left=$(chromium_left)
[ -z "$left" ] && pass "no Chromium process left" || fail "Chromium processes left: $left"

echo "signin: $failures failures"
[ $failures -eq 0 ]

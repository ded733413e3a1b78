#!/usr/bin/env bash
# completion.sh -- who completed what: completion.csv, report.txt's
# 培训完成情况, plan.xlsx's 培训统计 and the 结业证书 with their QR codes.
#
# Plans a copy of etc/tiny (with [output] base_url, `credits = 5` on
# course tcm and the default on dental), then re-plans it with
# --freeze-before a date in the middle of the program.  For both plans
# tests/completion_check.py recounts completion.csv from schedule.csv,
# unscheduled.csv and sessions.csv (status by the dates, hours from the
# sessions' times, credits as configured), and the report's and the
# sheet's counts from completion.csv; certificates exist exactly for the
# completed rows.  Then headless Chromium prints certificates: each is one
# A4 page whose QR code decodes (zbarimg) to BASE_URL/verify/CERTNO.html,
# a page that exists in the output folder.  A second re-plan from the
# first gives byte-identical certificates and verification pages, and a
# plan without base_url has certificates without QR codes and no verify/.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN (python3 with openpyxl).  Exit 0 pass, 1 fail.
set -u
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset VDSCHED_PLUGIN_DIR

# run by hand from the source tree, the build is here too
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$here/..}
VDSCHED=${VDSCHED:-${top_builddir:-$srcdir}/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-${top_builddir:-$srcdir}/plugins/lib}
BASE=https://example.org/peixun/
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
CHROMIUM=${CHROMIUM:-chromium}
FREEZE=2026-05-11
CREDITS='{"tcm": 5, "dental": null}'
TOWNSHIPS='{"xinan": "新安镇", "heping": "和平乡"}'

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

for t in "$VDSCHED" "$CHROMIUM" zbarimg pdftoppm pdfinfo "$PY"; do
	command -v "$t" >/dev/null 2>&1 || { echo "FAIL: $t not found; run tools/install-deps"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-completion.XXXXXX") || exit 1
. "$here/chromium.sh"
trap 'chromium_reap; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

cp -R "$srcdir/etc/tiny" "$srcdir/etc/holidays" . || exit 1
sed -i 's/^\[course tcm\]$/[course tcm]\ncredits = 5/' tiny/vdsched.ini
cp -R tiny tiny-nourl
printf 'base_url = %s\n' "$BASE" >>tiny/vdsched.ini

plan() {  # plan INI OUT [ARGS...]
	local ini=$1 out=$2
	shift 2
	"$VDSCHED" --plugin-dir "$PLUGDIR" -c "$ini" plan -q -o "$out" "$@" >"$out.log" 2>&1
	local rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 2 ] || { cat "$out.log"; return 1; }
}

check() {  # check OUT FREEZE|- BASE|-: completion_check.py
	if "$PY" "$here/completion_check.py" "$1" "$2" tiny-2026 "$CREDITS" "$3" "$TOWNSHIPS" >"$1.check" 2>&1; then
		pass "$(tail -1 "$1.check")"
	else
		cat "$1.check"
		fail "completion_check.py $1"
	fi
}

plan tiny/vdsched.ini first || fail "plan"
plan tiny/vdsched.ini mid --previous first --freeze-before "$FREEZE" || fail "re-plan --freeze-before $FREEZE"
plan tiny/vdsched.ini mid2 --previous mid --freeze-before "$FREEZE" || fail "second re-plan"
check first - "$BASE"
check mid "$FREEZE" "$BASE"

# both kinds of completed rows and rows still to come, or the check above
# proved little
for s in completed in_progress scheduled; do
	grep -q ",$s," mid/completion.csv || fail "no $s row in mid/completion.csv"
done
grep -q ',tcm,[^,]*,completed,[0-9]*,[0-9]*,[0-9.]*,5,' mid/completion.csv ||
	fail "tcm's completed rows do not earn its configured 5 credits"

# ---- certificates as printed ----
# Chromium is slow: the first certificate of each course
pages=()
for course in tcm dental; do
	for page in mid/print/certificates/tiny-2026-$course-*.html; do
		[ -f "$page" ] && pages+=("$page")
		break
	done
done
[ ${#pages[@]} -eq 2 ] || fail "no certificate of each course to print: ${pages[*]}"
for page in "${pages[@]}"; do
	name=$(basename "$page" .html)
	if ! chromium_run "$name.out" "--print-to-pdf=$tmp/$name.pdf" --no-pdf-header-footer "file://$tmp/$page" ||
	   ! [ -s "$name.pdf" ]; then
		fail "Chromium could not print $page"
		continue
	fi
	info=$(pdfinfo "$name.pdf")
	grep -q '^Pages: *1$' <<<"$info" || fail "$name: not one page: $(grep Pages <<<"$info")"
	grep -Eq '^Page size: *59[45](\.[0-9]*)? x 84[12](\.[0-9]*)? pts' <<<"$info" ||
		fail "$name: not A4: $(grep 'Page size' <<<"$info")"
	pdftoppm -r 150 -gray -png "$name.pdf" "$name"
	got=$(zbarimg -q --raw -Sdisable -Sqrcode.enable "$name"*.png 2>/dev/null)
	want="${BASE}verify/$name.html"
	if [ "$got" = "$want" ] && [ -s "mid/verify/$name.html" ]; then
		pass "$name: one A4 page, its QR code reads $got, which exists"
	else
		fail "$name: QR code reads '$got', expected '$want' (mid/verify/$name.html exists: $([ -s "mid/verify/$name.html" ] && echo yes || echo no))"
	fi
done

# ---- the same completion gives the same pages ----
if diff -r mid/print/certificates mid2/print/certificates >/dev/null &&
   diff -r mid/verify mid2/verify >/dev/null; then
	pass "a second re-plan gives byte-identical certificates and verification pages"
else
	fail "certificates or verification pages differ between two re-plans with the same completion"
fi

# ---- without base_url: no verify/, no QR code ----
plan tiny-nourl/vdsched.ini nourl || fail "plan without base_url"
plan tiny-nourl/vdsched.ini nourl-mid --previous nourl --freeze-before "$FREEZE" || fail "re-plan without base_url"
check nourl-mid "$FREEZE" -
if grep -l '<svg' nourl-mid/print/certificates/*.html >/dev/null 2>&1; then
	fail "a certificate has a QR code without base_url"
else
	pass "without base_url the certificates have no QR code"
fi

chromium_reap
left=$(chromium_left)
[ -z "$left" ] || fail "Chromium processes left: $left"
echo "$failures failure(s)"
[ $failures -eq 0 ]

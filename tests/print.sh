#!/usr/bin/env bash
# print.sh -- the printable pages in out/print/, as a printer and a phone
# see them.
#
# Plans etc/tiny and a generated program (tests/gen_program.py), each with
# and without [output] base_url, then for every page of print/:
#   - headless Chromium prints it to PDF; the PDF is rasterized at
#     150 dpi (pdftoppm) and zbarimg reads every QR code on every printed
#     page (a code cut by a page break does not read);
#   - each course on a cohort page lists exactly the doctors who take it
#     there (schedule.csv), not every member of the cohort;
#   - each cohort page's decoded texts must be exactly the calendar
#     addresses of that cohort's doctors (from schedule.csv: base_url +
#     ics/doctors/ID.ics, or the relative path without base_url), each
#     once, none missing, none extra, and each must name a calendar file
#     that was written; site pages and index.html hold no QR code;
#   - index.html links every page.
#   - tests/signin_check.py: every run of sessions.csv has one sign-in
#     sheet (print/signin-COHORT-COURSE.html), linked from index.html and
#     its cohort page, listing exactly the run's members of that course
#     (schedule.csv), each once, by township, clinic and name, with a box
#     under each of exactly its sessions (sessions.csv) in order, headed
#     with the date and 上午/下午; attendance-template.csv has BOM, CRLF,
#     its header and one row per member x session in the sheets' order
#     (runs as index.html lists them), status empty (plan.xlsx's 签到 sheet
#     is compared with it by tests/xlsx.sh).  The sheets of tiny, gen and
#     tiny-long (long names, 16 sessions) print on A4, portrait up to 6
#     sessions and landscape above, in a sane number of pages, the header
#     row on every page, not shrunk to fit, no text past the margin
#     (pdftotext -bbox).
# Also: one cohort page is A4 in PDF (595 x 842 pt) and its screenshot
# decodes the same, a name with < & > is escaped, two plans give
# byte-identical pages, a bad base_url is refused, and a Chinese font is
# installed (or Chromium prints boxes).  No Chromium process is left.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN.  Exit 0 pass, 1 fail.  Nothing is skipped:
# tools/install-deps installs chromium, zbar-tools, poppler-utils and the
# fonts.
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
BASE=https://example.org/peixun/

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

for t in "$VDSCHED" "$CHROMIUM" zbarimg pdftoppm pdfinfo pdftotext fc-list "$PY"; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "FAIL: $t not found; run tools/install-deps"
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-print.XXXXXX") || exit 1
. "$here/chromium.sh"
trap 'chromium_reap; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# chrome OUT.pdf|OUT.png FILE.html: print or screenshot one page
chrome() {
	local out=$1 page=$2
	local what=("--print-to-pdf=$out" --no-pdf-header-footer)
	case $out in
	*.png) what=("--screenshot=$out" --force-device-scale-factor=2 --window-size=800,4000) ;;
	esac
	chromium_run "$out.stdout" "${what[@]}" "file://$page" && [ -s "$out" ]
}

# A Chinese font must be installed, or every page prints boxes.
if [ -n "$(fc-list :lang=zh-cn family 2>/dev/null)" ]; then
	pass "a Chinese font is installed"
else
	fail "no Chinese font (fc-list :lang=zh-cn); apt-get install fonts-wqy-microhei"
fi

# ---- the programs ----
mkdir -p progs
cp -R "$srcdir/etc/tiny" "$srcdir/etc/holidays" progs/ || exit 1
# a doctor whose name needs escaping
sed -i 's/^t05,[^,]*,/t05,梁<b>丽\&华>,/' progs/tiny/doctors.csv
cp -R progs/tiny progs/tiny-url
printf 'base_url = %s\n' "${BASE%/}" >>progs/tiny-url/vdsched.ini  # the '/' is added
"$PY" "$srcdir/tests/gen_program.py" 1 progs/gen || exit 1
cp -R progs/gen progs/gen-url
printf 'base_url = %s\n' "$BASE" >>progs/gen-url/vdsched.ini
# sign-in sheets: a name and a clinic name far wider than their columns;
# 8 techniques of 2 days, 16 sessions, past one table's 12 columns
cp -R progs/tiny progs/tiny-long
sed -i 's/^t05,[^,]*,/t05,梁<b>丽\&华>·阿卜杜热合曼·买买提依明,/' progs/tiny-long/doctors.csv
sed -i 's/^xa-02,[^,]*,/xa-02,南坪村第一卫生室（原南坪乡中心卫生院分院）,/' progs/tiny-long/clinics.csv
sed -i 's/^\[course tcm\]$/[course tcm]\ndays_per_technique = 2/' progs/tiny-long/vdsched.ini

# signin_sheets PROG: check and print the sign-in sheets of out-PROG
signin_sheets() {
	local prog=$1 out=$tmp/out-$1 res f n
	if res=$("$PY" "$here/signin_check.py" "$out" 2>&1); then
		pass "$prog: $res"
	else
		fail "$prog: sign-in sheets or template wrong:"
		echo "$res" | head -20 | sed 's/^/    /'
	fi
	case $prog in *-url) return ;; esac   # the same sheets as without
	mkdir -p "signin-$prog"
	for f in "$out"/print/signin-*.html; do
		n=${f##*/}
		chrome "$tmp/signin-$prog/${n%.html}.pdf" "$f" || fail "$prog: Chromium could not print $n"
	done
	if res=$("$PY" "$here/signin_check.py" --pdf "$out" "signin-$prog" 2>&1); then
		pass "$prog: $res"
	else
		fail "$prog: printed sign-in sheets wrong:"
		echo "$res" | head -20 | sed 's/^/    /'
	fi
}

total_ok=0 total_exp=0 total_pages=0
for prog in tiny tiny-url gen gen-url tiny-long; do
	ini=progs/$prog/vdsched.ini
	out=$tmp/out-$prog
	base=
	case $prog in *-url) base=$BASE ;; esac
	"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c "$ini" -o "$out" plan >"$prog.out" 2>"$prog.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		fail "$prog: plan exited $rc: $(head -3 "$prog.err")"
		continue
	fi
	if [ ! -f "$out/print/index.html" ]; then
		fail "$prog: no print/index.html"
		continue
	fi

	# every page is linked from index.html
	missing=
	for f in "$out"/print/*.html; do
		n=${f##*/}
		[ "$n" = index.html ] && continue
		grep -q "href=\"$n\"" "$out/print/index.html" || missing="$missing $n"
	done
	[ -z "$missing" ] && pass "$prog: index.html links every page" ||
		fail "$prog: index.html does not link$missing"

	# each course of a cohort page lists exactly who attends it
	res=$("$PY" - "$out" <<'EOF'
import csv, glob, os, re, sys
out = sys.argv[1]
want = {}
with open(os.path.join(out, "schedule.csv"), newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        want.setdefault((r["cohort_id"], r["course_id"]), set()).add(r["doctor_id"])
got, bad, mixed = {}, [], 0
for page in glob.glob(os.path.join(out, "print", "cohort-*.html")):
    cohort = os.path.basename(page)[7:-5]
    html = open(page, encoding="utf-8").read()
    for course, body in re.findall(r'<ol class="roster" data-course="([^"]*)">(.*?)</ol>', html, re.S):
        if (cohort, course) in got:
            bad.append("%s lists %s twice" % (cohort, course))
        got[(cohort, course)] = set(re.findall(r'<li data-doctor="([^"]*)"', body))
for k in sorted(set(want) | set(got)):
    if want.get(k) != got.get(k):
        bad.append("cohort %s course %s: page lists %s, schedule.csv %s" %
                   (k[0], k[1], sorted(got.get(k, ())), sorted(want.get(k, ()))))
cohorts = {c for c, _ in want}
for c in cohorts:
    sets = [v for (cc, _), v in want.items() if cc == c]
    mixed += any(v != sets[0] for v in sets)
print(len(want), mixed)
for b in bad[:10]:
    print(b)
EOF
)
	read -r nruns nmixed <<<"$(echo "$res" | head -1)"
	if [ "$(echo "$res" | wc -l)" -eq 1 ] && [ "${nruns:-0}" -gt 0 ]; then
		pass "$prog: the $nruns course rosters on cohort pages match schedule.csv ($nmixed cohorts whose courses differ in members)"
	else
		fail "$prog: course rosters on cohort pages differ from schedule.csv"
		echo "$res" | tail -n +2 | sed 's/^/    /'
	fi
	[ "$prog" != gen ] || [ "${nmixed:-0}" -gt 0 ] ||
		fail "gen: no cohort whose courses differ in members; the roster test tests nothing"

	signin_sheets "$prog"

	# print every page and read its QR codes (the sign-in sheets hold
	# none: signin_sheets printed them)
	mkdir -p "dec-$prog"
	pages=0 badrender=
	for f in "$out"/print/*.html; do
		n=${f##*/}
		n=${n%.html}
		case $n in signin-*) continue ;; esac
		if chrome "$tmp/dec-$prog/$n.pdf" "$f"; then
			pages=$((pages + 1))
		else
			badrender="$badrender $n"
		fi
	done
	total_pages=$((total_pages + pages))
	[ -z "$badrender" ] && pass "$prog: Chromium printed all $pages pages" ||
		fail "$prog: Chromium could not print$badrender"

	# compare with schedule.csv
	res=$("$PY" - "$out" "$tmp/dec-$prog" "$base" <<'EOF'
import csv, glob, os, subprocess, sys
out, dec, base = sys.argv[1:4]

def scan(pdf, dpi):
    """The texts of the QR codes zbarimg reads on the PDF's pages."""
    stem = pdf[:-4] + "-%d" % dpi
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", pdf, stem], check=True)
    got = []
    for png in sorted(glob.glob(stem + "-*.png")):
        r = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", png],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        got += r.stdout.split()
        os.remove(png)
    return got

cohorts, sites = {}, set()
with open(os.path.join(out, "schedule.csv"), newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        cohorts.setdefault(r["cohort_id"], set()).add(r["doctor_id"])
        sites.add(r["site_id"])
bad = []
ok = exp = 0
pages = {os.path.basename(p)[:-4] for p in glob.glob(os.path.join(dec, "*.pdf"))}
for c in sorted(cohorts):
    if "cohort-" + c not in pages:
        bad.append("no page for cohort %s" % c)
for p in sorted(pages):
    if p.startswith("cohort-") and p[7:] not in cohorts:
        bad.append("page %s is of no cohort in schedule.csv" % p)
for s in sorted(sites):
    if "site-" + s not in pages:
        bad.append("no page for site %s" % s)
for p in sorted(pages):
    pdf = os.path.join(dec, p + ".pdf")
    if p.startswith("cohort-") and p[7:] in cohorts:
        expect = [base + "ics/doctors/%s.ics" % d for d in sorted(cohorts[p[7:]])]
    else:
        expect = []
    # 150 dpi, an office scanner's or fax's resolution: every code must
    # read there at the first try
    got = scan(pdf, 150)
    with open(os.path.join(dec, p + ".txt"), "w", encoding="utf-8") as f:
        f.write("".join(u + "\n" for u in got))
    exp += len(expect)
    for u in expect:
        n = got.count(u)
        if n == 1:
            ok += 1
        elif n == 0:
            bad.append("%s: QR code of %s missing or unreadable" % (p, u))
        else:
            bad.append("%s: QR code of %s printed %d times" % (p, u, n))
    for u in sorted(set(got) - set(expect)):
        bad.append("%s: unexpected QR code %s" % (p, u))
    for u in sorted(set(got)):
        rel = u[len(base):] if base and u.startswith(base) else u
        if not os.path.isfile(os.path.join(out, rel)):
            bad.append("%s: QR code %s names no calendar that was written" % (p, u))
print(ok, exp, len(cohorts))
for b in bad[:20]:
    print(b)
EOF
)
	read -r ok exp ncoh <<<"$(echo "$res" | head -1)"
	: "${ok:=0}" "${exp:=0}" "${ncoh:=0}"
	total_ok=$((total_ok + ok))
	total_exp=$((total_exp + exp))
	if [ "$(echo "$res" | wc -l)" -eq 1 ] && [ "$ok" -eq "$exp" ] && [ "$exp" -gt 0 ]; then
		pass "$prog: $ok/$exp QR codes on $ncoh cohort pages decode at 150 dpi to the doctors' calendar addresses"
	else
		fail "$prog: $ok/$exp QR codes right"
		echo "$res" | tail -n +2 | sed 's/^/    /'
	fi
done
echo "print: $total_pages pages printed; QR codes decoded $total_ok / $total_exp expected"

# ---- one cohort page: A4, and its screenshot decodes too ----
page=$tmp/out-tiny-url/print/cohort-C001.html
pdf=$tmp/dec-tiny-url/cohort-C001.pdf
size=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Page size:/ { printf "%d x %d", $3 + 0.5, $5 + 0.5 }')
[ "$size" = "595 x 842" ] && pass "cohort page prints on A4 ($size pt)" ||
	fail "cohort page is '$size' pt, not A4 595 x 842"
if chrome "$tmp/shot.png" "$page"; then
	zbarimg -q --raw -Sdisable -Sqrcode.enable "$tmp/shot.png" 2>/dev/null | sort >shot.txt
	sort "$tmp/dec-tiny-url/cohort-C001.txt" >pdf.txt
	if [ -s shot.txt ] && cmp -s shot.txt pdf.txt; then
		pass "screenshot of cohort-C001 decodes the same $(wc -l <shot.txt) QR codes"
	else
		fail "screenshot of cohort-C001 decodes $(wc -l <shot.txt) QR codes, the PDF $(wc -l <pdf.txt)"
	fi
else
	fail "Chromium could not take a screenshot of $page"
fi

# ---- escaping ----
f=$(grep -l 't05' "$tmp"/out-tiny/print/cohort-*.html | head -1)
if [ -n "$f" ] && grep -q '梁&lt;b&gt;丽&amp;华&gt;' "$f" && ! grep -q '梁<b>' "$f"; then
	pass "a name with < & > is escaped"
else
	fail "the name 梁<b>丽&华> is not escaped in ${f:-any cohort page}"
fi
f=$(grep -l 'data-doctor="t05"' "$tmp"/out-tiny/print/signin-*.html | head -1)
if [ -n "$f" ] && grep -q '梁&lt;b&gt;丽&amp;华&gt;' "$f" && ! grep -q '梁<b>' "$f"; then
	pass "a name with < & > is escaped on the sign-in sheet"
else
	fail "the name 梁<b>丽&华> is not escaped on ${f:-any sign-in sheet}"
fi
f=$tmp/out-tiny-long/print/signin-C001-tcm.html
if [ "$(grep -o '<table class="signin">' "$f" | wc -l)" -eq 2 ] && grep -q 'size: A4 landscape' "$f"; then
	pass "16 sessions: a landscape sign-in sheet in two tables of 8 sessions"
else
	fail "16 sessions: $(grep -o '<table class="signin">' "$f" | wc -l) tables in $f"
fi
grep -q '<html lang="zh-CN">' "$page" && grep -q '<meta charset="utf-8">' "$page" &&
	grep -q '@page { size: A4; margin: 12mm }' "$page" &&
	pass "pages declare zh-CN, UTF-8 and A4" || fail "page head lacks lang, charset or @page"

# ---- deterministic ----
"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c progs/gen-url/vdsched.ini -o "$tmp/again" plan >/dev/null 2>&1
if diff -r "$tmp/out-gen-url/print" "$tmp/again/print" >/dev/null &&
	cmp -s "$tmp/out-gen-url/attendance-template.csv" "$tmp/again/attendance-template.csv"; then
	pass "two plans give byte-identical pages and attendance templates"
else
	fail "two plans of one program give different pages"
fi
# replanning into the same folder keeps working (print/ is ours)
"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c progs/gen-url/vdsched.ini -o "$tmp/again" plan >/dev/null 2>again.err
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 3 ] && pass "replanning over print/ works" ||
	fail "replanning over a folder holding print/ exited $rc: $(head -1 again.err)"

# ---- no doctors' calendars, no QR codes pointing at missing files ----
cp -R progs/tiny-url progs/nodoc
printf 'calendars = cohorts sites\n' >>progs/nodoc/vdsched.ini
"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c progs/nodoc/vdsched.ini -o "$tmp/nodoc" plan >/dev/null 2>&1
if [ -f "$tmp/nodoc/print/cohort-C001.html" ] && ! grep -q '<svg' "$tmp"/nodoc/print/cohort-*.html "$tmp"/nodoc/print/site-*.html &&
	grep -q '黄秀兰' "$tmp/nodoc/print/cohort-C001.html"; then
	pass "calendars without doctors: member lists without QR codes"
else
	fail "calendars = cohorts sites: cohort pages missing or holding QR codes of calendars not written"
fi

# ---- a bad base_url is refused ----
cp -R progs/tiny progs/bad
printf 'base_url = ftp://example.org/peixun/\n' >>progs/bad/vdsched.ini
line=$(wc -l <progs/bad/vdsched.ini)
"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c progs/bad/vdsched.ini -o "$tmp/bad-out" plan >/dev/null 2>bad.err
rc=$?
if [ $rc -eq 2 ] && grep -q "vdsched.ini:$line: error: base_url 'ftp://example.org/peixun/' must start with https://" bad.err &&
	[ ! -e "$tmp/bad-out" ]; then
	pass "a bad base_url: exit 2, FILE:LINE: error:, nothing written"
else
	fail "a bad base_url: exit $rc, $(head -1 bad.err)"
fi

chromium_reap
left=$(chromium_left)
[ -z "$left" ] && pass "no Chromium process left" || fail "Chromium processes left: $left"

echo "print: $failures failures"
[ $failures -eq 0 ]

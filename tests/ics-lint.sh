#!/bin/sh
# ics-lint.sh -- the byte-level lint (tests/ics-lint.py), on its fixtures
# and on the calendars of generated programs with long texts.
#
# 1. tests/data/ics-lint: good.ics passes; each bad-*.ics fails with its
#    message.  bad-cr-fold-lf.ics is libical 3.0.16's own serialization of
#    a 73-octet DESCRIPTION (CR, fold, LF), which vdsched must repair.
# 2. ICS_LINT_PROGRAMS (default 6) programs of tests/gen_program.py
#    --long-text (long Chinese contacts in every DESCRIPTION, long site
#    names and addresses, doctor names with commas): planned, then every
#    calendar linted and checked by tests/ics-validate.sh.
# Exit 0 pass, 1 fail.
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
lint="$here/ics-lint.py"
fix="$srcdir/tests/data/ics-lint"
fail=0

"$PY" "$lint" "$fix/good.ics" >/dev/null || { echo "FAIL: good.ics rejected"; fail=1; }
for want in "bad-bare-lf:bare LF" "bad-bare-cr:bare CR" "bad-long:octets (max 75)" \
            "bad-utf8-split:UTF-8 sequence split across a fold" \
            "bad-cr-fold-lf:fold inside a line end" "bad-empty-fold:empty continuation line"; do
	f=${want%%:*}
	msg=${want#*:}
	if "$PY" "$lint" "$fix/$f.ics" >/dev/null 2>"${TMPDIR:-/tmp}/ics-lint.$$"; then
		echo "FAIL: $f.ics passes the lint"; fail=1
	elif ! grep -q "$msg" "${TMPDIR:-/tmp}/ics-lint.$$"; then
		echo "FAIL: $f.ics: no '$msg' in:"; cat "${TMPDIR:-/tmp}/ics-lint.$$"; fail=1
	else
		echo "ok: $f.ics: $(head -n1 "${TMPDIR:-/tmp}/ics-lint.$$")"
	fi
	rm -f "${TMPDIR:-/tmp}/ics-lint.$$"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ics-lint.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=${ICS_LINT_PROGRAMS:-6}
kinds="mixed tight seats weekend holidays unavail"
i=0
for k in $kinds $kinds; do
	i=$((i + 1))
	[ $i -gt "$n" ] && break
	d="$tmp/$i-$k"
	"$PY" "$srcdir/tests/gen_program.py" "$i" "$d" --kind "$k" --long-text || { echo "FAIL: gen_program.py $i"; fail=1; continue; }
	SOURCE_DATE_EPOCH=1767225600 "$VDSCHED" -q --plugin-dir "$PLUGDIR" -c "$d/vdsched.ini" -o "$d/out" plan >"$d/plan.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "FAIL: program $i ($k): plan exits $rc"; sed -n 1,5p "$d/plan.out"; fail=1; continue
	fi
	if out=$("$PY" "$lint" "$d/out/ics" 2>&1); then
		echo "ok: program $i ($k): $out"
	else
		echo "FAIL: program $i ($k):"; echo "$out" | sed -n 1,20p; fail=1
	fi
	if ! sh "$here/ics-validate.sh" --sessions "$d/out/sessions.csv" "$d/out/ics" >"$d/val.out" 2>&1; then
		echo "FAIL: program $i ($k): ics-validate.sh:"; sed -n 1,20p "$d/val.out"; fail=1
	fi
done
exit $fail

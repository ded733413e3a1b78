#!/usr/bin/env bash
# language.sh -- [output] language: the report is in the language the
# program file asks for, whatever the locale vdsched runs in; a bad value
# is an error at its line.
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
run() {  # run LOCALE OUT
	env -u LANG -u LANGUAGE LC_ALL=$1 "$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$ini" -o "$2" plan >/dev/null 2>"$tmp/err"
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
lang klingon
run C "$tmp/bad"; rc=$?
if [ $rc -eq 2 ] && grep -q "vdsched.ini:[0-9]*: error: language 'klingon'" "$tmp/err"; then
	pass "language = klingon: exit 2 at its line"
else
	fail "language = klingon: exit $rc: $(head -n1 "$tmp/err")"
fi
echo "language: $failures failure(s)"
[ "$failures" -eq 0 ]

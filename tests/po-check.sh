#!/bin/sh
# po-check.sh -- the Chinese catalogue is complete and well-formed.
#
# tools/po-check must pass: po/zh_CN.po has no untranslated or fuzzy
# message, msgfmt --check accepts it (format specifiers match), and the
# template regenerated from the sources has no message that zh_CN.po
# lacks.  Then the same checker must notice a new, untranslated message in
# a copy of the sources -- so that this test can fail.
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
fails=0

msgfmt --check --statistics -o /dev/null "$srcdir/po/zh_CN.po" 2>"${TMPDIR:-/tmp}/po-check.$$" ||
	{ echo "FAIL msgfmt --check:"; cat "${TMPDIR:-/tmp}/po-check.$$"; fails=$((fails + 1)); }
stats=$(cat "${TMPDIR:-/tmp}/po-check.$$"); rm -f "${TMPDIR:-/tmp}/po-check.$$"
echo "po/zh_CN.po: $stats"
case $stats in *untranslated*|*fuzzy*) echo "FAIL po/zh_CN.po: $stats"; fails=$((fails + 1)) ;; esac

top_srcdir=$srcdir sh "$srcdir/tools/po-check" || { echo "FAIL tools/po-check"; fails=$((fails + 1)); }

# The checker sees a new message: copy what it reads, add one string.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/po-check-self.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/man"
cp -R "$srcdir/src" "$srcdir/plugins" "$srcdir/po" "$srcdir/tools" "$tmp/"
cp "$srcdir"/man/po4a.cfg "$srcdir"/man/*.[157] "$tmp/man/"
chmod -R u+w "$tmp"
printf 'const char *po_check_selftest(void) { return _("a message nobody translated"); }\n' >>"$tmp/src/main.c"
out=$(top_srcdir=$tmp PO_CHECK_MAN= sh "$tmp/tools/po-check" 2>&1)
if [ $? -eq 0 ] || ! printf '%s\n' "$out" | grep -q 'a message nobody translated'; then
	echo "FAIL tools/po-check did not notice a new message:"; printf '%s\n' "$out" | head -n 5
	fails=$((fails + 1))
fi
# ... and a new file using _() that po/POTFILES.in does not list.
printf '#include "i18n.h"\nconst char *f(void) { return _("x"); }\n' >"$tmp/src/newfile.c"
out=$(top_srcdir=$tmp sh "$tmp/tools/po-check" 2>&1)
printf '%s\n' "$out" | grep -q 'src/newfile.c uses _() but is not listed' ||
	{ echo "FAIL tools/po-check did not notice src/newfile.c"; fails=$((fails + 1)); }

[ $fails -eq 0 ] && echo "po-check: ok"
[ $fails -eq 0 ]

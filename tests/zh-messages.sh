#!/usr/bin/env bash
# zh-messages.sh -- under a Chinese locale vdsched speaks Chinese; under
# LANG=C, English.
#
# Runs `vdsched check` on every invalid program of tests/bad/ (the format
# is described in tests/bad-input.sh) with LANG=zh_CN.UTF-8, and fails if
#   - a line on standard error has no Chinese character (U+4E00..U+9FFF),
#   - the case's expected `FILE:LINE: error:` is not there as
#     `FILE:LINE: 错误：` (the place must survive the translation),
#   - English "error:"/"warning:" is left in a message.
# Then checks that --help and the summary of `plan` are Chinese, and that
# under LANG=C they are English, byte for byte what the program says
# without a catalogue; and that the Chinese manual pages render in Chinese.
#
# The catalogue comes from the build tree: VDSCHED_LOCALEDIR (set by make
# check to $(top_builddir)/locale, where the build copies po/zh_CN.gmo).
# Environment: VDSCHED, VDSCHED_TEST_PLUGIN_DIR, top_srcdir as for
# tests/bad-input.sh; ZH_CASES: only cases whose name contains it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
VDSCHED=${VDSCHED:-$srcdir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$srcdir/plugins/lib}
unset VDSCHED_PLUGIN_DIR LANGUAGE LC_ALL
if [ "${USE_NLS:-yes}" = no ]; then
	echo "zh-messages: configured with --disable-nls; skipped"
	exit 77
fi
export VDSCHED_LOCALEDIR=${VDSCHED_LOCALEDIR:-$srcdir/locale}
if [ ! -f "$VDSCHED_LOCALEDIR/zh_CN/LC_MESSAGES/vdsched.mo" ]; then
	echo "zh-messages: FAIL: no catalogue $VDSCHED_LOCALEDIR/zh_CN/LC_MESSAGES/vdsched.mo (run make)"
	exit 1
fi
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	echo "zh-messages: FAIL: the zh_CN.UTF-8 locale is missing; run tools/install-deps"
	exit 1
fi
ZH="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-zh.XXXXXX") || exit 1
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
# no_cjk FILE: the first lines of FILE (cut at 2000 bytes: case 013 quotes
# 200 MB) with no CJK ideograph; grep failing (exit 2) is a failure too.
no_cjk() {
	cut -c1-2000 "$1" | LC_ALL=C.UTF-8 grep -P -v '[\x{4E00}-\x{9FFF}]' | head -n 3
	[ "${PIPESTATUS[1]}" -le 1 ] || echo "(grep failed on $1)"
}

ncase=0
for dir in "$srcdir"/tests/bad/[0-9]*/; do
	dir=${dir%/}
	name=${dir##*/}
	case $name in *"${ZH_CASES:-}"*) ;; *) continue ;; esac
	ncase=$((ncase + 1))
	w=$tmp/$name
	mkdir -p "$w"
	cp -R "$srcdir/etc/tiny" "$srcdir/etc/holidays" "$w/"
	chmod -R u+w "$w"
	for f in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$f" ] || continue
		case ${f##*/} in expect|setup.sh) continue ;; esac
		cp -R "$f" "$w/tiny/"
	done
	chmod -R u+w "$w"
	if [ -f "$dir/setup.sh" ]; then
		(cd "$w/tiny" && sh "$dir/setup.sh") >/dev/null 2>&1 ||
			{ fail "$name: setup.sh failed"; continue; }
	fi
	want=$(sed -n 2p "$dir/expect")
	(cd "$w" && env $ZH timeout 30 "$VDSCHED" --plugin-dir "$PLUGDIR" \
		-c tiny/vdsched.ini check) >/dev/null 2>"$w.err" </dev/null
	bad=$(no_cjk "$w.err")
	[ -z "$bad" ] || fail "$name: no Chinese in: $bad"
	bad=$(cut -c1-2000 "$w.err" | grep -E ': (error|warning):' | head -n 3)
	[ -z "$bad" ] || fail "$name: English left: $bad"
	# English words inside a Chinese sentence ("请写成 … or …", "e.g.", "A..B")
	bad=$(cut -c1-2000 "$w.err" | sed "s/'[^']*'//g" |
		LC_ALL=C.UTF-8 grep -E '(^|[ （(])(or|and|e\.g\.|i\.e\.)([ ,，)）]|$)|A\.\.B' | head -n 3)
	[ -z "$bad" ] || fail "$name: English words in Chinese: $bad"
	[ -s "$w.err" ] || fail "$name: nothing on standard error"
	case $want in
	*': error: '*)
		place=${want%%: error: *}
		grep -qF -- "$place: 错误：" "$w.err" ||
			fail "$name: '$place: 错误：' not found; got: $(head -c 300 "$w.err")" ;;
	esac
	# the same case in English must be caught by the same test
	if [ $ncase = 1 ]; then
		(cd "$w" && LANG=C LC_ALL=C timeout 30 "$VDSCHED" --plugin-dir "$PLUGDIR" \
			-c tiny/vdsched.ini check) >/dev/null 2>"$w.err.c" </dev/null
		[ -n "$(no_cjk "$w.err.c")" ] || fail "$name: the Chinese test does not notice English"
	fi
	rm -rf "$w" "$w.err" "$w.err.c"
done
[ $ncase -gt 0 ] || fail "no cases in $srcdir/tests/bad"
echo "zh-messages: $ncase bad-input cases in Chinese"

# --help, check and plan: Chinese under zh_CN.UTF-8, English under C.
cp -R "$srcdir/etc/tiny" "$srcdir/etc/holidays" "$tmp/"
chmod -R u+w "$tmp/tiny"
env $ZH "$VDSCHED" --help >"$tmp/help.zh" 2>&1
grep -q '^用法：vdsched \[选项\] 命令' "$tmp/help.zh" || fail "--help is not Chinese: $(head -n 2 "$tmp/help.zh")"
LANG=C "$VDSCHED" --help >"$tmp/help.c" 2>&1
grep -q '^Usage: vdsched \[OPTIONS\] COMMAND' "$tmp/help.c" || fail "LANG=C --help is not English: $(head -n 2 "$tmp/help.c")"
VDSCHED_LOCALEDIR=/nonexistent LANG=zh_CN.UTF-8 "$VDSCHED" --help >"$tmp/help.none" 2>&1
cmp -s "$tmp/help.c" "$tmp/help.none" || fail "LANG=C --help differs from the untranslated text"

env $ZH "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$tmp/tiny/vdsched.ini" -o "$tmp/out.zh" plan >"$tmp/plan.zh" 2>&1
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "plan under zh_CN exits $rc: $(head -c 300 "$tmp/plan.zh")"
grep -q '^已排 [0-9]* / [0-9]* 人次' "$tmp/plan.zh" || fail "plan summary is not Chinese: $(head -n 1 "$tmp/plan.zh")"
grep -q '^表格和报告：' "$tmp/plan.zh" || fail "plan summary is not Chinese: $(sed -n 2p "$tmp/plan.zh")"
grep -q '^培训期  ' "$tmp/out.zh/report.txt" || fail "report.txt is not Chinese: $(sed -n 4p "$tmp/out.zh/report.txt")"
grep -q ' period ' "$tmp/out.zh/report.txt" && fail "report.txt has English labels under zh_CN"
head -n 1 "$tmp/out.zh/unscheduled.csv" | grep -qx $'\xEF\xBB\xBFdoctor_id,course_id,reason\r' ||
	fail "unscheduled.csv header is not a BOM, the English column ids and CRLF: $(head -n 1 "$tmp/out.zh/unscheduled.csv")"
env $ZH "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$tmp/tiny/vdsched.ini" check >"$tmp/check.zh" 2>&1
grep -q '检查通过：[0-9]* 名村医' "$tmp/check.zh" || fail "check summary is not Chinese: $(head -n 1 "$tmp/check.zh")"

LANG=C LC_ALL=C "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$tmp/tiny/vdsched.ini" -o "$tmp/out.c" plan >"$tmp/plan.c" 2>&1
grep -q '^planned [0-9]* of [0-9]* doctor x course pairs' "$tmp/plan.c" || fail "LANG=C plan summary is not English: $(head -n 1 "$tmp/plan.c")"
grep -q '^培训期 period ' "$tmp/out.c/report.txt" || fail "LANG=C report.txt lost its bilingual labels: $(sed -n 4p "$tmp/out.c/report.txt")"
LANG=C "$VDSCHED" frobnicate 2>"$tmp/cmd.c"
grep -qx "vdsched: error: unknown command 'frobnicate'; use check, plan, plugins or publish" "$tmp/cmd.c" ||
	fail "LANG=C unknown command is not English: $(cat "$tmp/cmd.c")"
env $ZH "$VDSCHED" frobnicate 2>"$tmp/cmd.zh"
grep -qx "vdsched: 错误：未知命令 'frobnicate'；请使用 check、plan、plugins 或 publish" "$tmp/cmd.zh" ||
	fail "zh_CN unknown command is not Chinese: $(cat "$tmp/cmd.zh")"

# A plugin's own message, at its line, in Chinese (the plugins use the
# vdsched text domain).
sed -i 's/^\(\[course tcm\]\)$/\1\ntechniques = acupuncture massage acupuncture/' "$tmp/tiny/vdsched.ini"
env $ZH "$VDSCHED" --plugin-dir "$PLUGDIR" -c "$tmp/tiny/vdsched.ini" check 2>"$tmp/plug.zh" >/dev/null
grep -q "vdsched.ini:[0-9]*: 错误：技术 'acupuncture' 列了两次" "$tmp/plug.zh" ||
	fail "the tcm plugin's message is not Chinese: $(cat "$tmp/plug.zh")"

# The Chinese manual pages (generated into the build tree, or shipped in
# the source tree of a tarball) render in Chinese, as man shows them.
for page in vdsched.1 vdsched.ini.5 vdsched-tcm.7 vdsched-pediatrics.7 vdsched-dental.7; do
	f=${top_builddir:-$srcdir}/man/zh_CN/$page
	[ -f "$f" ] || f=$srcdir/man/zh_CN/$page
	if [ ! -f "$f" ]; then
		fail "man/zh_CN/$page is missing (make builds it with po4a)"
		continue
	fi
	head -n 1 "$f" | grep -qi 'coding: *utf-8' || fail "$f: the first line does not declare UTF-8"
	LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 MANWIDTH=80 man -l "$f" >"$tmp/man.out" 2>"$tmp/man.err"
	sed -n '/^名称$/,/^[^ ]/p' "$tmp/man.out" | LC_ALL=C.UTF-8 grep -qP '^ +vdsched\S* - .*[\x{4E00}-\x{9FFF}]' ||
		fail "$page: no Chinese NAME line: $(head -n 5 "$tmp/man.out" | tr '\n' '|')"
	[ "$(LC_ALL=C.UTF-8 grep -cP '[\x{4E00}-\x{9FFF}]' "$tmp/man.out")" -gt 20 ] ||
		fail "$page: hardly any Chinese in the rendered page"
	[ -s "$tmp/man.err" ] && echo "zh-messages: note: man -l $page: $(head -n 2 "$tmp/man.err" | tr '\n' ' ')"
done

[ $fails -eq 0 ] && echo "zh-messages: ok" || echo "zh-messages: $fails failure(s)"
[ $fails -eq 0 ]

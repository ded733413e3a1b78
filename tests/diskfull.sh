#!/usr/bin/env bash
# diskfull.sh -- `vdsched plan` on a full disk fails cleanly: exit 1, an
# `error: ... No space left on device` message, and the previous plan in
# the output folder left exactly as it was (vdsched(1), SAFETY).
#
# Environment (set by `make check`):
#   VDSCHED                  the vdsched binary
#   VDSCHED_TEST_PLUGIN_DIR  folder with tcm.so pediatrics.so dental.so
#   top_srcdir               the source tree (etc/tiny, etc/tianyang)
#
# Needs root and a working `mount -t tmpfs` (else exit 77).  Mounts a
# 300 KiB tmpfs (larger if the etc/tiny plan and its workbook's scratch
# files have outgrown it, but always
# far below the etc/tianyang plan's ~10 MiB), plans etc/tiny into it, then
# plans etc/tianyang into the same output folder, which cannot fit; then
# grows the tmpfs by 1 MiB (room for the tables, not the calendars) and
# tries again, so the disk fills while the calendars are written.  The
# tmpfs is unmounted on exit.
#
# Exit 0 pass, 1 fail, 77 skip (automake).
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
export SOURCE_DATE_EPOCH=1700000000

if [ ! -x "$VDSCHED" ]; then
	echo "diskfull: $VDSCHED is not built; skipped"
	exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "diskfull: needs root to mount a small tmpfs; skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-diskfull.XXXXXX") || exit 1
mnt=$tmp/mnt
mkdir "$mnt"
mounted=0
cleanup() {
	[ $mounted -eq 1 ] && umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

plan() {  # plan EXAMPLE OUT
	"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c "$srcdir/etc/$1/vdsched.ini" -o "$2" plan
}
listing() {
	(cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort &&
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) 2>&1
}

# How much room the small plan needs, so the tmpfs holds it but not more.
plan tiny "$tmp/probe" >/dev/null 2>"$tmp/probe.err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
	echo "FAIL: planning etc/tiny on an ordinary folder exited $rc"
	sed 's/^/  /' "$tmp/probe.err" | head
	exit 1
fi
# tmpfs charges whole 4 KiB pages per file
need_k=$(find "$tmp/probe" -type f -printf '%s\n' | awk '{ k += int(($1 + 4095) / 4096) * 4 } END { print k + 0 }')
# and while the workbook is written beside the pages and the calendars,
# libxlsxwriter's scratch files (its parts, unpacked) sit in the output
# folder too: at most all of them at once
scratch_k=$("$PY" -c 'import sys, zipfile
print(sum((i.file_size + 4095) // 4096 * 4 for i in zipfile.ZipFile(sys.argv[1]).infolist()))' \
	"$tmp/probe/plan.xlsx") || { echo "FAIL: cannot read the probe's plan.xlsx"; exit 1; }
size_k=300
[ $((need_k + scratch_k + 8)) -gt $size_k ] && size_k=$((need_k + scratch_k + 8))

if ! mount -t tmpfs -o "size=${size_k}k,mode=755" tmpfs "$mnt" 2>"$tmp/mount.err"; then
	echo "diskfull: cannot mount a tmpfs ($(cat "$tmp/mount.err")); skipped"
	exit 77
fi
mounted=1
echo "diskfull: ${size_k} KiB tmpfs at $mnt (the etc/tiny plan needs ${need_k} KiB, its workbook's scratch files ${scratch_k} KiB)"

out=$mnt/out
plan tiny "$out" >/dev/null 2>"$tmp/tiny.err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
	echo "FAIL: planning etc/tiny into the tmpfs exited $rc"
	sed 's/^/  /' "$tmp/tiny.err" | head
	exit 1
fi
listing "$out" >"$tmp/before.lst"
df -k "$mnt" | tail -1 | awk '{print "diskfull: after the small plan: " $3 " KiB used, " $4 " KiB free"}'

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# big_plan WHAT: plan etc/tianyang into the full tmpfs and check it fails
# cleanly.
big_plan() {
	plan tianyang "$out" >"$tmp/big.out" 2>"$tmp/big.err"
	rc=$?
	echo "diskfull: $1: planning etc/tianyang exited $rc; stderr:"
	sed 's/^/  /' "$tmp/big.err" | head -4

	[ $rc -eq 1 ] || fail "exit status $rc, expected 1 (I/O failure)"
	grep -q 'error:' "$tmp/big.err" || fail "no 'error:' message"
	grep -q 'No space left on device' "$tmp/big.err" || fail "the message does not say 'No space left on device'"
	if [ ! -d "$out" ]; then
		fail "the previous plan $out is gone"
	else
		listing "$out" >"$tmp/after.lst"
		if ! cmp -s "$tmp/before.lst" "$tmp/after.lst"; then
			fail "the previous plan was changed:"
			diff "$tmp/before.lst" "$tmp/after.lst" | head -10 | sed 's/^/    /'
		fi
	fi
	left=$(find "$mnt" -mindepth 1 -maxdepth 1 -name '.vdsched-*' | wc -l)
	echo "diskfull: $left temporary folder(s) left beside the output folder"
	[ "$left" -eq 0 ] || fail "the failed run left $left temporary folder(s) filling the disk"
}

# 1. no room even for the tables
big_plan "tables"
# 2. room for the tables (~150 KiB) but not for the calendars (~10 MiB)
if mount -o "remount,size=$((size_k + 1024))k" "$mnt" 2>/dev/null; then
	big_plan "calendars ($((size_k + 1024)) KiB tmpfs)"
	grep -q '/ics/' "$tmp/big.err" || echo "diskfull: note: the failure was not in ics/"
else
	echo "diskfull: cannot grow the tmpfs; second case skipped"
fi

if [ $failures -eq 0 ]; then
	echo "diskfull: ok: exit 1, error reported, previous plan intact"
	exit 0
fi
exit 1

#!/usr/bin/env bash
# readonly.sh -- `vdsched plan` into an output folder whose parent cannot be
# written fails cleanly: exit 1, an `error:` message, and the previous plan
# left exactly as it was (vdsched(1), SAFETY).
#
# Environment (set by `make check`):
#   VDSCHED                  the vdsched binary
#   VDSCHED_TEST_PLUGIN_DIR  folder with tcm.so pediatrics.so dental.so
#   top_srcdir               the source tree (etc/tiny)
#
# vdsched writes a new plan into a temporary folder beside the output
# folder, so a read-only parent must stop it before it touches anything.
# The parent is made read-only with chmod 555.  Root ignores permissions,
# so as root the test uses, in order: chattr +i on the parent (ext2/3/4,
# xfs, btrfs), else a read-only bind mount of the parent, else a tmpfs
# remounted read-only; if none works it is skipped (exit 77).
#
# Exit 0 pass, 1 fail, 77 skip (automake).
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
export SOURCE_DATE_EPOCH=1700000000

if [ ! -x "$VDSCHED" ]; then
	echo "readonly: $VDSCHED is not built; skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-readonly.XXXXXX") || exit 1
parent=$tmp/parent
mkdir "$parent"
undo=
cleanup() {
	case $undo in
	chmod) chmod 755 "$parent" ;;
	chattr) chattr -i "$parent" ;;
	mount) umount "$parent" ;;
	esac
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

plan() {  # plan OUT
	"$VDSCHED" -q --plugin-dir "$PLUGDIR" -c "$srcdir/etc/tiny/vdsched.ini" -o "$1" plan
}
listing() {
	(cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort &&
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) 2>&1
}
previous_plan() {  # previous_plan OUT
	plan "$1" >/dev/null 2>"$tmp/first.err"
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "FAIL: the first plan exited $rc"
		sed 's/^/  /' "$tmp/first.err" | head
		exit 1
	fi
}

out=$parent/out
how=
if [ "$(id -u)" -ne 0 ]; then
	previous_plan "$out"
	chmod 555 "$parent" && undo=chmod && how="chmod 555"
else
	previous_plan "$out"
	if command -v chattr >/dev/null && chattr +i "$parent" 2>/dev/null; then
		undo=chattr
		how="chattr +i (running as root, which ignores chmod 555)"
	elif mount --bind "$parent" "$parent" 2>/dev/null; then
		if mount -o remount,ro,bind "$parent" 2>/dev/null; then
			undo=mount
			how="read-only bind mount (running as root; chattr +i unavailable)"
		else
			umount "$parent"
		fi
	fi
	if [ -z "$undo" ]; then
		# A tmpfs with the previous plan in it, remounted read-only.
		rm -rf "$out"
		if mount -t tmpfs -o size=4m tmpfs "$parent" 2>/dev/null; then
			undo=mount
			previous_plan "$out"
			if mount -o remount,ro "$parent" 2>/dev/null; then
				how="tmpfs remounted read-only (running as root; no chattr +i or bind mount)"
			else
				undo=
				umount "$parent"
			fi
		fi
	fi
fi
if [ -z "$undo" ]; then
	echo "readonly: running as root, which ignores permissions, and neither chattr +i, a read-only bind mount nor a tmpfs mount works here; skipped"
	exit 77
fi
if touch "$parent/.probe" 2>/dev/null; then
	rm -f "$parent/.probe"
	echo "readonly: $how did not make $parent read-only; skipped"
	exit 77
fi
echo "readonly: parent folder made read-only with $how"
listing "$out" >"$tmp/before.lst"

plan "$out" >"$tmp/plan.out" 2>"$tmp/plan.err"
rc=$?
echo "readonly: plan exited $rc; stderr:"
sed 's/^/  /' "$tmp/plan.err" | head -5

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
[ $rc -eq 1 ] || fail "exit status $rc, expected 1 (I/O failure)"
grep -q 'error:' "$tmp/plan.err" || fail "no 'error:' message"
if [ ! -d "$out" ]; then
	fail "the previous plan $out is gone"
else
	listing "$out" >"$tmp/after.lst"
	if ! cmp -s "$tmp/before.lst" "$tmp/after.lst"; then
		fail "the previous plan was changed:"
		diff "$tmp/before.lst" "$tmp/after.lst" | head -10 | sed 's/^/    /'
	fi
fi
if [ $failures -eq 0 ]; then
	echo "readonly: ok: exit 1, error reported, previous plan intact"
	exit 0
fi
exit 1

#!/usr/bin/env bash
# Writers side by side (plan --jobs): the workbook, the pages and the
# calendars are written on threads of their own, and the files are the
# same whatever the number of threads -- a fresh plan, and a re-plan with
# attendance (make-ups, certificates, the 变动 sheet).  Helgrind sees no
# data race between the writers, and --jobs takes only a count.
#
# Exit 0 pass, 1 fail.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-jobs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# run NAME ARGS...: vdsched ARGS, exit 0 or 3 expected
run() {
	local name=$1
	shift
	env SOURCE_DATE_EPOCH=1700000000 "$VDSCHED" --plugin-dir "$PLUGDIR" -q "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		fail "$name: exit $rc"
		sed -n '1,20p' "$tmp/$name.err" | sed 's/^/  /'
		return 1
	fi
}

# same A B WHAT: the folders hold the same files, byte for byte
same() {
	if diff -r "$tmp/$1" "$tmp/$2" >"$tmp/$1-$2.diff" 2>&1; then
		pass "$3: $(find "$tmp/$1" -type f | wc -l) files the same"
	else
		fail "$3 differ:"
		sed -n '1,10p' "$tmp/$1-$2.diff" | sed 's/^/  /'
	fi
}

# ---- a fresh plan: one thread, three, and the default
ty=$srcdir/etc/tianyang/vdsched.ini
run ty1 --jobs 1 -c "$ty" -o "$tmp/ty1" plan &&
run ty3 --jobs 3 -c "$ty" -o "$tmp/ty3" plan &&
run tyd -c "$ty" -o "$tmp/tyd" plan && {
	same ty1 ty3 "tianyang, --jobs 1 and --jobs 3"
	same ty1 tyd "tianyang, --jobs 1 and the default"
}

# ---- a re-plan with attendance: absences made up, certificates for the rest
mkdir "$tmp/etc"
cp -r "$srcdir/etc/tianyang" "$srcdir/etc/holidays" "$tmp/etc/"
prog=$tmp/etc/tianyang
# three absences from the first run (its first three rows)
sed -n '1p;2,4{s/,\r$/,absent\r/;p}' "$tmp/ty1/attendance-template.csv" >"$prog/att.csv"
sed -i 's/^\[program\]$/[program]\nattendance = att.csv/' "$prog/vdsched.ini"
for j in 1 3; do
	run re$j --jobs $j -c "$prog/vdsched.ini" --previous "$tmp/ty1" \
		--freeze-before 2026-04-01 -o "$tmp/re$j" plan
done
if [ -f "$tmp/re1/changes.csv" ] && grep -q makeup "$tmp/re1/changes.csv"; then
	same re1 re3 "re-plan with attendance, --jobs 1 and --jobs 3"
else
	fail "re-plan with attendance: no make-up in changes.csv"
	sed -n '1,10p' "$tmp/re1.err" | sed 's/^/  /'
fi

# ---- no data race between the writers (helgrind; not beside ASan)
if ! command -v valgrind >/dev/null 2>&1; then
	fail "valgrind is not installed (the README installs it)"
elif ldd "$VDSCHED" 2>/dev/null | grep -q libasan; then
	echo "skip: helgrind; built with sanitizers"
else
	# libcurl's libp11-kit destroys a mutex it never made, at exit
	cat >"$tmp/p11.supp" <<'SUPP'
{
   p11-kit-destroys-at-exit
   Helgrind:Misc
   ...
   obj:*/libp11-kit.so*
}
SUPP
	tiny=$srcdir/etc/tiny/vdsched.ini
	for args in "-o $tmp/hg plan" "--previous $tmp/hg --freeze-before 2026-05-06 -o $tmp/hg2 plan"; do
		# shellcheck disable=SC2086
		env SOURCE_DATE_EPOCH=1700000000 valgrind --tool=helgrind -q --error-exitcode=99 \
			--suppressions="$tmp/p11.supp" "$VDSCHED" --plugin-dir "$PLUGDIR" -q --jobs 3 \
			-c "$tiny" $args >"$tmp/hg.out" 2>"$tmp/hg.err"
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
			pass "helgrind, --jobs 3: no race in ${args% plan}"
		else
			fail "helgrind, --jobs 3, ${args% plan}: exit $rc"
			grep -m1 -A20 "Possible data race\|Thread #" "$tmp/hg.err" | sed 's/^/  /'
		fi
	done
fi

# ---- --jobs is a count, and only for plan and publish
for bad in 0 x 65; do
	env "$VDSCHED" --plugin-dir "$PLUGDIR" --jobs "$bad" -c "$ty" -o "$tmp/bad" plan \
		>/dev/null 2>"$tmp/bad.err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q -- "--jobs '$bad' must be a whole number from 1 to 64" "$tmp/bad.err" &&
	   [ ! -e "$tmp/bad" ]; then
		pass "--jobs $bad: $(head -n1 "$tmp/bad.err")"
	else
		fail "--jobs $bad: exit $rc, $(head -n1 "$tmp/bad.err")"
	fi
done
"$VDSCHED" --jobs 2 -c "$ty" check >/dev/null 2>"$tmp/check.err"
rc=$?
if [ $rc -eq 1 ] && grep -q -- "--jobs goes with plan and publish" "$tmp/check.err"; then
	pass "check --jobs: $(head -n1 "$tmp/check.err")"
else
	fail "check --jobs: exit $rc, $(head -n1 "$tmp/check.err")"
fi

if [ $failures -ne 0 ]; then
	echo "jobs: $failures failure(s)"
	exit 1
fi
echo "jobs: all passed"
exit 0

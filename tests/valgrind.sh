#!/usr/bin/env bash
# The example plans run valgrind-clean: no invalid access, no leak.
set -u
VDSCHED=${VDSCHED:-./vdsched}
top_srcdir=${top_srcdir:-.}
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed"; exit 77; }
if ldd "$VDSCHED" 2>/dev/null | grep -q libasan; then
	echo "built with sanitizers; valgrind does not mix with ASan"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for prog in tiny tianyang; do
	# libtool wrapper scripts: run the real binary
	bin=$VDSCHED
	[ -x "$(dirname "$VDSCHED")/.libs/lt-vdsched" ] && bin=$(dirname "$VDSCHED")/.libs/lt-vdsched
	if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$bin" -q --plugin-dir "$VDSCHED_TEST_PLUGIN_DIR" -c "$top_srcdir/etc/$prog/vdsched.ini" \
		-o "$tmp/$prog" plan 2>"$tmp/$prog.err"; then
		echo "ok: $prog plans valgrind-clean"
	else
		rc=$?
		if [ "$rc" -eq 99 ]; then
			echo "FAIL: valgrind found errors planning $prog:"; cat "$tmp/$prog.err"; fail=1
		elif [ "$rc" -ne 3 ]; then
			echo "FAIL: plan of $prog exited $rc"; cat "$tmp/$prog.err"; fail=1
		else
			echo "ok: $prog plans valgrind-clean (some pairs unscheduled)"
		fi
	fi
	if [ -d "$tmp/$prog/ics" ] && ! "${PYTHON3_DEBIAN:-/usr/bin/python3}" "$top_srcdir/tests/ics-lint.py" "$tmp/$prog/ics" >"$tmp/$prog.lint" 2>&1; then
		echo "FAIL: $prog's calendars fail tests/ics-lint.py:"; sed -n 1,10p "$tmp/$prog.lint"; fail=1
	fi
	# a re-plan from that plan, with a freeze: reads state/, seeds the book
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$bin" -q --plugin-dir "$VDSCHED_TEST_PLUGIN_DIR" -c "$top_srcdir/etc/$prog/vdsched.ini" \
		-o "$tmp/$prog" --previous "$tmp/$prog" --freeze-before 2026-05-01 plan 2>"$tmp/$prog.rerr"
	rc=$?
	if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then
		echo "ok: $prog re-plans valgrind-clean"
	else
		echo "FAIL: re-plan of $prog exited $rc under valgrind"; cat "$tmp/$prog.rerr"; fail=1
	fi
	valgrind -q --error-exitcode=99 --leak-check=full "$bin" -q --plugin-dir "$VDSCHED_TEST_PLUGIN_DIR" \
		-c "$top_srcdir/etc/$prog/vdsched.ini" check >/dev/null 2>"$tmp/$prog.cerr" ||
		{ echo "FAIL: valgrind on check $prog"; cat "$tmp/$prog.cerr"; fail=1; }
done
exit $fail

#!/usr/bin/env bash
# kill.sh -- `vdsched plan` killed with SIGKILL at random moments leaves the
# output folder either as it was or as the complete new plan (vdsched(1),
# SAFETY: "A run that fails, or is killed, leaves the previous contents of
# the output folder exactly as they were: never a half-written set").
#
# Environment (set by `make check`):
#   VDSCHED                  the vdsched binary
#   VDSCHED_TEST_PLUGIN_DIR  folder with tcm.so pediatrics.so dental.so
#   top_srcdir               the source tree (bench/gen.py, tests/gen_program.py)
#   KILL_ROUNDS              number of kills (default 25)
#
# Generates a city-scale program (bench/gen.py city: ~2,500 doctors, ~2,800
# output files) or, without bench/gen.py, a small one (tests/gen_program.py),
# plans it twice into OUT (the two must be identical) and records a listing
# of OUT: every entry's type and path plus the sha256 of every file.  Then
# KILL_ROUNDS times: starts `vdsched plan` into OUT in the background,
# sleeps a random 0..T (T = the slower of the two plans; every other round
# 0.7T..1.5T, to hit the commit), kill -9, waits, and compares OUT's
# listing with the first one.
# Plans are deterministic (SOURCE_DATE_EPOCH is fixed), so the complete new
# plan has the same listing as the old: any difference means a missing,
# extra or half-written file.  Leftover temporary folders `.vdsched-*`
# beside OUT are allowed; they are counted and removed after each round.
#
# Exit 0 pass, 1 fail, 77 skip (automake).
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
ROUNDS=${KILL_ROUNDS:-25}
export SOURCE_DATE_EPOCH=1700000000

if [ ! -x "$VDSCHED" ]; then
	echo "kill: $VDSCHED is not built; skipped"
	exit 77
fi
if ! command -v python3 >/dev/null; then
	echo "kill: no python3 to generate a program; skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-kill.XXXXXX") || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if [ -f "$srcdir/bench/gen.py" ]; then
	python3 "$srcdir/bench/gen.py" city 1 "$tmp/prog" >"$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log"; exit 1; }
else
	python3 "$srcdir/tests/gen_program.py" 1 "$tmp/prog" >"$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log"; exit 1; }
fi
ini=$tmp/prog/vdsched.ini
# The same plan every run needs the search to finish within its time
# limit (vdsched.ini(5), time_limit); a sanitizer build on a busy machine
# can be ten times slower than the default limit assumes.
sed -i 's/^\[program\]$/[program]\ntime_limit = 3600/' "$ini"
mkdir "$tmp/plans"
out=$tmp/plans/out

# exec: in `plan &` the background job is vdsched itself, so $! is its pid
# and kill -9 reaches it (not just a subshell that leaves vdsched running).
plan() {
	exec "$VDSCHED" -q --plugin-dir "$PLUGDIR" -c "$ini" -o "$out" plan
}

# listing DIR: type and path of every entry, then sha256 of every file.
listing() {
	(cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort &&
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) 2>&1
}

now_ms() { date +%s%3N; }

t0=$(now_ms)
(plan) >"$tmp/first.out" 2>"$tmp/first.err"
rc=$?
t1=$(now_ms)
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
	echo "FAIL: the first plan exited $rc"
	sed 's/^/  /' "$tmp/first.err" | head -20
	exit 1
fi
plan_ms=$((t1 - t0))
if ! "${PYTHON3_DEBIAN:-/usr/bin/python3}" "$here/ics-lint.py" "$out/ics" >"$tmp/lint.out" 2>&1; then
	echo "FAIL: the first plan's calendars fail tests/ics-lint.py:"
	sed -n 1,10p "$tmp/lint.out"
	exit 1
fi
listing "$out" >"$tmp/ref.lst"
nfiles=$(grep -c '^f ' "$tmp/ref.lst")
if [ "$nfiles" -lt 5 ]; then
	echo "FAIL: the first plan wrote only $nfiles files"
	exit 1
fi
# A second complete run: the plan must be deterministic (else the test's
# premise, old plan == new plan, does not hold), and it gives a second
# timing; T is the slower of the two.
t0=$(now_ms)
(plan) >/dev/null 2>"$tmp/second.err"
rc2=$?
t1=$(now_ms)
[ $((t1 - t0)) -gt $plan_ms ] && plan_ms=$((t1 - t0))
[ $plan_ms -lt 1 ] && plan_ms=1
listing "$out" >"$tmp/second.lst"
if [ $rc2 -ne $rc ] || ! cmp -s "$tmp/ref.lst" "$tmp/second.lst"; then
	echo "FAIL: a second plan with the same inputs and SOURCE_DATE_EPOCH differs from the first (exit $rc2, was $rc)"
	diff "$tmp/ref.lst" "$tmp/second.lst" | head -10 | sed 's/^/    /'
	exit 1
fi
echo "kill: a plan takes up to ${plan_ms} ms and writes $nfiles files (exit $rc); two runs are identical"

ok=0 bad=0 killed=0 after_swap=0 finished=0 other=0 leftovers=0 rounds_with_leftovers=0
RANDOM=$$
for i in $(seq 1 "$ROUNDS"); do
	# random delay (RANDOM is 0..32767): odd rounds anywhere in the run,
	# 0..plan_ms; even rounds late, 0.7..1.5 x plan_ms, so that some kills
	# land while the new plan is put in place and the old one removed.
	r=$(( RANDOM * 32768 + RANDOM ))
	if [ $((i % 2)) -eq 1 ]; then
		delay=$(( r % (plan_ms + 1) ))
	else
		delay=$(( plan_ms * 7 / 10 + r % (plan_ms * 8 / 10 + 1) ))
	fi
	ino=$(stat -c %i "$out" 2>/dev/null)
	(plan) >/dev/null 2>"$tmp/round.err" &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	st=$?
	pid=
	if [ $st -eq 137 ]; then
		killed=$((killed + 1)); how=killed
		# the output folder is a new directory: the swap had happened and
		# the old plan was being removed when the kill came
		if [ "$(stat -c %i "$out" 2>/dev/null)" != "$ino" ]; then
			after_swap=$((after_swap + 1)); how="killed after the swap"
		fi
	elif [ $st -eq 0 ] || [ $st -eq 3 ]; then
		finished=$((finished + 1)); how="finished (exit $st)"
	else
		other=$((other + 1)); how="exited $st before the kill"
	fi
	n=0
	for d in "$tmp/plans"/.vdsched-*; do
		[ -e "$d" ] && n=$((n + 1))
	done
	leftovers=$((leftovers + n))
	[ $n -gt 0 ] && rounds_with_leftovers=$((rounds_with_leftovers + 1))
	verdict=ok
	if [ ! -d "$out" ]; then
		verdict="FAIL: $out is missing"
	else
		listing "$out" >"$tmp/now.lst"
		if ! cmp -s "$tmp/ref.lst" "$tmp/now.lst"; then
			verdict="FAIL: $out differs from the complete plan"
			diff "$tmp/ref.lst" "$tmp/now.lst" | head -10 | sed 's/^/    /' >"$tmp/diff.txt"
		fi
	fi
	# A half-written, missing or extra file anywhere in OUT shows up in the
	# listing (names, types and checksums of everything in it).
	if [ "$verdict" = ok ]; then
		ok=$((ok + 1))
	else
		bad=$((bad + 1))
	fi
	printf 'round %2d: kill after %5d ms: %s; %d leftover .vdsched-* folder(s); %s\n' \
		"$i" "$delay" "$how" "$n" "$verdict"
	if [ "$verdict" != ok ]; then
		[ -f "$tmp/diff.txt" ] && cat "$tmp/diff.txt"
		sed 's/^/    stderr: /' "$tmp/round.err" | head -5
		# put the reference back so the next rounds test from a known state
		rm -rf "$out" "$tmp/diff.txt"
		(plan) >/dev/null 2>&1
	fi
	rm -rf "$tmp/plans"/.vdsched-*
done

echo "kill: $ROUNDS rounds: $ok ok, $bad bad; $killed killed mid-run ($after_swap of them after the swap), $finished finished before the kill, $other failed on their own;" \
     "$leftovers leftover temporary folder(s) in $rounds_with_leftovers round(s)"
[ $bad -eq 0 ]

#!/usr/bin/env bash
# bad-input.sh -- run vdsched on every invalid program in tests/bad/.
#
# Each case is a folder tests/bad/NNN-short-name/ holding:
#   expect     line 1: the exit status vdsched must return (2 invalid
#              input, 1 missing/unreadable program file);
#              line 2: a fixed string that must appear in stderr, normally
#              `FILE:LINE: error: message` with FILE relative to the
#              program folder (e.g. `doctors.csv:3: error: ...`);
#              further lines starting with `#` are directives:
#                # KNOWN-BUG <text>   vdsched is wrong here (the case still
#                                     fails, so the suite stays honest)
#                # max-seconds N      each command must use at most N s of CPU
#                                     (default: the 30 s timeout)
#                # max-stderr-lines N stderr has at most N lines (messages
#                                     about a huge input must be capped)
#   setup.sh   optional; run with sh in the program folder after the
#              overlay, to generate inputs not worth committing (big
#              files, NUL bytes, other encodings)
#   any other file: copied over the program folder, which starts as a copy
#              of etc/tiny (a sibling etc/holidays is copied too, so that
#              `holidays = ../holidays/cn-2026.ini` still works)
#
# For every case, for both `plan` and `check`:
#   - the exit status is the expected one,
#   - stderr contains the expected string,
#   - the output folder, which holds a previous plan, is byte-identical
#     afterwards (diff -r),
#   - the input files are unchanged (sha256 of every file, before/after),
#   - the command finishes within 30 s (timeout) or the case's max-seconds.
#
# Environment (set by `make check`):
#   VDSCHED                  the vdsched binary      (/tmp/build/vdsched)
#   VDSCHED_TEST_PLUGIN_DIR  tcm.so dental.so ...    (/tmp/build/plugins/lib)
#   top_srcdir               the source tree         (this script's ../)
#   BAD_INPUT_CASES          optional: only run cases whose folder name
#                            contains this string
#   BAD_INPUT_VERBOSE=1      print vdsched's stderr for every case
#   BAD_INPUT_JOBS           cases run at once (default: processors, <= 4)
#
# Prints `ok` or `FAIL` per case and `N cases, M failures`; exits 1 if any
# case fails, 77 (skip) if vdsched or the plugins are missing.
set -u
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset VDSCHED_PLUGIN_DIR

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
srcdir=$(cd "$srcdir" && pwd)
VDSCHED=${VDSCHED:-/tmp/build/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-/tmp/build/plugins/lib}
TIMEOUT=30
jobs=${BAD_INPUT_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=2
[ "$jobs" -le 4 ] || jobs=4
verbose=${BAD_INPUT_VERBOSE:-0}
only=${BAD_INPUT_CASES:-}

if [ ! -x "$VDSCHED" ]; then
	echo "bad-input: $VDSCHED is not built; skipped"
	exit 77
fi
for p in tcm dental; do
	if [ ! -f "$PLUGDIR/$p.so" ]; then
		echo "bad-input: $PLUGDIR/$p.so missing; skipped"
		exit 77
	fi
done
case $VDSCHED in /*) ;; *) VDSCHED=$(pwd)/$VDSCHED ;; esac
case $PLUGDIR in /*) ;; *) PLUGDIR=$(pwd)/$PLUGDIR ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-bad.XXXXXX") || exit 1
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# The previous plan every case's output folder starts with.
# (base/ is the pristine program every case starts from; plan0/ a copy of
# it that is planned once.)
mkdir -p base plan0
cp -R "$srcdir/etc/tiny" "$srcdir/etc/holidays" base/ || exit 1
chmod -R u+w base
cp -R base/tiny base/holidays plan0/ || exit 1
if ! timeout $TIMEOUT "$VDSCHED" --plugin-dir "$PLUGDIR" -c plan0/tiny/vdsched.ini \
	-o "$tmp/prev" plan >base.out 2>base.err; then
	echo "bad-input: planning etc/tiny failed; cannot test:"
	cat base.err
	exit 1
fi
[ -f prev/schedule.csv ] || { echo "bad-input: no prev/schedule.csv"; exit 1; }

# The list of files and folders below $1 with their modes, then the sha256
# of every file under 1 MiB and the CRC and size (cksum) of bigger ones,
# which would take too long to hash.
snapshot() {
	(cd "$1" && find . -printf '%M %s %p\n' | LC_ALL=C sort -k 3 && \
		find . -type f -size -1024k -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum && \
		find . -type f -size +1023k -print0 | LC_ALL=C sort -z | xargs -0 -r cksum)
}

# run_case DIR: run one case; write its result line to $tmp/res/NAME.
run_case() {
	local dir=$1 name=${1##*/} why='' want_rc='' want_msg='' known='' isknown=0
	local maxsec=$TIMEOUT maxlines='' line n=0 w prog f cmd out err rc t0 t1 ms nl
	if [ ! -f "$dir/expect" ]; then
		echo "FAIL $name: no expect file" >"$tmp/res/$name"
		return
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $n:$line in
		1:*) want_rc=$line ;;
		2:*) want_msg=$line ;;
		*:'# KNOWN-BUG'*) isknown=1; known=${line#'# KNOWN-BUG'}; known=${known# } ;;
		*:'# max-seconds '[0-9]*) maxsec=${line#'# max-seconds '}; maxsec=${maxsec%% *} ;;
		*:'# max-stderr-lines '[0-9]*) maxlines=${line#'# max-stderr-lines '}; maxlines=${maxlines%% *} ;;
		esac
	done <"$dir/expect"
	if [ -z "${want_rc:-}" ] || [ -z "${want_msg:-}" ]; then
		echo "FAIL $name: expect needs an exit status and a message" >"$tmp/res/$name"
		return
	fi

	w=$tmp/case/$name
	mkdir -p "$w" "$tmp/o/$name"
	cp -R base/tiny base/holidays "$w/"
	prog=$w/tiny
	for f in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$f" ] || continue
		case ${f##*/} in expect|setup.sh) continue ;; esac
		cp -R "$f" "$prog/"
	done
	chmod -R u+w "$w"
	if [ -f "$dir/setup.sh" ]; then
		if ! (cd "$prog" && sh "$dir/setup.sh") >"$tmp/o/$name/setup.log" 2>&1; then
			why="setup.sh failed: $(head -c 300 "$tmp/o/$name/setup.log")"
		fi
	fi

	if [ -z "$why" ]; then
		snapshot "$w" >"$tmp/o/$name/before" 2>/dev/null
		for cmd in plan check; do
			mkdir -p "$tmp/o/$name/$cmd"
			out=$tmp/o/$name/$cmd/out
			err=$tmp/o/$name/$cmd.stderr
			cp -R prev "$out"
			# max-seconds limits the CPU the command uses (user + system),
			# not the wall time, which a busy machine stretches
			{ TIMEFORMAT='%3U %3S'; time timeout $TIMEOUT "$VDSCHED" --plugin-dir "$PLUGDIR" \
				-c "$prog/vdsched.ini" -o "$out" $cmd \
				>"$tmp/o/$name/$cmd.stdout" 2>"$err" </dev/null; } 2>"$tmp/o/$name/$cmd.cpu"
			rc=$?
			ms=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/o/$name/$cmd.cpu")
			nl=$(wc -l <"$err")
			if [ "$verbose" = 1 ]; then
				{
					echo "--- $name $cmd: exit $rc, ${ms} ms, stderr:"
					head -c 3000 "$err"
					[ "$nl" -le 40 ] || echo "... ($nl lines)"
				} >>"$tmp/res/$name.log"
			fi
			if [ $rc -eq 124 ]; then
				why="$why; $cmd: timed out after ${TIMEOUT}s"
			elif [ $rc -ge 128 ]; then
				why="$why; $cmd: killed by signal $((rc - 128))"
			elif [ "$rc" != "$want_rc" ]; then
				why="$why; $cmd: exit $rc, want $want_rc"
			fi
			if [ $ms -gt $((maxsec * 1000)) ]; then
				why="$why; $cmd: took ${ms} ms of CPU, limit ${maxsec}s"
			fi
			if ! grep -qF -- "$want_msg" "$err"; then
				why="$why; $cmd: stderr lacks '$want_msg', got '$(grep -m 1 ': error:' "$err" | head -c 300)'"
			fi
			if [ -n "$maxlines" ] && [ "$nl" -gt "$maxlines" ]; then
				why="$why; $cmd: $nl lines on stderr, limit $maxlines"
			fi
			if ! diff -r prev "$out" >/dev/null 2>&1; then
				why="$why; $cmd: output folder changed"
			fi
			if [ "$(ls -A "$tmp/o/$name/$cmd")" != out ]; then
				why="$why; $cmd: left files next to the output folder: $(ls -A "$tmp/o/$name/$cmd" | tr '\n' ' ')"
			fi
		done
		snapshot "$w" >"$tmp/o/$name/after" 2>/dev/null
		if ! cmp -s "$tmp/o/$name/before" "$tmp/o/$name/after"; then
			why="$why; input files changed"
		fi
	fi
	why=${why#; }
	if [ $isknown = 1 ]; then
		line="FAIL $name: KNOWN-BUG: $known${why:+ [$why]}"
	elif [ -n "$why" ]; then
		line="FAIL $name: $why"
	else
		line="ok   $name"
	fi
	echo "$line" >"$tmp/res/$name"
	chmod -R u+rwX "$w" "$tmp/o/$name" 2>/dev/null
	rm -rf "$w" "$tmp/o/$name"
}

# Run the cases, $jobs at a time, then report them in order.
mkdir -p res case o
names=
running=0
for dir in "$srcdir"/tests/bad/[0-9]*/; do
	dir=${dir%/}
	name=${dir##*/}
	case $name in *"$only"*) ;; *) continue ;; esac
	names="$names $name"
	run_case "$dir" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

ncases=0
nfail=0
nknown=0
for name in $names; do
	ncases=$((ncases + 1))
	[ -f "res/$name.log" ] && cat "res/$name.log"
	if [ -f "res/$name" ]; then
		line=$(cat "res/$name")
	else
		line="FAIL $name: the runner itself failed on this case"
	fi
	echo "$line"
	case $line in
	ok*) ;;
	*KNOWN-BUG*) nfail=$((nfail + 1)); nknown=$((nknown + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
done

echo "$ncases cases, $nfail failures ($nknown known bugs)"
[ $nfail -eq 0 ]

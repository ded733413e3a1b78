#!/bin/sh
# run.sh -- build and run vdsched's libFuzzer targets.
#
#   tests/fuzz/run.sh [SECONDS]     build, then fuzz each target for SECONDS
#                                   (default 600), one at a time; stop at
#                                   the first crash and copy its files into
#                                   tests/fuzz/regress/<target>/
#   tests/fuzz/run.sh --regress     build, then run each target once over
#                                   corpus/<target>/* and regress/<target>/*
#                                   (for CI); exit 1 if any input fails
#   tests/fuzz/run.sh --build       build only
#
# Environment: VDSCHED_BUILD (configured build tree, for autoconfig.h;
# default /tmp/build), FUZZ_OUT (binaries, plugins, work corpora, logs;
# default /tmp/vdfuzz), FUZZ_TARGETS (subset, space-separated), CC
# (default clang), VDSCHED_SRC (the core sources to fuzz; default src/ --
# point it at a patched copy to fuzz past a known bug).  See
# tests/fuzz/README.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${VDSCHED_BUILD:-/tmp/build}
src=${VDSCHED_SRC:-$top/src}
out=${FUZZ_OUT:-/tmp/vdfuzz}
cc=${CC:-clang}
targets=${FUZZ_TARGETS:-"fuzz_ini fuzz_clinics fuzz_doctors fuzz_plugin_opts"}

mode=fuzz
secs=600
case "${1:-}" in
	--regress) mode=regress ;;
	--build) mode=build ;;
	"") ;;
	*[!0-9]*) echo "usage: $0 [SECONDS] | --regress | --build" >&2; exit 2 ;;
	*) secs=$1 ;;
esac

mkdir -p "$out/bin" "$out/plugins" "$out/logs"
chmod 755 "$out" "$out/plugins"

# ---- build ----
cd "$top"
# The readers and what they use, plus any helper file added to src/ since
# (e.g. utf8.c); not the program (main.c, the commands cmd*.c and the
# CalDAV client, which need libcurl) nor the planner (planner.c and its
# plan-*.c), re-planning and the writers (and jobs.c, which runs them).
core="xalloc diag date model hmap ini config roster loader"
srcs=
for f in $core; do
	srcs="$srcs $src/$f.c"
done
for f in "$src"/*.c; do
	b=$(basename "$f" .c)
	case " $core main ics output overview planner xlsx book replan state changes print qr signin caldav attendance completion certificate completion-out jobs " in
	*" $b "*) continue ;;
	esac
	case $b in cmd*|plan-*|ics-*|caldav*) continue ;; esac
	srcs="$srcs $f"
done
# fuzz_clinics and fuzz_doctors are one source built two ways
tsrc() {
	case $1 in
	fuzz_clinics) echo "tests/fuzz/fuzz_roster.c" ;;
	fuzz_doctors) echo "-DFUZZ_DOCTORS tests/fuzz/fuzz_roster.c" ;;
	*) echo "tests/fuzz/$1.c" ;;
	esac
}
for t in $targets; do
	echo "build $t"
	# shellcheck disable=SC2046,SC2086
	$cc -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
		-I"$build" -Iinclude -I"$src" $(pkg-config --cflags libical libxml-2.0 minizip) \
		$srcs $(tsrc "$t") \
		-liniparser -lcsv $(pkg-config --libs libxml-2.0 minizip) -ldl -lm -o "$out/bin/$t"
done
case " $targets " in *" fuzz_plugin_opts "*)
	# Plugins with ASan/UBSan, plus coverage (fuzzer-no-link) so libFuzzer
	# sees their branches.  The loader refuses files writable by group or
	# others and folders likewise: folder 755, files 644.
	# plugins/common (shared plumbing, linked into each plugin) if present,
	# with the core's list splitter src/words.c that it shares
	common=
	[ -d plugins/common ] && common="-Iplugins/common -Isrc $(echo plugins/common/*.c) src/words.c"
	for n in tcm pediatrics dental; do
		echo "build plugin $n"
		# shellcheck disable=SC2086
		$cc -g -O1 -fsanitize=fuzzer-no-link,address,undefined -shared -fPIC \
			-fvisibility=hidden -Iinclude $common "plugins/$n/$n.c" -o "$out/plugins/$n.so"
		chmod 644 "$out/plugins/$n.so"
	done ;;
esac
[ "$mode" = build ] && exit 0

VDSCHED_FUZZ_PLUGIN_DIR=$out/plugins
# UB is a crash, not a message; leaks are findings too.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export VDSCHED_FUZZ_PLUGIN_DIR UBSAN_OPTIONS ASAN_OPTIONS

status=0
for t in $targets; do
	seeds=$here/corpus/$t
	reg=$here/regress/$t
	if [ "$mode" = regress ]; then
		set --
		for f in "$seeds"/* "$reg"/*; do
			[ -f "$f" ] && set -- "$@" "$f"
		done
		[ $# -eq 0 ] && continue
		echo "regress $t: $# inputs"
		if ! "$out/bin/$t" "$@" </dev/null >"$out/logs/$t.regress.log" 2>&1; then
			echo "FAIL $t; see $out/logs/$t.regress.log" >&2
			grep -m1 -E 'ERROR|runtime error' "$out/logs/$t.regress.log" >&2 || true
			status=1
		fi
		continue
	fi
	work=$out/corpus/$t
	art=$out/artifacts/$t
	mkdir -p "$work" "$art"
	echo "fuzz $t for ${secs}s (log: $out/logs/$t.log)"
	rc=0
	"$out/bin/$t" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$art/" "$work" "$seeds" \
		</dev/null >"$out/logs/$t.log" 2>&1 || rc=$?
	grep -E '^(#[0-9]+ *DONE|stat::|Done )' "$out/logs/$t.log" | tail -8 || true
	if [ $rc -ne 0 ]; then
		echo "CRASH in $t (exit $rc):" >&2
		grep -m3 -E 'ERROR|runtime error|SUMMARY' "$out/logs/$t.log" >&2 || true
		mkdir -p "$reg"
		for f in "$art"/*; do
			[ -f "$f" ] && cp "$f" "$reg/" && echo "saved $reg/$(basename "$f")" >&2
		done
		exit 1
	fi
done
exit $status

#!/usr/bin/env bash
# Every fuzz seed and every input a fuzzer ever crashed on, run once more
# through the libFuzzer targets (built with clang, ASan and UBSan).
command -v "${CC_FUZZ:-clang}" >/dev/null 2>&1 || { echo "clang not installed: skipped"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
CC=${CC_FUZZ:-clang} FUZZ_OUT=$out VDSCHED_BUILD=${top_builddir:-.} \
	sh "${top_srcdir:-.}/tests/fuzz/run.sh" --regress

#!/usr/bin/env bash
# xlsx-read.sh -- reading a roster from .xlsx against the same as CSV.
#
# Generates doctor rosters of 2,500 rows (a city) and 30,000 rows (an
# attendance sheet's size) as CSV, converts each with tests/csv2xlsx.py
# the way Excel stores them (phones as numbers, dates as date cells), and
# times bench/bench_table on both (CPU time, best of three; the reader alone, no
# planning).  Prints the figures; asserts nothing.
#
# Usage: make bench/bench_table && bench/xlsx-read.sh [ROWS...]
# Environment: BENCH_TABLE (default ./bench/bench_table), PYTHON3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BENCH_TABLE=${BENCH_TABLE:-./bench/bench_table}
PY=${PYTHON3:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-xlsxbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- 2500 30000
for rows in "$@"; do
	"$PY" - "$rows" "$tmp/d$rows.csv" <<'PYEOF'
import sys
rows, out = int(sys.argv[1]), sys.argv[2]
with open(out, 'w', encoding='utf-8') as f:
    f.write('doctor_id,name,clinic_id,phone,completed,unavailable,clinic_name,note\n')
    for i in range(1, rows + 1):
        day = '' if i % 7 else '2026-04-%02d' % (i % 28 + 1)
        f.write('d%05d,村医%d,ty-%03d,%d,%s,%s,第%d村卫生室,%s\n' % (
            i, i, i % 500, 13800000000 + i, 'tcm' if i % 5 == 0 else '', day, i % 500,
            '乡聘村用' if i % 3 == 0 else ''))
PYEOF
	"$PY" "$here/../tests/csv2xlsx.py" "$tmp/d$rows.xlsx" 村医="$tmp/d$rows.csv"
	echo "$rows rows: CSV $(du -k "$tmp/d$rows.csv" | cut -f1) KiB, .xlsx $(du -k "$tmp/d$rows.xlsx" | cut -f1) KiB"
	"$BENCH_TABLE" "$tmp/d$rows.csv" "$tmp/d$rows.xlsx#村医"
done

#!/usr/bin/env bash
# property.sh -- plan random programs and check every hard constraint.
#
# For seeds FIRST..LAST (default 1..40, or PROPERTY_SEEDS="1 40"), cycling
# through the kinds of tests/gen_program.py, generate a program, plan it with
# vdsched and check the plan with tests/check_plan.py and the facts the
# generator wrote.  A plan must exit 0 or 3 (3 only with rows in
# unscheduled.csv), have no violation, and give every unscheduled pair a
# reason.  Prints "N programs, M violations" and the failing seeds.
#
# Environment as for tests/e2e.sh: VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN.  KEEP=1 keeps the temp folder.
# Exit 0 pass, 1 fail, 77 skip.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || true)
[ -x "$VDSCHED" ] || { echo "property: $VDSCHED is not built; skipped"; exit 77; }
[ -n "$PY" ] || { echo "property: no python3; skipped"; exit 77; }
[ -f "$PLUGDIR/tcm.so" ] || { echo "property: no plugins in $PLUGDIR; skipped"; exit 77; }

read -r first last <<<"${PROPERTY_SEEDS:-1 40}"
last=${last:-$first}
kinds=(tight seats weekend holidays unavail mixed)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-prop.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then
	echo "property: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
cd "$tmp" || exit 1

programs=0
violations=0
bad_seeds=()
for ((seed = first; seed <= last; seed++)); do
	kind=${kinds[$(( (seed - 1) % ${#kinds[@]} ))]}
	d="$tmp/$seed-$kind"
	programs=$((programs + 1))
	if ! "$PY" "$here/gen_program.py" "$seed" "$d" --kind "$kind"; then
		echo "seed $seed ($kind): gen_program.py failed"
		bad_seeds+=("$seed"); violations=$((violations + 1)); continue
	fi
	"$VDSCHED" --plugin-dir "$PLUGDIR" -c "$d/vdsched.ini" -o "$d/out" plan \
		>"$d/plan.out" 2>"$d/plan.err"
	rc=$?
	problems=()
	nv=0
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		problems+=("plan exits $rc: $(grep -m3 -E 'error|fatal|Sanitizer' "$d/plan.err" | tr '\n' ' ')")
	else
		nun=$("$PY" - "$d/out/unscheduled.csv" <<'EOF'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
empty = [r.get("doctor_id", "?") + "/" + r.get("course_id", "?")
         for r in rows if not (r.get("reason") or "").strip()]
print(len(rows), len(empty), " ".join(empty[:5]))
EOF
)
		read -r nrows nempty emptylist <<<"$nun"
		if [ "${nrows:-x}" = x ]; then
			problems+=("unscheduled.csv unreadable")
		else
			[ "$rc" -eq 3 ] && [ "$nrows" -eq 0 ] && problems+=("plan exits 3 but unscheduled.csv is empty")
			[ "$rc" -eq 0 ] && [ "$nrows" -gt 0 ] && problems+=("plan exits 0 but unscheduled.csv has $nrows rows")
			[ "$nempty" -gt 0 ] && problems+=("$nempty unscheduled rows without a reason: $emptylist")
		fi
		# every calendar, byte by byte
		if [ -d "$d/out/ics" ] && ! "$PY" "$here/ics-lint.py" "$d/out/ics" >"$d/lint.out" 2>&1; then
			problems+=("ics-lint.py: $(grep -m3 error "$d/lint.out" | tr '\n' ' ')")
		fi
		"$PY" "$here/check_plan.py" "$d/vdsched.ini" "$d/out" "$d/facts.json" >"$d/check.out" 2>&1
		crc=$?
		if [ $crc -ne 0 ]; then
			nv=$(grep -c '^VIOLATION' "$d/check.out")
			problems+=("check_plan.py exits $crc with $nv violation(s)")
		fi
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		echo "seed $seed ($kind): ok: $(tail -n1 "$d/check.out")"
	else
		violations=$((violations + nv + ${#problems[@]} - (nv > 0 ? 1 : 0)))
		bad_seeds+=("$seed")
		echo "seed $seed ($kind): FAIL"
		for p in "${problems[@]}"; do echo "  $p"; done
		[ -f "$d/check.out" ] && grep '^VIOLATION' "$d/check.out" | sed -n '1,8p' | sed 's/^/  /'
	fi
done

echo "$programs programs, $violations violations"
if [ ${#bad_seeds[@]} -gt 0 ]; then
	echo "failing seeds: ${bad_seeds[*]}  (rerun one: PROPERTY_SEEDS=\"N N\" KEEP=1 $0)"
	exit 1
fi
exit 0

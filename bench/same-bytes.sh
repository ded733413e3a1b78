#!/usr/bin/env bash
# same-bytes.sh -- a fingerprint of every output file vdsched writes for the
# examples and the bench programs, fresh plans and re-plans alike, so that a
# change meant to move code and not behaviour can prove it (`make same-bytes`).
#
#   VDSCHED=./vdsched PLUGIN_DIR=plugins/lib bench/same-bytes.sh [CASE...] > now.sha256
#   diff bench/same-bytes.sha256 now.sha256
#
# Each line is "SHA256  GROUP  N" for one group of output files (one table,
# one folder of calendars or pages: GROUP is CASE/PATH cut after the folder
# under ics/, print/ or state/), the hash of the sorted per-file sums of its
# N files; SAME_BYTES_FILES=1 prints every file's sum instead, to find the
# file that differs.  SOURCE_DATE_EPOCH fixes every time stamp, and each program gets
# time_limit = 3600 so that the search is never cut at a point that depends
# on the machine's speed (vdsched.ini(5), time_limit).
#
# Cases (default: all): tiny tianyang county county-c2 tight300 city
# province (no calendars) and the re-plans of county and city after each edit
# of bench/replan.sh (replan-county, replan-city).
#
# `make same-bytes` compares against bench/same-bytes.sha256; after a change
# that is meant to alter the output, run `make same-bytes-update` and commit
# the new fingerprints with it, saying why in the commit.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
here=$(cd "$(dirname "$0")" && pwd)
VDSCHED=${VDSCHED:-$here/../vdsched}
PLUGIN_DIR=${PLUGIN_DIR:-$here/../plugins/lib}
PY=${PYTHON3:-python3}
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C.UTF-8
unset LANGUAGE LANG
cases=${*:-"tiny tianyang county county-c2 tight300 city province replan-county replan-city"}
VDSCHED=$(realpath "$VDSCHED" 2>/dev/null || echo "$VDSCHED"); PLUGIN_DIR=$(realpath "$PLUGIN_DIR" 2>/dev/null || echo "$PLUGIN_DIR")
[ -x "$VDSCHED" ] || { echo "same-bytes.sh: no vdsched binary at '$VDSCHED'" >&2; exit 1; }
if [ -z "${BENCH_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMPDIR=/dev/shm; fi
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/vdsched-bytes.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# Relative paths from here on: the report names the --previous folder.
cd "$tmp" || exit 1

# fix INI: a time limit that never binds
fix() { sed -i 's/^\[program\]$/[program]\ntime_limit = 3600/' "$1"; }

# plan NAME ARGS...: plan into out/NAME, then fingerprint it
plan() {
	local name=$1; shift
	"$VDSCHED" --plugin-dir "$PLUGIN_DIR" -q "$@" plan >/dev/null 2>"err"
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "same-bytes.sh: $name: vdsched exited $rc: $(head -n1 "err")" >&2
		return 1
	fi
}
sums() {
	(cd out && find "$1" -type f -print0 | sort -z | xargs -0 sha256sum) |
	if [ "${SAME_BYTES_FILES:-0}" = 1 ]; then cat; else
		"$PY" -c '
import hashlib, sys
groups = {}
for line in sys.stdin:
    h, path = line.rstrip("\n").split("  ", 1)
    parts = path.split("/")
    k = 3 if parts[0].startswith("replan-") else 2
    if len(parts) > k + 1 and parts[k - 1] in ("ics", "print", "state"):
        k += 1
    g = "/".join(parts[:k])
    groups.setdefault(g, []).append(line)
for g in sorted(groups):
    print("%s  %s  %d" % (hashlib.sha256("".join(groups[g]).encode()).hexdigest(), g, len(groups[g])))
'
	fi
}

# gen CASE DIR: the program of a case, as bench/quality.sh makes it
gen() {
	local c=$1 d=$2
	case $c in
	tiny|tianyang) mkdir -p "$d" && cp -r "$here/../etc/$c/." "$d/" &&
		mkdir -p "$d/../holidays" && cp "$here/../etc/holidays/"*.ini "$d/../holidays/";;
	county|replan-county) "$PY" "$here/gen.py" county 1 "$d" >/dev/null;;
	county-c2) "$PY" "$here/gen.py" county 1 "$d" >/dev/null
		sed -i 's/^cover = [0-9]*$/cover = 2/' "$d/vdsched.ini";;
	tight300) "$PY" "$here/gen.py" --doctors 300 county 1 "$d" >/dev/null
		sed -i 's/^cover = [0-9]*$/cover = 1/; s/^end *= .*/end           = 2026-05-29/' "$d/vdsched.ini";;
	city|replan-city) "$PY" "$here/gen.py" city 1 "$d" >/dev/null
		# one program with base_url, so pages carry URL codes
		sed -i 's|^\[output\]$|[output]\nbase_url = https://peixun.example.org/out/|' "$d/vdsched.ini";;
	province) "$PY" "$here/gen.py" province 1 "$d" >/dev/null
		sed -i 's/^\[output\]$/[output]\ncalendars = none/' "$d/vdsched.ini";;
	*) echo "same-bytes.sh: unknown case $c" >&2; return 1;;
	esac
	fix "$d/vdsched.ini"
}

# replan SCALE: the edits of bench/replan.sh, each from the first plan
replan() {
	local scale=$1; local base=$scale-base
	gen "replan-$scale" "$base" || return 1
	cp -r "$base" "$scale-nodental"
	"$PY" "$here/../tests/edit_program.py" "$scale-nodental/vdsched.ini" unload dental
	plan "$scale-p0" -c "$base/vdsched.ini" -o "out/replan-$scale/p0" || return 1
	plan "$scale-p0nd" -c "$scale-nodental/vdsched.ini" -o "$scale-p0nd" || return 1
	local edits
	edits=$("$PY" - "$base" "out/replan-$scale/p0" <<'PYEOF'
import csv, datetime, sys
base, out = sys.argv[1], sys.argv[2]
rows = lambda p: list(csv.DictReader(open(p, encoding="utf-8-sig")))
docs = rows(base + "/doctors.csv")
sched = rows(out + "/schedule.csv")
per, mine = {}, {}
for r in docs:
    per[r["clinic_id"]] = per.get(r["clinic_id"], 0) + 1
for r in sched:
    mine.setdefault(r["doctor_id"], []).append(r)
ids = sorted(mine)
clinic = {r["doctor_id"]: r["clinic_id"] for r in docs}
rest = ids[len(ids) // 3:] + ids[:len(ids) // 3]
lone = next(x for x in rest if per[clinic[x]] == 1)
mate = next(x for x in rest if per[clinic[x]] >= 2)
busy = ids[2 * len(ids) // 3]
run = mine[busy][0]
big = max(per, key=lambda c: (per[c], c))
D = datetime.date.fromisoformat
first = D(min(r["first_day"] for r in sched))
mid = first + (D(max(r["last_day"] for r in sched)) - first) / 2
while mid.weekday() > 2:
    mid += datetime.timedelta(days=1)
sites = {}
for r in sched:
    if r["first_day"] > str(mid):
        sites[r["site_id"]] = sites.get(r["site_id"], 0) + 1
site = sorted(sites, key=lambda s: (sites[s], s))[0]
print("none:")
print("mate:leave " + mate)
print("lone:leave " + lone)
print("join:join %s dnew01" % big)
print("busy:unavailable %s %s..%s" % (busy, run["first_day"], run["last_day"]))
print("blackout:blackout %s..%s" % (mid, mid + datetime.timedelta(days=2)))
print("site:drop-site %s --freeze-before %s" % (site, mid))
print("course:add-course")
PYEOF
) || return 1
	local line name args prev extra
	while IFS= read -r line; do
		name=${line%%:*}; args=${line#*:}; prev=out/replan-$scale/p0; extra=
		case $args in add-course) prev=$scale-p0nd; args= ;; esac
		case $args in *--freeze-before*) extra="--freeze-before ${args##* }"; args=${args% --freeze-before *} ;; esac
		rm -rf "e"; cp -r "$base" "e"
		[ -n "$args" ] && "$PY" "$here/../tests/edit_program.py" "e/vdsched.ini" $args
		cp -r "$prev" "out/replan-$scale/$name"
		# shellcheck disable=SC2086
		plan "$scale-$name" -c "e/vdsched.ini" -o "out/replan-$scale/$name" \
			--previous "out/replan-$scale/$name" $extra || return 1
	done <<<"$edits"
}

for c in $cases; do
	case $c in
	replan-*) replan "${c#replan-}" || exit 1;;
	*) gen "$c" "in/$c/prog" || exit 1
	   plan "$c" -c "in/$c/prog/vdsched.ini" -o "out/$c" || exit 1;;
	esac
	sums "$c"
done

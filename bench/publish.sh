#!/usr/bin/env bash
# publish.sh -- `vdsched publish` timed against Radicale on loopback: a
# first publish onto an empty server, then a second one with nothing
# changed, for each binary and --jobs given, side by side in one run.
#
#   bench/publish.sh OUTDIR [BINARY[:JOBS] ...]
#
# OUTDIR is a planned output folder (bench/gen.py county 1 DIR, then
# vdsched plan).  Each BINARY:JOBS runs with --jobs JOBS (none given: the
# binary's default, so an older binary without --jobs can be compared).
# Prints, per run: wall seconds, requests/s, vdsched's CPU (user + system)
# as a share of the wall time, and the second publish's wall time.
# Radicale's storage is on disk, as a server's is (it fsyncs every item,
# so a request in flight waits on the disk, not on vdsched);
# PUBBENCH_STORE=shm puts it in /dev/shm instead, to time the client alone.
# Then bench/bare-put.py sends the same events as bare PUTs, one at a time
# and PUBBENCH_BARE (default "1 4") at a time: what the server itself
# takes, the ceiling for any client (PUBBENCH_BARE=none skips it).
# PUBBENCH_DELAY=S puts tests/fault_proxy.py (no faults) in front of
# Radicale holding each request S seconds, as a server across a network
# answers after a round trip.
# Needs Radicale for /usr/bin/python3 and htpasswd (tools/install-deps).
set -u
out=${1:?usage: bench/publish.sh OUTDIR [BINARY[:JOBS] ...]}
shift
[ $# -gt 0 ] || set -- "$(dirname "$0")/../vdsched"
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
case ${PUBBENCH_STORE:-disk} in
shm) tmp=$(mktemp -d /dev/shm/vdsched-pubbench.XXXXXX) || exit 1;;
*) tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-pubbench.XXXXXX") || exit 1;;
esac
rpid=
trap '[ -n "$rpid" ] && kill $rpid 2>/dev/null; rm -rf "$tmp"' EXIT
touch "$tmp/users"
for i in $(seq 1 $#) bare; do htpasswd -m -b "$tmp/users" "bench$i" bench-pw 2>/dev/null || exit 1; done
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[server]\nhosts = 127.0.0.1:%s\n[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = md5\n[storage]\nfilesystem_folder = %s/store\n[logging]\nlevel = warning\n' \
	"$port" "$tmp/users" "$tmp" >"$tmp/conf"
"$PY" -m radicale --config "$tmp/conf" >"$tmp/radicale.log" 2>&1 &
rpid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done
if [ -n "${PUBBENCH_DELAY:-}" ]; then
	"$PY" "$(dirname "$0")/../tests/fault_proxy.py" --upstream "$port" --rate 0 --delay "$PUBBENCH_DELAY" \
		--time-limit 7200 --port-file "$tmp/proxy-port" &
	ppid=$!
	trap '[ -n "$rpid" ] && kill $rpid 2>/dev/null; kill $ppid 2>/dev/null; rm -rf "$tmp"' EXIT
	until [ -s "$tmp/proxy-port" ]; do sleep 0.1; done
	port=$(cat "$tmp/proxy-port")
fi
export VDSCHED_CALDAV_PASSWORD=bench-pw
run=0
printf '%-28s %6s %9s %10s %7s %9s\n' binary jobs "wall s" "requests/s" "CPU %" "2nd s"
for spec in "$@"; do
	bin=${spec%%:*}
	jobs=
	[ "$bin" != "$spec" ] && jobs=${spec#*:}
	run=$((run + 1))
	url=http://127.0.0.1:$port/bench$run/
	export VDSCHED_CALDAV_USER=bench$run
	args=(-o "$out" --url "$url" -v)
	[ -n "$jobs" ] && args+=(--jobs "$jobs")
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$bin" "${args[@]}" publish >"$tmp/out" 2>"$tmp/err" ||
		{ echo "$spec: publish failed:"; grep 'error' "$tmp/err" | head -5; continue; }
	read -r wall user sys <"$tmp/time"
	reqs=$(sed -n 's/^vdsched: \([0-9]*\) requests over.*/\1/p' "$tmp/err")
	/usr/bin/time -f '%e' -o "$tmp/time2" "$bin" "${args[@]:0:4}" -q publish >/dev/null 2>&1
	printf '%-28s %6s %9.1f %10.0f %7.1f %9.2f\n' "$bin" "${jobs:-default}" "$wall" \
		"$(echo "$reqs / $wall" | bc -l)" "$(echo "100 * ($user + $sys) / $wall" | bc -l)" "$(cat "$tmp/time2")"
done
bare=${PUBBENCH_BARE:-1 4}
[ "$bare" = none ] && exit 0
for jobs in $bare; do
	read -r n secs rate < <("$PY" "$(dirname "$0")/bare-put.py" "http://127.0.0.1:$port/benchbare/" \
		"benchbare" bench-pw "$out" "$jobs") || { echo "bare-put.py failed"; continue; }
	printf '%-28s %6s %9.1f %10.0f\n' "bare PUT (bare-put.py)" "$jobs" "$secs" "$rate"
done

#!/usr/bin/env bash
# publish.sh -- `vdsched publish` against a real CalDAV server (Radicale).
#
# Environment (set by `make check`, see AM_TESTS_ENVIRONMENT):
#   VDSCHED                  the vdsched binary
#   VDSCHED_TEST_PLUGIN_DIR  folder with tcm.so pediatrics.so dental.so
#   top_srcdir               the source tree (etc/, tests/)
#   PYTHON3_DEBIAN           Debian's python3 (Radicale and python3-icalendar)
#
# Starts Radicale on 127.0.0.1 (a free port, htpasswd users, a temporary
# storage folder), plans etc/tiny and a generated program, and checks:
# the server holds exactly the planned events (UID, SEQUENCE, DTSTAMP,
# STATUS, DTSTART per collection; one VEVENT and its VTIMEZONE per
# resource, named by UID; displayname = X-WR-CALNAME); a second publish
# sends no PUT and no DELETE; edited calendars (SEQUENCE, a cancelled
# event, a dropped event) and a re-plan (a doctor removed, a blackout
# added) are mirrored, dropped events deleted; a publish killed half-way
# (VDSCHED_PUBLISH_FAULT_AFTER, and a real kill -9) and run again leaves
# the same state as an uninterrupted one; --dry-run changes nothing; a
# wrong password, a forbidden URL, a closed port, a bad folder and a
# missing URL fail with one clear line and the right exit status; the
# password is never printed; ~/.netrc is read.  Through fault_proxy.py
# (a proxy on loopback that fails a share of the requests: 500, 502, 503,
# 503 with Retry-After, 429, a reset, a connection closed after the server
# did the request): at 5 % one run completes and the server holds exactly
# the plan, retries shown with -v without the password; at 100 % publish
# gives up within its bound with one error, and a later run completes; a
# kill -9 in the middle of a parallel publish through it is resumed.
#
# Exit 0 pass, 1 fail.  Never skips: radicale, apache2-utils and
# python3-icalendar are in tools/install-deps.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-/usr/bin/python3}
[ -n "$PY" ] || PY=/usr/bin/python3
STATE="$PY $srcdir/tests/caldav_state.py"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-publish.XXXXXX") || exit 1
# Radicale fsyncs every item: on tmpfs that costs nothing
store=$(mktemp -d /dev/shm/vdsched-radicale.XXXXXX 2>/dev/null) || store=$tmp/store
rpid=
ppid_=
cleanup() {
	for p in $ppid_ $rpid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp" "$store"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$tmp" || exit 1

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
show() { sed -n '1,15p' "$1" | sed 's/^/  | /'; }

for tool in htpasswd curl; do
	command -v $tool >/dev/null || { echo "publish: $tool missing (tools/install-deps)"; exit 1; }
done
"$PY" -c 'import radicale, icalendar' || { echo "publish: $PY lacks radicale or icalendar (tools/install-deps)"; exit 1; }

# ------------------------------------------------------------ Radicale ----
PW_ALICE='Al1ce-s3cret!'
htpasswd -c -m -b "$tmp/users" alice "$PW_ALICE" 2>/dev/null || exit 1
for u in bob carol dave erin frank gina hank ivan; do
	htpasswd -m -b "$tmp/users" $u "pw-$u-9x7" 2>/dev/null || exit 1
done
start_radicale() {
	local try
	for try in 1 2 3 4 5; do
		port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		cat >"$tmp/radicale.conf" <<EOF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $tmp/users
htpasswd_encryption = md5
[storage]
filesystem_folder = $store
[logging]
level = warning
EOF
		"$PY" -m radicale --config "$tmp/radicale.conf" >"$tmp/radicale.log" 2>&1 &
		rpid=$!
		local i
		for i in $(seq 1 100); do
			code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null)
			case $code in 2??|3??|401) return 0 ;; esac
			kill -0 "$rpid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$rpid" 2>/dev/null
		wait "$rpid" 2>/dev/null
		rpid=
	done
	echo "publish: Radicale did not start:"
	cat "$tmp/radicale.log"
	exit 1
}
start_radicale
BASE=http://127.0.0.1:$port
pass "Radicale listening on 127.0.0.1:$port"

export SOURCE_DATE_EPOCH=1700000000
unset VDSCHED_CALDAV_URL VDSCHED_CALDAV_USER VDSCHED_CALDAV_PASSWORD VDSCHED_PUBLISH_FAULT_AFTER
export HOME=$tmp/home   # no ~/.netrc of the user running the tests
mkdir -p "$HOME"

plan() {  # plan INI OUT
	"$VDSCHED" --plugin-dir "$PLUGDIR" -q -c "$1" -o "$2" plan >"$tmp/plan.out" 2>"$tmp/plan.err"
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "publish: plan $1 failed ($rc):"
		cat "$tmp/plan.err"
		exit 1
	fi
}
# pub NAME USER [ARGS...]: publish as USER to BASE/USER/, output in NAME.{out,err,rc}
pub() {
	local name=$1 user=$2
	shift 2
	local pw="pw-$user-9x7"
	[ "$user" = alice ] && pw=$PW_ALICE
	VDSCHED_CALDAV_USER=$user VDSCHED_CALDAV_PASSWORD=$pw \
		"$VDSCHED" --url "$BASE/$user/" "$@" publish >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}
rc_of() { cat "$tmp/$1.rc"; }
# summary field: puts NAME -> P of "(PUT P, DELETE D, ...)"
field() { sed -n "s/.*[(]PUT \([0-9]*\), DELETE \([0-9]*\), MKCALENDAR \([0-9]*\)[)].*/\\$2/p" "$tmp/$1.out"; }
server_state() { $STATE server "$BASE/$1/" "$1" "$(pw_of "$1")"; }
pw_of() { if [ "$1" = alice ]; then echo "$PW_ALICE"; else echo "pw-$1-9x7"; fi; }
# same USER OUTDIR WHAT: the server of USER holds exactly OUTDIR's events
same() {
	$STATE local "$2" >"$tmp/want.txt" || { fail "$3: cannot read $2"; return; }
	if ! server_state "$1" >"$tmp/have.txt" 2>"$tmp/have.err"; then
		fail "$3: the server's resources are malformed"
		show "$tmp/have.err"
		return
	fi
	local n
	n=$(grep -c '^EV' "$tmp/want.txt")
	if [ "$n" -eq 0 ]; then
		fail "$3: $2 has no events to compare"
	elif cmp -s "$tmp/want.txt" "$tmp/have.txt"; then
		pass "$3: the server holds exactly the $n planned events"
	else
		fail "$3: the server differs from $2 (< planned, > server)"
		diff "$tmp/want.txt" "$tmp/have.txt" | sed -n '1,12p' | sed 's/^/  | /'
	fi
}
events_in() { grep -c '^EV' <($STATE local "$1"); }

# ------------------------------------------------ first and second run ----
plan "$srcdir/etc/tiny/vdsched.ini" "$tmp/tiny"
ntiny=$(events_in "$tmp/tiny")
ncal=$(ls "$tmp"/tiny/ics/*/*.ics | wc -l)

pub dry0 alice -o "$tmp/tiny" --dry-run
if [ "$(rc_of dry0)" = 0 ] && grep -q "^MKCALENDAR doctors-t01/" "$tmp/dry0.out" &&
	[ "$(grep -c '^PUT .* (new)$' "$tmp/dry0.out")" -eq "$ntiny" ] &&
	grep -q "^dry run, nothing sent: would publish $ncal calendars: $ntiny new," "$tmp/dry0.out"; then
	pass "--dry-run on an empty server lists $ncal MKCALENDAR and $ntiny new PUTs"
else
	fail "--dry-run on an empty server (rc $(rc_of dry0))"
	show "$tmp/dry0.out"; show "$tmp/dry0.err"
fi
if [ -z "$(server_state alice | grep '^CAL')" ]; then
	pass "--dry-run created nothing"
else
	fail "--dry-run changed the server"
fi

pub first alice -o "$tmp/tiny"
if [ "$(rc_of first)" = 0 ] && [ "$(field first 1)" = "$ntiny" ] && [ "$(field first 3)" = "$ncal" ]; then
	pass "first publish: $ncal calendars made, $ntiny PUTs"
else
	fail "first publish (rc $(rc_of first))"
	show "$tmp/first.out"; show "$tmp/first.err"
fi
same alice "$tmp/tiny" "first publish of etc/tiny"

pub second alice -o "$tmp/tiny" -v
if [ "$(rc_of second)" = 0 ] && [ "$(field second 1)" = 0 ] && [ "$(field second 2)" = 0 ] &&
	! grep -q "vdsched: \(PUT\|DELETE\|MKCALENDAR\) " "$tmp/second.err" &&
	grep -q "0 new, 0 updated, 0 deleted, $ntiny unchanged" "$tmp/second.out"; then
	pass "second publish with nothing changed: 0 PUT, 0 DELETE"
else
	fail "second publish sent changes"
	show "$tmp/second.out"; grep -v ' REPORT \| PROPFIND ' "$tmp/second.err" | show /dev/stdin
fi
if grep -q "vdsched: REPORT $BASE/alice/doctors-t01/: 207" "$tmp/second.err"; then
	pass "-v lists each request with its status"
else
	fail "-v does not list the requests"
	show "$tmp/second.err"
fi
# progress only on a terminal (script(1) gives publish one)
VDSCHED_CALDAV_USER=alice VDSCHED_CALDAV_PASSWORD=$PW_ALICE VDSCHED=$VDSCHED TINY=$tmp/tiny URL=$BASE/alice/ \
	script -qec '"$VDSCHED" --url "$URL" -o "$TINY" publish' /dev/null >"$tmp/tty.out" 2>&1
if grep -q "publishing [0-9]*/$ntiny events, calendar [0-9]*/$ncal, [0-9]* requests/s" "$tmp/tty.out" &&
	grep -q "published $ncal calendars: 0 new" "$tmp/tty.out" &&
	! grep -q "publishing" "$tmp/first.err" "$tmp/first.out"; then
	pass "progress on a terminal, none when stderr is a file"
else
	fail "progress display"
	tr '\r' '\n' <"$tmp/tty.out" | show /dev/stdin
fi
if grep -qF "$PW_ALICE" "$tmp/first.out" "$tmp/first.err" "$tmp/second.out" "$tmp/second.err"; then
	fail "the password appears in publish's output"
else
	pass "the password is never printed (-v included)"
fi

# ------------------------------------------ edited calendars: a re-plan ----
cp -r "$tmp/tiny" "$tmp/tiny2"
"$PY" - "$tmp/tiny2" <<'EOF' || exit 1
# Bump SEQUENCE of one event, cancel another, drop a third (as a re-plan
# would), all through python3-icalendar.
import sys, icalendar
out = sys.argv[1]
def edit(path, fn):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    fn(cal)
    with open(path, "wb") as f:
        f.write(cal.to_ical())
def bump(cal):
    ev = cal.walk("VEVENT")[0]
    ev["SEQUENCE"] = 1
    ev["SUMMARY"] = str(ev["SUMMARY"]) + "（改）"
def cancel(cal):
    ev = cal.walk("VEVENT")[1]
    ev["SEQUENCE"] = 1
    ev["STATUS"] = "CANCELLED"
def drop(cal):
    ev = cal.walk("VEVENT")[2]
    cal.subcomponents.remove(ev)
edit(out + "/ics/doctors/t01.ics", bump)
edit(out + "/ics/doctors/t02.ics", cancel)
edit(out + "/ics/cohorts/C001.ics", drop)
EOF
before=$(server_state alice | md5sum)
pub dry1 alice -o "$tmp/tiny2" --dry-run
if [ "$(rc_of dry1)" = 0 ] && [ "$(grep -c '^PUT .* (changed)$' "$tmp/dry1.out")" = 2 ] &&
	[ "$(grep -c '^DELETE cohorts-C001/' "$tmp/dry1.out")" = 1 ] &&
	[ "$(grep -c '^PUT\|^DELETE\|^MKCALENDAR' "$tmp/dry1.out")" = 3 ] &&
	[ "$(server_state alice | md5sum)" = "$before" ]; then
	pass "--dry-run lists the 2 changed PUTs and 1 DELETE, sends none"
else
	fail "--dry-run on edited calendars (rc $(rc_of dry1))"
	show "$tmp/dry1.out"; show "$tmp/dry1.err"
fi
# as if someone changed each resource after our listing: every If-Match
# gets 412 Precondition Failed, is fetched again and retried once
VDSCHED_PUBLISH_TEST=stale-etags pub edited alice -o "$tmp/tiny2" -v
if [ "$(rc_of edited)" = 0 ] && [ "$(field edited 1)" = 4 ] && [ "$(field edited 2)" = 2 ] &&
	grep -q "0 new, 2 updated, 1 deleted," "$tmp/edited.out" &&
	[ "$(grep -c ': 412 Precondition Failed$' "$tmp/edited.err")" = 3 ] &&
	[ "$(grep -c 'vdsched: GET ' "$tmp/edited.err")" = 3 ] && ! grep -q 'error:' "$tmp/edited.err"; then
	pass "edited calendars: 2 PUT and 1 DELETE, each retried once after 412"
else
	fail "edited calendars (rc $(rc_of edited))"
	show "$tmp/edited.out"; show "$tmp/edited.err"
fi
same alice "$tmp/tiny2" "edited calendars (SEQUENCE 1, STATUS:CANCELLED, one dropped)"
# a server whose listing leaves out calendar-data: each event is fetched
VDSCHED_PUBLISH_TEST=no-calendar-data pub nodata alice -o "$tmp/tiny2" -v
ntiny2=$(events_in "$tmp/tiny2")
if [ "$(rc_of nodata)" = 0 ] && [ "$(field nodata 1)" = 0 ] && [ "$(field nodata 2)" = 0 ] &&
	[ "$(grep -c 'vdsched: GET .*: 200 OK$' "$tmp/nodata.err")" = "$ntiny2" ]; then
	pass "a listing without calendar-data: $ntiny2 GETs, nothing sent"
else
	fail "listing without calendar-data (rc $(rc_of nodata))"; show "$tmp/nodata.out"; show "$tmp/nodata.err"
fi

# -------------------------------- a generated program, then re-planned ----
"$PY" "$srcdir/tests/gen_program.py" 7 "$tmp/gen" --kind mixed >/dev/null || exit 1
plan "$tmp/gen/vdsched.ini" "$tmp/gen-out"
pub gen1 bob -o "$tmp/gen-out"
[ "$(rc_of gen1)" = 0 ] || { fail "publish of the generated program (rc $(rc_of gen1))"; show "$tmp/gen1.err"; }
same bob "$tmp/gen-out" "generated program"
# re-plan: a doctor leaves, a blackout moves runs (same SOURCE_DATE_EPOCH)
gone=$(LC_ALL=C sed -n '2s/,.*//p' "$tmp/gen/doctors.csv")
LC_ALL=C sed -i "2d" "$tmp/gen/doctors.csv"
LC_ALL=C sed -i 's/^blackout *= *\([0-9.-]*\)/blackout = \1 2026-10-08..2026-10-09/' "$tmp/gen/vdsched.ini"
plan "$tmp/gen/vdsched.ini" "$tmp/gen-out2"
if [ -f "$tmp/gen-out/ics/doctors/$gone.ics" ] && [ ! -f "$tmp/gen-out2/ics/doctors/$gone.ics" ]; then
	pass "re-plan without doctor $gone"
else
	fail "re-plan: doctor $gone still planned (or never was)"
fi
pub gen2 bob -o "$tmp/gen-out2"
if [ "$(rc_of gen2)" = 0 ] && [ "$(field gen2 2)" -gt 0 ] &&
	grep -q "[1-9][0-9]* updated\|[1-9][0-9]* new" "$tmp/gen2.out"; then
	pass "re-plan published: $(sed -n 's/^published //p' "$tmp/gen2.out")"
else
	fail "re-plan publish (rc $(rc_of gen2))"
	show "$tmp/gen2.out"; show "$tmp/gen2.err"
fi
same bob "$tmp/gen-out2" "re-planned program (removed doctor's events gone)"
pub gen3 bob -o "$tmp/gen-out2"
if [ "$(field gen3 1)" = 0 ] && [ "$(field gen3 2)" = 0 ]; then
	pass "re-planned program published again: 0 PUT, 0 DELETE"
else
	fail "re-planned program published again sent changes"; show "$tmp/gen3.out"
fi

# ------------------------------------------------ killed, then resumed ----
VDSCHED_PUBLISH_FAULT_AFTER=40 pub fault carol -o "$tmp/tiny"
sleep 0.5   # what the other connections had sent lands
part=$(server_state carol | grep -c '^EV')
if [ "$(rc_of fault)" = 1 ] && [ "$part" -gt 0 ] && [ "$part" -lt "$ntiny" ]; then
	pass "publish stopped after 40 requests: $part of $ntiny events on the server"
else
	fail "the fault did not stop publish half-way (rc $(rc_of fault), $part events)"
fi
pub resume carol -o "$tmp/tiny"
if [ "$(rc_of resume)" = 0 ] && [ "$(field resume 1)" = $((ntiny - part)) ]; then
	pass "resumed: $((ntiny - part)) PUTs, none repeated"
else
	fail "resume (rc $(rc_of resume))"; show "$tmp/resume.out"; show "$tmp/resume.err"
fi
same carol "$tmp/tiny" "killed and resumed publish"

# kill9 USER URL OUTDIR N: a parallel publish killed -9 once the server
# holds N resources; part = the events it holds then
kill9() {
	VDSCHED_CALDAV_USER=$1 VDSCHED_CALDAV_PASSWORD=$(pw_of "$1") \
		"$VDSCHED" --url "$2" -o "$3" -q --jobs 4 publish >"$tmp/kill-$1.out" 2>&1 &
	local kpid=$! i n
	for i in $(seq 1 400); do
		n=$(find "$store/collection-root/$1" -name '*.ics' -not -path '*/.Radicale*' 2>/dev/null | wc -l)
		[ "$n" -ge "$4" ] && break
		kill -0 $kpid 2>/dev/null || break
		sleep 0.05
	done
	kill -9 $kpid 2>/dev/null
	wait $kpid 2>/dev/null
	sleep 0.5   # what the other connections had sent lands
	part=$(server_state "$1" | grep -c '^EV')
}
# a real kill -9 in the middle of the transfer
kill9 dave "$BASE/dave/" "$tmp/tiny" 30
pub resume9 dave -o "$tmp/tiny"
if [ "$(rc_of resume9)" = 0 ] && [ "$part" -lt "$ntiny" ] && [ "$(field resume9 1)" = $((ntiny - part)) ]; then
	pass "kill -9 after $part events, then resumed with $((ntiny - part)) PUTs"
else
	fail "kill -9 and resume (rc $(rc_of resume9), $part events before)"
	show "$tmp/resume9.out"; show "$tmp/resume9.err"
fi
same dave "$tmp/tiny" "kill -9 and resumed publish"
if [ "$(server_state dave)" = "$(server_state carol)" ]; then
	pass "interrupted publishes end where an uninterrupted one does"
else
	fail "the two resumed servers differ"
fi

# ----------------------------------------------------------- failures ----
VDSCHED_CALDAV_USER=alice VDSCHED_CALDAV_PASSWORD='Wr0ng-Passw0rd' \
	"$VDSCHED" --url "$BASE/alice/" -o "$tmp/tiny" -v publish >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
if [ $rc = 1 ] && grep -q "^vdsched: error: PROPFIND $BASE/alice/: 401 " "$tmp/bad.err" &&
	[ "$(grep -c 'error:' "$tmp/bad.err")" = 1 ] && ! grep -qF 'Wr0ng-Passw0rd' "$tmp/bad.out" "$tmp/bad.err"; then
	pass "wrong password: one line with 401, exit 1, password not shown"
else
	fail "wrong password (rc $rc)"; show "$tmp/bad.err"
fi
# credentials inside the URL: used, never shown
"$VDSCHED" --url "http://alice:Wr0ng-Passw0rd@127.0.0.1:$port/alice/" -o "$tmp/tiny" -v publish \
	>"$tmp/bad2.out" 2>"$tmp/bad2.err"
rc=$?
if [ $rc = 1 ] && grep -q "^vdsched: error: PROPFIND http://alice@127.0.0.1:$port/alice/: 401 " "$tmp/bad2.err" &&
	! grep -qF 'Wr0ng-Passw0rd' "$tmp/bad2.out" "$tmp/bad2.err"; then
	pass "a password in the URL is used but never shown"
else
	fail "password in the URL (rc $rc)"; show "$tmp/bad2.err"
fi
VDSCHED_CALDAV_USER=bob VDSCHED_CALDAV_PASSWORD=pw-bob-9x7 \
	"$VDSCHED" --url "$BASE/alice/" -o "$tmp/tiny" publish >"$tmp/forb.out" 2>"$tmp/forb.err"
rc=$?
if [ $rc = 1 ] && grep -q "^vdsched: error: PROPFIND $BASE/alice/: 403 Forbidden" "$tmp/forb.err"; then
	pass "another user's calendars: 403 Forbidden, exit 1"
else
	fail "forbidden URL (rc $rc)"; show "$tmp/forb.err"
fi
closed=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VDSCHED" --url "http://127.0.0.1:$closed/x/" -o "$tmp/tiny" publish >"$tmp/net.out" 2>"$tmp/net.err"
rc=$?
if [ $rc = 1 ] && grep -q "^vdsched: error: PROPFIND http://127.0.0.1:$closed/x/: Couldn't connect" "$tmp/net.err"; then
	pass "closed port: curl's error named, exit 1"
else
	fail "closed port (rc $rc)"; show "$tmp/net.err"
fi
"$VDSCHED" --url "$BASE/alice/" -o "$tmp/nothere" publish >"$tmp/nof.out" 2>"$tmp/nof.err"
rc=$?
if [ $rc = 2 ] && grep -q "not a vdsched output folder" "$tmp/nof.err"; then
	pass "a folder without ics/: exit 2"
else
	fail "bad folder (rc $rc)"; show "$tmp/nof.err"
fi
"$VDSCHED" -o "$tmp/tiny" publish >"$tmp/nourl.out" 2>"$tmp/nourl.err"
rc=$?
if [ $rc = 1 ] && grep -q "give --url URL or set VDSCHED_CALDAV_URL" "$tmp/nourl.err"; then
	pass "no URL: says how to give one, exit 1"
else
	fail "no URL (rc $rc)"; show "$tmp/nourl.err"
fi

"$VDSCHED" --url "ftp://127.0.0.1/x/" -o "$tmp/tiny" publish >"$tmp/ftp.out" 2>"$tmp/ftp.err"
rc=$?
if [ $rc = 1 ] && grep -q "is not an http:// or https:// URL" "$tmp/ftp.err"; then
	pass "an ftp:// URL: refused, exit 1"
else
	fail "ftp:// URL (rc $rc)"; show "$tmp/ftp.err"
fi

# ~/.netrc, and the URL from VDSCHED_CALDAV_URL
printf 'machine 127.0.0.1\nlogin erin\npassword pw-erin-9x7\n' >"$HOME/.netrc"
chmod 600 "$HOME/.netrc"
VDSCHED_CALDAV_URL="$BASE/erin/" "$VDSCHED" -o "$tmp/tiny" -q publish >"$tmp/netrc.out" 2>"$tmp/netrc.err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$tmp/netrc.out" ]; then
	same erin "$tmp/tiny" "credentials from ~/.netrc, URL from VDSCHED_CALDAV_URL, -q quiet"
else
	fail "~/.netrc publish (rc $rc)"; show "$tmp/netrc.err"
fi
rm -f "$HOME/.netrc"

# [output] dir of the program file when -o is absent
mkdir -p "$tmp/cfg"
printf '[output]\ndir = ../tiny\n' >"$tmp/cfg/vdsched.ini"
pub cfgdir frank -c "$tmp/cfg/vdsched.ini" --dry-run
if [ "$(rc_of cfgdir)" = 0 ] && grep -q "would publish $ncal calendars" "$tmp/cfgdir.out"; then
	pass "the folder comes from [output] dir without -o"
else
	fail "[output] dir (rc $(rc_of cfgdir))"; show "$tmp/cfgdir.out"; show "$tmp/cfgdir.err"
fi

# ------------------------------------------------ a flaky server ----
# proxy RATE SEED [HEALTHY_FIRST]: fault_proxy.py in front of Radicale; PBASE its URL
proxy() {
	[ -n "$ppid_" ] && { kill "$ppid_" 2>/dev/null; wait "$ppid_" 2>/dev/null; }
	rm -f "$tmp/pport"
	"$PY" "$srcdir/tests/fault_proxy.py" --upstream "$port" --rate "$1" --seed "$2" \
		--healthy-first "${3:-0}" --time-limit 300 --port-file "$tmp/pport" --log "$tmp/faults-$1.log" &
	ppid_=$!
	for i in $(seq 1 100); do [ -s "$tmp/pport" ] && break; sleep 0.05; done
	PBASE=http://127.0.0.1:$(cat "$tmp/pport")
}
faults_of() { grep -vc '^forwarded' "$tmp/faults-$1.log" 2>/dev/null || echo 0; }
PW_GINA=pw-gina-9x7
proxy 0.05 7
# credentials in the URL, -v: every request and every retry is printed
"$VDSCHED" --url "http://gina:$PW_GINA@${PBASE#http://}/gina/" -o "$tmp/gen-out2" -v --jobs 4 \
	publish >"$tmp/flaky.out" 2>"$tmp/flaky.err"
rc=$?
nf=$(faults_of 0.05)
if [ $rc = 0 ] && [ "$nf" -gt 0 ] && grep -q "transient faults survived" "$tmp/flaky.out" &&
	grep -q "trying again in" "$tmp/flaky.err" && ! grep -q 'error:' "$tmp/flaky.err"; then
	pass "5 % faults ($nf met): one run completes: $(sed -n 's/^published //p' "$tmp/flaky.out" | cut -c1-60)..."
else
	fail "5 % faults: publish did not complete in one run (rc $rc, $nf faults)"
	grep 'error\|trying again' "$tmp/flaky.err" | show /dev/stdin; show "$tmp/flaky.out"
fi
same gina "$tmp/gen-out2" "after 5 % faults: no duplicate UID, nothing missing, nothing stale"
if grep -qF "$PW_GINA" "$tmp/flaky.out" "$tmp/flaky.err"; then
	fail "the password appears in -v or retry messages"
else
	pass "the password is never printed in -v and retry messages"
fi
pub flaky2 gina -o "$tmp/gen-out2"
if [ "$(field flaky2 1)" = 0 ] && [ "$(field flaky2 2)" = 0 ] && [ "$(field flaky2 3)" = 0 ]; then
	pass "after the flaky run, a second publish sends nothing"
else
	fail "after the flaky run, a second publish sent changes"; show "$tmp/flaky2.out"
fi

# kill -9 in the middle of a parallel publish through the flaky proxy
kill9 ivan "$PBASE/ivan/" "$tmp/gen-out2" 60
VDSCHED_CALDAV_USER=ivan VDSCHED_CALDAV_PASSWORD=pw-ivan-9x7 \
	"$VDSCHED" --url "$PBASE/ivan/" -o "$tmp/gen-out2" --jobs 4 publish >"$tmp/kill2r.out" 2>"$tmp/kill2r.err"
rc=$?
if [ $rc = 0 ] && [ "$part" -gt 0 ]; then
	pass "kill -9 of a parallel publish after $part events, resumed through 5 % faults"
else
	fail "kill -9 of a parallel publish, resumed (rc $rc, $part events before)"; show "$tmp/kill2r.err"
fi
same ivan "$tmp/gen-out2" "kill -9 of a parallel publish, then resumed"

# every request fails from the 60th on: give up within the bound, one
# message, exit 1, nothing twice; then a healthy run completes
proxy 1 3 60
t0=$(date +%s)
VDSCHED_CALDAV_USER=hank VDSCHED_CALDAV_PASSWORD=pw-hank-9x7 \
	"$VDSCHED" --url "$PBASE/hank/" -o "$tmp/tiny" --retries 3 publish >"$tmp/dead.out" 2>"$tmp/dead.err"
rc=$?
secs=$(( $(date +%s) - t0 ))
# 3 retries: backoff at most 0.5 + 1 + 2 s, or Retry-After 1 s each
if [ $rc = 1 ] && [ "$secs" -le 10 ] && [ "$(grep -c 'error:' "$tmp/dead.err")" = 1 ] &&
	grep -q "gave up after 4 tries" "$tmp/dead.err" && ! grep -q pw-hank "$tmp/dead.err" &&
	server_state hank >"$tmp/dead.state" &&
	[ "$(grep -c '^EV' "$tmp/dead.state")" = "$(grep '^EV' "$tmp/dead.state" | cut -f2,3 | sort -u | wc -l)" ]; then
	pass "100 % faults: gave up in $secs s with one error, exit 1, $(grep -c '^EV' "$tmp/dead.state") events, none twice"
else
	fail "100 % faults (rc $rc, $secs s)"; show "$tmp/dead.err"
fi
kill "$ppid_" 2>/dev/null; wait "$ppid_" 2>/dev/null; ppid_=
pub healthy hank -o "$tmp/tiny"
if [ "$(rc_of healthy)" = 0 ]; then
	same hank "$tmp/tiny" "after giving up, a run against the healthy server completes"
else
	fail "after 100 % faults, the healthy run (rc $(rc_of healthy))"; show "$tmp/healthy.err"
fi

echo "publish: $failures failure(s)"
[ "$failures" -eq 0 ]

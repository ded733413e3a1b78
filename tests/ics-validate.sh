#!/bin/sh
# ics-validate.sh -- check vdsched's calendars byte by byte and with two
# independent parsers (python3-icalendar + python3-vobject, and ical.js).
#
# Usage: tests/ics-validate.sh [--tz ZONE] [--sessions sessions.csv] [DIR]
#
# DIR is a folder holding .ics files anywhere beneath it (e.g. an output
# folder).  Without DIR, runs tests/test_ics to write a sample set (the
# automake test case).  Exit 0 when all checks pass, 1 on any problem, 77
# (automake SKIP) when nothing failed but a validator could not run because
# its interpreter or module is missing.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tz=Asia/Shanghai
sessions=
while [ $# -gt 0 ]; do
	case $1 in
	--tz) tz=$2; shift 2 ;;
	--sessions) sessions=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "usage: $0 [--tz ZONE] [--sessions sessions.csv] [DIR]" >&2; exit 99 ;;
	*) break ;;
	esac
done

tmp=
cleanup() { [ -n "$tmp" ] && rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

if [ $# -ge 1 ]; then
	dir=$1
else
	t=${top_builddir:-$here/..}/tests/test_ics
	if [ ! -x "$t" ]; then
		echo "ics-validate.sh: no DIR given and $t not built" >&2
		exit 77
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ics-validate-XXXXXX") || exit 99
	ICS_TEST_KEEP=$tmp/out "$t" >"$tmp/test.log" 2>&1 || { cat "$tmp/test.log" >&2; exit 1; }
	dir=$tmp/out
fi
if [ ! -d "$dir" ]; then
	echo "ics-validate.sh: $dir: not a folder" >&2
	exit 99
fi

fail=0
skip=0

# 1. bytes: tests/ics-lint.py (CRLF everywhere, lines <= 75 octets, no
#    fold inside a line end, no UTF-8 sequence split across a fold).
n=$(find "$dir" -name '*.ics' -type f | wc -l)
if [ "$n" -eq 0 ]; then
	echo "ics-validate.sh: no .ics files under $dir" >&2
	exit 1
fi
if ! "${PYTHON3_DEBIAN:-/usr/bin/python3}" "$here/ics-lint.py" "$dir"; then
	echo "bytes: problems (above)" >&2
	fail=1
fi

# 2. python3-icalendar + python3-vobject (Debian's python: /usr/bin/python3)
py=${PYTHON3_DEBIAN:-/usr/bin/python3}
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ]; then
	echo "SKIP python validator: python3 not found (apt-get install python3 python3-icalendar python3-vobject)"
	skip=1
elif ! "$py" -c 'import icalendar, vobject' 2>/dev/null; then
	echo "SKIP python validator: $py lacks icalendar or vobject (apt-get install python3-icalendar python3-vobject)"
	skip=1
else
	if [ -n "$sessions" ]; then
		"$py" "$here/ics_validate.py" --tz "$tz" --sessions "$sessions" "$dir"
	else
		"$py" "$here/ics_validate.py" --tz "$tz" "$dir"
	fi
	rc=$?
	case $rc in
	0) ;;
	77) skip=1 ;;
	*) echo "python validator: problems (above)" >&2; fail=1 ;;
	esac
fi

# 3. ical.js (Thunderbird's parser), from npm install --prefix tests ical.js
node=${NODE:-$(command -v node || command -v nodejs || true)}
if [ -z "$node" ]; then
	echo "SKIP ical.js validator: node not found (apt-get install nodejs)"
	skip=1
else
	"$node" "$here/ics_validate.js" --tz "$tz" "$dir"
	rc=$?
	case $rc in
	0) ;;
	77) echo "SKIP ical.js validator: ical.js not installed (npm install --prefix tests ical.js)"; skip=1 ;;
	*) echo "ical.js validator: problems (above)" >&2; fail=1 ;;
	esac
fi

[ $fail -ne 0 ] && exit 1
[ $skip -ne 0 ] && exit 77
exit 0

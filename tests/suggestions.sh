#!/usr/bin/env bash
# suggestions.sh -- every change vdsched suggests works when followed.
#
# Runs tests/suggestions.py, which reads the advice of the report,
# unscheduled.csv and `vdsched check` (on etc/ examples, bench programs
# and every case of the bad-input corpus tests/bad/), applies each
# concrete suggestion to a copy of the program as written, and checks
# that `check` then passes and the promise holds (the day named or
# better, the warning or error gone).  See suggestions.py for the list.
#
# Environment (set by `make check`): VDSCHED, VDSCHED_TEST_PLUGIN_DIR,
# top_srcdir, PYTHON3_DEBIAN; SUGGESTIONS_CITY=0 leaves out the city
# program (~15 s).  Exit 0 pass, 1 fail, 77 skip.
set -u
unset VDSCHED_PLUGIN_DIR
export LC_ALL=C.UTF-8 LANG=C.UTF-8
srcdir=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-}
[ -n "$PY" ] || PY=$(command -v python3 || echo python3)

if [ ! -x "$VDSCHED" ]; then
	echo "suggestions: $VDSCHED is not built; skipped"
	exit 77
fi
case $VDSCHED in /*) ;; *) VDSCHED=$(pwd)/$VDSCHED ;; esac
case $PLUGDIR in /*) ;; *) PLUGDIR=$(pwd)/$PLUGDIR ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsched-suggestions.XXXXXX") || exit 1
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
"$PY" "$srcdir/tests/suggestions.py" "$VDSCHED" "$PLUGDIR" "$srcdir" "$tmp" all

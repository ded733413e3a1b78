#!/bin/sh
# readme-errors.sh -- the README's 常见错误 table quotes what vdsched prints:
# each row's mistake is made in a copy of the example program and the
# message compared (tests/readme_errors.py says how).  Exit 0 pass, 1 fail.
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
builddir=${top_builddir:-$srcdir}
VDSCHED=${VDSCHED:-$builddir/vdsched}
PLUGDIR=${VDSCHED_TEST_PLUGIN_DIR:-$builddir/plugins/lib}
PY=${PYTHON3_DEBIAN:-python3}
[ -n "$PY" ] || PY=python3
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
	{ echo "FAIL the zh_CN.UTF-8 locale is missing (tools/install-deps makes it)"; exit 1; }
if [ "${USE_NLS:-yes}" = no ]; then
	echo "FAIL built without NLS: the README quotes the Chinese messages"; exit 1
fi
exec "$PY" "$srcdir/tests/readme_errors.py" "$srcdir/README.md" "$srcdir" "$VDSCHED" "$PLUGDIR"

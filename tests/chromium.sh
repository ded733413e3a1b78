# chromium.sh -- headless Chromium for the tests that render pages
# (print.sh, overview.sh); sourced, after $tmp and $CHROMIUM are set.
#
#   chromium_run OUT ARGS... URL   runs Chromium once in a profile folder
#                                  of its own under $tmp, stdout to OUT,
#                                  stderr to OUT.log; its exit status
#   chromium_reap                  ends what Chromium left of the runs
#   chromium_left                  the ids of processes still running

chromium_profiles=()

# Only processes started with one of our own profile folders, by id.
chromium_reap() {
	local ud pid
	for ud in "${chromium_profiles[@]}"; do
		for pid in $(pgrep -f -- "--user-data-dir=$ud" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
	done
}

chromium_left() {
	local ud
	for ud in "${chromium_profiles[@]}"; do
		pgrep -f -- "--user-data-dir=$ud"
	done
}

chromium_run() {
	local out=$1 ud
	shift
	ud=$(mktemp -d "$tmp/profile.XXXXXX")
	chromium_profiles+=("$ud")
	timeout -k 5 90 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
		--user-data-dir="$ud" --no-first-run --no-default-browser-check \
		--disable-extensions --hide-scrollbars "$@" >"$out" 2>"$out.log"
	local rc=$?
	chromium_reap
	return $rc
}

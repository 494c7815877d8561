# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP helpers shared by the rig's scripts. Source it.

# tap_close NAME FILE RC: after a suite wrote its TAP into FILE and exited
# with RC ("" when it never finished), append the failures the suite could
# not report itself: did not finish, timed out, no results, fewer results
# than planned, non-zero exit with no "not ok". Nothing that went wrong may
# read as a pass.
tap_close() {
	local name=$1 f=$2 rc=$3 plan results failed n
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$f" | head -n 1)
	results=$(grep -cE '^(not )?ok\b' "$f" || true)
	failed=$(grep -c '^not ok\b' "$f" || true)
	n=$results
	if [ -z "$rc" ]; then
		echo "not ok $((n + 1)) $name: did not finish (guest crashed, hung or timed out)" >>"$f"
		return
	fi
	if [ "$rc" = 124 ] || [ "$rc" = 143 ]; then
		echo "not ok $((n + 1)) $name: timed out (exit $rc, after $results result(s))" >>"$f"
		return
	fi
	if [ "$results" -eq 0 ]; then
		echo "not ok $((n + 1)) $name: produced no TAP results (exit $rc)" >>"$f"
		return
	fi
	if [ -n "$plan" ] && [ "$plan" -ne "$results" ]; then
		n=$((n + 1))
		echo "not ok $n $name: planned $plan results, got $results (exit $rc)" >>"$f"
	fi
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		n=$((n + 1))
		echo "not ok $n $name: exited $rc without reporting a failure" >>"$f"
	fi
}

# tap_count FILE: prints "passed failed skipped" over FILE's top-level
# results. "ok ... # SKIP" and "not ok ... # TODO" count as skipped.
tap_count() {
	awk '
		/^ok( |$)/ {
			if (tolower($0) ~ /# *skip/) s++; else p++; next }
		/^not ok( |$)/ {
			if (tolower($0) ~ /# *todo/) s++; else f++; next }
		END { printf "%d %d %d\n", p, f, s }' "$1"
}

# tap_file_name NAME: a file-name-safe version of a suite name.
tap_file_name() {
	tr -c 'A-Za-z0-9_.\n-' '_' <<<"$1"
}

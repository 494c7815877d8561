#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run host unit test binaries (make unit), print each one's TAP, and exit
# non-zero when any failed. A test that crashes, exits non-zero without a
# "not ok", or prints no TAP at all counts as failed.
# With RESULTS_DIR set (make check), each test's TAP is also kept there as
# unit-<name>.tap for the summary.
#
#   run-unit.sh BINARY...
set -euo pipefail

. "$(dirname "$0")/tap.sh"

if [ $# -eq 0 ]; then
	echo "not ok 1 unit: no unit test binaries given"
	exit 1
fi

OUT=${RESULTS_DIR:-$(mktemp -d)}
mkdir -p "$OUT"
failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	f=$OUT/unit-$(tap_file_name "$name").tap
	rc=0
	# stderr too: ASan and UBSan reports land there and belong in the log.
	timeout "${UNIT_TIMEOUT:-300}" "$bin" >"$f" 2>&1 </dev/null || rc=$?
	tap_close "$name" "$f" "$rc"
	echo "=== $name"
	cat "$f"
	read -r p fl s < <(tap_count "$f")
	echo "# $name: $p passed, $fl failed, $s skipped"
	[ "$fl" -eq 0 ] || failed=$((failed + 1))
done
[ -n "${RESULTS_DIR:-}" ] || rm -rf "$OUT"
[ "$failed" -eq 0 ]

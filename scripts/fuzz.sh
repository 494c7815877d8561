#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the verifier fuzzer (make fuzz builds it first; docs/fuzzing.md).
#
#   FUZZ_SECONDS  how long each job runs (default 30)
#   FUZZ_JOBS     jobs run side by side (default 1)
#   FUZZ_TAP      if set, a file that gets one TAP line with the verdict
#   FUZZ_ARGS     extra libFuzzer flags
#
# The corpus grows in build/fuzz/corpus/, seeded from the handcrafted
# inputs in selftests/fuzz/corpus/ (which it never writes). Anything that
# crashes lands in build/fuzz/crashes/; each job's output in build/fuzz/logs/.
# Prints one summary line; exits non-zero when a job found a crash.
set -euo pipefail

cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-30}
JOBS=${FUZZ_JOBS:-1}
TOP=$PWD
BIN=$TOP/build/fuzz/fuzz_verify
OUT=$TOP/build/fuzz
SEEDS=$TOP/selftests/fuzz/corpus

tap() { # tap ok|not-ok TEXT
	[ -n "${FUZZ_TAP:-}" ] || return 0
	if [ "$1" = ok ]; then
		echo "ok 1 $2" >>"$FUZZ_TAP"
	else
		echo "not ok 1 $2" >>"$FUZZ_TAP"
	fi
}

if [ ! -x "$BIN" ]; then
	echo "fuzz: $BIN not built (make fuzz-build)" >&2
	tap not-ok "fuzz_verify: not built"
	exit 1
fi

mkdir -p "$OUT/corpus" "$OUT/crashes" "$OUT/logs"
rm -f "$OUT"/logs/fuzz-*.log

# -timeout: a single input taking this long is a hang (the checked model
# stops a run after 2^24 instructions, well under it). -rss_limit_mb keeps
# a leak from taking the machine. Output and the corpus go under build/.
ARGS=(
	-max_total_time="$SECONDS_EACH"
	-timeout=20
	-rss_limit_mb=2048
	-max_len=4096
	-print_final_stats=1
	-artifact_prefix="$OUT/crashes/"
)
# shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags on purpose
ARGS+=(${FUZZ_ARGS:-})

rc=0
(
	cd "$OUT/logs"
	if [ "$JOBS" -gt 1 ]; then
		# One worker process per job, each with its own fuzz-N.log here.
		exec "$BIN" "${ARGS[@]}" -jobs="$JOBS" -workers="$JOBS" \
			"$OUT/corpus" "$SEEDS" >/dev/null 2>&1
	fi
	exec "$BIN" "${ARGS[@]}" "$OUT/corpus" "$SEEDS" >fuzz-0.log 2>&1
) || rc=$?

execs=0 cov=0
crashes=()
for log in "$OUT"/logs/fuzz-*.log; do
	[ -f "$log" ] || continue
	n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	execs=$((execs + ${n:-0}))
	c=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
	[ -n "$c" ] && [ "$c" -gt "$cov" ] && cov=$c
	while read -r f; do
		crashes+=("${f#"$TOP/"}")
	done < <(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log")
done

rate=$((execs / (SECONDS_EACH > 0 ? SECONDS_EACH : 1)))
if [ ${#crashes[@]} -gt 0 ] || [ "$rc" -ne 0 ]; then
	what=${crashes[*]:-"no reproducer written (exit $rc)"}
	echo "fuzz_verify: FAILED after $execs execs: $what (logs: build/fuzz/logs/)"
	for log in "$OUT"/logs/fuzz-*.log; do
		grep -E -m 5 'ERROR|BUG|runtime error|SUMMARY' "$log" | sed 's/^/#   /' || true
	done
	tap not-ok "fuzz_verify: crash after $execs execs: $what"
	exit 1
fi
echo "fuzz_verify: $execs execs in ${SECONDS_EACH}s x $JOBS job(s) (~$rate/s), cov $cov, corpus $(find "$OUT/corpus" -type f | wc -l) inputs, no crash"
tap ok "fuzz_verify: $execs execs in $SECONDS_EACH s, no crash"

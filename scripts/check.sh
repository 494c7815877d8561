#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the whole test rig, from a fresh Debian 12 machine.
#   deps -> module (W=1, no warnings) -> lib, tools -> unit tests, fuzzer (host)
#   -> conformance, verifier cases (host, offline) -> selftests -> VM tests -> dkms -> summary
# Every step leaves TAP in build/check/results/<suite>.tap and its output in
# build/check/logs/<step>.log. A step that cannot run (a build failure, a
# missing tool) is a failure with its own "not ok" line, never zero tests.
# The last line is exactly "N passed, N failed" (", N skipped" when any).
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/tap.sh

CHECK=build/check
export RESULTS_DIR=$CHECK/results
LOGS=$CHECK/logs
rm -rf "$CHECK"
mkdir -p "$RESULTS_DIR" "$LOGS"

START=$(date +%s)
# Both cores for the builds; the Makefiles are parallel-safe.
export MAKEFLAGS=${MAKEFLAGS:--j$(nproc)}
TIMES=()

banner() { printf '\n==== %s ====\n' "$*"; }

# How many failures the results hold so far.
failures() { cat "$RESULTS_DIR"/*.tap 2>/dev/null | grep -c '^not ok' || true; }

# step NAME CMD...: run CMD with its output on the terminal and in
# logs/NAME.log. A failing CMD that recorded no failure of its own gets one
# in results/NAME.tap, so a step that could not run is never "zero tests".
step() {
	local name=$1 rc=0 t0 before
	shift
	banner "$name: $*"
	t0=$(date +%s)
	before=$(failures)
	"$@" 2>&1 | tee "$LOGS/$name.log" || rc=$?
	TIMES+=("$name $(($(date +%s) - t0))s")
	if [ "$rc" -ne 0 ]; then
		echo "!!!! $name FAILED (exit $rc), log: $LOGS/$name.log" >&2
		if [ "$(failures)" -eq "$before" ]; then
			result "$name" not-ok "$name: step failed (exit $rc), see $LOGS/$name.log"
		fi
	fi
	return "$rc"
}

# result SUITE ok|not-ok|skip TEXT: one TAP line into results/SUITE.tap.
result() {
	local f=$RESULTS_DIR/$1.tap n
	n=$(($(grep -cE '^(not )?ok( |$)' "$f" 2>/dev/null || true) + 1))
	case "$2" in
	ok) echo "ok $n $3" >>"$f" ;;
	skip) echo "ok $n $3 # SKIP ${4:-}" >>"$f" ;;
	*) echo "not ok $n $3" >>"$f" ;;
	esac
}

step_deps() {
	if scripts/deps.sh; then
		result deps ok "dependencies installed"
	else
		result deps not-ok "scripts/deps.sh failed"
		return 1
	fi
}

step_module() {
	local log=$LOGS/module-build.log rc=0
	if make module 2>&1 | tee "$log"; then
		result build ok "module builds (W=1)"
	else
		result build not-ok "module build failed (see $log)"
		rc=1
	fi
	# Kbuild has -Werror for the compiler; this also catches modpost, BTF
	# and linker warnings.
	local warns
	warns=$(grep -i 'warning:' "$log" || true)
	if [ -z "$warns" ]; then
		result build ok "module build has no warnings"
	else
		result build not-ok "module build printed $(wc -l <<<"$warns") warning(s)"
		sed 's/^/#   /' <<<"$warns" | tee -a "$RESULTS_DIR/build.tap"
		rc=1
	fi
	return "$rc"
}

make_target() { # make_target SUITE TARGET: a build step as one TAP result
	if make "$2"; then
		result "$1" ok "make $2"
	else
		result "$1" not-ok "make $2 failed"
		return 1
	fi
}

# Unit tests: `make unit` runs scripts/run-unit.sh, which writes
# results/unit-*.tap itself; a build failure leaves none.
step_unit() {
	local rc=0
	make unit || rc=$?
	if ! ls "$RESULTS_DIR"/unit-*.tap >/dev/null 2>&1; then
		result unit not-ok "unit tests did not run (make unit exit $rc)"
	fi
	return "$rc"
}

CONFORMANCE_DATA=../shared/bpf_conformance

# The conformance suite on the host, through the userspace build of the
# core (--offline); the VM runs it again against the module.
CONFORMANCE_RUNNER=tools/loader/conformance-run.sh

step_conformance() {
	local f=$RESULTS_DIR/conformance-offline.tap rc=0
	if [ ! -x build/xbpf-conformance ]; then
		result conformance-offline not-ok "conformance: build/xbpf-conformance not built"
		return 1
	fi
	if [ ! -f "$CONFORMANCE_RUNNER" ]; then
		result conformance-offline not-ok "conformance: $CONFORMANCE_RUNNER missing"
		return 1
	fi
	sh "$CONFORMANCE_RUNNER" --offline --plugin build/xbpf-conformance \
		"$CONFORMANCE_DATA" >"$f" 2>&1 || rc=$?
	tap_close conformance-offline "$f" "$rc"
	grep -E '^not ok|^# ' "$f" || true
	return "$rc"
}

# The verifier case table on the host, through the core in-process
# (--offline); the VM runs the same table against the module.
step_verifier() {
	local f=$RESULTS_DIR/verifier-offline.tap rc=0
	if ! make verifier-tests; then
		result verifier-offline not-ok "make verifier-tests failed"
		return 1
	fi
	build/verifier/test_verifier --offline >"$f" 2>&1 || rc=$?
	tap_close verifier-offline "$f" "$rc"
	grep -E '^not ok|^# walk:|^# [0-9]+ passed' "$f" || true
	return "$rc"
}

# A short run of the verifier fuzzer (docs/fuzzing.md): one TAP line, the
# number of inputs tried or the reproducer a crash left under build/fuzz/.
step_fuzz() {
	local f=$RESULTS_DIR/fuzz.tap
	if ! make fuzz-build; then
		result fuzz not-ok "fuzz_verify: make fuzz-build failed"
		return 1
	fi
	FUZZ_SECONDS=${CHECK_FUZZ_SECONDS:-20} FUZZ_JOBS=1 FUZZ_TAP=$f scripts/fuzz.sh
}

# The CLI and plugin, offline, on the host.
step_tools_cli() {
	local f=$RESULTS_DIR/tools-cli.tap rc=0
	sh selftests/tools/test_cli.sh build >"$f" 2>&1 || rc=$?
	tap_close tools-cli "$f" "$rc"
	grep -E '^not ok' "$f" || true
	return "$rc"
}

step_vmtest() {
	local rc=0
	# Four vCPUs: the ring buffer's multi-producer stress and the map
	# stress want more CPUs than the host's two (TCG runs them anyway).
	SMP=${SMP:-4} scripts/vm-test.sh || rc=$?
	if ! ls "$RESULTS_DIR"/vm-*.tap >/dev/null 2>&1; then
		result vm not-ok "vm-test wrote no results (exit $rc)"
	fi
	return "$rc"
}

summary() {
	local f p fl s tp=0 tf=0 ts=0 line
	banner "summary"
	printf '%-34s %7s %7s %7s\n' suite passed failed skipped
	for f in "$RESULTS_DIR"/*.tap; do
		read -r p fl s < <(tap_count "$f")
		tp=$((tp + p)) tf=$((tf + fl)) ts=$((ts + s))
		printf '%-34s %7d %7d %7d%s\n' "$(basename "$f" .tap)" "$p" "$fl" "$s" \
			"$([ "$fl" -gt 0 ] && echo '   <-- FAILED')"
	done
	if [ "$tf" -gt 0 ]; then
		echo
		echo "failures:"
		grep -H '^not ok' "$RESULTS_DIR"/*.tap | sed "s|^$RESULTS_DIR/||; s|\.tap:| |; s/^/  /"
	fi
	echo
	echo "times: ${TIMES[*]}; total $(($(date +%s) - START))s"
	echo "results: $RESULTS_DIR/, logs: $LOGS/, VM logs: build/vm/"
	line="$tp passed, $tf failed"
	[ "$ts" -gt 0 ] && line="$line, $ts skipped"
	echo "$line"
	[ "$tf" -eq 0 ]
}

# Each step runs whatever happened before it, so one broken part does not
# hide the state of the others; later steps that need its output fail loudly.
step deps step_deps || true
step module step_module || true
step lib make_target build lib || true
step tools make_target build tools || true
step unit step_unit || true
step fuzz step_fuzz || true
step conformance step_conformance || true
step verifier step_verifier || true
step tools-cli step_tools_cli || true
step selftests make_target build selftests || true
step vm step_vmtest || true
step dkms scripts/dkms-check.sh || true
summary

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Scan a guest kernel log for signs of a kernel bug and check the taint
# value. Prints TAP: one "not ok" per kind of problem found, named after it,
# with the offending lines as diagnostics; a single "ok" when clean.
#
#   klog-check.sh CONSOLE_LOG [TAINT]
#
# TAINT is /proc/sys/kernel/tainted read in the guest; only O (4096, an
# out-of-tree module) and E (8192, an unsigned module) are expected. An
# empty TAINT means the guest never reported it, which is a failure too.
set -euo pipefail

LOG=${1:?usage: klog-check.sh CONSOLE_LOG [TAINT]}
TAINT=${2-unset}
ALLOWED_TAINT=$((4096 | 8192))

# name|extended regex. Anchored on the kernel's own wording, so that benign
# boot lines ("mtrr: your CPUs had inconsistent ... MTRR settings",
# "Command line: ... panic=-1") do not match.
PATTERNS=(
	'BUG|BUG:|kernel BUG at'
	'WARNING|WARNING:'
	'Oops|Oops'
	'Call Trace|Call Trace'
	'general protection fault|general protection'
	'kernel panic|Kernel panic'
	'lockdep circular locking|possible circular locking'
	'lockdep recursive locking|possible recursive locking'
	'lockdep inconsistent lock state|inconsistent lock state'
	'INFO: (lockdep, RCU stall, hung task)|INFO: '
	'UBSAN|UBSAN:'
	'KASAN|KASAN:'
	'refcount_t error|refcount_t: '
	'list corruption|list_(add|del) corruption'
)

N=0
FAILED=0

fail() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N $1"
}

if [ ! -s "$LOG" ]; then
	fail "kernel log: empty or missing ($LOG)"
else
	# The guest's own progress lines (xbpf-init: ...) share the console;
	# they are ours, not the kernel's.
	KLOG=$(grep -v '^xbpf-init: ' "$LOG" | tr -d '\r' || true)
	for p in "${PATTERNS[@]}"; do
		name=${p%%|*}
		re=${p#*|}
		hits=$(grep -E -- "$re" <<<"$KLOG" || true)
		[ -n "$hits" ] || continue
		count=$(wc -l <<<"$hits")
		fail "kernel log: $name ($count line(s))"
		sed 's/^/#   /' <<<"$(head -n 20 <<<"$hits")"
		# Offending lines also on stderr, so they show in a terminal that
		# only watches errors.
		sed "s/^/klog-check: $name: /" <<<"$(head -n 20 <<<"$hits")" >&2
	done
fi

case "$TAINT" in
unset) ;;
'') fail "kernel taint: not reported by the guest" ;;
*[!0-9]*) fail "kernel taint: unreadable value '$TAINT'" ;;
*)
	if [ $((TAINT & ~ALLOWED_TAINT)) -ne 0 ]; then
		fail "kernel taint: $TAINT has bits beyond O|E (unexpected $((TAINT & ~ALLOWED_TAINT)))"
	else
		N=$((N + 1))
		echo "ok $N kernel taint $TAINT (O/E only)"
	fi
	;;
esac

if [ "$FAILED" -eq 0 ]; then
	N=$((N + 1))
	echo "ok $N kernel log clean"
fi
echo "1..$N"
[ "$FAILED" -eq 0 ]

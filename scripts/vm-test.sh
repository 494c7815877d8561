#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the stock Debian kernel in qemu with xbpf.ko and the selftests in an
# initramfs, run every suite inside, and read the results back:
#   - each suite's TAP            -> $RESULTS_DIR/vm-<suite>.tap
#   - the VM itself (boot, finish) -> $RESULTS_DIR/vm-rig.tap
#   - kernel log scan and taint   -> $RESULTS_DIR/vm-kernel-log.tap
# Logs stay in $VM_OUT (build/vm/: console.log, serial1.log, dmesg.txt, qemu.log).
# Exits non-zero when anything failed; a guest that does not boot, hangs or
# returns no TAP is a failure, never a silent pass.
#
# Inputs (make vmtest builds them): ./xbpf.ko, build/selftests/*, and
# build/xbpf, build/xbpf-conformance when present.
# Knobs: SMP (2), VM_MEM (1G), VM_TIMEOUT (480 s), SUITE_TIMEOUT (300 s,
# per suite inside the guest), ACCEL (kvm|tcg, default: probe), KO,
# SELFTESTS, KVER, VMLINUZ.
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/vm/lib.sh

OUT=${VM_OUT:-build/vm}
RESULTS_DIR=${RESULTS_DIR:-$OUT/results}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-300}
export KO=${KO:-xbpf.ko}
export SELFTESTS=${SELFTESTS:-build/selftests}

mkdir -p "$OUT" "$RESULTS_DIR"
rm -f "$RESULTS_DIR"/vm-*.tap
RIG=$RESULTS_DIR/vm-rig.tap
RIG_N=0

rig() { # rig ok|not-ok description
	RIG_N=$((RIG_N + 1))
	if [ "$1" = ok ]; then
		echo "ok $RIG_N $2" >>"$RIG"
	else
		echo "not ok $RIG_N $2" >>"$RIG"
	fi
}

print_results() {
	local f
	for f in "$RESULTS_DIR"/vm-*.tap; do
		echo "=== ${f##*/}"
		cat "$f"
	done
}

finish() {
	echo "1..$RIG_N" >>"$RIG"
	print_results
	if grep -q '^not ok' "$RESULTS_DIR"/vm-*.tap; then
		echo "vm-test: FAILED (logs in $OUT/)" >&2
		exit 1
	fi
	echo "vm-test: passed" >&2
}

echo "TAP version 13" >"$RIG"

# Inputs. A missing module or kernel stops here, loudly.
if [ ! -f "$KO" ]; then
	rig not-ok "vm: $KO not built (make module)"
	finish
fi
if [ ! -s "$VMLINUZ" ]; then
	rig not-ok "vm: kernel image $VMLINUZ missing (scripts/deps.sh)"
	finish
fi
nsel=$(find "$SELFTESTS" -maxdepth 1 -type f -perm -u+x 2>/dev/null | wc -l)
if [ "$nsel" -gt 0 ]; then
	rig ok "vm: $nsel selftest executable(s) in $SELFTESTS"
else
	rig not-ok "vm: no selftest executables in $SELFTESTS (make selftests)"
fi

if ! scripts/vm/mkinitramfs.sh "$OUT/initramfs.cpio.gz"; then
	rig not-ok "vm: initramfs build failed"
	finish
fi

vm_boot "$OUT/initramfs.cpio.gz" "$OUT" "xbpf_mode=test xbpf_timeout=$SUITE_TIMEOUT"

if [ -n "$VM_BOOT_SECS" ]; then
	rig ok "vm: guest reached /init in ${VM_BOOT_SECS}s ($VM_ACCEL)"
else
	rig not-ok "vm: guest never reached /init (boot failure; see $OUT/console.log)"
	tail -n 30 "$OUT/console.log" | sed 's/^/# console: /' >>"$RIG"
fi
case "$VM_RESULT" in
ok) rig ok "vm: qemu exited cleanly after ${VM_SECS}s" ;;
timeout) rig not-ok "vm: timed out after ${VM_TIMEOUT}s (guest hung; see $OUT/console.log)" ;;
*)
	rig not-ok "vm: qemu failed (exit $VM_RC)"
	sed 's/^/# qemu: /' "$OUT/qemu.log" >>"$RIG"
	;;
esac

status=$(scripts/vm/split-results.sh "$OUT/serial1.log" "$RESULTS_DIR" "$OUT")
tainted=$(sed -n 's/^tainted=//p' <<<"$status")
done_flag=$(sed -n 's/^done=//p' <<<"$status")
if [ "$done_flag" = 1 ]; then
	rig ok "vm: guest ran every suite and reported back"
else
	rig not-ok "vm: guest did not report completion (no '# xbpf-done' on ttyS1)"
fi
suites=("$RESULTS_DIR"/vm-*.tap)
if [ "${#suites[@]}" -le 1 ]; then # only vm-rig.tap
	rig not-ok "vm: no TAP came back from the guest"
fi

# Taint from the results channel, or from the console when the channel
# was cut short.
[ -n "$tainted" ] || tainted=$(sed -n 's/^xbpf-init: tainted=\([0-9]*\).*/\1/p' "$OUT/console.log" | tail -n 1)
scripts/klog-check.sh "$OUT/console.log" "$tainted" >"$RESULTS_DIR/vm-kernel-log.tap" || true

echo "vm-test: boot to /init ${VM_BOOT_SECS:-n/a}s, whole VM run ${VM_SECS}s ($VM_ACCEL, -smp $SMP)" >&2
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: from a fresh Debian 12 machine, install what is needed, build
# xbpf, boot the stock Debian kernel in qemu, load xbpf.ko and run
# examples/hello.xbpf through /dev/xbpf with the xbpf CLI.
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/vm/lib.sh

OUT=build/demo
say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

say "installing dependencies (only what is missing)"
scripts/deps.sh

say "building xbpf.ko and the tools"
make -j"$(nproc)" module
if ! make -j"$(nproc)" tools; then
	echo "demo: the tools did not build; the demo will only load the module" >&2
fi

say "building the initramfs"
rm -rf "$OUT"
mkdir -p "$OUT/demo"
cp scripts/vm/demo-guest.sh "$OUT/demo/run.sh"
cp examples/hello.xbpf "$OUT/demo/"
DEMO_DIR=$OUT/demo SELFTESTS=/nonexistent scripts/vm/mkinitramfs.sh "$OUT/initramfs.cpio.gz"

# Show the guest from its /init on: the module's kernel messages and the
# demo's output (the kernel's own boot messages stay in console.log).
SHOWING=0
vm_on_line() {
	case "$1" in
	"xbpf-init: start"*) SHOWING=1 ;;
	"xbpf-init: "*) return ;;
	esac
	[ "$SHOWING" = 1 ] && printf '%s\n' "$1"
	return 0
}

say "booting Linux $KVER in qemu (the log goes to $OUT/console.log)"
vm_boot "$OUT/initramfs.cpio.gz" "$OUT" "xbpf_mode=demo"

rc=$(sed -n 's/^xbpf-init: demo rc=\([0-9]*\).*/\1/p' "$OUT/console.log" | tail -n 1)
echo
say "kernel log check"
klog_rc=0
tainted=$(sed -n 's/^xbpf-init: tainted=\([0-9]*\).*/\1/p' "$OUT/console.log" | tail -n 1)
scripts/klog-check.sh "$OUT/console.log" "$tainted" || klog_rc=$?
echo
echo "boot to /init: ${VM_BOOT_SECS:-never}s; whole run: ${VM_SECS}s ($VM_ACCEL)"
if [ "$VM_RESULT" != ok ] || [ "${rc:-1}" != 0 ] || [ "$klog_rc" != 0 ]; then
	echo "demo: FAILED (vm $VM_RESULT, demo exit ${rc:-none}; logs in $OUT/)" >&2
	exit 1
fi
say "demo done"

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Booting the test VM, shared by scripts/vm-test.sh and scripts/demo.sh.
# Source it from the repository root.
#
#   vm_boot INITRD OUTDIR [EXTRA_APPEND]
#
# boots the stock kernel with INITRD under qemu-system-x86_64, the console
# (ttyS0) into OUTDIR/console.log and the second serial port (ttyS1, the
# results channel) into OUTDIR/serial1.log, and waits at most VM_TIMEOUT
# seconds. It sets:
#   VM_RESULT    ok | timeout | qemu-failed (qemu exited non-zero)
#   VM_RC        qemu's exit status
#   VM_SECS      wall-clock seconds of the whole run
#   VM_BOOT_SECS wall-clock seconds from qemu start to the guest's /init
#                (empty when /init never started)
#   VM_ACCEL     kvm | tcg
# While waiting it calls vm_on_line (when defined) with each new console line,
# so the demo can show progress live.

KVER=${KVER:-$(scripts/kver.sh)}
VMLINUZ=${VMLINUZ:-.cache/kernel/$KVER/boot/vmlinuz-$KVER}
VM_TIMEOUT=${VM_TIMEOUT:-480}
SMP=${SMP:-2}
VM_MEM=${VM_MEM:-1G}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_CPU=${QEMU_CPU:-max}

# KVM only when it really runs a guest: /dev/kvm can open and still fail at
# the first vCPU setup (nested or restricted hosts). A guest that keeps
# running for two seconds passed that point; a broken one aborts at once.
vm_pick_accel() {
	if [ -n "${ACCEL:-}" ]; then
		VM_ACCEL=$ACCEL
		return
	fi
	VM_ACCEL=tcg
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 0
	local rc
	# In a subshell with stderr discarded: a qemu that aborts makes the
	# shell print "Aborted", which is expected here and not worth showing.
	rc=$( (timeout 2 "$QEMU" -machine q35,accel=kvm -cpu "$QEMU_CPU" -m 64M \
		-nodefaults -display none -no-reboot >/dev/null 2>&1; echo $?) 2>/dev/null)
	[ "$rc" = 124 ] && VM_ACCEL=kvm
	return 0
}

vm_now() { date +%s.%N; }
vm_elapsed() { awk -v a="$1" -v b="$(vm_now)" 'BEGIN { printf "%.1f", b - a }'; }

vm_boot() {
	local initrd=$1 outdir=$2 extra=${3:-}
	local console=$outdir/console.log serial1=$outdir/serial1.log
	local start pid deadline

	[ -s "$VMLINUZ" ] || { echo "vm: kernel $VMLINUZ missing (scripts/deps.sh)" >&2; return 1; }
	vm_pick_accel
	rm -f "$console" "$serial1"
	: >"$console"
	: >"$serial1"

	echo "vm: booting $VMLINUZ ($VM_ACCEL, -smp $SMP, -m $VM_MEM, timeout ${VM_TIMEOUT}s)" >&2
	start=$(vm_now)
	# panic=-1 reboots at once on a panic and -no-reboot turns that into
	# an exit, so a crashed guest ends the run instead of hanging it.
	"$QEMU" -machine "q35,accel=$VM_ACCEL" -cpu "$QEMU_CPU" -m "$VM_MEM" -smp "$SMP" \
		-kernel "$VMLINUZ" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $extra" \
		-nographic -nodefaults -monitor none -no-reboot \
		-serial "file:$console" -serial "file:$serial1" \
		</dev/null >"$outdir/qemu.log" 2>&1 &
	pid=$!
	deadline=$(($(date +%s) + VM_TIMEOUT))

	VM_RESULT=ok
	VM_BOOT_SECS=
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			VM_RESULT=timeout
			kill "$pid" 2>/dev/null || true
			sleep 1
			kill -9 "$pid" 2>/dev/null || true
			break
		fi
		if [ -z "$VM_BOOT_SECS" ] && grep -q '^xbpf-init: start' "$console"; then
			VM_BOOT_SECS=$(vm_elapsed "$start")
		fi
		if declare -F vm_on_line >/dev/null; then
			vm_follow "$console"
		fi
		sleep 0.2
	done
	VM_RC=0
	wait "$pid" || VM_RC=$?
	if [ -z "$VM_BOOT_SECS" ] && grep -q '^xbpf-init: start' "$console"; then
		VM_BOOT_SECS=$(vm_elapsed "$start")
	fi
	declare -F vm_on_line >/dev/null && vm_follow "$console"
	VM_SECS=$(vm_elapsed "$start")
	[ "$VM_RESULT" = ok ] && [ "$VM_RC" -ne 0 ] && VM_RESULT=qemu-failed
	echo "vm: $VM_RESULT after ${VM_SECS}s (qemu exit $VM_RC; /init reached after ${VM_BOOT_SECS:-never}s)" >&2
	return 0
}

# Hand each console line not yet seen to vm_on_line.
VM_FOLLOWED=0
vm_follow() {
	local n line
	n=$(wc -l <"$1")
	[ "$n" -gt "$VM_FOLLOWED" ] || return 0
	while IFS= read -r line; do
		vm_on_line "${line%$'\r'}"
	done < <(sed -n "$((VM_FOLLOWED + 1)),${n}p" "$1")
	VM_FOLLOWED=$n
}

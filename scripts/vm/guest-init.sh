#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM (busybox sh). The console (ttyS0) carries the kernel
# log and this script's progress; everything the host must parse (TAP of each
# suite, taint, dmesg) goes to the second serial port, ttyS1, between
# "# xbpf-..." markers that scripts/vm/parse-results.sh understands.
#
# Modes, from the kernel command line (xbpf_mode=...):
#   test  run every suite, then the module unload/reload checks, with the
#         test_group suite under a reload with group=4242 (default)
#   demo  load xbpf and run the demo script /demo/run.sh

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp
# Without /dev/console in the archive the kernel starts us with no stdio.
exec </dev/console >/dev/console 2>&1

# The host waits for this line to measure boot-to-shell time.
echo "xbpf-init: start uptime=$(cut -d' ' -f1 /proc/uptime)"

MODE="test"
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	xbpf_mode=*) MODE=${arg#xbpf_mode=} ;;
	xbpf_timeout=*) SUITE_TIMEOUT=${arg#xbpf_timeout=} ;;
	esac
done
SUITE_TIMEOUT=${SUITE_TIMEOUT:-300}

# Raw mode: no CR insertion, no echo, so the host reads back exactly what we
# wrote. One descriptor for the whole run; closing it at the end waits for
# the UART to drain before we power off.
stty -F /dev/ttyS1 raw -echo 115200 2>/dev/null
exec 3>/dev/ttyS1

out() { echo "$*" >&3; }

finish() {
	out "# xbpf-tainted $(cat /proc/sys/kernel/tainted)"
	echo "xbpf-init: tainted=$(cat /proc/sys/kernel/tainted)"
	out "# xbpf-dmesg-begin"
	dmesg >&3
	out "# xbpf-dmesg-end"
	out "# xbpf-done"
	exec 3>&-
	echo "xbpf-init: done, powering off"
	sync
	poweroff -f
}

# A suite of our own, for the module's life cycle: load before the tests,
# unload once every object is gone, load and unload again.
LC_N=0
LC_OUT=""
lc() {
	LC_N=$((LC_N + 1))
	if [ "$1" = 0 ]; then
		LC_OUT="$LC_OUT
ok $LC_N $2"
	else
		LC_OUT="$LC_OUT
not ok $LC_N $2"
	fi
}
lc_flush() {
	out "# xbpf-suite-begin module-lifecycle"
	out "TAP version 13"
	out "1..$LC_N"
	out "${LC_OUT#?}"
	out "# xbpf-suite-end module-lifecycle rc=0"
}

# load_module DESCRIPTION [PARAM=VALUE...]
load_module() {
	desc=$1
	shift
	insmod /xbpf.ko "$@"
	rc=$?
	lc $rc "$desc"
	# The device node appears asynchronously through devtmpfs.
	i=0
	while [ $rc = 0 ] && [ ! -e /dev/xbpf ] && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	return $rc
}

# The last object's module pin drops in an RCU callback that can still be
# pending once its process has exited, so rmmod may briefly see the module
# busy; retry for up to 5 s.  A reference really leaked outlasts that.
unload_module() {
	i=0
	while ! rmmod xbpf 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			rmmod xbpf
			return
		fi
		sleep 0.1
	done
}

run_suite() {
	name=$1
	shift
	echo "xbpf-init: suite $name"
	out "# xbpf-suite-begin $name"
	(cd /tmp && timeout "$SUITE_TIMEOUT" "$@") >&3 2>&3 </dev/null
	rc=$?
	out "# xbpf-suite-end $name rc=$rc"
	echo "xbpf-init: suite $name rc=$rc"
}

case "$MODE" in
demo)
	load_module "insmod xbpf.ko"
	echo "xbpf-init: demo"
	out "# xbpf-suite-begin demo"
	sh /demo/run.sh >/tmp/demo.out 2>&1
	rc=$?
	cat /tmp/demo.out
	cat /tmp/demo.out >&3
	out "# xbpf-suite-end demo rc=$rc"
	echo "xbpf-init: demo rc=$rc"
	finish
	;;
esac

if ! load_module "insmod xbpf.ko"; then
	lc_flush
	finish
fi

# Every executable the selftests build produced (binaries and scripts).
for t in /selftests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	# needs the module loaded with group=, runs after the reload below
	[ "$(basename "$t")" = test_group ] && continue
	run_suite "$(basename "$t")" "$t"
done

# The conformance suite against the module (xbpf-conformance without
# --offline talks to /dev/xbpf), each case under both engines (--both:
# the JIT's r0 must equal the interpreter's, and the expected result).
if [ -x /tools/xbpf-conformance ] && [ -f /scripts/conformance-run.sh ]; then
	run_suite conformance-vm sh /scripts/conformance-run.sh \
		--plugin /tools/xbpf-conformance --plugin-opt --both /conformance
fi

# Every object is gone once the suites have exited: unloading must succeed.
unload_module
lc $? "rmmod after the suites (no object left)"
[ -e /dev/xbpf ]
lc $((! $?)) "/dev/xbpf removed on unload"

# The group= parameter: node 0666, open() limited to members of gid 4242.
# A missing test_group binary fails its suite (no TAP) rather than vanish.
if load_module "insmod xbpf.ko group=4242" group=4242; then
	run_suite test_group /selftests/test_group
	unload_module
	lc $? "rmmod after test_group"
fi

insmod /xbpf.ko
lc $? "re-insmod xbpf.ko"
unload_module
lc $? "rmmod again"

# jit=: 0 keeps every program in the interpreter, 1 requires the JIT (this
# kernel has what it needs), anything else refuses the load.
if load_module "insmod xbpf.ko jit=0" jit=0; then
	dmesg | grep -q "xbpf: JIT off (jit=0)"
	lc $? "jit=0: the JIT stays off"
	unload_module
	lc $? "rmmod after jit=0"
fi
# The hook programs again in the interpreter (per-CPU stacks, trace_run.c).
if [ -x /selftests/test_kprobe ] && load_module "insmod xbpf.ko jit=0" jit=0; then
	run_suite test_kprobe_interp /selftests/test_kprobe
	unload_module
	lc $? "rmmod after test_kprobe under jit=0"
fi
if [ -x /selftests/test_tp ] && load_module "insmod xbpf.ko jit=0" jit=0; then
	run_suite test_tp_interp /selftests/test_tp
	unload_module
	lc $? "rmmod after test_tp under jit=0"
fi
if load_module "insmod xbpf.ko jit=1" jit=1; then
	unload_module
	lc $? "rmmod after jit=1"
fi
insmod /xbpf.ko jit=bogus 2>/dev/null
lc $((! $?)) "insmod xbpf.ko jit=bogus refused"
# jit_harden=2 blinds every program: the JIT suite again, root's loads too.
if [ -x /selftests/test_jit ] &&
   load_module "insmod xbpf.ko jit_harden=2" jit_harden=2; then
	run_suite test_jit_harden2 /selftests/test_jit
	unload_module
	lc $? "rmmod after jit_harden=2"
fi
insmod /xbpf.ko jit_harden=3 2>/dev/null
lc $((! $?)) "insmod xbpf.ko jit_harden=3 refused"
lc_flush
finish

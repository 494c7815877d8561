#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM (busybox sh): xbpf.ko is loaded; show it and run
# examples/hello.xbpf through /dev/xbpf with the xbpf CLI.
cd /demo || exit 1

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say "lsmod | grep xbpf"
lsmod | grep xbpf
say "ls -l /dev/xbpf"
ls -l /dev/xbpf

if [ ! -x /tools/xbpf ]; then
	echo "(the xbpf CLI is not built yet: make tools)"
	exit 1
fi

# A UDP packet "hello, xbpf" in an Ethernet frame.
FRAME=ffffffffffff02000000000108004500002000000000401100000102030405060708003500350000000068656c6c6f2c20787062660a

say "xbpf feature"
xbpf feature
say "cat hello.xbpf"
grep -v '^#' hello.xbpf | grep .
say "xbpf prog run hello.xbpf --data <udp frame> --repeat 3 --dump-maps"
xbpf prog run hello.xbpf --data "$FRAME" --repeat 3 --dump-maps
rc=$?
say "xbpf prog run hello.xbpf --data <udp frame> --json"
xbpf prog run hello.xbpf --data "$FRAME" --json
echo
exit $rc

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs (gzip'd newc cpio):
#   /init                   scripts/vm/guest-init.sh
#   /bin/busybox + applets  busybox-static
#   /xbpf.ko                the module ($KO, default ./xbpf.ko)
#   /selftests/*            executables of $SELFTESTS (default build/selftests)
#   /tools/*                build/xbpf, build/xbpf-conformance when built
#   /usr/bin/objdump        the host's, with its libraries, when it has one
#   /usr/sbin/bpftool       Debian's (package bpftool), with its libraries,
#                           when installed; test_bpftool runs it through
#   /usr/lib/xbpf/libxbpf-preload.so  build/libxbpf-preload.so (make tools)
#   /conformance/           ../shared/bpf_conformance: conformance.flat, negative/
#   /scripts/conformance-run.sh  the conformance runner (tools/loader/)
#   /demo/                  $DEMO_DIR, when set (make demo)
# Dynamically linked executables get their libraries copied beside them, so
# a tool that is not static still runs.
#
# usage: scripts/vm/mkinitramfs.sh OUTPUT.cpio.gz
set -euo pipefail

cd "$(dirname "$0")/../.."

OUT=${1:?usage: mkinitramfs.sh OUTPUT.cpio.gz}
KO=${KO:-xbpf.ko}
SELFTESTS=${SELFTESTS:-build/selftests}
CONFORMANCE=${CONFORMANCE:-../shared/bpf_conformance}
DEMO_DIR=${DEMO_DIR:-}
BUSYBOX=${BUSYBOX:-/bin/busybox}

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[ -f "$KO" ] || die "module $KO not found (make module)"
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (apt-get install busybox-static)"
file_is_static() { ! ldd "$1" >/dev/null 2>&1; }
file_is_static "$BUSYBOX" || die "$BUSYBOX is not static (busybox-static needed)"

STAGE=$(dirname "$OUT")/initramfs.d
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,selftests,tools,scripts,conformance}

# Copy an executable; when dynamically linked, also the libraries and the
# loader that ldd names, at the same absolute paths inside the archive.
copy_exec() {
	local src=$1 dst=$2 lib
	install -m 0755 "$src" "$STAGE/$dst"
	file_is_static "$src" && return 0
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		[ -e "$STAGE$lib" ] && continue
		mkdir -p "$STAGE$(dirname "$lib")"
		cp -L "$lib" "$STAGE$lib"
	done
}

install_busybox() {
	local applet
	cp "$BUSYBOX" "$STAGE/bin/busybox"
	for applet in $("$BUSYBOX" --list-full); do
		[ -e "$STAGE/$applet" ] || ln -s /bin/busybox "$STAGE/$applet"
	done
}

install_busybox
install -m 0755 scripts/vm/guest-init.sh "$STAGE/init"
install -m 0644 "$KO" "$STAGE/xbpf.ko"
CONF_RUNNER=tools/loader/conformance-run.sh
[ -f "$CONF_RUNNER" ] && install -m 0755 "$CONF_RUNNER" "$STAGE/scripts/conformance-run.sh"

# The console must exist before devtmpfs is mounted (only root may mknod;
# guest-init.sh reopens it after mounting devtmpfs otherwise).
mknod -m 0600 "$STAGE/dev/console" c 5 1 2>/dev/null || true

n=0
if [ -d "$SELFTESTS" ]; then
	for t in "$SELFTESTS"/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		copy_exec "$t" "selftests/$(basename "$t")"
		n=$((n + 1))
	done
fi
echo "mkinitramfs: $n selftest executable(s) from $SELFTESTS" >&2
# BPF objects (clang-built ELF) that selftests load through libbpf.
if [ -d "$SELFTESTS/bpf" ]; then
	mkdir -p "$STAGE/selftests/bpf"
	cp "$SELFTESTS"/bpf/*.o "$STAGE/selftests/bpf/" 2>/dev/null || true
fi

for tool in build/xbpf build/xbpf-conformance; do
	[ -x "$tool" ] && copy_exec "$tool" "tools/$(basename "$tool")"
done
# The tools are also on PATH inside the guest.
ln -s /tools/xbpf "$STAGE/usr/bin/xbpf"
# objdump, when the host has one, for `xbpf prog dump jited` (test_dump
# runs it with and without objdump in PATH); its libraries come along.
OBJDUMP=$(command -v objdump 2>/dev/null || true)
[ -n "$OBJDUMP" ] && copy_exec "$OBJDUMP" usr/bin/objdump
# Debian's bpftool (dynamically linked: libelf, libz, libcap, libc come
# along) and the LD_PRELOAD library that points it at /dev/xbpf.
BPFTOOL=$(command -v bpftool 2>/dev/null || true)
[ -z "$BPFTOOL" ] && [ -x /usr/sbin/bpftool ] && BPFTOOL=/usr/sbin/bpftool
[ -n "$BPFTOOL" ] && copy_exec "$BPFTOOL" usr/sbin/bpftool
if [ -f build/libxbpf-preload.so ]; then
	mkdir -p "$STAGE/usr/lib/xbpf"
	copy_exec build/libxbpf-preload.so usr/lib/xbpf/libxbpf-preload.so
fi

if [ -f "$CONFORMANCE/conformance.flat" ]; then
	cp "$CONFORMANCE/conformance.flat" "$STAGE/conformance/"
	mkdir -p "$STAGE/conformance/negative"
	cp "$CONFORMANCE"/negative/*.data "$STAGE/conformance/negative/" 2>/dev/null || true
fi

if [ -n "$DEMO_DIR" ]; then
	cp -r "$DEMO_DIR" "$STAGE/demo"
fi

(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($(du -h "$OUT" | cut -f1))" >&2

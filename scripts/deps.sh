#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the build and the test rig need, and nothing more: every step
# checks first, so a second run on a ready machine does no work and needs no
# network.
#
#   1. Debian packages (apt-get, only the missing ones, one `apt-get update`);
#   2. the stock kernel image matching the headers, unpacked under .cache/
#      (never installed: its postinst would run initramfs and bootloader hooks
#      on the build machine);
#   3. the kselftest harness headers, extracted from linux-source-6.1 into
#      build/ksft/ (they are GPL kernel files we do not vendor).
set -euo pipefail

cd "$(dirname "$0")/.."

PACKAGES=(
	build-essential gcc make
	linux-headers-amd64
	qemu-system-x86 busybox-static
	linux-source-6.1
	clang llvm libbpf-dev libelf-dev zlib1g-dev
	# bpftool: gen skeleton for selftests/bpf/test_skel, and run in the VM
	# through libxbpf-preload.so (test_bpftool)
	bpftool
	# libFuzzer's runtime for make fuzz: only a Recommends of clang's
	# packages, which --no-install-recommends would skip.
	libclang-rt-14-dev
	dkms dwarves
	cpio kmod xz-utils
)

log() { printf 'deps: %s\n' "$*" >&2; }

# Run as root, or through sudo when we are not (a developer's machine).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

is_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

APT_UPDATED=
apt_update_once() {
	[ -n "$APT_UPDATED" ] && return 0
	log "apt-get update"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	APT_UPDATED=1
}

install_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		is_installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		log "packages: all present"
		return 0
	fi
	log "installing: ${missing[*]}"
	apt_update_once
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
}

# The guest kernel: same version as the headers, so the module's vermagic
# matches. Downloaded as a .deb and unpacked into .cache/kernel/<kver>/.
fetch_kernel_image() {
	local kver dir deb
	kver=$(scripts/kver.sh)
	if [ -z "$kver" ]; then
		log "no linux-headers-6.1.*-amd64 installed after package step" && return 1
	fi
	dir=.cache/kernel/$kver
	if [ -s "$dir/boot/vmlinuz-$kver" ]; then
		log "kernel image: $dir/boot/vmlinuz-$kver present"
		return 0
	fi
	mkdir -p .cache/kernel
	deb=$(ls .cache/kernel/linux-image-"$kver"_*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		log "downloading linux-image-$kver"
		# apt-get download writes into the current directory; as root it warns
		# that the _apt user cannot write there, which is harmless.
		if ! (cd .cache/kernel && apt-get download -q "linux-image-$kver" 2>&1); then
			apt_update_once
			(cd .cache/kernel && apt-get download -q "linux-image-$kver")
		fi
		deb=$(ls .cache/kernel/linux-image-"$kver"_*.deb | head -n 1)
	fi
	# Only boot/ is needed: the guest loads no module but xbpf.ko.
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir.tmp" ./boot
	mv -T "$dir.tmp" "$dir"
	log "kernel image: $dir/boot/vmlinuz-$kver"
}

# kselftest_harness.h and kselftest.h for the in-VM selftests.
extract_ksft_headers() {
	local src=/usr/src/linux-source-6.1.tar.xz
	local top=linux-source-6.1/tools/testing/selftests
	if [ -s build/ksft/kselftest_harness.h ] && [ -s build/ksft/kselftest.h ]; then
		log "kselftest headers: present"
		return 0
	fi
	mkdir -p build/ksft
	log "extracting kselftest headers from $src"
	tar -xJf "$src" -C build/ksft --strip-components=4 \
		"$top/kselftest_harness.h" "$top/kselftest.h"
}

install_packages
fetch_kernel_image
extract_ksft_headers

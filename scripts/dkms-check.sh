#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the dkms packaging works: copy the module sources to
# /usr/src/xbpf-<ver>, `dkms add`, `dkms build` against the Debian headers,
# check the built module's vermagic, then remove everything again. Prints
# TAP (RESULTS_DIR/dkms.tap too when RESULTS_DIR is set). Needs root; safe
# to rerun after an interrupted run (leftovers are removed first).
set -euo pipefail

cd "$(dirname "$0")/.."

KVER=${KVER:-$(scripts/kver.sh)}
NAME=xbpf
# What the module build needs; directories that do not exist yet (later
# issues add jit/, ringbuf/) are skipped.
SOURCES=(Kbuild Makefile dkms.conf uapi core interp verifier maps btf module jit ringbuf)

N=0
FAILED=0
TAP=$(mktemp)
trap 'rm -f "$TAP"' EXIT
ok() { N=$((N + 1)); echo "ok $N $*" | tee -a "$TAP"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N $*" | tee -a "$TAP"; }

finish() {
	echo "1..$N" | tee -a "$TAP"
	if [ -n "${RESULTS_DIR:-}" ]; then
		mkdir -p "$RESULTS_DIR"
		cp "$TAP" "$RESULTS_DIR/dkms.tap"
	fi
	[ "$FAILED" -eq 0 ]
	exit
}

# One source of truth: core/xbpf_core.h. dkms.conf must say the same.
VER=$(sed -n 's/^#define[[:space:]]\+XBPF_VERSION_STRING[[:space:]]\+"\(.*\)".*/\1/p' core/xbpf_core.h)
CONF_VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
if [ -n "$VER" ] && [ "$VER" = "$CONF_VER" ]; then
	ok "dkms.conf PACKAGE_VERSION $CONF_VER matches XBPF_VERSION_STRING"
else
	not_ok "dkms.conf PACKAGE_VERSION '$CONF_VER' differs from XBPF_VERSION_STRING '$VER'"
	finish
fi

if [ "$(id -u)" -ne 0 ]; then
	not_ok "dkms check needs root"
	finish
fi
if ! command -v dkms >/dev/null; then
	not_ok "dkms not installed (scripts/deps.sh)"
	finish
fi

SRC=/usr/src/$NAME-$VER

cleanup() {
	if dkms status "$NAME/$VER" 2>/dev/null | grep -q .; then
		dkms remove "$NAME/$VER" --all >/dev/null 2>&1 || true
	fi
	rm -rf "$SRC" "/var/lib/dkms/$NAME/$VER"
	rmdir "/var/lib/dkms/$NAME" 2>/dev/null || true
}

# Leftovers of an interrupted run.
cleanup
trap 'cleanup; rm -f "$TAP"' EXIT

# A clean copy: sources only, no build products of the developer's tree.
mkdir -p "$SRC"
present=()
for s in "${SOURCES[@]}"; do
	[ -e "$s" ] && present+=("$s")
done
tar -c --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='*.order' --exclude='Module.symvers' \
	"${present[@]}" | tar -x -C "$SRC"

LOG=$(mktemp)
if dkms add "$NAME/$VER" >"$LOG" 2>&1; then
	ok "dkms add $NAME/$VER"
else
	not_ok "dkms add $NAME/$VER"
	sed 's/^/# /' "$LOG"
	finish
fi

if dkms build "$NAME/$VER" -k "$KVER" >"$LOG" 2>&1; then
	ok "dkms build $NAME/$VER -k $KVER"
else
	not_ok "dkms build $NAME/$VER -k $KVER"
	sed 's/^/# /' "$LOG"
	tail -n 40 "/var/lib/dkms/$NAME/$VER/build/make.log" 2>/dev/null | sed 's/^/# make.log: /'
	finish
fi
rm -f "$LOG"

KO=$(find "/var/lib/dkms/$NAME/$VER/$KVER" -name "$NAME.ko*" 2>/dev/null | head -n 1)
if [ -n "$KO" ]; then
	ok "built module ${KO#/var/lib/dkms/}"
	vermagic=$(modinfo -F vermagic "$KO" 2>/dev/null || true)
	if [ "${vermagic%% *}" = "$KVER" ]; then
		ok "vermagic '$vermagic'"
	else
		not_ok "vermagic '$vermagic' is not for $KVER"
	fi
else
	not_ok "no $NAME.ko under /var/lib/dkms/$NAME/$VER/$KVER"
fi

cleanup
if [ -e "$SRC" ] || dkms status "$NAME/$VER" 2>/dev/null | grep -q .; then
	not_ok "dkms remove $NAME/$VER --all left something behind"
else
	ok "dkms remove $NAME/$VER --all and $SRC cleaned"
fi
finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Writes the handcrafted seed inputs of the verifier fuzzer into
# selftests/fuzz/corpus/. Each seed is a few dozen bytes in the decoder's
# format (see fuzz_verify.c): header, maps, context, then instruction
# selectors. Run it again after changing the decoder, and commit the
# result; FUZZ_VERIFY_DEBUG=1 build/fuzz/fuzz_verify FILE shows what a
# seed decodes to.
set -eu

cd "$(dirname "$0")"
mkdir -p corpus

# seed NAME HEX...: the bytes, two hex digits each. POSIX printf has no
# \x escapes: each byte goes out as an octal one.
seed() {
	name=$1
	shift
	fmt=
	for h in "$@"; do
		fmt="$fmt\\$(printf '%03o' "0x$h")"
	done
	# shellcheck disable=SC2059 # the format is the data
	printf "$fmt" >"corpus/$name"
}

# SYSCALL, 8 context bytes: r0 = 42; r0 = *(u32 *)(r1 + 4); r0 += 1
seed syscall-ctx-load \
	01 00 01 00 08 01 02 03 04 05 06 07 08 \
	00 01 0b 00 02 2a  1f 02 04 04 01 00  00 01 00 00 02 01

# SOCKET_FILTER, Ethernet + IPv4 frame, log level 2:
# r0 = ldabs byte 9 (protocol); if r0 == 6 goto; r0 = 1; exit; r0 = 0
seed socket-ldabs \
	00 00 12 00 22 \
	00 00 00 00 00 00 00 00 00 00 00 00 08 00 \
	45 00 00 14 00 00 00 00 40 06 00 00 0a 00 00 01 0a 00 00 02 \
	00 00 \
	31 00 01 09 00  14 01 00 00 02 00 00 02 06  00 01 0b 00 02 01 \
	30  00 01 0b 00 02 00

# ARRAY of 4 x 16 bytes: lookup key 2, null check, r6 = value,
# r0 = *(u64 *)(r6 + 8), atomic add r0 to *(u64 *)(r6 + 0)
seed array-lookup \
	01 08 00 01 00 0f 03 11 22 33 44 00 \
	33 00 09 02 02 00  1f 03 06 00 08 00  29 03 06 00 00 00 00

# HASH (8-byte keys and values) with one element, log level 1:
# update key 7, lookup it, load through the value, delete it
seed hash-update-delete \
	01 1f 09 40 01 01 07 07 03 01 05 06 04 aa bb cc dd \
	37 00 02 07 00 01 00  33 00 09 02 07 00  1f 03 06 00 00 00 \
	38 00 02 07 00

# bpf_capable loop: r0 = 0; r1 = 10; do r0 += r1; r1 -= 1 while r1 != 0
seed bounded-loop \
	01 08 00 00 00 \
	00 01 0b 00 02 00  00 01 0b 01 02 0a  0c 01 00 00 02 00 01 \
	00 01 01 01 02 01  14 01 04 01 03 e0 00 02 00

# Two functions, log level 2 in a 64 KiB buffer:
# r1 = 5; call f; r0 += 1; exit; f: r0 = r1; r0 *= 3
seed subprog-call \
	01 18 1a 00 00 \
	00 01 0b 01 02 05  2f 00  00 01 00 00 02 01  3a \
	0c 01 0b 00 02 00 00 01  00 01 02 00 02 03

# Unprivileged, stats log (1 KiB): *(u64 *)(r10 - 8) = 5; r2 = 3;
# r2 = atomic_fetch_add(*(u64 *)(r10 - 8), r2); r0 = *(u64 *)(r10 - 8); r0 += r2
seed stack-atomic \
	01 00 14 00 00 \
	27 03 00 00 02 05  00 01 0b 02 02 03  29 03 00 00 04 02 \
	1f 03 00 00 00  0c 01 00 00 02 00 02

# Single-element ARRAY as global data: r1 = &value + 4; r0 = *(u32 *)(r1 + 0)
seed array-direct-value \
	01 08 00 01 02 1f 07 00 \
	2b 03 01 00 04  1f 02 07 01 00 00 01 00

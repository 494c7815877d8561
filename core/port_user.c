// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace half of xbpf_port.h: what the kernel provides as functions.
 * Kbuild leaves this file out of the module.
 */
#include <time.h>
#include "xbpf_port.h"

static u64 xbpf_clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

__thread u32 xbpf_user_cpu;

u64 xbpf_ktime_get_ns(void)
{
	return xbpf_clock_ns(CLOCK_MONOTONIC);
}

/* Like ktime_get_boot_ns: monotonic, including time spent suspended. */
u64 xbpf_ktime_get_boot_ns(void)
{
	return xbpf_clock_ns(CLOCK_BOOTTIME);
}

/*
 * Not cryptographic, like bpf_get_prandom_u32.  xorshift64* with a
 * thread-local state seeded from the clock and the state's address, so
 * concurrent threads neither share nor race on the state.
 */
u32 xbpf_prandom_u32(void)
{
	static __thread u64 state;
	u64 x = state;

	if (!x)
		x = xbpf_clock_ns(CLOCK_MONOTONIC) ^ (u64)(uintptr_t)&state ^
		    0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	state = x;
	return (x * 0x2545f4914f6cdd1dULL) >> 32;
}

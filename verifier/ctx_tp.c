// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint context rules.
 *
 * RAW_TRACEPOINT: the context is the tracepoint's arguments, each widened
 * to a u64, in an array.  The verifier does not know at load which
 * tracepoint the program will be attached to, so (as Linux 6.1) it allows
 * reads aligned to their size below 8 * 12 (the most arguments a BPF
 * function takes); the load records the furthest byte read
 * (max_ctx_offset) and attaching refuses a tracepoint with fewer than
 * max_ctx_offset / 8 arguments (module/attach_tp.c), so no run reads
 * past the array its probe builds.
 *
 * TRACEPOINT: the context is the event's perf record (the layout of
 * events/<category>/<event>/format).  Linux 6.1 allows reads aligned to
 * their size at 8 <= off < PERF_MAX_TRACE_SIZE (2048): the first 8 bytes
 * (the common fields) are hidden.  At run time the record sits at the
 * start of a per-CPU buffer of that size, so every accepted read stays
 * in memory even past the record's own end.
 *
 * Both are read only, and both run with the identity as conversion.
 */
#include "ctx.h"

static int xbpf_ctx_tp_common(u32 off, u32 size, bool write, u32 lo, u32 hi,
			      struct xbpf_ctx_access_info *info)
{
	/* off % size with off < hi (a multiple of 8) keeps off + size <= hi */
	if (write || !xbpf_ctx_size_ok(size) || off < lo || off >= hi || off % size)
		return -EACCES;
	memset(info, 0, sizeof(*info));
	info->val = XBPF_CTX_VAL_SCALAR;
	info->conv = XBPF_CTX_CONV_DIRECT;
	info->field_off = off & ~7U;
	info->field_size = 8;
	info->target_off = off;
	info->target_size = size;
	return 0;
}

int xbpf_ctx_raw_tp_access(u32 off, u32 size, bool write,
			   struct xbpf_ctx_access_info *info)
{
	BUILD_BUG_ON(XBPF_RAW_TP_CTX_SIZE % 8);
	return xbpf_ctx_tp_common(off, size, write, 0, XBPF_RAW_TP_CTX_SIZE, info);
}

int xbpf_ctx_tp_access(u32 off, u32 size, bool write,
		       struct xbpf_ctx_access_info *info)
{
	BUILD_BUG_ON(XBPF_TP_CTX_SIZE % 8);
	return xbpf_ctx_tp_common(off, size, write, XBPF_TP_CTX_HIDDEN, XBPF_TP_CTX_SIZE,
				  info);
}

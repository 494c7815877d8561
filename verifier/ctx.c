// SPDX-License-Identifier: GPL-2.0
/*
 * Context access rules: dispatch by program type, and the SYSCALL rule.
 * KPROBE's rule is ctx_kprobe.c's, SOCKET_FILTER's ctx_skb.c's,
 * RAW_TRACEPOINT's and TRACEPOINT's ctx_tp.c's.
 *
 * SYSCALL: the context is whatever buffer user space passed as ctx_in, so
 * the verifier cannot know its size.  As in Linux 6.1, any access aligned
 * to its size at an offset below U16_MAX is accepted, for reading and for
 * writing, and yields a scalar; the caller records the furthest byte
 * touched, and test-run refuses a ctx_size_in that does not cover it (see
 * ctx.h).  An access that would end past U16_MAX is still accepted, like
 * Linux does: no ctx_size_in can cover it, so such a program loads but
 * can never run.
 */
#include "ctx.h"

static int xbpf_ctx_syscall_access(u32 off, u32 size, bool write,
				   struct xbpf_ctx_access_info *info)
{
	if (!xbpf_ctx_size_ok(size) || off >= XBPF_CTX_SYSCALL_MAX_OFF ||
	    off % size)
		return -EACCES;
	memset(info, 0, sizeof(*info));
	info->val = XBPF_CTX_VAL_SCALAR;
	info->conv = XBPF_CTX_CONV_DIRECT;
	info->field_off = off;
	info->field_size = size;
	info->target_off = off;
	info->target_size = size;
	return 0;
}

int xbpf_ctx_access(u32 prog_type, u32 off, u32 size, bool write,
		    struct xbpf_ctx_access_info *info)
{
	switch (prog_type) {
	case XBPF_PROG_TYPE_SOCKET_FILTER:
		return xbpf_ctx_skb_access(off, size, write, info);
	case XBPF_PROG_TYPE_SYSCALL:
		return xbpf_ctx_syscall_access(off, size, write, info);
	case XBPF_PROG_TYPE_KPROBE:
		return xbpf_ctx_kprobe_access(off, size, write, info);
	case XBPF_PROG_TYPE_RAW_TRACEPOINT:
		return xbpf_ctx_raw_tp_access(off, size, write, info);
	case XBPF_PROG_TYPE_TRACEPOINT:
		return xbpf_ctx_tp_access(off, size, write, info);
	default:
		return -EACCES;
	}
}

const char *xbpf_ctx_field_name(u32 prog_type, u32 off)
{
	if (prog_type == XBPF_PROG_TYPE_SOCKET_FILTER)
		return xbpf_ctx_skb_field_name(off);
	if (prog_type == XBPF_PROG_TYPE_KPROBE)
		return xbpf_ctx_kprobe_field_name(off);
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * KPROBE context rules (kprobes and kretprobes alike): the program sees
 * the probed CPU's struct pt_regs, read only.  As Linux 6.1 decides it,
 * any load of 1, 2, 4 or 8 bytes aligned to its size and inside the
 * structure is accepted and yields a scalar; no store is.  Alignment to
 * the size and off < size of pt_regs (a multiple of 8) together keep
 * every access inside the structure.
 *
 * Run time is the identity: r1 is the struct pt_regs the kprobe handler
 * was given (module/attach_kprobe.c), so target_off is off.
 */
#include "ctx.h"

/* x86-64's struct pt_regs, in order: names for the log only. */
static const char * const xbpf_pt_regs_names[XBPF_KPROBE_CTX_SIZE / 8] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp",
	"ss",
};

int xbpf_ctx_kprobe_access(u32 off, u32 size, bool write,
			   struct xbpf_ctx_access_info *info)
{
	BUILD_BUG_ON(XBPF_KPROBE_CTX_SIZE % 8);
	if (write || !xbpf_ctx_size_ok(size) || off >= XBPF_KPROBE_CTX_SIZE ||
	    off % size)
		return -EACCES;
	memset(info, 0, sizeof(*info));
	info->val = XBPF_CTX_VAL_SCALAR;
	info->conv = XBPF_CTX_CONV_DIRECT;
	/* each register is one 8-byte field */
	info->field_off = off & ~7U;
	info->field_size = 8;
	info->target_off = off;
	info->target_size = size;
	return 0;
}

const char *xbpf_ctx_kprobe_field_name(u32 off)
{
	if (off >= XBPF_KPROBE_CTX_SIZE)
		return NULL;
	return xbpf_pt_regs_names[off / 8];
}

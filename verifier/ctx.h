/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context access rules, per program type: which loads and stores through
 * the context pointer (r1 at entry) a program may make, what a load
 * yields, and how the engine performs the access at run time.
 *
 * The abstract interpreter calls xbpf_ctx_access() for every LDX/STX whose
 * base register is a context pointer.  The table only judges the access
 * itself; the caller keeps the rules Linux applies around it:
 *   - off is the instruction's offset: a context pointer that has been
 *     moved (non-zero fixed or any variable offset) may not be
 *     dereferenced ("dereference of modified ctx ptr");
 *   - BPF_ST (store of an immediate) and BPF_ATOMIC into the context are
 *     refused whatever the field;
 *   - a refused access is logged as "invalid bpf_context access off=%d
 *     size=%d" and fails the load with -EACCES;
 *   - SYSCALL: the caller records the end (off + size) of the furthest
 *     access; test-run refuses a ctx_size_in smaller than that, as Linux
 *     does with max_ctx_offset, so no access can leave the buffer.
 */
#ifndef _XBPF_VERIFIER_CTX_H
#define _XBPF_VERIFIER_CTX_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

/* The SYSCALL context is a plain buffer; offsets must stay below this. */
#define XBPF_CTX_SYSCALL_MAX_OFF	U16_MAX

/* What a load from the context puts in the destination register. */
enum xbpf_ctx_val {
	XBPF_CTX_VAL_SCALAR = 0,
	/*
	 * __sk_buff.sk: Linux's PTR_TO_SOCK_COMMON_OR_NULL.  Read directly:
	 * f.sk holds the address of the skb's own socket (core/skb.c).
	 */
	XBPF_CTX_VAL_SOCK_COMMON_OR_NULL,
	/* packet, packet end and packet meta come with the types that have them */
};

/* How the run time performs an accepted access. */
enum xbpf_ctx_conv {
	/*
	 * Access target_size bytes at target_off of the run-time context.
	 * For SOCKET_FILTER and SYSCALL this is the identity: struct
	 * xbpf_skb mirrors __sk_buff byte for byte, so even a narrow load
	 * of a 4-byte field reads the right bytes on either endianness.
	 */
	XBPF_CTX_CONV_DIRECT = 0,
	/* The value is not stored in the context: the engine derives it. */
	XBPF_CTX_CONV_COMPUTED,
};

/* Values of xbpf_ctx_access_info.computed (no field needs one yet). */
enum xbpf_ctx_computed {
	XBPF_CTX_COMP_NONE = 0,
};

struct xbpf_ctx_access_info {
	u8	val;		/* enum xbpf_ctx_val (loads only) */
	u8	conv;		/* enum xbpf_ctx_conv */
	u8	computed;	/* enum xbpf_ctx_computed, with XBPF_CTX_CONV_COMPUTED */
	u8	field_size;	/* bytes of the field (table entry) the access is in */
	u32	field_off;	/* where that field starts in the program's view */
	u32	target_off;	/* XBPF_CTX_CONV_DIRECT: offset in the run-time ctx */
	u32	target_size;	/* XBPF_CTX_CONV_DIRECT: bytes to access there */
};

/* The access sizes an LDX/STX can have. */
static inline bool xbpf_ctx_size_ok(u32 size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/*
 * Judges an access of size bytes (1, 2, 4 or 8) at off through the context
 * of a program of prog_type.  Returns 0 and fills *info, or -EACCES (also
 * for a program type without context rules or an impossible size).  off
 * is unsigned: a negative offset arrives as a huge one and is refused.
 */
int xbpf_ctx_access(u32 prog_type, u32 off, u32 size, bool write,
		    struct xbpf_ctx_access_info *info);

/* For the log: the field at off, or NULL when none has a name. */
const char *xbpf_ctx_field_name(u32 prog_type, u32 off);

/* SOCKET_FILTER (ctx_skb.c); xbpf_ctx_access() dispatches to it. */
int xbpf_ctx_skb_access(u32 off, u32 size, bool write,
			struct xbpf_ctx_access_info *info);
const char *xbpf_ctx_skb_field_name(u32 off);

/*
 * KPROBE (ctx_kprobe.c): the struct pt_regs of the probed CPU, read
 * only.  Its size is x86-64's, the only architecture the module builds
 * for; module/attach_kprobe.c asserts it against the kernel's.
 */
#define XBPF_KPROBE_CTX_SIZE	168	/* sizeof(struct pt_regs), x86-64 */
int xbpf_ctx_kprobe_access(u32 off, u32 size, bool write,
			   struct xbpf_ctx_access_info *info);
const char *xbpf_ctx_kprobe_field_name(u32 off);

/*
 * RAW_TRACEPOINT and TRACEPOINT (ctx_tp.c).  RAW_TRACEPOINT: u64
 * arguments, at most 12 (Linux's MAX_BPF_FUNC_ARGS); attach checks the
 * tracepoint's own count against max_ctx_offset.  TRACEPOINT: the perf
 * record, in a buffer of PERF_MAX_TRACE_SIZE bytes, its first 8 hidden.
 */
#define XBPF_RAW_TP_MAX_ARGS	12
#define XBPF_RAW_TP_CTX_SIZE	(8 * XBPF_RAW_TP_MAX_ARGS)
#define XBPF_TP_CTX_SIZE	2048	/* PERF_MAX_TRACE_SIZE */
#define XBPF_TP_CTX_HIDDEN	8
int xbpf_ctx_raw_tp_access(u32 off, u32 size, bool write,
			   struct xbpf_ctx_access_info *info);
int xbpf_ctx_tp_access(u32 off, u32 size, bool write,
		       struct xbpf_ctx_access_info *info);

/*
 * Loads through a PTR_TO_SOCK_COMMON (ctx_sock.c): struct bpf_sock's
 * sock_common fields, with Linux 6.1's sizes and offsets, read only.
 * Same contract as xbpf_ctx_access(); the caller refuses or-null
 * pointers and stores first, and logs a refusal as "invalid sock_common
 * access off=%d size=%d".  Run time is the identity on struct xbpf_sock.
 */
#define XBPF_SOCK_SIZE		80	/* sizeof(struct bpf_sock) in Linux 6.1 */
int xbpf_sock_common_access(u32 off, u32 size, bool write,
			    struct xbpf_ctx_access_info *info);
const char *xbpf_sock_field_name(u32 off);

#endif /* _XBPF_VERIFIER_CTX_H */

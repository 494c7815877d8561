/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier case table: one struct vcase per program, grouped by
 * concern in cases_<group>.c.  runner.c loads every case twice (privileged,
 * unprivileged) through an engine (the module, or the core in-process with
 * --offline), compares the verdict, and test-runs accepted programs that
 * carry an expected return value.
 *
 * A case, in full:
 *
 *	{
 *		.name = "lookup then read the value",
 *		INSNS(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10),
 *		      ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0),
 *		      CALL(XBPF_FUNC_map_lookup_elem), ...),
 *		.type = XBPF_PROG_TYPE_SYSCALL,		(default SOCKET_FILTER)
 *		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 42)),	(LD_MAP(reg, 0) names it)
 *		.expect = ACCEPT,			(both privilege levels)
 *		.expect_unpriv = REJECT(EPERM, "..."),	(only when it differs)
 *		DATA(0x..., ...) or CTX(...),		(test-run input, optional)
 *		RUN(42),				(test-run, expected retval)
 *		.btf = true,				(func_info: all return int)
 *	}
 */
#ifndef _XBPF_VCASE_H
#define _XBPF_VCASE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/xbpf.h>

#include "xbpf_insns.h"

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* kernel-internal, but bpf(2) returns it */
#endif

#define VCASE_MAX_MAPS	4

/*
 * A map LDDW whose imm is VMAP_TAG | index is fixed up by the runner to
 * the fd of the case's map number index; any other imm is passed as is
 * (to test bad fds).  No real fd comes near the tag.
 */
#define VMAP_TAG	0x7ffe0000
#define VMAP_IDX_MASK	0xffff
#define LD_MAP(d, idx)		LD_MAP_FD(d, VMAP_TAG | (idx))
#define LD_MAP_VAL(d, idx, o)	LD_MAP_VALUE(d, VMAP_TAG | (idx), o)

struct vmap {
	__u32	type;
	__u32	key_size;
	__u32	value_size;
	__u32	max_entries;
	__u32	flags;		/* map_flags */
	/*
	 * One element stored before the load: the low bytes of key/value
	 * (per-CPU types: the same value in every CPU's copy).
	 */
	bool	init;
	__u64	key;
	__u64	value;
	/* BPF_MAP_FREEZE after the element is stored */
	bool	freeze;
};

#define MAP_ARRAY(k, v, n)	{ .type = XBPF_MAP_TYPE_ARRAY, .key_size = (k), \
				  .value_size = (v), .max_entries = (n) }
#define MAP_HASH(k, v, n)	{ .type = XBPF_MAP_TYPE_HASH, .key_size = (k), \
				  .value_size = (v), .max_entries = (n) }
#define MAP_ARRAY_INIT(k, v, n, key_, val_) \
	{ .type = XBPF_MAP_TYPE_ARRAY, .key_size = (k), .value_size = (v), \
	  .max_entries = (n), .init = true, .key = (key_), .value = (val_) }
#define MAP_HASH_INIT(k, v, n, key_, val_) \
	{ .type = XBPF_MAP_TYPE_HASH, .key_size = (k), .value_size = (v), \
	  .max_entries = (n), .init = true, .key = (key_), .value = (val_) }
/* empty: the case table checks the walk; tail calls through it fall through */
#define MAP_PROG_ARRAY(n)	{ .type = XBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, \
				  .value_size = 4, .max_entries = (n) }
/* a ring buffer of n bytes (a power of two, whole pages) */
#define MAP_RINGBUF(n)		{ .type = XBPF_MAP_TYPE_RINGBUF, .max_entries = (n) }
/* any type, with map_flags */
#define MAP_T(t, k, v, n, f)	{ .type = (t), .key_size = (k), .value_size = (v), \
				  .max_entries = (n), .flags = (f) }
#define MAP_T_INIT(t, k, v, n, key_, val_) \
	{ .type = (t), .key_size = (k), .value_size = (v), \
	  .max_entries = (n), .init = true, .key = (key_), .value = (val_) }
#define MAPS(...)		.maps = { __VA_ARGS__ }

enum vverdict {
	V_SAME = 0,	/* expect_unpriv only: as .expect */
	V_ACCEPT,
	V_REJECT,
};

struct vexpect {
	enum vverdict	verdict;
	int		err;	/* positive errno of a rejection */
	const char	*msg;	/* must appear in the level-1 log; NULL: any */
};

#define ACCEPT		{ .verdict = V_ACCEPT }
#define REJECT(e, m)	{ .verdict = V_REJECT, .err = (e), .msg = (m) }
/* bpf-to-bpf calls (and back-edges) need bpf_capable: the unprivileged verdict */
#define REJECT_NO_BPF_CAP \
	REJECT(EPERM, "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN")

struct vcase {
	const char		*name;	/* unique within its group, no '#' */
	const struct xbpf_insn	*insns;
	__u32			len;
	__u32			type;	/* 0: SOCKET_FILTER */
	struct vmap		maps[VCASE_MAX_MAPS];
	struct vexpect		expect;		/* privileged (and unprivileged) */
	struct vexpect		expect_unpriv;	/* V_SAME: as expect */
	/*
	 * Test-run input: SOCKET_FILTER takes data as the Ethernet frame
	 * (default: vcase_frame, 64 bytes, byte i == i) and ctx as a
	 * __sk_buff; SYSCALL takes ctx only (r1 = copy, r2 = size).
	 */
	const void		*data;
	__u32			data_len;
	const void		*ctx;
	__u32			ctx_len;
	bool			run;
	__u32			retval;	/* the 32 bits bpf(2) reports */
	/*
	 * BTF func_info saying every function (main and each call target)
	 * returns int, which lets subprograms use LD_ABS and tail calls.
	 */
	bool			btf;
};

#define INSNS(...) \
	.insns = (const struct xbpf_insn[]){ __VA_ARGS__ }, \
	.len = sizeof((const struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)
#define DATA(...) \
	.data = (const __u8[]){ __VA_ARGS__ }, \
	.data_len = sizeof((const __u8[]){ __VA_ARGS__ })
#define CTX(...) \
	.ctx = (const __u8[]){ __VA_ARGS__ }, \
	.ctx_len = sizeof((const __u8[]){ __VA_ARGS__ })
#define RUN(r)		.run = true, .retval = (__u32)(r)

/* The default SOCKET_FILTER frame: VCASE_FRAME_LEN bytes, byte i == i. */
#define VCASE_FRAME_LEN	64
/* LD_ABS offsets count from the network header, 14 bytes in */
#define FRAME_B(off)	((__u32)(14 + (off)))
#define FRAME_H(off)	(FRAME_B(off) << 8 | FRAME_B((off) + 1))
#define FRAME_W(off)	(FRAME_H(off) << 16 | FRAME_H((off) + 2))

struct vgroup {
	const char		*name;
	const struct vcase	*cases;
	size_t			cnt;
};

#define VCASE_GROUP(grp, tab) \
	const struct vgroup vgroup_##grp = { #grp, tab, sizeof(tab) / sizeof(tab[0]) }

#endif /* _XBPF_VCASE_H */

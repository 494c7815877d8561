// SPDX-License-Identifier: GPL-2.0
/*
 * The xbpf interpreter: the whole RFC 9669 instruction set (including the
 * v4 additions sdiv/smod, movsx, ldsx, bswap and ja32) plus the legacy
 * LD_ABS/LD_IND packet loads, with Linux's run-time semantics:
 *
 *  - division by zero gives 0, modulo by zero leaves dst unchanged; the
 *    32-bit forms still zero-extend dst;
 *  - signed S64_MIN / -1 gives S64_MIN and S64_MIN % -1 gives 0 (never a
 *    trap in C);
 *  - shift amounts are masked to the operand width (63 or 31);
 *  - every 32-bit ALU result is zero-extended to 64 bits.
 *
 * Two memory models share one body (xbpf_interp_body(), instantiated twice
 * with a constant 'checked'):
 *
 *  fast     trusts the verifier: loads and stores go straight to memory.
 *  checked  (prog->checked) confirms every access, atomic and helper
 *           argument against the regions the program may touch and bounds
 *           the instructions per run.  It is what makes running programs
 *           that the verifier cannot yet prove safe acceptable, and the
 *           oracle the verifier fuzzer uses to catch unsound verdicts.
 *
 * Why an always_inline body with a constant flag rather than a runtime
 * branch or a template header: the compiler folds every 'if (checked)'
 * away, so the fast engine carries neither the region table nor a branch
 * per access, yet both engines are literally the same source and cannot
 * drift apart in semantics.
 *
 * Stack: rc->stack holds XBPF_MAX_CALL_FRAMES frames of XBPF_MAX_STACK
 * bytes; frame d is [stack + d * 512, stack + (d + 1) * 512) and r10 points
 * at its end.  Frames in use are therefore always one contiguous range
 * starting at rc->stack, which is all the checked model has to track.
 * Every frame has the full 512 bytes, so a tail-called program always has
 * room for its own stack, whatever its caller used.
 *
 * Tail calls (helper 12, Linux 6.1's semantics): the target replaces the
 * running function in its frame and starts at its first instruction with
 * r1 = ctx; its exit is that function's exit (the end of the run at depth
 * 0, the return to the caller of a subprogram otherwise).  An index out of
 * range or XBPF_MAX_TAIL_CALL_CNT calls already counted leave the count
 * alone; otherwise the count goes up, and an empty slot also falls
 * through: the program continues after the call.  The count is per
 * frame, as in Linux 6.1 (where only the JIT mixes tail calls with
 * bpf-to-bpf calls): a callee starts from its caller's count, and the
 * caller's count does not change by what the callee did.
 *
 * The memory model is chosen per program, not per run: a proved program
 * that tail-calls an unproved one hands over to the checked engine from
 * that frame up (the "checked segment", starting at checked_base), and a
 * return below checked_base hands back.  Everything a run carries across
 * the switch is in struct xbpf_interp_state.  Inside a checked segment a
 * proved target runs checked too (sound, only slower), so one segment and
 * one region table suffice.  The segment's program may touch only its own
 * frames: the proved caller's stack below is not its memory.
 */
#include "../core/xbpf_core.h"
#include "../ringbuf/ringbuf.h"

/*
 * Regions obtained at run time (map values, allocated records).  Small on
 * purpose: the table lives on the kernel stack.  Re-recording the same
 * region is free, so loops over one key do not fill it; a program that
 * keeps more than this many distinct values alive faults instead.
 */
#define XBPF_INTERP_MAX_REGIONS	16

enum xbpf_region_kind {
	XBPF_REGION_MAP_VALUE,
	XBPF_REGION_ALLOC,	/* released by a PTR_TO_ALLOC_MEM argument */
};

struct xbpf_region {
	uintptr_t		start;
	u32			size;
	u8			kind;
	bool			writable;
	const struct xbpf_map	*map;
};

struct xbpf_checked {
	const struct xbpf_prog	*prog;
	struct xbpf_run_ctx	*rc;
	uintptr_t		stack_lo;	/* frames in use: [lo, hi) */
	uintptr_t		stack_hi;
	u32			nr;
	struct xbpf_region	r[XBPF_INTERP_MAX_REGIONS];
};

/* What a pseudo call saves: the callee-saved registers, the return pc,
 * the caller's program (a tail call may change the callee's) and the
 * caller's tail-call count (the callee's tail calls do not change it). */
struct xbpf_interp_frame {
	u64			r6_r9[4];
	const struct xbpf_prog	*prog;
	u32			ret_pc;
	u32			tail_cnt;
};

/* checked_base when the fast engine runs */
#define XBPF_NOT_CHECKED	U32_MAX
/* A body's "continue in the other engine" (never an errno) */
#define XBPF_INTERP_SWITCH	1

/* One run, across engines (see the tail-call notes at the top). */
struct xbpf_interp_state {
	/* 16, not 11: the 4-bit register fields index it safely whatever they hold. */
	u64			reg[16];
	struct xbpf_interp_frame frames[XBPF_MAX_CALL_FRAMES];
	const struct xbpf_prog	*prog;		/* running at depth */
	u32			pc;
	u32			depth;
	u32			tail_cnt;	/* tail calls made in this frame's chain */
	u32			count;		/* instructions run checked */
	u32			checked_base;	/* first frame of the checked segment */
};

static int xbpf_fault(struct xbpf_run_ctx *rc, u32 pc, u64 addr, u32 size,
		      bool write, const char *why, int err)
{
	rc->fault.insn = pc;
	rc->fault.addr = addr;
	rc->fault.size = size;
	rc->fault.write = write;
	rc->fault.why = why;
	return err;
}

/* [a, a + size) inside [lo, hi), without overflowing. */
static __always_inline bool xbpf_within(u64 a, u64 size, uintptr_t lo, uintptr_t hi)
{
	return a >= lo && a <= hi && size <= hi - a;
}

static bool xbpf_mem_ok(const struct xbpf_checked *cs, u64 addr, u32 size, bool write)
{
	const struct xbpf_run_ctx *rc = cs->rc;
	u32 i;

	if (xbpf_within(addr, size, cs->stack_lo, cs->stack_hi))
		return true;
	if (rc->ctx && xbpf_within(addr, size, (uintptr_t)rc->ctx,
				   (uintptr_t)rc->ctx + rc->ctx_size))
		return !write || rc->ctx_writable;
	/*
	 * The socket __sk_buff->sk points at (the skb's own, whatever the
	 * program wrote into its writable context): read-only, as the
	 * verifier refuses every store through a sock_common pointer.
	 */
	if (rc->skb && xbpf_within(addr, size, (uintptr_t)&rc->skb->sock,
				   (uintptr_t)&rc->skb->sock + sizeof(rc->skb->sock)))
		return !write;
	for (i = 0; i < cs->nr; i++) {
		const struct xbpf_region *r = &cs->r[i];

		if (xbpf_within(addr, size, r->start, r->start + r->size))
			return !write || r->writable;
	}
	return false;
}

static int xbpf_region_add(struct xbpf_checked *cs, const struct xbpf_map *map,
			   uintptr_t start, u32 size, u8 kind, bool writable)
{
	u32 i;

	for (i = 0; i < cs->nr; i++) {
		struct xbpf_region *r = &cs->r[i];

		if (r->start == start && r->size == size && r->kind == kind &&
		    r->map == map)
			return 0;
	}
	if (cs->nr == XBPF_INTERP_MAX_REGIONS)
		return -ENOSPC;
	cs->r[cs->nr++] = (struct xbpf_region){
		.start = start, .size = size, .kind = kind,
		.writable = writable, .map = map,
	};
	return 0;
}

static void xbpf_region_del(struct xbpf_checked *cs, u32 i)
{
	cs->r[i] = cs->r[--cs->nr];
}

static bool xbpf_map_writable(const struct xbpf_map *map)
{
	return !(map->map_flags & XBPF_F_RDONLY_PROG);
}

/*
 * LDDW src=2 loads the address of a map value (an ARRAY map's value, as
 * the verifier resolved it).  Record the whole value of the map that
 * contains the address; an address no map of the program owns gets no
 * region, so any access through it faults.
 */
static int xbpf_checked_lddw_value(struct xbpf_checked *cs, u32 pc, u64 addr)
{
	const struct xbpf_prog *prog = cs->prog;
	u32 i;

	for (i = 0; i < prog->nr_maps; i++) {
		const struct xbpf_map *map = prog->maps[i];
		u64 base;

		if (!map || !map->ops->direct_value_addr ||
		    map->ops->direct_value_addr(map, &base, 0))
			continue;
		if (!xbpf_within(addr, 0, base, base + map->value_size))
			continue;
		if (xbpf_region_add(cs, map, base, map->value_size,
				    XBPF_REGION_MAP_VALUE, xbpf_map_writable(map)))
			return xbpf_fault(cs->rc, pc, addr, map->value_size, false,
					  "too many live regions", -EFAULT);
		return 0;
	}
	return 0;
}

static bool xbpf_prog_has_map(const struct xbpf_prog *prog, u64 v)
{
	u32 i;

	for (i = 0; i < prog->nr_maps; i++)
		if (prog->maps[i] && (uintptr_t)prog->maps[i] == v)
			return true;
	return false;
}

/*
 * Helper arguments, before the call.  *mapp gets the CONST_MAP_PTR argument
 * (key and value sizes come from it), *releasep the alloc region a
 * PTR_TO_ALLOC_MEM argument releases, or -1.
 */
static int xbpf_checked_call_pre(struct xbpf_checked *cs, u32 pc,
				 const struct xbpf_helper_proto *fn, const u64 *reg,
				 const struct xbpf_map **mapp, int *releasep)
{
	const struct xbpf_map *map = NULL;
	struct xbpf_run_ctx *rc = cs->rc;
	int i;

	*releasep = -1;
	for (i = 0; i < 5; i++) {
		u64 v = reg[1 + i];
		u64 size;
		u32 j;

		switch (fn->arg[i]) {
		case XBPF_ARG_DONTCARE:
		case XBPF_ARG_ANYTHING:
		case XBPF_ARG_CONST_SIZE:
		case XBPF_ARG_CONST_SIZE_OR_ZERO:
			/* sizes are checked with the pointer before them */
			break;
		case XBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO:
			/* the size of the record handed out: becomes its region */
			break;
		case XBPF_ARG_CONST_MAP_PTR:
			if (!xbpf_prog_has_map(cs->prog, v))
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: not a map of the program",
						  -EFAULT);
			map = (const struct xbpf_map *)(uintptr_t)v;
			/* its slots hold program references: bpf_tail_call only */
			if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY)
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: a program array is for bpf_tail_call only",
						  -EFAULT);
			/* the ring buffer helpers take the map for a struct xbpf_ringbuf */
			if (xbpf_ringbuf_helper_id(fn->id) !=
			    (map->map_type == XBPF_MAP_TYPE_RINGBUF))
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: map type does not suit the helper",
						  -EFAULT);
			break;
		case XBPF_ARG_PTR_TO_MAP_KEY:
		case XBPF_ARG_PTR_TO_MAP_VALUE:
			if (!map)
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: key/value without a map",
						  -EFAULT);
			size = fn->arg[i] == XBPF_ARG_PTR_TO_MAP_KEY ?
			       map->key_size : map->value_size;
			if (!xbpf_mem_ok(cs, v, size, false))
				return xbpf_fault(rc, pc, v, size, false,
						  "helper arg: bad map key/value pointer",
						  -EFAULT);
			break;
		case XBPF_ARG_PTR_TO_MEM:
		case XBPF_ARG_PTR_TO_UNINIT_MEM:
			if (i == 4 || (fn->arg[i + 1] != XBPF_ARG_CONST_SIZE &&
				       fn->arg[i + 1] != XBPF_ARG_CONST_SIZE_OR_ZERO))
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper proto: memory without size",
						  -EFAULT);
			size = reg[2 + i];
			if (!size && fn->arg[i + 1] == XBPF_ARG_CONST_SIZE)
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: zero size", -EFAULT);
			if (size > U32_MAX ||
			    (size && !xbpf_mem_ok(cs, v, size,
						  fn->arg[i] == XBPF_ARG_PTR_TO_UNINIT_MEM)))
				return xbpf_fault(rc, pc, v, (u32)size,
						  fn->arg[i] == XBPF_ARG_PTR_TO_UNINIT_MEM,
						  "helper arg: bad memory pointer",
						  -EFAULT);
			break;
		case XBPF_ARG_PTR_TO_CTX:
			if (!rc->ctx || v != (uintptr_t)rc->ctx)
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: not the context",
						  -EFAULT);
			break;
		case XBPF_ARG_PTR_TO_ALLOC_MEM:
			for (j = 0; j < cs->nr; j++)
				if (cs->r[j].kind == XBPF_REGION_ALLOC &&
				    cs->r[j].start == v)
					break;
			if (j == cs->nr)
				return xbpf_fault(rc, pc, v, 0, false,
						  "helper arg: not an allocated record",
						  -EFAULT);
			*releasep = j;
			break;
		default:
			return xbpf_fault(rc, pc, v, 0, false,
					  "helper arg: type not checkable", -EFAULT);
		}
	}
	*mapp = map;
	return 0;
}

/* After the call: record what the helper handed out, forget what it freed. */
static int xbpf_checked_call_post(struct xbpf_checked *cs, u32 pc,
				  const struct xbpf_helper_proto *fn, const u64 *reg,
				  const struct xbpf_map *map, int release)
{
	u64 r0 = reg[0];
	u32 i;

	if (release >= 0)
		xbpf_region_del(cs, release);

	/*
	 * Update and delete may free values of maps whose elements are not
	 * fixed (hash tables); the program must not use them afterwards.
	 */
	if (map && map->map_type != XBPF_MAP_TYPE_ARRAY &&
	    map->map_type != XBPF_MAP_TYPE_PERCPU_ARRAY &&
	    (fn->id == XBPF_FUNC_map_update_elem ||
	     fn->id == XBPF_FUNC_map_delete_elem)) {
		for (i = 0; i < cs->nr;) {
			if (cs->r[i].map == map && cs->r[i].kind == XBPF_REGION_MAP_VALUE)
				xbpf_region_del(cs, i);
			else
				i++;
		}
	}

	if (!r0)
		return 0;
	switch (fn->ret) {
	case XBPF_RET_PTR_TO_MAP_VALUE_OR_NULL:
		if (!map)
			return xbpf_fault(cs->rc, pc, r0, 0, false,
					  "helper proto: map value without a map", -EFAULT);
		if (xbpf_region_add(cs, map, r0, map->value_size,
				    XBPF_REGION_MAP_VALUE, xbpf_map_writable(map)))
			return xbpf_fault(cs->rc, pc, r0, map->value_size, false,
					  "too many live regions", -EFAULT);
		break;
	case XBPF_RET_PTR_TO_ALLOC_MEM_OR_NULL:
		/* The record's size is the helper's size argument. */
		for (i = 0; i < 5; i++)
			if (fn->arg[i] == XBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO)
				break;
		if (i == 5 || reg[1 + i] > U32_MAX)
			return xbpf_fault(cs->rc, pc, r0, 0, false,
					  "helper proto: record without size", -EFAULT);
		if (xbpf_region_add(cs, map, r0, (u32)reg[1 + i],
				    XBPF_REGION_ALLOC, true))
			return xbpf_fault(cs->rc, pc, r0, (u32)reg[1 + i], false,
					  "too many live regions", -EFAULT);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * bpf_tail_call's arguments in the checked model: the context, a program
 * array the program references.  A record still reserved would leak (the
 * verifier refuses the call then, as Linux: "tail_call would lead to
 * reference leak").
 */
static int xbpf_checked_tail_call(struct xbpf_checked *cs, u32 pc, const u64 *reg)
{
	struct xbpf_run_ctx *rc = cs->rc;
	const struct xbpf_map *map;
	u32 i;

	if (!rc->ctx || reg[XBPF_REG_1] != (uintptr_t)rc->ctx)
		return xbpf_fault(rc, pc, reg[XBPF_REG_1], 0, false,
				  "tail call: r1 is not the context", -EFAULT);
	if (!xbpf_prog_has_map(cs->prog, reg[XBPF_REG_2]))
		return xbpf_fault(rc, pc, reg[XBPF_REG_2], 0, false,
				  "tail call: not a map of the program", -EFAULT);
	map = (const struct xbpf_map *)(uintptr_t)reg[XBPF_REG_2];
	if (map->map_type != XBPF_MAP_TYPE_PROG_ARRAY)
		return xbpf_fault(rc, pc, reg[XBPF_REG_2], 0, false,
				  "tail call: not a program array", -EFAULT);
	for (i = 0; i < cs->nr; i++)
		if (cs->r[i].kind == XBPF_REGION_ALLOC)
			return xbpf_fault(rc, pc, cs->r[i].start, 0, false,
					  "tail call with an unreleased record", -EFAULT);
	return 0;
}

/*
 * The target may run in place of prog on this context.  The array's owner
 * rule makes the types equal; checked anyway, since a context of another
 * layout would be read as this one.  A SYSCALL context is as large as the
 * caller made it: a target proved against a larger one must not run
 * (module/test_run.c pads the buffer of a program that may tail call).
 */
static __always_inline bool xbpf_tail_target_ok(const struct xbpf_prog *prog,
						const struct xbpf_prog *next,
						const struct xbpf_run_ctx *rc)
{
	return next->type == prog->type && next->max_ctx_offset <= rc->ctx_size;
}

static __always_inline u64 xbpf_sdiv64(u64 a, u64 b)
{
	if (!b)
		return 0;
	if ((s64)b == -1)	/* S64_MIN / -1 would trap in C */
		return 0 - a;
	return (u64)((s64)a / (s64)b);
}

static __always_inline u64 xbpf_smod64(u64 a, u64 b)
{
	if (!b)
		return a;
	if ((s64)b == -1)
		return 0;
	return (u64)((s64)a % (s64)b);
}

static __always_inline u32 xbpf_sdiv32(u32 a, u32 b)
{
	if (!b)
		return 0;
	if ((s32)b == -1)
		return 0 - a;
	return (u32)((s32)a / (s32)b);
}

static __always_inline u32 xbpf_smod32(u32 a, u32 b)
{
	if (!b)
		return a;
	if ((s32)b == -1)
		return 0;
	return (u32)((s32)a % (s32)b);
}

/* Program memory may be unaligned: go through memcpy, one mov once compiled. */
#define XBPF_LOAD(type, a) ({						\
	type __v;							\
	memcpy(&__v, (const void *)(uintptr_t)(a), sizeof(__v));	\
	__v;								\
})
#define XBPF_STORE(type, a, v) do {					\
	type __v = (type)(v);						\
	memcpy((void *)(uintptr_t)(a), &__v, sizeof(__v));		\
} while (0)

/*
 * cs is NULL exactly when !checked.  It lives in the checked wrapper's
 * frame, not here: kernels built with automatic stack-variable
 * initialisation would otherwise reserve and clear it in the fast engine too.
 */
static __always_inline int xbpf_interp_body(struct xbpf_interp_state *const st,
					    struct xbpf_run_ctx *rc, u64 *r0,
					    struct xbpf_checked *const cs,
					    const bool checked)
{
	const struct xbpf_prog *prog = st->prog;
	const struct xbpf_insn *insns = prog->insns;
	const struct xbpf_insn *insn;
	u64 *const reg = st->reg;
	struct xbpf_interp_frame *const frames = st->frames;
	const uintptr_t stack = (uintptr_t)rc->stack;
	u32 depth = st->depth, pc = st->pc, count = st->count, prev = st->pc;
	int err;

	if (checked) {
		/* A new segment: its own frames only, no region yet. */
		cs->prog = prog;
		cs->rc = rc;
		cs->stack_lo = stack + (uintptr_t)st->checked_base * XBPF_MAX_STACK;
		cs->stack_hi = stack + (uintptr_t)(depth + 1) * XBPF_MAX_STACK;
		cs->nr = 0;
	}

/* Hands the run to the other engine, resuming at pc _next. */
#define SWITCH_ENGINE(_next) do {					\
	st->prog = prog;						\
	st->pc = (_next);						\
	st->depth = depth;						\
	st->count = count;						\
	return XBPF_INTERP_SWITCH;					\
} while (0)

#define DST	reg[insn->dst_reg]
#define SRC	reg[insn->src_reg]
#define IMM	((u64)(s64)insn->imm)	/* 64-bit ops sign-extend imm */
#define IMM32	((u32)insn->imm)

/* Checked mode: fault unless [a, a + sz) lies in a region (writable if w). */
#define MEM_CHECK(a, sz, w) do {					\
	if (checked && unlikely(!xbpf_mem_ok(cs, (a), (sz), (w))))	\
		return xbpf_fault(rc, pc, (a), (sz), (w),		\
				  "access outside the program's memory", \
				  -EFAULT);				\
} while (0)

#define ALU(op, expr64, expr32)						\
	case XBPF_ALU64 | (op) | XBPF_X: { u64 s = SRC; DST = (expr64); break; }	\
	case XBPF_ALU64 | (op) | XBPF_K: { u64 s = IMM; DST = (expr64); break; }	\
	case XBPF_ALU | (op) | XBPF_X: {					\
		u32 s = (u32)SRC, d = (u32)DST;				\
		DST = (u32)(expr32);					\
		break;							\
	}								\
	case XBPF_ALU | (op) | XBPF_K: {					\
		u32 s = IMM32, d = (u32)DST;				\
		DST = (u32)(expr32);					\
		break;							\
	}

/* off 0: unsigned, off 1: signed (v4 sdiv/smod). */
#define DIVMOD(op, u64expr, s64fn, u32expr, s32fn)			\
	case XBPF_ALU64 | (op) | XBPF_X:				\
	case XBPF_ALU64 | (op) | XBPF_K: {				\
		u64 s = insn->code & XBPF_X ? SRC : IMM, d = DST;	\
		if (likely(!insn->off))					\
			DST = (u64expr);				\
		else if (insn->off == 1)				\
			DST = s64fn(d, s);				\
		else							\
			goto invalid;					\
		break;							\
	}								\
	case XBPF_ALU | (op) | XBPF_X:					\
	case XBPF_ALU | (op) | XBPF_K: {				\
		u32 s = insn->code & XBPF_X ? (u32)SRC : IMM32, d = (u32)DST; \
		if (likely(!insn->off))					\
			DST = (u32)(u32expr);				\
		else if (insn->off == 1)				\
			DST = s32fn(d, s);				\
		else							\
			goto invalid;					\
		break;							\
	}

#define JCOND(op, cmp, t64, t32)					\
	case XBPF_JMP | (op) | XBPF_X:					\
		if ((t64)DST cmp (t64)SRC)				\
			pc += insn->off;				\
		break;							\
	case XBPF_JMP | (op) | XBPF_K:					\
		if ((t64)DST cmp (t64)IMM)				\
			pc += insn->off;				\
		break;							\
	case XBPF_JMP32 | (op) | XBPF_X:				\
		if ((t32)DST cmp (t32)SRC)				\
			pc += insn->off;				\
		break;							\
	case XBPF_JMP32 | (op) | XBPF_K:				\
		if ((t32)DST cmp (t32)IMM32)				\
			pc += insn->off;				\
		break;

#define LDX(sz, type, stype)						\
	case XBPF_LDX | XBPF_MEM | (sz): {				\
		u64 a = SRC + (s64)insn->off;				\
		MEM_CHECK(a, sizeof(type), false);			\
		DST = XBPF_LOAD(type, a);				\
		break;							\
	}								\
	case XBPF_LDX | XBPF_MEMSX | (sz): {				\
		u64 a = SRC + (s64)insn->off;				\
		MEM_CHECK(a, sizeof(type), false);			\
		DST = (u64)(s64)XBPF_LOAD(stype, a);			\
		break;							\
	}

#define STORE(sz, type)							\
	case XBPF_STX | XBPF_MEM | (sz): {				\
		u64 a = DST + (s64)insn->off;				\
		MEM_CHECK(a, sizeof(type), true);			\
		XBPF_STORE(type, a, SRC);				\
		break;							\
	}								\
	case XBPF_ST | XBPF_MEM | (sz): {				\
		u64 a = DST + (s64)insn->off;				\
		MEM_CHECK(a, sizeof(type), true);			\
		XBPF_STORE(type, a, IMM);				\
		break;							\
	}

/* Atomics: 32-bit forms zero-extend what they load into a register. */
#define ATOMIC(sz, type)						\
	case XBPF_STX | XBPF_ATOMIC | (sz): {				\
		u64 a = DST + (s64)insn->off;				\
		type *p = (type *)(uintptr_t)a;				\
		type v = (type)SRC;					\
		if (checked && unlikely(!IS_ALIGNED(a, sizeof(type))))	\
			return xbpf_fault(rc, pc, a, sizeof(type), true, \
					  "misaligned atomic", -EFAULT); \
		MEM_CHECK(a, sizeof(type), true);			\
		switch (insn->imm) {					\
		case XBPF_ADD:						\
			xbpf_atomic_fetch_add(p, v);			\
			break;						\
		case XBPF_AND:						\
			xbpf_atomic_fetch_and(p, v);			\
			break;						\
		case XBPF_OR:						\
			xbpf_atomic_fetch_or(p, v);			\
			break;						\
		case XBPF_XOR:						\
			xbpf_atomic_fetch_xor(p, v);			\
			break;						\
		case XBPF_ADD | XBPF_FETCH:				\
			SRC = xbpf_atomic_fetch_add(p, v);		\
			break;						\
		case XBPF_AND | XBPF_FETCH:				\
			SRC = xbpf_atomic_fetch_and(p, v);		\
			break;						\
		case XBPF_OR | XBPF_FETCH:				\
			SRC = xbpf_atomic_fetch_or(p, v);		\
			break;						\
		case XBPF_XOR | XBPF_FETCH:				\
			SRC = xbpf_atomic_fetch_xor(p, v);		\
			break;						\
		case XBPF_XCHG:						\
			SRC = xbpf_atomic_xchg(p, v);			\
			break;						\
		case XBPF_CMPXCHG:					\
			reg[0] = xbpf_atomic_cmpxchg(p, (type)reg[0], v); \
			break;						\
		default:						\
			goto invalid;					\
		}							\
		break;							\
	}

/* LD_ABS/LD_IND: r0 = big-endian packet bytes; out of bounds returns 0 from the function. */
#define LDPKT(mode, sz, size, k)					\
	case XBPF_LD | (mode) | (sz): {					\
		const u8 *p = xbpf_skb_pkt_ptr(rc->skb, (k), (size));	\
		if (unlikely(!p)) {					\
			/* Linux's "r0 = 0; exit": leaves this function */ \
			reg[0] = 0;					\
			goto do_exit;					\
		}							\
		reg[0] = (size) == 4 ? get_unaligned_be32(p) :		\
			 (size) == 2 ? get_unaligned_be16(p) : *p;	\
		break;							\
	}

	for (;;) {
		if (checked) {
			/* Blame the instruction that jumped or fell off the end. */
			if (unlikely(pc >= prog->len))
				return xbpf_fault(rc, prev, pc, 0, false,
						  "jump outside the program", -EFAULT);
			prev = pc;
			if (unlikely(++count > XBPF_CHECKED_INSN_BUDGET))
				return xbpf_fault(rc, pc, 0, 0, false,
						  "instruction budget exhausted", -ELOOP);
		}
		insn = &insns[pc];

		switch (insn->code) {
		ALU(XBPF_ADD, DST + s, d + s)
		ALU(XBPF_SUB, DST - s, d - s)
		ALU(XBPF_MUL, DST * s, d * s)
		ALU(XBPF_OR, DST | s, d | s)
		ALU(XBPF_AND, DST & s, d & s)
		ALU(XBPF_XOR, DST ^ s, d ^ s)
		ALU(XBPF_LSH, DST << (s & 63), d << (s & 31))
		ALU(XBPF_RSH, DST >> (s & 63), d >> (s & 31))
		ALU(XBPF_ARSH, (u64)((s64)DST >> (s & 63)), (u32)((s32)d >> (s & 31)))
		DIVMOD(XBPF_DIV, s ? d / s : 0, xbpf_sdiv64, s ? d / s : 0, xbpf_sdiv32)
		DIVMOD(XBPF_MOD, s ? d % s : d, xbpf_smod64, s ? d % s : d, xbpf_smod32)

		case XBPF_ALU64 | XBPF_NEG | XBPF_K:
			DST = 0 - DST;
			break;
		case XBPF_ALU | XBPF_NEG | XBPF_K:
			DST = (u32)(0 - (u32)DST);
			break;

		case XBPF_ALU64 | XBPF_MOV | XBPF_K:
			DST = IMM;
			break;
		case XBPF_ALU | XBPF_MOV | XBPF_K:
			DST = IMM32;
			break;
		case XBPF_ALU64 | XBPF_MOV | XBPF_X:
			switch (insn->off) {	/* off: movsx source width */
			case 0:
				DST = SRC;
				break;
			case 8:
				DST = (u64)(s64)(s8)SRC;
				break;
			case 16:
				DST = (u64)(s64)(s16)SRC;
				break;
			case 32:
				DST = (u64)(s64)(s32)SRC;
				break;
			default:
				goto invalid;
			}
			break;
		case XBPF_ALU | XBPF_MOV | XBPF_X:
			switch (insn->off) {
			case 0:
				DST = (u32)SRC;
				break;
			case 8:
				DST = (u32)(s32)(s8)SRC;
				break;
			case 16:
				DST = (u32)(s32)(s16)SRC;
				break;
			default:
				goto invalid;
			}
			break;

		case XBPF_ALU | XBPF_END | XBPF_TO_LE:
			switch (insn->imm) {
			case 16:
				DST = (u16)cpu_to_le16((u16)DST);
				break;
			case 32:
				DST = (u32)cpu_to_le32((u32)DST);
				break;
			case 64:
				DST = (u64)cpu_to_le64(DST);
				break;
			default:
				goto invalid;
			}
			break;
		case XBPF_ALU | XBPF_END | XBPF_TO_BE:
			switch (insn->imm) {
			case 16:
				DST = (u16)cpu_to_be16((u16)DST);
				break;
			case 32:
				DST = (u32)cpu_to_be32((u32)DST);
				break;
			case 64:
				DST = (u64)cpu_to_be64(DST);
				break;
			default:
				goto invalid;
			}
			break;
		case XBPF_ALU64 | XBPF_END | XBPF_TO_LE:	/* unconditional bswap */
			switch (insn->imm) {
			case 16:
				DST = swab16((u16)DST);
				break;
			case 32:
				DST = swab32((u32)DST);
				break;
			case 64:
				DST = swab64(DST);
				break;
			default:
				goto invalid;
			}
			break;

		case XBPF_JMP | XBPF_JA:
			pc += insn->off;
			break;
		case XBPF_JMP32 | XBPF_JA:	/* v4: 32-bit offset in imm */
			pc += insn->imm;
			break;
		JCOND(XBPF_JEQ, ==, u64, u32)
		JCOND(XBPF_JNE, !=, u64, u32)
		JCOND(XBPF_JGT, >, u64, u32)
		JCOND(XBPF_JGE, >=, u64, u32)
		JCOND(XBPF_JLT, <, u64, u32)
		JCOND(XBPF_JLE, <=, u64, u32)
		JCOND(XBPF_JSGT, >, s64, s32)
		JCOND(XBPF_JSGE, >=, s64, s32)
		JCOND(XBPF_JSLT, <, s64, s32)
		JCOND(XBPF_JSLE, <=, s64, s32)
		case XBPF_JMP | XBPF_JSET | XBPF_X:
			if (DST & SRC)
				pc += insn->off;
			break;
		case XBPF_JMP | XBPF_JSET | XBPF_K:
			if (DST & IMM)
				pc += insn->off;
			break;
		case XBPF_JMP32 | XBPF_JSET | XBPF_X:
			if ((u32)DST & (u32)SRC)
				pc += insn->off;
			break;
		case XBPF_JMP32 | XBPF_JSET | XBPF_K:
			if ((u32)DST & IMM32)
				pc += insn->off;
			break;

		case XBPF_JMP | XBPF_CALL:
			if (insn->src_reg == XBPF_PSEUDO_CALL) {
				struct xbpf_interp_frame *f;

				/* Checked in both modes: frames[] is on our own stack. */
				if (unlikely(depth + 1 >= XBPF_MAX_CALL_FRAMES))
					return xbpf_fault(rc, pc, 0, 0, false,
							  "too many call frames", -EFAULT);
				f = &frames[depth++];
				memcpy(f->r6_r9, &reg[XBPF_REG_6], sizeof(f->r6_r9));
				f->prog = prog;
				f->ret_pc = pc;
				f->tail_cnt = st->tail_cnt;
				reg[XBPF_REG_10] = stack + (depth + 1) * XBPF_MAX_STACK;
				if (checked)
					cs->stack_hi = reg[XBPF_REG_10];
				pc += insn->imm;
			} else if (insn->src_reg == 0 && insn->imm == XBPF_FUNC_tail_call) {
				const struct xbpf_map *map;
				const struct xbpf_prog *next;
				u32 index = (u32)reg[XBPF_REG_3];

				if (checked) {
					err = xbpf_checked_tail_call(cs, pc, reg);
					if (err)
						return err;
				}
				/* In fast mode the verifier proved r2 a program array. */
				map = (const struct xbpf_map *)(uintptr_t)reg[XBPF_REG_2];
				if (index >= map->max_entries ||
				    st->tail_cnt >= XBPF_MAX_TAIL_CALL_CNT)
					break;
				st->tail_cnt++;
				next = xbpf_prog_array_entry(map, index);
				if (!next || !xbpf_tail_target_ok(prog, next, rc))
					break;
				prog = next;
				insns = prog->insns;
				reg[XBPF_REG_1] = (uintptr_t)rc->ctx;
				if (checked) {
					cs->prog = prog;
				} else if (prog->checked) {
					st->checked_base = depth;
					SWITCH_ENGINE(0);
				}
				pc = 0;
				continue;
			} else if (insn->src_reg == 0) {
				const struct xbpf_helper_proto *fn;
				const struct xbpf_map *map = NULL;
				int release = -1;

				fn = xbpf_helper_proto(insn->imm);
				if (unlikely(!fn))
					goto invalid;
				if (checked) {
					err = xbpf_checked_call_pre(cs, pc, fn, reg,
								    &map, &release);
					if (err)
						return err;
				}
				reg[0] = fn->fn(reg[1], reg[2], reg[3], reg[4], reg[5]);
				if (checked) {
					err = xbpf_checked_call_post(cs, pc, fn, reg,
								     map, release);
					if (err)
						return err;
				}
			} else {
				goto invalid;
			}
			break;
		case XBPF_JMP | XBPF_EXIT:
do_exit:
			if (!depth) {
				*r0 = reg[0];
				return 0;
			}
			/* Back to the caller: r6-r9 as it left them, its r10, its program. */
			depth--;
			memcpy(&reg[XBPF_REG_6], frames[depth].r6_r9,
			       sizeof(frames[depth].r6_r9));
			pc = frames[depth].ret_pc;
			prog = frames[depth].prog;
			st->tail_cnt = frames[depth].tail_cnt;
			insns = prog->insns;
			reg[XBPF_REG_10] = stack + (depth + 1) * XBPF_MAX_STACK;
			if (checked) {
				/* Leaving the checked segment: the caller was proved. */
				if (depth < st->checked_base) {
					st->checked_base = XBPF_NOT_CHECKED;
					SWITCH_ENGINE(pc + 1);
				}
				cs->stack_hi = reg[XBPF_REG_10];
				cs->prog = prog;
			}
			break;

		LDX(XBPF_B, u8, s8)
		LDX(XBPF_H, u16, s16)
		LDX(XBPF_W, u32, s32)
		case XBPF_LDX | XBPF_MEM | XBPF_DW: {
			u64 a = SRC + (s64)insn->off;

			MEM_CHECK(a, 8, false);
			DST = XBPF_LOAD(u64, a);
			break;
		}
		STORE(XBPF_B, u8)
		STORE(XBPF_H, u16)
		STORE(XBPF_W, u32)
		STORE(XBPF_DW, u64)
		ATOMIC(XBPF_W, u32)
		ATOMIC(XBPF_DW, u64)

		case XBPF_LD | XBPF_IMM | XBPF_DW:
			if (checked) {
				if (unlikely(pc + 1 >= prog->len))
					return xbpf_fault(rc, pc, 0, 0, false,
							  "truncated lddw", -EFAULT);
				if (insn->src_reg == XBPF_PSEUDO_MAP_VALUE) {
					u64 a = (u32)insn[0].imm | (u64)(u32)insn[1].imm << 32;

					err = xbpf_checked_lddw_value(cs, pc, a);
					if (err)
						return err;
				}
			}
			DST = (u64)(u32)insn[0].imm | (u64)(u32)insn[1].imm << 32;
			pc++;
			break;

		/* The helper-call convention leaves r1-r5 unspecified after
		 * these; like Linux's interpreter after a call, they keep
		 * their values here.
		 */
		LDPKT(XBPF_ABS, XBPF_W, 4, insn->imm)
		LDPKT(XBPF_ABS, XBPF_H, 2, insn->imm)
		LDPKT(XBPF_ABS, XBPF_B, 1, insn->imm)
		LDPKT(XBPF_IND, XBPF_W, 4, (s32)((u32)SRC + IMM32))
		LDPKT(XBPF_IND, XBPF_H, 2, (s32)((u32)SRC + IMM32))
		LDPKT(XBPF_IND, XBPF_B, 1, (s32)((u32)SRC + IMM32))

		default:
			goto invalid;
		}
		pc++;
	}

invalid:
	return xbpf_fault(rc, pc, 0, 0, false, "invalid instruction", -EINVAL);

#undef DST
#undef SRC
#undef IMM
#undef IMM32
#undef MEM_CHECK
#undef ALU
#undef DIVMOD
#undef JCOND
#undef LDX
#undef STORE
#undef ATOMIC
#undef LDPKT
#undef SWITCH_ENGINE
}

/* Separate, non-inlined instances: each gets only the stack frame it needs. */
static __attribute__((__noinline__)) int
xbpf_interp_fast(struct xbpf_interp_state *st, struct xbpf_run_ctx *rc, u64 *r0)
{
	return xbpf_interp_body(st, rc, r0, NULL, false);
}

/*
 * Records a checked segment still holds when it ends (a fault, an exit
 * the verifier did not prove free of leaks, a return to a proved caller
 * that knows nothing of them) would stay busy and stall the ring for
 * good: discard them, with their own release helper.
 */
static void xbpf_checked_release_all(struct xbpf_checked *cs)
{
	const struct xbpf_helper_proto *discard;
	u32 i;

	discard = xbpf_helper_proto(XBPF_FUNC_ringbuf_discard);
	for (i = 0; i < cs->nr; i++)
		if (cs->r[i].kind == XBPF_REGION_ALLOC && discard)
			discard->fn(cs->r[i].start, 0, 0, 0, 0);
	cs->nr = 0;
}

static __attribute__((__noinline__)) int
xbpf_interp_checked(struct xbpf_interp_state *st, struct xbpf_run_ctx *rc, u64 *r0)
{
	struct xbpf_checked cs;
	int ret;

	ret = xbpf_interp_body(st, rc, r0, &cs, true);
	xbpf_checked_release_all(&cs);
	return ret;
}

int xbpf_interp_run(const struct xbpf_prog *prog, struct xbpf_run_ctx *rc, u64 *r0)
{
	struct xbpf_interp_state st;
	int ret;

	memset(&rc->fault, 0, sizeof(rc->fault));
	if (!prog->len || !rc->stack)
		return xbpf_fault(rc, 0, 0, 0, false, "empty program or no stack",
				  -EINVAL);
	memset(st.reg, 0, sizeof(st.reg));
	st.reg[XBPF_REG_1] = (uintptr_t)rc->ctx;
	st.reg[XBPF_REG_2] = rc->r2;
	st.reg[XBPF_REG_10] = (uintptr_t)rc->stack + XBPF_MAX_STACK;
	st.prog = prog;
	st.pc = 0;
	st.depth = 0;
	st.tail_cnt = 0;
	st.count = 0;
	st.checked_base = prog->checked ? 0 : XBPF_NOT_CHECKED;

	/*
	 * Map lookups return RCU-protected values and tail calls read
	 * program arrays: hold the reader for the whole run.
	 */
	xbpf_rcu_read_lock();
	do {
		if (st.checked_base != XBPF_NOT_CHECKED)
			ret = xbpf_interp_checked(&st, rc, r0);
		else
			ret = xbpf_interp_fast(&st, rc, r0);
	} while (ret == XBPF_INTERP_SWITCH);
	xbpf_rcu_read_unlock();
	return ret;
}

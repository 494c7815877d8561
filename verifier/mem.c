// SPDX-License-Identifier: GPL-2.0
/*
 * Loads and stores for the abstract interpreter (docs/verifier-design.md,
 * mem.c): the stack, the context and sockets through ctx.h's tables, and
 * map values with constant or bounded variable offsets.
 */
#include "check.h"
#include "ctx.h"

static u32 xbpf_ldst_bytes(u8 code)
{
	switch (XBPF_SIZE(code)) {
	case XBPF_B:
		return 1;
	case XBPF_H:
		return 2;
	case XBPF_W:
		return 4;
	default:
		return 8;
	}
}

/* The value a load of size bytes yields when nothing else is known. */
static void xbpf_mark_loaded(struct xbpf_reg *reg, u32 size, bool sx)
{
	struct xbpf_scalar s;
	u32 bits = size * 8;

	if (size >= 8)
		xbpf_scalar_set_unknown(&s);
	else if (sx)
		xbpf_scalar_set_srange(&s, -((s64)1 << (bits - 1)),
				       ((s64)1 << (bits - 1)) - 1);
	else
		xbpf_scalar_set_urange(&s, 0, ((u64)1 << bits) - 1);
	xbpf_reg_mark_scalar(reg, &s);
}

/* ---- stack -------------------------------------------------------- */

/* The stack bytes an access may touch: frame bytes [lo, hi), 0..512. */
struct xbpf_stack_span {
	u32	lo, hi;
	bool	var;	/* variable offset: any size-byte window in [lo, hi) */
};

/* The frame a stack pointer points into: its own or a caller's. */
static int xbpf_stack_frame(struct xbpf_check *c, const struct xbpf_reg *base, u32 regno,
			    struct xbpf_frame **frame)
{
	/* A pointer passed down by a caller reaches the caller's frame. */
	if (WARN_ON_ONCE(base->frameno > c->cur->curframe))
		return xbpf_reject(c, -EFAULT, "verifier bug: R%u points into frame %u of %u\n",
				   regno, base->frameno, c->cur->curframe);
	*frame = c->cur->frames[base->frameno];
	return 0;
}

/* Records that frame's bytes from lo up are in use (its stack depth). */
static void xbpf_stack_depth(struct xbpf_check *c, struct xbpf_frame *frame, u32 lo)
{
	u32 depth = XBPF_MAX_STACK - lo;

	if (depth > frame->allocated) {
		frame->allocated = depth;
		if (c->env->subprogs[frame->subprog].stack_depth < depth)
			c->env->subprogs[frame->subprog].stack_depth = depth;
	}
}

/* Linux's allow_uninit_stack: xbpf's module sets both from the same capabilities. */
static bool xbpf_allow_uninit_stack(const struct xbpf_check *c)
{
	return c->env->caps.allow_ptr_leaks;
}

/*
 * Linux's check_stack_slot_within_bounds: writes (and helper accesses,
 * which may write) reach the whole frame; reads only what some access
 * on this path reached already (rounded to slots), unless uninitialised
 * stack may be read.
 */
static bool xbpf_stack_min_ok(const struct xbpf_check *c, const struct xbpf_frame *frame,
			      s64 min_off, bool write)
{
	s64 min_valid = -XBPF_MAX_STACK;

	if (!write && !xbpf_allow_uninit_stack(c))
		min_valid = -(s64)((frame->allocated + XBPF_SLOT_SIZE - 1) & ~(XBPF_SLOT_SIZE - 1));
	return min_off >= min_valid && min_off < 0;
}

/*
 * Resolves base + insn->off after the alignment and bounds checks, in
 * Linux's order and words (check_ptr_alignment, stack accesses always
 * strict; check_stack_access_within_bounds), in the frame base points
 * into (*framep).  A variable offset is only ever made with
 * bypass_spec_v1: any size-byte window of [lo, hi) may be touched.
 */
static int xbpf_stack_span(struct xbpf_check *c, const struct xbpf_reg *base,
			   u32 regno, s16 insn_off, u32 size, bool write,
			   struct xbpf_stack_span *sp, struct xbpf_frame **framep)
{
	const char *what = write ? " write to" : " read from";
	s64 fixed = (s64)base->off + insn_off, min, max;
	bool var = !xbpf_scalar_is_const(&base->s);
	struct xbpf_frame *frame = NULL;
	int err;

	err = xbpf_stack_frame(c, base, regno, &frame);
	if (err)
		return err;
	*framep = frame;
	if (size > 1 &&
	    !xbpf_tnum_is_aligned(xbpf_tnum_add(base->s.var, xbpf_tnum_const((u64)fixed)), size))
		return xbpf_reject(c, -EACCES, "misaligned stack access off (0x%llx; 0x%llx)+%d+%d size %u\n",
				   (unsigned long long)base->s.var.value,
				   (unsigned long long)base->s.var.mask, base->off, insn_off, size);
	if (!var) {
		min = (s64)base->s.var.value + fixed;
	} else {
		if (base->s.smax >= XBPF_MAX_VAR_OFF || base->s.smin <= -XBPF_MAX_VAR_OFF)
			return xbpf_reject(c, -EACCES, "invalid unbounded variable-offset%s stack R%u\n",
					   what, regno);
		min = base->s.smin + fixed;
	}
	max = (var ? base->s.smax + fixed : min) + size;
	err = !xbpf_stack_min_ok(c, frame, min, write) ? -EACCES : max > 0 ? -EINVAL : 0;
	if (err && !var)
		return xbpf_reject(c, err, "invalid%s stack R%u off=%lld size=%u\n",
				   what, regno, (long long)fixed, size);
	if (err)
		return xbpf_reject(c, err, "invalid variable-offset%s stack R%u var_off=(0x%llx; 0x%llx) size=%u\n",
				   what, regno, (unsigned long long)base->s.var.value,
				   (unsigned long long)base->s.var.mask, size);
	sp->lo = (u32)(min + XBPF_MAX_STACK);
	sp->hi = (u32)(max + XBPF_MAX_STACK);
	sp->var = var;
	xbpf_stack_depth(c, frame, sp->lo);
	return 0;
}

static u8 *xbpf_stack_kind(struct xbpf_frame *frame, u32 byte)
{
	return &frame->stack[byte / XBPF_SLOT_SIZE].kind[byte % XBPF_SLOT_SIZE];
}

/*
 * Spectre v4: if this store is bypassed, a later load sees the old bytes.
 * That is harmless only when the walk will see plain bytes (misc or zero)
 * there anyway and the new value is not a pointer.
 */
static bool xbpf_stack_store_needs_zero(struct xbpf_frame *frame, const struct xbpf_stack_span *sp,
					const struct xbpf_reg *value)
{
	u32 i;

	if (value && xbpf_reg_is_pointer(value))
		return true;
	for (i = sp->lo; i < sp->hi; i++)
		if (*xbpf_stack_kind(frame, i) != XBPF_SLOT_MISC &&
		    *xbpf_stack_kind(frame, i) != XBPF_SLOT_ZERO)
			return true;
	return false;
}

/*
 * A write somewhere in [lo, hi): every byte it may touch becomes misc (a
 * spill there is destroyed); bytes never written stay unreadable, as the
 * write may miss them.  Linux's unprivileged rule: no spill or
 * uninitialised byte in range.
 */
static int xbpf_stack_var_write(struct xbpf_check *c, struct xbpf_frame *frame,
				const struct xbpf_stack_span *sp, u32 regno,
				const struct xbpf_reg *value)
{
	struct xbpf_slot *slot;
	u32 i;
	u8 *kind;

	if (value && xbpf_reg_is_pointer(value) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R%u leaks addr into variable-offset stack\n",
				   (u32)c->env->insns[c->idx].src_reg);
	for (i = sp->lo; i < sp->hi; i++) {
		kind = xbpf_stack_kind(frame, i);
		if (!c->env->caps.allow_ptr_leaks && *kind != XBPF_SLOT_MISC &&
		    *kind != XBPF_SLOT_ZERO)
			return xbpf_reject(c, -EINVAL, "spilled ptr in range of var-offset stack write; insn %u, ptr off: %d\n",
					   c->idx, (int)i - XBPF_MAX_STACK);
	}
	for (i = sp->lo; i < sp->hi; i++) {
		slot = &frame->stack[i / XBPF_SLOT_SIZE];
		if (slot->kind[0] == XBPF_SLOT_SPILL)
			xbpf_slot_scrub(slot);
		kind = xbpf_stack_kind(frame, i);
		if (*kind != XBPF_SLOT_INVALID)
			*kind = XBPF_SLOT_MISC;
	}
	return 0;
}

/*
 * What a fixed-offset store of size bytes leaves in its slot, as Linux's
 * check_stack_write_fixed_off decides: a pointer is spilled (8 bytes
 * only); a scalar is spilled, keeping its bounds, only for bpf_capable
 * callers, only when something is known about it (a known 0 is ZERO
 * bytes instead, for everyone) and only at the start of a slot (byte is
 * the first byte written; a narrow spill fills the slot's lowest size
 * bytes); anything else is MISC bytes.
 */
static bool xbpf_stack_keeps_scalar(struct xbpf_check *c, const struct xbpf_reg *value,
				    bool st_imm, s32 imm, u32 byte)
{
	if (!c->env->caps.bpf_capable || byte % XBPF_SLOT_SIZE)
		return false;
	if (value)
		return !xbpf_scalar_is_unknown(&value->s) &&
		       !(xbpf_scalar_is_const(&value->s) && !value->s.var.value);
	return st_imm && imm;
}

/*
 * A narrow spill keeps what its size bytes hold: the value when it fits
 * them (a fill of the same size gives it back, as Linux's), else its low
 * bytes, which no longer equal the register's copies.
 */
static void xbpf_spill_truncate(struct xbpf_reg *spill, u32 size)
{
	struct xbpf_scalar m;
	u64 mask;

	if (size >= XBPF_SLOT_SIZE)
		return;
	mask = ((u64)1 << (size * 8)) - 1;
	if (spill->s.umax <= mask)
		return;
	spill->id = 0;
	xbpf_scalar_set_const(&m, mask);
	/* An AND with a constant cannot fail. */
	WARN_ON_ONCE(xbpf_scalar_alu(&spill->s, &m,
				     &(struct xbpf_insn){ .code = XBPF_ALU64 | XBPF_AND | XBPF_X }));
}

static bool xbpf_stack_store_is_zero(const struct xbpf_reg *value, bool st_imm, s32 imm)
{
	if (value)
		return value->type == XBPF_SCALAR && xbpf_scalar_is_const(&value->s) &&
		       !value->s.var.value;
	return st_imm && !imm;
}

/*
 * value: the register stored (STX), or NULL: the instruction's imm (ST,
 * st_imm) or bytes a helper wrote.  sanitize: a program's own store,
 * which Spectre v4 zeroing may have to precede (a helper's writes are not
 * instructions fixup could patch).
 */
static int xbpf_stack_store(struct xbpf_check *c, const struct xbpf_reg *base,
			    u32 regno, s16 insn_off, u32 size,
			    const struct xbpf_reg *value, bool st_imm, s32 imm, bool sanitize)
{
	struct xbpf_frame *frame = NULL;
	struct xbpf_stack_span sp;
	struct xbpf_slot *slot;
	u32 byte, i;
	u8 kind;
	int err;

	err = xbpf_stack_span(c, base, regno, insn_off, size, true, &sp, &frame);
	if (!err && sanitize)
		err = xbpf_sanitize_store(c, true, xbpf_stack_store_needs_zero(frame, &sp, value));
	if (err)
		return err;
	if (sp.var)
		return xbpf_stack_var_write(c, frame, &sp, regno, value);
	byte = sp.lo;
	slot = &frame->stack[byte / XBPF_SLOT_SIZE];

	/* Linux's rule, for a narrow spill too: its caller may not see pointers. */
	if (slot->kind[0] == XBPF_SLOT_SPILL && size != XBPF_SLOT_SIZE &&
	    !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "attempt to corrupt spilled pointer on stack\n");
	if (value && xbpf_reg_is_pointer(value)) {
		if (size != XBPF_SLOT_SIZE)
			return xbpf_reject(c, -EACCES, "invalid size of register spill\n");
		/* It would outlive the frame it points into (see calls.c). */
		if (value->type == XBPF_PTR_TO_STACK && base->frameno != c->cur->curframe)
			return xbpf_reject(c, -EINVAL, "cannot spill pointers to stack into stack frame of the caller\n");
	}
	if ((value && xbpf_reg_is_pointer(value)) ||
	    xbpf_stack_keeps_scalar(c, value, st_imm, imm, byte)) {
		/*
		 * Aligned, so within one slot, from its start: a spill keeps
		 * everything known; bytes above a narrow one are plain bytes
		 * (an older spill's included), unwritten ones stay so.
		 */
		if (slot->kind[0] == XBPF_SLOT_SPILL)
			xbpf_slot_scrub(slot);
		if (value)
			slot->spill = *value;
		else
			xbpf_reg_mark_known(&slot->spill, (u64)(s64)imm);
		xbpf_spill_truncate(&slot->spill, size);
		memset(slot->kind, XBPF_SLOT_SPILL, size);
		return 0;
	}
	/* Plain bytes: a spill here is gone, its other bytes become MISC. */
	if (slot->kind[0] == XBPF_SLOT_SPILL)
		xbpf_slot_scrub(slot);
	kind = xbpf_stack_store_is_zero(value, st_imm, imm) ? XBPF_SLOT_ZERO : XBPF_SLOT_MISC;
	for (i = 0; i < size; i++)
		slot->kind[byte % XBPF_SLOT_SIZE + i] = kind;
	return 0;
}

/*
 * Only the program's plain ST/STX may get Spectre v4 zeroing: an atomic
 * (checked through here as its store) reads the old value, which zeroing
 * would destroy, and as a locked read-modify-write no later load can
 * bypass it.
 */
static int xbpf_stack_write(struct xbpf_check *c, const struct xbpf_reg *base,
			    u32 regno, s16 insn_off, u32 size,
			    const struct xbpf_reg *value, s32 imm)
{
	u8 code = c->env->insns[c->idx].code;
	bool plain = XBPF_MODE(code) == XBPF_MEM;

	return xbpf_stack_store(c, base, regno, insn_off, size, value,
				XBPF_CLASS(code) == XBPF_ST, imm, plain);
}

/* Any size-byte window of [lo, hi): every byte must be readable. */
static int xbpf_stack_var_read(struct xbpf_check *c, struct xbpf_frame *frame,
			       const struct xbpf_reg *base, u32 regno,
			       const struct xbpf_stack_span *sp, u32 size, bool sx,
			       struct xbpf_reg *dst)
{
	const struct xbpf_slot *slot;
	u32 i;
	u8 kind;

	for (i = sp->lo; i < sp->hi; i++) {
		slot = &frame->stack[i / XBPF_SLOT_SIZE];
		kind = slot->kind[i % XBPF_SLOT_SIZE];
		if (kind == XBPF_SLOT_MISC || kind == XBPF_SLOT_ZERO)
			continue;
		if (kind == XBPF_SLOT_INVALID && xbpf_allow_uninit_stack(c))
			continue;
		if (kind == XBPF_SLOT_SPILL &&
		    (!xbpf_reg_is_pointer(&slot->spill) || c->env->caps.allow_ptr_leaks))
			continue;
		return xbpf_reject(c, -EACCES, "invalid read from stack R%u var_off (0x%llx; 0x%llx)+%u size %u\n",
				   regno, (unsigned long long)base->s.var.value,
				   (unsigned long long)base->s.var.mask, i - sp->lo, size);
	}
	xbpf_mark_loaded(dst, size, sx);
	return 0;
}

static int xbpf_stack_read(struct xbpf_check *c, const struct xbpf_reg *base,
			   u32 regno, s16 insn_off, u32 size, bool sx,
			   struct xbpf_reg *dst)
{
	struct xbpf_frame *frame = NULL;
	struct xbpf_stack_span sp;
	struct xbpf_slot *slot;
	u32 byte, first, i, zeros = 0;
	int err;

	err = xbpf_stack_span(c, base, regno, insn_off, size, false, &sp, &frame);
	if (err)
		return err;
	if (sp.var)
		return xbpf_stack_var_read(c, frame, base, regno, &sp, size, sx, dst);
	byte = sp.lo;
	slot = &frame->stack[byte / XBPF_SLOT_SIZE];
	first = byte % XBPF_SLOT_SIZE;

	/* Linux's allow_uninit_stack: bytes never written read as unknown. */
	for (i = 0; i < size; i++) {
		if (slot->kind[first + i] == XBPF_SLOT_ZERO)
			zeros++;
		if (slot->kind[first + i] == XBPF_SLOT_INVALID && !xbpf_allow_uninit_stack(c))
			return xbpf_reject(c, -EACCES, "invalid read from stack off %d+%u size %u\n",
					   (int)byte - XBPF_MAX_STACK, i, size);
	}
	/* Only zeros written there: the value is known (Linux's STACK_ZERO fill). */
	if (zeros == size) {
		xbpf_reg_mark_known(dst, 0);
		return 0;
	}
	/*
	 * The fill: the spill's own bytes, from the slot's start, give the
	 * register back (bounds survive; a narrow spill's value fits its
	 * bytes, zero-extended as the load is).  Any other load of spilled
	 * bytes is some scalar of its size, as Linux's unknown value cut to
	 * the load size.
	 */
	if (slot->kind[0] == XBPF_SLOT_SPILL) {
		if (!first && size == xbpf_slot_spill_size(slot) &&
		    (size == XBPF_SLOT_SIZE || !sx)) {
			*dst = slot->spill;
			return 0;
		}
		/* Not a scalar: a pointer, or a released one's stale address. */
		if (slot->spill.type != XBPF_SCALAR)
			return xbpf_reject(c, -EACCES, "invalid size of register fill\n");
	}
	xbpf_mark_loaded(dst, size, sx);
	return 0;
}

/* ---- ctx ---------------------------------------------------------- */

static int xbpf_ctx_mem(struct xbpf_check *c, const struct xbpf_insn *insn,
			const struct xbpf_reg *base, u32 regno, u32 size, bool write,
			const struct xbpf_reg *value, struct xbpf_reg *dst)
{
	struct xbpf_verifier_env *env = c->env;
	struct xbpf_ctx_access_info info = {};
	u32 off = (u32)(s32)insn->off;

	if (base->off)
		return xbpf_reject(c, -EACCES, "dereference of modified ctx ptr R%u off=%d disallowed\n",
				   regno, base->off);
	if (!xbpf_scalar_is_const(&base->s) || base->s.var.value)
		return xbpf_reject(c, -EACCES, "variable ctx access var_off=(0x%llx; 0x%llx) disallowed\n",
				   (unsigned long long)base->s.var.value,
				   (unsigned long long)base->s.var.mask);
	if (XBPF_CLASS(insn->code) == XBPF_ST)
		return xbpf_reject(c, -EACCES, "BPF_ST stores into R%u ctx is not allowed\n", regno);
	if (XBPF_MODE(insn->code) == XBPF_MEMSX)
		return xbpf_unsupported(c, "sign-extending context loads");
	if (write && xbpf_reg_is_pointer(value) && !env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R%u leaks addr into ctx\n", insn->src_reg);
	if (xbpf_ctx_access(env->p->prog_type, off, size, write, &info))
		return xbpf_reject(c, -EACCES, "invalid bpf_context access off=%d size=%u\n",
				   insn->off, size);
	if (!write && info.conv != XBPF_CTX_CONV_DIRECT)
		return xbpf_unsupported(c, "context fields that are computed");
	/* The test-run must supply at least this much ctx (see ctx.h). */
	if (off + size > env->ctx_max_end)
		env->ctx_max_end = off + size;
	if (write)
		return 0;
	switch (info.val) {
	case XBPF_CTX_VAL_SCALAR:
		xbpf_mark_loaded(dst, size, false);
		return 0;
	case XBPF_CTX_VAL_SOCK_COMMON_OR_NULL:
		/*
		 * Never NULL in a test run, but Linux's rule is the
		 * program's: a null check first.  The id links the copies
		 * that check clears (as a map lookup's result).
		 */
		xbpf_reg_mark_ptr(dst, XBPF_PTR_TO_SOCK_COMMON, 0);
		dst->flags = XBPF_REG_OR_NULL;
		dst->id = ++c->id_gen;
		return 0;
	default:
		return xbpf_unsupported(c, "context fields of this kind");
	}
}

/* ---- sockets ------------------------------------------------------ */

/*
 * Linux's check_mem_access for a sock_common pointer: null-checked, no
 * stores, and the field rules of check_sock_access (ctx_sock.c).  The
 * pointer is always the socket's start (no arithmetic on it).
 */
static int xbpf_sock_mem(struct xbpf_check *c, const struct xbpf_insn *insn,
			 const struct xbpf_reg *base, u32 regno, u32 size, bool write,
			 struct xbpf_reg *dst)
{
	struct xbpf_ctx_access_info info = {};
	s32 off = base->off + insn->off;

	if (base->flags & XBPF_REG_OR_NULL)
		return xbpf_reject(c, -EACCES, "R%u invalid mem access '%s'\n",
				   regno, xbpf_reg_name(base));
	if (write)
		return xbpf_reject(c, -EACCES, "R%u cannot write into %s\n",
				   regno, xbpf_reg_name(base));
	if (WARN_ON_ONCE(base->off || !xbpf_scalar_is_const(&base->s) || base->s.var.value))
		return xbpf_reject(c, -EFAULT, "verifier bug: R%u moved sock_common pointer\n",
				   regno);
	if (xbpf_sock_common_access((u32)off, size, false, &info))
		return xbpf_reject(c, -EACCES, "R%u invalid %s access off=%d size=%u\n",
				   regno, xbpf_reg_name(base), off, size);
	/* The identity conversion: the interpreter extends what it loads. */
	xbpf_mark_loaded(dst, size, XBPF_MODE(insn->code) == XBPF_MEMSX);
	return 0;
}

/*
 * Linux's bounds for a helper's access to the stack (as a write: the
 * whole frame, check_stack_access_within_bounds with ACCESS_HELPER):
 * -EACCES below the frame or at fp, -EINVAL when it runs past fp.  A
 * variable offset (bypass_spec_v1 only: sanitize.c's alu limits do not
 * cover it) spans [*lop, *hip + size).  Records the stack depth.
 */
static int xbpf_stack_helper_bounds(struct xbpf_check *c, const struct xbpf_reg *reg,
				    u32 regno, u32 size, struct xbpf_frame **framep,
				    s64 *lop, s64 *hip)
{
	bool var = !xbpf_scalar_is_const(&reg->s);
	struct xbpf_frame *frame = NULL;
	s64 lo, hi;
	int err;

	err = xbpf_stack_frame(c, reg, regno, &frame);
	if (err)
		return err;
	if (!var) {
		lo = hi = (s64)reg->off + (s64)reg->s.var.value;
		err = !xbpf_stack_min_ok(c, frame, lo, true) ? -EACCES : lo + size > 0 ? -EINVAL : 0;
		if (err)
			return xbpf_reject(c, err, "invalid indirect access to stack R%u off=%lld size=%u\n",
					   regno, (long long)lo, size);
	} else {
		if (!c->env->caps.bypass_spec_v1)
			return xbpf_reject(c, -EACCES, "R%u indirect variable offset stack access prohibited for !root, var_off=(0x%llx; 0x%llx)\n",
					   regno, (unsigned long long)reg->s.var.value,
					   (unsigned long long)reg->s.var.mask);
		if (reg->s.smax >= XBPF_MAX_VAR_OFF || reg->s.smin <= -XBPF_MAX_VAR_OFF)
			return xbpf_reject(c, -EACCES, "invalid unbounded variable-offset indirect access to stack R%u\n",
					   regno);
		lo = reg->s.smin + reg->off;
		hi = reg->s.smax + reg->off;
		err = !xbpf_stack_min_ok(c, frame, lo, true) ? -EACCES : hi + size > 0 ? -EINVAL : 0;
		if (err)
			return xbpf_reject(c, err, "invalid variable-offset indirect access to stack R%u var_off=(0x%llx; 0x%llx) size=%u\n",
					   regno, (unsigned long long)reg->s.var.value,
					   (unsigned long long)reg->s.var.mask, size);
	}
	xbpf_stack_depth(c, frame, (u32)(lo + XBPF_MAX_STACK));
	*framep = frame;
	*lop = lo;
	*hip = hi;
	return 0;
}

/*
 * Helper arguments, as Linux's check_stack_range_initialized: every byte
 * the helper may touch, [lo, hi + size), is written (a spilled pointer
 * only counts with allow_ptr_leaks: the helper would copy the address
 * somewhere readable; bytes never written only with allow_uninit_stack).
 * Linux does not know whether the helper writes there, so every byte
 * ends up MISC.  The frame may be a caller's (a pointer passed down).
 */
int xbpf_check_stack_range_read(struct xbpf_check *c, const struct xbpf_reg *reg,
				u32 regno, u32 size)
{
	struct xbpf_frame *frame = NULL;
	struct xbpf_slot *slot;
	s64 lo = 0, hi = 0, i;
	u32 byte;
	u8 *kind;
	int err;

	err = xbpf_stack_helper_bounds(c, reg, regno, size, &frame, &lo, &hi);
	if (err)
		return err;
	for (i = lo; i < hi + size; i++) {
		byte = (u32)(i + XBPF_MAX_STACK);
		slot = &frame->stack[byte / XBPF_SLOT_SIZE];
		kind = &slot->kind[byte % XBPF_SLOT_SIZE];
		switch (*kind) {
		case XBPF_SLOT_MISC:
			continue;
		case XBPF_SLOT_INVALID:
			if (!xbpf_allow_uninit_stack(c))
				break;
			fallthrough;
		case XBPF_SLOT_ZERO:
			*kind = XBPF_SLOT_MISC;
			continue;
		case XBPF_SLOT_SPILL:
			if (slot->spill.type != XBPF_SCALAR && !c->env->caps.allow_ptr_leaks)
				break;
			xbpf_slot_scrub(slot);
			continue;
		default:
			break;
		}
		if (lo == hi)
			return xbpf_reject(c, -EACCES, "invalid indirect read from stack R%u off %lld+%lld size %u\n",
					   regno, (long long)lo, (long long)(i - lo), size);
		return xbpf_reject(c, -EACCES, "invalid indirect read from stack R%u var_off (0x%llx; 0x%llx)+%lld size %u\n",
				   regno, (unsigned long long)reg->s.var.value,
				   (unsigned long long)reg->s.var.mask, (long long)(i - lo), size);
	}
	return 0;
}

/*
 * A helper that fills uninitialised memory (Linux's raw_mode): byte by
 * byte, as a program's own one-byte stores would, into whichever frame
 * the pointer reaches.  With a variable offset nobody knows which bytes
 * get written, so, as Linux does, the whole span must already be
 * initialised and is only clobbered.
 */
int xbpf_check_stack_range_write(struct xbpf_check *c, const struct xbpf_reg *reg,
				 u32 regno, u32 size)
{
	struct xbpf_frame *frame = NULL;
	s64 lo = 0, hi = 0;
	u32 i;
	int err;

	if (!xbpf_scalar_is_const(&reg->s))
		return xbpf_check_stack_range_read(c, reg, regno, size);
	err = xbpf_stack_helper_bounds(c, reg, regno, size, &frame, &lo, &hi);
	if (err)
		return err;
	for (i = 0; i < size; i++) {
		err = xbpf_stack_store(c, reg, regno, (s16)i, 1, NULL, false, 0, false);
		if (err)
			return err;
	}
	return 0;
}

/* ---- memory (PTR_TO_MEM) ------------------------------------------ */

/* Linux's __check_mem_access: one end of the access, at off from the start. */
static int xbpf_region_end(struct xbpf_check *c, const struct xbpf_reg *reg, u32 regno,
			   s64 off, u32 size, u32 mem_size, bool zero_ok, const char *which)
{
	if (off >= 0 && (size || zero_ok) && off + size <= mem_size)
		return 0;
	if (reg->type == XBPF_PTR_TO_MAP_VALUE)
		(void)xbpf_reject(c, 0, "invalid access to map value, value_size=%u off=%lld size=%u\n",
			    mem_size, (long long)off, size);
	else if (reg->type == XBPF_PTR_TO_MAP_KEY)
		(void)xbpf_reject(c, 0, "invalid access to map key, key_size=%u off=%lld size=%u\n",
			    mem_size, (long long)off, size);
	else
		(void)xbpf_reject(c, 0, "invalid access to memory, mem_size=%u off=%lld size=%u\n",
			    mem_size, (long long)off, size);
	xbpf_verbose(c->env, "R%u %s value is outside of the allowed memory range\n", regno, which);
	return -EACCES;
}

/*
 * size bytes at reg + off inside mem_size bytes, whatever reg's variable
 * offset, as Linux's check_mem_region_access: the lowest signed and the
 * highest unsigned offset are both in range.  A set with a negative
 * member has umax >= 2^63 and fails the unbounded test, so checking
 * [smin, umax] covers every member.
 */
static int xbpf_region_access(struct xbpf_check *c, const struct xbpf_reg *reg, u32 regno,
			      s32 off, u32 size, u32 mem_size, bool zero_ok)
{
	/* Both parts bounded by 2^29 (check.c's sanity checks): no overflow. */
	s64 fixed = (s64)reg->off + off, smin = reg->s.smin, lo;
	int err;

	if (smin < 0 && (smin < -((s64)1 << 32) || smin + fixed < 0))
		return xbpf_reject(c, -EACCES, "R%u min value is negative, either use unsigned index or do a if (index >=0) check.\n",
				   regno);
	/* Far out of range either way: keep the sum from overflowing. */
	lo = smin < ((s64)1 << 32) ? smin + fixed : (s64)1 << 32;
	err = xbpf_region_end(c, reg, regno, lo, size, mem_size, zero_ok, "min");
	if (err)
		return err;
	if (reg->s.umax >= XBPF_MAX_VAR_OFF)
		return xbpf_reject(c, -EACCES, "R%u unbounded memory access, make sure to bounds check any such access\n",
				   regno);
	return xbpf_region_end(c, reg, regno, (s64)reg->s.umax + fixed, size, mem_size, zero_ok,
			       "max");
}

int xbpf_check_mem_region(struct xbpf_check *c, const struct xbpf_reg *reg,
			  u32 regno, s32 off, u32 size, bool zero_ok)
{
	return xbpf_region_access(c, reg, regno, off, size, reg->mem_size, zero_ok);
}

static int xbpf_mem_mem(struct xbpf_check *c, const struct xbpf_insn *insn,
			const struct xbpf_reg *base, u32 regno, u32 size, bool write,
			const struct xbpf_reg *value, struct xbpf_reg *dst)
{
	int err;

	/* Only a null check turns a reservation's result into a pointer. */
	if (base->flags & XBPF_REG_OR_NULL)
		return xbpf_reject(c, -EACCES, "R%u invalid mem access '%s'\n",
				   regno, xbpf_reg_name(base));
	if (write && (base->flags & XBPF_REG_RDONLY))
		return xbpf_reject(c, -EACCES, "R%u cannot write into %s\n",
				   regno, xbpf_reg_name(base));
	if (write && value && xbpf_reg_is_pointer(value) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R%u leaks addr into mem\n", insn->src_reg);
	err = xbpf_check_mem_region(c, base, regno, insn->off, size, false);
	if (err)
		return err;
	if (!write)
		xbpf_mark_loaded(dst, size, XBPF_MODE(insn->code) == XBPF_MEMSX);
	return 0;
}

/* ---- map values --------------------------------------------------- */

int xbpf_check_map_value_range(struct xbpf_check *c, const struct xbpf_reg *reg,
			       u32 regno, s32 off, u32 size)
{
	if (WARN_ON_ONCE(!reg->map))
		return -EFAULT;
	return xbpf_region_access(c, reg, regno, off, size, reg->map->value_size, false);
}

/*
 * Linux's bpf_map_direct_read: the load's bytes, read now, as the
 * program would see them (sign-extended for LDSX).  Sound because
 * xbpf_map_is_rdonly() holds for ever once it holds: programs may not
 * write (RDONLY_PROG), user space may not (frozen, no writer in flight,
 * no writable mapping), and freezing cannot be undone.
 */
static int xbpf_map_direct_read(struct xbpf_check *c, const struct xbpf_reg *base,
				const struct xbpf_insn *insn, u32 size, struct xbpf_reg *dst)
{
	const struct xbpf_map *map = base->map;
	s64 off = (s64)insn->off + base->off + (s64)base->s.var.value;
	struct xbpf_scalar s;
	u64 addr = 0, val = 0;
	const u8 *p;
	u16 v16;
	u32 v32;
	int err;

	/* the range check above keeps off inside the value */
	err = map->ops->direct_value_addr(map, &addr, (u32)off);
	if (err)
		return xbpf_reject(c, err, "direct read of map value failed at off=%lld\n",
				   (long long)off);
	/* the program's load, in host order as BPF loads are */
	p = (const u8 *)(uintptr_t)addr + off;
	switch (size) {
	case 1:
		val = *p;
		break;
	case 2:
		memcpy(&v16, p, 2);
		val = v16;
		break;
	case 4:
		memcpy(&v32, p, 4);
		val = v32;
		break;
	default:
		memcpy(&val, p, 8);
		break;
	}
	if (size < 8 && XBPF_MODE(insn->code) == XBPF_MEMSX &&
	    (val & ((u64)1 << (size * 8 - 1))))
		val |= ~(((u64)1 << (size * 8)) - 1);
	xbpf_scalar_set_const(&s, val);
	xbpf_reg_mark_scalar(dst, &s);
	return 0;
}

static int xbpf_map_value_mem(struct xbpf_check *c, const struct xbpf_insn *insn,
			      const struct xbpf_reg *base, u32 regno, u32 size,
			      bool write, const struct xbpf_reg *value,
			      struct xbpf_reg *dst)
{
	const struct xbpf_map *map = base->map;
	int err;

	/* The program's view of the map, as the map's creator restricted it. */
	if (write && (map->map_flags & XBPF_F_RDONLY_PROG))
		return xbpf_reject(c, -EACCES, "write into map forbidden, value_size=%u off=%d size=%u\n",
				   map->value_size, base->off + insn->off, size);
	if (!write && (map->map_flags & XBPF_F_WRONLY_PROG))
		return xbpf_reject(c, -EACCES, "read from map forbidden, value_size=%u off=%d size=%u\n",
				   map->value_size, base->off + insn->off, size);
	if (write && value && xbpf_reg_is_pointer(value) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R%u leaks addr into map\n", insn->src_reg);
	err = xbpf_check_map_value_range(c, base, regno, insn->off, size);
	if (err)
		return err;
	if (write)
		return 0;
	/* A frozen read-only map's bytes are constants (Linux's direct read). */
	if (xbpf_scalar_is_const(&base->s) && xbpf_map_is_rdonly(map) &&
	    map->ops->direct_value_addr)
		return xbpf_map_direct_read(c, base, insn, size, dst);
	/* Whatever was stored there, the program sees only bytes. */
	xbpf_mark_loaded(dst, size, XBPF_MODE(insn->code) == XBPF_MEMSX);
	return 0;
}

/* ---- loads and stores --------------------------------------------- */

/*
 * The path's history names the slot a fixed-offset access touched,
 * whatever register held the pointer, so precision.c can follow a value
 * through spills and fills (a variable-offset read yields a fresh
 * scalar, and a variable-offset write leaves bytes, not spills).
 */
static int xbpf_stack_hist(struct xbpf_check *c, const struct xbpf_reg *base, s16 insn_off)
{
	s64 byte;

	if (!xbpf_scalar_is_const(&base->s))
		return 0;
	byte = (s64)base->off + (s64)base->s.var.value + insn_off + XBPF_MAX_STACK;
	if (WARN_ON_ONCE(byte < 0 || byte >= XBPF_MAX_STACK))
		return -EFAULT;
	return xbpf_hist_stack(c, base->frameno, (u32)byte / XBPF_SLOT_SIZE);
}


int xbpf_check_mem(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	u8 class = XBPF_CLASS(insn->code);
	u8 mode = XBPF_MODE(insn->code);
	u32 size = xbpf_ldst_bytes(insn->code);
	bool write = class != XBPF_LDX;
	u32 baseno = write ? insn->dst_reg : insn->src_reg;
	const struct xbpf_reg *value = class == XBPF_STX ? &regs[insn->src_reg] : NULL;
	struct xbpf_reg base, loaded;
	int err;

	if (mode == XBPF_ATOMIC)
		return xbpf_check_atomic(c, insn);
	if (mode != XBPF_MEM && mode != XBPF_MEMSX)
		return xbpf_unsupported(c, "this load/store mode");
	err = xbpf_check_read(c, baseno);
	if (err)
		return err;
	if (value) {
		err = xbpf_check_read(c, insn->src_reg);
		if (err)
			return err;
	}
	/* A copy: an LDX may load into its own base register. */
	base = regs[baseno];
	if (write && base.type != XBPF_PTR_TO_STACK) {
		err = xbpf_sanitize_store(c, false, false);
		if (err)
			return err;
	}

	switch (base.type) {
	case XBPF_PTR_TO_STACK:
		if (write) {
			/*
			 * What a scalar store leaves (spill, zero or misc
			 * bytes) depends on its value; only those checks
			 * look at it that care for the slots' kinds, not
			 * their values.
			 */
			if (value && value->type == XBPF_SCALAR && mode == XBPF_MEM &&
			    (!c->env->caps.allow_ptr_leaks || !c->env->caps.bypass_spec_v4)) {
				err = xbpf_mark_precise(c, insn->src_reg);
				if (err)
					return err;
			}
			err = xbpf_stack_write(c, &base, baseno, insn->off, size,
					       value, insn->imm);
			return err ?: xbpf_stack_hist(c, &base, insn->off);
		}
		err = xbpf_stack_read(c, &base, baseno, insn->off, size,
				      mode == XBPF_MEMSX, &loaded);
		if (!err)
			err = xbpf_stack_hist(c, &base, insn->off);
		break;
	case XBPF_PTR_TO_CTX:
		err = xbpf_ctx_mem(c, insn, &base, baseno, size, write, value, &loaded);
		if (err || write)
			return err;
		break;
	case XBPF_PTR_TO_MAP_VALUE:
		/* Only a null check turns a lookup's result into a pointer. */
		if (base.flags & XBPF_REG_OR_NULL)
			return xbpf_reject(c, -EACCES, "R%u invalid mem access '%s'\n",
					   baseno, xbpf_reg_name(&base));
		err = xbpf_map_value_mem(c, insn, &base, baseno, size, write, value, &loaded);
		if (err || write)
			return err;
		break;
	case XBPF_PTR_TO_MEM:
		err = xbpf_mem_mem(c, insn, &base, baseno, size, write, value, &loaded);
		if (err || write)
			return err;
		break;
	case XBPF_PTR_TO_SOCK_COMMON:
		err = xbpf_sock_mem(c, insn, &base, baseno, size, write, &loaded);
		if (err)
			return err;
		break;
	case XBPF_SCALAR:
	case XBPF_CONST_PTR_TO_MAP:
		return xbpf_reject(c, -EACCES, "R%u invalid mem access '%s'\n",
				   baseno, xbpf_reg_name(&base));
	default:
		return xbpf_unsupported(c, "memory access through this pointer type");
	}
	if (err)
		return err;
	regs[insn->dst_reg] = loaded;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The abstract interpreter's walk (docs/verifier-design.md), first slice.
 *
 * A depth-first walk of every feasible path: the current state steps
 * through the program; a conditional jump whose both arms are feasible
 * pushes a copy of the state for the taken arm onto an explicit, bounded
 * stack of pending states and goes on with the fall-through arm; EXIT
 * (or an infeasible arm) pops the next pending state.  There is no
 * pruning yet, so the walk is exponential on branchy programs: the
 * processed-instruction limit stops it.
 *
 * Handled: ALU/ALU32 on scalars, MOV of pointers, constant-offset
 * arithmetic on stack and ctx pointers, JA, JMP/JMP32 on scalars with
 * dead-branch pruning, EXIT, LDDW of a constant, stack spill/fill and
 * ctx loads and stores.  Everything else fails with -EOPNOTSUPP and a
 * "check: not yet supported: ..." line, so a success means every
 * instruction on every feasible path was checked.
 */
#include "env.h"
#include "state.h"
#include "ctx.h"

/* Branches waiting to be explored, as Linux bounds its jump sequence. */
#define XBPF_CHECK_MAX_PENDING	8192
/* A pointer's fixed offset stays within this, so off + insn->off can't wrap. */
#define XBPF_CHECK_MAX_PTR_OFF	(1 << 29)

struct xbpf_check {
	struct xbpf_verifier_env	*env;
	struct xbpf_state		*cur;
	struct xbpf_state		*pending;	/* linked through ->parent */
	u32				nr_pending;
	u32				idx;		/* the instruction being checked */
};

/* Walk step results besides -errno. */
#define XBPF_STEP_NEXT	0	/* cur->insn_idx is the next instruction */
#define XBPF_STEP_DONE	1	/* this path ended: pop a pending state */

/*
 * Logs the instruction (unless level 2 printed it already) and the reason,
 * and evaluates to err.
 */
#define xbpf_reject(c, err, fmt, ...) ({				\
	if (!xbpf_log_level2((c)->env))					\
		xbpf_verbose_insn((c)->env, (c)->idx);			\
	xbpf_verbose((c)->env, fmt, ##__VA_ARGS__);			\
	(err);								\
})

#define xbpf_unsupported(c, what) \
	xbpf_reject(c, -EOPNOTSUPP, "check: not yet supported: %s\n", what)

static const char *xbpf_alu_op_name(u8 op)
{
	static const char * const names[16] = {
		"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
		"neg", "%=", "^=", "=", "s>>=", "endian", "?", "?",
	};

	return names[op >> 4];
}

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

static int xbpf_check_read(struct xbpf_check *c, u32 regno)
{
	if (xbpf_cur_regs(c->cur)[regno].type == XBPF_NOT_INIT)
		return xbpf_reject(c, -EACCES, "R%u !read_ok\n", regno);
	return 0;
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

/* ---- ALU ---------------------------------------------------------- */

/* dst (a pointer) op= K or a constant scalar: stack and ctx only. */
static int xbpf_check_ptr_alu(struct xbpf_check *c, const struct xbpf_insn *insn,
			      struct xbpf_reg *dst, const struct xbpf_reg *src)
{
	u8 op = XBPF_OP(insn->code);
	s64 val, off;

	if (XBPF_CLASS(insn->code) != XBPF_ALU64)
		return xbpf_reject(c, -EACCES, "R%u 32-bit pointer arithmetic prohibited\n",
				   insn->dst_reg);
	if (op != XBPF_ADD && op != XBPF_SUB)
		return xbpf_reject(c, -EACCES, "R%u pointer arithmetic with %s operator prohibited\n",
				   insn->dst_reg, xbpf_alu_op_name(op));
	if (dst->type != XBPF_PTR_TO_STACK && dst->type != XBPF_PTR_TO_CTX)
		return xbpf_unsupported(c, "arithmetic on this pointer type");
	if (src) {
		if (src->type != XBPF_SCALAR)
			return xbpf_unsupported(c, "pointer-pointer arithmetic");
		if (!xbpf_scalar_is_const(&src->s))
			return xbpf_unsupported(c, "pointer arithmetic with a variable offset");
		val = (s64)src->s.var.value;
	} else {
		val = insn->imm;
	}
	/* Bounded first, so neither the negation nor the sum can overflow. */
	if (val > XBPF_CHECK_MAX_PTR_OFF || val < -XBPF_CHECK_MAX_PTR_OFF)
		return xbpf_reject(c, -EACCES, "value %lld makes %s pointer be out of bounds\n",
				   (long long)val, xbpf_reg_type_name(dst->type));
	off = op == XBPF_ADD ? dst->off + val : dst->off - val;
	if (off > XBPF_CHECK_MAX_PTR_OFF || off < -XBPF_CHECK_MAX_PTR_OFF)
		return xbpf_reject(c, -EACCES, "value %lld makes %s pointer be out of bounds\n",
				   (long long)val, xbpf_reg_type_name(dst->type));
	dst->off = (s32)off;
	return 0;
}

static int xbpf_check_alu(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	struct xbpf_reg *dst = &regs[insn->dst_reg];
	u8 op = XBPF_OP(insn->code);
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	/* END's source bit is the byte order, NEG has no source. */
	bool uses_src = XBPF_SRC(insn->code) == XBPF_X && op != XBPF_END && op != XBPF_NEG;
	const struct xbpf_reg *src = uses_src ? &regs[insn->src_reg] : NULL;
	struct xbpf_scalar res, none;
	int err;

	xbpf_scalar_set_unknown(&none);
	if (src) {
		err = xbpf_check_read(c, insn->src_reg);
		if (err)
			return err;
	}

	if (op == XBPF_MOV) {
		if (src && xbpf_reg_is_pointer(src)) {
			if (is64 && !insn->off) {
				*dst = *src;
				return 0;
			}
			/* A 32-bit or sign-extending copy keeps part of an address. */
			if (!c->env->caps.allow_ptr_leaks)
				return xbpf_reject(c, -EACCES, "R%u partial copy of pointer\n",
						   insn->src_reg);
			xbpf_reg_mark_unknown(dst);
			return 0;
		}
		/* The result depends on the source only. */
		xbpf_scalar_set_unknown(&res);
		err = xbpf_scalar_alu(&res, src ? &src->s : &none, insn);
		if (err)
			return xbpf_reject(c, err, "invalid BPF_ALU opcode %02x\n", insn->code);
		xbpf_reg_mark_scalar(dst, &res);
		return 0;
	}

	err = xbpf_check_read(c, insn->dst_reg);
	if (err)
		return err;
	if (xbpf_reg_is_pointer(dst))
		return xbpf_check_ptr_alu(c, insn, dst, src);
	if (src && xbpf_reg_is_pointer(src))
		return xbpf_unsupported(c, "scalar arithmetic with a pointer operand");

	res = dst->s;
	err = xbpf_scalar_alu(&res, src ? &src->s : &none, insn);
	if (err)
		return xbpf_reject(c, err, "invalid BPF_ALU opcode %02x\n", insn->code);
	xbpf_reg_mark_scalar(dst, &res);
	return 0;
}

/* ---- stack -------------------------------------------------------- */

/*
 * Resolves base + insn->off to a frame byte index (0..511) after the
 * bounds and alignment checks.
 */
static int xbpf_stack_byte(struct xbpf_check *c, const struct xbpf_reg *base,
			   u32 regno, s16 insn_off, u32 size, bool write, u32 *byte)
{
	struct xbpf_frame *frame = xbpf_cur_frame(c->cur);
	s64 off;

	if (base->frameno != c->cur->curframe)
		return xbpf_unsupported(c, "access to a caller's stack");
	if (!xbpf_scalar_is_const(&base->s))
		return xbpf_unsupported(c, "variable stack offsets");
	off = (s64)base->off + (s64)base->s.var.value + insn_off;
	if (off >= 0 || off < -XBPF_MAX_STACK || off + size > 0)
		return xbpf_reject(c, -EACCES, "invalid %s stack R%u off=%lld size=%u\n",
				   write ? "write to" : "read from", regno,
				   (long long)off, size);
	/* Like Linux, stack accesses are always naturally aligned. */
	if (off % size)
		return xbpf_reject(c, -EACCES, "misaligned stack access off %lld size %u\n",
				   (long long)off, size);
	if (-off > frame->allocated) {
		frame->allocated = -off;
		if (c->env->subprogs[frame->subprog].stack_depth < (u32)-off)
			c->env->subprogs[frame->subprog].stack_depth = (u32)-off;
	}
	*byte = (u32)(off + XBPF_MAX_STACK);
	return 0;
}

/* value: the register stored (STX), or NULL with imm (ST). */
static int xbpf_stack_write(struct xbpf_check *c, const struct xbpf_reg *base,
			    u32 regno, s16 insn_off, u32 size,
			    const struct xbpf_reg *value, s32 imm)
{
	struct xbpf_slot *slot;
	u32 byte, i;
	int err;

	err = xbpf_stack_byte(c, base, regno, insn_off, size, true, &byte);
	if (err)
		return err;
	slot = &xbpf_cur_frame(c->cur)->stack[byte / XBPF_SLOT_SIZE];

	if (size == XBPF_SLOT_SIZE) {
		/* Aligned, so exactly one slot: a spill keeps everything known. */
		if (value)
			slot->spill = *value;
		else
			xbpf_reg_mark_known(&slot->spill, (u64)(s64)imm);
		memset(slot->kind, XBPF_SLOT_SPILL, sizeof(slot->kind));
		return 0;
	}
	if (value && xbpf_reg_is_pointer(value))
		return xbpf_reject(c, -EACCES, "invalid size of register spill\n");
	if (slot->kind[0] == XBPF_SLOT_SPILL) {
		/* Invariant: SPILL bytes always fill the whole slot. */
		if (xbpf_reg_is_pointer(&slot->spill) && !c->env->caps.allow_ptr_leaks)
			return xbpf_reject(c, -EACCES, "attempt to corrupt spilled pointer on stack\n");
		for (i = 0; i < XBPF_SLOT_SIZE; i++)
			slot->kind[i] = XBPF_SLOT_MISC;
		xbpf_reg_mark_not_init(&slot->spill);
	}
	for (i = 0; i < size; i++)
		slot->kind[byte % XBPF_SLOT_SIZE + i] = XBPF_SLOT_MISC;
	return 0;
}

static int xbpf_stack_read(struct xbpf_check *c, const struct xbpf_reg *base,
			   u32 regno, s16 insn_off, u32 size, bool sx,
			   struct xbpf_reg *dst)
{
	struct xbpf_slot *slot;
	u32 byte, first, i;
	int err;

	err = xbpf_stack_byte(c, base, regno, insn_off, size, false, &byte);
	if (err)
		return err;
	slot = &xbpf_cur_frame(c->cur)->stack[byte / XBPF_SLOT_SIZE];
	first = byte % XBPF_SLOT_SIZE;

	for (i = 0; i < size; i++)
		if (slot->kind[first + i] == XBPF_SLOT_INVALID)
			return xbpf_reject(c, -EACCES, "invalid read from stack off %d+%u size %u\n",
					   (int)byte - XBPF_MAX_STACK, i, size);
	if (slot->kind[0] == XBPF_SLOT_SPILL) {
		if (size == XBPF_SLOT_SIZE) {
			*dst = slot->spill;	/* the fill: bounds survive */
			return 0;
		}
		if (xbpf_reg_is_pointer(&slot->spill))
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

	if (base->off || !xbpf_scalar_is_const(&base->s) || base->s.var.value)
		return xbpf_reject(c, -EACCES, "dereference of modified ctx ptr R%u off=%d disallowed\n",
				   regno, base->off);
	if (XBPF_CLASS(insn->code) == XBPF_ST)
		return xbpf_reject(c, -EACCES, "BPF_ST stores into R%u ctx is not allowed\n", regno);
	if (XBPF_MODE(insn->code) == XBPF_MEMSX)
		return xbpf_unsupported(c, "sign-extending context loads");
	if (write && xbpf_reg_is_pointer(value) && !env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R%u leaks addr into ctx\n", insn->src_reg);
	if (xbpf_ctx_access(env->p->prog_type, off, size, write, &info))
		return xbpf_reject(c, -EACCES, "invalid bpf_context access off=%d size=%u\n",
				   insn->off, size);
	if (!write && (info.val != XBPF_CTX_VAL_SCALAR || info.conv != XBPF_CTX_CONV_DIRECT))
		return xbpf_unsupported(c, "context fields that are pointers or computed");
	/* The test-run must supply at least this much ctx (see ctx.h). */
	if (off + size > env->ctx_max_end)
		env->ctx_max_end = off + size;
	if (!write)
		xbpf_mark_loaded(dst, size, false);
	return 0;
}

/* ---- loads and stores --------------------------------------------- */

static int xbpf_check_mem(struct xbpf_check *c, const struct xbpf_insn *insn)
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
		return xbpf_unsupported(c, "atomic operations");
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

	switch (base.type) {
	case XBPF_PTR_TO_STACK:
		if (write)
			return xbpf_stack_write(c, &base, baseno, insn->off, size,
						value, insn->imm);
		err = xbpf_stack_read(c, &base, baseno, insn->off, size,
				      mode == XBPF_MEMSX, &loaded);
		break;
	case XBPF_PTR_TO_CTX:
		err = xbpf_ctx_mem(c, insn, &base, baseno, size, write, value, &loaded);
		if (err || write)
			return err;
		break;
	case XBPF_SCALAR:
		return xbpf_reject(c, -EACCES, "R%u invalid mem access 'scalar'\n", baseno);
	default:
		return xbpf_unsupported(c, "memory access through this pointer type");
	}
	if (err)
		return err;
	regs[insn->dst_reg] = loaded;
	return 0;
}

static int xbpf_check_ld(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	if (!xbpf_insn_is_lddw(insn))
		return xbpf_unsupported(c, "LD_ABS/LD_IND");
	if (insn->src_reg)
		return xbpf_unsupported(c, "LDDW of map pointers and other pseudo values");
	xbpf_reg_mark_known(&xbpf_cur_regs(c->cur)[insn->dst_reg],
			    ((u64)(u32)insn[1].imm << 32) | (u32)insn->imm);
	return 0;
}

/* ---- jumps -------------------------------------------------------- */

static int xbpf_push_pending(struct xbpf_check *c, struct xbpf_state **out)
{
	struct xbpf_state *st;

	if (c->nr_pending >= XBPF_CHECK_MAX_PENDING)
		return xbpf_reject(c, -E2BIG, "too many pending states: more than %u branches to explore\n",
				   XBPF_CHECK_MAX_PENDING);
	st = xbpf_state_dup(c->cur);
	if (!st)
		return -ENOMEM;
	st->parent = c->pending;
	c->pending = st;
	c->nr_pending++;
	*out = st;
	return 0;
}

static int xbpf_check_cond(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	bool x = XBPF_SRC(insn->code) == XBPF_X;
	bool jmp32 = XBPF_CLASS(insn->code) == XBPF_JMP32;
	u32 target = (u32)xbpf_insn_target(insn, c->idx);
	struct xbpf_branch_arms arms;
	struct xbpf_scalar k;
	struct xbpf_state *taken;
	struct xbpf_reg *tregs;
	int err;

	err = xbpf_check_read(c, insn->dst_reg);
	if (!err && x)
		err = xbpf_check_read(c, insn->src_reg);
	if (err)
		return err;
	if (xbpf_reg_is_pointer(&regs[insn->dst_reg]) ||
	    (x && xbpf_reg_is_pointer(&regs[insn->src_reg])))
		return xbpf_unsupported(c, "comparisons of pointers");
	xbpf_scalar_set_const(&k, (u64)(s64)insn->imm);
	err = xbpf_scalar_branch(&regs[insn->dst_reg].s, x ? &regs[insn->src_reg].s : &k,
				 XBPF_OP(insn->code), jmp32, &arms);
	if (err)
		return xbpf_reject(c, err, "invalid BPF_JMP/JMP32 opcode %02x\n", insn->code);

	/* Only feasible arms are walked: a dead branch is never checked. */
	if (arms.taken_ok && arms.fall_ok) {
		err = xbpf_push_pending(c, &taken);
		if (err)
			return err;
		taken->insn_idx = target;
		tregs = xbpf_cur_regs(taken);
		tregs[insn->dst_reg].s = arms.taken_dst;
		if (x)
			tregs[insn->src_reg].s = arms.taken_src;
	} else if (arms.taken_ok) {
		regs[insn->dst_reg].s = arms.taken_dst;
		if (x)
			regs[insn->src_reg].s = arms.taken_src;
		c->cur->insn_idx = target;
		return XBPF_STEP_NEXT;
	} else if (!arms.fall_ok) {
		return XBPF_STEP_DONE;	/* the state itself is empty */
	}
	regs[insn->dst_reg].s = arms.fall_dst;
	if (x)
		regs[insn->src_reg].s = arms.fall_src;
	c->cur->insn_idx = c->idx + 1;
	return XBPF_STEP_NEXT;
}

static int xbpf_check_exit(struct xbpf_check *c)
{
	const struct xbpf_reg *r0 = &xbpf_cur_regs(c->cur)[0];
	int err;

	if (c->cur->curframe)
		return xbpf_unsupported(c, "returns from bpf-to-bpf calls");
	err = xbpf_check_read(c, 0);
	if (err)
		return err;
	if (xbpf_reg_is_pointer(r0) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R0 leaks addr as return value\n");
	return XBPF_STEP_DONE;
}

static int xbpf_check_jmp(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	switch (XBPF_OP(insn->code)) {
	case XBPF_CALL:
		if (xbpf_insn_is_pseudo_call(insn))
			return xbpf_unsupported(c, "bpf-to-bpf calls");
		if (xbpf_insn_is_helper_call(insn))
			return xbpf_unsupported(c, "helper calls");
		return xbpf_unsupported(c, "kfunc calls");
	case XBPF_EXIT:
		return xbpf_check_exit(c);
	case XBPF_JA:
		c->cur->insn_idx = (u32)xbpf_insn_target(insn, c->idx);
		return XBPF_STEP_NEXT;
	default:
		return xbpf_check_cond(c, insn);
	}
}

/* ---- the walk ----------------------------------------------------- */

static int xbpf_check_insn(struct xbpf_check *c)
{
	const struct xbpf_insn *insn = &c->env->insns[c->idx];
	int err;

	switch (XBPF_CLASS(insn->code)) {
	case XBPF_ALU:
	case XBPF_ALU64:
		err = xbpf_check_alu(c, insn);
		break;
	case XBPF_LDX:
	case XBPF_STX:
	case XBPF_ST:
		err = xbpf_check_mem(c, insn);
		break;
	case XBPF_LD:
		err = xbpf_check_ld(c, insn);
		if (!err)
			c->cur->insn_idx = c->idx + 2;
		return err;
	default:
		return xbpf_check_jmp(c, insn);
	}
	if (!err)
		c->cur->insn_idx = c->idx + 1;
	return err;
}

int xbpf_check(struct xbpf_verifier_env *env)
{
	struct xbpf_check c = { .env = env };
	struct xbpf_state *st;
	int err;

	c.cur = xbpf_state_alloc();
	if (!c.cur)
		return -ENOMEM;
	xbpf_state_init_entry(c.cur, env->p->prog_type);
	/* The walk's count replaces the CFG pass's in the stats line. */
	env->insn_processed = 0;

	for (;;) {
		c.idx = c.cur->insn_idx;
		/* cfg.c proved every path stays in the program and ends in EXIT. */
		if (WARN_ON_ONCE(c.idx >= env->len)) {
			err = -EFAULT;
			break;
		}
		if (++env->insn_processed > XBPF_COMPLEXITY_LIMIT_INSNS) {
			xbpf_verbose(env, "BPF program is too large. Processed %u insn\n",
				     env->insn_processed);
			err = -E2BIG;
			break;
		}
		if (!(env->insn_processed & 0xfff))
			xbpf_cond_resched();
		if (xbpf_log_level2(env))
			xbpf_verbose_insn(env, c.idx);

		err = xbpf_check_insn(&c);
		if (err < 0)
			break;
		if (err == XBPF_STEP_NEXT)
			continue;
		if (!c.pending) {
			err = 0;
			break;
		}
		xbpf_state_free(c.cur);
		c.cur = c.pending;
		c.pending = c.cur->parent;
		c.cur->parent = NULL;
		c.nr_pending--;
		if (xbpf_log_level2(env))
			xbpf_verbose(env, "from pending state to %u\n", c.cur->insn_idx);
	}

	xbpf_state_free(c.cur);
	while (c.pending) {
		st = c.pending;
		c.pending = st->parent;
		xbpf_state_free(st);
	}
	return err;
}

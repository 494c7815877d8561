// SPDX-License-Identifier: GPL-2.0
/*
 * The abstract interpreter's walk (docs/verifier-design.md), first slice.
 *
 * A depth-first walk of every feasible path: the current state steps
 * through the program; a conditional jump whose both arms are feasible
 * pushes a copy of the state for the taken arm onto an explicit, bounded
 * stack of pending states and goes on with the fall-through arm; EXIT
 * (or an infeasible arm) pops the next pending state.  At prune points
 * a path whose state an explored one includes ends early (prune.c); a
 * loop whose state keeps changing is walked until the processed-
 * instruction limit stops it.
 *
 * Handled: ALU/ALU32 on scalars, MOV of pointers, pointer arithmetic
 * by privilege (constant and variable offsets on stack, ctx and map
 * value pointers, scalar += pointer, pointer - pointer; Spectre v1 marks
 * through sanitize.c), JA, JMP/JMP32 on scalars with dead-branch
 * pruning, pointer comparisons (allow_ptr_leaks), null checks of map
 * values, EXIT, LDDW of constants, map
 * pointers and map values, loads and stores (mem.c) and helper calls
 * (helpers.c), bpf-to-bpf calls (calls.c) and LD_ABS/LD_IND (ld_abs.c).
 * Everything else fails with -EOPNOTSUPP and a
 * "check: not yet supported: ..." line, so a success means every
 * instruction on every feasible path was checked.
 */
#include "prune.h"

/* Branches waiting to be explored, as Linux bounds its jump sequence. */
#define XBPF_CHECK_MAX_PENDING	8192

/* Walk step results besides -errno. */
#define XBPF_STEP_NEXT	0	/* cur->insn_idx is the next instruction */
#define XBPF_STEP_DONE	1	/* this path ended: pop a pending state */

static const char *xbpf_alu_op_name(u8 op)
{
	static const char * const names[16] = {
		"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
		"neg", "%=", "^=", "=", "s>>=", "endian", "?", "?",
	};

	return names[op >> 4];
}

int xbpf_check_read(struct xbpf_check *c, u32 regno)
{
	if (xbpf_cur_regs(c->cur)[regno].type == XBPF_NOT_INIT)
		return xbpf_reject(c, -EACCES, "R%u !read_ok\n", regno);
	return 0;
}

/* ---- ALU ---------------------------------------------------------- */

/*
 * Linux's check_reg_sane_offset: an operand or result (a scalar, or a
 * pointer's fixed off and variable s) stays far from overflow.
 */
static int xbpf_sane_offset(struct xbpf_check *c, const struct xbpf_scalar *s, s32 off,
			    enum xbpf_reg_type type)
{
	const char *name = xbpf_reg_type_name(type);
	s64 val = (s64)s->var.value;

	if (xbpf_scalar_is_const(s) && (val >= XBPF_MAX_VAR_OFF || val <= -XBPF_MAX_VAR_OFF))
		return xbpf_reject(c, -EINVAL, "math between %s pointer and %lld is not allowed\n",
				   name, (long long)val);
	if (off >= XBPF_MAX_VAR_OFF || off <= -XBPF_MAX_VAR_OFF)
		return xbpf_reject(c, -EINVAL, "%s pointer offset %d is not allowed\n", name, off);
	if (s->smin == S64_MIN)
		return xbpf_reject(c, -EINVAL, "math between %s pointer and register with unbounded min value is not allowed\n",
				   name);
	if (s->smin >= XBPF_MAX_VAR_OFF || s->smin <= -XBPF_MAX_VAR_OFF)
		return xbpf_reject(c, -EINVAL, "value %lld makes %s pointer be out of bounds\n",
				   (long long)s->smin, name);
	return 0;
}

/*
 * The path where fixup's masking turned the offset into 0: the next
 * instruction sees dst as the pointer before the move.
 */
static int xbpf_push_masked_path(struct xbpf_check *c, u32 dstno, const struct xbpf_reg *ptr)
{
	struct xbpf_state *st = NULL;
	int err;

	err = xbpf_check_push(c, &st);
	if (err)
		return err;
	st->insn_idx = c->idx + 1;
	st->speculative = true;
	xbpf_cur_regs(st)[dstno] = *ptr;
	return 0;
}

/*
 * dst = ptr op off: pointer op= K or a scalar, or scalar op= pointer
 * (off_is_dst).  Checks in Linux's order (adjust_ptr_min_max_vals), so
 * the first reason is the same; only ADD and SUB can succeed, on stack,
 * ctx, map value and mem pointers.
 */
static int xbpf_check_ptr_alu(struct xbpf_check *c, const struct xbpf_insn *insn,
			      const struct xbpf_reg *ptrp, const struct xbpf_reg *offr,
			      bool off_is_dst)
{
	struct xbpf_reg *dst = &xbpf_cur_regs(c->cur)[insn->dst_reg];
	const struct xbpf_reg ptr = *ptrp;	/* dst may be either operand */
	struct xbpf_sanitize_info info = {};
	u8 op = XBPF_OP(insn->code);
	bool addsub = op == XBPF_ADD || op == XBPF_SUB;
	struct xbpf_scalar offs;
	struct xbpf_reg res;
	s64 val;
	int err;

	if (XBPF_CLASS(insn->code) != XBPF_ALU64) {
		/* Linux: a 32-bit difference is a scalar to whoever may see addresses. */
		if (op == XBPF_SUB && c->env->caps.allow_ptr_leaks) {
			xbpf_reg_mark_unknown(dst);
			return 0;
		}
		return xbpf_reject(c, -EACCES, "R%u 32-bit pointer arithmetic prohibited\n",
				   insn->dst_reg);
	}
	/* Copies share the id: moving one would break the null check of all. */
	if (ptr.flags & XBPF_REG_OR_NULL)
		return xbpf_reject(c, -EACCES, "R%u pointer arithmetic on %s prohibited, null-check it first\n",
				   insn->dst_reg, xbpf_reg_name(&ptr));
	/* The offset's value set decides every check below and the result. */
	if (offr) {
		err = xbpf_mark_precise(c, off_is_dst ? insn->dst_reg : insn->src_reg);
		if (err)
			return err;
	}
	if (offr)
		offs = offr->s;
	else
		xbpf_scalar_set_const(&offs, (u64)(s64)insn->imm);
	switch (ptr.type) {
	case XBPF_CONST_PTR_TO_MAP:
		/* Adding a known 0 is the one thing allowed. */
		if (xbpf_scalar_is_const(&offs) && !offs.var.value && op == XBPF_ADD)
			break;
		fallthrough;
	case XBPF_PTR_TO_PACKET_END:
	case XBPF_PTR_TO_SOCK_COMMON:	/* fields are read by name (ctx_sock.c) */
		return xbpf_reject(c, -EACCES, "R%u pointer arithmetic on %s prohibited\n",
				   insn->dst_reg, xbpf_reg_type_name(ptr.type));
	case XBPF_PTR_TO_STACK:
	case XBPF_PTR_TO_CTX:
	case XBPF_PTR_TO_MAP_VALUE:
	case XBPF_PTR_TO_MEM:
		break;
	default:
		return xbpf_unsupported(c, "arithmetic on this pointer type");
	}
	err = xbpf_sane_offset(c, &offs, 0, ptr.type);
	if (!err)
		err = xbpf_sane_offset(c, &ptr.s, ptr.off, ptr.type);
	if (!err && addsub)
		err = xbpf_sanitize_ptr_alu_begin(c, insn, &ptr, &offs, off_is_dst, &info);
	if (err)
		return err;

	res = ptr;
	switch (op) {
	case XBPF_SUB:
		if (off_is_dst)
			return xbpf_reject(c, -EACCES, "R%u tried to subtract pointer from scalar\n",
					   insn->dst_reg);
		/* As Linux (JITs may not cope): never, not even by a constant. */
		if (ptr.type == XBPF_PTR_TO_STACK)
			return xbpf_reject(c, -EACCES, "R%u subtraction from stack pointer prohibited\n",
					   insn->dst_reg);
		fallthrough;
	case XBPF_ADD:
		if (xbpf_scalar_is_const(&offs)) {
			/* Both bounded by the sanity checks: the sum fits an s32. */
			val = (s64)offs.var.value;
			res.off = (s32)(op == XBPF_ADD ? ptr.off + val : ptr.off - val);
			break;
		}
		/* The variable part takes the scalar; mem.c bounds it at each access. */
		if (xbpf_scalar_alu(&res.s, &offs,
				    &(struct xbpf_insn){ .code = XBPF_ALU64 | op | XBPF_X }))
			return xbpf_reject(c, -EFAULT, "pointer arithmetic failed\n");
		break;
	case XBPF_AND:
	case XBPF_OR:
	case XBPF_XOR:
		return xbpf_reject(c, -EACCES, "R%u bitwise operator %s on pointer prohibited\n",
				   insn->dst_reg, xbpf_alu_op_name(op));
	default:
		return xbpf_reject(c, -EACCES, "R%u pointer arithmetic with %s operator prohibited\n",
				   insn->dst_reg, xbpf_alu_op_name(op));
	}
	err = xbpf_sane_offset(c, &res.s, res.off, ptr.type);
	if (!err)
		err = xbpf_sanitize_check_bounds(c, insn, &res);
	if (!err)
		err = xbpf_sanitize_ptr_alu_commit(c, insn, &res, off_is_dst, &info);
	if (err)
		return err;
	*dst = res;
	/* A masked variable offset is 0 under misprediction: walk that too. */
	if (info.active && !xbpf_scalar_is_const(&offs))
		return xbpf_push_masked_path(c, insn->dst_reg, &ptr);
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
		/*
		 * A plain 64-bit copy of a scalar links the two registers by
		 * id, so a later branch on one bounds the other too
		 * (xbpf_sync_equal_scalars).  Constants need no link.
		 */
		if (src && is64 && !insn->off && !xbpf_scalar_is_const(&src->s)) {
			struct xbpf_reg *s = &xbpf_cur_regs(c->cur)[insn->src_reg];

			if (!s->id)
				s->id = ++c->id_gen;
			*dst = *s;
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
	/* Linux: NEG and END make a pointer a number, for whoever may see it. */
	if ((op == XBPF_NEG || op == XBPF_END) && xbpf_reg_is_pointer(dst)) {
		if (!c->env->caps.allow_ptr_leaks)
			return xbpf_reject(c, -EACCES, "R%u pointer arithmetic prohibited\n",
					   insn->dst_reg);
		xbpf_reg_mark_unknown(dst);
		return 0;
	}
	if (xbpf_reg_is_pointer(dst) && src && xbpf_reg_is_pointer(src)) {
		/* Only a difference of addresses, and only to whoever may see them. */
		if (op == XBPF_SUB && c->env->caps.allow_ptr_leaks) {
			xbpf_reg_mark_unknown(dst);
			return 0;
		}
		return xbpf_reject(c, -EACCES, "R%u pointer %s pointer prohibited\n",
				   insn->dst_reg, xbpf_alu_op_name(op));
	}
	if (xbpf_reg_is_pointer(dst))
		return xbpf_check_ptr_alu(c, insn, dst, src, false);
	if (src && xbpf_reg_is_pointer(src))
		return xbpf_check_ptr_alu(c, insn, src, dst, true);
	/* The same instruction must not be masked as pointer arithmetic on another path. */
	if (is64 && (op == XBPF_ADD || op == XBPF_SUB)) {
		err = xbpf_sanitize_val_alu(c, insn);
		if (err)
			return err;
	}

	res = dst->s;
	err = xbpf_scalar_alu(&res, src ? &src->s : &none, insn);
	if (err)
		return xbpf_reject(c, err, "invalid BPF_ALU opcode %02x\n", insn->code);
	xbpf_reg_mark_scalar(dst, &res);
	return 0;
}


static int xbpf_check_ld(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_reg *dst;
	const struct xbpf_insn_aux *aux = &c->env->aux[c->idx];

	if (!xbpf_insn_is_lddw(insn))
		return xbpf_check_ld_abs(c, insn);
	dst = &xbpf_cur_regs(c->cur)[insn->dst_reg];
	switch (insn->src_reg) {
	case 0:
		xbpf_reg_mark_known(dst, ((u64)(u32)insn[1].imm << 32) | (u32)insn->imm);
		return 0;
	case XBPF_PSEUDO_MAP_FD:
	case XBPF_PSEUDO_MAP_VALUE:
		/* resolve.c found the map (and checked the value offset). */
		if (WARN_ON_ONCE(!aux->map))
			return -EFAULT;
		if (insn->src_reg == XBPF_PSEUDO_MAP_FD)
			xbpf_reg_mark_ptr(dst, XBPF_CONST_PTR_TO_MAP, 0);
		else
			xbpf_reg_mark_ptr(dst, XBPF_PTR_TO_MAP_VALUE, (s32)aux->map_off);
		dst->map = aux->map;
		return 0;
	default:
		return xbpf_unsupported(c, "LDDW of this pseudo value");
	}
}

/* ---- jumps -------------------------------------------------------- */

int xbpf_check_push(struct xbpf_check *c, struct xbpf_state **out)
{
	struct xbpf_state *st;

	if (c->nr_pending >= XBPF_CHECK_MAX_PENDING)
		return xbpf_reject(c, -E2BIG, "too many pending states: more than %u branches to explore\n",
				   XBPF_CHECK_MAX_PENDING);
	st = xbpf_state_dup(c->cur);
	if (!st)
		return -ENOMEM;
	xbpf_prune_branch(c, st);
	/* For the log when this state is popped (log_state.c). */
	st->prev_insn_idx = c->idx;
	st->log_pos = xbpf_log_pos(c->env->log);
	st->parent = c->pending;
	c->pending = st;
	c->nr_pending++;
	*out = st;
	return 0;
}

static void xbpf_reg_null_checked(struct xbpf_reg *reg, u32 id, bool is_null)
{
	if (!(reg->flags & XBPF_REG_OR_NULL) || reg->id != id)
		return;
	if (is_null)
		xbpf_reg_mark_known(reg, 0);
	else
		reg->flags &= ~XBPF_REG_OR_NULL;
}

/* Every copy of the checked pointer, in registers or spilled, learns the result. */
static void xbpf_state_null_checked(struct xbpf_state *st, u32 id, bool is_null)
{
	struct xbpf_frame *f;
	u32 i, j;

	for (i = 0; i <= st->curframe; i++) {
		f = st->frames[i];
		for (j = 0; j < XBPF_REG_COUNT; j++)
			xbpf_reg_null_checked(&f->regs[j], id, is_null);
		for (j = 0; j < XBPF_STACK_SLOTS; j++)
			if (f->stack[j].kind[0] == XBPF_SLOT_SPILL)
				xbpf_reg_null_checked(&f->stack[j].spill, id, is_null);
	}
}

/* "if rX == 0" or "!= 0" (JMP, K) on a pointer that may be NULL. */
static bool xbpf_is_null_check(const struct xbpf_insn *insn, const struct xbpf_reg *dst)
{
	u8 op = XBPF_OP(insn->code);

	return XBPF_CLASS(insn->code) == XBPF_JMP && XBPF_SRC(insn->code) == XBPF_K &&
	       !insn->imm && (op == XBPF_JEQ || op == XBPF_JNE) &&
	       (dst->flags & XBPF_REG_OR_NULL);
}

static int xbpf_check_null_cmp(struct xbpf_check *c, const struct xbpf_insn *insn,
			       u32 target)
{
	const struct xbpf_reg *dst = &xbpf_cur_regs(c->cur)[insn->dst_reg];
	u32 id = dst->id;
	bool acquired = dst->ref_obj_id && dst->ref_obj_id == id;
	bool taken_is_null = XBPF_OP(insn->code) == XBPF_JEQ;
	struct xbpf_state *taken = NULL;
	int err;

	err = xbpf_check_push(c, &taken);
	if (err)
		return err;
	taken->insn_idx = target;
	/* On the NULL arm nothing was acquired. */
	if (acquired)
		WARN_ON_ONCE(!xbpf_ref_drop(taken_is_null ? taken : c->cur, id));
	xbpf_state_null_checked(taken, id, taken_is_null);
	xbpf_state_null_checked(c->cur, id, !taken_is_null);
	c->cur->insn_idx = c->idx + 1;
	return XBPF_STEP_NEXT;
}

/*
 * Linux's is_branch_taken for a pointer: one that is never NULL (a map
 * value or key or a socket, not or-null) compared for (in)equality with a known 0
 * (the immediate, or a scalar whose compared bits are the constant 0)
 * has a known outcome, whatever the privilege: 1 taken, 0 not, -1 not
 * decided.  Deciding it reveals nothing about the address.
 */
static int xbpf_ptr_branch_taken(const struct xbpf_insn *insn, const struct xbpf_reg *dst,
				 const struct xbpf_reg *src)
{
	bool jmp32 = XBPF_CLASS(insn->code) == XBPF_JMP32;
	u8 op = XBPF_OP(insn->code);
	u64 mask = jmp32 ? 0xffffffffULL : ~0ULL;

	if ((dst->type != XBPF_PTR_TO_MAP_VALUE && dst->type != XBPF_PTR_TO_MAP_KEY &&
	     dst->type != XBPF_PTR_TO_SOCK_COMMON) ||
	    (dst->flags & XBPF_REG_OR_NULL) || (op != XBPF_JEQ && op != XBPF_JNE))
		return -1;
	if (!src) {
		if (insn->imm)
			return -1;
	} else if (src->type != XBPF_SCALAR || (src->s.var.mask & mask) ||
		   (src->s.var.value & mask)) {
		return -1;
	}
	return op == XBPF_JNE;
}

/*
 * A comparison involving a pointer: its outcome tells the program about
 * an address, so only allow_ptr_leaks may make it.  Nothing is refined
 * and both arms are walked.
 */
static int xbpf_check_ptr_cmp(struct xbpf_check *c, const struct xbpf_insn *insn, u32 target)
{
	const struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	struct xbpf_state *taken = NULL;
	int err;

	if (!c->env->caps.allow_ptr_leaks) {
		/* Linux names the source first. */
		if (XBPF_SRC(insn->code) == XBPF_X && xbpf_reg_is_pointer(&regs[insn->src_reg]))
			return xbpf_reject(c, -EACCES, "R%u pointer comparison prohibited\n",
					   insn->src_reg);
		return xbpf_reject(c, -EACCES, "R%u pointer comparison prohibited\n",
				   insn->dst_reg);
	}
	err = xbpf_check_push(c, &taken);
	if (err)
		return err;
	taken->insn_idx = target;
	c->cur->insn_idx = c->idx + 1;
	return XBPF_STEP_NEXT;
}

/*
 * After a branch refined regno in st: every scalar copy of it (same id,
 * in any frame, in registers or spilled) holds the same value, so it
 * learns the same bounds.
 */
static void xbpf_sync_equal_scalars(struct xbpf_state *st, u32 regno)
{
	const struct xbpf_reg *known = &xbpf_cur_regs(st)[regno];
	struct xbpf_frame *f;
	struct xbpf_reg *r;
	u32 i, j;

	if (known->type != XBPF_SCALAR || !known->id)
		return;
	for (i = 0; i <= st->curframe; i++) {
		f = st->frames[i];
		for (j = 0; j < XBPF_REG_COUNT; j++) {
			r = &f->regs[j];
			if (r != known && r->type == XBPF_SCALAR && r->id == known->id)
				r->s = known->s;
		}
		for (j = 0; j < XBPF_STACK_SLOTS; j++) {
			r = &f->stack[j].spill;
			if (f->stack[j].kind[0] == XBPF_SLOT_SPILL && r->type == XBPF_SCALAR &&
			    r->id == known->id)
				r->s = known->s;
		}
	}
}

/* Both registers of a branch, after their refinement in st. */
static void xbpf_sync_branch(struct xbpf_state *st, const struct xbpf_insn *insn, bool x)
{
	xbpf_sync_equal_scalars(st, insn->dst_reg);
	if (x)
		xbpf_sync_equal_scalars(st, insn->src_reg);
}

/* The arm starting at idx, which a mispredicted branch runs. */
static int xbpf_push_speculative_arm(struct xbpf_check *c, const struct xbpf_insn *insn,
				     u32 idx)
{
	struct xbpf_state *st = NULL;
	struct xbpf_reg *regs;
	int err;

	err = xbpf_check_push(c, &st);
	if (err)
		return err;
	st->insn_idx = idx;
	st->speculative = true;
	regs = xbpf_cur_regs(st);
	xbpf_reg_mark_unknown(&regs[insn->dst_reg]);
	if (XBPF_SRC(insn->code) == XBPF_X)
		xbpf_reg_mark_unknown(&regs[insn->src_reg]);
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
	struct xbpf_state *taken = NULL;
	struct xbpf_reg *tregs;
	int err, pred;

	err = xbpf_check_read(c, insn->dst_reg);
	if (!err && x)
		err = xbpf_check_read(c, insn->src_reg);
	if (err)
		return err;
	if (xbpf_is_null_check(insn, &regs[insn->dst_reg]))
		return xbpf_check_null_cmp(c, insn, target);
	/* A pointer source is never decided: ptr_cmp below refuses it unprivileged. */
	pred = xbpf_ptr_branch_taken(insn, &regs[insn->dst_reg], x ? &regs[insn->src_reg] : NULL);
	if (pred >= 0) {
		/* A mispredicting CPU runs the other arm (see below). */
		if (!c->env->caps.bypass_spec_v1) {
			err = xbpf_push_speculative_arm(c, insn, pred ? c->idx + 1 : target);
			if (err)
				return err;
		}
		c->cur->insn_idx = pred ? target : c->idx + 1;
		return XBPF_STEP_NEXT;
	}
	if (xbpf_reg_is_pointer(&regs[insn->dst_reg]) ||
	    (x && xbpf_reg_is_pointer(&regs[insn->src_reg])))
		return xbpf_check_ptr_cmp(c, insn, target);
	/* Before either arm is copied: the copies refined below by id. */
	err = xbpf_hist_links(c, insn);
	if (err)
		return err;
	xbpf_scalar_set_const(&k, (u64)(s64)insn->imm);
	err = xbpf_scalar_branch(&regs[insn->dst_reg].s, x ? &regs[insn->src_reg].s : &k,
				 XBPF_OP(insn->code), jmp32, &arms);
	if (err)
		return xbpf_reject(c, err, "invalid BPF_JMP/JMP32 opcode %02x\n", insn->code);
	/*
	 * An arm left unwalked because of the operands' bounds: another
	 * path may prune here only if its operands rule it out as well.
	 */
	if (!arms.taken_ok || !arms.fall_ok) {
		err = xbpf_mark_precise(c, insn->dst_reg);
		if (!err && x)
			err = xbpf_mark_precise(c, insn->src_reg);
		if (err)
			return err;
	}

	/*
	 * A dead arm is not walked as a real path, but a CPU that
	 * mispredicts the branch runs it: without bypass_spec_v1 it is
	 * walked as a speculative one, knowing nothing about the compared
	 * registers (Linux's sanitize_speculative_path).
	 */
	if (arms.taken_ok != arms.fall_ok && !c->env->caps.bypass_spec_v1) {
		err = xbpf_push_speculative_arm(c, insn, arms.taken_ok ? c->idx + 1 : target);
		if (err)
			return err;
	}
	if (arms.taken_ok && arms.fall_ok) {
		err = xbpf_check_push(c, &taken);
		if (err)
			return err;
		taken->insn_idx = target;
		tregs = xbpf_cur_regs(taken);
		tregs[insn->dst_reg].s = arms.taken_dst;
		if (x)
			tregs[insn->src_reg].s = arms.taken_src;
		xbpf_sync_branch(taken, insn, x);
	} else if (arms.taken_ok) {
		regs[insn->dst_reg].s = arms.taken_dst;
		if (x)
			regs[insn->src_reg].s = arms.taken_src;
		xbpf_sync_branch(c->cur, insn, x);
		c->cur->insn_idx = target;
		return XBPF_STEP_NEXT;
	} else if (!arms.fall_ok) {
		return XBPF_STEP_DONE;	/* the state itself is empty */
	}
	regs[insn->dst_reg].s = arms.fall_dst;
	if (x)
		regs[insn->src_reg].s = arms.fall_src;
	xbpf_sync_branch(c->cur, insn, x);
	c->cur->insn_idx = c->idx + 1;
	return XBPF_STEP_NEXT;
}

static int xbpf_check_exit(struct xbpf_check *c)
{
	const struct xbpf_reg *r0 = &xbpf_cur_regs(c->cur)[0];
	int err;

	if (c->cur->curframe) {
		err = xbpf_check_subprog_exit(c);
		return err ?: XBPF_STEP_NEXT;
	}
	/* References outlive subprogram returns: only the main exit checks. */
	err = xbpf_ref_check_leak(c);
	if (err)
		return err;
	err = xbpf_check_read(c, 0);
	if (err)
		return err;
	if (xbpf_reg_is_pointer(r0) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R0 leaks addr as return value\n");
	return XBPF_STEP_DONE;
}

static int xbpf_check_jmp(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	int err;

	switch (XBPF_OP(insn->code)) {
	case XBPF_CALL:
		if (xbpf_insn_is_pseudo_call(insn)) {
			err = xbpf_check_pseudo_call(c, insn);
			return err ?: XBPF_STEP_NEXT;
		}
		if (xbpf_insn_is_helper_call(insn)) {
			err = xbpf_check_helper_call(c, insn);
			if (err)
				return err;
			c->cur->insn_idx = c->idx + 1;
			return XBPF_STEP_NEXT;
		}
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
			c->cur->insn_idx = c->idx + (xbpf_insn_is_lddw(insn) ? 2 : 1);
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
	err = xbpf_prune_init(&c);
	if (err)
		goto out;
	xbpf_log_walk_start(&c);

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
		/* As in Linux, a pruned path ends before its insn is logged. */
		if (env->aux[c.idx].flags & XBPF_AUX_PRUNE_POINT) {
			err = xbpf_prune_visit(&c);
			if (err < 0)
				break;
			if (err) {
				/* Linux's words, at every level that traces insns. */
				if (xbpf_log_insns(env) && c.log.from)
					xbpf_verbose(env, "\nfrom %u to %u%s: safe\n", c.log.from_idx,
						     c.idx, c.cur->speculative ?
						     " (speculative execution)" : "");
				else if (xbpf_log_insns(env))
					xbpf_verbose(env, "%u: safe\n", c.idx);
				c.log.from = false;
				goto path_end;
			}
		}
		if (xbpf_insn_is_jmp_class(&env->insns[c.idx]))
			c.jmps_processed++;
		xbpf_log_walk_insn(&c);

		err = xbpf_check_insn(&c);
		if (err < 0)
			break;
		xbpf_log_walk_done(&c, err == XBPF_STEP_DONE);
		if (err == XBPF_STEP_NEXT) {
			/* Precision backtracking follows the path through its jumps. */
			if (c.cur->insn_idx != c.idx + (xbpf_insn_is_lddw(&env->insns[c.idx]) ? 2 : 1)) {
				err = xbpf_hist_jmp(&c, c.cur, c.idx, c.cur->insn_idx);
				if (err)
					break;
			}
			continue;
		}
path_end:
		/* Exit, an empty state or pruned: the recorded states above lose a path. */
		xbpf_prune_path_end(&c);
		if (!c.pending) {
			err = 0;
			break;
		}
		xbpf_state_free(c.cur);
		c.cur = c.pending;
		c.pending = c.cur->parent;
		c.cur->parent = NULL;
		c.nr_pending--;
		/* It resumes where the insn that pushed it sent it. */
		err = xbpf_hist_jmp(&c, c.cur, c.cur->prev_insn_idx, c.cur->insn_idx);
		if (err)
			break;
		xbpf_log_walk_pop(&c);
	}
	/* Every path walked: the stack depths are final. */
	if (!err)
		err = xbpf_check_max_stack_depth(env);

out:
	xbpf_state_free(c.cur);
	while (c.pending) {
		st = c.pending;
		c.pending = st->parent;
		xbpf_state_free(st);
	}
	xbpf_prune_free(&c);
	return err;
}

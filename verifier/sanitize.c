// SPDX-License-Identifier: GPL-2.0
/*
 * Spectre mitigations for callers without bypass_spec_v1/v4
 * (docs/verifier-design.md, sanitize.c), after Linux's design:
 *
 * v1: an ALU64 ADD/SUB of a map value or stack pointer and a scalar
 * register gets an alu limit, the largest move (in bytes) the walk
 * allowed on that path.  Fixup clamps the scalar before the instruction:
 * a value outside [0, alu_limit] (a mispredicted bounds check) becomes 0,
 * so the pointer stays where the walk already checked it; the walk
 * follows that "offset 0" outcome as an extra path (check.c).  A constant
 * scalar is replaced by the limit itself, an immediate no load can
 * change.  Every path through the instruction must agree on the masking
 * (and scalar-only paths on having none): fixup emits one sequence.
 *
 * v4: a stack store that makes the walk believe more than the bytes can
 * show if the store is bypassed (a pointer or a known value over other
 * bytes, or any store over uninitialised or spilled bytes) gets a store
 * of zero to the same bytes just before it.
 */
#include "check.h"

/* Linux's reasons, for the messages. */
enum {
	XBPF_REASON_BOUNDS = 1,
	XBPF_REASON_TYPE,
	XBPF_REASON_PATHS,
	XBPF_REASON_LIMIT,
};

static int xbpf_sanitize_err(struct xbpf_check *c, const struct xbpf_insn *insn, int reason,
			     bool off_is_dst)
{
	static const char *why = "pointer arithmetic with it prohibited for !root";
	const char *op = XBPF_OP(insn->code) == XBPF_ADD ? "add" : "sub";
	u32 dst = insn->dst_reg, src = insn->src_reg;

	switch (reason) {
	case XBPF_REASON_BOUNDS:
		return xbpf_reject(c, -EACCES, "R%u has unknown scalar with mixed signed bounds, %s\n",
				   off_is_dst ? dst : src, why);
	case XBPF_REASON_TYPE:
		return xbpf_reject(c, -EACCES, "R%u has pointer with unsupported alu operation, %s\n",
				   off_is_dst ? src : dst, why);
	case XBPF_REASON_PATHS:
		return xbpf_reject(c, -EACCES, "R%u tried to %s from different maps, paths or scalars, %s\n",
				   dst, op, why);
	default:
		return xbpf_reject(c, -EACCES, "R%u tried to %s beyond pointer bounds, %s\n",
				   dst, op, why);
	}
}

/*
 * Where ptr sits, measured in the direction of the move: for a map value
 * its lowest (moving left) or highest (moving right) offset, for the
 * stack its distance below the frame pointer.  Must be in [0, max).
 */
static int xbpf_ptr_limit(const struct xbpf_reg *ptr, bool to_left, s64 *limit)
{
	s64 lim, max;

	switch (ptr->type) {
	case XBPF_PTR_TO_STACK:
		/* The walk refuses variable stack offsets without bypass_spec_v1. */
		if (!xbpf_scalar_is_const(&ptr->s))
			return XBPF_REASON_TYPE;
		/* fp itself is out of bounds but a fine start to the left. */
		max = XBPF_MAX_STACK + to_left;
		lim = -((s64)ptr->s.var.value + ptr->off);
		break;
	case XBPF_PTR_TO_MAP_VALUE:
		max = ptr->map->value_size;
		/* Bounded so the sum can't overflow; out of range means out of bounds. */
		if (ptr->s.smin <= -XBPF_MAX_VAR_OFF || ptr->s.umax >= XBPF_MAX_VAR_OFF)
			return XBPF_REASON_LIMIT;
		lim = (to_left ? ptr->s.smin : (s64)ptr->s.umax) + ptr->off;
		break;
	default:
		return XBPF_REASON_TYPE;
	}
	if (lim < 0 || lim >= max)
		return XBPF_REASON_LIMIT;
	*limit = lim;
	return 0;
}

static bool xbpf_sanitize_skip(const struct xbpf_check *c, const struct xbpf_insn *insn)
{
	return c->env->caps.bypass_spec_v1 || XBPF_SRC(insn->code) == XBPF_K;
}

/* One masking for every path through the instruction. */
static int xbpf_alu_state_update(struct xbpf_check *c, u8 state, u32 limit)
{
	struct xbpf_insn_aux *aux = &c->env->aux[c->idx];

	if (aux->alu_state && (aux->alu_state != state || aux->alu_limit != limit))
		return XBPF_REASON_PATHS;
	aux->alu_state = state;
	aux->alu_limit = limit;
	return 0;
}

int xbpf_sanitize_val_alu(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	int err;

	if (xbpf_sanitize_skip(c, insn) || c->cur->speculative)
		return 0;
	err = xbpf_alu_state_update(c, XBPF_ALU_NON_POINTER, 0);
	return err ? xbpf_sanitize_err(c, insn, err, false) : 0;
}

int xbpf_sanitize_ptr_alu_begin(struct xbpf_check *c, const struct xbpf_insn *insn,
				const struct xbpf_reg *ptr, const struct xbpf_scalar *off,
				bool off_is_dst, struct xbpf_sanitize_info *info)
{
	bool neg = off->smin < 0, imm = xbpf_scalar_is_const(off);
	u8 op = XBPF_OP(insn->code);
	int err;

	memset(info, 0, sizeof(*info));
	if (xbpf_sanitize_skip(c, insn))
		return 0;
	info->active = true;
	/* A speculative path only checks accesses; the marks come from the others. */
	if (c->cur->speculative)
		return 0;
	/* Masking works on a magnitude: the sign must be the same for every value. */
	if (!imm && neg != (off->smax < 0))
		return xbpf_sanitize_err(c, insn, XBPF_REASON_BOUNDS, off_is_dst);
	info->to_left = (op == XBPF_ADD && neg) || (op == XBPF_SUB && !neg);
	err = xbpf_ptr_limit(ptr, info->to_left, &info->before);
	if (err)
		return xbpf_sanitize_err(c, insn, err, off_is_dst);
	info->state = XBPF_ALU_SANITIZE | (neg ? XBPF_ALU_NEG_VALUE : 0) |
		      (imm ? XBPF_ALU_IMMEDIATE : 0) | (off_is_dst ? XBPF_ALU_OFF_IN_DST : 0);
	return 0;
}

int xbpf_sanitize_ptr_alu_commit(struct xbpf_check *c, const struct xbpf_insn *insn,
				 const struct xbpf_reg *res, bool off_is_dst,
				 const struct xbpf_sanitize_info *info)
{
	s64 after, limit;
	int err;

	if (!info->active || c->cur->speculative)
		return 0;
	err = xbpf_ptr_limit(res, info->to_left, &after);
	if (err)
		return xbpf_sanitize_err(c, insn, err, off_is_dst);
	limit = info->before > after ? info->before - after : after - info->before;
	/* A variable move of 0 would be a constant; a zero limit can't mask INT64_MIN. */
	if (!(info->state & XBPF_ALU_IMMEDIATE) && !limit)
		return xbpf_sanitize_err(c, insn, XBPF_REASON_LIMIT, off_is_dst);
	err = xbpf_alu_state_update(c, info->state, (u32)limit);
	return err ? xbpf_sanitize_err(c, insn, err, off_is_dst) : 0;
}

/* Without bypass_spec_v1 the result must stay inside its object, so masking can keep it there. */
int xbpf_sanitize_check_bounds(struct xbpf_check *c, const struct xbpf_insn *insn,
			       const struct xbpf_reg *res)
{
	u32 dst = insn->dst_reg;
	s64 off;

	if (c->env->caps.bypass_spec_v1)
		return 0;
	switch (res->type) {
	case XBPF_PTR_TO_STACK:
		off = (s64)res->off + (s64)res->s.var.value;
		if (!xbpf_scalar_is_const(&res->s))
			return xbpf_reject(c, -EACCES, "R%u variable stack access prohibited for !root, var_off=(0x%llx; 0x%llx) off=%d\n",
					   dst, (unsigned long long)res->s.var.value,
					   (unsigned long long)res->s.var.mask, (int)off);
		if (off >= 0 || off < -XBPF_MAX_STACK)
			return xbpf_reject(c, -EACCES, "R%u stack pointer arithmetic goes out of range, prohibited for !root; off=%d\n",
					   dst, (int)off);
		return 0;
	case XBPF_PTR_TO_MAP_VALUE:
		if (xbpf_check_map_value_range(c, res, dst, 0, 1)) {
			xbpf_verbose(c->env, "R%u pointer arithmetic of map value goes out of range, prohibited for !root\n",
				     dst);
			return -EACCES;
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * v4: the walk calls this for every store.  stack: the base is a stack
 * pointer; zero: the store needs the zeroing (only asked for stack
 * stores).  The zeroing store uses the instruction's own base register,
 * so it must be a stack pointer on every path (a zero written first into
 * a map value could be seen by another CPU).
 */
int xbpf_sanitize_store(struct xbpf_check *c, bool stack, bool zero)
{
	struct xbpf_insn_aux *aux = &c->env->aux[c->idx];

	/* As for v1: a speculative path checks accesses and leaves no marks. */
	if (c->env->caps.bypass_spec_v4 || c->cur->speculative)
		return 0;
	if (!stack)
		aux->spec |= XBPF_SPEC_NONSTACK;
	else if (zero)
		aux->spec |= XBPF_SPEC_ZERO_STORE;
	if ((aux->spec & XBPF_SPEC_NONSTACK) && (aux->spec & XBPF_SPEC_ZERO_STORE))
		return xbpf_unsupported(c, "a store sanitized for the stack on one path and not the stack on another");
	return 0;
}

/* ---- fixup -------------------------------------------------------- */

static struct xbpf_insn xbpf_mk(u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	struct xbpf_insn insn = { .code = code, .dst_reg = dst, .src_reg = src,
				  .off = off, .imm = imm };

	return insn;
}

/*
 * off (a register) becomes itself when in [0, limit], else 0, in AX:
 * limit - off and off are both non-negative exactly then, so the sign
 * bit of their OR is clear and -(...) >> 63 is all ones (limit > 0 rules
 * out the one exception, off == INT64_MIN).
 */
u32 xbpf_sanitize_mask_seq(struct xbpf_insn *out, u32 off_reg, u32 limit)
{
	struct xbpf_insn *p = out;

	*p++ = xbpf_mk(XBPF_ALU | XBPF_MOV | XBPF_K, XBPF_REG_AX, 0, 0,
					      (s32)limit);
	*p++ = xbpf_mk(XBPF_ALU64 | XBPF_SUB | XBPF_X, XBPF_REG_AX,
					      off_reg, 0, 0);
	*p++ = xbpf_mk(XBPF_ALU64 | XBPF_OR | XBPF_X, XBPF_REG_AX,
					      off_reg, 0, 0);
	*p++ = xbpf_mk(XBPF_ALU64 | XBPF_NEG | XBPF_K, XBPF_REG_AX, 0, 0, 0);
	*p++ = xbpf_mk(XBPF_ALU64 | XBPF_ARSH | XBPF_K, XBPF_REG_AX, 0, 0, 63);
	*p++ = xbpf_mk(XBPF_ALU64 | XBPF_AND | XBPF_X, XBPF_REG_AX,
					      off_reg, 0, 0);
	return p - out;
}

static int xbpf_fixup_alu(struct xbpf_verifier_env *env, u32 *i)
{
	/* Copies: patching reallocates env->aux. */
	u8 state = env->aux[*i].alu_state;
	u32 limit = env->aux[*i].alu_limit;
	struct xbpf_insn buf[10], *p = buf, insn = env->prog->insns[*i];
	struct xbpf_insn negate;
	bool neg = state & XBPF_ALU_NEG_VALUE;
	bool in_dst = state & XBPF_ALU_OFF_IN_DST;
	u32 off_reg = in_dst ? insn.dst_reg : insn.src_reg, cnt;
	int err;

	/* Only ALU64 ADD/SUB X reach here: the walk marks nothing else. */
	if (WARN_ON_ONCE(insn.code != (XBPF_ALU64 | XBPF_ADD | XBPF_X) &&
			 insn.code != (XBPF_ALU64 | XBPF_SUB | XBPF_X)))
		return -EFAULT;
	negate = xbpf_mk(XBPF_ALU64 | XBPF_MUL | XBPF_K, off_reg, 0, 0, -1);
	if (state & XBPF_ALU_IMMEDIATE) {
		*p++ = xbpf_mk(XBPF_ALU | XBPF_MOV | XBPF_K, XBPF_REG_AX,
						      0, 0, (s32)limit);
	} else {
		if (neg)
			*p++ = negate;
		p += xbpf_sanitize_mask_seq(p, off_reg, limit);
	}
	/* scalar += pointer: dst becomes the pointer, AX holds the offset. */
	if (in_dst)
		*p++ = xbpf_mk(XBPF_ALU64 | XBPF_MOV | XBPF_X,
						      insn.dst_reg, insn.src_reg, 0, 0);
	cnt = p - buf;
	err = xbpf_patch_insert(env, *i, buf, cnt);
	if (err)
		return err;
	*i += cnt;
	/* The magnitude moves the other way. */
	env->prog->insns[*i].src_reg = XBPF_REG_AX;
	if (neg)
		env->prog->insns[*i].code ^= XBPF_ADD ^ XBPF_SUB;
	/* The program's own offset register gets its value back. */
	if (neg && !in_dst && !(state & XBPF_ALU_IMMEDIATE)) {
		err = xbpf_patch_insert_after(env, *i, &negate, 1);
		if (err)
			return err;
		*i += 1;
	}
	return 0;
}

static int xbpf_fixup_store(struct xbpf_verifier_env *env, u32 *i)
{
	const struct xbpf_insn *insn = &env->prog->insns[*i];
	struct xbpf_insn zero;
	int err;

	if (WARN_ON_ONCE(XBPF_CLASS(insn->code) != XBPF_ST && XBPF_CLASS(insn->code) != XBPF_STX) ||
	    WARN_ON_ONCE(XBPF_MODE(insn->code) != XBPF_MEM))
		return -EFAULT;
	zero = xbpf_mk(XBPF_ST | XBPF_MEM | XBPF_SIZE(insn->code),
					       insn->dst_reg, 0, insn->off, 0);
	err = xbpf_patch_insert(env, *i, &zero, 1);
	if (!err)
		*i += 1;
	return err;
}

int xbpf_sanitize_fixup(struct xbpf_verifier_env *env)
{
	u32 i;
	int err;

	for (i = 0; i < env->prog->len; i++) {
		if (env->aux[i].alu_state & XBPF_ALU_SANITIZE) {
			err = xbpf_fixup_alu(env, &i);
			if (err)
				return err;
		}
		if (env->aux[i].spec & XBPF_SPEC_ZERO_STORE) {
			err = xbpf_fixup_store(env, &i);
			if (err)
				return err;
		}
	}
	return 0;
}

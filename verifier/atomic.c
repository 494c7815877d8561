// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic read-modify-write instructions (BPF_STX | BPF_ATOMIC) in the
 * abstract interpreter.
 *
 * An atomic op is checked as the load and the store it performs, through
 * mem.c, on the same base, offset and size: the load first (the memory
 * must be readable: initialised stack, a map value in bounds), then the
 * store of a value nothing is known about (the memory ends up holding
 * op(old, src), not src).  The fetching forms leave the old value in the
 * source register (R0 for CMPXCHG).  Pointer operands, and a spilled
 * pointer as the memory, need allow_ptr_leaks (Linux's is_pointer_value).  The context and anything that is not
 * plain memory refuse atomics, as in Linux.
 */
#include "check.h"

int xbpf_check_atomic(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	u32 size_code = XBPF_SIZE(insn->code);
	bool fetch = insn->imm & XBPF_FETCH;
	bool cmpxchg = insn->imm == XBPF_CMPXCHG;
	u32 loadno = cmpxchg ? 0 : insn->src_reg;
	struct xbpf_insn ld = {
		.code = XBPF_LDX | XBPF_MEM | size_code,
		.dst_reg = insn->dst_reg,	/* restored below */
		.src_reg = insn->dst_reg,
		.off = insn->off,
	};
	/*
	 * The stored value: an unknown scalar in some register other than
	 * the base (the source may be the base itself: "*(r10 - 8) += r10").
	 */
	u32 valno = insn->src_reg != insn->dst_reg ? insn->src_reg : insn->dst_reg ? 0 : 1;
	struct xbpf_insn st = {
		.code = XBPF_STX | XBPF_MEM | size_code,
		.dst_reg = insn->dst_reg,
		.src_reg = valno,
		.off = insn->off,
	};
	struct xbpf_reg base, src, old;
	int err;

	/* decode.c admits only W and DW and the defined ops. */
	if (size_code != XBPF_W && size_code != XBPF_DW)
		return xbpf_reject(c, -EINVAL, "invalid atomic operand size\n");
	err = xbpf_check_read(c, insn->src_reg);
	if (!err)
		err = xbpf_check_read(c, insn->dst_reg);
	if (!err && cmpxchg)
		err = xbpf_check_read(c, 0);
	if (err)
		return err;
	/* Linux's is_pointer_value: only callers who may not see addresses. */
	if (cmpxchg && xbpf_reg_is_pointer(&regs[0]) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R0 leaks addr into mem\n");
	if (xbpf_reg_is_pointer(&regs[insn->src_reg]) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "R%u leaks addr into mem\n", insn->src_reg);

	base = regs[insn->dst_reg];
	switch (base.type) {
	case XBPF_PTR_TO_STACK:
	case XBPF_PTR_TO_MAP_VALUE:
	case XBPF_SCALAR:	/* mem.c says why not */
	case XBPF_CONST_PTR_TO_MAP:
		break;
	case XBPF_PTR_TO_SOCK_COMMON:
		/* Linux's is_sk_reg: or-null is not one; mem.c's load refuses it. */
		if (base.flags & XBPF_REG_OR_NULL)
			break;
		fallthrough;
	case XBPF_PTR_TO_CTX:
		return xbpf_reject(c, -EACCES, "BPF_ATOMIC stores into R%u %s is not allowed\n",
				   insn->dst_reg, xbpf_reg_name(&base));
	default:
		return xbpf_unsupported(c, "atomic operations through this pointer type");
	}

	/* The load: its result lands in the base register, put back after. */
	err = xbpf_check_mem(c, &ld);
	old = regs[insn->dst_reg];
	regs[insn->dst_reg] = base;
	if (err)
		return err;
	/* A spilled pointer would come out of the op as a number. */
	if (xbpf_reg_is_pointer(&old) && !c->env->caps.allow_ptr_leaks)
		return xbpf_reject(c, -EACCES, "leaking pointer from stack off %d\n",
				   base.off + (s32)base.s.var.value + insn->off);

	/* The store of op(old, src): any value. */
	src = regs[valno];
	xbpf_reg_mark_unknown(&regs[valno]);
	err = xbpf_check_mem(c, &st);
	regs[valno] = src;
	if (err)
		return err;

	/* The old value exactly: a spilled pointer comes back as itself (as Linux's fill). */
	if (fetch)
		regs[loadno] = old;
	return 0;
}

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
 * source register (R0 for CMPXCHG).  The context and anything that is not
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
	struct xbpf_insn st = {
		.code = XBPF_STX | XBPF_MEM | size_code,
		.dst_reg = insn->dst_reg,
		.src_reg = insn->src_reg,
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
	if (xbpf_reg_is_pointer(&regs[insn->src_reg]))
		return xbpf_reject(c, -EACCES, "R%u leaks addr into mem\n", insn->src_reg);
	if (cmpxchg && xbpf_reg_is_pointer(&regs[0]))
		return xbpf_reject(c, -EACCES, "R0 leaks addr into mem\n");

	base = regs[insn->dst_reg];
	switch (base.type) {
	case XBPF_PTR_TO_STACK:
	case XBPF_PTR_TO_MAP_VALUE:
	case XBPF_SCALAR:	/* mem.c says why not */
	case XBPF_CONST_PTR_TO_MAP:
		break;
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
		return xbpf_reject(c, -EACCES, "attempt to corrupt spilled pointer on stack\n");

	/* The store of op(old, src): any value. */
	src = regs[insn->src_reg];
	xbpf_reg_mark_unknown(&regs[insn->src_reg]);
	err = xbpf_check_mem(c, &st);
	regs[insn->src_reg] = src;
	if (err)
		return err;

	if (fetch) {
		if (xbpf_reg_is_pointer(&old))
			xbpf_reg_mark_unknown(&old);
		regs[loadno] = old;
	}
	return 0;
}

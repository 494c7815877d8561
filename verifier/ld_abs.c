// SPDX-License-Identifier: GPL-2.0
/*
 * LD_ABS / LD_IND in the abstract interpreter: R0 = 1, 2 or 4 bytes of
 * the packet, big-endian, at imm (ABS) or src + imm (IND), from the
 * context in R6.  They behave like a helper call: R1-R5 are clobbered.
 * At run time an out-of-range offset ends the function with R0 = 0 (the
 * program, in the main program), which is only sound in functions whose
 * BTF says they return a scalar (cfg.c) and without acquired references
 * (they would leak).  decode.c already refused them for
 * program types without a packet, with reserved fields set, or with DW.
 *
 * That early end is a path of its own.  In a subprogram it is pushed as
 * a return to the caller with R0 = 0 (calls.c).  In the main program it
 * ends the program with R0 = 0, which needs no walk: the main EXIT's
 * checks are that no reference is held (refused here), that R0 is
 * readable and not a pointer, and no return-value range applies to the
 * packet program types (Linux's check_return_code has none for socket
 * filters and tc), so a known 0 passes them all.
 */
#include "check.h"

#define XBPF_LD_ABS_CTX_REG	6

int xbpf_check_ld_abs(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	const struct xbpf_reg *ctx = &regs[XBPF_LD_ABS_CTX_REG];
	struct xbpf_scalar s;
	u32 bits, i;
	int err;

	/* decode.c: a packet program. */
	if (WARN_ON_ONCE(!c->env->has_ld_abs))
		return xbpf_reject(c, -EFAULT, "verifier bug: LD_ABS/LD_IND here\n");
	err = xbpf_check_read(c, XBPF_LD_ABS_CTX_REG);
	if (err)
		return err;
	/* The early end would leak them, in any frame (Linux 6.1: main only). */
	err = xbpf_ref_check_none(c);
	if (err) {
		xbpf_verbose(c->env, "BPF_LD_[ABS|IND] cannot be mixed with socket references\n");
		return err;
	}
	if (ctx->type != XBPF_PTR_TO_CTX)
		return xbpf_reject(c, -EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointer to skb\n");
	if (XBPF_MODE(insn->code) == XBPF_IND) {
		err = xbpf_check_read(c, insn->src_reg);
		if (err)
			return err;
		/*
		 * The run time bounds every offset, so a pointer is no memory
		 * hazard, but whether the load ends the program tells its
		 * address: refused without allow_ptr_leaks (Linux does not
		 * look at the source's type at all).
		 */
		if (xbpf_reg_is_pointer(&regs[insn->src_reg]) && !c->env->caps.allow_ptr_leaks)
			return xbpf_reject(c, -EACCES, "R%u leaks addr into helper function\n",
					   insn->src_reg);
	}
	/* The run-time load goes through the context the program started with. */
	if (ctx->off || !xbpf_scalar_is_const(&ctx->s) || ctx->s.var.value)
		return xbpf_reject(c, -EACCES, "dereference of modified ctx ptr R%u off=%d disallowed\n",
				   XBPF_LD_ABS_CTX_REG, ctx->off);

	/* cfg.c: only in a subprogram whose BTF return is a scalar. */
	if (c->cur->curframe) {
		struct xbpf_reg zero;

		xbpf_reg_mark_known(&zero, 0);
		err = xbpf_push_abnormal_return(c, &zero);
		if (err)
			return err;
	}
	for (i = 1; i <= 5; i++)
		xbpf_reg_mark_not_init(&regs[i]);
	/* Zero-extended bytes of the load's size (Linux keeps R0 unbounded). */
	switch (XBPF_SIZE(insn->code)) {
	case XBPF_B:
		bits = 8;
		break;
	case XBPF_H:
		bits = 16;
		break;
	case XBPF_W:
		bits = 32;
		break;
	default:
		return xbpf_reject(c, -EINVAL, "BPF_LD_[ABS|IND] uses reserved fields\n");
	}
	xbpf_scalar_set_urange(&s, 0, ((u64)1 << bits) - 1);
	xbpf_reg_mark_scalar(&regs[0], &s);
	return 0;
}

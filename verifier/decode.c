// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 1: every instruction on its own.  The opcode must be one the ISA
 * (RFC 9669, with the v4 additions) defines, every field the opcode does
 * not use must be zero, registers must exist and R10 must never be
 * written, immediate shifts must be in range, and LDDW must occupy two
 * well-formed slots.  Messages use Linux's wording, since tools and
 * people match on them.
 *
 * Nothing here depends on control flow; cfg.c runs on the result.
 */
#include "env.h"
#include "disasm.h"

/* The opcodes xbpf knows; everything else is "unknown opcode". */
static bool xbpf_opcode_known(u8 code)
{
	u8 op = XBPF_OP(code);

	switch (XBPF_CLASS(code)) {
	case XBPF_ALU:
	case XBPF_ALU64:
		if (op > XBPF_END)
			return false;
		if (op == XBPF_NEG)
			return XBPF_SRC(code) == XBPF_K;
		/* 64-bit END is bswap: unconditional, only the K form exists. */
		if (op == XBPF_END && XBPF_CLASS(code) == XBPF_ALU64)
			return XBPF_SRC(code) == XBPF_K;
		return true;
	case XBPF_JMP:
		if (op == XBPF_JA || op == XBPF_CALL || op == XBPF_EXIT)
			return XBPF_SRC(code) == XBPF_K;
		return op <= XBPF_JSLE;
	case XBPF_JMP32:
		if (op == XBPF_JA)
			return XBPF_SRC(code) == XBPF_K;
		if (op == XBPF_CALL || op == XBPF_EXIT)
			return false;
		return op <= XBPF_JSLE;
	case XBPF_LD:
		if (code == (XBPF_LD | XBPF_IMM | XBPF_DW))
			return true;
		if (XBPF_MODE(code) == XBPF_ABS || XBPF_MODE(code) == XBPF_IND)
			return XBPF_SIZE(code) != XBPF_DW;
		return false;
	case XBPF_LDX:
		if (XBPF_MODE(code) == XBPF_MEM)
			return true;
		if (XBPF_MODE(code) == XBPF_MEMSX)
			return XBPF_SIZE(code) != XBPF_DW;
		return false;
	case XBPF_ST:
		return XBPF_MODE(code) == XBPF_MEM;
	default: /* XBPF_STX */
		if (XBPF_MODE(code) == XBPF_MEM)
			return true;
		if (XBPF_MODE(code) == XBPF_ATOMIC)
			return XBPF_SIZE(code) == XBPF_W || XBPF_SIZE(code) == XBPF_DW;
		return false;
	}
}

void xbpf_verbose_insn(struct xbpf_verifier_env *env, u32 idx)
{
	char buf[XBPF_DISASM_BUF];
	const struct xbpf_insn *insn = &env->insns[idx];
	const struct xbpf_insn *next = NULL;

	if (!xbpf_log_on(env))
		return;
	if (xbpf_insn_is_lddw(insn) && idx + 1 < env->len)
		next = insn + 1;
	xbpf_verbose(env, "%u: (%02x) %s\n", idx, insn->code,
		     xbpf_disasm_insn(insn, next, buf, sizeof(buf)));
}

/* Registers: 0..10 exist; R10 is the read-only frame pointer. */
static int xbpf_check_reg(struct xbpf_verifier_env *env, u32 regno, bool write)
{
	if (regno >= XBPF_MAX_REG) {
		xbpf_verbose(env, "R%u is invalid\n", regno);
		return -EINVAL;
	}
	if (write && regno == XBPF_REG_10) {
		xbpf_verbose(env, "frame pointer is read only\n");
		return -EACCES;
	}
	return 0;
}

static int xbpf_reserved(struct xbpf_verifier_env *env, const char *what)
{
	xbpf_verbose(env, "%s uses reserved fields\n", what);
	return -EINVAL;
}

static int xbpf_decode_alu(struct xbpf_verifier_env *env, const struct xbpf_insn *insn)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	bool is_x = XBPF_SRC(insn->code) == XBPF_X;
	u8 op = XBPF_OP(insn->code);
	int err;

	if (op == XBPF_NEG) {
		if (insn->src_reg || insn->off || insn->imm)
			return xbpf_reserved(env, "BPF_NEG");
	} else if (op == XBPF_END) {
		if (insn->src_reg || insn->off ||
		    (insn->imm != 16 && insn->imm != 32 && insn->imm != 64))
			return xbpf_reserved(env, "BPF_END");
	} else if (op == XBPF_MOV) {
		if (is_x) {
			/* off selects movsx: 8/16 for 32-bit, also 32 for 64-bit. */
			bool sx_ok = insn->off == 0 || insn->off == 8 ||
				     insn->off == 16 || (is64 && insn->off == 32);

			if (insn->imm || !sx_ok)
				return xbpf_reserved(env, "BPF_MOV");
		} else if (insn->src_reg || insn->off) {
			return xbpf_reserved(env, "BPF_MOV");
		}
	} else {
		/* off 1 selects the signed form of div and mod (v4). */
		bool off_ok = insn->off == 0 ||
			      (insn->off == 1 && (op == XBPF_DIV || op == XBPF_MOD));

		if (!off_ok || (is_x ? insn->imm != 0 : insn->src_reg != 0))
			return xbpf_reserved(env, "BPF_ALU");
	}

	if (is_x && op != XBPF_END) {
		err = xbpf_check_reg(env, insn->src_reg, false);
		if (err)
			return err;
	}
	err = xbpf_check_reg(env, insn->dst_reg, true);
	if (err)
		return err;

	if (!is_x && (op == XBPF_DIV || op == XBPF_MOD) && insn->imm == 0) {
		xbpf_verbose(env, "div by zero\n");
		return -EINVAL;
	}
	if (!is_x && (op == XBPF_LSH || op == XBPF_RSH || op == XBPF_ARSH)) {
		s32 bits = is64 ? 64 : 32;

		if (insn->imm < 0 || insn->imm >= bits) {
			xbpf_verbose(env, "invalid shift %d\n", insn->imm);
			return -EINVAL;
		}
	}
	return 0;
}

static int xbpf_decode_jmp(struct xbpf_verifier_env *env, const struct xbpf_insn *insn)
{
	bool is32 = XBPF_CLASS(insn->code) == XBPF_JMP32;
	u8 op = XBPF_OP(insn->code);
	int err;

	switch (op) {
	case XBPF_JA:
		/* ja keeps its offset in off, gotol (JMP32) in imm. */
		if (insn->dst_reg || insn->src_reg || (is32 ? insn->off : insn->imm))
			return xbpf_reserved(env, "BPF_JA");
		return 0;
	case XBPF_EXIT:
		/* Linux ignores off here; the conformance suite wants it zero. */
		if (insn->dst_reg || insn->src_reg || insn->off || insn->imm)
			return xbpf_reserved(env, "BPF_EXIT");
		return 0;
	case XBPF_CALL:
		if (insn->dst_reg || insn->off ||
		    (insn->src_reg != 0 && insn->src_reg != XBPF_PSEUDO_CALL &&
		     insn->src_reg != XBPF_PSEUDO_KFUNC_CALL))
			return xbpf_reserved(env, "BPF_CALL");
		if (insn->src_reg == XBPF_PSEUDO_KFUNC_CALL) {
			xbpf_verbose(env, "calling kernel functions is not supported\n");
			return -EINVAL;
		}
		return 0;
	}

	if (XBPF_SRC(insn->code) == XBPF_X ? insn->imm != 0 : insn->src_reg != 0)
		return xbpf_reserved(env, "BPF_JMP/JMP32");
	if (XBPF_SRC(insn->code) == XBPF_X) {
		err = xbpf_check_reg(env, insn->src_reg, false);
		if (err)
			return err;
	}
	return xbpf_check_reg(env, insn->dst_reg, false);
}

static int xbpf_decode_lddw(struct xbpf_verifier_env *env, u32 idx)
{
	const struct xbpf_insn *insn = &env->insns[idx];
	const struct xbpf_insn *hi = insn + 1;
	int err;

	if (idx + 1 >= env->len || hi->code || hi->dst_reg || hi->src_reg || hi->off) {
		xbpf_verbose(env, "invalid bpf_ld_imm64 insn\n");
		return -EINVAL;
	}
	if (insn->off)
		return xbpf_reserved(env, "BPF_LD_IMM64");
	err = xbpf_check_reg(env, insn->dst_reg, true);
	if (err)
		return err;

	switch (insn->src_reg) {
	case 0:
		return 0;
	case XBPF_PSEUDO_MAP_FD:
		/* A map pointer has no offset: the upper half must be 0. */
		if (hi->imm)
			break;
		return 0;
	case XBPF_PSEUDO_MAP_VALUE:
		if ((u32)hi->imm >= XBPF_MAX_VAR_OFF) {
			xbpf_verbose(env, "direct value offset of %u is not allowed\n",
				     (u32)hi->imm);
			return -EINVAL;
		}
		return 0;
	case XBPF_PSEUDO_BTF_ID:
	case XBPF_PSEUDO_FUNC:
	case XBPF_PSEUDO_MAP_IDX:
	case XBPF_PSEUDO_MAP_IDX_VALUE:
		xbpf_verbose(env, "bpf_ld_imm64 with src_reg %d is not supported yet\n",
			     insn->src_reg);
		return -EINVAL;
	}
	xbpf_verbose(env, "unrecognized bpf_ld_imm64 insn\n");
	return -EINVAL;
}

static int xbpf_decode_ld(struct xbpf_verifier_env *env, u32 idx)
{
	const struct xbpf_insn *insn = &env->insns[idx];
	u32 type = env->p->prog_type;

	if (XBPF_MODE(insn->code) == XBPF_IMM)
		return xbpf_decode_lddw(env, idx);

	/* LD_ABS / LD_IND: r0 = packet data; r6 is the implicit context. */
	if (insn->dst_reg || insn->off ||
	    (XBPF_MODE(insn->code) == XBPF_ABS && insn->src_reg))
		return xbpf_reserved(env, "BPF_LD_[ABS|IND]");
	if (type != XBPF_PROG_TYPE_SOCKET_FILTER && type != XBPF_PROG_TYPE_SCHED_CLS &&
	    type != XBPF_PROG_TYPE_SCHED_ACT) {
		xbpf_verbose(env, "BPF_LD_[ABS|IND] instructions not allowed for this program type\n");
		return -EINVAL;
	}
	env->has_ld_abs = true;
	if (XBPF_MODE(insn->code) == XBPF_IND)
		return xbpf_check_reg(env, insn->src_reg, false);
	return 0;
}

static int xbpf_decode_mem(struct xbpf_verifier_env *env, const struct xbpf_insn *insn)
{
	int err;

	switch (XBPF_CLASS(insn->code)) {
	case XBPF_LDX:
		if (insn->imm)
			return xbpf_reserved(env, "BPF_LDX");
		err = xbpf_check_reg(env, insn->src_reg, false);
		return err ?: xbpf_check_reg(env, insn->dst_reg, true);
	case XBPF_ST:
		if (insn->src_reg)
			return xbpf_reserved(env, "BPF_ST");
		return xbpf_check_reg(env, insn->dst_reg, false);
	}

	/* XBPF_STX */
	if (XBPF_MODE(insn->code) == XBPF_MEM) {
		if (insn->imm)
			return xbpf_reserved(env, "BPF_STX");
		err = xbpf_check_reg(env, insn->src_reg, false);
		return err ?: xbpf_check_reg(env, insn->dst_reg, false);
	}

	switch ((u32)insn->imm) {
	case XBPF_ADD:
	case XBPF_ADD | XBPF_FETCH:
	case XBPF_AND:
	case XBPF_AND | XBPF_FETCH:
	case XBPF_OR:
	case XBPF_OR | XBPF_FETCH:
	case XBPF_XOR:
	case XBPF_XOR | XBPF_FETCH:
	case XBPF_XCHG:
	case XBPF_CMPXCHG:
		break;
	default:
		xbpf_verbose(env, "BPF_ATOMIC uses invalid atomic opcode %02x\n",
			     (u32)insn->imm);
		return -EINVAL;
	}
	err = xbpf_check_reg(env, insn->dst_reg, false);
	if (err)
		return err;
	/* The fetching forms write the old value to src (cmpxchg: to r0). */
	return xbpf_check_reg(env, insn->src_reg,
			      (insn->imm & XBPF_FETCH) && (u32)insn->imm != XBPF_CMPXCHG);
}

static int xbpf_decode_one(struct xbpf_verifier_env *env, u32 idx)
{
	const struct xbpf_insn *insn = &env->insns[idx];

	if (!xbpf_opcode_known(insn->code)) {
		xbpf_verbose(env, "unknown opcode %02x\n", insn->code);
		return -EINVAL;
	}

	switch (XBPF_CLASS(insn->code)) {
	case XBPF_ALU:
	case XBPF_ALU64:
		return xbpf_decode_alu(env, insn);
	case XBPF_JMP:
	case XBPF_JMP32:
		return xbpf_decode_jmp(env, insn);
	case XBPF_LD:
		return xbpf_decode_ld(env, idx);
	default:
		return xbpf_decode_mem(env, insn);
	}
}

/*
 * Logs the failing instruction, then the reason.  The checks are pure,
 * so rather than thread "which insn" through every message, run the
 * failing one again with the log on.
 */
static int xbpf_decode_fail(struct xbpf_verifier_env *env, u32 idx)
{
	xbpf_verbose_insn(env, idx);
	return xbpf_decode_one(env, idx);
}

int xbpf_decode_insns(struct xbpf_verifier_env *env)
{
	struct xbpf_log *log = env->log;
	u32 i;
	int err;

	for (i = 0; i < env->len; i++) {
		env->log = NULL;
		err = xbpf_decode_one(env, i);
		env->log = log;
		if (err)
			return xbpf_decode_fail(env, i);
		if (xbpf_insn_is_lddw(&env->insns[i]))
			env->aux[++i].flags |= XBPF_AUX_LDDW_HI;
	}
	return 0;
}

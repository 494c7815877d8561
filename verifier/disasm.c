// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction printer for the verifier log (see disasm.h).  The
 * notation follows the one Linux's log uses, which bpftool and people
 * already read; the code is xbpf's.
 */
#include "disasm.h"

static const char *const xbpf_alu_ops[16] = {
	[XBPF_ADD >> 4] = "+=",  [XBPF_SUB >> 4] = "-=",
	[XBPF_MUL >> 4] = "*=",  [XBPF_DIV >> 4] = "/=",
	[XBPF_OR >> 4] = "|=",   [XBPF_AND >> 4] = "&=",
	[XBPF_LSH >> 4] = "<<=", [XBPF_RSH >> 4] = ">>=",
	[XBPF_MOD >> 4] = "%=",  [XBPF_XOR >> 4] = "^=",
	[XBPF_MOV >> 4] = "=",   [XBPF_ARSH >> 4] = "s>>=",
};

static const char *const xbpf_jmp_ops[16] = {
	[XBPF_JEQ >> 4] = "==",  [XBPF_JGT >> 4] = ">",
	[XBPF_JGE >> 4] = ">=",  [XBPF_JSET >> 4] = "&",
	[XBPF_JNE >> 4] = "!=",  [XBPF_JSGT >> 4] = "s>",
	[XBPF_JSGE >> 4] = "s>=", [XBPF_JLT >> 4] = "<",
	[XBPF_JLE >> 4] = "<=",  [XBPF_JSLT >> 4] = "s<",
	[XBPF_JSLE >> 4] = "s<=",
};

static const char *xbpf_size_name(u8 code, bool sign)
{
	switch (XBPF_SIZE(code)) {
	case XBPF_B:
		return sign ? "s8" : "u8";
	case XBPF_H:
		return sign ? "s16" : "u16";
	case XBPF_W:
		return sign ? "s32" : "u32";
	default:
		return sign ? "s64" : "u64";
	}
}

static const char *xbpf_disasm_alu(const struct xbpf_insn *insn, char *buf, size_t size)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	char r = is64 ? 'r' : 'w';
	u8 op = XBPF_OP(insn->code);
	const char *opstr = xbpf_alu_ops[op >> 4];

	if (op == XBPF_NEG) {
		snprintf(buf, size, "%c%d = -%c%d", r, insn->dst_reg, r, insn->dst_reg);
		return buf;
	}
	if (op == XBPF_END) {
		const char *kind = is64 ? "bswap" :
				   XBPF_SRC(insn->code) == XBPF_TO_BE ? "be" : "le";

		snprintf(buf, size, "r%d = %s%d r%d", insn->dst_reg, kind,
			 insn->imm, insn->dst_reg);
		return buf;
	}
	if (!opstr)
		goto unknown;
	if (op == XBPF_MOV && XBPF_SRC(insn->code) == XBPF_X && insn->off) {
		snprintf(buf, size, "%c%d = (s%d)%c%d", r, insn->dst_reg,
			 insn->off, r, insn->src_reg);
		return buf;
	}
	if ((op == XBPF_DIV || op == XBPF_MOD) && insn->off == 1)
		opstr = op == XBPF_DIV ? "s/=" : "s%=";
	if (XBPF_SRC(insn->code) == XBPF_X)
		snprintf(buf, size, "%c%d %s %c%d", r, insn->dst_reg, opstr, r,
			 insn->src_reg);
	else
		snprintf(buf, size, "%c%d %s %d", r, insn->dst_reg, opstr, insn->imm);
	return buf;
unknown:
	snprintf(buf, size, "unknown");
	return buf;
}

static const char *xbpf_disasm_atomic(const struct xbpf_insn *insn, char *buf, size_t size)
{
	bool dw = XBPF_SIZE(insn->code) == XBPF_DW;
	const char *sz = dw ? "u64" : "u32";
	const char *pfx = dw ? "atomic64" : "atomic";
	u32 op = (u32)insn->imm & ~XBPF_FETCH;
	const char *name, *sym;

	switch (op) {
	case XBPF_ADD:
		name = "add", sym = "+=";
		break;
	case XBPF_AND:
		name = "and", sym = "&=";
		break;
	case XBPF_OR:
		name = "or", sym = "|=";
		break;
	case XBPF_XOR:
		name = "xor", sym = "^=";
		break;
	default:
		if ((u32)insn->imm == XBPF_XCHG)
			snprintf(buf, size, "r%d = %s_xchg((%s *)(r%d %+d), r%d)",
				 insn->src_reg, pfx, sz, insn->dst_reg, insn->off,
				 insn->src_reg);
		else if ((u32)insn->imm == XBPF_CMPXCHG)
			snprintf(buf, size, "r0 = %s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
				 pfx, sz, insn->dst_reg, insn->off, insn->src_reg);
		else
			snprintf(buf, size, "unknown atomic 0x%x", insn->imm);
		return buf;
	}
	if (insn->imm & XBPF_FETCH)
		snprintf(buf, size, "r%d = %s_fetch_%s((%s *)(r%d %+d), r%d)",
			 insn->src_reg, pfx, name, sz, insn->dst_reg, insn->off,
			 insn->src_reg);
	else
		snprintf(buf, size, "lock *(%s *)(r%d %+d) %s r%d", sz,
			 insn->dst_reg, insn->off, sym, insn->src_reg);
	return buf;
}

static const char *xbpf_disasm_jmp(const struct xbpf_insn *insn, char *buf, size_t size)
{
	bool is32 = XBPF_CLASS(insn->code) == XBPF_JMP32;
	char r = is32 ? 'w' : 'r';
	u8 op = XBPF_OP(insn->code);
	const struct xbpf_helper_proto *proto;

	switch (op) {
	case XBPF_JA:
		if (is32)
			snprintf(buf, size, "gotol pc%+d", insn->imm);
		else
			snprintf(buf, size, "goto pc%+d", insn->off);
		return buf;
	case XBPF_EXIT:
		snprintf(buf, size, "exit");
		return buf;
	case XBPF_CALL:
		if (insn->src_reg == XBPF_PSEUDO_CALL) {
			snprintf(buf, size, "call pc%+d", insn->imm);
		} else if (insn->src_reg == XBPF_PSEUDO_KFUNC_CALL) {
			snprintf(buf, size, "call kernel-function");
		} else {
			proto = xbpf_helper_proto((u32)insn->imm);
			if (proto && proto->name)
				snprintf(buf, size, "call %s%s#%d",
					 strncmp(proto->name, "bpf_", 4) ? "bpf_" : "",
					 proto->name, insn->imm);
			else
				snprintf(buf, size, "call unknown#%d", insn->imm);
		}
		return buf;
	}
	if (!xbpf_jmp_ops[op >> 4]) {
		snprintf(buf, size, "unknown");
		return buf;
	}
	if (XBPF_SRC(insn->code) == XBPF_X)
		snprintf(buf, size, "if %c%d %s %c%d goto pc%+d", r, insn->dst_reg,
			 xbpf_jmp_ops[op >> 4], r, insn->src_reg, insn->off);
	else
		snprintf(buf, size, "if %c%d %s 0x%x goto pc%+d", r, insn->dst_reg,
			 xbpf_jmp_ops[op >> 4], (u32)insn->imm, insn->off);
	return buf;
}

static const char *xbpf_disasm_ld(const struct xbpf_insn *insn,
				  const struct xbpf_insn *next,
				  char *buf, size_t size)
{
	u64 imm64;

	switch (XBPF_MODE(insn->code)) {
	case XBPF_IMM:
		if (XBPF_SIZE(insn->code) != XBPF_DW)
			break;
		imm64 = (u32)insn->imm;
		if (next)
			imm64 |= (u64)(u32)next->imm << 32;
		if (insn->src_reg == XBPF_PSEUDO_MAP_FD)
			snprintf(buf, size, "r%d = map_fd %d", insn->dst_reg, insn->imm);
		else if (insn->src_reg == XBPF_PSEUDO_MAP_VALUE)
			snprintf(buf, size, "r%d = map_value fd %d off %u", insn->dst_reg,
				 insn->imm, next ? (u32)next->imm : 0);
		else
			snprintf(buf, size, "r%d = 0x%llx", insn->dst_reg,
				 (unsigned long long)imm64);
		return buf;
	case XBPF_ABS:
		snprintf(buf, size, "r0 = *(%s *)skb[%d]",
			 xbpf_size_name(insn->code, false), insn->imm);
		return buf;
	case XBPF_IND:
		snprintf(buf, size, "r0 = *(%s *)skb[r%d + %d]",
			 xbpf_size_name(insn->code, false), insn->src_reg, insn->imm);
		return buf;
	}
	snprintf(buf, size, "unknown");
	return buf;
}

const char *xbpf_disasm_insn(const struct xbpf_insn *insn,
			     const struct xbpf_insn *next,
			     char *buf, size_t size)
{
	switch (XBPF_CLASS(insn->code)) {
	case XBPF_ALU:
	case XBPF_ALU64:
		return xbpf_disasm_alu(insn, buf, size);
	case XBPF_JMP:
	case XBPF_JMP32:
		return xbpf_disasm_jmp(insn, buf, size);
	case XBPF_LD:
		return xbpf_disasm_ld(insn, next, buf, size);
	case XBPF_LDX:
		snprintf(buf, size, "r%d = *(%s *)(r%d %+d)", insn->dst_reg,
			 xbpf_size_name(insn->code, XBPF_MODE(insn->code) == XBPF_MEMSX),
			 insn->src_reg, insn->off);
		return buf;
	case XBPF_ST:
		snprintf(buf, size, "*(%s *)(r%d %+d) = %d",
			 xbpf_size_name(insn->code, false), insn->dst_reg, insn->off,
			 insn->imm);
		return buf;
	default: /* XBPF_STX */
		if (XBPF_MODE(insn->code) == XBPF_ATOMIC)
			return xbpf_disasm_atomic(insn, buf, size);
		snprintf(buf, size, "*(%s *)(r%d %+d) = r%d",
			 xbpf_size_name(insn->code, false), insn->dst_reg, insn->off,
			 insn->src_reg);
		return buf;
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted programs run once with a known input: ALU and jump semantics,
 * the stack, atomics, bpf-to-bpf calls, helpers, LD_ABS/LD_IND on the
 * default frame (byte i == i), the __sk_buff and SYSCALL contexts.  The
 * expected value is what bpf(2) reports: the low 32 bits of r0.
 */
#include "vcase.h"

/* an accepted program returning ret when run (SOCKET_FILTER, default frame) */
#define RUNS(n, ret, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = ACCEPT, RUN(ret) }
/* r0 = a op b, 64-bit, immediate b */
#define ALU64_CASE(n, op, a, b, ret) \
	RUNS(n, ret, MOV64_IMM(0, a), ALU64_IMM(op, 0, b), EXIT())
#define ALU32_CASE(n, op, a, b, ret) \
	RUNS(n, ret, MOV64_IMM(0, a), ALU32_IMM(op, 0, b), EXIT())
/* returns 1 when "if r1 op r2" is taken, else 2 */
#define JMP_CASE(n, op, a, b, ret) \
	RUNS(n, ret, MOV64_IMM(1, a), MOV64_IMM(2, b), JMP_REG(op, 1, 2, 2), \
	     MOV64_IMM(0, 2), EXIT(), MOV64_IMM(0, 1), EXIT())
#define JMP32_CASE(n, op, a, b, ret) \
	RUNS(n, ret, LDDW(1, a), MOV64_IMM(2, b), JMP32_REG(op, 1, 2, 2), \
	     MOV64_IMM(0, 2), EXIT(), MOV64_IMM(0, 1), EXIT())

static const struct vcase cases[] = {
	RUNS("return 0", 0, RET0),
	RUNS("return 42", 42, RET_IMM(42)),
	RUNS("return -1", -1, RET_IMM(-1)),

	/* ALU */
	ALU64_CASE("add64", XBPF_ADD, 40, 2, 42),
	ALU64_CASE("sub64", XBPF_SUB, 2, 5, -3),
	ALU64_CASE("mul64", XBPF_MUL, 6, 7, 42),
	ALU64_CASE("div64", XBPF_DIV, 85, 2, 42),
	ALU64_CASE("mod64", XBPF_MOD, 85, 43, 42),
	ALU64_CASE("or64", XBPF_OR, 0x40, 0x2, 0x42),
	ALU64_CASE("and64", XBPF_AND, 0xff, 0x2a, 42),
	ALU64_CASE("xor64", XBPF_XOR, 0xff, 0xd5, 42),
	ALU64_CASE("lsh64", XBPF_LSH, 21, 1, 42),
	ALU64_CASE("rsh64", XBPF_RSH, 84, 1, 42),
	ALU64_CASE("arsh64 of a negative", XBPF_ARSH, -84, 1, -42),
	ALU32_CASE("add32 wraps", XBPF_ADD, -1, 43, 42),
	ALU32_CASE("div32 unsigned", XBPF_DIV, -2, 0x7fffffff, 2),
	ALU32_CASE("arsh32", XBPF_ARSH, -84, 1, -42),
	RUNS("div64 by a zero register is 0", 0, MOV64_IMM(0, 42), MOV64_IMM(1, 0),
	     ALU64_REG(XBPF_DIV, 0, 1), EXIT()),
	RUNS("mod64 by a zero register keeps dst", 42, MOV64_IMM(0, 42), MOV64_IMM(1, 0),
	     ALU64_REG(XBPF_MOD, 0, 1), EXIT()),
	RUNS("mod32 by a zero register keeps dst", 42, MOV64_IMM(0, 42), MOV64_IMM(1, 0),
	     ALU32_REG(XBPF_MOD, 0, 1), EXIT()),
	RUNS("alu32 zero-extends", 1, LDDW(0, 0xffffffff00000001ULL), ALU32_IMM(XBPF_ADD, 0, 0),
	     ALU64_IMM(XBPF_RSH, 0, 32), ALU64_IMM(XBPF_ADD, 0, 1), EXIT()),
	RUNS("mov32 zero-extends", 0, MOV64_IMM(1, -1), MOV32_REG(0, 1), ALU64_IMM(XBPF_RSH, 0, 32),
	     EXIT()),
	RUNS("neg64", -42, MOV64_IMM(0, 42), NEG64(0), EXIT()),
	RUNS("neg32", -42, MOV64_IMM(0, 42), NEG32(0), EXIT()),
	RUNS("lddw high half", 0x12345678, LDDW(0, 0x1234567800000000ULL),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("sdiv64", -3, MOV64_IMM(0, -7), SALU64_IMM(XBPF_DIV, 0, 2), EXIT()),
	RUNS("smod64", -1, MOV64_IMM(0, -7), SALU64_IMM(XBPF_MOD, 0, 2), EXIT()),
	RUNS("sdiv32 by a register", -3, MOV32_IMM(0, -7), MOV32_IMM(1, 2),
	     SALU32_REG(XBPF_DIV, 0, 1), EXIT()),
	RUNS("movsx64 from 8 bits", -128, MOV64_IMM(1, 0x80), MOVSX64(0, 1, 8), EXIT()),
	RUNS("movsx32 from 16 bits", -32768, MOV64_IMM(1, 0x8000), MOVSX32(0, 1, 16), EXIT()),
	RUNS("bswap16", 0x3412, MOV64_IMM(0, 0x1234), BSWAP(0, 16), EXIT()),
	RUNS("bswap32", 0x78563412, MOV64_IMM(0, 0x12345678), BSWAP(0, 32), EXIT()),
	RUNS("be16 on little endian", 0x3412, MOV64_IMM(0, 0x1234), END(XBPF_TO_BE, 0, 16), EXIT()),
	RUNS("le32 truncates on little endian", 0x5678, LDDW(0, 0x1234000000005678ULL),
	     END(XBPF_TO_LE, 0, 32), EXIT()),

	/* jumps */
	JMP_CASE("jeq taken", XBPF_JEQ, 5, 5, 1),
	JMP_CASE("jeq not taken", XBPF_JEQ, 5, 6, 2),
	JMP_CASE("jne taken", XBPF_JNE, 5, 6, 1),
	JMP_CASE("jgt unsigned -1 > 1", XBPF_JGT, -1, 1, 1),
	JMP_CASE("jge equal", XBPF_JGE, 7, 7, 1),
	JMP_CASE("jlt not taken", XBPF_JLT, 7, 7, 2),
	JMP_CASE("jle taken", XBPF_JLE, 6, 7, 1),
	JMP_CASE("jsgt signed -1 > 1 not taken", XBPF_JSGT, -1, 1, 2),
	JMP_CASE("jsge taken", XBPF_JSGE, 1, -1, 1),
	JMP_CASE("jslt taken", XBPF_JSLT, -2, -1, 1),
	JMP_CASE("jsle not taken", XBPF_JSLE, 0, -1, 2),
	JMP_CASE("jset taken", XBPF_JSET, 6, 2, 1),
	JMP_CASE("jset not taken", XBPF_JSET, 4, 2, 2),
	JMP32_CASE("jeq32 ignores the high half", XBPF_JEQ, 0x100000005ULL, 5, 1),
	JMP32_CASE("jslt32 sees the low half's sign", XBPF_JSLT, 0x80000000ULL, 0, 1),
	/* the skipped insn is reachable from the jeq: dead code is refused */
	RUNS("ja skips", 1, MOV64_IMM(0, 1), JMP_IMM(XBPF_JEQ, 0, 2, 1), JA(1),
	     MOV64_IMM(0, 2), EXIT()),
	RUNS("gotol skips", 1, MOV64_IMM(0, 1), JMP_IMM(XBPF_JEQ, 0, 2, 1), JA32(1),
	     MOV64_IMM(0, 2), EXIT()),
	{ "loop sums 1..10", INSNS(MOV64_IMM(0, 0), MOV64_IMM(1, 1), ALU64_REG(XBPF_ADD, 0, 1),
		ALU64_IMM(XBPF_ADD, 1, 1), JMP_IMM(XBPF_JLE, 1, 10, -3), EXIT()),
		.expect = ACCEPT, .expect_unpriv = REJECT(EINVAL, "back-edge from insn 4 to 2"),
		RUN(55) },

	/* stack and atomics */
	RUNS("store and load the stack", 0x1234, ST(XBPF_DW, 10, -8, 0x1234),
	     LDX(XBPF_DW, 0, 10, -8), EXIT()),
	RUNS("byte store, word load", 0x2a, ST(XBPF_W, 10, -4, 0), ST(XBPF_B, 10, -4, 0x2a),
	     LDX(XBPF_W, 0, 10, -4), EXIT()),
	RUNS("ldsx sign-extends a byte", -1, ST(XBPF_B, 10, -1, 0xff),
	     LDXS(XBPF_B, 0, 10, -1), EXIT()),
	RUNS("stack bottom at r10-512", 9, ST(XBPF_DW, 10, -512, 9),
	     LDX(XBPF_DW, 0, 10, -512), EXIT()),
	RUNS("atomic fetch_add returns the old value", 10, ST(XBPF_DW, 10, -8, 10), MOV64_IMM(0, 5),
	     ATOMIC(XBPF_DW, 10, 0, -8, XBPF_ADD | XBPF_FETCH), EXIT()),
	RUNS("atomic add stores the sum", 15, ST(XBPF_DW, 10, -8, 10), MOV64_IMM(1, 5),
	     ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD), LDX(XBPF_DW, 0, 10, -8), EXIT()),
	RUNS("atomic xchg", 10, ST(XBPF_DW, 10, -8, 10), MOV64_IMM(0, 3),
	     ATOMIC(XBPF_DW, 10, 0, -8, XBPF_XCHG), EXIT()),
	RUNS("atomic cmpxchg hit stores", 7, ST(XBPF_W, 10, -4, 1), MOV64_IMM(0, 1), MOV64_IMM(1, 7),
	     ATOMIC(XBPF_W, 10, 1, -4, XBPF_CMPXCHG), LDX(XBPF_W, 0, 10, -4), EXIT()),
	RUNS("atomic cmpxchg miss keeps", 1, ST(XBPF_W, 10, -4, 1), MOV64_IMM(0, 2), MOV64_IMM(1, 7),
	     ATOMIC(XBPF_W, 10, 1, -4, XBPF_CMPXCHG), LDX(XBPF_W, 0, 10, -4), EXIT()),

	/* calls */
	{ "bpf-to-bpf call passes r1..r5", INSNS(MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, 3),
		MOV64_IMM(4, 4), MOV64_IMM(5, 5), CALL_LOCAL(1), EXIT(),
		MOV64_REG(0, 1), ALU64_REG(XBPF_ADD, 0, 2), ALU64_REG(XBPF_ADD, 0, 3),
		ALU64_REG(XBPF_ADD, 0, 4), ALU64_REG(XBPF_ADD, 0, 5), EXIT()),
		.expect = ACCEPT,
		.expect_unpriv = REJECT_NO_BPF_CAP, RUN(15) },
	{ "callee-saved r6..r9 survive a call", INSNS(MOV64_IMM(6, 40), MOV64_IMM(9, 2),
		CALL_LOCAL(3), ALU64_REG(XBPF_ADD, 6, 9), MOV64_REG(0, 6), EXIT(),
		MOV64_IMM(0, 0), EXIT()),
		.expect = ACCEPT,
		.expect_unpriv = REJECT_NO_BPF_CAP, RUN(42) },
	{ "each frame has its own stack", INSNS(ST(XBPF_DW, 10, -8, 1), CALL_LOCAL(3),
		LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), EXIT(),
		ST(XBPF_DW, 10, -8, 41), LDX(XBPF_DW, 0, 10, -8), EXIT()),
		.expect = ACCEPT,
		.expect_unpriv = REJECT_NO_BPF_CAP, RUN(42) },
	{ "nested calls three deep", INSNS(CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 1), EXIT(),
		CALL_LOCAL(2), ALU64_IMM(XBPF_MUL, 0, 2), EXIT(), MOV64_IMM(0, 20), EXIT()),
		.expect = ACCEPT,
		.expect_unpriv = REJECT_NO_BPF_CAP, RUN(41) },
	RUNS("helper ktime_get_ns is non-zero", 1, CALL(XBPF_FUNC_ktime_get_ns),
	     JMP_IMM(XBPF_JEQ, 0, 0, 2), RET_IMM(1), RET0),

	/* LD_ABS / LD_IND on the default frame; R6 must hold the context, as in Linux */
	RUNS("ld_abs byte", FRAME_B(0), MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), EXIT()),
	RUNS("ld_abs half, network order", FRAME_H(2), MOV64_REG(6, 1), LD_ABS(XBPF_H, 2), EXIT()),
	RUNS("ld_abs word, network order", FRAME_W(4), MOV64_REG(6, 1), LD_ABS(XBPF_W, 4), EXIT()),
	RUNS("ld_abs last byte", FRAME_B(49), MOV64_REG(6, 1), LD_ABS(XBPF_B, 49), EXIT()),
	RUNS("ld_ind word", FRAME_W(8), MOV64_REG(6, 1), MOV64_IMM(7, 6), LD_IND(XBPF_W, 7, 2),
	     EXIT()),
	RUNS("ld_abs past the packet ends the program with 0", 0, MOV64_REG(6, 1), MOV64_IMM(0, 7),
	     LD_ABS(XBPF_W, 48), RET_IMM(9)),
	RUNS("ld_ind with a negative sum ends with 0", 0, MOV64_REG(6, 1), MOV64_IMM(7, -8),
	     LD_IND(XBPF_B, 7, 2), RET_IMM(9)),
	{ "ld_abs on a given frame", INSNS(MOV64_REG(6, 1), LD_ABS(XBPF_H, 0), EXIT()),
		DATA(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xb5, 0xbe, 0xef),
		.expect = ACCEPT, RUN(0xbeef) },

	/* contexts */
	RUNS("__sk_buff len is the frame minus the link header", VCASE_FRAME_LEN - 14,
	     LDX(XBPF_W, 0, 1, 0), EXIT()),
	{ "__sk_buff cb[0] from ctx_in", INSNS(LDX(XBPF_W, 0, 1, 48), EXIT()),
		CTX([48] = 0x2a, [191] = 0), .expect = ACCEPT, RUN(42) },
	{ "__sk_buff mark from ctx_in", INSNS(LDX(XBPF_W, 0, 1, 8), EXIT()),
		CTX([8] = 7, [191] = 0), .expect = ACCEPT, RUN(7) },
	{ "syscall reads its ctx", INSNS(LDX(XBPF_W, 0, 1, 0), EXIT()),
		.type = XBPF_PROG_TYPE_SYSCALL, CTX(1, 2, 3, 4), .expect = ACCEPT,
		RUN(0x04030201) },
	{ "syscall r2 is the ctx size", INSNS(MOV64_REG(0, 2), EXIT()),
		.type = XBPF_PROG_TYPE_SYSCALL, CTX(1, 2, 3, 4, 5, 6), .expect = ACCEPT, RUN(6) },
	{ "syscall without ctx", INSNS(RET_IMM(3)), .type = XBPF_PROG_TYPE_SYSCALL,
		.expect = ACCEPT, RUN(3) },
};

VCASE_GROUP(run, cases);

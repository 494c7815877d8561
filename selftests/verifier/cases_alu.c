// SPDX-License-Identifier: GPL-2.0
/*
 * ALU and ALU32 on scalars: every operation run with a known result, the
 * 32-bit zero extension, division and modulo by a zero register (the
 * verifier's rewrite: x / 0 == 0, x % 0 == x, a 32-bit x % 0 zero-extended),
 * shifts, neg, end/bswap, movsx, sdiv/smod; the rules on operands (read
 * before written, the frame pointer, pointers in ALU ops); and what the
 * bounds let the walk prove about a map value index.
 */
#include "vcase.h"

/* an accepted socket filter returning ret when run */
#define RUNS(n, ret, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = ACCEPT, RUN(ret) }
/* r0 = a op b, both registers */
#define ALU64_RR(n, op, a, b, ret) \
	RUNS(n, ret, MOV64_IMM(0, a), MOV64_IMM(1, b), ALU64_REG(op, 0, 1), EXIT())
#define ALU32_RR(n, op, a, b, ret) \
	RUNS(n, ret, MOV64_IMM(0, a), MOV64_IMM(1, b), ALU32_REG(op, 0, 1), EXIT())
/* (r0 op b) >> 32: what an op leaves in the upper half */
#define HIGH64(n, lddw, op, b, ret) \
	RUNS(n, ret, LDDW(0, lddw), ALU64_IMM(op, 0, b), ALU64_IMM(XBPF_RSH, 0, 32), EXIT())
#define HIGH32(n, lddw, op, b, ret) \
	RUNS(n, ret, LDDW(0, lddw), ALU32_IMM(op, 0, b), ALU64_IMM(XBPF_RSH, 0, 32), EXIT())
/* rejected at both privilege levels */
#define REJ(n, e, m, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = REJECT(e, m) }

/*
 * SYSCALL: r2 = the u32 at ctx[0], bounded by the insns given, added to a
 * pointer to the 8-byte value of a one-entry array (bytes 1..8), a byte
 * read there.
 */
#define MAP_IDX(...) \
	INSNS(LDX(XBPF_W, 2, 1, 0), __VA_ARGS__, LD_MAP_VAL(1, 0, 0), \
	      ALU64_REG(XBPF_ADD, 1, 2), LDX(XBPF_B, 0, 1, 0), EXIT()), \
	.type = XBPF_PROG_TYPE_SYSCALL, \
	MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 0x0807060504030201ULL))

static const struct vcase cases[] = {
	/* every operation, register forms */
	ALU64_RR("add64 reg", XBPF_ADD, 40, 2, 42),
	ALU64_RR("sub64 reg below zero", XBPF_SUB, 0, 1, -1),
	ALU64_RR("mul64 reg negative", XBPF_MUL, -6, 7, -42),
	ALU64_RR("div64 reg", XBPF_DIV, 100, 7, 14),
	ALU64_RR("mod64 reg", XBPF_MOD, 100, 7, 2),
	ALU64_RR("or64 reg", XBPF_OR, 0x0f, 0xf0, 0xff),
	ALU64_RR("and64 reg", XBPF_AND, 0x3c, 0x0f, 0x0c),
	ALU64_RR("xor64 reg", XBPF_XOR, 0x3c, 0x0f, 0x33),
	ALU64_RR("lsh64 reg", XBPF_LSH, 3, 4, 48),
	ALU64_RR("rsh64 reg", XBPF_RSH, 48, 4, 3),
	ALU64_RR("arsh64 reg", XBPF_ARSH, -256, 4, -16),
	ALU64_RR("mov64 reg", XBPF_MOV, 1, 42, 42),
	ALU32_RR("add32 reg", XBPF_ADD, 40, 2, 42),
	ALU32_RR("sub32 reg", XBPF_SUB, 2, 44, -42),
	ALU32_RR("mul32 reg", XBPF_MUL, 0x10000, 0x10001, 0x10000),
	ALU32_RR("div32 reg unsigned", XBPF_DIV, -1, 16, 0x0fffffff),
	ALU32_RR("mod32 reg unsigned", XBPF_MOD, -1, 10, 5),
	ALU32_RR("or32 reg", XBPF_OR, 0x100, 0x23, 0x123),
	ALU32_RR("and32 reg", XBPF_AND, -1, 0x7f, 0x7f),
	ALU32_RR("xor32 reg", XBPF_XOR, -1, -1, 0),
	ALU32_RR("lsh32 reg to the sign bit", XBPF_LSH, 1, 31, 0x80000000),
	ALU32_RR("rsh32 reg of -1", XBPF_RSH, -1, 28, 0xf),
	ALU32_RR("arsh32 reg", XBPF_ARSH, -256, 4, -16),
	ALU32_RR("mov32 reg", XBPF_MOV, 1, 42, 42),

	/* the upper half */
	HIGH64("mul64 carries into the upper half", 0x100000001ULL, XBPF_MUL, 3, 3),
	HIGH64("rsh64 is logical", 0xffffffff00000000ULL, XBPF_RSH, 4, 0x0fffffff),
	HIGH64("arsh64 keeps the sign", 0x8000000000000000ULL, XBPF_ARSH, 4, 0xf8000000),
	HIGH64("lsh64 by 63", 1, XBPF_LSH, 63, 0x80000000),
	HIGH64("mov64 imm sign-extends", 0, XBPF_MOV, -1, 0xffffffff),
	HIGH32("add32 clears the upper half", 0x500000001ULL, XBPF_ADD, 1, 0),
	HIGH32("mov32 imm zero-extends", 0x500000001ULL, XBPF_MOV, -1, 0),
	HIGH32("arsh32 zero-extends", 0x80000000ULL, XBPF_ARSH, 31, 0),
	HIGH32("and32 clears the upper half", 0xffffffffffffffffULL, XBPF_AND, -1, 0),
	RUNS("arsh32 fills the low half", 0xffffffff, MOV32_IMM(0, 0x80000000),
	     ALU32_IMM(XBPF_ARSH, 0, 31), EXIT()),
	RUNS("neg32 zero-extends", 0, LDDW(0, 0x100000001ULL), NEG32(0),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("neg64 of zero", 0, MOV64_IMM(0, 0), NEG64(0), EXIT()),
	RUNS("neg64 reaches the upper half", 0xffffffff, MOV64_IMM(0, 1), NEG64(0),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),

	/* division by a zero register, at run time */
	RUNS("div32 by zero is 0", 0, MOV64_IMM(0, 42), MOV64_IMM(1, 0), ALU32_REG(XBPF_DIV, 0, 1),
	     EXIT()),
	RUNS("mod64 by zero keeps the upper half", 5, LDDW(0, 0x500000007ULL), MOV64_IMM(1, 0),
	     ALU64_REG(XBPF_MOD, 0, 1), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("mod32 by zero zero-extends", 0, LDDW(0, 0x500000007ULL), MOV64_IMM(1, 0),
	     ALU32_REG(XBPF_MOD, 0, 1), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("mod32 by zero keeps the low half", 7, LDDW(0, 0x500000007ULL), MOV64_IMM(1, 0),
	     ALU32_REG(XBPF_MOD, 0, 1), EXIT()),
	/* the 32-bit forms test only the divisor's low half */
	RUNS("div32 by a register with only high bits", 0, MOV64_IMM(0, 42),
	     LDDW(1, 0x100000000ULL), ALU32_REG(XBPF_DIV, 0, 1), EXIT()),
	RUNS("mod32 by a register with only high bits", 42, MOV64_IMM(0, 42),
	     LDDW(1, 0x100000000ULL), ALU32_REG(XBPF_MOD, 0, 1), EXIT()),
	RUNS("div64 by a register with only high bits", 2, LDDW(0, 0x200000000ULL),
	     LDDW(1, 0x100000000ULL), ALU64_REG(XBPF_DIV, 0, 1), EXIT()),
	RUNS("div64 of -1 is unsigned", 0x7fffffff, MOV64_IMM(0, -1),
	     ALU64_IMM(XBPF_DIV, 0, 2), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	/* the divisor is unknown to the walk: it may be zero */
	{ "div by a register from the context", INSNS(LDX(XBPF_W, 1, 1, 8), MOV64_IMM(0, 42),
		ALU64_REG(XBPF_DIV, 0, 1), EXIT()),
		CTX([8] = 0, [191] = 0), .expect = ACCEPT, RUN(0) },
	{ "mod by a register from the context", INSNS(LDX(XBPF_W, 1, 1, 8), MOV64_IMM(0, 42),
		ALU64_REG(XBPF_MOD, 0, 1), EXIT()),
		CTX([8] = 5, [191] = 0), .expect = ACCEPT, RUN(2) },

	/* v4: signed division, sign extension, byte swaps */
	RUNS("sdiv64 of INT64_MIN by -1", 0x80000000, LDDW(0, 0x8000000000000000ULL),
	     SALU64_IMM(XBPF_DIV, 0, -1), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("smod64 by -1 is 0", 0, MOV64_IMM(0, -7), SALU64_IMM(XBPF_MOD, 0, -1), EXIT()),
	RUNS("sdiv64 by a zero register is 0", 0, MOV64_IMM(0, -7), MOV64_IMM(1, 0),
	     SALU64_REG(XBPF_DIV, 0, 1), EXIT()),
	RUNS("smod64 by a zero register keeps dst", -7, MOV64_IMM(0, -7), MOV64_IMM(1, 0),
	     SALU64_REG(XBPF_MOD, 0, 1), EXIT()),
	RUNS("sdiv32 of INT32_MIN by -1", 0x80000000, MOV32_IMM(0, 0x80000000),
	     SALU32_IMM(XBPF_DIV, 0, -1), EXIT()),
	RUNS("smod32 negative dividend", -1, MOV32_IMM(0, -7), SALU32_IMM(XBPF_MOD, 0, 3), EXIT()),
	RUNS("smod32 negative divisor", 1, MOV32_IMM(0, 7), SALU32_IMM(XBPF_MOD, 0, -3), EXIT()),
	RUNS("sdiv32 zero-extends", 0, MOV32_IMM(0, -8), SALU32_IMM(XBPF_DIV, 0, 2),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("movsx64 from 32 bits", 0xffffffff, MOV32_IMM(1, 0x80000000), MOVSX64(0, 1, 32),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("movsx64 from 16 bits of a positive", 0x7fff, MOV64_IMM(1, 0x17fff),
	     MOVSX64(0, 1, 16), EXIT()),
	RUNS("movsx32 zero-extends", 0, MOV64_IMM(1, 0x80), MOVSX32(0, 1, 8),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("bswap64", 0x04030201, LDDW(0, 0x0102030405060708ULL), BSWAP(0, 64), EXIT()),
	RUNS("bswap64 upper half", 0x08070605, LDDW(0, 0x0102030405060708ULL), BSWAP(0, 64),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("be64 on little endian", 0x08070605, LDDW(0, 0x0102030405060708ULL),
	     END(XBPF_TO_BE, 0, 64), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("be32 clears the upper half", 0, LDDW(0, 0x0102030405060708ULL),
	     END(XBPF_TO_BE, 0, 32), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("le16 truncates", 0x5678, MOV64_IMM(0, 0x12345678), END(XBPF_TO_LE, 0, 16), EXIT()),
	RUNS("le64 keeps everything", 0x01020304, LDDW(0, 0x0102030405060708ULL),
	     END(XBPF_TO_LE, 0, 64), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),

	/* immediates the walk refuses */
	REJ("div64 by imm 0", EINVAL, "div by zero", MOV64_IMM(0, 1), ALU64_IMM(XBPF_DIV, 0, 0),
	    EXIT()),
	REJ("mod32 by imm 0", EINVAL, "div by zero", MOV64_IMM(0, 1), ALU32_IMM(XBPF_MOD, 0, 0),
	    EXIT()),
	REJ("sdiv64 by imm 0", EINVAL, "div by zero", MOV64_IMM(0, 1),
	    SALU64_IMM(XBPF_DIV, 0, 0), EXIT()),
	REJ("lsh64 by imm 64", EINVAL, "invalid shift 64", MOV64_IMM(0, 1),
	    ALU64_IMM(XBPF_LSH, 0, 64), EXIT()),
	REJ("rsh32 by imm 32", EINVAL, "invalid shift 32", MOV64_IMM(0, 1),
	    ALU32_IMM(XBPF_RSH, 0, 32), EXIT()),
	REJ("arsh64 by imm -1", EINVAL, "invalid shift -1", MOV64_IMM(0, 1),
	    ALU64_IMM(XBPF_ARSH, 0, -1), EXIT()),
	/* a shift by a register is not checked: the result is only unknown */
	{ "lsh64 by a register over 63", INSNS(MOV64_IMM(0, 1), MOV64_IMM(1, 64),
		ALU64_REG(XBPF_LSH, 0, 1), RET0), .expect = ACCEPT, RUN(0) },

	/* operands */
	REJ("src never written", EACCES, "R2 !read_ok", MOV64_IMM(0, 1),
	    ALU64_REG(XBPF_ADD, 0, 2), EXIT()),
	REJ("dst never written", EACCES, "R3 !read_ok", MOV64_IMM(0, 1),
	    ALU64_IMM(XBPF_ADD, 3, 1), RET0),
	REJ("alu32 dst never written", EACCES, "R4 !read_ok", ALU32_IMM(XBPF_OR, 4, 1), RET0),
	REJ("neg of a register never written", EACCES, "R5 !read_ok", NEG64(5), RET0),
	REJ("bswap of a register never written", EACCES, "R6 !read_ok", BSWAP(6, 16), RET0),
	REJ("return without r0", EACCES, "R0 !read_ok", MOV64_IMM(1, 0), EXIT()),
	REJ("mov into r10", EACCES, "frame pointer is read only", MOV64_IMM(10, 0), RET0),
	REJ("add to r10", EACCES, "frame pointer is read only", ALU64_IMM(XBPF_ADD, 10, -8), RET0),
	REJ("mov32 into r10", EACCES, "frame pointer is read only", MOV32_REG(10, 1), RET0),
	{ "mov64 overwrites a register never read", INSNS(MOV64_IMM(7, 1), MOV64_REG(0, 7),
		ALU64_IMM(XBPF_ADD, 0, 1), EXIT()), .expect = ACCEPT, RUN(2) },

	/* pointers in ALU ops */
	REJ("mul on the frame pointer", EACCES, "R0 pointer arithmetic with *= operator prohibited",
	    MOV64_REG(0, 10), ALU64_IMM(XBPF_MUL, 0, 2), EXIT()),
	REJ("lsh on the context", EACCES, "R1 pointer arithmetic with <<= operator prohibited",
	    ALU64_IMM(XBPF_LSH, 1, 1), RET0),
	REJ("32-bit add on the context", EACCES, "R1 32-bit pointer arithmetic prohibited",
	    ALU32_IMM(XBPF_ADD, 1, 4), RET0),
	REJ("pointer plus pointer", EACCES, "R1 pointer += pointer prohibited",
	    ALU64_REG(XBPF_ADD, 1, 10), RET0),
	{ "map pointer plus a constant", INSNS(LD_MAP(1, 0), ALU64_IMM(XBPF_ADD, 1, 8), RET0),
		MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EACCES, "R1 pointer arithmetic on map_ptr prohibited") },
	{ .name = "scalar minus the context", INSNS(MOV64_IMM(0, 1), ALU64_REG(XBPF_SUB, 0, 1),
		EXIT()), .type = XBPF_PROG_TYPE_SYSCALL,
		.expect = REJECT(EACCES, "R0 tried to subtract pointer from scalar") },
	/* privileged: the result is an unknown scalar; unprivileged: a leak */
	{ "mov32 of the context", INSNS(MOV32_REG(0, 1), RET0),
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R1 partial copy of pointer") },
	{ "pointer minus pointer", INSNS(MOV64_REG(0, 10), ALU64_REG(XBPF_SUB, 0, 1), RET0),
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R0 pointer -= pointer prohibited") },
	/* Linux's order and words (adjust_ptr_min_max_vals) */
	REJ("subtract a constant from the frame pointer", EACCES,
	    "R1 subtraction from stack pointer prohibited", MOV64_REG(1, 10),
	    ALU64_IMM(XBPF_SUB, 1, 8), RET0),
	REJ("subtract a register from the frame pointer", EACCES,
	    "R1 subtraction from stack pointer prohibited", MOV64_IMM(2, 8), MOV64_REG(1, 10),
	    ALU64_REG(XBPF_SUB, 1, 2), RET0),
	REJ("and on the frame pointer", EACCES, "R0 bitwise operator &= on pointer prohibited",
	    MOV64_REG(0, 10), ALU64_IMM(XBPF_AND, 0, -8), EXIT()),
	REJ("or on the context", EACCES, "R1 bitwise operator |= on pointer prohibited",
	    ALU64_IMM(XBPF_OR, 1, 1), RET0),
	REJ("xor of the context with a register", EACCES,
	    "R1 bitwise operator ^= on pointer prohibited", MOV64_IMM(2, 1),
	    ALU64_REG(XBPF_XOR, 1, 2), RET0),
	REJ("add 2^29 to the frame pointer", EINVAL, "math between fp pointer and 536870912 is not allowed",
	    MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, 0x20000000), RET0),
	REJ("context offset growing past 2^29", EINVAL, "ctx pointer offset 1073741822 is not allowed",
	    ALU64_IMM(XBPF_ADD, 1, 0x1fffffff), ALU64_IMM(XBPF_ADD, 1, 0x1fffffff), RET0),
	{ "map pointer plus a known zero register", INSNS(MOV64_IMM(2, 0), LD_MAP(1, 0),
		ALU64_REG(XBPF_ADD, 1, 2), RET0), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "R1 has pointer with unsupported alu operation") },
	/* neg and end make a pointer a number for whoever may see addresses */
	{ "neg of the context", INSNS(NEG64(1), RET_IMM(1)), .expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "R1 pointer arithmetic prohibited") },
	{ "32-bit neg of the frame pointer", INSNS(MOV64_REG(2, 10), NEG32(2), RET_IMM(1)),
		.expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "R2 pointer arithmetic prohibited") },
	{ "end of the context", INSNS(END(XBPF_TO_BE, 1, 64), RET_IMM(1)), .expect = ACCEPT,
		RUN(1), .expect_unpriv = REJECT(EACCES, "R1 pointer arithmetic prohibited") },
	{ "neg leaves no pointer", INSNS(NEG64(1), LDX(XBPF_W, 0, 1, 0), EXIT()),
		.expect = REJECT(EACCES, "R1 invalid mem access 'scalar'"),
		.expect_unpriv = REJECT(EACCES, "R1 pointer arithmetic prohibited") },
	{ "32-bit pointer minus pointer", INSNS(MOV64_REG(0, 10), ALU32_REG(XBPF_SUB, 0, 1), RET0),
		.expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "R0 pointer -= pointer prohibited") },
	{ "32-bit pointer minus a constant", INSNS(MOV64_REG(0, 10), ALU32_IMM(XBPF_SUB, 0, 8),
		RET0), .expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "R0 32-bit pointer arithmetic prohibited") },
	/* what the bounds prove: an index into an 8-byte map value */
	{ "index masked to [0,7] is in the value", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 7)),
		CTX(3, 0, 0, 0), .expect = ACCEPT, RUN(4) },
	{ "index masked to [0,7] from a large input", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 7)),
		CTX(0xff, 0xff, 0, 0), .expect = ACCEPT, RUN(8) },
	{ "index checked below 8 is in the value",
		MAP_IDX(JMP_IMM(XBPF_JLT, 2, 8, 2), RET0), CTX(5, 0, 0, 0),
		.expect = ACCEPT, RUN(6) },
	{ "index up to 8 is past the value",
		MAP_IDX(JMP_IMM(XBPF_JLE, 2, 8, 2), RET0), CTX(5, 0, 0, 0),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=8 size=1") },
	{ "index masked to [0,15] is past the value", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 15)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=15 size=1") },
	{ "u32 index rsh 29", MAP_IDX(ALU64_IMM(XBPF_RSH, 2, 29)), CTX(0, 0, 0, 0xff),
		.expect = ACCEPT, RUN(8) },
	{ "index masked, then plus 1", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 7),
		ALU64_IMM(XBPF_ADD, 2, 1)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=8 size=1") },
	{ "index masked to [0,6], then plus 1", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 6),
		ALU64_IMM(XBPF_ADD, 2, 1)), CTX(6, 0, 0, 0), .expect = ACCEPT, RUN(8) },
	{ "index sign-checked both ways", MAP_IDX(ALU64_IMM(XBPF_SUB, 2, 4),
		JMP_IMM(XBPF_JSGT, 2, 3, 2), JMP_IMM(XBPF_JSLT, 2, 0, 1), JA(2), RET0),
		CTX(7, 0, 0, 0), .expect = ACCEPT, RUN(4) },
	{ "32-bit and bounds the index", MAP_IDX(LDX(XBPF_DW, 2, 1, 0), ALU32_IMM(XBPF_AND, 2, 7)),
		CTX(2, 0, 0, 0, 0, 0, 0, 0x80), .expect = ACCEPT, RUN(3) },
	{ "mov32 of a masked index keeps it", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 7),
		MOV32_REG(2, 2)), CTX(1, 0, 0, 0), .expect = ACCEPT, RUN(2) },
	{ "index times 2 masked to [0,3]", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 3),
		ALU64_IMM(XBPF_MUL, 2, 2)), CTX(3, 0, 0, 0), .expect = ACCEPT, RUN(7) },
	{ "index times 3 masked to [0,3]", MAP_IDX(ALU64_IMM(XBPF_AND, 2, 3),
		ALU64_IMM(XBPF_MUL, 2, 3)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=9 size=1") },
	{ "index from a byte load, rsh 5", MAP_IDX(LDX(XBPF_B, 2, 1, 1), ALU64_IMM(XBPF_RSH, 2, 5)),
		CTX(0, 0xe0, 0, 0), .expect = ACCEPT, RUN(8) },
	{ "index from a byte load, rsh 4", MAP_IDX(LDX(XBPF_B, 2, 1, 1), ALU64_IMM(XBPF_RSH, 2, 4)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=15 size=1") },
};

VCASE_GROUP(alu, cases);

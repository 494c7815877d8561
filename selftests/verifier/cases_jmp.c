// SPDX-License-Identifier: GPL-2.0
/*
 * JMP and JMP32 conditions and what they teach the walk.  A branch the
 * bounds prove never taken is not followed, so code behind it may read a
 * register never written (R5) and still be accepted, as in Linux; when the
 * bounds allow the branch, the read is refused.  Both arms of branches on
 * values the walk cannot know run with a given context.
 */
#include "vcase.h"

/*
 * SYSCALL (privileged only: an unprivileged caller's dead branches are
 * walked too, as speculative paths): r2 = the u32 at ctx[0], then the
 * insns given (refinements), then "if cond goto bad": the fall-through
 * returns 1, bad returns R5 (never written).
 */
#define CTX_THEN(...) \
	INSNS(LDX(XBPF_W, 2, 1, 0), __VA_ARGS__, RET_IMM(1), MOV64_REG(0, 5), EXIT()), \
	.type = XBPF_PROG_TYPE_SYSCALL
#define DEAD(n, ...) \
	{ .name = (n), CTX_THEN(__VA_ARGS__), CTX(0, 0, 0, 0, 0, 0, 0, 0), .expect = ACCEPT, \
	  RUN(1) }
#define LIVE(n, ...) \
	{ .name = (n), CTX_THEN(__VA_ARGS__), .expect = REJECT(EACCES, "R5 !read_ok") }
/* the jump to bad, two insns on */
#define BAD_IF(op, r, imm)	JMP_IMM(op, r, imm, 2)
#define BAD_IF32(op, r, imm)	JMP32_IMM(op, r, imm, 2)
/* if r2 op imm, skip over an exit with 1 (the check that refines r2) */
#define KEEP_IF(op, imm)	JMP_IMM(op, 2, imm, 2), RET_IMM(1)
#define KEEP_IF32(op, imm)	JMP32_IMM(op, 2, imm, 2), RET_IMM(1)

/* socket filter: r0 = 1 when "r2 op imm" is taken for skb->mark, else 2 */
#define ARMS(n, jmp, mark, ret) \
	{ .name = (n), INSNS(LDX(XBPF_W, 2, 1, 8), jmp, RET_IMM(2), RET_IMM(1)), \
	  CTX([8] = (mark) & 0xff, [9] = ((mark) >> 8) & 0xff, [10] = ((mark) >> 16) & 0xff, \
	      [11] = ((mark) >> 24) & 0xff, [191] = 0), .expect = ACCEPT, RUN(ret) }

/*
 * socket filter: r2 = skb->mark & 7 (mark 5 at run time), then the insns
 * given, whose dead arm only a speculative walk sees: privileged accept,
 * unprivileged refused.
 */
#define MARK7(...) \
	INSNS(LDX(XBPF_W, 2, 1, 8), ALU64_IMM(XBPF_AND, 2, 7), __VA_ARGS__), \
	CTX([8] = 5, [191] = 0), .expect = ACCEPT, RUN(1)
#define SPEC(n, ...) \
	{ .name = (n), MARK7(__VA_ARGS__), .expect_unpriv = REJECT(EACCES, "R5 !read_ok") }
#define SPEC_MAP(n, ...) \
	{ .name = (n), MARK7(__VA_ARGS__), MAPS(MAP_ARRAY(4, 8, 1)), \
	  .expect_unpriv = REJECT(EINVAL, "math between map_value pointer and register with " \
				  "unbounded min value is not allowed") }

static const struct vcase cases[] = {
	/* unsigned bounds */
	DEAD("jgt past a jle bound", KEEP_IF(XBPF_JLE, 7), BAD_IF(XBPF_JGT, 2, 10)),
	LIVE("jgt inside a jle bound", KEEP_IF(XBPF_JLE, 7), BAD_IF(XBPF_JGT, 2, 6)),
	DEAD("jgt at a jle bound", KEEP_IF(XBPF_JLE, 7), BAD_IF(XBPF_JGT, 2, 7)),
	DEAD("jlt under a jge bound", KEEP_IF(XBPF_JGE, 5), BAD_IF(XBPF_JLT, 2, 5)),
	LIVE("jlt above a jge bound", KEEP_IF(XBPF_JGE, 5), BAD_IF(XBPF_JLT, 2, 6)),
	DEAD("jge past a jlt bound", KEEP_IF(XBPF_JLT, 5), BAD_IF(XBPF_JGE, 2, 5)),
	DEAD("jle under a jgt bound", KEEP_IF(XBPF_JGT, 5), BAD_IF(XBPF_JLE, 2, 5)),
	DEAD("jgt past a mask", ALU64_IMM(XBPF_AND, 2, 0xf), BAD_IF(XBPF_JGT, 2, 15)),
	LIVE("jgt inside a mask", ALU64_IMM(XBPF_AND, 2, 0xf), BAD_IF(XBPF_JGT, 2, 14)),
	DEAD("jne of a known value", KEEP_IF(XBPF_JEQ, 9), BAD_IF(XBPF_JNE, 2, 9)),
	LIVE("jne of a range", KEEP_IF(XBPF_JLT, 9), BAD_IF(XBPF_JNE, 2, 8)),
	DEAD("jgt of a u32 past U32_MAX", LDDW(3, 0xffffffffULL), JMP_REG(XBPF_JGT, 2, 3, 2)),
	DEAD("jle of an even value against 1", ALU64_IMM(XBPF_OR, 2, 2),
	     BAD_IF(XBPF_JLE, 2, 1)),

	/* signed bounds */
	DEAD("jslt of a u32 below zero", BAD_IF(XBPF_JSLT, 2, 0)),
	LIVE("jslt32 of a u32 below zero", BAD_IF32(XBPF_JSLT, 2, 0)),
	DEAD("jslt under a shifted range", ALU64_IMM(XBPF_SUB, 2, 100),
	     BAD_IF(XBPF_JSLT, 2, -100)),
	LIVE("jslt inside a shifted range", ALU64_IMM(XBPF_SUB, 2, 100),
	     BAD_IF(XBPF_JSLT, 2, -99)),
	DEAD("jsgt past a jsle bound", KEEP_IF(XBPF_JSLE, 3), BAD_IF(XBPF_JSGT, 2, 3)),
	DEAD("jslt after an unsigned bound", ALU64_IMM(XBPF_SUB, 2, 4),
	     KEEP_IF(XBPF_JLE, 3), BAD_IF(XBPF_JSLT, 2, 0)),
	DEAD("jsge of a non-negative range", ALU64_IMM(XBPF_RSH, 2, 1),
	     BAD_IF(XBPF_JSLT, 2, 0)),
	DEAD("jsle after a signed floor", ALU64_IMM(XBPF_SUB, 2, 10), KEEP_IF(XBPF_JSGE, -3),
	     BAD_IF(XBPF_JSLE, 2, -4)),

	/* 32 and 64 bits */
	DEAD("jgt after a jgt32", KEEP_IF32(XBPF_JLE, 7), BAD_IF(XBPF_JGT, 2, 7)),
	DEAD("jgt32 after a jgt", KEEP_IF(XBPF_JLE, 7), BAD_IF32(XBPF_JGT, 2, 7)),
	DEAD("jne32 of a shifted value", ALU64_IMM(XBPF_LSH, 2, 32), BAD_IF32(XBPF_JNE, 2, 0)),
	LIVE("jne of a shifted value", ALU64_IMM(XBPF_LSH, 2, 32), BAD_IF(XBPF_JNE, 2, 0)),
	LIVE("jeq32 of a value with bit 32 set", LDDW(3, 0x100000000ULL),
	     ALU64_REG(XBPF_OR, 2, 3), BAD_IF32(XBPF_JEQ, 2, 0)),
	LIVE("jgt32 bound leaves the upper half", LDDW(3, 0x100000000ULL),
	     ALU64_REG(XBPF_OR, 2, 3), KEEP_IF32(XBPF_JLE, 7), BAD_IF(XBPF_JGT, 2, 7)),
	DEAD("jsgt32 of a masked value", ALU32_IMM(XBPF_AND, 2, 0x7fffffff),
	     BAD_IF32(XBPF_JSLT, 2, 0)),
	DEAD("jset32 of a shifted value", ALU64_IMM(XBPF_LSH, 2, 32), BAD_IF32(XBPF_JSET, 2, -1)),

	/* jset */
	DEAD("jset on a cleared bit", ALU64_IMM(XBPF_AND, 2, 6), BAD_IF(XBPF_JSET, 2, 1)),
	LIVE("jset on a possible bit", ALU64_IMM(XBPF_AND, 2, 6), BAD_IF(XBPF_JSET, 2, 2)),
	DEAD("jset on a set bit is taken", ALU64_IMM(XBPF_OR, 2, 4),
	     JMP_IMM(XBPF_JSET, 2, 4, 1), JA(2)),
	DEAD("jset of a constant", MOV64_IMM(2, 8), BAD_IF(XBPF_JSET, 2, 7)),

	/* registers compared with registers */
	DEAD("jeq with a constant register", MOV64_IMM(3, 5), JMP_REG(XBPF_JEQ, 2, 3, 2), RET_IMM(1),
	     BAD_IF(XBPF_JNE, 2, 5)),
	DEAD("jlt with a constant register", MOV64_IMM(3, 8), JMP_REG(XBPF_JLT, 2, 3, 2), RET_IMM(1),
	     BAD_IF(XBPF_JGT, 2, 7)),
	DEAD("jeq between unknowns narrows both", ALU64_IMM(XBPF_AND, 2, 7), LDX(XBPF_W, 3, 1, 4),
	     JMP_REG(XBPF_JEQ, 2, 3, 2), RET_IMM(1), BAD_IF(XBPF_JGT, 3, 7)),
	DEAD("jne of two equal constants", MOV64_IMM(3, 3), MOV64_IMM(4, 3),
	     JMP_REG(XBPF_JNE, 3, 4, 2)),
	LIVE("a mov32 copy shares no bounds", MOV32_REG(3, 2), KEEP_IF(XBPF_JLE, 7),
	     BAD_IF(XBPF_JGT, 3, 7)),
	LIVE("a copy changed after the move", MOV64_REG(3, 2), ALU64_IMM(XBPF_ADD, 3, 1),
	     KEEP_IF(XBPF_JLE, 7), BAD_IF(XBPF_JGT, 3, 7)),

	/* constants decide the branch */
	DEAD("known taken jgt", MOV64_IMM(2, 9), JMP_IMM(XBPF_JGT, 2, 4, 1), JA(2)),
	DEAD("known jsgt32 on a negative low half", LDDW(2, 0x80000000ULL),
	     BAD_IF32(XBPF_JSGT, 2, 0)),
	LIVE("unknown jeq", BAD_IF(XBPF_JEQ, 2, 0)),
	{ "jump on a register never written", INSNS(JMP_IMM(XBPF_JEQ, 5, 0, 0), RET0),
		.expect = REJECT(EACCES, "R5 !read_ok") },
	{ "jump32 on a register never written", INSNS(MOV64_IMM(0, 0), JMP32_REG(XBPF_JGT, 0, 6, 0),
		EXIT()), .expect = REJECT(EACCES, "R6 !read_ok") },

	/* an unprivileged caller's dead branch is walked as a speculative path */
	SPEC("dead jgt arm reads R5", JMP_IMM(XBPF_JGT, 2, 10, 2), RET_IMM(1),
	     MOV64_REG(0, 5), EXIT()),
	SPEC("dead fall-through of a jle reads R5", JMP_IMM(XBPF_JLE, 2, 10, 2),
	     MOV64_REG(0, 5), EXIT(), RET_IMM(1)),
	SPEC("dead jgt32 arm reads R5", JMP32_IMM(XBPF_JGT, 2, 10, 2), RET_IMM(1),
	     MOV64_REG(0, 5), EXIT()),
	SPEC("dead jeq arm reads R5 (register operand)", MOV64_IMM(3, 9),
	     JMP_REG(XBPF_JEQ, 2, 3, 2), RET_IMM(1), MOV64_REG(0, 5), EXIT()),
	/* the speculative arm knows nothing of the compared registers */
	SPEC_MAP("dead arm adds the compared register to a map value",
		 JMP_IMM(XBPF_JGT, 2, 10, 2), RET_IMM(1), LD_MAP_VAL(1, 0, 0),
		 ALU64_REG(XBPF_ADD, 1, 2), LDX(XBPF_B, 0, 1, 0), EXIT()),
	SPEC_MAP("dead arm adds the compared source register to a map value", MOV64_IMM(3, 8),
		 JMP_REG(XBPF_JGT, 2, 3, 2), RET_IMM(1), LD_MAP_VAL(1, 0, 0),
		 ALU64_REG(XBPF_ADD, 1, 3), LDX(XBPF_B, 0, 1, 0), EXIT()),
	/* a harmless dead arm is accepted for everyone */
	{ .name = "dead arm that only returns", INSNS(LDX(XBPF_W, 2, 1, 8),
	  ALU64_IMM(XBPF_AND, 2, 7), JMP_IMM(XBPF_JGT, 2, 10, 2), RET_IMM(1), RET_IMM(2)),
	  CTX([8] = 5, [191] = 0), .expect = ACCEPT, RUN(1) },
	{ .name = "dead arm reads the compared register", INSNS(LDX(XBPF_W, 2, 1, 8),
	  ALU64_IMM(XBPF_AND, 2, 7), JMP_IMM(XBPF_JGT, 2, 10, 2), RET_IMM(1),
	  MOV64_REG(0, 2), EXIT()),
	  CTX([8] = 5, [191] = 0), .expect = ACCEPT, RUN(1) },
	/* both arms at run time */
	ARMS("jeq taken on the mark", JMP_IMM(XBPF_JEQ, 2, 3, 2), 3, 1),
	ARMS("jeq not taken on the mark", JMP_IMM(XBPF_JEQ, 2, 3, 2), 4, 2),
	ARMS("jsgt of a u32 as 64 bits", JMP_IMM(XBPF_JSGT, 2, 0, 2), 0xffffffff, 1),
	ARMS("jsgt32 of a u32 as 32 bits", JMP32_IMM(XBPF_JSGT, 2, 0, 2), 0xffffffff, 2),
	ARMS("jset taken on the mark", JMP_IMM(XBPF_JSET, 2, 0x100, 2), 0x300, 1),
	ARMS("jle32 taken on the mark", JMP32_IMM(XBPF_JLE, 2, -1, 2), 0x7, 1),
	ARMS("jlt not taken on the mark", JMP_IMM(XBPF_JLT, 2, 0x10000, 2), 0x10000, 2),
	ARMS("jsle32 taken on a negative mark", JMP32_IMM(XBPF_JSLE, 2, -2, 2), 0xfffffffe, 1),
};

VCASE_GROUP(jmp, cases);

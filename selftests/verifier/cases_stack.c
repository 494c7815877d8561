// SPDX-License-Identifier: GPL-2.0
/*
 * The stack: spill and fill of scalars and pointers, what a fill keeps
 * (bounds only for bpf_capable callers, as in Linux 6.1), narrow and
 * partial writes, pointer spills and fills, the 512-byte frame, stores of
 * constants.
 */
#include "vcase.h"

#define RUNS(n, ret, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = ACCEPT, RUN(ret) }
#define REJ(n, e, m, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = REJECT(e, m) }
/*
 * SYSCALL (privileged): the insns given leave a value in r3, then "if r3
 * op imm goto bad", bad reading R5 (never written): accepted only when
 * the walk knows the branch is never taken.
 */
#define R3_DEAD(n, op, imm, ...) \
	{ .name = (n), INSNS(__VA_ARGS__, JMP_IMM(op, 3, imm, 2), RET_IMM(1), MOV64_REG(0, 5), \
	  EXIT()), .type = XBPF_PROG_TYPE_SYSCALL, CTX(0, 0, 0, 0), .expect = ACCEPT, RUN(1) }
#define R3_LIVE(n, op, imm, ...) \
	{ .name = (n), INSNS(__VA_ARGS__, JMP_IMM(op, 3, imm, 2), RET_IMM(1), MOV64_REG(0, 5), \
	  EXIT()), .type = XBPF_PROG_TYPE_SYSCALL, .expect = REJECT(EACCES, "R5 !read_ok") }

/*
 * Socket filter, skb->mark 0: as R3_DEAD, but the branch is dead only to
 * a bpf_capable walk (SOCK_R3) or to every walk (SOCK_R3_ALL).
 */
#define SOCK_R3_INSNS(op, imm, ...) \
	INSNS(__VA_ARGS__, JMP_IMM(op, 3, imm, 2), RET_IMM(1), MOV64_REG(0, 5), EXIT()), \
	CTX([191] = 0), .expect = ACCEPT, RUN(1)
#define SOCK_R3(n, op, imm, ...) \
	{ .name = (n), SOCK_R3_INSNS(op, imm, __VA_ARGS__), \
	  .expect_unpriv = REJECT(EACCES, "R5 !read_ok") }
/*
 * Socket filter: r3 from the insns given is added to a pointer to an
 * 8-byte map value and a byte read there: an unknown r3 is refused.
 */
#define MAP_R3_INSNS(...) \
	INSNS(__VA_ARGS__, LD_MAP_VAL(1, 0, 0), ALU64_REG(XBPF_ADD, 1, 3), \
	      LDX(XBPF_B, 0, 1, 0), EXIT()), \
	CTX([191] = 0), MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(0)
#define MAP_R3(n, ...) \
	{ .name = (n), MAP_R3_INSNS(__VA_ARGS__), \
	  .expect_unpriv = REJECT(EINVAL, "math between map_value pointer and register with " \
				  "unbounded min value is not allowed") }
#define MAP_R3_ALL(n, ...) \
	{ .name = (n), MAP_R3_INSNS(__VA_ARGS__) }

static const struct vcase cases[] = {
	/* scalars */
	RUNS("spill and fill a scalar", 42, MOV64_IMM(1, 42), STX(XBPF_DW, 10, 1, -8),
	     LDX(XBPF_DW, 0, 10, -8), EXIT()),
	RUNS("fill into another register", 7, MOV64_IMM(1, 7), STX(XBPF_DW, 10, 1, -16),
	     MOV64_IMM(1, 0), LDX(XBPF_DW, 0, 10, -16), EXIT()),
	RUNS("byte read of a spilled scalar", 0x34, MOV64_IMM(1, 0x1234), STX(XBPF_DW, 10, 1, -8),
	     LDX(XBPF_B, 0, 10, -8), EXIT()),
	RUNS("half read of a spilled scalar's upper bytes", 0x1234, LDDW(1, 0x1234000000000000ULL),
	     STX(XBPF_DW, 10, 1, -8), LDX(XBPF_H, 0, 10, -2), EXIT()),
	RUNS("narrow writes make a word", 0x08070605, ST(XBPF_W, 10, -8, 0x04030201),
	     ST(XBPF_H, 10, -4, 0x0605), ST(XBPF_B, 10, -2, 7), ST(XBPF_B, 10, -1, 8),
	     LDX(XBPF_DW, 0, 10, -8), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("narrow write into a spilled scalar", 0x12340099, LDDW(1, 0x1234ffffULL),
	     STX(XBPF_DW, 10, 1, -8), ST(XBPF_H, 10, -8, 0x99), LDX(XBPF_DW, 0, 10, -8), EXIT()),
	RUNS("st of a negative constant sign-extends", 0xffffffff, ST(XBPF_DW, 10, -8, -1),
	     LDX(XBPF_DW, 0, 10, -8), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("u32 store leaves the neighbour", 0x11, ST(XBPF_DW, 10, -8, 0), ST(XBPF_W, 10, -8, 0x11),
	     ST(XBPF_W, 10, -4, 0x22), LDX(XBPF_W, 0, 10, -8), EXIT()),
	RUNS("through a derived pointer", 9, MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16),
	     ST(XBPF_DW, 1, 8, 9), LDX(XBPF_DW, 0, 10, -8), EXIT()),
	RUNS("whole frame, both ends", 3, ST(XBPF_DW, 10, -512, 1), ST(XBPF_DW, 10, -8, 2),
	     LDX(XBPF_DW, 0, 10, -512), LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), EXIT()),
	RUNS("ldsx of a spilled half", -2, MOV64_IMM(1, 0xfffe), STX(XBPF_DW, 10, 1, -8),
	     LDXS(XBPF_H, 0, 10, -8), EXIT()),

	/* what a fill knows: bounds survive only for bpf_capable callers */
	R3_DEAD("filled constant is known", XBPF_JNE, 5, MOV64_IMM(2, 5), STX(XBPF_DW, 10, 2, -8),
		LDX(XBPF_DW, 3, 10, -8)),
	R3_DEAD("filled bounds are kept", XBPF_JGT, 7, LDX(XBPF_W, 2, 1, 0),
		ALU64_IMM(XBPF_AND, 2, 7), STX(XBPF_DW, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	R3_DEAD("st of a constant is known", XBPF_JNE, 7, ST(XBPF_DW, 10, -8, 7),
		LDX(XBPF_DW, 3, 10, -8)),
	R3_DEAD("st of zero is known", XBPF_JNE, 0, ST(XBPF_DW, 10, -16, 0),
		LDX(XBPF_DW, 3, 10, -16)),
	R3_DEAD("zero register spill is known", XBPF_JNE, 0, MOV64_IMM(2, 0),
		STX(XBPF_DW, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	R3_LIVE("byte fill of a spilled constant is unknown", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_DW, 10, 2, -8), LDX(XBPF_B, 3, 10, -8)),
	R3_LIVE("narrow write ends the spill", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_DW, 10, 2, -8), ST(XBPF_B, 10, -1, 0), LDX(XBPF_DW, 3, 10, -8)),
	R3_LIVE("misc bytes are unknown", XBPF_JNE, 0, LDX(XBPF_W, 2, 1, 0),
		STX(XBPF_W, 10, 2, -8), ST(XBPF_W, 10, -4, 0), LDX(XBPF_DW, 3, 10, -8)),
	/*
	 * Linux 6.1 keeps a spilled scalar only for bpf_capable callers (a
	 * known 0 becomes zero bytes, for everyone); others fill unknown bytes.
	 */
	SOCK_R3("unprivileged: a spilled constant is not kept", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_DW, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3("unprivileged: a spilled constant is unknown", MOV64_IMM(2, 5),
	       STX(XBPF_DW, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3("unprivileged: spilled bounds are not kept", LDX(XBPF_W, 2, 1, 8),
	       ALU64_IMM(XBPF_AND, 2, 7), STX(XBPF_DW, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3("unprivileged: st of a constant is unknown", ST(XBPF_DW, 10, -8, 7),
	       LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3_ALL("st of zero is known to everyone", ST(XBPF_DW, 10, -8, 0),
		   LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3_ALL("zero register spill is known to everyone", MOV64_IMM(2, 0),
		   STX(XBPF_DW, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3_ALL("two narrow zero stores fill a known zero", ST(XBPF_W, 10, -8, 0),
		   ST(XBPF_W, 10, -4, 0), LDX(XBPF_DW, 3, 10, -8)),
	MAP_R3_ALL("narrow read of zero bytes is known", MOV64_IMM(2, 0),
		   STX(XBPF_H, 10, 2, -6), LDX(XBPF_H, 3, 10, -6)),
	R3_LIVE("zero bytes beside misc bytes are unknown", XBPF_JNE, 0, MOV64_IMM(2, 0),
		STX(XBPF_W, 10, 2, -8), LDX(XBPF_W, 2, 1, 0), STX(XBPF_W, 10, 2, -4),
		LDX(XBPF_DW, 3, 10, -8)),

	/*
	 * Linux 6.1's narrow spill (bpf_capable): a scalar stored with 1, 2
	 * or 4 bytes at the start of a slot comes back from a fill of that
	 * size there; as the bytes hold it (a value that does not fit them
	 * comes back as its low bytes, zero-extended, as the load gives it).
	 */
	R3_DEAD("narrow spill fills back its constant", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_W, 10, 2, -8), LDX(XBPF_W, 3, 10, -8)),
	R3_DEAD("narrow spill keeps bounds", XBPF_JGT, 7, LDX(XBPF_W, 2, 1, 0),
		ALU64_IMM(XBPF_AND, 2, 7), STX(XBPF_B, 10, 2, -16), LDX(XBPF_B, 3, 10, -16)),
	R3_DEAD("narrow st of a constant fills back", XBPF_JNE, 7, ST(XBPF_H, 10, -8, 7),
		LDX(XBPF_H, 3, 10, -8)),
	R3_DEAD("narrow spill of 0x1ff as a byte fills as 0xff", XBPF_JNE, 0xff,
		MOV64_IMM(2, 0x1ff), STX(XBPF_B, 10, 2, -8), LDX(XBPF_B, 3, 10, -8)),
	R3_DEAD("narrow st of -1 as a half fills as 0xffff", XBPF_JNE, 0xffff,
		ST(XBPF_H, 10, -8, -1), LDX(XBPF_H, 3, 10, -8)),
	RUNS("narrow spill of 0x1ff as a byte reads 0xff", 0xff, MOV64_IMM(2, 0x1ff),
	     STX(XBPF_B, 10, 2, -8), LDX(XBPF_B, 0, 10, -8), EXIT()),
	RUNS("narrow spill of a large word reads its low half", 0x5678,
	     LDDW(2, 0x1234567800005678ULL), STX(XBPF_W, 10, 2, -8), LDX(XBPF_W, 0, 10, -8),
	     EXIT()),
	R3_LIVE("narrow spill, fill of another size is unknown", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_W, 10, 2, -8), LDX(XBPF_H, 3, 10, -8)),
	R3_LIVE("narrow store not at a slot's start is bytes", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_W, 10, 2, -4), LDX(XBPF_W, 3, 10, -4)),
	R3_LIVE("narrow spill, 8-byte fill is unknown", XBPF_JNE, 5, ST(XBPF_DW, 10, -8, 0),
		MOV64_IMM(2, 5), STX(XBPF_W, 10, 2, -8), LDX(XBPF_DW, 3, 10, -8)),
	R3_LIVE("narrow write over a narrow spill ends it", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_W, 10, 2, -8), ST(XBPF_B, 10, -8, 5), LDX(XBPF_W, 3, 10, -8)),
	SOCK_R3("unprivileged: a narrow spill is not kept", XBPF_JNE, 5, MOV64_IMM(2, 5),
		STX(XBPF_W, 10, 2, -8), LDX(XBPF_W, 3, 10, -8)),

	/*
	 * Uninitialised stack: readable (as unknown bytes) with
	 * allow_uninit_stack (perfmon); otherwise a read below the deepest
	 * access so far is out of bounds, one above it reads a hole.
	 */
	{ "read of stack never written", INSNS(LDX(XBPF_DW, 0, 10, -8), RET_IMM(1)),
		.expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "invalid read from stack R10 off=-8 size=8") },
	{ "read below the deepest write", INSNS(ST(XBPF_DW, 10, -8, 1), LDX(XBPF_DW, 0, 10, -16),
		RET_IMM(1)), .expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "invalid read from stack R10 off=-16 size=8") },
	{ "read of a hole in the stack", INSNS(ST(XBPF_DW, 10, -16, 1), LDX(XBPF_DW, 0, 10, -8),
		RET_IMM(1)), .expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "invalid read from stack off -8+0 size 8") },
	{ "read of a slot's unwritten half", INSNS(ST(XBPF_W, 10, -8, 1), LDX(XBPF_DW, 0, 10, -8),
		RET_IMM(1)), .expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "invalid read from stack off -8+4 size 8") },
	{ "uninitialised bytes read as unknown", INSNS(LDX(XBPF_DW, 3, 10, -8),
		JMP_IMM(XBPF_JNE, 3, 0, 2), RET_IMM(1), MOV64_REG(0, 5), EXIT()),
		.expect = REJECT(EACCES, "R5 !read_ok"),
		.expect_unpriv = REJECT(EACCES, "invalid read from stack R10 off=-8 size=8") },
	{ "a read does not grow the readable stack", INSNS(LDX(XBPF_DW, 0, 10, -16),
		LDX(XBPF_DW, 0, 10, -8), RET_IMM(1)), .expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "invalid read from stack R10 off=-16 size=8") },
	/* helpers: the same rule, bounds as for a write */
	{ "lookup with a key never written", INSNS(MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), RET_IMM(1)),
		MAPS(MAP_HASH(8, 8, 1)), .expect = ACCEPT, RUN(1),
		.expect_unpriv = REJECT(EACCES, "invalid indirect read from stack R2 off -8+0 size 8") },
	{ "lookup with a key reaching past fp", INSNS(ST(XBPF_DW, 10, -8, 0), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		RET_IMM(1)), MAPS(MAP_HASH(8, 8, 1)),
		.expect = REJECT(EINVAL, "invalid indirect access to stack R2 off=-4 size=8") },
	{ "lookup with a key below the frame", INSNS(MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -512), ST(XBPF_DW, 2, 0, 0), ALU64_IMM(XBPF_ADD, 2, -8),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), RET_IMM(1)),
		MAPS(MAP_HASH(8, 8, 1)),
		.expect = REJECT(EACCES, "invalid indirect access to stack R2 off=-520 size=8"),
		.expect_unpriv = REJECT(EACCES, "R2 stack pointer arithmetic goes out of range") },
	/* Linux cannot tell a helper's reads from its writes: zero bytes it saw are unknown */
	{ "a key's zero bytes are unknown after the lookup", INSNS(ST(XBPF_DW, 10, -8, 0),
		MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_lookup_elem), LDX(XBPF_DW, 3, 10, -8),
		JMP_IMM(XBPF_JNE, 3, 0, 2), RET_IMM(1), MOV64_REG(0, 5), EXIT()),
		MAPS(MAP_HASH(8, 8, 1)), .expect = REJECT(EACCES, "R5 !read_ok") },

	/* pointers */
	RUNS("spill and fill the context", VCASE_FRAME_LEN - 14, STX(XBPF_DW, 10, 1, -8),
	     MOV64_IMM(1, 0), LDX(XBPF_DW, 2, 10, -8), LDX(XBPF_W, 0, 2, 0), EXIT()),
	RUNS("spill and fill a stack pointer", 9, MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16),
	     STX(XBPF_DW, 10, 1, -8), LDX(XBPF_DW, 2, 10, -8), ST(XBPF_DW, 2, 0, 9),
	     LDX(XBPF_DW, 0, 10, -16), EXIT()),
	REJ("32-bit spill of a pointer", EACCES, "invalid size of register spill",
	    STX(XBPF_W, 10, 1, -8), RET0),
	REJ("byte spill of the frame pointer", EACCES, "invalid size of register spill",
	    STX(XBPF_B, 10, 10, -1), RET0),
	REJ("32-bit fill of a spilled pointer", EACCES, "invalid size of register fill",
	    STX(XBPF_DW, 10, 1, -8), LDX(XBPF_W, 0, 10, -8), EXIT()),
	REJ("byte fill of a spilled pointer's top", EACCES, "invalid size of register fill",
	    STX(XBPF_DW, 10, 1, -8), LDX(XBPF_B, 0, 10, -1), EXIT()),
	REJ("spilled pointer overwritten by a scalar", EACCES, "R2 invalid mem access 'scalar'",
	    STX(XBPF_DW, 10, 1, -8), ST(XBPF_DW, 10, -8, 0), LDX(XBPF_DW, 2, 10, -8),
	    LDX(XBPF_W, 0, 2, 0), EXIT()),
	{ "narrow write into a spilled pointer", INSNS(STX(XBPF_DW, 10, 1, -8),
		ST(XBPF_W, 10, -8, 0), RET0),
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "attempt to corrupt spilled pointer on stack") },
	{ "filled pointer returned", INSNS(STX(XBPF_DW, 10, 1, -8), LDX(XBPF_DW, 0, 10, -8),
		EXIT()),
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R0 leaks addr as return value") },

	/* the frame and alignment */
	REJ("write below the frame", EACCES, "invalid write to stack R10 off=-520 size=8",
	    ST(XBPF_DW, 10, -520, 0), RET0),
	REJ("read below the frame", EACCES, "invalid read from stack R10 off=-520 size=8",
	    LDX(XBPF_DW, 0, 10, -520), EXIT()),
	REJ("write at the frame pointer", EACCES, "invalid write to stack R10 off=0 size=1",
	    ST(XBPF_B, 10, 0, 0), RET0),
	REJ("read above the frame pointer", EACCES, "invalid read from stack R10 off=8 size=8",
	    LDX(XBPF_DW, 0, 10, 8), EXIT()),
	REJ("write below the frame through a pointer", EACCES,
	    "invalid write to stack R1 off=-520 size=8", MOV64_REG(1, 10),
	    ALU64_IMM(XBPF_ADD, 1, -512), ST(XBPF_DW, 1, -8, 0), RET0),
	REJ("misaligned 8-byte store", EACCES, "misaligned stack access off (0x0; 0x0)+0+-12 size 8",
	    ST(XBPF_DW, 10, -12, 0), RET0),
	REJ("misaligned load through a derived pointer", EACCES,
	    "misaligned stack access off (0x0; 0x0)+-4+-2 size 4", ST(XBPF_DW, 10, -8, 0),
	    MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -4), LDX(XBPF_W, 0, 1, -2), EXIT()),
	REJ("misaligned below the frame", EACCES, "misaligned stack access off (0x0; 0x0)+0+-516 size 8",
	    LDX(XBPF_DW, 0, 10, -516), EXIT()),
	RUNS("byte store through an odd pointer", 5, MOV64_REG(1, 10),
	     ALU64_IMM(XBPF_ADD, 1, -3), ST(XBPF_B, 1, -1, 5), LDX(XBPF_B, 0, 10, -4), EXIT()),
};

VCASE_GROUP(stack, cases);

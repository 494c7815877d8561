// SPDX-License-Identifier: GPL-2.0
/*
 * Atomics: every operation on the stack and on map values, the fetch forms
 * (the old value into src, zero-extended for 32 bits), cmpxchg against
 * R0, and what may not be an operand or a destination.
 */
#include "vcase.h"

#define RUNS(n, ret, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = ACCEPT, RUN(ret) }
#define REJ(n, e, m, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = REJECT(e, m) }
/* *(u64 *)(r10 - 8) = a; r1 = b; op; r0 = the memory */
#define ATOMIC_MEM(n, op, a, b, ret) \
	RUNS(n, ret, ST(XBPF_DW, 10, -8, a), MOV64_IMM(1, b), ATOMIC(XBPF_DW, 10, 1, -8, op), \
	     LDX(XBPF_DW, 0, 10, -8), EXIT())
/* as above, r0 = the value fetched into r1 */
#define ATOMIC_OLD(n, op, a, b, ret) \
	RUNS(n, ret, ST(XBPF_DW, 10, -8, a), MOV64_IMM(1, b), ATOMIC(XBPF_DW, 10, 1, -8, op), \
	     MOV64_REG(0, 1), EXIT())
#define VAL_MAP		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 40))

static const struct vcase cases[] = {
	ATOMIC_MEM("and stores", XBPF_AND, 0xff, 0x0f, 0x0f),
	ATOMIC_MEM("or stores", XBPF_OR, 0xf0, 0x0f, 0xff),
	ATOMIC_MEM("xor stores", XBPF_XOR, 0xff, 0x0f, 0xf0),
	ATOMIC_MEM("fetch_or stores", XBPF_OR | XBPF_FETCH, 0xf0, 0x0f, 0xff),
	ATOMIC_OLD("fetch_and returns the old value", XBPF_AND | XBPF_FETCH, 0xff, 0x0f, 0xff),
	ATOMIC_OLD("fetch_xor returns the old value", XBPF_XOR | XBPF_FETCH, 0x33, 0x0f, 0x33),
	ATOMIC_OLD("fetch_or returns the old value", XBPF_OR | XBPF_FETCH, 0x30, 0x0f, 0x30),
	ATOMIC_MEM("xchg stores the new value", XBPF_XCHG, 5, 9, 9),
	RUNS("32-bit add leaves the upper half", 1, LDDW(1, 0x1ffffffffULL),
	     STX(XBPF_DW, 10, 1, -8), MOV64_IMM(1, 1), ATOMIC(XBPF_W, 10, 1, -8, XBPF_ADD),
	     LDX(XBPF_DW, 0, 10, -8), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("32-bit add wraps", 0, LDDW(1, 0x1ffffffffULL),
	     STX(XBPF_DW, 10, 1, -8), MOV64_IMM(1, 1), ATOMIC(XBPF_W, 10, 1, -8, XBPF_ADD),
	     LDX(XBPF_W, 0, 10, -8), EXIT()),
	RUNS("32-bit fetch zero-extends", 0, ST(XBPF_W, 10, -4, -1), LDDW(1, 0xffffffff00000001ULL),
	     ATOMIC(XBPF_W, 10, 1, -4, XBPF_ADD | XBPF_FETCH), MOV64_REG(0, 1),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("32-bit xchg returns the old word", 7, ST(XBPF_W, 10, -4, 7), MOV64_IMM(1, 8),
	     ATOMIC(XBPF_W, 10, 1, -4, XBPF_XCHG), MOV64_REG(0, 1), EXIT()),
	RUNS("cmpxchg hit returns the old value", 3, ST(XBPF_DW, 10, -8, 3), MOV64_IMM(0, 3),
	     MOV64_IMM(1, 4), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), EXIT()),
	RUNS("cmpxchg miss returns the memory", 3, ST(XBPF_DW, 10, -8, 3), MOV64_IMM(0, 2),
	     MOV64_IMM(1, 4), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), EXIT()),
	RUNS("32-bit cmpxchg compares the low half of r0", 9, ST(XBPF_W, 10, -4, 1),
	     LDDW(0, 0x100000001ULL), MOV64_IMM(1, 9), ATOMIC(XBPF_W, 10, 1, -4, XBPF_CMPXCHG),
	     LDX(XBPF_W, 0, 10, -4), EXIT()),
	RUNS("32-bit cmpxchg zero-extends r0", 0, ST(XBPF_W, 10, -4, 1),
	     LDDW(0, 0x100000001ULL), MOV64_IMM(1, 9), ATOMIC(XBPF_W, 10, 1, -4, XBPF_CMPXCHG),
	     ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
	RUNS("atomic through a derived stack pointer", 12, ST(XBPF_DW, 10, -16, 10),
	     MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -16), MOV64_IMM(1, 2),
	     ATOMIC(XBPF_DW, 2, 1, 0, XBPF_ADD), LDX(XBPF_DW, 0, 10, -16), EXIT()),

	/* map values */
	{ "add into a direct map value", INSNS(LD_MAP_VAL(2, 0, 0), MOV64_IMM(1, 2),
		ATOMIC(XBPF_DW, 2, 1, 0, XBPF_ADD), LDX(XBPF_DW, 0, 2, 0), EXIT()), VAL_MAP,
		.expect = ACCEPT, RUN(42) },
	{ "fetch_add on a looked-up value", INSNS(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		JMP_IMM(XBPF_JEQ, 0, 0, 4), MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 0, 1, 0,
		XBPF_ADD | XBPF_FETCH), MOV64_REG(0, 1), EXIT(), RET_IMM(-1)), VAL_MAP,
		.expect = ACCEPT, RUN(40) },
	{ "cmpxchg on a map value", INSNS(LD_MAP_VAL(2, 0, 4), MOV64_IMM(0, 0), MOV64_IMM(1, 5),
		ATOMIC(XBPF_W, 2, 1, 0, XBPF_CMPXCHG), LD_MAP_VAL(2, 0, 0), LDX(XBPF_DW, 0, 2, 0),
		ALU64_IMM(XBPF_RSH, 0, 32), EXIT()), VAL_MAP, .expect = ACCEPT, RUN(5) },
	{ "atomic past the map value", INSNS(LD_MAP_VAL(2, 0, 0), MOV64_IMM(1, 1),
		ATOMIC(XBPF_W, 2, 1, 8, XBPF_ADD), RET0), VAL_MAP,
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=8 size=4") },
	{ "atomic on an unchecked lookup", INSNS(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 0, 1, 0, XBPF_ADD), RET0), VAL_MAP,
		.expect = REJECT(EACCES, "R0 invalid mem access 'map_value_or_null'") },
	/* operands and destinations refused */
	REJ("src never written", EACCES, "R2 !read_ok", ST(XBPF_DW, 10, -8, 0),
	    ATOMIC(XBPF_DW, 10, 2, -8, XBPF_ADD), RET0),
	REJ("dst never written", EACCES, "R3 !read_ok", MOV64_IMM(1, 1),
	    ATOMIC(XBPF_DW, 3, 1, 0, XBPF_ADD), RET0),
	REJ("cmpxchg without r0", EACCES, "R0 !read_ok", ST(XBPF_DW, 10, -8, 0), MOV64_IMM(1, 1),
	    ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), RET0),
	REJ("dst a number", EACCES, "R3 invalid mem access 'scalar'", MOV64_IMM(3, 0),
	    MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 3, 1, 0, XBPF_ADD), RET0),
	REJ("fetch into the context", EACCES, "BPF_ATOMIC stores into R1 ctx is not allowed",
	    MOV64_IMM(2, 1), ATOMIC(XBPF_W, 1, 2, 48, XBPF_ADD | XBPF_FETCH), RET0),
	REJ("xchg into the context", EACCES, "BPF_ATOMIC stores into R1 ctx is not allowed",
	    MOV64_IMM(2, 1), ATOMIC(XBPF_DW, 1, 2, 48, XBPF_XCHG), RET0),
	/* pointers: only for callers who may see addresses (Linux's is_pointer_value) */
	{ "cmpxchg with a pointer in r0", INSNS(ST(XBPF_DW, 10, -8, 0), MOV64_REG(0, 10),
		MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), RET0),
		.expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "R0 leaks addr into mem") },
	{ "cmpxchg names r0 before the source", INSNS(ST(XBPF_DW, 10, -8, 0), MOV64_REG(0, 10),
		ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), RET0),
		.expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "R0 leaks addr into mem") },
	{ "pointer added to a map value", INSNS(LD_MAP_VAL(2, 0, 0),
		ATOMIC(XBPF_DW, 2, 10, 0, XBPF_ADD), RET0), VAL_MAP,
		.expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "R10 leaks addr into mem") },
	{ "atomic on a spilled pointer", INSNS(STX(XBPF_DW, 10, 1, -8), MOV64_IMM(2, 1),
		ATOMIC(XBPF_DW, 10, 2, -8, XBPF_ADD), RET0), .expect = ACCEPT, RUN(0),
		.expect_unpriv = REJECT(EACCES, "leaking pointer from stack off -8") },
	{ "xchg returns a spilled pointer as itself", INSNS(STX(XBPF_DW, 10, 1, -16),
		MOV64_IMM(2, 0), ATOMIC(XBPF_DW, 10, 2, -16, XBPF_XCHG), LDX(XBPF_W, 0, 2, 0),
		EXIT()), .expect = ACCEPT, RUN(VCASE_FRAME_LEN - 14),
		.expect_unpriv = REJECT(EACCES, "leaking pointer from stack off -16") },
	{ "the spill is gone after the atomic", INSNS(STX(XBPF_DW, 10, 1, -8), MOV64_IMM(2, 0),
		ATOMIC(XBPF_DW, 10, 2, -8, XBPF_ADD), LDX(XBPF_DW, 3, 10, -8), LDX(XBPF_W, 0, 3, 0),
		EXIT()), .expect = REJECT(EACCES, "R3 invalid mem access 'scalar'"),
		.expect_unpriv = REJECT(EACCES, "leaking pointer from stack off -8") },
	REJ("atomic below the frame", EACCES, "invalid read from stack R10 off=-520 size=8",
	    MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 10, 1, -520, XBPF_ADD), RET0),
};

VCASE_GROUP(atomic, cases);

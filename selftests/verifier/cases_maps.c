// SPDX-License-Identifier: GPL-2.0
/*
 * Maps: fd and value LDDWs (resolution, offsets, map types) and programs
 * that use maps through the helpers, run against stored elements.  The
 * LDDW cases are ported from selftests/unit/test_verifier_stage.c (there
 * on fixed fds 3-5, here on per-case maps).
 */
#include "vcase.h"

/* r2 = r10 - 4, the key slot most cases use */
#define KEY_PTR(r)	MOV64_REG(r, 10), ALU64_IMM(XBPF_ADD, r, -4)

/*
 * socket filter: r2 = skb->mark (0 at run time), bounded by the insns
 * given, added to a pointer off bytes into an 8-byte value, a load of
 * size sz there.
 */
#define IDX_INSNS(off, sz, ...) \
	INSNS(LDX(XBPF_W, 2, 1, 8), __VA_ARGS__, LD_MAP_VAL(1, 0, off), \
	      ALU64_REG(XBPF_ADD, 1, 2), LDX(sz, 0, 1, 0), EXIT()), \
	MAPS(MAP_ARRAY(4, 8, 1)), CTX([191] = 0)
#define IDX(n, off, sz, exp, ...) \
	{ .name = (n), IDX_INSNS(off, sz, __VA_ARGS__), .expect = exp }

/*
 * r7 = skb->mark > 5 ? b : a (the fall-through, walked first, sets a);
 * then a diamond on skb->mark that only changes r3.
 */
#define PREC_SPLIT(a, b) \
	LDX(XBPF_W, 5, 1, 8), JMP_IMM(XBPF_JGT, 5, 5, 2), MOV64_IMM(7, a), JA(1), MOV64_IMM(7, b)
#define PREC_NOISE \
	LDX(XBPF_W, 3, 1, 8), JMP_IMM(XBPF_JGT, 3, 10, 1), MOV64_IMM(3, 1)

static const struct vcase cases[] = {
	/* LDDW of a map */
	{ "map fd", INSNS(LD_MAP(1, 0), RET0), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = ACCEPT },
	{ "map value", INSNS(LD_MAP_VAL(1, 0, 7), RET0), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = ACCEPT },
	{ "two maps", INSNS(LD_MAP(1, 0), LD_MAP(2, 1), RET0),
		MAPS(MAP_ARRAY(4, 8, 1), MAP_HASH(4, 8, 16)), .expect = ACCEPT },
	{ "one map named twice", INSNS(LD_MAP(1, 0), LD_MAP_VAL(2, 0, 0), LD_MAP(3, 0), RET0),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT },
	{ "bad map fd", INSNS(LD_MAP(1, 0), LD_MAP_FD(1, 99), RET0), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EBADF, "fd 99 is not pointing to valid bpf_map") },
	{ "negative map fd", INSNS(LD_MAP_FD(1, -1), RET0),
		.expect = REJECT(EBADF, "fd -1 is not pointing to valid bpf_map") },
	{ "map value off == value_size", INSNS(LD_MAP_VAL(1, 0, 8), RET0), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EINVAL, "invalid access to map value pointer, value_size=8 off=8") },
	{ "map value of multi-entry array", INSNS(LD_MAP_VAL(1, 0, 0), RET0),
		MAPS(MAP_ARRAY(4, 8, 4)),
		.expect = REJECT(ENOTSUPP, "invalid access to map value pointer") },
	{ "map value of hash", INSNS(LD_MAP_VAL(1, 0, 0), RET0), MAPS(MAP_HASH(4, 8, 16)),
		.expect = REJECT(EINVAL, "no direct value access support for this map type") },
	{ "lddw map fd with high imm",
		INSNS(XI(XBPF_LD | XBPF_IMM | XBPF_DW, 1, XBPF_PSEUDO_MAP_FD, 0, VMAP_TAG | 0),
		      XI(0, 0, 0, 0, 1), RET0),
		MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EINVAL, "unrecognized bpf_ld_imm64 insn") },
	{ "lddw map value off too big", INSNS(LD_MAP_VAL(1, 0, 1 << 29), RET0),
		MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EINVAL, "direct value offset of 536870912 is not allowed") },

	/* running with maps */
	{ "read a value through LDDW src 2",
		INSNS(LD_MAP_VAL(1, 0, 0), LDX(XBPF_DW, 0, 1, 0), EXIT()),
		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 99)), .expect = ACCEPT, RUN(99) },
	{ "read a value at an LDDW offset",
		INSNS(LD_MAP_VAL(1, 0, 4), LDX(XBPF_W, 0, 1, 0), EXIT()),
		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 0x1122334455667788ULL)), .expect = ACCEPT,
		RUN(0x11223344) },
	{ "write through LDDW src 2, read back",
		INSNS(LD_MAP_VAL(1, 0, 0), ST(XBPF_DW, 1, 0, 5), LD_MAP_VAL(2, 0, 0),
		      LDX(XBPF_DW, 0, 2, 0), EXIT()),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(5) },
	{ "array lookup hit",
		INSNS(ST(XBPF_W, 10, -4, 0), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2),
		      LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 42)), .expect = ACCEPT, RUN(42) },
	{ "array lookup out of range",
		INSNS(ST(XBPF_W, 10, -4, 4), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2),
		      LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 4)), .expect = ACCEPT, RUN(-1) },
	{ "hash lookup hit",
		INSNS(ST(XBPF_W, 10, -4, 7), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2),
		      LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_HASH_INIT(4, 8, 16, 7, 1234)), .expect = ACCEPT, RUN(1234) },
	{ "hash lookup miss",
		INSNS(ST(XBPF_W, 10, -4, 8), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2),
		      LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_HASH_INIT(4, 8, 16, 7, 1234)), .expect = ACCEPT, RUN(-1) },
	{ "hash update then lookup",
		INSNS(ST(XBPF_W, 10, -4, 7), ST(XBPF_DW, 10, -16, 777), KEY_PTR(2),
		      MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -16), MOV64_IMM(4, XBPF_ANY),
		      LD_MAP(1, 0), CALL(XBPF_FUNC_map_update_elem),
		      JMP_IMM(XBPF_JNE, 0, 0, 8),
		      KEY_PTR(2), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		      JMP_IMM(XBPF_JEQ, 0, 0, 2), LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_HASH(4, 8, 16)), .expect = ACCEPT, RUN(777) },
	{ "array update then lookup",
		INSNS(ST(XBPF_W, 10, -4, 2), ST(XBPF_DW, 10, -16, 31), KEY_PTR(2),
		      MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -16), MOV64_IMM(4, XBPF_ANY),
		      LD_MAP(1, 0), CALL(XBPF_FUNC_map_update_elem),
		      JMP_IMM(XBPF_JNE, 0, 0, 8),
		      KEY_PTR(2), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		      JMP_IMM(XBPF_JEQ, 0, 0, 2), LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 4)), .expect = ACCEPT, RUN(31) },
	{ "hash update NOEXIST on a present key",
		INSNS(ST(XBPF_W, 10, -4, 7), ST(XBPF_DW, 10, -16, 1), KEY_PTR(2),
		      MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -16), MOV64_IMM(4, XBPF_NOEXIST),
		      LD_MAP(1, 0), CALL(XBPF_FUNC_map_update_elem), EXIT()),
		MAPS(MAP_HASH_INIT(4, 8, 16, 7, 1)), .expect = ACCEPT, RUN(-EEXIST) },
	{ "hash delete then lookup",
		INSNS(ST(XBPF_W, 10, -4, 7), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_delete_elem), JMP_IMM(XBPF_JNE, 0, 0, 8),
		      KEY_PTR(2), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		      JMP_IMM(XBPF_JNE, 0, 0, 2), RET_IMM(100), RET_IMM(-1)),
		MAPS(MAP_HASH_INIT(4, 8, 16, 7, 1)), .expect = ACCEPT, RUN(100) },
	{ "hash delete of a missing key",
		INSNS(ST(XBPF_W, 10, -4, 3), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_delete_elem), EXIT()),
		MAPS(MAP_HASH(4, 8, 16)), .expect = ACCEPT, RUN(-ENOENT) },
	{ "atomic add on a looked-up value",
		INSNS(ST(XBPF_W, 10, -4, 0), KEY_PTR(2), LD_MAP(1, 0),
		      CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 4),
		      MOV64_IMM(1, 3), ATOMIC(XBPF_DW, 0, 1, 0, XBPF_ADD),
		      LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 39)), .expect = ACCEPT, RUN(42) },
	{ "lookup in a socket filter with the frame",
		INSNS(MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), STX(XBPF_W, 10, 0, -4), KEY_PTR(2),
		      LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2),
		      LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_HASH_INIT(4, 8, 16, FRAME_B(0), 55)), .expect = ACCEPT, RUN(55) },

	/* variable offsets into a value (check_mem_region_access's words) */
	{ .name = "an index in range", IDX_INSNS(4, XBPF_B, ALU64_IMM(XBPF_AND, 2, 3)),
		.expect = ACCEPT, RUN(0) },
	IDX("a negative index the fixed offset covers", 4, XBPF_B,
	    REJECT(EACCES, "R1 unbounded memory access, make sure to bounds check any such access"),
	    ALU64_IMM(XBPF_AND, 2, 3), ALU64_IMM(XBPF_SUB, 2, 4)),
	IDX("a negative index below the value", 4, XBPF_B,
	    REJECT(EACCES, "R1 min value is negative, either use unsigned index or do a if (index >=0) check."),
	    ALU64_IMM(XBPF_AND, 2, 3), ALU64_IMM(XBPF_SUB, 2, 8)),
	IDX("an index whose maximum runs past the value", 4, XBPF_B,
	    REJECT(EACCES, "invalid access to map value, value_size=8 off=11 size=1\n"
			   "R1 max value is outside of the allowed memory range"),
	    ALU64_IMM(XBPF_AND, 2, 7)),
	IDX("an index whose minimum is past the value", 0, XBPF_B,
	    REJECT(EACCES, "invalid access to map value, value_size=8 off=8 size=1\n"
			   "R1 min value is outside of the allowed memory range"),
	    ALU64_IMM(XBPF_AND, 2, 7), ALU64_IMM(XBPF_ADD, 2, 8)),
	{ "a word at an index past the value", INSNS(LDX(XBPF_W, 2, 1, 8), ALU64_IMM(XBPF_AND, 2, 3),
		LD_MAP_VAL(1, 0, 2), ALU64_REG(XBPF_ADD, 1, 2), LDX(XBPF_W, 0, 1, 0), EXIT()),
		MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=5 size=4\n"
					 "R1 max value is outside of the allowed memory range"),
		/* the pointer itself stays in the value: masking can keep it there */
		.expect_unpriv = REJECT(EACCES, "invalid access to map value, value_size=8 off=5 size=4") },
	{ "an unbounded 64-bit index is refused at the add",
		INSNS(CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(2, 0), LD_MAP_VAL(1, 0, 0),
		      ALU64_REG(XBPF_ADD, 1, 2), RET0), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EINVAL, "math between map_value pointer and register with unbounded min value is not allowed") },
	/*
	 * A map value that passed its null check is never NULL: Linux 6.1
	 * decides its (in)equality with a known 0 for every caller
	 * (is_branch_taken) instead of refusing the pointer comparison.
	 */
#define LOOKUP_NONNULL(skip) \
	ST(XBPF_W, 10, -4, 0), KEY_PTR(2), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), \
	JMP_IMM(XBPF_JEQ, 0, 0, (skip))
	{ "map value jne 0 is decided",
		INSNS(LOOKUP_NONNULL(5), JMP_IMM(XBPF_JNE, 0, 0, 2), RET_IMM(1), RET_IMM(2),
		      RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(2) },
	{ "map value jeq a register holding 0 is decided",
		INSNS(LOOKUP_NONNULL(6), MOV64_IMM(2, 0), JMP_REG(XBPF_JEQ, 0, 2, 2), RET_IMM(3),
		      RET_IMM(4), RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(3) },
	{ "map value jmp32 jeq 0 is decided",
		INSNS(LOOKUP_NONNULL(5), JMP32_IMM(XBPF_JEQ, 0, 0, 2), RET_IMM(5), RET_IMM(6),
		      RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(5) },
	/* the dead arm is walked only as a mispredicted (speculative) path */
	{ "map value jne 0: the dead arm reads r5",
		INSNS(LOOKUP_NONNULL(5), JMP_IMM(XBPF_JNE, 0, 0, 2), MOV64_REG(0, 5), EXIT(),
		      RET_IMM(2), RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(2),
		.expect_unpriv = REJECT(EACCES, "R5 !read_ok") },
	{ "map value jne 1 is a pointer comparison",
		INSNS(LOOKUP_NONNULL(5), JMP_IMM(XBPF_JNE, 0, 1, 2), RET_IMM(1), RET_IMM(2),
		      RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(2),
		.expect_unpriv = REJECT(EACCES, "R0 pointer comparison prohibited") },
	{ "map value jgt 0 is a pointer comparison",
		INSNS(LOOKUP_NONNULL(5), JMP_IMM(XBPF_JGT, 0, 0, 2), RET_IMM(1), RET_IMM(2),
		      RET_IMM(-1)),
		MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT, RUN(2),
		.expect_unpriv = REJECT(EACCES, "R0 pointer comparison prohibited") },
	{ "stack pointer jne 0 is a pointer comparison",
		INSNS(MOV64_REG(1, 10), JMP_IMM(XBPF_JNE, 1, 0, 2), RET_IMM(1), RET_IMM(2)),
		.expect = ACCEPT, RUN(2),
		.expect_unpriv = REJECT(EACCES, "R1 pointer comparison prohibited") },
#undef LOOKUP_NONNULL
	/*
	 * Precision tracking (verifier/precision.c): skb->mark picks 0 or 100
	 * for r7, both paths meet, pass a diamond (more prune points), then
	 * r7 is used.  Pruning the second path at a join must not hide the
	 * bad value, whichever path is walked first (the fall-through).
	 */
	{ "precision: 0 or 100 as a map value offset after a join",
		INSNS(PREC_SPLIT(0, 100), PREC_NOISE, LD_MAP_VAL(1, 0, 0), ALU64_REG(XBPF_ADD, 1, 7),
		      LDX(XBPF_B, 0, 1, 0), EXIT()), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=100 size=1") },
	{ "precision: 100 or 0 as a map value offset after a join",
		INSNS(PREC_SPLIT(100, 0), PREC_NOISE, LD_MAP_VAL(1, 0, 0), ALU64_REG(XBPF_ADD, 1, 7),
		      LDX(XBPF_B, 0, 1, 0), EXIT()), MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=100 size=1") },
	{ "precision: 0 or 100 spilled through a copy of r10, filled through r10",
		INSNS(MOV64_REG(8, 10), PREC_SPLIT(0, 100), STX(XBPF_DW, 8, 7, -8), MOV64_IMM(7, 0),
		      PREC_NOISE, LDX(XBPF_DW, 7, 10, -8), LD_MAP_VAL(1, 0, 0),
		      ALU64_REG(XBPF_ADD, 1, 7), LDX(XBPF_B, 0, 1, 0), EXIT()),
		MAPS(MAP_ARRAY(4, 8, 1)),
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=100 size=1"),
		/* only bpf_capable spills keep a scalar's bounds */
		.expect_unpriv = REJECT(EINVAL, "math between map_value pointer and register with unbounded min value is not allowed") },
	{ "precision: 0 or 100 decides a jump whose other arm is bad",
		INSNS(PREC_SPLIT(0, 100), PREC_NOISE, JMP_IMM(XBPF_JGT, 7, 10, 2), RET0,
		      LDX(XBPF_DW, 0, 7, 0), EXIT()),
		.expect = REJECT(EACCES, "R7 invalid mem access 'scalar'") },
	{ "precision: 0 or 3 returned only: pruned, accepted",
		INSNS(PREC_SPLIT(0, 3), PREC_NOISE, LD_MAP_VAL(1, 0, 0), ALU64_IMM(XBPF_ADD, 1, 4),
		      LDX(XBPF_B, 0, 1, 0), ALU64_REG(XBPF_ADD, 0, 7), EXIT()),
		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 0x0500000000ULL)), .expect = ACCEPT, RUN(5) },
};

VCASE_GROUP(maps, cases);

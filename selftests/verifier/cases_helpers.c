// SPDX-License-Identifier: GPL-2.0
/*
 * Helper calls: argument kinds (map pointer, key and value memory on the
 * stack, anything), R1-R5 clobbered and R6-R9 kept across a call, what R0
 * holds after one, and the core helpers every program type may call.
 */
#include "vcase.h"

#define REJ(n, e, m, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = REJECT(e, m) }
/* r2 = r10 + off */
#define FP_PTR(r, off)	MOV64_REG(r, 10), ALU64_IMM(XBPF_ADD, r, off)
#define MAP48		MAPS(MAP_HASH(4, 8, 16))

static const struct vcase cases[] = {
	/* map helper arguments */
	{ "lookup without a map", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4), MOV64_IMM(1, 0),
		CALL(XBPF_FUNC_map_lookup_elem), RET0), MAP48,
		.expect = REJECT(EACCES, "R1 type=scalar expected=map_ptr") },
	{ "lookup with the context as map", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4),
		CALL(XBPF_FUNC_map_lookup_elem), RET0), MAP48,
		.expect = REJECT(EACCES, "R1 type=ctx expected=map_ptr") },
	/* Linux's map_key_value_types, in its order */
	{ "lookup with the context as key", INSNS(MOV64_REG(2, 1), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_lookup_elem), RET0), MAP48,
		.expect = REJECT(EACCES, "R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value") },
	{ "update with a number as value", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4),
		MOV64_IMM(3, 0), MOV64_IMM(4, 0), LD_MAP(1, 0), CALL(XBPF_FUNC_map_update_elem),
		RET0), MAP48,
		.expect = REJECT(EACCES, "R3 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value") },
	{ "lookup with an unchecked lookup's result as key", INSNS(ST(XBPF_W, 10, -4, 0),
		FP_PTR(2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), MOV64_REG(2, 0),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), RET0), MAP48,
		.expect = REJECT(EACCES, "R2 type=map_value_or_null expected=fp, pkt, pkt_meta, map_key, map_value") },
	/* helper memory running past fp is -EINVAL (check_stack_access_within_bounds) */
	{ "update with a value reaching past fp", INSNS(ST(XBPF_W, 10, -4, 0),
		ST(XBPF_DW, 10, -16, 0), FP_PTR(2, -4), FP_PTR(3, -4), MOV64_IMM(4, 0), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_update_elem), RET0), MAP48,
		.expect = REJECT(EINVAL, "invalid indirect access to stack R3 off=-4 size=8") },
	{ "lookup with r2 never written", INSNS(LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		RET0), MAP48, .expect = REJECT(EACCES, "R2 !read_ok") },
	{ "update with a pointer as flags", INSNS(ST(XBPF_W, 10, -4, 0), ST(XBPF_DW, 10, -16, 0),
		FP_PTR(2, -4), FP_PTR(3, -16), MOV64_REG(4, 10), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_update_elem), RET0), MAP48,
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R4 leaks addr into helper function") },
	{ "update with the key as value", INSNS(ST(XBPF_DW, 10, -8, 3), FP_PTR(2, -8),
		MOV64_REG(3, 2), MOV64_IMM(4, 0), LD_MAP(1, 0), CALL(XBPF_FUNC_map_update_elem),
		EXIT()), MAPS(MAP_HASH(8, 8, 16)), .expect = ACCEPT, RUN(0) },
	{ "key from a map value", INSNS(LD_MAP_VAL(2, 1, 0), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2), LDX(XBPF_DW, 0, 0, 0),
		EXIT(), RET_IMM(-1)),
		MAPS(MAP_HASH_INIT(4, 8, 16, 7, 70), MAP_ARRAY_INIT(4, 8, 1, 0, 7)),
		.expect = ACCEPT, RUN(70) },
	{ "key in a misaligned slot", INSNS(ST(XBPF_W, 10, -8, 7), ST(XBPF_W, 10, -4, 0),
		FP_PTR(2, -6), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		JMP_IMM(XBPF_JEQ, 0, 0, 2), RET_IMM(1), RET_IMM(2)), MAP48,
		.expect = ACCEPT, RUN(2) },

	/* R0 after a call */
	{ "lookup result used unchecked", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_lookup_elem), LDX(XBPF_DW, 0, 0, 0), EXIT()), MAP48,
		.expect = REJECT(EACCES, "R0 invalid mem access 'map_value_or_null'") },
	REJ("ktime result is a number", EACCES, "R0 invalid mem access 'scalar'",
	    CALL(XBPF_FUNC_ktime_get_ns), LDX(XBPF_DW, 0, 0, 0), EXIT()),
	{ "lookup result arithmetic before the check", INSNS(ST(XBPF_W, 10, -4, 0),
		FP_PTR(2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		ALU64_IMM(XBPF_ADD, 0, 4), RET0), MAP48,
		.expect = REJECT(EACCES, "R0 pointer arithmetic on map_value_or_null prohibited, "
				 "null-check it first") },
	{ "lookup result checked through a copy", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), MOV64_REG(6, 0),
		JMP_IMM(XBPF_JEQ, 6, 0, 2), LDX(XBPF_DW, 0, 0, 0), EXIT(), RET_IMM(-1)),
		MAPS(MAP_ARRAY_INIT(4, 8, 1, 0, 12)), .expect = ACCEPT, RUN(12) },
	{ "lookup result read on the null branch", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JNE, 0, 0, 2),
		LDX(XBPF_DW, 0, 0, 0), EXIT(), RET0), MAP48,
		.expect = REJECT(EACCES, "R0 invalid mem access 'scalar'") },
	{ "lookup result past the value", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 2),
		LDX(XBPF_W, 0, 0, 6), EXIT(), RET0), MAP48,
		.expect = REJECT(EACCES, "invalid access to map value, value_size=8 off=6 size=4") },
	{ "lookup result returned", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4), LD_MAP(1, 0),
		CALL(XBPF_FUNC_map_lookup_elem), EXIT()), MAP48,
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R0 leaks addr as return value") },

	/* caller-saved registers */
	REJ("r1 after a call", EACCES, "R1 !read_ok", CALL(XBPF_FUNC_ktime_get_ns),
	    MOV64_REG(0, 1), EXIT()),
	REJ("r5 after a call", EACCES, "R5 !read_ok", MOV64_IMM(5, 1),
	    CALL(XBPF_FUNC_get_prandom_u32), MOV64_REG(0, 5), EXIT()),
	{ "r3 after a lookup", INSNS(ST(XBPF_W, 10, -4, 0), FP_PTR(2, -4), MOV64_IMM(3, 1),
		LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), MOV64_REG(0, 3), EXIT()), MAP48,
		.expect = REJECT(EACCES, "R3 !read_ok") },
	{ "r6 to r9 survive a call", INSNS(MOV64_IMM(6, 1), MOV64_IMM(7, 2), MOV64_IMM(8, 3),
		MOV64_IMM(9, 4), CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(0, 6),
		ALU64_REG(XBPF_ADD, 0, 7), ALU64_REG(XBPF_ADD, 0, 8), ALU64_REG(XBPF_ADD, 0, 9),
		EXIT()), .expect = ACCEPT, RUN(10) },
	{ "the context in r6 survives a call", INSNS(MOV64_REG(6, 1),
		CALL(XBPF_FUNC_get_smp_processor_id), LDX(XBPF_W, 0, 6, 0), EXIT()),
		.expect = ACCEPT, RUN(VCASE_FRAME_LEN - 14) },

	/* which helpers */
	{ "prandom is a u32", INSNS(CALL(XBPF_FUNC_get_prandom_u32), ALU64_IMM(XBPF_RSH, 0, 32),
		EXIT()), .expect = ACCEPT, RUN(0) },
	{ "smp_processor_id", INSNS(CALL(XBPF_FUNC_get_smp_processor_id), RET0),
		.expect = ACCEPT, RUN(0) },
	{ "ktime_get_boot_ns", INSNS(CALL(XBPF_FUNC_ktime_get_boot_ns), RET0),
		.expect = ACCEPT, RUN(0) },
	/*
	 * The socket filter's packet readers (sk_filter_func_proto): the
	 * default frame's byte i is i, network data from byte 14.
	 */
	{ "skb_load_bytes into the stack",
		INSNS(MOV64_IMM(2, 0), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8),
		      CALL(XBPF_FUNC_skb_load_bytes), LDX(XBPF_B, 0, 10, -8), EXIT()),
		.expect = ACCEPT, RUN(FRAME_B(0)) },
	{ "skb_load_bytes past the end fails with -EFAULT and clears the buffer",
		INSNS(MOV64_IMM(2, 60), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8),
		      CALL(XBPF_FUNC_skb_load_bytes), LDX(XBPF_DW, 1, 10, -8),
		      ALU64_REG(XBPF_ADD, 0, 1), EXIT()),
		.expect = ACCEPT, RUN(-14) },
	{ "skb_load_bytes_relative from the MAC header reads the ethertype",
		INSNS(MOV64_IMM(2, 12), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 2),
		      MOV64_IMM(5, XBPF_HDR_START_MAC), CALL(XBPF_FUNC_skb_load_bytes_relative),
		      LDX(XBPF_B, 0, 10, -7), EXIT()),
		.expect = ACCEPT, RUN(13) },
	{ "skb_load_bytes_relative with an unknown start header fails",
		INSNS(MOV64_IMM(2, 0), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 2),
		      MOV64_IMM(5, 2), CALL(XBPF_FUNC_skb_load_bytes_relative), EXIT()),
		.expect = ACCEPT, RUN(-14) },
	{ "skb_load_bytes of zero bytes",
		INSNS(MOV64_IMM(2, 0), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 0),
		      CALL(XBPF_FUNC_skb_load_bytes), MOV64_IMM(0, 0), EXIT()),
		.expect = REJECT(EACCES, "invalid zero-sized read") },
	{ "skb_load_bytes needs the context in r1",
		INSNS(MOV64_REG(1, 10), MOV64_IMM(2, 0), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8),
		      MOV64_IMM(4, 8), CALL(XBPF_FUNC_skb_load_bytes), MOV64_IMM(0, 0), EXIT()),
		.expect = REJECT(EACCES, "R1 type=fp expected=ctx") },
	{ "skb_load_bytes into a caller's stack from a subprogram",
		INSNS(MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), CALL_LOCAL(2),
		      LDX(XBPF_B, 0, 10, -8), EXIT(),
		      MOV64_REG(3, 2), MOV64_IMM(2, 1), MOV64_IMM(4, 8),
		      CALL(XBPF_FUNC_skb_load_bytes), MOV64_IMM(0, 0), EXIT()),
		.expect = ACCEPT, RUN(FRAME_B(1)), .expect_unpriv = REJECT_NO_BPF_CAP },
	/* r0 = skb->len & 8: 0 or 8 bytes into a 16-byte initialised buffer */
	{ "helper memory at a variable stack offset",
		INSNS(ST(XBPF_DW, 10, -16, 0), ST(XBPF_DW, 10, -8, 0), LDX(XBPF_W, 0, 1, 0),
		      ALU64_IMM(XBPF_AND, 0, 8), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -16),
		      ALU64_REG(XBPF_ADD, 3, 0), MOV64_IMM(2, 0), MOV64_IMM(4, 8),
		      CALL(XBPF_FUNC_skb_load_bytes), LDX(XBPF_DW, 0, 10, -16),
		      LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_OR, 0, 1), EXIT()),
		.expect = ACCEPT, RUN(0x11100f0e), .expect_unpriv =
		REJECT(EACCES, "R3 variable stack access prohibited for !root") },
	{ "helper memory at a variable stack offset running past fp",
		INSNS(ST(XBPF_DW, 10, -16, 0), ST(XBPF_DW, 10, -8, 0), LDX(XBPF_W, 0, 1, 0),
		      ALU64_IMM(XBPF_AND, 0, 8), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -8),
		      ALU64_REG(XBPF_ADD, 3, 0), MOV64_IMM(2, 0), MOV64_IMM(4, 8),
		      CALL(XBPF_FUNC_skb_load_bytes), MOV64_IMM(0, 0), EXIT()),
		.expect = REJECT(EINVAL, "invalid variable-offset indirect access to stack R3"),
		.expect_unpriv = REJECT(EACCES, "R3 variable stack access prohibited for !root") },

	/*
	 * KPROBE: the base helpers (map ops, time, cpu, random, tail call);
	 * the tracing helpers come from the module (selftests/vm/test_kprobe.c).
	 */
	{ "kprobe lookup, count and ktime", INSNS(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		JMP_IMM(XBPF_JEQ, 0, 0, 3), MOV64_IMM(1, 1),
		XI(XBPF_STX | XBPF_ATOMIC | XBPF_DW, 0, 1, 0, XBPF_ADD),
		CALL(XBPF_FUNC_ktime_get_ns), CALL(XBPF_FUNC_get_smp_processor_id),
		CALL(XBPF_FUNC_get_prandom_u32), CALL(XBPF_FUNC_ktime_get_boot_ns), RET0),
		.type = XBPF_PROG_TYPE_KPROBE, MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT },
	{ "kprobe tail call", INSNS(LD_MAP(2, 0), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call),
		RET0), .type = XBPF_PROG_TYPE_KPROBE,
		MAPS(MAP_PROG_ARRAY(2)), .expect = ACCEPT },
	{ "kprobe skb_load_bytes", INSNS(MOV64_IMM(2, 0), MOV64_REG(3, 10),
		ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8), CALL(XBPF_FUNC_skb_load_bytes),
		RET0), .type = XBPF_PROG_TYPE_KPROBE,
		.expect = REJECT(EINVAL, "unknown func bpf_skb_load_bytes#26") },
	/* (RAW_)TRACEPOINT: the base helpers, like KPROBE; no skb helpers */
	{ "raw_tp lookup and ktime", INSNS(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		CALL(XBPF_FUNC_ktime_get_ns), RET0),
		.type = XBPF_PROG_TYPE_RAW_TRACEPOINT, MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT },
	{ "tp lookup and cpu id", INSNS(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem),
		CALL(XBPF_FUNC_get_smp_processor_id), RET0),
		.type = XBPF_PROG_TYPE_TRACEPOINT, MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT },
	{ "raw_tp skb_load_bytes", INSNS(MOV64_IMM(2, 0), MOV64_REG(3, 10),
		ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8), CALL(XBPF_FUNC_skb_load_bytes),
		RET0), .type = XBPF_PROG_TYPE_RAW_TRACEPOINT,
		.expect = REJECT(EINVAL, "unknown func bpf_skb_load_bytes#26") },
	{ "tp skb_load_bytes", INSNS(MOV64_IMM(2, 0), MOV64_REG(3, 10),
		ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8), CALL(XBPF_FUNC_skb_load_bytes),
		RET0), .type = XBPF_PROG_TYPE_TRACEPOINT,
		.expect = REJECT(EINVAL, "unknown func bpf_skb_load_bytes#26") },
};

VCASE_GROUP(helpers, cases);

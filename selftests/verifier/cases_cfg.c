// SPDX-License-Identifier: GPL-2.0
/*
 * Control flow inside one function: jump targets, LDDW halves, the last
 * instruction, reachability, back-edges (privileged only).  Ported from
 * selftests/unit/test_verifier_stage.c.
 */
#include "vcase.h"

static const struct vcase cases[] = {
	/* r1 = skb->len: a number both privilege levels may compare */
	{ "v4 gotol", INSNS(MOV64_IMM(0, 0), LDX(XBPF_W, 1, 1, 0), JMP_IMM(XBPF_JEQ, 1, 0, 1),
		JA32(1), MOV64_IMM(0, 1), EXIT()),
		.expect = ACCEPT },
	{ "gotol as last insn of a subprog",
		INSNS(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, 1), EXIT(), JA32(-2)),
		.expect = ACCEPT },
	{ "jump over an lddw",
		INSNS(LDX(XBPF_W, 1, 1, 0), JMP_IMM(XBPF_JEQ, 1, 0, 2), LDDW(0, 1),
		MOV64_IMM(0, 0), EXIT()),
		.expect = ACCEPT },
	{ "both arms reachable", INSNS(LDX(XBPF_W, 1, 1, 0), MOV64_IMM(0, 0),
		JMP_IMM(XBPF_JEQ, 1, 0, 1), MOV64_IMM(0, 1), EXIT()),
		.expect = ACCEPT },
	{ "jmp32 ops",
		INSNS(MOV64_IMM(0, 0), MOV64_IMM(1, 5), JMP32_IMM(XBPF_JSET, 0, 1, 0), JMP32_REG(XBPF_JSLE, 0, 1, 0),
		JMP_REG(XBPF_JLT, 0, 1, 0), EXIT()),
		.expect = ACCEPT },
	{ "bounded loop", INSNS(MOV64_IMM(0, 0), ALU64_IMM(XBPF_ADD, 0, 1),
		JMP_IMM(XBPF_JLT, 0, 10, -2), EXIT()),
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EINVAL, "back-edge from insn 2 to 1") },
	/* The state at the loop head repeats: Linux's loop check (prune.c). */
	{ "infinite loop", INSNS(MOV64_IMM(0, 0), JA(-1)),
		.expect = REJECT(EINVAL, "infinite loop detected at insn 1"),
		.expect_unpriv = REJECT(EINVAL, "back-edge from insn 1 to 1") },
	{ "jump past the end", INSNS(JA(5), EXIT()),
		.expect = REJECT(EINVAL, "jump out of range from insn 0 to 6") },
	{ "jump before the start", INSNS(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, -3), EXIT()),
		.expect = REJECT(EINVAL, "jump out of range from insn 1 to -1") },
	{ "jump to len", INSNS(JMP_IMM(XBPF_JEQ, 0, 0, 1), EXIT()),
		.expect = REJECT(EINVAL, "jump out of range from insn 0 to 2") },
	{ "gotol out of range", INSNS(JA32(100000), EXIT()),
		.expect = REJECT(EINVAL, "jump out of range from insn 0 to 100001") },
	{ "jump into lddw", INSNS(JMP_IMM(XBPF_JEQ, 1, 0, 1), LDDW(0, 1), EXIT()),
		.expect = REJECT(EINVAL, "jump out of range from insn 0 to 2") },
	{ "backward jump into lddw", INSNS(LDDW(0, 1), JA(-2), EXIT()),
		.expect = REJECT(EINVAL, "jump out of range from insn 2 to 1") },
	{ "fall-through past the end", INSNS(MOV64_IMM(0, 0)),
		.expect = REJECT(EINVAL, "last insn is not an exit or jmp") },
	{ "ends in a conditional jump", INSNS(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, -2)),
		.expect = REJECT(EINVAL, "last insn is not an exit or jmp") },
	{ "ends in a call", INSNS(MOV64_IMM(0, 0), CALL(5)),
		.expect = REJECT(EINVAL, "last insn is not an exit or jmp") },
	{ "unreachable after exit", INSNS(RET0, RET0),
		.expect = REJECT(EINVAL, "unreachable insn 2") },
	{ "unreachable after ja", INSNS(JA(1), MOV64_IMM(0, 0), RET0),
		.expect = REJECT(EINVAL, "unreachable insn 1") },
	{ "unreachable lddw", INSNS(RET0, LDDW(0, 1), EXIT()),
		.expect = REJECT(EINVAL, "unreachable insn 2") },
};

VCASE_GROUP(cfg, cases);

// SPDX-License-Identifier: GPL-2.0
/*
 * Division guards: after the walk, fixup rewrites every division and
 * modulo so that no engine ever executes one whose result the ISA defines
 * but the hardware does not (x86-64's div and idiv trap):
 *
 *   divisor 0:           x /= 0  ->  0         x %= 0  ->  x
 *   signed, divisor -1:  x s/= -1 -> -x        x s%= -1 -> 0
 *
 * (the -1 case is the only one that overflows: S64_MIN / -1).  A 32-bit
 * operation compares and produces 32-bit values, and its result is zero-
 * extended whichever way it went.  Register divisors get a test in front;
 * an immediate -1 turns the instruction itself into NEG or MOV 0
 * (decode.c refuses an immediate 0).
 *
 * Sequences (n inserted before the original, which sits at n):
 *
 *   DIV X      0: if src != 0 goto 3      MOD X (64)   0: if src == 0 goto 2
 *              1: dst ^= dst (32-bit)                  1: dst %= src
 *              2: goto 4                               (2: next)
 *              3: dst /= src
 *
 *   MOD X (32) 0: if w_src == 0 goto 2
 *              1: dst %= src
 *              2: w_dst = w_dst           (the original's slot: a no-op
 *                                          after a 32-bit mod)
 *
 *   SDIV X     0: if src != 0 goto 3      SMOD X       0: if src == 0 goto 5
 *              1: dst ^= dst                           1: if src != -1 goto 4
 *              2: goto 7                               2: dst = 0
 *              3: if src != -1 goto 6                  3: goto 6
 *              4: dst = -dst                           4: dst s%= src
 *              5: goto 7                               5: w_dst = w_dst (32-bit; the
 *              6: dst s/= src                             original's slot) / next (64)
 *
 * Jumps that reached the original instruction reach the first inserted
 * one (patch.c), so every path goes through the guard.
 */
#include "env.h"

#define XBPF_GUARD_MAX	6

static struct xbpf_insn xbpf_gi(u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	struct xbpf_insn insn = { .code = code, .dst_reg = dst, .src_reg = src,
				  .off = off, .imm = imm };

	return insn;
}

/*
 * Builds the guard for the division at *insn into g; returns how many
 * instructions go in front of it, and sets *replace when the original's
 * slot must become "w_dst = w_dst" (32-bit modulo) instead.
 */
static u32 xbpf_div_guard(const struct xbpf_insn *insn, struct xbpf_insn *g, bool *replace)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	u8 jmp = is64 ? XBPF_JMP : XBPF_JMP32;
	u8 alu = XBPF_CLASS(insn->code);
	bool sgn = insn->off == 1;
	u8 d = insn->dst_reg, s = insn->src_reg;
	u32 n = 0;

	*replace = false;
	if (XBPF_OP(insn->code) == XBPF_DIV) {
		g[n++] = xbpf_gi(jmp | XBPF_JNE | XBPF_K, s, 0, 2, 0);
		g[n++] = xbpf_gi(XBPF_ALU | XBPF_XOR | XBPF_X, d, d, 0, 0);
		g[n++] = xbpf_gi(XBPF_JMP | XBPF_JA, 0, 0, sgn ? 4 : 1, 0);
		if (sgn) {
			g[n++] = xbpf_gi(jmp | XBPF_JNE | XBPF_K, s, 0, 2, -1);
			g[n++] = xbpf_gi(alu | XBPF_NEG | XBPF_K, d, 0, 0, 0);
			g[n++] = xbpf_gi(XBPF_JMP | XBPF_JA, 0, 0, 1, 0);
		}
		return n;
	}
	/* modulo */
	if (!sgn) {
		g[n++] = xbpf_gi(jmp | XBPF_JEQ | XBPF_K, s, 0, 1, 0);
		if (!is64) {
			g[n++] = *insn;
			*replace = true;
		}
		return n;
	}
	g[n++] = xbpf_gi(jmp | XBPF_JEQ | XBPF_K, s, 0, 4, 0);
	g[n++] = xbpf_gi(jmp | XBPF_JNE | XBPF_K, s, 0, 2, -1);
	g[n++] = xbpf_gi(alu | XBPF_MOV | XBPF_K, d, 0, 0, 0);
	g[n++] = xbpf_gi(XBPF_JMP | XBPF_JA, 0, 0, is64 ? 1 : 2, 0);
	if (!is64) {
		g[n++] = *insn;
		*replace = true;
	}
	return n;
}

static bool xbpf_is_div(const struct xbpf_insn *insn)
{
	u8 class = XBPF_CLASS(insn->code), op = XBPF_OP(insn->code);

	return (class == XBPF_ALU || class == XBPF_ALU64) &&
	       (op == XBPF_DIV || op == XBPF_MOD);
}

int xbpf_fixup_div(struct xbpf_verifier_env *env)
{
	struct xbpf_insn g[XBPF_GUARD_MAX], *insn;
	bool replace;
	u32 i, n;
	int err;

	for (i = 0; i < env->prog->len; i++) {
		insn = &env->prog->insns[i];
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI || !xbpf_is_div(insn))
			continue;
		if (XBPF_SRC(insn->code) == XBPF_K) {
			/* An immediate -1 (signed): the result needs no division. */
			if (insn->off != 1 || insn->imm != -1)
				continue;
			*insn = XBPF_OP(insn->code) == XBPF_DIV ?
				xbpf_gi(XBPF_CLASS(insn->code) | XBPF_NEG | XBPF_K,
					insn->dst_reg, 0, 0, 0) :
				xbpf_gi(XBPF_CLASS(insn->code) | XBPF_MOV | XBPF_K,
					insn->dst_reg, 0, 0, 0);
			continue;
		}
		n = xbpf_div_guard(insn, g, &replace);
		err = xbpf_patch_insert(env, i, g, n);
		if (err)
			return err;
		/* env->prog may have moved. */
		insn = &env->prog->insns[i + n];
		if (replace)
			*insn = xbpf_gi(XBPF_ALU | XBPF_MOV | XBPF_X, insn->dst_reg,
					insn->dst_reg, 0, 0);
		i += n;
	}
	return 0;
}

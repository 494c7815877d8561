// SPDX-License-Identifier: GPL-2.0
/*
 * verifier/patch.c on its own: programs with forward and backward jumps,
 * a gotol (JMP32|JA, offset in imm), a bpf-to-bpf call and an LDDW
 * across the insertion point run in the interpreter before and after
 * patching.  A neutral insertion (writes only AX) keeps the result; a
 * visible one (r0 += 1000) shows which paths run it: every path reaching
 * the instruction for an insertion before it, only the fall-through for
 * an insertion after.  Plus aux alignment, subprogram bounds, the -E2BIG
 * bound, LDDW halves and jump-offset range.
 */
#include "lib/xbpf_test.h"
#include "verifier/env.h"

#define AX	XBPF_REG_AX

static struct xbpf_verifier_env *mkenv(const struct xbpf_insn *p, u32 n, u32 sub2)
{
	struct xbpf_verifier_env *env = calloc(1, sizeof(*env));
	u32 i;

	env->prog = xt_prog(p, n, true);
	env->aux = calloc(n, sizeof(*env->aux));
	for (i = 0; i < n; i++) {
		env->aux[i].map_off = 1000 + i;	/* a tag to follow the moves */
		if (i && xbpf_insn_is_lddw(&p[i - 1]) && !(env->aux[i - 1].flags & XBPF_AUX_LDDW_HI))
			env->aux[i].flags |= XBPF_AUX_LDDW_HI;
		env->aux[i].subprog = sub2 && i >= sub2;
	}
	env->subprog_cnt = sub2 ? 2 : 1;
	env->subprogs[0].start = 0;
	env->subprogs[0].end = sub2 ? sub2 : n;
	if (sub2) {
		env->subprogs[1].start = sub2;
		env->subprogs[1].end = n;
	}
	env->subprogs[env->subprog_cnt].start = n;
	return env;
}

static void freeenv(struct xbpf_verifier_env *env)
{
	xt_prog_free(env->prog);
	free(env->aux);
	free(env);
}

static int runprog(const struct xbpf_prog *prog, u64 *r0)
{
	struct xt_env e = {};

	return xt_run(prog, &e, r0);
}

/*
 * r0 = 6 + 100 + 2^32 through a loop (backward jump to 2), a call to the
 * subprogram at 12, a gotol over a poisoned instruction and an LDDW.
 */
#define A_LEN	14
static void build_a(struct xbpf_insn *p)
{
	const struct xbpf_insn a[A_LEN] = {
		MOV64_IMM(0, 0),		/* 0 */
		MOV64_IMM(1, 3),		/* 1 */
		ALU64_REG(XBPF_ADD, 0, 1),	/* 2: loop head */
		ALU64_IMM(XBPF_SUB, 1, 1),	/* 3 */
		JMP_IMM(XBPF_JNE, 1, 0, -3),	/* 4: -> 2 */
		CALL_LOCAL(6),			/* 5: -> 12 */
		JA32(1),			/* 6: -> 8 */
		MOV64_IMM(0, -1),		/* 7: skipped */
		LDDW(2, 0x100000000ULL),	/* 8, 9 */
		ALU64_REG(XBPF_ADD, 0, 2),	/* 10 */
		EXIT(),				/* 11 */
		ALU64_IMM(XBPF_ADD, 0, 100),	/* 12: the subprogram */
		EXIT(),				/* 13 */
	};

	memcpy(p, a, sizeof(a));
}

#define A_RESULT	(6ULL + 100 + 0x100000000ULL)
#define A_SUB2		12

static void test_neutral_everywhere(void)
{
	struct xbpf_insn p[A_LEN], ins[2] = { MOV32_IMM(AX, 5), ALU64_REG(XBPF_ADD, AX, 0) };
	u32 at, bad = 0, tried = 0;
	u64 r0 = 0;
	int err;

	build_a(p);
	{
		struct xbpf_verifier_env *env = mkenv(p, A_LEN, A_SUB2);

		err = runprog(env->prog, &r0);
		xt_report(!err && r0 == A_RESULT, "unpatched program returns %#llx (err %d)",
			  (unsigned long long)r0, err);
		freeenv(env);
	}
	/* Two AX instructions before every instruction but the LDDW's second half. */
	for (at = 0; at < A_LEN; at++) {
		struct xbpf_verifier_env *env = mkenv(p, A_LEN, A_SUB2);

		if (env->aux[at].flags & XBPF_AUX_LDDW_HI) {
			freeenv(env);
			continue;
		}
		tried++;
		err = xbpf_patch_insert(env, at, ins, 2);
		r0 = 0;
		if (!err)
			err = runprog(env->prog, &r0);
		if (err || r0 != A_RESULT || env->prog->len != A_LEN + 2 ||
		    env->prog->orig_len != A_LEN ||
		    env->aux[at + 2].map_off != 1000 + at || env->aux[at].map_off ||
		    env->subprogs[1].start != (at <= A_SUB2 ? A_SUB2 + (at < A_SUB2 ? 2 : 0) : A_SUB2) ||
		    env->subprogs[2].start != A_LEN + 2) {
			bad++;
			xt_diag("insert at %u: err %d r0 %#llx sub %u", at, err,
				(unsigned long long)r0, env->subprogs[1].start);
		}
		freeenv(env);
	}
	xt_report(!bad && tried == A_LEN - 1,
		  "neutral insertion before each of %u insns: same result, aux and subprogs follow", tried);

	/* After each instruction too (not after the LDDW's first half, nor the last). */
	bad = tried = 0;
	for (at = 0; at + 1 < A_LEN; at++) {
		struct xbpf_verifier_env *env = mkenv(p, A_LEN, A_SUB2);

		if (env->aux[at + 1].flags & XBPF_AUX_LDDW_HI) {
			freeenv(env);
			continue;
		}
		tried++;
		err = xbpf_patch_insert_after(env, at, ins, 2);
		r0 = 0;
		if (!err)
			err = runprog(env->prog, &r0);
		if (err || r0 != A_RESULT || env->aux[at].map_off != 1000 + at ||
		    env->aux[at + 3].map_off != 1000 + at + 1) {
			bad++;
			xt_diag("insert after %u: err %d r0 %#llx", at, err, (unsigned long long)r0);
		}
		freeenv(env);
	}
	xt_report(!bad && tried == A_LEN - 2, "neutral insertion after each of %u insns: same result",
		  tried);
}

/* r0 += 1000 shows who runs the new code. */
static void test_visible(void)
{
	struct xbpf_insn p[A_LEN], ins[1] = { ALU64_IMM(XBPF_ADD, 0, 1000) };
	struct xbpf_verifier_env *env;
	u64 r0 = 0;
	int err;

	build_a(p);
	/* Before the loop head: the backward jump reaches it, 3 runs. */
	env = mkenv(p, A_LEN, A_SUB2);
	err = xbpf_patch_insert(env, 2, ins, 1);
	if (!err)
		err = runprog(env->prog, &r0);
	xt_report(!err && r0 == A_RESULT + 3000, "before the loop head: run on each iteration (%#llx)",
		  (unsigned long long)r0);
	freeenv(env);

	/* After the instruction before the loop head: fall-through only, once. */
	env = mkenv(p, A_LEN, A_SUB2);
	r0 = 0;
	err = xbpf_patch_insert_after(env, 1, ins, 1);
	if (!err)
		err = runprog(env->prog, &r0);
	xt_report(!err && r0 == A_RESULT + 1000, "after insn 1: the loop's back edge skips it (%#llx)",
		  (unsigned long long)r0);
	freeenv(env);

	/* Before the subprogram's first insn: the call runs it, it belongs to the subprogram. */
	env = mkenv(p, A_LEN, A_SUB2);
	r0 = 0;
	err = xbpf_patch_insert(env, A_SUB2, ins, 1);
	if (!err)
		err = runprog(env->prog, &r0);
	xt_report(!err && r0 == A_RESULT + 1000 && env->subprogs[1].start == A_SUB2 &&
		  env->aux[A_SUB2].subprog == 1 && env->subprogs[0].end == A_SUB2,
		  "before the callee's entry: the call runs it (%#llx)", (unsigned long long)r0);
	freeenv(env);

	/* Before the gotol's target (8): the gotol reaches it. */
	env = mkenv(p, A_LEN, A_SUB2);
	r0 = 0;
	err = xbpf_patch_insert(env, 8, ins, 1);
	if (!err)
		err = runprog(env->prog, &r0);
	xt_report(!err && r0 == A_RESULT + 1000, "before the gotol's target: run once (%#llx)",
		  (unsigned long long)r0);
	freeenv(env);

	/* Before the skipped insn (7): nothing runs it. */
	env = mkenv(p, A_LEN, A_SUB2);
	r0 = 0;
	err = xbpf_patch_insert(env, 7, ins, 1);
	if (!err)
		err = runprog(env->prog, &r0);
	xt_report(!err && r0 == A_RESULT, "before dead code: not run (%#llx)", (unsigned long long)r0);
	freeenv(env);
}

static void test_errors(void)
{
	struct xbpf_insn p[A_LEN], ins[1] = { MOV32_IMM(AX, 0) };
	struct xbpf_insn *big, *many;
	struct xbpf_verifier_env *env;
	u32 n, i;
	int err;

	build_a(p);
	env = mkenv(p, A_LEN, A_SUB2);
	err = xbpf_patch_insert(env, 9, ins, 1);	/* LDDW's second half */
	xt_report(err == -EFAULT && env->prog->len == A_LEN, "never between LDDW halves (%d)", err);
	err = xbpf_patch_insert(env, A_LEN, ins, 1);
	xt_report(err == -EFAULT && env->prog->len == A_LEN, "at past the end refused (%d)", err);
	freeenv(env);

	/* Growing past 1M instructions: -E2BIG, program unchanged. */
	n = 16;
	many = calloc(XBPF_COMPLEXITY_LIMIT_INSNS, sizeof(*many));
	for (i = 0; i < XBPF_COMPLEXITY_LIMIT_INSNS; i++)
		many[i] = MOV32_IMM(AX, 0);
	big = calloc(n, sizeof(*big));
	for (i = 0; i + 1 < n; i++)
		big[i] = MOV64_IMM(0, i);
	big[n - 1] = EXIT();
	env = mkenv(big, n, 0);
	err = xbpf_patch_insert(env, 0, many, XBPF_COMPLEXITY_LIMIT_INSNS - n);
	xt_report(!err && env->prog->len == XBPF_COMPLEXITY_LIMIT_INSNS,
		  "grown to exactly 1M insns (%d)", err);
	err = xbpf_patch_insert(env, 0, many, 1);
	xt_report(err == -E2BIG && env->prog->len == XBPF_COMPLEXITY_LIMIT_INSNS,
		  "one more: -E2BIG, unchanged (%d)", err);
	freeenv(env);
	free(big);

	/* A jump whose offset would leave s16: -ERANGE, unchanged. */
	{
		struct xbpf_insn *r = calloc(S16_MAX + 2, sizeof(*r));

		for (i = 0; i < (u32)S16_MAX + 2; i++)
			r[i] = MOV64_IMM(0, 1);
		r[0] = JA(S16_MAX - 1);		/* -> S16_MAX */
		r[S16_MAX + 1] = EXIT();
		env = mkenv(r, S16_MAX + 2, 0);
		err = xbpf_patch_insert(env, 1, ins, 1);
		xt_report(!err && env->prog->insns[0].off == S16_MAX,
			  "offset grows to S16_MAX (%d)", err);
		err = xbpf_patch_insert(env, 1, ins, 1);
		xt_report(err == -ERANGE && env->prog->insns[0].off == S16_MAX &&
			  env->prog->len == (u32)S16_MAX + 3, "past S16_MAX: -ERANGE, unchanged (%d)", err);
		freeenv(env);
		free(r);
	}
	free(many);
}

int main(void)
{
	test_neutral_everywhere();
	test_visible();
	test_errors();
	return xt_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Division guards (verifier/div_guard.c): every DIV/MOD that survives the
 * walk is rewritten so no engine divides by zero or overflows S64_MIN /
 * -1.  Each rewritten program runs in the interpreter and must give what
 * RFC 9669 defines, computed here independently; the rewrite's shape
 * (how many instructions, immediate -1 turned into NEG / MOV 0) is
 * checked too.
 */
#include "lib/xbpf_test.h"

/* RFC 9669 results, written out separately from the interpreter. */
static u64 rfc_result(u8 op, bool is64, bool sgn, u64 a, u64 b)
{
	if (!is64) {
		u32 x = (u32)a, y = (u32)b;
		s32 sx = (s32)x, sy = (s32)y;

		if (op == XBPF_DIV) {
			if (!y)
				return 0;
			if (!sgn)
				return x / y;
			if (sy == -1)
				return (u32)(0u - x);
			return (u32)(sx / sy);
		}
		if (!y)
			return x;
		if (!sgn)
			return x % y;
		if (sy == -1)
			return 0;
		return (u32)(sx % sy);
	}
	if (op == XBPF_DIV) {
		if (!b)
			return 0;
		if (!sgn)
			return a / b;
		if ((s64)b == -1)
			return 0 - a;
		return (u64)((s64)a / (s64)b);
	}
	if (!b)
		return a;
	if (!sgn)
		return a % b;
	if ((s64)b == -1)
		return 0;
	return (u64)((s64)a % (s64)b);
}

static struct xbpf_prog *verify(const struct xbpf_insn *insns, u32 n, int *err)
{
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SYSCALL, .insns = insns, .insn_cnt = n,
		.caps = { .allow_ptr_leaks = true, .bypass_spec_v1 = true, .bypass_spec_v4 = true,
			  .bpf_capable = true, .sys_admin = true },
		.check = XBPF_CHECK_STRICT,
	};
	struct xbpf_prog *prog = NULL;

	*err = xbpf_verify(&p, &prog);
	return prog;
}

/* Instructions the guard adds in front (div_guard.c's table). */
static u32 guard_len(u8 op, bool is64, bool sgn)
{
	if (op == XBPF_DIV)
		return sgn ? 6 : 3;
	if (!sgn)
		return is64 ? 1 : 2;
	return is64 ? 4 : 5;
}

static void test_register_divisors(void)
{
	static const u64 vals[] = {
		0, 1, 5, 7, (u64)-1, (u64)-7, 0x80000000ULL, 0xffffffffULL,
		0x100000000ULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
		0xffffffff00000005ULL, 0x00000001ffffffffULL,
	};
	u32 nv = ARRAY_SIZE(vals), bad = 0, runs = 0, shape_bad = 0;
	u32 opi, w, s, i, j;

	for (opi = 0; opi < 2; opi++)
	for (w = 0; w < 2; w++)
	for (s = 0; s < 2; s++) {
		u8 op = opi ? XBPF_MOD : XBPF_DIV;
		bool is64 = w, sgn = s;
		u8 cls = is64 ? XBPF_ALU64 : XBPF_ALU;

		for (i = 0; i < nv; i++)
		for (j = 0; j < nv; j++) {
			struct xbpf_insn p[] = {
				LDDW(0, vals[i]), LDDW(1, vals[j]),
				XI(cls | op | XBPF_X, 0, 1, sgn, 0), EXIT(),
			};
			struct xt_env env = {};
			struct xbpf_prog *prog;
			u64 r0 = 0, want;
			int err;

			prog = verify(p, ARRAY_SIZE(p), &err);
			if (!prog) {
				bad++;
				continue;
			}
			if (prog->len != ARRAY_SIZE(p) + guard_len(op, is64, sgn))
				shape_bad++;
			want = rfc_result(op, is64, sgn, vals[i], vals[j]);
			if (xt_run(prog, &env, &r0) || r0 != want) {
				if (bad++ < 5)
					xt_diag("%s%u%s %#llx, %#llx: r0 %#llx, want %#llx",
						op == XBPF_DIV ? "div" : "mod", is64 ? 64 : 32,
						sgn ? " signed" : "", (unsigned long long)vals[i],
						(unsigned long long)vals[j], (unsigned long long)r0,
						(unsigned long long)want);
			}
			runs++;
			xbpf_prog_put(prog);
		}
	}
	xt_report(!bad && runs == 8 * nv * nv,
		  "register divisors: %u rewritten programs run as RFC 9669 says (%u wrong)",
		  runs, bad);
	xt_report(!shape_bad, "guard lengths as documented (%u off)", shape_bad);
}

/* The guard is reached from a jump that targeted the division itself. */
static void test_jump_into_guard(void)
{
	struct xbpf_insn q[] = {
		MOV64_IMM(0, 100), MOV64_IMM(1, 0), MOV64_IMM(2, 1),
		JMP_IMM(XBPF_JEQ, 2, 1, 1),		/* always taken: lands on the div */
		MOV64_IMM(0, 7),
		ALU64_REG(XBPF_DIV, 0, 1),		/* 100 / 0 */
		EXIT(),
	};
	struct xt_env env = {};
	struct xbpf_prog *prog;
	u64 r0 = 1;
	int err;

	prog = verify(q, ARRAY_SIZE(q), &err);
	xt_report(prog && !xt_run(prog, &env, &r0) && r0 == 0,
		  "a jump onto the division goes through its guard (r0 %llu, err %d)",
		  (unsigned long long)r0, err);
	xbpf_prog_put(prog);
}

/* An immediate -1 (signed) needs no division at all. */
static void test_imm_minus_one(void)
{
	struct xbpf_insn sdiv[] = { LDDW(0, 0x8000000000000000ULL),
				    XI(XBPF_ALU64 | XBPF_DIV | XBPF_K, 0, 0, 1, -1), EXIT() };
	struct xbpf_insn smod[] = { MOV64_IMM(0, -5),
				    XI(XBPF_ALU | XBPF_MOD | XBPF_K, 0, 0, 1, -1), EXIT() };
	struct xbpf_insn udiv[] = { MOV64_IMM(0, 10),
				    XI(XBPF_ALU64 | XBPF_DIV | XBPF_K, 0, 0, 0, -1), EXIT() };
	struct xt_env env = {};
	struct xbpf_prog *prog;
	u64 r0 = 1;
	int err;

	prog = verify(sdiv, ARRAY_SIZE(sdiv), &err);
	xt_report(prog && prog->insns[2].code == (XBPF_ALU64 | XBPF_NEG | XBPF_K) &&
		  !xt_run(prog, &env, &r0) && r0 == 0x8000000000000000ULL,
		  "S64_MIN s/= -1: NEG, wraps to S64_MIN (r0 %#llx)", (unsigned long long)r0);
	xbpf_prog_put(prog);
	prog = verify(smod, ARRAY_SIZE(smod), &err);
	xt_report(prog && prog->insns[1].code == (XBPF_ALU | XBPF_MOV | XBPF_K) &&
		  !xt_run(prog, &env, &r0) && r0 == 0,
		  "w0 s%%= -1: MOV 0 (r0 %#llx)", (unsigned long long)r0);
	xbpf_prog_put(prog);
	prog = verify(udiv, ARRAY_SIZE(udiv), &err);
	xt_report(prog && prog->len == ARRAY_SIZE(udiv) &&
		  prog->insns[1].code == (XBPF_ALU64 | XBPF_DIV | XBPF_K) &&
		  !xt_run(prog, &env, &r0) && r0 == 0,
		  "unsigned / 0xffffffffffffffff stays a division (r0 %llu)",
		  (unsigned long long)r0);
	xbpf_prog_put(prog);
}

int main(void)
{
	test_register_divisors();
	test_jump_into_guard();
	test_imm_minus_one();
	return xt_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Interpreter unit tests: hand-assembled programs per opcode family, with
 * the edge cases Linux defines at run time, run in both memory models (the
 * results must agree); then the checked model's faults, the helper table,
 * SHA-1 and the program tag.
 */
#include "lib/xbpf_test.h"
#include "core/sha1.h"

#define A64	XBPF_ALU64
#define N(a)	ARRAY_SIZE(a)

/* Runs p in both models with no context; both must return expect. */
static void t_both(const char *name, const struct xbpf_insn *p, u32 n, u64 expect)
{
	bool pass = true;
	int checked;

	for (checked = 0; checked < 2; checked++) {
		struct xbpf_prog *prog = xt_prog(p, n, checked);
		struct xt_env env = { 0 };
		u64 r0;
		int ret = xt_run(prog, &env, &r0);

		if (ret || r0 != expect) {
			xt_diag("%s (%s): ret %d r0 %#llx, want %#llx%s%s", name,
				checked ? "checked" : "fast", ret,
				(unsigned long long)r0, (unsigned long long)expect,
				env.fault.why ? ": " : "", env.fault.why ? env.fault.why : "");
			pass = false;
		}
		xt_prog_free(prog);
	}
	xt_report(pass, "%s", name);
}

#define T(name, expect, ...) do {					\
	const struct xbpf_insn p_[] = { __VA_ARGS__ };			\
	t_both(name, p_, N(p_), (u64)(expect));				\
} while (0)

/* Checked run with env; must fail with err at insn (or any insn if -1). */
static void t_fault(const char *name, const struct xbpf_insn *p, u32 n,
		    struct xt_env *env, int err, int insn)
{
	struct xbpf_prog *prog = xt_prog(p, n, true);
	struct xt_env dflt = { 0 };
	u64 r0;
	int ret;

	if (!env)
		env = &dflt;
	ret = xt_run(prog, env, &r0);
	if (ret != err || (insn >= 0 && env->fault.insn != (u32)insn) ||
	    !env->fault.why) {
		xt_diag("%s: ret %d (want %d), insn %u (want %d), why %s", name, ret,
			err, env->fault.insn, insn, env->fault.why ?: "(none)");
		xt_report(false, "%s", name);
	} else {
		xt_report(true, "%s # %s", name, env->fault.why);
	}
	xt_prog_free(prog);
}

#define TF(name, env, err, insn, ...) do {				\
	const struct xbpf_insn p_[] = { __VA_ARGS__ };			\
	t_fault(name, p_, N(p_), env, err, insn);			\
} while (0)

/* Checked run with env; must succeed with expect. */
static void t_env(const char *name, const struct xbpf_insn *p, u32 n,
		  struct xt_env *env, struct xbpf_map **maps, u32 nr_maps, u64 expect)
{
	struct xbpf_prog *prog = xt_prog(p, n, true);
	u64 r0;
	int ret;

	if (nr_maps) {
		prog->maps = calloc(nr_maps, sizeof(*prog->maps));
		memcpy(prog->maps, maps, nr_maps * sizeof(*maps));
		prog->nr_maps = nr_maps;
	}
	ret = xt_run(prog, env, &r0);
	if (ret || r0 != expect)
		xt_diag("%s: ret %d r0 %#llx want %#llx (%s)", name, ret,
			(unsigned long long)r0, (unsigned long long)expect,
			env->fault.why ?: "");
	xt_report(!ret && r0 == expect, "%s", name);
	xt_prog_free(prog);
}

/* Jump test: r1 = a, r2 = b, then j (off 1): r0 = 1 if taken, else 0. */
static void t_jmp(const char *name, u64 a, u64 b, struct xbpf_insn j, bool taken)
{
	const struct xbpf_insn p[] = {
		LDDW(1, a), LDDW(2, b), MOV64_IMM(0, 0), j, EXIT(),
		MOV64_IMM(0, 1), EXIT(),
	};

	t_both(name, p, N(p), taken);
}

static void test_alu(void)
{
	T("add32 wraps", 0, MOV32_IMM(0, -1), ALU32_IMM(XBPF_ADD, 0, 1), EXIT());
	T("alu32 zero-extends", 0xffffffffULL,
	  MOV64_IMM(0, -1), ALU32_IMM(XBPF_ADD, 0, 0), EXIT());
	T("add64 imm sign-extends", ~0ULL,
	  MOV64_IMM(0, 1), ALU64_IMM(XBPF_ADD, 0, -2), EXIT());
	T("sub64 reg", (u64)-2, MOV64_IMM(0, 5), MOV64_IMM(1, 7),
	  ALU64_REG(XBPF_SUB, 0, 1), EXIT());
	T("sub32 reg", 0xfffffffeULL, MOV64_IMM(0, 5), MOV64_IMM(1, 7),
	  ALU32_REG(XBPF_SUB, 0, 1), EXIT());
	T("mul32 overflow", 0, MOV32_IMM(0, 0x10000), ALU32_REG(XBPF_MUL, 0, 0), EXIT());
	T("mul64", 0x300000000ULL, LDDW(0, 0x100000000ULL),
	  ALU64_IMM(XBPF_MUL, 0, 3), EXIT());
	T("mul64 imm negative", (u64)-21, MOV64_IMM(0, 7), ALU64_IMM(XBPF_MUL, 0, -3), EXIT());
	T("or/and/xor 64", 0xf0f0ULL ^ 0xff,
	  MOV64_IMM(0, 0xf000), ALU64_IMM(XBPF_OR, 0, 0xf0), MOV64_IMM(1, 0xffff),
	  ALU64_REG(XBPF_AND, 0, 1), ALU64_IMM(XBPF_XOR, 0, 0xff), EXIT());
	T("or/and/xor 32 zero-extend", 0xffff00ffULL,
	  MOV64_IMM(0, -1), ALU32_IMM(XBPF_AND, 0, -1), ALU32_IMM(XBPF_XOR, 0, 0xff00),
	  ALU32_IMM(XBPF_OR, 0, 0), EXIT());

	/* division and modulo */
	T("div64 by zero reg", 0, MOV64_IMM(0, 10), MOV64_IMM(1, 0),
	  ALU64_REG(XBPF_DIV, 0, 1), EXIT());
	T("div64 by zero imm", 0, MOV64_IMM(0, 10), ALU64_IMM(XBPF_DIV, 0, 0), EXIT());
	T("div32 by zero reg", 0, MOV64_IMM(0, -1), MOV64_IMM(1, 0),
	  ALU32_REG(XBPF_DIV, 0, 1), EXIT());
	T("div32 by zero, upper divisor bits ignored", 0, MOV64_IMM(0, 9),
	  LDDW(1, 0x100000000ULL), ALU32_REG(XBPF_DIV, 0, 1), EXIT());
	T("mod64 by zero keeps dst", (u64)-7, MOV64_IMM(0, -7), MOV64_IMM(1, 0),
	  ALU64_REG(XBPF_MOD, 0, 1), EXIT());
	T("mod32 by zero zero-extends dst", 0xfffffff9ULL, MOV64_IMM(0, -7),
	  MOV32_IMM(1, 0), ALU32_REG(XBPF_MOD, 0, 1), EXIT());
	T("div64 imm is sign-extended", 0, MOV64_IMM(0, 12),
	  ALU64_IMM(XBPF_DIV, 0, -1), EXIT());
	T("div64 max by -1 imm", 1, MOV64_IMM(0, -1), ALU64_IMM(XBPF_DIV, 0, -1), EXIT());
	T("div32 imm", 1, MOV32_IMM(0, -1), ALU32_IMM(XBPF_DIV, 0, -1), EXIT());
	T("div64 reg", 3, MOV64_IMM(0, 10), MOV64_IMM(1, 3), ALU64_REG(XBPF_DIV, 0, 1), EXIT());
	T("mod64 imm", 1, MOV64_IMM(0, 10), ALU64_IMM(XBPF_MOD, 0, 3), EXIT());
	T("mod32 reg", 1, LDDW(0, 0x10000000aULL), MOV64_IMM(1, 3),
	  ALU32_REG(XBPF_MOD, 0, 1), EXIT());

	/* signed division (off 1) */
	T("sdiv64 S64_MIN / -1 reg", 0x8000000000000000ULL,
	  LDDW(0, 0x8000000000000000ULL), MOV64_IMM(1, -1),
	  SALU64_REG(XBPF_DIV, 0, 1), EXIT());
	T("sdiv64 S64_MIN / -1 imm", 0x8000000000000000ULL,
	  LDDW(0, 0x8000000000000000ULL), SALU64_IMM(XBPF_DIV, 0, -1), EXIT());
	T("smod64 S64_MIN % -1", 0, LDDW(0, 0x8000000000000000ULL),
	  SALU64_IMM(XBPF_MOD, 0, -1), EXIT());
	T("sdiv64 by zero", 0, MOV64_IMM(0, -5), SALU64_IMM(XBPF_DIV, 0, 0), EXIT());
	T("smod64 by zero keeps dst", (u64)-5, MOV64_IMM(0, -5), MOV64_IMM(1, 0),
	  SALU64_REG(XBPF_MOD, 0, 1), EXIT());
	T("sdiv64 -7 / 2", (u64)-3, MOV64_IMM(0, -7), SALU64_IMM(XBPF_DIV, 0, 2), EXIT());
	T("smod64 -7 % 2", (u64)-1, MOV64_IMM(0, -7), SALU64_IMM(XBPF_MOD, 0, 2), EXIT());
	T("smod64 7 % -2", 1, MOV64_IMM(0, 7), MOV64_IMM(1, -2),
	  SALU64_REG(XBPF_MOD, 0, 1), EXIT());
	T("sdiv32 S32_MIN / -1", 0x80000000ULL, MOV32_IMM(0, S32_MIN),
	  SALU32_IMM(XBPF_DIV, 0, -1), EXIT());
	T("smod32 S32_MIN % -1", 0, MOV32_IMM(0, S32_MIN), MOV64_IMM(1, -1),
	  SALU32_REG(XBPF_MOD, 0, 1), EXIT());
	T("smod32 by zero zero-extends dst", 0xfffffffbULL, MOV64_IMM(0, -5),
	  SALU32_IMM(XBPF_MOD, 0, 0), EXIT());
	T("sdiv32 by zero", 0, MOV64_IMM(0, -5), MOV64_IMM(1, 0),
	  SALU32_REG(XBPF_DIV, 0, 1), EXIT());
	T("sdiv32 -7 / 2", 0xfffffffdULL, MOV32_IMM(0, -7), SALU32_IMM(XBPF_DIV, 0, 2), EXIT());

	/* shifts: register amounts are masked */
	T("lsh64 reg masked to 63", 2, MOV64_IMM(0, 1), MOV64_IMM(1, 65),
	  ALU64_REG(XBPF_LSH, 0, 1), EXIT());
	T("lsh32 reg masked to 31", 2, MOV64_IMM(0, 1), MOV64_IMM(1, 33),
	  ALU32_REG(XBPF_LSH, 0, 1), EXIT());
	T("lsh32 drops bit 31", 2, MOV32_IMM(0, 0x80000001), ALU32_IMM(XBPF_LSH, 0, 1), EXIT());
	T("lsh64 imm", 1ULL << 63, MOV64_IMM(0, 1), ALU64_IMM(XBPF_LSH, 0, 63), EXIT());
	T("rsh64 imm", 0xf, MOV64_IMM(0, -1), ALU64_IMM(XBPF_RSH, 0, 60), EXIT());
	T("rsh32 ignores upper half", 0xf, MOV64_IMM(0, -1), ALU32_IMM(XBPF_RSH, 0, 28), EXIT());
	T("rsh64 reg masked", 1, LDDW(0, 0x8000000000000000ULL), MOV64_IMM(1, 127),
	  ALU64_REG(XBPF_RSH, 0, 1), EXIT());
	T("arsh64 imm", (u64)-4, MOV64_IMM(0, -16), ALU64_IMM(XBPF_ARSH, 0, 2), EXIT());
	T("arsh64 reg masked", (u64)-4, MOV64_IMM(0, -16), MOV64_IMM(1, 66),
	  ALU64_REG(XBPF_ARSH, 0, 1), EXIT());
	T("arsh32 zero-extends", 0xffffffffULL, MOV32_IMM(0, S32_MIN),
	  ALU32_IMM(XBPF_ARSH, 0, 31), EXIT());
	T("arsh32 reg masked", 0xfffffff8ULL, MOV32_IMM(0, -16), MOV64_IMM(1, 33),
	  ALU32_REG(XBPF_ARSH, 0, 1), EXIT());

	T("neg64", (u64)-5, MOV64_IMM(0, 5), ALU64_IMM(XBPF_NEG, 0, 0), EXIT());
	T("neg64 S64_MIN", 0x8000000000000000ULL, LDDW(0, 0x8000000000000000ULL),
	  ALU64_IMM(XBPF_NEG, 0, 0), EXIT());
	T("neg32 zero-extends", 0xfffffffbULL, MOV64_IMM(0, 5), ALU32_IMM(XBPF_NEG, 0, 0), EXIT());

	/* moves */
	T("mov64 imm sign-extends", ~0ULL, MOV64_IMM(0, -1), EXIT());
	T("mov32 imm zero-extends", 0xffffffffULL, MOV32_IMM(0, -1), EXIT());
	T("mov32 reg clears upper half", 0xffffffffULL, MOV64_IMM(1, -1), MOV32_REG(0, 1), EXIT());
	T("movsx64 s8", (u64)-128, MOV64_IMM(1, 0x180), MOVSX64(0, 1, 8), EXIT());
	T("movsx64 s16", (u64)-32768, MOV64_IMM(1, 0x18000), MOVSX64(0, 1, 16), EXIT());
	T("movsx64 s32", 0xffffffff80000000ULL, LDDW(1, 0x180000000ULL),
	  MOVSX64(0, 1, 32), EXIT());
	T("movsx64 s8 positive", 0x7f, MOV64_IMM(1, -129), MOVSX64(0, 1, 8), EXIT());
	T("movsx32 s8", 0xffffff80ULL, MOV64_IMM(1, 0x80), MOVSX32(0, 1, 8), EXIT());
	T("movsx32 s16", 0xffff8000ULL, MOV64_IMM(1, 0x8000), MOVSX32(0, 1, 16), EXIT());
	T("lddw", 0x123456789abcdef0ULL, LDDW(0, 0x123456789abcdef0ULL), EXIT());

	/* byte swaps */
	T("le16", 0x7788, LDDW(0, 0x1122334455667788ULL), END(XBPF_TO_LE, 0, 16), EXIT());
	T("le32", 0x55667788, LDDW(0, 0x1122334455667788ULL), END(XBPF_TO_LE, 0, 32), EXIT());
	T("le64", 0x1122334455667788ULL, LDDW(0, 0x1122334455667788ULL),
	  END(XBPF_TO_LE, 0, 64), EXIT());
	T("be16", 0x8877, LDDW(0, 0x1122334455667788ULL), END(XBPF_TO_BE, 0, 16), EXIT());
	T("be32", 0x88776655, LDDW(0, 0x1122334455667788ULL), END(XBPF_TO_BE, 0, 32), EXIT());
	T("be64", 0x8877665544332211ULL, LDDW(0, 0x1122334455667788ULL),
	  END(XBPF_TO_BE, 0, 64), EXIT());
	T("bswap16", 0x8877, LDDW(0, 0x1122334455667788ULL), BSWAP(0, 16), EXIT());
	T("bswap32", 0x88776655, LDDW(0, 0x1122334455667788ULL), BSWAP(0, 32), EXIT());
	T("bswap64", 0x8877665544332211ULL, LDDW(0, 0x1122334455667788ULL), BSWAP(0, 64), EXIT());
}

static void test_jmp(void)
{
	const u64 hi5 = (1ULL << 32) | 5;

	t_jmp("jeq64 reg taken", 5, 5, JMP_REG(XBPF_JEQ, 1, 2, 1), true);
	t_jmp("jeq64 reg upper bits differ", hi5, 5, JMP_REG(XBPF_JEQ, 1, 2, 1), false);
	t_jmp("jeq32 reg ignores upper bits", hi5, 5, JMP32_REG(XBPF_JEQ, 1, 2, 1), true);
	t_jmp("jeq64 imm sign-extended", ~0ULL, 0, JMP_IMM(XBPF_JEQ, 1, -1, 1), true);
	t_jmp("jeq32 imm", 0xffffffffULL, 0, JMP32_IMM(XBPF_JEQ, 1, -1, 1), true);
	t_jmp("jne64", hi5, 5, JMP_REG(XBPF_JNE, 1, 2, 1), true);
	t_jmp("jne32", hi5, 5, JMP32_REG(XBPF_JNE, 1, 2, 1), false);
	t_jmp("jgt64 unsigned", ~0ULL, 0, JMP_REG(XBPF_JGT, 1, 2, 1), true);
	t_jmp("jgt64 imm -1 is max", 0xffffffffULL, 0, JMP_IMM(XBPF_JGT, 1, -1, 1), false);
	t_jmp("jgt32 imm", 0xffffffffULL, 0, JMP32_IMM(XBPF_JGT, 1, 0, 1), true);
	t_jmp("jge64 equal", 7, 7, JMP_REG(XBPF_JGE, 1, 2, 1), true);
	t_jmp("jge32", 1ULL << 32, 1, JMP32_REG(XBPF_JGE, 1, 2, 1), false);
	t_jmp("jlt64", 0, ~0ULL, JMP_REG(XBPF_JLT, 1, 2, 1), true);
	t_jmp("jlt32", 0, 1ULL << 32, JMP32_REG(XBPF_JLT, 1, 2, 1), false);
	t_jmp("jle64", 3, 3, JMP_IMM(XBPF_JLE, 1, 3, 1), true);
	t_jmp("jle32 imm", 4, 0, JMP32_IMM(XBPF_JLE, 1, 3, 1), false);
	t_jmp("jsgt64 signed", ~0ULL, 0, JMP_REG(XBPF_JSGT, 1, 2, 1), false);
	t_jmp("jsgt32 signed", 0x7fffffffULL, 0x80000000ULL, JMP32_REG(XBPF_JSGT, 1, 2, 1), true);
	t_jmp("jsge64", (u64)-3, 0, JMP_IMM(XBPF_JSGE, 1, -3, 1), true);
	t_jmp("jsge32", 0x80000000ULL, 0, JMP32_IMM(XBPF_JSGE, 1, 0, 1), false);
	t_jmp("jslt64", ~0ULL, 0, JMP_REG(XBPF_JSLT, 1, 2, 1), true);
	t_jmp("jslt32 upper bits ignored", 0x1ffffffffULL, 0, JMP32_IMM(XBPF_JSLT, 1, 0, 1), true);
	t_jmp("jsle64", (u64)-2, 0, JMP_IMM(XBPF_JSLE, 1, -2, 1), true);
	t_jmp("jsle32", 1, 0, JMP32_IMM(XBPF_JSLE, 1, 0, 1), false);
	t_jmp("jset64 imm", 0x10, 0, JMP_IMM(XBPF_JSET, 1, 0x10, 1), true);
	t_jmp("jset64 imm sign-extended", 1ULL << 40, 0, JMP_IMM(XBPF_JSET, 1, -1, 1), true);
	t_jmp("jset32 imm", 1ULL << 40, 0, JMP32_IMM(XBPF_JSET, 1, -1, 1), false);
	t_jmp("jset64 reg", 6, 3, JMP_REG(XBPF_JSET, 1, 2, 1), true);
	t_jmp("jset32 reg", 1ULL << 33, 1ULL << 33, JMP32_REG(XBPF_JSET, 1, 2, 1), false);

	T("ja", 1, MOV64_IMM(0, 1), JA(1), MOV64_IMM(0, 2), EXIT());
	T("ja32 forward (imm offset)", 1, MOV64_IMM(0, 1), JA32(1), MOV64_IMM(0, 2), EXIT());
	T("ja32 backward", 3, MOV64_IMM(0, 0), JA32(2), ALU64_IMM(XBPF_ADD, 0, 2), EXIT(),
	  ALU64_IMM(XBPF_ADD, 0, 1), JA32(-4));
	T("loop 10 times", 10, MOV64_IMM(0, 0), ALU64_IMM(XBPF_ADD, 0, 1),
	  JMP_IMM(XBPF_JLT, 0, 10, -2), EXIT());
}

static void test_mem(void)
{
	u8 ctxbuf[16] = { 1, 2, 3, 4, 0x80, 0x81, 0x82, 0x83 };
	struct xt_env env = { .ctx = ctxbuf, .ctx_size = sizeof(ctxbuf) };

	T("st dw / ldx w", 0xffffffffULL, ST(XBPF_DW, 10, -8, -1), LDX(XBPF_W, 0, 10, -8), EXIT());
	T("st dw sign-extends imm", (u64)-2, ST(XBPF_DW, 10, -8, -2),
	  LDX(XBPF_DW, 0, 10, -8), EXIT());
	T("st b/h/w", 0x11223344ULL, ST(XBPF_W, 10, -4, 0), ST(XBPF_H, 10, -4, 0x3344),
	  ST(XBPF_B, 10, -2, 0x22), ST(XBPF_B, 10, -1, 0x11), LDX(XBPF_W, 0, 10, -4), EXIT());
	T("stx dw / ldx h", 0x7788, LDDW(1, 0x1122334455667788ULL), STX(XBPF_DW, 10, 1, -8),
	  LDX(XBPF_H, 0, 10, -8), EXIT());
	T("stx dw / ldx b", 0x11, LDDW(1, 0x1122334455667788ULL), STX(XBPF_DW, 10, 1, -8),
	  LDX(XBPF_B, 0, 10, -1), EXIT());
	T("stx b/h/w truncate", 0x88778877ULL, LDDW(1, 0x1122334455668877ULL),
	  STX(XBPF_H, 10, 1, -4), STX(XBPF_H, 10, 1, -2), LDX(XBPF_W, 0, 10, -4), EXIT());
	T("unaligned dw", 0x1122334455667788ULL, LDDW(1, 0x1122334455667788ULL),
	  STX(XBPF_DW, 10, 1, -11), LDX(XBPF_DW, 0, 10, -11), EXIT());
	T("ldxsb", (u64)-128, ST(XBPF_B, 10, -1, 0x80), LDXS(XBPF_B, 0, 10, -1), EXIT());
	T("ldxsh", (u64)-32768, ST(XBPF_H, 10, -2, 0x8000), LDXS(XBPF_H, 0, 10, -2), EXIT());
	T("ldxsw", 0xffffffff80000000ULL, ST(XBPF_W, 10, -4, S32_MIN),
	  LDXS(XBPF_W, 0, 10, -4), EXIT());
	T("ldxsb positive", 0x7f, ST(XBPF_B, 10, -1, 0x7f), LDXS(XBPF_B, 0, 10, -1), EXIT());
	T("stack bottom of the frame", 42, ST(XBPF_DW, 10, -512, 42),
	  LDX(XBPF_DW, 0, 10, -512), EXIT());

	{
		const struct xbpf_insn p[] = { LDX(XBPF_W, 0, 1, 4), EXIT() };

		t_env("ldx w from ctx", p, N(p), &env, NULL, 0, 0x83828180);
	}
	{
		const struct xbpf_insn p[] = {
			ST(XBPF_DW, 1, 8, 7), LDX(XBPF_DW, 0, 1, 8), EXIT(),
		};

		env.ctx_writable = true;
		t_env("st to writable ctx", p, N(p), &env, NULL, 0, 7);
	}
	{
		const struct xbpf_insn p[] = { MOV64_REG(0, 2), EXIT() };

		env.r2 = 16;
		t_env("r2 holds the ctx size", p, N(p), &env, NULL, 0, 16);
	}
}

static void test_atomic(void)
{
	T("atomic add dw", 15, ST(XBPF_DW, 10, -8, 10), MOV64_IMM(1, 5),
	  ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD), LDX(XBPF_DW, 0, 10, -8), EXIT());
	T("atomic fetch add dw", 1015, ST(XBPF_DW, 10, -8, 10), MOV64_IMM(1, 5),
	  ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD | XBPF_FETCH), ALU64_IMM(XBPF_MUL, 1, 100),
	  LDX(XBPF_DW, 0, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), EXIT());
	T("atomic add w keeps the upper word", 0xffffffff00000000ULL, ST(XBPF_DW, 10, -8, -1),
	  MOV64_IMM(1, 1), ATOMIC(XBPF_W, 10, 1, -8, XBPF_ADD), LDX(XBPF_DW, 0, 10, -8), EXIT());
	T("atomic fetch add w zero-extends", 0xffffffffULL, ST(XBPF_W, 10, -4, -1),
	  LDDW(1, 0xffffffff00000001ULL), ATOMIC(XBPF_W, 10, 1, -4, XBPF_ADD | XBPF_FETCH),
	  MOV64_REG(0, 1), EXIT());
	T("atomic fetch add w result", 0, ST(XBPF_W, 10, -4, -1), MOV64_IMM(1, 1),
	  ATOMIC(XBPF_W, 10, 1, -4, XBPF_ADD | XBPF_FETCH), LDX(XBPF_W, 0, 10, -4), EXIT());
	T("atomic and dw", 0x0f, ST(XBPF_DW, 10, -8, 0xff), MOV64_IMM(1, 0x0f),
	  ATOMIC(XBPF_DW, 10, 1, -8, XBPF_AND), LDX(XBPF_DW, 0, 10, -8), EXIT());
	T("atomic fetch and w", 0xff0f, ST(XBPF_W, 10, -4, 0xff), MOV64_IMM(1, 0x0f),
	  ATOMIC(XBPF_W, 10, 1, -4, XBPF_AND | XBPF_FETCH), ALU64_IMM(XBPF_LSH, 1, 8),
	  LDX(XBPF_W, 0, 10, -4), ALU64_REG(XBPF_OR, 0, 1), EXIT());
	T("atomic or w", 0xf1, ST(XBPF_W, 10, -4, 0xf0), MOV64_IMM(1, 1),
	  ATOMIC(XBPF_W, 10, 1, -4, XBPF_OR), LDX(XBPF_W, 0, 10, -4), EXIT());
	T("atomic fetch or dw", 0xf0f1, ST(XBPF_DW, 10, -8, 0xf0), MOV64_IMM(1, 1),
	  ATOMIC(XBPF_DW, 10, 1, -8, XBPF_OR | XBPF_FETCH), ALU64_IMM(XBPF_LSH, 1, 8),
	  LDX(XBPF_DW, 0, 10, -8), ALU64_REG(XBPF_OR, 0, 1), EXIT());
	T("atomic xor dw", 0xf0, ST(XBPF_DW, 10, -8, 0xff), MOV64_IMM(1, 0x0f),
	  ATOMIC(XBPF_DW, 10, 1, -8, XBPF_XOR), LDX(XBPF_DW, 0, 10, -8), EXIT());
	T("atomic fetch xor w", 0xfff0, ST(XBPF_W, 10, -4, 0xff), MOV64_IMM(1, 0x0f),
	  ATOMIC(XBPF_W, 10, 1, -4, XBPF_XOR | XBPF_FETCH), ALU64_IMM(XBPF_LSH, 1, 8),
	  LDX(XBPF_W, 0, 10, -4), ALU64_REG(XBPF_OR, 0, 1), EXIT());
	T("atomic xchg dw", 709, ST(XBPF_DW, 10, -8, 7), MOV64_IMM(1, 9),
	  ATOMIC(XBPF_DW, 10, 1, -8, XBPF_XCHG), ALU64_IMM(XBPF_MUL, 1, 100),
	  LDX(XBPF_DW, 0, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), EXIT());
	T("atomic xchg w zero-extends", 0xffffffffULL, ST(XBPF_W, 10, -4, -1),
	  LDDW(1, 0x100000002ULL), ATOMIC(XBPF_W, 10, 1, -4, XBPF_XCHG), MOV64_REG(0, 1), EXIT());
	T("atomic cmpxchg dw success", 709, ST(XBPF_DW, 10, -8, 7), MOV64_IMM(0, 7),
	  MOV64_IMM(1, 9), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), ALU64_IMM(XBPF_MUL, 0, 100),
	  LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), EXIT());
	T("atomic cmpxchg dw failure", 707, ST(XBPF_DW, 10, -8, 7), MOV64_IMM(0, 8),
	  MOV64_IMM(1, 9), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG), ALU64_IMM(XBPF_MUL, 0, 100),
	  LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), EXIT());
	T("atomic cmpxchg w compares low half, zero-extends", 0xffffffffULL,
	  ST(XBPF_W, 10, -4, -1), LDDW(0, 0x1ffffffffULL), MOV64_IMM(1, 3),
	  ATOMIC(XBPF_W, 10, 1, -4, XBPF_CMPXCHG), LDX(XBPF_W, 2, 10, -4),
	  JMP_IMM(XBPF_JEQ, 2, 3, 1), MOV64_IMM(0, 0), EXIT());
}

/* Frames: function i (i < depth) calls i + 1 and adds one to its result. */
static void t_depth(const char *name, unsigned int frames, bool checked, bool ok)
{
	struct xbpf_insn p[3 * XBPF_MAX_CALL_FRAMES + 8];
	unsigned int i, n = 0;
	struct xbpf_prog *prog;
	struct xt_env env = { 0 };
	u64 r0;
	int ret;

	for (i = 0; i + 1 < frames; i++) {
		/* every level touches its own frame too */
		p[n++] = CALL_LOCAL(2);
		p[n++] = ALU64_IMM(XBPF_ADD, 0, 1);
		p[n++] = EXIT();
	}
	p[n++] = ST(XBPF_DW, 10, -512, 1);
	p[n++] = MOV64_IMM(0, 0);
	p[n++] = EXIT();
	prog = xt_prog(p, n, checked);
	ret = xt_run(prog, &env, &r0);
	if (ok)
		xt_report(!ret && r0 == frames - 1, "%s", name);
	else
		xt_report(ret == -EFAULT && env.fault.insn == 3 * (XBPF_MAX_CALL_FRAMES - 1),
			  "%s # %s", name, env.fault.why ?: "no fault");
	xt_prog_free(prog);
}

static void test_calls(void)
{
	T("helper ktime_get_ns is nonzero", 1, CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(6, 0),
	  MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 6, 0, 1), MOV64_IMM(0, 1), EXIT());
	T("helper ktime_get_boot_ns is nonzero", 1, CALL(XBPF_FUNC_ktime_get_boot_ns),
	  MOV64_REG(6, 0), MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 6, 0, 1), MOV64_IMM(0, 1), EXIT());
	T("helper get_smp_processor_id", 0, CALL(XBPF_FUNC_get_smp_processor_id), EXIT());
	T("helper get_prandom_u32 is 32-bit", 0, CALL(XBPF_FUNC_get_prandom_u32),
	  ALU64_IMM(XBPF_RSH, 0, 32), EXIT());
	T("helper call keeps r6-r9", 6789, MOV64_IMM(6, 6), MOV64_IMM(7, 7), MOV64_IMM(8, 8),
	  MOV64_IMM(9, 9), CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(0, 6),
	  ALU64_IMM(XBPF_MUL, 0, 10), ALU64_REG(XBPF_ADD, 0, 7), ALU64_IMM(XBPF_MUL, 0, 10),
	  ALU64_REG(XBPF_ADD, 0, 8), ALU64_IMM(XBPF_MUL, 0, 10), ALU64_REG(XBPF_ADD, 0, 9), EXIT());

	T("bpf-to-bpf call: args, r0, r6-r9 preserved", 15 + 6789,
	  MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, 3), MOV64_IMM(4, 4), MOV64_IMM(5, 5),
	  MOV64_IMM(6, 6), MOV64_IMM(7, 7), MOV64_IMM(8, 8), MOV64_IMM(9, 9),
	  CALL_LOCAL(9),
	  MOV64_REG(1, 6), ALU64_IMM(XBPF_MUL, 1, 10), ALU64_REG(XBPF_ADD, 1, 7),
	  ALU64_IMM(XBPF_MUL, 1, 10), ALU64_REG(XBPF_ADD, 1, 8), ALU64_IMM(XBPF_MUL, 1, 10),
	  ALU64_REG(XBPF_ADD, 1, 9), ALU64_REG(XBPF_ADD, 0, 1), EXIT(),
	  /* callee at 19 */
	  MOV64_REG(0, 1), ALU64_REG(XBPF_ADD, 0, 2), ALU64_REG(XBPF_ADD, 0, 3),
	  ALU64_REG(XBPF_ADD, 0, 4), ALU64_REG(XBPF_ADD, 0, 5), MOV64_IMM(6, 0),
	  MOV64_IMM(7, 0), MOV64_IMM(8, 0), MOV64_IMM(9, 0), EXIT());
	T("callee has its own frame", 1, ST(XBPF_DW, 10, -8, 1), CALL_LOCAL(2),
	  LDX(XBPF_DW, 0, 10, -8), EXIT(),
	  ST(XBPF_DW, 10, -8, 2), EXIT());
	T("callee reads the caller's frame", 77, ST(XBPF_DW, 10, -8, 77), MOV64_REG(1, 10),
	  ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(1), EXIT(),
	  LDX(XBPF_DW, 0, 1, 0), EXIT());
	T("r10 restored after return", 0, MOV64_REG(6, 10), CALL_LOCAL(3), MOV64_REG(0, 10),
	  ALU64_REG(XBPF_SUB, 0, 6), EXIT(),
	  MOV64_IMM(0, 0), EXIT());

	t_depth("8 call frames run (checked)", XBPF_MAX_CALL_FRAMES, true, true);
	t_depth("8 call frames run (fast)", XBPF_MAX_CALL_FRAMES, false, true);
	t_depth("9th call frame rejected (checked)", XBPF_MAX_CALL_FRAMES + 1, true, false);
	t_depth("9th call frame rejected (fast)", XBPF_MAX_CALL_FRAMES + 1, false, false);
}

static void test_ld_abs(void)
{
	u8 pkt[34];
	struct xbpf_skb skb = { 0 };
	struct xt_env env = { .skb = &skb };
	unsigned int i;

	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = i;
	pkt[12] = 0x08;
	pkt[13] = 0x00;
	skb.mac = pkt;
	skb.data = pkt + 14;
	skb.data_len = sizeof(pkt) - 14;

#define TA(name, expect, ...) do {					\
	const struct xbpf_insn p_[] = { __VA_ARGS__ };			\
	struct xt_env e_ = env;						\
	t_env(name, p_, N(p_), &e_, NULL, 0, expect);			\
} while (0)
	TA("ld_abs b", 14, LD_ABS(XBPF_B, 0), EXIT());
	TA("ld_abs h big-endian", 0x1011, LD_ABS(XBPF_H, 2), EXIT());
	TA("ld_abs w big-endian", 0x12131415, LD_ABS(XBPF_W, 4), EXIT());
	TA("ld_abs w last bytes", 99, LD_ABS(XBPF_W, 16), MOV64_IMM(0, 99), EXIT());
	TA("ld_abs w out of bounds returns 0", 0, LD_ABS(XBPF_W, 17), MOV64_IMM(0, 99), EXIT());
	TA("ld_abs b past the end returns 0", 0, LD_ABS(XBPF_B, 20), MOV64_IMM(0, 99), EXIT());
	TA("ld_abs huge offset returns 0", 0, LD_ABS(XBPF_B, 0x7fffffff), MOV64_IMM(0, 99), EXIT());
	TA("ld_ind h", 0x1213, MOV64_IMM(7, 2), LD_IND(XBPF_H, 7, 2), EXIT());
	TA("ld_ind w 32-bit sum", 0x10111213, LDDW(7, 0x100000003ULL), LD_IND(XBPF_W, 7, -1), EXIT());
	TA("ld_ind negative returns 0", 0, MOV64_IMM(7, -1), LD_IND(XBPF_B, 7, 0),
	   MOV64_IMM(0, 99), EXIT());
	TA("ld_abs SKF_NET_OFF", 15, LD_ABS(XBPF_B, -0x100000 + 1), EXIT());
	TA("ld_abs SKF_LL_OFF ethertype", 0x0800, LD_ABS(XBPF_H, -0x200000 + 12), EXIT());
	TA("ld_abs SKF_LL_OFF last word", 0x1e1f2021, LD_ABS(XBPF_W, -0x200000 + 30), EXIT());
	TA("ld_abs SKF_LL_OFF past the end returns 0", 0, LD_ABS(XBPF_W, -0x200000 + 31),
	   MOV64_IMM(0, 99), EXIT());
	TA("ld_abs below SKF_LL_OFF returns 0", 0, LD_ABS(XBPF_B, -0x200001),
	   MOV64_IMM(0, 99), EXIT());
	/* Linux's gen_ld_abs: "r0 = 0; exit" leaves the subprogram, not the program */
	TA("ld_abs from a subprogram returns 0 to the caller", 99, MOV64_IMM(6, 99), CALL_LOCAL(2),
	   ALU64_REG(XBPF_ADD, 0, 6), EXIT(),
	   LD_ABS(XBPF_W, 100), MOV64_IMM(0, 5), EXIT());
	TA("ld_abs from a subprogram, in range", 99 + 0x10 + 5, MOV64_IMM(6, 99), CALL_LOCAL(2),
	   ALU64_REG(XBPF_ADD, 0, 6), EXIT(),
	   LD_ABS(XBPF_B, 2), ALU64_IMM(XBPF_ADD, 0, 5), EXIT());
	env.skb = NULL;
	TA("ld_abs without a packet returns 0", 0, LD_ABS(XBPF_B, 0), MOV64_IMM(0, 99), EXIT());
#undef TA
}

/* A map the test owns: 32 values of 8 bytes; key is a u32 index. */
static u8 fake_vals[32][8];

static void *fake_lookup(struct xbpf_map *map, const void *key)
{
	u32 k;

	memcpy(&k, key, 4);
	return k < map->max_entries ? fake_vals[k] : NULL;
}

static int fake_update(struct xbpf_map *map, const void *key, const void *value, u64 flags)
{
	u32 k;

	memcpy(&k, key, 4);
	if (k >= map->max_entries)
		return -E2BIG;
	memcpy(fake_vals[k], value, 8);
	return 0;
}

static int fake_delete(struct xbpf_map *map, const void *key)
{
	return -EINVAL;
}

static int fake_direct(const struct xbpf_map *map, u64 *addr, u32 off)
{
	if (map->max_entries != 1)
		return -EINVAL;
	*addr = (uintptr_t)fake_vals[0] + off;
	return 0;
}

static const struct xbpf_map_ops fake_ops = {
	.lookup = fake_lookup, .update = fake_update, .delete = fake_delete,
	.direct_value_addr = fake_direct,
};

static void fake_map_init(struct xbpf_map *m, u32 type, u32 entries, u32 flags)
{
	memset(m, 0, sizeof(*m));
	m->ops = &fake_ops;
	m->map_type = type;
	m->key_size = 4;
	m->value_size = 8;
	m->max_entries = entries;
	m->map_flags = flags;
	xbpf_refcount_set(&m->refcnt, 1);
}

/* key (r10-4) = k; r1 = map; r2 = &key; call lookup */
#define LOOKUP(map, k)							\
	ST(XBPF_W, 10, -4, k), LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)(map)), \
	MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem)

static void test_maps(void)
{
	struct xbpf_map arr, one, ro, hash;
	struct xbpf_map *maps[4] = { &arr, &one, &ro, &hash };
	struct xt_env env;

	fake_map_init(&arr, XBPF_MAP_TYPE_ARRAY, 32, 0);
	fake_map_init(&one, XBPF_MAP_TYPE_ARRAY, 1, 0);
	fake_map_init(&ro, XBPF_MAP_TYPE_ARRAY, 32, XBPF_F_RDONLY_PROG);
	fake_map_init(&hash, XBPF_MAP_TYPE_HASH, 32, 0);
	memset(fake_vals, 0, sizeof(fake_vals));

#define TM(name, expect, ...) do {					\
	const struct xbpf_insn p_[] = { __VA_ARGS__ };			\
	memset(&env, 0, sizeof(env));					\
	t_env(name, p_, N(p_), &env, maps, 4, expect);			\
} while (0)
#define TMF(name, err, at, ...) do {					\
	const struct xbpf_insn p_[] = { __VA_ARGS__ };			\
	struct xbpf_prog *prog_ = xt_prog(p_, N(p_), true);		\
	u64 r0_;							\
	int ret_;							\
	memset(&env, 0, sizeof(env));					\
	prog_->maps = calloc(4, sizeof(*maps));				\
	memcpy(prog_->maps, maps, sizeof(maps));			\
	prog_->nr_maps = 4;						\
	ret_ = xt_run(prog_, &env, &r0_);				\
	xt_report(ret_ == (err) && env.fault.insn == (u32)(at), "%s # %s", name,	\
		  env.fault.why ?: "no fault");				\
	if (ret_ != (err) || env.fault.insn != (u32)(at))			\
		xt_diag("ret %d insn %u", ret_, env.fault.insn);	\
	xt_prog_free(prog_);						\
} while (0)

	TM("map lookup, write and read the value", 0x55,
	   LOOKUP(&arr, 3), JMP_IMM(XBPF_JEQ, 0, 0, 3), ST(XBPF_DW, 0, 0, 0x55),
	   LDX(XBPF_DW, 0, 0, 0), EXIT(), MOV64_IMM(0, -1), EXIT());
	TM("map lookup miss gives NULL", 0, LOOKUP(&arr, 99), EXIT());
	TM("map update from the stack", 0x66, ST(XBPF_DW, 10, -16, 0x66),
	   ST(XBPF_W, 10, -4, 5), LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr),
	   MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4), MOV64_REG(3, 10),
	   ALU64_IMM(XBPF_ADD, 3, -16), MOV64_IMM(4, 0), CALL(XBPF_FUNC_map_update_elem),
	   JMP_IMM(XBPF_JNE, 0, 0, 2), LOOKUP(&arr, 5), LDX(XBPF_DW, 0, 0, 0), EXIT());
	TM("16 distinct live values fit", 0, MOV64_IMM(6, 0), STX(XBPF_W, 10, 6, -4),
	   LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr), MOV64_REG(2, 10),
	   ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem),
	   ALU64_IMM(XBPF_ADD, 6, 1), JMP_IMM(XBPF_JLT, 6, 16, -8), MOV64_IMM(0, 0), EXIT());
	TM("the same value looked up 100 times", 0, MOV64_IMM(6, 0), ST(XBPF_W, 10, -4, 1),
	   LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr), MOV64_REG(2, 10),
	   ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem),
	   ALU64_IMM(XBPF_ADD, 6, 1), JMP_IMM(XBPF_JLT, 6, 100, -8), MOV64_IMM(0, 0), EXIT());
	fake_vals[0][0] = 0x42;
	TM("lddw map value (src 2)", 0x42,
	   LDDW_SRC(1, XBPF_PSEUDO_MAP_VALUE, (uintptr_t)fake_vals[0]), LDX(XBPF_B, 0, 1, 0), EXIT());

	TMF("write past the map value", -EFAULT, 7,
	    LOOKUP(&arr, 3), JMP_IMM(XBPF_JEQ, 0, 0, 1), ST(XBPF_W, 0, 6, 1), EXIT());
	TMF("write to a read-only map value", -EFAULT, 7,
	    LOOKUP(&ro, 3), JMP_IMM(XBPF_JEQ, 0, 0, 1), ST(XBPF_B, 0, 0, 1), EXIT());
	TMF("17th distinct live value overflows the table", -EFAULT, 6,
	    MOV64_IMM(6, 0), STX(XBPF_W, 10, 6, -4),
	    LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr), MOV64_REG(2, 10),
	    ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem),
	    ALU64_IMM(XBPF_ADD, 6, 1), JMP_IMM(XBPF_JLT, 6, 17, -8), MOV64_IMM(0, 0), EXIT());
	TMF("lddw map value: read past it", -EFAULT, 2,
	    LDDW_SRC(1, XBPF_PSEUDO_MAP_VALUE, (uintptr_t)fake_vals[0]), LDX(XBPF_B, 0, 1, 8),
	    EXIT());
	TMF("helper arg: not a map", -EFAULT, 4,
	    ST(XBPF_W, 10, -4, 0), MOV64_REG(1, 10), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4),
	    CALL(XBPF_FUNC_map_lookup_elem), EXIT());
	TMF("helper arg: NULL key", -EFAULT, 3,
	    LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr), MOV64_IMM(2, 0),
	    CALL(XBPF_FUNC_map_lookup_elem), EXIT());
	TMF("helper arg: key straddles the frame end", -EFAULT, 4,
	    LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr), MOV64_REG(2, 10),
	    ALU64_IMM(XBPF_ADD, 2, -2), CALL(XBPF_FUNC_map_lookup_elem), EXIT());
	TMF("helper arg: value too short", -EFAULT, 7,
	    ST(XBPF_W, 10, -4, 0), LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&arr),
	    MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -4), CALL(XBPF_FUNC_map_update_elem), EXIT());
	TMF("hash value unusable after delete", -EFAULT, 12,
	    LOOKUP(&hash, 3), MOV64_REG(6, 0), LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)&hash),
	    MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_delete_elem),
	    LDX(XBPF_DW, 0, 6, 0), EXIT());
#undef TM
#undef TMF
}

/* The checked model against the real map types of maps/. */
static void test_real_maps(void)
{
	struct xbpf_map_params ap = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 12,
		.max_entries = 1,
	};
	struct xbpf_map_params hp = {
		.map_type = XBPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
		.max_entries = 4,
	};
	struct xbpf_map *arr, *hash;
	int err = 0;

	arr = xbpf_map_create(&ap, &err);
	hash = xbpf_map_create(&hp, &err);
	if (!arr || !hash) {
		xt_report(false, "real maps: create (%d)", err);
		return;
	}
	{
		const struct xbpf_insn p[] = {
			LDDW_SRC(1, XBPF_PSEUDO_MAP_VALUE, 0), ST(XBPF_W, 1, 8, 0x77),
			LDX(XBPF_W, 0, 1, 8), EXIT(),
		};
		const struct xbpf_insn bad[] = {
			LDDW_SRC(1, XBPF_PSEUDO_MAP_VALUE, 0), LDX(XBPF_W, 0, 1, 9), EXIT(),
		};
		struct xbpf_insn q[N(p)], qb[N(bad)];
		struct xbpf_map *maps[] = { arr };
		struct xt_env env = { 0 };
		u64 base = 0;

		arr->ops->direct_value_addr(arr, &base, 0);
		memcpy(q, p, sizeof(p));
		q[0].imm = (u32)base;
		q[1].imm = (u32)(base >> 32);
		t_env("real array: lddw map value, whole value usable", q, N(q), &env, maps, 1, 0x77);
		memcpy(qb, bad, sizeof(bad));
		qb[0].imm = (u32)base;
		qb[1].imm = (u32)(base >> 32);
		{
			struct xbpf_prog *prog = xt_prog(qb, N(qb), true);
			u64 r0;

			prog->maps = calloc(1, sizeof(*prog->maps));
			prog->maps[0] = arr;
			prog->nr_maps = 1;
			xt_report(xt_run(prog, &env, &r0) == -EFAULT && env.fault.insn == 2,
				  "real array: read past the value faults");
			xt_prog_free(prog);
		}
	}
	{
		const struct xbpf_insn p[] = {
			/* update key 2 = 0x99, look it up, read it, delete it */
			ST(XBPF_W, 10, -4, 2), ST(XBPF_DW, 10, -16, 0x99),
			LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)hash), MOV64_REG(2, 10),
			ALU64_IMM(XBPF_ADD, 2, -4), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -16),
			MOV64_IMM(4, XBPF_ANY), CALL(XBPF_FUNC_map_update_elem),
			JMP_IMM(XBPF_JNE, 0, 0, 14),
			LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)hash), MOV64_REG(2, 10),
			ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem),
			JMP_IMM(XBPF_JEQ, 0, 0, 8), LDX(XBPF_DW, 6, 0, 0),
			LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)hash), MOV64_REG(2, 10),
			ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_delete_elem),
			MOV64_REG(0, 6), EXIT(),
			MOV64_IMM(0, -1), EXIT(),
		};
		struct xbpf_map *maps[] = { hash };
		struct xt_env env = { 0 };

		t_env("real hash: update, lookup, read, delete", p, N(p), &env, maps, 1, 0x99);
	}
	xbpf_map_put(arr);
	xbpf_map_put(hash);
}

static void test_faults(void)
{
	u8 ctxbuf[8] = { 0 };
	struct xt_env env = { .ctx = ctxbuf, .ctx_size = sizeof(ctxbuf) };

	TF("load from NULL", NULL, -EFAULT, 1, MOV64_IMM(1, 0), LDX(XBPF_DW, 0, 1, 0), EXIT());
	TF("load past the ctx", &env, -EFAULT, 0, LDX(XBPF_DW, 0, 1, 4), EXIT());
	TF("store to read-only ctx", &env, -EFAULT, 0, ST(XBPF_W, 1, 0, 1), EXIT());
	TF("load below the stack", NULL, -EFAULT, 0, LDX(XBPF_DW, 0, 10, -520), EXIT());
	TF("store at r10 (callee frame, not in use)", NULL, -EFAULT, 0,
	   ST(XBPF_DW, 10, 0, 1), EXIT());
	TF("store straddling r10", NULL, -EFAULT, 0, ST(XBPF_DW, 10, -4, 1), EXIT());
	TF("address wraps around", NULL, -EFAULT, 1, MOV64_IMM(1, -1), LDX(XBPF_H, 0, 1, 0), EXIT());
	TF("returned frame is gone", NULL, -EFAULT, 1, CALL_LOCAL(2), LDX(XBPF_DW, 0, 0, 0), EXIT(),
	   MOV64_REG(0, 10), ALU64_IMM(XBPF_ADD, 0, -8), EXIT());
	TF("atomic on read-only ctx", &env, -EFAULT, 1, MOV64_IMM(2, 1),
	   ATOMIC(XBPF_W, 1, 2, 0, XBPF_ADD), EXIT());
	TF("misaligned atomic", NULL, -EFAULT, 1, MOV64_IMM(1, 1),
	   ATOMIC(XBPF_DW, 10, 1, -12, XBPF_ADD), EXIT());
	TF("instruction budget", NULL, -ELOOP, -1, MOV64_IMM(0, 0), JA(-1), EXIT());
	TF("jump outside the program", NULL, -EFAULT, 2, MOV64_IMM(0, 0), JA(0), JA(5));
	TF("fall off the end", NULL, -EFAULT, 0, MOV64_IMM(0, 0));
	TF("truncated lddw", NULL, -EFAULT, 0, XI(XBPF_LD | XBPF_IMM | XBPF_DW, 0, 0, 0, 1));
	TF("unknown opcode", NULL, -EINVAL, 1, MOV64_IMM(0, 0), XI(0xff, 0, 0, 0, 0), EXIT());
	TF("movsx with a bad width", NULL, -EINVAL, 0, MOVSX64(0, 1, 7), EXIT());
	TF("div with bad off", NULL, -EINVAL, 0, XI(XBPF_ALU64 | XBPF_DIV | XBPF_K, 0, 0, 2, 1),
	   EXIT());
	TF("bad atomic op", NULL, -EINVAL, 0, ATOMIC(XBPF_DW, 10, 1, -8, 0x20), EXIT());
	TF("callx is not in RFC 9669", NULL, -EINVAL, 0,
	   XI(XBPF_JMP | XBPF_CALL | XBPF_X, 2, 0, 0, 0), EXIT());
	TF("unknown helper", NULL, -EINVAL, 0, CALL(9999), EXIT());

	{	/* the fast model must refuse bad opcodes too */
		const struct xbpf_insn p[] = { XI(0xff, 0, 0, 0, 0), EXIT() };
		struct xbpf_prog *prog = xt_prog(p, N(p), false);
		struct xt_env e = { 0 };
		u64 r0;

		xt_report(xt_run(prog, &e, &r0) == -EINVAL, "fast: unknown opcode is -EINVAL");
		xt_prog_free(prog);
	}
}

static bool sha1_is(const void *data, size_t len, size_t repeat, const char *hex)
{
	u8 d[XBPF_SHA1_DIGEST_SIZE];
	char out[41];
	struct xbpf_sha1 s;
	size_t i;

	xbpf_sha1_init(&s);
	for (i = 0; i < repeat; i++)
		xbpf_sha1_update(&s, data, len);
	xbpf_sha1_final(&s, d);
	for (i = 0; i < sizeof(d); i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	return !strcmp(out, hex);
}

static bool tag_is(const struct xbpf_insn *p, u32 n, const char *hex)
{
	struct xbpf_prog *prog = xt_prog(p, n, true);
	char out[17];
	int i;

	xbpf_prog_calc_tag(prog);
	for (i = 0; i < 8; i++)
		sprintf(out + 2 * i, "%02x", prog->tag[i]);
	xt_prog_free(prog);
	if (strcmp(out, hex))
		xt_diag("tag %s, want %s", out, hex);
	return !strcmp(out, hex);
}

static void test_sha1_tag(void)
{
	const char *q = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const struct xbpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	const struct xbpf_insn map3[] = {
		LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, 3), MOV64_IMM(0, 0), EXIT(),
	};
	const struct xbpf_insn map7[] = {
		LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, 0x12345678ffffULL), MOV64_IMM(0, 0), EXIT(),
	};

	xt_report(sha1_is("", 0, 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"), "sha1 empty");
	xt_report(sha1_is("abc", 3, 1, "a9993e364706816aba3e25717850c26c9cd0d89d"), "sha1 abc");
	xt_report(sha1_is(q, strlen(q), 1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
		  "sha1 two blocks");
	xt_report(sha1_is("a", 1, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
		  "sha1 a million a");
	/* Linux reports this tag for "r0 = 0; exit". */
	xt_report(tag_is(ret0, N(ret0), "a04f5eef06a7f555"), "tag of r0 = 0; exit");
	xt_report(tag_is(map3, N(map3), "2c24d7c519a868e3") &&
		  tag_is(map7, N(map7), "2c24d7c519a868e3"),
		  "tag ignores map fd / pointer imm");
}

static u64 fake_helper(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1 + 1;
}

static void test_helper_table(void)
{
	static const struct xbpf_helper_proto extra[] = {
		{ .id = 6, .name = "trace_printk", .fn = fake_helper },
	};
	static const struct xbpf_helper_proto dup[] = {
		{ .id = XBPF_FUNC_ktime_get_ns, .name = "dup", .fn = fake_helper },
	};
	const struct xbpf_helper_proto *p = xbpf_helper_proto(XBPF_FUNC_map_update_elem);

	xt_report(p && p->arg[0] == XBPF_ARG_CONST_MAP_PTR && p->arg[1] == XBPF_ARG_PTR_TO_MAP_KEY &&
		  p->arg[2] == XBPF_ARG_PTR_TO_MAP_VALUE && p->arg[3] == XBPF_ARG_ANYTHING,
		  "helper table: map_update_elem prototype");
	xt_report(!xbpf_helper_proto(4) && !xbpf_helper_proto(0) && !xbpf_helper_proto(~0U),
		  "helper table: unknown ids are NULL");
	xt_report(xbpf_helper_register(dup, 1) == -EEXIST, "helper register: taken id refused");
	xt_report(!xbpf_helper_register(extra, 1) && xbpf_helper_proto(6) == &extra[0],
		  "helper register: module helper found");
	T("registered helper runs", 42, MOV64_IMM(1, 41), CALL(6), EXIT());
	xbpf_helper_unregister(extra, 1);
	xt_report(!xbpf_helper_proto(6), "helper unregister");
}

int main(void)
{
	test_alu();
	test_jmp();
	test_mem();
	test_atomic();
	test_calls();
	test_ld_abs();
	test_maps();
	test_real_maps();
	test_faults();
	test_sha1_tag();
	test_helper_table();
	return xt_finish();
}

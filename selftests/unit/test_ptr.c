// SPDX-License-Identifier: GPL-2.0
/*
 * Pointer rules by privilege and the Spectre sanitation (verifier/check.c
 * pointer paths, mem.c, sanitize.c, fixup through patch.c), through
 * xbpf_verify() with the walk on: accepted and rejected programs for each
 * of the four capability flags, with errno and log message; accepted
 * unprivileged programs run in the interpreter after the rewrite and must
 * give what the privileged (unrewritten) program gives; the masking
 * sequence alone clamps out-of-range offsets to 0.
 */
#include "lib/xbpf_test.h"
#include "verifier/env.h"

static char logbuf[1 << 16];

#define NFDS	4
#define AFD	2	/* array, key 4, value 16 */
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops fake_ops = { .map_from_fd = fake_map_from_fd };

static void maps_setup(void)
{
	struct xbpf_map_params p = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16, .max_entries = 1,
	};
	u8 val[16];
	u32 key = 0, i;
	int err;

	fdtab[AFD] = xbpf_map_create(&p, &err);
	for (i = 0; i < sizeof(val); i++)
		val[i] = (u8)(3 * i + 1);
	if (!fdtab[AFD] || fdtab[AFD]->ops->update(fdtab[AFD], &key, val, 0))
		xt_diag("map setup failed");
}

enum who { PRIV, UNPRIV, V1, LEAKS, V4 };

static struct xbpf_caps caps_of(enum who w)
{
	switch (w) {
	case PRIV:
		return (struct xbpf_caps){ .allow_ptr_leaks = true, .bypass_spec_v1 = true,
					   .bypass_spec_v4 = true, .bpf_capable = true,
					   .sys_admin = true };
	case V1:	/* bypass_spec_v1 alone */
		return (struct xbpf_caps){ .bypass_spec_v1 = true, .bpf_capable = true };
	case LEAKS:	/* allow_ptr_leaks alone */
		return (struct xbpf_caps){ .allow_ptr_leaks = true, .bpf_capable = true };
	case V4:	/* everything but bypass_spec_v4 */
		return (struct xbpf_caps){ .allow_ptr_leaks = true, .bypass_spec_v1 = true,
					   .bpf_capable = true };
	default:
		return (struct xbpf_caps){};
	}
}

static int verify(const struct xbpf_insn *insns, u32 n, enum who w, struct xbpf_prog **out)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SYSCALL,
		.insns = insns,
		.insn_cnt = n,
		.caps = caps_of(w),
		.log = &log,
		.ops = &fake_ops,
		.check = true,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	if (out)
		*out = prog;
	else
		xbpf_prog_put(prog);
	return err;
}

/* Runs with a 64-byte SYSCALL context whose first u64 is v. */
static int exec(const struct xbpf_prog *prog, u64 v, u64 *r0)
{
	u64 ctx[8] = { v };
	struct xt_env e = { .ctx = ctx, .ctx_size = sizeof(ctx), .ctx_writable = true,
			    .r2 = sizeof(ctx) };

	return xt_run(prog, &e, r0);
}

struct pcase {
	const char		*name;
	struct xbpf_insn	insns[24];
	u32			n;
	enum who		who;
	int			err;
	const char		*msg;
};

#define P(...)	.insns = { __VA_ARGS__ }, .n = sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)

/* r2 = ctx u32 & 7 (variable, [0, 7]); r6 = ctx. */
#define VAR7(r)		MOV64_REG(6, 1), LDX(XBPF_W, r, 1, 0), ALU64_IMM(XBPF_AND, r, 7)
#define MAPV(r, off)	LD_MAP_VALUE(r, AFD, off)

static void run_cases(const struct pcase *cases, u32 n, const char *pfx)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct pcase *c = &cases[i];
		int err = verify(c->insns, c->n, c->who, NULL);
		bool ok = err == c->err && (!c->msg || strstr(logbuf, c->msg));

		xt_report(ok, "%s: %s (err %d, want %d)", pfx, c->name, err, c->err);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
	}
}

static void test_rules(void)
{
	static const struct pcase cases[] = {
	/* pointer comparisons */
	{ "priv: fp == ctx compared", P(MOV64_REG(2, 10), JMP_REG(XBPF_JEQ, 2, 1, 2), RET0, RET0),
	  .who = PRIV, .err = 0, .msg = "processed 6 insns" },
	{ "leaks only: pointer vs scalar", P(JMP_IMM(XBPF_JGT, 1, 5, 2), RET0, RET0),
	  .who = LEAKS, .err = 0 },
	{ "unpriv: src pointer named", P(MOV64_IMM(2, 0), JMP_REG(XBPF_JEQ, 2, 1, 2), RET0, RET0),
	  .who = UNPRIV, .err = -EACCES, .msg = "R1 pointer comparison prohibited" },
	{ "unpriv: dst pointer", P(JMP_IMM(XBPF_JGT, 1, 5, 2), RET0, RET0),
	  .who = UNPRIV, .err = -EACCES, .msg = "R1 pointer comparison prohibited" },
	{ "v1 only: jmp32 on a pointer", P(JMP32_IMM(XBPF_JNE, 10, 0, 2), RET0, RET0),
	  .who = V1, .err = -EACCES, .msg = "R10 pointer comparison prohibited" },
	{ "priv: both arms walked, no refinement: R5 read on the taken arm",
	  P(JMP_IMM(XBPF_JNE, 1, 0, 2), RET0, MOV64_REG(0, 5), EXIT()),
	  .who = PRIV, .err = -EACCES, .msg = "R5 !read_ok" },
	/* scalar += pointer */
	{ "unpriv: -8 + fp is a stack pointer",
	  P(MOV64_IMM(2, -8), ALU64_REG(XBPF_ADD, 2, 10), ST(XBPF_DW, 2, 0, 7),
	    LDX(XBPF_DW, 0, 10, -8), EXIT()), .who = UNPRIV, .err = 0 },
	{ "scalar -= pointer", P(MOV64_IMM(2, 8), ALU64_REG(XBPF_SUB, 2, 10), RET0),
	  .who = PRIV, .err = -EACCES, .msg = "R2 tried to subtract pointer from scalar" },
	{ "scalar *= pointer", P(MOV64_IMM(2, 8), ALU64_REG(XBPF_MUL, 2, 10), RET0),
	  .who = PRIV, .err = -EACCES, .msg = "R2 pointer arithmetic with *= operator prohibited" },
	{ "unpriv: 8 + fp out of the frame",
	  P(MOV64_IMM(2, 8), ALU64_REG(XBPF_ADD, 2, 10), RET0), .who = UNPRIV, .err = -EACCES,
	  .msg = "R2 stack pointer arithmetic goes out of range, prohibited for !root; off=8" },
	/* pointer - pointer */
	{ "leaks: fp - ctx is a scalar",
	  P(MOV64_REG(2, 10), ALU64_REG(XBPF_SUB, 2, 1), MOV64_REG(0, 2), EXIT()),
	  .who = LEAKS, .err = 0 },
	{ "leaks: the difference is not a pointer",
	  P(MOV64_REG(2, 10), ALU64_REG(XBPF_SUB, 2, 1), LDX(XBPF_DW, 0, 2, 0), EXIT()),
	  .who = LEAKS, .err = -EACCES, .msg = "R2 invalid mem access 'scalar'" },
	{ "v1 only: fp - ctx", P(MOV64_REG(2, 10), ALU64_REG(XBPF_SUB, 2, 1), RET0),
	  .who = V1, .err = -EACCES, .msg = "R2 pointer -= pointer prohibited" },
	{ "priv: fp + ctx", P(MOV64_REG(2, 10), ALU64_REG(XBPF_ADD, 2, 1), RET0),
	  .who = PRIV, .err = -EACCES, .msg = "R2 pointer += pointer prohibited" },
	{ "leaks: 32-bit fp - ctx", P(MOV64_REG(2, 10), ALU32_REG(XBPF_SUB, 2, 1), RET0),
	  .who = LEAKS, .err = 0 },
	{ "v1 only: 32-bit fp - scalar", P(MOV64_REG(2, 10), ALU32_IMM(XBPF_SUB, 2, 1), RET0),
	  .who = V1, .err = -EACCES, .msg = "R2 32-bit pointer arithmetic prohibited" },
	/* pointer stores */
	{ "unpriv: pointer into a map value", P(MAPV(2, 0), STX(XBPF_DW, 2, 10, 0), RET0),
	  .who = V1, .err = -EACCES, .msg = "R10 leaks addr into map" },
	{ "leaks: pointer into a map value", P(MAPV(2, 0), STX(XBPF_DW, 2, 10, 0), RET0),
	  .who = LEAKS, .err = 0 },
	{ "unpriv: pointer into ctx", P(STX(XBPF_DW, 1, 10, 0), RET0),
	  .who = UNPRIV, .err = -EACCES, .msg = "R10 leaks addr into ctx" },
	{ "unpriv: pointer spill to the stack",
	  P(STX(XBPF_DW, 10, 1, -8), LDX(XBPF_DW, 2, 10, -8), LDX(XBPF_W, 0, 2, 0), EXIT()),
	  .who = UNPRIV, .err = 0 },
	/* variable stack offsets */
	{ "unpriv: fp + var", P(VAR7(2), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -16),
				ALU64_REG(XBPF_ADD, 3, 2), RET0),
	  .who = LEAKS, .err = -EACCES,
	  .msg = "R3 variable stack access prohibited for !root, var_off=(0x0; 0x7) off=-16" },
	{ "v1: var write then var read of initialised bytes",
	  P(ST(XBPF_W, 10, -16, 0), ST(XBPF_W, 10, -12, 0), ST(XBPF_W, 10, -8, 0),
	    ST(XBPF_W, 10, -4, 0), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), ST(XBPF_B, 3, 0, 1),
	    LDX(XBPF_B, 0, 3, 8), EXIT()), .who = V1, .err = 0 },
	{ "v1: var read reaching an uninitialised byte",
	  P(ST(XBPF_DW, 10, -16, 0), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), LDX(XBPF_B, 0, 3, 2), EXIT()),
	  .who = V1, .err = -EACCES, .msg = "invalid read from stack R3 var_off (0x0; 0x7)+6 size 1" },
	{ "v1: var write does not initialise",
	  P(ST(XBPF_DW, 10, -8, 0), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), ST(XBPF_B, 3, 0, 1), RET0),
	  .who = V1, .err = -EINVAL, .msg = "spilled ptr in range of var-offset stack write; insn 7, ptr off: -16" },
	{ "v1: var write over a spilled pointer (no allow_ptr_leaks)",
	  P(STX(XBPF_DW, 10, 1, -16), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), ST(XBPF_B, 3, 0, 1), RET0),
	  .who = V1, .err = -EINVAL, .msg = "spilled ptr in range of var-offset stack write" },
	{ "priv: var write destroys the spill",
	  P(STX(XBPF_DW, 10, 1, -16), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), ST(XBPF_B, 3, 0, 1),
	    LDX(XBPF_DW, 4, 10, -16), LDX(XBPF_W, 0, 4, 0), EXIT()),
	  .who = PRIV, .err = -EACCES, .msg = "R4 invalid mem access 'scalar'" },
	{ "priv: same without the var write (control)",
	  P(STX(XBPF_DW, 10, 1, -16), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2),
	    LDX(XBPF_DW, 4, 10, -16), LDX(XBPF_W, 0, 4, 0), EXIT()), .who = PRIV, .err = 0 },
	{ "v1: var write past fp",
	  P(VAR7(2), MOV64_REG(3, 10), ALU64_IMM(XBPF_ADD, 3, -4), ALU64_REG(XBPF_ADD, 3, 2),
	    ST(XBPF_B, 3, 0, 1), RET0),
	  .who = V1, .err = -EINVAL,
	  .msg = "invalid variable-offset write to stack R3 var_off=(0x0; 0x7) size=1" },
	{ "v1: var access misaligned",
	  P(ST(XBPF_DW, 10, -16, 0), ST(XBPF_DW, 10, -8, 0), VAR7(2), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), LDX(XBPF_W, 0, 3, 0), EXIT()),
	  .who = V1, .err = -EACCES, .msg = "misaligned stack access off (0x0; 0x7)+-16+0 size 4" },
	/* variable ctx offsets */
	{ "priv: var ctx dereference", P(VAR7(2), ALU64_REG(XBPF_ADD, 1, 2), LDX(XBPF_B, 0, 1, 0), EXIT()),
	  .who = PRIV, .err = -EACCES, .msg = "variable ctx access var_off=(0x0; 0x7) disallowed" },
	{ "unpriv: var ctx arithmetic", P(VAR7(2), ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EACCES,
	  .msg = "R1 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root" },
	/* Spectre v1 */
	{ "unpriv: var map value offset", P(VAR7(2), MAPV(1, 0), ALU64_REG(XBPF_ADD, 1, 2),
					    LDX(XBPF_B, 0, 1, 8), EXIT()),
	  .who = UNPRIV, .err = 0 },
	{ "unpriv: mixed-sign offset",
	  P(MOV64_REG(6, 1), LDX(XBPF_B, 2, 1, 0), ALU64_IMM(XBPF_SUB, 2, 4), MAPV(1, 8),
	    ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EACCES,
	  .msg = "R2 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root" },
	{ "priv: mixed-sign offset is fine",
	  P(MOV64_REG(6, 1), LDX(XBPF_B, 2, 1, 0), ALU64_IMM(XBPF_SUB, 2, 4), MAPV(1, 8),
	    ALU64_REG(XBPF_ADD, 1, 2), RET0), .who = PRIV, .err = 0 },
	{ "unpriv: two paths, a constant and a variable offset",
	  P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JEQ, 2, 0, 1), ALU64_IMM(XBPF_AND, 2, 3),
	    ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EACCES,
	  .msg = "R1 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root" },
	{ "unpriv: two paths, limits 3 and 7",
	  P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JGT, 2, 3, 0), ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EACCES,
	  .msg = "R1 tried to add from different maps, paths or scalars" },
	{ "unpriv: two paths, the same limit",
	  P(VAR7(2), MAPV(1, 0), LDX(XBPF_W, 3, 6, 4), JMP_IMM(XBPF_JEQ, 3, 0, 0),
	    ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = 0 },
	/* Linux: the dead arm is walked speculatively, with r2 unknown. */
	{ "unpriv: a dead arm reaching the add",
	  P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JSET, 2, 8, 0), ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EINVAL,
	  .msg = "math between map_value pointer and register with unbounded min value is not allowed" },
	{ "v1: a dead arm is not walked",
	  P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JSET, 2, 8, 0), ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = V1, .err = 0 },
	{ "unpriv: two paths, two limits (again, first message)",
	  P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JEQ, 2, 0, 1), ALU64_IMM(XBPF_AND, 2, 3),
	    ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EACCES,
	  .msg = "R1 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root" },
	{ "priv: two paths, two limits", P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JEQ, 2, 0, 1),
					   ALU64_IMM(XBPF_AND, 2, 3), ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = PRIV, .err = 0 },
	{ "unpriv: pointer on one path, scalar on the other",
	  P(VAR7(2), MAPV(1, 0), JMP_IMM(XBPF_JEQ, 2, 0, 1), MOV64_IMM(1, 0),
	    ALU64_REG(XBPF_ADD, 1, 2), RET0),
	  .who = UNPRIV, .err = -EACCES, .msg = "R1 tried to add from different maps, paths or scalars" },
	{ "unpriv: map value result past its end",
	  P(MAPV(1, 0), ALU64_IMM(XBPF_ADD, 1, 16), RET0), .who = UNPRIV, .err = -EACCES,
	  .msg = "R1 pointer arithmetic of map value goes out of range, prohibited for !root" },
	{ "unpriv: last byte is fine", P(MAPV(1, 0), ALU64_IMM(XBPF_ADD, 1, 15), RET0),
	  .who = UNPRIV, .err = 0 },
	/* the masked (offset 0) path: an access below the moved pointer */
	{ "priv: [8, 15] then -8", P(VAR7(2), ALU64_IMM(XBPF_ADD, 2, 8), MAPV(1, 0),
				     ALU64_REG(XBPF_ADD, 1, 2), LDX(XBPF_B, 0, 1, -8), EXIT()),
	  .who = PRIV, .err = 0 },
	{ "unpriv: [8, 15] then -8: the masked path reads before the value",
	  P(VAR7(2), ALU64_IMM(XBPF_ADD, 2, 8), MAPV(1, 0), ALU64_REG(XBPF_ADD, 1, 2),
	    LDX(XBPF_B, 0, 1, -8), EXIT()),
	  .who = UNPRIV, .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=-8 size=1" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "ptr");
}

/*
 * Accepted unprivileged programs: the rewritten program gives what the
 * privileged one gives for every input, and the rewrite is where it
 * should be.
 */
struct rcase {
	const char		*name;
	struct xbpf_insn	insns[24];
	u32			n;
	enum who		who;	/* the rewritten side */
	u32			grow;	/* instructions fixup adds */
};

static void test_runs(void)
{
	static const struct rcase cases[] = {
	{ "v1: var map value add", P(VAR7(2), MAPV(1, 0), ALU64_REG(XBPF_ADD, 1, 2),
				     LDX(XBPF_B, 0, 1, 8), EXIT()), UNPRIV, 6 },
	{ "v1: scalar += map value pointer",
	  P(VAR7(2), MAPV(1, 0), ALU64_REG(XBPF_ADD, 2, 1), LDX(XBPF_B, 0, 2, 8), EXIT()),
	  UNPRIV, 7 },
	{ "v1: constant register: the limit as an immediate",
	  P(MOV64_IMM(2, -8), ALU64_REG(XBPF_ADD, 2, 10), ST(XBPF_DW, 2, 0, 7),
	    LDX(XBPF_DW, 0, 10, -8), EXIT()), UNPRIV, 3 },
	{ "v4: spill of a pointer and a constant over uninit bytes",
	  P(STX(XBPF_DW, 10, 1, -8), ST(XBPF_DW, 10, -16, 3), LDX(XBPF_DW, 2, 10, -8),
	    LDX(XBPF_W, 0, 2, 0), LDX(XBPF_DW, 3, 10, -16), ALU64_REG(XBPF_ADD, 0, 3), EXIT()),
	  V4, 2 },
	{ "v4: pointer spill over misc bytes",
	  P(ST(XBPF_W, 10, -8, 0), ST(XBPF_W, 10, -4, 0), STX(XBPF_DW, 10, 1, -8),
	    LDX(XBPF_DW, 2, 10, -8), LDX(XBPF_W, 0, 2, 0), EXIT()), V4, 3 },
	{ "v4: narrow store over misc bytes needs nothing",
	  P(ST(XBPF_W, 10, -4, 1), ST(XBPF_W, 10, -4, 2), LDX(XBPF_W, 0, 10, -4), EXIT()), V4, 1 },
	/* the first store is a narrow spill (bpf_capable): the second one is over it */
	{ "v4: narrow store over a narrow spill",
	  P(ST(XBPF_W, 10, -8, 1), ST(XBPF_W, 10, -8, 2), LDX(XBPF_W, 0, 10, -8), EXIT()), V4, 2 },
	{ "v4: constant over a spilled constant",
	  P(ST(XBPF_DW, 10, -8, 1), ST(XBPF_DW, 10, -8, 2), LDX(XBPF_DW, 0, 10, -8), EXIT()), V4, 2 },
	};
	u32 i, k;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct rcase *c = &cases[i];
		struct xbpf_prog *pp = NULL, *up = NULL;
		int e1, e2, r1 = 0, r2 = 0;
		bool same = true;
		u64 a = 0, b = 0;

		e1 = verify(c->insns, c->n, PRIV, &pp);
		e2 = verify(c->insns, c->n, c->who, &up);
		for (k = 0; !e1 && !e2 && k < 64; k++) {
			r1 = exec(pp, k, &a);
			r2 = exec(up, k, &b);
			if (r1 || r2 || a != b) {
				same = false;
				xt_diag("input %u: %d/%d %#llx vs %#llx", k, r1, r2,
					(unsigned long long)a, (unsigned long long)b);
				break;
			}
		}
		xt_report(!e1 && !e2 && same && pp->len == c->n && up->len == c->n + c->grow &&
			  up->orig_len == c->n,
			  "run: %s: same results, %u -> %u insns (err %d/%d)", c->name, c->n,
			  up ? up->len : 0, e1, e2);
		if (e1 || e2)
			xt_diag("log:\n%s", logbuf);
		xbpf_prog_put(pp);
		xbpf_prog_put(up);
	}
}

/* The exact rewrite for two shapes. */
static void test_rewrite_shape(void)
{
	const struct xbpf_insn spill[] = { STX(XBPF_DW, 10, 1, -8), RET0 };
	const struct xbpf_insn var[] = { VAR7(2), MAPV(1, 0), ALU64_REG(XBPF_ADD, 1, 2), RET0 };
	struct xbpf_prog *p = NULL;
	const struct xbpf_insn *q;
	int err;

	err = verify(spill, ARRAY_SIZE(spill), UNPRIV, &p);
	q = p ? p->insns : NULL;
	xt_report(!err && p->len == 4 && q[0].code == (XBPF_ST | XBPF_MEM | XBPF_DW) &&
		  q[0].dst_reg == 10 && q[0].off == -8 && q[0].imm == 0 &&
		  q[1].code == (XBPF_STX | XBPF_MEM | XBPF_DW),
		  "v4: *(u64 *)(r10 - 8) = 0 inserted before the spill (err %d)", err);
	xbpf_prog_put(p);
	err = verify(spill, ARRAY_SIZE(spill), PRIV, &p);
	xt_report(!err && p->len == 3, "v4: nothing with bypass_spec_v4 (err %d)", err);
	xbpf_prog_put(p);

	err = verify(var, ARRAY_SIZE(var), UNPRIV, &p);
	q = p ? p->insns + 5 : NULL;	/* after VAR7 and the LDDW */
	xt_report(!err && p->len == ARRAY_SIZE(var) + 6 &&
		  q[0].code == (XBPF_ALU | XBPF_MOV | XBPF_K) && q[0].dst_reg == XBPF_REG_AX &&
		  q[0].imm == 7 &&
		  q[5].code == (XBPF_ALU64 | XBPF_AND | XBPF_X) && q[5].src_reg == 2 &&
		  q[6].code == (XBPF_ALU64 | XBPF_ADD | XBPF_X) && q[6].dst_reg == 1 &&
		  q[6].src_reg == XBPF_REG_AX,
		  "v1: alu limit 7, masked into AX, r1 += AX (err %d)", err);
	xbpf_prog_put(p);
	err = verify(var, ARRAY_SIZE(var), V1, &p);
	xt_report(!err && p->len == ARRAY_SIZE(var), "v1: nothing with bypass_spec_v1 (err %d)", err);
	xbpf_prog_put(p);
}

/*
 * fixup on its own for a negative variable offset (the walk never marks
 * one on a map value: Linux's bounds make such a pointer unusable): the
 * offset register is negated, masked, the op flipped, the register
 * restored.  r1 = 100 + r2 for r2 in [-8, 0], else 100 (masked to 0).
 */
static void test_fixup_neg(void)
{
	const struct xbpf_insn p[] = {
		LDX(XBPF_DW, 2, 1, 0), MOV64_IMM(1, 100), ALU64_REG(XBPF_ADD, 1, 2),
		MOV64_REG(0, 1), ALU64_IMM(XBPF_LSH, 0, 32), ALU64_REG(XBPF_ADD, 0, 2), EXIT(),
	};
	static const s64 vals[] = { -8, -7, -1, 0, -9, 1, 8, -100, S64_MIN, S64_MAX };
	struct xbpf_verifier_env *env = calloc(1, sizeof(*env));
	u32 i, n = ARRAY_SIZE(p), bad = 0;
	u64 r0, want;
	int err;

	env->prog = xt_prog(p, n, true);
	env->aux = calloc(n, sizeof(*env->aux));
	env->subprog_cnt = 1;
	env->subprogs[0].end = n;
	env->subprogs[1].start = n;
	env->aux[2].alu_state = XBPF_ALU_SANITIZE | XBPF_ALU_NEG_VALUE;
	env->aux[2].alu_limit = 8;
	err = xbpf_sanitize_fixup(env);
	for (i = 0; !err && i < ARRAY_SIZE(vals); i++) {
		bool in = vals[i] >= -8 && vals[i] <= 0;

		want = ((u64)(100 + (in ? vals[i] : 0)) << 32) + (u64)vals[i];
		if (exec(env->prog, (u64)vals[i], &r0) || r0 != want) {
			bad++;
			xt_diag("r2 %lld: %#llx, want %#llx", (long long)vals[i],
				(unsigned long long)r0, (unsigned long long)want);
		}
	}
	xt_report(!err && !bad && env->prog->len == n + 8,
		  "fixup: negative offset masked, op flipped, register restored (%u insns, err %d)",
		  env->prog->len, err);
	xt_prog_free(env->prog);
	free(env->aux);
	free(env);
}

/* The sequence alone, on values a mispredicted bounds check could leave. */
static void test_mask_seq(void)
{
	static const u64 in_range[] = { 0, 1, 7, 8, 15, 16 };
	static const u64 out[] = { 17, 18, 100, 1ULL << 32, 1ULL << 63, ~0ULL, -16ULL, -17ULL,
				   (1ULL << 63) - 1, (1ULL << 63) + 16 };
	struct xbpf_insn p[10];
	struct xbpf_prog *prog;
	u32 n = 0, i, bad = 0;
	u64 r0;
	int err;

	p[n++] = LDX(XBPF_DW, 3, 1, 0);
	n += xbpf_sanitize_mask_seq(p + n, 3, 16);
	p[n++] = MOV64_REG(0, XBPF_REG_AX);
	p[n++] = EXIT();
	prog = xt_prog(p, n, true);
	for (i = 0; i < ARRAY_SIZE(in_range); i++) {
		err = exec(prog, in_range[i], &r0);
		if (err || r0 != in_range[i])
			bad++;
	}
	xt_report(!bad, "mask: [0, 16] kept");
	bad = 0;
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		err = exec(prog, out[i], &r0);
		if (err || r0) {
			bad++;
			xt_diag("%#llx -> %#llx", (unsigned long long)out[i], (unsigned long long)r0);
		}
	}
	xt_report(!bad, "mask: %zu out-of-range values (negative, huge, INT64_MIN) become 0",
		  ARRAY_SIZE(out));
	xt_prog_free(prog);
}

int main(void)
{
	maps_setup();
	test_rules();
	test_runs();
	test_rewrite_shape();
	test_mask_seq();
	test_fixup_neg();
	xbpf_map_put(fdtab[AFD]);
	return xt_finish();
}

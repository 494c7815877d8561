// SPDX-License-Identifier: GPL-2.0
/*
 * The abstract interpreter's first slice (verifier/check.c), through
 * xbpf_verify() with xbpf_load_params.check set: accepted and rejected
 * programs with their errno and log message, dead-branch pruning shown by
 * an otherwise-rejected instruction on the dead arm, spill/fill keeping
 * bounds, the processed-instruction count and its 1,000,000 limit, the
 * pending-state bound, and that the pass stays off by default.  Maps come
 * from a fake fd table: LDDW of map fds and values, helper calls checked
 * against their protos, null checks, and map value accesses with constant
 * and bounded variable offsets.
 */
#include "lib/xbpf_test.h"

static char logbuf[1 << 16];

/* ---- fake fd table for map_from_fd ---- */

#define NFDS	8
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops fake_ops = { .map_from_fd = fake_map_from_fd };

static struct xbpf_map *mkmap(u32 type, u32 ks, u32 vs, u32 max, u32 flags)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs, .max_entries = max,
		.map_flags = flags,
	};
	int err;

	return xbpf_map_create(&p, &err);
}

/* fd 1: hash, key 8, value 16; fd 2: array, key 4, value 16; fd 3: read-only array. */
#define HFD	1
#define AFD	2
#define ROFD	3

static void maps_setup(void)
{
	fdtab[HFD] = mkmap(XBPF_MAP_TYPE_HASH, 8, 16, 4, 0);
	fdtab[AFD] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 16, 1, 0);
	fdtab[ROFD] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 16, 1, XBPF_F_RDONLY_PROG);
	if (!fdtab[HFD] || !fdtab[AFD] || !fdtab[ROFD])
		xt_diag("map creation failed");
}

static void maps_teardown(void)
{
	u32 i;

	for (i = 0; i < NFDS; i++)
		if (fdtab[i])
			xbpf_map_put(fdtab[i]);
}

struct vres {
	int	err;
	bool	checked;	/* prog->checked of an accepted program */
	u32	max_ctx_offset;	/* of an accepted program */
};

static struct vres run(const struct xbpf_insn *insns, u32 n, u32 type,
		       bool unpriv, bool check)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = type ? type : XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		.caps = unpriv ? (struct xbpf_caps){} :
			(struct xbpf_caps){ .allow_ptr_leaks = true, .bypass_spec_v1 = true,
					    .bypass_spec_v4 = true, .bpf_capable = true,
					    .sys_admin = true },
		.log = &log,
		.ops = &fake_ops,
		/* check: the walk must prove it; !check: no walk at all */
		.check = check ? XBPF_CHECK_STRICT : XBPF_CHECK_OFF,
	};
	struct xbpf_prog *prog = NULL;
	struct vres r = {};

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	r.err = xbpf_verify(&p, &prog);
	/*
	 * The level-1 trace of a long walk (the 1M limit) outgrows the
	 * buffer: again with a stats-only log, which keeps every message.
	 */
	if (r.err == -ENOSPC) {
		memset(logbuf, 0, sizeof(logbuf));
		xbpf_log_init(&log, XBPF_LOG_STATS, (u64)(uintptr_t)logbuf, sizeof(logbuf));
		r.err = xbpf_verify(&p, &prog);
	}
	if (prog) {
		r.checked = prog->checked;
		r.max_ctx_offset = prog->max_ctx_offset;
		xbpf_prog_put(prog);
	}
	return r;
}

struct ccase {
	const char		*name;
	struct xbpf_insn	insns[24];
	u32			n;
	u32			type;
	bool			unpriv;
	int			err;
	const char		*msg;	/* substring of the log, or NULL */
};

#define P(...)	.insns = { __VA_ARGS__ }, .n = sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)

static const u32 SYS = XBPF_PROG_TYPE_SYSCALL;

static void test_table(void)
{
	static const struct ccase cases[] = {
	/* accepted */
	{ "ret 0", P(RET0), .err = 0, .msg = "processed 2 insns (limit 1000000)" },
	{ "scalar alu chain", P(MOV64_IMM(0, 5), ALU64_IMM(XBPF_MUL, 0, 3),
				ALU32_IMM(XBPF_ADD, 0, 1), EXIT()), .err = 0 },
	{ "ctx load via copied pointer", P(MOV64_REG(6, 1), LDX(XBPF_W, 0, 6, 0), EXIT()),
	  .err = 0 },
	{ "lddw constant", P(LDDW(0, 0x1122334455667788ULL), EXIT()), .err = 0,
	  .msg = "processed 2 insns" },
	{ "constant branch: dead arm reads uninit R5",
	  P(MOV64_IMM(0, 1), JMP_IMM(XBPF_JEQ, 0, 2, 1), EXIT(), MOV64_REG(0, 5), EXIT()),
	  .err = 0, .msg = "processed 3 insns" },
	{ "jmp32 on masked ctx value: dead arm not followed",
	  P(LDX(XBPF_W, 0, 1, 0), ALU32_IMM(XBPF_AND, 0, 7), JMP32_IMM(XBPF_JGT, 0, 7, 1),
	    EXIT(), MOV64_REG(0, 5), EXIT()), .err = 0 },
	{ "both arms followed when unknown",
	  P(LDX(XBPF_W, 0, 1, 0), JMP_IMM(XBPF_JGT, 0, 7, 1), MOV64_IMM(0, 1), EXIT()),
	  .err = 0, .msg = "processed 5 insns" },
	{ "stack pointer arithmetic and ST spill of a constant",
	  P(MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -16), ST(XBPF_DW, 2, 8, 7),
	    LDX(XBPF_DW, 0, 10, -8), JMP_IMM(XBPF_JNE, 0, 7, 1), EXIT(),
	    MOV64_REG(0, 5), EXIT()), .err = 0 },
	{ "narrow stack write then narrow read", P(ST(XBPF_W, 10, -4, 1), LDX(XBPF_W, 0, 10, -4), EXIT()),
	  .err = 0 },
	{ "bounded loop on a constant counter",
	  P(MOV64_IMM(0, 0), ALU64_IMM(XBPF_ADD, 0, 1), JMP_IMM(XBPF_JLT, 0, 10, -2), EXIT()),
	  .err = 0, .msg = "processed 22 insns" },
	{ "syscall: r2 is the ctx size", P(MOV64_REG(0, 2), EXIT()), .type = SYS, .err = 0 },
	{ "privileged pointer return", P(MOV64_REG(0, 10), EXIT()), .err = 0 },
	/* rejected */
	{ "uninit src read", P(MOV64_REG(0, 3), EXIT()), .err = -EACCES, .msg = "R3 !read_ok" },
	{ "uninit dst read", P(ALU64_IMM(XBPF_ADD, 4, 1), RET0), .err = -EACCES, .msg = "R4 !read_ok" },
	{ "R0 not set at exit", P(EXIT()), .err = -EACCES, .msg = "R0 !read_ok" },
	{ "R0 unset on one arm only",
	  P(LDX(XBPF_W, 2, 1, 0), JMP_IMM(XBPF_JGT, 2, 7, 1), MOV64_IMM(0, 1), EXIT()),
	  .err = -EACCES, .msg = "R0 !read_ok" },
	/* Uninitialised stack is readable with allow_uninit_stack (perfmon) only. */
	{ "uninit stack read", P(LDX(XBPF_DW, 0, 10, -8), EXIT()), .unpriv = true,
	  .err = -EACCES, .msg = "invalid read from stack R10 off=-8 size=8" },
	{ "uninit stack read, perfmon", P(LDX(XBPF_DW, 0, 10, -8), EXIT()), .err = 0 },
	{ "half-written slot read whole", P(ST(XBPF_W, 10, -8, 0), LDX(XBPF_DW, 0, 10, -8), EXIT()),
	  .unpriv = true, .err = -EACCES, .msg = "invalid read from stack off -8+4 size 8" },
	{ "stack write past fp", P(STX(XBPF_DW, 10, 1, 0), RET0), .err = -EACCES,
	  .msg = "invalid write to stack R10 off=0 size=8" },
	{ "stack read below 512", P(LDX(XBPF_DW, 0, 10, -520), EXIT()), .err = -EACCES,
	  .msg = "invalid read from stack R10 off=-520 size=8" },
	{ "misaligned stack access", P(ST(XBPF_W, 10, -6, 0), RET0), .err = -EACCES,
	  .msg = "misaligned stack access" },
	{ "partial pointer spill", P(STX(XBPF_W, 10, 1, -8), RET0), .err = -EACCES,
	  .msg = "invalid size of register spill" },
	{ "partial pointer fill", P(STX(XBPF_DW, 10, 1, -8), LDX(XBPF_W, 0, 10, -8), EXIT()),
	  .err = -EACCES, .msg = "invalid size of register fill" },
	{ "corrupt spilled pointer (unpriv)",
	  P(STX(XBPF_DW, 10, 1, -8), ST(XBPF_W, 10, -8, 0), RET0), .unpriv = true,
	  .err = -EACCES, .msg = "attempt to corrupt spilled pointer on stack" },
	{ "ctx offset outside the table", P(LDX(XBPF_W, 0, 1, 1000), EXIT()), .err = -EACCES,
	  .msg = "invalid bpf_context access off=1000 size=4" },
	{ "modified ctx dereference", P(ALU64_IMM(XBPF_ADD, 1, 4), LDX(XBPF_W, 0, 1, 0), EXIT()),
	  .err = -EACCES, .msg = "dereference of modified ctx ptr R1 off=4 disallowed" },
	{ "BPF_ST into ctx", P(ST(XBPF_W, 1, 8, 0), RET0), .err = -EACCES,
	  .msg = "BPF_ST stores into R1 ctx is not allowed" },
	{ "scalar dereference", P(MOV64_IMM(0, 0), LDX(XBPF_DW, 0, 0, 0), EXIT()),
	  .err = -EACCES, .msg = "R0 invalid mem access 'scalar'" },
	{ "32-bit pointer arithmetic", P(ALU32_IMM(XBPF_ADD, 1, 1), RET0), .err = -EACCES,
	  .msg = "R1 32-bit pointer arithmetic prohibited" },
	{ "pointer and-ing", P(ALU64_IMM(XBPF_AND, 1, 1), RET0), .err = -EACCES,
	  .msg = "R1 bitwise operator &= on pointer prohibited" },
	{ "unpriv pointer return", P(MOV64_REG(0, 10), EXIT()), .unpriv = true,
	  .err = -EACCES, .msg = "R0 leaks addr as return value" },
	{ "unpriv partial pointer copy", P(MOV32_REG(0, 1), EXIT()), .unpriv = true,
	  .err = -EACCES, .msg = "R1 partial copy of pointer" },
	{ "constant self-loop: the state repeats (prune.c)",
	  P(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, -1), EXIT()), .err = -EINVAL,
	  .msg = "infinite loop detected at insn 1" },
	/*
	 * Equal scalars: r2 = r1 links them, so bounding r2 bounds r1 and
	 * the "r1 > 7" arm (an uninitialised read) is dead.
	 */
	{ "equal scalars: a bound on the copy bounds the original",
	  P(LDX(XBPF_W, 1, 1, 0), MOV64_REG(2, 1), JMP_IMM(XBPF_JGT, 2, 7, 4),
	    JMP_IMM(XBPF_JLE, 1, 7, 1), MOV64_REG(0, 5), MOV64_IMM(0, 0), EXIT(),
	    MOV64_IMM(0, 1), EXIT()),
	  .err = 0 },
	{ "equal scalars: arithmetic breaks the link",
	  P(LDX(XBPF_W, 1, 1, 0), MOV64_REG(2, 1), ALU64_IMM(XBPF_ADD, 2, 1),
	    JMP_IMM(XBPF_JGT, 2, 7, 4), JMP_IMM(XBPF_JLE, 1, 7, 1), MOV64_REG(0, 5),
	    MOV64_IMM(0, 0), EXIT(), MOV64_IMM(0, 1), EXIT()),
	  .err = -EACCES, .msg = "R5 !read_ok" },
	{ "equal scalars: a 32-bit copy is not linked",
	  P(LDX(XBPF_W, 1, 1, 0), MOV32_REG(2, 1), JMP_IMM(XBPF_JGT, 2, 7, 4),
	    JMP_IMM(XBPF_JLE, 1, 7, 1), MOV64_REG(0, 5), MOV64_IMM(0, 0), EXIT(),
	    MOV64_IMM(0, 1), EXIT()),
	  .err = -EACCES, .msg = "R5 !read_ok" },
	{ "equal scalars: a spilled copy learns the bound",
	  P(LDX(XBPF_W, 1, 1, 0), MOV64_REG(2, 1), STX(XBPF_DW, 10, 2, -8),
	    JMP_IMM(XBPF_JGT, 1, 7, 5), LDX(XBPF_DW, 3, 10, -8), JMP_IMM(XBPF_JLE, 3, 7, 1),
	    MOV64_REG(0, 5), MOV64_IMM(0, 0), EXIT(), MOV64_IMM(0, 1), EXIT()),
	  .err = 0 },
	{ "equal scalars: the taken arm learns too",
	  P(LDX(XBPF_W, 1, 1, 0), MOV64_REG(2, 1), JMP_IMM(XBPF_JLE, 2, 7, 2),
	    MOV64_IMM(0, 1), EXIT(), JMP_IMM(XBPF_JLE, 1, 7, 1), MOV64_REG(0, 5),
	    MOV64_IMM(0, 0), EXIT()),
	  .err = 0 },
	/* atomics: the load and the store they do */
	{ "atomic add on initialised stack",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD), RET0),
	  .err = 0 },
	{ "atomic fetch_add: the old value is readable",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_IMM(1, 1),
	    ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD | XBPF_FETCH), MOV64_REG(0, 1), EXIT()),
	  .err = 0 },
	{ "atomic on uninitialised stack",
	  P(MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD), RET0), .unpriv = true,
	  .err = -EACCES, .msg = "invalid read from stack R10 off=-8 size=8" },
	{ "atomic into ctx",
	  P(MOV64_IMM(2, 1), ATOMIC(XBPF_W, 1, 2, 0, XBPF_ADD), RET0),
	  .err = -EACCES, .msg = "BPF_ATOMIC stores into R1 ctx is not allowed" },
	{ "atomic with a pointer operand",
	  P(ST(XBPF_DW, 10, -8, 0), ATOMIC(XBPF_DW, 10, 10, -8, XBPF_ADD), RET0), .unpriv = true,
	  .err = -EACCES, .msg = "R10 leaks addr into mem" },
	/* Linux 6.1: is_pointer_value is false with allow_ptr_leaks */
	{ "atomic with a pointer operand, allow_ptr_leaks",
	  P(ST(XBPF_DW, 10, -8, 0), ATOMIC(XBPF_DW, 10, 10, -8, XBPF_ADD), RET0), .err = 0 },
	{ "cmpxchg reads R0",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 10, 1, -8, XBPF_CMPXCHG),
	    RET0),
	  .err = -EACCES, .msg = "R0 !read_ok" },
	/* A spilled constant 0: without the op's store it would read back as 0. */
	{ "atomic add forgets the slot's constant",
	  P(MOV64_IMM(3, 0), STX(XBPF_DW, 10, 3, -8), MOV64_IMM(1, 1),
	    ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD), LDX(XBPF_DW, 2, 10, -8),
	    JMP_IMM(XBPF_JNE, 2, 0, 2), MOV64_IMM(0, 0), EXIT(), MOV64_REG(0, 5), EXIT()),
	  .err = -EACCES, .msg = "R5 !read_ok" },
	{ "misaligned atomic on the stack",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_IMM(1, 1), ATOMIC(XBPF_W, 10, 1, -6, XBPF_ADD), RET0),
	  .err = -EACCES, .msg = "misaligned stack access" },
	{ "variable stack offset (privileged: test_ptr.c has the rules)",
	  P(LDX(XBPF_W, 2, 1, 0), ALU64_IMM(XBPF_AND, 2, 8), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -16), ALU64_REG(XBPF_ADD, 3, 2), RET0),
	  .err = 0 },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ccase *c = &cases[i];
		struct vres r = run(c->insns, c->n, c->type, c->unpriv, true);
		bool ok = r.err == c->err && (!c->msg || strstr(logbuf, c->msg));

		/* A proof lets accepted programs run without the run-time checks. */
		if (!c->err)
			ok = ok && !r.checked;
		xt_report(ok, "check: %s (err %d, want %d)", c->name, r.err, c->err);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
	}
}

/*
 * A value known in [0, 15] survives an 8-byte spill and fill, so the
 * "> 15" arm, which reads an uninitialised register, is dead.  Through a
 * 4-byte store and load the bounds are lost ([0, 2^32-1]) and the same arm
 * is walked and rejected: the control that shows the first test can fail.
 */
static void test_spill_fill(void)
{
	struct xbpf_insn p[] = {
		LDX(XBPF_W, 0, 1, 0),
		ALU64_IMM(XBPF_AND, 0, 15),
		STX(XBPF_DW, 10, 0, -8),
		LDX(XBPF_DW, 2, 10, -8),
		JMP_IMM(XBPF_JGT, 2, 15, 2),
		MOV64_IMM(0, 0),
		EXIT(),
		MOV64_REG(0, 7),
		EXIT(),
	};
	struct vres r;

	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(!r.err && strstr(logbuf, "processed 7 insns"),
		  "spill/fill keeps [0,15]: dead arm not walked (err %d)", r.err);

	/* Linux 6.1's narrow spill: a fill of the same size at the slot's start. */
	p[2] = STX(XBPF_W, 10, 0, -8);
	p[3] = LDX(XBPF_W, 2, 10, -8);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(!r.err && strstr(logbuf, "processed 7 insns"),
		  "narrow W spill/fill keeps [0,15]: dead arm not walked (err %d)", r.err);
	p[2] = STX(XBPF_B, 10, 0, -16);
	p[3] = LDX(XBPF_B, 2, 10, -16);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(!r.err && strstr(logbuf, "processed 7 insns"),
		  "narrow B spill/fill keeps [0,15] (err %d)", r.err);
	r = run(p, ARRAY_SIZE(p), 0, true, true);
	xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
		  "narrow spill: unprivileged (no bpf_capable) keeps bytes only (err %d)", r.err);
	p[2] = STX(XBPF_W, 10, 0, -8);
	p[3] = LDX(XBPF_B, 2, 10, -8);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
		  "narrow spill, fill of another size: some byte, arm walked (err %d)", r.err);
	p[2] = STX(XBPF_H, 10, 0, -6);
	p[3] = LDX(XBPF_H, 2, 10, -6);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
		  "narrow store not at a slot's start: bytes only (err %d)", r.err);
	p[2] = STX(XBPF_W, 10, 0, -8);
	p[3] = LDX(XBPF_W, 2, 10, -4);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
		  "narrow spill, fill of the bytes above it: unknown (err %d)", r.err);
	p[2] = STX(XBPF_W, 10, 0, -8);
	p[3] = LDX(XBPF_DW, 2, 10, -8);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
		  "narrow spill, 8-byte fill: unknown (err %d)", r.err);
	p[1] = ALU64_IMM(XBPF_AND, 0, 0x1ff);
	p[2] = STX(XBPF_B, 10, 0, -8);
	p[3] = LDX(XBPF_B, 2, 10, -8);
	p[4] = JMP_IMM(XBPF_JGT, 2, 255, 2);
	r = run(p, ARRAY_SIZE(p), 0, false, true);
	xt_report(!r.err && strstr(logbuf, "processed 7 insns"),
		  "narrow spill of [0,511] as B fills as [0,255] (err %d)", r.err);

	/* Soundness: what the bytes hold, not the register. */
	{
		struct xbpf_insn q[] = {
			MOV64_IMM(0, 0x100),
			STX(XBPF_B, 10, 0, -8),
			LDX(XBPF_B, 2, 10, -8),
			JMP_IMM(XBPF_JEQ, 2, 0, 1),
			MOV64_REG(0, 7),
			MOV64_REG(0, 2),
			EXIT(),
		};

		r = run(q, ARRAY_SIZE(q), 0, false, true);
		xt_report(!r.err && strstr(logbuf, "processed 6 insns"),
			  "narrow spill of 0x100 as B fills as 0 (err %d)", r.err);
	}
	{
		/* r3 is r0's copy; the byte fill of r0 must not refine it */
		struct xbpf_insn q[] = {
			LDX(XBPF_W, 0, 1, 0),
			ALU64_IMM(XBPF_AND, 0, 0x1ff),
			MOV64_REG(3, 0),
			STX(XBPF_B, 10, 0, -8),
			LDX(XBPF_B, 2, 10, -8),
			JMP_IMM(XBPF_JGT, 2, 3, 3),
			JMP_IMM(XBPF_JGT, 3, 3, 1),
			EXIT(),
			MOV64_REG(0, 7),
			EXIT(),
		};

		r = run(q, ARRAY_SIZE(q), 0, false, true);
		xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
			  "narrow spill of a value that does not fit drops its id (err %d)", r.err);
	}

	/* A narrow write into a spilled slot destroys the spill. */
	{
		struct xbpf_insn q[] = {
			LDX(XBPF_W, 0, 1, 0),
			ALU64_IMM(XBPF_AND, 0, 15),
			STX(XBPF_DW, 10, 0, -8),
			ST(XBPF_B, 10, -1, 0),
			LDX(XBPF_DW, 2, 10, -8),
			JMP_IMM(XBPF_JGT, 2, 15, 2),
			MOV64_IMM(0, 0),
			EXIT(),
			MOV64_REG(0, 7),
			EXIT(),
		};

		r = run(q, ARRAY_SIZE(q), 0, false, true);
	}
	xt_report(r.err == -EACCES && strstr(logbuf, "R7 !read_ok"),
		  "partial overwrite makes the slot misc (err %d)", r.err);
}

/* Straight code after one unknown fork: both copies are walked. */
static struct xbpf_insn *long_prog(u32 movs, u32 *n)
{
	struct xbpf_insn *p = calloc(movs + 3, sizeof(*p));
	u32 i;

	p[0] = LDX(XBPF_W, 0, 1, 0);
	p[1] = JMP_IMM(XBPF_JGT, 0, 5, 0);	/* both arms land on insn 2 */
	for (i = 0; i < movs; i++)
		p[2 + i] = MOV64_IMM(0, i);
	p[2 + movs] = EXIT();
	*n = movs + 3;
	return p;
}

static void test_limits(void)
{
	struct xbpf_insn *p;
	char want[128];
	struct vres r;
	u32 n, i;

	/* 2 + 2 * (400000 + 1) = 800004 processed: under the limit, exact count. */
	p = long_prog(400000, &n);
	r = run(p, n, 0, false, true);
	snprintf(want, sizeof(want), "processed %u insns (limit 1000000)", 800004U);
	xt_report(!r.err && strstr(logbuf, want), "800004 insns processed and accepted (err %d)", r.err);
	free(p);

	/* 2 + 2 * 600001 > 1000000: stopped on the second copy. */
	p = long_prog(600000, &n);
	r = run(p, n, 0, false, true);
	xt_report(r.err == -E2BIG && strstr(logbuf, "BPF program is too large. Processed 1000001 insn") &&
		  strstr(logbuf, "processed 1000001 insns"),
		  "1M processed-insn limit on a long straight program (err %d)", r.err);
	/* Without check, the same program passes the existing pipeline. */
	r = run(p, n, 0, false, false);
	xt_report(!r.err, "same program without check: accepted (err %d)", r.err);
	free(p);

	/* 8193 nested unknown forks: the pending-state stack is bounded. */
	n = 8193 + 3;
	p = calloc(n, sizeof(*p));
	p[0] = LDX(XBPF_W, 0, 1, 0);
	/* Decreasing bounds keep both arms of every test feasible. */
	for (i = 0; i < 8193; i++)
		p[1 + i] = JMP_IMM(XBPF_JGT, 0, 100000 - i, 0);
	p[n - 2] = MOV64_IMM(0, 0);
	p[n - 1] = EXIT();
	r = run(p, n, 0, false, true);
	xt_report(r.err == -E2BIG && strstr(logbuf, "too many pending states"),
		  "pending states bounded (err %d)", r.err);
	/*
	 * One fewer fork fits; walking every pending state (each taken arm
	 * is straight: the next, smaller bound is always exceeded) costs
	 * about 8192^2 / 2 insns, so the processed limit ends it instead.
	 */
	p[1 + 8192] = MOV64_IMM(0, 0);
	r = run(p, n, 0, false, true);
	xt_report(r.err == -E2BIG && strstr(logbuf, "BPF program is too large") &&
		  !strstr(logbuf, "too many pending states"),
		  "8192 pending states fit (err %d)", r.err);
	free(p);
}

/* One load in a given check mode and privilege; logs at level 1. */
static struct vres run_mode(const struct xbpf_insn *insns, u32 n, u8 mode, bool admin)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		/* admin: full privilege; otherwise CAP_BPF + CAP_PERFMON only */
		.caps = { .allow_ptr_leaks = true, .bypass_spec_v1 = true,
			  .bypass_spec_v4 = true, .bpf_capable = true, .sys_admin = admin },
		.log = &log,
		.ops = &fake_ops,
		.check = mode,
	};
	struct xbpf_prog *prog = NULL;
	struct vres r = {};

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	r.err = xbpf_verify(&p, &prog);
	/*
	 * The level-1 trace of a long walk (the 1M limit) outgrows the
	 * buffer: again with a stats-only log, which keeps every message.
	 */
	if (r.err == -ENOSPC) {
		memset(logbuf, 0, sizeof(logbuf));
		xbpf_log_init(&log, XBPF_LOG_STATS, (u64)(uintptr_t)logbuf, sizeof(logbuf));
		r.err = xbpf_verify(&p, &prog);
	}
	if (prog) {
		r.checked = prog->checked;
		xbpf_prog_put(prog);
	}
	return r;
}

/*
 * The three check modes.  A proof clears prog->checked; in AUTO only a
 * CAP_SYS_ADMIN caller's program that the walk cannot follow yet is
 * loaded (checked), everyone else's is refused; OFF skips the walk.
 */
static void test_modes(void)
{
	struct xbpf_insn good[] = { MOV64_IMM(0, 1), EXIT() };
	struct xbpf_insn bad[] = { MOV64_REG(0, 3), EXIT() };
	/* Something the walk does not follow yet (update when it does). */
	struct xbpf_insn unsup[] = { LDXS(XBPF_W, 0, 1, 0), EXIT() };
	struct vres r;

	r = run_mode(good, ARRAY_SIZE(good), XBPF_CHECK_AUTO, true);
	xt_report(!r.err && !r.checked, "auto: a proved program runs unchecked (err %d)", r.err);
	r = run_mode(good, ARRAY_SIZE(good), XBPF_CHECK_STRICT, false);
	xt_report(!r.err && !r.checked, "strict: a proved program runs unchecked (err %d)", r.err);
	r = run_mode(good, ARRAY_SIZE(good), XBPF_CHECK_OFF, true);
	xt_report(!r.err && r.checked, "off: no proof, the program runs checked (err %d)", r.err);

	r = run_mode(bad, ARRAY_SIZE(bad), XBPF_CHECK_AUTO, true);
	xt_report(r.err == -EACCES && strstr(logbuf, "R3 !read_ok"),
		  "auto: a rejection stands even for CAP_SYS_ADMIN (err %d)", r.err);
	r = run_mode(bad, ARRAY_SIZE(bad), XBPF_CHECK_OFF, true);
	xt_report(!r.err && r.checked, "off: the uninit read is not seen (err %d)", r.err);

	r = run_mode(unsup, ARRAY_SIZE(unsup), XBPF_CHECK_AUTO, true);
	xt_report(!r.err && r.checked && strstr(logbuf, "check: not yet supported") &&
		  strstr(logbuf, "the program will run under the checking memory model"),
		  "auto, CAP_SYS_ADMIN: not followed yet -> loaded, checked, said (err %d)", r.err);
	r = run_mode(unsup, ARRAY_SIZE(unsup), XBPF_CHECK_AUTO, false);
	xt_report(r.err == -EOPNOTSUPP && !strstr(logbuf, "checking memory model"),
		  "auto, CAP_BPF only: not followed yet -> EOPNOTSUPP (err %d)", r.err);
	r = run_mode(unsup, ARRAY_SIZE(unsup), XBPF_CHECK_STRICT, true);
	xt_report(r.err == -EOPNOTSUPP, "strict, CAP_SYS_ADMIN: EOPNOTSUPP (err %d)", r.err);
}

/*
 * SYSCALL: the walk records the end of the furthest ctx byte touched on
 * any path, and the program carries it so test-run can refuse a smaller
 * ctx_size_in (open point 4 of docs/verifier-design.md).
 */
static void test_max_ctx_offset(void)
{
	struct xbpf_insn one[] = { LDX(XBPF_H, 0, 1, 16), EXIT() };
	/* The deeper access sits on one arm only. */
	struct xbpf_insn arms[] = {
		LDX(XBPF_W, 0, 1, 4),
		JMP_IMM(XBPF_JEQ, 0, 7, 2),
		LDX(XBPF_DW, 3, 1, 96),
		MOV64_IMM(0, 0),
		STX(XBPF_B, 1, 0, 200),
		EXIT(),
	};
	struct vres r;

	r = run(one, ARRAY_SIZE(one), SYS, false, true);
	xt_report(!r.err && r.max_ctx_offset == 18, "u16 at 16: max_ctx_offset %u (err %d)",
		  r.max_ctx_offset, r.err);
	r = run(arms, ARRAY_SIZE(arms), SYS, false, true);
	xt_report(!r.err && r.max_ctx_offset == 201,
		  "furthest byte over both arms, store included: %u (err %d)",
		  r.max_ctx_offset, r.err);
	r = run(one, ARRAY_SIZE(one), SYS, false, false);
	xt_report(!r.err && r.max_ctx_offset == 0 && r.checked,
		  "without the walk nothing is recorded, the checked model guards (%u)",
		  r.max_ctx_offset);
}

/* Level 2 prints each walked instruction, so a dead one never appears. */
static void test_level2(void)
{
	struct xbpf_insn p[] = {
		MOV64_IMM(0, 1), JMP_IMM(XBPF_JEQ, 0, 2, 1), EXIT(), MOV64_REG(0, 5), EXIT(),
	};
	struct xbpf_load_params lp = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER, .insns = p, .insn_cnt = ARRAY_SIZE(p),
		/* bypass_spec_v1: no speculative walk of the dead arm */
		.caps = { .bpf_capable = true, .allow_ptr_leaks = true, .bypass_spec_v1 = true },
		.check = XBPF_CHECK_STRICT,
	};
	struct xbpf_prog *prog = NULL;
	struct xbpf_log log;
	const char *walk;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 2, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	lp.log = &log;
	err = xbpf_verify(&lp, &prog);
	xbpf_prog_put(prog);
	/* The program dump comes first; the walk follows the last "4:" of it. */
	walk = strstr(logbuf, "4: ");
	walk = walk ? strstr(walk + 1, "0: ") : NULL;
	xt_report(!err && walk && strstr(walk, "2: ") && !strstr(walk, "3: "),
		  "level 2: the walk prints walked insns only (err %d)", err);
	if (!walk)
		xt_diag("log:\n%s", logbuf);
}

/* r2 = fp - 8, an initialised 8-byte key; r6 = ctx, kept across the call. */
#define KEY_ON_STACK	ST(XBPF_DW, 10, -8, 0), MOV64_REG(6, 1), MOV64_REG(2, 10), \
			ALU64_IMM(XBPF_ADD, 2, -8)
#define LOOKUP(fd)	LD_MAP_FD(1, fd), CALL(XBPF_FUNC_map_lookup_elem)
#define LOOKUP_ID	XBPF_FUNC_map_lookup_elem

static void run_cases(const struct ccase *cases, u32 n, const char *pfx)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct ccase *c = &cases[i];
		struct vres r = run(c->insns, c->n, c->type, c->unpriv, true);
		bool ok = r.err == c->err && (!c->msg || strstr(logbuf, c->msg));

		if (!c->err)
			ok = ok && !r.checked;
		xt_report(ok, "%s: %s (err %d, want %d)", pfx, c->name, r.err, c->err);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
	}
}

/*
 * Maps and helpers.  The hash map's value is 16 bytes, so the largest
 * in-bounds 8-byte access is at offset 8; most rejected cases differ
 * from an accepted one by one instruction, so each can fail both ways.
 */
static void test_maps(void)
{
	static const struct ccase cases[] = {
	/* accepted */
	{ "classic lookup: key on stack, null check, read, exit",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), LDX(XBPF_DW, 0, 0, 8), EXIT()),
	  .err = 0 },
	/* Unprivileged: the null arm exits with R0, so it must be a scalar 0. */
	{ "classic lookup, unpriv: null arm's R0 is scalar 0",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), LDX(XBPF_DW, 0, 0, 8), EXIT()),
	  .unpriv = true, .err = 0 },
	{ "null check with != and a copy: the copy is checked too",
	  P(KEY_ON_STACK, LOOKUP(HFD), MOV64_REG(7, 0), JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(),
	    LDX(XBPF_W, 0, 7, 12), EXIT()), .unpriv = true, .err = 0 },
	{ "spilled copy is checked too",
	  P(KEY_ON_STACK, LOOKUP(HFD), STX(XBPF_DW, 10, 0, -16), JMP_IMM(XBPF_JEQ, 0, 0, 2),
	    LDX(XBPF_DW, 7, 10, -16), LDX(XBPF_DW, 0, 7, 0), EXIT()), .err = 0 },
	{ "key in a map value",
	  P(LD_MAP_VALUE(2, AFD, 8), LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), ST(XBPF_DW, 0, 0, 1),
	    RET0), .err = 0 },
	{ "store of a scalar into the value",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 2), MOV64_IMM(1, 3),
	    STX(XBPF_DW, 0, 1, 8), RET0), .unpriv = true, .err = 0 },
	{ "privileged pointer store into the value",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), STX(XBPF_DW, 0, 10, 8), RET0),
	  .err = 0 },
	{ "map value lddw at its end", P(LD_MAP_VALUE(1, AFD, 8), LDX(XBPF_DW, 0, 1, 0), EXIT()),
	  .err = 0 },
	{ "variable offset bounded by and 7",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 4), LDX(XBPF_W, 1, 6, 0),
	    ALU64_IMM(XBPF_AND, 1, 7), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 1), EXIT()),
	  .err = 0 },
	{ "variable offset bounded by if r1 > 8",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 6), LDX(XBPF_W, 1, 6, 0),
	    JMP_IMM(XBPF_JGT, 1, 8, 3), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 0), EXIT(),
	    MOV64_IMM(0, 0), EXIT()), .err = 0 },
	{ "update with key and value on the stack",
	  P(ST(XBPF_DW, 10, -8, 0), ST(XBPF_DW, 10, -16, 0), ST(XBPF_DW, 10, -24, 0),
	    MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -24), MOV64_IMM(4, 0), LD_MAP_FD(1, HFD),
	    CALL(XBPF_FUNC_map_update_elem), EXIT()), .unpriv = true, .err = 0 },
	{ "integer return: R0 is a scalar", P(CALL(XBPF_FUNC_ktime_get_ns), EXIT()),
	  .unpriv = true, .err = 0 },
	/* rejected */
	{ "missing null check",
	  P(KEY_ON_STACK, LOOKUP(HFD), LDX(XBPF_DW, 0, 0, 8), EXIT()),
	  .err = -EACCES, .msg = "R0 invalid mem access 'map_value_or_null'" },
	{ "null arm dereferenced (!= 0 falls through on NULL)",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JNE, 0, 0, 1), LDX(XBPF_DW, 0, 0, 0), EXIT()),
	  .err = -EACCES, .msg = "R0 invalid mem access 'scalar'" },
	{ "a second lookup is not checked by the first's null check",
	  P(KEY_ON_STACK, LOOKUP(HFD), MOV64_REG(7, 0), MOV64_REG(2, 10),
	    ALU64_IMM(XBPF_ADD, 2, -8), LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 7, 0, 1),
	    LDX(XBPF_DW, 0, 0, 0), EXIT()),
	  .err = -EACCES, .msg = "R0 invalid mem access 'map_value_or_null'" },
	{ "arithmetic before the null check",
	  P(KEY_ON_STACK, LOOKUP(HFD), ALU64_IMM(XBPF_ADD, 0, 8), RET0),
	  .err = -EACCES, .msg = "R0 pointer arithmetic on map_value_or_null prohibited" },
	{ "uninitialised key",
	  P(MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), LOOKUP(HFD), RET0), .unpriv = true,
	  .err = -EACCES, .msg = "invalid indirect read from stack R2 off -8+0 size 8" },
	{ "uninitialised key, perfmon",
	  P(MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), LOOKUP(HFD), RET0), .err = 0 },
	{ "half-initialised key",
	  P(ST(XBPF_W, 10, -8, 0), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), LOOKUP(HFD), RET0),
	  .unpriv = true, .err = -EACCES, .msg = "invalid indirect read from stack R2 off -8+4 size 8" },
	{ "key reaching past fp",
	  P(ST(XBPF_W, 10, -4, 0), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4), LOOKUP(HFD), RET0),
	  .err = -EINVAL, .msg = "invalid indirect access to stack R2 off=-4 size=8" },
	{ "spilled pointer as key (unpriv)",
	  P(STX(XBPF_DW, 10, 1, -8), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), LOOKUP(HFD), RET0),
	  .unpriv = true, .err = -EACCES, .msg = "invalid indirect read from stack R2 off -8+0 size 8" },
	{ "value uninitialised for update",
	  P(ST(XBPF_DW, 10, -8, 0), ST(XBPF_DW, 10, -24, 0),
	    MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -24), MOV64_IMM(4, 0), LD_MAP_FD(1, HFD),
	    CALL(XBPF_FUNC_map_update_elem), EXIT()), .unpriv = true,
	  .err = -EACCES, .msg = "invalid indirect read from stack R3 off -24+8 size 16" },
	{ "key in a map value too close to its end",
	  P(LD_MAP_VALUE(2, AFD, 12), LOOKUP(HFD), RET0),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=12 size=8" },
	{ "R1 not a map", P(KEY_ON_STACK, MOV64_IMM(1, 0), CALL(LOOKUP_ID), RET0),
	  .err = -EACCES, .msg = "R1 type=scalar expected=map_ptr" },
	{ "R2 unset", P(LD_MAP_FD(1, HFD), CALL(LOOKUP_ID), RET0), .err = -EACCES,
	  .msg = "R2 !read_ok" },
	{ "R2 the ctx", P(LD_MAP_FD(2, HFD), MOV64_REG(3, 1), MOV64_REG(1, 2), MOV64_REG(2, 3),
			  CALL(LOOKUP_ID), RET0),
	  .err = -EACCES, .msg = "R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value" },
	{ "unpriv pointer as ANYTHING",
	  P(ST(XBPF_DW, 10, -8, 0), ST(XBPF_DW, 10, -16, 0), ST(XBPF_DW, 10, -24, 0),
	    MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8), MOV64_REG(3, 10),
	    ALU64_IMM(XBPF_ADD, 3, -24), MOV64_REG(4, 10), LD_MAP_FD(1, HFD),
	    CALL(XBPF_FUNC_map_update_elem), EXIT()),
	  .unpriv = true, .err = -EACCES, .msg = "R4 leaks addr into helper function" },
	{ "R1 clobbered by the call",
	  P(CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(0, 1), EXIT()),
	  .err = -EACCES, .msg = "R1 !read_ok" },
	{ "R5 clobbered by the call",
	  P(MOV64_IMM(5, 1), CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(0, 5), EXIT()),
	  .err = -EACCES, .msg = "R5 !read_ok" },
	{ "R6 survives the call (control)",
	  P(MOV64_IMM(6, 1), CALL(XBPF_FUNC_ktime_get_ns), MOV64_REG(0, 6), EXIT()), .err = 0 },
	{ "value read past its end",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), LDX(XBPF_DW, 0, 0, 9), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=9 size=8" },
	{ "value read before its start",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), LDX(XBPF_W, 0, 0, -4), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=-4 size=4" },
	{ "map value lddw past the end", P(LD_MAP_VALUE(1, AFD, 12), LDX(XBPF_DW, 0, 1, 0), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=12 size=8" },
	{ "and 7 but too far",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 4), LDX(XBPF_W, 1, 6, 0),
	    ALU64_IMM(XBPF_AND, 1, 7), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 2), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=9 size=8" },
	{ "if r1 > 9: one byte too far",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 6), LDX(XBPF_W, 1, 6, 0),
	    JMP_IMM(XBPF_JGT, 1, 9, 3), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 0), EXIT(),
	    MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=9 size=8" },
	{ "unbounded variable offset",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 6), LDX(XBPF_W, 1, 6, 0),
	    MOV64_IMM(2, 0), MOV64_IMM(2, 0), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 0),
	    EXIT(), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "R0 unbounded memory access" },
	{ "signed bound only: min value negative",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 7), LDX(XBPF_W, 1, 6, 0),
	    MOVSX64(1, 1, 32), JMP_IMM(XBPF_JSGT, 1, 8, 3), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 0), EXIT(),
	    MOV64_IMM(0, 0), EXIT()),
	  .err = -EINVAL, .msg = "value -2147483648 makes map_value pointer be out of bounds" },
	{ "unpriv pointer store into the value",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 1), STX(XBPF_DW, 0, 10, 8), RET0),
	  .unpriv = true, .err = -EACCES, .msg = "R10 leaks addr into map" },
	{ "write into a read-only map", P(LD_MAP_VALUE(1, ROFD, 0), ST(XBPF_DW, 1, 0, 1), RET0),
	  .err = -EACCES, .msg = "write into map forbidden" },
	{ "map pointer dereference", P(LD_MAP_FD(1, HFD), LDX(XBPF_DW, 0, 1, 0), EXIT()),
	  .err = -EACCES, .msg = "R1 invalid mem access 'map_ptr'" },
	{ "map pointer arithmetic", P(LD_MAP_FD(1, HFD), ALU64_IMM(XBPF_ADD, 1, 8), RET0),
	  .err = -EACCES, .msg = "R1 pointer arithmetic on map_ptr prohibited" },
	{ "unpriv variable offset: masked (test_ptr.c)",
	  P(KEY_ON_STACK, LOOKUP(HFD), JMP_IMM(XBPF_JEQ, 0, 0, 4), LDX(XBPF_W, 1, 6, 0),
	    ALU64_IMM(XBPF_AND, 1, 7), ALU64_REG(XBPF_ADD, 0, 1), LDX(XBPF_DW, 0, 0, 1), EXIT()),
	  .unpriv = true, .err = 0 },
	};

	run_cases(cases, ARRAY_SIZE(cases), "maps");
}

int main(void)
{
	maps_setup();
	test_table();
	test_maps();
	test_spill_fill();
	test_limits();
	test_modes();
	test_level2();
	test_max_ctx_offset();
	maps_teardown();
	return xt_finish();
}

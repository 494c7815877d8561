// SPDX-License-Identifier: GPL-2.0
/*
 * References and the remaining helper argument kinds in the walk
 * (verifier/refs.c, helpers.c, mem.c's PTR_TO_MEM): ring buffer records
 * reserved, null-checked, used within their size and released exactly
 * once on every path; helper buffers sized by a bounded register; ctx and
 * uninitialised-memory arguments; helper/map-type compatibility and the
 * per-program-type helper sets.  The ring buffer map is a real one
 * (ringbuf/, with its helpers built in); programs are only verified here,
 * selftests/unit/test_ringbuf.c runs them.
 */
#include "lib/xbpf_test.h"

static char logbuf[1 << 16];

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

static u64 stub(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	abort();	/* verified only */
}

/*
 * Linux's arg layouts for two tracing/perfmon helpers, and a test-only
 * proto with a ctx argument at an id SYSCALL may call.
 */
static const struct xbpf_helper_proto test_protos[] = {
	{ .id = XBPF_FUNC_get_current_comm, .name = "get_current_comm", .fn = stub,
	  .ret = XBPF_RET_INTEGER,
	  .arg = { XBPF_ARG_PTR_TO_UNINIT_MEM, XBPF_ARG_CONST_SIZE } },
	{ .id = XBPF_FUNC_trace_printk, .name = "trace_printk", .fn = stub,
	  .ret = XBPF_RET_INTEGER, .arg = { XBPF_ARG_PTR_TO_MEM, XBPF_ARG_CONST_SIZE } },
	{ .id = XBPF_FUNC_get_current_pid_tgid, .name = "ctx_arg_test", .fn = stub,
	  .ret = XBPF_RET_INTEGER, .arg = { XBPF_ARG_PTR_TO_CTX } },
};

#define HFD	1
#define AFD	2
#define RBFD	4

static struct xbpf_map *mkmap(u32 type, u32 ks, u32 vs, u32 max)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs, .max_entries = max,
	};
	int err;

	return xbpf_map_create(&p, &err);
}

static void setup(void)
{
	fdtab[HFD] = mkmap(XBPF_MAP_TYPE_HASH, 8, 16, 4);
	fdtab[AFD] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 16, 1);
	fdtab[RBFD] = mkmap(XBPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
	if (!fdtab[HFD] || !fdtab[AFD] || !fdtab[RBFD])
		xt_diag("map creation failed");
	if (xbpf_helper_register(test_protos, ARRAY_SIZE(test_protos)))
		xt_diag("helper registration failed");
}

static void teardown(void)
{
	u32 i;

	xbpf_helper_unregister(test_protos, ARRAY_SIZE(test_protos));
	for (i = 0; i < NFDS; i++)
		if (fdtab[i])
			xbpf_map_put(fdtab[i]);
}

static int run(const struct xbpf_insn *insns, u32 n, u32 type, bool unpriv, bool *checked)
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
		.check = true,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	*checked = prog && prog->checked;
	xbpf_prog_put(prog);
	return err;
}

struct ccase {
	const char		*name;
	struct xbpf_insn	insns[32];
	u32			n;
	u32			type;
	bool			unpriv;
	int			err;
	const char		*msg;
};

#define P(...)	.insns = { __VA_ARGS__ }, .n = sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)

static const u32 SYS = XBPF_PROG_TYPE_SYSCALL;

/* r0 = bpf_ringbuf_reserve(rb, size, 0): five instruction slots. */
#define RESERVE(sz)	LD_MAP_FD(1, RBFD), MOV64_IMM(2, sz), MOV64_IMM(3, 0), \
			CALL(XBPF_FUNC_ringbuf_reserve)
/* bpf_ringbuf_submit(reg, 0) or discard: three instructions. */
#define SUBMIT(reg)	MOV64_REG(1, reg), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_submit)
#define DISCARD(reg)	MOV64_REG(1, reg), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_discard)
/* if r0 == 0 goto the RET0 that follows n more instructions */
#define IF_NULL_SKIP(n)	JMP_IMM(XBPF_JEQ, 0, 0, n)
/* r2 = fp - 8 with 8 initialised bytes, r3 = size, bpf_ringbuf_output(rb, r2, r3, 0) */
#define OUTPUT_SETUP	ST(XBPF_DW, 10, -8, 1), LD_MAP_FD(1, RBFD), MOV64_REG(2, 10), \
			ALU64_IMM(XBPF_ADD, 2, -8)
#define OUTPUT_CALL	MOV64_IMM(4, 0), CALL(XBPF_FUNC_ringbuf_output)

static void run_cases(const struct ccase *cases, u32 n, const char *pfx)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct ccase *c = &cases[i];
		bool checked;
		int err = run(c->insns, c->n, c->type, c->unpriv, &checked);
		bool ok = err == c->err && (!c->msg || strstr(logbuf, c->msg));

		if (!c->err)
			ok = ok && !checked;
		xt_report(ok, "%s: %s (err %d, want %d)", pfx, c->name, err, c->err);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
	}
}

static void test_ringbuf_refs(void)
{
	static const struct ccase cases[] = {
	/* accepted */
	{ "reserve, null check, write at the end, submit",
	  P(RESERVE(16), IF_NULL_SKIP(4), ST(XBPF_DW, 0, 8, 1), SUBMIT(0), RET0), .err = 0 },
	{ "same, unprivileged", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(4), ST(XBPF_DW, 0, 8, 1), SUBMIT(0), RET0), .err = 0 },
	{ "discard", P(RESERVE(16), IF_NULL_SKIP(4), ST(XBPF_B, 0, 15, 1), DISCARD(0), RET0),
	  .err = 0 },
	{ "!= 0 check, copy used and released", .unpriv = true,
	  P(RESERVE(8), MOV64_REG(6, 0), JMP_IMM(XBPF_JNE, 0, 0, 2), RET0,
	    LDX(XBPF_W, 7, 6, 4), SUBMIT(6), RET0), .err = 0 },
	{ "spilled copy filled, used and released",
	  P(RESERVE(16), STX(XBPF_DW, 10, 0, -8), IF_NULL_SKIP(5), LDX(XBPF_DW, 6, 10, -8),
	    ST(XBPF_DW, 6, 0, 1), SUBMIT(6), RET0), .err = 0 },
	{ "record+8 used, the record released",
	  P(RESERVE(16), IF_NULL_SKIP(6), MOV64_REG(6, 0), ALU64_IMM(XBPF_ADD, 6, 8),
	    ST(XBPF_DW, 6, 0, 1), SUBMIT(0), RET0), .err = 0 },
	{ "bounded variable offset into the record",
	  P(MOV64_REG(6, 1), RESERVE(16), IF_NULL_SKIP(8), LDX(XBPF_W, 7, 6, 0),
	    ALU64_IMM(XBPF_AND, 7, 8), MOV64_REG(8, 0), ALU64_REG(XBPF_ADD, 8, 7),
	    ST(XBPF_DW, 8, 0, 1), SUBMIT(0), RET0), .err = 0 },
	{ "record as ringbuf_output data, then submitted",
	  P(RESERVE(16), IF_NULL_SKIP(11), MOV64_REG(6, 0), ST(XBPF_DW, 6, 0, 1),
	    LD_MAP_FD(1, RBFD), MOV64_REG(2, 6), MOV64_IMM(3, 16), OUTPUT_CALL, SUBMIT(6), RET0),
	  .err = 0 },
	/* rejected */
	{ "reserve then exit without submit",
	  P(RESERVE(16), RET0), .err = -EINVAL, .msg = "Unreleased reference id=1 alloc_insn=4" },
	{ "non-null arm exits without submit",
	  P(RESERVE(16), IF_NULL_SKIP(1), ST(XBPF_DW, 0, 0, 1), RET0),
	  .err = -EINVAL, .msg = "Unreleased reference id=1 alloc_insn=4" },
	{ "leak on one branch only",
	  P(MOV64_REG(6, 1), RESERVE(16), IF_NULL_SKIP(5), LDX(XBPF_W, 2, 6, 0),
	    JMP_IMM(XBPF_JGT, 2, 7, 3), SUBMIT(0), RET0),
	  .err = -EINVAL, .msg = "Unreleased reference id=1 alloc_insn=5" },
	{ "use before the null check",
	  P(RESERVE(16), ST(XBPF_DW, 0, 0, 1), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "R0 invalid mem access 'alloc_mem_or_null'" },
	{ "submit before the null check",
	  P(RESERVE(16), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "R1 type=alloc_mem_or_null expected=alloc_mem" },
	{ "write one byte past the end",
	  P(RESERVE(16), IF_NULL_SKIP(4), ST(XBPF_DW, 0, 9, 1), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "invalid access to memory, mem_size=16 off=9 size=8" },
	{ "byte at mem_size",
	  P(RESERVE(16), IF_NULL_SKIP(4), LDX(XBPF_B, 1, 0, 16), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "invalid access to memory, mem_size=16 off=16 size=1" },
	{ "read before the start",
	  P(RESERVE(16), IF_NULL_SKIP(4), LDX(XBPF_B, 1, 0, -1), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "invalid access to memory, mem_size=16 off=-1 size=1" },
	{ "variable offset one too far",
	  P(MOV64_REG(6, 1), RESERVE(16), IF_NULL_SKIP(8), LDX(XBPF_W, 7, 6, 0),
	    ALU64_IMM(XBPF_AND, 7, 9), MOV64_REG(8, 0), ALU64_REG(XBPF_ADD, 8, 7),
	    ST(XBPF_DW, 8, 0, 1), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "R8 max value is outside of the allowed memory range" },
	{ "empty record: nothing accessible",
	  P(RESERVE(0), IF_NULL_SKIP(4), LDX(XBPF_B, 1, 0, 0), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "invalid access to memory, mem_size=0 off=0 size=1" },
	{ "submit twice (priv: the copy is a scalar)",
	  P(RESERVE(16), IF_NULL_SKIP(7), MOV64_REG(6, 0), SUBMIT(6), SUBMIT(6), RET0),
	  .err = -EACCES, .msg = "R1 type=scalar expected=alloc_mem" },
	{ "submit twice (unpriv: the copy is gone)", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(7), MOV64_REG(6, 0), SUBMIT(6), SUBMIT(6), RET0),
	  .err = -EACCES, .msg = "R6 !read_ok" },
	{ "use after submit through a copy",
	  P(RESERVE(16), IF_NULL_SKIP(6), MOV64_REG(6, 0), SUBMIT(0), ST(XBPF_DW, 6, 0, 1), RET0),
	  .err = -EACCES, .msg = "R6 invalid mem access 'scalar'" },
	{ "use after submit through a copy, unpriv", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(6), MOV64_REG(6, 0), SUBMIT(0), ST(XBPF_DW, 6, 0, 1), RET0),
	  .err = -EACCES, .msg = "R6 !read_ok" },
	{ "use after submit through a spilled copy", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(7), STX(XBPF_DW, 10, 0, -8), SUBMIT(0),
	    LDX(XBPF_DW, 6, 10, -8), ST(XBPF_DW, 6, 0, 1), RET0),
	  .err = -EACCES, .msg = "R6 !read_ok" },
	{ "use after submit through a spilled copy, priv",
	  P(RESERVE(16), IF_NULL_SKIP(7), STX(XBPF_DW, 10, 0, -8), SUBMIT(0),
	    LDX(XBPF_DW, 6, 10, -8), ST(XBPF_DW, 6, 0, 1), RET0),
	  .err = -EACCES, .msg = "R6 invalid mem access 'scalar'" },
	{ "stale spilled address read narrowly, unpriv", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(6), STX(XBPF_DW, 10, 0, -8), SUBMIT(0),
	    LDX(XBPF_W, 0, 10, -8), EXIT(), RET0),
	  .err = -EACCES, .msg = "invalid size of register fill" },
	{ "stale spilled address partly overwritten, unpriv", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(7), STX(XBPF_DW, 10, 0, -8), SUBMIT(0),
	    ST(XBPF_B, 10, -8, 0), LDX(XBPF_DW, 0, 10, -8), EXIT(), RET0),
	  .err = -EACCES, .msg = "attempt to corrupt spilled pointer on stack" },
	{ "submit of record+8",
	  P(RESERVE(16), IF_NULL_SKIP(5), MOV64_REG(6, 0), ALU64_IMM(XBPF_ADD, 0, 8), SUBMIT(0),
	    RET0),
	  .err = -EACCES, .msg = "dereference of modified alloc_mem ptr R1 off=8 disallowed" },
	{ "submit of a map value",
	  P(LD_MAP_VALUE(1, AFD, 0), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_submit), RET0),
	  .err = -EACCES, .msg = "R1 type=map_value expected=alloc_mem" },
	{ "reserve with a non-constant size",
	  P(LDX(XBPF_W, 2, 1, 0), ALU64_IMM(XBPF_AND, 2, 8), LD_MAP_FD(1, RBFD), MOV64_IMM(3, 0),
	    CALL(XBPF_FUNC_ringbuf_reserve), IF_NULL_SKIP(3), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "R2 is not a known constant'" },
	{ "pointer arithmetic before the null check",
	  P(RESERVE(16), ALU64_IMM(XBPF_ADD, 0, 8), RET0),
	  .err = -EACCES, .msg = "R0 pointer arithmetic on alloc_mem_or_null prohibited" },
	{ "unpriv pointer store into the record", .unpriv = true,
	  P(RESERVE(16), IF_NULL_SKIP(4), STX(XBPF_DW, 0, 10, 0), SUBMIT(0), RET0),
	  .err = -EACCES, .msg = "R10 leaks addr into mem" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "ringbuf");
}

static void test_mem_args(void)
{
	static const struct ccase cases[] = {
	/* accepted */
	{ "ringbuf_output of 8 initialised stack bytes", .unpriv = true,
	  P(OUTPUT_SETUP, MOV64_IMM(3, 8), OUTPUT_CALL, EXIT()), .err = 0 },
	{ "ringbuf_output, size bounded by and 7", .unpriv = true,
	  P(LDX(XBPF_W, 3, 1, 0), ALU64_IMM(XBPF_AND, 3, 7), OUTPUT_SETUP, OUTPUT_CALL, EXIT()),
	  .err = 0 },
	{ "ringbuf_output, zero size allowed", .unpriv = true,
	  P(OUTPUT_SETUP, MOV64_IMM(3, 0), OUTPUT_CALL, EXIT()), .err = 0 },
	{ "ringbuf_output from a map value",
	  P(LD_MAP_FD(1, RBFD), LD_MAP_VALUE(2, AFD, 0), MOV64_IMM(3, 16), OUTPUT_CALL, EXIT()),
	  .err = 0 },
	{ "ringbuf_query", P(LD_MAP_FD(1, RBFD), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_query),
			     EXIT()), .unpriv = true, .err = 0 },
	/* rejected */
	{ "ringbuf_output, size unbounded",
	  P(LDX(XBPF_W, 3, 1, 0), OUTPUT_SETUP, OUTPUT_CALL, EXIT()),
	  .err = -EACCES, .msg = "R3 unbounded memory access, use 'var &= const' or 'if (var < const)'" },
	{ "ringbuf_output, size up to 15 over 8 bytes",
	  P(LDX(XBPF_W, 3, 1, 0), ALU64_IMM(XBPF_AND, 3, 15), OUTPUT_SETUP, OUTPUT_CALL, EXIT()),
	  .err = -EINVAL, .msg = "invalid indirect access to stack R2 off=-8 size=15" },
	{ "ringbuf_output, negative size",
	  P(OUTPUT_SETUP, MOV64_IMM(3, -1), OUTPUT_CALL, EXIT()),
	  .err = -EACCES, .msg = "R3 min value is negative, either use unsigned or 'var &= const'" },
	{ "ringbuf_output of uninitialised stack",
	  P(LD_MAP_FD(1, RBFD), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -16), MOV64_IMM(3, 8),
	    OUTPUT_CALL, EXIT()), .unpriv = true,
	  .err = -EACCES, .msg = "invalid indirect read from stack R2 off -16+0 size 8" },
	{ "ringbuf_output past a map value",
	  P(LD_MAP_FD(1, RBFD), LD_MAP_VALUE(2, AFD, 8), MOV64_IMM(3, 9), OUTPUT_CALL, EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=16 off=8 size=9" },
	{ "ringbuf_output of the ctx",
	  P(MOV64_REG(2, 1), LD_MAP_FD(1, RBFD), MOV64_IMM(3, 8), OUTPUT_CALL, EXIT()),
	  .err = -EACCES,
	  .msg = "R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, alloc_mem, buf" },
	{ "ringbuf_output, size a pointer",
	  P(OUTPUT_SETUP, MOV64_REG(3, 10), OUTPUT_CALL, EXIT()),
	  .err = -EACCES, .msg = "R3 type=fp expected=scalar" },
	/* compatibility */
	{ "map_lookup_elem on a ringbuf map (key_size 0)",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8),
	    LD_MAP_FD(1, RBFD), CALL(XBPF_FUNC_map_lookup_elem), RET0),
	  .err = -EACCES, .msg = "invalid zero-sized read" },
	{ "ringbuf_reserve on an array map",
	  P(LD_MAP_FD(1, AFD), MOV64_IMM(2, 8), MOV64_IMM(3, 0), CALL(XBPF_FUNC_ringbuf_reserve),
	    IF_NULL_SKIP(3), SUBMIT(0), RET0),
	  .err = -EINVAL, .msg = "cannot pass map_type 2 into func bpf_ringbuf_reserve#131" },
	{ "ringbuf_query on a hash map",
	  P(LD_MAP_FD(1, HFD), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_query), EXIT()),
	  .err = -EINVAL, .msg = "cannot pass map_type 1 into func bpf_ringbuf_query#134" },
	{ "ringbuf_output on an array map",
	  P(ST(XBPF_DW, 10, -8, 1), LD_MAP_FD(1, AFD), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8),
	    MOV64_IMM(3, 8), OUTPUT_CALL, EXIT()),
	  .err = -EINVAL, .msg = "cannot pass map_type 2 into func bpf_ringbuf_output#130" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "mem args");
}

/* Helpers writing memory, ctx arguments, and who may call what. */
static void test_uninit_ctx_sets(void)
{
	static const struct ccase cases[] = {
	/* accepted */
	{ "get_current_comm fills the stack: read after", .type = SYS,
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 16),
	    CALL(XBPF_FUNC_get_current_comm), LDX(XBPF_DW, 0, 10, -16), EXIT()), .err = 0 },
	{ "get_current_comm over a spilled scalar: the fill is not the old value", .type = SYS,
	  P(MOV64_IMM(0, 1), STX(XBPF_DW, 10, 0, -8), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8),
	    MOV64_IMM(2, 8), CALL(XBPF_FUNC_get_current_comm), LDX(XBPF_DW, 0, 10, -8),
	    JMP_IMM(XBPF_JEQ, 0, 1, 1), EXIT(), RET0), .err = 0, .msg = "processed 11 insns" },
	{ "ctx argument", .type = SYS,
	  P(CALL(XBPF_FUNC_get_current_pid_tgid), EXIT()), .err = 0 },
	{ "trace_printk, privileged socket filter",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 8),
	    CALL(XBPF_FUNC_trace_printk), EXIT()), .err = 0 },
	{ "trace_printk, syscall without perfmon", .type = SYS, .unpriv = true,
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 8),
	    CALL(XBPF_FUNC_trace_printk), EXIT()), .err = 0 },
	/* rejected */
	/* without perfmon: uninitialised stack is not readable */
	{ "no call: the read is uninitialised (control)", .type = SYS, .unpriv = true,
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 16),
	    LDX(XBPF_DW, 0, 10, -16), EXIT()),
	  .err = -EACCES, .msg = "invalid read from stack R10 off=-16 size=8" },
	{ "get_current_comm fills 8 bytes, 16 read", .type = SYS, .unpriv = true,
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 8),
	    CALL(XBPF_FUNC_get_current_comm), LDX(XBPF_DW, 0, 10, -8), EXIT()),
	  .err = -EACCES, .msg = "invalid read from stack off -8+0 size 8" },
	{ "get_current_comm, variable size over uninitialised stack", .type = SYS, .unpriv = true,
	  P(LDX(XBPF_W, 2, 1, 0), ALU64_IMM(XBPF_AND, 2, 7), ALU64_IMM(XBPF_ADD, 2, 1),
	    MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL(XBPF_FUNC_get_current_comm),
	    RET0),
	  .err = -EACCES, .msg = "invalid indirect read from stack R1 off -8+0 size 8" },
	{ "get_current_comm, size 0 not allowed", .type = SYS,
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 0),
	    CALL(XBPF_FUNC_get_current_comm), RET0),
	  .err = -EACCES, .msg = "invalid zero-sized read" },
	{ "get_current_comm past fp", .type = SYS,
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 16),
	    CALL(XBPF_FUNC_get_current_comm), RET0),
	  .err = -EINVAL, .msg = "invalid indirect access to stack R1 off=-8 size=16" },
	{ "ctx argument: the stack", .type = SYS,
	  P(MOV64_REG(1, 10), CALL(XBPF_FUNC_get_current_pid_tgid), EXIT()),
	  .err = -EACCES, .msg = "R1 type=fp expected=ctx" },
	{ "ctx argument: ctx + 8", .type = SYS,
	  P(ALU64_IMM(XBPF_ADD, 1, 8), CALL(XBPF_FUNC_get_current_pid_tgid), EXIT()),
	  .err = -EACCES, .msg = "dereference of modified ctx ptr R1 off=8 disallowed" },
	{ "socket filter may not call get_current_comm",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 16),
	    CALL(XBPF_FUNC_get_current_comm), EXIT()),
	  .err = -EINVAL, .msg = "unknown func bpf_get_current_comm#16" },
	{ "trace_printk, unprivileged socket filter", .unpriv = true,
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 8),
	    CALL(XBPF_FUNC_trace_printk), EXIT()),
	  .err = -EINVAL, .msg = "unknown func bpf_trace_printk#6" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "args");
}

/* Without the walk the resolve pass still refuses an unavailable helper. */
static void test_sets_without_walk(void)
{
	struct xbpf_insn p[] = {
		MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 16),
		CALL(XBPF_FUNC_get_current_comm), EXIT(),
	};
	struct xbpf_log log;
	struct xbpf_load_params lp = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER, .insns = p, .insn_cnt = ARRAY_SIZE(p),
		.caps = { .bpf_capable = true, .allow_ptr_leaks = true }, .ops = &fake_ops,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	lp.log = &log;
	err = xbpf_verify(&lp, &prog);
	xbpf_prog_put(prog);
	xt_report(err == -EINVAL && strstr(logbuf, "unknown func bpf_get_current_comm#16"),
		  "resolve: helper outside the program type's set (err %d)", err);
	lp.prog_type = XBPF_PROG_TYPE_SYSCALL;
	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&lp, &prog);
	xbpf_prog_put(prog);
	xt_report(!err, "resolve: same helper for SYSCALL (err %d)", err);
	if (err)
		xt_diag("log:\n%s", logbuf);
}

int main(void)
{
	setup();
	test_ringbuf_refs();
	test_mem_args();
	test_uninit_ctx_sets();
	test_sets_without_walk();
	teardown();
	return xt_finish();
}

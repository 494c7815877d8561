// SPDX-License-Identifier: GPL-2.0
/*
 * RAW_TRACEPOINT and TRACEPOINT programs against the tracing helpers'
 * argument layouts (the module's, module/trace_helpers.c, registered here
 * with stub bodies), as Linux 6.1's raw_tp_prog_func_proto and
 * tp_prog_func_proto allow them (through bpf_tracing_func_proto):
 * available to both types, gpl_only against the license, no skb helper;
 * and the max_ctx_offset a load records, which attach compares with the
 * tracepoint's argument count or record size.
 */
#include "lib/xbpf_test.h"

static char logbuf[1 << 16];

static u64 stub(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	abort();	/* verified only */
}

#define RD	XBPF_ARG_PTR_TO_UNINIT_MEM, XBPF_ARG_CONST_SIZE_OR_ZERO, XBPF_ARG_ANYTHING

static const struct xbpf_helper_proto protos[] = {
	{ .id = XBPF_FUNC_get_current_pid_tgid, .name = "get_current_pid_tgid", .fn = stub },
	{ .id = XBPF_FUNC_get_current_comm, .name = "get_current_comm", .fn = stub,
	  .arg = { XBPF_ARG_PTR_TO_UNINIT_MEM, XBPF_ARG_CONST_SIZE } },
	{ .id = XBPF_FUNC_get_current_task, .name = "get_current_task", .fn = stub,
	  .gpl_only = true },
	{ .id = XBPF_FUNC_probe_read_kernel, .name = "probe_read_kernel", .fn = stub,
	  .gpl_only = true, .arg = { RD } },
	{ .id = XBPF_FUNC_trace_printk, .name = "trace_printk", .fn = stub, .gpl_only = true,
	  .arg = { XBPF_ARG_PTR_TO_MEM, XBPF_ARG_CONST_SIZE } },
};

static const struct xbpf_verifier_ops no_ops;

/* Returns the verdict; *max_ctx gets an accepted program's max_ctx_offset. */
static int load(u32 type, const struct xbpf_insn *insns, u32 n, bool gpl, u32 *max_ctx)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = type,
		.insns = insns,
		.insn_cnt = n,
		.caps = { .allow_ptr_leaks = true, .bypass_spec_v1 = true,
			  .bypass_spec_v4 = true, .bpf_capable = true, .sys_admin = true },
		.log = &log,
		.ops = &no_ops,
		.check = XBPF_CHECK_STRICT,
		.gpl_compatible = gpl,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	if (!err && (!prog || prog->type != type))
		err = -1000;
	*max_ctx = prog ? prog->max_ctx_offset : ~0U;
	xbpf_prog_put(prog);
	return err;
}

struct tcase {
	const char		*name;
	struct xbpf_insn	insns[24];
	u32			n;
	bool			gpl;
	int			err;
	const char		*msg;
	int			max_ctx;	/* -1: not checked */
};

#define P(...)	.insns = { __VA_ARGS__ }, \
		.n = sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)
#define READ16(sz)	MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, sz), \
			MOV64_REG(3, 10), CALL(XBPF_FUNC_probe_read_kernel)

static void run(u32 type, const char *tname, const struct tcase *cases, u32 cnt);

/* The helper cases, the same for both types. */
static void helper_cases(u32 type, const char *tname)
{
	const struct tcase cases[] = {
	{ "pid_tgid, any license", P(CALL(XBPF_FUNC_get_current_pid_tgid), EXIT()),
	  .max_ctx = 0 },
	{ "get_current_task, GPL", P(CALL(XBPF_FUNC_get_current_task), EXIT()), .gpl = true,
	  .max_ctx = -1 },
	{ "get_current_task, not GPL", P(CALL(XBPF_FUNC_get_current_task), EXIT()),
	  .err = -EINVAL, .max_ctx = -1,
	  .msg = "cannot call GPL-restricted function from non-GPL compatible program" },
	{ "probe_read_kernel fills 16 bytes", .gpl = true, .max_ctx = -1,
	  P(READ16(16), LDX(XBPF_DW, 0, 10, -16), LDX(XBPF_DW, 1, 10, -8),
	    ALU64_REG(XBPF_ADD, 0, 1), EXIT()) },
	{ "get_current_comm", .max_ctx = -1, P(MOV64_REG(1, 10),
	  ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 16), CALL(XBPF_FUNC_get_current_comm),
	  LDX(XBPF_B, 0, 10, -1), EXIT()) },
	{ "trace_printk of the context pointer", .gpl = true, .max_ctx = -1,
	  P(MOV64_REG(1, 1), MOV64_IMM(2, 8), CALL(XBPF_FUNC_trace_printk), EXIT()),
	  .err = -EACCES, .msg = "R1 type=ctx expected=" },
	{ "trace_printk", .gpl = true, .max_ctx = -1, P(ST(XBPF_DW, 10, -8, 0x6968),
	  MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 8),
	  CALL(XBPF_FUNC_trace_printk), EXIT()) },
	{ "skb_load_bytes", .max_ctx = -1, P(MOV64_IMM(2, 0), MOV64_REG(3, 10),
	  ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8), CALL(XBPF_FUNC_skb_load_bytes),
	  RET_IMM(0)), .err = -EINVAL, .msg = "unknown func bpf_skb_load_bytes#26" },
	};

	run(type, tname, cases, ARRAY_SIZE(cases));
}

static void raw_cases(void)
{
	const struct tcase cases[] = {
	{ "args[1] read: max_ctx_offset 16", P(LDX(XBPF_DW, 0, 1, 8), EXIT()), .max_ctx = 16 },
	{ "args[0] low word and args[5]: max_ctx_offset 48",
	  P(LDX(XBPF_W, 0, 1, 0), LDX(XBPF_DW, 2, 1, 40), EXIT()), .max_ctx = 48 },
	{ "args[11]: max_ctx_offset 96", P(LDX(XBPF_DW, 0, 1, 88), EXIT()), .max_ctx = 96 },
	{ "args[12]", P(LDX(XBPF_DW, 0, 1, 96), EXIT()), .err = -EACCES, .max_ctx = -1,
	  .msg = "invalid bpf_context access off=96 size=8" },
	};

	run(XBPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tp", cases, ARRAY_SIZE(cases));
}

static void tp_cases(void)
{
	const struct tcase cases[] = {
	{ "u32 at 8: max_ctx_offset 12", P(LDX(XBPF_W, 0, 1, 8), EXIT()), .max_ctx = 12 },
	{ "u64 at 2040: max_ctx_offset 2048", P(LDX(XBPF_DW, 0, 1, 2040), EXIT()),
	  .max_ctx = 2048 },
	{ "common_type hidden", P(LDX(XBPF_H, 0, 1, 0), EXIT()), .err = -EACCES,
	  .max_ctx = -1, .msg = "invalid bpf_context access off=0 size=2" },
	};

	run(XBPF_PROG_TYPE_TRACEPOINT, "tp", cases, ARRAY_SIZE(cases));
}

static void run(u32 type, const char *tname, const struct tcase *cases, u32 cnt)
{
	u32 i, max_ctx;

	for (i = 0; i < cnt; i++) {
		const struct tcase *c = &cases[i];
		int err = load(type, c->insns, c->n, c->gpl, &max_ctx);
		bool ok = err == c->err && (!c->msg || strstr(logbuf, c->msg)) &&
			  (c->max_ctx < 0 || max_ctx == (u32)c->max_ctx);

		if (!ok)
			xt_diag("got %d, max_ctx_offset %u, log:\n%s", err, max_ctx, logbuf);
		xt_report(ok, "%s: %s", tname, c->name);
	}
}

int main(void)
{
	if (xbpf_helper_register(protos, ARRAY_SIZE(protos)))
		xt_diag("helper registration failed");
	helper_cases(XBPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tp");
	helper_cases(XBPF_PROG_TYPE_TRACEPOINT, "tp");
	raw_cases();
	tp_cases();
	xbpf_helper_unregister(protos, ARRAY_SIZE(protos));
	return xt_finish();
}

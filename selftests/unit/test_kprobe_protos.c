// SPDX-License-Identifier: GPL-2.0
/*
 * KPROBE programs against the tracing helpers' argument layouts (the
 * module's, module/trace_helpers.c, registered here with stub bodies):
 * the helper set of the type, gpl_only against the license, the
 * destinations of probe_read_* (a zero size allowed, an unbounded one
 * or one past the frame refused, a full one initialises the stack it
 * names), get_current_comm's non-zero size, trace_printk's format memory,
 * and that the context is pt_regs, read-only.  (KPROBE loaders are
 * CAP_PERFMON, so reading uninitialised stack is allowed, as in Linux.)
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

static int load(const struct xbpf_insn *insns, u32 n, bool gpl)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_KPROBE,
		.expected_attach_type = XBPF_TRACE_KPROBE_MULTI,
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
	if (!err && (!prog || prog->type != XBPF_PROG_TYPE_KPROBE))
		err = -1000;
	xbpf_prog_put(prog);
	return err;
}

struct kcase {
	const char		*name;
	struct xbpf_insn	insns[24];
	u32			n;
	bool			gpl;
	int			err;
	const char		*msg;
};

#define P(...)	.insns = { __VA_ARGS__ }, \
		.n = sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)
/* r1 = fp-16, r2 = size, r3 = r1's address, probe_read_kernel */
#define READ16(sz)	MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, sz), \
			MOV64_REG(3, 10), CALL(XBPF_FUNC_probe_read_kernel)

static void run_cases(void)
{
	const struct kcase cases[] = {
	{ "pid_tgid, any license", P(CALL(XBPF_FUNC_get_current_pid_tgid), EXIT()) },
	{ "get_current_task, GPL", P(CALL(XBPF_FUNC_get_current_task), EXIT()), .gpl = true },
	{ "get_current_task, not GPL", P(CALL(XBPF_FUNC_get_current_task), EXIT()),
	  .err = -EINVAL,
	  .msg = "cannot call GPL-restricted function from non-GPL compatible program" },
	{ "probe_read_kernel fills 16 bytes: both read after", .gpl = true,
	  P(READ16(16), LDX(XBPF_DW, 0, 10, -16), LDX(XBPF_DW, 1, 10, -8),
	    ALU64_REG(XBPF_ADD, 0, 1), EXIT()) },
	{ "probe_read_kernel size 0 (CONST_SIZE_OR_ZERO)", .gpl = true,
	  P(READ16(0), RET_IMM(0)) },
	{ "probe_read_kernel of an unbounded size", .gpl = true,
	  P(LDX(XBPF_DW, 2, 1, 80), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16),
	    MOV64_REG(3, 10), CALL(XBPF_FUNC_probe_read_kernel), RET_IMM(0)),
	  .err = -EACCES, .msg = "R2 min value is negative, either use unsigned or 'var &= const'" },
	{ "probe_read_kernel past the frame", .gpl = true,
	  P(READ16(24), RET_IMM(0)), .err = -EINVAL,
	  .msg = "invalid indirect access to stack R1 off=-16 size=24" },
	{ "get_current_comm size 0", P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16),
	  MOV64_IMM(2, 0), CALL(XBPF_FUNC_get_current_comm), RET_IMM(0)), .err = -EACCES },
	{ "get_current_comm into uninitialised stack", P(MOV64_REG(1, 10),
	  ALU64_IMM(XBPF_ADD, 1, -16), MOV64_IMM(2, 16), CALL(XBPF_FUNC_get_current_comm),
	  LDX(XBPF_B, 0, 10, -1), EXIT()) },
	{ "trace_printk of the context pointer", .gpl = true, P(MOV64_REG(1, 1),
	  MOV64_IMM(2, 8), CALL(XBPF_FUNC_trace_printk), EXIT()),
	  .err = -EACCES, .msg = "R1 type=ctx expected=" },
	{ "trace_printk, r3-r5 unset", .gpl = true, P(ST(XBPF_DW, 10, -8, 0x6968),
	  MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), MOV64_IMM(2, 8),
	  CALL(XBPF_FUNC_trace_printk), EXIT()) },
	{ "skb_load_bytes is not a kprobe helper", P(MOV64_IMM(2, 0), MOV64_REG(3, 10),
	  ALU64_IMM(XBPF_ADD, 3, -8), MOV64_IMM(4, 8), CALL(XBPF_FUNC_skb_load_bytes),
	  RET_IMM(0)), .err = -EINVAL, .msg = "unknown func bpf_skb_load_bytes#26" },
	{ "pt_regs ax read", P(LDX(XBPF_DW, 0, 1, 80), EXIT()) },
	{ "pt_regs ax written", P(MOV64_IMM(2, 1), STX(XBPF_DW, 1, 2, 80), RET_IMM(0)),
	  .err = -EACCES, .msg = "invalid bpf_context access off=80 size=8" },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct kcase *c = &cases[i];
		int err = load(c->insns, c->n, c->gpl);
		bool ok = err == c->err && (!c->msg || strstr(logbuf, c->msg));

		if (!ok)
			xt_diag("got %d, log:\n%s", err, logbuf);
		xt_report(ok, "kprobe: %s", c->name);
	}
}

int main(void)
{
	if (xbpf_helper_register(protos, ARRAY_SIZE(protos)))
		xt_diag("helper registration failed");
	run_cases();
	xbpf_helper_unregister(protos, ARRAY_SIZE(protos));
	return xt_finish();
}

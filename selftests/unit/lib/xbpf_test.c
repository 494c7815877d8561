// SPDX-License-Identifier: GPL-2.0
/* Shared helpers for the host unit tests; see xbpf_test.h. */
#include <stdarg.h>
#include "xbpf_test.h"

unsigned int xt_passed, xt_failed, xt_skipped;
static unsigned int xt_n;

static void xt_line(const char *prefix, const char *suffix, const char *fmt, va_list ap)
{
	printf("%s %u ", prefix, ++xt_n);
	vprintf(fmt, ap);
	printf("%s\n", suffix);
	fflush(stdout);
}

void xt_report(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xt_line(pass ? "ok" : "not ok", "", fmt, ap);
	va_end(ap);
	if (pass)
		xt_passed++;
	else
		xt_failed++;
}

void xt_skip(const char *why, const char *fmt, ...)
{
	char suffix[256];
	va_list ap;

	snprintf(suffix, sizeof(suffix), " # SKIP %s", why);
	va_start(ap, fmt);
	xt_line("ok", suffix, fmt, ap);
	va_end(ap);
	xt_skipped++;
}

void xt_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int xt_finish(void)
{
	printf("1..%u\n", xt_n);
	printf("# %u passed, %u failed, %u skipped\n", xt_passed, xt_failed, xt_skipped);
	return xt_failed ? 1 : 0;
}

struct xbpf_prog *xt_prog(const struct xbpf_insn *insns, u32 n, bool checked)
{
	struct xbpf_prog *prog = xbpf_prog_alloc(n);

	if (!prog)
		abort();
	memcpy(prog->insns, insns, n * sizeof(*insns));
	prog->checked = checked;
	prog->type = XBPF_PROG_TYPE_SYSCALL;
	return prog;
}

void xt_prog_free(struct xbpf_prog *prog)
{
	free(prog->maps);
	prog->maps = NULL;
	prog->nr_maps = 0;
	xbpf_prog_put(prog);
}

int xt_run(const struct xbpf_prog *prog, struct xt_env *env, u64 *r0)
{
	struct xbpf_run_ctx rc = {
		.ctx = env->ctx,
		.r2 = env->r2,
		.ctx_size = env->ctx_size,
		.ctx_writable = env->ctx_writable,
		.skb = env->skb,
	};
	int ret;

	rc.stack = malloc(XBPF_RUN_STACK_SIZE);
	if (!rc.stack)
		abort();
	memset(rc.stack, 0, XBPF_RUN_STACK_SIZE);
	*r0 = 0xdeadbeefdeadbeefULL;
	ret = xbpf_interp_run(prog, &rc, r0);
	env->fault = rc.fault;
	free(rc.stack);
	return ret;
}

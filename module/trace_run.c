// SPDX-License-Identifier: GPL-2.0
/*
 * Running a program from a kernel hook (kprobe handlers): the run-time
 * discipline of Linux's trace_call_bpf.
 *
 * The caller has preemption disabled (kprobe handlers do).  A per-CPU
 * counter says a program, or a map command (xbpf_trace_disable()), is
 * already running on this CPU: a hook hit then does not run its program
 * but counts a miss on it (prog info's recursion_misses).  This keeps a
 * program from re-entering itself through a function it calls, and from
 * deadlocking on a map lock the interrupted code holds.
 *
 * The JIT image runs when there is one, else the interpreter on a per-CPU
 * stack, which the counter makes exclusive.
 */
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include "xbpf_mod.h"
#include "../verifier/ctx.h"

struct xbpf_run_stack {
	u64	words[XBPF_RUN_STACK_SIZE / 8];
};

static DEFINE_PER_CPU(int, xbpf_prog_active);
static struct xbpf_run_stack __percpu *xbpf_run_stacks;

void xbpf_trace_run(struct xbpf_prog *prog, void *ctx, u32 ctx_size)
{
	struct xbpf_mprog *mp = prog->owner;
	struct xbpf_run_ctx rc;
	u64 r0;

	cant_sleep();
	if (unlikely(__this_cpu_inc_return(xbpf_prog_active) != 1)) {
		atomic64_inc(&mp->recursion_misses);
		goto out;
	}
	rcu_read_lock();
	if (mp->jit) {
		mp->jit->entry(ctx, 0);
	} else {
		memset(&rc, 0, sizeof(rc));
		rc.stack = this_cpu_ptr(xbpf_run_stacks)->words;
		rc.ctx = ctx;
		rc.ctx_size = ctx_size;
		xbpf_interp_run(prog, &rc, &r0);
	}
	rcu_read_unlock();
out:
	__this_cpu_dec(xbpf_prog_active);
}

/*
 * Around user-space map commands and test runs (Linux's
 * bpf_disable_instrumentation): no hook program runs on this CPU until
 * xbpf_trace_enable().  May sleep in between.
 */
void xbpf_trace_disable(void)
{
	migrate_disable();
	this_cpu_inc(xbpf_prog_active);
}

void xbpf_trace_enable(void)
{
	this_cpu_dec(xbpf_prog_active);
	migrate_enable();
}

int xbpf_trace_run_init(void)
{
	xbpf_run_stacks = alloc_percpu(struct xbpf_run_stack);
	return xbpf_run_stacks ? 0 : -ENOMEM;
}

void xbpf_trace_run_exit(void)
{
	free_percpu(xbpf_run_stacks);
	xbpf_run_stacks = NULL;
}

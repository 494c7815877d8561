// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_TEST_RUN for SOCKET_FILTER and SYSCALL programs.
 *
 * SOCKET_FILTER follows Linux's skb test run: data_in is an Ethernet
 * frame of ETH_HLEN to XBPF_TEST_RUN_MAX_DATA bytes; the Ethernet header
 * is pulled, so the program sees the network header and __sk_buff.len is
 * the frame minus 14; data_out gets the frame back with the 14 header
 * bytes zeroed, as Linux returns it.  ctx_in/ctx_out are an optional
 * struct __sk_buff of which only mark, priority and cb[] may be set.
 *
 * SYSCALL: no packet; ctx_in (at most U16_MAX bytes) is copied into a
 * kernel buffer the program may read and write, r1 points at it, r2 holds
 * its size.  The buffer goes back to ctx_out, or, without ctx_out, to
 * ctx_in, which is what Linux does.
 *
 * Programs are RCU readers: each run is inside rcu_read_lock() with
 * migration disabled; between runs we may reschedule and stop on a signal.
 */
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/if_ether.h>
#include "xbpf_mod.h"
#include "../verifier/ctx.h"

struct xbpf_test_out {
	u32	retval;
	u32	duration;
};

static void xbpf_report_fault(const struct xbpf_prog *prog,
			      const struct xbpf_run_ctx *rc, int err)
{
	const struct xbpf_run_fault *f = &rc->fault;

	if (err == -EFAULT)
		pr_warn_ratelimited("xbpf: prog '%s' id %u: checked fault at insn %u: %s of %u bytes at 0x%llx: %s\n",
				    prog->name, prog->id, f->insn,
				    f->write ? "write" : "read", f->size,
				    f->addr, f->why ? f->why : "out of bounds");
	else if (err == -ELOOP)
		pr_warn_ratelimited("xbpf: prog '%s' id %u: stopped at insn %u after %u instructions in one run\n",
				    prog->name, prog->id, f->insn,
				    XBPF_CHECKED_INSN_BUDGET);
}

/*
 * Runs prog repeat times (0: once) on rc; fills out on success.  The JIT
 * image runs when there is one, unless flags ask for the interpreter.
 */
static int xbpf_test_loop(struct xbpf_prog *prog, struct xbpf_run_ctx *rc,
			  u32 repeat, u32 flags, struct xbpf_test_out *out)
{
	struct xbpf_mprog *mp = prog->owner;
	struct xbpf_jit_image *jit = mp && !(flags & XBPF_F_TEST_RUN_INTERP) ? mp->jit : NULL;
	u64 t0, spent = 0, r0 = 0;
	u32 i;
	int err = 0;

	if (!repeat)
		repeat = 1;

	rc->stack = kmalloc(XBPF_RUN_STACK_SIZE, GFP_KERNEL);
	if (!rc->stack)
		return -ENOMEM;

	for (i = 0; i < repeat; i++) {
		rcu_read_lock();
		/* migration off, and no hook program on this CPU meanwhile */
		xbpf_trace_disable();
		t0 = ktime_get_ns();
		if (jit)
			r0 = jit->entry(rc->ctx, rc->r2);
		else
			err = xbpf_interp_run(prog, rc, &r0);
		spent += ktime_get_ns() - t0;
		xbpf_trace_enable();
		rcu_read_unlock();

		if (err) {
			xbpf_report_fault(prog, rc, err);
			break;
		}
		if (i + 1 < repeat) {
			if (signal_pending(current)) {
				err = -EINTR;
				break;
			}
			cond_resched();
		}
	}
	kfree(rc->stack);
	rc->stack = NULL;
	if (err)
		return err;

	if (mp) {
		atomic64_add(repeat, &mp->run_cnt);
		atomic64_add(spent, &mp->run_time_ns);
	}
	out->retval = (u32)r0;
	spent = div_u64(spent, repeat);
	out->duration = spent > U32_MAX ? U32_MAX : (u32)spent;
	return 0;
}

/*
 * ctx_out, the bpf(2) way: when ctx_size_out is too small, copy what
 * fits and return -ENOSPC; the full size goes to ctx_size_out either way.
 */
static int xbpf_ctx_out(const union xbpf_attr *attr,
			union xbpf_attr __user *uattr, const void *buf, u32 size)
{
	u32 n = size;
	int err = 0;

	if (!attr->test.ctx_out)
		return 0;
	if (n > attr->test.ctx_size_out) {
		n = attr->test.ctx_size_out;
		err = -ENOSPC;
	}
	if (copy_to_user(u64_to_user_ptr(attr->test.ctx_out), buf, n) ||
	    put_user(size, &uattr->test.ctx_size_out))
		return -EFAULT;
	return err;
}

static int xbpf_put_test_out(union xbpf_attr __user *uattr,
			     const struct xbpf_test_out *out)
{
	if (put_user(out->retval, &uattr->test.retval) ||
	    put_user(out->duration, &uattr->test.duration))
		return -EFAULT;
	return 0;
}

static int xbpf_test_run_skb(struct xbpf_prog *prog, const union xbpf_attr *attr,
			     union xbpf_attr __user *uattr)
{
	u32 size = attr->test.data_size_in;
	struct xbpf_test_out out = {};
	struct xbpf_run_ctx rc = {};
	struct xbpf_skb *skb, *uctx = NULL;
	u8 *data;
	u32 n;
	int err;

	if (size < ETH_HLEN || size > XBPF_TEST_RUN_MAX_DATA)
		return -EINVAL;

	data = vmemdup_user(u64_to_user_ptr(attr->test.data_in), size);
	if (IS_ERR(data))
		return PTR_ERR(data);

	skb = kzalloc(sizeof(*skb), GFP_KERNEL);
	if (!skb) {
		err = -ENOMEM;
		goto out_data;
	}

	/* optional __sk_buff in and out; a longer ctx_in needs a zero tail */
	if (attr->test.ctx_in || attr->test.ctx_out) {
		uctx = kzalloc(sizeof(*uctx), GFP_KERNEL);
		if (!uctx) {
			err = -ENOMEM;
			goto out_skb;
		}
	}
	if (attr->test.ctx_in) {
		void __user *cin = u64_to_user_ptr(attr->test.ctx_in);
		u32 csize = attr->test.ctx_size_in;

		if (csize > XBPF_SKB_USER_SIZE) {
			err = check_zeroed_user(cin + XBPF_SKB_USER_SIZE,
						csize - XBPF_SKB_USER_SIZE);
			if (err <= 0) {
				err = err ? err : -E2BIG;
				goto out_ctx;
			}
			csize = XBPF_SKB_USER_SIZE;
		}
		if (copy_from_user(uctx->user, cin, csize)) {
			err = -EFAULT;
			goto out_ctx;
		}
		if (!xbpf_skb_ctx_in_ok(uctx)) {
			err = -EINVAL;
			goto out_ctx;
		}
	}

	err = xbpf_skb_init(skb, data, size, uctx);
	if (err)
		goto out_ctx;

	rc.ctx = skb;
	rc.ctx_size = XBPF_SKB_USER_SIZE;
	/*
	 * The __sk_buff part is our private copy, so letting the program
	 * write all of it cannot hurt the kernel; the full verifier narrows
	 * writes to cb[] as Linux does.
	 */
	rc.ctx_writable = true;
	rc.skb = skb;
	rc.r2 = 0;

	err = xbpf_test_loop(prog, &rc, attr->test.repeat, attr->test.flags, &out);
	if (err)
		goto out_ctx;

	/*
	 * The frame goes back whole, its link-layer header zeroed, as Linux
	 * returns it.  data_size_out 0 means "no limit" (old bpf(2) behaviour);
	 * a smaller one gets what fits and -ENOSPC, with the full size, retval
	 * and duration still reported.
	 */
	memset(data, 0, ETH_HLEN);
	n = size;
	if (attr->test.data_size_out && n > attr->test.data_size_out) {
		n = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if ((attr->test.data_out &&
	     copy_to_user(u64_to_user_ptr(attr->test.data_out), data, n)) ||
	    put_user(size, &uattr->test.data_size_out) ||
	    xbpf_put_test_out(uattr, &out)) {
		err = -EFAULT;
		goto out_ctx;
	}
	if (err)
		goto out_ctx;

	if (uctx) {
		xbpf_skb_ctx_out(uctx, skb);
		err = xbpf_ctx_out(attr, uattr, uctx->user, XBPF_SKB_USER_SIZE);
	}

out_ctx:
	kfree(uctx);
out_skb:
	kfree(skb);
out_data:
	kvfree(data);
	return err;
}

/*
 * A SYSCALL program's context is the caller's buffer, ctx_size_in bytes,
 * and a tail call may land in a program proved against a larger one (the
 * array's owner rule fixes the type, not the size).  JIT code cannot
 * check the size at the jump, so a run of a program that may tail call
 * gets a buffer zero-padded to the furthest byte any SYSCALL program may
 * touch, for both engines alike: a target reads zeros past ctx_size_in
 * and its writes there are dropped.  The program still sees r2 =
 * ctx_size_in.
 */
#define XBPF_SYSCALL_CTX_PADDED	(XBPF_CTX_SYSCALL_MAX_OFF + sizeof(u64))

static bool xbpf_prog_may_tail_call(const struct xbpf_prog *prog)
{
	u32 i;

	/* An unproved program runs checked: the interpreter checks the size. */
	for (i = 0; prog->funcs && i < prog->nr_funcs; i++)
		if (prog->funcs[i].has_tail_call)
			return true;
	return false;
}

static int xbpf_test_run_syscall(struct xbpf_prog *prog,
				 const union xbpf_attr *attr,
				 union xbpf_attr __user *uattr)
{
	u32 size = attr->test.ctx_size_in, room = size;
	struct xbpf_test_out out = {};
	struct xbpf_run_ctx rc = {};
	void *ctx = NULL;
	int err;

	if (attr->test.data_in || attr->test.data_size_in ||
	    attr->test.data_out || attr->test.data_size_out)
		return -EINVAL;
	/* The verifier let the program touch ctx bytes up to max_ctx_offset. */
	if (size > XBPF_TEST_RUN_MAX_CTX || size < prog->max_ctx_offset)
		return -EINVAL;

	if (xbpf_prog_may_tail_call(prog)) {
		room = XBPF_SYSCALL_CTX_PADDED;
		ctx = kvzalloc(room, GFP_KERNEL_ACCOUNT);
		if (!ctx)
			return -ENOMEM;
		if (size && copy_from_user(ctx, u64_to_user_ptr(attr->test.ctx_in), size)) {
			kvfree(ctx);
			return -EFAULT;
		}
	} else if (size) {
		ctx = memdup_user(u64_to_user_ptr(attr->test.ctx_in), size);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}

	rc.ctx = ctx;
	rc.ctx_size = room;
	rc.ctx_writable = true;
	rc.r2 = size;
	rc.skb = NULL;

	err = xbpf_test_loop(prog, &rc, attr->test.repeat, attr->test.flags, &out);
	if (err)
		goto out;
	if (xbpf_put_test_out(uattr, &out)) {
		err = -EFAULT;
		goto out;
	}

	if (attr->test.ctx_out)
		err = xbpf_ctx_out(attr, uattr, ctx, size);
	else if (size && copy_to_user(u64_to_user_ptr(attr->test.ctx_in),
				      ctx, size))
		err = -EFAULT;
out:
	kvfree(ctx);
	return err;
}

/*
 * RAW_TRACEPOINT (Linux's bpf_prog_test_run_raw_tp rules): ctx_in is the
 * argument array, at least max_ctx_offset and at most 12 u64s; nothing
 * else goes in or out but retval (repeat, duration, data and ctx_out are
 * -EINVAL).  The run sees all 12 slots, those past ctx_in zero, as a hook
 * run does (attach_tp.c).  Not supported: BPF_F_TEST_RUN_ON_CPU
 * (refused by xbpf_cmd_test_run).
 */
static int xbpf_test_run_raw_tp(struct xbpf_prog *prog, const union xbpf_attr *attr,
				union xbpf_attr __user *uattr)
{
	u64 args[XBPF_RAW_TP_MAX_ARGS] = {};
	u32 size = attr->test.ctx_size_in;
	struct xbpf_test_out out = {};
	struct xbpf_run_ctx rc = {};
	int err;

	if (attr->test.data_in || attr->test.data_size_in || attr->test.data_out ||
	    attr->test.data_size_out || attr->test.ctx_out || attr->test.ctx_size_out ||
	    attr->test.repeat || attr->test.duration)
		return -EINVAL;
	if (size < prog->max_ctx_offset || size > sizeof(args))
		return -EINVAL;
	if (size && copy_from_user(args, u64_to_user_ptr(attr->test.ctx_in), size))
		return -EFAULT;
	rc.ctx = args;
	rc.ctx_size = sizeof(args);
	err = xbpf_test_loop(prog, &rc, 1, attr->test.flags, &out);
	if (err)
		return err;
	return put_user(out.retval, &uattr->test.retval) ? -EFAULT : 0;
}

int xbpf_cmd_test_run(union xbpf_attr *attr, union xbpf_attr __user *uattr)
{
	struct xbpf_prog *prog;
	int err;

	/*
	 * XBPF_F_TEST_RUN_ON_CPU and the XDP flags do not apply here; xbpf's
	 * own XBPF_F_TEST_RUN_INTERP does
	 */
	if ((attr->test.flags & ~XBPF_F_TEST_RUN_INTERP) || attr->test.cpu ||
	    attr->test.batch_size)
		return -EINVAL;

	prog = xbpf_prog_from_fd(attr->test.prog_fd);
	if (IS_ERR(prog))
		return PTR_ERR(prog);

	switch (prog->type) {
	case XBPF_PROG_TYPE_SOCKET_FILTER:
		err = xbpf_test_run_skb(prog, attr, uattr);
		break;
	case XBPF_PROG_TYPE_SYSCALL:
		err = xbpf_test_run_syscall(prog, attr, uattr);
		break;
	case XBPF_PROG_TYPE_RAW_TRACEPOINT:
		err = xbpf_test_run_raw_tp(prog, attr, uattr);
		break;
	case XBPF_PROG_TYPE_KPROBE:
	case XBPF_PROG_TYPE_TRACEPOINT:
		/* Linux's kprobe and tracepoint programs have no test_run either */
		err = -ENOTSUPP;
		break;
	default:
		err = -EOPNOTSUPP;
		break;
	}

	xbpf_prog_put(prog);
	return err;
}

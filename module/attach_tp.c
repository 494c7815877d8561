// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching RAW_TRACEPOINT and TRACEPOINT programs: RAW_TRACEPOINT_OPEN
 * (attr.raw_tracepoint.name, prog_fd) returns a link fd, as Linux's does.
 *
 * RAW_TRACEPOINT: name is the tracepoint's ("sys_enter").  It is found in
 * the kernel's own table of BPF-attachable tracepoints (the
 * bpf_raw_event_map entries, which give the argument count), through
 * bpf_get_raw_tracepoint()/bpf_put_raw_tracepoint(): not exported, so
 * resolved through kallsyms.  The entry (and a tracepoint in a module:
 * the lookup takes a module reference) is held until the link goes.  A
 * program whose reads reach past the tracepoint's arguments
 * (max_ctx_offset > 8 * num_args) is refused with -EINVAL, as Linux.
 * The probe registered with tracepoint_probe_register() is the one for
 * that argument count, so it only names the arguments the tracepoint
 * passes; it copies them into a u64 array on its stack, the program's
 * context, whose slots past the arguments are zero.  An argument narrower than 64 bits arrives with upper bits the
 * x86-64 psABI leaves unspecified (Linux's per-event wrapper casts each
 * to u64; xbpf has no per-event code): programs should mask such
 * arguments.  Detach unregisters and waits (tracepoint_synchronize_
 * unregister) for running probes.
 *
 * TRACEPOINT (an xbpf choice; Linux attaches these through a perf event
 * fd and PERF_EVENT_IOC_SET_BPF, which cannot reach xbpf): name is
 * "category:event" ("syscalls:sys_enter_getppid"), found with the
 * exported trace_get_event_file(), which pins the event (and its module)
 * until the link goes.  As Linux, a program reading past the record's
 * fields (max_ctx_offset > trace_event_get_offsets(), resolved through
 * kallsyms) is refused, with -EACCES.  The program runs from the
 * overflow handler of a kernel perf counter (PERF_TYPE_TRACEPOINT,
 * config = the event id, sample_period 1: every hit overflows, and the
 * first overflow of a hit is never throttled) on each CPU online at
 * attach; CPUs brought up later are not covered (no hotplug handling).
 * Its context is the raw record, which every 6.1 caller of
 * perf_tp_event() builds at the start of a per-CPU buffer of
 * PERF_MAX_TRACE_SIZE bytes (perf_trace_buf_alloc()), so every read the
 * verifier allows (below 2048) stays in that buffer.  Detach releases
 * the counters and waits an RCU grace period: handlers run with
 * preemption disabled.  The `xbpf run` loader translates libbpf's
 * SEC("tracepoint/category/event") into this call.
 *
 * Programs loaded unproved (run under the checking model) are not
 * attached: -EOPNOTSUPP, as for kprobes.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include "xbpf_mod.h"
#include "../verifier/ctx.h"

#define XBPF_TP_NAME_MAX	128	/* Linux's buffer for the name, NUL included */

struct xbpf_raw_tp_link {
	struct xbpf_link		link;
	struct bpf_raw_event_map	*btp;
	void				*probe;
};

struct xbpf_tp_link {
	struct xbpf_link		link;
	struct trace_event_file		*file;
	struct perf_event		**events;	/* per possible CPU, NULL if none */
};

/* The unexported functions, resolved on first use under xbpf_tp_mutex. */
static DEFINE_MUTEX(xbpf_tp_mutex);
static bool xbpf_tp_resolved;
static struct bpf_raw_event_map *(*xbpf_get_raw_tp)(const char *name);
static void (*xbpf_put_raw_tp)(struct bpf_raw_event_map *btp);
static int (*xbpf_tp_get_offsets)(struct trace_event_call *call);

static void xbpf_tp_resolve(void)
{
	mutex_lock(&xbpf_tp_mutex);
	if (!xbpf_tp_resolved) {
		xbpf_get_raw_tp = (void *)xbpf_kallsyms_lookup("bpf_get_raw_tracepoint");
		xbpf_put_raw_tp = (void *)xbpf_kallsyms_lookup("bpf_put_raw_tracepoint");
		xbpf_tp_get_offsets = (void *)xbpf_kallsyms_lookup("trace_event_get_offsets");
		xbpf_tp_resolved = true;
	}
	mutex_unlock(&xbpf_tp_mutex);
}

/* ---- RAW_TRACEPOINT ---- */

/*
 * Tracepoint probes run with preemption disabled.  The context is always
 * the full 12 u64s, those past the tracepoint's arguments zero: a program
 * tail-called from the attached one was checked against no argument
 * count, and must read zeros (in either engine) rather than the probe's
 * stack.
 */
static __always_inline void xbpf_raw_tp_run(void *data, u64 *args)
{
	struct xbpf_raw_tp_link *rl = data;

	xbpf_trace_run(rl->link.prog, args, XBPF_RAW_TP_CTX_SIZE);
}

#define XBPF_UNPAREN(...)	__VA_ARGS__
#define XBPF_RAW_TP_PROBE(n, params, vals)				\
static void xbpf_raw_tp_probe##n(void *data XBPF_UNPAREN params)	\
{									\
	u64 args[XBPF_RAW_TP_MAX_ARGS] = { XBPF_UNPAREN vals };		\
									\
	xbpf_raw_tp_run(data, args);					\
}

XBPF_RAW_TP_PROBE(0, (), (0))
XBPF_RAW_TP_PROBE(1, (, u64 a0), (a0))
XBPF_RAW_TP_PROBE(2, (, u64 a0, u64 a1), (a0, a1))
XBPF_RAW_TP_PROBE(3, (, u64 a0, u64 a1, u64 a2), (a0, a1, a2))
XBPF_RAW_TP_PROBE(4, (, u64 a0, u64 a1, u64 a2, u64 a3), (a0, a1, a2, a3))
XBPF_RAW_TP_PROBE(5, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4), (a0, a1, a2, a3, a4))
XBPF_RAW_TP_PROBE(6, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5),
		  (a0, a1, a2, a3, a4, a5))
XBPF_RAW_TP_PROBE(7, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6),
		  (a0, a1, a2, a3, a4, a5, a6))
XBPF_RAW_TP_PROBE(8, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7),
		  (a0, a1, a2, a3, a4, a5, a6, a7))
XBPF_RAW_TP_PROBE(9, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7,
		      u64 a8), (a0, a1, a2, a3, a4, a5, a6, a7, a8))
XBPF_RAW_TP_PROBE(10, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7,
		       u64 a8, u64 a9), (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9))
XBPF_RAW_TP_PROBE(11, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7,
		       u64 a8, u64 a9, u64 a10), (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10))
XBPF_RAW_TP_PROBE(12, (, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7,
		       u64 a8, u64 a9, u64 a10, u64 a11),
		  (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11))

static void * const xbpf_raw_tp_probes[XBPF_RAW_TP_MAX_ARGS + 1] = {
	xbpf_raw_tp_probe0, xbpf_raw_tp_probe1, xbpf_raw_tp_probe2, xbpf_raw_tp_probe3,
	xbpf_raw_tp_probe4, xbpf_raw_tp_probe5, xbpf_raw_tp_probe6, xbpf_raw_tp_probe7,
	xbpf_raw_tp_probe8, xbpf_raw_tp_probe9, xbpf_raw_tp_probe10, xbpf_raw_tp_probe11,
	xbpf_raw_tp_probe12,
};

static void xbpf_raw_tp_detach(struct xbpf_link *link)
{
	struct xbpf_raw_tp_link *rl = container_of(link, struct xbpf_raw_tp_link, link);

	tracepoint_probe_unregister(rl->btp->tp, rl->probe, rl);
	/* no probe of ours runs on any CPU after this */
	tracepoint_synchronize_unregister();
}

static void xbpf_raw_tp_dealloc(struct xbpf_link *link)
{
	struct xbpf_raw_tp_link *rl = container_of(link, struct xbpf_raw_tp_link, link);

	xbpf_put_raw_tp(rl->btp);
	kfree(rl);
}

/*
 * Link info's raw_tracepoint part, Linux's rules: tp_name and tp_name_len
 * both set or both zero (-EINVAL); tp_name_len comes back as the name's
 * size with its NUL; a short buffer gets a truncated, terminated name and
 * the call fails with -ENOSPC.
 */
static int xbpf_raw_tp_fill_info(struct xbpf_link *link, struct xbpf_link_info *info)
{
	struct xbpf_raw_tp_link *rl = container_of(link, struct xbpf_raw_tp_link, link);
	char __user *ubuf = u64_to_user_ptr(info->raw_tracepoint.tp_name);
	u32 ulen = info->raw_tracepoint.tp_name_len;
	const char *name = rl->btp->tp->name;
	u32 size = strlen(name) + 1;

	if (!ubuf != !ulen)
		return -EINVAL;
	info->raw_tracepoint.tp_name_len = size;
	if (!ubuf)
		return 0;
	if (copy_to_user(ubuf, name, min(ulen, size) - 1) ||
	    put_user('\0', ubuf + min(ulen, size) - 1))
		return -EFAULT;
	return ulen < size ? -ENOSPC : 0;
}

static const struct xbpf_link_ops xbpf_raw_tp_link_ops = {
	.detach		= xbpf_raw_tp_detach,
	.dealloc	= xbpf_raw_tp_dealloc,
	.fill_info	= xbpf_raw_tp_fill_info,
};

/* Takes over the caller's reference on prog. */
static int xbpf_raw_tp_attach(struct xbpf_prog *prog, const char *name)
{
	struct bpf_raw_event_map *btp;
	struct xbpf_raw_tp_link *rl;
	int err;

	err = -EOPNOTSUPP;
	if (!xbpf_get_raw_tp || !xbpf_put_raw_tp)
		goto err_prog;
	btp = xbpf_get_raw_tp(name);
	err = -ENOENT;
	if (!btp)
		goto err_prog;
	err = -EINVAL;
	if (btp->num_args > XBPF_RAW_TP_MAX_ARGS ||
	    prog->max_ctx_offset > btp->num_args * sizeof(u64))
		goto err_btp;
	err = -ENOMEM;
	rl = kzalloc(sizeof(*rl), GFP_KERNEL_ACCOUNT);
	if (!rl)
		goto err_btp;
	rl->btp = btp;
	rl->probe = xbpf_raw_tp_probes[btp->num_args];
	/* From here the link owns prog and btp; its final put cleans up. */
	xbpf_link_init(&rl->link, XBPF_LINK_TYPE_RAW_TRACEPOINT, 0, &xbpf_raw_tp_link_ops,
		       prog);
	err = tracepoint_probe_register(btp->tp, rl->probe, rl);
	if (err) {
		xbpf_link_put(&rl->link);
		return err;
	}
	rl->link.detached = false;
	return xbpf_link_install(&rl->link);

err_btp:
	xbpf_put_raw_tp(btp);
err_prog:
	xbpf_prog_put(prog);
	return err;
}

/* ---- TRACEPOINT ---- */

static void xbpf_tp_overflow(struct perf_event *event, struct perf_sample_data *data,
			     struct pt_regs *regs)
{
	struct xbpf_tp_link *tl = event->overflow_handler_context;

	if (!data->raw)
		return;
	xbpf_trace_run(tl->link.prog, data->raw->frag.data, XBPF_TP_CTX_SIZE);
}

static void xbpf_tp_release_events(struct xbpf_tp_link *tl)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		if (tl->events[cpu]) {
			perf_event_release_kernel(tl->events[cpu]);
			tl->events[cpu] = NULL;
		}
	}
	/* a handler that found an event before its removal has returned */
	synchronize_rcu();
}

static void xbpf_tp_detach(struct xbpf_link *link)
{
	xbpf_tp_release_events(container_of(link, struct xbpf_tp_link, link));
}

static void xbpf_tp_dealloc(struct xbpf_link *link)
{
	struct xbpf_tp_link *tl = container_of(link, struct xbpf_tp_link, link);

	trace_put_event_file(tl->file);
	kfree(tl->events);
	kfree(tl);
}

static const struct xbpf_link_ops xbpf_tp_link_ops = {
	.detach		= xbpf_tp_detach,
	.dealloc	= xbpf_tp_dealloc,
};

static int xbpf_tp_open_events(struct xbpf_tp_link *tl)
{
	struct perf_event_attr pa = {
		.type		= PERF_TYPE_TRACEPOINT,
		.size		= sizeof(pa),
		.config		= tl->file->event_call->event.type,
		.sample_period	= 1,
		.sample_type	= PERF_SAMPLE_RAW,
	};
	int cpu, err = 0;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(&pa, cpu, NULL, xbpf_tp_overflow, tl);
		if (IS_ERR(ev)) {
			err = PTR_ERR(ev);
			break;
		}
		tl->events[cpu] = ev;
	}
	cpus_read_unlock();
	return err;
}

/*
 * Where the record's fixed fields end (dynamic array bytes not counted,
 * as Linux); an event without fields has only the hidden common bytes,
 * which trace_event_get_offsets() cannot be asked about.
 */
static int xbpf_tp_record_end(struct trace_event_call *call)
{
	if (list_empty(trace_get_fields(call)))
		return XBPF_TP_CTX_HIDDEN;
	return xbpf_tp_get_offsets(call);
}

/* Takes over the caller's reference on prog; name is "category:event". */
static int xbpf_tp_attach(struct xbpf_prog *prog, char *name)
{
	struct trace_event_file *file;
	struct xbpf_tp_link *tl;
	char *event = strchr(name, ':');
	int err;

	err = -EINVAL;
	if (!event || event == name || !event[1])
		goto err_prog;
	*event++ = '\0';
	err = -EOPNOTSUPP;
	if (!xbpf_tp_get_offsets)
		goto err_prog;
	file = trace_get_event_file(NULL, name, event);
	if (IS_ERR(file)) {
		/* no such event: -ENOENT, as a raw tracepoint's name */
		err = PTR_ERR(file) == -EINVAL ? -ENOENT : PTR_ERR(file);
		goto err_prog;
	}
	err = -EACCES;
	if ((int)prog->max_ctx_offset > xbpf_tp_record_end(file->event_call))
		goto err_file;
	err = -ENOMEM;
	tl = kzalloc(sizeof(*tl), GFP_KERNEL_ACCOUNT);
	if (!tl)
		goto err_file;
	tl->events = kcalloc(nr_cpu_ids, sizeof(*tl->events), GFP_KERNEL_ACCOUNT);
	if (!tl->events) {
		kfree(tl);
		goto err_file;
	}
	tl->file = file;
	xbpf_link_init(&tl->link, XBPF_LINK_TYPE_PERF_EVENT, 0, &xbpf_tp_link_ops, prog);
	/* counters created before a failure release with the link's detach */
	tl->link.detached = false;
	err = xbpf_tp_open_events(tl);
	if (err) {
		xbpf_link_put(&tl->link);
		return err;
	}
	return xbpf_link_install(&tl->link);

err_file:
	trace_put_event_file(file);
err_prog:
	xbpf_prog_put(prog);
	return err;
}

int xbpf_cmd_raw_tracepoint_open(const union xbpf_attr *attr)
{
	char name[XBPF_TP_NAME_MAX];
	struct xbpf_prog *prog;
	long n;

	prog = xbpf_prog_from_fd((int)attr->raw_tracepoint.prog_fd);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	if (prog->type != XBPF_PROG_TYPE_RAW_TRACEPOINT &&
	    prog->type != XBPF_PROG_TYPE_TRACEPOINT) {
		xbpf_prog_put(prog);
		return -EINVAL;
	}
	if (prog->checked) {
		xbpf_prog_put(prog);
		return -EOPNOTSUPP;
	}
	/* both kinds need a name (Linux's raw tracepoints do too) */
	n = attr->raw_tracepoint.name ?
	    strncpy_from_user(name, u64_to_user_ptr(attr->raw_tracepoint.name), sizeof(name)) :
	    -EINVAL;
	if (n >= (long)sizeof(name))
		n = -E2BIG;
	if (n < 0) {
		xbpf_prog_put(prog);
		return (int)n;
	}
	xbpf_tp_resolve();
	if (prog->type == XBPF_PROG_TYPE_RAW_TRACEPOINT)
		return xbpf_raw_tp_attach(prog, name);
	return xbpf_tp_attach(prog, name);
}

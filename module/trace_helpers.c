// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing helpers only the module can implement (current task,
 * kernel and user memory, trace_printk), registered at module init with
 * Linux 6.1's argument types.  Which program types may call them is
 * verifier/func_proto.c's rule; the time, CPU and random helpers are the
 * core's (core/helpers.c).
 *
 * Every helper here may run in any context a kprobe can fire in (NMI
 * included): nothing sleeps, memory is read with the nofault accessors.
 *
 * Lockdown: as 6.1 decides at program load, the kernel-memory readers
 * (probe_read_kernel, _str, and the compat probe_read) are not offered
 * when the kernel is locked down for confidentiality; xbpf decides once,
 * at module init (the verifier core cannot ask the LSMs).
 */
#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/uaccess.h>
#include "xbpf_mod.h"

static u64 xbpf_h_get_current_pid_tgid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)current->tgid << 32 | (u32)current->pid;
}

static u64 xbpf_h_get_current_uid_gid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	kuid_t uid;
	kgid_t gid;

	current_uid_gid(&uid, &gid);
	return (u64)from_kgid(&init_user_ns, gid) << 32 | from_kuid(&init_user_ns, uid);
}

/* size >= 1 (ARG_CONST_SIZE): always NUL-terminated, zero-padded. */
static u64 xbpf_h_get_current_comm(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	char *buf = (char *)(uintptr_t)r1;

	strncpy(buf, current->comm, r2);
	buf[r2 - 1] = '\0';
	return 0;
}

static u64 xbpf_h_get_current_task(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)(uintptr_t)current;
}

/* On a fault the destination is zeroed: the verifier saw it written. */
static long xbpf_read_kernel(void *dst, u32 size, u64 src)
{
	long err = copy_from_kernel_nofault(dst, (const void *)(uintptr_t)src, size);

	if (err)
		memset(dst, 0, size);
	return err;
}

static long xbpf_read_user(void *dst, u32 size, u64 src)
{
	long err = copy_from_user_nofault(dst, (const void __user *)(uintptr_t)src, size);

	if (err)
		memset(dst, 0, size);
	return err;
}

/*
 * A NUL-terminated string of at most size bytes (size - 1 characters and
 * the NUL): the length with the NUL, or -EFAULT with dst zeroed.  Byte by
 * byte: the kernel's strncpy_from_*_nofault are not exported.
 */
static long xbpf_read_str(char *dst, u32 size, u64 src, bool user)
{
	u32 i;

	if (!size)
		return 0;
	for (i = 0; i < size - 1; i++) {
		long err = user ?
			copy_from_user_nofault(&dst[i], (const void __user *)(uintptr_t)(src + i), 1) :
			copy_from_kernel_nofault(&dst[i], (const void *)(uintptr_t)(src + i), 1);

		if (err) {
			memset(dst, 0, size);
			return err;
		}
		if (!dst[i])
			return i + 1;
	}
	dst[i] = '\0';
	return size;
}

static u64 xbpf_h_probe_read_kernel(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)xbpf_read_kernel((void *)(uintptr_t)r1, (u32)r2, r3);
}

static u64 xbpf_h_probe_read_user(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)xbpf_read_user((void *)(uintptr_t)r1, (u32)r2, r3);
}

static u64 xbpf_h_probe_read_kernel_str(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)xbpf_read_str((char *)(uintptr_t)r1, (u32)r2, r3, false);
}

static u64 xbpf_h_probe_read_user_str(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)xbpf_read_str((char *)(uintptr_t)r1, (u32)r2, r3, true);
}

/* bpf_probe_read (4), x86's compat: the address says which space. */
static u64 xbpf_h_probe_read(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	if (r3 < TASK_SIZE)
		return (u64)xbpf_read_user((void *)(uintptr_t)r1, (u32)r2, r3);
	return (u64)xbpf_read_kernel((void *)(uintptr_t)r1, (u32)r2, r3);
}

/* ---------------------------------------------------------------------
 * bpf_trace_printk(fmt, fmt_size, a1, a2, a3).
 *
 * The format is checked as 6.1's bpf_bprintf_prepare does: NUL-terminated
 * within fmt_size, printable ASCII and whitespace only, at most three
 * conversions among %d %i %u %x %X (with l or ll), %c, %s, %p, %pK, %px,
 * each with optional [0 +-] flags and a width, and %%; anything else is
 * -EINVAL and nothing is printed.  Each conversion is handed to the
 * kernel's snprintf on its own, with an argument of the type it names.
 */
#define XBPF_PRINTK_OUT		512
#define XBPF_PRINTK_STR		128
#define XBPF_PRINTK_NEST	3	/* task, irq, nmi */

struct xbpf_printk_buf {
	char	out[XBPF_PRINTK_OUT];
	char	line[XBPF_PRINTK_OUT + 64];
	char	str[XBPF_PRINTK_STR];
};

struct xbpf_printk_cpu {
	int			nest;
	struct xbpf_printk_buf	buf[XBPF_PRINTK_NEST];
};

static struct xbpf_printk_cpu __percpu *xbpf_printk_cpu;

/* One conversion, from fmt[*pos] (just after the '%'), appended to b->out. */
static int xbpf_printk_conv(struct xbpf_printk_buf *b, u32 *olen, const char *fmt,
			    u32 *pos, u64 arg)
{
	char spec[16], kind;
	u32 start = *pos - 1, i = *pos, len = 0, room = XBPF_PRINTK_OUT - *olen;
	int n;

	while (fmt[i] == '0' || fmt[i] == '+' || fmt[i] == '-' || fmt[i] == ' ')
		i++;
	while (isdigit(fmt[i]))
		i++;
	kind = fmt[i];
	if (kind == 'c' || kind == 's') {
		i++;
	} else if (kind == 'p') {
		i++;
		if (fmt[i] == 'K' || fmt[i] == 'x')
			i++;
		else if (isalnum(fmt[i]))
			return -EINVAL;	/* %pB, %pI4, %pks...: not offered */
	} else {
		while (fmt[i] == 'l' && len < 2) {
			len++;
			i++;
		}
		if (!fmt[i] || !strchr("diuxX", fmt[i]))
			return -EINVAL;
		kind = fmt[i++];
	}
	if (i - start >= sizeof(spec))
		return -EINVAL;
	memcpy(spec, fmt + start, i - start);
	spec[i - start] = '\0';
	*pos = i;

	switch (kind) {
	case 'c':
		n = snprintf(b->out + *olen, room, spec, (char)arg);
		break;
	case 's':
		/* x86: user and kernel addresses do not overlap */
		if (xbpf_read_str(b->str, sizeof(b->str), arg, arg < TASK_SIZE) < 0)
			b->str[0] = '\0';
		n = snprintf(b->out + *olen, room, spec, b->str);
		break;
	case 'p':
		n = snprintf(b->out + *olen, room, spec, (void *)(uintptr_t)arg);
		break;
	default:
		if (len)
			n = snprintf(b->out + *olen, room, spec, arg);
		else if (kind == 'd' || kind == 'i')
			n = snprintf(b->out + *olen, room, spec, (int)arg);
		else
			n = snprintf(b->out + *olen, room, spec, (unsigned int)arg);
		break;
	}
	*olen += min_t(u32, n, room - 1);
	return 0;
}

static long xbpf_printk_format(struct xbpf_printk_buf *b, const char *fmt, u32 size,
			       const u64 *args)
{
	u32 i = 0, olen = 0, nargs = 0;
	int err;

	if (!size || !memchr(fmt, '\0', size))
		return -EINVAL;
	while (fmt[i]) {
		char c = fmt[i];

		if (!isascii(c) || (!isprint(c) && !isspace(c)))
			return -EINVAL;
		if (c != '%') {
			if (olen < XBPF_PRINTK_OUT - 1)
				b->out[olen++] = c;
			i++;
			continue;
		}
		if (fmt[i + 1] == '%') {
			if (olen < XBPF_PRINTK_OUT - 1)
				b->out[olen++] = '%';
			i += 2;
			continue;
		}
		if (nargs == 3)
			return -EINVAL;
		i++;
		err = xbpf_printk_conv(b, &olen, fmt, &i, args[nargs++]);
		if (err)
			return err;
	}
	b->out[olen] = '\0';
	return olen;
}

static u64 xbpf_h_trace_printk(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	const u64 args[3] = { r3, r4, r5 };
	struct xbpf_printk_cpu *pc;
	struct xbpf_printk_buf *b;
	long len;
	int line;
	u64 ts;

	/* the per-CPU buffers: no preemption, one level per context */
	preempt_disable();
	pc = this_cpu_ptr(xbpf_printk_cpu);
	if (pc->nest >= XBPF_PRINTK_NEST) {
		preempt_enable();
		return (u64)-EBUSY;
	}
	b = &pc->buf[pc->nest++];
	barrier();
	len = xbpf_printk_format(b, (const char *)(uintptr_t)r1, (u32)r2, args);
	if (len >= 0) {
		/* the line ends once: a format's own last newline is that end */
		if (len && b->out[len - 1] == '\n')
			b->out[len - 1] = '\0';
		ts = ktime_get_mono_fast_ns();
		line = scnprintf(b->line, sizeof(b->line),
				 "%16s-%-7d [%03u] %5llu.%06llu: bpf_trace_printk: %s\n",
				 current->comm, task_pid_nr(current), raw_smp_processor_id(),
				 ts / NSEC_PER_SEC, (ts % NSEC_PER_SEC) / NSEC_PER_USEC,
				 b->out);
		/* a cut line still ends the line */
		if (line && b->line[line - 1] != '\n')
			b->line[line - 1] = '\n';
		xbpf_trace_pipe_write(b->line, line);
	}
	barrier();
	pc->nest--;
	preempt_enable();
	return (u64)len;
}

#define XBPF_TPROTO(_id, _fn, _gpl, ...)				\
	{ .id = XBPF_FUNC_##_id, .name = #_id, .fn = (_fn),		\
	  .ret = XBPF_RET_INTEGER, .gpl_only = (_gpl), .arg = { __VA_ARGS__ } }

#define XBPF_READ_ARGS	XBPF_ARG_PTR_TO_UNINIT_MEM, XBPF_ARG_CONST_SIZE_OR_ZERO, \
			XBPF_ARG_ANYTHING

static const struct xbpf_helper_proto xbpf_trace_protos[] = {
	XBPF_TPROTO(get_current_pid_tgid, xbpf_h_get_current_pid_tgid, false),
	XBPF_TPROTO(get_current_uid_gid, xbpf_h_get_current_uid_gid, false),
	XBPF_TPROTO(get_current_comm, xbpf_h_get_current_comm, false,
		    XBPF_ARG_PTR_TO_UNINIT_MEM, XBPF_ARG_CONST_SIZE),
	XBPF_TPROTO(get_current_task, xbpf_h_get_current_task, true),
	XBPF_TPROTO(probe_read_user, xbpf_h_probe_read_user, true, XBPF_READ_ARGS),
	XBPF_TPROTO(probe_read_user_str, xbpf_h_probe_read_user_str, true, XBPF_READ_ARGS),
	/* r3-r5 are not checked: a format with fewer conversions leaves them unset */
	XBPF_TPROTO(trace_printk, xbpf_h_trace_printk, true,
		    XBPF_ARG_PTR_TO_MEM, XBPF_ARG_CONST_SIZE),
};

/* Withheld under lockdown (LOCKDOWN_BPF_READ_KERNEL). */
static const struct xbpf_helper_proto xbpf_kread_protos[] = {
	XBPF_TPROTO(probe_read_kernel, xbpf_h_probe_read_kernel, true, XBPF_READ_ARGS),
	XBPF_TPROTO(probe_read_kernel_str, xbpf_h_probe_read_kernel_str, true, XBPF_READ_ARGS),
	XBPF_TPROTO(probe_read, xbpf_h_probe_read, true, XBPF_READ_ARGS),
};

static bool xbpf_kread_registered;

int xbpf_trace_helpers_init(void)
{
	int err;

	xbpf_printk_cpu = alloc_percpu(struct xbpf_printk_cpu);
	if (!xbpf_printk_cpu)
		return -ENOMEM;
	err = xbpf_helper_register(xbpf_trace_protos, ARRAY_SIZE(xbpf_trace_protos));
	if (err) {
		free_percpu(xbpf_printk_cpu);
		return err;
	}
	if (security_locked_down(LOCKDOWN_BPF_READ_KERNEL) < 0) {
		pr_info("xbpf: kernel locked down: probe_read_kernel not offered\n");
		return 0;
	}
	err = xbpf_helper_register(xbpf_kread_protos, ARRAY_SIZE(xbpf_kread_protos));
	if (err) {
		xbpf_helper_unregister(xbpf_trace_protos, ARRAY_SIZE(xbpf_trace_protos));
		free_percpu(xbpf_printk_cpu);
		return err;
	}
	xbpf_kread_registered = true;
	return 0;
}

void xbpf_trace_helpers_exit(void)
{
	if (xbpf_kread_registered)
		xbpf_helper_unregister(xbpf_kread_protos, ARRAY_SIZE(xbpf_kread_protos));
	xbpf_helper_unregister(xbpf_trace_protos, ARRAY_SIZE(xbpf_trace_protos));
	free_percpu(xbpf_printk_cpu);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_trace_printk's output: /proc/xbpf/trace_pipe.
 *
 * One global byte ring of whole lines.  Writers are programs, in any
 * context a kprobe can fire in: they never wait.  A line that does not
 * fit is dropped and counted (the count is reported in the stream as a
 * "lost N lines" line once there is room again).  In NMI context the lock
 * is only tried, since the interrupted code may hold it.
 *
 * Readers consume, like tracefs' trace_pipe: read() blocks until there is
 * something (or returns -EAGAIN with O_NONBLOCK) and returns whole lines
 * when the buffer allows; poll() reports readable.  The reader is woken
 * through irq_work: a program may run where a direct wake_up could
 * deadlock (inside the scheduler, with its locks held).
 */
#include <linux/irq_work.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include "xbpf_mod.h"

#define XBPF_TRACE_RING_SIZE	(64U * 1024)	/* a power of two */
#define XBPF_TRACE_READ_MAX	PAGE_SIZE

struct xbpf_trace_ring {
	raw_spinlock_t	lock;
	u32		head;		/* free-running: next byte written */
	u32		tail;		/* free-running: next byte read */
	u64		lost;		/* lines dropped since the last report */
	char		*buf;
};

static struct xbpf_trace_ring xbpf_trace_ring = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(xbpf_trace_ring.lock),
};
static DECLARE_WAIT_QUEUE_HEAD(xbpf_trace_wq);
static struct proc_dir_entry *xbpf_proc_dir;
/* Module exit: blocked readers return end of file, so the removal can end. */
static bool xbpf_trace_dying;

static void xbpf_trace_wake(struct irq_work *work)
{
	wake_up_interruptible(&xbpf_trace_wq);
}

static DEFINE_IRQ_WORK(xbpf_trace_irq_work, xbpf_trace_wake);

static u32 xbpf_trace_used(const struct xbpf_trace_ring *r)
{
	return r->head - r->tail;
}

static void xbpf_trace_copy_in(struct xbpf_trace_ring *r, const char *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		r->buf[(r->head + i) & (XBPF_TRACE_RING_SIZE - 1)] = s[i];
	r->head += len;
}

void xbpf_trace_pipe_write(const char *line, u32 len)
{
	struct xbpf_trace_ring *r = &xbpf_trace_ring;
	unsigned long flags;
	char note[40];
	u32 nlen = 0;

	if (!r->buf || !len)
		return;
	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&r->lock, flags))
			return;	/* not even counted: the counter is the lock's */
	} else {
		raw_spin_lock_irqsave(&r->lock, flags);
	}
	if (r->lost)
		nlen = scnprintf(note, sizeof(note), "xbpf: lost %llu lines\n", r->lost);
	if (xbpf_trace_used(r) + nlen + len > XBPF_TRACE_RING_SIZE) {
		r->lost++;
	} else {
		if (nlen) {
			xbpf_trace_copy_in(r, note, nlen);
			r->lost = 0;
		}
		xbpf_trace_copy_in(r, line, len);
	}
	raw_spin_unlock_irqrestore(&r->lock, flags);
	irq_work_queue(&xbpf_trace_irq_work);
}

/* Takes up to max bytes out, ending at a line end when one is in range. */
static u32 xbpf_trace_take(char *dst, u32 max)
{
	struct xbpf_trace_ring *r = &xbpf_trace_ring;
	unsigned long flags;
	u32 n, i, cut;

	/*
	 * A kprobe program on code this reader runs with the lock held
	 * would take it again in trace_printk: none runs on this CPU now.
	 */
	xbpf_trace_disable();
	raw_spin_lock_irqsave(&r->lock, flags);
	n = min(max, xbpf_trace_used(r));
	for (i = 0; i < n; i++)
		dst[i] = r->buf[(r->tail + i) & (XBPF_TRACE_RING_SIZE - 1)];
	cut = n;
	while (cut && dst[cut - 1] != '\n')
		cut--;
	if (!cut)	/* a line longer than max: hand out the part */
		cut = n;
	r->tail += cut;
	raw_spin_unlock_irqrestore(&r->lock, flags);
	xbpf_trace_enable();
	return cut;
}

static bool xbpf_trace_empty(void)
{
	return !xbpf_trace_used(&xbpf_trace_ring);
}

static ssize_t xbpf_trace_read(struct file *file, char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	char *kbuf;
	u32 n;
	int err;

	if (!count)
		return 0;
	kbuf = kmalloc(XBPF_TRACE_READ_MAX, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	for (;;) {
		n = xbpf_trace_take(kbuf, min_t(size_t, count, XBPF_TRACE_READ_MAX));
		if (n)
			break;
		if (file->f_flags & O_NONBLOCK) {
			kfree(kbuf);
			return -EAGAIN;
		}
		err = wait_event_interruptible(xbpf_trace_wq, !xbpf_trace_empty() ||
					       READ_ONCE(xbpf_trace_dying));
		if (err || READ_ONCE(xbpf_trace_dying)) {
			kfree(kbuf);
			return err;
		}
	}
	if (copy_to_user(ubuf, kbuf, n)) {
		kfree(kbuf);
		return -EFAULT;	/* the lines are gone, as a failed read of a pipe */
	}
	kfree(kbuf);
	return n;
}

static __poll_t xbpf_trace_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &xbpf_trace_wq, wait);
	return xbpf_trace_empty() ? 0 : EPOLLIN | EPOLLRDNORM;
}

static const struct proc_ops xbpf_trace_pops = {
	.proc_read	= xbpf_trace_read,
	.proc_poll	= xbpf_trace_poll,
	.proc_lseek	= noop_llseek,
};

int xbpf_trace_pipe_init(void)
{
	xbpf_trace_ring.buf = vzalloc(XBPF_TRACE_RING_SIZE);
	if (!xbpf_trace_ring.buf)
		return -ENOMEM;
	xbpf_proc_dir = proc_mkdir("xbpf", NULL);
	if (!xbpf_proc_dir ||
	    !proc_create("trace_pipe", 0400, xbpf_proc_dir, &xbpf_trace_pops)) {
		proc_remove(xbpf_proc_dir);
		vfree(xbpf_trace_ring.buf);
		xbpf_trace_ring.buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* After every program that could write is gone (no link, no fd). */
void xbpf_trace_pipe_exit(void)
{
	/* proc_remove() waits for every read in progress to return */
	WRITE_ONCE(xbpf_trace_dying, true);
	wake_up_all(&xbpf_trace_wq);
	proc_remove(xbpf_proc_dir);
	irq_work_sync(&xbpf_trace_irq_work);
	vfree(xbpf_trace_ring.buf);
	xbpf_trace_ring.buf = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The ring buffer's kernel-only half (the module; the host build has
 * ringbuf_user.c): the pages and their double vmap, the map fd's mmap and
 * poll, and consumer wakeups through an irq_work to a wait queue.
 *
 * Lifetime: a mapping holds the map's file (vma->vm_file), so the fd's
 * release, and with it the last reference, comes only after the last
 * munmap; the pages go with the map.  The final free runs in an RCU
 * callback, where vunmap() may not be called: it is deferred to our own
 * workqueue, which module exit destroys (and so drains) after the RCU
 * callbacks are done.
 */
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "ringbuf.h"

struct xbpf_ringbuf_kern {
	wait_queue_head_t	waitq;
	struct irq_work		work;
	struct work_struct	free_work;
	struct xbpf_ringbuf	*rb;
	/* meta pages, data pages, the data pages again: what vmap maps */
	struct page		**pages;
	u32			nr_pages;	/* distinct pages allocated */
};

static struct workqueue_struct *xbpf_ringbuf_wq;

/* irq_work: any context may queue it, even NMI; the wakeup runs in hard irq. */
static void xbpf_ringbuf_wake(struct irq_work *work)
{
	struct xbpf_ringbuf_kern *k = container_of(work, struct xbpf_ringbuf_kern, work);

	wake_up_all(&k->waitq);
}

static void xbpf_ringbuf_free_pages(struct page **pages, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		__free_page(pages[i]);
	kvfree(pages);
}

int xbpf_ringbuf_plat_alloc(struct xbpf_ringbuf *rb, u32 nr_data_pages)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN |
			  __GFP_ZERO;
	u32 nr_meta = XBPF_RINGBUF_META_PAGES;
	u32 nr_pages = nr_meta + nr_data_pages;
	struct xbpf_ringbuf_kern *k;
	struct page **pages;
	void *area;
	u32 i;

	/* More than the machine has can only fail, after evicting everything. */
	if (nr_pages > totalram_pages())
		return -ENOMEM;

	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!k)
		return -ENOMEM;
	pages = kvcalloc(nr_meta + 2 * (size_t)nr_data_pages, sizeof(*pages),
			 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		goto err_k;
	for (i = 0; i < nr_pages; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i]) {
			xbpf_ringbuf_free_pages(pages, i);
			goto err_k;
		}
		/* each data page again, N entries further on */
		if (i >= nr_meta)
			pages[nr_data_pages + i] = pages[i];
	}
	/* VM_USERMAP: remap_vmalloc_range() maps only areas marked so. */
	area = vmap(pages, nr_meta + 2 * nr_data_pages, VM_MAP | VM_USERMAP, PAGE_KERNEL);
	if (!area) {
		xbpf_ringbuf_free_pages(pages, nr_pages);
		goto err_k;
	}

	init_waitqueue_head(&k->waitq);
	init_irq_work(&k->work, xbpf_ringbuf_wake);
	k->rb = rb;
	k->pages = pages;
	k->nr_pages = nr_pages;
	rb->area = area;
	rb->plat = k;
	return 0;

err_k:
	kfree(k);
	return -ENOMEM;
}

static void xbpf_ringbuf_free_work(struct work_struct *work)
{
	struct xbpf_ringbuf_kern *k = container_of(work, struct xbpf_ringbuf_kern, free_work);

	/* No producer is left (no program, no reference); a wakeup may still be queued. */
	irq_work_sync(&k->work);
	vunmap(k->rb->area);
	xbpf_ringbuf_free_pages(k->pages, k->nr_pages);
	kfree(k->rb);
	kfree(k);
}

void xbpf_ringbuf_plat_free(struct xbpf_ringbuf *rb)
{
	struct xbpf_ringbuf_kern *k = rb->plat;

	INIT_WORK(&k->free_work, xbpf_ringbuf_free_work);
	queue_work(xbpf_ringbuf_wq, &k->free_work);
}

void xbpf_ringbuf_plat_notify(struct xbpf_ringbuf *rb)
{
	struct xbpf_ringbuf_kern *k = rb->plat;

	irq_work_queue(&k->work);
}

/*
 * The map fd's mmap, after the generic checks in module/map_fd.c (shared
 * mapping; VM_MAYWRITE already cleared for a read-only one).  Linux's
 * rules: only the consumer page, alone, may be mapped writable (-EPERM
 * otherwise); anything else is read-only for good.  remap_vmalloc_range()
 * refuses a range past the end of the area and marks the mapping
 * VM_DONTEXPAND, so mremap cannot grow it either.
 */
int xbpf_ringbuf_mmap(struct xbpf_map *map, struct vm_area_struct *vma)
{
	struct xbpf_ringbuf *rb = xbpf_ringbuf_of(map);

	if (vma->vm_flags & VM_WRITE) {
		if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start != PAGE_SIZE)
			return -EPERM;
	} else {
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	return remap_vmalloc_range(vma, rb->area, vma->vm_pgoff + XBPF_RINGBUF_PGOFF);
}

/*
 * Readable while anything is unconsumed, records still busy included:
 * that is what keeps a consumer that stopped at a busy record from
 * missing its commit (ordering (C) in ringbuf.c).
 */
__poll_t xbpf_ringbuf_poll(struct xbpf_map *map, struct file *file,
			   struct poll_table_struct *pts)
{
	struct xbpf_ringbuf *rb = xbpf_ringbuf_of(map);
	struct xbpf_ringbuf_kern *k = rb->plat;

	poll_wait(file, &k->waitq, pts);
	if (xbpf_ringbuf_avail(rb))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

int xbpf_ringbuf_init(void)
{
	xbpf_ringbuf_wq = alloc_workqueue("xbpf_ringbuf", WQ_UNBOUND, 0);
	return xbpf_ringbuf_wq ? 0 : -ENOMEM;
}

/* After rcu_barrier(): every final free has queued its work by now. */
void xbpf_ringbuf_exit(void)
{
	destroy_workqueue(xbpf_ringbuf_wq);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * One ring, seen from user space: the mappings and the consume loop.
 *
 * Memory ordering.  Each access below pairs with one barrier of the
 * producer side in ringbuf/ringbuf.c, whose comment labels them (A)..(E):
 *
 *  - acquire load of *producer_pos pairs with (A), the release store of
 *    producer_pos in xbpf_ringbuf_reserve(): seeing a position, we see
 *    the busy headers written below it, never an older record's bytes;
 *  - acquire load of each header's len pairs with (B), the exchange in
 *    xbpf_ringbuf_commit(): seeing the busy bit clear, we see the bytes
 *    the program stored into the record before committing it;
 *  - release store of *consumer_pos, after the callback returned, pairs
 *    with (D), the acquire load of consumer_pos in reserve: the producer
 *    reuses a record's bytes only after we are done reading them; and
 *    with (C), commit's load of consumer_pos that decides the wakeup.
 *
 * Robustness: every read is at data + (pos & mask), a header (8 bytes,
 * inside the first copy plus 8) or a record no longer than the data
 * area, which the second copy of the data makes contiguous.  A length
 * that breaks this, or positions that cannot be, stop the loop with
 * -EBADMSG before anything out of place is read.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/xbpf.h>

#include "ring.h"

int xbpf_rb_ring_map(struct xbpf_rb_ring *r, int map_fd, unsigned long data_size)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *cons, *ro;

	if (pg <= 0 || !data_size || (data_size & (data_size - 1)) ||
	    data_size % (unsigned long)pg)
		return -EINVAL;
	r->page_size = (size_t)pg;
	/* the consumer page: the only thing we write */
	cons = mmap(NULL, r->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (cons == MAP_FAILED)
		return -errno;
	/* the producer page, then the data twice */
	r->ro_len = r->page_size + 2 * data_size;
	ro = mmap(NULL, r->ro_len, PROT_READ, MAP_SHARED, map_fd, (off_t)r->page_size);
	if (ro == MAP_FAILED) {
		int err = -errno;

		munmap(cons, r->page_size);
		return err;
	}
	r->consumer_pos = cons;
	r->producer_pos = ro;
	r->data = (const unsigned char *)ro + r->page_size;
	r->mask = data_size - 1;
	return 0;
}

void xbpf_rb_ring_unmap(struct xbpf_rb_ring *r)
{
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page_size);
	if (r->producer_pos)
		munmap((void *)r->producer_pos, r->ro_len);
	r->consumer_pos = NULL;
	r->producer_pos = NULL;
}

/* Header and data, padded to 8: a record's footprint in the ring. */
static unsigned long xbpf_rb_rec_len(unsigned long size)
{
	return (size + XBPF_RINGBUF_HDR_SZ + 7) & ~7UL;
}

int xbpf_rb_ring_consume(struct xbpf_rb_ring *r, int *handed)
{
	/* only we write it: a plain load of our own last store */
	unsigned long cons = __atomic_load_n(r->consumer_pos, __ATOMIC_RELAXED);
	unsigned long prod;
	int n = 0, ret = 0;

	for (;;) {
		prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		if (cons == prod)
			break;
		/*
		 * The producer keeps prod - cons below the data size; a header
		 * is 8-aligned.  Anything else means our position was
		 * overwritten: stop rather than read garbage as lengths.
		 */
		if (prod - cons > r->mask || (cons & 7)) {
			ret = -EBADMSG;
			break;
		}
		while (cons != prod) {
			const __u32 *hdr = (const __u32 *)(r->data + (cons & r->mask));
			__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			unsigned long size, step;
			int cb_ret = 0;

			/* reserved, not committed yet: everything after waits for it */
			if (len & XBPF_RINGBUF_BUSY_BIT)
				goto out;
			size = len & ~(__u32)XBPF_RINGBUF_DISCARD_BIT;
			step = xbpf_rb_rec_len(size);
			if (step > prod - cons) {
				ret = -EBADMSG;
				goto out;
			}
			if (!(len & XBPF_RINGBUF_DISCARD_BIT)) {
				if (r->cb)
					cb_ret = r->cb(r->ctx, hdr + 2, size);
				n++;
			}
			cons += step;
			/* after the callback is done with the bytes: see the top */
			__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
			if (cb_ret) {
				ret = cb_ret;
				goto out;
			}
			if (n == INT_MAX)
				goto out;
		}
	}
out:
	*handed = n;
	return ret;
}

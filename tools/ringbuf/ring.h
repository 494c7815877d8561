/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One mapped ring (ring.c), internal to libxbpf_ringbuf: consumer.c keeps
 * an array of these.
 */
#ifndef _XBPF_RINGBUF_RING_H
#define _XBPF_RINGBUF_RING_H

#include <stddef.h>
#include "xbpf_ringbuf.h"

struct xbpf_rb_ring {
	xbpf_ringbuf_cb		cb;
	void			*ctx;
	unsigned long		*consumer_pos;	/* page 0 of the mmap: rw, ours */
	const unsigned long	*producer_pos;	/* next page: ro */
	const unsigned char	*data;		/* data_size bytes, then the same again */
	unsigned long		mask;		/* data_size - 1 */
	size_t			page_size;
	size_t			ro_len;		/* producer page + two copies of the data */
};

/*
 * Maps the ring of map_fd, whose data area is data_size bytes (a power of
 * two, a multiple of the page size).  0 or -errno.
 */
int xbpf_rb_ring_map(struct xbpf_rb_ring *r, int map_fd, unsigned long data_size);
void xbpf_rb_ring_unmap(struct xbpf_rb_ring *r);

/*
 * Hands on the ring's committed records up to the first busy one, and
 * stores in *handed how many.  Returns 0 when it stopped at a busy
 * record or the producer position, the callback's non-zero return when
 * that stopped it, or -EBADMSG if a length or position cannot be right
 * (nothing past it is read; the ring stays stuck there).
 */
int xbpf_rb_ring_consume(struct xbpf_rb_ring *r, int *handed);

#endif /* _XBPF_RINGBUF_RING_H */

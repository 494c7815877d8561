/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF_MAP_TYPE_RINGBUF: one multi-producer, single-consumer ring shared by
 * every CPU, laid out exactly as Linux 6.1 lays it out so that a consumer
 * written for Linux (libbpf's ring_buffer__poll) reads it unchanged.
 *
 * Two halves:
 *   ringbuf.c       the algorithm (reserve, commit, query, the helpers, the
 *                   map ops): core code, built in the module and on the host;
 *   ringbuf_kern.c  module only: the pages and their double vmap, mmap,
 *                   poll, the irq_work and the wait queue;
 *   ringbuf_user.c  host only: the same area built with a memfd mapped
 *                   twice, and a wakeup counter for the unit tests.
 *
 * The shared area, one virtually contiguous range (N data pages):
 *
 *   page:  0          1           2           3 .. 3+N-1     3+N .. 3+2N-1
 *        +----------+-----------+-----------+--------------+--------------+
 *        | private  | consumer  | producer  |  data pages  |  the same    |
 *        | (back-   | pos (u64) | pos, then |  1 2 .. N    |  pages again |
 *        |  pointer)| user: rw  | pending   |  user: ro    |  user: ro    |
 *        +----------+-----------+-----------+--------------+--------------+
 *   mmap offset:    0           1 page      2 pages        2+N pages
 *
 * Page 0 is never mapped to user space (mmap offset 0 is page 1, as in
 * Linux, whose page 0 holds its struct bpf_ringbuf); it holds a pointer to
 * our struct xbpf_ringbuf.  Mapping the data twice makes a record that
 * wraps past the end contiguous, for producers and consumer alike.
 *
 * A record: an 8-byte header, then the data, padded to 8 bytes:
 *
 *   | u32 len | u32 pg_off | data (len & ~flags bytes) | pad |
 *
 * len carries XBPF_RINGBUF_BUSY_BIT while the record is reserved and
 * XBPF_RINGBUF_DISCARD_BIT when it was discarded; pg_off is the header's
 * distance in pages from page 0, from which commit finds the ring again.
 */
#ifndef _XBPF_RINGBUF_H
#define _XBPF_RINGBUF_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

/* Pages before the consumer page (Linux's RINGBUF_PGOFF) and the two position pages. */
#define XBPF_RINGBUF_PGOFF	1
#define XBPF_RINGBUF_POS_PAGES	2
#define XBPF_RINGBUF_META_PAGES	(XBPF_RINGBUF_PGOFF + XBPF_RINGBUF_POS_PAGES)

/* Largest record, as Linux: the length must leave the two flag bits free. */
#define XBPF_RINGBUF_MAX_RECORD_SZ	(U32_MAX / 4)
/*
 * Largest data area (Linux's RINGBUF_MAX_DATA_SZ): pg_off counts pages in
 * 24 bits, leaving 8 for later use.  max_entries is a u32, so it can
 * never exceed this (ringbuf.c asserts it at build time).
 */
#define XBPF_RINGBUF_MAX_DATA_SZ					\
	(((1ULL << 24) - XBPF_RINGBUF_META_PAGES) * XBPF_PAGE_SIZE)

struct xbpf_ringbuf_hdr {
	u32	len;
	u32	pg_off;
};

struct xbpf_ringbuf {
	struct xbpf_map	map;
	/* Serialises reservations: producer_pos and pending_pos change under it. */
	xbpf_lock_t	lock;
	unsigned long	mask;		/* data size - 1 */
	u8		*area;		/* page 0 of the shared area */
	unsigned long	*consumer_pos;	/* written by the consumer: never trusted */
	unsigned long	*producer_pos;	/* end of the last reservation */
	/* Oldest record possibly still busy: nothing may be reserved over it. */
	unsigned long	*pending_pos;
	u8		*data;		/* N pages, then the same N pages */
	void		*plat;		/* the platform half's state */
};

static inline struct xbpf_ringbuf *xbpf_ringbuf_of(const struct xbpf_map *map)
{
	return container_of(map, struct xbpf_ringbuf, map);
}

extern const struct xbpf_map_ops xbpf_ringbuf_map_ops;

/* The algorithm, also called directly by the unit tests. */
void *xbpf_ringbuf_reserve(struct xbpf_ringbuf *rb, u64 size);
void xbpf_ringbuf_commit(void *sample, u64 flags, bool discard);
int xbpf_ringbuf_output(struct xbpf_ringbuf *rb, const void *data, u64 size, u64 flags);
u64 xbpf_ringbuf_query(struct xbpf_ringbuf *rb, u64 flags);
/* producer_pos - consumer_pos: what the consumer has not consumed yet. */
unsigned long xbpf_ringbuf_avail(struct xbpf_ringbuf *rb);

/* The helpers' protos (130..134), or NULL for another id. */
const struct xbpf_helper_proto *xbpf_ringbuf_helper_proto(u32 id);
bool xbpf_ringbuf_helper_id(u32 id);

/*
 * The platform half.  plat_alloc builds the area for nr_data_pages data
 * pages (zeroed; page 0 onwards mapped as drawn above) and sets rb->area
 * and rb->plat; -ENOMEM on failure.  plat_free undoes it (any context:
 * the module defers what needs process context).  plat_notify wakes the
 * consumer from any context, NMI included.
 */
int xbpf_ringbuf_plat_alloc(struct xbpf_ringbuf *rb, u32 nr_data_pages);
void xbpf_ringbuf_plat_free(struct xbpf_ringbuf *rb);
void xbpf_ringbuf_plat_notify(struct xbpf_ringbuf *rb);

#ifdef __KERNEL__
struct vm_area_struct;
struct file;
struct poll_table_struct;

/* ringbuf_kern.c: the map fd's mmap and poll, module init and exit. */
int xbpf_ringbuf_mmap(struct xbpf_map *map, struct vm_area_struct *vma);
__poll_t xbpf_ringbuf_poll(struct xbpf_map *map, struct file *file,
			   struct poll_table_struct *pts);
int xbpf_ringbuf_init(void);
void xbpf_ringbuf_exit(void);
#else
/* ringbuf_user.c: how many wakeups commits asked for (unit tests). */
u64 xbpf_ringbuf_user_wakeups(const struct xbpf_map *map);
#endif

#endif /* _XBPF_RINGBUF_H */

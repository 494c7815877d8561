// SPDX-License-Identifier: GPL-2.0
/*
 * The ring buffer algorithm (layout and halves: ringbuf.h).
 *
 * Producers are BPF programs on any CPU, in any context; the consumer is
 * user space, which maps the area and advances consumer_pos.  Positions
 * are free-running byte counters (unsigned long, as Linux); a position's
 * place in the data is pos & mask.
 *
 * Reservation takes rb->lock (a raw spinlock; only tried in NMI, where a
 * failed try fails the reservation), checks for room, writes the header
 * with the busy bit and publishes the new producer position.  Commit and
 * discard take no lock: they flip the header's bits in one exchange.
 * Records therefore become visible in reservation order: a consumer reads
 * headers in position order and stops at the first busy one, even when
 * later records were committed before it.
 *
 * Memory ordering (each barrier and its partner):
 *
 *  (A) reserve: header stores, then smp_store_release(producer_pos).
 *      Pairs with the consumer's smp_load_acquire(producer_pos): a
 *      consumer that sees the new position sees the busy header, never
 *      the stale bytes of an older record.
 *  (B) commit: xbpf_xchg(&hdr->len) (fully ordered) after the program's
 *      stores into the record.  Pairs with the consumer's
 *      smp_load_acquire(&hdr->len): seeing the busy bit clear, it sees
 *      the whole record.
 *  (C) commit: the same exchange orders the header store before the
 *      smp_load_acquire(consumer_pos) that decides the wakeup.  The
 *      consumer stores consumer_pos with smp_store_release before it
 *      sleeps, and poll (ringbuf_kern.c) reports data while
 *      producer_pos != consumer_pos, busy records included.  So either
 *      the producer sees the consumer at its record and wakes it, or the
 *      consumer had not yet stopped at this record, and its next poll
 *      finds data: no wakeup is lost.
 *  (D) reserve: smp_load_acquire(consumer_pos).  Pairs with the
 *      consumer's smp_store_release(consumer_pos), issued after it read
 *      the records below that position: their bytes are reused only
 *      once the consumer is done with them.
 *  (E) producer_pos and pending_pos change only under rb->lock, whose
 *      acquire/release orders producers among themselves.
 *
 * Hostile consumers: consumer_pos is the only thing user space can write.
 * It only ever enters the room check and the wakeup test; the record's
 * place comes from producer_pos & mask and its length is at most the data
 * size, so with the data mapped twice every store stays inside the area
 * whatever the consumer writes.  A garbage position makes reservations
 * fail (or lets the consumer lose its own data), nothing more.
 */
#include "ringbuf.h"
#include "../core/ringbuf_protos.h"

/* ---- the map ---------------------------------------------------------- */

static bool xbpf_is_power_of_2(u32 n)
{
	return n && !(n & (n - 1));
}

/* Linux's rules, in its order; every other flag is -EINVAL. */
static struct xbpf_map *xbpf_ringbuf_alloc(const struct xbpf_map_params *p, int *err)
{
	struct xbpf_ringbuf *rb;

	*err = -EINVAL;
	if (p->map_flags & ~XBPF_F_NUMA_NODE)
		return NULL;
	if (p->key_size || p->value_size || !xbpf_is_power_of_2(p->max_entries) ||
	    !IS_ALIGNED(p->max_entries, XBPF_PAGE_SIZE))
		return NULL;
	/*
	 * Linux's -E2BIG above RINGBUF_MAX_DATA_SZ cannot apply: max_entries
	 * is a u32, always below it.  Kept as a build-time fact.
	 */
	BUILD_BUG_ON((u64)U32_MAX > XBPF_RINGBUF_MAX_DATA_SZ);

	*err = -ENOMEM;
	rb = xbpf_kzalloc(sizeof(*rb));
	if (!rb)
		return NULL;
	xbpf_lock_init(&rb->lock);
	rb->mask = p->max_entries - 1;
	*err = xbpf_ringbuf_plat_alloc(rb, p->max_entries >> XBPF_PAGE_SHIFT);
	if (*err) {
		xbpf_kfree(rb);
		return NULL;
	}
	/* The area comes zeroed: every position starts at 0. */
	rb->consumer_pos = (unsigned long *)(rb->area + XBPF_RINGBUF_PGOFF * XBPF_PAGE_SIZE);
	rb->producer_pos = (unsigned long *)(rb->area + (XBPF_RINGBUF_PGOFF + 1) * XBPF_PAGE_SIZE);
	rb->pending_pos = rb->producer_pos + 1;
	rb->data = rb->area + XBPF_RINGBUF_META_PAGES * XBPF_PAGE_SIZE;
	/* Commit finds the ring from a record through page 0 (see pg_off). */
	*(struct xbpf_ringbuf **)rb->area = rb;
	return &rb->map;
}

static void xbpf_ringbuf_free(struct xbpf_map *map)
{
	/* The platform half frees rb too, possibly later (process context). */
	xbpf_ringbuf_plat_free(xbpf_ringbuf_of(map));
}

/* No elements: the syscall side gets Linux's -ENOTSUPP (no lookup op at all). */
static int xbpf_ringbuf_update(struct xbpf_map *map, const void *key,
			       const void *value, u64 flags)
{
	return -ENOTSUPP;
}

static int xbpf_ringbuf_delete(struct xbpf_map *map, const void *key)
{
	return -ENOTSUPP;
}

static int xbpf_ringbuf_get_next_key(struct xbpf_map *map, const void *key, void *next_key)
{
	return -ENOTSUPP;
}

const struct xbpf_map_ops xbpf_ringbuf_map_ops = {
	.alloc		= xbpf_ringbuf_alloc,
	.free		= xbpf_ringbuf_free,
	.update		= xbpf_ringbuf_update,
	.delete		= xbpf_ringbuf_delete,
	.get_next_key	= xbpf_ringbuf_get_next_key,
};

/* ---- reserve, commit, query ------------------------------------------- */

static u32 xbpf_ringbuf_size(const struct xbpf_ringbuf *rb)
{
	return (u32)(rb->mask + 1);
}

/* Header plus data, padded: what a record of size bytes takes in the ring. */
static u32 xbpf_ringbuf_rec_len(u32 size)
{
	return ALIGN(size + XBPF_RINGBUF_HDR_SZ, 8);
}

unsigned long xbpf_ringbuf_avail(struct xbpf_ringbuf *rb)
{
	unsigned long cons = smp_load_acquire(rb->consumer_pos);
	unsigned long prod = smp_load_acquire(rb->producer_pos);

	return prod - cons;
}

/*
 * Moves pending_pos past records already committed (busy bit clear).
 * Under rb->lock.  A length that would step past producer_pos can only
 * come from a corrupted header: stop there rather than loop.
 */
static unsigned long xbpf_ringbuf_advance_pending(struct xbpf_ringbuf *rb,
						  unsigned long prod)
{
	unsigned long pend = *rb->pending_pos;

	while (pend != prod) {
		struct xbpf_ringbuf_hdr *hdr = (void *)(rb->data + (pend & rb->mask));
		u32 len = READ_ONCE(hdr->len);
		u32 step;

		if (len & XBPF_RINGBUF_BUSY_BIT)
			break;
		step = xbpf_ringbuf_rec_len(len & ~XBPF_RINGBUF_DISCARD_BIT);
		if (step > prod - pend)
			break;
		pend += step;
	}
	WRITE_ONCE(*rb->pending_pos, pend);
	return pend;
}

void *xbpf_ringbuf_reserve(struct xbpf_ringbuf *rb, u64 size)
{
	unsigned long cons, prod, pend, new_prod, flags = 0;
	struct xbpf_ringbuf_hdr *hdr;
	u32 len;

	if (size > XBPF_RINGBUF_MAX_RECORD_SZ)
		return NULL;
	len = xbpf_ringbuf_rec_len((u32)size);
	if (len > xbpf_ringbuf_size(rb))
		return NULL;

	/* (D): the consumer is done with everything below cons. */
	cons = smp_load_acquire(rb->consumer_pos);

	if (xbpf_in_nmi()) {
		/* The lock may be held by the code this NMI interrupted. */
		if (!xbpf_trylock_irqsave(&rb->lock, flags))
			return NULL;
	} else {
		xbpf_lock_irqsave(&rb->lock, flags);
	}

	prod = *rb->producer_pos;
	pend = xbpf_ringbuf_advance_pending(rb, prod);
	new_prod = prod + len;
	/*
	 * Room: the new end may be at most size - 1 bytes ahead of the
	 * consumer (unsigned: a consumer "ahead" of the producer wraps to a
	 * huge distance and fails too) and of the oldest busy record, which
	 * a consumer that skipped ahead must not let us overwrite.
	 */
	if (new_prod - cons > rb->mask || new_prod - pend > rb->mask) {
		xbpf_unlock_irqrestore(&rb->lock, flags);
		return NULL;
	}

	/* Always in the first copy of the data; the record may run into the second. */
	hdr = (void *)(rb->data + (prod & rb->mask));
	hdr->len = (u32)size | XBPF_RINGBUF_BUSY_BIT;
	hdr->pg_off = (u32)(((uintptr_t)hdr - (uintptr_t)rb->area) >> XBPF_PAGE_SHIFT);
	/* (A): the busy header before the position that exposes it. */
	smp_store_release(rb->producer_pos, new_prod);

	xbpf_unlock_irqrestore(&rb->lock, flags);
	return (u8 *)hdr + XBPF_RINGBUF_HDR_SZ;
}

/* The ring a record belongs to, from its header's pg_off and page 0. */
static struct xbpf_ringbuf *xbpf_ringbuf_from_hdr(const struct xbpf_ringbuf_hdr *hdr)
{
	uintptr_t page = (uintptr_t)hdr & ~(uintptr_t)(XBPF_PAGE_SIZE - 1);
	uintptr_t area = page - ((uintptr_t)hdr->pg_off << XBPF_PAGE_SHIFT);

	return *(struct xbpf_ringbuf **)area;
}

void xbpf_ringbuf_commit(void *sample, u64 flags, bool discard)
{
	struct xbpf_ringbuf_hdr *hdr = (void *)((u8 *)sample - XBPF_RINGBUF_HDR_SZ);
	struct xbpf_ringbuf *rb = xbpf_ringbuf_from_hdr(hdr);
	unsigned long rec_pos, cons;
	u32 new_len;

	new_len = hdr->len ^ XBPF_RINGBUF_BUSY_BIT;
	if (discard)
		new_len |= XBPF_RINGBUF_DISCARD_BIT;
	/* (B) and (C): the record before the header, the header before the test below. */
	xbpf_xchg(&hdr->len, new_len);

	/*
	 * Wake the consumer only if it has consumed everything before this
	 * record: then it is (or is about to be) waiting for exactly it.
	 */
	rec_pos = (unsigned long)((u8 *)hdr - rb->data);
	cons = smp_load_acquire(rb->consumer_pos) & rb->mask;
	if (flags & XBPF_RB_FORCE_WAKEUP)
		xbpf_ringbuf_plat_notify(rb);
	else if (cons == rec_pos && !(flags & XBPF_RB_NO_WAKEUP))
		xbpf_ringbuf_plat_notify(rb);
}

int xbpf_ringbuf_output(struct xbpf_ringbuf *rb, const void *data, u64 size, u64 flags)
{
	void *rec;

	if (flags & ~(u64)(XBPF_RB_NO_WAKEUP | XBPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	rec = xbpf_ringbuf_reserve(rb, size);
	if (!rec)
		return -EAGAIN;
	memcpy(rec, data, size);
	xbpf_ringbuf_commit(rec, flags, false);
	return 0;
}

u64 xbpf_ringbuf_query(struct xbpf_ringbuf *rb, u64 flags)
{
	switch (flags) {
	case XBPF_RB_AVAIL_DATA:
		return xbpf_ringbuf_avail(rb);
	case XBPF_RB_RING_SIZE:
		return xbpf_ringbuf_size(rb);
	case XBPF_RB_CONS_POS:
		return smp_load_acquire(rb->consumer_pos);
	case XBPF_RB_PROD_POS:
		return smp_load_acquire(rb->producer_pos);
	default:
		return 0;
	}
}

/* ---- the helpers (ids 130..134) --------------------------------------- */

static struct xbpf_ringbuf *xbpf_ringbuf_arg(u64 r)
{
	return xbpf_ringbuf_of((const struct xbpf_map *)(uintptr_t)r);
}

static u64 xbpf_bpf_ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 r5)
{
	return (u64)(s64)xbpf_ringbuf_output(xbpf_ringbuf_arg(map),
					     (const void *)(uintptr_t)data, size, flags);
}

/* No reserve flag is defined: any is refused, as Linux (NULL). */
static u64 xbpf_bpf_ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5)
{
	if (flags)
		return 0;
	return (u64)(uintptr_t)xbpf_ringbuf_reserve(xbpf_ringbuf_arg(map), size);
}

static u64 xbpf_bpf_ringbuf_submit(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	xbpf_ringbuf_commit((void *)(uintptr_t)sample, flags, false);
	return 0;
}

static u64 xbpf_bpf_ringbuf_discard(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	xbpf_ringbuf_commit((void *)(uintptr_t)sample, flags, true);
	return 0;
}

static u64 xbpf_bpf_ringbuf_query(u64 map, u64 flags, u64 r3, u64 r4, u64 r5)
{
	return xbpf_ringbuf_query(xbpf_ringbuf_arg(map), flags);
}

/* In id order: 130 output, 131 reserve, 132 submit, 133 discard, 134 query. */
static const struct xbpf_helper_proto xbpf_ringbuf_protos[] = {
	XBPF_RINGBUF_PROTOS(xbpf_bpf_ringbuf_output, xbpf_bpf_ringbuf_reserve,
			    xbpf_bpf_ringbuf_submit, xbpf_bpf_ringbuf_discard,
			    xbpf_bpf_ringbuf_query)
};

bool xbpf_ringbuf_helper_id(u32 id)
{
	return id >= XBPF_FUNC_ringbuf_output && id <= XBPF_FUNC_ringbuf_query;
}

const struct xbpf_helper_proto *xbpf_ringbuf_helper_proto(u32 id)
{
	BUILD_BUG_ON(ARRAY_SIZE(xbpf_ringbuf_protos) !=
		     XBPF_FUNC_ringbuf_query - XBPF_FUNC_ringbuf_output + 1);
	if (!xbpf_ringbuf_helper_id(id))
		return NULL;
	return &xbpf_ringbuf_protos[id - XBPF_FUNC_ringbuf_output];
}

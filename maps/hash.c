// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_HASH: a table of buckets, each a singly linked list of
 * elements, elements allocated on update (so F_NO_PREALLOC is how it
 * always behaves) and bounded by max_entries (-E2BIG when full).
 *
 * Rules that keep it safe with programs updating from any context:
 *
 *  - Writers (update, delete) hold the bucket's lock, an IRQ-saving raw
 *    spinlock in the kernel.  They never allocate or free under it: the
 *    new element is allocated (atomically, a program may be the caller)
 *    before the lock is taken and the old one is handed to RCU after it
 *    is dropped.
 *  - Readers (lookup, get_next_key) take no lock: they walk the lists
 *    inside an RCU read-side section (lookup: the caller's; the element
 *    it returns stays valid until that section ends).  Writers publish
 *    with xbpf_rcu_assign_pointer, and an element leaves a list before
 *    xbpf_call_rcu frees it, so a reader never follows a freed pointer.
 *  - An update replaces an existing element by a new one in place (same
 *    list position), so a reader sees the old or the new value, never a
 *    mix, and iteration order is stable under updates.
 *  - The element count is an atomic counter, reserved before an insert
 *    under the bucket lock, so concurrent inserts cannot overshoot.
 *  - Not yet handled (attach points arrive in a later issue): a program
 *    interrupting, on the same CPU, an update of the same bucket (NMI,
 *    kprobe on the update path) would deadlock; a per-CPU busy guard
 *    returning -EBUSY belongs here before such attach points exist.
 *
 * Flags as in Linux: NOEXIST on a present key is -EEXIST, EXIST on a
 * missing one -ENOENT, F_LOCK (no BTF spin lock yet) and unknown flags
 * -EINVAL.  get_next_key from NULL or a missing key gives the first key.
 */
#include "map.h"

struct xbpf_htab_elem {
	struct xbpf_htab_elem	*next;		/* RCU-published */
	xbpf_rcu_head_t		rcu;
	u32			hash;
	u64			data[];		/* key, padded to 8; then the value */
};

struct xbpf_htab_bucket {
	struct xbpf_htab_elem	*head;		/* RCU-published */
	xbpf_lock_t		lock;
};

struct xbpf_htab {
	struct xbpf_map		map;
	struct xbpf_htab_bucket	*buckets;
	u32			n_buckets;	/* a power of two */
	u32			key_stride;	/* key_size rounded up to 8 */
	u32			elem_size;
	u32			seed;
	u32			count;		/* elements; atomic */
};

#define XBPF_HTAB_FLAGS	(XBPF_MAP_FLAGS_ACCESS | XBPF_F_NO_PREALLOC | XBPF_F_ZERO_SEED)

static struct xbpf_htab *xbpf_htab_of(const struct xbpf_map *map)
{
	return container_of(map, struct xbpf_htab, map);
}

static inline u64 xbpf_rotl64(u64 x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

/*
 * A small keyed hash (multiply-rotate per 8-byte word, then a 64-bit
 * finalising mix).  The kernel's jhash has no userspace twin; this one
 * behaves the same in both builds.
 */
static u32 xbpf_htab_hash(const void *key, u32 len, u32 seed)
{
	const u8 *p = key;
	u64 h = seed ^ ((u64)len * 0x9e3779b97f4a7c15ULL);
	u64 w;

	while (len) {
		u32 n = min_t(u32, len, 8);

		w = 0;
		memcpy(&w, p, n);
		h = xbpf_rotl64(h ^ (w * 0xbf58476d1ce4e5b9ULL), 31) * 0x94d049bb133111ebULL;
		p += n;
		len -= n;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (u32)h;
}

static struct xbpf_map *xbpf_htab_alloc(const struct xbpf_map_params *p, int *err)
{
	struct xbpf_htab *htab;
	u64 bytes;
	u32 n, i;

	*err = -EINVAL;
	if (p->map_flags & ~XBPF_HTAB_FLAGS)
		return NULL;
	*err = -E2BIG;
	if (p->max_entries > (1U << 31))
		return NULL;
	for (n = 1; n < p->max_entries; n <<= 1)
		;
	bytes = (u64)n * sizeof(struct xbpf_htab_bucket);	/* n <= 2^31: no overflow */

	*err = -ENOMEM;
	htab = xbpf_kzalloc(sizeof(*htab));
	if (!htab)
		return NULL;
	htab->buckets = xbpf_kvzalloc((size_t)bytes);
	if (!htab->buckets) {
		xbpf_kfree(htab);
		return NULL;
	}
	for (i = 0; i < n; i++)
		xbpf_lock_init(&htab->buckets[i].lock);
	htab->n_buckets = n;
	htab->key_stride = ALIGN(p->key_size, 8);
	htab->elem_size = sizeof(struct xbpf_htab_elem) + htab->key_stride +
			  ALIGN(p->value_size, 8);
	/* F_ZERO_SEED: reproducible layout, for tests (as in Linux). */
	htab->seed = (p->map_flags & XBPF_F_ZERO_SEED) ? 0 : xbpf_prandom_u32();
	*err = 0;
	return &htab->map;
}

/* After the last reference and a grace period: no reader, no writer. */
static void xbpf_htab_free(struct xbpf_map *map)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	struct xbpf_htab_elem *e, *next;
	u32 i;

	for (i = 0; i < htab->n_buckets; i++) {
		for (e = htab->buckets[i].head; e; e = next) {
			next = e->next;
			xbpf_kfree(e);
		}
	}
	xbpf_kvfree(htab->buckets);
	xbpf_kfree(htab);
}

static void xbpf_htab_elem_free_rcu(xbpf_rcu_head_t *head)
{
	xbpf_kfree(container_of(head, struct xbpf_htab_elem, rcu));
}

static struct xbpf_htab_bucket *xbpf_htab_bucket(const struct xbpf_htab *htab, u32 hash)
{
	return &htab->buckets[hash & (htab->n_buckets - 1)];
}

static void *xbpf_htab_value(const struct xbpf_htab *htab, struct xbpf_htab_elem *e)
{
	return (u8 *)e->data + htab->key_stride;
}

/* Lock-free search; the caller is an RCU reader or holds the bucket lock. */
static struct xbpf_htab_elem *xbpf_htab_find(const struct xbpf_htab *htab,
					     struct xbpf_htab_bucket *b,
					     u32 hash, const void *key)
{
	struct xbpf_htab_elem *e;

	for (e = xbpf_rcu_dereference(b->head); e; e = xbpf_rcu_dereference(e->next))
		if (e->hash == hash && !memcmp(e->data, key, htab->map.key_size))
			return e;
	return NULL;
}

static void *xbpf_htab_lookup(struct xbpf_map *map, const void *key)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	u32 hash = xbpf_htab_hash(key, map->key_size, htab->seed);
	struct xbpf_htab_elem *e;

	e = xbpf_htab_find(htab, xbpf_htab_bucket(htab, hash), hash, key);
	return e ? xbpf_htab_value(htab, e) : NULL;
}

/* Under the bucket lock: the link that points at key's element, or NULL. */
static struct xbpf_htab_elem **xbpf_htab_find_link(const struct xbpf_htab *htab,
						   struct xbpf_htab_bucket *b,
						   u32 hash, const void *key)
{
	struct xbpf_htab_elem **link;

	for (link = &b->head; *link; link = &(*link)->next)
		if ((*link)->hash == hash &&
		    !memcmp((*link)->data, key, htab->map.key_size))
			return link;
	return NULL;
}

static int xbpf_htab_update(struct xbpf_map *map, const void *key,
			    const void *value, u64 flags)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	struct xbpf_htab_elem **link, *old = NULL, *e;
	struct xbpf_htab_bucket *b;
	unsigned long irqflags = 0;
	int err = 0;

	/* ANY, NOEXIST or EXIST; F_LOCK would need a BTF spin lock. */
	if (flags > XBPF_EXIST)
		return -EINVAL;

	e = xbpf_kzalloc_atomic(htab->elem_size);
	if (!e)
		return -ENOMEM;
	e->hash = xbpf_htab_hash(key, map->key_size, htab->seed);
	memcpy(e->data, key, map->key_size);
	memcpy(xbpf_htab_value(htab, e), value, map->value_size);
	b = xbpf_htab_bucket(htab, e->hash);

	xbpf_lock_irqsave(&b->lock, irqflags);
	link = xbpf_htab_find_link(htab, b, e->hash, key);
	if (link)
		old = *link;
	if (old && flags == XBPF_NOEXIST) {
		err = -EEXIST;
	} else if (!old && flags == XBPF_EXIST) {
		err = -ENOENT;
	} else if (!old && xbpf_atomic_fetch_add(&htab->count, 1) >= map->max_entries) {
		xbpf_atomic_fetch_add(&htab->count, (u32)-1);
		err = -E2BIG;
	} else if (old) {
		/* Same position: readers see old or new, iteration order holds. */
		e->next = old->next;
		xbpf_rcu_assign_pointer(*link, e);
	} else {
		e->next = b->head;
		xbpf_rcu_assign_pointer(b->head, e);
	}
	xbpf_unlock_irqrestore(&b->lock, irqflags);

	if (err) {
		xbpf_kfree(e);		/* never published */
		return err;
	}
	if (old)
		xbpf_call_rcu(&old->rcu, xbpf_htab_elem_free_rcu);
	return 0;
}

static int xbpf_htab_delete(struct xbpf_map *map, const void *key)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	u32 hash = xbpf_htab_hash(key, map->key_size, htab->seed);
	struct xbpf_htab_bucket *b = xbpf_htab_bucket(htab, hash);
	struct xbpf_htab_elem **link, *e = NULL;
	unsigned long irqflags = 0;

	xbpf_lock_irqsave(&b->lock, irqflags);
	link = xbpf_htab_find_link(htab, b, hash, key);
	if (link) {
		e = *link;
		/* e->next stays intact: readers standing on e can go on. */
		WRITE_ONCE(*link, e->next);
		xbpf_atomic_fetch_add(&htab->count, (u32)-1);
	}
	xbpf_unlock_irqrestore(&b->lock, irqflags);

	if (!e)
		return -ENOENT;
	xbpf_call_rcu(&e->rcu, xbpf_htab_elem_free_rcu);
	return 0;
}

/* First element of the first non-empty bucket from index i on. */
static struct xbpf_htab_elem *xbpf_htab_first_from(const struct xbpf_htab *htab, u32 i)
{
	struct xbpf_htab_elem *e;

	for (; i < htab->n_buckets; i++) {
		e = xbpf_rcu_dereference(htab->buckets[i].head);
		if (e)
			return e;
	}
	return NULL;
}

static int xbpf_htab_get_next_key(struct xbpf_map *map, const void *key, void *next_key)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	struct xbpf_htab_elem *e = NULL, *next;
	u32 hash = 0;

	xbpf_rcu_read_lock();
	if (key) {
		hash = xbpf_htab_hash(key, map->key_size, htab->seed);
		e = xbpf_htab_find(htab, xbpf_htab_bucket(htab, hash), hash, key);
	}
	if (!e) {
		next = xbpf_htab_first_from(htab, 0);
	} else {
		next = xbpf_rcu_dereference(e->next);
		if (!next)
			next = xbpf_htab_first_from(htab, (hash & (htab->n_buckets - 1)) + 1);
	}
	if (next)
		memcpy(next_key, next->data, map->key_size);
	xbpf_rcu_read_unlock();
	return next ? 0 : -ENOENT;
}

const struct xbpf_map_ops xbpf_htab_map_ops = {
	.alloc		= xbpf_htab_alloc,
	.free		= xbpf_htab_free,
	.lookup		= xbpf_htab_lookup,
	.update		= xbpf_htab_update,
	.delete		= xbpf_htab_delete,
	.get_next_key	= xbpf_htab_get_next_key,
};

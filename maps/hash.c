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
 *  - A program in NMI context only tries the writer lock (-EBUSY when
 *    held): it may have interrupted the holder on its own CPU.  Not yet
 *    handled (attach points arrive in a later issue): a kprobe on the
 *    update path itself, outside NMI, would still deadlock (Linux's
 *    per-CPU map_locked guard), and GFP_ATOMIC allocation is not NMI-safe
 *    (Linux preallocates or uses bpf_mem_alloc).
 *
 * Flags as in Linux: NOEXIST on a present key is -EEXIST, EXIST on a
 * missing one -ENOENT, F_LOCK (no BTF spin lock yet) and unknown flags
 * -EINVAL.  get_next_key from NULL or a missing key gives the first key.
 *
 * The same table serves the other hash types:
 *
 *  - PERCPU_HASH, LRU_PERCPU_HASH: the value is xbpf_nr_cpu_slots()
 *    copies (maps/map_sys.c); a program reads and writes its CPU's copy,
 *    user space all of them.  An update of a present key writes into the
 *    element in place, under the lock (as Linux: the element stays).
 *  - LRU_HASH, LRU_PERCPU_HASH: a full map evicts the least recently
 *    used element (maps/lru.c) instead of failing.  Eviction touches a
 *    second bucket, so an LRU map's writers all take the map's one LRU
 *    lock instead of a bucket lock: one lock order, nothing to nest.
 *    Lookups from programs mark a use, lock-free; user-space lookups do
 *    not count as a use (Linux's lookup_elem_sys_only).
 *
 * Writer locks are only tried in NMI context (-EBUSY when taken).
 */
#include "lru.h"

struct xbpf_htab_elem {
	struct xbpf_htab_elem	*next;		/* RCU-published */
	xbpf_rcu_head_t		rcu;
	struct xbpf_lru_node	lru;		/* LRU maps; under the LRU lock */
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
	u32			value_stride;	/* value_size rounded up to 8 */
	u32			nslots;		/* value copies: 1, or CPU slots */
	u32			elem_size;
	u32			seed;
	u32			count;		/* elements; atomic */
	bool			percpu;
	bool			lru_map;
	struct xbpf_lru		lru;		/* LRU maps: order and writer lock */
};

#define XBPF_HTAB_FLAGS	(XBPF_MAP_FLAGS_ACCESS | XBPF_F_NO_PREALLOC | XBPF_F_ZERO_SEED | \
			 XBPF_F_NO_COMMON_LRU)
/* Linux's bound on a per-CPU value: PCPU_MIN_UNIT_SIZE. */
#define XBPF_HTAB_PERCPU_MAX_VALUE	(32U << 10)

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

/* Linux's htab_map_alloc_check, in its order (sizes: map.c and below). */
static int xbpf_htab_check(const struct xbpf_map_params *p, bool percpu, bool lru)
{
	bool percpu_lru = p->map_flags & XBPF_F_NO_COMMON_LRU;

	if (p->map_flags & ~XBPF_HTAB_FLAGS)
		return -EINVAL;
	if (!lru && percpu_lru)
		return -EINVAL;
	/* Linux's LRU lists need preallocated elements */
	if (lru && (p->map_flags & XBPF_F_NO_PREALLOC))
		return -ENOTSUPP;
	if ((p->map_flags & XBPF_F_NUMA_NODE) && (percpu || percpu_lru))
		return -EINVAL;
	if (percpu && ALIGN(p->value_size, 8) > XBPF_HTAB_PERCPU_MAX_VALUE)
		return -E2BIG;
	return 0;
}

static struct xbpf_map *xbpf_htab_alloc(const struct xbpf_map_params *p, int *err)
{
	bool percpu = p->map_type == XBPF_MAP_TYPE_PERCPU_HASH ||
		      p->map_type == XBPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool lru = p->map_type == XBPF_MAP_TYPE_LRU_HASH ||
		   p->map_type == XBPF_MAP_TYPE_LRU_PERCPU_HASH;
	u32 max_entries = p->max_entries;
	struct xbpf_htab *htab;
	u64 bytes;
	u32 n, i;

	*err = xbpf_htab_check(p, percpu, lru);
	if (*err)
		return NULL;
	/*
	 * NO_COMMON_LRU: Linux gives each CPU an equal share of the elements,
	 * so max_entries becomes a multiple of the CPUs (rounded down if
	 * rounding up overflows).  xbpf keeps one list; the size is Linux's.
	 */
	if (p->map_flags & XBPF_F_NO_COMMON_LRU) {
		u32 cpus = xbpf_num_possible_cpus();
		u64 up = DIV_ROUND_UP((u64)max_entries, cpus) * cpus;

		max_entries = up <= U32_MAX ? (u32)up : max_entries / cpus * cpus;
	}
	*err = -E2BIG;
	if (max_entries > (1U << 31))
		return NULL;
	for (n = 1; n < max_entries; n <<= 1)
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
	htab->percpu = percpu;
	htab->lru_map = lru;
	if (lru)
		xbpf_lru_init(&htab->lru);
	htab->nslots = percpu ? xbpf_nr_cpu_slots() : 1;
	htab->key_stride = ALIGN(p->key_size, 8);
	htab->value_stride = ALIGN(p->value_size, 8);
	/* key <= 512, value <= 1 MiB (32 KiB per CPU): no overflow */
	htab->elem_size = sizeof(struct xbpf_htab_elem) + htab->key_stride +
			  htab->value_stride * htab->nslots;
	/* F_ZERO_SEED: reproducible layout, for tests (as in Linux). */
	htab->seed = (p->map_flags & XBPF_F_ZERO_SEED) ? 0 : xbpf_prandom_u32();
	htab->map.max_entries = max_entries;
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

/* The value, or its first copy (per-CPU). */
static void *xbpf_htab_value(const struct xbpf_htab *htab, struct xbpf_htab_elem *e)
{
	return (u8 *)e->data + htab->key_stride;
}

/* The copy a program sees: its CPU's. */
static void *xbpf_htab_prog_value(const struct xbpf_htab *htab, struct xbpf_htab_elem *e)
{
	void *v = xbpf_htab_value(htab, e);

	if (!htab->percpu)
		return v;
	return xbpf_percpu_slot(v, htab->value_stride, xbpf_smp_processor_id());
}

/*
 * Writes value into e: a program's into its CPU's copy (the others keep
 * what they hold: zero in a new element), user space's into every copy.
 */
static void xbpf_htab_set_value(const struct xbpf_htab *htab, struct xbpf_htab_elem *e,
				const void *value, bool all_cpus)
{
	if (htab->percpu && all_cpus)
		xbpf_percpu_copy_in(xbpf_htab_value(htab, e), value, htab->value_stride,
				    htab->map.value_size);
	else
		memcpy(xbpf_htab_prog_value(htab, e), value, htab->map.value_size);
}

/*
 * The lock every writer of bucket b takes: the bucket's, or the LRU
 * lock, which covers every bucket of an LRU map.
 */
static xbpf_lock_t *xbpf_htab_wlock(struct xbpf_htab *htab, struct xbpf_htab_bucket *b)
{
	return htab->lru_map ? &htab->lru.lock : &b->lock;
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
	if (!e)
		return NULL;
	if (htab->lru_map)
		xbpf_lru_touch(&e->lru);
	return xbpf_htab_prog_value(htab, e);
}

/* bpf(2)'s lookup: a copy of every CPU's value; no LRU use. */
static int xbpf_htab_lookup_user(struct xbpf_map *map, const void *key, void *value)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	u32 hash = xbpf_htab_hash(key, map->key_size, htab->seed);
	struct xbpf_htab_elem *e;

	e = xbpf_htab_find(htab, xbpf_htab_bucket(htab, hash), hash, key);
	if (!e)
		return -ENOENT;
	if (htab->percpu)
		xbpf_percpu_copy_out(value, xbpf_htab_value(htab, e), htab->value_stride,
				     map->value_size);
	else
		memcpy(value, xbpf_htab_value(htab, e), map->value_size);
	return 0;
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

/*
 * Under the LRU lock of a full LRU map: takes the least recently used
 * element out of its bucket and the list and returns it (the caller
 * frees it after a grace period); the count is unchanged, the new
 * element takes its place.
 */
static struct xbpf_htab_elem *xbpf_htab_evict(struct xbpf_htab *htab)
{
	struct xbpf_lru_node *n = xbpf_lru_victim(&htab->lru);
	struct xbpf_htab_elem *victim, **link;

	if (WARN_ON_ONCE(!n))
		return NULL;
	victim = container_of(n, struct xbpf_htab_elem, lru);
	link = &xbpf_htab_bucket(htab, victim->hash)->head;
	while (*link != victim)
		link = &(*link)->next;
	/* victim->next stays intact: readers standing on it can go on. */
	WRITE_ONCE(*link, victim->next);
	xbpf_lru_del(n);
	return victim;
}

static int xbpf_htab_do_update(struct xbpf_map *map, const void *key,
			       const void *value, u64 flags, bool all_cpus)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	struct xbpf_htab_elem **link, *old = NULL, *e, *gone = NULL;
	struct xbpf_htab_bucket *b;
	unsigned long irqflags = 0;
	xbpf_lock_t *lock;
	int err = 0;

	/* ANY, NOEXIST or EXIST; F_LOCK would need a BTF spin lock. */
	if (flags > XBPF_EXIST)
		return -EINVAL;

	/* Allocated outside the lock; unused if a per-CPU value is updated in place. */
	e = xbpf_kzalloc_atomic(htab->elem_size);
	if (!e)
		return -ENOMEM;
	e->hash = xbpf_htab_hash(key, map->key_size, htab->seed);
	memcpy(e->data, key, map->key_size);
	xbpf_htab_set_value(htab, e, value, all_cpus);
	b = xbpf_htab_bucket(htab, e->hash);
	lock = xbpf_htab_wlock(htab, b);

	if (!xbpf_lock_irqsave_try_nmi(lock, irqflags)) {
		xbpf_kfree(e);
		return -EBUSY;
	}
	link = xbpf_htab_find_link(htab, b, e->hash, key);
	if (link)
		old = *link;
	if (old && flags == XBPF_NOEXIST) {
		err = -EEXIST;
	} else if (!old && flags == XBPF_EXIST) {
		err = -ENOENT;
	} else if (old && htab->percpu) {
		/* In place: the other CPUs' copies stay (Linux's semantics). */
		xbpf_htab_set_value(htab, old, value, all_cpus);
		if (htab->lru_map)
			xbpf_lru_touch(&old->lru);
		gone = e;	/* never published */
	} else if (old) {
		/* Same position: readers see old or new, iteration order holds. */
		e->next = old->next;
		xbpf_rcu_assign_pointer(*link, e);
		if (htab->lru_map) {
			xbpf_lru_del(&old->lru);
			xbpf_lru_push(&htab->lru, &e->lru);
		}
		gone = old;
	} else {
		if (xbpf_atomic_fetch_add(&htab->count, 1) >= map->max_entries) {
			xbpf_atomic_fetch_add(&htab->count, (u32)-1);
			if (htab->lru_map)
				gone = xbpf_htab_evict(htab);
			if (!gone)
				err = -E2BIG;
		}
		if (!err) {
			/* after the eviction: the victim may have been b's head */
			e->next = b->head;
			xbpf_rcu_assign_pointer(b->head, e);
			if (htab->lru_map)
				xbpf_lru_push(&htab->lru, &e->lru);
		}
	}
	xbpf_unlock_irqrestore(lock, irqflags);

	if (err) {
		xbpf_kfree(e);		/* never published */
		return err;
	}
	if (gone == e)
		xbpf_kfree(e);
	else if (gone)
		xbpf_call_rcu(&gone->rcu, xbpf_htab_elem_free_rcu);
	return 0;
}

static int xbpf_htab_update(struct xbpf_map *map, const void *key,
			    const void *value, u64 flags)
{
	return xbpf_htab_do_update(map, key, value, flags, false);
}

/* bpf(2)'s update: a per-CPU value gives every CPU's copy. */
static int xbpf_htab_update_user(struct xbpf_map *map, const void *key,
				 const void *value, u64 flags)
{
	return xbpf_htab_do_update(map, key, value, flags, true);
}

static int xbpf_htab_delete(struct xbpf_map *map, const void *key)
{
	struct xbpf_htab *htab = xbpf_htab_of(map);
	u32 hash = xbpf_htab_hash(key, map->key_size, htab->seed);
	struct xbpf_htab_bucket *b = xbpf_htab_bucket(htab, hash);
	xbpf_lock_t *lock = xbpf_htab_wlock(htab, b);
	struct xbpf_htab_elem **link, *e = NULL;
	unsigned long irqflags = 0;

	if (!xbpf_lock_irqsave_try_nmi(lock, irqflags))
		return -EBUSY;
	link = xbpf_htab_find_link(htab, b, hash, key);
	if (link) {
		e = *link;
		/* e->next stays intact: readers standing on e can go on. */
		WRITE_ONCE(*link, e->next);
		if (htab->lru_map)
			xbpf_lru_del(&e->lru);
		xbpf_atomic_fetch_add(&htab->count, (u32)-1);
	}
	xbpf_unlock_irqrestore(lock, irqflags);

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
	.lookup_user	= xbpf_htab_lookup_user,
	.update_user	= xbpf_htab_update_user,
};

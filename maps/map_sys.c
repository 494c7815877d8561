// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space side of maps, common to every type: bpf(2)'s value
 * layout (per-CPU values packed CPU by CPU), BPF_MAP_FREEZE, and the
 * count of writable mappings that freeze has to respect.
 *
 * Freeze and mmap (Linux's rules): freezing needs no writable mapping to
 * exist (-EBUSY), and a frozen map refuses writable mappings (-EPERM).
 * Both decisions are taken under freeze_lock, so neither can slip in
 * between the other's check and its effect.  A read-only mapping can
 * never turn writable (the owner clears VM_MAYWRITE).
 */
#include "map.h"

bool xbpf_map_is_percpu(const struct xbpf_map *map)
{
	return map->map_type == XBPF_MAP_TYPE_PERCPU_ARRAY ||
	       map->map_type == XBPF_MAP_TYPE_PERCPU_HASH ||
	       map->map_type == XBPF_MAP_TYPE_LRU_PERCPU_HASH;
}

u32 xbpf_map_value_size_user(const struct xbpf_map *map)
{
	/* bounded at creation: round_up(value_size, 8) <= 32 KiB per CPU */
	if (xbpf_map_is_percpu(map))
		return ALIGN(map->value_size, 8) * xbpf_num_possible_cpus();
	return map->value_size;
}

void *xbpf_percpu_slot(void *base, u32 stride, u32 cpu)
{
	return (u8 *)base + (size_t)cpu * stride;
}

/*
 * Packed in possible-CPU order; each copy takes stride bytes, of which
 * the padding past size reads as zero (bpf(2) hands out whole 8-byte
 * words: the padding of the slots is never written).
 */
void xbpf_percpu_copy_out(void *dst, const void *base, u32 stride, u32 size)
{
	u8 *out = dst;
	u32 cpu;

	xbpf_for_each_possible_cpu(cpu) {
		memcpy(out, (const u8 *)base + (size_t)cpu * stride, stride);
		out += stride;
	}
}

/* The slot's first size bytes; its padding stays zero. */
void xbpf_percpu_copy_in(void *base, const void *src, u32 stride, u32 size)
{
	const u8 *in = src;
	u32 cpu;

	xbpf_for_each_possible_cpu(cpu) {
		memcpy((u8 *)base + (size_t)cpu * stride, in, size);
		in += stride;
	}
}

int xbpf_map_lookup_user(struct xbpf_map *map, const void *key, void *value)
{
	void *ptr;

	if (map->ops->lookup_user)
		return map->ops->lookup_user(map, key, value);
	if (!map->ops->lookup)
		return -EOPNOTSUPP;
	ptr = map->ops->lookup(map, key);
	if (!ptr)
		return -ENOENT;
	memcpy(value, ptr, map->value_size);
	return 0;
}

int xbpf_map_update_user(struct xbpf_map *map, const void *key, const void *value,
			 u64 flags)
{
	if (map->ops->update_user)
		return map->ops->update_user(map, key, value, flags);
	if (!map->ops->update)
		return -EOPNOTSUPP;
	return map->ops->update(map, key, value, flags);
}

bool xbpf_map_frozen(const struct xbpf_map *map)
{
	return READ_ONCE(map->frozen);
}

int xbpf_map_freeze(struct xbpf_map *map, bool capable)
{
	unsigned long flags = 0;
	int err = 0;

	xbpf_lock_irqsave(&map->freeze_lock, flags);
	if (map->writecnt || map->frozen)
		err = -EBUSY;
	else if (!capable)
		err = -EPERM;
	else
		WRITE_ONCE(map->frozen, true);
	xbpf_unlock_irqrestore(&map->freeze_lock, flags);
	return err;
}

/*
 * A bpf(2) update or delete in flight counts as a writer (Linux's
 * bpf_map_write_active): freeze refuses while one runs, and a frozen map
 * refuses new ones, so once frozen nothing changes a value from user
 * space any more.  -EPERM when frozen.
 */
int xbpf_map_write_begin(struct xbpf_map *map)
{
	unsigned long flags = 0;
	int err = 0;

	xbpf_lock_irqsave(&map->freeze_lock, flags);
	if (map->frozen)
		err = -EPERM;
	else
		map->writecnt++;
	xbpf_unlock_irqrestore(&map->freeze_lock, flags);
	return err;
}

void xbpf_map_write_end(struct xbpf_map *map)
{
	unsigned long flags = 0;

	xbpf_lock_irqsave(&map->freeze_lock, flags);
	WARN_ON_ONCE(!map->writecnt);
	map->writecnt--;
	xbpf_unlock_irqrestore(&map->freeze_lock, flags);
}

/*
 * Linux's bpf_map_is_rdonly: programs cannot write (RDONLY_PROG), user
 * space cannot either (frozen: no writer in flight, none to come, no
 * writable mapping), so the verifier may read the values as constants.
 */
bool xbpf_map_is_rdonly(const struct xbpf_map *map)
{
	return (map->map_flags & XBPF_F_RDONLY_PROG) && READ_ONCE(map->frozen) &&
	       !READ_ONCE(map->writecnt);
}

int xbpf_map_mmap_get(struct xbpf_map *map, bool writable)
{
	unsigned long flags = 0;
	int err = 0;

	if (!writable)
		return 0;
	xbpf_lock_irqsave(&map->freeze_lock, flags);
	if (map->frozen)
		err = -EPERM;
	/* the verifier may trust a read-only map's values: none may change */
	else if (map->map_flags & XBPF_F_RDONLY_PROG)
		err = -EACCES;
	else
		map->writecnt++;
	xbpf_unlock_irqrestore(&map->freeze_lock, flags);
	return err;
}

void xbpf_map_mmap_dup(struct xbpf_map *map, bool writable)
{
	unsigned long flags = 0;

	if (!writable)
		return;
	/* a writable mapping exists already, so the map is not frozen */
	xbpf_lock_irqsave(&map->freeze_lock, flags);
	map->writecnt++;
	xbpf_unlock_irqrestore(&map->freeze_lock, flags);
}

void xbpf_map_mmap_put(struct xbpf_map *map, bool writable)
{
	unsigned long flags = 0;

	if (!writable)
		return;
	xbpf_lock_irqsave(&map->freeze_lock, flags);
	WARN_ON_ONCE(!map->writecnt);
	map->writecnt--;
	xbpf_unlock_irqrestore(&map->freeze_lock, flags);
}

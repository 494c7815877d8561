// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_ARRAY: max_entries values of value_size bytes, indexed by
 * a u32 key, all present from creation and zero-filled.
 *
 * Values are stored with an 8-byte stride so every value is 8-aligned
 * (programs do 64-bit and atomic accesses on them).  Nothing is ever
 * freed before the map, so lookups need no lock and no RCU beyond the
 * map's own lifetime; updates copy into place without a lock, as in
 * Linux: a reader racing a writer may see a mix of old and new bytes.
 *
 * Semantics (Linux's): update with NOEXIST is -EEXIST (every element
 * exists), an index out of range is -E2BIG on update and NULL on lookup,
 * delete is -EINVAL, get_next_key from a missing or NULL key starts at 0.
 *
 * F_MMAPABLE: the values live in their own page-aligned, zeroed vmalloc
 * area of whole pages, which user space may map (value i at offset
 * i * elem_size, as in Linux); the owner maps it and keeps the map alive
 * while mapped.
 *
 * BPF_MAP_TYPE_PERCPU_ARRAY: each element is xbpf_nr_cpu_slots() copies
 * of elem_size bytes; a program reads and writes the copy of the CPU it
 * runs on, user space all possible CPUs' at once (maps/map_sys.c).
 */
#include "map.h"

/* Arrays above this are refused (-E2BIG) before any allocation. */
#define XBPF_ARRAY_MAX_BYTES	(1ULL << 32)
/* Linux's bound on a per-CPU value: PCPU_MIN_UNIT_SIZE. */
#define XBPF_PERCPU_MAX_VALUE	(32U << 10)

struct xbpf_array {
	struct xbpf_map	map;
	u32		elem_size;	/* value_size rounded up to 8 */
	u32		nslots;		/* copies per element: 1, or CPU slots */
	bool		mmapable;	/* values from xbpf_vmalloc_user() */
	u64		area_len;	/* bytes of values, page-rounded if mmapable */
	u64		*values;
};

static struct xbpf_array *xbpf_array_of(const struct xbpf_map *map)
{
	return container_of(map, struct xbpf_array, map);
}

static struct xbpf_map *xbpf_array_alloc(const struct xbpf_map_params *p, int *err)
{
	bool percpu = p->map_type == XBPF_MAP_TYPE_PERCPU_ARRAY;
	u32 allowed = XBPF_MAP_FLAGS_ACCESS;
	struct xbpf_array *array;
	u32 elem_size, nslots;
	u64 bytes;

	/* mappable: plain arrays; per-CPU values have no NUMA placement */
	if (percpu)
		allowed &= ~XBPF_F_NUMA_NODE;
	else
		allowed |= XBPF_F_MMAPABLE;
	*err = -EINVAL;
	if (p->key_size != sizeof(u32) || (p->map_flags & ~allowed))
		return NULL;
	elem_size = ALIGN(p->value_size, 8);
	nslots = percpu ? xbpf_nr_cpu_slots() : 1;
	*err = -E2BIG;
	if (percpu && elem_size > XBPF_PERCPU_MAX_VALUE)
		return NULL;
	if (check_mul_overflow((u64)elem_size * nslots, (u64)p->max_entries, &bytes) ||
	    bytes > XBPF_ARRAY_MAX_BYTES)
		return NULL;

	*err = -ENOMEM;
	array = xbpf_kzalloc(sizeof(*array));
	if (!array)
		return NULL;
	array->mmapable = p->map_flags & XBPF_F_MMAPABLE;
	if (array->mmapable) {
		bytes = ALIGN(bytes, (u64)XBPF_PAGE_SIZE);
		array->values = xbpf_vmalloc_user((size_t)bytes);
	} else {
		array->values = xbpf_kvzalloc((size_t)bytes);
	}
	if (!array->values) {
		xbpf_kfree(array);
		return NULL;
	}
	array->elem_size = elem_size;
	array->nslots = nslots;
	array->area_len = bytes;
	*err = 0;
	return &array->map;
}

static void xbpf_array_free(struct xbpf_map *map)
{
	struct xbpf_array *array = xbpf_array_of(map);

	if (array->mmapable)
		xbpf_vfree(array->values);
	else
		xbpf_kvfree(array->values);
	xbpf_kfree(array);
}

/* The element's first (or only) copy. */
static void *xbpf_array_elem(const struct xbpf_array *array, u32 index)
{
	return (u8 *)array->values + (size_t)index * array->elem_size * array->nslots;
}

/* The copy a program sees: its CPU's. */
static void *xbpf_array_value(const struct xbpf_array *array, u32 index)
{
	void *elem = xbpf_array_elem(array, index);

	if (array->nslots == 1)
		return elem;
	return xbpf_percpu_slot(elem, array->elem_size, xbpf_smp_processor_id());
}

static void *xbpf_array_lookup(struct xbpf_map *map, const void *key)
{
	struct xbpf_array *array = xbpf_array_of(map);
	u32 index;

	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return NULL;
	return xbpf_array_value(array, index);
}

/* Linux's checks, in its order; returns the index or -errno. */
static s64 xbpf_array_update_index(const struct xbpf_map *map, const void *key, u64 flags)
{
	u32 index;

	/* F_LOCK needs a bpf_spin_lock in the value: none without BTF. */
	if (flags > XBPF_EXIST)
		return -EINVAL;
	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return -E2BIG;
	if (flags == XBPF_NOEXIST)
		return -EEXIST;
	return index;
}

static int xbpf_array_update(struct xbpf_map *map, const void *key,
			     const void *value, u64 flags)
{
	struct xbpf_array *array = xbpf_array_of(map);
	s64 index = xbpf_array_update_index(map, key, flags);

	if (index < 0)
		return (int)index;
	memcpy(xbpf_array_value(array, (u32)index), value, map->value_size);
	return 0;
}

static int xbpf_percpu_array_lookup_user(struct xbpf_map *map, const void *key, void *value)
{
	struct xbpf_array *array = xbpf_array_of(map);
	u32 index;

	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return -ENOENT;
	xbpf_percpu_copy_out(value, xbpf_array_elem(array, index), array->elem_size,
			     map->value_size);
	return 0;
}

static int xbpf_percpu_array_update_user(struct xbpf_map *map, const void *key,
					 const void *value, u64 flags)
{
	struct xbpf_array *array = xbpf_array_of(map);
	s64 index = xbpf_array_update_index(map, key, flags);

	if (index < 0)
		return (int)index;
	xbpf_percpu_copy_in(xbpf_array_elem(array, (u32)index), value, array->elem_size,
			    map->value_size);
	return 0;
}

static int xbpf_array_delete(struct xbpf_map *map, const void *key)
{
	return -EINVAL;
}

static int xbpf_array_get_next_key(struct xbpf_map *map, const void *key, void *next_key)
{
	u32 index = 0, next = 0;

	if (key)
		memcpy(&index, key, sizeof(index));
	if (key && index < map->max_entries) {
		if (index == map->max_entries - 1)
			return -ENOENT;
		next = index + 1;
	}
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

/*
 * LDDW pseudo map value: only single-element arrays, as in Linux (the
 * program sees one fixed value: global data).  Checks off and returns the
 * address of the value; the verifier adds off.
 */
static int xbpf_array_direct_value_addr(const struct xbpf_map *map, u64 *addr, u32 off)
{
	if (map->max_entries != 1)
		return -ENOTSUPP;
	if (off >= map->value_size)
		return -EINVAL;
	*addr = (u64)(uintptr_t)xbpf_array_of(map)->values;
	return 0;
}

static void *xbpf_array_mmap_area(struct xbpf_map *map, u64 *len)
{
	struct xbpf_array *array = xbpf_array_of(map);

	if (!array->mmapable)
		return NULL;
	*len = array->area_len;
	return array->values;
}

const struct xbpf_map_ops xbpf_array_map_ops = {
	.alloc			= xbpf_array_alloc,
	.free			= xbpf_array_free,
	.lookup			= xbpf_array_lookup,
	.update			= xbpf_array_update,
	.delete			= xbpf_array_delete,
	.get_next_key		= xbpf_array_get_next_key,
	.direct_value_addr	= xbpf_array_direct_value_addr,
	.mmap_area		= xbpf_array_mmap_area,
};

/* No direct value address and no mmap for per-CPU values, as in Linux. */
const struct xbpf_map_ops xbpf_percpu_array_map_ops = {
	.alloc			= xbpf_array_alloc,
	.free			= xbpf_array_free,
	.lookup			= xbpf_array_lookup,
	.update			= xbpf_array_update,
	.delete			= xbpf_array_delete,
	.get_next_key		= xbpf_array_get_next_key,
	.lookup_user		= xbpf_percpu_array_lookup_user,
	.update_user		= xbpf_percpu_array_update_user,
};

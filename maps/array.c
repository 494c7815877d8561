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
 */
#include "map.h"

/* Arrays above this are refused (-E2BIG) before any allocation. */
#define XBPF_ARRAY_MAX_BYTES	(1ULL << 32)

struct xbpf_array {
	struct xbpf_map	map;
	u32		elem_size;	/* value_size rounded up to 8 */
	u64		*values;	/* max_entries * elem_size bytes */
};

static struct xbpf_array *xbpf_array_of(const struct xbpf_map *map)
{
	return container_of(map, struct xbpf_array, map);
}

static struct xbpf_map *xbpf_array_alloc(const struct xbpf_map_params *p, int *err)
{
	const u32 allowed = XBPF_MAP_FLAGS_ACCESS;
	struct xbpf_array *array;
	u64 bytes;
	u32 elem_size;

	*err = -EINVAL;
	if (p->key_size != sizeof(u32) || (p->map_flags & ~allowed))
		return NULL;
	elem_size = ALIGN(p->value_size, 8);
	if (check_mul_overflow((u64)elem_size, (u64)p->max_entries, &bytes) ||
	    bytes > XBPF_ARRAY_MAX_BYTES) {
		*err = -E2BIG;
		return NULL;
	}

	*err = -ENOMEM;
	array = xbpf_kzalloc(sizeof(*array));
	if (!array)
		return NULL;
	array->values = xbpf_kvzalloc((size_t)bytes);
	if (!array->values) {
		xbpf_kfree(array);
		return NULL;
	}
	array->elem_size = elem_size;
	*err = 0;
	return &array->map;
}

static void xbpf_array_free(struct xbpf_map *map)
{
	struct xbpf_array *array = xbpf_array_of(map);

	xbpf_kvfree(array->values);
	xbpf_kfree(array);
}

static void *xbpf_array_elem(const struct xbpf_array *array, u32 index)
{
	return (u8 *)array->values + (size_t)index * array->elem_size;
}

static void *xbpf_array_lookup(struct xbpf_map *map, const void *key)
{
	struct xbpf_array *array = xbpf_array_of(map);
	u32 index;

	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return NULL;
	return xbpf_array_elem(array, index);
}

static int xbpf_array_update(struct xbpf_map *map, const void *key,
			     const void *value, u64 flags)
{
	struct xbpf_array *array = xbpf_array_of(map);
	u32 index;

	/* F_LOCK needs a bpf_spin_lock in the value: none without BTF. */
	if (flags > XBPF_EXIST)
		return -EINVAL;
	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return -E2BIG;
	if (flags == XBPF_NOEXIST)
		return -EEXIST;
	memcpy(xbpf_array_elem(array, index), value, map->value_size);
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

const struct xbpf_map_ops xbpf_array_map_ops = {
	.alloc			= xbpf_array_alloc,
	.free			= xbpf_array_free,
	.lookup			= xbpf_array_lookup,
	.update			= xbpf_array_update,
	.delete			= xbpf_array_delete,
	.get_next_key		= xbpf_array_get_next_key,
	.direct_value_addr	= xbpf_array_direct_value_addr,
};

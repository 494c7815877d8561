// SPDX-License-Identifier: GPL-2.0
/*
 * The map core: parameter checks common to every type, dispatch to the
 * type's ops, and the reference count.
 *
 * Lifetime: xbpf_map_create() returns one reference, which is also a user
 * reference.  Owners take and drop references with xbpf_map_get()/
 * xbpf_map_put(); the fd layer holds user references (xbpf_map_get_uref()/
 * xbpf_map_put_uref()), programs plain ones.  Running programs use a map without a
 * reference, inside an RCU read-side section, so the last put defers the
 * free past a grace period; ops->free then runs with no reader left.
 */
#include "map.h"
#include "../ringbuf/ringbuf.h"

static const struct xbpf_map_ops *const xbpf_map_types[__XBPF_MAP_TYPE_MAX] = {
	[XBPF_MAP_TYPE_HASH]	= &xbpf_htab_map_ops,
	[XBPF_MAP_TYPE_ARRAY]	= &xbpf_array_map_ops,
	[XBPF_MAP_TYPE_PROG_ARRAY] = &xbpf_prog_array_map_ops,
	[XBPF_MAP_TYPE_RINGBUF]	= &xbpf_ringbuf_map_ops,
	[XBPF_MAP_TYPE_PERCPU_HASH]	= &xbpf_htab_map_ops,
	[XBPF_MAP_TYPE_PERCPU_ARRAY]	= &xbpf_percpu_array_map_ops,
	[XBPF_MAP_TYPE_LRU_HASH]	= &xbpf_htab_map_ops,
	[XBPF_MAP_TYPE_LRU_PERCPU_HASH]	= &xbpf_htab_map_ops,
};

static const struct xbpf_map_ops *xbpf_map_type_ops(u32 map_type)
{
	if (map_type >= __XBPF_MAP_TYPE_MAX)
		return NULL;
	return xbpf_map_types[map_type];
}

bool xbpf_map_type_supported(u32 map_type)
{
	return xbpf_map_type_ops(map_type) != NULL;
}

/* As bpf(2): [A-Za-z0-9_.]*, NUL-terminated inside the field. */
static bool xbpf_map_name_valid(const char *name)
{
	u32 i;

	for (i = 0; i < XBPF_OBJ_NAME_LEN; i++) {
		char c = name[i];

		if (!c)
			return true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.'))
			return false;
	}
	return false;
}

static int xbpf_map_check_params(const struct xbpf_map_params *p)
{
	if (!xbpf_map_type_ops(p->map_type))
		return -EINVAL;
	if (!p->max_entries)
		return -EINVAL;
	/* A ring buffer has no elements: its type requires both sizes 0. */
	if (p->map_type != XBPF_MAP_TYPE_RINGBUF && (!p->key_size || !p->value_size))
		return -EINVAL;
	if (p->map_flags & ~XBPF_MAP_FLAGS_ALL)
		return -EINVAL;
	/* Read-only and write-only at once leaves no access at all. */
	if ((p->map_flags & XBPF_F_RDONLY) && (p->map_flags & XBPF_F_WRONLY))
		return -EINVAL;
	if ((p->map_flags & XBPF_F_RDONLY_PROG) && (p->map_flags & XBPF_F_WRONLY_PROG))
		return -EINVAL;
	if (!xbpf_map_name_valid(p->name))
		return -EINVAL;
	if (p->key_size > XBPF_MAP_MAX_KEY_SIZE || p->value_size > XBPF_MAP_MAX_VALUE_SIZE)
		return -E2BIG;
	return 0;
}

struct xbpf_map *xbpf_map_create(const struct xbpf_map_params *p, int *err)
{
	const struct xbpf_map_ops *ops;
	struct xbpf_map *map;

	*err = xbpf_map_check_params(p);
	if (*err)
		return NULL;
	ops = xbpf_map_type_ops(p->map_type);
	map = ops->alloc(p, err);
	if (!map) {
		if (!*err)
			*err = -ENOMEM;
		return NULL;
	}
	map->ops = ops;
	map->map_type = p->map_type;
	map->key_size = p->key_size;
	map->value_size = p->value_size;
	/* A type may have adjusted it (NO_COMMON_LRU rounds to the CPUs). */
	if (!map->max_entries)
		map->max_entries = p->max_entries;
	map->map_flags = p->map_flags;
	memcpy(map->name, p->name, sizeof(map->name));
	xbpf_refcount_set(&map->refcnt, 1);
	xbpf_refcount_set(&map->usercnt, 1);
	xbpf_lock_init(&map->freeze_lock);
	*err = 0;
	return map;
}

void xbpf_map_get(struct xbpf_map *map)
{
	xbpf_refcount_inc(&map->refcnt);
}

void xbpf_map_get_uref(struct xbpf_map *map)
{
	xbpf_refcount_inc(&map->refcnt);
	xbpf_refcount_inc(&map->usercnt);
}

/*
 * A user reference on a map found by id (MAP_GET_FD_BY_ID): false once the
 * last reference is gone.  usercnt may be 0 while programs still hold the
 * map; as in Linux the new fd counts again (a program array emptied by
 * the last fd's release_uref stays empty).  Revivals from 0 must not race
 * each other: the caller serialises them (the id lock).  Nothing else can
 * raise usercnt from 0, since every other user reference comes from an fd.
 */
bool xbpf_map_get_uref_live(struct xbpf_map *map)
{
	if (!xbpf_refcount_inc_not_zero(&map->refcnt))
		return false;
	if (!xbpf_refcount_inc_not_zero(&map->usercnt))
		xbpf_refcount_set(&map->usercnt, 1);
	return true;
}

void xbpf_map_put_uref(struct xbpf_map *map)
{
	if (!map)
		return;
	/* Our own reference keeps the map alive across release_uref. */
	if (xbpf_refcount_dec_and_test(&map->usercnt) && map->ops->release_uref)
		map->ops->release_uref(map);
	xbpf_map_put(map);
}

static void xbpf_map_free_rcu(xbpf_rcu_head_t *head)
{
	struct xbpf_map *map = container_of(head, struct xbpf_map, rcu);

	/* The owner drops its id and wrapper while the map still exists. */
	if (map->owner_release)
		map->owner_release(map);
	map->ops->free(map);
}

void xbpf_map_put(struct xbpf_map *map)
{
	if (!map)
		return;
	if (xbpf_refcount_dec_and_test(&map->refcnt))
		xbpf_call_rcu(&map->rcu, xbpf_map_free_rcu);
}

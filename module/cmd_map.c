// SPDX-License-Identifier: GPL-2.0
/*
 * MAP_CREATE and the MAP_*_ELEM commands, with bpf(2) semantics.
 *
 * Keys and values move through kernel buffers of the map's own sizes
 * (bounded when the map was created), never through user-sized stack
 * arrays.  A PROG_ARRAY takes program fds and gives back program ids
 * (maps/prog_array.c).  Map operations run under rcu_read_lock(), as they do when a
 * program calls them, and a looked-up value is copied out before the
 * read side ends.  Values are xbpf_map_value_size_user() bytes: every
 * possible CPU's copy for per-CPU types, as bpf(2).  A frozen map
 * (BPF_MAP_FREEZE) takes no more writes from here: its fds lose write
 * access (-EPERM), as Linux's map_get_sys_perms.
 */
#include <linux/uaccess.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include "xbpf_mod.h"

#define XBPF_MAP_RDWR_FLAGS	(XBPF_F_RDONLY | XBPF_F_WRONLY)

int xbpf_cmd_map_create(union xbpf_attr *attr)
{
	struct xbpf_map_params p;
	struct xbpf_caps caps;
	struct xbpf_map *map;
	int err = 0;

	xbpf_caps_current(&caps);
	if (!caps.bpf_capable)
		return -EPERM;

	/* no map-in-map, offload or bloom filters yet; BTF: map_btf.c */
	if (attr->inner_map_fd || attr->map_ifindex || attr->map_extra)
		return -EINVAL;
	if ((attr->map_flags & XBPF_MAP_RDWR_FLAGS) == XBPF_MAP_RDWR_FLAGS)
		return -EINVAL;
	if ((attr->map_flags & XBPF_F_NUMA_NODE) &&
	    (attr->numa_node >= nr_node_ids || !node_online(attr->numa_node)))
		return -EINVAL;

	memset(&p, 0, sizeof(p));
	p.map_type = attr->map_type;
	p.key_size = attr->key_size;
	p.value_size = attr->value_size;
	p.max_entries = attr->max_entries;
	p.map_flags = attr->map_flags;
	err = xbpf_obj_name_cpy(p.name, attr->map_name, sizeof(p.name));
	if (err)
		return err;

	map = xbpf_map_create(&p, &err);
	if (!map)
		return err ? err : -EINVAL;
	err = xbpf_map_btf_attach(map, attr);
	if (err) {
		xbpf_map_put(map);
		return err;
	}
	return xbpf_map_install(map);
}

/* Kernel copy of a key; NULL for a zero-size key given as NULL. */
static void *xbpf_copy_key(struct xbpf_map *map, u64 ukey)
{
	if (map->key_size)
		return vmemdup_user(u64_to_user_ptr(ukey), map->key_size);
	return ukey ? ERR_PTR(-EINVAL) : NULL;
}

/*
 * What every element command starts with: the map behind attr->map_fd,
 * whose fd must be open for @need (FMODE_READ or FMODE_WRITE), and a
 * kernel copy of attr->key.  With @null_key_ok a missing key stays NULL
 * (GET_NEXT_KEY: "the first key").  On success the caller owns the map
 * reference and the key, and gives both back with xbpf_elem_end().
 */
static struct xbpf_map *xbpf_elem_begin(const union xbpf_attr *attr,
					fmode_t need, bool null_key_ok,
					void **keyp)
{
	struct xbpf_map *map;
	fmode_t mode;
	void *key = NULL;

	map = xbpf_map_from_fd(attr->map_fd, &mode);
	if (IS_ERR(map))
		return map;
	/* a writer counts until xbpf_elem_end: freeze waits for none */
	if (!(mode & need) || ((need & FMODE_WRITE) && xbpf_map_write_begin(map))) {
		xbpf_map_put(map);
		return ERR_PTR(-EPERM);
	}
	if (attr->key || !null_key_ok) {
		key = xbpf_copy_key(map, attr->key);
		if (IS_ERR(key)) {
			if (need & FMODE_WRITE)
				xbpf_map_write_end(map);
			xbpf_map_put(map);
			return key;
		}
	}
	*keyp = key;
	return map;
}

static void xbpf_elem_end(struct xbpf_map *map, void *key, fmode_t need)
{
	kvfree(key);
	if (need & FMODE_WRITE)
		xbpf_map_write_end(map);
	xbpf_map_put(map);
}

int xbpf_cmd_map_lookup(union xbpf_attr *attr)
{
	struct xbpf_map *map;
	void *key, *value;
	u32 size;
	int err;

	/* XBPF_F_LOCK needs a spin lock in the value, which no map has yet */
	if (attr->flags)
		return -EINVAL;

	map = xbpf_elem_begin(attr, FMODE_READ, false, &key);
	if (IS_ERR(map))
		return PTR_ERR(map);

	/* a program array reads back the program's id, as bpf(2) */
	if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY) {
		u32 id;

		err = xbpf_prog_array_lookup_id(map, key, &id);
		if (!err && copy_to_user(u64_to_user_ptr(attr->value), &id, sizeof(id)))
			err = -EFAULT;
		goto out;
	}

	/* a type without elements (ring buffer): Linux's -ENOTSUPP */
	if (!map->ops->lookup) {
		err = -ENOTSUPP;
		goto out;
	}

	size = xbpf_map_value_size_user(map);
	value = kvmalloc(size, GFP_USER | __GFP_NOWARN);
	if (!value) {
		err = -ENOMEM;
		goto out;
	}

	rcu_read_lock();
	err = xbpf_map_lookup_user(map, key, value);
	rcu_read_unlock();

	if (!err && copy_to_user(u64_to_user_ptr(attr->value), value, size))
		err = -EFAULT;

	kvfree(value);
out:
	xbpf_elem_end(map, key, FMODE_READ);
	return err;
}

int xbpf_cmd_map_update(union xbpf_attr *attr)
{
	struct xbpf_map *map;
	void *key, *value;
	int err;

	/* ANY, NOEXIST or EXIST; F_LOCK: no map has spin locks yet */
	if (attr->flags > XBPF_EXIST)
		return -EINVAL;

	map = xbpf_elem_begin(attr, FMODE_WRITE, false, &key);
	if (IS_ERR(map))
		return PTR_ERR(map);

	value = vmemdup_user(u64_to_user_ptr(attr->value), xbpf_map_value_size_user(map));
	if (IS_ERR(value)) {
		err = PTR_ERR(value);
		goto out;
	}

	if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY) {
		/* the value is a program fd; may drop a program: no RCU reader */
		err = xbpf_prog_array_update(map, key, value, attr->flags,
					     xbpf_core_prog_from_fd, NULL);
	} else {
		rcu_read_lock();
		err = xbpf_map_update_user(map, key, value, attr->flags);
		rcu_read_unlock();
	}

	kvfree(value);
out:
	xbpf_elem_end(map, key, FMODE_WRITE);
	return err;
}

int xbpf_cmd_map_delete(union xbpf_attr *attr)
{
	struct xbpf_map *map;
	void *key;
	int err;

	map = xbpf_elem_begin(attr, FMODE_WRITE, false, &key);
	if (IS_ERR(map))
		return PTR_ERR(map);

	if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY) {
		/* re-patches JIT call sites (may sleep); drops a program */
		err = map->ops->delete(map, key);
	} else {
		rcu_read_lock();
		err = map->ops->delete(map, key);
		rcu_read_unlock();
	}

	xbpf_elem_end(map, key, FMODE_WRITE);
	return err;
}

int xbpf_cmd_map_get_next_key(union xbpf_attr *attr)
{
	struct xbpf_map *map;
	void *key, *next_key;
	int err;

	/* a NULL key asks for the first key */
	map = xbpf_elem_begin(attr, FMODE_READ, true, &key);
	if (IS_ERR(map))
		return PTR_ERR(map);

	next_key = kvmalloc(map->key_size ? map->key_size : 1,
			    GFP_USER | __GFP_NOWARN);
	if (!next_key) {
		err = -ENOMEM;
		goto out;
	}

	rcu_read_lock();
	err = map->ops->get_next_key(map, key, next_key);
	rcu_read_unlock();

	if (!err && copy_to_user(u64_to_user_ptr(attr->next_key), next_key,
				 map->key_size))
		err = -EFAULT;

	kvfree(next_key);
out:
	xbpf_elem_end(map, key, FMODE_READ);
	return err;
}

/*
 * BPF_MAP_FREEZE: from now on user space reads only.  Like Linux, any fd
 * of the map may freeze it (no write access needed), but only with
 * CAP_BPF, and not while a writable mapping exists.
 */
int xbpf_cmd_map_freeze(union xbpf_attr *attr)
{
	struct xbpf_map *map;
	struct xbpf_caps caps;
	int err;

	map = xbpf_map_from_fd(attr->map_fd, NULL);
	if (IS_ERR(map))
		return PTR_ERR(map);
	xbpf_caps_current(&caps);
	err = xbpf_map_freeze(map, caps.bpf_capable);
	xbpf_map_put(map);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * MAP_CREATE's BTF: btf_fd with btf_key_type_id / btf_value_type_id, as
 * Linux 6.1 checks them, so libbpf's maps (and its global data maps,
 * which describe their value with a DATASEC) keep their types instead of
 * being retried without BTF.
 *
 * The rules: with only a key id nothing is checked; with a value id the
 * key type (unless 0) and the value type must resolve to types of
 * exactly key_size and value_size bytes.  Then per map type: arrays
 * need a 32-bit int key, or no key at all for a one-entry array whose
 * value is a DATASEC (.data/.rodata/.bss); the map types Linux refuses
 * BTF for say -ENOTSUPP; others with a key id of 0 are -EINVAL.
 * btf_vmlinux_value_type_id belongs to struct_ops maps, which xbpf does
 * not have: -EINVAL, as for any other map type in 6.1.
 *
 * Not modelled: bpf_spin_lock, bpf_timer and kptr fields in values.  No
 * xbpf program can use them (the helpers are not offered), so their maps
 * are accepted as plain values.
 */
#include <linux/file.h>
#include "xbpf_mod.h"
#include "btf/btf.h"

static bool xbpf_map_btf_refused(u32 type)
{
	switch (type) {
	case XBPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case XBPF_MAP_TYPE_CGROUP_ARRAY:
	case XBPF_MAP_TYPE_ARRAY_OF_MAPS:
	case XBPF_MAP_TYPE_HASH_OF_MAPS:
	case XBPF_MAP_TYPE_STACK_TRACE:
	case XBPF_MAP_TYPE_CPUMAP:
	case XBPF_MAP_TYPE_DEVMAP:
	case XBPF_MAP_TYPE_DEVMAP_HASH:
		return true;
	}
	return false;
}

static bool xbpf_map_btf_is_array(u32 type)
{
	return type == XBPF_MAP_TYPE_ARRAY || type == XBPF_MAP_TYPE_PERCPU_ARRAY;
}

static int xbpf_map_btf_array(const struct xbpf_map *map,
			      const struct xbpf_btf_type *key,
			      const struct xbpf_btf_type *value)
{
	u32 d;

	if (!key) {
		/* global data: one DATASEC value, no key type */
		if (map->map_type != XBPF_MAP_TYPE_ARRAY || map->max_entries != 1)
			return -EINVAL;
		return xbpf_btf_kind(value) == XBPF_BTF_KIND_DATASEC ? 0 : -EINVAL;
	}
	if (xbpf_btf_kind(key) != XBPF_BTF_KIND_INT)
		return -EINVAL;
	d = *(const u32 *)(key + 1);
	if (XBPF_BTF_INT_BITS(d) != 32 || XBPF_BTF_INT_OFFSET(d))
		return -EINVAL;
	return 0;
}

static int xbpf_map_btf_check(const struct xbpf_map *map, const struct xbpf_btf *btf,
			      u32 key_id, u32 value_id)
{
	const struct xbpf_btf_type *key = NULL, *value;
	u32 size;

	if (key_id) {
		key = xbpf_btf_type_id_size(btf, &key_id, &size);
		if (!key || size != map->key_size)
			return -EINVAL;
	} else if (!xbpf_map_btf_is_array(map->map_type) &&
		   !xbpf_map_btf_refused(map->map_type)) {
		return -EINVAL;
	}
	value = xbpf_btf_type_id_size(btf, &value_id, &size);
	if (!value || size != map->value_size)
		return -EINVAL;
	if (xbpf_map_btf_refused(map->map_type))
		return -ENOTSUPP;
	if (xbpf_map_btf_is_array(map->map_type))
		return xbpf_map_btf_array(map, key, value);
	return 0;
}

/*
 * Gives @map the BTF of MAP_CREATE's attributes (a new reference, which
 * the map's final free drops), or leaves it without when none is asked
 * for.  Called before the map is installed; on error the caller puts it.
 */
int xbpf_map_btf_attach(struct xbpf_map *map, const union xbpf_attr *attr)
{
	struct xbpf_btf *btf;
	struct fd f;
	int err = 0;

	if (attr->btf_vmlinux_value_type_id)
		return -EINVAL;
	if (!attr->btf_key_type_id && !attr->btf_value_type_id)
		return 0;	/* btf_fd alone is ignored, as in Linux */

	f = fdget(attr->btf_fd);
	if (!f.file)
		return -EBADF;
	btf = xbpf_btf_from_file(f.file);
	if (!btf) {
		fdput(f);
		return -EINVAL;
	}
	if (attr->btf_value_type_id)
		err = xbpf_map_btf_check(map, btf, attr->btf_key_type_id,
					 attr->btf_value_type_id);
	if (!err) {
		xbpf_btf_get(btf);
		map->btf = btf;
		map->btf_key_type_id = attr->btf_key_type_id;
		map->btf_value_type_id = attr->btf_value_type_id;
	}
	fdput(f);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers a program may call (BPF_CALL, src_reg 0), by Linux helper id.
 *
 * Two tables: the base helpers below, which only need the core and so exist
 * in both builds, and helpers the module registers at init with
 * xbpf_helper_register() because they need kernel-only facilities
 * (trace_printk, probe_read, current task...).  Lookups are a plain array
 * index: the interpreter resolves the proto on every call.
 *
 * Helpers are called with the interpreter's RCU read lock held.
 */
#include "xbpf_core.h"
#include "../ringbuf/ringbuf.h"

static u64 xbpf_bpf_map_lookup_elem(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct xbpf_map *map = (struct xbpf_map *)(uintptr_t)r1;

	if (!map->ops->lookup)
		return 0;
	return (u64)(uintptr_t)map->ops->lookup(map, (const void *)(uintptr_t)r2);
}

static u64 xbpf_bpf_map_update_elem(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct xbpf_map *map = (struct xbpf_map *)(uintptr_t)r1;

	if (!map->ops->update)
		return (u64)-EOPNOTSUPP;
	return (u64)(s64)map->ops->update(map, (const void *)(uintptr_t)r2,
					  (const void *)(uintptr_t)r3, r4);
}

static u64 xbpf_bpf_map_delete_elem(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct xbpf_map *map = (struct xbpf_map *)(uintptr_t)r1;

	/*
	 * A program array's delete is user space's (it may sleep to patch
	 * JIT call sites); the walk refuses this call, an unproved program
	 * run under the checked model must not reach it either.
	 */
	if (!map->ops->delete || map->map_type == XBPF_MAP_TYPE_PROG_ARRAY)
		return (u64)-EOPNOTSUPP;
	return (u64)(s64)map->ops->delete(map, (const void *)(uintptr_t)r2);
}

/*
 * bpf_tail_call is not a function: the interpreter intercepts helper 12
 * and jumps (interp/interp.c).  This body only exists so the helper has a
 * proto; were it ever called, the tail call would simply not happen,
 * which is one of the call's documented outcomes.
 */
static u64 xbpf_bpf_tail_call(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return 0;
}

static u64 xbpf_bpf_ktime_get_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return xbpf_ktime_get_ns();
}

static u64 xbpf_bpf_ktime_get_boot_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return xbpf_ktime_get_boot_ns();
}

static u64 xbpf_bpf_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return xbpf_prandom_u32();
}

static u64 xbpf_bpf_get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return xbpf_smp_processor_id();
}

#define XBPF_PROTO(_id, _fn, _ret, ...)					\
	[XBPF_FUNC_##_id] = {						\
		.id = XBPF_FUNC_##_id, .name = #_id, .fn = (_fn),	\
		.ret = (_ret), .arg = { __VA_ARGS__ },			\
	}

static const struct xbpf_helper_proto xbpf_base_helpers[] = {
	XBPF_PROTO(map_lookup_elem, xbpf_bpf_map_lookup_elem,
		   XBPF_RET_PTR_TO_MAP_VALUE_OR_NULL,
		   XBPF_ARG_CONST_MAP_PTR, XBPF_ARG_PTR_TO_MAP_KEY),
	XBPF_PROTO(map_update_elem, xbpf_bpf_map_update_elem, XBPF_RET_INTEGER,
		   XBPF_ARG_CONST_MAP_PTR, XBPF_ARG_PTR_TO_MAP_KEY,
		   XBPF_ARG_PTR_TO_MAP_VALUE, XBPF_ARG_ANYTHING),
	XBPF_PROTO(map_delete_elem, xbpf_bpf_map_delete_elem, XBPF_RET_INTEGER,
		   XBPF_ARG_CONST_MAP_PTR, XBPF_ARG_PTR_TO_MAP_KEY),
	/* Linux's bpf_tail_call_proto: (ctx, prog array, u32 index), no result */
	XBPF_PROTO(tail_call, xbpf_bpf_tail_call, XBPF_RET_VOID,
		   XBPF_ARG_PTR_TO_CTX, XBPF_ARG_CONST_MAP_PTR, XBPF_ARG_ANYTHING),
	XBPF_PROTO(ktime_get_ns, xbpf_bpf_ktime_get_ns, XBPF_RET_INTEGER),
	XBPF_PROTO(get_prandom_u32, xbpf_bpf_get_prandom_u32, XBPF_RET_INTEGER),
	XBPF_PROTO(get_smp_processor_id, xbpf_bpf_get_smp_processor_id,
		   XBPF_RET_INTEGER),
	XBPF_PROTO(ktime_get_boot_ns, xbpf_bpf_ktime_get_boot_ns,
		   XBPF_RET_INTEGER),
	/* skb programs only (verifier/func_proto.c); bodies in core/skb.c */
	XBPF_PROTO(skb_load_bytes, xbpf_bpf_skb_load_bytes, XBPF_RET_INTEGER,
		   XBPF_ARG_PTR_TO_CTX, XBPF_ARG_ANYTHING, XBPF_ARG_PTR_TO_UNINIT_MEM,
		   XBPF_ARG_CONST_SIZE),
	XBPF_PROTO(skb_load_bytes_relative, xbpf_bpf_skb_load_bytes_relative,
		   XBPF_RET_INTEGER,
		   XBPF_ARG_PTR_TO_CTX, XBPF_ARG_ANYTHING, XBPF_ARG_PTR_TO_UNINIT_MEM,
		   XBPF_ARG_CONST_SIZE, XBPF_ARG_ANYTHING),
};

/*
 * Module-registered helpers, indexed by id.  Written only by
 * xbpf_helper_register() before programs can be loaded; the ONCE accessors
 * keep a racing reader from seeing a torn pointer anyway.
 */
static const struct xbpf_helper_proto *xbpf_extra_helpers[__XBPF_FUNC_MAX_ID];

const struct xbpf_helper_proto *xbpf_helper_proto(u32 id)
{
	/* Holes in the designated-initializer table have a NULL fn. */
	if (id < ARRAY_SIZE(xbpf_base_helpers) && xbpf_base_helpers[id].fn)
		return &xbpf_base_helpers[id];
	/* The ring buffer's helpers come with its map type, in both builds. */
	if (xbpf_ringbuf_helper_id(id))
		return xbpf_ringbuf_helper_proto(id);
	if (id < __XBPF_FUNC_MAX_ID)
		return READ_ONCE(xbpf_extra_helpers[id]);
	return NULL;
}

int xbpf_helper_register(const struct xbpf_helper_proto *protos, u32 cnt)
{
	u32 i;

	for (i = 0; i < cnt; i++) {
		u32 id = protos[i].id;

		if (!id || id >= __XBPF_FUNC_MAX_ID || !protos[i].fn)
			return -EINVAL;
		if (xbpf_helper_proto(id))
			return -EEXIST;
	}
	for (i = 0; i < cnt; i++)
		WRITE_ONCE(xbpf_extra_helpers[protos[i].id], &protos[i]);
	return 0;
}

void xbpf_helper_unregister(const struct xbpf_helper_proto *protos, u32 cnt)
{
	u32 i;

	for (i = 0; i < cnt; i++)
		if (protos[i].id < __XBPF_FUNC_MAX_ID &&
		    READ_ONCE(xbpf_extra_helpers[protos[i].id]) == &protos[i])
			WRITE_ONCE(xbpf_extra_helpers[protos[i].id], NULL);
}

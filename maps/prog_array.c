// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_PROG_ARRAY: max_entries slots, each empty or holding a
 * program (and one reference on it), the targets of bpf_tail_call.
 *
 * Linux's rules (kernel/bpf/arraymap.c, 6.1):
 *  - create: key_size 4, value_size 4 (user space passes program fds),
 *    max_entries > 0, flags among NUMA_NODE, RDONLY and WRONLY (not the
 *    program-side access flags, not MMAPABLE, INNER_MAP, PRESERVE_ELEMS);
 *  - update from user space: BPF_ANY only (-EINVAL), index out of range
 *    -E2BIG, then the fd is resolved (-EBADF / -EINVAL), then the program
 *    must be compatible with the array's owner (-EINVAL);
 *  - lookup from user space gives the program's id (-ENOENT if empty or
 *    out of range); delete: -E2BIG out of range, -ENOENT when empty;
 *    get_next_key as an ARRAY;
 *  - programs reach it only through bpf_tail_call (the verifier refuses
 *    the element helpers; lookup and update have no op here, so even an
 *    unproved program gets NULL / -EOPNOTSUPP);
 *  - when the last user reference goes, every slot is emptied: a program
 *    held by an array it tail-calls through holds that array, so without
 *    this the pair would keep each other alive forever.
 *
 * Concurrency: writers (update, delete, clear, the owner facts) take the
 * array's lock and never drop a program reference under it; the tail-call
 * path reads a slot under RCU without a lock.  A program taken out of a
 * slot is put after the swap; its memory goes only after a grace period
 * (core/prog.c), so a run that read the old pointer finishes safely.
 * Slot changes also hold the owner's hook lock (prog_array_hooks.h)
 * around the swap and its slot_changed call, which may sleep: every
 * slot change runs in process context, with no lock or RCU held.
 */
#include "map.h"
#include "prog_array.h"
#include "prog_array_hooks.h"

/* The engine a program array's programs run in (owner rule). */
enum {
	XBPF_PA_ENGINE_NONE = 0,	/* no program has said yet */
	XBPF_PA_ENGINE_INTERP,
	XBPF_PA_ENGINE_JIT,
};

const struct xbpf_prog_array_hooks *xbpf_prog_array_hooks;

/* As ARRAY: tables above this are refused (-E2BIG) before allocating. */
#define XBPF_PROG_ARRAY_MAX_BYTES	(1ULL << 32)

static struct xbpf_prog_array *xbpf_prog_array_of(const struct xbpf_map *map)
{
	return container_of(map, struct xbpf_prog_array, map);
}

/* Only our own maps: a map of this type with other ops is not ours to read. */
static bool xbpf_is_prog_array(const struct xbpf_map *map)
{
	return map && map->map_type == XBPF_MAP_TYPE_PROG_ARRAY &&
	       map->ops == &xbpf_prog_array_map_ops;
}

static struct xbpf_map *xbpf_prog_array_alloc(const struct xbpf_map_params *p, int *err)
{
	const u32 allowed = XBPF_F_NUMA_NODE | XBPF_F_RDONLY | XBPF_F_WRONLY;
	struct xbpf_prog_array *pa;
	u64 bytes;

	*err = -EINVAL;
	if (p->key_size != sizeof(u32) || p->value_size != sizeof(u32) ||
	    (p->map_flags & ~allowed))
		return NULL;
	/* index_mask + 1 slots: a masked index never leaves the table */
	bytes = ((u64)xbpf_prog_array_index_mask(p->max_entries) + 1) * sizeof(pa->progs[0]);
	if (bytes > XBPF_PROG_ARRAY_MAX_BYTES) {
		*err = -E2BIG;
		return NULL;
	}
	*err = -ENOMEM;
	pa = xbpf_kvzalloc(sizeof(*pa) + (size_t)bytes);
	if (!pa)
		return NULL;
	xbpf_lock_init(&pa->lock);
	if (xbpf_prog_array_hooks) {
		*err = xbpf_prog_array_hooks->init(&pa->map, &pa->hook_state);
		if (*err) {
			xbpf_kvfree(pa);
			return NULL;
		}
	}
	*err = 0;
	return &pa->map;
}

void *xbpf_prog_array_hook_state(const struct xbpf_map *map)
{
	return xbpf_is_prog_array(map) ? xbpf_prog_array_of(map)->hook_state : NULL;
}

const struct xbpf_prog *xbpf_prog_array_slot_locked(const struct xbpf_map *map, u32 index)
{
	const struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	const struct xbpf_prog *prog;

	if (index >= map->max_entries)
		return NULL;
	/* stable: every writer holds the hook lock the caller holds */
	xbpf_rcu_read_lock();
	prog = xbpf_rcu_dereference(pa->progs[index]);
	xbpf_rcu_read_unlock();
	return prog;
}

static void xbpf_prog_array_hook_lock(struct xbpf_prog_array *pa)
{
	if (pa->hook_state)
		xbpf_prog_array_hooks->lock(pa->hook_state);
}

static void xbpf_prog_array_hook_unlock(struct xbpf_prog_array *pa)
{
	if (pa->hook_state)
		xbpf_prog_array_hooks->unlock(pa->hook_state);
}

static void xbpf_prog_array_changed(struct xbpf_prog_array *pa, u32 index,
				    const struct xbpf_prog *old, const struct xbpf_prog *new)
{
	if (pa->hook_state && old != new)
		xbpf_prog_array_hooks->slot_changed(&pa->map, pa->hook_state, index, old, new);
}

/*
 * Empties slot index; returns what it held (the caller puts it).  After
 * the hooks saw the change, so a patched call never jumps to a program
 * that is gone.
 */
static struct xbpf_prog *xbpf_prog_array_take(struct xbpf_prog_array *pa, u32 index)
{
	struct xbpf_prog *old;
	unsigned long irqflags = 0;

	xbpf_prog_array_hook_lock(pa);
	xbpf_lock_irqsave(&pa->lock, irqflags);
	old = pa->progs[index];
	xbpf_rcu_assign_pointer(pa->progs[index], NULL);
	xbpf_unlock_irqrestore(&pa->lock, irqflags);
	xbpf_prog_array_changed(pa, index, old, NULL);
	xbpf_prog_array_hook_unlock(pa);
	return old;
}

/*
 * The last reference: no reader is left.  Normally release_uref emptied
 * every slot already; a map that never had a user reference dropped (a
 * core-only owner, the unit tests) may still hold programs.
 */
static void xbpf_prog_array_free(struct xbpf_map *map)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	u32 i;

	for (i = 0; i < map->max_entries; i++)
		if (pa->progs[i])
			xbpf_prog_put(pa->progs[i]);
	/* no site is left: each held a reference on the map */
	if (pa->hook_state)
		xbpf_prog_array_hooks->free(map, pa->hook_state);
	xbpf_kvfree(pa);
}

static void xbpf_prog_array_release_uref(struct xbpf_map *map)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	unsigned long irqflags = 0;
	u32 i;

	/*
	 * An update racing the last close must not refill a slot after us.
	 * Process context (an fd's release, or a command's error path), as
	 * take's hooks need.
	 */
	xbpf_lock_irqsave(&pa->lock, irqflags);
	pa->released = true;
	xbpf_unlock_irqrestore(&pa->lock, irqflags);
	for (i = 0; i < map->max_entries; i++) {
		xbpf_prog_put(xbpf_prog_array_take(pa, i));
		if (!(i & 1023))
			xbpf_cond_resched();
	}
}

static int xbpf_prog_array_delete(struct xbpf_map *map, const void *key)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	struct xbpf_prog *old;
	u32 index;

	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return -E2BIG;
	old = xbpf_prog_array_take(pa, index);
	if (!old)
		return -ENOENT;
	xbpf_prog_put(old);
	return 0;
}

static int xbpf_prog_array_get_next_key(struct xbpf_map *map, const void *key, void *next_key)
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

const struct xbpf_map_ops xbpf_prog_array_map_ops = {
	.alloc		= xbpf_prog_array_alloc,
	.free		= xbpf_prog_array_free,
	/* no lookup, no update: user space goes through the functions below */
	/* process context, no RCU held: the hooks may sleep */
	.delete		= xbpf_prog_array_delete,
	.get_next_key	= xbpf_prog_array_get_next_key,
	.release_uref	= xbpf_prog_array_release_uref,
};

bool xbpf_prog_array_compatible(struct xbpf_map *map, const struct xbpf_prog *prog)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	unsigned long irqflags = 0;
	bool ok = true;

	xbpf_lock_irqsave(&pa->lock, irqflags);
	if (!pa->owned) {
		pa->owned = true;
		pa->owner_type = prog->type;
		pa->owner_attach_type = prog->expected_attach_type;
		pa->owner_xdp_has_frags = prog->xdp_has_frags;
	} else {
		/*
		 * Linux also compares jited here; xbpf decides the engine
		 * after the verifier, so that half is
		 * xbpf_prog_array_engine_ok(), called once bpf_func is final.
		 */
		ok = pa->owner_type == prog->type &&
		     pa->owner_attach_type == prog->expected_attach_type &&
		     pa->owner_xdp_has_frags == prog->xdp_has_frags;
	}
	xbpf_unlock_irqrestore(&pa->lock, irqflags);
	return ok;
}

int xbpf_prog_check_tail_maps(const struct xbpf_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->nr_maps; i++)
		if (xbpf_is_prog_array(prog->maps[i]) &&
		    !xbpf_prog_array_compatible(prog->maps[i], prog))
			return -EINVAL;
	return 0;
}

bool xbpf_prog_array_engine_ok(struct xbpf_map *map, const struct xbpf_prog *prog)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	u8 engine = prog->bpf_func ? XBPF_PA_ENGINE_JIT : XBPF_PA_ENGINE_INTERP;
	unsigned long irqflags = 0;
	bool ok;

	xbpf_lock_irqsave(&pa->lock, irqflags);
	if (pa->owner_engine == XBPF_PA_ENGINE_NONE)
		pa->owner_engine = engine;
	ok = pa->owner_engine == engine;
	xbpf_unlock_irqrestore(&pa->lock, irqflags);
	if (!ok && xbpf_prog_array_hooks && xbpf_prog_array_hooks->refused)
		xbpf_prog_array_hooks->refused(map, prog);
	return ok;
}

int xbpf_prog_check_tail_engines(const struct xbpf_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->nr_maps; i++)
		if (xbpf_is_prog_array(prog->maps[i]) &&
		    !xbpf_prog_array_engine_ok(prog->maps[i], prog))
			return -EINVAL;
	return 0;
}

int xbpf_prog_array_update(struct xbpf_map *map, const void *key, const void *value,
			   u64 flags, xbpf_prog_from_fd_fn prog_from_fd, void *priv)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	struct xbpf_prog *prog, *old;
	unsigned long irqflags = 0;
	u32 index, ufd;
	int err = 0;

	if (!xbpf_is_prog_array(map))
		return -EINVAL;
	if (flags != XBPF_ANY)
		return -EINVAL;
	memcpy(&index, key, sizeof(index));
	if (index >= map->max_entries)
		return -E2BIG;
	memcpy(&ufd, value, sizeof(ufd));
	prog = prog_from_fd(priv, ufd, &err);
	if (!prog)
		return err ? err : -EBADF;
	if (!xbpf_prog_array_compatible(map, prog) || !xbpf_prog_array_engine_ok(map, prog)) {
		xbpf_prog_put(prog);
		return -EINVAL;
	}

	xbpf_prog_array_hook_lock(pa);
	xbpf_lock_irqsave(&pa->lock, irqflags);
	if (pa->released) {
		/* The last fd closed while we ran: nothing may clear it later. */
		old = prog;
		err = -EBADF;
	} else {
		old = pa->progs[index];
		xbpf_rcu_assign_pointer(pa->progs[index], prog);
	}
	xbpf_unlock_irqrestore(&pa->lock, irqflags);
	if (!err)
		xbpf_prog_array_changed(pa, index, old, prog);
	xbpf_prog_array_hook_unlock(pa);
	xbpf_prog_put(old);
	return err;
}

int xbpf_prog_array_lookup_id(struct xbpf_map *map, const void *key, u32 *id)
{
	struct xbpf_prog_array *pa = xbpf_prog_array_of(map);
	const struct xbpf_prog *prog = NULL;
	u32 index;

	if (!xbpf_is_prog_array(map))
		return -EINVAL;
	memcpy(&index, key, sizeof(index));
	xbpf_rcu_read_lock();
	if (index < map->max_entries)
		prog = xbpf_rcu_dereference(pa->progs[index]);
	if (prog)
		*id = prog->id;
	xbpf_rcu_read_unlock();
	return prog ? 0 : -ENOENT;
}

const struct xbpf_prog *xbpf_prog_array_entry(const struct xbpf_map *map, u32 index)
{
	const struct xbpf_prog_array *pa = xbpf_prog_array_of(map);

	if (index >= map->max_entries)
		return NULL;
	return xbpf_rcu_dereference(pa->progs[index]);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the owner may hook into PROG_ARRAY slot changes (maps/prog_array.c).
 *
 * The module's JIT calls some slots directly from patched code
 * (module/jit_poke.c): every slot change must re-patch those sites, under
 * a lock of its own that may sleep (text patching and an RCU grace period
 * happen under it), serialising the change with the patching.  The core
 * stays free of that: it calls these hooks when the owner set them (the
 * module, once, at init) and does nothing otherwise (the host library).
 *
 * Calling context: every slot change (update, delete, the emptying when
 * the last user reference goes) is a bpf(2) command or an fd release, so
 * process context without locks or RCU held; lock/slot_changed may sleep.
 */
#ifndef _XBPF_MAPS_PROG_ARRAY_HOOKS_H
#define _XBPF_MAPS_PROG_ARRAY_HOOKS_H

#include "../core/xbpf_core.h"

struct xbpf_prog_array_hooks {
	/* At create: the owner's state for the array, or -errno (fails the create). */
	int	(*init)(struct xbpf_map *map, void **state);
	/* At the final free (may run in an RCU callback: must not sleep). */
	void	(*free)(struct xbpf_map *map, void *state);
	void	(*lock)(void *state);
	void	(*unlock)(void *state);
	/*
	 * Under lock, after slot index went from old to new (either may be
	 * NULL); both programs are still alive (the array puts old after
	 * unlock).
	 */
	void	(*slot_changed)(struct xbpf_map *map, void *state, u32 index,
				const struct xbpf_prog *old, const struct xbpf_prog *new);
	/* The owner rule refused prog for its engine (a log line). */
	void	(*refused)(const struct xbpf_map *map, const struct xbpf_prog *prog);
};

/* NULL, or set once before any PROG_ARRAY exists and cleared after the last. */
extern const struct xbpf_prog_array_hooks *xbpf_prog_array_hooks;

/* The state hooks->init gave map, or NULL (not a PROG_ARRAY, no hooks). */
void *xbpf_prog_array_hook_state(const struct xbpf_map *map);
/* The program in slot index; the caller holds hooks->lock (slots are stable). */
const struct xbpf_prog *xbpf_prog_array_slot_locked(const struct xbpf_map *map, u32 index);

/*
 * The engine half of the owner rule (Linux's map->owner.jited): the
 * programs that enter or use one array all run in the JIT, or all in the
 * interpreter (prog->bpf_func decides, so call these only once it is
 * final: after the owner's JIT, and for programs behind fds).  The first
 * program decides; false (and hooks->refused) for a mismatch.
 */
bool xbpf_prog_array_engine_ok(struct xbpf_map *map, const struct xbpf_prog *prog);
/* Every PROG_ARRAY prog uses: 0 or -EINVAL. */
int xbpf_prog_check_tail_engines(const struct xbpf_prog *prog);

#endif /* _XBPF_MAPS_PROG_ARRAY_HOOKS_H */

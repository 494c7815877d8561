/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PROG_ARRAY layout, shared with the JIT: its generated code reads
 * map.max_entries and progs[] (then the slot's bpf_func) directly, so
 * the offsets it emits come from this one definition (maps/prog_array.c
 * has the map's rules and locking).
 */
#ifndef _XBPF_MAPS_PROG_ARRAY_H
#define _XBPF_MAPS_PROG_ARRAY_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

struct xbpf_prog_array {
	struct xbpf_map		map;
	xbpf_lock_t		lock;
	/* The owner facts (Linux's map->owner), set once under lock. */
	bool			owned;
	u32			owner_type;
	u32			owner_attach_type;
	bool			owner_xdp_has_frags;
	/* Set under lock when the user references are gone: no more updates. */
	bool			released;
	/* The owner rule's engine (prog_array.c's XBPF_PA_ENGINE_*), under lock. */
	u8			owner_engine;
	/* The owner's state (prog_array_hooks.h's init), or NULL. */
	void			*hook_state;
	/*
	 * Read without a lock under RCU by the interpreter and by JIT code
	 * (a plain 8-byte load: an aligned pointer store is atomic on x86).
	 */
	struct xbpf_prog	*progs[];
};

/*
 * The Spectre v1 index mask: all ones up to the smallest power of two
 * that holds max_entries slots, less one.  progs[] is allocated with that
 * many slots (the ones past max_entries stay NULL), so an index masked
 * with it stays inside the allocation even on a mispredicted bounds
 * check (verifier/tail_sites.c inserts the mask for unprivileged loads).
 */
static inline u32 xbpf_prog_array_index_mask(u32 max_entries)
{
	u32 mask = 0;

	while (mask < max_entries - 1 && max_entries > 1)
		mask = (mask << 1) | 1;
	return mask;
}

#endif /* _XBPF_MAPS_PROG_ARRAY_H */

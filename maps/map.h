/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to maps/: the map types' ops tables and the limits map.c
 * applies to every type.  Adding a type: write its ops (alloc checks the
 * type's own rules and returns a zeroed struct xbpf_map embedded in the
 * type's struct; map.c fills the common fields), and list it in map.c's
 * table.
 */
#ifndef _XBPF_MAPS_MAP_H
#define _XBPF_MAPS_MAP_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

/*
 * Bounds on every map, checked before a type sees the parameters:
 * programs build keys on their 512-byte stack, so a larger key could
 * never be used; values are capped at 1 MiB so that one element is
 * always a reasonable allocation (Linux's bound is KMALLOC_MAX_SIZE,
 * which differs by configuration).  Both are -E2BIG, as in Linux.
 */
#define XBPF_MAP_MAX_KEY_SIZE	XBPF_MAX_STACK
#define XBPF_MAP_MAX_VALUE_SIZE	(1U << 20)

/* Every map flag xbpf knows; each type narrows this down. */
#define XBPF_MAP_FLAGS_ALL	(XBPF_F_NO_PREALLOC | XBPF_F_NO_COMMON_LRU |	\
				 XBPF_F_NUMA_NODE | XBPF_F_RDONLY |		\
				 XBPF_F_WRONLY | XBPF_F_STACK_BUILD_ID |	\
				 XBPF_F_ZERO_SEED | XBPF_F_RDONLY_PROG |	\
				 XBPF_F_WRONLY_PROG | XBPF_F_CLONE |		\
				 XBPF_F_MMAPABLE | XBPF_F_PRESERVE_ELEMS |	\
				 XBPF_F_INNER_MAP)

/*
 * Access flags every type accepts: who may read or write (syscall side
 * and program side; enforced by the owner and, program side, by the
 * verifier), and the NUMA hint the owner validates.
 */
#define XBPF_MAP_FLAGS_ACCESS	(XBPF_F_RDONLY | XBPF_F_WRONLY |		\
				 XBPF_F_RDONLY_PROG | XBPF_F_WRONLY_PROG |	\
				 XBPF_F_NUMA_NODE)

extern const struct xbpf_map_ops xbpf_array_map_ops;
extern const struct xbpf_map_ops xbpf_htab_map_ops;
extern const struct xbpf_map_ops xbpf_prog_array_map_ops;
extern const struct xbpf_map_ops xbpf_percpu_array_map_ops;

/*
 * Per-CPU values (maps/map_sys.c): a value is xbpf_nr_cpu_slots() copies
 * of stride bytes (value_size rounded up to 8); a program sees the slot
 * of the CPU it runs on, user space every possible CPU's, packed.
 */
void *xbpf_percpu_slot(void *base, u32 stride, u32 cpu);
void xbpf_percpu_copy_out(void *dst, const void *base, u32 stride, u32 size);
void xbpf_percpu_copy_in(void *base, const void *src, u32 stride, u32 size);

#endif /* _XBPF_MAPS_MAP_H */

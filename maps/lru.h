/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recency list of an LRU hash map (maps/lru.c).  Private to maps/.
 */
#ifndef _XBPF_MAPS_LRU_H
#define _XBPF_MAPS_LRU_H

#include "map.h"

struct xbpf_lru_node {
	struct xbpf_lru_node	*prev, *next;	/* under the list's lock */
	u8			ref;		/* used since it was last passed over */
};

struct xbpf_lru {
	struct xbpf_lru_node	head;		/* head.next: most recent */
	xbpf_lock_t		lock;
};

void xbpf_lru_init(struct xbpf_lru *lru);
/* Under lru->lock: n becomes the most recent node. */
void xbpf_lru_push(struct xbpf_lru *lru, struct xbpf_lru_node *n);
/* Under lru->lock: n leaves the list. */
void xbpf_lru_del(struct xbpf_lru_node *n);
/* Under lru->lock: the node to evict (still listed), NULL if empty. */
struct xbpf_lru_node *xbpf_lru_victim(struct xbpf_lru *lru);

/*
 * A use, from a lock-free lookup: only sets the bit, so a lookup costs
 * no lock and no write when the bit is already set.  A race with the
 * victim scan clearing it just loses one use.
 */
static inline void xbpf_lru_touch(struct xbpf_lru_node *n)
{
	if (!READ_ONCE(n->ref))
		WRITE_ONCE(n->ref, 1);
}

#endif /* _XBPF_MAPS_LRU_H */

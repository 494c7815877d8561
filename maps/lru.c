// SPDX-License-Identifier: GPL-2.0
/*
 * Least-recently-used order for LRU hash maps, approximated as Linux
 * does (bpf_lru_list.c): a use only sets the node's ref bit, lock-free;
 * order is fixed up when a victim is needed.  The list runs from the
 * most recent insertion (head.next) to the oldest (head.prev); the victim
 * scan walks from the oldest end and gives each used node a second
 * chance (clears its bit, moves it to the recent end), so the victim is
 * the oldest node not used since it was last passed over.  One pass
 * clears every bit, so the scan ends within two passes.
 */
#include "lru.h"

void xbpf_lru_init(struct xbpf_lru *lru)
{
	lru->head.next = &lru->head;
	lru->head.prev = &lru->head;
	xbpf_lock_init(&lru->lock);
}

void xbpf_lru_push(struct xbpf_lru *lru, struct xbpf_lru_node *n)
{
	n->ref = 0;
	n->prev = &lru->head;
	n->next = lru->head.next;
	lru->head.next->prev = n;
	lru->head.next = n;
}

void xbpf_lru_del(struct xbpf_lru_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = NULL;
	n->next = NULL;
}

struct xbpf_lru_node *xbpf_lru_victim(struct xbpf_lru *lru)
{
	struct xbpf_lru_node *n;

	while ((n = lru->head.prev) != &lru->head) {
		if (!READ_ONCE(n->ref))
			return n;
		/* used: second chance, as the most recent node */
		xbpf_lru_del(n);
		xbpf_lru_push(lru, n);
	}
	return NULL;
}

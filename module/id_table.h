/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One id space per kind of object that user space can name by id
 * (programs, maps, BTF, links): the GET_NEXT_ID and GET_FD_BY_ID
 * commands and the id in OBJ_GET_INFO_BY_FD.
 *
 * Lifetime rule: an object stays in its table from install until its final
 * free, and that free may run in an RCU callback (softirq), so the lock is
 * irq-safe.  A table entry therefore does not mean the object is live: a
 * lookup asks the kind (the get/live callbacks, called under the lock) and
 * only takes a reference on an object whose count is not yet zero.
 */
#ifndef XBPF_MOD_ID_TABLE_H
#define XBPF_MOD_ID_TABLE_H

#include <linux/idr.h>
#include <linux/spinlock.h>
#include <linux/types.h>

union xbpf_attr;

struct xbpf_id_table {
	struct idr idr;
	spinlock_t lock;
};

#define XBPF_DEFINE_ID_TABLE(name)					\
	struct xbpf_id_table name = {					\
		.idr	= IDR_INIT(name.idr),				\
		.lock	= __SPIN_LOCK_UNLOCKED(name.lock),		\
	}

/* Ids run 1..INT_MAX-1, handed out cyclically (as Linux): *id is set under the lock. */
int xbpf_id_alloc(struct xbpf_id_table *t, void *obj, u32 *id);
/* Drops *id from the table (if set) and clears it; any context. */
void xbpf_id_remove(struct xbpf_id_table *t, u32 *id);
/* The object with this id with a reference taken by @get, or NULL. */
void *xbpf_id_get(struct xbpf_id_table *t, u32 id, bool (*get)(void *obj));
/*
 * *_GET_NEXT_ID, as Linux 6.1: start_id >= INT_MAX -EINVAL, no
 * CAP_SYS_ADMIN -EPERM, the smallest live id above start_id into
 * uattr->next_id, -ENOENT past the last.
 */
int xbpf_id_cmd_next(struct xbpf_id_table *t, const union xbpf_attr *attr,
		     union xbpf_attr __user *uattr, bool (*live)(void *obj));

#endif

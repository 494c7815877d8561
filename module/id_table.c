// SPDX-License-Identifier: GPL-2.0
/* Id spaces for programs, maps, BTF and links (id_table.h has the rules). */
#include <linux/capability.h>
#include <linux/uaccess.h>
#include "xbpf_mod.h"
#include "id_table.h"

int xbpf_id_alloc(struct xbpf_id_table *t, void *obj, u32 *id)
{
	unsigned long flags;
	int ret;

	idr_preload(GFP_KERNEL);
	spin_lock_irqsave(&t->lock, flags);
	ret = idr_alloc_cyclic(&t->idr, obj, 1, INT_MAX, GFP_ATOMIC);
	if (ret > 0)
		*id = ret;
	spin_unlock_irqrestore(&t->lock, flags);
	idr_preload_end();

	return ret > 0 ? 0 : (ret ? ret : -ENOSPC);
}

void xbpf_id_remove(struct xbpf_id_table *t, u32 *id)
{
	unsigned long flags;

	if (!*id)
		return;
	spin_lock_irqsave(&t->lock, flags);
	idr_remove(&t->idr, *id);
	spin_unlock_irqrestore(&t->lock, flags);
	*id = 0;
}

void *xbpf_id_get(struct xbpf_id_table *t, u32 id, bool (*get)(void *obj))
{
	unsigned long flags;
	void *obj;

	if (!id || id >= INT_MAX)
		return NULL;
	spin_lock_irqsave(&t->lock, flags);
	obj = idr_find(&t->idr, id);
	if (obj && !get(obj))
		obj = NULL;
	spin_unlock_irqrestore(&t->lock, flags);
	return obj;
}

int xbpf_id_cmd_next(struct xbpf_id_table *t, const union xbpf_attr *attr,
		     union xbpf_attr __user *uattr, bool (*live)(void *obj))
{
	unsigned long flags;
	void *obj;
	int next;

	if (attr->start_id >= INT_MAX)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* ids stay below INT_MAX (xbpf_id_alloc): next++ cannot overflow */
	next = (int)attr->start_id + 1;
	spin_lock_irqsave(&t->lock, flags);
	while ((obj = idr_get_next(&t->idr, &next)) && !live(obj))
		next++;
	spin_unlock_irqrestore(&t->lock, flags);
	if (!obj)
		return -ENOENT;
	return put_user((u32)next, &uattr->next_id);
}

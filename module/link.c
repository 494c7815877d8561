// SPDX-License-Identifier: GPL-2.0
/*
 * Links: the object that keeps a program attached (bpf(2)'s bpf_link).
 *
 * A link holds one program reference from creation to its final put, so
 * a program stays loaded while something runs it, whatever order user
 * space closes fds in.  The attach kind (attach_kprobe.c) supplies
 * detach, which unhooks the program and returns only when no run of it
 * through this link is left, and dealloc.
 *
 * References: each fd holds one, LINK_GET_FD_BY_ID adds one per new fd.
 * The final put (process context: fd release, or a failed install) runs
 * detach unless LINK_DETACH already did, drops the program and frees.
 * A link pins the module from xbpf_link_init() to its final free, so a
 * link pinned in a file system later keeps the module too; the fd's fops
 * owner keeps the module's text while the release runs.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "xbpf_mod.h"
#include "id_table.h"

/* id -> link; entries are live only while refcnt is not zero */
static XBPF_DEFINE_ID_TABLE(xbpf_link_ids);

static void xbpf_link_free(struct xbpf_link *link)
{
	mutex_lock(&link->lock);
	if (!link->detached) {
		link->ops->detach(link);
		link->detached = true;
	}
	mutex_unlock(&link->lock);
	xbpf_id_remove(&xbpf_link_ids, &link->id);
	xbpf_prog_put(link->prog);
	link->ops->dealloc(link);
	module_put(THIS_MODULE);
}

void xbpf_link_put(struct xbpf_link *link)
{
	if (refcount_dec_and_test(&link->refcnt))
		xbpf_link_free(link);
}

static int xbpf_link_release(struct inode *inode, struct file *file)
{
	xbpf_link_put(file->private_data);
	return 0;
}

static const struct file_operations xbpf_link_fops = {
	.owner		= THIS_MODULE,
	.release	= xbpf_link_release,
	.llseek		= noop_llseek,
};

void xbpf_link_init(struct xbpf_link *link, u32 type, u32 attach_type,
		    const struct xbpf_link_ops *ops, struct xbpf_prog *prog)
{
	refcount_set(&link->refcnt, 1);
	mutex_init(&link->lock);
	link->type = type;
	link->attach_type = attach_type;
	link->ops = ops;
	link->prog = prog;
	link->id = 0;
	/* unhooked until the attach kind says otherwise */
	link->detached = true;
	__module_get(THIS_MODULE);
}

/*
 * Gives an attached link an id and an fd, which takes over the caller's
 * reference.  On error the reference is dropped (the link detaches and
 * goes) and -errno returned.
 */
int xbpf_link_install(struct xbpf_link *link)
{
	int err, fd;

	err = xbpf_id_alloc(&xbpf_link_ids, link, &link->id);
	if (err) {
		xbpf_link_put(link);
		return err;
	}
	fd = anon_inode_getfd("xbpf-link", &xbpf_link_fops, link, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		xbpf_link_put(link);
	return fd;
}

/* Another reference (a pin's, module/pin.c); the caller holds one. */
void xbpf_link_get(struct xbpf_link *link)
{
	refcount_inc(&link->refcnt);
}

/* A new fd taking over one reference; on error the caller still has it. */
int xbpf_link_new_fd(struct xbpf_link *link)
{
	return anon_inode_getfd("xbpf-link", &xbpf_link_fops, link, O_RDWR | O_CLOEXEC);
}

struct xbpf_link *xbpf_link_from_file(struct file *file)
{
	return file->f_op == &xbpf_link_fops ? file->private_data : NULL;
}

/* LINK_CREATE: by the program's type and the attach type. */
int xbpf_cmd_link_create(union xbpf_attr *attr)
{
	struct xbpf_prog *prog;
	int ret;

	prog = xbpf_prog_from_fd((int)attr->link_create.prog_fd);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	if (prog->type == XBPF_PROG_TYPE_KPROBE &&
	    attr->link_create.attach_type == XBPF_TRACE_KPROBE_MULTI)
		ret = xbpf_kprobe_link_create(attr, prog);	/* takes prog */
	else {
		ret = -EINVAL;
		xbpf_prog_put(prog);
	}
	return ret;
}

/* LINK_DETACH: unhook now; the fd stays, and says detached in no way but
 * that the program no longer runs (as Linux's detached links). */
int xbpf_cmd_link_detach(union xbpf_attr *attr)
{
	struct xbpf_link *link;
	struct fd f = fdget(attr->link_detach.link_fd);

	if (!f.file)
		return -EBADF;
	link = xbpf_link_from_file(f.file);
	if (!link) {
		fdput(f);
		return -EINVAL;
	}
	mutex_lock(&link->lock);
	if (!link->detached) {
		link->ops->detach(link);
		link->detached = true;
	}
	mutex_unlock(&link->lock);
	fdput(f);
	return 0;
}

static bool xbpf_link_id_live(void *obj)
{
	return refcount_read(&((struct xbpf_link *)obj)->refcnt);
}

static bool xbpf_link_id_get(void *obj)
{
	return refcount_inc_not_zero(&((struct xbpf_link *)obj)->refcnt);
}

int xbpf_cmd_link_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr)
{
	return xbpf_id_cmd_next(&xbpf_link_ids, attr, uattr, xbpf_link_id_live);
}

int xbpf_cmd_link_get_fd_by_id(union xbpf_attr *attr)
{
	struct xbpf_link *link;
	int fd;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	link = xbpf_id_get(&xbpf_link_ids, attr->link_id, xbpf_link_id_get);
	if (!link)
		return -ENOENT;
	fd = anon_inode_getfd("xbpf-link", &xbpf_link_fops, link, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		xbpf_link_put(link);
	return fd;
}

/* OBJ_GET_INFO_BY_FD on a link (info.c's rules for the lengths). */
int xbpf_link_get_info(struct xbpf_link *link, const union xbpf_attr *attr,
		       union xbpf_attr __user *uattr)
{
	void __user *uinfo = u64_to_user_ptr(attr->info.info);
	struct xbpf_link_info info;
	u32 len, ulen = attr->info.info_len;
	int ret;

	if (ulen > sizeof(info)) {
		ret = check_zeroed_user(uinfo + sizeof(info), ulen - sizeof(info));
		if (ret < 0)
			return ret;
		if (!ret)
			return -E2BIG;
	}
	len = min_t(u32, ulen, sizeof(info));
	memset(&info, 0, sizeof(info));
	if (copy_from_user(&info, uinfo, len))
		return -EFAULT;
	info.type = link->type;
	info.id = link->id;
	info.prog_id = link->prog->id;
	if (link->ops->fill_info) {
		ret = link->ops->fill_info(link, &info);
		if (ret)
			return ret;
	}
	if (copy_to_user(uinfo, &info, len) || put_user(len, &uattr->info.info_len))
		return -EFAULT;
	return 0;
}

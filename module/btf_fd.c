// SPDX-License-Identifier: GPL-2.0
/*
 * BTF objects behind fds, and the commands that make and find them:
 * BTF_LOAD, BTF_GET_FD_BY_ID and BTF_GET_NEXT_ID.
 *
 * Lifetime: each fd holds one reference, each program loaded with
 * func_info/line_info one more.  An object pins the module from
 * xbpf_btf_install() until the core's final free calls
 * xbpf_btf_owner_release() from its RCU callback, which drops the id and
 * the pin.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/module.h>
#include "xbpf_mod.h"
#include "id_table.h"
#include "btf/btf.h"

/* id -> BTF; irq-safe because the free path runs in an RCU callback. */
static XBPF_DEFINE_ID_TABLE(xbpf_btf_ids);

static int xbpf_btf_release(struct inode *inode, struct file *file)
{
	xbpf_btf_put(file->private_data);
	return 0;
}

static const struct file_operations xbpf_btf_fops = {
	.owner		= THIS_MODULE,
	.release	= xbpf_btf_release,
	.llseek		= noop_llseek,
};


/* Called once by the core's final free (RCU callback, softirq). */
static void xbpf_btf_owner_release(struct xbpf_btf *btf)
{
	xbpf_id_remove(&xbpf_btf_ids, &btf->id);
	module_put(THIS_MODULE);
}

static int xbpf_btf_new_fd(struct xbpf_btf *btf)
{
	return anon_inode_getfd("xbpf-btf", &xbpf_btf_fops, btf, O_RDONLY | O_CLOEXEC);
}

/*
 * Takes over the caller's reference on a new BTF object: a module pin,
 * an id and an fd.  Returns the fd; on error the reference is gone.
 */
static int xbpf_btf_install(struct xbpf_btf *btf)
{
	int err, fd;

	/* From here on the final put drops the pin. */
	__module_get(THIS_MODULE);
	btf->owner_release = xbpf_btf_owner_release;

	err = xbpf_id_alloc(&xbpf_btf_ids, btf, &btf->id);
	if (err) {
		xbpf_btf_put(btf);
		return err;
	}
	fd = xbpf_btf_new_fd(btf);
	if (fd < 0)
		xbpf_btf_put(btf);
	return fd;
}

/* The BTF object behind file, without a new reference; NULL if not ours. */
struct xbpf_btf *xbpf_btf_from_file(struct file *file)
{
	if (file->f_op != &xbpf_btf_fops)
		return NULL;
	return file->private_data;
}

/* fd resolution for xbpf_verify(): a new reference, or NULL and -EBADF / -EINVAL. */
struct xbpf_btf *xbpf_verifier_btf_from_fd(void *priv, int fd, int *err)
{
	struct xbpf_btf *btf;
	struct fd f = fdget(fd);

	if (!f.file) {
		*err = -EBADF;
		return NULL;
	}
	btf = xbpf_btf_from_file(f.file);
	if (btf)
		xbpf_btf_get(btf);
	else
		*err = -EINVAL;
	fdput(f);
	return btf;
}

/* As Linux 6.1: bpf_capable; the log follows the program log's rules. */
int xbpf_cmd_btf_load(union xbpf_attr *attr)
{
	struct xbpf_btf *btf = NULL;
	struct xbpf_caps caps;
	struct xbpf_log log;
	int err, lerr;

	xbpf_caps_current(&caps);
	if (!caps.bpf_capable)
		return -EPERM;
	err = xbpf_log_init(&log, attr->btf_log_level, attr->btf_log_buf, attr->btf_log_size);
	if (err)
		return err;
	err = xbpf_btf_load(attr->btf, attr->btf_size, &log, &btf);
	lerr = xbpf_log_finish(&log);
	/* a full log fails the load, as the program log does */
	if (!err && lerr)
		err = lerr;
	if (err) {
		xbpf_btf_put(btf);
		return err;
	}
	return xbpf_btf_install(btf);
}

/* As the other GET_FD_BY_IDs of Linux: CAP_SYS_ADMIN. */
static bool xbpf_btf_id_live(void *obj)
{
	return xbpf_refcount_read(&((struct xbpf_btf *)obj)->refcnt);
}

static bool xbpf_btf_id_get(void *obj)
{
	return xbpf_refcount_inc_not_zero(&((struct xbpf_btf *)obj)->refcnt);
}

int xbpf_cmd_btf_get_fd_by_id(union xbpf_attr *attr)
{
	struct xbpf_btf *btf;
	int fd;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	btf = xbpf_id_get(&xbpf_btf_ids, attr->btf_id, xbpf_btf_id_get);
	if (!btf)
		return -ENOENT;
	fd = xbpf_btf_new_fd(btf);
	if (fd < 0)
		xbpf_btf_put(btf);
	return fd;
}

/*
 * BTF_GET_NEXT_ID, as the program and map ones: CAP_SYS_ADMIN, the next
 * live id after start_id, -ENOENT past the last.  libbpf walks it to find
 * kernel module BTFs; we have none, so it sees only user-loaded objects.
 */
int xbpf_cmd_btf_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr)
{
	return xbpf_id_cmd_next(&xbpf_btf_ids, attr, uattr, xbpf_btf_id_live);
}

/* OBJ_GET_INFO_BY_FD for BTF: the blob, its size and id; no name (not kernel BTF). */
int xbpf_btf_get_info(struct xbpf_btf *btf, const union xbpf_attr *attr,
		      union xbpf_attr __user *uattr)
{
	void __user *uinfo = u64_to_user_ptr(attr->info.info);
	struct xbpf_btf_info info;
	u32 len = attr->info.info_len, ours = sizeof(info), ulen;
	int ret;

	if (len > ours) {
		ret = check_zeroed_user(uinfo + ours, len - ours);
		if (ret < 0)
			return ret;
		if (!ret)
			return -E2BIG;
	}
	len = min(len, ours);
	memset(&info, 0, sizeof(info));
	if (copy_from_user(&info, uinfo, len))
		return -EFAULT;

	ulen = info.btf_size;
	info.btf_size = btf->data_size;
	if (info.btf && ulen && copy_to_user(u64_to_user_ptr(info.btf), btf->data,
					     min(ulen, btf->data_size)))
		return -EFAULT;
	info.id = btf->id;
	info.kernel_btf = 0;
	/* a user BTF has no name: an empty string if a buffer was given */
	ulen = info.name_len;
	info.name_len = 0;
	if (info.name && ulen && put_user(0, (char __user *)u64_to_user_ptr(info.name)))
		return -EFAULT;

	if (copy_to_user(uinfo, &info, len) || put_user(len, &uattr->info.info_len))
		return -EFAULT;
	return 0;
}

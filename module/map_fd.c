// SPDX-License-Identifier: GPL-2.0
/*
 * Map fds and ids.
 *
 * Lifetime: each fd holds one user reference (which is also a reference),
 * each program using the map one plain reference.  A map pins the module from xbpf_map_install() until the core's
 * final free calls xbpf_map_owner_release() from its RCU callback, which
 * drops the id and the pin.
 *
 * MAP_CREATE's F_RDONLY / F_WRONLY restrict what the fd may do from user
 * space (as in bpf(2)); programs are not affected.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include "xbpf_mod.h"
#include "id_table.h"
#include "ringbuf/ringbuf.h"
#include "btf/btf.h"

/* id -> map; irq-safe because the free path runs in an RCU callback. */
static XBPF_DEFINE_ID_TABLE(xbpf_map_ids);

static int xbpf_map_release(struct inode *inode, struct file *file)
{
	/* an fd holds a user reference: the last one empties program arrays */
	xbpf_map_put_uref(file->private_data);
	return 0;
}

/*
 * A ring buffer's mmap (xbpf_map_mmap sends it here): only shared
 * mappings, never executable, and a mapping made read-only cannot be
 * made writable later; ringbuf/ringbuf_kern.c checks each page's
 * permission.  The mapping holds this file, so the map outlives it.
 */
static int xbpf_map_mmap_ringbuf(struct file *file, struct vm_area_struct *vma)
{
	struct xbpf_map *map = file->private_data;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_flags &= ~VM_MAYEXEC;
	if (!(vma->vm_flags & VM_WRITE))
		vma->vm_flags &= ~VM_MAYWRITE;
	return xbpf_ringbuf_mmap(map, vma);
}

/* bpf(2)'s map poll: EPOLLERR for types that cannot be polled. */
static __poll_t xbpf_map_poll(struct file *file, struct poll_table_struct *pts)
{
	struct xbpf_map *map = file->private_data;

	if (map->map_type != XBPF_MAP_TYPE_RINGBUF)
		return EPOLLERR;
	return xbpf_ringbuf_poll(map, file, pts);
}

/*
 * mmap of an F_MMAPABLE array's values.  The mapping holds the file (and
 * so the fd's user reference): the map outlives it.  A writable mapping
 * is counted (maps/map_sys.c) so the map cannot be frozen under it; a
 * read-only one loses VM_MAYWRITE and can never become writable.  Since
 * a VMA keeps VM_MAYWRITE exactly when it was writable at mmap time,
 * open and close count by that flag.
 */
static void xbpf_map_vm_open(struct vm_area_struct *vma)
{
	xbpf_map_mmap_dup(vma->vm_private_data, vma->vm_flags & VM_MAYWRITE);
}

static void xbpf_map_vm_close(struct vm_area_struct *vma)
{
	xbpf_map_mmap_put(vma->vm_private_data, vma->vm_flags & VM_MAYWRITE);
}

static const struct vm_operations_struct xbpf_map_vmops = {
	.open	= xbpf_map_vm_open,
	.close	= xbpf_map_vm_close,
};

/* Linux's bpf_map_mmap and array_map_mmap: errnos and order. */
static int xbpf_map_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xbpf_map *map = file->private_data;
	bool writable = vma->vm_flags & VM_WRITE;
	unsigned long pages = vma_pages(vma);
	void *area;
	u64 len;
	int err;

	if (map->map_type == XBPF_MAP_TYPE_RINGBUF)
		return xbpf_map_mmap_ringbuf(file, vma);
	if (!map->ops->mmap_area)
		return -ENOTSUPP;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	err = xbpf_map_mmap_get(map, writable);
	if (err)
		return err;

	vma->vm_ops = &xbpf_map_vmops;
	vma->vm_private_data = map;
	vma->vm_flags &= ~VM_MAYEXEC;
	if (!writable)
		vma->vm_flags &= ~VM_MAYWRITE;

	err = -EINVAL;
	area = map->ops->mmap_area(map, &len);
	if (area && vma->vm_pgoff < (len >> PAGE_SHIFT) &&
	    pages <= (len >> PAGE_SHIFT) - vma->vm_pgoff)
		err = remap_vmalloc_range(vma, area, vma->vm_pgoff);
	if (err)
		xbpf_map_mmap_put(map, writable);
	return err;
}

static const struct file_operations xbpf_map_fops = {
	.owner		= THIS_MODULE,
	.release	= xbpf_map_release,
	.mmap		= xbpf_map_mmap,
	.poll		= xbpf_map_poll,
	.llseek		= noop_llseek,
};


/* Called once by the core's final free (RCU callback, softirq). */
static void xbpf_map_owner_release(struct xbpf_map *map)
{
	xbpf_id_remove(&xbpf_map_ids, &map->id);
	/* MAP_CREATE's BTF (map_btf.c); its own free is RCU-deferred too */
	if (map->btf) {
		xbpf_btf_put(map->btf);
		map->btf = NULL;
	}
	module_put(THIS_MODULE);
}

/*
 * The open mode F_RDONLY / F_WRONLY ask for (MAP_CREATE's map_flags,
 * MAP_GET_FD_BY_ID's open_flags), or -EINVAL for both, as Linux.
 */
int xbpf_map_file_flags(u32 flags)
{
	if ((flags & XBPF_F_RDONLY) && (flags & XBPF_F_WRONLY))
		return -EINVAL;
	if (flags & XBPF_F_RDONLY)
		return O_RDONLY;
	if (flags & XBPF_F_WRONLY)
		return O_WRONLY;
	return O_RDWR;
}

/* An fd on map that takes over one user reference (on success only). */
int xbpf_map_new_fd(struct xbpf_map *map, int flags)
{
	return anon_inode_getfd("xbpf-map", &xbpf_map_fops, map, flags | O_CLOEXEC);
}

/*
 * Takes over the caller's reference on a new map (xbpf_map_create()'s,
 * a user reference): a module pin, an id and an fd.  Returns the fd; on
 * error the reference is gone.
 */
int xbpf_map_install(struct xbpf_map *map)
{
	int err, fd;

	/* From here on the final put drops the pin. */
	__module_get(THIS_MODULE);
	map->owner_release = xbpf_map_owner_release;

	err = xbpf_id_alloc(&xbpf_map_ids, map, &map->id);
	if (err) {
		xbpf_map_put_uref(map);
		return err;
	}

	fd = xbpf_map_new_fd(map, xbpf_map_file_flags(map->map_flags));
	if (fd < 0)
		xbpf_map_put_uref(map);
	return fd;
}

/* The map behind file, without a new reference; NULL if not ours. */
struct xbpf_map *xbpf_map_from_file(struct file *file)
{
	if (file->f_op != &xbpf_map_fops)
		return NULL;
	return file->private_data;
}

/*
 * The map behind fd with a new reference, or -EBADF / -EINVAL.  mode, if
 * given, receives the fd's FMODE_READ / FMODE_WRITE.
 */
struct xbpf_map *xbpf_map_from_fd(int fd, fmode_t *mode)
{
	struct xbpf_map *map;
	struct fd f = fdget(fd);

	if (!f.file)
		return ERR_PTR(-EBADF);
	map = xbpf_map_from_file(f.file);
	if (!map) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	if (mode)
		*mode = f.file->f_mode;
	xbpf_map_get(map);
	fdput(f);
	return map;
}

/* fd resolution for xbpf_verify(): a new reference, or NULL. */
static struct xbpf_map *xbpf_verifier_map_from_fd(void *priv, int fd)
{
	struct xbpf_map *map = xbpf_map_from_fd(fd, NULL);

	return IS_ERR(map) ? NULL : map;
}

const struct xbpf_verifier_ops xbpf_mod_verifier_ops = {
	.map_from_fd	= xbpf_verifier_map_from_fd,
	.btf_from_fd	= xbpf_verifier_btf_from_fd,
};

/*
 * MAP_GET_NEXT_ID, as Linux: CAP_SYS_ADMIN, the smallest id above
 * start_id, -ENOENT past the last.  An id stays in the table until the RCU
 * callback of the final free; Linux drops it at the last put, so a map
 * whose references are all gone is skipped here.
 */
static bool xbpf_map_id_live(void *obj)
{
	return xbpf_refcount_read(&((struct xbpf_map *)obj)->refcnt);
}

/* called under the table's lock, which xbpf_map_get_uref_live() needs */
static bool xbpf_map_id_get(void *obj)
{
	return xbpf_map_get_uref_live(obj);
}

int xbpf_cmd_map_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr)
{
	return xbpf_id_cmd_next(&xbpf_map_ids, attr, uattr, xbpf_map_id_live);
}

/*
 * MAP_GET_FD_BY_ID, as Linux, in its order: unknown open_flags -EINVAL,
 * no CAP_SYS_ADMIN -EPERM, F_RDONLY with F_WRONLY -EINVAL, no live map
 * -ENOENT.  The fd holds a user reference, exactly like MAP_CREATE's;
 * open_flags choose its mode as MAP_CREATE's flags do (a read-only fd
 * cannot map a ring buffer's consumer page writable, for instance).
 */
int xbpf_cmd_map_get_fd_by_id(union xbpf_attr *attr)
{
	struct xbpf_map *map;
	int f_flags, fd;

	if (attr->open_flags & ~(XBPF_F_RDONLY | XBPF_F_WRONLY))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f_flags = xbpf_map_file_flags(attr->open_flags);
	if (f_flags < 0)
		return f_flags;

	map = xbpf_id_get(&xbpf_map_ids, attr->map_id, xbpf_map_id_get);
	if (!map)
		return -ENOENT;
	fd = xbpf_map_new_fd(map, f_flags);
	if (fd < 0)
		xbpf_map_put_uref(map);
	return fd;
}

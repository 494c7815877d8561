// SPDX-License-Identifier: GPL-2.0
/*
 * OBJ_PIN and OBJ_GET: objects that stay alive by path.
 *
 * bpf(2) pins into bpffs inodes; xbpf keeps a module-wide table instead,
 * keyed by the pathname string exactly as the caller wrote it (absolute,
 * normalised: see xbpf_pin_path_ok()).  No file is created anywhere: the
 * LD_PRELOAD library makes bpftool accept such paths (tools/preload/).
 *
 * Each pin holds one reference on its object (a user reference for maps,
 * as a bpffs inode does), so the object lives until it is unpinned.  The
 * object kinds are generic (struct xbpf_pin_kind): programs, maps and
 * links (a pinned link stays attached).
 *
 * Permissions, as bpffs with its default 0600 inode: pinning needs only
 * an fd on the object; OBJ_GET needs to be the pinner (fsuid) or have
 * CAP_DAC_OVERRIDE; unpinning (OBJ_PIN with XBPF_OBJ_F_UNPIN) needs to be
 * the pinner or have CAP_SYS_ADMIN, and CAP_SYS_ADMIN alone may drop
 * every pin at once.
 *
 * Module unload: a pinned object keeps its module reference (prog_fd.c,
 * map_fd.c), so rmmod answers -EBUSY while any pin exists, as it does
 * while any fd is open; `xbpf unpin --all` clears the table.  Module exit
 * can therefore never find a pin; xbpf_pin_exit() checks that.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "xbpf_mod.h"

/* Bounds: PATH_MAX bytes with the NUL, NAME_MAX per component. */
#define XBPF_PIN_PATH_MAX	PATH_MAX
/* Each pin costs at most a path's bytes; the table is bounded. */
#define XBPF_PIN_MAX		4096U

struct xbpf_pin_kind {
	u32	type;			/* enum xbpf_pin_type */
	bool	rdwr_only;		/* OBJ_GET refuses F_RDONLY / F_WRONLY */
	void	*(*from_file)(struct file *file);	/* no new reference */
	void	(*get)(void *obj);	/* the reference a pin or an fd holds */
	void	(*put)(void *obj);
	int	(*new_fd)(void *obj, int f_flags);	/* takes over one get() */
	u32	(*id)(void *obj);
};

struct xbpf_pin {
	struct list_head		node;	/* xbpf_pins, ascending strcmp */
	const struct xbpf_pin_kind	*kind;
	void				*obj;	/* one kind->get() reference */
	kuid_t				uid;	/* the pinner's fsuid */
	char				path[];
};

static LIST_HEAD(xbpf_pins);
static unsigned int xbpf_nr_pins;
/* Guards the list and the count; object puts happen after it is released. */
static DEFINE_MUTEX(xbpf_pin_lock);

static void *xbpf_pin_prog_from_file(struct file *file)
{
	return xbpf_prog_from_file(file);
}

static void xbpf_pin_prog_get(void *obj)
{
	xbpf_prog_get(obj);
}

static void xbpf_pin_prog_put(void *obj)
{
	xbpf_prog_put(obj);
}

static int xbpf_pin_prog_new_fd(void *obj, int f_flags)
{
	return xbpf_prog_new_fd(obj);
}

static u32 xbpf_pin_prog_id(void *obj)
{
	return ((struct xbpf_prog *)obj)->id;
}

static void *xbpf_pin_map_from_file(struct file *file)
{
	return xbpf_map_from_file(file);
}

static void xbpf_pin_map_get(void *obj)
{
	xbpf_map_get_uref(obj);
}

static void xbpf_pin_map_put(void *obj)
{
	xbpf_map_put_uref(obj);
}

static int xbpf_pin_map_new_fd(void *obj, int f_flags)
{
	return xbpf_map_new_fd(obj, f_flags);
}

static u32 xbpf_pin_map_id(void *obj)
{
	return ((struct xbpf_map *)obj)->id;
}

static void *xbpf_pin_link_from_file(struct file *file)
{
	return xbpf_link_from_file(file);
}

static void xbpf_pin_link_get(void *obj)
{
	xbpf_link_get(obj);
}

static void xbpf_pin_link_put(void *obj)
{
	xbpf_link_put(obj);
}

static int xbpf_pin_link_new_fd(void *obj, int f_flags)
{
	return xbpf_link_new_fd(obj);
}

static u32 xbpf_pin_link_id(void *obj)
{
	return ((struct xbpf_link *)obj)->id;
}

static const struct xbpf_pin_kind xbpf_pin_kinds[] = {
	{
		.type		= XBPF_PIN_PROG,
		/* Linux 6.1 hands out program fds O_RDWR only */
		.rdwr_only	= true,
		.from_file	= xbpf_pin_prog_from_file,
		.get		= xbpf_pin_prog_get,
		.put		= xbpf_pin_prog_put,
		.new_fd		= xbpf_pin_prog_new_fd,
		.id		= xbpf_pin_prog_id,
	},
	{
		.type		= XBPF_PIN_MAP,
		.from_file	= xbpf_pin_map_from_file,
		.get		= xbpf_pin_map_get,
		.put		= xbpf_pin_map_put,
		.new_fd		= xbpf_pin_map_new_fd,
		.id		= xbpf_pin_map_id,
	},
	{
		.type		= XBPF_PIN_LINK,
		/* as programs: link fds are O_RDWR only */
		.rdwr_only	= true,
		.from_file	= xbpf_pin_link_from_file,
		.get		= xbpf_pin_link_get,
		.put		= xbpf_pin_link_put,
		.new_fd		= xbpf_pin_link_new_fd,
		.id		= xbpf_pin_link_id,
	},
};

/*
 * The key must name one object whatever the caller's cwd, and two
 * spellings of one path must not be two pins: absolute, no empty, "."
 * or ".." component, no trailing '/'.  -EINVAL otherwise, -ENAMETOOLONG
 * for a component longer than NAME_MAX.
 */
static int xbpf_pin_path_ok(const char *path)
{
	const char *c = path, *end;
	size_t n;

	if (*c != '/')
		return -EINVAL;
	while (*c == '/') {
		c++;
		end = strchrnul(c, '/');
		n = end - c;
		if (!n)
			return -EINVAL;	/* "//" or a trailing '/' (or "/") */
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		if ((n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return -EINVAL;
		c = end;
	}
	return 0;
}

/* The caller's pathname in a new buffer (kfree it), validated. */
static char *xbpf_pin_path_from_user(u64 upath)
{
	char *path;
	long len;
	int err;

	path = kmalloc(XBPF_PIN_PATH_MAX, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(path, u64_to_user_ptr(upath), XBPF_PIN_PATH_MAX);
	if (len < 0)
		err = (int)len;
	else if (len == XBPF_PIN_PATH_MAX)
		err = -ENAMETOOLONG;
	else if (!len)
		err = -ENOENT;	/* as the VFS for "" */
	else
		err = xbpf_pin_path_ok(path);
	if (err) {
		kfree(path);
		return ERR_PTR(err);
	}
	return path;
}

static struct xbpf_pin *xbpf_pin_find(const char *path)
{
	struct xbpf_pin *pin;

	lockdep_assert_held(&xbpf_pin_lock);
	list_for_each_entry(pin, &xbpf_pins, node)
		if (!strcmp(pin->path, path))
			return pin;
	return NULL;
}

static void xbpf_pin_free(struct xbpf_pin *pin)
{
	pin->kind->put(pin->obj);
	kfree(pin);
}

/* The object behind fd (its kind in *kind), without a reference. */
static void *xbpf_pin_obj_from_file(struct file *file,
				    const struct xbpf_pin_kind **kind)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < ARRAY_SIZE(xbpf_pin_kinds); i++) {
		obj = xbpf_pin_kinds[i].from_file(file);
		if (obj) {
			*kind = &xbpf_pin_kinds[i];
			return obj;
		}
	}
	return NULL;
}

static int xbpf_pin_add(const char *path, u32 ufd)
{
	const struct xbpf_pin_kind *kind;
	struct xbpf_pin *pin, *pos;
	size_t len = strlen(path);
	struct fd f;
	void *obj;
	int err;

	pin = kzalloc(struct_size(pin, path, len + 1), GFP_KERNEL_ACCOUNT);
	if (!pin)
		return -ENOMEM;
	memcpy(pin->path, path, len + 1);
	pin->uid = current_fsuid();

	f = fdget(ufd);
	if (!f.file) {
		kfree(pin);
		return -EBADF;
	}
	obj = xbpf_pin_obj_from_file(f.file, &kind);
	if (obj)
		kind->get(obj);	/* the fd keeps it alive until here */
	fdput(f);
	if (!obj) {
		kfree(pin);
		return -EINVAL;
	}
	pin->kind = kind;
	pin->obj = obj;

	mutex_lock(&xbpf_pin_lock);
	err = 0;
	if (xbpf_pin_find(path))
		err = -EEXIST;
	else if (xbpf_nr_pins >= XBPF_PIN_MAX)
		err = -ENOSPC;
	if (!err) {
		/* keep the list sorted: XBPF_IOC_PIN_NEXT walks it in order */
		list_for_each_entry(pos, &xbpf_pins, node)
			if (strcmp(pos->path, path) > 0)
				break;
		list_add_tail(&pin->node, &pos->node);
		xbpf_nr_pins++;
	}
	mutex_unlock(&xbpf_pin_lock);
	if (err)
		xbpf_pin_free(pin);
	return err;
}

static int xbpf_pin_remove(const char *path)
{
	struct xbpf_pin *pin;
	int err = 0;

	mutex_lock(&xbpf_pin_lock);
	pin = xbpf_pin_find(path);
	if (!pin)
		err = -ENOENT;
	else if (!uid_eq(pin->uid, current_fsuid()) && !capable(CAP_SYS_ADMIN))
		err = -EACCES;
	if (!err) {
		list_del(&pin->node);
		xbpf_nr_pins--;
	}
	mutex_unlock(&xbpf_pin_lock);
	if (!err)
		xbpf_pin_free(pin);
	return err;
}

/* Empties the table; the objects are put outside the lock. */
static void xbpf_pin_remove_all(void)
{
	struct xbpf_pin *pin, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&xbpf_pin_lock);
	list_splice_init(&xbpf_pins, &gone);
	xbpf_nr_pins = 0;
	mutex_unlock(&xbpf_pin_lock);
	list_for_each_entry_safe(pin, tmp, &gone, node)
		xbpf_pin_free(pin);
}

static int xbpf_cmd_obj_unpin(union xbpf_attr *attr)
{
	char *path;
	int err;

	if (attr->bpf_fd != (u32)-1)
		return -EINVAL;
	if (!attr->pathname) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		xbpf_pin_remove_all();
		return 0;
	}
	path = xbpf_pin_path_from_user(attr->pathname);
	if (IS_ERR(path))
		return PTR_ERR(path);
	err = xbpf_pin_remove(path);
	kfree(path);
	return err;
}

/* OBJ_PIN: file_flags must be 0 (Linux 6.1), or XBPF_OBJ_F_UNPIN. */
int xbpf_cmd_obj_pin(union xbpf_attr *attr)
{
	char *path;
	int err;

	if (attr->file_flags == XBPF_OBJ_F_UNPIN)
		return xbpf_cmd_obj_unpin(attr);
	if (attr->file_flags)
		return -EINVAL;
	path = xbpf_pin_path_from_user(attr->pathname);
	if (IS_ERR(path))
		return PTR_ERR(path);
	err = xbpf_pin_add(path, attr->bpf_fd);
	kfree(path);
	return err;
}

/*
 * OBJ_GET, in Linux's order: bpf_fd set or unknown file_flags -EINVAL,
 * F_RDONLY with F_WRONLY -EINVAL, no pin -ENOENT, not permitted -EACCES,
 * a program asked for less than O_RDWR -EINVAL.
 */
int xbpf_cmd_obj_get(union xbpf_attr *attr)
{
	const struct xbpf_pin_kind *kind = NULL;
	struct xbpf_pin *pin;
	void *obj = NULL;
	int f_flags, err = 0, fd;
	char *path;

	if (attr->bpf_fd || attr->file_flags & ~(XBPF_F_RDONLY | XBPF_F_WRONLY))
		return -EINVAL;
	f_flags = xbpf_map_file_flags(attr->file_flags);
	if (f_flags < 0)
		return f_flags;
	path = xbpf_pin_path_from_user(attr->pathname);
	if (IS_ERR(path))
		return PTR_ERR(path);

	mutex_lock(&xbpf_pin_lock);
	pin = xbpf_pin_find(path);
	if (!pin)
		err = -ENOENT;
	else if (!uid_eq(pin->uid, current_fsuid()) && !capable(CAP_DAC_OVERRIDE))
		err = -EACCES;
	else if (pin->kind->rdwr_only && f_flags != O_RDWR)
		err = -EINVAL;
	if (!err) {
		/* the pin's reference keeps obj alive while we take ours */
		kind = pin->kind;
		obj = pin->obj;
		kind->get(obj);
	}
	mutex_unlock(&xbpf_pin_lock);
	kfree(path);
	if (err)
		return err;

	fd = kind->new_fd(obj, f_flags);
	if (fd < 0)
		kind->put(obj);
	return fd;
}

/* XBPF_IOC_PIN_NEXT (uapi/linux/xbpf.h): one step of a listing. */
long xbpf_ioc_pin_next(struct xbpf_pin_info __user *uinfo)
{
	struct xbpf_pin_info info;
	struct xbpf_pin *pin, *next = NULL;
	bool admin = capable(CAP_SYS_ADMIN);
	char *buf;
	long len;
	int err = 0;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (!info.path_size)
		return -EINVAL;
	info.path_size = min_t(u32, info.path_size, XBPF_PIN_PATH_MAX);
	buf = kmalloc(XBPF_PIN_PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, u64_to_user_ptr(info.path), info.path_size);
	if (len < 0) {
		err = (int)len;
		goto out;
	}
	if (len == info.path_size) {
		err = -EINVAL;	/* no NUL within path_size */
		goto out;
	}

	mutex_lock(&xbpf_pin_lock);
	list_for_each_entry(pin, &xbpf_pins, node) {
		if (strcmp(pin->path, buf) <= 0)
			continue;
		if (admin || uid_eq(pin->uid, current_fsuid())) {
			next = pin;
			break;
		}
	}
	if (!next) {
		err = -ENOENT;
	} else if (strlen(next->path) >= info.path_size) {
		err = -ENAMETOOLONG;
	} else {
		strscpy(buf, next->path, XBPF_PIN_PATH_MAX);
		info.type = next->kind->type;
		info.id = next->kind->id(next->obj);
		info.uid = from_kuid_munged(current_user_ns(), next->uid);
	}
	mutex_unlock(&xbpf_pin_lock);
	if (err)
		goto out;

	if (copy_to_user(u64_to_user_ptr(info.path), buf, strlen(buf) + 1) ||
	    put_user(info.type, &uinfo->type) || put_user(info.id, &uinfo->id) ||
	    put_user(info.uid, &uinfo->uid))
		err = -EFAULT;
out:
	kfree(buf);
	return err;
}

/*
 * Module exit: every pin holds an object that holds a module reference,
 * so exit cannot run with pins left; drop any anyway so nothing leaks.
 */
void xbpf_pin_exit(void)
{
	WARN_ON_ONCE(!list_empty(&xbpf_pins));
	xbpf_pin_remove_all();
}

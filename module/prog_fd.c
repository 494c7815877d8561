// SPDX-License-Identifier: GPL-2.0
/*
 * Program fds and ids.
 *
 * Lifetime: each fd holds one reference on the program.  A program pins
 * the module from xbpf_prog_install() until the core's final free calls
 * xbpf_prog_owner_release() from its RCU callback; that is where the id
 * goes, the module-side state is freed and the pin dropped.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/cred.h>
#include "xbpf_mod.h"
#include "id_table.h"
#include "maps/prog_array_hooks.h"

/*
 * id -> program.  An entry stays until the final free, so a lookup that
 * takes a reference must use refcount_inc_not_zero under the lock.  The
 * free path runs in softirq (RCU callback): irq-safe locking.
 */
static XBPF_DEFINE_ID_TABLE(xbpf_prog_ids);

static int xbpf_prog_release(struct inode *inode, struct file *file)
{
	xbpf_prog_put(file->private_data);
	return 0;
}

static const struct file_operations xbpf_prog_fops = {
	.owner		= THIS_MODULE,
	.release	= xbpf_prog_release,
	.llseek		= noop_llseek,
};


/* Called once by the core's final free (RCU callback, softirq). */
static void xbpf_prog_owner_release(struct xbpf_prog *prog)
{
	xbpf_id_remove(&xbpf_prog_ids, &prog->id);
	if (prog->owner)
		xbpf_jit_release(((struct xbpf_mprog *)prog->owner)->jit);
	kfree(prog->owner);
	prog->owner = NULL;
	module_put(THIS_MODULE);
}

/* An fd that takes over one reference on prog (on success only). */
int xbpf_prog_new_fd(struct xbpf_prog *prog)
{
	return anon_inode_getfd("xbpf-prog", &xbpf_prog_fops, prog, O_RDWR | O_CLOEXEC);
}

/*
 * Takes over the caller's reference on a freshly verified program: gives
 * it module-side state, a module pin, an id and an fd.  Returns the fd;
 * on error the reference is gone (the program is freed).  bpf_capable:
 * the loader's CAP_BPF (constant blinding under jit_harden=1).
 */
int xbpf_prog_install(struct xbpf_prog *prog, bool bpf_capable)
{
	struct xbpf_mprog *mp;
	int err, fd;

	mp = kzalloc(sizeof(*mp), GFP_KERNEL_ACCOUNT);
	if (!mp) {
		xbpf_prog_put(prog);
		return -ENOMEM;
	}
	mp->prog = prog;
	mp->load_time = ktime_get_boottime_ns();
	mp->uid = current_uid();
	atomic64_set(&mp->run_cnt, 0);
	atomic64_set(&mp->run_time_ns, 0);
	atomic64_set(&mp->recursion_misses, 0);
	/*
	 * best effort: without an image the interpreter runs the program;
	 * with one, prog->bpf_func is set and its direct sites are live
	 */
	mp->jit = xbpf_jit_prog(prog, bpf_capable);

	/* From here on the final put frees mp and drops the pin. */
	__module_get(THIS_MODULE);
	prog->owner = mp;
	prog->owner_release = xbpf_prog_owner_release;

	/*
	 * The owner rule's engine half, now that bpf_func is final: the
	 * arrays it uses must run programs in the same engine (-EINVAL, as
	 * bpf(2) refuses a mismatched program).
	 */
	err = xbpf_prog_check_tail_engines(prog);
	if (!err)
		err = xbpf_id_alloc(&xbpf_prog_ids, prog, &prog->id);
	if (err) {
		xbpf_prog_put(prog);
		return err;
	}

	fd = xbpf_prog_new_fd(prog);
	if (fd < 0)
		xbpf_prog_put(prog);
	return fd;
}

/* The program behind file, without a new reference; NULL if not ours. */
struct xbpf_prog *xbpf_prog_from_file(struct file *file)
{
	if (file->f_op != &xbpf_prog_fops)
		return NULL;
	return file->private_data;
}

/* The program behind fd with a new reference, or -EBADF / -EINVAL. */
struct xbpf_prog *xbpf_prog_from_fd(int fd)
{
	struct xbpf_prog *prog;
	struct fd f = fdget(fd);

	if (!f.file)
		return ERR_PTR(-EBADF);
	prog = xbpf_prog_from_file(f.file);
	if (!prog) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	xbpf_prog_get(prog);
	fdput(f);
	return prog;
}

/* xbpf_prog_from_fd() for the core (PROG_ARRAY updates). */
struct xbpf_prog *xbpf_core_prog_from_fd(void *priv, u32 fd, int *err)
{
	struct xbpf_prog *prog = xbpf_prog_from_fd((int)fd);

	if (IS_ERR(prog)) {
		*err = PTR_ERR(prog);
		return NULL;
	}
	return prog;
}

/* PROG_GET_NEXT_ID: as MAP_GET_NEXT_ID (map_fd.c), over the program ids. */
static bool xbpf_prog_id_live(void *obj)
{
	return xbpf_refcount_read(&((struct xbpf_prog *)obj)->refcnt);
}

static bool xbpf_prog_id_get(void *obj)
{
	return xbpf_refcount_inc_not_zero(&((struct xbpf_prog *)obj)->refcnt);
}

int xbpf_cmd_prog_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr)
{
	return xbpf_id_cmd_next(&xbpf_prog_ids, attr, uattr, xbpf_prog_id_live);
}

/*
 * PROG_GET_FD_BY_ID, as Linux 6.1: CAP_SYS_ADMIN, no open_flags (the
 * dispatcher refuses them), -ENOENT unless the program is live.
 */
int xbpf_cmd_prog_get_fd_by_id(union xbpf_attr *attr)
{
	struct xbpf_prog *prog;
	int fd;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	prog = xbpf_id_get(&xbpf_prog_ids, attr->prog_id, xbpf_prog_id_get);
	if (!prog)
		return -ENOENT;
	fd = xbpf_prog_new_fd(prog);
	if (fd < 0)
		xbpf_prog_put(prog);
	return fd;
}

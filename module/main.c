// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry and exit, and the /dev/xbpf character device.
 *
 * The node is root-only (0600) unless the `group` parameter names a gid:
 * then it is 0666 and open() itself admits only members of that group
 * (or CAP_SYS_ADMIN), so the mode bits never widen access on their own.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/miscdevice.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include "xbpf_mod.h"
#include "ringbuf/ringbuf.h"

static int xbpf_group = -1;
module_param_named(group, xbpf_group, int, 0444);
MODULE_PARM_DESC(group,
		 "gid allowed to use /dev/xbpf (default -1: root only, node 0600); when set the node is 0666 and open() admits only members of that group or CAP_SYS_ADMIN");

static kgid_t xbpf_gid = INVALID_GID;

static int xbpf_open(struct inode *inode, struct file *file)
{
	/* Read once: the parameter is read-only, set before the node exists. */
	if (gid_valid(xbpf_gid) && !in_group_p(xbpf_gid) &&
	    !capable(CAP_SYS_ADMIN))
		return -EACCES;
	return 0;
}

static const struct file_operations xbpf_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= xbpf_open,
	.unlocked_ioctl	= xbpf_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,	/* the ABI has no pointer-sized fields */
	.llseek		= noop_llseek,
};

static struct miscdevice xbpf_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xbpf",
	.fops	= &xbpf_dev_fops,
	.mode	= 0600,
};

static int xbpf_parse_group(void)
{
	if (xbpf_group == -1)
		return 0;
	if (xbpf_group < 0)
		return -EINVAL;
	xbpf_gid = make_kgid(&init_user_ns, (gid_t)xbpf_group);
	if (!gid_valid(xbpf_gid))
		return -EINVAL;
	xbpf_miscdev.mode = 0666;
	return 0;
}

static int __init xbpf_init(void)
{
	int err;

	err = xbpf_parse_group();
	if (err) {
		pr_err("xbpf: invalid group=%d\n", xbpf_group);
		goto err_param;
	}

	err = xbpf_jit_init();
	if (err)
		goto err_param;

	err = xbpf_ringbuf_init();
	if (err)
		goto err_jit;

	err = xbpf_trace_run_init();
	if (err)
		goto err_ringbuf;
	err = xbpf_trace_pipe_init();
	if (err)
		goto err_run;
	err = xbpf_trace_helpers_init();
	if (err)
		goto err_pipe;

	err = misc_register(&xbpf_miscdev);
	if (err) {
		pr_err("xbpf: cannot register /dev/xbpf: %d\n", err);
		goto err_misc;
	}

	pr_info("xbpf: version %s loaded, /dev/xbpf mode %04o%s\n",
		XBPF_VERSION_STRING, xbpf_miscdev.mode,
		gid_valid(xbpf_gid) ? " (group restricted)" : "");
	return 0;

err_misc:
	xbpf_trace_helpers_exit();
err_pipe:
	xbpf_trace_pipe_exit();
err_run:
	xbpf_trace_run_exit();
err_ringbuf:
	xbpf_ringbuf_exit();
err_jit:
	xbpf_jit_exit();
err_param:
	return err;
}

static void __exit xbpf_exit(void)
{
	misc_deregister(&xbpf_miscdev);
	/*
	 * Every object pinned the module until its final free, which runs
	 * in an RCU callback; wait for callbacks still on their way out.
	 */
	rcu_barrier();
	/*
	 * Links pin the module until their final free, which unregistered
	 * their kprobes: no program can run from a hook any more.
	 */
	xbpf_trace_helpers_exit();
	xbpf_trace_pipe_exit();
	xbpf_trace_run_exit();
	/* ring buffers unmap their pages in process context: drain that too */
	xbpf_ringbuf_exit();
	/* JIT images are freed from a workqueue the callbacks fed */
	xbpf_jit_exit();
	pr_info("xbpf: unloaded\n");
}

module_init(xbpf_init);
module_exit(xbpf_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(XBPF_VERSION_STRING);
MODULE_DESCRIPTION("xbpf: an alternative BPF engine behind /dev/xbpf");
MODULE_AUTHOR("xbpf developers");

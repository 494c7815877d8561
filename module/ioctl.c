// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl dispatch: XBPF_IOC_BPF carries one bpf(2) command, XBPF_IOC_VERSION
 * the engine query.  The attribute block is taken in exactly as bpf(2)
 * takes it: a block larger than ours must have a zero tail (-E2BIG), a
 * shorter one is zero-extended, and each command refuses bytes set past
 * its last field (-EINVAL).
 */
#include <linux/uaccess.h>
#include <linux/kernel.h>
#include "xbpf_mod.h"

static int xbpf_copy_attr(union xbpf_attr *attr, const void __user *uattr,
			  u32 size)
{
	int ret;

	if (size > sizeof(*attr)) {
		ret = check_zeroed_user(uattr + sizeof(*attr),
					size - sizeof(*attr));
		if (ret < 0)
			return ret;
		if (!ret)
			return -E2BIG;
		size = sizeof(*attr);
	}
	memset(attr, 0, sizeof(*attr));
	if (copy_from_user(attr, uattr, size))
		return -EFAULT;
	return 0;
}

static int xbpf_do_bpf(u32 cmd, union xbpf_attr *attr,
		       union xbpf_attr __user *uattr, u32 usize)
{
	switch (cmd) {
	case XBPF_MAP_CREATE:
		if (XBPF_ATTR_TAIL_NONZERO(attr, map_extra))
			return -EINVAL;
		return xbpf_cmd_map_create(attr);
	case XBPF_MAP_LOOKUP_ELEM:
		if (XBPF_ATTR_TAIL_NONZERO(attr, flags))
			return -EINVAL;
		return xbpf_cmd_map_lookup(attr);
	case XBPF_MAP_UPDATE_ELEM:
		if (XBPF_ATTR_TAIL_NONZERO(attr, flags))
			return -EINVAL;
		return xbpf_cmd_map_update(attr);
	case XBPF_MAP_DELETE_ELEM:
		if (XBPF_ATTR_TAIL_NONZERO(attr, key))
			return -EINVAL;
		return xbpf_cmd_map_delete(attr);
	case XBPF_MAP_GET_NEXT_KEY:
		if (XBPF_ATTR_TAIL_NONZERO(attr, next_key))
			return -EINVAL;
		return xbpf_cmd_map_get_next_key(attr);
	case XBPF_MAP_FREEZE:
		if (XBPF_ATTR_TAIL_NONZERO(attr, map_fd))
			return -EINVAL;
		return xbpf_cmd_map_freeze(attr);
	case XBPF_PROG_LOAD:
		/* log_true_size (Linux 6.4) is the last field we know */
		if (XBPF_ATTR_TAIL_NONZERO(attr, log_true_size))
			return -EINVAL;
		return xbpf_cmd_prog_load(attr, uattr, usize);
	case XBPF_PROG_TEST_RUN:
		if (XBPF_ATTR_TAIL_NONZERO(attr, test.batch_size))
			return -EINVAL;
		return xbpf_cmd_test_run(attr, uattr);
	case XBPF_OBJ_GET_INFO_BY_FD:
		if (XBPF_ATTR_TAIL_NONZERO(attr, info.info))
			return -EINVAL;
		return xbpf_cmd_get_info(attr, uattr);
	case XBPF_BTF_LOAD:
		/* btf_log_true_size (6.4) is not known: 6.1's last field */
		if (XBPF_ATTR_TAIL_NONZERO(attr, btf_log_level))
			return -EINVAL;
		return xbpf_cmd_btf_load(attr);
	case XBPF_BTF_GET_FD_BY_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, btf_id))
			return -EINVAL;
		return xbpf_cmd_btf_get_fd_by_id(attr);
	case XBPF_PROG_GET_NEXT_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, next_id))
			return -EINVAL;
		return xbpf_cmd_prog_get_next_id(attr, uattr);
	case XBPF_BTF_GET_NEXT_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, next_id))
			return -EINVAL;
		return xbpf_cmd_btf_get_next_id(attr, uattr);
	case XBPF_MAP_GET_NEXT_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, next_id))
			return -EINVAL;
		return xbpf_cmd_map_get_next_id(attr, uattr);
	case XBPF_PROG_GET_FD_BY_ID:
		/* Linux 6.1 takes no open_flags for programs */
		if (XBPF_ATTR_TAIL_NONZERO(attr, prog_id))
			return -EINVAL;
		return xbpf_cmd_prog_get_fd_by_id(attr);
	case XBPF_MAP_GET_FD_BY_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, open_flags))
			return -EINVAL;
		return xbpf_cmd_map_get_fd_by_id(attr);
	case XBPF_OBJ_PIN:
		if (XBPF_ATTR_TAIL_NONZERO(attr, file_flags))
			return -EINVAL;
		return xbpf_cmd_obj_pin(attr);
	case XBPF_OBJ_GET:
		if (XBPF_ATTR_TAIL_NONZERO(attr, file_flags))
			return -EINVAL;
		return xbpf_cmd_obj_get(attr);
	case XBPF_LINK_CREATE:
		/* 6.1's kprobe_multi is the union's largest member we read */
		if (XBPF_ATTR_TAIL_NONZERO(attr, link_create.kprobe_multi.cookies))
			return -EINVAL;
		return xbpf_cmd_link_create(attr);
	case XBPF_RAW_TRACEPOINT_OPEN:
		if (XBPF_ATTR_TAIL_NONZERO(attr, raw_tracepoint.prog_fd))
			return -EINVAL;
		return xbpf_cmd_raw_tracepoint_open(attr);
	case XBPF_LINK_DETACH:
		if (XBPF_ATTR_TAIL_NONZERO(attr, link_detach.link_fd))
			return -EINVAL;
		return xbpf_cmd_link_detach(attr);
	case XBPF_LINK_GET_NEXT_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, next_id))
			return -EINVAL;
		return xbpf_cmd_link_get_next_id(attr, uattr);
	case XBPF_LINK_GET_FD_BY_ID:
		if (XBPF_ATTR_TAIL_NONZERO(attr, link_id))
			return -EINVAL;
		return xbpf_cmd_link_get_fd_by_id(attr);
	default:
		/* a bpf(2) command that a later issue implements */
		return -EOPNOTSUPP;
	}
}

static bool xbpf_cmd_excludes_hooks(u32 cmd)
{
	return cmd == XBPF_MAP_LOOKUP_ELEM || cmd == XBPF_MAP_UPDATE_ELEM ||
	       cmd == XBPF_MAP_DELETE_ELEM || cmd == XBPF_MAP_GET_NEXT_KEY;
}

static long xbpf_ioc_bpf(struct xbpf_cmd __user *ucmd)
{
	union xbpf_attr attr;
	union xbpf_attr __user *uattr;
	struct xbpf_cmd c;
	int err;

	if (copy_from_user(&c, ucmd, sizeof(c)))
		return -EFAULT;
	if (c.cmd >= __XBPF_CMD_MAX)
		return -EINVAL;

	uattr = u64_to_user_ptr(c.attr);
	err = xbpf_copy_attr(&attr, uattr, c.size);
	if (err)
		return err;
	/*
	 * Map element commands take map locks a hook program may want
	 * (test runs exclude hooks per run, test_run.c): hook programs on this CPU wait (count a miss) meanwhile,
	 * as Linux's bpf_disable_instrumentation (module/trace_run.c).
	 */
	if (xbpf_cmd_excludes_hooks(c.cmd)) {
		xbpf_trace_disable();
		err = xbpf_do_bpf(c.cmd, &attr, uattr, c.size);
		xbpf_trace_enable();
		return err;
	}
	return xbpf_do_bpf(c.cmd, &attr, uattr, c.size);
}

long xbpf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case XBPF_IOC_BPF:
		return xbpf_ioc_bpf(argp);
	case XBPF_IOC_VERSION:
		return xbpf_ioc_version(argp);
	case XBPF_IOC_PIN_NEXT:
		return xbpf_ioc_pin_next(argp);
	default:
		return -ENOTTY;
	}
}

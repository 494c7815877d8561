// SPDX-License-Identifier: GPL-2.0
/*
 * The module engine: every command is one ioctl on /dev/xbpf.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "backend.h"

struct dev_priv {
	int	fd;
};

/*
 * --unpriv against the module: the module takes its verifier flags from
 * the caller's capabilities at PROG_LOAD time, so we empty the effective
 * set (keeping the permitted set) around the ioctl and restore it after.
 * /dev/xbpf was opened while still privileged: the fd stays usable, as a
 * group-granted fd would be for a real unprivileged user.  Raw capget/
 * capset keep the static binary free of libcap.
 */
struct caps_saved {
	struct __user_cap_header_struct	hdr;
	struct __user_cap_data_struct	data[_LINUX_CAPABILITY_U32S_3];
};

static int caps_drop_effective(struct caps_saved *s)
{
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3];
	int i;

	memset(s, 0, sizeof(*s));
	s->hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &s->hdr, s->data))
		return -errno;
	memcpy(none, s->data, sizeof(none));
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		none[i].effective = 0;
	if (syscall(SYS_capset, &s->hdr, none))
		return -errno;
	return 0;
}

static void caps_restore(struct caps_saved *s)
{
	/* Cannot fail: the permitted set was never reduced. */
	if (syscall(SYS_capset, &s->hdr, s->data))
		abort();
}

static int dev_bpf(struct xbpf_backend *be, int cmd, union xbpf_attr *attr,
		   unsigned int size)
{
	struct dev_priv *p = be->priv;
	struct xbpf_cmd c = {
		.cmd = (__u32)cmd,
		.size = size,
		.attr = (__u64)(uintptr_t)attr,
	};
	struct caps_saved saved;
	bool drop = cmd == XBPF_PROG_LOAD && be->unpriv;
	int ret, err;

	if (drop) {
		err = caps_drop_effective(&saved);
		if (err)
			return err;
	}
	ret = ioctl(p->fd, XBPF_IOC_BPF, &c);
	err = ret < 0 ? -errno : ret;
	if (drop)
		caps_restore(&saved);
	return err;
}

static int dev_version(struct xbpf_backend *be, struct xbpf_version *v)
{
	struct dev_priv *p = be->priv;

	return ioctl(p->fd, XBPF_IOC_VERSION, v) < 0 ? -errno : 0;
}

static int dev_close_fd(struct xbpf_backend *be, int fd)
{
	(void)be;
	return close(fd) ? -errno : 0;
}

static void dev_destroy(struct xbpf_backend *be)
{
	struct dev_priv *p = be->priv;

	close(p->fd);
	free(p);
	free(be);
}

static const struct xbpf_backend_ops dev_ops = {
	.bpf		= dev_bpf,
	.version	= dev_version,
	.close_fd	= dev_close_fd,
	.destroy	= dev_destroy,
};

int xbpf_backend_dev_open(struct xbpf_backend **bep)
{
	const char *path = getenv("XBPF_DEVICE");
	struct xbpf_backend *be;
	struct dev_priv *p;
	int fd;

	if (!path || !*path)
		path = XBPF_DEVICE_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	be = calloc(1, sizeof(*be));
	p = calloc(1, sizeof(*p));
	if (!be || !p) {
		free(be);
		free(p);
		close(fd);
		return -ENOMEM;
	}
	p->fd = fd;
	be->ops = &dev_ops;
	be->engine = "module";
	be->priv = p;
	*bep = be;
	return 0;
}

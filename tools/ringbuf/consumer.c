// SPDX-License-Identifier: GPL-2.0
/*
 * A consumer over several rings: the epoll instance, the ring array, and
 * the device fd through which each map's type and size are asked.  The
 * per-ring work (mappings, the consume loop and its memory ordering) is
 * in ring.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/xbpf.h>

#include "ring.h"

struct xbpf_ringbuf_consumer {
	int			epoll_fd;
	int			dev_fd;
	bool			own_dev;	/* opened by new(): closed by free() */
	struct xbpf_rb_ring	*rings;
	unsigned int		nr_rings;
	struct epoll_event	*events;	/* one slot per ring */
};

struct xbpf_ringbuf_consumer *xbpf_ringbuf_consumer_new(int dev_fd)
{
	struct xbpf_ringbuf_consumer *c = calloc(1, sizeof(*c));
	const char *path;

	if (!c)
		return NULL;
	c->dev_fd = -1;
	c->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epoll_fd < 0)
		goto fail;
	c->dev_fd = dev_fd;
	if (dev_fd < 0) {
		path = getenv("XBPF_DEVICE");
		if (!path || !*path)
			path = XBPF_DEVICE_PATH;
		c->dev_fd = open(path, O_RDWR | O_CLOEXEC);
		if (c->dev_fd < 0)
			goto fail;
		c->own_dev = true;
	}
	return c;
fail:
	xbpf_ringbuf_consumer_free(c);
	return NULL;
}

/* OBJ_GET_INFO_BY_FD through the device: the map's type and size. */
static int xbpf_rb_map_info(int dev_fd, int map_fd, struct xbpf_map_info *info)
{
	union xbpf_attr attr;
	struct xbpf_cmd cmd;

	memset(info, 0, sizeof(*info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)map_fd;
	attr.info.info_len = sizeof(*info);
	attr.info.info = (__u64)(uintptr_t)info;
	cmd.cmd = XBPF_OBJ_GET_INFO_BY_FD;
	cmd.size = sizeof(attr);
	cmd.attr = (__u64)(uintptr_t)&attr;
	return ioctl(dev_fd, XBPF_IOC_BPF, &cmd) < 0 ? -errno : 0;
}

int xbpf_ringbuf_consumer_add(struct xbpf_ringbuf_consumer *c, int map_fd,
			      xbpf_ringbuf_cb cb, void *ctx)
{
	struct xbpf_map_info info;
	struct epoll_event ev, *events;
	struct xbpf_rb_ring *rings, *r;
	int err;

	if (c->nr_rings >= INT_MAX)
		return -E2BIG;
	err = xbpf_rb_map_info(c->dev_fd, map_fd, &info);
	if (err)
		return err;
	if (info.type != XBPF_MAP_TYPE_RINGBUF)
		return -EINVAL;

	rings = realloc(c->rings, (c->nr_rings + 1) * sizeof(*rings));
	if (!rings)
		return -ENOMEM;
	c->rings = rings;
	events = realloc(c->events, (c->nr_rings + 1) * sizeof(*events));
	if (!events)
		return -ENOMEM;
	c->events = events;

	r = &c->rings[c->nr_rings];
	memset(r, 0, sizeof(*r));
	r->cb = cb;
	r->ctx = ctx;
	err = xbpf_rb_ring_map(r, map_fd, info.max_entries);
	if (err)
		return err;
	/* the ring's index comes back with its events */
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u32 = c->nr_rings;
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		err = -errno;
		xbpf_rb_ring_unmap(r);
		return err;
	}
	c->nr_rings++;
	return 0;
}

/* Adds a ring's count to the total without overflowing it. */
static int xbpf_rb_add_count(int total, int n)
{
	return n > INT_MAX - total ? INT_MAX : total + n;
}

int xbpf_ringbuf_consumer_consume(struct xbpf_ringbuf_consumer *c)
{
	unsigned int i;
	int total = 0, n, ret;

	for (i = 0; i < c->nr_rings; i++) {
		ret = xbpf_rb_ring_consume(&c->rings[i], &n);
		if (ret)
			return ret;	/* an error, or a callback stopped us */
		total = xbpf_rb_add_count(total, n);
	}
	return total;
}

int xbpf_ringbuf_consumer_poll(struct xbpf_ringbuf_consumer *c, int timeout_ms)
{
	int n;

	if (!c->nr_rings)
		return -ENOENT;
	n = epoll_wait(c->epoll_fd, c->events, (int)c->nr_rings, timeout_ms);
	if (n < 0)
		return -errno;
	/*
	 * Every ring, not only the woken ones: records committed with
	 * NO_WAKEUP, or while we were not waiting, are delivered too.  A
	 * ring with nothing new costs two loads.
	 */
	return xbpf_ringbuf_consumer_consume(c);
}

int xbpf_ringbuf_consumer_epoll_fd(const struct xbpf_ringbuf_consumer *c)
{
	return c->epoll_fd;
}

void xbpf_ringbuf_consumer_free(struct xbpf_ringbuf_consumer *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->nr_rings; i++)
		xbpf_rb_ring_unmap(&c->rings[i]);
	if (c->epoll_fd >= 0)
		close(c->epoll_fd);
	if (c->own_dev && c->dev_fd >= 0)
		close(c->dev_fd);
	free(c->rings);
	free(c->events);
	free(c);
}

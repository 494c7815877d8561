/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libxbpf_ringbuf: a user-space consumer of BPF_MAP_TYPE_RINGBUF maps
 * (ringbuf/ringbuf.h has the shared layout), in the manner of libbpf's
 * ring_buffer API: one consumer over one or more ring buffer map fds,
 * each mapped (consumer page rw, producer page and data ro) and
 * registered with one epoll instance, and a callback per record.
 *
 *   c = xbpf_ringbuf_consumer_new(-1);          (opens $XBPF_DEVICE or /dev/xbpf)
 *   xbpf_ringbuf_consumer_add(c, map_fd, cb, ctx);
 *   while ((n = xbpf_ringbuf_consumer_poll(c, 100)) >= 0) ...
 *   xbpf_ringbuf_consumer_free(c);
 *
 * Return values: the number of records handed to callbacks (>= 0), or a
 * negative errno, or, when a callback returns non-zero, that value: the
 * record it was given counts as consumed and consumption stops there
 * (later records stay in the ring for the next call).  A callback that
 * must be told apart from a count should return a negative value.
 *
 * Single-threaded: one thread at a time per consumer, and one consumer
 * per ring (the consumer position is ours alone).
 */
#ifndef _XBPF_RINGBUF_LIB_H
#define _XBPF_RINGBUF_LIB_H

#include <stddef.h>

struct xbpf_ringbuf_consumer;

/*
 * Called once per committed record, in the ring's order; data is valid
 * only during the call (the producer may reuse the bytes afterwards).
 */
typedef int (*xbpf_ringbuf_cb)(void *ctx, const void *data, size_t size);

/*
 * A consumer with no rings.  dev_fd is an open /dev/xbpf, used to ask
 * each map's type and size (OBJ_GET_INFO_BY_FD) and not closed by us; -1
 * opens $XBPF_DEVICE (else /dev/xbpf) for the consumer's lifetime.
 * NULL with errno set on failure.
 */
struct xbpf_ringbuf_consumer *xbpf_ringbuf_consumer_new(int dev_fd);

/*
 * Adds a ring buffer map: maps it (the fd must be open read-write, for
 * the consumer page) and registers it for EPOLLIN.  map_fd stays the
 * caller's; the mappings keep the map alive until free.  0, or -EINVAL
 * (not a ring buffer), -EBADF, -ENOMEM or the errno of mmap/epoll_ctl.
 */
int xbpf_ringbuf_consumer_add(struct xbpf_ringbuf_consumer *c, int map_fd,
			      xbpf_ringbuf_cb cb, void *ctx);

/*
 * Waits up to timeout_ms (-1: forever) for a wakeup, then hands on every
 * record of every ring, woken or not (a producer's NO_WAKEUP record is
 * delivered by the next poll that returns).  0 when the wait timed out
 * with nothing in the rings; -EINTR when a signal interrupted the wait.
 */
int xbpf_ringbuf_consumer_poll(struct xbpf_ringbuf_consumer *c, int timeout_ms);

/* Hands on every record available now, without waiting. */
int xbpf_ringbuf_consumer_consume(struct xbpf_ringbuf_consumer *c);

/* The epoll fd, for callers that wait in their own loop. */
int xbpf_ringbuf_consumer_epoll_fd(const struct xbpf_ringbuf_consumer *c);

/* Unmaps every ring and closes what new() opened; NULL is a no-op. */
void xbpf_ringbuf_consumer_free(struct xbpf_ringbuf_consumer *c);

#endif /* _XBPF_RINGBUF_LIB_H */

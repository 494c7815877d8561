// SPDX-License-Identifier: GPL-2.0
/*
 * The ring buffer's platform half on the host (libxbpf.a only; the module
 * has ringbuf_kern.c): the same area as in the kernel, built from a memfd
 * whose data pages are mapped a second time right after the first, and a
 * wakeup counter standing in for the irq_work and the wait queue.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>
#include "ringbuf.h"

struct xbpf_ringbuf_user {
	void	*base;
	size_t	bytes;		/* of the whole reservation */
	u64	wakeups;
};

int xbpf_ringbuf_plat_alloc(struct xbpf_ringbuf *rb, u32 nr_data_pages)
{
	size_t meta = XBPF_RINGBUF_META_PAGES * XBPF_PAGE_SIZE;
	size_t data = (size_t)nr_data_pages * XBPF_PAGE_SIZE;
	struct xbpf_ringbuf_user *u;
	u8 *base;
	int fd;

	if (sysconf(_SC_PAGESIZE) != (long)XBPF_PAGE_SIZE)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	fd = memfd_create("xbpf-ringbuf", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)(meta + data)))
		goto err;
	/* One range for everything, then the file mapped into it twice. */
	u->bytes = meta + 2 * data;
	base = mmap(NULL, u->bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		goto err;
	u->base = base;
	if (mmap(base, meta + data, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0) == MAP_FAILED ||
	    mmap(base + meta + data, data, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, (off_t)meta) == MAP_FAILED)
		goto err;
	close(fd);
	rb->area = base;
	rb->plat = u;
	return 0;
err:
	if (u->base)
		munmap(u->base, u->bytes);
	if (fd >= 0)
		close(fd);
	free(u);
	return -ENOMEM;
}

void xbpf_ringbuf_plat_free(struct xbpf_ringbuf *rb)
{
	struct xbpf_ringbuf_user *u = rb->plat;

	munmap(u->base, u->bytes);
	free(u);
	pthread_mutex_destroy(&rb->lock);
	free(rb);
}

void xbpf_ringbuf_plat_notify(struct xbpf_ringbuf *rb)
{
	struct xbpf_ringbuf_user *u = rb->plat;

	__atomic_fetch_add(&u->wakeups, 1, __ATOMIC_RELAXED);
}

u64 xbpf_ringbuf_user_wakeups(const struct xbpf_map *map)
{
	const struct xbpf_ringbuf_user *u = xbpf_ringbuf_of(map)->plat;

	return __atomic_load_n(&u->wakeups, __ATOMIC_RELAXED);
}

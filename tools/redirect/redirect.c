// SPDX-License-Identifier: GPL-2.0
/*
 * bpf(2) over /dev/xbpf for libbpf callers: see redirect.h for which libbpf
 * call sites come through here.
 *
 * The device fd is process-wide and opened once.  The first caller wins a
 * compare-and-swap on the cached fd; a loser closes its own fd and uses
 * the winner's, so no lock is held across open().  A failed open is not
 * cached: a later call (say after modprobe) may succeed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/xbpf.h>

#include "redirect.h"

static int xbpf_redirect_fd = -1;

static int xbpf_redirect_dev(void)
{
	const char *path;
	int fd, expected = -1;

	fd = __atomic_load_n(&xbpf_redirect_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	path = getenv("XBPF_DEVICE");
	if (!path || !*path)
		path = XBPF_DEVICE_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!__atomic_compare_exchange_n(&xbpf_redirect_fd, &expected, fd,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		close(fd);
		return expected;
	}
	return fd;
}

/*
 * $XBPF_REDIRECT_TRACE set: one stderr line per bpf(2) call, enough to
 * see libbpf's feature probes and what the engine answered them.
 */
static void xbpf_redirect_trace(int cmd, const union xbpf_attr *a, long ret, int err)
{
	char what[96] = "";

	if (cmd == XBPF_PROG_LOAD)
		snprintf(what, sizeof(what), " prog_type=%u attach_type=%u insns=%u name=%.16s",
			 a->prog_type, a->expected_attach_type, a->insn_cnt, a->prog_name);
	else if (cmd == XBPF_MAP_CREATE)
		snprintf(what, sizeof(what), " map_type=%u flags=%#x btf=%u/%u name=%.16s",
			 a->map_type, a->map_flags, a->btf_key_type_id,
			 a->btf_value_type_id, a->map_name);
	if (ret < 0)
		fprintf(stderr, "xbpf-redirect: bpf(%d)%s = -1 errno %d\n", cmd, what, err);
	else
		fprintf(stderr, "xbpf-redirect: bpf(%d)%s = %ld\n", cmd, what, ret);
}

long xbpf_redirect_bpf(int cmd, void *attr, unsigned int size)
{
	struct xbpf_cmd c = {
		.cmd = (__u32)cmd,
		.size = size,
		.attr = (__u64)(uintptr_t)attr,
	};
	int fd = xbpf_redirect_dev();
	long ret;
	int err;

	if (fd < 0)
		return -1;	/* errno from open() */
	ret = ioctl(fd, XBPF_IOC_BPF, &c);
	if (getenv("XBPF_REDIRECT_TRACE") && attr) {
		/* the caller's block may be shorter than ours: zero-extend */
		union xbpf_attr a;

		err = errno;
		memset(&a, 0, sizeof(a));
		memcpy(&a, attr, size < sizeof(a) ? size : sizeof(a));
		xbpf_redirect_trace(cmd, &a, ret, err);
		errno = err;
	}
	return ret;
}

long xbpf_redirect_syscall(xbpf_real_syscall_t real, long nr, va_list ap)
{
	long a[6];
	int i;

	/*
	 * syscall() callers pass up to six long-sized arguments; reading six
	 * is what glibc's syscall() itself does, whatever the caller passed.
	 */
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	if (nr == SYS_bpf)
		return xbpf_redirect_bpf((int)a[0], (void *)a[1],
					 (unsigned int)a[2]);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

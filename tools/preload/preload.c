// SPDX-License-Identifier: GPL-2.0
/*
 * libxbpf-preload.so: unmodified, dynamically linked bpf(2) users (Debian's
 * bpftool, libbpf.so programs) against xbpf through LD_PRELOAD.
 *
 *   LD_PRELOAD=libxbpf-preload.so bpftool prog load x.bpf.o /sys/fs/bpf/x
 *
 * What is interposed, and why (bpftool 7.1 / libbpf 1.1 call sites):
 *   syscall()        every bpf(2) command: libbpf's sys_bpf() and skeletons
 *                    call syscall(__NR_bpf, ...); tools/redirect/ sends it
 *                    to /dev/xbpf, anything else to libc's syscall().
 *   statfs(), statfs64()
 *                    bpftool's mount_bpffs_for_pin() and libbpf's
 *                    check_path() want the pin path's directory to be on
 *                    bpffs (f_type BPF_FS_MAGIC), or bpftool mounts the
 *                    kernel's bpffs there.  xbpf pins are keys in the
 *                    module's table (module/pin.c), not files, so paths
 *                    under the pin root answer BPF_FS_MAGIC, existing or not.
 *   mkdir()          libbpf's bpf_object__pin_*() create the parent
 *                    directories of their pins; under the pin root there
 *                    is nothing to create, so mkdir succeeds there.
 * The pin root is $XBPF_PIN_ROOT, default /sys/fs/bpf.
 *
 * Not interposed: bpftool's -f (pinned paths in `prog show`) walks the
 * bpffs mounts listed in /proc/mounts, which hold no xbpf pin; fdinfo
 * fields (memlock, frozen, owner_prog_type) are absent for xbpf fds, so
 * bpftool leaves them out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

#include "tools/redirect/redirect.h"

#define XBPF_PRELOAD_API	__attribute__((visibility("default")))

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC		0xcafe4a11
#endif

/* True for the pin root itself and any path below it. */
static int xbpf_preload_under_root(const char *path)
{
	const char *root = getenv("XBPF_PIN_ROOT");
	size_t n;

	if (!path)
		return 0;
	if (!root || root[0] != '/')
		root = "/sys/fs/bpf";
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(path, root, n))
		return 0;
	return path[n] == '\0' || path[n] == '/';
}

static void *xbpf_preload_next(const char *sym)
{
	void *fn = dlsym(RTLD_NEXT, sym);

	if (!fn)
		abort();	/* libc always has these: a broken link map */
	return fn;
}

XBPF_PRELOAD_API long syscall(long nr, ...)
{
	static xbpf_real_syscall_t real;
	va_list ap;
	long ret;

	if (!real)
		real = (xbpf_real_syscall_t)xbpf_preload_next("syscall");
	va_start(ap, nr);
	ret = xbpf_redirect_syscall(real, nr, ap);
	va_end(ap);
	return ret;
}

/* What a bpffs answers: its magic, a page block size, NAME_MAX names. */
static void xbpf_preload_fake_statfs(struct statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = BPF_FS_MAGIC;
	st->f_bsize = 4096;
	st->f_namelen = 255;
	st->f_frsize = 4096;
}

XBPF_PRELOAD_API int statfs(const char *path, struct statfs *st)
{
	static int (*real)(const char *, struct statfs *);

	if (xbpf_preload_under_root(path)) {
		xbpf_preload_fake_statfs(st);
		return 0;
	}
	if (!real)
		real = xbpf_preload_next("statfs");
	return real(path, st);
}

/* On LP64 glibc struct statfs64 has struct statfs's layout. */
XBPF_PRELOAD_API int statfs64(const char *path, struct statfs64 *st)
{
	static int (*real)(const char *, struct statfs64 *);

	_Static_assert(sizeof(struct statfs64) == sizeof(struct statfs),
		       "statfs64 differs from statfs");
	if (xbpf_preload_under_root(path)) {
		xbpf_preload_fake_statfs((struct statfs *)st);
		return 0;
	}
	if (!real)
		real = xbpf_preload_next("statfs64");
	return real(path, st);
}

XBPF_PRELOAD_API int mkdir(const char *path, mode_t mode)
{
	static int (*real)(const char *, mode_t);

	if (xbpf_preload_under_root(path))
		return 0;
	if (!real)
		real = xbpf_preload_next("mkdir");
	return real(path, mode);
}

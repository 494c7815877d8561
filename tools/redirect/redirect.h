/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routing bpf(2) to /dev/xbpf for programs that call bpf through libc's
 * syscall(): Debian's libbpf 1.1 (libbpf.a / libbpf.so.1) and libbpf light
 * skeletons.
 *
 * Which libbpf 1.1 call sites reach syscall(SYS_bpf):
 *   - bpf.o: sys_bpf() and sys_bpf_fd() are one syscall(__NR_bpf, cmd,
 *     attr, size) each; every low-level wrapper of <bpf/bpf.h> goes through
 *     them (bpf_map_create, bpf_prog_load, bpf_btf_load, bpf_obj_get_info_by_fd,
 *     bpf_*_get_next_id, bpf_*_get_fd_by_id, bpf_map_*_elem, bpf_obj_pin/get,
 *     bpf_link_create, bpf_prog_test_run_opts, bpf_enable_stats, ...).
 *     bpf_object__load() (feature probes, BTF upload, map creation, program
 *     loading), libbpf_probe_bpf_*() and btf__load_*() all reach the kernel
 *     through these wrappers.
 *   - libbpf.o: syscall(__NR_perf_event_open, ...) for kprobe/uprobe/
 *     tracepoint attach and the perf-event feature probes; it is passed
 *     through to the kernel unchanged (attach is not routed here).
 *   - <bpf/skel_internal.h>: skel_sys_bpf() is an inline syscall(__NR_bpf)
 *     compiled into the caller (light skeletons): the same interposer
 *     catches it when the caller is linked or preloaded with it.
 * Not routed: ioctl() on perf event fds (PERF_EVENT_IOC_SET_BPF) and
 * mmap() of map fds, which are plain file operations on the fd.
 */
#ifndef _XBPF_REDIRECT_H
#define _XBPF_REDIRECT_H

#include <stdarg.h>

/*
 * One bpf(2) command on /dev/xbpf ($XBPF_DEVICE overrides the path).  The
 * device is opened once, lazily and thread-safely, with O_CLOEXEC.
 * Returns what syscall(SYS_bpf, ...) returns: >= 0, or -1 with errno set.
 * With $XBPF_REDIRECT_TRACE set, each call and its result go to stderr.
 */
long xbpf_redirect_bpf(int cmd, void *attr, unsigned int size);

/* The real syscall(): takes six longs (unused ones are ignored). */
typedef long (*xbpf_real_syscall_t)(long nr, ...);

/*
 * The body of a syscall() interposer: SYS_bpf goes to xbpf, any other
 * number to @real with the six variadic arguments passed through.
 * Callers are `__wrap_syscall` (ld --wrap=syscall) and the LD_PRELOAD
 * library's syscall().
 */
long xbpf_redirect_syscall(xbpf_real_syscall_t real, long nr, va_list ap);

#endif /* _XBPF_REDIRECT_H */

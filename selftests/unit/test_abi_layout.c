// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi promise: union xbpf_attr and the info structs are layout-identical
 * to Linux's.  Compared here, field by field, against the system's
 * <linux/bpf.h>, so a typo in uapi/linux/xbpf.h fails the build of this test.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/bpf.h>
#include "../../uapi/linux/xbpf.h"

#define SAME_SIZE(a, b) _Static_assert(sizeof(a) == sizeof(b), #a " size")
#define SAME_OFF(a, b, f) \
	_Static_assert(offsetof(a, f) == offsetof(b, f), #a "." #f " offset")
#define SAME_OFF2(a, fa, b, fb) \
	_Static_assert(offsetof(a, fa) == offsetof(b, fb), #a "." #fa " offset")

SAME_SIZE(struct xbpf_insn, struct bpf_insn);
SAME_OFF(struct xbpf_insn, struct bpf_insn, off);
SAME_OFF(struct xbpf_insn, struct bpf_insn, imm);

/* Linux 6.1's union is smaller than ours only by log_true_size (6.4). */
_Static_assert(sizeof(union xbpf_attr) >= sizeof(union bpf_attr), "attr size");

#define A union xbpf_attr
#define B union bpf_attr
SAME_OFF(A, B, map_type); SAME_OFF(A, B, key_size); SAME_OFF(A, B, value_size);
SAME_OFF(A, B, max_entries); SAME_OFF(A, B, map_flags); SAME_OFF(A, B, inner_map_fd);
SAME_OFF(A, B, numa_node); SAME_OFF(A, B, map_name); SAME_OFF(A, B, map_ifindex);
SAME_OFF(A, B, btf_fd); SAME_OFF(A, B, btf_key_type_id); SAME_OFF(A, B, btf_value_type_id);
SAME_OFF(A, B, btf_vmlinux_value_type_id); SAME_OFF(A, B, map_extra);
SAME_OFF(A, B, map_fd); SAME_OFF(A, B, key); SAME_OFF(A, B, value);
SAME_OFF(A, B, next_key); SAME_OFF(A, B, flags);
SAME_OFF(A, B, batch.in_batch); SAME_OFF(A, B, batch.count); SAME_OFF(A, B, batch.flags);
SAME_OFF(A, B, prog_type); SAME_OFF(A, B, insn_cnt); SAME_OFF(A, B, insns);
SAME_OFF(A, B, license); SAME_OFF(A, B, log_level); SAME_OFF(A, B, log_size);
SAME_OFF(A, B, log_buf); SAME_OFF(A, B, kern_version); SAME_OFF(A, B, prog_flags);
SAME_OFF(A, B, prog_name); SAME_OFF(A, B, prog_ifindex); SAME_OFF(A, B, expected_attach_type);
SAME_OFF(A, B, prog_btf_fd); SAME_OFF(A, B, func_info_rec_size); SAME_OFF(A, B, func_info);
SAME_OFF(A, B, func_info_cnt); SAME_OFF(A, B, line_info_rec_size); SAME_OFF(A, B, line_info);
SAME_OFF(A, B, line_info_cnt); SAME_OFF(A, B, attach_btf_id); SAME_OFF(A, B, attach_prog_fd);
SAME_OFF(A, B, core_relo_cnt); SAME_OFF(A, B, fd_array); SAME_OFF(A, B, core_relos);
SAME_OFF(A, B, core_relo_rec_size);
SAME_OFF(A, B, pathname); SAME_OFF(A, B, bpf_fd); SAME_OFF(A, B, file_flags);
SAME_OFF(A, B, target_fd); SAME_OFF(A, B, attach_bpf_fd); SAME_OFF(A, B, attach_type);
SAME_OFF(A, B, attach_flags); SAME_OFF(A, B, replace_bpf_fd);
SAME_OFF(A, B, test.prog_fd); SAME_OFF(A, B, test.retval); SAME_OFF(A, B, test.data_size_in);
SAME_OFF(A, B, test.data_size_out); SAME_OFF(A, B, test.data_in); SAME_OFF(A, B, test.data_out);
SAME_OFF(A, B, test.repeat); SAME_OFF(A, B, test.duration); SAME_OFF(A, B, test.ctx_size_in);
SAME_OFF(A, B, test.ctx_size_out); SAME_OFF(A, B, test.ctx_in); SAME_OFF(A, B, test.ctx_out);
SAME_OFF(A, B, test.flags); SAME_OFF(A, B, test.cpu); SAME_OFF(A, B, test.batch_size);
SAME_OFF(A, B, start_id); SAME_OFF(A, B, next_id); SAME_OFF(A, B, open_flags);
SAME_OFF(A, B, info.bpf_fd); SAME_OFF(A, B, info.info_len); SAME_OFF(A, B, info.info);
SAME_OFF(A, B, query.prog_ids); SAME_OFF(A, B, query.prog_cnt); SAME_OFF(A, B, query.prog_attach_flags);
SAME_OFF(A, B, raw_tracepoint.name); SAME_OFF(A, B, raw_tracepoint.prog_fd);
SAME_OFF(A, B, btf); SAME_OFF(A, B, btf_log_buf); SAME_OFF(A, B, btf_size);
SAME_OFF(A, B, btf_log_size); SAME_OFF(A, B, btf_log_level);
SAME_OFF(A, B, task_fd_query.buf); SAME_OFF(A, B, task_fd_query.probe_addr);
SAME_OFF(A, B, link_create.prog_fd); SAME_OFF(A, B, link_create.target_fd);
SAME_OFF(A, B, link_create.attach_type); SAME_OFF(A, B, link_create.flags);
SAME_OFF(A, B, link_create.target_btf_id); SAME_OFF(A, B, link_create.iter_info);
SAME_OFF(A, B, link_create.perf_event.bpf_cookie);
SAME_OFF(A, B, link_create.kprobe_multi.syms); SAME_OFF(A, B, link_create.kprobe_multi.cookies);
SAME_OFF(A, B, link_create.tracing.cookie);
SAME_OFF(A, B, link_update.old_prog_fd); SAME_OFF(A, B, link_detach.link_fd);
SAME_OFF(A, B, enable_stats.type); SAME_OFF(A, B, iter_create.flags);
SAME_OFF(A, B, prog_bind_map.flags);
#undef A
#undef B

#define A struct xbpf_prog_info
#define B struct bpf_prog_info
SAME_SIZE(A, B);
SAME_OFF(A, B, tag); SAME_OFF(A, B, jited_prog_len); SAME_OFF(A, B, xlated_prog_insns);
SAME_OFF(A, B, load_time); SAME_OFF(A, B, created_by_uid); SAME_OFF(A, B, map_ids);
SAME_OFF(A, B, name); SAME_OFF(A, B, ifindex); SAME_OFF(A, B, netns_dev);
SAME_OFF(A, B, jited_ksyms); SAME_OFF(A, B, btf_id); SAME_OFF(A, B, func_info);
SAME_OFF(A, B, line_info); SAME_OFF(A, B, jited_line_info); SAME_OFF(A, B, prog_tags);
SAME_OFF(A, B, run_time_ns); SAME_OFF(A, B, run_cnt); SAME_OFF(A, B, recursion_misses);
SAME_OFF(A, B, verified_insns); SAME_OFF(A, B, attach_btf_id);
#undef A
#undef B

#define A struct xbpf_map_info
#define B struct bpf_map_info
SAME_SIZE(A, B);
SAME_OFF(A, B, name); SAME_OFF(A, B, ifindex); SAME_OFF(A, B, netns_dev);
SAME_OFF(A, B, btf_id); SAME_OFF(A, B, btf_value_type_id); SAME_OFF(A, B, map_extra);
#undef A
#undef B

/* What __sk_buff->sk points at, as the program reads it. */
#define A struct xbpf_sock
#define B struct bpf_sock
SAME_SIZE(A, B);
SAME_OFF(A, B, bound_dev_if); SAME_OFF(A, B, family); SAME_OFF(A, B, type);
SAME_OFF(A, B, protocol); SAME_OFF(A, B, mark); SAME_OFF(A, B, priority);
SAME_OFF(A, B, src_ip4); SAME_OFF(A, B, src_ip6); SAME_OFF(A, B, src_port);
SAME_OFF(A, B, dst_port); SAME_OFF(A, B, dst_ip4); SAME_OFF(A, B, dst_ip6);
SAME_OFF(A, B, state); SAME_OFF(A, B, rx_queue_mapping);
_Static_assert(sizeof(((A *)0)->dst_port) == sizeof(((B *)0)->dst_port), "dst_port size");
#undef A
#undef B

/* Numbers that must match too. */
_Static_assert((int)XBPF_PROG_BIND_MAP == (int)BPF_PROG_BIND_MAP, "cmd numbers");
_Static_assert((int)XBPF_LINK_DETACH == (int)BPF_LINK_DETACH, "cmd numbers");
_Static_assert((int)XBPF_MAP_TYPE_RINGBUF == (int)BPF_MAP_TYPE_RINGBUF, "map types");
_Static_assert((int)XBPF_MAP_TYPE_USER_RINGBUF == (int)BPF_MAP_TYPE_USER_RINGBUF, "map types");
_Static_assert((int)XBPF_PROG_TYPE_SYSCALL == (int)BPF_PROG_TYPE_SYSCALL, "prog types");
_Static_assert((int)XBPF_FUNC_ringbuf_query == (int)BPF_FUNC_ringbuf_query, "helper ids");
_Static_assert((int)XBPF_FUNC_ktime_get_boot_ns == (int)BPF_FUNC_ktime_get_boot_ns, "helper ids");
_Static_assert((int)XBPF_FUNC_probe_read_kernel_str == (int)BPF_FUNC_probe_read_kernel_str, "helper ids");
_Static_assert((int)XBPF_FUNC_get_current_task == (int)BPF_FUNC_get_current_task, "helper ids");
_Static_assert((int)__XBPF_FUNC_MAX_ID == (int)__BPF_FUNC_MAX_ID, "helper ids");
_Static_assert((int)XBPF_F_MMAPABLE == (int)BPF_F_MMAPABLE, "flags");
_Static_assert((int)XBPF_F_XDP_HAS_FRAGS == (int)BPF_F_XDP_HAS_FRAGS, "flags");
_Static_assert((int)XBPF_PSEUDO_MAP_IDX_VALUE == (int)BPF_PSEUDO_MAP_IDX_VALUE, "pseudo");
_Static_assert(XBPF_CMPXCHG == BPF_CMPXCHG && XBPF_XCHG == BPF_XCHG, "atomics");
_Static_assert((long long)XBPF_RB_NO_WAKEUP == (long long)BPF_RB_NO_WAKEUP &&
	       (long long)XBPF_RB_FORCE_WAKEUP == (long long)BPF_RB_FORCE_WAKEUP, "ringbuf flags");
_Static_assert((int)XBPF_RB_AVAIL_DATA == (int)BPF_RB_AVAIL_DATA &&
	       (int)XBPF_RB_RING_SIZE == (int)BPF_RB_RING_SIZE &&
	       (int)XBPF_RB_CONS_POS == (int)BPF_RB_CONS_POS &&
	       (int)XBPF_RB_PROD_POS == (int)BPF_RB_PROD_POS, "ringbuf query");
_Static_assert((long long)XBPF_RINGBUF_BUSY_BIT == (long long)BPF_RINGBUF_BUSY_BIT &&
	       (long long)XBPF_RINGBUF_DISCARD_BIT == (long long)BPF_RINGBUF_DISCARD_BIT &&
	       (int)XBPF_RINGBUF_HDR_SZ == (int)BPF_RINGBUF_HDR_SZ, "ringbuf header");

int main(void)
{
	/* The checks are static; reaching here means they all held. */
	printf("ok 1 uapi layouts match <linux/bpf.h> (attr %zu/%zu bytes)\n",
	       sizeof(union xbpf_attr), sizeof(union bpf_attr));
	return 0;
}

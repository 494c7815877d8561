// SPDX-License-Identifier: GPL-2.0
/*
 * Which helpers a program may call, by program type and privilege: Linux
 * 6.1's get_func_proto for the types xbpf loads, restricted to the helper
 * ids xbpf knows (uapi's enum xbpf_func_id).  A helper also needs a proto
 * in this build (core/helpers.c, or one the module registered): the
 * module never offers a helper it cannot run.
 *
 *   SOCKET_FILTER  sk_filter_func_proto -> bpf_sk_base_func_proto ->
 *                  bpf_base_func_proto
 *   SYSCALL        syscall_prog_func_proto -> tracing_prog_func_proto ->
 *                  bpf_tracing_func_proto -> bpf_base_func_proto
 *   KPROBE         kprobe_prog_func_proto -> bpf_tracing_func_proto ->
 *                  bpf_base_func_proto (kprobe_prog_func_proto's own
 *                  helpers: perf events, stacks, override_return,
 *                  func_ip, attach cookie, are not xbpf ids yet)
 *   TRACEPOINT     tp_prog_func_proto -> bpf_tracing_func_proto -> ...
 *   RAW_TRACEPOINT raw_tp_prog_func_proto -> bpf_tracing_func_proto -> ...
 *                  (their own helpers: perf_event_output, stacks, attach
 *                  cookie; none is an xbpf id yet)
 *
 * perfmon_capable() is caps.allow_ptr_leaks (module/caps.c sets both from
 * CAP_PERFMON).  An id no rule names is refused everywhere: whoever
 * registers a new helper classifies it here first.
 */
#include "env.h"

/* bpf_base_func_proto. */
static bool xbpf_base_func(u32 id, const struct xbpf_caps *caps)
{
	switch (id) {
	case XBPF_FUNC_map_lookup_elem:
	case XBPF_FUNC_map_update_elem:
	case XBPF_FUNC_map_delete_elem:
	case XBPF_FUNC_get_prandom_u32:
	case XBPF_FUNC_get_smp_processor_id:
	case XBPF_FUNC_tail_call:
	case XBPF_FUNC_ktime_get_ns:
	case XBPF_FUNC_ktime_get_boot_ns:
	case XBPF_FUNC_ringbuf_output:
	case XBPF_FUNC_ringbuf_reserve:
	case XBPF_FUNC_ringbuf_submit:
	case XBPF_FUNC_ringbuf_discard:
	case XBPF_FUNC_ringbuf_query:
		return true;
	default:
		break;
	}
	/* The next tier needs bpf_capable, the one after perfmon_capable too. */
	if (!caps->bpf_capable || !caps->allow_ptr_leaks)
		return false;
	switch (id) {
	case XBPF_FUNC_trace_printk:
	case XBPF_FUNC_get_current_task:
	case XBPF_FUNC_probe_read_user:
	case XBPF_FUNC_probe_read_kernel:
	case XBPF_FUNC_probe_read_user_str:
	case XBPF_FUNC_probe_read_kernel_str:
		return true;
	default:
		return false;
	}
}

/*
 * bpf_tracing_func_proto's own cases among xbpf's ids: given to every
 * tracing-like program whatever its privilege (loading one already takes
 * CAP_BPF).  The kernel-memory readers also depend on lockdown, which the
 * module checks before it registers them.
 */
static bool xbpf_tracing_func(u32 id)
{
	switch (id) {
	case XBPF_FUNC_get_current_pid_tgid:
	case XBPF_FUNC_get_current_uid_gid:
	case XBPF_FUNC_get_current_comm:
	case XBPF_FUNC_get_current_task:
	case XBPF_FUNC_trace_printk:
	case XBPF_FUNC_probe_read:
	case XBPF_FUNC_probe_read_user:
	case XBPF_FUNC_probe_read_kernel:
	case XBPF_FUNC_probe_read_user_str:
	case XBPF_FUNC_probe_read_kernel_str:
		return true;
	default:
		return false;
	}
}

static bool xbpf_func_allowed(u32 prog_type, u32 id, const struct xbpf_caps *caps)
{
	switch (prog_type) {
	case XBPF_PROG_TYPE_SOCKET_FILTER:
		/*
		 * sk_filter_func_proto: of its own helpers xbpf has the two
		 * packet readers; get_socket_cookie/uid and perf_event_output
		 * need a socket and perf buffers it does not model.
		 */
		if (id == XBPF_FUNC_skb_load_bytes || id == XBPF_FUNC_skb_load_bytes_relative)
			return true;
		return xbpf_base_func(id, caps);
	case XBPF_PROG_TYPE_SYSCALL:
	case XBPF_PROG_TYPE_KPROBE:
	case XBPF_PROG_TYPE_TRACEPOINT:
	case XBPF_PROG_TYPE_RAW_TRACEPOINT:
		return xbpf_tracing_func(id) || xbpf_base_func(id, caps);
	default:
		return false;
	}
}

const struct xbpf_helper_proto *xbpf_func_proto(const struct xbpf_verifier_env *env, u32 id)
{
	const struct xbpf_helper_proto *proto = xbpf_helper_proto(id);

	if (!proto || !xbpf_func_allowed(env->p->prog_type, id, &env->caps))
		return NULL;
	return proto;
}

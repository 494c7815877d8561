// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege, following Linux's CAP_BPF split: CAP_BPF (or CAP_SYS_ADMIN)
 * makes a caller bpf_capable; CAP_PERFMON (or CAP_SYS_ADMIN) lets it leak
 * pointers and skip the Spectre v1/v4 mitigations; CAP_SYS_ADMIN is full
 * privilege.  Checked against the init namespace, as bpf(2) does.
 */
#include <linux/capability.h>
#include <linux/moduleparam.h>
#include "xbpf_mod.h"

/*
 * Linux's kernel.unprivileged_bpf_disabled, for xbpf: off by default, as
 * Debian ships it.  Read once per PROG_LOAD; flipping it affects later
 * loads only, which is all a policy knob needs.
 */
static bool xbpf_unprivileged;
module_param_named(unprivileged, xbpf_unprivileged, bool, 0644);
MODULE_PARM_DESC(unprivileged,
		 "let callers without CAP_BPF load socket filters, which the verifier must then prove (default N)");

static bool xbpf_bpf_capable(void)
{
#ifdef CAP_BPF
	if (capable(CAP_BPF))
		return true;
#endif
	return capable(CAP_SYS_ADMIN);
}

static bool xbpf_perfmon_capable(void)
{
#ifdef CAP_PERFMON
	if (capable(CAP_PERFMON))
		return true;
#endif
	return capable(CAP_SYS_ADMIN);
}

void xbpf_caps_current(struct xbpf_caps *caps)
{
	bool perfmon = xbpf_perfmon_capable();

	caps->bpf_capable = xbpf_bpf_capable();
	caps->allow_ptr_leaks = perfmon;
	caps->bypass_spec_v1 = perfmon;
	caps->bypass_spec_v4 = perfmon;
	caps->sys_admin = capable(CAP_SYS_ADMIN);
}

/*
 * Who may load a program of this type at all (the verifier then decides
 * whether this one is safe): bpf_capable callers any type, others only
 * socket filters and only when the unprivileged parameter allows it.
 */
bool xbpf_caps_may_load(const struct xbpf_caps *caps, u32 prog_type)
{
	if (caps->bpf_capable)
		return true;
	return READ_ONCE(xbpf_unprivileged) && prog_type == XBPF_PROG_TYPE_SOCKET_FILTER;
}

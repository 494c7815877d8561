// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege, following Linux's CAP_BPF split: CAP_BPF (or CAP_SYS_ADMIN)
 * makes a caller bpf_capable; CAP_PERFMON (or CAP_SYS_ADMIN) lets it leak
 * pointers and skip the Spectre v1/v4 mitigations; CAP_SYS_ADMIN is full
 * privilege.  Checked against the init namespace, as bpf(2) does.
 */
#include <linux/capability.h>
#include "xbpf_mod.h"

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

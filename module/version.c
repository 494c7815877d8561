// SPDX-License-Identifier: GPL-2.0
/*
 * XBPF_IOC_VERSION: what this engine is and what it really implements.
 * Extensible struct: the caller says how many bytes it knows, we fill at
 * most that many and report the count filled.
 */
#include <linux/uaccess.h>
#include <linux/kernel.h>
#include "xbpf_mod.h"

#define XBPF_CMDS_IMPLEMENTED					\
	(BIT_ULL(XBPF_MAP_CREATE) | BIT_ULL(XBPF_MAP_LOOKUP_ELEM) |	\
	 BIT_ULL(XBPF_MAP_UPDATE_ELEM) | BIT_ULL(XBPF_MAP_DELETE_ELEM) | \
	 BIT_ULL(XBPF_MAP_GET_NEXT_KEY) | BIT_ULL(XBPF_PROG_LOAD) |	\
	 BIT_ULL(XBPF_PROG_TEST_RUN) | BIT_ULL(XBPF_OBJ_GET_INFO_BY_FD) |	\
	 BIT_ULL(XBPF_BTF_LOAD) | BIT_ULL(XBPF_BTF_GET_FD_BY_ID) |		\
	 BIT_ULL(XBPF_MAP_FREEZE) | BIT_ULL(XBPF_MAP_GET_NEXT_ID) |		\
	 BIT_ULL(XBPF_MAP_GET_FD_BY_ID) | BIT_ULL(XBPF_PROG_GET_NEXT_ID) |	\
	 BIT_ULL(XBPF_PROG_GET_FD_BY_ID) | BIT_ULL(XBPF_OBJ_PIN) |		\
	 BIT_ULL(XBPF_OBJ_GET) | BIT_ULL(XBPF_LINK_CREATE) |		\
	 BIT_ULL(XBPF_LINK_DETACH) | BIT_ULL(XBPF_LINK_GET_NEXT_ID) |	\
	 BIT_ULL(XBPF_LINK_GET_FD_BY_ID) | BIT_ULL(XBPF_RAW_TRACEPOINT_OPEN))

/* Must match the types xbpf_cmd_prog_load() accepts. */
#define XBPF_PROG_TYPES_IMPLEMENTED				\
	(BIT_ULL(XBPF_PROG_TYPE_SOCKET_FILTER) | BIT_ULL(XBPF_PROG_TYPE_SYSCALL) | \
	 BIT_ULL(XBPF_PROG_TYPE_KPROBE) | BIT_ULL(XBPF_PROG_TYPE_RAW_TRACEPOINT) | \
	 BIT_ULL(XBPF_PROG_TYPE_TRACEPOINT))

int xbpf_ioc_version(struct xbpf_version __user *uver)
{
	struct xbpf_version v;
	u32 usize, size;
	u32 t;

	if (get_user(usize, &uver->size))
		return -EFAULT;
	/* at least size and abi_version, or the answer is useless */
	if (usize < offsetofend(struct xbpf_version, abi_version))
		return -EINVAL;
	size = min_t(u32, usize, sizeof(v));

	memset(&v, 0, sizeof(v));
	v.size = size;
	v.abi_version = XBPF_ABI_VERSION;
	strscpy(v.version, XBPF_VERSION_STRING, sizeof(v.version));
	v.features = XBPF_FEAT_INTERP | XBPF_FEAT_ISA_V4 | XBPF_FEAT_RINGBUF |
		     XBPF_FEAT_ATTACH;
	v.cmds = XBPF_CMDS_IMPLEMENTED;
	v.prog_types = XBPF_PROG_TYPES_IMPLEMENTED;
	for (t = 0; t < __XBPF_MAP_TYPE_MAX && t < 64; t++)
		if (xbpf_map_type_supported(t))
			v.map_types |= BIT_ULL(t);
	/* only fully privileged callers load today, with the privileged limit */
	v.max_insns = XBPF_COMPLEXITY_LIMIT_INSNS;
	v.attr_size = sizeof(union xbpf_attr);

	if (copy_to_user(uver, &v, size))
		return -EFAULT;
	return 0;
}

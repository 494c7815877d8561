// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_LOAD: validate the attribute block as bpf(2) does, copy the
 * program in, run the verifier pipeline, hand out an fd.
 *
 * Who may load is xbpf_caps_may_load()'s rule.  The verifier's walk must
 * prove the program; only a CAP_SYS_ADMIN caller's program that uses a
 * feature the walk does not follow yet is loaded unproved, to run under
 * the checking memory model (XBPF_CHECK_AUTO, docs/architecture.md).
 */
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "xbpf_mod.h"

#define XBPF_LICENSE_MAX	128

#define XBPF_PROG_FLAGS_KNOWN						\
	(XBPF_F_STRICT_ALIGNMENT | XBPF_F_ANY_ALIGNMENT |		\
	 XBPF_F_TEST_RND_HI32 | XBPF_F_TEST_STATE_FREQ |		\
	 XBPF_F_SLEEPABLE | XBPF_F_XDP_HAS_FRAGS)

/* The licenses the kernel treats as GPL-compatible. */
static const char * const xbpf_gpl_licenses[] = {
	"GPL",
	"GPL v2",
	"GPL and additional rights",
	"Dual BSD/GPL",
	"Dual MIT/GPL",
	"Dual MPL/GPL",
};

static bool xbpf_license_gpl_compatible(const char *license)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xbpf_gpl_licenses); i++)
		if (!strcmp(license, xbpf_gpl_licenses[i]))
			return true;
	return false;
}

static bool xbpf_prog_type_loadable(u32 type)
{
	/* keep in sync with version.c's XBPF_PROG_TYPES_IMPLEMENTED */
	return type == XBPF_PROG_TYPE_SOCKET_FILTER ||
	       type == XBPF_PROG_TYPE_SYSCALL || type == XBPF_PROG_TYPE_KPROBE ||
	       type == XBPF_PROG_TYPE_RAW_TRACEPOINT || type == XBPF_PROG_TYPE_TRACEPOINT;
}

/* Fields whose features are later work; the log says which one. */
static int xbpf_check_unsupported(const union xbpf_attr *attr,
				  struct xbpf_log *log)
{
	/* prog_btf_fd, func_info and line_info: verifier/btf_info.c */
	if (attr->core_relo_cnt || attr->core_relos || attr->core_relo_rec_size) {
		xbpf_log_write(log, "CO-RE relocations are not supported yet\n");
		return -EINVAL;
	}
	if (attr->attach_btf_id || attr->attach_prog_fd) {
		xbpf_log_write(log, "attach_btf_id and attach_prog_fd are not supported yet\n");
		return -EINVAL;
	}
	if (attr->fd_array) {
		xbpf_log_write(log, "fd_array is not supported yet\n");
		return -EINVAL;
	}
	if (attr->prog_ifindex) {
		xbpf_log_write(log, "device offload is not supported\n");
		return -EINVAL;
	}
	return 0;
}

/* Copies the program in and verifies it; the log is open. */
static struct xbpf_prog *xbpf_prog_verify(const union xbpf_attr *attr, bool gpl,
					  const struct xbpf_caps *caps,
					  struct xbpf_log *log,
					  struct xbpf_rec_size_fixup *fixup)
{
	struct xbpf_load_params p;
	struct xbpf_insn *insns;
	struct xbpf_prog *prog = NULL;
	size_t bytes;
	int err;

	err = xbpf_check_unsupported(attr, log);
	if (err)
		return ERR_PTR(err);

	/* insn_cnt is bounded by the caller: at most 8 MiB */
	bytes = array_size(attr->insn_cnt, sizeof(*insns));
	insns = kvmalloc(bytes, GFP_USER | __GFP_NOWARN);
	if (!insns)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(insns, u64_to_user_ptr(attr->insns), bytes)) {
		err = -EFAULT;
		goto out;
	}

	memset(&p, 0, sizeof(p));
	p.prog_type = attr->prog_type;
	p.prog_flags = attr->prog_flags;
	p.expected_attach_type = attr->expected_attach_type;
	p.insns = insns;
	p.insn_cnt = attr->insn_cnt;
	p.caps = *caps;
	p.gpl_compatible = gpl;
	p.log = log;
	p.ops = &xbpf_mod_verifier_ops;
	p.priv = NULL;
	p.prog_btf_fd = attr->prog_btf_fd;
	p.func_info = attr->func_info;
	p.func_info_cnt = attr->func_info_cnt;
	p.func_info_rec_size = attr->func_info_rec_size;
	p.line_info = attr->line_info;
	p.line_info_cnt = attr->line_info_cnt;
	p.line_info_rec_size = attr->line_info_rec_size;
	p.rec_size_fixup = fixup;

	err = xbpf_verify(&p, &prog);
	if (err && prog) {
		/* a failed verification must not hand back a program */
		xbpf_prog_put(prog);
		prog = NULL;
	} else if (!err && !prog) {
		err = -EINVAL;
	}
out:
	kvfree(insns);
	return err ? ERR_PTR(err) : prog;
}

int xbpf_cmd_prog_load(union xbpf_attr *attr, union xbpf_attr __user *uattr,
		       u32 usize)
{
	char license[XBPF_LICENSE_MAX];
	char name[XBPF_OBJ_NAME_LEN];
	struct xbpf_prog *prog;
	struct xbpf_caps caps;
	struct xbpf_rec_size_fixup fixup = {};
	struct xbpf_log log;
	u32 true_size;
	int ret, lerr;

	if (attr->prog_flags & ~XBPF_PROG_FLAGS_KNOWN)
		return -EINVAL;

	xbpf_caps_current(&caps);
	if (!xbpf_caps_may_load(&caps, attr->prog_type))
		return -EPERM;

	if (!attr->insn_cnt)
		return -EINVAL;
	if (attr->insn_cnt > (caps.bpf_capable ? XBPF_COMPLEXITY_LIMIT_INSNS :
						 XBPF_MAXINSNS))
		return -E2BIG;
	if (!xbpf_prog_type_loadable(attr->prog_type))
		return -EINVAL;

	if (strncpy_from_user(license, u64_to_user_ptr(attr->license),
			      sizeof(license) - 1) < 0)
		return -EFAULT;
	license[sizeof(license) - 1] = '\0';

	ret = xbpf_obj_name_cpy(name, attr->prog_name, sizeof(name));
	if (ret)
		return ret;

	ret = xbpf_log_init(&log, attr->log_level, attr->log_buf,
			    attr->log_size);
	if (ret)
		return ret;

	prog = xbpf_prog_verify(attr, xbpf_license_gpl_compatible(license), &caps, &log,
				&fixup);
	ret = PTR_ERR_OR_ZERO(prog);
	/* The record size xbpf supports, for the loader to retry with (as bpf(2)). */
	if (ret == -E2BIG && fixup.field == XBPF_REC_SIZE_FUNC_INFO &&
	    put_user(fixup.size, &uattr->func_info_rec_size))
		ret = -EFAULT;
	if (ret == -E2BIG && fixup.field == XBPF_REC_SIZE_LINE_INFO &&
	    put_user(fixup.size, &uattr->line_info_rec_size))
		ret = -EFAULT;

	/* as bpf(2) since 6.4: a log failure (truncation, fault) wins */
	lerr = xbpf_log_finish(&log);
	if (lerr)
		ret = lerr;

	true_size = log.true_len ? (u32)min_t(u64, log.true_len + 1, U32_MAX) : 0;
	if (usize >= offsetofend(union xbpf_attr, log_true_size) &&
	    put_user(true_size, &uattr->log_true_size))
		ret = -EFAULT;

	if (ret) {
		if (!IS_ERR(prog))
			xbpf_prog_put(prog);
		return ret;
	}

	prog->gpl_compatible = xbpf_license_gpl_compatible(license);
	memcpy(prog->name, name, sizeof(prog->name));
	/* the fd layer owns the reference from here (and frees on error) */
	/* the loader's CAP_BPF decides constant blinding (jit_harden=1) */
	return xbpf_prog_install(prog, caps.bpf_capable);
}

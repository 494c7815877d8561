// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching KPROBE programs: LINK_CREATE with attach_type
 * BPF_TRACE_KPROBE_MULTI (42) and 6.1's kprobe_multi attr (flags, cnt,
 * syms or addrs), which libbpf 1.1's bpf_link_create() fills for
 * "kprobe.multi" programs.  Linux attaches single kprobes through a perf
 * event fd; xbpf cannot take the kernel's perf fds, and kprobe_multi is
 * the one bpf(2)-level ABI that names the probed functions itself.
 *
 * Each symbol (or address) gets a kprobe, or a kretprobe with
 * BPF_F_KPROBE_MULTI_RETURN, registered all or nothing; the program runs
 * from the handler through xbpf_trace_run() with the handler's struct
 * pt_regs as its context.  Detach unregisters them, which waits for
 * running handlers; kretprobe instances still pending then find no
 * kretprobe (get_kretprobe() is NULL) and run nothing.
 *
 * Not supported: cookies (bpf_get_attach_cookie is not an xbpf helper
 * yet): -EOPNOTSUPP.  Programs loaded unproved (run under the checking
 * model) are not attached: -EOPNOTSUPP.
 */
#include <linux/kprobes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/kallsyms.h>
#include "xbpf_mod.h"
#include "../verifier/ctx.h"

#define XBPF_KPROBE_MULTI_MAX	(1U << 20)	/* Linux's MAX_KPROBE_MULTI_CNT */

struct xbpf_kprobe_link;

struct xbpf_kprobe_site {
	union {
		struct kprobe		kp;
		struct kretprobe	rp;
	};
	struct xbpf_kprobe_link	*kl;
	char			*sym;		/* kvfree'd with the site */
};

struct xbpf_kprobe_link {
	struct xbpf_link	link;
	bool			retprobe;
	u32			cnt;
	struct xbpf_kprobe_site	*sites;
	void			**regs;		/* the kprobe/kretprobe pointers */
};

static int xbpf_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct xbpf_kprobe_site *s = container_of(kp, struct xbpf_kprobe_site, kp);

	xbpf_trace_run(s->kl->link.prog, regs, XBPF_KPROBE_CTX_SIZE);
	return 0;
}

static int xbpf_kretprobe_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct xbpf_kprobe_site *s;

	if (!rp)	/* unregistered while the function ran */
		return 0;
	s = container_of(rp, struct xbpf_kprobe_site, rp);
	xbpf_trace_run(s->kl->link.prog, regs, XBPF_KPROBE_CTX_SIZE);
	return 0;
}

static void xbpf_kprobe_detach(struct xbpf_link *link)
{
	struct xbpf_kprobe_link *kl = container_of(link, struct xbpf_kprobe_link, link);

	if (kl->retprobe)
		unregister_kretprobes((struct kretprobe **)kl->regs, kl->cnt);
	else
		unregister_kprobes((struct kprobe **)kl->regs, kl->cnt);
}

static void xbpf_kprobe_free_sites(struct xbpf_kprobe_link *kl)
{
	u32 i;

	if (kl->sites)
		for (i = 0; i < kl->cnt; i++)
			kfree(kl->sites[i].sym);
	kvfree(kl->sites);
	kvfree(kl->regs);
}

static void xbpf_kprobe_dealloc(struct xbpf_link *link)
{
	struct xbpf_kprobe_link *kl = container_of(link, struct xbpf_kprobe_link, link);

	xbpf_kprobe_free_sites(kl);
	kfree(kl);
}

static const struct xbpf_link_ops xbpf_kprobe_link_ops = {
	.detach		= xbpf_kprobe_detach,
	.dealloc	= xbpf_kprobe_dealloc,
};

/* Fills each site's symbol or address from user space. */
static int xbpf_kprobe_targets(struct xbpf_kprobe_link *kl, const union xbpf_attr *attr)
{
	u64 __user *usyms = u64_to_user_ptr(attr->link_create.kprobe_multi.syms);
	u64 __user *uaddrs = u64_to_user_ptr(attr->link_create.kprobe_multi.addrs);
	u32 i;

	for (i = 0; i < kl->cnt; i++) {
		struct kprobe *kp = kl->retprobe ? &kl->sites[i].rp.kp : &kl->sites[i].kp;
		u64 v;
		long n;

		if (get_user(v, usyms ? &usyms[i] : &uaddrs[i]))
			return -EFAULT;
		if (uaddrs) {
			kp->addr = (kprobe_opcode_t *)(uintptr_t)v;
			continue;
		}
		kl->sites[i].sym = kmalloc(KSYM_NAME_LEN, GFP_KERNEL);
		if (!kl->sites[i].sym)
			return -ENOMEM;
		n = strncpy_from_user(kl->sites[i].sym, u64_to_user_ptr(v), KSYM_NAME_LEN);
		if (n < 0)
			return (int)n;
		if (n == KSYM_NAME_LEN)
			return -E2BIG;
		kp->symbol_name = kl->sites[i].sym;
	}
	return 0;
}

/* Takes over the caller's reference on prog (dropped on error). */
int xbpf_kprobe_link_create(const union xbpf_attr *attr, struct xbpf_prog *prog)
{
	u32 flags = attr->link_create.kprobe_multi.flags;
	u32 cnt = attr->link_create.kprobe_multi.cnt;
	bool has_syms = attr->link_create.kprobe_multi.syms;
	bool has_addrs = attr->link_create.kprobe_multi.addrs;
	struct xbpf_kprobe_link *kl;
	u32 i;
	int err;

	BUILD_BUG_ON(sizeof(struct pt_regs) != XBPF_KPROBE_CTX_SIZE);
	err = -EINVAL;
	if (prog->expected_attach_type != XBPF_TRACE_KPROBE_MULTI ||
	    attr->link_create.flags || (flags & ~XBPF_F_KPROBE_MULTI_RETURN) ||
	    has_syms == has_addrs || !cnt)
		goto err_prog;
	err = -E2BIG;
	if (cnt > XBPF_KPROBE_MULTI_MAX)
		goto err_prog;
	err = -EOPNOTSUPP;
	if (attr->link_create.kprobe_multi.cookies || prog->checked)
		goto err_prog;

	err = -ENOMEM;
	kl = kzalloc(sizeof(*kl), GFP_KERNEL_ACCOUNT);
	if (!kl)
		goto err_prog;
	kl->retprobe = flags & XBPF_F_KPROBE_MULTI_RETURN;
	kl->cnt = cnt;
	kl->sites = kvcalloc(cnt, sizeof(*kl->sites), GFP_KERNEL_ACCOUNT);
	kl->regs = kvcalloc(cnt, sizeof(*kl->regs), GFP_KERNEL_ACCOUNT);
	if (!kl->sites || !kl->regs)
		goto err_kl;
	err = xbpf_kprobe_targets(kl, attr);
	if (err)
		goto err_kl;

	for (i = 0; i < cnt; i++) {
		struct xbpf_kprobe_site *s = &kl->sites[i];

		s->kl = kl;
		if (kl->retprobe) {
			s->rp.handler = xbpf_kretprobe_ret;
			kl->regs[i] = &s->rp;
		} else {
			s->kp.pre_handler = xbpf_kprobe_pre;
			kl->regs[i] = &s->kp;
		}
	}
	/* From here the link owns prog; its final put cleans everything. */
	xbpf_link_init(&kl->link, XBPF_LINK_TYPE_KPROBE_MULTI, XBPF_TRACE_KPROBE_MULTI,
		       &xbpf_kprobe_link_ops, prog);
	err = kl->retprobe ? register_kretprobes((struct kretprobe **)kl->regs, cnt) :
			     register_kprobes((struct kprobe **)kl->regs, cnt);
	if (err) {
		xbpf_link_put(&kl->link);	/* still "detached": nothing to unhook */
		return err;
	}
	kl->link.detached = false;
	return xbpf_link_install(&kl->link);

err_kl:
	xbpf_kprobe_free_sites(kl);
	kfree(kl);
err_prog:
	xbpf_prog_put(prog);
	return err;
}

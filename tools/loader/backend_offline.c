// SPDX-License-Identifier: GPL-2.0
/*
 * The offline engine: the core library (libxbpf.a) in this process.
 * Programs and maps live in a small fd-like table; each command mirrors
 * what the module's dispatcher does with the same attribute block, and
 * test-run builds the contexts the way the module builds them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/xbpf_core.h"
#include "btf/btf.h"
#include "backend.h"

#define FD_BASE		3	/* look like real fds; 0 is never valid */
#define ETH_HLEN	XBPF_ETH_HLEN

enum obj_kind {
	OBJ_FREE,
	OBJ_MAP,
	OBJ_PROG,
	OBJ_BTF,
};

struct obj {
	enum obj_kind	kind;
	void		*ptr;
};

struct off_priv {
	struct xbpf_backend	*be;
	struct obj		*tab;
	int			nr;
};

#define PTR(u)	((void *)(uintptr_t)(u))

static struct obj *obj_get(struct off_priv *p, int fd)
{
	int i = fd - FD_BASE;

	if (i < 0 || i >= p->nr || p->tab[i].kind == OBJ_FREE)
		return NULL;
	return &p->tab[i];
}

static int obj_alloc(struct off_priv *p, enum obj_kind kind, void *ptr)
{
	struct obj *nt;
	int i;

	for (i = 0; i < p->nr; i++)
		if (p->tab[i].kind == OBJ_FREE)
			goto found;
	nt = realloc(p->tab, (size_t)(p->nr + 1) * sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	p->tab = nt;
	i = p->nr++;
found:
	p->tab[i].kind = kind;
	p->tab[i].ptr = ptr;
	return i + FD_BASE;
}

static void obj_release(struct obj *o)
{
	/* an fd's map reference is a user reference, as in the module */
	if (o->kind == OBJ_MAP)
		xbpf_map_put_uref(o->ptr);
	else if (o->kind == OBJ_PROG)
		xbpf_prog_put(o->ptr);
	else if (o->kind == OBJ_BTF)
		xbpf_btf_put(o->ptr);
	o->kind = OBJ_FREE;
	o->ptr = NULL;
}

/* -EBADF for no object, -EINVAL for the wrong kind, as bpf(2) does. */
static int get_map(struct off_priv *p, __u32 fd, struct xbpf_map **map)
{
	struct obj *o = obj_get(p, (int)fd);

	if (!o)
		return -EBADF;
	if (o->kind != OBJ_MAP)
		return -EINVAL;
	*map = o->ptr;
	return 0;
}

static int get_prog(struct off_priv *p, __u32 fd, struct xbpf_prog **prog)
{
	struct obj *o = obj_get(p, (int)fd);

	if (!o)
		return -EBADF;
	if (o->kind != OBJ_PROG)
		return -EINVAL;
	*prog = o->ptr;
	return 0;
}

/* ---- maps ---- */

static int off_map_create(struct off_priv *p, union xbpf_attr *attr)
{
	struct xbpf_map_params mp;
	struct xbpf_map *map;
	int err = 0, fd;

	memset(&mp, 0, sizeof(mp));
	mp.map_type = attr->map_type;
	mp.key_size = attr->key_size;
	mp.value_size = attr->value_size;
	mp.max_entries = attr->max_entries;
	mp.map_flags = attr->map_flags;
	memcpy(mp.name, attr->map_name, sizeof(mp.name));
	mp.name[sizeof(mp.name) - 1] = '\0';
	map = xbpf_map_create(&mp, &err);
	if (!map)
		return err > 0 ? -err : err ? err : -ENOMEM;
	fd = obj_alloc(p, OBJ_MAP, map);
	if (fd < 0)
		xbpf_map_put_uref(map);
	return fd;
}

/* PROG_ARRAY updates: the program behind an offline fd, with a reference. */
static struct xbpf_prog *off_prog_from_fd(void *priv, u32 fd, int *err)
{
	struct xbpf_prog *prog;

	*err = get_prog(priv, fd, &prog);
	if (*err)
		return NULL;
	xbpf_prog_get(prog);
	return prog;
}

static int off_map_elem(struct off_priv *p, int cmd, union xbpf_attr *attr)
{
	const void *key = PTR(attr->key);
	struct xbpf_map *map;
	int err;

	err = get_map(p, attr->map_fd, &map);
	if (err)
		return err;
	if (!map->ops)
		return -ENOTSUPP;
	/* program arrays: fds in, ids out (module/cmd_map.c) */
	if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY && cmd == XBPF_MAP_LOOKUP_ELEM) {
		__u32 id;

		if (attr->flags)
			return -EINVAL;
		err = xbpf_prog_array_lookup_id(map, key, &id);
		if (!err)
			memcpy(PTR(attr->value), &id, sizeof(id));
		return err;
	}
	if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY && cmd == XBPF_MAP_UPDATE_ELEM) {
		if (attr->flags > XBPF_EXIST)
			return -EINVAL;
		return xbpf_prog_array_update(map, key, PTR(attr->value), attr->flags,
					      off_prog_from_fd, p);
	}
	switch (cmd) {
	case XBPF_MAP_LOOKUP_ELEM:
		if (attr->flags & ~(__u64)XBPF_F_LOCK)
			return -EINVAL;
		if (!map->ops->lookup)
			return -ENOTSUPP;
		/* bpf(2)'s layout: every CPU's copy of a per-CPU value */
		xbpf_rcu_read_lock();
		err = xbpf_map_lookup_user(map, key, PTR(attr->value));
		xbpf_rcu_read_unlock();
		return err;
	case XBPF_MAP_UPDATE_ELEM:
		if (!map->ops->update)
			return -ENOTSUPP;
		if (xbpf_map_frozen(map))
			return -EPERM;
		return xbpf_map_update_user(map, key, PTR(attr->value), attr->flags);
	case XBPF_MAP_DELETE_ELEM:
		if (!map->ops->delete)
			return -ENOTSUPP;
		if (xbpf_map_frozen(map))
			return -EPERM;
		return map->ops->delete(map, key);
	case XBPF_MAP_FREEZE:
		return xbpf_map_freeze(map, true);
	case XBPF_MAP_GET_NEXT_KEY:
		if (!map->ops->get_next_key)
			return -ENOTSUPP;
		return map->ops->get_next_key(map, attr->key ? key : NULL,
					       PTR(attr->next_key));
	}
	return -EINVAL;
}

/* ---- programs ---- */

static struct xbpf_map *off_map_from_fd(void *priv, int fd)
{
	struct xbpf_map *map;

	if (get_map(priv, (__u32)fd, &map))
		return NULL;
	xbpf_map_get(map);
	return map;
}

static struct xbpf_btf *off_btf_from_fd(void *priv, int fd, int *err)
{
	struct obj *o = obj_get(priv, fd);

	if (!o || o->kind != OBJ_BTF) {
		*err = o ? -EINVAL : -EBADF;
		return NULL;
	}
	xbpf_btf_get(o->ptr);
	return o->ptr;
}

static const struct xbpf_verifier_ops off_verifier_ops = {
	.map_from_fd = off_map_from_fd,
	.btf_from_fd = off_btf_from_fd,
};

/* ---- BTF (module/btf_fd.c) ---- */

static int off_btf_load(struct off_priv *p, union xbpf_attr *attr)
{
	struct xbpf_btf *btf = NULL;
	struct xbpf_log log;
	int err, lerr, fd;

	/* Linux 6.1: bpf_capable */
	if (p->be->unpriv)
		return -EPERM;
	err = xbpf_log_init(&log, attr->btf_log_level, attr->btf_log_buf, attr->btf_log_size);
	if (err)
		return err;
	err = xbpf_btf_load(attr->btf, attr->btf_size, &log, &btf);
	lerr = xbpf_log_finish(&log);
	if (!err && lerr)
		err = lerr;
	if (err) {
		xbpf_btf_put(btf);
		return err;
	}
	fd = obj_alloc(p, OBJ_BTF, btf);
	if (fd < 0)
		xbpf_btf_put(btf);
	return fd;
}

static bool license_is_gpl(const char *s)
{
	static const char *const ok[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
		"Dual MIT/GPL", "Dual MPL/GPL",
	};
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(ok); i++)
		if (!strcmp(s, ok[i]))
			return true;
	return false;
}

static int off_prog_load(struct off_priv *p, union xbpf_attr *attr)
{
	struct xbpf_rec_size_fixup fixup = {};
	struct xbpf_load_params lp;
	struct xbpf_prog *prog = NULL;
	struct xbpf_insn *insns;
	struct xbpf_log log;
	bool unpriv = p->be->unpriv;
	size_t i;
	int err, lerr, fd;

	/* the module's checks, in the module's order (module/cmd_prog.c) */
	if (unpriv && attr->prog_type != XBPF_PROG_TYPE_SOCKET_FILTER)
		return -EPERM;
	if (!attr->insn_cnt)
		return -EINVAL;
	if (attr->insn_cnt > (unpriv ? XBPF_MAXINSNS : XBPF_COMPLEXITY_LIMIT_INSNS))
		return -E2BIG;
	/* KPROBE and (RAW_)TRACEPOINT load (the case table checks their verdicts); no test-run */
	if (attr->prog_type != XBPF_PROG_TYPE_SOCKET_FILTER &&
	    attr->prog_type != XBPF_PROG_TYPE_SYSCALL &&
	    attr->prog_type != XBPF_PROG_TYPE_KPROBE &&
	    attr->prog_type != XBPF_PROG_TYPE_RAW_TRACEPOINT &&
	    attr->prog_type != XBPF_PROG_TYPE_TRACEPOINT)
		return -EINVAL;
	memset(&log, 0, sizeof(log));
	err = xbpf_log_init(&log, attr->log_level, attr->log_buf, attr->log_size);
	if (err)
		return err;
	/* module/cmd_prog.c's xbpf_check_unsupported, for the BTF fields */
	if (attr->core_relo_cnt || attr->core_relos || attr->core_relo_rec_size) {
		xbpf_log_write(&log, "CO-RE relocations are not supported yet\n");
		xbpf_log_finish(&log);
		return -EINVAL;
	}
	if (attr->attach_btf_id || attr->attach_prog_fd) {
		xbpf_log_write(&log, "attach_btf_id and attach_prog_fd are not supported yet\n");
		xbpf_log_finish(&log);
		return -EINVAL;
	}
	insns = malloc((size_t)attr->insn_cnt * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, PTR(attr->insns), (size_t)attr->insn_cnt * sizeof(*insns));

	memset(&lp, 0, sizeof(lp));
	lp.prog_type = attr->prog_type;
	lp.prog_flags = attr->prog_flags;
	lp.expected_attach_type = attr->expected_attach_type;
	lp.insns = insns;
	lp.insn_cnt = attr->insn_cnt;
	/*
	 * Privileged: what CAP_SYS_ADMIN gets.  --unpriv: nothing, as the
	 * module gives a caller without capabilities when its unprivileged
	 * parameter is set (socket filters only, module/caps.c).
	 */
	lp.caps.allow_ptr_leaks = !unpriv;
	lp.caps.bypass_spec_v1 = !unpriv;
	lp.caps.bypass_spec_v4 = !unpriv;
	lp.caps.bpf_capable = !unpriv;
	lp.caps.sys_admin = !unpriv;
	lp.check = (u8)p->be->check_mode;
	lp.log = &log;
	lp.ops = &off_verifier_ops;
	lp.priv = p;
	lp.prog_btf_fd = attr->prog_btf_fd;
	lp.func_info = attr->func_info;
	lp.func_info_cnt = attr->func_info_cnt;
	lp.func_info_rec_size = attr->func_info_rec_size;
	lp.line_info = attr->line_info;
	lp.line_info_cnt = attr->line_info_cnt;
	lp.line_info_rec_size = attr->line_info_rec_size;
	lp.rec_size_fixup = &fixup;

	err = xbpf_verify(&lp, &prog);
	/* as the module: the supported record size goes back to the attr */
	if (err == -E2BIG && fixup.field == XBPF_REC_SIZE_FUNC_INFO)
		attr->func_info_rec_size = fixup.size;
	if (err == -E2BIG && fixup.field == XBPF_REC_SIZE_LINE_INFO)
		attr->line_info_rec_size = fixup.size;
	free(insns);
	if (err && prog) {
		xbpf_prog_put(prog);
		prog = NULL;
	} else if (!err && !prog) {
		err = -EINVAL;
	}
	/* as bpf(2) since 6.4: a log failure (truncation, fault) wins */
	lerr = xbpf_log_finish(&log);
	if (lerr)
		err = lerr;
	attr->log_true_size = log.true_len ? (__u32)min_t(u64, log.true_len + 1, U32_MAX) : 0;
	if (err) {
		if (prog)
			xbpf_prog_put(prog);
		return err;
	}

	memcpy(prog->name, attr->prog_name, sizeof(prog->name));
	prog->name[sizeof(prog->name) - 1] = '\0';
	prog->gpl_compatible = license_is_gpl(PTR(attr->license));
	for (i = 0; i < sizeof(prog->tag) && !prog->tag[i]; i++)
		;
	if (i == sizeof(prog->tag))
		xbpf_prog_calc_tag(prog);
	fd = obj_alloc(p, OBJ_PROG, prog);
	if (fd < 0)
		xbpf_prog_put(prog);
	return fd;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/*
 * An output the bpf(2) way: what fits, -ENOSPC if not all (usize 0 with
 * data: no limit, as the module allows), the full size reported.
 */
static int copy_out(__u64 ubuf, __u32 *usize, const void *src, __u32 len, bool zero_unlimited)
{
	int err = 0;
	__u32 n = len;

	if (!ubuf)
		return 0;
	if (n > *usize && (*usize || !zero_unlimited)) {
		n = *usize;
		err = -ENOSPC;
	}
	memcpy(PTR(ubuf), src, n);
	*usize = len;
	return err;
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* The module's limits (module/xbpf_mod.h). */
#define TEST_RUN_MAX_DATA	(64U * 1024)
#define TEST_RUN_MAX_CTX	U16_MAX

static int off_test_run(struct off_priv *p, union xbpf_attr *attr)
{
	struct xbpf_backend *be = p->be;
	struct xbpf_skb *skb = NULL, *uctx = NULL;
	u8 *data = NULL, *ctx = NULL;
	struct xbpf_run_ctx rc;
	struct xbpf_prog *prog;
	__u32 repeat, i, size;
	u64 r0 = 0, t0, spent = 0;
	int err;

	err = get_prog(p, attr->test.prog_fd, &prog);
	if (err)
		return err;
	/* offline, the interpreter runs everything: XBPF_F_TEST_RUN_INTERP is moot */
	if ((attr->test.flags & ~XBPF_F_TEST_RUN_INTERP) || attr->test.cpu ||
	    attr->test.batch_size)
		return -EINVAL;
	memset(&rc, 0, sizeof(rc));

	switch (prog->type) {
	case XBPF_PROG_TYPE_SOCKET_FILTER:
		/* as Linux: an Ethernet frame, its header pulled */
		size = attr->test.data_size_in;
		if (size < ETH_HLEN || size > TEST_RUN_MAX_DATA || !attr->test.data_in)
			return -EINVAL;
		data = malloc(size);
		skb = calloc(1, sizeof(*skb));
		uctx = calloc(1, sizeof(*uctx));
		if (!data || !skb || !uctx) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(data, PTR(attr->test.data_in), size);
		if (attr->test.ctx_in) {
			__u32 csize = attr->test.ctx_size_in;

			if (csize > XBPF_SKB_USER_SIZE) {
				if (!all_zero((u8 *)PTR(attr->test.ctx_in) + XBPF_SKB_USER_SIZE,
					      csize - XBPF_SKB_USER_SIZE)) {
					err = -E2BIG;
					goto out;
				}
				csize = XBPF_SKB_USER_SIZE;
			}
			memcpy(uctx->user, PTR(attr->test.ctx_in), csize);
			if (!xbpf_skb_ctx_in_ok(uctx)) {
				err = -EINVAL;
				goto out;
			}
		}
		err = xbpf_skb_init(skb, data, size, uctx);
		if (err)
			goto out;
		rc.ctx = skb;
		rc.ctx_size = XBPF_SKB_USER_SIZE;
		rc.ctx_writable = true;
		rc.skb = skb;
		break;
	case XBPF_PROG_TYPE_SYSCALL:
		/* r1 = a copy of ctx_in, r2 = its size; no packet */
		if (attr->test.data_in || attr->test.data_size_in ||
		    attr->test.data_out || attr->test.data_size_out)
			return -EINVAL;
		size = attr->test.ctx_size_in;
		if (size > TEST_RUN_MAX_CTX || size < prog->max_ctx_offset)
			return -EINVAL;
		if (size) {
			if (!attr->test.ctx_in)
				return -EFAULT;
			ctx = malloc(size);
			if (!ctx)
				return -ENOMEM;
			memcpy(ctx, PTR(attr->test.ctx_in), size);
		}
		rc.ctx = ctx;
		rc.r2 = size;
		rc.ctx_size = size;
		rc.ctx_writable = true;
		break;
	default:
		return -EOPNOTSUPP;
	}

	/* 4 KiB of frames, on the heap as the module does */
	rc.stack = calloc(1, XBPF_RUN_STACK_SIZE);
	if (!rc.stack) {
		err = -ENOMEM;
		goto out;
	}
	repeat = attr->test.repeat ? attr->test.repeat : 1;
	for (i = 0; i < repeat; i++) {
		memset(&rc.fault, 0, sizeof(rc.fault));
		t0 = now_ns();
		err = xbpf_interp_run(prog, &rc, &r0);
		spent += now_ns() - t0;
		if (err) {
			if (err == -ELOOP)
				snprintf(be->fault, sizeof(be->fault),
					 "stopped at insn %u after %u instructions in one run",
					 rc.fault.insn, XBPF_CHECKED_INSN_BUDGET);
			else
				snprintf(be->fault, sizeof(be->fault),
					 "checked fault at insn %u: %s of %u bytes at 0x%llx: %s",
					 rc.fault.insn, rc.fault.write ? "write" : "read",
					 rc.fault.size, (unsigned long long)rc.fault.addr,
					 rc.fault.why ? rc.fault.why : "out of bounds");
			goto out;
		}
	}
	spent /= repeat;
	attr->test.duration = (__u32)min_t(u64, spent, U32_MAX);
	attr->test.retval = (__u32)r0;
	be->last_r0 = r0;
	be->have_r0 = true;

	if (skb) {
		/* the frame goes back whole, its link-layer header zeroed */
		memset(data, 0, ETH_HLEN);
		err = copy_out(attr->test.data_out, &attr->test.data_size_out, data,
			       size, true);
		if (!err && (attr->test.ctx_in || attr->test.ctx_out)) {
			xbpf_skb_ctx_out(uctx, skb);
			err = copy_out(attr->test.ctx_out, &attr->test.ctx_size_out,
				       uctx->user, XBPF_SKB_USER_SIZE, false);
		}
	} else if (attr->test.ctx_out) {
		err = copy_out(attr->test.ctx_out, &attr->test.ctx_size_out, ctx, size,
			       false);
	} else if (size) {
		/* as Linux's syscall test-run: the context goes back to ctx_in */
		memcpy(PTR(attr->test.ctx_in), ctx, size);
	}
out:
	free(rc.stack);
	free(data);
	free(skb);
	free(uctx);
	free(ctx);
	return err;
}

/* ---- info ---- */

static int off_info(struct off_priv *p, union xbpf_attr *attr)
{
	struct obj *o = obj_get(p, (int)attr->info.bpf_fd);
	struct xbpf_prog_info pi;
	struct xbpf_map_info mi;
	struct xbpf_btf_info bi;
	const void *src;
	__u32 len;

	if (!o)
		return -EBADF;
	if (o->kind == OBJ_PROG) {
		struct xbpf_prog *prog = o->ptr;

		memset(&pi, 0, sizeof(pi));
		pi.type = prog->type;
		pi.id = prog->id;
		memcpy(pi.tag, prog->tag, sizeof(pi.tag));
		pi.xlated_prog_len = prog->len * (__u32)sizeof(struct xbpf_insn);
		pi.created_by_uid = getuid();
		pi.nr_map_ids = prog->nr_maps;
		memcpy(pi.name, prog->name, sizeof(pi.name));
		pi.gpl_compatible = prog->gpl_compatible;
		pi.verified_insns = prog->verified_insns;
		pi.btf_id = prog->btf ? prog->btf->id : 0;
		pi.nr_func_info = prog->func_info_cnt;
		pi.func_info_rec_size = sizeof(struct xbpf_func_info);
		pi.nr_line_info = prog->line_info_cnt;
		pi.line_info_rec_size = sizeof(struct xbpf_line_info);
		src = &pi;
		len = sizeof(pi);
	} else if (o->kind == OBJ_BTF) {
		struct xbpf_btf *btf = o->ptr;

		memset(&bi, 0, sizeof(bi));
		bi.btf_size = btf->data_size;
		bi.id = btf->id;
		src = &bi;
		len = sizeof(bi);
	} else {
		struct xbpf_map *map = o->ptr;

		memset(&mi, 0, sizeof(mi));
		mi.type = map->map_type;
		mi.id = map->id;
		mi.key_size = map->key_size;
		mi.value_size = map->value_size;
		mi.max_entries = map->max_entries;
		mi.map_flags = map->map_flags;
		memcpy(mi.name, map->name, sizeof(mi.name));
		src = &mi;
		len = sizeof(mi);
	}
	len = min(len, attr->info.info_len);
	memcpy(PTR(attr->info.info), src, len);
	attr->info.info_len = len;
	return 0;
}

/* ---- dispatch ---- */

static int off_bpf(struct xbpf_backend *be, int cmd, union xbpf_attr *uattr,
		   unsigned int size)
{
	struct off_priv *p = be->priv;
	union xbpf_attr attr;
	unsigned int i;
	int ret;

	/* bpf(2): a tail beyond what we know must be zero */
	for (i = sizeof(attr); i < size; i++)
		if (((const u8 *)uattr)[i])
			return -E2BIG;
	memset(&attr, 0, sizeof(attr));
	memcpy(&attr, uattr, min_t(unsigned int, size, sizeof(attr)));

	switch (cmd) {
	case XBPF_MAP_CREATE:
		ret = off_map_create(p, &attr);
		break;
	case XBPF_MAP_LOOKUP_ELEM:
	case XBPF_MAP_UPDATE_ELEM:
	case XBPF_MAP_DELETE_ELEM:
	case XBPF_MAP_GET_NEXT_KEY:
	case XBPF_MAP_FREEZE:
		ret = off_map_elem(p, cmd, &attr);
		break;
	case XBPF_PROG_LOAD:
		ret = off_prog_load(p, &attr);
		break;
	case XBPF_PROG_TEST_RUN:
		ret = off_test_run(p, &attr);
		break;
	case XBPF_OBJ_GET_INFO_BY_FD:
		ret = off_info(p, &attr);
		break;
	case XBPF_BTF_LOAD:
		ret = off_btf_load(p, &attr);
		break;
	default:
		return -EINVAL;
	}
	/* write back the out fields, as the module's copy-out does */
	memcpy(uattr, &attr, min_t(unsigned int, size, sizeof(attr)));
	return ret;
}

static int off_version(struct xbpf_backend *be, struct xbpf_version *uv)
{
	struct xbpf_version v;
	__u32 t;

	(void)be;
	memset(&v, 0, sizeof(v));
	v.abi_version = XBPF_ABI_VERSION;
	snprintf(v.version, sizeof(v.version), "%s", XBPF_VERSION_STRING);
	v.features = XBPF_FEAT_INTERP | XBPF_FEAT_ISA_V4 | XBPF_FEAT_RINGBUF;
	v.cmds = BIT_ULL(XBPF_MAP_CREATE) | BIT_ULL(XBPF_MAP_LOOKUP_ELEM) |
		 BIT_ULL(XBPF_MAP_UPDATE_ELEM) | BIT_ULL(XBPF_MAP_DELETE_ELEM) |
		 BIT_ULL(XBPF_MAP_GET_NEXT_KEY) | BIT_ULL(XBPF_PROG_LOAD) |
		 BIT_ULL(XBPF_PROG_TEST_RUN) | BIT_ULL(XBPF_OBJ_GET_INFO_BY_FD) |
		 BIT_ULL(XBPF_BTF_LOAD);
	/* the types test-run can build a context for */
	v.prog_types = BIT_ULL(XBPF_PROG_TYPE_SOCKET_FILTER) |
		       BIT_ULL(XBPF_PROG_TYPE_SYSCALL);
	for (t = 0; t < __XBPF_MAP_TYPE_MAX; t++)
		if (xbpf_map_type_supported(t))
			v.map_types |= BIT_ULL(t);
	v.max_insns = XBPF_COMPLEXITY_LIMIT_INSNS;
	v.attr_size = sizeof(union xbpf_attr);
	v.size = min_t(__u32, uv->size, sizeof(v));
	memcpy(uv, &v, v.size);
	return 0;
}

static int off_close_fd(struct xbpf_backend *be, int fd)
{
	struct obj *o = obj_get(be->priv, fd);

	if (!o)
		return -EBADF;
	obj_release(o);
	return 0;
}

static void off_destroy(struct xbpf_backend *be)
{
	struct off_priv *p = be->priv;
	int i;

	/* programs first: they hold references on maps and BTF */
	for (i = 0; i < p->nr; i++)
		if (p->tab[i].kind == OBJ_PROG)
			obj_release(&p->tab[i]);
	for (i = 0; i < p->nr; i++)
		obj_release(&p->tab[i]);
	free(p->tab);
	free(p);
	free(be);
}

static const struct xbpf_backend_ops offline_ops = {
	.bpf		= off_bpf,
	.version	= off_version,
	.close_fd	= off_close_fd,
	.destroy	= off_destroy,
};

int xbpf_backend_offline_open(struct xbpf_backend **bep)
{
	struct xbpf_backend *be = calloc(1, sizeof(*be));
	struct off_priv *p = calloc(1, sizeof(*p));
	const char *chk = getenv("XBPF_OFFLINE_CHECK");

	if (!be || !p) {
		free(be);
		free(p);
		return -ENOMEM;
	}
	p->be = be;
	be->ops = &offline_ops;
	be->engine = "offline";
	/* the module's rule unless asked otherwise; callers may also set it */
	be->check_mode = XBPF_CHECK_AUTO;
	if (chk && !strcmp(chk, "strict"))
		be->check_mode = XBPF_CHECK_STRICT;
	else if (chk && !strcmp(chk, "off"))
		be->check_mode = XBPF_CHECK_OFF;
	be->priv = p;
	*bep = be;
	return 0;
}

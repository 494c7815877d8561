// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_ARRAY (maps/prog_array.c) and bpf_tail_call in the interpreter.
 *
 * Map side: Linux 6.1's creation rules, update (program "fds" from a
 * small table, as the offline loader resolves them), lookup of the id,
 * delete and get_next_key errnos, the owner rule at update and at load,
 * the user-reference release that breaks a program <-> array cycle.
 *
 * Run side: a program tail-calling itself runs 1 + XBPF_MAX_TAIL_CALL_CNT
 * times (the count carried by ctx and by a map value), failed calls fall
 * through (index out of range, empty or deleted slot) and Linux's order
 * of counting (an empty slot counts, an index out of range does not), a
 * target with a larger stack, a tail call from a subprogram returning to
 * its caller, the count kept per frame across bpf-to-bpf calls (Linux
 * 6.1's JIT semantics), and the memory model switching per program in
 * both directions.  The verifier's direct-site records (constant map and
 * key on every path) are checked on loaded programs.  Programs are loaded through xbpf_verify() where the
 * verifier accepts them; tail calls in subprograms need BTF, so those
 * programs are built by hand.
 */
#include "lib/xbpf_test.h"
#include "maps/prog_array.h"

#define N(a)	ARRAY_SIZE(a)

#define CNT		(XBPF_MAX_TAIL_CALL_CNT + 1)	/* programs a chain runs */

static char logbuf[1 << 14];

/* ---- a fake fd table: maps for the verifier, programs for updates ---- */

#define NFDS	16
static struct xbpf_map *maptab[NFDS];
static struct xbpf_prog *progtab[NFDS];

static struct xbpf_map *tab_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !maptab[fd])
		return NULL;
	xbpf_map_get(maptab[fd]);
	return maptab[fd];
}

static const struct xbpf_verifier_ops tab_ops = { .map_from_fd = tab_map_from_fd };

/* As bpf_prog_get: -EBADF for nothing there, -EINVAL for a map fd. */
static struct xbpf_prog *tab_prog_from_fd(void *priv, u32 fd, int *err)
{
	if (fd < NFDS && progtab[fd]) {
		xbpf_prog_get(progtab[fd]);
		return progtab[fd];
	}
	*err = fd < NFDS && maptab[fd] ? -EINVAL : -EBADF;
	return NULL;
}

static struct xbpf_map *mkmap(u32 type, u32 ks, u32 vs, u32 max, u32 flags, int *err)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs,
		.max_entries = max, .map_flags = flags,
	};

	return xbpf_map_create(&p, err);
}

static int mk_err(u32 ks, u32 vs, u32 max, u32 flags)
{
	struct xbpf_map *m;
	int err = 0;

	m = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, ks, vs, max, flags, &err);
	if (m)
		xbpf_map_put(m);
	return m ? 0 : err;
}

static int load(u32 type, u32 attach, const struct xbpf_insn *insns, u32 n, u8 check,
		struct xbpf_prog **progp)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = type,
		.expected_attach_type = attach,
		.insns = insns,
		.insn_cnt = n,
		.caps = { .allow_ptr_leaks = true, .bypass_spec_v1 = true,
			  .bypass_spec_v4 = true, .bpf_capable = true, .sys_admin = true },
		.log = &log,
		.ops = &tab_ops,
		.check = check,
	};

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	*progp = NULL;
	return xbpf_verify(&p, progp);
}

static int update(struct xbpf_map *pa, u32 key, u32 fd, u64 flags)
{
	return xbpf_prog_array_update(pa, &key, &fd, flags, tab_prog_from_fd, NULL);
}

static int lookup_id(struct xbpf_map *pa, u32 key, u32 *id)
{
	return xbpf_prog_array_lookup_id(pa, &key, id);
}

static int del(struct xbpf_map *pa, u32 key)
{
	return pa->ops->delete(pa, &key);
}

/* SYSCALL run on a 16-byte context holding the counter at 0. */
static int run_ctx(const struct xbpf_prog *prog, u64 *ctx, u64 *r0)
{
	struct xt_env env = {
		.ctx = ctx, .ctx_size = 16, .ctx_writable = true, .r2 = 16,
	};

	return xt_run(prog, &env, r0);
}

#define PAFD	1	/* the program array of most tests */
#define ARRFD	2	/* an ARRAY holding a counter */

/* ---- map semantics ---- */

static void test_create(void)
{
	xt_report(xbpf_map_type_supported(XBPF_MAP_TYPE_PROG_ARRAY), "prog_array: supported");
	xt_report(mk_err(4, 4, 1, 0) == 0, "create: key 4, value 4, 1 entry");
	xt_report(mk_err(8, 4, 1, 0) == -EINVAL, "create: key_size 8 -EINVAL");
	xt_report(mk_err(4, 8, 1, 0) == -EINVAL, "create: value_size 8 -EINVAL");
	xt_report(mk_err(4, 0, 1, 0) == -EINVAL, "create: value_size 0 -EINVAL");
	xt_report(mk_err(4, 4, 0, 0) == -EINVAL, "create: max_entries 0 -EINVAL");
	xt_report(mk_err(4, 4, 1, XBPF_F_NUMA_NODE) == 0, "create: NUMA_NODE allowed");
	xt_report(mk_err(4, 4, 1, XBPF_F_RDONLY) == 0, "create: RDONLY allowed");
	xt_report(mk_err(4, 4, 1, XBPF_F_WRONLY) == 0, "create: WRONLY allowed");
	xt_report(mk_err(4, 4, 1, XBPF_F_RDONLY_PROG) == -EINVAL, "create: RDONLY_PROG -EINVAL");
	xt_report(mk_err(4, 4, 1, XBPF_F_WRONLY_PROG) == -EINVAL, "create: WRONLY_PROG -EINVAL");
	xt_report(mk_err(4, 4, 1, XBPF_F_MMAPABLE) == -EINVAL, "create: MMAPABLE -EINVAL");
	xt_report(mk_err(4, 4, 1, XBPF_F_INNER_MAP) == -EINVAL, "create: INNER_MAP -EINVAL");
	xt_report(mk_err(4, 4, 1, XBPF_F_PRESERVE_ELEMS) == -EINVAL,
		  "create: PRESERVE_ELEMS -EINVAL");
	xt_report(mk_err(4, 4, 1, XBPF_F_NO_PREALLOC) == -EINVAL, "create: NO_PREALLOC -EINVAL");
	xt_report(mk_err(4, 4, 1U << 30, 0) == -E2BIG, "create: 2^30 entries -E2BIG");
}

static const struct xbpf_insn ret7[] = { RET_IMM(7) };

static void test_elems(void)
{
	struct xbpf_prog *a = NULL, *b = NULL, *sock = NULL, *att = NULL;
	struct xbpf_map *pa;
	u32 id = 0, key, next;
	int err = 0;

	pa = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, &err);
	if (!pa || load(XBPF_PROG_TYPE_SYSCALL, 0, ret7, N(ret7), XBPF_CHECK_AUTO, &a) ||
	    load(XBPF_PROG_TYPE_SYSCALL, 0, ret7, N(ret7), XBPF_CHECK_AUTO, &b) ||
	    load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, ret7, N(ret7), XBPF_CHECK_AUTO, &sock) ||
	    load(XBPF_PROG_TYPE_SYSCALL, 1, ret7, N(ret7), XBPF_CHECK_AUTO, &att)) {
		xt_report(false, "elems: setup (%d) %s", err, logbuf);
		goto out;
	}
	a->id = 41;
	b->id = 42;
	progtab[3] = a;
	progtab[4] = b;
	progtab[5] = sock;
	progtab[6] = att;
	maptab[7] = pa;

	/* Linux's order: flags, then index, then the fd, then the owner */
	xt_report(update(pa, 0, 3, XBPF_NOEXIST) == -EINVAL, "update: NOEXIST -EINVAL");
	xt_report(update(pa, 0, 3, XBPF_EXIST) == -EINVAL, "update: EXIST -EINVAL");
	xt_report(update(pa, 4, 3, XBPF_ANY) == -E2BIG, "update: index == max_entries -E2BIG");
	xt_report(update(pa, 4, 15, XBPF_ANY) == -E2BIG, "update: index checked before the fd");
	xt_report(update(pa, 0, 15, XBPF_ANY) == -EBADF, "update: no such fd -EBADF");
	xt_report(update(pa, 0, 7, XBPF_ANY) == -EINVAL, "update: a map fd -EINVAL");
	xt_report(lookup_id(pa, 0, &id) == -ENOENT, "lookup: empty slot -ENOENT");

	xt_report(update(pa, 0, 3, XBPF_ANY) == 0 && xbpf_refcount_read(&a->refcnt) == 2,
		  "update: stored, one program reference taken");
	xt_report(lookup_id(pa, 0, &id) == 0 && id == 41, "lookup: the program's id (%u)", id);
	xt_report(update(pa, 0, 5, XBPF_ANY) == -EINVAL, "update: other type than the owner -EINVAL");
	xt_report(update(pa, 0, 6, XBPF_ANY) == -EINVAL,
		  "update: other expected_attach_type -EINVAL");
	xt_report(lookup_id(pa, 0, &id) == 0 && id == 41, "update: refused one leaves the slot");
	xt_report(update(pa, 0, 4, XBPF_ANY) == 0 && xbpf_refcount_read(&a->refcnt) == 1 &&
		  xbpf_refcount_read(&b->refcnt) == 2 && !lookup_id(pa, 0, &id) && id == 42,
		  "update: replacing drops the old program's reference");
	xt_report(lookup_id(pa, 9, &id) == -ENOENT, "lookup: out of range -ENOENT");
	xt_report(del(pa, 4) == -E2BIG, "delete: out of range -E2BIG");
	xt_report(del(pa, 1) == -ENOENT, "delete: empty -ENOENT");
	xt_report(del(pa, 0) == 0 && xbpf_refcount_read(&b->refcnt) == 1 &&
		  lookup_id(pa, 0, &id) == -ENOENT, "delete: emptied, reference dropped");
	xt_report(del(pa, 0) == -ENOENT, "delete: twice -ENOENT");

	xt_report(!pa->ops->get_next_key(pa, NULL, &next) && next == 0, "next_key: NULL -> 0");
	key = 2;
	xt_report(!pa->ops->get_next_key(pa, &key, &next) && next == 3, "next_key: 2 -> 3");
	key = 3;
	xt_report(pa->ops->get_next_key(pa, &key, &next) == -ENOENT, "next_key: last -ENOENT");
	key = 99;
	xt_report(!pa->ops->get_next_key(pa, &key, &next) && next == 0,
		  "next_key: out of range -> 0");
	xt_report(!pa->ops->lookup && !pa->ops->update,
		  "no lookup/update op: programs get NULL / -EOPNOTSUPP");

	/* a fresh array: the first program inserted makes the owner */
	{
		struct xbpf_map *pb = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0, &err);

		xt_report(pb && update(pb, 0, 5, XBPF_ANY) == 0 &&
			  update(pb, 1, 3, XBPF_ANY) == -EINVAL,
			  "owner: a socket filter first, then a syscall program refused");
		xbpf_map_put(pb);
		xt_report(xbpf_refcount_read(&sock->refcnt) == 1,
			  "free without a user-reference release drops what is left");
	}
out:
	maptab[7] = NULL;
	memset(progtab, 0, sizeof(progtab));
	xbpf_prog_put(a);
	xbpf_prog_put(b);
	xbpf_prog_put(sock);
	xbpf_prog_put(att);
	xbpf_map_put(pa);
}

/* ---- load-time rules ---- */

static void test_load_rules(void)
{
	const struct xbpf_insn use_pa[] = {
		LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), RET0,
	};
	const struct xbpf_insn lookup_pa[] = {
		ST(XBPF_W, 10, -4, 0), LD_MAP_FD(1, PAFD), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem), RET0,
	};
	const struct xbpf_insn delete_pa[] = {
		ST(XBPF_W, 10, -4, 0), LD_MAP_FD(1, PAFD), MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_delete_elem), RET0,
	};
	const struct xbpf_insn tail_arr[] = {
		LD_MAP_FD(2, ARRFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), RET0,
	};
	const struct xbpf_insn r0_after[] = {
		LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), EXIT(),
	};
	struct xbpf_prog *p = NULL;
	int err;

	maptab[PAFD] = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, &err);
	maptab[ARRFD] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, &err);

	err = load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, use_pa, N(use_pa), XBPF_CHECK_STRICT, &p);
	xt_report(!err && p && !p->checked, "load: socket filter tail call proved (%d)", err);
	xbpf_prog_put(p);
	err = load(XBPF_PROG_TYPE_SYSCALL, 0, use_pa, N(use_pa), XBPF_CHECK_AUTO, &p);
	xt_report(err == -EINVAL && !p, "load: the array is a socket filter's now: -EINVAL (%d)", err);
	err = load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, use_pa, N(use_pa), XBPF_CHECK_OFF, &p);
	xt_report(!err, "load: same type, unproved: accepted (%d)", err);
	xbpf_prog_put(p);

	err = load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, lookup_pa, N(lookup_pa), XBPF_CHECK_AUTO, &p);
	xt_report(err == -EINVAL && strstr(logbuf, "cannot pass map_type 3 into func bpf_map_lookup_elem#1"),
		  "verifier: map_lookup_elem on a program array refused (%d)", err);
	err = load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, delete_pa, N(delete_pa), XBPF_CHECK_AUTO, &p);
	xt_report(err == -EINVAL && strstr(logbuf, "cannot pass map_type 3 into func bpf_map_delete_elem#3"),
		  "verifier: map_delete_elem on a program array refused (%d)", err);
	err = load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, tail_arr, N(tail_arr), XBPF_CHECK_AUTO, &p);
	xt_report(err == -EINVAL && strstr(logbuf, "cannot pass map_type 2 into func bpf_tail_call#12"),
		  "verifier: tail call through an ARRAY refused (%d)", err);
	err = load(XBPF_PROG_TYPE_SOCKET_FILTER, 0, r0_after, N(r0_after), XBPF_CHECK_AUTO, &p);
	xt_report(err == -EACCES && strstr(logbuf, "R0 !read_ok"),
		  "verifier: R0 is unreadable after a tail call (%d)", err);
	xbpf_prog_put(p);

	/* the checked model refuses what the verifier would have */
	{
		const struct xbpf_insn q[] = {
			ST(XBPF_W, 10, -4, 0), LDDW_SRC(1, XBPF_PSEUDO_MAP_FD, (uintptr_t)maptab[PAFD]),
			MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4),
			CALL(XBPF_FUNC_map_delete_elem), RET0,
		};
		struct xbpf_prog *cp = xt_prog(q, N(q), true);
		struct xt_env env = { 0 };
		u64 r0;

		cp->maps = calloc(1, sizeof(*cp->maps));
		cp->maps[0] = maptab[PAFD];
		cp->nr_maps = 1;
		xt_report(xt_run(cp, &env, &r0) == -EFAULT && env.fault.why &&
			  strstr(env.fault.why, "program array"),
			  "checked: map_delete_elem on a program array faults");
		xt_prog_free(cp);
	}
	xbpf_map_put(maptab[PAFD]);
	xbpf_map_put(maptab[ARRFD]);
	maptab[PAFD] = maptab[ARRFD] = NULL;
}

/* ---- the verifier's direct-call sites (verifier/tail_sites.c) ---- */

/* Loads a SYSCALL program proved; the number of sites, -1 on a load error. */
static int sites_of(const struct xbpf_insn *insns, u32 n, struct xbpf_prog **pp)
{
	int err = load(XBPF_PROG_TYPE_SYSCALL, 0, insns, n, XBPF_CHECK_STRICT, pp);

	if (err) {
		xt_diag("load %d: %s", err, logbuf);
		return -1;
	}
	return (int)(*pp)->nr_tail_sites;
}

static bool site_is(const struct xbpf_prog *p, u32 k, u32 key)
{
	const struct xbpf_tail_site *s = &p->tail_sites[k];

	return s->insn < p->len && s->map == maptab[PAFD] && s->key == key &&
	       p->insns[s->insn].code == (XBPF_JMP | XBPF_CALL) &&
	       p->insns[s->insn].imm == XBPF_FUNC_tail_call;
}

static void test_tail_sites(void)
{
	/* r0 = ctx[0]: an unknown the branches below test */
#define HEAD	MOV64_REG(6, 1), LDX(XBPF_DW, 7, 6, 0)
#define TAIL(k)	MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_IMM(3, k), CALL(XBPF_FUNC_tail_call)
	const struct xbpf_insn one[] = { HEAD, TAIL(1), RET0 };
	const struct xbpf_insn same2[] = {
		HEAD, MOV64_IMM(3, 2), JMP_IMM(XBPF_JEQ, 7, 0, 1), MOV64_IMM(3, 2),
		MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), CALL(XBPF_FUNC_tail_call), RET0,
	};
	const struct xbpf_insn diff2[] = {
		HEAD, MOV64_IMM(3, 1), JMP_IMM(XBPF_JEQ, 7, 0, 1), MOV64_IMM(3, 2),
		MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), CALL(XBPF_FUNC_tail_call), RET0,
	};
	const struct xbpf_insn big[] = { HEAD, TAIL(4), RET0 };
	const struct xbpf_insn huge[] = { HEAD, TAIL(-1), RET0 };
	const struct xbpf_insn unknown[] = {
		HEAD, MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_REG(3, 7), CALL(XBPF_FUNC_tail_call),
		RET0,
	};
	/* bounded but not constant: [0, 1] */
	const struct xbpf_insn range[] = {
		HEAD, MOV64_REG(3, 7), ALU64_IMM(XBPF_AND, 3, 1), MOV64_REG(1, 6),
		LD_MAP_FD(2, PAFD), CALL(XBPF_FUNC_tail_call), RET0,
	};
	/* a division first: fixup inserts its guards, the site moves with the call */
	const struct xbpf_insn moved[] = {
		HEAD, MOV64_IMM(8, 7), ALU64_REG(XBPF_DIV, 8, 7), ALU64_REG(XBPF_MOD, 8, 7),
		TAIL(3), TAIL(0), MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_REG(3, 7),
		CALL(XBPF_FUNC_tail_call), RET0,
	};
	struct xbpf_prog *p = NULL;
	int err, n;

	maptab[PAFD] = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, &err);

	n = sites_of(one, N(one), &p);
	xt_report(n == 1 && site_is(p, 0, 1) && p->tail_sites[0].insn == 6,
		  "sites: constant map and key 1: listed at insn 6 (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(same2, N(same2), &p);
	xt_report(n == 1 && site_is(p, 0, 2), "sites: key 2 on both paths: listed (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(diff2, N(diff2), &p);
	xt_report(n == 0 && !p->tail_sites, "sites: keys 1 and 2 on two paths: indirect (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(big, N(big), &p);
	xt_report(n == 0, "sites: key 4 = max_entries: indirect (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(huge, N(huge), &p);
	xt_report(n == 0, "sites: key -1: indirect (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(unknown, N(unknown), &p);
	xt_report(n == 0, "sites: unknown key: indirect (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(range, N(range), &p);
	xt_report(n == 0, "sites: key in [0, 1]: indirect (%d)", n);
	xbpf_prog_put(p);
	n = sites_of(moved, N(moved), &p);
	xt_report(n == 2 && site_is(p, 0, 3) && site_is(p, 1, 0) &&
		  p->len > N(moved) && p->tail_sites[0].insn > 11 &&
		  p->tail_sites[1].insn > p->tail_sites[0].insn,
		  "sites: after fixup's patches, two of three listed at their calls (%d, len %u)",
		  n, p ? p->len : 0);
	xbpf_prog_put(p);
	/* without CAP_BPF (a socket filter, as unprivileged users load): none */
	{
		const struct xbpf_insn sf[] = {
			MOV64_REG(6, 1), TAIL(1), RET0,
		};
		struct xbpf_log log;
		struct xbpf_load_params lp = {
			.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER, .insns = sf, .insn_cnt = N(sf),
			.log = &log, .ops = &tab_ops, .check = XBPF_CHECK_STRICT,
		};
		struct xbpf_map *sfpa = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, &err);
		struct xbpf_map *keep = maptab[PAFD];

		maptab[PAFD] = sfpa;
		xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
		p = NULL;
		err = xbpf_verify(&lp, &p);
		xt_report(!err && p && !p->checked && !p->nr_tail_sites,
			  "sites: none without bpf_capable (%d, %u)", err, p ? p->nr_tail_sites : 0);
		if (p)
			xbpf_prog_put(p);
		lp.caps.bpf_capable = true;
		p = NULL;
		err = xbpf_verify(&lp, &p);
		xt_report(!err && p && p->nr_tail_sites == 1,
			  "sites: the same with bpf_capable: one (%d)", err);
		if (p)
			xbpf_prog_put(p);
		maptab[PAFD] = keep;
		xbpf_map_put(sfpa);
	}
	/* unproved: no sites */
	err = load(XBPF_PROG_TYPE_SYSCALL, 0, one, N(one), XBPF_CHECK_OFF, &p);
	xt_report(!err && p->checked && !p->nr_tail_sites && !p->tail_sites,
		  "sites: an unproved program has none (%d)", err);
	xbpf_prog_put(p);
#undef HEAD
#undef TAIL
	xbpf_map_put(maptab[PAFD]);
	maptab[PAFD] = NULL;
}

/* ---- run time through the verifier ---- */

/*
 * ctx[0] += 1; then bpf_tail_call(ctx, PAFD, pre) unless pre < 0, then
 * bpf_tail_call(ctx, PAFD, idx); a call that falls through returns ctx[0].
 */
static u32 counter_prog(struct xbpf_insn *p, s32 pre, s32 idx)
{
	u32 n = 0;

#define E(...) do { const struct xbpf_insn __i[] = { __VA_ARGS__ }; \
		    memcpy(p + n, __i, sizeof(__i)); n += N(__i); } while (0)
	E(MOV64_REG(6, 1), LDX(XBPF_DW, 0, 6, 0), ALU64_IMM(XBPF_ADD, 0, 1),
	  STX(XBPF_DW, 6, 0, 0));
	if (pre >= 0)
		E(MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_IMM(3, pre),
		  CALL(XBPF_FUNC_tail_call));
	E(MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_IMM(3, idx), CALL(XBPF_FUNC_tail_call),
	  LDX(XBPF_DW, 0, 6, 0), EXIT());
#undef E
	return n;
}

static void t_chain(const char *name, s32 pre, u8 check, u64 want)
{
	struct xbpf_insn insns[32];
	struct xbpf_prog *p = NULL;
	u64 ctx[2] = { 0, 0 }, r0 = 0;
	u32 n = counter_prog(insns, pre, 0);
	int err, rerr = -1, k;

	err = load(XBPF_PROG_TYPE_SYSCALL, 0, insns, n, check, &p);
	if (err) {
		xt_report(false, "%s: load %d %s", name, err, logbuf);
		return;
	}
	progtab[3] = p;
	err = update(maptab[PAFD], 0, 3, XBPF_ANY);
	/* twice: the count is per run */
	for (k = 0; k < 2 && !err; k++) {
		ctx[0] = 0;
		rerr = run_ctx(p, ctx, &r0);
	}
	xt_report(!err && !rerr && ctx[0] == want && r0 == want && p->checked == (check == XBPF_CHECK_OFF),
		  "%s: %llu runs (want %llu; err %d/%d)", name, (unsigned long long)ctx[0],
		  (unsigned long long)want, err, rerr);
	del(maptab[PAFD], 0);
	progtab[3] = NULL;
	xbpf_prog_put(p);
}

static void test_chains(void)
{
	int err;

	maptab[PAFD] = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, &err);
	maptab[ARRFD] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, &err);

	t_chain("self tail call, proved", -1, XBPF_CHECK_STRICT, CNT);
	t_chain("self tail call, checked", -1, XBPF_CHECK_OFF, CNT);
	/* Linux 6.1 counts before it looks at the slot: every run spends two */
	t_chain("empty slot first: it counts", 1, XBPF_CHECK_STRICT, (CNT + 1) / 2);
	t_chain("empty slot first, checked", 1, XBPF_CHECK_OFF, (CNT + 1) / 2);
	/* ... but not before the index check */
	t_chain("index out of range first: not counted", 100, XBPF_CHECK_STRICT, CNT);
	t_chain("index 2^31-1 first: not counted", 0x7fffffff, XBPF_CHECK_STRICT, CNT);

	/* fall-through cases on their own: the run continues, returns ctx[0] == 1 */
	{
		struct xbpf_insn insns[32];
		struct xbpf_prog *p = NULL, *t = NULL;
		u64 ctx[2] = { 0 }, r0 = 0;
		u32 n;
		int rerr;

		n = counter_prog(insns, -1, 100);
		load(XBPF_PROG_TYPE_SYSCALL, 0, insns, n, XBPF_CHECK_STRICT, &p);
		rerr = p ? run_ctx(p, ctx, &r0) : -1;
		xt_report(!rerr && r0 == 1, "index out of range falls through (r0 %llu)",
			  (unsigned long long)r0);
		xbpf_prog_put(p);

		n = counter_prog(insns, -1, 2);
		load(XBPF_PROG_TYPE_SYSCALL, 0, insns, n, XBPF_CHECK_STRICT, &p);
		ctx[0] = 0;
		rerr = p ? run_ctx(p, ctx, &r0) : -1;
		xt_report(!rerr && r0 == 1, "empty slot falls through (r0 %llu)",
			  (unsigned long long)r0);

		/* slot 2 holds a program returning 7, until deleted */
		load(XBPF_PROG_TYPE_SYSCALL, 0, ret7, N(ret7), XBPF_CHECK_STRICT, &t);
		progtab[4] = t;
		ctx[0] = 0;
		rerr = update(maptab[PAFD], 2, 4, XBPF_ANY) ?: run_ctx(p, ctx, &r0);
		xt_report(!rerr && r0 == 7 && ctx[0] == 1, "filled slot: the target's r0 ends the run");
		/* the array holds the only reference now: delete frees it */
		progtab[4] = NULL;
		xbpf_prog_put(t);
		ctx[0] = 0;
		rerr = del(maptab[PAFD], 2) ?: run_ctx(p, ctx, &r0);
		xt_report(!rerr && r0 == 1, "deleted slot falls through (r0 %llu)",
			  (unsigned long long)r0);
		xbpf_prog_put(p);
	}

	/* the count in a map value, and a target with a larger stack */
	{
		const struct xbpf_insn cnt[] = {
			MOV64_REG(6, 1), ST(XBPF_W, 10, -4, 0), LD_MAP_FD(1, ARRFD),
			MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -4),
			CALL(XBPF_FUNC_map_lookup_elem), JMP_IMM(XBPF_JEQ, 0, 0, 7),
			MOV64_IMM(1, 1), ATOMIC(XBPF_DW, 0, 1, 0, XBPF_ADD),
			MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0),
			CALL(XBPF_FUNC_tail_call), RET0,
		};
		const struct xbpf_insn small[] = {
			ST(XBPF_DW, 10, -8, 1), MOV64_REG(6, 10), LD_MAP_FD(2, PAFD),
			MOV64_IMM(3, 1), CALL(XBPF_FUNC_tail_call), RET0,
		};
		const struct xbpf_insn big[] = {
			ST(XBPF_DW, 10, -512, 77), ST(XBPF_DW, 10, -8, 3),
			LDX(XBPF_DW, 0, 10, -512), LDX(XBPF_DW, 1, 10, -8),
			ALU64_REG(XBPF_ADD, 0, 1), EXIT(),
		};
		struct xbpf_prog *p = NULL, *s = NULL, *b = NULL, *bc = NULL;
		u64 ctx[2] = { 0 }, r0 = 0, *val;
		u32 zero = 0;
		int rerr;

		load(XBPF_PROG_TYPE_SYSCALL, 0, cnt, N(cnt), XBPF_CHECK_STRICT, &p);
		progtab[3] = p;
		rerr = p ? update(maptab[PAFD], 0, 3, XBPF_ANY) ?: run_ctx(p, ctx, &r0) : -1;
		val = maptab[ARRFD]->ops->lookup(maptab[ARRFD], &zero);
		xt_report(!rerr && val && *val == CNT && r0 == 0,
			  "count in a map value: %llu runs", val ? (unsigned long long)*val : 0);
		del(maptab[PAFD], 0);
		progtab[3] = NULL;
		xbpf_prog_put(p);

		load(XBPF_PROG_TYPE_SYSCALL, 0, small, N(small), XBPF_CHECK_STRICT, &s);
		load(XBPF_PROG_TYPE_SYSCALL, 0, big, N(big), XBPF_CHECK_STRICT, &b);
		load(XBPF_PROG_TYPE_SYSCALL, 0, big, N(big), XBPF_CHECK_OFF, &bc);
		xt_report(s && b && s->stack_depth < b->stack_depth && bc && bc->checked,
			  "stack: caller %u bytes, target %u", s ? s->stack_depth : 0,
			  b ? b->stack_depth : 0);
		progtab[4] = b;
		progtab[5] = bc;
		rerr = s ? update(maptab[PAFD], 1, 4, XBPF_ANY) ?: run_ctx(s, ctx, &r0) : -1;
		xt_report(!rerr && r0 == 80, "target with a larger stack (r0 %llu)",
			  (unsigned long long)r0);
		rerr = s ? update(maptab[PAFD], 1, 5, XBPF_ANY) ?: run_ctx(s, ctx, &r0) : -1;
		xt_report(!rerr && r0 == 80, "proved caller, unproved target: checked from there (r0 %llu)",
			  (unsigned long long)r0);
		del(maptab[PAFD], 1);
		memset(progtab, 0, sizeof(progtab));
		xbpf_prog_put(s);
		xbpf_prog_put(b);
		xbpf_prog_put(bc);
	}
	xbpf_map_put(maptab[PAFD]);
	xbpf_map_put(maptab[ARRFD]);
	maptab[PAFD] = maptab[ARRFD] = NULL;
}

/* ---- subprograms, by hand (the verifier wants BTF for these) ---- */

static struct xbpf_prog *hand(const struct xbpf_insn *insns, u32 n, bool checked,
			      struct xbpf_map *pa)
{
	struct xbpf_prog *p = xt_prog(insns, n, checked);

	p->maps = calloc(1, sizeof(*p->maps));
	p->maps[0] = pa;
	p->nr_maps = 1;
	return p;
}

static void t_sub(const char *name, struct xbpf_map *pa, bool main_checked,
		  bool target_checked, s32 target_off, int want_err, u64 want)
{
	/* main: r7 = 1000, call sub, r0 += r7; sub: clobber r7, tail call, r0 = 1 */
	const struct xbpf_insn m[] = {
		MOV64_REG(6, 1), MOV64_IMM(7, 1000), ST(XBPF_DW, 10, -8, 0),
		CALL_LOCAL(2), ALU64_REG(XBPF_ADD, 0, 7), EXIT(),
		MOV64_IMM(7, 7), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)pa), MOV64_IMM(3, 0),
		CALL(XBPF_FUNC_tail_call), MOV64_IMM(0, 1), EXIT(),
	};
	/* the target, at depth 1: reads ctx[0] and its own stack at target_off */
	const struct xbpf_insn t[] = {
		LDX(XBPF_DW, 0, 1, 0), STX(XBPF_DW, 10, 0, target_off),
		LDX(XBPF_DW, 0, 10, target_off), MOV64_IMM(7, 99), EXIT(),
	};
	struct xbpf_prog *mp = hand(m, N(m), main_checked, pa);
	struct xbpf_prog *tp = hand(t, N(t), target_checked, pa);
	u64 ctx[2] = { 5, 0 }, r0 = 0;
	u32 key = 0;
	int err;

	progtab[3] = tp;
	err = update(pa, key, 3, XBPF_ANY);
	if (!err)
		err = run_ctx(mp, ctx, &r0);
	xt_report(err == want_err && (err || r0 == want), "%s (err %d, r0 %llu)", name, err,
		  (unsigned long long)r0);
	del(pa, 0);
	progtab[3] = NULL;
	xt_prog_free(mp);
	xt_prog_free(tp);
}

/*
 * The count per frame (Linux 6.1, where the JIT defines the mix of
 * bpf-to-bpf and tail calls): a subprogram starts from its caller's
 * count and its tail calls do not use up the caller's.  main counts,
 * calls sub twice (each tail-calls q, which counts and tail-calls q),
 * then tail-calls q itself.
 */
static void t_frames(const char *name, struct xbpf_map *pa, bool checked)
{
	const struct xbpf_insn m[] = {
		MOV64_REG(6, 1), LDX(XBPF_DW, 0, 6, 0), ALU64_IMM(XBPF_ADD, 0, 1),
		STX(XBPF_DW, 6, 0, 0),
		MOV64_REG(1, 6), CALL_LOCAL(9), MOV64_REG(1, 6), CALL_LOCAL(7),
		MOV64_REG(1, 6), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)pa), MOV64_IMM(3, 0),
		CALL(XBPF_FUNC_tail_call), LDX(XBPF_DW, 0, 6, 0), EXIT(),
		/* sub */
		MOV64_REG(6, 1), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)pa), MOV64_IMM(3, 0),
		CALL(XBPF_FUNC_tail_call), MOV64_IMM(0, 0), EXIT(),
	};
	const struct xbpf_insn q[] = {
		MOV64_REG(6, 1), LDX(XBPF_DW, 0, 6, 0), ALU64_IMM(XBPF_ADD, 0, 1),
		STX(XBPF_DW, 6, 0, 0),
		MOV64_REG(1, 6), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)pa), MOV64_IMM(3, 0),
		CALL(XBPF_FUNC_tail_call), LDX(XBPF_DW, 0, 6, 0), EXIT(),
	};
	struct xbpf_prog *mp = hand(m, N(m), checked, pa);
	struct xbpf_prog *qp = hand(q, N(q), checked, pa);
	u64 ctx[2] = { 0, 0 }, r0 = 0;
	int err;

	progtab[3] = qp;
	err = update(pa, 0, 3, XBPF_ANY);
	if (!err)
		err = run_ctx(mp, ctx, &r0);
	/* 1 (main) + 33 per sub call + 33 from main's own chain */
	xt_report(!err && ctx[0] == 1 + 3 * XBPF_MAX_TAIL_CALL_CNT && r0 == ctx[0],
		  "%s: %llu runs (err %d)", name, (unsigned long long)ctx[0], err);
	del(pa, 0);
	progtab[3] = NULL;
	xt_prog_free(mp);
	xt_prog_free(qp);
}

static void test_subprog(void)
{
	struct xbpf_map *pa;
	int err;

	pa = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0, &err);
	/* the target's exit returns to main with its r0; main's r7 restored */
	t_sub("subprog tail call returns to the caller, fast", pa, false, false, -512, 0, 1005);
	t_sub("subprog tail call, checked", pa, true, true, -512, 0, 1005);
	t_sub("subprog tail call, fast caller, checked target", pa, false, true, -512, 0, 1005);
	t_sub("subprog tail call, checked caller, fast target", pa, true, false, -512, 0, 1005);
	/* r10 - 520 is main's frame: not the checked target's memory ... */
	t_sub("checked target may not touch the proved caller's frame", pa, false, true, -520,
	      -EFAULT, 0);
	/* ... but a checked run owns every frame it made */
	t_sub("checked run: the caller's frame is its own", pa, true, true, -520, 0, 1005);
	t_frames("count per frame: two sub calls and main each get 33, fast", pa, false);
	t_frames("count per frame, checked", pa, true);
	xbpf_map_put(pa);

	/* the target may not run on a context smaller than it was proved for */
	{
		const struct xbpf_insn m[] = {
			MOV64_REG(6, 1), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, 0), MOV64_IMM(3, 0),
			CALL(XBPF_FUNC_tail_call), RET_IMM(1),
		};
		struct xbpf_insn mm[N(m)];
		struct xbpf_prog *mp, *tp;
		u64 ctx[2] = { 0 }, r0 = 0;

		pa = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0, &err);
		memcpy(mm, m, sizeof(m));
		mm[1].imm = (u32)(uintptr_t)pa;
		mm[2].imm = (u32)((u64)(uintptr_t)pa >> 32);
		mp = hand(mm, N(mm), false, pa);
		tp = hand(ret7, N(ret7), false, pa);
		tp->max_ctx_offset = 64;
		progtab[3] = tp;
		err = update(pa, 0, 3, XBPF_ANY) ?: run_ctx(mp, ctx, &r0);
		xt_report(!err && r0 == 1, "target proved for a larger ctx: falls through");
		tp->max_ctx_offset = 16;
		err = run_ctx(mp, ctx, &r0);
		xt_report(!err && r0 == 7, "target proved for this ctx: runs");
		progtab[3] = NULL;
		xt_prog_free(mp);
		xt_prog_free(tp);
		xbpf_map_put(pa);
	}
}

/* ---- the cycle: a program in an array it uses ---- */

static bool prog_freed, map_freed;

static void note_prog_free(struct xbpf_prog *prog)
{
	prog_freed = true;
}

static void note_map_free(struct xbpf_map *map)
{
	map_freed = true;
}

static void test_cycle(void)
{
	struct xbpf_insn insns[32];
	struct xbpf_prog *p = NULL;
	struct xbpf_map *pa;
	u64 ctx[2] = { 0 }, r0;
	u32 n;
	int err;

	pa = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0, &err);
	maptab[PAFD] = pa;
	n = counter_prog(insns, -1, 0);
	err = load(XBPF_PROG_TYPE_SYSCALL, 0, insns, n, XBPF_CHECK_STRICT, &p);
	if (err) {
		xt_report(false, "cycle: load %d", err);
		return;
	}
	progtab[3] = p;
	err = update(pa, 0, 3, XBPF_ANY) ?: update(pa, 1, 3, XBPF_ANY);
	xt_report(!err && xbpf_refcount_read(&p->refcnt) == 3 &&
		  xbpf_refcount_read(&pa->refcnt) == 2,
		  "cycle: the program holds the array, the array the program twice");
	err = run_ctx(p, ctx, &r0);
	xt_report(!err && ctx[0] == CNT, "cycle: runs %llu times", (unsigned long long)ctx[0]);

	p->owner_release = note_prog_free;
	pa->owner_release = note_map_free;
	progtab[3] = NULL;
	maptab[PAFD] = NULL;
	/* what closing the fds does: the map's user reference first */
	xbpf_map_get(pa);	/* keep it to look at */
	xbpf_map_put_uref(pa);
	xt_report(xbpf_refcount_read(&p->refcnt) == 1 && !prog_freed,
		  "last user reference: every slot emptied");
	progtab[3] = p;
	xt_report(update(pa, 0, 3, XBPF_ANY) == -EBADF && xbpf_refcount_read(&p->refcnt) == 1,
		  "no update after the last user reference");
	progtab[3] = NULL;
	xbpf_map_put(pa);
	xt_report(!map_freed, "the program still holds the array");
	xbpf_prog_put(p);
	xt_report(prog_freed && map_freed, "closing every fd frees both");
}

/* ---- Spectre v1: the index mask of loads without bypass_spec_v1 ---- */

static int load_caps(const struct xbpf_insn *insns, u32 n, bool spec_v1, struct xbpf_prog **progp)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SYSCALL,
		.insns = insns,
		.insn_cnt = n,
		/* CAP_BPF without CAP_PERFMON: no bypass_spec_v1 */
		.caps = { .bpf_capable = true, .bypass_spec_v1 = spec_v1,
			  .bypass_spec_v4 = spec_v1, .allow_ptr_leaks = spec_v1 },
		.log = &log,
		.ops = &tab_ops,
		.check = XBPF_CHECK_STRICT,
	};

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	*progp = NULL;
	return xbpf_verify(&p, progp);
}

/* Index of the first tail call in prog, or -1. */
static int find_tail_call(const struct xbpf_prog *prog)
{
	u32 i;

	for (i = 0; prog && i < prog->len; i++)
		if (prog->insns[i].code == (XBPF_JMP | XBPF_CALL) && prog->insns[i].src_reg == 0 &&
		    prog->insns[i].imm == XBPF_FUNC_tail_call)
			return (int)i;
	return -1;
}

static void test_spectre_mask(void)
{
	/* r3 = ctx[1] (any u64); tail call through a 5-slot array; else r0 = 100 */
	const struct xbpf_insn var[] = {
		MOV64_REG(6, 1), LDX(XBPF_DW, 3, 6, 8), MOV64_REG(1, 6), LD_MAP_FD(2, PAFD),
		CALL(XBPF_FUNC_tail_call), RET_IMM(100),
	};
	/* the map differs between two paths */
	const struct xbpf_insn two_maps[] = {
		MOV64_REG(6, 1), LDX(XBPF_DW, 7, 6, 0), LD_MAP_FD(2, PAFD),
		JMP_IMM(XBPF_JEQ, 7, 0, 2), LD_MAP_FD(2, PAFD + 2),
		MOV64_REG(1, 6), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), RET_IMM(100),
	};
	static const struct { u32 max, mask; } masks[] = {
		{ 1, 0 }, { 2, 1 }, { 3, 3 }, { 4, 3 }, { 5, 7 }, { 1000, 1023 },
		{ 0x80000000u, 0x7fffffffu }, { 0x80000001u, 0xffffffffu },
	};
	static const struct { u64 idx, r0; } runs[] = {
		{ 0, 100 }, { 1, 7 }, { 4, 100 }, { 5, 100 }, { 7, 100 }, { 8, 100 },
		{ (1ULL << 32) | 1, 7 }, { (1ULL << 32) | 5, 100 }, { ~0ULL, 100 },
	};
	struct xbpf_prog *p = NULL, *t = NULL;
	u32 i, bad = 0;
	int err, at;

	for (i = 0; i < N(masks); i++)
		bad += xbpf_prog_array_index_mask(masks[i].max) != masks[i].mask;
	xt_report(!bad, "index mask: the next power of two less one (%u wrong)", bad);

	maptab[PAFD] = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 5, 0, &err);
	maptab[PAFD + 2] = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0, &err);

	err = load_caps(var, N(var), false, &p);
	at = find_tail_call(p);
	xt_report(!err && p && !p->checked && at >= 2 &&
		  p->insns[at - 2].code == (XBPF_JMP32 | XBPF_JGE | XBPF_K) &&
		  p->insns[at - 2].dst_reg == 3 && p->insns[at - 2].imm == 5 &&
		  p->insns[at - 2].off == 2 &&
		  p->insns[at - 1].code == (XBPF_ALU | XBPF_AND | XBPF_K) &&
		  p->insns[at - 1].dst_reg == 3 && p->insns[at - 1].imm == 7,
		  "no bypass_spec_v1: if w3 >= 5 skip; w3 &= 7 before the call (err %d, at %d)",
		  err, at);
	/* the masked program keeps the helper's semantics: u32 index, range, slot */
	load(XBPF_PROG_TYPE_SYSCALL, 0, ret7, N(ret7), XBPF_CHECK_STRICT, &t);
	progtab[4] = t;
	err = update(maptab[PAFD], 1, 4, XBPF_ANY);
	for (i = 0, bad = 0; !err && p && i < N(runs); i++) {
		u64 ctx[2] = { 0, runs[i].idx }, r0 = 0;

		if (run_ctx(p, ctx, &r0) || r0 != runs[i].r0) {
			bad++;
			xt_diag("index %#llx: r0 %llu, want %llu", (unsigned long long)runs[i].idx,
				(unsigned long long)r0, (unsigned long long)runs[i].r0);
		}
	}
	xt_report(!err && !bad, "masked calls: %zu indexes give the helper's results (%u wrong)",
		  N(runs), bad);
	xbpf_prog_put(p);

	err = load_caps(var, N(var), true, &p);
	at = find_tail_call(p);
	xt_report(!err && p && at >= 2 &&
		  p->insns[at - 1].code != (XBPF_ALU | XBPF_AND | XBPF_K) &&
		  p->insns[at - 2].code != (XBPF_JMP32 | XBPF_JGE | XBPF_K),
		  "bypass_spec_v1: no mask (err %d, at %d)", err, at);
	xbpf_prog_put(p);

	err = load_caps(two_maps, N(two_maps), false, &p);
	xt_report(err == -EINVAL && !p && strstr(logbuf, "tail_call abusing map_ptr"),
		  "no bypass_spec_v1: two maps at one call: refused, 'tail_call abusing map_ptr' (%d)",
		  err);
	if (p)
		xbpf_prog_put(p);
	err = load_caps(two_maps, N(two_maps), true, &p);
	xt_report(!err && p, "bypass_spec_v1: two maps at one call: accepted (%d)", err);
	if (p)
		xbpf_prog_put(p);

	del(maptab[PAFD], 1);
	progtab[4] = NULL;
	xbpf_prog_put(t);
	xbpf_map_put(maptab[PAFD]);
	xbpf_map_put(maptab[PAFD + 2]);
	maptab[PAFD] = maptab[PAFD + 2] = NULL;
}

int main(void)
{
	xt_report(xbpf_helper_proto(XBPF_FUNC_tail_call) != NULL &&
		  xbpf_helper_proto(XBPF_FUNC_tail_call)->ret == XBPF_RET_VOID,
		  "bpf_tail_call: a base helper returning nothing");
	test_create();
	test_elems();
	test_load_rules();
	test_tail_sites();
	test_chains();
	test_subprog();
	test_cycle();
	test_spectre_mask();
	return xt_finish();
}

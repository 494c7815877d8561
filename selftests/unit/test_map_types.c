// SPDX-License-Identifier: GPL-2.0
/*
 * The map types beyond ARRAY and HASH: PERCPU_ARRAY, PERCPU_HASH,
 * LRU_HASH, LRU_PERCPU_HASH, F_MMAPABLE arrays and BPF_MAP_FREEZE
 * (maps/array.c, hash.c, lru.c, map_sys.c).
 *
 * The offline build has XBPF_USER_NR_CPUS "CPUs"; a thread picks its CPU
 * in xbpf_user_cpu, so the tests place lookups and programs on CPUs and
 * read the packed per-CPU layout user space gets back.  Programs go
 * through xbpf_verify() and run proved and under the checked model.
 */
#include <pthread.h>
#include "lib/xbpf_test.h"

#define NCPU	XBPF_USER_NR_CPUS

static char logbuf[1 << 14];

#define NFDS	8
static struct xbpf_map *maptab[NFDS];

static struct xbpf_map *tab_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !maptab[fd])
		return NULL;
	xbpf_map_get(maptab[fd]);
	return maptab[fd];
}

static const struct xbpf_verifier_ops tab_ops = { .map_from_fd = tab_map_from_fd };

static struct xbpf_map *mk(u32 type, u32 ks, u32 vs, u32 max, u32 flags, int *err)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs,
		.max_entries = max, .map_flags = flags,
	};

	return xbpf_map_create(&p, err);
}

static int mk_err(u32 type, u32 ks, u32 vs, u32 max, u32 flags)
{
	struct xbpf_map *m;
	int err;

	m = mk(type, ks, vs, max, flags, &err);
	if (m) {
		xbpf_map_put(m);
		return 0;
	}
	return err;
}

static int load(const struct xbpf_insn *insns, u32 n, u8 check, struct xbpf_prog **progp)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SYSCALL,
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

static int run(const struct xbpf_prog *prog, u64 *r0)
{
	u64 ctx[2] = { 0, 0 };
	struct xt_env env = {
		.ctx = ctx, .ctx_size = 16, .ctx_writable = true, .r2 = 16,
	};

	return xt_run(prog, &env, r0);
}

#define T_A	XBPF_MAP_TYPE_ARRAY
#define T_PA	XBPF_MAP_TYPE_PERCPU_ARRAY
#define T_PH	XBPF_MAP_TYPE_PERCPU_HASH
#define T_LH	XBPF_MAP_TYPE_LRU_HASH
#define T_LPH	XBPF_MAP_TYPE_LRU_PERCPU_HASH

static void test_create(void)
{
	struct xbpf_map *m;
	int err;

	xt_report(xbpf_map_type_supported(T_PA) && xbpf_map_type_supported(T_PH) &&
		  xbpf_map_type_supported(T_LH) && xbpf_map_type_supported(T_LPH),
		  "type_supported: per-CPU and LRU types");
	xt_report(mk_err(T_PA, 4, 4, 1, 0) == 0, "percpu array: minimal");
	xt_report(mk_err(T_PA, 8, 4, 1, 0) == -EINVAL, "percpu array: key_size 8");
	xt_report(mk_err(T_PA, 4, 32768, 2, 0) == 0, "percpu array: value 32 KiB");
	xt_report(mk_err(T_PA, 4, 32769, 1, 0) == -E2BIG, "percpu array: value above 32 KiB -E2BIG");
	xt_report(mk_err(T_PA, 4, 4, 1, XBPF_F_MMAPABLE) == -EINVAL, "percpu array: MMAPABLE -EINVAL");
	xt_report(mk_err(T_PA, 4, 4, 1, XBPF_F_NUMA_NODE) == -EINVAL, "percpu array: NUMA_NODE -EINVAL");
	xt_report(mk_err(T_PA, 4, 4, 1, XBPF_F_RDONLY_PROG) == 0, "percpu array: RDONLY_PROG");
	xt_report(mk_err(T_PA, 4, 1U << 16, 1U << 14, 0) == -E2BIG,
		  "percpu array: total over 4 GiB (CPUs counted) -E2BIG");
	xt_report(mk_err(T_A, 4, 4, 1, XBPF_F_MMAPABLE) == 0, "array: MMAPABLE");
	xt_report(mk_err(T_A, 4, 4, 1, XBPF_F_MMAPABLE | XBPF_F_RDONLY_PROG) == 0,
		  "array: MMAPABLE|RDONLY_PROG");
	xt_report(mk_err(XBPF_MAP_TYPE_HASH, 4, 4, 1, XBPF_F_MMAPABLE) == -EINVAL, "hash: MMAPABLE -EINVAL");

	xt_report(mk_err(T_PH, 4, 4, 1, 0) == 0, "percpu hash: minimal");
	xt_report(mk_err(T_PH, 4, 32769, 1, 0) == -E2BIG, "percpu hash: value above 32 KiB -E2BIG");
	xt_report(mk_err(T_PH, 4, 4, 1, XBPF_F_NUMA_NODE) == -EINVAL, "percpu hash: NUMA_NODE -EINVAL");
	xt_report(mk_err(T_PH, 4, 4, 1, XBPF_F_NO_COMMON_LRU) == -EINVAL,
		  "percpu hash: NO_COMMON_LRU -EINVAL (not LRU)");
	xt_report(mk_err(T_PH, 4, 4, 1, XBPF_F_NO_PREALLOC) == 0, "percpu hash: NO_PREALLOC");
	xt_report(mk_err(T_LH, 4, 4, 1, 0) == 0, "lru hash: minimal");
	xt_report(mk_err(T_LH, 4, 4, 1, XBPF_F_NO_PREALLOC) == -ENOTSUPP,
		  "lru hash: NO_PREALLOC -ENOTSUPP");
	xt_report(mk_err(T_LH, 4, 4, 1, XBPF_F_NUMA_NODE) == 0, "lru hash: NUMA_NODE");
	xt_report(mk_err(T_LH, 4, 4, 1, XBPF_F_NUMA_NODE | XBPF_F_NO_COMMON_LRU) == -EINVAL,
		  "lru hash: NUMA_NODE|NO_COMMON_LRU -EINVAL");
	xt_report(mk_err(T_LPH, 4, 4, 1, XBPF_F_NUMA_NODE) == -EINVAL, "lru percpu hash: NUMA_NODE -EINVAL");
	xt_report(mk_err(T_LH, 4, 4, 0x80000001U, 0) == -E2BIG, "lru hash: max_entries > 2^31 -E2BIG");
	xt_report(mk_err(T_LH, 4, 4, 1, XBPF_F_MMAPABLE) == -EINVAL, "lru hash: MMAPABLE -EINVAL");

	m = mk(T_LH, 4, 4, 5, XBPF_F_NO_COMMON_LRU, &err);
	xt_report(m && m->max_entries == 8, "lru hash: NO_COMMON_LRU rounds 5 up to 8 (%d CPUs)", NCPU);
	xbpf_map_put(m);
	m = mk(T_LH, 4, 4, 0xfffffffeU, XBPF_F_NO_COMMON_LRU, &err);
	xt_report(!m && err == -E2BIG, "lru hash: NO_COMMON_LRU rounding down, then > 2^31 -E2BIG");
	m = mk(T_LH, 4, 4, 7, 0, &err);
	xt_report(m && m->max_entries == 7, "lru hash: common LRU keeps max_entries");
	xbpf_map_put(m);
}

static void test_percpu_array(void)
{
	u64 buf[NCPU * 2], v[2] = { 0x1111, 0x2222 };
	struct xbpf_map *m;
	u32 k, cpu;
	u8 *p;
	int err, bad;

	m = mk(T_PA, 4, 12, 3, 0, &err);
	if (!m) {
		xt_report(false, "percpu array: create %d", err);
		return;
	}
	xt_report(xbpf_map_is_percpu(m) && xbpf_map_value_size_user(m) == 16 * NCPU,
		  "percpu array: user value size 16 * %d", NCPU);
	/* each CPU writes its own copy through the program view */
	for (cpu = 0; cpu < NCPU; cpu++) {
		xbpf_user_cpu = cpu;
		k = 1;
		p = m->ops->lookup(m, &k);
		memset(p, 0x10 + cpu, 12);
	}
	xbpf_user_cpu = 0;
	memset(buf, 0xee, sizeof(buf));
	k = 1;
	err = xbpf_map_lookup_user(m, &k, buf);
	for (cpu = 0, bad = 0; cpu < NCPU; cpu++) {
		u8 *slot = (u8 *)buf + cpu * 16;
		u32 i;

		for (i = 0; i < 16; i++)
			bad += slot[i] != (i < 12 ? 0x10 + cpu : 0);
	}
	xt_report(!err && !bad, "percpu array: user lookup packs each CPU's copy, zero padding");
	k = 0;
	xbpf_user_cpu = 2;
	xt_report(m->ops->update(m, &k, v, XBPF_ANY) == 0, "percpu array: program update");
	xbpf_user_cpu = 0;
	err = xbpf_map_lookup_user(m, &k, buf);
	xt_report(!err && buf[4] == 0x1111 && (u32)buf[5] == 0x2222 && !buf[0] && !buf[2] && !buf[6],
		  "percpu array: program update wrote only its CPU's copy");
	for (cpu = 0; cpu < NCPU; cpu++) {
		buf[cpu * 2] = 100 + cpu;
		buf[cpu * 2 + 1] = 0xabcdef00ULL + cpu;
	}
	k = 2;
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_EXIST) == 0, "percpu array: user update");
	for (cpu = 0, bad = 0; cpu < NCPU; cpu++) {
		u64 *pv;

		xbpf_user_cpu = cpu;
		pv = m->ops->lookup(m, &k);
		/* value_size 12: the upper half of the second word is not stored */
		bad += pv[0] != 100 + cpu || (u32)pv[1] != (u32)(0xabcdef00ULL + cpu) ||
		       (pv[1] >> 32);
	}
	xbpf_user_cpu = 0;
	xt_report(!bad, "percpu array: user update reaches every CPU's copy");
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_NOEXIST) == -EEXIST,
		  "percpu array: user NOEXIST -EEXIST");
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_F_LOCK) == -EINVAL,
		  "percpu array: user F_LOCK -EINVAL");
	k = 3;
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_ANY) == -E2BIG,
		  "percpu array: user update out of range -E2BIG");
	xt_report(xbpf_map_lookup_user(m, &k, buf) == -ENOENT,
		  "percpu array: user lookup out of range -ENOENT");
	xt_report(m->ops->delete(m, &k) == -EINVAL && !m->ops->direct_value_addr &&
		  !m->ops->mmap_area, "percpu array: no delete, no direct value, no mmap");
	xbpf_map_put(m);
}

/* key u32 0 at fp-4; lookup; if found, atomically add 1 to the u64 at 0 */
#define INC_PROG(fd)							\
	ST(XBPF_W, 10, -4, 0),						\
	MOV64_REG(2, 10),						\
	ALU64_IMM(XBPF_ADD, 2, -4),					\
	LD_MAP_FD(1, fd),						\
	CALL(XBPF_FUNC_map_lookup_elem),				\
	JMP_IMM(XBPF_JEQ, 0, 0, 2),					\
	MOV64_IMM(1, 1),						\
	ATOMIC(XBPF_DW, 0, 1, 0, XBPF_ADD),				\
	RET0

/* key u32 0, value u64 7 on the stack; update ANY; returns the result */
#define UPD_PROG(fd)							\
	ST(XBPF_W, 10, -4, 0),						\
	ST(XBPF_DW, 10, -16, 7),					\
	MOV64_REG(2, 10),						\
	ALU64_IMM(XBPF_ADD, 2, -4),					\
	MOV64_REG(3, 10),						\
	ALU64_IMM(XBPF_ADD, 3, -16),					\
	MOV64_IMM(4, XBPF_ANY),						\
	LD_MAP_FD(1, fd),						\
	CALL(XBPF_FUNC_map_update_elem),				\
	EXIT()

/* Programs on several CPUs, each counting into its CPU's copy. */
static void t_prog_percpu(u32 type, u8 check, const char *name)
{
	const struct xbpf_insn inc[] = { INC_PROG(1) }, upd[] = { UPD_PROG(1) };
	struct xbpf_prog *pi = NULL, *pu = NULL;
	u64 buf[NCPU], r0 = 1;
	u32 k = 0, cpu, i;
	int err, bad = 0;

	maptab[1] = mk(type, 4, 8, 4, 0, &err);
	err = load(inc, ARRAY_SIZE(inc), check, &pi) ?: load(upd, ARRAY_SIZE(upd), check, &pu);
	if (err) {
		xt_report(false, "%s: load %d %s", name, err, logbuf);
		goto out;
	}
	/* a hash needs the element: a program creates it (7 on CPU 3 only) */
	if (type != T_PA) {
		xbpf_user_cpu = 3;
		bad += run(pu, &r0) || r0;
	}
	for (cpu = 0; cpu < NCPU; cpu++) {
		xbpf_user_cpu = cpu;
		for (i = 0; i <= cpu; i++)
			bad += !!run(pi, &r0);
	}
	xbpf_user_cpu = 0;
	err = xbpf_map_lookup_user(maptab[1], &k, buf);
	for (cpu = 0; cpu < NCPU; cpu++)
		bad += buf[cpu] != cpu + 1 + (type != T_PA && cpu == 3 ? 7 : 0);
	xt_report(!err && !bad && pi->checked == (check == XBPF_CHECK_OFF),
		  "%s: programs see their CPU's copy (%llu %llu %llu %llu)", name,
		  (unsigned long long)buf[0], (unsigned long long)buf[1],
		  (unsigned long long)buf[2], (unsigned long long)buf[3]);
out:
	xbpf_prog_put(pi);
	xbpf_prog_put(pu);
	xbpf_map_put(maptab[1]);
	maptab[1] = NULL;
}

static void test_percpu_hash(void)
{
	u64 buf[NCPU], v = 5, *p0, *p1;
	struct xbpf_map *m;
	u32 k = 9, cpu, nk;
	int err;

	m = mk(T_PH, 4, 8, 2, 0, &err);
	if (!m) {
		xt_report(false, "percpu hash: create %d", err);
		return;
	}
	xt_report(xbpf_map_value_size_user(m) == 8 * NCPU, "percpu hash: user value size 8 * %d", NCPU);
	xbpf_user_cpu = 1;
	xt_report(m->ops->update(m, &k, &v, XBPF_NOEXIST) == 0, "percpu hash: program insert on CPU 1");
	xbpf_user_cpu = 0;
	err = xbpf_map_lookup_user(m, &k, buf);
	xt_report(!err && buf[1] == 5 && !buf[0] && !buf[2] && !buf[3],
		  "percpu hash: a new element holds the value on its CPU only");
	p0 = m->ops->lookup(m, &k);
	xbpf_user_cpu = 2;
	v = 6;
	xt_report(m->ops->update(m, &k, &v, XBPF_EXIST) == 0, "percpu hash: program update on CPU 2");
	xbpf_user_cpu = 0;
	p1 = m->ops->lookup(m, &k);
	err = xbpf_map_lookup_user(m, &k, buf);
	xt_report(!err && p0 == p1 && buf[1] == 5 && buf[2] == 6,
		  "percpu hash: an update is in place and keeps the other CPUs' copies");
	for (cpu = 0; cpu < NCPU; cpu++)
		buf[cpu] = 40 + cpu;
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_ANY) == 0, "percpu hash: user update");
	for (cpu = 0, err = 0; cpu < NCPU; cpu++) {
		xbpf_user_cpu = cpu;
		err += *(u64 *)m->ops->lookup(m, &k) != 40 + cpu;
	}
	xbpf_user_cpu = 0;
	xt_report(!err, "percpu hash: user update reaches every CPU's copy");
	k = 10;
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_EXIST) == -ENOENT,
		  "percpu hash: user EXIST on missing -ENOENT");
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_F_LOCK) == -EINVAL,
		  "percpu hash: user F_LOCK -EINVAL");
	xt_report(xbpf_map_lookup_user(m, &k, buf) == -ENOENT, "percpu hash: user lookup missing -ENOENT");
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_NOEXIST) == 0, "percpu hash: user insert");
	k = 11;
	xt_report(xbpf_map_update_user(m, &k, buf, XBPF_ANY) == -E2BIG, "percpu hash: full -E2BIG");
	xt_report(m->ops->get_next_key(m, NULL, &nk) == 0 && (nk == 9 || nk == 10),
		  "percpu hash: get_next_key");
	k = 9;
	xt_report(m->ops->delete(m, &k) == 0 && xbpf_map_lookup_user(m, &k, buf) == -ENOENT,
		  "percpu hash: delete");
	xbpf_map_put(m);
}

/* Present keys of an LRU map with keys below 64, as a bit set. */
static u64 keyset(struct xbpf_map *m)
{
	u64 set = 0, v[NCPU];
	u32 k;

	for (k = 0; k < 64; k++)
		if (!xbpf_map_lookup_user(m, &k, v))
			set |= 1ULL << k;
	return set;
}

static void t_lru(u32 type, u32 flags, const char *name)
{
	u64 v[NCPU] = { 0 }, set;
	struct xbpf_map *m;
	u32 k;
	int err = 0;

	m = mk(type, 4, 8, 4, flags, &err);
	if (!m) {
		xt_report(false, "%s: create %d", name, err);
		return;
	}
	for (k = 0; k < 4 && !err; k++) {
		v[0] = k;
		err = m->ops->update(m, &k, v, XBPF_NOEXIST);
	}
	xt_report(!err && keyset(m) == 0xf, "%s: fill 0..3", name);
	/* a program's lookup is a use: 0 gets a second chance */
	k = 0;
	m->ops->lookup(m, &k);
	k = 4;
	err = m->ops->update(m, &k, v, XBPF_ANY);
	set = keyset(m);
	xt_report(!err && set == 0x1d, "%s: insert into a full map evicts 1, the oldest unused (set %#llx)",
		  name, (unsigned long long)set);
	/* user-space lookups (keyset) did not count as uses: 2 is next */
	k = 5;
	err = m->ops->update(m, &k, v, XBPF_NOEXIST);
	set = keyset(m);
	xt_report(!err && set == 0x39, "%s: then 2 (user lookups are no use) (set %#llx)",
		  name, (unsigned long long)set);
	/* an update is a use too: 3 replaced, so 0 is the oldest now */
	k = 3;
	err = m->ops->update(m, &k, v, XBPF_EXIST);
	k = 6;
	err = err ?: m->ops->update(m, &k, v, XBPF_ANY);
	set = keyset(m);
	xt_report(!err && set == 0x78, "%s: then 0, its chance used up (set %#llx)",
		  name, (unsigned long long)set);
	k = 1;
	xt_report(m->ops->update(m, &k, v, XBPF_EXIST) == -ENOENT, "%s: EXIST on missing -ENOENT", name);
	k = 6;
	xt_report(m->ops->update(m, &k, v, XBPF_NOEXIST) == -EEXIST, "%s: NOEXIST on present -EEXIST", name);
	xt_report(m->ops->update(m, &k, v, XBPF_F_LOCK) == -EINVAL, "%s: F_LOCK -EINVAL", name);
	xt_report(m->ops->delete(m, &k) == 0 && m->ops->delete(m, &k) == -ENOENT, "%s: delete", name);
	k = 7;
	err = m->ops->update(m, &k, v, XBPF_ANY);
	set = keyset(m);
	xt_report(!err && set == 0xb8, "%s: room after a delete: no eviction (set %#llx)",
		  name, (unsigned long long)set);
	/* many inserts: always exactly max_entries left, the newest ones */
	for (k = 8, err = 0; k < 64 && !err; k++)
		err = xbpf_map_update_user(m, &k, v, XBPF_ANY);
	set = keyset(m);
	xt_report(!err && set == 0xfULL << 60, "%s: 56 more inserts keep the newest 4 (set %#llx)",
		  name, (unsigned long long)set);
	xbpf_map_put(m);
}

static void test_mmapable(void)
{
	struct xbpf_map *m;
	u64 len = 0;
	u8 *area;
	u32 k;
	int err;

	m = mk(T_A, 4, 12, 1000, XBPF_F_MMAPABLE, &err);
	if (!m) {
		xt_report(false, "mmapable: create %d", err);
		return;
	}
	area = m->ops->mmap_area(m, &len);
	k = 999;
	xt_report(area && !((uintptr_t)area & (XBPF_PAGE_SIZE - 1)) && len == 16384,
		  "mmapable: page-aligned area of whole pages (%llu bytes)", (unsigned long long)len);
	xt_report((u8 *)m->ops->lookup(m, &k) == area + 999 * 16 && area[len - 1] == 0,
		  "mmapable: value i at i * elem_size, tail zeroed");
	area[16 * 5] = 0x5a;
	k = 5;
	xt_report(*(u8 *)m->ops->lookup(m, &k) == 0x5a, "mmapable: a write to the area is the value");
	xbpf_map_put(m);
	m = mk(T_A, 4, 8, 1, 0, &err);
	xt_report(m && !m->ops->mmap_area(m, &len), "mmapable: a plain array has no area");
	xbpf_map_put(m);
}

static void test_freeze(void)
{
	struct xbpf_map *m, *ro;
	int err;

	m = mk(T_A, 4, 8, 1, XBPF_F_MMAPABLE, &err);
	ro = mk(T_A, 4, 8, 1, XBPF_F_MMAPABLE | XBPF_F_RDONLY_PROG, &err);
	if (!m || !ro) {
		xt_report(false, "freeze: create");
		return;
	}
	xt_report(!xbpf_map_frozen(m), "freeze: new map not frozen");
	xt_report(xbpf_map_mmap_get(m, true) == 0, "freeze: writable mapping");
	xbpf_map_mmap_dup(m, true);
	xt_report(xbpf_map_freeze(m, true) == -EBUSY, "freeze: -EBUSY while mapped writable");
	xbpf_map_mmap_put(m, true);
	xt_report(xbpf_map_freeze(m, true) == -EBUSY, "freeze: -EBUSY while a copy of the mapping lasts");
	xbpf_map_mmap_put(m, true);
	xt_report(xbpf_map_mmap_get(m, false) == 0, "freeze: read-only mapping");
	xt_report(xbpf_map_freeze(m, false) == -EPERM, "freeze: without CAP_BPF -EPERM");
	xt_report(xbpf_map_freeze(m, true) == 0 && xbpf_map_frozen(m),
		  "freeze: read-only mappings do not stop it");
	xt_report(xbpf_map_freeze(m, true) == -EBUSY, "freeze: twice -EBUSY");
	xt_report(xbpf_map_freeze(m, false) == -EBUSY, "freeze: twice, unprivileged: -EBUSY first");
	xt_report(xbpf_map_mmap_get(m, true) == -EPERM, "freeze: writable mapping after it -EPERM");
	xt_report(xbpf_map_mmap_get(m, false) == 0, "freeze: read-only mapping after it");
	xt_report(xbpf_map_mmap_get(ro, true) == -EACCES, "freeze: RDONLY_PROG map: writable mapping -EACCES");
	xt_report(xbpf_map_mmap_get(ro, false) == 0, "freeze: RDONLY_PROG map: read-only mapping");
	xt_report(m->writecnt == 0 && ro->writecnt == 0, "freeze: no writable mapping counted");

	/* a bpf(2) write in flight holds freeze off; a frozen map takes none */
	xt_report(!xbpf_map_is_rdonly(ro), "freeze: RDONLY_PROG map not read-only before freeze");
	xt_report(xbpf_map_write_begin(ro) == 0, "freeze: a user-space write begins");
	xt_report(xbpf_map_freeze(ro, true) == -EBUSY, "freeze: -EBUSY while a user-space write runs");
	xbpf_map_write_end(ro);
	xt_report(xbpf_map_freeze(ro, true) == 0 && xbpf_map_is_rdonly(ro),
		  "freeze: RDONLY_PROG and frozen: values are constants");
	xt_report(xbpf_map_write_begin(ro) == -EPERM, "freeze: no user-space write after it");
	xt_report(!xbpf_map_is_rdonly(m), "freeze: frozen without RDONLY_PROG: programs may write");
	xbpf_map_put(m);
	xbpf_map_put(ro);
}

/* ---- concurrency: the locked paths of the LRU and per-CPU tables ---- */

#define NTHREADS	6
#define NKEYS		48
#define ITERS		15000

struct worker {
	pthread_t	th;
	struct xbpf_map	*m;
	u32		id;
	u32		bad;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	u32 s = 88172645U + w->id * 7919, i;
	bool lru = w->m->map_type == T_LH;

	xbpf_user_cpu = w->id;
	for (i = 0; i < ITERS; i++) {
		u64 val[NCPU * 2];
		u32 key, r;
		int err;

		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		r = s;
		key = r % NKEYS;
		val[0] = key;
		val[1] = ~(u64)key;
		switch ((r >> 8) % 3) {
		case 0:
			err = (r >> 12) & 1 ? xbpf_map_update_user(w->m, &key, val, XBPF_ANY) :
					      w->m->ops->update(w->m, &key, val, XBPF_ANY);
			/* an LRU map never fills up */
			if (err && (lru || err != -E2BIG))
				w->bad++;
			break;
		case 1:
			err = w->m->ops->update(w->m, &key, val, (r >> 12) % 2 + 1);
			if (err && err != -EEXIST && err != -ENOENT && (lru || err != -E2BIG))
				w->bad++;
			break;
		default:
			err = w->m->ops->delete(w->m, &key);
			if (err && err != -ENOENT)
				w->bad++;
			break;
		}
	}
	return NULL;
}

static void t_concurrent(u32 type, u32 vs, const char *name)
{
	struct worker w[NTHREADS];
	u32 i, n = 0, key, nk, bad = 0;
	struct xbpf_map *m;
	u64 val[NCPU * 2];
	int err;

	m = mk(type, 4, vs, NKEYS / 2, 0, &err);
	if (!m) {
		xt_report(false, "%s: create", name);
		return;
	}
	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .m = m, .id = i };
		pthread_create(&w[i].th, NULL, worker_fn, &w[i]);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(w[i].th, NULL);
		bad += w[i].bad;
	}
	xbpf_user_cpu = 0;
	xt_report(!bad, "%s: only expected errnos (%u bad)", name, bad);
	err = m->ops->get_next_key(m, NULL, &nk);
	while (!err && n <= NKEYS) {
		u64 *v = m->ops->lookup(m, &nk);

		if (!v || (type == T_LH && (v[0] != nk || v[1] != ~(u64)nk)))
			bad++;
		n++;
		key = nk;
		err = m->ops->get_next_key(m, &key, &nk);
	}
	xt_report(err == -ENOENT && n <= NKEYS / 2 && !bad, "%s: %u elements, all intact", name, n);
	for (key = 0, i = n; key < NKEYS; key++)
		if (xbpf_map_update_user(m, &key, val, XBPF_NOEXIST) == 0)
			i++;
	/* LRU: every insert succeeds, evicting; either way max_entries are left */
	for (key = 0, n = 0; key < NKEYS; key++)
		n += !xbpf_map_lookup_user(m, &key, val);
	xt_report(n == NKEYS / 2 && (type != T_PH || i == NKEYS / 2),
		  "%s: element count consistent (%u present, %u inserts)", name, n, i);
	xbpf_map_put(m);
}

int main(void)
{
	test_create();
	test_percpu_array();
	t_prog_percpu(T_PA, XBPF_CHECK_AUTO, "percpu array prog");
	t_prog_percpu(T_PA, XBPF_CHECK_OFF, "percpu array prog (checked)");
	t_prog_percpu(T_PH, XBPF_CHECK_AUTO, "percpu hash prog");
	t_prog_percpu(T_PH, XBPF_CHECK_OFF, "percpu hash prog (checked)");
	t_prog_percpu(T_LPH, XBPF_CHECK_AUTO, "lru percpu hash prog");
	test_percpu_hash();
	t_lru(T_LH, 0, "lru hash");
	t_lru(T_LH, XBPF_F_NO_COMMON_LRU, "lru hash (no common lru)");
	t_lru(T_LPH, 0, "lru percpu hash");
	test_mmapable();
	test_freeze();
	t_concurrent(T_LH, 16, "concurrent lru hash");
	t_concurrent(T_PH, 16, "concurrent percpu hash");
	t_concurrent(T_LPH, 8, "concurrent lru percpu hash");
	return xt_finish();
}

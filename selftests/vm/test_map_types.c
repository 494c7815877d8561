// SPDX-License-Identifier: GPL-2.0
/*
 * PERCPU_ARRAY, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH, F_MMAPABLE
 * arrays and BPF_MAP_FREEZE through /dev/xbpf, against bpf(2)'s rules:
 * the per-CPU value layout (one 8-aligned copy per possible CPU), a
 * program's view (its CPU's copy, with the thread pinned), LRU eviction
 * instead of -E2BIG, mmap of the values both ways, freeze against
 * updates and writable mappings.  A stress test races user-space
 * updates, deletes and lookups against programs (PROG_TEST_RUN with
 * repeat) changing the same keys, then checks values and counts, the
 * kernel log and taint, and the module references.
 */
#include <sched.h>
#include <stddef.h>
#include <pthread.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define ENOTSUPP	524

#define I_AND64_IMM(d, i)	I_RAW(XBPF_ALU64 | XBPF_AND | XBPF_K, d, 0, 0, i)
#define I_JEQ_REG(d, s, o)	I_RAW(XBPF_JMP | XBPF_JEQ | XBPF_X, d, s, o, 0)
#define I_XADD64(d, s, o)	I_RAW(XBPF_STX | XBPF_DW | XBPF_ATOMIC, d, s, o, XBPF_ADD)

/* CPUs in /sys/devices/system/cpu/possible ("0-3", "0,2-5"...). */
static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int n = 0, a, b;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		n += b - a + 1;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

static long tainted(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	long t = -1;

	if (f) {
		if (fscanf(f, "%ld", &t) != 1)
			t = -1;
		fclose(f);
	}
	return t;
}

/* /dev/kmsg positioned at the end: what is logged from now on. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Records since kmsg_open that look like trouble; closes fd. */
static int kmsg_bad(int fd, char *first, size_t len)
{
	char rec[1024];
	int bad = 0;
	ssize_t n;

	first[0] = '\0';
	if (fd < 0)
		return 0;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		if (strstr(rec, "BUG") || strstr(rec, "WARNING") || strstr(rec, "xbpf") ||
		    strstr(rec, "lockdep") || strstr(rec, "RCU")) {
			if (!bad++)
				snprintf(first, len, "%s", rec);
		}
	}
	close(fd);
	return bad;
}

static int map_freeze(int fd)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	return xbpf_call(XBPF_MAP_FREEZE, &a);
}

/* Socket filter: lookup u32 key k, atomically add 1 to its u64; 0. */
static int prog_inc(int map, __u32 k)
{
	struct xbpf_insn p[] = {
		I_ST(XBPF_W, 10, -4, k),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_LD_MAP_FD(1, map),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 2),
		I_MOV64_IMM(1, 1),
		I_XADD64(0, 1, 0),
		I_MOV64_IMM(0, 0),
		I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* Socket filter: the low 32 bits of key k's u64 value, or 0xdead if missing. */
static int prog_read(int map, __u32 k)
{
	struct xbpf_insn p[] = {
		I_ST(XBPF_W, 10, -4, k),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_LD_MAP_FD(1, map),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 2),
		I_LDX(XBPF_DW, 0, 0, 0),
		I_EXIT(),
		I_MOV64_IMM(0, 0xdead),
		I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* Socket filter: stores v into key k's value (lookup, then a store); 0. */
static int prog_store(int map, __u32 k, __s32 v)
{
	struct xbpf_insn p[] = {
		I_ST(XBPF_W, 10, -4, k),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_LD_MAP_FD(1, map),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 1),
		I_ST(XBPF_DW, 0, 0, v),
		I_MOV64_IMM(0, 0),
		I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

static int run(int prog, __u32 repeat, __u32 *retval)
{
	unsigned char frame[64];
	union xbpf_attr a;
	int ret;

	make_frame(frame, sizeof(frame));
	test_attr(&a, prog);
	a.test.data_in = PTR(frame);
	a.test.data_size_in = sizeof(frame);
	a.test.repeat = repeat;
	ret = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	if (retval)
		*retval = a.test.retval;
	return ret;
}

TEST(create_rules)
{
	ASSERT_LE(0, xbpf_dev());
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_PERCPU_ARRAY, 8, 8, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 4));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, XBPF_F_MMAPABLE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_PERCPU_HASH, 4, 32769, 4));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_HASH, 4, 8, 4, XBPF_F_NO_COMMON_LRU));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_LRU_HASH, 4, 8, 4, XBPF_F_NO_PREALLOC));
	EXPECT_EQ(ENOTSUPP, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_HASH, 4, 8, 4, XBPF_F_MMAPABLE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_LRU_HASH, 4, 8, 0x80000001U));
	EXPECT_EQ(E2BIG, errno);
}

TEST(percpu_array_layout)
{
	int n = possible_cpus(), fd, prog, cpu;
	__u64 *buf, *back;
	__u32 k = 1, ret;
	size_t size;

	ASSERT_LE(1, n);
	ASSERT_LE(0, xbpf_dev());
	fd = map_create(XBPF_MAP_TYPE_PERCPU_ARRAY, 4, 12, 2);
	ASSERT_LE(0, fd) TH_LOG("create: %s", strerror(errno));
	/* 12-byte values: 16 bytes per CPU */
	size = 16 * n;
	buf = calloc(1, size);
	back = calloc(1, size);
	ASSERT_TRUE(buf && back);
	for (cpu = 0; cpu < n; cpu++) {
		buf[cpu * 2] = 0x1000 + cpu;
		buf[cpu * 2 + 1] = 0x77000000ULL + cpu;
	}
	EXPECT_EQ(0, map_update(fd, &k, buf, XBPF_ANY));
	memset(back, 0xff, size);
	EXPECT_EQ(0, map_lookup(fd, &k, back));
	EXPECT_EQ(0, memcmp(buf, back, size)) TH_LOG("per-CPU copies differ");
	EXPECT_EQ(-1, map_update(fd, &k, buf, XBPF_NOEXIST));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, map_update(fd, &k, buf, XBPF_F_LOCK));
	EXPECT_EQ(EINVAL, errno);
	k = 2;
	EXPECT_EQ(-1, map_update(fd, &k, buf, XBPF_ANY));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, map_lookup(fd, &k, back));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, map_delete(fd, &k));
	EXPECT_EQ(EINVAL, errno);

	/* a program counts into the copy of the CPU it runs on */
	prog = prog_inc(fd, 0);
	ASSERT_LE(0, prog) TH_LOG("load: %s", strerror(errno));
	for (cpu = 0; cpu < online_cpus(); cpu++) {
		if (pin_cpu(cpu))
			continue;
		EXPECT_EQ(0, run(prog, 10 * (cpu + 1), &ret));
		EXPECT_EQ(0, ret);
	}
	k = 0;
	EXPECT_EQ(0, map_lookup(fd, &k, back));
	for (cpu = 0; cpu < online_cpus(); cpu++)
		EXPECT_EQ(10 * (cpu + 1), back[cpu * 2]) TH_LOG("CPU %d's copy", cpu);
	close(prog);
	close(fd);
	free(buf);
	free(back);
}

TEST(percpu_hash)
{
	int n = possible_cpus(), fd, inc, cpu;
	__u64 *buf, *back;
	__u32 k = 5, ret;

	ASSERT_LE(0, xbpf_dev());
	fd = map_create(XBPF_MAP_TYPE_PERCPU_HASH, 4, 8, 2);
	ASSERT_LE(0, fd);
	buf = calloc(n, 8);
	back = calloc(n, 8);
	ASSERT_TRUE(buf && back);
	for (cpu = 0; cpu < n; cpu++)
		buf[cpu] = 100 * cpu;
	EXPECT_EQ(-1, map_update(fd, &k, buf, XBPF_EXIST));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, map_update(fd, &k, buf, XBPF_NOEXIST));
	EXPECT_EQ(0, map_lookup(fd, &k, back));
	EXPECT_EQ(0, memcmp(buf, back, 8 * n));
	inc = prog_inc(fd, 5);
	ASSERT_LE(0, inc);
	ASSERT_EQ(0, pin_cpu(online_cpus() - 1));
	EXPECT_EQ(0, run(inc, 7, &ret));
	EXPECT_EQ(0, map_lookup(fd, &k, back));
	for (cpu = 0; cpu < n; cpu++)
		EXPECT_EQ(100 * cpu + (cpu == online_cpus() - 1 ? 7 : 0), back[cpu]);
	k = 6;
	EXPECT_EQ(0, map_update(fd, &k, buf, XBPF_ANY));
	k = 7;
	EXPECT_EQ(-1, map_update(fd, &k, buf, XBPF_ANY));
	EXPECT_EQ(E2BIG, errno);
	k = 5;
	EXPECT_EQ(0, map_delete(fd, &k));
	EXPECT_EQ(-1, map_lookup(fd, &k, back));
	EXPECT_EQ(ENOENT, errno);
	close(inc);
	close(fd);
	free(buf);
	free(back);
}

TEST(lru_eviction)
{
	__u64 set;
	__u32 k, ret;
	int fd, touch, type;

	ASSERT_LE(0, xbpf_dev());
	for (type = 0; type < 3; type++) {
		__u32 t = type == 2 ? XBPF_MAP_TYPE_LRU_PERCPU_HASH : XBPF_MAP_TYPE_LRU_HASH;
		__u64 vals[512];

		fd = map_create_flags(t, 4, 8, 4, type == 1 ? XBPF_F_NO_COMMON_LRU : 0);
		ASSERT_LE(0, fd) TH_LOG("create type %d: %s", type, strerror(errno));
		memset(vals, 0, sizeof(vals));
		for (k = 0; k < 4; k++)
			EXPECT_EQ(0, map_update(fd, &k, vals, XBPF_NOEXIST));
		/* a program's lookup of 0 is a use; 1 is then the oldest unused */
		touch = prog_read(fd, 0);
		ASSERT_LE(0, touch);
		EXPECT_EQ(0, run(touch, 1, &ret));
		EXPECT_EQ(0, ret);
		k = 4;
		EXPECT_EQ(0, map_update(fd, &k, vals, XBPF_NOEXIST)) TH_LOG("a full LRU map must evict");
		for (k = 0, set = 0; k < 8; k++)
			if (!map_lookup(fd, &k, vals))
				set |= 1ULL << k;
		EXPECT_EQ(0x1dULL, set) TH_LOG("type %d: present %#llx", type, (unsigned long long)set);
		/* many more: never -E2BIG, always 4 left, the newest */
		for (k = 10; k < 100; k++)
			EXPECT_EQ(0, map_update(fd, &k, vals, XBPF_ANY));
		for (k = 0, set = 0; k < 100; k++)
			set += !map_lookup(fd, &k, vals);
		EXPECT_EQ(4, set);
		k = 99;
		EXPECT_EQ(0, map_lookup(fd, &k, vals));
		close(touch);
		close(fd);
	}
}

TEST(mmapable_array)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd, rd, wr, hash, plain;
	__u64 *m, v;
	__u32 k, ret;
	void *p;

	ASSERT_LE(0, xbpf_dev());
	/* 1000 8-byte values: 2 pages */
	fd = map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 1000, XBPF_F_MMAPABLE);
	ASSERT_LE(0, fd) TH_LOG("create: %s", strerror(errno));
	m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m) TH_LOG("mmap: %s", strerror(errno));
	/* user space writes through the mapping, a program reads */
	m[5] = 0x12345678;
	rd = prog_read(fd, 5);
	ASSERT_LE(0, rd);
	EXPECT_EQ(0, run(rd, 1, &ret));
	EXPECT_EQ(0x12345678, ret);
	k = 5;
	EXPECT_EQ(0, map_lookup(fd, &k, &v));
	EXPECT_EQ(0x12345678, v);
	/* a program writes, the mapping shows it; so does an update */
	wr = prog_store(fd, 999, 4242);
	ASSERT_LE(0, wr);
	EXPECT_EQ(0, run(wr, 1, &ret));
	EXPECT_EQ(4242, m[999]);
	k = 512;
	v = 77;
	EXPECT_EQ(0, map_update(fd, &k, &v, XBPF_ANY));
	EXPECT_EQ(77, m[512]);

	/* bounds, private mappings, types */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 3 * page, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 2 * page));
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, page);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED) {
		EXPECT_EQ(77, ((__u64 *)p)[0]);
		munmap(p, page);
	}
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(EINVAL, errno);
	plain = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1000);
	ASSERT_LE(0, plain);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_SHARED, plain, 0));
	EXPECT_EQ(EINVAL, errno);
	hash = map_create(XBPF_MAP_TYPE_HASH, 4, 8, 4);
	ASSERT_LE(0, hash);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_SHARED, hash, 0));
	EXPECT_EQ(ENOTSUPP, errno);
	close(plain);
	close(hash);

	/* the mapping keeps the map: no fd left, still shared with the program */
	close(fd);
	m[7] = 31337;
	close(rd);
	EXPECT_EQ(0, run(wr, 1, &ret));
	EXPECT_EQ(4242, m[999]);
	close(wr);
	EXPECT_EQ(31337, m[7]);
	EXPECT_EQ(0, munmap(m, 2 * page));
}

TEST(freeze)
{
	long page = sysconf(_SC_PAGESIZE);
	__u64 v = 1, *w, *r;
	int fd, ro, wr;
	__u32 k = 0, ret;
	void *p;

	ASSERT_LE(0, xbpf_dev());
	EXPECT_EQ(-1, map_freeze(9999));
	EXPECT_EQ(EBADF, errno);
	fd = map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 4, XBPF_F_MMAPABLE);
	ASSERT_LE(0, fd);
	w = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, w);
	EXPECT_EQ(-1, map_freeze(fd));
	EXPECT_EQ(EBUSY, errno) TH_LOG("frozen under a writable mapping");
	EXPECT_EQ(0, munmap(w, page));
	r = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, r);
	/* a read-only mapping can never become writable */
	EXPECT_EQ(-1, mprotect(r, page, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, map_freeze(fd)) TH_LOG("freeze: %s", strerror(errno));
	EXPECT_EQ(-1, map_freeze(fd));
	EXPECT_EQ(EBUSY, errno);
	/* user space may only read now */
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_ANY));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, map_delete(fd, &k));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, map_lookup(fd, &k, &v));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno);
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, page);
	/* without RDONLY_PROG a program may still write: it shows in the mapping */
	wr = prog_store(fd, 0, 9);
	ASSERT_LE(0, wr);
	EXPECT_EQ(0, run(wr, 1, &ret));
	EXPECT_EQ(9, r[0]);
	close(wr);
	munmap(r, page);
	close(fd);

	/* RDONLY_PROG: no writable mapping, programs may not store */
	ro = map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 4, XBPF_F_MMAPABLE | XBPF_F_RDONLY_PROG);
	ASSERT_LE(0, ro);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, prog_store(ro, 0, 1));
	EXPECT_EQ(EACCES, errno);
	wr = prog_read(ro, 0);
	EXPECT_LE(0, wr);
	close(wr);
	EXPECT_EQ(0, map_update(ro, &k, &v, XBPF_ANY));
	EXPECT_EQ(0, map_freeze(ro));
	EXPECT_EQ(-1, map_update(ro, &k, &v, XBPF_ANY));
	EXPECT_EQ(EPERM, errno);
	close(ro);

	/* a hash freezes too, and a read-only fd may freeze */
	fd = map_create_flags(XBPF_MAP_TYPE_HASH, 4, 8, 4, XBPF_F_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, map_freeze(fd));
	close(fd);
}

/* ---- stress: user space and programs on the same keys ---- */

#define S_KEYS		64
#define S_MAX		32
#define S_USER		3
#define S_PROGS		2

struct stress {
	int		fd;
	int		prog;
	__u32		type;
	int		ncpu;
	int		id;
	int		bad;
	int		busy;
	int		runs_bad;
};

static bool stress_percpu(__u32 type)
{
	return type == XBPF_MAP_TYPE_PERCPU_HASH || type == XBPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool stress_lru(__u32 type)
{
	return type == XBPF_MAP_TYPE_LRU_HASH || type == XBPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Every copy holds the key, or (per-CPU, a copy a program never wrote) 0. */
static bool stress_value_ok(const struct stress *s, __u32 key, const __u64 *v)
{
	int i, n = stress_percpu(s->type) ? s->ncpu : 1;

	for (i = 0; i < n; i++)
		if (v[i] != key && !(stress_percpu(s->type) && v[i] == 0))
			return false;
	return true;
}

static void *stress_user(void *arg)
{
	struct stress *s = arg;
	__u32 seed = 0x9e3779b9U * (s->id + 1), i;
	__u64 v[256];

	for (i = 0; i < 4000; i++) {
		__u32 key, r, j;
		int err;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		r = seed;
		key = r % S_KEYS;
		for (j = 0; j < 256; j++)
			v[j] = key;
		switch ((r >> 8) % 3) {
		case 0:
			err = map_update(s->fd, &key, v, (r >> 12) % 3);
			if (err && !(errno == EEXIST || errno == ENOENT ||
				     (!stress_lru(s->type) && errno == E2BIG)))
				s->bad++;
			break;
		case 1:
			err = map_delete(s->fd, &key);
			if (err && errno != ENOENT)
				s->bad++;
			break;
		default:
			memset(v, 0xa5, sizeof(v));
			err = map_lookup(s->fd, &key, v);
			if (err ? errno != ENOENT : !stress_value_ok(s, key, v))
				s->bad++;
			break;
		}
	}
	return NULL;
}

static void *stress_prog(void *arg)
{
	struct stress *s = arg;
	__u32 ret, i;

	pin_cpu(s->id % online_cpus());
	for (i = 0; i < 20; i++) {
		if (run(s->prog, 200, &ret))
			s->bad++;
		else if (ret)
			s->runs_bad++;
	}
	return NULL;
}

/*
 * Each run: update a random key with its own number, delete another,
 * look a third up and return 1 if it holds anything but its number
 * (or 0: a per-CPU copy nobody wrote).
 */
static int stress_prog_load(int map)
{
	struct xbpf_insn p[] = {
		I_CALL(XBPF_FUNC_get_prandom_u32),
		I_AND64_IMM(0, S_KEYS - 1),
		I_STX(XBPF_W, 10, 0, -4),
		I_STX(XBPF_DW, 10, 0, -16),
		I_LD_MAP_FD(1, map),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_MOV64_REG(3, 10),
		I_ADD64_IMM(3, -16),
		I_MOV64_IMM(4, XBPF_ANY),
		I_CALL(XBPF_FUNC_map_update_elem),
		I_CALL(XBPF_FUNC_get_prandom_u32),
		I_AND64_IMM(0, S_KEYS - 1),
		I_STX(XBPF_W, 10, 0, -4),
		I_LD_MAP_FD(1, map),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_CALL(XBPF_FUNC_map_delete_elem),
		I_CALL(XBPF_FUNC_get_prandom_u32),
		I_AND64_IMM(0, S_KEYS - 1),
		I_STX(XBPF_W, 10, 0, -4),
		I_STX(XBPF_DW, 10, 0, -16),
		I_LD_MAP_FD(1, map),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 6),
		I_LDX(XBPF_DW, 1, 0, 0),
		I_LDX(XBPF_DW, 2, 10, -16),
		I_JEQ_REG(1, 2, 3),
		I_JEQ_IMM(1, 0, 2),
		I_MOV64_IMM(0, 1),
		I_EXIT(),
		I_MOV64_IMM(0, 0),
		I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

static void stress_one(struct __test_metadata *_metadata, __u32 type)
{
	struct stress s[S_USER + S_PROGS];
	pthread_t th[S_USER + S_PROGS];
	int fd, prog, i, n, ncpu = possible_cpus();
	__u32 key, next, inserted;
	__u64 v[256];

	fd = map_create(type, 4, 8, S_MAX);
	ASSERT_LE(0, fd) TH_LOG("type %u: %s", type, strerror(errno));
	prog = stress_prog_load(fd);
	ASSERT_LE(0, prog) TH_LOG("load: %s", strerror(errno));
	for (i = 0; i < S_USER + S_PROGS; i++) {
		s[i] = (struct stress){ .fd = fd, .prog = prog, .type = type,
					.ncpu = ncpu, .id = i };
		ASSERT_EQ(0, pthread_create(&th[i], NULL,
					    i < S_USER ? stress_user : stress_prog, &s[i]));
	}
	for (i = 0; i < S_USER + S_PROGS; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(0, s[i].bad) TH_LOG("type %u thread %d: unexpected errors", type, i);
		EXPECT_EQ(0, s[i].runs_bad) TH_LOG("type %u thread %d: programs saw bad values", type, i);
	}
	close(prog);

	/* quiescent: every element well-formed, no more than max_entries */
	n = 0;
	if (!map_next_key(fd, NULL, &next)) {
		do {
			key = next;
			EXPECT_EQ(0, map_lookup(fd, &key, v));
			EXPECT_TRUE(stress_value_ok(&s[0], key, v)) TH_LOG("key %u", key);
			n++;
		} while (n <= S_KEYS && !map_next_key(fd, &key, &next));
	}
	EXPECT_LE(n, S_MAX);
	/* the count is exact: fill up, then a hash is full, an LRU evicts */
	for (key = 0, inserted = 0; key < S_KEYS; key++) {
		for (i = 0; i < 256; i++)
			v[i] = key;
		if (!map_update(fd, &key, v, XBPF_NOEXIST))
			inserted++;
		else
			EXPECT_TRUE(errno == EEXIST || errno == E2BIG) TH_LOG("fill: %s", strerror(errno));
	}
	for (key = 0, i = 0; key < S_KEYS; key++)
		i += !map_lookup(fd, &key, v);
	EXPECT_EQ(S_MAX, i) TH_LOG("type %u: %d present after filling (%d before)", type, i, n);
	if (!stress_lru(type))
		EXPECT_EQ(S_MAX - n, inserted);
	close(fd);
}

TEST(stress)
{
	static const __u32 types[] = {
		XBPF_MAP_TYPE_HASH, XBPF_MAP_TYPE_PERCPU_HASH,
		XBPF_MAP_TYPE_LRU_HASH, XBPF_MAP_TYPE_LRU_PERCPU_HASH,
	};
	long base, taint;
	int kmsg, bad;
	char first[1024];
	unsigned int t;

	ASSERT_LE(0, xbpf_dev());
	base = read_refcnt();
	taint = tainted();
	kmsg = kmsg_open();
	for (t = 0; t < ARRAY_LEN(types); t++)
		stress_one(_metadata, types[t]);
	EXPECT_GE(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
	EXPECT_EQ(taint, tainted());
	bad = kmsg_bad(kmsg, first, sizeof(first));
	EXPECT_EQ(0, bad) TH_LOG("kernel log: %s", first);
}

TEST_HARNESS_MAIN

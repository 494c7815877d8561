// SPDX-License-Identifier: GPL-2.0
/*
 * Objects by id: MAP_GET_NEXT_ID, MAP_GET_FD_BY_ID, PROG_GET_NEXT_ID and
 * PROG_GET_FD_BY_ID against bpf(2)'s rules: CAP_SYS_ADMIN, ENOENT past
 * the last id and for freed objects, EINVAL for a bad start id, unknown
 * open_flags or a non-zero tail; a map fd from an id is a full user
 * reference (the map lives until every fd is closed, then the module's
 * count settles back) and takes its mode from open_flags.
 */
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define PG		4096UL

static int next_id(int cmd, __u32 start, __u32 *next)
{
	union xbpf_attr a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.start_id = start;
	ret = xbpf_call(cmd, &a);
	*next = a.next_id;
	return ret;
}

static int map_by_id(__u32 id, __u32 open_flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_id = id;
	a.open_flags = open_flags;
	return xbpf_call(XBPF_MAP_GET_FD_BY_ID, &a);
}

static int prog_by_id(__u32 id, __u32 open_flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	a.open_flags = open_flags;
	return xbpf_call(XBPF_PROG_GET_FD_BY_ID, &a);
}

static __u32 map_id_of(int fd)
{
	struct xbpf_map_info info;

	return map_info(fd, &info) ? 0 : info.id;
}

static __u32 prog_id_of(int fd)
{
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return prog_info(fd, &info, &len) ? 0 : info.id;
}

/* Walks every id from 0: does cmd list want? */
static int id_listed(int cmd, __u32 want)
{
	__u32 id = 0, next;
	int n = 0;

	while (!next_id(cmd, id, &next)) {
		if (next <= id)
			return -1;	/* must strictly increase */
		if (next == want)
			n++;
		id = next;
	}
	return errno == ENOENT ? n : -1;
}

/* The effective capability set: read, or set to exactly caps. */
static int get_effective(__u64 *caps)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	*caps = d[0].effective | ((__u64)d[1].effective << 32);
	return 0;
}

TEST(map_ids)
{
	struct xbpf_map_info info;
	union xbpf_attr a;
	int fd, fd2, a2;
	__u32 id, id2, next;

	fd = map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG);
	a2 = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 2);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, a2);
	id = map_id_of(fd);
	id2 = map_id_of(a2);
	ASSERT_NE(0, id);
	ASSERT_NE(0, id2);
	EXPECT_EQ(1, id_listed(XBPF_MAP_GET_NEXT_ID, id));
	EXPECT_EQ(1, id_listed(XBPF_MAP_GET_NEXT_ID, id2));
	/* the next id above ours is at least the array's (made after) */
	ASSERT_EQ(0, next_id(XBPF_MAP_GET_NEXT_ID, id, &next));
	EXPECT_LT(id, next);
	EXPECT_GE(id2, next);

	fd2 = map_by_id(id, 0);
	ASSERT_LE(0, fd2) TH_LOG("MAP_GET_FD_BY_ID: %s", strerror(errno));
	EXPECT_NE(fd, fd2);
	ASSERT_EQ(0, map_info(fd2, &info));
	EXPECT_EQ(id, info.id);
	EXPECT_EQ(XBPF_MAP_TYPE_RINGBUF, info.type);
	EXPECT_EQ(PG, info.max_entries);
	EXPECT_TRUE(fcntl(fd2, F_GETFD) & FD_CLOEXEC);
	close(fd2);

	/* errnos */
	EXPECT_EQ(-1, next_id(XBPF_MAP_GET_NEXT_ID, 0x7fffffff, &next));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, next_id(XBPF_MAP_GET_NEXT_ID, 0xffffffff, &next));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, next_id(XBPF_MAP_GET_NEXT_ID, 0x7ffffffe, &next));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, map_by_id(0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, map_by_id(0x7ffffffe, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, map_by_id(id, 1));		/* not a flag of this command */
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_by_id(id, XBPF_F_RDONLY | XBPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_by_id(0x7ffffffe, XBPF_F_RDONLY | XBPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);			/* flags before the lookup */
	/* a byte past open_flags: the tail must be zero */
	memset(&a, 0, sizeof(a));
	a.map_id = id;
	a.info.info = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_GET_FD_BY_ID, &a));
	EXPECT_EQ(EINVAL, errno);
	memset(&a, 0, sizeof(a));
	a.open_flags = 1;		/* past next_id: GET_NEXT_ID's tail */
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_GET_NEXT_ID, &a));
	EXPECT_EQ(EINVAL, errno);
	close(a2);
	/* closed, so gone: neither listed nor reachable */
	EXPECT_EQ(0, id_listed(XBPF_MAP_GET_NEXT_ID, id2));
	EXPECT_EQ(-1, map_by_id(id2, 0));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
}

TEST(open_flags_set_the_mode)
{
	__u32 k = 0, id;
	__u64 v = 7, out = 0;
	int fd, ro, wo, rb, rbro;
	void *p;

	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, fd);
	id = map_id_of(fd);
	ro = map_by_id(id, XBPF_F_RDONLY);
	wo = map_by_id(id, XBPF_F_WRONLY);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	EXPECT_EQ(O_RDONLY, fcntl(ro, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fcntl(wo, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, map_update(ro, &k, &v, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, map_update(wo, &k, &v, 0));
	EXPECT_EQ(-1, map_lookup(wo, &k, &out));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, map_lookup(ro, &k, &out));
	EXPECT_EQ(7, out);
	close(ro);
	close(wo);
	close(fd);

	/*
	 * A read-only ring buffer fd cannot map the consumer page writable
	 * (the VFS: EACCES), nor map anything at all: for a file without
	 * write access the VFS turns MAP_SHARED into a VMA without VM_SHARED,
	 * which bpf(2)'s map mmap refuses (EINVAL), in Linux 6.1 as here.
	 */
	rb = map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG);
	ASSERT_LE(0, rb);
	rbro = map_by_id(map_id_of(rb), XBPF_F_RDONLY);
	ASSERT_LE(0, rbro);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rbro, 0));
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, rbro, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	if (p != MAP_FAILED)
		munmap(p, PG);
	/* the read-write fd from the same id maps as MAP_CREATE's does */
	close(rbro);
	rbro = map_by_id(map_id_of(rb), 0);
	ASSERT_LE(0, rbro);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rbro, 0);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, PG);
	close(rbro);
	close(rb);
}

TEST(needs_cap_sys_admin)
{
	__u64 saved;
	__u32 id, next;
	int fd, fd2;

	ASSERT_LE(0, xbpf_dev());
	fd = map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG);
	ASSERT_LE(0, fd);
	id = map_id_of(fd);
	ASSERT_EQ(0, get_effective(&saved));
	/* CAP_BPF is not enough, as in Linux */
	ASSERT_EQ(0, set_effective(1ULL << CAP_BPF)) TH_LOG("capset: %s", strerror(errno));
	EXPECT_EQ(-1, next_id(XBPF_MAP_GET_NEXT_ID, 0, &next));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, map_by_id(id, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, next_id(XBPF_PROG_GET_NEXT_ID, 0, &next));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, prog_by_id(1, 0));
	EXPECT_EQ(EPERM, errno);
	/* bad flags are refused before the privilege check, as Linux */
	EXPECT_EQ(-1, map_by_id(id, 1));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, set_effective(saved));
	fd2 = map_by_id(id, 0);
	EXPECT_LE(0, fd2);
	close(fd2);
	close(fd);
}

/* A program that uses ring buffer fd: it holds a (non-user) reference. */
static int load_user_of(int fd)
{
	const struct xbpf_insn p[] = {
		I_LD_MAP_FD(1, fd), I_MOV64_IMM(2, 0),
		I_CALL(XBPF_FUNC_ringbuf_query), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

TEST(fd_by_id_holds_the_map)
{
	long base;
	int fd, fd2, fd3, prog;
	__u32 id;

	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	ASSERT_LE(0, base);
	fd = map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG);
	ASSERT_LE(0, fd);
	id = map_id_of(fd);
	fd2 = map_by_id(id, 0);
	ASSERT_LE(0, fd2);
	/* the first fd goes: the one from the id keeps the map */
	close(fd);
	fd3 = map_by_id(id, 0);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(id, map_id_of(fd3));
	close(fd3);
	EXPECT_EQ(id, map_id_of(fd2));
	EXPECT_GT(read_refcnt(), base);
	close(fd2);
	EXPECT_EQ(-1, map_by_id(id, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, id_listed(XBPF_MAP_GET_NEXT_ID, id));
	EXPECT_EQ(base, wait_refcnt(base, 5000));

	/* a program holds the map with no fd left: the id still reaches it (Linux) */
	fd = map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG);
	ASSERT_LE(0, fd);
	id = map_id_of(fd);
	prog = load_user_of(fd);
	ASSERT_LE(0, prog) TH_LOG("load: %s", strerror(errno));
	close(fd);
	fd = map_by_id(id, 0);
	ASSERT_LE(0, fd) TH_LOG("map held by a program only: %s", strerror(errno));
	EXPECT_EQ(1, id_listed(XBPF_MAP_GET_NEXT_ID, id));
	close(fd);
	close(prog);
	/* the program's reference goes after its RCU grace period */
	EXPECT_EQ(base, wait_refcnt(base, 5000));
	EXPECT_EQ(-1, map_by_id(id, 0));
	EXPECT_EQ(ENOENT, errno);
}

TEST(prog_ids)
{
	const struct xbpf_insn ret7[] = { I_MOV64_IMM(0, 7), I_EXIT() };
	unsigned char frame[60];
	__u32 id, next, r = 0;
	int fd, fd2;

	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret7);
	ASSERT_LE(0, fd);
	id = prog_id_of(fd);
	ASSERT_NE(0, id);
	EXPECT_EQ(1, id_listed(XBPF_PROG_GET_NEXT_ID, id));
	fd2 = prog_by_id(id, 0);
	ASSERT_LE(0, fd2) TH_LOG("PROG_GET_FD_BY_ID: %s", strerror(errno));
	EXPECT_EQ(id, prog_id_of(fd2));
	close(fd);
	/* the fd from the id is a working program fd */
	make_frame(frame, sizeof(frame));
	EXPECT_EQ(0, run_skb(fd2, frame, sizeof(frame), &r));
	EXPECT_EQ(7, r);
	/* Linux 6.1 has no open_flags for programs: any is a non-zero tail */
	EXPECT_EQ(-1, prog_by_id(id, XBPF_F_RDONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, next_id(XBPF_PROG_GET_NEXT_ID, 0x7fffffff, &next));
	EXPECT_EQ(EINVAL, errno);
	close(fd2);
	EXPECT_EQ(-1, prog_by_id(id, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, id_listed(XBPF_PROG_GET_NEXT_ID, id));
}

TEST(version_lists_the_commands)
{
	struct xbpf_version v;

	ASSERT_LE(0, xbpf_dev());
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ASSERT_EQ(0, ioctl(xbpf_dev(), XBPF_IOC_VERSION, &v));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_MAP_GET_NEXT_ID));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_MAP_GET_FD_BY_ID));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_PROG_GET_NEXT_ID));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_PROG_GET_FD_BY_ID));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_MAP_FREEZE));
	EXPECT_FALSE(v.cmds & (1ULL << XBPF_BTF_GET_NEXT_ID));
}

TEST_HARNESS_MAIN

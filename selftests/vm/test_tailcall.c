// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_ARRAY and bpf_tail_call against the module: creation and element
 * errnos as bpf(2) gives them, program fds in and program ids out, the
 * owner rule, a chain of 1 + XBPF_MAX_TAIL_CALL_CNT programs through
 * PROG_TEST_RUN, and lifetimes: every object pins the module until its
 * final free, so the module reference count coming back to where it was
 * after closing every fd shows nothing leaked, including a program held
 * by an array it tail-calls through.
 */
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define CNT		(XBPF_MAX_TAIL_CALL_CNT + 1)

#define I_LD_MAP(d, fd)							\
	I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, d, XBPF_PSEUDO_MAP_FD, 0, fd), \
	I_RAW(0, 0, 0, 0, 0)

static int pa_create(__u32 n)
{
	return map_create(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, n);
}

/*
 * Socket filter: cb[0] += 1; bpf_tail_call(ctx, map, pre) if pre >= 0;
 * bpf_tail_call(ctx, map, idx); a call that falls through returns cb[0].
 */
static int load_counter(int map, int pre, int idx)
{
	struct xbpf_insn p[32] = {
		I_MOV64_REG(6, 1), I_LDX(XBPF_W, 0, 6, SKB_CB0), I_ADD64_IMM(0, 1),
		I_STX(XBPF_W, 6, 0, SKB_CB0),
	};
	const struct xbpf_insn call_pre[] = {
		I_MOV64_REG(1, 6), I_LD_MAP(2, map), I_MOV64_IMM(3, pre),
		I_CALL(XBPF_FUNC_tail_call),
	};
	const struct xbpf_insn tail[] = {
		I_MOV64_REG(1, 6), I_LD_MAP(2, map), I_MOV64_IMM(3, idx),
		I_CALL(XBPF_FUNC_tail_call), I_LDX(XBPF_W, 0, 6, SKB_CB0), I_EXIT(),
	};
	__u32 n = 4;

	if (pre >= 0) {
		memcpy(p + n, call_pre, sizeof(call_pre));
		n += ARRAY_LEN(call_pre);
	}
	memcpy(p + n, tail, sizeof(tail));
	n += ARRAY_LEN(tail);
	return prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, p, n);
}

static int load_ret(__u32 type, int v)
{
	const struct xbpf_insn p[] = { I_MOV64_IMM(0, v), I_EXIT() };

	return prog_load(type, p, ARRAY_LEN(p));
}

static __u32 prog_id(int fd)
{
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (prog_info(fd, &info, &len))
		return 0;
	return info.id;
}

static int run(int prog, __u32 *retval)
{
	unsigned char frame[60];

	make_frame(frame, sizeof(frame));
	return run_skb(prog, frame, sizeof(frame), retval);
}

TEST(create_rules)
{
	int fd;

	ASSERT_LE(0, xbpf_dev());
	fd = pa_create(4);
	ASSERT_LE(0, fd) TH_LOG("create: %s", strerror(errno));
	close(fd);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_PROG_ARRAY, 8, 4, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, XBPF_F_RDONLY_PROG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, XBPF_F_MMAPABLE));
	EXPECT_EQ(EINVAL, errno);
	fd = map_create_flags(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, XBPF_F_WRONLY);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST(elements)
{
	int pa, a, b, sock, arr;
	__u32 key, fd, id = 0, next;

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(2);
	arr = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	a = load_ret(XBPF_PROG_TYPE_SYSCALL, 1);
	b = load_ret(XBPF_PROG_TYPE_SYSCALL, 2);
	sock = load_ret(XBPF_PROG_TYPE_SOCKET_FILTER, 3);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, arr);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, sock);

	key = 0;
	fd = a;
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_NOEXIST));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_EXIST));
	EXPECT_EQ(EINVAL, errno);
	key = 2;
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_ANY));
	EXPECT_EQ(E2BIG, errno);
	key = 0;
	fd = 9999;
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_ANY));
	EXPECT_EQ(EBADF, errno);
	fd = arr;
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_ANY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_lookup(pa, &key, &id));
	EXPECT_EQ(ENOENT, errno);

	fd = a;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY)) TH_LOG("update: %s", strerror(errno));
	EXPECT_EQ(0, map_lookup(pa, &key, &id));
	EXPECT_NE(0, id);
	EXPECT_EQ(prog_id(a), id);
	/* the owner is a SYSCALL program now */
	fd = sock;
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_ANY));
	EXPECT_EQ(EINVAL, errno);
	fd = b;
	EXPECT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	EXPECT_EQ(0, map_lookup(pa, &key, &id));
	EXPECT_EQ(prog_id(b), id);

	key = 5;
	EXPECT_EQ(-1, map_delete(pa, &key));
	EXPECT_EQ(E2BIG, errno);
	key = 1;
	EXPECT_EQ(-1, map_delete(pa, &key));
	EXPECT_EQ(ENOENT, errno);
	key = 0;
	EXPECT_EQ(0, map_delete(pa, &key));
	EXPECT_EQ(-1, map_lookup(pa, &key, &id));
	EXPECT_EQ(ENOENT, errno);

	EXPECT_EQ(0, map_next_key(pa, NULL, &next));
	EXPECT_EQ(0, next);
	key = 0;
	EXPECT_EQ(0, map_next_key(pa, &key, &next));
	EXPECT_EQ(1, next);
	key = 1;
	EXPECT_EQ(-1, map_next_key(pa, &key, &next));
	EXPECT_EQ(ENOENT, errno);

	close(a);
	close(b);
	close(sock);
	close(arr);
	close(pa);
}

/* The verifier refuses element helpers on a program array, and a load into an array of another owner. */
TEST(load_rules)
{
	int pa, f, s;
	const struct xbpf_insn lookup[] = {
		I_ST(XBPF_W, 10, -4, 0), I_LD_MAP(1, 0), I_MOV64_REG(2, 10), I_ADD64_IMM(2, -4),
		I_CALL(XBPF_FUNC_map_lookup_elem), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	struct xbpf_insn l[ARRAY_LEN(lookup)];
	struct xbpf_insn use[] = {
		I_LD_MAP(2, 0), I_MOV64_IMM(3, 0), I_CALL(XBPF_FUNC_tail_call),
		I_MOV64_IMM(0, 0), I_EXIT(),
	};

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(1);
	ASSERT_LE(0, pa);
	memcpy(l, lookup, sizeof(l));
	l[1].imm = pa;
	EXPECT_EQ(-1, prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, l, ARRAY_LEN(l)));
	EXPECT_EQ(EINVAL, errno);

	use[0].imm = pa;
	f = prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, use, ARRAY_LEN(use));
	ASSERT_LE(0, f) TH_LOG("load: %s", strerror(errno));
	/* the socket filter made itself the owner at load */
	s = prog_load(XBPF_PROG_TYPE_SYSCALL, use, ARRAY_LEN(use));
	EXPECT_EQ(-1, s);
	EXPECT_EQ(EINVAL, errno);
	if (s >= 0)
		close(s);
	close(f);
	close(pa);
}

TEST(chain_runs_34)
{
	int pa, p, p2, t;
	__u32 key = 0, fd, retval = 0;
	long base;

	/* the device fd pins the module too: count from here */
	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	ASSERT_LE(0, base);
	pa = pa_create(4);
	ASSERT_LE(0, pa);
	p = load_counter(pa, -1, 0);
	ASSERT_LE(0, p) TH_LOG("load: %s", strerror(errno));
	fd = p;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));

	ASSERT_EQ(0, run(p, &retval));
	EXPECT_EQ(CNT, retval);
	/* per run: again 34 */
	ASSERT_EQ(0, run(p, &retval));
	EXPECT_EQ(CNT, retval);

	/* an empty slot counts (Linux 6.1 counts before it reads the slot) */
	p2 = load_counter(pa, 3, 1);
	ASSERT_LE(0, p2);
	key = 1;
	fd = p2;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	ASSERT_EQ(0, run(p2, &retval));
	EXPECT_EQ((CNT + 1) / 2, retval);

	/* out of range: falls through at once */
	close(p2);
	p2 = load_counter(pa, -1, 100);
	ASSERT_LE(0, p2);
	ASSERT_EQ(0, run(p2, &retval));
	EXPECT_EQ(1, retval);

	/* another program: its r0 ends the run */
	t = load_ret(XBPF_PROG_TYPE_SOCKET_FILTER, 42);
	ASSERT_LE(0, t);
	key = 0;
	fd = t;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	close(t);	/* the array holds it now */
	ASSERT_EQ(0, run(p, &retval));
	EXPECT_EQ(42, retval);
	ASSERT_EQ(0, map_delete(pa, &key));
	ASSERT_EQ(0, run(p, &retval));
	EXPECT_EQ(1, retval);

	close(p2);
	close(p);
	close(pa);
	EXPECT_GE(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

/* A program in an array it uses: closing both fds must free both. */
TEST(cycle_freed)
{
	long base;
	__u32 key, fd, retval = 0;
	int i, pa, p;

	/* the device fd pins the module too: count from here */
	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	ASSERT_LE(0, base);
	for (i = 0; i < 200; i++) {
		pa = pa_create(2);
		ASSERT_LE(0, pa);
		p = load_counter(pa, -1, 0);
		ASSERT_LE(0, p);
		fd = p;
		key = 0;
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		key = 1;
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		if (!i) {
			ASSERT_EQ(0, run(p, &retval));
			EXPECT_EQ(CNT, retval);
		}
		/* either order of closing */
		if (i & 1) {
			close(p);
			close(pa);
		} else {
			close(pa);
			close(p);
		}
	}
	EXPECT_GE(base, wait_refcnt(base, 10000)) TH_LOG("cycle leaked: refcnt %ld, base %ld",
							  read_refcnt(), base);
}

/* A program whose fd is closed stays alive in the array, runs, then goes. */
TEST(prog_kept_by_array)
{
	long base;
	__u32 key = 0, fd, id, id2 = 0, retval = 0;
	int pa, caller, t;

	/* the device fd pins the module too: count from here */
	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	ASSERT_LE(0, base);
	pa = pa_create(1);
	ASSERT_LE(0, pa);
	caller = load_counter(pa, -1, 0);
	ASSERT_LE(0, caller);
	t = load_ret(XBPF_PROG_TYPE_SOCKET_FILTER, 9);
	ASSERT_LE(0, t);
	id = prog_id(t);
	fd = t;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	close(t);
	usleep(100 * 1000);
	EXPECT_EQ(0, map_lookup(pa, &key, &id2));
	EXPECT_EQ(id, id2);
	ASSERT_EQ(0, run(caller, &retval));
	EXPECT_EQ(9, retval);
	/* replacing it by the caller frees it after a grace period */
	fd = caller;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	ASSERT_EQ(0, run(caller, &retval));
	EXPECT_EQ(CNT, retval);
	close(caller);
	close(pa);
	EXPECT_GE(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

TEST_HARNESS_MAIN

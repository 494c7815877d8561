// SPDX-License-Identifier: GPL-2.0
/*
 * KPROBE programs attached through links (LINK_CREATE with attach_type
 * BPF_TRACE_KPROBE_MULTI): raw-bytecode programs on __x64_sys_getppid
 * that count calls from this process into an ARRAY map and record what
 * the tracing helpers give (pid_tgid, comm, probe_read_user of a buffer
 * of ours, probe_read_kernel of their own pt_regs, trace_printk into
 * /proc/xbpf/trace_pipe); a kretprobe sees the return value in regs->ax;
 * closing or detaching the link stops the counting; link ids and info;
 * every close order leaves the module's count where it was; a program
 * hit while another runs on the same CPU counts a recursion miss.
 */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define TRACE_PIPE	"/proc/xbpf/trace_pipe"
#define PROBED		"__x64_sys_getppid"
#define PT_AX		80		/* offsetof(struct pt_regs, ax), x86-64 */
#define VSIZE		16
#define NSLOTS		8
#define MAGIC		0x1122334455667788ULL

/* map slots (u32 key, 16-byte values) */
enum { S_COUNT, S_PID_TGID, S_AX, S_TARGET, S_COMM, S_UADDR, S_UREAD, S_KREAD };

/* The probe program: everything it learns goes to the map. */
static void build_probe(struct pb *p, int map, bool printk)
{
	char fmt[16] = "xbpf_kp %u\n";
	__u64 f0, f1;

	p->n = 0;
	E(I_MOV64_REG(6, 1));
	E(I_CALL(XBPF_FUNC_get_current_pid_tgid));
	E(I_MOV64_REG(7, 0));
	/* only this process's calls */
	pb_lookup(p, map, S_TARGET);
	E(I_LDX(XBPF_DW, 1, 0, 0));
	E(I_MOV64_REG(2, 7));
	E(I_RAW(XBPF_ALU64 | XBPF_RSH | XBPF_K, 2, 0, 0, 32));
	E(I_RAW(XBPF_JMP | XBPF_JNE | XBPF_X, 1, 2, OUT, 0));
	pb_lookup(p, map, S_COUNT);
	E(I_MOV64_IMM(1, 1));
	E(I_RAW(XBPF_STX | XBPF_ATOMIC | XBPF_DW, 0, 1, 0, XBPF_ADD));
	pb_lookup(p, map, S_PID_TGID);
	E(I_STX(XBPF_DW, 0, 7, 0));
	pb_lookup(p, map, S_AX);
	E(I_LDX(XBPF_DW, 1, 6, PT_AX));
	E(I_STX(XBPF_DW, 0, 1, 0));
	pb_lookup(p, map, S_COMM);
	E(I_MOV64_REG(1, 0));
	E(I_MOV64_IMM(2, 16));
	E(I_CALL(XBPF_FUNC_get_current_comm));
	/* probe_read_user(fp - 16, 8, slot[S_UADDR]) -> slot[S_UREAD] */
	pb_lookup(p, map, S_UADDR);
	E(I_LDX(XBPF_DW, 3, 0, 0));
	E(I_MOV64_REG(1, 10));
	E(I_ADD64_IMM(1, -16));
	E(I_MOV64_IMM(2, 8));
	E(I_CALL(XBPF_FUNC_probe_read_user));
	pb_lookup(p, map, S_UREAD);
	E(I_LDX(XBPF_DW, 1, 10, -16));
	E(I_STX(XBPF_DW, 0, 1, 0));
	/* probe_read_kernel(slot[S_KREAD], 8, &regs->ax) */
	pb_lookup(p, map, S_KREAD);
	E(I_MOV64_REG(1, 0));
	E(I_MOV64_IMM(2, 8));
	E(I_MOV64_REG(3, 6));
	E(I_ADD64_IMM(3, PT_AX));
	E(I_CALL(XBPF_FUNC_probe_read_kernel));
	if (printk) {
		memcpy(&f0, fmt, 8);
		memcpy(&f1, fmt + 8, 8);
		pb_ld64(p, 1, f0);
		E(I_STX(XBPF_DW, 10, 1, -32));
		pb_ld64(p, 1, f1);
		E(I_STX(XBPF_DW, 10, 1, -24));
		E(I_MOV64_REG(1, 10));
		E(I_ADD64_IMM(1, -32));
		E(I_MOV64_IMM(2, 16));
		E(I_MOV64_REG(3, 7));
		E(I_RAW(XBPF_ALU64 | XBPF_RSH | XBPF_K, 3, 0, 0, 32));
		E(I_CALL(XBPF_FUNC_trace_printk));
	}
	pb_finish(p);
}

static int load_kprobe(const struct pb *p, __u32 expected)
{
	static char log[65536];
	union xbpf_attr a;
	int fd;

	prog_attr(&a, XBPF_PROG_TYPE_KPROBE, p->in, p->n);
	a.expected_attach_type = expected;
	a.log_buf = PTR(log);
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = xbpf_call(XBPF_PROG_LOAD, &a);
	if (fd < 0)
		fprintf(stderr, "# load: %s\n%s\n", strerror(errno), log);
	return fd;
}

static int kprobe_link(int prog_fd, const char *sym, __u32 flags)
{
	const char *syms[1] = { sym };
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = prog_fd;
	a.link_create.attach_type = XBPF_TRACE_KPROBE_MULTI;
	a.link_create.kprobe_multi.flags = flags;
	a.link_create.kprobe_multi.cnt = 1;
	a.link_create.kprobe_multi.syms = PTR(syms);
	return xbpf_call(XBPF_LINK_CREATE, &a);
}

static __u64 slot(int map, __u32 key)
{
	__u64 v[2] = { 0, 0 };

	if (map_lookup(map, &key, v))
		return ~0ULL;
	return v[0];
}

static void set_slot(int map, __u32 key, __u64 val)
{
	__u64 v[2] = { val, 0 };

	map_update(map, &key, v, XBPF_ANY);
}

static int new_map(void)
{
	int map = map_create(XBPF_MAP_TYPE_ARRAY, 4, VSIZE, NSLOTS);

	if (map >= 0)
		set_slot(map, S_TARGET, (__u64)getpid());
	return map;
}

/* The count with our /dev/xbpf fd (which pins the module) open. */
static long base_refcnt(void)
{
	xbpf_dev();
	return stable_refcnt();
}

static void getppid_n(int n)
{
	int i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
}

/* Everything trace_pipe holds now (non-blocking), NUL-terminated. */
static size_t drain_pipe(char *buf, size_t size)
{
	int fd = open(TRACE_PIPE, O_RDONLY | O_NONBLOCK);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
	return got;
}

static __u32 link_id_of(int fd, struct xbpf_link_info *info)
{
	union xbpf_attr a;

	memset(info, 0, sizeof(*info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(*info);
	a.info.info = PTR(info);
	if (xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a))
		return 0;
	return info->id;
}

static __u32 prog_id(int fd, struct xbpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return prog_info(fd, info, &len) ? 0 : info->id;
}

TEST(kprobe_counts_and_helpers)
{
	static char text[65536];
	char comm[16], want_line[64];
	volatile __u64 magic = MAGIC;
	long base = base_refcnt();
	int map, prog, link;
	struct pb pb, *p = &pb;
	__u64 v[2];
	__u32 key;

	ASSERT_EQ(0, prctl(PR_SET_NAME, "xbpf_kp_test"));
	map = new_map();
	ASSERT_LE(0, map);
	set_slot(map, S_UADDR, PTR(&magic));
	build_probe(p, map, true);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	drain_pipe(text, sizeof(text));

	link = kprobe_link(prog, PROBED, 0);
	ASSERT_LE(0, link) TH_LOG("LINK_CREATE: %s", strerror(errno));
	{
		struct xbpf_prog_info pi;

		prog_id(prog, &pi);
		TH_LOG("engine: %s", pi.jited_prog_len ? "JIT" : "interpreter");
	}
	getppid_n(50);
	EXPECT_EQ(50, slot(map, S_COUNT));
	EXPECT_EQ(((__u64)getpid() << 32) | (__u64)syscall(SYS_gettid), slot(map, S_PID_TGID));
	key = S_COMM;
	ASSERT_EQ(0, map_lookup(map, &key, v));
	memcpy(comm, v, sizeof(comm));
	EXPECT_STREQ("xbpf_kp_test", comm);
	EXPECT_EQ(MAGIC, slot(map, S_UREAD));
	/* the same register read through the context and through the kernel */
	EXPECT_EQ(slot(map, S_AX), slot(map, S_KREAD));

	drain_pipe(text, sizeof(text));
	snprintf(want_line, sizeof(want_line), "bpf_trace_printk: xbpf_kp %d\n", getpid());
	EXPECT_NE(NULL, strstr(text, want_line)) TH_LOG("trace_pipe: %.300s", text);
	EXPECT_NE(NULL, strstr(text, "xbpf_kp_test-")) TH_LOG("trace_pipe: %.300s", text);

	/* closing the link stops the program */
	close(link);
	getppid_n(10);
	EXPECT_EQ(50, slot(map, S_COUNT));

	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(kretprobe_sees_return_value)
{
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link;
	pid_t ppid;

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, false);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	link = kprobe_link(prog, PROBED, XBPF_F_KPROBE_MULTI_RETURN);
	ASSERT_LE(0, link) TH_LOG("LINK_CREATE: %s", strerror(errno));
	ppid = syscall(SYS_getppid);
	EXPECT_EQ(1, slot(map, S_COUNT));
	EXPECT_EQ((__u64)ppid, slot(map, S_AX));
	close(link);
	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(link_ids_info_and_detach)
{
	struct xbpf_link_info info, info2;
	struct xbpf_prog_info pinfo;
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link, link2;
	union xbpf_attr a;
	__u32 id, pid, next = 0;
	bool found = false;

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, false);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	pid = prog_id(prog, &pinfo);
	link = kprobe_link(prog, PROBED, 0);
	ASSERT_LE(0, link);

	id = link_id_of(link, &info);
	ASSERT_NE(0, id);
	EXPECT_EQ(XBPF_LINK_TYPE_KPROBE_MULTI, info.type);
	EXPECT_EQ(pid, info.prog_id);

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = next;
		if (xbpf_call(XBPF_LINK_GET_NEXT_ID, &a))
			break;
		next = a.next_id;
		found |= next == id;
	}
	EXPECT_EQ(ENOENT, errno);
	EXPECT_TRUE(found);

	memset(&a, 0, sizeof(a));
	a.link_id = id;
	link2 = xbpf_call(XBPF_LINK_GET_FD_BY_ID, &a);
	ASSERT_LE(0, link2);
	EXPECT_EQ(id, link_id_of(link2, &info2));
	memset(&a, 0, sizeof(a));
	a.link_id = 0x7fffff00;
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_GET_FD_BY_ID, &a));
	EXPECT_EQ(ENOENT, errno);

	/* closing one of two fds keeps it attached */
	close(link);
	getppid_n(5);
	EXPECT_EQ(5, slot(map, S_COUNT));

	/* LINK_DETACH: the fd stays, the program stops */
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = link2;
	EXPECT_EQ(0, xbpf_call(XBPF_LINK_DETACH, &a));
	getppid_n(5);
	EXPECT_EQ(5, slot(map, S_COUNT));
	EXPECT_EQ(id, link_id_of(link2, &info2));
	EXPECT_EQ(0, xbpf_call(XBPF_LINK_DETACH, &a));	/* twice is harmless */

	/* not a link */
	a.link_detach.link_fd = prog;
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_DETACH, &a));
	EXPECT_EQ(EINVAL, errno);

	close(link2);
	memset(&a, 0, sizeof(a));
	a.link_id = id;
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_GET_FD_BY_ID, &a));
	EXPECT_EQ(ENOENT, errno);
	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(attach_refusals)
{
	const char *syms[2] = { PROBED, "xbpf_no_such_symbol_anywhere" };
	__u64 addrs[1] = { 0 }, cookies[1] = { 1 };
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, plain, sf;
	union xbpf_attr a;
	struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, false);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	plain = load_kprobe(p, 0);
	ASSERT_LE(0, plain);
	sf = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	ASSERT_LE(0, sf);

	/* loaded without expected_attach_type BPF_TRACE_KPROBE_MULTI */
	EXPECT_EQ(-1, kprobe_link(plain, PROBED, 0));
	EXPECT_EQ(EINVAL, errno);
	/* not a kprobe program */
	EXPECT_EQ(-1, kprobe_link(sf, PROBED, 0));
	EXPECT_EQ(EINVAL, errno);
	/* unknown flag */
	EXPECT_EQ(-1, kprobe_link(prog, PROBED, 2));
	EXPECT_EQ(EINVAL, errno);
	/* an unknown symbol: nothing attached, all or nothing */
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = prog;
	a.link_create.attach_type = XBPF_TRACE_KPROBE_MULTI;
	a.link_create.kprobe_multi.cnt = 2;
	a.link_create.kprobe_multi.syms = PTR(syms);
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_CREATE, &a));
	getppid_n(3);
	EXPECT_EQ(0, slot(map, S_COUNT));
	/* both syms and addrs, neither, no count */
	a.link_create.kprobe_multi.addrs = PTR(addrs);
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
	a.link_create.kprobe_multi.addrs = 0;
	a.link_create.kprobe_multi.syms = 0;
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
	a.link_create.kprobe_multi.syms = PTR(syms);
	a.link_create.kprobe_multi.cnt = 0;
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
	/* cookies: bpf_get_attach_cookie is not offered */
	a.link_create.kprobe_multi.cnt = 1;
	a.link_create.kprobe_multi.cookies = PTR(cookies);
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_CREATE, &a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* a bad program fd */
	EXPECT_EQ(-1, kprobe_link(map, PROBED, 0));
	EXPECT_EQ(EINVAL, errno);
	/* kprobe programs have no test run */
	test_attr(&a, prog);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(524, errno);

	close(sf);
	close(plain);
	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

/* Closes the three in the order given, calling getppid between closes. */
static void close_order(struct __test_metadata *_metadata, const int order[3])
{
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int fds[3], i;

	fds[0] = new_map();
	ASSERT_LE(0, fds[0]);
	build_probe(p, fds[0], true);
	fds[1] = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, fds[1]);
	fds[2] = kprobe_link(fds[1], PROBED, 0);
	ASSERT_LE(0, fds[2]);
	getppid_n(3);
	EXPECT_EQ(3, slot(fds[0], S_COUNT));
	for (i = 0; i < 3; i++) {
		close(fds[order[i]]);
		getppid_n(3);
	}
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(close_link_first)
{
	static const int order[3] = { 2, 1, 0 };

	close_order(_metadata, order);
}

TEST(close_prog_first)
{
	static const int order[3] = { 1, 2, 0 };

	close_order(_metadata, order);
}

TEST(close_map_first)
{
	static const int order[3] = { 0, 1, 2 };

	close_order(_metadata, order);
}

/*
 * Recursion: a kprobe program on get_random_u32, hit while a SYSCALL test
 * run on the same CPU is inside bpf_get_prandom_u32 (which calls it): the
 * kprobe's program is not run, a miss is counted on it.
 */
TEST(recursion_counts_a_miss)
{
	struct xbpf_insn counter[] = {
		I_ST(XBPF_W, 10, -4, 0), I_MOV64_REG(2, 10), I_ADD64_IMM(2, -4),
		I_LD_MAP_FD(1, 0), I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 2), I_MOV64_IMM(1, 1),
		I_RAW(XBPF_STX | XBPF_ATOMIC | XBPF_DW, 0, 1, 0, XBPF_ADD),
		I_MOV64_IMM(0, 0), I_EXIT(),
	};
	struct xbpf_insn caller[] = {
		I_CALL(XBPF_FUNC_get_prandom_u32), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	long base = base_refcnt();
	struct xbpf_prog_info info;
	int map, kp, sys, link, i;
	union xbpf_attr a;
	char ctx[8] = { 0 };

	map = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, map);
	counter[3].imm = map;
	prog_attr(&a, XBPF_PROG_TYPE_KPROBE, counter, ARRAY_LEN(counter));
	a.expected_attach_type = XBPF_TRACE_KPROBE_MULTI;
	kp = xbpf_call(XBPF_PROG_LOAD, &a);
	ASSERT_LE(0, kp);
	sys = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, caller);
	ASSERT_LE(0, sys);
	link = kprobe_link(kp, "get_random_u32", 0);
	if (link < 0)
		SKIP(goto out, "get_random_u32 cannot be probed: %s", strerror(errno));

	for (i = 0; i < 20; i++) {
		test_attr(&a, sys);
		a.test.ctx_in = PTR(ctx);
		a.test.ctx_size_in = sizeof(ctx);
		ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	}
	prog_id(kp, &info);
	EXPECT_LE(20, info.recursion_misses);
	close(link);
out:
	close(sys);
	close(kp);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

/* trace_pipe blocks for a reader until a line comes, and polls readable. */
TEST(trace_pipe_poll)
{
	static char text[65536];
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link, fd;
	struct pollfd pfd;

	drain_pipe(text, sizeof(text));
	fd = open(TRACE_PIPE, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(-1, read(fd, text, sizeof(text)));
	EXPECT_EQ(EAGAIN, errno);

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, true);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	link = kprobe_link(prog, PROBED, 0);
	ASSERT_LE(0, link);
	getppid_n(1);
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_LT(0, read(fd, text, sizeof(text) - 1));
	close(link);
	close(prog);
	close(map);
	close(fd);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

/*
 * A SYSCALL program (tracing helpers are theirs too) that puts fmt (up
 * to 48 bytes, padded with NULs) at fp-64 and returns
 * helper(fp-64, size, a1, a2, a3): trace_printk and the string readers.
 */
static int run_helper(int helper, const char *fmt, __u32 size, __u64 a1, __u64 a2,
		      __u64 a3, int *ret)
{
	struct pb pb, *p = &pb;
	char buf[48] = { 0 };
	union xbpf_attr a;
	char ctx[8] = { 0 };
	int fd, i, err;
	__u64 w;

	memcpy(buf, fmt, strlen(fmt) < sizeof(buf) ? strlen(fmt) : sizeof(buf));
	p->n = 0;
	for (i = 0; i < 48; i += 8) {
		memcpy(&w, buf + i, 8);
		pb_ld64(p, 1, w);
		E(I_STX(XBPF_DW, 10, 1, -64 + i));
	}
	E(I_MOV64_REG(1, 10));
	E(I_ADD64_IMM(1, -64));
	E(I_MOV64_IMM(2, size));
	pb_ld64(p, 3, a1);
	pb_ld64(p, 4, a2);
	pb_ld64(p, 5, a3);
	E(I_CALL(helper));
	E(I_EXIT());
	fd = prog_load(XBPF_PROG_TYPE_SYSCALL, p->in, p->n);
	if (fd < 0)
		return -1;
	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = sizeof(ctx);
	err = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	*ret = (int)a.test.retval;
	close(fd);
	return err;
}

static int tprintk(const char *fmt, __u64 a1, __u64 a2, __u64 a3)
{
	int ret = -1000;

	if (run_helper(XBPF_FUNC_trace_printk, fmt, strlen(fmt) + 1, a1, a2, a3, &ret))
		return -1000;
	return ret;
}

TEST(trace_printk_formats)
{
	static const struct {
		const char *fmt;
		__u64 a1, a2, a3;
		const char *want;
	} good[] = {
		{ "A d=%d u=%u x=%x\n", (__u64)-5, 7, 255, "A d=-5 u=7 x=ff\n" },
		{ "B %lld %llx %lu", (__u64)-1, 0x123456789ULL, 9, "B -1 123456789 9\n" },
		{ "C %05d|%-3d|%X", 42, 7, 0xab, "C 00042|7  |AB\n" },
		{ "D %%d %c", 'Z', 0, 0, "D %d Z\n" },
		{ "E %d", 0x100000005ULL, 0, 0, "E 5\n" },	/* %d takes 32 bits */
	};
	static const char *const bad[] = {
		"%q", "%d %d %d %d", "%pB", "%ls", "\x01", "%",
	};
	static char text[65536];
	const char *hello = "hello";
	char line[96];
	unsigned int i;
	int ret;

	drain_pipe(text, sizeof(text));
	for (i = 0; i < ARRAY_LEN(good); i++)
		EXPECT_LT(0, tprintk(good[i].fmt, good[i].a1, good[i].a2, good[i].a3))
			TH_LOG("good case %u", i);
	EXPECT_LT(0, tprintk("F %s|%c", PTR(hello), 'A', 0));
	drain_pipe(text, sizeof(text));
	for (i = 0; i < ARRAY_LEN(good); i++) {
		snprintf(line, sizeof(line), "bpf_trace_printk: %s", good[i].want);
		EXPECT_NE(NULL, strstr(text, line)) TH_LOG("want %s in %.400s", line, text);
	}
	EXPECT_NE(NULL, strstr(text, "bpf_trace_printk: F hello|A\n"));
	/* "A d=-5 u=7 x=ff\n": 16 bytes */
	EXPECT_EQ(16, tprintk(good[0].fmt, good[0].a1, good[0].a2, good[0].a3));
	drain_pipe(text, sizeof(text));

	for (i = 0; i < ARRAY_LEN(bad); i++)
		EXPECT_EQ(-EINVAL, tprintk(bad[i], 1, 2, 3)) TH_LOG("bad case %u", i);
	/* no NUL within the size */
	ASSERT_EQ(0, run_helper(XBPF_FUNC_trace_printk, "abcdef", 3, 0, 0, 0, &ret));
	EXPECT_EQ(-EINVAL, ret);
	drain_pipe(text, sizeof(text));
	EXPECT_EQ(NULL, strstr(text, "bpf_trace_printk")) TH_LOG("%.300s", text);
}

TEST(string_readers)
{
	const char *shortstr = "hello";
	const char *longstr = "0123456789abcdefghijklmnopqrstuvwxyz";
	int ret;

	/* run_helper's r1/r2 are the destination and its size: 16 bytes */
	ASSERT_EQ(0, run_helper(XBPF_FUNC_probe_read_user_str, "", 16, PTR(shortstr), 0, 0,
				&ret));
	EXPECT_EQ(6, ret);
	ASSERT_EQ(0, run_helper(XBPF_FUNC_probe_read_user_str, "", 16, PTR(longstr), 0, 0,
				&ret));
	EXPECT_EQ(16, ret);
	ASSERT_EQ(0, run_helper(XBPF_FUNC_probe_read_user_str, "", 16, 0, 0, 0, &ret));
	EXPECT_EQ(-EFAULT, ret);
	ASSERT_EQ(0, run_helper(XBPF_FUNC_probe_read_user, "", 8, PTR(longstr), 0, 0, &ret));
	EXPECT_EQ(0, ret);
	/* a user address is not kernel memory */
	ASSERT_EQ(0, run_helper(XBPF_FUNC_probe_read_kernel_str, "", 16, PTR(shortstr), 0, 0,
				&ret));
	EXPECT_GT(0, ret);
	ASSERT_EQ(0, run_helper(XBPF_FUNC_probe_read_kernel, "", 8, PTR(shortstr), 0, 0, &ret));
	EXPECT_GT(0, ret);
}

/* Linux's gpl_only helpers need a GPL-compatible license. */
TEST(gpl_only_helpers)
{
	struct xbpf_insn task[] = {
		I_CALL(XBPF_FUNC_get_current_task), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	struct xbpf_insn pid[] = {
		I_CALL(XBPF_FUNC_get_current_pid_tgid), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	static char log[4096];
	union xbpf_attr a;
	int fd;

	prog_attr(&a, XBPF_PROG_TYPE_KPROBE, task, ARRAY_LEN(task));
	a.license = PTR("Proprietary");
	a.log_buf = PTR(log);
	a.log_size = sizeof(log);
	a.log_level = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log,
		"cannot call GPL-restricted function from non-GPL compatible program"));

	prog_attr(&a, XBPF_PROG_TYPE_KPROBE, pid, ARRAY_LEN(pid));
	a.license = PTR("Proprietary");
	fd = xbpf_call(XBPF_PROG_LOAD, &a);
	EXPECT_LE(0, fd);
	close(fd);
	prog_attr(&a, XBPF_PROG_TYPE_KPROBE, task, ARRAY_LEN(task));
	a.license = PTR("Dual BSD/GPL");
	fd = xbpf_call(XBPF_PROG_LOAD, &a);
	EXPECT_LE(0, fd);
	close(fd);
}

/* The address of sym in /proc/kallsyms (root sees real ones), or 0. */
static __u64 ksym_addr(const char *sym)
{
	char line[256], name[200], type;
	unsigned long long addr;
	FILE *f = fopen("/proc/kallsyms", "r");
	__u64 found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %199s", &addr, &type, name) == 3 &&
		    !strcmp(name, sym)) {
			found = addr;
			break;
		}
	fclose(f);
	return found;
}

/* kprobe_multi by address, and two symbols in one link. */
TEST(addrs_and_two_symbols)
{
	const char *syms[2] = { PROBED, "__x64_sys_getpgrp" };
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link;
	union xbpf_attr a;
	__u64 addr;

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, false);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);

	addr = ksym_addr(PROBED);
	ASSERT_NE(0, addr);
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = prog;
	a.link_create.attach_type = XBPF_TRACE_KPROBE_MULTI;
	a.link_create.kprobe_multi.cnt = 1;
	a.link_create.kprobe_multi.addrs = PTR(&addr);
	link = xbpf_call(XBPF_LINK_CREATE, &a);
	ASSERT_LE(0, link) TH_LOG("by address %#llx: %s", (unsigned long long)addr,
				  strerror(errno));
	getppid_n(7);
	EXPECT_EQ(7, slot(map, S_COUNT));
	close(link);

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = prog;
	a.link_create.attach_type = XBPF_TRACE_KPROBE_MULTI;
	a.link_create.kprobe_multi.cnt = 2;
	a.link_create.kprobe_multi.syms = PTR(syms);
	link = xbpf_call(XBPF_LINK_CREATE, &a);
	ASSERT_LE(0, link) TH_LOG("two symbols: %s", strerror(errno));
	getppid_n(3);
	syscall(SYS_getpgrp);
	syscall(SYS_getpgrp);
	EXPECT_EQ(7 + 5, slot(map, S_COUNT));
	close(link);
	getppid_n(3);
	syscall(SYS_getpgrp);
	EXPECT_EQ(7 + 5, slot(map, S_COUNT));

	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

/* A child that keeps calling getppid() until killed. */
static pid_t hammer(void)
{
	pid_t pid = fork();

	if (!pid)
		for (;;)
			syscall(SYS_getppid);
	return pid;
}

/*
 * Links created, detached and closed while four processes keep the probed
 * function busy on every CPU: handlers in flight when a link goes must
 * finish before its program can; the rig checks the kernel log.
 *
 * An anchor link stays attached throughout, so the function's ftrace
 * site stays armed and the churn only changes the kprobe's handler list.
 * Without it every round re-patches the call site under the running
 * CPUs, and this kernel under qemu then oopses (RIP 0, IF clear) with no
 * xbpf involved: the same churn through tracefs kprobe_events does it.
 */
TEST(detach_under_load)
{
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link, anchor, i;
	union xbpf_attr a;
	pid_t kids[4];

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, true);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	anchor = kprobe_link(prog, PROBED, 0);
	ASSERT_LE(0, anchor);
	for (i = 0; i < 4; i++) {
		kids[i] = hammer();
		ASSERT_LT(0, kids[i]);
	}
	for (i = 0; i < 40; i++) {
		link = kprobe_link(prog, PROBED, i % 3 == 2 ? XBPF_F_KPROBE_MULTI_RETURN : 0);
		ASSERT_LE(0, link);
		getppid_n(20);
		usleep(2000);
		if (i % 2) {
			memset(&a, 0, sizeof(a));
			a.link_detach.link_fd = link;
			EXPECT_EQ(0, xbpf_call(XBPF_LINK_DETACH, &a));
		}
		close(link);
	}
	/* the last round: the program's fd goes first, the link still runs it */
	link = kprobe_link(prog, PROBED, 0);
	ASSERT_LE(0, link);
	close(prog);
	usleep(5000);
	close(link);
	for (i = 0; i < 4; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	close(anchor);
	/* the children are filtered out; our own calls were counted */
	EXPECT_LE(20, slot(map, S_COUNT));
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

static int pin_op(int fd, const char *path, __u32 flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = PTR(path);
	a.bpf_fd = fd;
	a.file_flags = flags;
	return xbpf_call(XBPF_OBJ_PIN, &a);
}

/* A pinned link stays attached with no fd open; OBJ_GET gives it back. */
TEST(pinned_link_stays_attached)
{
	static const char path[] = "/sys/fs/bpf/xbpf_test_kprobe_link";
	struct xbpf_link_info info, info2;
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link, got;
	union xbpf_attr a;
	__u32 id;

	map = new_map();
	ASSERT_LE(0, map);
	build_probe(p, map, false);
	prog = load_kprobe(p, XBPF_TRACE_KPROBE_MULTI);
	ASSERT_LE(0, prog);
	link = kprobe_link(prog, PROBED, 0);
	ASSERT_LE(0, link);
	id = link_id_of(link, &info);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, pin_op(link, path, 0));
	close(link);
	close(prog);

	getppid_n(7);
	EXPECT_EQ(7, slot(map, S_COUNT));

	memset(&a, 0, sizeof(a));
	a.pathname = PTR(path);
	got = xbpf_call(XBPF_OBJ_GET, &a);
	ASSERT_LE(0, got);
	EXPECT_EQ(id, link_id_of(got, &info2));
	EXPECT_EQ(XBPF_LINK_TYPE_KPROBE_MULTI, info2.type);

	/* unpinned and the last fd closed: detached */
	ASSERT_EQ(0, pin_op(-1, path, XBPF_OBJ_F_UNPIN));
	close(got);
	memset(&a, 0, sizeof(a));
	a.link_id = id;
	EXPECT_EQ(-1, xbpf_call(XBPF_LINK_GET_FD_BY_ID, &a));
	getppid_n(5);
	EXPECT_EQ(7, slot(map, S_COUNT));
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * RAW_TRACEPOINT and TRACEPOINT programs attached with RAW_TRACEPOINT_OPEN
 * (which returns a link fd): a raw-bytecode RAW_TRACEPOINT program on
 * sys_enter counts this process's calls of one syscall (args[1] is the
 * syscall number); a TRACEPOINT program on syscalls:sys_enter_getppid
 * reads __syscall_nr at the offset the event's tracefs format file gives;
 * close and LINK_DETACH stop them; every close order of map, program and
 * link leaves the module's count where it was; reads past the
 * tracepoint's arguments or record are refused at attach.
 */
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define TP_EVENT	"syscalls:sys_enter_getppid"
#define TP_FORMAT	"events/syscalls/sys_enter_getppid/format"

/* map slots (u32 key, u64 values) */
enum { S_TGID, S_NR, S_COUNT, S_FIELD, NSLOTS };

/*
 * r6 = ctx; only this process: tgid == slot[S_TGID]; then (raw) the
 * syscall number in args[1] must be slot[S_NR]; count; (tp) store the
 * 4-byte field at field_off into slot[S_FIELD].
 */
static void build(struct pb *p, int map, bool raw, int field_off)
{
	p->n = 0;
	E(I_MOV64_REG(6, 1));
	E(I_CALL(XBPF_FUNC_get_current_pid_tgid));
	E(I_RAW(XBPF_ALU64 | XBPF_RSH | XBPF_K, 0, 0, 0, 32));
	E(I_MOV64_REG(7, 0));
	pb_lookup(p, map, S_TGID);
	E(I_LDX(XBPF_DW, 1, 0, 0));
	E(I_RAW(XBPF_JMP | XBPF_JNE | XBPF_X, 1, 7, OUT, 0));
	if (raw) {
		pb_lookup(p, map, S_NR);
		E(I_LDX(XBPF_DW, 1, 0, 0));
		E(I_LDX(XBPF_DW, 2, 6, 8));	/* args[1]: the syscall number */
		E(I_RAW(XBPF_JMP | XBPF_JNE | XBPF_X, 1, 2, OUT, 0));
	} else {
		pb_lookup(p, map, S_FIELD);
		E(I_LDX(XBPF_W, 1, 6, field_off));
		E(I_STX(XBPF_DW, 0, 1, 0));
	}
	pb_lookup(p, map, S_COUNT);
	E(I_MOV64_IMM(1, 1));
	E(I_RAW(XBPF_STX | XBPF_ATOMIC | XBPF_DW, 0, 1, 0, XBPF_ADD));
	pb_finish(p);
}

static int load(const struct pb *p, __u32 type)
{
	static char log[65536];
	union xbpf_attr a;
	int fd;

	prog_attr(&a, type, p->in, p->n);
	a.log_buf = PTR(log);
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = xbpf_call(XBPF_PROG_LOAD, &a);
	if (fd < 0)
		fprintf(stderr, "# load: %s\n%s\n", strerror(errno), log);
	return fd;
}

static int tp_open(int prog_fd, const char *name)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = PTR(name);
	a.raw_tracepoint.prog_fd = prog_fd;
	return xbpf_call(XBPF_RAW_TRACEPOINT_OPEN, &a);
}

static __u64 slot(int map, __u32 key)
{
	__u64 v = 0;

	if (map_lookup(map, &key, &v))
		return ~0ULL;
	return v;
}

static void set_slot(int map, __u32 key, __u64 val)
{
	map_update(map, &key, &val, XBPF_ANY);
}

static int new_map(long nr)
{
	int map = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, NSLOTS);

	if (map >= 0) {
		set_slot(map, S_TGID, (__u64)getpid());
		set_slot(map, S_NR, (__u64)nr);
	}
	return map;
}

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

static void getpid_n(int n)
{
	int i;

	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
}

/* tracefs's directory, mounting it when neither usual place has it. */
static const char *tracefs(void)
{
	static const char * const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256];
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof(path), "%s/" TP_FORMAT, dirs[i]);
		if (!access(path, R_OK))
			return dirs[i];
	}
	if (mount("nodev", dirs[0], "tracefs", 0, NULL))
		return NULL;
	return dirs[0];
}

/* The offset of field's line in the event's format file, -1 if none. */
static int format_offset(const char *field)
{
	const char *dir = tracefs();
	char path[256], line[512], pat[64];
	int off = -1;
	FILE *f;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/" TP_FORMAT, dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	snprintf(pat, sizeof(pat), " %s;", field);
	while (fgets(line, sizeof(line), f)) {
		char *at = strstr(line, pat), *o = strstr(line, "offset:");

		if (at && o) {
			off = atoi(o + 7);
			break;
		}
	}
	fclose(f);
	return off;
}

static __u32 link_info(int fd, struct xbpf_link_info *info)
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

/* The tracepoint's name through link info: Linux's buffer rules. */
static void raw_tp_name_info(struct __test_metadata *_metadata, int link)
{
	struct xbpf_link_info info;
	union xbpf_attr a;
	char name[32];

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = link;
	a.info.info_len = sizeof(info);
	a.info.info = PTR(&info);
	memset(&info, 0, sizeof(info));
	memset(name, 'x', sizeof(name));
	info.raw_tracepoint.tp_name = PTR(name);
	info.raw_tracepoint.tp_name_len = sizeof(name);
	EXPECT_EQ(0, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_STREQ("sys_enter", name);
	EXPECT_EQ(10, info.raw_tracepoint.tp_name_len);
	/* short buffer: truncated, terminated, -ENOSPC */
	memset(&info, 0, sizeof(info));
	memset(name, 'x', sizeof(name));
	info.raw_tracepoint.tp_name = PTR(name);
	info.raw_tracepoint.tp_name_len = 4;
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_STREQ("sys", name);
	/* a length without a buffer */
	memset(&info, 0, sizeof(info));
	info.raw_tracepoint.tp_name_len = 4;
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(EINVAL, errno);
}

TEST(raw_tp_counts_one_syscall)
{
	long base = base_refcnt();
	struct xbpf_link_info info;
	struct pb pb, *p = &pb;
	int map, prog, link;

	map = new_map(SYS_getppid);
	ASSERT_LE(0, map);
	build(p, map, true, 0);
	prog = load(p, XBPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_LE(0, prog);
	link = tp_open(prog, "sys_enter");
	ASSERT_LE(0, link) TH_LOG("RAW_TRACEPOINT_OPEN sys_enter: %s", strerror(errno));
	EXPECT_NE(0, link_info(link, &info));
	EXPECT_EQ(XBPF_LINK_TYPE_RAW_TRACEPOINT, info.type);
	EXPECT_EQ(10, info.raw_tracepoint.tp_name_len);	/* "sys_enter" + NUL */
	raw_tp_name_info(_metadata, link);

	getppid_n(7);
	getpid_n(5);		/* another syscall: not counted */
	EXPECT_EQ(7, slot(map, S_COUNT));
	/* now count getpid instead */
	set_slot(map, S_NR, SYS_getpid);
	getpid_n(4);
	getppid_n(2);
	EXPECT_EQ(11, slot(map, S_COUNT));

	/* detach by close: no more counting */
	close(link);
	getpid_n(3);
	EXPECT_EQ(11, slot(map, S_COUNT));
	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(raw_tp_link_detach)
{
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, link;
	union xbpf_attr a;

	map = new_map(SYS_getppid);
	ASSERT_LE(0, map);
	build(p, map, true, 0);
	prog = load(p, XBPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_LE(0, prog);
	link = tp_open(prog, "sys_enter");
	ASSERT_LE(0, link);
	/* the link keeps the program: close the program fd first */
	close(prog);
	getppid_n(3);
	EXPECT_EQ(3, slot(map, S_COUNT));
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = link;
	EXPECT_EQ(0, xbpf_call(XBPF_LINK_DETACH, &a));
	getppid_n(3);
	EXPECT_EQ(3, slot(map, S_COUNT));
	close(link);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(tp_reads_record_field)
{
	long base = base_refcnt();
	struct xbpf_link_info info;
	struct pb pb, *p = &pb;
	int map, prog, link, off;

	off = format_offset("__syscall_nr");
	if (off < 0)
		SKIP(return, "no tracefs format for " TP_EVENT);
	ASSERT_LE(8, off);
	map = new_map(0);
	ASSERT_LE(0, map);
	build(p, map, false, off);
	prog = load(p, XBPF_PROG_TYPE_TRACEPOINT);
	ASSERT_LE(0, prog);
	link = tp_open(prog, TP_EVENT);
	ASSERT_LE(0, link) TH_LOG("RAW_TRACEPOINT_OPEN " TP_EVENT ": %s", strerror(errno));
	EXPECT_NE(0, link_info(link, &info));
	EXPECT_EQ(XBPF_LINK_TYPE_PERF_EVENT, info.type);

	getppid_n(6);
	getpid_n(4);		/* another event: not seen */
	EXPECT_EQ(6, slot(map, S_COUNT));
	EXPECT_EQ(SYS_getppid, slot(map, S_FIELD));

	close(prog);		/* the link keeps it */
	getppid_n(2);
	EXPECT_EQ(8, slot(map, S_COUNT));
	close(link);
	getppid_n(2);
	EXPECT_EQ(8, slot(map, S_COUNT));
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(attach_refusals)
{
	struct xbpf_insn args2[] = {	/* reads args[2]: sys_enter has two */
		I_LDX(XBPF_DW, 0, 1, 16), I_EXIT(),
	};
	struct xbpf_insn args1[] = {	/* reads args[1]: fine */
		I_LDX(XBPF_DW, 0, 1, 8), I_EXIT(),
	};
	struct xbpf_insn rec16[] = {	/* u64 at 8: past sys_enter_getppid's fields (12) */
		I_LDX(XBPF_DW, 0, 1, 8), I_EXIT(),
	};
	struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };
	long base = base_refcnt();
	int raw2, raw1, tp16, tp0, sys, link;
	union xbpf_attr a;

	raw2 = PROG_LOAD(XBPF_PROG_TYPE_RAW_TRACEPOINT, args2);
	ASSERT_LE(0, raw2);
	raw1 = PROG_LOAD(XBPF_PROG_TYPE_RAW_TRACEPOINT, args1);
	ASSERT_LE(0, raw1);
	tp16 = PROG_LOAD(XBPF_PROG_TYPE_TRACEPOINT, rec16);
	ASSERT_LE(0, tp16);
	tp0 = PROG_LOAD(XBPF_PROG_TYPE_TRACEPOINT, ret0);
	ASSERT_LE(0, tp0);
	sys = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, ret0);
	ASSERT_LE(0, sys);

	/* max_ctx_offset 24 > 2 args * 8 */
	EXPECT_EQ(-1, tp_open(raw2, "sys_enter"));
	EXPECT_EQ(EINVAL, errno);
	/* sched_switch has 4 arguments (6.1: preempt, prev, next, prev_state) */
	link = tp_open(raw2, "sched_switch");
	EXPECT_LE(0, link) TH_LOG("sched_switch: %s", strerror(errno));
	close(link);
	link = tp_open(raw1, "sys_enter");
	EXPECT_LE(0, link);
	close(link);
	EXPECT_EQ(-1, tp_open(raw1, "no_such_tracepoint_xbpf"));
	EXPECT_EQ(ENOENT, errno);
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.prog_fd = raw1;
	EXPECT_EQ(-1, xbpf_call(XBPF_RAW_TRACEPOINT_OPEN, &a));	/* no name */
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tp_open(sys, "sys_enter"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tp_open(-1, "sys_enter"));
	EXPECT_EQ(EBADF, errno);

	/* TRACEPOINT: "category:event" */
	EXPECT_EQ(-1, tp_open(tp0, "sys_enter_getppid"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tp_open(tp0, "syscalls:no_such_event_xbpf"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, tp_open(tp16, TP_EVENT));
	EXPECT_EQ(EACCES, errno);
	link = tp_open(tp0, TP_EVENT);
	EXPECT_LE(0, link) TH_LOG(TP_EVENT ": %s", strerror(errno));
	close(link);

	close(raw2);
	close(raw1);
	close(tp16);
	close(tp0);
	close(sys);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

/*
 * Recursion: a raw tracepoint program on kfree, hit while this process's
 * map update is inside the module (map commands keep hook programs off
 * their CPU, and the update frees its copies of key and value there): the
 * program is not run, a miss is counted on it.
 */
TEST(recursion_counts_a_miss)
{
	struct xbpf_insn count[] = {
		I_CALL(XBPF_FUNC_get_current_pid_tgid),
		I_RAW(XBPF_ALU64 | XBPF_RSH | XBPF_K, 0, 0, 0, 32),
		I_JEQ_IMM(0, 0, 0),	/* tgid filled in below */
		I_MOV64_IMM(0, 0), I_EXIT(),
		I_ST(XBPF_W, 10, -4, S_COUNT), I_MOV64_REG(2, 10), I_ADD64_IMM(2, -4),
		I_LD_MAP_FD(1, 0), I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 2), I_MOV64_IMM(1, 1),
		I_RAW(XBPF_STX | XBPF_ATOMIC | XBPF_DW, 0, 1, 0, XBPF_ADD),
		I_MOV64_IMM(0, 0), I_EXIT(),
	};
	long base = base_refcnt();
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);
	int map, prog, link, i;

	map = new_map(0);
	ASSERT_LE(0, map);
	count[2].imm = getpid();
	count[2].off = 2;
	count[8].imm = map;
	prog = PROG_LOAD(XBPF_PROG_TYPE_RAW_TRACEPOINT, count);
	ASSERT_LE(0, prog);
	link = tp_open(prog, "kfree");
	ASSERT_LE(0, link) TH_LOG("kfree: %s", strerror(errno));
	for (i = 0; i < 20; i++)
		set_slot(map, S_FIELD, i);
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, prog_info(prog, &info, &len));
	EXPECT_LE(20, info.recursion_misses);
	TH_LOG("kfree: %llu runs counted, %llu misses",
	       (unsigned long long)slot(map, S_COUNT),
	       (unsigned long long)info.recursion_misses);
	close(link);
	close(prog);
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

/* Closes map, program and link in the order given, with hits between. */
static void close_order(struct __test_metadata *_metadata, bool raw, const int order[3])
{
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int fds[3], i, off = 8;

	if (!raw) {
		off = format_offset("__syscall_nr");
		if (off < 0)
			SKIP(return, "no tracefs format for " TP_EVENT);
	}
	fds[0] = new_map(SYS_getppid);
	ASSERT_LE(0, fds[0]);
	build(p, fds[0], raw, off);
	fds[1] = load(p, raw ? XBPF_PROG_TYPE_RAW_TRACEPOINT : XBPF_PROG_TYPE_TRACEPOINT);
	ASSERT_LE(0, fds[1]);
	fds[2] = tp_open(fds[1], raw ? "sys_enter" : TP_EVENT);
	ASSERT_LE(0, fds[2]);
	getppid_n(3);
	EXPECT_EQ(3, slot(fds[0], S_COUNT));
	for (i = 0; i < 3; i++) {
		close(fds[order[i]]);
		getppid_n(3);
	}
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

static const int link_first[3] = { 2, 1, 0 };
static const int prog_first[3] = { 1, 2, 0 };
static const int map_first[3] = { 0, 1, 2 };

TEST(raw_close_link_first) { close_order(_metadata, true, link_first); }
TEST(raw_close_prog_first) { close_order(_metadata, true, prog_first); }
TEST(raw_close_map_first) { close_order(_metadata, true, map_first); }
TEST(tp_close_link_first) { close_order(_metadata, false, link_first); }
TEST(tp_close_prog_first) { close_order(_metadata, false, prog_first); }
TEST(tp_close_map_first) { close_order(_metadata, false, map_first); }

/* PROG_TEST_RUN of a RAW_TRACEPOINT program: ctx_in is the argument array. */
TEST(raw_tp_test_run)
{
	struct xbpf_insn sum[] = {	/* args[0] + args[2] */
		I_LDX(XBPF_DW, 0, 1, 0), I_LDX(XBPF_DW, 2, 1, 16), I_ADD64_REG(0, 2), I_EXIT(),
	};
	struct xbpf_insn last[] = { I_LDX(XBPF_DW, 0, 1, 88), I_EXIT() };
	struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };
	__u64 args[13] = { 40, 1000, 2, 0, 0, 0, 0, 0, 0, 0, 0, 77, 0 };
	int p_sum, p_last, p_tp;
	union xbpf_attr a;

	p_sum = PROG_LOAD(XBPF_PROG_TYPE_RAW_TRACEPOINT, sum);
	ASSERT_LE(0, p_sum);
	p_last = PROG_LOAD(XBPF_PROG_TYPE_RAW_TRACEPOINT, last);
	ASSERT_LE(0, p_last);
	p_tp = PROG_LOAD(XBPF_PROG_TYPE_TRACEPOINT, ret0);
	ASSERT_LE(0, p_tp);

	test_attr(&a, p_sum);
	a.test.ctx_in = PTR(args);
	a.test.ctx_size_in = 3 * 8;
	EXPECT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(42, a.test.retval);
	test_attr(&a, p_sum);
	a.test.ctx_in = PTR(args);
	a.test.ctx_size_in = 3 * 8;
	a.test.flags = XBPF_F_TEST_RUN_INTERP;
	EXPECT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(42, a.test.retval);
	/* below max_ctx_offset (24), above 12 args, repeat: refused */
	a.test.flags = 0;
	a.test.ctx_size_in = 2 * 8;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	a.test.ctx_size_in = 13 * 8;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	a.test.ctx_size_in = 3 * 8;
	a.test.repeat = 2;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);

	test_attr(&a, p_last);
	a.test.ctx_in = PTR(args);
	a.test.ctx_size_in = 12 * 8;
	EXPECT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(77, a.test.retval);

	/* Linux's tracepoint programs have no test run either */
	test_attr(&a, p_tp);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(524, errno);	/* ENOTSUPP */
	close(p_sum);
	close(p_last);
	close(p_tp);
}

static pid_t hammer(void)
{
	pid_t pid = fork();

	if (!pid)
		for (;;)
			syscall(SYS_getppid);
	return pid;
}

/*
 * Links opened and closed (every other one detached first) while four
 * processes keep the tracepoint busy on every CPU: probes or handlers in
 * flight when a link goes finish before its program can; the rig checks
 * the kernel log.  An anchor link keeps the tracepoint enabled, so the
 * churn changes only the probe list (as test_kprobe's anchor).  The
 * children are filtered out: exactly our own calls are counted.
 */
static void churn(struct __test_metadata *_metadata, bool raw)
{
	struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };
	const char *name = raw ? "sys_enter" : TP_EVENT;
	long base = base_refcnt();
	struct pb pb, *p = &pb;
	int map, prog, anchor_prog, link, anchor, i, off = 8;
	union xbpf_attr a;
	pid_t kids[4];

	if (!raw) {
		off = format_offset("__syscall_nr");
		if (off < 0)
			SKIP(return, "no tracefs format for " TP_EVENT);
	}
	map = new_map(SYS_getppid);
	ASSERT_LE(0, map);
	build(p, map, raw, off);
	prog = load(p, raw ? XBPF_PROG_TYPE_RAW_TRACEPOINT : XBPF_PROG_TYPE_TRACEPOINT);
	ASSERT_LE(0, prog);
	anchor_prog = PROG_LOAD(raw ? XBPF_PROG_TYPE_RAW_TRACEPOINT : XBPF_PROG_TYPE_TRACEPOINT,
				ret0);
	ASSERT_LE(0, anchor_prog);
	anchor = tp_open(anchor_prog, name);
	ASSERT_LE(0, anchor);
	for (i = 0; i < 4; i++) {
		kids[i] = hammer();
		ASSERT_LT(0, kids[i]);
	}
	for (i = 0; i < 30; i++) {
		link = tp_open(prog, name);
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
	link = tp_open(prog, name);
	ASSERT_LE(0, link);
	close(prog);
	getppid_n(20);
	close(link);
	for (i = 0; i < 4; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	close(anchor);
	close(anchor_prog);
	EXPECT_EQ(31 * 20, slot(map, S_COUNT));
	close(map);
	EXPECT_EQ(base, wait_refcnt(base, 10000));
}

TEST(raw_detach_under_load) { churn(_metadata, true); }
TEST(tp_detach_under_load) { churn(_metadata, false); }

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Programs through /dev/xbpf: load-time validation, the verifier log,
 * license and name rules, test runs of SOCKET_FILTER and SYSCALL
 * programs, checked-mode faults, info by fd, and fd close orders.
 */
#include <stddef.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

static const struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };

/* r0 = skb->len */
static const struct xbpf_insn skb_len[] = {
	I_LDX(XBPF_W, 0, 1, SKB_LEN), I_EXIT(),
};

static int load_with_log(union xbpf_attr *a, __u32 level, char *buf,
			 __u32 size)
{
	a->log_level = level;
	a->log_buf = PTR(buf);
	a->log_size = size;
	return xbpf_call(XBPF_PROG_LOAD, a);
}

TEST(load_sizes_and_types)
{
	union xbpf_attr a;
	struct xbpf_insn *big;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	EXPECT_EQ(-1, prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, ret0,
				XBPF_COMPLEXITY_LIMIT_INSNS + 1));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 0xffffffffu));
	EXPECT_EQ(E2BIG, errno);
	/* insn_cnt larger than the buffer behind insns: the copy faults */
	big = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, big);
	EXPECT_EQ(-1, prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, big, 4096));
	EXPECT_EQ(EFAULT, errno);
	munmap(big, 4096);

	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_UNSPEC, ret0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_PERF_EVENT, ret0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, PROG_LOAD(1000, ret0));
	EXPECT_EQ(EINVAL, errno);

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.prog_flags = 1U << 31;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(EINVAL, errno);
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.fd_array = PTR(&fd);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(EINVAL, errno);

	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	EXPECT_LE(0, fd) TH_LOG("socket filter: %s", strerror(errno));
	close(fd);
	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, ret0);
	EXPECT_LE(0, fd) TH_LOG("syscall: %s", strerror(errno));
	close(fd);
}

TEST(bad_programs)
{
	static const struct xbpf_insn bad_op[] = {
		I_RAW(0xff, 0, 0, 0, 0), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	static const struct xbpf_insn no_exit[] = { I_MOV64_IMM(0, 0) };
	static const struct xbpf_insn jmp_out[] = {
		I_RAW(XBPF_JMP | XBPF_JA, 0, 0, 5, 0), I_EXIT(),
	};
	static const struct xbpf_insn write_r10[] = {
		I_MOV64_IMM(10, 0), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	static const struct xbpf_insn bad_reg[] = {
		I_MOV64_IMM(11, 0), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	static const struct xbpf_insn half_lddw[] = {
		I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, 0, 0, 0, 1), I_EXIT(),
	};

	ASSERT_LE(0, xbpf_dev());
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, bad_op));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, no_exit));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, jmp_out));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, write_r10));
	EXPECT_NE(0, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, bad_reg));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, half_lddw));
	EXPECT_EQ(EINVAL, errno);
}

TEST(log_buffer_rules)
{
	static const struct xbpf_insn bad_op[] = {
		I_RAW(0xff, 0, 0, 0, 0), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	char buf[4096];
	union xbpf_attr a;

	ASSERT_LE(0, xbpf_dev());
	/* a buffer under 128 bytes, a level without a buffer, a buffer without a level */
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	EXPECT_EQ(-1, load_with_log(&a, 1, buf, 127));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, load_with_log(&a, 1, buf, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, load_with_log(&a, 1, NULL, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, load_with_log(&a, 0, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, load_with_log(&a, 1U << 10, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);

	/* a rejected program says why */
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, bad_op, 3);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(-1, load_with_log(&a, 1, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(0, buf[0]) TH_LOG("empty log for a bad opcode");
	EXPECT_EQ(strlen(buf) + 1, a.log_true_size);
	TH_LOG("bad opcode log: %.200s", buf);

	/* the module's own refusals are logged too */
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.core_relo_cnt = 1;
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(-1, load_with_log(&a, 1, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(buf, "not supported")) TH_LOG("log: %s", buf);

	/* a log the buffer cannot hold */
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, bad_op, 3);
	EXPECT_EQ(-1, load_with_log(&a, 1, (char *)8, sizeof(buf)));
	EXPECT_EQ(EFAULT, errno);
}

TEST(log_truncation_enospc)
{
	enum { N = 300 };
	static struct xbpf_insn p[N];
	static char full[1 << 20];
	char small[128];
	union xbpf_attr a;
	/*
	 * No XBPF_LOG_STATS: its "verification time" line varies from load
	 * to load, and this test compares two loads' log sizes.
	 */
	__u32 level = XBPF_LOG_LEVEL1 | XBPF_LOG_LEVEL2;
	__u32 true_size;
	int fd, i;

	ASSERT_LE(0, xbpf_dev());
	for (i = 0; i < N - 1; i++)
		p[i] = (struct xbpf_insn)I_MOV64_IMM(0, i);
	p[N - 1] = (struct xbpf_insn)I_EXIT();

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, p, N);
	fd = load_with_log(&a, level, full, sizeof(full));
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	close(fd);
	true_size = a.log_true_size;
	EXPECT_EQ(strlen(full) + 1, true_size);
	TH_LOG("verbose log of a %d-insn program: %u bytes", N, true_size);
	if (true_size <= sizeof(small))
		SKIP(return, "the verbose log fits in 128 bytes; nothing to truncate");

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, p, N);
	memset(small, 'x', sizeof(small));
	EXPECT_EQ(-1, load_with_log(&a, level, small, sizeof(small)));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(0, small[sizeof(small) - 1]);
	EXPECT_EQ(sizeof(small) - 1, strlen(small));
	EXPECT_EQ(0, strncmp(small, full, sizeof(small) - 1));
	EXPECT_EQ(true_size, a.log_true_size);

	/* exactly log_true_size bytes hold the whole log: no ENOSPC (6.4's rule) */
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, p, N);
	memset(full, 'x', true_size + 16);
	fd = load_with_log(&a, level, full, true_size);
	EXPECT_LE(0, fd) TH_LOG("retry with log_true_size: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(true_size - 1, strlen(full));
	EXPECT_EQ('x', full[true_size]);
}

TEST(license_and_name)
{
	struct { const char *lic; int gpl; } l[] = {
		{ "GPL", 1 }, { "GPL v2", 1 }, { "GPL and additional rights", 1 },
		{ "Dual BSD/GPL", 1 }, { "Dual MIT/GPL", 1 }, { "Dual MPL/GPL", 1 },
		{ "Proprietary", 0 }, { "GPLv2", 0 }, { "", 0 },
	};
	struct xbpf_prog_info info;
	union xbpf_attr a;
	unsigned int i;
	__u32 len;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	for (i = 0; i < ARRAY_LEN(l); i++) {
		prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
		a.license = PTR(l[i].lic);
		fd = xbpf_call(XBPF_PROG_LOAD, &a);
		ASSERT_LE(0, fd) TH_LOG("license '%s': %s", l[i].lic, strerror(errno));
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		ASSERT_EQ(0, prog_info(fd, &info, &len));
		EXPECT_EQ(l[i].gpl, (int)info.gpl_compatible) TH_LOG("license '%s'", l[i].lic);
		close(fd);
	}
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	a.license = 0;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(EFAULT, errno);

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, ret0, 2);
	strcpy(a.prog_name, "bad name");
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(EINVAL, errno);
	memset(a.prog_name, 'n', sizeof(a.prog_name));
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(EINVAL, errno);
	memset(a.prog_name, 0, sizeof(a.prog_name));
	strcpy(a.prog_name, "Good_name.15chr");
	fd = xbpf_call(XBPF_PROG_LOAD, &a);
	ASSERT_LE(0, fd);
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(fd, &info, &len));
	EXPECT_STREQ("Good_name.15chr", info.name);
	close(fd);
}

TEST(socket_filter_run)
{
	/* LD_ABS takes the context from R6, which Linux's verifier requires */
	static const struct xbpf_insn ldabs[] = {
		I_MOV64_REG(6, 1), I_LD_ABS(XBPF_B, 0), I_EXIT(),
	};
	static const struct xbpf_insn proto[] = {
		I_LDX(XBPF_W, 0, 1, SKB_PROTOCOL), I_EXIT(),
	};
	unsigned char frame[60], out[128];
	union xbpf_attr a;
	__u32 ret;
	int fd, fd2, fd3, i;

	ASSERT_LE(0, xbpf_dev());
	make_frame(frame, sizeof(frame));
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, skb_len);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));

	/* len is the frame minus the Ethernet header */
	ASSERT_EQ(0, run_skb(fd, frame, sizeof(frame), &ret));
	EXPECT_EQ(sizeof(frame) - 14, ret);
	EXPECT_EQ(-1, run_skb(fd, frame, 13, &ret));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, run_skb(fd, frame, 64 * 1024 + 1, &ret));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, run_skb(fd, NULL, 60, &ret));
	EXPECT_EQ(EFAULT, errno);
	/* IPv4 ethertype with less than an IP header */
	EXPECT_EQ(-1, run_skb(fd, frame, 20, &ret));
	EXPECT_EQ(EINVAL, errno);

	/* LD_ABS reads from the network header */
	fd2 = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ldabs);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, run_skb(fd2, frame, sizeof(frame), &ret));
	EXPECT_EQ(frame[14], ret);
	/* protocol, in network order as Linux stores it */
	fd3 = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, proto);
	ASSERT_LE(0, fd3);
	ASSERT_EQ(0, run_skb(fd3, frame, sizeof(frame), &ret));
	EXPECT_EQ(0x0008, ret);

	/* data_out: the frame back, link-layer header zeroed */
	test_attr(&a, fd);
	a.test.data_in = PTR(frame);
	a.test.data_size_in = sizeof(frame);
	a.test.data_out = PTR(out);
	a.test.data_size_out = sizeof(out);
	memset(out, 0xa5, sizeof(out));
	ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(sizeof(frame), a.test.data_size_out);
	for (i = 0; i < 14; i++)
		EXPECT_EQ(0, out[i]);
	EXPECT_EQ(0, memcmp(out + 14, frame + 14, sizeof(frame) - 14));
	EXPECT_EQ(0xa5, out[sizeof(frame)]);

	/* too small: what fits, the full size, ENOSPC, retval still set */
	memset(out, 0xa5, sizeof(out));
	a.test.data_size_out = 20;
	a.test.retval = 0;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(sizeof(frame), a.test.data_size_out);
	EXPECT_EQ(sizeof(frame) - 14, a.test.retval);
	EXPECT_EQ(0, memcmp(out + 14, frame + 14, 6));
	EXPECT_EQ(0xa5, out[20]);

	/* flags and cpu */
	test_attr(&a, fd);
	a.test.data_in = PTR(frame);
	a.test.data_size_in = sizeof(frame);
	a.test.flags = XBPF_F_TEST_RUN_ON_CPU;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	a.test.flags = 0;
	a.test.cpu = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);

	/* test-run on a map fd, on nothing */
	a.test.cpu = 0;
	a.test.prog_fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, (int)a.test.prog_fd);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	close(a.test.prog_fd);
	a.test.prog_fd = 9999;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EBADF, errno);
	close(fd3);
	close(fd2);
	close(fd);
}

TEST(socket_filter_ctx)
{
	/* cb[0] = mark + priority; r0 = mark */
	static const struct xbpf_insn p[] = {
		I_LDX(XBPF_W, 2, 1, SKB_MARK),
		I_LDX(XBPF_W, 3, 1, SKB_PRIORITY),
		I_ADD64_REG(3, 2),
		I_STX(XBPF_W, 1, 3, SKB_CB0),
		I_MOV64_REG(0, 2),
		I_EXIT(),
	};
	unsigned char frame[60];
	__u32 cin[SKB_SIZE / 4 + 4], cout[SKB_SIZE / 4 + 4];
	union xbpf_attr a;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	make_frame(frame, sizeof(frame));
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));

	memset(cin, 0, sizeof(cin));
	cin[SKB_MARK / 4] = 7;
	cin[SKB_PRIORITY / 4] = 5;
	cin[SKB_CB0 / 4 + 4] = 99;	/* cb[4] may be set too */
	test_attr(&a, fd);
	a.test.data_in = PTR(frame);
	a.test.data_size_in = sizeof(frame);
	a.test.ctx_in = PTR(cin);
	a.test.ctx_size_in = SKB_SIZE;
	a.test.ctx_out = PTR(cout);
	a.test.ctx_size_out = SKB_SIZE;
	memset(cout, 0xa5, sizeof(cout));
	ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(7, a.test.retval);
	EXPECT_EQ(SKB_SIZE, a.test.ctx_size_out);
	EXPECT_EQ(7, cout[SKB_MARK / 4]);
	EXPECT_EQ(12, cout[SKB_CB0 / 4]);
	EXPECT_EQ(99, cout[SKB_CB0 / 4 + 4]);
	EXPECT_EQ(0xa5a5a5a5, cout[SKB_SIZE / 4]);

	/* ctx_out too small */
	a.test.ctx_size_out = 4;
	memset(cout, 0xa5, sizeof(cout));
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(SKB_SIZE, a.test.ctx_size_out);
	EXPECT_EQ(0xa5a5a5a5, cout[1]);

	/* a field other than mark, priority, cb[] */
	a.test.ctx_size_out = SKB_SIZE;
	cin[SKB_LEN / 4] = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	cin[SKB_LEN / 4] = 0;
	cin[SKB_PROTOCOL / 4] = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	cin[SKB_PROTOCOL / 4] = 0;

	/* a longer ctx_in: zero tail fine, dirty tail E2BIG */
	a.test.ctx_size_in = sizeof(cin);
	EXPECT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	cin[SKB_SIZE / 4 + 2] = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(E2BIG, errno);
	close(fd);
}

TEST(syscall_run)
{
	/* *(u32 *)(r1 + 0) = r2; r0 = *(u32 *)(r1 + 4) + r2 */
	static const struct xbpf_insn p[] = {
		I_STX(XBPF_W, 1, 2, 0),
		I_LDX(XBPF_W, 0, 1, 4),
		I_ADD64_REG(0, 2),
		I_EXIT(),
	};
	__u32 ctx[4] = { 0, 100, 0, 0 }, out[8];
	unsigned char d[16];
	union xbpf_attr a;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));

	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = 8;
	a.test.ctx_out = PTR(out);
	a.test.ctx_size_out = sizeof(out);
	memset(out, 0xa5, sizeof(out));
	ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(108, a.test.retval);
	EXPECT_EQ(8, a.test.ctx_size_out);
	EXPECT_EQ(8, out[0]);
	EXPECT_EQ(100, out[1]);
	EXPECT_EQ(0xa5a5a5a5, out[2]);
	EXPECT_EQ(0, ctx[0]);	/* ctx_in untouched when ctx_out is given */

	/* without ctx_out the buffer goes back to ctx_in, as in Linux */
	a.test.ctx_out = 0;
	a.test.ctx_size_out = 0;
	ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(8, ctx[0]);

	/* ctx_out too small */
	a.test.ctx_out = PTR(out);
	a.test.ctx_size_out = 4;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(8, a.test.ctx_size_out);

	/* no packet for syscall programs; ctx at most U16_MAX */
	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = 8;
	a.test.data_in = PTR(d);
	a.test.data_size_in = sizeof(d);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	test_attr(&a, fd);
	a.test.data_out = PTR(d);
	a.test.data_size_out = sizeof(d);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = 65536;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	a.test.ctx_in = 0;
	a.test.ctx_size_in = 8;
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST(repeat_and_duration)
{
	struct xbpf_prog_info info;
	unsigned char frame[60];
	union xbpf_attr a;
	__u32 len;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	make_frame(frame, sizeof(frame));
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, skb_len);
	ASSERT_LE(0, fd);

	test_attr(&a, fd);
	a.test.data_in = PTR(frame);
	a.test.data_size_in = sizeof(frame);
	a.test.repeat = 10000;
	ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(sizeof(frame) - 14, a.test.retval);
	EXPECT_LT(0, a.test.duration);
	EXPECT_GT(10 * 1000 * 1000, a.test.duration) TH_LOG("average %u ns", a.test.duration);
	TH_LOG("10000 runs, %u ns each", a.test.duration);

	/* repeat 0 runs once */
	a.test.repeat = 0;
	ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));

	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(fd, &info, &len));
	EXPECT_EQ(10001, info.run_cnt);
	EXPECT_LT(0, info.run_time_ns);
	close(fd);
}

/*
 * The walk refuses at load what would fault at run time, and a SYSCALL
 * program's test-run needs the context bytes the walk saw it touch.
 */
TEST(unsafe_refused_at_load)
{
	/* reads ctx byte 8: needs a 9-byte context */
	static const struct xbpf_insn past_ctx[] = {
		I_LDX(XBPF_B, 0, 1, 8), I_EXIT(),
	};
	/* reads address 0 */
	static const struct xbpf_insn null_read[] = {
		I_MOV64_IMM(1, 0), I_LDX(XBPF_DW, 0, 1, 0), I_EXIT(),
	};
	/* writes far below the stack */
	static const struct xbpf_insn stack_under[] = {
		I_ST(XBPF_DW, 10, -4096, 1), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	/* socket filter: reads past the __sk_buff */
	static const struct xbpf_insn past_skb[] = {
		I_LDX(XBPF_W, 0, 1, SKB_SIZE), I_EXIT(),
	};
	unsigned char frame[60], ctx[8] = { 0 };
	char log[4096];
	union xbpf_attr a;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	make_frame(frame, sizeof(frame));

	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, past_ctx);
	ASSERT_LE(0, fd);
	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = sizeof(ctx);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EINVAL, errno);
	/* one byte more context and the same program runs */
	a.test.ctx_size_in = sizeof(ctx) + 1;
	a.test.ctx_in = PTR(frame);
	EXPECT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(frame[8], a.test.retval);
	close(fd);

	prog_attr(&a, XBPF_PROG_TYPE_SYSCALL, null_read, ARRAY_LEN(null_read));
	EXPECT_EQ(-1, load_with_log(&a, 1, log, sizeof(log)));
	EXPECT_EQ(EACCES, errno);
	EXPECT_NE(NULL, strstr(log, "R1 invalid mem access 'scalar'")) TH_LOG("%s", log);

	prog_attr(&a, XBPF_PROG_TYPE_SYSCALL, stack_under, ARRAY_LEN(stack_under));
	EXPECT_EQ(-1, load_with_log(&a, 1, log, sizeof(log)));
	EXPECT_EQ(EACCES, errno);
	EXPECT_NE(NULL, strstr(log, "invalid write to stack")) TH_LOG("%s", log);

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, past_skb, ARRAY_LEN(past_skb));
	EXPECT_EQ(-1, load_with_log(&a, 1, log, sizeof(log)));
	EXPECT_EQ(EACCES, errno);
	EXPECT_NE(NULL, strstr(log, "invalid bpf_context access")) TH_LOG("%s", log);
}

/*
 * A CAP_SYS_ADMIN program that uses something the walk does not follow
 * yet (here a sign-extending context load) is loaded unproved and runs
 * under the checking memory model: a bad access is EFAULT, not a kernel
 * fault.
 */
TEST(unproved_runs_checked)
{
	static const struct xbpf_insn null_read[] = {
		I_RAW(XBPF_LDX | XBPF_MEMSX | XBPF_W, 2, 1, 0, 0),
		I_MOV64_IMM(1, 0), I_LDX(XBPF_DW, 0, 1, 0), I_EXIT(),
	};
	char log[4096];
	union xbpf_attr a;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	prog_attr(&a, XBPF_PROG_TYPE_SYSCALL, null_read, ARRAY_LEN(null_read));
	fd = load_with_log(&a, 1, log, sizeof(log));
	ASSERT_LE(0, fd) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "check: not yet supported")) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "will run under the checking memory model")) TH_LOG("%s", log);
	test_attr(&a, fd);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_TEST_RUN, &a));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

/* r0 = value of map[0] (u32), or 0 if the lookup fails */
#define LOOKUP_PROG(mapfd)						\
	I_ST(XBPF_W, 10, -4, 0),					\
	I_MOV64_REG(2, 10),						\
	I_ADD64_IMM(2, -4),						\
	I_LD_MAP_FD(1, mapfd),						\
	I_CALL(XBPF_FUNC_map_lookup_elem),				\
	I_JEQ_IMM(0, 0, 1),						\
	I_LDX(XBPF_W, 0, 0, 0),						\
	I_EXIT()

static int load_lookup_prog(int mfd)
{
	struct xbpf_insn p[] = { LOOKUP_PROG(mfd) };

	return PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
}

static int run_syscall(int fd, __u32 *ret)
{
	union xbpf_attr a;
	int r;

	test_attr(&a, fd);
	r = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	*ret = a.test.retval;
	return r;
}

TEST(prog_info_by_fd)
{
	struct xbpf_insn p[] = {
		I_LD_MAP_FD(1, 0), I_LD_MAP_FD(2, 0), I_MOV64_IMM(0, 0), I_EXIT(),
	};
	struct xbpf_insn xl[16];
	struct xbpf_map_info mi1, mi2;
	struct xbpf_prog_info info, i2;
	unsigned char big[sizeof(info) + 16];
	__u32 ids[4], len;
	union xbpf_attr a;
	int m1, m2, fd, fd2;
	__u8 tag[XBPF_TAG_SIZE];

	ASSERT_LE(0, xbpf_dev());
	m1 = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	m2 = map_create(XBPF_MAP_TYPE_HASH, 4, 4, 1);
	ASSERT_LE(0, m1);
	ASSERT_LE(0, m2);
	p[0].imm = m1;
	p[2].imm = m2;
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_LEN(p));
	strcpy(a.prog_name, "info_test");
	fd = xbpf_call(XBPF_PROG_LOAD, &a);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	ASSERT_EQ(0, map_info(m1, &mi1));
	ASSERT_EQ(0, map_info(m2, &mi2));

	memset(&info, 0, sizeof(info));
	memset(ids, 0, sizeof(ids));
	info.nr_map_ids = 4;
	info.map_ids = PTR(ids);
	info.xlated_prog_len = sizeof(xl);
	info.xlated_prog_insns = PTR(xl);
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(fd, &info, &len));
	EXPECT_EQ(sizeof(info), len);
	EXPECT_EQ(XBPF_PROG_TYPE_SOCKET_FILTER, info.type);
	EXPECT_NE(0, info.id);
	EXPECT_STREQ("info_test", info.name);
	EXPECT_EQ(1, (int)info.gpl_compatible);
	EXPECT_NE(0, info.load_time);
	EXPECT_EQ(getuid(), info.created_by_uid);
	memset(tag, 0, sizeof(tag));
	EXPECT_NE(0, memcmp(tag, info.tag, sizeof(tag))) TH_LOG("tag is all zero");
	EXPECT_EQ(2, info.nr_map_ids);
	EXPECT_TRUE((ids[0] == mi1.id && ids[1] == mi2.id) ||
		    (ids[0] == mi2.id && ids[1] == mi1.id))
		TH_LOG("map ids %u %u, maps %u %u", ids[0], ids[1], mi1.id, mi2.id);
	EXPECT_EQ(0, ids[2]);
	EXPECT_EQ(ARRAY_LEN(p) * sizeof(struct xbpf_insn), info.xlated_prog_len);
	EXPECT_EQ(PTR(xl), info.xlated_prog_insns);
	EXPECT_EQ(p[4].code, xl[4].code);
	EXPECT_EQ(p[5].code, xl[5].code);
	/* the module's default jit=auto JITs it (test_jit checks the runs) */
	EXPECT_LT(0, info.jited_prog_len);
	EXPECT_EQ(0, info.jited_prog_insns);	/* no buffer given: untouched */

	/* map_ids capacity 1: one id copied, the count is still 2 */
	memset(&info, 0, sizeof(info));
	memset(ids, 0, sizeof(ids));
	info.nr_map_ids = 1;
	info.map_ids = PTR(ids);
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(fd, &info, &len));
	EXPECT_EQ(2, info.nr_map_ids);
	EXPECT_NE(0, ids[0]);
	EXPECT_EQ(0, ids[1]);
	/* a bad map_ids pointer */
	info.nr_map_ids = 2;
	info.map_ids = 8;
	len = sizeof(info);
	EXPECT_EQ(-1, prog_info(fd, &info, &len));
	EXPECT_EQ(EFAULT, errno);

	/* lengths: longer with zero tail, dirty tail, shorter */
	memset(big, 0, sizeof(big));
	len = sizeof(big);
	ASSERT_EQ(0, prog_info(fd, (void *)big, &len));
	EXPECT_EQ(sizeof(info), len);
	big[sizeof(big) - 1] = 1;
	len = sizeof(big);
	EXPECT_EQ(-1, prog_info(fd, (void *)big, &len));
	EXPECT_EQ(E2BIG, errno);
	memset(big, 0xa5, sizeof(big));
	len = 8;
	ASSERT_EQ(0, prog_info(fd, (void *)big, &len));
	EXPECT_EQ(8, len);
	EXPECT_EQ(XBPF_PROG_TYPE_SOCKET_FILTER, ((struct xbpf_prog_info *)big)->type);
	EXPECT_EQ(0xa5, big[8]);

	/* two loads of the same program: distinct ids, same tag */
	fd2 = xbpf_call(XBPF_PROG_LOAD, &a);
	ASSERT_LE(0, fd2);
	memset(&i2, 0, sizeof(i2));
	len = sizeof(i2);
	ASSERT_EQ(0, prog_info(fd2, &i2, &len));
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(fd, &info, &len));
	EXPECT_NE(info.id, i2.id);
	EXPECT_EQ(0, memcmp(info.tag, i2.tag, sizeof(tag)));
	close(fd2);
	close(fd);
	close(m2);
	close(m1);
}

TEST(close_prog_then_map)
{
	__u32 k = 0, v = 77, ret;
	int m, fd;

	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, m);
	ASSERT_EQ(0, map_update(m, &k, &v, 0));
	fd = load_lookup_prog(m);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	ASSERT_EQ(0, run_syscall(fd, &ret));
	EXPECT_EQ(77, ret);
	ASSERT_EQ(0, close(fd));
	/* the map lives on and still works */
	v = 0;
	ASSERT_EQ(0, map_lookup(m, &k, &v));
	EXPECT_EQ(77, v);
	ASSERT_EQ(0, close(m));
}

TEST(close_map_then_prog)
{
	struct xbpf_prog_info info;
	__u32 k = 0, v = 78, ret, id = 0, len;
	int m, fd;

	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, m);
	ASSERT_EQ(0, map_update(m, &k, &v, 0));
	fd = load_lookup_prog(m);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	ASSERT_EQ(0, close(m));
	/* the program keeps the map alive */
	usleep(100 * 1000);
	ASSERT_EQ(0, run_syscall(fd, &ret));
	EXPECT_EQ(78, ret);
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 1;
	info.map_ids = PTR(&id);
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(fd, &info, &len));
	EXPECT_EQ(1, info.nr_map_ids);
	EXPECT_NE(0, id);
	ASSERT_EQ(0, close(fd));
}

TEST(close_device_first)
{
	__u32 k = 0, v = 79, ret;
	int m, fd;

	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, m);
	ASSERT_EQ(0, map_update(m, &k, &v, 0));
	fd = load_lookup_prog(m);
	ASSERT_LE(0, fd);
	/* objects do not depend on the device fd that made them */
	ASSERT_EQ(0, close(xbpf_dev_fd));
	xbpf_dev_fd = -1;
	ASSERT_EQ(0, run_syscall(fd, &ret));
	EXPECT_EQ(79, ret);
	ASSERT_EQ(0, close(m));
	ASSERT_EQ(0, run_syscall(fd, &ret));
	EXPECT_EQ(79, ret);
	ASSERT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * BTF objects through /dev/xbpf: BTF_LOAD gives an fd with an id, a bad
 * blob is refused with a log, CAP_BPF is required, PROG_LOAD with
 * func_info holds the BTF after its fd is closed, func_info must match
 * the subprograms, LD_ABS in a subprogram returning int loads, and the
 * module cannot be unloaded while a BTF object lives.
 */
#include <stddef.h>
#include <linux/xbpf_btf.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"


/*
 * ids: 1 int, 2 func_proto int(void), 3 func "main", 4 func "sub",
 * 5 ptr -> int, 6 func_proto int *(void), 7 func "psub".
 * strings: "", "int", "main", "sub", "psub", "f.c".
 */
static const char btf_strs[] = "\0int\0main\0sub\0psub\0f.c";
#define S_INT	1
#define S_MAIN	5
#define S_SUB	10
#define S_PSUB	14
#define S_FILE	19

static const __u32 btf_types[] = {
	S_INT, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 4, XBPF_BTF_INT_ENC(XBPF_BTF_INT_SIGNED, 0, 32),
	0, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC_PROTO, 0, 0), 1,
	S_MAIN, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, XBPF_BTF_FUNC_GLOBAL), 2,
	S_SUB, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, XBPF_BTF_FUNC_STATIC), 2,
	0, XBPF_BTF_INFO(XBPF_BTF_KIND_PTR, 0, 0), 1,
	0, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC_PROTO, 0, 0), 5,
	S_PSUB, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, XBPF_BTF_FUNC_STATIC), 6,
};

static unsigned char blob[512];

static __u32 build_blob(void)
{
	struct xbpf_btf_header h = {
		.magic = XBPF_BTF_MAGIC,
		.version = XBPF_BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = sizeof(btf_types),
		.str_off = sizeof(btf_types),
		.str_len = sizeof(btf_strs),
	};

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), btf_types, sizeof(btf_types));
	memcpy(blob + sizeof(h) + sizeof(btf_types), btf_strs, sizeof(btf_strs));
	return sizeof(h) + sizeof(btf_types) + sizeof(btf_strs);
}

static int btf_load(const void *data, __u32 size, char *log, __u32 log_size)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.btf = PTR(data);
	a.btf_size = size;
	if (log) {
		a.btf_log_buf = PTR(log);
		a.btf_log_size = log_size;
		a.btf_log_level = 1;
	}
	return xbpf_call(XBPF_BTF_LOAD, &a);
}

static int btf_info(int fd, struct xbpf_btf_info *info)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(info, 0, sizeof(*info));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(*info);
	a.info.info = PTR(info);
	return xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a);
}

static int btf_fd_by_id(__u32 id)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.btf_id = id;
	return xbpf_call(XBPF_BTF_GET_FD_BY_ID, &a);
}

/* main calls sub (insn 2), which returns 1; main returns sub's value */
static const struct xbpf_insn two_funcs[] = {
	I_RAW(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, 1),
	I_EXIT(),
	I_MOV64_IMM(0, 1),
	I_EXIT(),
};

static int load_with_finfo(const struct xbpf_insn *insns, __u32 cnt, int btf_fd,
			   const struct xbpf_func_info *fi, __u32 nfi,
			   const struct xbpf_line_info *li, __u32 nli, char *log, __u32 log_size)
{
	union xbpf_attr a;

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, insns, cnt);
	a.prog_btf_fd = btf_fd;
	a.func_info = PTR(fi);
	a.func_info_cnt = nfi;
	a.func_info_rec_size = sizeof(*fi);
	a.line_info = PTR(li);
	a.line_info_cnt = nli;
	a.line_info_rec_size = sizeof(*li);
	if (log) {
		memset(log, 0, log_size);
		a.log_buf = PTR(log);
		a.log_size = log_size;
		a.log_level = 1;
	}
	return xbpf_call(XBPF_PROG_LOAD, &a);
}

TEST(btf_load_fd_id_info)
{
	struct xbpf_btf_info info;
	__u32 size = build_blob();
	unsigned char copy[512];
	int fd, fd2;

	ASSERT_LE(0, xbpf_dev());
	fd = btf_load(blob, size, NULL, 0);
	ASSERT_LE(0, fd) TH_LOG("BTF_LOAD: %s", strerror(errno));

	ASSERT_EQ(0, btf_info(fd, &info));
	EXPECT_LT(0, info.id);
	EXPECT_EQ(size, info.btf_size);
	EXPECT_EQ(0, info.kernel_btf);

	/* the blob comes back as loaded */
	memset(&info, 0, sizeof(info));
	memset(copy, 0, sizeof(copy));
	{
		union xbpf_attr a;

		memset(&a, 0, sizeof(a));
		info.btf = PTR(copy);
		info.btf_size = sizeof(copy);
		a.info.bpf_fd = fd;
		a.info.info_len = sizeof(info);
		a.info.info = PTR(&info);
		ASSERT_EQ(0, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
		EXPECT_EQ(0, memcmp(copy, blob, size));
	}

	fd2 = btf_fd_by_id(info.id);
	EXPECT_LE(0, fd2) TH_LOG("BTF_GET_FD_BY_ID: %s", strerror(errno));
	close(fd2);
	close(fd);
}

TEST(bad_btf_einval_with_log)
{
	__u32 size = build_blob();
	char log[4096];

	ASSERT_LE(0, xbpf_dev());
	blob[0] ^= 0xff;	/* magic */
	memset(log, 0, sizeof(log));
	EXPECT_EQ(-1, btf_load(blob, size, log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "Invalid magic")) TH_LOG("log: %s", log);

	/* a type id out of range */
	size = build_blob();
	((struct xbpf_btf_type *)(blob + sizeof(struct xbpf_btf_header) + 16))->type = 99;
	memset(log, 0, sizeof(log));
	EXPECT_EQ(-1, btf_load(blob, size, log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "Invalid return type")) TH_LOG("log: %s", log);

	/* a log level without a buffer, as bpf(2) */
	size = build_blob();
	{
		union xbpf_attr a;

		memset(&a, 0, sizeof(a));
		a.btf = PTR(blob);
		a.btf_size = size;
		a.btf_log_level = 1;
		EXPECT_EQ(-1, xbpf_call(XBPF_BTF_LOAD, &a));
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST(btf_load_needs_cap_bpf)
{
	__u32 size = build_blob();
	int fd;

	ASSERT_EQ(0, geteuid()) TH_LOG("run as root");
	ASSERT_LE(0, xbpf_dev());
	ASSERT_EQ(0, set_effective(0)) TH_LOG("capset: %s", strerror(errno));
	EXPECT_EQ(-1, btf_load(blob, size, NULL, 0));
	EXPECT_EQ(EPERM, errno);

	ASSERT_EQ(0, set_effective(1ULL << CAP_BPF)) TH_LOG("capset: %s", strerror(errno));
	fd = btf_load(blob, size, NULL, 0);
	EXPECT_LE(0, fd) TH_LOG("BTF_LOAD with CAP_BPF: %s", strerror(errno));
	close(fd);
	ASSERT_EQ(0, set_effective((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_BPF) |
				   (1ULL << CAP_PERFMON)));
}

TEST(prog_with_func_info_holds_btf)
{
	const struct xbpf_func_info fi[] = { { 0, 3 }, { 2, 4 } };
	const struct xbpf_line_info li[] = { { 0, S_FILE, S_FILE, 1 << 10 },
					     { 2, S_FILE, S_FILE, 2 << 10 } };
	struct xbpf_func_info fi_out[2];
	struct xbpf_line_info li_out[2];
	struct xbpf_prog_info info;
	struct xbpf_btf_info binfo;
	unsigned char pkt[64] = { 0 };
	__u32 size = build_blob(), len, retval = 0, id;
	char log[4096];
	int bfd, pfd, fd;

	ASSERT_LE(0, xbpf_dev());
	bfd = btf_load(blob, size, NULL, 0);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(0, btf_info(bfd, &binfo));
	id = binfo.id;

	pfd = load_with_finfo(two_funcs, ARRAY_LEN(two_funcs), bfd, fi, 2, li, 2, log, sizeof(log));
	ASSERT_LE(0, pfd) TH_LOG("PROG_LOAD: %s; log: %s", strerror(errno), log);
	/* the program keeps the BTF alive */
	close(bfd);

	memset(&info, 0, sizeof(info));
	memset(fi_out, 0, sizeof(fi_out));
	memset(li_out, 0, sizeof(li_out));
	info.nr_func_info = 2;
	info.func_info = PTR(fi_out);
	info.nr_line_info = 2;
	info.line_info = PTR(li_out);
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(pfd, &info, &len));
	EXPECT_EQ(id, info.btf_id);
	EXPECT_EQ(2, info.nr_func_info);
	EXPECT_EQ(2, info.nr_line_info);
	EXPECT_EQ(sizeof(struct xbpf_func_info), info.func_info_rec_size);
	EXPECT_EQ(2, fi_out[1].insn_off);
	EXPECT_EQ(4, fi_out[1].type_id);
	EXPECT_EQ(sizeof(struct xbpf_line_info), info.line_info_rec_size);
	EXPECT_EQ(2, li_out[1].insn_off);
	EXPECT_EQ(2 << 10, li_out[1].line_col);

	fd = btf_fd_by_id(id);
	EXPECT_LE(0, fd) TH_LOG("BTF gone while the program holds it: %s", strerror(errno));
	close(fd);

	ASSERT_EQ(0, run_skb(pfd, pkt, sizeof(pkt), &retval));
	EXPECT_EQ(1, retval);
	close(pfd);

	/* the last reference went with the program (after a grace period) */
	for (len = 0; len < 100; len++) {
		fd = btf_fd_by_id(id);
		if (fd < 0)
			break;
		close(fd);
		usleep(50 * 1000);
	}
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ENOENT, errno);
}

TEST(func_info_must_match_subprogs)
{
	const struct xbpf_func_info bad[] = { { 0, 3 }, { 1, 4 } };
	const struct xbpf_func_info notfunc[] = { { 0, 3 }, { 2, 1 } };
	__u32 size = build_blob();
	char log[4096];
	int bfd;

	ASSERT_LE(0, xbpf_dev());
	bfd = btf_load(blob, size, NULL, 0);
	ASSERT_LE(0, bfd);

	EXPECT_EQ(-1, load_with_finfo(two_funcs, ARRAY_LEN(two_funcs), bfd, bad, 2, NULL, 0,
				      log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "func_info BTF section doesn't match subprog layout"))
		TH_LOG("log: %s", log);

	EXPECT_EQ(-1, load_with_finfo(two_funcs, ARRAY_LEN(two_funcs), bfd, bad, 1, NULL, 0,
				      log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "number of funcs in func_info doesn't match number of subprogs"))
		TH_LOG("log: %s", log);

	EXPECT_EQ(-1, load_with_finfo(two_funcs, ARRAY_LEN(two_funcs), bfd, notfunc, 2, NULL, 0,
				      log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "invalid type id 1 in func info")) TH_LOG("log: %s", log);

	/* a map fd is not a BTF fd; fd 9999 is no fd */
	EXPECT_EQ(-1, load_with_finfo(two_funcs, ARRAY_LEN(two_funcs), 9999, bad, 2, NULL, 0,
				      NULL, 0));
	EXPECT_EQ(EBADF, errno);
	close(bfd);
}

/* bpf(2)'s rule for grown records: a non-zero tail fails, the supported size is written back */
TEST(rec_size_written_back)
{
	__u32 fi[2][4] = { { 0, 3, 0, 0 }, { 2, 4, 0, 1 } };
	__u32 li[2][5] = { { 0, S_FILE, S_FILE, 1 << 10, 7 }, { 2, S_FILE, S_FILE, 2 << 10, 0 } };
	__u32 size = build_blob();
	union xbpf_attr a;
	int bfd, pfd;

	ASSERT_LE(0, xbpf_dev());
	bfd = btf_load(blob, size, NULL, 0);
	ASSERT_LE(0, bfd);

	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, two_funcs, ARRAY_LEN(two_funcs));
	a.prog_btf_fd = bfd;
	a.func_info = PTR(fi);
	a.func_info_cnt = 2;
	a.func_info_rec_size = sizeof(fi[0]);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(sizeof(struct xbpf_func_info), a.func_info_rec_size);

	/* zero tails load */
	fi[1][3] = 0;
	a.func_info_rec_size = sizeof(fi[0]);
	pfd = xbpf_call(XBPF_PROG_LOAD, &a);
	EXPECT_LE(0, pfd) TH_LOG("PROG_LOAD: %s", strerror(errno));
	if (pfd >= 0)
		close(pfd);

	a.line_info = PTR(li);
	a.line_info_cnt = 2;
	a.line_info_rec_size = sizeof(li[0]);
	EXPECT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(sizeof(struct xbpf_line_info), a.line_info_rec_size);
	EXPECT_EQ(sizeof(fi[0]), a.func_info_rec_size);
	close(bfd);
}

TEST(ld_abs_in_subprog_needs_scalar_return)
{
	/* main: r6 = ctx, call sub, exit; sub: r6 = ctx, r0 = byte 0 of the packet, exit */
	static const struct xbpf_insn insns[] = {
		I_MOV64_REG(6, 1),
		I_RAW(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, 1),
		I_EXIT(),
		I_MOV64_REG(6, 1),
		I_LD_ABS(XBPF_B, 0),
		I_EXIT(),
	};
	const struct xbpf_func_info ok[] = { { 0, 3 }, { 3, 4 } };
	const struct xbpf_func_info ptr[] = { { 0, 3 }, { 3, 7 } };
	unsigned char pkt[64] = { 0 };
	__u32 size = build_blob(), retval = 0;
	char log[4096];
	int bfd, pfd;

	ASSERT_LE(0, xbpf_dev());
	bfd = btf_load(blob, size, NULL, 0);
	ASSERT_LE(0, bfd);

	EXPECT_EQ(-1, load_with_finfo(insns, ARRAY_LEN(insns), bfd, NULL, 0, NULL, 0,
				      log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "LD_ABS is not allowed in subprogs without BTF"))
		TH_LOG("log: %s", log);

	EXPECT_EQ(-1, load_with_finfo(insns, ARRAY_LEN(insns), bfd, ptr, 2, NULL, 0,
				      log, sizeof(log)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(log, "LD_ABS is only allowed in functions that return 'int'."))
		TH_LOG("log: %s", log);

	/* root or not, proved: the walk follows the failing load's early return */
	pfd = load_with_finfo(insns, ARRAY_LEN(insns), bfd, ok, 2, NULL, 0, log, sizeof(log));
	ASSERT_LE(0, pfd) TH_LOG("PROG_LOAD: %s; log: %s", strerror(errno), log);
	pkt[14] = 0x45;	/* first byte after the Ethernet header (ethertype 0: no L3) */
	ASSERT_EQ(0, run_skb(pfd, pkt, sizeof(pkt), &retval));
	EXPECT_EQ(0x45, retval);
	close(pfd);
	close(bfd);
}

TEST(unload_refused_while_btf_lives)
{
	__u32 size = build_blob();
	long base;
	int bfd;

	ASSERT_EQ(-1, xbpf_dev_fd) TH_LOG("the device must not be open yet");
	base = stable_refcnt();
	ASSERT_LE(0, base) TH_LOG("no %s: is xbpf loaded?", REFCNT_PATH);
	ASSERT_LE(0, xbpf_dev());
	bfd = btf_load(blob, size, NULL, 0);
	ASSERT_LE(0, bfd);
	/* only the BTF object remains: not even the device is open */
	close(xbpf_dev_fd);
	xbpf_dev_fd = -1;

	EXPECT_LT(base, read_refcnt());
	ASSERT_EQ(-1, syscall(SYS_delete_module, "xbpf", O_NONBLOCK))
		TH_LOG("xbpf unloaded under a live BTF object");
	EXPECT_TRUE(errno == EBUSY || errno == EWOULDBLOCK)
		TH_LOG("delete_module: %s", strerror(errno));

	close(bfd);
	EXPECT_EQ(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

TEST_HARNESS_MAIN

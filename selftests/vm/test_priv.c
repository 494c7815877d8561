// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege: capabilities decide what a caller may do (the CAP_BPF split),
 * the device node keeps unprivileged users out.  Each test drops
 * privileges in its own process (the harness forks per test).
 */
#include <stddef.h>
#include <grp.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

#define NOBODY		65534

static const struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };
/* a sign-extending context load: the walk does not follow it yet */
static const struct xbpf_insn unproved[] = {
	I_RAW(XBPF_LDX | XBPF_MEMSX | XBPF_W, 0, 1, 0, 0), I_EXIT(),
};
/* reads an uninitialised register */
static const struct xbpf_insn unsafe[] = { I_MOV64_REG(0, 5), I_EXIT() };

#define UNPRIV_PARAM	XBPF_PARAM("unprivileged")

TEST(no_caps_eperm)
{
	int fd;

	ASSERT_EQ(0, geteuid()) TH_LOG("run as root");
	ASSERT_LE(0, xbpf_dev());
	ASSERT_EQ('N', param_swap_char(UNPRIV_PARAM, 'N')) TH_LOG("the unprivileged parameter is off by default");
	ASSERT_EQ(0, set_effective(0)) TH_LOG("capset: %s", strerror(errno));

	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, ret0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1));
	EXPECT_EQ(EPERM, errno);

	/* restoring CAP_SYS_ADMIN restores both */
	ASSERT_EQ(0, set_effective(1ULL << CAP_SYS_ADMIN));
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	EXPECT_LE(0, fd);
	close(fd);
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST(cap_bpf_only)
{
	struct xbpf_insn xl[4];
	struct xbpf_prog_info info;
	__u32 len;
	int pfd, fd;

	ASSERT_EQ(0, geteuid());
	ASSERT_LE(0, xbpf_dev());
	pfd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	ASSERT_LE(0, pfd);
	ASSERT_EQ(0, set_effective(1ULL << CAP_BPF)) TH_LOG("capset: %s", strerror(errno));

	/* bpf_capable: maps, and programs the verifier proves, of any type */
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	EXPECT_LE(0, fd) TH_LOG("map create with CAP_BPF: %s", strerror(errno));
	close(fd);
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	EXPECT_LE(0, fd) TH_LOG("load with CAP_BPF: %s", strerror(errno));
	close(fd);
	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, ret0);
	EXPECT_LE(0, fd) TH_LOG("SYSCALL load with CAP_BPF: %s", strerror(errno));
	close(fd);
	/* what the walk cannot prove yet is CAP_SYS_ADMIN's to load, unproved */
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, unproved));
	EXPECT_EQ(EOPNOTSUPP, errno);

	/*
	 * bpf_capable is enough for the text, as in bpf(2); only raw
	 * addresses (call immediates, the image) need more (test_dump.c)
	 */
	memset(&info, 0, sizeof(info));
	memset(xl, 0xa5, sizeof(xl));
	info.xlated_prog_len = sizeof(xl);
	info.xlated_prog_insns = PTR(xl);
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(pfd, &info, &len));
	EXPECT_EQ(2 * sizeof(struct xbpf_insn), info.xlated_prog_len);
	EXPECT_EQ(PTR(xl), info.xlated_prog_insns);
	EXPECT_EQ(ret0[1].code, xl[1].code);
	EXPECT_EQ(0xa5, ((unsigned char *)&xl[2])[0]);	/* past the text */
	close(pfd);
}

/*
 * The unprivileged parameter (kernel.unprivileged_bpf_disabled=0 for
 * xbpf): a caller without capabilities may then load socket filters the
 * verifier proves, nothing else.
 */
TEST(unprivileged_param)
{
	char old;
	int fd;

	ASSERT_EQ(0, geteuid());
	ASSERT_LE(0, xbpf_dev());
	old = param_swap_char(UNPRIV_PARAM, 'Y');
	ASSERT_NE(0, old) TH_LOG("%s: %s", UNPRIV_PARAM, strerror(errno));
	ASSERT_EQ(0, set_effective(0));

	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	EXPECT_LE(0, fd) TH_LOG("unprivileged socket filter: %s", strerror(errno));
	close(fd);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, ret0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, unsafe));
	EXPECT_EQ(EACCES, errno);
	/* no fallback to the checking model without CAP_SYS_ADMIN */
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, unproved));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1));
	EXPECT_EQ(EPERM, errno);

	/* the parameter is global: put it back, as root can */
	ASSERT_EQ(0, set_effective(1ULL << CAP_SYS_ADMIN));
	EXPECT_EQ('Y', param_swap_char(UNPRIV_PARAM, old));
}

TEST(unprivileged_user)
{
	struct xbpf_prog_info info;
	__u32 k = 0, v = 5, len;
	int m, p, g;

	ASSERT_EQ(0, geteuid());
	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, m);
	ASSERT_EQ(0, map_update(m, &k, &v, 0));
	p = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	ASSERT_LE(0, p);

	/* become nobody: no groups, no capabilities */
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setresgid(NOBODY, NOBODY, NOBODY));
	ASSERT_EQ(0, setresuid(NOBODY, NOBODY, NOBODY));

	/* an fd already open still talks, but cannot create */
	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_HASH, 4, 4, 1));
	EXPECT_EQ(EPERM, errno);
	/* objects handed over stay usable, as with bpf(2) fds */
	v = 0;
	EXPECT_EQ(0, map_lookup(m, &k, &v));
	EXPECT_EQ(5, v);
	/* not bpf_capable: no program layout at all */
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(p, &info, &len));
	EXPECT_EQ(0, info.xlated_prog_len);
	EXPECT_EQ(XBPF_PROG_TYPE_SOCKET_FILTER, info.type);

	/* the node: 0600 without `group`, and a non-member either way */
	g = param_read(XBPF_PARAM("group"));
	if (g == NOBODY)
		SKIP(return, "group=%d is nobody's group", g);
	TH_LOG("module parameter group=%d", g);
	EXPECT_EQ(-1, open(XBPF_DEVICE_PATH, O_RDWR));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, open(XBPF_DEVICE_PATH, O_RDONLY));
	EXPECT_EQ(EACCES, errno);
	close(p);
	close(m);
}

/*
 * Program text and image (OBJ_GET_INFO, module/prog_dump.c): bpf_capable
 * callers get the text; raw kernel addresses (helper call immediates,
 * the image, its symbols) only when the fd's credentials may see them
 * (Linux's kallsyms rule: CAP_SYSLOG with Debian's sysctls), whoever asks
 * later; callers that are not bpf_capable get no lengths at all.
 */
static int load_lookup(int map_fd)
{
	const struct xbpf_insn p[] = {
		I_ST(XBPF_W, 10, -4, 0),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_LD_MAP_FD(1, map_fd),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_MOV64_IMM(0, 0),
		I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
}

struct dump_view {
	struct xbpf_prog_info	info;
	struct xbpf_insn	xl[64];
	__u8			img[2048];
	__u64			ksym;
};

static int dump_view(int fd, struct dump_view *v)
{
	__u32 len = sizeof(v->info);

	memset(v, 0, sizeof(*v));
	memset(v->img, 0xa5, sizeof(v->img));
	v->ksym = 0x5a5a;
	v->info.xlated_prog_len = sizeof(v->xl);
	v->info.xlated_prog_insns = PTR(v->xl);
	v->info.jited_prog_len = sizeof(v->img);
	v->info.jited_prog_insns = PTR(v->img);
	v->info.nr_jited_ksyms = 1;
	v->info.jited_ksyms = PTR(&v->ksym);
	return prog_info(fd, &v->info, &len);
}

/* The helper call's immediate in the text, or -1 without one. */
static int call_imm(const struct dump_view *v)
{
	__u32 i, n = v->info.xlated_prog_len / sizeof(struct xbpf_insn);

	for (i = 0; i < n && i < 64; i++)
		if (v->xl[i].code == (XBPF_JMP | XBPF_CALL) && !v->xl[i].src_reg)
			return v->xl[i].imm;
	return -1;
}

TEST(dump_raw_addresses)
{
	static struct dump_view v;
	int m, root_fd, bpf_fd;

	ASSERT_EQ(0, geteuid());
	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, m);
	root_fd = load_lookup(m);
	ASSERT_LE(0, root_fd) TH_LOG("load: %s", strerror(errno));
	ASSERT_EQ(0, set_effective(1ULL << CAP_BPF));
	bpf_fd = load_lookup(m);
	ASSERT_LE(0, bpf_fd) TH_LOG("CAP_BPF load: %s", strerror(errno));

	/* an fd opened with CAP_BPF only: the text, call immediates cleared */
	ASSERT_EQ(0, dump_view(bpf_fd, &v));
	EXPECT_LE(7 * sizeof(struct xbpf_insn), v.info.xlated_prog_len);
	EXPECT_EQ(PTR(v.xl), v.info.xlated_prog_insns);
	EXPECT_EQ(0, call_imm(&v));
	/* the image's length and count, not its bytes nor its address */
	EXPECT_LT(0, v.info.jited_prog_len);
	EXPECT_EQ(0, v.info.jited_prog_insns);
	EXPECT_EQ(0xa5, v.img[0]);
	EXPECT_EQ(1, v.info.nr_jited_ksyms);
	EXPECT_EQ(0, v.info.jited_ksyms);
	EXPECT_EQ(0x5a5a, v.ksym);

	/* a root-opened fd: raw, even to this CAP_BPF-only caller */
	ASSERT_EQ(0, dump_view(root_fd, &v));
	EXPECT_EQ(XBPF_FUNC_map_lookup_elem, call_imm(&v));
	EXPECT_EQ(PTR(v.img), v.info.jited_prog_insns);
	EXPECT_EQ(0x0f, v.img[0]);
	EXPECT_EQ(PTR(&v.ksym), v.info.jited_ksyms);
	EXPECT_NE(0x5a5a, v.ksym);

	/* not bpf_capable: no text, no image, no counts */
	ASSERT_EQ(0, set_effective(0));
	ASSERT_EQ(0, dump_view(root_fd, &v));
	EXPECT_EQ(0, v.info.xlated_prog_len);
	EXPECT_EQ(0, v.info.jited_prog_len);
	EXPECT_EQ(0, v.info.nr_jited_ksyms);
	EXPECT_EQ(0, v.info.nr_jited_func_lens);
	EXPECT_EQ(0xa5, v.img[0]);
	EXPECT_EQ(0, v.xl[0].code);
	close(bpf_fd);
	close(root_fd);
	close(m);
}

TEST_HARNESS_MAIN

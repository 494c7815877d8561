// SPDX-License-Identifier: GPL-2.0
/*
 * The `group` module parameter: the node is 0666 and open() admits members
 * of that gid (primary or supplementary) or CAP_SYS_ADMIN, nobody else.
 * Membership only opens the device: what a caller may create is still
 * decided by its capabilities.
 *
 * Needs the module loaded with group=XBPF_TEST_GROUP; the guest's /init
 * runs this suite on its own after reloading xbpf that way.  Each test
 * drops privileges in its own process (the harness forks per test).
 */
#include <stddef.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#ifndef CAP_BPF
#define CAP_BPF		39
#endif

#define XBPF_TEST_GROUP	4242
#define USER		1000	/* uid and gid of the unprivileged user */
#define CAP(c)		(1ULL << (c))

static const struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };

static int get_caps(__u64 *permitted, __u64 *effective)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	if (permitted)
		*permitted = d[0].permitted | (__u64)d[1].permitted << 32;
	if (effective)
		*effective = d[0].effective | (__u64)d[1].effective << 32;
	return 0;
}

/* Permitted and effective sets become exactly caps, inheritable empty. */
static int set_caps(__u64 caps)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = (__u32)caps;
	d[1].permitted = d[1].effective = (__u32)(caps >> 32);
	return syscall(SYS_capset, &h, d);
}

/*
 * Become uid/gid with exactly the supplementary groups given and exactly
 * caps (KEEPCAPS carries them across a change to a non-zero uid, which
 * would otherwise clear them all).  Returns 0 once the result is verified.
 */
static int become(uid_t uid, gid_t gid, const gid_t *groups, int ngroups,
		  __u64 caps)
{
	__u64 p, e;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    setgroups(ngroups, groups) ||
	    setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid) ||
	    set_caps(caps) ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
		return -1;
	if (get_caps(&p, &e) || p != caps || e != caps ||
	    getuid() != uid || geteuid() != uid ||
	    getgid() != gid || getegid() != gid ||
	    getgroups(0, NULL) != ngroups) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* open() succeeds and the fd answers XBPF_IOC_VERSION. */
static void open_and_query(struct __test_metadata *_metadata, int flags)
{
	struct xbpf_version v;
	int fd, err;

	fd = open(XBPF_DEVICE_PATH, flags | O_CLOEXEC);
	err = errno;
	EXPECT_LE(0, fd)
		TH_LOG("open(%s, %#x): %s", XBPF_DEVICE_PATH, flags,
		       strerror(err));
	if (fd < 0)
		return;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	EXPECT_EQ(0, ioctl(fd, XBPF_IOC_VERSION, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(XBPF_ABI_VERSION, v.abi_version);
	EXPECT_NE(0, v.version[0]);
	close(fd);
}

/* Both open modes are refused with EACCES. */
static void open_refused(struct __test_metadata *_metadata)
{
	int fd;

	fd = open(XBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	if (fd >= 0)
		close(fd);
	fd = open(XBPF_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	if (fd >= 0)
		close(fd);
}

TEST(node_mode)
{
	struct stat st;

	ASSERT_EQ(XBPF_TEST_GROUP, param_read(XBPF_PARAM("group")))
		TH_LOG("load xbpf with group=%d", XBPF_TEST_GROUP);
	ASSERT_EQ(0, stat(XBPF_DEVICE_PATH, &st))
		TH_LOG("stat: %s", strerror(errno));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777)
		TH_LOG("mode %04o", st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
}

TEST(member_supplementary)
{
	gid_t g[] = { XBPF_TEST_GROUP };

	ASSERT_EQ(0, geteuid()) TH_LOG("run as root");
	ASSERT_EQ(0, become(USER, USER, g, 1, 0))
		TH_LOG("drop privileges: %s", strerror(errno));
	open_and_query(_metadata, O_RDWR);
	open_and_query(_metadata, O_RDONLY);
}

TEST(member_primary)
{
	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, become(USER, XBPF_TEST_GROUP, NULL, 0, 0))
		TH_LOG("drop privileges: %s", strerror(errno));
	open_and_query(_metadata, O_RDWR);
}

TEST(non_member)
{
	/* a neighbouring gid, to catch a check that is off by one */
	gid_t g[] = { USER, XBPF_TEST_GROUP + 1 };

	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, become(USER, USER, g, 2, 0))
		TH_LOG("drop privileges: %s", strerror(errno));
	open_refused(_metadata);
}

/* uid 0 is no pass: every capability but CAP_SYS_ADMIN is refused too */
TEST(non_member_root_without_sys_admin)
{
	__u64 all;

	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, get_caps(&all, NULL));
	ASSERT_NE(0, all & CAP(CAP_SYS_ADMIN));
	ASSERT_EQ(0, become(0, USER, NULL, 0, all & ~CAP(CAP_SYS_ADMIN)))
		TH_LOG("drop privileges: %s", strerror(errno));
	open_refused(_metadata);
}

TEST(non_member_sys_admin)
{
	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, become(USER, USER, NULL, 0, CAP(CAP_SYS_ADMIN)))
		TH_LOG("drop privileges: %s", strerror(errno));
	open_and_query(_metadata, O_RDWR);
}

/* Membership opens the device; it does not let a caller create anything. */
TEST(member_no_caps_eperm)
{
	gid_t g[] = { XBPF_TEST_GROUP };

	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, become(USER, USER, g, 1, 0))
		TH_LOG("drop privileges: %s", strerror(errno));
	ASSERT_LE(0, xbpf_dev()) TH_LOG("open: %s", strerror(errno));

	EXPECT_EQ(-1, PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_HASH, 4, 4, 1));
	EXPECT_EQ(EPERM, errno);
}

/* The EPERM above is the capability check: CAP_BPF lifts it for maps. */
TEST(member_cap_bpf)
{
	gid_t g[] = { XBPF_TEST_GROUP };
	int fd;

	ASSERT_EQ(0, geteuid());
	ASSERT_EQ(0, become(USER, USER, g, 1, CAP(CAP_BPF)))
		TH_LOG("drop privileges: %s", strerror(errno));
	ASSERT_LE(0, xbpf_dev()) TH_LOG("open: %s", strerror(errno));

	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	EXPECT_LE(0, fd) TH_LOG("map create with CAP_BPF: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	/* CAP_BPF loads what the verifier proves */
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	EXPECT_LE(0, fd) TH_LOG("load with CAP_BPF: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN

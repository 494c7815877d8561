// SPDX-License-Identifier: GPL-2.0
/*
 * OBJ_PIN and OBJ_GET (module/pin.c): a pinned object outlives its fds
 * and holds the module until it is unpinned; OBJ_GET returns a working
 * fd with bpf(2)'s flag rules; paths are validated and bounded; unpin
 * (XBPF_OBJ_F_UNPIN) and XBPF_IOC_PIN_NEXT; pinner-only access.
 */
#include <limits.h>
#include <sys/fsuid.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define P_PROG	"/sys/fs/bpf/xbpf-test-pin-prog"
#define P_MAP	"/sys/fs/bpf/xbpf-test-pin-map"

static const struct xbpf_insn ret7[] = { I_MOV64_IMM(0, 7), I_EXIT() };

static int obj_pin(int fd, const char *path, __u32 flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = PTR(path);
	a.bpf_fd = fd;
	a.file_flags = flags;
	return xbpf_call(XBPF_OBJ_PIN, &a);
}

static int obj_get(const char *path, __u32 flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = PTR(path);
	a.file_flags = flags;
	return xbpf_call(XBPF_OBJ_GET, &a);
}

static int obj_unpin(const char *path)
{
	return obj_pin(-1, path, XBPF_OBJ_F_UNPIN);
}

static int pin_next(char *buf, __u32 size, struct xbpf_pin_info *info)
{
	memset(info, 0, sizeof(*info));
	info->path = PTR(buf);
	info->path_size = size;
	return ioctl(xbpf_dev(), XBPF_IOC_PIN_NEXT, info);
}

static __u32 prog_id(int fd)
{
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return prog_info(fd, &info, &len) ? 0 : info.id;
}

TEST(prog_outlives_its_fd)
{
	unsigned char frame[64];
	__u32 id, retval = 0;
	int fd, fd2;
	long base;

	/* the device fd holds the module too: measure with it open */
	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret7);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	id = prog_id(fd);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, obj_pin(fd, P_PROG, 0)) TH_LOG("pin: %s", strerror(errno));
	/* one path, one pin */
	EXPECT_EQ(-1, obj_pin(fd, P_PROG, 0));
	EXPECT_EQ(EEXIST, errno);
	close(fd);

	/* the pin keeps the program, and with it the module */
	usleep(200 * 1000);
	EXPECT_LT(base, read_refcnt());
	fd2 = obj_get(P_PROG, 0);
	ASSERT_LE(0, fd2) TH_LOG("get: %s", strerror(errno));
	EXPECT_EQ(id, prog_id(fd2));
	make_frame(frame, sizeof(frame));
	EXPECT_EQ(0, run_skb(fd2, frame, sizeof(frame), &retval));
	EXPECT_EQ(7, retval);
	/* program fds are O_RDWR only, as Linux 6.1 */
	EXPECT_EQ(-1, obj_get(P_PROG, XBPF_F_RDONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, obj_get(P_PROG, XBPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(0, obj_unpin(P_PROG)) TH_LOG("unpin: %s", strerror(errno));
	EXPECT_EQ(-1, obj_get(P_PROG, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, obj_unpin(P_PROG));
	EXPECT_EQ(ENOENT, errno);
	/* the fd from OBJ_GET still works after the unpin */
	EXPECT_EQ(0, run_skb(fd2, frame, sizeof(frame), &retval));
	close(fd2);
	EXPECT_EQ(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

TEST(map_modes)
{
	__u32 key = 0, val = 42, out = 0;
	int fd, ro, wo;
	long base;

	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, map_update(fd, &key, &val, 0));
	ASSERT_EQ(0, obj_pin(fd, P_MAP, 0)) TH_LOG("pin: %s", strerror(errno));
	close(fd);

	ro = obj_get(P_MAP, XBPF_F_RDONLY);
	ASSERT_LE(0, ro) TH_LOG("get rdonly: %s", strerror(errno));
	EXPECT_EQ(0, map_lookup(ro, &key, &out));
	EXPECT_EQ(42, out);
	EXPECT_EQ(-1, map_update(ro, &key, &val, 0));
	EXPECT_EQ(EPERM, errno);
	wo = obj_get(P_MAP, XBPF_F_WRONLY);
	ASSERT_LE(0, wo);
	val = 43;
	EXPECT_EQ(0, map_update(wo, &key, &val, 0));
	EXPECT_EQ(-1, map_lookup(wo, &key, &out));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, map_lookup(ro, &key, &out));
	EXPECT_EQ(43, out);

	EXPECT_EQ(-1, obj_get(P_MAP, XBPF_F_RDONLY | XBPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, obj_get(P_MAP, XBPF_F_RDONLY_PROG));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(0, obj_unpin(P_MAP));
	/* a user reference: the map is still there through ro */
	EXPECT_EQ(0, map_lookup(ro, &key, &out));
	close(ro);
	close(wo);
	EXPECT_EQ(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

TEST(bad_arguments)
{
	char *longpath = malloc(PATH_MAX + 16);
	char comp[NAME_MAX + 3];
	union xbpf_attr a;
	int fd, nfd;

	ASSERT_NE(NULL, longpath);
	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret7);
	ASSERT_LE(0, fd);

	/* the key is an absolute, normalised path */
	static const char *const bad[] = {
		"x", "sys/fs/bpf/x", "/", "/a//b", "/a/", "/a/./b", "/a/../b",
		"/..", "/.",
	};
	for (unsigned int i = 0; i < ARRAY_LEN(bad); i++) {
		EXPECT_EQ(-1, obj_pin(fd, bad[i], 0)) TH_LOG("%s", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", bad[i]);
		EXPECT_EQ(-1, obj_get(bad[i], 0));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(-1, obj_pin(fd, "", 0));
	EXPECT_EQ(ENOENT, errno);
	/* dotted names that are not "." or ".." are fine */
	EXPECT_EQ(0, obj_pin(fd, "/sys/fs/bpf/..x.", 0));
	EXPECT_EQ(0, obj_unpin("/sys/fs/bpf/..x."));

	comp[0] = '/';
	memset(comp + 1, 'c', NAME_MAX + 1);
	comp[NAME_MAX + 2] = 0;
	EXPECT_EQ(-1, obj_pin(fd, comp, 0));
	EXPECT_EQ(ENAMETOOLONG, errno);
	comp[NAME_MAX + 1] = 0;	/* exactly NAME_MAX */
	EXPECT_EQ(0, obj_pin(fd, comp, 0)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, obj_unpin(comp));

	memset(longpath, 'a', PATH_MAX + 16);
	for (int i = 0; i < PATH_MAX + 16; i += 100)
		longpath[i] = '/';
	longpath[PATH_MAX + 15] = 0;
	EXPECT_EQ(-1, obj_pin(fd, longpath, 0));
	EXPECT_EQ(ENAMETOOLONG, errno);

	memset(&a, 0, sizeof(a));
	a.pathname = 8;	/* unmapped */
	a.bpf_fd = fd;
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_PIN, &a));
	EXPECT_EQ(EFAULT, errno);

	/* OBJ_PIN takes no flags (6.1); OBJ_GET no fd */
	EXPECT_EQ(-1, obj_pin(fd, P_PROG, XBPF_F_RDONLY));
	EXPECT_EQ(EINVAL, errno);
	memset(&a, 0, sizeof(a));
	a.pathname = PTR(P_PROG);
	a.bpf_fd = fd;
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_GET, &a));
	EXPECT_EQ(EINVAL, errno);
	/* the unpin flag wants fd -1 */
	EXPECT_EQ(-1, obj_pin(fd, P_PROG, XBPF_OBJ_F_UNPIN));
	EXPECT_EQ(EINVAL, errno);

	/* only xbpf programs and maps are pinned */
	nfd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, nfd);
	EXPECT_EQ(-1, obj_pin(nfd, P_PROG, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, obj_pin(xbpf_dev(), P_PROG, 0));
	EXPECT_EQ(EINVAL, errno);
	close(nfd);
	EXPECT_EQ(-1, obj_pin(1000000, P_PROG, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, obj_get(P_PROG, 0));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
	free(longpath);
}

TEST(list_in_order)
{
	static const char *const paths[] = {
		"/sys/fs/bpf/xbpf-test-list/c", "/sys/fs/bpf/xbpf-test-list/a",
		"/sys/fs/bpf/xbpf-test-list/b",
	};
	struct xbpf_pin_info info;
	char buf[PATH_MAX], tiny[8];
	__u32 pid, mid;
	int pfd, mfd, seen = 0;

	ASSERT_LE(0, xbpf_dev());
	pfd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret7);
	mfd = map_create(XBPF_MAP_TYPE_HASH, 4, 4, 4);
	ASSERT_LE(0, pfd);
	ASSERT_LE(0, mfd);
	pid = prog_id(pfd);
	{
		struct xbpf_map_info mi;

		ASSERT_EQ(0, map_info(mfd, &mi));
		mid = mi.id;
	}
	ASSERT_EQ(0, obj_pin(pfd, paths[0], 0));
	ASSERT_EQ(0, obj_pin(mfd, paths[1], 0));
	ASSERT_EQ(0, obj_pin(pfd, paths[2], 0));

	buf[0] = 0;
	while (!pin_next(buf, sizeof(buf), &info)) {
		if (strncmp(buf, "/sys/fs/bpf/xbpf-test-list/", 27))
			continue;	/* another suite's pin */
		switch (buf[27]) {
		case 'a':
			EXPECT_EQ(0, seen);
			EXPECT_EQ(XBPF_PIN_MAP, info.type);
			EXPECT_EQ(mid, info.id);
			break;
		case 'b':
			EXPECT_EQ(1, seen);
			EXPECT_EQ(XBPF_PIN_PROG, info.type);
			EXPECT_EQ(pid, info.id);
			break;
		case 'c':
			EXPECT_EQ(2, seen);
			EXPECT_EQ(pid, info.id);
			break;
		}
		EXPECT_EQ(0, info.uid);
		seen++;
	}
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(3, seen);

	/* a buffer too small for the next path */
	tiny[0] = 0;
	EXPECT_EQ(-1, pin_next(tiny, sizeof(tiny), &info));
	EXPECT_EQ(ENAMETOOLONG, errno);
	/* no NUL within path_size */
	memset(tiny, 'x', sizeof(tiny));
	EXPECT_EQ(-1, pin_next(tiny, sizeof(tiny), &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pin_next(buf, 0, &info));
	EXPECT_EQ(EINVAL, errno);

	for (unsigned int i = 0; i < ARRAY_LEN(paths); i++)
		EXPECT_EQ(0, obj_unpin(paths[i]));
	close(pfd);
	close(mfd);
}

/*
 * Another fsuid without capabilities: cannot get, unpin or see root's
 * pins, nor drop them all; may pin and unpin its own.
 */
TEST(pinner_only)
{
	struct xbpf_pin_info info;
	char buf[PATH_MAX];
	int fd, status;
	pid_t pid;

	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret7);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, obj_pin(fd, P_PROG, 0));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int bad = 0;

		setfsuid(1000);
		if (setfsuid(-1) != 1000 || set_effective(0))
			_exit(100);
		bad |= obj_get(P_PROG, 0) != -1 || errno != EACCES;
		bad |= (obj_unpin(P_PROG) != -1 || errno != EACCES) << 1;
		bad |= (obj_unpin(NULL) != -1 || errno != EPERM) << 2;
		buf[0] = 0;
		while (!pin_next(buf, sizeof(buf), &info))
			bad |= 1 << 3;	/* root's pins are not listed */
		bad |= (obj_pin(fd, "/sys/fs/bpf/xbpf-test-pin-user", 0) != 0) << 4;
		buf[0] = 0;
		bad |= (pin_next(buf, sizeof(buf), &info) ||
			strcmp(buf, "/sys/fs/bpf/xbpf-test-pin-user") ||
			info.uid != 1000) << 5;
		bad |= (obj_get("/sys/fs/bpf/xbpf-test-pin-user", 0) < 0) << 6;
		bad |= (obj_unpin("/sys/fs/bpf/xbpf-test-pin-user") != 0) << 7;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child failure mask %#x",
						 WEXITSTATUS(status));
	/* root may still do all of it */
	EXPECT_LE(0, obj_get(P_PROG, 0));
	EXPECT_EQ(0, obj_unpin(P_PROG));
	close(fd);
}

/* XBPF_OBJ_F_UNPIN with pathname 0: every pin goes, the module settles. */
TEST(unpin_all)
{
	int fd, mfd;
	long base;

	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret7);
	mfd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, obj_pin(fd, P_PROG, 0));
	ASSERT_EQ(0, obj_pin(mfd, P_MAP, 0));
	close(fd);
	close(mfd);
	usleep(200 * 1000);
	EXPECT_LT(base, read_refcnt());
	EXPECT_EQ(0, obj_unpin(NULL));
	EXPECT_EQ(-1, obj_get(P_PROG, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, obj_get(P_MAP, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * ARRAY and HASH maps through /dev/xbpf: bad create parameters, element
 * operations and their flags with bpf(2) semantics, fds of the wrong type,
 * read-only and write-only map fds, map info.
 */
#include <stddef.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

TEST(create_bad_params)
{
	union xbpf_attr a;

	ASSERT_LE(0, xbpf_dev());
	/* ARRAY: keys are 4-byte indices */
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_ARRAY, 8, 8, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_ARRAY, 4, 0, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 0));
	EXPECT_EQ(EINVAL, errno);
	/* HASH */
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_HASH, 0, 8, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_HASH, 4, 0, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_HASH, 4, 8, 0));
	EXPECT_EQ(EINVAL, errno);
	/* types */
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_UNSPEC, 4, 8, 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(9999, 4, 8, 4));
	EXPECT_EQ(EINVAL, errno);
	/* flags: unknown bits, and read-only with write-only */
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 4, 1U << 30));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 4,
				       XBPF_F_RDONLY | XBPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);

	/* names: alnum, '_' and '.', NUL inside the field */
	memset(&a, 0, sizeof(a));
	a.map_type = XBPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 4;
	strcpy(a.map_name, "bad-name");
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
	memset(a.map_name, 'a', sizeof(a.map_name));
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);

	/* no BTF, map-in-map or offload yet */
	memset(a.map_name, 0, sizeof(a.map_name));
	a.btf_fd = 1;
	a.btf_key_type_id = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
	a.btf_fd = 0;
	a.btf_key_type_id = 0;
	a.map_ifindex = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
	a.map_ifindex = 0;
	a.map_extra = 1;
	EXPECT_EQ(-1, xbpf_call(XBPF_MAP_CREATE, &a));
	EXPECT_EQ(EINVAL, errno);
}

TEST(array_crud)
{
	__u64 v, w;
	__u32 k, next;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, fd) TH_LOG("create: %s", strerror(errno));

	/* elements exist from the start, zeroed */
	k = 3;
	v = 1;
	ASSERT_EQ(0, map_lookup(fd, &k, &v));
	EXPECT_EQ(0, v);
	k = 4;
	EXPECT_EQ(-1, map_lookup(fd, &k, &v));
	EXPECT_EQ(ENOENT, errno);

	k = 1;
	v = 0x1122334455667788ULL;
	ASSERT_EQ(0, map_update(fd, &k, &v, XBPF_ANY));
	ASSERT_EQ(0, map_lookup(fd, &k, &w));
	EXPECT_EQ(v, w);
	v = 5;
	EXPECT_EQ(0, map_update(fd, &k, &v, XBPF_EXIST));
	ASSERT_EQ(0, map_lookup(fd, &k, &w));
	EXPECT_EQ(5, w);
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_NOEXIST));
	EXPECT_EQ(EEXIST, errno);

	/* bad flags */
	EXPECT_EQ(-1, map_update(fd, &k, &v, 3));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_F_LOCK));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_elem(XBPF_MAP_LOOKUP_ELEM, fd, &k, &w, XBPF_F_LOCK));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_elem(XBPF_MAP_LOOKUP_ELEM, fd, &k, &w, 1));
	EXPECT_EQ(EINVAL, errno);

	/* out of range; arrays cannot delete */
	k = 4;
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_ANY));
	EXPECT_EQ(E2BIG, errno);
	k = 0;
	EXPECT_EQ(-1, map_delete(fd, &k));
	EXPECT_EQ(EINVAL, errno);

	/* iteration: NULL key is the first, after the last is ENOENT */
	ASSERT_EQ(0, map_next_key(fd, NULL, &next));
	EXPECT_EQ(0, next);
	k = 0;
	ASSERT_EQ(0, map_next_key(fd, &k, &next));
	EXPECT_EQ(1, next);
	k = 3;
	EXPECT_EQ(-1, map_next_key(fd, &k, &next));
	EXPECT_EQ(ENOENT, errno);
	k = 100;	/* an out-of-range key restarts at 0, as in Linux */
	ASSERT_EQ(0, map_next_key(fd, &k, &next));
	EXPECT_EQ(0, next);
	close(fd);
}

TEST(hash_crud)
{
	__u32 k, next, seen = 0;
	__u64 v, w;
	int fd, i, n;

	ASSERT_LE(0, xbpf_dev());
	fd = map_create(XBPF_MAP_TYPE_HASH, 4, 8, 4);
	ASSERT_LE(0, fd) TH_LOG("create: %s", strerror(errno));

	EXPECT_EQ(-1, map_next_key(fd, NULL, &next));
	EXPECT_EQ(ENOENT, errno);
	k = 7;
	EXPECT_EQ(-1, map_lookup(fd, &k, &v));
	EXPECT_EQ(ENOENT, errno);
	v = 70;
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_EXIST));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, map_update(fd, &k, &v, XBPF_NOEXIST));
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_NOEXIST));
	EXPECT_EQ(EEXIST, errno);
	v = 71;
	ASSERT_EQ(0, map_update(fd, &k, &v, XBPF_EXIST));
	ASSERT_EQ(0, map_lookup(fd, &k, &w));
	EXPECT_EQ(71, w);
	EXPECT_EQ(-1, map_update(fd, &k, &v, 3));
	EXPECT_EQ(EINVAL, errno);

	/* fill: 4 entries, the fifth new key does not fit */
	for (i = 1; i <= 3; i++) {
		k = i;
		v = i * 10;
		ASSERT_EQ(0, map_update(fd, &k, &v, XBPF_ANY));
	}
	k = 100;
	EXPECT_EQ(-1, map_update(fd, &k, &v, XBPF_ANY));
	EXPECT_EQ(E2BIG, errno);
	/* replacing an existing key still works when full */
	k = 1;
	v = 11;
	EXPECT_EQ(0, map_update(fd, &k, &v, XBPF_ANY));

	/* iterate: every key once */
	n = 0;
	if (map_next_key(fd, NULL, &next) == 0) {
		do {
			ASSERT_LT(next, 32);
			seen |= 1U << next;
			n++;
			k = next;
		} while (n < 10 && map_next_key(fd, &k, &next) == 0);
		EXPECT_EQ(ENOENT, errno);
	}
	EXPECT_EQ(4, n);
	EXPECT_EQ((1U << 1) | (1U << 2) | (1U << 3) | (1U << 7), seen);

	/* delete */
	k = 7;
	EXPECT_EQ(0, map_delete(fd, &k));
	EXPECT_EQ(-1, map_delete(fd, &k));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, map_lookup(fd, &k, &v));
	EXPECT_EQ(ENOENT, errno);
	k = 100;
	EXPECT_EQ(0, map_update(fd, &k, &v, XBPF_NOEXIST));
	close(fd);
}

TEST(wrong_fd_types)
{
	static const struct xbpf_insn prog[] = { I_MOV64_IMM(0, 0), I_EXIT() };
	__u32 k = 0;
	__u64 v = 0;
	int pfd, nfd, fd;

	ASSERT_LE(0, xbpf_dev());
	pfd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, prog);
	ASSERT_LE(0, pfd) TH_LOG("load: %s", strerror(errno));
	nfd = open("/dev/null", O_RDWR);
	ASSERT_LE(0, nfd);

	/* a program fd, a foreign fd, the device itself */
	EXPECT_EQ(-1, map_lookup(pfd, &k, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_update(nfd, &k, &v, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_delete(xbpf_dev(), &k));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_next_key(pfd, NULL, &k));
	EXPECT_EQ(EINVAL, errno);
	/* no fd at all */
	EXPECT_EQ(-1, map_lookup(-1, &k, &v));
	EXPECT_EQ(EBADF, errno);
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-1, map_lookup(fd, &k, &v));
	EXPECT_EQ(EBADF, errno);
	close(nfd);
	close(pfd);
}

TEST(rdonly_wronly_fds)
{
	__u32 k = 0;
	__u64 v = 0;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	fd = map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 1, XBPF_F_RDONLY);
	if (fd < 0 && errno == EINVAL)
		SKIP(return, "map core does not accept XBPF_F_RDONLY yet");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, map_lookup(fd, &k, &v));
	EXPECT_EQ(-1, map_update(fd, &k, &v, 0));
	EXPECT_EQ(EPERM, errno);
	close(fd);

	fd = map_create_flags(XBPF_MAP_TYPE_ARRAY, 4, 8, 1, XBPF_F_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, map_update(fd, &k, &v, 0));
	EXPECT_EQ(-1, map_lookup(fd, &k, &v));
	EXPECT_EQ(EPERM, errno);
	close(fd);
}

TEST(map_info_by_fd)
{
	unsigned char big[sizeof(struct xbpf_map_info) + 16];
	struct xbpf_map_info info, i2;
	union xbpf_attr a;
	int fd, fd2;

	ASSERT_LE(0, xbpf_dev());
	memset(&a, 0, sizeof(a));
	a.map_type = XBPF_MAP_TYPE_HASH;
	a.key_size = 8;
	a.value_size = 16;
	a.max_entries = 32;
	strcpy(a.map_name, "my_map.1");
	fd = xbpf_call(XBPF_MAP_CREATE, &a);
	ASSERT_LE(0, fd);
	fd2 = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, fd2);

	ASSERT_EQ(0, map_info(fd, &info));
	EXPECT_EQ(XBPF_MAP_TYPE_HASH, info.type);
	EXPECT_EQ(8, info.key_size);
	EXPECT_EQ(16, info.value_size);
	EXPECT_EQ(32, info.max_entries);
	EXPECT_STREQ("my_map.1", info.name);
	EXPECT_NE(0, info.id);
	ASSERT_EQ(0, map_info(fd2, &i2));
	EXPECT_NE(info.id, i2.id);

	/* a longer struct with a zero tail is fine, a dirty tail is not */
	memset(&a, 0, sizeof(a));
	memset(big, 0, sizeof(big));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(big);
	a.info.info = PTR(big);
	ASSERT_EQ(0, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(sizeof(struct xbpf_map_info), a.info.info_len);
	big[sizeof(big) - 1] = 1;
	a.info.info_len = sizeof(big);
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(E2BIG, errno);

	/* a shorter one gets just that much */
	memset(big, 0xa5, sizeof(big));
	a.info.info_len = 8;
	ASSERT_EQ(0, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(8, a.info.info_len);
	EXPECT_EQ(XBPF_MAP_TYPE_HASH, ((struct xbpf_map_info *)big)->type);
	EXPECT_EQ(0xa5, big[8]);

	/* wrong fds */
	a.info.info_len = sizeof(info);
	a.info.bpf_fd = open("/dev/null", O_RDONLY);
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(EINVAL, errno);
	close(a.info.bpf_fd);
	a.info.bpf_fd = 12345;
	EXPECT_EQ(-1, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ(EBADF, errno);
	close(fd2);
	close(fd);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * MAP_CREATE with BTF (btf_fd, btf_key_type_id, btf_value_type_id) as
 * Linux 6.1 checks it, what libbpf sends for its maps and global data,
 * and BTF_GET_NEXT_ID.  Every refusal is one libbpf would see from
 * Linux: it then retries the map without BTF.
 */
#include <errno.h>
#include <limits.h>
#include <linux/xbpf_btf.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

/* strings: "", "int", "u64", "u32", "x", ".data", "char" */
static const char strs[] = "\0int\0u64\0u32\0x\0.data\0char";
#define S_INT	1
#define S_U64	5
#define S_U32	9
#define S_X	13
#define S_DATA	15
#define S_CHAR	21

/*
 * ids: 1 int (4 bytes), 2 u64 (8 bytes), 3 typedef u32 -> 1,
 * 4 var x: int, 5 datasec .data { x at 0, 4 bytes } (size 4),
 * 6 char (1 byte), 7 int of 16 bits in 4 bytes.
 */
static const __u32 types[] = {
	S_INT, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 4, XBPF_BTF_INT_ENC(XBPF_BTF_INT_SIGNED, 0, 32),
	S_U64, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 8, XBPF_BTF_INT_ENC(0, 0, 64),
	S_U32, XBPF_BTF_INFO(XBPF_BTF_KIND_TYPEDEF, 0, 0), 1,
	S_X, XBPF_BTF_INFO(XBPF_BTF_KIND_VAR, 0, 0), 1, XBPF_BTF_VAR_GLOBAL_ALLOCATED,
	S_DATA, XBPF_BTF_INFO(XBPF_BTF_KIND_DATASEC, 0, 1), 4, 4, 0, 4,
	S_CHAR, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 1, XBPF_BTF_INT_ENC(XBPF_BTF_INT_CHAR, 0, 8),
	S_INT, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 4, XBPF_BTF_INT_ENC(0, 0, 16),
};

static int load_btf(void)
{
	static unsigned char blob[512];
	struct xbpf_btf_header h = {
		.magic = XBPF_BTF_MAGIC,
		.version = XBPF_BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_len = sizeof(types),
		.str_off = sizeof(types),
		.str_len = sizeof(strs),
	};
	union xbpf_attr a;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, sizeof(types));
	memcpy(blob + sizeof(h) + sizeof(types), strs, sizeof(strs));
	memset(&a, 0, sizeof(a));
	a.btf = PTR(blob);
	a.btf_size = sizeof(h) + sizeof(types) + sizeof(strs);
	return xbpf_call(XBPF_BTF_LOAD, &a);
}

static int map_btf(__u32 type, __u32 ks, __u32 vs, __u32 n, int btf_fd,
		   __u32 key_id, __u32 value_id)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ks;
	a.value_size = vs;
	a.max_entries = n;
	a.btf_fd = btf_fd;
	a.btf_key_type_id = key_id;
	a.btf_value_type_id = value_id;
	return xbpf_call(XBPF_MAP_CREATE, &a);
}

static __u32 btf_id_of(int fd)
{
	struct xbpf_btf_info info;
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(&info, 0, sizeof(info));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = PTR(&info);
	return xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a) ? 0 : info.id;
}

/* Expects MAP_CREATE to fail with err */
#define EXPECT_REFUSED(err, call)				\
	do {							\
		int __fd = (call);				\
		EXPECT_EQ(-1, __fd);				\
		EXPECT_EQ(err, errno);				\
		if (__fd >= 0)					\
			close(__fd);				\
	} while (0)

TEST(hash_with_key_and_value_types)
{
	struct xbpf_map_info info;
	int bfd, fd;

	bfd = load_btf();
	ASSERT_LE(0, bfd);
	fd = map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, bfd, 1, 2);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, map_info(fd, &info));
	EXPECT_EQ(btf_id_of(bfd), info.btf_id);
	EXPECT_NE(0, info.btf_id);
	EXPECT_EQ(1, info.btf_key_type_id);
	EXPECT_EQ(2, info.btf_value_type_id);
	/* the map holds the BTF: its id stays findable after the fd closes */
	close(bfd);
	ASSERT_EQ(0, map_info(fd, &info));
	bfd = ({ union xbpf_attr a; memset(&a, 0, sizeof(a));
		 a.btf_id = info.btf_id; xbpf_call(XBPF_BTF_GET_FD_BY_ID, &a); });
	EXPECT_LE(0, bfd);
	close(bfd);
	close(fd);
}

TEST(sizes_must_match)
{
	int bfd = load_btf();

	ASSERT_LE(0, bfd);
	/* u64 key for a 4-byte key, int value for an 8-byte value */
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, bfd, 2, 2));
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, bfd, 1, 1));
	/* a var or a datasec id resolves to its type's size; a bad id does not */
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, bfd, 1, 99));
	close(bfd);
}

TEST(hash_needs_a_key_type)
{
	int bfd = load_btf();

	ASSERT_LE(0, bfd);
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_HASH, 4, 4, 1, bfd, 0, 5));
	close(bfd);
}

TEST(array_key_is_a_32_bit_int)
{
	int bfd = load_btf(), fd;

	ASSERT_LE(0, bfd);
	/* typedef u32 -> int: resolved through the typedef */
	fd = map_btf(XBPF_MAP_TYPE_ARRAY, 4, 8, 4, bfd, 3, 2);
	EXPECT_LE(0, fd);
	close(fd);
	/* 16 bits in 4 bytes: not an array index */
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_ARRAY, 4, 8, 4, bfd, 7, 2));
	close(bfd);
}

TEST(global_data_array_without_key_type)
{
	struct xbpf_map_info info;
	int bfd = load_btf(), fd;

	ASSERT_LE(0, bfd);
	/* what libbpf creates for .data: ARRAY, 1 entry, DATASEC value */
	fd = map_btf(XBPF_MAP_TYPE_ARRAY, 4, 4, 1, bfd, 0, 5);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, map_info(fd, &info));
	EXPECT_EQ(0, info.btf_key_type_id);
	EXPECT_EQ(5, info.btf_value_type_id);
	close(fd);
	/* only for one entry, and only with a DATASEC value */
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_ARRAY, 4, 4, 2, bfd, 0, 5));
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_ARRAY, 4, 4, 1, bfd, 0, 1));
	close(bfd);
}

TEST(key_only_is_not_checked)
{
	int bfd = load_btf(), fd;

	ASSERT_LE(0, bfd);
	/* as Linux 6.1: without a value type the key type is only recorded */
	fd = map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, bfd, 2, 0);
	EXPECT_LE(0, fd);
	close(fd);
	close(bfd);
}

TEST(btf_fd_must_be_btf)
{
	int mfd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	union xbpf_attr a;

	ASSERT_LE(0, mfd);
	EXPECT_REFUSED(EINVAL, map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, mfd, 1, 2));
	EXPECT_REFUSED(EBADF, map_btf(XBPF_MAP_TYPE_HASH, 4, 8, 4, 1000, 1, 2));
	/* struct_ops' vmlinux value type: no such map here */
	memset(&a, 0, sizeof(a));
	a.map_type = XBPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	a.btf_vmlinux_value_type_id = 1;
	EXPECT_REFUSED(EINVAL, xbpf_call(XBPF_MAP_CREATE, &a));
	close(mfd);
}

TEST(btf_get_next_id)
{
	int b1 = load_btf(), b2 = load_btf();
	__u32 id1, id2, seen = 0, next = 0;
	union xbpf_attr a;

	ASSERT_LE(0, b1);
	ASSERT_LE(0, b2);
	id1 = btf_id_of(b1);
	id2 = btf_id_of(b2);
	ASSERT_LT(id1, id2);
	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = next;
		if (xbpf_call(XBPF_BTF_GET_NEXT_ID, &a))
			break;
		ASSERT_LT(next, a.next_id);
		next = a.next_id;
		seen += next == id1 || next == id2;
	}
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(2, seen);
	/* past the last live one: ENOENT; after a close, its id is gone */
	close(b2);
	memset(&a, 0, sizeof(a));
	a.start_id = id1;
	for (;;) {
		if (xbpf_call(XBPF_BTF_GET_NEXT_ID, &a))
			break;
		/* ids freed after an RCU grace period: b2 may linger briefly */
		if (a.next_id == id2) {
			usleep(100000);
			continue;
		}
		a.start_id = a.next_id;
	}
	EXPECT_EQ(ENOENT, errno);
	memset(&a, 0, sizeof(a));
	a.start_id = INT_MAX;
	EXPECT_EQ(-1, xbpf_call(XBPF_BTF_GET_NEXT_ID, &a));
	EXPECT_EQ(EINVAL, errno);
	close(b1);
}

TEST_HARNESS_MAIN

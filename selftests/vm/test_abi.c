// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI: attribute sizes and tails as bpf(2) takes them, per-command
 * CHECK_ATTR tails, unknown commands, bad pointers, the version query.
 */
#include <stddef.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define ATTR_SZ		sizeof(union xbpf_attr)

/* an address that is certainly not mapped */
static void *bad_ptr(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, 4096);
	return p;
}

static void array_attr(union xbpf_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->map_type = XBPF_MAP_TYPE_ARRAY;
	a->key_size = 4;
	a->value_size = 8;
	a->max_entries = 4;
}

TEST(device_opens)
{
	ASSERT_LE(0, xbpf_dev()) TH_LOG("open %s: %s", XBPF_DEVICE_PATH, strerror(errno));
}

TEST(attr_larger_zero_tail_ok)
{
	unsigned char buf[ATTR_SZ + 64];
	int fd;

	ASSERT_LE(0, xbpf_dev());
	memset(buf, 0, sizeof(buf));
	array_attr((union xbpf_attr *)buf);
	fd = xbpf_sys(XBPF_MAP_CREATE, buf, sizeof(buf));
	ASSERT_LE(0, fd) TH_LOG("zero tail refused: %s", strerror(errno));
	close(fd);
}

TEST(attr_larger_nonzero_tail_e2big)
{
	unsigned char buf[ATTR_SZ + 64];

	ASSERT_LE(0, xbpf_dev());
	memset(buf, 0, sizeof(buf));
	array_attr((union xbpf_attr *)buf);
	buf[ATTR_SZ + 63] = 1;
	ASSERT_EQ(-1, xbpf_sys(XBPF_MAP_CREATE, buf, sizeof(buf)));
	ASSERT_EQ(E2BIG, errno);
	buf[ATTR_SZ + 63] = 0;
	buf[ATTR_SZ] = 0x80;
	ASSERT_EQ(-1, xbpf_sys(XBPF_MAP_CREATE, buf, sizeof(buf)));
	ASSERT_EQ(E2BIG, errno);
}

TEST(attr_short_is_zero_extended)
{
	union xbpf_attr a;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	array_attr(&a);
	/* only the five leading fields; the rest must read as zero */
	fd = xbpf_sys(XBPF_MAP_CREATE, &a, offsetof(union xbpf_attr, inner_map_fd));
	ASSERT_LE(0, fd) TH_LOG("short attr refused: %s", strerror(errno));
	close(fd);
	/* size 0: an all-zero attr, an invalid map */
	ASSERT_EQ(-1, xbpf_sys(XBPF_MAP_CREATE, &a, 0));
	ASSERT_EQ(EINVAL, errno);
}

#define END(f) (offsetof(union xbpf_attr, f) + sizeof(((union xbpf_attr *)0)->f))

/*
 * For each command: a valid attr that succeeds, and the same attr with one
 * byte set just past the command's last field, which must be -EINVAL.
 */
TEST(check_attr_tails)
{
	static const struct xbpf_insn prog[] = { I_MOV64_IMM(0, 0), I_EXIT() };
	unsigned char frame[64];
	__u32 key = 0, next;
	__u64 val = 0;
	union xbpf_attr a;
	struct xbpf_map_info mi;
	int afd, hfd, pfd, cmd, ret, i;
	size_t end;
	const char *name;

	ASSERT_LE(0, xbpf_dev());
	afd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, afd);
	hfd = map_create(XBPF_MAP_TYPE_HASH, 4, 8, 4);
	ASSERT_LE(0, hfd);
	pfd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, prog);
	ASSERT_LE(0, pfd) TH_LOG("load: %s", strerror(errno));
	make_frame(frame, sizeof(frame));

	for (i = 0; i < 8; i++) {
		int pass;

		for (pass = 0; pass < 2; pass++) {
			memset(&a, 0, sizeof(a));
			switch (i) {
			case 0:
				cmd = XBPF_MAP_CREATE; end = END(map_extra);
				name = "MAP_CREATE";
				array_attr(&a);
				break;
			case 1:
				cmd = XBPF_MAP_LOOKUP_ELEM; end = END(flags);
				name = "MAP_LOOKUP_ELEM";
				a.map_fd = afd; a.key = PTR(&key); a.value = PTR(&val);
				break;
			case 2:
				cmd = XBPF_MAP_UPDATE_ELEM; end = END(flags);
				name = "MAP_UPDATE_ELEM";
				a.map_fd = hfd; a.key = PTR(&key); a.value = PTR(&val);
				break;
			case 3:
				/* the key exists: case 2 inserted it */
				cmd = XBPF_MAP_DELETE_ELEM; end = END(key);
				name = "MAP_DELETE_ELEM";
				a.map_fd = hfd; a.key = PTR(&key);
				break;
			case 4:
				cmd = XBPF_MAP_GET_NEXT_KEY; end = END(next_key);
				name = "MAP_GET_NEXT_KEY";
				a.map_fd = afd; a.next_key = PTR(&next);
				break;
			case 5:
				cmd = XBPF_PROG_TEST_RUN; end = END(test.batch_size);
				name = "PROG_TEST_RUN";
				a.test.prog_fd = pfd; a.test.data_in = PTR(frame);
				a.test.data_size_in = sizeof(frame);
				break;
			case 6:
				cmd = XBPF_OBJ_GET_INFO_BY_FD; end = END(info.info);
				name = "OBJ_GET_INFO_BY_FD";
				a.info.bpf_fd = afd; a.info.info_len = sizeof(mi);
				a.info.info = PTR(&mi);
				break;
			default:
				cmd = XBPF_PROG_LOAD; end = END(log_true_size);
				name = "PROG_LOAD";
				prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, prog, 2);
				break;
			}
			if (end >= ATTR_SZ) {
				TH_LOG("%s: no bytes after the last field", name);
				break;
			}
			if (pass == 0) {
				((unsigned char *)&a)[end] = 1;
				ret = xbpf_call(cmd, &a);
				EXPECT_EQ(-1, ret) TH_LOG("%s accepted a nonzero tail", name);
				EXPECT_EQ(EINVAL, errno) TH_LOG("%s: %s", name, strerror(errno));
				if (ret >= 0 && (cmd == XBPF_MAP_CREATE || cmd == XBPF_PROG_LOAD))
					close(ret);
			} else {
				ret = xbpf_call(cmd, &a);
				EXPECT_LE(0, ret) TH_LOG("%s without the tail: %s", name, strerror(errno));
				if (ret > 0 && (cmd == XBPF_MAP_CREATE || cmd == XBPF_PROG_LOAD))
					close(ret);
			}
		}
	}
	close(pfd);
	close(hfd);
	close(afd);
}

TEST(unknown_and_unimplemented_commands)
{
	union xbpf_attr a;

	ASSERT_LE(0, xbpf_dev());
	memset(&a, 0, sizeof(a));
	ASSERT_EQ(-1, xbpf_call(__XBPF_CMD_MAX, &a));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, xbpf_call(1000, &a));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, xbpf_call(-1, &a));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, xbpf_call(XBPF_PROG_BIND_MAP, &a));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(-1, ioctl(xbpf_dev(), _IO(XBPF_IOC_MAGIC, 99), 0));
	ASSERT_EQ(ENOTTY, errno);
}

TEST(bad_pointers_efault)
{
	struct xbpf_cmd c = { .cmd = XBPF_MAP_CREATE, .size = ATTR_SZ };
	union xbpf_attr a;
	__u32 key = 0;
	__u64 val = 0;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	/* the command block itself */
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_BPF, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_BPF, bad_ptr()));
	ASSERT_EQ(EFAULT, errno);
	/* the attr block, within and beyond our size */
	c.attr = PTR(bad_ptr());
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_BPF, &c));
	ASSERT_EQ(EFAULT, errno);
	c.size = ATTR_SZ + 4096;
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_BPF, &c));
	ASSERT_EQ(EFAULT, errno);
	c.attr = 0;
	c.size = 8;
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_BPF, &c));
	ASSERT_EQ(EFAULT, errno);

	/* pointers inside the attr */
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, map_lookup(fd, bad_ptr(), &val));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, map_lookup(fd, &key, bad_ptr()));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, map_update(fd, &key, bad_ptr(), 0));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, map_next_key(fd, NULL, bad_ptr()));
	ASSERT_EQ(EFAULT, errno);
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(struct xbpf_map_info);
	a.info.info = PTR(bad_ptr());
	ASSERT_EQ(-1, xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a));
	ASSERT_EQ(EFAULT, errno);
	close(fd);

	/* a program load with bad insns and license pointers */
	prog_attr(&a, XBPF_PROG_TYPE_SOCKET_FILTER, bad_ptr(), 2);
	ASSERT_EQ(-1, xbpf_call(XBPF_PROG_LOAD, &a));
	ASSERT_EQ(EFAULT, errno);
}

TEST(version_query)
{
	struct xbpf_version v;

	ASSERT_LE(0, xbpf_dev());
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ASSERT_EQ(0, ioctl(xbpf_dev(), XBPF_IOC_VERSION, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(XBPF_ABI_VERSION, v.abi_version);
	EXPECT_NE(0, v.version[0]);
	EXPECT_NE(NULL, memchr(v.version, 0, sizeof(v.version)));
	EXPECT_TRUE(v.features & XBPF_FEAT_INTERP);
	EXPECT_TRUE(v.features & XBPF_FEAT_ISA_V4);
	EXPECT_FALSE(v.features & XBPF_FEAT_JIT);
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_MAP_CREATE));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_PROG_LOAD));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_PROG_TEST_RUN));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_OBJ_GET_INFO_BY_FD));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_OBJ_PIN));
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_OBJ_GET));
	EXPECT_TRUE(v.prog_types & (1ULL << XBPF_PROG_TYPE_SOCKET_FILTER));
	EXPECT_TRUE(v.prog_types & (1ULL << XBPF_PROG_TYPE_SYSCALL));
	EXPECT_TRUE(v.prog_types & (1ULL << XBPF_PROG_TYPE_KPROBE));
	EXPECT_TRUE(v.prog_types & (1ULL << XBPF_PROG_TYPE_TRACEPOINT));
	EXPECT_TRUE(v.prog_types & (1ULL << XBPF_PROG_TYPE_RAW_TRACEPOINT));
	EXPECT_FALSE(v.prog_types & (1ULL << XBPF_PROG_TYPE_PERF_EVENT));
	EXPECT_TRUE(v.features & XBPF_FEAT_ATTACH);
	EXPECT_TRUE(v.cmds & (1ULL << XBPF_LINK_CREATE));
	EXPECT_TRUE(v.map_types & (1ULL << XBPF_MAP_TYPE_ARRAY));
	EXPECT_TRUE(v.map_types & (1ULL << XBPF_MAP_TYPE_HASH));
	EXPECT_LE(XBPF_MAXINSNS, v.max_insns);
	EXPECT_EQ(ATTR_SZ, v.attr_size);
	TH_LOG("xbpf %s abi %u features %#llx cmds %#llx", v.version,
	       v.abi_version, (unsigned long long)v.features,
	       (unsigned long long)v.cmds);
}

TEST(version_query_sizes)
{
	unsigned char buf[sizeof(struct xbpf_version) + 32];
	struct xbpf_version *v = (void *)buf;

	ASSERT_LE(0, xbpf_dev());
	/* a newer caller: we fill what we know and say so */
	memset(buf, 0xa5, sizeof(buf));
	v->size = sizeof(buf);
	ASSERT_EQ(0, ioctl(xbpf_dev(), XBPF_IOC_VERSION, buf));
	EXPECT_EQ(sizeof(struct xbpf_version), v->size);
	EXPECT_EQ(0xa5, buf[sizeof(buf) - 1]);

	/* an older caller: nothing written past its size */
	memset(buf, 0xa5, sizeof(buf));
	v->size = 8;
	ASSERT_EQ(0, ioctl(xbpf_dev(), XBPF_IOC_VERSION, buf));
	EXPECT_EQ(8, v->size);
	EXPECT_EQ(XBPF_ABI_VERSION, v->abi_version);
	EXPECT_EQ(0xa5, buf[8]);

	/* too small to be useful */
	v->size = 4;
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_VERSION, buf));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(xbpf_dev(), XBPF_IOC_VERSION, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

TEST_HARNESS_MAIN

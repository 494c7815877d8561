/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the in-VM selftests: the /dev/xbpf call, instruction
 * builders, and small wrappers around the commands.  Every wrapper returns
 * what the ioctl returns (-1 with errno on failure), like bpf(2).
 */
#ifndef _XBPF_TEST_H
#define _XBPF_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/xbpf.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define PTR(p)		((__u64)(uintptr_t)(p))

/* Instruction builders, usable inside array initialisers. */
#define I_RAW(c, d, s, o, i) \
	{ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define I_MOV64_IMM(d, i)	I_RAW(XBPF_ALU64 | XBPF_MOV | XBPF_K, d, 0, 0, i)
#define I_MOV64_REG(d, s)	I_RAW(XBPF_ALU64 | XBPF_MOV | XBPF_X, d, s, 0, 0)
#define I_ADD64_IMM(d, i)	I_RAW(XBPF_ALU64 | XBPF_ADD | XBPF_K, d, 0, 0, i)
#define I_ADD64_REG(d, s)	I_RAW(XBPF_ALU64 | XBPF_ADD | XBPF_X, d, s, 0, 0)
#define I_LDX(sz, d, s, o)	I_RAW(XBPF_LDX | (sz) | XBPF_MEM, d, s, o, 0)
#define I_STX(sz, d, s, o)	I_RAW(XBPF_STX | (sz) | XBPF_MEM, d, s, o, 0)
#define I_ST(sz, d, o, i)	I_RAW(XBPF_ST | (sz) | XBPF_MEM, d, 0, o, i)
#define I_LD_ABS(sz, i)		I_RAW(XBPF_LD | (sz) | XBPF_ABS, 0, 0, 0, i)
#define I_JEQ_IMM(d, i, o)	I_RAW(XBPF_JMP | XBPF_JEQ | XBPF_K, d, 0, o, i)
#define I_CALL(id)		I_RAW(XBPF_JMP | XBPF_CALL, 0, 0, 0, id)
#define I_EXIT()		I_RAW(XBPF_JMP | XBPF_EXIT, 0, 0, 0, 0)
/* two slots */
#define I_LD_MAP_FD(d, fd)						\
	I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, d, XBPF_PSEUDO_MAP_FD, 0, fd), \
	I_RAW(0, 0, 0, 0, 0)

/* __sk_buff offsets (Linux layout) */
#define SKB_LEN		0
#define SKB_MARK	8
#define SKB_PROTOCOL	16
#define SKB_PRIORITY	32
#define SKB_CB0		48
#define SKB_SIZE	192

/*
 * The module's reference count (every live object pins the module): a
 * test reads it settled, does its work, closes everything and waits for
 * it to come back.  Frees run from RCU callbacks, after the fd closes.
 */
#define REFCNT_PATH	"/sys/module/xbpf/refcnt"

static inline long read_refcnt(void)
{
	FILE *f = fopen(REFCNT_PATH, "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/*
 * The count before a test: frees of an earlier test (its process just
 * exited) may still be pending, so wait until it reads the same 3 times,
 * 100 ms apart (at most 10 s).
 */
static inline long stable_refcnt(void)
{
	long n = read_refcnt(), prev;
	int same = 0, i;

	for (i = 0; i < 100 && same < 3; i++) {
		usleep(100 * 1000);
		prev = n;
		n = read_refcnt();
		same = n == prev ? same + 1 : 0;
	}
	return n;
}

/* Waits up to ms for the count to come down to want; returns it. */
static inline long wait_refcnt(long want, int ms)
{
	long n = read_refcnt();

	while (n > want && ms > 0) {
		usleep(50 * 1000);
		ms -= 50;
		n = read_refcnt();
	}
	return n;
}

static int xbpf_dev_fd = -1;

static inline int xbpf_dev(void)
{
	if (xbpf_dev_fd < 0)
		xbpf_dev_fd = open(XBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	return xbpf_dev_fd;
}

static inline int xbpf_sys(int cmd, void *attr, unsigned int size)
{
	struct xbpf_cmd c = { .cmd = cmd, .size = size, .attr = PTR(attr) };

	return ioctl(xbpf_dev(), XBPF_IOC_BPF, &c);
}

static inline int xbpf_call(int cmd, union xbpf_attr *attr)
{
	return xbpf_sys(cmd, attr, sizeof(*attr));
}

static inline int map_create_flags(__u32 type, __u32 ks, __u32 vs, __u32 n,
				   __u32 flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ks;
	a.value_size = vs;
	a.max_entries = n;
	a.map_flags = flags;
	return xbpf_call(XBPF_MAP_CREATE, &a);
}

static inline int map_create(__u32 type, __u32 ks, __u32 vs, __u32 n)
{
	return map_create_flags(type, ks, vs, n, 0);
}

static inline int map_elem(int cmd, int fd, const void *key, void *value,
			   __u64 flags)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = PTR(key);
	a.value = PTR(value);
	a.flags = flags;
	return xbpf_call(cmd, &a);
}

#define map_lookup(fd, k, v)		map_elem(XBPF_MAP_LOOKUP_ELEM, fd, k, v, 0)
#define map_update(fd, k, v, f)		map_elem(XBPF_MAP_UPDATE_ELEM, fd, k, (void *)(v), f)
#define map_next_key(fd, k, n)		map_elem(XBPF_MAP_GET_NEXT_KEY, fd, k, n, 0)

static inline int map_delete(int fd, const void *key)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = PTR(key);
	return xbpf_call(XBPF_MAP_DELETE_ELEM, &a);
}

static inline void prog_attr(union xbpf_attr *a, __u32 type,
			     const struct xbpf_insn *insns, __u32 cnt)
{
	memset(a, 0, sizeof(*a));
	a->prog_type = type;
	a->insns = PTR(insns);
	a->insn_cnt = cnt;
	a->license = PTR("GPL");
}

static inline int prog_load(__u32 type, const struct xbpf_insn *insns,
			    __u32 cnt)
{
	union xbpf_attr a;

	prog_attr(&a, type, insns, cnt);
	return xbpf_call(XBPF_PROG_LOAD, &a);
}

#define PROG_LOAD(type, insns) prog_load(type, insns, ARRAY_LEN(insns))

static inline void test_attr(union xbpf_attr *a, int prog_fd)
{
	memset(a, 0, sizeof(*a));
	a->test.prog_fd = prog_fd;
}

/* Socket-filter run on data (size bytes); returns the ioctl result. */
static inline int run_skb(int prog_fd, const void *data, __u32 size,
			  __u32 *retval)
{
	union xbpf_attr a;
	int ret;

	test_attr(&a, prog_fd);
	a.test.data_in = PTR(data);
	a.test.data_size_in = size;
	ret = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	if (retval)
		*retval = a.test.retval;
	return ret;
}

static inline int prog_info(int fd, struct xbpf_prog_info *info, __u32 *len)
{
	union xbpf_attr a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = *len;
	a.info.info = PTR(info);
	ret = xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a);
	*len = a.info.info_len;
	return ret;
}

static inline int map_info(int fd, struct xbpf_map_info *info)
{
	union xbpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(info, 0, sizeof(*info));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(*info);
	a.info.info = PTR(info);
	return xbpf_call(XBPF_OBJ_GET_INFO_BY_FD, &a);
}

/* A 60-byte IPv4-looking frame: ethertype 0x0800, payload bytes i+1. */
static inline void make_frame(unsigned char *f, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		f[i] = (unsigned char)(i + 1);
	f[12] = 0x08;
	f[13] = 0x00;
}

/* Sets the effective capability set to exactly caps (a bit mask). */
static inline int set_effective(__u64 caps)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective = (__u32)caps;
	d[1].effective = (__u32)(caps >> 32);
	return syscall(SYS_capset, &h, d);
}

#define XBPF_PARAM(name)	"/sys/module/xbpf/parameters/" name

/* An integer module parameter (XBPF_PARAM("jit_harden")); -1 when unreadable. */
static inline int param_read(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Writes a one-character parameter; returns the old value (0: failed). */
static inline char param_swap_char(const char *path, char v)
{
	FILE *f = fopen(path, "r+");
	char old = 0;

	if (!f)
		return 0;
	if (fscanf(f, " %c", &old) != 1)
		old = 0;
	rewind(f);
	fputc(v, f);
	if (fclose(f))
		return 0;
	return old;
}

/*
 * A program under construction: E() appends, lookup() is a map lookup
 * that jumps out when it finds nothing, finish() appends "return 0" and
 * points every OUT placeholder at it.
 */
#define OUT		0x7fff		/* jump offset placeholder: to the exit */

struct pb {
	struct xbpf_insn in[256];
	int n;
};

#define E(...)	(p->in[p->n++] = (struct xbpf_insn)__VA_ARGS__)

/* r0 = &map[key] (u32 key) or jump out; clobbers r1-r5 and fp-4 */
static inline void pb_lookup(struct pb *p, int map, int key)
{
	E(I_ST(XBPF_W, 10, -4, key));
	E(I_MOV64_REG(2, 10));
	E(I_ADD64_IMM(2, -4));
	E(I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, 1, XBPF_PSEUDO_MAP_FD, 0, map));
	E(I_RAW(0, 0, 0, 0, 0));
	E(I_CALL(XBPF_FUNC_map_lookup_elem));
	E(I_JEQ_IMM(0, 0, OUT));
}

static inline void pb_ld64(struct pb *p, int reg, __u64 v)
{
	E(I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, reg, 0, 0, (__s32)(__u32)v));
	E(I_RAW(0, 0, 0, 0, (__s32)(__u32)(v >> 32)));
}

static inline void pb_finish(struct pb *p)
{
	int i, out = p->n;

	E(I_MOV64_IMM(0, 0));
	E(I_EXIT());
	for (i = 0; i < out; i++)
		if (XBPF_CLASS(p->in[i].code) == XBPF_JMP && p->in[i].off == OUT)
			p->in[i].off = out - i - 1;
}

#endif /* _XBPF_TEST_H */

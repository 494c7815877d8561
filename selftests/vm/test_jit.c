// SPDX-License-Identifier: GPL-2.0
/*
 * The JIT in the module (module/jit_mem.c): with the default jit=auto a
 * proved program gets an image (OBJ_GET_INFO reports jited_prog_len) and
 * PROG_TEST_RUN runs it; results must be the ones the program computes,
 * run after run, tail calls included (an empty slot falls through).  The rig scans the kernel log afterwards: loading
 * and freeing images must stay quiet (no W+X, no warnings).
 */
#include "kselftest_harness.h"
#include "xbpf_test.h"

#ifndef CAP_BPF
#define CAP_BPF		39
#endif

#define I_ALU64_IMM(op, d, i)	I_RAW(XBPF_ALU64 | (op) | XBPF_K, d, 0, 0, i)
#define I_ALU64_REG(op, d, s)	I_RAW(XBPF_ALU64 | (op) | XBPF_X, d, s, 0, 0)
#define I_ALU32_REG(op, d, s)	I_RAW(XBPF_ALU | (op) | XBPF_X, d, s, 0, 0)
#define I_CALL_LOCAL(off)	I_RAW(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, off)
#define I_JA(off)		I_RAW(XBPF_JMP | XBPF_JA, 0, 0, off, 0)

static __u32 jited_len(int fd)
{
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (prog_info(fd, &info, &len))
		return 0;
	return info.jited_prog_len;
}

/* SYSCALL run with a ctx of n u32; returns the ioctl result. */
static int run_ctx(int fd, __u32 *ctx, __u32 n, __u32 repeat, __u32 *retval)
{
	union xbpf_attr a;
	int ret;

	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = n * sizeof(__u32);
	a.test.repeat = repeat;
	ret = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	*retval = a.test.retval;
	return ret;
}

TEST(alu_jited)
{
	/* r0 = ((ctx[0] * 7 - 3) ^ 0xff) << 4 >> 2, then + 32-bit wrap */
	static const struct xbpf_insn p[] = {
		I_LDX(XBPF_W, 0, 1, 0),
		I_ALU64_IMM(XBPF_MUL, 0, 7),
		I_ALU64_IMM(XBPF_SUB, 0, 3),
		I_ALU64_IMM(XBPF_XOR, 0, 0xff),
		I_ALU64_IMM(XBPF_LSH, 0, 4),
		I_ALU64_IMM(XBPF_RSH, 0, 2),
		I_MOV64_IMM(2, -1),
		I_ALU32_REG(XBPF_ADD, 0, 2),	/* 32-bit: wraps, zero-extends */
		I_EXIT(),
	};
	__u32 ctx[2] = { 0, 0 }, ret, v;
	int fd, i;

	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd)) TH_LOG("jit=auto, yet the program is not JITed");
	for (i = 0; i < 50; i++) {
		v = (__u32)i * 977;
		ctx[0] = v;
		ASSERT_EQ(0, run_ctx(fd, ctx, 2, i % 3 ? 1 : 100, &ret));
		EXPECT_EQ((__u32)((((((__u64)v * 7 - 3) ^ 0xff) << 4) >> 2) - 1), ret)
			TH_LOG("ctx %u", v);
	}
	close(fd);
}

TEST(div_by_zero)
{
	/* r0 = 100 / d + 100 % d (32-bit forms too), d = ctx[0] */
	static const struct xbpf_insn p[] = {
		I_LDX(XBPF_W, 1, 1, 0),
		I_MOV64_IMM(0, 100),
		I_ALU64_REG(XBPF_DIV, 0, 1),
		I_MOV64_IMM(2, 100),
		I_ALU64_REG(XBPF_MOD, 2, 1),
		I_ADD64_REG(0, 2),
		I_MOV64_IMM(3, 1000),
		I_ALU32_REG(XBPF_DIV, 3, 1),
		I_ALU64_IMM(XBPF_MUL, 3, 1000),
		I_ADD64_REG(0, 3),
		I_EXIT(),
	};
	__u32 ctx[1], ret, d;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd));
	for (d = 0; d < 12; d++) {
		__u32 want = d ? 100 / d + 100 % d + 1000 / d * 1000 : 0 + 100 + 0;

		ctx[0] = d;
		ASSERT_EQ(0, run_ctx(fd, ctx, 1, 10, &ret));
		EXPECT_EQ(want, ret) TH_LOG("divisor %u", d);
	}
	close(fd);
}

TEST(map_counter)
{
	__u32 key = 0, ret;
	__u64 val = 0, ctx[1] = { 0 };
	int mfd, fd;

	ASSERT_LE(0, xbpf_dev());
	mfd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 2);
	ASSERT_LE(0, mfd) TH_LOG("map: %s", strerror(errno));
	/* value[0] += 1 per run; returns the new value */
	struct xbpf_insn p[] = {
		I_ST(XBPF_W, 10, -4, 0),
		I_LD_MAP_FD(1, mfd),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 4),
		I_LDX(XBPF_DW, 1, 0, 0),
		I_ADD64_IMM(1, 1),
		I_STX(XBPF_DW, 0, 1, 0),
		I_MOV64_REG(0, 1),
		I_EXIT(),
	};

	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd));
	ASSERT_EQ(0, run_ctx(fd, (__u32 *)ctx, 2, 1000, &ret));
	EXPECT_EQ(1000, ret);
	ASSERT_EQ(0, run_ctx(fd, (__u32 *)ctx, 2, 1, &ret));
	EXPECT_EQ(1001, ret);
	ASSERT_EQ(0, map_elem(XBPF_MAP_LOOKUP_ELEM, mfd, &key, &val, 0));
	EXPECT_EQ(1001, val);
	close(fd);
	close(mfd);
}

TEST(ld_abs)
{
	/* r0 = byte[0] + half[2] + word[4]; a read past the end returns 0 */
	static const struct xbpf_insn p[] = {
		I_MOV64_REG(6, 1),
		I_LD_ABS(XBPF_B, 0),
		I_MOV64_REG(7, 0),
		I_LD_ABS(XBPF_H, 2),
		I_ADD64_REG(7, 0),
		I_LD_ABS(XBPF_W, 4),
		I_ADD64_REG(0, 7),
		I_EXIT(),
	};
	static const struct xbpf_insn past[] = {
		I_MOV64_REG(6, 1),
		I_LD_ABS(XBPF_W, 44),
		I_MOV64_IMM(0, 77),
		I_EXIT(),
	};
	unsigned char frame[60], big[80];
	__u32 ret, want;
	int fd, fd2;

	make_frame(frame, sizeof(frame));
	/* the program sees the frame from its byte 14 (header pulled) */
	want = frame[14] + (frame[16] << 8 | frame[17]) +
	       ((__u32)frame[18] << 24 | frame[19] << 16 | frame[20] << 8 | frame[21]);
	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd));
	ASSERT_EQ(0, run_skb(fd, frame, sizeof(frame), &ret));
	EXPECT_EQ(want, ret);

	fd2 = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, past);
	ASSERT_LE(0, fd2) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd2));
	/* 46 bytes after the pull: a word at 44 is out */
	ASSERT_EQ(0, run_skb(fd2, frame, sizeof(frame), &ret));
	EXPECT_EQ(0, ret);
	/* in a longer frame it is in */
	make_frame(big, sizeof(big));
	ASSERT_EQ(0, run_skb(fd2, big, sizeof(big), &ret));
	EXPECT_EQ(77, ret);
	close(fd2);
	close(fd);
}

TEST(bpf_to_bpf_calls)
{
	/* main: r6 = ctx[0]; r0 = f(r6) + r6;  f(x) = g(x + 1) * 2;  g(y) = y * 3 */
	static const struct xbpf_insn p[] = {
		I_LDX(XBPF_W, 6, 1, 0),
		I_MOV64_REG(1, 6),
		I_CALL_LOCAL(2),
		I_ADD64_REG(0, 6),
		I_EXIT(),
		/* f */
		I_ADD64_IMM(1, 1),
		I_STX(XBPF_DW, 10, 1, -8),
		I_CALL_LOCAL(2),
		I_ALU64_IMM(XBPF_MUL, 0, 2),
		I_EXIT(),
		/* g */
		I_MOV64_REG(0, 1),
		I_ALU64_IMM(XBPF_MUL, 0, 3),
		I_EXIT(),
	};
	__u32 ctx[1], ret, x;
	int fd;

	ASSERT_LE(0, xbpf_dev());
	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd));
	for (x = 0; x < 20; x++) {
		ctx[0] = x * 1001;
		ASSERT_EQ(0, run_ctx(fd, ctx, 1, 5, &ret));
		EXPECT_EQ((ctx[0] + 1) * 3 * 2 + ctx[0], ret);
	}
	close(fd);
}

/* bpf_tail_call is JIT-compiled now (test_tailcall_jit.c has the rest) */
TEST(tail_call_jited)
{
	__u32 ret, ctx[1] = { 0 };
	int mfd, fd;

	ASSERT_LE(0, xbpf_dev());
	mfd = map_create(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1);
	ASSERT_LE(0, mfd) TH_LOG("map: %s", strerror(errno));
	/* an empty slot: the tail call falls through, r0 = 7 */
	struct xbpf_insn p[] = {
		I_LD_MAP_FD(2, mfd),
		I_MOV64_IMM(3, 0),
		I_CALL(XBPF_FUNC_tail_call),
		I_MOV64_IMM(0, 7),
		I_EXIT(),
	};

	fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
	ASSERT_LE(0, fd) TH_LOG("load: %s", strerror(errno));
	EXPECT_LT(0, jited_len(fd));
	ASSERT_EQ(0, run_ctx(fd, ctx, 1, 3, &ret));
	EXPECT_EQ(7, ret);
	close(fd);
	close(mfd);
}

/* Many short-lived images: each one's free runs after its grace period. */
TEST(load_free_churn)
{
	static const struct xbpf_insn p[] = {
		I_MOV64_IMM(0, 42),
		I_EXIT(),
	};
	__u32 ret, ctx[1] = { 0 };
	int fd, i;

	ASSERT_LE(0, xbpf_dev());
	for (i = 0; i < 200; i++) {
		fd = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
		ASSERT_LE(0, fd) TH_LOG("load %d: %s", i, strerror(errno));
		if (!i)
			EXPECT_LT(0, jited_len(fd));
		ASSERT_EQ(0, run_ctx(fd, ctx, 1, 1, &ret));
		EXPECT_EQ(42, ret);
		close(fd);
	}
}

/* ---------------------------------------------------------------------
 * Unprivileged loads: sanitation and constant blinding (jit_harden=1)
 */

#define UNPRIV_PARAM	XBPF_PARAM("unprivileged")
#define HARDEN_PARAM	XBPF_PARAM("jit_harden")

/* Loads with exactly the effective capabilities caps, then takes root's back. */
static int load_with(__u64 caps, const struct xbpf_insn *p, __u32 n)
{
	int fd, err;

	if (set_effective(caps))
		return -1;
	fd = prog_load(XBPF_PROG_TYPE_SOCKET_FILTER, p, n);
	err = errno;
	if (set_effective(~0ULL >> (64 - 41)))	/* every capability up to CAP_CHECKPOINT_RESTORE */
		set_effective((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_BPF));
	errno = err;
	return fd;
}

/*
 * Without CAP_PERFMON the verifier masks r0 += r7 (Spectre v1, through
 * AX) and zeroes the key's stack slot first (v4); without CAP_BPF the
 * JIT also blinds the constants.  The JIT compiles all of it, and the
 * three loads compute the same byte of the map value.
 */
TEST(unprivileged_sanitized_jited)
{
	static const unsigned char val[4] = { 0x11, 0x22, 0x33, 0x44 };
	unsigned char frame[64];
	__u32 k = 0, r[3], len[3], size;
	int m, fd[3], i;
	char old;

	ASSERT_EQ(0, geteuid());
	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, m);
	ASSERT_EQ(0, map_update(m, &k, val, 0));
	/* r0 = value[skb->len & 3] */
	struct xbpf_insn p[] = {
		I_MOV64_REG(6, 1),
		I_LDX(XBPF_W, 7, 6, SKB_LEN),
		I_RAW(XBPF_ALU64 | XBPF_AND | XBPF_K, 7, 0, 0, 3),
		I_ST(XBPF_W, 10, -4, 0),
		I_LD_MAP_FD(1, m),
		I_MOV64_REG(2, 10),
		I_ADD64_IMM(2, -4),
		I_CALL(XBPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(0, 0, 3),
		I_ADD64_REG(0, 7),
		I_LDX(XBPF_B, 0, 0, 0),
		I_EXIT(),
		I_MOV64_IMM(0, 0),
		I_EXIT(),
	};

	old = param_swap_char(UNPRIV_PARAM, 'Y');
	ASSERT_NE(0, old) TH_LOG("%s: %s", UNPRIV_PARAM, strerror(errno));
	fd[0] = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);		/* root */
	fd[1] = load_with(1ULL << CAP_BPF, p, ARRAY_LEN(p));		/* sanitized */
	fd[2] = load_with(0, p, ARRAY_LEN(p));				/* + blinded */
	EXPECT_EQ('Y', param_swap_char(UNPRIV_PARAM, old));
	for (i = 0; i < 3; i++) {
		ASSERT_LE(0, fd[i]) TH_LOG("load %d: %s", i, strerror(errno));
		len[i] = jited_len(fd[i]);
		EXPECT_LT(0, len[i]) TH_LOG("load %d is not JITed", i);
	}
	TH_LOG("jited_prog_len: root %u, CAP_BPF only %u, no capabilities %u",
	       len[0], len[1], len[2]);
	/* masking and the zeroing store are code */
	EXPECT_LT(len[0], len[1]);
	if (param_read(HARDEN_PARAM) == 1) {
		EXPECT_LT(len[1], len[2]) TH_LOG("jit_harden=1 blinds only the last");
	}
	for (size = 60; size < 64; size++) {
		make_frame(frame, size);
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, run_skb(fd[i], frame, size, &r[i]));
			/* 14 header bytes are pulled: skb->len is size - 14 */
			EXPECT_EQ(val[(size - 14) & 3], r[i]) TH_LOG("load %d, %u bytes", i, size);
		}
	}
	for (i = 0; i < 3; i++)
		close(fd[i]);
	close(m);
}

/* No pointer arithmetic, no stack: only blinding tells the two images apart. */
TEST(unprivileged_blinded)
{
	static const struct xbpf_insn p[] = {
		I_LDX(XBPF_W, 0, 1, SKB_LEN),
		I_RAW(XBPF_ALU64 | XBPF_XOR | XBPF_K, 0, 0, 0, 0x5a17c0de),
		I_RAW(XBPF_ALU64 | XBPF_MUL | XBPF_K, 0, 0, 0, 0x3b9aca07),
		I_RAW(XBPF_JMP | XBPF_JGT | XBPF_K, 0, 0, 1, 0x7eadbeef),
		I_ADD64_IMM(0, 0x1234567),
		I_RAW(XBPF_ALU | XBPF_AND | XBPF_K, 0, 0, 0, 0x7fffffff),
		I_EXIT(),
	};
	unsigned char frame[80];
	__u32 lp, lu, rp, ru, size, want;
	int fp, fu, h;
	char old;

	ASSERT_EQ(0, geteuid());
	ASSERT_LE(0, xbpf_dev());
	h = param_read(HARDEN_PARAM);
	old = param_swap_char(UNPRIV_PARAM, 'Y');
	ASSERT_NE(0, old) TH_LOG("%s: %s", UNPRIV_PARAM, strerror(errno));
	fp = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
	fu = load_with(0, p, ARRAY_LEN(p));
	EXPECT_EQ('Y', param_swap_char(UNPRIV_PARAM, old));
	ASSERT_LE(0, fp) TH_LOG("load: %s", strerror(errno));
	ASSERT_LE(0, fu) TH_LOG("unprivileged load: %s", strerror(errno));
	lp = jited_len(fp);
	lu = jited_len(fu);
	TH_LOG("jit_harden=%d: jited_prog_len privileged %u, unprivileged %u", h, lp, lu);
	EXPECT_LT(0, lp);
	EXPECT_LT(0, lu);
	if (h == 1) {
		EXPECT_LT(lp, lu);
	} else if (h == 0) {
		EXPECT_EQ(lp, lu);
	}
	for (size = 60; size < 80; size += 3) {
		__u64 v = (size - 14) ^ 0x5a17c0deULL;

		v *= 0x3b9aca07ULL;
		if (v <= 0x7eadbeefULL)
			v += 0x1234567;
		want = (__u32)v & 0x7fffffff;
		make_frame(frame, size);
		ASSERT_EQ(0, run_skb(fp, frame, size, &rp));
		ASSERT_EQ(0, run_skb(fu, frame, size, &ru));
		EXPECT_EQ(want, rp) TH_LOG("%u bytes", size);
		EXPECT_EQ(want, ru) TH_LOG("%u bytes", size);
	}
	close(fp);
	close(fu);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-to-bpf calls, LD_ABS/LD_IND and stack depth in the abstract
 * interpreter (verifier/calls.c, verifier/ld_abs.c), through xbpf_verify()
 * with xbpf_load_params.check set: frames, argument and return registers,
 * stack pointers passed down, the frame limit, combined stack size, the
 * abnormal-return rules, and packet loads with their R0 bounds.  Accepted
 * programs that are cheap to run also run in the checked interpreter and
 * their result is compared.  Cases marked .btf load with func_info saying
 * every function returns int, which lets subprograms use LD_ABS and tail
 * calls: their abnormal returns are walked as paths of their own.  The
 * tail-call caller limit and the tail_call_reachable marks are tested on
 * xbpf_check_max_stack_depth() directly.
 */
#include "lib/xbpf_test.h"
#include "verifier/env.h"
#include "btf/btf.h"

static char logbuf[1 << 16];

/* ---- fake fd table for map_from_fd ---- */

#define NFDS	5
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

/* ---- BTF: int; int (void); FUNC "f" of it (id 3) ---- */

#define BTF_FD		7
#define BTF_FUNC_INT	3

static struct xbpf_btf *int_btf;

static struct xbpf_btf *fake_btf_from_fd(void *priv, int fd, int *err)
{
	if (fd != BTF_FD || !int_btf) {
		*err = -EBADF;
		return NULL;
	}
	xbpf_btf_get(int_btf);
	return int_btf;
}

static int build_int_btf(void)
{
	static const char strs[] = "\0int\0f";	/* "int" at 1, "f" at 5 */
	static const u32 types[] = {
		1, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 4,
		XBPF_BTF_INT_ENC(XBPF_BTF_INT_SIGNED, 0, 32),
		0, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC_PROTO, 0, 0), 1,
		5, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, 0), 2,
	};
	static struct {
		struct xbpf_btf_header	h;
		u32			types[ARRAY_SIZE(types)];
		char			strs[sizeof(strs)];
	} blob;

	blob.h.magic = XBPF_BTF_MAGIC;
	blob.h.version = XBPF_BTF_VERSION;
	blob.h.hdr_len = sizeof(blob.h);
	blob.h.type_len = sizeof(types);
	blob.h.str_off = sizeof(types);
	blob.h.str_len = sizeof(strs);
	memcpy(blob.types, types, sizeof(types));
	memcpy(blob.strs, strs, sizeof(strs));
	/* Without the struct's tail padding. */
	return xbpf_btf_load((u64)(uintptr_t)&blob, offsetof(typeof(blob), strs) + sizeof(strs),
			     NULL, &int_btf);
}

static const struct xbpf_verifier_ops fake_ops = {
	.map_from_fd = fake_map_from_fd, .btf_from_fd = fake_btf_from_fd,
};

/* fd 1: array, key 4, value 256; fd 2: hash, key 8, value 16. */
#define A256	1
#define HFD	2
#define PAFD	3	/* a PROG_ARRAY as the verifier sees one */
#define RBFD	4	/* a RINGBUF as the verifier sees one */

static struct xbpf_map *mkmap(u32 type, u32 ks, u32 vs, u32 max)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs, .max_entries = max,
	};
	int err;

	return xbpf_map_create(&p, &err);
}


/* ---- load (and run) ---- */

#define RUN_NONE	0xdead0000deadULL

struct ccase {
	const char		*name;
	struct xbpf_insn	insns[40];
	u32			n;
	bool			unpriv;
	/* CAP_BPF without CAP_PERFMON: uninitialised stack is not readable */
	bool			bpf_only;
	/* func_info: every function returns int (LD_ABS, tail calls anywhere) */
	bool			btf;
	int			err;
	const char		*msg;	/* substring of the log, or NULL */
	u64			ret;	/* accepted: the run's R0, or RUN_NONE */
};

#define P(...)	.insns = { __VA_ARGS__ }, .n = sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)

static bool load_bpf_only, load_btf;
/* One int-returning func_info record per subprogram start (load_btf). */
static struct xbpf_func_info load_fi[16];

static u32 fill_func_info(const struct xbpf_insn *insns, u32 n)
{
	u32 i, j, k, cnt = 1, t;

	load_fi[0] = (struct xbpf_func_info){ 0, BTF_FUNC_INT };
	for (i = 0; i < n; i++) {
		if (insns[i].code != (XBPF_JMP | XBPF_CALL) ||
		    insns[i].src_reg != XBPF_PSEUDO_CALL)
			continue;
		t = i + 1 + (u32)insns[i].imm;
		for (j = 0; j < cnt && load_fi[j].insn_off < t; j++)
			;
		if ((j < cnt && load_fi[j].insn_off == t) || cnt >= ARRAY_SIZE(load_fi))
			continue;
		for (k = cnt++; k > j; k--)
			load_fi[k] = load_fi[k - 1];
		load_fi[j] = (struct xbpf_func_info){ t, BTF_FUNC_INT };
	}
	return cnt;
}

/* Verifies with the walk; *progp is the program when accepted (and asked for). */
static int load(const struct xbpf_insn *insns, u32 n, bool unpriv, u32 level,
		struct xbpf_prog **progp)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		.caps = unpriv ? (struct xbpf_caps){} :
			load_bpf_only ? (struct xbpf_caps){ .bpf_capable = true } :
			(struct xbpf_caps){ .allow_ptr_leaks = true, .bypass_spec_v1 = true,
					    .bypass_spec_v4 = true, .bpf_capable = true,
					    .sys_admin = true },
		.log = &log,
		.ops = &fake_ops,
		.check = true,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	if (load_btf) {
		p.prog_btf_fd = BTF_FD;
		p.func_info = (u64)(uintptr_t)load_fi;
		p.func_info_cnt = fill_func_info(insns, n);
		p.func_info_rec_size = sizeof(struct xbpf_func_info);
	}
	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, level, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	if (progp)
		*progp = prog;
	else if (prog)
		xbpf_prog_put(prog);
	return err;
}

/*
 * The packet: an Ethernet header (type 0, no L3 parsing) and 32 bytes of
 * network data 0x10, 0x11, ... that LD_ABS offsets count from.
 */
static int run_prog(const struct xbpf_prog *prog, u64 *r0)
{
	static u8 frame[XBPF_ETH_HLEN + 32];
	struct xbpf_skb skb;
	struct xt_env env = {};
	u32 i;

	for (i = 0; i < 32; i++)
		frame[XBPF_ETH_HLEN + i] = (u8)(0x10 + i);
	if (xbpf_skb_init(&skb, frame, sizeof(frame), NULL))
		return -EINVAL;
	env.ctx = &skb;
	env.ctx_size = XBPF_SKB_USER_SIZE;
	env.skb = &skb;
	return xt_run(prog, &env, r0);
}

static void run_cases(const struct ccase *cases, u32 n, const char *pfx)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct ccase *c = &cases[i];
		struct xbpf_prog *prog = NULL;
		int err;
		bool ok;

		load_bpf_only = c->bpf_only;
		load_btf = c->btf;
		err = load(c->insns, c->n, c->unpriv, 1, &prog);
		load_bpf_only = false;
		load_btf = false;
		ok = err == c->err && (!c->msg || strstr(logbuf, c->msg));
		u64 r0 = 0;
		int rerr = 0;

		if (prog && c->ret != RUN_NONE) {
			rerr = run_prog(prog, &r0);
			ok = ok && !rerr && r0 == c->ret;
		}
		xbpf_prog_put(prog);
		xt_report(ok, "%s: %s (err %d, want %d; run %d r0 %llu)", pfx, c->name, err, c->err,
			  rerr, (unsigned long long)r0);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
	}
}

#define NORUN	.ret = RUN_NONE

/* ---- calls ---- */

static void test_calls(void)
{
	static const struct ccase cases[] = {
	/* accepted */
	{ "return value used by the caller (r0 = 2 * r1 + 1)",
	  P(MOV64_IMM(1, 5), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 1), EXIT(),
	    MOV64_REG(0, 1), ALU64_IMM(XBPF_MUL, 0, 2), EXIT()),
	  .ret = 11 },
	{ "five arguments",
	  P(MOV64_IMM(1, 1), MOV64_IMM(2, 20), MOV64_IMM(3, 300), MOV64_IMM(4, 4000),
	    MOV64_IMM(5, 50000), CALL_LOCAL(1), EXIT(),
	    MOV64_REG(0, 1), ALU64_REG(XBPF_ADD, 0, 2), ALU64_REG(XBPF_ADD, 0, 3),
	    ALU64_REG(XBPF_ADD, 0, 4), ALU64_REG(XBPF_ADD, 0, 5), EXIT()),
	  .ret = 54321 },
	{ "R6-R9 kept across the call",
	  P(MOV64_IMM(6, 6), MOV64_IMM(7, 7), MOV64_IMM(8, 8), MOV64_IMM(9, 9), CALL_LOCAL(5),
	    ALU64_REG(XBPF_ADD, 0, 6), ALU64_REG(XBPF_ADD, 0, 7), ALU64_REG(XBPF_ADD, 0, 8),
	    ALU64_REG(XBPF_ADD, 0, 9), EXIT(),
	    MOV64_IMM(6, 100), MOV64_IMM(9, 100), MOV64_IMM(0, 1000), EXIT()),
	  .ret = 1030 },
	{ "callee writes the caller's stack through a pointer, caller reads it",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(2),
	    LDX(XBPF_DW, 0, 10, -8), EXIT(),
	    ST(XBPF_DW, 1, 0, 42), MOV64_IMM(0, 0), EXIT()),
	  .ret = 42 },
	{ "a grandchild reads the main frame's stack",
	  P(ST(XBPF_DW, 10, -16, 77), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -16), CALL_LOCAL(1),
	    EXIT(),
	    CALL_LOCAL(1), EXIT(),
	    LDX(XBPF_DW, 0, 1, 0), EXIT()),
	  .ret = 77 },
	{ "callee looks a key up on the caller's stack",
	  P(ST(XBPF_DW, 10, -8, 0), MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(2),
	    MOV64_IMM(0, 3), EXIT(),
	    MOV64_REG(2, 1), LD_MAP_FD(1, HFD), CALL(XBPF_FUNC_map_lookup_elem), MOV64_IMM(0, 0),
	    EXIT()),
	  .ret = 3 },
	{ "callee returns a map value or NULL, caller null-checks it",
	  P(CALL_LOCAL(3), JMP_IMM(XBPF_JEQ, 0, 0, 1), LDX(XBPF_DW, 0, 0, 8), EXIT(),
	    ST(XBPF_DW, 10, -8, 0), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8),
	    LD_MAP_FD(1, HFD), CALL(XBPF_FUNC_map_lookup_elem), EXIT()),
	  .ret = 0 },
	{ "branches inside a callee, both arms return to the caller",
	  P(LDX(XBPF_W, 1, 1, 0), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 10), EXIT(),
	    JMP_IMM(XBPF_JGT, 1, 5, 2), MOV64_IMM(0, 1), EXIT(), MOV64_IMM(0, 2), EXIT()),
	  .msg = "processed 11 insns", .ret = 12 },
	{ "eight frames",
	  P(CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 8), EXIT()),
	  .ret = 8 },
	/* rejected */
	{ "caller's R1 unreadable after the return",
	  P(MOV64_IMM(1, 1), CALL_LOCAL(2), MOV64_REG(0, 1), EXIT(), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "R1 !read_ok" },
	{ "caller's R5 unreadable after the return",
	  P(MOV64_IMM(5, 1), CALL_LOCAL(2), MOV64_REG(0, 5), EXIT(), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "R5 !read_ok" },
	{ "callee's R6 is not the caller's",
	  P(MOV64_IMM(6, 1), CALL_LOCAL(1), EXIT(), MOV64_REG(0, 6), EXIT()),
	  .err = -EACCES, .msg = "R6 !read_ok" },
	{ "an argument the caller did not set",
	  P(MOV64_IMM(1, 1), CALL_LOCAL(1), EXIT(), MOV64_REG(0, 2), EXIT()),
	  .err = -EACCES, .msg = "R2 !read_ok" },
	{ "a void callee's R0 is not readable",
	  P(MOV64_IMM(0, 1), CALL_LOCAL(1), EXIT(), MOV64_IMM(1, 0), EXIT()),
	  .err = -EACCES, .msg = "R0 !read_ok" },
	{ "callee reads the caller's uninitialised stack",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(1), EXIT(),
	    LDX(XBPF_DW, 0, 1, 0), EXIT()),
	  .bpf_only = true, .err = -EACCES, .msg = "invalid read from stack R1 off=-8 size=8" },
	/* The same byte of the callee's own frame is written: it is another frame. */
	{ "callee's own fp-8 is not the caller's fp-8",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(1), EXIT(),
	    ST(XBPF_DW, 10, -8, 1), LDX(XBPF_DW, 0, 1, 0), EXIT()),
	  .bpf_only = true, .err = -EACCES, .msg = "invalid read from stack R1 off=-8 size=8" },
	{ "caller's fp-8 is not the callee's fp-8",
	  P(ST(XBPF_DW, 10, -8, 1), CALL_LOCAL(1), EXIT(), LDX(XBPF_DW, 0, 10, -8), EXIT()),
	  .bpf_only = true, .err = -EACCES, .msg = "invalid read from stack R10 off=-8 size=8" },
	{ "callee looks up an uninitialised key on the caller's stack",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(2), MOV64_IMM(0, 3), EXIT(),
	    MOV64_REG(2, 1), LD_MAP_FD(1, HFD), CALL(XBPF_FUNC_map_lookup_elem), MOV64_IMM(0, 0),
	    EXIT()),
	  .bpf_only = true, .err = -EACCES,
	  .msg = "invalid indirect read from stack R2 off -8+0 size 8" },
	{ "returning the callee's stack pointer",
	  P(CALL_LOCAL(1), EXIT(), MOV64_REG(0, 10), ALU64_IMM(XBPF_ADD, 0, -8), EXIT()),
	  .err = -EINVAL, .msg = "cannot return stack pointer to the caller" },
	{ "returning the caller's stack pointer (Linux refuses it too)",
	  P(MOV64_REG(1, 10), CALL_LOCAL(1), EXIT(), MOV64_REG(0, 1), EXIT()),
	  .err = -EINVAL, .msg = "cannot return stack pointer to the caller" },
	{ "spilling the callee's stack pointer into the caller's frame",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -8), CALL_LOCAL(2), MOV64_IMM(0, 0), EXIT(),
	    STX(XBPF_DW, 1, 10, 0), MOV64_IMM(0, 0), EXIT()),
	  .err = -EINVAL, .msg = "cannot spill pointers to stack into stack frame of the caller" },
	{ "a branch in the callee: only the pending arm returns without R0",
	  P(LDX(XBPF_W, 1, 1, 0), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 10), EXIT(),
	    JMP_IMM(XBPF_JGT, 1, 5, 2), MOV64_IMM(0, 1), EXIT(), EXIT()),
	  .err = -EACCES, .msg = "R0 !read_ok" },
	{ "nine frames",
	  P(CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 9), EXIT()),
	  .err = -E2BIG, .msg = "the call stack of 9 frames is too deep\n" },
	/* A dead branch is never walked; the call graph still counts it. */
	{ "nine frames through a dead branch",
	  P(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, 1), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(),
	    CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 9), EXIT()),
	  .err = -E2BIG, .msg = "the call stack of 8 frames is too deep !" },
	{ "unprivileged: no calls at all",
	  P(CALL_LOCAL(1), EXIT(), RET0), .unpriv = true, .err = -EPERM,
	  .msg = "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "calls");
}

/* ---- combined stack size ---- */

static void test_stack_depth(void)
{
	static const struct ccase cases[] = {
	{ "256 + 256 bytes fit exactly",
	  P(ST(XBPF_DW, 10, -256, 1), CALL_LOCAL(2), LDX(XBPF_DW, 0, 10, -256), EXIT(),
	    ST(XBPF_DW, 10, -256, 2), MOV64_IMM(0, 0), EXIT()),
	  .ret = 1 },
	{ "256 + 264 bytes: too large",
	  P(ST(XBPF_DW, 10, -256, 1), CALL_LOCAL(2), LDX(XBPF_DW, 0, 10, -256), EXIT(),
	    ST(XBPF_DW, 10, -264, 2), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "combined stack size of 2 calls is 544. Too large" },
	/* 8 bytes count as a 32-byte frame: 32 + 480. */
	{ "8 + 480 bytes fit after rounding",
	  P(ST(XBPF_DW, 10, -8, 1), CALL_LOCAL(2), LDX(XBPF_DW, 0, 10, -8), EXIT(),
	    ST(XBPF_DW, 10, -480, 2), MOV64_IMM(0, 0), EXIT()),
	  .ret = 1 },
	{ "40 + 480 bytes: 64 + 480 after rounding",
	  P(ST(XBPF_DW, 10, -40, 1), CALL_LOCAL(2), LDX(XBPF_DW, 0, 10, -40), EXIT(),
	    ST(XBPF_DW, 10, -480, 2), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "combined stack size of 2 calls is 544. Too large" },
	/* The callee's depth counts through a pointer the caller passed. */
	{ "a callee touching deep caller stack makes the caller's frame deep",
	  P(MOV64_REG(1, 10), ALU64_IMM(XBPF_ADD, 1, -512), CALL_LOCAL(2), RET0,
	    ST(XBPF_DW, 1, 0, 1), ST(XBPF_DW, 10, -8, 1), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "combined stack size of 2 calls is 544. Too large" },
	/* Two callees side by side: only one of them is on the stack at once. */
	{ "siblings do not add up",
	  P(ST(XBPF_DW, 10, -256, 1), CALL_LOCAL(3), CALL_LOCAL(5), LDX(XBPF_DW, 0, 10, -256),
	    EXIT(),
	    ST(XBPF_DW, 10, -256, 2), MOV64_IMM(0, 0), EXIT(),
	    ST(XBPF_DW, 10, -256, 3), MOV64_IMM(0, 0), EXIT()),
	  .ret = 1 },
	{ "three frames: 192 + 160 + 192",
	  P(ST(XBPF_DW, 10, -192, 1), CALL_LOCAL(2), LDX(XBPF_DW, 0, 10, -192), EXIT(),
	    ST(XBPF_DW, 10, -160, 1), CALL_LOCAL(1), EXIT(),
	    ST(XBPF_DW, 10, -192, 1), MOV64_IMM(0, 0), EXIT()),
	  .err = -EACCES, .msg = "combined stack size of 3 calls is 544. Too large" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "stack");
}

/* The stats line shows each subprogram's deepest byte over every path. */
static void test_depth_stats(void)
{
	struct xbpf_insn p[] = {
		LDX(XBPF_W, 2, 1, 0), JMP_IMM(XBPF_JGT, 2, 5, 1), ST(XBPF_DW, 10, -24, 0),
		ST(XBPF_DW, 10, -8, 0), CALL_LOCAL(1), EXIT(),
		ST(XBPF_B, 10, -13, 0), MOV64_IMM(0, 0), EXIT(),
	};
	int err = load(p, ARRAY_SIZE(p), false, XBPF_LOG_LEVEL1 | XBPF_LOG_STATS, NULL);

	xt_report(!err && strstr(logbuf, "stack depth 24+13\n"),
		  "stack depth per subprogram, deepest arm counts (err %d)", err);
	if (err || !strstr(logbuf, "stack depth 24+13\n"))
		xt_diag("log:\n%s", logbuf);
}

/*
 * The program carries the walk's per-function facts for the engines:
 * starts in the rewritten program (a division guard in main moves the
 * subprogram), stack depths, the main depth in prog->stack_depth.
 */
static void test_func_descs(void)
{
	struct xbpf_insn p[] = {
		LDX(XBPF_W, 2, 1, 0), MOV64_IMM(3, 2), ALU64_REG(XBPF_DIV, 2, 3),
		ST(XBPF_DW, 10, -16, 0), CALL_LOCAL(1), EXIT(),
		ST(XBPF_W, 10, -4, 0), MOV64_IMM(0, 0), EXIT(),
	};
	struct xbpf_prog *prog = NULL;
	int err = load(p, ARRAY_SIZE(p), false, 1, &prog);

	/* the DIV X guard adds 3 instructions in front of it */
	xt_report(!err && prog && !prog->checked && prog->nr_funcs == 2 && prog->funcs &&
		  prog->funcs[0].start == 0 && prog->funcs[1].start == 6 + 3 &&
		  prog->funcs[0].stack_depth == 16 && prog->funcs[1].stack_depth == 4 &&
		  prog->stack_depth == 16 && !prog->funcs[1].tail_call_reachable &&
		  prog->insns[prog->funcs[1].start].code == (XBPF_ST | XBPF_MEM | XBPF_W),
		  "per-function facts: starts after the guard, depths 16 and 4 (err %d)", err);
	xbpf_prog_put(prog);
}

/* ---- LD_ABS / LD_IND ---- */

static void test_ld_abs(void)
{
	static const struct ccase cases[] = {
	/* accepted; the packet's network bytes are 0x10, 0x11, ... */
	{ "LD_ABS B", P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 3), EXIT()), .ret = 0x13 },
	{ "LD_ABS H and W", P(MOV64_REG(6, 1), LD_ABS(XBPF_H, 0), MOV64_REG(7, 0),
			      LD_ABS(XBPF_W, 4), ALU64_REG(XBPF_ADD, 0, 7), EXIT()),
	  .ret = 0x1011 + 0x14151617 },
	{ "LD_IND W", P(MOV64_REG(6, 1), MOV64_IMM(7, 2), LD_IND(XBPF_W, 7, 1), EXIT()),
	  .ret = 0x13141516 },
	{ "LD_ABS unprivileged", P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), EXIT()), .unpriv = true,
	  .ret = 0x10 },
	{ "out of range ends the program with 0",
	  P(MOV64_REG(6, 1), LD_ABS(XBPF_W, 100), MOV64_IMM(0, 9), EXIT()), .ret = 0 },
	{ "LD_ABS in main, which calls a subprogram",
	  P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 1), MOV64_REG(1, 0), CALL_LOCAL(1), EXIT(),
	    MOV64_REG(0, 1), ALU64_IMM(XBPF_ADD, 0, 1), EXIT()),
	  .ret = 0x12 },
	{ "R0 of B is an index into 256 bytes",
	  P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 5), LD_MAP_VALUE(1, A256, 0), ALU64_REG(XBPF_ADD, 1, 0),
	    LDX(XBPF_B, 0, 1, 0), EXIT()),
	  .ret = 0 },
	/* rejected */
	{ "R0 of H is too large an index into 256 bytes",
	  P(MOV64_REG(6, 1), LD_ABS(XBPF_H, 5), LD_MAP_VALUE(1, A256, 0), ALU64_REG(XBPF_ADD, 1, 0),
	    LDX(XBPF_B, 0, 1, 0), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=256 off=65535 size=1" },
	{ "R0 of B plus one byte past the end",
	  P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 5), LD_MAP_VALUE(1, A256, 0), ALU64_REG(XBPF_ADD, 1, 0),
	    LDX(XBPF_H, 0, 1, 0), EXIT()),
	  .err = -EACCES, .msg = "invalid access to map value, value_size=256 off=255 size=2" },
	{ "R6 unset", P(LD_ABS(XBPF_B, 0), EXIT()), .err = -EACCES, .msg = "R6 !read_ok" },
	{ "R6 not the context", P(MOV64_IMM(6, 0), LD_ABS(XBPF_B, 0), EXIT()),
	  .err = -EINVAL, .msg = "at the time of BPF_LD_ABS|IND R6 != pointer to skb" },
	{ "R6 the stack", P(MOV64_REG(6, 10), LD_ABS(XBPF_B, 0), EXIT()),
	  .err = -EINVAL, .msg = "at the time of BPF_LD_ABS|IND R6 != pointer to skb" },
	{ "R6 a moved context",
	  P(MOV64_REG(6, 1), ALU64_IMM(XBPF_ADD, 6, 4), LD_ABS(XBPF_B, 0), EXIT()),
	  .err = -EACCES, .msg = "dereference of modified ctx ptr R6 off=4 disallowed" },
	{ "R1 clobbered", P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), MOV64_REG(0, 1), EXIT()),
	  .err = -EACCES, .msg = "R1 !read_ok" },
	{ "R5 clobbered",
	  P(MOV64_REG(6, 1), MOV64_IMM(5, 1), LD_IND(XBPF_B, 5, 0), MOV64_REG(0, 5), EXIT()),
	  .err = -EACCES, .msg = "R5 !read_ok" },
	{ "LD_IND source unset", P(MOV64_REG(6, 1), LD_IND(XBPF_B, 2, 0), EXIT()),
	  .err = -EACCES, .msg = "R2 !read_ok" },
	{ "LD_IND source a pointer, unprivileged",
	  P(MOV64_REG(6, 1), MOV64_REG(2, 10), LD_IND(XBPF_B, 2, 0), EXIT()), .unpriv = true,
	  .err = -EACCES, .msg = "R2 leaks addr into helper function" },
	{ "LD_ABS in a subprogram",
	  P(MOV64_REG(6, 1), CALL_LOCAL(1), EXIT(), LD_ABS(XBPF_B, 0), EXIT()),
	  .err = -EINVAL, .msg = "LD_ABS is not allowed in subprogs without BTF" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "ld_abs");
}

/* ---- tail calls ---- */

static void test_tail_call_walk(void)
{
	static const struct ccase cases[] = {
	{ "tail call in main, which calls a subprogram",
	  P(MOV64_REG(6, 1), CALL_LOCAL(7), LD_MAP_FD(2, PAFD), MOV64_REG(1, 6), MOV64_IMM(3, 0),
	    CALL(XBPF_FUNC_tail_call), MOV64_IMM(0, 1), EXIT(), MOV64_IMM(0, 0), EXIT()),
	  NORUN },
	{ "tail call in a subprogram",
	  P(MOV64_REG(6, 1), CALL_LOCAL(1), EXIT(), LD_MAP_FD(2, PAFD), MOV64_REG(1, 6),
	    MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), MOV64_IMM(0, 1), EXIT()),
	  .err = -EINVAL, .msg = "tail_call is not allowed in subprogs without BTF" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "tail call");
}

/* ---- abnormal returns from BTF-described subprograms ---- */

#define SUB_MAP_VALUE_INDEX(...) \
	P(MOV64_REG(6, 1), CALL_LOCAL(6), ALU64_IMM(XBPF_ADD, 0, -1), LD_MAP_VALUE(1, A256, 0), \
	  ALU64_REG(XBPF_ADD, 1, 0), LDX(XBPF_B, 0, 1, 0), EXIT(), __VA_ARGS__)

static void test_abnormal_walk(void)
{
	static const struct ccase cases[] = {
	/* accepted; the packet's network bytes are 0x10, 0x11, ... */
	{ "LD_ABS in a subprogram: the byte reaches the caller",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 5), EXIT(),
	    MOV64_REG(6, 1), LD_ABS(XBPF_B, 1), EXIT()),
	  .btf = true, .ret = 0x16 },
	{ "LD_ABS failing in a subprogram returns 0 to the caller only",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 5), EXIT(),
	    MOV64_REG(6, 1), LD_ABS(XBPF_W, 100), MOV64_IMM(0, 9), EXIT()),
	  .btf = true, .ret = 5 },
	{ "LD_IND in a subprogram",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 5), EXIT(),
	    MOV64_REG(6, 1), MOV64_IMM(7, 2), LD_IND(XBPF_B, 7, 1), EXIT()),
	  .btf = true, .ret = 0x18 },
	/* the callee wrote 100 into the caller's fp-8 before leaving early */
	{ "R6-R9 and the caller's stack survive the early return",
	  P(MOV64_REG(6, 1), MOV64_IMM(7, 7), ST(XBPF_DW, 10, -8, 40), MOV64_REG(1, 10),
	    ALU64_IMM(XBPF_ADD, 1, -8), MOV64_REG(2, 6), CALL_LOCAL(4),
	    LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_ADD, 0, 1), ALU64_REG(XBPF_ADD, 0, 7), EXIT(),
	    ST(XBPF_DW, 1, 0, 100), MOV64_REG(6, 2), MOV64_IMM(7, 1000), LD_ABS(XBPF_W, 100),
	    MOV64_IMM(0, 1), EXIT()),
	  .btf = true, .ret = 107 },
	{ "LD_ABS after a join inside the subprogram",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 5), EXIT(),
	    MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), JMP_IMM(XBPF_JGT, 0, 5, 1), MOV64_IMM(0, 3),
	    LD_ABS(XBPF_B, 2), MOV64_IMM(0, 8), EXIT()),
	  .btf = true, .ret = 13 },
	{ "a caller that checks for the early return's 0 may index by R0 - 1",
	  P(MOV64_REG(6, 1), CALL_LOCAL(7), JMP_IMM(XBPF_JEQ, 0, 0, 5),
	    ALU64_IMM(XBPF_ADD, 0, -1), LD_MAP_VALUE(1, A256, 0), ALU64_REG(XBPF_ADD, 1, 0),
	    LDX(XBPF_B, 0, 1, 0), EXIT(),
	    MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), MOV64_IMM(0, 8), EXIT()),
	  .btf = true, .ret = 0 },
	{ "tail call in a subprogram, R0 a scalar either way",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 1), EXIT(),
	    LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), MOV64_IMM(0, 1),
	    EXIT()),
	  .btf = true, NORUN },
	/* rejected: each only because of the abnormal return */
	{ "caller indexes a map value by R0 - 1: the failing LD_ABS's 0 is out of bounds",
	  SUB_MAP_VALUE_INDEX(MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), MOV64_IMM(0, 8), EXIT()),
	  .btf = true, .err = -EACCES, .msg = "invalid access to map value, value_size=256 off=-1 size=1" },
	{ "caller indexes a map value by R0 - 1: the tail call's R0 is unbounded",
	  SUB_MAP_VALUE_INDEX(LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call),
			      MOV64_IMM(0, 8), EXIT()),
	  .btf = true, .err = -EINVAL,
	  .msg = "math between map_value pointer and register with unbounded min value is not allowed" },
	{ "caller dereferences the map value the subprogram returns: the early return's 0",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), LDX(XBPF_B, 0, 0, 0), EXIT(),
	    MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), LD_MAP_VALUE(0, A256, 0), EXIT()),
	  .btf = true, .err = -EACCES, .msg = "R0 invalid mem access 'scalar'" },
	{ "caller dereferences the map value the subprogram returns: the tail call's scalar",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), LDX(XBPF_B, 0, 0, 0), EXIT(),
	    LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call),
	    LD_MAP_VALUE(0, A256, 0), EXIT()),
	  .btf = true, .err = -EACCES, .msg = "R0 invalid mem access 'scalar'" },
	{ "a reference the subprogram holds across its LD_ABS",
	  P(MOV64_REG(6, 1), CALL_LOCAL(2), MOV64_IMM(0, 0), EXIT(),
	    MOV64_REG(6, 1), LD_MAP_FD(1, RBFD), MOV64_IMM(2, 8), MOV64_IMM(3, 0),
	    CALL(XBPF_FUNC_ringbuf_reserve), JMP_IMM(XBPF_JEQ, 0, 0, 5), MOV64_REG(7, 0),
	    LD_ABS(XBPF_B, 0), MOV64_REG(1, 7), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_submit),
	    MOV64_IMM(0, 0), EXIT()),
	  .btf = true, .err = -EINVAL,
	  .msg = "Unreleased reference id=1 alloc_insn=9\nBPF_LD_[ABS|IND] cannot be mixed with socket references" },
	/* Linux 6.1 checks only the main frame's references here: it would leak */
	{ "a reference the caller holds across the subprogram's LD_ABS",
	  P(MOV64_REG(6, 1), LD_MAP_FD(1, RBFD), MOV64_IMM(2, 8), MOV64_IMM(3, 0),
	    CALL(XBPF_FUNC_ringbuf_reserve), JMP_IMM(XBPF_JEQ, 0, 0, 6), MOV64_REG(7, 0),
	    MOV64_REG(1, 6), CALL_LOCAL(5), MOV64_REG(1, 7), MOV64_IMM(2, 0),
	    CALL(XBPF_FUNC_ringbuf_submit), MOV64_IMM(0, 0), EXIT(),
	    MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), EXIT()),
	  .btf = true, .err = -EINVAL,
	  .msg = "BPF_LD_[ABS|IND] cannot be mixed with socket references" },
	{ "a reference held across a tail call in main",
	  P(MOV64_REG(6, 1), LD_MAP_FD(1, RBFD), MOV64_IMM(2, 8), MOV64_IMM(3, 0),
	    CALL(XBPF_FUNC_ringbuf_reserve), JMP_IMM(XBPF_JEQ, 0, 0, 9), MOV64_REG(7, 0),
	    MOV64_REG(1, 6), LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call),
	    MOV64_REG(1, 7), MOV64_IMM(2, 0), CALL(XBPF_FUNC_ringbuf_submit), MOV64_IMM(0, 0),
	    EXIT()),
	  .err = -EINVAL,
	  .msg = "Unreleased reference id=1 alloc_insn=5\ntail_call would lead to reference leak" },
	{ "a reference the caller holds across the subprogram's tail call",
	  P(MOV64_REG(6, 1), LD_MAP_FD(1, RBFD), MOV64_IMM(2, 8), MOV64_IMM(3, 0),
	    CALL(XBPF_FUNC_ringbuf_reserve), JMP_IMM(XBPF_JEQ, 0, 0, 6), MOV64_REG(7, 0),
	    MOV64_REG(1, 6), CALL_LOCAL(5), MOV64_REG(1, 7), MOV64_IMM(2, 0),
	    CALL(XBPF_FUNC_ringbuf_submit), MOV64_IMM(0, 0), EXIT(),
	    LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call), EXIT()),
	  .btf = true, .err = -EINVAL, .msg = "tail_call would lead to reference leak" },
	};

	run_cases(cases, ARRAY_SIZE(cases), "abnormal return");
}

/* prog_from_fd for the tail-call run below: "fd" 0 is the target. */
static struct xbpf_prog *e2e_target;

static struct xbpf_prog *e2e_prog_from_fd(void *priv, u32 fd, int *err)
{
	if (fd || !e2e_target) {
		*err = -EBADF;
		return NULL;
	}
	xbpf_prog_get(e2e_target);
	return e2e_target;
}

/*
 * End to end: a proved program whose BTF subprogram tail-calls through a
 * real PROG_ARRAY.  The walk's abnormal return (R0 any scalar, back in
 * the caller) meets the interpreter's (the target's exit returns to the
 * subprogram's caller): 41 from the target + 1 in the caller; with the
 * slot empty the subprogram falls through and returns 1, so 2.
 */
static void test_abnormal_tail_run(void)
{
	static const struct xbpf_insn target[] = { MOV64_IMM(0, 41), EXIT() };
	static const struct xbpf_insn caller[] = {
		MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 1), EXIT(),
		LD_MAP_FD(2, PAFD), MOV64_IMM(3, 0), CALL(XBPF_FUNC_tail_call),
		MOV64_IMM(0, 1), EXIT(),
	};
	struct xbpf_prog *prog = NULL;
	u32 key = 0, fd = 0;
	u64 r_full = 0, r_empty = 0;
	int err, e1 = -1, e2 = -1, del = -1;

	err = load(target, ARRAY_SIZE(target), false, 1, &e2e_target);
	if (!err)
		err = xbpf_prog_array_update(fdtab[PAFD], &key, &fd, XBPF_ANY,
					     e2e_prog_from_fd, NULL);
	if (!err) {
		load_btf = true;
		err = load(caller, ARRAY_SIZE(caller), false, 1, &prog);
		load_btf = false;
	}
	if (!err && prog) {
		e1 = run_prog(prog, &r_full);
		del = fdtab[PAFD]->ops->delete(fdtab[PAFD], &key);
		e2 = run_prog(prog, &r_empty);
	}
	xt_report(!err && prog && !prog->checked && !e1 && r_full == 42 && !del && !e2 &&
		  r_empty == 2,
		  "abnormal return: a subprogram's tail call runs the target, its R0 back in the caller (err %d, checked %d, r0 %llu then %llu, delete %d)",
		  err, prog ? prog->checked : -1, (unsigned long long)r_full,
		  (unsigned long long)r_empty, del);
	if (prog)
		xbpf_prog_put(prog);
	if (e2e_target)
		xbpf_prog_put(e2e_target);
	e2e_target = NULL;
}

/* The pushed return shows in a level-2 log as a path of its own. */
static void test_abnormal_log(void)
{
	static const struct xbpf_insn insns[] = {
		MOV64_REG(6, 1), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 5), EXIT(),
		MOV64_REG(6, 1), LD_ABS(XBPF_B, 1), EXIT(),
	};
	int err;

	load_btf = true;
	err = load(insns, ARRAY_SIZE(insns), false, 2, NULL);
	load_btf = false;
	xt_report(!err && strstr(logbuf, "abnormal return from callee to frame 0 at insn 2 pushed") &&
		  strstr(logbuf, "from 5 to 2: R0=0 R6=ctx(off=0,imm=0) R10=fp0") &&
		  strstr(logbuf, "processed 9 insns"),
		  "abnormal return: level-2 log shows the pushed return (err %d)", err);
	if (err || !strstr(logbuf, "from 5 to 2:"))
		xt_diag("log:\n%s", logbuf);
}

/*
 * The call-graph rules on their own, as BTF would let them arise: the
 * subprogram table comes from the real passes, the depths and tail-call
 * flags are set by hand.
 */
struct graph_case {
	const char		*name;
	struct xbpf_insn	insns[16];
	u32			n;
	u32			depth[6];
	bool			tail[6];
	int			err;
	const char		*msg;
	bool			reach[6];	/* want tail_call_reachable */
};

static void test_call_graph(void)
{
	/* main (0) calls A (3) and C (8), A calls B (6); tail calls set by hand. */
#define G_CHAIN	CALL_LOCAL(2), CALL_LOCAL(6), EXIT(), \
		CALL_LOCAL(2), MOV64_IMM(0, 0), EXIT(), \
		MOV64_IMM(0, 0), EXIT(), MOV64_IMM(0, 0), EXIT()
	static const struct graph_case cases[] = {
	/* main -> A -> B, main -> C; B has a tail call. */
	{ "224 bytes above a tail call", P(G_CHAIN), .depth = { 96, 128, 8, 8 },
	  .tail = { false, false, true, false }, .reach = { true, true, false, false } },
	{ "256 bytes above a tail call", P(G_CHAIN), .depth = { 96, 160, 8, 8 },
	  .tail = { false, false, true, false }, .err = -EACCES,
	  .msg = "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large" },
	{ "rounding counts: 97 + 128", P(G_CHAIN), .depth = { 97, 128, 8, 8 },
	  .tail = { false, false, true, false }, .err = -EACCES,
	  .msg = "call stack of previous frames is 256 bytes" },
	/* The tail-calling frame itself may be deep. */
	{ "a deep tail-calling frame", P(G_CHAIN), .depth = { 32, 32, 448, 8 },
	  .tail = { false, false, true, false }, .reach = { true, true, false, false } },
	{ "tail call in A: only main above it", P(G_CHAIN), .depth = { 224, 256, 8, 8 },
	  .tail = { false, true, false, false }, .reach = { true, false, false, false } },
	{ "tail call in C: main reaches it, A does not", P(G_CHAIN), .depth = { 8, 8, 8, 8 },
	  .tail = { false, false, false, true }, .reach = { true, false, false, false } },
	{ "no tail calls: no marks", P(G_CHAIN), .depth = { 8, 8, 8, 8 } },
	/* Linux's order: main's first callee chain fails first. */
	{ "combined size before the tail rule", P(G_CHAIN), .depth = { 256, 512, 8, 8 },
	  .tail = { false, false, false, true }, .err = -EACCES,
	  .msg = "combined stack size of 2 calls is 768. Too large" },
	{ "the first failing chain in call order", P(G_CHAIN),
	  .depth = { 256, 8, 8, 8 }, .tail = { false, false, true, true }, .err = -EACCES,
	  .msg = "call stack of previous frames is 288 bytes" },
	{ "tail rule at C after a passing chain through A", P(G_CHAIN),
	  .depth = { 256, 8, 8, 8 }, .tail = { false, false, false, true }, .err = -EACCES,
	  .msg = "call stack of previous frames is 256 bytes" },
	};
#undef G_CHAIN
	struct xbpf_load_params p = { .prog_type = XBPF_PROG_TYPE_SOCKET_FILTER };
	struct xbpf_log log;
	u32 i, s;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct graph_case *c = &cases[i];
		struct xbpf_verifier_env *env = calloc(1, sizeof(*env));
		bool ok;
		int err;

		memset(logbuf, 0, sizeof(logbuf));
		xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
		p.insns = c->insns;
		p.insn_cnt = c->n;
		env->p = &p;
		env->log = &log;
		env->insns = c->insns;
		env->len = c->n;
		env->caps.bpf_capable = true;
		env->aux = calloc(c->n, sizeof(*env->aux));
		err = xbpf_decode_insns(env) ?: xbpf_check_subprogs(env) ?: xbpf_check_cfg(env);
		ok = !err && env->subprog_cnt == 4;
		for (s = 0; s < env->subprog_cnt && s < 6; s++) {
			env->subprogs[s].stack_depth = c->depth[s];
			env->subprogs[s].has_tail_call = c->tail[s];
		}
		if (ok) {
			err = xbpf_check_max_stack_depth(env);
			ok = err == c->err && (!c->msg || strstr(logbuf, c->msg));
			for (s = 0; s < env->subprog_cnt && !err; s++)
				ok = ok && env->subprogs[s].tail_call_reachable == c->reach[s];
		}
		xt_report(ok, "call graph: %s (err %d, want %d; marks %d%d%d%d)", c->name, err,
			  c->err, env->subprogs[0].tail_call_reachable,
			  env->subprogs[1].tail_call_reachable,
			  env->subprogs[2].tail_call_reachable,
			  env->subprogs[3].tail_call_reachable);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
		xbpf_log_finish(&log);
		free(env->aux);
		free(env);
	}
}

int main(void)
{
	int err, rberr, btferr;

	fdtab[A256] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 256, 1);
	fdtab[HFD] = mkmap(XBPF_MAP_TYPE_HASH, 8, 16, 4);
	/* empty: the walk's rules only, no tail call happens (test_tailcall.c runs them) */
	fdtab[PAFD] = mkmap(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	if (!fdtab[A256] || !fdtab[HFD] || !fdtab[PAFD])
		xt_diag("map creation failed");
	err = xbpf_helper_proto(XBPF_FUNC_tail_call) ? 0 : -ENOENT;
	xt_report(!err, "bpf_tail_call has a proto (err %d)", err);
	/* a real ring buffer: its helpers are built in with the map type */
	fdtab[RBFD] = mkmap(XBPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
	rberr = fdtab[RBFD] ? 0 : -ENOMEM;
	xt_report(!rberr, "a ring buffer map for the reference cases (err %d)", rberr);
	btferr = build_int_btf();
	xt_report(!btferr, "an int-returning BTF loads (err %d)", btferr);

	test_calls();
	test_stack_depth();
	test_depth_stats();
	test_func_descs();
	test_ld_abs();
	test_tail_call_walk();
	if (!btferr) {
		test_abnormal_walk();
		test_abnormal_log();
		test_abnormal_tail_run();
	}
	test_call_graph();

	xbpf_map_put(fdtab[PAFD]);
	if (!rberr)
		xbpf_map_put(fdtab[RBFD]);
	xbpf_btf_put(int_btf);
	xbpf_map_put(fdtab[A256]);
	xbpf_map_put(fdtab[HFD]);
	return xt_finish();
}

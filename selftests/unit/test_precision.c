// SPDX-License-Identifier: GPL-2.0
/*
 * Precision tracking (verifier/precision.c) through xbpf_verify() with
 * check set.  Pruning gains: values that decide nothing (a counter only
 * returned, an accumulator in a bounded loop) no longer block pruning
 * for bpf_capable callers, while unprivileged ones keep every scalar
 * precise (more insns processed).  Soundness: two paths that differ only
 * in a value some later check depends on meet at a prune point; the
 * check must still see the bad value, whichever path comes first, with
 * the value carried in a register, spilled through fp or a copy of it,
 * into a caller's frame, passed to or returned from a subprogram, kept
 * across a call, used as a helper's size or allocation size, deciding a
 * conditional jump, or tied to another register by a shared id.
 */
#include "lib/xbpf_test.h"

static char logbuf[1 << 16];

#define NFDS	8
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops fake_ops = { .map_from_fd = fake_map_from_fd };

/* fd 1: array, value 8 bytes; fd 4: ring buffer. */
#define AFD	1
#define RBFD	4

#define FREQ	XBPF_F_TEST_STATE_FREQ
#define CALL_SUB(off)	XI(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, off)

static int run(const struct xbpf_insn *insns, u32 n, bool unpriv, u32 flags)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER,
		.prog_flags = flags,
		.insns = insns,
		.insn_cnt = n,
		.caps = unpriv ? (struct xbpf_caps){} :
			(struct xbpf_caps){ .allow_ptr_leaks = true, .bypass_spec_v1 = true,
					    .bypass_spec_v4 = true, .bpf_capable = true,
					    .sys_admin = true },
		.log = &log,
		.ops = &fake_ops,
		.check = true,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, XBPF_LOG_STATS, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	if (prog)
		xbpf_prog_put(prog);
	return err;
}

/* "processed N insns" of the stats line; 0 if missing. */
static u32 processed(void)
{
	const char *l = strstr(logbuf, "processed ");
	u32 n = 0;

	if (!l || sscanf(l, "processed %u insns", &n) != 1)
		return 0;
	return n;
}

static void diag_log(bool ok)
{
	if (!ok)
		xt_diag("log:\n%s", logbuf);
}

/* ---- builder ---- */

struct prog {
	struct xbpf_insn	i[128];
	u32			n;
};

static void emit(struct prog *p, struct xbpf_insn insn)
{
	if (p->n < ARRAY_SIZE(p->i))
		p->i[p->n++] = insn;
}

/* LDDW takes two slots. */
static void emit_map_value(struct prog *p, u8 reg)
{
	struct xbpf_insn q[] = { LD_MAP_VALUE(reg, AFD, 0) };

	emit(p, q[0]);
	emit(p, q[1]);
}

static void emit_map_fd(struct prog *p, u8 reg, int fd)
{
	struct xbpf_insn q[] = { LD_MAP_FD(reg, fd) };

	emit(p, q[0]);
	emit(p, q[1]);
}

/*
 * The split: r5 = ctx->pkt_type (unknown); the fall-through (walked
 * first) sets reg = a, the jump reg = b; both meet right after.  ctx in
 * ctxreg.
 */
static void emit_split(struct prog *p, u8 ctxreg, u8 reg, s32 a, s32 b)
{
	emit(p, LDX(XBPF_W, 5, ctxreg, 4));
	emit(p, JMP_IMM(XBPF_JGT, 5, 5, 2));
	emit(p, MOV64_IMM(reg, a));
	emit(p, JA(1));
	emit(p, MOV64_IMM(reg, b));
}

/*
 * Prune points between the join and the use, so the value crosses
 * several recorded states: k diamonds on ctx->len that change only r3.
 */
static void emit_noise(struct prog *p, u8 ctxreg, u32 k)
{
	u32 j;

	for (j = 0; j < k; j++) {
		emit(p, LDX(XBPF_W, 3, ctxreg, 0));
		emit(p, JMP_IMM(XBPF_JGT, 3, 10 + j, 1));
		emit(p, MOV64_IMM(3, 1));
	}
}

/* r4 = &value (8 bytes); r4 += reg; r0 = *(u8 *)(r4 + 0); exit. */
static void emit_use(struct prog *p, u8 reg)
{
	emit_map_value(p, 4);
	emit(p, ALU64_REG(XBPF_ADD, 4, reg));
	emit(p, LDX(XBPF_B, 0, 4, 0));
	emit(p, EXIT());
}

/* ---- soundness cases: each is built for (a, b) and (b, a) ---- */

enum kase {
	K_REG,		/* r7 straight to the pointer */
	K_FP,		/* spilled to fp-8, filled after the noise */
	K_FP_COPY_ST,	/* spilled through r8 = r10, filled through r10 */
	K_FP_COPY_LD,	/* spilled through r10, filled through r8 = r10 */
	K_ARG,		/* passed to a subprogram in r1, used there */
	K_RET,		/* chosen in a subprogram, returned in r0 */
	K_KEPT,		/* r7 kept across a subprogram call */
	K_CALLER_FP,	/* a subprogram stores it into the caller's fp-8 */
	K_SIZE,		/* ringbuf_output's size */
	K_ALLOC,	/* ringbuf_reserve's size, then an 8-byte load */
	K_JMP,		/* decides a conditional jump; the other arm is bad */
	K_ALU,		/* r7 = 3 * r7 + 1, the pointer moves by r7 - 1 */
	NR_KASES,
};

static const char * const kase_names[NR_KASES] = {
	"register", "fp spill/fill", "spill through a copy of r10",
	"fill through a copy of r10", "subprogram argument", "subprogram return",
	"callee-saved across a call", "caller's stack written by a callee",
	"helper size", "helper allocation size", "decided conditional jump",
	"arithmetic before use",
};

/* The values of the good and the bad path. */
static void kase_values(enum kase k, s32 *good, s32 *bad)
{
	*good = 0;
	*bad = 100;
	if (k == K_SIZE || k == K_ALLOC) {
		*good = 8;
		*bad = k == K_SIZE ? 100 : 4;
	}
	if (k == K_ALU)
		*bad = 3;	/* 3 * 3 + 1 - 1 = 9 > 7 */
}

static void build(struct prog *p, enum kase k, s32 a, s32 b)
{
	u32 call;

	p->n = 0;
	emit(p, MOV64_REG(6, 1));
	switch (k) {
	case K_REG:
		emit_split(p, 6, 7, a, b);
		emit_noise(p, 6, 3);
		emit_use(p, 7);
		break;
	case K_FP:
	case K_FP_COPY_ST:
	case K_FP_COPY_LD:
		emit(p, MOV64_REG(8, 10));
		emit_split(p, 6, 7, a, b);
		emit(p, STX(XBPF_DW, k == K_FP_COPY_ST ? 8 : 10, 7, -8));
		emit(p, MOV64_IMM(7, 0));
		emit_noise(p, 6, 3);
		emit(p, LDX(XBPF_DW, 3, k == K_FP_COPY_LD ? 8 : 10, -8));
		emit_use(p, 3);
		break;
	case K_ARG:
		emit(p, MOV64_REG(2, 6));
		emit_split(p, 6, 1, a, b);
		call = p->n;
		emit(p, CALL_SUB(0));
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		p->i[call].imm = (s32)(p->n - call - 1);
		/* sub(r1 = value, r2 = ctx) */
		emit(p, MOV64_REG(7, 1));
		emit(p, MOV64_REG(6, 2));
		emit_noise(p, 6, 2);
		emit_use(p, 7);
		break;
	case K_RET:
		emit(p, MOV64_REG(1, 6));
		call = p->n;
		emit(p, CALL_SUB(0));
		emit(p, MOV64_REG(7, 0));
		emit_noise(p, 6, 2);
		emit_use(p, 7);
		p->i[call].imm = (s32)(p->n - call - 1);
		/* sub(r1 = ctx) */
		emit(p, MOV64_REG(6, 1));
		emit_split(p, 6, 0, a, b);
		emit_noise(p, 6, 2);
		emit(p, EXIT());
		break;
	case K_KEPT:
		emit_split(p, 6, 7, a, b);
		emit(p, MOV64_REG(1, 6));
		call = p->n;
		emit(p, CALL_SUB(0));
		emit_noise(p, 6, 1);
		emit_use(p, 7);
		p->i[call].imm = (s32)(p->n - call - 1);
		/* sub(r1 = ctx): prune points of its own, then returns 0 */
		emit(p, MOV64_REG(6, 1));
		emit_noise(p, 6, 2);
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		break;
	case K_CALLER_FP:
		emit_split(p, 6, 2, a, b);
		emit(p, MOV64_REG(1, 10));
		emit(p, ALU64_IMM(XBPF_ADD, 1, -8));
		emit(p, MOV64_REG(3, 6));
		call = p->n;
		emit(p, CALL_SUB(0));
		emit_noise(p, 6, 1);
		emit(p, LDX(XBPF_DW, 3, 10, -8));
		emit_use(p, 3);
		p->i[call].imm = (s32)(p->n - call - 1);
		/* sub(r1 = caller's fp-8, r2 = value, r3 = ctx) */
		emit(p, MOV64_REG(6, 3));
		emit_noise(p, 6, 1);
		emit(p, STX(XBPF_DW, 1, 2, 0));
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		break;
	case K_SIZE:
		emit(p, ST(XBPF_DW, 10, -8, 0));
		emit_split(p, 6, 7, a, b);
		emit_noise(p, 6, 2);
		emit_map_fd(p, 1, RBFD);
		emit(p, MOV64_REG(2, 10));
		emit(p, ALU64_IMM(XBPF_ADD, 2, -8));
		emit(p, MOV64_REG(3, 7));
		emit(p, MOV64_IMM(4, 0));
		emit(p, CALL(XBPF_FUNC_ringbuf_output));
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		break;
	case K_ALLOC:
		emit_split(p, 6, 7, a, b);
		emit_noise(p, 6, 2);
		emit_map_fd(p, 1, RBFD);
		emit(p, MOV64_REG(2, 7));
		emit(p, MOV64_IMM(3, 0));
		emit(p, CALL(XBPF_FUNC_ringbuf_reserve));
		emit(p, JMP_IMM(XBPF_JNE, 0, 0, 2));
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		emit(p, LDX(XBPF_DW, 7, 0, 0));
		emit(p, MOV64_REG(1, 0));
		emit(p, MOV64_IMM(2, 0));
		emit(p, CALL(XBPF_FUNC_ringbuf_discard));
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		break;
	case K_JMP:
		emit_split(p, 6, 7, a, b);
		emit_noise(p, 6, 2);
		emit(p, JMP_IMM(XBPF_JGT, 7, 10, 2));
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
		emit(p, LDX(XBPF_DW, 0, 7, 0));	/* a scalar as a pointer */
		emit(p, EXIT());
		break;
	case K_ALU:
		emit_split(p, 6, 7, a, b);
		emit_noise(p, 6, 1);
		emit(p, MOV64_REG(2, 7));
		emit(p, ALU64_IMM(XBPF_MUL, 2, 3));
		emit_noise(p, 6, 1);
		emit(p, ALU64_IMM(XBPF_ADD, 2, 1));
		emit(p, ALU64_IMM(XBPF_SUB, 2, 1));
		emit_use(p, 2);
		break;
	default:
		break;
	}
}

static void test_soundness(void)
{
	static const u32 freqs[] = { FREQ, 0 };
	struct prog p;
	s32 good, bad;
	u32 k, f;
	int err, want;
	bool ok;

	for (k = 0; k < NR_KASES; k++) {
		kase_values(k, &good, &bad);
		/* Stack bounds for a helper are -EINVAL past fp, as in Linux. */
		want = k == K_SIZE ? -EINVAL : -EACCES;
		/* Control: both paths good, accepted (the case itself is sound). */
		build(&p, k, good, good);
		err = run(p.i, p.n, false, FREQ);
		xt_report(!err, "%s: both paths good: accepted (err %d)", kase_names[k], err);
		diag_log(!err);
		for (f = 0; f < ARRAY_SIZE(freqs); f++) {
			build(&p, k, good, bad);
			err = run(p.i, p.n, false, freqs[f]);
			ok = err == want;
			xt_report(ok, "%s: good path first, bad second: rejected%s (err %d)",
				  kase_names[k], freqs[f] ? " [state freq]" : "", err);
			diag_log(ok);
			build(&p, k, bad, good);
			err = run(p.i, p.n, false, freqs[f]);
			ok = err == want;
			xt_report(ok, "%s: bad path first: rejected%s (err %d)",
				  kase_names[k], freqs[f] ? " [state freq]" : "", err);
			diag_log(ok);
		}
		/* Unprivileged: every scalar precise; the same verdicts. */
		build(&p, k, good, bad);
		err = run(p.i, p.n, true, FREQ);
		xt_report(err < 0, "%s unprivileged: good first, bad second: rejected (err %d)",
			  kase_names[k], err);
		diag_log(err < 0);
	}
}

/*
 * r7 = ctx->len; path A: r8 = r7 (linked by id); path B: r8 = r9, a
 * different unknown (linked to r9 instead).  At the join, "if r7 > 7"
 * bounds r8 too, but only on A.  r8 then moves the pointer: B must be
 * refused.  Pruning B against A would be wrong unless r7 counts as
 * precise there: the jump refined r8 through r7's id.
 */
static void build_ids(struct prog *p, bool linked_first)
{
	p->n = 0;
	emit(p, MOV64_REG(6, 1));
	emit(p, LDX(XBPF_W, 7, 6, 0));
	emit(p, LDX(XBPF_W, 9, 6, 0));
	emit(p, LDX(XBPF_W, 5, 6, 4));
	emit(p, JMP_IMM(XBPF_JGT, 5, 5, 2));
	emit(p, MOV64_REG(8, linked_first ? 7 : 9));
	emit(p, JA(1));
	emit(p, MOV64_REG(8, linked_first ? 9 : 7));
	emit_noise(p, 6, 2);
	emit(p, JMP_IMM(XBPF_JGT, 7, 7, 5));
	emit_use(p, 8);
	emit(p, MOV64_IMM(0, 0));
	emit(p, EXIT());
}

static void test_equal_ids(void)
{
	static const u32 freqs[] = { FREQ, 0 };
	struct prog p;
	u32 f;
	int err;

	for (f = 0; f < ARRAY_SIZE(freqs); f++) {
		build_ids(&p, true);
		err = run(p.i, p.n, false, freqs[f]);
		xt_report(err == -EACCES, "ids: linked copy first, unlinked second: rejected%s (err %d)",
			  freqs[f] ? " [state freq]" : "", err);
		diag_log(err == -EACCES);
		build_ids(&p, false);
		err = run(p.i, p.n, false, freqs[f]);
		xt_report(err == -EACCES, "ids: unlinked first: rejected%s (err %d)",
			  freqs[f] ? " [state freq]" : "", err);
		diag_log(err == -EACCES);
	}
}

/* ---- pruning gains ---- */

#define NCOUNT	12

/*
 * r7 = 0; NCOUNT times { r2 = ctx->len; if r2 > j: skip; r7 += j + 1 };
 * r0 = r7.  Every path has its own r7: with every scalar precise, 2^12
 * paths; r7 only reaches R0, so for bpf_capable it stays imprecise and
 * each second arm is pruned at its join.
 */
static void build_counter(struct prog *p)
{
	u32 j;

	p->n = 0;
	emit(p, MOV64_REG(6, 1));
	emit(p, MOV64_IMM(7, 0));
	for (j = 0; j < NCOUNT; j++) {
		emit(p, LDX(XBPF_W, 2, 6, 0));
		emit(p, JMP_IMM(XBPF_JGT, 2, (s32)j, 1));
		emit(p, ALU64_IMM(XBPF_ADD, 7, (s32)j + 1));
	}
	emit(p, MOV64_REG(0, 7));
	emit(p, EXIT());
}

#define NLOOP	20

/*
 * for (i = 0; i < NLOOP; i++) if (ctx->len > 5) r6++;  r0 = r6.  The loop
 * counter decides the loop's jump (precise); the accumulator does not:
 * at the loop head, states differing only in r6 prune each other.
 */
static void build_loop(struct prog *p)
{
	p->n = 0;
	emit(p, MOV64_REG(8, 1));
	emit(p, MOV64_IMM(6, 0));
	emit(p, MOV64_IMM(1, 0));
	emit(p, LDX(XBPF_W, 2, 8, 0));		/* 3: loop head */
	emit(p, JMP_IMM(XBPF_JGT, 2, 5, 1));
	emit(p, ALU64_IMM(XBPF_ADD, 6, 1));
	emit(p, ALU64_IMM(XBPF_ADD, 1, 1));
	emit(p, JMP_IMM(XBPF_JLT, 1, NLOOP, -5));
	emit(p, MOV64_REG(0, 6));
	emit(p, EXIT());
}

static void test_gains(void)
{
	static const u32 freqs[] = { FREQ, 0 };
	struct prog p;
	u32 f, priv, unpriv;
	int err, err2;
	bool ok;

	for (f = 0; f < ARRAY_SIZE(freqs); f++) {
		build_counter(&p);
		err = run(p.i, p.n, false, freqs[f]);
		priv = processed();
		err2 = run(p.i, p.n, true, freqs[f]);
		unpriv = processed();
		/* The first path, plus a few insns per arm pruned at its join. */
		ok = !err && !err2 && priv && priv <= 4 * (3 * NCOUNT + 4) && unpriv > 10 * priv;
		xt_report(ok, "counter over %u diamonds%s: bpf_capable %u insns, all precise (unprivileged) %u",
			  NCOUNT, freqs[f] ? " [state freq]" : "", priv, unpriv);
		diag_log(ok);
	}

	/*
	 * Unprivileged programs may not loop: the all-precise reference is
	 * the same loop with r6 deciding a jump after it (so r6 must be
	 * precise at every loop head).
	 */
	build_loop(&p);
	err = run(p.i, p.n, false, FREQ);
	priv = processed();
	p.n = 8;
	emit(&p, MOV64_IMM(0, 0));
	emit(&p, JMP_IMM(XBPF_JGT, 6, 100, 1));	/* decided: r6 <= NLOOP */
	emit(&p, MOV64_REG(0, 6));
	emit(&p, EXIT());
	err2 = run(p.i, p.n, false, FREQ);
	unpriv = processed();
	ok = !err && (!err2 || err2 == -E2BIG) && priv && unpriv > 2 * priv;
	xt_report(ok, "loop of %u with an accumulator: %u insns; accumulator precise: %u (err %d)",
		  NLOOP, priv, unpriv, err2);
	diag_log(ok);
}

/*
 * Found by the fuzzer: a loop whose recorded states all fall on the arm
 * that leaves it (the instruction after the jump) while the looping path
 * pushes that arm on every iteration.  Each push copied the looping
 * path's whole history, which nothing recorded on it ever restarted:
 * quadratic, over six minutes to reach the 1M limit.  prune.c now
 * records a state once the history is long, and this ends at the limit
 * like any loop that never converges (r1, a moving ctx pointer compared
 * with 4, keeps every state new).
 */
static void test_long_history(void)
{
	static const struct xbpf_insn loop[] = {
		MOV64_IMM(0, 255), MOV64_IMM(2, 0),
		ALU32_IMM(XBPF_DIV, 2, 10), ALU32_IMM(XBPF_ADD, 2, 1),
		ALU64_IMM(XBPF_SUB, 1, 1), JMP_IMM(XBPF_JNE, 1, 4, -4),
		ALU64_IMM(XBPF_ADD, 1, 33653378), EXIT(),
	};
	int err = run(loop, ARRAY_SIZE(loop), false, 0);

	xt_report(err == -E2BIG && processed() == 1000001,
		  "a loop recording states only on its exit arm ends at the 1M limit (err %d, processed %u)",
		  err, processed());
}

int main(void)
{
	struct xbpf_map_params mp = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1,
	};
	/* a real ring buffer: its helpers are built in with the map type */
	struct xbpf_map_params rp = { .map_type = XBPF_MAP_TYPE_RINGBUF, .max_entries = 4096 };
	int err;

	fdtab[AFD] = xbpf_map_create(&mp, &err);
	fdtab[RBFD] = xbpf_map_create(&rp, &err);
	if (!fdtab[AFD] || !fdtab[RBFD])
		xt_diag("setup failed");
	test_gains();
	test_soundness();
	test_equal_ids();
	test_long_history();
	xbpf_map_put(fdtab[AFD]);
	xbpf_map_put(fdtab[RBFD]);
	return xt_finish();
}

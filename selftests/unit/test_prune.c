// SPDX-License-Identifier: GPL-2.0
/*
 * State pruning (verifier/prune.c, verifier/liveness.c) through
 * xbpf_verify() with check set: joins that prune (20 diamonds walked in
 * linear time), dead registers that do not block pruning (also across
 * helper calls), bounded loops
 * walked to their end, endless loops caught, unbounded ones stopped by
 * the 1M limit, the statistics line, and soundness: a join whose two
 * paths differ in a register, a stack slot or a null-check id is never
 * pruned into accepting the bad path, whichever path comes first.  Also
 * the inclusion of scalars (xbpf_scalar_within) against sampled members.
 */
#include "lib/xbpf_test.h"
#include "verifier/scalar.h"

static char logbuf[1 << 16];

#define NFDS	4
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops fake_ops = { .map_from_fd = fake_map_from_fd };

/* fd 1: array, value 8 bytes; fd 2: hash, key 8, value 16. */
#define AFD	1
#define HFD	2

static struct xbpf_map *mkmap(u32 type, u32 ks, u32 vs)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs, .max_entries = 1,
	};
	int err;

	return xbpf_map_create(&p, &err);
}

/* With XBPF_F_TEST_STATE_FREQ every prune point records a state. */
#define FREQ	XBPF_F_TEST_STATE_FREQ

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
	xbpf_log_init(&log, 1, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	/*
	 * The level-1 trace of a long walk outgrows the buffer: again with a
	 * stats-only log, which keeps every message and the stats line.
	 */
	if (err == -ENOSPC) {
		xbpf_prog_put(prog);
		prog = NULL;
		memset(logbuf, 0, sizeof(logbuf));
		xbpf_log_init(&log, XBPF_LOG_STATS, (u64)(uintptr_t)logbuf, sizeof(logbuf));
		err = xbpf_verify(&p, &prog);
	}
	if (prog)
		xbpf_prog_put(prog);
	return err;
}

/* The numbers of the stats line; false if it is missing. */
struct stats {
	u32 processed, max_states, total, peak, mark_read;
};

static bool stats(struct stats *s)
{
	const char *l = strstr(logbuf, "processed ");

	return l && sscanf(l, "processed %u insns (limit 1000000) max_states_per_insn %u total_states %u peak_states %u mark_read %u",
			   &s->processed, &s->max_states, &s->total, &s->peak,
			   &s->mark_read) == 5;
}

static void diag_log(bool ok)
{
	if (!ok)
		xt_diag("log:\n%s", logbuf);
}

/* ---- joins ---- */

#define NDIAMONDS	20
#define DIAMOND_LEN	5

/*
 * r6 = ctx; NDIAMONDS times { r2 = ctx->len; if r2 > k: r3 = 1 else
 * r3 = 1 }; r0 = r3; exit.  r2 differs between the arms (each is
 * refined) but is dead at the join: the second arm of every diamond is
 * pruned there.  Without pruning: 2^20 paths.
 */
static u32 diamonds(struct xbpf_insn *p)
{
	u32 n = 0, k;

	p[n++] = MOV64_REG(6, 1);
	for (k = 0; k < NDIAMONDS; k++) {
		p[n++] = LDX(XBPF_W, 2, 6, 0);
		p[n++] = JMP_IMM(XBPF_JGT, 2, 5 + k, 2);
		p[n++] = MOV64_IMM(3, 1);
		p[n++] = JA(1);
		p[n++] = MOV64_IMM(3, 1);
	}
	p[n++] = MOV64_REG(0, 3);
	p[n++] = EXIT();
	return n;
}

/*
 * Control: NDIAMONDS times { r2 = ctx->len; r7 <<= 1; if r2 > k: r7 |= 1 };
 * r0 = r7.  Every path leaves a different constant in r7, live to the
 * end: nothing includes anything, and 2^20 paths exceed the limit.
 */
static u32 distinct_paths(struct xbpf_insn *p)
{
	u32 n = 0, k;

	p[n++] = MOV64_REG(6, 1);
	p[n++] = MOV64_IMM(7, 0);
	for (k = 0; k < NDIAMONDS; k++) {
		p[n++] = LDX(XBPF_W, 2, 6, 0);
		p[n++] = ALU64_IMM(XBPF_LSH, 7, 1);
		p[n++] = JMP_IMM(XBPF_JGT, 2, 5 + k, 1);
		p[n++] = ALU64_IMM(XBPF_OR, 7, 1);
	}
	p[n++] = MOV64_REG(0, 7);
	p[n++] = EXIT();
	return n;
}

static void test_diamonds(void)
{
	struct xbpf_insn p[4 + NDIAMONDS * DIAMOND_LEN];	/* > 4 + 20 * 4 too */
	struct stats s = {};
	u32 n, bound;
	int err;
	bool ok;

	/*
	 * The first path walks 1 + 4 * 20 + 2 insns (the JA of each diamond
	 * instead of its other arm); each other arm is its own insn and the
	 * join, pruned: 2 more per diamond when every point records.  With
	 * Linux's heuristics (a state only every 2 jumps and 8 insns) an arm
	 * that finds no state at its join walks the next diamond and that
	 * diamond's other arm: allow two diamonds and two joins more each.
	 */
	bound = (1 + 4 * NDIAMONDS + 2) + (2 + 2 * DIAMOND_LEN + 2) * NDIAMONDS;
	n = diamonds(p);
	err = run(p, n, false, 0);
	ok = !err && stats(&s) && s.processed <= bound && s.total > 0;
	xt_report(ok, "20 diamonds: accepted, %u insns processed <= %u (2^20 paths unpruned)",
		  s.processed, bound);
	diag_log(ok);

	/* Every prune point records: the tightest count. */
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed == (1 + 4 * NDIAMONDS + 2) + 2 * NDIAMONDS;
	xt_report(ok, "20 diamonds, a state at every prune point: %u insns (want %u)",
		  s.processed, (1 + 4 * NDIAMONDS + 2) + 2 * NDIAMONDS);
	diag_log(ok);

	/* Unprivileged: no loops involved, the same pruning. */
	err = run(p, n, true, 0);
	ok = !err && stats(&s) && s.processed <= bound;
	xt_report(ok, "20 diamonds unprivileged: %u insns processed", s.processed);
	diag_log(ok);

	/*
	 * Control: 2^20 distinct live values; nothing prunes for a caller
	 * whose scalars all count as precise (unprivileged).  For bpf_capable
	 * r7 is only returned, never decides anything: imprecise, it prunes
	 * (test_precision.c has the counts).
	 */
	n = distinct_paths(p);
	err = run(p, n, true, FREQ);
	ok = err == -E2BIG && strstr(logbuf, "BPF program is too large. Processed 1000001 insn");
	xt_report(ok, "control: a different live value on every path, unprivileged: 1M limit (err %d)",
		  err);
	diag_log(ok);
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed < 1000;
	xt_report(ok, "... bpf_capable: r7 imprecise, pruned (err %d, %u insns)", err, s.processed);
	diag_log(ok);
}

/* ---- loops ---- */

static void test_loops(void)
{
	/* for (i = 0; i < 1000; i++) r0 += i; */
	struct xbpf_insn bounded[] = {
		MOV64_IMM(0, 0),
		MOV64_IMM(1, 0),
		ALU64_REG(XBPF_ADD, 0, 1),
		ALU64_IMM(XBPF_ADD, 1, 1),
		JMP_IMM(XBPF_JLT, 1, 1000, -3),
		EXIT(),
	};
	/* l: r0 = 0; goto l */
	struct xbpf_insn endless[] = { MOV64_IMM(0, 0), JA(-2) };
	/* while (len > 10) ; the state at the loop head never changes. */
	struct xbpf_insn spin[] = {
		LDX(XBPF_W, 1, 1, 0),
		JMP_IMM(XBPF_JGT, 1, 10, -1),
		MOV64_IMM(0, 0),
		EXIT(),
	};
	/* for (i = 0; i < len; i++) ; i's range keeps changing: no bound is provable. */
	struct xbpf_insn unbounded[] = {
		LDX(XBPF_W, 1, 1, 0),
		MOV64_IMM(2, 0),
		ALU64_IMM(XBPF_ADD, 2, 1),
		JMP_REG(XBPF_JLT, 2, 1, -2),
		MOV64_IMM(0, 0),
		EXIT(),
	};
	struct stats s = {};
	int err;
	bool ok;

	err = run(bounded, ARRAY_SIZE(bounded), false, 0);
	ok = !err && stats(&s) && s.processed == 2 + 3 * 1000 + 1;
	xt_report(ok, "bounded loop of 1000: accepted, %u insns (want 3003)", s.processed);
	diag_log(ok);
	err = run(bounded, ARRAY_SIZE(bounded), true, 0);
	ok = err == -EINVAL && strstr(logbuf, "back-edge from insn 4 to 2");
	xt_report(ok, "bounded loop unprivileged: back-edge refused (err %d)", err);
	diag_log(ok);

	err = run(endless, ARRAY_SIZE(endless), false, 0);
	ok = err == -EINVAL && strstr(logbuf, "infinite loop detected at insn 0");
	xt_report(ok, "l: r0 = 0; goto l: infinite loop detected (err %d)", err);
	diag_log(ok);
	err = run(endless, ARRAY_SIZE(endless), false, FREQ);
	/*
	 * The first state has r0 unset, so it never matches; inside a loop
	 * the next is recorded 20 jumps later (Linux's rule), and matched on
	 * the following visit: 1 + 2 * 21 insns.
	 */
	ok = err == -EINVAL && strstr(logbuf, "infinite loop detected at insn 0") &&
	     stats(&s) && s.processed == 43;
	xt_report(ok, "... found after one recording 20 jumps on (%u insns)", s.processed);
	diag_log(ok);

	err = run(spin, ARRAY_SIZE(spin), false, 0);
	ok = err == -EINVAL && strstr(logbuf, "infinite loop detected at insn 1");
	xt_report(ok, "while (len > 10);: infinite loop detected (err %d)", err);
	diag_log(ok);

	err = run(unbounded, ARRAY_SIZE(unbounded), false, 0);
	ok = err == -E2BIG && strstr(logbuf, "BPF program is too large. Processed 1000001 insn") &&
	     stats(&s) && s.total > 0 && s.peak <= s.total;
	xt_report(ok, "i < len: not provably bounded, 1M limit (err %d, %u states, %u kept)",
		  err, s.total, s.peak);
	diag_log(ok);
}

/*
 * Liveness across a helper call: arms leave 1 or 2 in register reg; the
 * join calls get_prandom_u32 (R1-R5 read, R0-R5 written), then returns
 * R0, or reg when ret_reg.
 */
static u32 call_join(struct xbpf_insn *p, u8 reg, bool ret_reg)
{
	struct xbpf_insn q[] = {
		LDX(XBPF_W, 8, 1, 0),		/* r8: refined apart, dead after */
		JMP_IMM(XBPF_JGT, 8, 5, 2),
		MOV64_IMM(reg, 1),
		JA(1),
		MOV64_IMM(reg, 2),
		CALL(XBPF_FUNC_get_prandom_u32),
		ret_reg ? MOV64_REG(0, reg) : MOV64_IMM(3, 0),
		EXIT(),
	};

	memcpy(p, q, sizeof(q));
	return ARRAY_SIZE(q);
}

static void test_call_liveness(void)
{
	struct xbpf_insn p[8];
	struct stats s = {};
	u32 n;
	int err;
	bool ok;

	/* First path 0,1,2,3,5,6,7; the other arm: 4 and the join. */
	n = call_join(p, 7, false);
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed == 7 + 2;
	xt_report(ok, "callee-saved r7 differs, unread after the call: pruned (%u insns)",
		  s.processed);
	diag_log(ok);
	/*
	 * Live values that differ: walked again when every scalar counts as
	 * precise (unprivileged); for bpf_capable they decide nothing, so
	 * they are imprecise and prune (precision.c).
	 */
	n = call_join(p, 7, true);
	err = run(p, n, true, FREQ);
	ok = !err && stats(&s) && s.processed == 7 + 4;
	xt_report(ok, "r7 differs and is returned after the call, unprivileged: walked (%u insns)",
		  s.processed);
	diag_log(ok);
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed == 7 + 2;
	xt_report(ok, "... bpf_capable: r7 imprecise, pruned (%u insns)", s.processed);
	diag_log(ok);
	/* Every argument register counts as read by any helper (conservative). */
	n = call_join(p, 3, false);
	err = run(p, n, true, FREQ);
	ok = !err && stats(&s) && s.processed == 7 + 4;
	xt_report(ok, "r3 differs at a call: an argument, unprivileged: walked (%u insns)",
		  s.processed);
	diag_log(ok);
	/* Written by the call itself: r0 differs before it, dead at the join. */
	n = call_join(p, 0, false);
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed == 7 + 2;
	xt_report(ok, "r0 differs at a call that sets it: pruned (%u insns)", s.processed);
	diag_log(ok);
}

/* ---- statistics ---- */

static void test_stats(void)
{
	/* One diamond whose arms agree on every live register. */
	struct xbpf_insn p[] = {
		LDX(XBPF_W, 2, 1, 0),
		JMP_IMM(XBPF_JGT, 2, 5, 2),
		MOV64_IMM(3, 1),
		JA(1),
		MOV64_IMM(3, 1),
		MOV64_REG(0, 3),
		EXIT(),
	};
	int err;
	bool ok;

	/*
	 * A state at 2 (after the jump), at 5 (the join), then the taken arm
	 * records at 4 and is pruned at 5 against the first: 8 insns, three
	 * states.  As in Linux, a visit that prunes does not count toward
	 * max_states_per_insn, and the others found empty lists: 0.  r2
	 * differs ([0, 5] and [6, U32_MAX]) but is dead at the join.
	 */
	err = run(p, ARRAY_SIZE(p), false, FREQ);
	ok = !err && strstr(logbuf, "processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 3 peak_states 3 mark_read 0");
	xt_report(ok, "stats: a state at every point, dead r2 pruned (err %d)", err);
	diag_log(ok);

	/*
	 * r2 live at the join (returned) and, unprivileged, precise: not
	 * pruned, the join's list is scanned once.
	 */
	p[5] = MOV64_REG(0, 2);
	err = run(p, ARRAY_SIZE(p), true, FREQ);
	ok = !err && strstr(logbuf, "processed 9 insns (limit 1000000) max_states_per_insn 1 total_states 4 peak_states 4 mark_read 0");
	xt_report(ok, "stats: r2 live at the join: walked again (err %d)", err);
	diag_log(ok);
	p[5] = MOV64_REG(0, 3);

	/*
	 * Linux's heuristics: a state only after 2 jumps and 8 insns, so the
	 * first is recorded at 5 on the second arm, and nothing is pruned.
	 */
	err = run(p, ARRAY_SIZE(p), false, 0);
	ok = !err && strstr(logbuf, "processed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0");
	xt_report(ok, "stats: heuristics record late (err %d)", err);
	diag_log(ok);
}

/* ---- soundness ---- */

/*
 * r5 = ctx->pkt_type, unknown; path A: r3 = a; path B: r3 = b; join:
 * r4 = &value (8 bytes); r4 += r3; r0 = *(u8 *)(r4 + 0).  The fall-through
 * (walked first) is A.
 */
static u32 reg_join(struct xbpf_insn *p, s32 a, s32 b)
{
	struct xbpf_insn q[] = {
		LDX(XBPF_W, 5, 1, 4),
		JMP_IMM(XBPF_JGT, 5, 5, 2),
		MOV64_IMM(3, a),
		JA(1),
		MOV64_IMM(3, b),
		LD_MAP_VALUE(4, AFD, 0),
		ALU64_REG(XBPF_ADD, 4, 3),
		LDX(XBPF_B, 0, 4, 0),
		EXIT(),
	};

	memcpy(p, q, sizeof(q));
	return ARRAY_SIZE(q);
}

/*
 * The same with ranges only the bounds tell apart: r3 = len & 7 is
 * [0, 7] with tnum (0; 7); path A narrows it to [0, 4] (same tnum),
 * path B keeps it.  A u32 load at r4 + r3 fits 8 bytes only for [0, 4].
 */
static u32 range_join(struct xbpf_insn *p, bool a_first)
{
	struct xbpf_insn q[] = {
		LDX(XBPF_W, 3, 1, 0),
		ALU64_IMM(XBPF_AND, 3, 7),
		LDX(XBPF_W, 5, 1, 4),
		/* a_first: fall-through to A at 4; else B falls to the join. */
		JMP_IMM(XBPF_JGT, 5, 5, 2),
		JMP_IMM(XBPF_JGT, 3, 4, 6),	/* A: r3 > 4 leaves */
		JA(0),
		LD_MAP_VALUE(4, AFD, 0),
		ALU64_REG(XBPF_ADD, 4, 3),
		LDX(XBPF_W, 0, 4, 0),
		EXIT(),
		MOV64_IMM(0, 0),
		EXIT(),
	};
	u32 n = ARRAY_SIZE(q);

	memcpy(p, q, sizeof(q));
	if (!a_first) {
		/* if r5 > 5 goto A(4); B falls into a JA to the join. */
		p[3] = JMP_IMM(XBPF_JGT, 5, 5, 1);
		p[4] = JA(1);
		p[5] = JMP_IMM(XBPF_JGT, 3, 4, 5);
	}
	return n;
}

/* Path A spills a to fp-8, path B spills b; the join fills r3 from it. */
static u32 stack_join(struct xbpf_insn *p, s32 a, s32 b)
{
	struct xbpf_insn q[] = {
		LDX(XBPF_W, 5, 1, 4),
		JMP_IMM(XBPF_JGT, 5, 5, 3),
		MOV64_IMM(3, a),
		STX(XBPF_DW, 10, 3, -8),
		JA(2),
		MOV64_IMM(3, b),
		STX(XBPF_DW, 10, 3, -8),
		LDX(XBPF_DW, 3, 10, -8),	/* r3 is dead at the join */
		LD_MAP_VALUE(4, AFD, 0),
		ALU64_REG(XBPF_ADD, 4, 3),
		LDX(XBPF_B, 0, 4, 0),
		EXIT(),
	};

	memcpy(p, q, sizeof(q));
	return ARRAY_SIZE(q);
}

/*
 * Two lookups: r6 (id 1) and r7 (id 2), both maybe NULL.  Path "copy"
 * sets r7 = r6, so the null check of r6 at the join covers r7; path
 * "apart" keeps r7's own id, and its load through r7 must be refused.
 */
static u32 id_join(struct xbpf_insn *p, bool copy_first)
{
	struct xbpf_insn q[] = {
		MOV64_REG(9, 1),
		LDX(XBPF_W, 8, 9, 4),
		ST(XBPF_DW, 10, -8, 0),
		LD_MAP_FD(1, HFD),
		MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -8),
		CALL(XBPF_FUNC_map_lookup_elem),
		MOV64_REG(6, 0),
		LD_MAP_FD(1, HFD),
		MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -8),
		CALL(XBPF_FUNC_map_lookup_elem),
		MOV64_REG(7, 0),
		/* 15: copy_first: fall-through copies */
		JMP_IMM(XBPF_JGT, 8, 5, 2),
		MOV64_REG(7, 6),
		JA(0),
		/* 18: the join */
		JMP_IMM(XBPF_JEQ, 6, 0, 2),
		LDX(XBPF_DW, 0, 7, 0),
		EXIT(),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	memcpy(p, q, sizeof(q));
	if (!copy_first) {
		/* if r8 > 5 goto copy; fall through to a JA over it. */
		p[15] = JMP_IMM(XBPF_JGT, 8, 5, 1);
		p[16] = JA(1);
		p[17] = MOV64_REG(7, 6);
	}
	return ARRAY_SIZE(q);
}

static void expect(int err, int want, const char *msg, const char *name, u32 flags)
{
	bool ok = err == want && (!msg || strstr(logbuf, msg));

	xt_report(ok, "%s%s (err %d, want %d)", name, flags ? " [state freq]" : "", err, want);
	diag_log(ok);
}

static void test_soundness(void)
{
	static const u32 freqs[] = { FREQ, 0 };
	struct xbpf_insn p[32];
	struct stats s = {};
	u32 n, i;
	int err;
	bool ok;

	for (i = 0; i < ARRAY_SIZE(freqs); i++) {
		u32 f = freqs[i];

		n = reg_join(p, 0, 100);
		expect(run(p, n, false, f), -EACCES, "invalid access to map value",
		       "R3 = 0 walked first, R3 = 100 second: rejected", f);
		n = reg_join(p, 100, 0);
		expect(run(p, n, false, f), -EACCES, "invalid access to map value",
		       "R3 = 100 walked first, R3 = 0 second: rejected", f);
		n = range_join(p, true);
		expect(run(p, n, false, f), -EACCES, "invalid access to map value",
		       "R3 in [0, 4] first, [0, 7] (same tnum) second: rejected", f);
		n = range_join(p, false);
		expect(run(p, n, false, f), -EACCES, "invalid access to map value",
		       "R3 in [0, 7] first, [0, 4] second: rejected", f);
		n = stack_join(p, 0, 100);
		expect(run(p, n, false, f), -EACCES, "invalid access to map value",
		       "fp-8 holds 0 first, 100 second: rejected", f);
		n = stack_join(p, 100, 0);
		expect(run(p, n, false, f), -EACCES, "invalid access to map value",
		       "fp-8 holds 100 first, 0 second: rejected", f);
		n = id_join(p, true);
		expect(run(p, n, false, f), -EACCES, "R7 invalid mem access 'map_value_or_null'",
		       "r7 shares r6's null-check id first, its own second: rejected", f);
		n = id_join(p, false);
		expect(run(p, n, false, f), -EACCES, "R7 invalid mem access 'map_value_or_null'",
		       "r7 with its own id first, shared second: rejected", f);
	}

	/*
	 * Controls: the same joins with agreeing paths are accepted, and the
	 * second path ends at the join: exactly its first insn and the join
	 * more than the first path.
	 */
	n = reg_join(p, 3, 3);
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed == 8 + 2;
	xt_report(ok, "control: R3 = 3 on both paths: pruned at the join (%u insns, err %d)",
		  s.processed, err);
	diag_log(ok);
	n = stack_join(p, 3, 3);
	err = run(p, n, false, FREQ);
	ok = !err && stats(&s) && s.processed == 10 + 3;
	xt_report(ok, "control: fp-8 = 3 on both paths: pruned at the join (%u insns, err %d)",
		  s.processed, err);
	diag_log(ok);
	/* The wider state first includes the narrower: pruning is not equality. */
	{
		struct xbpf_insn q[] = {
			LDX(XBPF_W, 5, 1, 4),
			JMP_IMM(XBPF_JGT, 5, 5, 3),
			LDX(XBPF_W, 3, 1, 0),
			ALU64_IMM(XBPF_AND, 3, 7),
			JA(1),
			MOV64_IMM(3, 4),
			LD_MAP_VALUE(4, AFD, 0),
			ALU64_REG(XBPF_ADD, 4, 3),
			LDX(XBPF_B, 0, 4, 0),
			EXIT(),
		};

		err = run(q, ARRAY_SIZE(q), false, FREQ);
		ok = !err && stats(&s) && s.processed == 9 + 2;
		xt_report(ok, "control: R3 in [0, 7] first includes R3 = 4: pruned (%u insns, err %d)",
			  s.processed, err);
		diag_log(ok);
	}
}

/* ---- scalar inclusion ---- */

static u64 rng = 0x2545f4914f6cdd1dULL;

static u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static u64 rnd_val(void)
{
	static const u64 edges[] = {
		0, 1, 7, 8, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, U64_MAX,
	};
	u64 r = rnd();

	switch (r % 4) {
	case 0:
		return edges[(r >> 8) % ARRAY_SIZE(edges)] + (rnd() % 5) - 2;
	case 1:
		return rnd() % 64;
	case 2:
		return (u32)rnd();
	default:
		return rnd();
	}
}

/* A scalar from a few values (joined), sometimes narrowed by a condition. */
static void rnd_scalar(struct xbpf_scalar *s, u64 *seed)
{
	static const u8 ops[] = { XBPF_JGT, XBPF_JLT, XBPF_JSGT, XBPF_JSLT, XBPF_JSET };
	struct xbpf_scalar c, k;
	u32 i, n = 1 + rnd() % 3;

	*seed = rnd_val();
	xbpf_scalar_set_const(s, *seed);
	for (i = 1; i < n; i++) {
		xbpf_scalar_set_const(&c, rnd() % 2 ? *seed + rnd() % 300 : rnd_val());
		xbpf_scalar_join(s, s, &c);
	}
	if (rnd() % 3 == 0) {
		c = *s;
		xbpf_scalar_set_const(&k, rnd_val());
		if (xbpf_scalar_refine(&c, &k, ops[rnd() % ARRAY_SIZE(ops)], rnd() % 2,
				       rnd() % 2))
			*s = c;
	}
}

static void test_scalar_within(void)
{
	struct xbpf_scalar a, b, j, c;
	u64 sa, sb, x;
	u32 i, t, pairs = 0, bad = 0, joined_bad = 0;

	for (i = 0; i < 200000; i++) {
		rnd_scalar(&a, &sa);
		rnd_scalar(&b, &sb);
		/* A join holds both sides: within must say so (completeness). */
		xbpf_scalar_join(&j, &a, &b);
		if (!xbpf_scalar_within(&j, &a) || !xbpf_scalar_within(&j, &b))
			joined_bad++;
		if (rnd() % 2)
			a = j;
		if (!xbpf_scalar_within(&a, &b))
			continue;
		pairs++;
		/* Soundness: members of b are members of a. */
		for (t = 0; t < 16; t++) {
			x = b.var.value | (rnd() & b.var.mask);
			if (t == 0)
				x = b.umin;
			else if (t == 1)
				x = b.umax;
			else if (t == 2)
				x = (u64)b.smin;
			if (xbpf_scalar_contains(&b, x) && !xbpf_scalar_contains(&a, x) && !bad++)
				xt_diag("within but %#llx of b is not in a", (unsigned long long)x);
		}
	}
	xt_report(!bad && !joined_bad && pairs > 1000,
		  "scalar within: %u included pairs, every sampled member kept (%u bad, %u joins)",
		  pairs, bad, joined_bad);

	/* Each view alone can refuse. */
	xbpf_scalar_set_urange(&a, 0, 7);
	xbpf_scalar_set_urange(&b, 0, 4);
	xt_report(a.var.mask == b.var.mask && xbpf_scalar_within(&a, &b) &&
		  !xbpf_scalar_within(&b, &a),
		  "within: [0, 4] in [0, 7] (same tnum), not the reverse");
	xbpf_scalar_set_srange(&a, -4, 4);
	xbpf_scalar_set_srange(&b, -5, 4);
	xt_report(xbpf_scalar_within(&b, &a) && !xbpf_scalar_within(&a, &b),
		  "within: signed [-4, 4] in [-5, 4], not the reverse");
	xbpf_scalar_set_const(&a, 0);
	xbpf_scalar_set_const(&c, 2);
	xbpf_scalar_join(&j, &a, &c);		/* {0, 2}: tnum (0; 2), range [0, 2] */
	xbpf_scalar_set_const(&b, 1);
	xt_report(!xbpf_scalar_within(&j, &b) && xbpf_scalar_within(&j, &a),
		  "within: 1 not in {0, 2} (tnum), 0 is");
	xbpf_scalar_set_unknown(&a);
	xbpf_scalar_set_urange(&b, 5, 1000);
	xt_report(xbpf_scalar_within(&a, &b) && !xbpf_scalar_within(&b, &a),
		  "within: unknown includes everything, not the reverse");
}

int main(void)
{
	fdtab[AFD] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 8);
	fdtab[HFD] = mkmap(XBPF_MAP_TYPE_HASH, 8, 16);
	if (!fdtab[AFD] || !fdtab[HFD])
		xt_diag("map creation failed");
	test_scalar_within();
	test_diamonds();
	test_call_liveness();
	test_stats();
	test_loops();
	test_soundness();
	xbpf_map_put(fdtab[AFD]);
	xbpf_map_put(fdtab[HFD]);
	return xt_finish();
}

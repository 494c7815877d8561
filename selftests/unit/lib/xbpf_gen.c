// SPDX-License-Identifier: GPL-2.0
/*
 * The random program generator (xbpf_gen.h): straight-line ALU of every
 * kind, stack loads, stores and atomics, forward jumps, a called
 * subprogram and map lookups, built so that the verifier accepts every
 * program and every register and stack slot ends up folded into r0.
 * Needs only the uapi header: the host JIT test links it with the core,
 * the VM's differential test against the module.
 */
#include <stdbool.h>
#include <string.h>
#include "xbpf_gen.h"

#define XI(c, d, s, o, i)	((struct xbpf_insn)XBPF_INSN_INIT(c, d, s, o, i))
#include "../../include/xbpf_insns.h"

#define GEN_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const __u64 xbpf_gen_vals[XBPF_GEN_NVALS] = {
	0, 1, 2, 3, 7, 31, 32, 63, 64, 0xff, 0x8000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, 0x123456789abcdef0ULL, 0x8000000000000000ULL,
	0xfffffffffffffff9ULL /* -7 */, 0xffffffffffffffffULL, 0xffffffff80000000ULL,
};

const __u8 xbpf_gen_jops[XBPF_GEN_NJOPS] = {
	XBPF_JEQ, XBPF_JNE, XBPF_JGT, XBPF_JGE, XBPF_JLT, XBPF_JLE,
	XBPF_JSGT, XBPF_JSGE, XBPF_JSLT, XBPF_JSLE, XBPF_JSET,
};

void xbpf_gen_init(struct xbpf_gen *g, __u64 seed, __s32 map_fd)
{
	memset(g, 0, sizeof(*g));
	g->rng = seed ? seed : 1;
	g->map_fd = map_fd;
}

__u64 xbpf_gen_rnd(struct xbpf_gen *g)
{
	/* xorshift64* */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dULL;
}

__u32 xbpf_gen_below(struct xbpf_gen *g, __u32 n)
{
	return (__u32)(xbpf_gen_rnd(g) % n);
}

/* Edge values often, small and 32-bit ones, and anything. */
static __u64 gen_val(struct xbpf_gen *g)
{
	switch (xbpf_gen_below(g, 4)) {
	case 0:
		return xbpf_gen_vals[xbpf_gen_below(g, XBPF_GEN_NVALS)];
	case 1:
		return (__u64)(__s64)(__s8)xbpf_gen_rnd(g);
	case 2:
		return (__u32)xbpf_gen_rnd(g);
	default:
		return xbpf_gen_rnd(g);
	}
}

static void gen_put(struct xbpf_gen *g, struct xbpf_insn insn)
{
	g->p[g->n++] = insn;
}

static void gen_lddw(struct xbpf_gen *g, __u8 reg, __u64 v)
{
	gen_put(g, XI(XBPF_LD | XBPF_IMM | XBPF_DW, reg, 0, 0, (__s32)(__u32)v));
	gen_put(g, XI(0, 0, 0, 0, (__s32)(__u32)(v >> 32)));
}

/*
 * After a call r1-r5 are unreadable for the verifier: new values.  r0 is
 * a scalar in both call kinds.
 */
static void gen_reinit_args(struct xbpf_gen *g)
{
	__u32 k;

	for (k = 1; k <= 5; k++)
		gen_put(g, MOV64_IMM(k, (__s32)gen_val(g)));
}

/*
 * One function's random body [start, start + body): ALU of every kind,
 * stack loads, stores and atomics, forward jumps, and with calls set
 * bpf-to-bpf calls and map lookups that read and write a value.
 */
static void gen_body(struct xbpf_gen *g, __u32 body, bool calls)
{
	static const __u8 sz[] = { XBPF_B, XBPF_H, XBPF_W, XBPF_DW };
	static const __u8 aops[] = {
		XBPF_ADD, XBPF_SUB, XBPF_MUL, XBPF_DIV, XBPF_MOD, XBPF_OR, XBPF_AND,
		XBPF_XOR, XBPF_LSH, XBPF_RSH, XBPF_ARSH, XBPF_MOV,
	};
	static const __s32 atom[] = {
		XBPF_ADD, XBPF_AND, XBPF_OR, XBPF_XOR, XBPF_ADD | XBPF_FETCH,
		XBPF_AND | XBPF_FETCH, XBPF_OR | XBPF_FETCH, XBPF_XOR | XBPF_FETCH,
		XBPF_XCHG, XBPF_CMPXCHG,
	};
	__u8 *reach = g->reach;
	struct xbpf_insn *p = g->p;
	__u32 start = g->n, end = start + body, i;

	while (g->n < end) {
		__u8 d = xbpf_gen_below(g, 10), s = xbpf_gen_below(g, 10);
		bool w64 = xbpf_gen_below(g, 2);
		__u32 r = xbpf_gen_below(g, 100);

		g->unit[g->n] = 1;
		if (r < 48) {
			__u8 op = aops[xbpf_gen_below(g, GEN_ARRAY_SIZE(aops))];
			bool x = xbpf_gen_below(g, 2);
			__s16 off = (op == XBPF_DIV || op == XBPF_MOD) ? xbpf_gen_below(g, 2) : 0;
			__s32 imm = (__s32)gen_val(g);

			if (op == XBPF_LSH || op == XBPF_RSH || op == XBPF_ARSH)
				imm = xbpf_gen_below(g, w64 ? 64 : 32);
			if ((op == XBPF_DIV || op == XBPF_MOD) && !imm)
				imm = 1 + xbpf_gen_below(g, 5);
			if (op == XBPF_MOV && x && xbpf_gen_below(g, 3) == 0)
				off = w64 ? (8 << xbpf_gen_below(g, 3)) : (8 << xbpf_gen_below(g, 2));
			/* divisors: often 0 or -1 in a register */
			if ((op == XBPF_DIV || op == XBPF_MOD) && x && xbpf_gen_below(g, 3) == 0 &&
			    g->n + 2 < end && s != d)
				gen_put(g, MOV64_IMM(s, xbpf_gen_below(g, 2) ? 0 : -1));
			gen_put(g, XI((w64 ? XBPF_ALU64 : XBPF_ALU) | op | (x ? XBPF_X : XBPF_K),
				      d, x ? s : 0, off, x ? 0 : imm));
		} else if (r < 56) {
			static const __s32 bits[] = { 16, 32, 64 };
			__u32 kind = xbpf_gen_below(g, 4);

			if (kind == 0)
				gen_put(g, XI((w64 ? XBPF_ALU64 : XBPF_ALU) | XBPF_NEG, d, 0, 0, 0));
			else if (kind == 1)
				gen_put(g, BSWAP(d, bits[xbpf_gen_below(g, 3)]));
			else
				gen_put(g, END(kind == 2 ? XBPF_TO_LE : XBPF_TO_BE, d,
					       bits[xbpf_gen_below(g, 3)]));
		} else if (r < 70) {
			__u8 z = sz[xbpf_gen_below(g, 4)];
			__u32 bytes = z == XBPF_B ? 1 : z == XBPF_H ? 2 : z == XBPF_W ? 4 : 8;
			__s16 off = -(__s16)(8 * (1 + xbpf_gen_below(g, XBPF_GEN_SLOTS))) +
				  (__s16)(xbpf_gen_below(g, 8 / bytes) * bytes);

			switch (xbpf_gen_below(g, 4)) {
			case 0:
				gen_put(g, LDX(z, d, 10, off));
				break;
			case 1:
				gen_put(g, z == XBPF_DW ? LDX(z, d, 10, off) : LDXS(z, d, 10, off));
				break;
			case 2:
				gen_put(g, STX(z, 10, s, off));
				break;
			default:
				gen_put(g, ST(z, 10, off, (__s32)gen_val(g)));
			}
		} else if (r < 78) {
			bool dw = xbpf_gen_below(g, 2);
			__s16 off = -(__s16)(8 * (1 + xbpf_gen_below(g, XBPF_GEN_SLOTS))) +
				  (dw ? 0 : (__s16)(4 * xbpf_gen_below(g, 2)));

			gen_put(g, ATOMIC(dw ? XBPF_DW : XBPF_W, 10, s, off,
					  atom[xbpf_gen_below(g, GEN_ARRAY_SIZE(atom))]));
		} else if (r < 81 && g->n + 2 < end) {
			gen_lddw(g, d, gen_val(g));
		} else if (r < 86 && calls && g->n + 16 < end) {
			if (xbpf_gen_below(g, 2)) {
				g->calls[g->ncalls++] = g->n;
				gen_put(g, CALL_LOCAL(0));
			} else {
				/*
				 * r0 = value + (rX & 7) (a variable offset: the
				 * verifier masks it without bypass_spec_v1), then
				 * *(u64 *)r0 = rX and r0 = *(u64 *)(r0 + 8); the
				 * map's values are 24 bytes
				 */
				__u8 v = 6 + xbpf_gen_below(g, 4);

				gen_put(g, ST(XBPF_W, 10, XBPF_GEN_KEY, xbpf_gen_below(g, 6)));
				gen_put(g, (struct xbpf_insn)XBPF_INSN_INIT(XBPF_LD | XBPF_IMM | XBPF_DW,
									     1, XBPF_PSEUDO_MAP_FD, 0,
									     g->map_fd));
				gen_put(g, XI(0, 0, 0, 0, 0));
				gen_put(g, MOV64_REG(2, 10));
				gen_put(g, ALU64_IMM(XBPF_ADD, 2, XBPF_GEN_KEY));
				gen_put(g, CALL(XBPF_FUNC_map_lookup_elem));
				gen_put(g, JMP_IMM(XBPF_JEQ, 0, 0, 5));
				gen_put(g, MOV64_REG(1, v));
				gen_put(g, ALU64_IMM(XBPF_AND, 1, 7));
				gen_put(g, ALU64_REG(XBPF_ADD, 0, 1));
				gen_put(g, STX(XBPF_DW, 0, v, 0));
				gen_put(g, LDX(XBPF_DW, 0, 0, 8));
				g->nhelper++;
			}
			gen_reinit_args(g);
		} else {
			/* a forward jump; its target is chosen below */
			__u8 op = xbpf_gen_jops[xbpf_gen_below(g, XBPF_GEN_NJOPS)];
			bool x = xbpf_gen_below(g, 2);

			g->rjump[g->n] = 1;
			if (xbpf_gen_below(g, 6) == 0)
				gen_put(g, xbpf_gen_below(g, 2) ? JA(0) : JA32(0));
			else
				gen_put(g, XI((w64 ? XBPF_JMP : XBPF_JMP32) | op |
					      (x ? XBPF_X : XBPF_K),
					      d, x ? s : 0, 0, x ? 0 : (__s32)gen_val(g)));
		}
	}
	/* jump targets: a unit start after the jump, up to the fold at end */
	g->unit[end] = 1;
	for (i = start; i < end; i++) {
		__u32 t;

		if (!g->rjump[i])
			continue;
		do
			t = i + 1 + xbpf_gen_below(g, end - i);
		while (!g->unit[t]);
		if (p[i].code == (XBPF_JMP32 | XBPF_JA))
			p[i].imm = (__s32)(t - i - 1);
		else
			p[i].off = (__s16)(t - i - 1);
	}
	/*
	 * The verifier refuses code no path reaches ("unreachable insn"): a
	 * JA that skips such code becomes a JA +0, until everything is
	 * reachable (which only grows as JAs shrink).
	 */
	for (;;) {
		bool changed = false;

		memset(reach, 0, sizeof(g->reach));
		reach[start] = 1;
		for (i = start; i < end; i++) {
			__u8 cls = XBPF_CLASS(p[i].code);
			bool ja = p[i].code == (XBPF_JMP | XBPF_JA) ||
				  p[i].code == (XBPF_JMP32 | XBPF_JA);

			if (!reach[i])
				continue;
			if (p[i].code == (XBPF_LD | XBPF_IMM | XBPF_DW)) {
				reach[i + 2] = 1;
				i++;
			} else if ((cls == XBPF_JMP || cls == XBPF_JMP32) &&
				   p[i].code != (XBPF_JMP | XBPF_CALL)) {
				reach[i + 1 + (p[i].code == (XBPF_JMP32 | XBPF_JA) ?
					       p[i].imm : p[i].off)] = 1;
				if (!ja)
					reach[i + 1] = 1;
			} else {
				reach[i + 1] = 1;
			}
		}
		for (i = start; i < end; i++) {
			__u32 j;

			if (!g->unit[i] || reach[i])
				continue;
			/* the reached JA before it that skips it: make it a no-op */
			for (j = i; j-- > start;)
				if (reach[j] && g->rjump[j] && (p[j].off || p[j].imm) &&
				    (p[j].code == (XBPF_JMP | XBPF_JA) ||
				     p[j].code == (XBPF_JMP32 | XBPF_JA))) {
					p[j].off = 0;
					p[j].imm = 0;
					changed = true;
					break;
				}
			break;
		}
		if (!changed)
			break;
	}
}

/* Registers (those given) and the stack slots get random values. */
static void gen_init(struct xbpf_gen *g, __u32 regs)
{
	__u32 k;

	for (k = 0; k <= 9; k++)
		if (regs & (1u << k))
			gen_lddw(g, k, gen_val(g));
	for (k = 0; k < XBPF_GEN_SLOTS; k++)
		gen_put(g, STX(XBPF_DW, 10, xbpf_gen_below(g, 10), -8 * (__s32)(k + 1)));
}

/* Everything (registers, stack) folded into r0, then exit. */
static void gen_fold(struct xbpf_gen *g)
{
	__u32 k;

	gen_put(g, MOV64_REG(6, 0));
	for (k = 1; k <= 9; k++) {
		if (k == 6)
			continue;
		gen_put(g, ALU64_IMM(XBPF_MUL, 6, 1000003));
		gen_put(g, ALU64_REG(XBPF_XOR, 6, k));
	}
	for (k = 0; k < XBPF_GEN_SLOTS; k++) {
		gen_put(g, LDX(XBPF_DW, 1, 10, -8 * (__s32)(k + 1)));
		gen_put(g, ALU64_IMM(XBPF_MUL, 6, 1000003));
		gen_put(g, ALU64_REG(XBPF_XOR, 6, 1));
	}
	gen_put(g, MOV64_REG(0, 6));
	gen_put(g, EXIT());
}

/*
 * One random program: the main function (its body may call a second
 * function, which gets r1-r5 as arguments and initialises the rest
 * itself, and may look up a map), then that function when called.
 * No register but r10 and the lookup's r0 ever holds a pointer, and those
 * only as bases, so the verifier accepts it and it is safe to run
 * unverified as well.
 */
__u32 xbpf_gen_prog(struct xbpf_gen *g, struct xbpf_insn *p, __u32 body, __u32 sub_body)
{
	__u32 i, sub;

	memset(g->unit, 0, sizeof(g->unit));
	memset(g->rjump, 0, sizeof(g->rjump));
	g->ncalls = 0;
	g->nhelper = 0;
	g->n = 0;
	g->p = p;
	gen_init(g, 0x3ff);
	gen_body(g, body, true);
	gen_fold(g);
	if (!g->ncalls)
		return g->n;
	sub = g->n;
	gen_init(g, 1u << 0 | 0xf << 6);
	gen_body(g, sub_body, false);
	gen_fold(g);
	for (i = 0; i < g->ncalls; i++)
		p[g->calls[i]].imm = (__s32)(sub - g->calls[i] - 1);
	return g->n;
}


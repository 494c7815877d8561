// SPDX-License-Identifier: GPL-2.0
/*
 * Soundness property tests for the scalar value domain (verifier/tnum.c,
 * verifier/scalar.c):
 *
 *  (a) every tnum operation, exhaustively over all 5-bit tnums placed at
 *      several bit positions of a 64-bit value (low bits, across the
 *      32-bit boundary, the top bits) on known backgrounds: the result of
 *      every pair of concrete members is a member of the abstract result;
 *  (b) random abstract scalars built from concrete seeds (fixed seed, so
 *      reproducible) and random members: for every ALU/ALU32 op the result
 *      the interpreter computes lies in every view of the abstract result,
 *      and for every JMP/JMP32 condition the arm a concrete pair takes
 *      contains it and branch_taken never contradicts it;
 *  (c) precision checks that a too-coarse domain would fail.
 */
#include "lib/xbpf_test.h"
#include "verifier/tnum.h"
#include "verifier/scalar.h"

#define N(a)	ARRAY_SIZE(a)

/* ---------------------------------------------------------------------
 * Deterministic randomness
 */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	u64 x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static u64 rnd_below(u64 n)
{
	return rnd() % n;
}

/* Values that exercise boundaries more often than uniform ones would. */
static u64 rnd_interesting(void)
{
	static const u64 edges[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, U64_MAX,
		0xffffffff80000000ULL, 0xffffffff7fffffffULL, 63, 64, 31, 32,
	};
	u64 r = rnd();

	switch (rnd_below(9)) {
	case 0: return rnd_below(17);
	case 1: return -(u64)rnd_below(17);
	case 2: return r;
	case 3: return (u32)r;
	case 4: return (u64)(s64)(s32)r;
	case 5: return edges[rnd_below(N(edges))] + rnd_below(5) - 2;
	case 6: return r & rnd() & rnd();
	case 7: return r & (rnd_below(2) ? 0xff : 0xffff);
	default: return rnd_below(64);
	}
}

/* ---------------------------------------------------------------------
 * (a) Exhaustive tnums
 */
#define TW	5			/* bits of a small tnum */
#define TMAX	(1U << TW)

struct small_tnum {
	u32	value, mask;
};

static struct small_tnum tnums[243];	/* 3^TW */
static u32 tnum_cnt;

static void build_tnums(void)
{
	u32 v, m;

	for (m = 0; m < TMAX; m++)
		for (v = 0; v < TMAX; v++)
			if (!(v & m))
				tnums[tnum_cnt++] = (struct small_tnum){ v, m };
}

struct embed {
	u8	pos;
	u64	bg;		/* known bits outside the small tnum */
};

static const struct embed embeds64[] = {
	{ 0, 0 }, { 0, 0xa5a5a5a5a5a5a5a0ULL }, { 29, 0 },
	{ 30, 0xffffffff00000000ULL }, { 59, 0x0123456789abcdefULL },
};

static const struct embed embeds32[] = {
	{ 0, 0 }, { 27, 0x5a5a5a5a00000000ULL }, { 29, 0x12345678 },
};

static struct xbpf_tnum embed_tnum(struct small_tnum t, const struct embed *e)
{
	u64 field = (u64)(TMAX - 1) << e->pos;

	return XBPF_TNUM((e->bg & ~field) | ((u64)t.value << e->pos),
			 (u64)t.mask << e->pos);
}

/* Members of an embedded tnum: the i-th subset of its mask. */
static u32 members(struct small_tnum t, const struct embed *e, u64 *out)
{
	struct xbpf_tnum big = embed_tnum(t, e);
	u32 n = 0, sub = 0;

	/* Walk every subset of mask (standard subset enumeration). */
	do {
		out[n++] = big.value | ((u64)sub << e->pos);
		sub = (sub - t.mask) & t.mask;
	} while (sub);
	return n;
}

static bool tnum_ok(struct xbpf_tnum t)
{
	return !(t.value & t.mask);
}

enum tbin {
	T_ADD, T_SUB, T_MUL, T_AND, T_OR, T_XOR,
	T_ADD32, T_SUB32, T_MUL32, T_AND32, T_OR32, T_XOR32, T_NBIN
};

static const char *const tbin_name[] = {
	"add", "sub", "mul", "and", "or", "xor",
	"add32", "sub32", "mul32", "and32", "or32", "xor32",
};

static struct xbpf_tnum tbin_abs(int op, struct xbpf_tnum a, struct xbpf_tnum b)
{
	switch (op) {
	case T_ADD: return xbpf_tnum_add(a, b);
	case T_SUB: return xbpf_tnum_sub(a, b);
	case T_MUL: return xbpf_tnum_mul(a, b);
	case T_AND: return xbpf_tnum_and(a, b);
	case T_OR: return xbpf_tnum_or(a, b);
	case T_XOR: return xbpf_tnum_xor(a, b);
	case T_ADD32: return xbpf_tnum_add32(a, b);
	case T_SUB32: return xbpf_tnum_sub32(a, b);
	case T_MUL32: return xbpf_tnum_mul32(a, b);
	case T_AND32: return xbpf_tnum_and32(a, b);
	case T_OR32: return xbpf_tnum_or32(a, b);
	default: return xbpf_tnum_xor32(a, b);
	}
}

static u64 tbin_conc(int op, u64 x, u64 y)
{
	switch (op) {
	case T_ADD: return x + y;
	case T_SUB: return x - y;
	case T_MUL: return x * y;
	case T_AND: return x & y;
	case T_OR: return x | y;
	case T_XOR: return x ^ y;
	case T_ADD32: return (u32)(x + y);
	case T_SUB32: return (u32)(x - y);
	case T_MUL32: return (u32)((u32)x * (u32)y);
	case T_AND32: return (u32)(x & y);
	case T_OR32: return (u32)(x | y);
	default: return (u32)(x ^ y);
	}
}

static void test_tnum_binary(void)
{
	static u64 xa[TMAX], xb[TMAX];
	int op;

	for (op = 0; op < T_NBIN; op++) {
		bool is32 = op >= T_ADD32;
		const struct embed *emb = is32 ? embeds32 : embeds64;
		u32 ne = is32 ? N(embeds32) : N(embeds64);
		u64 checks = 0, bad = 0;
		u32 e, f, i, j, k, l, na, nb;

		for (e = 0; e < ne; e++) {
			f = (e + 1) % ne;	/* b on another background */
			for (i = 0; i < tnum_cnt; i++) {
				na = members(tnums[i], &emb[e], xa);
				for (j = 0; j < tnum_cnt; j++) {
					struct xbpf_tnum r;

					nb = members(tnums[j], &emb[f], xb);
					r = tbin_abs(op, embed_tnum(tnums[i], &emb[e]),
						     embed_tnum(tnums[j], &emb[f]));
					if (!tnum_ok(r) || (is32 && (r.value | r.mask) >> 32))
						bad++;
					for (k = 0; k < na; k++)
						for (l = 0; l < nb; l++, checks++)
							if (!xbpf_tnum_contains(r, tbin_conc(op, xa[k], xb[l])) &&
							    !bad++)
								xt_diag("tnum %s: %#llx, %#llx", tbin_name[op],
									(unsigned long long)xa[k],
									(unsigned long long)xb[l]);
				}
			}
		}
		xt_report(!bad, "tnum %s sound, exhaustive %u-bit (%llu member pairs)",
			  tbin_name[op], TW, (unsigned long long)checks);
	}
}

enum tsh { S_LSH, S_RSH, S_ARSH, S_LSH32, S_RSH32, S_ARSH32, S_NSH };

static const char *const tsh_name[] = { "lsh", "rsh", "arsh", "lsh32", "rsh32", "arsh32" };

static void test_tnum_shifts(void)
{
	static u64 xa[TMAX];
	int op;

	for (op = 0; op < S_NSH; op++) {
		bool is32 = op >= S_LSH32;
		const struct embed *emb = is32 ? embeds32 : embeds64;
		u32 ne = is32 ? N(embeds32) : N(embeds64);
		u32 width = is32 ? 32 : 64;
		u64 checks = 0, bad = 0;
		u32 e, i, k, n, sh;

		for (e = 0; e < ne; e++)
			for (i = 0; i < tnum_cnt; i++) {
				struct xbpf_tnum a = embed_tnum(tnums[i], &emb[e]);

				n = members(tnums[i], &emb[e], xa);
				for (sh = 0; sh < width; sh++) {
					struct xbpf_tnum r;

					switch (op) {
					case S_LSH: r = xbpf_tnum_lsh(a, sh); break;
					case S_RSH: r = xbpf_tnum_rsh(a, sh); break;
					case S_ARSH: r = xbpf_tnum_arsh(a, sh); break;
					case S_LSH32: r = xbpf_tnum_lsh32(a, sh); break;
					case S_RSH32: r = xbpf_tnum_rsh32(a, sh); break;
					default: r = xbpf_tnum_arsh32(a, sh); break;
					}
					if (!tnum_ok(r) || (is32 && (r.value | r.mask) >> 32))
						bad++;
					for (k = 0; k < n; k++, checks++) {
						u64 x = xa[k], c;

						switch (op) {
						case S_LSH: c = x << sh; break;
						case S_RSH: c = x >> sh; break;
						case S_ARSH: c = (u64)((s64)x >> sh); break;
						case S_LSH32: c = (u32)((u32)x << sh); break;
						case S_RSH32: c = (u32)x >> sh; break;
						default: c = (u32)((s32)x >> sh); break;
						}
						if (!xbpf_tnum_contains(r, c))
							bad++;
					}
				}
			}
		xt_report(!bad, "tnum %s sound, exhaustive %u-bit x every amount (%llu cases)",
			  tsh_name[op], TW, (unsigned long long)checks);
	}
}

/* Unary ops, lattice ops and predicates. */
static void test_tnum_misc(void)
{
	static u64 xa[TMAX], xb[TMAX];
	u64 bad_un = 0, bad_lat = 0, bad_pred = 0, bad_range = 0, checks = 0;
	u32 e, i, j, k, l, na, nb;

	for (e = 0; e < N(embeds64); e++)
		for (i = 0; i < tnum_cnt; i++) {
			struct xbpf_tnum a = embed_tnum(tnums[i], &embeds64[e]);
			struct xbpf_tnum r;
			static const u8 sizes[] = { 1, 2, 4, 8 };
			static const u32 widths[] = { 8, 16, 32 };

			na = members(tnums[i], &embeds64[e], xa);
			for (k = 0; k < na; k++) {
				u64 x = xa[k];

				checks++;
				bad_un += !xbpf_tnum_contains(xbpf_tnum_neg(a), 0 - x);
				bad_un += !xbpf_tnum_contains(xbpf_tnum_neg32(a), (u32)(0 - x));
				bad_un += !xbpf_tnum_contains(xbpf_tnum_bswap(a, 16), swab16((u16)x));
				bad_un += !xbpf_tnum_contains(xbpf_tnum_bswap(a, 32), swab32((u32)x));
				bad_un += !xbpf_tnum_contains(xbpf_tnum_bswap(a, 64), swab64(x));
				bad_un += !xbpf_tnum_contains(xbpf_tnum_sext(a, 8), (u64)(s64)(s8)x);
				bad_un += !xbpf_tnum_contains(xbpf_tnum_sext(a, 16), (u64)(s64)(s16)x);
				bad_un += !xbpf_tnum_contains(xbpf_tnum_sext(a, 32), (u64)(s64)(s32)x);
				for (l = 0; l < N(sizes); l++)
					bad_un += !xbpf_tnum_contains(xbpf_tnum_cast(a, sizes[l]),
						sizes[l] == 8 ? x : x & ((1ULL << (8 * sizes[l])) - 1));
				bad_un += !xbpf_tnum_contains(xbpf_tnum_subreg(a), (u32)x);
				bad_un += !xbpf_tnum_contains(xbpf_tnum_clear_subreg(a), x & ~0xffffffffULL);
				bad_un += !xbpf_tnum_contains(xbpf_tnum_const_subreg(a, 7),
							      (x & ~0xffffffffULL) | 7);
				(void)widths;
			}
			/* is_aligned is exact: true iff every member is aligned. */
			for (l = 1; l <= 64; l <<= 1) {
				bool all = true;

				for (k = 0; k < na; k++)
					all &= !(xa[k] & (l - 1));
				bad_pred += xbpf_tnum_is_aligned(a, l) != all;
			}
			bad_pred += xbpf_tnum_is_const(a) != (na == 1);

			for (j = 0; j < tnum_cnt; j++) {
				struct xbpf_tnum b = embed_tnum(tnums[j], &embeds64[(e + 1) % N(embeds64)]);
				struct xbpf_tnum u = xbpf_tnum_union(a, b), w;
				bool all_in = true, meet, any_common = false;

				nb = members(tnums[j], &embeds64[(e + 1) % N(embeds64)], xb);
				r = xbpf_tnum_with_subreg(a, b);
				for (k = 0; k < na; k++) {
					bad_lat += !xbpf_tnum_contains(u, xa[k]);
					for (l = 0; l < nb; l++)
						bad_lat += !xbpf_tnum_contains(r,
							(xa[k] & ~0xffffffffULL) | (u32)xb[l]);
				}
				meet = xbpf_tnum_intersect(a, b, &w);
				for (l = 0; l < nb; l++) {
					bool in_a = xbpf_tnum_contains(a, xb[l]);

					bad_lat += !xbpf_tnum_contains(u, xb[l]);
					all_in &= in_a;
					any_common |= in_a;
					/* Every common member survives the meet. */
					if (in_a && (!meet || !xbpf_tnum_contains(w, xb[l])))
						bad_lat++;
				}
				/* The meet is empty exactly when nothing is common. */
				bad_lat += meet != any_common;
				bad_lat += !tnum_ok(u) || (meet && !tnum_ok(w));
				bad_pred += xbpf_tnum_in(a, b) != all_in;
			}
		}
	xt_report(!bad_un, "tnum neg/bswap/sext/cast/subreg sound (%llu members)",
		  (unsigned long long)checks);
	xt_report(!bad_lat, "tnum union/intersect/with_subreg sound, meet exact on emptiness");
	xt_report(!bad_pred, "tnum in/is_aligned/is_const exact");

	/* range(min, max) holds every value between, for small spans anywhere. */
	for (i = 0; i < 20000; i++) {
		u64 lo = rnd_interesting(), span = rnd_below(40), x;
		u64 hi = lo + span < lo ? U64_MAX : lo + span;
		struct xbpf_tnum t = xbpf_tnum_range(lo, hi);

		for (x = lo;; x++) {
			bad_range += !xbpf_tnum_contains(t, x);
			if (x == hi)
				break;
		}
		{
			u32 l32 = (u32)lo, h32 = l32 + (u32)span, y;

			if (h32 < l32)
				h32 = U32_MAX;
			t = xbpf_tnum_range32(l32, h32);
			bad_range += (t.value | t.mask) >> 32 != 0;
			for (y = l32;; y++) {
				bad_range += !xbpf_tnum_contains(t, y);
				if (y == h32)
					break;
			}
		}
	}
	xt_report(!bad_range, "tnum range/range32 hold every value of the range");
}

/* ---------------------------------------------------------------------
 * (b) Random scalars against the interpreter
 */
static struct xbpf_prog *alu_prog, *jmp_prog;
static void *run_stack;

static u64 run(struct xbpf_prog *prog)
{
	struct xbpf_run_ctx rc = { .stack = run_stack };
	u64 r0 = 0;

	if (xbpf_interp_run(prog, &rc, &r0))
		return 0xdeadbeefdeadbeefULL;
	return r0;
}

static void set_lddw(struct xbpf_insn *insn, u8 reg, u64 v)
{
	insn[0] = (struct xbpf_insn){ .code = XBPF_LD | XBPF_IMM | XBPF_DW,
				      .dst_reg = reg, .imm = (s32)(u32)v };
	insn[1] = (struct xbpf_insn){ .imm = (s32)(u32)(v >> 32) };
}

/* r0 = x; r1 = y; <insn on r0, r1>; exit */
static u64 interp_alu(const struct xbpf_insn *op, u64 x, u64 y)
{
	struct xbpf_insn *p = alu_prog->insns;

	set_lddw(&p[0], 0, x);
	set_lddw(&p[2], 1, y);
	p[4] = *op;
	p[4].dst_reg = 0;
	p[4].src_reg = 1;
	return run(alu_prog);
}

/* r0 = (x op y) as the jump decides it. */
static bool interp_jmp(const struct xbpf_insn *op, u64 x, u64 y)
{
	struct xbpf_insn *p = jmp_prog->insns;

	set_lddw(&p[0], 1, x);
	set_lddw(&p[2], 2, y);
	p[5] = *op;
	p[5].dst_reg = 1;
	p[5].src_reg = 2;
	p[5].off = 1;
	return run(jmp_prog) == 1;
}

#define MAX_SEEDS 6
struct operand {
	struct xbpf_scalar s;
	u64 seeds[MAX_SEEDS];		/* known members */
	u32 nseeds;
	const char *how;
};

static u64 bad_build;

static void operand_from_seeds(struct operand *o)
{
	u32 i;

	xbpf_scalar_set_const(&o->s, o->seeds[0]);
	for (i = 1; i < o->nseeds; i++) {
		struct xbpf_scalar c;

		xbpf_scalar_set_const(&c, o->seeds[i]);
		xbpf_scalar_join(&o->s, &o->s, &c);
	}
}

static void rnd_operand(struct operand *o)
{
	static const u8 conds[] = {
		XBPF_JEQ, XBPF_JNE, XBPF_JGT, XBPF_JGE, XBPF_JLT, XBPF_JLE,
		XBPF_JSGT, XBPF_JSGE, XBPF_JSLT, XBPF_JSLE, XBPF_JSET,
	};
	u64 base = rnd_interesting();
	u32 i, mode = rnd_below(7);

	o->nseeds = 1;
	o->seeds[0] = base;
	switch (mode) {
	case 0:
		o->how = "const";
		break;
	case 1:		/* a few values close together */
		o->how = "near";
		o->nseeds = 2 + rnd_below(MAX_SEEDS - 1);
		for (i = 1; i < o->nseeds; i++)
			o->seeds[i] = base + rnd_below(1 << rnd_below(20));
		break;
	case 2:		/* a few unrelated values */
		o->how = "far";
		o->nseeds = 2 + rnd_below(MAX_SEEDS - 1);
		for (i = 1; i < o->nseeds; i++)
			o->seeds[i] = rnd_interesting();
		break;
	case 3:		/* the low half varies, the upper is fixed */
		o->how = "low32";
		o->nseeds = 2 + rnd_below(MAX_SEEDS - 1);
		for (i = 1; i < o->nseeds; i++)
			o->seeds[i] = (base & ~0xffffffffULL) | (u32)rnd_interesting();
		break;
	default:
		o->how = "refined";
		o->nseeds = 2 + rnd_below(MAX_SEEDS - 1);
		for (i = 1; i < o->nseeds; i++)
			o->seeds[i] = rnd_below(2) ? base + rnd_below(1000) - 500 : rnd_interesting();
		break;
	}
	operand_from_seeds(o);
	if (mode == 6) {
		o->how = "unknown";
		xbpf_scalar_set_unknown(&o->s);
	}
	if (mode == 4 || mode == 5) {
		/*
		 * Narrow by a random condition against a constant, on the side
		 * the first seed takes; drop the seeds the other side keeps.
		 */
		struct xbpf_scalar c;
		u64 k = rnd_below(2) ? o->seeds[rnd_below(o->nseeds)] + rnd_below(3) - 1 :
				       rnd_interesting();
		u8 op = conds[rnd_below(N(conds))];
		bool j32 = rnd_below(2);
		struct xbpf_insn jin = { .code = (j32 ? XBPF_JMP32 : XBPF_JMP) | op | XBPF_X };
		bool t = interp_jmp(&jin, o->seeds[0], k);
		u32 n = 0;

		if (mode == 5)
			xbpf_scalar_set_unknown(&o->s);
		xbpf_scalar_set_const(&c, k);
		if (!xbpf_scalar_refine(&o->s, &c, op, j32, t)) {
			if (!bad_build++)
				xt_diag("refine lost the seed %#llx (op %#x jmp32 %d k %#llx)",
					(unsigned long long)o->seeds[0], op, j32,
					(unsigned long long)k);
			operand_from_seeds(o);
		}
		for (i = 0; i < o->nseeds; i++)
			if (interp_jmp(&jin, o->seeds[i], k) == t)
				o->seeds[n++] = o->seeds[i];
		o->nseeds = n;
	}
	for (i = 0; i < o->nseeds; i++)
		if (!xbpf_scalar_contains(&o->s, o->seeds[i]) && !bad_build++)
			xt_diag("operand (%s) lost its seed %#llx", o->how,
				(unsigned long long)o->seeds[i]);
}

/* A member: a seed, or a random value inside the tnum that passes every view. */
static u64 rnd_member(const struct operand *o)
{
	int tries;

	for (tries = 0; tries < 4 && rnd_below(2); tries++) {
		u64 x = o->s.var.value | (rnd() & o->s.var.mask);

		if (rnd_below(2))	/* near the bounds */
			x = rnd_below(2) ? o->s.umin + rnd_below(3) : o->s.umax - rnd_below(3);
		if (xbpf_scalar_contains(&o->s, x))
			return x;
	}
	return o->seeds[rnd_below(o->nseeds)];
}

static bool scalar_sane(const struct xbpf_scalar *s)
{
	return !(s->var.value & s->var.mask) && s->umin <= s->umax && s->smin <= s->smax &&
	       s->u32_min <= s->u32_max && s->s32_min <= s->s32_max;
}

static void dump_scalar(const char *what, const struct xbpf_scalar *s)
{
	xt_diag("  %s: var (%#llx, %#llx) u [%#llx, %#llx] s [%lld, %lld] u32 [%#x, %#x] s32 [%d, %d]",
		what, (unsigned long long)s->var.value, (unsigned long long)s->var.mask,
		(unsigned long long)s->umin, (unsigned long long)s->umax,
		(long long)s->smin, (long long)s->smax, s->u32_min, s->u32_max,
		s->s32_min, s->s32_max);
}

struct alu_case {
	const char *name;
	struct xbpf_insn insn;	/* dst/src filled in; imm random for K unless fixed */
	bool fixed_imm;
	u64 cases, bad;
};

#define A64X(op, o)	{ .code = XBPF_ALU64 | (op) | XBPF_X, .off = (o) }
#define A64K(op, o)	{ .code = XBPF_ALU64 | (op) | XBPF_K, .off = (o) }
#define A32X(op, o)	{ .code = XBPF_ALU | (op) | XBPF_X, .off = (o) }
#define A32K(op, o)	{ .code = XBPF_ALU | (op) | XBPF_K, .off = (o) }
#define ALU_PAIR(name, op, o)					\
	{ name " X", A64X(op, o) }, { name " K", A64K(op, o) },	\
	{ name "32 X", A32X(op, o) }, { name "32 K", A32K(op, o) }

static struct alu_case alu_cases[] = {
	ALU_PAIR("add", XBPF_ADD, 0), ALU_PAIR("sub", XBPF_SUB, 0),
	ALU_PAIR("mul", XBPF_MUL, 0), ALU_PAIR("div", XBPF_DIV, 0),
	ALU_PAIR("sdiv", XBPF_DIV, 1), ALU_PAIR("mod", XBPF_MOD, 0),
	ALU_PAIR("smod", XBPF_MOD, 1), ALU_PAIR("and", XBPF_AND, 0),
	ALU_PAIR("or", XBPF_OR, 0), ALU_PAIR("xor", XBPF_XOR, 0),
	ALU_PAIR("lsh", XBPF_LSH, 0), ALU_PAIR("rsh", XBPF_RSH, 0),
	ALU_PAIR("arsh", XBPF_ARSH, 0),
	{ "neg", A64K(XBPF_NEG, 0) }, { "neg32", A32K(XBPF_NEG, 0) },
	{ "mov X", A64X(XBPF_MOV, 0) }, { "mov32 X", A32X(XBPF_MOV, 0) },
	{ "mov K", A64K(XBPF_MOV, 0) }, { "mov32 K", A32K(XBPF_MOV, 0) },
	{ "movsx8", A64X(XBPF_MOV, 8) }, { "movsx16", A64X(XBPF_MOV, 16) },
	{ "movsx32", A64X(XBPF_MOV, 32) }, { "movsx32 8", A32X(XBPF_MOV, 8) },
	{ "movsx32 16", A32X(XBPF_MOV, 16) },
	{ "le16", { .code = XBPF_ALU | XBPF_END | XBPF_TO_LE, .imm = 16 }, true },
	{ "le32", { .code = XBPF_ALU | XBPF_END | XBPF_TO_LE, .imm = 32 }, true },
	{ "le64", { .code = XBPF_ALU | XBPF_END | XBPF_TO_LE, .imm = 64 }, true },
	{ "be16", { .code = XBPF_ALU | XBPF_END | XBPF_TO_BE, .imm = 16 }, true },
	{ "be32", { .code = XBPF_ALU | XBPF_END | XBPF_TO_BE, .imm = 32 }, true },
	{ "be64", { .code = XBPF_ALU | XBPF_END | XBPF_TO_BE, .imm = 64 }, true },
	{ "bswap16", { .code = XBPF_ALU64 | XBPF_END | XBPF_TO_LE, .imm = 16 }, true },
	{ "bswap32", { .code = XBPF_ALU64 | XBPF_END | XBPF_TO_LE, .imm = 32 }, true },
	{ "bswap64", { .code = XBPF_ALU64 | XBPF_END | XBPF_TO_LE, .imm = 64 }, true },
};

struct jmp_case {
	const char *name;
	u8 op;
	bool jmp32, k;
	u64 cases, bad, decided;
};

#define JMP_ALL(name, op)						\
	{ name " X", op, false, false }, { name " K", op, false, true },	\
	{ name "32 X", op, true, false }, { name "32 K", op, true, true }

static struct jmp_case jmp_cases[] = {
	JMP_ALL("jeq", XBPF_JEQ), JMP_ALL("jne", XBPF_JNE),
	JMP_ALL("jgt", XBPF_JGT), JMP_ALL("jge", XBPF_JGE),
	JMP_ALL("jlt", XBPF_JLT), JMP_ALL("jle", XBPF_JLE),
	JMP_ALL("jsgt", XBPF_JSGT), JMP_ALL("jsge", XBPF_JSGE),
	JMP_ALL("jslt", XBPF_JSLT), JMP_ALL("jsle", XBPF_JSLE),
	JMP_ALL("jset", XBPF_JSET),
};

static void check_alu(struct alu_case *c, const struct operand *a, const struct operand *b)
{
	struct xbpf_insn insn = c->insn;
	struct xbpf_scalar r = a->s, src = b->s, kc;
	u64 x = rnd_member(a), y = rnd_member(b), want;
	bool k = XBPF_SRC(insn.code) == XBPF_K && XBPF_OP(insn.code) != XBPF_END;
	int err;

	if (k) {
		if (!c->fixed_imm)
			insn.imm = rnd_below(2) ? (s32)y : (s32)rnd_interesting();
		y = (u64)(s64)insn.imm;
		xbpf_scalar_set_const(&kc, y);
		src = kc;
	}
	err = xbpf_scalar_alu(&r, &src, &insn);
	want = interp_alu(&insn, x, y);
	c->cases++;
	if (!err && scalar_sane(&r) && xbpf_scalar_contains(&r, want))
		return;
	if (c->bad++ < 2) {
		xt_diag("%s: err %d, %#llx op %#llx = %#llx not in result", c->name, err,
			(unsigned long long)x, (unsigned long long)y,
			(unsigned long long)want);
		dump_scalar("dst", &a->s);
		dump_scalar("src", &src);
		dump_scalar("res", &r);
	}
}

static void check_jmp(struct jmp_case *c, const struct operand *a, const struct operand *b)
{
	struct xbpf_insn insn = { .code = (c->jmp32 ? XBPF_JMP32 : XBPF_JMP) | c->op |
					  (c->k ? XBPF_K : XBPF_X) };
	struct xbpf_scalar src = b->s;
	struct xbpf_branch_arms arms;
	u64 x = rnd_member(a), y = rnd_member(b);
	enum xbpf_branch bt;
	bool t, ok;

	if (c->k) {
		insn.imm = rnd_below(2) ? (s32)y : (s32)rnd_interesting();
		y = (u64)(s64)insn.imm;
		xbpf_scalar_set_const(&src, y);
	}
	t = interp_jmp(&insn, x, y);
	c->cases++;
	ok = !xbpf_scalar_branch(&a->s, &src, c->op, c->jmp32, &arms);
	bt = xbpf_scalar_branch_taken(&a->s, &src, c->op, c->jmp32);
	if (bt != XBPF_BRANCH_UNKNOWN)
		c->decided++;
	if (ok && t)
		ok = arms.taken_ok && scalar_sane(&arms.taken_dst) &&
		     scalar_sane(&arms.taken_src) &&
		     xbpf_scalar_contains(&arms.taken_dst, x) &&
		     xbpf_scalar_contains(&arms.taken_src, y);
	else if (ok)
		ok = arms.fall_ok && scalar_sane(&arms.fall_dst) &&
		     scalar_sane(&arms.fall_src) &&
		     xbpf_scalar_contains(&arms.fall_dst, x) &&
		     xbpf_scalar_contains(&arms.fall_src, y);
	ok = ok && bt != (t ? XBPF_BRANCH_NEVER : XBPF_BRANCH_ALWAYS);
	if (ok)
		return;
	if (c->bad++ < 2) {
		xt_diag("%s: %#llx vs %#llx %s, branch_taken %d", c->name,
			(unsigned long long)x, (unsigned long long)y,
			t ? "taken" : "not taken", bt);
		dump_scalar("dst", &a->s);
		dump_scalar("src", &src);
		dump_scalar(t ? "taken dst" : "fall dst", t ? &arms.taken_dst : &arms.fall_dst);
		dump_scalar(t ? "taken src" : "fall src", t ? &arms.taken_src : &arms.fall_src);
	}
}

#define ROUNDS	8000

static void test_random(void)
{
	u32 round, i, m;
	u64 total_alu = 0, total_jmp = 0;

	for (round = 0; round < ROUNDS; round++) {
		struct operand a, b;

		rnd_operand(&a);
		rnd_operand(&b);
		/* A few member pairs per operand pair. */
		for (m = 0; m < 3; m++) {
			for (i = 0; i < N(alu_cases); i++)
				check_alu(&alu_cases[i], &a, &b);
			for (i = 0; i < N(jmp_cases); i++)
				check_jmp(&jmp_cases[i], &a, &b);
		}
	}
	xt_report(!bad_build, "random operands hold their seeds (%u operand pairs)", ROUNDS);
	for (i = 0; i < N(alu_cases); i++) {
		total_alu += alu_cases[i].cases;
		xt_report(!alu_cases[i].bad, "alu %s sound (%llu cases, %llu bad)",
			  alu_cases[i].name, (unsigned long long)alu_cases[i].cases,
			  (unsigned long long)alu_cases[i].bad);
	}
	for (i = 0; i < N(jmp_cases); i++) {
		total_jmp += jmp_cases[i].cases;
		xt_report(!jmp_cases[i].bad,
			  "jmp %s refinement and branch_taken sound (%llu cases, %llu decided)",
			  jmp_cases[i].name, (unsigned long long)jmp_cases[i].cases,
			  (unsigned long long)jmp_cases[i].decided);
	}
	xt_diag("random: %llu alu cases, %llu jmp cases",
		(unsigned long long)total_alu, (unsigned long long)total_jmp);
}

/* ---------------------------------------------------------------------
 * (c) Precision
 */
static bool views_eq(const struct xbpf_scalar *s, u64 umin, u64 umax, s64 smin, s64 smax,
		     u32 u32min, u32 u32max, s32 s32min, s32 s32max)
{
	bool ok = s->umin == umin && s->umax == umax && s->smin == smin && s->smax == smax &&
		  s->u32_min == u32min && s->u32_max == u32max &&
		  s->s32_min == s32min && s->s32_max == s32max;

	if (!ok)
		dump_scalar("got", s);
	return ok;
}

static struct xbpf_insn alu(u8 code, s16 off, s32 imm)
{
	return (struct xbpf_insn){ .code = code, .off = off, .imm = imm };
}

static void test_const_folding(void)
{
	u64 bad = 0, n = 0;
	u32 i, r;

	for (i = 0; i < N(alu_cases); i++)
		for (r = 0; r < 300; r++) {
			struct xbpf_insn insn = alu_cases[i].insn;
			struct xbpf_scalar d, s;
			u64 x = rnd_interesting(), y = rnd_interesting(), want;

			if (XBPF_SRC(insn.code) == XBPF_K && !alu_cases[i].fixed_imm) {
				insn.imm = (s32)y;
				y = (u64)(s64)insn.imm;
			}
			xbpf_scalar_set_const(&d, x);
			xbpf_scalar_set_const(&s, y);
			want = interp_alu(&insn, x, y);
			n++;
			if (xbpf_scalar_alu(&d, &s, &insn) || !xbpf_scalar_is_const(&d) ||
			    d.var.value != want || !views_eq(&d, want, want, want, want,
							      want, want, want, want)) {
				if (!bad++)
					xt_diag("%s: %#llx, %#llx -> want const %#llx",
						alu_cases[i].name, (unsigned long long)x,
						(unsigned long long)y, (unsigned long long)want);
			}
		}
	xt_report(!bad, "constant operands fold to the constant, every ALU op (%llu)",
		  (unsigned long long)n);
}

static void test_precision(void)
{
	struct xbpf_scalar r0, r8, c, r, s;
	struct xbpf_insn insn;
	const s32 X = 1000;
	bool ok;

	/*
	 * The seed commit's example: r0 with s32 bounds [S32_MIN, X];
	 * w8 = w0; if w8 <s 0 (fall through); w8 += 1.
	 */
	xbpf_scalar_set_unknown(&r0);
	r0.s32_min = S32_MIN;
	r0.s32_max = X;
	ok = xbpf_scalar_sync(&r0);
	r8 = r0;
	insn = alu(XBPF_ALU | XBPF_MOV | XBPF_X, 0, 0);
	ok = ok && !xbpf_scalar_alu(&r8, &r0, &insn);
	ok = ok && views_eq(&r8, 0, U32_MAX, 0, U32_MAX, 0, U32_MAX, S32_MIN, X);
	xt_report(ok, "seed example: w8 = w0 gives r8 [0, U32_MAX], w8 [S32_MIN, X]");
	xbpf_scalar_set_const(&c, 0);
	ok = xbpf_scalar_refine(&r8, &c, XBPF_JSLT, true, false);
	/* The commit's bounds are r8 within [0, U32_MAX] and w8 [0, X]; the
	 * zero upper half makes the 64-bit bounds [0, X] too. */
	ok = ok && views_eq(&r8, 0, X, 0, X, 0, X, 0, X) &&
	     xbpf_tnum_equal(r8.var, XBPF_TNUM(0, 0x3ff));
	xt_report(ok, "seed example: if w8 <s 0 falls through with w8 [0, X], r8 [0, X]");
	insn = alu(XBPF_ALU | XBPF_ADD | XBPF_K, 0, 1);
	ok = !xbpf_scalar_alu(&r8, &c, &insn) &&
	     views_eq(&r8, 1, X + 1, 1, X + 1, 1, X + 1, 1, X + 1);
	xt_report(ok, "seed example: w8 += 1 gives w8 [1, X+1], r8 [1, X+1]");
	r8 = r0;
	insn = alu(XBPF_ALU | XBPF_MOV | XBPF_X, 0, 0);
	xbpf_scalar_alu(&r8, &r0, &insn);
	ok = xbpf_scalar_refine(&r8, &c, XBPF_JSLT, true, true) &&
	     views_eq(&r8, 0x80000000U, U32_MAX, 0x80000000U, U32_MAX,
		      0x80000000U, U32_MAX, S32_MIN, -1);
	xt_report(ok, "seed example: the taken arm of w8 <s 0 has w8 [S32_MIN, -1]");

	/* Masking. */
	xbpf_scalar_set_unknown(&r);
	insn = alu(XBPF_ALU64 | XBPF_AND | XBPF_K, 0, 0xff);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && views_eq(&r, 0, 255, 0, 255, 0, 255, 0, 255) &&
	     xbpf_tnum_equal(r.var, XBPF_TNUM(0, 0xff));
	xt_report(ok, "unknown & 0xff is [0, 255] in every view");
	xbpf_scalar_set_unknown(&r);
	insn = alu(XBPF_ALU | XBPF_AND | XBPF_K, 0, -1);
	ok = !xbpf_scalar_alu(&r, &c, &insn) &&
	     views_eq(&r, 0, U32_MAX, 0, U32_MAX, 0, U32_MAX, S32_MIN, S32_MAX);
	xt_report(ok, "w & -1 zero-extends: r in [0, U32_MAX]");

	/* Shifts. */
	xbpf_scalar_set_unknown(&r);
	insn = alu(XBPF_ALU64 | XBPF_RSH | XBPF_K, 0, 32);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && r.umax == U32_MAX && r.smin == 0;
	xt_report(ok, "unknown >> 32 is [0, U32_MAX]");
	xbpf_scalar_set_const(&r, 1);
	xbpf_scalar_set_urange(&s, 0, 3);
	insn = alu(XBPF_ALU64 | XBPF_LSH | XBPF_X, 0, 0);
	ok = !xbpf_scalar_alu(&r, &s, &insn) && r.umin == 1 && r.umax == 8 &&
	     xbpf_tnum_equal(r.var, XBPF_TNUM(0, 0xf));
	xt_report(ok, "1 << [0, 3] is [1, 8], tnum 0xf");
	xbpf_scalar_set_srange(&r, -64, 64);
	insn = alu(XBPF_ALU64 | XBPF_ARSH | XBPF_K, 0, 3);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && r.smin == -8 && r.smax == 8;
	xt_report(ok, "[-64, 64] s>> 3 is [-8, 8]");

	/* Arithmetic. */
	xbpf_scalar_set_urange(&r, 10, 20);
	xbpf_scalar_set_urange(&s, 1, 5);
	insn = alu(XBPF_ALU64 | XBPF_SUB | XBPF_X, 0, 0);
	ok = !xbpf_scalar_alu(&r, &s, &insn) && r.umin == 5 && r.umax == 19 &&
	     r.smin == 5 && r.smax == 19;
	xt_report(ok, "[10, 20] - [1, 5] is [5, 19]");
	xbpf_scalar_set_urange(&r, 0, 100);
	insn = alu(XBPF_ALU64 | XBPF_DIV | XBPF_K, 0, 10);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && r.umin == 0 && r.umax == 10;
	xt_report(ok, "[0, 100] / 10 is [0, 10]");
	xbpf_scalar_set_unknown(&r);
	insn = alu(XBPF_ALU64 | XBPF_MOD | XBPF_K, 0, 8);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && r.umin == 0 && r.umax == 7;
	xt_report(ok, "unknown %% 8 is [0, 7]");
	xbpf_scalar_set_urange(&r, 5, 9);
	insn = alu(XBPF_ALU64 | XBPF_MOD | XBPF_K, 0, 0);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && r.umin == 5 && r.umax == 9;
	xt_report(ok, "[5, 9] %% 0 keeps [5, 9] (x %% 0 = x)");
	insn = alu(XBPF_ALU64 | XBPF_DIV | XBPF_K, 0, 0);
	ok = !xbpf_scalar_alu(&r, &c, &insn) && xbpf_scalar_is_const(&r) && !r.var.value;
	xt_report(ok, "x / 0 is the constant 0");
	xbpf_scalar_set_urange(&r, 0x80000000U, U32_MAX);
	insn = alu(XBPF_ALU64 | XBPF_MOV | XBPF_X, 32, 0);
	s = r;
	ok = !xbpf_scalar_alu(&r, &s, &insn) && r.smin == S32_MIN && r.smax == -1;
	xt_report(ok, "movsx32 of [0x80000000, U32_MAX] is [S32_MIN, -1]");

	/* Branches. */
	xbpf_scalar_set_unknown(&r);
	xbpf_scalar_set_const(&c, 10);
	{
		struct xbpf_branch_arms arms;

		ok = !xbpf_scalar_branch(&r, &c, XBPF_JGT, false, &arms) &&
		     arms.taken_ok && arms.fall_ok && arms.taken_dst.umin == 11 &&
		     arms.fall_dst.umax == 10;
		xt_report(ok, "if r > 10: taken umin 11, fall-through umax 10");
		xbpf_scalar_set_urange(&r, 0, U32_MAX);
		ok = !xbpf_scalar_branch(&r, &c, XBPF_JLT, true, &arms) &&
		     arms.taken_dst.umax == 9 && arms.fall_dst.umin == 10 &&
		     arms.fall_dst.umax == U32_MAX;
		xt_report(ok, "jmp32 on a zero-extended value bounds the 64-bit view");
		xbpf_scalar_set_srange(&r, -5, 5);
		xbpf_scalar_set_const(&c, 0);
		ok = !xbpf_scalar_branch(&r, &c, XBPF_JNE, false, &arms) && arms.fall_ok &&
		     xbpf_scalar_is_const(&arms.fall_dst) && !arms.fall_dst.var.value;
		xt_report(ok, "if r != 0 falls through with r == 0 exactly");
		xbpf_scalar_set_urange(&r, 0, 5);
		xbpf_scalar_set_const(&c, 10);
		ok = !xbpf_scalar_branch(&r, &c, XBPF_JEQ, false, &arms) && !arms.taken_ok &&
		     arms.fall_ok;
		s = r;
		ok = ok && !xbpf_scalar_refine(&r, &c, XBPF_JEQ, false, true) &&
		     !memcmp(&r, &s, sizeof(r));
		xt_report(ok, "an infeasible arm is reported, operands left unchanged");
	}
	xbpf_scalar_set_const(&r, 5);
	xbpf_scalar_set_const(&c, 10);
	ok = xbpf_scalar_branch_taken(&r, &c, XBPF_JGT, false) == XBPF_BRANCH_NEVER &&
	     xbpf_scalar_branch_taken(&r, &c, XBPF_JLT, false) == XBPF_BRANCH_ALWAYS &&
	     xbpf_scalar_branch_taken(&r, &c, XBPF_JSET, false) == XBPF_BRANCH_NEVER;
	xbpf_scalar_set_urange(&r, 0, 5);
	ok = ok && xbpf_scalar_branch_taken(&r, &c, XBPF_JNE, false) == XBPF_BRANCH_ALWAYS &&
	     xbpf_scalar_branch_taken(&r, &c, XBPF_JSGE, true) == XBPF_BRANCH_NEVER;
	xbpf_scalar_set_unknown(&r);
	insn = alu(XBPF_ALU64 | XBPF_AND | XBPF_K, 0, 0xf0);
	xbpf_scalar_alu(&r, &c, &insn);
	xbpf_scalar_set_const(&c, 0x0f);
	ok = ok && xbpf_scalar_branch_taken(&r, &c, XBPF_JSET, false) == XBPF_BRANCH_NEVER;
	xbpf_scalar_set_const(&c, 0x10);
	ok = ok && xbpf_scalar_branch_taken(&r, &c, XBPF_JSET, false) == XBPF_BRANCH_UNKNOWN;
	xt_report(ok, "branch_taken decides constant and disjoint comparisons");

	/* A 64-bit compare bounds the subregister; a JMP32 one the 64-bit view. */
	xbpf_scalar_set_unknown(&r);
	xbpf_scalar_set_const(&c, 100);
	ok = xbpf_scalar_refine(&r, &c, XBPF_JLT, false, true) && r.u32_max == 99 &&
	     r.s32_min == 0 && r.s32_max == 99;
	xt_report(ok, "if r < 100 bounds w to [0, 99]");
	xbpf_scalar_set_unknown(&r);
	ok = xbpf_scalar_refine(&r, &c, XBPF_JLT, true, true) && r.u32_max == 99 &&
	     r.umax == 0xffffffff00000063ULL && r.smax == 0x7fffffff00000063LL && xbpf_tnum_equal(xbpf_tnum_subreg(r.var), XBPF_TNUM(0, 0x7f));
	xt_report(ok, "if w < 100 on an unknown r: w [0, 99], 64-bit ends moved to allowed low halves");

	/* Join and within. */
	xbpf_scalar_set_urange(&r, 0, 10);
	xbpf_scalar_set_urange(&s, 20, 30);
	{
		struct xbpf_scalar j;

		xbpf_scalar_join(&j, &r, &s);
		ok = j.umin == 0 && j.umax == 30 && xbpf_scalar_within(&j, &r) &&
		     xbpf_scalar_within(&j, &s) && !xbpf_scalar_within(&r, &j);
		xt_report(ok, "join of [0, 10] and [20, 30] is [0, 30] and holds both");
	}
	xbpf_scalar_set_unknown(&r);
	r.umin = 10;
	r.umax = 5;
	ok = !xbpf_scalar_sync(&r);
	xbpf_scalar_set_unknown(&r);
	r.var = XBPF_TNUM(0x10, 0x0f);
	r.umax = 0x0f;
	ok = ok && !xbpf_scalar_sync(&r);
	xbpf_scalar_set_unknown(&r);
	r.u32_min = 5;
	r.umax = 4;
	ok = ok && !xbpf_scalar_sync(&r);
	xt_report(ok, "sync reports contradicting views as empty");
	insn = alu(XBPF_ALU64 | XBPF_NEG | XBPF_X, 0, 0);
	ok = xbpf_scalar_alu(&r, &c, &insn) == -EINVAL;
	insn = alu(XBPF_ALU64 | XBPF_DIV | XBPF_X, 2, 0);
	ok = ok && xbpf_scalar_alu(&r, &c, &insn) == -EINVAL;
	insn = alu(XBPF_ALU | XBPF_MOV | XBPF_X, 32, 0);
	ok = ok && xbpf_scalar_alu(&r, &c, &insn) == -EINVAL;
	insn = alu(XBPF_ALU64 | XBPF_END | XBPF_TO_BE, 0, 16);
	ok = ok && xbpf_scalar_alu(&r, &c, &insn) == -EINVAL;
	xt_report(ok, "encodings the interpreter refuses are refused");
}

int main(void)
{
	static const struct xbpf_insn alu_p[] = {
		LDDW(0, 0), LDDW(1, 0), MOV64_IMM(0, 0), EXIT(),
	};
	static const struct xbpf_insn jmp_p[] = {
		LDDW(1, 0), LDDW(2, 0), MOV64_IMM(0, 0), JA(1), EXIT(),
		MOV64_IMM(0, 1), EXIT(),
	};

	alu_prog = xt_prog(alu_p, N(alu_p), false);
	jmp_prog = xt_prog(jmp_p, N(jmp_p), false);
	run_stack = calloc(1, XBPF_RUN_STACK_SIZE);
	if (!alu_prog || !jmp_prog || !run_stack) {
		xt_report(false, "setup");
		return xt_finish();
	}

	build_tnums();
	test_tnum_binary();
	test_tnum_shifts();
	test_tnum_misc();
	test_random();
	test_const_folding();
	test_precision();

	xt_prog_free(alu_prog);
	xt_prog_free(jmp_prog);
	free(run_stack);
	return xt_finish();
}

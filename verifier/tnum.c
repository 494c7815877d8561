// SPDX-License-Identifier: GPL-2.0
/*
 * Tristate number arithmetic (see tnum.h for the representation).
 *
 * The carry-propagating add and sub below follow the published formulas
 * for tnums (the unknown bits of a sum are those where the sum of the
 * smallest members and the sum of the largest members differ, plus the
 * operands' own unknown bits).  Multiplication adds partial products, one
 * per bit of the first operand.  test_scalar.c checks every operation
 * exhaustively over small tnums.
 */
#include "tnum.h"

/* Index (1-based) of the highest set bit; 0 for 0. */
static inline unsigned int xbpf_tnum_fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

struct xbpf_tnum xbpf_tnum_range(u64 min, u64 max)
{
	unsigned int bits;
	u64 delta;

	if (min > max)
		return XBPF_TNUM_UNKNOWN;
	/* Every bit below the highest bit where min and max differ is free. */
	bits = xbpf_tnum_fls64(min ^ max);
	if (bits > 63)
		return XBPF_TNUM_UNKNOWN;
	delta = (1ULL << bits) - 1;
	return XBPF_TNUM(min & ~delta, delta);
}

struct xbpf_tnum xbpf_tnum_add(struct xbpf_tnum a, struct xbpf_tnum b)
{
	u64 lo = a.value + b.value;		/* smallest members' sum */
	u64 hi = lo + a.mask + b.mask;		/* largest members' sum */
	u64 mu = (lo ^ hi) | a.mask | b.mask;	/* bits a carry may flip */

	return XBPF_TNUM(lo & ~mu, mu);
}

struct xbpf_tnum xbpf_tnum_sub(struct xbpf_tnum a, struct xbpf_tnum b)
{
	u64 dv = a.value - b.value;
	u64 hi = dv + a.mask;			/* largest a minus smallest b */
	u64 lo = dv - b.mask;			/* smallest a minus largest b */
	u64 mu = (lo ^ hi) | a.mask | b.mask;	/* bits a borrow may flip */

	return XBPF_TNUM(dv & ~mu, mu);
}

struct xbpf_tnum xbpf_tnum_and(struct xbpf_tnum a, struct xbpf_tnum b)
{
	u64 v = a.value & b.value;
	/* A bit may be 1 only where it may be 1 in both. */
	u64 may = (a.value | a.mask) & (b.value | b.mask);

	return XBPF_TNUM(v, may & ~v);
}

struct xbpf_tnum xbpf_tnum_or(struct xbpf_tnum a, struct xbpf_tnum b)
{
	u64 v = a.value | b.value;

	return XBPF_TNUM(v, (a.mask | b.mask) & ~v);
}

struct xbpf_tnum xbpf_tnum_xor(struct xbpf_tnum a, struct xbpf_tnum b)
{
	u64 mu = a.mask | b.mask;

	return XBPF_TNUM((a.value ^ b.value) & ~mu, mu);
}

struct xbpf_tnum xbpf_tnum_neg(struct xbpf_tnum a)
{
	return xbpf_tnum_sub(xbpf_tnum_const(0), a);
}

/*
 * a * b = sum over bits i of a of (a_i * b) << i.  A known-1 bit adds b
 * shifted, an unknown bit adds "0 or b shifted", whose tnum is
 * (0, (b.value | b.mask) << i); tnum_add keeps the sum sound.  The known
 * product of the known parts is not needed separately: it is what the sum
 * of the known partial products already gives.
 */
struct xbpf_tnum xbpf_tnum_mul(struct xbpf_tnum a, struct xbpf_tnum b)
{
	struct xbpf_tnum acc = xbpf_tnum_const(0);
	unsigned int i;

	for (i = 0; i < 64 && (a.value | a.mask) >> i; i++) {
		u64 bit = 1ULL << i;
		struct xbpf_tnum part;

		if (a.value & bit)
			part = xbpf_tnum_lsh(b, i);
		else if (a.mask & bit)
			part = XBPF_TNUM(0, (b.value | b.mask) << i);
		else
			continue;
		acc = xbpf_tnum_add(acc, part);
	}
	return acc;
}

struct xbpf_tnum xbpf_tnum_lsh(struct xbpf_tnum a, u8 shift)
{
	return XBPF_TNUM(a.value << shift, a.mask << shift);
}

struct xbpf_tnum xbpf_tnum_rsh(struct xbpf_tnum a, u8 shift)
{
	return XBPF_TNUM(a.value >> shift, a.mask >> shift);
}

/*
 * An unknown sign bit smears unknown bits into the top; a known one smears
 * itself.  value and mask never both have the sign bit, so value & mask
 * stays 0.
 */
struct xbpf_tnum xbpf_tnum_arsh(struct xbpf_tnum a, u8 shift)
{
	return XBPF_TNUM((u64)((s64)a.value >> shift), (u64)((s64)a.mask >> shift));
}

struct xbpf_tnum xbpf_tnum_bswap(struct xbpf_tnum a, u32 bits)
{
	switch (bits) {
	case 16:
		return XBPF_TNUM(swab16((u16)a.value), swab16((u16)a.mask));
	case 32:
		return XBPF_TNUM(swab32((u32)a.value), swab32((u32)a.mask));
	default:
		return XBPF_TNUM(swab64(a.value), swab64(a.mask));
	}
}

struct xbpf_tnum xbpf_tnum_sext(struct xbpf_tnum a, u32 bits)
{
	u8 sh = 64 - bits;

	return xbpf_tnum_arsh(xbpf_tnum_lsh(a, sh), sh);
}

bool xbpf_tnum_intersect(struct xbpf_tnum a, struct xbpf_tnum b,
			 struct xbpf_tnum *out)
{
	u64 both = ~a.mask & ~b.mask;

	if ((a.value ^ b.value) & both) {
		*out = a;
		return false;
	}
	*out = XBPF_TNUM(a.value | b.value, a.mask & b.mask);
	return true;
}

struct xbpf_tnum xbpf_tnum_union(struct xbpf_tnum a, struct xbpf_tnum b)
{
	/* Known only where known in both and equal. */
	u64 mu = a.mask | b.mask | (a.value ^ b.value);

	return XBPF_TNUM(a.value & ~mu, mu);
}

bool xbpf_tnum_in(struct xbpf_tnum a, struct xbpf_tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	return (b.value & ~a.mask) == a.value;
}

bool xbpf_tnum_is_aligned(struct xbpf_tnum a, u64 size)
{
	if (!size)
		return true;
	return !((a.value | a.mask) & (size - 1));
}

struct xbpf_tnum xbpf_tnum_cast(struct xbpf_tnum a, u8 size)
{
	u64 keep;

	if (size >= 8)
		return a;
	keep = (1ULL << (size * 8)) - 1;
	return XBPF_TNUM(a.value & keep, a.mask & keep);
}

/*
 * The low n bits of add, sub, mul, and, or, xor and lsh depend only on the
 * low n bits of the operands, so the 32-bit forms are the 64-bit ones
 * truncated.
 */
struct xbpf_tnum xbpf_tnum_range32(u32 min, u32 max)
{
	return xbpf_tnum_subreg(xbpf_tnum_range(min, max));
}

struct xbpf_tnum xbpf_tnum_add32(struct xbpf_tnum a, struct xbpf_tnum b)
{
	return xbpf_tnum_subreg(xbpf_tnum_add(a, b));
}

struct xbpf_tnum xbpf_tnum_sub32(struct xbpf_tnum a, struct xbpf_tnum b)
{
	return xbpf_tnum_subreg(xbpf_tnum_sub(a, b));
}

struct xbpf_tnum xbpf_tnum_mul32(struct xbpf_tnum a, struct xbpf_tnum b)
{
	/* The upper halves cannot reach the low 32 bits of a product. */
	return xbpf_tnum_subreg(xbpf_tnum_mul(xbpf_tnum_subreg(a),
					      xbpf_tnum_subreg(b)));
}

struct xbpf_tnum xbpf_tnum_and32(struct xbpf_tnum a, struct xbpf_tnum b)
{
	return xbpf_tnum_subreg(xbpf_tnum_and(a, b));
}

struct xbpf_tnum xbpf_tnum_or32(struct xbpf_tnum a, struct xbpf_tnum b)
{
	return xbpf_tnum_subreg(xbpf_tnum_or(a, b));
}

struct xbpf_tnum xbpf_tnum_xor32(struct xbpf_tnum a, struct xbpf_tnum b)
{
	return xbpf_tnum_subreg(xbpf_tnum_xor(a, b));
}

struct xbpf_tnum xbpf_tnum_neg32(struct xbpf_tnum a)
{
	return xbpf_tnum_subreg(xbpf_tnum_neg(a));
}

struct xbpf_tnum xbpf_tnum_lsh32(struct xbpf_tnum a, u8 shift)
{
	return xbpf_tnum_subreg(xbpf_tnum_lsh(a, shift));
}

/* Right shifts must not pull the upper half in: clear it first. */
struct xbpf_tnum xbpf_tnum_rsh32(struct xbpf_tnum a, u8 shift)
{
	return xbpf_tnum_rsh(xbpf_tnum_subreg(a), shift);
}

struct xbpf_tnum xbpf_tnum_arsh32(struct xbpf_tnum a, u8 shift)
{
	return xbpf_tnum_subreg(xbpf_tnum_arsh(xbpf_tnum_sext(a, 32), shift));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The scalar value domain (see scalar.h): normalisation of the five views,
 * transfer functions for every ALU and ALU32 operation, and branch
 * refinement for JMP and JMP32 conditions.
 *
 * Soundness is the one rule: every step may only drop values that cannot
 * occur.  Interval arithmetic is done on a width-generic pair of views
 * (struct xbpf_iv: 32-bit views sign- or zero-extended into 64-bit types)
 * so each operation is written once for ALU and ALU32.  64-bit results
 * that may wrap are detected with the compiler's overflow builtins; 32-bit
 * ones are computed exactly in 64 bits and then fitted.
 */
#include "scalar.h"

#define XBPF_SIGN64	(1ULL << 63)
#define XBPF_SIGN32	(1U << 31)
#define XBPF_LO32	((u64)U32_MAX)

/* JSET's negation, for the fall-through arm; not an instruction op. */
#define XBPF_SCALAR_JNSET	0x100

/* Unsigned and signed bounds at one width (32-bit ones extended). */
struct xbpf_iv {
	u64	umin, umax;
	s64	smin, smax;
};

static struct xbpf_iv xbpf_iv_full(int bits)
{
	if (bits == 32)
		return (struct xbpf_iv){ 0, U32_MAX, S32_MIN, S32_MAX };
	return (struct xbpf_iv){ 0, U64_MAX, S64_MIN, S64_MAX };
}

static struct xbpf_iv xbpf_iv_of(const struct xbpf_scalar *s, int bits)
{
	if (bits == 32)
		return (struct xbpf_iv){ s->u32_min, s->u32_max, s->s32_min, s->s32_max };
	return (struct xbpf_iv){ s->umin, s->umax, s->smin, s->smax };
}

static void xbpf_iv_put(struct xbpf_scalar *s, struct xbpf_iv v, int bits)
{
	if (bits == 32) {
		s->u32_min = v.umin;
		s->u32_max = v.umax;
		s->s32_min = v.smin;
		s->s32_max = v.smax;
	} else {
		s->umin = v.umin;
		s->umax = v.umax;
		s->smin = v.smin;
		s->smax = v.smax;
	}
}

static struct xbpf_tnum xbpf_tnum_of(const struct xbpf_scalar *s, int bits)
{
	return bits == 32 ? xbpf_tnum_subreg(s->var) : s->var;
}

static void xbpf_tnum_put(struct xbpf_scalar *s, struct xbpf_tnum t, int bits)
{
	s->var = bits == 32 ? xbpf_tnum_with_subreg(s->var, t) : t;
}

static void xbpf_scalar_unknown64(struct xbpf_scalar *s)
{
	xbpf_iv_put(s, xbpf_iv_full(64), 64);
}

static void xbpf_scalar_unknown32(struct xbpf_scalar *s)
{
	xbpf_iv_put(s, xbpf_iv_full(32), 32);
}

void xbpf_scalar_set_unknown(struct xbpf_scalar *s)
{
	s->var = XBPF_TNUM_UNKNOWN;
	xbpf_scalar_unknown64(s);
	xbpf_scalar_unknown32(s);
}

void xbpf_scalar_set_const(struct xbpf_scalar *s, u64 v)
{
	s->var = xbpf_tnum_const(v);
	s->umin = s->umax = v;
	s->smin = s->smax = (s64)v;
	s->u32_min = s->u32_max = (u32)v;
	s->s32_min = s->s32_max = (s32)v;
}

bool xbpf_scalar_set_urange(struct xbpf_scalar *s, u64 min, u64 max)
{
	xbpf_scalar_set_unknown(s);
	if (min > max)
		return false;
	s->umin = min;
	s->umax = max;
	return xbpf_scalar_sync(s);
}

bool xbpf_scalar_set_srange(struct xbpf_scalar *s, s64 min, s64 max)
{
	xbpf_scalar_set_unknown(s);
	if (min > max)
		return false;
	s->smin = min;
	s->smax = max;
	return xbpf_scalar_sync(s);
}

bool xbpf_scalar_is_const(const struct xbpf_scalar *s)
{
	return xbpf_tnum_is_const(s->var);
}

bool xbpf_scalar_is_const32(const struct xbpf_scalar *s)
{
	return xbpf_tnum_subreg_is_const(s->var);
}

bool xbpf_scalar_is_unknown(const struct xbpf_scalar *s)
{
	return xbpf_tnum_is_unknown(s->var) && !s->umin && s->umax == U64_MAX &&
	       s->smin == S64_MIN && s->smax == S64_MAX && !s->u32_min &&
	       s->u32_max == U32_MAX && s->s32_min == S32_MIN && s->s32_max == S32_MAX;
}

bool xbpf_scalar_contains(const struct xbpf_scalar *s, u64 x)
{
	return xbpf_tnum_contains(s->var, x) &&
	       x >= s->umin && x <= s->umax &&
	       (s64)x >= s->smin && (s64)x <= s->smax &&
	       (u32)x >= s->u32_min && (u32)x <= s->u32_max &&
	       (s32)x >= s->s32_min && (s32)x <= s->s32_max;
}

bool xbpf_scalar_within(const struct xbpf_scalar *a, const struct xbpf_scalar *b)
{
	return b->umin >= a->umin && b->umax <= a->umax &&
	       b->smin >= a->smin && b->smax <= a->smax &&
	       b->u32_min >= a->u32_min && b->u32_max <= a->u32_max &&
	       b->s32_min >= a->s32_min && b->s32_max <= a->s32_max &&
	       xbpf_tnum_in(a->var, b->var);
}

/* Joins view by view; sound for unsynced inputs too (each view is). */
static void xbpf_scalar_join_raw(struct xbpf_scalar *d, const struct xbpf_scalar *a,
				 const struct xbpf_scalar *b)
{
	d->var = xbpf_tnum_union(a->var, b->var);
	d->umin = min(a->umin, b->umin);
	d->umax = max(a->umax, b->umax);
	d->smin = min(a->smin, b->smin);
	d->smax = max(a->smax, b->smax);
	d->u32_min = min(a->u32_min, b->u32_min);
	d->u32_max = max(a->u32_max, b->u32_max);
	d->s32_min = min(a->s32_min, b->s32_min);
	d->s32_max = max(a->s32_max, b->s32_max);
}

void xbpf_scalar_join(struct xbpf_scalar *dst, const struct xbpf_scalar *a,
		      const struct xbpf_scalar *b)
{
	struct xbpf_scalar r;

	xbpf_scalar_join_raw(&r, a, b);
	/* A join of non-empty sets is non-empty: sync cannot fail here. */
	xbpf_scalar_sync(&r);
	*dst = r;
}

/* ---------------------------------------------------------------------
 * Normalisation
 */

static bool xbpf_scalar_empty(const struct xbpf_scalar *s)
{
	return s->umin > s->umax || s->smin > s->smax ||
	       s->u32_min > s->u32_max || s->s32_min > s->s32_max;
}

/*
 * Moves [*lo, *hi] (u64 order) inward to the nearest values whose low 32
 * bits lie in [lmin, lmax].  False when no such value remains.
 */
static bool xbpf_tighten_by_low(u64 *lo, u64 *hi, u32 lmin, u32 lmax)
{
	u64 l = *lo, h = *hi;

	if ((u32)l < lmin) {
		l = (l & ~XBPF_LO32) | lmin;
	} else if ((u32)l > lmax) {
		if ((l >> 32) == U32_MAX)
			return false;
		l = ((l & ~XBPF_LO32) + (1ULL << 32)) | lmin;
	}
	if ((u32)h > lmax) {
		h = (h & ~XBPF_LO32) | lmax;
	} else if ((u32)h < lmin) {
		if (!(h >> 32))
			return false;
		h = ((h & ~XBPF_LO32) - (1ULL << 32)) | lmax;
	}
	*lo = l;
	*hi = h;
	return l <= h;
}

static bool xbpf_scalar_sync_once(struct xbpf_scalar *s)
{
	struct xbpf_tnum t, sub;
	u32 v32, m32;
	u64 lo, hi;

	if (xbpf_scalar_empty(s))
		return false;

	/* The tnum bounds every view: its extremes are known. */
	s->umin = max(s->umin, s->var.value);
	s->umax = min(s->umax, s->var.value | s->var.mask);
	s->smin = max(s->smin, (s64)(s->var.value | (s->var.mask & XBPF_SIGN64)));
	s->smax = min(s->smax, (s64)(s->var.value | (s->var.mask & ~XBPF_SIGN64)));
	v32 = (u32)s->var.value;
	m32 = (u32)s->var.mask;
	s->u32_min = max(s->u32_min, v32);
	s->u32_max = min(s->u32_max, v32 | m32);
	s->s32_min = max(s->s32_min, (s32)(v32 | (m32 & XBPF_SIGN32)));
	s->s32_max = min(s->s32_max, (s32)(v32 | (m32 & ~XBPF_SIGN32)));
	if (xbpf_scalar_empty(s))
		return false;

	/* A range inside one sign half reads the same signed and unsigned. */
	if ((s64)s->umin <= (s64)s->umax) {
		s->smin = max(s->smin, (s64)s->umin);
		s->smax = min(s->smax, (s64)s->umax);
	}
	if ((u64)s->smin <= (u64)s->smax) {
		s->umin = max(s->umin, (u64)s->smin);
		s->umax = min(s->umax, (u64)s->smax);
	}
	if ((s32)s->u32_min <= (s32)s->u32_max) {
		s->s32_min = max(s->s32_min, (s32)s->u32_min);
		s->s32_max = min(s->s32_max, (s32)s->u32_max);
	}
	if ((u32)s->s32_min <= (u32)s->s32_max) {
		s->u32_min = max(s->u32_min, (u32)s->s32_min);
		s->u32_max = min(s->u32_max, (u32)s->s32_max);
	}
	if (xbpf_scalar_empty(s))
		return false;

	/*
	 * 64 -> 32: a 64-bit range within one 2^32 block gives the low half's
	 * range; one spanning two adjacent blocks gives a signed 32-bit range
	 * when it runs from a negative low half across zero.
	 */
	if ((s->umin >> 32) == (s->umax >> 32)) {
		s->u32_min = max(s->u32_min, (u32)s->umin);
		s->u32_max = min(s->u32_max, (u32)s->umax);
	} else if ((s->umin >> 32) + 1 == (s->umax >> 32) &&
		   (s32)s->umin < 0 && (s32)s->umax >= 0) {
		s->s32_min = max(s->s32_min, (s32)s->umin);
		s->s32_max = min(s->s32_max, (s32)s->umax);
	}
	if ((s->smin >> 32) == (s->smax >> 32)) {
		s->u32_min = max(s->u32_min, (u32)s->smin);
		s->u32_max = min(s->u32_max, (u32)s->smax);
	} else if ((s->smin >> 32) + 1 == (s->smax >> 32) &&
		   (s32)s->smin < 0 && (s32)s->smax >= 0) {
		s->s32_min = max(s->s32_min, (s32)s->smin);
		s->s32_max = min(s->s32_max, (s32)s->smax);
	}
	if (xbpf_scalar_empty(s))
		return false;

	/*
	 * 32 -> 64: the 64-bit ends move to the nearest values whose low half
	 * the u32 range allows.  Signed ends are moved in the order-preserving
	 * biased encoding (sign bit flipped), which keeps the low half.
	 */
	if (!xbpf_tighten_by_low(&s->umin, &s->umax, s->u32_min, s->u32_max))
		return false;
	lo = (u64)s->smin ^ XBPF_SIGN64;
	hi = (u64)s->smax ^ XBPF_SIGN64;
	if (!xbpf_tighten_by_low(&lo, &hi, s->u32_min, s->u32_max))
		return false;
	s->smin = (s64)(lo ^ XBPF_SIGN64);
	s->smax = (s64)(hi ^ XBPF_SIGN64);
	/* The same with an s32 range that stays in one sign half. */
	if ((u32)s->s32_min <= (u32)s->s32_max) {
		if (!xbpf_tighten_by_low(&s->umin, &s->umax, (u32)s->s32_min,
					 (u32)s->s32_max))
			return false;
	}

	/* Bounds -> tnum. */
	if (!xbpf_tnum_intersect(s->var, xbpf_tnum_range(s->umin, s->umax), &t))
		return false;
	if ((u64)s->smin <= (u64)s->smax &&
	    !xbpf_tnum_intersect(t, xbpf_tnum_range(s->smin, s->smax), &t))
		return false;
	if (!xbpf_tnum_intersect(xbpf_tnum_subreg(t),
				 xbpf_tnum_range32(s->u32_min, s->u32_max), &sub))
		return false;
	if ((u32)s->s32_min <= (u32)s->s32_max &&
	    !xbpf_tnum_intersect(sub, xbpf_tnum_range32(s->s32_min, s->s32_max), &sub))
		return false;
	s->var = xbpf_tnum_with_subreg(t, sub);
	return !xbpf_scalar_empty(s);
}

bool xbpf_scalar_sync(struct xbpf_scalar *s)
{
	struct xbpf_scalar prev;
	int i;

	/* Each round only narrows, so a handful reaches (or nears) the fixpoint. */
	for (i = 0; i < 8; i++) {
		prev = *s;
		if (!xbpf_scalar_sync_once(s))
			return false;
		if (!memcmp(&prev, s, sizeof(prev)))
			break;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Interval arithmetic, width-generic
 */

/* Exact 32-bit-view results computed in 64 bits, fitted back if no wrap. */
static void xbpf_fit_u32(struct xbpf_iv *r, s64 lo, s64 hi)
{
	if ((lo >> 32) == (hi >> 32)) {
		r->umin = (u32)lo;
		r->umax = (u32)hi;
	}
}

static void xbpf_fit_s32(struct xbpf_iv *r, s64 lo, s64 hi)
{
	if (((lo + XBPF_SIGN32) >> 32) == ((hi + XBPF_SIGN32) >> 32)) {
		r->smin = (s32)lo;
		r->smax = (s32)hi;
	}
}

static struct xbpf_iv xbpf_iv_add(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);
	bool o1, o2;
	u64 ulo, uhi;
	s64 slo, shi;

	if (bits == 32) {
		xbpf_fit_u32(&r, a.umin + b.umin, a.umax + b.umax);
		xbpf_fit_s32(&r, a.smin + b.smin, a.smax + b.smax);
		return r;
	}
	/* Both ends wrapping once keeps the range contiguous. */
	o1 = __builtin_add_overflow(a.umin, b.umin, &ulo);
	o2 = __builtin_add_overflow(a.umax, b.umax, &uhi);
	if (o1 == o2) {
		r.umin = ulo;
		r.umax = uhi;
	}
	o1 = __builtin_add_overflow(a.smin, b.smin, &slo);
	o2 = __builtin_add_overflow(a.smax, b.smax, &shi);
	if ((!o1 && !o2) || (o1 && o2 && (a.smin < 0) == (a.smax < 0))) {
		r.smin = slo;
		r.smax = shi;
	}
	return r;
}

static struct xbpf_iv xbpf_iv_sub(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);
	bool o1, o2;
	u64 ulo, uhi;
	s64 slo, shi;

	if (bits == 32) {
		xbpf_fit_u32(&r, (s64)a.umin - (s64)b.umax, (s64)a.umax - (s64)b.umin);
		xbpf_fit_s32(&r, a.smin - b.smax, a.smax - b.smin);
		return r;
	}
	o1 = __builtin_sub_overflow(a.umin, b.umax, &ulo);
	o2 = __builtin_sub_overflow(a.umax, b.umin, &uhi);
	if (o1 == o2) {
		r.umin = ulo;
		r.umax = uhi;
	}
	/* A signed sub overflows in the direction of the minuend's sign. */
	o1 = __builtin_sub_overflow(a.smin, b.smax, &slo);
	o2 = __builtin_sub_overflow(a.smax, b.smin, &shi);
	if ((!o1 && !o2) || (o1 && o2 && (a.smin < 0) == (a.smax < 0))) {
		r.smin = slo;
		r.smax = shi;
	}
	return r;
}

static struct xbpf_iv xbpf_iv_mul(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);
	s64 p[4], lo, hi;
	bool ovf = false;
	u64 u;
	int i;

	if (!__builtin_mul_overflow(a.umax, b.umax, &u) && u <= r.umax) {
		r.umin = a.umin * b.umin;
		r.umax = u;
	}
	ovf |= __builtin_mul_overflow(a.smin, b.smin, &p[0]);
	ovf |= __builtin_mul_overflow(a.smin, b.smax, &p[1]);
	ovf |= __builtin_mul_overflow(a.smax, b.smin, &p[2]);
	ovf |= __builtin_mul_overflow(a.smax, b.smax, &p[3]);
	if (ovf)
		return r;
	lo = hi = p[0];
	for (i = 1; i < 4; i++) {
		lo = min(lo, p[i]);
		hi = max(hi, p[i]);
	}
	if (bits == 32) {
		xbpf_fit_s32(&r, lo, hi);
	} else {
		r.smin = lo;
		r.smax = hi;
	}
	return r;
}

static struct xbpf_iv xbpf_iv_and(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);

	/* x & y never exceeds either operand, unsigned. */
	r.umax = min(a.umax, b.umax);
	if (a.smin >= 0 && b.smin >= 0) {
		r.smin = 0;
		r.smax = min(a.smax, b.smax);
	} else if (a.smin >= 0) {
		r.smin = 0;
		r.smax = a.smax;
	} else if (b.smin >= 0) {
		r.smin = 0;
		r.smax = b.smax;
	} else if (a.smax < 0 && b.smax < 0) {
		/* Both negative: the sign bit stays, so unsigned order holds. */
		r.smax = min(a.smax, b.smax);
	}
	return r;
}

static struct xbpf_iv xbpf_iv_or(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);

	/* x | y is never below either operand, unsigned. */
	r.umin = max(a.umin, b.umin);
	if (a.smin >= 0 && b.smin >= 0) {
		r.smin = max(a.smin, b.smin);
	} else if (a.smax < 0 && b.smax < 0) {
		r.smin = max(a.smin, b.smin);
		r.smax = -1;
	} else if (a.smax < 0) {
		r.smin = a.smin;
		r.smax = -1;
	} else if (b.smax < 0) {
		r.smin = b.smin;
		r.smax = -1;
	}
	return r;
}

static struct xbpf_iv xbpf_iv_xor(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);

	/* Equal sign bits cancel. */
	if ((a.smin >= 0 && b.smin >= 0) || (a.smax < 0 && b.smax < 0))
		r.smin = 0;
	return r;
}

static struct xbpf_iv xbpf_iv_lsh(struct xbpf_iv a, u8 k, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);
	s64 smin_w = r.smin, smax_w = r.smax;

	if (!k)
		return a;
	if (a.umax <= (r.umax >> k)) {
		r.umin = a.umin << k;
		r.umax = a.umax << k;
	}
	/* No signed overflow at either end: the shift is a monotone multiply. */
	if (a.smin >= (smin_w >> k) && a.smax <= (smax_w >> k)) {
		r.smin = (s64)((u64)a.smin << k);
		r.smax = (s64)((u64)a.smax << k);
	}
	return r;
}

static struct xbpf_iv xbpf_iv_rsh(struct xbpf_iv a, u8 k, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);

	if (!k)
		return a;
	r.umin = a.umin >> k;
	r.umax = a.umax >> k;
	/* Shifting in a zero makes every result non-negative. */
	r.smin = r.umin;
	r.smax = r.umax;
	return r;
}

static struct xbpf_iv xbpf_iv_arsh(struct xbpf_iv a, u8 k, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);

	r.smin = a.smin >> k;
	r.smax = a.smax >> k;
	return r;
}

static struct xbpf_iv xbpf_iv_udiv(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);

	/* x / 0 = 0, and otherwise x / y <= x / max(ymin, 1). */
	if (!b.umax)
		return (struct xbpf_iv){ 0, 0, 0, 0 };
	r.umax = a.umax / max_t(u64, b.umin, 1);
	r.umin = b.umin ? a.umin / b.umax : 0;
	return r;
}

/* Returns true when the result is always dst itself. */
static bool xbpf_iv_umod(struct xbpf_iv a, struct xbpf_iv b, int bits,
			 struct xbpf_iv *r)
{
	*r = xbpf_iv_full(bits);
	/* x % 0 = x, and x % y = x whenever x < y. */
	if (!b.umax || a.umax < max_t(u64, b.umin, 1))
		return true;
	r->umax = b.umin ? min(a.umax, b.umax - 1) : a.umax;
	return false;
}

static struct xbpf_iv xbpf_iv_neg(struct xbpf_iv a, int bits)
{
	struct xbpf_iv zero = { 0, 0, 0, 0 };

	return xbpf_iv_sub(zero, a, bits);
}

static u64 xbpf_abs_s64(s64 v)
{
	return v < 0 ? -(u64)v : (u64)v;
}

static struct xbpf_iv xbpf_iv_sdiv(struct xbpf_iv a, struct xbpf_iv b, int bits)
{
	struct xbpf_iv r = xbpf_iv_full(bits);
	s64 smin_w = r.smin;
	s64 c, m;

	if (b.smin == b.smax) {
		c = b.smin;
		if (!c)
			return (struct xbpf_iv){ 0, 0, 0, 0 };
		if (c == -1)	/* wraps for the minimum, as the negation does */
			return xbpf_iv_neg(a, bits);
		if (c > 0) {
			r.smin = a.smin / c;
			r.smax = a.smax / c;
		} else {
			r.smin = a.smax / c;
			r.smax = a.smin / c;
		}
		return r;
	}
	if (a.smin >= 0 && b.smin >= 0) {
		r.smin = 0;
		r.smax = a.smax;
		return r;
	}
	/* |x / y| <= |x| for y != 0 (y = -1 included when x != minimum); 0 for y = 0. */
	if (a.smin > smin_w) {
		m = max(xbpf_abs_s64(a.smin), xbpf_abs_s64(a.smax));
		r.smin = -m;
		r.smax = m;
	}
	return r;
}

static bool xbpf_iv_smod(struct xbpf_iv a, struct xbpf_iv b, int bits,
			 struct xbpf_iv *r)
{
	s64 smin_w;
	u64 bmax;

	*r = xbpf_iv_full(bits);
	smin_w = r->smin;
	if (!b.smin && !b.smax)
		return true;
	/* The remainder takes the dividend's sign and |r| <= |x|; y = 0 gives x. */
	r->smin = min_t(s64, a.smin, 0);
	r->smax = max_t(s64, a.smax, 0);
	/* y never 0: |r| < |y|. */
	if ((b.smin > 0 || b.smax < 0) && b.smin > smin_w) {
		bmax = max(xbpf_abs_s64(b.smin), xbpf_abs_s64(b.smax));
		r->smin = max_t(s64, r->smin, -(s64)(bmax - 1));
		r->smax = min_t(s64, r->smax, (s64)(bmax - 1));
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Transfer functions
 */

static bool xbpf_host_le(void)
{
	return cpu_to_le16(1) == 1;
}

/* Concrete semantics, for constant folding; matches xbpf_interp_run. */
static u64 xbpf_scalar_eval(const struct xbpf_insn *insn, u64 d, u64 s)
{
	bool alu32 = XBPF_CLASS(insn->code) == XBPF_ALU;
	u8 op = XBPF_OP(insn->code);
	u32 d32 = d, s32v = s;

	if (alu32) {
		switch (op) {
		case XBPF_ADD: return (u32)(d32 + s32v);
		case XBPF_SUB: return (u32)(d32 - s32v);
		case XBPF_MUL: return (u32)(d32 * s32v);
		case XBPF_OR: return d32 | s32v;
		case XBPF_AND: return d32 & s32v;
		case XBPF_XOR: return d32 ^ s32v;
		case XBPF_LSH: return (u32)(d32 << (s32v & 31));
		case XBPF_RSH: return d32 >> (s32v & 31);
		case XBPF_ARSH: return (u32)((s32)d32 >> (s32v & 31));
		case XBPF_NEG: return (u32)(0 - d32);
		case XBPF_DIV:
			if (insn->off)
				return !s32v ? 0 : (s32)s32v == -1 ? (u32)(0 - d32) :
				       (u32)((s32)d32 / (s32)s32v);
			return s32v ? d32 / s32v : 0;
		case XBPF_MOD:
			if (insn->off)
				return !s32v ? d32 : (s32)s32v == -1 ? 0 :
				       (u32)((s32)d32 % (s32)s32v);
			return s32v ? d32 % s32v : d32;
		}
		return 0;
	}
	switch (op) {
	case XBPF_ADD: return d + s;
	case XBPF_SUB: return d - s;
	case XBPF_MUL: return d * s;
	case XBPF_OR: return d | s;
	case XBPF_AND: return d & s;
	case XBPF_XOR: return d ^ s;
	case XBPF_LSH: return d << (s & 63);
	case XBPF_RSH: return d >> (s & 63);
	case XBPF_ARSH: return (u64)((s64)d >> (s & 63));
	case XBPF_NEG: return 0 - d;
	case XBPF_DIV:
		if (insn->off)
			return !s ? 0 : (s64)s == -1 ? 0 - d : (u64)((s64)d / (s64)s);
		return s ? d / s : 0;
	case XBPF_MOD:
		if (insn->off)
			return !s ? d : (s64)s == -1 ? 0 : (u64)((s64)d % (s64)s);
		return s ? d % s : d;
	}
	return 0;
}

/* ALU32 results: 32-bit views are set; the upper half becomes zero. */
static bool xbpf_scalar_zext(struct xbpf_scalar *r)
{
	xbpf_scalar_unknown64(r);
	if (!xbpf_scalar_sync(r))
		return false;
	r->var = xbpf_tnum_subreg(r->var);
	r->umin = r->u32_min;
	r->umax = r->u32_max;
	r->smin = r->u32_min;
	r->smax = r->u32_max;
	return xbpf_scalar_sync(r);
}

/* Is k a possible shift amount (masked to bits - 1) of b? */
static bool xbpf_shift_possible(const struct xbpf_scalar *b, u8 k, int bits)
{
	struct xbpf_iv v = xbpf_iv_of(b, bits);
	u64 m = bits - 1;

	if (!xbpf_tnum_contains(XBPF_TNUM(b->var.value & m, b->var.mask & m), k))
		return false;
	/* A range below the width is the amount itself. */
	if (v.umax <= m && (k < v.umin || k > v.umax))
		return false;
	return true;
}

/* One shift by the constant k at width bits; r's other width is unknown. */
static void xbpf_shift_const(struct xbpf_scalar *r, const struct xbpf_scalar *a,
			     u8 op, u8 k, int bits)
{
	struct xbpf_tnum t = xbpf_tnum_of(a, bits);
	struct xbpf_iv v = xbpf_iv_of(a, bits);

	xbpf_scalar_set_unknown(r);
	switch (op) {
	case XBPF_LSH:
		t = bits == 32 ? xbpf_tnum_lsh32(t, k) : xbpf_tnum_lsh(t, k);
		v = xbpf_iv_lsh(v, k, bits);
		break;
	case XBPF_RSH:
		t = bits == 32 ? xbpf_tnum_rsh32(t, k) : xbpf_tnum_rsh(t, k);
		v = xbpf_iv_rsh(v, k, bits);
		break;
	default:
		t = bits == 32 ? xbpf_tnum_arsh32(t, k) : xbpf_tnum_arsh(t, k);
		v = xbpf_iv_arsh(v, k, bits);
		break;
	}
	xbpf_tnum_put(r, t, bits);
	xbpf_iv_put(r, v, bits);
}

/* The join of the shift over every amount b allows. */
static void xbpf_shift(struct xbpf_scalar *r, const struct xbpf_scalar *a,
		       const struct xbpf_scalar *b, u8 op, int bits)
{
	struct xbpf_scalar one;
	bool any = false;
	int k;

	for (k = 0; k < bits; k++) {
		if (!xbpf_shift_possible(b, k, bits))
			continue;
		xbpf_shift_const(&one, a, op, k, bits);
		if (any)
			xbpf_scalar_join_raw(r, r, &one);
		else
			*r = one;
		any = true;
	}
	if (!any)
		xbpf_scalar_set_unknown(r);
}

/* Sign extension of the low w bits to 64: 64-bit views and tnum of r. */
static void xbpf_scalar_sext(struct xbpf_scalar *r, const struct xbpf_scalar *a, int w)
{
	s64 half = 1LL << (w - 1);

	xbpf_scalar_set_unknown(r);
	r->var = xbpf_tnum_sext(a->var, w);
	if (w == 32 || (a->s32_min >= -half && a->s32_max < half)) {
		/* The low w bits already read as the s32 value. */
		r->smin = a->s32_min;
		r->smax = a->s32_max;
	} else if (a->u32_max < (u32)(2 * half)) {
		if (a->u32_max < half) {
			r->smin = a->u32_min;
			r->smax = a->u32_max;
		} else if (a->u32_min >= half) {
			r->smin = (s64)a->u32_min - 2 * half;
			r->smax = (s64)a->u32_max - 2 * half;
		} else {
			r->smin = -half;
			r->smax = half - 1;
		}
	} else {
		r->smin = -half;
		r->smax = half - 1;
	}
}

static bool xbpf_alu_valid(const struct xbpf_insn *insn)
{
	bool alu32 = XBPF_CLASS(insn->code) == XBPF_ALU;
	bool k = XBPF_SRC(insn->code) == XBPF_K;

	if (XBPF_CLASS(insn->code) != XBPF_ALU && XBPF_CLASS(insn->code) != XBPF_ALU64)
		return false;
	switch (XBPF_OP(insn->code)) {
	case XBPF_ADD: case XBPF_SUB: case XBPF_MUL: case XBPF_OR:
	case XBPF_AND: case XBPF_XOR: case XBPF_LSH: case XBPF_RSH:
	case XBPF_ARSH:
		return true;
	case XBPF_DIV: case XBPF_MOD:
		return insn->off == 0 || insn->off == 1;
	case XBPF_NEG:
		return k;
	case XBPF_MOV:
		if (k)
			return true;
		return insn->off == 0 || insn->off == 8 || insn->off == 16 ||
		       (!alu32 && insn->off == 32);
	case XBPF_END:
		if (!alu32 && !k)	/* ALU64 END is bswap, TO_LE only */
			return false;
		return insn->imm == 16 || insn->imm == 32 || insn->imm == 64;
	}
	return false;
}

/* END and bswap: swap and/or truncate at the width imm. */
static void xbpf_scalar_end(struct xbpf_scalar *r, const struct xbpf_scalar *a,
			    const struct xbpf_insn *insn)
{
	bool alu32 = XBPF_CLASS(insn->code) == XBPF_ALU;
	bool to_be = XBPF_SRC(insn->code) == XBPF_TO_BE;
	int w = insn->imm;
	bool swap = !alu32 || (to_be == xbpf_host_le());

	if (!swap) {
		/* Truncation only. */
		if (w == 64) {
			*r = *a;
			return;
		}
		*r = *a;
		if (w == 16) {
			r->var = xbpf_tnum_cast(a->var, 2);
			xbpf_scalar_unknown32(r);
			if (a->u32_max <= U16_MAX) {
				r->u32_min = a->u32_min;
				r->u32_max = a->u32_max;
			}
		}
		xbpf_scalar_zext(r);
		return;
	}
	xbpf_scalar_set_unknown(r);
	r->var = xbpf_tnum_bswap(a->var, w);
	xbpf_scalar_sync(r);
}

int xbpf_scalar_alu(struct xbpf_scalar *dst, const struct xbpf_scalar *src,
		    const struct xbpf_insn *insn)
{
	bool alu32 = XBPF_CLASS(insn->code) == XBPF_ALU;
	int bits = alu32 ? 32 : 64;
	u8 op = XBPF_OP(insn->code);
	const struct xbpf_scalar *a = dst, *b = src;
	struct xbpf_scalar kc, r, tmp;
	struct xbpf_iv va, vb, v;
	struct xbpf_tnum ta, tb, t;

	if (!xbpf_alu_valid(insn))
		return -EINVAL;
	if (XBPF_SRC(insn->code) == XBPF_K || op == XBPF_NEG || op == XBPF_END) {
		xbpf_scalar_set_const(&kc, (u64)(s64)insn->imm);
		b = &kc;
	}

	switch (op) {
	case XBPF_MOV:
		if (XBPF_SRC(insn->code) == XBPF_K) {
			xbpf_scalar_set_const(dst, alu32 ? (u32)insn->imm : (u64)b->umin);
			return 0;
		}
		if (!insn->off) {
			r = *b;
			if (alu32)
				xbpf_scalar_zext(&r);
		} else {
			xbpf_scalar_sext(&r, b, insn->off);
			xbpf_scalar_sync(&r);
			if (alu32) {
				tmp = r;
				xbpf_scalar_set_unknown(&r);
				r.var = xbpf_tnum_subreg(tmp.var);
				r.s32_min = tmp.smin;
				r.s32_max = tmp.smax;
				xbpf_scalar_zext(&r);
			}
		}
		*dst = r;
		return 0;
	case XBPF_END:
		xbpf_scalar_end(&r, a, insn);
		*dst = r;
		return 0;
	}

	/* Constant folding: exact whenever both operands are known. */
	if (alu32 ? xbpf_scalar_is_const32(a) && xbpf_scalar_is_const32(b) :
		    xbpf_scalar_is_const(a) && xbpf_scalar_is_const(b)) {
		xbpf_scalar_set_const(dst, xbpf_scalar_eval(insn, a->var.value,
							     b->var.value));
		return 0;
	}

	va = xbpf_iv_of(a, bits);
	vb = xbpf_iv_of(b, bits);
	ta = xbpf_tnum_of(a, bits);
	tb = xbpf_tnum_of(b, bits);
	xbpf_scalar_set_unknown(&r);

	switch (op) {
	case XBPF_ADD:
	case XBPF_SUB:
	case XBPF_MUL:
	case XBPF_AND:
	case XBPF_OR:
	case XBPF_XOR:
	case XBPF_NEG:
		switch (op) {
		case XBPF_ADD:
			t = xbpf_tnum_add(ta, tb);
			break;
		case XBPF_SUB:
			t = xbpf_tnum_sub(ta, tb);
			break;
		case XBPF_MUL:
			t = xbpf_tnum_mul(ta, tb);
			break;
		case XBPF_AND:
			t = xbpf_tnum_and(ta, tb);
			break;
		case XBPF_OR:
			t = xbpf_tnum_or(ta, tb);
			break;
		case XBPF_XOR:
			t = xbpf_tnum_xor(ta, tb);
			break;
		default:
			t = xbpf_tnum_neg(ta);
			break;
		}
		r.var = bits == 32 ? xbpf_tnum_subreg(t) : t;
		/*
		 * The low 32 bits of these depend only on the operands' low 32
		 * bits, so even the 64-bit form gets 32-bit views this way.
		 */
		for (bits = alu32 ? 32 : 64; bits >= 32; bits -= 32) {
			va = xbpf_iv_of(a, bits);
			vb = xbpf_iv_of(b, bits);
			switch (op) {
			case XBPF_ADD:
				v = xbpf_iv_add(va, vb, bits);
				break;
			case XBPF_SUB:
				v = xbpf_iv_sub(va, vb, bits);
				break;
			case XBPF_MUL:
				v = xbpf_iv_mul(va, vb, bits);
				break;
			case XBPF_AND:
				v = xbpf_iv_and(va, vb, bits);
				break;
			case XBPF_OR:
				v = xbpf_iv_or(va, vb, bits);
				break;
			case XBPF_XOR:
				v = xbpf_iv_xor(va, vb, bits);
				break;
			default:
				v = xbpf_iv_neg(va, bits);
				break;
			}
			xbpf_iv_put(&r, v, bits);
		}
		bits = alu32 ? 32 : 64;
		break;
	case XBPF_LSH:
	case XBPF_RSH:
	case XBPF_ARSH:
		xbpf_shift(&r, a, b, op, bits);
		break;
	case XBPF_DIV:
		v = insn->off ? xbpf_iv_sdiv(va, vb, bits) : xbpf_iv_udiv(va, vb, bits);
		xbpf_iv_put(&r, v, bits);
		break;
	case XBPF_MOD:
		if (insn->off ? xbpf_iv_smod(va, vb, bits, &v) :
				xbpf_iv_umod(va, vb, bits, &v)) {
			/* Always dst itself (x % 0, or x below every divisor). */
			r = *a;
		} else {
			xbpf_iv_put(&r, v, bits);
		}
		break;
	}

	if (alu32) {
		xbpf_scalar_zext(&r);
	} else {
		xbpf_scalar_sync(&r);
	}
	*dst = r;
	return 0;
}

/* ---------------------------------------------------------------------
 * Branches
 */

static int xbpf_cond_negate(int op)
{
	switch (op) {
	case XBPF_JEQ: return XBPF_JNE;
	case XBPF_JNE: return XBPF_JEQ;
	case XBPF_JGT: return XBPF_JLE;
	case XBPF_JLE: return XBPF_JGT;
	case XBPF_JGE: return XBPF_JLT;
	case XBPF_JLT: return XBPF_JGE;
	case XBPF_JSGT: return XBPF_JSLE;
	case XBPF_JSLE: return XBPF_JSGT;
	case XBPF_JSGE: return XBPF_JSLT;
	case XBPF_JSLT: return XBPF_JSGE;
	case XBPF_JSET: return XBPF_SCALAR_JNSET;
	}
	return -1;
}

/* x != c for every x in a: shave c off the ends of a's ranges. */
static bool xbpf_refine_ne_const(struct xbpf_iv *a, struct xbpf_tnum ta,
				 const struct xbpf_iv *c, struct xbpf_tnum tc)
{
	if (xbpf_tnum_is_const(ta) && xbpf_tnum_is_const(tc) && ta.value == tc.value)
		return false;
	if (c->umin != c->umax)
		return true;
	if (a->umin == a->umax && a->umin == c->umin)
		return false;
	if (a->smin == a->smax && a->smin == c->smin)
		return false;
	if (a->umin == c->umin)
		a->umin++;
	else if (a->umax == c->umin)
		a->umax--;
	if (a->smin == c->smin)
		a->smin++;
	else if (a->smax == c->smin)
		a->smax--;
	return true;
}

/* a > b unsigned (strict) or a >= b; tightens both. */
static bool xbpf_refine_ugt(struct xbpf_iv *a, struct xbpf_iv *b, bool strict, u64 umax_w)
{
	if (strict) {
		if (b->umin == umax_w || !a->umax)
			return false;
		a->umin = max(a->umin, b->umin + 1);
		b->umax = min(b->umax, a->umax - 1);
	} else {
		a->umin = max(a->umin, b->umin);
		b->umax = min(b->umax, a->umax);
	}
	return a->umin <= a->umax && b->umin <= b->umax;
}

static bool xbpf_refine_sgt(struct xbpf_iv *a, struct xbpf_iv *b, bool strict,
			    s64 smin_w, s64 smax_w)
{
	if (strict) {
		if (b->smin == smax_w || a->smax == smin_w)
			return false;
		a->smin = max(a->smin, b->smin + 1);
		b->smax = min(b->smax, a->smax - 1);
	} else {
		a->smin = max(a->smin, b->smin);
		b->smax = min(b->smax, a->smax);
	}
	return a->smin <= a->smax && b->smin <= b->smax;
}

/* x & y != 0: neither is zero, and a lone known bit of one is set in the other. */
static bool xbpf_refine_jset(struct xbpf_iv *a, struct xbpf_tnum *ta,
			     struct xbpf_iv *b, struct xbpf_tnum *tb)
{
	struct xbpf_tnum both = xbpf_tnum_and(*ta, *tb);

	if (xbpf_tnum_equals_const(both, 0))
		return false;
	if (!a->umax || !b->umax)
		return false;
	a->umin = max_t(u64, a->umin, 1);
	b->umin = max_t(u64, b->umin, 1);
	if (xbpf_tnum_is_const(*tb) && !(tb->value & (tb->value - 1)) &&
	    !xbpf_tnum_intersect(*ta, XBPF_TNUM(tb->value, ~tb->value), ta))
		return false;
	if (xbpf_tnum_is_const(*ta) && !(ta->value & (ta->value - 1)) &&
	    !xbpf_tnum_intersect(*tb, XBPF_TNUM(ta->value, ~ta->value), tb))
		return false;
	return true;
}

/* x & y == 0: a bit known set in one is clear in the other. */
static bool xbpf_refine_jnset(struct xbpf_tnum *ta, struct xbpf_tnum *tb)
{
	u64 va = ta->value, vb = tb->value;

	if (va & vb)
		return false;
	ta->mask &= ~vb;
	tb->mask &= ~va;
	return true;
}

/* Refines copies a and b of the operands; the caller syncs them. */
static bool xbpf_refine_views(struct xbpf_scalar *a, struct xbpf_scalar *b,
			      int op, bool jmp32)
{
	int bits = jmp32 ? 32 : 64;
	struct xbpf_iv va = xbpf_iv_of(a, bits), vb = xbpf_iv_of(b, bits);
	struct xbpf_iv full = xbpf_iv_full(bits);
	struct xbpf_tnum ta = xbpf_tnum_of(a, bits), tb = xbpf_tnum_of(b, bits);
	bool ok;

	switch (op) {
	case XBPF_JEQ:
		va.umin = max(va.umin, vb.umin);
		va.umax = min(va.umax, vb.umax);
		va.smin = max(va.smin, vb.smin);
		va.smax = min(va.smax, vb.smax);
		vb = va;
		ok = xbpf_tnum_intersect(ta, tb, &ta);
		tb = ta;
		ok = ok && va.umin <= va.umax && va.smin <= va.smax;
		break;
	case XBPF_JNE:
		ok = xbpf_refine_ne_const(&va, ta, &vb, tb) &&
		     xbpf_refine_ne_const(&vb, tb, &va, ta);
		break;
	case XBPF_JGT:
	case XBPF_JGE:
		ok = xbpf_refine_ugt(&va, &vb, op == XBPF_JGT, full.umax);
		break;
	case XBPF_JLT:
	case XBPF_JLE:
		ok = xbpf_refine_ugt(&vb, &va, op == XBPF_JLT, full.umax);
		break;
	case XBPF_JSGT:
	case XBPF_JSGE:
		ok = xbpf_refine_sgt(&va, &vb, op == XBPF_JSGT, full.smin, full.smax);
		break;
	case XBPF_JSLT:
	case XBPF_JSLE:
		ok = xbpf_refine_sgt(&vb, &va, op == XBPF_JSLT, full.smin, full.smax);
		break;
	case XBPF_JSET:
		ok = xbpf_refine_jset(&va, &ta, &vb, &tb);
		break;
	case XBPF_SCALAR_JNSET:
		ok = xbpf_refine_jnset(&ta, &tb);
		break;
	default:
		return false;
	}
	if (!ok)
		return false;
	xbpf_iv_put(a, va, bits);
	xbpf_iv_put(b, vb, bits);
	xbpf_tnum_put(a, ta, bits);
	xbpf_tnum_put(b, tb, bits);
	return xbpf_scalar_sync(a) && xbpf_scalar_sync(b);
}

static bool xbpf_cond_valid(u8 op)
{
	return xbpf_cond_negate(op) >= 0;
}

bool xbpf_scalar_refine(struct xbpf_scalar *dst, struct xbpf_scalar *src,
			u8 op, bool jmp32, bool taken)
{
	struct xbpf_scalar a = *dst, b = *src;
	int cond = op;

	if (!xbpf_cond_valid(op))
		return false;
	if (!taken)
		cond = xbpf_cond_negate(op);
	if (!xbpf_refine_views(&a, &b, cond, jmp32))
		return false;
	*dst = a;
	*src = b;
	return true;
}

int xbpf_scalar_branch(const struct xbpf_scalar *dst, const struct xbpf_scalar *src,
		       u8 op, bool jmp32, struct xbpf_branch_arms *arms)
{
	if (!xbpf_cond_valid(op))
		return -EINVAL;
	arms->taken_dst = arms->fall_dst = *dst;
	arms->taken_src = arms->fall_src = *src;
	arms->taken_ok = xbpf_scalar_refine(&arms->taken_dst, &arms->taken_src,
					    op, jmp32, true);
	arms->fall_ok = xbpf_scalar_refine(&arms->fall_dst, &arms->fall_src,
					   op, jmp32, false);
	return 0;
}

enum xbpf_branch xbpf_scalar_branch_taken(const struct xbpf_scalar *dst,
					  const struct xbpf_scalar *src,
					  u8 op, bool jmp32)
{
	struct xbpf_branch_arms arms;

	if (xbpf_scalar_branch(dst, src, op, jmp32, &arms))
		return XBPF_BRANCH_UNKNOWN;
	/* Both infeasible: the operands were empty; let the caller see it. */
	if (arms.taken_ok == arms.fall_ok)
		return XBPF_BRANCH_UNKNOWN;
	return arms.taken_ok ? XBPF_BRANCH_ALWAYS : XBPF_BRANCH_NEVER;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tristate numbers: a 64-bit value where each bit is known 0, known 1 or
 * unknown.  A bit set in mask is unknown; value holds the known bits and is
 * always 0 where mask is 1 (value & mask == 0).  A tnum stands for the set
 * of every u64 x with (x & ~mask) == value.
 *
 * Every operation is sound: for any members x of a and y of b, op(x, y) is
 * a member of the abstract op(a, b).  The "32" variants work on the lower
 * 32 bits (the subregister) and return a tnum whose upper 32 bits are known
 * zero; they treat their inputs' upper halves as irrelevant.
 */
#ifndef _XBPF_VERIFIER_TNUM_H
#define _XBPF_VERIFIER_TNUM_H

#include "../core/xbpf_port.h"

struct xbpf_tnum {
	u64	value;
	u64	mask;
};

#define XBPF_TNUM(v, m)		((struct xbpf_tnum){ .value = (v), .mask = (m) })
#define XBPF_TNUM_UNKNOWN	XBPF_TNUM(0, U64_MAX)

static inline struct xbpf_tnum xbpf_tnum_const(u64 v)
{
	return XBPF_TNUM(v, 0);
}

static inline struct xbpf_tnum xbpf_tnum_unknown(void)
{
	return XBPF_TNUM_UNKNOWN;
}

static inline bool xbpf_tnum_is_const(struct xbpf_tnum a)
{
	return !a.mask;
}

static inline bool xbpf_tnum_is_unknown(struct xbpf_tnum a)
{
	return a.mask == U64_MAX;
}

static inline bool xbpf_tnum_equals_const(struct xbpf_tnum a, u64 v)
{
	return !a.mask && a.value == v;
}

/* Both fields equal: the same set. */
static inline bool xbpf_tnum_equal(struct xbpf_tnum a, struct xbpf_tnum b)
{
	return a.value == b.value && a.mask == b.mask;
}

/* Is x one of the values a stands for? */
static inline bool xbpf_tnum_contains(struct xbpf_tnum a, u64 x)
{
	return (x & ~a.mask) == a.value;
}

/* Smallest and largest member, unsigned. */
static inline u64 xbpf_tnum_umin(struct xbpf_tnum a)
{
	return a.value;
}

static inline u64 xbpf_tnum_umax(struct xbpf_tnum a)
{
	return a.value | a.mask;
}

/* The smallest tnum holding every x in [min, max]; unknown if min > max. */
struct xbpf_tnum xbpf_tnum_range(u64 min, u64 max);

struct xbpf_tnum xbpf_tnum_add(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_sub(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_mul(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_and(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_or(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_xor(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_neg(struct xbpf_tnum a);
/* Shifts by a known amount; shift must be below 64. */
struct xbpf_tnum xbpf_tnum_lsh(struct xbpf_tnum a, u8 shift);
struct xbpf_tnum xbpf_tnum_rsh(struct xbpf_tnum a, u8 shift);
struct xbpf_tnum xbpf_tnum_arsh(struct xbpf_tnum a, u8 shift);
/* Byte swaps of the low 16, 32 or 64 bits (result zero-extended). */
struct xbpf_tnum xbpf_tnum_bswap(struct xbpf_tnum a, u32 bits);
/* Sign extension from the low 'bits' bits (8, 16, 32) to 64. */
struct xbpf_tnum xbpf_tnum_sext(struct xbpf_tnum a, u32 bits);

/*
 * Meet: the values both a and b allow.  Returns false (and sets *out to a)
 * when a known bit disagrees, i.e. the intersection is empty.
 */
bool xbpf_tnum_intersect(struct xbpf_tnum a, struct xbpf_tnum b,
			 struct xbpf_tnum *out);
/* Join: the smallest tnum holding every member of a and of b. */
struct xbpf_tnum xbpf_tnum_union(struct xbpf_tnum a, struct xbpf_tnum b);
/* Is every member of b a member of a (b within a)? */
bool xbpf_tnum_in(struct xbpf_tnum a, struct xbpf_tnum b);

/* Are the low bits that 'size' (a power of two) covers known zero? */
bool xbpf_tnum_is_aligned(struct xbpf_tnum a, u64 size);

/* Keeps the low 'size' bytes (1, 2, 4, 8); upper bits become known zero. */
struct xbpf_tnum xbpf_tnum_cast(struct xbpf_tnum a, u8 size);

/* The lower 32 bits, zero-extended. */
static inline struct xbpf_tnum xbpf_tnum_subreg(struct xbpf_tnum a)
{
	return XBPF_TNUM((u32)a.value, (u32)a.mask);
}

/* The upper 32 bits kept, the lower 32 known zero. */
static inline struct xbpf_tnum xbpf_tnum_clear_subreg(struct xbpf_tnum a)
{
	return XBPF_TNUM(a.value & ~(u64)U32_MAX, a.mask & ~(u64)U32_MAX);
}

/* a's upper 32 bits with sub's lower 32 bits. */
static inline struct xbpf_tnum xbpf_tnum_with_subreg(struct xbpf_tnum a,
						     struct xbpf_tnum sub)
{
	struct xbpf_tnum hi = xbpf_tnum_clear_subreg(a);

	return XBPF_TNUM(hi.value | (u32)sub.value, hi.mask | (u32)sub.mask);
}

/* a's upper 32 bits with the constant v in the lower 32. */
static inline struct xbpf_tnum xbpf_tnum_const_subreg(struct xbpf_tnum a, u32 v)
{
	return xbpf_tnum_with_subreg(a, xbpf_tnum_const(v));
}

static inline bool xbpf_tnum_subreg_is_const(struct xbpf_tnum a)
{
	return !(u32)a.mask;
}

/* 32-bit (subregister) variants: inputs' upper halves are ignored. */
struct xbpf_tnum xbpf_tnum_range32(u32 min, u32 max);
struct xbpf_tnum xbpf_tnum_add32(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_sub32(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_mul32(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_and32(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_or32(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_xor32(struct xbpf_tnum a, struct xbpf_tnum b);
struct xbpf_tnum xbpf_tnum_neg32(struct xbpf_tnum a);
/* shift below 32 */
struct xbpf_tnum xbpf_tnum_lsh32(struct xbpf_tnum a, u8 shift);
struct xbpf_tnum xbpf_tnum_rsh32(struct xbpf_tnum a, u8 shift);
struct xbpf_tnum xbpf_tnum_arsh32(struct xbpf_tnum a, u8 shift);

#endif /* _XBPF_VERIFIER_TNUM_H */

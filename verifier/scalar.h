/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scalar value domain: what the verifier knows about a register that
 * holds a number.  Five views describe one set of u64 values, the values
 * x that satisfy all of them at once:
 *
 *   var                 x is a member of the tnum
 *   umin..umax          as u64
 *   smin..smax          as s64
 *   u32_min..u32_max    (u32)x
 *   s32_min..s32_max    (s32)x
 *
 * Every function that returns a scalar leaves it normalised: each view is
 * tightened by the others (xbpf_scalar_sync), so any of them may be read
 * on its own.  Transfer functions are sound with Linux's run-time semantics
 * (those of xbpf_interp_run): x / 0 = 0, x % 0 = x, S64_MIN / -1 = S64_MIN,
 * shift amounts masked to the width, 32-bit results zero-extended.
 *
 * This is a library for the abstract interpreter; it knows nothing of
 * registers, pointers or the log.
 */
#ifndef _XBPF_VERIFIER_SCALAR_H
#define _XBPF_VERIFIER_SCALAR_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"
#include "tnum.h"

struct xbpf_scalar {
	struct xbpf_tnum	var;
	s64			smin, smax;
	u64			umin, umax;
	s32			s32_min, s32_max;
	u32			u32_min, u32_max;
};

/* Any u64. */
void xbpf_scalar_set_unknown(struct xbpf_scalar *s);
void xbpf_scalar_set_const(struct xbpf_scalar *s, u64 v);
/* Every x in [min, max] (unsigned); false (s unknown) if min > max. */
bool xbpf_scalar_set_urange(struct xbpf_scalar *s, u64 min, u64 max);
bool xbpf_scalar_set_srange(struct xbpf_scalar *s, s64 min, s64 max);

bool xbpf_scalar_is_const(const struct xbpf_scalar *s);
/* The lower 32 bits are known (whatever the upper half). */
bool xbpf_scalar_is_const32(const struct xbpf_scalar *s);
bool xbpf_scalar_is_unknown(const struct xbpf_scalar *s);
/* Is x in every view of s? */
bool xbpf_scalar_contains(const struct xbpf_scalar *s, u64 x);
/* Is every value of b also a value of a (for state pruning)? */
bool xbpf_scalar_within(const struct xbpf_scalar *a, const struct xbpf_scalar *b);
/* The smallest scalar holding every value of a and b (state merging). */
void xbpf_scalar_join(struct xbpf_scalar *dst, const struct xbpf_scalar *a,
		      const struct xbpf_scalar *b);

/*
 * Tightens every view from the others until nothing changes.  Returns
 * false when the views contradict each other: the set is empty (an
 * infeasible path).  s is then left in an unspecified but printable state
 * and must be discarded.
 */
bool xbpf_scalar_sync(struct xbpf_scalar *s);

/*
 * Applies the ALU or ALU64 instruction insn (any op, K or X form; off and
 * imm as in the instruction: sdiv/smod, movsx width, END width) to dst,
 * with src as the X operand (ignored for K forms, NEG, END and MOV K).
 * Returns 0, or -EINVAL for an encoding the interpreter would not run
 * (dst is then unchanged).
 */
int xbpf_scalar_alu(struct xbpf_scalar *dst, const struct xbpf_scalar *src,
		    const struct xbpf_insn *insn);

/*
 * Conditional jumps.  op is XBPF_JEQ ... XBPF_JSLE or XBPF_JSET; jmp32
 * compares the lower 32 bits (XBPF_JMP32).  For K forms the caller passes
 * the constant (u64)(s64)imm as src.
 */
enum xbpf_branch {
	XBPF_BRANCH_NEVER	= 0,	/* the jump is never taken */
	XBPF_BRANCH_ALWAYS	= 1,	/* always taken */
	XBPF_BRANCH_UNKNOWN	= -1,
};

/* Both arms of a conditional jump, refined. */
struct xbpf_branch_arms {
	bool			taken_ok;	/* the taken arm is feasible */
	bool			fall_ok;	/* the fall-through arm is feasible */
	struct xbpf_scalar	taken_dst, taken_src;
	struct xbpf_scalar	fall_dst, fall_src;
};

/*
 * Refines dst and src under "the condition holds" (taken) or "it does not"
 * (!taken).  Returns false when that outcome is impossible; dst and src
 * are then left unchanged.
 */
bool xbpf_scalar_refine(struct xbpf_scalar *dst, struct xbpf_scalar *src,
			u8 op, bool jmp32, bool taken);
/* Both arms at once.  Returns -EINVAL for an op that is not a condition. */
int xbpf_scalar_branch(const struct xbpf_scalar *dst, const struct xbpf_scalar *src,
		       u8 op, bool jmp32, struct xbpf_branch_arms *arms);
/* Dead-branch detection; never wrong (UNKNOWN when in doubt). */
enum xbpf_branch xbpf_scalar_branch_taken(const struct xbpf_scalar *dst,
					  const struct xbpf_scalar *src,
					  u8 op, bool jmp32);

#endif /* _XBPF_VERIFIER_SCALAR_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk's log, in the shape of Linux 6.1's do_check log (levels 1
 * and 2 alike, unless said otherwise):
 *
 *   0: R1=ctx(off=0,imm=0) R10=fp0                 entry: the whole state
 *   0: (b7) r0 = 5                        ; R0=5   each insn, then the
 *                                                  registers and stack
 *                                                  slots it touched
 *   from 1 to 3: R0=... R10=fp0                    level 2: a popped branch
 *   3: R0=... R10=fp0                              its whole state
 *
 * At level 1 (and stats-only logs) a popped branch first drops the log of
 * the branch explored before it, so the log ends with the path that
 * failed; level 2 keeps everything.  A rejection's message follows the
 * failing instruction's line.
 *
 * Linux's liveness marks (R0_w, fp-8_r, the _D suffix) are left out:
 * xbpf has no liveness yet.
 */
#ifndef _XBPF_VERIFIER_LOG_STATE_H
#define _XBPF_VERIFIER_LOG_STATE_H

#include "env.h"
#include "state.h"

struct xbpf_check;

/* What the walk's log remembers between instructions. */
struct xbpf_log_walk {
	u64	prev_pos;	/* log end after the last insn line; 0: none yet */
	u32	prev_len;	/* that line's length, its newline included */
	u32	regs;		/* registers touched since the last state print, by bit */
	u64	slots;		/* stack slots touched, by spi (bit 0: fp-8) */
	u32	from_idx;	/* with from: the insn the new path comes from */
	bool	from;		/* a new path starts: level 2 says where from */
};

/* Every register and stack slot, for xbpf_log_frame(). */
#define XBPF_LOG_ALL_REGS	U32_MAX
#define XBPF_LOG_ALL_SLOTS	U64_MAX

/*
 * Prints frame frameno of st as Linux's print_verifier_state does: the
 * initialised registers in regs, the written stack slots in slots, the
 * state's references, then a newline.
 */
void xbpf_log_frame(struct xbpf_verifier_env *env, const struct xbpf_state *st,
		    u32 frameno, u32 regs, u64 slots);

/* The walk's hooks (check.c); no-ops without a log. */
/* Before the first insn: the entry state is printed whole. */
void xbpf_log_walk_start(struct xbpf_check *c);
/* Before checking insn c->idx: pending state lines, then the insn line. */
void xbpf_log_walk_insn(struct xbpf_check *c);
/* After insn c->idx was checked; ended: the path ended there (EXIT). */
void xbpf_log_walk_done(struct xbpf_check *c, bool ended);
/* After c->cur was popped from the pending states. */
void xbpf_log_walk_pop(struct xbpf_check *c);

#endif /* _XBPF_VERIFIER_LOG_STATE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State pruning for the abstract interpreter's walk (prune.c) and the
 * static register liveness it relies on (liveness.c).  Private to check.c.
 *
 * At a prune point (XBPF_AUX_PRUNE_POINT: jump targets, loop heads, the
 * instruction after a conditional jump) the current state is compared
 * with the states recorded there earlier.  If one of them *includes* it
 * (every concrete machine state the current one stands for is also one
 * the recorded one stands for, on every register live at that point and
 * every stack byte) and every path below the recorded one was walked to
 * its end, the current path is safe and ends.
 */
#ifndef _XBPF_VERIFIER_PRUNE_H
#define _XBPF_VERIFIER_PRUNE_H

#include "check.h"

/* One bit per register (bit 10: the frame pointer, always live). */
#define XBPF_LIVE_REG(r)	((u16)(1u << (r)))
#define XBPF_LIVE_ALL		((u16)((1u << XBPF_REG_COUNT) - 1))

/*
 * liveness.c: for each instruction, the registers that some path from it
 * may read before writing them (live on entry).  Static and
 * conservative: an instruction it does not know reads every register.
 * A call (helper, kfunc or bpf-to-bpf) reads R1-R5 and writes R0-R5;
 * the callee's body is not followed: frames are compared with their own
 * function's liveness.  Returns a kvzalloc'd array of env->len, or NULL
 * (-ENOMEM).
 */
u16 *xbpf_liveness(struct xbpf_verifier_env *env);

/* Recorded states, shared by prune.c and precision.c. */

/* What follows the stack array in struct xbpf_frame (callsite, ...). */
#define XBPF_FRAME_TAIL_OFF \
	(offsetof(struct xbpf_frame, stack) + sizeof(((struct xbpf_frame *)0)->stack))
#define XBPF_FRAME_TAIL_SIZE	(sizeof(struct xbpf_frame) - XBPF_FRAME_TAIL_OFF)

/* A recorded frame: registers, the tail fields, and slots first..63 only. */
struct xbpf_pframe {
	struct xbpf_reg		regs[XBPF_REG_COUNT];
	u8			tail[XBPF_FRAME_TAIL_SIZE];
	u32			first;
	struct xbpf_slot	slots[];	/* slots[i - first] is stack[i] */
};

struct xbpf_explored {
	struct xbpf_explored	*next;		/* same insn, newest first; or free list */
	struct xbpf_explored	*eparent;	/* recorded state this path came from */
	u32			branches;	/* paths below still being walked */
	u32			insn_idx;
	u32			curframe;
	u32			nr_refs;
	bool			speculative;	/* sanitize.c's masked-offset path */
	/* precision.c: every scalar is marked precise here and above */
	bool			all_precise;
	/* precision.c: the path from eparent's insn (first_idx) to this one */
	struct xbpf_hist	*hist;
	u32			nr_hist;
	u32			first_idx;
	u32			hit_cnt, miss_cnt;
	size_t			bytes;
	struct xbpf_pframe	*frames[XBPF_MAX_CALL_FRAMES];
};

/* prune.c; every function returns 0 or -errno unless said otherwise. */
int xbpf_prune_init(struct xbpf_check *c);
/* Frees every recorded state; safe after a failed init. */
void xbpf_prune_free(struct xbpf_check *c);
/*
 * At a prune point c->idx: 1 if c->cur is included in a fully explored
 * recorded state (the path ends), 0 to go on (c->cur may have been
 * recorded), -EINVAL for an infinite loop, -ENOMEM.
 */
int xbpf_prune_visit(struct xbpf_check *c);
/* st, a copy of c->cur about to be pushed, is one more path to explore. */
void xbpf_prune_branch(struct xbpf_check *c, struct xbpf_state *st);
/* c->cur's path ended (exit, dead branch or pruned). */
void xbpf_prune_path_end(struct xbpf_check *c);

/*
 * precision.c, for prune.c: after c->cur was found included in old, the
 * scalars old relied on exactly must be precise on c->cur's path too
 * (their values decided something in old's subtree, and so would
 * decide it for c->cur).  live[fr]: the registers compared in frame fr.
 */
int xbpf_precision_propagate(struct xbpf_check *c, const struct xbpf_explored *old,
			     const u16 *live);
/* A state about to be recorded starts with no precise marks (see precision.c). */
void xbpf_precision_clear(struct xbpf_state *st);
/*
 * The path's history has grown past what may be copied at every branch
 * and no state could be recorded to start a new one: every scalar above
 * is made precise (nothing needs backtracking there any more) and the
 * history restarts at the current instruction.
 */
void xbpf_precision_flatten(struct xbpf_check *c);

#endif /* _XBPF_VERIFIER_PRUNE_H */

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

#endif /* _XBPF_VERIFIER_PRUNE_H */

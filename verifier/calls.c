// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-to-bpf calls (docs/verifier-design.md, calls.c): frames in the walk,
 * and, after the walk, the stack limits along every chain of calls.
 *
 * In the walk a call pushes a frame for the callee: R1-R5 are the
 * caller's (whatever they hold, NOT_INIT included: without BTF a static
 * function's arguments are not typed), R10 points at the new frame, the
 * rest is NOT_INIT.  The callee's EXIT pops it: the caller gets R0 as the
 * callee left it, R1-R5 become unreadable, R6-R9 and the caller's stack
 * stay.  cfg.c refused recursion, so the walk cannot loop through calls,
 * and at most XBPF_MAX_CALL_FRAMES frames exist.
 *
 * Invariant: no PTR_TO_STACK of a frame outlives it.  A callee cannot
 * return one (R0) nor spill one into a caller's frame (mem.c), and its
 * registers and stack go with it; so every stack pointer's frameno names
 * a live frame (0..curframe).
 */
#include "check.h"

/* Linux's threshold: callers of a tail-calling function use at most this. */
#define XBPF_TAIL_CALL_STACK_LIMIT	256

int xbpf_check_pseudo_call(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	struct xbpf_state *st = c->cur;
	struct xbpf_frame *caller = xbpf_cur_frame(st), *callee;
	u32 target = (u32)xbpf_insn_target(insn, c->idx);
	u32 i;

	if (st->curframe + 1 >= XBPF_MAX_CALL_FRAMES)
		return xbpf_reject(c, -E2BIG, "the call stack of %u frames is too deep\n",
				   st->curframe + 2);
	/* cfg.c made every call target the start of a subprogram. */
	if (WARN_ON_ONCE(target >= c->env->len ||
			 !(c->env->aux[target].flags & XBPF_AUX_SUBPROG_START) ||
			 st->frames[st->curframe + 1]))
		return xbpf_reject(c, -EFAULT, "verifier bug: bad call state\n");

	callee = xbpf_kzalloc(sizeof(*callee));
	if (!callee)
		return -ENOMEM;
	/* Zeroed memory already means INVALID stack bytes. */
	for (i = 0; i < XBPF_REG_COUNT; i++)
		xbpf_reg_mark_not_init(&callee->regs[i]);
	for (i = 1; i <= 5; i++)
		callee->regs[i] = caller->regs[i];
	callee->callsite = c->idx;
	callee->subprog = c->env->aux[target].subprog;
	st->frames[++st->curframe] = callee;
	xbpf_reg_mark_ptr(&callee->regs[XBPF_REG_FP], XBPF_PTR_TO_STACK, 0);
	callee->regs[XBPF_REG_FP].frameno = st->curframe;
	st->insn_idx = target;
	if (xbpf_log_level2(c->env))
		xbpf_verbose(c->env, "caller frame %u calls subprog %u at insn %u\n",
			     st->curframe - 1, callee->subprog, target);
	return 0;
}

/*
 * Pops st's current frame as a return does: the caller gets R0 as the
 * callee left it, R1-R5 become unreadable, R6-R9 and the caller's stack
 * stay, and st resumes after the call.
 */
static void xbpf_frame_pop(struct xbpf_state *st)
{
	struct xbpf_frame *callee = xbpf_cur_frame(st);
	struct xbpf_frame *caller = st->frames[st->curframe - 1];
	u32 i;

	/* NOT_INIT stays NOT_INIT: a void function's caller may not read R0. */
	caller->regs[0] = callee->regs[0];
	for (i = 1; i <= 5; i++)
		xbpf_reg_mark_not_init(&caller->regs[i]);
	st->insn_idx = callee->callsite + 1;
	st->frames[st->curframe--] = NULL;
	xbpf_kfree(callee);
}

int xbpf_check_subprog_exit(struct xbpf_check *c)
{
	struct xbpf_state *st = c->cur;

	if (WARN_ON_ONCE(!st->curframe))
		return -EFAULT;
	/*
	 * A pointer into the callee's frame would dangle; Linux refuses any
	 * stack pointer here, a caller's too, and so does xbpf.
	 */
	if (xbpf_cur_regs(st)[0].type == XBPF_PTR_TO_STACK)
		return xbpf_reject(c, -EINVAL, "cannot return stack pointer to the caller\n");
	xbpf_frame_pop(st);
	if (xbpf_log_level2(c->env))
		xbpf_verbose(c->env, "returning from callee to frame %u at insn %u\n",
			     st->curframe, st->insn_idx);
	return 0;
}

/*
 * A failing LD_ABS/LD_IND or a tail call that succeeds leaves the current
 * subprogram at once; the caller goes on with R0 = *r0 (cfg.c allowed
 * this only where BTF promises a scalar return).  That return is one
 * more path: pushed like a branch, so pruning counts it below the states
 * recorded on the way here, and walked from the caller exactly as a
 * normal return (xbpf_frame_pop).  r0 must be a scalar: it cannot leak a
 * stack pointer.  The caller already refused held references, which
 * survive frames and would be checked only at the main program's exit.
 */
int xbpf_push_abnormal_return(struct xbpf_check *c, const struct xbpf_reg *r0)
{
	struct xbpf_state *st = NULL;
	int err;

	if (WARN_ON_ONCE(!c->cur->curframe || r0->type != XBPF_SCALAR || c->cur->nr_refs))
		return xbpf_reject(c, -EFAULT, "verifier bug: bad abnormal return\n");
	err = xbpf_check_push(c, &st);
	if (err)
		return err;
	xbpf_cur_regs(st)[0] = *r0;
	xbpf_frame_pop(st);
	if (xbpf_log_level2(c->env))
		xbpf_verbose(c->env, "abnormal return from callee to frame %u at insn %u pushed\n",
			     st->curframe, st->insn_idx);
	return 0;
}

/* ---- after the walk: stack limits along the call graph ------------ */

/*
 * What the deepest chains starting at one subprogram need, computed once
 * per subprogram over the call graph (a DAG: cfg.c refused recursion), so
 * the cost stays linear however many chains there are.
 */
struct xbpf_chain_info {
	u32	frame_bytes;	/* stack_depth counted as Linux does: 32-byte units, >= 32 */
	u32	down;		/* largest sum of frame_bytes over chains from here */
	u32	frames;		/* most frames on a chain from here, this one included */
	/* Largest sum of frame_bytes of the frames above a tail-calling
	 * subprogram on chains from here (this one included), or -1. */
	s32	tail_above;
	bool	reaches_tail;	/* some callee chain reaches a tail-calling subprogram */
};

struct xbpf_call_graph {
	u32			cnt;
	/* calls[s * cnt + t]: subprogram s calls t somewhere */
	u8			*calls;
	u32			order[XBPF_MAX_SUBPROGS];	/* callers before callees */
	u32			indeg[XBPF_MAX_SUBPROGS];	/* Kahn's scratch */
	struct xbpf_chain_info	info[XBPF_MAX_SUBPROGS];
};

/* Linux counts each frame as a multiple of 32 bytes, at least 32. */
static u32 xbpf_frame_bytes(u32 stack_depth)
{
	return stack_depth ? (stack_depth + 31) / 32 * 32 : 32;
}

static int xbpf_call_graph_build(struct xbpf_verifier_env *env, struct xbpf_call_graph *g)
{
	u32 *indeg = g->indeg;
	u32 i, s, t, head = 0, tail = 0;

	g->cnt = env->subprog_cnt;
	g->calls = xbpf_kvzalloc((size_t)g->cnt * g->cnt);
	if (!g->calls)
		return -ENOMEM;
	for (i = 0; i < env->len; i++) {
		if ((env->aux[i].flags & XBPF_AUX_LDDW_HI) ||
		    !xbpf_insn_is_pseudo_call(&env->insns[i]))
			continue;
		s = env->aux[i].subprog;
		t = env->aux[(u32)xbpf_insn_target(&env->insns[i], i)].subprog;
		if (!g->calls[s * g->cnt + t]) {
			g->calls[s * g->cnt + t] = 1;
			indeg[t]++;
		}
	}
	/* Kahn's order from the callers down; reversed when used. */
	for (s = 0; s < g->cnt; s++)
		if (!indeg[s])
			g->order[tail++] = s;
	while (head < tail) {
		s = g->order[head++];
		for (t = 0; t < g->cnt; t++)
			if (g->calls[s * g->cnt + t] && !--indeg[t])
				g->order[tail++] = t;
	}
	/* A cycle would leave nodes out: cfg.c must have refused it. */
	if (WARN_ON_ONCE(tail != g->cnt))
		return -EFAULT;
	return 0;
}

static void xbpf_call_graph_summarise(struct xbpf_verifier_env *env, struct xbpf_call_graph *g)
{
	struct xbpf_chain_info *in, *ct;
	u32 k, s, t;
	s32 above;

	for (k = g->cnt; k-- > 0;) {
		s = g->order[k];
		in = &g->info[s];
		in->frame_bytes = xbpf_frame_bytes(env->subprogs[s].stack_depth);
		in->down = 0;
		in->frames = 0;
		in->tail_above = env->subprogs[s].has_tail_call ? 0 : -1;
		in->reaches_tail = false;
		for (t = 0; t < g->cnt; t++) {
			if (!g->calls[s * g->cnt + t])
				continue;
			/* t comes later in Kahn's order: already summarised. */
			ct = &g->info[t];
			in->down = max(in->down, ct->down);
			in->frames = max(in->frames, ct->frames);
			if (ct->tail_above >= 0) {
				above = ct->tail_above + (s32)in->frame_bytes;
				in->tail_above = max(in->tail_above, above);
			}
			if (env->subprogs[t].has_tail_call || ct->reaches_tail)
				in->reaches_tail = true;
		}
		in->down += in->frame_bytes;
		in->frames++;
	}
}

/*
 * Entering t as frame number frame with depth bytes of frames above it:
 * does some chain from there break a limit?
 */
static bool xbpf_chain_fails(const struct xbpf_chain_info *t, u32 frame, u32 depth)
{
	return frame + t->frames > XBPF_MAX_CALL_FRAMES ||
	       depth + t->down > XBPF_MAX_STACK ||
	       (t->tail_above >= 0 && depth + (u32)t->tail_above >= XBPF_TAIL_CALL_STACK_LIMIT);
}

/*
 * Follows the first failing chain in Linux's order (call sites in
 * instruction order, depth first) and reports it as Linux would: every
 * chain before it in that order passes, so only the failing one matters.
 */
static int xbpf_report_failing_chain(struct xbpf_verifier_env *env,
				     const struct xbpf_call_graph *g)
{
	u32 s = 0, frame = 0, depth = 0, i, t;
	bool found;

	for (;;) {
		if (frame >= XBPF_MAX_CALL_FRAMES) {
			xbpf_verbose(env, "the call stack of %u frames is too deep !\n", frame);
			return -E2BIG;
		}
		if (s && env->subprogs[s].has_tail_call && depth >= XBPF_TAIL_CALL_STACK_LIMIT) {
			xbpf_verbose(env, "tail_calls are not allowed when call stack of previous frames is %u bytes. Too large\n",
				     depth);
			return -EACCES;
		}
		depth += g->info[s].frame_bytes;
		if (depth > XBPF_MAX_STACK) {
			xbpf_verbose(env, "combined stack size of %u calls is %u. Too large\n",
				     frame + 1, depth);
			return -EACCES;
		}
		found = false;
		for (i = env->subprogs[s].start; i < env->subprogs[s].end && !found; i++) {
			if ((env->aux[i].flags & XBPF_AUX_LDDW_HI) ||
			    !xbpf_insn_is_pseudo_call(&env->insns[i]))
				continue;
			t = env->aux[(u32)xbpf_insn_target(&env->insns[i], i)].subprog;
			if (xbpf_chain_fails(&g->info[t], frame + 1, depth)) {
				s = t;
				found = true;
			}
		}
		/* The summary promised a failure below s. */
		if (WARN_ON_ONCE(!found))
			return -EFAULT;
		frame++;
	}
}

int xbpf_check_max_stack_depth(struct xbpf_verifier_env *env)
{
	struct xbpf_call_graph *g;
	u32 s;
	int err;

	if (WARN_ON_ONCE(!env->subprog_cnt || env->subprog_cnt > XBPF_MAX_SUBPROGS))
		return -EFAULT;
	g = xbpf_kzalloc(sizeof(*g));
	if (!g)
		return -ENOMEM;
	err = xbpf_call_graph_build(env, g);
	if (err)
		goto out;
	xbpf_call_graph_summarise(env, g);
	/* The main program is frame 0 with nothing above it. */
	if (xbpf_chain_fails(&g->info[0], 0, 0)) {
		err = xbpf_report_failing_chain(env, g);
		goto out;
	}
	for (s = 0; s < g->cnt; s++)
		env->subprogs[s].tail_call_reachable = g->info[s].reaches_tail;
out:
	xbpf_kvfree(g->calls);
	xbpf_kfree(g);
	return err;
}

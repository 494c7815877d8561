// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 2: control flow.
 *
 *  - Subprograms start at insn 0 and at every pseudo-call target.  They
 *    partition the program: a jump never leaves its subprogram, and each
 *    one ends in exit or an unconditional jump, so nothing falls through
 *    into the next one or past the end.
 *  - A depth-first walk from insn 0, following both arms of every branch
 *    and every call into its callee, must reach every instruction.
 *  - An edge to an instruction still on the walk's path is a back-edge:
 *    a loop, allowed only for bpf_capable callers (run time is bounded by
 *    the checked interpreter until the Verifier issue proves loops
 *    terminate), or, through a call, recursion, which is never allowed.
 *
 * Uses only decode.c's result: all opcodes are known and LDDW second
 * slots are flagged XBPF_AUX_LDDW_HI.
 */
#include "env.h"

static int xbpf_add_subprog(struct xbpf_verifier_env *env, u32 call_idx, s64 target)
{
	u32 i;

	if (target < 0 || target >= env->len ||
	    (env->aux[target].flags & XBPF_AUX_LDDW_HI)) {
		xbpf_verbose_insn(env, call_idx);
		xbpf_verbose(env, "call to invalid destination\n");
		return -EINVAL;
	}
	for (i = 0; i < env->subprog_cnt; i++)
		if (env->subprogs[i].start == target)
			return 0;
	if (env->subprog_cnt >= XBPF_MAX_SUBPROGS) {
		xbpf_verbose(env, "too many subprograms\n");
		return -E2BIG;
	}
	env->subprogs[env->subprog_cnt++].start = target;
	return 0;
}

/* Few subprograms: insertion sort keeps this free of callbacks. */
static void xbpf_sort_subprogs(struct xbpf_verifier_env *env)
{
	u32 i, j;

	for (i = 1; i < env->subprog_cnt; i++) {
		u32 start = env->subprogs[i].start;

		for (j = i; j > 0 && env->subprogs[j - 1].start > start; j--)
			env->subprogs[j].start = env->subprogs[j - 1].start;
		env->subprogs[j].start = start;
	}
}

/*
 * LD_ABS/LD_IND may end the function early with R0 = 0 and a tail call
 * may fall through or never return: both are sound only in functions
 * whose BTF says they return a scalar, so that the caller sees a scalar
 * R0 either way.  The main program may always use them (it may still
 * call subprograms).  Without func_info nothing vouches for a
 * subprogram's return type.
 */
int xbpf_check_abnormal_return(struct xbpf_verifier_env *env, u32 s)
{
	const struct xbpf_subprog_info *sp = &env->subprogs[s];

	if (!s || sp->btf_scalar_ret)
		return 0;
	if (sp->has_ld_abs) {
		if (env->func_info)
			xbpf_verbose(env, "LD_ABS is only allowed in functions that return 'int'.\n");
		else
			xbpf_verbose(env, "LD_ABS is not allowed in subprogs without BTF\n");
		return -EINVAL;
	}
	if (sp->has_tail_call) {
		if (env->func_info)
			xbpf_verbose(env, "tail_call is only allowed in functions that return 'int'.\n");
		else
			xbpf_verbose(env, "tail_call is not allowed in subprogs without BTF\n");
		return -EINVAL;
	}
	return 0;
}

int xbpf_check_subprogs(struct xbpf_verifier_env *env)
{
	u32 i, s;
	int err;

	env->subprog_cnt = 1;
	env->subprogs[0].start = 0;
	for (i = 0; i < env->len; i++) {
		const struct xbpf_insn *insn = &env->insns[i];

		if (env->aux[i].flags & XBPF_AUX_LDDW_HI ||
		    !xbpf_insn_is_pseudo_call(insn))
			continue;
		if (!env->caps.bpf_capable) {
			xbpf_verbose_insn(env, i);
			xbpf_verbose(env, "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN\n");
			return -EPERM;
		}
		err = xbpf_add_subprog(env, i, xbpf_insn_target(insn, i));
		if (err)
			return err;
	}
	xbpf_sort_subprogs(env);
	for (s = 0; s < env->subprog_cnt; s++) {
		env->subprogs[s].end = s + 1 < env->subprog_cnt ?
				       env->subprogs[s + 1].start : env->len;
		env->aux[env->subprogs[s].start].flags |= XBPF_AUX_SUBPROG_START;
	}
	env->subprogs[env->subprog_cnt].start = env->len;

	s = 0;
	for (i = 0; i < env->len; i++) {
		const struct xbpf_insn *insn = &env->insns[i];
		const struct xbpf_subprog_info *sp;

		if (i == env->subprogs[s + 1].start)
			s++;
		sp = &env->subprogs[s];
		env->aux[i].subprog = s;
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			goto last;

		if (xbpf_insn_is_ld_abs(insn))
			env->subprogs[s].has_ld_abs = true;
		else if (xbpf_insn_is_helper_call(insn) && insn->imm == XBPF_FUNC_tail_call)
			env->subprogs[s].has_tail_call = true;

		if (xbpf_insn_is_jump(insn)) {
			s64 t = xbpf_insn_target(insn, i);

			/* Out of the subprogram, or into an LDDW's second slot. */
			if (t < sp->start || t >= sp->end ||
			    (env->aux[t].flags & XBPF_AUX_LDDW_HI)) {
				xbpf_verbose_insn(env, i);
				xbpf_verbose(env, "jump out of range from insn %u to %lld\n",
					     i, (long long)t);
				return -EINVAL;
			}
			env->aux[t].flags |= XBPF_AUX_JMP_TARGET;
		} else if (xbpf_insn_is_pseudo_call(insn)) {
			env->aux[xbpf_insn_target(insn, i)].flags |= XBPF_AUX_JMP_TARGET;
		}
last:
		if (i == sp->end - 1 && !xbpf_insn_is_ja(insn) &&
		    insn->code != (XBPF_JMP | XBPF_EXIT)) {
			xbpf_verbose_insn(env, i);
			xbpf_verbose(env, "last insn is not an exit or jmp\n");
			return -EINVAL;
		}
	}
	return xbpf_check_btf_info(env);
}

/* The DFS colours, in aux->cfg_state. */
enum {
	XBPF_CFG_NEW = 0,
	XBPF_CFG_ON_PATH,	/* discovered, successors not all done */
	XBPF_CFG_DONE,
};

/* Successors of idx: up to two, *is_call set for a call's callee edge. */
static u32 xbpf_cfg_succ(const struct xbpf_verifier_env *env, u32 idx,
			 u32 succ[2], bool *call_edge)
{
	const struct xbpf_insn *insn = &env->insns[idx];
	u8 op = XBPF_OP(insn->code);

	*call_edge = false;
	if (xbpf_insn_is_lddw(insn)) {
		succ[0] = idx + 2;
		return 1;
	}
	if (!xbpf_insn_is_jmp_class(insn)) {
		succ[0] = idx + 1;
		return 1;
	}
	if (op == XBPF_EXIT)
		return 0;
	if (op == XBPF_JA) {
		succ[0] = xbpf_insn_target(insn, idx);
		return 1;
	}
	succ[0] = idx + 1;
	if (op == XBPF_CALL) {
		if (!xbpf_insn_is_pseudo_call(insn))
			return 1;
		*call_edge = true;
	}
	succ[1] = xbpf_insn_target(insn, idx);
	return 2;
}

/* One DFS frame: the insn and how many of its successors were taken. */
struct xbpf_cfg_frame {
	u32	idx;
	u32	next;
};

static int xbpf_cfg_walk(struct xbpf_verifier_env *env, u32 root,
			 struct xbpf_cfg_frame *stack)
{
	u32 sp = 0;

	if (env->aux[root].cfg_state != XBPF_CFG_NEW)
		return 0;
	env->aux[root].cfg_state = XBPF_CFG_ON_PATH;
	env->insn_processed++;
	stack[sp++] = (struct xbpf_cfg_frame){ .idx = root };

	while (sp) {
		struct xbpf_cfg_frame *f = &stack[sp - 1];
		u32 succ[2], n;
		bool call_edge;
		u32 w;

		n = xbpf_cfg_succ(env, f->idx, succ, &call_edge);
		if (f->next >= n) {
			env->aux[f->idx].cfg_state = XBPF_CFG_DONE;
			sp--;
			continue;
		}
		w = succ[f->next++];
		/* Only a call's callee edge is the second one of a call. */
		call_edge = call_edge && f->next == 2;

		switch (env->aux[w].cfg_state) {
		case XBPF_CFG_NEW:
			env->aux[w].cfg_state = XBPF_CFG_ON_PATH;
			env->insn_processed++;
			stack[sp++] = (struct xbpf_cfg_frame){ .idx = w };
			break;
		case XBPF_CFG_ON_PATH:
			if (call_edge || !env->caps.bpf_capable) {
				xbpf_verbose_insn(env, f->idx);
				xbpf_verbose(env, "back-edge from insn %u to %u\n", f->idx, w);
				return -EINVAL;
			}
			env->aux[w].flags |= XBPF_AUX_BACK_EDGE_DST;
			env->has_back_edge = true;
			break;
		default:
			break;
		}
	}
	return 0;
}

int xbpf_check_cfg(struct xbpf_verifier_env *env)
{
	struct xbpf_cfg_frame *stack;
	u32 i;
	int err = 0;

	/* Each insn is on the path at most once: len frames suffice. */
	stack = xbpf_kvzalloc(sizeof(*stack) * (size_t)env->len);
	if (!stack)
		return -ENOMEM;
	/*
	 * Insn 0 reaches every live subprogram through its calls.  The other
	 * starts are roots too, so that the walk's shape never depends on
	 * call order; a subprogram only dead code calls still fails, at the
	 * dead call site.
	 */
	for (i = 0; i < env->subprog_cnt && !err; i++)
		err = xbpf_cfg_walk(env, env->subprogs[i].start, stack);
	xbpf_kvfree(stack);
	if (err)
		return err;

	for (i = 0; i < env->len; i++) {
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			continue;
		if (env->aux[i].cfg_state != XBPF_CFG_DONE) {
			xbpf_verbose(env, "unreachable insn %u\n", i);
			return -EINVAL;
		}
	}
	return 0;
}

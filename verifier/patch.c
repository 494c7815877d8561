// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction patching for fixup: insert instructions before one
 * instruction of env->prog, keeping every jump, call and subprogram
 * boundary pointing at the same code.
 *
 * Invariants kept:
 *   - env->aux has prog->len entries before and after, aligned with
 *     prog->insns (the inserted instructions get empty aux, the moved
 *     ones keep theirs);
 *   - a jump or call that targeted the instruction at "at" now targets
 *     the first inserted instruction, so the inserted code runs on every
 *     path that reaches the old instruction;
 *   - prog->orig_len and the tag (computed before any patch) are kept;
 *   - on error nothing has changed.
 * The inserted instructions are taken as they are: a jump among them is
 * relative to its own position and must stay inside the inserted block.
 */
#include "env.h"

/*
 * The new position of an old target t when n instructions go in at p.
 * redirect: a target equal to p reaches the inserted code ("before p");
 * otherwise it reaches the old instruction p ("after p - 1").
 */
static s64 xbpf_patch_target(s64 t, u32 p, u32 n, bool redirect)
{
	if (t < p || (redirect && t == p))
		return t;
	return t + n;
}

static bool xbpf_patch_in_imm(const struct xbpf_insn *insn)
{
	return insn->code == (XBPF_JMP32 | XBPF_JA) || xbpf_insn_is_pseudo_call(insn);
}

/* The new offset of the jump or call moved from oj to j. */
static s64 xbpf_patch_off(const struct xbpf_insn *insn, u32 oj, u32 j, u32 p, u32 n,
			  bool redirect)
{
	return xbpf_patch_target(xbpf_insn_target(insn, oj), p, n, redirect) - (s64)j - 1;
}

static bool xbpf_patch_has_target(const struct xbpf_insn *insn, const struct xbpf_insn_aux *aux)
{
	if (aux->flags & XBPF_AUX_LDDW_HI)
		return false;
	return xbpf_insn_is_jump(insn) || xbpf_insn_is_pseudo_call(insn);
}

static int xbpf_patch_at(struct xbpf_verifier_env *env, u32 p, const struct xbpf_insn *ins,
			 u32 n, bool redirect)
{
	struct xbpf_prog *old = env->prog, *prog;
	struct xbpf_insn_aux *aux;
	u32 len, i, j, subprog;
	s64 off;

	if (WARN_ON_ONCE(!old || !ins || p > old->len || (redirect && p == old->len) ||
			 (!redirect && !p)))
		return -EFAULT;
	if (!n)
		return 0;
	/* Never split an LDDW: its halves must stay adjacent. */
	if (WARN_ON_ONCE(p < old->len && (env->aux[p].flags & XBPF_AUX_LDDW_HI)))
		return -EFAULT;
	/* Bounded first, so len can't wrap and every index fits an s64 sum. */
	if (n > XBPF_COMPLEXITY_LIMIT_INSNS || old->len > XBPF_COMPLEXITY_LIMIT_INSNS - n) {
		xbpf_verbose(env, "patched program is too large (limit %u insns)\n",
			     XBPF_COMPLEXITY_LIMIT_INSNS);
		return -E2BIG;
	}
	len = old->len + n;

	/* Check every moved offset before touching anything. */
	for (i = 0; i < old->len; i++) {
		if (!xbpf_patch_has_target(&old->insns[i], &env->aux[i]))
			continue;
		j = i < p ? i : i + n;
		off = xbpf_patch_off(&old->insns[i], i, j, p, n, redirect);
		if (xbpf_patch_in_imm(&old->insns[i]) ? off < S32_MIN || off > S32_MAX :
							 off < S16_MIN || off > S16_MAX) {
			xbpf_verbose(env, "insn %u: jump out of range after patching\n", i);
			return -ERANGE;
		}
	}

	prog = xbpf_prog_alloc(len);
	if (!prog)
		return -ENOMEM;
	aux = xbpf_kvzalloc(sizeof(*aux) * (size_t)len);
	if (!aux) {
		xbpf_kvfree(prog);
		return -ENOMEM;
	}
	/* Not published yet: the header moves as plain memory. */
	memcpy(prog, old, sizeof(*prog));
	prog->len = len;
	memcpy(prog->insns, old->insns, sizeof(*ins) * (size_t)p);
	memcpy(prog->insns + p, ins, sizeof(*ins) * (size_t)n);
	memcpy(prog->insns + p + n, old->insns + p, sizeof(*ins) * (size_t)(old->len - p));
	memcpy(aux, env->aux, sizeof(*aux) * (size_t)p);
	memcpy(aux + p + n, env->aux + p, sizeof(*aux) * (size_t)(old->len - p));
	/* The new code belongs to the subprogram that runs it. */
	subprog = env->aux[redirect ? p : p - 1].subprog;
	for (i = p; i < p + n; i++) {
		aux[i].subprog = subprog;
		if (i > p && xbpf_insn_is_lddw(&prog->insns[i - 1]) &&
		    !(aux[i - 1].flags & XBPF_AUX_LDDW_HI))
			aux[i].flags |= XBPF_AUX_LDDW_HI;
	}

	for (i = 0; i < old->len; i++) {
		if (!xbpf_patch_has_target(&old->insns[i], &env->aux[i]))
			continue;
		j = i < p ? i : i + n;
		off = xbpf_patch_off(&old->insns[i], i, j, p, n, redirect);
		if (xbpf_patch_in_imm(&old->insns[i]))
			prog->insns[j].imm = (s32)off;
		else
			prog->insns[j].off = (s16)off;
	}
	/* Bounds at p move unless the new code starts that subprogram. */
	for (i = 0; i <= env->subprog_cnt; i++) {
		if (env->subprogs[i].start > p || (!redirect && env->subprogs[i].start == p))
			env->subprogs[i].start += n;
		if (env->subprogs[i].end > p || (!redirect && env->subprogs[i].end == p))
			env->subprogs[i].end += n;
	}
	/* A line's first instruction keeps its line, as a subprogram start does. */
	for (i = 0; i < env->linfo_cnt; i++)
		if (env->linfo[i].insn_off > p || (!redirect && env->linfo[i].insn_off == p))
			env->linfo[i].insn_off += n;

	xbpf_kvfree(env->aux);
	env->aux = aux;
	xbpf_kvfree(old);
	env->prog = prog;
	return 0;
}

int xbpf_patch_insert(struct xbpf_verifier_env *env, u32 at, const struct xbpf_insn *ins, u32 n)
{
	return xbpf_patch_at(env, at, ins, n, true);
}

int xbpf_patch_insert_after(struct xbpf_verifier_env *env, u32 at, const struct xbpf_insn *ins,
			    u32 n)
{
	if (WARN_ON_ONCE(!env->prog || at >= env->prog->len))
		return -EFAULT;
	return xbpf_patch_at(env, at + 1, ins, n, false);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Direct tail-call sites (Linux's record_func_map/record_func_key).  Per
 * bpf_tail_call instruction the walk keeps one (map, key) pair while
 * every path that reaches the call agrees on it, and poisons the
 * instruction when two paths differ or one has a key that is not a
 * constant below max_entries.  Poison is final.
 *
 * A constant key is marked precise: pruning then never lets a path with
 * another key end at an equal state without reaching the call, so the
 * pair seen here is the pair on every path the program can take.  A
 * poisoned site needs no mark (it stays an indirect call whatever r3
 * holds).  The map needs none either: pruning compares map pointers.
 *
 * Fixup lists the sites still constant, numbered in the rewritten
 * program (env->aux follows every patch), for the JIT; only for
 * bpf_capable callers, as Linux 6.1 makes direct calls only for them.
 */
#include "check.h"

int xbpf_record_tail_site(struct xbpf_check *c, const struct xbpf_map *map)
{
	struct xbpf_insn_aux *aux = &c->env->aux[c->idx];
	const struct xbpf_reg *r3 = &xbpf_cur_regs(c->cur)[XBPF_REG_3];
	u64 key;
	int err;

	if (aux->tail_state == XBPF_TAIL_POISON)
		return 0;
	if (!map || r3->type != XBPF_SCALAR || !xbpf_tnum_is_const(r3->s.var) ||
	    r3->s.var.value >= map->max_entries)
		goto poison;
	key = r3->s.var.value;
	if (aux->tail_state == XBPF_TAIL_CONST &&
	    (aux->tail_map != map || aux->tail_key != key))
		goto poison;
	err = xbpf_mark_precise(c, XBPF_REG_3);
	if (err)
		return err;
	aux->tail_state = XBPF_TAIL_CONST;
	aux->tail_map = map;
	aux->tail_key = (u32)key;
	return 0;
poison:
	aux->tail_state = XBPF_TAIL_POISON;
	aux->tail_map = NULL;
	return 0;
}

int xbpf_fixup_tail_sites(struct xbpf_verifier_env *env)
{
	struct xbpf_prog *prog = env->prog;
	struct xbpf_tail_site *s;
	u32 i, n = 0;

	/*
	 * An unproved program's marks come from an incomplete walk.  As in
	 * Linux, only bpf_capable callers get direct calls (the JIT keeps
	 * unprivileged programs on the path through the array).
	 */
	if (!env->proved || !env->caps.bpf_capable)
		return 0;
	for (i = 0; i < prog->len; i++)
		n += env->aux[i].tail_state == XBPF_TAIL_CONST;
	if (!n)
		return 0;
	s = xbpf_kvzalloc(sizeof(*s) * n);
	if (!s)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < prog->len; i++) {
		const struct xbpf_insn_aux *aux = &env->aux[i];

		if (aux->tail_state != XBPF_TAIL_CONST)
			continue;
		/* a patch never moves a mark off its call */
		if (WARN_ON_ONCE(!xbpf_insn_is_helper_call(&prog->insns[i]) ||
				 prog->insns[i].imm != XBPF_FUNC_tail_call)) {
			xbpf_kvfree(s);
			return -EFAULT;
		}
		s[n].insn = i;
		/* prog->maps holds the reference (fixup moves env's to it) */
		s[n].map = (struct xbpf_map *)aux->tail_map;
		s[n].key = aux->tail_key;
		n++;
	}
	prog->tail_sites = s;
	prog->nr_tail_sites = n;
	return 0;
}

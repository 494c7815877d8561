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
 * Without bypass_spec_v1 every reached tail call gets, before it,
 *
 *	if w3 >= max_entries goto past the call	(JMP32: the helper reads a u32)
 *	w3 &= index_mask
 *
 * so a mispredicted bounds check in either engine reads a slot inside
 * the table (maps/prog_array.h allocates index_mask + 1 of them).  The
 * out-of-range branch skips the call as the call itself would fail: it
 * sets no r0 the verifier lets the program read, and the count is not
 * bumped for an index out of range.  That needs one map per call site;
 * paths that bring different maps are refused, as in Linux.
 *
 * Fixup lists the sites still constant, numbered in the rewritten
 * program (env->aux follows every patch), for the JIT; only for
 * bpf_capable callers, as Linux 6.1 makes direct calls only for them.
 */
#include "check.h"
#include "../maps/prog_array.h"

int xbpf_record_tail_site(struct xbpf_check *c, const struct xbpf_map *map)
{
	struct xbpf_insn_aux *aux = &c->env->aux[c->idx];
	const struct xbpf_reg *r3 = &xbpf_cur_regs(c->cur)[XBPF_REG_3];
	u64 key;
	int err;

	if (!aux->tail_map_seen && !aux->tail_map_mixed)
		aux->tail_map_seen = map;
	else if (aux->tail_map_seen != map)
		aux->tail_map_mixed = true;
	if (!map)
		aux->tail_map_mixed = true;

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

int xbpf_fixup_tail_mask(struct xbpf_verifier_env *env)
{
	struct xbpf_insn seq[2];
	u32 i;
	int err;

	/* An unproved program runs bounds-checked in the interpreter only. */
	if (!env->proved || env->caps.bypass_spec_v1)
		return 0;
	for (i = 0; i < env->prog->len; i++) {
		const struct xbpf_insn *insn = &env->prog->insns[i];
		const struct xbpf_insn_aux *aux = &env->aux[i];
		u32 max;

		if (!xbpf_insn_is_helper_call(insn) || insn->imm != XBPF_FUNC_tail_call ||
		    (!aux->tail_map_seen && !aux->tail_map_mixed))
			continue;	/* not a tail call, or dead code */
		if (aux->tail_map_mixed) {
			xbpf_verbose(env, "tail_call abusing map_ptr\n");
			return -EINVAL;
		}
		max = aux->tail_map_seen->max_entries;
		seq[0] = (struct xbpf_insn){ .code = XBPF_JMP32 | XBPF_JGE | XBPF_K,
					     .dst_reg = XBPF_REG_3, .off = 2, .imm = (s32)max };
		seq[1] = (struct xbpf_insn){ .code = XBPF_ALU | XBPF_AND | XBPF_K,
					     .dst_reg = XBPF_REG_3,
					     .imm = (s32)xbpf_prog_array_index_mask(max) };
		err = xbpf_patch_insert(env, i, seq, 2);
		if (err)
			return err;
		i += 2;		/* the call, now at i + 2 */
	}
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

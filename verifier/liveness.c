// SPDX-License-Identifier: GPL-2.0
/*
 * Static register liveness for state pruning (prune.h): a backward
 * dataflow over the CFG, to a fixpoint,
 *
 *   live_in(i) = use(i) | (OR of live_in(s) over successors s) & ~def(i)
 *
 * computed with a worklist, so each instruction is revisited only when
 * the set of one of its successors grew (at most 11 times each).
 *
 * Soundness: a register outside live_in(i) is written before it is read
 * on every path from i, so its value at i cannot change what the walk
 * checks from there.  Erring means *more* live registers, never fewer:
 * use() may over-approximate, def() may under-approximate.
 */
#include "prune.h"

#define XBPF_LIVE_ARGS	(XBPF_LIVE_REG(1) | XBPF_LIVE_REG(2) | XBPF_LIVE_REG(3) | \
			 XBPF_LIVE_REG(4) | XBPF_LIVE_REG(5))
#define XBPF_LIVE_CALLER_SAVED	(XBPF_LIVE_REG(0) | XBPF_LIVE_ARGS)

static void xbpf_insn_use_def(const struct xbpf_insn *insn, u16 *use, u16 *def)
{
	u8 class = XBPF_CLASS(insn->code);
	u8 op = XBPF_OP(insn->code);
	u8 mode = XBPF_MODE(insn->code);
	u16 dst = XBPF_LIVE_REG(insn->dst_reg & 0xf);
	u16 src = XBPF_LIVE_REG(insn->src_reg & 0xf);
	bool x = XBPF_SRC(insn->code) == XBPF_X;

	*use = 0;
	*def = 0;
	switch (class) {
	case XBPF_ALU:
	case XBPF_ALU64:
		if (op == XBPF_MOV) {
			*use = x ? src : 0;
		} else if (op == XBPF_NEG || op == XBPF_END) {
			*use = dst;	/* END's X bit is the byte order */
		} else {
			*use = dst | (x ? src : 0);
		}
		*def = dst;
		return;
	case XBPF_LDX:
		*use = src;
		*def = dst;
		return;
	case XBPF_ST:
		*use = dst;
		return;
	case XBPF_STX:
		*use = dst | src;
		/* cmpxchg compares with R0; fetch forms write src or R0: no def. */
		if (mode == XBPF_ATOMIC)
			*use |= XBPF_LIVE_REG(0);
		return;
	case XBPF_LD:
		if (xbpf_insn_is_lddw(insn)) {
			*def = dst;
			return;
		}
		if (mode == XBPF_ABS || mode == XBPF_IND) {
			/* The skb is R6; the result is R0; R1-R5 are scratched. */
			*use = XBPF_LIVE_REG(6) | (mode == XBPF_IND ? src : 0);
			*def = XBPF_LIVE_CALLER_SAVED;
			return;
		}
		break;
	case XBPF_JMP:
	case XBPF_JMP32:
		if (op == XBPF_JA)
			return;
		if (op == XBPF_EXIT) {
			*use = XBPF_LIVE_REG(0);
			return;
		}
		if (op == XBPF_CALL) {
			/* Every argument register, whatever the callee reads. */
			*use = XBPF_LIVE_ARGS;
			*def = XBPF_LIVE_CALLER_SAVED;
			return;
		}
		*use = dst | (x ? src : 0);
		return;
	default:
		break;
	}
	/* Not understood: everything is read, nothing is written. */
	*use = XBPF_LIVE_ALL;
}

/* Successors inside the same function (a call's is the next insn). */
static u32 xbpf_live_succ(const struct xbpf_verifier_env *env, u32 idx, u32 succ[2])
{
	const struct xbpf_insn *insn = &env->insns[idx];
	u8 op = XBPF_OP(insn->code);
	u32 n = 0;
	s64 t;

	if (xbpf_insn_is_lddw(insn)) {
		succ[n++] = idx + 2;
	} else if (!xbpf_insn_is_jmp_class(insn) || op == XBPF_CALL) {
		succ[n++] = idx + 1;
	} else if (op != XBPF_EXIT) {
		if (op != XBPF_JA)
			succ[n++] = idx + 1;
		t = xbpf_insn_target(insn, idx);
		succ[n++] = (u32)t;
	}
	/* cfg.c keeps every edge inside the program; be safe anyway. */
	while (n && succ[n - 1] >= env->len)
		n--;
	if (n == 2 && succ[0] >= env->len)
		succ[0] = succ[--n];
	return n;
}

u16 *xbpf_liveness(struct xbpf_verifier_env *env)
{
	u32 len = env->len, i, j, n, top = 0, nedges = 0;
	u32 *pred_off = NULL, *preds = NULL, *work = NULL, *fill = NULL;
	u8 *queued = NULL;
	u16 *live;
	u32 succ[2];

	live = xbpf_kvzalloc(sizeof(*live) * (size_t)len);
	pred_off = xbpf_kvzalloc(sizeof(*pred_off) * ((size_t)len + 1));
	fill = xbpf_kvzalloc(sizeof(*fill) * (size_t)len);
	work = xbpf_kvzalloc(sizeof(*work) * (size_t)len);
	queued = xbpf_kvzalloc((size_t)len);
	if (!live || !pred_off || !fill || !work || !queued)
		goto nomem;

	/* Predecessor lists, compressed: preds[pred_off[s] .. pred_off[s + 1]). */
	for (i = 0; i < len; i++) {
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			continue;
		n = xbpf_live_succ(env, i, succ);
		for (j = 0; j < n; j++)
			pred_off[succ[j] + 1]++;
		nedges += n;
	}
	for (i = 0; i < len; i++)
		pred_off[i + 1] += pred_off[i];
	preds = xbpf_kvzalloc(sizeof(*preds) * ((size_t)nedges + 1));
	if (!preds)
		goto nomem;
	for (i = 0; i < len; i++) {
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			continue;
		n = xbpf_live_succ(env, i, succ);
		for (j = 0; j < n; j++)
			preds[pred_off[succ[j]] + fill[succ[j]]++] = i;
	}

	/* Every insn once, the last on top: one backward sweep to start. */
	for (i = 0; i < len; i++) {
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			continue;
		work[top++] = i;
		queued[i] = 1;
	}
	while (top) {
		u16 use, def, out = 0, in;

		i = work[--top];
		queued[i] = 0;
		n = xbpf_live_succ(env, i, succ);
		for (j = 0; j < n; j++)
			out |= live[succ[j]];
		xbpf_insn_use_def(&env->insns[i], &use, &def);
		in = use | (out & ~def);
		if (in == live[i])
			continue;
		live[i] = in;
		for (j = pred_off[i]; j < pred_off[i + 1]; j++) {
			if (queued[preds[j]])
				continue;
			queued[preds[j]] = 1;
			work[top++] = preds[j];
		}
	}
	xbpf_kvfree(preds);
	xbpf_kvfree(pred_off);
	xbpf_kvfree(fill);
	xbpf_kvfree(work);
	xbpf_kvfree(queued);
	return live;

nomem:
	xbpf_kvfree(live);
	xbpf_kvfree(preds);
	xbpf_kvfree(pred_off);
	xbpf_kvfree(fill);
	xbpf_kvfree(work);
	xbpf_kvfree(queued);
	return NULL;
}

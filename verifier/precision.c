// SPDX-License-Identifier: GPL-2.0
/*
 * Precision tracking for state pruning (docs/verifier-design.md,
 * precision.c), in the design of Linux 5.10+ (backtracking marks):
 *
 *  - A scalar is *precise* in a recorded state when some safety decision
 *    below that state depended on its exact value set: a pointer moved
 *    by it, a helper's size, a conditional jump with one arm dead.  For
 *    bpf_capable callers prune.c compares only precise scalars; an
 *    imprecise one in the recorded state stands for any scalar.  Other
 *    callers compare every scalar, and nothing here runs for them.
 *  - Sound because the walk is depth first and a recorded state is used
 *    only once every path below it has ended: each decision backtracks
 *    through the path that made it (xbpf_mark_precise) before that, so
 *    the marks are complete when the state is compared.  A pruned path
 *    inherits the marks of the state it matched (propagate).
 *  - Backtracking walks the path from the decision back to the entry,
 *    one segment (recorded state to recorded state) at a time, keeping
 *    per frame the registers and stack slots whose value is needed; it
 *    marks them in each recorded state it reaches and stops when nothing
 *    is needed or a state had every mark already.  The path's order comes
 *    from its history (struct xbpf_hist): the jumps it took, which stack
 *    slot each fixed-offset access touched (through any pointer, into any
 *    frame), and which copies a conditional jump refined by id.
 *  - Whatever it cannot follow (an instruction it does not model, a need
 *    left where none can be) makes every scalar precise in the states
 *    above: more marks only prune less.
 *
 * A recorded state starts without marks (xbpf_precision_clear): those
 * the path carried were needed by decisions above it, not below.  The
 * current state gets the marks too, for the log's "P".
 */
#include "prune.h"

/* What is needed: per frame, registers and stack slots (bit i: stack[i]). */
struct xbpf_bt {
	u16	regs[XBPF_MAX_CALL_FRAMES];
	u64	slots[XBPF_MAX_CALL_FRAMES];
	u32	fr;		/* the frame of the instruction being undone */
};

/* A segment of the path: insns first .. last (exclusive), in hist's order. */
struct xbpf_seg {
	const struct xbpf_hist	*hist;
	u32			n;
	u32			first, last;
};

/* Backtracking cannot follow: mark everything above. */
#define XBPF_BT_GIVE_UP		1

#define XBPF_ARG_REGS		0x3e	/* R1-R5 */

static bool xbpf_precision_on(const struct xbpf_check *c)
{
	return c->env->caps.bpf_capable;
}

static bool xbpf_bt_empty(const struct xbpf_bt *bt)
{
	u32 f;

	for (f = 0; f < XBPF_MAX_CALL_FRAMES; f++)
		if (bt->regs[f] || bt->slots[f])
			return false;
	return true;
}

/* ---- history ------------------------------------------------------ */

static int xbpf_hist_push(struct xbpf_state *st, u8 kind, u32 idx, u32 arg, u32 frame)
{
	struct xbpf_hist *h;
	u32 cap;

	if (st->nr_hist == st->hist_cap) {
		cap = st->hist_cap ? st->hist_cap * 2 : 16;
		/* A long loop between two recorded states can make it long. */
		h = xbpf_kvzalloc((size_t)cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		if (st->nr_hist)
			memcpy(h, st->hist, st->nr_hist * sizeof(*h));
		xbpf_kvfree(st->hist);
		st->hist = h;
		st->hist_cap = cap;
	}
	h = &st->hist[st->nr_hist++];
	h->idx = idx;
	h->arg = arg;
	h->kind = kind;
	h->frame = (u8)frame;
	return 0;
}

int xbpf_hist_jmp(struct xbpf_check *c, struct xbpf_state *st, u32 from, u32 to)
{
	if (!xbpf_precision_on(c))
		return 0;
	return xbpf_hist_push(st, XBPF_HIST_JMP, from, to, 0);
}

int xbpf_hist_stack(struct xbpf_check *c, u32 frame, u32 slot)
{
	if (!xbpf_precision_on(c) || WARN_ON_ONCE(slot >= XBPF_STACK_SLOTS))
		return 0;
	return xbpf_hist_push(c->cur, XBPF_HIST_STACK, c->idx, slot, frame);
}

/* Every scalar copy of a register with id (not the jump's own operands). */
static int xbpf_hist_links_of(struct xbpf_check *c, u32 id, u32 dst, u32 src)
{
	struct xbpf_state *st = c->cur;
	const struct xbpf_frame *f;
	const struct xbpf_reg *r;
	u32 i, j;
	int err;

	for (i = 0; i <= st->curframe; i++) {
		f = st->frames[i];
		for (j = 0; j < XBPF_REG_COUNT; j++) {
			r = &f->regs[j];
			if (r->type != XBPF_SCALAR || r->id != id ||
			    (i == st->curframe && (j == dst || j == src)))
				continue;
			err = xbpf_hist_push(st, XBPF_HIST_LINK_REG, c->idx, j, i);
			if (err)
				return err;
		}
		for (j = 0; j < XBPF_STACK_SLOTS; j++) {
			r = &f->stack[j].spill;
			if (f->stack[j].kind[0] != XBPF_SLOT_SPILL || r->type != XBPF_SCALAR ||
			    r->id != id)
				continue;
			err = xbpf_hist_push(st, XBPF_HIST_LINK_SLOT, c->idx, j, i);
			if (err)
				return err;
		}
	}
	return 0;
}

int xbpf_hist_links(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	const struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	bool x = XBPF_SRC(insn->code) == XBPF_X;
	u32 src = x ? insn->src_reg : XBPF_REG_COUNT;
	int err = 0;

	if (!xbpf_precision_on(c))
		return 0;
	if (regs[insn->dst_reg].type == XBPF_SCALAR && regs[insn->dst_reg].id)
		err = xbpf_hist_links_of(c, regs[insn->dst_reg].id, insn->dst_reg, src);
	if (!err && x && regs[src].type == XBPF_SCALAR && regs[src].id &&
	    regs[src].id != regs[insn->dst_reg].id)
		err = xbpf_hist_links_of(c, regs[src].id, insn->dst_reg, src);
	return err;
}

/* ---- marking ------------------------------------------------------ */

static bool xbpf_slot_is_scalar_spill(const struct xbpf_slot *s)
{
	u32 b;

	for (b = 0; b < XBPF_SLOT_SIZE; b++)
		if (s->kind[b] != XBPF_SLOT_SPILL)
			return false;
	return s->spill.type == XBPF_SCALAR;
}

static bool xbpf_slot_all_invalid(const struct xbpf_slot *s)
{
	u32 b;

	for (b = 0; b < XBPF_SLOT_SIZE; b++)
		if (s->kind[b] != XBPF_SLOT_INVALID)
			return false;
	return true;
}

/* Marks reg if it is a scalar (*fresh: it was not); false if it is not one. */
static bool xbpf_mark_reg(struct xbpf_reg *reg, bool *fresh)
{
	if (reg->type != XBPF_SCALAR)
		return false;
	if (!reg->precise)
		*fresh = true;
	reg->precise = true;
	return true;
}

static void xbpf_mark_all_frame(struct xbpf_reg *regs, struct xbpf_slot *slots, u32 nslots)
{
	bool fresh = false;
	u32 i;

	for (i = 0; i < XBPF_REG_COUNT; i++)
		xbpf_mark_reg(&regs[i], &fresh);
	for (i = 0; i < nslots; i++)
		if (xbpf_slot_is_scalar_spill(&slots[i]))
			xbpf_mark_reg(&slots[i].spill, &fresh);
}

/* Linux's big hammer: every scalar of e and of every state above it. */
static void xbpf_mark_all_above(struct xbpf_explored *e)
{
	struct xbpf_pframe *pf;
	u32 f;

	/* A state marked so had all its ancestors marked with it. */
	for (; e && !e->all_precise; e = e->eparent) {
		for (f = 0; f <= e->curframe; f++) {
			pf = e->frames[f];
			xbpf_mark_all_frame(pf->regs, pf->slots, XBPF_STACK_SLOTS - pf->first);
		}
		e->all_precise = true;
	}
}

static void xbpf_mark_all_state(struct xbpf_state *st)
{
	u32 f;

	for (f = 0; f <= st->curframe; f++)
		xbpf_mark_all_frame(st->frames[f]->regs, st->frames[f]->stack, XBPF_STACK_SLOTS);
}

/* The needs in bt, in the current state (for the log only). */
static void xbpf_mark_cur(struct xbpf_state *st, const struct xbpf_bt *bt)
{
	struct xbpf_frame *f;
	bool fresh = false;
	u32 fr, i;

	for (fr = 0; fr <= st->curframe; fr++) {
		f = st->frames[fr];
		for (i = 0; i < XBPF_REG_COUNT; i++)
			if (bt->regs[fr] & (1u << i))
				xbpf_mark_reg(&f->regs[i], &fresh);
		for (i = 0; i < XBPF_STACK_SLOTS; i++)
			if ((bt->slots[fr] & (1ull << i)) && xbpf_slot_is_scalar_spill(&f->stack[i]))
				xbpf_mark_reg(&f->stack[i].spill, &fresh);
	}
}

/*
 * The needs reached e (the state at the start of the segment just
 * undone): mark them; a register that is not a scalar needs nothing
 * further (its value does not come from a scalar).  Returns
 * XBPF_BT_GIVE_UP if bt does not fit e; *fresh: a mark was new, or a
 * need could not be recorded as one (the walk must go on).
 */
static int xbpf_mark_explored(struct xbpf_explored *e, struct xbpf_bt *bt, bool *fresh)
{
	struct xbpf_slot *slot;
	struct xbpf_pframe *pf;
	u32 fr, i;

	if (bt->fr != e->curframe)
		return XBPF_BT_GIVE_UP;
	for (fr = e->curframe + 1; fr < XBPF_MAX_CALL_FRAMES; fr++)
		if (bt->regs[fr] || bt->slots[fr])
			return XBPF_BT_GIVE_UP;
	for (fr = 0; fr <= e->curframe; fr++) {
		pf = e->frames[fr];
		for (i = 0; i < XBPF_REG_COUNT; i++)
			if ((bt->regs[fr] & (1u << i)) && !xbpf_mark_reg(&pf->regs[i], fresh))
				bt->regs[fr] &= ~(1u << i);
		for (i = 0; i < XBPF_STACK_SLOTS; i++) {
			if (!(bt->slots[fr] & (1ull << i)))
				continue;
			slot = i < pf->first ? NULL : &pf->slots[i - pf->first];
			if (slot && xbpf_slot_is_scalar_spill(slot)) {
				xbpf_mark_reg(&slot->spill, fresh);
				continue;
			}
			/* Never written: what was read later was written later. */
			if (!slot || xbpf_slot_all_invalid(slot)) {
				bt->slots[fr] &= ~(1ull << i);
				continue;
			}
			/*
			 * Zero or misc bytes (or a pointer): prune.c compares
			 * them exactly here, but what a scalar store left
			 * (zero, misc or a spill) depends on the scalar, so
			 * the store above still needs it, and no mark here
			 * says so: the walk must go on.
			 */
			*fresh = true;
		}
	}
	return 0;
}

/* ---- undoing one instruction -------------------------------------- */

static u32 xbpf_ldst_size(u8 code)
{
	switch (XBPF_SIZE(code)) {
	case XBPF_B:
		return 1;
	case XBPF_H:
		return 2;
	case XBPF_W:
		return 4;
	default:
		return 8;
	}
}

/* The stack slot insn touched at a fixed offset, from its history. */
static const struct xbpf_hist *xbpf_find_stack(const struct xbpf_hist *h, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (h[i].kind == XBPF_HIST_STACK)
			return &h[i];
	return NULL;
}

static int xbpf_bt_alu(const struct xbpf_insn *insn, u16 *regs)
{
	u16 dreg = 1u << insn->dst_reg, sreg = 1u << insn->src_reg;
	u8 op = XBPF_OP(insn->code);

	if (!(*regs & dreg))
		return 0;
	if (op == XBPF_END || op == XBPF_NEG)
		return 0;		/* from dst alone */
	if (op == XBPF_MOV) {
		*regs &= ~dreg;		/* a constant, or src's value */
		if (XBPF_SRC(insn->code) == XBPF_X)
			*regs |= sreg;
		return 0;
	}
	if (XBPF_SRC(insn->code) == XBPF_X)
		*regs |= sreg;		/* dst op= src: from both */
	return 0;
}

/*
 * Loads and stores.  A value in a register comes from a stack slot only
 * through a fixed-offset access, which the history names (whatever the
 * base register and frame).  Anything else loaded is a fresh scalar
 * whose set depends on the size alone.  An 8-byte store replaces the
 * slot; a narrower one leaves the other bytes as they were, so the slot
 * stays needed.
 */
static int xbpf_bt_mem(const struct xbpf_insn *insn, struct xbpf_bt *bt,
		       const struct xbpf_hist *stk)
{
	u16 *regs = &bt->regs[bt->fr];
	u16 dreg = 1u << insn->dst_reg, sreg = 1u << insn->src_reg;
	u64 bit = stk ? 1ull << stk->arg : 0;
	u64 *slots = stk ? &bt->slots[stk->frame] : NULL;
	u8 class = XBPF_CLASS(insn->code);
	bool whole = xbpf_ldst_size(insn->code) == 8;
	u16 load;

	if (stk && stk->frame >= XBPF_MAX_CALL_FRAMES)
		return XBPF_BT_GIVE_UP;
	if (class == XBPF_LDX) {
		if (XBPF_MODE(insn->code) != XBPF_MEM && XBPF_MODE(insn->code) != XBPF_MEMSX)
			return XBPF_BT_GIVE_UP;
		if (!(*regs & dreg))
			return 0;
		*regs &= ~dreg;
		if (slots)
			*slots |= bit;
		return 0;
	}
	if (XBPF_MODE(insn->code) == XBPF_ATOMIC) {
		/* The memory ends up holding some unknown op(old, src). */
		if (slots && whole)
			*slots &= ~bit;
		if (!(insn->imm & XBPF_FETCH))
			return 0;
		load = insn->imm == XBPF_CMPXCHG ? 1u : sreg;
		if (*regs & load) {
			*regs &= ~load;		/* the old value */
			if (slots)
				*slots |= bit;
		}
		return 0;
	}
	if (XBPF_MODE(insn->code) != XBPF_MEM)
		return XBPF_BT_GIVE_UP;
	if (!slots || !(*slots & bit))
		return 0;
	if (whole)
		*slots &= ~bit;
	if (class == XBPF_STX)
		*regs |= sreg;
	return 0;
}

/*
 * A conditional jump refines dst (and src) from both, and every copy
 * that shares an id with them (the history's links) from those too.
 */
static void xbpf_bt_cond(const struct xbpf_insn *insn, struct xbpf_bt *bt,
			 const struct xbpf_hist *h, u32 n)
{
	u16 dreg = 1u << insn->dst_reg;
	u16 sreg = XBPF_SRC(insn->code) == XBPF_X ? 1u << insn->src_reg : 0;
	bool need = bt->regs[bt->fr] & (dreg | sreg);
	u32 i;

	for (i = 0; i < n && !need; i++) {
		if (h[i].frame >= XBPF_MAX_CALL_FRAMES)
			continue;
		if (h[i].kind == XBPF_HIST_LINK_REG)
			need = bt->regs[h[i].frame] & (1u << h[i].arg);
		else if (h[i].kind == XBPF_HIST_LINK_SLOT)
			need = bt->slots[h[i].frame] & (1ull << h[i].arg);
	}
	if (need)
		bt->regs[bt->fr] |= dreg | sreg;
}

/* h[0..n): the history entries of this execution of insn idx. */
static int xbpf_bt_insn(struct xbpf_check *c, u32 idx, struct xbpf_bt *bt,
			const struct xbpf_hist *h, u32 n)
{
	const struct xbpf_insn *insn = &c->env->insns[idx];
	u16 *regs = &bt->regs[bt->fr];
	u32 callee;

	switch (XBPF_CLASS(insn->code)) {
	case XBPF_ALU:
	case XBPF_ALU64:
		return xbpf_bt_alu(insn, regs);
	case XBPF_LDX:
	case XBPF_STX:
	case XBPF_ST:
		return xbpf_bt_mem(insn, bt, xbpf_find_stack(h, n));
	case XBPF_LD:
		if (!(*regs & (1u << insn->dst_reg)) && !xbpf_insn_is_ld_abs(insn))
			return 0;
		if (xbpf_insn_is_lddw(insn)) {
			*regs &= ~(1u << insn->dst_reg);	/* a constant or a pointer */
			return 0;
		}
		/* LD_ABS/LD_IND: R0 loaded, R1-R5 scratched. */
		*regs &= ~1u;
		return *regs & XBPF_ARG_REGS ? XBPF_BT_GIVE_UP : 0;
	default:
		break;
	}
	switch (XBPF_OP(insn->code)) {
	case XBPF_JA:
		return 0;
	case XBPF_CALL:
		if (xbpf_insn_is_helper_call(insn)) {
			/* R0 is the helper's; R1-R5 are unreadable after it. */
			*regs &= ~1u;
			return *regs & XBPF_ARG_REGS ? XBPF_BT_GIVE_UP : 0;
		}
		if (!xbpf_insn_is_pseudo_call(insn) || !bt->fr)
			return XBPF_BT_GIVE_UP;
		/*
		 * Undone from the callee's first insn: its arguments are the
		 * caller's R1-R5; nothing else of the new frame was readable
		 * (R10 is a pointer, its stack bytes were never written).
		 */
		callee = bt->fr;
		if (bt->regs[callee] & ~(XBPF_ARG_REGS | (1u << XBPF_REG_FP)))
			return XBPF_BT_GIVE_UP;
		bt->regs[callee - 1] |= bt->regs[callee] & XBPF_ARG_REGS;
		bt->regs[callee] = 0;
		bt->slots[callee] = 0;
		bt->fr = callee - 1;
		return 0;
	case XBPF_EXIT:
		/* Undone from the insn after the call: the callee's R0 is ours. */
		if (bt->fr + 1 >= XBPF_MAX_CALL_FRAMES || (*regs & XBPF_ARG_REGS))
			return XBPF_BT_GIVE_UP;
		callee = bt->fr + 1;
		bt->regs[callee] = *regs & 1u;
		bt->slots[callee] = 0;
		*regs &= ~1u;
		bt->fr = callee;
		return 0;
	default:
		xbpf_bt_cond(insn, bt, h, n);
		return 0;
	}
}

/*
 * Undoes one segment from seg->last back to seg->first: bt then holds
 * what the state at first needed.  0, or XBPF_BT_GIVE_UP.
 */
static int xbpf_bt_segment(struct xbpf_check *c, struct xbpf_seg *s, struct xbpf_bt *bt)
{
	const struct xbpf_hist *h = s->hist;
	u32 i = s->last, n = s->n, lo;
	int err;

	while (!xbpf_bt_empty(bt)) {
		if (i == s->first && !n)
			return 0;
		if (n && h[n - 1].kind == XBPF_HIST_JMP && h[n - 1].arg == i) {
			i = h[--n].idx;
		} else {
			/* The segment starts at first: it cannot run below it. */
			if (!i)
				return XBPF_BT_GIVE_UP;
			i--;
			if (i && (c->env->aux[i].flags & XBPF_AUX_LDDW_HI))
				i--;
		}
		if (i >= c->env->len)
			return XBPF_BT_GIVE_UP;
		for (lo = n; lo && h[lo - 1].kind != XBPF_HIST_JMP && h[lo - 1].idx == i; lo--)
			;
		/* An empty history may be NULL. */
		err = xbpf_bt_insn(c, i, bt, n > lo ? &h[lo] : NULL, n - lo);
		if (err)
			return err;
		n = lo;
	}
	return 0;
}

/* The walk of bt's needs from the current insn up the recorded states. */
static int xbpf_backtrack(struct xbpf_check *c, struct xbpf_bt *bt)
{
	struct xbpf_state *st = c->cur;
	struct xbpf_explored *e = st->eparent, *below = NULL;
	struct xbpf_seg seg = {
		.hist = st->hist, .n = st->nr_hist, .first = st->first_idx, .last = c->idx,
	};
	bool fresh;
	int err;

	xbpf_mark_cur(st, bt);
	/* What the insn being checked put in the history so far is not undone. */
	while (seg.n && seg.hist[seg.n - 1].kind != XBPF_HIST_JMP &&
	       seg.hist[seg.n - 1].idx == c->idx)
		seg.n--;
	for (;;) {
		err = xbpf_bt_segment(c, &seg, bt);
		if (err < 0)
			return err;
		if (!err && xbpf_bt_empty(bt))
			return 0;
		/* The program's entry: nothing there comes from anywhere. */
		if (!err && !e)
			return 0;
		if (!err) {
			fresh = false;
			err = xbpf_mark_explored(e, bt, &fresh);
			if (!err && (!fresh || xbpf_bt_empty(bt)))
				return 0;
		}
		if (err) {
			/* Marks at and below `below` are exact; above, unknown. */
			if (!below)
				xbpf_mark_all_state(st);
			xbpf_mark_all_above(e);
			return 0;
		}
		below = e;
		seg.hist = e->hist;
		seg.n = e->nr_hist;
		seg.first = e->first_idx;
		seg.last = e->insn_idx;
		e = e->eparent;
	}
}

int xbpf_mark_precise(struct xbpf_check *c, u32 regno)
{
	struct xbpf_bt bt = {};
	const struct xbpf_reg *reg = &xbpf_cur_regs(c->cur)[regno];

	if (!xbpf_precision_on(c) || reg->type != XBPF_SCALAR)
		return 0;
	bt.fr = c->cur->curframe;
	bt.regs[bt.fr] = 1u << regno;
	return xbpf_backtrack(c, &bt);
}

int xbpf_precision_propagate(struct xbpf_check *c, const struct xbpf_explored *old,
			     const u16 *live)
{
	const struct xbpf_pframe *pf;
	struct xbpf_bt bt = {};
	u32 fr, i;

	if (!xbpf_precision_on(c))
		return 0;
	/*
	 * The registers prune.c compared (live ones) and every slot: a dead
	 * register's value decides nothing below.
	 */
	for (fr = 0; fr <= old->curframe; fr++) {
		pf = old->frames[fr];
		for (i = 0; i < XBPF_REG_FP; i++)
			if ((live[fr] & (1u << i)) && pf->regs[i].type == XBPF_SCALAR &&
			    pf->regs[i].precise)
				bt.regs[fr] |= 1u << i;
		for (i = pf->first; i < XBPF_STACK_SLOTS; i++)
			if (xbpf_slot_is_scalar_spill(&pf->slots[i - pf->first]) &&
			    pf->slots[i - pf->first].spill.precise)
				bt.slots[fr] |= 1ull << i;
	}
	if (xbpf_bt_empty(&bt))
		return 0;
	bt.fr = c->cur->curframe;
	return xbpf_backtrack(c, &bt);
}

void xbpf_precision_clear(struct xbpf_state *st)
{
	struct xbpf_frame *f;
	u32 fr, i;

	for (fr = 0; fr <= st->curframe; fr++) {
		f = st->frames[fr];
		for (i = 0; i < XBPF_REG_COUNT; i++)
			f->regs[i].precise = false;
		for (i = 0; i < XBPF_STACK_SLOTS; i++)
			f->stack[i].spill.precise = false;
	}
}

void xbpf_precision_flatten(struct xbpf_check *c)
{
	struct xbpf_state *cur = c->cur;

	/*
	 * Sound: a later backtrack that reaches the restart point only goes
	 * on into states whose scalars are all precise already, so the lost
	 * steps could not have added a mark anywhere.
	 */
	xbpf_mark_all_above(cur->eparent);
	xbpf_kvfree(cur->hist);
	cur->hist = NULL;
	cur->nr_hist = 0;
	cur->hist_cap = 0;
	cur->first_idx = c->idx;
}

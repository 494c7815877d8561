// SPDX-License-Identifier: GPL-2.0
/*
 * State pruning (docs/verifier-design.md, prune.c), in the design of
 * Linux 5.10+:
 *
 *  - At each prune point the walk's current state is compared with the
 *    states recorded there ("explored").  If a recorded one includes it
 *    and every path below the recorded one has been walked to its end,
 *    the current path is safe: whatever it can do, the recorded walk
 *    already checked.  Otherwise the current state may be recorded.
 *  - A recorded state counts the paths still running below it
 *    (branches): one when recorded, one more per branch pushed below it,
 *    one less per path that ends (exit, dead branch, pruned); at zero its
 *    parent loses one.  Only states at zero are used for pruning.  A
 *    state above zero at the current instruction is an ancestor of the
 *    current path (the walk is depth first); if it equals the current
 *    state the walk would go round forever: "infinite loop detected".
 *  - Inclusion (xbpf_state_includes) is semantic: registers live at the
 *    point (liveness.c) by type and value set, stack bytes by kind,
 *    spills as registers, ids through a one-to-one map.  For bpf_capable
 *    callers an old scalar that is not precise (precision.c) matches any
 *    scalar; precise ones, and every scalar of other callers, must be
 *    included by value.  A path pruned against a state takes over that
 *    state's precise marks (xbpf_precision_propagate): its own ancestors
 *    must keep those values exact for whatever the old walk decided.
 *    A recorded state starts without marks and takes the path's history.
 *
 * Recorded states keep only the stack slots in use; how many are kept is
 * bounded by XBPF_PRUNE_MAX_BYTES.
 */
#include "prune.h"

/* Linux's BPF_COMPLEXITY_LIMIT_STATES: unprivileged, no new state past this many. */
#define XBPF_PRUNE_MAX_STATES_PER_INSN	64
/*
 * Memory for recorded states, after which none is added (the walk goes
 * on without them, so it can only get slower, never wrong).  Linux's own
 * worst case is about 10,000 live states (1M insns over its one state
 * per 100 insns in a loop); 128 MiB holds that many even when each keeps
 * a frame with a full 512-byte stack (~8.4 KB).  Typical states are
 * ~1.3 KB plus 112 bytes per slot in use.
 */
#define XBPF_PRUNE_MAX_BYTES		((size_t)128 << 20)
/*
 * History steps (precision.c) after which a state is recorded at the
 * next prune point regardless of the heuristics, and after which, when
 * none can be recorded, the history is given up (all scalars above made
 * precise).  Each pushed branch copies up to this many 12-byte steps.
 */
#define XBPF_PRUNE_HIST_RECORD		512
#define XBPF_PRUNE_HIST_MAX		8192
/* Every id and ref_obj_id of every register and slot of every frame. */
#define XBPF_PRUNE_IDMAP_SIZE \
	(2 * XBPF_MAX_CALL_FRAMES * (XBPF_REG_COUNT + XBPF_STACK_SLOTS))

struct xbpf_prune {
	struct xbpf_explored	**heads;	/* env->len lists */
	/* Evicted while still above zero: an ancestor chain may walk them. */
	struct xbpf_explored	*free_list;
	u16			*live;		/* liveness.c: live on entry */
	size_t			bytes;
	u32			prev_jmps, prev_insns;	/* when the last state was added */
	u32			nr_ids;
	/* bpf_capable: imprecise scalars match any (otherwise all are precise) */
	bool			track_precision;
	u32			idmap[XBPF_PRUNE_IDMAP_SIZE][2];	/* old id, cur id */
};

/* ---- recording ---------------------------------------------------- */

static void xbpf_explored_free(struct xbpf_explored *e)
{
	u32 i;

	for (i = 0; i < XBPF_MAX_CALL_FRAMES; i++)
		xbpf_kfree(e->frames[i]);
	xbpf_kvfree(e->hist);
	xbpf_kfree(e);
}

static size_t xbpf_pframe_size(u32 first)
{
	return sizeof(struct xbpf_pframe) +
	       (size_t)(XBPF_STACK_SLOTS - first) * sizeof(struct xbpf_slot);
}

static size_t xbpf_explored_size(const struct xbpf_state *st)
{
	size_t sz = sizeof(struct xbpf_explored);
	u32 i;

	for (i = 0; i <= st->curframe; i++)
		sz += xbpf_pframe_size(xbpf_frame_first_slot(st->frames[i]));
	return sz;
}

static struct xbpf_explored *xbpf_explored_new(const struct xbpf_state *st, size_t bytes)
{
	struct xbpf_explored *e = xbpf_kzalloc(sizeof(*e));
	const struct xbpf_frame *f;
	struct xbpf_pframe *pf;
	u32 i, first;

	if (!e)
		return NULL;
	e->curframe = st->curframe;
	e->nr_refs = st->nr_refs;
	e->speculative = st->speculative;
	e->bytes = bytes;
	for (i = 0; i <= st->curframe; i++) {
		f = st->frames[i];
		first = xbpf_frame_first_slot(f);
		pf = xbpf_kzalloc(xbpf_pframe_size(first));
		if (!pf) {
			xbpf_explored_free(e);
			return NULL;
		}
		memcpy(pf->regs, f->regs, sizeof(pf->regs));
		memcpy(pf->tail, (const u8 *)f + XBPF_FRAME_TAIL_OFF, sizeof(pf->tail));
		pf->first = first;
		memcpy(pf->slots, &f->stack[first],
		       (XBPF_STACK_SLOTS - first) * sizeof(struct xbpf_slot));
		e->frames[i] = pf;
	}
	return e;
}

/* ---- inclusion ---------------------------------------------------- */

/*
 * Ids tie registers together (copies of one lookup's result, scalars
 * known equal).  What old relied on must hold in cur, and two references
 * must not collapse into one, so the map old -> cur is one to one; 0 (no
 * id) only matches 0.
 */
static bool xbpf_ids_match(struct xbpf_prune *pr, u32 old_id, u32 cur_id)
{
	u32 i;

	if (!old_id || !cur_id)
		return old_id == cur_id;
	for (i = 0; i < pr->nr_ids; i++) {
		if (pr->idmap[i][0] == old_id)
			return pr->idmap[i][1] == cur_id;
		if (pr->idmap[i][1] == cur_id)
			return false;
	}
	if (pr->nr_ids >= XBPF_PRUNE_IDMAP_SIZE)
		return false;
	pr->idmap[pr->nr_ids][0] = old_id;
	pr->idmap[pr->nr_ids][1] = cur_id;
	pr->nr_ids++;
	return true;
}

static bool xbpf_scalar_equal(const struct xbpf_scalar *a, const struct xbpf_scalar *b)
{
	/* Only u64/s64/u32/s32 members: no padding. */
	return !memcmp(a, b, sizeof(*a));
}

/* The pointer types whose rules use only off, s, map and frameno. */
static bool xbpf_ptr_var_ok(enum xbpf_reg_type type)
{
	switch (type) {
	case XBPF_PTR_TO_CTX:
	case XBPF_CONST_PTR_TO_MAP:
	case XBPF_PTR_TO_MAP_VALUE:
	case XBPF_PTR_TO_STACK:
		return true;
	default:
		return false;
	}
}

/* Does old stand for every value cur may hold? */
static bool xbpf_reg_includes(struct xbpf_prune *pr, const struct xbpf_reg *old,
			      const struct xbpf_reg *cur)
{
	if (old->type == XBPF_NOT_INIT)
		return true;	/* the old walk never read it */
	if (old->type != cur->type)
		return false;
	if (old->type == XBPF_SCALAR) {
		/*
		 * Nothing below old depended on its value (precision.c):
		 * any scalar will do, linked to others or not.
		 */
		if (pr->track_precision && !old->precise)
			return true;
		if (!xbpf_scalar_within(&old->s, &cur->s))
			return false;
		/* Without an id in old, cur's links to other scalars only add facts. */
		return !old->id || xbpf_ids_match(pr, old->id, cur->id);
	}
	/* Pointers: the same object at the same fixed offset. */
	if (old->flags != cur->flags || old->off != cur->off ||
	    old->frameno != cur->frameno ||
	    memcmp(&old->map, &cur->map, sizeof(old->map)))
		return false;
	if (!xbpf_ids_match(pr, old->id, cur->id) ||
	    !xbpf_ids_match(pr, old->ref_obj_id, cur->ref_obj_id))
		return false;
	if (!xbpf_ptr_var_ok(old->type))
		return xbpf_scalar_equal(&old->s, &cur->s);
	return xbpf_scalar_within(&old->s, &cur->s);
}

static bool xbpf_slot_includes(struct xbpf_prune *pr, const struct xbpf_slot *old,
			       const struct xbpf_slot *cur)
{
	u32 n = xbpf_slot_spill_size(old), cur_n = xbpf_slot_spill_size(cur), b;
	bool cur_scalar_spill = cur_n && cur->spill.type == XBPF_SCALAR;

	if (n) {
		/* A fill of the spill's size gives the register: the same size, included. */
		if (cur_n != n)
			return false;
		/* A spill is never NOT_INIT; if it were, demand the same. */
		if (old->spill.type == XBPF_NOT_INIT) {
			if (cur->spill.type != XBPF_NOT_INIT)
				return false;
		} else if (!xbpf_reg_includes(pr, &old->spill, &cur->spill)) {
			return false;
		}
	}
	/* The bytes beside a narrow spill, or all of a slot without one. */
	for (b = n; b < XBPF_SLOT_SIZE; b++) {
		switch (old->kind[b]) {
		case XBPF_SLOT_INVALID:
			continue;	/* the old walk never read it */
		case XBPF_SLOT_MISC:
			/* Bytes of a spilled scalar read as some scalar bytes, like MISC. */
			if (cur->kind[b] == XBPF_SLOT_MISC || cur->kind[b] == XBPF_SLOT_ZERO ||
			    (cur->kind[b] == XBPF_SLOT_SPILL && cur_scalar_spill))
				continue;
			return false;
		case XBPF_SLOT_ZERO:
			/*
			 * Not a spilled 0: a narrow write turns a whole spill
			 * into MISC, while ZERO bytes beside it stay zero.
			 */
			if (cur->kind[b] == XBPF_SLOT_ZERO)
				continue;
			return false;
		default:
			return false;	/* SPILL bytes outside a spill */
		}
	}
	return true;
}

/* Registers to compare in frame fr of a state at insn idx. */
static u16 xbpf_live_mask(const struct xbpf_check *c, const struct xbpf_state *cur,
			  u32 fr, u32 idx)
{
	u32 ret;

	if (fr == cur->curframe)
		return c->prune->live[idx] | XBPF_LIVE_REG(XBPF_REG_FP);
	/*
	 * A caller resumes after its call: what is live there, except R0,
	 * which the return always sets.  (R1-R5 are scratched by the call,
	 * so they are not live there in any program that passes.)
	 */
	ret = cur->frames[fr + 1]->callsite;
	if (ret >= c->env->len - 1)
		return XBPF_LIVE_ALL;
	ret++;
	return (c->prune->live[ret] & ~XBPF_LIVE_REG(0)) | XBPF_LIVE_REG(XBPF_REG_FP);
}

static bool xbpf_frame_tail_equal(const struct xbpf_pframe *pf, const struct xbpf_frame *f)
{
	const u8 *t = (const u8 *)f + XBPF_FRAME_TAIL_OFF;
	size_t a = offsetof(struct xbpf_frame, allocated) - XBPF_FRAME_TAIL_OFF;
	size_t z = a + sizeof(f->allocated);

	/*
	 * callsite, subprog and whatever is added later must match;
	 * allocated need not: both walks recorded the depths they touched.
	 */
	return !memcmp(pf->tail, t, a) && !memcmp(pf->tail + z, t + z, sizeof(pf->tail) - z);
}

static bool xbpf_state_includes(struct xbpf_check *c, const struct xbpf_explored *old,
				const struct xbpf_state *cur, u32 idx)
{
	struct xbpf_prune *pr = c->prune;
	const struct xbpf_pframe *pf;
	const struct xbpf_frame *f;
	u32 fr, r, i;
	u16 mask;

	if (old->curframe != cur->curframe)
		return false;
	/*
	 * A speculative path (sanitize.c) only checks accesses and records
	 * no Spectre marks, so it cannot stand in for a real one.
	 */
	if (old->speculative && !cur->speculative)
		return false;
	/*
	 * References (refs.c): no pruning while either state holds one.
	 * Comparing the lists through the id map would allow it; until
	 * then this is the sound choice.
	 */
	if (old->nr_refs || cur->nr_refs)
		return false;
	pr->nr_ids = 0;
	for (fr = 0; fr <= cur->curframe; fr++) {
		pf = old->frames[fr];
		f = cur->frames[fr];
		if (!xbpf_frame_tail_equal(pf, f))
			return false;
		mask = xbpf_live_mask(c, cur, fr, idx);
		for (r = 0; r < XBPF_REG_COUNT; r++)
			if ((mask & XBPF_LIVE_REG(r)) &&
			    !xbpf_reg_includes(pr, &pf->regs[r], &f->regs[r]))
				return false;
		/* Every slot: stack liveness is not tracked. */
		for (i = pf->first; i < XBPF_STACK_SLOTS; i++)
			if (!xbpf_slot_includes(pr, &pf->slots[i - pf->first], &f->stack[i]))
				return false;
	}
	return true;
}

/* c->cur matched old: what old needed exactly, c->cur's path needs too. */
static int xbpf_prune_propagate(struct xbpf_check *c, const struct xbpf_explored *old, u32 idx)
{
	u16 live[XBPF_MAX_CALL_FRAMES] = {};
	u32 fr;

	if (!c->prune->track_precision)
		return 0;
	for (fr = 0; fr <= old->curframe; fr++)
		live[fr] = xbpf_live_mask(c, c->cur, fr, idx);
	return xbpf_precision_propagate(c, old, live);
}

static bool xbpf_reg_exact(const struct xbpf_reg *a, const struct xbpf_reg *b)
{
	return a->type == b->type && a->flags == b->flags && a->off == b->off &&
	       a->id == b->id && a->ref_obj_id == b->ref_obj_id &&
	       a->frameno == b->frameno && !memcmp(&a->map, &b->map, sizeof(a->map)) &&
	       xbpf_scalar_equal(&a->s, &b->s);
}

/* Linux's states_maybe_looping: the current frame's registers are identical. */
static bool xbpf_maybe_looping(const struct xbpf_explored *old, const struct xbpf_state *cur)
{
	const struct xbpf_pframe *pf;
	const struct xbpf_reg *regs;
	u32 r;

	if (old->curframe != cur->curframe)
		return false;
	pf = old->frames[cur->curframe];
	regs = xbpf_cur_regs(cur);
	for (r = 0; r < XBPF_REG_COUNT; r++)
		if (!xbpf_reg_exact(&pf->regs[r], &regs[r]))
			return false;
	return true;
}

/* ---- the walk's hooks --------------------------------------------- */

int xbpf_prune_init(struct xbpf_check *c)
{
	struct xbpf_verifier_env *env = c->env;
	const struct xbpf_insn *insn;
	struct xbpf_prune *pr;
	u32 i;
	u8 op;

	pr = xbpf_kzalloc(sizeof(*pr));
	if (!pr)
		return -ENOMEM;
	c->prune = pr;
	pr->heads = xbpf_kvzalloc(sizeof(*pr->heads) * (size_t)env->len);
	if (!pr->heads)
		return -ENOMEM;
	pr->track_precision = env->caps.bpf_capable;
	pr->live = xbpf_liveness(env);
	if (!pr->live)
		return -ENOMEM;

	/* Where paths join: jump targets, loop heads, after a conditional jump. */
	for (i = 0; i < env->len; i++) {
		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			continue;
		if (env->aux[i].flags & (XBPF_AUX_JMP_TARGET | XBPF_AUX_BACK_EDGE_DST))
			env->aux[i].flags |= XBPF_AUX_PRUNE_POINT;
		insn = &env->insns[i];
		op = XBPF_OP(insn->code);
		if (xbpf_insn_is_jump(insn) && op != XBPF_JA && i + 1 < env->len)
			env->aux[i + 1].flags |= XBPF_AUX_PRUNE_POINT;
	}
	env->max_states_per_insn = 0;
	env->total_states = 0;
	env->peak_states = 0;
	return 0;
}

void xbpf_prune_free(struct xbpf_check *c)
{
	struct xbpf_prune *pr = c->prune;
	struct xbpf_explored *e;
	u32 i;

	if (!pr)
		return;
	for (i = 0; pr->heads && i < c->env->len; i++) {
		while ((e = pr->heads[i])) {
			pr->heads[i] = e->next;
			xbpf_explored_free(e);
		}
	}
	while ((e = pr->free_list)) {
		pr->free_list = e->next;
		xbpf_explored_free(e);
	}
	xbpf_kvfree(pr->heads);
	xbpf_kvfree(pr->live);
	xbpf_kfree(pr);
	c->prune = NULL;
}

void xbpf_prune_branch(struct xbpf_check *c, struct xbpf_state *st)
{
	st->eparent = c->cur->eparent;
	if (st->eparent)
		st->eparent->branches++;
}

void xbpf_prune_path_end(struct xbpf_check *c)
{
	struct xbpf_explored *e = c->cur->eparent;

	/* A state at zero is complete: its parent has one path less. */
	while (e) {
		if (WARN_ON_ONCE(!e->branches))
			break;
		if (--e->branches)
			break;
		e = e->eparent;
	}
	c->cur->eparent = NULL;
}

static void xbpf_prune_evict(struct xbpf_check *c, struct xbpf_explored *e)
{
	struct xbpf_prune *pr = c->prune;

	if (e->branches) {
		e->next = pr->free_list;
		pr->free_list = e;
		return;
	}
	pr->bytes -= e->bytes;
	c->env->peak_states--;
	xbpf_explored_free(e);
}

int xbpf_prune_visit(struct xbpf_check *c)
{
	struct xbpf_verifier_env *env = c->env;
	struct xbpf_prune *pr = c->prune;
	struct xbpf_state *cur = c->cur;
	struct xbpf_explored **pp, *e;
	u32 idx = c->idx, n = 0;
	bool add, force;
	size_t sz;
	int err;

	/*
	 * Linux's heuristics: record a state only every 2 jumps and 8 insns
	 * (every time with BPF_F_TEST_STATE_FREQ), inside a loop every 20
	 * jumps or 100 insns; they bound memory, never soundness.
	 */
	add = (env->p->prog_flags & XBPF_F_TEST_STATE_FREQ) ||
	      (c->jmps_processed - pr->prev_jmps >= 2 &&
	       env->insn_processed - pr->prev_insns >= 8);
	/*
	 * Every pushed branch copies the path's history (precision.c), so a
	 * path must not go far without a recorded state: past
	 * XBPF_PRUNE_HIST_RECORD steps one is recorded here whatever the
	 * heuristics say (a loop whose states are recorded only on the arm
	 * that leaves it would otherwise copy an ever longer history at
	 * every iteration: quadratic time).
	 */
	force = cur->nr_hist >= XBPF_PRUNE_HIST_RECORD;
	add = add || force;

	pp = &pr->heads[idx];
	while ((e = *pp)) {
		n++;
		if (e->branches) {
			/* An ancestor of this path (depth first): going round? */
			if (xbpf_maybe_looping(e, cur) && xbpf_state_includes(c, e, cur, idx)) {
				xbpf_verbose(env, "infinite loop detected at insn %u\n", idx);
				return -EINVAL;
			}
			if (c->jmps_processed - pr->prev_jmps < 20 &&
			    env->insn_processed - pr->prev_insns < 100 && !force)
				add = false;
			goto miss;
		}
		if (xbpf_state_includes(c, e, cur, idx)) {
			e->hit_cnt++;
			err = xbpf_prune_propagate(c, e, idx);
			return err ?: 1;
		}
miss:
		/* Drop states that keep failing to match (Linux's ratio). */
		if (add)
			e->miss_cnt++;
		if (e->miss_cnt > e->hit_cnt * 3 + 3) {
			*pp = e->next;
			xbpf_prune_evict(c, e);
			continue;
		}
		pp = &e->next;
	}
	if (env->max_states_per_insn < n)
		env->max_states_per_insn = n;
	if (!add || (!env->caps.bpf_capable && n > XBPF_PRUNE_MAX_STATES_PER_INSN))
		goto no_record;
	sz = xbpf_explored_size(cur);
	if (pr->bytes + sz > XBPF_PRUNE_MAX_BYTES)
		goto no_record;

	/* The marks cur carries were needed above here; below, none yet. */
	if (pr->track_precision)
		xbpf_precision_clear(cur);
	e = xbpf_explored_new(cur, sz);
	if (!e)
		return -ENOMEM;
	/* The path to here belongs to e; cur's starts anew at idx. */
	e->hist = cur->hist;
	e->nr_hist = cur->nr_hist;
	e->first_idx = cur->first_idx;
	e->bytes += cur->hist_cap * sizeof(*cur->hist);
	sz = e->bytes;
	cur->hist = NULL;
	cur->nr_hist = 0;
	cur->hist_cap = 0;
	cur->first_idx = idx;
	/* This path is the one path below it so far. */
	e->branches = 1;
	e->insn_idx = idx;
	e->eparent = cur->eparent;
	cur->eparent = e;
	e->next = pr->heads[idx];
	pr->heads[idx] = e;
	pr->bytes += sz;
	pr->prev_jmps = c->jmps_processed;
	pr->prev_insns = env->insn_processed;
	env->total_states++;
	env->peak_states++;
	return 0;

no_record:
	/* No state could take the history: keep its copies bounded anyway. */
	if (pr->track_precision && cur->nr_hist >= XBPF_PRUNE_HIST_MAX)
		xbpf_precision_flatten(c);
	return 0;
}

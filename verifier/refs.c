// SPDX-License-Identifier: GPL-2.0
/*
 * Acquired references (docs/verifier-design.md, refs.c): objects a helper
 * hands out that the program must give back, today ring buffer records.
 *
 * Invariants:
 *   - st->refs lists every reference acquired and not yet released on
 *     this path, whatever frame acquired it (a reference survives a
 *     subprogram's exit; only the main program's exit checks for leaks);
 *   - every register or spilled slot pointing into the object has
 *     ref_obj_id == the reference's id, so a release reaches all copies;
 *   - after a release no register or slot carries that ref_obj_id.
 */
#include "check.h"

/* An xbpf bound (Linux has none): keeps each state's copy small. */
#define XBPF_MAX_REFS	1024

int xbpf_ref_acquire(struct xbpf_check *c, u32 *id)
{
	struct xbpf_state *st = c->cur;
	struct xbpf_ref *refs;

	if (st->nr_refs >= XBPF_MAX_REFS)
		return xbpf_reject(c, -E2BIG, "too many acquired references (more than %u)\n",
				   XBPF_MAX_REFS);
	refs = xbpf_kzalloc((st->nr_refs + 1) * sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	if (st->nr_refs)
		memcpy(refs, st->refs, st->nr_refs * sizeof(*refs));
	xbpf_kfree(st->refs);
	st->refs = refs;
	*id = ++c->id_gen;
	refs[st->nr_refs].id = *id;
	refs[st->nr_refs].insn_idx = c->idx;
	st->nr_refs++;
	return 0;
}

bool xbpf_ref_drop(struct xbpf_state *st, u32 id)
{
	u32 i;

	for (i = 0; i < st->nr_refs; i++) {
		if (st->refs[i].id != id)
			continue;
		/* Order is irrelevant: the last entry fills the hole. */
		st->refs[i] = st->refs[st->nr_refs - 1];
		st->nr_refs--;
		return true;
	}
	return false;
}

/* Linux: not-init without allow_ptr_leaks, else an unknown scalar. */
static void xbpf_ref_invalidate(struct xbpf_check *c, struct xbpf_reg *reg, u32 id)
{
	if (reg->ref_obj_id != id)
		return;
	if (c->env->caps.allow_ptr_leaks)
		xbpf_reg_mark_unknown(reg);
	else
		xbpf_reg_mark_not_init(reg);
}

int xbpf_ref_release(struct xbpf_check *c, u32 id)
{
	struct xbpf_state *st = c->cur;
	struct xbpf_frame *f;
	u32 i, j;

	if (!id || !xbpf_ref_drop(st, id))
		return -EINVAL;
	/*
	 * Every copy, in every frame, registers and spills alike.  A spilled
	 * copy keeps its SPILL bytes: mem.c treats a spill that is not a
	 * scalar as a pointer, so the stale address cannot be read back
	 * unless the caller may see pointers.
	 */
	for (i = 0; i <= st->curframe; i++) {
		f = st->frames[i];
		for (j = 0; j < XBPF_REG_COUNT; j++)
			xbpf_ref_invalidate(c, &f->regs[j], id);
		for (j = 0; j < XBPF_STACK_SLOTS; j++)
			if (f->stack[j].kind[0] == XBPF_SLOT_SPILL)
				xbpf_ref_invalidate(c, &f->stack[j].spill, id);
	}
	return 0;
}

int xbpf_ref_check_none(struct xbpf_check *c)
{
	const struct xbpf_state *st = c->cur;
	u32 i;

	if (!st->nr_refs)
		return 0;
	if (!xbpf_log_insns(c->env))
		xbpf_verbose_insn(c->env, c->idx);
	for (i = 0; i < st->nr_refs; i++)
		xbpf_verbose(c->env, "Unreleased reference id=%u alloc_insn=%u\n",
			     st->refs[i].id, st->refs[i].insn_idx);
	return -EINVAL;
}

int xbpf_ref_check_leak(struct xbpf_check *c)
{
	if (c->cur->curframe)
		return 0;
	return xbpf_ref_check_none(c);
}

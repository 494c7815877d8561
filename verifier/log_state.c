// SPDX-License-Identifier: GPL-2.0
/*
 * The walk's log (log_state.h): the abstract state printed in the notation
 * of Linux 6.1's verifier log, which people and tools (veristat, test
 * harnesses grepping "R0=...") already read, and the per-instruction
 * trace around it.  The code is xbpf's; the output format is Linux's.
 */
#include "check.h"

/* Where the ';' before an instruction's state goes (Linux's columns). */
#define XBPF_LOG_ALIGNMENT	40U

static const char xbpf_slot_chars[] = {
	[XBPF_SLOT_INVALID]	= '?',
	[XBPF_SLOT_MISC]	= 'm',
	[XBPF_SLOT_ZERO]	= '0',
	[XBPF_SLOT_SPILL]	= 'r',
};

/* "map_value", with Linux's prefixes and suffix for the flags. */
static void xbpf_log_type_str(const struct xbpf_reg *reg, char *buf, size_t size)
{
	const char *prefix = "", *suffix = "";

	if (reg->flags & XBPF_REG_RDONLY)
		prefix = "rdonly_";
	if (reg->flags & XBPF_REG_ALLOC)
		prefix = "alloc_";
	if (reg->flags & XBPF_REG_OR_NULL)
		suffix = reg->type == XBPF_PTR_TO_BTF_ID ? "or_null_" : "_or_null";
	snprintf(buf, size, "%s%s%s", prefix, xbpf_reg_type_name(reg->type), suffix);
}

static bool xbpf_log_has_map(enum xbpf_reg_type t)
{
	return t == XBPF_CONST_PTR_TO_MAP || t == XBPF_PTR_TO_MAP_KEY ||
	       t == XBPF_PTR_TO_MAP_VALUE;
}

static bool xbpf_log_is_pkt(enum xbpf_reg_type t)
{
	return t == XBPF_PTR_TO_PACKET || t == XBPF_PTR_TO_PACKET_META;
}

/* Appends ",text" (no comma the first time) inside a "type(...)". */
#define xbpf_log_attr(env, first, fmt, ...) do {			\
	xbpf_verbose(env, "%s" fmt, *(first) ? "" : ",", ##__VA_ARGS__); \
	*(first) = false;						\
} while (0)

/*
 * The bounds a scalar (or a pointer's variable part) has beyond what its
 * other views imply, as Linux prints them: a signed bound only where it
 * differs from the unsigned one and is not the type's limit, the 32-bit
 * bounds only where they differ from the 64-bit ones.  The comparisons
 * mix signedness exactly as Linux's do (smin against umin as u64), and
 * u32_min/u32_max print as %d, as in 6.1, so the text is the same.
 */
static void xbpf_log_bounds(struct xbpf_verifier_env *env, const struct xbpf_scalar *s,
			    bool *first)
{
	if ((u64)s->smin != s->umin && s->smin != S64_MIN)
		xbpf_log_attr(env, first, "smin=%lld", (long long)s->smin);
	if ((u64)s->smax != s->umax && s->smax != S64_MAX)
		xbpf_log_attr(env, first, "smax=%lld", (long long)s->smax);
	if (s->umin)
		xbpf_log_attr(env, first, "umin=%llu", (unsigned long long)s->umin);
	if (s->umax != U64_MAX)
		xbpf_log_attr(env, first, "umax=%llu", (unsigned long long)s->umax);
	/* The kernel's %#llx prints 0 as 0x0; userspace's as 0. */
	if (!xbpf_tnum_is_unknown(s->var))
		xbpf_log_attr(env, first, "var_off=(0x%llx; 0x%llx)",
			      (unsigned long long)s->var.value,
			      (unsigned long long)s->var.mask);
	if ((s64)s->s32_min != s->smin && s->s32_min != S32_MIN)
		xbpf_log_attr(env, first, "s32_min=%d", s->s32_min);
	if ((s64)s->s32_max != s->smax && s->s32_max != S32_MAX)
		xbpf_log_attr(env, first, "s32_max=%d", s->s32_max);
	if ((u64)s->u32_min != s->umin && s->u32_min)
		xbpf_log_attr(env, first, "u32_min=%d", (int)s->u32_min);
	if ((u64)s->u32_max != s->umax && s->u32_max != U32_MAX)
		xbpf_log_attr(env, first, "u32_max=%d", (int)s->u32_max);
}

/* One register's value, after "Rn=": "5", "fp-8", "ctx(off=0,imm=0)", ... */
static void xbpf_log_reg(struct xbpf_verifier_env *env, const struct xbpf_reg *reg)
{
	const struct xbpf_scalar *s = &reg->s;
	bool scalar = reg->type == XBPF_SCALAR;
	bool first = true;
	char type[32];

	xbpf_log_type_str(reg, type, sizeof(type));
	if (scalar && reg->precise)
		xbpf_verbose(env, "P");
	if ((scalar || reg->type == XBPF_PTR_TO_STACK) && xbpf_scalar_is_const(s)) {
		xbpf_verbose(env, "%s%lld", scalar ? "" : type,
			     (long long)(s->var.value + (s64)reg->off));
		return;
	}
	xbpf_verbose(env, "%s(", type);
	/*
	 * Linux clears a pointer's id once its null check is done; xbpf keeps
	 * it (refs.c), so only or-null pointers and scalars show theirs.
	 */
	if (reg->id && (scalar || (reg->flags & XBPF_REG_OR_NULL)))
		xbpf_log_attr(env, &first, "id=%u", reg->id);
	if (reg->ref_obj_id &&
	    (reg->type == XBPF_PTR_TO_MEM || reg->type == XBPF_PTR_TO_BTF_ID))
		xbpf_log_attr(env, &first, "ref_obj_id=%u", reg->ref_obj_id);
	if (!scalar)
		xbpf_log_attr(env, &first, "off=%d", reg->off);
	if (xbpf_log_is_pkt(reg->type))
		xbpf_log_attr(env, &first, "r=%u", reg->range);
	else if (xbpf_log_has_map(reg->type) && reg->map)
		xbpf_log_attr(env, &first, "ks=%u,vs=%u", reg->map->key_size,
			      reg->map->value_size);
	if (xbpf_scalar_is_const(s))
		xbpf_log_attr(env, &first, "imm=%llx", (unsigned long long)s->var.value);
	else
		xbpf_log_bounds(env, s, &first);
	xbpf_verbose(env, ")");
}

/* A slot holding a whole spilled register, or its bytes' kinds. */
static void xbpf_log_slot(struct xbpf_verifier_env *env, const struct xbpf_slot *slot)
{
	const struct xbpf_reg *reg = &slot->spill;
	char kinds[XBPF_SLOT_SIZE + 1];
	char type[32];
	u32 j;

	if (slot->kind[0] == XBPF_SLOT_SPILL) {
		/* Linux shows a spill's type only, or a constant's value. */
		xbpf_log_type_str(reg, type, sizeof(type));
		xbpf_verbose(env, "=%s", reg->type == XBPF_SCALAR ? "" : type);
		if (reg->type == XBPF_SCALAR && reg->precise)
			xbpf_verbose(env, "P");
		if (reg->type == XBPF_SCALAR && xbpf_scalar_is_const(&reg->s))
			xbpf_verbose(env, "%lld", (long long)reg->s.var.value);
		return;
	}
	/* Linux lists a slot's bytes from its highest address down. */
	for (j = 0; j < XBPF_SLOT_SIZE; j++)
		kinds[j] = xbpf_slot_chars[slot->kind[XBPF_SLOT_SIZE - 1 - j] & 3];
	kinds[XBPF_SLOT_SIZE] = '\0';
	xbpf_verbose(env, "=%s", kinds);
}

static bool xbpf_slot_written(const struct xbpf_slot *slot)
{
	u32 j;

	for (j = 0; j < XBPF_SLOT_SIZE; j++)
		if (slot->kind[j] != XBPF_SLOT_INVALID)
			return true;
	return false;
}

void xbpf_log_frame(struct xbpf_verifier_env *env, const struct xbpf_state *st,
		    u32 frameno, u32 regs, u64 slots)
{
	const struct xbpf_frame *f = st->frames[frameno];
	const struct xbpf_slot *slot;
	u32 i, spi;

	if (frameno)
		xbpf_verbose(env, " frame%u:", frameno);
	for (i = 0; i < XBPF_REG_COUNT; i++) {
		if (f->regs[i].type == XBPF_NOT_INIT || !(regs & BIT(i)))
			continue;
		xbpf_verbose(env, " R%u=", i);
		xbpf_log_reg(env, &f->regs[i]);
	}
	/* By fp offset, fp-8 first: slot spi is at fp - 8 * (spi + 1). */
	for (spi = 0; spi < XBPF_STACK_SLOTS; spi++) {
		slot = &f->stack[XBPF_STACK_SLOTS - 1 - spi];
		if (!xbpf_slot_written(slot) || !(slots & BIT_ULL(spi)))
			continue;
		xbpf_verbose(env, " fp-%u", (spi + 1) * XBPF_SLOT_SIZE);
		xbpf_log_slot(env, slot);
	}
	for (i = 0; i < st->nr_refs; i++)
		xbpf_verbose(env, "%s%u", i ? "," : " refs=", st->refs[i].id);
	xbpf_verbose(env, "\n");
}

/* ---- the walk's trace --------------------------------------------- */

/* Spaces that put the ';' after an insn line of len bytes on Linux's column. */
static u32 xbpf_log_align(u32 len)
{
	u32 col = max_t(u32, len + XBPF_LOG_MIN_ALIGNMENT / 2, XBPF_LOG_ALIGNMENT);

	return DIV_ROUND_UP(col, XBPF_LOG_MIN_ALIGNMENT) * XBPF_LOG_MIN_ALIGNMENT - len - 1;
}

/*
 * The touched registers and slots: on the last insn's line when nothing
 * came after it ("...  ; R0=5"), else on a line of their own ("3: R0=5").
 */
static void xbpf_log_touched(struct xbpf_check *c, u32 idx)
{
	struct xbpf_verifier_env *env = c->env;
	struct xbpf_log_walk *lw = &c->log;
	u64 pos = xbpf_log_pos(env->log);

	if (lw->prev_pos && lw->prev_pos == pos) {
		xbpf_log_reset(env->log, pos - 1);	/* the newline */
		xbpf_verbose(env, "%*c;", (int)xbpf_log_align(lw->prev_len), ' ');
	} else {
		xbpf_verbose(env, "%u:", idx);
	}
	xbpf_log_frame(env, c->cur, c->cur->curframe, lw->regs, lw->slots);
	lw->regs = 0;
	lw->slots = 0;
}

void xbpf_log_walk_start(struct xbpf_check *c)
{
	c->log.regs = XBPF_LOG_ALL_REGS;
	c->log.slots = XBPF_LOG_ALL_SLOTS;
}

void xbpf_log_walk_insn(struct xbpf_check *c)
{
	struct xbpf_verifier_env *env = c->env;
	struct xbpf_log_walk *lw = &c->log;
	u64 start;

	if (!xbpf_log_insns(env))
		return;
	if (lw->from && xbpf_log_level2(env)) {
		xbpf_verbose(env, "\nfrom %u to %u:", lw->from_idx, c->idx);
		xbpf_log_frame(env, c->cur, c->cur->curframe, XBPF_LOG_ALL_REGS,
			       XBPF_LOG_ALL_SLOTS);
	}
	lw->from = false;
	if (lw->regs || lw->slots)
		xbpf_log_touched(c, c->idx);
	start = xbpf_log_pos(env->log);
	xbpf_verbose_insn(env, c->idx);
	lw->prev_pos = xbpf_log_pos(env->log);
	lw->prev_len = (u32)(lw->prev_pos - start);
}

/* The stack slot a store at insn writes, as a bit by spi, or 0. */
static u64 xbpf_log_store_slot(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	const struct xbpf_reg *base = &xbpf_cur_regs(c->cur)[insn->dst_reg];
	s64 off;

	/* Only the current frame's slots are printed (as in Linux). */
	if (base->type != XBPF_PTR_TO_STACK || !xbpf_scalar_is_const(&base->s) ||
	    base->frameno != c->cur->curframe)
		return 0;
	off = (s64)base->s.var.value + base->off + insn->off;
	if (off >= 0 || off < -XBPF_MAX_STACK)
		return 0;
	return BIT_ULL((-off - 1) / XBPF_SLOT_SIZE);
}

/*
 * The registers (and slots) an insn touches: those Linux passes to
 * check_reg_arg for it (its operands, R0-R5 for a call, R0 at exit...)
 * and the stack slot a store writes.
 */
static void xbpf_log_touch(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	u8 class = XBPF_CLASS(insn->code), op = XBPF_OP(insn->code);
	bool x = XBPF_SRC(insn->code) == XBPF_X;
	u32 regs = 0;

	switch (class) {
	case XBPF_ALU:
	case XBPF_ALU64:
		regs = BIT(insn->dst_reg);
		if (x && op != XBPF_NEG && op != XBPF_END)
			regs |= BIT(insn->src_reg);
		break;
	case XBPF_LDX:
		regs = BIT(insn->dst_reg) | BIT(insn->src_reg);
		break;
	case XBPF_ST:
	case XBPF_STX:
		regs = BIT(insn->dst_reg);
		if (class == XBPF_STX)
			regs |= BIT(insn->src_reg);
		if (XBPF_MODE(insn->code) == XBPF_ATOMIC && insn->imm == XBPF_CMPXCHG)
			regs |= BIT(0);
		c->log.slots |= xbpf_log_store_slot(c, insn);
		break;
	case XBPF_LD:
		if (xbpf_insn_is_lddw(insn)) {
			regs = BIT(insn->dst_reg);
			break;
		}
		/* R6 is the context; R0-R5 are clobbered. */
		regs = 0x7f;
		if (XBPF_MODE(insn->code) == XBPF_IND)
			regs |= BIT(insn->src_reg);
		break;
	default:
		if (op == XBPF_CALL)
			regs = 0x3f;	/* R0-R5 */
		else if (op == XBPF_EXIT)
			regs = BIT(0);
		else if (op != XBPF_JA)
			regs = BIT(insn->dst_reg) | (x ? BIT(insn->src_reg) : 0);
		break;
	}
	c->log.regs |= regs;
}

void xbpf_log_walk_done(struct xbpf_check *c, bool ended)
{
	const struct xbpf_insn *insn = &c->env->insns[c->idx];

	if (!xbpf_log_insns(c->env) || ended)
		return;
	xbpf_log_touch(c, insn);
	/* Linux prints a jump's state at once, before a pruned target's line. */
	if (xbpf_insn_is_jump(insn) && !xbpf_insn_is_ja(insn))
		xbpf_log_touched(c, c->idx);
	/* A subprogram's return starts the caller's path again (level 2). */
	if (XBPF_OP(insn->code) == XBPF_EXIT && xbpf_insn_is_jmp_class(insn)) {
		c->log.from = true;
		c->log.from_idx = c->idx;
	}
}

void xbpf_log_walk_pop(struct xbpf_check *c)
{
	struct xbpf_verifier_env *env = c->env;

	/*
	 * Level 2 keeps the explored branch's log; the others drop it.  The
	 * state was pushed right after its jump's line, whose newline the
	 * fall-through's state then replaced: put the newline back (Linux
	 * 6.1 leaves the next line glued to the jump's there).
	 */
	if (xbpf_log_insns(env) && !xbpf_log_level2(env) && c->cur->log_pos) {
		xbpf_log_reset(env->log, c->cur->log_pos - 1);
		xbpf_verbose(env, "\n");
	} else if (!xbpf_log_level2(env)) {
		xbpf_log_reset(env->log, c->cur->log_pos);
	}
	c->log.from = true;
	c->log.from_idx = c->cur->prev_insn_idx;
	/* Nothing printed since can be the last insn's line: start a new one. */
	c->log.prev_pos = 0;
	xbpf_log_walk_start(c);
}

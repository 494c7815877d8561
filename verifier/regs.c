// SPDX-License-Identifier: GPL-2.0
/*
 * Register and state bookkeeping for the abstract interpreter: marking
 * registers, the entry state, copying states.  Pointer arithmetic rules
 * live in check.c for now (constant offsets on stack and ctx only).
 */
#include "state.h"

static const char * const xbpf_reg_type_names[XBPF_REG_TYPE_MAX] = {
	[XBPF_NOT_INIT]			= "?",
	[XBPF_SCALAR]			= "scalar",
	[XBPF_PTR_TO_CTX]		= "ctx",
	[XBPF_CONST_PTR_TO_MAP]		= "map_ptr",
	[XBPF_PTR_TO_MAP_VALUE]		= "map_value",
	[XBPF_PTR_TO_MAP_KEY]		= "map_key",
	[XBPF_PTR_TO_STACK]		= "fp",
	[XBPF_PTR_TO_PACKET]		= "pkt",
	[XBPF_PTR_TO_PACKET_META]	= "pkt_meta",
	[XBPF_PTR_TO_PACKET_END]	= "pkt_end",
	[XBPF_PTR_TO_MEM]		= "mem",
	[XBPF_PTR_TO_BTF_ID]		= "ptr_",
	[XBPF_PTR_TO_SOCK_COMMON]	= "sock_common",
};

const char *xbpf_reg_type_name(enum xbpf_reg_type type)
{
	if ((unsigned int)type >= XBPF_REG_TYPE_MAX)
		return "unknown";
	return xbpf_reg_type_names[type];
}

const char *xbpf_reg_name(const struct xbpf_reg *reg)
{
	bool or_null = reg->flags & XBPF_REG_OR_NULL;

	/* Only map values, memory and sockets can be or-null so far. */
	if (or_null && reg->type == XBPF_PTR_TO_MAP_VALUE)
		return "map_value_or_null";
	if (or_null && reg->type == XBPF_PTR_TO_SOCK_COMMON)
		return "sock_common_or_null";
	if (reg->type == XBPF_PTR_TO_MEM && (reg->flags & XBPF_REG_ALLOC))
		return or_null ? "alloc_mem_or_null" : "alloc_mem";
	if (reg->type == XBPF_PTR_TO_MEM && or_null)
		return "mem_or_null";
	return xbpf_reg_type_name(reg->type);
}

void xbpf_reg_mark_not_init(struct xbpf_reg *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = XBPF_NOT_INIT;
	/* Keep s printable and normalised even where it means nothing. */
	xbpf_scalar_set_unknown(&reg->s);
}

void xbpf_reg_mark_scalar(struct xbpf_reg *reg, const struct xbpf_scalar *s)
{
	/* A scalar shares nothing with what the register held before. */
	memset(reg, 0, sizeof(*reg));
	reg->type = XBPF_SCALAR;
	reg->s = *s;
}

void xbpf_reg_mark_unknown(struct xbpf_reg *reg)
{
	struct xbpf_scalar s;

	xbpf_scalar_set_unknown(&s);
	xbpf_reg_mark_scalar(reg, &s);
}

void xbpf_reg_mark_known(struct xbpf_reg *reg, u64 v)
{
	struct xbpf_scalar s;

	xbpf_scalar_set_const(&s, v);
	xbpf_reg_mark_scalar(reg, &s);
}

void xbpf_reg_mark_ptr(struct xbpf_reg *reg, enum xbpf_reg_type type, s32 off)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = type;
	reg->off = off;
	xbpf_scalar_set_const(&reg->s, 0);
}

static struct xbpf_frame *xbpf_frame_alloc(void)
{
	struct xbpf_frame *f = xbpf_kzalloc(sizeof(*f));
	int i;

	if (!f)
		return NULL;
	/* Zeroed memory already means INVALID stack bytes. */
	for (i = 0; i < XBPF_REG_COUNT; i++)
		xbpf_reg_mark_not_init(&f->regs[i]);
	return f;
}

struct xbpf_state *xbpf_state_alloc(void)
{
	struct xbpf_state *st = xbpf_kzalloc(sizeof(*st));

	if (!st)
		return NULL;
	st->frames[0] = xbpf_frame_alloc();
	if (!st->frames[0]) {
		xbpf_kfree(st);
		return NULL;
	}
	return st;
}

void xbpf_state_free(struct xbpf_state *st)
{
	u32 i;

	if (!st)
		return;
	for (i = 0; i < XBPF_MAX_CALL_FRAMES; i++)
		xbpf_kfree(st->frames[i]);
	xbpf_kfree(st->refs);
	xbpf_kvfree(st->hist);
	xbpf_kfree(st);
}

u32 xbpf_frame_first_slot(const struct xbpf_frame *f)
{
	u32 i, b;

	/* Slots fill from fp downwards: the lowest one in use ends the scan. */
	for (i = 0; i < XBPF_STACK_SLOTS; i++)
		for (b = 0; b < XBPF_SLOT_SIZE; b++)
			if (f->stack[i].kind[b] != XBPF_SLOT_INVALID)
				return i;
	return XBPF_STACK_SLOTS;
}

void xbpf_frame_copy(struct xbpf_frame *dst, const struct xbpf_frame *src)
{
	u32 first = xbpf_frame_first_slot(src);
	size_t from = (const char *)&src->stack[first] - (const char *)src;

	/*
	 * Everything but the slots below the lowest one in use, which carry
	 * nothing (state.h) and are left as dst has them (zeroed: INVALID).
	 * Most programs touch a few slots of 64, so this saves most of 8 KB.
	 */
	memcpy(dst, src, offsetof(struct xbpf_frame, stack));
	memcpy((char *)dst + from, (const char *)src + from, sizeof(*src) - from);
}

struct xbpf_state *xbpf_state_dup(const struct xbpf_state *src)
{
	struct xbpf_state *st = xbpf_kzalloc(sizeof(*st));
	u32 i;

	if (!st)
		return NULL;
	for (i = 0; i <= src->curframe; i++) {
		st->frames[i] = xbpf_kzalloc(sizeof(*st->frames[i]));
		if (!st->frames[i]) {
			xbpf_state_free(st);
			return NULL;
		}
		xbpf_frame_copy(st->frames[i], src->frames[i]);
	}
	st->curframe = src->curframe;
	/* Each state owns its list of acquired references. */
	if (src->nr_refs) {
		st->refs = xbpf_kzalloc(src->nr_refs * sizeof(*st->refs));
		if (!st->refs) {
			xbpf_state_free(st);
			return NULL;
		}
		memcpy(st->refs, src->refs, src->nr_refs * sizeof(*st->refs));
		st->nr_refs = src->nr_refs;
	}
	/* The copy walks on from the same path: it needs the same history. */
	if (src->nr_hist) {
		st->hist = xbpf_kvzalloc(src->nr_hist * sizeof(*st->hist));
		if (!st->hist) {
			xbpf_state_free(st);
			return NULL;
		}
		memcpy(st->hist, src->hist, src->nr_hist * sizeof(*st->hist));
		st->nr_hist = src->nr_hist;
		st->hist_cap = src->nr_hist;
	}
	st->first_idx = src->first_idx;
	st->insn_idx = src->insn_idx;
	st->speculative = src->speculative;
	st->parent = NULL;
	/* Only check.c's push counts a copy as a path below the recorded state. */
	st->eparent = NULL;
	return st;
}

void xbpf_state_init_entry(struct xbpf_state *st, u32 prog_type)
{
	struct xbpf_reg *regs = xbpf_cur_regs(st);
	struct xbpf_scalar s;
	int i;

	for (i = 0; i < XBPF_REG_COUNT; i++)
		xbpf_reg_mark_not_init(&regs[i]);
	xbpf_reg_mark_ptr(&regs[1], XBPF_PTR_TO_CTX, 0);
	xbpf_reg_mark_ptr(&regs[XBPF_REG_FP], XBPF_PTR_TO_STACK, 0);
	regs[XBPF_REG_FP].frameno = 0;
	/* xbpf's SYSCALL programs get ctx_size_in (a u32) in r2. */
	if (prog_type == XBPF_PROG_TYPE_SYSCALL) {
		xbpf_scalar_set_urange(&s, 0, U32_MAX);
		xbpf_reg_mark_scalar(&regs[2], &s);
	}
}

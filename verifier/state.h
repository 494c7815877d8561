/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The abstract interpreter's state (docs/verifier-design.md, "State"):
 * what the verifier knows about every register and stack byte at one
 * point of one path.
 *
 * Invariants:
 *   - a register of type XBPF_NOT_INIT may not be read;
 *   - a scalar's value is reg->s (normalised, see scalar.h); off, map,
 *     frameno are zero for scalars;
 *   - a pointer's address is "base + off + s": off is the fixed part, s
 *     the variable part (a constant 0 while only constant offsets are
 *     handled);
 *   - stack byte i of a frame (i in 0..511) is at fp - 512 + i; a slot is
 *     8 bytes.  It holds a spilled register iff its lowest byte (kind[0])
 *     is XBPF_SLOT_SPILL; the SPILL bytes are then exactly kind[0..n-1],
 *     n of 1, 2, 4 or 8 (a narrow spill: a scalar, bpf_capable only), the
 *     rest MISC or INVALID, and the spill register is the value those n
 *     bytes hold, zero-extended.  Otherwise the spill register means
 *     nothing; a slot whose bytes are all INVALID carries nothing (copies
 *     may leave it zeroed).
 */
#ifndef _XBPF_VERIFIER_STATE_H
#define _XBPF_VERIFIER_STATE_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"
#include "scalar.h"

#define XBPF_REG_COUNT		11	/* R0..R10 */
#define XBPF_REG_FP		10
#define XBPF_SLOT_SIZE		8
#define XBPF_STACK_SLOTS	(XBPF_MAX_STACK / XBPF_SLOT_SIZE)

enum xbpf_reg_type {
	XBPF_NOT_INIT = 0,
	XBPF_SCALAR,
	XBPF_PTR_TO_CTX,
	XBPF_CONST_PTR_TO_MAP,
	XBPF_PTR_TO_MAP_VALUE,
	XBPF_PTR_TO_MAP_KEY,
	XBPF_PTR_TO_STACK,
	XBPF_PTR_TO_PACKET,
	XBPF_PTR_TO_PACKET_META,
	XBPF_PTR_TO_PACKET_END,
	XBPF_PTR_TO_MEM,
	XBPF_PTR_TO_BTF_ID,
	/* __sk_buff->sk: struct bpf_sock's sock_common part (ctx_sock.c), read only */
	XBPF_PTR_TO_SOCK_COMMON,
	XBPF_REG_TYPE_MAX,
};

/* struct xbpf_reg.flags */
#define XBPF_REG_OR_NULL	0x1	/* may be NULL until a null check */
#define XBPF_REG_RDONLY		0x2	/* stores through it are refused */
#define XBPF_REG_ALLOC		0x4	/* PTR_TO_MEM: an acquired record (Linux's MEM_ALLOC) */

struct xbpf_reg {
	enum xbpf_reg_type	type;
	u32			flags;		/* XBPF_REG_* */
	struct xbpf_scalar	s;		/* value, or a pointer's variable offset */
	s32			off;		/* a pointer's fixed offset */
	u32			id;		/* shared by copies: null checks, equal scalars */
	u32			ref_obj_id;	/* non-zero: an acquired reference */
	union {
		const struct xbpf_map	*map;		/* map pointers and values */
		u32			mem_size;	/* PTR_TO_MEM */
		u32			range;		/* packet: checked bytes */
	};
	u8			frameno;	/* PTR_TO_STACK: whose frame */
	u8			live;		/* read marks, for pruning (later) */
	/*
	 * A scalar whose exact value set some safety decision depended on
	 * (precision.c); pruning compares only precise scalars (bpf_capable).
	 */
	bool			precise;
};

/* What one stack byte holds. */
enum xbpf_slot_kind {
	XBPF_SLOT_INVALID = 0,	/* never written on this path: not readable */
	XBPF_SLOT_MISC,		/* some scalar bytes, nothing more known */
	XBPF_SLOT_ZERO,		/* known zero */
	XBPF_SLOT_SPILL,	/* part of a spilled register (see the invariant) */
};

struct xbpf_slot {
	struct xbpf_reg	spill;
	u8		kind[XBPF_SLOT_SIZE];	/* enum xbpf_slot_kind, by byte */
};

struct xbpf_frame {
	struct xbpf_reg		regs[XBPF_REG_COUNT];
	struct xbpf_slot	stack[XBPF_STACK_SLOTS];
	u32			callsite;	/* insn of the call; main frame: 0 */
	u32			subprog;
	u16			allocated;	/* deepest byte touched, for stack_depth */
};

/*
 * An acquired reference (refs.c): every pointer to the object carries
 * ref_obj_id == id until a release helper invalidates them all.
 */
struct xbpf_ref {
	u32	id;
	u32	insn_idx;	/* the acquiring call, for the leak message */
};
struct xbpf_explored;	/* a state recorded for pruning: prune.c */

/*
 * One step of a path's history since its last recorded state, for
 * precision backtracking (precision.c), in the order the walk took them.
 */
enum xbpf_hist_kind {
	XBPF_HIST_JMP,		/* idx -> arg: not the next insn in sequence */
	XBPF_HIST_STACK,	/* insn idx accessed slot arg of frame at a fixed offset */
	XBPF_HIST_LINK_REG,	/* cond jump idx refined register arg of frame by id */
	XBPF_HIST_LINK_SLOT,	/* ... or the scalar spilled in slot arg */
};

struct xbpf_hist {
	u32	idx;
	u32	arg;
	u8	kind;		/* enum xbpf_hist_kind */
	u8	frame;
};

struct xbpf_state {
	struct xbpf_frame	*frames[XBPF_MAX_CALL_FRAMES];
	u32			curframe;
	struct xbpf_ref		*refs;		/* nr_refs entries, owned by the state */
	u32			nr_refs;
	u32			insn_idx;	/* where this state resumes */
	/*
	 * A path only a mispredicting CPU takes (a masked offset): its
	 * accesses are checked, but it leaves no Spectre marks in aux.
	 */
	bool			speculative;
	/* log_state.c: the jump that pushed this state, and the log's end then */
	u32			prev_insn_idx;
	u64			log_pos;
	struct xbpf_state	*parent;	/* next pending state (check.c's stack) */
	/* Last state recorded on this path (prune.c); a copy starts with NULL. */
	struct xbpf_explored	*eparent;
	/*
	 * precision.c: the path since eparent (or the entry), which starts
	 * at insn first_idx; owned by the state, copied with it.
	 */
	struct xbpf_hist	*hist;
	u32			nr_hist, hist_cap;
	u32			first_idx;
};

static inline bool xbpf_reg_is_pointer(const struct xbpf_reg *reg)
{
	return reg->type != XBPF_NOT_INIT && reg->type != XBPF_SCALAR;
}

static inline struct xbpf_frame *xbpf_cur_frame(const struct xbpf_state *st)
{
	return st->frames[st->curframe];
}

static inline struct xbpf_reg *xbpf_cur_regs(const struct xbpf_state *st)
{
	return st->frames[st->curframe]->regs;
}

/* For the log, in Linux's words ("scalar", "ctx", "fp", ...). */
const char *xbpf_reg_type_name(enum xbpf_reg_type type);
/* The type with its flags ("map_value_or_null"). */
const char *xbpf_reg_name(const struct xbpf_reg *reg);

void xbpf_reg_mark_not_init(struct xbpf_reg *reg);
/* A scalar that may be any u64. */
void xbpf_reg_mark_unknown(struct xbpf_reg *reg);
/* The scalar v. */
void xbpf_reg_mark_known(struct xbpf_reg *reg, u64 v);
/* A scalar with the value set s (normalised). */
void xbpf_reg_mark_scalar(struct xbpf_reg *reg, const struct xbpf_scalar *s);
/* A pointer of type at fixed offset off, variable offset 0. */
void xbpf_reg_mark_ptr(struct xbpf_reg *reg, enum xbpf_reg_type type, s32 off);

/* The bytes of the slot's spilled register (0: no spill). */
static inline u32 xbpf_slot_spill_size(const struct xbpf_slot *slot)
{
	u32 n = 0;

	while (n < XBPF_SLOT_SIZE && slot->kind[n] == XBPF_SLOT_SPILL)
		n++;
	return n;
}

/* The spill is gone: its bytes are plain scalar bytes, unwritten ones stay so. */
static inline void xbpf_slot_scrub(struct xbpf_slot *slot)
{
	u32 i;

	for (i = 0; i < XBPF_SLOT_SIZE; i++)
		if (slot->kind[i] != XBPF_SLOT_INVALID)
			slot->kind[i] = XBPF_SLOT_MISC;
	xbpf_reg_mark_not_init(&slot->spill);
}

/* NULL on -ENOMEM.  One frame (the main one, all registers NOT_INIT). */
struct xbpf_state *xbpf_state_alloc(void);
void xbpf_state_free(struct xbpf_state *st);
/* Index of the lowest stack slot with a byte not INVALID (64: none). */
u32 xbpf_frame_first_slot(const struct xbpf_frame *f);
/* Copies src into dst, whose slots below src's first one are INVALID. */
void xbpf_frame_copy(struct xbpf_frame *dst, const struct xbpf_frame *src);
/* A deep copy (frames 0..curframe); NULL on -ENOMEM. */
struct xbpf_state *xbpf_state_dup(const struct xbpf_state *src);
/*
 * The state at the program's entry: R1 the context, R10 the frame
 * pointer of frame 0, the rest NOT_INIT (SYSCALL: R2 the context size,
 * an xbpf addition), every stack byte INVALID.
 */
void xbpf_state_init_entry(struct xbpf_state *st, u32 prog_type);

#endif /* _XBPF_VERIFIER_STATE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the abstract interpreter's walk: the walk's context and the
 * pieces check.c shares with mem.c (loads and stores) and helpers.c
 * (helper calls).
 */
#ifndef _XBPF_VERIFIER_CHECK_H
#define _XBPF_VERIFIER_CHECK_H

#include "env.h"
#include "state.h"
#include "log_state.h"

/* A pointer's fixed offset stays within this, so off + insn->off can't wrap. */
#define XBPF_CHECK_MAX_PTR_OFF	(1 << 29)

struct xbpf_prune;

struct xbpf_check {
	struct xbpf_verifier_env	*env;
	struct xbpf_state		*cur;
	struct xbpf_state		*pending;	/* linked through ->parent */
	u32				nr_pending;
	u32				idx;		/* the instruction being checked */
	u32				id_gen;		/* last id handed out (null checks) */
	u32				jmps_processed;	/* JMP/JMP32 insns walked */
	struct xbpf_prune		*prune;		/* prune.c's explored states */
	struct xbpf_log_walk		log;		/* log_state.c */
};

/*
 * Logs the reason after the instruction's line (printed here for a
 * stats-only log, whose walk prints no instructions), and evaluates to
 * err.
 */
#define xbpf_reject(c, err, fmt, ...) ({				\
	if (!xbpf_log_insns((c)->env))					\
		xbpf_verbose_insn((c)->env, (c)->idx);			\
	xbpf_verbose((c)->env, fmt, ##__VA_ARGS__);			\
	(err);								\
})

#define xbpf_unsupported(c, what) \
	xbpf_reject(c, -EOPNOTSUPP, "check: not yet supported: %s\n", what)

/*
 * Pushes a copy of c->cur as a pending path (bounded; counted below the
 * current recorded state for pruning); the caller sets its insn_idx.
 */
int xbpf_check_push(struct xbpf_check *c, struct xbpf_state **out);

/* -EACCES ("R%u !read_ok") when regno is NOT_INIT. */
int xbpf_check_read(struct xbpf_check *c, u32 regno);

/* mem.c: LDX, STX, ST and (through atomic.c) atomics, any base register. */
int xbpf_check_mem(struct xbpf_check *c, const struct xbpf_insn *insn);
/*
 * size bytes at reg + off inside reg's map value (reg a PTR_TO_MAP_VALUE,
 * not or-null, any variable offset); regno only names it in the log.
 */
int xbpf_check_map_value_range(struct xbpf_check *c, const struct xbpf_reg *reg,
			       u32 regno, s32 off, u32 size);
/*
 * size bytes at reg (a PTR_TO_STACK) are initialised stack a helper may
 * read; records the stack depth.
 */
int xbpf_check_stack_range_read(struct xbpf_check *c, const struct xbpf_reg *reg,
				u32 regno, u32 size);

/* atomic.c: BPF_STX | BPF_ATOMIC, as the load and the store it does. */
int xbpf_check_atomic(struct xbpf_check *c, const struct xbpf_insn *insn);

/*
 * size bytes at reg + off inside reg's memory (a PTR_TO_MEM, not or-null,
 * any variable offset), as Linux's check_mem_region_access; size 0 only
 * with zero_ok.
 */
int xbpf_check_mem_region(struct xbpf_check *c, const struct xbpf_reg *reg,
			  u32 regno, s32 off, u32 size, bool zero_ok);
/*
 * A helper fills size bytes at reg (a PTR_TO_STACK): bounds, then every
 * byte becomes MISC (a spilled pointer there is refused unless pointers
 * may leak); records the stack depth.
 */
int xbpf_check_stack_range_write(struct xbpf_check *c, const struct xbpf_reg *reg,
				 u32 regno, u32 size);

/* sanitize.c: Spectre v1/v4 marks for fixup (see there). */
struct xbpf_sanitize_info {
	bool	active;		/* masking applies to this instruction */
	bool	to_left;	/* the pointer moves towards lower addresses */
	u8	state;		/* XBPF_ALU_* for aux */
	s64	before;		/* the pointer's limit measure before the move */
};

/* Scalar ALU64 ADD/SUB X: no masking may be applied on any path. */
int xbpf_sanitize_val_alu(struct xbpf_check *c, const struct xbpf_insn *insn);
/* Before ptr +/- off (off_is_dst: scalar += pointer). */
int xbpf_sanitize_ptr_alu_begin(struct xbpf_check *c, const struct xbpf_insn *insn,
				const struct xbpf_reg *ptr, const struct xbpf_scalar *off,
				bool off_is_dst, struct xbpf_sanitize_info *info);
/* After: res is the result; records the alu limit. */
int xbpf_sanitize_ptr_alu_commit(struct xbpf_check *c, const struct xbpf_insn *insn,
				 const struct xbpf_reg *res, bool off_is_dst,
				 const struct xbpf_sanitize_info *info);
/* Without bypass_spec_v1, a stack or map value result stays inside its object. */
int xbpf_sanitize_check_bounds(struct xbpf_check *c, const struct xbpf_insn *insn,
			       const struct xbpf_reg *res);
/* Every store: stack base or not, and whether a stack store needs zeroing first. */
int xbpf_sanitize_store(struct xbpf_check *c, bool stack, bool zero);

/* helpers.c: a BPF_CALL of a helper; leaves R0..R5 as the call does. */
int xbpf_check_helper_call(struct xbpf_check *c, const struct xbpf_insn *insn);

/*
 * calls.c: a pseudo call pushes the callee's frame and sets cur->insn_idx
 * to its first instruction; an EXIT in a callee pops it and sets
 * cur->insn_idx after the call.
 */
int xbpf_check_pseudo_call(struct xbpf_check *c, const struct xbpf_insn *insn);
int xbpf_check_subprog_exit(struct xbpf_check *c);
/*
 * In a subprogram: pushes the path where it returns to its caller at once
 * with R0 = *r0 (a scalar), as a failing LD_ABS or a tail call does.
 */
int xbpf_push_abnormal_return(struct xbpf_check *c, const struct xbpf_reg *r0);

/*
 * tail_sites.c: a bpf_tail_call at c->idx on this path, r2 the proved
 * program array map; keeps the map and r3 when every path agrees.
 */
int xbpf_record_tail_site(struct xbpf_check *c, const struct xbpf_map *map);

/* ld_abs.c: LD_ABS/LD_IND; leaves R0..R5 as the load does. */
int xbpf_check_ld_abs(struct xbpf_check *c, const struct xbpf_insn *insn);

/*
 * precision.c.  For bpf_capable callers pruning compares only precise
 * scalars; everyone else's count as precise and these do nothing.
 *
 * regno (current frame) holds a scalar whose exact value set a safety
 * decision at c->idx: it, and whatever it was computed from, becomes
 * precise in the states recorded along this path.
 */
int xbpf_mark_precise(struct xbpf_check *c, u32 regno);
/* The path's history: c->idx accessed stack slot (0..63) of frame at a fixed offset. */
int xbpf_hist_stack(struct xbpf_check *c, u32 frame, u32 slot);
/* st's path left sequential order: from -> to. */
int xbpf_hist_jmp(struct xbpf_check *c, struct xbpf_state *st, u32 from, u32 to);
/* Before a conditional jump on scalars: the copies check.c's sync will refine. */
int xbpf_hist_links(struct xbpf_check *c, const struct xbpf_insn *insn);

/* refs.c: acquired references (ring buffer records). */
/* Appends a reference acquired at c->idx; *id is its fresh id. */
int xbpf_ref_acquire(struct xbpf_check *c, u32 *id);
/* Forgets id in st without touching registers; false if it was not held. */
bool xbpf_ref_drop(struct xbpf_state *st, u32 id);
/* Releases id: every copy of the pointer, registers and spills, dies. */
int xbpf_ref_release(struct xbpf_check *c, u32 id);
/* At the main program's EXIT: -EINVAL and a line per unreleased reference. */
int xbpf_ref_check_leak(struct xbpf_check *c);
/*
 * Before an instruction that may end the program or a frame early
 * (LD_ABS, tail call): -EINVAL and a line per reference held, in any frame.
 */
int xbpf_ref_check_none(struct xbpf_check *c);

#endif /* _XBPF_VERIFIER_CHECK_H */

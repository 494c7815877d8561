/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's private state, shared by its passes.  One environment
 * lives for one xbpf_verify() call.  The passes run in this order:
 *
 *   decode.c   every instruction on its own (opcode, reserved fields,
 *              registers, LDDW shape)
 *   cfg.c      subprograms, jump targets, reachability, back-edges
 *   resolve.c  map fds -> referenced maps, helper ids -> prototypes
 *   check.c    the abstract interpreter (xbpf_load_params.check says how
 *              its verdict counts): needs the subprogram table, the
 *              resolved maps and helper prototypes, and sees the program
 *              before it is rewritten
 *   fixup.c    build the xbpf_prog, compute the tag, rewrite LDDW
 *
 * Each pass returns 0 or -errno and leaves its reason in the log; the
 * pipeline in verifier.c owns every allocation and map reference, so a
 * pass never has to clean up after a failure.
 */
#ifndef _XBPF_VERIFIER_ENV_H
#define _XBPF_VERIFIER_ENV_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

/* As in Linux: at most this many subprograms and distinct maps. */
#define XBPF_MAX_SUBPROGS	256
#define XBPF_MAX_USED_MAPS	64
/* LDDW pseudo map value: offsets at or beyond this are refused (Linux's). */
#define XBPF_MAX_VAR_OFF	(1 << 29)

/* struct xbpf_insn_aux.flags */
#define XBPF_AUX_LDDW_HI	0x01	/* second slot of an LDDW: not an insn */
#define XBPF_AUX_JMP_TARGET	0x02	/* some jump or call lands here */
#define XBPF_AUX_SUBPROG_START	0x04
#define XBPF_AUX_BACK_EDGE_DST	0x08	/* head of a loop */
#define XBPF_AUX_PRUNE_POINT	0x10	/* prune.c compares states here */

/*
 * struct xbpf_insn_aux.alu_state (sanitize.c): how fixup masks the scalar
 * operand of an ALU64 ADD/SUB X for callers without bypass_spec_v1.
 */
#define XBPF_ALU_NON_POINTER	0x01	/* scalar arithmetic on every path so far */
#define XBPF_ALU_SANITIZE	0x02	/* pointer +/- scalar: mask the scalar */
#define XBPF_ALU_OFF_IN_DST	0x04	/* scalar += pointer: the scalar is dst */
#define XBPF_ALU_NEG_VALUE	0x08	/* the scalar is negative: mask its negation */
#define XBPF_ALU_IMMEDIATE	0x10	/* the scalar is a constant: use alu_limit itself */

/* struct xbpf_insn_aux.spec (sanitize.c): Spectre v4 stack-store sanitation. */
#define XBPF_SPEC_ZERO_STORE	0x01	/* zero the stored bytes first */
#define XBPF_SPEC_NONSTACK	0x02	/* some path stores through a non-stack pointer */

/* What the passes learn about one instruction. */
struct xbpf_insn_aux {
	struct xbpf_map	*map;		/* LDDW src 1/2: borrowed from env->used_maps */
	u32		map_off;	/* LDDW src 2: offset into the value */
	u16		subprog;	/* index into env->subprogs */
	u8		flags;		/* XBPF_AUX_* */
	u8		cfg_state;	/* cfg.c's DFS colour */
	u32		alu_limit;	/* XBPF_ALU_SANITIZE: largest move, in bytes */
	u8		alu_state;	/* XBPF_ALU_*; 0: not seen yet */
	u8		spec;		/* XBPF_SPEC_* */
	/* tail_sites.c: bpf_tail_call's map and key when every path agrees */
	u8		tail_state;	/* XBPF_TAIL_* */
	u32		tail_key;
	const struct xbpf_map *tail_map;
	/*
	 * The map alone (the key may vary): the first one a path brought,
	 * and whether another path brought a different one.  The index
	 * mask of an unprivileged tail call needs one map's size.
	 */
	const struct xbpf_map *tail_map_seen;
	bool		tail_map_mixed;
};

/* struct xbpf_insn_aux.tail_state */
#define XBPF_TAIL_UNSEEN	0	/* no path reached the call yet */
#define XBPF_TAIL_CONST		1	/* tail_map and tail_key on every path so far */
#define XBPF_TAIL_POISON	2	/* paths disagree, or the key is not a usable constant */

/*
 * The hidden register of fixup's sequences (Linux's BPF_REG_AX): decode.c
 * refuses it in loaded programs; the interpreter's register file has 16.
 */
#define XBPF_REG_AX		XBPF_MAX_REG

struct xbpf_subprog_info {
	u32	start;		/* first instruction */
	u32	end;		/* one past the last instruction */
	u32	stack_depth;	/* bytes; deepest stack byte any walked path touched */
	bool	has_ld_abs;	/* cfg.c: contains LD_ABS/LD_IND */
	bool	has_tail_call;	/* cfg.c: contains a call to helper 12 (bpf_tail_call) */
	/*
	 * calls.c: some chain of calls from here reaches a subprogram with a
	 * tail call, so a JIT must carry the tail-call counter through this
	 * function's frame.
	 */
	bool	tail_call_reachable;
	/* btf_info.c: func_info says this function returns a scalar */
	bool	btf_scalar_ret;
};

struct xbpf_verifier_env {
	const struct xbpf_load_params	*p;
	struct xbpf_log			*log;
	const struct xbpf_insn		*insns;		/* as loaded; never written */
	u32				len;
	struct xbpf_caps		caps;
	struct xbpf_insn_aux		*aux;		/* len entries */

	/* cfg.c; subprogs[subprog_cnt].start == len as a sentinel */
	struct xbpf_subprog_info	subprogs[XBPF_MAX_SUBPROGS + 1];
	u32				subprog_cnt;
	bool				has_ld_abs;
	bool				has_back_edge;

	/* resolve.c: each map once, with one reference owned by env */
	struct xbpf_map			*used_maps[XBPF_MAX_USED_MAPS];
	u32				used_map_cnt;

	/* check.c: end of the furthest context access (SYSCALL ctx_size_in) */
	u32				ctx_max_end;
	/* the walk followed every path and accepted: run unchecked */
	bool				proved;

	/*
	 * btf_info.c: PROG_LOAD's BTF (one reference) and its checked
	 * func_info/line_info records; fixup.c hands them to the program.
	 * patch.c keeps linfo[].insn_off on the same instructions.
	 */
	struct xbpf_btf			*btf;
	struct xbpf_func_info		*func_info;
	u32				func_info_cnt;
	struct xbpf_line_info		*linfo;
	u32				linfo_cnt;

	/* statistics for the log line and prog->verified_insns */
	u32				insn_processed;
	/* prune.c, as Linux counts them (see xbpf_prune_visit) */
	u32				max_states_per_insn;
	u32				total_states;
	u32				peak_states;
	u64				start_ns;

	/* fixup.c: the result, owned by env until xbpf_verify hands it out */
	struct xbpf_prog		*prog;
};

/* Log helpers: the log is a no-op at level 0. */
#define xbpf_verbose(env, fmt, ...) \
	xbpf_log_write((env)->log, fmt, ##__VA_ARGS__)

static inline bool xbpf_log_on(const struct xbpf_verifier_env *env)
{
	return env->log && env->log->level;
}

static inline bool xbpf_log_level2(const struct xbpf_verifier_env *env)
{
	return env->log && (env->log->level & XBPF_LOG_LEVEL2);
}

/* Levels 1 and 2: the walk prints every instruction it checks. */
static inline bool xbpf_log_insns(const struct xbpf_verifier_env *env)
{
	return env->log && (env->log->level & XBPF_LOG_LEVEL);
}

/* Prints "N: (code) disasm" for the instruction a message is about. */
void xbpf_verbose_insn(struct xbpf_verifier_env *env, u32 idx);

/* Instruction shape helpers, shared by the passes. */
static inline bool xbpf_insn_is_lddw(const struct xbpf_insn *insn)
{
	return insn->code == (XBPF_LD | XBPF_IMM | XBPF_DW);
}

static inline bool xbpf_insn_is_pseudo_call(const struct xbpf_insn *insn)
{
	return insn->code == (XBPF_JMP | XBPF_CALL) &&
	       insn->src_reg == XBPF_PSEUDO_CALL;
}

static inline bool xbpf_insn_is_helper_call(const struct xbpf_insn *insn)
{
	return insn->code == (XBPF_JMP | XBPF_CALL) && insn->src_reg == 0;
}

static inline bool xbpf_insn_is_ld_abs(const struct xbpf_insn *insn)
{
	u8 mode = XBPF_MODE(insn->code);

	return XBPF_CLASS(insn->code) == XBPF_LD && (mode == XBPF_ABS || mode == XBPF_IND);
}

static inline bool xbpf_insn_is_jmp_class(const struct xbpf_insn *insn)
{
	u8 class = XBPF_CLASS(insn->code);

	return class == XBPF_JMP || class == XBPF_JMP32;
}

/* A jump with a target (JA or conditional), not CALL or EXIT. */
static inline bool xbpf_insn_is_jump(const struct xbpf_insn *insn)
{
	u8 op = XBPF_OP(insn->code);

	return xbpf_insn_is_jmp_class(insn) && op != XBPF_CALL && op != XBPF_EXIT;
}

static inline bool xbpf_insn_is_ja(const struct xbpf_insn *insn)
{
	return xbpf_insn_is_jmp_class(insn) && XBPF_OP(insn->code) == XBPF_JA;
}

/* Target of a jump or pseudo call at idx; s64 so a bad offset can't wrap. */
static inline s64 xbpf_insn_target(const struct xbpf_insn *insn, u32 idx)
{
	s64 delta;

	/* JMP32|JA (gotol) carries its offset in imm; calls too. */
	if (insn->code == (XBPF_JMP32 | XBPF_JA) || xbpf_insn_is_pseudo_call(insn))
		delta = insn->imm;
	else
		delta = insn->off;
	return (s64)idx + delta + 1;
}

/*
 * func_proto.c: the helper's proto if this program (type, privilege) may
 * call it, as Linux's get_func_proto decides; NULL otherwise.
 */
const struct xbpf_helper_proto *xbpf_func_proto(const struct xbpf_verifier_env *env, u32 id);

/* The passes, in pipeline order. */
int xbpf_decode_insns(struct xbpf_verifier_env *env);
int xbpf_check_subprogs(struct xbpf_verifier_env *env);
int xbpf_check_cfg(struct xbpf_verifier_env *env);
/*
 * btf_info.c, at the end of xbpf_check_subprogs: PROG_LOAD's func_info
 * and line_info against the subprogram table; takes the BTF reference.
 */
int xbpf_check_btf_info(struct xbpf_verifier_env *env);
/*
 * cfg.c: subprogram s (> 0) may use LD_ABS/LD_IND or a tail call only if
 * func_info says it returns a scalar (btf_scalar_ret).
 */
int xbpf_check_abnormal_return(struct xbpf_verifier_env *env, u32 s);
int xbpf_resolve(struct xbpf_verifier_env *env);
/* The abstract interpreter (check.c). */
int xbpf_check(struct xbpf_verifier_env *env);
/*
 * calls.c, after the walk: every chain of calls in the call graph fits
 * the combined stack limit and the tail-call caller limit; sets
 * tail_call_reachable.  Needs cfg.c's subprogram table (no recursion) and
 * the walk's stack depths.
 */
int xbpf_check_max_stack_depth(struct xbpf_verifier_env *env);
int xbpf_fixup(struct xbpf_verifier_env *env);

/*
 * patch.c: inserts ins[0..n) before instruction at of env->prog (fixup
 * only; env->aux then has env->prog->len entries).  Jumps, calls and
 * subprogram bounds follow; whatever targeted at now reaches the inserted
 * code.  -E2BIG past XBPF_COMPLEXITY_LIMIT_INSNS, -ERANGE when a jump
 * offset no longer fits, -ENOMEM; nothing changes on error.
 */
int xbpf_patch_insert(struct xbpf_verifier_env *env, u32 at, const struct xbpf_insn *ins, u32 n);
/*
 * tail_sites.c (fixup, after the last patch): prog->tail_sites from the
 * walk's XBPF_TAIL_CONST marks.
 */
int xbpf_fixup_tail_sites(struct xbpf_verifier_env *env);
/*
 * tail_sites.c (fixup): without bypass_spec_v1, a bounds check and the
 * array's index mask in front of every tail call; -EINVAL when one call
 * site is reached with two maps.
 */
int xbpf_fixup_tail_mask(struct xbpf_verifier_env *env);
/* div_guard.c: guards in front of every division and modulo (fixup). */
int xbpf_fixup_div(struct xbpf_verifier_env *env);
/*
 * Inserts after instruction at: only at's fall-through runs the new code;
 * whatever targeted at + 1 still reaches the old instruction.
 */
int xbpf_patch_insert_after(struct xbpf_verifier_env *env, u32 at, const struct xbpf_insn *ins,
			    u32 n);
/* sanitize.c: the Spectre v1 masking and v4 store zeroing, from the aux marks. */
int xbpf_sanitize_fixup(struct xbpf_verifier_env *env);
/*
 * Writes to out (6 slots) the sequence that leaves in AX the value of
 * off_reg if it is in [0, limit], else 0 (limit > 0); returns its length.
 */
u32 xbpf_sanitize_mask_seq(struct xbpf_insn *out, u32 off_reg, u32 limit);

#endif /* _XBPF_VERIFIER_ENV_H */

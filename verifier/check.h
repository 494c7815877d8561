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
};

/*
 * Logs the instruction (unless level 2 printed it already) and the reason,
 * and evaluates to err.
 */
#define xbpf_reject(c, err, fmt, ...) ({				\
	if (!xbpf_log_level2((c)->env))					\
		xbpf_verbose_insn((c)->env, (c)->idx);			\
	xbpf_verbose((c)->env, fmt, ##__VA_ARGS__);			\
	(err);								\
})

#define xbpf_unsupported(c, what) \
	xbpf_reject(c, -EOPNOTSUPP, "check: not yet supported: %s\n", what)

/* -EACCES ("R%u !read_ok") when regno is NOT_INIT. */
int xbpf_check_read(struct xbpf_check *c, u32 regno);

/* mem.c: LDX, STX and ST (not atomics) through any base register. */
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

/* helpers.c: a BPF_CALL of a helper; leaves R0..R5 as the call does. */
int xbpf_check_helper_call(struct xbpf_check *c, const struct xbpf_insn *insn);

#endif /* _XBPF_VERIFIER_CHECK_H */

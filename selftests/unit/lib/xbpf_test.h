/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the host unit tests: TAP output, instruction builders
 * and a runner that gives each run a fresh, exactly-sized heap stack so
 * ASan sees any access the checked model lets through.
 */
#ifndef _XBPF_TEST_H
#define _XBPF_TEST_H

#include "core/xbpf_core.h"

/* TAP: one "ok N name" / "not ok N name" per call; plan printed at the end. */
__printf(2, 3) void xt_report(bool pass, const char *fmt, ...);
__printf(2, 3) void xt_skip(const char *why, const char *fmt, ...);
__printf(1, 2) void xt_diag(const char *fmt, ...);
/* Prints the plan and the counts; returns the exit status (1 on failure). */
int xt_finish(void);
extern unsigned int xt_passed, xt_failed, xt_skipped;

/* The shared builders (selftests/include/xbpf_insns.h), as assignable values. */
#define XI(c, d, s, o, i)	((struct xbpf_insn)XBPF_INSN_INIT(c, d, s, o, i))
#include "../../include/xbpf_insns.h"

/* A program holding a copy of insns, not verified. */
struct xbpf_prog *xt_prog(const struct xbpf_insn *insns, u32 n, bool checked);
/* Drops the program without touching maps the test owns itself. */
void xt_prog_free(struct xbpf_prog *prog);

struct xt_env {
	void		*ctx;
	u32		ctx_size;
	bool		ctx_writable;
	u64		r2;
	struct xbpf_skb	*skb;
	struct xbpf_run_fault fault;	/* out */
};

/* Runs once on a fresh heap stack; returns xbpf_interp_run()'s result. */
int xt_run(const struct xbpf_prog *prog, struct xt_env *env, u64 *r0);

#endif /* _XBPF_TEST_H */

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

#define XI(c, d, s, o, i)	((struct xbpf_insn){ .code = (c), .dst_reg = (d), \
				  .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i)		XI(XBPF_ALU64 | XBPF_MOV | XBPF_K, d, 0, 0, i)
#define MOV32_IMM(d, i)		XI(XBPF_ALU | XBPF_MOV | XBPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)		XI(XBPF_ALU64 | XBPF_MOV | XBPF_X, d, s, 0, 0)
#define MOV32_REG(d, s)		XI(XBPF_ALU | XBPF_MOV | XBPF_X, d, s, 0, 0)
#define MOVSX64(d, s, w)	XI(XBPF_ALU64 | XBPF_MOV | XBPF_X, d, s, w, 0)
#define MOVSX32(d, s, w)	XI(XBPF_ALU | XBPF_MOV | XBPF_X, d, s, w, 0)
#define ALU64_IMM(op, d, i)	XI(XBPF_ALU64 | (op) | XBPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s)	XI(XBPF_ALU64 | (op) | XBPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i)	XI(XBPF_ALU | (op) | XBPF_K, d, 0, 0, i)
#define ALU32_REG(op, d, s)	XI(XBPF_ALU | (op) | XBPF_X, d, s, 0, 0)
/* signed division and modulo: off 1 */
#define SALU64_IMM(op, d, i)	XI(XBPF_ALU64 | (op) | XBPF_K, d, 0, 1, i)
#define SALU64_REG(op, d, s)	XI(XBPF_ALU64 | (op) | XBPF_X, d, s, 1, 0)
#define SALU32_IMM(op, d, i)	XI(XBPF_ALU | (op) | XBPF_K, d, 0, 1, i)
#define SALU32_REG(op, d, s)	XI(XBPF_ALU | (op) | XBPF_X, d, s, 1, 0)
#define END(src, d, bits)	XI(XBPF_ALU | XBPF_END | (src), d, 0, 0, bits)
#define BSWAP(d, bits)		XI(XBPF_ALU64 | XBPF_END, d, 0, 0, bits)
#define LDDW(d, v)		XI(XBPF_LD | XBPF_IMM | XBPF_DW, d, 0, 0, (s32)(u32)(u64)(v)), \
				XI(0, 0, 0, 0, (s32)(u32)((u64)(v) >> 32))
#define LDDW_SRC(d, s, v)	XI(XBPF_LD | XBPF_IMM | XBPF_DW, d, s, 0, (s32)(u32)(u64)(v)), \
				XI(0, 0, 0, 0, (s32)(u32)((u64)(v) >> 32))
#define JA(o)			XI(XBPF_JMP | XBPF_JA, 0, 0, o, 0)
#define JA32(i)			XI(XBPF_JMP32 | XBPF_JA, 0, 0, 0, i)
#define JMP_IMM(op, d, i, o)	XI(XBPF_JMP | (op) | XBPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o)	XI(XBPF_JMP | (op) | XBPF_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o)	XI(XBPF_JMP32 | (op) | XBPF_K, d, 0, o, i)
#define JMP32_REG(op, d, s, o)	XI(XBPF_JMP32 | (op) | XBPF_X, d, s, o, 0)
#define LDX(sz, d, s, o)	XI(XBPF_LDX | XBPF_MEM | (sz), d, s, o, 0)
#define LDXS(sz, d, s, o)	XI(XBPF_LDX | XBPF_MEMSX | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	XI(XBPF_STX | XBPF_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, i)		XI(XBPF_ST | XBPF_MEM | (sz), d, 0, o, i)
#define ATOMIC(sz, d, s, o, op)	XI(XBPF_STX | XBPF_ATOMIC | (sz), d, s, o, op)
#define LD_ABS(sz, i)		XI(XBPF_LD | XBPF_ABS | (sz), 0, 0, 0, i)
#define LD_IND(sz, s, i)	XI(XBPF_LD | XBPF_IND | (sz), 0, s, 0, i)
#define CALL(id)		XI(XBPF_JMP | XBPF_CALL, 0, 0, 0, id)
#define CALL_LOCAL(rel)		XI(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, rel)
#define EXIT()			XI(XBPF_JMP | XBPF_EXIT, 0, 0, 0, 0)

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

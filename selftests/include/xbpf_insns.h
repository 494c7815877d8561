/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction builders for test programs, the one set every suite uses.
 * By default each builder is a brace initialiser, so it can sit in a
 * file-scope (static) table.  A suite that wants values it can assign
 * (selftests/unit/lib/xbpf_test.h) defines XI as a compound literal over
 * XBPF_INSN_INIT before including this: the builders expand XI where they
 * are used, so both forms come from these definitions.  Needs only the
 * uapi header.
 */
#ifndef _XBPF_SELFTESTS_INSNS_H
#define _XBPF_SELFTESTS_INSNS_H

#include <linux/xbpf.h>

#define XBPF_INSN_INIT(c, d, s, o, i) \
	{ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#ifndef XI
#define XI(c, d, s, o, i)	XBPF_INSN_INIT(c, d, s, o, i)
#endif
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
#define NEG64(d)		XI(XBPF_ALU64 | XBPF_NEG, d, 0, 0, 0)
#define NEG32(d)		XI(XBPF_ALU | XBPF_NEG, d, 0, 0, 0)
#define END(src, d, bits)	XI(XBPF_ALU | XBPF_END | (src), d, 0, 0, bits)
#define BSWAP(d, bits)		XI(XBPF_ALU64 | XBPF_END, d, 0, 0, bits)
/* two slots each */
#define LDDW_SRC(d, s, v)	XI(XBPF_LD | XBPF_IMM | XBPF_DW, d, s, 0, \
				   (__s32)(__u32)(__u64)(v)), \
				XI(0, 0, 0, 0, (__s32)(__u32)((__u64)(v) >> 32))
#define LDDW(d, v)		LDDW_SRC(d, 0, v)
#define LD_MAP_FD(d, fd)	XI(XBPF_LD | XBPF_IMM | XBPF_DW, d, XBPF_PSEUDO_MAP_FD, 0, fd), \
				XI(0, 0, 0, 0, 0)
#define LD_MAP_VALUE(d, fd, o)	XI(XBPF_LD | XBPF_IMM | XBPF_DW, d, XBPF_PSEUDO_MAP_VALUE, 0, fd), \
				XI(0, 0, 0, 0, o)
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
#define RET_IMM(i)		MOV64_IMM(0, i), EXIT()
#define RET0			RET_IMM(0)

#endif /* _XBPF_SELFTESTS_INSNS_H */

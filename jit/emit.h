/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 instruction encoders for the JIT (jit/emit.c).  They only append
 * bytes to a buffer; what to emit for a BPF instruction is jit/jit.c's.
 *
 * Every indirect call and every return goes through one function here
 * (xbpf_x86_call_reg(), xbpf_x86_ret()), so that the kernel build can
 * route them through __x86_indirect_thunk_<reg> and the return thunk
 * later without touching the lowering.
 */
#ifndef _XBPF_JIT_EMIT_H
#define _XBPF_JIT_EMIT_H

#include "../core/xbpf_core.h"

/* Hardware register numbers (the ModRM/REX encoding). */
enum xbpf_x86_reg {
	XBPF_X86_RAX = 0,
	XBPF_X86_RCX,
	XBPF_X86_RDX,
	XBPF_X86_RBX,
	XBPF_X86_RSP,
	XBPF_X86_RBP,
	XBPF_X86_RSI,
	XBPF_X86_RDI,
	XBPF_X86_R8,
	XBPF_X86_R9,
	XBPF_X86_R10,
	XBPF_X86_R11,
	XBPF_X86_R12,
	XBPF_X86_R13,
	XBPF_X86_R14,
	XBPF_X86_R15,
};

/* Condition codes (the low nibble of Jcc). */
enum xbpf_x86_cc {
	XBPF_X86_CC_B = 0x2,
	XBPF_X86_CC_AE = 0x3,
	XBPF_X86_CC_E = 0x4,
	XBPF_X86_CC_NE = 0x5,
	XBPF_X86_CC_BE = 0x6,
	XBPF_X86_CC_A = 0x7,
	XBPF_X86_CC_S = 0x8,
	XBPF_X86_CC_NS = 0x9,
	XBPF_X86_CC_L = 0xc,
	XBPF_X86_CC_GE = 0xd,
	XBPF_X86_CC_LE = 0xe,
	XBPF_X86_CC_G = 0xf,
};

/*
 * Longest code one BPF instruction may lower to: the lowering writes into
 * a buffer of this size (the atomic fetch loops and the guarded divisions
 * are the longest, well under it).
 */
#define XBPF_JIT_MAX_INSN_BYTES	128

struct xbpf_jit_buf {
	u8	b[XBPF_JIT_MAX_INSN_BYTES];
	u32	len;
	bool	overflow;	/* an encoder ran past b[]: a JIT bug */
	/*
	 * Address b[0] runs at in this pass (0: position independent), and
	 * the thunks of struct xbpf_jit_opts (0: none).  Only the thunk
	 * branches read at: their rel32 is exact in the final pass, and their
	 * length does not depend on it in any pass.
	 */
	u64	at;
	u64	indirect_thunk;
	u64	return_thunk;
};

/* Encoder flags. */
#define XBPF_X86_W	0x01	/* REX.W: 64-bit operand */
#define XBPF_X86_66	0x02	/* operand-size prefix: 16-bit operand */
#define XBPF_X86_LOCK	0x04
#define XBPF_X86_BREG	0x08	/* the reg field names a byte register */
#define XBPF_X86_BRM	0x10	/* the r/m register is a byte register */

void xbpf_x86_byte(struct xbpf_jit_buf *b, u8 v);
void xbpf_x86_imm16(struct xbpf_jit_buf *b, u16 v);
void xbpf_x86_imm32(struct xbpf_jit_buf *b, u32 v);
void xbpf_x86_imm64(struct xbpf_jit_buf *b, u64 v);

/*
 * op with ModRM: reg field 'reg' (a register or an opcode extension),
 * r/m a register.  op is one opcode byte, or 0x0fXX for a two-byte one.
 */
void xbpf_x86_rr(struct xbpf_jit_buf *b, u32 flags, u32 op, u8 reg, u8 rm);
/* Same with r/m the memory operand [base + disp]. */
void xbpf_x86_rm(struct xbpf_jit_buf *b, u32 flags, u32 op, u8 reg, u8 base, s32 disp);

/* Common instructions. */
void xbpf_x86_mov_rr(struct xbpf_jit_buf *b, bool is64, u8 dst, u8 src);
/* dst = imm64, in the shortest form. */
void xbpf_x86_mov_imm(struct xbpf_jit_buf *b, u8 dst, u64 imm);
/* 32-bit dst = imm, zero-extended (always B8+r id: a fixed 5 or 6 bytes). */
void xbpf_x86_mov_imm32(struct xbpf_jit_buf *b, u8 dst, u32 imm);
/* dst = imm64 in the 10-byte movabs form whatever the value. */
void xbpf_x86_movabs(struct xbpf_jit_buf *b, u8 dst, u64 imm);
/* Group-1 ALU with an immediate: ext 0 add, 1 or, 4 and, 5 sub, 6 xor, 7 cmp. */
void xbpf_x86_alu_imm(struct xbpf_jit_buf *b, bool is64, u8 ext, u8 dst, s32 imm);
void xbpf_x86_push(struct xbpf_jit_buf *b, u8 reg);
void xbpf_x86_pop(struct xbpf_jit_buf *b, u8 reg);
/* Jumps: rel8 forms are 2 bytes, rel32 forms 5 (jmp) or 6 (jcc). */
void xbpf_x86_jmp(struct xbpf_jit_buf *b, s32 rel, bool short_form);
void xbpf_x86_jcc(struct xbpf_jit_buf *b, u8 cc, s32 rel, bool short_form);
/* call rel32 (5 bytes). */
void xbpf_x86_call_rel(struct xbpf_jit_buf *b, s32 rel);
/*
 * Indirect call through reg: call *reg, or with b->indirect_thunk (r11
 * only) a call rel32 to that retpoline thunk, a fixed 5 bytes.
 */
void xbpf_x86_call_reg(struct xbpf_jit_buf *b, u8 reg);
/*
 * Indirect jump through reg: jmp *reg + int3, or with b->indirect_thunk
 * (r11 only) a jmp rel32 to that thunk, a fixed 5 bytes (tail calls).
 */
void xbpf_x86_jmp_reg(struct xbpf_jit_buf *b, u8 reg);
/* ret, or with b->return_thunk jmp rel32 to it plus an int3 (SLS). */
void xbpf_x86_ret(struct xbpf_jit_buf *b);
/* A 5-byte nop (the future text_poke site) and a 2-byte one. */
void xbpf_x86_nop5(struct xbpf_jit_buf *b);
void xbpf_x86_nop2(struct xbpf_jit_buf *b);
/* endbr64 (4 bytes): an indirect branch target under IBT, a nop otherwise. */
void xbpf_x86_endbr64(struct xbpf_jit_buf *b);

static inline bool xbpf_x86_is_imm8(s64 v)
{
	return v >= -128 && v <= 127;
}

static inline bool xbpf_x86_is_simm32(s64 v)
{
	return v >= S32_MIN && v <= S32_MAX;
}

#endif /* _XBPF_JIT_EMIT_H */

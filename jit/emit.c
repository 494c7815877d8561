// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 encoders: prefixes, REX, ModRM/SIB and the few instruction forms
 * the JIT uses.  Facts from the Intel SDM vol. 2; no policy here.
 */
#include "emit.h"

void xbpf_x86_byte(struct xbpf_jit_buf *b, u8 v)
{
	if (b->len >= sizeof(b->b)) {
		b->overflow = true;
		return;
	}
	b->b[b->len++] = v;
}

void xbpf_x86_imm16(struct xbpf_jit_buf *b, u16 v)
{
	xbpf_x86_byte(b, v & 0xff);
	xbpf_x86_byte(b, v >> 8);
}

void xbpf_x86_imm32(struct xbpf_jit_buf *b, u32 v)
{
	xbpf_x86_imm16(b, v & 0xffff);
	xbpf_x86_imm16(b, v >> 16);
}

void xbpf_x86_imm64(struct xbpf_jit_buf *b, u64 v)
{
	xbpf_x86_imm32(b, (u32)v);
	xbpf_x86_imm32(b, (u32)(v >> 32));
}

/*
 * Prefixes, then REX when needed: for REX.W, an extended register, or a
 * byte register numbered 4-7 (spl, bpl, sil, dil exist only with a REX;
 * without it those numbers are ah, ch, dh, bh).  No operand is indexed,
 * so REX.X stays clear.
 */
static void xbpf_x86_prefix(struct xbpf_jit_buf *b, u32 flags, u8 reg, u8 rm, bool rm_is_reg)
{
	u8 rex = 0x40;

	if (flags & XBPF_X86_LOCK)
		xbpf_x86_byte(b, 0xf0);
	if (flags & XBPF_X86_66)
		xbpf_x86_byte(b, 0x66);
	if (flags & XBPF_X86_W)
		rex |= 0x08;
	if (reg & 8)
		rex |= 0x04;
	if (rm & 8)
		rex |= 0x01;
	if (rex != 0x40 ||
	    ((flags & XBPF_X86_BREG) && reg >= 4 && reg <= 7) ||
	    ((flags & XBPF_X86_BRM) && rm_is_reg && rm >= 4 && rm <= 7))
		xbpf_x86_byte(b, rex);
}

static void xbpf_x86_opcode(struct xbpf_jit_buf *b, u32 op)
{
	if (op > 0xff)
		xbpf_x86_byte(b, op >> 8);
	xbpf_x86_byte(b, op & 0xff);
}

void xbpf_x86_rr(struct xbpf_jit_buf *b, u32 flags, u32 op, u8 reg, u8 rm)
{
	xbpf_x86_prefix(b, flags, reg, rm, true);
	xbpf_x86_opcode(b, op);
	xbpf_x86_byte(b, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/*
 * [base + disp]: always with a displacement (mod 01 or 10), because
 * mod 00 with base rbp/r13 means rip-relative/disp32 instead; base
 * rsp/r12 needs a SIB byte (0x24: no index, that base).
 */
void xbpf_x86_rm(struct xbpf_jit_buf *b, u32 flags, u32 op, u8 reg, u8 base, s32 disp)
{
	bool d8 = xbpf_x86_is_imm8(disp);

	xbpf_x86_prefix(b, flags, reg, base, false);
	xbpf_x86_opcode(b, op);
	xbpf_x86_byte(b, (d8 ? 0x40 : 0x80) | (reg & 7) << 3 | (base & 7));
	if ((base & 7) == XBPF_X86_RSP)
		xbpf_x86_byte(b, 0x24);
	if (d8)
		xbpf_x86_byte(b, (u8)disp);
	else
		xbpf_x86_imm32(b, (u32)disp);
}

void xbpf_x86_mov_rr(struct xbpf_jit_buf *b, bool is64, u8 dst, u8 src)
{
	xbpf_x86_rr(b, is64 ? XBPF_X86_W : 0, 0x89, src, dst);
}

void xbpf_x86_mov_imm32(struct xbpf_jit_buf *b, u8 dst, u32 imm)
{
	if (dst & 8)
		xbpf_x86_byte(b, 0x41);
	xbpf_x86_byte(b, 0xb8 + (dst & 7));
	xbpf_x86_imm32(b, imm);
}

void xbpf_x86_movabs(struct xbpf_jit_buf *b, u8 dst, u64 imm)
{
	xbpf_x86_byte(b, 0x48 | (dst & 8 ? 1 : 0));
	xbpf_x86_byte(b, 0xb8 + (dst & 7));
	xbpf_x86_imm64(b, imm);
}

void xbpf_x86_mov_imm(struct xbpf_jit_buf *b, u8 dst, u64 imm)
{
	if (!imm) {
		/* xor r32, r32: clears all 64 bits (flags are dead here) */
		xbpf_x86_rr(b, 0, 0x31, dst, dst);
	} else if (imm <= U32_MAX) {
		xbpf_x86_mov_imm32(b, dst, (u32)imm);
	} else if (xbpf_x86_is_simm32((s64)imm)) {
		/* mov r/m64, imm32 sign-extends */
		xbpf_x86_rr(b, XBPF_X86_W, 0xc7, 0, dst);
		xbpf_x86_imm32(b, (u32)imm);
	} else {
		xbpf_x86_movabs(b, dst, imm);
	}
}

void xbpf_x86_alu_imm(struct xbpf_jit_buf *b, bool is64, u8 ext, u8 dst, s32 imm)
{
	u32 flags = is64 ? XBPF_X86_W : 0;

	if (xbpf_x86_is_imm8(imm)) {
		xbpf_x86_rr(b, flags, 0x83, ext, dst);
		xbpf_x86_byte(b, (u8)imm);
	} else {
		xbpf_x86_rr(b, flags, 0x81, ext, dst);
		xbpf_x86_imm32(b, (u32)imm);
	}
}

void xbpf_x86_push(struct xbpf_jit_buf *b, u8 reg)
{
	if (reg & 8)
		xbpf_x86_byte(b, 0x41);
	xbpf_x86_byte(b, 0x50 + (reg & 7));
}

void xbpf_x86_pop(struct xbpf_jit_buf *b, u8 reg)
{
	if (reg & 8)
		xbpf_x86_byte(b, 0x41);
	xbpf_x86_byte(b, 0x58 + (reg & 7));
}

void xbpf_x86_jmp(struct xbpf_jit_buf *b, s32 rel, bool short_form)
{
	if (short_form) {
		xbpf_x86_byte(b, 0xeb);
		xbpf_x86_byte(b, (u8)rel);
	} else {
		xbpf_x86_byte(b, 0xe9);
		xbpf_x86_imm32(b, (u32)rel);
	}
}

void xbpf_x86_jcc(struct xbpf_jit_buf *b, u8 cc, s32 rel, bool short_form)
{
	if (short_form) {
		xbpf_x86_byte(b, 0x70 + cc);
		xbpf_x86_byte(b, (u8)rel);
	} else {
		xbpf_x86_byte(b, 0x0f);
		xbpf_x86_byte(b, 0x80 + cc);
		xbpf_x86_imm32(b, (u32)rel);
	}
}

void xbpf_x86_call_rel(struct xbpf_jit_buf *b, s32 rel)
{
	xbpf_x86_byte(b, 0xe8);
	xbpf_x86_imm32(b, (u32)rel);
}

/*
 * op rel32 to the absolute address target.  Position independent (b->at
 * 0): a zero displacement, only good for sizing; an out of reach target
 * is a caller bug (the kernel's thunks are always in reach of
 * module_alloc'd memory).
 */
static void xbpf_x86_branch_abs(struct xbpf_jit_buf *b, u8 op, u64 target)
{
	s64 rel = b->at ? (s64)(target - (b->at + b->len + 5)) : 0;

	if (!xbpf_x86_is_simm32(rel))
		b->overflow = true;
	xbpf_x86_byte(b, op);
	xbpf_x86_imm32(b, (u32)rel);
}

void xbpf_x86_call_reg(struct xbpf_jit_buf *b, u8 reg)
{
	if (b->indirect_thunk) {
		/* the thunk takes its target in r11; no other register has one */
		if (reg != XBPF_X86_R11)
			b->overflow = true;
		xbpf_x86_branch_abs(b, 0xe8, b->indirect_thunk);
		return;
	}
	/* FF /2: call r/m64 */
	xbpf_x86_rr(b, 0, 0xff, 2, reg);
}

void xbpf_x86_jmp_reg(struct xbpf_jit_buf *b, u8 reg)
{
	if (b->indirect_thunk) {
		if (reg != XBPF_X86_R11)
			b->overflow = true;
		xbpf_x86_branch_abs(b, 0xe9, b->indirect_thunk);
		return;
	}
	/* FF /4: jmp r/m64; int3: no straight-line speculation past it */
	xbpf_x86_rr(b, 0, 0xff, 4, reg);
	xbpf_x86_byte(b, 0xcc);
}

void xbpf_x86_ret(struct xbpf_jit_buf *b)
{
	if (b->return_thunk) {
		xbpf_x86_branch_abs(b, 0xe9, b->return_thunk);
		/* no straight-line speculation past the jump */
		xbpf_x86_byte(b, 0xcc);
		return;
	}
	xbpf_x86_byte(b, 0xc3);
}

void xbpf_x86_nop5(struct xbpf_jit_buf *b)
{
	/* nopl 0x0(%rax,%rax,1) */
	xbpf_x86_byte(b, 0x0f);
	xbpf_x86_byte(b, 0x1f);
	xbpf_x86_byte(b, 0x44);
	xbpf_x86_byte(b, 0x00);
	xbpf_x86_byte(b, 0x00);
}

void xbpf_x86_nop2(struct xbpf_jit_buf *b)
{
	/* xchg %ax,%ax */
	xbpf_x86_byte(b, 0x66);
	xbpf_x86_byte(b, 0x90);
}

/*
 * The bytes come from data, read one at a time through volatile: as an
 * immediate in the JIT's own text (a constant store the compiler may
 * merge) they would form an endbr64 in the middle of an instruction, an
 * indirect branch target IBT would accept.
 */
static const u8 xbpf_x86_endbr64_bytes[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

void xbpf_x86_endbr64(struct xbpf_jit_buf *b)
{
	u32 k;

	for (k = 0; k < sizeof(xbpf_x86_endbr64_bytes); k++)
		xbpf_x86_byte(b, READ_ONCE(xbpf_x86_endbr64_bytes[k]));
}

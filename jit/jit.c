// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 JIT: function layout, the sizing passes and the lowering of
 * every instruction the interpreter runs (jit/README has the design).
 *
 * Registers: BPF r0-r10 live in rax, rdi, rsi, rdx, rcx, r8, rbx, r13,
 * r14, r15, rbp, so r1-r5 are the System V argument registers and r6-r9
 * callee-saved ones: a helper call needs no shuffling, and a helper
 * preserves r6-r10 as BPF requires.  r9, r10 and r11 are scratch, never
 * live across BPF instructions.  The verifier's hidden AX (sanitation,
 * blinding) lives in r12: callee-saved too, and no lowering uses it as
 * scratch, so AX survives every instruction that does not write it.
 *
 * Frame of each function (the main program and every subprogram):
 *
 *	nop5				future text_poke site
 *	xor eax,eax | nop2		main | subprogram (tail-call count in eax)
 *	push rbp; mov rbp,rsp		r10 = rbp: the BPF stack is below it
 *					(a tail call lands here, offset 11)
 *	sub rsp,frame			(absent when frame is 0)
 *	mov [rbp-tcc_off],eax		only if a tail call is reachable
 *	push rbx/r13/r14/r15/r12	only those the function uses (r12: AX)
 *	...body...
 *	xor eax,eax			only with LD_ABS/LD_IND: their failure path
 *	pop r12/r15/r14/r13/rbx; leave; ret
 *
 * frame is the verified stack depth rounded up to 8, plus the count's
 * slot in a function that can reach a tail call, plus 8 more when
 * needed for rsp to be 16-byte aligned at every call the body makes (the
 * System V rule the userspace helpers are compiled for).
 *
 * Sizing: instructions whose length depends on a distance are jumps (rel8
 * or rel32, or nothing for a jump to the next instruction) and helper
 * calls (rel32 or through a register).  The first pass emits the long form
 * of each; every later pass picks forms from the previous pass's offsets.
 * Lengths then never grow from one pass to the next (a distance is a sum
 * of lengths, and a form chosen for a distance stays valid for any
 * shorter one), so the total shrinks until two passes agree, which with
 * no length growing means every offset agrees; the final pass writes the
 * image with exactly those offsets.  Each jump is the last x86
 * instruction of its BPF instruction's code, so its displacement is
 * "target start - this instruction's end".
 */
#include "jit.h"
#include "emit.h"
#include "../maps/prog_array.h"

#define XBPF_JIT_DEFAULT_PASSES	20

/* Scratch registers: never hold a BPF value between instructions. */
#define AUX	XBPF_X86_R11
#define TMP	XBPF_X86_R10
#define TMP2	XBPF_X86_R9

static const u8 xbpf_jit_regs[XBPF_JIT_REG_AX + 1] = {
	XBPF_X86_RAX, XBPF_X86_RDI, XBPF_X86_RSI, XBPF_X86_RDX, XBPF_X86_RCX,
	XBPF_X86_R8, XBPF_X86_RBX, XBPF_X86_R13, XBPF_X86_R14, XBPF_X86_R15,
	XBPF_X86_RBP, XBPF_X86_R12,
};

/*
 * r6-r9 and AX, in push order: the one list the prologue pushes from and
 * both the epilogue and the tail-call unwind pop from (bit n of
 * xbpf_jit_func.saved: entry n is pushed).
 */
static const u8 xbpf_jit_callee_saved[] = {
	XBPF_X86_RBX, XBPF_X86_R13, XBPF_X86_R14, XBPF_X86_R15, XBPF_X86_R12,
};
#define XBPF_JIT_NR_SAVED	ARRAY_SIZE(xbpf_jit_callee_saved)
#define XBPF_JIT_SAVED_AX	(1 << 4)	/* saved's bit for AX (r12) */

struct xbpf_jit_func {
	u32	start, end;	/* instructions [start, end) */
	u32	frame;		/* bytes below rbp (see the top) */
	u8	saved;		/* bit n: xbpf_jit_callee_saved[n] is pushed */
	bool	has_ld_abs;
	/*
	 * A tail call can happen in this function or below it: the count
	 * arrives in eax and lives at [rbp - tcc_off], under the BPF stack.
	 */
	bool	tcc;
	s32	tcc_off;
};

/* Image offsets of one pass. */
struct xbpf_jit_layout {
	u32	*start;		/* per instruction: where its code starts */
	u32	*end;		/* ... and ends (lddw's second slot: both its end) */
	u32	*entry;		/* per function: prologue */
	u32	*fail;		/* ... LD_ABS failure stub (r0 = 0) */
	u32	*epi;		/* ... epilogue */
	u32	size;
};

struct xbpf_jit_ctx {
	const struct xbpf_prog	*prog;
	struct xbpf_jit_func	*funcs;
	u32			nr_funcs;
	u8			*slot2;		/* second slot of an lddw */
	struct xbpf_jit_layout	prev, cur;
	bool			first;		/* no previous pass: long forms */
	u64			exec_addr;	/* 0: position independent */
	u32			bound;		/* first pass's size: an upper bound */
	u64			indirect_thunk;	/* struct xbpf_jit_opts */
	u64			return_thunk;
	bool			ibt;		/* opts->ibt: endbr64 at entries */
	/* per insn: 1 + index in prog->tail_sites of a direct site, or 0 */
	u32			*site_of;
	/* final pass: each direct site's offsets, by site index */
	struct xbpf_jit_poke	*pokes;
};

const u8 xbpf_jit_nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

void xbpf_jit_jmp32(u8 out[5], u64 at, u64 dest)
{
	u32 rel = (u32)(dest - (at + 5));

	out[0] = 0xe9;
	out[1] = (u8)rel;
	out[2] = (u8)(rel >> 8);
	out[3] = (u8)(rel >> 16);
	out[4] = (u8)(rel >> 24);
}

u64 xbpf_jit_ld_pkt(const struct xbpf_skb *skb, s32 k, u32 size)
{
	const u8 *p = xbpf_skb_pkt_ptr(skb, k, size);

	if (!p)
		return U64_MAX;
	if (size == 4)
		return get_unaligned_be32(p);
	if (size == 2)
		return get_unaligned_be16(p);
	return *p;
}

static void xbpf_jit_poke_step(struct xbpf_jit_poke_step *s, u32 off, const u8 old[5],
			       const u8 new[5], bool sync_before)
{
	s->off = off;
	memcpy(s->old, old, 5);
	memcpy(s->new, new, 5);
	s->sync_before = sync_before;
}

u32 xbpf_jit_poke_plan(const struct xbpf_jit_poke *p, u64 image_addr, u64 old_func,
		       u64 new_func, bool ibt, struct xbpf_jit_poke_step steps[2])
{
	u64 bypass = image_addr + p->bypass_off, target = image_addr + p->target_off;
	u32 land = xbpf_jit_tail_call_offset(ibt);
	u8 skip[5], old_t[5], new_t[5];

	xbpf_jit_jmp32(skip, bypass, image_addr + p->skip_off);
	if (old_func)
		xbpf_jit_jmp32(old_t, target, old_func + land);
	if (new_func)
		xbpf_jit_jmp32(new_t, target, new_func + land);
	if (!old_func && !new_func)
		return 0;
	if (!old_func) {
		/* C -> D: the target while the bypass still skips it; D -> B */
		xbpf_jit_poke_step(&steps[0], p->target_off, xbpf_jit_nop5, new_t, false);
		xbpf_jit_poke_step(&steps[1], p->bypass_off, skip, xbpf_jit_nop5, false);
		return 2;
	}
	if (new_func) {
		/* B -> B': only the target; the unwind before it is the same */
		xbpf_jit_poke_step(&steps[0], p->target_off, old_t, new_t, false);
		return 1;
	}
	/* B -> D(old) -> C: runs past the bypass must drain before the nop */
	xbpf_jit_poke_step(&steps[0], p->bypass_off, xbpf_jit_nop5, skip, false);
	xbpf_jit_poke_step(&steps[1], p->target_off, old_t, xbpf_jit_nop5, true);
	return 2;
}

static inline u8 R(u8 bpf_reg)
{
	return xbpf_jit_regs[bpf_reg];
}

/* Short rel8 placeholder; returns where to patch. */
static u32 xbpf_jit_fwd_jcc(struct xbpf_jit_buf *b, int cc)
{
	if (cc < 0)
		xbpf_x86_byte(b, 0xeb);
	else
		xbpf_x86_byte(b, 0x70 + cc);
	xbpf_x86_byte(b, 0);
	return b->len - 1;
}

/* Points the rel8 at 'at' to the current end of b. */
static void xbpf_jit_patch(struct xbpf_jit_buf *b, u32 at)
{
	u32 rel = b->len - (at + 1);

	if (rel > 127)
		b->overflow = true;	/* caught as a JIT bug */
	else
		b->b[at] = (u8)rel;
}

/*
 * A jump to image offset target (of the previous pass) as the last
 * instruction of insn i.  cc < 0: unconditional, left out when the target
 * is the next byte.
 */
static void xbpf_jit_jump(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
			  u32 target, int cc)
{
	s64 rel;

	if (c->first) {
		if (cc < 0)
			xbpf_x86_jmp(b, 0, false);
		else
			xbpf_x86_jcc(b, cc, 0, false);
		return;
	}
	rel = (s64)target - c->prev.end[i];
	if (cc < 0 && !rel)
		return;
	if (cc < 0)
		xbpf_x86_jmp(b, (s32)rel, xbpf_x86_is_imm8(rel));
	else
		xbpf_x86_jcc(b, cc, (s32)rel, xbpf_x86_is_imm8(rel));
}

/* Can a call rel32 anywhere in the image reach addr? */
static bool xbpf_jit_near(const struct xbpf_jit_ctx *c, u64 addr)
{
	if (!c->exec_addr || c->first)
		return false;
	return xbpf_x86_is_simm32((s64)(addr - c->exec_addr)) &&
	       xbpf_x86_is_simm32((s64)(addr - (c->exec_addr + c->bound)));
}

/*
 * A call to native code at addr from insn i's code.  Not necessarily its
 * last instruction (LD_ABS pops after it): the call ends 5 bytes past what
 * b holds, counted from the insn's start, and the code before it in the
 * insn has no jumps, so that sum is exact in the final pass.
 */
static void xbpf_jit_call_native(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
				 u64 addr)
{
	if (xbpf_jit_near(c, addr)) {
		u64 end = c->exec_addr + c->prev.start[i] + b->len + 5;

		xbpf_x86_call_rel(b, (s32)(s64)(addr - end));
		return;
	}
	xbpf_x86_movabs(b, AUX, addr);
	xbpf_x86_call_reg(b, AUX);
}

/* ---------------------------------------------------------------------
 * ALU
 */

/* Group-1 reg-reg opcodes ("op r/m, reg") and immediate extensions. */
static bool xbpf_jit_alu_op(u8 op, u8 *rr, u8 *ext)
{
	switch (op) {
	case XBPF_ADD:
		*rr = 0x01, *ext = 0;
		return true;
	case XBPF_SUB:
		*rr = 0x29, *ext = 5;
		return true;
	case XBPF_AND:
		*rr = 0x21, *ext = 4;
		return true;
	case XBPF_OR:
		*rr = 0x09, *ext = 1;
		return true;
	case XBPF_XOR:
		*rr = 0x31, *ext = 6;
		return true;
	}
	return false;
}

static u8 xbpf_jit_shift_ext(u8 op)
{
	return op == XBPF_LSH ? 4 : op == XBPF_RSH ? 5 : 7;
}

/* Shift by a register: x86 takes the count in cl only. */
static void xbpf_jit_shift_x(struct xbpf_jit_buf *b, bool is64, u8 ext, u8 dst, u8 src)
{
	u32 w = is64 ? XBPF_X86_W : 0;
	u8 target = dst;

	if (src == XBPF_X86_RCX) {
		xbpf_x86_rr(b, w, 0xd3, ext, dst);
		return;
	}
	/* rcx (r4) is parked in TMP; a shift of r4 itself happens there. */
	xbpf_x86_mov_rr(b, true, TMP, XBPF_X86_RCX);
	xbpf_x86_mov_rr(b, true, XBPF_X86_RCX, src);
	if (dst == XBPF_X86_RCX)
		target = TMP;
	xbpf_x86_rr(b, w, 0xd3, ext, target);
	xbpf_x86_mov_rr(b, true, XBPF_X86_RCX, TMP);
}

/*
 * The division itself, divisor in AUX (non-zero, and not -1 when signed),
 * result left in AUX; rax and rdx survive.
 */
static void xbpf_jit_div_core(struct xbpf_jit_buf *b, bool is64, bool is_signed,
			      bool is_mod, u8 dst)
{
	u32 w = is64 ? XBPF_X86_W : 0;

	xbpf_x86_mov_rr(b, true, TMP, XBPF_X86_RAX);
	xbpf_x86_mov_rr(b, true, TMP2, XBPF_X86_RDX);
	xbpf_x86_mov_rr(b, is64, XBPF_X86_RAX, dst);
	if (is_signed) {
		if (is64)
			xbpf_x86_byte(b, 0x48);
		xbpf_x86_byte(b, 0x99);		/* cqo / cdq */
	} else {
		xbpf_x86_rr(b, 0, 0x31, XBPF_X86_RDX, XBPF_X86_RDX);
	}
	xbpf_x86_rr(b, w, 0xf7, is_signed ? 7 : 6, AUX);	/* (i)div */
	xbpf_x86_mov_rr(b, is64, AUX, is_mod ? XBPF_X86_RDX : XBPF_X86_RAX);
	xbpf_x86_mov_rr(b, true, XBPF_X86_RAX, TMP);
	xbpf_x86_mov_rr(b, true, XBPF_X86_RDX, TMP2);
	xbpf_x86_mov_rr(b, true, dst, AUX);
}

/* The interpreter's x / 0 (0) and x % 0 (x); 32-bit forms zero-extend. */
static void xbpf_jit_div_by_zero(struct xbpf_jit_buf *b, bool is64, bool is_mod, u8 dst)
{
	if (!is_mod)
		xbpf_x86_rr(b, 0, 0x31, dst, dst);
	else if (!is64)
		xbpf_x86_mov_rr(b, false, dst, dst);
}

/* Signed x / -1 (-x, S64_MIN stays) and x % -1 (0). */
static void xbpf_jit_div_by_m1(struct xbpf_jit_buf *b, bool is64, bool is_mod, u8 dst)
{
	if (is_mod)
		xbpf_x86_rr(b, 0, 0x31, dst, dst);
	else
		xbpf_x86_rr(b, is64 ? XBPF_X86_W : 0, 0xf7, 3, dst);	/* neg */
}

static int xbpf_jit_divmod(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	bool is_mod = XBPF_OP(insn->code) == XBPF_MOD;
	bool is_signed = insn->off == 1;
	u8 dst = R(insn->dst_reg);
	u32 zero, m1 = 0, done1, done2 = 0;

	if (insn->off != 0 && insn->off != 1)
		return -EINVAL;
	if (XBPF_SRC(insn->code) == XBPF_K) {
		/* A known divisor: only the path it takes. */
		if (is64 ? !insn->imm : !(u32)insn->imm) {
			xbpf_jit_div_by_zero(b, is64, is_mod, dst);
		} else if (is_signed && insn->imm == -1) {
			xbpf_jit_div_by_m1(b, is64, is_mod, dst);
		} else {
			if (is64)
				xbpf_x86_mov_imm(b, AUX, (u64)(s64)insn->imm);
			else
				xbpf_x86_mov_imm32(b, AUX, (u32)insn->imm);
			xbpf_jit_div_core(b, is64, is_signed, is_mod, dst);
		}
		return 0;
	}

	xbpf_x86_mov_rr(b, is64, AUX, R(insn->src_reg));
	xbpf_x86_rr(b, is64 ? XBPF_X86_W : 0, 0x85, AUX, AUX);	/* test */
	zero = xbpf_jit_fwd_jcc(b, XBPF_X86_CC_E);
	if (is_signed) {
		xbpf_x86_alu_imm(b, is64, 7, AUX, -1);		/* cmp aux, -1 */
		m1 = xbpf_jit_fwd_jcc(b, XBPF_X86_CC_E);
	}
	xbpf_jit_div_core(b, is64, is_signed, is_mod, dst);
	done1 = xbpf_jit_fwd_jcc(b, -1);
	xbpf_jit_patch(b, zero);
	xbpf_jit_div_by_zero(b, is64, is_mod, dst);
	if (is_signed) {
		done2 = xbpf_jit_fwd_jcc(b, -1);
		xbpf_jit_patch(b, m1);
		xbpf_jit_div_by_m1(b, is64, is_mod, dst);
		xbpf_jit_patch(b, done2);
	}
	xbpf_jit_patch(b, done1);
	return 0;
}

static int xbpf_jit_end(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	u8 dst = R(insn->dst_reg);
	bool swap = XBPF_CLASS(insn->code) == XBPF_ALU64 ||
		    XBPF_SRC(insn->code) == XBPF_TO_BE;	/* the host is little-endian */

	if (XBPF_CLASS(insn->code) == XBPF_ALU64 && XBPF_SRC(insn->code) != XBPF_TO_LE)
		return -EINVAL;
	switch (insn->imm) {
	case 16:
		if (swap) {
			xbpf_x86_rr(b, XBPF_X86_66, 0xc1, 1, dst);	/* ror r16, 8 */
			xbpf_x86_byte(b, 8);
		}
		xbpf_x86_rr(b, 0, 0x0fb7, dst, dst);			/* movzx r32, r16 */
		return 0;
	case 32:
		if (swap) {
			if (dst & 8)
				xbpf_x86_byte(b, 0x41);
			xbpf_x86_byte(b, 0x0f);
			xbpf_x86_byte(b, 0xc8 + (dst & 7));		/* bswap r32 */
		} else {
			xbpf_x86_mov_rr(b, false, dst, dst);
		}
		return 0;
	case 64:
		if (swap) {
			xbpf_x86_byte(b, 0x48 | (dst & 8 ? 1 : 0));
			xbpf_x86_byte(b, 0x0f);
			xbpf_x86_byte(b, 0xc8 + (dst & 7));		/* bswap r64 */
		}
		return 0;
	}
	return -EINVAL;
}

static int xbpf_jit_mov_x(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	u8 dst = R(insn->dst_reg), src = R(insn->src_reg);
	u32 w = is64 ? XBPF_X86_W : 0;

	switch (insn->off) {
	case 0:
		/* a 32-bit move to itself still zero-extends */
		if (!is64 || dst != src)
			xbpf_x86_mov_rr(b, is64, dst, src);
		return 0;
	case 8:
		xbpf_x86_rr(b, w | XBPF_X86_BRM, 0x0fbe, dst, src);
		return 0;
	case 16:
		xbpf_x86_rr(b, w, 0x0fbf, dst, src);
		return 0;
	case 32:
		if (!is64)
			return -EINVAL;
		xbpf_x86_rr(b, XBPF_X86_W, 0x63, dst, src);		/* movsxd */
		return 0;
	}
	return -EINVAL;
}

static int xbpf_jit_alu(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_ALU64;
	bool is_x = XBPF_SRC(insn->code) == XBPF_X;
	u8 op = XBPF_OP(insn->code), rr, ext;
	u8 dst = R(insn->dst_reg), src = R(insn->src_reg);
	u32 w = is64 ? XBPF_X86_W : 0;

	if (xbpf_jit_alu_op(op, &rr, &ext)) {
		if (is_x)
			xbpf_x86_rr(b, w, rr, src, dst);
		else
			xbpf_x86_alu_imm(b, is64, ext, dst, insn->imm);
		return 0;
	}
	switch (op) {
	case XBPF_MOV:
		if (is_x)
			return xbpf_jit_mov_x(b, insn);
		xbpf_x86_mov_imm(b, dst, is64 ? (u64)(s64)insn->imm : (u32)insn->imm);
		return 0;
	case XBPF_MUL:
		if (is_x) {
			xbpf_x86_rr(b, w, 0x0faf, dst, src);		/* imul r, r/m */
		} else if (xbpf_x86_is_imm8(insn->imm)) {
			xbpf_x86_rr(b, w, 0x6b, dst, dst);		/* imul r, r/m, ib */
			xbpf_x86_byte(b, (u8)insn->imm);
		} else {
			xbpf_x86_rr(b, w, 0x69, dst, dst);
			xbpf_x86_imm32(b, (u32)insn->imm);
		}
		return 0;
	case XBPF_LSH:
	case XBPF_RSH:
	case XBPF_ARSH:
		if (is_x) {
			xbpf_jit_shift_x(b, is64, xbpf_jit_shift_ext(op), dst, src);
		} else {
			/* the interpreter masks the count as the hardware does */
			u8 cnt = insn->imm & (is64 ? 63 : 31);

			if (cnt) {
				xbpf_x86_rr(b, w, 0xc1, xbpf_jit_shift_ext(op), dst);
				xbpf_x86_byte(b, cnt);
			} else if (!is64) {
				xbpf_x86_mov_rr(b, false, dst, dst);
			}
		}
		return 0;
	case XBPF_NEG:
		if (is_x)
			return -EINVAL;
		xbpf_x86_rr(b, w, 0xf7, 3, dst);
		return 0;
	case XBPF_DIV:
	case XBPF_MOD:
		return xbpf_jit_divmod(b, insn);
	case XBPF_END:
		return xbpf_jit_end(b, insn);
	}
	return -EINVAL;
}

/* ---------------------------------------------------------------------
 * Memory
 */

static int xbpf_jit_ldx(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	u8 dst = R(insn->dst_reg), src = R(insn->src_reg);
	bool sx = XBPF_MODE(insn->code) == XBPF_MEMSX;

	switch (XBPF_SIZE(insn->code)) {
	case XBPF_B:
		xbpf_x86_rm(b, sx ? XBPF_X86_W : 0, sx ? 0x0fbe : 0x0fb6, dst, src, insn->off);
		return 0;
	case XBPF_H:
		xbpf_x86_rm(b, sx ? XBPF_X86_W : 0, sx ? 0x0fbf : 0x0fb7, dst, src, insn->off);
		return 0;
	case XBPF_W:
		if (sx)
			xbpf_x86_rm(b, XBPF_X86_W, 0x63, dst, src, insn->off);	/* movsxd */
		else
			xbpf_x86_rm(b, 0, 0x8b, dst, src, insn->off);
		return 0;
	case XBPF_DW:
		if (sx)
			return -EINVAL;
		xbpf_x86_rm(b, XBPF_X86_W, 0x8b, dst, src, insn->off);
		return 0;
	}
	return -EINVAL;
}

static int xbpf_jit_store(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	u8 dst = R(insn->dst_reg), src = R(insn->src_reg);
	bool is_imm = XBPF_CLASS(insn->code) == XBPF_ST;
	u32 imm = (u32)insn->imm;

	switch (XBPF_SIZE(insn->code)) {
	case XBPF_B:
		if (is_imm) {
			xbpf_x86_rm(b, 0, 0xc6, 0, dst, insn->off);
			xbpf_x86_byte(b, (u8)imm);
		} else {
			xbpf_x86_rm(b, XBPF_X86_BREG, 0x88, src, dst, insn->off);
		}
		return 0;
	case XBPF_H:
		if (is_imm) {
			xbpf_x86_rm(b, XBPF_X86_66, 0xc7, 0, dst, insn->off);
			xbpf_x86_imm16(b, (u16)imm);
		} else {
			xbpf_x86_rm(b, XBPF_X86_66, 0x89, src, dst, insn->off);
		}
		return 0;
	case XBPF_W:
	case XBPF_DW: {
		u32 w = XBPF_SIZE(insn->code) == XBPF_DW ? XBPF_X86_W : 0;

		/* DW: the imm32 is sign-extended, as the interpreter's IMM */
		if (is_imm) {
			xbpf_x86_rm(b, w, 0xc7, 0, dst, insn->off);
			xbpf_x86_imm32(b, imm);
		} else {
			xbpf_x86_rm(b, w, 0x89, src, dst, insn->off);
		}
		return 0;
	}
	}
	return -EINVAL;
}

/*
 * Atomics.  add/and/or/xor without fetch are one locked instruction,
 * add with fetch is lock xadd, xchg and cmpxchg are themselves.  and/or/xor
 * with fetch have no x86 form: a cmpxchg loop, with the address in TMP,
 * the operand in TMP2, the new value in AUX and rax (r0) saved on the
 * machine stack (no call happens in between, so alignment is moot).
 * 32-bit forms zero-extend what they load into a register, as the
 * interpreter's do.
 */
static int xbpf_jit_atomic(struct xbpf_jit_buf *b, const struct xbpf_insn *insn)
{
	bool is64 = XBPF_SIZE(insn->code) == XBPF_DW;
	u32 w = is64 ? XBPF_X86_W : 0;
	u8 dst = R(insn->dst_reg), src = R(insn->src_reg);
	s16 off = insn->off;
	u8 rr, ext;
	u32 loop;

	if (!is64 && XBPF_SIZE(insn->code) != XBPF_W)
		return -EINVAL;
	switch (insn->imm) {
	case XBPF_ADD:
	case XBPF_AND:
	case XBPF_OR:
	case XBPF_XOR:
		xbpf_jit_alu_op(insn->imm, &rr, &ext);
		xbpf_x86_rm(b, w | XBPF_X86_LOCK, rr, src, dst, off);
		return 0;
	case XBPF_ADD | XBPF_FETCH:
		xbpf_x86_rm(b, w | XBPF_X86_LOCK, 0x0fc1, src, dst, off);	/* xadd */
		return 0;
	case XBPF_XCHG:
		xbpf_x86_rm(b, w, 0x87, src, dst, off);	/* implicitly locked */
		return 0;
	case XBPF_CMPXCHG:
		xbpf_x86_rm(b, w | XBPF_X86_LOCK, 0x0fb1, src, dst, off);
		/* eax is written only on failure: zero-extend it either way */
		if (!is64)
			xbpf_x86_mov_rr(b, false, XBPF_X86_RAX, XBPF_X86_RAX);
		return 0;
	case XBPF_AND | XBPF_FETCH:
	case XBPF_OR | XBPF_FETCH:
	case XBPF_XOR | XBPF_FETCH:
		xbpf_jit_alu_op(insn->imm & ~XBPF_FETCH, &rr, &ext);
		xbpf_x86_mov_rr(b, true, TMP2, src);
		xbpf_x86_rm(b, XBPF_X86_W, 0x8d, TMP, dst, off);		/* lea */
		xbpf_x86_push(b, XBPF_X86_RAX);
		xbpf_x86_rm(b, w, 0x8b, XBPF_X86_RAX, TMP, 0);
		loop = b->len;
		xbpf_x86_mov_rr(b, true, AUX, XBPF_X86_RAX);
		xbpf_x86_rr(b, w, rr, TMP2, AUX);
		xbpf_x86_rm(b, w | XBPF_X86_LOCK, 0x0fb1, AUX, TMP, 0);
		xbpf_x86_jcc(b, XBPF_X86_CC_NE, (s32)loop - (s32)(b->len + 2), true);
		if (src == XBPF_X86_RAX) {
			/* r0 is the fetch's destination: drop the saved copy */
			xbpf_x86_pop(b, AUX);
			if (!is64)
				xbpf_x86_mov_rr(b, false, XBPF_X86_RAX, XBPF_X86_RAX);
		} else {
			xbpf_x86_mov_rr(b, is64, src, XBPF_X86_RAX);
			xbpf_x86_pop(b, XBPF_X86_RAX);
		}
		return 0;
	}
	return -EINVAL;
}

/*
 * LD_ABS/LD_IND: r0 = xbpf_jit_ld_pkt(r6, k, size); on failure r0 = 0 and
 * the function returns (the stub before the epilogue).  r1-r5 keep their
 * values, as in the interpreter (the verifier treats them as clobbered,
 * so this only matters for exact agreement); the sixth push keeps rsp
 * 16-byte aligned for the call.
 */
static const u8 xbpf_jit_ld_saved[6] = {
	XBPF_X86_RDI, XBPF_X86_RSI, XBPF_X86_RDX, XBPF_X86_RCX, XBPF_X86_R8, XBPF_X86_R9,
};

static int xbpf_jit_ld_pkt_insn(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
				const struct xbpf_insn *insn, const struct xbpf_jit_func *f)
{
	u32 size;
	int k;

	switch (XBPF_SIZE(insn->code)) {
	case XBPF_B:
		size = 1;
		break;
	case XBPF_H:
		size = 2;
		break;
	case XBPF_W:
		size = 4;
		break;
	default:
		return -EINVAL;
	}
	for (k = 0; k < 6; k++)
		xbpf_x86_push(b, xbpf_jit_ld_saved[k]);
	if (XBPF_MODE(insn->code) == XBPF_IND) {
		/* k = (s32)((u32)src + imm), before rdi is overwritten */
		xbpf_x86_mov_rr(b, false, XBPF_X86_RSI, R(insn->src_reg));
		xbpf_x86_alu_imm(b, false, 0, XBPF_X86_RSI, insn->imm);
	} else {
		xbpf_x86_mov_imm32(b, XBPF_X86_RSI, (u32)insn->imm);
	}
	xbpf_x86_mov_rr(b, true, XBPF_X86_RDI, R(XBPF_REG_6));
	xbpf_x86_mov_imm32(b, XBPF_X86_RDX, size);
	xbpf_jit_call_native(c, b, i, (u64)(uintptr_t)xbpf_jit_ld_pkt);
	for (k = 5; k >= 0; k--)
		xbpf_x86_pop(b, xbpf_jit_ld_saved[k]);
	xbpf_x86_rr(b, XBPF_X86_W, 0x85, XBPF_X86_RAX, XBPF_X86_RAX);	/* test */
	xbpf_jit_jump(c, b, i, c->prev.fail[f - c->funcs], XBPF_X86_CC_S);
	return 0;
}

/* ---------------------------------------------------------------------
 * Jumps and calls
 */

static int xbpf_jit_cc(u8 op, int *cc)
{
	switch (op) {
	case XBPF_JEQ:
		*cc = XBPF_X86_CC_E;
		break;
	case XBPF_JNE:
	case XBPF_JSET:
		*cc = XBPF_X86_CC_NE;
		break;
	case XBPF_JGT:
		*cc = XBPF_X86_CC_A;
		break;
	case XBPF_JGE:
		*cc = XBPF_X86_CC_AE;
		break;
	case XBPF_JLT:
		*cc = XBPF_X86_CC_B;
		break;
	case XBPF_JLE:
		*cc = XBPF_X86_CC_BE;
		break;
	case XBPF_JSGT:
		*cc = XBPF_X86_CC_G;
		break;
	case XBPF_JSGE:
		*cc = XBPF_X86_CC_GE;
		break;
	case XBPF_JSLT:
		*cc = XBPF_X86_CC_L;
		break;
	case XBPF_JSLE:
		*cc = XBPF_X86_CC_LE;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* Target instruction t of a jump in f: inside f and not an lddw's second slot. */
static int xbpf_jit_target(const struct xbpf_jit_ctx *c, const struct xbpf_jit_func *f,
			   s64 t)
{
	if (t < f->start || t >= f->end || c->slot2[t])
		return -EINVAL;
	return 0;
}

static int xbpf_jit_jmp(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
			const struct xbpf_insn *insn, const struct xbpf_jit_func *f)
{
	bool is64 = XBPF_CLASS(insn->code) == XBPF_JMP;
	u8 op = XBPF_OP(insn->code);
	u8 dst = R(insn->dst_reg), src = R(insn->src_reg);
	u32 w = is64 ? XBPF_X86_W : 0;
	s64 t;
	int cc, err;

	if (op == XBPF_JA) {
		t = (s64)i + 1 + (is64 ? insn->off : insn->imm);
		err = xbpf_jit_target(c, f, t);
		if (!err)
			xbpf_jit_jump(c, b, i, c->prev.start[t], -1);
		return err;
	}
	err = xbpf_jit_cc(op, &cc);
	if (err)
		return err;
	t = (s64)i + 1 + insn->off;
	err = xbpf_jit_target(c, f, t);
	if (err)
		return err;
	if (XBPF_SRC(insn->code) == XBPF_X)
		xbpf_x86_rr(b, w, op == XBPF_JSET ? 0x85 : 0x39, src, dst);
	else if (op == XBPF_JSET) {
		xbpf_x86_rr(b, w, 0xf7, 0, dst);			/* test r/m, imm32 */
		xbpf_x86_imm32(b, (u32)insn->imm);
	} else {
		xbpf_x86_alu_imm(b, is64, 7, dst, insn->imm);		/* cmp */
	}
	xbpf_jit_jump(c, b, i, c->prev.start[t], cc);
	return 0;
}

/* ---------------------------------------------------------------------
 * Tail calls (jit/README "Tail calls")
 */

static void xbpf_jit_push_saved(struct xbpf_jit_buf *b, const struct xbpf_jit_func *f)
{
	u32 k;

	for (k = 0; k < ARRAY_SIZE(xbpf_jit_callee_saved); k++)
		if (f->saved & (1 << k))
			xbpf_x86_push(b, xbpf_jit_callee_saved[k]);
}

static void xbpf_jit_pop_saved(struct xbpf_jit_buf *b, const struct xbpf_jit_func *f)
{
	u32 k;

	for (k = ARRAY_SIZE(xbpf_jit_callee_saved); k-- > 0;)
		if (f->saved & (1 << k))
			xbpf_x86_pop(b, xbpf_jit_callee_saved[k]);
}

/*
 * What a tail call undoes before its jump: the pushes and the frame.
 * rbp stays pushed and stays the frame base, the return address above
 * it, exactly as at the end of the target's own "push rbp; mov rbp,rsp",
 * where the jump lands (so rsp keeps the alignment of a function entry).
 */
static void xbpf_jit_unwind(struct xbpf_jit_buf *b, const struct xbpf_jit_func *f)
{
	xbpf_jit_pop_saved(b, f);
	xbpf_x86_mov_rr(b, true, XBPF_X86_RSP, XBPF_X86_RBP);
}

/*
 * TMP = the count; at the limit, a rel8 jump the caller points past the
 * call (returned for xbpf_jit_patch); else the count goes up in its slot
 * and in TMP.  Linux's order: the count goes up before the slot is read,
 * so an empty slot counts.
 */
static u32 xbpf_jit_tcc_inc(struct xbpf_jit_buf *b, const struct xbpf_jit_func *f)
{
	u32 out;

	xbpf_x86_rm(b, 0, 0x8b, TMP, XBPF_X86_RBP, -f->tcc_off);
	xbpf_x86_alu_imm(b, false, 7, TMP, XBPF_MAX_TAIL_CALL_CNT);
	out = xbpf_jit_fwd_jcc(b, XBPF_X86_CC_AE);
	xbpf_x86_alu_imm(b, false, 0, TMP, 1);
	xbpf_x86_rm(b, 0, 0x89, TMP, XBPF_X86_RBP, -f->tcc_off);
	return out;
}

/*
 * bpf_tail_call(r1 ctx, r2 array, r3 index) through the array: rdi, rsi,
 * rdx.  Only r10/r11 change until the jump, so a call that falls through
 * leaves every BPF register as the interpreter does.
 */
static void xbpf_jit_tail_indirect(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b,
				   const struct xbpf_jit_func *f)
{
	u32 out[4], k;

	/* cmp edx, [rsi + max_entries]: the index is a u32 */
	xbpf_x86_rm(b, 0, 0x3b, XBPF_X86_RDX, XBPF_X86_RSI,
		    offsetof(struct xbpf_prog_array, map.max_entries));
	out[0] = xbpf_jit_fwd_jcc(b, XBPF_X86_CC_AE);
	out[1] = xbpf_jit_tcc_inc(b, f);
	/* r11 = progs[index] */
	xbpf_x86_mov_rr(b, false, AUX, XBPF_X86_RDX);
	xbpf_x86_rr(b, XBPF_X86_W, 0xc1, 4, AUX);		/* shl r11, 3 */
	xbpf_x86_byte(b, 3);
	xbpf_x86_rr(b, XBPF_X86_W, 0x01, XBPF_X86_RSI, AUX);	/* add r11, rsi */
	xbpf_x86_rm(b, XBPF_X86_W, 0x8b, AUX, AUX, offsetof(struct xbpf_prog_array, progs));
	xbpf_x86_rr(b, XBPF_X86_W, 0x85, AUX, AUX);
	out[2] = xbpf_jit_fwd_jcc(b, XBPF_X86_CC_E);
	/* an interpreted program has no entry: the call fails */
	xbpf_x86_rm(b, XBPF_X86_W, 0x8b, AUX, AUX, offsetof(struct xbpf_prog, bpf_func));
	xbpf_x86_rr(b, XBPF_X86_W, 0x85, AUX, AUX);
	out[3] = xbpf_jit_fwd_jcc(b, XBPF_X86_CC_E);
	xbpf_x86_alu_imm(b, true, 0, AUX, xbpf_jit_tail_call_offset(c->ibt));
	xbpf_x86_mov_rr(b, false, XBPF_X86_RAX, TMP);		/* the target's count */
	xbpf_jit_unwind(b, f);
	xbpf_x86_jmp_reg(b, AUX);
	for (k = 0; k < ARRAY_SIZE(out); k++)
		xbpf_jit_patch(b, out[k]);
}

/*
 * A site with a known slot, in state C (struct xbpf_jit_poke): the owner
 * turns the bypass and target into jumps when the slot holds a program.
 * Every length here is fixed, so the offsets of the final pass are those
 * the owner patches.
 */
static void xbpf_jit_tail_direct(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
				 const struct xbpf_jit_func *f, u32 site)
{
	u32 skip, bypass, target, rel;

	skip = xbpf_jit_tcc_inc(b, f);
	bypass = b->len;
	xbpf_x86_jmp(b, 0, false);			/* rel32 set below */
	xbpf_x86_mov_rr(b, false, XBPF_X86_RAX, TMP);
	xbpf_jit_unwind(b, f);
	target = b->len;
	xbpf_x86_nop5(b);
	rel = b->len - (bypass + 5);
	b->b[bypass + 1] = (u8)rel;
	b->b[bypass + 2] = (u8)(rel >> 8);
	b->b[bypass + 3] = (u8)(rel >> 16);
	b->b[bypass + 4] = (u8)(rel >> 24);
	xbpf_jit_patch(b, skip);
	if (c->pokes) {
		struct xbpf_jit_poke *p = &c->pokes[site];

		p->site = site;
		p->bypass_off = c->cur.start[i] + bypass;
		p->target_off = c->cur.start[i] + target;
		p->skip_off = c->cur.start[i] + b->len;
	}
}

static int xbpf_jit_call(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
			 const struct xbpf_insn *insn, const struct xbpf_jit_func *f)
{
	const struct xbpf_helper_proto *fn;
	u32 g;

	if (insn->src_reg == XBPF_PSEUDO_CALL) {
		s64 t = (s64)i + 1 + insn->imm;

		for (g = 0; g < c->nr_funcs; g++)
			if (c->funcs[g].start == t)
				break;
		if (g == c->nr_funcs)
			return -EINVAL;
		/* a callee that carries a count needs a caller that has one */
		if (c->funcs[g].tcc && !f->tcc)
			return -EINVAL;
		/* the callee's count starts at ours (its nop2 keeps eax) */
		if (f->tcc)
			xbpf_x86_rm(b, 0, 0x8b, XBPF_X86_RAX, XBPF_X86_RBP, -f->tcc_off);
		xbpf_x86_call_rel(b, c->first ? 0 :
				  (s32)((s64)c->prev.entry[g] - c->prev.end[i]));
		return 0;
	}
	if (insn->src_reg)
		return -EINVAL;
	if (insn->imm == XBPF_FUNC_tail_call) {
		/* a function with a tail call is tcc (xbpf_jit_funcs) */
		if (WARN_ON_ONCE(!f->tcc))
			return -EFAULT;
		if (c->site_of && c->site_of[i])
			xbpf_jit_tail_direct(c, b, i, f, c->site_of[i] - 1);
		else
			xbpf_jit_tail_indirect(c, b, f);
		return 0;
	}
	fn = xbpf_helper_proto(insn->imm);
	if (!fn || !fn->fn)
		return -EINVAL;
	/* r1-r5 already are the argument registers, r0 the return one */
	xbpf_jit_call_native(c, b, i, (u64)(uintptr_t)fn->fn);
	return 0;
}

/* ---------------------------------------------------------------------
 * One instruction, prologue, epilogue, pass
 */

static int xbpf_jit_insn(struct xbpf_jit_ctx *c, struct xbpf_jit_buf *b, u32 i,
			 const struct xbpf_jit_func *f)
{
	const struct xbpf_insn *insn = &c->prog->insns[i];
	u8 cls = XBPF_CLASS(insn->code);

	if (insn->dst_reg > XBPF_JIT_REG_AX || insn->src_reg > XBPF_JIT_REG_AX)
		return -EINVAL;
	switch (cls) {
	case XBPF_ALU:
	case XBPF_ALU64:
		return xbpf_jit_alu(b, insn);
	case XBPF_LDX:
		if (XBPF_MODE(insn->code) != XBPF_MEM && XBPF_MODE(insn->code) != XBPF_MEMSX)
			return -EINVAL;
		return xbpf_jit_ldx(b, insn);
	case XBPF_ST:
		if (XBPF_MODE(insn->code) != XBPF_MEM)
			return -EINVAL;
		return xbpf_jit_store(b, insn);
	case XBPF_STX:
		if (XBPF_MODE(insn->code) == XBPF_ATOMIC)
			return xbpf_jit_atomic(b, insn);
		if (XBPF_MODE(insn->code) != XBPF_MEM)
			return -EINVAL;
		return xbpf_jit_store(b, insn);
	case XBPF_LD:
		if (insn->code == (XBPF_LD | XBPF_IMM | XBPF_DW)) {
			if (i + 1 >= f->end)
				return -EINVAL;
			xbpf_x86_mov_imm(b, R(insn->dst_reg),
					 (u64)(u32)insn[0].imm | (u64)(u32)insn[1].imm << 32);
			return 0;
		}
		if (XBPF_MODE(insn->code) == XBPF_ABS || XBPF_MODE(insn->code) == XBPF_IND)
			return xbpf_jit_ld_pkt_insn(c, b, i, insn, f);
		return -EINVAL;
	case XBPF_JMP:
	case XBPF_JMP32:
		if (insn->code == (XBPF_JMP | XBPF_CALL))
			return xbpf_jit_call(c, b, i, insn, f);
		if (insn->code == (XBPF_JMP | XBPF_EXIT)) {
			xbpf_jit_jump(c, b, i, c->prev.epi[f - c->funcs], -1);
			return 0;
		}
		if (XBPF_OP(insn->code) == XBPF_CALL || XBPF_OP(insn->code) == XBPF_EXIT)
			return -EINVAL;
		if (insn->code == (XBPF_JMP | XBPF_JA | XBPF_X) ||
		    insn->code == (XBPF_JMP32 | XBPF_JA | XBPF_X))
			return -EINVAL;
		return xbpf_jit_jmp(c, b, i, insn, f);
	}
	return -EINVAL;
}

/*
 * With ibt, endbr64 first in every function: the kernel calls the main
 * entry indirectly; subprograms are reached by call rel32, but their
 * entries are symbols (jited_ksyms) like any function's.  The main
 * function's tail-call landing gets a second one: an indirect tail call
 * without retpolines is a jmp *r11 to it.  A subprogram is never a
 * tail-call target, so it has no landing pad (one more would only be
 * one more place an indirect branch could land).
 */
static void xbpf_jit_prologue(struct xbpf_jit_buf *b, const struct xbpf_jit_func *f,
			      bool main, bool ibt)
{
	if (ibt)
		xbpf_x86_endbr64(b);
	xbpf_x86_nop5(b);
	if (main)
		xbpf_x86_rr(b, 0, 0x31, XBPF_X86_RAX, XBPF_X86_RAX);
	else
		xbpf_x86_nop2(b);
	xbpf_x86_push(b, XBPF_X86_RBP);
	xbpf_x86_mov_rr(b, true, XBPF_X86_RBP, XBPF_X86_RSP);
	/*
	 * Where tail calls land (the same length in a subprogram): a JIT
	 * bug, caught by xbpf_jit_put, otherwise.
	 */
	if (b->len != xbpf_jit_tail_call_offset(ibt))
		b->overflow = true;
	if (main && ibt)
		xbpf_x86_endbr64(b);
	if (f->frame) {
		/* sub rsp, imm32: a fixed length whatever the frame */
		xbpf_x86_rr(b, XBPF_X86_W, 0x81, 5, XBPF_X86_RSP);
		xbpf_x86_imm32(b, f->frame);
	}
	/* the count: 0 from the entry, the caller's or the tail caller's otherwise */
	if (f->tcc)
		xbpf_x86_rm(b, 0, 0x89, XBPF_X86_RAX, XBPF_X86_RBP, -f->tcc_off);
	xbpf_jit_push_saved(b, f);
}

static void xbpf_jit_epilogue(struct xbpf_jit_buf *b, const struct xbpf_jit_func *f)
{
	xbpf_jit_pop_saved(b, f);
	xbpf_x86_byte(b, 0xc9);		/* leave */
	xbpf_x86_ret(b);
}

/* Appends b at *pos (and to image in the final pass). */
static int xbpf_jit_put(struct xbpf_jit_buf *b, u8 *image, u32 *pos)
{
	if (WARN_ON_ONCE(b->overflow))
		return -EFAULT;
	if (image)
		memcpy(image + *pos, b->b, b->len);
	*pos += b->len;
	if (b->at)
		b->at += b->len;
	b->len = 0;
	return 0;
}

/* One pass over the whole program into c->cur (and image when non-NULL). */
static int xbpf_jit_pass(struct xbpf_jit_ctx *c, u8 *image)
{
	struct xbpf_jit_layout *l = &c->cur;
	struct xbpf_jit_buf b;
	u32 pos = 0, g, i;
	int err;

	b.len = 0;
	b.overflow = false;
	b.at = c->exec_addr;
	b.indirect_thunk = c->indirect_thunk;
	b.return_thunk = c->return_thunk;
	for (g = 0; g < c->nr_funcs; g++) {
		const struct xbpf_jit_func *f = &c->funcs[g];

		l->entry[g] = pos;
		xbpf_jit_prologue(&b, f, g == 0, c->ibt);
		err = xbpf_jit_put(&b, image, &pos);
		if (err)
			return err;
		for (i = f->start; i < f->end; i++) {
			l->start[i] = pos;
			err = xbpf_jit_insn(c, &b, i, f);
			if (!err)
				err = xbpf_jit_put(&b, image, &pos);
			if (err)
				return err;
			l->end[i] = pos;
			if (c->prog->insns[i].code == (XBPF_LD | XBPF_IMM | XBPF_DW)) {
				/* the second slot: no code of its own */
				i++;
				l->start[i] = pos;
				l->end[i] = pos;
			}
		}
		l->fail[g] = pos;
		if (f->has_ld_abs)
			xbpf_x86_rr(&b, 0, 0x31, XBPF_X86_RAX, XBPF_X86_RAX);
		l->epi[g] = b.len + pos;
		xbpf_jit_epilogue(&b, f);
		err = xbpf_jit_put(&b, image, &pos);
		if (err)
			return err;
	}
	l->size = pos;
	return 0;
}

/* ---------------------------------------------------------------------
 * Setup
 */

static bool xbpf_jit_is_ld_pkt(const struct xbpf_insn *insn)
{
	return XBPF_CLASS(insn->code) == XBPF_LD &&
	       (XBPF_MODE(insn->code) == XBPF_ABS || XBPF_MODE(insn->code) == XBPF_IND);
}

/*
 * Functions: the verifier's (prog->funcs) when the program was proved,
 * else the targets of pseudo calls with a full 512-byte frame each.  Then
 * per function: the registers it uses, LD_ABS, and the frame size.
 */
static int xbpf_jit_funcs(struct xbpf_jit_ctx *c)
{
	const struct xbpf_prog *prog = c->prog;
	u32 n = 0, i, g;
	bool any_tail = false;
	u8 *is_start;

	is_start = xbpf_kvzalloc(prog->len);
	if (!is_start)
		return -ENOMEM;
	is_start[0] = 1;
	if (prog->funcs && prog->nr_funcs) {
		for (g = 0; g < prog->nr_funcs; g++) {
			if (prog->funcs[g].start >= prog->len ||
			    (g && prog->funcs[g].start <= prog->funcs[g - 1].start) ||
			    (!g && prog->funcs[g].start)) {
				xbpf_kvfree(is_start);
				return -EINVAL;
			}
		}
		n = prog->nr_funcs;
	} else {
		for (i = 0; i < prog->len; i++) {
			const struct xbpf_insn *insn = &prog->insns[i];
			s64 t = (s64)i + 1 + insn->imm;

			if (insn->code == (XBPF_JMP | XBPF_CALL) &&
			    insn->src_reg == XBPF_PSEUDO_CALL) {
				if (t < 0 || t >= prog->len) {
					xbpf_kvfree(is_start);
					return -EINVAL;
				}
				is_start[t] = 1;
			}
		}
		for (i = 0; i < prog->len; i++)
			n += is_start[i];
	}
	c->funcs = xbpf_kvzalloc(n * sizeof(*c->funcs));
	if (!c->funcs) {
		xbpf_kvfree(is_start);
		return -ENOMEM;
	}
	c->nr_funcs = n;
	for (g = 0, i = 0; g < n; g++) {
		struct xbpf_jit_func *f = &c->funcs[g];

		if (prog->funcs && prog->nr_funcs) {
			f->start = prog->funcs[g].start;
		} else {
			while (!is_start[i])
				i++;
			f->start = i++;
		}
	}
	xbpf_kvfree(is_start);

	/*
	 * Which functions carry the count: the verifier's marks (a function
	 * with a tail call, or that calls down to one); without them, all of
	 * them as soon as the program has a tail call.
	 */
	for (i = 0; i < prog->len; i++)
		if (prog->insns[i].code == (XBPF_JMP | XBPF_CALL) && !prog->insns[i].src_reg &&
		    prog->insns[i].imm == XBPF_FUNC_tail_call)
			any_tail = true;
	for (g = 0; g < n; g++) {
		if (prog->funcs && prog->nr_funcs)
			c->funcs[g].tcc = prog->funcs[g].tail_call_reachable ||
					  prog->funcs[g].has_tail_call;
		else
			c->funcs[g].tcc = any_tail;
	}

	for (g = 0; g < n; g++) {
		struct xbpf_jit_func *f = &c->funcs[g];
		const struct xbpf_insn *last;
		u32 depth = prog->funcs && prog->nr_funcs ?
			    prog->funcs[g].stack_depth : XBPF_MAX_STACK;
		u32 pushes;

		f->end = g + 1 < n ? c->funcs[g + 1].start : prog->len;
		if (depth > XBPF_MAX_STACK)
			return -EINVAL;
		for (i = f->start; i < f->end; i++) {
			const struct xbpf_insn *insn = &prog->insns[i];

			if (c->slot2[i])
				continue;
			if (insn->code == (XBPF_LD | XBPF_IMM | XBPF_DW)) {
				if (i + 1 >= f->end)
					return -EINVAL;
				c->slot2[i + 1] = 1;
			}
			if (insn->dst_reg >= XBPF_REG_6 && insn->dst_reg <= XBPF_REG_9)
				f->saved |= 1 << (insn->dst_reg - XBPF_REG_6);
			if (insn->src_reg >= XBPF_REG_6 && insn->src_reg <= XBPF_REG_9 &&
			    !(insn->code == (XBPF_LD | XBPF_IMM | XBPF_DW)))
				f->saved |= 1 << (insn->src_reg - XBPF_REG_6);
			/* lddw's src_reg is a pseudo kind, never a register */
			if (insn->dst_reg == XBPF_JIT_REG_AX ||
			    (insn->src_reg == XBPF_JIT_REG_AX &&
			     insn->code != (XBPF_LD | XBPF_IMM | XBPF_DW)))
				f->saved |= XBPF_JIT_SAVED_AX;
			if (xbpf_jit_is_ld_pkt(insn))
				f->has_ld_abs = true;
			/* the verifier's marks must cover every tail call */
			if (insn->code == (XBPF_JMP | XBPF_CALL) && !insn->src_reg &&
			    insn->imm == XBPF_FUNC_tail_call && !f->tcc)
				return -EINVAL;
		}
		/* No falling into the next function's prologue. */
		last = &prog->insns[f->end - 1];
		if (c->slot2[f->end - 1] ||
		    (last->code != (XBPF_JMP | XBPF_EXIT) &&
		     last->code != (XBPF_JMP | XBPF_JA) &&
		     last->code != (XBPF_JMP32 | XBPF_JA)))
			return -EINVAL;
		pushes = 0;
		for (i = 0; i < XBPF_JIT_NR_SAVED; i++)
			pushes += !!(f->saved & (1 << i));
		f->frame = ALIGN(depth, 8);
		if (f->tcc) {
			/* the count's slot, under the BPF stack */
			f->frame += 8;
			f->tcc_off = (s32)f->frame;
		}
		if ((f->frame + 8 * pushes) % 16)
			f->frame += 8;
	}
	return 0;
}

/*
 * The verifier's direct sites, checked: each names a tail call of this
 * program through a program array, with a key in range (anything else
 * would make a patched jump the array cannot describe).
 */
static int xbpf_jit_sites(struct xbpf_jit_ctx *c)
{
	const struct xbpf_prog *prog = c->prog;
	u32 k;

	if (!prog->nr_tail_sites)
		return 0;
	if (!prog->tail_sites)
		return -EINVAL;
	c->site_of = xbpf_kvzalloc((size_t)prog->len * sizeof(u32));
	if (!c->site_of)
		return -ENOMEM;
	for (k = 0; k < prog->nr_tail_sites; k++) {
		const struct xbpf_tail_site *s = &prog->tail_sites[k];
		const struct xbpf_insn *insn;

		if (s->insn >= prog->len || c->site_of[s->insn] || c->slot2[s->insn] ||
		    !s->map || s->map->map_type != XBPF_MAP_TYPE_PROG_ARRAY ||
		    s->key >= s->map->max_entries)
			return -EINVAL;
		insn = &prog->insns[s->insn];
		if (insn->code != (XBPF_JMP | XBPF_CALL) || insn->src_reg ||
		    insn->imm != XBPF_FUNC_tail_call)
			return -EINVAL;
		c->site_of[s->insn] = k + 1;
	}
	return 0;
}

static int xbpf_jit_layout_alloc(struct xbpf_jit_layout *l, u32 len, u32 nr_funcs)
{
	l->start = xbpf_kvzalloc((size_t)len * sizeof(u32));
	l->end = xbpf_kvzalloc((size_t)len * sizeof(u32));
	l->entry = xbpf_kvzalloc((size_t)nr_funcs * sizeof(u32));
	l->fail = xbpf_kvzalloc((size_t)nr_funcs * sizeof(u32));
	l->epi = xbpf_kvzalloc((size_t)nr_funcs * sizeof(u32));
	if (!l->start || !l->end || !l->entry || !l->fail || !l->epi)
		return -ENOMEM;
	return 0;
}

static void xbpf_jit_layout_free(struct xbpf_jit_layout *l)
{
	xbpf_kvfree(l->start);
	xbpf_kvfree(l->end);
	xbpf_kvfree(l->entry);
	xbpf_kvfree(l->fail);
	xbpf_kvfree(l->epi);
}

static bool xbpf_jit_layout_same(const struct xbpf_jit_layout *a,
				 const struct xbpf_jit_layout *b, u32 len, u32 nr_funcs)
{
	return a->size == b->size &&
	       !memcmp(a->start, b->start, len * sizeof(u32)) &&
	       !memcmp(a->end, b->end, len * sizeof(u32)) &&
	       !memcmp(a->entry, b->entry, nr_funcs * sizeof(u32)) &&
	       !memcmp(a->fail, b->fail, nr_funcs * sizeof(u32)) &&
	       !memcmp(a->epi, b->epi, nr_funcs * sizeof(u32));
}

static int xbpf_jit_compile_prog(const struct xbpf_prog *prog,
				 const struct xbpf_jit_opts *opts, struct xbpf_jit_out *out)
{
	struct xbpf_jit_ctx c = { .prog = prog };
	struct xbpf_jit_layout tmp;
	u32 max_passes = opts && opts->max_passes ? opts->max_passes :
			 XBPF_JIT_DEFAULT_PASSES;
	u32 pass;
	u8 *image = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	/* The checked memory model has no JIT counterpart. */
	if (prog->checked)
		return -EOPNOTSUPP;
	if (!prog->len)
		return -EINVAL;
	c.exec_addr = opts ? opts->exec_addr : 0;
	c.indirect_thunk = opts ? opts->indirect_thunk : 0;
	c.return_thunk = opts ? opts->return_thunk : 0;
	c.ibt = opts && opts->ibt;
	c.slot2 = xbpf_kvzalloc(prog->len + 1);
	if (!c.slot2)
		return -ENOMEM;
	err = xbpf_jit_funcs(&c);
	if (!err)
		err = xbpf_jit_sites(&c);
	if (err)
		goto out;
	err = xbpf_jit_layout_alloc(&c.prev, prog->len, c.nr_funcs);
	if (!err)
		err = xbpf_jit_layout_alloc(&c.cur, prog->len, c.nr_funcs);
	if (err)
		goto out;

	for (pass = 0; pass < max_passes; pass++) {
		c.first = !pass;
		err = xbpf_jit_pass(&c, NULL);
		if (err)
			goto out;
		if (!pass)
			c.bound = c.cur.size;
		/* Lengths never grow, so an equal size means an equal layout. */
		if (pass && c.cur.size == c.prev.size)
			break;
		tmp = c.prev;
		c.prev = c.cur;
		c.cur = tmp;
	}
	if (pass == max_passes) {
		err = -ERANGE;
		goto out;
	}
	out->passes = pass + 1;

	/* prev holds the converged layout; the final pass must reproduce it. */
	image = xbpf_kvzalloc(c.prev.size);
	if (!image) {
		err = -ENOMEM;
		goto out;
	}
	c.first = false;
	if (prog->nr_tail_sites) {
		c.pokes = xbpf_kvzalloc((size_t)prog->nr_tail_sites * sizeof(*c.pokes));
		if (!c.pokes) {
			err = -ENOMEM;
			goto out;
		}
	}
	err = xbpf_jit_pass(&c, image);
	if (!err && WARN_ON_ONCE(!xbpf_jit_layout_same(&c.cur, &c.prev, prog->len,
							c.nr_funcs)))
		err = -EFAULT;
	if (err)
		goto out;
	out->func_off = xbpf_kvzalloc(c.nr_funcs * sizeof(u32));
	if (!out->func_off) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(out->func_off, c.cur.entry, c.nr_funcs * sizeof(u32));
	out->nr_funcs = c.nr_funcs;
	out->image = image;
	out->size = c.cur.size;
	out->pokes = c.pokes;
	out->nr_pokes = c.pokes ? prog->nr_tail_sites : 0;
	c.pokes = NULL;
	image = NULL;
out:
	if (err)
		out->passes = 0;
	xbpf_kvfree(image);
	xbpf_jit_layout_free(&c.prev);
	xbpf_jit_layout_free(&c.cur);
	xbpf_kvfree(c.funcs);
	xbpf_kvfree(c.slot2);
	xbpf_kvfree(c.site_of);
	xbpf_kvfree(c.pokes);
	return err;
}

/* With opts->blind, the program compiled is a blinded copy (jit/blind.c). */
int xbpf_jit_compile(const struct xbpf_prog *prog, const struct xbpf_jit_opts *opts,
		     struct xbpf_jit_out *out)
{
	struct xbpf_prog *blinded;
	u64 seed;
	int err;

	if (!opts || !opts->blind || prog->checked)
		return xbpf_jit_compile_prog(prog, opts, out);
	memset(out, 0, sizeof(*out));
	seed = opts->blind_seed;
	while (!seed)
		seed = (u64)xbpf_prandom_u32() << 32 | xbpf_prandom_u32();
	err = xbpf_jit_blind(prog, seed, &blinded);
	if (err)
		return err;
	err = xbpf_jit_compile_prog(blinded, opts, out);
	if (!err) {
		out->blind_seed = seed;
		out->blinded_len = blinded->len;
	}
	xbpf_jit_blind_free(blinded);
	return err;
}

void xbpf_jit_free(struct xbpf_jit_out *out)
{
	xbpf_kvfree(out->image);
	xbpf_kvfree(out->func_off);
	xbpf_kvfree(out->pokes);
	memset(out, 0, sizeof(*out));
}

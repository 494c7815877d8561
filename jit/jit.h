/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86-64 JIT (first step: the code generator only; jit/README).
 *
 * xbpf_jit_compile() turns a proved program into position-dependent or
 * position-independent machine code in a buffer from the port allocator;
 * the caller copies it into executable memory.  It never touches
 * prog->insns or anything the interpreter uses.
 *
 * Entry ABI (System V, the image's first byte is the main function):
 *
 *	u64 entry(void *ctx, u64 r2);
 *
 * r1 = ctx and r2 = the interpreter's struct xbpf_run_ctx r2 (the context
 * size for conformance and SYSCALL runs); r0 is the return value.  The
 * caller holds xbpf_rcu_read_lock() across the call, as the interpreter
 * does (map values are RCU-protected).  LD_ABS/LD_IND read the packet
 * through r6, which the verifier proves is the context there; for every
 * program type that may use them the context is the struct xbpf_skb the
 * interpreter's rc->skb names, so both engines read the same packet.
 *
 * Only programs the verifier proved (prog->checked false) compile: the
 * checked memory model exists only in the interpreter.
 */
#ifndef _XBPF_JIT_H
#define _XBPF_JIT_H

#include "../core/xbpf_core.h"

typedef u64 (*xbpf_jit_entry_t)(void *ctx, u64 r2);

/*
 * The verifier's hidden register (verifier/env.h's XBPF_REG_AX, Linux's
 * BPF_REG_AX): its sanitation sequences and blinding (jit/blind.c) use
 * it; the JIT keeps it in r12.
 */
#define XBPF_JIT_REG_AX		XBPF_MAX_REG

struct xbpf_jit_opts {
	/*
	 * Where the image will run.  0: unknown, and the image is position
	 * independent (helpers are called through a register).  Otherwise
	 * helpers within rel32 reach of the whole image are called directly
	 * and the image runs only at this address.  An image compiled for an
	 * address is never larger than the position-independent one, so a
	 * caller may size its executable memory with a first compile at 0.
	 */
	u64	exec_addr;
	/* Convergence passes allowed before giving up; 0: the default (20). */
	u32	max_passes;
	/*
	 * Control-flow hardening (the kernel build; 0: none, the host's
	 * plain call *r11 and ret).  indirect_thunk: the retpoline thunk for
	 * r11 (__x86_indirect_thunk_r11), called instead of call *r11;
	 * return_thunk: jumped to instead of ret, with an int3 after the
	 * jump.  Both are rel32 branches, so an image with them runs only at
	 * exec_addr: a compile at 0 then only sizes (same lengths).
	 */
	u64	indirect_thunk;
	u64	return_thunk;
	/*
	 * Constant blinding (jit/blind.c): no 32-bit immediate of the
	 * program appears in the image.  blind_seed 0 draws fresh
	 * randomness, which xbpf_jit_out.blind_seed reports; passing that
	 * back repeats the same blinding, hence the same lengths (a caller
	 * that sizes with a first compile must do so).
	 */
	bool	blind;
	u64	blind_seed;
	/*
	 * Indirect Branch Tracking (a kernel with CONFIG_X86_KERNEL_IBT on a
	 * CPU that enforces it): every function entry and the main
	 * function's tail-call landing start with endbr64, the only
	 * instruction an indirect call or jump may land on.  The landing
	 * moves (xbpf_jit_tail_call_offset()); every image a tail call can
	 * reach must be compiled with the same flag.  On a CPU without CET
	 * endbr64 is a nop, so the host tests run such images.
	 */
	bool	ibt;
};

/* endbr64 (f3 0f 1e fa): the landing pad IBT requires. */
#define XBPF_JIT_ENDBR_LEN	4

/*
 * Bytes from the main function's entry (prog->bpf_func) to where a tail
 * call lands: past [endbr64,] nop5, xor eax,eax, push rbp and mov
 * rbp,rsp; with ibt the landing is the second endbr64 (an indirect jump
 * must find one there).  The jumping function has unwound to its own
 * saved rbp, so the target keeps rbp and sets up its own frame; eax
 * holds the tail-call count (jit/README "Tail calls").  The prologue
 * checks its length against this on every compile.
 */
static inline u32 xbpf_jit_tail_call_offset(bool ibt)
{
	return ibt ? XBPF_JIT_ENDBR_LEN + 11 : 11;
}

/*
 * One direct tail-call site of an image (prog->tail_sites[site]), emitted
 * in state C: the bypass is "jmp skip", the target a nop5.  The owner
 * rewrites the two 5-byte fields (states C, D, B; never A = both nops):
 *
 *	C = (jmp skip, nop5)	D = (jmp skip, jmp T)	B = (nop5, jmp T)
 *
 * install C -> D -> B, retarget B -> B' (target only), remove B -> C
 * (bypass back to jmp skip, an RCU grace period, then the target nop5).
 * T is the slot program's bpf_func + xbpf_jit_tail_call_offset(ibt).
 */
struct xbpf_jit_poke {
	u32	site;		/* index in prog->tail_sites */
	u32	bypass_off;	/* image offset of the 5-byte bypass */
	u32	target_off;	/* image offset of the 5-byte target */
	u32	skip_off;	/* image offset the bypass jumps to */
};

/* The target's and a removed bypass's bytes. */
extern const u8 xbpf_jit_nop5[5];
/* out = jmp rel32 (e9) placed at address at, jumping to dest (within 2 GiB). */
void xbpf_jit_jmp32(u8 out[5], u64 at, u64 dest);

/*
 * One write of a slot change at a direct site: new over old (5 bytes) at
 * image offset off.  sync_before: an RCU grace period must separate it
 * from the previous write (a removal's target write: a CPU that took the
 * old bypass may still be between the pops and the target jump).
 */
struct xbpf_jit_poke_step {
	u32	off;
	u8	old[5];
	u8	new[5];
	bool	sync_before;
};

/*
 * The writes that take site p of an image running at image_addr from a
 * slot holding old_func to one holding new_func (bpf_func values, 0 for
 * an empty or interpreted slot), in order: install C -> D -> B, retarget
 * B -> B', remove B -> C.  None passes through state A.  Returns how many
 * (0-2); each step's old is what the site must hold before it.  ibt: the
 * targets' opts.ibt (where their landing is).
 */
u32 xbpf_jit_poke_plan(const struct xbpf_jit_poke *p, u64 image_addr, u64 old_func,
		       u64 new_func, bool ibt, struct xbpf_jit_poke_step steps[2]);

struct xbpf_jit_out {
	u8	*image;		/* xbpf_kvzalloc'd; xbpf_jit_free() releases it */
	u32	size;		/* bytes of image */
	u32	passes;		/* sizing passes run, the final emission excluded */
	u32	nr_funcs;
	u32	*func_off;	/* image offset of each function's first byte (func 0: 0) */
	u64	blind_seed;	/* opts->blind: the seed used; 0 otherwise */
	u32	blinded_len;	/* opts->blind: instructions after blinding */
	u32	nr_pokes;	/* direct tail-call sites, in prog->tail_sites order */
	struct xbpf_jit_poke *pokes;
};

/*
 * 0, or: -EOPNOTSUPP for a program this step cannot compile (a checked
 * program), -EINVAL for an instruction or layout it does
 * not accept (unknown opcode or helper, a jump out of its function, a
 * function whose last instruction is not an exit or a jump), -ENOMEM,
 * -ERANGE when the image size did not converge within max_passes, -EFAULT
 * on an internal inconsistency (a JIT bug; WARNs).  On error *out is empty.
 */
int xbpf_jit_compile(const struct xbpf_prog *prog, const struct xbpf_jit_opts *opts,
		     struct xbpf_jit_out *out);
void xbpf_jit_free(struct xbpf_jit_out *out);

/*
 * Constant blinding (jit/blind.c): *outp becomes a copy of prog (its
 * own insns and funcs, xbpf_kvzalloc'd; free with xbpf_jit_blind_free())
 * in which every immediate an instruction would put in the image is
 * rebuilt at run time in AX from imm ^ r and r, r drawn from seed (a
 * stream no two instructions share).  0, -ENOMEM, -ERANGE (a jump no
 * longer fits its offset field), -EINVAL (a malformed program: a jump or
 * a call out of it, a cut lddw).
 */
int xbpf_jit_blind(const struct xbpf_prog *prog, u64 seed, struct xbpf_prog **outp);
void xbpf_jit_blind_free(struct xbpf_prog *blinded);

/*
 * LD_ABS/LD_IND's out-of-line part: the big-endian value of size (1, 2
 * or 4) packet bytes at k, or U64_MAX when they are not in the packet
 * (the generated code then returns 0 from the current function, as the
 * interpreter does).
 */
u64 xbpf_jit_ld_pkt(const struct xbpf_skb *skb, s32 k, u32 size);

#endif /* _XBPF_JIT_H */

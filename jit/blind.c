// SPDX-License-Identifier: GPL-2.0
/*
 * Constant blinding: the JIT's defence against JIT spraying (the idea of
 * Linux's bpf_jit_blind_constants, net.core.bpf_jit_harden).  A program's
 * 32-bit immediates would otherwise land verbatim in executable memory,
 * where a loader could hide instruction bytes of its choice.  On a copy
 * of the program, each such immediate is rebuilt at run time from two
 * values its author cannot choose (r is random, drawn per instruction):
 *
 *	AX = imm ^ r;  AX ^= r;  <the instruction, with AX for imm>
 *
 * What is blinded (imm != 0; zero bytes are everywhere anyway):
 *	ALU/ALU64 K add sub mul div mod or and xor	op dst, AX
 *	ALU/ALU64 K mov					dst = imm^r; dst ^= r
 *	JMP/JMP32 K conditional jumps			if dst op AX
 *	ST MEM imm					STX from AX
 *	LDDW, both halves, whatever its src_reg		built in dst through AX
 *	LD_ABS/LD_IND's k				LD_IND with AX as the index
 * lddw is blinded also when it carries a map address the verifier
 * resolved: no loader chooses those bits (a map value's offset aside),
 * but the copy is cheaper than telling them apart.  Not blinded:
 *	- shifts: the image holds the count masked to 5 or 6 bits, one byte;
 *	- END and NEG (no immediate in the image), atomics (the imm is the
 *	  operation);
 *	- helper calls (the number selects a helper, the image holds its
 *	  address), pseudo-call and jump offsets (the image holds
 *	  displacements the JIT computes, which follow the code's layout);
 *	- an instruction that already reads or writes AX (the verifier's
 *	  sanitation sequences), except mov K, which needs no scratch: AX
 *	  would be clobbered under it.  Today that leaves the sanitation's
 *	  ARSH by 63 and NEG, neither with an immediate worth hiding.
 *
 * The 64-bit forms build AX with ALU64 mov and xor: both sign-extend,
 * and sext(imm ^ r) ^ sext(r) == sext(imm), the value the instruction
 * would have used; 32-bit forms use ALU32 (zero-extended).
 *
 * Expansions grow the program, so every per-instruction index is mapped
 * to the start of its instruction's new code: jump and pseudo-call
 * targets (the jump itself stays last in its code, so the AX set-up
 * before a blinded target runs whoever jumps there), and the function
 * starts in prog->funcs.
 *
 * The randomness: r for each instruction comes from a splitmix64 stream
 * keyed by the caller's 64-bit seed (the JIT draws it fresh per program
 * from xbpf_prandom_u32(), the kernel's get_random_u32()), so that a
 * caller can compile the same blinded program twice (size, then
 * address).  The image is never given out (jited_prog_insns is not
 * implemented), so the stream's seed stays in the kernel.
 */
#include "jit.h"

#define AX	XBPF_JIT_REG_AX

/* The longest expansion: lddw's two slots become 7 instructions. */
#define XBPF_BLIND_MAX	7

struct xbpf_blind_rng {
	u64	state;
};

/* splitmix64: a full-period stream; never 0 (0 would leave imm as it is). */
static u32 xbpf_blind_next(struct xbpf_blind_rng *rng)
{
	u64 z;
	u32 r;

	do {
		rng->state += 0x9e3779b97f4a7c15ULL;
		z = rng->state;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		r = (u32)z;
	} while (!r);
	return r;
}

static struct xbpf_insn xbpf_blind_mk(u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	struct xbpf_insn insn = { .code = code, .dst_reg = dst, .src_reg = src,
				  .off = off, .imm = imm };

	return insn;
}

static bool xbpf_blind_is_lddw(const struct xbpf_insn *insn)
{
	return insn->code == (XBPF_LD | XBPF_IMM | XBPF_DW);
}

/* A jump with an offset to fix (not call, not exit). */
static bool xbpf_blind_is_jump(const struct xbpf_insn *insn)
{
	u8 cls = XBPF_CLASS(insn->code), op = XBPF_OP(insn->code);

	return (cls == XBPF_JMP || cls == XBPF_JMP32) && op != XBPF_CALL && op != XBPF_EXIT;
}

static bool xbpf_blind_is_pseudo_call(const struct xbpf_insn *insn)
{
	return insn->code == (XBPF_JMP | XBPF_CALL) && insn->src_reg == XBPF_PSEUDO_CALL;
}

/* AX = imm, 64-bit (sign-extended) or 32-bit (zero-extended), in two steps. */
static u32 xbpf_blind_ax(struct xbpf_insn *p, bool is64, s32 imm, u32 r)
{
	u8 cls = is64 ? XBPF_ALU64 : XBPF_ALU;

	p[0] = xbpf_blind_mk(cls | XBPF_MOV | XBPF_K, AX, 0, 0, (s32)((u32)imm ^ r));
	p[1] = xbpf_blind_mk(cls | XBPF_XOR | XBPF_K, AX, 0, 0, (s32)r);
	return 2;
}

/*
 * The code for insn (and insn[1], lddw's second slot) into p; returns its
 * length, 1 with p[0] = *insn when nothing is blinded.  The last
 * instruction written is the one that jumps, when insn is a jump.
 */
static u32 xbpf_blind_insn(const struct xbpf_insn *insn, struct xbpf_blind_rng *rng,
			   struct xbpf_insn *p)
{
	u8 cls = XBPF_CLASS(insn->code), op = XBPF_OP(insn->code);
	bool uses_ax = insn->dst_reg == AX || insn->src_reg == AX;
	u32 n;

	p[0] = *insn;
	if (xbpf_blind_is_lddw(insn)) {
		u32 lo = (u32)insn[0].imm, hi = (u32)insn[1].imm;
		u8 dst = insn->dst_reg;
		u32 r1 = xbpf_blind_next(rng), r2 = xbpf_blind_next(rng);

		if (dst == AX)
			return 0;	/* refused by the caller */
		n = xbpf_blind_ax(p, false, (s32)hi, r1);
		p[n++] = xbpf_blind_mk(XBPF_ALU64 | XBPF_LSH | XBPF_K, AX, 0, 0, 32);
		p[n++] = xbpf_blind_mk(XBPF_ALU64 | XBPF_MOV | XBPF_X, dst, AX, 0, 0);
		n += xbpf_blind_ax(p + n, false, (s32)lo, r2);
		p[n++] = xbpf_blind_mk(XBPF_ALU64 | XBPF_OR | XBPF_X, dst, AX, 0, 0);
		return n;
	}
	if (!insn->imm)
		return 1;
	switch (cls) {
	case XBPF_ALU:
	case XBPF_ALU64:
		if (XBPF_SRC(insn->code) != XBPF_K)
			return 1;
		if (op == XBPF_MOV) {
			/* dst itself carries the halves: AX may be dst */
			u8 mcls = cls == XBPF_ALU64 ? XBPF_ALU64 : XBPF_ALU;
			u32 r = xbpf_blind_next(rng);

			p[0] = xbpf_blind_mk(mcls | XBPF_MOV | XBPF_K, insn->dst_reg, 0, 0,
					     (s32)((u32)insn->imm ^ r));
			p[1] = xbpf_blind_mk(mcls | XBPF_XOR | XBPF_K, insn->dst_reg, 0, 0, (s32)r);
			return 2;
		}
		switch (op) {
		case XBPF_ADD:
		case XBPF_SUB:
		case XBPF_MUL:
		case XBPF_DIV:
		case XBPF_MOD:
		case XBPF_OR:
		case XBPF_AND:
		case XBPF_XOR:
			break;
		default:
			return 1;
		}
		if (uses_ax)
			return 1;
		n = xbpf_blind_ax(p, cls == XBPF_ALU64, insn->imm, xbpf_blind_next(rng));
		/* off stays: it makes div/mod signed */
		p[n++] = xbpf_blind_mk(cls | op | XBPF_X, insn->dst_reg, AX, insn->off, 0);
		return n;
	case XBPF_JMP:
	case XBPF_JMP32:
		if (!xbpf_blind_is_jump(insn) || op == XBPF_JA ||
		    XBPF_SRC(insn->code) != XBPF_K || uses_ax)
			return 1;
		n = xbpf_blind_ax(p, cls == XBPF_JMP, insn->imm, xbpf_blind_next(rng));
		p[n++] = xbpf_blind_mk(cls | op | XBPF_X, insn->dst_reg, AX, insn->off, 0);
		return n;
	case XBPF_ST:
		if (XBPF_MODE(insn->code) != XBPF_MEM || uses_ax)
			return 1;
		n = xbpf_blind_ax(p, XBPF_SIZE(insn->code) == XBPF_DW, insn->imm,
				  xbpf_blind_next(rng));
		p[n++] = xbpf_blind_mk(XBPF_STX | XBPF_MEM | XBPF_SIZE(insn->code),
				       insn->dst_reg, AX, insn->off, 0);
		return n;
	case XBPF_LD:
		if ((XBPF_MODE(insn->code) != XBPF_ABS && XBPF_MODE(insn->code) != XBPF_IND) ||
		    uses_ax)
			return 1;
		/* k = (s32)((u32)src + imm): a 32-bit add into AX, then an index of 0 */
		n = xbpf_blind_ax(p, false, insn->imm, xbpf_blind_next(rng));
		if (XBPF_MODE(insn->code) == XBPF_IND)
			p[n++] = xbpf_blind_mk(XBPF_ALU | XBPF_ADD | XBPF_X, AX,
					       insn->src_reg, 0, 0);
		p[n++] = xbpf_blind_mk(XBPF_LD | XBPF_IND | XBPF_SIZE(insn->code), 0, AX, 0, 0);
		return n;
	}
	return 1;
}

/* Where old index t starts in the copy; -EINVAL for a target no code has. */
static int xbpf_blind_target(const u32 *map, const u8 *slot2, u32 len, s64 t, u32 *out)
{
	if (t < 0 || t >= len || slot2[t])
		return -EINVAL;
	*out = map[t];
	return 0;
}

int xbpf_jit_blind(const struct xbpf_prog *prog, u64 seed, struct xbpf_prog **outp)
{
	struct xbpf_blind_rng rng = { .state = seed };
	struct xbpf_insn buf[XBPF_BLIND_MAX];
	struct xbpf_prog *bp = NULL;
	struct xbpf_func_desc *funcs = NULL;
	struct xbpf_tail_site *sites = NULL;
	u32 *map = NULL, *last = NULL;
	u8 *slot2 = NULL;
	u32 len = prog->len, i, j, n, total;
	int err = -ENOMEM;

	*outp = NULL;
	map = xbpf_kvzalloc((size_t)(len + 1) * sizeof(u32));
	last = xbpf_kvzalloc((size_t)len * sizeof(u32));
	slot2 = xbpf_kvzalloc(len + 1);
	if (!map || !last || !slot2)
		goto out;

	/* Sizes first (the same stream is replayed below, so the same code). */
	for (i = 0, total = 0; i < len; i++) {
		const struct xbpf_insn *insn = &prog->insns[i];

		if (xbpf_blind_is_lddw(insn)) {
			if (i + 1 >= len || insn->dst_reg == AX) {
				err = -EINVAL;
				goto out;
			}
			slot2[i + 1] = 1;
		}
		map[i] = total;
		n = xbpf_blind_insn(insn, &rng, buf);
		total += n;
		last[i] = total - 1;
		if (xbpf_blind_is_lddw(insn)) {
			map[++i] = total;
			last[i] = total - 1;
		}
	}
	map[len] = total;
	if (total > U32_MAX / 2) {
		err = -ERANGE;
		goto out;
	}

	bp = xbpf_kvzalloc(sizeof(*bp) + (size_t)total * sizeof(struct xbpf_insn));
	if (!bp)
		goto out;
	/*
	 * The header as it is, but for what the copy owns or must not show.
	 * Every per-instruction index the header carries must be remapped
	 * here: prog->funcs and the direct tail-call sites (a call is never
	 * expanded, so its new index is map[i]).
	 */
	memcpy(bp, prog, sizeof(*bp));
	bp->len = total;
	bp->funcs = NULL;
	bp->func_info = NULL;
	bp->func_info_cnt = 0;
	bp->line_info = NULL;
	bp->line_info_cnt = 0;
	bp->owner = NULL;
	bp->owner_release = NULL;
	bp->tail_sites = NULL;
	if (prog->nr_tail_sites) {
		sites = xbpf_kvzalloc((size_t)prog->nr_tail_sites * sizeof(*sites));
		if (!sites)
			goto out;
		for (j = 0; j < prog->nr_tail_sites; j++) {
			sites[j] = prog->tail_sites[j];
			if (sites[j].insn >= len) {
				err = -EINVAL;
				goto out;
			}
			sites[j].insn = map[sites[j].insn];
		}
		bp->tail_sites = sites;
	}
	if (prog->funcs && prog->nr_funcs) {
		funcs = xbpf_kvzalloc((size_t)prog->nr_funcs * sizeof(*funcs));
		if (!funcs)
			goto out;
		for (j = 0; j < prog->nr_funcs; j++) {
			funcs[j] = prog->funcs[j];
			if (prog->funcs[j].start >= len) {
				err = -EINVAL;
				goto out;
			}
			funcs[j].start = map[prog->funcs[j].start];
		}
		bp->funcs = funcs;
	}

	rng.state = seed;
	for (i = 0; i < len; i++) {
		const struct xbpf_insn *insn = &prog->insns[i];
		struct xbpf_insn *jump;
		u32 t;
		s64 rel;

		xbpf_blind_insn(insn, &rng, bp->insns + map[i]);
		jump = &bp->insns[last[i]];
		if (xbpf_blind_is_lddw(insn)) {
			i++;
			continue;
		}
		if (xbpf_blind_is_pseudo_call(insn)) {
			err = xbpf_blind_target(map, slot2, len, (s64)i + 1 + insn->imm, &t);
			if (err)
				goto out;
			jump->imm = (s32)((s64)t - (last[i] + 1));
		} else if (xbpf_blind_is_jump(insn)) {
			bool imm_off = insn->code == (XBPF_JMP32 | XBPF_JA);

			err = xbpf_blind_target(map, slot2, len,
						(s64)i + 1 + (imm_off ? insn->imm : insn->off), &t);
			if (err)
				goto out;
			rel = (s64)t - (last[i] + 1);
			if (imm_off) {
				jump->imm = (s32)rel;
			} else {
				if (rel < S16_MIN || rel > S16_MAX) {
					err = -ERANGE;
					goto out;
				}
				jump->off = (s16)rel;
			}
		}
	}
	*outp = bp;
	bp = NULL;
	funcs = NULL;
	sites = NULL;
	err = 0;
out:
	xbpf_kvfree(funcs);
	xbpf_kvfree(sites);
	xbpf_kvfree(bp);
	xbpf_kvfree(map);
	xbpf_kvfree(last);
	xbpf_kvfree(slot2);
	return err;
}

void xbpf_jit_blind_free(struct xbpf_prog *blinded)
{
	if (!blinded)
		return;
	xbpf_kvfree(blinded->funcs);
	xbpf_kvfree(blinded->tail_sites);
	xbpf_kvfree(blinded);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_RINGBUF programs (Linux 6.1's verifier rules for the
 * reserve/submit/discard references, output and query), run where
 * accepted: the record helpers return into a real ring buffer.
 */
#include "vcase.h"

#define RB(n)		MAPS(MAP_RINGBUF(n))
/* r0 = bpf_ringbuf_reserve(map 0, size, 0) */
#define RESERVE(sz)	LD_MAP(1, 0), MOV64_IMM(2, sz), MOV64_IMM(3, 0), \
			CALL(XBPF_FUNC_ringbuf_reserve)
#define RELEASE(fn, r)	MOV64_REG(1, r), MOV64_IMM(2, 0), CALL(fn)

static const struct vcase cases[] = {
	{ "reserve, write, submit",
		INSNS(RESERVE(16), JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(),
		      ST(XBPF_DW, 0, 8, 7), RELEASE(XBPF_FUNC_ringbuf_submit, 0), RET_IMM(1)),
		RB(4096), .expect = ACCEPT, RUN(1) },
	{ "reserve, discard",
		INSNS(RESERVE(8), JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(),
		      RELEASE(XBPF_FUNC_ringbuf_discard, 0), RET_IMM(2)),
		RB(4096), .expect = ACCEPT, RUN(2) },
	{ "reserve larger than the ring fails at run time",
		INSNS(RESERVE(4096), JMP_IMM(XBPF_JNE, 0, 0, 2), MOV64_IMM(0, 3), EXIT(),
		      RELEASE(XBPF_FUNC_ringbuf_discard, 0), RET_IMM(4)),
		RB(4096), .expect = ACCEPT, RUN(3) },
	{ "output 8 stack bytes",
		INSNS(ST(XBPF_DW, 10, -8, 1), LD_MAP(1, 0), MOV64_REG(2, 10),
		      ALU64_IMM(XBPF_ADD, 2, -8), MOV64_IMM(3, 8), MOV64_IMM(4, 0),
		      CALL(XBPF_FUNC_ringbuf_output), EXIT()),
		RB(4096), .expect = ACCEPT, RUN(0) },
	{ "output with an unknown flag is -EINVAL",
		INSNS(ST(XBPF_DW, 10, -8, 1), LD_MAP(1, 0), MOV64_REG(2, 10),
		      ALU64_IMM(XBPF_ADD, 2, -8), MOV64_IMM(3, 8), MOV64_IMM(4, 4),
		      CALL(XBPF_FUNC_ringbuf_output), EXIT()),
		RB(4096), .expect = ACCEPT, RUN(-EINVAL) },
	{ "query ring size",
		INSNS(LD_MAP(1, 0), MOV64_IMM(2, XBPF_RB_RING_SIZE),
		      CALL(XBPF_FUNC_ringbuf_query), EXIT()),
		RB(8192), .expect = ACCEPT, RUN(8192) },
	{ "reserve size not a constant",
		INSNS(LDX(XBPF_W, 2, 1, 0), ALU64_IMM(XBPF_AND, 2, 8), LD_MAP(1, 0),
		      MOV64_IMM(3, 0), CALL(XBPF_FUNC_ringbuf_reserve),
		      JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(),
		      RELEASE(XBPF_FUNC_ringbuf_submit, 0), RET0),
		RB(4096), .expect = REJECT(EACCES, "R2 is not a known constant") },
	{ "record leaked",
		INSNS(RESERVE(8), RET0),
		RB(4096), .expect = REJECT(EINVAL, "Unreleased reference id=") },
	{ "record used without the null check",
		INSNS(RESERVE(8), ST(XBPF_DW, 0, 0, 1),
		      RELEASE(XBPF_FUNC_ringbuf_submit, 0), RET0),
		RB(4096), .expect = REJECT(EACCES, "invalid mem access 'alloc_mem_or_null'") },
	{ "write past the record",
		INSNS(RESERVE(8), JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(),
		      ST(XBPF_W, 0, 6, 1), RELEASE(XBPF_FUNC_ringbuf_submit, 0), RET0),
		RB(4096), .expect = REJECT(EACCES, "invalid access to memory, mem_size=8 off=6 size=4") },
	{ "submitted twice",
		INSNS(RESERVE(8), JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(), MOV64_REG(6, 0),
		      RELEASE(XBPF_FUNC_ringbuf_submit, 6), RELEASE(XBPF_FUNC_ringbuf_submit, 6),
		      RET0),
		/* privileged, the released copy is a scalar; unprivileged, it is gone */
		RB(4096), .expect = REJECT(EACCES, "R1 type=scalar expected=alloc_mem"),
		.expect_unpriv = REJECT(EACCES, "R6 !read_ok") },
	{ "lookup on a ring buffer",
		INSNS(ST(XBPF_DW, 10, -8, 0), MOV64_REG(2, 10), ALU64_IMM(XBPF_ADD, 2, -8),
		      LD_MAP(1, 0), CALL(XBPF_FUNC_map_lookup_elem), RET0),
		RB(4096), .expect = REJECT(EACCES, "invalid zero-sized read") },
};

VCASE_GROUP(ringbuf, cases);

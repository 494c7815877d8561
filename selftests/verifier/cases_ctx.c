// SPDX-License-Identifier: GPL-2.0
/*
 * Context access: SOCKET_FILTER's __sk_buff (which fields, sizes and
 * offsets a socket filter may read, that only cb[] is writable, fields
 * refused to socket filters) and SYSCALL's context (any aligned access
 * below 65535), run with a given context where the value is known.
 */
#include "vcase.h"

#define REJ(n, e, m, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), .expect = REJECT(e, m) }
/* a socket filter reading size at off of the __sk_buff: refused */
#define SKB_BAD(n, sz, off, m) \
	REJ(n, EACCES, m, LDX(sz, 0, 1, off), EXIT())
#define SKB_OK(n, sz, off) \
	{ .name = (n), INSNS(LDX(sz, 0, 1, off), RET0), .expect = ACCEPT, RUN(0) }
/* an __sk_buff given to test-run, mark and cb[] set */
#define SKB_CTX	CTX([8] = 0x11, [9] = 0x22, [10] = 0x33, [11] = 0x44, [32] = 6, \
		    [48] = 1, [49] = 2, [50] = 3, [51] = 4, [52] = 5, [53] = 6, [54] = 7, \
		    [55] = 8, [64] = 0x99, [191] = 0)
#define SYSCALL	.type = XBPF_PROG_TYPE_SYSCALL

static const struct vcase cases[] = {
	/* __sk_buff reads */
	{ "skb mark", INSNS(LDX(XBPF_W, 0, 1, 8), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x44332211) },
	{ "skb mark low byte", INSNS(LDX(XBPF_B, 0, 1, 8), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x11) },
	{ "skb mark third byte", INSNS(LDX(XBPF_B, 0, 1, 10), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x33) },
	{ "skb mark upper half", INSNS(LDX(XBPF_H, 0, 1, 10), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x4433) },
	{ "skb priority", INSNS(LDX(XBPF_W, 0, 1, 32), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(6) },
	{ "skb cb[0]", INSNS(LDX(XBPF_W, 0, 1, 48), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x04030201) },
	{ "skb cb[0..1] as a dw", INSNS(LDX(XBPF_DW, 0, 1, 48), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
		SKB_CTX, .expect = ACCEPT, RUN(0x08070605) },
	{ "skb cb[4] byte", INSNS(LDX(XBPF_B, 0, 1, 64), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x99) },
	{ "skb len twice", INSNS(LDX(XBPF_W, 0, 1, 0), LDX(XBPF_W, 2, 1, 0),
		ALU64_REG(XBPF_ADD, 0, 2), EXIT()), .expect = ACCEPT, RUN(2 * (VCASE_FRAME_LEN - 14)) },
	SKB_OK("skb pkt_type", XBPF_W, 4),
	SKB_OK("skb queue_mapping", XBPF_W, 12),
	SKB_OK("skb protocol", XBPF_W, 16),
	SKB_OK("skb vlan_present", XBPF_W, 20),
	SKB_OK("skb ifindex", XBPF_W, 40),
	SKB_OK("skb hash", XBPF_W, 68),
	SKB_OK("skb napi_id", XBPF_W, 84),
	SKB_OK("skb gso_segs", XBPF_W, 164),
	SKB_OK("skb gso_size", XBPF_W, 176),
	SKB_OK("skb len low half", XBPF_H, 0),

	/* __sk_buff reads refused */
	SKB_BAD("skb len as a dw", XBPF_DW, 0, "invalid bpf_context access off=0 size=8"),
	SKB_BAD("skb misaligned word", XBPF_W, 2, "invalid bpf_context access off=2 size=4"),
	SKB_BAD("skb past the end", XBPF_W, 192, "invalid bpf_context access off=192 size=4"),
	SKB_BAD("skb negative offset", XBPF_W, -4, "invalid bpf_context access off=-4 size=4"),
	SKB_BAD("skb cb[4] as a dw", XBPF_DW, 64, "invalid bpf_context access off=64 size=8"),
	SKB_BAD("skb tc_classid", XBPF_W, 72, "invalid bpf_context access off=72 size=4"),
	SKB_BAD("skb data", XBPF_W, 76, "invalid bpf_context access off=76 size=4"),
	SKB_BAD("skb data_end", XBPF_W, 80, "invalid bpf_context access off=80 size=4"),
	SKB_BAD("skb family", XBPF_W, 88, "invalid bpf_context access off=88 size=4"),
	SKB_BAD("skb remote_ip4", XBPF_W, 92, "invalid bpf_context access off=92 size=4"),
	SKB_BAD("skb local_port", XBPF_W, 136, "invalid bpf_context access off=136 size=4"),
	SKB_BAD("skb data_meta", XBPF_W, 140, "invalid bpf_context access off=140 size=4"),
	SKB_BAD("skb flow_keys", XBPF_DW, 144, "invalid bpf_context access off=144 size=8"),
	SKB_BAD("skb tstamp", XBPF_DW, 152, "invalid bpf_context access off=152 size=8"),
	SKB_BAD("skb wire_len", XBPF_W, 160, "invalid bpf_context access off=160 size=4"),
	SKB_BAD("skb tstamp_type", XBPF_B, 180, "invalid bpf_context access off=180 size=1"),
	SKB_BAD("skb padding", XBPF_B, 181, "invalid bpf_context access off=181 size=1"),
	SKB_BAD("skb hwtstamp", XBPF_DW, 184, "invalid bpf_context access off=184 size=8"),
	REJ("skb through a moved pointer", EACCES, "dereference of modified ctx ptr R1 off=8 disallowed",
	    ALU64_IMM(XBPF_ADD, 1, 8), LDX(XBPF_W, 0, 1, 0), EXIT()),

	/* __sk_buff writes: cb[] only */
	{ "skb cb[1] write then read", INSNS(MOV64_IMM(2, 77), STX(XBPF_W, 1, 2, 52),
		LDX(XBPF_W, 0, 1, 52), EXIT()), .expect = ACCEPT, RUN(77) },
	{ "skb cb[2] byte write", INSNS(MOV64_IMM(2, 0x5a),
		STX(XBPF_B, 1, 2, 57), LDX(XBPF_W, 0, 1, 56), EXIT()), SKB_CTX, .expect = ACCEPT,
		RUN(0x5a00) },
	REJ("skb mark write", EACCES, "invalid bpf_context access off=8 size=4",
	    MOV64_IMM(2, 1), STX(XBPF_W, 1, 2, 8), RET0),
	REJ("skb len write", EACCES, "invalid bpf_context access off=0 size=4",
	    MOV64_IMM(2, 1), STX(XBPF_W, 1, 2, 0), RET0),
	REJ("skb priority write", EACCES, "invalid bpf_context access off=32 size=4",
	    MOV64_IMM(2, 1), STX(XBPF_W, 1, 2, 32), RET0),
	REJ("skb st into cb", EACCES, "BPF_ST stores into R1 ctx is not allowed",
	    ST(XBPF_W, 1, 48, 1), RET0),
	{ "skb pointer into cb", INSNS(STX(XBPF_DW, 1, 1, 48), RET0),
		.expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R1 leaks addr into ctx") },

	/* SYSCALL: any aligned offset below 65535, read and write */
	{ "syscall dw read", INSNS(LDX(XBPF_DW, 0, 1, 8), ALU64_IMM(XBPF_RSH, 0, 32), EXIT()),
		SYSCALL, CTX([12] = 9, [15] = 0), .expect = ACCEPT, RUN(9) },
	{ "syscall write then read", INSNS(MOV64_IMM(2, 31),
		STX(XBPF_H, 1, 2, 2), LDX(XBPF_W, 0, 1, 0), EXIT()),
		SYSCALL, CTX(1, 0, 0, 0), .expect = ACCEPT, RUN(0x001f0001) },
	{ "syscall pointer into its context", INSNS(STX(XBPF_DW, 1, 1, 0), RET0), SYSCALL,
		.expect = ACCEPT },
	/* the insn's s16 offset cannot reach 65535 */
	{ "syscall byte at 32767", INSNS(LDX(XBPF_B, 0, 1, 32767), EXIT()), SYSCALL,
		.expect = ACCEPT },
	{ "syscall misaligned", INSNS(LDX(XBPF_W, 0, 1, 2), EXIT()), SYSCALL,
		.expect = REJECT(EACCES, "invalid bpf_context access off=2 size=4") },
	{ "syscall negative offset", INSNS(LDX(XBPF_DW, 0, 1, -8), EXIT()), SYSCALL,
		.expect = REJECT(EACCES, "invalid bpf_context access off=-8 size=8") },
	{ "syscall st", INSNS(ST(XBPF_W, 1, 0, 1), RET0), SYSCALL,
		.expect = REJECT(EACCES, "BPF_ST stores into R1 ctx is not allowed") },
	{ "syscall through a moved pointer", INSNS(ALU64_IMM(XBPF_ADD, 1, 4),
		LDX(XBPF_W, 0, 1, 0), EXIT()), SYSCALL,
		.expect = REJECT(EACCES, "dereference of modified ctx ptr R1 off=4 disallowed") },
};

VCASE_GROUP(ctx, cases);

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
/*
 * __sk_buff->sk (offset 168): r2 = the socket, null-checked (the NULL
 * arm returns -1); then sz bytes at off of struct bpf_sock.
 */
#define SK_LOAD(r)	LDX(XBPF_DW, r, 1, 168)
#define SK_CHECKED	SK_LOAD(2), JMP_IMM(XBPF_JNE, 2, 0, 2), RET_IMM(-1)
#define SK_OK(n, sz, off, v) \
	{ .name = (n), INSNS(SK_CHECKED, LDX(sz, 0, 2, off), EXIT()), .expect = ACCEPT, RUN(v) }
#define SK_OK_DATA(n, sz, off, v, frame) \
	{ .name = (n), INSNS(SK_CHECKED, LDX(sz, 0, 2, off), EXIT()), frame, .expect = ACCEPT, \
	  RUN(v) }
#define SK_BAD(n, sz, off) \
	REJ(n, EACCES, "R2 invalid sock_common access off=" #off " size=" #sz, \
	    SK_CHECKED, LDX(SZ_##sz, 0, 2, off), EXIT())
#define SZ_1	XBPF_B
#define SZ_2	XBPF_H
#define SZ_4	XBPF_W
#define SZ_8	XBPF_DW
/*
 * Frames whose socket Linux's test-run fills in: IPv4 10.1.2.3 ->
 * 192.168.0.9; IPv6 with bytes 4..7 of the source 11 22 33 44 and the
 * last 4 of the destination a1 b2 c3 d4.
 */
#define IPV4_FRAME	DATA([12] = 0x08, [13] = 0x00, [14] = 0x45, [26] = 10, [27] = 1, \
			     [28] = 2, [29] = 3, [30] = 192, [31] = 168, [32] = 0, [33] = 9)
#define IPV6_FRAME	DATA([12] = 0x86, [13] = 0xdd, [14] = 0x60, [26] = 0x11, [27] = 0x22, \
			     [28] = 0x33, [29] = 0x44, [50] = 0xa1, [51] = 0xb2, [52] = 0xc3, \
			     [53] = 0xd4)
/* an __sk_buff given to test-run, mark and cb[] set */
#define SKB_CTX	CTX([8] = 0x11, [9] = 0x22, [10] = 0x33, [11] = 0x44, [32] = 6, \
		    [48] = 1, [49] = 2, [50] = 3, [51] = 4, [52] = 5, [53] = 6, [54] = 7, \
		    [55] = 8, [64] = 0x99, [191] = 0)
#define SYSCALL	.type = XBPF_PROG_TYPE_SYSCALL
#define KPROBE	.type = XBPF_PROG_TYPE_KPROBE
/* a kprobe reading size at off of its struct pt_regs (168 bytes) */
#define KP_OK(n, sz, off) \
	{ .name = (n), INSNS(LDX(sz, 0, 1, off), EXIT()), KPROBE, .expect = ACCEPT }
#define KP_BAD(n, e, m, ...) \
	{ .name = (n), INSNS(__VA_ARGS__), KPROBE, .expect = REJECT(e, m) }
#define RAW_TP	.type = XBPF_PROG_TYPE_RAW_TRACEPOINT
#define TP	.type = XBPF_PROG_TYPE_TRACEPOINT
/* a (raw) tracepoint program reading size at off of its context */
#define RTP_OK(n, sz, off) \
	{ .name = (n), INSNS(LDX(sz, 0, 1, off), EXIT()), RAW_TP, .expect = ACCEPT }
#define RTP_BAD(n, sz, off) \
	{ .name = (n), INSNS(LDX(SZ_##sz, 0, 1, off), EXIT()), RAW_TP, \
	  .expect = REJECT(EACCES, "invalid bpf_context access off=" #off " size=" #sz) }
#define TP_OK(n, sz, off) \
	{ .name = (n), INSNS(LDX(sz, 0, 1, off), EXIT()), TP, .expect = ACCEPT }
#define TP_BAD(n, sz, off) \
	{ .name = (n), INSNS(LDX(SZ_##sz, 0, 1, off), EXIT()), TP, \
	  .expect = REJECT(EACCES, "invalid bpf_context access off=" #off " size=" #sz) }

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

	/*
	 * __sk_buff->sk: a sock_common_or_null; after its null check the
	 * sock_common fields of struct bpf_sock, read only.  Linux's
	 * test-run attaches a dummy socket (never NULL): TCP_CLOSE, no rx
	 * queue (-1), no ports or device, family and addresses from an
	 * IPv4/IPv6 frame (the default frame is neither).
	 */
	SK_OK("sk family, not an IP frame", XBPF_W, 4, 0),
	SK_OK("sk bound_dev_if", XBPF_W, 0, 0),
	SK_OK("sk state is TCP_CLOSE", XBPF_W, 72, 7),
	SK_OK("sk state low byte", XBPF_B, 72, 7),
	SK_OK("sk state low half", XBPF_H, 72, 7),
	SK_OK("sk rx_queue_mapping", XBPF_W, 76, -1),
	SK_OK("sk rx_queue_mapping low byte", XBPF_B, 76, 0xff),
	SK_OK("sk rx_queue_mapping low half", XBPF_H, 76, 0xffff),
	{ "sk rx_queue_mapping sign-extended", INSNS(SK_CHECKED, LDXS(XBPF_W, 0, 2, 76),
		ALU64_IMM(XBPF_RSH, 0, 32), EXIT()), .expect = ACCEPT, RUN(0xffffffff) },
	SK_OK("sk src_port", XBPF_W, 44, 0),
	SK_OK("sk src_port low byte", XBPF_B, 44, 0),
	SK_OK("sk dst_port as a word", XBPF_W, 48, 0),
	SK_OK("sk dst_port", XBPF_H, 48, 0),
	SK_OK("sk dst_port second byte", XBPF_B, 49, 0),
	SK_OK("sk src_ip4, not an IP frame", XBPF_W, 24, 0),
	SK_OK("sk dst_ip6[3] last byte", XBPF_B, 71, 0),
	SK_OK_DATA("sk family of an IPv4 frame", XBPF_W, 4, 2, IPV4_FRAME),
	SK_OK_DATA("sk src_ip4", XBPF_W, 24, 0x0302010a, IPV4_FRAME),
	SK_OK_DATA("sk src_ip4 upper half", XBPF_H, 26, 0x0302, IPV4_FRAME),
	SK_OK_DATA("sk dst_ip4 last byte", XBPF_B, 55, 9, IPV4_FRAME),
	SK_OK_DATA("sk dst_ip4", XBPF_W, 52, 0x0900a8c0, IPV4_FRAME),
	SK_OK_DATA("sk src_ip6 of an IPv4 socket", XBPF_W, 28, 0, IPV4_FRAME),
	SK_OK_DATA("sk family of an IPv6 frame", XBPF_W, 4, 10, IPV6_FRAME),
	SK_OK_DATA("sk src_ip6[1]", XBPF_W, 32, 0x44332211, IPV6_FRAME),
	SK_OK_DATA("sk dst_ip6[3]", XBPF_W, 68, 0xd4c3b2a1, IPV6_FRAME),
	SK_OK_DATA("sk dst_ip6[3] second byte", XBPF_B, 69, 0xb2, IPV6_FRAME),
	SK_OK_DATA("sk src_ip4 of an IPv6 socket", XBPF_W, 24, 0, IPV6_FRAME),
	SK_OK_DATA("sk state of an IPv4 socket", XBPF_W, 72, 7, IPV4_FRAME),

	/* null checks: ids as for map values */
	{ "sk copies share the null check", INSNS(SK_LOAD(2), MOV64_REG(3, 2),
		JMP_IMM(XBPF_JEQ, 2, 0, 2), LDX(XBPF_W, 0, 3, 72), EXIT(), RET_IMM(-1)),
		.expect = ACCEPT, RUN(7) },
	{ "sk spilled before the null check", INSNS(SK_LOAD(2), STX(XBPF_DW, 10, 2, -8),
		JMP_IMM(XBPF_JEQ, 2, 0, 3), LDX(XBPF_DW, 3, 10, -8), LDX(XBPF_W, 0, 3, 72),
		EXIT(), RET_IMM(-1)), .expect = ACCEPT, RUN(7) },
	{ "sk spilled after the null check", INSNS(SK_CHECKED, STX(XBPF_DW, 10, 2, -8),
		MOV64_IMM(2, 0), LDX(XBPF_DW, 3, 10, -8), LDX(XBPF_B, 0, 3, 76), EXIT()),
		.expect = ACCEPT, RUN(0xff) },
	{ "sk null check by jeq", INSNS(SK_LOAD(2), JMP_IMM(XBPF_JEQ, 2, 0, 2),
		LDX(XBPF_W, 0, 2, 4), EXIT(), RET_IMM(-1)), .expect = ACCEPT, RUN(0) },
	/* on the NULL arm it is the scalar 0, which anyone may return */
	{ "sk is 0 on the null arm", INSNS(SK_LOAD(2), JMP_IMM(XBPF_JNE, 2, 0, 2),
		MOV64_REG(0, 2), EXIT(), RET_IMM(3)), .expect = ACCEPT, RUN(3) },
	REJ("sk loaded twice: two pointers, two checks", EACCES,
	    "R3 invalid mem access 'sock_common_or_null'",
	    SK_LOAD(2), SK_LOAD(3), JMP_IMM(XBPF_JEQ, 2, 0, 2), LDX(XBPF_W, 0, 3, 72), EXIT(),
	    RET_IMM(-1)),
	/* a checked socket is never NULL: Linux decides jeq/jne 0 (is_branch_taken) */
	{ "sk jne 0 after the check is decided", INSNS(SK_CHECKED, JMP_IMM(XBPF_JNE, 2, 0, 2),
		RET_IMM(1), RET_IMM(2)), .expect = ACCEPT, RUN(2) },
	{ "sk jne 0 after the check: the dead arm reads r5", INSNS(SK_CHECKED,
		JMP_IMM(XBPF_JNE, 2, 0, 2), MOV64_REG(0, 5), EXIT(), RET_IMM(2)),
		.expect = ACCEPT, RUN(2), .expect_unpriv = REJECT(EACCES, "R5 !read_ok") },
	{ "sk jgt 0 is a pointer comparison", INSNS(SK_CHECKED, JMP_IMM(XBPF_JGT, 2, 0, 2),
		RET_IMM(1), RET_IMM(2)), .expect = ACCEPT, RUN(2),
		.expect_unpriv = REJECT(EACCES, "R2 pointer comparison prohibited") },
	/* only a 64-bit jeq/jne with the immediate 0 is a null check */
	{ "sk jmp32 jeq 0 is no null check", INSNS(SK_LOAD(2), JMP32_IMM(XBPF_JEQ, 2, 0, 2),
		LDX(XBPF_W, 0, 2, 72), EXIT(), RET_IMM(-1)),
		.expect = REJECT(EACCES, "R2 invalid mem access 'sock_common_or_null'"),
		.expect_unpriv = REJECT(EACCES, "R2 pointer comparison prohibited") },
	{ "sk kept across a call and a join", INSNS(SK_LOAD(6), CALL(XBPF_FUNC_get_prandom_u32),
		JMP_IMM(XBPF_JEQ, 0, 0, 1), MOV64_IMM(4, 1), JMP_IMM(XBPF_JEQ, 6, 0, 2),
		LDX(XBPF_W, 0, 6, 72), EXIT(), RET_IMM(-1)), .expect = ACCEPT, RUN(7) },

	/* sk refused */
	REJ("sk deref without a null check", EACCES, "R2 invalid mem access 'sock_common_or_null'",
	    SK_LOAD(2), LDX(XBPF_W, 0, 2, 4), EXIT()),
	REJ("sk arithmetic before the null check", EACCES,
	    "R2 pointer arithmetic on sock_common_or_null prohibited, null-check it first",
	    SK_LOAD(2), ALU64_IMM(XBPF_ADD, 2, 4), RET0),
	REJ("sk arithmetic after the null check", EACCES,
	    "R2 pointer arithmetic on sock_common prohibited",
	    SK_CHECKED, ALU64_IMM(XBPF_ADD, 2, 4), LDX(XBPF_W, 0, 2, 0), EXIT()),
	REJ("sk minus a register", EACCES, "R2 pointer arithmetic on sock_common prohibited",
	    SK_CHECKED, MOV64_IMM(3, 4), ALU64_REG(XBPF_SUB, 2, 3), RET0),
	REJ("sk and-ed", EACCES, "R2 pointer arithmetic on sock_common prohibited",
	    SK_CHECKED, ALU64_IMM(XBPF_AND, 2, -8), RET0),
	REJ("scalar plus sk", EACCES, "R3 pointer arithmetic on sock_common prohibited",
	    SK_CHECKED, MOV64_IMM(3, 4), ALU64_REG(XBPF_ADD, 3, 2), RET0),
	SK_BAD("sk type", 4, 8),
	SK_BAD("sk protocol", 4, 12),
	SK_BAD("sk mark", 4, 16),
	SK_BAD("sk priority", 4, 20),
	SK_BAD("sk priority low byte", 1, 20),
	SK_BAD("sk family second byte", 1, 5),
	SK_BAD("sk family upper half", 2, 6),
	SK_BAD("sk bound_dev_if low half", 2, 0),
	SK_BAD("sk bound_dev_if and family as a dw", 8, 0),
	SK_BAD("sk src_ip4 misaligned word", 4, 26),
	SK_BAD("sk src_ip6 as a dw", 8, 32),
	SK_BAD("sk src_port second byte", 1, 45),
	SK_BAD("sk dst_port padding", 2, 50),
	SK_BAD("sk dst_port padding byte", 1, 51),
	SK_BAD("sk dst_port as a dw", 8, 48),
	SK_BAD("sk state upper half", 2, 74),
	SK_BAD("sk rx_queue_mapping second byte", 1, 77),
	SK_BAD("sk past the end", 4, 80),
	SK_BAD("sk negative offset", 4, -4),
	REJ("sk store", EACCES, "R2 cannot write into sock_common",
	    SK_CHECKED, MOV64_IMM(3, 1), STX(XBPF_W, 2, 3, 4), RET0),
	REJ("sk st", EACCES, "R2 cannot write into sock_common",
	    SK_CHECKED, ST(XBPF_W, 2, 72, 1), RET0),
	REJ("sk store before the null check", EACCES, "R2 invalid mem access 'sock_common_or_null'",
	    SK_LOAD(2), MOV64_IMM(3, 1), STX(XBPF_W, 2, 3, 4), RET0),
	REJ("sk atomic add", EACCES, "BPF_ATOMIC stores into R2 sock_common is not allowed",
	    SK_CHECKED, MOV64_IMM(3, 1), ATOMIC(XBPF_W, 2, 3, 72, XBPF_ADD), RET0),
	SKB_BAD("skb sk as a word", XBPF_W, 168, "invalid bpf_context access off=168 size=4"),
	REJ("skb sk write", EACCES, "invalid bpf_context access off=168 size=8",
	    MOV64_IMM(2, 0), STX(XBPF_DW, 1, 2, 168), RET0),

	/* what only allow_ptr_leaks may do with it */
	{ "sk returned", INSNS(SK_CHECKED, MOV64_REG(0, 2), EXIT()), .expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R0 leaks addr as return value") },
	{ "sk stored into cb", INSNS(SK_LOAD(2), STX(XBPF_DW, 1, 2, 48), RET0), .expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R2 leaks addr into ctx") },
	{ "sk compared with the ctx", INSNS(SK_CHECKED, JMP_REG(XBPF_JGT, 2, 1, 0), RET0),
		.expect = ACCEPT, .expect_unpriv = REJECT(EACCES, "R1 pointer comparison prohibited") },
	{ "sk stored into a map value", INSNS(SK_CHECKED, LD_MAP_VAL(3, 0, 0),
		STX(XBPF_DW, 3, 2, 0), RET0), MAPS(MAP_ARRAY(4, 8, 1)), .expect = ACCEPT,
		.expect_unpriv = REJECT(EACCES, "R2 leaks addr into map") },

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

	/* KPROBE: struct pt_regs, any aligned in-bounds read, no write */
	/* RAW_TRACEPOINT: u64 args, aligned reads below 12 * 8, no write */
	RTP_OK("raw_tp args[0]", XBPF_DW, 0),
	RTP_OK("raw_tp args[1] (sys_enter id)", XBPF_DW, 8),
	RTP_OK("raw_tp args[11]", XBPF_DW, 88),
	RTP_OK("raw_tp low word of args[1]", XBPF_W, 8),
	RTP_OK("raw_tp last byte", XBPF_B, 95),
	RTP_BAD("raw_tp args[12]", 8, 96),
	RTP_BAD("raw_tp misaligned dw", 8, 4),
	RTP_BAD("raw_tp misaligned word", 4, 6),
	RTP_BAD("raw_tp negative", 8, -8),
	{ "raw_tp store to args[0]", INSNS(MOV64_IMM(2, 0), STX(XBPF_DW, 1, 2, 0), RET0),
		RAW_TP, .expect = REJECT(EACCES, "invalid bpf_context access off=0 size=8") },
	{ "raw_tp st", INSNS(ST(XBPF_DW, 1, 0, 0), RET0), RAW_TP,
		.expect = REJECT(EACCES, "BPF_ST stores into R1 ctx is not allowed") },
	{ "raw_tp arg is a scalar", INSNS(LDX(XBPF_DW, 2, 1, 0), LDX(XBPF_DW, 0, 2, 0), EXIT()),
		RAW_TP, .expect = REJECT(EACCES, "R2 invalid mem access 'scalar'") },
	/* TRACEPOINT: the perf record, common fields hidden, below 2048 */
	TP_OK("tp first field", XBPF_DW, 8),
	TP_OK("tp last dw", XBPF_DW, 2040),
	TP_OK("tp last byte", XBPF_B, 2047),
	TP_OK("tp word field", XBPF_W, 12),
	TP_BAD("tp common_type", 2, 0),
	TP_BAD("tp common_pid", 4, 4),
	TP_BAD("tp past PERF_MAX_TRACE_SIZE", 1, 2048),
	TP_BAD("tp misaligned dw", 8, 12),
	{ "tp store", INSNS(MOV64_IMM(2, 0), STX(XBPF_W, 1, 2, 16), RET0), TP,
		.expect = REJECT(EACCES, "invalid bpf_context access off=16 size=4") },
	{ "tp through a moved pointer", INSNS(ALU64_IMM(XBPF_ADD, 1, 8), LDX(XBPF_DW, 0, 1, 0),
		EXIT()), TP,
		.expect = REJECT(EACCES, "dereference of modified ctx ptr R1 off=8 disallowed") },
	{ "tp ld_abs", INSNS(MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), EXIT()), TP,
		.expect = REJECT(EINVAL,
			"BPF_LD_[ABS|IND] instructions not allowed for this program type") },

	KP_OK("kprobe r15 (first dw)", XBPF_DW, 0),
	KP_OK("kprobe ax (return value)", XBPF_DW, 80),
	KP_OK("kprobe di (first argument)", XBPF_DW, 112),
	KP_OK("kprobe ss (last dw)", XBPF_DW, 160),
	KP_OK("kprobe low word of ip", XBPF_W, 128),
	KP_OK("kprobe high word of ip", XBPF_W, 132),
	KP_OK("kprobe half of flags", XBPF_H, 146),
	KP_OK("kprobe last byte", XBPF_B, 167),
	KP_OK("kprobe last word", XBPF_W, 164),
	KP_BAD("kprobe dw past the end", EACCES, "invalid bpf_context access off=168 size=8",
	       LDX(XBPF_DW, 0, 1, 168), EXIT()),
	KP_BAD("kprobe byte past the end", EACCES, "invalid bpf_context access off=168 size=1",
	       LDX(XBPF_B, 0, 1, 168), EXIT()),
	KP_BAD("kprobe misaligned dw", EACCES, "invalid bpf_context access off=4 size=8",
	       LDX(XBPF_DW, 0, 1, 4), EXIT()),
	KP_BAD("kprobe misaligned half", EACCES, "invalid bpf_context access off=81 size=2",
	       LDX(XBPF_H, 0, 1, 81), EXIT()),
	KP_BAD("kprobe negative offset", EACCES, "invalid bpf_context access off=-8 size=8",
	       LDX(XBPF_DW, 0, 1, -8), EXIT()),
	KP_BAD("kprobe store to ax", EACCES, "invalid bpf_context access off=80 size=8",
	       MOV64_IMM(2, 0), STX(XBPF_DW, 1, 2, 80), RET0),
	KP_BAD("kprobe st", EACCES, "BPF_ST stores into R1 ctx is not allowed",
	       ST(XBPF_DW, 1, 80, 0), RET0),
	KP_BAD("kprobe through a moved pointer", EACCES,
	       "dereference of modified ctx ptr R1 off=8 disallowed",
	       ALU64_IMM(XBPF_ADD, 1, 8), LDX(XBPF_DW, 0, 1, 0), EXIT()),
	KP_BAD("kprobe ld_abs", EINVAL,
	       "BPF_LD_[ABS|IND] instructions not allowed for this program type",
	       MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), EXIT()),
	/* r1 is the only argument: r2 is not initialised */
	KP_BAD("kprobe r2 at entry", EACCES, "R2 !read_ok",
	       MOV64_REG(0, 2), EXIT()),
	{ "kprobe ctx value is a scalar", INSNS(LDX(XBPF_DW, 2, 1, 80),
		LDX(XBPF_DW, 0, 2, 0), EXIT()), KPROBE,
		.expect = REJECT(EACCES, "R2 invalid mem access 'scalar'") },
};

VCASE_GROUP(ctx, cases);

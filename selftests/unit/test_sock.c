// SPDX-License-Identifier: GPL-2.0
/*
 * __sk_buff->sk and the socket behind it:
 *
 *  (1) verifier/ctx_sock.c: every access of 1, 2, 4 and 8 bytes at every
 *      offset around struct bpf_sock, read and write, against an expected
 *      rule written from Linux 6.1's bpf_sock_common_is_valid_access in
 *      terms of the system's <linux/bpf.h> offsets;
 *  (2) core/skb.c: the dummy socket test-run attaches (as Linux's:
 *      TCP_CLOSE, rx_queue_mapping -1, family and addresses from an IPv4
 *      or IPv6 frame), f.sk pointing at it, and its address never going
 *      out (ctx_in may not set sk, ctx_out does not copy it);
 *  (3) the walk through xbpf_verify: the log's register types, a proved
 *      program reading the socket unchecked; the checked model reading it
 *      and faulting on stores into it and reads past it.
 */
#include <stdlib.h>
#include <linux/bpf.h>
#include "lib/xbpf_test.h"
#include "verifier/ctx.h"
#include "verifier/env.h"

#define BS(m)		offsetof(struct bpf_sock, m)
#define BS_END(m)	(BS(m) + sizeof(((struct bpf_sock *)0)->m))
#define SK_OFF		offsetof(struct __sk_buff, sk)

static const u32 sizes[] = { 1, 2, 4, 8 };

/* ---------------------------------------------------------------------
 * (1) Field rules
 */
static bool in(u32 off, u32 lo, u32 hi)
{
	return off >= lo && off < hi;
}

/* Linux 6.1, written from its rules, not from ctx_sock.c's table. */
static bool sock_expected(u32 off, u32 size, bool write)
{
	/* check_mem_access refuses stores into any socket pointer first. */
	if (write || off >= sizeof(struct bpf_sock) || off % size)
		return false;
	/* sock_common has no type, protocol, mark or priority. */
	if (in(off, BS(type), BS_END(priority)))
		return false;
	/* addresses: any narrow load (1, 2, 4 bytes) inside */
	if (in(off, BS(src_ip4), BS_END(src_ip4)) || in(off, BS(src_ip6), BS_END(src_ip6)) ||
	    in(off, BS(dst_ip4), BS_END(dst_ip4)) || in(off, BS(dst_ip6), BS_END(dst_ip6)))
		return size <= 4;
	/* narrow loads, but only at the field's first byte */
	if (off == BS(family) || off == BS(state) || off == BS(src_port) ||
	    off == BS(rx_queue_mapping))
		return size <= 4;
	/* dst_port: its own 2 bytes narrowly, or a word with its padding */
	if (in(off, BS(dst_port), BS_END(dst_port)))
		return size <= 2 || size == 4;
	if (in(off, BS_END(dst_port), BS(dst_ip4)))
		return false;
	/* everything else: exactly 4 bytes (bound_dev_if) */
	return size == 4;
}

static void test_rules(void)
{
	unsigned int bad = 0, n = 0, info_bad = 0;
	size_t s;
	u32 off;
	int w;

	for (off = 0; off < sizeof(struct bpf_sock) + 16; off++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (w = 0; w < 2; w++) {
				struct xbpf_ctx_access_info info;
				int err = xbpf_sock_common_access(off, sizes[s], w, &info);
				bool want = sock_expected(off, sizes[s], w);

				if (err != (want ? 0 : -EACCES)) {
					bad++;
					xt_diag("%s off %u size %u: %d, want %s", w ? "write" : "read",
						off, sizes[s], err, want ? "ok" : "refused");
					continue;
				}
				if (err)
					continue;
				n++;
				/* The run time reads the mirror in place. */
				if (info.val != XBPF_CTX_VAL_SCALAR ||
				    info.conv != XBPF_CTX_CONV_DIRECT || info.target_off != off ||
				    info.target_size != sizes[s] ||
				    !in(off, info.field_off, info.field_off + info.field_size))
					info_bad++;
			}
	xt_report(!bad, "sock_common accesses at offsets 0..%zu as Linux 6.1 (%u accepted)",
		  sizeof(struct bpf_sock) + 15, n);
	/*
	 * Counted from the rules: bound_dev_if 1; family, src_port, state,
	 * rx_queue_mapping 3 each; 40 address bytes give 40 + 20 + 10;
	 * dst_port 2 + 1 + 1 (the word).
	 */
	xt_report(n == 1 + 4 * 3 + 70 + 4, "%u accesses accepted, 87 expected", n);
	xt_report(!info_bad, "accepted accesses read in place (%u wrong)", info_bad);

	xt_report(xbpf_sock_common_access((u32)-4, 4, false, &(struct xbpf_ctx_access_info){}) ==
		  -EACCES && xbpf_sock_common_access(4, 3, false,
						     &(struct xbpf_ctx_access_info){}) == -EACCES,
		  "negative offsets and odd sizes refused");
	xt_report(!strcmp(xbpf_sock_field_name(BS(state)), "state") &&
		  !strcmp(xbpf_sock_field_name(BS(dst_ip6) + 5), "dst_ip6") &&
		  !strcmp(xbpf_sock_field_name(BS(mark)), "mark") &&
		  !xbpf_sock_field_name(BS(dst_port) + 2) &&
		  !xbpf_sock_field_name(sizeof(struct bpf_sock)),
		  "field names (padding and the end have none)");
}

/* ---------------------------------------------------------------------
 * (2) The dummy socket
 */
static u8 frame_v4[14 + 20] = {
	[12] = 0x08, [13] = 0x00, [14] = 0x45,
	[26] = 10, [27] = 1, [28] = 2, [29] = 3,	/* saddr */
	[30] = 192, [31] = 168, [32] = 0, [33] = 9,	/* daddr */
};
static u8 frame_v6[14 + 40] = {
	[12] = 0x86, [13] = 0xdd, [14] = 0x60,
};
static u8 frame_other[64] = { [12] = 0x0c, [13] = 0x0d };

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static void test_socket(void)
{
	struct xbpf_skb *skb = calloc(1, sizeof(*skb));
	const struct xbpf_sock *sk = &skb->sock;
	u8 v6_src[16], v6_dst[16];
	unsigned int i;
	bool ok;

	xt_report(!xbpf_skb_init(skb, frame_other, sizeof(frame_other), NULL) &&
		  skb->f.sk == (u64)(uintptr_t)sk && sk->family == 0 && sk->state == 7 &&
		  sk->rx_queue_mapping == -1 && !sk->bound_dev_if && !sk->src_port &&
		  !sk->dst_port && !sk->src_ip4 && !sk->dst_ip4 &&
		  all_zero(sk->src_ip6, 16) && all_zero(sk->dst_ip6, 16) &&
		  !sk->type && !sk->protocol && !sk->mark && !sk->priority,
		  "not an IP frame: AF_UNSPEC, TCP_CLOSE, no rx queue, the rest zero");
	/* network order: the frame's bytes as they are */
	xt_report(!xbpf_skb_init(skb, frame_v4, sizeof(frame_v4), NULL) &&
		  sk->family == 2 && !memcmp(&sk->src_ip4, frame_v4 + 26, 4) &&
		  !memcmp(&sk->dst_ip4, frame_v4 + 30, 4) && sk->state == 7 &&
		  all_zero(sk->src_ip6, 16) && all_zero(sk->dst_ip6, 16),
		  "IPv4 frame: AF_INET, its addresses");
	for (i = 0; i < 16; i++) {
		v6_src[i] = frame_v6[14 + 8 + i] = (u8)(0x20 + i);
		v6_dst[i] = frame_v6[14 + 24 + i] = (u8)(0xa0 + i);
	}
	xt_report(!xbpf_skb_init(skb, frame_v6, sizeof(frame_v6), NULL) &&
		  sk->family == 10 && !memcmp(sk->src_ip6, v6_src, 16) &&
		  !memcmp(sk->dst_ip6, v6_dst, 16) && !sk->src_ip4 && !sk->dst_ip4 &&
		  sk->rx_queue_mapping == -1,
		  "IPv6 frame: AF_INET6, its addresses");

	/* ctx_in: sk is not one of the fields a user may set */
	{
		struct xbpf_skb *u = calloc(1, sizeof(*u));

		u->f.mark = 5;
		ok = xbpf_skb_ctx_in_ok(u);
		u->f.sk = 0x1000;
		ok = ok && !xbpf_skb_ctx_in_ok(u);
		u->f.sk = 0;
		u->user[SK_OFF + 7] = 1;
		xt_report(ok && !xbpf_skb_ctx_in_ok(u), "ctx_in with sk set is refused");

		/* ctx_out: what goes back carries no address */
		memset(u, 0, sizeof(*u));
		u->f.cb[0] = 9;
		ok = !xbpf_skb_init(skb, frame_v4, sizeof(frame_v4), u) && skb->f.sk;
		xbpf_skb_ctx_out(u, skb);
		xt_report(ok && !u->f.sk && u->f.cb[0] == 9 &&
			  all_zero(u->user + SK_OFF, 8),
			  "ctx_out leaves sk zero (the socket's address stays inside)");
		free(u);
	}
	free(skb);
}

/* ---------------------------------------------------------------------
 * (3) Walk and run
 */
static char logbuf[1 << 15];

static int verify(const struct xbpf_insn *insns, u32 n, bool priv, u32 level,
		  struct xbpf_prog **out)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		.caps = priv ? (struct xbpf_caps){ .allow_ptr_leaks = true,
						   .bypass_spec_v1 = true,
						   .bypass_spec_v4 = true,
						   .bpf_capable = true, .sys_admin = true } :
			       (struct xbpf_caps){},
		.log = &log,
		.check = XBPF_CHECK_STRICT,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(logbuf, 0, sizeof(logbuf));
	xbpf_log_init(&log, level, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	err = xbpf_verify(&p, &prog);
	if (out)
		*out = prog;
	else
		xbpf_prog_put(prog);
	return err;
}

static int run_on(const struct xbpf_prog *prog, u8 *frame, u32 len, u64 *r0,
		  struct xbpf_run_fault *fault)
{
	struct xbpf_skb *skb = calloc(1, sizeof(*skb));
	struct xt_env e = { .ctx = skb, .ctx_size = XBPF_SKB_USER_SIZE, .ctx_writable = true,
			    .skb = skb };
	int err = xbpf_skb_init(skb, frame, len, NULL);

	if (!err)
		err = xt_run(prog, &e, r0);
	if (fault)
		*fault = e.fault;
	free(skb);
	return err;
}

#define SK_CHECKED(r)	LDX(XBPF_DW, r, 1, SK_OFF), JMP_IMM(XBPF_JNE, r, 0, 2), \
			MOV64_IMM(0, -1), EXIT()

static void test_walk(void)
{
	const struct xbpf_insn state[] = {
		SK_CHECKED(2), LDX(XBPF_W, 0, 2, BS(state)), EXIT(),
	};
	const struct xbpf_insn family_ip4[] = {
		SK_CHECKED(3), LDX(XBPF_W, 0, 3, BS(family)), ALU64_IMM(XBPF_LSH, 0, 32),
		LDX(XBPF_B, 4, 3, BS(dst_ip4) + 3), ALU64_REG(XBPF_OR, 0, 4), EXIT(),
	};
	const struct xbpf_insn store[] = {
		SK_CHECKED(2), ST(XBPF_W, 2, BS(mark), 1), MOV64_IMM(0, 0), EXIT(),
	};
	const struct xbpf_insn past[] = {
		SK_CHECKED(2), LDX(XBPF_W, 0, 2, sizeof(struct bpf_sock)), EXIT(),
	};
	struct xbpf_prog *prog = NULL;
	struct xbpf_run_fault fault;
	u64 r0 = 0;
	int err, priv;
	bool ok;

	for (priv = 0; priv < 2; priv++) {
		err = verify(state, ARRAY_SIZE(state), priv, 2, &prog);
		ok = !err && prog && !prog->checked &&
		     strstr(logbuf, "R2=sock_common_or_null(id=1,off=0,imm=0)") &&
		     strstr(logbuf, "from 1 to 4: R1=ctx(off=0,imm=0) R2=sock_common(off=0,imm=0)");
		xt_report(ok, "%s: sk loaded, null-checked, state read; log names the types (err %d)",
			  priv ? "priv" : "unpriv", err);
		if (!ok)
			xt_diag("log:\n%s", logbuf);
		if (!prog)
			continue;
		err = run_on(prog, frame_other, sizeof(frame_other), &r0, NULL);
		xt_report(!err && r0 == 7, "%s: proved, runs unchecked: state %llu (TCP_CLOSE 7)",
			  priv ? "priv" : "unpriv", (unsigned long long)r0);
		xbpf_prog_put(prog);
		prog = NULL;
	}

	err = verify(family_ip4, ARRAY_SIZE(family_ip4), false, 1, &prog);
	if (!err && prog)
		err = run_on(prog, frame_v4, sizeof(frame_v4), &r0, NULL);
	xt_report(!err && prog && r0 == (2ULL << 32 | 9),
		  "unpriv: IPv4 frame, family and dst_ip4 byte: %#llx", (unsigned long long)r0);
	xbpf_prog_put(prog);
	prog = NULL;

	/* the checked model: the socket is a read-only region of its own */
	prog = xt_prog(family_ip4, ARRAY_SIZE(family_ip4), true);
	xt_report(!run_on(prog, frame_v4, sizeof(frame_v4), &r0, NULL) && r0 == (2ULL << 32 | 9),
		  "checked: reads through sk");
	xt_prog_free(prog);
	prog = xt_prog(store, ARRAY_SIZE(store), true);
	err = run_on(prog, frame_v4, sizeof(frame_v4), &r0, &fault);
	xt_report(err == -EFAULT && fault.write && fault.insn == 4,
		  "checked: a store into the socket faults (err %d at insn %u)", err, fault.insn);
	xt_prog_free(prog);
	prog = xt_prog(past, ARRAY_SIZE(past), true);
	err = run_on(prog, frame_v4, sizeof(frame_v4), &r0, &fault);
	xt_report(err == -EFAULT && !fault.write && fault.insn == 4,
		  "checked: a read past the socket faults (err %d)", err);
	xt_prog_free(prog);
	xt_report(verify(store, ARRAY_SIZE(store), true, 1, NULL) == -EACCES &&
		  strstr(logbuf, "R2 cannot write into sock_common"),
		  "the walk refuses the store");
	xt_report(verify(past, ARRAY_SIZE(past), true, 1, NULL) == -EACCES &&
		  strstr(logbuf, "R2 invalid sock_common access off=80 size=4"),
		  "the walk refuses the read past the end");
}

int main(void)
{
	test_rules();
	test_socket();
	test_walk();
	return xt_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Context access rules (verifier/ctx.c, verifier/ctx_skb.c):
 *
 *  (1) struct xbpf_skb's named fields sit at the offsets (and have the
 *      sizes) of struct __sk_buff in the system's <linux/bpf.h>;
 *  (2) SOCKET_FILTER: every access of 1, 2, 4 and 8 bytes at every offset
 *      0..191 (and some beyond), read and write, against an expected table
 *      written from Linux 6.1's rules (sk_filter_is_valid_access on top of
 *      bpf_skb_is_valid_access), plus hand-picked cases and the rewrite:
 *      an accepted load, performed as the info says on an xbpf_skb, gives
 *      the value Linux's narrow-load conversion would;
 *  (3) SYSCALL: any access aligned to its size below U16_MAX.
 */
#include <stdlib.h>
#include <linux/bpf.h>
#include "lib/xbpf_test.h"
#include "verifier/ctx.h"

#define SF	XBPF_PROG_TYPE_SOCKET_FILTER
#define SYSC	XBPF_PROG_TYPE_SYSCALL

/* ---------------------------------------------------------------------
 * (1) Layout
 */
#define SK_SIZE(m)	sizeof(((struct __sk_buff *)0)->m)
#define XS_SIZE(m)	sizeof(((struct xbpf_skb *)0)->f.m)
#define SAME(m)								\
	_Static_assert(offsetof(struct xbpf_skb, f.m) ==		\
		       offsetof(struct __sk_buff, m), #m " offset");	\
	_Static_assert(XS_SIZE(m) == SK_SIZE(m), #m " size")

SAME(len); SAME(pkt_type); SAME(mark); SAME(queue_mapping); SAME(protocol);
SAME(vlan_present); SAME(vlan_tci); SAME(vlan_proto); SAME(priority);
SAME(ingress_ifindex); SAME(ifindex); SAME(tc_index); SAME(cb); SAME(hash);
SAME(tc_classid); SAME(data); SAME(data_end); SAME(napi_id); SAME(family);
SAME(remote_ip4); SAME(local_ip4); SAME(remote_ip6); SAME(local_ip6);
SAME(remote_port); SAME(local_port); SAME(data_meta); SAME(flow_keys);
SAME(tstamp); SAME(wire_len); SAME(gso_segs); SAME(sk); SAME(gso_size);
SAME(tstamp_type); SAME(hwtstamp);
_Static_assert(sizeof(((struct xbpf_skb *)0)->f) == sizeof(struct __sk_buff), "size");
_Static_assert(XBPF_SKB_USER_SIZE == sizeof(struct __sk_buff), "user size");

/* The same facts at run time, so they show in the TAP count. */
#define LAYOUT(m)	{ #m, offsetof(struct xbpf_skb, f.m), XS_SIZE(m),	\
			  offsetof(struct __sk_buff, m), SK_SIZE(m) }
static const struct {
	const char *name;
	size_t xoff, xsize, loff, lsize;
} layout[] = {
	LAYOUT(len), LAYOUT(pkt_type), LAYOUT(mark), LAYOUT(queue_mapping),
	LAYOUT(protocol), LAYOUT(vlan_present), LAYOUT(vlan_tci),
	LAYOUT(vlan_proto), LAYOUT(priority), LAYOUT(ingress_ifindex),
	LAYOUT(ifindex), LAYOUT(tc_index), LAYOUT(cb), LAYOUT(hash),
	LAYOUT(tc_classid), LAYOUT(data), LAYOUT(data_end), LAYOUT(napi_id),
	LAYOUT(family), LAYOUT(remote_ip4), LAYOUT(local_ip4),
	LAYOUT(remote_ip6), LAYOUT(local_ip6), LAYOUT(remote_port),
	LAYOUT(local_port), LAYOUT(data_meta), LAYOUT(flow_keys), LAYOUT(tstamp),
	LAYOUT(wire_len), LAYOUT(gso_segs), LAYOUT(sk), LAYOUT(gso_size),
	LAYOUT(tstamp_type), LAYOUT(hwtstamp),
};

static void test_layout(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(layout); i++)
		xt_report(layout[i].xoff == layout[i].loff &&
			  layout[i].xsize == layout[i].lsize,
			  "layout %s at %zu (%zu bytes) as in __sk_buff",
			  layout[i].name, layout[i].xoff, layout[i].xsize);
}

/* ---------------------------------------------------------------------
 * (2) SOCKET_FILTER, expected table.
 *
 * One row per region of __sk_buff (offsets from the system header, not
 * from xbpf), with the access sizes Linux 6.1 lets a socket filter read
 * and write there.  An access is expected to pass when it is aligned to
 * its size, lies inside one row, and the row allows its size.  Bytes no
 * row covers (the padding after tstamp_type) take no access.
 *
 * From Linux 6.1: plain u32 fields read with loads of 1, 2 or 4 bytes;
 * cb[] is the only writable region and takes any size inside it; sk is
 * read as a whole 8-byte pointer; tc_classid, data, data_end, data_meta,
 * family .. local_port, flow_keys, tstamp, wire_len, tstamp_type and
 * hwtstamp take nothing; mark and priority are read-only here (tc may
 * write them, a socket filter may not).
 */
#define R124	(1 | 2 | 4)
#define ANY	(1 | 2 | 4 | 8)
#define ROW(m, rd, wr, v)	{ #m, offsetof(struct __sk_buff, m), SK_SIZE(m), rd, wr, v }
#define V_SCALAR	XBPF_CTX_VAL_SCALAR
#define V_SOCK		XBPF_CTX_VAL_SOCK_COMMON_OR_NULL

struct row {
	const char	*name;
	u32		off, size;
	u32		rd, wr;		/* masks of allowed sizes */
	int		val;
};

static const struct row sf_rows[] = {
	ROW(len,		R124, 0, V_SCALAR),
	ROW(pkt_type,		R124, 0, V_SCALAR),
	ROW(mark,		R124, 0, V_SCALAR),
	ROW(queue_mapping,	R124, 0, V_SCALAR),
	ROW(protocol,		R124, 0, V_SCALAR),
	ROW(vlan_present,	R124, 0, V_SCALAR),
	ROW(vlan_tci,		R124, 0, V_SCALAR),
	ROW(vlan_proto,		R124, 0, V_SCALAR),
	ROW(priority,		R124, 0, V_SCALAR),
	ROW(ingress_ifindex,	R124, 0, V_SCALAR),
	ROW(ifindex,		R124, 0, V_SCALAR),
	ROW(tc_index,		R124, 0, V_SCALAR),
	ROW(cb,			ANY, ANY, V_SCALAR),
	ROW(hash,		R124, 0, V_SCALAR),
	ROW(tc_classid,		0, 0, V_SCALAR),
	ROW(data,		0, 0, V_SCALAR),
	ROW(data_end,		0, 0, V_SCALAR),
	ROW(napi_id,		R124, 0, V_SCALAR),
	ROW(family,		0, 0, V_SCALAR),
	ROW(remote_ip4,		0, 0, V_SCALAR),
	ROW(local_ip4,		0, 0, V_SCALAR),
	ROW(remote_ip6,		0, 0, V_SCALAR),
	ROW(local_ip6,		0, 0, V_SCALAR),
	ROW(remote_port,	0, 0, V_SCALAR),
	ROW(local_port,		0, 0, V_SCALAR),
	ROW(data_meta,		0, 0, V_SCALAR),
	ROW(flow_keys,		0, 0, V_SCALAR),
	ROW(tstamp,		0, 0, V_SCALAR),
	ROW(wire_len,		0, 0, V_SCALAR),
	ROW(gso_segs,		R124, 0, V_SCALAR),
	ROW(sk,			8, 0, V_SOCK),
	ROW(gso_size,		R124, 0, V_SCALAR),
	ROW(tstamp_type,	0, 0, V_SCALAR),
	ROW(hwtstamp,		0, 0, V_SCALAR),
};

static const struct row *sf_row_at(u32 off)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sf_rows); i++)
		if (off >= sf_rows[i].off && off - sf_rows[i].off < sf_rows[i].size)
			return &sf_rows[i];
	return NULL;
}

static bool sf_expected(u32 off, u32 size, bool write)
{
	const struct row *r = sf_row_at(off);

	if (!r || off % size || off + size > r->off + r->size)
		return false;
	return (write ? r->wr : r->rd) & size;
}

static const u32 sizes[] = { 1, 2, 4, 8 };

/*
 * Every (offset, size, direction) in 0..191, grouped in the TAP output by
 * row and direction; mismatches are listed as diagnostics.
 */
static void test_sf_table(void)
{
	size_t i, s;
	int w;

	for (i = 0; i < ARRAY_SIZE(sf_rows); i++) {
		const struct row *r = &sf_rows[i];

		for (w = 0; w < 2; w++) {
			unsigned int bad = 0, ok_cnt = 0;
			u32 off;

			for (off = r->off; off < r->off + r->size; off++) {
				for (s = 0; s < ARRAY_SIZE(sizes); s++) {
					struct xbpf_ctx_access_info info;
					bool exp = sf_expected(off, sizes[s], w);
					int err = xbpf_ctx_access(SF, off, sizes[s], w, &info);

					if (err != (exp ? 0 : -EACCES)) {
						bad++;
						xt_diag("%s off %u size %u: got %d, want %d",
							w ? "write" : "read", off,
							sizes[s], err, exp ? 0 : -EACCES);
					}
					ok_cnt += exp;
				}
			}
			xt_report(!bad, "socket_filter %s %s (%u accepted)",
				  w ? "write" : "read", r->name, ok_cnt);
		}
	}
}

/* Bytes no row names (the padding) and offsets past the struct. */
static void test_sf_outside(void)
{
	static const u32 far[] = { 192, 193, 196, 200, 255, 256, 4096,
				   0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff };
	unsigned int bad = 0, holes = 0;
	size_t s, i;
	u32 off;
	int w;

	for (off = 0; off < XBPF_SKB_USER_SIZE; off++) {
		if (sf_row_at(off))
			continue;
		holes++;
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (w = 0; w < 2; w++) {
				struct xbpf_ctx_access_info info;

				if (xbpf_ctx_access(SF, off, sizes[s], w, &info) != -EACCES) {
					bad++;
					xt_diag("padding off %u size %u accepted", off, sizes[s]);
				}
			}
	}
	xt_report(!bad && holes == 3, "socket_filter padding (%u bytes) refused", holes);

	bad = 0;
	for (i = 0; i < ARRAY_SIZE(far); i++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (w = 0; w < 2; w++) {
				struct xbpf_ctx_access_info info;

				if (xbpf_ctx_access(SF, far[i], sizes[s], w, &info) != -EACCES) {
					bad++;
					xt_diag("off %u size %u accepted", far[i], sizes[s]);
				}
			}
	xt_report(!bad, "socket_filter offsets past 192 (and negative) refused");
}

/* Facts read off Linux's rules one by one, not through the table. */
static const struct {
	u32 off, size;
	bool write, pass;
	const char *why;
} sf_cases[] = {
	{ 0, 4, false, true, "len" },
	{ 0, 8, false, false, "len as 8 bytes" },
	{ 2, 2, false, true, "high half of len" },
	{ 3, 1, false, true, "top byte of len" },
	{ 3, 2, false, false, "misaligned half" },
	{ 1, 4, false, false, "misaligned word" },
	{ 0, 4, true, false, "write len" },
	{ 8, 4, true, false, "write mark" },
	{ 32, 4, true, false, "write priority" },
	{ 48, 4, true, true, "write cb[0]" },
	{ 49, 1, true, true, "write byte of cb[0]" },
	{ 50, 2, true, true, "write half of cb[0]" },
	{ 48, 8, true, true, "write cb[0..1] as 8 bytes" },
	{ 56, 8, false, true, "read cb[2..3] as 8 bytes" },
	{ 64, 4, true, true, "write cb[4]" },
	{ 64, 8, false, false, "8 bytes from cb[4] into hash" },
	{ 52, 8, false, false, "misaligned 8 in cb" },
	{ 68, 4, false, true, "hash" },
	{ 68, 4, true, false, "write hash" },
	{ 72, 4, false, false, "tc_classid" },
	{ 76, 4, false, false, "data" },
	{ 80, 4, false, false, "data_end" },
	{ 84, 4, false, true, "napi_id" },
	{ 87, 1, false, true, "top byte of napi_id" },
	{ 88, 4, false, false, "family" },
	{ 136, 4, false, false, "local_port" },
	{ 140, 4, false, false, "data_meta" },
	{ 144, 8, false, false, "flow_keys" },
	{ 152, 8, false, false, "tstamp" },
	{ 152, 8, true, false, "write tstamp" },
	{ 160, 4, false, false, "wire_len" },
	{ 164, 4, false, true, "gso_segs" },
	{ 164, 8, false, false, "gso_segs as 8 bytes" },
	{ 168, 8, false, true, "sk" },
	{ 168, 4, false, false, "low half of sk" },
	{ 172, 4, false, false, "high half of sk" },
	{ 168, 8, true, false, "write sk" },
	{ 176, 4, false, true, "gso_size" },
	{ 178, 2, false, true, "high half of gso_size" },
	{ 176, 8, false, false, "gso_size as 8 bytes" },
	{ 180, 1, false, false, "tstamp_type" },
	{ 181, 1, false, false, "padding" },
	{ 184, 8, false, false, "hwtstamp" },
	{ 188, 4, false, false, "high half of hwtstamp" },
};

static void test_sf_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sf_cases); i++) {
		struct xbpf_ctx_access_info info;
		int err = xbpf_ctx_access(SF, sf_cases[i].off, sf_cases[i].size,
					  sf_cases[i].write, &info);

		xt_report(err == (sf_cases[i].pass ? 0 : -EACCES),
			  "socket_filter %s %s off %u size %u: %s",
			  sf_cases[i].write ? "write" : "read", sf_cases[i].why,
			  sf_cases[i].off, sf_cases[i].size,
			  sf_cases[i].pass ? "accepted" : "refused");
	}
}

/* What an accepted access reports: value kind, field, run-time access. */
static void test_sf_info(void)
{
	unsigned int bad = 0, n = 0;
	size_t s;
	u32 off;
	int w;

	for (off = 0; off < XBPF_SKB_USER_SIZE; off++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (w = 0; w < 2; w++) {
				const struct row *r = sf_row_at(off);
				struct xbpf_ctx_access_info info;
				bool good;

				if (xbpf_ctx_access(SF, off, sizes[s], w, &info))
					continue;
				n++;
				good = r && info.val == r->val &&
				       info.field_off == r->off &&
				       info.field_size == r->size;
				/* sk too is read in place: the skb's socket address. */
				if (r && r->val == V_SOCK)
					good = good && !w;
				good = good && info.conv == XBPF_CTX_CONV_DIRECT &&
				       info.computed == XBPF_CTX_COMP_NONE &&
				       info.target_off == off &&
				       info.target_size == sizes[s];
				if (!good) {
					bad++;
					xt_diag("info for %s off %u size %u: val %u conv %u field %u/%u target %u/%u",
						w ? "write" : "read", off, sizes[s],
						info.val, info.conv, info.field_off,
						info.field_size, info.target_off,
						info.target_size);
				}
			}
	xt_report(!bad && n, "socket_filter rewrite info of %u accepted accesses", n);
}

/*
 * Performs every accepted scalar load the way the info says on an
 * xbpf_skb, and compares it with what Linux's conversion gives: the whole
 * field read, shifted to the accessed bytes and masked.
 */
static u64 load(const u8 *p, u32 size)
{
	u8 b1; u16 b2; u32 b4; u64 b8;

	switch (size) {
	case 1:
		memcpy(&b1, p, 1);
		return b1;
	case 2:
		memcpy(&b2, p, 2);
		return b2;
	case 4:
		memcpy(&b4, p, 4);
		return b4;
	default:
		memcpy(&b8, p, 8);
		return b8;
	}
}

static void test_sf_values(void)
{
	struct __sk_buff lx;
	struct xbpf_skb *xs = calloc(1, sizeof(*xs));
	unsigned int bad = 0, n = 0;
	size_t s, i;
	u32 off;

	for (i = 0; i < XBPF_SKB_USER_SIZE; i++)
		xs->user[i] = (u8)(0x11 * (i + 1) ^ (i >> 3));
	memcpy(&lx, xs->user, sizeof(lx));

	for (off = 0; off < XBPF_SKB_USER_SIZE; off++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			u32 size = sizes[s], fsz, foff;
			struct xbpf_ctx_access_info info;
			u64 got, want, whole;

			if (xbpf_ctx_access(SF, off, size, false, &info) ||
			    info.conv != XBPF_CTX_CONV_DIRECT)
				continue;
			n++;
			got = load(xs->user + info.target_off, info.target_size);
			/* Linux: 4-byte fields widen to the field; cb[] loads as is. */
			fsz = size < 4 ? 4 : size;
			foff = off & ~(fsz - 1);
			whole = load((const u8 *)&lx + foff, fsz);
			want = whole >> (8 * (off - foff));
			if (size < 8)
				want &= (1ULL << (8 * size)) - 1;
			if (got != want) {
				bad++;
				xt_diag("load off %u size %u: %#llx, want %#llx", off,
					size, (unsigned long long)got,
					(unsigned long long)want);
			}
		}
	/* Spot checks through named fields of both structs. */
	bad += load(xs->user + offsetof(struct xbpf_skb, f.mark), 4) != lx.mark;
	bad += load(xs->user + offsetof(struct xbpf_skb, f.gso_size) + 2, 2) !=
	       (lx.gso_size >> 16);
	bad += load(xs->user + offsetof(struct xbpf_skb, f.cb[1]), 8) !=
	       ((u64)lx.cb[2] << 32 | lx.cb[1]);
	xt_report(!bad && n, "socket_filter %u direct loads read Linux's value", n);
	free(xs);
}

static void test_names_and_types(void)
{
	struct xbpf_ctx_access_info info;
	const char *n0 = xbpf_ctx_field_name(SF, 0);
	const char *n50 = xbpf_ctx_field_name(SF, 50);
	const char *n170 = xbpf_ctx_field_name(SF, 170);

	xt_report(n0 && !strcmp(n0, "len") && n50 && !strcmp(n50, "cb") &&
		  n170 && !strcmp(n170, "sk") && !xbpf_ctx_field_name(SF, 192) &&
		  !xbpf_ctx_field_name(SYSC, 0),
		  "field names for the log");
	xt_report(xbpf_ctx_access(XBPF_PROG_TYPE_XDP, 0, 4, false, &info) == -EACCES &&
		  xbpf_ctx_access(XBPF_PROG_TYPE_UNSPEC, 0, 4, false, &info) == -EACCES &&
		  xbpf_ctx_access(0xffff, 0, 4, false, &info) == -EACCES,
		  "program types without rules refuse every access");
	xt_report(xbpf_ctx_access(SF, 0, 0, false, &info) == -EACCES &&
		  xbpf_ctx_access(SF, 0, 3, false, &info) == -EACCES &&
		  xbpf_ctx_access(SF, 48, 16, true, &info) == -EACCES &&
		  xbpf_ctx_access(SYSC, 0, 0, false, &info) == -EACCES &&
		  xbpf_ctx_access(SYSC, 0, 16, true, &info) == -EACCES &&
		  xbpf_ctx_skb_access(0, 0, false, &info) == -EACCES,
		  "impossible sizes refused (no division by zero)");
}

/* ---------------------------------------------------------------------
 * (3) SYSCALL: Linux accepts any offset below U16_MAX aligned to the size,
 * reads and writes alike; ctx_size_in is checked at run time.
 */
static bool sys_expected(u32 off, u32 size)
{
	return off < 65535 && off % size == 0;
}

static void test_syscall(void)
{
	static const u32 edge[] = { 65520, 65527, 65528, 65530, 65532, 65533,
				    65534, 65535, 65536, 65544, 0x80000000,
				    0xfffffff8, 0xffffffff };
	unsigned int bad = 0, n = 0;
	size_t s, i;
	u32 off;
	int w;

	for (off = 0; off < 1024; off++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (w = 0; w < 2; w++) {
				struct xbpf_ctx_access_info info;
				bool exp = sys_expected(off, sizes[s]);
				int err = xbpf_ctx_access(SYSC, off, sizes[s], w, &info);

				if (err != (exp ? 0 : -EACCES) ||
				    (!err && (info.val != XBPF_CTX_VAL_SCALAR ||
					      info.conv != XBPF_CTX_CONV_DIRECT ||
					      info.target_off != off ||
					      info.target_size != sizes[s]))) {
					bad++;
					xt_diag("syscall %s off %u size %u: %d",
						w ? "write" : "read", off, sizes[s], err);
				}
				n += exp;
			}
	xt_report(!bad, "syscall offsets 0..1023, all sizes, read and write (%u accepted)", n);

	bad = 0;
	for (i = 0; i < ARRAY_SIZE(edge); i++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (w = 0; w < 2; w++) {
				struct xbpf_ctx_access_info info;
				bool exp = sys_expected(edge[i], sizes[s]);

				if (xbpf_ctx_access(SYSC, edge[i], sizes[s], w, &info) !=
				    (exp ? 0 : -EACCES)) {
					bad++;
					xt_diag("syscall off %u size %u", edge[i], sizes[s]);
				}
			}
	xt_report(!bad, "syscall offsets around U16_MAX and negative ones");

	{
		struct xbpf_ctx_access_info info;

		xt_report(!xbpf_ctx_access(SYSC, 65534, 2, true, &info) &&
			  !xbpf_ctx_access(SYSC, 65528, 8, false, &info) &&
			  xbpf_ctx_access(SYSC, 65535, 1, false, &info) == -EACCES &&
			  xbpf_ctx_access(SYSC, 4, 8, false, &info) == -EACCES &&
			  !xbpf_ctx_access(SYSC, 200, 8, true, &info),
			  "syscall hand-picked cases");
	}
}

/*
 * KPROBE: every (off, size, write) in and around struct pt_regs against
 * the rule stated independently: a read aligned to its size that ends
 * inside the 168 bytes; what an accepted read yields.
 */
static void test_kprobe(void)
{
	static const u32 sizes[] = { 1, 2, 4, 8 };
	struct xbpf_ctx_access_info info;
	u32 off, s, bad = 0, ok = 0;
	int w;

	for (off = 0; off < 200; off++)
		for (s = 0; s < 4; s++)
			for (w = 0; w < 2; w++) {
				u32 sz = sizes[s];
				bool want = !w && off % sz == 0 && off + sz <= 168;
				int err = xbpf_ctx_access(XBPF_PROG_TYPE_KPROBE, off, sz, w,
							  &info);

				if (want != !err) {
					if (!bad++)
						xt_diag("kprobe off %u size %u write %d: %d",
							off, sz, w, err);
					continue;
				}
				if (!err && (info.val != XBPF_CTX_VAL_SCALAR ||
					     info.conv != XBPF_CTX_CONV_DIRECT ||
					     info.target_off != off ||
					     info.target_size != sz))
					bad++;
				ok += !err;
			}
	/* 168 bytes: 168 byte, 84 half, 42 word and 21 dw reads */
	xt_report(!bad && ok == 168 + 84 + 42 + 21, "kprobe: pt_regs reads only, aligned, in bounds (%u ok)", ok);
	xt_report(xbpf_ctx_access(XBPF_PROG_TYPE_KPROBE, (u32)-8, 8, false, &info) == -EACCES &&
		  xbpf_ctx_access(XBPF_PROG_TYPE_KPROBE, 0, 3, false, &info) == -EACCES,
		  "kprobe: negative offset and odd size refused");
	xt_report(!strcmp(xbpf_ctx_field_name(XBPF_PROG_TYPE_KPROBE, 80), "ax") &&
		  !strcmp(xbpf_ctx_field_name(XBPF_PROG_TYPE_KPROBE, 116), "di") &&
		  !xbpf_ctx_field_name(XBPF_PROG_TYPE_KPROBE, 168),
		  "kprobe: register names for the log");
}

/*
 * RAW_TRACEPOINT and TRACEPOINT against their rules stated independently:
 * reads aligned to their size, raw tracepoints below 12 u64 arguments,
 * tracepoints at 8 <= off < 2048 (the common fields hidden); no write.
 */
static u32 tp_sweep(u32 type, u32 lo, u32 end, u32 *bad)
{
	static const u32 sizes[] = { 1, 2, 4, 8 };
	struct xbpf_ctx_access_info info;
	u32 off, s, ok = 0;
	int w;

	for (off = 0; off < end + 64; off++)
		for (s = 0; s < 4; s++)
			for (w = 0; w < 2; w++) {
				u32 sz = sizes[s];
				bool want = !w && off % sz == 0 && off >= lo && off + sz <= end;
				int err = xbpf_ctx_access(type, off, sz, w, &info);

				if (want != !err) {
					if (!(*bad)++)
						xt_diag("type %u off %u size %u write %d: %d",
							type, off, sz, w, err);
					continue;
				}
				if (!err && (info.val != XBPF_CTX_VAL_SCALAR ||
					     info.conv != XBPF_CTX_CONV_DIRECT ||
					     info.target_off != off || info.target_size != sz))
					(*bad)++;
				ok += !err;
			}
	return ok;
}

static void test_tracepoints(void)
{
	struct xbpf_ctx_access_info info;
	u32 bad = 0, ok;

	ok = tp_sweep(XBPF_PROG_TYPE_RAW_TRACEPOINT, 0, 96, &bad);
	/* 96 bytes: 96 + 48 + 24 + 12 reads */
	xt_report(!bad && ok == 96 + 48 + 24 + 12,
		  "raw_tracepoint: aligned reads of 12 u64 args only (%u ok)", ok);
	bad = 0;
	ok = tp_sweep(XBPF_PROG_TYPE_TRACEPOINT, 8, 2048, &bad);
	xt_report(!bad && ok == 2040 + 1020 + 510 + 255,
		  "tracepoint: aligned reads in [8, 2048) only (%u ok)", ok);
	xt_report(xbpf_ctx_access(XBPF_PROG_TYPE_TRACEPOINT, (u32)-8, 8, false, &info) &&
		  xbpf_ctx_access(XBPF_PROG_TYPE_RAW_TRACEPOINT, (u32)-8, 8, false, &info) &&
		  xbpf_ctx_access(XBPF_PROG_TYPE_RAW_TRACEPOINT, 0, 3, false, &info),
		  "tracepoints: negative offset and odd size refused");
}

int main(void)
{
	test_layout();
	test_sf_table();
	test_sf_outside();
	test_sf_cases();
	test_sf_info();
	test_sf_values();
	test_names_and_types();
	test_syscall();
	test_kprobe();
	test_tracepoints();
	return xt_finish();
}

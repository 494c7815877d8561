// SPDX-License-Identifier: GPL-2.0
/*
 * SOCKET_FILTER context rules: what a socket filter may do with its
 * struct __sk_buff, as Linux 6.1 decides it, so a program written for
 * Linux is accepted or refused alike here.
 *
 * In short: a socket filter reads the plain 4-byte fields with loads of
 * 1, 2 or 4 bytes at their natural alignment, reads sk as one 8-byte
 * pointer (or NULL), and reads and writes cb[] with any aligned access
 * inside it.  It gets no direct packet access (data, data_end,
 * data_meta), no socket-tuple fields (family .. local_port), no
 * timestamps, wire_len, tc_classid or flow_keys; it writes nothing but
 * cb[].  The packet itself is read with LD_ABS/LD_IND.
 */
#include "ctx.h"

enum xbpf_skb_class {
	XBPF_SKB_NONE,		/* neither read nor written */
	XBPF_SKB_RO,		/* read 1, 2 or 4 bytes of a 4-byte field */
	XBPF_SKB_CB,		/* read and write, any aligned size, inside cb[] */
	XBPF_SKB_SOCK,		/* read as one 8-byte pointer */
};

struct xbpf_skb_field {
	const char	*name;
	u8		off;
	u8		size;
	u8		class;		/* for socket filters */
};

#define XBPF_SKB_F(field, cls)						\
	{ #field, offsetof(struct xbpf_skb, f.field),			\
	  sizeof(((struct xbpf_skb *)0)->f.field), XBPF_SKB_##cls }

/*
 * Every byte of the 192, in order.  Arrays (cb, the IPv6 addresses) are
 * one entry: the rules treat them as one region.
 */
static const struct xbpf_skb_field xbpf_skb_fields[] = {
	XBPF_SKB_F(len,			RO),
	XBPF_SKB_F(pkt_type,		RO),
	XBPF_SKB_F(mark,		RO),
	XBPF_SKB_F(queue_mapping,	RO),
	XBPF_SKB_F(protocol,		RO),
	XBPF_SKB_F(vlan_present,	RO),
	XBPF_SKB_F(vlan_tci,		RO),
	XBPF_SKB_F(vlan_proto,		RO),
	XBPF_SKB_F(priority,		RO),
	XBPF_SKB_F(ingress_ifindex,	RO),
	XBPF_SKB_F(ifindex,		RO),
	XBPF_SKB_F(tc_index,		RO),
	XBPF_SKB_F(cb,			CB),
	XBPF_SKB_F(hash,		RO),
	XBPF_SKB_F(tc_classid,		NONE),	/* a tc-only field */
	XBPF_SKB_F(data,		NONE),	/* no direct packet access */
	XBPF_SKB_F(data_end,		NONE),
	XBPF_SKB_F(napi_id,		RO),
	XBPF_SKB_F(family,		NONE),	/* family .. local_port: sk_skb only */
	XBPF_SKB_F(remote_ip4,		NONE),
	XBPF_SKB_F(local_ip4,		NONE),
	XBPF_SKB_F(remote_ip6,		NONE),
	XBPF_SKB_F(local_ip6,		NONE),
	XBPF_SKB_F(remote_port,		NONE),
	XBPF_SKB_F(local_port,		NONE),
	XBPF_SKB_F(data_meta,		NONE),
	XBPF_SKB_F(flow_keys,		NONE),	/* flow dissector only */
	XBPF_SKB_F(tstamp,		NONE),
	XBPF_SKB_F(wire_len,		NONE),
	XBPF_SKB_F(gso_segs,		RO),
	XBPF_SKB_F(sk,			SOCK),
	XBPF_SKB_F(gso_size,		RO),
	XBPF_SKB_F(tstamp_type,		NONE),	/* a byte nobody may touch */
	XBPF_SKB_F(pad,			NONE),
	XBPF_SKB_F(hwtstamp,		NONE),
};

/* The layout the table (and the identity rewrite) relies on. */
static void xbpf_skb_layout_check(void)
{
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.cb) != 48);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.napi_id) != 84);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.data_meta) != 140);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.flow_keys) != 144);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.tstamp) != 152);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.sk) != 168);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.gso_size) != 176);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.tstamp_type) != 180);
	BUILD_BUG_ON(offsetof(struct xbpf_skb, f.hwtstamp) != 184);
	BUILD_BUG_ON(sizeof(((struct xbpf_skb *)0)->f) != XBPF_SKB_USER_SIZE);
}

static const struct xbpf_skb_field *xbpf_skb_field_at(u32 off)
{
	u32 i;

	xbpf_skb_layout_check();
	for (i = 0; i < ARRAY_SIZE(xbpf_skb_fields); i++) {
		const struct xbpf_skb_field *f = &xbpf_skb_fields[i];

		if (off >= f->off && off < (u32)f->off + f->size)
			return f;
	}
	return NULL;
}

int xbpf_ctx_skb_access(u32 off, u32 size, bool write,
			struct xbpf_ctx_access_info *info)
{
	const struct xbpf_skb_field *f;

	if (!xbpf_ctx_size_ok(size) || off >= XBPF_SKB_USER_SIZE || off % size)
		return -EACCES;
	f = xbpf_skb_field_at(off);
	if (!f)
		return -EACCES;

	/* Aligned and at most 8 bytes: only cb[] can be overrun (by 8). */
	switch (f->class) {
	case XBPF_SKB_RO:
		if (write || size > f->size)
			return -EACCES;
		break;
	case XBPF_SKB_CB:
		if (off + size > (u32)f->off + f->size)
			return -EACCES;
		break;
	case XBPF_SKB_SOCK:
		if (write || size != f->size)
			return -EACCES;
		break;
	default:
		return -EACCES;
	}

	memset(info, 0, sizeof(*info));
	info->field_off = f->off;
	info->field_size = f->size;
	/*
	 * The user area mirrors __sk_buff: every stored field is in place,
	 * sk included (the address of the skb's socket, core/skb.c).
	 */
	info->val = f->class == XBPF_SKB_SOCK ? XBPF_CTX_VAL_SOCK_COMMON_OR_NULL :
						XBPF_CTX_VAL_SCALAR;
	info->conv = XBPF_CTX_CONV_DIRECT;
	info->target_off = off;
	info->target_size = size;
	return 0;
}

const char *xbpf_ctx_skb_field_name(u32 off)
{
	const struct xbpf_skb_field *f;

	if (off >= XBPF_SKB_USER_SIZE)
		return NULL;
	f = xbpf_skb_field_at(off);
	return f ? f->name : NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The SOCKET_FILTER test-run context, built from a frame the way Linux's
 * test run builds its skb: the frame arrives on loopback, eth_type_trans()
 * pulls the 14-byte Ethernet header and decides pkt_type and protocol, and
 * the program sees the network header at data.  One implementation for
 * the module and the offline engine, so both give a program the same view.
 */
#include "xbpf_core.h"

#define XBPF_ETH_ALEN		6
#define XBPF_ETH_P_802_3_MIN	0x0600	/* below: an 802.3 length, not a type */
#define XBPF_ETH_P_802_3	0x0001
#define XBPF_ETH_P_802_2	0x0004
#define XBPF_ETH_P_IP		0x0800
#define XBPF_ETH_P_IPV6		0x86dd
#define XBPF_IPV4_HLEN_MIN	20
#define XBPF_IPV6_HLEN		40

enum {				/* __sk_buff.pkt_type, as Linux numbers them */
	XBPF_PACKET_HOST,
	XBPF_PACKET_BROADCAST,
	XBPF_PACKET_MULTICAST,
	XBPF_PACKET_OTHERHOST,
};

static bool xbpf_all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

bool xbpf_skb_ctx_in_ok(const struct xbpf_skb *uctx)
{
	const u8 *b = uctx->user;
	size_t mark = offsetof(struct xbpf_skb, f.mark);
	size_t prio = offsetof(struct xbpf_skb, f.priority);
	size_t cb = offsetof(struct xbpf_skb, f.cb);
	size_t cb_end = cb + sizeof(uctx->f.cb);

	return xbpf_all_zero(b, mark) &&
	       xbpf_all_zero(b + mark + 4, prio - (mark + 4)) &&
	       xbpf_all_zero(b + prio + 4, cb - (prio + 4)) &&
	       xbpf_all_zero(b + cb_end, XBPF_SKB_USER_SIZE - cb_end);
}

/* Socket values, as Linux numbers them. */
#define XBPF_AF_INET		2
#define XBPF_AF_INET6		10
#define XBPF_TCP_CLOSE		7
#define XBPF_IPV4_SADDR_OFF	12	/* saddr, then daddr, in the IPv4 header */
#define XBPF_IPV6_SADDR_OFF	8	/* the same in the IPv6 header */

/*
 * Linux's test-run gives every skb a dummy socket: allocated for
 * AF_UNSPEC, set up by sock_init_data() (state TCP_CLOSE, no receive
 * queue recorded: rx_queue_mapping reads -1, everything else zero), and
 * then, for an IPv4 or IPv6 frame, given that family and the frame's
 * source and destination addresses.  The bytes stay in network order.
 * The caller has checked the frame is long enough for the header.
 */
static void xbpf_skb_sock_init(struct xbpf_skb *skb, u16 proto)
{
	struct xbpf_sock *sk = &skb->sock;

	sk->state = XBPF_TCP_CLOSE;
	sk->rx_queue_mapping = -1;
	if (proto == XBPF_ETH_P_IP) {
		sk->family = XBPF_AF_INET;
		memcpy(&sk->src_ip4, skb->data + XBPF_IPV4_SADDR_OFF, 4);
		memcpy(&sk->dst_ip4, skb->data + XBPF_IPV4_SADDR_OFF + 4, 4);
	} else if (proto == XBPF_ETH_P_IPV6) {
		sk->family = XBPF_AF_INET6;
		memcpy(sk->src_ip6, skb->data + XBPF_IPV6_SADDR_OFF, 16);
		memcpy(sk->dst_ip6, skb->data + XBPF_IPV6_SADDR_OFF + 16, 16);
	}
	skb->f.sk = (uintptr_t)sk;
}

/* The bits of a big-endian u16, as __sk_buff.protocol holds them. */
static u32 xbpf_be16_bits(u16 host)
{
	u8 b[2] = { host >> 8, host & 0xff };
	u16 raw;

	memcpy(&raw, b, sizeof(raw));
	return raw;
}

int xbpf_skb_init(struct xbpf_skb *skb, u8 *frame, u32 size,
		  const struct xbpf_skb *uctx)
{
	static const u8 bcast[XBPF_ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 zero[XBPF_ETH_ALEN];
	u16 etype, proto;

	if (size < XBPF_ETH_HLEN)
		return -EINVAL;
	memset(skb, 0, sizeof(*skb));
	skb->mac = frame;
	skb->data = frame + XBPF_ETH_HLEN;
	skb->data_len = size - XBPF_ETH_HLEN;
	skb->f.len = skb->data_len;
	skb->f.ifindex = 1;	/* loopback, where Linux's test run receives */

	/* loopback's own address is all zeroes */
	if (frame[0] & 1)
		skb->f.pkt_type = memcmp(frame, bcast, XBPF_ETH_ALEN) ?
				  XBPF_PACKET_MULTICAST : XBPF_PACKET_BROADCAST;
	else if (memcmp(frame, zero, XBPF_ETH_ALEN))
		skb->f.pkt_type = XBPF_PACKET_OTHERHOST;
	else
		skb->f.pkt_type = XBPF_PACKET_HOST;

	etype = (u16)(frame[12] << 8 | frame[13]);
	if (etype >= XBPF_ETH_P_802_3_MIN)
		proto = etype;
	else if (skb->data_len >= 2 && skb->data[0] == 0xff && skb->data[1] == 0xff)
		proto = XBPF_ETH_P_802_3;	/* raw 802.3, IPX's mark */
	else
		proto = XBPF_ETH_P_802_2;
	skb->f.protocol = xbpf_be16_bits(proto);

	/* Linux refuses a frame too short for the network header it names. */
	if ((proto == XBPF_ETH_P_IP && skb->data_len < XBPF_IPV4_HLEN_MIN) ||
	    (proto == XBPF_ETH_P_IPV6 && skb->data_len < XBPF_IPV6_HLEN))
		return -EINVAL;
	xbpf_skb_sock_init(skb, proto);

	if (uctx) {
		skb->f.mark = uctx->f.mark;
		skb->f.priority = uctx->f.priority;
		memcpy(skb->f.cb, uctx->f.cb, sizeof(skb->f.cb));
	}
	return 0;
}

void xbpf_skb_ctx_out(struct xbpf_skb *uctx, const struct xbpf_skb *skb)
{
	uctx->f.mark = skb->f.mark;
	uctx->f.priority = skb->f.priority;
	memcpy(uctx->f.cb, skb->f.cb, sizeof(uctx->f.cb));
}

/*
 * Linux's bpf_skb_load_bytes: len bytes at offset from the network header
 * (where a socket filter's skb->data points) into the program's buffer;
 * on any failure the buffer is cleared, so the verifier may count it as
 * written either way, and -EFAULT returned.  len is the verifier's
 * constant size, never 0.
 */
u64 xbpf_bpf_skb_load_bytes(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	const struct xbpf_skb *skb = (const struct xbpf_skb *)(uintptr_t)r1;
	void *to = (void *)(uintptr_t)r3;
	u32 off = (u32)r2, len = (u32)r4;

	if (off <= S32_MAX && len <= skb->data_len && off <= skb->data_len - len) {
		memcpy(to, skb->data + off, len);
		return 0;
	}
	memset(to, 0, len);
	return (u64)-EFAULT;
}

/*
 * Linux's bpf_skb_load_bytes_relative: as above from the start of the
 * MAC or the network header (r5), at most 0xffff bytes in; the frame ends
 * where the network data does.
 */
u64 xbpf_bpf_skb_load_bytes_relative(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	const struct xbpf_skb *skb = (const struct xbpf_skb *)(uintptr_t)r1;
	const u8 *end = skb->data + skb->data_len, *start;
	void *to = (void *)(uintptr_t)r3;
	u32 off = (u32)r2, len = (u32)r4;

	if (r5 == XBPF_HDR_START_MAC && skb->mac)
		start = skb->mac;
	else if (r5 == XBPF_HDR_START_NET)
		start = skb->data;
	else
		start = NULL;
	if (start && off <= 0xffff && len <= (size_t)(end - start) &&
	    off <= (size_t)(end - start) - len) {
		memcpy(to, start + off, len);
		return 0;
	}
	memset(to, 0, len);
	return (u64)-EFAULT;
}

/* Linux's special LD_ABS/LD_IND offsets (uapi/linux/filter.h). */
#define XBPF_SKF_NET_OFF	(-0x100000)
#define XBPF_SKF_LL_OFF		(-0x200000)

/*
 * LD_ABS/LD_IND address, as Linux resolves it: k >= 0 is relative to the
 * network header (skb->data), SKF_NET_OFF and SKF_LL_OFF select the
 * network and link-layer headers explicitly; anything else, or a read past
 * the end of the packet, is NULL.
 */
const u8 *xbpf_skb_pkt_ptr(const struct xbpf_skb *skb, s32 k, u32 size)
{
	const u8 *base;
	u64 len, off;

	if (!skb || !skb->data)
		return NULL;
	if (k >= 0) {
		base = skb->data;
		len = skb->data_len;
		off = (u32)k;
	} else if (k >= XBPF_SKF_NET_OFF) {
		base = skb->data;
		len = skb->data_len;
		off = (s64)k - XBPF_SKF_NET_OFF;
	} else if (k >= XBPF_SKF_LL_OFF && skb->mac && skb->mac <= skb->data) {
		base = skb->mac;
		len = (u64)(skb->data - skb->mac) + skb->data_len;
		off = (s64)k - XBPF_SKF_LL_OFF;
	} else {
		return NULL;
	}
	if (off > len || size > len - off)
		return NULL;
	return base + off;
}

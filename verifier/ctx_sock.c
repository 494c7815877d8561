// SPDX-License-Identifier: GPL-2.0
/*
 * Socket access rules: what a program may read through a
 * PTR_TO_SOCK_COMMON (the pointer a socket filter loads from
 * __sk_buff->sk and null-checks), as Linux 6.1 decides it for the
 * sock_common view of struct bpf_sock, so a program written for Linux
 * is accepted or refused alike here.
 *
 * In short: nothing is written; type, protocol, mark and priority are
 * not part of sock_common and are refused; bound_dev_if is read as one
 * 4-byte word; family, src_port, state and rx_queue_mapping with 1, 2 or
 * 4 bytes at the field's start only; the addresses (src_ip4, src_ip6[],
 * dst_ip4, dst_ip6[]) with any aligned 1, 2 or 4 bytes inside them;
 * dst_port (a 2-byte field followed by 2 bytes of padding) with 1 or 2
 * aligned bytes inside it or as a 4-byte word from its start.  Every
 * access is aligned to its size.
 *
 * Run time: the identity.  struct xbpf_sock mirrors struct bpf_sock and
 * the socket holds each value in it as Linux's conversion would yield it
 * (rx_queue_mapping already -1 when none is recorded; dst_port's padding
 * zero, so the 4-byte load reads the port zero-extended on a
 * little-endian machine), so a narrow load reads the bytes Linux's
 * shifted and masked one does.
 */
#include "ctx.h"

enum xbpf_sock_class {
	XBPF_SOCK_NONE,		/* not readable through sock_common */
	XBPF_SOCK_WORD,		/* one 4-byte load at the field's start */
	XBPF_SOCK_START,	/* 1, 2 or 4 bytes at the field's start */
	XBPF_SOCK_ADDR,		/* 1, 2 or 4 aligned bytes anywhere inside */
	XBPF_SOCK_DPORT,	/* dst_port's own rule */
};

struct xbpf_sock_field {
	const char	*name;
	u8		off;
	u8		size;
	u8		class;		/* for sock_common */
};

#define XBPF_SOCK_F(field, cls)						\
	{ #field, offsetof(struct xbpf_sock, field),			\
	  sizeof(((struct xbpf_sock *)0)->field), XBPF_SOCK_##cls }

/* Every named field, in order; the 2 padding bytes after dst_port are in none. */
static const struct xbpf_sock_field xbpf_sock_fields[] = {
	XBPF_SOCK_F(bound_dev_if,	WORD),
	XBPF_SOCK_F(family,		START),
	XBPF_SOCK_F(type,		NONE),	/* type .. priority: full sockets only */
	XBPF_SOCK_F(protocol,		NONE),
	XBPF_SOCK_F(mark,		NONE),
	XBPF_SOCK_F(priority,		NONE),
	XBPF_SOCK_F(src_ip4,		ADDR),
	XBPF_SOCK_F(src_ip6,		ADDR),
	XBPF_SOCK_F(src_port,		START),
	XBPF_SOCK_F(dst_port,		DPORT),
	XBPF_SOCK_F(dst_ip4,		ADDR),
	XBPF_SOCK_F(dst_ip6,		ADDR),
	XBPF_SOCK_F(state,		START),
	XBPF_SOCK_F(rx_queue_mapping,	START),
};

/* The layout the table relies on (struct bpf_sock's; checked again in the ABI test). */
static void xbpf_sock_layout_check(void)
{
	BUILD_BUG_ON(offsetof(struct xbpf_sock, src_port) != 44);
	BUILD_BUG_ON(offsetof(struct xbpf_sock, dst_port) != 48);
	BUILD_BUG_ON(offsetof(struct xbpf_sock, dst_ip4) != 52);
	BUILD_BUG_ON(offsetof(struct xbpf_sock, state) != 72);
	BUILD_BUG_ON(sizeof(struct xbpf_sock) != XBPF_SOCK_SIZE);
}

static const struct xbpf_sock_field *xbpf_sock_field_at(u32 off)
{
	u32 i;

	xbpf_sock_layout_check();
	for (i = 0; i < ARRAY_SIZE(xbpf_sock_fields); i++) {
		const struct xbpf_sock_field *f = &xbpf_sock_fields[i];

		if (off >= f->off && off < (u32)f->off + f->size)
			return f;
	}
	return NULL;
}

static bool xbpf_sock_size_ok(const struct xbpf_sock_field *f, u32 off, u32 size)
{
	switch (f->class) {
	case XBPF_SOCK_WORD:
		return off == f->off && size == 4;
	case XBPF_SOCK_START:
		return off == f->off && size <= 4;
	case XBPF_SOCK_ADDR:
		return size <= 4;
	case XBPF_SOCK_DPORT:
		/* The port's 2 bytes narrowly, or the port and its padding as a word. */
		return size <= 2 || (size == 4 && off == f->off);
	default:
		return false;
	}
}

int xbpf_sock_common_access(u32 off, u32 size, bool write,
			    struct xbpf_ctx_access_info *info)
{
	const struct xbpf_sock_field *f;

	if (write || !xbpf_ctx_size_ok(size) || off >= XBPF_SOCK_SIZE || off % size)
		return -EACCES;
	f = xbpf_sock_field_at(off);
	if (!f || !xbpf_sock_size_ok(f, off, size))
		return -EACCES;

	memset(info, 0, sizeof(*info));
	info->val = XBPF_CTX_VAL_SCALAR;
	info->conv = XBPF_CTX_CONV_DIRECT;
	info->field_off = f->off;
	info->field_size = f->size;
	info->target_off = off;
	info->target_size = size;
	return 0;
}

const char *xbpf_sock_field_name(u32 off)
{
	const struct xbpf_sock_field *f;

	if (off >= XBPF_SOCK_SIZE)
		return NULL;
	f = xbpf_sock_field_at(off);
	return f ? f->name : NULL;
}

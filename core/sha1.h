/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-1 (FIPS 180-4), only for program tags: Linux derives a program's tag
 * from SHA-1, so xbpf needs the same digest to report the same tag.  Not for
 * anything security-relevant.
 */
#ifndef _XBPF_SHA1_H
#define _XBPF_SHA1_H

#include "xbpf_port.h"

#define XBPF_SHA1_DIGEST_SIZE	20
#define XBPF_SHA1_BLOCK_SIZE	64

struct xbpf_sha1 {
	u32	h[5];
	u64	len;		/* bytes hashed so far */
	u32	used;		/* bytes waiting in buf */
	u8	buf[XBPF_SHA1_BLOCK_SIZE];
};

void xbpf_sha1_init(struct xbpf_sha1 *s);
void xbpf_sha1_update(struct xbpf_sha1 *s, const void *data, size_t len);
void xbpf_sha1_final(struct xbpf_sha1 *s, u8 out[XBPF_SHA1_DIGEST_SIZE]);

#endif /* _XBPF_SHA1_H */

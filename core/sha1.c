// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-1 as specified by FIPS 180-4: 80 rounds over 64-byte blocks, padding
 * with 0x80, zeros and the message length in bits, big-endian.  Written for
 * xbpf from the specification.
 */
#include "sha1.h"

static inline u32 xbpf_rol32(u32 v, unsigned int n)
{
	return (v << n) | (v >> (32 - n));
}

static inline u32 xbpf_load_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void xbpf_sha1_block(u32 h[5], const u8 *blk)
{
	/* 16-word rolling schedule: w[t] only depends on the last 16 words. */
	u32 w[16];
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	int t;

	for (t = 0; t < 16; t++)
		w[t] = xbpf_load_be32(blk + 4 * t);

	for (t = 0; t < 80; t++) {
		u32 f, k, tmp;

		if (t >= 16) {
			tmp = w[(t + 13) & 15] ^ w[(t + 8) & 15] ^
			      w[(t + 2) & 15] ^ w[t & 15];
			w[t & 15] = xbpf_rol32(tmp, 1);
		}
		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		tmp = xbpf_rol32(a, 5) + f + e + k + w[t & 15];
		e = d;
		d = c;
		c = xbpf_rol32(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void xbpf_sha1_init(struct xbpf_sha1 *s)
{
	s->h[0] = 0x67452301;
	s->h[1] = 0xefcdab89;
	s->h[2] = 0x98badcfe;
	s->h[3] = 0x10325476;
	s->h[4] = 0xc3d2e1f0;
	s->len = 0;
	s->used = 0;
}

void xbpf_sha1_update(struct xbpf_sha1 *s, const void *data, size_t len)
{
	const u8 *p = data;

	s->len += len;
	while (len) {
		size_t n = min_t(size_t, len, XBPF_SHA1_BLOCK_SIZE - s->used);

		memcpy(s->buf + s->used, p, n);
		s->used += n;
		p += n;
		len -= n;
		if (s->used == XBPF_SHA1_BLOCK_SIZE) {
			xbpf_sha1_block(s->h, s->buf);
			s->used = 0;
		}
	}
}

void xbpf_sha1_final(struct xbpf_sha1 *s, u8 out[XBPF_SHA1_DIGEST_SIZE])
{
	/* Length is taken before padding changes s->len. */
	u64 bits = s->len * 8;
	static const u8 pad = 0x80;
	static const u8 zero;
	u8 lenbe[8];
	int i;

	xbpf_sha1_update(s, &pad, 1);
	/* Zero-fill until 8 bytes remain in the block for the length. */
	while (s->used != XBPF_SHA1_BLOCK_SIZE - 8)
		xbpf_sha1_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		lenbe[i] = bits >> (56 - 8 * i);
	xbpf_sha1_update(s, lenbe, 8);

	for (i = 0; i < 5; i++) {
		out[4 * i] = s->h[i] >> 24;
		out[4 * i + 1] = s->h[i] >> 16;
		out[4 * i + 2] = s->h[i] >> 8;
		out[4 * i + 3] = s->h[i];
	}
	memset(s, 0, sizeof(*s));
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the xbpf tools: errno names, hex, numbers, files.
 */
#ifndef _XBPF_TOOLS_UTIL_H
#define _XBPF_TOOLS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "EINVAL" for 22; "E???" for a number this table does not know. */
const char *xbpf_errno_name(int err);

/*
 * Formats "EINVAL (22): Invalid argument" for a positive or negative errno
 * into a static buffer (the tools are single-threaded).
 */
const char *xbpf_errstr(int err);

/*
 * Decodes hex digits into bytes.  Whitespace anywhere is ignored, so
 * "b7 00 00 00", "b7000000" and the conformance runner's "b7  00  " all
 * work; an optional leading "0x" is accepted.  Returns 0, or -EINVAL (odd
 * number of digits or a non-hex character; *bad points at it) or -ENOMEM.
 * The caller frees *out.
 */
int xbpf_hex_decode(const char *s, uint8_t **out, size_t *len, const char **bad);

/* Writes 2 * n lowercase hex digits and a NUL into out. */
void xbpf_hex_encode(const void *p, size_t n, char *out);

/* Strict decimal parsers: the whole string, no sign for unsigned. */
int xbpf_parse_u32(const char *s, uint32_t *v);
int xbpf_parse_s64(const char *s, int64_t *v);

/*
 * Reads a whole file (or stdin for "-") and NUL-terminates it.  Returns
 * the buffer or NULL with errno set.
 */
char *xbpf_read_file(const char *path, size_t *len);

#endif /* _XBPF_TOOLS_UTIL_H */

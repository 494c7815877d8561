/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer for the tools' --json output.  It keeps
 * only the comma state per nesting level; the caller nests correctly.
 */
#ifndef _XBPF_TOOLS_JSON_H
#define _XBPF_TOOLS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XBPF_JSON_MAX_DEPTH	16

struct xbpf_json {
	FILE	*f;
	int	depth;
	bool	need_comma[XBPF_JSON_MAX_DEPTH];
	bool	after_key;	/* the next value completes a "key": pair */
};

void xbpf_json_init(struct xbpf_json *j, FILE *f);
void xbpf_json_begin_object(struct xbpf_json *j);
void xbpf_json_end_object(struct xbpf_json *j);
void xbpf_json_begin_array(struct xbpf_json *j);
void xbpf_json_end_array(struct xbpf_json *j);
void xbpf_json_key(struct xbpf_json *j, const char *key);
/* Escapes as RFC 8259 requires; invalid UTF-8 becomes U+FFFD. */
void xbpf_json_string_n(struct xbpf_json *j, const char *s, size_t n);
void xbpf_json_string(struct xbpf_json *j, const char *s);
void xbpf_json_hex(struct xbpf_json *j, const void *p, size_t n);
void xbpf_json_u64(struct xbpf_json *j, uint64_t v);
void xbpf_json_s64(struct xbpf_json *j, int64_t v);
void xbpf_json_bool(struct xbpf_json *j, bool v);
void xbpf_json_null(struct xbpf_json *j);

/* "key": value shorthands */
void xbpf_json_kv_string(struct xbpf_json *j, const char *key, const char *s);
void xbpf_json_kv_u64(struct xbpf_json *j, const char *key, uint64_t v);
void xbpf_json_kv_s64(struct xbpf_json *j, const char *key, int64_t v);
void xbpf_json_kv_bool(struct xbpf_json *j, const char *key, bool v);
void xbpf_json_kv_hex(struct xbpf_json *j, const char *key, const void *p, size_t n);

#endif /* _XBPF_TOOLS_JSON_H */

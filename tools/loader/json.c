// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny streaming JSON writer (RFC 8259).
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void xbpf_json_init(struct xbpf_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
	j->after_key = false;
}

/* Called before every value and every key. */
static void sep(struct xbpf_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

static void open_level(struct xbpf_json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth < XBPF_JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_level(struct xbpf_json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void xbpf_json_begin_object(struct xbpf_json *j)
{
	open_level(j, '{');
}

void xbpf_json_end_object(struct xbpf_json *j)
{
	close_level(j, '}');
}

void xbpf_json_begin_array(struct xbpf_json *j)
{
	open_level(j, '[');
}

void xbpf_json_end_array(struct xbpf_json *j)
{
	close_level(j, ']');
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * it is not one: overlongs, surrogates and values past U+10FFFF included.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void xbpf_json_string_n(struct xbpf_json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sep(j);
	fputc('"', j->f);
	while (i < n) {
		unsigned char c = s[i];
		size_t l;

		switch (c) {
		case '"':
			fputs("\\\"", j->f);
			break;
		case '\\':
			fputs("\\\\", j->f);
			break;
		case '\b':
			fputs("\\b", j->f);
			break;
		case '\f':
			fputs("\\f", j->f);
			break;
		case '\n':
			fputs("\\n", j->f);
			break;
		case '\r':
			fputs("\\r", j->f);
			break;
		case '\t':
			fputs("\\t", j->f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(j->f, "\\u%04x", c);
				break;
			}
			l = utf8_len(s + i, n - i);
			if (!l) {
				fputs("\\ufffd", j->f);
				break;
			}
			fwrite(s + i, 1, l, j->f);
			i += l;
			continue;
		}
		i++;
	}
	fputc('"', j->f);
}

void xbpf_json_string(struct xbpf_json *j, const char *s)
{
	if (!s) {
		xbpf_json_null(j);
		return;
	}
	xbpf_json_string_n(j, s, strlen(s));
}

void xbpf_json_hex(struct xbpf_json *j, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	sep(j);
	fputc('"', j->f);
	for (i = 0; i < n; i++)
		fprintf(j->f, "%02x", b[i]);
	fputc('"', j->f);
}

void xbpf_json_u64(struct xbpf_json *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void xbpf_json_s64(struct xbpf_json *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRId64, v);
}

void xbpf_json_bool(struct xbpf_json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void xbpf_json_null(struct xbpf_json *j)
{
	sep(j);
	fputs("null", j->f);
}

void xbpf_json_key(struct xbpf_json *j, const char *key)
{
	xbpf_json_string(j, key);
	fputc(':', j->f);
	j->after_key = true;
}

void xbpf_json_kv_string(struct xbpf_json *j, const char *key, const char *s)
{
	xbpf_json_key(j, key);
	xbpf_json_string(j, s);
}

void xbpf_json_kv_u64(struct xbpf_json *j, const char *key, uint64_t v)
{
	xbpf_json_key(j, key);
	xbpf_json_u64(j, v);
}

void xbpf_json_kv_s64(struct xbpf_json *j, const char *key, int64_t v)
{
	xbpf_json_key(j, key);
	xbpf_json_s64(j, v);
}

void xbpf_json_kv_bool(struct xbpf_json *j, const char *key, bool v)
{
	xbpf_json_key(j, key);
	xbpf_json_bool(j, v);
}

void xbpf_json_kv_hex(struct xbpf_json *j, const char *key, const void *p, size_t n)
{
	xbpf_json_key(j, key);
	xbpf_json_hex(j, p, n);
}

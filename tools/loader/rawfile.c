// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for the raw program format.  The format is fixed by the
 * Foundation issue and users' files depend on it, so parsing is strict:
 * every malformed line is an error naming the file and the line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawfile.h"
#include "util.h"

#define LDDW_CODE	(XBPF_LD | XBPF_IMM | XBPF_DW)
#define MAX_TOKENS	8
/* A bound on file size in instructions, above the privileged limit. */
#define MAX_RAW_INSNS	(XBPF_COMPLEXITY_LIMIT_INSNS + 1)

struct name_num {
	const char	*name;
	__u32		num;
};

static const struct name_num prog_types[] = {
	{ "socket_filter", XBPF_PROG_TYPE_SOCKET_FILTER },
	{ "syscall", XBPF_PROG_TYPE_SYSCALL },
};

static const struct name_num map_types[] = {
	{ "hash", XBPF_MAP_TYPE_HASH },
	{ "array", XBPF_MAP_TYPE_ARRAY },
};

#define NR(a)	(sizeof(a) / sizeof((a)[0]))

static const char *num_to_name(const struct name_num *t, size_t n, __u32 num)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].num == num)
			return t[i].name;
	return NULL;
}

const char *xbpf_raw_prog_type_name(__u32 type)
{
	return num_to_name(prog_types, NR(prog_types), type);
}

const char *xbpf_raw_map_type_name(__u32 type)
{
	return num_to_name(map_types, NR(map_types), type);
}

/* A name from the table, or a decimal number (passed through unchecked:
 * the engine decides whether it supports it). */
static int name_or_num(const struct name_num *t, size_t n, const char *s, __u32 *num)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(t[i].name, s)) {
			*num = t[i].num;
			return 0;
		}
	}
	return xbpf_parse_u32(s, num);
}

struct parser {
	const char		*name;
	unsigned int		line;
	char			*err;
	size_t			errlen;
	struct xbpf_raw_prog	*prog;
	__u32			insn_cap;
	bool			seen_prog_type;
	bool			lddw_open;	/* previous insn was an LDDW first half */
	unsigned int		lddw_line;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_prog_type(struct parser *p, char **tok, int ntok)
{
	if (ntok != 2)
		return fail(p, "'prog_type' takes one argument: socket_filter, syscall or a number");
	if (p->seen_prog_type)
		return fail(p, "second 'prog_type' line");
	if (p->prog->insn_cnt)
		return fail(p, "'prog_type' must come before the first instruction");
	if (name_or_num(prog_types, NR(prog_types), tok[1], &p->prog->prog_type))
		return fail(p, "unknown prog_type '%s' (socket_filter, syscall or a number)",
			    tok[1]);
	p->seen_prog_type = true;
	return 0;
}

static int parse_map(struct parser *p, char **tok, int ntok)
{
	static const char *const what[] = { "key_size", "value_size", "max_entries" };
	struct xbpf_raw_prog *prog = p->prog;
	struct xbpf_raw_map m = { .line = p->line };
	__u32 *field[] = { &m.key_size, &m.value_size, &m.max_entries };
	struct xbpf_raw_map *nm;
	int i;

	if (ntok != 5)
		return fail(p, "'map' takes 4 arguments: <type> <key_size> <value_size> <max_entries>");
	if (prog->insn_cnt)
		return fail(p, "'map' must come before the first instruction");
	if (name_or_num(map_types, NR(map_types), tok[1], &m.type))
		return fail(p, "unknown map type '%s' (array, hash or a number)", tok[1]);
	for (i = 0; i < 3; i++)
		if (xbpf_parse_u32(tok[2 + i], field[i]))
			return fail(p, "map %s '%s' is not a decimal number in 0..4294967295",
				    what[i], tok[2 + i]);
	nm = realloc(prog->maps, (prog->nr_maps + 1) * sizeof(*nm));
	if (!nm)
		return -ENOMEM;
	prog->maps = nm;
	prog->maps[prog->nr_maps++] = m;
	return 0;
}

static int parse_insn(struct parser *p, char **tok, int ntok)
{
	struct xbpf_raw_prog *prog = p->prog;
	struct xbpf_insn insn = {};
	int64_t dst, src, off, imm;
	const char *c = tok[0];
	uint8_t *code;
	size_t len;
	int err;

	if (ntok != 5)
		return fail(p, "expected '<code> <dst> <src> <off> <imm>', got %d field%s",
			    ntok, ntok == 1 ? "" : "s");
	if (c[0] != '0' || (c[1] != 'x' && c[1] != 'X') || !c[2] || strlen(c) > 4)
		return fail(p, "code '%s' must be hexadecimal 0x0..0xff", c);
	/* one digit ("0x5") is fine: pad it for the byte decoder */
	{
		char two[3] = { c[3] ? c[2] : '0', c[3] ? c[3] : c[2], 0 };

		err = xbpf_hex_decode(two, &code, &len, NULL);
		if (err == -ENOMEM)
			return err;
		if (err || len != 1) {
			free(code);
			return fail(p, "code '%s' must be hexadecimal 0x0..0xff", c);
		}
		insn.code = code[0];
		free(code);
	}
	if (xbpf_parse_s64(tok[1], &dst) || dst < 0 || dst > 15)
		return fail(p, "dst '%s' must be a register number 0..15", tok[1]);
	if (xbpf_parse_s64(tok[2], &src) || src < 0 || src > 15)
		return fail(p, "src '%s' must be a register number 0..15", tok[2]);
	if (xbpf_parse_s64(tok[3], &off) || off < INT16_MIN || off > INT16_MAX)
		return fail(p, "off '%s' must be a decimal number in -32768..32767", tok[3]);
	/* imm: signed, or unsigned 32-bit for masks such as 4294967295 */
	if (xbpf_parse_s64(tok[4], &imm) || imm < INT32_MIN || imm > UINT32_MAX)
		return fail(p, "imm '%s' must be a decimal number in -2147483648..4294967295",
			    tok[4]);
	insn.dst_reg = (__u8)dst;
	insn.src_reg = (__u8)src;
	insn.off = (__s16)off;
	insn.imm = (__s32)(uint32_t)imm;

	if (p->lddw_open) {
		if (insn.code != 0)
			return fail(p, "the LDDW on line %u needs a second line with code 0x00",
				    p->lddw_line);
		p->lddw_open = false;
	} else if (insn.code == LDDW_CODE) {
		p->lddw_open = true;
		p->lddw_line = p->line;
		if ((insn.src_reg == XBPF_PSEUDO_MAP_FD ||
		     insn.src_reg == XBPF_PSEUDO_MAP_VALUE) &&
		    (imm < 0 || imm >= prog->nr_maps))
			return fail(p, "LDDW with src %d names map %lld, but %u map%s declared",
				    insn.src_reg, (long long)imm, prog->nr_maps,
				    prog->nr_maps == 1 ? " is" : "s are");
	}

	if (prog->insn_cnt == p->insn_cap) {
		__u32 cap = p->insn_cap ? p->insn_cap * 2 : 64;
		struct xbpf_insn *ni;
		unsigned int *nl;

		if (prog->insn_cnt >= MAX_RAW_INSNS)
			return fail(p, "more than %u instructions", MAX_RAW_INSNS);
		ni = realloc(prog->insns, cap * sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		prog->insns = ni;
		nl = realloc(prog->lines, cap * sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		prog->lines = nl;
		p->insn_cap = cap;
	}
	prog->lines[prog->insn_cnt] = p->line;
	prog->insns[prog->insn_cnt++] = insn;
	return 0;
}

static int parse_line(struct parser *p, char *s)
{
	char *tok[MAX_TOKENS + 1];
	int ntok = 0;
	char *hash = strchr(s, '#');

	if (hash)
		*hash = '\0';
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
			s++;
		if (!*s)
			break;
		if (ntok == MAX_TOKENS)
			return fail(p, "too many fields");
		tok[ntok++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\v' && *s != '\f')
			s++;
		if (*s)
			*s++ = '\0';
	}
	if (!ntok)
		return 0;
	if (!strcmp(tok[0], "prog_type"))
		return parse_prog_type(p, tok, ntok);
	if (!strcmp(tok[0], "map"))
		return parse_map(p, tok, ntok);
	if (tok[0][0] != '0')
		return fail(p, "unknown directive '%s' (prog_type, map, or an instruction "
			    "starting with a hex code 0x..)", tok[0]);
	return parse_insn(p, tok, ntok);
}

int xbpf_raw_parse(const char *text, const char *name, struct xbpf_raw_prog *prog,
		   char *err, size_t errlen)
{
	struct parser p = {
		.name = name, .err = err, .errlen = errlen, .prog = prog,
	};
	char *copy, *s, *nl;
	int ret = 0;

	memset(prog, 0, sizeof(*prog));
	prog->prog_type = XBPF_PROG_TYPE_SOCKET_FILTER;
	if (errlen)
		err[0] = '\0';
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (s = copy; s; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		p.line++;
		ret = parse_line(&p, s);
		if (ret)
			break;
	}
	free(copy);
	if (!ret && p.lddw_open) {
		p.line = p.lddw_line;
		ret = fail(&p, "LDDW needs a second line with code 0x00, but the file ends");
	}
	if (!ret && !prog->insn_cnt) {
		snprintf(err, errlen, "%s: no instructions", name);
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	if (ret)
		xbpf_raw_free(prog);
	return ret;
}

int xbpf_raw_load(const char *path, struct xbpf_raw_prog *prog, char *err, size_t errlen)
{
	size_t len;
	char *text = xbpf_read_file(path, &len);
	int ret;

	if (!text) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, xbpf_errstr(ret));
		return ret;
	}
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: binary file (NUL byte): not a raw program", path);
		free(text);
		return -EINVAL;
	}
	ret = xbpf_raw_parse(text, path, prog, err, errlen);
	free(text);
	return ret;
}

void xbpf_raw_free(struct xbpf_raw_prog *prog)
{
	free(prog->maps);
	free(prog->insns);
	free(prog->lines);
	memset(prog, 0, sizeof(*prog));
}

void xbpf_raw_patch_maps(struct xbpf_raw_prog *prog, const int *fds)
{
	__u32 i;

	for (i = 0; i < prog->insn_cnt; i++) {
		struct xbpf_insn *insn = &prog->insns[i];

		if (insn->code != LDDW_CODE)
			continue;
		if (insn->src_reg == XBPF_PSEUDO_MAP_FD ||
		    insn->src_reg == XBPF_PSEUDO_MAP_VALUE)
			insn->imm = fds[insn->imm];
		i++;	/* skip the second half */
	}
}

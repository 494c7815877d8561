// SPDX-License-Identifier: GPL-2.0
/* The conformance suite's reader; see xbpf_conf.h. */
#include "xbpf_conf.h"

#define DEFAULT_DIR	"../shared/bpf_conformance"

FILE *conf_open(const char *where, char *path, size_t pathlen)
{
	if (!where || !*where)
		where = getenv("XBPF_CONFORMANCE_DIR");
	if (!where || !*where)
		where = DEFAULT_DIR;
	if (strlen(where) > 5 && !strcmp(where + strlen(where) - 5, ".flat"))
		snprintf(path, pathlen, "%s", where);
	else
		snprintf(path, pathlen, "%s/conformance.flat", where);
	return fopen(path, "r");
}

const char *conf_skip_reason(const struct conf_test *t)
{
	u32 i;

	for (i = 0; i < t->insn_cnt; i++)
		if (t->insns[i].code == (XBPF_JMP | XBPF_CALL | XBPF_X))
			return "callx (call by register) is a uBPF extension, not in RFC 9669";
	return NULL;
}

void conf_free(struct conf_test *t)
{
	free(t->mem);
	free(t->insns);
	memset(t, 0, sizeof(*t));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One 16-hex-digit line: the instruction's 8 bytes in memory order. */
static int parse_insn(const char *s, struct xbpf_insn *insn)
{
	u8 b[8];
	int i;

	for (i = 0; i < 8; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		b[i] = hi << 4 | lo;
	}
	memcpy(insn, b, sizeof(b));
	return 0;
}

int conf_next(FILE *f, struct conf_test *t)
{
	char line[4096];
	u32 i;

	memset(t, 0, sizeof(*t));
	do {
		if (!fgets(line, sizeof(line), f))
			return 0;
	} while (strncmp(line, "-- test ", 8));
	line[strcspn(line, "\r\n")] = 0;
	snprintf(t->name, sizeof(t->name), "%.200s", line + 8);

	if (!fgets(line, sizeof(line), f) || sscanf(line, "result %llx",
						    (unsigned long long *)&t->result) != 1)
		return -1;

	if (!fgets(line, sizeof(line), f) || sscanf(line, "mem %u", &t->mem_len) != 1)
		return -1;
	if (t->mem_len) {
		char *p = strchr(line + 4, ' ');

		t->mem = malloc(t->mem_len);
		for (i = 0; i < t->mem_len; i++) {
			unsigned int v;

			if (!p || sscanf(p, " %2x", &v) != 1)
				return -1;
			t->mem[i] = v;
			p = strchr(p + 1, ' ');
		}
	}

	if (!fgets(line, sizeof(line), f) || sscanf(line, "insns %u", &t->insn_cnt) != 1 ||
	    !t->insn_cnt || t->insn_cnt > XBPF_COMPLEXITY_LIMIT_INSNS)
		return -1;
	t->insns = calloc(t->insn_cnt, sizeof(*t->insns));
	for (i = 0; i < t->insn_cnt; i++)
		if (!fgets(line, sizeof(line), f) || parse_insn(line, &t->insns[i]))
			return -1;
	return 1;
}

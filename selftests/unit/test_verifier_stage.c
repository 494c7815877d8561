// SPDX-License-Identifier: GPL-2.0
/*
 * The Foundation verifier stage (verifier/): decode, CFG, fd and helper
 * resolution, rewrite, limits, error paths and map references.
 *
 *  1. Every negative/ case of the conformance suite that carries bytes
 *     ("-- raw") must be rejected.  The other negative/ files are
 *     assembler-level errors (bad mnemonics, operands, labels) or runner
 *     checks with no byte program; each is reported as a SKIP naming why.
 *  2. Every program of conformance.flat (the positive suite, assembled)
 *     must be accepted, except a short list that Linux's verifier also
 *     refuses (listed below, each checked to be refused for that reason).
 *  3. A table of accept/reject cases with expected errno and message.
 *  4. Targeted checks: rewrite of map LDDWs, map references on every
 *     path, limits, tag stability.
 *
 * The suite lives in $XBPF_CONFORMANCE_DIR, by default
 * ../shared/bpf_conformance from the repository root.
 */
#include <dirent.h>
#include <unistd.h>
#include <limits.h>
#include "lib/xbpf_test.h"

/* ---- fake fd table for map_from_fd ---- */

#define NFDS	128
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops fake_ops = { .map_from_fd = fake_map_from_fd };

static struct xbpf_map *mkmap(u32 type, u32 ks, u32 vs, u32 max)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs, .max_entries = max,
	};
	int err;

	return xbpf_map_create(&p, &err);
}

/* Every map back to the table's own references: one per fd naming it. */
static bool refs_baseline(void)
{
	int i, j, n;

	for (i = 0; i < NFDS; i++) {
		if (!fdtab[i])
			continue;
		for (j = 0, n = 0; j < NFDS; j++)
			n += fdtab[j] == fdtab[i];
		if (xbpf_refcount_read(&fdtab[i]->refcnt) != n)
			return false;
	}
	return true;
}

static char logbuf[1 << 20];

enum { PRIV = 0, UNPRIV = 1 };

static int verify(const struct xbpf_insn *insns, u32 n, u32 type, bool unpriv,
		  u32 level, struct xbpf_prog **progp)
{
	struct xbpf_log log;
	struct xbpf_load_params p = {
		.prog_type = type ? type : XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		.caps = unpriv ? (struct xbpf_caps){} :
			(struct xbpf_caps){ .allow_ptr_leaks = true, .bypass_spec_v1 = true,
					    .bypass_spec_v4 = true, .bpf_capable = true,
					    .sys_admin = true },
		.log = &log,
		.ops = &fake_ops,
		/* the per-instruction passes under test; the walk has its own */
		.check = XBPF_CHECK_OFF,
	};

	logbuf[0] = 0;
	if (xbpf_log_init(&log, level, level ? (u64)(uintptr_t)logbuf : 0,
			  level ? sizeof(logbuf) : 0))
		return -1000;
	return xbpf_verify(&p, progp);
}

/* ---- 1. conformance negative/ ---- */

static char confdir[PATH_MAX + 64];

static void find_confdir(void)
{
	const char *env = getenv("XBPF_CONFORMANCE_DIR");
	char exe[PATH_MAX - 64];
	ssize_t n;
	int i;

	if (env) {
		snprintf(confdir, sizeof(confdir), "%s", env);
		return;
	}
	snprintf(confdir, sizeof(confdir), "../shared/bpf_conformance");
	if (!access(confdir, R_OK))
		return;
	/* Not run from the repository root: find it from build/unit/<exe>. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = 0;
	for (i = 0; i < 3; i++) {
		char *slash = strrchr(exe, '/');

		if (slash)
			*slash = 0;
	}
	snprintf(confdir, sizeof(confdir), "%s/../shared/bpf_conformance", exe);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Parses the "-- raw" section's hex bytes; returns the insn count or -1. */
static int parse_raw(const char *text, struct xbpf_insn *insns, int max)
{
	const char *p = strstr(text, "-- raw");
	u8 bytes[8 * 64];
	int nb = 0;

	if (!p)
		return -1;
	p = strchr(p, '\n');
	while (p && *p) {
		unsigned int b;
		int used;

		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || !strncmp(p, "--", 2))
			break;
		if (sscanf(p, "%2x%n", &b, &used) != 1)
			return -1;
		if (nb >= (int)sizeof(bytes))
			return -1;
		bytes[nb++] = b;
		p += used;
	}
	if (nb % 8 || nb / 8 > max)
		return -1;
	memcpy(insns, bytes, nb);
	return nb / 8;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_conformance_negative(void)
{
	char path[PATH_MAX + 400];
	char *names[512];
	int n = 0, i, raw = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/negative", confdir);
	d = opendir(path);
	if (!d) {
		xt_report(false, "conformance negative/: cannot open %s", path);
		return;
	}
	while ((de = readdir(d)) && n < 512)
		if (strstr(de->d_name, ".data"))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);

	for (i = 0; i < n; i++) {
		struct xbpf_insn insns[64];
		struct xbpf_prog *prog = NULL;
		char *text;
		int cnt, err;

		snprintf(path, sizeof(path), "%s/negative/%s", confdir, names[i]);
		text = read_file(path);
		if (!text) {
			xt_report(false, "negative/%s: unreadable", names[i]);
			continue;
		}
		if (!strstr(text, "-- raw")) {
			xt_skip(strstr(text, "-- error") ? "assembler-level error, no byte program" :
				strstr(text, "-- result") ? "checks the runner's result comparison, not the engine" :
				"no program in the file", "negative/%s", names[i]);
			free(text);
			free(names[i]);
			continue;
		}
		cnt = parse_raw(text, insns, 64);
		if (cnt < 0) {
			xt_report(false, "negative/%s: bad -- raw section", names[i]);
		} else {
			raw++;
			/* Privileged: the rejection must not depend on privilege. */
			err = verify(insns, cnt, XBPF_PROG_TYPE_SYSCALL, PRIV, 1, &prog);
			xt_report(err < 0 && !prog && refs_baseline(),
				  "negative/%s rejected (%d: %.*s)", names[i], err,
				  (int)strcspn(logbuf, "\n"), logbuf);
			if (prog)
				xbpf_prog_put(prog);
		}
		free(text);
		free(names[i]);
	}
	xt_report(raw >= 40, "conformance negative/: %d raw programs checked", raw);
}

/* ---- 2. conformance.flat: the positive programs ---- */

/*
 * Programs of the positive suite that Linux's verifier refuses too, with
 * the reason: the suite tests run-time semantics that bpf(2) never lets
 * a program reach.
 */
static const struct {
	const char *test;
	const char *msg;
} flat_refused[] = {
	{ "tests/callx.data", "unknown opcode 8d" },		/* call by register */
	/* and every tests/<op>-imm-high / -imm-neg: see flat_expected() */
};

static const char *flat_expected(const char *name, bool *listed)
{
	size_t i;

	/* Shifts by an immediate >= the width or negative: "invalid shift". */
	if (strstr(name, "-imm-high.data") || strstr(name, "-imm-neg.data")) {
		*listed = true;
		return "invalid shift";
	}

	for (i = 0; i < ARRAY_SIZE(flat_refused); i++) {
		if (!strcmp(flat_refused[i].test, name)) {
			*listed = true;
			return flat_refused[i].msg;
		}
	}
	*listed = false;
	return NULL;
}

static void test_conformance_flat(void)
{
	char path[PATH_MAX + 128];
	char name[512] = "";
	static struct xbpf_insn insns[4096];
	u32 want = 0, have = 0, accepted = 0, refused = 0, bad = 0;
	char line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/conformance.flat", confdir);
	f = fopen(path, "r");
	if (!f) {
		xt_report(false, "conformance.flat: cannot open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "-- test ", 8)) {
			snprintf(name, sizeof(name), "%s", line + 8);
			name[strcspn(name, "\n")] = 0;
			want = have = 0;
		} else if (!strncmp(line, "insns ", 6)) {
			want = strtoul(line + 6, NULL, 10);
			have = 0;
			if (want > ARRAY_SIZE(insns))
				want = 0;
		} else if (want && have < want && strlen(line) >= 16) {
			u8 *b = (u8 *)&insns[have];
			int i;

			for (i = 0; i < 8; i++) {
				unsigned int v;

				sscanf(line + 2 * i, "%2x", &v);
				b[i] = v;
			}
			if (++have == want) {
				struct xbpf_prog *prog = NULL;
				bool listed;
				const char *msg = flat_expected(name, &listed);
				int err = verify(insns, want, XBPF_PROG_TYPE_SYSCALL, PRIV, 1, &prog);

				if (listed) {
					refused++;
					if (err < 0 && (!msg || strstr(logbuf, msg))) {
						xt_report(true, "flat %s refused as Linux does", name);
					} else if (!msg && !err) {
						/* depends on the helper table: fine either way */
						xt_report(true, "flat %s accepted", name);
					} else {
						xt_report(false, "flat %s: expected refusal '%s', got %d",
							  name, msg ? msg : "", err);
					}
				} else if (err) {
					bad++;
					xt_report(false, "flat %s accepted (got %d: %.*s)", name, err,
						  (int)strcspn(logbuf, "\n"), logbuf);
				} else {
					accepted++;
				}
				xbpf_prog_put(prog);
				want = 0;
			}
		}
	}
	fclose(f);
	xt_report(!bad && accepted > 250 && refused >= 13,
		  "conformance.flat: %u programs accepted, %u on the refused list", accepted,
		  refused);
}

/* ---- 3. the table ---- */

#define P(...)	.insns = (const struct xbpf_insn[]){ __VA_ARGS__ }, \
		.len = sizeof((const struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)

struct vcase {
	const char		*name;
	const struct xbpf_insn	*insns;
	u32			len;
	u32			type;
	bool			unpriv;
	int			err;
	const char		*msg;	/* must appear in the level-1 log */
};

static void run_case(const struct vcase *c)
{
	struct xbpf_prog *prog = NULL;
	int err;

	err = verify(c->insns, c->len, c->type, c->unpriv, 1, &prog);
	if (err != c->err || (c->msg && !strstr(logbuf, c->msg)) || !!prog != !c->err ||
	    !strstr(logbuf, "processed ")) {
		xt_report(false, "%s: want %d '%s', got %d", c->name, c->err, c->msg ? c->msg : "", err);
		xt_diag("log: %s", logbuf);
	} else {
		xt_report(true, "%s", c->name);
	}
	if (prog && !prog->checked)
		xt_report(false, "%s: prog->checked not set", c->name);
	xbpf_prog_put(prog);
	if (!refs_baseline())
		xt_report(false, "%s: map references leaked", c->name);
}

/*
 * The table is built at run time: its instructions are compound
 * literals, which a static initializer may not hold.
 */
static void test_table(void)
{
	const struct vcase cases[] = {
		/* accepted */
		{ "minimal", P(RET0) },
		{ "minimal unpriv", P(RET0), .unpriv = true },
		{ "all ALU64 reg ops", P(MOV64_IMM(0, 1), MOV64_IMM(1, 2),
			ALU64_REG(XBPF_ADD, 0, 1), ALU64_REG(XBPF_SUB, 0, 1), ALU64_REG(XBPF_MUL, 0, 1),
			ALU64_REG(XBPF_DIV, 0, 1), ALU64_REG(XBPF_OR, 0, 1), ALU64_REG(XBPF_AND, 0, 1),
			ALU64_REG(XBPF_LSH, 0, 1), ALU64_REG(XBPF_RSH, 0, 1), ALU64_REG(XBPF_MOD, 0, 1),
			ALU64_REG(XBPF_XOR, 0, 1), ALU64_REG(XBPF_MOV, 0, 1), ALU64_REG(XBPF_ARSH, 0, 1),
			EXIT()) },
		{ "all ALU32 imm ops", P(MOV32_IMM(0, 1),
			ALU32_IMM(XBPF_ADD, 0, 1), ALU32_IMM(XBPF_SUB, 0, 1), ALU32_IMM(XBPF_MUL, 0, 3),
			ALU32_IMM(XBPF_DIV, 0, 2), ALU32_IMM(XBPF_OR, 0, 1), ALU32_IMM(XBPF_AND, 0, 1),
			ALU32_IMM(XBPF_LSH, 0, 31), ALU32_IMM(XBPF_RSH, 0, 0), ALU32_IMM(XBPF_MOD, 0, 7),
			ALU32_IMM(XBPF_XOR, 0, -1), ALU32_IMM(XBPF_ARSH, 0, 31),
			XI(XBPF_ALU | XBPF_NEG, 0, 0, 0, 0), XI(XBPF_ALU64 | XBPF_NEG, 0, 0, 0, 0), EXIT()) },
		{ "v4 sdiv/smod", P(MOV64_IMM(0, -7), MOV64_IMM(1, 2), SALU64_IMM(XBPF_DIV, 0, 2),
			SALU64_REG(XBPF_MOD, 0, 1), SALU32_IMM(XBPF_MOD, 0, 3), SALU32_REG(XBPF_DIV, 0, 1),
			EXIT()) },
		{ "v4 movsx", P(MOV64_IMM(1, 0x80), MOVSX64(0, 1, 8), MOVSX64(0, 1, 16), MOVSX64(0, 1, 32),
			MOVSX32(0, 1, 8), MOVSX32(0, 1, 16), EXIT()) },
		{ "v4 bswap and le/be", P(MOV64_IMM(0, 1), BSWAP(0, 16), BSWAP(0, 32), BSWAP(0, 64),
			END(XBPF_TO_LE, 0, 16), END(XBPF_TO_BE, 0, 32), END(XBPF_TO_BE, 0, 64), EXIT()) },
		{ "v4 ldsx", P(LDXS(XBPF_B, 0, 10, -1), LDXS(XBPF_H, 0, 10, -2), LDXS(XBPF_W, 0, 10, -4),
			EXIT()) },
		{ "v4 gotol", P(JMP_IMM(XBPF_JEQ, 1, 0, 1), JA32(1), MOV64_IMM(0, 1), EXIT()) },
		{ "gotol as last insn of a subprog", P(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, 1), EXIT(), JA32(-2)) },
		{ "loads and stores of every size", P(MOV64_REG(1, 10),
			ST(XBPF_B, 10, -1, 1), ST(XBPF_H, 10, -4, 1), ST(XBPF_W, 10, -8, 1),
			ST(XBPF_DW, 10, -16, 1), STX(XBPF_B, 10, 1, -1), STX(XBPF_H, 10, 1, -2),
			STX(XBPF_W, 10, 1, -4), STX(XBPF_DW, 10, 10, -8), LDX(XBPF_B, 0, 10, -1),
			LDX(XBPF_H, 0, 10, -2), LDX(XBPF_W, 0, 10, -4), LDX(XBPF_DW, 0, 10, -8), EXIT()) },
		{ "atomics", P(MOV64_IMM(1, 1), MOV64_IMM(0, 0),
			ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD), ATOMIC(XBPF_W, 10, 1, -8, XBPF_AND),
			ATOMIC(XBPF_DW, 10, 1, -8, XBPF_OR), ATOMIC(XBPF_W, 10, 1, -8, XBPF_XOR),
			ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD | XBPF_FETCH),
			ATOMIC(XBPF_W, 10, 1, -8, XBPF_AND | XBPF_FETCH),
			ATOMIC(XBPF_DW, 10, 1, -8, XBPF_OR | XBPF_FETCH),
			ATOMIC(XBPF_W, 10, 1, -8, XBPF_XOR | XBPF_FETCH),
			ATOMIC(XBPF_DW, 10, 1, -8, XBPF_XCHG), ATOMIC(XBPF_W, 10, 1, -8, XBPF_CMPXCHG),
			ATOMIC(XBPF_DW, 10, 10, -8, XBPF_ADD), ATOMIC(XBPF_DW, 10, 10, -8, XBPF_CMPXCHG),
			EXIT()) },
		{ "lddw plain", P(LDDW(0, 0x123456789abcdefULL), EXIT()) },
		{ "jump over an lddw", P(JMP_IMM(XBPF_JEQ, 1, 0, 2), LDDW(0, 1), MOV64_IMM(0, 0), EXIT()) },
		{ "both arms reachable", P(JMP_IMM(XBPF_JEQ, 1, 0, 1), MOV64_IMM(0, 1), EXIT()) },
		{ "jmp32 ops", P(MOV64_IMM(0, 0), JMP32_IMM(XBPF_JSET, 0, 1, 0), JMP32_REG(XBPF_JSLE, 0, 1, 0),
			JMP_REG(XBPF_JLT, 0, 1, 0), EXIT()) },
		{ "bounded loop priv", P(MOV64_IMM(0, 0), ALU64_IMM(XBPF_ADD, 0, 1),
			JMP_IMM(XBPF_JLT, 0, 10, -2), EXIT()) },
		{ "infinite loop priv (run time bounds it)", P(MOV64_IMM(0, 0), JA(-1)) },
		{ "bpf-to-bpf call", P(MOV64_IMM(1, 1), CALL_LOCAL(1), EXIT(), MOV64_REG(0, 1), EXIT()) },
		{ "two callers, one callee", P(CALL_LOCAL(2), CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 1), EXIT()) },
		{ "nested calls", P(CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 1), EXIT()) },
		{ "helper call", P(CALL(XBPF_FUNC_ktime_get_ns), EXIT()) },
		{ "ld_abs/ld_ind in socket filter", P(MOV64_REG(6, 1), LD_ABS(XBPF_B, 0), LD_ABS(XBPF_H, 0),
			LD_ABS(XBPF_W, 0), MOV64_IMM(2, 0), LD_IND(XBPF_W, 2, 0), EXIT()) },
		{ "r10 as a source", P(MOV64_REG(0, 10), ALU64_REG(XBPF_SUB, 0, 10), EXIT()) },
		{ "largest imm shifts", P(MOV64_IMM(0, 1), ALU64_IMM(XBPF_LSH, 0, 63), ALU32_IMM(XBPF_RSH, 0, 31),
			ALU64_IMM(XBPF_ARSH, 0, 0), EXIT()) },
		{ "program type SYSCALL", P(RET0), .type = XBPF_PROG_TYPE_SYSCALL },

		/* unknown opcodes */
		{ "callx", P(XI(0x8d, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 8d" },
		{ "ja|X", P(XI(0x0d, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 0d" },
		{ "exit|X", P(MOV64_IMM(0, 0), XI(0x9d, 0, 0, 0, 0)), .err = -EINVAL, .msg = "unknown opcode 9d" },
		{ "jmp32 call", P(XI(0x86, 0, 0, 0, 1), EXIT()), .err = -EINVAL, .msg = "unknown opcode 86" },
		{ "jmp32 exit", P(MOV64_IMM(0, 0), XI(0x96, 0, 0, 0, 0)), .err = -EINVAL, .msg = "unknown opcode 96" },
		{ "alu op 0xe0", P(XI(0xe7, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode e7" },
		{ "alu op 0xf0", P(XI(0xf4, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode f4" },
		{ "neg|X", P(XI(0x8f, 0, 1, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 8f" },
		{ "alu64 end|X", P(XI(0xdf, 0, 0, 0, 16), EXIT()), .err = -EINVAL, .msg = "unknown opcode df" },
		{ "ldx memsx dw", P(XI(0x99, 0, 10, -8, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 99" },
		{ "ld imm w", P(XI(0x00, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 00" },
		{ "ld abs dw", P(XI(0x38, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 38" },
		{ "ld mem", P(XI(0x61 & ~7, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 60" },
		{ "st memsx", P(XI(0x82, 10, 0, -4, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode 82" },
		{ "st atomic", P(XI(0xc2, 10, 0, -4, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode c2" },
		{ "stx atomic b", P(XI(0xd3, 10, 1, -4, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode d3" },
		{ "stx atomic h", P(XI(0xcb, 10, 1, -4, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode cb" },
		{ "ldx atomic", P(XI(0xc1, 0, 10, -4, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode c1" },
		{ "0xff", P(XI(0xff, 0, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "unknown opcode ff" },

		/* reserved fields */
		{ "alu imm with src", P(XI(0x07, 0, 1, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_ALU uses reserved fields" },
		{ "alu reg with imm", P(XI(0x0f, 0, 1, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_ALU uses reserved fields" },
		{ "add with off 1", P(XI(0x07, 0, 0, 1, 1), EXIT()), .err = -EINVAL, .msg = "BPF_ALU uses reserved fields" },
		{ "div with off 2", P(XI(0x37, 0, 0, 2, 1), EXIT()), .err = -EINVAL, .msg = "BPF_ALU uses reserved fields" },
		{ "neg with imm", P(XI(0x87, 0, 0, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_NEG uses reserved fields" },
		{ "mov imm with off", P(XI(0xb7, 0, 0, 8, 1), EXIT()), .err = -EINVAL, .msg = "BPF_MOV uses reserved fields" },
		{ "movsx off 7", P(XI(0xbf, 0, 1, 7, 0), EXIT()), .err = -EINVAL, .msg = "BPF_MOV uses reserved fields" },
		{ "movsx32 off 32", P(XI(0xbc, 0, 1, 32, 0), EXIT()), .err = -EINVAL, .msg = "BPF_MOV uses reserved fields" },
		{ "mov reg with imm", P(XI(0xbf, 0, 1, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_MOV uses reserved fields" },
		{ "end imm 8", P(END(XBPF_TO_BE, 0, 8), EXIT()), .err = -EINVAL, .msg = "BPF_END uses reserved fields" },
		{ "bswap with src", P(XI(0xd7, 0, 1, 0, 16), EXIT()), .err = -EINVAL, .msg = "BPF_END uses reserved fields" },
		{ "exit with off", P(MOV64_IMM(0, 0), XI(0x95, 0, 0, 1, 0)), .err = -EINVAL, .msg = "BPF_EXIT uses reserved fields" },
		{ "ja with imm", P(XI(0x05, 0, 0, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_JA uses reserved fields" },
		{ "gotol with off", P(XI(0x06, 0, 0, 1, 0), EXIT()), .err = -EINVAL, .msg = "BPF_JA uses reserved fields" },
		{ "call with src 3", P(XI(0x85, 0, 3, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_CALL uses reserved fields" },
		{ "kfunc call", P(XI(0x85, 0, 2, 0, 1), EXIT()), .err = -EINVAL, .msg = "calling kernel functions is not supported" },
		{ "jeq imm with src", P(XI(0x15, 1, 2, 0, 0), EXIT()), .err = -EINVAL, .msg = "BPF_JMP/JMP32 uses reserved fields" },
		{ "jeq32 reg with imm", P(XI(0x1e, 1, 2, 0, 1), EXIT()), .err = -EINVAL, .msg = "BPF_JMP/JMP32 uses reserved fields" },
		{ "ldx with imm", P(XI(0x79, 0, 10, -8, 1), EXIT()), .err = -EINVAL, .msg = "BPF_LDX uses reserved fields" },
		{ "st with src", P(XI(0x7a, 10, 1, -8, 1), RET0), .err = -EINVAL, .msg = "BPF_ST uses reserved fields" },
		{ "stx with imm", P(XI(0x7b, 10, 1, -8, 1), RET0), .err = -EINVAL, .msg = "BPF_STX uses reserved fields" },
		{ "bad atomic op", P(ATOMIC(XBPF_DW, 10, 1, -8, 0x02), RET0), .err = -EINVAL, .msg = "BPF_ATOMIC uses invalid atomic opcode 02" },
		{ "atomic xchg without fetch bit", P(ATOMIC(XBPF_DW, 10, 1, -8, 0xe0), RET0), .err = -EINVAL, .msg = "invalid atomic opcode e0" },
		{ "ld_abs with dst", P(XI(0x20, 1, 0, 0, 0), EXIT()), .err = -EINVAL, .msg = "BPF_LD_[ABS|IND] uses reserved fields" },
		{ "ld_abs with src", P(XI(0x20, 0, 1, 0, 0), EXIT()), .err = -EINVAL, .msg = "BPF_LD_[ABS|IND] uses reserved fields" },
		{ "ld_abs in syscall prog", P(LD_ABS(XBPF_W, 0), EXIT()), .type = XBPF_PROG_TYPE_SYSCALL,
			.err = -EINVAL, .msg = "BPF_LD_[ABS|IND] instructions not allowed for this program type" },
		{ "ld_abs in main with bpf-to-bpf calls", P(LD_ABS(XBPF_W, 0), CALL_LOCAL(1), EXIT(), RET0),
			.err = 0 },
		{ "ld_abs in a subprog", P(CALL_LOCAL(1), EXIT(), LD_ABS(XBPF_W, 0), EXIT()),
			.err = -EINVAL, .msg = "LD_ABS is not allowed in subprogs without BTF" },
		{ "tail call in a subprog", P(CALL_LOCAL(1), EXIT(), CALL(XBPF_FUNC_tail_call), RET0),
			.err = -EINVAL, .msg = "tail_call is not allowed in subprogs without BTF" },

		/* registers */
		{ "dst r11", P(MOV64_IMM(11, 0), RET0), .err = -EINVAL, .msg = "R11 is invalid" },
		{ "src r12", P(MOV64_REG(0, 12), EXIT()), .err = -EINVAL, .msg = "R12 is invalid" },
		{ "ld_ind src r15", P(LD_IND(XBPF_W, 15, 0), EXIT()), .err = -EINVAL, .msg = "R15 is invalid" },
		{ "jmp dst r11", P(JMP_IMM(XBPF_JEQ, 11, 0, 0), RET0), .err = -EINVAL, .msg = "R11 is invalid" },
		{ "mov to r10", P(MOV64_IMM(10, 0), RET0), .err = -EACCES, .msg = "frame pointer is read only" },
		{ "add to r10", P(ALU64_IMM(XBPF_ADD, 10, -8), RET0), .err = -EACCES, .msg = "frame pointer is read only" },
		{ "alu32 to r10", P(ALU32_REG(XBPF_MOV, 10, 1), RET0), .err = -EACCES, .msg = "frame pointer is read only" },
		{ "neg r10", P(XI(0x87, 10, 0, 0, 0), RET0), .err = -EACCES, .msg = "frame pointer is read only" },
		{ "ldx to r10", P(LDX(XBPF_DW, 10, 1, 0), RET0), .err = -EACCES, .msg = "frame pointer is read only" },
		{ "lddw to r10", P(LDDW(10, 1), RET0), .err = -EACCES, .msg = "frame pointer is read only" },
		{ "atomic fetch into r10", P(ATOMIC(XBPF_DW, 1, 10, 0, XBPF_ADD | XBPF_FETCH), RET0),
			.err = -EACCES, .msg = "frame pointer is read only" },
		{ "xchg into r10", P(ATOMIC(XBPF_DW, 1, 10, 0, XBPF_XCHG), RET0),
			.err = -EACCES, .msg = "frame pointer is read only" },

		/* immediates */
		{ "lsh64 by 64", P(ALU64_IMM(XBPF_LSH, 0, 64), EXIT()), .err = -EINVAL, .msg = "invalid shift 64" },
		{ "rsh32 by 32", P(ALU32_IMM(XBPF_RSH, 0, 32), EXIT()), .err = -EINVAL, .msg = "invalid shift 32" },
		{ "arsh by -1", P(ALU64_IMM(XBPF_ARSH, 0, -1), EXIT()), .err = -EINVAL, .msg = "invalid shift -1" },
		{ "div by imm 0", P(ALU64_IMM(XBPF_DIV, 0, 0), EXIT()), .err = -EINVAL, .msg = "div by zero" },
		{ "mod32 by imm 0", P(ALU32_IMM(XBPF_MOD, 0, 0), EXIT()), .err = -EINVAL, .msg = "div by zero" },
		{ "sdiv by imm 0", P(SALU64_IMM(XBPF_DIV, 0, 0), EXIT()), .err = -EINVAL, .msg = "div by zero" },

		/* lddw shape */
		{ "lddw as last insn", P(MOV64_IMM(0, 0), EXIT(), XI(0x18, 0, 0, 0, 0)), .err = -EINVAL,
			.msg = "invalid bpf_ld_imm64 insn" },
		{ "lddw second slot with code", P(XI(0x18, 0, 0, 0, 0), XI(0x07, 0, 0, 0, 0), EXIT()),
			.err = -EINVAL, .msg = "invalid bpf_ld_imm64 insn" },
		{ "lddw second slot with dst", P(XI(0x18, 0, 0, 0, 0), XI(0, 1, 0, 0, 0), EXIT()),
			.err = -EINVAL, .msg = "invalid bpf_ld_imm64 insn" },
		{ "lddw second slot with off", P(XI(0x18, 0, 0, 0, 0), XI(0, 0, 0, 1, 0), EXIT()),
			.err = -EINVAL, .msg = "invalid bpf_ld_imm64 insn" },
		{ "lddw with off", P(XI(0x18, 0, 0, 1, 0), XI(0, 0, 0, 0, 0), EXIT()),
			.err = -EINVAL, .msg = "BPF_LD_IMM64 uses reserved fields" },
		{ "lddw src 3 (btf id)", P(LDDW_SRC(0, 3, 1), EXIT()), .err = -EINVAL, .msg = "src_reg 3 is not supported" },
		{ "lddw src 4 (func)", P(LDDW_SRC(0, 4, 1), EXIT()), .err = -EINVAL, .msg = "src_reg 4 is not supported" },
		{ "lddw src 5 (map idx)", P(LDDW_SRC(0, 5, 0), EXIT()), .err = -EINVAL, .msg = "src_reg 5 is not supported" },
		{ "lddw src 7", P(LDDW_SRC(0, 7, 1), EXIT()), .err = -EINVAL, .msg = "unrecognized bpf_ld_imm64 insn" },
		{ "lddw map fd with high imm", P(XI(0x18, 1, 1, 0, 3), XI(0, 0, 0, 0, 1), RET0), .err = -EINVAL,
			.msg = "unrecognized bpf_ld_imm64 insn" },
		{ "lddw map value off too big", P(XI(0x18, 1, 2, 0, 3), XI(0, 0, 0, 0, 1 << 29), RET0),
			.err = -EINVAL, .msg = "direct value offset of 536870912 is not allowed" },

		/* maps (fds set up in main: 3 array[1] of 8, 4 hash, 5 array[4]) */
		{ "map fd", P(XI(0x18, 1, 1, 0, 3), XI(0, 0, 0, 0, 0), RET0) },
		{ "map value", P(XI(0x18, 1, 2, 0, 3), XI(0, 0, 0, 0, 7), RET0) },
		{ "bad map fd", P(XI(0x18, 1, 1, 0, 3), XI(0, 0, 0, 0, 0), XI(0x18, 1, 1, 0, 99),
			XI(0, 0, 0, 0, 0), RET0), .err = -EBADF, .msg = "fd 99 is not pointing to valid bpf_map" },
		{ "negative map fd", P(XI(0x18, 1, 1, 0, -1), XI(0, 0, 0, 0, 0), RET0), .err = -EBADF,
			.msg = "fd -1 is not pointing to valid bpf_map" },
		{ "map value off == value_size", P(XI(0x18, 1, 2, 0, 3), XI(0, 0, 0, 0, 8), RET0),
			.err = -EINVAL, .msg = "invalid access to map value pointer, value_size=8 off=8" },
		{ "map value of multi-entry array", P(XI(0x18, 1, 2, 0, 5), XI(0, 0, 0, 0, 0), RET0),
			.err = -ENOTSUPP, .msg = "invalid access to map value pointer" },
		{ "map value of hash", P(XI(0x18, 1, 2, 0, 4), XI(0, 0, 0, 0, 0), RET0),
			.err = -EINVAL, .msg = "no direct value access support for this map type" },

		/* helpers */
		{ "unknown helper", P(CALL(9999), EXIT()), .err = -EINVAL, .msg = "invalid func unknown#9999" },
		{ "negative helper id", P(CALL(-1), EXIT()), .err = -EINVAL, .msg = "invalid func unknown#-1" },
		{ "helper 0", P(CALL(0), EXIT()), .err = -EINVAL, .msg = "invalid func unknown#0" },
		{ "helper id past the table", P(CALL(__XBPF_FUNC_MAX_ID), EXIT()), .err = -EINVAL,
			.msg = "invalid func unknown#210" },
		{ "call with dst", P(XI(0x85, 1, 0, 0, 5), EXIT()), .err = -EINVAL, .msg = "BPF_CALL uses reserved fields" },
		{ "call with off", P(XI(0x85, 0, 0, 1, 5), EXIT()), .err = -EINVAL, .msg = "BPF_CALL uses reserved fields" },

		/* control flow */
		{ "jump past the end", P(JA(5), EXIT()), .err = -EINVAL, .msg = "jump out of range from insn 0 to 6" },
		{ "jump before the start", P(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, -3), EXIT()),
			.err = -EINVAL, .msg = "jump out of range from insn 1 to -1" },
		{ "jump to len", P(JMP_IMM(XBPF_JEQ, 0, 0, 1), EXIT()), .err = -EINVAL,
			.msg = "jump out of range from insn 0 to 2" },
		{ "gotol out of range", P(JA32(100000), EXIT()), .err = -EINVAL,
			.msg = "jump out of range from insn 0 to 100001" },
		{ "jump into lddw", P(JMP_IMM(XBPF_JEQ, 1, 0, 1), LDDW(0, 1), EXIT()), .err = -EINVAL,
			.msg = "jump out of range from insn 0 to 2" },
		{ "backward jump into lddw", P(LDDW(0, 1), JA(-2), EXIT()), .err = -EINVAL,
			.msg = "jump out of range from insn 2 to 1" },
		{ "fall-through past the end", P(MOV64_IMM(0, 0)), .err = -EINVAL,
			.msg = "last insn is not an exit or jmp" },
		{ "ends in a conditional jump", P(MOV64_IMM(0, 0), JMP_IMM(XBPF_JEQ, 0, 0, -2)), .err = -EINVAL,
			.msg = "last insn is not an exit or jmp" },
		{ "ends in a call", P(MOV64_IMM(0, 0), CALL(5)), .err = -EINVAL,
			.msg = "last insn is not an exit or jmp" },
		{ "unreachable after exit", P(RET0, RET0), .err = -EINVAL, .msg = "unreachable insn 2" },
		{ "unreachable after ja", P(JA(1), MOV64_IMM(0, 0), RET0), .err = -EINVAL, .msg = "unreachable insn 1" },
		{ "unreachable lddw", P(RET0, LDDW(0, 1), EXIT()), .err = -EINVAL, .msg = "unreachable insn 2" },
		{ "loop unpriv", P(MOV64_IMM(0, 0), ALU64_IMM(XBPF_ADD, 0, 1), JMP_IMM(XBPF_JLT, 0, 10, -2), EXIT()),
			.unpriv = true, .err = -EINVAL, .msg = "back-edge from insn 2 to 1" },
		{ "ja -1 unpriv", P(MOV64_IMM(0, 0), JA(-1)), .unpriv = true, .err = -EINVAL,
			.msg = "back-edge from insn 1 to 1" },
		{ "bpf-to-bpf call unpriv", P(CALL_LOCAL(1), EXIT(), RET0), .unpriv = true, .err = -EPERM,
			.msg = "allowed for CAP_BPF and CAP_SYS_ADMIN" },
		{ "call past the end", P(CALL_LOCAL(5), EXIT()), .err = -EINVAL, .msg = "call to invalid destination" },
		{ "call before the start", P(CALL_LOCAL(-5), EXIT()), .err = -EINVAL, .msg = "call to invalid destination" },
		{ "call into lddw", P(CALL_LOCAL(2), EXIT(), LDDW(0, 1), EXIT()), .err = -EINVAL,
			.msg = "call to invalid destination" },
		{ "jump across subprograms", P(CALL_LOCAL(2), JA(2), EXIT(), MOV64_IMM(0, 0), EXIT()),
			.err = -EINVAL, .msg = "jump out of range from insn 1 to 4" },
		{ "jump back into the caller", P(CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 0), JA(-4), EXIT()),
			.err = -EINVAL, .msg = "jump out of range from insn 3 to 0" },
		{ "main falls into subprog", P(CALL_LOCAL(2), MOV64_IMM(0, 0), MOV64_IMM(0, 1), RET0),
			.err = -EINVAL, .msg = "last insn is not an exit or jmp" },
		{ "subprog falls off the end", P(CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 0)),
			.err = -EINVAL, .msg = "last insn is not an exit or jmp" },
		{ "self recursion", P(CALL_LOCAL(-1), EXIT()), .err = -EINVAL, .msg = "back-edge from insn 0 to 0" },
		{ "subprog recursion", P(CALL_LOCAL(1), EXIT(), CALL_LOCAL(-1), EXIT()), .err = -EINVAL,
			.msg = "back-edge from insn 2 to 2" },
		{ "mutual recursion", P(CALL_LOCAL(1), EXIT(), CALL_LOCAL(1), EXIT(), CALL_LOCAL(-3), EXIT()),
			.err = -EINVAL, .msg = "back-edge from insn 4 to 2" },
		{ "unreachable subprog code", P(CALL_LOCAL(1), EXIT(), RET0, RET0), .err = -EINVAL,
			.msg = "unreachable insn 4" },
		{ "call from dead code", P(RET0, CALL_LOCAL(1), EXIT(), RET0), .err = -EINVAL,
			.msg = "unreachable insn 2" },

		/* limits and parameters */
		{ "unsupported program type", P(RET0), .type = XBPF_PROG_TYPE_XDP, .err = -EINVAL,
			.msg = "program type 6 is not supported" },
		{ "unknown program type", P(RET0), .type = 1000, .err = -EINVAL, .msg = "is not supported" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
}

/* ---- 4. targeted checks ---- */

static void test_rewrite(void)
{
	struct xbpf_insn insns[] = {
		XI(0x18, 1, 1, 0, 3), XI(0, 0, 0, 0, 0),	/* array fd 3 */
		XI(0x18, 2, 2, 0, 3), XI(0, 0, 0, 0, 4),	/* its value + 4 */
		XI(0x18, 3, 1, 0, 4), XI(0, 0, 0, 0, 0),	/* hash fd 4 */
		XI(0x18, 4, 1, 0, 6), XI(0, 0, 0, 0, 0),	/* fd 6: the same array */
		LDDW(5, 0xdeadbeefcafef00dULL),
		RET0,
	};
	struct xbpf_prog *prog = NULL, *prog2 = NULL;
	u64 a, v, h, a2, c;
	u32 key = 0;
	int err;

	err = verify(insns, ARRAY_SIZE(insns), 0, PRIV, 1, &prog);
	if (err || !prog) {
		xt_report(false, "rewrite: accepted (%d) %s", err, logbuf);
		return;
	}
	a = (u32)prog->insns[0].imm | (u64)(u32)prog->insns[1].imm << 32;
	v = (u32)prog->insns[2].imm | (u64)(u32)prog->insns[3].imm << 32;
	h = (u32)prog->insns[4].imm | (u64)(u32)prog->insns[5].imm << 32;
	a2 = (u32)prog->insns[6].imm | (u64)(u32)prog->insns[7].imm << 32;
	c = (u32)prog->insns[8].imm | (u64)(u32)prog->insns[9].imm << 32;
	xt_report(a == (u64)(uintptr_t)fdtab[3] && a2 == a && prog->insns[0].src_reg == 1,
		  "rewrite: map fd -> map pointer, src_reg kept");
	xt_report(v == (u64)(uintptr_t)fdtab[3]->ops->lookup(fdtab[3], &key) + 4 &&
		  prog->insns[2].src_reg == 2, "rewrite: map value -> value address + off");
	xt_report(h == (u64)(uintptr_t)fdtab[4], "rewrite: second map");
	xt_report(c == 0xdeadbeefcafef00dULL && prog->insns[8].src_reg == 0,
		  "rewrite: plain constant untouched");
	/* fd 3 and fd 6 hold two references to the array; prog adds one. */
	xt_report(prog->nr_maps == 2 && xbpf_refcount_read(&fdtab[3]->refcnt) == 3 &&
		  xbpf_refcount_read(&fdtab[4]->refcnt) == 2,
		  "rewrite: each distinct map once, one reference each");
	xt_report(prog->len == ARRAY_SIZE(insns) && prog->orig_len == prog->len &&
		  prog->type == XBPF_PROG_TYPE_SOCKET_FILTER && prog->checked &&
		  prog->verified_insns == 7, "prog fields: len, type, checked, verified_insns %u",
		  prog->verified_insns);
	xt_report(strstr(logbuf, "processed 7 insns (limit 1000000)") != NULL,
		  "stats: lddw counts once");

	/* The tag ignores fd numbers: fd 6 names the same map as fd 3. */
	insns[0].imm = 6;
	insns[2].imm = 6;
	err = verify(insns, ARRAY_SIZE(insns), 0, PRIV, 0, &prog2);
	xt_report(!err && prog2 && !memcmp(prog->tag, prog2->tag, XBPF_TAG_SIZE),
		  "tag: independent of map fd numbers");
	xt_report(prog2 && memcmp(prog->tag, "\0\0\0\0\0\0\0\0", XBPF_TAG_SIZE),
		  "tag: computed");
	xbpf_prog_put(prog);
	xbpf_prog_put(prog2);
	xt_report(refs_baseline(), "rewrite: prog_put drops the map references");
}

static void test_level2(void)
{
	struct xbpf_insn insns[] = {
		MOV64_IMM(1, 2), ALU32_REG(XBPF_ADD, 1, 1), LDX(XBPF_W, 0, 1, 4),
		JMP_IMM(XBPF_JGT, 0, 5, 1), CALL(XBPF_FUNC_map_lookup_elem),
		ATOMIC(XBPF_DW, 10, 1, -8, XBPF_ADD | XBPF_FETCH), BSWAP(0, 16),
		LDDW(2, 0x100000000ULL), EXIT(),
	};
	struct xbpf_prog *prog = NULL;
	int err;

	err = verify(insns, ARRAY_SIZE(insns), 0, PRIV, 2, &prog);
	xt_report(!err && strstr(logbuf, "0: (b7) r1 = 2\n") && strstr(logbuf, "1: (0c) w1 += w1\n") &&
		  strstr(logbuf, "2: (61) r0 = *(u32 *)(r1 +4)\n") &&
		  strstr(logbuf, "3: (25) if r0 > 0x5 goto pc+1\n") &&
		  strstr(logbuf, "4: (85) call bpf_map_lookup_elem#1\n") &&
		  strstr(logbuf, "5: (db) r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)\n") &&
		  strstr(logbuf, "6: (d7) r0 = bswap16 r0\n") &&
		  strstr(logbuf, "7: (18) r2 = 0x100000000\n") && strstr(logbuf, "9: (95) exit\n"),
		  "level 2: every insn in Linux's notation");
	if (err || !strstr(logbuf, "9: (95) exit"))
		xt_diag("log: %s", logbuf);
	xbpf_prog_put(prog);
}

static struct xbpf_insn *build_calls(u32 n, u32 *len)
{
	struct xbpf_insn *p = calloc(n + 2 + 2 * n, sizeof(*p));
	u32 k;

	for (k = 0; k < n; k++) {
		u32 callee = n + 2 + 2 * k;

		p[k] = CALL_LOCAL((s32)(callee - k - 1));
		p[callee] = MOV64_IMM(0, 0);
		p[callee + 1] = EXIT();
	}
	p[n] = MOV64_IMM(0, 0);
	p[n + 1] = EXIT();
	*len = n + 2 + 2 * n;
	return p;
}

static void test_limits(void)
{
	struct xbpf_prog *prog = NULL;
	struct xbpf_insn *big;
	u32 n = XBPF_COMPLEXITY_LIMIT_INSNS + 1, i;
	int err;

	big = calloc(n, sizeof(*big));
	for (i = 0; i < n - 1; i++)
		big[i] = MOV64_IMM(0, i);
	big[n - 1] = EXIT();

	err = verify(big, 0, 0, PRIV, 1, &prog);
	xt_report(err == -EINVAL && !prog, "limits: 0 insns -EINVAL");
	err = verify(big + n - XBPF_MAXINSNS, XBPF_MAXINSNS, 0, UNPRIV, 0, &prog);
	xt_report(!err && prog, "limits: unpriv 4096 accepted");
	xbpf_prog_put(prog);
	prog = NULL;
	err = verify(big + n - XBPF_MAXINSNS - 1, XBPF_MAXINSNS + 1, 0, UNPRIV, 1, &prog);
	xt_report(err == -E2BIG && !prog, "limits: unpriv 4097 -E2BIG");
	err = verify(big + n - XBPF_MAXINSNS - 1, XBPF_MAXINSNS + 1, 0, PRIV, 0, &prog);
	xt_report(!err && prog, "limits: priv 4097 accepted");
	xbpf_prog_put(prog);
	prog = NULL;
	err = verify(big + 1, n - 1, 0, PRIV, 0, &prog);
	xt_report(!err && prog && prog->verified_insns == n - 1, "limits: priv 1000000 accepted");
	xbpf_prog_put(prog);
	prog = NULL;
	err = verify(big, n, 0, PRIV, 1, &prog);
	xt_report(err == -E2BIG && !prog, "limits: priv 1000001 -E2BIG");

	/* main plus n callees: main calls each, each returns 0 */
	free(big);
	for (i = 255; i <= 256; i++) {
		u32 len;

		big = build_calls(i, &len);
		err = verify(big, len, 0, PRIV, 1, &prog);
		if (i == 255)
			xt_report(!err && prog, "limits: 256 subprograms accepted (%d)", err);
		else
			xt_report(err == -E2BIG && !prog && strstr(logbuf, "too many subprograms"),
				  "limits: 257 subprograms -E2BIG (%d)", err);
		xbpf_prog_put(prog);
		prog = NULL;
		free(big);
	}
}

static void test_too_many_maps(void)
{
	struct xbpf_map *maps[65];
	struct xbpf_insn insns[65 * 2 + 2];
	struct xbpf_prog *prog = NULL;
	int i, err;

	for (i = 0; i < 65; i++) {
		maps[i] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
		fdtab[40 + i] = maps[i];
		insns[2 * i] = XI(0x18, 1, 1, 0, 40 + i);
		insns[2 * i + 1] = XI(0, 0, 0, 0, 0);
	}
	insns[130] = MOV64_IMM(0, 0);
	insns[131] = EXIT();
	err = verify(insns + 2, 64 * 2 + 2, 0, PRIV, 1, &prog);
	xt_report(!err && prog && prog->nr_maps == 64, "maps: 64 distinct maps accepted");
	xbpf_prog_put(prog);
	prog = NULL;
	err = verify(insns, 65 * 2 + 2, 0, PRIV, 1, &prog);
	xt_report(err == -E2BIG && !prog && strstr(logbuf, "The maximum number of used maps is 64") &&
		  refs_baseline(), "maps: 65 distinct maps -E2BIG, references dropped");
	for (i = 0; i < 65; i++) {
		fdtab[40 + i] = NULL;
		xbpf_map_put(maps[i]);
	}
}

/*
 * Random programs (valid opcodes mostly, random fields, map LDDWs on the
 * fake fds): the verifier must never crash, leak (ASan) or keep a map
 * reference, whatever the verdict, log level or log size.
 */
static void test_random(void)
{
	static const u8 codes[] = {
		0x07, 0x0f, 0x04, 0x0c, 0xb7, 0xbf, 0x84, 0x87, 0xd4, 0xdc, 0xd7, 0x37,
		0x97, 0x67, 0xc4, 0x05, 0x06, 0x15, 0x1d, 0x16, 0x2e, 0x85, 0x95, 0x18,
		0x61, 0x79, 0x81, 0x62, 0x7a, 0x63, 0x7b, 0xc3, 0xdb, 0x20, 0x40, 0x00,
	};
	struct xbpf_insn insns[48];
	u32 seed = 12345, i, j, accepted = 0, leaks = 0, badlog = 0;
	char small[256];

	for (i = 0; i < 30000; i++) {
		u32 n = 1 + (seed % 47);
		struct xbpf_prog *prog = NULL;
		struct xbpf_log log;
		struct xbpf_load_params p = {
			.prog_type = (i & 1) ? XBPF_PROG_TYPE_SOCKET_FILTER : XBPF_PROG_TYPE_SYSCALL,
			.insn_cnt = n, .insns = insns, .log = &log, .ops = &fake_ops,
			.caps = { .bpf_capable = !(i & 2) },
		};
		u32 level = i % 3;
		int err;

		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			insns[j].code = (seed >> 24) % 8 ? codes[(seed >> 8) % sizeof(codes)] : seed >> 16;
			seed = seed * 1103515245 + 12345;
			insns[j].dst_reg = (seed >> 20) % 4 ? (seed >> 8) % 11 : (seed >> 12) & 15;
			insns[j].src_reg = (seed >> 22) % 4 ? 0 : (seed >> 4) & 15;
			seed = seed * 1103515245 + 12345;
			insns[j].off = (seed >> 24) % 2 ? (s16)((seed >> 8) % 8) - 4 : (s16)(seed >> 8);
			seed = seed * 1103515245 + 12345;
			insns[j].imm = (seed >> 28) % 2 ? (s32)((seed >> 8) % 10) - 2 : (s32)seed;
		}
		insns[n - 1] = EXIT();
		xbpf_log_init(&log, level, level ? (u64)(uintptr_t)small : 0, level ? sizeof(small) : 0);
		err = xbpf_verify(&p, &prog);
		if (!err)
			accepted++;
		if (!!prog == !!err)
			leaks++;
		xbpf_prog_put(prog);
		if (!refs_baseline())
			leaks++;
		if (level && strnlen(small, sizeof(small)) >= sizeof(small))
			badlog++;
	}
	xt_report(!leaks && !badlog, "random programs: 30000 verified, %u accepted, no leak (%u), logs terminated (%u)",
		  accepted, leaks, badlog);
}

/* No ops at all (a caller that never resolves fds): map LDDW is -EBADF. */
static void test_no_ops(void)
{
	struct xbpf_insn insns[] = { XI(0x18, 1, 1, 0, 3), XI(0, 0, 0, 0, 0), RET0 };
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER, .insns = insns,
		.insn_cnt = ARRAY_SIZE(insns), .caps = { .bpf_capable = true },
	};
	struct xbpf_prog *prog = (void *)1;
	int err = xbpf_verify(&p, &prog);

	xt_report(err == -EBADF && !prog, "no ops, no log: -EBADF, *progp NULL");
}

int main(void)
{
	find_confdir();
	fdtab[3] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	fdtab[4] = mkmap(XBPF_MAP_TYPE_HASH, 4, 8, 16);
	fdtab[5] = mkmap(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	fdtab[6] = fdtab[3];
	xbpf_map_get(fdtab[6]);

	test_conformance_negative();
	test_conformance_flat();
	test_table();
	test_rewrite();
	test_level2();
	test_limits();
	test_too_many_maps();
	test_no_ops();
	test_random();

	fdtab[6] = NULL;
	xbpf_map_put(fdtab[3]);
	/* refs_baseline() treats every fd as holding one; fd 6 held a second. */
	xbpf_map_put(fdtab[3]);
	xbpf_map_put(fdtab[4]);
	xbpf_map_put(fdtab[5]);
	return xt_finish();
}

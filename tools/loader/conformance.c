// SPDX-License-Identifier: GPL-2.0
/*
 * xbpf-conformance: a plugin for the BPF conformance runner
 * (github.com/Alan-Jowett/bpf_conformance).
 *
 * Protocol, as that runner drives its plugins:
 *   - stdin: the program as hex bytes, 8 per instruction in memory byte
 *     order; the runner separates bytes with spaces, we ignore all
 *     whitespace;
 *   - argv[1]: the input memory, base16 (may be empty); the runner passes
 *     its --plugin_options as one further argument, so every argument is
 *     split on whitespace and words starting with '-' are options;
 *   - at entry r1 points at a copy of the memory and r2 holds its length
 *     (xbpf's SYSCALL context: the program is loaded as prog type SYSCALL
 *     and test-run with the memory as ctx_in);
 *   - success: r0 on stdout as lowercase hex without "0x" or leading
 *     zeros (e.g. "2a"), exit 0.  The runner reads it with
 *     stoull(..., 16), which takes this form (and "0x2a" alike);
 *   - failure (refused program, fault at run time, bad input): a message
 *     on stderr, exit 1 (2 for usage errors).
 *
 * Options: --offline (the core library in-process; default: /dev/xbpf);
 * the engine against the module: the module's choice by default (its JIT
 * when it compiled the program), --interpret (the interpreter, through
 * xbpf's XBPF_F_TEST_RUN_INTERP), --jit (the JIT; a program it did not
 * compile fails), --both (each engine once on its own copy of the memory:
 * r0 must agree, else the case fails; stderr then says whether the JIT
 * took part, "engines: JIT and interpreter agree").  Offline only the interpreter runs.
 *
 * Against the module, bpf(2)'s test-run retval carries only the low 32
 * bits of r0.  The high half comes from a second load of the program
 * wrapped as a bpf-to-bpf callee whose caller returns r0 >> 32; if that
 * wrapper cannot load (the callee needs all 8 frames) we print the low
 * 32 bits and say so on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "util.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

static bool debug;
/* test hook: use only bpf(2)'s 32-bit retval, as against the module */
static bool retval32;

__attribute__((format(printf, 1, 2)))
static void errmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("xbpf-conformance: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbpf-conformance [MEMORY_HEX] [--offline] [--interpret | --jit | --both]\n"
"                        < PROGRAM_HEX\n"
"\n"
"Runs one BPF program for the bpf_conformance runner: the program as hex\n"
"bytes on stdin (8 per instruction), the memory as base16 in the first\n"
"argument; r1 = memory, r2 = its length.  Prints r0 in lowercase hex (no\n"
"0x) and exits 0, or prints the error on stderr and exits non-zero.\n"
"\n"
"  --offline    run in-process on the core library instead of /dev/xbpf\n"
"  --interpret  use the interpreter (module: XBPF_F_TEST_RUN_INTERP)\n"
"  --jit        use the module's JIT; fails when it did not compile the program\n"
"  --both       run the JIT and the interpreter; fails unless r0 agrees\n"
"               (default: the module's choice, its JIT when it has an image)\n"
"  --debug      print the verifier log of accepted programs too\n"
"  --32bit-retval  test hook: take only the 32-bit retval of bpf(2) and\n"
"               fetch the upper half as against the module\n");
}

/* Loads insns as SYSCALL and runs it once on a copy of mem. */
static int load_and_run(struct xbpf_backend *be, const struct xbpf_insn *insns,
			__u32 cnt, const uint8_t *mem, size_t mem_len, __u32 flags,
			struct xbpf_be_run *r, bool *jited, bool quiet)
{
	struct xbpf_prog_info pi;
	struct xbpf_be_load l;
	uint8_t *ctx = NULL;
	char *log = NULL;
	int fd, err;

	memset(&l, 0, sizeof(l));
	l.prog_type = XBPF_PROG_TYPE_SYSCALL;
	l.insns = insns;
	l.insn_cnt = cnt;
	l.name = "conformance";
	l.log_level = debug ? XBPF_LOG_LEVEL1 : 0;
	fd = xbpf_be_prog_load_log(be, &l, &log);
	if (fd < 0 && !quiet) {
		errmsg("program refused: PROG_LOAD: %s", xbpf_errstr(fd));
		/* load again with a log to say why */
		free(log);
		l.log_level = XBPF_LOG_LEVEL1;
		if (xbpf_be_prog_load_log(be, &l, &log) < 0 && log && log[0])
			fprintf(stderr, "%s%s", log, log[strlen(log) - 1] == '\n' ? "" : "\n");
	} else if (debug && log && log[0]) {
		fprintf(stderr, "%s", log);
	}
	free(log);
	if (fd < 0)
		return fd;

	if (mem_len) {
		/* the engine writes the context back: give it our own copy */
		ctx = malloc(mem_len);
		if (!ctx) {
			xbpf_be_close_fd(be, fd);
			return -ENOMEM;
		}
		memcpy(ctx, mem, mem_len);
	}
	if (jited)
		*jited = !xbpf_be_prog_info(be, fd, &pi) && pi.jited_prog_len;
	memset(r, 0, sizeof(*r));
	r->prog_fd = fd;
	r->ctx_in = ctx;
	r->ctx_size_in = (__u32)mem_len;
	r->flags = flags;
	err = xbpf_be_test_run(be, r);
	if (err && !quiet)
		errmsg("run failed: PROG_TEST_RUN: %s%s%s", xbpf_errstr(err),
		       be->fault[0] ? ": " : "", be->fault);
	free(ctx);
	xbpf_be_close_fd(be, fd);
	return err;
}

/* The module gave 32 bits: fetch the upper half through a wrapper. */
static int upper_half(struct xbpf_backend *be, const struct xbpf_insn *insns,
		      __u32 cnt, const uint8_t *mem, size_t mem_len, __u32 flags, __u32 *hi)
{
	struct xbpf_insn *w = calloc((size_t)cnt + 3, sizeof(*w));
	struct xbpf_be_run r;
	int err;

	if (!w)
		return -ENOMEM;
	/* call +2 (pseudo call to the original at 3); r0 >>= 32; exit */
	w[0].code = XBPF_JMP | XBPF_CALL;
	w[0].src_reg = XBPF_PSEUDO_CALL;
	w[0].imm = 2;
	w[1].code = XBPF_ALU64 | XBPF_RSH | XBPF_K;
	w[1].dst_reg = XBPF_REG_0;
	w[1].imm = 32;
	w[2].code = XBPF_JMP | XBPF_EXIT;
	memcpy(w + 3, insns, (size_t)cnt * sizeof(*w));
	err = load_and_run(be, w, cnt + 3, mem, mem_len, flags, &r, NULL, true);
	free(w);
	if (!err)
		*hi = (__u32)r.retval;
	return err;
}

/*
 * All of r0 for one engine (flags: XBPF_F_TEST_RUN_INTERP or 0); *jited
 * says whether the module had an image for the program.
 */
static int full_r0(struct xbpf_backend *be, const struct xbpf_insn *insns, __u32 cnt,
		   const uint8_t *mem, size_t mem_len, __u32 flags, uint64_t *r0,
		   bool *jited)
{
	struct xbpf_be_run r;
	__u32 hi;
	int err;

	err = load_and_run(be, insns, cnt, mem, mem_len, flags, &r, jited, false);
	if (err)
		return err;
	*r0 = r.retval;
	if (retval32)
		*r0 = (__u32)*r0;
	if (!r.retval_64 || retval32) {
		err = upper_half(be, insns, cnt, mem, mem_len, flags, &hi);
		if (err)
			errmsg("warning: r0's upper 32 bits unavailable (%s); printing the low 32",
			       xbpf_errstr(err));
		else
			*r0 |= (uint64_t)hi << 32;
	}
	return 0;
}

static int add_words(char *arg, char ***words, int *n)
{
	char *save = NULL, *t;

	for (t = strtok_r(arg, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		char **nw = realloc(*words, (size_t)(*n + 1) * sizeof(**words));

		if (!nw)
			return -ENOMEM;
		*words = nw;
		(*words)[(*n)++] = t;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool offline = false, jit = false, interp = false, both = false, jited = false;
	struct xbpf_backend *be = NULL;
	char **words = NULL, *memhex = NULL, *text = NULL;
	uint8_t *mem = NULL, *code = NULL;
	size_t mem_len = 0, code_len = 0, memhex_len = 0;
	const struct xbpf_insn *insns;
	const char *bad;
	uint64_t r0, r0i;
	__u32 cnt;
	int i, n = 0, err, ret = EXIT_FAIL;

	for (i = 1; i < argc; i++)
		if (add_words(argv[i], &words, &n))
			goto oom;
	memhex = calloc(1, 1);
	if (!memhex)
		goto oom;
	for (i = 0; i < n; i++) {
		const char *w = words[i];

		if (!strcmp(w, "--offline")) {
			offline = true;
		} else if (!strcmp(w, "--jit")) {
			jit = true;
			interp = both = false;
		} else if (!strcmp(w, "--interpret")) {
			interp = true;
			jit = both = false;
		} else if (!strcmp(w, "--both")) {
			both = true;
			jit = interp = false;
		} else if (!strcmp(w, "--debug")) {
			debug = true;
		} else if (!strcmp(w, "--32bit-retval")) {
			retval32 = true;
		} else if (!strcmp(w, "-h") || !strcmp(w, "--help")) {
			usage(stdout);
			ret = 0;
			goto out;
		} else if (w[0] == '-') {
			errmsg("unknown option '%s' (see --help)", w);
			ret = EXIT_USAGE;
			goto out;
		} else {
			size_t l = strlen(w);
			char *nm = realloc(memhex, memhex_len + l + 1);

			if (!nm)
				goto oom;
			memhex = nm;
			memcpy(memhex + memhex_len, w, l + 1);
			memhex_len += l;
		}
	}
	if ((jit || both) && offline) {
		errmsg("--jit and --both need the module: offline only the interpreter runs");
		goto out;
	}
	err = xbpf_hex_decode(memhex, &mem, &mem_len, &bad);
	if (err == -EINVAL) {
		errmsg("memory argument is not base16 (at '%.8s')", *bad ? bad : "end");
		ret = EXIT_USAGE;
		goto out;
	}
	if (err)
		goto oom;
	if (mem_len > UINT32_MAX) {
		errmsg("memory too large");
		goto out;
	}

	text = xbpf_read_file("-", NULL);
	if (!text) {
		errmsg("reading the program from stdin: %s", xbpf_errstr(errno));
		goto out;
	}
	err = xbpf_hex_decode(text, &code, &code_len, &bad);
	if (err == -EINVAL) {
		errmsg("program on stdin is not hex bytes (at '%.8s')", *bad ? bad : "end");
		goto out;
	}
	if (err)
		goto oom;
	if (!code_len) {
		errmsg("empty program");
		goto out;
	}
	if (code_len % sizeof(struct xbpf_insn)) {
		errmsg("program is %zu bytes, not a multiple of %zu", code_len,
		       sizeof(struct xbpf_insn));
		goto out;
	}
	if (code_len / sizeof(struct xbpf_insn) > UINT32_MAX) {
		errmsg("program too large");
		goto out;
	}

	err = xbpf_backend_open(offline, &be);
	if (err) {
		if (offline)
			errmsg("cannot start the offline engine: %s", xbpf_errstr(err));
		else
			errmsg("cannot open the module's device: %s%s", xbpf_errstr(err),
			       err == -ENOENT ? " (is xbpf.ko loaded? or use --offline)" : "");
		goto out;
	}
	/* code is byte-aligned only as malloc aligns it: fine for struct xbpf_insn */
	insns = (const struct xbpf_insn *)code;
	cnt = (__u32)(code_len / sizeof(struct xbpf_insn));
	err = full_r0(be, insns, cnt, mem, mem_len,
		      interp && !offline ? XBPF_F_TEST_RUN_INTERP : 0, &r0, &jited);
	if (err)
		goto out;
	if (jit && !jited) {
		errmsg("--jit: the module did not JIT-compile the program");
		goto out;
	}
	if (both) {
		err = full_r0(be, insns, cnt, mem, mem_len, XBPF_F_TEST_RUN_INTERP, &r0i, NULL);
		if (err)
			goto out;
		if (r0 != r0i) {
			errmsg("engines differ: r0 %#" PRIx64 " from the %s, %#" PRIx64
			       " from the interpreter", r0, jited ? "JIT" : "default run", r0i);
			goto out;
		}
		/* conformance-run.sh counts these lines */
		errmsg("engines: %s", jited ? "JIT and interpreter agree" :
		       "not JIT-compiled, the interpreter ran twice");
	}
	printf("%" PRIx64 "\n", r0);
	ret = 0;
	goto out;
oom:
	errmsg("out of memory");
	ret = EXIT_FAIL;
out:
	xbpf_backend_close(be);
	free(words);
	free(memhex);
	free(mem);
	free(text);
	free(code);
	return ret;
}

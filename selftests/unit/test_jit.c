// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 JIT (jit/) against the interpreter, on the host: each image
 * is copied into an anonymous mapping that is writable, then made
 * read+exec (never both), and called with the entry ABI of jit/jit.h.
 *
 *  1. the conformance suite: every test the interpreter runs; JIT r0 must
 *     equal the interpreter's and the expected result;
 *  2. hand-written programs over every instruction class: ALU (all
 *     register pairs, so every encoding path: rcx for shifts, rax/rdx for
 *     division), division by zero and by -1, memory, atomics, jumps
 *     (long ones too), bpf-to-bpf calls, helpers (a real array map and a
 *     five-argument test helper), LD_ABS/LD_IND on an skb, stack,
 *     callee-saved registers; plus the refusals;
 *  3. tail calls through real PROG_ARRAYs of JIT-compiled programs
 *     (bpf_func = the executable copy): indirect calls in and out of
 *     range, empty and interpreted slots, 33-chains from the main
 *     program and across bpf-to-bpf calls, the retpoline thunk, rsp
 *     alignment in every frame shape, and direct sites rewritten through
 *     states C, D, B, B' and back (mprotect RW, write, R+X);
 *  4. a differential test: random programs (straight-line code, forward
 *     branches, stack, atomics, map lookups, a called subprogram),
 *     verified, run by both engines (and the same programs unverified,
 *     with no division guards); a third of them also as tail-call
 *     targets;
 *  4. hardening: the r12 encoders for AX, AX where lowerings use
 *     scratch; programs the verifier sanitizes without bypass_spec_v1/v4
 *     (compiled, the masking and zeroing stores found in the image, same
 *     results); constant blinding (no 0x5a17c0de left in the image, fresh
 *     randomness per compile, same results); sections 1 and 3 again
 *     unprivileged, blinded, and both.
 *
 * The JIT runs only where it targets (x86-64); elsewhere the test skips.
 * XBPF_JIT_SEED and XBPF_JIT_RANDOM change the random test's seed and
 * program count.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "lib/xbpf_conf.h"
#include "lib/xbpf_gen.h"
#include "jit/jit.h"
#include "jit/emit.h"
#include "verifier/env.h"
#include "maps/prog_array.h"

#if defined(__x86_64__)

/* The verifier's hidden register: r12 in the JIT. */
#define AX	XBPF_REG_AX
_Static_assert(XBPF_REG_AX == XBPF_JIT_REG_AX, "the JIT's AX is the verifier's");
/* r0-r9, then AX: the registers a test program may set (r10 is the frame). */
#define NEXT_REG(r)	((r) + 1 + ((r) == 9))

/*
 * Section 4 (hardening) reruns suites with these: verify() gives the
 * program no bypass_spec_v1/v4, pointer leaks or bpf_capable (the
 * verifier sanitizes), jit_load() compiles with constant blinding.
 */
static bool mode_unpriv, mode_blind;
static bool prog_uses_ax(const struct xbpf_prog *prog);
/* jit_load() with mode_blind: image bytes with and without blinding. */
static u64 blind_bytes, plain_bytes;
/*
 * Section 5 reruns the suites with opts.ibt (mode_ibt): endbr64 runs as
 * a nop here, so the images must behave exactly as without it.
 * jit_load() checks every image's entries (check_entries()).
 */
static bool mode_ibt;
static unsigned int entries_checked, entries_bad;

static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* ---------------------------------------------------------------------
 * Running an image
 */

struct jit_exec {
	void			*mem;
	size_t			len;
	struct xbpf_jit_out	out;
	bool			near;	/* compiled for its address, calls rel32 */
};

static unsigned int near_mapped, near_far;

static size_t page_round(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return (n + pg - 1) / pg * pg;
}

/* A mapping within rel32 reach of the library's text, if one is free. */
static void *map_near(size_t len)
{
	uintptr_t text = (uintptr_t)xbpf_jit_ld_pkt & ~(uintptr_t)0xfff;
	int k;

	for (k = 1; k <= 32; k++) {
		uintptr_t hint = text - (uintptr_t)k * (16u << 20);
		void *p = mmap((void *)hint, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p != MAP_FAILED)
			return p;
	}
	return NULL;
}

static void jit_unload(struct jit_exec *x)
{
	if (x->mem)
		munmap(x->mem, x->len);
	xbpf_jit_free(&x->out);
	memset(x, 0, sizeof(*x));
}

/*
 * The entry layout of an image compiled with or without ibt: each
 * function starts with endbr64 then nop5 (ibt), or with nop5 and no
 * endbr64 (not); the main function's tail-call landing is an endbr64
 * (ibt), or follows mov rbp,rsp directly (not).  0 or a line to report.
 */
static const char *check_entries(const struct xbpf_jit_out *out, bool ibt)
{
	u32 land = xbpf_jit_tail_call_offset(ibt), k, at;

	if (!out->nr_funcs || out->func_off[0])
		return "function 0 is not at offset 0";
	if (out->size < land + sizeof(endbr64))
		return "image shorter than the prologue";
	for (k = 0; k < out->nr_funcs; k++) {
		at = out->func_off[k];
		if (at + sizeof(endbr64) + 5 > out->size)
			return "a function entry past the image";
		if (!memcmp(out->image + at, endbr64, sizeof(endbr64)) != ibt)
			return ibt ? "a function entry without endbr64" :
				     "endbr64 at a function entry without ibt";
		if (memcmp(out->image + at + (ibt ? sizeof(endbr64) : 0), xbpf_jit_nop5, 5))
			return "no nop5 where the text_poke site belongs";
	}
	/* push rbp; mov rbp,rsp right before the landing */
	if (memcmp(out->image + land - 4, "\x55\x48\x89\xe5", 4))
		return "the landing does not follow push rbp; mov rbp,rsp";
	if (!memcmp(out->image + land, endbr64, sizeof(endbr64)) != ibt)
		return ibt ? "the tail-call landing is no endbr64" :
			     "endbr64 at the landing without ibt";
	return NULL;
}

/*
 * Compiles position-independent code, or, with near, first that (for
 * the size) and then again for a mapping near the library, which must be
 * no larger.  Returns xbpf_jit_compile()'s error, or -EIO when mapping or
 * the size rule failed.
 */
static int jit_load(const struct xbpf_prog *prog, bool near, struct jit_exec *x)
{
	struct xbpf_jit_opts o = { .blind = mode_blind, .ibt = mode_ibt };
	const char *why;
	int err;

	memset(x, 0, sizeof(*x));
	err = xbpf_jit_compile(prog, &o, &x->out);
	if (err)
		return err;
	entries_checked++;
	why = check_entries(&x->out, mode_ibt);
	if (why && entries_bad++ < 5)
		xt_diag("%s entries: %s", mode_ibt ? "ibt" : "no ibt", why);
	if (mode_blind) {
		struct xbpf_jit_out plain;

		/* the same blinding for the compile at the address */
		o.blind_seed = x->out.blind_seed;
		if (!xbpf_jit_compile(prog, NULL, &plain)) {
			blind_bytes += x->out.size;
			plain_bytes += plain.size;
			xbpf_jit_free(&plain);
		}
	}
	x->len = page_round(x->out.size);
	if (near)
		x->mem = map_near(x->len);
	if (x->mem) {
		struct xbpf_jit_out o2;

		near_mapped++;
		o.exec_addr = (uintptr_t)x->mem;
		err = xbpf_jit_compile(prog, &o, &o2);
		if (err) {
			jit_unload(x);
			return err;
		}
		if (o2.size > x->out.size) {
			xt_diag("image for %#lx is %u bytes, position-independent %u",
				(unsigned long)o.exec_addr, o2.size, x->out.size);
			xbpf_jit_free(&o2);
			jit_unload(x);
			return -EIO;
		}
		xbpf_jit_free(&x->out);
		x->out = o2;
		x->near = true;
	} else {
		if (near)
			near_far++;
		x->mem = mmap(NULL, x->len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (x->mem == MAP_FAILED) {
			x->mem = NULL;
			jit_unload(x);
			return -EIO;
		}
	}
	memcpy(x->mem, x->out.image, x->out.size);
	if (mprotect(x->mem, x->len, PROT_READ | PROT_EXEC)) {
		jit_unload(x);
		return -EIO;
	}
	return 0;
}

static u64 jit_call(const struct jit_exec *x, void *ctx, u64 r2)
{
	xbpf_jit_entry_t fn = (xbpf_jit_entry_t)x->mem;
	u64 r0;

	xbpf_rcu_read_lock();
	r0 = fn(ctx, r2);
	xbpf_rcu_read_unlock();
	return r0;
}

/*
 * Runs prog in both engines on identical copies of mem (when given) and
 * compares r0 and the memory afterwards.  0 when they agree; *jr0 gets
 * the JIT's r0.
 */
struct diff_env {
	const u8	*mem;
	u32		len;
	u64		r2;
	struct xbpf_skb	*skb;	/* LD_ABS: ctx is the skb itself */
	bool		near;
	void		(*reset)(void);	/* shared state, before each run */
};

static unsigned int passes_max, passes_total, compiles;

static int run_both(const struct xbpf_prog *prog, const struct diff_env *de, u64 *ir0,
		    u64 *jr0, char *why, size_t whylen)
{
	u8 *imem = NULL, *jmem = NULL;
	struct xbpf_skb iskb, jskb;
	struct xt_env env = { 0 };
	struct jit_exec x;
	void *jctx = NULL;
	int err;

	why[0] = '\0';
	err = jit_load(prog, de->near, &x);
	if (err) {
		snprintf(why, whylen, "jit_load: %d", err);
		return err;
	}
	compiles++;
	passes_total += x.out.passes;
	if (x.out.passes > passes_max)
		passes_max = x.out.passes;
	if (de->len) {
		imem = malloc(de->len);
		jmem = malloc(de->len);
		memcpy(imem, de->mem, de->len);
		memcpy(jmem, de->mem, de->len);
	}
	if (de->skb) {
		iskb = *de->skb;
		jskb = *de->skb;
		env.ctx = &iskb;
		env.ctx_size = XBPF_SKB_USER_SIZE;
		env.skb = &iskb;
		jctx = &jskb;
	} else {
		env.ctx = imem;
		env.ctx_size = de->len;
		jctx = jmem;
	}
	env.ctx_writable = true;
	env.r2 = de->r2;
	if (de->reset)
		de->reset();
	err = xt_run(prog, &env, ir0);
	if (err) {
		snprintf(why, whylen, "interpreter: %d at %u: %s", err, env.fault.insn,
			 env.fault.why ?: "?");
		goto out;
	}
	if (de->reset)
		de->reset();
	*jr0 = jit_call(&x, jctx, de->r2);
	if (*jr0 != *ir0) {
		snprintf(why, whylen, "r0: jit %#llx, interpreter %#llx",
			 (unsigned long long)*jr0, (unsigned long long)*ir0);
		err = -EDOM;
	} else if (de->len && memcmp(imem, jmem, de->len)) {
		snprintf(why, whylen, "memory differs after the run");
		err = -EDOM;
	} else if (de->skb && memcmp(&iskb, &jskb, sizeof(iskb))) {
		snprintf(why, whylen, "skb differs after the run");
		err = -EDOM;
	}
out:
	free(imem);
	free(jmem);
	jit_unload(&x);
	return err;
}

/* ---------------------------------------------------------------------
 * Verification
 */

#define NFDS	4
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *test_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops test_ops = { .map_from_fd = test_map_from_fd };
static char logbuf[1 << 14];

static struct xbpf_prog *verify(u32 type, const struct xbpf_insn *insns, u32 n, int *errp)
{
	struct xbpf_log log;
	struct xbpf_load_params lp = {
		.prog_type = type,
		.insns = insns,
		.insn_cnt = n,
		.caps = {
			.allow_ptr_leaks = !mode_unpriv, .bypass_spec_v1 = !mode_unpriv,
			.bypass_spec_v4 = !mode_unpriv, .bpf_capable = !mode_unpriv,
			.sys_admin = !mode_unpriv,
		},
		.log = &log,
		.ops = &test_ops,
		.check = XBPF_CHECK_STRICT,
	};
	struct xbpf_prog *prog = NULL;

	logbuf[0] = '\0';
	xbpf_log_init(&log, XBPF_LOG_STATS, (u64)(uintptr_t)logbuf, sizeof(logbuf));
	*errp = xbpf_verify(&lp, &prog);
	return *errp ? NULL : prog;
}

/* ---------------------------------------------------------------------
 * 1. The conformance suite
 */

/*
 * mode: "" (privileged, plain), or section 4's reruns: "unpriv" (the
 * verifier sanitizes; counted by comparing with a privileged verify),
 * "blind", "unpriv+blind".
 */
static void test_conformance(const char *mode)
{
	unsigned int total = 0, ran = 0, verified = 0, bad = 0, skipped = 0, sanitized = 0;
	char path[4096], why[256];
	struct conf_test t;
	FILE *f;
	int r;

	f = conf_open(NULL, path, sizeof(path));
	if (!f) {
		xt_report(false, "conformance: open %s: %s", path, strerror(errno));
		return;
	}
	while ((r = conf_next(f, &t)) > 0) {
		struct diff_env de = { .mem = t.mem, .len = t.mem_len, .r2 = t.mem_len };
		struct xbpf_prog *prog;
		u64 ir0 = 0, jr0 = 0;
		int err;

		total++;
		if (conf_skip_reason(&t)) {
			skipped++;
			conf_free(&t);
			continue;
		}
		/*
		 * The verified program where the verifier accepts it, else the
		 * program as it is (the interpreter's fast model runs it too).
		 */
		prog = verify(XBPF_PROG_TYPE_SYSCALL, t.insns, t.insn_cnt, &err);
		if (prog && prog->checked) {
			xbpf_prog_put(prog);
			prog = NULL;
		}
		if (prog) {
			verified++;
			if (mode_unpriv) {
				struct xbpf_prog *pp;

				mode_unpriv = false;
				pp = verify(XBPF_PROG_TYPE_SYSCALL, t.insns, t.insn_cnt, &err);
				mode_unpriv = true;
				sanitized += pp && pp->len != prog->len;
				if (pp)
					xbpf_prog_put(pp);
			}
		} else {
			prog = xt_prog(t.insns, t.insn_cnt, false);
		}
		ran++;
		err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
		if (!err && jr0 != t.result) {
			snprintf(why, sizeof(why), "r0 %#llx, want %#llx",
				 (unsigned long long)jr0, (unsigned long long)t.result);
			err = -EDOM;
		}
		if (err) {
			bad++;
			xt_report(false, "conformance%s%s %s # %s", mode[0] ? " " : "", mode,
				  t.name, why);
		}
		if (prog->funcs)
			xbpf_prog_put(prog);
		else
			xt_prog_free(prog);
		conf_free(&t);
	}
	fclose(f);
	xt_report(r == 0, "conformance%s%s: file parsed to the end", mode[0] ? " " : "", mode);
	xt_report(ran > 0 && !bad,
		  "conformance%s%s: %u tests, %u run by the JIT (%u verified, %u sanitized), %u skipped (callx), %u failed",
		  mode[0] ? " " : "", mode, total, ran, verified, sanitized, skipped, bad);
}

/* ---------------------------------------------------------------------
 * 2. Hand-written programs
 */

#define P(...)	(const struct xbpf_insn[]){ __VA_ARGS__ }, \
		sizeof((struct xbpf_insn[]){ __VA_ARGS__ }) / sizeof(struct xbpf_insn)

/* Runs an unverified program in both engines; r0 compared, optionally to want. */
static bool diff_raw(const struct xbpf_insn *insns, u32 n, const struct diff_env *de,
		     u64 *r0, char *why, size_t whylen)
{
	struct xbpf_prog *prog = xt_prog(insns, n, false);
	u64 ir0 = 0, jr0 = 0;
	int err;

	err = run_both(prog, de, &ir0, &jr0, why, whylen);
	xt_prog_free(prog);
	if (r0)
		*r0 = jr0;
	return !err;
}

/* check_raw() maps its images near the library (rel32 helper calls). */
static bool check_near;

static void check_raw(const char *name, const struct xbpf_insn *insns, u32 n, u64 want)
{
	static u8 mem[64];
	struct diff_env de = { .mem = mem, .len = sizeof(mem), .r2 = 64, .near = check_near };
	char why[256];
	u64 r0 = 0;
	bool ok;

	ok = diff_raw(insns, n, &de, &r0, why, sizeof(why));
	if (ok && r0 != want)
		snprintf(why, sizeof(why), "r0 %#llx, want %#llx", (unsigned long long)r0,
			 (unsigned long long)want);
	xt_report(ok && r0 == want, "%s%s%s", name, why[0] ? " # " : "", why);
}

/*
 * Ends a program: every register's final value folded into r0, through
 * the stack so that r0 itself counts too.
 */
static u32 emit_fold(struct xbpf_insn *p, u32 n)
{
	int k;

	for (k = 0; k <= AX; k = NEXT_REG(k))
		p[n++] = STX(XBPF_DW, XBPF_REG_10, k, -8 * (k + 1));
	p[n++] = MOV64_IMM(0, 0);
	for (k = 0; k <= AX; k = NEXT_REG(k)) {
		p[n++] = LDX(XBPF_DW, 1, XBPF_REG_10, -8 * (k + 1));
		p[n++] = ALU64_IMM(XBPF_MUL, 0, 1000003);
		p[n++] = ALU64_REG(XBPF_XOR, 0, 1);
	}
	p[n++] = EXIT();
	return n;
}

/* An lddw of v into reg at p[n]; returns the new n. */
static u32 put_lddw(struct xbpf_insn *p, u32 n, u8 reg, u64 v)
{
	p[n++] = (struct xbpf_insn)XBPF_INSN_INIT(XBPF_LD | XBPF_IMM | XBPF_DW, reg, 0, 0,
						   (s32)(u32)v);
	p[n++] = XI(0, 0, 0, 0, (s32)(u32)(v >> 32));
	return n;
}

/*
 * Loads every register r0-r9 and AX with a distinct value, a in rd and b
 * in rs (AX too: the JIT keeps it in r12, which the image saves).
 */
static u32 emit_init(struct xbpf_insn *p, u32 n, u8 rd, u64 a, u8 rs, u64 b)
{
	int k;

	for (k = 0; k <= AX; k = NEXT_REG(k)) {
		u64 v = 0x1111111111111111ULL * (k + 1) ^ 0x0123456789abcdefULL;

		if (k == rs)
			v = b;
		if (k == rd)
			v = a;
		n = put_lddw(p, n, k, v);
	}
	return n;
}

struct alu_op {
	const char	*name;
	u8		op;
	s16		off;
};

static const struct alu_op alu_ops[] = {
	{ "add", XBPF_ADD, 0 }, { "sub", XBPF_SUB, 0 }, { "mul", XBPF_MUL, 0 },
	{ "div", XBPF_DIV, 0 }, { "sdiv", XBPF_DIV, 1 }, { "mod", XBPF_MOD, 0 },
	{ "smod", XBPF_MOD, 1 }, { "or", XBPF_OR, 0 }, { "and", XBPF_AND, 0 },
	{ "xor", XBPF_XOR, 0 }, { "lsh", XBPF_LSH, 0 }, { "rsh", XBPF_RSH, 0 },
	{ "arsh", XBPF_ARSH, 0 }, { "mov", XBPF_MOV, 0 },
};

/*
 * Every ALU op, 32 and 64 bits: register forms over every dst/src pair
 * of r0-r9 with a few value pairs, immediate forms over every dst with
 * every value as the immediate.  Unverified: division by 0 and by -1 run
 * as written, not through the verifier's guards.
 */
static void test_alu(void)
{
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	unsigned int runs = 0, bad = 0;
	struct xbpf_insn p[128];
	char why[256];
	u32 o, w, d, s, v, n;

	for (o = 0; o < ARRAY_SIZE(alu_ops); o++) {
		for (w = 0; w < 2; w++) {
			u8 cls = w ? XBPF_ALU64 : XBPF_ALU;

			for (d = 0; d <= AX; d = NEXT_REG(d)) {
				for (s = 0; s <= AX; s = NEXT_REG(s)) {
					for (v = 0; v < 4; v++) {
						static const u32 pa[4][2] = {
							{ 13, 3 }, { 19, 0 }, { 16, 18 }, { 12, 17 },
						};

						n = emit_init(p, 0, d, xbpf_gen_vals[pa[v][0]], s, xbpf_gen_vals[pa[v][1]]);
						p[n++] = XI(cls | alu_ops[o].op | XBPF_X, d, s,
							    alu_ops[o].off, 0);
						n = emit_fold(p, n);
						runs++;
						if (!diff_raw(p, n, &de, NULL, why, sizeof(why))) {
							if (bad++ < 10)
								xt_diag("%s%d r%u, r%u (%#llx, %#llx): %s",
									alu_ops[o].name, w ? 64 : 32, d, s,
									(unsigned long long)xbpf_gen_vals[pa[v][0]],
									(unsigned long long)xbpf_gen_vals[pa[v][1]],
									why);
						}
					}
				}
				for (v = 0; v < XBPF_GEN_NVALS; v++) {
					s32 imm = (s32)(u32)xbpf_gen_vals[v];

					if (alu_ops[o].op == XBPF_LSH || alu_ops[o].op == XBPF_RSH ||
					    alu_ops[o].op == XBPF_ARSH)
						imm &= 127;	/* out-of-range counts masked too */
					n = emit_init(p, 0, d, xbpf_gen_vals[(v + 7) % XBPF_GEN_NVALS], d,
						      xbpf_gen_vals[(v + 7) % XBPF_GEN_NVALS]);
					p[n++] = XI(cls | alu_ops[o].op | XBPF_K, d, 0,
						    alu_ops[o].off, imm);
					n = emit_fold(p, n);
					runs++;
					if (!diff_raw(p, n, &de, NULL, why, sizeof(why)) && bad++ < 10)
						xt_diag("%s%d r%u, %d: %s", alu_ops[o].name,
							w ? 64 : 32, d, imm, why);
				}
			}
		}
	}
	xt_report(!bad, "alu: %u programs (every op, width, register pair), %u differ",
		  runs, bad);
}

/* neg, movsx, end/bswap over every register. */
static void test_alu_unary(void)
{
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	static const struct xbpf_insn ops[] = {
		NEG64(0), NEG32(0),
		MOVSX64(0, 0, 8), MOVSX64(0, 0, 16), MOVSX64(0, 0, 32),
		MOVSX32(0, 0, 8), MOVSX32(0, 0, 16), MOV32_REG(0, 0), MOV64_REG(0, 0),
		END(XBPF_TO_LE, 0, 16), END(XBPF_TO_LE, 0, 32), END(XBPF_TO_LE, 0, 64),
		END(XBPF_TO_BE, 0, 16), END(XBPF_TO_BE, 0, 32), END(XBPF_TO_BE, 0, 64),
		BSWAP(0, 16), BSWAP(0, 32), BSWAP(0, 64),
	};
	unsigned int runs = 0, bad = 0;
	struct xbpf_insn p[128];
	char why[256];
	u32 o, d, s, v, n;

	for (o = 0; o < ARRAY_SIZE(ops); o++)
		for (d = 0; d <= AX; d = NEXT_REG(d))
			for (s = 0; s <= AX; s = NEXT_REG(s))
				for (v = 0; v < XBPF_GEN_NVALS; v += 3) {
					n = emit_init(p, 0, s, xbpf_gen_vals[v] ^ 0x80, d == s ? s : d,
						      d == s ? xbpf_gen_vals[v] ^ 0x80 : xbpf_gen_vals[v]);
					p[n] = ops[o];
					p[n].dst_reg = d;
					p[n++].src_reg = XBPF_OP(ops[o].code) == XBPF_MOV ? s : 0;
					n = emit_fold(p, n);
					runs++;
					if (!diff_raw(p, n, &de, NULL, why, sizeof(why)) && bad++ < 10)
						xt_diag("unary %u r%u r%u: %s", o, d, s, why);
				}
	xt_report(!bad, "neg/movsx/end/bswap: %u programs, %u differ", runs, bad);
}

/* Division edge cases with known answers (raw and through the verifier). */
static void test_div_edges(void)
{
	check_raw("div64 by zero register is 0",
		  P(LDDW(1, 1234), MOV64_IMM(2, 0), ALU64_REG(XBPF_DIV, 1, 2),
		    MOV64_REG(0, 1), EXIT()), 0);
	check_raw("mod64 by zero register keeps dst",
		  P(LDDW(1, 0x123456789ULL), MOV64_IMM(2, 0), ALU64_REG(XBPF_MOD, 1, 2),
		    MOV64_REG(0, 1), EXIT()), 0x123456789ULL);
	check_raw("mod32 by zero register zero-extends dst",
		  P(LDDW(1, 0xaaaaaaaa12345678ULL), MOV64_IMM(2, 0), ALU32_REG(XBPF_MOD, 1, 2),
		    MOV64_REG(0, 1), EXIT()), 0x12345678);
	check_raw("div32 by immediate zero is 0",
		  P(LDDW(1, 0xaaaaaaaa12345678ULL), ALU32_IMM(XBPF_DIV, 1, 0),
		    MOV64_REG(0, 1), EXIT()), 0);
	check_raw("sdiv64 S64_MIN / -1 is S64_MIN",
		  P(LDDW(1, 0x8000000000000000ULL), MOV64_IMM(2, -1), SALU64_REG(XBPF_DIV, 1, 2),
		    MOV64_REG(0, 1), EXIT()), 0x8000000000000000ULL);
	check_raw("smod64 S64_MIN % -1 is 0",
		  P(LDDW(1, 0x8000000000000000ULL), MOV64_IMM(2, -1), SALU64_REG(XBPF_MOD, 1, 2),
		    MOV64_REG(0, 1), EXIT()), 0);
	check_raw("sdiv32 S32_MIN / -1 is S32_MIN, zero-extended",
		  P(LDDW(1, 0xffffffff80000000ULL), SALU32_IMM(XBPF_DIV, 1, -1),
		    MOV64_REG(0, 1), EXIT()), 0x80000000ULL);
	check_raw("sdiv64 -7 / 2 truncates toward zero",
		  P(MOV64_IMM(1, -7), SALU64_IMM(XBPF_DIV, 1, 2), MOV64_REG(0, 1), EXIT()),
		  (u64)-3);
	check_raw("smod32 -7 % 2 is -1 (32-bit, zero-extended)",
		  P(MOV64_IMM(1, -7), SALU32_IMM(XBPF_MOD, 1, 2), MOV64_REG(0, 1), EXIT()),
		  0xffffffffULL);
	check_raw("div64 rax by rdx (r0 / r3)",
		  P(MOV64_IMM(0, 100), MOV64_IMM(3, 7), ALU64_REG(XBPF_DIV, 0, 3), EXIT()), 14);
	check_raw("mod64 rdx by rax (r3 % r0)",
		  P(MOV64_IMM(0, 7), MOV64_IMM(3, 100), ALU64_REG(XBPF_MOD, 3, 0),
		    MOV64_REG(0, 3), EXIT()), 2);
	check_raw("shift r4 by itself (rcx by cl)",
		  P(MOV64_IMM(4, 3), ALU64_REG(XBPF_LSH, 4, 4), MOV64_REG(0, 4), EXIT()), 24);
	check_raw("shift r1 by r4 keeps r4",
		  P(MOV64_IMM(4, 65), MOV64_IMM(1, 1), ALU64_REG(XBPF_LSH, 1, 4),
		    ALU64_REG(XBPF_ADD, 1, 4), MOV64_REG(0, 1), EXIT()), 2 + 65);
	check_raw("32-bit shift by 0 still zero-extends",
		  P(MOV64_IMM(1, -1), MOV64_IMM(2, 0), ALU32_REG(XBPF_LSH, 1, 2),
		    MOV64_REG(0, 1), EXIT()), 0xffffffffULL);
}

/* Loads and stores: every size, every base register, small and large offsets. */
static void test_mem(void)
{
	static u8 mem[4096];
	struct diff_env de = { .mem = mem, .len = sizeof(mem), .r2 = sizeof(mem) };
	static const s16 offs[] = { 0, 1, 8, 127, 128, 1000, 4000 };
	static const u8 sizes[] = { XBPF_B, XBPF_H, XBPF_W, XBPF_DW };
	unsigned int runs = 0, bad = 0;
	struct xbpf_insn p[64];
	char why[256];
	u32 i, b, o, z, n, sx, v;

	for (i = 0; i < sizeof(mem); i++)
		mem[i] = (u8)(i * 37 + 11);
	for (b = 0; b <= AX; b = NEXT_REG(b))
		for (v = 0; v <= AX; v = NEXT_REG(v)) {
			if (v == b)
				continue;
			for (o = 0; o < ARRAY_SIZE(offs); o++)
				for (z = 0; z < 4; z++)
					for (sx = 0; sx < 4; sx++) {
						s16 off = offs[o];

						/* base = ctx + 8 (so negative offsets work too) */
						n = 0;
						p[n++] = MOV64_REG(b, 1);
						p[n++] = ALU64_IMM(XBPF_ADD, b, 8);
						if (sx == 3)
							off = (s16)(-8 + (off & 7));
						if (off > 4000)
							off = 4000;
						n = put_lddw(p, n, v, 0x8877665544332211ULL);
						switch (sx) {
						case 0:
						case 3:
							p[n++] = STX(sizes[z], b, v, off);
							p[n++] = LDX(sizes[z], v, b, off);
							break;
						case 1:
							p[n++] = ST(sizes[z], b, off, -12345);
							p[n++] = LDX(sizes[z], v, b, off);
							break;
						case 2:
							if (sizes[z] == XBPF_DW)
								continue;
							p[n++] = STX(sizes[z], b, v, off);
							p[n++] = LDXS(sizes[z], v, b, off);
							break;
						}
						p[n++] = MOV64_REG(0, v);
						p[n++] = EXIT();
						runs++;
						if (!diff_raw(p, n, &de, NULL, why, sizeof(why)) &&
						    bad++ < 10)
							xt_diag("mem base r%u val r%u off %d size %#x kind %u: %s",
								b, v, off, sizes[z], sx, why);
					}
		}
	/* r10 as the base: the stack, at the deepest offset too */
	check_raw("stack store/load at r10-512 and r10-1",
		  P(LDDW(1, 0x1122334455667788ULL), STX(XBPF_DW, 10, 1, -512),
		    ST(XBPF_B, 10, -1, 0x5a), LDX(XBPF_DW, 0, 10, -512),
		    LDX(XBPF_B, 2, 10, -1), ALU64_REG(XBPF_ADD, 0, 2), EXIT()),
		  0x1122334455667788ULL + 0x5a);
	xt_report(!bad, "memory: %u programs (sizes, bases, offsets, sign extension), %u differ",
		  runs, bad);
}

/* Atomics: every op, both sizes, over register combinations incl. r0. */
static void test_atomics(void)
{
	static u8 mem[64];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	static const s32 ops[] = {
		XBPF_ADD, XBPF_AND, XBPF_OR, XBPF_XOR,
		XBPF_ADD | XBPF_FETCH, XBPF_AND | XBPF_FETCH, XBPF_OR | XBPF_FETCH,
		XBPF_XOR | XBPF_FETCH, XBPF_XCHG, XBPF_CMPXCHG,
	};
	unsigned int runs = 0, bad = 0;
	struct xbpf_insn p[128];
	char why[256];
	u32 o, z, d, s, v, n;

	for (v = 0; v < sizeof(mem); v++)
		mem[v] = (u8)(0xa5 ^ v * 3);
	for (o = 0; o < ARRAY_SIZE(ops); o++)
		for (z = 0; z < 2; z++)
			for (d = 0; d <= AX; d = NEXT_REG(d))
				for (s = 0; s <= AX; s = NEXT_REG(s))
					for (v = 0; v < 2; v++) {
						if (s == d)
							continue;
						/* r0 would be the pointer and the comparand */
						if (d == 0 && ops[o] == XBPF_CMPXCHG)
							continue;
						n = 0;
						p[n++] = STX(XBPF_DW, 10, 1, -88);
						n = emit_init(p, n, s, xbpf_gen_vals[v ? 15 : 16], s,
							      xbpf_gen_vals[v ? 15 : 16]);
						/* d = ctx + 16 */
						p[n++] = LDX(XBPF_DW, d, 10, -88);
						p[n++] = ALU64_IMM(XBPF_ADD, d, 16);
						p[n++] = ATOMIC(z ? XBPF_DW : XBPF_W, d, s, 8, ops[o]);
						p[n++] = ATOMIC(z ? XBPF_DW : XBPF_W, d, s, -8, ops[o]);
						/* no pointer in the result: the runs' buffers differ */
						p[n++] = MOV64_IMM(d, 0);
						n = emit_fold(p, n);
						runs++;
						if (!diff_raw(p, n, &de, NULL, why, sizeof(why)) &&
						    bad++ < 10)
							xt_diag("atomic %#x size %u dst r%u src r%u: %s",
								ops[o], z ? 8 : 4, d, s, why);
					}
	check_raw("cmpxchg32 success keeps r0 zero-extended",
		  P(MOV64_IMM(2, 77), STX(XBPF_DW, 10, 2, -8), LDDW(0, 0xffffffff0000004dULL),
		    MOV64_IMM(3, 5), ATOMIC(XBPF_W, 10, 3, -8, XBPF_CMPXCHG),
		    LDX(XBPF_DW, 1, 10, -8), ALU64_IMM(XBPF_LSH, 1, 32),
		    ALU64_REG(XBPF_OR, 0, 1), EXIT()),
		  5ULL << 32 | 77);
	xt_report(!bad, "atomics: %u programs, %u differ", runs, bad);
}

/*
 * Conditional jumps over value pairs, both widths, both sources; with
 * short (a few instructions) and long (more than 127 bytes) distances,
 * forward and backward.
 */
static void test_jumps(void)
{
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	unsigned int runs = 0, bad = 0, taken = 0;
	static struct xbpf_insn p[256];
	char why[256];
	u32 o, w, x, a, b, fill, n, k;
	u64 r0;

	for (o = 0; o < XBPF_GEN_NJOPS; o++)
		for (w = 0; w < 2; w++)
			for (x = 0; x < 2; x++)
				for (a = 0; a < XBPF_GEN_NVALS; a += 2)
					for (b = 1; b < XBPF_GEN_NVALS; b += 3)
						for (fill = 0; fill < 2; fill++) {
							u32 nf = fill ? 60 : 1;
							u8 cls = w ? XBPF_JMP : XBPF_JMP32;

							n = 0;
							n = put_lddw(p, n, 3, xbpf_gen_vals[a]);
							n = put_lddw(p, n, 4, xbpf_gen_vals[b]);
							p[n++] = MOV64_IMM(0, 1);
							/* forward over nf fillers */
							p[n++] = x ? XI(cls | xbpf_gen_jops[o] | XBPF_X, 3, 4, nf + 1, 0) :
								 XI(cls | xbpf_gen_jops[o] | XBPF_K, 3, 0, nf + 1,
								    (s32)(u32)xbpf_gen_vals[b]);
							for (k = 0; k < nf; k++)
								p[n++] = ALU64_IMM(XBPF_ADD, 0, 2);
							p[n++] = JA(1);
							p[n++] = ALU64_IMM(XBPF_MUL, 0, 3);
							p[n++] = EXIT();
							runs++;
							if (!diff_raw(p, n, &de, &r0, why, sizeof(why))) {
								if (bad++ < 10)
									xt_diag("jump op %#x w%u x%u %#llx %#llx fill %u: %s",
										xbpf_gen_jops[o], w, x,
										(unsigned long long)xbpf_gen_vals[a],
										(unsigned long long)xbpf_gen_vals[b], nf, why);
							} else if (r0 == 3) {
								taken++;
							}
						}
	xt_report(!bad && taken && taken < runs,
		  "conditional jumps: %u programs (%u taken), %u differ", runs, taken, bad);

	/* a backward loop with a long body: sum 1..100 with 60 fillers */
	n = 0;
	p[n++] = MOV64_IMM(0, 0);
	p[n++] = MOV64_IMM(1, 100);
	p[n++] = MOV64_IMM(2, 0);
	for (k = 0; k < 60; k++)
		p[n++] = ALU64_IMM(XBPF_ADD, 2, 1);
	p[n++] = ALU64_REG(XBPF_ADD, 0, 1);
	p[n++] = ALU64_IMM(XBPF_SUB, 1, 1);
	p[n++] = JMP_IMM(XBPF_JNE, 1, 0, -(60 + 3));
	p[n++] = ALU64_REG(XBPF_ADD, 0, 2);
	p[n++] = EXIT();
	check_raw("backward loop over a long body (rel32 back edge)", p, n, 5050 + 6000);

	n = 0;
	p[n++] = MOV64_IMM(0, 0);
	p[n++] = JA32(200);
	for (k = 0; k < 200; k++)
		p[n++] = ALU64_IMM(XBPF_ADD, 0, 1);
	p[n++] = ALU64_IMM(XBPF_ADD, 0, 42);
	p[n++] = EXIT();
	check_raw("ja32 over 200 instructions", p, n, 42);
	check_raw("ja +0 and exit next to the epilogue",
		  P(MOV64_IMM(0, 9), JA(0), JA(0), EXIT()), 9);
}

/* bpf-to-bpf calls: arguments, return values, callee-saved registers, stacks. */
static void test_calls(void)
{
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	struct xbpf_prog *prog;
	char why[256];
	u64 ir0 = 0, jr0 = 0;
	int err;

	/* main: r6..r9 live across a call whose callee uses them too */
	check_raw("calls: r6-r9 survive, r1-r5 are arguments, r0 the result",
		  P(MOV64_IMM(6, 6), MOV64_IMM(7, 7), MOV64_IMM(8, 8), MOV64_IMM(9, 9),
		    MOV64_IMM(1, 100), MOV64_IMM(2, 20), MOV64_IMM(3, 3),
		    CALL_LOCAL(6),
		    ALU64_REG(XBPF_ADD, 0, 6), ALU64_REG(XBPF_ADD, 0, 7),
		    ALU64_REG(XBPF_ADD, 0, 8), ALU64_REG(XBPF_ADD, 0, 9),
		    ALU64_IMM(XBPF_MUL, 0, 1000),
		    EXIT(),
		    /* f(a, b, c) = a + b * c + g(b); clobbers r6-r9 */
		    MOV64_IMM(6, 1000), MOV64_IMM(7, 1000), MOV64_IMM(8, 1000),
		    MOV64_IMM(9, 1000), STX(XBPF_DW, 10, 1, -8),
		    ALU64_REG(XBPF_MUL, 2, 3), STX(XBPF_DW, 10, 2, -16),
		    MOV64_REG(1, 2), CALL_LOCAL(5),
		    LDX(XBPF_DW, 1, 10, -8), ALU64_REG(XBPF_ADD, 0, 1),
		    LDX(XBPF_DW, 1, 10, -16), ALU64_REG(XBPF_ADD, 0, 1), EXIT(),
		    /* g(x) = x * 2, with its own stack */
		    STX(XBPF_DW, 10, 1, -512), LDX(XBPF_DW, 0, 10, -512),
		    ALU64_IMM(XBPF_LSH, 0, 1), EXIT()),
		  (100 + 60 + 120 + 30) * 1000ULL);

	/* the same through the verifier: real stack depths per function */
	prog = verify(XBPF_PROG_TYPE_SYSCALL,
		      P(MOV64_IMM(6, 6), MOV64_IMM(1, 5), CALL_LOCAL(2),
			ALU64_REG(XBPF_ADD, 0, 6), EXIT(),
			/* f(n) = g(n + 1) + n, 24 bytes of stack */
			STX(XBPF_DW, 10, 1, -24), ALU64_IMM(XBPF_ADD, 1, 1), CALL_LOCAL(3),
			LDX(XBPF_DW, 1, 10, -24), ALU64_REG(XBPF_ADD, 0, 1), EXIT(),
			/* g(n) = 3 * n, 40 bytes of stack */
			STX(XBPF_DW, 10, 1, -40), LDX(XBPF_DW, 0, 10, -40),
			ALU64_IMM(XBPF_MUL, 0, 3), EXIT()), &err);
	if (!prog) {
		xt_report(false, "calls: verified calls load # %d: %s", err, logbuf);
		return;
	}
	err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
	xt_report(!err && jr0 == 18 + 5 + 6 && prog->nr_funcs == 3,
		  "calls: verified program, %u functions, stack depths %u/%u/%u, r0 %llu%s%s",
		  prog->nr_funcs, prog->funcs[0].stack_depth,
		  prog->nr_funcs > 1 ? prog->funcs[1].stack_depth : 0,
		  prog->nr_funcs > 2 ? prog->funcs[2].stack_depth : 0,
		  (unsigned long long)jr0, why[0] ? " # " : "", why);
	xbpf_prog_put(prog);
}

/* A helper of our own: every argument register matters. */
static u64 test_helper5(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1 * 1 + r2 * 3 + r3 * 5 + r4 * 7 + r5 * 11;
}

static struct xbpf_helper_proto test_proto = {
	.name = "jit_test_helper", .fn = test_helper5, .ret = XBPF_RET_INTEGER,
	.arg = { XBPF_ARG_ANYTHING, XBPF_ARG_ANYTHING, XBPF_ARG_ANYTHING,
		 XBPF_ARG_ANYTHING, XBPF_ARG_ANYTHING },
};

static void test_helpers(void)
{
	struct xbpf_map_params mp = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16,
		.max_entries = 4,
	};
	static u8 mem[8];
	struct xbpf_prog *prog;
	struct jit_exec pic, near;
	u64 ir0 = 0, jr0 = 0, val[2] = { 0 };
	u32 key = 2, id;
	bool registered;
	int err, n;

	/* a free helper id for the five-argument helper */
	for (id = 150; id < __XBPF_FUNC_MAX_ID && xbpf_helper_proto(id); id++)
		;
	test_proto.id = id;
	err = xbpf_helper_register(&test_proto, 1);
	registered = !err;
	if (err) {
		xt_report(false, "helpers: register test helper %u: %d", id, err);
	} else {
		for (n = 0; n < 2; n++) {
			check_near = n;
			check_raw(n ? "helper: five arguments, called rel32 when mapped near" :
				  "helper: five arguments, called through a register",
				  P(MOV64_IMM(1, 1), MOV64_IMM(2, 10), MOV64_IMM(3, 100),
				    MOV64_IMM(4, 1000), MOV64_IMM(5, 10000), MOV64_IMM(6, 5),
				    CALL(id), ALU64_REG(XBPF_ADD, 0, 6), EXIT()),
				  1 + 30 + 500 + 7000 + 110000 + 5);
		}
		check_near = false;
	}

	fdtab[1] = xbpf_map_create(&mp, &err);
	if (!fdtab[1]) {
		xt_report(false, "helpers: array map: %d", err);
		goto out;
	}
	/* value[0] += r (per run), returns the new value; 0 if absent */
	prog = verify(XBPF_PROG_TYPE_SYSCALL,
		      P(ST(XBPF_W, 10, -4, 2), LD_MAP_FD(1, 1), MOV64_REG(2, 10),
			ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem),
			JMP_IMM(XBPF_JNE, 0, 0, 1), EXIT(),
			MOV64_IMM(1, 7), ATOMIC(XBPF_DW, 0, 1, 0, XBPF_ADD | XBPF_FETCH),
			LDX(XBPF_DW, 2, 0, 8), ALU64_IMM(XBPF_ADD, 2, 1),
			STX(XBPF_DW, 0, 2, 8), LDX(XBPF_DW, 0, 0, 0), EXIT()), &err);
	if (!prog) {
		xt_report(false, "helpers: map program loads # %d: %s", err, logbuf);
		goto out;
	}
	/* the map is shared: the JIT's run sees the interpreter's update */
	{
		struct xt_env env = { .ctx = mem, .ctx_size = sizeof(mem) };

		err = xt_run(prog, &env, &ir0);
		if (!err)
			err = jit_load(prog, false, &pic);
		if (!err) {
			jr0 = jit_call(&pic, mem, 0);
			jit_unload(&pic);
		}
	}
	xbpf_map_lookup_user(fdtab[1], &key, val);
	xt_report(!err && ir0 == 7 && jr0 == 14 && val[0] == 14 && val[1] == 2,
		  "helpers: map lookup in a real array map (interp r0 %llu, jit r0 %llu, value %llu/%llu) # %d",
		  (unsigned long long)ir0, (unsigned long long)jr0, (unsigned long long)val[0],
		  (unsigned long long)val[1], err);

	/* near (rel32) calls make a smaller image than register calls */
	if (!jit_load(prog, false, &pic)) {
		if (!jit_load(prog, true, &near)) {
			if (near.near)
				xt_report(near.out.size < pic.out.size &&
					  jit_call(&near, NULL, 0) == 21 &&
					  jit_call(&pic, NULL, 0) == 28,
					  "helpers: rel32 image %u bytes < register-call image %u, both run",
					  near.out.size, pic.out.size);
			else
				xt_skip("no mapping within rel32 reach", "helpers: rel32 image");
			jit_unload(&near);
		}
		jit_unload(&pic);
	}
	xbpf_prog_put(prog);
out:
	if (registered)
		xbpf_helper_unregister(&test_proto, 1);
	if (fdtab[1])
		xbpf_map_put(fdtab[1]);
	fdtab[1] = NULL;
}

/*
 * A helper that returns its caller's rsp modulo 16 at the call: the
 * System V ABI wants 0, and the frame padding is what gives it.
 */
u64 jit_test_rsp_mod16(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
__asm__(".text\n"
	".globl jit_test_rsp_mod16\n"
	".type jit_test_rsp_mod16, @function\n"
	"jit_test_rsp_mod16:\n"
	"	lea 8(%rsp), %rax\n"
	"	and $15, %eax\n"
	"	ret\n"
	".size jit_test_rsp_mod16, .-jit_test_rsp_mod16\n");

static struct xbpf_helper_proto rsp_proto = {
	.name = "jit_test_rsp_mod16", .fn = jit_test_rsp_mod16, .ret = XBPF_RET_INTEGER,
};

/*
 * Every frame shape: stack depths 0..40 and 512, 0-4 callee-saved
 * registers, in the main program and a subprogram (the depths given as
 * the verifier would in prog->funcs).
 */
/*
 * Control-flow hardening (struct xbpf_jit_opts thunks), as the kernel
 * build uses it: the image runs from a mapping far from every helper, so
 * helpers are called movabs r11 + call rel32 to an indirect thunk, and
 * every return is jmp rel32 to a return thunk + int3.  Our thunks live on
 * the page after the image: jmp *r11 and a ret.  A wrong displacement
 * crashes or returns a wrong value.
 */
static void test_thunks(void)
{
	static const u8 thunks[] = { 0x41, 0xff, 0xe3, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xc3 };
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	struct xbpf_jit_opts o = { 0 };
	struct xbpf_jit_out sz, out;
	struct xbpf_prog *prog;
	u32 id, i, thunk_calls = 0, rets = 0, plain = 0;
	u8 *mem;
	u64 r0;
	s64 dist;
	int err;

	for (id = 150; id < __XBPF_FUNC_MAX_ID && xbpf_helper_proto(id); id++)
		;
	test_proto.id = id;
	err = xbpf_helper_register(&test_proto, 1);
	if (err) {
		xt_report(false, "thunks: register test helper %u: %d", id, err);
		return;
	}
	prog = xt_prog(P(MOV64_IMM(1, 1), MOV64_IMM(2, 10), MOV64_IMM(3, 100),
			  MOV64_IMM(4, 1000), MOV64_IMM(5, 10000), CALL(id),
			  MOV64_REG(1, 0), CALL_LOCAL(1), EXIT(),
			  MOV64_REG(0, 1), ALU64_IMM(XBPF_ADD, 0, 7), EXIT()), false);
	mem = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!prog || mem == MAP_FAILED) {
		xt_report(false, "thunks: setup");
		goto out;
	}
	dist = (s64)((uintptr_t)test_helper5 - (uintptr_t)mem);
	if ((dist >= S32_MIN && dist <= S32_MAX) || (dist + (s64)pg >= S32_MIN && dist + (s64)pg <= S32_MAX)) {
		xt_skip("thunks: no mapping out of rel32 reach of the helpers", "thunks");
		munmap(mem, 2 * pg);
		goto out;
	}
	o.indirect_thunk = (uintptr_t)mem + pg;
	o.return_thunk = (uintptr_t)mem + pg + 8;
	err = xbpf_jit_compile(prog, &o, &sz);
	if (!err) {
		o.exec_addr = (uintptr_t)mem;
		err = xbpf_jit_compile(prog, &o, &out);
		if (err)
			xbpf_jit_free(&sz);
	}
	if (err || out.size > sz.size || out.size > pg) {
		xt_report(false, "thunks: compile %d, sizes %u/%u", err, err ? 0 : out.size,
			  err ? 0 : sz.size);
		if (!err) {
			xbpf_jit_free(&out);
			xbpf_jit_free(&sz);
		}
		munmap(mem, 2 * pg);
		goto out;
	}
	/* decode our own branches: e8/e9 rel32 to a thunk, no call *r11 or ret */
	for (i = 0; i + 5 <= out.size; i++) {
		s32 rel;
		u64 to;

		memcpy(&rel, out.image + i + 1, sizeof(rel));	/* x86: little-endian */
		to = (uintptr_t)mem + i + 5 + (s64)rel;

		if (out.image[i] == 0xe8 && to == o.indirect_thunk)
			thunk_calls++;
		if (out.image[i] == 0xe9 && to == o.return_thunk && out.image[i + 5] == 0xcc)
			rets++;
	}
	for (i = 0; i + 3 <= out.size; i++)
		plain += out.image[i] == 0x41 && out.image[i + 1] == 0xff &&
			 out.image[i + 2] == 0xd3;
	plain += out.image[out.size - 1] == 0xc3;
	xt_report(thunk_calls >= 1 && rets >= 2 && !plain && sz.size == out.size,
		  "thunks: %u thunk calls, %u thunk returns, %u plain, %u bytes (sizing %u)",
		  thunk_calls, rets, plain, out.size, sz.size);
	memcpy(mem, out.image, out.size);
	memcpy(mem + pg, thunks, sizeof(thunks));
	if (mprotect(mem, 2 * pg, PROT_READ | PROT_EXEC)) {
		xt_report(false, "thunks: mprotect");
	} else {
		xbpf_rcu_read_lock();
		r0 = ((xbpf_jit_entry_t)(void *)mem)(NULL, 0);
		xbpf_rcu_read_unlock();
		xt_report(r0 == 1 + 30 + 500 + 7000 + 110000 + 7,
			  "thunks: the image runs through them: r0 %llu", (unsigned long long)r0);
	}
	xbpf_jit_free(&out);
	xbpf_jit_free(&sz);
	munmap(mem, 2 * pg);
out:
	if (prog)
		xt_prog_free(prog);
	xbpf_helper_unregister(&test_proto, 1);
}

static void test_alignment(void)
{
	static const u32 depths[] = { 0, 8, 16, 24, 40, 512 };
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	unsigned int runs = 0, bad = 0;
	struct xbpf_insn p[32];
	char why[256];
	u32 id, d, n, k, len, sub;
	u64 ir0, jr0;

	for (id = 160; id < __XBPF_FUNC_MAX_ID && xbpf_helper_proto(id); id++)
		;
	rsp_proto.id = id;
	if (xbpf_helper_register(&rsp_proto, 1)) {
		xt_report(false, "alignment: register helper %u", id);
		return;
	}
	for (d = 0; d < ARRAY_SIZE(depths); d++)
		for (n = 0; n <= 4; n++) {
			struct xbpf_prog *prog;

			len = 0;
			for (k = 0; k < n; k++)
				p[len++] = MOV64_IMM(6 + k, k);
			p[len++] = CALL(id);
			p[len++] = JMP_IMM(XBPF_JNE, 0, 0, 2);
			p[len++] = CALL_LOCAL(1);
			p[len++] = ALU64_IMM(XBPF_ADD, 0, 0);
			p[len++] = EXIT();
			sub = len;
			for (k = 0; k < 4 - n; k++)
				p[len++] = MOV64_IMM(6 + k, k);
			p[len++] = CALL(id);
			p[len++] = EXIT();
			/* JNE skips the call and the add to the exit */
			p[sub - 4].off = 2;
			p[sub - 3].imm = (s32)(sub - (sub - 3) - 1);
			prog = xt_prog(p, len, false);
			prog->funcs = calloc(2, sizeof(*prog->funcs));
			prog->nr_funcs = 2;
			prog->funcs[0].stack_depth = depths[d];
			prog->funcs[1].start = sub;
			prog->funcs[1].stack_depth = depths[(d + 3) % ARRAY_SIZE(depths)];
			runs++;
			if (run_both(prog, &de, &ir0, &jr0, why, sizeof(why)) && bad++ < 5)
				xt_diag("alignment depth %u pushes %u: %s", depths[d], n, why);
			xt_prog_free(prog);
		}
	xbpf_helper_unregister(&rsp_proto, 1);
	xt_report(runs && !bad, "alignment: rsp 16-byte aligned at helper calls in %u frame shapes, %u not",
		  runs, bad);
}

/* LD_ABS/LD_IND on a real skb; failures leave the function with r0 = 0. */
static void test_ld_abs(void)
{
	u8 frame[80];
	struct xbpf_skb skb;
	struct diff_env de = { .skb = &skb };
	struct xbpf_prog *prog;
	char why[256];
	u64 ir0 = 0, jr0 = 0;
	int err, i, k;

	memset(frame, 0, sizeof(frame));
	frame[12] = 0x08;	/* IPv4 */
	frame[14] = 0x45;
	for (i = 15; i < (int)sizeof(frame); i++)
		frame[i] = (u8)(i * 7);
	if (xbpf_skb_init(&skb, frame, sizeof(frame), NULL)) {
		xt_report(false, "ld_abs: skb init");
		return;
	}
	/* verified: a socket filter summing packet loads of each size and mode */
	for (k = -3; k < 72; k += 5) {
		prog = verify(XBPF_PROG_TYPE_SOCKET_FILTER,
			      P(MOV64_REG(6, 1), MOV64_IMM(7, 0), MOV64_IMM(8, k),
				LD_ABS(XBPF_B, 0), ALU64_REG(XBPF_ADD, 7, 0),
				LD_ABS(XBPF_H, 2), ALU64_REG(XBPF_ADD, 7, 0),
				LD_ABS(XBPF_W, 4), ALU64_REG(XBPF_ADD, 7, 0),
				LD_ABS(XBPF_W, -0x100000 + 8), ALU64_REG(XBPF_ADD, 7, 0),
				LD_ABS(XBPF_H, -0x200000 + 12), ALU64_REG(XBPF_ADD, 7, 0),
				LD_IND(XBPF_B, 8, 0), ALU64_REG(XBPF_ADD, 7, 0),
				LD_IND(XBPF_H, 8, 1), ALU64_REG(XBPF_ADD, 7, 0),
				LD_IND(XBPF_W, 8, -2), ALU64_REG(XBPF_ADD, 7, 0),
				MOV64_REG(0, 7), EXIT()), &err);
		if (!prog) {
			xt_report(false, "ld_abs: program loads # %d: %s", err, logbuf);
			return;
		}
		err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
		xt_report(!err, "ld_abs/ld_ind (verified) at k %d: r0 %#llx%s%s", k,
			  (unsigned long long)jr0, why[0] ? " # " : "", why);
		/* near: xbpf_jit_ld_pkt is called rel32, with pops after the call */
		de.near = true;
		err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
		de.near = false;
		xt_report(!err, "ld_abs/ld_ind (verified, near) at k %d: r0 %#llx%s%s", k,
			  (unsigned long long)jr0, why[0] ? " # " : "", why);
		xbpf_prog_put(prog);
	}
	/*
	 * Unverified: an out-of-bounds load in a subprogram returns 0 to its
	 * caller, which goes on (the interpreter's "leaves the function").
	 */
	{
		static const struct xbpf_insn sub[] = {
			MOV64_REG(6, 1), CALL_LOCAL(3), ALU64_IMM(XBPF_ADD, 0, 100),
			EXIT(), EXIT(),
			LD_ABS(XBPF_W, 1000), MOV64_IMM(0, 55), EXIT(),
		};
		struct xbpf_prog *p = xt_prog(sub, ARRAY_SIZE(sub), false);

		err = run_both(p, &de, &ir0, &jr0, why, sizeof(why));
		xt_report(!err && jr0 == 100,
			  "ld_abs: failing load in a subprogram returns 0 from it only (r0 %llu)%s%s",
			  (unsigned long long)jr0, why[0] ? " # " : "", why);
		xt_prog_free(p);
	}
}

/* What the JIT refuses, and cleanly. */
static void test_refusals(void)
{
	struct xbpf_jit_opts one_pass = { .max_passes = 1 };
	struct xbpf_jit_out out;
	struct xbpf_prog *prog;
	int err;

	prog = xt_prog(P(MOV64_IMM(0, 0), CALL(XBPF_FUNC_tail_call), EXIT()), false);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(!err && out.image && !out.nr_pokes,
		  "compiles bpf_tail_call (indirect, no verifier marks): %d", err);
	xbpf_jit_free(&out);
	xt_prog_free(prog);

	prog = xt_prog(P(MOV64_IMM(0, 0), EXIT()), true);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(err == -EOPNOTSUPP, "refuses a checked program: %d", err);
	prog->checked = false;
	err = xbpf_jit_compile(prog, &one_pass, &out);
	xt_report(err == -ERANGE && !out.image,
		  "no convergence within max_passes: -ERANGE, nothing allocated (%d)", err);
	err = xbpf_jit_compile(prog, NULL, &out);
	/* pass 1: a long jmp to the epilogue; 2: none (it is next); 3: agrees */
	xt_report(!err && out.passes == 3 && out.nr_funcs == 1 && !out.func_off[0],
		  "mov+exit converges in 3 passes (%u), 1 function", out.passes);
	if (!err && out.size > 7)
		xt_report(!memcmp(out.image, "\x0f\x1f\x44\x00\x00\x31\xc0", 7),
			  "prologue starts with nop5 and xor eax,eax");
	xbpf_jit_free(&out);
	xt_prog_free(prog);

	prog = xt_prog(P(MOV64_IMM(0, 0), XI(0xff, 0, 0, 0, 0), EXIT()), false);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(err == -EINVAL, "refuses an unknown opcode: %d", err);
	xt_prog_free(prog);

	prog = xt_prog(P(MOV64_IMM(0, 0), JA(5), EXIT()), false);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(err == -EINVAL, "refuses a jump out of the program: %d", err);
	xt_prog_free(prog);

	prog = xt_prog(P(MOV64_IMM(0, 0), CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 1),
			 JA(-4), EXIT()), false);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(err == -EINVAL, "refuses a jump into another function: %d", err);
	xt_prog_free(prog);

	prog = xt_prog(P(MOV64_IMM(0, 0), CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 1)), false);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(err == -EINVAL, "refuses a function that falls off its end: %d", err);
	xt_prog_free(prog);

	prog = xt_prog(P(MOV64_IMM(0, 0), CALL(0x7fff), EXIT()), false);
	err = xbpf_jit_compile(prog, NULL, &out);
	xt_report(err == -EINVAL, "refuses an unknown helper: %d", err);
	xt_prog_free(prog);
}

/* ---------------------------------------------------------------------
 * Tail calls: real PROG_ARRAYs of JIT-compiled programs
 *
 * Every program counts its runs in ctx[0] (a SYSCALL context of two u64,
 * ctx[1] the index the indirect calls use), so a chain's length shows in
 * memory and in r0.  Entries' bpf_func is their executable copy.
 */

#define TC_PAFD		2
#define TC_MAX		4		/* the array's max_entries */
#define TC_RUNS		(1 + XBPF_MAX_TAIL_CALL_CNT)	/* programs a full chain runs */

static struct xbpf_map *tc_pa;
static struct xbpf_prog *tc_fdprog;

static struct xbpf_prog *tc_prog_from_fd(void *priv, u32 fd, int *err)
{
	xbpf_prog_get(tc_fdprog);
	return tc_fdprog;
}

static int tc_set(u32 key, struct xbpf_prog *p)
{
	u32 fd = 0;

	tc_fdprog = p;
	return xbpf_prog_array_update(tc_pa, &key, &fd, XBPF_ANY, tc_prog_from_fd, NULL);
}

/*
 * An interpreted program into a slot of JIT programs: the owner rule
 * refuses that at update (maps/prog_array.c), so it is written directly,
 * to test the JIT's own defense (a slot without bpf_func falls through).
 * The array's reference: delete puts it.
 */
static void tc_set_raw(u32 key, struct xbpf_prog *p)
{
	struct xbpf_prog_array *pa = container_of(tc_pa, struct xbpf_prog_array, map);

	xbpf_prog_get(p);
	xbpf_prog_put(pa->progs[key]);
	pa->progs[key] = p;
}

static void tc_clear(void)
{
	u32 key;

	for (key = 0; key < TC_MAX; key++)
		tc_pa->ops->delete(tc_pa, &key);
}

static bool tc_jit(struct xbpf_prog *p, struct jit_exec *x, bool near)
{
	int err = jit_load(p, near, x);

	if (err) {
		xt_diag("tail calls: jit_load %d", err);
		return false;
	}
	p->bpf_func = x->mem;
	return true;
}

struct tc_res {
	int	ierr;		/* interpreter's error */
	u64	ir0, jr0;
	u64	icnt, jcnt;	/* ctx[0] after the run: programs run */
};

static struct tc_res tc_run(const struct xbpf_prog *p, const struct jit_exec *x, u64 idx)
{
	u64 ic[2] = { 0, idx }, jc[2] = { 0, idx };
	struct xt_env env = { .ctx = ic, .ctx_size = sizeof(ic), .ctx_writable = true,
			      .r2 = sizeof(ic) };
	struct tc_res r = { 0 };

	r.ierr = xt_run(p, &env, &r.ir0);
	r.jr0 = jit_call(x, jc, sizeof(jc));
	r.icnt = ic[0];
	r.jcnt = jc[0];
	return r;
}

/* Both engines agree, and on these. */
static void tc_check(const char *name, const struct xbpf_prog *p, const struct jit_exec *x,
		     u64 idx, u64 want_cnt, u64 want_r0)
{
	struct tc_res r = tc_run(p, x, idx);

	xt_report(!r.ierr && r.jcnt == want_cnt && r.jr0 == want_r0 && r.icnt == r.jcnt &&
		  r.ir0 == r.jr0,
		  "tail calls: %s: jit %llu runs r0 %llu, interpreter %llu runs r0 %llu (%d), want %llu/%llu",
		  name, (unsigned long long)r.jcnt, (unsigned long long)r.jr0,
		  (unsigned long long)r.icnt, (unsigned long long)r.ir0, r.ierr,
		  (unsigned long long)want_cnt, (unsigned long long)want_r0);
}

/* ctx[0] += 1, leaving r6 = ctx */
#define TC_COUNT	MOV64_REG(6, 1), LDX(XBPF_DW, 0, 6, 0), ALU64_IMM(XBPF_ADD, 0, 1), \
			STX(XBPF_DW, 6, 0, 0)
/* bpf_tail_call(ctx, array, ctx[1]) through the verifier's fd, or the address */
#define TC_TAIL_IDX	MOV64_REG(1, 6), LD_MAP_FD(2, TC_PAFD), LDX(XBPF_DW, 3, 6, 8), \
			CALL(XBPF_FUNC_tail_call)
#define TC_TAIL_K(k)	MOV64_REG(1, 6), LD_MAP_FD(2, TC_PAFD), MOV64_IMM(3, k), \
			CALL(XBPF_FUNC_tail_call)
#define TC_HTAIL_IDX	MOV64_REG(1, 6), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)tc_pa), \
			LDX(XBPF_DW, 3, 6, 8), CALL(XBPF_FUNC_tail_call)
#define TC_HTAIL_K(k)	MOV64_REG(1, 6), LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)tc_pa), \
			MOV64_IMM(3, k), CALL(XBPF_FUNC_tail_call)
/* r0 = ctx[0] + k; exit */
#define TC_RET(k)	LDX(XBPF_DW, 0, 6, 0), ALU64_IMM(XBPF_ADD, 0, k), EXIT()

static struct xbpf_prog *tc_verify(const struct xbpf_insn *insns, u32 n, const char *what)
{
	int err;
	struct xbpf_prog *p = verify(XBPF_PROG_TYPE_SYSCALL, insns, n, &err);

	if (!p || p->checked) {
		xt_report(false, "tail calls: %s loads proved # %d %s", what, err, logbuf);
		if (p)
			xbpf_prog_put(p);
		return NULL;
	}
	return p;
}

/* Indirect calls: in range, out of range, empty, no entry; chains of 33. */
static void test_tail_indirect(void)
{
	struct xbpf_prog *c, *t, *t_interp;
	struct jit_exec xc, xt;
	struct tc_res r;

	c = tc_verify(P(TC_COUNT, TC_TAIL_IDX, TC_RET(0)), "counter");
	t = tc_verify(P(TC_COUNT, TC_RET(1000)), "target");
	t_interp = tc_verify(P(TC_COUNT, TC_RET(2000)), "interpreted target");
	if (!c || !t || !t_interp)
		goto out;
	xt_report(!c->nr_tail_sites && c->funcs[0].has_tail_call && !t->funcs[0].tail_call_reachable,
		  "tail calls: an index from memory is no direct site; marks as expected");
	if (!tc_jit(c, &xc, false))
		goto out;
	if (!tc_jit(t, &xt, true)) {
		jit_unload(&xc);
		goto out;
	}
	tc_set(0, t);
	tc_check("index 0 runs the target", c, &xc, 0, 2, 1002);
	tc_check("empty slot 1 falls through", c, &xc, 1, 1, 1);
	tc_check("index 4 = max_entries falls through", c, &xc, TC_MAX, 1, 1);
	tc_check("index 0xffffffff falls through", c, &xc, 0xffffffffULL, 1, 1);
	tc_check("index 1 << 32 is u32 0: the target", c, &xc, 1ULL << 32, 2, 1002);
	/* an interpreted program in the slot: no entry, the JIT falls through */
	xt_report(tc_set(3, t_interp) == -EINVAL, "tail calls: the owner rule refuses an interpreted program");
	tc_set_raw(3, t_interp);
	r = tc_run(c, &xc, 3);
	xt_report(r.jcnt == 1 && r.jr0 == 1 && !r.ierr && r.icnt == 2 && r.ir0 == 2002,
		  "tail calls: a slot without bpf_func: the JIT falls through (%llu), the interpreter runs it (%llu)",
		  (unsigned long long)r.jr0, (unsigned long long)r.ir0);
	/* the chain: c calls itself until the count stops it */
	tc_set(0, c);
	tc_check("a self chain runs 1 + 33 programs", c, &xc, 0, TC_RUNS, TC_RUNS);
	tc_clear();
	tc_check("after clearing the array: one run", c, &xc, 0, 1, 1);
	jit_unload(&xc);
	jit_unload(&xt);
out:
	tc_clear();
	if (c)
		xbpf_prog_put(c);
	if (t)
		xbpf_prog_put(t);
	if (t_interp)
		xbpf_prog_put(t_interp);
}

/* A hand-built program (no verifier marks: every function carries the count). */
static struct xbpf_prog *tc_hand(const struct xbpf_insn *insns, u32 n)
{
	return xt_prog(insns, n, false);
}

/*
 * bpf-to-bpf calls mixed with tail calls: the count goes down through
 * calls and is never reset by a subprogram.
 */
static void test_tail_subprog(void)
{
	struct xbpf_prog *q, *m, *m20, *rec, *fan;
	struct jit_exec xq, xm, xm20, xrec, xfan;
	struct xbpf_jit_out out;
	struct tc_res r;
	int err;

	/* q: count, tail call ctx[1], return the count */
	q = tc_hand(P(TC_COUNT, TC_HTAIL_IDX, TC_RET(0)));
	/* m: count, call sub (which tail-calls ctx[1]), return count + 1000 */
	m = tc_hand(P(TC_COUNT, MOV64_REG(1, 6), CALL_LOCAL(3), TC_RET(1000),
		      MOV64_REG(6, 1), TC_HTAIL_IDX, TC_RET(500)));
	/* m20: self tail calls (slot 1) while the count is below 20, then as m */
	m20 = tc_hand(P(TC_COUNT, JMP_IMM(XBPF_JGE, 0, 20, 5), TC_HTAIL_K(1),
			MOV64_REG(1, 6), CALL_LOCAL(3), TC_RET(1000),
			MOV64_REG(6, 1), TC_HTAIL_IDX, TC_RET(500)));
	/* rec: count, call sub, which tail-calls slot 2 (rec itself) */
	rec = tc_hand(P(TC_COUNT, MOV64_REG(1, 6), CALL_LOCAL(3), TC_RET(1000),
			MOV64_REG(6, 1), TC_HTAIL_K(2), TC_RET(500)));
	/* fan: calls the tail-calling sub twice */
	fan = tc_hand(P(TC_COUNT, MOV64_REG(1, 6), CALL_LOCAL(5), MOV64_REG(1, 6),
			CALL_LOCAL(3), TC_RET(1000),
			MOV64_REG(6, 1), TC_HTAIL_IDX, TC_RET(500)));
	if (!tc_jit(q, &xq, false) || !tc_jit(m, &xm, true) || !tc_jit(m20, &xm20, false) ||
	    !tc_jit(rec, &xrec, true) || !tc_jit(fan, &xfan, false)) {
		xt_report(false, "tail calls: hand-built programs compile");
		return;
	}
	tc_set(0, q);
	tc_check("main -> sub -> tail chain: 1 + 33 runs, back in main", m, &xm, 0, TC_RUNS,
		 TC_RUNS + 1000);
	tc_set(1, m20);
	tc_check("20 runs in main's chain, 14 more below its sub: the count goes down",
		 m20, &xm20, 0, TC_RUNS, TC_RUNS + 1000);
	tc_check("a sub whose slot is empty returns to main", m, &xm, 3, 1, 1001);

	/*
	 * rec's sub tail-calls rec, whose main calls the sub again: 33 nested
	 * frames.  The JIT (as Linux 6.1's) stops at the count; the
	 * interpreter's frame table (XBPF_MAX_CALL_FRAMES) ends the run first.
	 */
	tc_set(2, rec);
	r = tc_run(rec, &xrec, 0);
	xt_report(r.jcnt == TC_RUNS && r.jr0 == TC_RUNS + 1000,
		  "tail calls: a sub tail-calling its own program ends after 33 (%llu runs, r0 %llu)",
		  (unsigned long long)r.jcnt, (unsigned long long)r.jr0);
	xt_diag("  the interpreter: %d after %llu runs (frame limit %u)", r.ierr,
		(unsigned long long)r.icnt, XBPF_MAX_CALL_FRAMES);

	/* two calls of a sub that exhausts the count: each starts from main's */
	r = tc_run(fan, &xfan, 0);
	xt_report(r.jcnt == 1 + 2 * XBPF_MAX_TAIL_CALL_CNT && r.jcnt == r.icnt && r.jr0 == r.ir0 &&
		  !r.ierr,
		  "tail calls: a sub called twice tail-calls 33 times each: jit %llu, interpreter %llu (%d)",
		  (unsigned long long)r.jcnt, (unsigned long long)r.icnt, r.ierr);

	/* the verifier's marks, set by hand: the JIT requires them on a tail call */
	m->funcs = xbpf_kvzalloc(2 * sizeof(*m->funcs));
	m->nr_funcs = 2;
	m->funcs[1].start = 9;
	m->funcs[0].stack_depth = 0;
	m->funcs[1].stack_depth = 8;
	err = xbpf_jit_compile(m, NULL, &out);
	xt_report(err == -EINVAL, "tail calls: a tail call in a function not marked: -EINVAL (%d)", err);
	m->funcs[1].has_tail_call = true;
	err = xbpf_jit_compile(m, NULL, &out);
	xt_report(err == -EINVAL, "tail calls: a call to a marked function from an unmarked one: -EINVAL (%d)",
		  err);
	m->funcs[0].tail_call_reachable = true;
	m->funcs[1].tail_call_reachable = true;
	jit_unload(&xm);
	m->bpf_func = NULL;
	if (tc_jit(m, &xm, false))
		tc_check("the same with the verifier's marks and depths", m, &xm, 0, TC_RUNS,
			 TC_RUNS + 1000);

	tc_clear();
	jit_unload(&xq);
	jit_unload(&xm);
	jit_unload(&xm20);
	jit_unload(&xrec);
	jit_unload(&xfan);
	xt_prog_free(q);
	xt_prog_free(m);
	xt_prog_free(m20);
	xt_prog_free(rec);
	xt_prog_free(fan);
}

/* ---- direct sites: the state machine simulated on the executable copy ---- */

enum { TC_A, TC_B, TC_C, TC_D, TC_BAD };

/* Which state the site's bytes are in (B and D: target is some jmp). */
static int tc_state_of(const u8 *img, u64 addr, const struct xbpf_jit_poke *p)
{
	u8 skip[5];
	bool nop_b, skip_b, nop_t, jmp_t;

	xbpf_jit_jmp32(skip, addr + p->bypass_off, addr + p->skip_off);
	nop_b = !memcmp(img + p->bypass_off, xbpf_jit_nop5, 5);
	skip_b = !memcmp(img + p->bypass_off, skip, 5);
	nop_t = !memcmp(img + p->target_off, xbpf_jit_nop5, 5);
	jmp_t = img[p->target_off] == 0xe9;
	if (nop_b && nop_t)
		return TC_A;
	if (nop_b && jmp_t)
		return TC_B;
	if (skip_b && nop_t)
		return TC_C;
	if (skip_b && jmp_t)
		return TC_D;
	return TC_BAD;
}

/*
 * Applies one step to the executable copy: RW, check the old bytes, write,
 * back to R+X (never writable and executable at once).
 */
static bool tc_apply(struct jit_exec *x, const struct xbpf_jit_poke_step *s)
{
	u8 *at = (u8 *)x->mem + s->off;
	bool ok;

	if (mprotect(x->mem, x->len, PROT_READ | PROT_WRITE))
		return false;
	ok = !memcmp(at, s->old, 5);
	if (ok)
		memcpy(at, s->new, 5);
	return !mprotect(x->mem, x->len, PROT_READ | PROT_EXEC) && ok;
}

/* Every plan between empty, f1 and f2, on a byte model: never state A. */
static void test_tail_plan_never_a(const struct xbpf_jit_poke *p, const u8 *img0, u32 size)
{
	const u64 addr = 0x7f0000100000ULL, funcs[3] = { 0, 0x7f0000200000ULL, 0x7f0000300000ULL };
	struct xbpf_jit_poke_step st[2];
	u8 *img = malloc(size);
	u32 a, b, k, n, states = 0, bad = 0;

	for (a = 0; a < 3; a++) {
		for (b = 0; b < 3; b++) {
			memcpy(img, img0, size);
			/* first reach slot a from the emitted state C */
			n = xbpf_jit_poke_plan(p, addr, 0, funcs[a], mode_ibt, st);
			for (k = 0; k < n; k++)
				memcpy(img + st[k].off, st[k].new, 5);
			n = xbpf_jit_poke_plan(p, addr, funcs[a], funcs[b], mode_ibt, st);
			for (k = 0; k < n; k++) {
				int s;

				bad += !!memcmp(img + st[k].off, st[k].old, 5);
				memcpy(img + st[k].off, st[k].new, 5);
				s = tc_state_of(img, addr, p);
				states++;
				bad += s == TC_A || s == TC_BAD;
				/* the target write of a removal waits for a grace period */
				bad += st[k].sync_before != (funcs[a] && !funcs[b] && k == 1);
			}
			k = tc_state_of(img, addr, p);
			bad += funcs[b] ? k != TC_B : k != TC_C;
		}
	}
	free(img);
	/* 0->f: 2 writes, f->f': 1, f->0: 2 (two of each), 0->0: none */
	xt_report(!bad && states == 4 + 4 + 4,
		  "tail calls: poke plans between empty, f and f' pass %u states, none A (%u bad)",
		  states, bad);
}

/* One direct site, run in each state the owner can put it in. */
static void test_tail_direct(void)
{
	struct xbpf_prog *cd, *t;
	struct jit_exec xcd, xt;
	struct xbpf_jit_poke_step st[2];
	const struct xbpf_jit_poke *p;
	u64 addr, fself, ft;
	u8 *img;
	u32 n, k;
	bool ok;

	cd = tc_verify(P(TC_COUNT, TC_TAIL_K(0), TC_RET(0)), "direct counter");
	t = tc_verify(P(TC_COUNT, TC_RET(1000)), "target");
	if (!cd || !t)
		goto out;
	xt_report(cd->nr_tail_sites == 1 && cd->tail_sites[0].key == 0 &&
		  cd->tail_sites[0].map == tc_pa,
		  "tail calls: a constant key is a direct site (%u)", cd->nr_tail_sites);
	if (!tc_jit(cd, &xcd, true))
		goto out;
	if (!tc_jit(t, &xt, true)) {
		jit_unload(&xcd);
		goto out;
	}
	/* a direct jump is rel32: the images must be near each other (module space in the kernel) */
	if (!xcd.near || !xt.near) {
		xt_skip("no mapping near the library", "tail calls: direct sites");
		jit_unload(&xcd);
		jit_unload(&xt);
		goto out;
	}
	p = &xcd.out.pokes[0];
	addr = (uintptr_t)xcd.mem;
	img = xcd.mem;
	xt_report(xcd.out.nr_pokes == 1 && p->site == 0 && p->bypass_off < p->target_off &&
		  p->target_off + 5 == p->skip_off && p->skip_off < xcd.out.size &&
		  tc_state_of(img, addr, p) == TC_C,
		  "tail calls: one poke record, emitted in state C (bypass %u, target %u, skip %u)",
		  p->bypass_off, p->target_off, p->skip_off);
	test_tail_plan_never_a(p, xcd.out.image, xcd.out.size);

	fself = (uintptr_t)cd->bpf_func;
	ft = (uintptr_t)t->bpf_func;
	/* C with an empty slot: both engines fall through */
	tc_check("direct, state C, empty slot", cd, &xcd, 0, 1, 1);
	/* install cd itself: C -> D (still falls through) -> B */
	tc_set(0, cd);
	n = xbpf_jit_poke_plan(p, addr, 0, fself, mode_ibt, st);
	ok = n == 2 && tc_apply(&xcd, &st[0]) && tc_state_of(img, addr, p) == TC_D;
	if (ok) {
		struct tc_res r = tc_run(cd, &xcd, 0);

		xt_report(r.jcnt == 1 && r.jr0 == 1,
			  "tail calls: direct, state D falls through (bypass still jumps): %llu",
			  (unsigned long long)r.jr0);
	}
	ok = ok && tc_apply(&xcd, &st[1]) && tc_state_of(img, addr, p) == TC_B;
	xt_report(ok, "tail calls: direct, C -> D -> B written");
	if (ok) {
		u32 land = xbpf_jit_tail_call_offset(mode_ibt);
		u64 dest;
		s32 rel;

		/* where the patched jmp goes: the landing, an endbr64 with ibt */
		memcpy(&rel, img + p->target_off + 1, sizeof(rel));
		dest = addr + p->target_off + 5 + (s64)rel;
		xt_report(dest == fself + land &&
			  !memcmp((const u8 *)(uintptr_t)dest, endbr64, 4) == mode_ibt,
			  "tail calls: direct%s, the site jumps to bpf_func + %u (%s)",
			  mode_ibt ? " (ibt)" : "", land, mode_ibt ? "an endbr64" : "no endbr64");
	}
	if (ok)
		tc_check("direct, state B, a self chain", cd, &xcd, 0, TC_RUNS, TC_RUNS);
	/* B -> B': the other program */
	tc_set(0, t);
	n = xbpf_jit_poke_plan(p, addr, fself, ft, mode_ibt, st);
	ok = ok && n == 1 && tc_apply(&xcd, &st[0]) && tc_state_of(img, addr, p) == TC_B;
	if (ok)
		tc_check("direct, state B', the target's result", cd, &xcd, 0, 2, 1002);
	/* removal: B -> D -> (grace period) -> C */
	tc_clear();
	n = xbpf_jit_poke_plan(p, addr, ft, 0, mode_ibt, st);
	ok = ok && n == 2 && !st[0].sync_before && st[1].sync_before;
	for (k = 0; ok && k < n; k++) {
		ok = tc_apply(&xcd, &st[k]);
		if (ok)
			tc_check(k ? "direct, removed: state C" : "direct, removing: state D",
				 cd, &xcd, 0, 1, 1);
	}
	xt_report(ok && tc_state_of(img, addr, p) == TC_C &&
		  !memcmp(img + p->bypass_off, xcd.out.image + p->bypass_off, 5) &&
		  !memcmp(img + p->target_off, xcd.out.image + p->target_off, 5),
		  "tail calls: direct, after removal the site has its emitted bytes");
	jit_unload(&xcd);
	jit_unload(&xt);
out:
	tc_clear();
	if (cd)
		xbpf_prog_put(cd);
	if (t)
		xbpf_prog_put(t);
}

/* The kernel's hardening: the indirect tail call jumps through the retpoline thunk. */
static void test_tail_thunks(void)
{
	static const u8 thunks[] = { 0x41, 0xff, 0xe3, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xc3 };
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	struct xbpf_jit_opts o = { .ibt = mode_ibt };
	struct xbpf_jit_out sz, out;
	struct xbpf_prog *q;
	u32 i, thunk_jmps = 0, plain = 0;
	u64 ctx[2] = { 0, 0 }, r0;
	u8 *mem;
	int err;

	q = tc_hand(P(TC_COUNT, TC_HTAIL_IDX, TC_RET(0)));
	mem = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		xt_report(false, "tail calls: thunks: mmap");
		xt_prog_free(q);
		return;
	}
	o.indirect_thunk = (uintptr_t)mem + pg;
	o.return_thunk = (uintptr_t)mem + pg + 8;
	err = xbpf_jit_compile(q, &o, &sz);
	if (!err) {
		o.exec_addr = (uintptr_t)mem;
		err = xbpf_jit_compile(q, &o, &out);
		if (err)
			xbpf_jit_free(&sz);
	}
	if (err || out.size != sz.size || out.size > pg) {
		xt_report(false, "tail calls: thunks: compile %d", err);
		if (!err) {
			xbpf_jit_free(&out);
			xbpf_jit_free(&sz);
		}
		munmap(mem, 2 * pg);
		xt_prog_free(q);
		return;
	}
	for (i = 0; i + 5 <= out.size; i++) {
		s32 rel;

		memcpy(&rel, out.image + i + 1, sizeof(rel));
		if (out.image[i] == 0xe9 && (uintptr_t)mem + i + 5 + (s64)rel == o.indirect_thunk)
			thunk_jmps++;
	}
	for (i = 0; i + 3 <= out.size; i++)
		plain += out.image[i] == 0x41 && out.image[i + 1] == 0xff && out.image[i + 2] == 0xe3;
	memcpy(mem, out.image, out.size);
	memcpy(mem + pg, thunks, sizeof(thunks));
	q->bpf_func = mem;
	tc_set(0, q);
	if (mprotect(mem, 2 * pg, PROT_READ | PROT_EXEC)) {
		xt_report(false, "tail calls: thunks: mprotect");
	} else {
		xbpf_rcu_read_lock();
		r0 = ((xbpf_jit_entry_t)(void *)mem)(ctx, sizeof(ctx));
		xbpf_rcu_read_unlock();
		xt_report(thunk_jmps == 1 && !plain && r0 == TC_RUNS && ctx[0] == TC_RUNS,
			  "tail calls: through the thunk: %u thunk jumps, %u plain, %llu runs",
			  thunk_jmps, plain, (unsigned long long)r0);
	}
	tc_clear();
	xbpf_jit_free(&out);
	xbpf_jit_free(&sz);
	munmap(mem, 2 * pg);
	xt_prog_free(q);
}

/*
 * rsp stays 16-byte aligned at helper calls across tail calls: a head
 * (main and a tail-calling subprogram, counter slots in both frames)
 * lands in a target with another frame; every function checks rsp.
 */
static void test_tail_alignment(void)
{
	static const u32 depths[] = { 0, 8, 16, 24, 40, 512 };
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	unsigned int runs = 0, bad = 0;
	struct xbpf_insn p[40];
	char why[256];
	u32 id, d, n, k, len, sub, jne1, jne2;
	u64 ir0, jr0;

	for (id = 160; id < __XBPF_FUNC_MAX_ID && xbpf_helper_proto(id); id++)
		;
	rsp_proto.id = id;
	if (xbpf_helper_register(&rsp_proto, 1)) {
		xt_report(false, "tail calls: alignment: register helper %u", id);
		return;
	}
	for (d = 0; d < ARRAY_SIZE(depths); d++)
		for (n = 0; n <= 4; n++) {
			struct xbpf_prog *head, *t;
			struct jit_exec xt;

			/* the target: (n + 1) % 5 callee-saved registers, its own depth */
			len = 0;
			for (k = 0; k < (n + 1) % 5; k++)
				p[len++] = MOV64_IMM(6 + k, k);
			p[len++] = CALL(id);
			p[len++] = EXIT();
			t = xt_prog(p, len, false);
			t->funcs = xbpf_kvzalloc(sizeof(*t->funcs));
			t->nr_funcs = 1;
			t->funcs[0].stack_depth = depths[(d + 1) % ARRAY_SIZE(depths)];
			/* the head */
			len = 0;
			for (k = 0; k < n; k++)
				p[len++] = MOV64_IMM(6 + k, k);
			p[len++] = CALL(id);
			jne1 = len;
			p[len++] = JMP_IMM(XBPF_JNE, 0, 0, 0);
			p[len++] = CALL_LOCAL(0);
			p[len++] = EXIT();
			sub = len;
			p[jne1].off = (s16)(sub - 1 - (jne1 + 1));
			p[jne1 + 1].imm = (s32)(sub - (jne1 + 1) - 1);
			for (k = 0; k < 4 - n; k++)
				p[len++] = MOV64_IMM(6 + k, k);
			p[len++] = CALL(id);
			jne2 = len;
			p[len++] = JMP_IMM(XBPF_JNE, 0, 0, 0);
			{
				const struct xbpf_insn ld[] = {
					LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)tc_pa),
				};

				memcpy(p + len, ld, sizeof(ld));
				len += ARRAY_SIZE(ld);
			}
			p[len++] = MOV64_IMM(3, 0);
			p[len++] = CALL(XBPF_FUNC_tail_call);
			p[len++] = MOV64_IMM(0, 99);		/* the target did not run */
			p[len++] = EXIT();
			p[jne2].off = (s16)(len - 1 - (jne2 + 1));
			head = xt_prog(p, len, false);
			head->funcs = xbpf_kvzalloc(2 * sizeof(*head->funcs));
			head->nr_funcs = 2;
			head->funcs[0].stack_depth = depths[d];
			head->funcs[0].tail_call_reachable = true;
			head->funcs[1].start = sub;
			head->funcs[1].stack_depth = depths[(d + 3) % ARRAY_SIZE(depths)];
			head->funcs[1].has_tail_call = true;
			head->funcs[1].tail_call_reachable = true;
			runs++;
			if (!tc_jit(t, &xt, false) || tc_set(0, t)) {
				bad++;
			} else if (run_both(head, &de, &ir0, &jr0, why, sizeof(why)) || jr0) {
				if (bad++ < 5)
					xt_diag("tail alignment depth %u pushes %u: r0 %llu %s",
						depths[d], n, (unsigned long long)jr0, why);
			}
			tc_clear();
			if (t->bpf_func)
				jit_unload(&xt);
			xt_prog_free(t);
			xt_prog_free(head);
		}
	xbpf_helper_unregister(&rsp_proto, 1);
	xt_report(runs && !bad,
		  "tail calls: rsp 16-byte aligned in head, subprogram and target in %u frame shapes, %u not",
		  runs, bad);
}

static void test_tail_calls(void)
{
	struct xbpf_map_params mp = {
		.map_type = XBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = TC_MAX,
	};
	int err;

	tc_pa = xbpf_map_create(&mp, &err);
	if (!tc_pa) {
		xt_report(false, "tail calls: array: %d", err);
		return;
	}
	fdtab[TC_PAFD] = tc_pa;
	test_tail_indirect();
	test_tail_subprog();
	test_tail_direct();
	test_tail_thunks();
	test_tail_alignment();
	fdtab[TC_PAFD] = NULL;
	xbpf_map_put(tc_pa);
	tc_pa = NULL;
}

/* ---------------------------------------------------------------------
 * 3. Random differential test
 */

#define RND_MAP_FD	1	/* fdtab's slot for the lookups' map */

static struct xbpf_map *rnd_map;

/* The same program unverified: map fds become the map's address. */
static void gen_raw(const struct xbpf_insn *p, u32 n, struct xbpf_insn *raw)
{
	u32 i;

	memcpy(raw, p, n * sizeof(*p));
	for (i = 0; i + 1 < n; i++)
		if (raw[i].code == (XBPF_LD | XBPF_IMM | XBPF_DW) &&
		    raw[i].src_reg == XBPF_PSEUDO_MAP_FD) {
			u64 a = (uintptr_t)rnd_map;

			raw[i].src_reg = 0;
			raw[i].imm = (s32)(u32)a;
			raw[i + 1].imm = (s32)(u32)(a >> 32);
		}
}

/* Before each engine's run: the same map contents. */
static void rnd_map_reset(void)
{
	u64 v[3];
	u32 k;

	for (k = 0; k < rnd_map->max_entries; k++) {
		v[0] = 0x1000 + k;
		v[1] = 0x2000 + k * 3;
		v[2] = 0x3000 + k * 5;
		xbpf_map_update_user(rnd_map, &k, v, 0);
	}
}

/* mode as for test_conformance(); count: the default number of programs. */
static void test_random(const char *mode, u32 dflt)
{
	const char *s_seed = getenv("XBPF_JIT_SEED"), *s_cnt = getenv("XBPF_JIT_RANDOM");
	u64 seed = s_seed ? strtoull(s_seed, NULL, 0) : 0x6a69745f78627066ULL;
	u32 count = s_cnt ? (u32)strtoul(s_cnt, NULL, 0) : dflt;
	unsigned int accepted = 0, refused = 0, bad_v = 0, bad_raw = 0, raw = 0, sanitized = 0;
	unsigned int masked = 0;
	unsigned int with_calls = 0, with_helpers = 0, insns = 0, tails = 0, bad_t = 0;
	struct xbpf_map_params pap = {
		.map_type = XBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = TC_MAX,
	};
	struct xbpf_prog *heads[2] = { NULL, NULL };
	struct xbpf_map_params mp = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 24,
		.max_entries = 4,
	};
	static struct xbpf_insn p[XBPF_GEN_PROG_MAX], rp[XBPF_GEN_PROG_MAX];
	static struct xbpf_gen g;
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem), .reset = rnd_map_reset };
	char why[256];
	u32 i, n;
	int err;

	rnd_map = xbpf_map_create(&mp, &err);
	if (!rnd_map) {
		xt_report(false, "random: map: %d", err);
		return;
	}
	fdtab[RND_MAP_FD] = rnd_map;
	/*
	 * Every third verified program also runs as a tail-call target, from
	 * a head that uses r6-r9 and its whole stack (so the unwind has pops
	 * and a frame to drop) and from a head's subprogram (the target then
	 * returns to the head's main, which adds 0x1000).  The index comes
	 * from the context (zero), so the calls are indirect.
	 */
	tc_pa = xbpf_map_create(&pap, &err);
	fdtab[TC_PAFD] = tc_pa;
	if (tc_pa) {
		heads[0] = tc_verify(P(MOV64_REG(6, 1), MOV64_IMM(7, 7), MOV64_IMM(8, 8),
				       MOV64_IMM(9, 9), STX(XBPF_DW, 10, 7, -512),
				       MOV64_REG(1, 6), LD_MAP_FD(2, TC_PAFD), LDX(XBPF_W, 3, 6, 0),
				       CALL(XBPF_FUNC_tail_call), MOV64_IMM(0, 0xdead), EXIT()),
				     "random head");
		heads[1] = tc_hand(P(MOV64_REG(6, 1), MOV64_IMM(7, 7), STX(XBPF_DW, 10, 7, -8),
				     MOV64_REG(1, 6), CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 0x1000),
				     EXIT(),
				     MOV64_REG(6, 1), MOV64_IMM(8, 8), MOV64_IMM(9, 9),
				     STX(XBPF_DW, 10, 8, -64), MOV64_REG(1, 6),
				     LDDW_SRC(2, XBPF_PSEUDO_MAP_FD, (uintptr_t)tc_pa),
				     LDX(XBPF_W, 3, 6, 0), CALL(XBPF_FUNC_tail_call),
				     MOV64_IMM(0, 0xbeef), EXIT()));
	}
	xbpf_gen_init(&g, seed, RND_MAP_FD);
	xt_diag("random%s%s: seed %#llx, %u programs", mode[0] ? " " : "", mode,
		(unsigned long long)seed, count);
	for (i = 0; i < count; i++) {
		struct xbpf_prog *prog;
		u64 ir0, jr0;

		n = xbpf_gen_prog(&g, p,
				  5 + xbpf_gen_below(&g, i % 10 == 9 ? XBPF_GEN_MAX_BODY : 60),
				  5 + xbpf_gen_below(&g, i % 10 == 8 ? XBPF_GEN_MAX_BODY : 40));
		insns += n;
		with_calls += !!g.ncalls;
		with_helpers += !!g.nhelper;
		de.near = i & 1;
		/* verified: the rewritten program (division guards) in both engines */
		prog = verify(XBPF_PROG_TYPE_SYSCALL, p, n, &err);
		if (prog && !prog->checked) {
			accepted++;
			if (mode_unpriv) {
				struct xbpf_prog *pp;

				mode_unpriv = false;
				pp = verify(XBPF_PROG_TYPE_SYSCALL, p, n, &err);
				mode_unpriv = true;
				sanitized += pp && pp->len != prog->len;
				masked += prog_uses_ax(prog);
				if (pp)
					xbpf_prog_put(pp);
			}
			if (run_both(prog, &de, &ir0, &jr0, why, sizeof(why)) && bad_v++ < 5)
				xt_diag("random %u (verified, %u insns): %s", i, n, why);
			if (i % 3 == 0 && heads[0] && heads[1]) {
				struct xbpf_prog *head = heads[(i / 3) & 1];
				struct jit_exec xt;

				tails++;
				err = tc_jit(prog, &xt, de.near) ? tc_set(0, prog) : -EIO;
				if (!err)
					err = run_both(head, &de, &ir0, &jr0, why, sizeof(why));
				if (!err && ir0 == (head == heads[0] ? 0xdead : 0x1000 + 0xbeef))
					snprintf(why, sizeof(why), "the target did not run"), err = -EDOM;
				if (err && bad_t++ < 5)
					xt_diag("random %u as a tail-call target (%u insns): %s",
						i, n, why);
				tc_clear();
				if (prog->bpf_func)
					jit_unload(&xt);
				prog->bpf_func = NULL;
			}
		} else if (refused++ < 3) {
			xt_diag("random %u refused: %d %.300s", i, err, logbuf);
		}
		if (prog)
			xbpf_prog_put(prog);
		/* the program as generated: the JIT's own division semantics */
		gen_raw(p, n, rp);
		raw++;
		if (!diff_raw(rp, n, &de, NULL, why, sizeof(why)) && bad_raw++ < 5)
			xt_diag("random %u (unverified, %u insns): %s", i, n, why);
	}
	fdtab[RND_MAP_FD] = NULL;
	xbpf_map_put(rnd_map);
	if (heads[0])
		xbpf_prog_put(heads[0]);
	if (heads[1])
		xt_prog_free(heads[1]);
	fdtab[TC_PAFD] = NULL;
	if (tc_pa)
		xbpf_map_put(tc_pa);
	tc_pa = NULL;
	xt_diag("random: %u instructions in all; %u programs with bpf-to-bpf calls, %u with map lookups",
		insns, with_calls, with_helpers);
	xt_report(accepted > count / 2 && !bad_v && with_calls && with_helpers &&
		  (!mode_unpriv || (sanitized && masked)),
		  "random%s%s: %u verified programs agree (%u sanitized, %u of them v1-masked, %u refused, %u differ)",
		  mode[0] ? " " : "", mode, accepted - bad_v, sanitized, masked, refused, bad_v);
	xt_report(!bad_raw, "random%s%s: %u unverified programs agree (%u differ)",
		  mode[0] ? " " : "", mode, raw - bad_raw, bad_raw);
	xt_report(tails > count / 10 && !bad_t,
		  "random%s%s: %u verified programs agree as tail-call targets (%u differ)",
		  mode[0] ? " " : "", mode, tails - bad_t, bad_t);
}

/* ---------------------------------------------------------------------
 * 4. Hardening: AX (r12), sanitation, constant blinding
 */

/* The first occurrence of pat in img, or NULL. */
static const u8 *find_bytes(const u8 *img, u32 size, const void *pat, u32 len)
{
	u32 i;

	for (i = 0; i + len <= size; i++)
		if (!memcmp(img + i, pat, len))
			return img + i;
	return NULL;
}

static bool has_bytes(const u8 *img, u32 size, const void *pat, u32 len)
{
	return find_bytes(img, size, pat, len) != NULL;
}

/* The encoders for r12 (and rsp/r13, its ModRM neighbours). */
static void test_ax_encoding(void)
{
	static const struct {
		const char	*name;
		u8		bytes[8];
		u32		len;
	} want[] = {
		{ "mov rax, [r12 + 8]", { 0x49, 0x8b, 0x44, 0x24, 0x08 }, 5 },
		{ "mov [r12 + 0x100], rdi", { 0x49, 0x89, 0xbc, 0x24, 0x00, 0x01, 0x00, 0x00 }, 8 },
		{ "mov r12, [rbp - 8]", { 0x4c, 0x8b, 0x65, 0xf8 }, 4 },
		{ "mov rax, [r13 + 0]", { 0x49, 0x8b, 0x45, 0x00 }, 4 },
		{ "mov rax, [rsp + 8]", { 0x48, 0x8b, 0x44, 0x24, 0x08 }, 5 },
		{ "push r12", { 0x41, 0x54 }, 2 },
		{ "pop r12", { 0x41, 0x5c }, 2 },
		{ "neg r12", { 0x49, 0xf7, 0xdc }, 3 },
		{ "sar r12, 63", { 0x49, 0xc1, 0xfc, 0x3f }, 4 },
		{ "and r12, rsi", { 0x49, 0x21, 0xf4 }, 3 },
		{ "mov r12d, 7", { 0x41, 0xbc, 0x07, 0x00, 0x00, 0x00 }, 6 },
		{ "mov byte [r12 - 1], r12b", { 0x45, 0x88, 0x64, 0x24, 0xff }, 5 },
	};
	struct xbpf_jit_buf b;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		memset(&b, 0, sizeof(b));
		switch (i) {
		case 0:
			xbpf_x86_rm(&b, XBPF_X86_W, 0x8b, XBPF_X86_RAX, XBPF_X86_R12, 8);
			break;
		case 1:
			xbpf_x86_rm(&b, XBPF_X86_W, 0x89, XBPF_X86_RDI, XBPF_X86_R12, 0x100);
			break;
		case 2:
			xbpf_x86_rm(&b, XBPF_X86_W, 0x8b, XBPF_X86_R12, XBPF_X86_RBP, -8);
			break;
		case 3:
			xbpf_x86_rm(&b, XBPF_X86_W, 0x8b, XBPF_X86_RAX, XBPF_X86_R13, 0);
			break;
		case 4:
			xbpf_x86_rm(&b, XBPF_X86_W, 0x8b, XBPF_X86_RAX, XBPF_X86_RSP, 8);
			break;
		case 5:
			xbpf_x86_push(&b, XBPF_X86_R12);
			break;
		case 6:
			xbpf_x86_pop(&b, XBPF_X86_R12);
			break;
		case 7:
			xbpf_x86_rr(&b, XBPF_X86_W, 0xf7, 3, XBPF_X86_R12);
			break;
		case 8:
			xbpf_x86_rr(&b, XBPF_X86_W, 0xc1, 7, XBPF_X86_R12);
			xbpf_x86_byte(&b, 63);
			break;
		case 9:
			xbpf_x86_rr(&b, XBPF_X86_W, 0x21, XBPF_X86_RSI, XBPF_X86_R12);
			break;
		case 10:
			xbpf_x86_mov_imm(&b, XBPF_X86_R12, 7);
			break;
		case 11:
			xbpf_x86_rm(&b, XBPF_X86_BREG, 0x88, XBPF_X86_R12, XBPF_X86_R12, -1);
			break;
		}
		xt_report(!b.overflow && b.len == want[i].len && !memcmp(b.b, want[i].bytes, b.len),
			  "encoder: %s (%u bytes)", want[i].name, b.len);
	}
}

/* AX where a lowering also uses scratch registers: LD_IND's index, a helper call. */
static void test_ax_runs(void)
{
	u8 frame[64];
	struct xbpf_skb skb;
	struct diff_env de = { .skb = &skb };
	struct xbpf_prog *prog;
	char why[256];
	u64 ir0 = 0, jr0 = 0, want = 0;
	int err, i;

	for (i = 0; i < (int)sizeof(frame); i++)
		frame[i] = (u8)(i * 13 + 1);
	if (xbpf_skb_init(&skb, frame, sizeof(frame), NULL)) {
		xt_report(false, "ax: skb init");
		return;
	}
	/* the same load indexed by r3: the value to expect */
	prog = xt_prog(P(MOV64_REG(6, 1), MOV64_IMM(3, 6), LD_IND(XBPF_W, 3, 4),
			 ALU64_REG(XBPF_ADD, 0, 3), EXIT()), false);
	err = run_both(prog, &de, &ir0, &want, why, sizeof(why));
	xt_prog_free(prog);
	prog = xt_prog(P(MOV64_REG(6, 1), MOV64_IMM(AX, 6), LD_IND(XBPF_W, AX, 4),
			 ALU64_REG(XBPF_ADD, 0, AX), EXIT()), false);
	if (!err)
		err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
	xt_report(!err && jr0 == want && want > 6,
		  "ax: ld_ind with AX as the index, AX kept across the call (r0 %#llx, want %#llx)%s%s",
		  (unsigned long long)jr0, (unsigned long long)want, why[0] ? " # " : "", why);
	xt_prog_free(prog);
	/* the interpreter shares AX across bpf-to-bpf calls: the subprogram leaves it */
	check_raw("ax: AX survives a helper call and a subprogram call",
		  P(LDDW(AX, 0x1234567890ULL), CALL(XBPF_FUNC_ktime_get_ns), CALL_LOCAL(3),
		    MOV64_REG(0, AX), EXIT(), EXIT(),
		    MOV64_IMM(0, 5), EXIT()),
		  0x1234567890ULL);
}

#define HFD	2	/* array map: key 4, value 16, one entry (direct value access) */

/* jit/README's register table, stated again here. */
static const u8 x86_of[] = {
	XBPF_X86_RAX, XBPF_X86_RDI, XBPF_X86_RSI, XBPF_X86_RDX, XBPF_X86_RCX, XBPF_X86_R8,
	XBPF_X86_RBX, XBPF_X86_R13, XBPF_X86_R14, XBPF_X86_R15, XBPF_X86_RBP, XBPF_X86_R12,
};

static struct xbpf_map *hmap;

static bool hmap_setup(void)
{
	struct xbpf_map_params mp = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16,
		.max_entries = 1,
	};
	u8 v[16];
	u32 k, i;
	int err;

	hmap = xbpf_map_create(&mp, &err);
	if (!hmap)
		return false;
	for (k = 0; k < 1; k++) {
		for (i = 0; i < 16; i++)
			v[i] = (u8)(k * 16 + i * 7 + 3);
		xbpf_map_update_user(hmap, &k, v, 0);
	}
	fdtab[HFD] = hmap;
	return true;
}

static void hmap_teardown(void)
{
	fdtab[HFD] = NULL;
	xbpf_map_put(hmap);
}

static bool prog_uses_ax(const struct xbpf_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->len; i++)
		if (prog->insns[i].code != (XBPF_LD | XBPF_IMM | XBPF_DW) &&
		    (prog->insns[i].dst_reg == AX || prog->insns[i].src_reg == AX))
			return true;
	return false;
}

/* Compiles position independent code; the image or NULL. */
static struct xbpf_jit_out *compile(const struct xbpf_prog *prog, bool blind, u64 seed,
				    struct xbpf_jit_out *out, int *errp)
{
	struct xbpf_jit_opts o = { .blind = blind, .blind_seed = seed };

	*errp = xbpf_jit_compile(prog, &o, out);
	return *errp ? NULL : out;
}

/*
 * Programs the verifier sanitizes without bypass_spec_v1/v4: the JIT
 * compiles them (no refusal), the image holds the sanitation as the
 * encoders write it, and both engines agree on every input.
 */
static void test_sanitized(void)
{
	struct sanit_case {
		const char		*name;
		struct xbpf_insn	insns[16];
		u32			n;
		bool			v1;	/* else v4 */
		u8			off_reg;	/* v1: the masked register */
		u32			limit;
	} cases[] = {
		{ "v1: map value + var", {
			MOV64_REG(6, 1), LDX(XBPF_W, 2, 1, 0), ALU64_IMM(XBPF_AND, 2, 7),
			LD_MAP_VALUE(1, HFD, 0), ALU64_REG(XBPF_ADD, 1, 2),
			LDX(XBPF_B, 0, 1, 0), EXIT() }, 8, true, 2, 7 },
		{ "v1: var + map value (the offset in dst)", {
			MOV64_REG(6, 1), LDX(XBPF_W, 3, 1, 0), ALU64_IMM(XBPF_AND, 3, 7),
			LD_MAP_VALUE(1, HFD, 0), ALU64_REG(XBPF_ADD, 3, 1),
			LDX(XBPF_B, 0, 3, 0), EXIT() }, 8, true, 3, 7 },
		{ "v1: lookup result + var, twice", {
			MOV64_REG(6, 1), LDX(XBPF_W, 7, 6, 0), ALU64_IMM(XBPF_AND, 7, 3),
			ST(XBPF_W, 10, -4, 0), LD_MAP_FD(1, HFD), MOV64_REG(2, 10),
			ALU64_IMM(XBPF_ADD, 2, -4), CALL(XBPF_FUNC_map_lookup_elem),
			JMP_IMM(XBPF_JEQ, 0, 0, 4), ALU64_REG(XBPF_ADD, 0, 7),
			ALU64_REG(XBPF_ADD, 0, 7), LDX(XBPF_B, 0, 0, 0), EXIT(),
			MOV64_IMM(0, 1), EXIT() }, 16, true, 0, 0 },
		{ "v4: pointer spill over uninitialised stack", {
			STX(XBPF_DW, 10, 1, -8), LDX(XBPF_DW, 2, 10, -8), LDX(XBPF_W, 0, 2, 0),
			EXIT() }, 4, false, 0, 0 },
		{ "v4: constant over a spilled pointer", {
			STX(XBPF_DW, 10, 1, -8), ST(XBPF_DW, 10, -8, 77), LDX(XBPF_DW, 0, 10, -8),
			LDX(XBPF_W, 1, 1, 4), ALU64_REG(XBPF_ADD, 0, 1), EXIT() }, 6, false, 0, 0 },
	};
	u64 ctx[8];
	struct diff_env de = { .mem = (const u8 *)ctx, .len = sizeof(ctx), .r2 = sizeof(ctx) };
	u32 c, k;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		const struct sanit_case *t = &cases[c];
		struct xbpf_jit_out out;
		struct xbpf_prog *prog, *pp;
		bool bytes = true, same = true, sized = true;
		char why[256];
		u32 lens[2] = { 0, 0 };
		u64 ir0, jr0;
		int err, perr;

		mode_unpriv = false;
		pp = verify(XBPF_PROG_TYPE_SYSCALL, t->insns, t->n, &perr);
		mode_unpriv = true;
		prog = verify(XBPF_PROG_TYPE_SYSCALL, t->insns, t->n, &err);
		mode_unpriv = false;
		if (!prog || !pp) {
			xt_report(false, "sanitized %s: verifies (%d, privileged %d) # %.300s",
				  t->name, err, perr, logbuf);
			if (pp)
				xbpf_prog_put(pp);
			continue;
		}
		xt_report(prog->len > pp->len && (!t->v1 || prog_uses_ax(prog)),
			  "sanitized %s: rewritten, %u -> %u insns (privileged %u)", t->name, t->n,
			  prog->len, pp->len);
		err = xbpf_jit_compile(prog, NULL, &out);
		xt_report(!err && out.size, "sanitized %s: the JIT compiles it (%d, %u bytes)",
			  t->name, err, out.size);
		if (!err) {
			struct xbpf_jit_buf b;

			memset(&b, 0, sizeof(b));
			if (t->v1 && t->off_reg) {
				u8 o = x86_of[t->off_reg], ax = XBPF_X86_R12;

				/* AX = limit; AX -= off; AX |= off; AX = -AX; AX >>= 63; AX &= off */
				xbpf_x86_mov_imm(&b, ax, t->limit);
				xbpf_x86_rr(&b, XBPF_X86_W, 0x29, o, ax);
				xbpf_x86_rr(&b, XBPF_X86_W, 0x09, o, ax);
				xbpf_x86_rr(&b, XBPF_X86_W, 0xf7, 3, ax);
				xbpf_x86_rr(&b, XBPF_X86_W, 0xc1, 7, ax);
				xbpf_x86_byte(&b, 63);
				xbpf_x86_rr(&b, XBPF_X86_W, 0x21, o, ax);
				bytes = has_bytes(out.image, out.size, b.b, b.len) &&
					has_bytes(out.image, out.size, "\x49\xf7\xdc\x49\xc1\xfc\x3f", 7);
			} else if (t->v1) {
				/* twice masked: neg r12; sar r12, 63 at least twice */
				const u8 *at = find_bytes(out.image, out.size,
							  "\x49\xf7\xdc\x49\xc1\xfc\x3f", 7);

				bytes = at && find_bytes(at + 7, out.size - (u32)(at + 7 - out.image),
							 "\x49\xf7\xdc\x49\xc1\xfc\x3f", 7);
			} else {
				/* mov qword [rbp - 8], 0 */
				xbpf_x86_rm(&b, XBPF_X86_W, 0xc7, 0, XBPF_X86_RBP, -8);
				xbpf_x86_imm32(&b, 0);
				bytes = has_bytes(out.image, out.size, b.b, b.len) &&
					has_bytes(out.image, out.size,
						  "\x48\xc7\x45\xf8\x00\x00\x00\x00", 8);
			}
			xt_report(bytes, "sanitized %s: the image holds the %s", t->name,
				  t->v1 ? "masking (neg/sar 63/and on r12)" : "zeroing store");
			xbpf_jit_free(&out);
		}
		for (k = 0; k < 40; k++) {
			memset(ctx, 0, sizeof(ctx));
			ctx[0] = k < 20 ? k : (u64)-1 - k * 0x10001;
			if (run_both(prog, &de, &ir0, &jr0, why, sizeof(why))) {
				same = false;
				xt_diag("ctx %#llx: %s", (unsigned long long)ctx[0], why);
				break;
			}
		}
		xt_report(same, "sanitized %s: JIT and interpreter agree on 40 inputs", t->name);
		/* blinding on top: more code still, same results */
		for (k = 0; k < 2; k++) {
			if (!compile(prog, k, 0, &out, &err)) {
				sized = false;
				break;
			}
			lens[k] = out.size;
			xbpf_jit_free(&out);
		}
		mode_blind = true;
		for (k = 0; sized && k < 40; k++) {
			memset(ctx, 0, sizeof(ctx));
			ctx[0] = k * 3;
			if (run_both(prog, &de, &ir0, &jr0, why, sizeof(why))) {
				sized = false;
				xt_diag("blinded, ctx %#llx: %s", (unsigned long long)ctx[0], why);
			}
		}
		mode_blind = false;
		/* (a zeroing store's imm is 0: nothing to blind) */
		xt_report(sized && lens[1] >= lens[0],
			  "sanitized %s: blinded too: %u -> %u bytes, agrees", t->name, lens[0],
			  lens[1]);
		xbpf_prog_put(prog);
		xbpf_prog_put(pp);
	}
}

/* The immediate a loader would hide code in, and its image bytes. */
#define SPRAY		0x5a17c0de
#define SPRAY_BYTES	"\xde\xc0\x17\x5a"

/*
 * SPRAY in every instruction kind blinding covers; the result folds every
 * register, so each lowering must compute the same value as the
 * interpreter.  Jumps over blinded code in both directions, and a
 * subprogram whose start moves.
 */
static const struct xbpf_insn spray_prog[] = {
	/* 0 */ MOV64_IMM(0, 1), LDDW(1, 0x5a17c0de5a17c0deULL),
	/* 3 */ JA(15),
	/* back: 4 */ ALU64_IMM(XBPF_ADD, 1, SPRAY), ALU32_IMM(XBPF_SUB, 1, SPRAY),
	ALU64_IMM(XBPF_MUL, 1, SPRAY), ALU64_IMM(XBPF_OR, 1, SPRAY),
	ALU32_IMM(XBPF_AND, 1, SPRAY), ALU64_IMM(XBPF_XOR, 1, SPRAY),
	MOV64_IMM(2, SPRAY), MOV32_IMM(3, -SPRAY), ALU64_IMM(XBPF_DIV, 2, SPRAY),
	ALU32_IMM(XBPF_MOD, 3, SPRAY), SALU64_IMM(XBPF_DIV, 1, -SPRAY),
	SALU32_IMM(XBPF_MOD, 1, SPRAY),
	ST(XBPF_DW, 10, -8, SPRAY), ST(XBPF_W, 10, -16, SPRAY),
	/* 18 */ JA(3),
	/* 19: the target of the first JA */ ALU64_IMM(XBPF_ADD, 0, SPRAY),
	JMP_IMM(XBPF_JEQ, 0, SPRAY + 1, -17),
	/* 21 */ JA(-4),
	/* 22: after back */ LDX(XBPF_DW, 4, 10, -8), LDX(XBPF_W, 5, 10, -16),
	JMP_IMM(XBPF_JEQ, 4, SPRAY, 1), ALU64_IMM(XBPF_ADD, 0, 1),
	JMP32_IMM(XBPF_JNE, 5, SPRAY, 1), ALU64_IMM(XBPF_ADD, 0, 2),
	JMP_IMM(XBPF_JSET, 3, SPRAY, 1), ALU64_IMM(XBPF_ADD, 0, 4),
	JMP_IMM(XBPF_JSGT, 1, -SPRAY, 1), ALU64_IMM(XBPF_ADD, 0, 8),
	/* 32 */ CALL_LOCAL(10),
	ALU64_REG(XBPF_XOR, 0, 1), ALU64_IMM(XBPF_MUL, 0, 1000003),
	ALU64_REG(XBPF_XOR, 0, 2), ALU64_IMM(XBPF_MUL, 0, 1000003),
	ALU64_REG(XBPF_XOR, 0, 3), ALU64_IMM(XBPF_MUL, 0, 1000003),
	ALU64_REG(XBPF_XOR, 0, 4), ALU64_IMM(XBPF_MUL, 0, 1000003),
	ALU64_REG(XBPF_XOR, 0, 5), EXIT(),
	/* the subprogram: r0 = SPRAY * 3 + its argument's low bits */
	MOV64_IMM(0, SPRAY), ALU64_IMM(XBPF_MUL, 0, 3), ALU64_REG(XBPF_ADD, 0, 1), EXIT(),
};

static void test_blinding(void)
{
	struct xbpf_prog *prog = xt_prog(spray_prog, ARRAY_SIZE(spray_prog), false);
	struct xbpf_jit_out plain, b1, b2, b3;
	static u8 mem[64];
	struct diff_env de = { .mem = mem, .len = sizeof(mem), .r2 = 64 };
	char why[256];
	u64 r0 = 0, r0b = 0;
	bool ok;
	int err;

	if (!compile(prog, false, 0, &plain, &err)) {
		xt_report(false, "blind: plain compile %d", err);
		xt_prog_free(prog);
		return;
	}
	xt_report(has_bytes(plain.image, plain.size, SPRAY_BYTES, 4),
		  "blind: without blinding the image holds %#x", SPRAY);
	if (compile(prog, true, 0, &b1, &err)) {
		xt_report(!has_bytes(b1.image, b1.size, SPRAY_BYTES, 4) && b1.blind_seed &&
			  b1.blinded_len > prog->len && b1.size > plain.size,
			  "blind: the blinded image does not hold %#x (%u -> %u insns, %u -> %u bytes)",
			  SPRAY, prog->len, b1.blinded_len, plain.size, b1.size);
		if (compile(prog, true, 0, &b2, &err)) {
			xt_report(b2.blind_seed != b1.blind_seed &&
				  (b2.size != b1.size || memcmp(b1.image, b2.image, b1.size)),
				  "blind: two compiles differ (fresh randomness)");
			xbpf_jit_free(&b2);
		} else {
			xt_report(false, "blind: second compile %d", err);
		}
		if (compile(prog, true, b1.blind_seed, &b3, &err)) {
			xt_report(b3.size == b1.size && !memcmp(b1.image, b3.image, b1.size),
				  "blind: the same seed gives the same image");
			xbpf_jit_free(&b3);
		} else {
			xt_report(false, "blind: seeded compile %d", err);
		}
		xbpf_jit_free(&b1);
	} else {
		xt_report(false, "blind: compile %d", err);
	}
	xbpf_jit_free(&plain);

	ok = diff_raw(spray_prog, ARRAY_SIZE(spray_prog), &de, &r0, why, sizeof(why));
	xt_report(ok, "blind: plain image agrees (r0 %#llx)%s%s", (unsigned long long)r0,
		  why[0] ? " # " : "", why);
	mode_blind = true;
	ok = diff_raw(spray_prog, ARRAY_SIZE(spray_prog), &de, &r0b, why, sizeof(why));
	xt_report(ok && r0b == r0, "blind: blinded image agrees (r0 %#llx)%s%s",
		  (unsigned long long)r0b, why[0] ? " # " : "", why);
	de.near = true;
	ok = diff_raw(spray_prog, ARRAY_SIZE(spray_prog), &de, &r0b, why, sizeof(why));
	xt_report(ok && r0b == r0, "blind: blinded image for its address agrees%s%s",
		  why[0] ? " # " : "", why);
	mode_blind = false;
	xt_prog_free(prog);

	/* a conditional jump that no longer fits its 16-bit offset */
	{
		u32 n = 20003, i;
		struct xbpf_insn *p = calloc(n, sizeof(*p));
		struct xbpf_prog *big, *bl = NULL;

		p[0] = MOV64_IMM(0, 0);
		p[1] = JMP_IMM(XBPF_JEQ, 0, 1, 20000);
		for (i = 2; i < n - 1; i++)
			p[i] = ST(XBPF_DW, 10, -8, SPRAY);
		p[n - 1] = EXIT();
		big = xt_prog(p, n, false);
		err = xbpf_jit_blind(big, 1, &bl);
		xt_report(err == -ERANGE && !bl, "blind: a jump past s16 range: -ERANGE (%d)", err);
		xbpf_jit_blind_free(bl);
		if (compile(big, true, 0, &b1, &err)) {
			xbpf_jit_free(&b1);
			err = 0;
		}
		xt_report(err == -ERANGE, "blind: ... and the JIT refuses it (%d)", err);
		xt_prog_free(big);
		free(p);
	}
}

/* LD_ABS/LD_IND's k is blinded too: LD_IND through AX. */
static void test_blind_ld_abs(void)
{
	u8 frame[80];
	struct xbpf_skb skb;
	struct diff_env de = { .skb = &skb };
	struct xbpf_jit_out plain, bl;
	struct xbpf_prog *prog;
	char why[256];
	u64 ir0 = 0, jr0 = 0;
	int err, i;

	for (i = 0; i < (int)sizeof(frame); i++)
		frame[i] = (u8)(i * 7 + 5);
	frame[12] = 0x08;
	frame[14] = 0x45;
	if (xbpf_skb_init(&skb, frame, sizeof(frame), NULL)) {
		xt_report(false, "blind ld_abs: skb init");
		return;
	}
	prog = verify(XBPF_PROG_TYPE_SOCKET_FILTER,
		      P(MOV64_REG(6, 1), MOV64_IMM(7, 0), MOV64_IMM(8, 3),
			LD_ABS(XBPF_W, -0x100000 + 8), ALU64_REG(XBPF_ADD, 7, 0),
			LD_ABS(XBPF_H, 6), ALU64_REG(XBPF_ADD, 7, 0),
			LD_IND(XBPF_W, 8, -0x100000 + 6), ALU64_REG(XBPF_ADD, 7, 0),
			LD_IND(XBPF_B, 8, 40), ALU64_REG(XBPF_ADD, 7, 0),
			MOV64_REG(0, 7), EXIT()), &err);
	if (!prog) {
		xt_report(false, "blind ld_abs: loads # %d: %s", err, logbuf);
		return;
	}
	if (compile(prog, false, 0, &plain, &err) && compile(prog, true, 0, &bl, &err)) {
		xt_report(has_bytes(plain.image, plain.size, "\x08\x00\xf0\xff", 4) &&
			  has_bytes(plain.image, plain.size, "\x06\x00\xf0\xff", 4) &&
			  !has_bytes(bl.image, bl.size, "\x08\x00\xf0\xff", 4) &&
			  !has_bytes(bl.image, bl.size, "\x06\x00\xf0\xff", 4),
			  "blind ld_abs: k (SKF_NET_OFF + 8, + 6) in the plain image only (%u -> %u bytes)",
			  plain.size, bl.size);
		xbpf_jit_free(&plain);
		xbpf_jit_free(&bl);
	} else {
		xt_report(false, "blind ld_abs: compile %d", err);
	}
	mode_blind = true;
	err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
	mode_blind = false;
	xt_report(!err && jr0, "blind ld_abs: blinded agrees with the interpreter (r0 %#llx)%s%s",
		  (unsigned long long)jr0, why[0] ? " # " : "", why);
	xbpf_prog_put(prog);
}

/* ---------------------------------------------------------------------
 * 5. IBT (opts.ibt)
 */

static u32 count_bytes(const u8 *img, u32 size, const void *pat, u32 len)
{
	u32 i, n = 0;

	for (i = 0; i + len <= size; i++)
		n += !memcmp(img + i, pat, len);
	return n;
}

/*
 * One program of three functions compiled without opts, with ibt off and
 * with it on: off is today's image byte for byte; on adds endbr64 at
 * each entry and at the main landing and nothing else, so every offset
 * moves by the endbr64s before it.
 */
static void test_ibt_layout(void)
{
	struct xbpf_jit_opts off = { .ibt = false }, on = { .ibt = true };
	struct xbpf_jit_out o0, o1, o2;
	struct xbpf_prog *prog;
	static u8 mem[8];
	struct diff_env de = { .mem = mem, .len = sizeof(mem) };
	const char *why0, *why1;
	char why[256];
	u64 ir0 = 0, jr0 = 0;
	u32 k, shifted = 0;
	int err, e0, e1, e2;
	bool save = mode_ibt;

	prog = verify(XBPF_PROG_TYPE_SYSCALL,
		      P(MOV64_IMM(1, 5), CALL_LOCAL(1), EXIT(),
			/* f(n) = g(n) + 1 */
			CALL_LOCAL(2), ALU64_IMM(XBPF_ADD, 0, 1), EXIT(),
			/* g(n) = n + 7 */
			MOV64_REG(0, 1), ALU64_IMM(XBPF_ADD, 0, 7), EXIT()), &err);
	if (!prog) {
		xt_report(false, "ibt: program loads # %d: %s", err, logbuf);
		return;
	}
	e0 = xbpf_jit_compile(prog, NULL, &o0);
	e1 = xbpf_jit_compile(prog, &off, &o1);
	e2 = xbpf_jit_compile(prog, &on, &o2);
	if (e0 || e1 || e2 || o0.nr_funcs != 3) {
		xt_report(false, "ibt: compiles %d %d %d, %u functions", e0, e1, e2, o0.nr_funcs);
		goto out;
	}
	xt_report(o0.size == o1.size && !memcmp(o0.image, o1.image, o0.size) &&
		  !memcmp(o0.func_off, o1.func_off, o0.nr_funcs * sizeof(u32)),
		  "ibt off: the same image as without opts (%u bytes)", o1.size);
	why0 = check_entries(&o1, false);
	why1 = check_entries(&o2, true);
	xt_report(!why0 && count_bytes(o1.image, o1.size, endbr64, 4) == 0 &&
		  xbpf_jit_tail_call_offset(false) == 11,
		  "ibt off: no endbr64 in the image, nop5 at each entry, landing at 11%s%s",
		  why0 ? ": " : "", why0 ?: "");
	xt_report(!why1 && count_bytes(o2.image, o2.size, endbr64, 4) == o2.nr_funcs + 1 &&
		  xbpf_jit_tail_call_offset(true) == 15,
		  "ibt on: endbr64 at each of %u entries and at the landing (15), nowhere else (%u)%s%s",
		  o2.nr_funcs, count_bytes(o2.image, o2.size, endbr64, 4), why1 ? ": " : "",
		  why1 ?: "");
	for (k = 1; k < o2.nr_funcs; k++)
		shifted += o2.func_off[k] == o1.func_off[k] + 4 * k + 4 &&
			   memcmp(o2.image + o2.func_off[k] + 15, endbr64, 4);
	xt_report(o2.size == o1.size + 4 * (o1.nr_funcs + 1) && shifted == o2.nr_funcs - 1,
		  "ibt on: %u bytes = %u + 4 per entry + 4 at the landing; subprograms shifted, no landing pad in them (%u of %u)",
		  o2.size, o1.size, shifted, o2.nr_funcs - 1);
	mode_ibt = true;
	err = run_both(prog, &de, &ir0, &jr0, why, sizeof(why));
	mode_ibt = save;
	xt_report(!err && jr0 == 13, "ibt on: the image runs (endbr64 is a nop here): r0 %llu%s%s",
		  (unsigned long long)jr0, why[0] ? " # " : "", why);
out:
	if (!e0)
		xbpf_jit_free(&o0);
	if (!e1)
		xbpf_jit_free(&o1);
	if (!e2)
		xbpf_jit_free(&o2);
	xbpf_prog_put(prog);
}

/*
 * Every image of the conformance suite, the calls, the tail calls (all
 * targets and callers with ibt: the landing moved) and the random
 * programs, compiled with ibt, against the interpreter.
 */
static void test_ibt(void)
{
	xt_diag("ibt: the calls, conformance, tail-call and random suites with opts.ibt");
	mode_ibt = true;
	test_calls();
	test_conformance("ibt");
	test_tail_calls();
	test_random("ibt", 1500);
	mode_ibt = false;
}

/* Section 4's reruns of the conformance suite and the random test. */
static void test_modes(void)
{
	u64 b0, p0;

	mode_unpriv = true;
	test_conformance("unpriv");
	test_random("unpriv", 1500);
	mode_unpriv = false;
	b0 = blind_bytes;
	p0 = plain_bytes;
	mode_blind = true;
	test_conformance("blind");
	xt_diag("blind: conformance images %llu bytes blinded, %llu plain (+%llu%%)",
		(unsigned long long)(blind_bytes - b0), (unsigned long long)(plain_bytes - p0),
		plain_bytes - p0 ? (unsigned long long)((blind_bytes - b0) * 100 / (plain_bytes - p0) - 100) : 0);
	b0 = blind_bytes;
	p0 = plain_bytes;
	test_random("blind", 1500);
	xt_diag("blind: random images %llu bytes blinded, %llu plain (+%llu%%)",
		(unsigned long long)(blind_bytes - b0), (unsigned long long)(plain_bytes - p0),
		plain_bytes - p0 ? (unsigned long long)((blind_bytes - b0) * 100 / (plain_bytes - p0) - 100) : 0);
	mode_unpriv = true;
	test_conformance("unpriv+blind");
	test_random("unpriv+blind", 500);
	mode_unpriv = false;
	mode_blind = false;
}

int main(int argc, char **argv)
{
	test_refusals();
	test_div_edges();
	test_alu();
	test_alu_unary();
	test_mem();
	test_atomics();
	test_jumps();
	test_calls();
	test_helpers();
	test_thunks();
	test_alignment();
	test_ld_abs();
	test_conformance("");
	test_tail_calls();
	test_random("", 4000);
	test_ax_encoding();
	test_ax_runs();
	if (hmap_setup()) {
		test_sanitized();
		hmap_teardown();
	} else {
		xt_report(false, "sanitized: map");
	}
	test_blinding();
	test_blind_ld_abs();
	test_modes();
	test_ibt_layout();
	test_ibt();
	xt_report(entries_checked && !entries_bad,
		  "entries: %u images checked for their endbr64/nop5 layout, %u wrong",
		  entries_checked, entries_bad);
	xt_diag("%u images compiled, %u sizing passes on average, %u at most; %u near mappings, %u fell back",
		compiles, compiles ? passes_total / compiles : 0, passes_max, near_mapped,
		near_far);
	return xt_finish();
}

#else

int main(void)
{
	xt_skip("the JIT targets x86-64 only", "jit");
	return xt_finish();
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The public BPF conformance suite through xbpf's pipeline: every test of
 * conformance.flat is verified (xbpf_verify, fully privileged, SYSCALL
 * type) and run in the checked memory model with r1 = a copy of the test's
 * memory and r2 = its length; r0 must equal the expected result, and the
 * fast model must agree.
 *
 * Where the suite is: argv[1] (the file or its directory), else
 * $XBPF_CONFORMANCE_DIR, else ../shared/bpf_conformance relative to the
 * repository root, from which the tests run.
 */
#include "lib/xbpf_conf.h"

/*
 * Linux's verifier refuses immediate shifts outside [0, width) ("invalid
 * shift"), and so does xbpf's, while the suite expects them masked.  Such a
 * test is reported skipped, but only after its program ran correctly in
 * the interpreter directly, so the run-time masking is still checked.
 */
static bool conf_has_bad_imm_shift(const struct conf_test *t)
{
	u32 i;

	for (i = 0; i < t->insn_cnt; i++) {
		const struct xbpf_insn *in = &t->insns[i];
		u8 cls = XBPF_CLASS(in->code), op = XBPF_OP(in->code);
		s32 width = cls == XBPF_ALU64 ? 64 : 32;

		if ((cls == XBPF_ALU || cls == XBPF_ALU64) && XBPF_SRC(in->code) == XBPF_K &&
		    (op == XBPF_LSH || op == XBPF_RSH || op == XBPF_ARSH) &&
		    (in->imm < 0 || in->imm >= width))
			return true;
	}
	return false;
}

/*
 * The log of the last conf_run(): stats-only, so it holds every message
 * but not the level-1 trace, which a long-running program's walk would
 * make outgrow the buffer.
 */
static char conf_log[1 << 14];

/*
 * Tests whose programs break a verifier rule Linux has too, so xbpf's
 * verifier refuses them as Linux's would; returns the reason, or NULL
 * when err is not such a refusal.  r1 is the SYSCALL context here: its
 * accesses must be aligned to their size, through r1 itself (not a moved
 * copy), and BPF_ST may not write it.
 */
static const char *conf_linux_refusal(const struct conf_test *t, int err)
{
	if (err == -EINVAL && conf_has_bad_imm_shift(t))
		return "immediate shift out of range: refused at load time as by Linux's verifier";
	if (err == -EACCES && strstr(conf_log, "invalid bpf_context access"))
		return "misaligned context access: refused at load time as by Linux's verifier";
	if (err == -EACCES && strstr(conf_log, "dereference of modified ctx ptr"))
		return "access through a moved context pointer: refused at load time as by Linux's verifier";
	if (err == -EACCES && strstr(conf_log, "BPF_ST stores into R"))
		return "BPF_ST into the context: refused at load time as by Linux's verifier";
	return NULL;
}

/* The runs: r1 = a copy of the memory, r2 = its length. */
static int conf_exec(const struct conf_test *t, struct xbpf_prog *prog, u64 *r0,
		     char *err, size_t errlen)
{
	u64 fast_r0 = 0;
	int ret, model;

	/* Checked first (the result), then fast, which must agree. */
	for (model = 1; model >= 0; model--) {
		struct xt_env env = { 0 };
		u8 *mem = NULL;

		prog->checked = model;
		/* An exactly-sized heap copy: ASan flags any overrun the model misses. */
		if (t->mem_len) {
			mem = malloc(t->mem_len);
			memcpy(mem, t->mem, t->mem_len);
		}
		env.ctx = mem;
		env.ctx_size = t->mem_len;
		env.ctx_writable = true;
		env.r2 = t->mem_len;
		ret = xt_run(prog, &env, model ? r0 : &fast_r0);
		free(mem);
		if (ret) {
			snprintf(err, errlen, "%s run: %d at insn %u: %s",
				 model ? "checked" : "fast", ret, env.fault.insn,
				 env.fault.why ?: "?");
			return ret;
		}
	}
	if (fast_r0 != *r0) {
		snprintf(err, errlen, "fast r0 %#llx differs from checked r0 %#llx",
			 (unsigned long long)fast_r0, (unsigned long long)*r0);
		return -EDOM;
	}
	return 0;
}

static int conf_run(const struct conf_test *t, u64 *r0, char *err, size_t errlen)
{
	struct xbpf_log log;
	struct xbpf_load_params lp = {
		.prog_type = XBPF_PROG_TYPE_SYSCALL,
		.insns = t->insns,
		.insn_cnt = t->insn_cnt,
		.caps = {
			.allow_ptr_leaks = true, .bypass_spec_v1 = true,
			.bypass_spec_v4 = true, .bpf_capable = true, .sys_admin = true,
		},
		.log = &log,
	};
	struct xbpf_prog *prog = NULL;
	int ret;

	conf_log[0] = '\0';
	if (xbpf_log_init(&log, XBPF_LOG_STATS, (u64)(uintptr_t)conf_log, sizeof(conf_log)))
		return -EINVAL;
	ret = xbpf_verify(&lp, &prog);
	if (ret) {
		snprintf(err, errlen, "xbpf_verify: %d", ret);
		return ret;
	}
	ret = conf_exec(t, prog, r0, err, errlen);
	xbpf_prog_put(prog);
	return ret;
}

int main(int argc, char **argv)
{
	char path[4096];
	struct conf_test t;
	unsigned int total = 0;
	FILE *f;
	int r;

	f = conf_open(argc > 1 ? argv[1] : NULL, path, sizeof(path));
	if (!f) {
		printf("not ok 1 open %s: %s\n1..1\n", path, strerror(errno));
		return 1;
	}

	while ((r = conf_next(f, &t)) > 0) {
		const char *skip = conf_skip_reason(&t), *rule = NULL;
		char err[256] = "";
		u64 r0 = 0;

		total++;
		if (!skip)
			rule = conf_linux_refusal(&t, conf_run(&t, &r0, err, sizeof(err)));
		if (skip) {
			xt_skip(skip, "%s", t.name);
		} else if (rule) {
			/* Still run it, in the interpreter directly. */
			struct xbpf_prog *prog = xt_prog(t.insns, t.insn_cnt, true);

			err[0] = '\0';
			if (!conf_exec(&t, prog, &r0, err, sizeof(err)) && r0 == t.result)
				xt_skip(rule, "%s # interpreter result checked directly", t.name);
			else
				xt_report(false, "%s # direct run: %s r0 %#llx", t.name, err,
					  (unsigned long long)r0);
			xt_prog_free(prog);
		} else if (err[0]) {
			xt_report(false, "%s # %s", t.name, err);
		} else {
			if (r0 != t.result)
				xt_diag("%s: r0 %#llx, want %#llx", t.name,
					(unsigned long long)r0, (unsigned long long)t.result);
			xt_report(r0 == t.result, "%s", t.name);
		}
		conf_free(&t);
	}
	fclose(f);
	if (r < 0) {
		xt_report(false, "parse %s near test %u (%s)", path, total + 1, t.name);
		conf_free(&t);
	}
	if (!total)
		xt_report(false, "no tests found in %s", path);
	return xt_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * xbpf_verify(): the pipeline (see env.h for the passes and their order).
 *
 * This file owns the environment: it allocates it, runs the passes,
 * prints the statistics line every outcome ends with, and on any error
 * drops every map reference and the half-built program, so the passes
 * never clean up.
 */
#include "env.h"
#include "disasm.h"
#include "../btf/btf.h"

/* Foundation: the program types whose context the engines can build. */
static bool xbpf_prog_type_known(u32 type)
{
	return type == XBPF_PROG_TYPE_SOCKET_FILTER || type == XBPF_PROG_TYPE_SYSCALL ||
	       type == XBPF_PROG_TYPE_KPROBE || type == XBPF_PROG_TYPE_RAW_TRACEPOINT ||
	       type == XBPF_PROG_TYPE_TRACEPOINT;
}

static int xbpf_check_limits(struct xbpf_verifier_env *env)
{
	u32 limit = env->caps.bpf_capable ? XBPF_COMPLEXITY_LIMIT_INSNS : XBPF_MAXINSNS;

	if (!env->len) {
		xbpf_verbose(env, "empty program\n");
		return -EINVAL;
	}
	if (env->len > limit) {
		xbpf_verbose(env, "program of %u insns is too large (limit %u)\n",
			     env->len, limit);
		return -E2BIG;
	}
	if (!env->insns) {
		xbpf_verbose(env, "no instructions\n");
		return -EINVAL;
	}
	if (!xbpf_prog_type_known(env->p->prog_type)) {
		xbpf_verbose(env, "program type %u is not supported\n", env->p->prog_type);
		return -EINVAL;
	}
	return 0;
}

/* Level 2: the whole program, as the passes accepted it. */
static void xbpf_dump_prog(struct xbpf_verifier_env *env)
{
	u32 i;

	for (i = 0; i < env->len; i++)
		if (!(env->aux[i].flags & XBPF_AUX_LDDW_HI))
			xbpf_verbose_insn(env, i);
}

static void xbpf_print_stats(struct xbpf_verifier_env *env)
{
	u32 i;

	if (env->log->level & XBPF_LOG_STATS) {
		xbpf_verbose(env, "verification time %llu usec\n",
			     (unsigned long long)(xbpf_ktime_get_ns() - env->start_ns) / 1000);
		/* Stack depths are unknown (0) until the abstract interpreter. */
		xbpf_verbose(env, "stack depth ");
		for (i = 0; i < env->subprog_cnt; i++)
			xbpf_verbose(env, "%s%u", i ? "+" : "", env->subprogs[i].stack_depth);
		xbpf_verbose(env, "\n");
	}
	xbpf_verbose(env, "processed %u insns (limit %u) max_states_per_insn %u total_states %u peak_states %u mark_read %d\n",
		     env->insn_processed, XBPF_COMPLEXITY_LIMIT_INSNS,
		     env->max_states_per_insn, env->total_states, env->peak_states, 0);
}

/*
 * The abstract interpreter.  A proof lets the program run unchecked.  A
 * walk that stops on a feature it does not follow yet (-EOPNOTSUPP) is
 * not a proof; in XBPF_CHECK_AUTO a CAP_SYS_ADMIN caller's program is
 * then loaded to run under the checking memory model, which bounds every
 * access and the run's length at run time, and the log says so.
 */
static int xbpf_run_check(struct xbpf_verifier_env *env)
{
	u8 mode = env->p->check;
	int err;

	if (mode == XBPF_CHECK_OFF)
		return 0;
	err = xbpf_check(env);
	if (!err) {
		env->proved = true;
		return 0;
	}
	if (err != -EOPNOTSUPP || mode != XBPF_CHECK_AUTO || !env->caps.sys_admin)
		return err;
	xbpf_verbose(env, "the program will run under the checking memory model\n");
	return 0;
}

static int xbpf_run_passes(struct xbpf_verifier_env *env)
{
	int err;

	err = xbpf_check_limits(env);
	if (err)
		return err;
	env->aux = xbpf_kvzalloc(sizeof(*env->aux) * (size_t)env->len);
	if (!env->aux)
		return -ENOMEM;

	err = xbpf_decode_insns(env);
	if (err)
		return err;
	err = xbpf_check_subprogs(env);
	if (err)
		return err;
	err = xbpf_check_cfg(env);
	if (err)
		return err;
	if (xbpf_log_level2(env))
		xbpf_dump_prog(env);
	err = xbpf_resolve(env);
	if (err)
		return err;
	err = xbpf_run_check(env);
	if (err)
		return err;
	err = xbpf_fixup(env);
	if (err)
		return err;
	/*
	 * Linux's bpf_check_tail_call (bpf_prog_select_runtime, after the
	 * verifier, nothing logged): a program array the program uses takes
	 * it as owner or must match the owner it has.
	 */
	return xbpf_prog_check_tail_maps(env->prog);
}

int xbpf_verify(const struct xbpf_load_params *p, struct xbpf_prog **progp)
{
	struct xbpf_verifier_env *env;
	struct xbpf_log quiet = {};
	int err, log_err;
	u32 i;

	*progp = NULL;
	/* Large (subprogram and map tables): never on the stack. */
	env = xbpf_kzalloc(sizeof(*env));
	if (!env)
		return -ENOMEM;
	env->p = p;
	env->log = p->log ? p->log : &quiet;
	env->insns = p->insns;
	env->len = p->insn_cnt;
	env->caps = p->caps;
	env->start_ns = xbpf_ktime_get_ns();

	err = xbpf_run_passes(env);
	xbpf_print_stats(env);

	/*
	 * A full or unwritable log fails the load, even after success, and
	 * its errno wins over the verdict's, as in bpf(2).
	 */
	log_err = xbpf_log_finish(env->log);
	if (log_err)
		err = log_err;

	if (err) {
		/* The program owns its map references once fixup is done. */
		if (env->prog)
			xbpf_prog_put(env->prog);
	} else {
		*progp = env->prog;
	}
	for (i = 0; i < env->used_map_cnt; i++)
		xbpf_map_put(env->used_maps[i]);
	/* still env's when the load failed before fixup handed them over */
	xbpf_btf_put(env->btf);
	xbpf_kvfree(env->func_info);
	xbpf_kvfree(env->linfo);
	xbpf_kvfree(env->aux);
	xbpf_kfree(env);
	return err;
}

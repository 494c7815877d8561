// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 4: build the program the engines run.  The tag is computed over
 * the instructions as loaded (Linux masks LDDW map immediates, so fds
 * never leak into it); then each LDDW src 1 gets the map's address and
 * each LDDW src 2 the value's address, split over the two imm halves.
 * src_reg stays 1 or 2 so the interpreter and JIT can tell a map or
 * value address from a plain constant.  Then sanitize.c inserts the
 * Spectre sequences through patch.c (which may replace env->prog).
 *
 * The map references move from env to the program only at the very end,
 * when nothing can fail any more.
 */
#include "env.h"

static void xbpf_set_imm64(struct xbpf_insn *insn, u64 v)
{
	insn[0].imm = (s32)(u32)v;
	insn[1].imm = (s32)(u32)(v >> 32);
}

static int xbpf_rewrite_lddw(struct xbpf_verifier_env *env, struct xbpf_prog *prog)
{
	u32 i;
	u64 addr;
	int err;

	for (i = 0; i < prog->len; i++) {
		struct xbpf_insn *insn = &prog->insns[i];
		struct xbpf_map *map = env->aux[i].map;

		if (!map || !xbpf_insn_is_lddw(insn))
			continue;
		if (insn->src_reg == XBPF_PSEUDO_MAP_FD) {
			xbpf_set_imm64(insn, (u64)(uintptr_t)map);
		} else {
			/* resolve.c checked the offset; asked again for the address. */
			err = map->ops->direct_value_addr(map, &addr, env->aux[i].map_off);
			if (WARN_ON_ONCE(err))
				return err;
			xbpf_set_imm64(insn, addr + env->aux[i].map_off);
		}
	}
	return 0;
}

/*
 * The walk's facts per function, after every patch (patch.c kept the
 * subprogram starts in step).  Only a proved program has them: an
 * unproved one's depths were never computed.
 */
static int xbpf_fixup_funcs(struct xbpf_verifier_env *env)
{
	struct xbpf_prog *prog = env->prog;
	struct xbpf_func_desc *f;
	u32 i;

	if (!env->proved)
		return 0;
	f = xbpf_kzalloc(sizeof(*f) * env->subprog_cnt);
	if (!f)
		return -ENOMEM;
	for (i = 0; i < env->subprog_cnt; i++) {
		f[i].start = env->subprogs[i].start;
		f[i].stack_depth = env->subprogs[i].stack_depth;
		f[i].has_tail_call = env->subprogs[i].has_tail_call;
		f[i].tail_call_reachable = env->subprogs[i].tail_call_reachable;
	}
	prog->funcs = f;
	prog->nr_funcs = env->subprog_cnt;
	prog->stack_depth = f[0].stack_depth;
	return 0;
}

int xbpf_fixup(struct xbpf_verifier_env *env)
{
	struct xbpf_prog *prog;
	struct xbpf_map **maps = NULL;
	u32 i;
	int err;

	if (env->used_map_cnt) {
		maps = xbpf_kzalloc(sizeof(*maps) * env->used_map_cnt);
		if (!maps)
			return -ENOMEM;
	}
	prog = xbpf_prog_alloc(env->len);
	if (!prog) {
		xbpf_kfree(maps);
		return -ENOMEM;
	}
	prog->type = env->p->prog_type;
	prog->expected_attach_type = env->p->expected_attach_type;
	prog->len = env->len;
	prog->orig_len = env->len;
	prog->verified_insns = env->insn_processed;
	prog->max_ctx_offset = env->ctx_max_end;
	/* a PROG_ARRAY owner fact, as Linux records it for every type */
	prog->xdp_has_frags = !!(env->p->prog_flags & XBPF_F_XDP_HAS_FRAGS);
	/* Only a program the walk proved runs without the run-time checks. */
	prog->checked = !env->proved;
	memcpy(prog->insns, env->insns, sizeof(*prog->insns) * (size_t)env->len);
	xbpf_prog_calc_tag(prog);
	/* From here env owns it (verifier.c drops it on error) and patches may replace it. */
	env->prog = prog;

	err = xbpf_rewrite_lddw(env, prog);
	if (!err)
		err = xbpf_sanitize_fixup(env);
	if (!err)
		err = xbpf_fixup_div(env);
	if (!err)
		err = xbpf_fixup_tail_mask(env);
	if (!err)
		err = xbpf_fixup_funcs(env);
	if (!err)
		err = xbpf_fixup_tail_sites(env);
	if (err) {
		xbpf_kfree(maps);
		return err;
	}
	prog = env->prog;

	if (maps) {
		memcpy(maps, env->used_maps, sizeof(*maps) * env->used_map_cnt);
		prog->maps = maps;
		prog->nr_maps = env->used_map_cnt;
		env->used_map_cnt = 0;	/* the references now belong to prog */
	}
	/* func_info names each subprogram's start, wherever patching moved it */
	for (i = 0; i < env->func_info_cnt; i++)
		env->func_info[i].insn_off = env->subprogs[i].start;
	prog->btf = env->btf;
	prog->func_info = env->func_info;
	prog->func_info_cnt = env->func_info_cnt;
	prog->line_info = env->linfo;
	prog->line_info_cnt = env->linfo_cnt;
	env->btf = NULL;
	env->func_info = NULL;
	env->func_info_cnt = 0;
	env->linfo = NULL;
	env->linfo_cnt = 0;
	return 0;
}

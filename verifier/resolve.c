// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 3: names to objects.  LDDW with src 1 (map fd) and src 2 (map fd
 * plus value offset) get their maps through the owner's map_from_fd,
 * which returns a new reference; env keeps exactly one reference per
 * distinct map (in used_maps) and drops the extras at once.  Helper calls
 * must name a helper this build has and this program may call.
 *
 * Nothing is rewritten here: the abstract interpreter that follows this
 * pass (Verifier issue) reads aux[].map and wants the program as loaded.
 */
#include "env.h"

/* Keeps map (a new reference) in used_maps; returns the kept pointer. */
static struct xbpf_map *xbpf_use_map(struct xbpf_verifier_env *env,
				     struct xbpf_map *map, int *err)
{
	u32 i;

	for (i = 0; i < env->used_map_cnt; i++) {
		if (env->used_maps[i] == map) {
			xbpf_map_put(map);	/* env already holds one */
			return env->used_maps[i];
		}
	}
	if (env->used_map_cnt >= XBPF_MAX_USED_MAPS) {
		xbpf_map_put(map);
		xbpf_verbose(env, "The maximum number of used maps is %d\n",
			     XBPF_MAX_USED_MAPS);
		*err = -E2BIG;
		return NULL;
	}
	env->used_maps[env->used_map_cnt++] = map;
	return map;
}

static int xbpf_resolve_lddw(struct xbpf_verifier_env *env, u32 idx)
{
	const struct xbpf_insn *insn = &env->insns[idx];
	struct xbpf_insn_aux *aux = &env->aux[idx];
	struct xbpf_map *map = NULL;
	u64 addr;
	u32 off;
	int err = 0;

	if (insn->src_reg != XBPF_PSEUDO_MAP_FD && insn->src_reg != XBPF_PSEUDO_MAP_VALUE)
		return 0;	/* plain 64-bit constant; decode.c refused the rest */

	if (env->p->ops && env->p->ops->map_from_fd)
		map = env->p->ops->map_from_fd(env->p->priv, insn->imm);
	if (!map) {
		xbpf_verbose_insn(env, idx);
		xbpf_verbose(env, "fd %d is not pointing to valid bpf_map\n", insn->imm);
		return -EBADF;
	}
	map = xbpf_use_map(env, map, &err);
	if (!map)
		return err;
	aux->map = map;

	if (insn->src_reg == XBPF_PSEUDO_MAP_VALUE) {
		off = (u32)insn[1].imm;
		if (!map->ops->direct_value_addr) {
			xbpf_verbose_insn(env, idx);
			xbpf_verbose(env, "no direct value access support for this map type\n");
			return -EINVAL;
		}
		err = map->ops->direct_value_addr(map, &addr, off);
		if (err) {
			xbpf_verbose_insn(env, idx);
			xbpf_verbose(env, "invalid access to map value pointer, value_size=%u off=%u\n",
				     map->value_size, off);
			return err;
		}
		aux->map_off = off;
	}
	return 0;
}

static int xbpf_resolve_helper(struct xbpf_verifier_env *env, u32 idx)
{
	s32 id = env->insns[idx].imm;
	const struct xbpf_helper_proto *proto;

	proto = id < 0 ? NULL : xbpf_helper_proto((u32)id);
	if (!proto) {
		xbpf_verbose_insn(env, idx);
		xbpf_verbose(env, "invalid func unknown#%d\n", id);
		return -EINVAL;
	}
	/* A helper this build has, but not for this program (func_proto.c). */
	if (!xbpf_func_proto(env, (u32)id)) {
		xbpf_verbose_insn(env, idx);
		xbpf_verbose(env, "unknown func bpf_%s#%d\n", proto->name, id);
		return -EINVAL;
	}
	/*
	 * Linux checks this in its walk; here every call site is checked,
	 * so a program loaded unproved cannot reach one either.
	 */
	if (proto->gpl_only && !env->p->gpl_compatible) {
		xbpf_verbose_insn(env, idx);
		xbpf_verbose(env, "cannot call GPL-restricted function from non-GPL compatible program\n");
		return -EINVAL;
	}
	return 0;
}

int xbpf_resolve(struct xbpf_verifier_env *env)
{
	u32 i;
	int err;

	for (i = 0; i < env->len; i++) {
		const struct xbpf_insn *insn = &env->insns[i];

		if (env->aux[i].flags & XBPF_AUX_LDDW_HI)
			continue;
		if (xbpf_insn_is_lddw(insn))
			err = xbpf_resolve_lddw(env, i);
		else if (xbpf_insn_is_helper_call(insn))
			err = xbpf_resolve_helper(env, i);
		else
			continue;
		if (err)
			return err;
	}
	return 0;
}

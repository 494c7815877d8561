// SPDX-License-Identifier: GPL-2.0
/*
 * Helper calls in the abstract interpreter (docs/verifier-design.md,
 * helpers.c): each argument register against its kind in the helper's
 * struct xbpf_helper_proto, then the call's effect on the registers:
 * R1-R5 are caller-saved (unreadable afterwards), R0 takes the return
 * kind.
 *
 * Handled argument kinds: CONST_MAP_PTR, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE
 * (both read by the helper: initialised stack or a map value with room)
 * and ANYTHING.  Others fail with -EOPNOTSUPP until their checks exist.
 * Helper/map-type compatibility is not checked yet: the two map types
 * xbpf has (array, hash) work with every map helper.
 */
#include "check.h"

/* What earlier arguments tell the checks of later ones. */
struct xbpf_call_meta {
	const struct xbpf_map	*map;	/* the CONST_MAP_PTR argument */
};

/* A buffer of size bytes the helper reads: stack or map value. */
static int xbpf_check_mem_arg(struct xbpf_check *c, const struct xbpf_reg *reg,
			      u32 regno, u32 size)
{
	switch (reg->type) {
	case XBPF_PTR_TO_STACK:
		return xbpf_check_stack_range_read(c, reg, regno, size);
	case XBPF_PTR_TO_MAP_VALUE:
		if (reg->flags & XBPF_REG_OR_NULL)
			break;
		/* The helper reads it, which the map's creator may have forbidden. */
		if (reg->map->map_flags & XBPF_F_WRONLY_PROG)
			return xbpf_reject(c, -EACCES, "read from map forbidden, value_size=%u off=%d size=%u\n",
					   reg->map->value_size, reg->off, size);
		return xbpf_check_map_value_range(c, reg, regno, 0, size);
	default:
		break;
	}
	return xbpf_reject(c, -EACCES, "R%u type=%s expected=fp, map_value\n",
			   regno, xbpf_reg_name(reg));
}

static int xbpf_check_arg(struct xbpf_check *c, const struct xbpf_helper_proto *proto,
			  u32 arg, struct xbpf_call_meta *meta)
{
	u32 regno = arg + 1;
	const struct xbpf_reg *reg = &xbpf_cur_regs(c->cur)[regno];
	enum xbpf_arg_type kind = proto->arg[arg];
	int err;

	if (kind == XBPF_ARG_DONTCARE)
		return 0;
	err = xbpf_check_read(c, regno);
	if (err)
		return err;

	switch (kind) {
	case XBPF_ARG_ANYTHING:
		if (xbpf_reg_is_pointer(reg) && !c->env->caps.allow_ptr_leaks)
			return xbpf_reject(c, -EACCES, "R%u leaks addr into helper function\n",
					   regno);
		return 0;
	case XBPF_ARG_CONST_MAP_PTR:
		if (reg->type != XBPF_CONST_PTR_TO_MAP)
			return xbpf_reject(c, -EACCES, "R%u type=%s expected=map_ptr\n",
					   regno, xbpf_reg_name(reg));
		meta->map = reg->map;
		return 0;
	case XBPF_ARG_PTR_TO_MAP_KEY:
	case XBPF_ARG_PTR_TO_MAP_VALUE:
		/* The sizes come from the map argument, which comes first. */
		if (!meta->map)
			return xbpf_reject(c, -EACCES, "invalid map_ptr to access map->%s\n",
					   kind == XBPF_ARG_PTR_TO_MAP_KEY ? "key" : "value");
		return xbpf_check_mem_arg(c, reg, regno,
					  kind == XBPF_ARG_PTR_TO_MAP_KEY ?
					  meta->map->key_size : meta->map->value_size);
	default:
		return xbpf_unsupported(c, "this helper argument kind");
	}
}

int xbpf_check_helper_call(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	const struct xbpf_helper_proto *proto = NULL;
	struct xbpf_call_meta meta = {};
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	u32 i;
	int err;

	/* resolve.c refused unknown ids; looked up again for the proto. */
	if (insn->imm >= 0)
		proto = xbpf_helper_proto((u32)insn->imm);
	if (!proto)
		return xbpf_reject(c, -EINVAL, "invalid func unknown#%d\n", insn->imm);

	for (i = 0; i < ARRAY_SIZE(proto->arg); i++) {
		err = xbpf_check_arg(c, proto, i, &meta);
		if (err)
			return err;
	}

	/* Checked before any register changes, so a rejection logs the inputs. */
	switch (proto->ret) {
	case XBPF_RET_INTEGER:
	case XBPF_RET_VOID:
		break;
	case XBPF_RET_PTR_TO_MAP_VALUE_OR_NULL:
		if (WARN_ON_ONCE(!meta.map))
			return xbpf_reject(c, -EINVAL, "kernel subsystem misconfigured verifier\n");
		break;
	default:
		return xbpf_unsupported(c, "this helper return kind");
	}

	/* The helper may have changed every caller-saved register. */
	for (i = 1; i <= 5; i++)
		xbpf_reg_mark_not_init(&regs[i]);

	switch (proto->ret) {
	case XBPF_RET_INTEGER:
		xbpf_reg_mark_unknown(&regs[0]);
		break;
	case XBPF_RET_VOID:
		xbpf_reg_mark_not_init(&regs[0]);
		break;
	default:
		/* A fresh id: the null check of one lookup says nothing of another. */
		xbpf_reg_mark_ptr(&regs[0], XBPF_PTR_TO_MAP_VALUE, 0);
		regs[0].flags = XBPF_REG_OR_NULL;
		regs[0].map = meta.map;
		regs[0].id = ++c->id_gen;
		break;
	}
	return 0;
}

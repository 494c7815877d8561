// SPDX-License-Identifier: GPL-2.0
/*
 * Helper calls in the abstract interpreter (docs/verifier-design.md,
 * helpers.c): each argument register against its kind in the helper's
 * struct xbpf_helper_proto, then the call's effect on the registers:
 * R1-R5 are caller-saved (unreadable afterwards), R0 takes the return
 * kind.
 *
 * Argument kinds: CONST_MAP_PTR, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE (both
 * read by the helper: initialised stack or a map value with room),
 * ANYTHING, PTR_TO_MEM / PTR_TO_UNINIT_MEM checked when their
 * CONST_SIZE(_OR_ZERO) argument comes, PTR_TO_CTX, PTR_TO_ALLOC_MEM (a
 * record, at offset 0) and CONST_ALLOC_SIZE_OR_ZERO, as Linux 6.1's
 * check_func_arg.  A proto's acquire/release_arg drive refs.c; the map
 * argument must suit the helper (check_map_func_compatibility).
 */
#include "check.h"

/* What earlier arguments tell the checks of later ones. */
struct xbpf_call_meta {
	const struct xbpf_map	*map;		/* the CONST_MAP_PTR argument */
	u32			mem_size;	/* CONST_ALLOC_SIZE_OR_ZERO's value */
	u32			ref_obj_id;	/* of the one referenced argument */
	/* A helper-filled stack buffer, marked written after every argument. */
	u32			raw_regno;
	u32			raw_size;
	const struct xbpf_reg	*raw_reg;
};

static bool xbpf_arg_is_mem(enum xbpf_arg_type kind)
{
	return kind == XBPF_ARG_PTR_TO_MEM || kind == XBPF_ARG_PTR_TO_UNINIT_MEM;
}

static bool xbpf_arg_is_size(enum xbpf_arg_type kind)
{
	return kind == XBPF_ARG_CONST_SIZE || kind == XBPF_ARG_CONST_SIZE_OR_ZERO;
}

/* Linux's check_func_proto: a size follows each buffer and only a buffer. */
static bool xbpf_proto_ok(const struct xbpf_helper_proto *proto)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(proto->arg); i++) {
		bool mem = xbpf_arg_is_mem(proto->arg[i]);
		bool next_size = i + 1 < ARRAY_SIZE(proto->arg) &&
				 xbpf_arg_is_size(proto->arg[i + 1]);

		if (mem != next_size)
			return false;
	}
	if (xbpf_arg_is_size(proto->arg[0]) || proto->release_arg > ARRAY_SIZE(proto->arg))
		return false;
	if (proto->acquire && proto->ret != XBPF_RET_PTR_TO_ALLOC_MEM_OR_NULL)
		return false;
	return !proto->release_arg ||
	       proto->arg[proto->release_arg - 1] == XBPF_ARG_PTR_TO_ALLOC_MEM;
}

/* Linux's __check_ptr_off_reg without a fixed offset: the pointer as received. */
static int xbpf_check_ptr_unmodified(struct xbpf_check *c, const struct xbpf_reg *reg,
				     u32 regno)
{
	if (reg->off < 0)
		return xbpf_reject(c, -EACCES, "negative offset %s ptr R%u off=%d disallowed\n",
				   xbpf_reg_name(reg), regno, reg->off);
	if (reg->off)
		return xbpf_reject(c, -EACCES, "dereference of modified %s ptr R%u off=%d disallowed\n",
				   xbpf_reg_name(reg), regno, reg->off);
	if (!xbpf_scalar_is_const(&reg->s) || reg->s.var.value)
		return xbpf_reject(c, -EACCES, "variable %s access var_off=(%#llx; %#llx) disallowed\n",
				   xbpf_reg_name(reg), (unsigned long long)reg->s.var.value,
				   (unsigned long long)reg->s.var.mask);
	return 0;
}

/*
 * size bytes at reg (checked as a PTR_TO_MEM argument) for a helper that
 * reads them, or fills them (write).  A stack buffer the helper fills
 * need not be initialised when its size is a constant (raw): it is
 * marked written once every argument is checked.
 */
static int xbpf_check_helper_mem(struct xbpf_check *c, const struct xbpf_reg *reg,
				 u32 regno, u32 size, bool zero_ok, bool write, bool raw,
				 struct xbpf_call_meta *meta)
{
	const struct xbpf_map *map = reg->map;
	s64 off;

	switch (reg->type) {
	case XBPF_PTR_TO_STACK:
		if (!size) {
			if (!zero_ok)
				return xbpf_reject(c, -EACCES, "invalid zero-sized read\n");
			off = (s64)reg->off + (s64)reg->s.var.value;
			if (!xbpf_scalar_is_const(&reg->s) || off >= 0 || off < -XBPF_MAX_STACK)
				return xbpf_reject(c, -EACCES, "invalid indirect access to stack R%u off=%lld size=0\n",
						   regno, (long long)off);
			return 0;
		}
		if (!(write && raw)) {
			int err = xbpf_check_stack_range_read(c, reg, regno, size);

			if (err)
				return err;
		}
		/* The helper writes anything there: MISC from now on. */
		if (write) {
			meta->raw_reg = reg;
			meta->raw_regno = regno;
			meta->raw_size = size;
		}
		return 0;
	case XBPF_PTR_TO_MAP_VALUE:
		if (write && (map->map_flags & XBPF_F_RDONLY_PROG))
			return xbpf_reject(c, -EACCES, "write into map forbidden, value_size=%u off=%d size=%u\n",
					   map->value_size, reg->off, size);
		if (!write && (map->map_flags & XBPF_F_WRONLY_PROG))
			return xbpf_reject(c, -EACCES, "read from map forbidden, value_size=%u off=%d size=%u\n",
					   map->value_size, reg->off, size);
		if (!size && !zero_ok)
			return xbpf_reject(c, -EACCES, "invalid access to map value, value_size=%u off=%d size=0\n",
					   map->value_size, reg->off);
		return xbpf_check_map_value_range(c, reg, regno, 0, size);
	case XBPF_PTR_TO_MEM:
		if (write && (reg->flags & XBPF_REG_RDONLY))
			return xbpf_reject(c, -EACCES, "R%u cannot write into %s\n",
					   regno, xbpf_reg_name(reg));
		return xbpf_check_mem_region(c, reg, regno, 0, size, zero_ok);
	default:
		/* The buffer argument's type was checked already. */
		WARN_ON_ONCE(1);
		return -EFAULT;
	}
}

/* Linux's check_mem_size_reg: the size register bounds the buffer before it. */
static int xbpf_check_size_arg(struct xbpf_check *c, const struct xbpf_helper_proto *proto,
			       u32 arg, struct xbpf_call_meta *meta)
{
	const struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	const struct xbpf_reg *size = &regs[arg + 1];
	const struct xbpf_reg *mem = &regs[arg];
	bool zero_ok = proto->arg[arg] == XBPF_ARG_CONST_SIZE_OR_ZERO;
	bool write = proto->arg[arg - 1] == XBPF_ARG_PTR_TO_UNINIT_MEM;
	/* A variable size may fill less than umax bytes: those must be initialised. */
	bool raw = xbpf_scalar_is_const(&size->s);
	int err;

	/* Every check below reads the size's bounds. */
	err = xbpf_mark_precise(c, arg + 1);
	if (err)
		return err;
	if (size->s.smin < 0)
		return xbpf_reject(c, -EACCES, "R%u min value is negative, either use unsigned or 'var &= const'\n",
				   arg + 1);
	if (!size->s.umin) {
		err = xbpf_check_helper_mem(c, mem, arg, 0, zero_ok, write, raw, meta);
		if (err)
			return err;
	}
	if (size->s.umax >= XBPF_MAX_VAR_OFF)
		return xbpf_reject(c, -EACCES, "R%u unbounded memory access, use 'var &= const' or 'if (var < const)'\n",
				   arg + 1);
	return xbpf_check_helper_mem(c, mem, arg, (u32)size->s.umax, zero_ok, write, raw, meta);
}

/* A buffer of size bytes the helper reads: stack or map value. */
static int xbpf_check_mem_arg(struct xbpf_check *c, const struct xbpf_reg *reg,
			      u32 regno, u32 size)
{
	switch (reg->type) {
	case XBPF_PTR_TO_STACK:
		/* A ring buffer's key_size is 0: Linux fails here, before compatibility. */
		if (!size)
			return xbpf_reject(c, -EACCES, "invalid zero-sized read\n");
		return xbpf_check_stack_range_read(c, reg, regno, size);
	case XBPF_PTR_TO_MAP_VALUE:
		if (reg->flags & XBPF_REG_OR_NULL)
			break;
		if (!size)
			return xbpf_reject(c, -EACCES, "invalid access to map value, value_size=%u off=%d size=0\n",
					   reg->map->value_size, reg->off);
		/* The helper reads it, which the map's creator may have forbidden. */
		if (reg->map->map_flags & XBPF_F_WRONLY_PROG)
			return xbpf_reject(c, -EACCES, "read from map forbidden, value_size=%u off=%d size=%u\n",
					   reg->map->value_size, reg->off, size);
		return xbpf_check_map_value_range(c, reg, regno, 0, size);
	case XBPF_PTR_TO_PACKET:
	case XBPF_PTR_TO_PACKET_META:
	case XBPF_PTR_TO_MAP_KEY:
		/* Linux's map_key_value_types take them too. */
		if (!(reg->flags & XBPF_REG_OR_NULL))
			return xbpf_unsupported(c, "packet or map key memory as a helper's key or value");
		break;
	default:
		break;
	}
	/* Linux's map_key_value_types, in its order (check_reg_type). */
	return xbpf_reject(c, -EACCES, "R%u type=%s expected=fp, pkt, pkt_meta, map_key, map_value\n",
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

	if (reg->ref_obj_id) {
		if (meta->ref_obj_id)
			return xbpf_reject(c, -EFAULT, "verifier internal error: more than one arg with ref_obj_id R%u %u %u\n",
					   regno, reg->ref_obj_id, meta->ref_obj_id);
		meta->ref_obj_id = reg->ref_obj_id;
	}

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
	case XBPF_ARG_PTR_TO_MEM:
	case XBPF_ARG_PTR_TO_UNINIT_MEM:
		/* Only the type here: the size argument that follows bounds it. */
		if (reg->flags & XBPF_REG_OR_NULL)
			break;
		if (reg->type == XBPF_PTR_TO_STACK || reg->type == XBPF_PTR_TO_MAP_VALUE ||
		    reg->type == XBPF_PTR_TO_MEM)
			return 0;
		if (reg->type == XBPF_PTR_TO_MAP_KEY || reg->type == XBPF_PTR_TO_PACKET ||
		    reg->type == XBPF_PTR_TO_PACKET_META)
			return xbpf_unsupported(c, "this pointer type as helper memory");
		break;
	case XBPF_ARG_CONST_SIZE:
	case XBPF_ARG_CONST_SIZE_OR_ZERO:
		if (reg->type != XBPF_SCALAR)
			return xbpf_reject(c, -EACCES, "R%u type=%s expected=scalar\n",
					   regno, xbpf_reg_name(reg));
		return xbpf_check_size_arg(c, proto, arg, meta);
	case XBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO:
		if (reg->type != XBPF_SCALAR)
			return xbpf_reject(c, -EACCES, "R%u type=%s expected=scalar\n",
					   regno, xbpf_reg_name(reg));
		if (!xbpf_scalar_is_const(&reg->s))
			return xbpf_reject(c, -EACCES, "R%u is not a known constant'\n", regno);
		/* The helper hands out exactly this many bytes. */
		err = xbpf_mark_precise(c, regno);
		if (err)
			return err;
		/* Truncated as Linux does: never more than the helper hands out. */
		meta->mem_size = (u32)reg->s.var.value;
		return 0;
	case XBPF_ARG_PTR_TO_CTX:
		if (reg->type != XBPF_PTR_TO_CTX)
			return xbpf_reject(c, -EACCES, "R%u type=%s expected=ctx\n",
					   regno, xbpf_reg_name(reg));
		return xbpf_check_ptr_unmodified(c, reg, regno);
	case XBPF_ARG_PTR_TO_ALLOC_MEM:
		if (reg->type != XBPF_PTR_TO_MEM || !(reg->flags & XBPF_REG_ALLOC) ||
		    (reg->flags & XBPF_REG_OR_NULL))
			return xbpf_reject(c, -EACCES, "R%u type=%s expected=alloc_mem\n",
					   regno, xbpf_reg_name(reg));
		/* The helper finds the record's header just before offset 0. */
		err = xbpf_check_ptr_unmodified(c, reg, regno);
		if (err)
			return err;
		if (proto->release_arg == regno && !reg->ref_obj_id)
			return xbpf_reject(c, -EINVAL, "R%u must be referenced when passed to release function\n",
					   regno);
		return 0;
	default:
		return xbpf_unsupported(c, "this helper argument kind");
	}
	return xbpf_reject(c, -EACCES, "R%u type=%s expected=fp, pkt, pkt_meta, map_key, map_value, mem, alloc_mem, buf\n",
			   regno, xbpf_reg_name(reg));
}

/*
 * Linux's check_map_func_compatibility, both ways, for the map types and
 * helpers xbpf knows: a ring buffer has no elements to look up, and its
 * helpers need one; a program array is for bpf_tail_call only.
 */
static int xbpf_check_map_func(struct xbpf_check *c, const struct xbpf_map *map, u32 func_id,
			       const char *name)
{
	bool ringbuf_func = func_id == XBPF_FUNC_ringbuf_output ||
			    func_id == XBPF_FUNC_ringbuf_reserve ||
			    func_id == XBPF_FUNC_ringbuf_query;

	if (!map)
		return 0;
	if (map->map_type == XBPF_MAP_TYPE_RINGBUF && !ringbuf_func)
		goto error;
	if (ringbuf_func && map->map_type != XBPF_MAP_TYPE_RINGBUF)
		goto error;
	if (func_id == XBPF_FUNC_tail_call && map->map_type != XBPF_MAP_TYPE_PROG_ARRAY)
		goto error;
	/* its slots are programs: nothing but bpf_tail_call may touch them */
	if (map->map_type == XBPF_MAP_TYPE_PROG_ARRAY && func_id != XBPF_FUNC_tail_call)
		goto error;
	return 0;
error:
	return xbpf_reject(c, -EINVAL, "cannot pass map_type %u into func bpf_%s#%u\n",
			   map->map_type, name, func_id);
}

int xbpf_check_helper_call(struct xbpf_check *c, const struct xbpf_insn *insn)
{
	const struct xbpf_helper_proto *proto = NULL;
	struct xbpf_call_meta meta = {};
	struct xbpf_reg *regs = xbpf_cur_regs(c->cur);
	u32 i, id = 0;
	int err;

	/* resolve.c refused ids this program may not call; looked up again for the proto. */
	if (insn->imm >= 0)
		proto = xbpf_func_proto(c->env, (u32)insn->imm);
	if (!proto)
		return xbpf_reject(c, -EINVAL, "invalid func unknown#%d\n", insn->imm);
	if (!xbpf_proto_ok(proto))
		return xbpf_reject(c, -EINVAL, "kernel subsystem misconfigured func bpf_%s#%d\n",
				   proto->name, insn->imm);

	for (i = 0; i < ARRAY_SIZE(proto->arg); i++) {
		err = xbpf_check_arg(c, proto, i, &meta);
		if (err)
			return err;
	}
	err = xbpf_check_map_func(c, meta.map, (u32)insn->imm, proto->name);
	if (err)
		return err;
	if (insn->imm == XBPF_FUNC_tail_call) {
		/* A tail call that succeeds leaves the frame: held references would leak. */
		err = xbpf_ref_check_none(c);
		if (err) {
			xbpf_verbose(c->env, "tail_call would lead to reference leak\n");
			return err;
		}
		err = xbpf_record_tail_site(c, meta.map);
		if (err)
			return err;
	}

	/* Checked before any register changes, so a rejection logs the inputs. */
	switch (proto->ret) {
	case XBPF_RET_INTEGER:
	case XBPF_RET_VOID:
	case XBPF_RET_PTR_TO_ALLOC_MEM_OR_NULL:
		break;
	case XBPF_RET_PTR_TO_MAP_VALUE_OR_NULL:
		if (WARN_ON_ONCE(!meta.map))
			return xbpf_reject(c, -EINVAL, "kernel subsystem misconfigured verifier\n");
		break;
	default:
		return xbpf_unsupported(c, "this helper return kind");
	}

	/* What the helper fills is initialised now, whatever was there. */
	if (meta.raw_reg) {
		err = xbpf_check_stack_range_write(c, meta.raw_reg, meta.raw_regno, meta.raw_size);
		if (err)
			return err;
	}
	if (proto->release_arg) {
		err = xbpf_ref_release(c, meta.ref_obj_id);
		if (err)
			return xbpf_reject(c, err, "func bpf_%s#%d reference has not been acquired before\n",
					   proto->name, insn->imm);
	}

	/*
	 * A tail call that succeeds runs the target instead: in the main
	 * program that ends the program (its R0 is the target's, never seen
	 * here); in a subprogram (cfg.c: BTF returns a scalar) the target's
	 * exit returns to the subprogram's caller with some scalar.  Only the
	 * failing call falls through.
	 */
	if (insn->imm == XBPF_FUNC_tail_call && c->cur->curframe) {
		struct xbpf_reg any;

		xbpf_reg_mark_unknown(&any);
		err = xbpf_push_abnormal_return(c, &any);
		if (err)
			return err;
	}

	/* The helper may have changed every caller-saved register. */
	for (i = 1; i <= 5; i++)
		xbpf_reg_mark_not_init(&regs[i]);

	switch (proto->ret) {
	case XBPF_RET_INTEGER:
		xbpf_reg_mark_unknown(&regs[0]);
		return 0;
	case XBPF_RET_VOID:
		xbpf_reg_mark_not_init(&regs[0]);
		return 0;
	case XBPF_RET_PTR_TO_ALLOC_MEM_OR_NULL:
		xbpf_reg_mark_ptr(&regs[0], XBPF_PTR_TO_MEM, 0);
		regs[0].flags = XBPF_REG_OR_NULL | XBPF_REG_ALLOC;
		regs[0].mem_size = meta.mem_size;
		break;
	default:
		xbpf_reg_mark_ptr(&regs[0], XBPF_PTR_TO_MAP_VALUE, 0);
		regs[0].flags = XBPF_REG_OR_NULL;
		regs[0].map = meta.map;
		break;
	}
	/*
	 * A fresh id: the null check of one result says nothing of another.
	 * An acquired object's id is its reference's, so the null check's
	 * NULL arm can drop the reference (check.c).
	 */
	if (proto->acquire) {
		err = xbpf_ref_acquire(c, &id);
		if (err)
			return err;
		regs[0].ref_obj_id = id;
	} else {
		id = ++c->id_gen;
	}
	regs[0].id = id;
	return 0;
}

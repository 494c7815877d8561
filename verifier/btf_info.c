// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_LOAD's BTF description of the program, checked as Linux 6.1's
 * check_btf_info() does, right after the subprogram table is known:
 *
 *  - func_info: one record per subprogram, in order, each at its
 *    subprogram's first instruction, naming a BTF FUNC; whether that
 *    function returns a scalar decides if it may use LD_ABS/LD_IND or a
 *    tail call (cfg.c's xbpf_check_abnormal_return);
 *  - line_info: strictly increasing instruction offsets inside the
 *    program, never on an LDDW's second slot, naming valid strings, with
 *    a record at every subprogram's start.
 *
 * Records are read one at a time from the caller's memory with bpf(2)'s
 * rule for structs that grew: a record longer than ours must end in
 * zeros (-E2BIG otherwise).
 */
#include "env.h"
#include "../btf/btf.h"

#define XBPF_FUNC_INFO_MIN_SIZE	sizeof(struct xbpf_func_info)
#define XBPF_LINE_INFO_MIN_SIZE	sizeof(struct xbpf_line_info)
/* Linux's MAX_FUNCINFO_REC_SIZE, also the line_info limit */
#define XBPF_BTF_REC_MAX_SIZE	252

/*
 * Copies record i (rec_size bytes at ubase) into krec (ksize <= rec_size
 * bytes); -EFAULT, or -E2BIG when the bytes past ksize are not zero, with
 * ksize for the caller to write back into field (Linux 6.1 writes the
 * size it supports into the attr's rec_size field then).
 */
static int xbpf_btf_rec_read(struct xbpf_verifier_env *env, u64 ubase, u32 i, u32 rec_size,
			     void *krec, u32 ksize, const char *what, u32 field)
{
	struct xbpf_rec_size_fixup *fixup = env->p->rec_size_fixup;

	u8 buf[XBPF_BTF_REC_MAX_SIZE];
	u32 j;

	if (xbpf_copy_from_user(buf, ubase + (u64)i * rec_size, rec_size))
		return -EFAULT;
	for (j = ksize; j < rec_size; j++) {
		if (buf[j]) {
			xbpf_verbose(env, "nonzero tailing record in %s\n", what);
			if (fixup) {
				fixup->field = field;
				fixup->size = ksize;
			}
			return -E2BIG;
		}
	}
	memcpy(krec, buf, ksize);
	return 0;
}

static int xbpf_check_btf_func(struct xbpf_verifier_env *env)
{
	const struct xbpf_load_params *p = env->p;
	const struct xbpf_btf_type *func, *proto;
	struct xbpf_func_info *rec;
	u32 n = p->func_info_cnt, size = p->func_info_rec_size, i;
	int err;

	if (!n) {
		for (i = 1; i < env->subprog_cnt; i++) {
			err = xbpf_check_abnormal_return(env, i);
			if (err)
				return err;
		}
		return 0;
	}
	if (n != env->subprog_cnt) {
		xbpf_verbose(env, "number of funcs in func_info doesn't match number of subprogs\n");
		return -EINVAL;
	}
	if (size < XBPF_FUNC_INFO_MIN_SIZE || size > XBPF_BTF_REC_MAX_SIZE || size % sizeof(u32)) {
		xbpf_verbose(env, "invalid func info rec size %u\n", size);
		return -EINVAL;
	}
	/* env owns it from here: cfg.c's messages now speak of func_info */
	env->func_info = xbpf_kvzalloc(sizeof(*env->func_info) * (size_t)n);
	if (!env->func_info)
		return -ENOMEM;
	env->func_info_cnt = n;

	for (i = 0; i < n; i++) {
		rec = &env->func_info[i];
		err = xbpf_btf_rec_read(env, p->func_info, i, size, rec, sizeof(*rec), "func info",
					XBPF_REC_SIZE_FUNC_INFO);
		if (err)
			return err;
		if (!i && rec->insn_off) {
			xbpf_verbose(env, "nonzero insn_off %u for the first func info record\n",
				     rec->insn_off);
			return -EINVAL;
		}
		if (i && rec->insn_off <= env->func_info[i - 1].insn_off) {
			xbpf_verbose(env, "same or smaller insn offset (%u) than previous func info record (%u)\n",
				     rec->insn_off, env->func_info[i - 1].insn_off);
			return -EINVAL;
		}
		if (env->subprogs[i].start != rec->insn_off) {
			xbpf_verbose(env, "func_info BTF section doesn't match subprog layout in BPF program\n");
			return -EINVAL;
		}
		func = xbpf_btf_type_by_id(env->btf, rec->type_id);
		if (!func || xbpf_btf_kind(func) != XBPF_BTF_KIND_FUNC) {
			xbpf_verbose(env, "invalid type id %d in func info\n", (int)rec->type_id);
			return -EINVAL;
		}
		/* BTF_LOAD checked that a FUNC's type is a valid FUNC_PROTO */
		proto = xbpf_btf_type_by_id(env->btf, func->type);
		if (WARN_ON_ONCE(!proto || xbpf_btf_kind(proto) != XBPF_BTF_KIND_FUNC_PROTO))
			return -EINVAL;
		env->subprogs[i].btf_scalar_ret = xbpf_btf_func_returns_scalar(env->btf, func);
		err = xbpf_check_abnormal_return(env, i);
		if (err)
			return err;
	}
	return 0;
}

static int xbpf_check_btf_line(struct xbpf_verifier_env *env)
{
	const struct xbpf_load_params *p = env->p;
	u32 n = p->line_info_cnt, size = p->line_info_rec_size, i, s = 0, prev = 0;
	struct xbpf_line_info cur;
	int err;

	if (!n)
		return 0;
	if (n > S32_MAX / sizeof(cur))
		return -EINVAL;
	if (size < XBPF_LINE_INFO_MIN_SIZE || size > XBPF_BTF_REC_MAX_SIZE ||
	    size & (sizeof(u32) - 1))
		return -EINVAL;
	/*
	 * Offsets strictly increase below len: more than len records fail
	 * at record len, which is read but never stored.
	 */
	env->linfo = xbpf_kvzalloc(sizeof(*env->linfo) * (size_t)min(n, env->len));
	if (!env->linfo)
		return -ENOMEM;

	for (i = 0; i < n; i++) {
		err = xbpf_btf_rec_read(env, p->line_info, i, size, &cur, sizeof(cur), "line_info",
					XBPF_REC_SIZE_LINE_INFO);
		if (err)
			return err;
		if ((i && cur.insn_off <= prev) || cur.insn_off >= env->len) {
			xbpf_verbose(env, "Invalid line_info[%u].insn_off:%u (prev_offset:%u prog->len:%u)\n",
				     i, cur.insn_off, prev, env->len);
			return -EINVAL;
		}
		/* not an LDDW's second slot (its code is 0) */
		if (!env->insns[cur.insn_off].code ||
		    (env->aux[cur.insn_off].flags & XBPF_AUX_LDDW_HI)) {
			xbpf_verbose(env, "Invalid insn code at line_info[%u].insn_off\n", i);
			return -EINVAL;
		}
		if (!xbpf_btf_str(env->btf, cur.line_off) ||
		    !xbpf_btf_str(env->btf, cur.file_name_off)) {
			xbpf_verbose(env, "Invalid line_info[%u].line_off or .file_name_off\n", i);
			return -EINVAL;
		}
		/* every function's first instruction has a line */
		if (s != env->subprog_cnt) {
			if (cur.insn_off == env->subprogs[s].start) {
				s++;
			} else if (env->subprogs[s].start < cur.insn_off) {
				xbpf_verbose(env, "missing bpf_line_info for func#%u\n", s);
				return -EINVAL;
			}
		}
		/* i <= cur.insn_off < len: within the table */
		env->linfo[i] = cur;
		env->linfo_cnt = i + 1;
		prev = cur.insn_off;
	}
	if (s != env->subprog_cnt) {
		xbpf_verbose(env, "missing bpf_line_info for %u funcs starting from func#%u\n",
			     env->subprog_cnt - s, s);
		return -EINVAL;
	}
	return 0;
}

int xbpf_check_btf_info(struct xbpf_verifier_env *env)
{
	const struct xbpf_load_params *p = env->p;
	int err = -EINVAL;

	if (!p->func_info_cnt && !p->line_info_cnt)
		return xbpf_check_btf_func(env);	/* only the abnormal-return rule */

	if (p->ops && p->ops->btf_from_fd)
		env->btf = p->ops->btf_from_fd(p->priv, (int)p->prog_btf_fd, &err);
	if (!env->btf)
		return err;

	err = xbpf_check_btf_func(env);
	if (err)
		return err;
	return xbpf_check_btf_line(env);
}

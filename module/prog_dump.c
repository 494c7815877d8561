// SPDX-License-Identifier: GPL-2.0
/*
 * The program text OBJ_GET_INFO_BY_FD gives out (info.c decides who may
 * ask): the rewritten instructions with map addresses turned back into
 * map ids, and the JIT image with its per-function symbols and lengths.
 *
 * Every array follows bpf(2)'s rule: the caller's count or length is the
 * capacity, min(capacity, real) elements are written, and the field is
 * set to the real count or length, so a short buffer learns how much to
 * ask for.  Callers that may not see raw kernel addresses get the counts
 * and a zeroed array pointer instead of the bytes.
 */
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/capability.h>
#include "xbpf_mod.h"

/*
 * Linux gives raw addresses to whoever kallsyms_show_value() allows,
 * judged on the fd opener's credentials.  That function and the two
 * sysctls it reads (kptr_restrict, perf_event_paranoid) are not exported;
 * with the defaults Debian ships (kptr_restrict 0, perf_event_paranoid 3)
 * it comes down to CAP_SYSLOG in the initial namespace, which is what we
 * check, on the same credentials.
 */
bool xbpf_dump_raw_ok(struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYSLOG);
}

/*
 * A map the LDDW at insns[i] points at: the map itself (src MAP_FD, off
 * 0) or an address inside its direct value (src MAP_VALUE, off into it).
 * The verifier kept src_reg nonzero for both, so plain constants are
 * never mistaken for map addresses.
 */
static struct xbpf_map *xbpf_dump_map_of(const struct xbpf_prog *prog, u64 imm,
					 u32 *type, u32 *off)
{
	u64 base;
	u32 i;

	for (i = 0; i < prog->nr_maps; i++) {
		struct xbpf_map *map = prog->maps[i];

		if ((u64)(uintptr_t)map == imm) {
			*type = XBPF_PSEUDO_MAP_FD;
			*off = 0;
			return map;
		}
		if (!map->ops->direct_value_addr ||
		    map->ops->direct_value_addr(map, &base, 0))
			continue;
		if (imm >= base && imm - base < map->value_size) {
			*type = XBPF_PSEUDO_MAP_VALUE;
			*off = imm - base;
			return map;
		}
	}
	return NULL;
}

/*
 * A copy of the rewritten program fit for user space (Linux's
 * bpf_insn_prepare_dump): map and value addresses become the map's id
 * (with the value offset in the second slot), and without raw_ok the
 * call immediates are cleared, as Linux does (they can hold addresses).
 */
static struct xbpf_insn *xbpf_dump_xlated(const struct xbpf_prog *prog, bool raw_ok)
{
	struct xbpf_insn *insns;
	u32 i, type, off;

	insns = kvmalloc_array(prog->len, sizeof(*insns), GFP_USER);
	if (!insns)
		return NULL;
	memcpy(insns, prog->insns, (size_t)prog->len * sizeof(*insns));
	for (i = 0; i < prog->len; i++) {
		struct xbpf_insn *insn = &insns[i];
		struct xbpf_map *map;
		u64 imm;

		if (insn->code == (XBPF_JMP | XBPF_CALL)) {
			if (!raw_ok)
				insn->imm = 0;
			continue;
		}
		if (insn->code != (XBPF_LD | XBPF_IMM | XBPF_DW) || i + 1 >= prog->len)
			continue;
		if (insn->src_reg) {
			imm = ((u64)(u32)insn[1].imm << 32) | (u32)insn->imm;
			map = xbpf_dump_map_of(prog, imm, &type, &off);
			if (map) {
				insn->src_reg = type;
				insn->imm = map->id;
				insn[1].imm = off;
			}
		}
		i++;	/* the second slot is no instruction of its own */
	}
	return insns;
}

int xbpf_dump_xlated_info(const struct xbpf_prog *prog, struct xbpf_prog_info *info,
			  bool raw_ok)
{
	u32 ulen = info->xlated_prog_len;
	struct xbpf_insn *insns;
	int err = 0;

	info->xlated_prog_len = prog->len * sizeof(struct xbpf_insn);
	if (!ulen || !info->xlated_prog_len)
		return 0;
	insns = xbpf_dump_xlated(prog, raw_ok);
	if (!insns)
		return -ENOMEM;
	ulen = min(ulen, info->xlated_prog_len);
	if (copy_to_user(u64_to_user_ptr(info->xlated_prog_insns), insns, ulen))
		err = -EFAULT;
	kvfree(insns);
	return err;
}

/* Bytes of function f of the image: up to the next entry or the end. */
static u32 xbpf_dump_func_len(const struct xbpf_jit_image *img, u32 f)
{
	u32 end = f + 1 < img->nr_funcs ? img->func_off[f + 1] : img->len;

	return end - img->func_off[f];
}

/*
 * jited_prog_insns, jited_ksyms and jited_func_lens.  All functions sit
 * in one image, in order, so the bytes are one copy and each function's
 * symbol is the image address plus its entry offset.  A program the JIT
 * did not compile reports zero lengths and counts (Linux, whose
 * interpreter has an address, would report one symbol).
 */
int xbpf_dump_jited_info(const struct xbpf_jit_image *img, struct xbpf_prog_info *info,
			 bool raw_ok)
{
	u32 ulen, i, nr = img ? img->nr_funcs : 0;

	ulen = info->jited_prog_len;
	info->jited_prog_len = img ? img->len : 0;
	if (ulen && info->jited_prog_len) {
		if (raw_ok) {
			ulen = min(ulen, info->jited_prog_len);
			if (copy_to_user(u64_to_user_ptr(info->jited_prog_insns),
					 img->mem, ulen))
				return -EFAULT;
		} else {
			info->jited_prog_insns = 0;
		}
	}

	ulen = info->nr_jited_ksyms;
	info->nr_jited_ksyms = nr;
	if (ulen && nr) {
		if (raw_ok) {
			u64 __user *ksyms = u64_to_user_ptr(info->jited_ksyms);

			ulen = min(ulen, nr);
			for (i = 0; i < ulen; i++)
				if (put_user((u64)(unsigned long)img->mem + img->func_off[i],
					     &ksyms[i]))
					return -EFAULT;
		} else {
			info->jited_ksyms = 0;
		}
	}

	ulen = info->nr_jited_func_lens;
	info->nr_jited_func_lens = nr;
	if (ulen && nr) {
		if (raw_ok) {
			u32 __user *lens = u64_to_user_ptr(info->jited_func_lens);

			ulen = min(ulen, nr);
			for (i = 0; i < ulen; i++)
				if (put_user(xbpf_dump_func_len(img, i), &lens[i]))
					return -EFAULT;
		} else {
			info->jited_func_lens = 0;
		}
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * OBJ_GET_INFO_BY_FD for programs, maps and BTF (btf_fd.c), with bpf(2)'s rules: a caller
 * struct longer than ours needs a zero tail (-E2BIG); we read and write
 * min(info_len, ours) bytes and write that length back.  The program's
 * struct is read first because it carries array pointers and their
 * capacities (map_ids, xlated_prog_insns, prog_tags).
 */
#include <linux/uaccess.h>
#include <linux/file.h>
#include <linux/cred.h>
#include "xbpf_mod.h"
#include "btf/btf.h"

/* Linux's record sizes of func_info, line_info and jited_line_info */
#define XBPF_FUNC_INFO_REC_SIZE		8
#define XBPF_LINE_INFO_REC_SIZE		16
#define XBPF_JITED_LINE_INFO_REC_SIZE	8

static int xbpf_info_len(void __user *uinfo, u32 ulen, u32 ours, u32 *len)
{
	int ret;

	if (ulen > ours) {
		ret = check_zeroed_user(uinfo + ours, ulen - ours);
		if (ret < 0)
			return ret;
		if (!ret)
			return -E2BIG;
	}
	*len = min(ulen, ours);
	return 0;
}

static int xbpf_prog_info(struct file *file, struct xbpf_prog *prog,
			  const union xbpf_attr *attr,
			  union xbpf_attr __user *uattr)
{
	void __user *uinfo = u64_to_user_ptr(attr->info.info);
	struct xbpf_mprog *mp = prog->owner;
	struct xbpf_prog_info info;
	u32 len, ulen, i, want_finfo, want_linfo;
	struct xbpf_caps caps;
	bool raw_ok;
	int err;

	err = xbpf_info_len(uinfo, attr->info.info_len, sizeof(info), &len);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	if (copy_from_user(&info, uinfo, len))
		return -EFAULT;

	info.type = prog->type;
	info.id = prog->id;
	memcpy(info.tag, prog->tag, sizeof(info.tag));
	memcpy(info.name, prog->name, sizeof(info.name));
	info.gpl_compatible = prog->gpl_compatible;
	info.verified_insns = prog->verified_insns;
	if (mp) {
		info.load_time = mp->load_time;
		info.created_by_uid = from_kuid_munged(current_user_ns(),
						       mp->uid);
		info.run_cnt = atomic64_read(&mp->run_cnt);
		info.run_time_ns = atomic64_read(&mp->run_time_ns);
	} else {
		info.load_time = 0;
		info.created_by_uid = 0;
		info.run_cnt = 0;
		info.run_time_ns = 0;
	}
	info.recursion_misses = mp ? atomic64_read(&mp->recursion_misses) : 0;
	info.ifindex = 0;
	info.netns_dev = 0;
	info.netns_ino = 0;
	info.btf_id = 0;
	info.attach_btf_obj_id = 0;
	info.attach_btf_id = 0;

	ulen = info.nr_map_ids;
	info.nr_map_ids = prog->nr_maps;
	ulen = min(ulen, prog->nr_maps);
	if (ulen) {
		u32 __user *ids = u64_to_user_ptr(info.map_ids);

		for (i = 0; i < ulen; i++)
			if (put_user(prog->maps[i]->id, &ids[i]))
				return -EFAULT;
	}

	/* no subprogram tags yet: one tag, the program's */
	ulen = info.nr_prog_tags;
	info.nr_prog_tags = 1;
	if (ulen && copy_to_user(u64_to_user_ptr(info.prog_tags), prog->tag,
				 XBPF_TAG_SIZE))
		return -EFAULT;

	/* BTF-described info below, for the bpf_capable */
	want_finfo = info.nr_func_info;
	want_linfo = info.nr_line_info;
	info.nr_func_info = 0;
	info.nr_line_info = 0;
	info.nr_jited_line_info = 0;
	info.func_info_rec_size = XBPF_FUNC_INFO_REC_SIZE;
	info.line_info_rec_size = XBPF_LINE_INFO_REC_SIZE;
	info.jited_line_info_rec_size = XBPF_JITED_LINE_INFO_REC_SIZE;

	xbpf_caps_current(&caps);
	if (!caps.bpf_capable) {
		/* as bpf(2): no program text or layout for the unprivileged */
		info.xlated_prog_len = 0;
		info.jited_prog_len = 0;
		info.nr_jited_ksyms = 0;
		info.nr_jited_func_lens = 0;
		info.func_info_rec_size = 0;
		info.line_info_rec_size = 0;
		info.jited_line_info_rec_size = 0;
		goto done;
	}

	/*
	 * The text, the image and its symbols; raw addresses (helper call
	 * immediates, image bytes, symbols) only for callers whose fd
	 * credentials may see kernel addresses (prog_dump.c).
	 */
	raw_ok = xbpf_dump_raw_ok(file);
	err = xbpf_dump_xlated_info(prog, &info, raw_ok);
	if (!err)
		err = xbpf_dump_jited_info(mp ? mp->jit : NULL, &info, raw_ok);
	if (err)
		return err;

	/* BTF-described programs: the BTF's id and the records, as loaded */
	if (prog->btf)
		info.btf_id = prog->btf->id;
	info.nr_func_info = prog->func_info_cnt;
	ulen = min(want_finfo, prog->func_info_cnt);
	if (ulen && copy_to_user(u64_to_user_ptr(info.func_info), prog->func_info,
				 (size_t)ulen * XBPF_FUNC_INFO_REC_SIZE))
		return -EFAULT;
	info.nr_line_info = prog->line_info_cnt;
	ulen = min(want_linfo, prog->line_info_cnt);
	if (ulen && copy_to_user(u64_to_user_ptr(info.line_info), prog->line_info,
				 (size_t)ulen * XBPF_LINE_INFO_REC_SIZE))
		return -EFAULT;

done:
	if (copy_to_user(uinfo, &info, len) ||
	    put_user(len, &uattr->info.info_len))
		return -EFAULT;
	return 0;
}

static int xbpf_map_info(struct xbpf_map *map, const union xbpf_attr *attr,
			 union xbpf_attr __user *uattr)
{
	void __user *uinfo = u64_to_user_ptr(attr->info.info);
	struct xbpf_map_info info;
	u32 len;
	int err;

	err = xbpf_info_len(uinfo, attr->info.info_len, sizeof(info), &len);
	if (err)
		return err;

	/* nothing in a map's info is input */
	memset(&info, 0, sizeof(info));
	info.type = map->map_type;
	info.id = map->id;
	info.key_size = map->key_size;
	info.value_size = map->value_size;
	info.max_entries = map->max_entries;
	info.map_flags = map->map_flags;
	memcpy(info.name, map->name, sizeof(info.name));
	if (map->btf) {
		info.btf_id = map->btf->id;
		info.btf_key_type_id = map->btf_key_type_id;
		info.btf_value_type_id = map->btf_value_type_id;
	}

	if (copy_to_user(uinfo, &info, len) ||
	    put_user(len, &uattr->info.info_len))
		return -EFAULT;
	return 0;
}

int xbpf_cmd_get_info(union xbpf_attr *attr, union xbpf_attr __user *uattr)
{
	struct xbpf_prog *prog;
	struct xbpf_map *map;
	struct xbpf_btf *btf = NULL;
	struct xbpf_link *link = NULL;
	struct fd f;
	int err;

	f = fdget(attr->info.bpf_fd);
	if (!f.file)
		return -EBADF;

	/* the fd reference keeps the object alive for the whole call */
	prog = xbpf_prog_from_file(f.file);
	map = prog ? NULL : xbpf_map_from_file(f.file);
	if (!prog && !map)
		btf = xbpf_btf_from_file(f.file);
	if (!prog && !map && !btf)
		link = xbpf_link_from_file(f.file);
	if (prog)
		err = xbpf_prog_info(f.file, prog, attr, uattr);
	else if (map)
		err = xbpf_map_info(map, attr, uattr);
	else if (btf)
		err = xbpf_btf_get_info(btf, attr, uattr);
	else if (link)
		err = xbpf_link_get_info(link, attr, uattr);
	else
		err = -EINVAL;

	fdput(f);
	return err;
}

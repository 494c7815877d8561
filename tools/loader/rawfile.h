/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw program format (docs/raw-format.md): a prog_type line, map
 * declarations, then one instruction per line.
 */
#ifndef _XBPF_TOOLS_RAWFILE_H
#define _XBPF_TOOLS_RAWFILE_H

#include <stddef.h>
#include <linux/xbpf.h>

struct xbpf_raw_map {
	__u32	type;
	__u32	key_size;
	__u32	value_size;
	__u32	max_entries;
	unsigned int line;	/* where it was declared, for messages */
};

struct xbpf_raw_prog {
	__u32			prog_type;
	struct xbpf_raw_map	*maps;
	__u32			nr_maps;
	struct xbpf_insn	*insns;
	__u32			insn_cnt;
	unsigned int		*lines;	/* source line of each instruction */
};

/*
 * Parses text (NUL-terminated).  Returns 0, or -EINVAL with a message
 * "NAME:LINE: what" in err, or -ENOMEM.  name is only used in messages.
 */
int xbpf_raw_parse(const char *text, const char *name, struct xbpf_raw_prog *prog,
		   char *err, size_t errlen);

/* Reads and parses a file ("-": stdin).  -errno for I/O errors. */
int xbpf_raw_load(const char *path, struct xbpf_raw_prog *prog, char *err, size_t errlen);

void xbpf_raw_free(struct xbpf_raw_prog *prog);

/*
 * Replaces the map index in every LDDW with src 1 (map fd) or 2 (map
 * value) by fds[index].  The parser has checked every index.
 */
void xbpf_raw_patch_maps(struct xbpf_raw_prog *prog, const int *fds);

/* Name <-> number for prog_type and map type; NULL / -1 when unknown. */
const char *xbpf_raw_prog_type_name(__u32 type);
const char *xbpf_raw_map_type_name(__u32 type);

#endif /* _XBPF_TOOLS_RAWFILE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BTF objects: a validated copy of a BTF blob (BPF_BTF_LOAD), shared by
 * reference between its fds and the programs whose func_info/line_info
 * it describes.  Core code: builds in the module and in libxbpf.a.
 *
 * Validation follows Linux 6.1's btf_parse(): the header, the sections'
 * layout, every record of every kind, and then the types' resolution
 * (every chain of modifiers, pointers, arrays, struct members, vars and
 * function prototypes must end in a type of known size, without loops;
 * a pointer may lead back to a struct that contains it).  Errors are
 * logged into the BTF log with Linux's wording.
 */
#ifndef _XBPF_BTF_H
#define _XBPF_BTF_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"
#include "../uapi/linux/xbpf_btf.h"

/* Largest blob BTF_LOAD accepts (Linux's BTF_MAX_SIZE). */
#define XBPF_BTF_MAX_SIZE	(16 * 1024 * 1024)

struct xbpf_btf {
	u8				*alloc;		/* the copy's allocation */
	u8				*data;		/* the blob, copied in (in alloc) */
	u32				data_size;
	struct xbpf_btf_header		hdr;		/* zero-extended copy */
	const char			*strings;	/* hdr.str_len bytes, NUL-ended */
	/* types[id] for 1 <= id < nr_types; types[0] is void */
	const struct xbpf_btf_type	**types;
	u32				nr_types;
	/*
	 * What each type resolves to: for modifiers and vars the first type
	 * of known size (or void / fwd / func_proto) at the end of their
	 * chain; for arrays their size in bytes.
	 */
	u32				*resolved_ids;
	u32				*resolved_sizes;
	u32				id;		/* set by the owner; 0 offline */
	xbpf_refcount_t			refcnt;
	xbpf_rcu_head_t			rcu;
	void				*owner;
	/* Same contract as xbpf_map.owner_release. */
	void				(*owner_release)(struct xbpf_btf *btf);
};

/*
 * Copies size bytes from the user pointer ubuf (a plain pointer offline)
 * and validates them, logging into log (may be NULL).  Returns 0 with
 * *btfp a new object of refcount 1, or -errno: -E2BIG for a blob over
 * XBPF_BTF_MAX_SIZE or a non-zero header tail, -EINVAL for a malformed
 * blob, -ENOTSUPP for an unknown version, flags or int encoding,
 * -ELOOP for a modifier chain that is too long or cyclic, -EFAULT,
 * -ENOMEM.  The log's own verdict (-ENOSPC, -EFAULT) is the caller's.
 */
int xbpf_btf_load(u64 ubuf, u32 size, struct xbpf_log *log, struct xbpf_btf **btfp);
void xbpf_btf_get(struct xbpf_btf *btf);
/* The last put frees after an RCU grace period (owner_release first). */
void xbpf_btf_put(struct xbpf_btf *btf);

/* The type with this id (id 0: the void type), or NULL past the last. */
const struct xbpf_btf_type *xbpf_btf_type_by_id(const struct xbpf_btf *btf, u32 id);
/* The string at offset off, or NULL when off is outside the section. */
const char *xbpf_btf_str(const struct xbpf_btf *btf, u32 off);

static inline u32 xbpf_btf_kind(const struct xbpf_btf_type *t)
{
	return XBPF_BTF_INFO_KIND(t->info);
}

static inline u16 xbpf_btf_vlen(const struct xbpf_btf_type *t)
{
	return XBPF_BTF_INFO_VLEN(t->info);
}

/*
 * Follows typedef/volatile/const/restrict/type_tag from id; returns the
 * first other type (void for id 0), NULL for an id out of range.
 */
const struct xbpf_btf_type *xbpf_btf_skip_modifiers(const struct xbpf_btf *btf, u32 id);

/*
 * The type a value of type *id has, with its size in bytes (after
 * modifiers and vars; arrays and pointers included): *id becomes that
 * type's id.  NULL for void, fwd, func, func_proto, tags and bad ids.
 */
const struct xbpf_btf_type *xbpf_btf_type_id_size(const struct xbpf_btf *btf, u32 *id,
						  u32 *size);

/*
 * Linux's rule for a function that may end early (LD_ABS, tail call):
 * its FUNC's prototype returns an int of at most 8 bytes or an enum,
 * after modifiers.  False for anything else, void included.
 */
bool xbpf_btf_func_returns_scalar(const struct xbpf_btf *btf, const struct xbpf_btf_type *func);

#endif /* _XBPF_BTF_H */

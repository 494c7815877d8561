/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The BTF format, as bpf(2)'s BTF_LOAD takes it: layout-identical to
 * Linux 6.1's <linux/btf.h> (names prefixed xbpf_ / XBPF_).
 *
 * A blob is a header, then a type section (records of struct
 * xbpf_btf_type, each followed by its kind's data) and a string section
 * (NUL-separated names, starting with the empty name at offset 0).  Type
 * ids count the records from 1; id 0 is void.
 */
#ifndef _UAPI_LINUX_XBPF_BTF_H
#define _UAPI_LINUX_XBPF_BTF_H

#include <linux/types.h>

#define XBPF_BTF_MAGIC		0xeB9F
#define XBPF_BTF_VERSION	1

struct xbpf_btf_header {
	__u16	magic;
	__u8	version;
	__u8	flags;
	__u32	hdr_len;	/* bytes of this header; the sections follow it */
	/* offsets are relative to the end of the header */
	__u32	type_off;
	__u32	type_len;
	__u32	str_off;
	__u32	str_len;
};

/* Largest type id, string offset and vlen the format can express. */
#define XBPF_BTF_MAX_TYPE		0x000fffff
#define XBPF_BTF_MAX_NAME_OFFSET	0x00ffffff
#define XBPF_BTF_MAX_VLEN		0xffff

struct xbpf_btf_type {
	__u32	name_off;
	/*
	 * bits  0-15: vlen (members, params, enumerators, secinfos)
	 * bits 16-23: unused
	 * bits 24-28: kind
	 * bits 29-30: unused
	 * bit     31: kind_flag
	 */
	__u32	info;
	/* size for INT, ENUM, STRUCT, UNION, DATASEC, FLOAT, ENUM64; type otherwise */
	union {
		__u32	size;
		__u32	type;
	};
};

#define XBPF_BTF_INFO_KIND(info)	(((info) >> 24) & 0x1f)
#define XBPF_BTF_INFO_VLEN(info)	((info) & 0xffff)
#define XBPF_BTF_INFO_KFLAG(info)	((info) >> 31)
#define XBPF_BTF_INFO(kind, kflag, vlen) \
	((((__u32)(kflag) & 1) << 31) | (((__u32)(kind) & 0x1f) << 24) | ((__u32)(vlen) & 0xffff))

enum {
	XBPF_BTF_KIND_UNKN	= 0,
	XBPF_BTF_KIND_INT	= 1,
	XBPF_BTF_KIND_PTR	= 2,
	XBPF_BTF_KIND_ARRAY	= 3,
	XBPF_BTF_KIND_STRUCT	= 4,
	XBPF_BTF_KIND_UNION	= 5,
	XBPF_BTF_KIND_ENUM	= 6,
	XBPF_BTF_KIND_FWD	= 7,
	XBPF_BTF_KIND_TYPEDEF	= 8,
	XBPF_BTF_KIND_VOLATILE	= 9,
	XBPF_BTF_KIND_CONST	= 10,
	XBPF_BTF_KIND_RESTRICT	= 11,
	XBPF_BTF_KIND_FUNC	= 12,
	XBPF_BTF_KIND_FUNC_PROTO = 13,
	XBPF_BTF_KIND_VAR	= 14,
	XBPF_BTF_KIND_DATASEC	= 15,
	XBPF_BTF_KIND_FLOAT	= 16,
	XBPF_BTF_KIND_DECL_TAG	= 17,
	XBPF_BTF_KIND_TYPE_TAG	= 18,
	XBPF_BTF_KIND_ENUM64	= 19,
	XBPF_NR_BTF_KINDS,
	XBPF_BTF_KIND_MAX	= XBPF_NR_BTF_KINDS - 1,
};

/* INT: one __u32 follows */
#define XBPF_BTF_INT_ENCODING(v)	(((v) & 0x0f000000) >> 24)
#define XBPF_BTF_INT_OFFSET(v)		(((v) & 0x00ff0000) >> 16)
#define XBPF_BTF_INT_BITS(v)		((v) & 0x000000ff)
#define XBPF_BTF_INT_ENC(enc, off, bits) \
	((((__u32)(enc) & 0xf) << 24) | (((__u32)(off) & 0xff) << 16) | ((__u32)(bits) & 0xff))
#define XBPF_BTF_INT_SIGNED	(1 << 0)
#define XBPF_BTF_INT_CHAR	(1 << 1)
#define XBPF_BTF_INT_BOOL	(1 << 2)

/* ENUM: vlen of these follow */
struct xbpf_btf_enum {
	__u32	name_off;
	__s32	val;
};

/* ARRAY: one follows */
struct xbpf_btf_array {
	__u32	type;
	__u32	index_type;
	__u32	nelems;
};

/* STRUCT, UNION: vlen of these follow */
struct xbpf_btf_member {
	__u32	name_off;
	__u32	type;
	/* kind_flag 0: bit offset; 1: bitfield size << 24 | bit offset */
	__u32	offset;
};

#define XBPF_BTF_MEMBER_BITFIELD_SIZE(v)	((v) >> 24)
#define XBPF_BTF_MEMBER_BIT_OFFSET(v)		((v) & 0xffffff)

/* FUNC_PROTO: vlen of these follow; a last one of type 0 is "..." */
struct xbpf_btf_param {
	__u32	name_off;
	__u32	type;
};

/* VAR: one follows */
enum {
	XBPF_BTF_VAR_STATIC = 0,
	XBPF_BTF_VAR_GLOBAL_ALLOCATED = 1,
	XBPF_BTF_VAR_GLOBAL_EXTERN = 2,
};

/* FUNC: linkage in vlen */
enum {
	XBPF_BTF_FUNC_STATIC = 0,
	XBPF_BTF_FUNC_GLOBAL = 1,
	XBPF_BTF_FUNC_EXTERN = 2,
};

struct xbpf_btf_var {
	__u32	linkage;
};

/* DATASEC: vlen of these follow */
struct xbpf_btf_var_secinfo {
	__u32	type;
	__u32	offset;
	__u32	size;
};

/* DECL_TAG: one follows; -1 tags the type itself, else a member/param */
struct xbpf_btf_decl_tag {
	__s32	component_idx;
};

/* ENUM64: vlen of these follow */
struct xbpf_btf_enum64 {
	__u32	name_off;
	__u32	val_lo32;
	__u32	val_hi32;
};

#endif /* _UAPI_LINUX_XBPF_BTF_H */

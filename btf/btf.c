// SPDX-License-Identifier: GPL-2.0
/*
 * BTF validation and objects (see btf.h).
 *
 * Three passes over a private copy of the blob:
 *  1. header and sections: magic, version, flags, hdr_len (a longer
 *     header's tail must be zero), the type and string sections exactly
 *     tile the data after the header, strings last, starting and ending
 *     with NUL;
 *  2. records: each type's fixed fields and trailing data, by kind (name
 *     rules, vlen, kind_flag, sizes, member offsets, id ranges); this
 *     pass also counts the types and builds the id -> record table;
 *  3. resolution: every type that refers to others is followed, with an
 *     explicit stack of at most XBPF_BTF_RESOLVE_DEPTH entries, to a type
 *     whose size is known; a type met again while still on the stack is a
 *     loop.  What ends a walk depends on where it started: a pointer's
 *     walk stops at the first non-modifier, non-pointer type (so a struct
 *     may point to itself), a struct's or array's at the first type that
 *     is not a modifier, array or struct (so pointers members end it),
 *     anything else's at the first type that needs no resolving.
 *     Struct members are then checked against the struct's size, and
 *     every function prototype's return and argument types.
 * Finally chains of modifiers are bounded and type tags must come first
 * in them.
 */
#include "btf.h"

#ifdef __KERNEL__
#include <linux/stdarg.h>
#else
#include <stdarg.h>
#endif

#define XBPF_BTF_RESOLVE_DEPTH	32	/* Linux's MAX_RESOLVE_DEPTH */
#define XBPF_BTF_CHAIN_MAX	32	/* modifiers in a row */
#define XBPF_BTF_NAME_MAX	512	/* identifiers are shorter (KSYM_NAME_LEN) */
/* info bits that mean something: vlen, kind, kind_flag */
#define XBPF_BTF_INFO_MASK	0x9f00ffffU
#define XBPF_BTF_INT_MASK	0x0fffffffU
#define XBPF_BITS_ROUNDUP_BYTES(bits)	(((bits) + 7) / 8)

static const char * const xbpf_btf_kind_names[XBPF_NR_BTF_KINDS] = {
	"UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD",
	"TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO",
	"VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
};

/* Type id 0. */
static const struct xbpf_btf_type xbpf_btf_void;

enum {
	XBPF_BTF_NEW = 0,
	XBPF_BTF_ON_STACK,
	XBPF_BTF_DONE,
};

/* Where the current walk started (see the header comment). */
enum {
	XBPF_BTF_WALK_ANY,
	XBPF_BTF_WALK_PTR,
	XBPF_BTF_WALK_AGG,
};

struct xbpf_btf_frame {
	u32	id;
	u32	next;		/* struct/datasec: the next member to look at */
};

struct xbpf_btf_env {
	struct xbpf_btf		*btf;
	struct xbpf_log		*log;
	u32			log_id;		/* the type messages are about */
	u8			*state;		/* XBPF_BTF_NEW/ON_STACK/DONE per id */
	u8			walk;
	u32			top;
	struct xbpf_btf_frame	stack[XBPF_BTF_RESOLVE_DEPTH];
};

/* ---------------------------------------------------------------------
 * Kinds
 */

static bool xbpf_btf_is_modifier(const struct xbpf_btf_type *t)
{
	switch (xbpf_btf_kind(t)) {
	case XBPF_BTF_KIND_TYPEDEF:
	case XBPF_BTF_KIND_VOLATILE:
	case XBPF_BTF_KIND_CONST:
	case XBPF_BTF_KIND_RESTRICT:
	case XBPF_BTF_KIND_TYPE_TAG:
		return true;
	}
	return false;
}

static bool xbpf_btf_is_kind(const struct xbpf_btf_type *t, u32 kind)
{
	return xbpf_btf_kind(t) == kind;
}

static bool xbpf_btf_is_struct(const struct xbpf_btf_type *t)
{
	return xbpf_btf_is_kind(t, XBPF_BTF_KIND_STRUCT) || xbpf_btf_is_kind(t, XBPF_BTF_KIND_UNION);
}

static bool xbpf_btf_is_void(const struct xbpf_btf_type *t)
{
	return t == &xbpf_btf_void;
}

/* Kinds whose record carries their size. */
static bool xbpf_btf_has_size(const struct xbpf_btf_type *t)
{
	switch (xbpf_btf_kind(t)) {
	case XBPF_BTF_KIND_INT:
	case XBPF_BTF_KIND_STRUCT:
	case XBPF_BTF_KIND_UNION:
	case XBPF_BTF_KIND_ENUM:
	case XBPF_BTF_KIND_DATASEC:
	case XBPF_BTF_KIND_FLOAT:
	case XBPF_BTF_KIND_ENUM64:
		return true;
	}
	return false;
}

/* Types that have no size a value could take. */
static bool xbpf_btf_nosize(const struct xbpf_btf_type *t)
{
	return !t || xbpf_btf_is_void(t) || xbpf_btf_is_kind(t, XBPF_BTF_KIND_FWD) ||
	       xbpf_btf_is_kind(t, XBPF_BTF_KIND_FUNC) ||
	       xbpf_btf_is_kind(t, XBPF_BTF_KIND_FUNC_PROTO) ||
	       xbpf_btf_is_kind(t, XBPF_BTF_KIND_DECL_TAG);
}

/* Types nothing but a datasec or a tag may refer to. */
static bool xbpf_btf_source_only(const struct xbpf_btf_type *t)
{
	return xbpf_btf_is_kind(t, XBPF_BTF_KIND_VAR) ||
	       xbpf_btf_is_kind(t, XBPF_BTF_KIND_DECL_TAG) ||
	       xbpf_btf_is_kind(t, XBPF_BTF_KIND_DATASEC);
}

static bool xbpf_btf_needs_resolve(const struct xbpf_btf_type *t)
{
	switch (xbpf_btf_kind(t)) {
	case XBPF_BTF_KIND_PTR:
	case XBPF_BTF_KIND_STRUCT:
	case XBPF_BTF_KIND_UNION:
	case XBPF_BTF_KIND_ARRAY:
	case XBPF_BTF_KIND_VAR:
	case XBPF_BTF_KIND_FUNC:
	case XBPF_BTF_KIND_DECL_TAG:
	case XBPF_BTF_KIND_DATASEC:
		return true;
	}
	return xbpf_btf_is_modifier(t);
}

static u32 xbpf_btf_int_data(const struct xbpf_btf_type *t)
{
	return *(const u32 *)(t + 1);
}

/* An int a value can be loaded as: whole bytes 1, 2, 4, 8 or 16, no offset. */
static bool xbpf_btf_int_regular(const struct xbpf_btf_type *t)
{
	u32 d = xbpf_btf_int_data(t);
	u32 bits = XBPF_BTF_INT_BITS(d);

	if ((bits & 7) || XBPF_BTF_INT_OFFSET(d))
		return false;
	return bits == 8 || bits == 16 || bits == 32 || bits == 64 || bits == 128;
}

const struct xbpf_btf_type *xbpf_btf_type_by_id(const struct xbpf_btf *btf, u32 id)
{
	if (!id)
		return &xbpf_btf_void;
	if (id >= btf->nr_types)
		return NULL;
	return btf->types[id];
}

static bool xbpf_btf_name_off_ok(const struct xbpf_btf *btf, u32 off)
{
	return off <= XBPF_BTF_MAX_NAME_OFFSET && off < btf->hdr.str_len;
}

const char *xbpf_btf_str(const struct xbpf_btf *btf, u32 off)
{
	return xbpf_btf_name_off_ok(btf, off) ? btf->strings + off : NULL;
}

static const char *xbpf_btf_name(const struct xbpf_btf *btf, u32 off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = xbpf_btf_str(btf, off);
	return s ? s : "(invalid-name-offset)";
}

static bool xbpf_btf_ident_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.')
		return true;
	return !first && c >= '0' && c <= '9';
}

/* A C identifier (dots allowed, as in section names); off must be valid. */
static bool xbpf_btf_ident_ok(const struct xbpf_btf *btf, u32 off)
{
	const char *s = btf->strings + off;
	u32 i;

	if (!xbpf_btf_ident_char(s[0], true))
		return false;
	/* the section ends with NUL: the scan stops inside it */
	for (i = 1; s[i] && i < XBPF_BTF_NAME_MAX; i++)
		if (!xbpf_btf_ident_char(s[i], false))
			return false;
	return !s[i];
}

/* A non-empty string (type tag, decl tag value). */
static bool xbpf_btf_value_ok(const struct xbpf_btf *btf, u32 off)
{
	const char *s = xbpf_btf_str(btf, off);

	return s && s[0];
}

const struct xbpf_btf_type *xbpf_btf_skip_modifiers(const struct xbpf_btf *btf, u32 id)
{
	const struct xbpf_btf_type *t = xbpf_btf_type_by_id(btf, id);
	u32 n = 0;

	/* a loaded BTF has no loops; the bound only guards misuse */
	while (t && xbpf_btf_is_modifier(t) && n++ <= XBPF_BTF_CHAIN_MAX)
		t = xbpf_btf_type_by_id(btf, t->type);
	return t && !xbpf_btf_is_modifier(t) ? t : NULL;
}

bool xbpf_btf_func_returns_scalar(const struct xbpf_btf *btf, const struct xbpf_btf_type *func)
{
	const struct xbpf_btf_type *proto, *ret;

	if (!func || !xbpf_btf_is_kind(func, XBPF_BTF_KIND_FUNC))
		return false;
	proto = xbpf_btf_type_by_id(btf, func->type);
	if (!proto || !xbpf_btf_is_kind(proto, XBPF_BTF_KIND_FUNC_PROTO))
		return false;
	ret = xbpf_btf_skip_modifiers(btf, proto->type);
	if (!ret)
		return false;
	if (xbpf_btf_is_kind(ret, XBPF_BTF_KIND_INT))
		return ret->size <= sizeof(u64);
	return xbpf_btf_is_kind(ret, XBPF_BTF_KIND_ENUM) ||
	       xbpf_btf_is_kind(ret, XBPF_BTF_KIND_ENUM64);
}

/* ---------------------------------------------------------------------
 * Log
 */

static __printf(2, 3) void xbpf_btf_log(struct xbpf_btf_env *env, const char *fmt, ...)
{
	char line[160];
	va_list args;

	if (!env->log || !env->log->level)
		return;
	va_start(args, fmt);
	vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	xbpf_log_write(env->log, "%s\n", line);
}

/* "[id] KIND name msg", as Linux prints a type it refuses. */
static __printf(3, 4) void xbpf_btf_log_type(struct xbpf_btf_env *env,
					     const struct xbpf_btf_type *t,
					     const char *fmt, ...)
{
	char line[160];
	va_list args;

	if (!env->log || !env->log->level)
		return;
	va_start(args, fmt);
	vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	xbpf_log_write(env->log, "[%u] %s %s %s\n", env->log_id,
		       xbpf_btf_kind_names[xbpf_btf_kind(t)],
		       xbpf_btf_name(env->btf, t->name_off), line);
}

static void xbpf_btf_log_member(struct xbpf_btf_env *env, const struct xbpf_btf_type *st,
				const struct xbpf_btf_member *m, const char *msg)
{
	if (!env->log || !env->log->level)
		return;
	xbpf_log_write(env->log, "[%u] %s %s\n\t%s type_id=%u bits_offset=%u %s\n",
		       env->log_id, xbpf_btf_kind_names[xbpf_btf_kind(st)],
		       xbpf_btf_name(env->btf, st->name_off),
		       xbpf_btf_name(env->btf, m->name_off), m->type, m->offset, msg);
}

static void xbpf_btf_log_vsi(struct xbpf_btf_env *env, const struct xbpf_btf_type *ds,
			     const struct xbpf_btf_var_secinfo *v, const char *msg)
{
	if (!env->log || !env->log->level)
		return;
	xbpf_log_write(env->log, "[%u] %s %s\n\t type_id=%u offset=%u size=%u %s\n",
		       env->log_id, xbpf_btf_kind_names[xbpf_btf_kind(ds)],
		       xbpf_btf_name(env->btf, ds->name_off), v->type, v->offset, v->size, msg);
}

/* ---------------------------------------------------------------------
 * Pass 1: header and sections
 */

static int xbpf_btf_check_header(struct xbpf_btf_env *env)
{
	struct xbpf_btf *btf = env->btf;
	const struct xbpf_btf_header *hdr = &btf->hdr;
	u32 size = btf->data_size, hdr_len, i, total, avail;
	struct { u32 off, len; } sec[2], tmp;

	if (size < offsetof(struct xbpf_btf_header, hdr_len) + sizeof(u32)) {
		xbpf_btf_log(env, "hdr_len not found");
		return -EINVAL;
	}
	memcpy(&hdr_len, btf->data + offsetof(struct xbpf_btf_header, hdr_len), sizeof(hdr_len));
	if (size < hdr_len) {
		xbpf_btf_log(env, "btf_header not found");
		return -EINVAL;
	}
	/* a newer, longer header is fine if what we don't know is zero */
	for (i = sizeof(*hdr); i < hdr_len; i++) {
		if (btf->data[i]) {
			xbpf_btf_log(env, "Unsupported btf_header");
			return -E2BIG;
		}
	}
	memcpy(&btf->hdr, btf->data, min_t(u32, hdr_len, sizeof(*hdr)));

	xbpf_btf_log(env, "magic: 0x%x\nversion: %u\nflags: 0x%x\nhdr_len: %u", hdr->magic,
		     hdr->version, hdr->flags, hdr->hdr_len);
	xbpf_btf_log(env, "type_off: %u\ntype_len: %u\nstr_off: %u\nstr_len: %u\nbtf_total_size: %u",
		     hdr->type_off, hdr->type_len, hdr->str_off, hdr->str_len, size);

	if (hdr->magic != XBPF_BTF_MAGIC) {
		xbpf_btf_log(env, "Invalid magic");
		return -EINVAL;
	}
	if (hdr->version != XBPF_BTF_VERSION) {
		xbpf_btf_log(env, "Unsupported version");
		return -ENOTSUPP;
	}
	if (hdr->flags) {
		xbpf_btf_log(env, "Unsupported flags");
		return -ENOTSUPP;
	}
	if (size == hdr->hdr_len) {
		xbpf_btf_log(env, "No data");
		return -EINVAL;
	}

	/* The two sections, in offset order, must tile what follows the header. */
	sec[0].off = hdr->type_off;
	sec[0].len = hdr->type_len;
	sec[1].off = hdr->str_off;
	sec[1].len = hdr->str_len;
	if (sec[1].off < sec[0].off || (sec[1].off == sec[0].off && sec[1].len < sec[0].len)) {
		tmp = sec[0];
		sec[0] = sec[1];
		sec[1] = tmp;
	}
	avail = size - hdr->hdr_len;
	total = 0;
	for (i = 0; i < 2; i++) {
		if (avail < sec[i].off) {
			xbpf_btf_log(env, "Invalid section offset");
			return -EINVAL;
		}
		if (total < sec[i].off) {
			xbpf_btf_log(env, "Unsupported section found");
			return -EINVAL;
		}
		if (total > sec[i].off) {
			xbpf_btf_log(env, "Section overlap found");
			return -EINVAL;
		}
		if (avail - total < sec[i].len) {
			xbpf_btf_log(env, "Total section length too long");
			return -EINVAL;
		}
		total += sec[i].len;
	}
	if (total != avail) {
		xbpf_btf_log(env, "Unsupported section found");
		return -EINVAL;
	}
	return 0;
}

static int xbpf_btf_check_strings(struct xbpf_btf_env *env)
{
	struct xbpf_btf *btf = env->btf;
	const struct xbpf_btf_header *hdr = &btf->hdr;
	const char *start = (const char *)btf->data + hdr->hdr_len + hdr->str_off;

	/* in bounds: the section check made the sections tile the data */
	if (hdr->hdr_len + hdr->str_off + hdr->str_len != btf->data_size) {
		xbpf_btf_log(env, "String section is not at the end");
		return -EINVAL;
	}
	if (!hdr->str_len || hdr->str_len - 1 > XBPF_BTF_MAX_NAME_OFFSET ||
	    start[hdr->str_len - 1] || start[0]) {
		xbpf_btf_log(env, "Invalid string section");
		return -EINVAL;
	}
	btf->strings = start;
	return 0;
}

/* ---------------------------------------------------------------------
 * Pass 2: one record at a time.  Each returns the bytes of data that
 * follow the record's struct xbpf_btf_type, or -errno.
 */

static s32 xbpf_btf_meta_short(struct xbpf_btf_env *env, const struct xbpf_btf_type *t,
			       u32 left, u32 needed)
{
	if (left >= needed)
		return 0;
	xbpf_btf_log_type(env, t, "meta_left:%u meta_needed:%u", left, needed);
	return -EINVAL;
}

/* vlen must be 0 and kind_flag clear: most kinds. */
static int xbpf_btf_no_vlen_kflag(struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	if (xbpf_btf_vlen(t)) {
		xbpf_btf_log_type(env, t, "vlen != 0");
		return -EINVAL;
	}
	if (XBPF_BTF_INFO_KFLAG(t->info)) {
		xbpf_btf_log_type(env, t, "Invalid btf_info kind_flag");
		return -EINVAL;
	}
	return 0;
}

static s32 xbpf_btf_meta_int(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	u32 d, bits, enc;
	int err;

	err = xbpf_btf_meta_short(env, t, left, sizeof(u32));
	if (!err)
		err = xbpf_btf_no_vlen_kflag(env, t);
	if (err)
		return err;
	d = xbpf_btf_int_data(t);
	if (d & ~XBPF_BTF_INT_MASK) {
		xbpf_btf_log_type(env, t, "Invalid int_data:%x", d);
		return -EINVAL;
	}
	bits = XBPF_BTF_INT_BITS(d) + XBPF_BTF_INT_OFFSET(d);
	if (bits > 128) {
		xbpf_btf_log_type(env, t, "nr_bits exceeds 128");
		return -EINVAL;
	}
	if (XBPF_BITS_ROUNDUP_BYTES(bits) > t->size) {
		xbpf_btf_log_type(env, t, "nr_bits exceeds type_size");
		return -EINVAL;
	}
	/* at most one encoding bit */
	enc = XBPF_BTF_INT_ENCODING(d);
	if (enc && enc != XBPF_BTF_INT_SIGNED && enc != XBPF_BTF_INT_CHAR &&
	    enc != XBPF_BTF_INT_BOOL) {
		xbpf_btf_log_type(env, t, "Unsupported encoding");
		return -ENOTSUPP;
	}
	return sizeof(u32);
}

/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG */
static s32 xbpf_btf_meta_ref(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	u32 kind = xbpf_btf_kind(t);
	bool ok;
	int err;

	err = xbpf_btf_no_vlen_kflag(env, t);
	if (err)
		return err;
	if (t->type > XBPF_BTF_MAX_TYPE) {
		xbpf_btf_log_type(env, t, "Invalid type_id");
		return -EINVAL;
	}
	/* a typedef and a type tag are named; the others are not */
	if (kind == XBPF_BTF_KIND_TYPEDEF)
		ok = t->name_off && xbpf_btf_ident_ok(env->btf, t->name_off);
	else if (kind == XBPF_BTF_KIND_TYPE_TAG)
		ok = xbpf_btf_value_ok(env->btf, t->name_off);
	else
		ok = !t->name_off;
	if (!ok) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	return 0;
}

static s32 xbpf_btf_meta_array(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	const struct xbpf_btf_array *a = (const void *)(t + 1);
	int err;

	err = xbpf_btf_meta_short(env, t, left, sizeof(*a));
	if (err)
		return err;
	if (t->name_off) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	err = xbpf_btf_no_vlen_kflag(env, t);
	if (err)
		return err;
	if (t->size) {
		xbpf_btf_log_type(env, t, "size != 0");
		return -EINVAL;
	}
	/* neither the element nor the index may be void */
	if (!a->type || a->type > XBPF_BTF_MAX_TYPE) {
		xbpf_btf_log_type(env, t, "Invalid elem");
		return -EINVAL;
	}
	if (!a->index_type || a->index_type > XBPF_BTF_MAX_TYPE) {
		xbpf_btf_log_type(env, t, "Invalid index");
		return -EINVAL;
	}
	return sizeof(*a);
}

static u32 xbpf_btf_member_bit_off(const struct xbpf_btf_type *st, const struct xbpf_btf_member *m)
{
	return XBPF_BTF_INFO_KFLAG(st->info) ? XBPF_BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

static s32 xbpf_btf_meta_struct(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	const struct xbpf_btf_member *m = (const void *)(t + 1);
	bool is_union = xbpf_btf_is_kind(t, XBPF_BTF_KIND_UNION);
	u32 needed = xbpf_btf_vlen(t) * (u32)sizeof(*m);
	u32 i, off, last = 0;
	int err;

	err = xbpf_btf_meta_short(env, t, left, needed);
	if (err)
		return err;
	if (t->name_off && !xbpf_btf_ident_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	for (i = 0; i < xbpf_btf_vlen(t); i++, m++) {
		if (!xbpf_btf_name_off_ok(env->btf, m->name_off)) {
			xbpf_btf_log_member(env, t, m, "Invalid member name_offset");
			return -EINVAL;
		}
		if (m->name_off && !xbpf_btf_ident_ok(env->btf, m->name_off)) {
			xbpf_btf_log_member(env, t, m, "Invalid name");
			return -EINVAL;
		}
		if (!m->type || m->type > XBPF_BTF_MAX_TYPE) {
			xbpf_btf_log_member(env, t, m, "Invalid type_id");
			return -EINVAL;
		}
		off = xbpf_btf_member_bit_off(t, m);
		/* ">": a last "char a[0]" shares its offset with the one before */
		if ((is_union && off) || last > off) {
			xbpf_btf_log_member(env, t, m, "Invalid member bits_offset");
			return -EINVAL;
		}
		if (XBPF_BITS_ROUNDUP_BYTES((u64)off) > t->size) {
			xbpf_btf_log_member(env, t, m, "Member bits_offset exceeds its struct size");
			return -EINVAL;
		}
		last = off;
	}
	return needed;
}

/* ENUM and ENUM64: only the record size differs. */
static s32 xbpf_btf_meta_enum(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	u32 rec = xbpf_btf_is_kind(t, XBPF_BTF_KIND_ENUM) ? sizeof(struct xbpf_btf_enum) :
							      sizeof(struct xbpf_btf_enum64);
	u32 needed = xbpf_btf_vlen(t) * rec, i, name_off;
	const u8 *e = (const u8 *)(t + 1);
	int err;

	err = xbpf_btf_meta_short(env, t, left, needed);
	if (err)
		return err;
	if (t->size > 8 || !t->size || (t->size & (t->size - 1))) {
		xbpf_btf_log_type(env, t, "Unexpected size");
		return -EINVAL;
	}
	if (t->name_off && !xbpf_btf_ident_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	for (i = 0; i < xbpf_btf_vlen(t); i++, e += rec) {
		/* name_off is the first field of both record layouts */
		memcpy(&name_off, e, sizeof(name_off));
		if (!xbpf_btf_name_off_ok(env->btf, name_off)) {
			xbpf_btf_log(env, "\tInvalid name_offset:%u", name_off);
			return -EINVAL;
		}
		if (!name_off || !xbpf_btf_ident_ok(env->btf, name_off)) {
			xbpf_btf_log_type(env, t, "Invalid name");
			return -EINVAL;
		}
	}
	return needed;
}

static s32 xbpf_btf_meta_fwd(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	/* kind_flag says struct or union */
	if (xbpf_btf_vlen(t)) {
		xbpf_btf_log_type(env, t, "vlen != 0");
		return -EINVAL;
	}
	if (t->type) {
		xbpf_btf_log_type(env, t, "type != 0");
		return -EINVAL;
	}
	if (!t->name_off || !xbpf_btf_ident_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	return 0;
}

static s32 xbpf_btf_meta_func(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	if (!t->name_off || !xbpf_btf_ident_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	/* vlen is the linkage: static or global */
	if (xbpf_btf_vlen(t) > XBPF_BTF_FUNC_GLOBAL) {
		xbpf_btf_log_type(env, t, "Invalid func linkage");
		return -EINVAL;
	}
	if (XBPF_BTF_INFO_KFLAG(t->info)) {
		xbpf_btf_log_type(env, t, "Invalid btf_info kind_flag");
		return -EINVAL;
	}
	return 0;
}

static s32 xbpf_btf_meta_func_proto(struct xbpf_btf_env *env, const struct xbpf_btf_type *t,
				    u32 left)
{
	u32 needed = xbpf_btf_vlen(t) * (u32)sizeof(struct xbpf_btf_param);
	int err;

	err = xbpf_btf_meta_short(env, t, left, needed);
	if (err)
		return err;
	if (t->name_off) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	if (XBPF_BTF_INFO_KFLAG(t->info)) {
		xbpf_btf_log_type(env, t, "Invalid btf_info kind_flag");
		return -EINVAL;
	}
	/* the parameters' types are checked once every type is known */
	return needed;
}

static s32 xbpf_btf_meta_var(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	const struct xbpf_btf_var *v = (const void *)(t + 1);
	int err;

	err = xbpf_btf_meta_short(env, t, left, sizeof(*v));
	if (!err)
		err = xbpf_btf_no_vlen_kflag(env, t);
	if (err)
		return err;
	if (!t->name_off || !xbpf_btf_ident_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	if (!t->type || t->type > XBPF_BTF_MAX_TYPE) {
		xbpf_btf_log_type(env, t, "Invalid type_id");
		return -EINVAL;
	}
	if (v->linkage != XBPF_BTF_VAR_STATIC && v->linkage != XBPF_BTF_VAR_GLOBAL_ALLOCATED) {
		xbpf_btf_log_type(env, t, "Linkage not supported");
		return -EINVAL;
	}
	return sizeof(*v);
}

static s32 xbpf_btf_meta_datasec(struct xbpf_btf_env *env, const struct xbpf_btf_type *t,
				 u32 left)
{
	const struct xbpf_btf_var_secinfo *v = (const void *)(t + 1);
	u32 needed = xbpf_btf_vlen(t) * (u32)sizeof(*v), i;
	u64 end = 0, sum = 0;
	int err;

	err = xbpf_btf_meta_short(env, t, left, needed);
	if (err)
		return err;
	if (!t->size) {
		xbpf_btf_log_type(env, t, "size == 0");
		return -EINVAL;
	}
	if (XBPF_BTF_INFO_KFLAG(t->info)) {
		xbpf_btf_log_type(env, t, "Invalid btf_info kind_flag");
		return -EINVAL;
	}
	if (!t->name_off || !xbpf_btf_ident_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid name");
		return -EINVAL;
	}
	for (i = 0; i < xbpf_btf_vlen(t); i++, v++) {
		if (!v->type || v->type > XBPF_BTF_MAX_TYPE) {
			xbpf_btf_log_vsi(env, t, v, "Invalid type_id");
			return -EINVAL;
		}
		/* variables are in offset order and do not overlap */
		if (v->offset < end || v->offset >= t->size) {
			xbpf_btf_log_vsi(env, t, v, "Invalid offset");
			return -EINVAL;
		}
		if (!v->size || v->size > t->size) {
			xbpf_btf_log_vsi(env, t, v, "Invalid size");
			return -EINVAL;
		}
		end = (u64)v->offset + v->size;
		if (end > t->size) {
			xbpf_btf_log_vsi(env, t, v, "Invalid offset+size");
			return -EINVAL;
		}
		sum += v->size;
	}
	if (t->size < sum) {
		xbpf_btf_log_type(env, t, "Invalid btf_info size");
		return -EINVAL;
	}
	return needed;
}

static s32 xbpf_btf_meta_float(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	int err = xbpf_btf_no_vlen_kflag(env, t);

	if (err)
		return err;
	if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16) {
		xbpf_btf_log_type(env, t, "Invalid type_size");
		return -EINVAL;
	}
	return 0;
}

static s32 xbpf_btf_meta_decl_tag(struct xbpf_btf_env *env, const struct xbpf_btf_type *t,
				  u32 left)
{
	const struct xbpf_btf_decl_tag *tag = (const void *)(t + 1);
	int err;

	err = xbpf_btf_meta_short(env, t, left, sizeof(*tag));
	if (err)
		return err;
	if (!xbpf_btf_value_ok(env->btf, t->name_off)) {
		xbpf_btf_log_type(env, t, "Invalid value");
		return -EINVAL;
	}
	err = xbpf_btf_no_vlen_kflag(env, t);
	if (err)
		return err;
	if (tag->component_idx < -1) {
		xbpf_btf_log_type(env, t, "Invalid component_idx");
		return -EINVAL;
	}
	return sizeof(*tag);
}

/* One record at cur with left bytes to the section's end: its total length or -errno. */
static s32 xbpf_btf_check_record(struct xbpf_btf_env *env, const struct xbpf_btf_type *t, u32 left)
{
	u32 kind;
	s32 extra;

	if (left < sizeof(*t)) {
		xbpf_btf_log(env, "[%u] meta_left:%u meta_needed:%u", env->log_id, left,
			     (u32)sizeof(*t));
		return -EINVAL;
	}
	left -= sizeof(*t);
	if (t->info & ~XBPF_BTF_INFO_MASK) {
		xbpf_btf_log(env, "[%u] Invalid btf_info:%x", env->log_id, t->info);
		return -EINVAL;
	}
	kind = xbpf_btf_kind(t);
	if (kind == XBPF_BTF_KIND_UNKN || kind > XBPF_BTF_KIND_MAX) {
		xbpf_btf_log(env, "[%u] Invalid kind:%u", env->log_id, kind);
		return -EINVAL;
	}
	if (!xbpf_btf_name_off_ok(env->btf, t->name_off)) {
		xbpf_btf_log(env, "[%u] Invalid name_offset:%u", env->log_id, t->name_off);
		return -EINVAL;
	}

	switch (kind) {
	case XBPF_BTF_KIND_INT:
		extra = xbpf_btf_meta_int(env, t, left);
		break;
	case XBPF_BTF_KIND_ARRAY:
		extra = xbpf_btf_meta_array(env, t, left);
		break;
	case XBPF_BTF_KIND_STRUCT:
	case XBPF_BTF_KIND_UNION:
		extra = xbpf_btf_meta_struct(env, t, left);
		break;
	case XBPF_BTF_KIND_ENUM:
	case XBPF_BTF_KIND_ENUM64:
		extra = xbpf_btf_meta_enum(env, t, left);
		break;
	case XBPF_BTF_KIND_FWD:
		extra = xbpf_btf_meta_fwd(env, t, left);
		break;
	case XBPF_BTF_KIND_FUNC:
		extra = xbpf_btf_meta_func(env, t, left);
		break;
	case XBPF_BTF_KIND_FUNC_PROTO:
		extra = xbpf_btf_meta_func_proto(env, t, left);
		break;
	case XBPF_BTF_KIND_VAR:
		extra = xbpf_btf_meta_var(env, t, left);
		break;
	case XBPF_BTF_KIND_DATASEC:
		extra = xbpf_btf_meta_datasec(env, t, left);
		break;
	case XBPF_BTF_KIND_FLOAT:
		extra = xbpf_btf_meta_float(env, t, left);
		break;
	case XBPF_BTF_KIND_DECL_TAG:
		extra = xbpf_btf_meta_decl_tag(env, t, left);
		break;
	default:	/* PTR and the modifiers */
		extra = xbpf_btf_meta_ref(env, t, left);
		break;
	}
	if (extra < 0)
		return extra;
	return (s32)sizeof(*t) + extra;
}

/*
 * Walks the type section twice: to check and count the records, then,
 * once the table is allocated, to fill it.
 */
static int xbpf_btf_check_records(struct xbpf_btf_env *env)
{
	struct xbpf_btf *btf = env->btf;
	const struct xbpf_btf_header *hdr = &btf->hdr;
	const u8 *start = btf->data + hdr->hdr_len + hdr->type_off;
	u32 len = hdr->type_len, pos, n;
	s32 rec;

	if (hdr->type_off & (sizeof(u32) - 1)) {
		xbpf_btf_log(env, "Unaligned type_off");
		return -EINVAL;
	}
	if (!len) {
		xbpf_btf_log(env, "No type found");
		return -EINVAL;
	}
	/* type_off is 4-aligned and the blob 8-aligned: records are 4-aligned */
	for (pos = 0, n = 1; pos < len; pos += rec, n++) {
		if (n == XBPF_BTF_MAX_TYPE) {
			xbpf_btf_log(env, "Exceeded max num of types");
			return -E2BIG;
		}
		env->log_id = n;
		rec = xbpf_btf_check_record(env, (const void *)(start + pos), len - pos);
		if (rec < 0)
			return rec;
		xbpf_cond_resched();
	}

	btf->nr_types = n;
	btf->types = xbpf_kvzalloc(sizeof(*btf->types) * (size_t)n);
	btf->resolved_ids = xbpf_kvzalloc(sizeof(u32) * (size_t)n);
	btf->resolved_sizes = xbpf_kvzalloc(sizeof(u32) * (size_t)n);
	env->state = xbpf_kvzalloc(n);
	if (!btf->types || !btf->resolved_ids || !btf->resolved_sizes || !env->state)
		return -ENOMEM;
	btf->types[0] = &xbpf_btf_void;
	env->log = NULL;	/* the records are known good: no second log */
	for (pos = 0, n = 1; pos < len; pos += rec, n++) {
		btf->types[n] = (const void *)(start + pos);
		rec = xbpf_btf_check_record(env, btf->types[n], len - pos);
		if (WARN_ON_ONCE(rec < 0))
			return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Pass 3: resolution
 */

/*
 * The type of known size that id stands for (a modifier or var: what it
 * resolved to), with that size; NULL when there is none.
 */
static const struct xbpf_btf_type *xbpf_btf_sized(const struct xbpf_btf *btf, u32 *id, u32 *size)
{
	const struct xbpf_btf_type *t = xbpf_btf_type_by_id(btf, *id);
	u32 tid = *id;
	int hop;

	for (hop = 0; hop < 2; hop++) {
		if (xbpf_btf_nosize(t))
			return NULL;
		if (xbpf_btf_has_size(t) || xbpf_btf_is_kind(t, XBPF_BTF_KIND_ARRAY) ||
		    xbpf_btf_is_kind(t, XBPF_BTF_KIND_PTR)) {
			if (size)
				*size = xbpf_btf_has_size(t) ? t->size :
					xbpf_btf_is_kind(t, XBPF_BTF_KIND_PTR) ? sizeof(void *) :
					btf->resolved_sizes[tid];
			*id = tid;
			return t;
		}
		if (hop || (!xbpf_btf_is_modifier(t) && !xbpf_btf_is_kind(t, XBPF_BTF_KIND_VAR)))
			return NULL;
		tid = btf->resolved_ids[tid];
		t = xbpf_btf_type_by_id(btf, tid);
	}
	return NULL;
}

/* Does the current walk stop at t (it is then resolved on its own)? */
static bool xbpf_btf_stops(const struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	switch (env->walk) {
	case XBPF_BTF_WALK_PTR:
		return !xbpf_btf_is_modifier(t) && !xbpf_btf_is_kind(t, XBPF_BTF_KIND_PTR);
	case XBPF_BTF_WALK_AGG:
		return !xbpf_btf_is_modifier(t) && !xbpf_btf_is_kind(t, XBPF_BTF_KIND_ARRAY) &&
		       !xbpf_btf_is_struct(t);
	default:
		return !xbpf_btf_needs_resolve(t);
	}
}

static int xbpf_btf_push(struct xbpf_btf_env *env, u32 id)
{
	const struct xbpf_btf_type *t = env->btf->types[id];

	if (env->top == XBPF_BTF_RESOLVE_DEPTH)
		return -E2BIG;
	/* still on the stack: the walk came back to it */
	if (env->state[id] != XBPF_BTF_NEW)
		return -EEXIST;
	env->state[id] = XBPF_BTF_ON_STACK;
	env->stack[env->top].id = id;
	env->stack[env->top].next = 0;
	env->top++;
	if (env->walk == XBPF_BTF_WALK_ANY) {
		if (xbpf_btf_is_kind(t, XBPF_BTF_KIND_PTR))
			env->walk = XBPF_BTF_WALK_PTR;
		else if (xbpf_btf_is_struct(t) || xbpf_btf_is_kind(t, XBPF_BTF_KIND_ARRAY))
			env->walk = XBPF_BTF_WALK_AGG;
	}
	return 0;
}

static void xbpf_btf_pop(struct xbpf_btf_env *env, u32 res_id, u32 res_size)
{
	u32 id = env->stack[--env->top].id;

	env->btf->resolved_ids[id] = res_id;
	env->btf->resolved_sizes[id] = res_size;
	env->state[id] = XBPF_BTF_DONE;
}

/* 1: id must be resolved first (pushed); 0: go on; -errno. */
static int xbpf_btf_need(struct xbpf_btf_env *env, u32 id, const struct xbpf_btf_type *t)
{
	int err;

	if (xbpf_btf_stops(env, t) || env->state[id] == XBPF_BTF_DONE)
		return 0;
	err = xbpf_btf_push(env, id);
	return err ? err : 1;
}

/*
 * A modifier (or var) that resolved, while a struct was being walked, to
 * a pointer not resolved yet: that pointer must be followed now so that
 * it cannot lead back here.
 */
static int xbpf_btf_need_ptr_behind(struct xbpf_btf_env *env, u32 next,
				    const struct xbpf_btf_type *nt)
{
	const struct xbpf_btf_type *rt;
	u32 rid;

	if (!xbpf_btf_is_modifier(nt))
		return 0;
	rid = env->btf->resolved_ids[next];
	rt = xbpf_btf_type_by_id(env->btf, rid);
	if (!rt || !xbpf_btf_is_kind(rt, XBPF_BTF_KIND_PTR))
		return 0;
	return xbpf_btf_need(env, rid, rt);
}

/* Modifiers, pointers and vars: what they lead to must have a size. */
static int xbpf_btf_step_ref(struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	bool is_var = xbpf_btf_is_kind(t, XBPF_BTF_KIND_VAR);
	const struct xbpf_btf_type *nt;
	u32 next = t->type, rid;
	int r;

	nt = xbpf_btf_type_by_id(env->btf, next);
	if (!nt || xbpf_btf_source_only(nt)) {
		xbpf_btf_log_type(env, t, "Invalid type_id");
		return -EINVAL;
	}
	r = xbpf_btf_need(env, next, nt);
	if (r)
		return r < 0 ? r : 0;
	if (!xbpf_btf_is_modifier(t)) {
		r = xbpf_btf_need_ptr_behind(env, next, nt);
		if (r)
			return r < 0 ? r : 0;
	}

	rid = next;
	if (!xbpf_btf_sized(env->btf, &rid, NULL)) {
		/* "const void", "typedef void f(void)", "struct s *" of a fwd */
		if (env->state[next] == XBPF_BTF_DONE) {
			rid = env->btf->resolved_ids[next];
			nt = xbpf_btf_type_by_id(env->btf, rid);
		}
		if (is_var || !(xbpf_btf_is_void(nt) || xbpf_btf_is_kind(nt, XBPF_BTF_KIND_FWD) ||
				xbpf_btf_is_kind(nt, XBPF_BTF_KIND_FUNC_PROTO))) {
			xbpf_btf_log_type(env, t, "Invalid type_id");
			return -EINVAL;
		}
	}
	xbpf_btf_pop(env, rid, 0);
	return 0;
}

static int xbpf_btf_step_array(struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	const struct xbpf_btf_array *a = (const void *)(t + 1);
	const struct xbpf_btf_type *it, *et;
	u32 iid = a->index_type, eid = a->type, esize = 0;
	int r;

	it = xbpf_btf_type_by_id(env->btf, iid);
	if (xbpf_btf_nosize(it) || xbpf_btf_source_only(it)) {
		xbpf_btf_log_type(env, t, "Invalid index");
		return -EINVAL;
	}
	r = xbpf_btf_need(env, iid, it);
	if (r)
		return r < 0 ? r : 0;
	it = xbpf_btf_sized(env->btf, &iid, NULL);
	if (!it || !xbpf_btf_is_kind(it, XBPF_BTF_KIND_INT) || !xbpf_btf_int_regular(it)) {
		xbpf_btf_log_type(env, t, "Invalid index");
		return -EINVAL;
	}

	et = xbpf_btf_type_by_id(env->btf, eid);
	if (xbpf_btf_nosize(et) || xbpf_btf_source_only(et)) {
		xbpf_btf_log_type(env, t, "Invalid elem");
		return -EINVAL;
	}
	r = xbpf_btf_need(env, eid, et);
	if (r)
		return r < 0 ? r : 0;
	et = xbpf_btf_sized(env->btf, &eid, &esize);
	if (!et) {
		xbpf_btf_log_type(env, t, "Invalid elem");
		return -EINVAL;
	}
	if (xbpf_btf_is_kind(et, XBPF_BTF_KIND_INT) && !xbpf_btf_int_regular(et)) {
		xbpf_btf_log_type(env, t, "Invalid array of int");
		return -EINVAL;
	}
	if (a->nelems && esize > U32_MAX / a->nelems) {
		xbpf_btf_log_type(env, t, "Array size overflows U32_MAX");
		return -EINVAL;
	}
	xbpf_btf_pop(env, eid, esize * a->nelems);
	return 0;
}

/* A member of known type kind fits in its struct (offsets, bitfields). */
static int xbpf_btf_check_member(struct xbpf_btf_env *env, const struct xbpf_btf_type *st,
				 const struct xbpf_btf_member *m)
{
	bool kflag = XBPF_BTF_INFO_KFLAG(st->info);
	u32 bit_off = xbpf_btf_member_bit_off(st, m);
	u32 bf = kflag ? XBPF_BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
	const struct xbpf_btf_type *mt;
	u32 id = m->type, size = 0, byte_off, bits, d;
	u64 end;

	mt = xbpf_btf_sized(env->btf, &id, &size);
	if (!mt) {
		xbpf_btf_log_member(env, st, m, "Invalid member");
		return -EINVAL;
	}
	byte_off = bit_off / 8;

	if (xbpf_btf_is_kind(mt, XBPF_BTF_KIND_INT)) {
		d = xbpf_btf_int_data(mt);
		if (kflag) {
			if (!xbpf_btf_int_regular(mt)) {
				xbpf_btf_log_member(env, st, m, "Invalid member base type");
				return -EINVAL;
			}
			if (!bf && (bit_off & 7)) {
				xbpf_btf_log_member(env, st, m, "Invalid member offset");
				return -EINVAL;
			}
			if (bf > XBPF_BTF_INT_BITS(d)) {
				xbpf_btf_log_member(env, st, m, "Invalid member bitfield_size");
				return -EINVAL;
			}
			bits = bf ? bf : XBPF_BTF_INT_BITS(d);
		} else {
			/* the int's own bit offset adds to the member's */
			if ((u64)bit_off + XBPF_BTF_INT_OFFSET(d) > U32_MAX) {
				xbpf_btf_log_member(env, st, m, "bits_offset exceeds U32_MAX");
				return -EINVAL;
			}
			bit_off += XBPF_BTF_INT_OFFSET(d);
			byte_off = bit_off / 8;
			bits = XBPF_BTF_INT_BITS(d);
		}
		bits += bit_off & 7;
		if (bits > 128) {
			xbpf_btf_log_member(env, st, m, "nr_copy_bits exceeds 128");
			return -EINVAL;
		}
		size = XBPF_BITS_ROUNDUP_BYTES(bits);
		goto fits;
	}

	if (kflag && (xbpf_btf_is_kind(mt, XBPF_BTF_KIND_ENUM) ||
		      xbpf_btf_is_kind(mt, XBPF_BTF_KIND_ENUM64))) {
		/* as Linux: an enum member of a kind_flag struct spans an int's bits */
		if (!bf && (bit_off & 7)) {
			xbpf_btf_log_member(env, st, m, "Member is not byte aligned");
			return -EINVAL;
		}
		if (bf > 32) {
			xbpf_btf_log_member(env, st, m, "Invalid member bitfield_size");
			return -EINVAL;
		}
		end = XBPF_BITS_ROUNDUP_BYTES((u64)bit_off + (bf ? bf : 32));
		if (end > st->size) {
			xbpf_btf_log_member(env, st, m, "Member exceeds struct_size");
			return -EINVAL;
		}
		return 0;
	} else if (bf) {
		/* pointers, structs, arrays and floats are never bitfields */
		xbpf_btf_log_member(env, st, m, "Invalid member bitfield_size");
		return -EINVAL;
	}

	if (xbpf_btf_is_kind(mt, XBPF_BTF_KIND_FLOAT)) {
		u32 align = min_t(u32, sizeof(void *), mt->size) * 8;

		if (bit_off % align) {
			xbpf_btf_log_member(env, st, m, "Member is not properly aligned");
			return -EINVAL;
		}
	} else if (bit_off & 7) {
		xbpf_btf_log_member(env, st, m, "Member is not byte aligned");
		return -EINVAL;
	}
fits:
	if (st->size < byte_off || st->size - byte_off < size) {
		xbpf_btf_log_member(env, st, m, "Member exceeds struct_size");
		return -EINVAL;
	}
	return 0;
}

static int xbpf_btf_step_struct(struct xbpf_btf_env *env, struct xbpf_btf_frame *f,
				const struct xbpf_btf_type *t)
{
	const struct xbpf_btf_member *m = (const void *)(t + 1);
	const struct xbpf_btf_type *mt;
	u32 i;
	int r;

	/* the member that was pushed last time is resolved now */
	if (f->next) {
		if (WARN_ON_ONCE(env->state[m[f->next - 1].type] != XBPF_BTF_DONE))
			return -EINVAL;
		r = xbpf_btf_check_member(env, t, &m[f->next - 1]);
		if (r)
			return r;
	}
	for (i = f->next; i < xbpf_btf_vlen(t); i++) {
		mt = xbpf_btf_type_by_id(env->btf, m[i].type);
		if (xbpf_btf_nosize(mt) || xbpf_btf_source_only(mt)) {
			xbpf_btf_log_member(env, t, &m[i], "Invalid member");
			return -EINVAL;
		}
		f->next = i + 1;
		r = xbpf_btf_need(env, m[i].type, mt);
		if (r)
			return r < 0 ? r : 0;
		r = xbpf_btf_check_member(env, t, &m[i]);
		if (r)
			return r;
	}
	xbpf_btf_pop(env, 0, 0);
	return 0;
}

static int xbpf_btf_step_datasec(struct xbpf_btf_env *env, struct xbpf_btf_frame *f,
				 const struct xbpf_btf_type *t)
{
	const struct xbpf_btf_var_secinfo *v = (const void *)(t + 1);
	const struct xbpf_btf_type *vt;
	u32 i, id, size = 0;
	int r;

	/* each var is a walk of its own */
	env->walk = XBPF_BTF_WALK_ANY;
	for (i = f->next; i < xbpf_btf_vlen(t); i++) {
		vt = xbpf_btf_type_by_id(env->btf, v[i].type);
		if (!vt || !xbpf_btf_is_kind(vt, XBPF_BTF_KIND_VAR)) {
			xbpf_btf_log_vsi(env, t, &v[i], "Not a VAR kind member");
			return -EINVAL;
		}
		f->next = i + 1;
		r = xbpf_btf_need(env, v[i].type, vt);
		if (r) {
			/* come back to this var's size check */
			f->next = i;
			return r < 0 ? r : 0;
		}
		id = vt->type;
		if (!xbpf_btf_sized(env->btf, &id, &size)) {
			xbpf_btf_log_vsi(env, t, &v[i], "Invalid type");
			return -EINVAL;
		}
		if (v[i].size < size) {
			xbpf_btf_log_vsi(env, t, &v[i], "Invalid size");
			return -EINVAL;
		}
	}
	xbpf_btf_pop(env, 0, 0);
	return 0;
}

static int xbpf_btf_step_func(struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	const struct xbpf_btf_type *proto = xbpf_btf_type_by_id(env->btf, t->type);
	const struct xbpf_btf_param *p;
	u32 i;

	if (!proto || !xbpf_btf_is_kind(proto, XBPF_BTF_KIND_FUNC_PROTO)) {
		xbpf_btf_log_type(env, t, "Invalid type_id");
		return -EINVAL;
	}
	/* a function names its parameters */
	p = (const void *)(proto + 1);
	for (i = 0; i < xbpf_btf_vlen(proto); i++) {
		if (!p[i].name_off && p[i].type) {
			xbpf_btf_log_type(env, t, "Invalid arg#%u", i + 1);
			return -EINVAL;
		}
	}
	xbpf_btf_pop(env, t->type, 0);
	return 0;
}

static int xbpf_btf_step_decl_tag(struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	const struct xbpf_btf_decl_tag *tag = (const void *)(t + 1);
	const struct xbpf_btf_type *nt = xbpf_btf_type_by_id(env->btf, t->type);
	u32 vlen;
	int r;

	if (!nt || !(xbpf_btf_is_kind(nt, XBPF_BTF_KIND_FUNC) || xbpf_btf_is_struct(nt) ||
		     xbpf_btf_is_kind(nt, XBPF_BTF_KIND_VAR) ||
		     xbpf_btf_is_kind(nt, XBPF_BTF_KIND_TYPEDEF))) {
		xbpf_btf_log_type(env, t, "Invalid type_id");
		return -EINVAL;
	}
	r = xbpf_btf_need(env, t->type, nt);
	if (r)
		return r < 0 ? r : 0;
	if (tag->component_idx != -1) {
		/* a member of a struct or a parameter of a function */
		if (xbpf_btf_is_kind(nt, XBPF_BTF_KIND_VAR) ||
		    xbpf_btf_is_kind(nt, XBPF_BTF_KIND_TYPEDEF)) {
			xbpf_btf_log_type(env, t, "Invalid component_idx");
			return -EINVAL;
		}
		if (xbpf_btf_is_kind(nt, XBPF_BTF_KIND_FUNC))
			nt = xbpf_btf_type_by_id(env->btf, nt->type);
		vlen = xbpf_btf_vlen(nt);
		if ((u32)tag->component_idx >= vlen) {
			xbpf_btf_log_type(env, t, "Invalid component_idx");
			return -EINVAL;
		}
	}
	xbpf_btf_pop(env, t->type, 0);
	return 0;
}

static int xbpf_btf_step(struct xbpf_btf_env *env, struct xbpf_btf_frame *f)
{
	const struct xbpf_btf_type *t = env->btf->types[f->id];

	switch (xbpf_btf_kind(t)) {
	case XBPF_BTF_KIND_ARRAY:
		return xbpf_btf_step_array(env, t);
	case XBPF_BTF_KIND_STRUCT:
	case XBPF_BTF_KIND_UNION:
		return xbpf_btf_step_struct(env, f, t);
	case XBPF_BTF_KIND_DATASEC:
		return xbpf_btf_step_datasec(env, f, t);
	case XBPF_BTF_KIND_FUNC:
		return xbpf_btf_step_func(env, t);
	case XBPF_BTF_KIND_DECL_TAG:
		return xbpf_btf_step_decl_tag(env, t);
	default:	/* PTR, VAR, modifiers */
		return xbpf_btf_step_ref(env, t);
	}
}

static int xbpf_btf_resolve(struct xbpf_btf_env *env, u32 id)
{
	const struct xbpf_btf_type *t = env->btf->types[id];
	int err;

	env->walk = XBPF_BTF_WALK_ANY;
	env->top = 0;
	err = xbpf_btf_push(env, id);
	while (!err && env->top) {
		env->log_id = env->stack[env->top - 1].id;
		err = xbpf_btf_step(env, &env->stack[env->top - 1]);
	}
	env->log_id = id;
	if (err == -E2BIG)
		xbpf_btf_log_type(env, t, "Exceeded max resolving depth:%u", XBPF_BTF_RESOLVE_DEPTH);
	else if (err == -EEXIST)
		xbpf_btf_log_type(env, t, "Loop detected");
	return err;
}

/* Resolves id if it needs it; 0 when it is (now) resolved or needs nothing. */
static int xbpf_btf_resolve_if_needed(struct xbpf_btf_env *env, u32 id)
{
	const struct xbpf_btf_type *t = env->btf->types[id];
	u32 save = env->log_id;
	int err;

	if (!xbpf_btf_needs_resolve(t) || env->state[id] == XBPF_BTF_DONE)
		return 0;
	err = xbpf_btf_resolve(env, id);
	env->log_id = save;
	return err;
}

/* A prototype's return and parameter types have sizes; "..." only last. */
static int xbpf_btf_check_proto(struct xbpf_btf_env *env, const struct xbpf_btf_type *t)
{
	const struct xbpf_btf_param *p = (const void *)(t + 1);
	const struct xbpf_btf_type *pt;
	u32 n = xbpf_btf_vlen(t), i, id;
	int err;

	if (t->type) {
		id = t->type;
		pt = xbpf_btf_type_by_id(env->btf, id);
		if (!pt || xbpf_btf_source_only(pt)) {
			xbpf_btf_log_type(env, t, "Invalid return type");
			return -EINVAL;
		}
		err = xbpf_btf_resolve_if_needed(env, id);
		if (err)
			return err;
		if (!xbpf_btf_sized(env->btf, &id, NULL)) {
			xbpf_btf_log_type(env, t, "Invalid return type");
			return -EINVAL;
		}
	}
	if (n && !p[n - 1].type) {
		if (p[n - 1].name_off) {
			xbpf_btf_log_type(env, t, "Invalid arg#%u", n);
			return -EINVAL;
		}
		n--;
	}
	for (i = 0; i < n; i++) {
		id = p[i].type;
		pt = xbpf_btf_type_by_id(env->btf, id);
		if (!pt || xbpf_btf_source_only(pt) ||
		    (p[i].name_off && (!xbpf_btf_name_off_ok(env->btf, p[i].name_off) ||
				       !xbpf_btf_ident_ok(env->btf, p[i].name_off)))) {
			xbpf_btf_log_type(env, t, "Invalid arg#%u", i + 1);
			return -EINVAL;
		}
		err = xbpf_btf_resolve_if_needed(env, id);
		if (err)
			return err;
		if (!xbpf_btf_sized(env->btf, &id, NULL)) {
			xbpf_btf_log_type(env, t, "Invalid arg#%u", i + 1);
			return -EINVAL;
		}
	}
	return 0;
}

static int xbpf_btf_resolve_all(struct xbpf_btf_env *env)
{
	struct xbpf_btf *btf = env->btf;
	u32 id;
	int err;

	for (id = 1; id < btf->nr_types; id++) {
		env->log_id = id;
		err = xbpf_btf_resolve_if_needed(env, id);
		if (!err && xbpf_btf_is_kind(btf->types[id], XBPF_BTF_KIND_FUNC_PROTO))
			err = xbpf_btf_check_proto(env, btf->types[id]);
		if (err)
			return err;
		xbpf_cond_resched();
	}
	return 0;
}

/*
 * Modifier chains are short and type tags lead them.  Chains that start
 * at an id up to good were checked already, so a walk stops there.
 */
static int xbpf_btf_check_chains(struct xbpf_btf_env *env)
{
	struct xbpf_btf *btf = env->btf;
	const struct xbpf_btf_type *t;
	u32 id, cur, good = 0, n;
	bool in_tags;

	for (id = 1; id < btf->nr_types; id++) {
		t = btf->types[id];
		if (!xbpf_btf_is_modifier(t))
			continue;
		in_tags = xbpf_btf_is_kind(t, XBPF_BTF_KIND_TYPE_TAG);
		for (cur = id, n = 0; t && xbpf_btf_is_modifier(t); n++) {
			if (n == XBPF_BTF_CHAIN_MAX) {
				xbpf_btf_log(env, "Max chain length or cycle detected");
				return -ELOOP;
			}
			if (xbpf_btf_is_kind(t, XBPF_BTF_KIND_TYPE_TAG)) {
				if (!in_tags) {
					xbpf_btf_log(env, "Type tags don't precede modifiers");
					return -EINVAL;
				}
			} else {
				in_tags = false;
			}
			if (cur <= good)
				break;
			cur = t->type;
			t = xbpf_btf_type_by_id(btf, cur);
		}
		good = id;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Objects
 */

static void xbpf_btf_free(struct xbpf_btf *btf)
{
	xbpf_kvfree(btf->types);
	xbpf_kvfree(btf->resolved_ids);
	xbpf_kvfree(btf->resolved_sizes);
	xbpf_kvfree(btf->alloc);
	xbpf_kfree(btf);
}

int xbpf_btf_load(u64 ubuf, u32 size, struct xbpf_log *log, struct xbpf_btf **btfp)
{
	struct xbpf_btf_env *env;
	struct xbpf_btf *btf;
	u32 hdr_len, pad = 0;
	int err;

	*btfp = NULL;
	if (size > XBPF_BTF_MAX_SIZE)
		return -E2BIG;
	env = xbpf_kzalloc(sizeof(*env));
	btf = xbpf_kzalloc(sizeof(*btf));
	if (!env || !btf) {
		err = -ENOMEM;
		goto out;
	}
	env->btf = btf;
	env->log = log;
	/*
	 * The sections follow a header of any length: place the copy so that
	 * they start 4-aligned (type_off must be), as records are read as u32s.
	 */
	if (size >= offsetof(struct xbpf_btf_header, hdr_len) + sizeof(u32)) {
		if (xbpf_copy_from_user(&hdr_len, ubuf + offsetof(struct xbpf_btf_header, hdr_len),
					sizeof(hdr_len))) {
			err = -EFAULT;
			goto out;
		}
		pad = (4 - (hdr_len & 3)) & 3;
	}
	btf->alloc = xbpf_kvzalloc((size_t)size + pad + 1);
	if (!btf->alloc) {
		err = -ENOMEM;
		goto out;
	}
	btf->data = btf->alloc + pad;
	btf->data_size = size;
	if (size && xbpf_copy_from_user(btf->data, ubuf, size)) {
		err = -EFAULT;
		goto out;
	}

	err = xbpf_btf_check_header(env);
	if (!err)
		err = xbpf_btf_check_strings(env);
	if (!err)
		err = xbpf_btf_check_records(env);
	env->log = log;
	if (!err)
		err = xbpf_btf_resolve_all(env);
	if (!err)
		err = xbpf_btf_check_chains(env);
out:
	if (env)
		xbpf_kvfree(env->state);
	xbpf_kfree(env);
	if (err) {
		if (btf)
			xbpf_btf_free(btf);
		return err;
	}
	xbpf_refcount_set(&btf->refcnt, 1);
	*btfp = btf;
	return 0;
}

void xbpf_btf_get(struct xbpf_btf *btf)
{
	xbpf_refcount_inc(&btf->refcnt);
}

static void xbpf_btf_free_rcu(xbpf_rcu_head_t *head)
{
	struct xbpf_btf *btf = container_of(head, struct xbpf_btf, rcu);

	if (btf->owner_release)
		btf->owner_release(btf);
	xbpf_btf_free(btf);
}

void xbpf_btf_put(struct xbpf_btf *btf)
{
	if (!btf || !xbpf_refcount_dec_and_test(&btf->refcnt))
		return;
	xbpf_call_rcu(&btf->rcu, xbpf_btf_free_rcu);
}

const struct xbpf_btf_type *xbpf_btf_type_id_size(const struct xbpf_btf *btf, u32 *id,
						  u32 *size)
{
	if (*id >= btf->nr_types)
		return NULL;
	return xbpf_btf_sized(btf, id, size);
}

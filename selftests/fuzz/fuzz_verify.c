// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the offline build of the verifier and interpreter.
 *
 * One input is decoded into a program type, privileges, a log setting,
 * up to four ARRAY/HASH maps with contents, a context (SYSCALL bytes or a
 * SOCKET_FILTER frame) and a program.  The program goes through
 * xbpf_verify(); an accepted one runs in the interpreter.  A crash, an
 * ASan/UBSan report or an abort() below is a bug:
 *
 *  - soundness: a program the verifier lets run in the fast model
 *    (prog->checked == false) faults in the checked model;
 *  - soundness of the walk: every input is verified twice, once with
 *    the walk off (XBPF_CHECK_OFF, "the stage") and once with it
 *    strict (XBPF_CHECK_STRICT: the abstract interpreter, verifier/
 *    check.c, must prove it).  A program the walk accepts must also pass the stage
 *    without it (the walk only adds restrictions), and must not fault
 *    in the checked model: the walk proved its memory accesses safe;
 *  - verifier/interpreter mismatch: an accepted program holds an
 *    instruction the interpreter refuses, jumps outside itself or ends
 *    in the middle of an LDDW (these hold for checked programs too);
 *  - differential: a run the checked model completed, repeated with the
 *    same state in the fast model, gives another r0, context or map
 *    contents;
 *  - references: a map's refcount is not back to the fuzzer's own one
 *    after a rejected load or after xbpf_prog_put();
 *  - the log's contract (bpf(2) fixed mode, NUL-terminated, true size,
 *    -ENOSPC exactly when full).
 *
 * The decoder is biased towards programs the verifier accepts: registers
 * are clamped to 0..10, opcodes come from the valid set most of the time,
 * jump and call offsets are fixed up to land inside their own function,
 * map fds name the maps created here, every function ends with exit, and
 * snippets build the usual lookup/update/delete call sequences.  A few
 * raw instructions keep the decoder's error paths covered.
 *
 * Deterministic by construction: the fast run happens only when the
 * program calls no helper whose result varies between runs (ktime,
 * prandom) and the checked run left every map element where it was, so
 * the second run sees exactly the state the first one saw.
 *
 * Build and run: make fuzz (docs/fuzzing.md).
 */
#include <stdarg.h>
#include "core/xbpf_core.h"
#include "verifier/disasm.h"

#define FZ_MAX_MAPS	4
#define FZ_MAX_FUNCS	4
#define FZ_MAX_INSNS	512
/* Maps whose contents the fuzzer can snapshot and restore. */
#define FZ_SNAP_ENTRIES	64
#define FZ_SNAP_KEY	64
#define FZ_SNAP_VALUE	256
#define FZ_MAX_DATA	96
/*
 * SYSCALL context for a program the walk accepted.  The walk allows any
 * aligned access below U16_MAX (verifier/ctx.c) and leaves it to test-run
 * to refuse a ctx_size_in short of the furthest byte, which nothing
 * enforces yet: such runs get every byte the walk may allow.
 */
#define FZ_SYSCALL_CTX	65536

/* The stack slots the snippets use: key at -16, value at -16 - 72. */
#define FZ_KEY_OFF	(-16)
#define FZ_VAL_OFF	(-88)

__attribute__((noreturn, format(printf, 1, 2)))
static void fz_bug(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_verify: BUG: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* FUZZ_VERIFY_DEBUG=1: print what an input decodes to (reproducing). */
static bool fz_debug;

/* FUZZ_VERIFY_STATS=1: how far inputs get, printed at exit (tuning). */
static struct {
	u64	inputs, accepted, faulted, looped, fast_runs;
	/* the walk (check = true): verdicts, and its accepts that looped */
	u64	walk_accepted, walk_rejected, walk_unsupported, walk_looped;
} fz_stats;

/* ---- input ---- */

struct fz_in {
	const u8	*p;
	size_t		n;
};

/* Past the end of the input every byte reads as 0. */
static u8 in8(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static u16 in16(struct fz_in *in)
{
	u16 v = in8(in);

	return v | (u16)in8(in) << 8;
}

static u32 in32(struct fz_in *in)
{
	u32 v = in16(in);

	return v | (u32)in16(in) << 16;
}

/* Immediates: small values and edge cases most of the time. */
static s32 fz_imm(struct fz_in *in)
{
	static const s32 edge[] = {
		0, 1, -1, 2, 7, 8, 16, 31, 32, 63, 64, 255, 0x7fff, -0x8000,
		0x7fffffff, (s32)0x80000000, (s32)0xffff0000, 0x10000,
	};
	u8 b = in8(in);

	switch (b & 3) {
	case 0:
		return (s8)in8(in);
	case 1:
		return edge[in8(in) % ARRAY_SIZE(edge)];
	case 2:
		return in8(in);
	default:
		return (s32)in32(in);
	}
}

static u8 fz_src(struct fz_in *in)
{
	return in8(in) % 11;
}

/* Writable registers; r10 now and then so "frame pointer is read only" runs. */
static u8 fz_dst(struct fz_in *in)
{
	u8 b = in8(in);

	return b == 0xff ? 10 : b % 10;
}

/* ---- maps ---- */

struct fz_map {
	struct xbpf_map	*map;
};

struct fz_state {
	u32		type;
	struct fz_map	maps[FZ_MAX_MAPS];
	u32		nr_maps;
};

static struct xbpf_map *fz_map_from_fd(void *priv, int fd)
{
	struct fz_state *st = priv;

	if (fd < 0 || (u32)fd >= st->nr_maps)
		return NULL;
	xbpf_map_get(st->maps[fd].map);
	return st->maps[fd].map;
}

static const struct xbpf_verifier_ops fz_ops = { .map_from_fd = fz_map_from_fd };

static void fz_fill(u8 *buf, u32 size, u8 seed)
{
	u32 i;

	for (i = 0; i < size; i++)
		buf[i] = (u8)(seed + i * 37);
}

/* Creates one map from the input; mostly small well-formed ones. */
static void fz_make_map(struct fz_state *st, struct fz_in *in)
{
	struct xbpf_map_params p = {};
	struct xbpf_map *map;
	u8 t = in8(in), key[FZ_SNAP_KEY], val[FZ_SNAP_VALUE];
	u32 i, n;
	int err;

	p.map_type = t & 1 ? XBPF_MAP_TYPE_HASH : XBPF_MAP_TYPE_ARRAY;
	if (t & 0x80) {
		/* Raw parameters: the creation error paths, bounded in size. */
		p.map_type = t & 0x40 ? in8(in) % 40 : p.map_type;
		p.key_size = in16(in) % 1024;
		p.value_size = in16(in) % 4097;
		p.max_entries = in16(in) % 4097;
		p.map_flags = in16(in);
		p.map_flags = in8(in) & 1 ? p.map_flags : p.map_flags & 0xc1;
	} else {
		p.key_size = p.map_type == XBPF_MAP_TYPE_ARRAY ? 4 : 1 + in8(in) % 16;
		p.value_size = 1 + in8(in) % 64;
		p.max_entries = t & 2 ? 1 : 1 + in8(in) % 8;
		/* A fixed hash seed keeps iteration order the same every run. */
		if (p.map_type == XBPF_MAP_TYPE_HASH && !(t & 0x20))
			p.map_flags |= XBPF_F_ZERO_SEED;
		if (t & 4)
			p.map_flags |= XBPF_F_RDONLY_PROG;
	}
	map = xbpf_map_create(&p, &err);
	if (!map) {
		if (!err)
			fz_bug("map_create failed with no error");
		return;
	}
	if (err || xbpf_refcount_read(&map->refcnt) != 1)
		fz_bug("map_create: err %d, refcnt %d", err,
		       xbpf_refcount_read(&map->refcnt));
	if (map->key_size > FZ_SNAP_KEY || map->value_size > FZ_SNAP_VALUE ||
	    map->max_entries > FZ_SNAP_ENTRIES || st->nr_maps == FZ_MAX_MAPS) {
		xbpf_map_put(map);	/* exercised create and free; not used */
		return;
	}

	/* Contents: every array value, a few hash elements. */
	n = map->map_type == XBPF_MAP_TYPE_ARRAY ? map->max_entries : in8(in) % 4;
	for (i = 0; i < n; i++) {
		memset(key, 0, sizeof(key));
		if (map->map_type == XBPF_MAP_TYPE_ARRAY)
			memcpy(key, &i, sizeof(i));
		else
			fz_fill(key, map->key_size, in8(in));
		fz_fill(val, map->value_size, in8(in));
		map->ops->update(map, key, val, XBPF_ANY);
	}
	st->maps[st->nr_maps].map = map;
	st->nr_maps++;
}

/* ---- map snapshots, for the differential run ---- */

struct fz_snap_ent {
	u8	key[FZ_SNAP_KEY];
	void	*val;
	u8	bytes[FZ_SNAP_VALUE];
};

struct fz_snap {
	u32			n;
	struct fz_snap_ent	e[FZ_SNAP_ENTRIES];
};

static void fz_snap_take(struct xbpf_map *map, struct fz_snap *s)
{
	u8 key[FZ_SNAP_KEY], next[FZ_SNAP_KEY];
	const void *prev = NULL;

	s->n = 0;
	while (!map->ops->get_next_key(map, prev, next)) {
		struct fz_snap_ent *e;

		if (s->n == map->max_entries)
			fz_bug("map (type %u) iterates over more than max_entries %u keys",
			       map->map_type, map->max_entries);
		e = &s->e[s->n++];
		memcpy(e->key, next, map->key_size);
		e->val = map->ops->lookup(map, next);
		if (!e->val)
			fz_bug("map (type %u): get_next_key returned a key lookup misses",
			       map->map_type);
		memcpy(e->bytes, e->val, map->value_size);
		memcpy(key, next, map->key_size);
		prev = key;
	}
}

/* Same keys, each value at the same address. */
static bool fz_snap_same_layout(const struct xbpf_map *map, const struct fz_snap *a,
				const struct fz_snap *b)
{
	u32 i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->e[i].val != b->e[i].val ||
		    memcmp(a->e[i].key, b->e[i].key, map->key_size))
			return false;
	return true;
}

static void fz_snap_restore(const struct xbpf_map *map, const struct fz_snap *s)
{
	u32 i;

	for (i = 0; i < s->n; i++)
		memcpy(s->e[i].val, s->e[i].bytes, map->value_size);
}

/* ---- program generation ---- */

enum fz_fix {
	FZ_FIX_NONE,
	FZ_FIX_JMP,	/* off: a target in the same function */
	FZ_FIX_JA32,	/* imm: same, gotol */
	FZ_FIX_CALL,	/* imm: another function's first instruction */
};

struct fz_gen {
	struct fz_in	*in;
	struct fz_state	*st;
	struct xbpf_insn insn[FZ_MAX_INSNS];
	u8		fix[FZ_MAX_INSNS];
	u16		sel[FZ_MAX_INSNS];
	bool		hi[FZ_MAX_INSNS];	/* second slot of an LDDW */
	u32		len;
	u32		func_start[FZ_MAX_FUNCS + 1];
	u32		nr_funcs;
	bool		full;
};

#define I(c, d, s, o, i)	((struct xbpf_insn){ .code = (c), .dst_reg = (d), \
				  .src_reg = (s), .off = (o), .imm = (i) })

static void emit_fix(struct fz_gen *g, struct xbpf_insn insn, u8 fix, u16 sel)
{
	/* Room for the exit that closes the function. */
	if (g->len >= FZ_MAX_INSNS - 1) {
		g->full = true;
		return;
	}
	g->insn[g->len] = insn;
	g->fix[g->len] = fix;
	g->sel[g->len] = sel;
	g->hi[g->len] = false;
	g->len++;
}

static void emit(struct fz_gen *g, struct xbpf_insn insn)
{
	emit_fix(g, insn, FZ_FIX_NONE, 0);
}

static void emit_lddw(struct fz_gen *g, u8 dst, u8 src, u32 lo, u32 hi)
{
	if (g->len >= FZ_MAX_INSNS - 2) {
		g->full = true;
		return;
	}
	emit(g, I(XBPF_LD | XBPF_IMM | XBPF_DW, dst, src, 0, (s32)lo));
	emit(g, I(0, 0, 0, 0, (s32)hi));
	g->hi[g->len - 1] = true;
}

/* A map fd: one of ours nearly always. */
static u32 fz_fd(struct fz_gen *g)
{
	u8 b = in8(g->in);

	if (b == 0xff || !g->st->nr_maps)
		return b == 0xff ? (u32)-1 : b;
	return b % g->st->nr_maps;
}

static const u8 fz_alu_ops[] = {
	XBPF_ADD, XBPF_SUB, XBPF_MUL, XBPF_DIV, XBPF_OR, XBPF_AND, XBPF_LSH,
	XBPF_RSH, XBPF_NEG, XBPF_MOD, XBPF_XOR, XBPF_MOV, XBPF_ARSH, XBPF_END,
};

static const u8 fz_jmp_ops[] = {
	XBPF_JEQ, XBPF_JGT, XBPF_JGE, XBPF_JSET, XBPF_JNE, XBPF_JSGT,
	XBPF_JSGE, XBPF_JLT, XBPF_JLE, XBPF_JSLT, XBPF_JSLE,
};

static const u8 fz_sizes[] = { XBPF_B, XBPF_H, XBPF_W, XBPF_DW };

static const s32 fz_atomic_ops[] = {
	XBPF_ADD, XBPF_AND, XBPF_OR, XBPF_XOR,
	XBPF_ADD | XBPF_FETCH, XBPF_AND | XBPF_FETCH, XBPF_OR | XBPF_FETCH,
	XBPF_XOR | XBPF_FETCH, XBPF_XCHG, XBPF_CMPXCHG,
};

/* Mostly the base helpers this build has, else anything. */
static s32 fz_helper_id(struct fz_in *in)
{
	static const s32 ids[] = {
		XBPF_FUNC_map_lookup_elem, XBPF_FUNC_map_update_elem,
		XBPF_FUNC_map_delete_elem, XBPF_FUNC_ktime_get_ns,
		XBPF_FUNC_get_prandom_u32, XBPF_FUNC_get_smp_processor_id,
		XBPF_FUNC_ktime_get_boot_ns,
	};
	u8 b = in8(in);

	if (b < 0xf0)
		return ids[b % ARRAY_SIZE(ids)];
	return (s32)in32(in);
}

static void gen_alu(struct fz_gen *g, bool is_x)
{
	struct fz_in *in = g->in;
	u8 cls = in8(in) & 1 ? XBPF_ALU64 : XBPF_ALU;
	u8 op = fz_alu_ops[in8(in) % ARRAY_SIZE(fz_alu_ops)];
	u8 dst = fz_dst(in);
	s32 imm = fz_imm(in);
	s16 off = 0;

	switch (op) {
	case XBPF_NEG:
		emit(g, I(cls | op, dst, 0, 0, 0));
		return;
	case XBPF_END:
		imm = 16 << (in8(in) % 3);
		if (cls == XBPF_ALU64)
			emit(g, I(cls | op, dst, 0, 0, imm));	/* bswap */
		else
			emit(g, I(cls | op | (is_x ? XBPF_TO_BE : XBPF_TO_LE), dst, 0, 0, imm));
		return;
	case XBPF_LSH:
	case XBPF_RSH:
	case XBPF_ARSH:
		imm = (u32)imm % (cls == XBPF_ALU64 ? 64 : 32);
		break;
	case XBPF_DIV:
	case XBPF_MOD:
		if (!imm)
			imm = 1;
		off = in8(in) & 1;	/* sdiv, smod */
		break;
	case XBPF_MOV:
		if (is_x) {
			static const s16 sx[] = { 0, 0, 0, 8, 16, 32 };

			off = sx[in8(in) % ARRAY_SIZE(sx)];
			if (off == 32 && cls == XBPF_ALU)
				off = 0;
		}
		break;
	}
	if (is_x)
		emit(g, I(cls | op | XBPF_X, dst, fz_src(in), off, 0));
	else
		emit(g, I(cls | op | XBPF_K, dst, 0, off, imm));
}

static void gen_jmp(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u8 cls = in8(in) & 3 ? XBPF_JMP : XBPF_JMP32;
	u8 op = fz_jmp_ops[in8(in) % ARRAY_SIZE(fz_jmp_ops)];
	u8 dst = fz_src(in);
	u16 sel = in16(in);

	if (in8(in) & 1)
		emit_fix(g, I(cls | op | XBPF_X, dst, fz_src(in), 0, 0), FZ_FIX_JMP, sel);
	else
		emit_fix(g, I(cls | op | XBPF_K, dst, 0, 0, fz_imm(in)), FZ_FIX_JMP, sel);
}

/* Base register and offset of a memory access, biased to valid ones. */
static void fz_mem_addr(struct fz_gen *g, u32 size, u8 *reg, s16 *off)
{
	struct fz_in *in = g->in;
	u8 b = in8(in);

	switch (b % 8) {
	case 0:
	case 1:
	case 2:
	case 3:	/* stack: aligned slots, sometimes one byte off */
		*reg = XBPF_REG_10;
		*off = -(s16)(size * (1 + in8(in) % (512 / size)));
		if (b & 0x80)
			*off += 1;
		break;
	case 4:	/* context */
		*reg = XBPF_REG_1;
		*off = (s16)((in8(in) % 200) & ~(size - 1));
		break;
	case 5:	/* a map value from a lookup */
		*reg = XBPF_REG_0;
		*off = (s16)((in8(in) % 72) & ~(size - 1));
		break;
	case 6:	/* callee-saved, where snippets keep pointers */
		*reg = 6 + in8(in) % 4;
		*off = (s16)((in8(in) % 72) & ~(size - 1));
		break;
	default:
		*reg = fz_src(in);
		*off = (s16)in16(in);
		break;
	}
}

static void gen_mem(struct fz_gen *g, u8 kind)
{
	struct fz_in *in = g->in;
	u8 szi = in8(in) % 4, sz = fz_sizes[szi], reg;
	u32 size = 1U << szi;
	s16 off;

	fz_mem_addr(g, size, &reg, &off);
	switch (kind) {
	case 0: {	/* load, sign-extending now and then */
		u8 mode = sz != XBPF_DW && (in8(in) & 3) == 0 ? XBPF_MEMSX : XBPF_MEM;

		emit(g, I(XBPF_LDX | mode | sz, fz_dst(in), reg, off, 0));
		break;
	}
	case 1:
		emit(g, I(XBPF_STX | XBPF_MEM | sz, reg, fz_src(in), off, 0));
		break;
	case 2:
		emit(g, I(XBPF_ST | XBPF_MEM | sz, reg, 0, off, fz_imm(in)));
		break;
	default: {	/* atomic: W or DW only */
		s32 op = fz_atomic_ops[in8(in) % ARRAY_SIZE(fz_atomic_ops)];

		sz = szi & 1 ? XBPF_DW : XBPF_W;
		if (sz == XBPF_DW)
			off &= ~7;
		emit(g, I(XBPF_STX | XBPF_ATOMIC | sz, reg, fz_src(in), off & ~3, op));
		break;
	}
	}
}

static void gen_lddw(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u8 kind = in8(in) % 4, dst = fz_dst(in);
	u32 fd;

	switch (kind) {
	case 0:
		emit_lddw(g, dst, 0, in32(in), in32(in));
		break;
	case 1:
	case 2:
		emit_lddw(g, dst, XBPF_PSEUDO_MAP_FD, fz_fd(g), 0);
		break;
	default:
		fd = fz_fd(g);
		emit_lddw(g, dst, XBPF_PSEUDO_MAP_VALUE, fd,
			  fd < g->st->nr_maps ?
			  in8(in) % g->st->maps[fd].map->value_size : in8(in));
		break;
	}
}

/* The key at r10-16 (two dwords: hash keys are up to 16 bytes). */
static void gen_key(struct fz_gen *g, u32 fd)
{
	struct fz_in *in = g->in;
	s32 k = fz_imm(in);

	if (fd < g->st->nr_maps && g->st->maps[fd].map->map_type == XBPF_MAP_TYPE_ARRAY)
		k = (u32)k % (g->st->maps[fd].map->max_entries + 1);
	emit(g, I(XBPF_ST | XBPF_MEM | XBPF_DW, XBPF_REG_10, 0, FZ_KEY_OFF, k));
	emit(g, I(XBPF_ST | XBPF_MEM | XBPF_DW, XBPF_REG_10, 0, FZ_KEY_OFF + 8,
		  in8(in) & 1 ? fz_imm(in) : 0));
}

/* r0 = lookup(map, key); usually a null check, usually r0 kept in r6..r9. */
static void gen_lookup(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u32 fd = fz_fd(g);
	u8 b = in8(in);

	gen_key(g, fd);
	emit_lddw(g, XBPF_REG_1, XBPF_PSEUDO_MAP_FD, fd, 0);
	emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, XBPF_REG_2, XBPF_REG_10, 0, 0));
	emit(g, I(XBPF_ALU64 | XBPF_ADD | XBPF_K, XBPF_REG_2, 0, 0, FZ_KEY_OFF));
	emit(g, I(XBPF_JMP | XBPF_CALL, 0, 0, 0, XBPF_FUNC_map_lookup_elem));
	if (b & 7) {
		/* if r0 == 0 goto somewhere after */
		emit(g, I(XBPF_JMP | XBPF_JNE | XBPF_K, XBPF_REG_0, 0, 1, 0));
		emit(g, I(XBPF_JMP | XBPF_EXIT, 0, 0, 0, 0));
	}
	if (b & 8)
		emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, 6 + (b >> 4) % 4, XBPF_REG_0, 0, 0));
}

static void gen_update(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u32 fd = fz_fd(g);

	gen_key(g, fd);
	emit_lddw(g, XBPF_REG_1, XBPF_PSEUDO_MAP_FD, fd, 0);
	emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, XBPF_REG_2, XBPF_REG_10, 0, 0));
	emit(g, I(XBPF_ALU64 | XBPF_ADD | XBPF_K, XBPF_REG_2, 0, 0, FZ_KEY_OFF));
	if (in8(in) & 1) {
		emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, XBPF_REG_3, XBPF_REG_10, 0, 0));
		emit(g, I(XBPF_ALU64 | XBPF_ADD | XBPF_K, XBPF_REG_3, 0, 0, FZ_VAL_OFF));
	} else {
		/* a value from an earlier lookup */
		emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, XBPF_REG_3, 6 + in8(in) % 4, 0, 0));
	}
	emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_K, XBPF_REG_4, 0, 0, in8(in) % 5));
	emit(g, I(XBPF_JMP | XBPF_CALL, 0, 0, 0, XBPF_FUNC_map_update_elem));
}

static void gen_delete(struct fz_gen *g)
{
	u32 fd = fz_fd(g);

	gen_key(g, fd);
	emit_lddw(g, XBPF_REG_1, XBPF_PSEUDO_MAP_FD, fd, 0);
	emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, XBPF_REG_2, XBPF_REG_10, 0, 0));
	emit(g, I(XBPF_ALU64 | XBPF_ADD | XBPF_K, XBPF_REG_2, 0, 0, FZ_KEY_OFF));
	emit(g, I(XBPF_JMP | XBPF_CALL, 0, 0, 0, XBPF_FUNC_map_delete_elem));
}

static void gen_ld_pkt(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u8 sz = fz_sizes[in8(in) % 3];
	s32 k = in8(in) & 1 ? in8(in) % 64 : fz_imm(in);

	if (in8(in) & 1)
		emit(g, I(XBPF_LD | XBPF_IND | sz, 0, fz_src(in), 0, k));
	else
		emit(g, I(XBPF_LD | XBPF_ABS | sz, 0, 0, 0, k));
}

/* A socket filter's r = skb->sk: usually null-checked, usually in r6..r9 (derefs: fz_mem_addr). */
static void gen_sk(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u8 b = in8(in), dst = b & 8 ? 6 + (b >> 4) % 4 : fz_dst(in);

	emit(g, I(XBPF_LDX | XBPF_MEM | XBPF_DW, dst, XBPF_REG_1,
		  offsetof(struct xbpf_skb, f.sk), 0));
	if (b & 7) {
		emit(g, I(XBPF_JMP | XBPF_JNE | XBPF_K, dst, 0, 1, 0));
		emit(g, I(XBPF_JMP | XBPF_EXIT, 0, 0, 0, 0));
	}
}

static void gen_raw(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u8 code = in8(in), regs = in8(in);
	s16 off = (s16)in16(in);

	emit(g, I(code, regs & 0xf, regs >> 4, off, (s32)in32(in)));
}

static void gen_close_func(struct fz_gen *g)
{
	g->insn[g->len] = I(XBPF_JMP | XBPF_EXIT, 0, 0, 0, 0);
	g->fix[g->len] = FZ_FIX_NONE;
	g->hi[g->len] = false;
	g->len++;
}

static void gen_one(struct fz_gen *g)
{
	struct fz_in *in = g->in;
	u8 sel = in8(in) % 64;

	if (sel < 12)
		gen_alu(g, false);
	else if (sel < 20)
		gen_alu(g, true);
	else if (sel < 28)
		gen_jmp(g);
	else if (sel < 30)
		emit_fix(g, I(XBPF_JMP | XBPF_JA, 0, 0, 0, 0), FZ_FIX_JMP, in16(in));
	else if (sel < 31)
		emit_fix(g, I(XBPF_JMP32 | XBPF_JA, 0, 0, 0, 0), FZ_FIX_JA32, in16(in));
	else if (sel < 36)
		gen_mem(g, 0);
	else if (sel < 39)
		gen_mem(g, 1);
	else if (sel < 41)
		gen_mem(g, 2);
	else if (sel < 43)
		gen_mem(g, 3);
	else if (sel < 45)
		gen_lddw(g);
	else if (sel < 47)
		emit(g, I(XBPF_JMP | XBPF_CALL, 0, 0, 0, fz_helper_id(in)));
	else if (sel < 48)
		emit_fix(g, I(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, 0),
			 FZ_FIX_CALL, in8(in));
	else if (sel < 49)
		emit(g, I(XBPF_JMP | XBPF_EXIT, 0, 0, 0, 0));
	else if (sel < 51)
		gen_ld_pkt(g);
	else if (sel < 55)
		gen_lookup(g);
	else if (sel < 56)
		gen_update(g);
	else if (sel < 57)
		gen_delete(g);
	else if (sel < 58)	/* keep the context where calls don't clobber it */
		emit(g, I(XBPF_ALU64 | XBPF_MOV | XBPF_X, 6 + in8(in) % 4, XBPF_REG_1, 0, 0));
	else if (sel < 59) {
		/* The closing exit takes the slot emit() keeps for the last one. */
		if (g->nr_funcs < FZ_MAX_FUNCS && g->len < FZ_MAX_INSNS - 2 &&
		    g->len > g->func_start[g->nr_funcs - 1]) {
			gen_close_func(g);
			g->func_start[g->nr_funcs++] = g->len;
		}
	} else if (sel < 61) {
		gen_raw(g);
	} else if (sel < 62 && g->st->type == XBPF_PROG_TYPE_SOCKET_FILTER) {
		gen_sk(g);
	} else {
		gen_alu(g, false);
	}
}

/* Jump and call targets, now that every function's extent is known. */
static void gen_fixup(struct fz_gen *g)
{
	u32 f = 0, i;

	g->func_start[g->nr_funcs] = g->len;
	for (i = 0; i < g->len; i++) {
		u32 start, end, t, sel = g->sel[i];

		while (i >= g->func_start[f + 1])
			f++;
		start = g->func_start[f];
		end = g->func_start[f + 1];
		switch (g->fix[i]) {
		case FZ_FIX_JMP:
		case FZ_FIX_JA32:
			/* Backward (a loop) one time in eight, else forward. */
			if ((sel & 0xe000) == 0xe000)
				t = start + sel % (i - start + 1);
			else
				t = i + 1 + sel % (end - i - 1);
			if (g->hi[t])
				t--;
			if (g->fix[i] == FZ_FIX_JMP)
				g->insn[i].off = (s16)((s32)t - (s32)i - 1);
			else
				g->insn[i].imm = (s32)t - (s32)i - 1;
			break;
		case FZ_FIX_CALL:
			/* Another function when there is one; else recursion. */
			t = g->nr_funcs > 1 ? 1 + sel % (g->nr_funcs - 1) : 0;
			g->insn[i].imm = (s32)g->func_start[t] - (s32)i - 1;
			break;
		}
	}
}

static void gen_prog(struct fz_gen *g)
{
	g->nr_funcs = 1;
	g->func_start[0] = 0;
	while (g->in->n && !g->full)
		gen_one(g);
	gen_close_func(g);
	gen_fixup(g);
}

/* ---- the run context ---- */

struct fz_ctx {
	u8		data[FZ_MAX_DATA + XBPF_ETH_HLEN];
	u32		data_len;
	struct xbpf_skb	uctx;
	/* What the runs use, rebuilt before each one at the same addresses. */
	u8		*frame;
	struct xbpf_skb	*skb;
	u8		*ctx;		/* SYSCALL: exactly ctx_size bytes */
	u32		ctx_size;	/* data_len, zero-padded further for the walk */
	void		*stack;
};

static int fz_ctx_reset(struct fz_state *st, struct fz_ctx *c, struct xbpf_run_ctx *rc)
{
	int err;

	memset(rc, 0, sizeof(*rc));
	memset(c->stack, 0, XBPF_RUN_STACK_SIZE);
	rc->stack = c->stack;
	if (st->type == XBPF_PROG_TYPE_SYSCALL) {
		if (c->data_len)
			memcpy(c->ctx, c->data, c->data_len);
		if (c->ctx_size > c->data_len)
			memset(c->ctx + c->data_len, 0, c->ctx_size - c->data_len);
		rc->ctx = c->ctx;
		rc->r2 = c->ctx_size;
		rc->ctx_size = c->ctx_size;
		rc->ctx_writable = true;
		return 0;
	}
	memcpy(c->frame, c->data, c->data_len);
	err = xbpf_skb_init(c->skb, c->frame, c->data_len, &c->uctx);
	if (err) {
		/* Too short for the IP header its type names: make it 802.2. */
		c->frame[12] = 0;
		c->frame[13] = 0;
		c->data[12] = 0;
		c->data[13] = 0;
		err = xbpf_skb_init(c->skb, c->frame, c->data_len, &c->uctx);
		if (err)
			fz_bug("skb_init refused an 802.2 frame of %u bytes: %d",
			       c->data_len, err);
	}
	rc->ctx = c->skb;
	rc->ctx_size = XBPF_SKB_USER_SIZE;
	rc->ctx_writable = true;
	rc->skb = c->skb;
	return 0;
}

static const void *fz_ctx_bytes(struct fz_state *st, struct fz_ctx *c, u32 *size)
{
	if (st->type == XBPF_PROG_TYPE_SYSCALL) {
		*size = c->ctx_size;
		return c->ctx;
	}
	*size = XBPF_SKB_USER_SIZE;
	return c->skb->user;
}

/* Helpers whose result differs from one call to the next. */
static bool fz_prog_deterministic(const struct xbpf_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->len; i++) {
		const struct xbpf_insn *insn = &prog->insns[i];

		if (insn->code == (XBPF_LD | XBPF_IMM | XBPF_DW)) {
			i++;
			continue;
		}
		if (insn->code != (XBPF_JMP | XBPF_CALL) || insn->src_reg)
			continue;
		switch (insn->imm) {
		case XBPF_FUNC_ktime_get_ns:
		case XBPF_FUNC_ktime_get_boot_ns:
		case XBPF_FUNC_get_prandom_u32:
			return false;
		}
	}
	return true;
}

static struct fz_snap fz_before[FZ_MAX_MAPS], fz_after[FZ_MAX_MAPS], fz_again[FZ_MAX_MAPS];

/* proved: the walk accepted prog, so a checked fault is its soundness bug. */
static void fz_run(struct fz_state *st, struct fz_ctx *c, struct xbpf_prog *prog,
		   bool proved)
{
	bool verdict_checked = prog->checked, same = true;
	static u8 ctx_after[FZ_SYSCALL_CTX];
	struct xbpf_run_ctx rc;
	const void *cb;
	u64 r0c = 0, r0f = 0;
	u32 i, csize;
	int err;

	for (i = 0; i < st->nr_maps; i++)
		fz_snap_take(st->maps[i].map, &fz_before[i]);

	/* The checked model is the oracle, whatever the verdict. */
	fz_ctx_reset(st, c, &rc);
	prog->checked = true;
	err = xbpf_interp_run(prog, &rc, &r0c);
	prog->checked = verdict_checked;

	if (err == -EINVAL)
		fz_bug("accepted program: the interpreter refuses insn %u (%s)",
		       rc.fault.insn, rc.fault.why ? rc.fault.why : "?");
	if (err && rc.fault.why &&
	    (!strcmp(rc.fault.why, "jump outside the program") ||
	     !strcmp(rc.fault.why, "truncated lddw") ||
	     !strncmp(rc.fault.why, "helper proto", 12)))
		fz_bug("accepted program: %s at insn %u", rc.fault.why, rc.fault.insn);
	if (err == -EFAULT && proved)
		fz_bug("SOUNDNESS (check walk): a program the walk accepted faults at insn %u: %s of %u bytes at 0x%llx: %s",
		       rc.fault.insn, rc.fault.write ? "write" : "read", rc.fault.size,
		       (unsigned long long)rc.fault.addr, rc.fault.why ? rc.fault.why : "?");
	if (err == -EFAULT && !verdict_checked)
		fz_bug("SOUNDNESS: program verified for the fast model faults at insn %u: %s of %u bytes at 0x%llx: %s",
		       rc.fault.insn, rc.fault.write ? "write" : "read", rc.fault.size,
		       (unsigned long long)rc.fault.addr, rc.fault.why ? rc.fault.why : "?");
	if (err && err != -EFAULT && err != -ELOOP)
		fz_bug("interpreter returned %d", err);
	/* Out of budget is not a bug: the walk's 1M limit is not the run's. */
	if (proved) {
		fz_stats.walk_looped += err == -ELOOP;
	} else {
		fz_stats.faulted += err == -EFAULT;
		fz_stats.looped += err == -ELOOP;
	}
	if (err || !fz_prog_deterministic(prog))
		return;

	/*
	 * The fast run must see what the checked run saw: same context and
	 * stack addresses, same map contents at the same addresses.  A run
	 * that moved elements (hash update, delete, insert) can't be
	 * replayed: pointers into them would differ.
	 */
	for (i = 0; i < st->nr_maps; i++) {
		fz_snap_take(st->maps[i].map, &fz_after[i]);
		if (!fz_snap_same_layout(st->maps[i].map, &fz_before[i], &fz_after[i]))
			return;
	}
	cb = fz_ctx_bytes(st, c, &csize);
	if (csize)
		memcpy(ctx_after, cb, csize);
	for (i = 0; i < st->nr_maps; i++)
		fz_snap_restore(st->maps[i].map, &fz_before[i]);

	fz_stats.fast_runs++;
	fz_ctx_reset(st, c, &rc);
	prog->checked = false;
	err = xbpf_interp_run(prog, &rc, &r0f);
	prog->checked = verdict_checked;
	if (err)
		fz_bug("fast run failed (%d at insn %u: %s) where the checked run passed",
		       err, rc.fault.insn, rc.fault.why ? rc.fault.why : "?");
	if (r0f != r0c)
		fz_bug("differential: r0 checked 0x%llx, fast 0x%llx",
		       (unsigned long long)r0c, (unsigned long long)r0f);
	cb = fz_ctx_bytes(st, c, &csize);
	if (csize && memcmp(ctx_after, cb, csize))
		fz_bug("differential: the context differs after the fast run");
	for (i = 0; i < st->nr_maps; i++) {
		const struct xbpf_map *map = st->maps[i].map;
		u32 j;

		fz_snap_take(st->maps[i].map, &fz_again[i]);
		same = fz_snap_same_layout(map, &fz_after[i], &fz_again[i]);
		for (j = 0; same && j < fz_after[i].n; j++)
			same = !memcmp(fz_after[i].e[j].bytes, fz_again[i].e[j].bytes,
				       map->value_size);
		if (!same)
			fz_bug("differential: map %u differs after the fast run", i);
	}
}

/* ---- the log ---- */

/*
 * bpf(2) fixed mode: always a string; -ENOSPC exactly when the log was
 * cut, i.e. the text and its NUL need more than size bytes (6.4's rule,
 * which makes a retry with log_true_size bytes succeed).
 */
static void fz_check_log(const struct xbpf_log *log, const char *buf, u32 size, int err)
{
	if (!log->level)
		return;
	if (log->len_used > size - 1)
		fz_bug("log: len_used %u beyond size %u", log->len_used, size);
	if (buf[log->len_used] || strlen(buf) != log->len_used)
		fz_bug("log: not a string of len_used %u bytes (strlen %zu)",
		       log->len_used, strnlen(buf, size));
	if (log->true_len < log->len_used)
		fz_bug("log: true_len %llu < len_used %u",
		       (unsigned long long)log->true_len, log->len_used);
	if (log->true_len >= size) {
		if (err != -ENOSPC)
			fz_bug("log: %llu bytes in a %u-byte buffer, but err %d",
			       (unsigned long long)log->true_len, size, err);
	} else if (log->len_used != log->true_len || err == -ENOSPC) {
		fz_bug("log: room left, len_used %u true_len %llu err %d",
		       log->len_used, (unsigned long long)log->true_len, err);
	}
}

/* ---- the target ---- */

static void fz_print_stats(void)
{
	fprintf(stderr, "fuzz_verify: %llu inputs, %llu accepted, %llu checked faults, %llu out of budget, %llu fast runs compared\n",
		(unsigned long long)fz_stats.inputs, (unsigned long long)fz_stats.accepted,
		(unsigned long long)fz_stats.faulted, (unsigned long long)fz_stats.looped,
		(unsigned long long)fz_stats.fast_runs);
	fprintf(stderr, "fuzz_verify: walk (check): %llu accepted, %llu rejected, %llu not yet supported, %llu accepted ran out of budget\n",
		(unsigned long long)fz_stats.walk_accepted,
		(unsigned long long)fz_stats.walk_rejected,
		(unsigned long long)fz_stats.walk_unsupported,
		(unsigned long long)fz_stats.walk_looped);
}

static void fz_dump(const struct fz_gen *g, const struct xbpf_load_params *p,
		    const struct fz_state *st, int err, const char *log)
{
	char buf[XBPF_DISASM_BUF];
	u32 i;

	fprintf(stderr, "prog type %u caps %d%d%d%d%d, %u maps:", p->prog_type,
		p->caps.allow_ptr_leaks, p->caps.bypass_spec_v1,
		p->caps.bypass_spec_v4, p->caps.bpf_capable, p->caps.sys_admin,
		st->nr_maps);
	for (i = 0; i < st->nr_maps; i++)
		fprintf(stderr, " fd %u: type %u key %u value %u max %u flags 0x%x;", i,
			st->maps[i].map->map_type, st->maps[i].map->key_size,
			st->maps[i].map->value_size, st->maps[i].map->max_entries,
			st->maps[i].map->map_flags);
	fprintf(stderr, "\n");
	for (i = 0; i < g->len; i++) {
		if (g->hi[i])
			continue;
		fprintf(stderr, "%4u: (%02x) %s\n", i, g->insn[i].code,
			xbpf_disasm_insn(&g->insn[i], i + 1 < g->len ? &g->insn[i + 1] : NULL,
					 buf, sizeof(buf)));
	}
	fprintf(stderr, "verify: %d\n%s%s", err, log ? "log:\n" : "", log ? log : "");
}

static void fz_run_alloc(struct fz_state *st, struct fz_ctx *c, struct xbpf_prog *prog,
			 bool proved)
{
	/* Exactly sized buffers, so ASan sees what the checked model lets by. */
	c->stack = malloc(XBPF_RUN_STACK_SIZE);
	c->frame = malloc(c->data_len);
	c->skb = malloc(sizeof(*c->skb));
	/* A proved program's test-run is refused below max_ctx_offset. */
	c->ctx_size = c->data_len;
	if (proved && st->type == XBPF_PROG_TYPE_SYSCALL && prog->max_ctx_offset > c->ctx_size)
		c->ctx_size = prog->max_ctx_offset;
	c->ctx = c->ctx_size ? malloc(c->ctx_size) : NULL;
	fz_run(st, c, prog, proved);
	free(c->stack);
	free(c->frame);
	free(c->skb);
	free(c->ctx);
}

/*
 * The same input through the walk (same caps, maps, type).  stage_err is
 * what xbpf_verify() said without it.  The walk gets its own log (none
 * unless debugging), so a stage -ENOSPC is a log verdict, not a program's.
 */
static void fz_walk(struct fz_state *st, struct fz_ctx *c,
		    const struct xbpf_load_params *stage, int stage_err)
{
	static char wlogbuf[1 << 16];
	struct xbpf_load_params p = *stage;
	struct xbpf_prog *prog = NULL;
	struct xbpf_log wlog;
	u32 i;
	int err;

	p.check = XBPF_CHECK_STRICT;
	p.log = NULL;
	if (fz_debug) {
		wlogbuf[0] = '\0';
		if (!xbpf_log_init(&wlog, 1, (u64)(uintptr_t)wlogbuf, sizeof(wlogbuf)))
			p.log = &wlog;
	}
	err = xbpf_verify(&p, &prog);
	if (fz_debug)
		fprintf(stderr, "verify with check: %d\n%s%s", err, p.log ? "log:\n" : "",
			p.log ? wlogbuf : "");
	if (!err != !!prog)
		fz_bug("verify (check) returned %d with prog %p", err, (void *)prog);
	for (i = 0; i < st->nr_maps && err; i++)
		if (xbpf_refcount_read(&st->maps[i].map->refcnt) != 1)
			fz_bug("rejected load (check, %d) leaves map %u with refcnt %d",
			       err, i, xbpf_refcount_read(&st->maps[i].map->refcnt));
	if (err) {
		if (err == -EOPNOTSUPP)
			fz_stats.walk_unsupported++;
		else
			fz_stats.walk_rejected++;
		return;
	}
	fz_stats.walk_accepted++;
	if (stage_err && stage_err != -ENOSPC)
		fz_bug("the walk (check) accepts a program the stage rejects with %d",
		       stage_err);
	fz_run_alloc(st, c, prog, true);
	xbpf_prog_put(prog);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *d = getenv("FUZZ_VERIFY_DEBUG");

	fz_debug = d && *d && strcmp(d, "0");
	d = getenv("FUZZ_VERIFY_STATS");
	if (d && *d && strcmp(d, "0"))
		atexit(fz_print_stats);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct fz_gen g;
	static struct fz_ctx c;
	struct fz_in in = { .p = data, .n = size };
	struct fz_state st = {};
	struct xbpf_load_params p = {};
	struct xbpf_prog *prog = NULL;
	struct xbpf_log log;
	u8 flags, caps, lvl;
	char *logbuf = NULL;
	u32 logsize = 0, i, nmaps;
	int err;

	fz_stats.inputs++;
	flags = in8(&in);
	caps = in8(&in);
	p.prog_type = flags & 1 ? XBPF_PROG_TYPE_SYSCALL : XBPF_PROG_TYPE_SOCKET_FILTER;
	if (flags & 0x80)
		p.prog_type = in8(&in);		/* unknown types too */
	st.type = p.prog_type == XBPF_PROG_TYPE_SYSCALL ? XBPF_PROG_TYPE_SYSCALL :
		  XBPF_PROG_TYPE_SOCKET_FILTER;
	p.caps.allow_ptr_leaks = caps & 1;
	p.caps.bypass_spec_v1 = caps & 2;
	p.caps.bypass_spec_v4 = caps & 4;
	p.caps.bpf_capable = caps & 8;
	p.caps.sys_admin = caps & 16;
	/* A state at every prune point: the walk prunes far more often. */
	if (caps & 32)
		p.prog_flags |= XBPF_F_TEST_STATE_FREQ;

	/* The log: any level, sizes from the minimum to roomy. */
	lvl = in8(&in);
	switch ((lvl >> 3) & 3) {
	case 0:
		logsize = XBPF_LOG_MIN_SIZE;
		break;
	case 1:
		logsize = XBPF_LOG_MIN_SIZE + in8(&in);
		break;
	case 2:
		logsize = 1024;
		break;
	default:
		logsize = 1 << 16;
		break;
	}
	if (lvl & 7)
		logbuf = malloc(logsize);
	if (xbpf_log_init(&log, lvl & 7, (u64)(uintptr_t)logbuf, logbuf ? logsize : 0))
		fz_bug("log_init refused level %u size %u", lvl & 7, logsize);
	if (lvl & 0x80) {
		/* Bad parameters must be refused, and change nothing. */
		struct xbpf_log bad;

		if (!xbpf_log_init(&bad, 8 | lvl, (u64)(uintptr_t)logbuf, logsize) ||
		    !xbpf_log_init(&bad, 1, (u64)(uintptr_t)logbuf, XBPF_LOG_MIN_SIZE - 1) ||
		    !xbpf_log_init(&bad, 0, 0, logsize))
			fz_bug("log_init accepted bad parameters");
	}

	nmaps = in8(&in) % (FZ_MAX_MAPS + 1);
	for (i = 0; i < nmaps; i++)
		fz_make_map(&st, &in);

	/* Packet or context bytes; a short frame is padded with zeroes. */
	memset(c.data, 0, sizeof(c.data));
	memset(&c.uctx, 0, sizeof(c.uctx));
	c.data_len = in8(&in) % (FZ_MAX_DATA + 1);
	for (i = 0; i < c.data_len; i++)
		c.data[i] = in8(&in);
	if (st.type == XBPF_PROG_TYPE_SOCKET_FILTER) {
		c.data_len = max_t(u32, c.data_len, XBPF_ETH_HLEN);
		c.uctx.f.mark = in8(&in);
		c.uctx.f.cb[0] = in8(&in);
	}

	memset(&g, 0, sizeof(g));
	g.in = &in;
	g.st = &st;
	gen_prog(&g);

	p.insns = g.insn;
	p.insn_cnt = g.len;
	/* The stage (per-instruction passes) here, the walk in fz_walk(). */
	p.check = XBPF_CHECK_OFF;
	p.log = &log;
	p.ops = &fz_ops;
	p.priv = &st;
	err = xbpf_verify(&p, &prog);
	if (fz_debug)
		fz_dump(&g, &p, &st, err, log.level ? logbuf : NULL);
	fz_check_log(&log, logbuf, logsize, err);
	if (!err != !!prog)
		fz_bug("verify returned %d with prog %p", err, (void *)prog);
	for (i = 0; i < st.nr_maps && err; i++)
		if (xbpf_refcount_read(&st.maps[i].map->refcnt) != 1)
			fz_bug("rejected load (%d) leaves map %u with refcnt %d",
			       err, i, xbpf_refcount_read(&st.maps[i].map->refcnt));

	if (prog) {
		fz_stats.accepted++;
		fz_run_alloc(&st, &c, prog, false);
		xbpf_prog_put(prog);
	}
	fz_walk(&st, &c, &p, err);

	for (i = 0; i < st.nr_maps; i++) {
		if (xbpf_refcount_read(&st.maps[i].map->refcnt) != 1)
			fz_bug("map %u has refcnt %d after the program was put",
			       i, xbpf_refcount_read(&st.maps[i].map->refcnt));
		xbpf_map_put(st.maps[i].map);
	}
	free(logbuf);
	return 0;
}

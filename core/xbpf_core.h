/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core types shared by every stage: programs, maps, helpers, the verifier
 * log, and the entry points of the verifier, the interpreter and the maps.
 * Compiled both in the module and in libxbpf.a (see xbpf_port.h).
 *
 * Ownership: whoever owns an object (the module's fd layer, or the offline
 * library) holds references through xbpf_map_get()/xbpf_map_put() and
 * xbpf_prog_put(); the core never frees an object a reference still names.
 */
#ifndef _XBPF_CORE_H
#define _XBPF_CORE_H

#include "xbpf_port.h"
#include "../uapi/linux/xbpf.h"

#define XBPF_VERSION_STRING	"0.1.0"

/* ---------------------------------------------------------------------
 * Maps
 */
struct xbpf_map;

/* Validated MAP_CREATE parameters handed to a map type. */
struct xbpf_map_params {
	u32	map_type;
	u32	key_size;
	u32	value_size;
	u32	max_entries;
	u32	map_flags;
	char	name[XBPF_OBJ_NAME_LEN];
};

struct xbpf_map_ops {
	/* Checks the parameters (-EINVAL / -E2BIG / -ENOMEM) and allocates. */
	struct xbpf_map *(*alloc)(const struct xbpf_map_params *p, int *err);
	/* Frees after the last reference, outside any RCU reader. */
	void (*free)(struct xbpf_map *map);
	/* Returns a pointer to the value or NULL.  Caller holds RCU. */
	void *(*lookup)(struct xbpf_map *map, const void *key);
	int (*update)(struct xbpf_map *map, const void *key, const void *value, u64 flags);
	int (*delete)(struct xbpf_map *map, const void *key);
	/* key NULL: first key.  -ENOENT after the last. */
	int (*get_next_key)(struct xbpf_map *map, const void *key, void *next_key);
	/* Direct value address for LDDW pseudo map value, or -errno. */
	int (*direct_value_addr)(const struct xbpf_map *map, u64 *addr, u32 off);
	/*
	 * Optional: the last user reference went (Linux's map_release_uref).
	 * Process context, no lock held.
	 */
	void (*release_uref)(struct xbpf_map *map);
	/*
	 * Optional, the user-space side of lookup and update when it differs
	 * from a program's (per-CPU values: every possible CPU's copy, each
	 * padded to 8 bytes; LRU: a lookup that does not count as a use).
	 * Caller holds RCU; value is xbpf_map_value_size_user() bytes.
	 */
	int (*lookup_user)(struct xbpf_map *map, const void *key, void *value);
	int (*update_user)(struct xbpf_map *map, const void *key, const void *value,
			   u64 flags);
	/* Optional: F_MMAPABLE's page-aligned value area and its length. */
	void *(*mmap_area)(struct xbpf_map *map, u64 *len);
};

struct xbpf_map {
	const struct xbpf_map_ops *ops;
	u32		map_type;
	u32		key_size;
	u32		value_size;
	u32		max_entries;
	u32		map_flags;
	u32		id;		/* set by the owner; 0 offline */
	char		name[XBPF_OBJ_NAME_LEN];
	/*
	 * MAP_CREATE's BTF (module/map_btf.c): a reference the owner drops
	 * in owner_release; NULL offline and for maps created without.
	 */
	struct xbpf_btf	*btf;
	u32		btf_key_type_id;
	u32		btf_value_type_id;
	xbpf_refcount_t	refcnt;
	/*
	 * User references (fds), each also counted in refcnt: Linux's
	 * usercnt.  Programs hold plain references only, so a program array
	 * can drop its entries when user space lets go of it, which breaks
	 * the cycle of a program held by an array it uses.
	 */
	xbpf_refcount_t	usercnt;
	xbpf_rcu_head_t	rcu;
	/*
	 * BPF_MAP_FREEZE: user space may no longer write (update, delete,
	 * writable mmap).  Set once, under freeze_lock, and only while no
	 * writable mapping exists (writecnt, also under freeze_lock).
	 */
	bool		frozen;
	u32		writecnt;
	xbpf_lock_t	freeze_lock;
	void		*owner;		/* the module's or library's wrapper */
	/*
	 * Set by the owner (NULL offline).  The final free calls it exactly
	 * once, from the RCU callback, before ops->free releases the map: the
	 * owner drops its id and wrapper and unpins the module there (module
	 * exit runs rcu_barrier(), so the rest of the callback stays safe).
	 */
	void		(*owner_release)(struct xbpf_map *map);
};

/*
 * Validates common fields, dispatches to the type; returns the map with
 * one reference that is also a user reference (refcnt 1, usercnt 1).
 * Callers that never hand the map to user space may still just
 * xbpf_map_put() it: the type's free releases whatever is left.
 */
struct xbpf_map *xbpf_map_create(const struct xbpf_map_params *p, int *err);
void xbpf_map_get(struct xbpf_map *map);
/* Drops a reference; the last one frees after an RCU grace period. */
void xbpf_map_put(struct xbpf_map *map);
/* A user reference (and a reference): what an fd holds. */
void xbpf_map_get_uref(struct xbpf_map *map);
/*
 * A user reference for a map found by id, unless it is already dying
 * (false).  Callers serialise these calls among themselves (maps/map.c).
 */
bool xbpf_map_get_uref_live(struct xbpf_map *map);
/* Drops both; the last user reference calls ops->release_uref first. */
void xbpf_map_put_uref(struct xbpf_map *map);
bool xbpf_map_type_supported(u32 map_type);

/*
 * The user-space (bpf(2)) side of the element commands, for every type
 * but PROG_ARRAY: values of xbpf_map_value_size_user() bytes, which for
 * per-CPU types is value_size rounded up to 8, times the possible CPUs.
 * Callers hold RCU.  lookup: -ENOENT when absent.
 */
u32 xbpf_map_value_size_user(const struct xbpf_map *map);
bool xbpf_map_is_percpu(const struct xbpf_map *map);
int xbpf_map_lookup_user(struct xbpf_map *map, const void *key, void *value);
int xbpf_map_update_user(struct xbpf_map *map, const void *key, const void *value,
			 u64 flags);
/*
 * BPF_MAP_FREEZE: 0, or -EBUSY (frozen already, or mapped writable),
 * then -EPERM for a caller without CAP_BPF: Linux's order.
 */
int xbpf_map_freeze(struct xbpf_map *map, bool capable);
bool xbpf_map_frozen(const struct xbpf_map *map);
/* A bpf(2) write in flight (update, delete): -EPERM once frozen. */
int xbpf_map_write_begin(struct xbpf_map *map);
void xbpf_map_write_end(struct xbpf_map *map);
/* RDONLY_PROG and frozen: the values can no longer change. */
bool xbpf_map_is_rdonly(const struct xbpf_map *map);
/*
 * A new mapping of the value area: a writable one is refused once frozen
 * (-EPERM) or for a RDONLY_PROG map (-EACCES), and counted until
 * xbpf_map_mmap_put() so that freeze cannot happen while it lasts.
 */
int xbpf_map_mmap_get(struct xbpf_map *map, bool writable);
/* Another mapping from a writable one (fork, split): counted as well. */
void xbpf_map_mmap_dup(struct xbpf_map *map, bool writable);
void xbpf_map_mmap_put(struct xbpf_map *map, bool writable);

struct xbpf_prog;

/*
 * PROG_ARRAY (maps/prog_array.c).  Entries are programs, each holding a
 * program reference; user space stores a program fd and reads back the
 * program id.  Programs may not use the element helpers on it, only
 * bpf_tail_call.
 *
 * The owner's fd -> program resolution: the program behind fd with a new
 * reference, or NULL with *err set (-EBADF: no fd, -EINVAL: not a
 * program), as bpf_prog_get().
 */
typedef struct xbpf_prog *(*xbpf_prog_from_fd_fn)(void *priv, u32 fd, int *err);

/* BPF_MAP_UPDATE_ELEM: value is a u32 program fd; Linux's errnos and order. */
int xbpf_prog_array_update(struct xbpf_map *map, const void *key, const void *value,
			   u64 flags, xbpf_prog_from_fd_fn prog_from_fd, void *priv);
/* BPF_MAP_LOOKUP_ELEM: the id of the program at key, or -ENOENT. */
int xbpf_prog_array_lookup_id(struct xbpf_map *map, const void *key, u32 *id);
/*
 * Linux's bpf_prog_map_compatible: the first program to use or enter the
 * array makes its type (and expected_attach_type, xdp_has_frags) the
 * array's; later ones must match.
 */
bool xbpf_prog_array_compatible(struct xbpf_map *map, const struct xbpf_prog *prog);
/* At load: every PROG_ARRAY the program uses must accept it (-EINVAL). */
int xbpf_prog_check_tail_maps(const struct xbpf_prog *prog);
/* Run time, under RCU: the program at index, or NULL. */
const struct xbpf_prog *xbpf_prog_array_entry(const struct xbpf_map *map, u32 index);

/* ---------------------------------------------------------------------
 * Helpers callable from programs (BPF_CALL with src_reg 0).
 */
typedef u64 (*xbpf_helper_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);

enum xbpf_arg_type {
	XBPF_ARG_DONTCARE = 0,
	XBPF_ARG_ANYTHING,
	XBPF_ARG_CONST_MAP_PTR,
	XBPF_ARG_PTR_TO_MAP_KEY,
	XBPF_ARG_PTR_TO_MAP_VALUE,
	/*
	 * Memory the helper only reads (Linux's ARG_PTR_TO_MEM | MEM_RDONLY),
	 * sized by the CONST_SIZE(_OR_ZERO) argument that follows.
	 */
	XBPF_ARG_PTR_TO_MEM,
	/* Memory the helper fills completely (MEM_UNINIT); sized likewise. */
	XBPF_ARG_PTR_TO_UNINIT_MEM,
	XBPF_ARG_CONST_SIZE,
	XBPF_ARG_CONST_SIZE_OR_ZERO,
	XBPF_ARG_PTR_TO_CTX,
	XBPF_ARG_PTR_TO_ALLOC_MEM,	/* an acquired record (ringbuf), at offset 0 */
	/* A known constant: the size of the memory the helper returns. */
	XBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO,
};

enum xbpf_ret_type {
	XBPF_RET_INTEGER = 0,
	XBPF_RET_VOID,
	XBPF_RET_PTR_TO_MAP_VALUE_OR_NULL,
	XBPF_RET_PTR_TO_ALLOC_MEM_OR_NULL,
};

struct xbpf_helper_proto {
	u32			id;
	const char		*name;
	xbpf_helper_fn		fn;
	enum xbpf_ret_type	ret;
	enum xbpf_arg_type	arg[5];
	/* The returned pointer is a reference the program must release. */
	bool			acquire;
	/* 1..5: that argument's reference is released by the call; 0: none. */
	u8			release_arg;
	/* Only programs with a GPL-compatible license may call it (Linux's). */
	bool			gpl_only;
};

/* NULL when id is unknown to this build. */
const struct xbpf_helper_proto *xbpf_helper_proto(u32 id);
/*
 * Adds helpers that only the module can implement (protos must stay valid
 * until unregistered).  Call before programs can be loaded, and unregister
 * only after no program can run.  -EINVAL for a bad id or no fn, -EEXIST
 * for an id already taken; nothing is registered on error.
 */
int xbpf_helper_register(const struct xbpf_helper_proto *protos, u32 cnt);
void xbpf_helper_unregister(const struct xbpf_helper_proto *protos, u32 cnt);

/* ---------------------------------------------------------------------
 * Verifier log, with bpf(2) semantics: fixed mode; a full log makes the
 * load fail with -ENOSPC; log_true_size reports the size the whole log
 * needed (including the NUL).
 */
struct xbpf_log {
	u32	level;		/* XBPF_LOG_* bits; 0: no log */
	u64	ubuf;		/* user pointer (plain pointer offline) */
	u32	len_total;	/* size of ubuf */
	u32	len_used;	/* bytes written, without the NUL */
	u64	true_len;	/* bytes the whole log would need, without the NUL */
	int	fault;		/* a copy to ubuf failed: the load returns -EFAULT */
};

/* Checks level/buf/size as bpf(2) does; returns 0 or -EINVAL. */
int xbpf_log_init(struct xbpf_log *log, u32 level, u64 ubuf, u32 size);
__printf(2, 3) void xbpf_log_write(struct xbpf_log *log, const char *fmt, ...);
/* 0, or -ENOSPC when truncated, or -EFAULT; NUL-terminates the buffer. */
int xbpf_log_finish(struct xbpf_log *log);
/*
 * The log's logical end (true_len: what has been written, counting what
 * did not fit), for a later xbpf_log_reset().
 */
u64 xbpf_log_pos(const struct xbpf_log *log);
/*
 * Forgets everything written after pos (a position xbpf_log_pos gave),
 * as Linux's bpf_vlog_reset: the verifier drops the log of a finished
 * branch at level 1, and rewrites the end of an instruction's line.
 */
void xbpf_log_reset(struct xbpf_log *log, u64 pos);

/* ---------------------------------------------------------------------
 * Programs
 */
struct xbpf_btf;	/* btf/btf.h */

/* Privilege, as in the CAP_BPF split: decided by the caller's capabilities. */
struct xbpf_caps {
	bool	allow_ptr_leaks;
	bool	bypass_spec_v1;
	bool	bypass_spec_v4;
	bool	bpf_capable;
	bool	sys_admin;	/* fully privileged */
};

/*
 * What the verifier proved about one function of a program, for the
 * engines (the JIT sizes frames and tail-call counters from it).
 */
struct xbpf_func_desc {
	u32	start;			/* first instruction, in the rewritten insns[] */
	u32	stack_depth;		/* bytes the function's frame uses */
	bool	has_tail_call;		/* calls bpf_tail_call itself */
	bool	tail_call_reachable;	/* a tail call can happen below it */
};

/*
 * A bpf_tail_call whose map (r2) and key (r3) the verifier saw constant on
 * every path, with key < max_entries: a JIT may call slot key directly
 * (a patched jump) instead of reading the array at run time.
 */
struct xbpf_tail_site {
	u32		insn;	/* index in the rewritten insns[] */
	struct xbpf_map	*map;	/* one of prog->maps (the program's reference) */
	u32		key;
};

struct xbpf_prog {
	u32		type;		/* enum xbpf_prog_type */
	u32		len;		/* number of instructions in insns[] */
	u32		orig_len;	/* as loaded, before rewriting */
	u32		stack_depth;	/* bytes, main frame; 0: unknown (interp uses max) */
	u32		expected_attach_type;
	u32		id;		/* set by the owner; 0 offline */
	u32		nr_maps;
	u32		verified_insns;
	/*
	 * SYSCALL: end of the furthest context byte the verifier saw the
	 * program touch; a test-run with a smaller ctx_size_in is refused.
	 */
	u32		max_ctx_offset;
	/* Proved programs only (NULL otherwise): func[0] is the main program. */
	u32		nr_funcs;
	struct xbpf_func_desc *funcs;
	/* Proved programs only: the direct tail-call sites, by insn. */
	struct xbpf_tail_site *tail_sites;
	u32		nr_tail_sites;
	/*
	 * JIT entry (the image's first byte), set by the owner once the
	 * image is live and before any other object can see the program;
	 * NULL: the interpreter runs it.  Tail calls from JIT code jump
	 * into it (jit/README "Tail calls").
	 */
	void		*bpf_func;
	bool		gpl_compatible;
	bool		checked;	/* run with the checking memory model */
	bool		xdp_has_frags;	/* PROG_LOAD's XBPF_F_XDP_HAS_FRAGS (PROG_ARRAY owner) */
	u8		tag[XBPF_TAG_SIZE];
	char		name[XBPF_OBJ_NAME_LEN];
	struct xbpf_map	**maps;		/* maps the program references; one ref each */
	/*
	 * PROG_LOAD's prog_btf_fd, held while the program lives when it came
	 * with func_info or line_info, and those records as checked, with
	 * insn_off in the rewritten program's numbering (as bpf(2) reports).
	 */
	struct xbpf_btf	*btf;
	struct xbpf_func_info *func_info;
	u32		func_info_cnt;
	struct xbpf_line_info *line_info;
	u32		line_info_cnt;
	xbpf_refcount_t	refcnt;
	xbpf_rcu_head_t	rcu;
	void		*owner;
	/* Same contract as xbpf_map.owner_release: called once by the final
	 * free, from the RCU callback, before the program's memory goes. */
	void		(*owner_release)(struct xbpf_prog *prog);
	struct xbpf_insn insns[];	/* the rewritten program the engines run */
};

/* Allocates a program for len instructions, refcnt 1, zeroed. */
struct xbpf_prog *xbpf_prog_alloc(u32 len);
void xbpf_prog_get(struct xbpf_prog *prog);
/* Drops a reference; the last one drops the map references and frees
 * after an RCU grace period. */
void xbpf_prog_put(struct xbpf_prog *prog);
/* SHA-1 based tag over the original instructions, as Linux computes it. */
void xbpf_prog_calc_tag(struct xbpf_prog *prog);

/* ---------------------------------------------------------------------
 * Verifier.  The owner supplies fd resolution: fds are kernel objects in
 * the module and table indices offline.
 */
struct xbpf_verifier_ops {
	/* Returns the map with a new reference, or NULL (the verifier logs). */
	struct xbpf_map *(*map_from_fd)(void *priv, int fd);
	/*
	 * The BTF object behind fd with a new reference, or NULL with *err
	 * -EBADF (no such fd) or -EINVAL (not a BTF object).  Optional.
	 */
	struct xbpf_btf *(*btf_from_fd)(void *priv, int fd, int *err);
};

/*
 * A PROG_LOAD attr field bpf(2) writes back on failure: the record size
 * the kernel supports, after a func_info or line_info record longer than
 * that ended in non-zero bytes (-E2BIG), so a loader can trim its records
 * and retry.  The core cannot reach user space: it says what to write,
 * the caller writes it.
 */
enum xbpf_rec_size_field {
	XBPF_REC_SIZE_NONE = 0,
	XBPF_REC_SIZE_FUNC_INFO,	/* attr->func_info_rec_size */
	XBPF_REC_SIZE_LINE_INFO,	/* attr->line_info_rec_size */
};

struct xbpf_rec_size_fixup {
	u32	field;		/* enum xbpf_rec_size_field */
	u32	size;		/* the value to write there */
};

struct xbpf_load_params {
	u32				prog_type;
	u32				prog_flags;
	u32				expected_attach_type;
	const struct xbpf_insn		*insns;		/* kernel copy */
	u32				insn_cnt;
	struct xbpf_caps		caps;
	struct xbpf_log			*log;
	const struct xbpf_verifier_ops	*ops;
	void				*priv;
	u8				check;		/* enum xbpf_check_mode */
	/* The license is GPL-compatible: gpl_only helpers may be called. */
	bool				gpl_compatible;
	/*
	 * PROG_LOAD's BTF fields.  func_info and line_info are user pointers
	 * (plain pointers offline) to cnt records of rec_size bytes each: the
	 * verifier reads them one record at a time, as bpf(2) does, and checks
	 * them against the program (verifier/btf_info.c).
	 */
	u32				prog_btf_fd;
	u32				func_info_rec_size;
	u32				func_info_cnt;
	u32				line_info_rec_size;
	u32				line_info_cnt;
	u64				func_info;
	u64				line_info;
	/* Out, optional (caller storage): see enum xbpf_rec_size_field. */
	struct xbpf_rec_size_fixup	*rec_size_fixup;
};

/*
 * What the abstract interpreter (verifier/check.c) must do with a program.
 * A program it proves runs unchecked (prog->checked false).  Until it
 * follows every feature, a program using one it does not fails its walk
 * with -EOPNOTSUPP ("check: not yet supported: ...").
 */
enum xbpf_check_mode {
	/*
	 * The engine's rule: the walk must prove the program, except that a
	 * CAP_SYS_ADMIN caller's program the walk cannot follow yet is still
	 * loaded, to run under the checking memory model.
	 */
	XBPF_CHECK_AUTO = 0,
	/* The walk must prove the program, whoever loads it. */
	XBPF_CHECK_STRICT = 1,
	/* No walk: the per-instruction passes only; the program runs checked. */
	XBPF_CHECK_OFF = 2,
};

/*
 * Verifies and rewrites.  On success *progp is a new program holding
 * references to every map it uses.  Returns 0 or -errno; the log names
 * the reason.
 */
int xbpf_verify(const struct xbpf_load_params *p, struct xbpf_prog **progp);

/* ---------------------------------------------------------------------
 * Program contexts the engines build for test-run.
 */

/*
 * SOCKET_FILTER context.  The first XBPF_SKB_USER_SIZE bytes are laid out
 * as Linux's struct __sk_buff (what the program reads at r1); the private
 * part follows.  data points at the network header, as in Linux's
 * test-run for socket filters (the Ethernet header is pulled).
 */
#define XBPF_SKB_USER_SIZE	192	/* sizeof(struct __sk_buff) in Linux 6.1 */
struct xbpf_skb {
	union {
		u8	user[XBPF_SKB_USER_SIZE];
		struct {
			u32	len;
			u32	pkt_type;
			u32	mark;
			u32	queue_mapping;
			u32	protocol;	/* network byte order */
			u32	vlan_present;
			u32	vlan_tci;
			u32	vlan_proto;
			u32	priority;
			u32	ingress_ifindex;
			u32	ifindex;
			u32	tc_index;
			u32	cb[5];
			u32	hash;
			u32	tc_classid;
			/*
			 * Every __sk_buff field is named, at its Linux
			 * offset (checked in verifier/ctx_skb.c), so most
			 * context accesses run unchanged; which fields a
			 * program may touch is the verifier's table.
			 */
			u32	data;
			u32	data_end;
			u32	napi_id;
			u32	family;
			u32	remote_ip4;
			u32	local_ip4;
			u32	remote_ip6[4];
			u32	local_ip6[4];
			u32	remote_port;
			u32	local_port;
			u32	data_meta;
			u64	flow_keys;	/* a pointer in Linux */
			u64	tstamp;
			u32	wire_len;
			u32	gso_segs;
			u64	sk;		/* a pointer in Linux */
			u32	gso_size;
			u8	tstamp_type;
			u8	pad[3];
			u64	hwtstamp;
		} f;
	};
	const u8	*data;		/* network header */
	u32		data_len;	/* bytes from data to the end */
	const u8	*mac;		/* start of the frame (data - 14) */
	/*
	 * The socket f.sk points at (xbpf_skb_init), as Linux's test-run
	 * attaches a dummy one to every skb: what a program reads through
	 * the PTR_TO_SOCK_COMMON it loads from __sk_buff->sk.  Read-only to
	 * programs; its address never reaches user space (ctx_in may not set
	 * f.sk, ctx_out does not copy it).
	 */
	struct xbpf_sock	sock;
};

#define XBPF_ETH_HLEN		14

/* An input __sk_buff may set only mark, priority and cb[], as in Linux (not sk). */
bool xbpf_skb_ctx_in_ok(const struct xbpf_skb *uctx);
/*
 * Builds the context for a test run of frame[0..size): -EINVAL for a frame
 * shorter than the Ethernet header or than the IPv4/IPv6 header it names.
 * uctx (optional, checked with xbpf_skb_ctx_in_ok) supplies mark, priority
 * and cb[].  f.sk points at skb->sock, filled as Linux's test-run fills
 * its dummy socket, so the skb must not be copied or moved after this.
 * The frame must outlive the context.
 */
int xbpf_skb_init(struct xbpf_skb *skb, u8 *frame, u32 size,
		  const struct xbpf_skb *uctx);
/*
 * Copies back what a program may change (mark, priority, cb[]) into the
 * caller's __sk_buff; nothing else, so never the socket's address.
 */
void xbpf_skb_ctx_out(struct xbpf_skb *uctx, const struct xbpf_skb *skb);
/*
 * bpf_skb_load_bytes and bpf_skb_load_bytes_relative: r1 is the program's
 * context, which for every skb program type is a struct xbpf_skb (the
 * verifier and the checked model both make sure r1 is the context).
 */
/*
 * LD_ABS/LD_IND: the address of size packet bytes at k (Linux's offsets,
 * SKF_NET_OFF and SKF_LL_OFF included), or NULL when out of bounds.  Both
 * engines resolve packet loads here, so they cannot disagree.
 */
const u8 *xbpf_skb_pkt_ptr(const struct xbpf_skb *skb, s32 k, u32 size);
u64 xbpf_bpf_skb_load_bytes(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 xbpf_bpf_skb_load_bytes_relative(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);

/* ---------------------------------------------------------------------
 * Interpreter.
 */

/* Where a checked run failed (prog->checked); reported in the log/errno. */
struct xbpf_run_fault {
	u32	insn;		/* instruction index */
	u64	addr;
	u32	size;
	bool	write;
	const char *why;
};

/*
 * Stack memory for one run: XBPF_MAX_CALL_FRAMES frames of XBPF_MAX_STACK
 * bytes.  The caller provides it (kmalloc'd per test-run, per-CPU later):
 * 4 KiB does not belong on a kernel stack.
 */
#define XBPF_RUN_STACK_SIZE	(XBPF_MAX_CALL_FRAMES * XBPF_MAX_STACK)

/*
 * Checked mode gives up after this many instructions in one run.  The
 * fuzzer builds with a smaller one: endless loops would otherwise cost it
 * most of its time.
 */
#ifndef XBPF_CHECKED_INSN_BUDGET
#define XBPF_CHECKED_INSN_BUDGET	(1U << 24)
#endif

struct xbpf_run_ctx {
	void			*stack;		/* XBPF_RUN_STACK_SIZE bytes */
	void			*ctx;		/* r1 at entry */
	u64			r2;		/* r2 at entry (conformance/syscall: ctx size) */
	u32			ctx_size;	/* checked mode: bytes of ctx the program may touch */
	bool			ctx_writable;
	struct xbpf_skb		*skb;		/* for LD_ABS/LD_IND; NULL if none */
	struct xbpf_run_fault	fault;
};

/*
 * Runs prog once.  Returns 0 and sets *r0, or, in checked mode, -EFAULT
 * (an access outside every region the program may touch, or a bad helper
 * argument), -ELOOP (more than XBPF_CHECKED_INSN_BUDGET instructions) with
 * details in rc->fault; -EINVAL for an instruction the engine cannot run.
 */
int xbpf_interp_run(const struct xbpf_prog *prog, struct xbpf_run_ctx *rc, u64 *r0);

#endif /* _XBPF_CORE_H */

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xbpf user-space ABI.
 *
 * /dev/xbpf takes one ioctl, XBPF_IOC_BPF, that carries a bpf(2) command:
 * the command number and a pointer and size of its attribute block.  The
 * command numbers, the attribute layouts and the info structures below are
 * binary-compatible with Linux's union bpf_attr (as of Linux 6.1, plus the
 * log_true_size field of 6.4), so a bpf() call can be forwarded unchanged:
 *
 *	struct xbpf_cmd c = { .cmd = cmd, .size = size, .attr = (__u64)attr };
 *	ret = ioctl(fd, XBPF_IOC_BPF, &c);	// same result as bpf(cmd, attr, size)
 *
 * Everything is prefixed xbpf_/XBPF_ so this header can be included beside
 * <linux/bpf.h> (libbpf does) without clashes.  It deliberately does not
 * include <linux/bpf.h>: the module must build where those headers are old.
 */
#ifndef _UAPI_LINUX_XBPF_H
#define _UAPI_LINUX_XBPF_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define XBPF_ABI_VERSION	1

/* ---------------------------------------------------------------------
 * Instruction encoding (RFC 9669).
 */
struct xbpf_insn {
	__u8	code;
	__u8	dst_reg:4;
	__u8	src_reg:4;
	__s16	off;
	__s32	imm;
};

/* instruction classes */
#define XBPF_CLASS(code)	((code) & 0x07)
#define XBPF_LD		0x00
#define XBPF_LDX	0x01
#define XBPF_ST		0x02
#define XBPF_STX	0x03
#define XBPF_ALU	0x04
#define XBPF_JMP	0x05
#define XBPF_JMP32	0x06
#define XBPF_ALU64	0x07

/* load/store size and mode */
#define XBPF_SIZE(code)	((code) & 0x18)
#define XBPF_W		0x00
#define XBPF_H		0x08
#define XBPF_B		0x10
#define XBPF_DW		0x18
#define XBPF_MODE(code)	((code) & 0xe0)
#define XBPF_IMM	0x00
#define XBPF_ABS	0x20
#define XBPF_IND	0x40
#define XBPF_MEM	0x60
#define XBPF_MEMSX	0x80
#define XBPF_ATOMIC	0xc0

/* ALU/JMP operation and source */
#define XBPF_OP(code)	((code) & 0xf0)
#define XBPF_SRC(code)	((code) & 0x08)
#define XBPF_K		0x00
#define XBPF_X		0x08

#define XBPF_ADD	0x00
#define XBPF_SUB	0x10
#define XBPF_MUL	0x20
#define XBPF_DIV	0x30
#define XBPF_OR		0x40
#define XBPF_AND	0x50
#define XBPF_LSH	0x60
#define XBPF_RSH	0x70
#define XBPF_NEG	0x80
#define XBPF_MOD	0x90
#define XBPF_XOR	0xa0
#define XBPF_MOV	0xb0
#define XBPF_ARSH	0xc0
#define XBPF_END	0xd0
#define XBPF_TO_LE	0x00	/* BPF_ALU | END: to little endian */
#define XBPF_TO_BE	0x08	/* BPF_ALU | END: to big endian */
#define XBPF_FROM_LE	XBPF_TO_LE
#define XBPF_FROM_BE	XBPF_TO_BE

#define XBPF_JA		0x00
#define XBPF_JEQ	0x10
#define XBPF_JGT	0x20
#define XBPF_JGE	0x30
#define XBPF_JSET	0x40
#define XBPF_JNE	0x50
#define XBPF_JSGT	0x60
#define XBPF_JSGE	0x70
#define XBPF_CALL	0x80
#define XBPF_EXIT	0x90
#define XBPF_JLT	0xa0
#define XBPF_JLE	0xb0
#define XBPF_JSLT	0xc0
#define XBPF_JSLE	0xd0

/* atomic operations, in imm of XBPF_STX | XBPF_ATOMIC */
#define XBPF_FETCH	0x01
#define XBPF_XCHG	(0xe0 | XBPF_FETCH)
#define XBPF_CMPXCHG	(0xf0 | XBPF_FETCH)

/* registers */
enum {
	XBPF_REG_0 = 0,
	XBPF_REG_1,
	XBPF_REG_2,
	XBPF_REG_3,
	XBPF_REG_4,
	XBPF_REG_5,
	XBPF_REG_6,
	XBPF_REG_7,
	XBPF_REG_8,
	XBPF_REG_9,
	XBPF_REG_10,
	XBPF_MAX_REG,
};

/* src_reg values of LDDW (XBPF_LD | XBPF_IMM | XBPF_DW) */
#define XBPF_PSEUDO_MAP_FD		1
#define XBPF_PSEUDO_MAP_VALUE		2
#define XBPF_PSEUDO_BTF_ID		3
#define XBPF_PSEUDO_FUNC		4
#define XBPF_PSEUDO_MAP_IDX		5
#define XBPF_PSEUDO_MAP_IDX_VALUE	6

/* src_reg values of CALL */
#define XBPF_PSEUDO_CALL		1
#define XBPF_PSEUDO_KFUNC_CALL		2

#define XBPF_MAXINSNS			4096	/* unprivileged limit */
#define XBPF_COMPLEXITY_LIMIT_INSNS	1000000	/* privileged limit */
#define XBPF_MAX_STACK			512
#define XBPF_MAX_CALL_FRAMES		8
#define XBPF_MAX_TAIL_CALL_CNT		33
#define XBPF_OBJ_NAME_LEN		16U
#define XBPF_TAG_SIZE			8

/* ---------------------------------------------------------------------
 * bpf(2) command numbers, as in Linux.
 */
enum xbpf_cmd_nr {
	XBPF_MAP_CREATE,
	XBPF_MAP_LOOKUP_ELEM,
	XBPF_MAP_UPDATE_ELEM,
	XBPF_MAP_DELETE_ELEM,
	XBPF_MAP_GET_NEXT_KEY,
	XBPF_PROG_LOAD,
	XBPF_OBJ_PIN,
	XBPF_OBJ_GET,
	XBPF_PROG_ATTACH,
	XBPF_PROG_DETACH,
	XBPF_PROG_TEST_RUN,
	XBPF_PROG_GET_NEXT_ID,
	XBPF_MAP_GET_NEXT_ID,
	XBPF_PROG_GET_FD_BY_ID,
	XBPF_MAP_GET_FD_BY_ID,
	XBPF_OBJ_GET_INFO_BY_FD,
	XBPF_PROG_QUERY,
	XBPF_RAW_TRACEPOINT_OPEN,
	XBPF_BTF_LOAD,
	XBPF_BTF_GET_FD_BY_ID,
	XBPF_TASK_FD_QUERY,
	XBPF_MAP_LOOKUP_AND_DELETE_ELEM,
	XBPF_MAP_FREEZE,
	XBPF_BTF_GET_NEXT_ID,
	XBPF_MAP_LOOKUP_BATCH,
	XBPF_MAP_LOOKUP_AND_DELETE_BATCH,
	XBPF_MAP_UPDATE_BATCH,
	XBPF_MAP_DELETE_BATCH,
	XBPF_LINK_CREATE,
	XBPF_LINK_UPDATE,
	XBPF_LINK_GET_FD_BY_ID,
	XBPF_LINK_GET_NEXT_ID,
	XBPF_ENABLE_STATS,
	XBPF_ITER_CREATE,
	XBPF_LINK_DETACH,
	XBPF_PROG_BIND_MAP,
	__XBPF_CMD_MAX,
};

/* map types, as in Linux */
enum xbpf_map_type {
	XBPF_MAP_TYPE_UNSPEC,
	XBPF_MAP_TYPE_HASH,
	XBPF_MAP_TYPE_ARRAY,
	XBPF_MAP_TYPE_PROG_ARRAY,
	XBPF_MAP_TYPE_PERF_EVENT_ARRAY,
	XBPF_MAP_TYPE_PERCPU_HASH,
	XBPF_MAP_TYPE_PERCPU_ARRAY,
	XBPF_MAP_TYPE_STACK_TRACE,
	XBPF_MAP_TYPE_CGROUP_ARRAY,
	XBPF_MAP_TYPE_LRU_HASH,
	XBPF_MAP_TYPE_LRU_PERCPU_HASH,
	XBPF_MAP_TYPE_LPM_TRIE,
	XBPF_MAP_TYPE_ARRAY_OF_MAPS,
	XBPF_MAP_TYPE_HASH_OF_MAPS,
	XBPF_MAP_TYPE_DEVMAP,
	XBPF_MAP_TYPE_SOCKMAP,
	XBPF_MAP_TYPE_CPUMAP,
	XBPF_MAP_TYPE_XSKMAP,
	XBPF_MAP_TYPE_SOCKHASH,
	XBPF_MAP_TYPE_CGROUP_STORAGE,
	XBPF_MAP_TYPE_REUSEPORT_SOCKARRAY,
	XBPF_MAP_TYPE_PERCPU_CGROUP_STORAGE,
	XBPF_MAP_TYPE_QUEUE,
	XBPF_MAP_TYPE_STACK,
	XBPF_MAP_TYPE_SK_STORAGE,
	XBPF_MAP_TYPE_DEVMAP_HASH,
	XBPF_MAP_TYPE_STRUCT_OPS,
	XBPF_MAP_TYPE_RINGBUF,
	XBPF_MAP_TYPE_INODE_STORAGE,
	XBPF_MAP_TYPE_TASK_STORAGE,
	XBPF_MAP_TYPE_BLOOM_FILTER,
	XBPF_MAP_TYPE_USER_RINGBUF,
	__XBPF_MAP_TYPE_MAX,
};

/* program types, as in Linux */
enum xbpf_prog_type {
	XBPF_PROG_TYPE_UNSPEC,
	XBPF_PROG_TYPE_SOCKET_FILTER,
	XBPF_PROG_TYPE_KPROBE,
	XBPF_PROG_TYPE_SCHED_CLS,
	XBPF_PROG_TYPE_SCHED_ACT,
	XBPF_PROG_TYPE_TRACEPOINT,
	XBPF_PROG_TYPE_XDP,
	XBPF_PROG_TYPE_PERF_EVENT,
	XBPF_PROG_TYPE_CGROUP_SKB,
	XBPF_PROG_TYPE_CGROUP_SOCK,
	XBPF_PROG_TYPE_LWT_IN,
	XBPF_PROG_TYPE_LWT_OUT,
	XBPF_PROG_TYPE_LWT_XMIT,
	XBPF_PROG_TYPE_SOCK_OPS,
	XBPF_PROG_TYPE_SK_SKB,
	XBPF_PROG_TYPE_CGROUP_DEVICE,
	XBPF_PROG_TYPE_SK_MSG,
	XBPF_PROG_TYPE_RAW_TRACEPOINT,
	XBPF_PROG_TYPE_CGROUP_SOCK_ADDR,
	XBPF_PROG_TYPE_LWT_SEG6LOCAL,
	XBPF_PROG_TYPE_LIRC_MODE2,
	XBPF_PROG_TYPE_SK_REUSEPORT,
	XBPF_PROG_TYPE_FLOW_DISSECTOR,
	XBPF_PROG_TYPE_CGROUP_SYSCTL,
	XBPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE,
	XBPF_PROG_TYPE_CGROUP_SOCKOPT,
	XBPF_PROG_TYPE_TRACING,
	XBPF_PROG_TYPE_STRUCT_OPS,
	XBPF_PROG_TYPE_EXT,
	XBPF_PROG_TYPE_LSM,
	XBPF_PROG_TYPE_SK_LOOKUP,
	XBPF_PROG_TYPE_SYSCALL,
	__XBPF_PROG_TYPE_MAX,
};

/* MAP_CREATE map_flags */
#define XBPF_F_NO_PREALLOC	(1U << 0)
#define XBPF_F_NO_COMMON_LRU	(1U << 1)
#define XBPF_F_NUMA_NODE	(1U << 2)
#define XBPF_F_RDONLY		(1U << 3)
#define XBPF_F_WRONLY		(1U << 4)
#define XBPF_F_STACK_BUILD_ID	(1U << 5)
#define XBPF_F_ZERO_SEED	(1U << 6)
#define XBPF_F_RDONLY_PROG	(1U << 7)
#define XBPF_F_WRONLY_PROG	(1U << 8)
#define XBPF_F_CLONE		(1U << 9)
#define XBPF_F_MMAPABLE		(1U << 10)
#define XBPF_F_PRESERVE_ELEMS	(1U << 11)
#define XBPF_F_INNER_MAP	(1U << 12)

/* MAP_UPDATE_ELEM flags */
#define XBPF_ANY		0
#define XBPF_NOEXIST		1
#define XBPF_EXIST		2
#define XBPF_F_LOCK		4

/* PROG_LOAD prog_flags */
#define XBPF_F_STRICT_ALIGNMENT	(1U << 0)
#define XBPF_F_ANY_ALIGNMENT	(1U << 1)
#define XBPF_F_TEST_RND_HI32	(1U << 2)
#define XBPF_F_TEST_STATE_FREQ	(1U << 3)
#define XBPF_F_SLEEPABLE	(1U << 4)
#define XBPF_F_XDP_HAS_FRAGS	(1U << 5)

/* PROG_TEST_RUN flags */
#define XBPF_F_TEST_RUN_ON_CPU	(1U << 0)
#define XBPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
/*
 * xbpf's own, not Linux's: run this test-run in the interpreter even when
 * the program is JIT-compiled, so tests can hold one engine against the
 * other.  A high bit, far from Linux's flags; Linux refuses it (-EINVAL),
 * as xbpf refuses every other flag here.
 */
#define XBPF_F_TEST_RUN_INTERP	(1U << 31)

/* verifier log levels */
#define XBPF_LOG_LEVEL1		1
#define XBPF_LOG_LEVEL2		2
#define XBPF_LOG_STATS		4
#define XBPF_LOG_LEVEL		(XBPF_LOG_LEVEL1 | XBPF_LOG_LEVEL2)
#define XBPF_LOG_MASK		(XBPF_LOG_LEVEL | XBPF_LOG_STATS)
#define XBPF_LOG_MIN_ALIGNMENT	8U
#define XBPF_LOG_MIN_SIZE	128U	/* a log buffer smaller than this is -EINVAL */
#define XBPF_LOG_MAX_SIZE	(U32_MAX >> 2)

/* helper ids, as in Linux (the ones xbpf knows) */
enum xbpf_func_id {
	XBPF_FUNC_unspec = 0,
	XBPF_FUNC_map_lookup_elem = 1,
	XBPF_FUNC_map_update_elem = 2,
	XBPF_FUNC_map_delete_elem = 3,
	XBPF_FUNC_probe_read = 4,
	XBPF_FUNC_ktime_get_ns = 5,
	XBPF_FUNC_trace_printk = 6,
	XBPF_FUNC_get_prandom_u32 = 7,
	XBPF_FUNC_get_smp_processor_id = 8,
	XBPF_FUNC_tail_call = 12,
	XBPF_FUNC_get_current_pid_tgid = 14,
	XBPF_FUNC_get_current_uid_gid = 15,
	XBPF_FUNC_get_current_comm = 16,
	XBPF_FUNC_skb_load_bytes = 26,
	XBPF_FUNC_get_current_task = 35,
	XBPF_FUNC_skb_load_bytes_relative = 68,
	XBPF_FUNC_probe_read_user = 112,
	XBPF_FUNC_probe_read_kernel = 113,
	XBPF_FUNC_probe_read_user_str = 114,
	XBPF_FUNC_probe_read_kernel_str = 115,
	XBPF_FUNC_ktime_get_boot_ns = 125,
	XBPF_FUNC_ringbuf_output = 130,
	XBPF_FUNC_ringbuf_reserve = 131,
	XBPF_FUNC_ringbuf_submit = 132,
	XBPF_FUNC_ringbuf_discard = 133,
	XBPF_FUNC_ringbuf_query = 134,
	__XBPF_FUNC_MAX_ID = 210,	/* Linux 6.1 defines ids below this */
};

/* bpf_skb_load_bytes_relative's start_header, as Linux's BPF_HDR_START_* */
enum {
	XBPF_HDR_START_MAC = 0,
	XBPF_HDR_START_NET = 1,
};

/* bpf_ringbuf_output/submit/discard flags (Linux's BPF_RB_*). */
enum {
	XBPF_RB_NO_WAKEUP	= (1ULL << 0),
	XBPF_RB_FORCE_WAKEUP	= (1ULL << 1),
};

/* bpf_ringbuf_query flags. */
enum {
	XBPF_RB_AVAIL_DATA	= 0,
	XBPF_RB_RING_SIZE	= 1,
	XBPF_RB_CONS_POS	= 2,
	XBPF_RB_PROD_POS	= 3,
};

/*
 * Ring buffer record header (8 bytes, before every record in the data
 * pages): u32 len with the two flag bits below, then u32 pg_off (kernel
 * use).  The mmap layout: offset 0 the consumer position page (rw), one
 * page on the producer position page (ro), then the data pages twice (ro).
 */
enum {
	XBPF_RINGBUF_BUSY_BIT		= (1U << 31),
	XBPF_RINGBUF_DISCARD_BIT	= (1U << 30),
	XBPF_RINGBUF_HDR_SZ		= 8,
};

/* ---------------------------------------------------------------------
 * union xbpf_attr: layout-identical to Linux's union bpf_attr.
 */
union xbpf_attr {
	struct { /* XBPF_MAP_CREATE */
		__u32	map_type;
		__u32	key_size;
		__u32	value_size;
		__u32	max_entries;
		__u32	map_flags;
		__u32	inner_map_fd;
		__u32	numa_node;
		char	map_name[XBPF_OBJ_NAME_LEN];
		__u32	map_ifindex;
		__u32	btf_fd;
		__u32	btf_key_type_id;
		__u32	btf_value_type_id;
		__u32	btf_vmlinux_value_type_id;
		__u64	map_extra;
	};

	struct { /* XBPF_MAP_*_ELEM commands */
		__u32		map_fd;
		__aligned_u64	key;
		union {
			__aligned_u64 value;
			__aligned_u64 next_key;
		};
		__u64		flags;
	};

	struct { /* XBPF_MAP_*_BATCH commands */
		__aligned_u64	in_batch;
		__aligned_u64	out_batch;
		__aligned_u64	keys;
		__aligned_u64	values;
		__u32		count;
		__u32		map_fd;
		__u64		elem_flags;
		__u64		flags;
	} batch;

	struct { /* XBPF_PROG_LOAD */
		__u32		prog_type;
		__u32		insn_cnt;
		__aligned_u64	insns;
		__aligned_u64	license;
		__u32		log_level;
		__u32		log_size;
		__aligned_u64	log_buf;
		__u32		kern_version;
		__u32		prog_flags;
		char		prog_name[XBPF_OBJ_NAME_LEN];
		__u32		prog_ifindex;
		__u32		expected_attach_type;
		__u32		prog_btf_fd;
		__u32		func_info_rec_size;
		__aligned_u64	func_info;
		__u32		func_info_cnt;
		__u32		line_info_rec_size;
		__aligned_u64	line_info;
		__u32		line_info_cnt;
		__u32		attach_btf_id;
		union {
			__u32	attach_prog_fd;
			__u32	attach_btf_obj_fd;
		};
		__u32		core_relo_cnt;
		__aligned_u64	fd_array;
		__aligned_u64	core_relos;
		__u32		core_relo_rec_size;
		__u32		log_true_size;	/* out: bytes the full log needs */
	};

	struct { /* XBPF_OBJ_PIN, XBPF_OBJ_GET */
		__aligned_u64	pathname;
		__u32		bpf_fd;
		__u32		file_flags;
	};

	struct { /* XBPF_PROG_ATTACH, XBPF_PROG_DETACH */
		__u32		target_fd;
		__u32		attach_bpf_fd;
		__u32		attach_type;
		__u32		attach_flags;
		__u32		replace_bpf_fd;
	};

	struct { /* XBPF_PROG_TEST_RUN */
		__u32		prog_fd;
		__u32		retval;
		__u32		data_size_in;
		__u32		data_size_out;
		__aligned_u64	data_in;
		__aligned_u64	data_out;
		__u32		repeat;
		__u32		duration;
		__u32		ctx_size_in;
		__u32		ctx_size_out;
		__aligned_u64	ctx_in;
		__aligned_u64	ctx_out;
		__u32		flags;
		__u32		cpu;
		__u32		batch_size;
	} test;

	struct { /* XBPF_*_GET_*_ID */
		union {
			__u32	start_id;
			__u32	prog_id;
			__u32	map_id;
			__u32	btf_id;
			__u32	link_id;
		};
		__u32		next_id;
		__u32		open_flags;
	};

	struct { /* XBPF_OBJ_GET_INFO_BY_FD */
		__u32		bpf_fd;
		__u32		info_len;
		__aligned_u64	info;
	} info;

	struct { /* XBPF_PROG_QUERY */
		__u32		target_fd;
		__u32		attach_type;
		__u32		query_flags;
		__u32		attach_flags;
		__aligned_u64	prog_ids;
		__u32		prog_cnt;
		__u32		:32;
		__aligned_u64	prog_attach_flags;
	} query;

	struct { /* XBPF_RAW_TRACEPOINT_OPEN */
		__u64		name;
		__u32		prog_fd;
	} raw_tracepoint;

	struct { /* XBPF_BTF_LOAD */
		__aligned_u64	btf;
		__aligned_u64	btf_log_buf;
		__u32		btf_size;
		__u32		btf_log_size;
		__u32		btf_log_level;
	};

	struct { /* XBPF_TASK_FD_QUERY */
		__u32		pid;
		__u32		fd;
		__u32		flags;
		__u32		buf_len;
		__aligned_u64	buf;
		__u32		prog_id;
		__u32		fd_type;
		__u64		probe_offset;
		__u64		probe_addr;
	} task_fd_query;

	struct { /* XBPF_LINK_CREATE */
		__u32		prog_fd;
		union {
			__u32	target_fd;
			__u32	target_ifindex;
		};
		__u32		attach_type;
		__u32		flags;
		union {
			__u32	target_btf_id;
			struct {
				__aligned_u64	iter_info;
				__u32		iter_info_len;
			};
			struct {
				__u64		bpf_cookie;
			} perf_event;
			struct {
				__u32		flags;
				__u32		cnt;
				__aligned_u64	syms;
				__aligned_u64	addrs;
				__aligned_u64	cookies;
			} kprobe_multi;
			struct {
				__u32		target_btf_id;
				__u64		cookie;
			} tracing;
		};
	} link_create;

	struct { /* XBPF_LINK_UPDATE */
		__u32		link_fd;
		__u32		new_prog_fd;
		__u32		flags;
		__u32		old_prog_fd;
	} link_update;

	struct { /* XBPF_LINK_DETACH */
		__u32		link_fd;
	} link_detach;

	struct { /* XBPF_ENABLE_STATS */
		__u32		type;
	} enable_stats;

	struct { /* XBPF_ITER_CREATE */
		__u32		link_fd;
		__u32		flags;
	} iter_create;

	struct { /* XBPF_PROG_BIND_MAP */
		__u32		prog_fd;
		__u32		map_fd;
		__u32		flags;
	} prog_bind_map;
} __attribute__((aligned(8)));

/* attach types, as in Linux 6.1 (the ones xbpf attaches) */
#define XBPF_TRACE_KPROBE_MULTI		42
/* LINK_CREATE kprobe_multi.flags: a kretprobe on every symbol */
#define XBPF_F_KPROBE_MULTI_RETURN	(1U << 0)

/* link types, as in Linux 6.1 */
enum xbpf_link_type {
	XBPF_LINK_TYPE_UNSPEC = 0,
	XBPF_LINK_TYPE_RAW_TRACEPOINT = 1,
	XBPF_LINK_TYPE_TRACING = 2,
	XBPF_LINK_TYPE_CGROUP = 3,
	XBPF_LINK_TYPE_ITER = 4,
	XBPF_LINK_TYPE_NETNS = 5,
	XBPF_LINK_TYPE_XDP = 6,
	XBPF_LINK_TYPE_PERF_EVENT = 7,
	XBPF_LINK_TYPE_KPROBE_MULTI = 8,
	XBPF_LINK_TYPE_STRUCT_OPS = 9,
};

/*
 * OBJ_GET_INFO_BY_FD for a link: layout-identical to 6.1's struct
 * bpf_link_info.  Linux 6.1 has no per-type part for kprobe_multi links;
 * the union is only sized here (its largest 6.1 member, iter, is 32).
 */
struct xbpf_link_info {
	__u32		type;		/* enum xbpf_link_type */
	__u32		id;
	__u32		prog_id;
	__u32		:32;
	union {
		struct {
			__aligned_u64	tp_name;
			__u32		tp_name_len;
		} raw_tracepoint;
		__u8		__size[32];
	};
} __attribute__((aligned(8)));

/* OBJ_GET_INFO_BY_FD for a program: layout-identical to struct bpf_prog_info */
struct xbpf_prog_info {
	__u32		type;
	__u32		id;
	__u8		tag[XBPF_TAG_SIZE];
	__u32		jited_prog_len;
	__u32		xlated_prog_len;
	__aligned_u64	jited_prog_insns;
	__aligned_u64	xlated_prog_insns;
	__u64		load_time;	/* ns since boot */
	__u32		created_by_uid;
	__u32		nr_map_ids;
	__aligned_u64	map_ids;
	char		name[XBPF_OBJ_NAME_LEN];
	__u32		ifindex;
	__u32		gpl_compatible:1;
	__u32		:31;
	__u64		netns_dev;
	__u64		netns_ino;
	__u32		nr_jited_ksyms;
	__u32		nr_jited_func_lens;
	__aligned_u64	jited_ksyms;
	__aligned_u64	jited_func_lens;
	__u32		btf_id;
	__u32		func_info_rec_size;
	__aligned_u64	func_info;
	__u32		nr_func_info;
	__u32		nr_line_info;
	__aligned_u64	line_info;
	__aligned_u64	jited_line_info;
	__u32		nr_jited_line_info;
	__u32		line_info_rec_size;
	__u32		jited_line_info_rec_size;
	__u32		nr_prog_tags;
	__aligned_u64	prog_tags;
	__u64		run_time_ns;
	__u64		run_cnt;
	__u64		recursion_misses;
	__u32		verified_insns;
	__u32		attach_btf_obj_id;
	__u32		attach_btf_id;
} __attribute__((aligned(8)));

/* OBJ_GET_INFO_BY_FD for a map: layout-identical to struct bpf_map_info */
struct xbpf_map_info {
	__u32		type;
	__u32		id;
	__u32		key_size;
	__u32		value_size;
	__u32		max_entries;
	__u32		map_flags;
	char		name[XBPF_OBJ_NAME_LEN];
	__u32		ifindex;
	__u32		btf_vmlinux_value_type_id;
	__u64		netns_dev;
	__u64		netns_ino;
	__u32		btf_id;
	__u32		btf_key_type_id;
	__u32		btf_value_type_id;
	__u32		:32;
	__u64		map_extra;
} __attribute__((aligned(8)));

/* OBJ_GET_INFO_BY_FD for BTF: layout-identical to struct bpf_btf_info */
struct xbpf_btf_info {
	__aligned_u64	btf;
	__u32		btf_size;
	__u32		id;
	__aligned_u64	name;
	__u32		name_len;
	__u32		kernel_btf;
} __attribute__((aligned(8)));

/* PROG_LOAD's func_info records: layout-identical to struct bpf_func_info */
struct xbpf_func_info {
	__u32	insn_off;	/* first instruction of the subprogram */
	__u32	type_id;	/* a BTF FUNC */
};

/* PROG_LOAD's line_info records: layout-identical to struct bpf_line_info */
struct xbpf_line_info {
	__u32	insn_off;
	__u32	file_name_off;	/* BTF string offsets */
	__u32	line_off;
	__u32	line_col;	/* line << 10 | column */
};

/*
 * What a program reads through __sk_buff->sk (after its null check):
 * layout-identical to struct bpf_sock.  A socket filter may read only
 * the sock_common part (not type, protocol, mark or priority).
 */
struct xbpf_sock {
	__u32	bound_dev_if;
	__u32	family;
	__u32	type;
	__u32	protocol;
	__u32	mark;
	__u32	priority;
	__u32	src_ip4;	/* network byte order */
	__u32	src_ip6[4];	/* network byte order */
	__u32	src_port;	/* host byte order */
	__u16	dst_port;	/* network byte order */
	__u16	:16;		/* zero padding */
	__u32	dst_ip4;	/* network byte order */
	__u32	dst_ip6[4];	/* network byte order */
	__u32	state;
	__s32	rx_queue_mapping;	/* -1: none */
};

/* ---------------------------------------------------------------------
 * The ioctls.
 */

/* XBPF_IOC_BPF: run one bpf(2) command. Returns what bpf(2) would. */
struct xbpf_cmd {
	__u32		cmd;	/* enum xbpf_cmd_nr */
	__u32		size;	/* bytes at attr; a tail beyond xbpf's union must be zero */
	__aligned_u64	attr;	/* user pointer to union xbpf_attr */
};

/* Feature bits in struct xbpf_version.features */
#define XBPF_FEAT_INTERP	(1ULL << 0)	/* interpreter available */
#define XBPF_FEAT_JIT		(1ULL << 1)	/* x86-64 JIT available and enabled */
#define XBPF_FEAT_VERIFIER	(1ULL << 2)	/* full verifier: unprivileged loads allowed */
#define XBPF_FEAT_RINGBUF	(1ULL << 3)
#define XBPF_FEAT_ISA_V4	(1ULL << 4)	/* sdiv/smod, movsx, ldsx, bswap, ja32 */
#define XBPF_FEAT_ATTACH	(1ULL << 5)	/* kprobe/tracepoint attach */

/*
 * XBPF_IOC_VERSION: what this engine is and offers.  The caller sets size
 * to sizeof(struct xbpf_version) it knows; the module fills at most that
 * many bytes and writes back the size it filled (extensible struct).
 */
struct xbpf_version {
	__u32		size;		/* in: caller's size; out: bytes filled */
	__u32		abi_version;	/* XBPF_ABI_VERSION */
	char		version[32];	/* module version string, NUL-terminated */
	__u64		features;	/* XBPF_FEAT_* */
	__u64		cmds;		/* bit n set: bpf(2) command n implemented */
	__u64		prog_types;	/* bit n set: program type n loadable */
	__u64		map_types;	/* bit n set: map type n creatable */
	__u32		max_insns;	/* largest insn_cnt accepted */
	__u32		attr_size;	/* sizeof(union xbpf_attr) of the module */
};

#define XBPF_IOC_MAGIC		0xBF
#define XBPF_IOC_BPF		_IOW(XBPF_IOC_MAGIC, 1, struct xbpf_cmd)
#define XBPF_IOC_VERSION	_IOWR(XBPF_IOC_MAGIC, 2, struct xbpf_version)

#define XBPF_DEVICE_PATH	"/dev/xbpf"

#endif /* _UAPI_LINUX_XBPF_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Printable names for the numbers of uapi/linux/xbpf.h, spelled as
 * bpftool spells them (lowercase, without the prefix).
 */
#include <stddef.h>

#include "names.h"

#define NR(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const cmd_names[] = {
	[XBPF_MAP_CREATE] = "map_create",
	[XBPF_MAP_LOOKUP_ELEM] = "map_lookup_elem",
	[XBPF_MAP_UPDATE_ELEM] = "map_update_elem",
	[XBPF_MAP_DELETE_ELEM] = "map_delete_elem",
	[XBPF_MAP_GET_NEXT_KEY] = "map_get_next_key",
	[XBPF_PROG_LOAD] = "prog_load",
	[XBPF_OBJ_PIN] = "obj_pin",
	[XBPF_OBJ_GET] = "obj_get",
	[XBPF_PROG_ATTACH] = "prog_attach",
	[XBPF_PROG_DETACH] = "prog_detach",
	[XBPF_PROG_TEST_RUN] = "prog_test_run",
	[XBPF_PROG_GET_NEXT_ID] = "prog_get_next_id",
	[XBPF_MAP_GET_NEXT_ID] = "map_get_next_id",
	[XBPF_PROG_GET_FD_BY_ID] = "prog_get_fd_by_id",
	[XBPF_MAP_GET_FD_BY_ID] = "map_get_fd_by_id",
	[XBPF_OBJ_GET_INFO_BY_FD] = "obj_get_info_by_fd",
	[XBPF_PROG_QUERY] = "prog_query",
	[XBPF_RAW_TRACEPOINT_OPEN] = "raw_tracepoint_open",
	[XBPF_BTF_LOAD] = "btf_load",
	[XBPF_BTF_GET_FD_BY_ID] = "btf_get_fd_by_id",
	[XBPF_TASK_FD_QUERY] = "task_fd_query",
	[XBPF_MAP_LOOKUP_AND_DELETE_ELEM] = "map_lookup_and_delete_elem",
	[XBPF_MAP_FREEZE] = "map_freeze",
	[XBPF_BTF_GET_NEXT_ID] = "btf_get_next_id",
	[XBPF_MAP_LOOKUP_BATCH] = "map_lookup_batch",
	[XBPF_MAP_LOOKUP_AND_DELETE_BATCH] = "map_lookup_and_delete_batch",
	[XBPF_MAP_UPDATE_BATCH] = "map_update_batch",
	[XBPF_MAP_DELETE_BATCH] = "map_delete_batch",
	[XBPF_LINK_CREATE] = "link_create",
	[XBPF_LINK_UPDATE] = "link_update",
	[XBPF_LINK_GET_FD_BY_ID] = "link_get_fd_by_id",
	[XBPF_LINK_GET_NEXT_ID] = "link_get_next_id",
	[XBPF_ENABLE_STATS] = "enable_stats",
	[XBPF_ITER_CREATE] = "iter_create",
	[XBPF_LINK_DETACH] = "link_detach",
	[XBPF_PROG_BIND_MAP] = "prog_bind_map",
};

static const char *const prog_type_names[] = {
	[XBPF_PROG_TYPE_UNSPEC] = "unspec",
	[XBPF_PROG_TYPE_SOCKET_FILTER] = "socket_filter",
	[XBPF_PROG_TYPE_KPROBE] = "kprobe",
	[XBPF_PROG_TYPE_SCHED_CLS] = "sched_cls",
	[XBPF_PROG_TYPE_SCHED_ACT] = "sched_act",
	[XBPF_PROG_TYPE_TRACEPOINT] = "tracepoint",
	[XBPF_PROG_TYPE_XDP] = "xdp",
	[XBPF_PROG_TYPE_PERF_EVENT] = "perf_event",
	[XBPF_PROG_TYPE_CGROUP_SKB] = "cgroup_skb",
	[XBPF_PROG_TYPE_CGROUP_SOCK] = "cgroup_sock",
	[XBPF_PROG_TYPE_LWT_IN] = "lwt_in",
	[XBPF_PROG_TYPE_LWT_OUT] = "lwt_out",
	[XBPF_PROG_TYPE_LWT_XMIT] = "lwt_xmit",
	[XBPF_PROG_TYPE_SOCK_OPS] = "sock_ops",
	[XBPF_PROG_TYPE_SK_SKB] = "sk_skb",
	[XBPF_PROG_TYPE_CGROUP_DEVICE] = "cgroup_device",
	[XBPF_PROG_TYPE_SK_MSG] = "sk_msg",
	[XBPF_PROG_TYPE_RAW_TRACEPOINT] = "raw_tracepoint",
	[XBPF_PROG_TYPE_CGROUP_SOCK_ADDR] = "cgroup_sock_addr",
	[XBPF_PROG_TYPE_LWT_SEG6LOCAL] = "lwt_seg6local",
	[XBPF_PROG_TYPE_LIRC_MODE2] = "lirc_mode2",
	[XBPF_PROG_TYPE_SK_REUSEPORT] = "sk_reuseport",
	[XBPF_PROG_TYPE_FLOW_DISSECTOR] = "flow_dissector",
	[XBPF_PROG_TYPE_CGROUP_SYSCTL] = "cgroup_sysctl",
	[XBPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE] = "raw_tracepoint_writable",
	[XBPF_PROG_TYPE_CGROUP_SOCKOPT] = "cgroup_sockopt",
	[XBPF_PROG_TYPE_TRACING] = "tracing",
	[XBPF_PROG_TYPE_STRUCT_OPS] = "struct_ops",
	[XBPF_PROG_TYPE_EXT] = "ext",
	[XBPF_PROG_TYPE_LSM] = "lsm",
	[XBPF_PROG_TYPE_SK_LOOKUP] = "sk_lookup",
	[XBPF_PROG_TYPE_SYSCALL] = "syscall",
};

static const char *const map_type_names[] = {
	[XBPF_MAP_TYPE_UNSPEC] = "unspec",
	[XBPF_MAP_TYPE_HASH] = "hash",
	[XBPF_MAP_TYPE_ARRAY] = "array",
	[XBPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
	[XBPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
	[XBPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
	[XBPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
	[XBPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
	[XBPF_MAP_TYPE_CGROUP_ARRAY] = "cgroup_array",
	[XBPF_MAP_TYPE_LRU_HASH] = "lru_hash",
	[XBPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
	[XBPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
	[XBPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
	[XBPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
	[XBPF_MAP_TYPE_DEVMAP] = "devmap",
	[XBPF_MAP_TYPE_SOCKMAP] = "sockmap",
	[XBPF_MAP_TYPE_CPUMAP] = "cpumap",
	[XBPF_MAP_TYPE_XSKMAP] = "xskmap",
	[XBPF_MAP_TYPE_SOCKHASH] = "sockhash",
	[XBPF_MAP_TYPE_CGROUP_STORAGE] = "cgroup_storage",
	[XBPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = "reuseport_sockarray",
	[XBPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = "percpu_cgroup_storage",
	[XBPF_MAP_TYPE_QUEUE] = "queue",
	[XBPF_MAP_TYPE_STACK] = "stack",
	[XBPF_MAP_TYPE_SK_STORAGE] = "sk_storage",
	[XBPF_MAP_TYPE_DEVMAP_HASH] = "devmap_hash",
	[XBPF_MAP_TYPE_STRUCT_OPS] = "struct_ops",
	[XBPF_MAP_TYPE_RINGBUF] = "ringbuf",
	[XBPF_MAP_TYPE_INODE_STORAGE] = "inode_storage",
	[XBPF_MAP_TYPE_TASK_STORAGE] = "task_storage",
	[XBPF_MAP_TYPE_BLOOM_FILTER] = "bloom_filter",
	[XBPF_MAP_TYPE_USER_RINGBUF] = "user_ringbuf",
};

static const char *const feature_names[] = {
	"interp", "jit", "verifier", "ringbuf", "isa_v4", "attach",
};

const char *xbpf_cmd_name(unsigned int cmd)
{
	return cmd < NR(cmd_names) ? cmd_names[cmd] : NULL;
}

const char *xbpf_prog_type_str(unsigned int type)
{
	return type < NR(prog_type_names) ? prog_type_names[type] : NULL;
}

const char *xbpf_map_type_str(unsigned int type)
{
	return type < NR(map_type_names) ? map_type_names[type] : NULL;
}

const char *xbpf_feature_name(unsigned int bit)
{
	return bit < NR(feature_names) ? feature_names[bit] : NULL;
}

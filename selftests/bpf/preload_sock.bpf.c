// SPDX-License-Identifier: GPL-2.0
/*
 * The object test_bpftool loads with Debian's bpftool through
 * libxbpf-preload.so: a socket filter whose verdict is preload_map[0]
 * (so `bpftool map update` changes what `bpftool prog run` returns) and
 * which counts its runs in preload_map[1] (seen by `bpftool map dump`).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} preload_map SEC(".maps");

SEC("socket")
int preload_prog(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1;
	__u32 *verdict, *runs;

	runs = bpf_map_lookup_elem(&preload_map, &k1);
	if (runs)
		*runs += 1;
	verdict = bpf_map_lookup_elem(&preload_map, &k0);
	return verdict ? *verdict : 1;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * A libbpf object for the loader tests: a SYSCALL program with a hash
 * map, an array map, global data in .data, .rodata and .bss, and a
 * bpf-to-bpf call.  Run once through test-run it returns 42 + 7 = 49
 * and leaves:
 *   counts  (array, 4 x u64): [1] = 5
 *   seen    (hash u32 -> u64): {7: 0x1122334455667788}
 *   .bss    hits = 1
 *   .data   total = 100 + 49 = 149
 * Built with clang -O2 -g -target bpf against <bpf/bpf_helpers.h>.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

const volatile __u32 base = 42;		/* .rodata */
__u64 total = 100;			/* .data */
__u32 hits;				/* .bss */

static __attribute__((noinline)) int add_slot(__u32 slot, __u64 v)
{
	__u64 *c = bpf_map_lookup_elem(&counts, &slot);

	if (!c)
		return -1;
	*c += v;
	return 7;
}

SEC("syscall")
int test_globals(void *ctx)
{
	__u32 key = 7;
	__u64 val = 0x1122334455667788ULL;
	int r;

	r = add_slot(1, 5);
	if (r < 0)
		return 0;
	bpf_map_update_elem(&seen, &key, &val, BPF_ANY);
	hits++;
	total += base + r;
	return base + r;
}

/* a second program for `prog loadall`: reads .bss */
SEC("syscall")
int test_second(void *ctx)
{
	return hits + 3;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE against the running kernel's BTF (/sys/kernel/btf/vmlinux), read
 * by libbpf: a SOCKET_FILTER whose return value is computed from
 * relocations that libbpf resolves at load time:
 *   task_struct has pid           -> 1
 *   sizeof(task_struct.pid) == 4  -> 4 * 10
 *   task_struct has no xbpf_nope  -> 0 * 100
 * so a run returns 41.  The BTF also carries a decl_tag and a type_tag,
 * which libbpf keeps or sanitizes according to its probes.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct task_struct___nope {
	int xbpf_nope;
} __attribute__((preserve_access_index));

#define __tag __attribute__((btf_decl_tag("xbpf_tag")))
#define __ttag __attribute__((btf_type_tag("xbpf_ttag")))

int __ttag *tagged_ptr;		/* .bss: a pointer with a type tag */

static __attribute__((noinline)) __tag int core_sum(void)
{
	int r = 0;

	r += bpf_core_field_exists(struct task_struct, pid);
	r += 10 * bpf_core_field_size(struct task_struct, pid);
	r += 100 * bpf_core_field_exists(struct task_struct___nope, xbpf_nope);
	return r;
}

SEC("socket")
int test_core(struct __sk_buff *skb)
{
	return core_sum() + (tagged_ptr ? 1000 : 0);
}

char LICENSE[] SEC("license") = "GPL";

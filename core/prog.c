// SPDX-License-Identifier: GPL-2.0
/*
 * Program objects: allocation, reference counting and the tag.
 *
 * Lifetime: the owner (fd layer or offline library) holds references; a
 * program holds one reference on every map in maps[].  Running programs are
 * RCU readers, so the last put defers the free past a grace period: an
 * engine still executing the program keeps reading insns[] and maps[].
 */
#include "xbpf_core.h"
#include "sha1.h"
#include "../btf/btf.h"

struct xbpf_prog *xbpf_prog_alloc(u32 len)
{
	struct xbpf_prog *prog;
	size_t bytes;

	if (check_mul_overflow((size_t)len, sizeof(struct xbpf_insn), &bytes) ||
	    check_add_overflow(bytes, sizeof(*prog), &bytes))
		return NULL;
	/* Large programs (up to 1M insns) need vmalloc in the kernel. */
	prog = xbpf_kvzalloc(bytes);
	if (!prog)
		return NULL;
	prog->len = len;
	prog->orig_len = len;
	xbpf_refcount_set(&prog->refcnt, 1);
	return prog;
}

void xbpf_prog_get(struct xbpf_prog *prog)
{
	xbpf_refcount_inc(&prog->refcnt);
}

static void xbpf_prog_free_rcu(xbpf_rcu_head_t *head)
{
	struct xbpf_prog *prog = container_of(head, struct xbpf_prog, rcu);

	/* The owner drops its id and wrapper while the program still exists. */
	if (prog->owner_release)
		prog->owner_release(prog);
	/* maps[] may come from either allocator; kvfree handles both. */
	xbpf_kvfree(prog->maps);
	xbpf_kvfree(prog->funcs);
	xbpf_kvfree(prog->tail_sites);
	xbpf_kvfree(prog->func_info);
	xbpf_kvfree(prog->line_info);
	xbpf_kvfree(prog);
}

void xbpf_prog_put(struct xbpf_prog *prog)
{
	u32 i;

	if (!prog || !xbpf_refcount_dec_and_test(&prog->refcnt))
		return;
	/*
	 * Dropping the map references now is safe although a reader may still
	 * run the program: a map is itself freed only a grace period after
	 * its last put, which is after every reader that could use it.  The
	 * maps[] array is read by the checked interpreter, so it goes with
	 * the program, after the grace period.
	 */
	for (i = 0; i < prog->nr_maps; i++)
		if (prog->maps[i])
			xbpf_map_put(prog->maps[i]);
	/* no engine reads the BTF: it may go now */
	xbpf_btf_put(prog->btf);
	prog->btf = NULL;
	xbpf_call_rcu(&prog->rcu, xbpf_prog_free_rcu);
}

/*
 * Linux's tag: SHA-1 over the instructions with the imm of both halves of
 * every map-fd / map-value LDDW zeroed, so the tag does not depend on fd
 * numbers; the tag is the first 8 bytes of the digest.  Because those imm
 * fields are ignored, the result is the same before and after the verifier
 * rewrites them to kernel addresses, as long as src_reg and the instruction
 * count are unchanged.  Call it while insns[] holds the program as loaded.
 */
void xbpf_prog_calc_tag(struct xbpf_prog *prog)
{
	u8 digest[XBPF_SHA1_DIGEST_SIZE];
	struct xbpf_sha1 s;
	bool second_half = false;
	u32 i, n;

	n = prog->orig_len && prog->orig_len <= prog->len ? prog->orig_len : prog->len;
	xbpf_sha1_init(&s);
	for (i = 0; i < n; i++) {
		struct xbpf_insn insn = prog->insns[i];

		if (!second_half && insn.code == (XBPF_LD | XBPF_IMM | XBPF_DW) &&
		    (insn.src_reg == XBPF_PSEUDO_MAP_FD ||
		     insn.src_reg == XBPF_PSEUDO_MAP_VALUE)) {
			second_half = true;
			insn.imm = 0;
		} else if (second_half && !insn.code && !insn.dst_reg &&
			   !insn.src_reg && !insn.off) {
			second_half = false;
			insn.imm = 0;
		} else {
			second_half = false;
		}
		xbpf_sha1_update(&s, &insn, sizeof(insn));
	}
	xbpf_sha1_final(&s, digest);
	memcpy(prog->tag, digest, sizeof(prog->tag));
}

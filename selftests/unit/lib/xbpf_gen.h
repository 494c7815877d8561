/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random verifier-accepted programs for differential testing (JIT against
 * interpreter): selftests/unit/test_jit.c on the host, selftests/vm/
 * test_jit_diff.c against the module.  Only the uapi header is needed.
 *
 * A program is SYSCALL-shaped: it never reads its context (r1 is
 * overwritten first), uses r10-8 .. r10-64 and the key slot r10-72 of
 * its stack, and may look up keys 0..5 of an array map (key 4, value 24
 * bytes, max_entries 4: keys 4 and 5 miss) named by map_fd in an LDDW
 * src 1, adding a masked variable offset (0..7) to the value pointer,
 * writing 8 bytes there and returning the 8 bytes after them.  Everything ends up
 * folded into r0, so r0 tells two engines apart.
 */
#ifndef _XBPF_SELFTESTS_GEN_H
#define _XBPF_SELFTESTS_GEN_H

#include <linux/xbpf.h>

#define XBPF_GEN_SLOTS		8	/* r10-8 .. r10-64, all initialised */
#define XBPF_GEN_KEY		(-72)	/* the map key's slot */
#define XBPF_GEN_MAX_BODY	400	/* the most a body asks for */
#define XBPF_GEN_PROG_MAX	(2 * XBPF_GEN_MAX_BODY + 200)	/* insns a program may need */
#define XBPF_GEN_NVALS		20
#define XBPF_GEN_NJOPS		11

/* Interesting 64-bit values and the conditional jump ops, for hand tests too. */
extern const __u64 xbpf_gen_vals[XBPF_GEN_NVALS];
extern const __u8 xbpf_gen_jops[XBPF_GEN_NJOPS];

struct xbpf_gen {
	__u64			rng;		/* xorshift64* state */
	__s32			map_fd;		/* the lookups' LDDW imm */
	/* the last program: how many bpf-to-bpf calls and map lookups */
	__u32			ncalls;
	__u32			nhelper;
	/* private */
	struct xbpf_insn	*p;
	__u32			n;
	__u8			unit[XBPF_GEN_PROG_MAX];	/* a jump may land here */
	__u8			rjump[XBPF_GEN_PROG_MAX];	/* a jump, target to choose */
	__u8			reach[XBPF_GEN_PROG_MAX];
	__u32			calls[XBPF_GEN_PROG_MAX];	/* call sites, to patch */
};

void xbpf_gen_init(struct xbpf_gen *g, __u64 seed, __s32 map_fd);
__u64 xbpf_gen_rnd(struct xbpf_gen *g);
__u32 xbpf_gen_below(struct xbpf_gen *g, __u32 n);
/*
 * One program into p (XBPF_GEN_PROG_MAX slots): a main body of about
 * body instructions and, when the main body calls it, a subprogram of
 * about sub_body (each at most XBPF_GEN_MAX_BODY).  Returns its length.
 */
__u32 xbpf_gen_prog(struct xbpf_gen *g, struct xbpf_insn *p, __u32 body, __u32 sub_body);

#endif /* _XBPF_SELFTESTS_GEN_H */

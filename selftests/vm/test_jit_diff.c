// SPDX-License-Identifier: GPL-2.0
/*
 * The module's JIT against its interpreter on random programs: the
 * generator of the host JIT test (selftests/unit/lib/xbpf_gen.c) makes
 * verifier-accepted SYSCALL programs (ALU of every kind, stack, atomics,
 * forward jumps, a subprogram, array map lookups that write the value);
 * each is loaded through the module and test-run twice on identical map
 * contents, once as the module chooses (its JIT image) and once with
 * XBPF_F_TEST_RUN_INTERP.  r0 (all 64 bits: a second load wraps the
 * program as a callee whose caller returns r0 >> 32), the map and the
 * context must agree.
 *
 * XBPF_DIFF_COUNT (default 5000) and XBPF_DIFF_SEED change the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"
#include "xbpf_gen.h"

#define DIFF_KEYS	4	/* the generator's map: key 4, value 24, 4 entries */
#define CTX_LEN		8

static __u32 jited_len(int fd)
{
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (prog_info(fd, &info, &len))
		return 0;
	return info.jited_prog_len;
}

/* The map as both engines must find it before their run. */
static int map_reset(int map_fd)
{
	__u64 v[3];
	__u32 k;

	for (k = 0; k < DIFF_KEYS; k++) {
		v[0] = 0x1000 + k;
		v[1] = 0x2000 + k * 3;
		v[2] = 0x3000 + k * 5;
		if (map_update(map_fd, &k, v, 0))
			return -1;
	}
	return 0;
}

static int map_dump(int map_fd, __u64 (*out)[3])
{
	__u32 k;

	for (k = 0; k < DIFF_KEYS; k++)
		if (map_lookup(map_fd, &k, out[k]))
			return -1;
	return 0;
}

struct engine_out {
	__u32	lo, hi;			/* r0 */
	__u64	map[DIFF_KEYS][3];	/* after the main program's run */
	__u8	ctx[CTX_LEN];
};

static int run_once(int fd, __u32 flags, __u8 *ctx, __u32 *retval)
{
	union xbpf_attr a;
	int ret;

	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = CTX_LEN;
	a.test.flags = flags;
	ret = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	*retval = a.test.retval;
	return ret;
}

/* Both halves of r0 and what the run left, for one engine. */
static int run_engine(int fd, int hi_fd, int map_fd, __u32 flags, struct engine_out *o)
{
	__u8 ctx[CTX_LEN];

	memset(o, 0, sizeof(*o));
	memset(ctx, 0x3c, sizeof(ctx));
	if (map_reset(map_fd) || run_once(fd, flags, ctx, &o->lo) ||
	    map_dump(map_fd, o->map))
		return -1;
	memcpy(o->ctx, ctx, sizeof(ctx));
	memset(ctx, 0x3c, sizeof(ctx));
	if (hi_fd >= 0 && (map_reset(map_fd) || run_once(hi_fd, flags, ctx, &o->hi)))
		return -1;
	return 0;
}

static struct xbpf_insn prog[XBPF_GEN_PROG_MAX + 3];
static struct xbpf_gen gen;

/* No state: a fixture only for TEST_F_TIMEOUT (TCG runs take a while) */
FIXTURE(diff) {
	int unused;
};

FIXTURE_SETUP(diff)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(diff)
{
}

TEST_F_TIMEOUT(diff, random_programs, 400)
{
	const char *s_cnt = getenv("XBPF_DIFF_COUNT"), *s_seed = getenv("XBPF_DIFF_SEED");
	__u32 count = s_cnt ? strtoul(s_cnt, NULL, 0) : 5000;
	__u64 seed = s_seed ? strtoull(s_seed, NULL, 0) : 0x64696666766d3031ULL;
	unsigned int loaded = 0, refused = 0, jited = 0, hi_jited = 0, differ = 0;
	unsigned int calls = 0, lookups = 0, no_hi = 0;
	struct engine_out j, in;
	__u32 i, n;
	int map_fd;

	ASSERT_LE(0, xbpf_dev());
	map_fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 24, DIFF_KEYS);
	ASSERT_LE(0, map_fd) TH_LOG("map: %s", strerror(errno));
	xbpf_gen_init(&gen, seed, map_fd);
	TH_LOG("seed %#llx, %u programs", (unsigned long long)seed, count);

	for (i = 0; i < count; i++) {
		const struct xbpf_insn wrap[3] = {
			/* call the program at 3; return its r0 >> 32 */
			I_RAW(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, 2),
			I_RAW(XBPF_ALU64 | XBPF_RSH | XBPF_K, 0, 0, 0, 32),
			I_EXIT(),
		};
		int fd, hi_fd;

		n = xbpf_gen_prog(&gen, prog + 3,
				  5 + xbpf_gen_below(&gen, i % 10 == 9 ? XBPF_GEN_MAX_BODY : 60),
				  5 + xbpf_gen_below(&gen, i % 10 == 8 ? XBPF_GEN_MAX_BODY : 40));
		calls += !!gen.ncalls;
		lookups += !!gen.nhelper;
		fd = prog_load(XBPF_PROG_TYPE_SYSCALL, prog + 3, n);
		if (fd < 0) {
			if (refused++ < 3)
				TH_LOG("program %u (%u insns) refused: %s", i, n, strerror(errno));
			continue;
		}
		loaded++;
		memcpy(prog, wrap, sizeof(wrap));
		/* the wrapper needs one more frame: it may not fit (counted) */
		hi_fd = prog_load(XBPF_PROG_TYPE_SYSCALL, prog, n + 3);
		no_hi += hi_fd < 0;
		if (jited_len(fd))
			jited++;
		if (hi_fd >= 0 && jited_len(hi_fd))
			hi_jited++;
		if (run_engine(fd, hi_fd, map_fd, 0, &j) ||
		    run_engine(fd, hi_fd, map_fd, XBPF_F_TEST_RUN_INTERP, &in)) {
			differ++;
			TH_LOG("program %u: a run failed: %s", i, strerror(errno));
		} else if (j.lo != in.lo || j.hi != in.hi || memcmp(j.map, in.map, sizeof(j.map)) ||
			   memcmp(j.ctx, in.ctx, sizeof(j.ctx))) {
			if (differ++ < 5)
				TH_LOG("program %u (%u insns): r0 jit %#x%08x interp %#x%08x%s%s",
				       i, n, j.hi, j.lo, in.hi, in.lo,
				       memcmp(j.map, in.map, sizeof(j.map)) ? ", map differs" : "",
				       memcmp(j.ctx, in.ctx, sizeof(j.ctx)) ? ", ctx differs" : "");
		}
		if (hi_fd >= 0)
			close(hi_fd);
		close(fd);
	}
	close(map_fd);
	TH_LOG("%u programs: %u loaded (%u refused), %u JIT-compiled (%u of their wrappers; "
	       "%u wrappers refused), %u with bpf-to-bpf calls, %u with map lookups, %u differ",
	       count, loaded, refused, jited, hi_jited, no_hi, calls, lookups, differ);
	printf("# jit-diff: %u programs compared, %u JIT-compiled, %u differ\n", loaded, jited,
	       differ);
	EXPECT_EQ(0, differ);
	EXPECT_EQ(0, refused);
	/* the comparison means something only when the JIT ran most of them */
	EXPECT_LE(count * 9 / 10, jited);
	EXPECT_LT(0, calls);
	EXPECT_LT(0, lookups);
}

TEST_HARNESS_MAIN

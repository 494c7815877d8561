// SPDX-License-Identifier: GPL-2.0
/*
 * Tail calls under the JIT (module/jit_poke.c, jit/README "Tail calls"):
 * every program here must be JIT-compiled (OBJ_GET_INFO's
 * jited_prog_len > 0, checked), so the results prove the JIT ran them.
 *
 *  - direct sites (constant array and key) patched live while another
 *    thread installs, replaces and removes the target: every run ends in
 *    exactly one legal outcome, counted in an ARRAY map; the same for a
 *    variable key (the indirect path);
 *  - 33 tail calls run and the 34th falls through: through one program
 *    calling itself, through 35 distinct programs with a direct site
 *    each, and from a subprogram (bpf-to-bpf calls mixed in);
 *  - images with direct sites loaded and freed while their slot churns,
 *    and nothing leaks;
 *  - the owner rule's engine half: one array, one engine;
 *  - a slot update or delete changes what a direct site does as soon as
 *    the syscall returns.
 *
 * The rig scans the kernel log afterwards: a byte mismatch at a site
 * WARNs, and would fail the run there.
 */
#include <pthread.h>
#include <time.h>
#include <linux/xbpf_btf.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define CNT		(XBPF_MAX_TAIL_CALL_CNT + 1)
#define FALL_RET	100	/* what a caller returns when its tail call falls through */

#define I_ATOMIC_ADD64(d, s, o)	I_RAW(XBPF_STX | XBPF_DW | XBPF_ATOMIC, d, s, o, XBPF_ADD)
#define I_CALL_LOCAL(off)	I_RAW(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, off)

/* counts[k] += 1 (u64 values); clobbers r0-r5.  9 instructions. */
#define I_COUNT(cnt, k)							\
	I_ST(XBPF_W, 10, -4, k), I_LD_MAP_FD(1, cnt), I_MOV64_REG(2, 10),	\
	I_ADD64_IMM(2, -4), I_CALL(XBPF_FUNC_map_lookup_elem),		\
	I_JEQ_IMM(0, 0, 2), I_MOV64_IMM(1, 1), I_ATOMIC_ADD64(0, 1, 0)

/* bpf_tail_call(ctx in r6, pa, key) with a constant key.  5 instructions. */
#define I_TAIL_CONST(pa, key)						\
	I_MOV64_REG(1, 6), I_LD_MAP_FD(2, pa), I_MOV64_IMM(3, key),	\
	I_CALL(XBPF_FUNC_tail_call)

static __u32 jited_len(int fd)
{
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (prog_info(fd, &info, &len))
		return 0;
	return info.jited_prog_len;
}

/*
 * Direct sites linked now (module/jit_poke.c's read-only statistic): a
 * constant-key caller must add one, so the tests know which path ran.
 */
#define SITES_PATH	"/sys/module/xbpf/parameters/jit_tail_sites"

static long tail_sites(void)
{
	FILE *f = fopen(SITES_PATH, "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/* Frees run from a work item after a grace period: wait for the count. */
static long wait_sites(long want, int ms)
{
	long n = tail_sites();

	while (n != want && ms > 0) {
		usleep(50 * 1000);
		ms -= 50;
		n = tail_sites();
	}
	return n;
}

/*
 * A test's baseline: the sites of the previous test's programs go with
 * their images, after a grace period and a work item, so a count read
 * right away can still include them.  Nothing else in this suite keeps
 * a direct site, so wait for 0; whatever is left after 5 s is the
 * baseline.
 */
static long settled_sites(void)
{
	wait_sites(0, 5000);
	return tail_sites();
}

static int pa_create(__u32 n)
{
	return map_create(XBPF_MAP_TYPE_PROG_ARRAY, 4, 4, n);
}

/* SYSCALL run, repeat times, with ctx = { key }; returns the ioctl result. */
static int run(int fd, __u32 key, __u32 repeat, __u32 *retval)
{
	__u32 ctx[2] = { key, 0 };
	union xbpf_attr a;
	int ret;

	test_attr(&a, fd);
	a.test.ctx_in = PTR(ctx);
	a.test.ctx_size_in = sizeof(ctx);
	a.test.repeat = repeat;
	ret = xbpf_call(XBPF_PROG_TEST_RUN, &a);
	if (retval)
		*retval = a.test.retval;
	return ret;
}

static __u64 count_of(int cnt, __u32 k)
{
	__u64 v = ~0ULL;

	if (map_lookup(cnt, &k, &v))
		return ~0ULL;
	return v;
}

static void counts_reset(int cnt, __u32 n)
{
	__u64 zero = 0;
	__u32 k;

	for (k = 0; k < n; k++)
		map_update(cnt, &k, &zero, XBPF_ANY);
}

/* A target: counts[k] += 1; returns k. */
static int load_target(int cnt, int k)
{
	struct xbpf_insn p[] = { I_COUNT(cnt, k), I_MOV64_IMM(0, k), I_EXIT() };

	return PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
}

/*
 * The caller: tail-calls pa[0] (direct) or pa[ctx[0]] (indirect); when
 * that falls through, counts[0] += 1 and returns FALL_RET.
 */
static int load_caller(int pa, int cnt, bool direct)
{
	struct xbpf_insn p[] = {
		I_MOV64_REG(6, 1),
		I_TAIL_CONST(pa, 0),
		I_COUNT(cnt, 0), I_MOV64_IMM(0, FALL_RET), I_EXIT(),
	};

	if (!direct)	/* r3 = ctx[0]: not a constant, so no direct site */
		p[4] = (struct xbpf_insn)I_LDX(XBPF_W, 3, 6, 0);
	return PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
}

struct churn {
	int		pa, a, b;
	volatile int	stop;
	long		cycles;
	int		err;	/* first failing errno */
};

/* install A, replace by B, remove: C->D->B(A), B(A)->B(B), B(B)->C->nop */
static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	__u32 key = 0, fa = c->a, fb = c->b;

	while (!c->stop) {
		if (map_update(c->pa, &key, &fa, XBPF_ANY) ||
		    map_update(c->pa, &key, &fb, XBPF_ANY) ||
		    map_delete(c->pa, &key)) {
			c->err = errno;
			break;
		}
		__atomic_add_fetch(&c->cycles, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * At least STRESS_RUNS runs and STRESS_CYCLES churn cycles (a direct
 * site's remove waits for an RCU grace period, so its cycles are slow),
 * within STRESS_SECS.
 */
#define STRESS_RUNS	1000000U
#define STRESS_BATCH	20000U
#define STRESS_CYCLES	50
#define STRESS_SECS	120

static void stress(struct __test_metadata *_metadata, bool direct)
{
	__u64 c0, c1, c2, c3, sum;
	struct churn ch = { 0 };
	pthread_t th;
	int pa, cnt, caller;
	__u32 done, retval = 0;
	bool ok = true;
	double t0, t;
	long sites;

	ASSERT_LE(0, xbpf_dev());
	ASSERT_LE(2, sysconf(_SC_NPROCESSORS_ONLN)) TH_LOG("needs -smp 2 or more");
	pa = pa_create(1);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, cnt);
	sites = settled_sites();
	ASSERT_LE(0, sites) TH_LOG("%s: %s", SITES_PATH, strerror(errno));
	caller = load_caller(pa, cnt, direct);
	ASSERT_LE(0, caller) TH_LOG("caller: %s", strerror(errno));
	/* the JIT made a direct site of the constant key, and only of it */
	ASSERT_EQ(sites + direct, tail_sites());
	ch.pa = pa;
	ch.a = load_target(cnt, 1);
	ch.b = load_target(cnt, 2);
	ASSERT_LE(0, ch.a);
	ASSERT_LE(0, ch.b);
	ASSERT_LT(0, jited_len(caller)) TH_LOG("the caller is not JIT-compiled");
	ASSERT_LT(0, jited_len(ch.a));
	ASSERT_LT(0, jited_len(ch.b));
	counts_reset(cnt, 4);

	ASSERT_EQ(0, pthread_create(&th, NULL, churn_fn, &ch));
	/* the runs overlap the churn from the first one on */
	while (!__atomic_load_n(&ch.cycles, __ATOMIC_RELAXED) && !ch.err)
		usleep(1000);
	t0 = now_s();
	for (done = 0; done < STRESS_RUNS ||
		       __atomic_load_n(&ch.cycles, __ATOMIC_RELAXED) < STRESS_CYCLES;
	     done += STRESS_BATCH) {
		if (ch.err || now_s() - t0 > STRESS_SECS)
			break;
		ok = !run(caller, 0, STRESS_BATCH, &retval) &&
		     (retval == FALL_RET || retval == 1 || retval == 2);
		if (!ok)
			break;
	}
	t = now_s() - t0;
	ch.stop = 1;
	pthread_join(th, NULL);
	EXPECT_TRUE(ok) TH_LOG("run failed (%s) or illegal retval %u", strerror(errno), retval);
	EXPECT_LE(STRESS_RUNS, done);
	EXPECT_EQ(0, ch.err) TH_LOG("slot churn failed: %s", strerror(ch.err));

	c0 = count_of(cnt, 0);
	c1 = count_of(cnt, 1);
	c2 = count_of(cnt, 2);
	c3 = count_of(cnt, 3);
	sum = c0 + c1 + c2;
	printf("# %s: %u runs in %.2fs, %ld install/replace/remove cycles; fall-through %llu, A %llu, B %llu\n",
	       direct ? "direct" : "indirect", done, t, ch.cycles,
	       (unsigned long long)c0, (unsigned long long)c1, (unsigned long long)c2);
	fflush(stdout);
	/* one outcome per run, exactly: none lost, none doubled */
	EXPECT_EQ(done, sum);
	EXPECT_EQ(0, c3);
	/* the churn really overlapped the runs: more than one outcome seen */
	EXPECT_LE(STRESS_CYCLES, ch.cycles);
	EXPECT_LE(2, (c0 > 0) + (c1 > 0) + (c2 > 0));

	/* after the churn: empty slot, so every run falls through */
	ASSERT_EQ(0, run(caller, 0, 10, &retval));
	EXPECT_EQ(FALL_RET, retval);
	close(caller);
	/* the final free's work item unlinked the site */
	EXPECT_EQ(sites, wait_sites(sites, 5000));
	close(ch.a);
	close(ch.b);
	close(cnt);
	close(pa);
}

/*
 * Images with direct sites come and go (registered at load, unregistered
 * by the final free's work item) while the slot they call churns; then
 * the array goes while callers still hold it.  Everything must be freed:
 * the module count comes back (a site holds its own array reference until
 * it is unlinked, so the array outlives every image that calls it).
 */
TEST(sites_come_and_go)
{
	struct churn ch = { 0 };
	__u32 r = 0;
	pthread_t th;
	int cnt, i, c[4];
	long base, sites0;

	ASSERT_LE(0, xbpf_dev());
	base = stable_refcnt();
	ASSERT_LE(0, base);
	sites0 = settled_sites();
	ASSERT_LE(0, sites0);
	ch.pa = pa_create(1);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, ch.pa);
	ASSERT_LE(0, cnt);
	ch.a = load_target(cnt, 1);
	ch.b = load_target(cnt, 2);
	ASSERT_LE(0, ch.a);
	ASSERT_LE(0, ch.b);
	ASSERT_EQ(0, pthread_create(&th, NULL, churn_fn, &ch));
	for (i = 0; i < 60 && !ch.err; i++) {
		c[0] = load_caller(ch.pa, cnt, true);
		ASSERT_LE(0, c[0]) TH_LOG("load %d: %s", i, strerror(errno));
		ASSERT_EQ(0, run(c[0], 0, 50, &r));
		EXPECT_TRUE(r == FALL_RET || r == 1 || r == 2) TH_LOG("retval %u", r);
		close(c[0]);
	}
	ch.stop = 1;
	pthread_join(th, NULL);
	EXPECT_EQ(0, ch.err) TH_LOG("slot churn failed: %s", strerror(ch.err));
	printf("# %d callers loaded, run and freed during %ld churn cycles\n", i, ch.cycles);

	/* callers outliving the array's fd: the last close empties the slot */
	for (i = 0; i < 4; i++) {
		c[i] = load_caller(ch.pa, cnt, true);
		ASSERT_LE(0, c[i]);
	}
	close(ch.pa);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, run(c[i], 0, 1, &r));
		EXPECT_EQ(FALL_RET, r);
		close(c[i]);
	}
	close(ch.a);
	close(ch.b);
	close(cnt);
	EXPECT_GE(base, wait_refcnt(base, 10000)) TH_LOG("leaked: refcnt %ld, base %ld",
							  read_refcnt(), base);
	EXPECT_EQ(sites0, wait_sites(sites0, 5000)) TH_LOG("sites left linked");
}

TEST(stress_direct)
{
	stress(_metadata, true);
}

TEST(stress_indirect)
{
	stress(_metadata, false);
}

/* One program, pa[0] = itself: 34 entries, then the fall-through. */
TEST(chain_self)
{
	int pa, cnt, p, q, i;
	__u32 key = 0, fd, retval = 0;
	long sites;

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(2);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, cnt);
	sites = settled_sites();
	ASSERT_LE(0, sites);
	for (i = 0; i < 2; i++) {
		bool direct = !i;
		struct xbpf_insn body[] = {
			I_MOV64_REG(6, 1), I_COUNT(cnt, 1),
			I_TAIL_CONST(pa, 0),
			I_MOV64_IMM(0, FALL_RET), I_EXIT(),
		};

		if (!direct)
			body[13] = (struct xbpf_insn)I_LDX(XBPF_W, 3, 6, 0);
		p = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, body);
		ASSERT_LE(0, p) TH_LOG("load: %s", strerror(errno));
		ASSERT_LT(0, jited_len(p));
		/* (the previous round's program unlinks from its free's work) */
		EXPECT_EQ(sites + direct, wait_sites(sites + direct, 5000));
		fd = p;
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		counts_reset(cnt, 4);
		ASSERT_EQ(0, run(p, 0, 1, &retval));
		EXPECT_EQ(FALL_RET, retval);
		EXPECT_EQ(CNT, count_of(cnt, 1)) TH_LOG("%s", direct ? "direct" : "indirect");
		/* the counter is per run */
		ASSERT_EQ(0, run(p, 0, 3, &retval));
		EXPECT_EQ(4 * CNT, count_of(cnt, 1));
		/* an out-of-range key (indirect) falls through at once */
		if (!direct) {
			ASSERT_EQ(0, run(p, 7, 1, &retval));
			EXPECT_EQ(4 * CNT + 1, count_of(cnt, 1));
		}
		ASSERT_EQ(0, map_delete(pa, &key));
		q = p;
		close(q);
	}
	close(cnt);
	close(pa);
}

/*
 * 40 slots, program i tail-calls slot i + 1 directly and returns i when
 * that falls through.  Loaded first, slots filled after (so the sites
 * are patched by the updates); run from program 0: 33 tail calls reach
 * program 33, whose call to slot 34 is the 34th and falls through.
 */
TEST(chain_distinct)
{
	enum { N = 40 };
	int pa, cnt, p[N], i, q;
	long sites;
	__u32 key, fd, retval = 0;

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(N + 1);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, cnt);
	sites = settled_sites();
	ASSERT_LE(0, sites);
	for (i = 0; i < N; i++) {
		struct xbpf_insn body[] = {
			I_MOV64_REG(6, 1), I_COUNT(cnt, 1),
			I_TAIL_CONST(pa, i + 1),
			I_MOV64_IMM(0, i), I_EXIT(),
		};

		p[i] = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, body);
		ASSERT_LE(0, p[i]) TH_LOG("load %d: %s", i, strerror(errno));
		ASSERT_LT(0, jited_len(p[i]));
	}
	EXPECT_EQ(sites + N, tail_sites()) TH_LOG("one direct site per program");
	counts_reset(cnt, 4);
	ASSERT_EQ(0, run(p[0], 0, 1, &retval));
	EXPECT_EQ(0, retval);	/* every slot empty: falls through */
	for (i = 0; i < N; i++) {
		key = i;
		fd = p[i];
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	}
	counts_reset(cnt, 4);
	ASSERT_EQ(0, run(p[0], 0, 1, &retval));
	EXPECT_EQ(CNT - 1, retval);
	EXPECT_EQ(CNT, count_of(cnt, 1));
	/* a gap at 10: the chain stops in program 9 */
	key = 10;
	ASSERT_EQ(0, map_delete(pa, &key));
	counts_reset(cnt, 4);
	ASSERT_EQ(0, run(p[0], 0, 1, &retval));
	EXPECT_EQ(9, retval);
	EXPECT_EQ(10, count_of(cnt, 1));
	/* start further in: from program 5, 33 calls reach program 38 */
	fd = p[10];
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	counts_reset(cnt, 4);
	ASSERT_EQ(0, run(p[5], 0, 1, &retval));
	EXPECT_EQ(5 + CNT - 1, retval);
	EXPECT_EQ(CNT, count_of(cnt, 1));
	for (i = 0; i < N; i++) {
		q = p[i];
		close(q);
	}
	close(cnt);
	close(pa);
}

/*
 * A tail call in a subprogram needs BTF saying the subprogram returns
 * int (as in Linux): ids 1 int, 2 func_proto int(void), 3 func "main"
 * (global), 4 func "sub" (static).
 */
static int load_btf_main_sub(void)
{
	static const char strs[] = "\0int\0main\0sub";
	static const __u32 types[] = {
		1, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 4,
		XBPF_BTF_INT_ENC(XBPF_BTF_INT_SIGNED, 0, 32),
		0, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC_PROTO, 0, 0), 1,
		5, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, XBPF_BTF_FUNC_GLOBAL), 2,
		10, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, XBPF_BTF_FUNC_STATIC), 2,
	};
	struct xbpf_btf_header h = {
		.magic = XBPF_BTF_MAGIC,
		.version = XBPF_BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = sizeof(types),
		.str_off = sizeof(types),
		.str_len = sizeof(strs),
	};
	unsigned char blob[sizeof(h) + sizeof(types) + sizeof(strs)];
	union xbpf_attr a;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, sizeof(types));
	memcpy(blob + sizeof(h) + sizeof(types), strs, sizeof(strs));
	memset(&a, 0, sizeof(a));
	a.btf = PTR(blob);
	a.btf_size = sizeof(blob);
	return xbpf_call(XBPF_BTF_LOAD, &a);
}

/*
 * The tail call from a subprogram: main calls sub, sub tail-calls
 * pa[0] = this program and returns 0 when that falls through; main
 * returns sub's result + 1.  The target replaces sub's frame and returns
 * into the previous main, so the chain unwinds through 34 mains: 34.
 * The counter travels through the bpf-to-bpf calls: without that the
 * chain would never end.
 */
TEST(chain_from_subprog)
{
	const struct xbpf_func_info fi[] = { { 0, 3 }, { 14, 4 } };
	int pa, cnt, p, i, btf;
	long sites;
	__u32 key = 0, fd, retval = 0;
	union xbpf_attr a;

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(1);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	btf = load_btf_main_sub();
	ASSERT_LE(0, pa);
	ASSERT_LE(0, cnt);
	ASSERT_LE(0, btf) TH_LOG("BTF_LOAD: %s", strerror(errno));
	sites = settled_sites();
	ASSERT_LE(0, sites);
	for (i = 0; i < 2; i++) {
		bool direct = !i;
		struct xbpf_insn prog[] = {
			/* main */
			I_MOV64_REG(6, 1), I_COUNT(cnt, 1),
			I_MOV64_REG(1, 6), I_CALL_LOCAL(2),
			I_ADD64_IMM(0, 1), I_EXIT(),
			/* sub(ctx) */
			I_MOV64_REG(6, 1),
			I_TAIL_CONST(pa, 0),
			I_MOV64_IMM(0, 0), I_EXIT(),
		};

		if (!direct)	/* insn 18: the key */
			prog[18] = (struct xbpf_insn)I_LDX(XBPF_W, 3, 6, 0);
		prog_attr(&a, XBPF_PROG_TYPE_SYSCALL, prog, ARRAY_LEN(prog));
		a.prog_btf_fd = btf;
		a.func_info = PTR(fi);
		a.func_info_cnt = ARRAY_LEN(fi);
		a.func_info_rec_size = sizeof(fi[0]);
		p = xbpf_call(XBPF_PROG_LOAD, &a);
		ASSERT_LE(0, p) TH_LOG("load: %s", strerror(errno));
		ASSERT_LT(0, jited_len(p)) TH_LOG("not JIT-compiled");
		/* the subprogram's constant key is a direct site too */
		EXPECT_EQ(sites + direct, wait_sites(sites + direct, 5000));
		counts_reset(cnt, 4);
		ASSERT_EQ(0, run(p, 0, 1, &retval));
		EXPECT_EQ(1, retval);	/* empty slot */
		fd = p;
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		counts_reset(cnt, 4);
		ASSERT_EQ(0, run(p, 0, 1, &retval));
		EXPECT_EQ(CNT, retval) TH_LOG("%s", direct ? "direct" : "indirect");
		EXPECT_EQ(CNT, count_of(cnt, 1));
		ASSERT_EQ(0, map_delete(pa, &key));
		close(p);
	}
	close(btf);
	close(cnt);
	close(pa);
}

/*
 * A SYSCALL program the walk does not follow yet (a sign-extending ctx
 * load): loaded unproved, so the JIT refuses it and the interpreter runs
 * it (test_prog.c's unproved_runs_checked).
 */
static int load_interpreted(int v)
{
	const struct xbpf_insn p[] = {
		I_RAW(XBPF_LDX | XBPF_MEMSX | XBPF_W, 2, 1, 0, 0),
		I_MOV64_IMM(0, v), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
}

TEST(owner_engine)
{
	int pa, pa2, cnt, jit, interp, caller;
	__u32 key = 0, fd;

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(2);
	pa2 = pa_create(2);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, pa2);
	ASSERT_LE(0, cnt);
	jit = load_target(cnt, 1);
	interp = load_interpreted(5);
	ASSERT_LE(0, jit);
	ASSERT_LE(0, interp) TH_LOG("load: %s", strerror(errno));
	ASSERT_LT(0, jited_len(jit));
	ASSERT_EQ(0, jited_len(interp)) TH_LOG("needs a program the JIT refuses");

	/* pa: a JIT program first; the interpreted one is refused */
	fd = jit;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	key = 1;
	fd = interp;
	EXPECT_EQ(-1, map_update(pa, &key, &fd, XBPF_ANY));
	EXPECT_EQ(EINVAL, errno);
	/* pa2: the other way round */
	key = 0;
	ASSERT_EQ(0, map_update(pa2, &key, &fd, XBPF_ANY));
	fd = jit;
	key = 1;
	EXPECT_EQ(-1, map_update(pa2, &key, &fd, XBPF_ANY));
	EXPECT_EQ(EINVAL, errno);
	/* a JIT caller of pa2 (interpreted programs) is refused at load */
	caller = load_caller(pa2, cnt, true);
	EXPECT_EQ(-1, caller);
	EXPECT_EQ(EINVAL, errno);
	if (caller >= 0)
		close(caller);
	/* ... and of pa it loads */
	caller = load_caller(pa, cnt, true);
	EXPECT_LE(0, caller) TH_LOG("load: %s", strerror(errno));
	if (caller >= 0)
		close(caller);
	close(jit);
	close(interp);
	close(cnt);
	close(pa);
	close(pa2);
}

/*
 * Each update or delete of the slot is visible to the very next run of a
 * direct caller; a caller loaded while the slot is full starts patched.
 */
TEST(slot_change_immediate)
{
	int pa, cnt, caller, late, a, b, i;
	__u32 key = 0, fd, r = 0;

	ASSERT_LE(0, xbpf_dev());
	pa = pa_create(1);
	cnt = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 4);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, cnt);
	caller = load_caller(pa, cnt, true);
	a = load_target(cnt, 1);
	b = load_target(cnt, 2);
	ASSERT_LE(0, caller);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LT(0, jited_len(caller));
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, run(caller, 0, 1, &r));
		ASSERT_EQ(FALL_RET, r) TH_LOG("round %d, empty", i);
		fd = a;
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		ASSERT_EQ(0, run(caller, 0, 1, &r));
		ASSERT_EQ(1, r) TH_LOG("round %d, A", i);
		fd = b;
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		ASSERT_EQ(0, run(caller, 0, 1, &r));
		ASSERT_EQ(2, r) TH_LOG("round %d, B", i);
		/* the same program again: nothing to patch, still B */
		ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
		ASSERT_EQ(0, run(caller, 0, 1, &r));
		ASSERT_EQ(2, r);
		if (i == 25) {
			/* registered while the slot holds B */
			late = load_caller(pa, cnt, true);
			ASSERT_LE(0, late);
			ASSERT_EQ(0, run(late, 0, 1, &r));
			EXPECT_EQ(2, r);
			ASSERT_EQ(0, map_delete(pa, &key));
			ASSERT_EQ(0, run(late, 0, 1, &r));
			EXPECT_EQ(FALL_RET, r);
			close(late);
			continue;
		}
		ASSERT_EQ(0, map_delete(pa, &key));
	}
	ASSERT_EQ(0, run(caller, 0, 1, &r));
	EXPECT_EQ(FALL_RET, r);
	/* the array going away with the callers alive empties the slot first */
	fd = a;
	ASSERT_EQ(0, map_update(pa, &key, &fd, XBPF_ANY));
	close(pa);
	ASSERT_EQ(0, run(caller, 0, 1, &r));
	EXPECT_EQ(FALL_RET, r);
	close(caller);
	close(a);
	close(b);
	close(cnt);
}

/* Tail-calls pa[0] (the key is ctx[0] & 0: a constant); FALL_RET after. */
static int load_ctx_caller(int pa)
{
	struct xbpf_insn p[] = {
		I_MOV64_REG(6, 1), I_LDX(XBPF_W, 3, 6, 0),
		I_RAW(XBPF_ALU64 | XBPF_AND | XBPF_K, 3, 0, 0, 0),
		I_MOV64_REG(1, 6), I_LD_MAP_FD(2, pa), I_CALL(XBPF_FUNC_tail_call),
		I_MOV64_IMM(0, FALL_RET), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, p);
}

/*
 * A SYSCALL target proved against a larger context than its caller was
 * run with (module/test_run.c pads the run's buffer): the target reads
 * zeros past ctx_size_in and its writes there never reach user space,
 * under the JIT and under the interpreter alike.
 */
TEST(syscall_target_larger_ctx)
{
	/* reads ctx[4096], writes ctx[4100] = 0x55, returns the read + 1 */
	struct xbpf_insn tgt[] = {
		I_LDX(XBPF_W, 0, 1, 4096), I_MOV64_IMM(2, 0x55), I_STX(XBPF_W, 1, 2, 4100),
		I_ADD64_IMM(0, 1), I_EXIT(),
	};
	int pa = pa_create(1), t = -1, c = -1;
	__u32 key = 0, flags[2] = { 0, XBPF_F_TEST_RUN_INTERP }, i;

	ASSERT_LE(0, pa);
	t = PROG_LOAD(XBPF_PROG_TYPE_SYSCALL, tgt);
	ASSERT_LE(0, t);
	ASSERT_LT(0, jited_len(t));
	ASSERT_EQ(0, map_update(pa, &key, &t, XBPF_ANY));
	c = load_ctx_caller(pa);
	ASSERT_LE(0, c);
	ASSERT_LT(0, jited_len(c));
	for (i = 0; i < 2; i++) {
		__u8 ctx[8] = { 0x11 }, out[8];
		union xbpf_attr a;

		memset(out, 0xee, sizeof(out));
		test_attr(&a, c);
		a.test.ctx_in = PTR(ctx);
		a.test.ctx_size_in = 4;
		a.test.ctx_out = PTR(out);
		a.test.ctx_size_out = sizeof(out);
		a.test.flags = flags[i];
		ASSERT_EQ(0, xbpf_call(XBPF_PROG_TEST_RUN, &a));
		if (a.test.retval != 1)
			TH_LOG("engine %s: retval %u", i ? "interp" : "jit", a.test.retval);
		EXPECT_EQ(1, a.test.retval);
		EXPECT_EQ(4, a.test.ctx_size_out);
		EXPECT_EQ(0x11, out[0]);
		EXPECT_EQ(0xee, out[4]);
	}
	close(c);
	close(t);
	close(pa);
}

TEST_HARNESS_MAIN

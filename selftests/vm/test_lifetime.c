// SPDX-License-Identifier: GPL-2.0
/*
 * Object lifetime: live objects keep the module loaded (the rig's own
 * `rmmod xbpf` at the end must then succeed), and 100,000 load/close
 * cycles leave neither kernel memory nor module references behind.
 *
 * XBPF_CYCLES in the environment overrides the cycle count.
 */
#include <stddef.h>
#include <sys/syscall.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"


/* Slab + VmallocUsed + Percpu, in KiB, from /proc/meminfo. */
static long kernel_mem_kb(void)
{
	char line[256];
	long v, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %ld kB", &v) == 1 ||
		    sscanf(line, "VmallocUsed: %ld kB", &v) == 1 ||
		    sscanf(line, "Percpu: %ld kB", &v) == 1)
			sum += v;
	}
	fclose(f);
	return sum;
}

static void drop_caches(void)
{
	FILE *f = fopen("/proc/sys/vm/drop_caches", "w");

	if (f) {
		fputs("2\n", f);	/* reclaimable slab objects */
		fclose(f);
	}
}

static const struct xbpf_insn ret0[] = { I_MOV64_IMM(0, 0), I_EXIT() };

TEST(unload_refused_while_objects_live)
{
	long base, live;
	int m, p, ret;

	base = read_refcnt();
	ASSERT_LE(0, base) TH_LOG("no %s: is xbpf loaded?", REFCNT_PATH);
	ASSERT_LE(0, xbpf_dev());
	m = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, m);
	p = PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, ret0);
	ASSERT_LE(0, p);
	/* only the objects remain: not even the device is open */
	close(xbpf_dev_fd);
	xbpf_dev_fd = -1;

	live = read_refcnt();
	EXPECT_LT(base, live) TH_LOG("refcnt %ld with objects, %ld before", live, base);

	ret = syscall(SYS_delete_module, "xbpf", O_NONBLOCK);
	ASSERT_EQ(-1, ret) TH_LOG("xbpf unloaded under live objects");
	EXPECT_TRUE(errno == EBUSY || errno == EWOULDBLOCK)
		TH_LOG("delete_module: %s", strerror(errno));

	/* the prog alone still pins it */
	close(m);
	EXPECT_LT(base, wait_refcnt(base, 2000));
	ASSERT_EQ(-1, syscall(SYS_delete_module, "xbpf", O_NONBLOCK));

	close(p);
	EXPECT_EQ(base, wait_refcnt(base, 5000)) TH_LOG("module references leaked");
}

FIXTURE(cycles) {
	int map;
};

FIXTURE_SETUP(cycles)
{
	ASSERT_LE(0, xbpf_dev());
	self->map = map_create(XBPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, self->map);
}

FIXTURE_TEARDOWN(cycles)
{
	close(self->map);
}

/* A program that references the map, so prog->map references cycle too. */
static int load_one(int map)
{
	struct xbpf_insn p[] = {
		I_LD_MAP_FD(1, map), I_MOV64_IMM(0, 0), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

static int cycle(int map, long n)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = load_one(map);
		if (fd < 0)
			return -1;
		close(fd);
	}
	return 0;
}

TEST_F_TIMEOUT(cycles, load_close_no_growth, 600)
{
	const long tolerance_kb = 4096;
	long n = 100000, before, after, ref0, ref1;
	const char *env = getenv("XBPF_CYCLES");
	int i;

	if (env)
		n = atol(env);

	/* warm caches and per-cpu pools, then settle */
	ASSERT_EQ(0, cycle(self->map, 1000)) TH_LOG("load: %s", strerror(errno));
	ref0 = stable_refcnt();
	drop_caches();
	before = kernel_mem_kb();
	ASSERT_LT(0, before);

	ASSERT_EQ(0, cycle(self->map, n)) TH_LOG("load: %s", strerror(errno));

	/* frees are RCU-deferred: let them drain */
	ref1 = wait_refcnt(ref0, 10000);
	after = kernel_mem_kb();
	for (i = 0; i < 20 && after - before > tolerance_kb; i++) {
		usleep(250 * 1000);
		drop_caches();
		after = kernel_mem_kb();
	}
	TH_LOG("%ld load/close cycles: Slab+VmallocUsed+Percpu %ld kB -> %ld kB (%+ld kB, tolerance %ld kB); module refcnt %ld -> %ld",
	       n, before, after, after - before, tolerance_kb, ref0, ref1);
	EXPECT_EQ(ref0, ref1) TH_LOG("module references leaked");
	EXPECT_GE(tolerance_kb, after - before) TH_LOG("kernel memory grew");
}

TEST_HARNESS_MAIN

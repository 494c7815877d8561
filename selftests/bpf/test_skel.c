// SPDX-License-Identifier: GPL-2.0
/*
 * A bpftool-generated skeleton of test_globals.bpf.o, loaded by libbpf
 * with its bpf(2) calls routed to /dev/xbpf (ld --wrap=syscall, as the
 * CLI): .rodata set before load, .data/.bss read and written through the
 * skeleton's mmap of the global data maps (F_MMAPABLE arrays), and
 * .rodata frozen and mapped read-only.
 */
#include <errno.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kselftest_harness.h"
#include "test_globals.skel.h"

static int run(struct bpf_program *prog, __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);

	*retval = topts.retval;
	return err;
}

TEST(skeleton_globals_through_mmap)
{
	struct test_globals *skel;
	__u32 retval = 0, key = 1;
	__u64 count = 0;

	skel = test_globals__open();
	ASSERT_NE(NULL, skel);
	/* before load: the initial image of .rodata, frozen at load */
	skel->rodata->base = 50;
	ASSERT_EQ(0, test_globals__load(skel));

	ASSERT_EQ(0, run(skel->progs.test_globals, &retval));
	EXPECT_EQ(57, retval);
	/* the program's stores, seen through the mmap of .bss and .data */
	EXPECT_EQ(1, skel->bss->hits);
	EXPECT_EQ(100 + 57, skel->data->total);
	ASSERT_EQ(0, bpf_map__lookup_elem(skel->maps.counts, &key, sizeof(key),
					  &count, sizeof(count), 0));
	EXPECT_EQ(5, count);

	/* user space writes through the mapping; the program reads it */
	skel->bss->hits = 40;
	ASSERT_EQ(0, run(skel->progs.test_second, &retval));
	EXPECT_EQ(43, retval);

	/* .rodata is frozen: no update from user space */
	key = 0;
	EXPECT_NE(0, bpf_map__update_elem(skel->maps.rodata, &key, sizeof(key),
					  &retval, sizeof(__u32), 0));
	EXPECT_EQ(50, skel->rodata->base);
	test_globals__destroy(skel);
}

TEST_HARNESS_MAIN

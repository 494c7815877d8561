// SPDX-License-Identifier: GPL-2.0
/*
 * A program's text and image through OBJ_GET_INFO_BY_FD, as bpf(2) gives
 * them (module/prog_dump.c): the rewritten instructions with map ids in
 * place of map addresses, the JIT image (each function starting with the
 * prologue's nop5, after an endbr64 on a kernel enforcing IBT), one symbol and one length per function; short
 * buffers get what fits and the full length back.  Then `xbpf prog dump`
 * (tools/loader/prog_dump.c) on the same program, when the CLI is in the
 * image.  Privilege (who sees raw addresses) is test_priv.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define XBPF_CLI	"/tools/xbpf"

static const __u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
/* each entry's first instruction when the kernel enforces IBT (jit/README) */
static const __u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* A function's bytes past its endbr64, if it has one. */
static const __u8 *past_endbr(const __u8 *fn)
{
	return memcmp(fn, endbr64, sizeof(endbr64)) ? fn : fn + sizeof(endbr64);
}

#define I_LD_MAP_VALUE(d, fd, off)					\
	I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, d, XBPF_PSEUDO_MAP_VALUE, 0, fd), \
	I_RAW(0, 0, 0, 0, off)
#define I_CALL_LOCAL(rel)	I_RAW(XBPF_JMP | XBPF_CALL, 0, XBPF_PSEUDO_CALL, 0, rel)

/* Two functions, a helper call, a map and a map value reference; r0 = 8. */
#define DUMP_PROG(fd) {							\
	I_ST(XBPF_W, 10, -4, 0),					\
	I_MOV64_REG(2, 10),						\
	I_ADD64_IMM(2, -4),						\
	I_LD_MAP_FD(1, fd),						\
	I_CALL(XBPF_FUNC_map_lookup_elem),				\
	I_LD_MAP_VALUE(3, fd, 4),					\
	I_CALL_LOCAL(2),						\
	I_ADD64_IMM(0, 1),						\
	I_EXIT(),							\
	I_MOV64_IMM(0, 7),						\
	I_EXIT(),							\
}
#define DUMP_LEN	13

FIXTURE(dump) {
	int map_fd;
	__u32 map_id;
	int fd;
	__u32 id;
	struct xbpf_insn p[DUMP_LEN];
};

FIXTURE_SETUP(dump)
{
	struct xbpf_map_info mi;
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	ASSERT_LE(0, xbpf_dev());
	self->map_fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, self->map_fd) TH_LOG("map: %s", strerror(errno));
	ASSERT_EQ(0, map_info(self->map_fd, &mi));
	self->map_id = mi.id;
	{
		const struct xbpf_insn p[] = DUMP_PROG(self->map_fd);

		ASSERT_EQ(DUMP_LEN, ARRAY_LEN(p));
		memcpy(self->p, p, sizeof(p));
	}
	self->fd = prog_load(XBPF_PROG_TYPE_SYSCALL, self->p, DUMP_LEN);
	ASSERT_LE(0, self->fd) TH_LOG("load: %s", strerror(errno));
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, prog_info(self->fd, &info, &len));
	self->id = info.id;
}

FIXTURE_TEARDOWN(dump)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->map_fd >= 0)
		close(self->map_fd);
}

/* The program as loaded, with map fds turned into the ids a dump shows. */
static void expected_xlated(const struct xbpf_insn *p, __u32 n, __u32 map_id,
			    struct xbpf_insn *want)
{
	__u32 i;

	memcpy(want, p, n * sizeof(*p));
	for (i = 0; i + 1 < n; i++)
		if (want[i].code == (XBPF_LD | XBPF_DW | XBPF_IMM) && want[i].src_reg)
			want[i].imm = map_id;
}

TEST_F(dump, xlated_has_map_ids)
{
	struct xbpf_insn xl[DUMP_LEN + 8], want[DUMP_LEN];
	struct xbpf_prog_info info;
	__u32 len = sizeof(info), i;

	memset(&info, 0, sizeof(info));
	memset(xl, 0, sizeof(xl));
	info.xlated_prog_len = sizeof(xl);
	info.xlated_prog_insns = PTR(xl);
	ASSERT_EQ(0, prog_info(self->fd, &info, &len));
	/* a root-owned fd may see raw addresses: the text as the engines run it */
	ASSERT_EQ(DUMP_LEN * sizeof(struct xbpf_insn), info.xlated_prog_len)
		TH_LOG("the verifier rewrote the program; the test assumes it did not");
	EXPECT_EQ(PTR(xl), info.xlated_prog_insns);
	expected_xlated(self->p, DUMP_LEN, self->map_id, want);
	for (i = 0; i < DUMP_LEN; i++) {
		EXPECT_EQ(0, memcmp(&want[i], &xl[i], sizeof(xl[i])))
			TH_LOG("insn %u: code %02x src %u imm %d, want code %02x src %u imm %d",
			       i, xl[i].code, xl[i].src_reg, xl[i].imm, want[i].code,
			       want[i].src_reg, want[i].imm);
	}
	/* the value reference keeps its offset in the second slot */
	EXPECT_EQ(XBPF_PSEUDO_MAP_VALUE, (int)xl[6].src_reg);
	EXPECT_EQ(4, xl[7].imm);
	EXPECT_EQ(XBPF_FUNC_map_lookup_elem, xl[5].imm);
	EXPECT_EQ(0, xl[DUMP_LEN].code);	/* nothing written past the text */
}

TEST_F(dump, jited_image_ksyms_lens)
{
	__u8 img[4096];
	__u64 ksyms[4] = { 0 };
	__u32 lens[4] = { 0 };
	struct xbpf_prog_info info;
	__u32 len = sizeof(info), total;

	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, prog_info(self->fd, &info, &len));
	ASSERT_LT(0, info.jited_prog_len) TH_LOG("jit=auto, yet the program is not JITed");
	ASSERT_GE(sizeof(img), info.jited_prog_len);
	EXPECT_EQ(2, info.nr_jited_ksyms);
	EXPECT_EQ(2, info.nr_jited_func_lens);
	total = info.jited_prog_len;

	memset(&info, 0, sizeof(info));
	memset(img, 0xaa, sizeof(img));
	info.jited_prog_len = sizeof(img);
	info.jited_prog_insns = PTR(img);
	info.nr_jited_ksyms = 4;
	info.jited_ksyms = PTR(ksyms);
	info.nr_jited_func_lens = 4;
	info.jited_func_lens = PTR(lens);
	len = sizeof(info);
	ASSERT_EQ(0, prog_info(self->fd, &info, &len));
	EXPECT_EQ(total, info.jited_prog_len);
	EXPECT_EQ(2, info.nr_jited_ksyms);
	EXPECT_EQ(2, info.nr_jited_func_lens);
	EXPECT_EQ(PTR(img), info.jited_prog_insns);
	EXPECT_EQ(0, memcmp(past_endbr(img), nop5, sizeof(nop5))) TH_LOG("main: %02x %02x %02x %02x %02x",
							     img[0], img[1], img[2], img[3],
							     img[4]);
	EXPECT_EQ(0xaa, img[total]);
	/* functions in order, back to back, each at its symbol */
	EXPECT_LT(0, lens[0]);
	EXPECT_LT(0, lens[1]);
	EXPECT_EQ(total, lens[0] + lens[1]);
	EXPECT_EQ(ksyms[0] + lens[0], ksyms[1]);
	EXPECT_LE(0xffff800000000000ULL, ksyms[0]) TH_LOG("ksym %#llx", ksyms[0]);
	ASSERT_GT(total, lens[0]);
	EXPECT_EQ(0, memcmp(past_endbr(img + lens[0]), nop5, sizeof(nop5)));
	EXPECT_EQ(0, ksyms[2]);
	EXPECT_EQ(0, lens[2]);
}

TEST_F(dump, short_buffers_truncate)
{
	struct xbpf_insn xl[2];
	__u8 img[8];
	__u64 ksym[2] = { 0, 0x5a5a };
	__u32 flen[2] = { 0, 0x5a5a };
	struct xbpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	memset(xl, 0xa5, sizeof(xl));
	memset(img, 0xa5, sizeof(img));
	info.xlated_prog_len = sizeof(xl[0]);
	info.xlated_prog_insns = PTR(xl);
	info.jited_prog_len = 3;
	info.jited_prog_insns = PTR(img);
	info.nr_jited_ksyms = 1;
	info.jited_ksyms = PTR(ksym);
	info.nr_jited_func_lens = 1;
	info.jited_func_lens = PTR(flen);
	ASSERT_EQ(0, prog_info(self->fd, &info, &len));
	/* the full lengths and counts come back, only what fits is written */
	EXPECT_EQ(DUMP_LEN * sizeof(struct xbpf_insn), info.xlated_prog_len);
	EXPECT_EQ(0, memcmp(&xl[0], &self->p[0], sizeof(xl[0])));
	EXPECT_EQ(0xa5, ((__u8 *)&xl[1])[0]);
	EXPECT_LT(3, info.jited_prog_len);
	EXPECT_TRUE(!memcmp(img, nop5, 3) || !memcmp(img, endbr64, 3));
	EXPECT_EQ(0xa5, img[3]);
	EXPECT_EQ(2, info.nr_jited_ksyms);
	EXPECT_NE(0, ksym[0]);
	EXPECT_EQ(0x5a5a, ksym[1]);
	EXPECT_EQ(2, info.nr_jited_func_lens);
	EXPECT_NE(0, flen[0]);
	EXPECT_EQ(0x5a5a, flen[1]);
}

/* Runs the CLI; its stdout into buf (NUL-terminated).  Returns the exit status. */
static int cli(char *buf, size_t size, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	size_t n = 0;
	FILE *f;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (n + 1 < size) {
		size_t k = fread(buf + n, 1, size - 1 - n, f);

		if (!k)
			break;
		n += k;
	}
	buf[n] = 0;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first lines of a dump as TAP comments, for whoever reads the log. */
static void show(const char *out, int max_lines)
{
	const char *p = out, *nl;

	while (*p && max_lines-- > 0) {
		nl = strchr(p, '\n');
		printf("#   %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

TEST_F(dump, cli_prog_dump)
{
	static char out[65536];
	char want[64];

	if (access(XBPF_CLI, X_OK))
		SKIP(return, XBPF_CLI " is not in this image");

	ASSERT_EQ(0, cli(out, sizeof(out), XBPF_CLI " prog dump xlated id %u", self->id));
	show(out, 20);
	snprintf(want, sizeof(want), "r1 = map[id:%u]", self->map_id);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "r3 = map[id:%u][0]+4", self->map_id);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "map_lookup_elem")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "  12: (95) exit")) TH_LOG("%s", out);

	ASSERT_EQ(0, cli(out, sizeof(out), XBPF_CLI " prog dump xlated id %u --json", self->id));
	EXPECT_NE(NULL, strstr(out, "\"xlated\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"insns\"")) TH_LOG("%s", out);

	ASSERT_EQ(0, cli(out, sizeof(out), XBPF_CLI " prog dump jited id %u --raw", self->id));
	EXPECT_TRUE(!strncmp(out, "0f1f440000", 10) || !strncmp(out, "f30f1efa0f1f440000", 18))
		TH_LOG("%.40s", out);

	/* the first line says how; two functions follow, each at its nop5 */
	ASSERT_EQ(0, cli(out, sizeof(out), "PATH=/nonexistent " XBPF_CLI " prog dump jited id %u",
			 self->id));
	show(out, 6);
	EXPECT_NE(NULL, strstr(out, "hex dump (no objdump in PATH)")) TH_LOG("%.200s", out);
	EXPECT_NE(NULL, strstr(out, "<func0>")) TH_LOG("%.200s", out);
	EXPECT_NE(NULL, strstr(out, "<func1>")) TH_LOG("%.200s", out);
	EXPECT_TRUE(strstr(out, ": 0f 1f 44 00 00") || strstr(out, ": f3 0f 1e fa 0f 1f 44 00 00"))
		TH_LOG("%.400s", out);
	if (access("/usr/bin/objdump", X_OK)) {
		TH_LOG("no objdump in this image: the disassembly path is not exercised");
	} else {
		ASSERT_EQ(0, cli(out, sizeof(out), "PATH=/usr/bin " XBPF_CLI
				 " prog dump jited id %u", self->id));
		show(out, 16);
		EXPECT_NE(NULL, strstr(out, "disassembled by objdump")) TH_LOG("%.200s", out);
		EXPECT_NE(NULL, strstr(out, "<func1>")) TH_LOG("%.200s", out);
		EXPECT_NE(NULL, strstr(out, "nopl")) TH_LOG("%.400s", out);
	}

	ASSERT_EQ(0, cli(out, sizeof(out), XBPF_CLI " prog dump jited id %u --json", self->id));
	EXPECT_NE(NULL, strstr(out, "\"jited\"")) TH_LOG("%.200s", out);
	EXPECT_NE(NULL, strstr(out, "\"funcs\"")) TH_LOG("%.200s", out);

	/* an id nobody has */
	EXPECT_EQ(1, cli(out, sizeof(out), XBPF_CLI " prog dump xlated id 4000000000 2>/dev/null"));
}

TEST_HARNESS_MAIN

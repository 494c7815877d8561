// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier log's bpf(2) contract (verifier/log.c): level/buffer/size
 * validation, fixed-mode truncation and -ENOSPC, true_len, NUL
 * termination, and the log as the verifier drives it.
 */
#include "lib/xbpf_test.h"

#define GUARD	0xa5

/* A buffer with guard bytes after size, to catch any write past it. */
struct tbuf {
	char	b[8192 + 64];
	u32	size;
};

static void tb_init(struct tbuf *t, u32 size)
{
	memset(t->b, GUARD, sizeof(t->b));
	t->size = size;
}

static bool tb_guard_ok(const struct tbuf *t)
{
	u32 i;

	for (i = t->size; i < t->size + 64; i++)
		if ((u8)t->b[i] != GUARD)
			return false;
	return true;
}

static void test_init_validation(void)
{
	struct xbpf_log log;
	char buf[256];
	u64 ub = (u64)(uintptr_t)buf;

	xt_report(xbpf_log_init(&log, 0, 0, 0) == 0, "init: level 0, no buffer");
	xt_report(xbpf_log_init(&log, 1, ub, 256) == 0, "init: level 1");
	xt_report(xbpf_log_init(&log, 2, ub, 256) == 0, "init: level 2");
	xt_report(xbpf_log_init(&log, 4, ub, 256) == 0, "init: stats only");
	xt_report(xbpf_log_init(&log, 7, ub, 256) == 0, "init: all bits");
	xt_report(xbpf_log_init(&log, 8, ub, 256) == -EINVAL, "init: unknown level bit");
	xt_report(xbpf_log_init(&log, 0x80000001, ub, 256) == -EINVAL, "init: high level bit");
	xt_report(xbpf_log_init(&log, 0, ub, 0) == -EINVAL, "init: buffer without level");
	xt_report(xbpf_log_init(&log, 0, 0, 256) == -EINVAL, "init: size without level");
	xt_report(xbpf_log_init(&log, 0, ub, 256) == -EINVAL, "init: buffer and size without level");
	xt_report(xbpf_log_init(&log, 1, 0, 256) == -EINVAL, "init: level without buffer");
	xt_report(xbpf_log_init(&log, 1, ub, 0) == -EINVAL, "init: level without size");
	xt_report(xbpf_log_init(&log, 1, ub, XBPF_LOG_MIN_SIZE - 1) == -EINVAL,
		  "init: size below minimum");
	xt_report(xbpf_log_init(&log, 1, ub, XBPF_LOG_MIN_SIZE) == 0, "init: minimum size");
	xt_report(xbpf_log_init(&log, 1, ub, XBPF_LOG_MAX_SIZE) == 0, "init: maximum size");
	xt_report(xbpf_log_init(&log, 1, ub, XBPF_LOG_MAX_SIZE + 1) == -EINVAL,
		  "init: size above maximum");
}

static void test_level0(void)
{
	struct xbpf_log log;

	xbpf_log_init(&log, 0, 0, 0);
	xbpf_log_write(&log, "dropped %d\n", 1);
	xt_report(log.len_used == 0 && log.true_len == 0 && xbpf_log_finish(&log) == 0,
		  "level 0: writes are no-ops, finish is 0");
	xbpf_log_write(NULL, "nothing\n");
	xt_report(xbpf_log_finish(NULL) == 0, "NULL log: no-op");
}

static void test_fits(void)
{
	static struct tbuf t;
	struct xbpf_log log;
	int err;

	tb_init(&t, 128);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	xbpf_log_write(&log, "hello %s\n", "world");
	xbpf_log_write(&log, "%d+%d\n", 1, 2);
	err = xbpf_log_finish(&log);
	xt_report(err == 0, "fits: finish returns 0 (got %d)", err);
	xt_report(!strcmp(t.b, "hello world\n1+2\n"), "fits: content and NUL");
	xt_report(log.len_used == 16 && log.true_len == 16, "fits: len_used == true_len == 16");
	xt_report(tb_guard_ok(&t), "fits: nothing written past the buffer");
}

static void test_empty(void)
{
	static struct tbuf t;
	struct xbpf_log log;

	tb_init(&t, 128);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	xt_report(xbpf_log_finish(&log) == 0 && t.b[0] == 0, "empty log: NUL-terminated, 0");
}

static void test_truncation(void)
{
	static struct tbuf t;
	struct xbpf_log log;
	u32 i;
	int err;

	tb_init(&t, 128);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	for (i = 0; i < 100; i++)
		xbpf_log_write(&log, "line %03u\n", i);	/* 9 bytes each */
	err = xbpf_log_finish(&log);
	xt_report(err == -ENOSPC, "truncated: -ENOSPC (got %d)", err);
	xt_report(log.len_used == 127 && strlen(t.b) == 127,
		  "truncated: buffer full, NUL at the last byte");
	xt_report(log.true_len == 900, "truncated: true_len counts everything (%llu)",
		  (unsigned long long)log.true_len);
	xt_report(!strncmp(t.b, "line 000\nline 001\n", 18), "truncated: keeps the beginning");
	xt_report(tb_guard_ok(&t), "truncated: nothing written past the buffer");
}

/*
 * Since 6.4 (xbpf reports log_true_size, so it follows): -ENOSPC only when
 * the log was cut.  127 bytes and the NUL fill a 128-byte buffer exactly:
 * no error, and a retry with log_true_size bytes succeeds; one byte more
 * is cut.  (6.1 failed the exact fill too, so a retry with the size it
 * reported could never succeed.)
 */
static void test_exact_fill(void)
{
	static struct tbuf t;
	struct xbpf_log log;
	char line[200];

	tb_init(&t, 128);
	memset(line, 'x', 128);
	line[127] = 0;
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	xbpf_log_write(&log, "%s", line);
	xt_report(xbpf_log_finish(&log) == 0 && strlen(t.b) == 127 &&
		  log.true_len == 127 && tb_guard_ok(&t),
		  "exact fill (127 bytes + NUL in 128): no error");
	line[127] = 'x';
	line[128] = 0;
	tb_init(&t, 128);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	xbpf_log_write(&log, "%s", line);
	xt_report(xbpf_log_finish(&log) == -ENOSPC && strlen(t.b) == 127 &&
		  log.true_len == 128 && tb_guard_ok(&t), "one byte more: cut, -ENOSPC");
}

/* A line longer than the internal line buffer, in a large log. */
static void test_long_line(void)
{
	static struct tbuf t;
	static char line[3001];
	struct xbpf_log log;
	int err;

	memset(line, 'y', 3000);
	line[3000] = 0;
	line[0] = 'A';
	line[2999] = 'Z';
	tb_init(&t, 8192);
	xbpf_log_init(&log, 2, (u64)(uintptr_t)t.b, t.size);
	xbpf_log_write(&log, "<%s>\n", line);
	err = xbpf_log_finish(&log);
	xt_report(err == 0 && strlen(t.b) == 3003 && t.b[1] == 'A' && t.b[3000] == 'Z' &&
		  t.b[3001] == '>', "long line: kept whole (err %d, len %zu)", err, strlen(t.b));

	/* The same line into a small buffer: truncated, terminated, counted. */
	tb_init(&t, 200);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	xbpf_log_write(&log, "<%s>\n", line);
	err = xbpf_log_finish(&log);
	xt_report(err == -ENOSPC && strlen(t.b) == 199 && t.b[1] == 'A' &&
		  log.true_len == 3003 && tb_guard_ok(&t),
		  "long line, small buffer: truncated, NUL, true_len 3003");
}

/* Writes after the log is full are counted but never land. */
static void test_after_full(void)
{
	static struct tbuf t;
	struct xbpf_log log;
	u32 i;

	tb_init(&t, 130);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	for (i = 0; i < 50; i++)
		xbpf_log_write(&log, "%u", i % 10);
	xt_report(log.len_used == 50 && log.true_len == 50 && strlen(t.b) == 50,
		  "small writes: NUL-terminated after each");
	for (i = 0; i < 200; i++)
		xbpf_log_write(&log, "ab");
	xt_report(log.len_used == 129 && log.true_len == 450 && strlen(t.b) == 129,
		  "small writes overflow: stops at size - 1");
	for (i = 0; i < 200; i++)
		xbpf_log_write(&log, "cd");
	xt_report(xbpf_log_finish(&log) == -ENOSPC && strlen(t.b) == 129 &&
		  log.true_len == 850 && tb_guard_ok(&t), "after full: counted, not written");
}

/*
 * xbpf_log_reset: positions are logical, so a reset below a full log's end
 * makes room again, and a reset within what did not fit only recounts.
 */
static void test_reset(void)
{
	static struct tbuf t;
	struct xbpf_log log;
	u64 pos;

	tb_init(&t, 130);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	xbpf_log_write(&log, "hello ");
	pos = xbpf_log_pos(&log);
	xbpf_log_write(&log, "world");
	xbpf_log_reset(&log, pos);
	xt_report(pos == 6 && log.len_used == 6 && log.true_len == 6 && !strcmp(t.b, "hello "),
		  "reset: drops what came after, NUL at the new end");
	xbpf_log_write(&log, "there");
	xt_report(!strcmp(t.b, "hello there") && log.true_len == 11,
		  "reset: writes go on from there");

	/* Fill it, reset below the end: room again, no -ENOSPC. */
	pos = xbpf_log_pos(&log);
	xbpf_log_write(&log, "%0200d", 0);
	xt_report(log.len_used == 129 && log.true_len == 211 && xbpf_log_finish(&log) == -ENOSPC,
		  "reset: the log filled");
	xbpf_log_reset(&log, 200);
	xt_report(log.len_used == 129 && log.true_len == 200,
		  "reset past the buffer's end: only the count moves");
	xbpf_log_reset(&log, pos);
	xt_report(log.len_used == 11 && log.true_len == 11 && strlen(t.b) == 11 &&
		  xbpf_log_finish(&log) == 0 && tb_guard_ok(&t),
		  "reset below a full log's end: room again, no -ENOSPC");

	/* Level 0 and a fault: nothing happens. */
	xbpf_log_init(&log, 0, 0, 0);
	xbpf_log_reset(&log, 0);
	xt_report(log.len_used == 0 && log.true_len == 0 && xbpf_log_finish(&log) == 0,
		  "reset at level 0: a no-op");
}

static struct xbpf_prog *verify(const struct xbpf_insn *insns, u32 n,
				struct xbpf_log *log, int *err)
{
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		.caps = { .bpf_capable = true, .sys_admin = true },
		.log = log,
	};
	struct xbpf_prog *prog = NULL;

	*err = xbpf_verify(&p, &prog);
	return prog;
}

/* The verifier: statistics line, -ENOSPC on a full log even on success. */
static void test_verifier_log(void)
{
	static struct tbuf t;
	struct xbpf_insn ok[] = { MOV64_IMM(0, 0), EXIT() };
	struct xbpf_insn bad[] = { MOV64_IMM(0, 0), MOV64_IMM(10, 1), EXIT() };
	struct xbpf_insn big[300];
	struct xbpf_prog *prog;
	struct xbpf_log log;
	u32 i;
	int err;

	tb_init(&t, 1024);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	prog = verify(ok, 2, &log, &err);
	xt_report(!err && prog, "verifier log: accepted (err %d)", err);
	xt_report(strstr(t.b, "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n") != NULL,
		  "verifier log: statistics line");
	xbpf_prog_put(prog);

	tb_init(&t, 1024);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	prog = verify(bad, 3, &log, &err);
	xt_report(err == -EACCES && !prog && strstr(t.b, "1: (b7) r10 = 1\nframe pointer is read only\n") &&
		  strstr(t.b, "processed 0 insns"), "verifier log: insn and reason on failure");

	/* Level 2 dumps every insn: a big program overflows a small log. */
	for (i = 0; i < 299; i++)
		big[i] = MOV64_IMM(0, i);
	big[299] = EXIT();
	tb_init(&t, 256);
	xbpf_log_init(&log, 2, (u64)(uintptr_t)t.b, t.size);
	prog = verify(big, 300, &log, &err);
	xt_report(err == -ENOSPC && !prog && strlen(t.b) == 255 && tb_guard_ok(&t),
		  "verifier log: full log fails a valid program with -ENOSPC (err %d)", err);
	xt_report(log.true_len > 300 * 10, "verifier log: true_len %llu covers the whole dump",
		  (unsigned long long)log.true_len);

	/* Same program, big enough buffer: accepted, true_len == strlen. */
	{
		static char huge[65536];

		xbpf_log_init(&log, 2, (u64)(uintptr_t)huge, sizeof(huge));
		prog = verify(big, 300, &log, &err);
		xt_report(!err && prog && strlen(huge) == log.true_len &&
			  strstr(huge, "299: (95) exit\n"),
			  "verifier log: level 2 dump fits, true_len == strlen");
		xbpf_prog_put(prog);
	}

	/* Stats level: verification time and stack depth lines. */
	tb_init(&t, 1024);
	xbpf_log_init(&log, 4, (u64)(uintptr_t)t.b, t.size);
	prog = verify(ok, 2, &log, &err);
	xt_report(!err && strstr(t.b, "verification time ") && strstr(t.b, "stack depth 0\n") &&
		  strstr(t.b, "processed 2 insns"), "verifier log: stats level");
	xbpf_prog_put(prog);
}

/* The tiniest valid buffer, for every verdict. */
static void test_tiny_buffers(void)
{
	static struct tbuf t;
	struct xbpf_insn bad[] = { XI(0x8d, 0, 0, 0, 0), EXIT() };
	struct xbpf_prog *prog;
	struct xbpf_log log;
	int err;

	tb_init(&t, XBPF_LOG_MIN_SIZE);
	xbpf_log_init(&log, 1, (u64)(uintptr_t)t.b, t.size);
	prog = verify(bad, 2, &log, &err);
	/*
	 * The reason is short and first; the statistics overflow the buffer,
	 * and, as in bpf(2), the full log's -ENOSPC wins over -EINVAL.
	 */
	xt_report(err == -ENOSPC && !prog && strstr(t.b, "unknown opcode 8d") &&
		  strlen(t.b) == XBPF_LOG_MIN_SIZE - 1 && tb_guard_ok(&t),
		  "tiny buffer: rejection reported as -ENOSPC, reason kept (err %d)", err);

	/* Level 0: the verdict's own errno. */
	prog = verify(bad, 2, NULL, &err);
	xt_report(err == -EINVAL && !prog, "no log: -EINVAL");
}

int main(void)
{
	test_init_validation();
	test_level0();
	test_fits();
	test_empty();
	test_truncation();
	test_exact_fill();
	test_long_line();
	test_after_full();
	test_reset();
	test_verifier_log();
	test_tiny_buffers();
	return xt_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libxbpf_ringbuf (tools/ringbuf/) and `xbpf map consume` against the
 * module.  Socket filters run with PROG_TEST_RUN produce the records:
 * each writes a 32-byte pattern (skb->mark, skb->priority, three fixed
 * words) and outputs its first `size` bytes, or reserves 32 bytes and
 * submits or discards them, with a wakeup flag.  The test names every
 * record by its mark and knows every byte it must receive.
 *
 * Covered: order, sizes and bytes through the callback, discarded
 * records skipped, NO_WAKEUP and FORCE_WAKEUP through the consumer's
 * epoll fd, poll's timeout with empty rings, a callback's non-zero
 * return stopping consumption exactly after its record, several rings
 * in one consumer, wrap-around, positions and lengths that cannot be
 * right, and the CLI streaming a ring in a child process.
 */
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"
#include "../../tools/ringbuf/xbpf_ringbuf.h"

#define PG		4096UL
#define PAT_LEN		32
#define W0		0x11223344
#define W1		0x55667788
#define W2		0x7f00aa55

static int rb_create(__u32 size)
{
	return map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, size);
}

/* The pattern a program builds for (mark, prio), as bytes. */
static void pattern(unsigned char *p, __u32 mark, __u32 prio)
{
	__u64 w[3] = { W0, W1, W2 };

	memcpy(p, &mark, 4);
	memcpy(p + 4, &prio, 4);
	memcpy(p + 8, w, sizeof(w));
}

/* bpf_ringbuf_output(rb, pattern, size, flags); returns its result */
static int load_output(int rb, int size, int flags)
{
	const struct xbpf_insn p[] = {
		I_LDX(XBPF_W, 7, 1, SKB_MARK), I_STX(XBPF_W, 10, 7, -32),
		I_LDX(XBPF_W, 7, 1, SKB_PRIORITY), I_STX(XBPF_W, 10, 7, -28),
		I_ST(XBPF_DW, 10, -24, W0), I_ST(XBPF_DW, 10, -16, W1),
		I_ST(XBPF_DW, 10, -8, W2),
		I_LD_MAP_FD(1, rb), I_MOV64_REG(2, 10), I_ADD64_IMM(2, -32),
		I_MOV64_IMM(3, size), I_MOV64_IMM(4, flags),
		I_CALL(XBPF_FUNC_ringbuf_output), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* rec = reserve(rb, 32); fill the pattern; submit or discard; 1, or 0 if full */
static int load_reserve(int rb, int flags, int discard)
{
	const struct xbpf_insn p[] = {
		I_MOV64_REG(6, 1),
		I_LD_MAP_FD(1, rb), I_MOV64_IMM(2, PAT_LEN), I_MOV64_IMM(3, 0),
		I_CALL(XBPF_FUNC_ringbuf_reserve),
		I_RAW(XBPF_JMP | XBPF_JNE | XBPF_K, 0, 0, 2, 0),
		I_MOV64_IMM(0, 0), I_EXIT(),
		I_LDX(XBPF_W, 7, 6, SKB_MARK), I_STX(XBPF_W, 0, 7, 0),
		I_LDX(XBPF_W, 7, 6, SKB_PRIORITY), I_STX(XBPF_W, 0, 7, 4),
		I_ST(XBPF_DW, 0, 8, W0), I_ST(XBPF_DW, 0, 16, W1), I_ST(XBPF_DW, 0, 24, W2),
		I_MOV64_REG(1, 0), I_MOV64_IMM(2, flags),
		I_CALL(discard ? XBPF_FUNC_ringbuf_discard : XBPF_FUNC_ringbuf_submit),
		I_MOV64_IMM(0, 1), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* return bpf_ringbuf_query(rb, what) */
static int load_query(int rb, int what)
{
	const struct xbpf_insn p[] = {
		I_LD_MAP_FD(1, rb), I_MOV64_IMM(2, what),
		I_CALL(XBPF_FUNC_ringbuf_query), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* One test run with skb->mark and skb->priority set; -1 if the run failed. */
static long run(int prog, __u32 mark, __u32 prio)
{
	unsigned char frame[60], skb[SKB_SIZE];
	union xbpf_attr a;

	make_frame(frame, sizeof(frame));
	memset(skb, 0, sizeof(skb));
	memcpy(skb + SKB_MARK, &mark, 4);
	memcpy(skb + SKB_PRIORITY, &prio, 4);
	test_attr(&a, prog);
	a.test.data_in = PTR(frame);
	a.test.data_size_in = sizeof(frame);
	a.test.ctx_in = PTR(skb);
	a.test.ctx_size_in = sizeof(skb);
	if (xbpf_call(XBPF_PROG_TEST_RUN, &a))
		return -1;
	return a.test.retval;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- what the callback saw ---------------------------------------------- */

#define MAX_SEEN	512

struct seen {
	int		n;
	__u32		mark[MAX_SEEN];
	size_t		size[MAX_SEEN];
	int		bad;		/* records whose bytes are not the pattern */
	__u32		stop_at;	/* return stop_ret for this mark */
	int		stop_ret;
};

static int record(void *ctx, const void *data, size_t size)
{
	struct seen *s = ctx;
	unsigned char want[PAT_LEN];
	__u32 mark = 0, prio = 0;

	/* a record shorter than 4 bytes carries mark's low bytes (marks are small) */
	memcpy(&mark, data, size < 4 ? size : 4);
	if (size >= 8)
		memcpy(&prio, (const char *)data + 4, 4);
	/* prio is always mark * 10 here; short records carry part of mark only */
	pattern(want, mark, size >= 8 ? prio : mark * 10);
	if (size > PAT_LEN || memcmp(data, want, size))
		s->bad++;
	if (s->n < MAX_SEEN) {
		s->mark[s->n] = mark;
		s->size[s->n] = size;
	}
	s->n++;
	return s->stop_at && mark == s->stop_at ? s->stop_ret : 0;
}

TEST(in_order_sizes_and_bytes)
{
	int fd = rb_create(4 * PG), o16, o1, o5nw, o13, o32nw, sub, subf, dis, i;
	static const __u32 want_mark[] = { 1, 2, 4, 5, 6, 7, 8 };
	static const size_t want_size[] = { 16, 32, 5, 1, 32, 32, 13 };
	struct xbpf_ringbuf_consumer *c;
	struct seen s = {};
	long long t0;

	ASSERT_LE(0, fd);
	o16 = load_output(fd, 16, 0);
	o1 = load_output(fd, 1, 0);
	o5nw = load_output(fd, 5, XBPF_RB_NO_WAKEUP);
	o13 = load_output(fd, 13, 0);
	o32nw = load_output(fd, 32, XBPF_RB_NO_WAKEUP);
	sub = load_reserve(fd, 0, 0);
	subf = load_reserve(fd, XBPF_RB_FORCE_WAKEUP, 0);
	dis = load_reserve(fd, 0, 1);
	ASSERT_LE(0, o16);
	ASSERT_LE(0, o1);
	ASSERT_LE(0, o5nw);
	ASSERT_LE(0, o13);
	ASSERT_LE(0, o32nw);
	ASSERT_LE(0, sub);
	ASSERT_LE(0, subf);
	ASSERT_LE(0, dis);
	c = xbpf_ringbuf_consumer_new(xbpf_dev());
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, fd, record, &s));

	EXPECT_EQ(0, run(o16, 1, 10));
	EXPECT_EQ(1, run(sub, 2, 20));
	EXPECT_EQ(1, run(dis, 3, 30));		/* discarded: never seen */
	EXPECT_EQ(0, run(o5nw, 4, 40));
	EXPECT_EQ(0, run(o1, 5, 50));
	EXPECT_EQ(1, run(subf, 6, 60));
	EXPECT_EQ(0, run(o32nw, 7, 70));
	EXPECT_EQ(0, run(o13, 8, 80));

	t0 = now_ms();
	EXPECT_EQ(7, xbpf_ringbuf_consumer_poll(c, 5000));
	EXPECT_GT(2000, now_ms() - t0);		/* woken, not timed out */
	EXPECT_EQ(7, s.n);
	EXPECT_EQ(0, s.bad);
	for (i = 0; i < 7 && i < s.n; i++) {
		/* a 1-byte record holds mark's low byte only */
		EXPECT_EQ(want_size[i] < 4 ? (want_mark[i] & 0xff) : want_mark[i], s.mark[i]);
		EXPECT_EQ(want_size[i], s.size[i]);
	}
	EXPECT_EQ(0, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(0, xbpf_ringbuf_consumer_poll(c, 50));
	EXPECT_EQ(7, s.n);

	xbpf_ringbuf_consumer_free(c);
	close(o16);
	close(o1);
	close(o5nw);
	close(o13);
	close(o32nw);
	close(sub);
	close(subf);
	close(dis);
	close(fd);
}

TEST(timeout_and_bad_adds)
{
	struct xbpf_ringbuf_consumer *c;
	int fd = rb_create(PG), arr, pfd[2], ro;
	struct xbpf_map_info info;
	union xbpf_attr a;
	struct seen s = {};
	long long t0, dt;

	ASSERT_LE(0, fd);
	c = xbpf_ringbuf_consumer_new(-1);	/* opens the device itself */
	ASSERT_NE(NULL, c);
	EXPECT_EQ(-ENOENT, xbpf_ringbuf_consumer_poll(c, 0));	/* no ring yet */
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, fd, record, &s));
	t0 = now_ms();
	EXPECT_EQ(0, xbpf_ringbuf_consumer_poll(c, 150));
	dt = now_ms() - t0;
	EXPECT_LE(140, dt);
	EXPECT_EQ(0, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(0, s.n);

	/* only ring buffers, and only read-write fds */
	arr = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, arr);
	EXPECT_EQ(-EINVAL, xbpf_ringbuf_consumer_add(c, arr, record, &s));
	ASSERT_EQ(0, pipe(pfd));
	EXPECT_GT(0, xbpf_ringbuf_consumer_add(c, pfd[0], record, &s));
	EXPECT_EQ(-EBADF, xbpf_ringbuf_consumer_add(c, 9999, record, &s));
	ASSERT_EQ(0, map_info(fd, &info));
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	a.open_flags = XBPF_F_RDONLY;
	ro = xbpf_call(XBPF_MAP_GET_FD_BY_ID, &a);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EACCES, xbpf_ringbuf_consumer_add(c, ro, record, &s));
	close(ro);
	/* the failed adds left the consumer as it was */
	EXPECT_EQ(0, xbpf_ringbuf_consumer_poll(c, 0));
	close(pfd[0]);
	close(pfd[1]);
	close(arr);
	xbpf_ringbuf_consumer_free(c);
	xbpf_ringbuf_consumer_free(NULL);
	close(fd);
}

static int epoll_ready(int ep, int ms)
{
	struct epoll_event ev;

	return epoll_wait(ep, &ev, 1, ms);
}

TEST(wakeup_flags)
{
	int fd = rb_create(PG), plain, nowake, force, ep;
	struct xbpf_ringbuf_consumer *c;
	struct seen s = {};

	ASSERT_LE(0, fd);
	plain = load_output(fd, 16, 0);
	nowake = load_output(fd, 16, XBPF_RB_NO_WAKEUP);
	force = load_reserve(fd, XBPF_RB_FORCE_WAKEUP, 0);
	ASSERT_LE(0, plain);
	ASSERT_LE(0, nowake);
	ASSERT_LE(0, force);
	c = xbpf_ringbuf_consumer_new(xbpf_dev());
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, fd, record, &s));
	ep = xbpf_ringbuf_consumer_epoll_fd(c);
	EXPECT_LE(0, ep);

	/* NO_WAKEUP: nobody is told, but the next poll delivers it */
	EXPECT_EQ(0, run(nowake, 1, 10));
	EXPECT_EQ(0, epoll_ready(ep, 200));
	EXPECT_EQ(1, xbpf_ringbuf_consumer_poll(c, 0));
	/* caught up: a plain record wakes the consumer */
	EXPECT_EQ(0, run(plain, 2, 20));
	EXPECT_EQ(1, epoll_ready(ep, 2000));
	EXPECT_EQ(1, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(0, epoll_ready(ep, 0));	/* level-triggered: drained */
	/* behind: no wakeup however many, until FORCE_WAKEUP */
	EXPECT_EQ(0, run(nowake, 3, 30));
	EXPECT_EQ(0, run(plain, 4, 40));
	EXPECT_EQ(0, epoll_ready(ep, 200));
	EXPECT_EQ(1, run(force, 5, 50));
	EXPECT_EQ(1, epoll_ready(ep, 2000));
	EXPECT_EQ(3, xbpf_ringbuf_consumer_poll(c, 0));
	EXPECT_EQ(5, s.n);
	EXPECT_EQ(0, s.bad);
	EXPECT_EQ(5, s.mark[4]);

	xbpf_ringbuf_consumer_free(c);
	close(plain);
	close(nowake);
	close(force);
	close(fd);
}

TEST(callback_stops)
{
	int fd = rb_create(PG), out, cons_q, i;
	struct xbpf_ringbuf_consumer *c;
	struct seen s = {};

	ASSERT_LE(0, fd);
	out = load_output(fd, 16, 0);
	cons_q = load_query(fd, XBPF_RB_CONS_POS);
	ASSERT_LE(0, out);
	ASSERT_LE(0, cons_q);
	c = xbpf_ringbuf_consumer_new(xbpf_dev());
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, fd, record, &s));
	for (i = 1; i <= 5; i++)
		ASSERT_EQ(0, run(out, i, i * 10));

	/* a positive stop: returned as is, its record consumed, the rest left */
	s.stop_at = 2;
	s.stop_ret = 7;
	EXPECT_EQ(7, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(2, s.n);
	EXPECT_EQ(2 * 24, run(cons_q, 0, 0));
	/* a negative one, on the next record */
	s.stop_at = 3;
	s.stop_ret = -42;
	EXPECT_EQ(-42, xbpf_ringbuf_consumer_poll(c, 1000));
	EXPECT_EQ(3, s.n);
	EXPECT_EQ(3 * 24, run(cons_q, 0, 0));
	/* then the rest, in order */
	s.stop_at = 0;
	EXPECT_EQ(2, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(5, s.n);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(i + 1, s.mark[i]);
	EXPECT_EQ(0, s.bad);
	EXPECT_EQ(5 * 24, run(cons_q, 0, 0));

	xbpf_ringbuf_consumer_free(c);
	close(out);
	close(cons_q);
	close(fd);
}

TEST(several_rings)
{
	int a = rb_create(PG), b = rb_create(2 * PG), oa, ob, i;
	struct xbpf_ringbuf_consumer *c;
	struct seen sa = {}, sb = {};

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	oa = load_output(a, 16, 0);
	ob = load_output(b, 32, 0);
	ASSERT_LE(0, oa);
	ASSERT_LE(0, ob);
	c = xbpf_ringbuf_consumer_new(xbpf_dev());
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, a, record, &sa));
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, b, record, &sb));
	for (i = 1; i <= 3; i++)
		ASSERT_EQ(0, run(oa, i, i * 10));
	EXPECT_EQ(3, xbpf_ringbuf_consumer_poll(c, 2000));
	for (i = 4; i <= 8; i++)
		ASSERT_EQ(0, run(ob, i, i * 10));
	ASSERT_EQ(0, run(oa, 9, 90));
	EXPECT_EQ(6, xbpf_ringbuf_consumer_poll(c, 2000));
	EXPECT_EQ(4, sa.n);
	EXPECT_EQ(5, sb.n);
	EXPECT_EQ(9, sa.mark[3]);
	EXPECT_EQ(4, sb.mark[0]);
	EXPECT_EQ(32, sb.size[4]);
	EXPECT_EQ(0, sa.bad + sb.bad);
	xbpf_ringbuf_consumer_free(c);
	close(oa);
	close(ob);
	close(a);
	close(b);
}

TEST(wrap_around)
{
	int fd = rb_create(PG), o32, o13, i;
	struct xbpf_ringbuf_consumer *c;
	struct seen s = {};

	ASSERT_LE(0, fd);
	o32 = load_output(fd, 32, 0);
	o13 = load_output(fd, 13, 0);
	ASSERT_LE(0, o32);
	ASSERT_LE(0, o13);
	c = xbpf_ringbuf_consumer_new(xbpf_dev());
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, fd, record, &s));
	/* 40 and 24 bytes a record: 400 of them go round the page ~13 times */
	for (i = 1; i <= 400; i++) {
		ASSERT_EQ(0, run(i % 3 ? o32 : o13, i, i * 10));
		if (i % 7 == 0)
			ASSERT_LT(0, xbpf_ringbuf_consumer_consume(c));
	}
	xbpf_ringbuf_consumer_consume(c);
	EXPECT_EQ(400, s.n);
	EXPECT_EQ(0, s.bad);
	for (i = 0; i < 400 && i < MAX_SEEN; i++)
		if (s.mark[i] != (__u32)i + 1)
			break;
	EXPECT_EQ(400, i);
	xbpf_ringbuf_consumer_free(c);
	close(o32);
	close(o13);
	close(fd);
}

/*
 * Our consumer position is writable (it is the consumer's page): point it
 * mid-record, misaligned or past the producer and the library must stop
 * with -EBADMSG without handing anything on or reading outside the ring.
 * A record's own bytes, read as a header, give the bogus lengths.
 */
TEST(bogus_positions_and_lengths)
{
	int fd = rb_create(PG), out;
	struct xbpf_ringbuf_consumer *c;
	struct seen s = {};
	unsigned long *cons;

	ASSERT_LE(0, fd);
	out = load_output(fd, 16, 0);
	ASSERT_LE(0, out);
	c = xbpf_ringbuf_consumer_new(xbpf_dev());
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, xbpf_ringbuf_consumer_add(c, fd, record, &s));
	cons = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, cons);

	/* record at 0: header, then mark (a "length" of 1 MiB), prio, W0 */
	ASSERT_EQ(0, run(out, 1U << 20, 16));
	*cons = 8;			/* mark as a header: far past the producer */
	EXPECT_EQ(-EBADMSG, xbpf_ringbuf_consumer_consume(c));
	*cons = 12;			/* misaligned */
	EXPECT_EQ(-EBADMSG, xbpf_ringbuf_consumer_consume(c));
	*cons = 16;			/* the pattern's first word as a length */
	EXPECT_EQ(-EBADMSG, xbpf_ringbuf_consumer_consume(c));
	*cons = 24 + 8;			/* ahead of the producer */
	EXPECT_EQ(-EBADMSG, xbpf_ringbuf_consumer_consume(c));
	*cons = 24 - 2 * PG;		/* a whole ring behind it */
	EXPECT_EQ(-EBADMSG, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(0, s.n);
	/* a busy bit where a header is expected: wait there, no error */
	*cons = 24;			/* sane again, or the producer finds no room */
	ASSERT_EQ(0, run(out, XBPF_RINGBUF_BUSY_BIT | 4, 40));
	*cons = 24 + 8;
	EXPECT_EQ(0, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(24 + 8, *cons);
	/* back to sane: both records come through */
	*cons = 0;
	EXPECT_EQ(2, xbpf_ringbuf_consumer_consume(c));
	EXPECT_EQ(2, s.n);
	EXPECT_EQ(48, *cons);

	munmap(cons, PG);
	xbpf_ringbuf_consumer_free(c);
	close(out);
	close(fd);
}

/* ---- xbpf map consume in a child process -------------------------------- */

static const char *cli_path(void)
{
	static const char *const paths[] = { "/tools/xbpf", "build/xbpf", "../xbpf" };
	const char *env = getenv("XBPF_CLI");
	unsigned int i;

	if (env && *env)
		return env;
	for (i = 0; i < ARRAY_LEN(paths); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

struct child {
	pid_t	pid;
	int	out;	/* read end of its stdout */
};

static int cli_start(struct child *ch, char *const argv[])
{
	int p[2];

	if (pipe(p))
		return -1;
	ch->pid = fork();
	if (ch->pid < 0)
		return -1;
	if (!ch->pid) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	ch->out = p[0];
	return 0;
}

/* Reads the child's stdout to EOF (at most ms), reaps it; its exit status or -1. */
static int cli_finish(struct child *ch, char *buf, size_t cap, int ms)
{
	long long end = now_ms() + ms;
	size_t len = 0;
	int status;

	for (;;) {
		struct pollfd pfd = { .fd = ch->out, .events = POLLIN };
		long long left = end - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			kill(ch->pid, SIGKILL);
			break;
		}
		n = read(ch->out, buf + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(ch->out);
	if (waitpid(ch->pid, &status, 0) != ch->pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void hex(char *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

TEST(cli_streams_records)
{
	const char *cli = cli_path();
	int fd = rb_create(PG), o16, o5, arr, ret;
	unsigned char pat[PAT_LEN];
	char idstr[16], want[1024], got[4096], h[3][2 * PAT_LEN + 1], bad[16];
	struct xbpf_map_info info;
	struct child ch;
	char line[64];
	char *consume3[] = { (char *)cli, "map", "consume", "--id", idstr,
			     "--count", "3", NULL };
	char *json_quiet[] = { (char *)cli, "map", "consume", "--id", idstr, "--json",
			       "--timeout-ms", "300", NULL };
	char *not_rb[] = { (char *)cli, "map", "consume", "--id", bad,
			   "--timeout-ms", "100", NULL };
	char *no_map[] = { (char *)cli, "map", "consume", "--id", "2147483000",
			   "--timeout-ms", "100", NULL };
	char *offline[] = { (char *)cli, "map", "consume", "--id", idstr, "--offline", NULL };
	char *list[] = { (char *)cli, "map", "list", NULL };

	if (!cli)
		SKIP(return, "the xbpf CLI is not in the VM (make tools)");
	ASSERT_LE(0, fd);
	o16 = load_output(fd, 16, 0);
	o5 = load_output(fd, 5, 0);
	ASSERT_LE(0, o16);
	ASSERT_LE(0, o5);
	ASSERT_EQ(0, map_info(fd, &info));
	snprintf(idstr, sizeof(idstr), "%u", info.id);

	/* one record before the consumer starts, two while it runs, one too many */
	ASSERT_EQ(0, run(o16, 1, 10));
	ASSERT_EQ(0, cli_start(&ch, consume3));
	usleep(300 * 1000);
	ASSERT_EQ(0, run(o16, 2, 20));
	usleep(100 * 1000);
	ASSERT_EQ(0, run(o5, 3, 30));
	ASSERT_EQ(0, run(o16, 4, 40));
	ret = cli_finish(&ch, got, sizeof(got), 20000);
	pattern(pat, 1, 10);
	hex(h[0], pat, 16);
	pattern(pat, 2, 20);
	hex(h[1], pat, 16);
	pattern(pat, 3, 30);
	hex(h[2], pat, 5);
	snprintf(want, sizeof(want), "%s\n%s\n%s\n", h[0], h[1], h[2]);
	EXPECT_EQ(0, ret);
	EXPECT_STREQ(want, got);

	/* the fourth is still there: --json, and stop when quiet for 300 ms */
	ASSERT_EQ(0, cli_start(&ch, json_quiet));
	ret = cli_finish(&ch, got, sizeof(got), 20000);
	pattern(pat, 4, 40);
	hex(h[0], pat, 16);
	snprintf(want, sizeof(want), "{\"size\":16,\"data\":\"%s\"}\n", h[0]);
	EXPECT_EQ(0, ret);
	EXPECT_STREQ(want, got);

	/* not a ring buffer, no such map: the engine refuses (1); --offline: usage (2) */
	arr = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, arr);
	ASSERT_EQ(0, map_info(arr, &info));
	snprintf(bad, sizeof(bad), "%u", info.id);
	ASSERT_EQ(0, cli_start(&ch, not_rb));
	EXPECT_EQ(1, cli_finish(&ch, got, sizeof(got), 20000));
	ASSERT_EQ(0, cli_start(&ch, no_map));
	EXPECT_EQ(1, cli_finish(&ch, got, sizeof(got), 20000));
	ASSERT_EQ(0, cli_start(&ch, offline));
	EXPECT_EQ(2, cli_finish(&ch, got, sizeof(got), 20000));
	/* map list names ours */
	ASSERT_EQ(0, cli_start(&ch, list));
	EXPECT_EQ(0, cli_finish(&ch, got, sizeof(got), 20000));
	snprintf(line, sizeof(line), "%s: ringbuf ", idstr);
	EXPECT_NE(NULL, strstr(got, line)) TH_LOG("map list:\n%s", got);
	snprintf(line, sizeof(line), "%s: array ", bad);
	EXPECT_NE(NULL, strstr(got, line));
	close(arr);
	close(o16);
	close(o5);
	close(fd);
}

TEST_HARNESS_MAIN

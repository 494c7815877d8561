// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_RINGBUF against the module, read the way libbpf reads it:
 * mmap the consumer page (rw) at 0, the producer page and the data twice
 * (ro) after it, epoll on the map fd.  Programs are socket filters run
 * with PROG_TEST_RUN; each writes __sk_buff mark and priority (set through
 * ctx_in) into its record, so a test names every record it produces.
 *
 * Covered: creation rules and limits, element commands, mmap permissions
 * page by page, headers and positions after output/reserve/submit/discard,
 * bpf_ringbuf_query, epoll wakeups with and without NO_WAKEUP and
 * FORCE_WAKEUP, a full ring, wrap-around, hostile consumer positions, the
 * map living on in a mapping after close, and several threads producing
 * against one consumer.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "xbpf_test.h"

#define PG		4096UL
#define ENOTSUPP_	524

#define I_LD_MAP(d, fd)							\
	I_RAW(XBPF_LD | XBPF_DW | XBPF_IMM, d, XBPF_PSEUDO_MAP_FD, 0, fd), \
	I_RAW(0, 0, 0, 0, 0)
#define I_JNE_IMM(d, i, o)	I_RAW(XBPF_JMP | XBPF_JNE | XBPF_K, d, 0, o, i)
#define I_XOR64_REG(d, s)	I_RAW(XBPF_ALU64 | XBPF_XOR | XBPF_X, d, s, 0, 0)
#define I_XOR64_IMM(d, i)	I_RAW(XBPF_ALU64 | XBPF_XOR | XBPF_K, d, 0, 0, i)

static int rb_create(__u32 size)
{
	return map_create(XBPF_MAP_TYPE_RINGBUF, 0, 0, size);
}

/*
 * reserve(size); if NULL return 0; rec[0] = mark, rec[1] = priority,
 * rec[2] = mark ^ priority ^ 0x5a5a5a5a; submit or discard with flags;
 * return 1.
 */
static int load_reserve(int rb, int size, int flags, int discard)
{
	const struct xbpf_insn p[] = {
		I_MOV64_REG(6, 1),
		I_LD_MAP(1, rb), I_MOV64_IMM(2, size), I_MOV64_IMM(3, 0),
		I_CALL(XBPF_FUNC_ringbuf_reserve),
		I_JNE_IMM(0, 0, 2), I_MOV64_IMM(0, 0), I_EXIT(),
		I_LDX(XBPF_W, 7, 6, SKB_MARK), I_STX(XBPF_W, 0, 7, 0),
		I_LDX(XBPF_W, 8, 6, SKB_PRIORITY), I_STX(XBPF_W, 0, 8, 4),
		I_XOR64_REG(7, 8), I_XOR64_IMM(7, 0x5a5a5a5a), I_STX(XBPF_W, 0, 7, 8),
		I_MOV64_REG(1, 0), I_MOV64_IMM(2, flags),
		I_CALL(discard ? XBPF_FUNC_ringbuf_discard : XBPF_FUNC_ringbuf_submit),
		I_MOV64_IMM(0, 1), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* 16 stack bytes (mark, priority, 0, 0) through ringbuf_output; returns its result. */
static int load_output(int rb, int flags)
{
	const struct xbpf_insn p[] = {
		I_ST(XBPF_DW, 10, -8, 0),
		I_LDX(XBPF_W, 7, 1, SKB_MARK), I_STX(XBPF_W, 10, 7, -16),
		I_LDX(XBPF_W, 7, 1, SKB_PRIORITY), I_STX(XBPF_W, 10, 7, -12),
		I_LD_MAP(1, rb), I_MOV64_REG(2, 10), I_ADD64_IMM(2, -16),
		I_MOV64_IMM(3, 16), I_MOV64_IMM(4, flags),
		I_CALL(XBPF_FUNC_ringbuf_output), I_EXIT(),
	};

	return PROG_LOAD(XBPF_PROG_TYPE_SOCKET_FILTER, p);
}

/* return bpf_ringbuf_query(rb, what) */
static int load_query(int rb, int what)
{
	const struct xbpf_insn p[] = {
		I_LD_MAP(1, rb), I_MOV64_IMM(2, what),
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

/* The consumer's view, as libbpf maps it. */
struct view {
	unsigned long	*cons;		/* rw page at 0 */
	unsigned long	*prod;		/* ro: producer page, then the data twice */
	unsigned char	*data;
	unsigned long	mask;
	size_t		ro_len;
};

static int view_map(int fd, unsigned long size, struct view *v)
{
	void *c, *p;

	c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (c == MAP_FAILED)
		return -1;
	v->ro_len = PG + 2 * size;
	p = mmap(NULL, v->ro_len, PROT_READ, MAP_SHARED, fd, PG);
	if (p == MAP_FAILED) {
		munmap(c, PG);
		return -1;
	}
	v->cons = c;
	v->prod = p;
	v->data = (unsigned char *)p + PG;
	v->mask = size - 1;
	return 0;
}

static void view_unmap(struct view *v)
{
	munmap(v->cons, PG);
	munmap(v->prod, v->ro_len);
}

typedef void (*rec_fn)(void *ctx, const unsigned char *rec, __u32 len);

/* libbpf's ringbuf_process_ring: the records handed to fn. */
static int view_consume(struct view *v, rec_fn fn, void *ctx)
{
	unsigned long cons = __atomic_load_n(v->cons, __ATOMIC_ACQUIRE), prod;
	int n = 0;

	do {
		prod = __atomic_load_n(v->prod, __ATOMIC_ACQUIRE);
		while (cons < prod) {
			__u32 *hdr = (__u32 *)(v->data + (cons & v->mask));
			__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & XBPF_RINGBUF_BUSY_BIT)
				return n;
			cons += ((len & ~XBPF_RINGBUF_DISCARD_BIT) + XBPF_RINGBUF_HDR_SZ + 7) & ~7U;
			if (!(len & XBPF_RINGBUF_DISCARD_BIT)) {
				if (fn)
					fn(ctx, (unsigned char *)(hdr + 2),
					   len & ~XBPF_RINGBUF_DISCARD_BIT);
				n++;
			}
			__atomic_store_n(v->cons, cons, __ATOMIC_RELEASE);
		}
	} while (cons != __atomic_load_n(v->prod, __ATOMIC_ACQUIRE));
	return n;
}

TEST(create_rules)
{
	struct xbpf_map_info info;
	unsigned char k[8] = {}, v[8] = {};
	int fd;

	fd = rb_create(PG);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, map_info(fd, &info));
	EXPECT_EQ(XBPF_MAP_TYPE_RINGBUF, info.type);
	EXPECT_EQ(PG, info.max_entries);
	EXPECT_EQ(0, info.key_size);
	EXPECT_EQ(0, info.value_size);
	/* no elements: Linux's -ENOTSUPP for every element command */
	EXPECT_EQ(-1, map_lookup(fd, NULL, v));
	EXPECT_EQ(ENOTSUPP_, errno);
	EXPECT_EQ(-1, map_update(fd, NULL, v, 0));
	EXPECT_EQ(ENOTSUPP_, errno);
	EXPECT_EQ(-1, map_delete(fd, NULL));
	EXPECT_EQ(ENOTSUPP_, errno);
	EXPECT_EQ(-1, map_next_key(fd, NULL, k));
	EXPECT_EQ(ENOTSUPP_, errno);
	EXPECT_EQ(-1, map_lookup(fd, k, v));	/* a key where there is none */
	EXPECT_EQ(EINVAL, errno);
	close(fd);

	fd = rb_create(64 * PG);
	EXPECT_GE(fd, 0);
	close(fd);
	fd = map_create_flags(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG, XBPF_F_NUMA_NODE);
	EXPECT_GE(fd, 0);
	close(fd);

	/* size rounding is the caller's job: anything else is -EINVAL */
	EXPECT_EQ(-1, rb_create(0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, rb_create(PG + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, rb_create(3 * PG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, rb_create(PG / 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_RINGBUF, 4, 0, PG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create(XBPF_MAP_TYPE_RINGBUF, 0, 4, PG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG, XBPF_F_MMAPABLE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, map_create_flags(XBPF_MAP_TYPE_RINGBUF, 0, 0, PG, XBPF_F_RDONLY_PROG));
	EXPECT_EQ(EINVAL, errno);
	/* 2 GiB in a small guest: refused up front, -ENOMEM as the allocation would */
	EXPECT_EQ(-1, rb_create(1U << 31));
	EXPECT_EQ(ENOMEM, errno);
}

TEST(mmap_permissions)
{
	const unsigned long size = 4 * PG;
	int fd = rb_create(size);
	void *p;

	ASSERT_GE(fd, 0);
	/* the consumer page, alone, is the only writable thing */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	*(volatile unsigned long *)p = 0;
	munmap(p, PG);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PG));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_WRITE, MAP_SHARED, fd, 3 * PG));
	EXPECT_EQ(EPERM, errno);
	/* shared mappings only */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(EINVAL, errno);

	/* read-only: everything, and it stays read-only */
	p = mmap(NULL, 2 * PG + 2 * size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, PG, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	munmap(p, 2 * PG + 2 * size);
	p = mmap(NULL, PG + 2 * size, PROT_READ, MAP_SHARED, fd, PG);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, PG, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	munmap(p, PG + 2 * size);
	/* nothing past the second copy of the data */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * PG + 2 * size + PG, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 2 * PG + 2 * size));
	/* and no mapping of other map types */
	close(fd);
	fd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0));
	close(fd);
}

TEST(records_and_positions)
{
	int fd = rb_create(PG), out, res, dis, q[4], i;
	struct view v;
	__u32 *h;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, PG, &v));
	out = load_output(fd, 0);
	res = load_reserve(fd, 16, 0, 0);
	dis = load_reserve(fd, 12, 0, 1);
	ASSERT_GE(out, 0);
	ASSERT_GE(res, 0);
	ASSERT_GE(dis, 0);
	for (i = 0; i < 4; i++) {
		q[i] = load_query(fd, i);
		ASSERT_GE(q[i], 0);
	}
	EXPECT_EQ(0, *v.prod);
	EXPECT_EQ(PG, run(q[XBPF_RB_RING_SIZE], 0, 0));

	EXPECT_EQ(0, run(out, 7, 70));
	h = (__u32 *)v.data;
	EXPECT_EQ(16, h[0]);
	EXPECT_EQ(3, h[1]);		/* pg_off: the data starts on page 3 */
	EXPECT_EQ(7, h[2]);
	EXPECT_EQ(70, h[3]);
	EXPECT_EQ(24, *v.prod);

	EXPECT_EQ(1, run(res, 8, 80));
	h = (__u32 *)(v.data + 24);
	EXPECT_EQ(16, h[0]);
	EXPECT_EQ(8, h[2]);
	EXPECT_EQ(80, h[3]);
	EXPECT_EQ((8 ^ 80 ^ 0x5a5a5a5a), h[4]);
	EXPECT_EQ(48, *v.prod);

	EXPECT_EQ(1, run(dis, 9, 90));
	h = (__u32 *)(v.data + 48);
	EXPECT_EQ(12 | XBPF_RINGBUF_DISCARD_BIT, h[0]);
	EXPECT_EQ(72, *v.prod);

	EXPECT_EQ(72, run(q[XBPF_RB_AVAIL_DATA], 0, 0));
	EXPECT_EQ(72, run(q[XBPF_RB_PROD_POS], 0, 0));
	EXPECT_EQ(0, run(q[XBPF_RB_CONS_POS], 0, 0));
	EXPECT_EQ(2, view_consume(&v, NULL, NULL));	/* the discarded one is skipped */
	EXPECT_EQ(72, *v.cons);
	EXPECT_EQ(72, run(q[XBPF_RB_CONS_POS], 0, 0));
	EXPECT_EQ(0, run(q[XBPF_RB_AVAIL_DATA], 0, 0));

	view_unmap(&v);
	close(out);
	close(res);
	close(dis);
	for (i = 0; i < 4; i++)
		close(q[i]);
	close(fd);
}

static int epoll_events(int ep, int ms)
{
	struct epoll_event ev[2];
	int n = epoll_wait(ep, ev, 2, ms);

	if (n == 1 && !(ev[0].events & EPOLLIN))
		return -2;
	return n;
}

TEST(epoll_wakeups)
{
	int fd = rb_create(PG), ep, plain, nowake, force, afd;
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pfd;
	struct view v;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, PG, &v));
	plain = load_reserve(fd, 16, 0, 0);
	nowake = load_reserve(fd, 16, XBPF_RB_NO_WAKEUP, 0);
	force = load_reserve(fd, 16, XBPF_RB_FORCE_WAKEUP, 0);
	ASSERT_GE(plain, 0);
	ASSERT_GE(nowake, 0);
	ASSERT_GE(force, 0);
	ep = epoll_create1(0);
	ASSERT_GE(ep, 0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, epoll_events(ep, 0));

	/* NO_WAKEUP: the record is there, nobody is told */
	EXPECT_EQ(1, run(nowake, 1, 1));
	EXPECT_EQ(0, epoll_events(ep, 200));
	/* poll() itself still sees data (it asks, it is not woken) */
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(1, view_consume(&v, NULL, NULL));

	/* consumer caught up and waiting at the record: woken */
	EXPECT_EQ(1, run(plain, 2, 2));
	EXPECT_EQ(1, epoll_events(ep, 2000));
	EXPECT_EQ(1, view_consume(&v, NULL, NULL));
	EXPECT_EQ(0, epoll_events(ep, 0));	/* level: nothing left */

	/* consumer behind the record: no wakeup, however many */
	EXPECT_EQ(1, run(nowake, 3, 3));
	EXPECT_EQ(1, run(plain, 4, 4));
	EXPECT_EQ(1, run(plain, 5, 5));
	EXPECT_EQ(0, epoll_events(ep, 200));
	/* FORCE_WAKEUP: woken anyway */
	EXPECT_EQ(1, run(force, 6, 6));
	EXPECT_EQ(1, epoll_events(ep, 2000));
	EXPECT_EQ(4, view_consume(&v, NULL, NULL));
	EXPECT_EQ(0, epoll_events(ep, 0));

	/* poll on other map types: EPOLLERR */
	afd = map_create(XBPF_MAP_TYPE_ARRAY, 4, 8, 1);
	pfd = (struct pollfd){ .fd = afd, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLERR);
	close(afd);
	close(ep);
	view_unmap(&v);
	close(plain);
	close(nowake);
	close(force);
	close(fd);
}

TEST(full_ring_never_blocks)
{
	int fd = rb_create(PG), res, out, n = 0, i;
	struct view v;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, PG, &v));
	res = load_reserve(fd, 16, XBPF_RB_NO_WAKEUP, 0);
	out = load_output(fd, 0);
	ASSERT_GE(res, 0);
	ASSERT_GE(out, 0);
	/* 24 bytes a record: 170 fit in 4095 bytes, the 171st does not */
	for (i = 0; i < 200; i++)
		if (run(res, 1, i) == 1)
			n++;
	EXPECT_EQ(170, n);
	EXPECT_EQ(170 * 24, *v.prod);
	EXPECT_EQ((__u32)-EAGAIN, (__u32)run(out, 1, 1000));
	EXPECT_EQ(170, view_consume(&v, NULL, NULL));
	EXPECT_EQ(0, run(out, 1, 1001));
	view_unmap(&v);
	close(res);
	close(out);
	close(fd);
}

struct seq_check {
	__u32	next;
	int	bad;
};

static void check_seq(void *ctx, const unsigned char *rec, __u32 len)
{
	struct seq_check *s = ctx;
	__u32 w[3];

	memcpy(w, rec, sizeof(w));
	if (w[1] != s->next || w[2] != (w[0] ^ w[1] ^ 0x5a5a5a5a))
		s->bad++;
	s->next++;
}

TEST(wrap_around)
{
	int fd = rb_create(PG), small, big, i;
	struct seq_check s = { 0, 0 };
	unsigned long straddled = 0;
	struct view v;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, PG, &v));
	small = load_reserve(fd, 16, 0, 0);
	big = load_reserve(fd, 200, 0, 0);
	ASSERT_GE(small, 0);
	ASSERT_GE(big, 0);
	for (i = 0; i < 300; i++) {
		unsigned long pos = *v.prod;

		ASSERT_EQ(1, run(i % 3 ? big : small, 5, i));
		if ((pos & v.mask) + (*v.prod - pos) > PG)
			straddled++;
		/* the double mapping: the copy after the end is the start */
		EXPECT_EQ(0, memcmp(v.data, v.data + PG, PG));
		EXPECT_EQ(1, view_consume(&v, check_seq, &s));
	}
	EXPECT_EQ(300, s.next);
	EXPECT_EQ(0, s.bad);
	EXPECT_GT(straddled, 0);
	EXPECT_GT(*v.prod, 10 * PG);
	view_unmap(&v);
	close(small);
	close(big);
	close(fd);
}

TEST(hostile_consumer)
{
	static const unsigned long bad[] = {
		1, 8, PG, PG + 8, 100000, ~0UL, 1UL << 63, 0x5555555555555555UL,
	};
	int fd = rb_create(PG), out, res, q, i, j;
	struct view v;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, PG, &v));
	out = load_output(fd, XBPF_RB_FORCE_WAKEUP);
	res = load_reserve(fd, 64, 0, 0);
	q = load_query(fd, XBPF_RB_AVAIL_DATA);
	ASSERT_GE(out, 0);
	ASSERT_GE(res, 0);
	ASSERT_GE(q, 0);
	for (i = 0; i < (int)ARRAY_LEN(bad); i++) {
		*v.cons = *v.prod + bad[i];
		for (j = 0; j < 50; j++) {
			long r = run(j & 1 ? out : res, 1, j);

			ASSERT_NE(-1, r);
		}
		run(q, 0, 0);
		*v.cons = *v.prod - bad[i];
		for (j = 0; j < 50; j++)
			ASSERT_NE(-1, run(j & 1 ? out : res, 1, j));
	}
	/* sane again: the ring works */
	*v.cons = *v.prod;
	EXPECT_EQ(0, run(out, 2, 2));
	EXPECT_EQ(1, view_consume(&v, NULL, NULL));
	/* the data pages stay read-only whatever happened */
	EXPECT_EQ(-1, mprotect(v.prod, PG, PROT_READ | PROT_WRITE));
	view_unmap(&v);
	close(out);
	close(res);
	close(q);
	close(fd);
}

TEST(mapping_outlives_fd)
{
	long base;
	int fd, out;
	struct view v;

	/* the device fd pins the module too: open it before counting */
	ASSERT_GE(xbpf_dev(), 0);
	base = stable_refcnt();
	fd = rb_create(PG);
	ASSERT_GE(base, 0);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, PG, &v));
	out = load_output(fd, 0);
	ASSERT_GE(out, 0);
	EXPECT_EQ(0, run(out, 3, 33));
	close(out);
	close(fd);
	usleep(200 * 1000);
	/* the mappings hold the map: still readable, positions intact */
	EXPECT_EQ(24, *v.prod);
	EXPECT_EQ(33, ((__u32 *)v.data)[3]);
	EXPECT_EQ(1, view_consume(&v, NULL, NULL));
	EXPECT_GT(read_refcnt(), base);
	munmap(v.cons, PG);
	EXPECT_GT(stable_refcnt(), base);	/* the read-only mapping still holds it */
	munmap(v.prod, v.ro_len);
	EXPECT_EQ(base, wait_refcnt(base, 5000));
}

/* ---- several producers against one consumer ------------------------------ */

#define NTHREADS	4
#define PER_THREAD	3000

struct stress {
	int		prog;
	__u32		failed[NTHREADS];
	volatile int	done;
};

struct stress_arg {
	struct stress	*st;
	__u32		id;
};

static void *stress_producer(void *arg)
{
	struct stress_arg *a = arg;
	__u32 seq;

	for (seq = 0; seq < PER_THREAD; seq++) {
		long r = run(a->st->prog, a->id, seq);

		if (r != 1)
			a->st->failed[a->id]++;
	}
	__atomic_fetch_add(&a->st->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

struct stress_check {
	long	last[NTHREADS];
	__u32	got[NTHREADS];
	int	bad;
};

static void stress_record(void *ctx, const unsigned char *rec, __u32 len)
{
	struct stress_check *c = ctx;
	__u32 w[3];

	memcpy(w, rec, sizeof(w));
	if (len != 16 || w[0] >= NTHREADS || (long)w[1] <= c->last[w[0]] ||
	    w[2] != (w[0] ^ w[1] ^ 0x5a5a5a5a)) {
		c->bad++;
		return;
	}
	c->last[w[0]] = w[1];
	c->got[w[0]]++;
}

TEST(multi_producer_stress)
{
	struct stress_arg args[NTHREADS];
	struct stress_check chk = {};
	struct epoll_event ev = { .events = EPOLLIN };
	static struct stress st;
	pthread_t th[NTHREADS];
	int fd = rb_create(4 * PG), ep, i;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	__u32 got = 0, failed = 0;
	struct view v;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, view_map(fd, 4 * PG, &v));
	memset(&st, 0, sizeof(st));
	st.prog = load_reserve(fd, 16, 0, 0);
	ASSERT_GE(st.prog, 0);
	ep = epoll_create1(0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	for (i = 0; i < NTHREADS; i++) {
		chk.last[i] = -1;
		args[i] = (struct stress_arg){ &st, i };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, stress_producer, &args[i]));
	}
	while (__atomic_load_n(&st.done, __ATOMIC_ACQUIRE) < NTHREADS) {
		epoll_wait(ep, &ev, 1, 10);
		view_consume(&v, stress_record, &chk);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	view_consume(&v, stress_record, &chk);
	for (i = 0; i < NTHREADS; i++) {
		EXPECT_EQ(PER_THREAD, chk.got[i] + st.failed[i]);
		got += chk.got[i];
		failed += st.failed[i];
	}
	EXPECT_EQ(0, chk.bad);
	EXPECT_EQ(*v.cons, *v.prod);
	EXPECT_GT(got, PER_THREAD);
	TH_LOG("%ld cpus, %d threads: %u records received intact and in order, %u failed reservations",
	       cpus, NTHREADS, got, failed);
	close(ep);
	view_unmap(&v);
	close(st.prog);
	close(fd);
}

TEST_HARNESS_MAIN

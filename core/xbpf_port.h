/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one portability header.  The core (interp/, verifier/, maps/, core/,
 * later jit/) includes only this and xbpf_core.h, and so compiles unchanged
 * as kernel code (inside xbpf.ko) and as a userspace library (libxbpf.a)
 * that the host unit tests, the fuzzer and `xbpf --offline` link.
 *
 * Rules for the core: no kernel header and no libc header outside this
 * file; allocate, lock, defer and copy only through the xbpf_* names below.
 * The userspace half models kernel semantics closely enough to test the
 * core (RCU readers are no-ops and deferred frees run at once: the offline
 * build is single-threaded per object; locks are real).
 */
#ifndef _XBPF_PORT_H
#define _XBPF_PORT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/atomic.h>
#include <linux/uaccess.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/bitops.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/printk.h>
#include <linux/overflow.h>
#include <linux/sort.h>
#include <asm/byteorder.h>
#include <asm/unaligned.h>

#define xbpf_kzalloc(sz)	kzalloc((sz), GFP_KERNEL_ACCOUNT | __GFP_NOWARN)
#define xbpf_kvzalloc(sz)	kvzalloc((sz), GFP_KERNEL_ACCOUNT | __GFP_NOWARN)
/* for allocation from a running program: any context, never sleeps */
#define xbpf_kzalloc_atomic(sz)	kzalloc((sz), GFP_ATOMIC | __GFP_NOWARN)
#define xbpf_kfree(p)		kfree(p)
#define xbpf_kvfree(p)		kvfree(p)

typedef raw_spinlock_t xbpf_lock_t;
#define xbpf_lock_init(l)		raw_spin_lock_init(l)
#define xbpf_lock_irqsave(l, f)		raw_spin_lock_irqsave((l), (f))
#define xbpf_unlock_irqrestore(l, f)	raw_spin_unlock_irqrestore((l), (f))
/* true when taken; for contexts that must not spin (NMI) */
#define xbpf_trylock_irqsave(l, f)	raw_spin_trylock_irqsave((l), (f))
#define xbpf_in_nmi()			in_nmi()

typedef refcount_t xbpf_refcount_t;
#define xbpf_refcount_set(r, n)		refcount_set((r), (n))
#define xbpf_refcount_inc(r)		refcount_inc(r)
#define xbpf_refcount_inc_not_zero(r)	refcount_inc_not_zero(r)
#define xbpf_refcount_dec_and_test(r)	refcount_dec_and_test(r)
#define xbpf_refcount_read(r)		refcount_read(r)

typedef struct rcu_head xbpf_rcu_head_t;
#define xbpf_rcu_read_lock()		rcu_read_lock()
#define xbpf_rcu_read_unlock()		rcu_read_unlock()
#define xbpf_rcu_dereference(p)		rcu_dereference_check((p), rcu_read_lock_bh_held() || rcu_read_lock_sched_held())
#define xbpf_rcu_assign_pointer(p, v)	rcu_assign_pointer((p), (v))
#define xbpf_call_rcu(h, fn)		call_rcu((h), (fn))
#define xbpf_synchronize_rcu()		synchronize_rcu()

#define xbpf_copy_to_user(dst, src, n)	copy_to_user((void __user *)(uintptr_t)(dst), (src), (n))
#define xbpf_copy_from_user(dst, src, n) copy_from_user((dst), (const void __user *)(uintptr_t)(src), (n))

#define xbpf_ktime_get_ns()		ktime_get_mono_fast_ns()
#define xbpf_ktime_get_boot_ns()	ktime_get_boot_fast_ns()
#define xbpf_prandom_u32()		get_random_u32()
#define xbpf_smp_processor_id()		raw_smp_processor_id()
#define xbpf_cond_resched()		cond_resched()

#define xbpf_pr_warn(fmt, ...)		pr_warn("xbpf: " fmt, ##__VA_ARGS__)

#define XBPF_PAGE_SIZE			PAGE_SIZE
#define XBPF_PAGE_SHIFT			PAGE_SHIFT
/* Exchange, fully ordered (a barrier before and after). */
#define xbpf_xchg(p, v)			xchg((p), (v))
/*
 * Writers that a program may call: a program in NMI context that
 * interrupted the holder on this CPU would spin for ever, so there it
 * only tries the lock (as Linux's queue and stack maps).  True if held.
 */
#define xbpf_lock_irqsave_try_nmi(l, f)	({				\
	bool __held = true;						\
	if (in_nmi())							\
		__held = raw_spin_trylock_irqsave((l), (f));		\
	else								\
		raw_spin_lock_irqsave((l), (f));			\
	__held;								\
})

/*
 * CPUs, for per-CPU map values: a map keeps nr_cpu_ids slots per value,
 * indexed by CPU id; user space sees the possible CPUs' slots packed, in
 * CPU order (bpf(2)'s layout).
 */
#define xbpf_nr_cpu_slots()		nr_cpu_ids
#define xbpf_num_possible_cpus()	num_possible_cpus()
#define xbpf_for_each_possible_cpu(c)	for_each_possible_cpu(c)

/* Zeroed, page-aligned, mappable into user space (remap_vmalloc_range). */
#define xbpf_vmalloc_user(sz)		vmalloc_user(sz)
#define xbpf_vfree(p)			vfree(p)

#else /* userspace */

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <endian.h>
#include <byteswap.h>
#include <linux/types.h>

typedef __u8  u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8  s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* kernel-internal errno, same number as Linux */
#endif

#ifndef U8_MAX
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))
#endif

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline	/* glibc's <sys/cdefs.h> may define it already */
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __maybe_unused		__attribute__((unused))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define fallthrough		__attribute__((fallthrough))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define WARN_ON_ONCE(c)		xbpf_user_warn(!!(c), #c, __FILE__, __LINE__)
#define WARN_ON(c)		WARN_ON_ONCE(c)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)

static inline int xbpf_user_warn(int cond, const char *what, const char *file, int line)
{
	if (cond)
		fprintf(stderr, "xbpf: WARNING %s at %s:%d\n", what, file, line);
	return cond;
}

#define cpu_to_be16(x)		htobe16(x)
#define cpu_to_be32(x)		htobe32(x)
#define cpu_to_be64(x)		htobe64(x)
#define cpu_to_le16(x)		htole16(x)
#define cpu_to_le32(x)		htole32(x)
#define cpu_to_le64(x)		htole64(x)
#define be16_to_cpu(x)		be16toh(x)
#define be32_to_cpu(x)		be32toh(x)
#define be64_to_cpu(x)		be64toh(x)
#define swab16(x)		bswap_16(x)
#define swab32(x)		bswap_32(x)
#define swab64(x)		bswap_64(x)

static inline u16 get_unaligned_be16(const void *p) { u16 v; memcpy(&v, p, 2); return be16toh(v); }
static inline u32 get_unaligned_be32(const void *p) { u32 v; memcpy(&v, p, 4); return be32toh(v); }

#define xbpf_kzalloc(sz)		calloc(1, (sz))
#define xbpf_kvzalloc(sz)		calloc(1, (sz))
#define xbpf_kzalloc_atomic(sz)		calloc(1, (sz))
#define xbpf_kfree(p)			free(p)
#define xbpf_kvfree(p)			free(p)

typedef pthread_mutex_t xbpf_lock_t;
#define xbpf_lock_init(l)		pthread_mutex_init((l), NULL)
#define xbpf_lock_irqsave(l, f)		do { (void)(f); pthread_mutex_lock(l); } while (0)
#define xbpf_unlock_irqrestore(l, f)	do { (void)(f); pthread_mutex_unlock(l); } while (0)
#define xbpf_trylock_irqsave(l, f)	({ (void)(f); pthread_mutex_trylock(l) == 0; })
#define xbpf_in_nmi()			false

typedef struct { int refs; } xbpf_refcount_t;
#define xbpf_refcount_set(r, n)		__atomic_store_n(&(r)->refs, (n), __ATOMIC_RELAXED)
#define xbpf_refcount_inc(r)		__atomic_add_fetch(&(r)->refs, 1, __ATOMIC_RELAXED)
#define xbpf_refcount_dec_and_test(r)	(__atomic_sub_fetch(&(r)->refs, 1, __ATOMIC_ACQ_REL) == 0)
#define xbpf_refcount_read(r)		__atomic_load_n(&(r)->refs, __ATOMIC_RELAXED)
static inline bool xbpf_refcount_inc_not_zero(xbpf_refcount_t *r)
{
	int old = __atomic_load_n(&r->refs, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}

/* RCU in the offline build: readers are no-ops, grace periods are immediate. */
typedef struct xbpf_rcu_head { void *unused; } xbpf_rcu_head_t;
#define xbpf_rcu_read_lock()		do { } while (0)
#define xbpf_rcu_read_unlock()		do { } while (0)
#define xbpf_rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define xbpf_rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define xbpf_call_rcu(h, fn)		(fn)(h)
#define xbpf_synchronize_rcu()		do { } while (0)

/* "User" pointers in the offline build are ordinary pointers. */
static inline unsigned long xbpf_copy_to_user(u64 dst, const void *src, size_t n)
{
	memcpy((void *)(uintptr_t)dst, src, n);
	return 0;
}

static inline unsigned long xbpf_copy_from_user(void *dst, u64 src, size_t n)
{
	memcpy(dst, (const void *)(uintptr_t)src, n);
	return 0;
}

u64 xbpf_ktime_get_ns(void);
u64 xbpf_ktime_get_boot_ns(void);
u32 xbpf_prandom_u32(void);
/*
 * The offline build's "CPUs": XBPF_USER_NR_CPUS of them, all possible;
 * a thread runs on the CPU it set in xbpf_user_cpu (0 unless it chose),
 * so tests can place programs and see per-CPU values apart.
 */
#define XBPF_USER_NR_CPUS		4
extern __thread u32 xbpf_user_cpu;
#define xbpf_smp_processor_id()		(xbpf_user_cpu % XBPF_USER_NR_CPUS)
#define xbpf_nr_cpu_slots()		XBPF_USER_NR_CPUS
#define xbpf_num_possible_cpus()	XBPF_USER_NR_CPUS
#define xbpf_for_each_possible_cpu(c)	for ((c) = 0; (c) < XBPF_USER_NR_CPUS; (c)++)
#define xbpf_cond_resched()		do { } while (0)
#define xbpf_pr_warn(fmt, ...)		fprintf(stderr, "xbpf: " fmt, ##__VA_ARGS__)

/* The host build targets 4 KiB pages (x86-64); ringbuf_user.c checks it. */
#define XBPF_PAGE_SHIFT			12
#define XBPF_PAGE_SIZE			(1UL << XBPF_PAGE_SHIFT)
/*
 * Fully ordered like the kernel's xchg(): C11 orders a seq_cst RMW before
 * later seq_cst accesses only, so a fence keeps later acquire loads after it.
 */
#define xbpf_xchg(p, v) ({						\
	__typeof__(*(p)) __prev = __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST); \
	__atomic_thread_fence(__ATOMIC_SEQ_CST);			\
	__prev;								\
})
/* No NMI in a process: always taken. */
#define xbpf_lock_irqsave_try_nmi(l, f)	({ (void)(f); pthread_mutex_lock(l); true; })

static inline void *xbpf_vmalloc_user(size_t sz)
{
	void *p = aligned_alloc(XBPF_PAGE_SIZE, ALIGN(sz, XBPF_PAGE_SIZE));

	if (p)
		memset(p, 0, ALIGN(sz, XBPF_PAGE_SIZE));
	return p;
}
#define xbpf_vfree(p)			free(p)

#endif /* __KERNEL__ */

/* Atomic read-modify-write on program memory (BPF_ATOMIC), both builds. */
#define xbpf_atomic_fetch_add(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define xbpf_atomic_fetch_and(p, v)	__atomic_fetch_and((p), (v), __ATOMIC_SEQ_CST)
#define xbpf_atomic_fetch_or(p, v)	__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#define xbpf_atomic_fetch_xor(p, v)	__atomic_fetch_xor((p), (v), __ATOMIC_SEQ_CST)
#define xbpf_atomic_xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
/* Returns the old value; stores v only when *p == expected. */
#define xbpf_atomic_cmpxchg(p, expected, v) ({				\
	__typeof__(*(p)) __old = (expected);				\
	__atomic_compare_exchange_n((p), &__old, (v), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
	__old;								\
})

#endif /* _XBPF_PORT_H */

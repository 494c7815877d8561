// SPDX-License-Identifier: GPL-2.0
/*
 * Map core, ARRAY and HASH (maps/): parameter checks, Linux's element
 * semantics and errnos, iteration, and a concurrent smoke test.
 *
 * The offline build runs RCU callbacks at once, so lock-free readers
 * (lookup, get_next_key) must not race deletes here; the threads below
 * race the locked paths (update, delete and their lookups) and lookups
 * of an array.  Readers racing deletes are covered in the VM.
 */
#include <pthread.h>
#include "lib/xbpf_test.h"

static struct xbpf_map *mk(u32 type, u32 ks, u32 vs, u32 max, u32 flags, int *err)
{
	struct xbpf_map_params p = {
		.map_type = type, .key_size = ks, .value_size = vs,
		.max_entries = max, .map_flags = flags,
	};

	return xbpf_map_create(&p, err);
}

static int mk_err(u32 type, u32 ks, u32 vs, u32 max, u32 flags)
{
	struct xbpf_map *m;
	int err;

	m = mk(type, ks, vs, max, flags, &err);
	if (m) {
		xbpf_map_put(m);
		return 0;
	}
	return err;
}

static int mk_name_err(const char *name, size_t n)
{
	struct xbpf_map_params p = {
		.map_type = XBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = 1,
	};
	struct xbpf_map *m;
	int err;

	memcpy(p.name, name, n);
	m = xbpf_map_create(&p, &err);
	if (m) {
		xt_report(!strcmp(m->name, name), "name '%s' stored", name);
		xbpf_map_put(m);
		return 0;
	}
	return err;
}

static void test_create(void)
{
	const u32 A = XBPF_MAP_TYPE_ARRAY, H = XBPF_MAP_TYPE_HASH;

	xt_report(xbpf_map_type_supported(A) && xbpf_map_type_supported(H) &&
		  !xbpf_map_type_supported(XBPF_MAP_TYPE_UNSPEC) &&
		  !xbpf_map_type_supported(XBPF_MAP_TYPE_LPM_TRIE) &&
		  !xbpf_map_type_supported(__XBPF_MAP_TYPE_MAX) &&
		  !xbpf_map_type_supported(~0U), "type_supported: array, hash only");
	xt_report(mk_err(XBPF_MAP_TYPE_UNSPEC, 4, 4, 1, 0) == -EINVAL, "create: UNSPEC -EINVAL");
	xt_report(mk_err(XBPF_MAP_TYPE_LPM_TRIE, 4, 4, 1, 0) == -EINVAL, "create: unsupported type -EINVAL");
	xt_report(mk_err(1000, 4, 4, 1, 0) == -EINVAL, "create: out-of-range type -EINVAL");
	xt_report(mk_err(A, 4, 4, 1, 0) == 0, "array: minimal");
	xt_report(mk_err(A, 0, 4, 1, 0) == -EINVAL, "array: key_size 0");
	xt_report(mk_err(A, 8, 4, 1, 0) == -EINVAL, "array: key_size 8");
	xt_report(mk_err(A, 4, 0, 1, 0) == -EINVAL, "array: value_size 0");
	xt_report(mk_err(A, 4, 4, 0, 0) == -EINVAL, "array: max_entries 0");
	xt_report(mk_err(A, 4, (1U << 20) + 1, 1, 0) == -E2BIG, "array: value too big");
	xt_report(mk_err(A, 4, 1U << 20, 1, 0) == 0, "array: largest value");
	xt_report(mk_err(A, 4, 1U << 20, 1U << 20, 0) == -E2BIG, "array: total size too big");
	xt_report(mk_err(A, 4, 8, 0xffffffffU, 0) == -E2BIG, "array: total size overflow");
	xt_report(mk_err(A, 4, 4, 1, XBPF_F_NO_PREALLOC) == -EINVAL, "array: NO_PREALLOC -EINVAL");
	xt_report(mk_err(A, 4, 4, 1, XBPF_F_MMAPABLE) == 0, "array: MMAPABLE");
	xt_report(mk_err(A, 4, 4, 1, XBPF_F_RDONLY_PROG) == 0, "array: RDONLY_PROG");
	xt_report(mk_err(A, 4, 4, 1, XBPF_F_RDONLY | XBPF_F_WRONLY) == -EINVAL,
		  "array: RDONLY|WRONLY");
	xt_report(mk_err(A, 4, 4, 1, XBPF_F_RDONLY_PROG | XBPF_F_WRONLY_PROG) == -EINVAL,
		  "array: RDONLY_PROG|WRONLY_PROG");
	xt_report(mk_err(A, 4, 4, 1, 1U << 20) == -EINVAL, "array: unknown flag");
	xt_report(mk_err(H, 1, 1, 1, 0) == 0, "hash: minimal");
	xt_report(mk_err(H, 512, 4, 1, 0) == 0, "hash: key 512");
	xt_report(mk_err(H, 513, 4, 1, 0) == -E2BIG, "hash: key 513 -E2BIG");
	xt_report(mk_err(H, 0, 4, 1, 0) == -EINVAL, "hash: key 0");
	xt_report(mk_err(H, 4, 0, 1, 0) == -EINVAL, "hash: value 0");
	xt_report(mk_err(H, 4, 4, 0, 0) == -EINVAL, "hash: max_entries 0");
	xt_report(mk_err(H, 4, 4, 0x80000001U, 0) == -E2BIG, "hash: max_entries > 2^31");
	xt_report(mk_err(H, 4, 4, 1, XBPF_F_NO_PREALLOC | XBPF_F_ZERO_SEED) == 0,
		  "hash: NO_PREALLOC|ZERO_SEED");
	xt_report(mk_err(H, 4, 4, 1, XBPF_F_NO_COMMON_LRU) == -EINVAL, "hash: NO_COMMON_LRU");
	xt_report(mk_err(H, 4, 4, 1, XBPF_F_MMAPABLE) == -EINVAL, "hash: MMAPABLE");

	xt_report(mk_name_err("", 1) == 0, "name: empty");
	xt_report(mk_name_err("my_map.bss", 11) == 0, "name: alnum _ .");
	xt_report(mk_name_err("0123456789abcde", 16) == 0, "name: 15 chars");
	xt_report(mk_name_err("0123456789abcdef", 16) == -EINVAL, "name: 16 chars, no NUL");
	xt_report(mk_name_err("bad-name", 9) == -EINVAL, "name: '-'");
	xt_report(mk_name_err("sp ace", 7) == -EINVAL, "name: space");
}

static void test_refcount(void)
{
	struct xbpf_map *m;
	int err;

	m = mk(XBPF_MAP_TYPE_HASH, 4, 4, 4, 0, &err);
	xt_report(m && !err && xbpf_refcount_read(&m->refcnt) == 1 &&
		  m->map_type == XBPF_MAP_TYPE_HASH && m->key_size == 4 &&
		  m->max_entries == 4 && m->ops, "create: common fields, refcnt 1");
	xbpf_map_get(m);
	xt_report(xbpf_refcount_read(&m->refcnt) == 2, "get: refcnt 2");
	xbpf_map_put(m);
	xt_report(xbpf_refcount_read(&m->refcnt) == 1, "put: refcnt 1");
	xbpf_map_put(m);	/* freed; ASan catches a leak or double free */
	xbpf_map_put(NULL);
	xt_report(true, "put: last reference frees, NULL is a no-op");
}

static void test_array(void)
{
	struct xbpf_map *m;
	u32 k, nk;
	u64 addr;
	void *p;
	int err;

	m = mk(XBPF_MAP_TYPE_ARRAY, 4, 12, 3, 0, &err);
	if (!m) {
		xt_report(false, "array: create (%d)", err);
		return;
	}
	k = 0;
	p = m->ops->lookup(m, &k);
	xt_report(p && !memcmp(p, "\0\0\0\0\0\0\0\0\0\0\0\0", 12), "array: zero-filled");
	xt_report(((uintptr_t)p & 7) == 0, "array: value 8-aligned");
	k = 1;
	xt_report(((uintptr_t)m->ops->lookup(m, &k) & 7) == 0, "array: 12-byte values keep 8-alignment");
	k = 3;
	xt_report(!m->ops->lookup(m, &k), "array: lookup out of range NULL");
	k = 0xffffffff;
	xt_report(!m->ops->lookup(m, &k), "array: lookup ~0 NULL");

	{
		u8 val[12] = "abcdefghijk";

		k = 2;
		xt_report(m->ops->update(m, &k, val, XBPF_ANY) == 0 &&
			  !memcmp(m->ops->lookup(m, &k), val, 12), "array: update ANY");
		xt_report(m->ops->update(m, &k, val, XBPF_EXIST) == 0, "array: update EXIST");
		xt_report(m->ops->update(m, &k, val, XBPF_NOEXIST) == -EEXIST, "array: update NOEXIST -EEXIST");
		xt_report(m->ops->update(m, &k, val, XBPF_F_LOCK) == -EINVAL, "array: F_LOCK -EINVAL");
		xt_report(m->ops->update(m, &k, val, 3) == -EINVAL, "array: flags 3 -EINVAL");
		xt_report(m->ops->update(m, &k, val, 1ULL << 40) == -EINVAL, "array: flags high -EINVAL");
		k = 3;
		xt_report(m->ops->update(m, &k, val, XBPF_ANY) == -E2BIG, "array: update out of range -E2BIG");
	}
	k = 1;
	xt_report(m->ops->delete(m, &k) == -EINVAL, "array: delete -EINVAL");

	xt_report(m->ops->get_next_key(m, NULL, &nk) == 0 && nk == 0, "array: next(NULL) 0");
	k = 0;
	xt_report(m->ops->get_next_key(m, &k, &nk) == 0 && nk == 1, "array: next(0) 1");
	k = 1;
	xt_report(m->ops->get_next_key(m, &k, &nk) == 0 && nk == 2, "array: next(1) 2");
	k = 2;
	xt_report(m->ops->get_next_key(m, &k, &nk) == -ENOENT, "array: next(last) -ENOENT");
	k = 77;
	xt_report(m->ops->get_next_key(m, &k, &nk) == 0 && nk == 0, "array: next(out of range) 0");

	xt_report(m->ops->direct_value_addr(m, &addr, 0) == -ENOTSUPP,
		  "array: direct value needs max_entries 1");
	xbpf_map_put(m);

	m = mk(XBPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, &err);
	k = 0;
	xt_report(m->ops->direct_value_addr(m, &addr, 7) == 0 &&
		  addr == (u64)(uintptr_t)m->ops->lookup(m, &k), "array: direct value addr");
	xt_report(m->ops->direct_value_addr(m, &addr, 8) == -EINVAL, "array: direct value off == size");
	xbpf_map_put(m);
}

static void test_hash(void)
{
	struct xbpf_map *m;
	u8 key[7], nk[7], val[5];
	u32 seen, i, bits;
	void *p;
	int err;

	m = mk(XBPF_MAP_TYPE_HASH, 7, 5, 4, 0, &err);
	if (!m) {
		xt_report(false, "hash: create (%d)", err);
		return;
	}
	memset(key, 0, sizeof(key));
	xt_report(!m->ops->lookup(m, key), "hash: empty lookup NULL");
	xt_report(m->ops->get_next_key(m, NULL, nk) == -ENOENT, "hash: empty next -ENOENT");
	xt_report(m->ops->get_next_key(m, key, nk) == -ENOENT, "hash: empty next(key) -ENOENT");
	xt_report(m->ops->delete(m, key) == -ENOENT, "hash: delete missing -ENOENT");
	memcpy(val, "v0000", 5);
	xt_report(m->ops->update(m, key, val, XBPF_EXIST) == -ENOENT, "hash: EXIST on missing -ENOENT");
	xt_report(m->ops->update(m, key, val, XBPF_F_LOCK) == -EINVAL, "hash: F_LOCK -EINVAL");
	xt_report(m->ops->update(m, key, val, 3) == -EINVAL, "hash: flags 3 -EINVAL");
	xt_report(m->ops->update(m, key, val, XBPF_NOEXIST) == 0, "hash: NOEXIST insert");
	p = m->ops->lookup(m, key);
	xt_report(p && !memcmp(p, "v0000", 5) && ((uintptr_t)p & 7) == 0, "hash: lookup value, 8-aligned");
	xt_report(m->ops->update(m, key, val, XBPF_NOEXIST) == -EEXIST, "hash: NOEXIST on present -EEXIST");
	memcpy(val, "v0001", 5);
	xt_report(m->ops->update(m, key, val, XBPF_EXIST) == 0 &&
		  !memcmp(m->ops->lookup(m, key), "v0001", 5), "hash: EXIST replaces");
	memcpy(val, "v0002", 5);
	xt_report(m->ops->update(m, key, val, XBPF_ANY) == 0 &&
		  !memcmp(m->ops->lookup(m, key), "v0002", 5), "hash: ANY replaces");

	for (i = 1; i < 4; i++) {
		key[0] = i;
		val[4] = '0' + i;
		err = m->ops->update(m, key, val, XBPF_ANY);
		if (err)
			break;
	}
	xt_report(!err, "hash: fill to max_entries");
	key[0] = 9;
	xt_report(m->ops->update(m, key, val, XBPF_ANY) == -E2BIG, "hash: full -E2BIG (ANY)");
	xt_report(m->ops->update(m, key, val, XBPF_NOEXIST) == -E2BIG, "hash: full -E2BIG (NOEXIST)");
	key[0] = 2;
	xt_report(m->ops->update(m, key, val, XBPF_ANY) == 0, "hash: full map still replaces");
	xt_report(m->ops->update(m, key, val, XBPF_EXIST) == 0, "hash: full map EXIST replaces");

	/* Iterate: every key exactly once, then -ENOENT. */
	seen = 0;
	err = m->ops->get_next_key(m, NULL, nk);
	for (i = 0; !err && i < 10; i++) {
		seen |= 1U << nk[0];
		memcpy(key, nk, 7);
		err = m->ops->get_next_key(m, key, nk);
	}
	xt_report(err == -ENOENT && i == 4 && seen == 0xf, "hash: iteration visits 4 keys once");
	memset(key, 0, 7);
	key[6] = 0x55;	/* not in the map: restart from the first key */
	xt_report(m->ops->get_next_key(m, key, nk) == 0 && !m->ops->get_next_key(m, NULL, key) &&
		  !memcmp(nk, key, 7), "hash: next(missing) is the first key");

	memset(key, 0, 7);
	key[0] = 1;
	xt_report(m->ops->delete(m, key) == 0 && !m->ops->lookup(m, key), "hash: delete");
	xt_report(m->ops->delete(m, key) == -ENOENT, "hash: delete twice -ENOENT");
	key[0] = 9;
	xt_report(m->ops->update(m, key, val, XBPF_NOEXIST) == 0, "hash: room after delete");
	xt_report(!m->ops->direct_value_addr, "hash: no direct value access");
	xbpf_map_put(m);	/* frees remaining elements (ASan leak check) */

	/* Many keys: everything found and iterable. */
	m = mk(XBPF_MAP_TYPE_HASH, 4, 8, 1000, 0, &err);
	for (i = 0; i < 1000 && !err; i++) {
		u64 v = (u64)i * 3;

		err = m->ops->update(m, &i, &v, XBPF_NOEXIST);
	}
	xt_report(!err, "hash: 1000 inserts");
	bits = 0;
	for (i = 0; i < 1000; i++) {
		u64 *v = m->ops->lookup(m, &i);

		bits += v && *v == (u64)i * 3;
	}
	xt_report(bits == 1000, "hash: 1000 lookups");
	{
		static u8 seen_k[1000];
		u32 k, nkey, n = 0;

		err = m->ops->get_next_key(m, NULL, &nkey);
		while (!err && n < 2000) {
			if (nkey < 1000)
				seen_k[nkey]++;
			n++;
			k = nkey;
			err = m->ops->get_next_key(m, &k, &nkey);
		}
		for (k = 0, bits = 0; k < 1000; k++)
			bits += seen_k[k] == 1;
		xt_report(err == -ENOENT && n == 1000 && bits == 1000,
			  "hash: iteration over 1000 keys, each once");
	}
	for (i = 0; i < 1000; i += 2)
		m->ops->delete(m, &i);
	for (i = 0, bits = 0; i < 1000; i++)
		bits += !!m->ops->lookup(m, &i) == (i & 1);
	xt_report(bits == 1000, "hash: deleted half, the other half intact");
	xbpf_map_put(m);
}

/* ---- concurrency smoke ---- */

#define NTHREADS	8
#define NKEYS		64
#define ITERS		20000

struct worker {
	pthread_t		th;
	struct xbpf_map		*hash;
	struct xbpf_map		*array;
	u32			id;
	u32			bad;
};

static u32 xs(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	u32 seed = 2463534242U + w->id * 7919, i;

	for (i = 0; i < ITERS; i++) {
		u32 r = xs(&seed);
		u32 key = r % NKEYS;
		u64 val[2] = { key, ~(u64)key };
		int err;

		switch ((r >> 8) % 4) {
		case 0:
			err = w->hash->ops->update(w->hash, &key, val, XBPF_ANY);
			if (err && err != -E2BIG)
				w->bad++;
			break;
		case 1:
			err = w->hash->ops->update(w->hash, &key, val, (r >> 12) % 2 + 1);
			if (err && err != -EEXIST && err != -ENOENT && err != -E2BIG)
				w->bad++;
			break;
		case 2:
			err = w->hash->ops->delete(w->hash, &key);
			if (err && err != -ENOENT)
				w->bad++;
			break;
		default: {
			/* Array values: written whole by one thread per slot. */
			u32 slot = w->id;
			u64 *v = w->array->ops->lookup(w->array, &slot);
			u64 nv[2] = { i, ~(u64)i };

			if (!v || (v[0] != ~v[1] && !(v[0] == 0 && v[1] == 0)))
				w->bad++;
			if (w->array->ops->update(w->array, &slot, nv, XBPF_EXIST))
				w->bad++;
			break;
		}
		}
	}
	return NULL;
}

static void test_concurrent(void)
{
	struct worker w[NTHREADS];
	struct xbpf_map *hash, *array;
	u32 i, bad = 0, n = 0, key, nk;
	int err;

	/* max_entries below NKEYS so -E2BIG is exercised too. */
	hash = mk(XBPF_MAP_TYPE_HASH, 4, 16, NKEYS / 2, 0, &err);
	array = mk(XBPF_MAP_TYPE_ARRAY, 4, 16, NTHREADS, 0, &err);
	if (!hash || !array) {
		xt_report(false, "concurrent: create");
		return;
	}
	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .hash = hash, .array = array, .id = i };
		pthread_create(&w[i].th, NULL, worker_fn, &w[i]);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(w[i].th, NULL);
		bad += w[i].bad;
	}
	xt_report(bad == 0, "concurrent: only expected errnos, no torn array values (%u bad)", bad);

	/* Quiescent now: iterate and check every element's value. */
	err = hash->ops->get_next_key(hash, NULL, &nk);
	while (!err && n <= NKEYS) {
		u64 *v = hash->ops->lookup(hash, &nk);

		if (!v || v[0] != nk || v[1] != ~(u64)nk)
			bad++;
		n++;
		key = nk;
		err = hash->ops->get_next_key(hash, &key, &nk);
	}
	xt_report(err == -ENOENT && n <= NKEYS / 2 && !bad,
		  "concurrent: %u elements <= max_entries, all intact", n);
	/* The count must match: fill the rest, the next insert is -E2BIG. */
	for (key = 0, i = n; key < NKEYS; key++) {
		u64 val[2] = { key, ~(u64)key };

		if (hash->ops->update(hash, &key, val, XBPF_NOEXIST) == 0)
			i++;
	}
	xt_report(i == NKEYS / 2, "concurrent: element count consistent (%u)", i);
	xbpf_map_put(hash);
	xbpf_map_put(array);
}

int main(void)
{
	test_create();
	test_refcount();
	test_array();
	test_hash();
	test_concurrent();
	return xt_finish();
}

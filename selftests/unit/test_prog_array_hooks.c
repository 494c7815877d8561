// SPDX-License-Identifier: GPL-2.0
/*
 * The PROG_ARRAY owner hooks (maps/prog_array_hooks.h) the module's JIT
 * patching hangs on, with a recording fake in place of module/jit_poke.c:
 * init and free once per array, every slot change (update, replace,
 * delete, the emptying at the last user reference) reported exactly once
 * with the right old and new programs, inside the hook lock, and none for
 * a change that changes nothing; the engine half of the owner rule
 * (prog->bpf_func) at update and at load, with the refusal reported.
 */
#include "lib/xbpf_test.h"
#include "maps/prog_array_hooks.h"

#define NPROGS	4

struct rec {
	u32				index;
	const struct xbpf_prog		*old, *new;
	bool				locked;
};

static struct {
	int		inits, frees, locks, unlocks, refused;
	int		depth;		/* lock nesting: 0 or 1 */
	bool		bad_nesting;
	void		*state;		/* what init handed out */
	bool		state_ok;	/* every call got it back */
	int		fail_init;	/* -errno for the next init */
	struct rec	log[64];
	int		nlog;
} f;

static int tag;	/* the fake's state: any address */

static int fake_init(struct xbpf_map *map, void **state)
{
	f.inits++;
	if (f.fail_init) {
		int err = f.fail_init;

		f.fail_init = 0;
		return err;
	}
	*state = &tag;
	f.state = &tag;
	return 0;
}

static void fake_free(struct xbpf_map *map, void *state)
{
	f.frees++;
	f.state_ok &= state == &tag;
}

static void fake_lock(void *state)
{
	f.locks++;
	f.bad_nesting |= f.depth++ != 0;
	f.state_ok &= state == &tag;
}

static void fake_unlock(void *state)
{
	f.unlocks++;
	f.bad_nesting |= --f.depth != 0;
}

static void fake_changed(struct xbpf_map *map, void *state, u32 index,
			 const struct xbpf_prog *old, const struct xbpf_prog *new)
{
	f.state_ok &= state == &tag;
	if (f.nlog < (int)ARRAY_SIZE(f.log))
		f.log[f.nlog++] = (struct rec){ index, old, new, f.depth == 1 };
}

static void fake_refused(const struct xbpf_map *map, const struct xbpf_prog *prog)
{
	f.refused++;
}

static const struct xbpf_prog_array_hooks fake = {
	.init = fake_init, .free = fake_free, .lock = fake_lock, .unlock = fake_unlock,
	.slot_changed = fake_changed, .refused = fake_refused,
};

static struct xbpf_prog *progs[NPROGS];

static struct xbpf_prog *from_fd(void *priv, u32 fd, int *err)
{
	if (fd >= NPROGS || !progs[fd]) {
		*err = -EBADF;
		return NULL;
	}
	xbpf_prog_get(progs[fd]);
	return progs[fd];
}

static int upd(struct xbpf_map *pa, u32 key, u32 fd)
{
	return xbpf_prog_array_update(pa, &key, &fd, XBPF_ANY, from_fd, NULL);
}

static bool rec_is(int i, u32 index, const struct xbpf_prog *old, const struct xbpf_prog *new)
{
	return i < f.nlog && f.log[i].index == index && f.log[i].old == old &&
	       f.log[i].new == new && f.log[i].locked;
}

static struct xbpf_map *mk_pa(u32 n, int *err)
{
	struct xbpf_map_params p = {
		.map_type = XBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4,
		.max_entries = n,
	};

	return xbpf_map_create(&p, err);
}

/* SYSCALL programs; "JIT" ones get a bpf_func (never called here). */
static struct xbpf_prog *mk_prog(bool jited)
{
	static u8 fake_image[16];
	struct xbpf_prog *p = xbpf_prog_alloc(1);

	if (!p)
		return NULL;
	p->type = XBPF_PROG_TYPE_SYSCALL;
	p->bpf_func = jited ? fake_image : NULL;
	return p;
}

static void test_slot_changes(void)
{
	struct xbpf_map *pa;
	u32 key;
	int err = 0, n;

	memset(&f, 0, sizeof(f));
	f.state_ok = true;
	pa = mk_pa(4, &err);
	xt_report(pa && f.inits == 1, "create calls init once");
	if (!pa)
		return;
	xt_report(xbpf_prog_array_hook_state(pa) == &tag, "hook_state gives init's state back");

	xt_report(!upd(pa, 1, 0) && rec_is(0, 1, NULL, progs[0]), "install: (NULL -> A) at 1");
	xt_report(!upd(pa, 1, 1) && rec_is(1, 1, progs[0], progs[1]), "replace: (A -> B)");
	n = f.nlog;
	xt_report(!upd(pa, 1, 1) && f.nlog == n, "B again: nothing changed, no call");
	fake_lock(&tag);
	xt_report(xbpf_prog_array_slot_locked(pa, 1) == progs[1] &&
		  !xbpf_prog_array_slot_locked(pa, 0) && !xbpf_prog_array_slot_locked(pa, 4),
		  "slot_locked reads the slots (NULL out of range)");
	fake_unlock(&tag);
	key = 1;
	xt_report(!pa->ops->delete(pa, &key) && rec_is(2, 1, progs[1], NULL), "delete: (B -> NULL)");
	n = f.nlog;
	xt_report(pa->ops->delete(pa, &key) == -ENOENT && f.nlog == n,
		  "delete of an empty slot: -ENOENT, no call");
	key = 9;
	xt_report(pa->ops->delete(pa, &key) == -E2BIG && f.nlog == n,
		  "delete out of range: -E2BIG, no call");
	xt_report(upd(pa, 9, 0) == -E2BIG && upd(pa, 0, 7) == -EBADF && f.nlog == n,
		  "failed updates: no call");
	/* a program's map_delete_elem never reaches the (sleeping) delete */
	xt_report(!upd(pa, 2, 0) && f.nlog == n + 1, "slot 2 filled");
	key = 2;
	xt_report(xbpf_helper_proto(XBPF_FUNC_map_delete_elem)->fn((u64)(uintptr_t)pa,
								    (u64)(uintptr_t)&key,
								    0, 0, 0) == (u64)-EOPNOTSUPP &&
		  f.nlog == n + 1 && xbpf_prog_array_slot_locked(pa, 2) == progs[0],
		  "bpf_map_delete_elem on a program array: -EOPNOTSUPP, slot kept");
	xt_report(!pa->ops->delete(pa, &key) && rec_is(n + 1, 2, progs[0], NULL),
		  "user space's delete empties it");

	/* the last user reference empties every occupied slot, each reported */
	xt_report(!upd(pa, 0, 0) && !upd(pa, 3, 1), "two slots filled");
	n = f.nlog;
	xbpf_map_get(pa);	/* a program's plain reference */
	xbpf_map_put_uref(pa);
	xt_report(f.nlog == n + 2 && rec_is(n, 0, progs[0], NULL) && rec_is(n + 1, 3, progs[1], NULL),
		  "release_uref: (A -> NULL) at 0, (B -> NULL) at 3");
	xt_report(upd(pa, 0, 0) == -EBADF && f.nlog == n + 2, "released: no update, no call");
	xt_report(f.frees == 0, "no free while a reference is left");
	xbpf_map_put(pa);
	xt_report(f.frees == 1, "the final put calls free once");
	xt_report(f.locks == f.unlocks && !f.bad_nesting && f.state_ok,
		  "locks balanced, never nested, every call got the array's state");
}

static void test_engine(void)
{
	struct xbpf_map *pa, *pa2;
	struct xbpf_prog *user;
	int err = 0;

	memset(&f, 0, sizeof(f));
	f.state_ok = true;
	pa = mk_pa(2, &err);
	pa2 = mk_pa(2, &err);
	if (!pa || !pa2) {
		xt_report(false, "engine: arrays");
		return;
	}
	/* progs[0], [1]: JIT; [2], [3]: interpreter */
	xt_report(!upd(pa, 0, 0) && !upd(pa, 1, 1), "JIT programs into a fresh array");
	xt_report(upd(pa, 1, 2) == -EINVAL && f.refused == 1,
		  "an interpreted one is refused (-EINVAL), and reported");
	xt_report(xbpf_prog_array_slot_locked(pa, 1) == progs[1], "the slot kept its program");
	xt_report(!upd(pa2, 0, 3) && upd(pa2, 1, 0) == -EINVAL && f.refused == 2,
		  "the other way round");

	/* a program using the arrays: checked at load against each */
	user = mk_prog(true);
	user->maps = calloc(2, sizeof(*user->maps));
	user->maps[0] = pa;
	user->nr_maps = 1;
	xt_report(!xbpf_prog_check_tail_engines(user), "a JIT user of a JIT array loads");
	user->maps[1] = pa2;
	user->nr_maps = 2;
	xt_report(xbpf_prog_check_tail_engines(user) == -EINVAL && f.refused == 3,
		  "a JIT user of an interpreted array does not");
	user->nr_maps = 0;
	free(user->maps);
	user->maps = NULL;
	xbpf_prog_put(user);

	/* a fresh array takes the engine of its first user */
	xbpf_map_put_uref(pa2);
	pa2 = mk_pa(2, &err);
	user = mk_prog(false);
	user->maps = calloc(1, sizeof(*user->maps));
	user->maps[0] = pa2;
	user->nr_maps = 1;
	xt_report(!xbpf_prog_check_tail_engines(user) && upd(pa2, 0, 0) == -EINVAL &&
		  !upd(pa2, 0, 2), "an interpreted user makes the array interpreted");
	user->nr_maps = 0;
	free(user->maps);
	user->maps = NULL;
	xbpf_prog_put(user);
	xbpf_map_put_uref(pa2);
	xbpf_map_put_uref(pa);
	xt_report(f.frees == 3 && f.locks == f.unlocks && !f.bad_nesting,
		  "engine: all three arrays freed, locks balanced");
}

static void test_init_fails(void)
{
	struct xbpf_map *pa;
	int err = 0;

	memset(&f, 0, sizeof(f));
	f.fail_init = -ENOMEM;
	pa = mk_pa(2, &err);
	xt_report(!pa && err == -ENOMEM && f.frees == 0, "init's error fails the create");
	if (pa)
		xbpf_map_put(pa);
}

int main(void)
{
	struct xbpf_map *plain;
	int i, err = 0;

	for (i = 0; i < NPROGS; i++)
		progs[i] = mk_prog(i < 2);
	/* without hooks (the host library's default) nothing is called */
	plain = mk_pa(2, &err);
	xt_report(plain && !xbpf_prog_array_hook_state(plain) && !upd(plain, 0, 0),
		  "no hooks: no state, updates work");
	if (plain)
		xbpf_map_put_uref(plain);

	xbpf_prog_array_hooks = &fake;
	test_slot_changes();
	test_engine();
	test_init_fails();
	xbpf_prog_array_hooks = NULL;

	for (i = 0; i < NPROGS; i++)
		xbpf_prog_put(progs[i]);
	return xt_finish();
}

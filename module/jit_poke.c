// SPDX-License-Identifier: GPL-2.0
/*
 * Live patching of direct tail-call sites (jit/README "Tail calls").
 *
 * A bpf_tail_call whose array and key the verifier proved constant is
 * compiled as two 5-byte slots around the unwind: "bypass" (jmp skip, or
 * nop5) and "target" (nop5, or jmp into the slot's program past its
 * prologue).  The states, after the seed's "rework pro/epilogue":
 *
 *	C  bypass = jmp skip	target = nop5		(empty slot)
 *	D  bypass = jmp skip	target = jmp T		(transient)
 *	B  bypass = nop5	target = jmp T		(slot holds T)
 *	A  bypass = nop5	target = nop5		never: it unwinds, then
 *						runs on into the fall-through
 *						with the frame gone
 *
 * Install C->D->B, update B(T)->B(T') (target only), remove B->C then,
 * once no CPU can be between the bypass and the target (an RCU grace
 * period: programs run as RCU readers), target back to nop5.  Each step
 * is one text_poke_bp() of 5 bytes (int3 first, so a CPU sees the old or
 * the new instruction, never a mix) under text_mutex, after checking that
 * the bytes are the ones this state machine last wrote.
 *
 * Each PROG_ARRAY has a mutex (Linux's poke_mutex) held across its slot
 * changes and the patching they cause, and the list of the sites that
 * call one of its slots.  A program registers its sites under that mutex
 * once its image is live and before it has an fd (so no change can slip
 * between reading a slot and linking the site), and unregisters before
 * the image is wiped, from the final free's work item.  A site holds its
 * own reference on the array until then: the program's references go at
 * its last put, long before the work item runs.
 */
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <asm/nops.h>
#include "xbpf_mod.h"
#include "maps/prog_array_hooks.h"

#define XBPF_POKE_LEN	5

/* The module's state of one PROG_ARRAY. */
struct xbpf_poke_array {
	struct mutex		lock;	/* slot changes + patching */
	struct list_head	sites;	/* struct xbpf_jit_site.node */
};

static const struct xbpf_jit_poke_syms *xbpf_poke_syms;

/* Where a direct site jumps for prog: past the prologue (jit.h). */
static u64 xbpf_poke_dest(const struct xbpf_prog *prog)
{
	return (u64)(unsigned long)prog->bpf_func + XBPF_JIT_TAIL_CALL_OFFSET;
}

/*
 * The program a direct site must reach for a slot: the JIT only patches
 * in images (the owner rule keeps interpreted programs out of arrays JIT
 * code calls; a NULL bpf_func falls through, as the indirect path does).
 */
static const struct xbpf_prog *xbpf_poke_eff(const struct xbpf_prog *prog)
{
	return prog && prog->bpf_func ? prog : NULL;
}

/* The 5 bytes at addr for "jmp prog" (prog non-NULL) or nop5. */
static void xbpf_poke_target_bytes(u8 out[XBPF_POKE_LEN], const u8 *addr,
				   const struct xbpf_prog *prog)
{
	if (prog)
		xbpf_jit_jmp32(out, (u64)(unsigned long)addr, xbpf_poke_dest(prog));
	else
		memcpy(out, xbpf_jit_nop5, XBPF_POKE_LEN);
}

static void xbpf_poke_bypass_bytes(u8 out[XBPF_POKE_LEN], const struct xbpf_jit_site *s,
				   bool skip)
{
	if (skip)
		xbpf_jit_jmp32(out, (u64)(unsigned long)s->bypass, (u64)(unsigned long)s->skip);
	else
		memcpy(out, xbpf_jit_nop5, XBPF_POKE_LEN);
}

/*
 * Rewrites 5 live bytes from old to new.  false when they are not old:
 * then some other writer (or a bug here) got there, and patching on
 * could make state A; the site is left alone from then on.
 */
static bool xbpf_poke5(struct xbpf_jit_site *s, u8 *addr, const u8 *old, const u8 *new)
{
	bool ok;

	if (s->broken)
		return false;
	mutex_lock(xbpf_poke_syms->text_mutex);
	ok = !memcmp(addr, old, XBPF_POKE_LEN);
	if (ok && memcmp(old, new, XBPF_POKE_LEN))
		xbpf_poke_syms->text_poke_bp(addr, new, XBPF_POKE_LEN, NULL);
	mutex_unlock(xbpf_poke_syms->text_mutex);
	if (WARN_ON_ONCE(!ok)) {
		pr_err("xbpf: tail-call site at %px: unexpected bytes %5phN, want %5phN; left as is\n",
		       addr, addr, old);
		s->broken = true;
	}
	return ok;
}

/* C -> D -> B(to): the target first, so the bypass never opens on nop5. */
static void xbpf_poke_install(struct xbpf_jit_site *s, const struct xbpf_prog *to)
{
	u8 old[XBPF_POKE_LEN], new[XBPF_POKE_LEN];

	xbpf_poke_target_bytes(old, s->target, NULL);
	xbpf_poke_target_bytes(new, s->target, to);
	if (!xbpf_poke5(s, s->target, old, new))
		return;
	xbpf_poke_bypass_bytes(old, s, true);
	xbpf_poke_bypass_bytes(new, s, false);
	xbpf_poke5(s, s->bypass, old, new);
}

/* B(from) -> B(to): one jump for another, the bypass stays open. */
static void xbpf_poke_update(struct xbpf_jit_site *s, const struct xbpf_prog *from,
			     const struct xbpf_prog *to)
{
	u8 old[XBPF_POKE_LEN], new[XBPF_POKE_LEN];

	xbpf_poke_target_bytes(old, s->target, from);
	xbpf_poke_target_bytes(new, s->target, to);
	xbpf_poke5(s, s->target, old, new);
}

/* B(from) -> C with the stale jump: the first half of a remove. */
static void xbpf_poke_close(struct xbpf_jit_site *s)
{
	u8 old[XBPF_POKE_LEN], new[XBPF_POKE_LEN];

	xbpf_poke_bypass_bytes(old, s, false);
	xbpf_poke_bypass_bytes(new, s, true);
	xbpf_poke5(s, s->bypass, old, new);
}

/* The second half, after a grace period: the stale jump back to nop5. */
static void xbpf_poke_clear(struct xbpf_jit_site *s, const struct xbpf_prog *from)
{
	u8 old[XBPF_POKE_LEN], new[XBPF_POKE_LEN];

	xbpf_poke_target_bytes(old, s->target, from);
	xbpf_poke_target_bytes(new, s->target, NULL);
	xbpf_poke5(s, s->target, old, new);
}

/* hooks->slot_changed: under pa->lock, both programs alive. */
static void xbpf_poke_slot_changed(struct xbpf_map *map, void *state, u32 index,
				   const struct xbpf_prog *old, const struct xbpf_prog *new)
{
	struct xbpf_poke_array *pa = state;
	struct xbpf_jit_site *s;
	bool closed = false;

	old = xbpf_poke_eff(old);
	new = xbpf_poke_eff(new);
	if (old == new || !xbpf_poke_syms)
		return;
	list_for_each_entry(s, &pa->sites, node) {
		if (s->key != index)
			continue;
		if (!old) {
			xbpf_poke_install(s, new);
		} else if (new) {
			xbpf_poke_update(s, old, new);
		} else {
			xbpf_poke_close(s);
			closed = true;
		}
	}
	if (!closed)
		return;
	/*
	 * A CPU past an open bypass is unwinding towards the stale jump:
	 * it is inside the program, an RCU reader.  Once they are all out,
	 * no one executes the target until an install reopens the bypass.
	 */
	synchronize_rcu();
	list_for_each_entry(s, &pa->sites, node)
		if (s->key == index)
			xbpf_poke_clear(s, old);
}

static int xbpf_poke_array_init(struct xbpf_map *map, void **state)
{
	struct xbpf_poke_array *pa = kzalloc(sizeof(*pa), GFP_KERNEL_ACCOUNT);

	if (!pa)
		return -ENOMEM;
	mutex_init(&pa->lock);
	INIT_LIST_HEAD(&pa->sites);
	*state = pa;
	return 0;
}

/* The array's final free (RCU callback): every site unregistered already. */
static void xbpf_poke_array_free(struct xbpf_map *map, void *state)
{
	struct xbpf_poke_array *pa = state;

	WARN_ON_ONCE(!list_empty(&pa->sites));
	mutex_destroy(&pa->lock);
	kfree(pa);
}

static void xbpf_poke_lock(void *state)
{
	mutex_lock(&((struct xbpf_poke_array *)state)->lock);
}

static void xbpf_poke_unlock(void *state)
{
	mutex_unlock(&((struct xbpf_poke_array *)state)->lock);
}

static void xbpf_poke_refused(const struct xbpf_map *map, const struct xbpf_prog *prog)
{
	pr_info_ratelimited("xbpf: program array %u runs %s programs: refusing %s program '%s' (owner rule)\n",
			    map->id, prog->bpf_func ? "interpreted" : "JIT-compiled",
			    prog->bpf_func ? "JIT-compiled" : "interpreted", prog->name);
}

static const struct xbpf_prog_array_hooks xbpf_poke_hooks = {
	.init		= xbpf_poke_array_init,
	.free		= xbpf_poke_array_free,
	.lock		= xbpf_poke_lock,
	.unlock		= xbpf_poke_unlock,
	.slot_changed	= xbpf_poke_slot_changed,
	.refused	= xbpf_poke_refused,
};

bool xbpf_jit_poke_init(const struct xbpf_jit_poke_syms *syms)
{
	/* text_poke_bp emulates only the kernel's own nop5 (it BUGs otherwise) */
	static const u8 kernel_nop5[XBPF_POKE_LEN] = { BYTES_NOP5 };

	xbpf_prog_array_hooks = &xbpf_poke_hooks;
	if (syms && memcmp(kernel_nop5, xbpf_jit_nop5, XBPF_POKE_LEN)) {
		pr_warn("xbpf: the JIT's nop5 is not the kernel's: no direct tail calls\n");
		syms = NULL;
	}
	xbpf_poke_syms = syms;
	return syms;
}

void xbpf_jit_poke_exit(void)
{
	xbpf_prog_array_hooks = NULL;
	xbpf_poke_syms = NULL;
}

int xbpf_jit_poke_take(struct xbpf_jit_image *img, const struct xbpf_prog *prog,
		       const struct xbpf_jit_out *out)
{
	u8 *mem = img->mem;
	u32 i;

	if (!out->nr_pokes)
		return 0;
	if (!xbpf_poke_syms)
		return -EOPNOTSUPP;
	img->sites = kcalloc(out->nr_pokes, sizeof(*img->sites), GFP_KERNEL_ACCOUNT);
	if (!img->sites)
		return -ENOMEM;
	for (i = 0; i < out->nr_pokes; i++) {
		const struct xbpf_jit_poke *p = &out->pokes[i];
		const struct xbpf_tail_site *ts;
		struct xbpf_jit_site *s = &img->sites[i];

		if (WARN_ON_ONCE(p->site >= prog->nr_tail_sites ||
				 p->bypass_off + XBPF_POKE_LEN > out->size ||
				 p->target_off + XBPF_POKE_LEN > out->size ||
				 p->skip_off > out->size))
			goto bad;
		ts = &prog->tail_sites[p->site];
		if (WARN_ON_ONCE(!xbpf_prog_array_hook_state(ts->map)))
			goto bad;
		INIT_LIST_HEAD(&s->node);
		xbpf_map_get(ts->map);
		s->map = ts->map;
		s->key = ts->key;
		s->bypass = mem + p->bypass_off;
		s->target = mem + p->target_off;
		s->skip = mem + p->skip_off;
		img->nr_sites = i + 1;
	}
	return 0;
bad:
	/* the caller's failure path unregisters: it puts what was taken */
	return -EFAULT;
}

int xbpf_jit_poke_register(struct xbpf_jit_image *img)
{
	u32 i;

	for (i = 0; i < img->nr_sites; i++) {
		struct xbpf_jit_site *s = &img->sites[i];
		struct xbpf_poke_array *pa = xbpf_prog_array_hook_state(s->map);
		const struct xbpf_prog *cur;

		mutex_lock(&pa->lock);
		cur = xbpf_poke_eff(xbpf_prog_array_slot_locked(s->map, s->key));
		/* compiled in C: only an occupied slot needs patching */
		if (cur)
			xbpf_poke_install(s, cur);
		list_add_tail(&s->node, &pa->sites);
		s->linked = true;
		mutex_unlock(&pa->lock);
		if (s->broken)
			return -EFAULT;
	}
	return 0;
}

void xbpf_jit_poke_unregister(struct xbpf_jit_image *img)
{
	u32 i;

	for (i = 0; i < img->nr_sites; i++) {
		struct xbpf_jit_site *s = &img->sites[i];

		if (s->linked) {
			struct xbpf_poke_array *pa = xbpf_prog_array_hook_state(s->map);

			mutex_lock(&pa->lock);
			list_del(&s->node);
			mutex_unlock(&pa->lock);
			s->linked = false;
		}
		/* after the unlink: the array (and its lock) outlive it */
		xbpf_map_put(s->map);
	}
	kfree(img->sites);
	img->sites = NULL;
	img->nr_sites = 0;
}

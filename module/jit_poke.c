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
 * period: programs run as RCU readers), target back to nop5.  The writes
 * come from the JIT's xbpf_jit_poke_plan() (the host tests run images
 * through the same plan); each is one text_poke_bp() of 5 bytes (int3
 * first, so a CPU sees the old or the new instruction, never a mix) under
 * text_mutex, after checking that the bytes are the plan's old ones.
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
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sysfs.h>
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

/*
 * Sites linked right now, read-only in /sys/module/xbpf/parameters:
 * the only way user space (the VM tests) can tell that a tail call was
 * compiled as a direct site and not as an indirect one.
 */
static atomic_t xbpf_poke_linked = ATOMIC_INIT(0);

static int xbpf_poke_linked_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&xbpf_poke_linked));
}

static const struct kernel_param_ops xbpf_poke_linked_ops = {
	.get	= xbpf_poke_linked_get,
};
module_param_cb(jit_tail_sites, &xbpf_poke_linked_ops, NULL, 0444);
MODULE_PARM_DESC(jit_tail_sites, "direct tail-call sites of JIT images being patched now (read-only)");

/*
 * The image a direct site jumps into for a slot (the plan adds the
 * tail-call offset), 0 for none.  Only images are patched in: the owner
 * rule keeps interpreted programs out of arrays JIT code calls, and a
 * NULL bpf_func falls through, as on the indirect path.
 */
static u64 xbpf_poke_func(const struct xbpf_prog *prog)
{
	return prog ? (u64)(unsigned long)prog->bpf_func : 0;
}

/*
 * Rewrites 5 live bytes from old to new.  false when they are not old:
 * then some other writer (or a bug here) got there, and patching on
 * could make state A; the site is left alone from then on.
 */
static bool xbpf_poke5(struct xbpf_jit_site *s, const struct xbpf_jit_poke_step *step)
{
	u8 *addr = s->image + step->off;
	bool ok;

	if (s->broken)
		return false;
	mutex_lock(xbpf_poke_syms->text_mutex);
	ok = !memcmp(addr, step->old, XBPF_POKE_LEN);
	if (ok && memcmp(step->old, step->new, XBPF_POKE_LEN))
		xbpf_poke_syms->text_poke_bp(addr, step->new, XBPF_POKE_LEN, NULL);
	mutex_unlock(xbpf_poke_syms->text_mutex);
	if (WARN_ON_ONCE(!ok)) {
		pr_err("xbpf: tail-call site at %px: unexpected bytes %5phN, want %5phN; left as is\n",
		       addr, addr, step->old);
		s->broken = true;
	}
	return ok;
}

/*
 * Moves every site of slot index from calling from to calling to (entry
 * addresses, 0: none), through the JIT's plan (xbpf_jit_poke_plan: install
 * C->D->B, retarget B->B', remove B->C then nop5).  The sites go step by
 * step together, so a remove waits for one grace period in all.  Caller
 * holds the array's lock.
 */
static void xbpf_poke_sites(struct xbpf_poke_array *pa, bool all, u32 index,
			    struct xbpf_jit_site *only, u64 from, u64 to)
{
	struct xbpf_jit_poke_step steps[2];
	struct xbpf_jit_site *s;
	bool synced = false;
	u32 step, n;

	for (step = 0; step < 2; step++) {
		list_for_each_entry(s, &pa->sites, node) {
			if (all ? s->key != index : s != only)
				continue;
			n = xbpf_jit_poke_plan(&s->poke, (u64)(unsigned long)s->image, from, to,
					       xbpf_poke_syms->ibt, steps);
			if (step >= n)
				continue;
			/*
			 * A remove's second write: a CPU past the old open
			 * bypass is unwinding towards the old jump, inside the
			 * program, an RCU reader.  Once all are out, no one
			 * runs the target until an install reopens the bypass.
			 */
			if (steps[step].sync_before && !synced) {
				synchronize_rcu();
				synced = true;
			}
			xbpf_poke5(s, &steps[step]);
		}
	}
}

/* hooks->slot_changed: under the array's lock, both programs alive. */
static void xbpf_poke_slot_changed(struct xbpf_map *map, void *state, u32 index,
				   const struct xbpf_prog *old, const struct xbpf_prog *new)
{
	u64 from = xbpf_poke_func(old), to = xbpf_poke_func(new);

	if (from != to && xbpf_poke_syms)
		xbpf_poke_sites(state, true, index, NULL, from, to);
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
		s->image = mem;
		s->poke = *p;
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
		u64 cur;

		mutex_lock(&pa->lock);
		list_add_tail(&s->node, &pa->sites);
		s->linked = true;
		atomic_inc(&xbpf_poke_linked);
		/* compiled in C: only an occupied slot needs patching (C->D->B) */
		cur = xbpf_poke_func(xbpf_prog_array_slot_locked(s->map, s->key));
		if (cur)
			xbpf_poke_sites(pa, false, 0, s, 0, cur);
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
			atomic_dec(&xbpf_poke_linked);
		}
		/* after the unlink: the array (and its lock) outlive it */
		xbpf_map_put(s->map);
	}
	kfree(img->sites);
	img->sites = NULL;
	img->nr_sites = 0;
}

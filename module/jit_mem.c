// SPDX-License-Identifier: GPL-2.0
/*
 * Running JIT images in the kernel: executable memory, control-flow
 * hardening, and the jit= switch (jit/README).
 *
 * The kernel does not export what a JIT needs (module_alloc, the
 * set_memory_* family, x86_return_thunk), so they are looked up once at
 * module init through kallsyms_lookup_name, itself found through a kprobe
 * (its address, not its export).  Anything missing turns the JIT off and
 * every program runs in the interpreter.
 *
 * An image is written while its pages are writable and not executable,
 * then made read-only and executable: never both writable and
 * executable.  It goes in process context (the set_memory_* calls may
 * sleep, the program's final free runs in an RCU callback), from our own
 * workqueue, which module exit drains after rcu_barrier().
 */
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/mm.h>
#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#endif
#include "xbpf_mod.h"

/*
 * jit=auto: on when the symbols resolve; jit=0: interpreter only; jit=1:
 * required, as Linux's bpf_jit_enable=1 means the JIT is in use: the
 * module refuses to load without it.  Programs the JIT refuses (checked
 * ones, tail calls) run in the interpreter whatever the setting.
 */
static char *xbpf_jit_mode = "auto";
module_param_named(jit, xbpf_jit_mode, charp, 0444);
MODULE_PARM_DESC(jit, "auto (default: on when possible), 0 (interpreter only), 1 (required)");

/*
 * Constant blinding (jit/blind.c), as Linux's net.core.bpf_jit_harden:
 * 0 off, 1 for programs loaded without CAP_BPF (default), 2 for all.
 * Read at each PROG_LOAD; a program keeps the image it got.
 */
static unsigned int xbpf_jit_harden = 1;
module_param_named(jit_harden, xbpf_jit_harden, uint, 0444);
MODULE_PARM_DESC(jit_harden, "constant blinding: 0 off, 1 unprivileged loaders (default), 2 all");

struct xbpf_jit_syms {
	void	*(*module_alloc)(unsigned long size);
	void	(*module_memfree)(void *region);
	int	(*set_memory_ro)(unsigned long addr, int numpages);
	int	(*set_memory_rw)(unsigned long addr, int numpages);
	int	(*set_memory_x)(unsigned long addr, int numpages);
	int	(*set_memory_nx)(unsigned long addr, int numpages);
	/* optional: without them every image gets pages of its own */
	void	*(*text_poke_copy)(void *addr, const void *src, size_t len);
	void	*(*text_poke_set)(void *addr, int c, size_t len);
	unsigned long indirect_thunk;	/* __x86_indirect_thunk_r11 */
	unsigned long return_thunk;	/* what x86_return_thunk points at */
	/*
	 * optional: live patching of direct tail-call sites (jit_poke.c);
	 * without them a program with direct sites runs in the interpreter
	 */
	struct xbpf_jit_poke_syms poke;
};

static struct xbpf_jit_syms xbpf_jit_syms;
static bool xbpf_jit_enabled;
static bool xbpf_jit_can_poke;
static bool xbpf_jit_ibt;		/* every image's opts.ibt */
static struct workqueue_struct *xbpf_jit_wq;
/* for the unload line: how many programs each engine got */
static atomic64_t xbpf_jit_compiled = ATOMIC64_INIT(0);
static atomic64_t xbpf_jit_refused = ATOMIC64_INIT(0);

bool xbpf_jit_on(void)
{
	return xbpf_jit_enabled;
}

typedef unsigned long (*xbpf_kallsyms_fn)(const char *name);

static xbpf_kallsyms_fn xbpf_jit_find_kallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	void *addr;

	if (register_kprobe(&kp))
		return NULL;
	addr = kp.addr;
	unregister_kprobe(&kp);
	return (xbpf_kallsyms_fn)addr;
}

/* For other unexported kernel functions (attach_tp.c): 0 when not found. */
unsigned long xbpf_kallsyms_lookup(const char *name)
{
	xbpf_kallsyms_fn lookup = xbpf_jit_find_kallsyms();

	return lookup ? lookup(name) : 0;
}

/* NULL, or the name of the first symbol that is missing. */
static const char *xbpf_jit_resolve(struct xbpf_jit_syms *s)
{
	xbpf_kallsyms_fn lookup = xbpf_jit_find_kallsyms();
	unsigned long rt;

	if (!lookup)
		return "kallsyms_lookup_name";
#define XBPF_JIT_SYM(field, name)				\
	do {							\
		s->field = (void *)lookup(name);		\
		if (!s->field)					\
			return name;				\
	} while (0)
	XBPF_JIT_SYM(module_alloc, "module_alloc");
	XBPF_JIT_SYM(module_memfree, "module_memfree");
	XBPF_JIT_SYM(set_memory_ro, "set_memory_ro");
	XBPF_JIT_SYM(set_memory_rw, "set_memory_rw");
	XBPF_JIT_SYM(set_memory_x, "set_memory_x");
	XBPF_JIT_SYM(set_memory_nx, "set_memory_nx");
#undef XBPF_JIT_SYM
	s->text_poke_copy = (void *)lookup("text_poke_copy");
	s->text_poke_set = (void *)lookup("text_poke_set");
	if (!s->text_poke_copy || !s->text_poke_set)
		s->text_poke_copy = NULL;
	s->poke.text_poke_bp = (void *)lookup("text_poke_bp");
	s->poke.text_mutex = (void *)lookup("text_mutex");
	if (!s->poke.text_poke_bp || !s->poke.text_mutex)
		s->poke.text_poke_bp = NULL;
	s->indirect_thunk = lookup("__x86_indirect_thunk_r11");
	if (!s->indirect_thunk)
		return "__x86_indirect_thunk_r11";
	/*
	 * x86_return_thunk is the pointer the kernel set to the return thunk
	 * its mitigations chose (its own JIT jumps to it); without that
	 * variable the plain __x86_return_thunk.
	 */
	rt = lookup("x86_return_thunk");
	s->return_thunk = rt ? *(unsigned long *)rt : lookup("__x86_return_thunk");
	if (!s->return_thunk)
		return "x86_return_thunk";
	return NULL;
}

/*
 * Whether indirect branches must land on endbr64: a kernel built with
 * IBT, on a CPU that has it, not booted with ibt=off.  Kernels before
 * IBT support have neither the option nor the feature bit.
 */
static bool xbpf_jit_kernel_ibt(void)
{
#if defined(CONFIG_X86_KERNEL_IBT) && defined(X86_FEATURE_IBT)
	return cpu_feature_enabled(X86_FEATURE_IBT);
#else
	return false;
#endif
}

int xbpf_jit_init(void)
{
	struct xbpf_jit_syms s = { 0 };
	const char *missing;
	bool want;

	if (xbpf_jit_harden > 2) {
		pr_err("xbpf: invalid jit_harden=%u (0, 1 or 2)\n", xbpf_jit_harden);
		return -EINVAL;
	}
	if (!strcmp(xbpf_jit_mode, "0"))
		want = false;
	else if (!strcmp(xbpf_jit_mode, "1") || !strcmp(xbpf_jit_mode, "auto"))
		want = true;
	else {
		pr_err("xbpf: invalid jit=%s (auto, 0 or 1)\n", xbpf_jit_mode);
		return -EINVAL;
	}
	if (!want || !IS_ENABLED(CONFIG_X86_64)) {
		pr_info("xbpf: JIT off (jit=%s), programs run in the interpreter\n",
			xbpf_jit_mode);
		return 0;
	}
	missing = xbpf_jit_resolve(&s);
	if (!missing) {
		xbpf_jit_wq = alloc_workqueue("xbpf_jit", 0, 0);
		if (!xbpf_jit_wq)
			return -ENOMEM;
		xbpf_jit_ibt = xbpf_jit_kernel_ibt();
		s.poke.ibt = xbpf_jit_ibt;
		xbpf_jit_syms = s;
		xbpf_jit_enabled = true;
		/* the copy that lives on: jit_poke.c keeps the pointer */
		xbpf_jit_can_poke = xbpf_jit_poke_init(xbpf_jit_syms.poke.text_poke_bp ?
						       &xbpf_jit_syms.poke : NULL);
		if (xbpf_jit_can_poke)
			pr_info("xbpf: JIT on, ibt %s\n", xbpf_jit_ibt ? "on" : "off");
		else
			pr_info("xbpf: JIT on, ibt %s; text_poke_bp or text_mutex not available: programs with direct tail calls run in the interpreter\n",
				xbpf_jit_ibt ? "on" : "off");
		return 0;
	}
	if (!strcmp(xbpf_jit_mode, "1")) {
		pr_err("xbpf: jit=1 but kernel symbol %s is not available\n", missing);
		return -EOPNOTSUPP;
	}
	pr_info("xbpf: JIT off: kernel symbol %s not available, programs run in the interpreter\n",
		missing);
	return 0;
}

static void xbpf_jit_unmap(void *mem, u32 pages, bool protected)
{
	unsigned long addr = (unsigned long)mem;

	if (protected) {
		/* back to what module_alloc gave: no X, then writable */
		xbpf_jit_syms.set_memory_nx(addr, pages);
		xbpf_jit_syms.set_memory_rw(addr, pages);
	}
	xbpf_jit_syms.module_memfree(mem);
}

/*
 * Packs: small images share read-only + executable regions, written with
 * text_poke_copy() (a temporary writable alias, the way the kernel itself
 * patches text) and wiped back to int3 with text_poke_set() on free.
 * Changing page permissions per program costs TLB shootdowns on every CPU
 * four times per load/free; a pack pays that once.
 */
#define XBPF_JIT_PACK_PAGES	128
#define XBPF_JIT_PACK_SIZE	(XBPF_JIT_PACK_PAGES * PAGE_SIZE)
#define XBPF_JIT_CHUNK		64
#define XBPF_JIT_PACK_CHUNKS	(XBPF_JIT_PACK_SIZE / XBPF_JIT_CHUNK)

struct xbpf_jit_pack {
	struct list_head	list;
	void			*mem;
	u32			used;	/* chunks in use */
	unsigned long		bitmap[BITS_TO_LONGS(XBPF_JIT_PACK_CHUNKS)];
};

static LIST_HEAD(xbpf_jit_packs);
static DEFINE_MUTEX(xbpf_jit_pack_lock);

static void xbpf_jit_pack_free(struct xbpf_jit_pack *pack)
{
	list_del(&pack->list);
	xbpf_jit_unmap(pack->mem, XBPF_JIT_PACK_PAGES, true);
	kfree(pack);
}

/* Caller holds xbpf_jit_pack_lock. */
static struct xbpf_jit_pack *xbpf_jit_pack_new(void)
{
	struct xbpf_jit_pack *pack;
	unsigned long addr;

	pack = kzalloc(sizeof(*pack), GFP_KERNEL);
	if (!pack)
		return NULL;
	pack->mem = xbpf_jit_syms.module_alloc(XBPF_JIT_PACK_SIZE);
	if (!pack->mem) {
		kfree(pack);
		return NULL;
	}
	addr = (unsigned long)pack->mem;
	memset(pack->mem, 0xcc, XBPF_JIT_PACK_SIZE);
	if (xbpf_jit_syms.set_memory_ro(addr, XBPF_JIT_PACK_PAGES)) {
		xbpf_jit_unmap(pack->mem, XBPF_JIT_PACK_PAGES, false);
		kfree(pack);
		return NULL;
	}
	if (xbpf_jit_syms.set_memory_x(addr, XBPF_JIT_PACK_PAGES)) {
		xbpf_jit_syms.set_memory_rw(addr, XBPF_JIT_PACK_PAGES);
		xbpf_jit_unmap(pack->mem, XBPF_JIT_PACK_PAGES, false);
		kfree(pack);
		return NULL;
	}
	list_add_tail(&pack->list, &xbpf_jit_packs);
	return pack;
}

/* Reserves size bytes in a pack: the address, or NULL. */
static void *xbpf_jit_pack_alloc(u32 size, struct xbpf_jit_pack **packp)
{
	u32 chunks = DIV_ROUND_UP(size, XBPF_JIT_CHUNK);
	struct xbpf_jit_pack *pack;
	unsigned long pos = 0;

	mutex_lock(&xbpf_jit_pack_lock);
	list_for_each_entry(pack, &xbpf_jit_packs, list) {
		pos = bitmap_find_next_zero_area(pack->bitmap, XBPF_JIT_PACK_CHUNKS, 0,
						 chunks, 0);
		if (pos < XBPF_JIT_PACK_CHUNKS)
			goto found;
	}
	pack = xbpf_jit_pack_new();
	if (!pack) {
		mutex_unlock(&xbpf_jit_pack_lock);
		return NULL;
	}
	pos = 0;
found:
	bitmap_set(pack->bitmap, pos, chunks);
	pack->used += chunks;
	mutex_unlock(&xbpf_jit_pack_lock);
	*packp = pack;
	return pack->mem + pos * XBPF_JIT_CHUNK;
}

/* Back to int3, then free; an empty pack goes unless it is the last. */
static void xbpf_jit_pack_release(struct xbpf_jit_pack *pack, void *mem, u32 size)
{
	u32 chunks = DIV_ROUND_UP(size, XBPF_JIT_CHUNK);
	unsigned long pos = (mem - pack->mem) / XBPF_JIT_CHUNK;

	mutex_lock(&xbpf_jit_pack_lock);
	xbpf_jit_syms.text_poke_set(mem, 0xcc, (size_t)chunks * XBPF_JIT_CHUNK);
	bitmap_clear(pack->bitmap, pos, chunks);
	pack->used -= chunks;
	if (!pack->used && !list_is_singular(&xbpf_jit_packs))
		xbpf_jit_pack_free(pack);
	mutex_unlock(&xbpf_jit_pack_lock);
}

static void xbpf_jit_free_work(struct work_struct *work)
{
	struct xbpf_jit_image *img = container_of(work, struct xbpf_jit_image, free_work);

	/* no slot change may poke the image once it is wiped */
	xbpf_jit_poke_unregister(img);
	if (img->pack)
		xbpf_jit_pack_release(img->pack, img->mem, img->size);
	else
		xbpf_jit_unmap(img->mem, img->pages, true);
	xbpf_kvfree(img->func_off);
	kfree(img);
}

/* From the program's final free (RCU callback): the image is unreachable. */
void xbpf_jit_release(struct xbpf_jit_image *img)
{
	if (!img)
		return;
	INIT_WORK(&img->free_work, xbpf_jit_free_work);
	queue_work(xbpf_jit_wq, &img->free_work);
}

/* The function entries OBJ_GET_INFO reports move from out to img. */
static void xbpf_jit_keep_funcs(struct xbpf_jit_image *img, struct xbpf_jit_out *out)
{
	img->nr_funcs = out->nr_funcs;
	img->func_off = out->func_off;
	out->func_off = NULL;
}

/* Into a pack: true with img filled in. */
static bool xbpf_jit_prog_packed(const struct xbpf_prog *prog, struct xbpf_jit_opts *o,
				 u32 room, struct xbpf_jit_image *img)
{
	struct xbpf_jit_pack *pack;
	struct xbpf_jit_out out;
	void *mem;

	/* room: the position-independent size, an upper bound */
	mem = xbpf_jit_pack_alloc(room, &pack);
	if (!mem)
		return false;
	o->exec_addr = (unsigned long)mem;
	if (xbpf_jit_compile(prog, o, &out)) {
		o->exec_addr = 0;
		xbpf_jit_pack_release(pack, mem, room);
		return false;
	}
	o->exec_addr = 0;
	if (WARN_ON_ONCE(out.size > room)) {
		xbpf_jit_free(&out);
		xbpf_jit_pack_release(pack, mem, room);
		return false;
	}
	img->mem = mem;
	if (xbpf_jit_poke_take(img, prog, &out)) {
		img->mem = NULL;
		xbpf_jit_free(&out);
		xbpf_jit_pack_release(pack, mem, room);
		return false;
	}
	xbpf_jit_syms.text_poke_copy(mem, out.image, out.size);
	img->len = out.size;
	xbpf_jit_keep_funcs(img, &out);
	xbpf_jit_free(&out);
	img->pack = pack;
	img->size = room;
	img->entry = (xbpf_jit_entry_t)mem;
	return true;
}

/*
 * Compiles a verified program into executable memory.  NULL when the JIT
 * is off or refuses the program (it then runs in the interpreter); only
 * an allocation failure is worth a note.  bpf_capable: the loader's
 * CAP_BPF, for jit_harden=1.
 */
struct xbpf_jit_image *xbpf_jit_prog(struct xbpf_prog *prog, bool bpf_capable)
{
	struct xbpf_jit_opts o = {
		.indirect_thunk = xbpf_jit_syms.indirect_thunk,
		.return_thunk = xbpf_jit_syms.return_thunk,
		.blind = xbpf_jit_harden == 2 || (xbpf_jit_harden == 1 && !bpf_capable),
		.ibt = xbpf_jit_ibt,
	};
	struct xbpf_jit_out out;
	struct xbpf_jit_image *img;
	unsigned long addr;
	u32 pages, size;
	void *mem;
	int err;

	if (!xbpf_jit_enabled)
		return NULL;
	if (prog->checked) {
		atomic64_inc(&xbpf_jit_refused);
		return NULL;
	}
	/* a direct site's target could never be installed (init said so) */
	if (prog->nr_tail_sites && !xbpf_jit_can_poke) {
		atomic64_inc(&xbpf_jit_refused);
		return NULL;
	}
	/* the size: an image for an address is never larger */
	err = xbpf_jit_compile(prog, &o, &out);
	if (err) {
		atomic64_inc(&xbpf_jit_refused);
		return NULL;
	}
	size = out.size;
	pages = DIV_ROUND_UP(size, PAGE_SIZE);
	/* the compiles at an address blind as this one did: the same lengths */
	o.blind_seed = out.blind_seed;
	xbpf_jit_free(&out);

	img = kzalloc(sizeof(*img), GFP_KERNEL_ACCOUNT);
	if (!img)
		return NULL;
	if (xbpf_jit_syms.text_poke_copy && pages * PAGE_SIZE <= XBPF_JIT_PACK_SIZE / 4 &&
	    xbpf_jit_prog_packed(prog, &o, size, img))
		goto done;
	mem = xbpf_jit_syms.module_alloc((unsigned long)pages * PAGE_SIZE);
	if (!mem) {
		kfree(img);
		return NULL;
	}
	addr = (unsigned long)mem;
	o.exec_addr = addr;
	err = xbpf_jit_compile(prog, &o, &out);
	if (err || WARN_ON_ONCE(out.size > pages * PAGE_SIZE)) {
		if (!err)
			xbpf_jit_free(&out);
		goto fail;
	}
	img->mem = mem;
	err = xbpf_jit_poke_take(img, prog, &out);
	img->mem = NULL;
	if (err) {
		xbpf_jit_free(&out);
		goto fail;
	}
	/* the tail of the last page traps if ever reached */
	memset(mem, 0xcc, (size_t)pages * PAGE_SIZE);
	memcpy(mem, out.image, out.size);
	img->size = out.size;
	img->len = out.size;
	xbpf_jit_keep_funcs(img, &out);
	xbpf_jit_free(&out);

	if (xbpf_jit_syms.set_memory_ro(addr, pages))
		goto fail;
	if (xbpf_jit_syms.set_memory_x(addr, pages)) {
		xbpf_jit_syms.set_memory_rw(addr, pages);
		goto fail;
	}
	img->mem = mem;
	img->pages = pages;
	img->entry = (xbpf_jit_entry_t)mem;
done:
	/*
	 * Live: the direct sites take their slots' current state under each
	 * array's poke lock.  A failure leaves the image to the free work.
	 */
	if (xbpf_jit_poke_register(img)) {
		xbpf_jit_release(img);
		atomic64_inc(&xbpf_jit_refused);
		return NULL;
	}
	/* before the program has an fd: nothing else can see it yet */
	prog->bpf_func = img->mem;
	atomic64_inc(&xbpf_jit_compiled);
	return img;
fail:
	/* sites taken: their map references (nothing is linked yet) */
	xbpf_jit_poke_unregister(img);
	xbpf_jit_unmap(mem, pages, false);
	kfree(img);
	return NULL;
}

void xbpf_jit_exit(void)
{
	/* after rcu_barrier(): every final free has queued its image */
	if (xbpf_jit_wq) {
		struct xbpf_jit_pack *pack, *tmp;

		destroy_workqueue(xbpf_jit_wq);
		/* every image is gone: the packs are empty */
		list_for_each_entry_safe(pack, tmp, &xbpf_jit_packs, list)
			xbpf_jit_pack_free(pack);
		pr_info("xbpf: JIT compiled %lld programs, left %lld to the interpreter\n",
			(long long)atomic64_read(&xbpf_jit_compiled),
			(long long)atomic64_read(&xbpf_jit_refused));
	}
	xbpf_jit_wq = NULL;
	xbpf_jit_enabled = false;
	xbpf_jit_can_poke = false;
	/* every map is gone too (each pinned the module until its free) */
	xbpf_jit_poke_exit();
}

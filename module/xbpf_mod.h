/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the kernel-only half (module/): the device, the
 * command handlers, object fds and ids, privilege.  Nothing outside
 * module/ includes this.
 */
#ifndef _XBPF_MOD_H
#define _XBPF_MOD_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include "core/xbpf_core.h"
#include "jit/jit.h"

/* Largest data_in of a SOCKET_FILTER test run (Ethernet header included). */
#define XBPF_TEST_RUN_MAX_DATA	(64U * 1024)
/* Largest ctx_in of a SYSCALL test run, as in Linux. */
#define XBPF_TEST_RUN_MAX_CTX	U16_MAX

/*
 * Bytes of attr that follow the command's last field must be zero
 * (bpf(2)'s CHECK_ATTR); true when they are not.
 */
#define XBPF_ATTR_TAIL_NONZERO(attr, last)				\
	(memchr_inv((u8 *)(attr) + offsetofend(union xbpf_attr, last), 0,	\
		    sizeof(union xbpf_attr) -				\
		    offsetofend(union xbpf_attr, last)) != NULL)

/* Module-side state of a program, at prog->owner; freed with the program. */
struct xbpf_mprog {
	struct xbpf_prog	*prog;
	u64			load_time;	/* boot-time ns */
	kuid_t			uid;		/* loader's uid */
	atomic64_t		run_cnt;	/* test runs */
	atomic64_t		run_time_ns;
	/* hook hits not run: a program was running on that CPU (trace_run.c) */
	atomic64_t		recursion_misses;
	struct xbpf_jit_image	*jit;		/* NULL: the interpreter runs it */
};

/*
 * jit_poke.c: one direct tail-call site of a live image (jit/README
 * "Tail calls"): where its bypass, target and skip are in the image.
 */
struct xbpf_jit_site {
	struct list_head	node;	/* in the array's list, while linked */
	struct xbpf_map		*map;	/* the PROG_ARRAY; our own reference */
	u32			key;
	bool			linked;
	bool			broken;	/* bytes were not what we expected: left alone */
	u8			*image;	/* the image's first byte */
	struct xbpf_jit_poke	poke;	/* offsets, from the JIT */
};

/* What jit_mem.c resolved for jit_poke.c. */
struct xbpf_jit_poke_syms {
	void		(*text_poke_bp)(void *addr, const void *opcode, size_t len,
					const void *emulate);
	struct mutex	*text_mutex;
	bool		ibt;	/* every image's opts.ibt: where jumps land */
};

/* jit_mem.c: a program's JIT image in executable memory */
struct xbpf_jit_image {
	xbpf_jit_entry_t	entry;		/* the image's first byte */
	void			*mem;		/* read-only + executable */
	struct xbpf_jit_pack	*pack;		/* the shared region mem is in, or */
	u32			pages;		/* ... pages of its own */
	u32			size;		/* bytes reserved (a pack's chunks) */
	u32			len;		/* bytes of code, <= size */
	/* entry offset of each function in mem, ascending; func 0 at 0 */
	u32			nr_funcs;
	u32			*func_off;	/* xbpf_kvzalloc'd (the JIT's) */
	u32			nr_sites;
	struct xbpf_jit_site	*sites;		/* direct tail-call sites */
	struct work_struct	free_work;
};

int xbpf_jit_init(void);
void xbpf_jit_exit(void);
bool xbpf_jit_on(void);
/* Sets prog->bpf_func when it returns an image. */
struct xbpf_jit_image *xbpf_jit_prog(struct xbpf_prog *prog, bool bpf_capable);
void xbpf_jit_release(struct xbpf_jit_image *img);

/*
 * jit_poke.c.  init: installs the PROG_ARRAY hooks (slot changes re-poke
 * the sites, the owner rule's log line); true when sites can be poked
 * (syms non-NULL and the JIT's nop5 is the kernel's).  exit: after the
 * last map is gone.  take: copies an image's sites out of the JIT's
 * output (map references included).  register: links them to their
 * arrays and pokes each to its slot's state; -errno leaves the image
 * unusable (the caller releases it).  unregister: before the image is
 * wiped, process context; drops the map references.
 */
bool xbpf_jit_poke_init(const struct xbpf_jit_poke_syms *syms);
void xbpf_jit_poke_exit(void);
int xbpf_jit_poke_take(struct xbpf_jit_image *img, const struct xbpf_prog *prog,
		       const struct xbpf_jit_out *out);
int xbpf_jit_poke_register(struct xbpf_jit_image *img);
void xbpf_jit_poke_unregister(struct xbpf_jit_image *img);

/* prog_dump.c: OBJ_GET_INFO's program text (info.c) */
bool xbpf_dump_raw_ok(struct file *file);
int xbpf_dump_xlated_info(const struct xbpf_prog *prog, struct xbpf_prog_info *info,
			  bool raw_ok);
int xbpf_dump_jited_info(const struct xbpf_jit_image *img, struct xbpf_prog_info *info,
			 bool raw_ok);

/* caps.c */
void xbpf_caps_current(struct xbpf_caps *caps);
bool xbpf_caps_may_load(const struct xbpf_caps *caps, u32 prog_type);

/* objname.c */
int xbpf_obj_name_cpy(char *dst, const char *src, unsigned int size);

/* prog_fd.c */
int xbpf_prog_install(struct xbpf_prog *prog, bool bpf_capable);
struct xbpf_prog *xbpf_prog_from_fd(int fd);
struct xbpf_prog *xbpf_prog_from_file(struct file *file);
struct xbpf_prog *xbpf_core_prog_from_fd(void *priv, u32 fd, int *err);
/* An fd that takes over one reference on prog (on success only). */
int xbpf_prog_new_fd(struct xbpf_prog *prog);

/* map_fd.c */
int xbpf_map_install(struct xbpf_map *map);
struct xbpf_map *xbpf_map_from_fd(int fd, fmode_t *mode);
struct xbpf_map *xbpf_map_from_file(struct file *file);
/* O_RDONLY / O_WRONLY / O_RDWR for F_RDONLY / F_WRONLY, -EINVAL for both */
int xbpf_map_file_flags(u32 flags);
/* An fd on map that takes over one user reference (on success only). */
int xbpf_map_new_fd(struct xbpf_map *map, int flags);
extern const struct xbpf_verifier_ops xbpf_mod_verifier_ops;

/* btf_fd.c */
struct xbpf_btf;
struct xbpf_btf *xbpf_btf_from_file(struct file *file);
struct xbpf_btf *xbpf_verifier_btf_from_fd(void *priv, int fd, int *err);
int xbpf_btf_get_info(struct xbpf_btf *btf, const union xbpf_attr *attr,
		      union xbpf_attr __user *uattr);

/*
 * Command handlers: attr is the kernel copy (zero-extended), uattr the
 * caller's block and usize its size, for the fields written back.
 */
int xbpf_cmd_map_create(union xbpf_attr *attr);
int xbpf_cmd_map_lookup(union xbpf_attr *attr);
int xbpf_cmd_map_update(union xbpf_attr *attr);
int xbpf_cmd_map_delete(union xbpf_attr *attr);
int xbpf_cmd_map_get_next_key(union xbpf_attr *attr);
int xbpf_cmd_map_freeze(union xbpf_attr *attr);
int xbpf_cmd_prog_load(union xbpf_attr *attr, union xbpf_attr __user *uattr,
		       u32 usize);
int xbpf_cmd_test_run(union xbpf_attr *attr, union xbpf_attr __user *uattr);
int xbpf_cmd_get_info(union xbpf_attr *attr, union xbpf_attr __user *uattr);
int xbpf_cmd_btf_load(union xbpf_attr *attr);
int xbpf_cmd_btf_get_fd_by_id(union xbpf_attr *attr);
int xbpf_map_btf_attach(struct xbpf_map *map, const union xbpf_attr *attr);
int xbpf_cmd_btf_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr);
int xbpf_cmd_map_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr);
int xbpf_cmd_map_get_fd_by_id(union xbpf_attr *attr);
int xbpf_cmd_prog_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr);
int xbpf_cmd_prog_get_fd_by_id(union xbpf_attr *attr);

/*
 * pin.c: OBJ_PIN / OBJ_GET over the module-wide pin table, and
 * XBPF_IOC_PIN_NEXT.  xbpf_pin_exit() runs at module exit.
 */
int xbpf_cmd_obj_pin(union xbpf_attr *attr);
int xbpf_cmd_obj_get(union xbpf_attr *attr);
long xbpf_ioc_pin_next(struct xbpf_pin_info __user *uinfo);
void xbpf_pin_exit(void);

/* link.c: the generic link (see there for the lifetime rules) */
struct xbpf_link;

struct xbpf_link_ops {
	/* Unhook; on return no run of the program through the link is left. */
	void (*detach)(struct xbpf_link *link);
	/* Free the attach kind's state and the link (after detach). */
	void (*dealloc)(struct xbpf_link *link);
	/* Optional: the type's part of OBJ_GET_INFO_BY_FD (info holds the user's input). */
	int (*fill_info)(struct xbpf_link *link, struct xbpf_link_info *info);
};

struct xbpf_link {
	refcount_t			refcnt;
	u32				id;
	u32				type;		/* enum xbpf_link_type */
	u32				attach_type;
	bool				detached;	/* under lock */
	struct mutex			lock;
	const struct xbpf_link_ops	*ops;
	struct xbpf_prog		*prog;		/* one reference, until the free */
};

void xbpf_link_init(struct xbpf_link *link, u32 type, u32 attach_type,
		    const struct xbpf_link_ops *ops, struct xbpf_prog *prog);
int xbpf_link_install(struct xbpf_link *link);
void xbpf_link_put(struct xbpf_link *link);
struct xbpf_link *xbpf_link_from_file(struct file *file);
void xbpf_link_get(struct xbpf_link *link);
int xbpf_link_new_fd(struct xbpf_link *link);
int xbpf_link_get_info(struct xbpf_link *link, const union xbpf_attr *attr,
		       union xbpf_attr __user *uattr);
int xbpf_cmd_link_create(union xbpf_attr *attr);
int xbpf_cmd_link_detach(union xbpf_attr *attr);
int xbpf_cmd_link_get_next_id(union xbpf_attr *attr, union xbpf_attr __user *uattr);
int xbpf_cmd_link_get_fd_by_id(union xbpf_attr *attr);

/* attach_kprobe.c: LINK_CREATE BPF_TRACE_KPROBE_MULTI; takes prog */
int xbpf_kprobe_link_create(const union xbpf_attr *attr, struct xbpf_prog *prog);

/* attach_tp.c: RAW_TRACEPOINT_OPEN for RAW_TRACEPOINT and TRACEPOINT */
int xbpf_cmd_raw_tracepoint_open(const union xbpf_attr *attr);
/* jit_mem.c: an unexported kernel symbol's address, 0 if none */
unsigned long xbpf_kallsyms_lookup(const char *name);

/* trace_run.c: running from hooks, preemption disabled by the caller */
void xbpf_trace_run(struct xbpf_prog *prog, void *ctx, u32 ctx_size);
void xbpf_trace_disable(void);
void xbpf_trace_enable(void);
int xbpf_trace_run_init(void);
void xbpf_trace_run_exit(void);

/* trace_helpers.c, trace_pipe.c: tracing helpers, /proc/xbpf/trace_pipe */
int xbpf_trace_helpers_init(void);
void xbpf_trace_helpers_exit(void);
void xbpf_trace_pipe_write(const char *line, u32 len);
int xbpf_trace_pipe_init(void);
void xbpf_trace_pipe_exit(void);

/* ioctl.c, version.c */
long xbpf_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int xbpf_ioc_version(struct xbpf_version __user *uver);

#endif /* _XBPF_MOD_H */

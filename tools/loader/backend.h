/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One interface, two engines: the module behind /dev/xbpf, or the core
 * library in this process (--offline).  Both speak bpf(2) attribute blocks
 * (union xbpf_attr), so the offline engine is a small model of the
 * module's dispatcher and the tools cannot tell them apart except through
 * the extras noted below.
 */
#ifndef _XBPF_TOOLS_BACKEND_H
#define _XBPF_TOOLS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/xbpf.h>

struct xbpf_backend;

struct xbpf_backend_ops {
	/* One bpf(2) command: returns what bpf(2) would, or -errno. */
	int (*bpf)(struct xbpf_backend *be, int cmd, union xbpf_attr *attr,
		   unsigned int size);
	int (*version)(struct xbpf_backend *be, struct xbpf_version *v);
	int (*close_fd)(struct xbpf_backend *be, int fd);
	void (*destroy)(struct xbpf_backend *be);
};

struct xbpf_backend {
	const struct xbpf_backend_ops *ops;
	const char	*engine;	/* "module" or "offline" */
	/*
	 * The next PROG_LOAD runs unprivileged: offline with every verifier
	 * capability cleared, against the module with the effective
	 * capability set emptied for the duration of the ioctl.
	 */
	bool		unpriv;
	/*
	 * Offline only: how PROG_LOAD runs the verifier's walk
	 * (enum xbpf_check_mode): XBPF_CHECK_AUTO, the module's rule, unless
	 * XBPF_OFFLINE_CHECK=strict|off at open; the module ignores it.
	 */
	int		check_mode;
	/* Offline only: the full 64-bit r0 of the last test-run. */
	bool		have_r0;
	__u64		last_r0;
	/* Offline only: why the last checked run faulted ("" if it did not). */
	char		fault[160];
	void		*priv;
};

/* Device path: $XBPF_DEVICE, else /dev/xbpf. */
int xbpf_backend_dev_open(struct xbpf_backend **bep);
int xbpf_backend_offline_open(struct xbpf_backend **bep);
/* Either one; on failure prints nothing, returns -errno. */
int xbpf_backend_open(bool offline, struct xbpf_backend **bep);
void xbpf_backend_close(struct xbpf_backend *be);

/* ---- typed wrappers (backend.c); all return >= 0 or -errno ---- */

int xbpf_be_map_create(struct xbpf_backend *be, __u32 type, __u32 key_size,
		       __u32 value_size, __u32 max_entries, __u32 flags);
int xbpf_be_map_lookup(struct xbpf_backend *be, int fd, const void *key, void *value);
int xbpf_be_map_freeze(struct xbpf_backend *be, int fd);
int xbpf_be_map_update(struct xbpf_backend *be, int fd, const void *key,
		       const void *value, __u64 flags);
int xbpf_be_map_delete(struct xbpf_backend *be, int fd, const void *key);
/* key NULL: first key */
int xbpf_be_map_next_key(struct xbpf_backend *be, int fd, const void *key, void *next);

struct xbpf_be_load {
	__u32			prog_type;
	const struct xbpf_insn	*insns;
	__u32			insn_cnt;
	const char		*name;		/* may be NULL */
	__u32			log_level;
	char			*log_buf;	/* NULL with log_size 0: no log */
	__u32			log_size;
	__u32			log_true_size;	/* out */
	bool			unpriv;
	/* BTF func_info (func_info_cnt 0: none); the record size is the uapi one */
	int			prog_btf_fd;
	const struct xbpf_func_info *func_info;
	__u32			func_info_cnt;
};

/* Returns the program fd or -errno. */
int xbpf_be_prog_load(struct xbpf_backend *be, struct xbpf_be_load *l);
/* BTF_LOAD without a log: returns the BTF fd or -errno. */
int xbpf_be_btf_load(struct xbpf_backend *be, const void *blob, __u32 size);

struct xbpf_be_run {
	int		prog_fd;
	const void	*data_in;
	__u32		data_size_in;
	void		*data_out;
	__u32		data_size_out;	/* in: buffer size; out: bytes */
	void		*ctx_in;	/* SYSCALL: written back in place */
	__u32		ctx_size_in;
	void		*ctx_out;
	__u32		ctx_size_out;	/* in: buffer size; out: bytes */
	__u32		repeat;
	__u32		flags;		/* PROG_TEST_RUN flags (XBPF_F_TEST_RUN_INTERP) */
	/* out */
	__u64		retval;		/* 64 bits offline; bpf(2)'s 32 against the module */
	bool		retval_64;	/* retval holds all of r0 */
	__u32		duration;	/* ns per run, as bpf(2) reports it */
};

int xbpf_be_test_run(struct xbpf_backend *be, struct xbpf_be_run *r);
int xbpf_be_prog_info(struct xbpf_backend *be, int fd, struct xbpf_prog_info *info);
int xbpf_be_map_info(struct xbpf_backend *be, int fd, struct xbpf_map_info *info);
int xbpf_be_version(struct xbpf_backend *be, struct xbpf_version *v);
/* MAP_GET_NEXT_ID (0 and *next_id, or -ENOENT past the last) and MAP_GET_FD_BY_ID. */
int xbpf_be_map_next_id(struct xbpf_backend *be, __u32 start_id, __u32 *next_id);
int xbpf_be_map_fd_by_id(struct xbpf_backend *be, __u32 id, __u32 open_flags);
int xbpf_be_prog_fd_by_id(struct xbpf_backend *be, __u32 id);
/* OBJ_GET_INFO_BY_FD on *pi as the caller filled it (array capacities in). */
int xbpf_be_prog_info_in(struct xbpf_backend *be, int fd, struct xbpf_prog_info *pi);
void xbpf_be_close_fd(struct xbpf_backend *be, int fd);

/*
 * PROG_LOAD with a log at level log_level (0: none) in a buffer that
 * grows when the engine reports the log did not fit; *logp gets the
 * NUL-terminated log (or NULL) for the caller to free.
 */
int xbpf_be_prog_load_log(struct xbpf_backend *be, struct xbpf_be_load *l, char **logp);

#endif /* _XBPF_TOOLS_BACKEND_H */

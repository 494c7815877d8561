// SPDX-License-Identifier: GPL-2.0
/*
 * Typed wrappers over a backend's bpf(2) entry point.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

#define PTR(p)	((__u64)(uintptr_t)(p))

int xbpf_backend_open(bool offline, struct xbpf_backend **bep)
{
	return offline ? xbpf_backend_offline_open(bep) : xbpf_backend_dev_open(bep);
}

void xbpf_backend_close(struct xbpf_backend *be)
{
	if (be)
		be->ops->destroy(be);
}

static int cmd(struct xbpf_backend *be, int nr, union xbpf_attr *attr)
{
	return be->ops->bpf(be, nr, attr, sizeof(*attr));
}

int xbpf_be_map_create(struct xbpf_backend *be, __u32 type, __u32 key_size,
		       __u32 value_size, __u32 max_entries, __u32 flags)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	return cmd(be, XBPF_MAP_CREATE, &attr);
}

static int elem(struct xbpf_backend *be, int nr, int fd, const void *key,
		const void *value, __u64 flags)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	attr.key = PTR(key);
	attr.value = PTR(value);
	attr.flags = flags;
	return cmd(be, nr, &attr);
}

int xbpf_be_map_lookup(struct xbpf_backend *be, int fd, const void *key, void *value)
{
	return elem(be, XBPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int xbpf_be_map_update(struct xbpf_backend *be, int fd, const void *key,
		       const void *value, __u64 flags)
{
	return elem(be, XBPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int xbpf_be_map_freeze(struct xbpf_backend *be, int fd)
{
	return elem(be, XBPF_MAP_FREEZE, fd, NULL, NULL, 0);
}

int xbpf_be_map_delete(struct xbpf_backend *be, int fd, const void *key)
{
	return elem(be, XBPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int xbpf_be_map_next_key(struct xbpf_backend *be, int fd, const void *key, void *next)
{
	return elem(be, XBPF_MAP_GET_NEXT_KEY, fd, key, next, 0);
}

int xbpf_be_prog_load(struct xbpf_backend *be, struct xbpf_be_load *l)
{
	union xbpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = l->prog_type;
	attr.insns = PTR(l->insns);
	attr.insn_cnt = l->insn_cnt;
	attr.license = PTR("GPL");
	attr.log_level = l->log_level;
	attr.log_buf = PTR(l->log_buf);
	attr.log_size = l->log_size;
	if (l->name)
		strncpy(attr.prog_name, l->name, sizeof(attr.prog_name) - 1);
	if (l->func_info_cnt) {
		attr.prog_btf_fd = (__u32)l->prog_btf_fd;
		attr.func_info = PTR(l->func_info);
		attr.func_info_cnt = l->func_info_cnt;
		attr.func_info_rec_size = sizeof(*l->func_info);
	}
	be->unpriv = l->unpriv;
	ret = cmd(be, XBPF_PROG_LOAD, &attr);
	be->unpriv = false;
	l->log_true_size = attr.log_true_size;
	return ret;
}

int xbpf_be_btf_load(struct xbpf_backend *be, const void *blob, __u32 size)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = PTR(blob);
	attr.btf_size = size;
	return cmd(be, XBPF_BTF_LOAD, &attr);
}

int xbpf_be_test_run(struct xbpf_backend *be, struct xbpf_be_run *r)
{
	union xbpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (__u32)r->prog_fd;
	attr.test.data_in = PTR(r->data_in);
	attr.test.data_size_in = r->data_size_in;
	attr.test.data_out = PTR(r->data_out);
	attr.test.data_size_out = r->data_size_out;
	attr.test.ctx_in = PTR(r->ctx_in);
	attr.test.ctx_size_in = r->ctx_size_in;
	attr.test.ctx_out = PTR(r->ctx_out);
	attr.test.ctx_size_out = r->ctx_size_out;
	attr.test.repeat = r->repeat;
	attr.test.flags = r->flags;
	be->have_r0 = false;
	be->fault[0] = '\0';
	ret = cmd(be, XBPF_PROG_TEST_RUN, &attr);
	r->data_size_out = attr.test.data_size_out;
	r->ctx_size_out = attr.test.ctx_size_out;
	r->duration = attr.test.duration;
	r->retval = attr.test.retval;
	r->retval_64 = false;
	if (!ret && be->have_r0) {
		r->retval = be->last_r0;
		r->retval_64 = true;
	}
	return ret;
}

static int info(struct xbpf_backend *be, int fd, void *buf, __u32 len)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	memset(buf, 0, len);
	attr.info.bpf_fd = (__u32)fd;
	attr.info.info_len = len;
	attr.info.info = PTR(buf);
	return cmd(be, XBPF_OBJ_GET_INFO_BY_FD, &attr);
}

int xbpf_be_prog_info(struct xbpf_backend *be, int fd, struct xbpf_prog_info *pi)
{
	return info(be, fd, pi, sizeof(*pi));
}

int xbpf_be_map_info(struct xbpf_backend *be, int fd, struct xbpf_map_info *mi)
{
	return info(be, fd, mi, sizeof(*mi));
}

int xbpf_be_version(struct xbpf_backend *be, struct xbpf_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return be->ops->version(be, v);
}

void xbpf_be_close_fd(struct xbpf_backend *be, int fd)
{
	if (fd >= 0)
		be->ops->close_fd(be, fd);
}

#define LOG_START_SIZE	(1U << 20)
#define LOG_MAX_SIZE	(1U << 30)	/* XBPF_LOG_MAX_SIZE, rounded down */

int xbpf_be_prog_load_log(struct xbpf_backend *be, struct xbpf_be_load *l, char **logp)
{
	__u32 size = LOG_START_SIZE;
	char *log = NULL;
	int ret;

	*logp = NULL;
	if (!l->log_level) {
		l->log_buf = NULL;
		l->log_size = 0;
		return xbpf_be_prog_load(be, l);
	}
	for (;;) {
		char *nl = realloc(log, size);

		if (!nl) {
			free(log);
			return -ENOMEM;
		}
		log = nl;
		log[0] = '\0';
		l->log_buf = log;
		l->log_size = size;
		ret = xbpf_be_prog_load(be, l);
		/* a truncated log: retry once with the size the engine asked for */
		if (ret != -ENOSPC || l->log_true_size <= size || size >= LOG_MAX_SIZE)
			break;
		size = l->log_true_size < LOG_MAX_SIZE ? l->log_true_size : LOG_MAX_SIZE;
	}
	log[size - 1] = '\0';
	l->log_buf = NULL;
	l->log_size = 0;
	*logp = log;
	return ret;
}

int xbpf_be_map_next_id(struct xbpf_backend *be, __u32 start_id, __u32 *next_id)
{
	union xbpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	err = cmd(be, XBPF_MAP_GET_NEXT_ID, &attr);
	if (!err)
		*next_id = attr.next_id;
	return err;
}

int xbpf_be_map_fd_by_id(struct xbpf_backend *be, __u32 id, __u32 open_flags)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_id = id;
	attr.open_flags = open_flags;
	return cmd(be, XBPF_MAP_GET_FD_BY_ID, &attr);
}

int xbpf_be_prog_fd_by_id(struct xbpf_backend *be, __u32 id)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	return cmd(be, XBPF_PROG_GET_FD_BY_ID, &attr);
}

/* OBJ_GET_INFO_BY_FD with the caller's prepared info (array pointers kept). */
int xbpf_be_prog_info_in(struct xbpf_backend *be, int fd, struct xbpf_prog_info *pi)
{
	union xbpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)fd;
	attr.info.info_len = sizeof(*pi);
	attr.info.info = PTR(pi);
	return cmd(be, XBPF_OBJ_GET_INFO_BY_FD, &attr);
}

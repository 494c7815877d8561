// SPDX-License-Identifier: GPL-2.0
/*
 * xbpf map consume --id N [--count K] [--timeout-ms T] [--json]
 *   Streams the records of ring buffer map N, one line each, through
 *   libxbpf_ringbuf (tools/ringbuf/): hex bytes, or with --json one
 *   object {"size": S, "data": "hex"} per line.  Each line is flushed as
 *   it is written, so a pipe sees records as they come.
 * xbpf map list [--json]
 *   Every map's id, type, name and sizes (MAP_GET_NEXT_ID, then
 *   MAP_GET_FD_BY_ID and OBJ_GET_INFO_BY_FD for each).
 *
 * Both need CAP_SYS_ADMIN, as bpf(2)'s id commands do.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ringbuf/xbpf_ringbuf.h"
#include "json.h"
#include "map_cmds.h"
#include "names.h"
#include "util.h"

#define EXIT_REFUSED	1
#define EXIT_USAGE	2

/*
 * The longest single wait: a record committed with NO_WAKEUP wakes no
 * one, so the loop looks at the ring at least this often anyway.
 */
#define CONSUME_SLICE_MS	250

static volatile sig_atomic_t consume_stop;

static void on_signal(int sig)
{
	(void)sig;
	consume_stop = 1;
}

struct consume_state {
	const struct xbpf_consume_opts	*o;
	__u64				printed;
	char				*hex;		/* grown to the largest record */
	size_t				hex_cap;
};

static int print_record(void *ctx, const void *data, size_t size)
{
	struct consume_state *st = ctx;

	if (2 * size + 1 > st->hex_cap) {
		char *h = realloc(st->hex, 2 * size + 1);

		if (!h)
			return -ENOMEM;
		st->hex = h;
		st->hex_cap = 2 * size + 1;
	}
	if (st->o->json) {
		struct xbpf_json j;

		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_u64(&j, "size", size);
		xbpf_json_kv_hex(&j, "data", data, size);
		xbpf_json_end_object(&j);	/* ends the line too */
	} else {
		xbpf_hex_encode(data, size, st->hex);
		puts(st->hex);
	}
	fflush(stdout);
	st->printed++;
	/* enough: stop here, leaving later records in the ring */
	return st->o->count && st->printed >= st->o->count;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void catch_signals(void)
{
	struct sigaction sa;

	/* no SA_RESTART: the wait returns -EINTR and the loop sees the flag */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int consume_loop(struct xbpf_ringbuf_consumer *c, struct consume_state *st)
{
	const struct xbpf_consume_opts *o = st->o;
	long long last = now_ms();

	while (!consume_stop) {
		__u64 before = st->printed;
		int wait = CONSUME_SLICE_MS, ret;

		if (o->timeout_ms >= 0) {
			long long left = last + o->timeout_ms - now_ms();

			if (left <= 0)
				return 0;	/* quiet for timeout_ms: done */
			if (left < wait)
				wait = (int)left;
		}
		ret = xbpf_ringbuf_consumer_poll(c, wait);
		if (st->printed != before)
			last = now_ms();
		if (o->count && st->printed >= o->count)
			return 0;
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			fprintf(stderr, "xbpf: map %u: consuming failed: %s\n", o->id,
				xbpf_errstr(ret));
			return EXIT_REFUSED;
		}
	}
	return 0;
}

int xbpf_map_consume(struct xbpf_backend *be, const struct xbpf_consume_opts *o)
{
	struct consume_state st = { .o = o };
	struct xbpf_ringbuf_consumer *c = NULL;
	struct xbpf_map_info info;
	int fd, err, ret = EXIT_REFUSED;

	fd = xbpf_be_map_fd_by_id(be, o->id, 0);
	if (fd < 0) {
		fprintf(stderr, "xbpf: map %u: MAP_GET_FD_BY_ID failed: %s%s\n", o->id,
			xbpf_errstr(fd), fd == -EPERM ? " (needs CAP_SYS_ADMIN)" : "");
		return EXIT_REFUSED;
	}
	err = xbpf_be_map_info(be, fd, &info);
	if (err) {
		fprintf(stderr, "xbpf: map %u: OBJ_GET_INFO_BY_FD failed: %s\n", o->id,
			xbpf_errstr(err));
		goto out;
	}
	if (info.type != XBPF_MAP_TYPE_RINGBUF) {
		const char *tn = xbpf_map_type_str(info.type);

		fprintf(stderr, "xbpf: map %u is a %s map, not a ringbuf\n", o->id,
			tn ? tn : "unknown");
		goto out;
	}
	c = xbpf_ringbuf_consumer_new(-1);
	if (!c) {
		fprintf(stderr, "xbpf: cannot start a consumer: %s\n", xbpf_errstr(errno));
		goto out;
	}
	err = xbpf_ringbuf_consumer_add(c, fd, print_record, &st);
	if (err) {
		fprintf(stderr, "xbpf: map %u: cannot map the ring: %s\n", o->id,
			xbpf_errstr(err));
		goto out;
	}
	catch_signals();
	ret = consume_loop(c, &st);
out:
	xbpf_ringbuf_consumer_free(c);
	xbpf_be_close_fd(be, fd);
	free(st.hex);
	return ret;
}

static void list_one(const struct xbpf_map_info *info, struct xbpf_json *j)
{
	const char *tn = xbpf_map_type_str(info->type);
	char name[XBPF_OBJ_NAME_LEN + 1];

	memcpy(name, info->name, XBPF_OBJ_NAME_LEN);
	name[XBPF_OBJ_NAME_LEN] = '\0';
	if (j) {
		xbpf_json_begin_object(j);
		xbpf_json_kv_u64(j, "id", info->id);
		xbpf_json_kv_string(j, "type", tn ? tn : "unknown");
		xbpf_json_kv_u64(j, "type_id", info->type);
		xbpf_json_kv_string(j, "name", name);
		xbpf_json_kv_u64(j, "key_size", info->key_size);
		xbpf_json_kv_u64(j, "value_size", info->value_size);
		xbpf_json_kv_u64(j, "max_entries", info->max_entries);
		xbpf_json_kv_u64(j, "map_flags", info->map_flags);
		xbpf_json_end_object(j);
	} else {
		printf("%u: %s  name %s  key %u  value %u  max_entries %u  flags %#x\n",
		       info->id, tn ? tn : "unknown", name[0] ? name : "-", info->key_size,
		       info->value_size, info->max_entries, info->map_flags);
	}
}

int xbpf_map_list(struct xbpf_backend *be, bool json)
{
	struct xbpf_json j;
	__u32 id = 0;
	int err, fd, ret = 0;

	if (json) {
		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_key(&j, "maps");
		xbpf_json_begin_array(&j);
	}
	for (;;) {
		struct xbpf_map_info info;

		err = xbpf_be_map_next_id(be, id, &id);
		if (err == -ENOENT)
			break;
		if (err) {
			fprintf(stderr, "xbpf: MAP_GET_NEXT_ID failed: %s%s\n", xbpf_errstr(err),
				err == -EPERM ? " (needs CAP_SYS_ADMIN)" : "");
			ret = EXIT_REFUSED;
			break;
		}
		fd = xbpf_be_map_fd_by_id(be, id, 0);
		if (fd == -ENOENT)
			continue;	/* freed since: not a map any more */
		if (fd < 0) {
			fprintf(stderr, "xbpf: map %u: MAP_GET_FD_BY_ID failed: %s\n", id,
				xbpf_errstr(fd));
			ret = EXIT_REFUSED;
			break;
		}
		err = xbpf_be_map_info(be, fd, &info);
		xbpf_be_close_fd(be, fd);
		if (err) {
			fprintf(stderr, "xbpf: map %u: OBJ_GET_INFO_BY_FD failed: %s\n", id,
				xbpf_errstr(err));
			ret = EXIT_REFUSED;
			break;
		}
		list_one(&info, json ? &j : NULL);
	}
	if (json) {
		xbpf_json_end_array(&j);
		xbpf_json_end_object(&j);
	}
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bpftool-style commands on loaded objects by id, through libbpf's
 * low-level wrappers (so through /dev/xbpf, see tools/redirect/):
 *
 * xbpf prog show [id N] [--json]
 * xbpf map show [id N] [--json]
 * xbpf map dump id N [--json]
 * xbpf map lookup id N key HEX [--json]
 * xbpf map update id N key HEX value HEX [any|noexist|exist]
 * xbpf map delete id N key HEX
 * xbpf map create type T key K value V entries E [name X] [flags F]
 *                 [--json] [--hold]
 *
 * The id commands need CAP_SYS_ADMIN, as bpf(2)'s do.  A created map
 * lives while its fd does: --hold keeps it until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "libbpf_cmds.h"
#include "names.h"
#include "util.h"

#define EXIT_REFUSED	1
#define EXIT_USAGE	2

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("xbpf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *str_or(const char *s)
{
	return s ? s : "unknown";
}

/* "key val" pairs and flags after the verb */
struct kv_args {
	bool		json, hold, have_id;
	__u32		id;
	const char	*key, *value, *type, *name;
	const char	*entries, *flags;
	__u64		upd_flags;
};

static int parse_kv(int argc, char **argv, struct kv_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = NULL;

		if (!strcmp(k, "--json")) {
			a->json = true;
			continue;
		}
		if (!strcmp(k, "--hold")) {
			a->hold = true;
			continue;
		}
		if (!strcmp(k, "any") || !strcmp(k, "noexist") || !strcmp(k, "exist")) {
			a->upd_flags = !strcmp(k, "any") ? BPF_ANY :
				       !strcmp(k, "noexist") ? BPF_NOEXIST : BPF_EXIST;
			continue;
		}
		if (!strcmp(k, "id")) {
			if (!v || xbpf_parse_u32(v, &a->id)) {
				fail("id needs a number");
				return -1;
			}
			a->have_id = true;
			i++;
			continue;
		}
		if (!strcmp(k, "key"))
			slot = &a->key;
		else if (!strcmp(k, "value"))
			slot = &a->value;
		else if (!strcmp(k, "type"))
			slot = &a->type;
		else if (!strcmp(k, "name"))
			slot = &a->name;
		else if (!strcmp(k, "entries"))
			slot = &a->entries;
		else if (!strcmp(k, "flags"))
			slot = &a->flags;
		if (!slot || !v) {
			fail(slot ? "'%s' needs a value" : "unexpected argument '%s' (see --help)", k);
			return -1;
		}
		*slot = v;
		i++;
	}
	return 0;
}

/* An fd for id N, or -1 after printing why; exit code in *ret */
static int fd_by_id(__u32 id, bool map, int *ret)
{
	int fd = map ? bpf_map_get_fd_by_id(id) : bpf_prog_get_fd_by_id(id);

	if (fd < 0) {
		fail("%s id %u: %s", map ? "map" : "prog", id, xbpf_errstr(-errno));
		*ret = EXIT_REFUSED;
	}
	return fd;
}

/* ---- prog show ---- */

static void show_prog(int fd, struct xbpf_json *j)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info), *ids = NULL, n, i;
	char tag[2 * BPF_TAG_SIZE + 1];

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	n = info.nr_map_ids;
	if (n) {
		ids = calloc(n, sizeof(*ids));
		memset(&info, 0, sizeof(info));
		info.nr_map_ids = ids ? n : 0;
		info.map_ids = (__u64)(uintptr_t)ids;
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			info.nr_map_ids = 0;
		if (info.nr_map_ids > n)
			info.nr_map_ids = n;
	}
	xbpf_hex_encode(info.tag, BPF_TAG_SIZE, tag);
	if (j) {
		xbpf_json_begin_object(j);
		xbpf_json_kv_u64(j, "id", info.id);
		xbpf_json_kv_string(j, "type", str_or(xbpf_prog_type_str(info.type)));
		xbpf_json_kv_string(j, "name", info.name);
		xbpf_json_kv_string(j, "tag", tag);
		xbpf_json_kv_bool(j, "gpl_compatible", info.gpl_compatible);
		xbpf_json_kv_u64(j, "loaded_at", info.load_time);
		xbpf_json_kv_u64(j, "uid", info.created_by_uid);
		xbpf_json_kv_u64(j, "bytes_xlated", info.xlated_prog_len);
		xbpf_json_kv_bool(j, "jited", info.jited_prog_len != 0);
		xbpf_json_kv_u64(j, "bytes_jited", info.jited_prog_len);
		xbpf_json_kv_u64(j, "verified_insns", info.verified_insns);
		if (info.btf_id)
			xbpf_json_kv_u64(j, "btf_id", info.btf_id);
		xbpf_json_key(j, "map_ids");
		xbpf_json_begin_array(j);
		for (i = 0; i < info.nr_map_ids; i++)
			xbpf_json_u64(j, ids[i]);
		xbpf_json_end_array(j);
		xbpf_json_end_object(j);
	} else {
		printf("%u: %s  name %s  tag %s%s\n", info.id,
		       str_or(xbpf_prog_type_str(info.type)), info.name, tag,
		       info.gpl_compatible ? "  gpl" : "");
		printf("\tloaded_at %llu  uid %u\n", (unsigned long long)info.load_time,
		       info.created_by_uid);
		printf("\txlated %uB  ", info.xlated_prog_len);
		if (info.jited_prog_len)
			printf("jited %uB", info.jited_prog_len);
		else
			printf("not jited");
		printf("  verified_insns %u", info.verified_insns);
		if (info.btf_id)
			printf("  btf_id %u", info.btf_id);
		if (info.nr_map_ids) {
			printf("\n\tmap_ids ");
			for (i = 0; i < info.nr_map_ids; i++)
				printf("%s%u", i ? "," : "", ids[i]);
		}
		printf("\n");
	}
	free(ids);
}

typedef int (*next_id_t)(__u32 start, __u32 *next);

/* Each object in id order (or just @a->id), shown by @show */
static int show_all(const struct kv_args *a, bool map, void (*show)(int, struct xbpf_json *))
{
	next_id_t next = map ? bpf_map_get_next_id : bpf_prog_get_next_id;
	struct xbpf_json jj, *j = NULL;
	__u32 id = 0;
	int fd, ret = 0;

	if (a->have_id) {
		fd = fd_by_id(a->id, map, &ret);
		if (fd < 0)
			return ret;
		if (a->json) {
			xbpf_json_init(&jj, stdout);
			show(fd, &jj);
			fputc('\n', stdout);
		} else {
			show(fd, NULL);
		}
		close(fd);
		return 0;
	}
	if (a->json) {
		j = &jj;
		xbpf_json_init(j, stdout);
		xbpf_json_begin_array(j);
	}
	while (!next(id, &id)) {
		fd = map ? bpf_map_get_fd_by_id(id) : bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* freed since: skip it */
		show(fd, j);
		close(fd);
	}
	if (errno != ENOENT) {
		fail("%s: %s", map ? "map show" : "prog show", xbpf_errstr(-errno));
		ret = EXIT_REFUSED;
	}
	if (j) {
		xbpf_json_end_array(j);
		fputc('\n', stdout);
	}
	return ret;
}

int xbpf_cmd_prog_show(int argc, char **argv)
{
	struct kv_args a;

	if (parse_kv(argc, argv, &a))
		return EXIT_USAGE;
	return show_all(&a, false, show_prog);
}

/* ---- maps ---- */

static void show_map(int fd, struct xbpf_json *j)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	if (j) {
		xbpf_json_begin_object(j);
		xbpf_json_kv_u64(j, "id", info.id);
		xbpf_json_kv_string(j, "type", str_or(xbpf_map_type_str(info.type)));
		xbpf_json_kv_string(j, "name", info.name);
		xbpf_json_kv_u64(j, "flags", info.map_flags);
		xbpf_json_kv_u64(j, "bytes_key", info.key_size);
		xbpf_json_kv_u64(j, "bytes_value", info.value_size);
		xbpf_json_kv_u64(j, "max_entries", info.max_entries);
		if (info.btf_id)
			xbpf_json_kv_u64(j, "btf_id", info.btf_id);
		xbpf_json_end_object(j);
	} else {
		printf("%u: %s  name %s  flags 0x%x\n", info.id,
		       str_or(xbpf_map_type_str(info.type)), info.name, info.map_flags);
		printf("\tkey %uB  value %uB  max_entries %u", info.key_size,
		       info.value_size, info.max_entries);
		if (info.btf_id)
			printf("  btf_id %u", info.btf_id);
		printf("\n");
	}
}

static int map_sizes(int fd, __u32 *ks, __u32 *vs)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*ks = info.key_size;
	*vs = info.value_size;
	return 0;
}

/* @s decoded into exactly @size bytes */
static int sized_hex(const char *what, const char *s, __u32 size, uint8_t **out)
{
	const char *bad = NULL;
	size_t len;

	if (!s) {
		fail("'%s HEX' is required", what);
		return -1;
	}
	if (xbpf_hex_decode(s, out, &len, &bad)) {
		fail("%s: bad hex%s%s", what, bad ? " at " : "", bad ? bad : "");
		return -1;
	}
	if (len != size) {
		fail("%s: %zu bytes given, the map's %s is %u bytes", what, len, what, size);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static void print_kv(struct xbpf_json *j, const void *k, __u32 ks, const void *v, __u32 vs)
{
	char *hex = malloc(2 * (ks > vs ? ks : vs) + 1);

	if (!hex)
		return;
	if (j) {
		xbpf_json_begin_object(j);
		xbpf_json_kv_hex(j, "key", k, ks);
		xbpf_json_kv_hex(j, "value", v, vs);
		xbpf_json_end_object(j);
	} else {
		xbpf_hex_encode(k, ks, hex);
		printf("key %s", hex);
		xbpf_hex_encode(v, vs, hex);
		printf(" value %s\n", hex);
	}
	free(hex);
}

static int map_dump(int fd, const struct kv_args *a)
{
	__u32 ks = 0, vs = 0, n = 0;
	struct xbpf_json jj, *j = NULL;
	uint8_t *key = NULL, *next = NULL, *val = NULL;
	int err, ret = 0;
	bool first = true;

	err = map_sizes(fd, &ks, &vs);
	if (err) {
		fail("map info: %s", xbpf_errstr(err));
		return EXIT_REFUSED;
	}
	key = calloc(1, ks + 1);
	next = calloc(1, ks + 1);
	val = calloc(1, vs + 1);
	if (!key || !next || !val) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (a->json) {
		j = &jj;
		xbpf_json_init(j, stdout);
		xbpf_json_begin_array(j);
	}
	while (!bpf_map_get_next_key(fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, ks);
		if (bpf_map_lookup_elem(fd, key, val))
			continue;
		print_kv(j, key, ks, val, vs);
		n++;
	}
	if (errno != ENOENT) {
		fail("map dump: %s", xbpf_errstr(-errno));
		ret = EXIT_REFUSED;
	}
	if (j) {
		xbpf_json_end_array(j);
		fputc('\n', stdout);
	} else {
		printf("Found %u element%s\n", n, n == 1 ? "" : "s");
	}
out:
	free(key);
	free(next);
	free(val);
	return ret;
}

static int map_elem(const char *verb, int fd, const struct kv_args *a)
{
	uint8_t *key = NULL, *val = NULL;
	struct xbpf_json j;
	__u32 ks = 0, vs = 0;
	int err, ret = 0;

	err = map_sizes(fd, &ks, &vs);
	if (err) {
		fail("map info: %s", xbpf_errstr(err));
		return EXIT_REFUSED;
	}
	if (sized_hex("key", a->key, ks, &key))
		return EXIT_USAGE;
	if (!strcmp(verb, "update")) {
		if (sized_hex("value", a->value, vs, &val)) {
			ret = EXIT_USAGE;
			goto out;
		}
		err = bpf_map_update_elem(fd, key, val, a->upd_flags);
	} else if (!strcmp(verb, "delete")) {
		err = bpf_map_delete_elem(fd, key);
	} else {
		val = calloc(1, vs + 1);
		if (!val) {
			ret = EXIT_USAGE;
			goto out;
		}
		err = bpf_map_lookup_elem(fd, key, val);
		if (!err) {
			if (a->json) {
				xbpf_json_init(&j, stdout);
				print_kv(&j, key, ks, val, vs);
				fputc('\n', stdout);
			} else {
				print_kv(NULL, key, ks, val, vs);
			}
		}
	}
	if (err) {
		fail("map %s: %s", verb, xbpf_errstr(-errno));
		ret = EXIT_REFUSED;
	}
out:
	free(key);
	free(val);
	return ret;
}

static volatile sig_atomic_t hold_stop;

static void on_hold_signal(int sig)
{
	(void)sig;
	hold_stop = 1;
}

static int map_create(const struct kv_args *a)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	__u32 ks = 0, vs = 0, n = 0, flags = 0, type;
	struct sigaction sa;
	struct xbpf_json j;
	int fd;

	for (type = 1; type < 64; type++) {
		const char *s = xbpf_map_type_str(type);

		if (a->type && s && !strcmp(s, a->type))
			break;
	}
	/* here "key" and "value" are the sizes */
	if (!a->type || type == 64 || !a->key || !a->value || !a->entries ||
	    xbpf_parse_u32(a->key, &ks) || xbpf_parse_u32(a->value, &vs) ||
	    xbpf_parse_u32(a->entries, &n) || (a->flags && xbpf_parse_u32(a->flags, &flags))) {
		fail("usage: map create type T key K value V entries E [name X] [flags F] [--hold]");
		return EXIT_USAGE;
	}
	opts.map_flags = flags;
	fd = bpf_map_create(type, a->name, ks, vs, n, &opts);
	if (fd < 0) {
		fail("map create: %s", xbpf_errstr(-errno));
		return EXIT_REFUSED;
	}
	if (a->json) {
		xbpf_json_init(&j, stdout);
		show_map(fd, &j);
		fputc('\n', stdout);
	} else {
		show_map(fd, NULL);
	}
	if (a->hold) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_hold_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		fflush(stdout);
		while (!hold_stop)
			pause();
	}
	close(fd);
	return 0;
}

int xbpf_cmd_map_obj(int argc, char **argv)
{
	const char *verb = argv[0];
	struct kv_args a;
	int fd, ret = 0;

	if (parse_kv(argc - 1, argv + 1, &a))
		return EXIT_USAGE;
	if (!strcmp(verb, "show"))
		return show_all(&a, true, show_map);
	if (!strcmp(verb, "create"))
		return map_create(&a);
	if (!a.have_id) {
		fail("map %s needs 'id N'", verb);
		return EXIT_USAGE;
	}
	fd = fd_by_id(a.id, true, &ret);
	if (fd < 0)
		return ret;
	if (!strcmp(verb, "dump"))
		ret = map_dump(fd, &a);
	else
		ret = map_elem(verb, fd, &a);
	close(fd);
	return ret;
}

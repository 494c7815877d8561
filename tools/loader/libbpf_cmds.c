// SPDX-License-Identifier: GPL-2.0
/*
 * ELF objects through libbpf (Debian's libbpf.a, linked with
 * --wrap=syscall so its bpf(2) calls go to /dev/xbpf):
 *
 * xbpf prog load OBJ [--type T] [--json] [--run [--ctx HEX] [--data HEX]
 *                    [--repeat N]] [--hold] [--log-level N]
 *   bpf_object__open_file + bpf_object__load of every map and the first
 *   program (loadall: every program).  Prints the program and map ids.
 *   Nothing is pinned, so the objects die with this process: --run
 *   test-runs the (first) program right away and then prints every map's
 *   entries; --hold keeps the process (and so the objects) alive until
 *   SIGINT/SIGTERM, for `prog show`/`map ...` by id from another process.
 * xbpf verify FILE.o: libbpf's load with the verifier log captured
 *   (log level 1 unless --log-level): verdict, errno, log.
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
#define VERIFY_LOG_SIZE	(1u << 22)

static void err_usage(const char *fmt, ...)
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

bool xbpf_file_is_elf(const char *file)
{
	unsigned char m[4];
	FILE *f = fopen(file, "rb");
	bool elf;

	if (!f)
		return false;
	elf = fread(m, 1, 4, f) == 4 && !memcmp(m, "\177ELF", 4);
	fclose(f);
	return elf;
}

/* libbpf's messages: warnings to stderr; debug ones only with $XBPF_LIBBPF_DEBUG */
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("XBPF_LIBBPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int prog_type_by_name(const char *s, enum bpf_prog_type *t)
{
	unsigned int i;

	for (i = 1; i < 64; i++) {
		const char *n = xbpf_prog_type_str(i);

		if (n && !strcmp(n, s)) {
			*t = (enum bpf_prog_type)i;
			return 0;
		}
	}
	return -EINVAL;
}

struct load_opts {
	const char	*file;
	const char	*type;
	bool		json, run, hold;
	uint8_t		*ctx, *data;
	size_t		ctx_len, data_len;
	uint32_t	repeat;
	uint32_t	log_level;
};

static int parse_hex_opt(const char *what, const char *s, uint8_t **buf, size_t *len)
{
	const char *bad = NULL;

	if (xbpf_hex_decode(s, buf, len, &bad)) {
		err_usage("%s: bad hex%s%s", what, bad ? " at " : "", bad ? bad : "");
		return -1;
	}
	return 0;
}

static int parse_load_opts(int argc, char **argv, struct load_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--run")) {
			o->run = true;
		} else if (!strcmp(a, "--hold")) {
			o->hold = true;
		} else if (!strcmp(a, "--type") || !strcmp(a, "--ctx") ||
			   !strcmp(a, "--data") || !strcmp(a, "--repeat") ||
			   !strcmp(a, "--log-level")) {
			if (!v) {
				err_usage("%s needs a value", a);
				return -1;
			}
			i++;
			if (!strcmp(a, "--type")) {
				o->type = v;
			} else if (!strcmp(a, "--ctx")) {
				if (parse_hex_opt(a, v, &o->ctx, &o->ctx_len))
					return -1;
			} else if (!strcmp(a, "--data")) {
				if (parse_hex_opt(a, v, &o->data, &o->data_len))
					return -1;
			} else if (!strcmp(a, "--repeat")) {
				if (xbpf_parse_u32(v, &o->repeat)) {
					err_usage("--repeat: not a number: %s", v);
					return -1;
				}
			} else if (xbpf_parse_u32(v, &o->log_level)) {
				err_usage("--log-level: not a number: %s", v);
				return -1;
			}
		} else if (!strcmp(a, "--offline")) {
			err_usage("--offline is not supported for ELF objects: libbpf issues its own bpf(2) calls, which go to /dev/xbpf");
			return -1;
		} else if (a[0] == '-' && a[1]) {
			err_usage("unknown option '%s' (see --help)", a);
			return -1;
		} else if (!o->file) {
			o->file = a;
		} else {
			err_usage("one object file only ('%s')", a);
			return -1;
		}
	}
	if (!o->file) {
		err_usage("usage: prog load|loadall OBJ [--type T] [--run [--ctx HEX] [--data HEX] [--repeat N]] [--hold] [--json]");
		return -1;
	}
	return 0;
}

static __u32 fd_id(int fd, bool map)
{
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	__u32 len;

	if (map) {
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		return bpf_obj_get_info_by_fd(fd, &mi, &len) ? 0 : mi.id;
	}
	memset(&pi, 0, sizeof(pi));
	len = sizeof(pi);
	return bpf_obj_get_info_by_fd(fd, &pi, &len) ? 0 : pi.id;
}

/* Every entry of @map, in the kernel's key order (GET_NEXT_KEY). */
static void print_map_entries(const struct bpf_map *map, struct xbpf_json *j)
{
	__u32 ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	int fd = bpf_map__fd(map);
	void *key = calloc(1, ks + 1), *next = calloc(1, ks + 1);
	void *val = calloc(1, vs + 1);
	char *hex = malloc(2 * (ks > vs ? ks : vs) + 3);
	bool first = true;

	if (!key || !next || !val || !hex)
		goto out;
	if (j)
		xbpf_json_begin_array(j);
	while (!bpf_map_get_next_key(fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, ks);
		if (bpf_map_lookup_elem(fd, key, val))
			continue;	/* deleted under us, or not readable */
		if (j) {
			xbpf_json_begin_object(j);
			xbpf_json_kv_hex(j, "key", key, ks);
			xbpf_json_kv_hex(j, "value", val, vs);
			xbpf_json_end_object(j);
		} else {
			xbpf_hex_encode(key, ks, hex);
			printf("  key %s", hex);
			xbpf_hex_encode(val, vs, hex);
			printf(" value %s\n", hex);
		}
	}
	if (j)
		xbpf_json_end_array(j);
out:
	free(key);
	free(next);
	free(val);
	free(hex);
}

static volatile sig_atomic_t hold_stop;

static void on_hold_signal(int sig)
{
	(void)sig;
	hold_stop = 1;
}

static void hold_until_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hold_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fflush(stdout);
	while (!hold_stop)
		pause();
}

static int run_prog(struct bpf_program *prog, const struct load_opts *o,
		    __u32 *retval, __u32 *duration)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	int err;

	topts.ctx_in = o->ctx;
	topts.ctx_size_in = o->ctx_len;
	topts.data_in = o->data;
	topts.data_size_in = o->data_len;
	topts.repeat = o->repeat;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	if (err)
		return -errno;
	*retval = topts.retval;
	*duration = topts.duration;
	return 0;
}

int xbpf_cmd_prog_load(int argc, char **argv, bool all)
{
	struct bpf_program *prog, *first = NULL;
	enum bpf_prog_type type = BPF_PROG_TYPE_UNSPEC;
	struct bpf_object *obj;
	struct xbpf_json jj, *j = NULL;
	struct bpf_map *map;
	struct load_opts o;
	__u32 retval = 0, duration = 0;
	int err, ret = 0;

	if (parse_load_opts(argc, argv, &o)) {
		ret = EXIT_USAGE;
		goto free_opts;
	}
	if (o.type && prog_type_by_name(o.type, &type)) {
		err_usage("--type: unknown program type '%s'", o.type);
		ret = EXIT_USAGE;
		goto free_opts;
	}
	libbpf_set_print(print_libbpf);
	obj = bpf_object__open_file(o.file, NULL);
	if (!obj) {
		err = -errno;
		err_usage("%s: cannot open as a BPF object: %s", o.file, xbpf_errstr(err));
		ret = EXIT_USAGE;
		goto free_opts;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!first)
			first = prog;
		else if (!all)
			bpf_program__set_autoload(prog, false);
		if (type != BPF_PROG_TYPE_UNSPEC)
			bpf_program__set_type(prog, type);
	}
	if (!first) {
		err_usage("%s: no program in the object", o.file);
		ret = EXIT_USAGE;
		goto close;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "xbpf: %s: load failed: %s\n", o.file, xbpf_errstr(err));
		ret = EXIT_REFUSED;
		goto close;
	}
	if (o.run) {
		err = run_prog(first, &o, &retval, &duration);
		if (err) {
			fprintf(stderr, "xbpf: %s: test run failed: %s\n",
				bpf_program__name(first), xbpf_errstr(err));
			ret = EXIT_REFUSED;
			goto close;
		}
	}

	if (o.json) {
		j = &jj;
		xbpf_json_init(j, stdout);
		xbpf_json_begin_object(j);
		xbpf_json_key(j, "programs");
		xbpf_json_begin_array(j);
	}
	bpf_object__for_each_program(prog, obj) {
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue;	/* not autoloaded */
		if (j) {
			xbpf_json_begin_object(j);
			xbpf_json_kv_u64(j, "id", fd_id(fd, false));
			xbpf_json_kv_string(j, "name", bpf_program__name(prog));
			xbpf_json_kv_string(j, "type",
					    str_or(xbpf_prog_type_str(bpf_program__type(prog))));
			xbpf_json_kv_string(j, "section", bpf_program__section_name(prog));
			xbpf_json_end_object(j);
		} else {
			printf("prog %u %s %s\n", fd_id(fd, false), bpf_program__name(prog),
			       str_or(xbpf_prog_type_str(bpf_program__type(prog))));
		}
	}
	if (j) {
		xbpf_json_end_array(j);
		if (o.run) {
			xbpf_json_kv_u64(j, "retval", retval);
			xbpf_json_kv_u64(j, "duration", duration);
		}
		xbpf_json_key(j, "maps");
		xbpf_json_begin_array(j);
	} else if (o.run) {
		printf("retval %u\n", retval);
	}
	bpf_object__for_each_map(map, obj) {
		int fd = bpf_map__fd(map);

		if (fd < 0)
			continue;
		if (j) {
			xbpf_json_begin_object(j);
			xbpf_json_kv_u64(j, "id", fd_id(fd, true));
			xbpf_json_kv_string(j, "name", bpf_map__name(map));
			xbpf_json_kv_string(j, "type", str_or(xbpf_map_type_str(bpf_map__type(map))));
			if (o.run) {
				xbpf_json_key(j, "entries");
				print_map_entries(map, j);
			}
			xbpf_json_end_object(j);
		} else {
			printf("map %u %s %s\n", fd_id(fd, true), bpf_map__name(map),
			       str_or(xbpf_map_type_str(bpf_map__type(map))));
			if (o.run)
				print_map_entries(map, NULL);
		}
	}
	if (j) {
		xbpf_json_end_array(j);
		xbpf_json_end_object(j);
		fputc('\n', stdout);
	}
	if (o.hold) {
		printf(j ? "" : "holding\n");
		hold_until_signal();
	}
close:
	bpf_object__close(obj);
free_opts:
	free(o.ctx);
	free(o.data);
	return ret;
}

/*
 * The verifier log of a failed load: libbpf prints it through the print
 * callback; we ask for it into our own buffer per program instead, so it
 * is printed once, whole, by us.
 */
int xbpf_cmd_verify_elf(const char *file, int log_level, bool json)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct xbpf_json j;
	char *log;
	int err, ret;

	libbpf_set_print(print_libbpf);
	log = calloc(1, VERIFY_LOG_SIZE);
	if (!log)
		return EXIT_USAGE;
	obj = bpf_object__open_file(file, NULL);
	if (!obj) {
		err = -errno;
		err_usage("%s: cannot open as a BPF object: %s", file, xbpf_errstr(err));
		free(log);
		return EXIT_USAGE;
	}
	/* one log buffer: libbpf loads the programs one after the other */
	bpf_object__for_each_program(prog, obj) {
		bpf_program__set_log_buf(prog, log, VERIFY_LOG_SIZE);
		bpf_program__set_log_level(prog, log_level ? log_level : 1);
	}
	err = bpf_object__load(obj);
	ret = err ? EXIT_REFUSED : 0;
	if (json) {
		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_string(&j, "verdict", err ? "rejected" : "accepted");
		xbpf_json_kv_s64(&j, "errno", err ? -err : 0);
		xbpf_json_kv_string(&j, "log", log);
		xbpf_json_end_object(&j);
		fputc('\n', stdout);
	} else {
		printf("verdict: %s\n", err ? "rejected" : "accepted");
		if (err)
			printf("errno: %s\n", xbpf_errstr(err));
		fputs(log, stdout);
		if (*log && log[strlen(log) - 1] != '\n')
			fputc('\n', stdout);
	}
	bpf_object__close(obj);
	free(log);
	return ret;
}

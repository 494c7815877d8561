// SPDX-License-Identifier: GPL-2.0
/*
 * xbpf: load, verify and test-run BPF programs on the xbpf engine, through
 * /dev/xbpf or (--offline) the same core linked into this binary.
 *
 *   xbpf prog run FILE [--data HEX] [--ctx HEX] [--repeat N] [--offline] [--json]
 *   xbpf verify [--offline] [--unpriv] [--log-level N] [--json] FILE
 *   xbpf feature [--offline] [--json]
 *   xbpf map consume --id N [--count K] [--timeout-ms T] [--json]
 *   xbpf map list [--json]
 *   xbpf prog dump xlated id N [--json]
 *   xbpf prog dump jited id N [--json] [--raw]
 *
 * FILE is a raw program (docs/raw-format.md).  Exit status: 0 success
 * (verify: accepted), 1 the engine refused (verify: rejected; run: load or
 * run failed), 2 usage, parse or I/O errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "json.h"
#include "libbpf_cmds.h"
#include "map_cmds.h"
#include "pin_cmds.h"
#include "names.h"
#include "prog_dump.h"
#include "rawfile.h"
#include "util.h"

#define EXIT_REFUSED	1
#define EXIT_USAGE	2

#ifndef XBPF_TOOLS_VERSION
#define XBPF_TOOLS_VERSION	"0.1.0"
#endif

static const char *prog_name = "xbpf";

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

__attribute__((format(printf, 1, 2)))
static void errmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbpf prog run FILE [--data HEX] [--ctx HEX] [--repeat N] [--dump-maps]\n"
"                          [--offline] [--json]\n"
"       xbpf verify [--offline] [--unpriv] [--log-level N] [--json] FILE\n"
"       xbpf feature [--offline] [--json]\n"
"       xbpf map consume --id N [--count K] [--timeout-ms T] [--json]\n"
"       xbpf map list [--json]\n"
"       xbpf prog dump xlated id N [--json]\n"
"       xbpf prog dump jited id N [--json] [--raw]\n"
"       xbpf prog load|loadall OBJ [--type T] [--run [--ctx HEX] [--data HEX]\n"
"                          [--repeat N]] [--hold] [--json]\n"
"       xbpf prog show [id N] [--json]\n"
"       xbpf map show [id N] [--json] | map dump id N [--json]\n"
"       xbpf map lookup id N key HEX [--json] | map delete id N key HEX\n"
"       xbpf map update id N key HEX value HEX [any|noexist|exist]\n"
"       xbpf map create type T key K value V entries E [name X] [flags F] [--hold]\n"
"       xbpf --help | --version\n"
"\n"
"FILE is a raw program, one instruction per line (docs/raw-format.md); '-' reads stdin;\n"
"verify also takes a clang-built ELF object (loaded through libbpf, module only).\n"
"OBJ is a clang-built ELF object (clang -O2 -g -target bpf), opened and loaded by\n"
"libbpf (maps, global data, BTF, CO-RE), whose bpf(2) calls go to /dev/xbpf.\n"
"\n"
"prog run    Creates the file's maps, loads the program and test-runs it once\n"
"            (or --repeat N times); prints r0 in decimal.  --data is the packet\n"
"            (socket_filter: an Ethernet frame, >= 14 bytes), --ctx the context\n"
"            (syscall: r1 points at a copy, r2 holds its size).  --dump-maps\n"
"            prints every map entry after the run.  Against the module r0 is\n"
"            bpf(2)'s 32-bit retval; offline it is the full 64-bit r0.\n"
"verify      Loads the program with a verifier log (level 1 unless --log-level)\n"
"            and prints the verdict, the errno, the log and the statistics line.\n"
"            Exit 0: accepted, 1: rejected, 2: usage or I/O error.\n"
"            --unpriv: offline, every verifier capability is cleared; against\n"
"            the module, the effective capability set is emptied (capset) for\n"
"            the PROG_LOAD ioctl, so the module sees an unprivileged caller.\n"
"feature     Prints the engine's XBPF_IOC_VERSION answer (offline: this build's).\n"
"map consume Streams the records of ring buffer map N (an id, see map list) as\n"
"            they are committed, one line each: the bytes in hex, or with\n"
"            --json an object {\"size\": S, \"data\": \"hex\"} per line.  Stops\n"
"            after K records (--count), when none arrives for T ms\n"
"            (--timeout-ms), or on SIGINT/SIGTERM; all exit 0.  The module\n"
"            only (no --offline: ids are the module's), CAP_SYS_ADMIN.\n"
"map list    Every map of the module: id, type, name, sizes (CAP_SYS_ADMIN).\n"
"prog load   Loads OBJ's maps and its first program (loadall: every program),\n"
"            prints their ids.  Nothing is pinned: the objects die when xbpf\n"
"            exits, so --run test-runs the first program at once and prints\n"
"            r0 (retval) and every map's entries; --hold keeps them alive until\n"
"            SIGINT/SIGTERM for the by-id commands.  --type overrides the type.\n"
"prog show   Loaded programs (or id N): type, name, tag, sizes, map ids.\n"
"map show|dump|lookup|update|delete|create\n"
"            bpftool-style map commands by id; keys and values in hex, exactly\n"
"            the map's sizes.  A created map lives while xbpf does (--hold).\n"
"prog dump xlated\n"
"            Loaded program N's instructions as the engines run them (after\n"
"            the verifier's rewrites), one a line; map references show as\n"
"            map ids.  The module only, CAP_SYS_ADMIN.\n"
"prog dump jited\n"
"            Program N's JIT image, per function at its kernel address:\n"
"            disassembled by objdump when one is in PATH, else a hex dump;\n"
"            --raw prints the image as one line of hex.  The first line\n"
"            says which.  Needs CAP_SYSLOG on top (raw kernel addresses).\n"
"\n"
"--offline   Use the core library in this process instead of /dev/xbpf\n"
"            ($XBPF_DEVICE overrides the device path).\n"
"--json      Print one JSON object on stdout (map consume: one per record).\n"
"\n"
"Exit status: 0 success, 1 the engine refused, 2 usage, parse or I/O error.\n");
	xbpf_pin_usage(f);
}

/* ---- option parsing ---- */

struct opts {
	bool		offline;
	bool		json;
	bool		unpriv;
	bool		dump_maps;
	bool		raw;
	__u32		log_level;
	bool		log_level_set;
	__u32		repeat;
	const char	*data_hex;
	const char	*ctx_hex;
	const char	*file;
	__u32		id;
	bool		id_set;
	__u32		count;
	int		timeout_ms;	/* -1: none */
	bool		module_only;	/* map commands: no --offline hint */
};

enum { O_FLAG, O_VALUE };

struct optdef {
	const char	*name;
	int		kind;
	unsigned int	allowed;	/* bit per subcommand */
};

#define FOR_RUN		1
#define FOR_VERIFY	2
#define FOR_FEATURE	4
#define FOR_CONSUME	8
#define FOR_LIST	16
#define FOR_DUMP	32
#define FOR_MAP		(FOR_CONSUME | FOR_LIST | FOR_DUMP)

static const struct optdef optdefs[] = {
	/* accepted by map commands only to refuse it with a reason */
	{ "--offline", O_FLAG, FOR_RUN | FOR_VERIFY | FOR_FEATURE | FOR_MAP },
	{ "--json", O_FLAG, FOR_RUN | FOR_VERIFY | FOR_FEATURE | FOR_MAP },
	{ "--id", O_VALUE, FOR_CONSUME },
	{ "--count", O_VALUE, FOR_CONSUME },
	{ "--timeout-ms", O_VALUE, FOR_CONSUME },
	{ "--unpriv", O_FLAG, FOR_VERIFY },
	{ "--dump-maps", O_FLAG, FOR_RUN },
	{ "--raw", O_FLAG, FOR_DUMP },
	{ "--log-level", O_VALUE, FOR_VERIFY },
	{ "--repeat", O_VALUE, FOR_RUN },
	{ "--data", O_VALUE, FOR_RUN },
	{ "--ctx", O_VALUE, FOR_RUN },
};

static int set_opt(struct opts *o, const char *name, const char *val)
{
	if (!strcmp(name, "--offline"))
		o->offline = true;
	else if (!strcmp(name, "--json"))
		o->json = true;
	else if (!strcmp(name, "--unpriv"))
		o->unpriv = true;
	else if (!strcmp(name, "--dump-maps"))
		o->dump_maps = true;
	else if (!strcmp(name, "--raw"))
		o->raw = true;
	else if (!strcmp(name, "--data"))
		o->data_hex = val;
	else if (!strcmp(name, "--ctx"))
		o->ctx_hex = val;
	else if (!strcmp(name, "--id")) {
		if (xbpf_parse_u32(val, &o->id) || !o->id) {
			errmsg("--id '%s': expected a map id 1..4294967295", val);
			return -1;
		}
		o->id_set = true;
	} else if (!strcmp(name, "--count")) {
		if (xbpf_parse_u32(val, &o->count) || !o->count) {
			errmsg("--count '%s': expected a number 1..4294967295", val);
			return -1;
		}
	} else if (!strcmp(name, "--timeout-ms")) {
		__u32 t;

		if (xbpf_parse_u32(val, &t) || t > INT32_MAX) {
			errmsg("--timeout-ms '%s': expected 0..%d", val, INT32_MAX);
			return -1;
		}
		o->timeout_ms = (int)t;
	} else if (!strcmp(name, "--repeat")) {
		if (xbpf_parse_u32(val, &o->repeat)) {
			errmsg("--repeat '%s': expected a number 0..4294967295", val);
			return -1;
		}
	} else if (!strcmp(name, "--log-level")) {
		if (xbpf_parse_u32(val, &o->log_level) ||
		    (o->log_level & ~(__u32)XBPF_LOG_MASK)) {
			errmsg("--log-level '%s': expected 0..%u (1: log, 2: every state, 4: stats)",
			       val, XBPF_LOG_MASK);
			return -1;
		}
		o->log_level_set = true;
	}
	return 0;
}

/* Options anywhere, "--opt VAL" or "--opt=VAL"; one positional FILE. */
static int parse_opts(int argc, char **argv, unsigned int which, bool want_file,
		      struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->log_level = XBPF_LOG_LEVEL1;
	o->timeout_ms = -1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		const struct optdef *d = NULL;
		size_t k, nlen;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		}
		if (a[0] != '-' || !a[1]) {
			if (!want_file || o->file) {
				errmsg("unexpected argument '%s' (see --help)", a);
				return -1;
			}
			o->file = a;
			continue;
		}
		eq = strchr(a, '=');
		nlen = eq ? (size_t)(eq - a) : strlen(a);
		for (k = 0; k < sizeof(optdefs) / sizeof(optdefs[0]); k++)
			if (strlen(optdefs[k].name) == nlen &&
			    !strncmp(optdefs[k].name, a, nlen))
				d = &optdefs[k];
		if (!d || !(d->allowed & which)) {
			errmsg("unknown option '%.*s' (see --help)", (int)nlen, a);
			return -1;
		}
		if (d->kind == O_VALUE) {
			if (eq) {
				val = eq + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				errmsg("option '%s' needs a value", d->name);
				return -1;
			}
		} else if (eq) {
			errmsg("option '%s' takes no value", d->name);
			return -1;
		}
		if (set_opt(o, d->name, val))
			return -1;
	}
	if (want_file && !o->file) {
		errmsg("missing FILE (see --help)");
		return -1;
	}
	return 0;
}

static int open_backend(const struct opts *o, struct xbpf_backend **be)
{
	int err = xbpf_backend_open(o->offline, be);

	if (!err)
		return 0;
	if (o->offline) {
		errmsg("cannot start the offline engine: %s", xbpf_errstr(err));
	} else {
		const char *dev = getenv("XBPF_DEVICE");

		errmsg("cannot open %s: %s%s", dev && *dev ? dev : XBPF_DEVICE_PATH,
		       xbpf_errstr(err),
		       err == -ENOENT ? (o->module_only ? " (is xbpf.ko loaded?)" :
					 " (is xbpf.ko loaded? or use --offline)") :
		       err == -EACCES || err == -EPERM ?
		       " (the device is root-only unless the module grants a group)" : "");
	}
	return -1;
}

static const char *prog_type_label(__u32 t)
{
	const char *n = xbpf_prog_type_str(t);

	return n ? n : "unknown";
}

/* ---- loading a raw file ---- */

struct loaded {
	struct xbpf_raw_prog	raw;
	int			*map_fds;
	int			prog_fd;
};

static void loaded_free(struct xbpf_backend *be, struct loaded *ld)
{
	__u32 i;

	if (be) {
		xbpf_be_close_fd(be, ld->prog_fd);
		for (i = 0; ld->map_fds && i < ld->raw.nr_maps; i++)
			xbpf_be_close_fd(be, ld->map_fds[i]);
	}
	free(ld->map_fds);
	xbpf_raw_free(&ld->raw);
}

static int parse_file(const char *file, struct loaded *ld)
{
	char err[512];

	memset(ld, 0, sizeof(*ld));
	ld->prog_fd = -1;
	if (xbpf_raw_load(file, &ld->raw, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog_name, err);
		return -1;
	}
	return 0;
}

/* Creates the declared maps and patches their fds into the program. */
static int create_maps(struct xbpf_backend *be, const char *file, struct loaded *ld)
{
	__u32 i;

	ld->map_fds = calloc(ld->raw.nr_maps + 1, sizeof(int));
	if (!ld->map_fds) {
		errmsg("out of memory");
		return -1;
	}
	for (i = 0; i < ld->raw.nr_maps; i++)
		ld->map_fds[i] = -1;
	for (i = 0; i < ld->raw.nr_maps; i++) {
		const struct xbpf_raw_map *m = &ld->raw.maps[i];
		int fd = xbpf_be_map_create(be, m->type, m->key_size, m->value_size,
					    m->max_entries, 0);

		if (fd < 0) {
			const char *tn = xbpf_map_type_str(m->type);

			errmsg("%s:%u: map %u (%s %u %u %u): MAP_CREATE failed: %s", file,
			       m->line, i, tn ? tn : "?", m->key_size, m->value_size,
			       m->max_entries, xbpf_errstr(fd));
			return -1;
		}
		ld->map_fds[i] = fd;
	}
	xbpf_raw_patch_maps(&ld->raw, ld->map_fds);
	return 0;
}

/* ---- xbpf prog run ---- */

static int decode_opt_hex(const char *what, const char *hex, uint8_t **buf, size_t *len)
{
	const char *bad;
	int err;

	if (!hex)
		return 0;
	err = xbpf_hex_decode(hex, buf, len, &bad);
	if (err == -EINVAL) {
		errmsg("%s: not hex bytes (at offset %td%s)", what, bad - hex,
		       *bad ? "" : ": odd number of digits");
		return -1;
	}
	if (err) {
		errmsg("%s: %s", what, xbpf_errstr(err));
		return -1;
	}
	if (*len > UINT32_MAX) {
		errmsg("%s: too long", what);
		return -1;
	}
	return 0;
}

static void dump_maps(struct xbpf_backend *be, struct loaded *ld, struct xbpf_json *j)
{
	__u32 i;

	if (j) {
		xbpf_json_key(j, "maps");
		xbpf_json_begin_array(j);
	}
	for (i = 0; i < ld->raw.nr_maps; i++) {
		const struct xbpf_raw_map *m = &ld->raw.maps[i];
		uint8_t *key = calloc(1, m->key_size + 1);
		uint8_t *next = calloc(1, m->key_size + 1);
		uint8_t *val = calloc(1, m->value_size + 1);
		const char *tn = xbpf_map_type_str(m->type);
		bool first = true;
		int err;

		if (j) {
			xbpf_json_begin_object(j);
			xbpf_json_kv_u64(j, "index", i);
			xbpf_json_kv_string(j, "type", tn ? tn : "unknown");
			xbpf_json_key(j, "entries");
			xbpf_json_begin_array(j);
		}
		while (key && next && val) {
			err = xbpf_be_map_next_key(be, ld->map_fds[i], first ? NULL : key, next);
			if (err)
				break;
			first = false;
			memcpy(key, next, m->key_size);
			err = xbpf_be_map_lookup(be, ld->map_fds[i], key, val);
			if (err)
				continue;	/* deleted under us: skip */
			if (j) {
				xbpf_json_begin_object(j);
				xbpf_json_kv_hex(j, "key", key, m->key_size);
				xbpf_json_kv_hex(j, "value", val, m->value_size);
				xbpf_json_end_object(j);
			} else {
				char *kh = malloc(2 * (size_t)m->key_size + 1);
				char *vh = malloc(2 * (size_t)m->value_size + 1);

				if (kh && vh) {
					xbpf_hex_encode(key, m->key_size, kh);
					xbpf_hex_encode(val, m->value_size, vh);
					printf("map %u key %s value %s\n", i, kh, vh);
				}
				free(kh);
				free(vh);
			}
		}
		if (j) {
			xbpf_json_end_array(j);
			xbpf_json_end_object(j);
		}
		free(key);
		free(next);
		free(val);
	}
	if (j)
		xbpf_json_end_array(j);
}

static int report_load_failure(struct xbpf_backend *be, struct loaded *ld, int err)
{
	struct xbpf_be_load l = {
		.prog_type = ld->raw.prog_type,
		.insns = ld->raw.insns,
		.insn_cnt = ld->raw.insn_cnt,
		.log_level = XBPF_LOG_LEVEL1,
	};
	char *log = NULL;
	int fd;

	errmsg("PROG_LOAD failed: %s", xbpf_errstr(err));
	/* reload with a log to say why (the first load had none) */
	fd = xbpf_be_prog_load_log(be, &l, &log);
	if (fd >= 0)
		xbpf_be_close_fd(be, fd);
	else if (log && log[0])
		fprintf(stderr, "verifier log:\n%s%s", log,
			log[strlen(log) - 1] == '\n' ? "" : "\n");
	free(log);
	return EXIT_REFUSED;
}

static int cmd_prog_run(int argc, char **argv)
{
	struct xbpf_backend *be = NULL;
	struct xbpf_be_run r;
	struct xbpf_be_load l;
	struct loaded ld;
	struct opts o;
	uint8_t *data = NULL, *ctx = NULL, *data_out = NULL, *ctx_out = NULL;
	size_t data_len = 0, ctx_len = 0;
	bool skb;
	int ret = EXIT_USAGE, err;

	if (parse_opts(argc, argv, FOR_RUN, true, &o))
		return EXIT_USAGE;
	if (decode_opt_hex("--data", o.data_hex, &data, &data_len) ||
	    decode_opt_hex("--ctx", o.ctx_hex, &ctx, &ctx_len))
		goto out_free;
	if (parse_file(o.file, &ld))
		goto out_free;
	skb = ld.raw.prog_type == XBPF_PROG_TYPE_SOCKET_FILTER;
	if (skb && data_len < 14) {
		errmsg("a socket_filter program needs --data with an Ethernet frame "
		       "(at least 14 bytes; got %zu)", data_len);
		goto out;
	}
	if (open_backend(&o, &be))
		goto out;
	if (create_maps(be, o.file, &ld))
		goto out;

	memset(&l, 0, sizeof(l));
	l.prog_type = ld.raw.prog_type;
	l.insns = ld.raw.insns;
	l.insn_cnt = ld.raw.insn_cnt;
	l.name = "xbpf_run";
	ld.prog_fd = xbpf_be_prog_load(be, &l);
	if (ld.prog_fd < 0) {
		ret = report_load_failure(be, &ld, ld.prog_fd);
		goto out;
	}

	memset(&r, 0, sizeof(r));
	r.prog_fd = ld.prog_fd;
	r.repeat = o.repeat;
	if (data) {
		/* only what the program can see: the frame comes back as is */
		data_out = malloc(data_len + 1);
		if (!data_out) {
			errmsg("out of memory");
			goto out;
		}
		r.data_in = data;
		r.data_size_in = (__u32)data_len;
		r.data_out = data_out;
		r.data_size_out = (__u32)data_len;
	}
	if (ctx) {
		r.ctx_in = ctx;
		r.ctx_size_in = (__u32)ctx_len;
		if (skb) {
			ctx_out = calloc(1, 192);
			r.ctx_out = ctx_out;
			r.ctx_size_out = ctx_out ? 192 : 0;
		}
	}
	err = xbpf_be_test_run(be, &r);
	if (err) {
		errmsg("PROG_TEST_RUN failed: %s%s%s", xbpf_errstr(err),
		       be->fault[0] ? ": " : "", be->fault);
		ret = EXIT_REFUSED;
		goto out;
	}

	if (o.json) {
		struct xbpf_json j;

		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_string(&j, "file", o.file);
		xbpf_json_kv_string(&j, "engine", be->engine);
		xbpf_json_kv_string(&j, "prog_type", prog_type_label(ld.raw.prog_type));
		xbpf_json_kv_u64(&j, "retval", (__u32)r.retval);
		xbpf_json_kv_u64(&j, "r0", r.retval);
		xbpf_json_kv_bool(&j, "r0_is_64bit", r.retval_64);
		xbpf_json_kv_u64(&j, "duration_ns", r.duration);
		xbpf_json_kv_u64(&j, "repeat", o.repeat ? o.repeat : 1);
		xbpf_json_kv_hex(&j, "data_out", data_out,
				 data_out ? min_size(r.data_size_out, data_len) : 0);
		if (ctx)
			xbpf_json_kv_hex(&j, "ctx_out", skb ? ctx_out : ctx,
					 skb ? min_size(r.ctx_size_out, 192) : ctx_len);
		if (o.dump_maps)
			dump_maps(be, &ld, &j);
		xbpf_json_end_object(&j);
	} else {
		printf("%" PRIu64 "\n", (uint64_t)r.retval);
		if (o.dump_maps)
			dump_maps(be, &ld, NULL);
	}
	ret = 0;
out:
	loaded_free(be, &ld);
	xbpf_backend_close(be);
out_free:
	free(data);
	free(ctx);
	free(data_out);
	free(ctx_out);
	return ret;
}

/* ---- xbpf verify ---- */

/* The last line of the log that starts "processed ": the statistics. */
static char *find_stats(const char *log)
{
	const char *p, *last = NULL;
	size_t n;
	char *s;

	for (p = log; p && *p; ) {
		if (!strncmp(p, "processed ", 10))
			last = p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!last)
		return NULL;
	n = strcspn(last, "\n");
	s = malloc(n + 1);
	if (s) {
		memcpy(s, last, n);
		s[n] = '\0';
	}
	return s;
}

static int cmd_verify(int argc, char **argv)
{
	struct xbpf_backend *be = NULL;
	struct xbpf_prog_info info;
	struct xbpf_be_load l;
	struct loaded ld;
	struct opts o;
	char *log = NULL, *stats = NULL;
	bool accepted, have_info = false;
	int ret = EXIT_USAGE, fd;

	if (parse_opts(argc, argv, FOR_VERIFY, true, &o))
		return EXIT_USAGE;
	if (strcmp(o.file, "-") && xbpf_file_is_elf(o.file)) {
		/*
		 * libbpf issues its own bpf(2) calls (routed to /dev/xbpf):
		 * it cannot be pointed at the in-process engine.
		 */
		if (o.offline || o.unpriv) {
			errmsg("%s: ELF objects load through libbpf and the module: %s is not supported for them",
			       o.file, o.offline ? "--offline" : "--unpriv");
			return EXIT_USAGE;
		}
		return xbpf_cmd_verify_elf(o.file, o.log_level, o.json);
	}
	if (parse_file(o.file, &ld))
		return EXIT_USAGE;
	if (open_backend(&o, &be))
		goto out;
	if (create_maps(be, o.file, &ld))
		goto out;

	memset(&l, 0, sizeof(l));
	l.prog_type = ld.raw.prog_type;
	l.insns = ld.raw.insns;
	l.insn_cnt = ld.raw.insn_cnt;
	l.name = "xbpf_verify";
	l.log_level = o.log_level;
	l.unpriv = o.unpriv;
	fd = xbpf_be_prog_load_log(be, &l, &log);
	if (fd == -ENOMEM && !log) {
		errmsg("out of memory");
		goto out;
	}
	accepted = fd >= 0;
	if (accepted) {
		ld.prog_fd = fd;
		have_info = !xbpf_be_prog_info(be, fd, &info);
	}
	stats = log ? find_stats(log) : NULL;

	if (o.json) {
		struct xbpf_json j;

		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_string(&j, "file", o.file);
		xbpf_json_kv_string(&j, "engine", be->engine);
		xbpf_json_kv_string(&j, "prog_type", prog_type_label(ld.raw.prog_type));
		xbpf_json_kv_u64(&j, "insn_cnt", ld.raw.insn_cnt);
		xbpf_json_kv_bool(&j, "unpriv", o.unpriv);
		xbpf_json_kv_string(&j, "verdict", accepted ? "accepted" : "rejected");
		xbpf_json_kv_bool(&j, "accepted", accepted);
		xbpf_json_kv_u64(&j, "errno", accepted ? 0 : (uint64_t)-fd);
		xbpf_json_key(&j, "errno_name");
		if (accepted)
			xbpf_json_null(&j);
		else
			xbpf_json_string(&j, xbpf_errno_name(fd));
		xbpf_json_kv_u64(&j, "log_level", o.log_level);
		xbpf_json_kv_string(&j, "log", log ? log : "");
		xbpf_json_kv_u64(&j, "log_true_size", l.log_true_size);
		xbpf_json_kv_string(&j, "stats", stats);
		if (have_info) {
			xbpf_json_kv_hex(&j, "tag", info.tag, sizeof(info.tag));
			xbpf_json_kv_u64(&j, "verified_insns", info.verified_insns);
			xbpf_json_kv_u64(&j, "xlated_insns",
					 info.xlated_prog_len / sizeof(struct xbpf_insn));
		}
		xbpf_json_end_object(&j);
	} else {
		printf("verdict: %s\n", accepted ? "accepted" : "rejected");
		if (accepted)
			printf("errno: 0\n");
		else
			printf("errno: %s (%d)\n", xbpf_errno_name(fd), -fd);
		if (log && log[0])
			printf("log:\n%s%s", log, log[strlen(log) - 1] == '\n' ? "" : "\n");
		else
			printf("log: (empty)\n");
		printf("stats: %s\n", stats ? stats : "(none)");
	}
	ret = accepted ? 0 : EXIT_REFUSED;
out:
	free(log);
	free(stats);
	loaded_free(be, &ld);
	xbpf_backend_close(be);
	return ret;
}

/* ---- xbpf feature ---- */

typedef const char *(*namer_t)(unsigned int);

static void print_bits(const char *label, __u64 mask, namer_t name, struct xbpf_json *j)
{
	unsigned int b;

	if (j) {
		xbpf_json_key(j, label);
		xbpf_json_begin_array(j);
	} else {
		printf("%s:", label);
	}
	for (b = 0; b < 64; b++) {
		const char *n;
		char num[16];

		if (!(mask & (1ULL << b)))
			continue;
		n = name(b);
		if (!n) {
			snprintf(num, sizeof(num), "%u", b);
			n = num;
		}
		if (j)
			xbpf_json_string(j, n);
		else
			printf(" %s", n);
	}
	if (j)
		xbpf_json_end_array(j);
	else
		printf("\n");
}

static int cmd_feature(int argc, char **argv)
{
	struct xbpf_backend *be;
	struct xbpf_version v;
	struct opts o;
	int err;

	if (parse_opts(argc, argv, FOR_FEATURE, false, &o))
		return EXIT_USAGE;
	if (open_backend(&o, &be))
		return EXIT_USAGE;
	err = xbpf_be_version(be, &v);
	if (err) {
		errmsg("XBPF_IOC_VERSION failed: %s", xbpf_errstr(err));
		xbpf_backend_close(be);
		return EXIT_REFUSED;
	}
	v.version[sizeof(v.version) - 1] = '\0';
	if (o.json) {
		struct xbpf_json j;

		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_string(&j, "engine", be->engine);
		xbpf_json_kv_string(&j, "version", v.version);
		xbpf_json_kv_u64(&j, "abi_version", v.abi_version);
		xbpf_json_kv_u64(&j, "size", v.size);
		xbpf_json_kv_u64(&j, "features_mask", v.features);
		print_bits("features", v.features, xbpf_feature_name, &j);
		print_bits("cmds", v.cmds, xbpf_cmd_name, &j);
		print_bits("prog_types", v.prog_types, xbpf_prog_type_str, &j);
		print_bits("map_types", v.map_types, xbpf_map_type_str, &j);
		xbpf_json_kv_u64(&j, "max_insns", v.max_insns);
		xbpf_json_kv_u64(&j, "attr_size", v.attr_size);
		xbpf_json_end_object(&j);
	} else {
		printf("engine: %s\n", be->engine);
		printf("version: %s\n", v.version);
		printf("abi_version: %u\n", v.abi_version);
		print_bits("features", v.features, xbpf_feature_name, NULL);
		print_bits("cmds", v.cmds, xbpf_cmd_name, NULL);
		print_bits("prog_types", v.prog_types, xbpf_prog_type_str, NULL);
		print_bits("map_types", v.map_types, xbpf_map_type_str, NULL);
		printf("max_insns: %u\n", v.max_insns);
		printf("attr_size: %u\n", v.attr_size);
	}
	xbpf_backend_close(be);
	return 0;
}

/* ---- xbpf map consume | list ---- */

static int refuse_offline(const struct opts *o, const char *what, const char *objs)
{
	if (!o->offline)
		return 0;
	errmsg("%s: --offline has no %s but its own: ids name the module's %s, "
	       "so this needs /dev/xbpf", what, objs, objs);
	return -1;
}

static int cmd_map_consume(int argc, char **argv)
{
	struct xbpf_consume_opts co;
	struct xbpf_backend *be;
	struct opts o;
	int ret;

	if (parse_opts(argc, argv, FOR_CONSUME, false, &o))
		return EXIT_USAGE;
	if (!o.id_set) {
		errmsg("map consume: missing --id N (see map list)");
		return EXIT_USAGE;
	}
	o.module_only = true;
	if (refuse_offline(&o, "map consume", "maps") || open_backend(&o, &be))
		return EXIT_USAGE;
	memset(&co, 0, sizeof(co));
	co.id = o.id;
	co.count = o.count;
	co.timeout_ms = o.timeout_ms;
	co.json = o.json;
	ret = xbpf_map_consume(be, &co);
	xbpf_backend_close(be);
	return ret;
}

static int cmd_map_list(int argc, char **argv)
{
	struct xbpf_backend *be;
	struct opts o;
	int ret;

	if (parse_opts(argc, argv, FOR_LIST, false, &o))
		return EXIT_USAGE;
	o.module_only = true;
	if (refuse_offline(&o, "map list", "maps") || open_backend(&o, &be))
		return EXIT_USAGE;
	ret = xbpf_map_list(be, o.json);
	xbpf_backend_close(be);
	return ret;
}

/* xbpf prog dump xlated|jited id N [options] */
static int cmd_prog_dump(int argc, char **argv)
{
	struct xbpf_dump_opts dop;
	struct xbpf_backend *be;
	struct opts o;
	__u32 id;
	int ret;

	if (argc < 3 || (strcmp(argv[0], "xlated") && strcmp(argv[0], "jited")) ||
	    strcmp(argv[1], "id")) {
		errmsg("usage: prog dump xlated|jited id N [--json] [--raw] (see --help)");
		return EXIT_USAGE;
	}
	if (xbpf_parse_u32(argv[2], &id) || !id) {
		errmsg("prog dump: id '%s': expected a program id 1..4294967295", argv[2]);
		return EXIT_USAGE;
	}
	if (parse_opts(argc - 3, argv + 3, FOR_DUMP, false, &o))
		return EXIT_USAGE;
	if (o.raw && !strcmp(argv[0], "xlated")) {
		errmsg("prog dump xlated: --raw is for jited images");
		return EXIT_USAGE;
	}
	o.module_only = true;
	if (refuse_offline(&o, "prog dump", "programs") || open_backend(&o, &be))
		return EXIT_USAGE;
	memset(&dop, 0, sizeof(dop));
	dop.id = id;
	dop.jited = !strcmp(argv[0], "jited");
	dop.json = o.json;
	dop.raw = o.raw;
	ret = xbpf_prog_dump(be, &dop);
	xbpf_backend_close(be);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("xbpf %s (uapi ABI %d)\n", XBPF_TOOLS_VERSION, XBPF_ABI_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "prog")) {
		if (argc >= 3 && !strcmp(argv[2], "run"))
			return cmd_prog_run(argc - 3, argv + 3);
		if (argc >= 3 && !strcmp(argv[2], "dump"))
			return cmd_prog_dump(argc - 3, argv + 3);
		if (argc >= 3 && !strcmp(argv[2], "load"))
			return xbpf_cmd_prog_load(argc - 3, argv + 3, false);
		if (argc >= 3 && !strcmp(argv[2], "loadall"))
			return xbpf_cmd_prog_load(argc - 3, argv + 3, true);
		if (argc >= 3 && !strcmp(argv[2], "show"))
			return xbpf_cmd_prog_show(argc - 3, argv + 3);
		if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "help"))) {
			usage(stdout);
			return 0;
		}
		errmsg("'prog' needs a subcommand: run, dump, load, loadall, show (see --help)");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "map")) {
		if (argc >= 3 && !strcmp(argv[2], "consume"))
			return cmd_map_consume(argc - 3, argv + 3);
		if (argc >= 3 && !strcmp(argv[2], "list"))
			return cmd_map_list(argc - 3, argv + 3);
		if (argc >= 3 && (!strcmp(argv[2], "create") || !strcmp(argv[2], "show") ||
				  !strcmp(argv[2], "dump") || !strcmp(argv[2], "lookup") ||
				  !strcmp(argv[2], "update") || !strcmp(argv[2], "delete")))
			return xbpf_cmd_map_obj(argc - 2, argv + 2);
		if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "help"))) {
			usage(stdout);
			return 0;
		}
		errmsg("'map' needs a subcommand: consume, list, create, show, dump, lookup, update, delete (see --help)");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 2, argv + 2);
	if (!strcmp(argv[1], "feature"))
		return cmd_feature(argc - 2, argv + 2);
	if (!strcmp(argv[1], "pin") || !strcmp(argv[1], "unpin"))
		return xbpf_cmd_pin(argc - 1, argv + 1);
	errmsg("unknown command '%s' (see --help)", argv[1]);
	return EXIT_USAGE;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * xbpf prog dump xlated id N [--json]
 *   The program as the engines run it (OBJ_GET_INFO's xlated_prog_insns),
 *   one instruction a line through the verifier log's printer
 *   (verifier/disasm.c); map references show as map ids.
 * xbpf prog dump jited id N [--json] [--raw]
 *   The JIT image, per function at its kernel address: disassembled by
 *   objdump when one is in PATH, a hex dump otherwise, hex only with
 *   --raw.  The first output line says which.
 *
 * Both reach the program by id through the module (PROG_GET_FD_BY_ID:
 * CAP_SYS_ADMIN); the image bytes and symbols need what Linux asks for
 * raw kernel addresses, the module says when the caller lacks it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verifier/disasm.h"
#include "json.h"
#include "prog_dump.h"
#include "util.h"

#define EXIT_REFUSED	1
#define EXIT_USAGE	2

/* Two calls: the lengths, then the arrays sized from them. */
struct dump_info {
	struct xbpf_prog_info	info;
	struct xbpf_insn	*xlated;
	__u8			*jited;
	__u64			*ksyms;
	__u32			*func_lens;
};

static void dump_info_free(struct dump_info *d)
{
	free(d->xlated);
	free(d->jited);
	free(d->ksyms);
	free(d->func_lens);
}

static int fetch(struct xbpf_backend *be, int fd, bool jited, struct dump_info *d)
{
	struct xbpf_prog_info *pi = &d->info;
	__u32 xlen, jlen, nk, nl;
	int err;

	memset(d, 0, sizeof(*d));
	err = xbpf_be_prog_info_in(be, fd, pi);
	if (err)
		return err;
	xlen = pi->xlated_prog_len;
	jlen = pi->jited_prog_len;
	nk = pi->nr_jited_ksyms;
	nl = pi->nr_jited_func_lens;
	memset(pi, 0, sizeof(*pi));
	if (!jited && xlen) {
		d->xlated = calloc(1, xlen);
		if (!d->xlated)
			return -ENOMEM;
		pi->xlated_prog_len = xlen;
		pi->xlated_prog_insns = (__u64)(uintptr_t)d->xlated;
	}
	if (jited && jlen) {
		d->jited = calloc(1, jlen);
		d->ksyms = calloc(nk + 1, sizeof(*d->ksyms));
		d->func_lens = calloc(nl + 1, sizeof(*d->func_lens));
		if (!d->jited || !d->ksyms || !d->func_lens)
			return -ENOMEM;
		pi->jited_prog_len = jlen;
		pi->jited_prog_insns = (__u64)(uintptr_t)d->jited;
		pi->nr_jited_ksyms = nk;
		pi->jited_ksyms = (__u64)(uintptr_t)d->ksyms;
		pi->nr_jited_func_lens = nl;
		pi->jited_func_lens = (__u64)(uintptr_t)d->func_lens;
	}
	err = xbpf_be_prog_info_in(be, fd, pi);
	if (err)
		return err;
	/* a program's text and image never change; guard the buffers anyway */
	if (pi->xlated_prog_len > xlen || pi->jited_prog_len > jlen ||
	    pi->nr_jited_ksyms > nk || pi->nr_jited_func_lens > nl)
		return -EAGAIN;
	return 0;
}

/* ---- xlated ---- */

static const char *insn_text(const struct xbpf_insn *in, const struct xbpf_insn *next,
			     char *buf, size_t size)
{
	/* the dump's map LDDWs hold ids, not the fds the log printer names */
	if (in->code == (XBPF_LD | XBPF_IMM | XBPF_DW) && next &&
	    in->src_reg == XBPF_PSEUDO_MAP_FD) {
		snprintf(buf, size, "r%d = map[id:%d]", in->dst_reg, in->imm);
		return buf;
	}
	if (in->code == (XBPF_LD | XBPF_IMM | XBPF_DW) && next &&
	    in->src_reg == XBPF_PSEUDO_MAP_VALUE) {
		snprintf(buf, size, "r%d = map[id:%d][0]+%u", in->dst_reg, in->imm,
			 (unsigned int)next->imm);
		return buf;
	}
	return xbpf_disasm_insn(in, next, buf, size);
}

static int dump_xlated(const struct dump_info *d, __u32 id, bool json)
{
	const struct xbpf_prog_info *pi = &d->info;
	__u32 n = pi->xlated_prog_len / sizeof(struct xbpf_insn), i;
	char buf[XBPF_DISASM_BUF];
	struct xbpf_json j;

	if (!n) {
		fprintf(stderr, "xbpf: prog %u: no instructions returned\n", id);
		return EXIT_REFUSED;
	}
	if (json) {
		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_u64(&j, "id", id);
		xbpf_json_kv_string(&j, "name", pi->name);
		xbpf_json_kv_string(&j, "kind", "xlated");
		xbpf_json_key(&j, "insns");
		xbpf_json_begin_array(&j);
	} else {
		printf("; prog %u '%s': %u instructions, as the engines run them\n",
		       id, pi->name, n);
	}
	for (i = 0; i < n; i++) {
		const struct xbpf_insn *in = &d->xlated[i];
		const struct xbpf_insn *next = i + 1 < n ? &d->xlated[i + 1] : NULL;
		bool wide = in->code == (XBPF_LD | XBPF_IMM | XBPF_DW);

		insn_text(in, wide ? next : NULL, buf, sizeof(buf));
		if (json) {
			xbpf_json_begin_object(&j);
			xbpf_json_kv_u64(&j, "pc", i);
			xbpf_json_kv_u64(&j, "code", in->code);
			xbpf_json_kv_u64(&j, "dst", in->dst_reg);
			xbpf_json_kv_u64(&j, "src", in->src_reg);
			xbpf_json_kv_s64(&j, "off", in->off);
			xbpf_json_kv_s64(&j, "imm", in->imm);
			if (wide && next)
				xbpf_json_kv_s64(&j, "imm_hi", next->imm);
			xbpf_json_kv_string(&j, "text", buf);
			xbpf_json_end_object(&j);
		} else {
			printf("%4u: (%02x) %s\n", i, in->code, buf);
		}
		if (wide)
			i++;
	}
	if (json) {
		xbpf_json_end_array(&j);
		xbpf_json_end_object(&j);
	}
	return 0;
}

/* ---- jited ---- */

/* An objdump in PATH, as the shell would find it; NULL when none. */
static const char *find_objdump(char *path, size_t size)
{
	const char *p = getenv("PATH");

	while (p && *p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n && n + sizeof("/objdump") < size) {
			snprintf(path, size, "%.*s/objdump", (int)n, p);
			if (!access(path, X_OK))
				return path;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/*
 * One function's bytes through objdump, at its kernel address; the
 * instruction lines go to out (or become JSON strings).  Returns 0, or
 * -1 when objdump could not be run (the caller falls back to hex).
 */
static int objdump_func(const char objdump[4096], const __u8 *bytes, __u32 len, __u64 addr,
			struct xbpf_json *j)
{
	char tmpl[] = "/tmp/xbpf-jited-XXXXXX", cmd[4096 + 128], line[512];
	bool body = false;
	FILE *f, *p;
	int fd, st;

	fd = mkstemp(tmpl);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "wb");
	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f)) {
		if (!f)
			close(fd);
		unlink(tmpl);
		return -1;
	}
	if (strchr(objdump, '\'')) {
		unlink(tmpl);
		return -1;
	}
	snprintf(cmd, sizeof(cmd),
		 "'%s' -D -b binary -mi386:x86-64 --adjust-vma=0x%" PRIx64 " '%s' 2>/dev/null",
		 objdump, (uint64_t)addr, tmpl);
	p = popen(cmd, "r");
	if (!p) {
		unlink(tmpl);
		return -1;
	}
	while (fgets(line, sizeof(line), p)) {
		size_t n = strlen(line);

		if (n && line[n - 1] == '\n')
			line[--n] = 0;
		/* the instructions follow the "<.data>:" label */
		if (!body) {
			body = strstr(line, "<.data>:") != NULL;
			continue;
		}
		if (!n)
			continue;
		if (j)
			xbpf_json_string(j, line);
		else
			puts(line);
	}
	st = pclose(p);
	unlink(tmpl);
	return body && st == 0 ? 0 : -1;
}

static void hex_func(const __u8 *bytes, __u32 len, __u64 addr, struct xbpf_json *j)
{
	char line[16 * 3 + 32];
	__u32 i, k;

	for (i = 0; i < len; i += 16) {
		int n = snprintf(line, sizeof(line), "%016" PRIx64 ":", (uint64_t)(addr + i));

		for (k = i; k < len && k < i + 16; k++)
			n += snprintf(line + n, sizeof(line) - n, " %02x", bytes[k]);
		if (j)
			xbpf_json_string(j, line);
		else
			puts(line);
	}
}

static int dump_jited(const struct dump_info *d, __u32 id, bool json, bool raw)
{
	const struct xbpf_prog_info *pi = &d->info;
	char pathbuf[4096];
	const char *objdump = raw ? NULL : find_objdump(pathbuf, sizeof(pathbuf));
	const char *how;
	struct xbpf_json j, *jp = NULL;
	__u32 f, nf, off = 0;

	if (!pi->jited_prog_len) {
		fprintf(stderr, "xbpf: prog %u: not JIT-compiled (the interpreter runs it)\n", id);
		return EXIT_REFUSED;
	}
	if (!pi->jited_prog_insns || !pi->jited_ksyms || !pi->jited_func_lens) {
		fprintf(stderr, "xbpf: prog %u: the module withholds the image "
			"(raw kernel addresses need CAP_SYSLOG on the fd)\n", id);
		return EXIT_REFUSED;
	}
	nf = pi->nr_jited_ksyms < pi->nr_jited_func_lens ? pi->nr_jited_ksyms :
							   pi->nr_jited_func_lens;
	how = raw ? "raw" : objdump ? "objdump" : "hex";
	if (json) {
		jp = &j;
		xbpf_json_init(&j, stdout);
		xbpf_json_begin_object(&j);
		xbpf_json_kv_u64(&j, "id", id);
		xbpf_json_kv_string(&j, "name", pi->name);
		xbpf_json_kv_string(&j, "kind", "jited");
		xbpf_json_kv_string(&j, "format", how);
		xbpf_json_kv_u64(&j, "len", pi->jited_prog_len);
		xbpf_json_key(&j, "funcs");
		xbpf_json_begin_array(&j);
	} else if (!raw) {
		printf("; prog %u '%s': %u bytes of x86-64 in %u function%s, %s\n", id,
		       pi->name, pi->jited_prog_len, nf, nf == 1 ? "" : "s",
		       objdump ? "disassembled by objdump" :
		       "hex dump (no objdump in PATH)");
	}
	if (raw && !json) {
		char *hex = malloc(2 * (size_t)pi->jited_prog_len + 1);

		if (!hex)
			return EXIT_USAGE;
		xbpf_hex_encode(d->jited, pi->jited_prog_len, hex);
		puts(hex);
		free(hex);
		return 0;
	}
	for (f = 0; f < nf; f++) {
		__u32 len = d->func_lens[f];

		if (len > pi->jited_prog_len - off)
			len = pi->jited_prog_len - off;
		if (json) {
			xbpf_json_begin_object(&j);
			xbpf_json_kv_u64(&j, "index", f);
			xbpf_json_kv_u64(&j, "addr", d->ksyms[f]);
			xbpf_json_kv_u64(&j, "len", len);
			xbpf_json_kv_hex(&j, "hex", d->jited + off, len);
			if (!raw) {
				xbpf_json_key(&j, "lines");
				xbpf_json_begin_array(&j);
			}
		} else {
			printf("\n<func%u> at 0x%016" PRIx64 ", %u bytes:\n", f,
			       (uint64_t)d->ksyms[f], len);
		}
		if (!raw && (!objdump ||
			     objdump_func(objdump, d->jited + off, len, d->ksyms[f], jp)))
			hex_func(d->jited + off, len, d->ksyms[f], jp);
		if (json) {
			if (!raw)
				xbpf_json_end_array(&j);
			xbpf_json_end_object(&j);
		}
		off += len;
	}
	if (json) {
		xbpf_json_end_array(&j);
		xbpf_json_end_object(&j);
	}
	return 0;
}

int xbpf_prog_dump(struct xbpf_backend *be, const struct xbpf_dump_opts *o)
{
	struct dump_info d;
	int fd, err, ret;

	fd = xbpf_be_prog_fd_by_id(be, o->id);
	if (fd < 0) {
		fprintf(stderr, "xbpf: prog %u: %s\n", o->id, xbpf_errstr(fd));
		return EXIT_REFUSED;
	}
	err = fetch(be, fd, o->jited, &d);
	if (err) {
		fprintf(stderr, "xbpf: prog %u: OBJ_GET_INFO_BY_FD: %s\n", o->id,
			xbpf_errstr(err));
		ret = EXIT_REFUSED;
	} else if (o->jited) {
		ret = dump_jited(&d, o->id, o->json, o->raw);
	} else {
		ret = dump_xlated(&d, o->id, o->json);
	}
	dump_info_free(&d);
	be->ops->close_fd(be, fd);
	return ret;
}

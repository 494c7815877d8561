// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier case runner.  Every case of every group (cases_*.c) is
 * loaded twice, privileged then unprivileged, through the tools' backend
 * (tools/loader/backend.h): against the module through /dev/xbpf, or with
 * --offline through the core library in this process.  One TAP line per
 * case and privilege level; exit status 1 when any failed.
 *
 *   test_verifier [--offline] [-v] [SUBSTRING...]
 *
 * SUBSTRING limits the run to cases whose "group/name" contains one of
 * them; -v prints every verifier log, not only those of failures.
 *
 * Loads go through the engine's own rule (XBPF_CHECK_AUTO): the walk must
 * prove the program, except that a privileged (CAP_SYS_ADMIN) load the
 * walk cannot follow yet is accepted to run under the checking memory
 * model; such accepts are counted in the summary.  A load whose verdict
 * differs from the case's because the walk stopped on a feature it does
 * not follow yet ("check: not yet supported") is reported as
 * "not ok ... # TODO": known missing, never a pass.
 *
 * Against the module, unprivileged loads need its `unprivileged`
 * parameter; the runner sets it for the run and restores it.  There each
 * case that test-runs on a JIT image runs again in the interpreter
 * (XBPF_F_TEST_RUN_INTERP, fresh maps): both must give its retval and
 * leave the same packet and context.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/xbpf_btf.h>

#include "tools/loader/backend.h"
#include "vcase.h"

/* To add a group: a cases_<name>.c with VCASE_GROUP(name, ...) and a line here. */
extern const struct vgroup vgroup_decode, vgroup_cfg, vgroup_maps, vgroup_calls,
	vgroup_run, vgroup_alu, vgroup_jmp, vgroup_stack, vgroup_ctx, vgroup_helpers,
	vgroup_atomic, vgroup_ringbuf;
static const struct vgroup *const groups[] = {
	&vgroup_decode, &vgroup_cfg, &vgroup_maps, &vgroup_calls, &vgroup_run,
	&vgroup_alu, &vgroup_jmp, &vgroup_stack, &vgroup_ctx, &vgroup_helpers,
	&vgroup_atomic, &vgroup_ringbuf,
};

#define UNPRIV_PARAM	"/sys/module/xbpf/parameters/unprivileged"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define LOG_SIZE	(256 * 1024)

static struct xbpf_backend *be;
static bool verbose;
/* accepted without a proof (checking model), and TODO lines */
static unsigned int n_unproved, n_todo;
static char logbuf[LOG_SIZE];
static unsigned int tap_n, n_failed;

static __u8 frame[VCASE_FRAME_LEN];

/* ---- BTF for .btf cases: int; int (void); FUNC "f" of it (id 3) ---- */

#define BTF_FUNC_INT	3

static int btf_fd = -1;

static int int_btf_load(void)
{
	static const char strs[] = "\0int\0f";	/* "int" at 1, "f" at 5 */
	static const __u32 types[] = {
		1, XBPF_BTF_INFO(XBPF_BTF_KIND_INT, 0, 0), 4,
		XBPF_BTF_INT_ENC(XBPF_BTF_INT_SIGNED, 0, 32),
		0, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC_PROTO, 0, 0), 1,
		5, XBPF_BTF_INFO(XBPF_BTF_KIND_FUNC, 0, 0), 2,
	};
	__u8 blob[sizeof(struct xbpf_btf_header) + sizeof(types) + sizeof(strs)];
	struct xbpf_btf_header h = {
		.magic = XBPF_BTF_MAGIC, .version = XBPF_BTF_VERSION, .hdr_len = sizeof(h),
		.type_len = sizeof(types), .str_off = sizeof(types), .str_len = sizeof(strs),
	};

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, sizeof(types));
	memcpy(blob + sizeof(h) + sizeof(types), strs, sizeof(strs));
	return xbpf_be_btf_load(be, blob, sizeof(blob));
}

/* One record per function start (insn 0 and every call target), in order. */
static __u32 func_info_fill(const struct vcase *c, struct xbpf_func_info *fi, __u32 max)
{
	__u32 i, j, k, cnt = 1, t;

	fi[0] = (struct xbpf_func_info){ 0, BTF_FUNC_INT };
	for (i = 0; i < c->len; i++) {
		if (c->insns[i].code != (XBPF_JMP | XBPF_CALL) ||
		    c->insns[i].src_reg != XBPF_PSEUDO_CALL)
			continue;
		t = i + 1 + (__u32)c->insns[i].imm;
		for (j = 0; j < cnt && fi[j].insn_off < t; j++)
			;
		if ((j < cnt && fi[j].insn_off == t) || cnt >= max)
			continue;
		for (k = cnt++; k > j; k--)
			fi[k] = fi[k - 1];
		fi[j] = (struct xbpf_func_info){ t, BTF_FUNC_INT };
	}
	return cnt;
}

/* todo: a failure the walk's missing support explains (a TAP TODO). */
static void report(bool pass, bool todo, const char *grp, const struct vcase *c,
		   bool unpriv, const char *why)
{
	tap_n++;
	if (!pass && todo)
		n_todo++;
	else if (!pass)
		n_failed++;
	printf("%sok %u %s/%s %s%s\n", pass ? "" : "not ", tap_n, grp, c->name,
	       unpriv ? "unpriv" : "priv", !pass && todo ? " # TODO walk: not yet supported" : "");
	if (!pass && why)
		printf("#   %s\n", why);
}

/* Prints a log as TAP diagnostics, one "#" line per log line. */
static void diag_log(const char *log)
{
	const char *p = log, *nl;
	int lines = 0;

	while (*p && lines++ < 40) {
		nl = strchr(p, '\n');
		printf("#   | %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
		p = nl + 1;
	}
	if (*p && lines > 40)
		printf("#   | ...\n");
}

static void put_le(void *dst, __u32 size, __u64 v)
{
	__u8 *b = dst;
	__u32 i;

	memset(dst, 0, size);
	for (i = 0; i < size && i < 8; i++)
		b[i] = (__u8)(v >> (8 * i));
}

/* Creates the case's maps (fds[] -1 past the last); returns 0 or -errno. */
static int maps_create(const struct vcase *c, int *fds, char *why, size_t wlen)
{
	__u8 key[256], val[4096];
	int i, err;

	for (i = 0; i < VCASE_MAX_MAPS; i++)
		fds[i] = -1;
	for (i = 0; i < VCASE_MAX_MAPS && c->maps[i].type; i++) {
		const struct vmap *m = &c->maps[i];

		fds[i] = xbpf_be_map_create(be, m->type, m->key_size, m->value_size,
					    m->max_entries, m->flags);
		if (fds[i] < 0) {
			err = fds[i];
			snprintf(why, wlen, "map %d: create failed (%d)", i, err);
			return err;
		}
		if (!m->init)
			goto freeze;
		if (m->key_size > sizeof(key) || m->value_size > sizeof(val)) {
			snprintf(why, wlen, "map %d: init element too large", i);
			return -E2BIG;
		}
		put_le(key, m->key_size, m->key);
		memset(val, 0, sizeof(val));
		put_le(val, m->value_size, m->value);
		/* per-CPU: bpf(2) takes one 8-aligned copy per possible CPU */
		if (m->type == XBPF_MAP_TYPE_PERCPU_ARRAY ||
		    m->type == XBPF_MAP_TYPE_PERCPU_HASH ||
		    m->type == XBPF_MAP_TYPE_LRU_PERCPU_HASH) {
			__u32 stride = (m->value_size + 7) & ~7U, off;

			for (off = stride; off + stride <= sizeof(val); off += stride)
				memcpy(val + off, val, stride);
		}
		err = xbpf_be_map_update(be, fds[i], key, val, XBPF_ANY);
		if (err) {
			snprintf(why, wlen, "map %d: init update failed (%d)", i, err);
			return err;
		}
freeze:
		if (!m->freeze)
			continue;
		err = xbpf_be_map_freeze(be, fds[i]);
		if (err) {
			snprintf(why, wlen, "map %d: freeze failed (%d)", i, err);
			return err;
		}
	}
	return 0;
}

static void maps_close(int *fds)
{
	int i;

	for (i = 0; i < VCASE_MAX_MAPS; i++)
		if (fds[i] >= 0)
			xbpf_be_close_fd(be, fds[i]);
}

/* The case's instructions with tagged map LDDWs pointing at real fds. */
static struct xbpf_insn *insns_fixup(const struct vcase *c, const int *fds,
				     char *why, size_t wlen)
{
	struct xbpf_insn *p = malloc((c->len ? c->len : 1) * sizeof(*p));
	__u32 i, idx;

	if (!p) {
		snprintf(why, wlen, "out of memory");
		return NULL;
	}
	memcpy(p, c->insns, c->len * sizeof(*p));
	for (i = 0; i < c->len; i++) {
		if (p[i].code != (XBPF_LD | XBPF_IMM | XBPF_DW) ||
		    (p[i].src_reg != XBPF_PSEUDO_MAP_FD &&
		     p[i].src_reg != XBPF_PSEUDO_MAP_VALUE) ||
		    ((__u32)p[i].imm & ~VMAP_IDX_MASK) != VMAP_TAG)
			continue;
		idx = (__u32)p[i].imm & VMAP_IDX_MASK;
		if (idx >= VCASE_MAX_MAPS || fds[idx] < 0) {
			snprintf(why, wlen, "insn %u names map %u, which the case lacks", i, idx);
			free(p);
			return NULL;
		}
		p[i].imm = fds[idx];
	}
	return p;
}

/*
 * Linux's rule before any verifier runs, and the module's: a caller
 * without CAP_BPF may load socket filters only (bpf(2) also allows
 * CGROUP_SKB, which xbpf does not have).
 */
static const struct vexpect unpriv_type_verdict = REJECT(EPERM, NULL);

static const struct vexpect *expectation(const struct vcase *c, bool unpriv)
{
	if (unpriv && c->type && c->type != XBPF_PROG_TYPE_SOCKET_FILTER)
		return &unpriv_type_verdict;
	if (unpriv && c->expect_unpriv.verdict != V_SAME)
		return &c->expect_unpriv;
	return &c->expect;
}

/* What a test-run leaves: r0's low half, the packet and the context out. */
struct run_out {
	__u32	retval;
	__u32	data_len;
	__u32	ctx_len;
	__u8	data[4096];
	__u8	ctx[4096];
};

static struct run_out run_jit, run_interp;

static bool test_run(const struct vcase *c, int prog_fd, __u32 flags, struct run_out *o,
		     char *why, size_t wlen)
{
	struct xbpf_be_run r;
	int err;

	memset(&r, 0, sizeof(r));
	memset(o, 0, sizeof(*o));
	r.prog_fd = prog_fd;
	r.flags = flags;
	if (c->ctx_len > sizeof(o->ctx)) {
		snprintf(why, wlen, "ctx larger than %zu bytes", sizeof(o->ctx));
		return false;
	}
	if (c->ctx_len) {
		/* SYSCALL writes the context back in place: use a copy */
		memcpy(o->ctx, c->ctx, c->ctx_len);
		o->ctx_len = c->ctx_len;
		r.ctx_in = o->ctx;
		r.ctx_size_in = c->ctx_len;
	}
	if (c->type != XBPF_PROG_TYPE_SYSCALL) {
		r.data_in = c->data ? c->data : frame;
		r.data_size_in = c->data ? c->data_len : sizeof(frame);
		r.data_out = o->data;
		r.data_size_out = sizeof(o->data);
	}
	r.repeat = 1;
	err = xbpf_be_test_run(be, &r);
	if (err) {
		snprintf(why, wlen, "test-run failed: %d%s%s", err, be->fault[0] ? ", " : "",
			 be->fault);
		return false;
	}
	o->retval = (__u32)r.retval;
	o->data_len = r.data_size_out;
	if (o->retval != c->retval) {
		snprintf(why, wlen, "retval %u (0x%x), want %u (0x%x)", o->retval,
			 o->retval, c->retval, c->retval);
		return false;
	}
	return true;
}

/* the module's JIT against its interpreter: cases compared, of them JIT-compiled */
static unsigned int n_both, n_jited;

static bool prog_jited(int fd)
{
	struct xbpf_prog_info pi;

	return !xbpf_be_prog_info(be, fd, &pi) && pi.jited_prog_len;
}

/*
 * Against the module, a case that ran on a JIT image runs again in the
 * interpreter (XBPF_F_TEST_RUN_INTERP) on fresh maps and a fresh load,
 * since the first run may have changed map state: same retval, same
 * packet and context out.
 */
static bool rerun_interp(const struct vcase *c, const struct xbpf_be_load *l0,
			 char *why, size_t wlen)
{
	struct xbpf_be_load l = *l0;
	struct xbpf_insn *insns;
	int fds[VCASE_MAX_MAPS];
	bool ok = false;
	int fd;

	if (maps_create(c, fds, why, wlen))
		return false;
	insns = insns_fixup(c, fds, why, wlen);
	if (!insns)
		goto out;
	l.insns = insns;
	l.log_level = 0;
	l.log_buf = NULL;
	l.log_size = 0;
	fd = xbpf_be_prog_load(be, &l);
	if (fd < 0) {
		snprintf(why, wlen, "second load for the interpreter run: %d", fd);
		goto out;
	}
	if (!test_run(c, fd, XBPF_F_TEST_RUN_INTERP, &run_interp, why, wlen)) {
		size_t n = strlen(why);

		snprintf(why + n, wlen - n, " (interpreter; the JIT passed)");
	} else if (run_interp.data_len != run_jit.data_len ||
		   memcmp(run_interp.data, run_jit.data, run_jit.data_len) ||
		   memcmp(run_interp.ctx, run_jit.ctx, run_jit.ctx_len)) {
		snprintf(why, wlen, "JIT and interpreter leave different %s",
			 run_interp.data_len != run_jit.data_len ||
			 memcmp(run_interp.data, run_jit.data, run_jit.data_len) ?
			 "packets" : "contexts");
	} else {
		ok = true;
	}
	xbpf_be_close_fd(be, fd);
out:
	free(insns);
	maps_close(fds);
	return ok;
}

static void run_case(const char *grp, const struct vcase *c, bool unpriv)
{
	const struct vexpect *want = expectation(c, unpriv);
	struct xbpf_func_info fi[32];
	struct xbpf_be_load l;
	struct xbpf_insn *insns = NULL;
	char why[512] = "";
	int fds[VCASE_MAX_MAPS];
	bool pass = false, todo = false;
	int fd = -1;

	if (maps_create(c, fds, why, sizeof(why)))
		goto out;
	insns = insns_fixup(c, fds, why, sizeof(why));
	if (!insns)
		goto out;

	memset(&l, 0, sizeof(l));
	l.prog_type = c->type ? c->type : XBPF_PROG_TYPE_SOCKET_FILTER;
	l.insns = insns;
	l.insn_cnt = c->len;
	l.log_level = 1;
	l.log_buf = logbuf;
	l.log_size = sizeof(logbuf);
	l.unpriv = unpriv;
	if (c->btf) {
		if (btf_fd < 0) {
			snprintf(why, sizeof(why), "no BTF for func_info (%d)", btf_fd);
			goto out;
		}
		l.prog_btf_fd = btf_fd;
		l.func_info = fi;
		l.func_info_cnt = func_info_fill(c, fi, sizeof(fi) / sizeof(fi[0]));
	}
	logbuf[0] = '\0';
	fd = xbpf_be_prog_load(be, &l);
	/*
	 * A level-1 log traces the failing path, which can outgrow any buffer
	 * (a walk to the 1M limit): load again with a stats-only log, which
	 * still has every message (Linux's test_verifier loads that way).
	 */
	if (fd == -ENOSPC) {
		l.log_level = XBPF_LOG_STATS;
		logbuf[0] = '\0';
		fd = xbpf_be_prog_load(be, &l);
	}

	if (want->verdict == V_ACCEPT) {
		if (fd < 0)
			snprintf(why, sizeof(why), "rejected (%d), want accepted", fd);
		else if (c->run) {
			bool jited = strcmp(be->engine, "offline") && prog_jited(fd);

			pass = test_run(c, fd, 0, &run_jit, why, sizeof(why));
			if (pass && jited) {
				n_jited++;
				pass = rerun_interp(c, &l, why, sizeof(why));
			}
			n_both += pass && jited;
		}
		else
			pass = true;
	} else if (fd >= 0) {
		snprintf(why, sizeof(why), "accepted, want %d '%s'", -want->err,
			 want->msg ? want->msg : "");
	} else if (fd != -want->err) {
		snprintf(why, sizeof(why), "rejected with %d, want %d", fd, -want->err);
	} else if (want->msg && !strstr(logbuf, want->msg)) {
		snprintf(why, sizeof(why), "log lacks '%s'", want->msg);
	} else {
		pass = true;
	}
	if (fd >= 0 && strstr(logbuf, "will run under the checking memory model"))
		n_unproved++;
	todo = strstr(logbuf, "check: not yet supported") != NULL;
out:
	report(pass, todo, grp, c, unpriv, why);
	if ((!pass || verbose) && logbuf[0])
		diag_log(logbuf);
	logbuf[0] = '\0';
	if (fd >= 0)
		xbpf_be_close_fd(be, fd);
	free(insns);
	maps_close(fds);
}

/*
 * The module's unprivileged parameter, set for the run: returns the old
 * value ('Y'/'N'), or 0 when there is none to restore.
 */
static char unpriv_param_set(char v)
{
	char old = 0;
	FILE *f = fopen(UNPRIV_PARAM, "r+");

	if (!f)
		return 0;
	if (fscanf(f, " %c", &old) != 1)
		old = 0;
	rewind(f);
	fputc(v, f);
	if (fclose(f))
		return 0;
	return old;
}

static bool selected(const char *grp, const struct vcase *c, char **filters, int nf)
{
	char full[256];
	int i;

	if (!nf)
		return true;
	snprintf(full, sizeof(full), "%s/%s", grp, c->name);
	for (i = 0; i < nf; i++)
		if (strstr(full, filters[i]))
			return true;
	return false;
}

/* Names must be unique and TAP-safe: a typo in a table is a failure too. */
static unsigned int check_names(void)
{
	unsigned int bad = 0;
	size_t g, i, j;

	for (g = 0; g < ARRAY_LEN(groups); g++) {
		for (i = 0; i < groups[g]->cnt; i++) {
			const struct vcase *c = &groups[g]->cases[i];

			if (!c->name || !*c->name || strchr(c->name, '#') ||
			    strchr(c->name, '\n') || !c->len || !c->expect.verdict) {
				printf("# %s[%zu]: missing name, insns or expect, or '#' in name\n",
				       groups[g]->name, i);
				bad++;
				continue;
			}
			for (j = 0; j < i; j++) {
				if (groups[g]->cases[j].name &&
				    !strcmp(groups[g]->cases[j].name, c->name)) {
					printf("# %s/%s: duplicate name\n", groups[g]->name,
					       c->name);
					bad++;
				}
			}
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	bool offline = false;
	char **filters = argv + 1;
	unsigned int plan = 0, bad;
	char old_param = 0;
	int nf = 0, i, err;
	size_t g, k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--offline"))
			offline = true;
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
		else
			filters[nf++] = argv[i];
	}
	/* line-buffered even on a serial port: a crash keeps what came before */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = 0; k < sizeof(frame); k++)
		frame[k] = (__u8)k;

	printf("TAP version 13\n");
	err = xbpf_backend_open(offline, &be);
	if (err) {
		printf("1..1\nnot ok 1 open the %s engine (%d)\n",
		       offline ? "offline" : "module", err);
		return 1;
	}
	/* The table's verdicts are the engine's own rule's. */
	be->check_mode = 0;	/* XBPF_CHECK_AUTO, whatever XBPF_OFFLINE_CHECK says */
	if (!offline) {
		old_param = unpriv_param_set('Y');
		if (!old_param) {
			printf("1..1\nnot ok 1 cannot set %s\n", UNPRIV_PARAM);
			xbpf_backend_close(be);
			return 1;
		}
	}
	btf_fd = int_btf_load();
	bad = check_names();
	for (g = 0; g < ARRAY_LEN(groups); g++)
		for (k = 0; k < groups[g]->cnt; k++)
			plan += 2 * selected(groups[g]->name, &groups[g]->cases[k], filters, nf);
	printf("1..%u\n", plan + !!bad);
	printf("# engine: %s\n", be->engine);

	for (g = 0; g < ARRAY_LEN(groups); g++) {
		for (k = 0; k < groups[g]->cnt; k++) {
			const struct vcase *c = &groups[g]->cases[k];

			if (!selected(groups[g]->name, c, filters, nf))
				continue;
			run_case(groups[g]->name, c, false);
			run_case(groups[g]->name, c, true);
		}
	}
	if (bad) {
		tap_n++;
		n_failed++;
		printf("not ok %u case table: %u malformed or duplicate case(s)\n", tap_n, bad);
	}
	printf("# walk: %u accepted load(s) unproved (checking model), %u TODO\n",
	       n_unproved, n_todo);
	if (!offline)
		printf("# engines: %u test-run(s) on a JIT image, %u of them agree with the interpreter\n",
		       n_jited, n_both);
	printf("# %u passed, %u failed, %u todo\n", tap_n - n_failed - n_todo, n_failed, n_todo);
	if (old_param)
		unpriv_param_set(old_param);
	if (btf_fd >= 0)
		xbpf_be_close_fd(be, btf_fd);
	xbpf_backend_close(be);
	return n_failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier case runner.  Every case of every group (cases_*.c) is
 * loaded twice, privileged then unprivileged, through the tools' backend
 * (tools/loader/backend.h): against the module through /dev/xbpf, or with
 * --offline through the core library in this process.  One TAP line per
 * case and privilege level; exit status 1 when any failed.
 *
 *   test_verifier [--offline] [--check] [-v] [SUBSTRING...]
 *
 * SUBSTRING limits the run to cases whose "group/name" contains one of
 * them; -v prints every verifier log, not only those of failures.
 *
 * --check (offline only; implies --offline) loads every case a second
 * time per privilege level with the abstract interpreter on
 * (xbpf_load_params.check, through the offline backend's check flag)
 * and adds one TAP line per load, "group/name priv check: <verdict>",
 * where the verdict is accepted, rejected (errno) or unsupported (the
 * walk's -EOPNOTSUPP for what it does not follow yet).  Such a line
 * fails only when the walk breaks an invariant: it accepts what the
 * stage without it rejects (the walk only adds restrictions), or it
 * accepts a case with an expected return value and the test-run, from
 * fresh maps, faults or returns something else.  A summary line counts
 * the three verdicts.  Without --check the output is as before.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/loader/backend.h"
#include "vcase.h"

/* To add a group: a cases_<name>.c with VCASE_GROUP(name, ...) and a line here. */
extern const struct vgroup vgroup_decode, vgroup_cfg, vgroup_maps, vgroup_calls,
	vgroup_run;
static const struct vgroup *const groups[] = {
	&vgroup_decode, &vgroup_cfg, &vgroup_maps, &vgroup_calls, &vgroup_run,
};

/*
 * The engine-level rule for unprivileged loads, in one place.  Today the
 * module refuses every PROG_LOAD without CAP_SYS_ADMIN before its verifier
 * runs (module/cmd_prog.c), so against the module each unprivileged load
 * must fail with EPERM whatever the case says.  When the full verifier
 * lifts that gate, set this to false: the cases' own unprivileged
 * expectations (already checked offline) then apply to the module too.
 */
static const bool module_unpriv_gate = true;
static const struct vexpect module_unpriv_verdict = REJECT(EPERM, NULL);

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define LOG_SIZE	(256 * 1024)

static struct xbpf_backend *be;
static bool verbose, check_mode;
/* --check: the walk's verdicts */
static unsigned int walk_acc, walk_rej, walk_unsup;
static char logbuf[LOG_SIZE];
static unsigned int tap_n, n_failed;

static __u8 frame[VCASE_FRAME_LEN];

static void report(bool pass, const char *grp, const struct vcase *c, bool unpriv,
		   const char *why)
{
	tap_n++;
	if (!pass)
		n_failed++;
	printf("%sok %u %s/%s %s\n", pass ? "" : "not ", tap_n, grp, c->name,
	       unpriv ? "unpriv" : "priv");
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
					    m->max_entries, 0);
		if (fds[i] < 0) {
			err = fds[i];
			snprintf(why, wlen, "map %d: create failed (%d)", i, err);
			return err;
		}
		if (!m->init)
			continue;
		if (m->key_size > sizeof(key) || m->value_size > sizeof(val)) {
			snprintf(why, wlen, "map %d: init element too large", i);
			return -E2BIG;
		}
		put_le(key, m->key_size, m->key);
		put_le(val, m->value_size, m->value);
		err = xbpf_be_map_update(be, fds[i], key, val, XBPF_ANY);
		if (err) {
			snprintf(why, wlen, "map %d: init update failed (%d)", i, err);
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

static const struct vexpect *expectation(const struct vcase *c, bool unpriv)
{
	if (unpriv && module_unpriv_gate && !strcmp(be->engine, "module"))
		return &module_unpriv_verdict;
	if (unpriv && c->expect_unpriv.verdict != V_SAME)
		return &c->expect_unpriv;
	return &c->expect;
}

static bool test_run(const struct vcase *c, int prog_fd, char *why, size_t wlen)
{
	__u8 ctx[4096], out[4096];
	struct xbpf_be_run r;
	int err;

	memset(&r, 0, sizeof(r));
	r.prog_fd = prog_fd;
	if (c->ctx_len > sizeof(ctx)) {
		snprintf(why, wlen, "ctx larger than %zu bytes", sizeof(ctx));
		return false;
	}
	if (c->ctx_len) {
		/* SYSCALL writes the context back in place: use a copy */
		memcpy(ctx, c->ctx, c->ctx_len);
		r.ctx_in = ctx;
		r.ctx_size_in = c->ctx_len;
	}
	if (c->type != XBPF_PROG_TYPE_SYSCALL) {
		r.data_in = c->data ? c->data : frame;
		r.data_size_in = c->data ? c->data_len : sizeof(frame);
		r.data_out = out;
		r.data_size_out = sizeof(out);
	}
	r.repeat = 1;
	err = xbpf_be_test_run(be, &r);
	if (err) {
		snprintf(why, wlen, "test-run failed: %d%s%s", err, be->fault[0] ? ", " : "",
			 be->fault);
		return false;
	}
	if ((__u32)r.retval != c->retval) {
		snprintf(why, wlen, "retval %u (0x%x), want %u (0x%x)", (__u32)r.retval,
			 (__u32)r.retval, c->retval, c->retval);
		return false;
	}
	return true;
}

/* Returns whether the stage (no walk) accepted the program. */
static bool run_case(const char *grp, const struct vcase *c, bool unpriv)
{
	const struct vexpect *want = expectation(c, unpriv);
	struct xbpf_be_load l;
	struct xbpf_insn *insns = NULL;
	char why[512] = "";
	int fds[VCASE_MAX_MAPS];
	bool pass = false;
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
	logbuf[0] = '\0';
	fd = xbpf_be_prog_load(be, &l);

	if (want->verdict == V_ACCEPT) {
		if (fd < 0)
			snprintf(why, sizeof(why), "rejected (%d), want accepted", fd);
		else if (c->run)
			pass = test_run(c, fd, why, sizeof(why));
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
out:
	report(pass, grp, c, unpriv, why);
	if ((!pass || verbose) && logbuf[0])
		diag_log(logbuf);
	logbuf[0] = '\0';
	if (fd >= 0)
		xbpf_be_close_fd(be, fd);
	free(insns);
	maps_close(fds);
	return fd >= 0;
}

/*
 * --check: the same case with the walk on, from fresh maps (the stage's
 * test-run may have written to them).  stage_ok: the stage accepted it.
 */
static void run_walk(const char *grp, const struct vcase *c, bool unpriv, bool stage_ok)
{
	const struct vexpect *want = expectation(c, unpriv);
	struct xbpf_be_load l;
	struct xbpf_insn *insns = NULL;
	char why[512] = "", verdict[64] = "not loaded";
	int fds[VCASE_MAX_MAPS];
	bool pass = false;
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
	logbuf[0] = '\0';
	be->check = true;
	fd = xbpf_be_prog_load(be, &l);
	be->check = false;

	if (fd >= 0) {
		walk_acc++;
		snprintf(verdict, sizeof(verdict), "accepted");
		if (!stage_ok)
			snprintf(why, sizeof(why), "the walk accepts what the stage rejects");
		else if (want->verdict == V_ACCEPT && c->run)
			pass = test_run(c, fd, why, sizeof(why));
		else
			pass = true;
	} else if (fd == -EOPNOTSUPP) {
		walk_unsup++;
		snprintf(verdict, sizeof(verdict), "unsupported");
		pass = true;
	} else {
		walk_rej++;
		/* the walk is stricter or wrong here: worth a look */
		snprintf(verdict, sizeof(verdict), "rejected (%d)%s", fd,
			 stage_ok ? ", stage accepts" : "");
		pass = true;
	}
out:
	tap_n++;
	if (!pass)
		n_failed++;
	printf("%sok %u %s/%s %s check: %s\n", pass ? "" : "not ", tap_n, grp, c->name,
	       unpriv ? "unpriv" : "priv", verdict);
	if (!pass && why[0])
		printf("#   %s\n", why);
	if ((!pass || verbose) && logbuf[0])
		diag_log(logbuf);
	logbuf[0] = '\0';
	if (fd >= 0)
		xbpf_be_close_fd(be, fd);
	free(insns);
	maps_close(fds);
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
	int nf = 0, i, err;
	size_t g, k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--offline"))
			offline = true;
		else if (!strcmp(argv[i], "--check"))
			check_mode = offline = true;
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
	/* The stage's verdicts are the table's, whatever XBPF_OFFLINE_CHECK says. */
	be->check = false;
	bad = check_names();
	for (g = 0; g < ARRAY_LEN(groups); g++)
		for (k = 0; k < groups[g]->cnt; k++)
			plan += (check_mode ? 4 : 2) *
				selected(groups[g]->name, &groups[g]->cases[k], filters, nf);
	printf("1..%u\n", plan + !!bad);
	printf("# engine: %s\n", be->engine);
	if (module_unpriv_gate && !strcmp(be->engine, "module"))
		printf("# module: every unprivileged PROG_LOAD is expected to fail with EPERM\n");

	for (g = 0; g < ARRAY_LEN(groups); g++) {
		for (k = 0; k < groups[g]->cnt; k++) {
			const struct vcase *c = &groups[g]->cases[k];
			bool priv_ok, unpriv_ok;

			if (!selected(groups[g]->name, c, filters, nf))
				continue;
			priv_ok = run_case(groups[g]->name, c, false);
			unpriv_ok = run_case(groups[g]->name, c, true);
			if (!check_mode)
				continue;
			run_walk(groups[g]->name, c, false, priv_ok);
			run_walk(groups[g]->name, c, true, unpriv_ok);
		}
	}
	if (bad) {
		tap_n++;
		n_failed++;
		printf("not ok %u case table: %u malformed or duplicate case(s)\n", tap_n, bad);
	}
	if (check_mode)
		printf("# check: %u accepted, %u rejected, %u unsupported by the walk\n",
		       walk_acc, walk_rej, walk_unsup);
	printf("# %u passed, %u failed\n", tap_n - n_failed, n_failed);
	xbpf_backend_close(be);
	return n_failed ? 1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The public BPF conformance suite's flat file (conformance.flat): one
 * reader for the suites that run it (test_conformance, test_jit).
 */
#ifndef _XBPF_CONF_H
#define _XBPF_CONF_H

#include "xbpf_test.h"

struct conf_test {
	char		name[256];
	u64		result;
	u8		*mem;
	u32		mem_len;
	struct xbpf_insn *insns;
	u32		insn_cnt;
};

/*
 * Opens the suite: dir (the file or its directory), else
 * $XBPF_CONFORMANCE_DIR, else ../shared/bpf_conformance relative to the
 * repository root; path gets the file's name.  NULL when it cannot.
 */
FILE *conf_open(const char *dir, char *path, size_t pathlen);
/* Reads the next test; 1 on success, 0 at the end, -1 on a format error. */
int conf_next(FILE *f, struct conf_test *t);
void conf_free(struct conf_test *t);
/* Features the suite exercises that xbpf leaves out on purpose, or NULL. */
const char *conf_skip_reason(const struct conf_test *t);

#endif /* _XBPF_CONF_H */

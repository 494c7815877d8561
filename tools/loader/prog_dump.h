/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `xbpf prog dump xlated|jited id N` (prog_dump.c): a loaded program's
 * text or JIT image, by id through the module, so never offline.
 * Returns the CLI's exit status.
 */
#ifndef _XBPF_TOOLS_PROG_DUMP_H
#define _XBPF_TOOLS_PROG_DUMP_H

#include <stdbool.h>
#include <linux/xbpf.h>
#include "backend.h"

struct xbpf_dump_opts {
	__u32	id;
	bool	jited;		/* the image; false: the xlated instructions */
	bool	json;
	bool	raw;		/* jited: hex only, no disassembly */
};

int xbpf_prog_dump(struct xbpf_backend *be, const struct xbpf_dump_opts *o);

#endif /* _XBPF_TOOLS_PROG_DUMP_H */

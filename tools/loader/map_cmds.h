/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `xbpf map consume` and `xbpf map list` (map_cmds.c): maps reached by id
 * through the module, so never offline.  xbpf.c parses the options and
 * opens the engine; these return the CLI's exit status.
 */
#ifndef _XBPF_TOOLS_MAP_CMDS_H
#define _XBPF_TOOLS_MAP_CMDS_H

#include <stdbool.h>
#include <linux/xbpf.h>
#include "backend.h"

struct xbpf_consume_opts {
	__u32	id;
	__u32	count;		/* 0: no limit */
	int	timeout_ms;	/* -1: none */
	bool	json;
};

int xbpf_map_consume(struct xbpf_backend *be, const struct xbpf_consume_opts *o);
int xbpf_map_list(struct xbpf_backend *be, bool json);

#endif /* _XBPF_TOOLS_MAP_CMDS_H */

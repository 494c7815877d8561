/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printable names of bpf(2) commands, program types, map types and xbpf
 * feature bits, for `xbpf feature` and messages.
 */
#ifndef _XBPF_TOOLS_NAMES_H
#define _XBPF_TOOLS_NAMES_H

#include <linux/xbpf.h>

/* NULL for numbers without a name. */
const char *xbpf_cmd_name(unsigned int cmd);
const char *xbpf_prog_type_str(unsigned int type);
const char *xbpf_map_type_str(unsigned int type);
const char *xbpf_feature_name(unsigned int bit);

#endif /* _XBPF_TOOLS_NAMES_H */

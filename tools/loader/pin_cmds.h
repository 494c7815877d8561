/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBPF_PIN_CMDS_H
#define XBPF_PIN_CMDS_H

#include <stdio.h>

/* `xbpf pin list [--json]` and `xbpf unpin PATH | --all`: argv[0] is pin/unpin. */
int xbpf_cmd_pin(int argc, char **argv);
/* Their lines of `xbpf --help`. */
void xbpf_pin_usage(FILE *f);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands built on Debian's libbpf (libbpf_cmds.c, obj_cmds.c): ELF
 * objects through bpf_object__open/load, and bpftool-style show/dump of
 * programs and maps by id.  libbpf's bpf(2) calls reach /dev/xbpf through
 * ld --wrap=syscall (tools/redirect/), so these are module-only.
 */
#ifndef _XBPF_TOOLS_LIBBPF_CMDS_H
#define _XBPF_TOOLS_LIBBPF_CMDS_H

#include <stdbool.h>

/* xbpf prog load|loadall OBJ [...]: @all loads every program */
int xbpf_cmd_prog_load(int argc, char **argv, bool all);
/* xbpf prog show [id N] [--json] */
int xbpf_cmd_prog_show(int argc, char **argv);
/* xbpf map create|show|dump|lookup|update|delete ... (argv[0] is the verb) */
int xbpf_cmd_map_obj(int argc, char **argv);
/* xbpf verify FILE.o: libbpf's load with the verifier log captured */
int xbpf_cmd_verify_elf(const char *file, int log_level, bool json);
/* FILE starts with the ELF magic */
bool xbpf_file_is_elf(const char *file);

#endif /* _XBPF_TOOLS_LIBBPF_CMDS_H */

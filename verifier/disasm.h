/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line instruction printer in the shape Linux's verifier log uses
 * ("r1 += r2", "if r1 > 0x5 goto pc+3", "r0 = *(u32 *)(r1 +4)"), so
 * logs read the same to people and tools.  Never fails: an instruction
 * it cannot name prints as "unknown".
 */
#ifndef _XBPF_VERIFIER_DISASM_H
#define _XBPF_VERIFIER_DISASM_H

#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

#define XBPF_DISASM_BUF	128

/*
 * Formats insn (and, for LDDW, next: the second slot, or NULL) into buf.
 * Returns buf.
 */
const char *xbpf_disasm_insn(const struct xbpf_insn *insn,
			     const struct xbpf_insn *next,
			     char *buf, size_t size);

#endif /* _XBPF_VERIFIER_DISASM_H */

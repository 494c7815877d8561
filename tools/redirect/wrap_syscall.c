// SPDX-License-Identifier: GPL-2.0
/*
 * ld --wrap=syscall: every undefined reference to syscall() in the linked
 * objects (libbpf.a's bpf.o and libbpf.o, the CLI itself) resolves here;
 * __real_syscall is libc's.
 */
#include "redirect.h"

long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);

long __wrap_syscall(long nr, ...)
{
	va_list ap;
	long ret;

	va_start(ap, nr);
	ret = xbpf_redirect_syscall(__real_syscall, nr, ap);
	va_end(ap);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Object names (prog_name, map_name) under bpf(2)'s rules: alphanumerics,
 * '_' and '.', NUL-terminated within the field.
 */
#include <linux/ctype.h>
#include "xbpf_mod.h"

/* src is kernel memory of size bytes; dst receives size bytes. */
int xbpf_obj_name_cpy(char *dst, const char *src, unsigned int size)
{
	unsigned int i;

	memset(dst, 0, size);
	for (i = 0; i < size; i++) {
		if (!src[i])
			return 0;
		if (!isalnum(src[i]) && src[i] != '_' && src[i] != '.')
			return -EINVAL;
		dst[i] = src[i];
	}
	/* no NUL inside the field */
	return -EINVAL;
}

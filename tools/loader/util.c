// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers shared by the xbpf tools.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* kernel-internal, but bpf(2) does return it */
#endif

#define E(x)	[x] = #x
/* Only what bpf(2) and the tools can return; unknown numbers print as E???. */
static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS),
	E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENODATA), E(ETIME),
	E(ENOLINK), E(EPROTO), E(EBADMSG), E(EOVERFLOW), E(EILSEQ),
	E(EOPNOTSUPP), E(ETIMEDOUT), E(EALREADY), E(EINPROGRESS),
	E(ECANCELED), E(EOWNERDEAD),
};
#undef E

const char *xbpf_errno_name(int err)
{
	if (err < 0)
		err = -err;
	if (err == ENOTSUPP)
		return "ENOTSUPP";
	if (err < (int)(sizeof(errno_names) / sizeof(errno_names[0])) &&
	    errno_names[err])
		return errno_names[err];
	return "E???";
}

const char *xbpf_errstr(int err)
{
	static char buf[128];

	if (err < 0)
		err = -err;
	if (err == ENOTSUPP)
		snprintf(buf, sizeof(buf), "ENOTSUPP (%d): Operation not supported", err);
	else
		snprintf(buf, sizeof(buf), "%s (%d): %s", xbpf_errno_name(err), err,
			 strerror(err));
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xbpf_hex_decode(const char *s, uint8_t **out, size_t *len, const char **bad)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *buf;
	int hi = -1;

	*out = NULL;
	*len = 0;
	if (bad)
		*bad = NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s))
			continue;
		v = hexval((unsigned char)*s);
		if (v < 0) {
			if (bad)
				*bad = s;
			free(buf);
			return -EINVAL;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		if (bad)
			*bad = s;
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = n;
	return 0;
}

void xbpf_hex_encode(const void *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

int xbpf_parse_s64(const char *s, int64_t *v)
{
	const char *p = s;
	uint64_t acc = 0, limit;
	bool neg = false;

	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (!*p)
		return -EINVAL;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (acc > (limit - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		acc = acc * 10 + (uint64_t)(*p - '0');
	}
	*v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

int xbpf_parse_u32(const char *s, uint32_t *v)
{
	int64_t x;
	int err;

	if (*s == '-' || *s == '+')
		return -EINVAL;
	err = xbpf_parse_s64(s, &x);
	if (err)
		return err;
	if (x > UINT32_MAX)
		return -ERANGE;
	*v = (uint32_t)x;
	return 0;
}

char *xbpf_read_file(const char *path, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd, saved;

	if (!buf)
		return NULL;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		goto fail;
	for (;;) {
		ssize_t r;

		if (cap - n < 2) {
			char *nb;

			if (cap > (size_t)1 << 30) {	/* 1 GiB: not a program */
				errno = EFBIG;
				goto fail_close;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				goto fail_close;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail_close;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd)
		close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;

fail_close:
	saved = errno;
	if (fd > 0)
		close(fd);
	errno = saved;
fail:
	saved = errno;
	free(buf);
	errno = saved;
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier log, with bpf(2)'s contract (Linux 6.1, plus 6.4's
 * log_true_size):
 *
 *  - level, buffer and size are all zero, or all valid: a level within
 *    XBPF_LOG_MASK, a buffer, and XBPF_LOG_MIN_SIZE <= size <=
 *    XBPF_LOG_MAX_SIZE.  Anything else is -EINVAL.
 *  - Fixed mode: text goes in order until the buffer is full; what does
 *    not fit is dropped, but counted in true_len so the caller can say
 *    how big a buffer the whole log needs.
 *  - A truncated log (the text and its NUL need more than size bytes)
 *    fails the load with -ENOSPC, even when verification passed, as
 *    since Linux 6.4: with log_true_size reported, a retry with exactly
 *    that many bytes must succeed (6.1 also failed a log that filled the
 *    buffer exactly).  A failed copy to the user buffer is -EFAULT.
 *  - The user buffer always holds a NUL-terminated string: every write
 *    copies its bytes and a terminating NUL.
 *  - xbpf_log_finish() is idempotent: xbpf_verify() calls it to fold the
 *    log's verdict into its return value, and the caller may call it
 *    again after writing messages of its own.
 *
 * Text is formatted into a small buffer on the stack (or, for a rare
 * long line, a temporary allocation of that line's size) and copied out
 * in pieces: the kernel never holds a log_size buffer.
 */
#include "../core/xbpf_port.h"
#include "../core/xbpf_core.h"

#ifdef __KERNEL__
#include <linux/stdarg.h>
#else
#include <stdarg.h>
#endif

/* Most lines fit; longer ones get a temporary buffer of their own size. */
#define XBPF_LOG_LINE	160

int xbpf_log_init(struct xbpf_log *log, u32 level, u64 ubuf, u32 size)
{
	memset(log, 0, sizeof(*log));
	if (level & ~XBPF_LOG_MASK)
		return -EINVAL;
	if (!level) {
		/* A buffer without a level is a caller bug, as in bpf(2). */
		return (ubuf || size) ? -EINVAL : 0;
	}
	if (!ubuf || size < XBPF_LOG_MIN_SIZE || size > XBPF_LOG_MAX_SIZE)
		return -EINVAL;
	log->level = level;
	log->ubuf = ubuf;
	log->len_total = size;
	return 0;
}

static bool xbpf_log_full(const struct xbpf_log *log)
{
	return log->len_used >= log->len_total - 1;
}

/* Copies n bytes of text plus a NUL at the current end of the log. */
static void xbpf_log_append(struct xbpf_log *log, const char *text, u32 n)
{
	static const char nul;
	u32 room = log->len_total - 1 - log->len_used;

	n = min(n, room);
	if (n && xbpf_copy_to_user(log->ubuf + log->len_used, text, n)) {
		log->fault = 1;
		return;
	}
	if (xbpf_copy_to_user(log->ubuf + log->len_used + n, &nul, 1)) {
		log->fault = 1;
		return;
	}
	log->len_used += n;
}

void xbpf_log_write(struct xbpf_log *log, const char *fmt, ...)
{
	char line[XBPF_LOG_LINE];
	char *big = NULL;
	va_list args;
	int n;

	if (!log || !log->level)
		return;

	va_start(args, fmt);
	n = vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	if (n <= 0)
		return;
	log->true_len += n;
	/* After a fault the buffer is unusable; after a fill nothing fits. */
	if (log->fault || xbpf_log_full(log))
		return;

	if (n >= (int)sizeof(line)) {
		/* Only as many bytes as can still land in the user buffer. */
		u32 want = min_t(u32, n, log->len_total - 1 - log->len_used);

		if (want >= sizeof(line))
			big = xbpf_kzalloc(want + 1);
		if (big) {
			va_start(args, fmt);
			vsnprintf(big, want + 1, fmt, args);
			va_end(args);
			xbpf_log_append(log, big, want);
			xbpf_kfree(big);
			return;
		}
		/* No memory (or it fits the line): keep what the line holds. */
		n = sizeof(line) - 1;
	}
	xbpf_log_append(log, line, n);
}

int xbpf_log_finish(struct xbpf_log *log)
{
	static const char nul;

	if (!log || !log->level)
		return 0;
	if (log->fault)
		return -EFAULT;
	/* An empty log still reads as an empty string. */
	if (!log->len_used && xbpf_copy_to_user(log->ubuf, &nul, 1)) {
		log->fault = 1;
		return -EFAULT;
	}
	return log->true_len >= log->len_total ? -ENOSPC : 0;
}

u64 xbpf_log_pos(const struct xbpf_log *log)
{
	return log ? log->true_len : 0;
}

/*
 * Positions are logical (true_len), so the same sequence of writes and
 * resets leaves the same text, whatever the buffer's size: a small
 * buffer holds a prefix of what a big one holds.  Bytes before pos were
 * copied out if they fit, so len_used only shrinks.
 */
void xbpf_log_reset(struct xbpf_log *log, u64 pos)
{
	static const char nul;

	if (!log || !log->level || WARN_ON_ONCE(pos > log->true_len))
		return;
	log->true_len = pos;
	if (log->fault || pos >= log->len_used)
		return;
	log->len_used = (u32)pos;
	if (xbpf_copy_to_user(log->ubuf + log->len_used, &nul, 1))
		log->fault = 1;
}

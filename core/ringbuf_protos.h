/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring buffer helpers' prototypes, as Linux 6.1 declares them: what
 * the verifier checks at each call.  Only data here: the run-time code
 * (the RINGBUF map and the five functions) comes with the ring buffer map
 * type, which instantiates the table with its functions and registers it.
 * Until then no build offers these helpers, so no program can call one
 * that cannot run.
 *
 *   static const struct xbpf_helper_proto protos[] = {
 *           XBPF_RINGBUF_PROTOS(output, reserve, submit, discard, query)
 *   };
 */
#ifndef _XBPF_RINGBUF_PROTOS_H
#define _XBPF_RINGBUF_PROTOS_H

#include "xbpf_core.h"

#define XBPF_RINGBUF_PROTOS(_output, _reserve, _submit, _discard, _query)	\
	{									\
		.id = XBPF_FUNC_ringbuf_output, .name = "ringbuf_output",	\
		.fn = (_output), .ret = XBPF_RET_INTEGER,			\
		.arg = { XBPF_ARG_CONST_MAP_PTR, XBPF_ARG_PTR_TO_MEM,		\
			 XBPF_ARG_CONST_SIZE_OR_ZERO, XBPF_ARG_ANYTHING },	\
	},									\
	{									\
		.id = XBPF_FUNC_ringbuf_reserve, .name = "ringbuf_reserve",	\
		.fn = (_reserve), .ret = XBPF_RET_PTR_TO_ALLOC_MEM_OR_NULL,	\
		.arg = { XBPF_ARG_CONST_MAP_PTR,				\
			 XBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO, XBPF_ARG_ANYTHING },\
		.acquire = true,						\
	},									\
	{									\
		.id = XBPF_FUNC_ringbuf_submit, .name = "ringbuf_submit",	\
		.fn = (_submit), .ret = XBPF_RET_VOID,				\
		.arg = { XBPF_ARG_PTR_TO_ALLOC_MEM, XBPF_ARG_ANYTHING },	\
		.release_arg = 1,						\
	},									\
	{									\
		.id = XBPF_FUNC_ringbuf_discard, .name = "ringbuf_discard",	\
		.fn = (_discard), .ret = XBPF_RET_VOID,				\
		.arg = { XBPF_ARG_PTR_TO_ALLOC_MEM, XBPF_ARG_ANYTHING },	\
		.release_arg = 1,						\
	},									\
	{									\
		.id = XBPF_FUNC_ringbuf_query, .name = "ringbuf_query",	\
		.fn = (_query), .ret = XBPF_RET_INTEGER,			\
		.arg = { XBPF_ARG_CONST_MAP_PTR, XBPF_ARG_ANYTHING },		\
	}

#endif /* _XBPF_RINGBUF_PROTOS_H */

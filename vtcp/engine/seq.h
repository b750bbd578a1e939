/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence number arithmetic modulo 2^32 (RFC 9293 3.4): comparisons are
 * meaningful between numbers less than 2^31 apart.
 */
#ifndef _VTCP_SEQ_H
#define _VTCP_SEQ_H

#include <linux/types.h>

static inline bool vtcp_seq_lt(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool vtcp_seq_leq(u32 a, u32 b)
{
	return (s32)(a - b) <= 0;
}

static inline bool vtcp_seq_gt(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

static inline bool vtcp_seq_geq(u32 a, u32 b)
{
	return (s32)(a - b) >= 0;
}

/* lo <= x < hi */
static inline bool vtcp_seq_in(u32 x, u32 lo, u32 hi)
{
	return x - lo < hi - lo;
}

static inline u32 vtcp_seq_max(u32 a, u32 b)
{
	return vtcp_seq_gt(a, b) ? a : b;
}

static inline u32 vtcp_seq_min(u32 a, u32 b)
{
	return vtcp_seq_lt(a, b) ? a : b;
}

#endif /* _VTCP_SEQ_H */

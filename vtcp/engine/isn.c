// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers (RFC 6528) and timestamp offsets (RFC 7323
 * 5.4), keyed by the module's secret, which SYN cookies (cookie.c) use
 * too.
 *
 * ISN = M + F(4-tuple, secret): M a clock ticking every 4.096 us, F a
 * SipHash of the tuple.
 */

#include <kunit/visibility.h>
#include <linux/cache.h>
#include <linux/random.h>

#include "engine/isn.h"

/* Keys every ISN, timestamp offset and cookie; drawn at module load. */
siphash_key_t vtcp_secret __read_mostly;

void vtcp_isn_init(void)
{
	get_random_bytes(&vtcp_secret, sizeof(vtcp_secret));
}

u32 vtcp_isn(const siphash_key_t *key, const struct vtcp_tuple *t, u64 now)
{
	return (u32)siphash(t, sizeof(*t), key) + (u32)(now >> 12);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_isn);

/* RFC 7323 5.4: timestamps start at an offset no observer can relate. */
u32 vtcp_isn_ts_offset(const siphash_key_t *key, const struct vtcp_tuple *t)
{
	return (u32)(siphash(t, sizeof(*t), key) >> 32);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_isn_ts_offset);

// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers (RFC 6528) and SYN cookies.
 *
 * ISN = M + F(4-tuple, secret): M a clock ticking every 4.096 us, F a
 * SipHash of the tuple. A SYN cookie is an ISN that remembers, without
 * state, that we answered a SYN and with which MSS:
 *
 *   bits 31..27  a 64-second counter, mod 32
 *   bits 26..0   SipHash(tuple, peer ISN, counter) + MSS index, mod 2^27
 *
 * A cookie is good for two counter periods (64 to 128 s). A guess passes
 * with probability 8 / 2^27. Window scale and SACK-permitted, when the SYN
 * carried timestamps, ride in the low bits of our timestamp value and come
 * back in the ACK's echo, as in Linux.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>
#include <linux/cache.h>
#include <linux/random.h>
#include <linux/time64.h>

#include "engine/isn.h"
#include "engine/proto.h"

#define VTCP_COOKIE_BITS	27
#define VTCP_COOKIE_MASK	((1U << VTCP_COOKIE_BITS) - 1)
#define VTCP_COOKIE_TS_BITS	5
#define VTCP_COOKIE_TS_MASK	((1U << VTCP_COOKIE_TS_BITS) - 1)

/* Keys every ISN, timestamp offset and cookie; drawn at module load. */
siphash_key_t vtcp_secret __read_mostly;

void vtcp_isn_init(void)
{
	get_random_bytes(&vtcp_secret, sizeof(vtcp_secret));
}

/* The MSS values a cookie can carry: common paths, IPv4 and IPv6. */
static const u16 vtcp_cookie_mss[] = {
	VTCP_MSS_DEFAULT, VTCP_MSS_DEFAULT_V6, 1360, 1400, 1440, 1460, 8940,
	65483,
};

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

static u32 vtcp_cookie_hash(const siphash_key_t *key,
			    const struct vtcp_tuple *t, u32 peer_isn, u32 count)
{
	struct {
		struct vtcp_tuple t;
		u32 peer_isn;
		u32 count;
	} in = { *t, peer_isn, count };

	return (u32)siphash(&in, sizeof(in), key);
}

u32 vtcp_cookie_make(const siphash_key_t *key, const struct vtcp_tuple *t,
		     u32 peer_isn, u16 peer_mss, u64 now, u16 *mss)
{
	u32 count = (u32)div64_u64(now, VTCP_COOKIE_PERIOD_NS);
	u32 idx = 0, i;

	for (i = 0; i < ARRAY_SIZE(vtcp_cookie_mss); i++)
		if (vtcp_cookie_mss[i] <= peer_mss)
			idx = i;
	*mss = vtcp_cookie_mss[idx];
	return (count << VTCP_COOKIE_BITS) |
	       ((vtcp_cookie_hash(key, t, peer_isn, count) + idx) &
		VTCP_COOKIE_MASK);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cookie_make);

/* The MSS the cookie carries, or 0 if it is not one of ours or too old. */
u16 vtcp_cookie_check(const siphash_key_t *key, const struct vtcp_tuple *t,
		      u32 cookie, u32 peer_isn, u64 now)
{
	u32 count = (u32)div64_u64(now, VTCP_COOKIE_PERIOD_NS);
	u32 age, idx;

	age = (count - (cookie >> VTCP_COOKIE_BITS)) &
	      ((1U << (32 - VTCP_COOKIE_BITS)) - 1);
	if (age > 1)
		return 0;
	count -= age;
	idx = (cookie - vtcp_cookie_hash(key, t, peer_isn, count)) &
	      VTCP_COOKIE_MASK;
	return idx < ARRAY_SIZE(vtcp_cookie_mss) ? vtcp_cookie_mss[idx] : 0;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cookie_check);

/* Our timestamp for a cookie SYN-ACK, never ahead of the clock. */
u32 vtcp_cookie_tsval(u32 tsnow, u8 wscale, bool sack)
{
	u32 opts = (wscale & 0xf) | (sack ? 0x10 : 0);
	u32 ts = (tsnow & ~VTCP_COOKIE_TS_MASK) | opts;

	if ((s32)(ts - tsnow) > 0)
		ts -= 1U << VTCP_COOKIE_TS_BITS;
	return ts;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cookie_tsval);

void vtcp_cookie_ts_decode(u32 tsecr, u8 *wscale, bool *sack)
{
	*wscale = tsecr & 0xf;
	*sack = tsecr & 0x10;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cookie_ts_decode);

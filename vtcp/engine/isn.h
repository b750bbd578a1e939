/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_ISN_H
#define _VTCP_ISN_H

#include <linux/siphash.h>

#include "tuple.h"

#define VTCP_COOKIE_NO_WSCALE	0xf

extern siphash_key_t vtcp_secret;

void vtcp_isn_init(void);

u32 vtcp_isn(const siphash_key_t *key, const struct vtcp_tuple *t, u64 now);
u32 vtcp_isn_ts_offset(const siphash_key_t *key, const struct vtcp_tuple *t);

u32 vtcp_cookie_make(const siphash_key_t *key, const struct vtcp_tuple *t,
		     u32 peer_isn, u16 peer_mss, u64 now, u16 *mss);
u16 vtcp_cookie_check(const siphash_key_t *key, const struct vtcp_tuple *t,
		      u32 cookie, u32 peer_isn, u64 now);
u32 vtcp_cookie_tsval(u32 tsnow, u8 wscale, bool sack);
void vtcp_cookie_ts_decode(u32 tsecr, u8 *wscale, bool *sack);

#endif /* _VTCP_ISN_H */

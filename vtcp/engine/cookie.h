/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_COOKIE_H
#define _VTCP_COOKIE_H

#include <linux/siphash.h>

#include "engine/tcb.h"
#include "tuple.h"

/* A cookie SYN-ACK's timestamp says: the SYN had no window scale. */
#define VTCP_COOKIE_NO_WSCALE	0xf

u32 vtcp_cookie_make(const siphash_key_t *key, const struct vtcp_tuple *t,
		     u32 peer_isn, u16 peer_mss, u64 now, u16 *mss);
u16 vtcp_cookie_check(const siphash_key_t *key, const struct vtcp_tuple *t,
		      u32 cookie, u32 peer_isn, u64 now);
u32 vtcp_cookie_tsval(u32 tsnow, u8 wscale, bool sack);
void vtcp_cookie_ts_decode(u32 tsecr, u8 *wscale, bool *sack);

/* The stateless SYN-ACK answering @syn, and the child its ACK makes. */
void vtcp_cookie_synack(const struct vtcp_cfg *cfg, const struct vtcp_seg *syn,
			u32 cookie, u16 mss, u32 ts_offset, u64 now,
			struct vtcp_out *out);
void vtcp_cookie_child(struct vtcp_tcb *tcb, const struct vtcp_seg *ack,
		       u16 mss, u8 wscale, bool sack, u64 now);

#endif /* _VTCP_COOKIE_H */

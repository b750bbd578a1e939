// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies: the stateless SYN-ACK a listener sends when its SYN queue
 * is full, and the child a valid cookie's ACK rebuilds.
 *
 * A cookie is an ISN that remembers, without state, that we answered a SYN
 * and with which MSS:
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
#include <linux/string.h>

#include "engine/cookie.h"
#include "engine/output.h"

#define VTCP_COOKIE_BITS	27
#define VTCP_COOKIE_MASK	((1U << VTCP_COOKIE_BITS) - 1)
#define VTCP_COOKIE_TS_BITS	5
#define VTCP_COOKIE_TS_MASK	((1U << VTCP_COOKIE_TS_BITS) - 1)

/* The MSS values a cookie can carry: common paths, IPv4 and IPv6. */
static const u16 vtcp_cookie_mss[] = {
	VTCP_MSS_DEFAULT, VTCP_MSS_DEFAULT_V6, 1360, 1400, 1440, 1460, 8940,
	65483,
};

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

/*
 * The SYN-ACK that answers @syn with a SYN cookie and keeps no state. The
 * peer's window scale and SACK-permitted ride in our timestamp
 * (vtcp_cookie_tsval()).
 */
void vtcp_cookie_synack(const struct vtcp_cfg *cfg, const struct vtcp_seg *syn,
			u32 cookie, u16 mss, u32 ts_offset, u64 now,
			struct vtcp_out *out)
{
	const struct vtcp_opts *o = &syn->opt;
	bool ts = (cfg->flags & VTCP_CFG_TIMESTAMPS) &&
		  (o->present & VTCP_TCPOPT_TS);
	bool ws = ts && (cfg->flags & VTCP_CFG_WSCALE) &&
		  (o->present & VTCP_TCPOPT_WSCALE);
	bool sack = ts && (cfg->flags & VTCP_CFG_SACK) &&
		    (o->present & VTCP_TCPOPT_SACK_OK);

	memset(out, 0, sizeof(*out));
	out->seq = cookie;
	out->ack = syn->seq + 1;
	out->flags = VTCP_TH_SYN | VTCP_TH_ACK;
	out->wnd = min(cfg->rcvbuf, VTCP_MAX_WINDOW);
	out->opt.present = VTCP_TCPOPT_MSS;
	out->opt.mss = mss;
	if (ts) {
		u8 wscale = ws ? o->wscale : VTCP_COOKIE_NO_WSCALE;
		u32 tsnow = vtcp_ts_clock(now, ts_offset);

		out->opt.present |= VTCP_TCPOPT_TS;
		out->opt.tsval = vtcp_cookie_tsval(tsnow, wscale, sack);
		out->opt.tsecr = o->tsval;
	}
	if (ws) {
		out->opt.present |= VTCP_TCPOPT_WSCALE;
		out->opt.wscale = vtcp_wscale_for(cfg->rcvbuf);
	}
	if (sack)
		out->opt.present |= VTCP_TCPOPT_SACK_OK;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cookie_synack);

/*
 * A SYN cookie came back in @ack: make the child what it would have been
 * in SYN-RECEIVED had we kept state; vtcp_input(@ack) then completes the
 * handshake. Window scale and SACK come back only through the timestamp
 * echo, so without timestamps neither is in use.
 */
void vtcp_cookie_child(struct vtcp_tcb *tcb, const struct vtcp_seg *ack,
		       u16 mss, u8 wscale, bool sack, u64 now)
{
	bool ts = (tcb->cfg.flags & VTCP_CFG_TIMESTAMPS) &&
		  (ack->opt.present & VTCP_TCPOPT_TS);

	vtcp_open_passive(tcb, ack->ack - 1);
	tcb->snd_nxt = tcb->iss + 1;
	tcb->irs = ack->seq - 1;
	tcb->rcv_nxt = ack->seq;
	tcb->last_ack_sent = tcb->rcv_nxt;
	tcb->rcv_adv = tcb->rcv_nxt + min(tcb->cfg.rcvbuf, VTCP_MAX_WINDOW);
	tcb->mss = min(tcb->mss, mss);
	tcb->rcv_mss = min(mss, tcb->adv_mss);
	tcb->ts_ok = ts;
	if (ts) {
		tcb->ts_recent = ack->opt.tsval;
		tcb->ts_recent_ns = now;
	}
	tcb->ws_ok = ts && (tcb->cfg.flags & VTCP_CFG_WSCALE) &&
		     wscale != VTCP_COOKIE_NO_WSCALE;
	tcb->snd_wscale = tcb->ws_ok ? wscale : 0;
	if (!tcb->ws_ok)
		tcb->rcv_wscale = 0;
	tcb->sack_ok = ts && (tcb->cfg.flags & VTCP_CFG_SACK) && sack;
	vtcp_mss_less_options(tcb);
	tcb->snd_wl1 = tcb->irs;
	tcb->state = VTCP_SYN_RECEIVED;
	tcb->last_rcv_ns = now;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_cookie_child);

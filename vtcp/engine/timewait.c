// SPDX-License-Identifier: GPL-2.0
/*
 * TIME-WAIT without a TCB (RFC 9293 3.10.7.4, TIME-WAIT STATE): the rules
 * input.c applies to a full connection in TIME-WAIT, on the few fields
 * struct vtcp_timewait keeps.
 *
 *   a SYN newer than the old connection	reopens (RFC 6191, RFC 1122;
 *					vtcp_timewait_reopens() decides
 *					for a full TCB too)
 *   a RST				is ignored (RFC 1337)
 *   the peer's FIN again		is ACKed, the 2MSL wait restarts
 *   anything else			gets an ACK, at most 10 a second
 *					(RFC 5961 7), or nothing if it
 *					is a plain ACK of our FIN
 */

#include <kunit/visibility.h>
#include <linux/string.h>

#include "engine/output.h"
#include "engine/seq.h"
#include "engine/timewait.h"

void vtcp_timewait_from(const struct vtcp_tcb *tcb, struct vtcp_timewait *tw)
{
	memset(tw, 0, sizeof(*tw));
	tw->snd_nxt = tcb->snd_nxt;
	tw->rcv_nxt = tcb->rcv_nxt;
	tw->ts_recent = tcb->ts_recent;
	tw->ts_offset = tcb->ts_offset;
	tw->ts_ok = tcb->ts_ok;
	/* What the last ACK advertised; the peer has sent its FIN anyway. */
	tw->wnd = min_t(u32, (tcb->rcv_adv - tcb->rcv_nxt) >> tcb->rcv_wscale,
			VTCP_MAX_WINDOW);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_timewait_from);

/*
 * May @seg open a new incarnation over TIME-WAIT (RFC 6191 2)? Only a SYN
 * that cannot be an old duplicate: with timestamps on both incarnations,
 * one newer than TS.Recent, or an equal one with a sequence number past
 * the old connection's; without, that sequence number test alone (RFC
 * 9293 3.6.1, RFC 1122 4.2.2.13). For a full TCB too, through the view of
 * vtcp_timewait_from(), so that both kinds of TIME-WAIT decide alike.
 */
bool vtcp_timewait_reopens(const struct vtcp_timewait *tw,
			   const struct vtcp_seg *seg)
{
	if (!vtcp_seg_is(seg, VTCP_TH_SYN))
		return false;
	if (tw->ts_ok && (seg->opt.present & VTCP_TCPOPT_TS) &&
	    seg->opt.tsval != tw->ts_recent)
		return vtcp_seq_gt(seg->opt.tsval, tw->ts_recent);
	return vtcp_seq_gt(seg->seq, tw->rcv_nxt);
}

static void vtcp_timewait_ack(const struct vtcp_timewait *tw, u64 now,
			      struct vtcp_out *out)
{
	memset(out, 0, sizeof(*out));
	out->seq = tw->snd_nxt;
	out->ack = tw->rcv_nxt;
	out->flags = VTCP_TH_ACK;
	out->wnd = tw->wnd;
	if (tw->ts_ok) {
		out->opt.present = VTCP_TCPOPT_TS;
		out->opt.tsval = vtcp_ts_clock(now, tw->ts_offset);
		out->opt.tsecr = tw->ts_recent;
	}
}

enum vtcp_timewait_verdict
vtcp_timewait_input(struct vtcp_timewait *tw, const struct vtcp_seg *seg,
		    u64 now, struct vtcp_out *out, enum vtcp_drop_reason *drop)
{
	u8 flags = seg->flags;

	*drop = VTCP_DROP_NONE;
	if (vtcp_timewait_reopens(tw, seg))
		return VTCP_TIMEWAIT_REOPEN;
	if (flags & VTCP_TH_RST) {
		*drop = VTCP_DROP_STATE;	/* RFC 1337 */
		return VTCP_TIMEWAIT_DROP;
	}
	/* The peer's FIN again: its ACK of our FIN was lost, or ours. */
	if ((flags & VTCP_TH_FIN) && seg->seq + seg->len + 1 == tw->rcv_nxt) {
		*drop = VTCP_DROP_DUPLICATE;
		vtcp_timewait_ack(tw, now, out);
		return VTCP_TIMEWAIT_ACK_RESTART;
	}
	/* A plain ACK of our FIN: all is well, nothing to say. */
	if (!(flags & (VTCP_TH_SYN | VTCP_TH_FIN)) && !seg->len &&
	    seg->seq == tw->rcv_nxt && seg->ack == tw->snd_nxt)
		return VTCP_TIMEWAIT_DROP;
	*drop = (flags & VTCP_TH_SYN) ? VTCP_DROP_SYN_CHALLENGED :
					VTCP_DROP_OUT_OF_WINDOW;
	if (!vtcp_challenge_allow(&tw->challenge, now))
		return VTCP_TIMEWAIT_DROP;
	vtcp_timewait_ack(tw, now, out);
	return VTCP_TIMEWAIT_ACK;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_timewait_input);

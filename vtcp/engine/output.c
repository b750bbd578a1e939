// SPDX-License-Identifier: GPL-2.0
/*
 * What the engine sends, and when.
 *
 * vtcp_output() is the one transmit loop: lost data first, then new data
 * within the peer's window and the congestion window, holding back small
 * segments for Nagle (RFC 9293 3.7.4), cork, and sender silly-window
 * avoidance (RFC 9293 3.8.6.2.1); then the FIN once the data has drained.
 * Every segment carries the current ACK and window, so whatever leaves
 * also settles a pending (delayed) ACK.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/rtt.h"
#include "engine/seq.h"
#include "engine/sndq.h"

/*
 * Payload bytes the receive buffer can still take beyond rcv_nxt: the
 * buffer as auto-tuning sized it (rcvbuf.c), less what waits for the reader.
 */
u32 vtcp_rcv_space(const struct vtcp_tcb *tcb)
{
	u32 used = tcb->rcvq.ready_bytes;

	return tcb->rcvbuf_auto > used ? tcb->rcvbuf_auto - used : 0;
}

/* The least step the window's right edge moves by (receiver SWS). */
u32 vtcp_rcv_wnd_step(const struct vtcp_tcb *tcb)
{
	return min_t(u32, tcb->rcvbuf_auto / 2,
		     max_t(u32, tcb->rcv_mss, VTCP_MSS_DEFAULT));
}

/*
 * The window to advertise, as the 16-bit field. The right edge never moves
 * left (RFC 9293 3.8.6.2.2, MUST-35) and moves right only by a worthwhile
 * step, min(rcvbuf / 2, MSS), so the peer never sees a silly window.
 */
u16 vtcp_select_window(struct vtcp_tcb *tcb)
{
	u32 cur = vtcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
		  tcb->rcv_adv - tcb->rcv_nxt : 0;
	u32 space = min(vtcp_rcv_space(tcb),
			VTCP_MAX_WINDOW << tcb->rcv_wscale);
	u32 step = vtcp_rcv_wnd_step(tcb);
	u32 field;

	if (space <= cur || space - cur < step)
		space = cur;
	field = min_t(u32, DIV_ROUND_UP(space, 1U << tcb->rcv_wscale),
		      VTCP_MAX_WINDOW);
	tcb->rcv_adv = tcb->rcv_nxt + (field << tcb->rcv_wscale);
	return field;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_select_window);

/*
 * RFC 6691, RFC 9293 3.7.1 (MUST-16): an MSS counts no TCP options, so a
 * segment's data shrinks by the options it carries. Timestamps ride on
 * every segment, both ways: taken off once, when they are agreed on; SACK
 * blocks where they ride (vtcp_send_range()). A peer's MSS below the
 * least vtcp deals in counts as that, as our own does (vtcp_syn_options()).
 *
 * RFC 791 3.1: IPv4's total length, headers included, is 16 bits. At an
 * MTU near 65535 a full segment with every option would not fit, so the
 * MSS leaves room for them all (IPv6's payload length counts no IP header,
 * and its MSS is never that large).
 */
void vtcp_mss_less_options(struct vtcp_tcb *tcb)
{
	u16 fit = VTCP_IP_MAX_LEN - (tcb->ipv6 ? 0 : VTCP_IPV4_HLEN) -
		  VTCP_TCP_HLEN - VTCP_MAX_OPTION_SPACE;

	tcb->rcv_mss = max_t(u16, tcb->rcv_mss, VTCP_MSS_MIN);
	if (tcb->ts_ok) {
		tcb->mss -= min_t(u16, VTCP_OPTLEN_TS_ALIGNED,
				  tcb->mss - VTCP_MSS_MIN);
		tcb->rcv_mss -= min_t(u16, VTCP_OPTLEN_TS_ALIGNED,
				      tcb->rcv_mss - VTCP_MSS_MIN);
	}
	tcb->mss = min(tcb->mss, fit);
}

/* Fields every segment of a synchronized connection carries. */
static void vtcp_out_init(struct vtcp_tcb *tcb, struct vtcp_out *out, u32 seq,
			  u8 flags, u64 now)
{
	int max_sack;

	memset(out, 0, sizeof(*out));
	out->seq = seq;
	out->flags = flags | VTCP_TH_ACK;
	/* RFC 3168 6.1.3: ECE on every ACK until the peer's CWR. */
	if (tcb->ecn_echo && !(flags & VTCP_TH_RST))
		out->flags |= VTCP_TH_ECE;
	out->ack = tcb->rcv_nxt;
	out->wnd = vtcp_select_window(tcb);
	if (tcb->ts_ok) {
		out->opt.present |= VTCP_TCPOPT_TS;
		out->opt.tsval = vtcp_ts_now(tcb, now);
		out->opt.tsecr = tcb->ts_recent;
	}
	if (tcb->nsack) {
		max_sack = tcb->ts_ok ? 3 : VTCP_MAX_SACK_BLOCKS;
		out->opt.present |= VTCP_TCPOPT_SACK;
		out->opt.nsack = min_t(int, tcb->nsack, max_sack);
		memcpy(out->opt.sack, tcb->sack,
		       out->opt.nsack * sizeof(out->opt.sack[0]));
	}
}

/* Every segment the connection sends leaves through here, and is counted. */
static int vtcp_xmit_counted(struct vtcp_tcb *tcb, const struct vtcp_out *out)
{
	tcb->stats.segs_out++;
	if (out->len)
		tcb->stats.data_segs_out++;
	return tcb->ops->xmit(tcb, out);
}

static int vtcp_xmit(struct vtcp_tcb *tcb, const struct vtcp_out *out)
{
	if (out->flags & VTCP_TH_ACK) {
		/* This segment carries the ACK that may have been owed. */
		tcb->last_ack_sent = out->ack;
		tcb->ack_segs = 0;
		tcb->ack_now = 0;
		tcb->ack_pushed = 0;
		vtcp_disarm(tcb, VTCP_TIMER_DELACK);
		if (tcb->dsack && !WARN_ON_ONCE(!tcb->nsack)) {
			/* A D-SACK block is reported once (RFC 2883 4). */
			tcb->dsack = 0;
			tcb->nsack--;
			memmove(tcb->sack, tcb->sack + 1,
				tcb->nsack * sizeof(tcb->sack[0]));
		}
	}
	return vtcp_xmit_counted(tcb, out);
}

void vtcp_send_ack(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_out out;

	vtcp_out_init(tcb, &out, tcb->snd_nxt, 0, now);
	vtcp_xmit(tcb, &out);
}

/* RFC 5961 7: may one more challenge ACK go in the second of @now? */
bool vtcp_challenge_allow(struct vtcp_challenge *c, u64 now)
{
	u32 ms = (u32)div_u64(now, NSEC_PER_MSEC);

	if (ms - c->start_ms >= MSEC_PER_SEC) {
		c->start_ms = ms;
		c->count = 0;
	}
	if (c->count >= VTCP_CHALLENGE_LIMIT)
		return false;
	c->count++;
	return true;
}

/* RFC 5961 7: challenge ACKs, and ACKs to unacceptable segments, limited. */
void vtcp_send_challenge_ack(struct vtcp_tcb *tcb, u64 now)
{
	if (!vtcp_challenge_allow(&tcb->challenge, now))
		return;
	tcb->stats.challenge_acks++;
	vtcp_send_ack(tcb, now);
}

/*
 * ACK every segment for a while (as Linux's quick-ACK mode): as many as
 * half the window holds, at most VTCP_QUICKACKS.
 */
void vtcp_enter_quickack(struct vtcp_tcb *tcb)
{
	u32 wnd = vtcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
		  tcb->rcv_adv - tcb->rcv_nxt : 0;
	u32 n = clamp_t(u32, wnd / (2 * max_t(u32, tcb->rcv_mss, 1)), 2,
			VTCP_QUICKACKS);

	tcb->quickacks = max_t(u32, tcb->quickacks, n);
}

/* ACK now or within VTCP_DELACK_US, as the receiver's policy says. */
void vtcp_schedule_ack(struct vtcp_tcb *tcb, u64 now)
{
	if (tcb->ack_now)
		return;
	if (!tcb->deadline[VTCP_TIMER_DELACK])
		vtcp_arm(tcb, VTCP_TIMER_DELACK,
			 now + VTCP_DELACK_US * NSEC_PER_USEC);
}

/*
 * The RST that answers @seg, which acknowledged something we never sent
 * (RFC 9293 3.10.7.3, 3.10.7.4 fifth): the connection stays as it was. Its
 * ACK, if it has one, acknowledges @seg and not our receive sequence, so
 * it settles no ACK we owe.
 */
void vtcp_send_reset_reply(struct vtcp_tcb *tcb, const struct vtcp_seg *seg)
{
	struct vtcp_out out;

	if (vtcp_reply_rst(seg, &out))
		vtcp_xmit_counted(tcb, &out);
}

/* RST for our own connection (abort, data after close). */
void vtcp_send_rst(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_out out;

	vtcp_out_init(tcb, &out, tcb->snd_nxt, VTCP_TH_RST, now);
	out.opt.present &= ~VTCP_TCPOPT_SACK;
	out.opt.nsack = 0;
	vtcp_xmit(tcb, &out);
}

/* A zero-window or keepalive probe: an old sequence number, no data. */
void vtcp_send_probe(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_out out;

	vtcp_out_init(tcb, &out, tcb->snd_una - 1, 0, now);
	vtcp_xmit(tcb, &out);
}

/* SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED), first send or again. */
void vtcp_send_syn(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_out out = {};
	struct vtcp_txseg *seg;

	out.seq = tcb->iss;
	out.flags = VTCP_TH_SYN;
	out.wnd = min(vtcp_rcv_space(tcb), VTCP_MAX_WINDOW); /* never scaled */
	out.opt.present = VTCP_TCPOPT_MSS;
	out.opt.mss = tcb->adv_mss;
	if (tcb->state == VTCP_SYN_RECEIVED) {
		out.flags |= VTCP_TH_ACK;
		out.ack = tcb->rcv_nxt;
		tcb->rcv_adv = tcb->rcv_nxt + out.wnd;
		/* RFC 3168 6.1.1: an ECN-setup SYN-ACK has ECE, not CWR. */
		if (tcb->ecn_ok)
			out.flags |= VTCP_TH_ECE;
	} else if (tcb->cfg.flags & VTCP_CFG_ECN) {
		/* An ECN-setup SYN. */
		out.flags |= VTCP_TH_ECE | VTCP_TH_CWR;
	}
	if (tcb->ws_ok) {
		out.opt.present |= VTCP_TCPOPT_WSCALE;
		out.opt.wscale = tcb->rcv_wscale;
	}
	if (tcb->sack_ok)
		out.opt.present |= VTCP_TCPOPT_SACK_OK;
	if (tcb->ts_ok) {
		out.opt.present |= VTCP_TCPOPT_TS;
		out.opt.tsval = vtcp_ts_now(tcb, now);
		out.opt.tsecr = tcb->ts_recent;
	}

	seg = vtcp_txseg_first(&tcb->sndq);
	if (seg && (seg->flags & VTCP_TXSEG_SYN)) {
		/* RFC 5482: the user timeout counts from the first send. */
		if (!tcb->retrans_start_ns)
			tcb->retrans_start_ns = seg->xmit_ns;
		vtcp_txseg_sent(&tcb->sndq, seg, now);
		seg->xmits++;
		seg->flags |= VTCP_TXSEG_EVER_RETRANS;
		tcb->stats.retrans_segs++;
		tcb->stats.retrans_by[VTCP_RETRANS_RTO]++;
		out.retrans = VTCP_RETRANS_RTO;
	} else if (!vtcp_txseg_add(&tcb->sndq, tcb->iss, tcb->iss + 1,
				   VTCP_TXSEG_SYN, now)) {
		/* Without its record the SYN is never resent: retry later. */
		goto arm;
	}
	tcb->snd_nxt = tcb->iss + 1;
	vtcp_xmit(tcb, &out);
arm:
	vtcp_restart_rto(tcb, now);
}

/* The largest segment (a GSO train) the datapath takes, in whole MSS. */
static u32 vtcp_seg_max(const struct vtcp_tcb *tcb)
{
	if (tcb->gso_max <= tcb->mss)
		return tcb->mss;
	return rounddown(tcb->gso_max, tcb->mss);
}

/* @why: VTCP_RETRANS_*, or VTCP_RETRANS_NONE for new data. */
static void vtcp_send_range(struct vtcp_tcb *tcb, u32 seq, u32 len, bool fin,
			    u8 why, u64 now)
{
	u32 end = vtcp_sndq_end(&tcb->sndq);
	struct vtcp_out out;
	u32 mss = tcb->mss;
	u8 flags = 0;

	if (fin)
		flags |= VTCP_TH_FIN;
	if (len && seq + len == end)
		flags |= VTCP_TH_PSH;
	vtcp_out_init(tcb, &out, seq, flags, now);
	out.data_seq = seq;
	out.len = len;
	out.retrans = why;
	/* SACK blocks take their room from the data (RFC 6691). */
	if (out.opt.nsack)
		mss -= VTCP_OPTLEN_SACK_BASE_ALIGNED +
		       out.opt.nsack * VTCP_OPTLEN_SACK_BLOCK;
	if (len > mss)
		out.gso_size = mss;
	/*
	 * RFC 3168 6.1.2, 6.1.5: new data is ECN-capable, a retransmission
	 * is not; CWR rides on the first new data after a reduction.
	 */
	if (tcb->ecn_ok && len && !why) {
		out.ecn = VTCP_ECN_ECT_0;
		if (tcb->ecn_cwr) {
			out.flags |= VTCP_TH_CWR;
			tcb->ecn_cwr = 0;
		}
	}
	if (tcb->ca_state == VTCP_CA_RECOVERY)
		tcb->prr_out += len + fin;
	tcb->last_snd_ns = now;
	vtcp_xmit(tcb, &out);
}

/*
 * When the user timeout (RFC 5482) ends the connection if the oldest data
 * outstanding is still unacknowledged, or 0 without one. It counts from
 * that data's first transmission.
 */
u64 vtcp_user_timeout_end(const struct vtcp_tcb *tcb)
{
	u64 start = tcb->retrans_start_ns;
	const struct vtcp_txseg *seg;

	if (!tcb->cfg.user_timeout_ms)
		return 0;
	if (!start) {
		if (list_empty(&tcb->sndq.segs))
			return 0;
		seg = list_first_entry(&tcb->sndq.segs, struct vtcp_txseg,
				       node);
		start = seg->xmit_ns;
	}
	return start + (u64)tcb->cfg.user_timeout_ms * NSEC_PER_MSEC;
}

/*
 * (Re)start the retransmission timer: the backed-off RTO from now, but no
 * later than the user timeout, so that the connection ends on time rather
 * than at the next expiration after it (as Linux clamps it).
 */
void vtcp_restart_rto(struct vtcp_tcb *tcb, u64 now)
{
	u64 when = now + (u64)vtcp_rto_backed_off(tcb) * NSEC_PER_USEC;
	u64 end = vtcp_user_timeout_end(tcb);

	if (end && end < when)
		when = max(end, now);
	vtcp_arm(tcb, VTCP_TIMER_RTO, when);
}

static void vtcp_arm_rto(struct vtcp_tcb *tcb, u64 now)
{
	if (!tcb->deadline[VTCP_TIMER_RTO])
		vtcp_restart_rto(tcb, now);
}

/*
 * Resend a record (marked lost, or the loss probe's), split to what cwnd
 * and the queue allow.
 */
static bool vtcp_retransmit(struct vtcp_tcb *tcb, struct vtcp_txseg *seg,
			    u32 room, u8 why, u64 now)
{
	u32 max = min(vtcp_seg_max(tcb), max(room, (u32)tcb->mss));
	struct vtcp_txseg *first = vtcp_txseg_first(&tcb->sndq);
	bool fin = seg->flags & VTCP_TXSEG_FIN;
	u32 len = vtcp_txseg_len(seg) - fin;

	max = vtcp_sndq_span(&tcb->sndq, seg->seq, max, VTCP_MAX_PIECES);
	if (len > max) {
		if (!vtcp_txseg_split(&tcb->sndq, seg, seg->seq + max))
			return false;
		len = max;
		fin = false;
	}
	/* RFC 5482: the user timeout counts from the oldest data's send. */
	if (!tcb->retrans_start_ns)
		tcb->retrans_start_ns = first->xmit_ns;
	if (tcb->undo_ok) {
		tcb->undo_retrans += DIV_ROUND_UP(len, tcb->mss) + fin;
		if (!tcb->undo_tsval)
			tcb->undo_tsval = vtcp_ts_now(tcb, now);
	}
	vtcp_txseg_sent(&tcb->sndq, seg, now);
	seg->xmits++;
	seg->flags |= VTCP_TXSEG_EVER_RETRANS;
	vtcp_txseg_mark(&tcb->sndq, seg, VTCP_TXSEG_RETRANS);
	tcb->stats.retrans_segs++;
	tcb->stats.retrans_by[why]++;
	tcb->stats.bytes_retrans += len;
	vtcp_send_range(tcb, seg->seq, len, fin, why, now);
	vtcp_arm_rto(tcb, now);
	return true;
}

/*
 * The RTO fired: the first segment goes again whatever cwnd says (RFC
 * 6298 5.4), as Linux's retransmit timer does. With RACK, segments sent
 * just before the RTO still count as in flight and may fill cwnd.
 */
void vtcp_retransmit_head(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_txseg *seg = vtcp_txseg_first(&tcb->sndq);

	if (seg && (seg->flags & (VTCP_TXSEG_LOST | VTCP_TXSEG_RETRANS |
				  VTCP_TXSEG_SACKED)) == VTCP_TXSEG_LOST)
		vtcp_retransmit(tcb, seg, tcb->mss, VTCP_RETRANS_RTO, now);
}

/*
 * Why what is marked lost goes again: after an RTO, the RTO's doing (it
 * marked it, RFC 8985 6.3 or RFC 5681 3.1); else the detector that runs
 * (recovery.c): RACK with SACK, else duplicate ACKs or RFC 6675.
 */
static u8 vtcp_lost_why(const struct vtcp_tcb *tcb)
{
	if (tcb->ca_state == VTCP_CA_LOSS)
		return VTCP_RETRANS_RTO;
	return vtcp_rack_enabled(tcb) ? VTCP_RETRANS_RACK : VTCP_RETRANS_FAST;
}

/*
 * Resend what is marked lost, lowest first (RFC 6675 NextSeg rule 1), as
 * cwnd allows. Without SACK, in fast recovery the segment at SND.UNA goes
 * at once whatever cwnd says: on a partial ACK (RFC 6582 3.2 step 5), as
 * NewReno's inflated window would let it.
 */
static void vtcp_output_lost(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_txseg *seg;

	while ((seg = vtcp_txseg_next_lost(&tcb->sndq))) {
		u32 flight = vtcp_in_flight(tcb);

		if (flight >= tcb->cwnd &&
		    !(!tcb->sack_ok && tcb->ca_state == VTCP_CA_RECOVERY &&
		      seg->seq == tcb->snd_una))
			break;
		if (!vtcp_retransmit(tcb, seg, tcb->cwnd > flight ?
				     tcb->cwnd - flight : 0, vtcp_lost_why(tcb),
				     now))
			break;
	}
}

/*
 * May a segment shorter than the MSS leave now? @len is what the windows
 * allow of the @unsent bytes queued.
 */
static bool vtcp_may_send_short(const struct vtcp_tcb *tcb, u32 len,
				u32 unsent, u32 wnd_room, u32 cwnd_room)
{
	if (len < unsent) {
		/*
		 * Held back by a window. The congestion window opens with the
		 * next ACK; the peer's, if small, only when it is worth it
		 * (sender SWS avoidance, RFC 9293 3.8.6.2.1).
		 */
		if (cwnd_room < wnd_room)
			return false;
		return tcb->sws_override ||
		       (tcb->max_wnd && len >= tcb->max_wnd / 2);
	}
	/* The last of the data: a pending FIN or a loss probe pushes it. */
	if (tcb->fin_queued || tcb->tlp_push)
		return true;
	if (tcb->cfg.flags & VTCP_CFG_CORK)
		return false;
	/* Nagle: at most one small segment unacknowledged. */
	return (tcb->cfg.flags & VTCP_CFG_NODELAY) ||
	       tcb->snd_nxt == tcb->snd_una;
}

/*
 * New data, as the windows allow (RFC 6675 NextSeg rule 2). A loss probe
 * (tcb->tlp_push) sends one segment whatever cwnd and Nagle say.
 */
static void vtcp_output_new(struct vtcp_tcb *tcb, u64 now)
{
	u32 end = vtcp_sndq_end(&tcb->sndq);
	bool sent = false;

	while (!tcb->fin_sent && !(sent && tcb->tlp_push)) {
		u32 unsent = end - tcb->snd_nxt;
		u32 wnd_end = tcb->snd_una + tcb->snd_wnd;
		u32 wnd_room = vtcp_seq_gt(wnd_end, tcb->snd_nxt) ?
			       wnd_end - tcb->snd_nxt : 0;
		u32 flight = vtcp_in_flight(tcb);
		u32 cwnd_room = tcb->cwnd > flight ? tcb->cwnd - flight : 0;
		u32 len;
		bool fin;

		if (tcb->tlp_push)
			cwnd_room = max_t(u32, cwnd_room, tcb->mss);
		len = min3(unsent, wnd_room, cwnd_room);

		if (!unsent && !tcb->fin_queued)
			break;
		len = min(len, vtcp_seg_max(tcb));
		if (len)
			len = vtcp_sndq_span(&tcb->sndq, tcb->snd_nxt, len,
					     VTCP_MAX_PIECES);
		if (len < tcb->mss &&
		    !vtcp_may_send_short(tcb, len, unsent, wnd_room, cwnd_room))
			break;
		/* The FIN rides on the last data if the window has room. */
		fin = tcb->fin_queued && len == unsent && wnd_room > len;
		if (!len && !fin)
			break;
		if (!vtcp_txseg_add(&tcb->sndq, tcb->snd_nxt,
				    tcb->snd_nxt + len + fin,
				    fin ? VTCP_TXSEG_FIN : 0, now)) {
			/* Out of memory: try again when the RTO fires. */
			vtcp_arm_rto(tcb, now);
			break;
		}
		vtcp_send_range(tcb, tcb->snd_nxt, len, fin,
				VTCP_RETRANS_NONE, now);
		tcb->snd_nxt += len + fin;
		tcb->stats.bytes_sent += len;
		if (fin) {
			tcb->fin_sent = 1;
			tcb->fin_seq = tcb->snd_nxt - 1;
		}
		vtcp_disarm(tcb, VTCP_TIMER_PERSIST);
		vtcp_arm_rto(tcb, now);
		sent = true;
	}
	/* RFC 8985 7.2: new data went out; a probe watches its tail. */
	if (sent && !tcb->tlp_push)
		vtcp_tlp_schedule(tcb, now);
}

/*
 * RFC 8985 7.3: the loss probe. One segment of new data if the peer's
 * window takes it, whatever cwnd says; else the last segment sent, again.
 * Returns whether something went, and in @retrans whether it was old data.
 */
bool vtcp_send_loss_probe(struct vtcp_tcb *tcb, bool *retrans, u64 now)
{
	u32 nxt = tcb->snd_nxt;
	struct vtcp_txseg *seg;
	u32 data, fin;

	tcb->tlp_push = 1;
	vtcp_output_new(tcb, now);
	tcb->tlp_push = 0;
	*retrans = false;
	if (tcb->snd_nxt != nxt)
		return true;
	seg = vtcp_txseg_last(&tcb->sndq);
	if (!seg || (seg->flags & (VTCP_TXSEG_SACKED | VTCP_TXSEG_SYN)))
		return false;
	fin = !!(seg->flags & VTCP_TXSEG_FIN);
	data = vtcp_txseg_len(seg) - fin;
	if (data > tcb->mss) {
		seg = vtcp_txseg_split(&tcb->sndq, seg,
				       seg->end - fin - tcb->mss);
		if (!seg)
			return false;
	}
	*retrans = true;
	return vtcp_retransmit(tcb, seg, tcb->mss, VTCP_RETRANS_TLP, now);
}

/*
 * Arm the persist timer the backed-off RTO from now, but no later than
 * the user timeout (RFC 5482) counted from when the window stopped the
 * data.
 */
void vtcp_arm_persist(struct vtcp_tcb *tcb, u64 now)
{
	u64 when = now + (u64)vtcp_rto_backed_off(tcb) * NSEC_PER_USEC;
	u64 end = tcb->zero_wnd_start_ns +
		  (u64)tcb->cfg.user_timeout_ms * NSEC_PER_MSEC;

	if (tcb->cfg.user_timeout_ms && end < when)
		when = max(end, now);
	vtcp_arm(tcb, VTCP_TIMER_PERSIST, when);
}

/*
 * Nothing in flight and something to send that the peer's window holds
 * back (zero, or too small to be worth it): only a probe, or the
 * persist timer's SWS override, moves it (RFC 9293 3.8.6.1). What cork
 * holds back, with room in the window, is no business of the timer.
 */
static void vtcp_output_persist(struct vtcp_tcb *tcb, u64 now)
{
	u32 waiting = vtcp_sndq_end(&tcb->sndq) - tcb->snd_nxt +
		      (tcb->fin_queued && !tcb->fin_sent);

	if (!waiting || tcb->snd_nxt != tcb->snd_una ||
	    tcb->snd_wnd >= waiting) {
		vtcp_disarm(tcb, VTCP_TIMER_PERSIST);
		tcb->zero_wnd_start_ns = 0;
		return;
	}
	if (tcb->deadline[VTCP_TIMER_PERSIST])
		return;
	if (!tcb->zero_wnd_start_ns)
		tcb->zero_wnd_start_ns = now;
	vtcp_arm_persist(tcb, now);
}

void vtcp_output(struct vtcp_tcb *tcb, u64 now)
{
	lockdep_assert_held(&tcb->lock);

	switch (tcb->state) {
	case VTCP_ESTABLISHED:
	case VTCP_CLOSE_WAIT:
	case VTCP_FIN_WAIT_1:
	case VTCP_CLOSING:
	case VTCP_LAST_ACK:
		vtcp_output_lost(tcb, now);
		vtcp_output_new(tcb, now);
		vtcp_output_persist(tcb, now);
		break;
	default:
		break;
	}
	if (tcb->ack_now && vtcp_state_synchronized(tcb->state))
		vtcp_send_ack(tcb, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_output);

/*
 * The RST that answers a segment for no connection (RFC 9293 3.10.7.1):
 * <SEQ=SEG.ACK><CTL=RST> if it had an ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. Nothing answers a RST.
 */
bool vtcp_reply_rst(const struct vtcp_seg *seg, struct vtcp_out *out)
{
	if (seg->flags & VTCP_TH_RST)
		return false;
	memset(out, 0, sizeof(*out));
	out->flags = VTCP_TH_RST;
	if (seg->flags & VTCP_TH_ACK) {
		out->seq = seg->ack;
	} else {
		out->flags |= VTCP_TH_ACK;
		out->ack = seg->seq + vtcp_seg_seqlen(seg);
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_reply_rst);

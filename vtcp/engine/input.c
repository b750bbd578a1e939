// SPDX-License-Identifier: GPL-2.0
/*
 * Segment arrival (RFC 9293 3.10.7), in the RFC's order: LISTEN, SYN-SENT,
 * then for every other state PAWS (RFC 7323 5), the sequence number, RST
 * (RFC 5961 3), SYN (RFC 5961 4), ACK (RFC 5961 5), the text and FIN.
 * Every function returns why the segment was dropped, or VTCP_DROP_NONE.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/cc.h"
#include "engine/input.h"
#include "engine/output.h"
#include "engine/rcvbuf.h"
#include "engine/rcvq.h"
#include "engine/recovery.h"
#include "engine/rtt.h"
#include "engine/seq.h"
#include "engine/sndq.h"
#include "engine/state.h"
#include "engine/timewait.h"

static void vtcp_ack_syn(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			 u64 now);

/* Options a SYN or SYN-ACK carries, and what they make of the TCB. */
static void vtcp_syn_options(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			     u64 now)
{
	const struct vtcp_opts *o = &seg->opt;
	/* RFC 9293 3.7.1 (MUST-15): no option means 536, or 1220 on IPv6. */
	u16 peer_mss = (o->present & VTCP_TCPOPT_MSS) ? o->mss :
		       tcb->ipv6 ? VTCP_MSS_DEFAULT_V6 : VTCP_MSS_DEFAULT;
	bool offered = tcb->state == VTCP_SYN_SENT;

	/* RFC 9293 3.7.1: send no more than the peer can take. */
	tcb->mss = min(tcb->mss, peer_mss);
	/* The peer's segments are at most what we advertised. */
	tcb->rcv_mss = min(peer_mss, tcb->adv_mss);
	if (tcb->cfg.mss_clamp)
		tcb->mss = min(tcb->mss, tcb->cfg.mss_clamp);
	tcb->mss = max_t(u16, tcb->mss, VTCP_MSS_MIN);

	/*
	 * An option is in use when both ends sent it. Answering a SYN, we
	 * echo what we support; after our SYN, the SYN-ACK decides.
	 */
	tcb->ws_ok = (o->present & VTCP_TCPOPT_WSCALE) &&
		     (offered ? tcb->ws_ok : !!(tcb->cfg.flags & VTCP_CFG_WSCALE));
	tcb->snd_wscale = tcb->ws_ok ? o->wscale : 0;
	if (!tcb->ws_ok)
		tcb->rcv_wscale = 0;
	tcb->sack_ok = (o->present & VTCP_TCPOPT_SACK_OK) &&
		       (offered ? tcb->sack_ok : !!(tcb->cfg.flags & VTCP_CFG_SACK));
	tcb->ts_ok = (o->present & VTCP_TCPOPT_TS) &&
		     (offered ? tcb->ts_ok : !!(tcb->cfg.flags & VTCP_CFG_TIMESTAMPS));
	if (tcb->ts_ok) {
		tcb->ts_recent = o->tsval;
		tcb->ts_recent_ns = now;
	}
	vtcp_mss_less_options(tcb);
	/*
	 * RFC 3168 6.1.1: ECN is in use after an ECN-setup SYN (ECE and CWR)
	 * answered by an ECN-setup SYN-ACK (ECE without CWR). A SYN-ACK with
	 * both is no answer to ours; a SYN with one of them asks nothing.
	 */
	tcb->ecn_ok = (tcb->cfg.flags & VTCP_CFG_ECN) &&
		      (seg->flags & (VTCP_TH_ECE | VTCP_TH_CWR)) ==
		      ((seg->flags & VTCP_TH_ACK) ? VTCP_TH_ECE :
		       VTCP_TH_ECE | VTCP_TH_CWR);
}

/* LISTEN (RFC 9293 3.10.7.2): @tcb is the child the SYN makes. */
static enum vtcp_drop_reason vtcp_input_listen(struct vtcp_tcb *tcb,
					       const struct vtcp_seg *seg,
					       u64 now)
{
	if (seg->flags & VTCP_TH_RST)
		return VTCP_DROP_STATE;
	if ((seg->flags & (VTCP_TH_ACK | VTCP_TH_SYN)) != VTCP_TH_SYN)
		return VTCP_DROP_STATE;

	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->last_ack_sent = tcb->rcv_nxt;
	tcb->snd_wnd = seg->wnd;	/* a SYN's window is never scaled */
	tcb->max_wnd = seg->wnd;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_wl2 = tcb->iss;
	tcb->last_rcv_ns = now;
	vtcp_syn_options(tcb, seg, now);
	vtcp_set_state(tcb, VTCP_SYN_RECEIVED);
	/* Data on a SYN is not acknowledged: the peer sends it again. */
	vtcp_send_syn(tcb, now);
	return VTCP_DROP_NONE;
}

/* SYN-SENT (RFC 9293 3.10.7.3). */
static enum vtcp_drop_reason vtcp_input_syn_sent(struct vtcp_tcb *tcb,
						 struct vtcp_seg *seg, u64 now)
{
	bool ack = seg->flags & VTCP_TH_ACK;
	struct vtcp_txseg *txseg;

	if (ack && (vtcp_seq_leq(seg->ack, tcb->iss) ||
		    vtcp_seq_gt(seg->ack, tcb->snd_nxt))) {
		/* An ACK for something we never sent. */
		vtcp_send_reset_reply(tcb, seg);
		return VTCP_DROP_BAD_ACK;
	}
	if (seg->flags & VTCP_TH_RST) {
		/* Only a RST that acknowledges our SYN refuses it. */
		if (!ack)
			return VTCP_DROP_STATE;
		vtcp_tcb_reset(tcb, -ECONNREFUSED);
		return VTCP_DROP_NONE;
	}
	if (!(seg->flags & VTCP_TH_SYN))
		return VTCP_DROP_STATE;

	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->rcv_adv = tcb->rcv_nxt;
	tcb->last_ack_sent = tcb->rcv_nxt;
	tcb->last_rcv_ns = now;
	vtcp_syn_options(tcb, seg, now);
	if (ack) {
		/* Our SYN is acknowledged: ESTABLISHED. */
		vtcp_ack_syn(tcb, seg, now);
		/* RFC 7323 2.2: a <SYN,ACK>'s window is never scaled. */
		tcb->snd_wnd = seg->wnd;
		tcb->max_wnd = tcb->snd_wnd;
		tcb->snd_wl1 = seg->seq;
		tcb->snd_wl2 = seg->ack;
		vtcp_set_state(tcb, VTCP_ESTABLISHED);
		tcb->ack_now = 1;
		vtcp_output(tcb, now);
		return VTCP_DROP_NONE;
	}
	/* Simultaneous open (RFC 9293 3.5, figure 8). */
	tcb->snd_wnd = seg->wnd;
	tcb->max_wnd = seg->wnd;
	tcb->snd_wl1 = seg->seq;
	vtcp_set_state(tcb, VTCP_SYN_RECEIVED);
	/*
	 * Our SYN again, now with the ACK, is no retransmission: the SYNs
	 * crossed. Unless it was resent already, a fresh record keeps Karn
	 * and the initial window from taking it for a lost SYN.
	 */
	txseg = list_first_entry_or_null(&tcb->sndq.segs, struct vtcp_txseg, node);
	if (txseg && !(txseg->flags & VTCP_TXSEG_EVER_RETRANS))
		vtcp_txseg_free(&tcb->sndq, txseg);
	vtcp_send_syn(tcb, now);
	return VTCP_DROP_NONE;
}

/*
 * The acceptability test (RFC 9293 3.10.7.4 table 6) against the window we
 * advertised. A zero window still takes a segment at RCV.NXT for its ACK,
 * RST and FIN processing, with its data cut (RFC 9293: "special allowance
 * should be made to accept valid ACKs, URGs, and RSTs").
 */
static bool vtcp_seq_acceptable(const struct vtcp_tcb *tcb,
				const struct vtcp_seg *seg)
{
	u32 wnd = vtcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
		  tcb->rcv_adv - tcb->rcv_nxt : 0;
	u32 len = vtcp_seg_seqlen(seg);

	if (!wnd)
		return seg->seq == tcb->rcv_nxt;
	if (vtcp_seq_in(seg->seq, tcb->rcv_nxt, tcb->rcv_nxt + wnd))
		return true;
	return len && vtcp_seq_in(seg->seq + len - 1, tcb->rcv_nxt,
				  tcb->rcv_nxt + wnd);
}

/*
 * Cut what lies before RCV.NXT or beyond the window off @seg. Returns true
 * if something beyond the window was cut: the peer then hears of our
 * window at once (RFC 9293 3.10.7.4; this is how a zero-window probe that
 * carries data gets its answer, RFC 9293 3.8.6.1).
 */
static bool vtcp_seg_trim(const struct vtcp_tcb *tcb, struct vtcp_seg *seg)
{
	u32 wnd_end = vtcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
		      tcb->rcv_adv : tcb->rcv_nxt;
	u32 skip;

	if (vtcp_seq_lt(seg->seq, tcb->rcv_nxt)) {
		skip = tcb->rcv_nxt - seg->seq;
		if (seg->flags & VTCP_TH_SYN) {
			seg->flags &= ~VTCP_TH_SYN;
			seg->seq++;
			skip--;
		}
		skip = min(skip, seg->len);
		seg->seq += skip;
		seg->data_off += skip;
		seg->len -= skip;
	}
	/* A FIN just past the edge takes no buffer: it is kept, as in Linux. */
	if (vtcp_seq_gt(seg->seq + seg->len, wnd_end)) {
		seg->len = vtcp_seq_gt(wnd_end, seg->seq) ? wnd_end - seg->seq : 0;
		seg->flags &= ~VTCP_TH_FIN;
		return true;
	}
	return false;
}

/* RFC 7323 5.3 R1: is this segment's timestamp older than TS.Recent? */
static bool vtcp_paws_reject(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			     u64 now)
{
	if (!tcb->ts_ok || !(seg->opt.present & VTCP_TCPOPT_TS) ||
	    (seg->flags & VTCP_TH_RST))
		return false;
	if (vtcp_seq_geq(seg->opt.tsval, tcb->ts_recent))
		return false;
	/* RFC 7323 5.5: a TS.Recent idle for 24 days is no longer valid. */
	if (now - tcb->ts_recent_ns > VTCP_PAWS_IDLE_NS) {
		tcb->ts_recent = seg->opt.tsval;
		tcb->ts_recent_ns = now;
		return false;
	}
	return true;
}

/* RFC 7323 4.3 (3): TS.Recent follows the segment at Last.ACK.sent. */
static void vtcp_ts_update(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			   u64 now)
{
	if (!tcb->ts_ok || !(seg->opt.present & VTCP_TCPOPT_TS))
		return;
	if (vtcp_seq_leq(seg->seq, tcb->last_ack_sent) &&
	    vtcp_seq_geq(seg->opt.tsval, tcb->ts_recent)) {
		tcb->ts_recent = seg->opt.tsval;
		tcb->ts_recent_ns = now;
	}
}

/* RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT */
static bool vtcp_ack_acceptable(const struct vtcp_tcb *tcb,
				const struct vtcp_seg *seg)
{
	return !vtcp_seq_gt(seg->ack, tcb->snd_nxt) &&
	       !vtcp_seq_lt(seg->ack, tcb->snd_una - tcb->max_wnd);
}

/*
 * The ACK that answers a segment we do not accept (RFC 9293 3.10.7.4).
 * One that carries data or a FIN is a retransmission whose ACK was lost,
 * answered every time as Linux does: rate-limiting it starves a sender
 * recovering from lost ACKs. Bare ACKs and SYNs could feed an ACK loop
 * and get the rate-limited challenge ACK (RFC 5961 7).
 */
static void vtcp_ack_unacceptable(struct vtcp_tcb *tcb,
				  const struct vtcp_seg *seg, u64 now)
{
	if ((seg->len || (seg->flags & VTCP_TH_FIN)) &&
	    !(seg->flags & VTCP_TH_SYN))
		vtcp_send_ack(tcb, now);
	else
		vtcp_send_challenge_ack(tcb, now);
}

/*
 * Forget the records and bytes below @ack; returns an RTT sample or 0.
 * With @as, the records delivered by this ACK (not SACKed before) are
 * RACK's deliveries too.
 */
static u32 vtcp_clean_acked(struct vtcp_tcb *tcb, u32 ack, u64 now,
			    bool *any_retrans, const struct vtcp_ack_sample *as)
{
	struct vtcp_txseg *seg, *tmp;
	u64 sent = 0;

	list_for_each_entry_safe(seg, tmp, &tcb->sndq.segs, node) {
		if (vtcp_seq_leq(seg->end, ack)) {
			/* Karn: a resent segment gives no sample (below). */
			if (seg->flags & VTCP_TXSEG_EVER_RETRANS)
				*any_retrans = true;
			else
				sent = max(sent, seg->xmit_ns);
			if (as && !(seg->flags & VTCP_TXSEG_SACKED))
				vtcp_rack_delivered(tcb, seg, as->tsecr, now);
			vtcp_txseg_free(&tcb->sndq, seg);
			continue;
		}
		if (vtcp_seq_lt(seg->seq, ack))
			vtcp_txseg_trim(&tcb->sndq, seg, ack);
		break;
	}
	vtcp_sndq_release(&tcb->sndq, ack);
	/*
	 * Karn, for the whole ACK (as Linux): if it covers a resent
	 * segment, the resend most likely filled a hole and released it,
	 * and timing the segments sent once behind the hole would count
	 * the RTO they waited for: an RTT sample that inflates the next
	 * RTO, and so on.
	 */
	if (*any_retrans)
		return 0;
	return sent && now > sent ? (u32)div_u64(now - sent, NSEC_PER_USEC) : 0;
}

/* New data acknowledged: snd_una moves to @ack. */
static void vtcp_ack_new(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			 struct vtcp_ack_sample *as, u64 now)
{
	u32 acked = seg->ack - tcb->snd_una;
	bool any_retrans = false;
	u32 rtt_us;

	rtt_us = vtcp_clean_acked(tcb, seg->ack, now, &any_retrans, as);
	if (!rtt_us && any_retrans && tcb->ts_ok &&
	    (seg->opt.present & VTCP_TCPOPT_TS) && seg->opt.tsecr) {
		/* A timestamp echo tells which transmission was acked. */
		u32 ms = vtcp_ts_now(tcb, now) - seg->opt.tsecr;

		if (ms < VTCP_RTO_MAX_US / USEC_PER_MSEC)
			rtt_us = max(ms, 1U) * USEC_PER_MSEC;
	}
	tcb->stats.bytes_acked += acked;
	tcb->snd_una = seg->ack;
	tcb->backoff = 0;
	tcb->probes = 0;
	tcb->retrans_start_ns = 0;
	tcb->events |= VTCP_EV_WRITABLE;
	as->acked = acked;
	if (rtt_us) {
		vtcp_rtt_sample(tcb, rtt_us);
		if (tcb->cfg.cc->rtt_sample)
			tcb->cfg.cc->rtt_sample(tcb, rtt_us, now);
	}

	/* RFC 6298 5.2 and 5.3 */
	vtcp_disarm(tcb, VTCP_TIMER_RTO);
	if (tcb->snd_una != tcb->snd_nxt) {
		vtcp_restart_rto(tcb, now);
	} else {
		vtcp_disarm(tcb, VTCP_TIMER_REORDER);
		vtcp_disarm(tcb, VTCP_TIMER_TLP);
	}
}

/* Our SYN is acknowledged (SYN-SENT or SYN-RECEIVED). */
static void vtcp_ack_syn(struct vtcp_tcb *tcb, const struct vtcp_seg *seg, u64 now)
{
	bool any_retrans = false;
	u32 rtt_us;

	rtt_us = vtcp_clean_acked(tcb, seg->ack, now, &any_retrans, NULL);
	if (rtt_us)
		vtcp_rtt_sample(tcb, rtt_us);
	/*
	 * RFC 6298 5.7: after a lost SYN or SYN-ACK, and so without a
	 * sample, data starts with an RTO of 3 s, not the 1 s it had.
	 */
	else if (any_retrans && !tcb->srtt_us)
		tcb->rto_us = max(tcb->rto_us, VTCP_RTO_SYN_LOST_US);
	tcb->snd_una = seg->ack;
	tcb->backoff = 0;
	tcb->retrans_start_ns = 0;
	vtcp_disarm(tcb, VTCP_TIMER_RTO);
	/*
	 * RFC 6928 initial window, but one segment after a lost SYN or
	 * SYN-ACK (RFC 5681 3.1).
	 */
	tcb->cwnd = any_retrans ? tcb->mss :
		    min(VTCP_IW_SEGS * tcb->mss,
			max(2U * tcb->mss, VTCP_IW_BYTES));
	tcb->quickacks = VTCP_QUICKACKS;
	tcb->cfg.cc->init(tcb, now);
	if ((tcb->cfg.flags & VTCP_CFG_KEEPALIVE) && !tcb->orphan)
		vtcp_arm(tcb, VTCP_TIMER_KEEPALIVE,
			 now + (u64)tcb->cfg.keepalive_idle_ms * NSEC_PER_MSEC);
}

/*
 * The ACK field in a synchronized state (RFC 9293 3.10.7.4 fifth, with
 * RFC 5961 5.2). Returns a drop reason when the segment goes no further.
 */
static enum vtcp_drop_reason vtcp_input_ack(struct vtcp_tcb *tcb,
					    struct vtcp_seg *seg, u8 wshift,
					    u64 now)
{
	u32 wnd = seg->wnd << wshift;
	struct vtcp_ack_sample as = {
		.prior_una = tcb->snd_una,
		.prior_sacked = tcb->sndq.sacked + vtcp_reno_sacked(tcb),
	};

	if (!vtcp_ack_acceptable(tcb, seg)) {
		vtcp_send_challenge_ack(tcb, now);
		return VTCP_DROP_BAD_ACK;
	}

	/* RFC 5681 2: the duplicate ACK, exactly. */
	as.dupack = seg->ack == tcb->snd_una && !seg->len &&
		    !(seg->flags & (VTCP_TH_SYN | VTCP_TH_FIN)) &&
		    tcb->snd_una != tcb->snd_nxt && wnd == tcb->snd_wnd;
	if (tcb->ts_ok && (seg->opt.present & VTCP_TCPOPT_TS))
		as.tsecr = seg->opt.tsecr;
	as.ece = tcb->ecn_ok && (seg->flags & VTCP_TH_ECE);

	if (vtcp_seq_gt(seg->ack, tcb->snd_una))
		vtcp_ack_new(tcb, seg, &as, now);
	if (tcb->sack_ok && vtcp_seq_geq(seg->ack, as.prior_una))
		vtcp_sack_input(tcb, &seg->opt, seg->ack, &as, now);
	if (as.acked || as.dupack || as.sacked || as.dsack ||
	    (as.has_sack && tcb->snd_una != tcb->snd_nxt)) {
		vtcp_recovery_ack(tcb, &as, now);
		/* RFC 8985 7.2: an ACK of new data restarts the probe. */
		if (as.acked)
			vtcp_tlp_schedule(tcb, now);
	}

	/*
	 * Window update (RFC 9293 3.10.7.4, SND.WL1 and SND.WL2), only from
	 * an ACK that is not older than SND.UNA.
	 */
	if (vtcp_seq_geq(seg->ack, tcb->snd_una) &&
	    (vtcp_seq_lt(tcb->snd_wl1, seg->seq) ||
	     (tcb->snd_wl1 == seg->seq && vtcp_seq_leq(tcb->snd_wl2, seg->ack)))) {
		if (wnd && !tcb->snd_wnd) {
			tcb->zero_wnd_start_ns = 0;
			/* The probes' backoff ends with them. */
			if (tcb->snd_una == tcb->snd_nxt)
				tcb->backoff = 0;
		}
		if (wnd > tcb->snd_wnd)
			tcb->probes = 0;
		tcb->snd_wnd = wnd;
		tcb->snd_wl1 = seg->seq;
		tcb->snd_wl2 = seg->ack;
		tcb->max_wnd = max(tcb->max_wnd, wnd);
	}

	/* Our FIN is acknowledged. */
	if (tcb->fin_sent && tcb->snd_una == tcb->fin_seq + 1) {
		switch (tcb->state) {
		case VTCP_FIN_WAIT_1:
			vtcp_set_state(tcb, VTCP_FIN_WAIT_2);
			if (tcb->orphan)
				vtcp_arm(tcb, VTCP_TIMER_LINGER,
					 now + (u64)tcb->cfg.fin_wait2_ms * NSEC_PER_MSEC);
			break;
		case VTCP_CLOSING:
			vtcp_enter_time_wait(tcb, now);
			break;
		case VTCP_LAST_ACK:
			vtcp_tcb_done(tcb);
			return VTCP_DROP_NONE;
		}
	}
	return VTCP_DROP_NONE;
}

/* The FIN at RCV.NXT (RFC 9293 3.10.7.4 eighth). */
static void vtcp_input_fin(struct vtcp_tcb *tcb, u64 now)
{
	tcb->rcv_nxt++;
	tcb->fin_received = 1;
	tcb->fin_pending = 0;
	tcb->ack_now = 1;
	tcb->events |= VTCP_EV_READABLE;
	switch (tcb->state) {
	case VTCP_SYN_RECEIVED:
	case VTCP_ESTABLISHED:
		vtcp_set_state(tcb, VTCP_CLOSE_WAIT);
		break;
	case VTCP_FIN_WAIT_1:
		/* Simultaneous close (RFC 9293 3.6, figure 13). */
		vtcp_set_state(tcb, VTCP_CLOSING);
		break;
	case VTCP_FIN_WAIT_2:
		vtcp_enter_time_wait(tcb, now);
		break;
	}
}

/* In-order data (and anything it makes in order) for the reader. */
static enum vtcp_drop_reason vtcp_input_data(struct vtcp_tcb *tcb,
					     struct vtcp_seg *seg, u64 now)
{
	bool had_ooo = !RB_EMPTY_ROOT(&tcb->rcvq.ooo);
	int ret;

	/*
	 * Data after a silence longer than the RTO: the sender is starting
	 * again, from a small window; ACK every segment for a while.
	 */
	if (tcb->last_data_ns &&
	    now - tcb->last_data_ns > (u64)tcb->rto_us * NSEC_PER_USEC)
		vtcp_enter_quickack(tcb);
	tcb->last_data_ns = now;

	if (seg->seq == tcb->rcv_nxt) {
		if (vtcp_rcvq_ready_add(tcb, seg, seg->seq, seg->len))
			return VTCP_DROP_MEMORY;
		tcb->rcv_nxt += seg->len;
		vtcp_rcvbuf_rtt_measure(tcb, seg, now);
		/* The end of a write: the reader's taking it will ACK it. */
		if ((seg->flags & VTCP_TH_PSH) || seg->len < tcb->rcv_mss)
			tcb->ack_pushed = 1;
		tcb->stats.bytes_received += seg->len;
		if (had_ooo) {
			u32 nxt = vtcp_rcvq_ooo_advance(tcb, tcb->rcv_nxt);

			tcb->stats.bytes_received += nxt - tcb->rcv_nxt;
			tcb->rcv_nxt = nxt;
			vtcp_rcvq_sack_trim(tcb);
			/* A hole filled: tell the sender at once (RFC 5681 4.2). */
			tcb->ack_now = 1;
		}
		tcb->events |= VTCP_EV_READABLE;
		/* A GSO train from the host counts as the segments it holds. */
		tcb->ack_segs = min_t(u32, 255, tcb->ack_segs +
				      DIV_ROUND_UP(seg->len, tcb->rcv_mss));
		return VTCP_DROP_NONE;
	}

	/* Beyond a hole: keep it, SACK it, and ACK at once (RFC 5681 4.2). */
	tcb->ack_now = 1;
	tcb->stats.ooo_segs++;
	ret = vtcp_rcvq_ooo_add(tcb, seg, seg->seq, seg->len);
	if (ret == -EEXIST) {
		vtcp_rcvq_sack_dsack(tcb, seg->seq, seg->seq + seg->len);
		return VTCP_DROP_DUPLICATE;
	}
	if (ret)
		return VTCP_DROP_OOO_LIMIT;
	return VTCP_DROP_NONE;
}

/* When to ACK what arrived in order (RFC 9293 3.8.6.3, RFC 5681 4.2). */
static void vtcp_ack_policy(struct vtcp_tcb *tcb, u64 now)
{
	if (tcb->ack_now)
		return;
	if (tcb->quickacks) {
		tcb->quickacks--;
		tcb->ack_now = 1;
	} else if (tcb->ack_segs >= 2) {
		/* At least every second full-sized segment. */
		tcb->ack_now = 1;
	} else {
		vtcp_schedule_ack(tcb, now);
	}
}

/* SYN-RECEIVED and every synchronized state. */
/*
 * TIME-WAIT's rule for a new SYN, the one a TIME-WAIT entry follows
 * (timewait.c), on the TCB's view of the same fields.
 */
static bool vtcp_time_wait_reopens(const struct vtcp_tcb *tcb,
				   const struct vtcp_seg *seg)
{
	struct vtcp_timewait tw;

	vtcp_timewait_from(tcb, &tw);
	return vtcp_timewait_reopens(&tw, seg);
}

static enum vtcp_drop_reason vtcp_input_sync(struct vtcp_tcb *tcb,
					     struct vtcp_seg *seg, u64 now)
{
	enum vtcp_drop_reason drop;
	u8 wshift = tcb->snd_wscale;
	bool new_data;

	/* A SYN that may open a new incarnation over TIME-WAIT (RFC 6191). */
	if (tcb->state == VTCP_TIME_WAIT && vtcp_time_wait_reopens(tcb, seg)) {
		tcb->events |= VTCP_EV_REOPEN;
		return VTCP_DROP_NONE;
	}

	/* The peer's SYN again: our SYN-ACK was lost. */
	if (tcb->state == VTCP_SYN_RECEIVED && vtcp_seg_is(seg, VTCP_TH_SYN) &&
	    seg->seq == tcb->irs) {
		vtcp_send_syn(tcb, now);
		return VTCP_DROP_DUPLICATE;
	}

	/*
	 * Simultaneous open (RFC 9293 figure 8, line 6): the peer's SYN-ACK
	 * repeats a SYN we already acknowledged, so the acceptability test
	 * would refuse it; it is the ACK of our SYN. Taken as Linux takes it.
	 */
	if (tcb->state == VTCP_SYN_RECEIVED && !tcb->passive &&
	    vtcp_seg_is(seg, VTCP_TH_SYN | VTCP_TH_ACK) &&
	    seg->seq + 1 == tcb->rcv_nxt && seg->ack == tcb->snd_nxt) {
		seg->flags &= ~VTCP_TH_SYN;
		seg->seq++;
		wshift = 0;	/* a SYN's window is never scaled */
	}

	if (vtcp_paws_reject(tcb, seg, now)) {
		vtcp_ack_unacceptable(tcb, seg, now);
		return VTCP_DROP_PAWS;
	}

	/* First, the sequence number. */
	if (!vtcp_seq_acceptable(tcb, seg)) {
		if (seg->flags & VTCP_TH_RST)
			return VTCP_DROP_OUT_OF_WINDOW;
		/* Data we already have: report it (RFC 2883). */
		if (seg->len && vtcp_seq_leq(seg->seq + seg->len, tcb->rcv_nxt)) {
			vtcp_rcvq_sack_dsack(tcb, seg->seq, seg->seq + seg->len);
			/*
			 * The peer resent, most likely after an RTO: it is
			 * in slow start, and every ACK counts (as Linux).
			 */
			vtcp_enter_quickack(tcb);
			/*
			 * Our ACK was lost and the peer resent: echo this
			 * copy's timestamp (RFC 7323 4.3 (2)), or the peer's
			 * RTT sample would include its RTO (ibid. case C)
			 * and feed the next one. Only for a copy that is
			 * plausible: within a buffer of RCV.NXT, its ACK
			 * acceptable.
			 */
			if (tcb->rcv_nxt - (seg->seq + seg->len) <= tcb->cfg.rcvbuf &&
			    (seg->flags & VTCP_TH_ACK) && vtcp_ack_acceptable(tcb, seg))
				vtcp_ts_update(tcb, seg, now);
		}
		/* TIME-WAIT: the peer's FIN again; ACK it, restart 2MSL. */
		if (tcb->state == VTCP_TIME_WAIT && (seg->flags & VTCP_TH_FIN))
			vtcp_enter_time_wait(tcb, now);
		vtcp_ack_unacceptable(tcb, seg, now);
		return VTCP_DROP_OUT_OF_WINDOW;
	}

	/*
	 * Second, RST: only an exact match resets (RFC 5961 3.2), judged
	 * before trimming, which would move a RST's sequence number to
	 * RCV.NXT if it carried bytes from before it.
	 */
	if (seg->flags & VTCP_TH_RST) {
		if (seg->seq != tcb->rcv_nxt) {
			vtcp_send_challenge_ack(tcb, now);
			return VTCP_DROP_RST_CHALLENGED;
		}
		switch (tcb->state) {
		case VTCP_TIME_WAIT:
			/* RFC 1337: TIME-WAIT outlives RSTs. */
			return VTCP_DROP_STATE;
		case VTCP_SYN_RECEIVED:
			vtcp_tcb_reset(tcb, tcb->passive ? 0 : -ECONNREFUSED);
			break;
		case VTCP_CLOSING:
		case VTCP_LAST_ACK:
			vtcp_tcb_reset(tcb, 0);
			break;
		default:
			vtcp_tcb_reset(tcb, -ECONNRESET);
			break;
		}
		return VTCP_DROP_NONE;
	}
	if (vtcp_seg_trim(tcb, seg))
		tcb->ack_now = 1;

	/* Fourth, SYN: challenge it (RFC 5961 4.2). */
	if (seg->flags & VTCP_TH_SYN) {
		if (tcb->state == VTCP_SYN_RECEIVED && tcb->passive) {
			/* RFC 9293: back to LISTEN, i.e. this child ends. */
			vtcp_tcb_reset(tcb, 0);
			return VTCP_DROP_STATE;
		}
		vtcp_send_challenge_ack(tcb, now);
		return VTCP_DROP_SYN_CHALLENGED;
	}

	/* Fifth, ACK. */
	if (!(seg->flags & VTCP_TH_ACK))
		return VTCP_DROP_STATE;
	if (tcb->state == VTCP_SYN_RECEIVED) {
		if (!vtcp_seq_gt(seg->ack, tcb->snd_una) ||
		    vtcp_seq_gt(seg->ack, tcb->snd_nxt)) {
			vtcp_send_reset_reply(tcb, seg);
			return VTCP_DROP_BAD_ACK;
		}
		vtcp_ack_syn(tcb, seg, now);
		tcb->snd_wnd = seg->wnd << wshift;
		tcb->max_wnd = max(tcb->max_wnd, tcb->snd_wnd);
		tcb->snd_wl1 = seg->seq;
		tcb->snd_wl2 = seg->ack;
		vtcp_set_state(tcb, VTCP_ESTABLISHED);
	}
	tcb->last_rcv_ns = now;
	tcb->probes = 0;
	vtcp_ts_update(tcb, seg, now);
	drop = vtcp_input_ack(tcb, seg, wshift, now);
	if (drop || tcb->state == VTCP_CLOSED)
		return drop;

	/*
	 * RFC 3168 6.1.3: a CE mark on data is echoed with ECE on every ACK
	 * until the sender's CWR says it reduced its window; the first one
	 * is echoed at once.
	 */
	if (tcb->ecn_ok) {
		if (seg->flags & VTCP_TH_CWR)
			tcb->ecn_echo = 0;
		if (seg->len && seg->ecn == VTCP_ECN_CE) {
			if (!tcb->ecn_echo)
				tcb->ack_now = 1;
			tcb->ecn_echo = 1;
			tcb->stats.ce_received++;
		}
	}

	/* Seventh, the text. */
	new_data = false;
	if (seg->len) {
		switch (tcb->state) {
		case VTCP_ESTABLISHED:
		case VTCP_FIN_WAIT_1:
		case VTCP_FIN_WAIT_2:
			if (tcb->orphan) {
				/* RFC 1122 4.2.2.13: data nobody will read. */
				vtcp_send_rst(tcb, now);
				vtcp_tcb_reset(tcb, -ECONNRESET);
				return VTCP_DROP_STATE;
			}
			/*
			 * Nothing exists past the FIN, even beyond a hole:
			 * cut it, and say so as for data past the window.
			 */
			if (tcb->fin_pending &&
			    vtcp_seq_gt(seg->seq + seg->len, tcb->rcv_fin_seq)) {
				seg->len = vtcp_seq_gt(tcb->rcv_fin_seq, seg->seq) ?
					   tcb->rcv_fin_seq - seg->seq : 0;
				tcb->ack_now = 1;
			}
			if (!seg->len)
				break;
			tcb->stats.data_segs_in++;
			drop = vtcp_input_data(tcb, seg, now);
			new_data = !drop;
			break;
		default:
			/* The peer sent its FIN: no more text can come. */
			break;
		}
	}

	/* Eighth, FIN: processed once everything before it has arrived. */
	if ((seg->flags & VTCP_TH_FIN) && !tcb->fin_received && !drop) {
		tcb->fin_pending = 1;
		tcb->rcv_fin_seq = seg->seq + seg->len;
		tcb->ack_now = 1;
	}
	if (tcb->fin_pending && tcb->rcv_nxt == tcb->rcv_fin_seq)
		vtcp_input_fin(tcb, now);

	if (new_data)
		vtcp_ack_policy(tcb, now);
	vtcp_output(tcb, now);
	return drop;
}

enum vtcp_drop_reason vtcp_input(struct vtcp_tcb *tcb, struct vtcp_seg *seg,
				 u64 now)
{
	lockdep_assert_held(&tcb->lock);

	tcb->stats.segs_in++;
	switch (tcb->state) {
	case VTCP_CLOSED:
		return VTCP_DROP_STATE;
	case VTCP_LISTEN:
		return vtcp_input_listen(tcb, seg, now);
	case VTCP_SYN_SENT:
		return vtcp_input_syn_sent(tcb, seg, now);
	default:
		return vtcp_input_sync(tcb, seg, now);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_input);

// SPDX-License-Identifier: GPL-2.0
/*
 * Segment arrival (RFC 9293 3.10.7), in the RFC's order: LISTEN, SYN-SENT,
 * then for every other state PAWS (RFC 7323 5), the sequence number, RST
 * (RFC 5961 3), SYN (RFC 5961 4), ACK (RFC 5961 5; what the ACK field
 * means to the sender is ack.c's), the text and FIN, a function a step.
 * vtcp_input() returns why the segment was dropped, or VTCP_DROP_NONE.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/ack.h"
#include "engine/input.h"
#include "engine/output.h"
#include "engine/rcvbuf.h"
#include "engine/rcvq.h"
#include "engine/seq.h"
#include "engine/sndq.h"
#include "engine/state.h"
#include "engine/timewait.h"

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
		     (offered ? tcb->ws_ok :
		      !!(tcb->cfg.flags & VTCP_CFG_WSCALE));
	tcb->snd_wscale = tcb->ws_ok ? o->wscale : 0;
	if (!tcb->ws_ok)
		tcb->rcv_wscale = 0;
	tcb->sack_ok = (o->present & VTCP_TCPOPT_SACK_OK) &&
		       (offered ? tcb->sack_ok :
			!!(tcb->cfg.flags & VTCP_CFG_SACK));
	tcb->ts_ok = (o->present & VTCP_TCPOPT_TS) &&
		     (offered ? tcb->ts_ok :
		      !!(tcb->cfg.flags & VTCP_CFG_TIMESTAMPS));
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
	txseg = vtcp_txseg_first(&tcb->sndq);
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
static bool vtcp_trim_to_window(const struct vtcp_tcb *tcb,
				struct vtcp_seg *seg)
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
		seg->len = vtcp_seq_gt(wnd_end, seg->seq) ?
			   wnd_end - seg->seq : 0;
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

/*
 * The ACK that answers a segment we do not accept (RFC 9293 3.10.7.4).
 * One that carries data or a FIN is a retransmission whose ACK was lost,
 * answered every time as Linux does: rate-limiting it starves a sender
 * recovering from lost ACKs. Bare ACKs and SYNs could feed an ACK loop
 * and get the rate-limited challenge ACK (RFC 5961 7).
 */
static void vtcp_answer_unacceptable(struct vtcp_tcb *tcb,
				     const struct vtcp_seg *seg, u64 now)
{
	if ((seg->len || (seg->flags & VTCP_TH_FIN)) &&
	    !(seg->flags & VTCP_TH_SYN))
		vtcp_send_ack(tcb, now);
	else
		vtcp_send_challenge_ack(tcb, now);
}

/* The FIN at RCV.NXT (RFC 9293 3.10.7.4 eighth). */
static void vtcp_fin_in_order(struct vtcp_tcb *tcb, u64 now)
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
			/* A hole filled: tell the sender now (RFC 5681 4.2). */
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
static void vtcp_decide_ack(struct vtcp_tcb *tcb, u64 now)
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

/*
 * Before the RFC's steps, the segments they would misjudge: a SYN that
 * ends TIME-WAIT, the peer's SYN again, and a simultaneous open's SYN-ACK.
 * Each step below returns true when the segment goes no further, with
 * *drop saying why.
 */
static bool vtcp_input_early(struct vtcp_tcb *tcb, struct vtcp_seg *seg,
			     u8 *wshift, u64 now, enum vtcp_drop_reason *drop)
{
	/* A SYN that may open a new incarnation over TIME-WAIT (RFC 6191). */
	if (tcb->state == VTCP_TIME_WAIT && vtcp_time_wait_reopens(tcb, seg)) {
		tcb->events |= VTCP_EV_REOPEN;
		return true;
	}
	if (tcb->state != VTCP_SYN_RECEIVED)
		return false;

	/* The peer's SYN again: our SYN-ACK was lost. */
	if (vtcp_seg_is(seg, VTCP_TH_SYN) && seg->seq == tcb->irs) {
		vtcp_send_syn(tcb, now);
		*drop = VTCP_DROP_DUPLICATE;
		return true;
	}

	/*
	 * Simultaneous open (RFC 9293 figure 8, line 6): the peer's SYN-ACK
	 * repeats a SYN we already acknowledged, so the acceptability test
	 * would refuse it; it is the ACK of our SYN. Taken as Linux takes it.
	 */
	if (!tcb->passive && vtcp_seg_is(seg, VTCP_TH_SYN | VTCP_TH_ACK) &&
	    seg->seq + 1 == tcb->rcv_nxt && seg->ack == tcb->snd_nxt) {
		seg->flags &= ~VTCP_TH_SYN;
		seg->seq++;
		*wshift = 0;	/* a SYN's window is never scaled */
	}
	return false;
}

/*
 * An unacceptable segment that repeats data we have: report it (RFC
 * 2883), and take its timestamp if it is plausible.
 */
static void vtcp_input_old_data(struct vtcp_tcb *tcb,
				const struct vtcp_seg *seg, u64 now)
{
	u32 end = seg->seq + seg->len;

	vtcp_rcvq_sack_dsack(tcb, seg->seq, end);
	/*
	 * The peer resent, most likely after an RTO: it is in slow start,
	 * and every ACK counts (as Linux).
	 */
	vtcp_enter_quickack(tcb);
	/*
	 * Our ACK was lost and the peer resent: echo this copy's timestamp
	 * (RFC 7323 4.3 (2)), or the peer's RTT sample would include its
	 * RTO (ibid. case C) and feed the next one. Only for a copy that is
	 * plausible: within a buffer of RCV.NXT, its ACK acceptable.
	 */
	if (tcb->rcv_nxt - end <= tcb->cfg.rcvbuf &&
	    (seg->flags & VTCP_TH_ACK) && vtcp_ack_acceptable(tcb, seg))
		vtcp_ts_update(tcb, seg, now);
}

/* First, check the sequence number (with PAWS, RFC 7323 5.3). */
static bool vtcp_input_check_seq(struct vtcp_tcb *tcb, struct vtcp_seg *seg,
				 u64 now, enum vtcp_drop_reason *drop)
{
	if (vtcp_paws_reject(tcb, seg, now)) {
		vtcp_answer_unacceptable(tcb, seg, now);
		*drop = VTCP_DROP_PAWS;
		return true;
	}
	if (vtcp_seq_acceptable(tcb, seg))
		return false;
	*drop = VTCP_DROP_OUT_OF_WINDOW;
	if (seg->flags & VTCP_TH_RST)
		return true;
	if (seg->len && vtcp_seq_leq(seg->seq + seg->len, tcb->rcv_nxt))
		vtcp_input_old_data(tcb, seg, now);
	/* TIME-WAIT: the peer's FIN again; ACK it, restart 2MSL. */
	if (tcb->state == VTCP_TIME_WAIT && (seg->flags & VTCP_TH_FIN))
		vtcp_enter_time_wait(tcb, now);
	vtcp_answer_unacceptable(tcb, seg, now);
	return true;
}

/*
 * Second, check the RST bit: only an exact match resets (RFC 5961 3.2),
 * judged before trimming, which would move a RST's sequence number to
 * RCV.NXT if it carried bytes from before it.
 */
static bool vtcp_input_rst(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			   u64 now, enum vtcp_drop_reason *drop)
{
	if (!(seg->flags & VTCP_TH_RST))
		return false;
	if (seg->seq != tcb->rcv_nxt) {
		vtcp_send_challenge_ack(tcb, now);
		*drop = VTCP_DROP_RST_CHALLENGED;
		return true;
	}
	switch (tcb->state) {
	case VTCP_TIME_WAIT:
		/* RFC 1337: TIME-WAIT outlives RSTs. */
		*drop = VTCP_DROP_STATE;
		break;
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
	return true;
}

/* Fourth, check the SYN bit: challenge it (RFC 5961 4.2). */
static bool vtcp_input_syn(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			   u64 now, enum vtcp_drop_reason *drop)
{
	if (!(seg->flags & VTCP_TH_SYN))
		return false;
	if (tcb->state == VTCP_SYN_RECEIVED && tcb->passive) {
		/* RFC 9293: back to LISTEN, i.e. this child ends. */
		vtcp_tcb_reset(tcb, 0);
		*drop = VTCP_DROP_STATE;
		return true;
	}
	vtcp_send_challenge_ack(tcb, now);
	*drop = VTCP_DROP_SYN_CHALLENGED;
	return true;
}

/* Fifth, check the ACK field: it completes SYN-RECEIVED, then counts. */
static bool vtcp_input_ack_step(struct vtcp_tcb *tcb, struct vtcp_seg *seg,
				u8 wshift, u64 now,
				enum vtcp_drop_reason *drop)
{
	if (!(seg->flags & VTCP_TH_ACK)) {
		*drop = VTCP_DROP_STATE;
		return true;
	}
	if (tcb->state == VTCP_SYN_RECEIVED) {
		if (!vtcp_seq_gt(seg->ack, tcb->snd_una) ||
		    vtcp_seq_gt(seg->ack, tcb->snd_nxt)) {
			vtcp_send_reset_reply(tcb, seg);
			*drop = VTCP_DROP_BAD_ACK;
			return true;
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
	*drop = vtcp_ack_input(tcb, seg, wshift, now);
	return *drop || tcb->state == VTCP_CLOSED;
}

/*
 * RFC 3168 6.1.3: a CE mark on data is echoed with ECE on every ACK until
 * the sender's CWR says it reduced its window; the first one is echoed at
 * once.
 */
static void vtcp_input_ecn(struct vtcp_tcb *tcb, const struct vtcp_seg *seg)
{
	if (!tcb->ecn_ok)
		return;
	if (seg->flags & VTCP_TH_CWR)
		tcb->ecn_echo = 0;
	if (seg->len && seg->ecn == VTCP_ECN_CE) {
		if (!tcb->ecn_echo)
			tcb->ack_now = 1;
		tcb->ecn_echo = 1;
		tcb->stats.ce_received++;
	}
}

/*
 * Seventh, process the segment text (the sixth step, URG, has nothing to
 * do: urgent data is delivered inline, RFC 6093). *new_data says whether
 * data was queued; a data drop still lets the segment's ACK count.
 */
static bool vtcp_input_text(struct vtcp_tcb *tcb, struct vtcp_seg *seg,
			    u64 now, enum vtcp_drop_reason *drop,
			    bool *new_data)
{
	*new_data = false;
	if (!seg->len)
		return false;
	switch (tcb->state) {
	case VTCP_ESTABLISHED:
	case VTCP_FIN_WAIT_1:
	case VTCP_FIN_WAIT_2:
		break;
	default:
		/* The peer sent its FIN: no more text can come. */
		return false;
	}
	if (tcb->orphan) {
		/* RFC 1122 4.2.2.13: data nobody will read. */
		vtcp_send_rst(tcb, now);
		vtcp_tcb_reset(tcb, -ECONNRESET);
		*drop = VTCP_DROP_STATE;
		return true;
	}
	/*
	 * Nothing exists past the FIN, even beyond a hole: cut it, and say
	 * so as for data past the window.
	 */
	if (tcb->fin_pending &&
	    vtcp_seq_gt(seg->seq + seg->len, tcb->rcv_fin_seq)) {
		seg->len = vtcp_seq_gt(tcb->rcv_fin_seq, seg->seq) ?
			   tcb->rcv_fin_seq - seg->seq : 0;
		tcb->ack_now = 1;
	}
	if (!seg->len)
		return false;
	tcb->stats.data_segs_in++;
	*drop = vtcp_input_data(tcb, seg, now);
	*new_data = !*drop;
	return false;
}

/*
 * Eighth, check the FIN bit: it is processed once everything before it
 * has arrived; until then it is remembered. Not if its data was dropped.
 */
static void vtcp_input_fin(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			   enum vtcp_drop_reason drop, u64 now)
{
	if ((seg->flags & VTCP_TH_FIN) && !tcb->fin_received && !drop) {
		tcb->fin_pending = 1;
		tcb->rcv_fin_seq = seg->seq + seg->len;
		tcb->ack_now = 1;
	}
	if (tcb->fin_pending && tcb->rcv_nxt == tcb->rcv_fin_seq)
		vtcp_fin_in_order(tcb, now);
}

/*
 * SYN-RECEIVED and every synchronized state (RFC 9293 3.10.7.4), step by
 * step: the third, security, has no business in vtcp.
 */
static enum vtcp_drop_reason vtcp_input_sync(struct vtcp_tcb *tcb,
					     struct vtcp_seg *seg, u64 now)
{
	enum vtcp_drop_reason drop = VTCP_DROP_NONE;
	u8 wshift = tcb->snd_wscale;
	bool new_data;

	if (vtcp_input_early(tcb, seg, &wshift, now, &drop) ||
	    vtcp_input_check_seq(tcb, seg, now, &drop) ||
	    vtcp_input_rst(tcb, seg, now, &drop))
		return drop;
	if (vtcp_trim_to_window(tcb, seg))
		tcb->ack_now = 1;
	if (vtcp_input_syn(tcb, seg, now, &drop) ||
	    vtcp_input_ack_step(tcb, seg, wshift, now, &drop))
		return drop;
	vtcp_input_ecn(tcb, seg);
	if (vtcp_input_text(tcb, seg, now, &drop, &new_data))
		return drop;
	vtcp_input_fin(tcb, seg, drop, now);
	if (new_data)
		vtcp_decide_ack(tcb, now);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * What the ACK field tells the sender (RFC 9293 3.10.7.4 fifth, with RFC
 * 5961 5.2): the records and bytes it releases, the RTT sample it gives
 * (Karn's rule, or the timestamp echo), what loss recovery makes of it,
 * the send window it updates, and the FIN it acknowledges.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/ack.h"
#include "engine/cc.h"
#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/rtt.h"
#include "engine/seq.h"
#include "engine/sndq.h"
#include "engine/state.h"

/* RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT */
bool vtcp_ack_acceptable(const struct vtcp_tcb *tcb,
			 const struct vtcp_seg *seg)
{
	return !vtcp_seq_gt(seg->ack, tcb->snd_nxt) &&
	       !vtcp_seq_lt(seg->ack, tcb->snd_una - tcb->max_wnd);
}

/*
 * Forget the records and bytes below @ack; returns an RTT sample or 0.
 * With @as, the records delivered by this ACK (not SACKed before) are
 * RACK's deliveries too.
 */
static u32 vtcp_ack_clean(struct vtcp_tcb *tcb, u32 ack, u64 now,
			  bool *any_retrans, const struct vtcp_ack_sample *as)
{
	struct vtcp_txseg *seg, *tmp;
	u64 sent = 0;

	list_for_each_entry_safe(seg, tmp, &tcb->sndq.segs, node) {
		vtcp_sndq_walked(&tcb->sndq);
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

	rtt_us = vtcp_ack_clean(tcb, seg->ack, now, &any_retrans, as);
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
void vtcp_ack_syn(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
		  u64 now)
{
	bool any_retrans = false;
	u32 rtt_us;

	rtt_us = vtcp_ack_clean(tcb, seg->ack, now, &any_retrans, NULL);
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
enum vtcp_drop_reason vtcp_ack_input(struct vtcp_tcb *tcb,
				     const struct vtcp_seg *seg, u8 wshift,
				     u64 now)
{
	u32 wnd = seg->wnd << wshift;
	struct vtcp_ack_sample as = {
		.prior_una = tcb->snd_una,
		.prior_sacked = tcb->sndq.sacked + vtcp_reno_sacked(tcb),
	};

	/* The records this ACK makes us walk, from here (sndq.walked_max). */
	tcb->sndq.walked = 0;
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
	     (tcb->snd_wl1 == seg->seq &&
	      vtcp_seq_leq(tcb->snd_wl2, seg->ack)))) {
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
					 now + (u64)tcb->cfg.fin_wait2_ms *
					 NSEC_PER_MSEC);
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

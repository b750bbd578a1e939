// SPDX-License-Identifier: GPL-2.0
/*
 * RACK-TLP loss detection (RFC 8985), with SACK.
 *
 * RACK: a segment is lost once a segment sent after it has been delivered
 * (cumulatively or selectively acknowledged) and, on top of the RTT that
 * delivery measured, a reordering window has passed. It reasons in time,
 * not in sequence numbers or duplicate counts, so it sees lost
 * retransmissions and losses at the tail of a short flight, and it
 * tolerates reordering by the window: zero while no reordering has been
 * seen (in recovery, or with DupThresh segments SACKed), else a quarter of
 * the minimum RTT, four times as much for each round that brings a D-SACK (a
 * needless retransmission; RFC 8985 adds a quarter, see below), halved
 * after 16 recoveries without one. A segment not yet late arms the
 * reorder timer (VTCP_TIMER_REORDER) for when it will be.
 *
 * Where vtcp departs from RFC 8985, and why. When some packets skip a
 * queue that others wait in (as netem's reorder does), min_RTT is far
 * below the reordering: a quarter of it per round would take hundreds of
 * round trips of needless retransmissions to catch up (and Linux caps the
 * steps at 255), multiplying takes a few. Such reordering can also exceed
 * SRTT, which the skipping packets pull down, so once D-SACKs have pushed
 * the window past SRTT it may reach SRTT + 4 RTTVAR (the RFC stops at
 * SRTT), and it stops growing there. And 16 recoveries without a D-SACK
 * halve it rather than reset it: a path that keeps reordering, with losses
 * of its own, would otherwise relearn the whole window every 16 losses,
 * one needless retransmission per round.
 *
 * Reordering seen also raises DupThresh (tcb->reordering, as Linux's
 * tp->reordering): the distance in segments by which a segment sent once
 * arrived after later ones. RFC 6675's IsLost() (RACK off) counts with it.
 *
 * TLP: when the last segments of a flight are lost, no ACK comes back for
 * RACK to reason on. After a probe timeout (PTO, two RTTs; VTCP_TIMER_TLP)
 * one segment goes out, new data if the peer's window takes it, else the
 * last segment again, to draw an ACK whose SACK lets RACK repair the tail
 * without waiting for the RTO. If the probe itself turns out to have
 * repaired a loss, the window is reduced as for any loss (7.4).
 *
 * The records still in the network sit on sndq.tsorted in send order, so
 * loss detection walks them from the oldest and stops at the first one
 * sent after the newest delivery.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/seq.h"
#include "engine/sndq.h"

/* Was (t1, seq1) sent after (t2, seq2)? Ties go to the higher sequence. */
static bool vtcp_rack_sent_after(u64 t1, u32 seq1, u64 t2, u32 seq2)
{
	return t1 > t2 || (t1 == t2 && vtcp_seq_gt(seq1, seq2));
}

/*
 * @seg was just delivered, cumulatively or selectively (RFC 8985 6.2 steps
 * 2 and 3): note reordering, and keep the send time, end and RTT of the
 * newest delivery unless which transmission arrived is in doubt.
 */
void vtcp_rack_delivered(struct vtcp_tcb *tcb, const struct vtcp_txseg *seg,
			 u32 tsecr, u64 now)
{
	u32 rtt_us = now > seg->xmit_ns ?
		     (u32)min_t(u64, div_u64(now - seg->xmit_ns, NSEC_PER_USEC),
				U32_MAX) : 0;

	if (vtcp_seq_gt(seg->end, tcb->rack_fack)) {
		tcb->rack_fack = seg->end;
	} else if (vtcp_seq_lt(seg->end, tcb->rack_fack) &&
		   !(seg->flags & VTCP_TXSEG_EVER_RETRANS)) {
		u32 dist = (tcb->rack_fack - seg->seq) / tcb->mss + 1;

		tcb->rack_reord = 1;
		tcb->reordering = clamp_t(u32, dist, tcb->reordering,
					  VTCP_MAX_REORDERING);
	}

	if (seg->flags & VTCP_TXSEG_EVER_RETRANS) {
		/* The echo says an earlier transmission was acknowledged. */
		if (tsecr && tcb->ts_ok &&
		    vtcp_seq_lt(tsecr, vtcp_ts_now(tcb, seg->xmit_ns)))
			return;
		/* Faster than the path allows: the original arrived. */
		if (rtt_us < tcb->rtt_min_us)
			return;
	}
	if (!vtcp_rack_sent_after(seg->xmit_ns, seg->end, tcb->rack_xmit_ns,
				  tcb->rack_end_seq) &&
	    tcb->rack_xmit_ns)
		return;
	tcb->rack_xmit_ns = seg->xmit_ns;
	tcb->rack_end_seq = seg->end;
	tcb->rack_rtt_us = rtt_us;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rack_delivered);

/* The widest reordering window: SRTT, or more once D-SACKs proved it. */
static u32 vtcp_rack_reo_max_us(const struct vtcp_tcb *tcb)
{
	return tcb->srtt_us + 4 * tcb->rttvar_us;
}

/* The window the multiplier asks for, before the ceiling. */
static u64 vtcp_rack_reo_asked_us(const struct vtcp_tcb *tcb)
{
	return (u64)tcb->rack_reo_mult * (tcb->rtt_min_us / 4);
}

/* RFC 8985 6.2 step 4: the reordering window, RACK.reo_wnd. */
u32 vtcp_rack_reo_wnd_us(const struct vtcp_tcb *tcb)
{
	if (!tcb->rack_reord) {
		if (tcb->ca_state >= VTCP_CA_RECOVERY)
			return 0;
		if (DIV_ROUND_UP(tcb->sndq.sacked, tcb->mss) >= tcb->reordering)
			return 0;
	}
	return min_t(u64, vtcp_rack_reo_asked_us(tcb),
		     vtcp_rack_reo_max_us(tcb));
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rack_reo_wnd_us);

/*
 * RFC 8985 6.2 step 4: a D-SACK widens the window, once per round, until
 * it reaches its ceiling.
 */
void vtcp_rack_update_reo_wnd(struct vtcp_tcb *tcb, bool dsack)
{
	if (tcb->rack_dsack_valid &&
	    vtcp_seq_geq(tcb->snd_una, tcb->rack_dsack_round))
		tcb->rack_dsack_valid = 0;
	if (!tcb->rack_dsack_valid && dsack) {
		tcb->rack_dsack_valid = 1;
		tcb->rack_dsack_round = tcb->snd_nxt;
		if (vtcp_rack_reo_asked_us(tcb) < vtcp_rack_reo_max_us(tcb))
			tcb->rack_reo_mult = min_t(u32, 4 * tcb->rack_reo_mult,
						   U16_MAX);
		tcb->rack_reo_persist = VTCP_REO_PERSIST;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rack_update_reo_wnd);

/*
 * RFC 8985 6.2 step 5, RACK_detect_loss(): mark lost every segment in
 * flight sent before the newest delivery by more than RACK.rtt +
 * RACK.reo_wnd; arm the reorder timer for the ones not yet that late.
 */
void vtcp_rack_detect_loss(struct vtcp_tcb *tcb, u64 now)
{
	u64 wait = (u64)(tcb->rack_rtt_us + vtcp_rack_reo_wnd_us(tcb)) *
		   NSEC_PER_USEC;
	struct vtcp_sndq *q = &tcb->sndq;
	struct vtcp_txseg *seg, *tmp;
	u64 timeout = 0;

	list_for_each_entry_safe(seg, tmp, &q->tsorted, tsorted) {
		vtcp_sndq_walked(q);
		if (!vtcp_rack_sent_after(tcb->rack_xmit_ns, tcb->rack_end_seq,
					  seg->xmit_ns, seg->end))
			break;
		if (seg->xmit_ns + wait <= now) {
			/* A lost retransmission is lost again. */
			vtcp_txseg_unmark(q, seg, VTCP_TXSEG_RETRANS);
			vtcp_txseg_mark(q, seg, VTCP_TXSEG_LOST);
		} else {
			timeout = max(timeout, seg->xmit_ns + wait - now);
		}
	}
	if (timeout)
		vtcp_arm(tcb, VTCP_TIMER_REORDER, now + timeout);
	else
		vtcp_disarm(tcb, VTCP_TIMER_REORDER);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rack_detect_loss);

/*
 * RFC 8985 6.3: on an RTO, the first segment is lost (an RTO has passed)
 * and so is every other sent more than RACK.rtt + RACK.reo_wnd ago; the
 * rest may still be on their way.
 */
void vtcp_rack_mark_on_rto(struct vtcp_tcb *tcb, u64 now)
{
	u64 wait = (u64)(tcb->rack_rtt_us + vtcp_rack_reo_wnd_us(tcb)) *
		   NSEC_PER_USEC;
	struct vtcp_sndq *q = &tcb->sndq;
	struct vtcp_txseg *seg;

	vtcp_txseg_for_each(seg, q) {
		vtcp_sndq_walked(q);
		if (seg->flags & VTCP_TXSEG_SACKED)
			continue;
		if (seg->seq != tcb->snd_una && seg->xmit_ns + wait > now)
			continue;
		vtcp_txseg_unmark(q, seg, VTCP_TXSEG_RETRANS);
		vtcp_txseg_mark(q, seg, VTCP_TXSEG_LOST);
	}
}

/* The reorder timer: segments whose window passed are lost now. */
void vtcp_rack_reo_expire(struct vtcp_tcb *tcb, u64 now)
{
	if (!vtcp_state_synchronized(tcb->state) ||
	    tcb->snd_una == tcb->snd_nxt || !tcb->sack_ok)
		return;
	vtcp_rack_detect_loss(tcb, now);
	vtcp_recovery_check(tcb, now);
	vtcp_output(tcb, now);
}

/*
 * RFC 8985 7.2: arm the probe timeout after new data goes out or an ACK
 * acknowledges some, while no recovery, probe or SACKed data (for which
 * RACK's timer is the one that watches) is under way. PTO = 2 SRTT (at
 * least 10 ms, as Linux), plus the worst delayed ACK when one segment is in
 * flight, and no later than the RTO.
 */
void vtcp_tlp_schedule(struct vtcp_tcb *tcb, u64 now)
{
	u32 flight = tcb->snd_nxt - tcb->snd_una;
	u64 rto = tcb->deadline[VTCP_TIMER_RTO];
	u64 pto_us, when;

	vtcp_disarm(tcb, VTCP_TIMER_TLP);
	if (!vtcp_rack_enabled(tcb) || !flight || tcb->tlp_active ||
	    tcb->ca_state > VTCP_CA_DISORDER || tcb->sndq.sacked ||
	    !vtcp_state_synchronized(tcb->state))
		return;
	if (tcb->srtt_us) {
		pto_us = 2ULL * tcb->srtt_us;
		if (flight <= tcb->mss)
			pto_us += VTCP_WC_DELACK_US;
		pto_us = max_t(u64, pto_us, VTCP_TLP_MIN_US);
	} else {
		pto_us = USEC_PER_SEC;
	}
	when = now + pto_us * NSEC_PER_USEC;
	if (rto && when > rto)
		when = rto;
	vtcp_arm(tcb, VTCP_TIMER_TLP, when);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_tlp_schedule);

/* RFC 8985 7.3: the probe timeout passed: send the probe. */
void vtcp_tlp_expire(struct vtcp_tcb *tcb, u64 now)
{
	bool retrans;

	if (!vtcp_state_synchronized(tcb->state) ||
	    tcb->snd_una == tcb->snd_nxt || !vtcp_rack_enabled(tcb) ||
	    tcb->ca_state > VTCP_CA_DISORDER || tcb->tlp_active ||
	    tcb->sndq.sacked)
		return;
	if (!vtcp_send_loss_probe(tcb, &retrans, now))
		return;
	tcb->tlp_active = 1;
	tcb->tlp_retrans = retrans;
	tcb->tlp_high_seq = tcb->snd_nxt;
	tcb->stats.tlp_probes++;
	vtcp_restart_rto(tcb, now);
}

/*
 * RFC 8985 7.4: what the ACKs after a probe say. A probe of new data, or a
 * resend the peer reports as a duplicate (D-SACK), hid no loss. A resend
 * followed by an ACK beyond it, or by a duplicate ACK without SACK, was the
 * only copy to arrive: it repaired a loss, which calls for a reduction.
 */
void vtcp_tlp_ack(struct vtcp_tcb *tcb, const struct vtcp_ack_sample *as,
		  u64 now)
{
	if (!tcb->tlp_active || vtcp_seq_lt(tcb->snd_una, tcb->tlp_high_seq))
		return;
	if (!tcb->tlp_retrans ||
	    (as->dsack && vtcp_seq_lt(as->dsack_start, tcb->tlp_high_seq) &&
	     vtcp_seq_geq(as->dsack_end, tcb->tlp_high_seq))) {
		tcb->tlp_active = 0;
		return;
	}
	if (vtcp_seq_gt(tcb->snd_una, tcb->tlp_high_seq) ||
	    (as->dupack && !as->has_sack)) {
		tcb->tlp_active = 0;
		vtcp_cwnd_reduce(tcb, now);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_tlp_ack);

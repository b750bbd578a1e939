// SPDX-License-Identifier: GPL-2.0
/*
 * Loss recovery: when a loss starts fast recovery, how the window comes
 * down during it, how it ends, and the response to an RTO.
 *
 * Loss detection depends on what the peer tells us:
 *
 * - With SACK, the scoreboard (sack.c) knows which bytes the peer holds,
 *   and RACK (rack.c, RFC 8985) marks what is lost; with RACK turned off,
 *   RFC 6675's IsLost() does. Recovery starts once something is marked
 *   lost, and NextSeg (the transmit loop) resends exactly the holes.
 * - Without SACK, duplicate ACKs are counted (RFC 5681 3.2) and NewReno
 *   (RFC 6582) resends one hole per partial ACK. Like Linux, each duplicate
 *   stands for one segment that left the network ("reno SACK"), so the
 *   pipe below is right without inflating cwnd.
 *
 * During recovery cwnd follows Proportional Rate Reduction (RFC 6937,
 * PRR-SSRB): cwnd = pipe + sndcnt on every ACK, so that what is sent
 * tracks what is delivered and the flight comes down to ssthresh smoothly
 * instead of stopping for half an RTT, and then grows back to it. The
 * first ACK always lets the fast retransmit go.
 *
 * A reduction is undone (RFC 3522 Eifel detection with timestamps, RFC
 * 3708 with D-SACKs) when the ACKs prove that every retransmission of the
 * episode was needless: reordering or delay, not loss.
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>

#include "engine/cc.h"
#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/seq.h"
#include "engine/sndq.h"

/*
 * Without SACK, segments that duplicate ACKs say have left the network:
 * each duplicate stands for one.
 */
u32 vtcp_reno_sacked(const struct vtcp_tcb *tcb)
{
	u32 out = tcb->snd_nxt - tcb->snd_una;
	u32 sacked = tcb->dupacks * tcb->mss;

	if (tcb->sack_ok || out <= tcb->mss)
		return 0;
	return min(sacked, out - tcb->mss);
}

/* Data in the network (RFC 6675 "pipe"), in sequence space. */
u32 vtcp_in_flight(const struct vtcp_tcb *tcb)
{
	u32 left = tcb->sndq.sacked + tcb->sndq.lost + vtcp_reno_sacked(tcb);
	u32 out = tcb->snd_nxt - tcb->snd_una;

	return out - min(left, out) + tcb->sndq.retrans;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_in_flight);

/* Is something marked lost and not yet resent? */
bool vtcp_lost_pending(struct vtcp_tcb *tcb)
{
	return vtcp_txseg_next_lost(&tcb->sndq);
}

/* Without SACK: the first unacknowledged segment, one MSS of it, is lost. */
static void vtcp_mark_head_lost(struct vtcp_tcb *tcb)
{
	struct vtcp_txseg *seg = vtcp_txseg_first(&tcb->sndq);

	if (!seg)
		return;
	if (vtcp_txseg_len(seg) > tcb->mss)
		vtcp_txseg_split(&tcb->sndq, seg, seg->seq + tcb->mss);
	vtcp_txseg_unmark(&tcb->sndq, seg, VTCP_TXSEG_RETRANS);
	vtcp_txseg_mark(&tcb->sndq, seg, VTCP_TXSEG_LOST);
}

static void vtcp_recovery_done(struct vtcp_tcb *tcb);

/* Remember what an undo would restore (RFC 3522 3, RFC 3708 3). */
static void vtcp_undo_start(struct vtcp_tcb *tcb)
{
	tcb->prior_cwnd = tcb->cwnd;
	tcb->prior_ssthresh = tcb->ssthresh;
	tcb->undo_marker = tcb->snd_una;
	tcb->undo_retrans = 0;
	tcb->undo_tsval = 0;
	tcb->undo_ok = 1;
}

/*
 * Take the window back: every retransmission since the reduction was
 * needless. Only once no segment marked lost waits to be resent: a loss
 * still evident would start a new reduction at once (as in Linux), and
 * forgetting the marks would leave those segments to the RTO.
 */
static bool vtcp_undo(struct vtcp_tcb *tcb)
{
	if (vtcp_lost_pending(tcb))
		return false;
	tcb->cwnd = max(tcb->cwnd, tcb->prior_cwnd);
	tcb->ssthresh = max(tcb->ssthresh, tcb->prior_ssthresh);
	if (tcb->cfg.cc->undo)
		tcb->cfg.cc->undo(tcb);
	tcb->undo_ok = 0;
	tcb->stats.undos++;
	if (tcb->ca_state == VTCP_CA_RECOVERY || tcb->ca_state == VTCP_CA_LOSS)
		vtcp_recovery_done(tcb);
	return true;
}

/*
 * RFC 3708 / RFC 2883 section 5: a D-SACK for data resent since the
 * reduction says one retransmission was needless; once all were, undo.
 */
void vtcp_undo_dsack(struct vtcp_tcb *tcb, u32 start, u32 end)
{
	u32 segs;

	if (!tcb->undo_ok || !tcb->undo_retrans ||
	    !vtcp_seq_gt(end, tcb->undo_marker) ||
	    vtcp_seq_gt(end, tcb->snd_nxt))
		return;
	segs = DIV_ROUND_UP(end - start, tcb->mss);
	tcb->undo_retrans -= min(segs, tcb->undo_retrans);
	if (!tcb->undo_retrans)
		vtcp_undo(tcb);
}

/*
 * RFC 3522 (Eifel): the ACK that covers the first retransmission echoes
 * a timestamp older than it: the original got there.
 */
static bool vtcp_undo_eifel(struct vtcp_tcb *tcb,
			    const struct vtcp_ack_sample *as)
{
	if (!tcb->undo_ok || !tcb->undo_tsval || !as->tsecr || !tcb->ts_ok ||
	    !vtcp_seq_lt(as->tsecr, tcb->undo_tsval))
		return false;
	return vtcp_undo(tcb);
}

/*
 * RFC 6937 3, PRR-SSRB: how many bytes this ACK lets out, given the pipe
 * and what it delivered. Proportional while the pipe exceeds ssthresh,
 * then slow start up to it, bounded by what was delivered.
 */
u32 vtcp_prr_sndcnt(const struct vtcp_tcb *tcb, u32 pipe, u32 delivered)
{
	u32 sndcnt;

	if (pipe > tcb->ssthresh) {
		u64 target = div_u64((u64)tcb->prr_delivered * tcb->ssthresh +
				     tcb->recovery_flight - 1,
				     tcb->recovery_flight);

		sndcnt = target > tcb->prr_out ? target - tcb->prr_out : 0;
	} else {
		u32 limit = tcb->prr_delivered > tcb->prr_out ?
			    tcb->prr_delivered - tcb->prr_out : 0;

		limit = max(limit, delivered) + tcb->mss;
		sndcnt = min(tcb->ssthresh - pipe, limit);
	}
	/* The first ACK of recovery always lets the fast retransmit go. */
	if (!tcb->prr_out)
		sndcnt = max_t(u32, sndcnt, tcb->mss);
	return sndcnt;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_prr_sndcnt);

static void vtcp_prr_ack(struct vtcp_tcb *tcb, u32 delivered)
{
	u32 pipe = vtcp_in_flight(tcb);

	tcb->prr_delivered += delivered;
	tcb->cwnd = max(pipe + vtcp_prr_sndcnt(tcb, pipe, delivered),
			(u32)tcb->mss);
}

/* A new ssthresh, the start of PRR, and what an undo would restore. */
static void vtcp_reduce_start(struct vtcp_tcb *tcb, u64 now)
{
	vtcp_undo_start(tcb);
	tcb->ssthresh = tcb->cfg.cc->ssthresh(tcb, now);
	tcb->prr_delivered = 0;
	tcb->prr_out = 0;
	tcb->recovery_flight = max(tcb->snd_nxt - tcb->snd_una, (u32)tcb->mss);
	tcb->bytes_acked_ca = 0;
	tcb->ecn_high = tcb->snd_nxt;
	tcb->tlp_active = 0;
}

/*
 * A congestion signal outside recovery (ECN-Echo, RFC 3168 6.1.2; a loss
 * the tail loss probe repaired, RFC 8985 7.4): one reduction per window.
 */
void vtcp_cwnd_reduce(struct vtcp_tcb *tcb, u64 now)
{
	tcb->ssthresh = tcb->cfg.cc->ssthresh(tcb, now);
	tcb->cwnd = max_t(u32, min(tcb->cwnd, tcb->ssthresh), tcb->mss);
	tcb->bytes_acked_ca = 0;
	tcb->ecn_high = tcb->snd_nxt;
	tcb->undo_ok = 0;
}

static void vtcp_enter_recovery(struct vtcp_tcb *tcb, u64 now)
{
	vtcp_reduce_start(tcb, now);
	tcb->recover = tcb->snd_nxt;
	tcb->ca_state = VTCP_CA_RECOVERY;
	tcb->stats.fast_retrans++;
}

/*
 * RFC 8985 6.2: after 16 recoveries without a D-SACK, reo_wnd shrinks;
 * halved (see rack.c), and again after 16 more while it is wider.
 */
static void vtcp_recovery_done(struct vtcp_tcb *tcb)
{
	if (tcb->rack_reo_persist && !--tcb->rack_reo_persist) {
		tcb->rack_reo_mult = max_t(u16, tcb->rack_reo_mult / 2, 1);
		if (tcb->rack_reo_mult > 1)
			tcb->rack_reo_persist = VTCP_REO_PERSIST;
	}
	tcb->ca_state = VTCP_CA_OPEN;
	tcb->dupacks = 0;
}

/* Start fast recovery if the loss detectors marked something lost. */
void vtcp_recovery_check(struct vtcp_tcb *tcb, u64 now)
{
	if (tcb->ca_state > VTCP_CA_DISORDER || !vtcp_lost_pending(tcb))
		return;
	vtcp_enter_recovery(tcb, now);
	vtcp_prr_ack(tcb, tcb->mss);
}

/* Without SACK: duplicate ACKs and NewReno's partial ACKs. */
static void vtcp_reno_detect(struct vtcp_tcb *tcb,
			     const struct vtcp_ack_sample *as)
{
	switch (tcb->ca_state) {
	case VTCP_CA_OPEN:
	case VTCP_CA_DISORDER:
		if (as->dupack) {
			tcb->dupacks++;
			/*
			 * RFC 6582 3.2 step 2: no second fast retransmit for
			 * losses in the window that was already recovered.
			 */
			if (tcb->dupacks >= tcb->reordering &&
			    vtcp_seq_gt(tcb->snd_una, tcb->recover))
				vtcp_mark_head_lost(tcb);
		} else if (as->acked) {
			tcb->dupacks = 0;
		}
		break;
	case VTCP_CA_RECOVERY:
		if (as->acked) {
			/*
			 * Partial ACK (RFC 6582 3.2 step 5): the next hole is
			 * lost too. The segments it acknowledged no longer
			 * count as duplicate-ACKed.
			 */
			tcb->dupacks -= min(tcb->dupacks, as->acked / tcb->mss);
			vtcp_mark_head_lost(tcb);
		} else if (as->dupack) {
			tcb->dupacks++;
		}
		break;
	}
}

/*
 * An ACK arrived: SND.UNA and the scoreboard already reflect it, @as says
 * what changed. Detect losses, move between the recovery states, and set
 * cwnd.
 */
void vtcp_recovery_ack(struct vtcp_tcb *tcb, struct vtcp_ack_sample *as,
		       u64 now)
{
	bool ended = false;
	s64 delivered;

	vtcp_tlp_ack(tcb, as, now);
	if (tcb->sack_ok)
		vtcp_rack_update_reo_wnd(tcb, as->dsack);

	if (tcb->ca_state == VTCP_CA_RECOVERY ||
	    tcb->ca_state == VTCP_CA_LOSS) {
		bool fast = tcb->ca_state == VTCP_CA_RECOVERY;
		/* An ACK may prove the episode needless: undone and over. */
		bool undone = as->acked && vtcp_undo_eifel(tcb, as);

		if (!undone && vtcp_seq_geq(tcb->snd_una, tcb->recover)) {
			/* Everything sent before the episode is acked. */
			vtcp_recovery_done(tcb);
			ended = fast;
			/*
			 * RFC 5681 3.2 step 6 (as PRR, and Linux): cwnd is
			 * deflated to ssthresh. Without SACK, NewReno's
			 * option 1 (RFC 6582 3.2 step 3) avoids the burst a
			 * small flight would allow then.
			 */
			if (fast && tcb->sack_ok) {
				tcb->cwnd = tcb->ssthresh;
			} else if (fast) {
				u32 flight = tcb->snd_nxt - tcb->snd_una;

				tcb->cwnd = min(tcb->ssthresh,
						max(flight, (u32)tcb->mss) +
						tcb->mss);
			}
		}
	}

	/* Loss detection. */
	if (!tcb->sack_ok)
		vtcp_reno_detect(tcb, as);
	else if (vtcp_rack_enabled(tcb))
		vtcp_rack_detect_loss(tcb, now);
	else
		vtcp_sack_mark_lost(tcb);

	/* RFC 6937: DeliveredData = delta(SND.UNA) + delta(SACKed). */
	delivered = (s64)as->acked + tcb->sndq.sacked + vtcp_reno_sacked(tcb) -
		    as->prior_sacked;

	if (tcb->ca_state <= VTCP_CA_DISORDER) {
		if (vtcp_lost_pending(tcb)) {
			vtcp_enter_recovery(tcb, now);
		} else {
			tcb->ca_state = tcb->sndq.sacked || tcb->dupacks ?
					VTCP_CA_DISORDER : VTCP_CA_OPEN;
			/* RFC 3168 6.1.2: one reduction per window of data. */
			if (as->ece &&
			    vtcp_seq_geq(tcb->snd_una, tcb->ecn_high)) {
				vtcp_cwnd_reduce(tcb, now);
				tcb->ecn_cwr = 1;
				tcb->stats.ece_received++;
			}
		}
	}

	/*
	 * The ACK that ends fast recovery set cwnd itself; no growth on an
	 * ACK with ECE either (RFC 3168 6.1.2).
	 */
	if (tcb->ca_state == VTCP_CA_RECOVERY)
		vtcp_prr_ack(tcb, max_t(s64, delivered, 0));
	else if (as->acked && !as->ece && !ended)
		tcb->cfg.cc->cong_avoid(tcb, as->acked, now);
}

/*
 * The RTO fired with data outstanding (RFC 5681 3.1, RFC 6298 5.4-5.6):
 * cwnd goes to one segment and what is presumed lost is resent as it
 * opens: with RACK, the first segment and those sent more than an RTT and
 * the reordering window ago (RFC 8985 6.3); otherwise everything not
 * SACKed. ssthresh falls only on the first timeout of a series. A peer
 * that reneged on its SACKs (the ACK stopped at a SACKed segment) gets
 * them forgotten.
 */
void vtcp_enter_loss(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_txseg *seg, *first = vtcp_txseg_first(&tcb->sndq);

	/*
	 * A timeout with DupThresh's worth SACKed and no recovery: the
	 * reordering seen was overestimated (as Linux).
	 */
	if (tcb->ca_state <= VTCP_CA_DISORDER &&
	    tcb->sndq.sacked >= (u32)tcb->reordering * tcb->mss)
		tcb->reordering = min_t(u8, tcb->reordering, VTCP_DUPTHRESH);
	/* In fast recovery the window was already reduced for this loss. */
	if (tcb->ca_state <= VTCP_CA_DISORDER ||
	    (tcb->ca_state == VTCP_CA_LOSS && !tcb->backoff))
		vtcp_reduce_start(tcb, now);
	tcb->cfg.cc->init(tcb, now);
	tcb->cwnd = tcb->mss;
	tcb->bytes_acked_ca = 0;
	tcb->ca_state = VTCP_CA_LOSS;
	tcb->recover = tcb->snd_nxt;
	tcb->dupacks = 0;
	tcb->tlp_active = 0;
	vtcp_disarm(tcb, VTCP_TIMER_TLP);
	vtcp_disarm(tcb, VTCP_TIMER_REORDER);
	if (first && (first->flags & VTCP_TXSEG_SACKED)) {
		tcb->sack_reneged = 1;
		vtcp_sack_clear(tcb);
	}
	if (vtcp_rack_enabled(tcb)) {
		vtcp_rack_mark_on_rto(tcb, now);
		return;
	}
	vtcp_txseg_for_each(seg, &tcb->sndq) {
		vtcp_sndq_walked(&tcb->sndq);
		vtcp_txseg_unmark(&tcb->sndq, seg, VTCP_TXSEG_RETRANS);
		if (!(seg->flags & VTCP_TXSEG_SACKED))
			vtcp_txseg_mark(&tcb->sndq, seg, VTCP_TXSEG_LOST);
	}
}

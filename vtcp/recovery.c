// SPDX-License-Identifier: GPL-2.0
/*
 * Loss recovery: fast retransmit and fast recovery (RFC 5681 3.2) with the
 * NewReno modification (RFC 6582), and the response to an RTO.
 *
 * Like Linux, vtcp counts what is in the network as RFC 6675's "pipe"
 * (vtcp_in_flight()) rather than inflating cwnd: without SACK each
 * duplicate ACK stands for one segment that left the network (it "SACKs"
 * one MSS), which lets new data out exactly when RFC 5681's inflated window
 * would, and cwnd stays at ssthresh throughout recovery.
 */

#include <linux/kernel.h>

#include "cc.h"
#include "output.h"
#include "recovery.h"
#include "seq.h"
#include "sndq.h"

/*
 * Segments that duplicate ACKs say have left the network, while the
 * scoreboard holds no SACK information: the sender does not read SACK
 * blocks yet, so with SACK negotiated each duplicate still stands for one
 * segment, as without.
 */
u32 vtcp_reno_sacked(const struct vtcp_tcb *tcb)
{
	u32 out = tcb->snd_nxt - tcb->snd_una;
	u32 sacked = tcb->dupacks * tcb->mss;

	if (tcb->sndq.sacked || out <= tcb->mss)
		return 0;
	return min(sacked, out - tcb->mss);
}

/* The first unacknowledged segment, one MSS of it, is lost. */
static void vtcp_mark_head_lost(struct vtcp_tcb *tcb)
{
	struct vtcp_txseg *seg;

	seg = list_first_entry_or_null(&tcb->sndq.segs, struct vtcp_txseg, node);
	if (!seg)
		return;
	if (vtcp_txseg_len(seg) > tcb->mss)
		vtcp_txseg_split(&tcb->sndq, seg, seg->seq + tcb->mss);
	vtcp_txseg_unmark(&tcb->sndq, seg, VTCP_TXSEG_RETRANS);
	vtcp_txseg_mark(&tcb->sndq, seg, VTCP_TXSEG_LOST);
}

static void vtcp_enter_recovery(struct vtcp_tcb *tcb, u64 now)
{
	tcb->prior_cwnd = tcb->cwnd;
	tcb->ssthresh = tcb->cfg.cc->ssthresh(tcb, now);
	tcb->cwnd = tcb->ssthresh;
	tcb->recover = tcb->snd_nxt;
	tcb->ca_state = VTCP_CA_RECOVERY;
	tcb->stats.fast_retrans++;
	vtcp_mark_head_lost(tcb);
}

/*
 * An ACK arrived: @acked bytes of sequence space newly acknowledged, or a
 * duplicate ACK by RFC 5681's definition (checked by the caller).
 */
void vtcp_recovery_ack(struct vtcp_tcb *tcb, u32 acked, bool dupack, u64 now)
{
	switch (tcb->ca_state) {
	case VTCP_CA_OPEN:
	case VTCP_CA_DISORDER:
		if (dupack) {
			tcb->dupacks++;
			tcb->ca_state = VTCP_CA_DISORDER;
			/*
			 * RFC 6582 3.2 step 2: no second fast retransmit for
			 * losses in the window that was already recovered.
			 */
			if (tcb->dupacks >= tcb->reordering &&
			    vtcp_seq_gt(tcb->snd_una, tcb->recover))
				vtcp_enter_recovery(tcb, now);
			return;
		}
		if (acked) {
			tcb->dupacks = 0;
			tcb->ca_state = VTCP_CA_OPEN;
			tcb->cfg.cc->cong_avoid(tcb, acked, now);
		}
		return;

	case VTCP_CA_RECOVERY:
		if (vtcp_seq_geq(tcb->snd_una, tcb->recover)) {
			/* Full ACK (RFC 6582 3.2 step 3, option 1). */
			u32 flight = tcb->snd_nxt - tcb->snd_una;

			tcb->cwnd = min(tcb->ssthresh,
					max(flight, (u32)tcb->mss) + tcb->mss);
			tcb->ca_state = VTCP_CA_OPEN;
			tcb->dupacks = 0;
			return;
		}
		if (acked) {
			/*
			 * Partial ACK: the next hole is lost too. The segments
			 * it acknowledged no longer count as duplicate-ACKed.
			 */
			tcb->dupacks -= min(tcb->dupacks, acked / tcb->mss);
			vtcp_mark_head_lost(tcb);
		} else if (dupack) {
			tcb->dupacks++;
		}
		return;

	case VTCP_CA_LOSS:
		if (acked)
			tcb->cfg.cc->cong_avoid(tcb, acked, now);
		if (vtcp_seq_geq(tcb->snd_una, tcb->recover)) {
			tcb->ca_state = VTCP_CA_OPEN;
			tcb->dupacks = 0;
		}
		return;
	}
}

/*
 * The RTO fired with data outstanding (RFC 5681 3.1, RFC 6298 5.4-5.6):
 * everything not SACKed is presumed lost and resent from one segment of
 * window. ssthresh falls only on the first timeout of a series.
 */
void vtcp_enter_loss(struct vtcp_tcb *tcb, u64 now)
{
	struct vtcp_txseg *seg;

	if (tcb->ca_state != VTCP_CA_LOSS || !tcb->backoff) {
		tcb->prior_cwnd = tcb->cwnd;
		tcb->ssthresh = tcb->cfg.cc->ssthresh(tcb, now);
	}
	tcb->cwnd = tcb->mss;
	tcb->bytes_acked_ca = 0;
	tcb->ca_state = VTCP_CA_LOSS;
	tcb->recover = tcb->snd_nxt;
	tcb->dupacks = 0;
	vtcp_txseg_for_each(seg, &tcb->sndq) {
		vtcp_txseg_unmark(&tcb->sndq, seg, VTCP_TXSEG_RETRANS);
		if (!(seg->flags & VTCP_TXSEG_SACKED))
			vtcp_txseg_mark(&tcb->sndq, seg, VTCP_TXSEG_LOST);
	}
}

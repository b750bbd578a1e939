// SPDX-License-Identifier: GPL-2.0
/*
 * The sender's SACK scoreboard (RFC 2018, RFC 6675, RFC 2883).
 *
 * Every SACK block the peer sends marks the records it covers SACKED,
 * splitting records at the block's edges rounded to whole segments, and
 * no further than a cap (vtcp_sack_records_max()), so that the scoreboard
 * says which bytes the peer holds, at a cost the peer cannot inflate:
 * vtcp_in_flight() (RFC 6675's pipe) and the transmit loop (NextSeg) read
 * it, and a SACKed retransmission is no longer in flight. A first block
 * that lies below the cumulative ACK or inside the second block is a
 * D-SACK (RFC 2883 4): it reports a duplicate, which RACK's reordering
 * window and the undo of a needless reduction feed on, and marks nothing.
 *
 * Which holes are lost is RACK's call (rack.c); with RACK off,
 * vtcp_sack_mark_lost() applies RFC 6675's IsLost().
 */

#include <kunit/visibility.h>
#include <linux/kernel.h>
#include <linux/sort.h>

#include "engine/recovery.h"
#include "engine/seq.h"
#include "engine/sndq.h"

/*
 * The records SACK blocks may cut the scoreboard into (CVE-2019-11478:
 * each split allocates, in softirq, where no memcg is charged). Rounding
 * keeps full segments whole, so twice what the send buffer holds in them
 * is room to spare; the slack is for short ones. Linux's tcp_fragment()
 * refuses likewise past twice sk_sndbuf.
 */
u32 vtcp_sack_records_max(const struct vtcp_tcb *tcb)
{
	return 2 * tcb->cfg.sndbuf / tcb->mss + VTCP_SACK_RECORDS_SLACK;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sack_records_max);

/* Split @seg at @at for a SACK block, unless that makes one record too many. */
static bool vtcp_sack_split(struct vtcp_tcb *tcb, struct vtcp_txseg *seg,
			    u32 at)
{
	if (tcb->sndq.nr_records >= vtcp_sack_records_max(tcb)) {
		tcb->stats.sack_splits_refused++;
		return false;
	}
	return vtcp_txseg_split(&tcb->sndq, seg, at);
}

/*
 * Mark [start, end) SACKed; returns the bytes newly SACKed. As Linux's
 * tcp_match_skb_to_sack(), a record splits only at whole MSS from its
 * start (its last piece alone may be shorter): the block's start rounds
 * up, its end down, so a block covering no whole MSS of a record marks
 * none of it. Where a split is refused the piece stays unmarked, in
 * flight, which is always safe: the cumulative ACK settles it.
 */
static u32 vtcp_sack_tag(struct vtcp_tcb *tcb, u32 start, u32 end, u32 tsecr,
			 u64 now)
{
	struct vtcp_sndq *q = &tcb->sndq;
	struct vtcp_txseg *seg = vtcp_txseg_find_after(q, start), *next;
	u32 mss = tcb->mss, newly = 0;

	for (; seg && vtcp_seq_lt(seg->seq, end); seg = next) {
		u32 len = vtcp_txseg_len(seg), from = 0, to = len;

		vtcp_sndq_walked(q);
		next = vtcp_txseg_next(q, seg);
		if (seg->flags & VTCP_TXSEG_SACKED)
			continue;
		if (vtcp_seq_gt(start, seg->seq))
			from = roundup(start - seg->seq, mss);
		if (vtcp_seq_lt(end, seg->end))
			to = rounddown(end - seg->seq, mss);
		if (from >= to)
			continue;
		if (from) {
			if (!vtcp_sack_split(tcb, seg, seg->seq + from))
				continue;
			seg = vtcp_txseg_next(q, seg);
			to -= from;
			len -= from;
		}
		if (to < len && !vtcp_sack_split(tcb, seg, seg->seq + to))
			continue;
		vtcp_rack_delivered(tcb, seg, tsecr, now);
		vtcp_txseg_unmark(q, seg, VTCP_TXSEG_RETRANS);
		vtcp_txseg_unmark(q, seg, VTCP_TXSEG_LOST);
		vtcp_txseg_mark(q, seg, VTCP_TXSEG_SACKED);
		newly += vtcp_txseg_len(seg);
	}
	return newly;
}

static int vtcp_sack_cmp(const void *a, const void *b)
{
	const struct vtcp_sack_block *x = a, *y = b;

	return vtcp_seq_lt(x->start, y->start) ? -1 : x->start != y->start;
}

/*
 * The SACK blocks of an ACK for @ack, SND.UNA already moved to it. Blocks
 * are taken in sequence order, so that RACK sees deliveries in the order
 * RFC 8985 6.2 asks for; a block reaching past SND.NXT is bogus and
 * ignored, as is anything below SND.UNA.
 */
void vtcp_sack_input(struct vtcp_tcb *tcb, const struct vtcp_opts *opt,
		     u32 ack, struct vtcp_ack_sample *as, u64 now)
{
	struct vtcp_sack_block b[VTCP_MAX_SACK_BLOCKS];
	const struct vtcp_sack_block *s = opt->sack;
	int i, n = 0, first = 0;

	if (!(opt->present & VTCP_TCPOPT_SACK) || !opt->nsack)
		return;
	as->has_sack = 1;
	if (vtcp_seq_lt(s[0].start, ack) ||
	    (opt->nsack > 1 && vtcp_seq_geq(s[0].start, s[1].start) &&
	     vtcp_seq_leq(s[0].end, s[1].end))) {
		tcb->stats.dsacks++;
		tcb->stats.dsack_segs += DIV_ROUND_UP(s[0].end - s[0].start,
						      tcb->mss);
		first = 1;
		/*
		 * More duplicates than we ever resent: the network copies
		 * packets, and this says nothing of our retransmissions (as
		 * Linux's tcp_dsack_seen()).
		 */
		if (tcb->stats.dsack_segs <= tcb->stats.retrans_segs) {
			as->dsack = 1;
			as->dsack_start = s[0].start;
			as->dsack_end = s[0].end;
			vtcp_undo_dsack(tcb, s[0].start, s[0].end);
		}
	}
	for (i = first; i < opt->nsack; i++) {
		u32 start = s[i].start, end = s[i].end;

		if (vtcp_seq_gt(end, tcb->snd_nxt) ||
		    vtcp_seq_leq(end, tcb->snd_una))
			continue;
		if (vtcp_seq_lt(start, tcb->snd_una))
			start = tcb->snd_una;
		b[n].start = start;
		b[n++].end = end;
	}
	sort(b, n, sizeof(b[0]), vtcp_sack_cmp, NULL);
	for (i = 0; i < n; i++)
		as->sacked += vtcp_sack_tag(tcb, b[i].start, b[i].end,
					    as->tsecr, now);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sack_input);

/*
 * RFC 6675 4, IsLost(): a hole is lost once DupThresh discontiguous SACKed
 * runs, or more than (DupThresh - 1) * SMSS SACKed bytes, lie above it.
 * Walks down from the highest SACKed record to the point an earlier call
 * already covered (sndq.lost_scan), so each record is judged about once.
 */
void vtcp_sack_mark_lost(struct vtcp_tcb *tcb)
{
	u32 limit = (tcb->reordering - 1) * tcb->mss;
	u32 bytes = 0, runs = 0, from = 0;
	struct vtcp_sndq *q = &tcb->sndq;
	struct vtcp_txseg *seg;
	bool run = false;

	if (!q->sacked)
		return;
	for (seg = vtcp_txseg_find(q, tcb->rack_fack - 1); seg;
	     seg = vtcp_txseg_prev(q, seg)) {
		vtcp_sndq_walked(q);
		if (seg->flags & VTCP_TXSEG_SACKED) {
			bytes += vtcp_txseg_len(seg);
			runs += !run;
			run = true;
			continue;
		}
		run = false;
		if (runs < tcb->reordering && bytes <= limit)
			continue;
		if (!from)
			from = seg->end;
		if (vtcp_seq_leq(seg->end, q->lost_scan))
			break;
		vtcp_txseg_mark(q, seg, VTCP_TXSEG_LOST);
	}
	if (from && vtcp_seq_gt(from, q->lost_scan))
		q->lost_scan = from;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_sack_mark_lost);

/*
 * Forget every SACK: the peer reneged (RFC 2018 8), dropping data it had
 * SACKed, so only a cumulative ACK proves anything now.
 */
void vtcp_sack_clear(struct vtcp_tcb *tcb)
{
	struct vtcp_txseg *seg;

	vtcp_txseg_for_each(seg, &tcb->sndq)
		vtcp_txseg_unmark(&tcb->sndq, seg, VTCP_TXSEG_SACKED);
	tcb->sndq.lost_scan = tcb->snd_una;
	tcb->rack_fack = tcb->snd_una;
}

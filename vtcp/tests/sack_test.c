// SPDX-License-Identifier: GPL-2.0
/*
 * The sender's SACK scoreboard: blocks mark records, split at their edges
 * (RFC 2018, RFC 6675 4 update()); pipe (RFC 6675 4); IsLost() with RACK
 * off (RFC 6675 4); NextSeg resends only the holes, then new data (RFC
 * 6675 4); D-SACK detection (RFC 2883 4); reneging (RFC 2018 8); the
 * undo of a needless reduction (RFC 3708 with D-SACK, RFC 3522 Eifel).
 *
 * vtcp_t_sack_sender(): ISS 1000, MSS 1000, SACK in use, NewReno, cwnd 10
 * segments, a 10 ms handshake.
 */
#include "harness.h"
#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/sndq.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define S		(VTCP_T_ISS + 1)	/* the first data byte */
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC

/* @n segments written, the first @sent of them out. */
static struct vtcp_t_conn *vtcp_t_sack_sent(struct kunit *test, u16 flags,
					    u32 n, u32 sent)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, flags);

	KUNIT_ASSERT_EQ(test, (int)(n * MSS), vtcp_t_write(c, NULL, n * MSS));
	KUNIT_ASSERT_EQ(test, vtcp_t_pending(c), sent);
	vtcp_t_drain(c);
	return c;
}

/* Does the record holding @seq cover [seq, end) with flags @flags? */
static void vtcp_t_expect_record(struct kunit *test, struct vtcp_tcb *tcb,
				 u32 seq, u32 end, u16 flags)
{
	struct vtcp_txseg *seg = vtcp_txseg_find(&tcb->sndq, seq);

	KUNIT_ASSERT_NOT_NULL_MSG(test, seg, "no record at %u", seq);
	KUNIT_EXPECT_EQ_MSG(test, seg->seq, seq, "record at %u", seq);
	KUNIT_EXPECT_EQ_MSG(test, seg->end, end, "record at %u", seq);
	KUNIT_EXPECT_EQ_MSG(test, seg->flags & (VTCP_TXSEG_SACKED |
						VTCP_TXSEG_LOST |
						VTCP_TXSEG_RETRANS),
			    flags, "record at %u", seq);
}

/*
 * RFC 2018 / RFC 6675 4: a block marks SACKed the segments it covers; one
 * it covers only in part stays unmarked and unsplit, whole MSS being the
 * scoreboard's unit (sack_splits_records_only_at_mss_multiples()), and
 * pipe drops by what was marked.
 */
static void rfc6675_sack_block_marks_the_segments_it_covers(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sent(test, 0, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 1500, S + 3500));
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 1000U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.nr_sacked, 1U);
	vtcp_t_expect_record(test, tcb, S + 1000, S + 2000, 0);
	vtcp_t_expect_record(test, tcb, S + 2000, S + 3000, VTCP_TXSEG_SACKED);
	vtcp_t_expect_record(test, tcb, S + 3000, S + 4000, 0);
	KUNIT_EXPECT_EQ(test, tcb->sndq.nr_records, 10U);
	KUNIT_EXPECT_EQ(test, vtcp_in_flight(tcb), 9000U);
	/* The same block again changes nothing. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 1500, S + 3500));
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 1000U);
	KUNIT_EXPECT_EQ(test, tcb->stats.dsacks, 0U);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 2018 / RFC 2883 4: a block past SND.NXT is bogus; one below the ACK
 * (first) is a D-SACK, counted and marking nothing; so is a first block
 * inside the second, which the second still marks.
 */
static void rfc2883_dsack_is_detected_and_marks_nothing(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sent(test, 0, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 2000, 2, S + 5000, S + 11000,
				    S + 3000, S + 4000));
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 1000U);
	KUNIT_EXPECT_EQ(test, tcb->stats.dsacks, 0U);
	/* Below the ACK. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 2000, 2, S, S + 1000,
				    S + 3000, S + 4000));
	KUNIT_EXPECT_EQ(test, tcb->stats.dsacks, 1U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 1000U);
	/* Inside the second block: the second marks, the first does not. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 2000, 2, S + 5000, S + 6000,
				    S + 5000, S + 8000));
	KUNIT_EXPECT_EQ(test, tcb->stats.dsacks, 2U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 4000U);
	vtcp_t_expect_record(test, tcb, S + 5000, S + 6000, VTCP_TXSEG_SACKED);
	vtcp_t_expect_record(test, tcb, S + 8000, S + 9000, 0);
}

/*
 * RFC 6675 4, IsLost() (RACK off): two segments SACKed above a hole are
 * not enough (DupThresh - 1 = 2 SMSS), a third is: the hole is lost and
 * resent, and pipe = outstanding - SACKed - lost + resent.
 */
static void rfc6675_islost_needs_dupthresh_segments_above(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sent(test, 0, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 1000, S + 3000));
	KUNIT_EXPECT_EQ(test, tcb->sndq.lost, 0U);
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_DISORDER);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 1000, S + 4000));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_expect_record(test, tcb, S, S + 1000,
			     VTCP_TXSEG_LOST | VTCP_TXSEG_RETRANS);
	/* Only the hole at the bottom: the others have no 3 SACKed above. */
	KUNIT_EXPECT_EQ(test, tcb->sndq.lost, 1000U);
	KUNIT_EXPECT_EQ(test, vtcp_in_flight(tcb),
			10000U - 3000 - 1000 + 1000);
}

/*
 * RFC 6675 4, IsLost(): or DupThresh discontiguous SACKed runs above the
 * hole, however few bytes they hold: segments of 400 bytes (NODELAY
 * writes), every other one SACKed.
 */
static void rfc6675_islost_counts_discontiguous_runs(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, VTCP_CFG_NODELAY);
	int i;

	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_EQ(test, 400, vtcp_t_write(c, NULL, 400));
	KUNIT_ASSERT_EQ(test, vtcp_t_pending(c), 10U);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 2, S + 1600, S + 2000,
				    S + 800, S + 1200));
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.lost, 0U);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 3, S + 2400, S + 2800,
				    S + 1600, S + 2000, S + 800, S + 1200));
	/* 1200 bytes in three runs: the two segments below them all. */
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.lost, 800U);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, 400);
}

/*
 * RFC 6675 4, NextSeg(): with segments 1 and 5 of 10 missing, recovery
 * resends exactly those two (rule 1), lowest first, then new data as the
 * window allows (rule 2): PRR's slow start to ssthresh (5 segments) from
 * an empty pipe lets three new ones go.
 */
static void rfc6675_nextseg_resends_only_the_holes(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sent(test, 0, 20, 10);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 2, S + 5000, S + 10000,
				    S + 1000, S + 4000));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, 5000U);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 4000, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 10000, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 11000, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 12000, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, tcb->stats.retrans_segs, 2U);
	/* The first hole filled: nothing is resent again. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 4000, 1, S + 5000, S + 10000));
	while (vtcp_t_pending(c))
		KUNIT_EXPECT_GE(test, vtcp_t_pop(c)->out.seq, S + 13000);
	KUNIT_EXPECT_EQ(test, tcb->stats.retrans_segs, 2U);
}

/*
 * RFC 2018 8: the peer may drop data it SACKed. When the ACK stops at a
 * SACKed segment, the RTO forgets every SACK and resends from there.
 */
static void rfc2018_reneged_sacks_are_forgotten_at_the_rto(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sent(test, 0, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 1000, S + 4000));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	c->now += 10 * MS;
	/* The resend arrived, but the ACK stops where the SACK began. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 1000, VTCP_T_WND));
	vtcp_t_drain(c);
	vtcp_t_advance(c, 200 * MS);
	KUNIT_EXPECT_EQ(test, tcb->stats.rto_expirations, 1U);
	KUNIT_EXPECT_TRUE(test, tcb->sack_reneged);
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 0U);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 1000, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 3708 (D-SACK based detection, RFC 2883 5): the first segment was
 * only late; its fast retransmission arrives as a duplicate and the peer
 * says so with a D-SACK. Every retransmission of the episode was needless:
 * the reduction is undone and recovery ends.
 */
static void rfc3708_dsack_undoes_a_needless_fast_retransmit(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sent(test, 0, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;
	u32 cwnd = tcb->cwnd;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 4 * MSS));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, 5U * MSS);
	/* The original arrives... */
	c->now += MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 4 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
	/* ...then the resend, reported as a duplicate. */
	c->now += MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 4 * MSS, 1, S, S + MSS));
	KUNIT_EXPECT_EQ(test, tcb->stats.undos, 1U);
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_GE(test, tcb->cwnd, cwnd);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, U32_MAX / 2);
}

/* An ACK from the peer with a timestamp echoing @tsecr, and SACK blocks. */
static void vtcp_t_ts_ack(struct vtcp_t_conn *c, u32 ack, u32 tsval,
			  u32 tsecr, u32 sack_start, u32 sack_end)
{
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = ack,
		.wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_TS, .tsval = tsval,
			 .tsecr = tsecr },
	};

	if (sack_end) {
		s.opt.present |= VTCP_TCPOPT_SACK;
		s.opt.nsack = 1;
		s.opt.sack[0].start = sack_start;
		s.opt.sack[0].end = sack_end;
	}
	KUNIT_EXPECT_EQ(c->test, VTCP_DROP_NONE, vtcp_t_input(c, &s));
}

/*
 * RFC 3522 (Eifel detection): the ACK that covers the retransmitted
 * segment echoes the timestamp of the original, sent before the
 * retransmission: the original arrived, the retransmission was needless,
 * and the reduction is undone at once.
 */
static void rfc3522_timestamp_echo_undoes_a_needless_fast_retransmit(struct kunit *test)
{
	/* The peer's MSS leaves MSS bytes of data beside the timestamps. */
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK | VTCP_TCPOPT_TS,
		.mss = MSS + VTCP_OPTLEN_TS_ALIGNED, .tsval = 100,
	};
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;
	u32 ts0, cwnd;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_SACK | VTCP_CFG_TIMESTAMPS;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_TRUE(test, c->tcb.ts_ok && c->tcb.sack_ok);
	ts0 = vtcp_ts_now(&c->tcb, c->now);
	vtcp_t_write(c, NULL, 10 * MSS);
	vtcp_t_drain(c);
	cwnd = c->tcb.cwnd;
	c->now += 20 * MS;
	vtcp_t_ts_ack(c, S, 101, ts0, S + MSS, S + 4 * MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, c->tcb.undo_tsval, ts0 + 20);
	/* The ACK of the first segment echoes the original's timestamp. */
	c->now += MS;
	vtcp_t_ts_ack(c, S + 4 * MSS, 102, ts0, 0, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.undos, 1U);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_GE(test, c->tcb.cwnd, cwnd);

	/* Had it echoed the retransmission's, nothing would be undone. */
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	ts0 = vtcp_ts_now(&c->tcb, c->now);
	vtcp_t_write(c, NULL, 10 * MSS);
	vtcp_t_drain(c);
	c->now += 20 * MS;
	vtcp_t_ts_ack(c, S, 101, ts0, S + MSS, S + 4 * MSS);
	c->now += MS;
	vtcp_t_ts_ack(c, S + 4 * MSS, 102, ts0 + 20, 0, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.undos, 0U);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
}

/*
 * RFC 6691 2: the SACK blocks a data segment carries come off its data.
 * Holding out-of-order data, a full write leaves as a train of segments
 * of MSS less one block (12 bytes), not as MSS-sized segments.
 */
static void rfc6691_sack_blocks_come_off_the_data(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, 0);
	struct vtcp_t_seg ooo = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT + 100, .ack = S,
		.wnd = VTCP_T_WND, .len = 10,
	};
	struct vtcp_t_out *o;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ooo));
	vtcp_t_drain(c);
	KUNIT_ASSERT_EQ(test, 1, (int)c->tcb.nsack);
	KUNIT_ASSERT_EQ(test, (int)MSS, vtcp_t_write(c, NULL, MSS));
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.opt.nsack, 1);
	KUNIT_EXPECT_EQ(test, o->out.len, MSS);
	KUNIT_EXPECT_EQ(test, (u32)o->out.gso_size,
			MSS - VTCP_OPTLEN_SACK_BASE_ALIGNED - VTCP_OPTLEN_SACK_BLOCK);
}

/*
 * As Linux's tcp_match_skb_to_sack() (the CVE-2019-11478 defence): a
 * block splits a record only at whole MSS from the record's start, its
 * last piece alone being shorter, so a peer's blocks cannot cut the
 * scoreboard finer than one record per MSS. A block covering no whole MSS
 * of a record marks nothing of it: that data stays in flight, which is
 * always safe.
 */
static void sack_splits_records_only_at_mss_multiples(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, 0);
	struct vtcp_tcb *tcb = &c->tcb;

	/* One record of 9.5 MSS: a GSO train. */
	tcb->gso_max = 10 * MSS;
	KUNIT_ASSERT_EQ(test, 9500, vtcp_t_write(c, NULL, 9500));
	KUNIT_ASSERT_EQ(test, vtcp_t_pending(c), 1U);
	vtcp_t_drain(c);
	KUNIT_ASSERT_EQ(test, tcb->sndq.nr_records, 1U);

	/* The attack: single bytes, every other one. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 4, S + 1, S + 2, S + 3, S + 4,
				    S + 5, S + 6, S + 7, S + 8));
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 0U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.nr_records, 1U);

	/* Edges inside an MSS: in rounds up, out rounds down. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 1500, S + 3500));
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 1000U);
	vtcp_t_expect_record(test, tcb, S, S + 2000, 0);
	vtcp_t_expect_record(test, tcb, S + 2000, S + 3000, VTCP_TXSEG_SACKED);
	vtcp_t_expect_record(test, tcb, S + 3000, S + 9500, 0);

	/* The short last piece is marked when the block covers all of it. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 2, S + 8200, S + 9500,
				    S + 1500, S + 3500));
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked, 1500U);
	vtcp_t_expect_record(test, tcb, S + 3000, S + 9000, 0);
	vtcp_t_expect_record(test, tcb, S + 9000, S + 9500, VTCP_TXSEG_SACKED);
	KUNIT_EXPECT_EQ(test, tcb->sndq.nr_records, 4U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.nr_records_max, 4U);
	KUNIT_EXPECT_EQ(test, tcb->stats.sack_splits_refused, 0U);
}

/*
 * The CVE-2019-11478 cap (Linux's tcp_fragment() refusal): SACK splits
 * stop at 2 * sndbuf / MSS + 32 records. A block that needs one more
 * marks nothing, is counted, and the scoreboard stays consistent.
 */
static void sack_splits_stop_at_the_record_cap(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, 0);
	struct vtcp_tcb *tcb = &c->tcb;
	u32 i, cap;

	tcb->gso_max = 60 * MSS;
	tcb->cwnd = 60 * MSS;
	KUNIT_ASSERT_EQ(test, (int)(60 * MSS), vtcp_t_write(c, NULL, 60 * MSS));
	KUNIT_ASSERT_EQ(test, tcb->sndq.nr_records, 1U);
	vtcp_t_drain(c);
	/* The buffer shrinks (VTCP_OPT_SNDBUF) with the data in flight. */
	tcb->cfg.sndbuf = 4 * MSS;
	cap = 2 * 4 + 32;

	/* Every other MSS, one block an ACK: two splits each, uncapped. */
	for (i = 1; i < 60; i += 2) {
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_sack(c, S, 1, S + i * MSS,
					    S + (i + 1) * MSS));
		vtcp_t_drain(c);
		KUNIT_EXPECT_LE(test, tcb->sndq.nr_records, cap);
	}
	KUNIT_EXPECT_LE(test, tcb->sndq.nr_records_max, cap);
	KUNIT_EXPECT_GT(test, tcb->stats.sack_splits_refused, 0U);
	/* What was refused is neither SACKed nor lost: still in flight. */
	KUNIT_EXPECT_LT(test, tcb->sndq.sacked, 30 * MSS);
	KUNIT_EXPECT_EQ(test, tcb->sndq.sacked % MSS, 0U);
	KUNIT_EXPECT_EQ(test, vtcp_in_flight(tcb),
			60 * MSS - tcb->sndq.sacked - tcb->sndq.lost +
			tcb->sndq.retrans);
}

static struct kunit_case vtcp_sack_cases[] = {
	KUNIT_CASE(sack_splits_records_only_at_mss_multiples),
	KUNIT_CASE(sack_splits_stop_at_the_record_cap),
	KUNIT_CASE(rfc6675_sack_block_marks_the_segments_it_covers),
	KUNIT_CASE(rfc2883_dsack_is_detected_and_marks_nothing),
	KUNIT_CASE(rfc6675_islost_needs_dupthresh_segments_above),
	KUNIT_CASE(rfc6675_islost_counts_discontiguous_runs),
	KUNIT_CASE(rfc6675_nextseg_resends_only_the_holes),
	KUNIT_CASE(rfc2018_reneged_sacks_are_forgotten_at_the_rto),
	KUNIT_CASE(rfc3708_dsack_undoes_a_needless_fast_retransmit),
	KUNIT_CASE(rfc3522_timestamp_echo_undoes_a_needless_fast_retransmit),
	KUNIT_CASE(rfc6691_sack_blocks_come_off_the_data),
	{}
};

static struct kunit_suite vtcp_sack_suite = {
	.name = "vtcp_sack",
	.test_cases = vtcp_sack_cases,
};

kunit_test_suite(vtcp_sack_suite);

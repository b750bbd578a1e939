// SPDX-License-Identifier: GPL-2.0
/*
 * RACK-TLP (RFC 8985): the reordering window and its D-SACK adaptation
 * (6.2), loss marking by send time with the reorder timer (6.2), lost
 * retransmissions, reordering tolerated without a spurious retransmission,
 * the RTO's marking (6.3), and the tail loss probe (7).
 *
 * vtcp_t_sack_sender(.., VTCP_CFG_RACK): ISS 1000, MSS 1000, NewReno, cwnd
 * 10 segments, a 10 ms handshake: SRTT and min RTT 10 ms, so reo_wnd is
 * 2.5 ms and the PTO 20 ms.
 */
#include "harness.h"
#include "engine/output.h"
#include "engine/recovery.h"
#include "engine/seq.h"
#include "engine/sndq.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define S		(VTCP_T_ISS + 1)	/* the first data byte */
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC
#define US		NSEC_PER_USEC

static struct vtcp_t_conn *vtcp_t_rack(struct kunit *test, u32 n, u32 sent)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, VTCP_CFG_RACK);

	KUNIT_ASSERT_EQ(test, (int)(n * MSS), vtcp_t_write(c, NULL, n * MSS));
	KUNIT_ASSERT_EQ(test, vtcp_t_pending(c), sent);
	vtcp_t_drain(c);
	return c;
}

/*
 * RFC 8985 6.2 step 4: no window while no reordering was seen and either
 * recovery is under way or DupThresh segments are SACKed; else min_RTT/4
 * times the multiplier, at most SRTT + 4 RTTVAR (the RFC's SRTT; see
 * rack.c).
 */
static void rfc8985_reo_wnd_is_zero_until_reordering_is_seen(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, VTCP_CFG_RACK);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_ASSERT_EQ(test, tcb->rtt_min_us, 10000U);
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 2500U);
	tcb->sndq.sacked = 3 * MSS;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 0U);
	tcb->sndq.sacked = 2 * MSS;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 2500U);
	tcb->ca_state = VTCP_CA_RECOVERY;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 0U);
	tcb->rack_reord = 1;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 2500U);
	tcb->rack_reo_mult = 3;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 7500U);
	/* Past SRTT only as D-SACKs drive it, up to SRTT + 4 RTTVAR. */
	tcb->rack_reo_mult = 5;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb), 12500U);
	tcb->rack_reo_mult = 100;
	KUNIT_EXPECT_EQ(test, vtcp_rack_reo_wnd_us(tcb),
			tcb->srtt_us + 4 * tcb->rttvar_us);
	tcb->sndq.sacked = 0;
	tcb->ca_state = VTCP_CA_OPEN;
}

/*
 * RFC 8985 6.2 step 4: a D-SACK widens the window, once per round trip
 * (until SND.UNA passes what was SND.NXT then), here four times as wide
 * (the RFC adds a quarter min RTT; see rack.c) until it reaches its
 * ceiling; after 16 recoveries without one it halves (the RFC goes back
 * to one quarter).
 */
static void rfc8985_dsack_widens_reo_wnd_once_per_round(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;
	u32 base = S + 10 * MSS;

	KUNIT_EXPECT_EQ(test, tcb->rack_reo_mult, 1);
	vtcp_rack_update_reo_wnd(tcb, true);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_mult, 4);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_persist, 16);
	vtcp_rack_update_reo_wnd(tcb, true);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_mult, 4);
	c->now += 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, base, VTCP_T_WND));
	vtcp_rack_update_reo_wnd(tcb, true);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_mult, 16);

	/* The last of 16 recoveries without a D-SACK. */
	tcb->rack_reo_persist = 1;
	vtcp_t_write(c, NULL, 10 * MSS);
	vtcp_t_drain(c);
	c->now += 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, base, 1, base + MSS, base + 4 * MSS));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, base, RCV_NXT, MSS);
	c->now += 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, base + 10 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_mult, 8);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_persist, 16);

	/* At the ceiling, a D-SACK keeps the window where it is. */
	tcb->rack_reo_mult = 1000;
	c->now += 20 * MS;
	vtcp_t_write(c, NULL, MSS);
	vtcp_t_drain(c);
	vtcp_rack_update_reo_wnd(tcb, true);
	KUNIT_EXPECT_EQ(test, tcb->rack_reo_mult, 1000);
}

/*
 * RFC 8985 6.2 step 5: the first of ten segments sent together is lost
 * once the second has been SACKed and RACK.rtt + reo_wnd (20 + 2.5 ms)
 * have passed since it was sent; until then the reorder timer waits, and
 * its expiry starts recovery and the resend.
 */
static void rfc8985_loss_marked_after_rtt_and_reo_wnd_by_the_timer(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;
	u64 t0 = c->now;

	c->now = t0 + 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 2 * MSS));
	KUNIT_EXPECT_EQ(test, tcb->rack_rtt_us, 20000U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.lost, 0U);
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_DISORDER);
	KUNIT_EXPECT_EQ(test, tcb->deadline[VTCP_TIMER_REORDER],
			t0 + 22500 * US);
	VTCP_T_EXPECT_NOTHING(c);
	/* The probe timer passes meanwhile: with data SACKed, no probe. */
	vtcp_t_run_until(c, t0 + 22500 * US - 1);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, tcb->stats.rto_expirations, 0U);
}

/*
 * RFC 8985 6.2 step 3 and 3.3.2: a segment delivered below one delivered
 * before it, never resent, shows reordering; from then on reo_wnd holds
 * even with three segments SACKed above a hole, and the late segment is
 * never resent.
 */
static void rfc8985_reordering_is_tolerated_without_a_resend(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 20, 10);
	struct vtcp_tcb *tcb = &c->tcb;
	u64 t0 = c->now, t1;

	c->now = t0 + 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + 2 * MSS, S + 3 * MSS));
	c->now = t0 + 21 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 3 * MSS));
	KUNIT_EXPECT_TRUE(test, tcb->rack_reord);
	/* It arrived behind one segment sent after it: DupThresh is 3. */
	KUNIT_EXPECT_EQ(test, tcb->reordering, 3);
	c->now = t0 + 21500 * US;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 3 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->deadline[VTCP_TIMER_REORDER], 0ULL);
	vtcp_t_drain(c);

	/* Three SACKed above the next hole: still within the window. */
	t1 = t0 + 30 * MS;
	c->now = t1;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 3 * MSS, 1, S + 4 * MSS, S + 7 * MSS));
	KUNIT_EXPECT_EQ(test, tcb->sndq.lost, 0U);
	KUNIT_EXPECT_EQ(test, tcb->deadline[VTCP_TIMER_REORDER], t1 + 2500 * US);
	c->now = t1 + MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 7 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->stats.retrans_segs, 0U);
	KUNIT_EXPECT_EQ(test, tcb->stats.fast_retrans, 0U);
	KUNIT_EXPECT_EQ(test, tcb->sndq.lost, 0U);
}

/*
 * RFC 8985 3.3.1: a lost retransmission is detected like any loss, once a
 * segment sent after it is delivered and an RTT has passed: resent again
 * with no RTO.
 */
static void rfc8985_lost_retransmission_is_resent_without_rto(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 20, 10);
	struct vtcp_tcb *tcb = &c->tcb;
	u64 t0 = c->now;
	struct vtcp_t_out *o;
	bool again = false;

	c->now = t0 + 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 4 * MSS));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	/* More SACKs: PRR lets a new segment out, sent after the resend. */
	c->now = t0 + 22 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 7 * MSS));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 10 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	/* That one arrives; the resend of the first did not. */
	c->now = t0 + 42 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 11 * MSS));
	while ((o = vtcp_t_pop(c)))
		again |= o->out.seq == S && o->out.len == MSS;
	KUNIT_EXPECT_TRUE(test, again);
	KUNIT_EXPECT_EQ(test, vtcp_txseg_find(&tcb->sndq, S)->xmits, 3);
	KUNIT_EXPECT_EQ(test, tcb->stats.rto_expirations, 0U);
}

/*
 * RFC 8985 6.3: on an RTO the first segment and those sent more than
 * RACK.rtt + reo_wnd ago are lost; those sent just before may still be
 * on their way and are not resent.
 */
static void rfc8985_rto_marks_only_segments_that_timed_out(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 5, 5);
	struct vtcp_tcb *tcb = &c->tcb;
	u64 t0 = c->now;
	struct vtcp_txseg *seg;

	c->now = t0 + 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + MSS, VTCP_T_WND));
	/* The probe goes first, and resends the fifth segment. */
	vtcp_t_run_until(c, tcb->deadline[VTCP_TIMER_TLP]);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, S + 4 * MSS, RCV_NXT, MSS);
	/* Three more go just before the RTO. */
	c->now = tcb->deadline[VTCP_TIMER_RTO] - 2 * MS;
	vtcp_t_write(c, NULL, 3 * MSS);
	vtcp_t_drain(c);
	vtcp_t_run_until(c, tcb->deadline[VTCP_TIMER_RTO]);
	KUNIT_EXPECT_EQ(test, tcb->stats.rto_expirations, 1U);
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, tcb->sndq.lost, 4U * MSS);
	vtcp_txseg_for_each(seg, &tcb->sndq)
		KUNIT_EXPECT_EQ(test, !!(seg->flags & VTCP_TXSEG_LOST),
				vtcp_seq_lt(seg->seq, S + 5 * MSS));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 8985 7.2-7.3: the last two segments lost, no ACK follows: after a
 * PTO of 2 SRTT the last segment is resent as a probe; its SACK lets
 * RACK mark the other lost and recovery resend it, without an RTO.
 */
static void rfc8985_tail_loss_probe_repairs_the_tail_without_rto(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 10, 10);
	struct vtcp_tcb *tcb = &c->tcb;
	u64 t0 = c->now;

	c->now = t0 + 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 8 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->deadline[VTCP_TIMER_TLP], t0 + 30 * MS);
	vtcp_t_run_until(c, t0 + 30 * MS - 1);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 1);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, S + 9 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, tcb->stats.tlp_probes, 1U);
	KUNIT_EXPECT_TRUE(test, tcb->tlp_active && tcb->tlp_retrans);
	KUNIT_EXPECT_EQ(test, tcb->deadline[VTCP_TIMER_RTO], c->now + 200 * MS);

	c->now = t0 + 40 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 8 * MSS, 1, S + 9 * MSS, S + 10 * MSS));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 8 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, tcb->stats.rto_expirations, 0U);
}

/*
 * RFC 8985 7.3: with data waiting and the peer's window open, the probe
 * is one new segment, whatever cwnd says.
 */
static void rfc8985_tail_loss_probe_sends_new_data_past_cwnd(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 20, 10);
	struct vtcp_tcb *tcb = &c->tcb;

	KUNIT_EXPECT_EQ(test, vtcp_in_flight(tcb), tcb->cwnd);
	vtcp_t_advance(c, 20 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 10 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_TRUE(test, tcb->tlp_active);
	KUNIT_EXPECT_FALSE(test, tcb->tlp_retrans);
	KUNIT_EXPECT_EQ(test, tcb->tlp_high_seq, S + 11 * MSS);
}

/* The last segment is lost; only the probe's copy may arrive. */
static struct vtcp_t_conn *vtcp_t_probed(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_rack(test, 10, 10);
	u64 t0 = c->now;

	c->now = t0 + 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 9 * MSS, VTCP_T_WND));
	/* One segment in flight: PTO 2 SRTT + 200 ms, capped by the RTO. */
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_TLP],
			c->tcb.deadline[VTCP_TIMER_RTO]);
	vtcp_t_advance(c, 200 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, S + 9 * MSS, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.rto_expirations, 0U);
	KUNIT_EXPECT_EQ(test, c->tcb.tlp_high_seq, S + 10 * MSS);
	return c;
}

/*
 * RFC 8985 7.4: the ACK of the probe and of data beyond it, with no
 * D-SACK: the probe repaired a loss, and the window comes down.
 */
static void rfc8985_probe_that_repaired_a_loss_reduces_cwnd(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_probed(test);
	struct vtcp_tcb *tcb = &c->tcb;

	c->now += 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 10 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_TRUE(test, tcb->tlp_active);
	vtcp_t_write(c, NULL, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, S + 10 * MSS, RCV_NXT, MSS);
	c->now += 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 11 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_FALSE(test, tcb->tlp_active);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, 2U * MSS);
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 2U * MSS);
}

/* RFC 8985 7.4: a D-SACK for the probe: the original arrived, no loss. */
static void rfc8985_probe_reported_as_duplicate_keeps_cwnd(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_probed(test);
	struct vtcp_tcb *tcb = &c->tcb;
	u32 ssthresh = tcb->ssthresh;

	c->now += 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S + 10 * MSS, 1, S + 9 * MSS, S + 10 * MSS));
	KUNIT_EXPECT_EQ(test, tcb->stats.dsacks, 1U);
	KUNIT_EXPECT_FALSE(test, tcb->tlp_active);
	vtcp_t_write(c, NULL, MSS);
	vtcp_t_drain(c);
	c->now += 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 11 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, ssthresh);
	KUNIT_EXPECT_GT(test, tcb->cwnd, 10U * MSS);
}

static struct kunit_case vtcp_rack_cases[] = {
	KUNIT_CASE(rfc8985_reo_wnd_is_zero_until_reordering_is_seen),
	KUNIT_CASE(rfc8985_dsack_widens_reo_wnd_once_per_round),
	KUNIT_CASE(rfc8985_loss_marked_after_rtt_and_reo_wnd_by_the_timer),
	KUNIT_CASE(rfc8985_reordering_is_tolerated_without_a_resend),
	KUNIT_CASE(rfc8985_lost_retransmission_is_resent_without_rto),
	KUNIT_CASE(rfc8985_rto_marks_only_segments_that_timed_out),
	KUNIT_CASE(rfc8985_tail_loss_probe_repairs_the_tail_without_rto),
	KUNIT_CASE(rfc8985_tail_loss_probe_sends_new_data_past_cwnd),
	KUNIT_CASE(rfc8985_probe_that_repaired_a_loss_reduces_cwnd),
	KUNIT_CASE(rfc8985_probe_reported_as_duplicate_keeps_cwnd),
	{}
};

static struct kunit_suite vtcp_rack_suite = {
	.name = "vtcp_rack",
	.test_cases = vtcp_rack_cases,
};

kunit_test_suite(vtcp_rack_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmission: the RTO (RFC 6298) with backoff, Karn's rule and the
 * give-up rules (RFC 9293 3.8.3, RFC 5482); fast retransmit and fast
 * recovery (RFC 5681 3.2) on exactly the duplicate ACKs RFC 5681 2
 * defines, limited transmit (RFC 3042) and NewReno (RFC 6582).
 *
 * vtcp_t_established(): ISS 1000, MSS 1000, a 10 ms handshake sample so
 * RTO 200 ms, cwnd 10 segments, the peer's window 65535.
 */
#include "harness.h"
#include "engine/recovery.h"
#include "engine/seq.h"
#include "engine/sndq.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define SND_NXT		(VTCP_T_ISS + 1)
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC

/* Write @n full segments' worth and check that the first @sent leave. */
static void vtcp_t_send_segs(struct vtcp_t_conn *c, u32 n, u32 sent)
{
	u32 seq = c->tcb.snd_nxt;
	u32 end = vtcp_sndq_end(&c->tcb.sndq) + n * MSS;
	u32 i;

	KUNIT_ASSERT_EQ(c->test, (int)(n * MSS), vtcp_t_write(c, NULL, n * MSS));
	for (i = 0; i < sent; i++, seq += MSS)
		VTCP_T_EXPECT_SEG(c, seq + MSS == end ? VTCP_TH_ACK | VTCP_TH_PSH :
				  VTCP_TH_ACK, seq, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
}

static enum vtcp_drop_reason vtcp_t_dupack(struct vtcp_t_conn *c, u32 ack)
{
	return vtcp_t_ack(c, RCV_NXT, ack, VTCP_T_WND);
}

/*
 * RFC 6298 5.4-5.6 and RFC 5681 3.1: the RTO resends the earliest segment
 * only, doubles the timer, and leaves cwnd one segment with ssthresh at
 * half the flight; a second expiration keeps ssthresh.
 */
static void rfc6298_rto_resends_earliest_segment_and_backs_off(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u64 sent = c->now;

	vtcp_t_send_segs(c, 3, 3);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], sent + 200 * MS);
	vtcp_t_advance(c, 200 * MS - 1);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 1);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.ssthresh, 2 * MSS);	/* max(1500, 2 MSS) */
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, c->tcb.backoff, 1);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], c->now + 400 * MS);

	vtcp_t_advance(c, 400 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.backoff, 2);
	KUNIT_EXPECT_EQ(test, c->tcb.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], c->now + 800 * MS);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.rto_expirations, 2U);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.retrans_segs, 2U);
}

/*
 * RFC 6298 5.3 and Karn (RFC 6298 3): an ACK of new data restarts the
 * timer with the un-backed-off RTO, and an ACK of retransmitted data
 * gives no sample. After an RTO the rest follows in slow start.
 */
static void rfc6298_ack_after_rto_restarts_timer_without_sample(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u32 srtt = c->tcb.srtt_us, rto = c->tcb.rto_us;

	vtcp_t_send_segs(c, 3, 3);
	vtcp_t_advance(c, 200 * MS);
	vtcp_t_drain(c);
	c->now += 50 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.srtt_us, srtt);
	KUNIT_EXPECT_EQ(test, c->tcb.rto_us, rto);
	KUNIT_EXPECT_EQ(test, c->tcb.backoff, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], c->now + rto * 1000ULL);
	/* Slow start from one segment: two go, both resends. */
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 2 * MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT + 2 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	/* Recovery ends once everything sent before the RTO is acked. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + 3 * MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
}

/*
 * Karn for the whole ACK: one that covers a resent segment gives no
 * sample, not even from the segments sent once behind it; they waited
 * for the resend, and timing them would count the RTO.
 */
static void rfc6298_karn_no_sample_from_ack_covering_a_resend(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u32 srtt = c->tcb.srtt_us, rttvar = c->tcb.rttvar_us;

	vtcp_t_send_segs(c, 3, 3);
	vtcp_t_advance(c, 200 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	c->now += 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + 3 * MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.srtt_us, srtt);
	KUNIT_EXPECT_EQ(test, c->tcb.rttvar_us, rttvar);
	KUNIT_EXPECT_EQ(test, c->tcb.rto_us, 200000U);
}

/* RFC 7323 4.1: a timestamp echo times even a retransmitted segment. */
static void rfc7323_timestamp_echo_times_retransmission(struct kunit *test)
{
	/* The peer's MSS leaves MSS bytes of data beside the timestamps. */
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_TS,
		.mss = MSS + VTCP_OPTLEN_TS_ALIGNED, .tsval = 7, .tsecr = 0,
	};
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT + MSS,
		.wnd = VTCP_T_WND, .opt = { .present = VTCP_TCPOPT_TS, .tsval = 8 },
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_out *o;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_TIMESTAMPS;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_EQ(test, c->tcb.srtt_us, 10000U);
	vtcp_t_write(c, NULL, MSS);
	vtcp_t_drain(c);
	vtcp_t_advance(c, 200 * MS);
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, MSS);
	KUNIT_ASSERT_NOT_NULL(test, o);
	/* The peer echoes the resend's timestamp 30 ms later. */
	ack.opt.tsecr = o->out.opt.tsval;
	c->now += 30 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	/* 7/8 * 10 ms + 1/8 * 30 ms */
	KUNIT_EXPECT_EQ(test, c->tcb.srtt_us, 12500U);
}

/*
 * RFC 9293 3.8.3 R2: after cfg.retries expirations the connection ends
 * with ETIMEDOUT: here 3 resends at 200, 600 and 1400 ms, the end at 3 s.
 */
static void rfc9293_gives_up_after_retry_limit(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u64 sent;
	int i;

	vtcp_t_cfg(&cfg);
	cfg.retries = 3;
	c = vtcp_t_established(test, &cfg);
	sent = c->now;
	vtcp_t_send_segs(c, 1, 1);
	for (i = 0; i < 3; i++) {
		vtcp_t_advance(c, (200 * MS) << i);
		VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, MSS);
	}
	vtcp_t_advance(c, 1600 * MS - 1);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, (int)c->tcb.err);
	KUNIT_EXPECT_EQ(test, c->now - sent, 3000 * MS);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_ERROR);
	/* No RST: the peer is unreachable anyway (as Linux). */
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.bytes, 0U);
}

/*
 * RFC 5482 / RFC 9293 3.8.3: with a user timeout, data unacknowledged
 * that long ends the connection then, not at the next backed-off RTO.
 */
static void rfc5482_user_timeout_ends_connection_on_time(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.user_timeout_ms = 1000;
	c = vtcp_t_established(test, &cfg);
	vtcp_t_send_segs(c, 1, 1);
	vtcp_t_advance(c, 200 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, MSS);
	vtcp_t_advance(c, 400 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, MSS);
	/* The next resend would be at 1400 ms: the user timeout comes first. */
	vtcp_t_advance(c, 400 * MS - 1);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, (int)c->tcb.err);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * The user timeout counts from the first transmission of the oldest data
 * still unacknowledged, not from an earlier send that was acknowledged.
 */
static void rfc5482_user_timeout_counts_from_oldest_unacked(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u64 sent;

	vtcp_t_cfg(&cfg);
	cfg.user_timeout_ms = 1000;
	c = vtcp_t_established(test, &cfg);
	vtcp_t_send_segs(c, 1, 1);
	c->now += 100 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + MSS));
	vtcp_t_advance(c, 500 * MS);
	sent = c->now;
	vtcp_t_send_segs(c, 1, 1);
	vtcp_t_run_until(c, sent + 1000 * MS - 1);
	KUNIT_EXPECT_EQ(test, vtcp_t_pending(c), 2U);	/* at 200, 600 ms */
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, (int)c->tcb.err);
}

/* A SYN resent during the handshake does not shorten the data's timeout. */
static void rfc5482_user_timeout_ignores_handshake_resends(struct kunit *test)
{
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = VTCP_T_IRS, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS },
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u64 sent;

	vtcp_t_cfg(&cfg);
	cfg.user_timeout_ms = 2000;
	c = vtcp_t_conn_new(test, &cfg);
	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	vtcp_t_advance(c, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	vtcp_t_drain(c);
	vtcp_t_advance(c, 1500 * MS);
	sent = c->now;
	vtcp_t_send_segs(c, 1, 1);
	vtcp_t_run_until(c, sent + 2000 * MS - 1);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/*
 * RFC 6298 5.7: after a lost SYN and no RTT sample, the RTO is 3 s once
 * the connection opens; RFC 5681 3.1: and the initial window one segment.
 */
static void rfc6298_rto_is_three_seconds_after_lost_syn(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = VTCP_T_IRS, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS },
	};

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	vtcp_t_advance(c, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, vtcp_t_pending(c), 2U);
	vtcp_t_drain(c);
	c->now += 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.srtt_us, 0U);
	KUNIT_EXPECT_EQ(test, c->tcb.rto_us, 3000000U);
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.backoff, 0);
}

/*
 * In a simultaneous open our SYN-ACK repeats the SYN without anything
 * having been lost: the initial window stays (RFC 6928) and the
 * handshake gives an RTT sample.
 */
static void rfc5681_simultaneous_open_is_no_lost_syn(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS },
	};

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	c->now += 5 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	c->now += 30 * MS;
	syn.flags |= VTCP_TH_ACK;
	syn.ack = SND_NXT;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.srtt_us, 30000U);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.retrans_segs, 0U);
}

/* Ten segments out; the first is lost and the peer starts dup-ACKing. */
static struct vtcp_t_conn *vtcp_t_ten_out(struct kunit *test,
					  const struct vtcp_cfg *cfg,
					  u32 extra)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, cfg);

	c->tcb.quickacks = 0;
	vtcp_t_send_segs(c, 10 + extra, 10);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_nxt, SND_NXT + 10 * MSS);
	return c;
}

/*
 * RFC 5681 3.2: the third duplicate ACK, not the second, resends the
 * segment at SND.UNA at once; ssthresh drops to half the flight. cwnd is
 * PRR's (RFC 6937): the pipe (10 sent, 3 duplicate-ACKed, 1 lost: 6) plus
 * the one segment the first ACK of recovery always lets go.
 */
static void rfc5681_fast_retransmit_on_third_duplicate_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 0);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.dupacks, 2);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_DISORDER);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, c->tcb.ssthresh, 5 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 7 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.recover, SND_NXT + 10 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.fast_retrans, 1U);
	/* More duplicates do not resend it again. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_NOTHING(c);
}

/* The same with SACK in use: the duplicates carry SACK blocks. */
static void rfc5681_fast_retransmit_with_sack_negotiated(struct kunit *test)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK, .mss = MSS,
	};
	struct vtcp_t_seg dup = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_SACK, .nsack = 1 },
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	int i;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_SACK;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_TRUE(test, c->tcb.sack_ok);
	vtcp_t_send_segs(c, 10, 10);
	for (i = 0; i < 3; i++) {
		dup.opt.sack[0].start = SND_NXT + MSS;
		dup.opt.sack[0].end = SND_NXT + (2 + i) * MSS;
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &dup));
	}
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
}

/* RFC 5681 2 (b): an ACK that carries data is no duplicate. */
static void rfc5681_ack_carrying_data_is_not_duplicate(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 0);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .ack = SND_NXT, .wnd = VTCP_T_WND, .len = 10,
	};
	struct vtcp_t_out *o;
	int i;

	for (i = 0; i < 5; i++) {
		data.seq = RCV_NXT + 10 * i;
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	}
	KUNIT_EXPECT_EQ(test, c->tcb.dupacks, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	while ((o = vtcp_t_pop(c)))
		KUNIT_EXPECT_EQ(test, o->out.len, 0U);	/* ACKs of the data only */
}

/* RFC 5681 2 (e): an ACK that changes the window is no duplicate. */
static void rfc5681_ack_changing_window_is_not_duplicate(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 0);
	int i;

	for (i = 1; i <= 5; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, RCV_NXT, SND_NXT, VTCP_T_WND - i));
	KUNIT_EXPECT_EQ(test, c->tcb.dupacks, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 5681 2 (a): with nothing outstanding, no ACK is a duplicate. */
static void rfc5681_ack_with_nothing_outstanding_is_not_duplicate(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	int i;

	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	KUNIT_EXPECT_EQ(test, c->tcb.dupacks, 0);
	vtcp_t_send_segs(c, 10, 10);
	/* The earlier ones do not count towards the three. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	KUNIT_EXPECT_EQ(test, c->tcb.dupacks, 1);
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 5681 2 (c): an ACK with FIN (or SYN) is no duplicate. */
static void rfc5681_ack_with_fin_is_not_duplicate(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 0);
	struct vtcp_t_seg fin = {
		.flags = VTCP_TH_ACK | VTCP_TH_FIN, .seq = RCV_NXT, .ack = SND_NXT,
		.wnd = VTCP_T_WND,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &fin));
	KUNIT_EXPECT_EQ(test, c->tcb.dupacks, 2);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_DISORDER);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 10 * MSS, RCV_NXT + 1, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 3042: the first two duplicates each let one new segment out, if
 * there is one; the third still triggers the fast retransmit.
 */
static void rfc3042_limited_transmit_on_first_two_duplicates(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 5);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 10 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 11 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	/* ssthresh from the flight: 12 segments. */
	KUNIT_EXPECT_EQ(test, c->tcb.ssthresh, 6 * MSS);
}

/*
 * RFC 6582 3.2 step 5: a partial ACK resends the next hole at once; the
 * full ACK ends recovery with cwnd = min(ssthresh, max(FlightSize, MSS) +
 * MSS) (step 3, option 1). Segments 1 and 5 of 10 are lost.
 */
static void rfc6582_partial_ack_resends_next_hole(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 0);
	int i;

	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	/* The resend fills the first hole: ACK up to the second. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + 4 * MSS));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 4 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.fast_retrans, 1U);
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	/* Full ACK: nothing left in flight, cwnd = min(5, 0 + 1 + 1) MSS. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + 10 * MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 2 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 6582 step 3 with data in flight at the full ACK, and new data sent
 * in recovery as the duplicates say segments left (RFC 5681 3.2 step 4).
 */
static void rfc6582_full_ack_sets_cwnd_from_flight(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 10);
	int i;

	/* Limited transmit: segments 11 and 12; then the resend. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 10 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 11 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.ssthresh, 6 * MSS);
	/* 9 segments in the pipe; duplicates 4 to 6 bring it to cwnd. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_NOTHING(c);
	/* Then each one lets a new segment go. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 12 * MSS, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 13 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	/* Full ACK of the first 12: 2 in flight, cwnd min(6, 2 + 1). */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, SND_NXT + 12 * MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 3 * MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 14 * MSS, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * A window of 400 segments, the first lost: the first two duplicates
 * send one new segment each (RFC 3042), the third halves the 402 in
 * flight, and from then on every duplicate beyond ssthresh's worth lets
 * one new segment out (RFC 5681 3.2 step 4): 2 + 399 - 201 of them,
 * counting duplicates past 255 too.
 */
static void rfc5681_recovery_counts_hundreds_of_duplicates(struct kunit *test)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE, .mss = MSS,
		.wscale = 7,
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u32 start, fresh = 0;
	struct vtcp_t_out *o;
	int i;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_WSCALE;
	cfg.sndbuf = 2 << 20;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT, 0xffff));
	/* 400 segments out, in two goes for the capture's sake. */
	c->tcb.cwnd = 200 * MSS;
	KUNIT_EXPECT_EQ(test, 800 * MSS, vtcp_t_write(c, NULL, 800 * MSS));
	vtcp_t_drain(c);
	c->tcb.cwnd = 400 * MSS;
	vtcp_t_write(c, NULL, 0);
	vtcp_t_drain(c);
	start = c->tcb.snd_nxt;
	KUNIT_ASSERT_EQ(test, start, SND_NXT + 400 * MSS);
	for (i = 0; i < 399; i++) {
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, RCV_NXT, SND_NXT, 0xffff));
		while ((o = vtcp_t_pop(c)))
			if (vtcp_seq_geq(o->out.seq, start))
				fresh++;
	}
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, c->tcb.ssthresh, 201 * MSS);
	KUNIT_EXPECT_EQ(test, fresh, 2U + 399 - 201);
}

/*
 * RFC 6582 3.2 step 2: duplicates whose ACK does not cover more than
 * "recover" (set by the last RTO) start no fast retransmit.
 */
static void rfc6582_no_fast_retransmit_below_recover(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ten_out(test, NULL, 10);
	u32 recover;
	int i;

	vtcp_t_advance(c, 200 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	recover = c->tcb.recover;
	KUNIT_EXPECT_EQ(test, recover, SND_NXT + 10 * MSS);
	/* The resend was all that was missing: everything is acked. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, recover));
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	vtcp_t_drain(c);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, recover));
	KUNIT_EXPECT_NE(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.fast_retrans, 0U);
	while (vtcp_t_pending(c))
		KUNIT_EXPECT_GE(test, vtcp_t_pop(c)->out.seq, recover + MSS);
	/* Past recover, three duplicates do. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, recover + MSS));
	vtcp_t_drain(c);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_dupack(c, recover + MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, recover + MSS, RCV_NXT, MSS);
}

static struct kunit_case vtcp_retrans_cases[] = {
	KUNIT_CASE(rfc6298_rto_resends_earliest_segment_and_backs_off),
	KUNIT_CASE(rfc6298_ack_after_rto_restarts_timer_without_sample),
	KUNIT_CASE(rfc6298_karn_no_sample_from_ack_covering_a_resend),
	KUNIT_CASE(rfc7323_timestamp_echo_times_retransmission),
	KUNIT_CASE(rfc9293_gives_up_after_retry_limit),
	KUNIT_CASE(rfc5482_user_timeout_ends_connection_on_time),
	KUNIT_CASE(rfc5482_user_timeout_counts_from_oldest_unacked),
	KUNIT_CASE(rfc5482_user_timeout_ignores_handshake_resends),
	KUNIT_CASE(rfc6298_rto_is_three_seconds_after_lost_syn),
	KUNIT_CASE(rfc5681_simultaneous_open_is_no_lost_syn),
	KUNIT_CASE(rfc5681_fast_retransmit_on_third_duplicate_ack),
	KUNIT_CASE(rfc5681_fast_retransmit_with_sack_negotiated),
	KUNIT_CASE(rfc5681_ack_carrying_data_is_not_duplicate),
	KUNIT_CASE(rfc5681_ack_changing_window_is_not_duplicate),
	KUNIT_CASE(rfc5681_ack_with_nothing_outstanding_is_not_duplicate),
	KUNIT_CASE(rfc5681_ack_with_fin_is_not_duplicate),
	KUNIT_CASE(rfc3042_limited_transmit_on_first_two_duplicates),
	KUNIT_CASE(rfc6582_partial_ack_resends_next_hole),
	KUNIT_CASE(rfc6582_full_ack_sets_cwnd_from_flight),
	KUNIT_CASE(rfc6582_no_fast_retransmit_below_recover),
	KUNIT_CASE(rfc5681_recovery_counts_hundreds_of_duplicates),
	{}
};

static struct kunit_suite vtcp_retrans_suite = {
	.name = "vtcp_retrans",
	.test_cases = vtcp_retrans_cases,
};

kunit_test_suite(vtcp_retrans_suite);

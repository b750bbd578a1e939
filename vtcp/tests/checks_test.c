// SPDX-License-Identifier: GPL-2.0
/*
 * What a synchronized connection accepts (RFC 9293 3.10.7.4): the sequence
 * number test, PAWS (RFC 7323 5), and the RFC 5961 defences against blind
 * RST, SYN and data injection, with their rate-limited challenge ACKs.
 *
 * The connection is vtcp_t_established()'s: ISS 1000, IRS 5000, so
 * SND.NXT 1001, RCV.NXT 5001, and a receive window of 65535 unscaled.
 */
#include "harness.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define SND_NXT		(VTCP_T_ISS + 1)

static struct vtcp_t_seg vtcp_t_rst(u32 seq)
{
	struct vtcp_t_seg s = { .flags = VTCP_TH_RST, .seq = seq };

	return s;
}

/* RFC 5961 3.2: a RST exactly at RCV.NXT resets the connection. */
static void rfc5961_rst_exact_seq_resets(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg rst = vtcp_t_rst(RCV_NXT);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ECONNRESET, (int)c->tcb.err);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_CLOSED);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_ERROR);
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
	/* Nothing answers a RST. */
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 5961 3.2: in the window but not exact: a challenge ACK, no reset. */
static void rfc5961_rst_in_window_but_not_exact_gets_challenge_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg rst = vtcp_t_rst(RCV_NXT + 1);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_RST_CHALLENGED, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0, 65535);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.challenge_acks, 1U);

	/* The last byte of the window is still "in the window". */
	rst = vtcp_t_rst(RCV_NXT + 65534);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_RST_CHALLENGED, vtcp_t_input(c, &rst));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
}

/* RFC 5961 3.2: a RST outside the window is dropped without a word. */
static void rfc5961_rst_out_of_window_is_dropped_silently(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg past = vtcp_t_rst(RCV_NXT + 65535);
	struct vtcp_t_seg before = vtcp_t_rst(RCV_NXT - 1);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &past));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &before));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * A RST carrying payload that starts before RCV.NXT and reaches into the
 * window: trimming it must not turn it into an exact match, or a blind
 * attacker gains a factor of the payload length (RFC 5961 3.2).
 */
static void rfc5961_rst_with_payload_before_rcv_nxt_gets_challenge_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg rst = {
		.flags = VTCP_TH_RST, .seq = RCV_NXT - 100, .len = 200,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_RST_CHALLENGED, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT);
}

/* RFC 5961 4.2: a SYN in a synchronized state, whatever its sequence. */
static void rfc5961_syn_in_synchronized_state_gets_challenge_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = RCV_NXT + 10, .wnd = 1000,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_SYN_CHALLENGED, vtcp_t_input(c, &syn));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	/* Outside the window too; and a SYN-ACK is no different. */
	syn.seq = RCV_NXT + 1000000;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &syn));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	syn.seq = RCV_NXT;
	syn.flags |= VTCP_TH_ACK;
	syn.ack = SND_NXT;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_SYN_CHALLENGED, vtcp_t_input(c, &syn));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.challenge_acks, 3U);
	KUNIT_EXPECT_EQ(test, c->tcb.err, 0);
}

/* RFC 9293 3.10.7.4 fifth: SEG.ACK > SND.NXT: send an ACK, drop it all. */
static void rfc5961_ack_above_snd_nxt_is_acked_and_dropped(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT + 1,
		.wnd = VTCP_T_WND, .len = 100,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_BAD_ACK, vtcp_t_input(c, &data));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ready_bytes, 0U);
}

/*
 * RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT is acceptable
 * (an old ACK is ignored, its data taken); below that, challenge and drop.
 */
static void rfc5961_ack_below_snd_una_minus_max_wnd_is_challenged(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT - 65535,
		.wnd = VTCP_T_WND, .len = 100,
	};

	c->tcb.quickacks = 0;
	KUNIT_EXPECT_EQ(test, c->tcb.max_wnd, 65535U);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 100);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, SND_NXT);
	VTCP_T_EXPECT_NOTHING(c);	/* one segment: the ACK is delayed */

	data.seq = RCV_NXT + 100;
	data.ack = SND_NXT - 65536;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_BAD_ACK, vtcp_t_input(c, &data));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 100, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 100);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.challenge_acks, 1U);
}

/* RFC 5961 7: at most VTCP_CHALLENGE_LIMIT challenge ACKs a second. */
static void rfc5961_challenge_acks_are_rate_limited(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg rst = vtcp_t_rst(RCV_NXT + 5);
	int i;

	for (i = 0; i < 15; i++) {
		KUNIT_EXPECT_EQ(test, VTCP_DROP_RST_CHALLENGED,
				vtcp_t_input(c, &rst));
		c->now += 10 * NSEC_PER_MSEC;
	}
	KUNIT_EXPECT_EQ(test, vtcp_t_pending(c), 10U);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.challenge_acks, 10U);
	vtcp_t_drain(c);
	/* A second after the first one, the budget is back. */
	vtcp_t_advance(c, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_RST_CHALLENGED, vtcp_t_input(c, &rst));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
}

/* RFC 9293 3.10.7.4 table 6: old and future data get an ACK, nothing else. */
static void rfc9293_unacceptable_segment_gets_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg old = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT - 1000, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .len = 1000,
	};
	struct vtcp_t_seg future = old;
	struct vtcp_t_seg bare = old;

	future.seq = RCV_NXT + 65535;
	bare.seq = RCV_NXT + 65535;
	bare.len = 0;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &old));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &future));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &bare));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ooo_bytes + c->tcb.rcvq.ready_bytes, 0U);
}

/*
 * A retransmission of data we have means our ACK was lost: each gets its
 * ACK, however many come (as Linux); bare out-of-window ACKs share the
 * rate limit of challenge ACKs so that no ACK loop can start.
 */
static void rfc9293_duplicate_data_is_always_acked(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg old = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT - 1000, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .len = 1000,
	};
	struct vtcp_t_seg bare = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT + 70000, .ack = SND_NXT,
		.wnd = VTCP_T_WND,
	};
	int i;

	for (i = 0; i < 15; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &old));
	KUNIT_EXPECT_EQ(test, vtcp_t_pending(c), 15U);
	vtcp_t_drain(c);
	for (i = 0; i < 15; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &bare));
	KUNIT_EXPECT_EQ(test, vtcp_t_pending(c), 10U);
}

/* RFC 9293 3.10.7.4: a segment without ACK is dropped once synchronized. */
static void rfc9293_segment_without_ack_is_dropped(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_PSH, .seq = RCV_NXT, .wnd = VTCP_T_WND, .len = 10,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &data));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 6093: the urgent pointer is accepted and the urgent data delivered
 * inline, in sequence, like any other; a pointer past the data changes
 * nothing.
 */
static void rfc6093_urgent_data_is_delivered_inline(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg urg = {
		.flags = VTCP_TH_ACK | VTCP_TH_URG | VTCP_TH_PSH, .seq = RCV_NXT,
		.ack = SND_NXT, .wnd = VTCP_T_WND, .data = "0123456789", .len = 10,
		.urg = 5,
	};
	u8 buf[20];

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &urg));
	urg.seq += 10;
	urg.data = "abcdefghij";
	urg.urg = 5000;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &urg));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 20);
	KUNIT_ASSERT_EQ(test, vtcp_t_read(c, buf, sizeof(buf)), 20U);
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, "0123456789abcdefghij", 20));
}

/* Only the new part of a segment straddling RCV.NXT is taken. */
static void rfc9293_segment_straddling_rcv_nxt_is_trimmed(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u8 data[200], buf[200];
	struct vtcp_t_seg seg = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT - 100, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .len = 200, .data = data,
	};
	int i;

	for (i = 0; i < 200; i++)
		data[i] = i;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 100);
	KUNIT_ASSERT_EQ(test, vtcp_t_read(c, buf, sizeof(buf)), 100U);
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, data + 100, 100));
}

/* A connection whose receive window is closed: rcvbuf 4000, all unread. */
static struct vtcp_t_conn *vtcp_t_zero_window(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_seg seg = {
		.flags = VTCP_TH_ACK, .ack = SND_NXT, .wnd = VTCP_T_WND,
		.len = 1000,
	};
	int i;

	vtcp_t_cfg(&cfg);
	cfg.rcvbuf = 4000;
	c = vtcp_t_established(test, &cfg);
	for (i = 0; i < 4; i++) {
		seg.seq = RCV_NXT + i * 1000;
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
	}
	/* Quick ACKs at the start: one for each, the last with window 0. */
	for (i = 0; i < 3; i++)
		VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 1000 * (i + 1),
				    0, 3000 - 1000 * i);
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 4000, 0, 0);
	return c;
}

/*
 * RFC 9293 3.10.7.4: with RCV.WND zero no data is acceptable, but ACKs,
 * RSTs at RCV.NXT are ("special allowance"), and a probe carrying data is
 * answered with an ACK that repeats the zero window (RFC 9293 3.8.6.1).
 */
static void rfc9293_zero_window_takes_acks_and_answers_probes(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_zero_window(test);
	struct vtcp_t_seg probe = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT + 4000, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .len = 1,
	};
	struct vtcp_t_seg rst = vtcp_t_rst(RCV_NXT + 4000);

	vtcp_t_write(c, NULL, 500);
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT + 4000,
			    500, 0);
	/* A one-byte probe at RCV.NXT: its byte is refused, its ACK used. */
	probe.ack = SND_NXT + 500;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &probe));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, SND_NXT + 500);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 4000);
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT + 500, RCV_NXT + 4000, 0, 0);
	/* Anything not at RCV.NXT is unacceptable: an ACK in reply. */
	probe.seq++;
	probe.len = 0;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &probe));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT + 500, RCV_NXT + 4000, 0, 0);
	/* And a RST exactly at RCV.NXT still resets. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 9293 3.10.7.4 fifth: the send window is updated only when
 * SND.UNA =< SEG.ACK; an old ACK, even on newer data, leaves it alone.
 */
static void rfc9293_old_ack_does_not_update_send_window(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT + 2000,
		.wnd = VTCP_T_WND, .len = 10,
	};

	vtcp_t_write(c, NULL, 2000);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, SND_NXT + 2000);
	data.seq += 10;
	data.ack = SND_NXT + 1000;
	data.wnd = 100;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 20);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, 65535U);
}

/* RFC 7323 2.2: the window of a <SYN,ACK> is never scaled. */
static void rfc7323_syn_ack_window_is_not_scaled(struct kunit *test)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE,
		.mss = VTCP_T_MSS, .wscale = 7,
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_WSCALE;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, 3000);
	KUNIT_EXPECT_TRUE(test, c->tcb.ws_ok);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wscale, 7);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, 3000U);
	/* Later segments are scaled. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT, 100));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, 100U << 7);
}

/* The same for the SYN-ACK that ends a simultaneous open. */
static void rfc7323_simultaneous_open_syn_ack_window_is_not_scaled(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = 4000,
		.opt = { .present = VTCP_TCPOPT_WSCALE, .wscale = 7 },
	};

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_WSCALE;
	c = vtcp_t_conn_new(test, &cfg);
	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	syn.flags |= VTCP_TH_ACK;
	syn.ack = SND_NXT;
	syn.wnd = 5000;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, 5000U);
}

/* A connection with timestamps; the peer's TSval is 100 so far. */
static struct vtcp_t_conn *vtcp_t_ts_conn(struct kunit *test)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_TS,
		.mss = VTCP_T_MSS, .tsval = 100, .tsecr = 1,
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_TIMESTAMPS;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_TRUE(test, c->tcb.ts_ok);
	KUNIT_ASSERT_EQ(test, c->tcb.ts_recent, 100U);
	c->tcb.quickacks = 0;
	return c;
}

static struct vtcp_t_seg vtcp_t_ts_data(u32 seq, u32 len, u32 tsval)
{
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_ACK, .seq = seq, .ack = SND_NXT, .wnd = VTCP_T_WND,
		.len = len,
		.opt = { .present = VTCP_TCPOPT_TS, .tsval = tsval, .tsecr = 1 },
	};

	return s;
}

/*
 * RFC 7323 5.3 R1: a segment whose TSval is older than TS.Recent is not
 * acceptable: ACK it (with our timestamp, echoing TS.Recent) and drop it.
 */
static void rfc7323_paws_drops_old_timestamp_with_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_conn(test);
	struct vtcp_t_seg old = vtcp_t_ts_data(RCV_NXT, 100, 99);
	struct vtcp_t_seg same = vtcp_t_ts_data(RCV_NXT, 100, 100);
	struct vtcp_t_seg newer = vtcp_t_ts_data(RCV_NXT + 100, 100, 101);
	struct vtcp_t_out *o;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_PAWS, vtcp_t_input(c, &old));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT);
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, (u32)o->out.flags, (u32)VTCP_TH_ACK);
	KUNIT_EXPECT_EQ(test, o->out.ack, RCV_NXT);
	KUNIT_EXPECT_EQ(test, (u32)o->out.opt.present, (u32)VTCP_TCPOPT_TS);
	KUNIT_EXPECT_EQ(test, o->out.opt.tsecr, 100U);
	KUNIT_EXPECT_EQ(test, o->out.opt.tsval,
			(u32)div_u64(c->now, NSEC_PER_MSEC));

	/* An equal timestamp passes (RFC 7323 5.3: "less than"). */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &same));
	VTCP_T_EXPECT_NOTHING(c);	/* delayed ACK */
	/*
	 * RFC 7323 4.3: the second segment lies beyond Last.ACK.sent, so
	 * TS.Recent keeps the first one's: the ACK echoes the earliest.
	 */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &newer));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 200);
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 100U);
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.ack, RCV_NXT + 200);
	KUNIT_EXPECT_EQ(test, o->out.opt.tsecr, 100U);
	/* Now SEG.SEQ = Last.ACK.sent: TS.Recent follows. */
	newer = vtcp_t_ts_data(RCV_NXT + 200, 100, 102);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &newer));
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 102U);
}

/* RFC 7323 5.2: PAWS does not apply to RSTs. */
static void rfc7323_paws_does_not_reject_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_conn(test);
	struct vtcp_t_seg rst = vtcp_t_ts_data(RCV_NXT, 0, 5);

	rst.flags = VTCP_TH_RST;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/* RFC 7323 5.5: a TS.Recent idle for more than 24 days is invalid. */
static void rfc7323_ts_recent_idle_24_days_is_invalidated(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_conn(test);
	struct vtcp_t_seg old = vtcp_t_ts_data(RCV_NXT, 100, 50);

	vtcp_t_advance(c, 24ULL * 24 * 3600 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_PAWS, vtcp_t_input(c, &old));
	vtcp_t_drain(c);
	vtcp_t_advance(c, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &old));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 100);
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 50U);
}

/*
 * RFC 7323 4.3: TS.Recent takes the TSval of the segment at Last.ACK.sent;
 * one beyond a hole does not move it, so a delayed segment's echo stays
 * right.
 */
static void rfc7323_ts_recent_follows_last_ack_sent_only(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_conn(test);
	struct vtcp_t_seg ooo = vtcp_t_ts_data(RCV_NXT + 1000, 100, 300);
	struct vtcp_t_seg fill = vtcp_t_ts_data(RCV_NXT, 1000, 200);
	struct vtcp_t_out *o;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ooo));
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 100U);
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.opt.tsecr, 100U);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &fill));
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 200U);
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.ack, RCV_NXT + 1100);
	KUNIT_EXPECT_EQ(test, o->out.opt.tsecr, 200U);
}

/*
 * RFC 7323 4.3 (2): a resent segment whose ACK was lost updates TS.Recent
 * (SEG.SEQ <= Last.ACK.sent), so the ACK times the resend rather than
 * the RTO before it (ibid. case C). A copy from far below, or with an
 * unacceptable ACK, does not.
 */
static void rfc7323_resent_duplicate_updates_ts_recent(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_conn(test);
	struct vtcp_t_seg seg = vtcp_t_ts_data(RCV_NXT, 100, 200);
	struct vtcp_t_out *o;

	c->tcb.quickacks = 1;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
	vtcp_t_drain(c);
	seg.opt.tsval = 500;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &seg));
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 100, 0);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.opt.tsecr, 500U);

	seg = vtcp_t_ts_data(RCV_NXT - 200000, 100, 900);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &seg));
	seg = vtcp_t_ts_data(RCV_NXT, 100, 900);
	seg.ack = SND_NXT + 1;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &seg));
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 500U);
}

static struct kunit_case vtcp_checks_cases[] = {
	KUNIT_CASE(rfc5961_rst_exact_seq_resets),
	KUNIT_CASE(rfc5961_rst_in_window_but_not_exact_gets_challenge_ack),
	KUNIT_CASE(rfc5961_rst_out_of_window_is_dropped_silently),
	KUNIT_CASE(rfc5961_rst_with_payload_before_rcv_nxt_gets_challenge_ack),
	KUNIT_CASE(rfc5961_syn_in_synchronized_state_gets_challenge_ack),
	KUNIT_CASE(rfc5961_ack_above_snd_nxt_is_acked_and_dropped),
	KUNIT_CASE(rfc5961_ack_below_snd_una_minus_max_wnd_is_challenged),
	KUNIT_CASE(rfc5961_challenge_acks_are_rate_limited),
	KUNIT_CASE(rfc9293_unacceptable_segment_gets_ack),
	KUNIT_CASE(rfc9293_duplicate_data_is_always_acked),
	KUNIT_CASE(rfc9293_segment_without_ack_is_dropped),
	KUNIT_CASE(rfc6093_urgent_data_is_delivered_inline),
	KUNIT_CASE(rfc9293_segment_straddling_rcv_nxt_is_trimmed),
	KUNIT_CASE(rfc9293_zero_window_takes_acks_and_answers_probes),
	KUNIT_CASE(rfc9293_old_ack_does_not_update_send_window),
	KUNIT_CASE(rfc7323_syn_ack_window_is_not_scaled),
	KUNIT_CASE(rfc7323_simultaneous_open_syn_ack_window_is_not_scaled),
	KUNIT_CASE(rfc7323_paws_drops_old_timestamp_with_ack),
	KUNIT_CASE(rfc7323_paws_does_not_reject_rst),
	KUNIT_CASE(rfc7323_ts_recent_idle_24_days_is_invalidated),
	KUNIT_CASE(rfc7323_ts_recent_follows_last_ack_sent_only),
	KUNIT_CASE(rfc7323_resent_duplicate_updates_ts_recent),
	{}
};

static struct kunit_suite vtcp_checks_suite = {
	.name = "vtcp_checks",
	.test_cases = vtcp_checks_cases,
};

kunit_test_suite(vtcp_checks_suite);

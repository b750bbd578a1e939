// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a connection (RFC 9293 3.5, 3.10.7.2, 3.10.7.3).
 */
#include "harness.h"

static void rfc9293_active_open_sends_syn_with_mss(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_out *o;

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, 4242, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_EQ(test, VTCP_SYN_SENT, c->tcb.state);
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, (u32)o->out.flags, (u32)VTCP_TH_SYN);
	KUNIT_EXPECT_EQ(test, o->out.seq, 4242U);
	KUNIT_EXPECT_EQ(test, o->out.len, 0U);
	KUNIT_EXPECT_TRUE(test, o->out.opt.present & VTCP_TCPOPT_MSS);
	KUNIT_EXPECT_EQ(test, o->out.opt.mss, 1460);
	/* No options were enabled: none offered. */
	KUNIT_EXPECT_FALSE(test, o->out.opt.present &
			   (VTCP_TCPOPT_TS | VTCP_TCPOPT_SACK_OK | VTCP_TCPOPT_WSCALE));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_nxt, 4243U);
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
}

static void rfc9293_syn_ack_establishes_and_is_acked(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, VTCP_T_ISS + 1);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, VTCP_T_IRS + 1);
	KUNIT_EXPECT_EQ(test, c->tcb.mss, VTCP_T_MSS);	/* peer's MSS */
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, VTCP_T_WND);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	/* RFC 6928: ten segments of initial window. */
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 10 * VTCP_T_MSS);
}

static void rfc9293_passive_open_answers_syn_with_syn_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_accepted(test, NULL);

	KUNIT_EXPECT_TRUE(test, c->tcb.passive);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, VTCP_T_ISS + 1);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, VTCP_T_IRS + 1);
}

/* RFC 9293 3.10.7.3: an ACK of something never sent gets a RST. */
static void rfc9293_syn_sent_bad_ack_gets_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg bad = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = 9, .ack = VTCP_T_ISS + 7,
		.wnd = 1000,
	};
	u32 segs_out;

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	vtcp_t_drain(c);
	segs_out = c->tcb.stats.segs_out;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_BAD_ACK, vtcp_t_input(c, &bad));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST, VTCP_T_ISS + 7, 0, 0);
	KUNIT_EXPECT_EQ(test, VTCP_SYN_SENT, c->tcb.state);
	/* The RST is the connection's, and counted. */
	KUNIT_EXPECT_EQ(test, c->tcb.stats.segs_out, segs_out + 1);
}

/* A RST that acknowledges our SYN refuses the connection. */
static void rfc9293_syn_sent_rst_refuses(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg rst = {
		.flags = VTCP_TH_RST | VTCP_TH_ACK, .seq = 0, .ack = VTCP_T_ISS + 1,
	};
	struct vtcp_t_seg rst_noack = { .flags = VTCP_TH_RST, .seq = 0 };

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	vtcp_t_drain(c);
	/* RFC 5961 3.2 in SYN-SENT: a RST without the ACK is ignored. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &rst_noack));
	KUNIT_EXPECT_EQ(test, VTCP_SYN_SENT, c->tcb.state);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ECONNREFUSED, (int)c->tcb.err);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_CLOSED);
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 9293 3.5 figure 8: both ends send SYN at once. */
static void rfc9293_simultaneous_open(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = 4000,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = 1200 },
	};
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = VTCP_T_IRS,
		.ack = VTCP_T_ISS + 1, .wnd = 4000,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = 1200 },
	};

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_EQ(test, VTCP_SYN_RECEIVED, c->tcb.state);
	/* Our SYN again, now with the ACK of theirs. */
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN | VTCP_TH_ACK, VTCP_T_ISS, VTCP_T_IRS + 1, 0);
	/* Their SYN-ACK: the duplicate SYN part is trimmed, the ACK counts. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, VTCP_T_ISS + 1);
	KUNIT_EXPECT_EQ(test, c->tcb.mss, 1200);
	KUNIT_EXPECT_FALSE(test, c->tcb.passive);
}

/* The SYN is resent with exponential backoff, then the open times out. */
static void rfc6298_syn_retransmits_then_times_out(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u64 start;
	int i;

	vtcp_t_cfg(&cfg);
	cfg.syn_retries = 3;
	c = vtcp_t_conn_new(test, &cfg);
	start = c->now;
	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN, VTCP_T_ISS, 0, 0);
	/* 1 s, then 2 s, then 4 s (RFC 6298 2.1 and 5.5). */
	for (i = 0; i < 3; i++) {
		vtcp_t_advance(c, (NSEC_PER_SEC << i) - 1);
		VTCP_T_EXPECT_NOTHING(c);
		vtcp_t_advance(c, 1);
		VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN, VTCP_T_ISS, 0, 0);
	}
	vtcp_t_advance(c, 8 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, (int)c->tcb.err);
	KUNIT_EXPECT_EQ(test, c->now - start, 15 * NSEC_PER_SEC);
	VTCP_T_EXPECT_NOTHING(c);
}

/* A lost SYN-ACK: the peer's SYN comes again and gets the SYN-ACK again. */
static void rfc9293_duplicate_syn_in_syn_received_resends_syn_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
	};

	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN | VTCP_TH_ACK, VTCP_T_ISS, VTCP_T_IRS + 1, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_DUPLICATE, vtcp_t_input(c, &syn));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN | VTCP_TH_ACK, VTCP_T_ISS, VTCP_T_IRS + 1, 0);
	KUNIT_EXPECT_EQ(test, VTCP_SYN_RECEIVED, c->tcb.state);
}

/* The SYN-ACK is resent, then the child gives up silently. */
static void rfc9293_syn_received_times_out_silently(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
	};

	vtcp_t_cfg(&cfg);
	cfg.synack_retries = 2;
	c = vtcp_t_conn_new(test, &cfg);
	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	vtcp_t_advance(c, 60 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, 3U, vtcp_t_pending(c));	/* first + 2 resends */
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, 0, (int)c->tcb.err);
}

/* A bad ACK in SYN-RECEIVED gets <SEQ=SEG.ACK><CTL=RST>. */
static void rfc9293_syn_received_unacceptable_ack_gets_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
	};
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK, .seq = VTCP_T_IRS + 1, .ack = VTCP_T_ISS + 99,
		.wnd = VTCP_T_WND,
	};

	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_BAD_ACK, vtcp_t_input(c, &ack));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST, VTCP_T_ISS + 99, 0, 0);
	KUNIT_EXPECT_EQ(test, VTCP_SYN_RECEIVED, c->tcb.state);
}

/* RFC 7323 and RFC 2018: options are in use only when both ends sent them. */
static void rfc7323_options_negotiated_from_syn(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_out *o;
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE | VTCP_TCPOPT_TS,
			 .mss = 1400, .wscale = 7, .tsval = 12345 },
	};

	vtcp_t_cfg(&cfg);
	cfg.flags = VTCP_CFG_SACK | VTCP_CFG_TIMESTAMPS | VTCP_CFG_WSCALE;
	cfg.rcvbuf = 1 << 20;
	c = vtcp_t_conn_new(test, &cfg);
	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	/* No SACK-permitted from the peer: none in the answer. */
	KUNIT_EXPECT_EQ(test, (u32)o->out.opt.present,
			(u32)(VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE | VTCP_TCPOPT_TS));
	KUNIT_EXPECT_EQ(test, o->out.opt.tsecr, 12345U);
	KUNIT_EXPECT_EQ(test, o->out.opt.wscale, 5);	/* 2^5 * 65535 >= 1 MiB */
	KUNIT_EXPECT_EQ(test, o->out.wnd, 65535U);	/* SYN-ACK: unscaled */
	KUNIT_EXPECT_TRUE(test, c->tcb.ts_ok);
	KUNIT_EXPECT_TRUE(test, c->tcb.ws_ok);
	KUNIT_EXPECT_FALSE(test, c->tcb.sack_ok);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wscale, 7);
	/* RFC 6691: the timestamps on every segment come off the MSS. */
	KUNIT_EXPECT_EQ(test, c->tcb.mss, 1400 - VTCP_OPTLEN_TS_ALIGNED);
}

/* Without the peer's window scale option, neither side scales. */
static void rfc7323_no_wscale_from_peer_means_no_scaling(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_out *o;
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
	};

	vtcp_t_cfg(&cfg);
	cfg.flags = VTCP_CFG_WSCALE;
	cfg.rcvbuf = 1 << 20;
	c = vtcp_t_conn_new(test, &cfg);
	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_FALSE(test, o->out.opt.present & VTCP_TCPOPT_WSCALE);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_wscale, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wscale, 0);
	/* MSS option absent: RFC 9293 3.7.1's default is 536. */
	KUNIT_EXPECT_EQ(test, c->tcb.mss, 536);
}

/*
 * The MSS we advertise and send is the path's (device MTU less headers),
 * clamped by the user's setting; we send no more than the peer's MSS
 * (RFC 9293 3.7.1), nor less than 64 bytes whatever it says.
 */
static void rfc9293_mss_is_clamped_both_ways(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_out *o;
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = VTCP_T_IRS,
		.ack = VTCP_T_ISS + 1, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = 1200 },
	};

	vtcp_t_cfg(&cfg);
	cfg.mss_clamp = 900;
	c = vtcp_t_conn_new(test, &cfg);
	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN, VTCP_T_ISS, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.opt.mss, 900);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_EXPECT_EQ(test, c->tcb.mss, 900);
	vtcp_t_drain(c);
	vtcp_t_write(c, NULL, 2000);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1, VTCP_T_IRS + 1, 900);

	/* A peer asking for a 10-byte MSS gets 64. */
	c = vtcp_t_conn_new(test, NULL);
	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	synack.opt.mss = 10;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_EXPECT_EQ(test, c->tcb.mss, 64);
}

static struct kunit_case vtcp_open_cases[] = {
	KUNIT_CASE(rfc9293_active_open_sends_syn_with_mss),
	KUNIT_CASE(rfc9293_syn_ack_establishes_and_is_acked),
	KUNIT_CASE(rfc9293_passive_open_answers_syn_with_syn_ack),
	KUNIT_CASE(rfc9293_syn_sent_bad_ack_gets_rst),
	KUNIT_CASE(rfc9293_syn_sent_rst_refuses),
	KUNIT_CASE(rfc9293_simultaneous_open),
	KUNIT_CASE(rfc6298_syn_retransmits_then_times_out),
	KUNIT_CASE(rfc9293_duplicate_syn_in_syn_received_resends_syn_ack),
	KUNIT_CASE(rfc9293_syn_received_times_out_silently),
	KUNIT_CASE(rfc9293_syn_received_unacceptable_ack_gets_rst),
	KUNIT_CASE(rfc7323_options_negotiated_from_syn),
	KUNIT_CASE(rfc7323_no_wscale_from_peer_means_no_scaling),
	KUNIT_CASE(rfc9293_mss_is_clamped_both_ways),
	{}
};

static struct kunit_suite vtcp_open_suite = {
	.name = "vtcp_open",
	.test_cases = vtcp_open_cases,
};

kunit_test_suite(vtcp_open_suite);

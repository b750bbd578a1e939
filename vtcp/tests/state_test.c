// SPDX-License-Identifier: GPL-2.0
/*
 * How connections end (RFC 9293 3.6, 3.10.4, 3.10.5, 3.10.7.4 eighth):
 * FIN in every state, half-close both ways, simultaneous close, TIME-WAIT
 * (RFC 1337, RFC 6191), close with unread data and data after close
 * (RFC 1122 4.2.2.13), abort, and RSTs for segments to no connection.
 *
 * ISS 1000 and IRS 5000: our FIN is 1001, the peer's 5001.
 */
#include "harness.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define SND_NXT		(VTCP_T_ISS + 1)

static enum vtcp_drop_reason vtcp_t_fin(struct vtcp_t_conn *c, u32 seq, u32 ack)
{
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_FIN | VTCP_TH_ACK, .seq = seq, .ack = ack,
		.wnd = VTCP_T_WND,
	};

	return vtcp_t_input(c, &s);
}

/* Our FIN is out: FIN-WAIT-1. */
static struct vtcp_t_conn *vtcp_t_fin_wait_1(struct kunit *test,
					     const struct vtcp_cfg *cfg)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, cfg);

	vtcp_t_shutdown(c);
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_1, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	return c;
}

/* And acknowledged: FIN-WAIT-2. */
static struct vtcp_t_conn *vtcp_t_fin_wait_2(struct kunit *test,
					     const struct vtcp_cfg *cfg)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_1(test, cfg);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT + 1,
							 VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_2, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	VTCP_T_EXPECT_NOTHING(c);
	return c;
}

/* Then the peer's FIN: TIME-WAIT, after our ACK of it. */
static struct vtcp_t_conn *vtcp_t_time_wait(struct kunit *test,
					    const struct vtcp_cfg *cfg)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_2(test, cfg);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT + 1));
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
	c->tcb.events = 0;
	return c;
}

/* RFC 9293 3.6 figure 12: the active close, and 2MSL in TIME-WAIT. */
static void rfc9293_active_close_through_time_wait(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_time_wait(test, NULL);
	u64 entered = c->now;

	/* Default TIME-WAIT: 60 s, and nothing else armed. */
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), entered + 60 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_LINGER],
			entered + 60 * NSEC_PER_SEC);
	KUNIT_EXPECT_TRUE(test, c->tcb.fin_received);
	vtcp_t_advance(c, 60 * NSEC_PER_SEC - 1);
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_CLOSED);
	KUNIT_EXPECT_EQ(test, c->tcb.err, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

/* The TIME-WAIT length is the connection's setting. */
static void vtcp_time_wait_length_is_configurable(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.time_wait_ms = 2500;
	c = vtcp_t_time_wait(test, &cfg);
	vtcp_t_advance(c, 2500 * NSEC_PER_MSEC - 1);
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/* A FIN that also acknowledges ours: FIN-WAIT-1 straight to TIME-WAIT. */
static void rfc9293_fin_wait_1_fin_acking_ours_enters_time_wait(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_1(test, NULL);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT + 1));
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
}

/* RFC 9293 3.6 figure 13: both FINs cross; CLOSING, then TIME-WAIT. */
static void rfc9293_simultaneous_close_goes_through_closing(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_1(test, NULL);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSING, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
	/* Our FIN is still unacknowledged: its timer runs. */
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT + 1, SND_NXT + 1, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_LINGER], 0ULL);
}

/* In CLOSING the peer's FIN comes again: ACK it, stay. */
static void rfc9293_closing_reacks_repeated_fin(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_1(test, NULL);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSING, c->tcb.state);
}

/* The FIN is retransmitted like data until it is acknowledged. */
static void rfc9293_fin_is_retransmitted_in_fin_wait_1(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_1(test, NULL);

	/* RTO 200 ms after the handshake's 10 ms sample, then backoff. */
	vtcp_t_advance(c, 200 * NSEC_PER_MSEC);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	vtcp_t_advance(c, 400 * NSEC_PER_MSEC);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_1, c->tcb.state);
}

/*
 * RFC 9293 3.6 figure 12, the passive side: the peer's FIN makes
 * CLOSE-WAIT, the reader sees the end, we may still send (half-close),
 * our FIN makes LAST-ACK and its ACK ends the connection.
 */
static void rfc9293_passive_close_through_close_wait_and_last_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u8 buf[16];

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSE_WAIT, c->tcb.state);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_READABLE);
	KUNIT_EXPECT_TRUE(test, c->tcb.fin_received);
	/* The FIN is acknowledged at once (RFC 9293 3.10.7.4 eighth). */
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 1, 0);
	KUNIT_EXPECT_EQ(test, vtcp_t_read(c, buf, sizeof(buf)), 0U);

	/* Half-closed: our direction still carries data. */
	KUNIT_EXPECT_EQ(test, vtcp_t_write(c, "bye", 3), 3);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT + 1, 3);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT + 1, SND_NXT + 3, VTCP_T_WND));

	vtcp_t_shutdown(c);
	KUNIT_EXPECT_EQ(test, VTCP_LAST_ACK, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT + 3, RCV_NXT + 1, 0);
	/* An ACK short of our FIN changes nothing. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT + 1, SND_NXT + 3, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_LAST_ACK, c->tcb.state);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT + 1, SND_NXT + 4, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.err, 0);
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
	VTCP_T_EXPECT_NOTHING(c);
}

/* LAST-ACK resends the FIN until it is acknowledged. */
static void rfc9293_last_ack_retransmits_fin(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	vtcp_t_shutdown(c);
	vtcp_t_drain(c);
	vtcp_t_advance(c, 200 * NSEC_PER_MSEC);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT + 1, 0);
	KUNIT_EXPECT_EQ(test, VTCP_LAST_ACK, c->tcb.state);
	/* The peer's FIN again (our ACK was lost): ACK it. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
}

/* Half-close the other way: after our FIN, the peer's data still comes. */
static void rfc9293_fin_wait_2_still_receives_data(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_2(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK | VTCP_TH_PSH, .seq = RCV_NXT, .ack = SND_NXT + 1,
		.wnd = VTCP_T_WND, .data = "late", .len = 4,
	};
	u8 buf[8];

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 4, 0);
	KUNIT_ASSERT_EQ(test, vtcp_t_read(c, buf, sizeof(buf)), 4U);
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, "late", 4));
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_2, c->tcb.state);
	/* Not an orphan: FIN-WAIT-2 waits for the peer as long as it takes. */
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
}

/* RFC 9293 3.10.7.4: TIME-WAIT ACKs the FIN again and restarts 2MSL. */
static void rfc9293_time_wait_reacks_fin_and_restarts_2msl(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_time_wait(test, NULL);

	vtcp_t_advance(c, 30 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW,
			vtcp_t_fin(c, RCV_NXT, SND_NXT + 1));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_LINGER],
			c->now + 60 * NSEC_PER_SEC);
	vtcp_t_advance(c, 59 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	vtcp_t_advance(c, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/* RFC 1337: a RST in TIME-WAIT does not cut it short. */
static void rfc1337_time_wait_ignores_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_time_wait(test, NULL);
	struct vtcp_t_seg rst = {
		.flags = VTCP_TH_RST | VTCP_TH_ACK, .seq = RCV_NXT + 1,
		.ack = SND_NXT + 1,
	};
	u64 end = c->tcb.deadline[VTCP_TIMER_LINGER];

	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_LINGER], end);
	KUNIT_EXPECT_FALSE(test, c->tcb.events & VTCP_EV_CLOSED);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 6191 / RFC 9293 3.6.1: a SYN beyond the old connection's sequence
 * space ends TIME-WAIT for a new incarnation; an old one does not.
 */
static void rfc6191_time_wait_reopened_by_newer_syn(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_time_wait(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = RCV_NXT - 100, .wnd = VTCP_T_WND,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_FALSE(test, c->tcb.events & VTCP_EV_REOPEN);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1, RCV_NXT + 1, 0);
	syn.seq = RCV_NXT + 100000;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_REOPEN);
	VTCP_T_EXPECT_NOTHING(c);
}

/* A TIME-WAIT connection that used timestamps, TS.Recent 100. */
static struct vtcp_t_conn *vtcp_t_ts_time_wait(struct kunit *test)
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
	vtcp_t_shutdown(c);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT + 1, SND_NXT + 1, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 100U);
	vtcp_t_drain(c);
	return c;
}

/*
 * RFC 6191 4.2: with timestamps, a newer TSval reopens whatever the
 * sequence number; an equal one only with a newer sequence number; an
 * older one never.
 */
static void rfc6191_time_wait_reopen_judged_by_timestamp(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_time_wait(test);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = RCV_NXT + 100000, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_TS, .tsval = 99 },
	};

	KUNIT_EXPECT_NE(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_FALSE(test, c->tcb.events & VTCP_EV_REOPEN);
	syn.opt.tsval = 100;
	syn.seq = RCV_NXT - 10;
	KUNIT_EXPECT_NE(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_FALSE(test, c->tcb.events & VTCP_EV_REOPEN);
	syn.seq = RCV_NXT + 10;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_REOPEN);
	c->tcb.events = 0;
	syn.opt.tsval = 101;
	syn.seq = RCV_NXT - 10;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_REOPEN);
}

/*
 * RFC 6191 2: a SYN whose TSval equals TS.Recent reopens if its sequence
 * number is newer, and only then: the rule of the TIME-WAIT entry
 * (timewait_test.c's namesake) and of the full TCB is one.
 */
static void rfc6191_equal_tsval_falls_back_to_sequence(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ts_time_wait(test);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = RCV_NXT - 10, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_TS, .tsval = 100 },
	};

	KUNIT_EXPECT_NE(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_FALSE(test, c->tcb.events & VTCP_EV_REOPEN);
	syn.seq = RCV_NXT + 10;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_REOPEN);
}

/* RFC 1122 4.2.2.13: CLOSE with received data unread sends a RST. */
static void rfc1122_close_with_unread_data_sends_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .len = 100,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	vtcp_t_drain(c);
	vtcp_t_close(c);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST | VTCP_TH_ACK, SND_NXT, RCV_NXT + 100, 0);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_CLOSED);
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
	VTCP_T_EXPECT_NOTHING(c);
}

/* Close with everything read: a FIN, and the queued data drains first. */
static void rfc9293_close_sends_fin_after_queued_data(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	vtcp_t_write(c, NULL, 1500);
	vtcp_t_close(c);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 1000);
	/* The tail rides with the FIN. */
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH | VTCP_TH_FIN, SND_NXT + 1000,
			  RCV_NXT, 500);
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_1, c->tcb.state);
	KUNIT_EXPECT_TRUE(test, c->tcb.orphan);
}

/* RFC 1122 4.2.2.13: data arriving after CLOSE is answered with a RST. */
static void rfc1122_data_after_close_on_orphan_gets_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT, .wnd = VTCP_T_WND,
		.len = 100,
	};

	vtcp_t_close(c);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &data));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST | VTCP_TH_ACK, SND_NXT + 1, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ready_bytes, 0U);
}

/* The same in FIN-WAIT-2. */
static void rfc1122_data_in_orphan_fin_wait_2_gets_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_fin_wait_2(test, NULL);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = SND_NXT + 1,
		.wnd = VTCP_T_WND, .len = 100,
	};

	vtcp_t_close(c);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &data));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST | VTCP_TH_ACK, SND_NXT + 1, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/* An orphan does not wait in FIN-WAIT-2 forever (as Linux's tcp_fin_timeout). */
static void vtcp_orphan_fin_wait_2_times_out(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.fin_wait2_ms = 3000;
	c = vtcp_t_established(test, &cfg);
	vtcp_t_close(c);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT + 1,
							 VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_2, c->tcb.state);
	vtcp_t_advance(c, 3000 * NSEC_PER_MSEC - 1);
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_2, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 9293 3.10.5: ABORT sends <SEQ=SND.NXT><CTL=RST> and ends. */
static void rfc9293_abort_sends_rst_and_closes(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	vtcp_t_write(c, NULL, 3000);
	vtcp_t_drain(c);
	vtcp_t_abort(c);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST | VTCP_TH_ACK, SND_NXT + 3000, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ECONNABORTED, (int)c->tcb.err);
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.bytes, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->tcb.sndq.segs));
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
}

/* RFC 9293 3.10.5: in LAST-ACK (and CLOSING, TIME-WAIT) no RST is sent. */
static void rfc9293_abort_in_last_ack_sends_nothing(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	vtcp_t_shutdown(c);
	vtcp_t_drain(c);
	vtcp_t_abort(c);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/* Our SYN is out: SYN-SENT. */
static struct vtcp_t_conn *vtcp_t_syn_sent(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	vtcp_t_drain(c);
	return c;
}

/* What the user does in SYN-SENT. */
struct vtcp_t_syn_sent_end {
	const char *name;
	void (*call)(struct vtcp_t_conn *c);
};

static const struct vtcp_t_syn_sent_end vtcp_t_syn_sent_ends[] = {
	{ "abort_3_10_5", vtcp_t_abort },
	{ "close_3_10_4", vtcp_t_close },
};

static void vtcp_t_syn_sent_end_desc(const struct vtcp_t_syn_sent_end *p,
				     char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_t_syn_sent_end, vtcp_t_syn_sent_ends,
		  vtcp_t_syn_sent_end_desc);

/*
 * RFC 9293 3.10.4, 3.10.5: ABORT or CLOSE in SYN-SENT deletes the TCB at
 * once, with nothing sent: no RST, no timer left, no record.
 */
static void rfc9293_syn_sent_ends_at_once_silently(struct kunit *test)
{
	const struct vtcp_t_syn_sent_end *p = test->param_value;
	struct vtcp_t_conn *c = vtcp_t_syn_sent(test);

	p->call(c);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->tcb.sndq.segs));
}

/*
 * RFC 9293 3.10.4: a FIN asked for in SYN-SENT is queued and leaves once
 * the connection is established, with the ACK of the SYN-ACK on it.
 */
static void rfc9293_shutdown_in_syn_sent_sends_fin_once_open(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_syn_sent(test);
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = VTCP_T_IRS,
		.ack = SND_NXT, .wnd = VTCP_T_WND,
	};

	vtcp_t_shutdown(c);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_SYN_SENT, c->tcb.state);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_1, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

/* A listener's child that answered the peer's SYN: SYN-RECEIVED. */
static struct vtcp_t_conn *vtcp_t_syn_received(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN, .seq = VTCP_T_IRS, .wnd = VTCP_T_WND,
	};

	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	vtcp_t_drain(c);
	return c;
}

/* A FIN on the ACK that completes a passive open: CLOSE-WAIT. */
static void rfc9293_fin_in_syn_received_leads_to_close_wait(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_syn_received(test);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSE_WAIT, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 1, 0);
}

/* A FIN beyond a hole waits for the hole: no state change before. */
static void rfc9293_fin_beyond_hole_waits_for_the_data(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg tail = {
		.flags = VTCP_TH_ACK | VTCP_TH_FIN, .seq = RCV_NXT + 100, .ack = SND_NXT,
		.wnd = VTCP_T_WND, .len = 100,
	};
	struct vtcp_t_seg head = tail;

	head.flags = VTCP_TH_ACK;
	head.seq = RCV_NXT;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &tail));
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &head));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSE_WAIT, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 201, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ready_bytes, 200U);
}

/* A RST in CLOSE-WAIT resets with ECONNRESET; in LAST-ACK it just ends. */
static void rfc9293_rst_in_close_wait_and_last_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg rst = { .flags = VTCP_TH_RST, .seq = RCV_NXT + 1 };

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ECONNRESET, (int)c->tcb.err);

	c = vtcp_t_established(test, NULL);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_fin(c, RCV_NXT, SND_NXT));
	vtcp_t_shutdown(c);
	KUNIT_EXPECT_EQ(test, VTCP_LAST_ACK, c->tcb.state);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, 0, (int)c->tcb.err);
}

/* The error a connection ended with is reported once (as SO_ERROR). */
static void vtcp_error_is_taken_once(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg rst = { .flags = VTCP_TH_RST, .seq = RCV_NXT };
	int first, again;

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	spin_lock_bh(&c->tcb.lock);
	first = vtcp_take_error(&c->tcb);
	again = vtcp_take_error(&c->tcb);
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_EQ(test, -ECONNRESET, first);
	KUNIT_EXPECT_EQ(test, 0, again);
}

/* SHUTDOWN(RD) wakes the reader; the connection goes on both ways. */
static void vtcp_shutdown_recv_wakes_the_reader(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	c->tcb.events = 0;
	spin_lock_bh(&c->tcb.lock);
	vtcp_shutdown_recv(&c->tcb);
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_TRUE(test, c->tcb.rd_shutdown);
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_READABLE);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 9293 3.10.7.1: the RST answering a segment for no connection is
 * <SEQ=SEG.ACK><CTL=RST> if it had an ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> counting SYN and FIN; a RST is
 * never answered.
 */
static void rfc9293_no_connection_gets_rst(struct kunit *test)
{
	struct vtcp_seg seg = { .flags = VTCP_TH_ACK, .seq = 7, .ack = 900, .len = 5 };
	struct vtcp_out out;

	KUNIT_ASSERT_TRUE(test, vtcp_reply_rst(&seg, &out));
	KUNIT_EXPECT_EQ(test, (u32)out.flags, (u32)VTCP_TH_RST);
	KUNIT_EXPECT_EQ(test, out.seq, 900U);
	KUNIT_EXPECT_EQ(test, out.len, 0U);

	seg.flags = VTCP_TH_SYN | VTCP_TH_FIN;
	KUNIT_ASSERT_TRUE(test, vtcp_reply_rst(&seg, &out));
	KUNIT_EXPECT_EQ(test, (u32)out.flags, (u32)(VTCP_TH_RST | VTCP_TH_ACK));
	KUNIT_EXPECT_EQ(test, out.seq, 0U);
	KUNIT_EXPECT_EQ(test, out.ack, 7U + 5 + 2);

	seg.flags = VTCP_TH_RST | VTCP_TH_ACK;
	KUNIT_EXPECT_FALSE(test, vtcp_reply_rst(&seg, &out));
}

/* RFC 9293 3.10.7.2: LISTEN drops RSTs; ACKs are the listener's to refuse. */
static void rfc9293_listen_takes_only_syn(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_seg rst = { .flags = VTCP_TH_RST, .seq = 1 };
	struct vtcp_t_seg ack = { .flags = VTCP_TH_ACK, .seq = 1, .ack = 2 };
	struct vtcp_t_seg synack = { .flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = 1 };

	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &ack));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, vtcp_t_input(c, &synack));
	KUNIT_EXPECT_EQ(test, VTCP_LISTEN, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
}

/* What ends a passive SYN-RECEIVED child, quietly: back to LISTEN. */
struct vtcp_t_child_end {
	const char *name;
	u8 flags;
	u32 seq;
	enum vtcp_drop_reason drop;
};

static const struct vtcp_t_child_end vtcp_t_child_ends[] = {
	/* RFC 9293 3.10.7.4 fourth: a new SYN. */
	{ "new_syn_fourth", VTCP_TH_SYN, VTCP_T_IRS + 10, VTCP_DROP_STATE },
	/* RFC 9293 3.10.7.4 second: a RST. */
	{ "rst_second", VTCP_TH_RST, RCV_NXT, VTCP_DROP_NONE },
};

static void vtcp_t_child_end_desc(const struct vtcp_t_child_end *p,
				  char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_t_child_end, vtcp_t_child_ends, vtcp_t_child_end_desc);

/*
 * RFC 9293 3.10.7.4: a SYN or a RST in passive SYN-RECEIVED ends the
 * child without an error for anyone and without a word to the peer.
 */
static void rfc9293_syn_received_passive_child_ends(struct kunit *test)
{
	const struct vtcp_t_child_end *p = test->param_value;
	struct vtcp_t_conn *c = vtcp_t_syn_received(test);
	struct vtcp_t_seg seg = {
		.flags = p->flags, .seq = p->seq, .wnd = VTCP_T_WND,
	};

	KUNIT_EXPECT_EQ(test, p->drop, vtcp_t_input(c, &seg));
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.err, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

static struct kunit_case vtcp_state_cases[] = {
	KUNIT_CASE(rfc9293_active_close_through_time_wait),
	KUNIT_CASE(vtcp_time_wait_length_is_configurable),
	KUNIT_CASE(rfc9293_fin_wait_1_fin_acking_ours_enters_time_wait),
	KUNIT_CASE(rfc9293_simultaneous_close_goes_through_closing),
	KUNIT_CASE(rfc9293_closing_reacks_repeated_fin),
	KUNIT_CASE(rfc9293_fin_is_retransmitted_in_fin_wait_1),
	KUNIT_CASE(rfc9293_passive_close_through_close_wait_and_last_ack),
	KUNIT_CASE(rfc9293_last_ack_retransmits_fin),
	KUNIT_CASE(rfc9293_fin_wait_2_still_receives_data),
	KUNIT_CASE(rfc9293_time_wait_reacks_fin_and_restarts_2msl),
	KUNIT_CASE(rfc1337_time_wait_ignores_rst),
	KUNIT_CASE(rfc6191_time_wait_reopened_by_newer_syn),
	KUNIT_CASE(rfc6191_time_wait_reopen_judged_by_timestamp),
	KUNIT_CASE(rfc6191_equal_tsval_falls_back_to_sequence),
	KUNIT_CASE(rfc1122_close_with_unread_data_sends_rst),
	KUNIT_CASE(rfc9293_close_sends_fin_after_queued_data),
	KUNIT_CASE(rfc1122_data_after_close_on_orphan_gets_rst),
	KUNIT_CASE(rfc1122_data_in_orphan_fin_wait_2_gets_rst),
	KUNIT_CASE(vtcp_orphan_fin_wait_2_times_out),
	KUNIT_CASE(rfc9293_abort_sends_rst_and_closes),
	KUNIT_CASE(rfc9293_abort_in_last_ack_sends_nothing),
	KUNIT_CASE_PARAM(rfc9293_syn_sent_ends_at_once_silently,
			 vtcp_t_syn_sent_end_gen_params),
	KUNIT_CASE(rfc9293_shutdown_in_syn_sent_sends_fin_once_open),
	KUNIT_CASE(rfc9293_fin_in_syn_received_leads_to_close_wait),
	KUNIT_CASE(rfc9293_fin_beyond_hole_waits_for_the_data),
	KUNIT_CASE(rfc9293_rst_in_close_wait_and_last_ack),
	KUNIT_CASE(vtcp_error_is_taken_once),
	KUNIT_CASE(vtcp_shutdown_recv_wakes_the_reader),
	KUNIT_CASE(rfc9293_no_connection_gets_rst),
	KUNIT_CASE(rfc9293_listen_takes_only_syn),
	KUNIT_CASE_PARAM(rfc9293_syn_received_passive_child_ends,
			 vtcp_t_child_end_gen_params),
	{}
};

static struct kunit_suite vtcp_state_suite = {
	.name = "vtcp_state",
	.test_cases = vtcp_state_cases,
};

kunit_test_suite(vtcp_state_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * Flow control and when segments leave: delayed ACKs (RFC 9293 3.8.6.3,
 * RFC 5681 4.2), Nagle, NODELAY and CORK (RFC 9293 3.7.4), silly window
 * avoidance on both sides (RFC 9293 3.8.6.2), and zero-window probing
 * (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17) until the window reopens or the
 * user timeout (RFC 5482) or retry limit ends it.
 *
 * vtcp_t_established(): ISS 1000, IRS 5000, MSS 1000 both ways, RTO
 * 200 ms, our receive buffer 65535 bytes unscaled.
 */
#include <linux/slab.h>

#include "harness.h"
#include "engine/output.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define SND_NXT		(VTCP_T_ISS + 1)
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC

static enum vtcp_drop_reason vtcp_t_data(struct vtcp_t_conn *c, u32 seq, u32 len)
{
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_ACK, .seq = seq, .ack = c->tcb.snd_una,
		.wnd = VTCP_T_WND, .len = len,
	};

	return vtcp_t_input(c, &s);
}

/*
 * RFC 5681 4.2: an ACK for at least every second full-sized segment, and
 * none delayed more than 500 ms (RFC 9293 3.8.6.3 MUST-40): 40 ms here.
 */
static void rfc5681_delayed_ack_every_second_segment_within_bound(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u64 start;

	c->tcb.quickacks = 0;
	start = c->now;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT, MSS));
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_DELACK], start + 40 * MS);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT + MSS, MSS));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 2 * MSS, 0,
			    65535 - 2 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_DELACK], 0ULL);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT + 2 * MSS, MSS));
	vtcp_t_advance(c, 40 * MS - 1);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 1);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 3 * MSS, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

/* At the start of a connection every segment is ACKed at once (quick-ack). */
static void vtcp_quickack_at_connection_start(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	int i;

	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_data(c, RCV_NXT + i * MSS, MSS));
		VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + (i + 1) * MSS, 0);
	}
}

/* A delayed ACK rides on the next data segment; the timer goes. */
static void rfc9293_delayed_ack_rides_on_data(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	c->tcb.quickacks = 0;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT, MSS));
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_write(c, "x", 1);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT + MSS, 1);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_DELACK], 0ULL);
	vtcp_t_advance(c, 100 * MS);
	VTCP_T_EXPECT_NOTHING(c);
}

/* Nagle holds only the partial tail: full segments go at once. */
static void rfc9293_nagle_lets_full_segments_go(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	vtcp_t_write(c, NULL, 10);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, 10);
	vtcp_t_write(c, NULL, 2500);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 10, RCV_NXT, MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + 1010, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT + 2010, VTCP_T_WND));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT + 2010, RCV_NXT, 500);
}

/*
 * Cork holds a partial segment for as long as it is set; nothing is
 * probed meanwhile, since the peer's window holds nothing back.
 */
static void vtcp_cork_holds_without_probing(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_CORK;
	c = vtcp_t_established(test, &cfg);
	vtcp_t_write(c, NULL, 500);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_PERSIST], 0ULL);
	vtcp_t_advance(c, 30 * NSEC_PER_SEC);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.zero_window_probes, 0U);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	cfg.flags &= ~VTCP_CFG_CORK;
	vtcp_t_set_cfg(c, &cfg);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, 500);
}

/*
 * RFC 9293 3.8.6.2.1: a usable window below an MSS and below half the
 * largest window seen waits; with nothing in flight, the persist timer's
 * override sends it after an RTO, so small windows still make progress.
 */
static void rfc9293_sender_sws_override_sends_small_window(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	vtcp_t_write(c, NULL, 1500);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT + MSS, 300));
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_PERSIST], c->now + 200 * MS);
	vtcp_t_advance(c, 200 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + MSS, RCV_NXT, 300);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.zero_window_probes, 0U);
	/* The rest fits the next window and is the last of the data. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT + 1300, 300));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT + 1300, RCV_NXT, 200);
}

/* RFC 9293 3.8.6.2.1: half the largest window seen is worth sending. */
static void rfc9293_sender_sws_sends_half_max_window(struct kunit *test)
{
	struct vtcp_opts opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS };
	struct vtcp_t_conn *c;

	c = vtcp_t_open(test, NULL, VTCP_T_ISS, VTCP_T_IRS, &opt, 1000);
	vtcp_t_write(c, NULL, 3000);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT + MSS, 600));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT + MSS, RCV_NXT, 600);
	VTCP_T_EXPECT_NOTHING(c);
}

/* Our receive buffer of 4000 bytes, full and unread: window 0. */
static struct vtcp_t_conn *vtcp_t_full_receiver(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	int i;

	vtcp_t_cfg(&cfg);
	cfg.rcvbuf = 4000;
	c = vtcp_t_established(test, &cfg);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_data(c, RCV_NXT + i * MSS, MSS));
	vtcp_t_drain(c);
	KUNIT_ASSERT_EQ(test, c->tcb.rcv_adv, c->tcb.rcv_nxt);
	return c;
}

/*
 * RFC 9293 3.8.6.2.2: the window opens only by min(buffer / 2, MSS): a
 * small read sends no window update; one freeing an MSS does, at once.
 */
static void rfc9293_receiver_sws_updates_window_by_mss(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_full_receiver(test);
	u8 *buf = kunit_kmalloc(test, 1000, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, vtcp_t_read(c, buf, 100), 100U);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, vtcp_t_read(c, buf, 899), 899U);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, vtcp_t_read(c, buf, 1), 1U);
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 4000, 0, 1000);
	VTCP_T_EXPECT_NOTHING(c);
}

/* A slow reader that catches up reopens the window at once. */
static void rfc9293_reader_catching_up_reopens_window(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_full_receiver(test);
	u8 *buf = kunit_kmalloc(test, 4000, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, vtcp_t_read(c, buf, 4000), 4000U);
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 4000, 0, 4000);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT + 4000, MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, RCV_NXT + 5000);
}

/*
 * RFC 9293 3.8.6.2.2 (MUST-35): the right edge of the window never moves
 * left, even when the buffer shrinks under it.
 */
static void rfc9293_window_right_edge_never_moves_left(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u32 edge = RCV_NXT + 65535;
	struct vtcp_cfg cfg = c->tcb.cfg;

	KUNIT_EXPECT_EQ(test, c->tcb.rcv_adv, edge);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT, MSS));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + MSS, 0, 65535 - MSS);
	cfg.rcvbuf = 10000;
	vtcp_t_set_cfg(c, &cfg);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_data(c, RCV_NXT + MSS, MSS));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, RCV_NXT + 2 * MSS, 0,
			    65535 - 2 * MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_adv, edge);
}

/* The peer's window is closed and 1000 bytes wait to go. */
static struct vtcp_t_conn *vtcp_t_zero_window_sender(struct kunit *test,
						     const struct vtcp_cfg *cfg)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, cfg);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT, 0));
	vtcp_t_write(c, NULL, MSS);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_PERSIST], c->now + 200 * MS);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	return c;
}

/* A zero-window probe: an old sequence number, no data (as Linux). */
static void vtcp_t_expect_probe(struct vtcp_t_conn *c)
{
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT - 1, RCV_NXT, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

/* A zero-window case: whether the peer answers the probes. */
struct vtcp_t_zwp {
	const char *name;
	bool answered;
};

static const struct vtcp_t_zwp vtcp_t_zwps[] = {
	{ "unanswered", false },
	/*
	 * Answers do not reset the interval (RFC 1122 4.2.2.17: "SHOULD
	 * increase exponentially the interval between successive probes").
	 */
	{ "rfc1122_answered", true },
};

static void vtcp_t_zwp_desc(const struct vtcp_t_zwp *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_t_zwp, vtcp_t_zwps, vtcp_t_zwp_desc);

/*
 * RFC 9293 3.8.6.1: a closed window is probed after an RTO, then at
 * exponentially growing intervals, answered or not.
 */
static void rfc9293_zero_window_probes_back_off(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_zero_window_sender(test, NULL);
	const struct vtcp_t_zwp *p = test->param_value;
	int i;

	for (i = 0; i < 5; i++) {
		vtcp_t_advance(c, ((200 * MS) << i) - 1);
		VTCP_T_EXPECT_NOTHING(c);
		vtcp_t_advance(c, 1);
		vtcp_t_expect_probe(c);
		if (!p->answered)
			continue;
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, RCV_NXT, SND_NXT, 0));
		VTCP_T_EXPECT_NOTHING(c);
	}
	KUNIT_EXPECT_EQ(test, c->tcb.stats.zero_window_probes, 5U);
}

/*
 * RFC 1122 4.2.2.17: as long as the peer answers, the connection stays
 * open, however long the window stays closed (no user timeout set); the
 * interval stops growing at the RTO maximum.
 */
static void rfc1122_answered_zero_window_stays_open(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u64 end;

	vtcp_t_cfg(&cfg);
	cfg.retries = 3;
	c = vtcp_t_zero_window_sender(test, &cfg);
	end = c->now + 3600 * NSEC_PER_SEC;
	while (c->now < end) {
		u64 next = c->tcb.deadline[VTCP_TIMER_PERSIST];

		KUNIT_ASSERT_NE(test, next, 0ULL);
		KUNIT_ASSERT_LE(test, next - c->now, 120 * NSEC_PER_SEC);
		vtcp_t_run_until(c, next);
		vtcp_t_expect_probe(c);
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, RCV_NXT, SND_NXT, 0));
	}
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
}

/*
 * An orphan (closed with data still queued behind a closed window) is not
 * kept forever by a peer that answers every probe: after the retry limit
 * it ends, freeing what it held.
 */
static void vtcp_orphan_zero_window_gives_up_even_when_answered(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	int probes = 0;

	vtcp_t_cfg(&cfg);
	cfg.retries = 4;
	c = vtcp_t_zero_window_sender(test, &cfg);
	vtcp_t_close(c);
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_1, c->tcb.state);
	while (c->tcb.state != VTCP_CLOSED && probes < 10) {
		vtcp_t_run_until(c, c->tcb.deadline[VTCP_TIMER_PERSIST]);
		if (c->tcb.state == VTCP_CLOSED)
			break;
		vtcp_t_expect_probe(c);
		probes++;
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, RCV_NXT, SND_NXT, 0));
	}
	KUNIT_EXPECT_EQ(test, probes, 4);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.bytes, 0U);
}

/* How a closed window ends the connection, and when. */
struct vtcp_t_zw_end {
	const char *name;
	u8 retries;
	u32 user_timeout_ms;
	bool answered;		/* the peer answers every probe */
	u32 end_ms;		/* -ETIMEDOUT then, not a ns before */
	u32 probes;		/* sent by then */
};

static const struct vtcp_t_zw_end vtcp_t_zw_ends[] = {
	/* RFC 9293 3.8.3: unanswered probes count like retransmissions. */
	{ "rfc9293_unanswered_probes", 3, 0, false, 3000, 3 },
	/*
	 * RFC 5482: with a user timeout, a window closed that long ends the
	 * connection even though every probe is answered, and on time.
	 */
	{ "rfc5482_user_timeout_while_answered", VTCP_DEFAULT_RETRIES, 5000,
	  true, 5000, 4 },
};

static void vtcp_t_zw_end_desc(const struct vtcp_t_zw_end *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_t_zw_end, vtcp_t_zw_ends, vtcp_t_zw_end_desc);

static void rfc9293_zero_window_gives_up(struct kunit *test)
{
	const struct vtcp_t_zw_end *p = test->param_value;
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;
	u32 probes = 0;
	u64 end;

	vtcp_t_cfg(&cfg);
	cfg.retries = p->retries;
	cfg.user_timeout_ms = p->user_timeout_ms;
	c = vtcp_t_zero_window_sender(test, &cfg);
	end = c->now + p->end_ms * MS;
	/* Probes at 200, 600, 1400, 3000 ms... */
	while (c->tcb.deadline[VTCP_TIMER_PERSIST] &&
	       c->tcb.deadline[VTCP_TIMER_PERSIST] < end) {
		vtcp_t_run_until(c, c->tcb.deadline[VTCP_TIMER_PERSIST]);
		vtcp_t_expect_probe(c);
		probes++;
		if (p->answered)
			KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
					vtcp_t_ack(c, RCV_NXT, SND_NXT, 0));
	}
	KUNIT_EXPECT_EQ(test, probes, p->probes);
	vtcp_t_run_until(c, end - 1);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, (int)c->tcb.err);
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.bytes, 0U);
}

/*
 * The user timeout of a closed window counts from when it closed, not
 * from an earlier wait on a small window that has since been used.
 */
static void rfc5482_zero_window_timeout_counts_from_closing(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u64 closed;

	vtcp_t_cfg(&cfg);
	cfg.user_timeout_ms = 3000;
	c = vtcp_t_established(test, &cfg);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT, 300));
	vtcp_t_write(c, NULL, 500);
	vtcp_t_advance(c, 200 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT, RCV_NXT, 300);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT + 300, VTCP_T_WND));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT + 300, RCV_NXT, 200);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT + 500, VTCP_T_WND));

	vtcp_t_advance(c, 10 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT + 500, 0));
	closed = c->now;
	vtcp_t_write(c, NULL, 500);
	vtcp_t_run_until(c, closed + 3000 * MS - 1);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	vtcp_t_advance(c, 1);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

/* A window update ends probing and the data flows at once. */
static void rfc9293_window_update_resumes_flow(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_zero_window_sender(test, NULL);

	vtcp_t_advance(c, 600 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, SND_NXT - 1, RCV_NXT, 0);
	vtcp_t_expect_probe(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT, VTCP_T_WND));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, SND_NXT, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_PERSIST], 0ULL);
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
	/* The retransmission timer starts from the RTO, not the backoff. */
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], c->now + 200 * MS);
}

/*
 * A receiver with timestamps and window scaling, rcvbuf @rcvbuf: each
 * round the peer fills the window (its segments echo our timestamp of 10
 * ms before: a 10 ms receiver RTT), the reader takes up to @read bytes,
 * and 10 ms pass.
 */
static struct vtcp_t_conn *vtcp_t_autotune(struct kunit *test, u32 rcvbuf,
					   u32 read, int rounds)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE | VTCP_TCPOPT_TS,
		.mss = MSS, .wscale = 7, .tsval = 1,
	};
	u8 *buf = kunit_kmalloc(test, 65536, GFP_KERNEL);
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;
	int r;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_WSCALE | VTCP_CFG_TIMESTAMPS;
	cfg.rcvbuf = rcvbuf;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvbuf_auto, 128U << 10);
	for (r = 0; r < rounds; r++) {
		struct vtcp_t_seg seg = {
			.flags = VTCP_TH_ACK, .ack = SND_NXT,
			.wnd = VTCP_T_WND,
			.opt = { .present = VTCP_TCPOPT_TS, .tsval = 2 + r },
		};
		u32 wnd = c->tcb.rcv_adv - c->tcb.rcv_nxt, sent, left = read;

		seg.opt.tsecr = vtcp_ts_now(&c->tcb, c->now - 10 * MS);
		for (sent = 0; sent < wnd; sent += seg.len) {
			seg.seq = c->tcb.rcv_nxt;
			seg.len = min(wnd - sent, 8000U);
			KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
		}
		while (left && c->tcb.rcvq.ready_bytes)
			left -= vtcp_t_read(c, buf, min(left, 65536U));
		vtcp_t_drain(c);
		KUNIT_EXPECT_LE(test, c->tcb.rcvbuf_auto, rcvbuf);
		c->now += 10 * MS;
	}
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_rtt_us, 10000U);
	return c;
}

/*
 * Receive-buffer auto-tuning (as Linux's tcp_rcv_space_adjust): the buffer
 * starts at 128 KiB; once per receiver RTT, if the reader took more than
 * ever before, it grows to twice that and more, up to the user's rcvbuf,
 * and the window follows. A reader that keeps up never holds the sender
 * back; a slow one keeps a small buffer.
 */
static void vtcp_rcvbuf_autotuning_follows_the_reader(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_autotune(test, 1 << 20, U32_MAX, 4);

	KUNIT_EXPECT_EQ(test, c->tcb.rcvbuf_auto, 1U << 20);
	KUNIT_EXPECT_GE(test, c->tcb.rcv_adv - c->tcb.rcv_nxt, (1U << 20) - 128);

	c = vtcp_t_autotune(test, 1 << 20, 2000, 6);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvbuf_auto, 128U << 10);
}

static struct kunit_case vtcp_flow_cases[] = {
	KUNIT_CASE(rfc5681_delayed_ack_every_second_segment_within_bound),
	KUNIT_CASE(vtcp_quickack_at_connection_start),
	KUNIT_CASE(rfc9293_delayed_ack_rides_on_data),
	KUNIT_CASE(rfc9293_nagle_lets_full_segments_go),
	KUNIT_CASE(vtcp_cork_holds_without_probing),
	KUNIT_CASE(rfc9293_sender_sws_override_sends_small_window),
	KUNIT_CASE(rfc9293_sender_sws_sends_half_max_window),
	KUNIT_CASE(rfc9293_receiver_sws_updates_window_by_mss),
	KUNIT_CASE(rfc9293_reader_catching_up_reopens_window),
	KUNIT_CASE(rfc9293_window_right_edge_never_moves_left),
	KUNIT_CASE_PARAM(rfc9293_zero_window_probes_back_off,
			 vtcp_t_zwp_gen_params),
	KUNIT_CASE(rfc1122_answered_zero_window_stays_open),
	KUNIT_CASE_PARAM(rfc9293_zero_window_gives_up,
			 vtcp_t_zw_end_gen_params),
	KUNIT_CASE(vtcp_orphan_zero_window_gives_up_even_when_answered),
	KUNIT_CASE(rfc5482_zero_window_timeout_counts_from_closing),
	KUNIT_CASE(rfc9293_window_update_resumes_flow),
	KUNIT_CASE(vtcp_rcvbuf_autotuning_follows_the_reader),
	{}
};

static struct kunit_suite vtcp_flow_suite = {
	.name = "vtcp_flow",
	.test_cases = vtcp_flow_cases,
};

kunit_test_suite(vtcp_flow_suite);

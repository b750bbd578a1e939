// SPDX-License-Identifier: GPL-2.0
/*
 * Moving data: sending within the windows, receiving in and out of order,
 * and when ACKs go out (RFC 9293 3.8, RFC 5681 4.2).
 */
#include <linux/slab.h>

#include "harness.h"

static u8 *vtcp_t_pattern(struct kunit *test, u32 len, u32 seed)
{
	u8 *p = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 7);
	return p;
}

/* Data leaves in MSS segments as far as cwnd allows (RFC 6928: 10). */
static void rfc5681_initial_window_limits_first_flight(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u8 *data = vtcp_t_pattern(test, 20000, 1);
	u32 seq = VTCP_T_ISS + 1;
	struct vtcp_t_out *o;
	int i;

	KUNIT_EXPECT_EQ(test, 20000, vtcp_t_write(c, data, 20000));
	for (i = 0; i < 10; i++) {
		o = vtcp_t_pop(c);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_EQ(test, o->out.seq, seq);
		KUNIT_EXPECT_EQ(test, o->out.len, VTCP_T_MSS);
		KUNIT_EXPECT_EQ(test, 0, memcmp(o->data, data + i * VTCP_T_MSS,
						VTCP_T_MSS));
		seq += VTCP_T_MSS;
	}
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
}

/* An ACK frees what it covers and lets more data out (slow start). */
static void rfc5681_ack_opens_congestion_window(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK, .seq = VTCP_T_IRS + 1,
		.ack = VTCP_T_ISS + 1 + 2 * VTCP_T_MSS, .wnd = VTCP_T_WND,
	};

	vtcp_t_write(c, NULL, 30000);
	vtcp_t_drain(c);
	c->now += 50 * NSEC_PER_MSEC;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	/* Two segments acked: cwnd 12 MSS, 8 in flight: four more go. */
	KUNIT_EXPECT_EQ(test, c->tcb.cwnd, 12 * VTCP_T_MSS);
	KUNIT_EXPECT_EQ(test, 4U, vtcp_t_pending(c));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, VTCP_T_ISS + 1 + 2 * VTCP_T_MSS);
	/*
	 * RFC 6298 2.3: the handshake gave the first sample (10 ms); this
	 * 50 ms one makes RTTVAR 3/4 * 5 + 1/4 * 40 and SRTT 7/8 * 10 +
	 * 1/8 * 50.
	 */
	KUNIT_EXPECT_EQ(test, c->tcb.rttvar_us, 13750U);
	KUNIT_EXPECT_EQ(test, c->tcb.srtt_us, 15000U);
	/* 15 ms + 4 * 13.75 ms is below the 200 ms floor. */
	KUNIT_EXPECT_EQ(test, c->tcb.rto_us, 200000U);
}

/* The peer's window caps what is in flight. */
static void rfc9293_send_window_limits_data(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK, .seq = VTCP_T_IRS + 1,
		.ack = VTCP_T_ISS + 1, .wnd = 2500,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	vtcp_t_write(c, NULL, 10000);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1, VTCP_T_IRS + 1, VTCP_T_MSS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1 + VTCP_T_MSS,
			  VTCP_T_IRS + 1, VTCP_T_MSS);
	/*
	 * 500 bytes of window are left: less than half the largest window
	 * seen (65535), so sender SWS avoidance holds them back.
	 */
	VTCP_T_EXPECT_NOTHING(c);
}

/* In-order data is queued for the reader and ACKed every second segment. */
static void rfc9293_in_order_data_is_delivered(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u8 *data = vtcp_t_pattern(test, 3000, 9);
	u8 *buf = kunit_kzalloc(test, 3000, GFP_KERNEL);
	struct vtcp_t_seg seg = {
		.flags = VTCP_TH_ACK, .ack = VTCP_T_ISS + 1, .wnd = VTCP_T_WND,
		.len = 1000,
	};
	int i;

	c->tcb.quickacks = 0;
	for (i = 0; i < 3; i++) {
		seg.seq = VTCP_T_IRS + 1 + i * 1000;
		seg.data = data + i * 1000;
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
		if (i == 0) {
			VTCP_T_EXPECT_NOTHING(c);	/* delayed */
			KUNIT_EXPECT_NE(test, c->tcb.deadline[VTCP_TIMER_DELACK], 0ULL);
		}
		if (i == 1)
			VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1,
					  VTCP_T_IRS + 2001, 0);
	}
	KUNIT_EXPECT_TRUE(test, c->tcb.events & VTCP_EV_READABLE);
	KUNIT_EXPECT_EQ(test, 3000U, vtcp_t_read(c, buf, 3000));
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, data, 3000));
	/* The third segment's ACK waits for the delayed-ACK timer. */
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 40 * NSEC_PER_MSEC);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1, VTCP_T_IRS + 3001, 0);
}

/* Out-of-order data is held and ACKed at once; the gap's arrival delivers. */
static void rfc5681_out_of_order_is_acked_at_once_and_reassembled(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u8 *data = vtcp_t_pattern(test, 4000, 3);
	u8 *buf = kunit_kzalloc(test, 4000, GFP_KERNEL);
	struct vtcp_t_seg seg = {
		.flags = VTCP_TH_ACK, .ack = VTCP_T_ISS + 1, .wnd = VTCP_T_WND,
		.len = 1000,
	};
	static const int order[] = { 2, 3, 1, 0 };
	int i;

	c->tcb.quickacks = 0;
	for (i = 0; i < 3; i++) {
		seg.seq = VTCP_T_IRS + 1 + order[i] * 1000;
		seg.data = data + order[i] * 1000;
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
		/* A duplicate ACK for each (RFC 5681 4.2). */
		VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1, VTCP_T_IRS + 1, 0);
	}
	KUNIT_EXPECT_EQ(test, 0U, vtcp_t_read(c, buf, 4000));
	seg.seq = VTCP_T_IRS + 1;
	seg.data = data;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
	/* The hole is filled: ACK everything at once. */
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1, VTCP_T_IRS + 4001, 0);
	KUNIT_EXPECT_EQ(test, 4000U, vtcp_t_read(c, buf, 4000));
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, data, 4000));
}

/* Overlapping and duplicated segments deliver each byte once. */
static void rfc9293_overlaps_and_duplicates_deliver_once(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	u8 *data = vtcp_t_pattern(test, 5000, 5);
	u8 *buf = kunit_kzalloc(test, 5000, GFP_KERNEL);
	static const struct { u32 off, len; } segs[] = {
		{ 1000, 1000 }, { 3000, 2000 }, { 1500, 2000 }, { 3000, 500 },
		{ 0, 1200 }, { 0, 1200 }, { 4500, 500 }, { 900, 4100 },
	};
	struct vtcp_t_seg seg = {
		.flags = VTCP_TH_ACK, .ack = VTCP_T_ISS + 1, .wnd = VTCP_T_WND,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		seg.seq = VTCP_T_IRS + 1 + segs[i].off;
		seg.data = data + segs[i].off;
		seg.len = segs[i].len;
		vtcp_t_input(c, &seg);
	}
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, VTCP_T_IRS + 5001);
	KUNIT_EXPECT_EQ(test, 5000U, vtcp_t_read(c, buf, 5000));
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, data, 5000));
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ooo_bytes, 0U);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ready_bytes, 0U);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.mem, 0U);
}

/* Nagle (RFC 9293 3.7.4): one small segment in flight at a time. */
static void rfc9293_nagle_holds_small_segments(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK, .seq = VTCP_T_IRS + 1,
		.ack = VTCP_T_ISS + 11, .wnd = VTCP_T_WND,
	};

	vtcp_t_write(c, "0123456789", 10);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, VTCP_T_ISS + 1,
			  VTCP_T_IRS + 1, 10);
	vtcp_t_write(c, "abc", 3);
	vtcp_t_write(c, "def", 3);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, VTCP_T_ISS + 11,
			  VTCP_T_IRS + 1, 6);
}

static void vtcp_nodelay_sends_small_segments_at_once(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_NODELAY;
	c = vtcp_t_established(test, &cfg);
	vtcp_t_write(c, "ab", 2);
	vtcp_t_write(c, "cd", 2);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, VTCP_T_ISS + 1,
			  VTCP_T_IRS + 1, 2);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, VTCP_T_ISS + 3,
			  VTCP_T_IRS + 1, 2);
}

/* Cork: only full segments leave until the cork is pulled. */
static void vtcp_cork_holds_partial_segments(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_CORK;
	c = vtcp_t_established(test, &cfg);
	vtcp_t_write(c, NULL, 2500);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1, VTCP_T_IRS + 1, 1000);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, VTCP_T_ISS + 1001, VTCP_T_IRS + 1, 1000);
	VTCP_T_EXPECT_NOTHING(c);
	cfg.flags &= ~VTCP_CFG_CORK;
	cfg.flags |= VTCP_CFG_NODELAY;
	spin_lock_bh(&c->tcb.lock);
	vtcp_set_cfg(&c->tcb, &cfg, c->now);
	spin_unlock_bh(&c->tcb.lock);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, VTCP_T_ISS + 2001,
			  VTCP_T_IRS + 1, 500);
}

static struct kunit_case vtcp_data_cases[] = {
	KUNIT_CASE(rfc5681_initial_window_limits_first_flight),
	KUNIT_CASE(rfc5681_ack_opens_congestion_window),
	KUNIT_CASE(rfc9293_send_window_limits_data),
	KUNIT_CASE(rfc9293_in_order_data_is_delivered),
	KUNIT_CASE(rfc5681_out_of_order_is_acked_at_once_and_reassembled),
	KUNIT_CASE(rfc9293_overlaps_and_duplicates_deliver_once),
	KUNIT_CASE(rfc9293_nagle_holds_small_segments),
	KUNIT_CASE(vtcp_nodelay_sends_small_segments_at_once),
	KUNIT_CASE(vtcp_cork_holds_partial_segments),
	{}
};

static struct kunit_suite vtcp_data_suite = {
	.name = "vtcp_data",
	.test_cases = vtcp_data_cases,
};

kunit_test_suite(vtcp_data_suite);

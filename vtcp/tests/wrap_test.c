// SPDX-License-Identifier: GPL-2.0
/*
 * A connection whose sequence numbers pass 2^32 in both directions (RFC
 * 9293 3.4): sending with a loss and fast recovery across the wrap,
 * receiving out of order across it with SACK, and closing after it.
 */
#include <linux/slab.h>

#include "harness.h"

#define ISS	0xffffe000U	/* ours: 2^32 - 8192 */
#define IRS	0xfffff800U	/* the peer's: 2^32 - 2048 */
#define MSS	VTCP_T_MSS

static u8 vtcp_t_wbyte(u32 off)
{
	return (u8)(off ^ (off >> 8) ^ 0x5a);
}

static struct vtcp_t_conn *vtcp_t_wrap_conn(struct kunit *test)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK, .mss = MSS,
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_SACK;
	c = vtcp_t_open(test, &cfg, ISS, IRS, &opt, VTCP_T_WND);
	c->tcb.quickacks = 0;
	return c;
}

/*
 * 20 segments from 2^32 - 8191 on; the ninth, which spans the wrap, and
 * the eleventh are lost: three duplicates whose SACK blocks cover three
 * segments above it resend the first (RFC 6675 IsLost), a partial ACK
 * whose blocks cover five above the second resends that one (after the
 * wrap), the full ACK ends recovery. Every byte sent is the byte written.
 */
static void rfc9293_send_across_sequence_wrap(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_wrap_conn(test);
	u8 *data = kunit_kmalloc(test, 20 * MSS, GFP_KERNEL);
	u32 una = ISS + 1, i;
	struct vtcp_t_out *o;

	KUNIT_ASSERT_NOT_NULL(test, data);
	for (i = 0; i < 20 * MSS; i++)
		data[i] = vtcp_t_wbyte(i);
	vtcp_t_write(c, data, 20 * MSS);
	/* Ten leave (initial window); their bytes are the right ones. */
	for (i = 0; i < 10; i++) {
		o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, una + i * MSS, IRS + 1, MSS);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_EQ(test, 0, memcmp(o->data, data + i * MSS, MSS));
	}
	/* ACK the first eight: 191 bytes short of the wrap. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, IRS + 1, una + 8 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, 0xffffff41U);
	vtcp_t_drain(c);
	/* Segments 8 (across the wrap) and 10 are lost; 9, 11, ... arrive. */
	una += 8 * MSS;
	for (i = 0; i < 3; i++) {
		struct vtcp_t_seg dup = {
			.flags = VTCP_TH_ACK, .seq = IRS + 1, .ack = una,
			.wnd = VTCP_T_WND,
			.opt = { .present = VTCP_TCPOPT_SACK, .nsack = 1 + !!i,
				 .sack = { { una + 3 * MSS, una + (3 + i) * MSS },
					   { una + MSS, una + 2 * MSS } } },
		};

		if (!i)
			dup.opt.sack[0] = dup.opt.sack[1];
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &dup));
	}
	while ((o = vtcp_t_pop(c)) && o->out.seq != una)
		;
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.len, MSS);
	KUNIT_EXPECT_EQ(test, 0, memcmp(o->data, data + 8 * MSS, MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_RECOVERY);
	vtcp_t_drain(c);
	/* Partial ACK up to segment 10: it goes at once. */
	{
		struct vtcp_t_seg partial = {
			.flags = VTCP_TH_ACK, .seq = IRS + 1, .ack = una + 2 * MSS,
			.wnd = VTCP_T_WND,
			.opt = { .present = VTCP_TCPOPT_SACK, .nsack = 1,
				 .sack = { { una + 3 * MSS, una + 8 * MSS } } },
		};

		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &partial));
	}
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, una + 2 * MSS, IRS + 1, MSS);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, 0, memcmp(o->data, data + 10 * MSS, MSS));
	/* The full ACK; then everything else, acknowledged as it goes. */
	while (c->tcb.snd_una != ISS + 1 + 20 * MSS) {
		u32 nxt = c->tcb.snd_nxt;

		vtcp_t_drain(c);
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, IRS + 1, nxt, VTCP_T_WND));
		KUNIT_ASSERT_TRUE(test, vtcp_t_pending(c) || nxt == ISS + 1 + 20 * MSS);
	}
	KUNIT_EXPECT_EQ(test, c->tcb.ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, c->tcb.sndq.bytes, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->tcb.sndq.segs));
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_RTO], 0ULL);
}

/*
 * 6000 bytes from 2^32 - 2047 on, in the order 3, 5, 4, 0, 2, 1 (of
 * 1000 each): SACK blocks across the wrap, then delivery in order.
 */
static void rfc9293_receive_across_sequence_wrap(struct kunit *test)
{
	static const int order[] = { 3, 5, 4, 0, 2, 1 };
	struct vtcp_t_conn *c = vtcp_t_wrap_conn(test);
	u8 *data = kunit_kmalloc(test, 6 * MSS, GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, 6 * MSS, GFP_KERNEL);
	struct vtcp_t_seg seg = {
		.flags = VTCP_TH_ACK, .ack = ISS + 1, .wnd = VTCP_T_WND, .len = MSS,
	};
	struct vtcp_t_out *o;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 6 * MSS; i++)
		data[i] = vtcp_t_wbyte(i + 77);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		seg.seq = IRS + 1 + order[i] * MSS;
		seg.data = data + order[i] * MSS;
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &seg));
		if (i == 2) {
			/* One block [3000, 6000) from IRS + 1: 953 to 3953. */
			o = vtcp_t_pop(c);
			o = vtcp_t_pop(c);
			o = vtcp_t_pop(c);
			KUNIT_ASSERT_NOT_NULL(test, o);
			KUNIT_EXPECT_EQ(test, o->out.ack, IRS + 1);
			KUNIT_ASSERT_EQ(test, (int)o->out.opt.nsack, 1);
			KUNIT_EXPECT_EQ(test, o->out.opt.sack[0].start, 953U);
			KUNIT_EXPECT_EQ(test, o->out.opt.sack[0].end, 3953U);
		}
	}
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, IRS + 1 + 6 * MSS);
	KUNIT_EXPECT_EQ(test, vtcp_t_read(c, buf, 6 * MSS), 6 * MSS);
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, data, 6 * MSS));
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.mem, 0U);
	KUNIT_EXPECT_EQ(test, c->tcb.nsack, 0);
}

/* FINs on either side of the wrap: the connection still closes. */
static void rfc9293_close_across_sequence_wrap(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_wrap_conn(test);
	struct vtcp_t_seg fin = {
		.flags = VTCP_TH_ACK | VTCP_TH_FIN, .seq = IRS + 1 + 2047,
		.ack = ISS + 1 + 8191 + 1, .wnd = VTCP_T_WND,
	};
	u32 i;

	/* 8191 bytes: our FIN lands on sequence number 0. */
	vtcp_t_write(c, NULL, 8191);
	for (i = 0; i < 9; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, IRS + 1, c->tcb.snd_nxt, VTCP_T_WND));
	vtcp_t_shutdown(c);
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, c->tcb.fin_seq, 0U);
	/* The peer's 2047 bytes, then its FIN, on 0 too. */
	for (i = 0; i < 2047; i += 1000) {
		struct vtcp_t_seg d = {
			.flags = VTCP_TH_ACK, .seq = IRS + 1 + i, .ack = ISS + 1 + 8191,
			.wnd = VTCP_T_WND, .len = min(1000U, 2047 - i),
		};

		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &d));
	}
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &fin));
	KUNIT_EXPECT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, 1U);
	vtcp_t_advance(c, 60 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
}

static struct kunit_case vtcp_wrap_cases[] = {
	KUNIT_CASE(rfc9293_send_across_sequence_wrap),
	KUNIT_CASE(rfc9293_receive_across_sequence_wrap),
	KUNIT_CASE(rfc9293_close_across_sequence_wrap),
	{}
};

static struct kunit_suite vtcp_wrap_suite = {
	.name = "vtcp_wrap",
	.test_cases = vtcp_wrap_cases,
};

kunit_test_suite(vtcp_wrap_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * Segment sizes at the edges: the largest segment still fits IPv4's
 * 16-bit total length whatever options ride on it (RFC 791 3.1), and an
 * MSS below what the options take (RFC 6691) leaves sizes that make sense.
 */
#include "harness.h"
#include "engine/options.h"

#define IRS		VTCP_T_IRS
#define RCV_NXT		(VTCP_T_IRS + 1)
#define S		(VTCP_T_ISS + 1)
#define MS		NSEC_PER_MSEC
/* An MTU of 65535 (IP_MAX_MTU, which the device allows). */
#define BIG_MSS		(65535 - 20 - 20)
#define GSO_MAX		(65535 - 20 - 20 - VTCP_MAX_OPTION_SPACE)

/*
 * RFC 791 3.1: Total Length is 16 bits, so no IPv4 packet exceeds 65,535
 * octets. At an MTU of 65535 a full segment carrying timestamps and SACK
 * blocks (RFC 6691: they come off the data) must still fit.
 */
static void rfc791_total_length_fits_with_sack_options(struct kunit *test)
{
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK, .seq = IRS, .ack = S,
		.wnd = 65535,
		.opt = {
			.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK |
				   VTCP_TCPOPT_TS | VTCP_TCPOPT_WSCALE,
			.mss = BIG_MSS, .wscale = 7, .tsval = 100,
		},
	};
	struct vtcp_t_seg ooo = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT + 1000, .ack = S,
		.wnd = 65535, .len = 100,
		.opt = { .present = VTCP_TCPOPT_TS, .tsval = 101 },
	};
	struct vtcp_t_conn *c;
	struct vtcp_t_out *o;
	struct vtcp_cfg cfg;
	u32 segs = 0;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_SACK | VTCP_CFG_TIMESTAMPS | VTCP_CFG_WSCALE;
	cfg.sndbuf = 1 << 20;
	c = vtcp_t_conn_new(test, &cfg);
	/* What conn.c gives an IPv4 connection on such a device. */
	vtcp_tcb_init(&c->tcb, c->tcb.ops, &cfg, BIG_MSS, GSO_MAX, 0);

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN, VTCP_T_ISS, 0, 0);
	c->now += 10 * MS;
	synack.opt.tsecr = c->tcb.ts_recent;
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_ASSERT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_ASSERT_TRUE(test, c->tcb.sack_ok && c->tcb.ts_ok);
	vtcp_t_drain(c);

	/* Out-of-order data: every segment now carries a SACK block. */
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ooo));
	vtcp_t_drain(c);
	KUNIT_ASSERT_EQ(test, (int)c->tcb.nsack, 1);

	KUNIT_ASSERT_EQ(test, 300000, vtcp_t_write(c, NULL, 300000));
	while ((o = vtcp_t_pop(c))) {
		u32 iplen = 20 + 20 + vtcp_opts_size(&o->out.opt) + o->out.len;

		if (!o->out.len)
			continue;
		segs++;
		KUNIT_EXPECT_GT(test, (int)o->out.opt.nsack, 0);
		KUNIT_EXPECT_LE_MSG(test, iplen, 65535U,
				    "segment at %u, %u bytes of data",
				    o->out.seq, o->out.len);
	}
	KUNIT_EXPECT_GT(test, segs, 0U);
}

/*
 * RFC 6691: the MSS counts no options, and timestamps come off it. A peer
 * MSS below what they take must not wrap the receive MSS, which the
 * delayed-ACK and auto-tuning heuristics divide by: it is floored, as the
 * send MSS is, at the least segment vtcp deals in.
 */
static void rfc6691_mss_below_options_floor(struct kunit *test)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_TS,
		.mss = 5, .tsval = 100,
	};
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_TIMESTAMPS;
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_TRUE(test, c->tcb.ts_ok);
	KUNIT_EXPECT_GE(test, c->tcb.rcv_mss,
			(u16)(VTCP_MSS_MIN - VTCP_OPTLEN_TS_ALIGNED));
	KUNIT_EXPECT_LE(test, c->tcb.rcv_mss, c->tcb.adv_mss);
	KUNIT_EXPECT_GE(test, c->tcb.mss,
			(u16)(VTCP_MSS_MIN - VTCP_OPTLEN_TS_ALIGNED));
	KUNIT_EXPECT_LE(test, c->tcb.mss, c->tcb.adv_mss);
}

static struct kunit_case vtcp_mss_cases[] = {
	KUNIT_CASE(rfc791_total_length_fits_with_sack_options),
	KUNIT_CASE(rfc6691_mss_below_options_floor),
	{}
};

static struct kunit_suite vtcp_mss_suite = {
	.name = "vtcp_mss",
	.test_cases = vtcp_mss_cases,
};

kunit_test_suite(vtcp_mss_suite);

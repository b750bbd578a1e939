// SPDX-License-Identifier: GPL-2.0
/*
 * ECN (RFC 3168): the answer to every form of SYN (6.1.1), the offer on
 * ours, ECT(0) on new data only (6.1.2, 6.1.5), CE echoed with ECE until
 * CWR (6.1.3), and the sender's reduction once per window with CWR on the
 * next new data (6.1.2).
 */

#include "harness.h"
#include "engine/cookie.h"
#include "engine/sndq.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define S		(VTCP_T_ISS + 1)
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC
#define ECE		VTCP_TH_ECE
#define CWR		VTCP_TH_CWR

struct vtcp_t_ecn_syn {
	const char *name;
	bool ecn;		/* ECN enabled here */
	u8 syn;			/* the SYN's ECE/CWR bits */
	bool answer;		/* our SYN-ACK is an ECN-setup SYN-ACK */
};

static const struct vtcp_t_ecn_syn vtcp_t_ecn_syns[] = {
	{ "setup_syn_ecn_on", true, ECE | CWR, true },
	{ "setup_syn_ecn_off", false, ECE | CWR, false },
	{ "ece_only_ecn_on", true, ECE, false },
	{ "cwr_only_ecn_on", true, CWR, false },
	{ "plain_syn_ecn_on", true, 0, false },
	{ "plain_syn_ecn_off", false, 0, false },
};

static void vtcp_t_ecn_syn_desc(const struct vtcp_t_ecn_syn *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_t_ecn_syn, vtcp_t_ecn_syns, vtcp_t_ecn_syn_desc);

/*
 * RFC 3168 6.1.1: an ECN-setup SYN (ECE and CWR) is answered, when ECN is
 * enabled, by an ECN-setup SYN-ACK (ECE alone); every other SYN, or any
 * SYN with ECN disabled, by a SYN-ACK with neither.
 */
static void rfc3168_every_syn_gets_the_right_syn_ack(struct kunit *test)
{
	const struct vtcp_t_ecn_syn *p = test->param_value;
	struct vtcp_t_seg syn = {
		.flags = VTCP_TH_SYN | p->syn, .seq = VTCP_T_IRS,
		.wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS },
	};
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;

	vtcp_t_cfg(&cfg);
	if (p->ecn)
		cfg.flags |= VTCP_CFG_ECN;
	c = vtcp_t_conn_new(test, &cfg);
	vtcp_open_passive(&c->tcb, VTCP_T_ISS);
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &syn));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN | VTCP_TH_ACK | (p->answer ? ECE : 0),
			  VTCP_T_ISS, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, (bool)c->tcb.ecn_ok, p->answer);
}

/* SYN-SENT with ECN on: our SYN, and the peer's SYN-ACK with @bits. */
static struct vtcp_t_conn *vtcp_t_ecn_open(struct kunit *test, bool ecn, u8 bits)
{
	struct vtcp_t_seg synack = {
		.flags = VTCP_TH_SYN | VTCP_TH_ACK | bits, .seq = VTCP_T_IRS,
		.ack = S, .wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS },
	};
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;

	vtcp_t_cfg(&cfg);
	if (ecn)
		cfg.flags |= VTCP_CFG_ECN;
	c = vtcp_t_conn_new(test, &cfg);
	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_SYN | (ecn ? ECE | CWR : 0), VTCP_T_ISS, 0, 0);
	c->now += 10 * MS;
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &synack));
	KUNIT_ASSERT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, 0);
	return c;
}

/*
 * RFC 3168 6.1.1: our SYN offers ECN when it is enabled; only an
 * ECN-setup SYN-ACK (ECE without CWR) puts it in use.
 */
static void rfc3168_our_syn_offers_ecn_and_the_syn_ack_decides(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vtcp_t_ecn_open(test, true, ECE)->tcb.ecn_ok);
	KUNIT_EXPECT_FALSE(test, vtcp_t_ecn_open(test, true, ECE | CWR)->tcb.ecn_ok);
	KUNIT_EXPECT_FALSE(test, vtcp_t_ecn_open(test, true, 0)->tcb.ecn_ok);
	KUNIT_EXPECT_FALSE(test, vtcp_t_ecn_open(test, false, ECE)->tcb.ecn_ok);
}

/*
 * RFC 3168 6.1.2, 6.1.4, 6.1.5: new data is ECT(0); pure ACKs and
 * retransmissions are not ECN-capable.
 */
static void rfc3168_only_new_data_is_ect(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ecn_open(test, true, ECE);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = S, .wnd = VTCP_T_WND,
		.len = 100,
	};
	struct vtcp_t_out *o;

	vtcp_t_write(c, NULL, 2 * MSS);
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, o ? o->out.ecn : 0, VTCP_ECN_ECT_0);
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, S + MSS, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, o ? o->out.ecn : 0, VTCP_ECN_ECT_0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 2 * MSS, RCV_NXT + 100, 0);
	KUNIT_EXPECT_EQ(test, o ? o->out.ecn : 1, VTCP_ECN_NOT_ECT);
	vtcp_t_advance(c, 200 * MS);
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT + 100, MSS);
	KUNIT_EXPECT_EQ(test, o ? o->out.ecn : 1, VTCP_ECN_NOT_ECT);
}

/*
 * RFC 3168 6.1.3: data marked CE is ACKed at once with ECE, and every ACK
 * carries ECE until data with CWR arrives.
 */
static void rfc3168_ce_is_echoed_until_cwr(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ecn_open(test, true, ECE);
	struct vtcp_t_seg data = {
		.flags = VTCP_TH_ACK, .seq = RCV_NXT, .ack = S, .wnd = VTCP_T_WND,
		.len = MSS, .ecn = VTCP_ECN_CE,
	};

	c->tcb.quickacks = 0;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | ECE, S, RCV_NXT + MSS, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.ce_received, 1U);
	/* Unmarked data: the echo goes on, on the delayed ACK too. */
	data.ecn = VTCP_ECN_ECT_0;
	data.seq += MSS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	vtcp_t_advance(c, 40 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | ECE, S, RCV_NXT + 2 * MSS, 0);
	/* CWR: the sender reacted; the echo stops. */
	data.flags |= CWR;
	data.seq += MSS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &data));
	vtcp_t_advance(c, 40 * MS);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S, RCV_NXT + 3 * MSS, 0);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * RFC 3168 6.1.2: ECE halves the window (as a loss would: ssthresh from
 * the flight, no growth on that ACK), once per window of data; the next
 * new segment carries CWR. An ECE after that window reduces again.
 */
static void rfc3168_ece_reduces_once_per_window_with_cwr(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ecn_open(test, true, ECE);
	struct vtcp_tcb *tcb = &c->tcb;
	struct vtcp_t_seg ack = {
		.flags = VTCP_TH_ACK | ECE, .seq = RCV_NXT, .wnd = VTCP_T_WND,
	};
	struct vtcp_t_out *o;

	vtcp_t_write(c, NULL, 30 * MSS);
	vtcp_t_drain(c);
	c->now += 10 * MS;
	ack.ack = S + 2 * MSS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, 4U * MSS);	/* 8 in flight */
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 4U * MSS);
	KUNIT_EXPECT_EQ(test, tcb->stats.ece_received, 1U);
	VTCP_T_EXPECT_NOTHING(c);
	/* More ECE in the same window: no second reduction. */
	ack.ack = S + 6 * MSS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 4U * MSS);
	KUNIT_EXPECT_EQ(test, tcb->stats.ece_received, 1U);
	/* The window is acked: new data, the first with CWR. */
	ack.flags = VTCP_TH_ACK;
	ack.ack = S + 10 * MSS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | CWR, S + 10 * MSS, RCV_NXT, MSS);
	KUNIT_EXPECT_EQ(test, o ? o->out.ecn : 0, VTCP_ECN_ECT_0);
	o = VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK, S + 11 * MSS, RCV_NXT, MSS);
	vtcp_t_drain(c);
	/* A new mark in the next window: a new reduction. */
	ack.flags = VTCP_TH_ACK | ECE;
	ack.ack = S + 11 * MSS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &ack));
	KUNIT_EXPECT_EQ(test, tcb->stats.ece_received, 2U);
	KUNIT_EXPECT_LT(test, tcb->cwnd, 5U * MSS);
}

/*
 * RFC 3168 6.1.1: a SYN cookie keeps no state, so its SYN-ACK never claims
 * ECN, whatever the SYN asked; the connection runs without it.
 */
static void rfc3168_syn_cookie_syn_ack_claims_no_ecn(struct kunit *test)
{
	struct vtcp_seg syn = {
		.seq = VTCP_T_IRS, .flags = VTCP_TH_SYN | ECE | CWR,
		.wnd = VTCP_T_WND,
		.opt = { .present = VTCP_TCPOPT_MSS, .mss = MSS },
	};
	struct vtcp_out out;
	struct vtcp_cfg cfg;

	vtcp_cfg_default(&cfg);
	KUNIT_ASSERT_TRUE(test, cfg.flags & VTCP_CFG_ECN);
	vtcp_cookie_synack(&cfg, &syn, 12345, MSS, 0, 0, &out);
	KUNIT_EXPECT_EQ(test, (u32)out.flags, (u32)(VTCP_TH_SYN | VTCP_TH_ACK));
}

static struct kunit_case vtcp_ecn_cases[] = {
	KUNIT_CASE_PARAM(rfc3168_every_syn_gets_the_right_syn_ack,
			 vtcp_t_ecn_syn_gen_params),
	KUNIT_CASE(rfc3168_our_syn_offers_ecn_and_the_syn_ack_decides),
	KUNIT_CASE(rfc3168_only_new_data_is_ect),
	KUNIT_CASE(rfc3168_ce_is_echoed_until_cwr),
	KUNIT_CASE(rfc3168_ece_reduces_once_per_window_with_cwr),
	KUNIT_CASE(rfc3168_syn_cookie_syn_ack_claims_no_ecn),
	{}
};

static struct kunit_suite vtcp_ecn_suite = {
	.name = "vtcp_ecn",
	.test_cases = vtcp_ecn_cases,
};

kunit_test_suite(vtcp_ecn_suite);

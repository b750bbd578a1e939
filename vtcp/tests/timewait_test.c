// SPDX-License-Identifier: GPL-2.0
/*
 * TIME-WAIT without a TCB (timewait.c): the same rules as a connection in
 * TIME-WAIT, on the few fields an entry keeps.
 */
#include <kunit/test.h>

#include "harness.h"
#include "engine/timewait.h"

/* An entry made from a connection that really went through TIME-WAIT. */
static void vtcp_timewait_test_state(struct kunit *test, struct vtcp_timewait *tw,
			       bool ts)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_t_seg fin = {
		.flags = VTCP_TH_FIN | VTCP_TH_ACK, .seq = VTCP_T_IRS + 1,
		.ack = VTCP_T_ISS + 2, .wnd = VTCP_T_WND,
	};

	vtcp_t_cfg(&cfg);
	c = vtcp_t_established(test, &cfg);
	vtcp_t_close(c);	/* FIN-WAIT-1, our FIN out */
	KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &fin));
	KUNIT_ASSERT_EQ(test, VTCP_TIME_WAIT, c->tcb.state);
	vtcp_timewait_from(&c->tcb, tw);
	tw->ts_ok = ts;
	tw->ts_recent = 500;
}

static struct vtcp_seg vtcp_timewait_seg(u8 flags, u32 seq, u32 ack, u32 len)
{
	struct vtcp_seg s = { .flags = flags, .seq = seq, .ack = ack, .len = len };

	return s;
}

static void rfc9293_time_wait_reacks_a_retransmitted_fin(struct kunit *test)
{
	struct vtcp_timewait tw;
	struct vtcp_seg fin;
	enum vtcp_drop_reason drop;
	struct vtcp_out out;

	vtcp_timewait_test_state(test, &tw, false);
	fin = vtcp_timewait_seg(VTCP_TH_FIN | VTCP_TH_ACK, VTCP_T_IRS + 1, VTCP_T_ISS + 2, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK_RESTART,
			vtcp_timewait_input(&tw, &fin, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, (u32)out.flags, (u32)VTCP_TH_ACK);
	KUNIT_EXPECT_EQ(test, out.seq, VTCP_T_ISS + 2);
	KUNIT_EXPECT_EQ(test, out.ack, VTCP_T_IRS + 2);
}

static void rfc1337_time_wait_ignores_rst(struct kunit *test)
{
	struct vtcp_timewait tw;
	struct vtcp_seg rst;
	enum vtcp_drop_reason drop;
	struct vtcp_out out;

	vtcp_timewait_test_state(test, &tw, false);
	rst = vtcp_timewait_seg(VTCP_TH_RST, VTCP_T_IRS + 2, 0, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_DROP, vtcp_timewait_input(&tw, &rst, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, drop);
}

static void rfc6191_newer_syn_reopens_older_does_not(struct kunit *test)
{
	struct vtcp_timewait tw;
	struct vtcp_seg syn;
	enum vtcp_drop_reason drop;
	struct vtcp_out out;

	/* Without timestamps: by sequence number. */
	vtcp_timewait_test_state(test, &tw, false);
	syn = vtcp_timewait_seg(VTCP_TH_SYN, VTCP_T_IRS + 100000, 0, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_REOPEN, vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
	syn.seq = VTCP_T_IRS;
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK, vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_SYN_CHALLENGED, drop);

	/* With timestamps: by timestamp, whatever the sequence number. */
	vtcp_timewait_test_state(test, &tw, true);
	syn.opt.present = VTCP_TCPOPT_TS;
	syn.opt.tsval = 501;
	syn.seq = 1;
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_REOPEN, vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
	syn.opt.tsval = 499;
	syn.seq = VTCP_T_IRS + 100000;
	KUNIT_EXPECT_NE(test, VTCP_TIMEWAIT_REOPEN, vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
}

/* Old segments get ACKs, at most ten a second (RFC 5961 7). */
static void rfc5961_time_wait_acks_are_rate_limited(struct kunit *test)
{
	struct vtcp_timewait tw;
	enum vtcp_drop_reason drop;
	struct vtcp_out out;
	struct vtcp_seg old;
	int i, acks = 0;

	vtcp_timewait_test_state(test, &tw, true);
	old = vtcp_timewait_seg(VTCP_TH_ACK, VTCP_T_IRS - 5000, VTCP_T_ISS + 2, 10);
	for (i = 0; i < 50; i++)
		if (vtcp_timewait_input(&tw, &old, 1000 * NSEC_PER_SEC, &out, &drop) ==
		    VTCP_TIMEWAIT_ACK)
			acks++;
	KUNIT_EXPECT_EQ(test, 10, acks);
	KUNIT_EXPECT_TRUE(test, out.opt.present & VTCP_TCPOPT_TS);
	KUNIT_EXPECT_EQ(test, out.opt.tsecr, 500U);
	/* A second later, the budget is back. */
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK,
			vtcp_timewait_input(&tw, &old, 1001 * NSEC_PER_SEC, &out, &drop));
}

/* The peer's plain ACK of our FIN needs no answer. */
static void vtcp_time_wait_plain_ack_is_silent(struct kunit *test)
{
	struct vtcp_timewait tw;
	enum vtcp_drop_reason drop;
	struct vtcp_out out;
	struct vtcp_seg ack;

	vtcp_timewait_test_state(test, &tw, false);
	ack = vtcp_timewait_seg(VTCP_TH_ACK, VTCP_T_IRS + 2, VTCP_T_ISS + 2, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_DROP, vtcp_timewait_input(&tw, &ack, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, drop);
}

static struct kunit_case vtcp_timewait_cases[] = {
	KUNIT_CASE(rfc9293_time_wait_reacks_a_retransmitted_fin),
	KUNIT_CASE(rfc1337_time_wait_ignores_rst),
	KUNIT_CASE(rfc6191_newer_syn_reopens_older_does_not),
	KUNIT_CASE(rfc5961_time_wait_acks_are_rate_limited),
	KUNIT_CASE(vtcp_time_wait_plain_ack_is_silent),
	{}
};

static struct kunit_suite vtcp_timewait_suite = {
	.name = "vtcp_timewait",
	.test_cases = vtcp_timewait_cases,
};

kunit_test_suite(vtcp_timewait_suite);

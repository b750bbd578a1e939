// SPDX-License-Identifier: GPL-2.0
/*
 * TIME-WAIT without a TCB (timewait.c): the same rules as a connection in
 * TIME-WAIT, on the few fields an entry keeps.
 */
#include <kunit/test.h>

#include "harness.h"
#include "engine/timewait.h"

/* TS.Recent of the entries below that used timestamps. */
#define TS_RECENT	500U

/* An entry made from a connection that really went through TIME-WAIT. */
static void vtcp_timewait_test_state(struct kunit *test,
				     struct vtcp_timewait *tw, bool ts)
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
	tw->ts_recent = TS_RECENT;
}

static struct vtcp_seg vtcp_timewait_seg(u8 flags, u32 seq, u32 ack, u32 len)
{
	struct vtcp_seg s = {
		.flags = flags, .seq = seq, .ack = ack, .len = len,
	};

	return s;
}

static void rfc9293_time_wait_reacks_a_retransmitted_fin(struct kunit *test)
{
	enum vtcp_drop_reason drop;
	struct vtcp_timewait tw;
	struct vtcp_out out;
	struct vtcp_seg fin;

	vtcp_timewait_test_state(test, &tw, false);
	fin = vtcp_timewait_seg(VTCP_TH_FIN | VTCP_TH_ACK, VTCP_T_IRS + 1,
				VTCP_T_ISS + 2, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK_RESTART,
			vtcp_timewait_input(&tw, &fin, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, (u32)out.flags, (u32)VTCP_TH_ACK);
	KUNIT_EXPECT_EQ(test, out.seq, VTCP_T_ISS + 2);
	KUNIT_EXPECT_EQ(test, out.ack, VTCP_T_IRS + 2);
}

static void rfc1337_time_wait_ignores_rst(struct kunit *test)
{
	enum vtcp_drop_reason drop;
	struct vtcp_timewait tw;
	struct vtcp_out out;
	struct vtcp_seg rst;

	vtcp_timewait_test_state(test, &tw, false);
	rst = vtcp_timewait_seg(VTCP_TH_RST, VTCP_T_IRS + 2, 0, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_DROP,
			vtcp_timewait_input(&tw, &rst, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_STATE, drop);
}

/*
 * RFC 6191 2 and RFC 9293 3.6.1: a SYN reopens TIME-WAIT when it cannot
 * be an old duplicate: by timestamp when both incarnations have them,
 * else by sequence number.
 */
struct vtcp_timewait_syn {
	const char *name;
	bool ts_ok;		/* the old connection used timestamps */
	bool has_ts;		/* the SYN carries one */
	u32 tsval;
	u32 seq;
	bool reopens;
};

static const struct vtcp_timewait_syn vtcp_timewait_syns[] = {
	{ "no_ts_newer_seq", false, false, 0, VTCP_T_IRS + 100000, true },
	{ "no_ts_older_seq", false, false, 0, VTCP_T_IRS, false },
	{ "newer_tsval_older_seq", true, true, TS_RECENT + 1, 1, true },
	{ "older_tsval_newer_seq", true, true, TS_RECENT - 1,
	  VTCP_T_IRS + 100000, false },
	{ "syn_without_ts_newer_seq", true, false, 0, VTCP_T_IRS + 100000,
	  true },
	{ "syn_without_ts_older_seq", true, false, 0, VTCP_T_IRS, false },
};

static void vtcp_timewait_syn_desc(const struct vtcp_timewait_syn *p,
				   char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_timewait_syn, vtcp_timewait_syns,
		  vtcp_timewait_syn_desc);

static void rfc6191_only_a_newer_syn_reopens(struct kunit *test)
{
	const struct vtcp_timewait_syn *p = test->param_value;
	enum vtcp_drop_reason drop;
	struct vtcp_timewait tw;
	struct vtcp_out out;
	struct vtcp_seg syn;

	vtcp_timewait_test_state(test, &tw, p->ts_ok);
	syn = vtcp_timewait_seg(VTCP_TH_SYN, p->seq, 0, 0);
	if (p->has_ts) {
		syn.opt.present = VTCP_TCPOPT_TS;
		syn.opt.tsval = p->tsval;
	}
	if (p->reopens) {
		KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_REOPEN,
				vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
		return;
	}
	/* An old duplicate gets a (challenge) ACK, RFC 5961 4.2. */
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK,
			vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_SYN_CHALLENGED, drop);
}

/*
 * RFC 6191 2: a SYN whose TSval equals TS.Recent reopens if its sequence
 * number is newer, and only then: the rule of the full TCB
 * (state_test.c's namesake) and of the entry is one.
 */
static void rfc6191_equal_tsval_falls_back_to_sequence(struct kunit *test)
{
	enum vtcp_drop_reason drop;
	struct vtcp_timewait tw;
	struct vtcp_out out;
	struct vtcp_seg syn;

	vtcp_timewait_test_state(test, &tw, true);
	syn = vtcp_timewait_seg(VTCP_TH_SYN, tw.rcv_nxt - 10, 0, 0);
	syn.opt.present = VTCP_TCPOPT_TS;
	syn.opt.tsval = TS_RECENT;
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK,
			vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_SYN_CHALLENGED, drop);
	syn.seq = tw.rcv_nxt + 10;
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_REOPEN,
			vtcp_timewait_input(&tw, &syn, 0, &out, &drop));
}

/* Old segments get ACKs, at most ten a second (RFC 5961 7). */
static void rfc5961_time_wait_acks_are_rate_limited(struct kunit *test)
{
	enum vtcp_drop_reason drop;
	struct vtcp_timewait tw;
	struct vtcp_out out;
	struct vtcp_seg old;
	int i, acks = 0;

	vtcp_timewait_test_state(test, &tw, true);
	old = vtcp_timewait_seg(VTCP_TH_ACK, VTCP_T_IRS - 5000, VTCP_T_ISS + 2,
				10);
	for (i = 0; i < 50; i++)
		if (vtcp_timewait_input(&tw, &old, 1000 * NSEC_PER_SEC, &out,
					&drop) == VTCP_TIMEWAIT_ACK)
			acks++;
	KUNIT_EXPECT_EQ(test, 10, acks);
	KUNIT_EXPECT_TRUE(test, out.opt.present & VTCP_TCPOPT_TS);
	KUNIT_EXPECT_EQ(test, out.opt.tsecr, TS_RECENT);
	/* A second later, the budget is back. */
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_ACK,
			vtcp_timewait_input(&tw, &old, 1001 * NSEC_PER_SEC,
					    &out, &drop));
}

/* The peer's plain ACK of our FIN needs no answer. */
static void vtcp_time_wait_plain_ack_is_silent(struct kunit *test)
{
	enum vtcp_drop_reason drop;
	struct vtcp_timewait tw;
	struct vtcp_out out;
	struct vtcp_seg ack;

	vtcp_timewait_test_state(test, &tw, false);
	ack = vtcp_timewait_seg(VTCP_TH_ACK, VTCP_T_IRS + 2, VTCP_T_ISS + 2, 0);
	KUNIT_EXPECT_EQ(test, VTCP_TIMEWAIT_DROP,
			vtcp_timewait_input(&tw, &ack, 0, &out, &drop));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, drop);
}

static struct kunit_case vtcp_timewait_cases[] = {
	KUNIT_CASE(rfc9293_time_wait_reacks_a_retransmitted_fin),
	KUNIT_CASE(rfc1337_time_wait_ignores_rst),
	KUNIT_CASE_PARAM(rfc6191_only_a_newer_syn_reopens,
			 vtcp_timewait_syn_gen_params),
	KUNIT_CASE(rfc6191_equal_tsval_falls_back_to_sequence),
	KUNIT_CASE(rfc5961_time_wait_acks_are_rate_limited),
	KUNIT_CASE(vtcp_time_wait_plain_ack_is_silent),
	{}
};

static struct kunit_suite vtcp_timewait_suite = {
	.name = "vtcp_timewait",
	.test_cases = vtcp_timewait_cases,
};

kunit_test_suite(vtcp_timewait_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * What the engine reports for the datapath's tracepoints (net/trace.h):
 * why each segment goes again (vtcp_out.retrans, stats.retrans_by[]), one
 * test per cause, and the log of the states it entered; and the mapping
 * of every drop reason to one of the kernel's (net/discard.c).
 *
 * The connections are retrans_test.c's and rack_test.c's: ISS 1000, MSS
 * 1000, a 10 ms handshake so RTO 200 ms; with RACK, PTO 20 ms.
 */
#include "harness.h"
#include "net/discard.h"
#include "engine/sndq.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define S		(VTCP_T_ISS + 1)	/* the first data byte */
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC
#define US		NSEC_PER_USEC

/* Write @n segments, all of which leave as first transmissions. */
static void vtcp_t_send_new(struct vtcp_t_conn *c, u32 n)
{
	struct vtcp_t_out *o;

	KUNIT_ASSERT_EQ(c->test, (int)(n * MSS), vtcp_t_write(c, NULL, n * MSS));
	KUNIT_ASSERT_EQ(c->test, vtcp_t_pending(c), n);
	while ((o = vtcp_t_pop(c)))
		KUNIT_EXPECT_EQ(c->test, o->out.retrans, VTCP_RETRANS_NONE);
}

/* The next segment is a resend of @seq for @why, counted as one. */
static void vtcp_t_expect_resend(struct vtcp_t_conn *c, u32 seq, u8 why)
{
	struct vtcp_t_out *o = vtcp_t_pop(c);

	KUNIT_ASSERT_NOT_NULL(c->test, o);
	KUNIT_EXPECT_EQ(c->test, o->out.seq, seq);
	KUNIT_EXPECT_EQ(c->test, o->out.retrans, why);
	KUNIT_EXPECT_EQ(c->test, c->tcb.stats.retrans_by[why], 1U);
}

/* RFC 6298 5.4: the RTO's resend of the earliest segment. */
static void rfc6298_rto_resend_is_reported_as_rto(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);

	vtcp_t_send_new(c, 3);
	vtcp_t_advance(c, 200 * MS);
	vtcp_t_expect_resend(c, S, VTCP_RETRANS_RTO);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.retrans_segs, 1U);
}

/* RFC 6298 5.4 for a SYN: its resend is the RTO's too. */
static void rfc6298_syn_resend_is_reported_as_rto(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_conn_new(test, NULL);
	struct vtcp_t_out *o;

	spin_lock_bh(&c->tcb.lock);
	vtcp_connect(&c->tcb, VTCP_T_ISS, 0, c->now);
	spin_unlock_bh(&c->tcb.lock);
	o = vtcp_t_pop(c);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o->out.retrans, VTCP_RETRANS_NONE);
	vtcp_t_advance(c, 1000 * MS);
	vtcp_t_expect_resend(c, VTCP_T_ISS, VTCP_RETRANS_RTO);
}

/* RFC 5681 3.2: the third duplicate ACK's fast retransmit. */
static void rfc5681_fast_retransmit_is_reported_as_fast(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	int i;

	c->tcb.quickacks = 0;
	vtcp_t_send_new(c, 10);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_ack(c, RCV_NXT, S, VTCP_T_WND));
	vtcp_t_expect_resend(c, S, VTCP_RETRANS_FAST);
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 8985 6.2: a loss RACK's reorder timer marked. */
static void rfc8985_rack_loss_is_reported_as_rack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, VTCP_CFG_RACK);
	u64 t0 = c->now;

	vtcp_t_send_new(c, 10);
	c->now = t0 + 20 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_sack(c, S, 1, S + MSS, S + 2 * MSS));
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_run_until(c, t0 + 22500 * US);
	vtcp_t_expect_resend(c, S, VTCP_RETRANS_RACK);
	VTCP_T_EXPECT_NOTHING(c);
}

/* RFC 8985 7.3: the probe that resends the last segment. */
static void rfc8985_loss_probe_is_reported_as_tlp(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, VTCP_CFG_RACK);
	u64 t0 = c->now;

	vtcp_t_send_new(c, 10);
	c->now = t0 + 10 * MS;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 8 * MSS, VTCP_T_WND));
	vtcp_t_run_until(c, t0 + 30 * MS);
	vtcp_t_expect_resend(c, S + 9 * MSS, VTCP_RETRANS_TLP);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.retrans_by[VTCP_RETRANS_RTO], 0U);
}

/* Every state entered, in order, from the one before the first. */
static void state_log_lists_each_change_in_order(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_state_log *log = &c->tcb.state_log;

	KUNIT_ASSERT_EQ(test, log->n, 2);
	KUNIT_EXPECT_EQ(test, log->from, VTCP_CLOSED);
	KUNIT_EXPECT_EQ(test, log->to[0], VTCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, log->to[1], VTCP_ESTABLISHED);

	/* What the datapath does at the unlock; then our FIN, the peer's. */
	log->n = 0;
	vtcp_t_close(c);
	KUNIT_ASSERT_EQ(test, log->n, 1);
	KUNIT_EXPECT_EQ(test, log->from, VTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, log->to[0], VTCP_FIN_WAIT_1);
	vtcp_t_abort(c);
	KUNIT_ASSERT_EQ(test, log->n, 2);
	KUNIT_EXPECT_EQ(test, log->to[1], VTCP_CLOSED);
}

/* A passive open starts from LISTEN. */
static void state_log_of_a_child_starts_at_listen(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_accepted(test, NULL);
	struct vtcp_state_log *log = &c->tcb.state_log;

	KUNIT_ASSERT_EQ(test, log->n, 2);
	KUNIT_EXPECT_EQ(test, log->from, VTCP_LISTEN);
	KUNIT_EXPECT_EQ(test, log->to[0], VTCP_SYN_RECEIVED);
	KUNIT_EXPECT_EQ(test, log->to[1], VTCP_ESTABLISHED);
}

/* Past its room the log keeps the current state last. */
static void state_log_ends_at_the_current_state(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_state_log *log = &c->tcb.state_log;
	struct vtcp_t_seg fin = {
		.flags = VTCP_TH_FIN | VTCP_TH_ACK, .seq = RCV_NXT,
		.ack = S + 1, .wnd = VTCP_T_WND,
	};

	vtcp_t_close(c);				/* FIN-WAIT-1: third */
	vtcp_t_ack(c, RCV_NXT, S + 1, VTCP_T_WND);	/* FIN-WAIT-2 */
	KUNIT_ASSERT_EQ(test, log->n, VTCP_STATE_LOG);
	vtcp_t_input(c, &fin);				/* TIME-WAIT: fifth */
	KUNIT_ASSERT_EQ(test, c->tcb.state, VTCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, log->n, VTCP_STATE_LOG);
	KUNIT_EXPECT_EQ(test, log->to[VTCP_STATE_LOG - 1], VTCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, log->to[VTCP_STATE_LOG - 2], VTCP_FIN_WAIT_1);
}

/*
 * Every drop reason has a core reason a 6.1 kernel knows (never 0, which
 * means "not dropped", nor NOT_SPECIFIED) and its ethtool -S name.
 */
static void every_drop_reason_has_a_core_reason(struct kunit *test)
{
	int r;

	for (r = VTCP_DROP_NONE + 1; r < VTCP_DROP_MAX; r++) {
		enum skb_drop_reason core = vtcp_discard_core(r);

		KUNIT_EXPECT_GT_MSG(test, (int)core,
				    (int)SKB_DROP_REASON_NOT_SPECIFIED,
				    "reason %d", r);
		KUNIT_EXPECT_LT(test, (int)core, (int)SKB_DROP_REASON_MAX);
		KUNIT_EXPECT_EQ_MSG(test, 0,
				    strncmp(vtcp_discard_name(r), "drop_", 5),
				    "reason %d", r);
	}
	KUNIT_EXPECT_EQ(test, vtcp_discard_core(VTCP_DROP_NO_SOCKET),
			SKB_DROP_REASON_NO_SOCKET);
	KUNIT_EXPECT_TRUE(test, vtcp_discard_core_exact(VTCP_DROP_NO_SOCKET));
	KUNIT_EXPECT_FALSE(test, vtcp_discard_core_exact(VTCP_DROP_STATE));
}

static struct kunit_case vtcp_tracing_cases[] = {
	KUNIT_CASE(rfc6298_rto_resend_is_reported_as_rto),
	KUNIT_CASE(rfc6298_syn_resend_is_reported_as_rto),
	KUNIT_CASE(rfc5681_fast_retransmit_is_reported_as_fast),
	KUNIT_CASE(rfc8985_rack_loss_is_reported_as_rack),
	KUNIT_CASE(rfc8985_loss_probe_is_reported_as_tlp),
	KUNIT_CASE(state_log_lists_each_change_in_order),
	KUNIT_CASE(state_log_of_a_child_starts_at_listen),
	KUNIT_CASE(state_log_ends_at_the_current_state),
	KUNIT_CASE(every_drop_reason_has_a_core_reason),
	{}
};

static struct kunit_suite vtcp_tracing_suite = {
	.name = "vtcp_tracing",
	.test_cases = vtcp_tracing_cases,
};

kunit_test_suite(vtcp_tracing_suite);

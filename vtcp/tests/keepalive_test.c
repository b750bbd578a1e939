// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive (RFC 1122 4.2.3.6): vtcp_keepalive_decide() as the pure
 * function it is, then through the engine: the probes on the wire, the
 * end of a dead connection, and what cancels it.
 */
#include "harness.h"
#include "engine/keepalive.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define SND_NXT		(VTCP_T_ISS + 1)
#define S		NSEC_PER_SEC

/* idle 100 s, interval 10 s, 3 probes */
static void vtcp_t_ka_cfg(struct vtcp_cfg *cfg)
{
	vtcp_t_cfg(cfg);
	cfg->flags |= VTCP_CFG_KEEPALIVE;
	cfg->keepalive_idle_ms = 100000;
	cfg->keepalive_intvl_ms = 10000;
	cfg->keepalive_cnt = 3;
}

/*
 * Expect what vtcp_keepalive_decide() says at @now, after the last segment
 * at @last and @probes probes: @act, at @at for a wait or a probe.
 */
static void vtcp_t_expect_ka(struct kunit *test, const struct vtcp_cfg *cfg,
			     u8 state, bool busy, u64 last, u8 probes, u64 now,
			     enum vtcp_ka_action act, u64 at)
{
	struct vtcp_ka_decision d;

	d = vtcp_keepalive_decide(cfg, state, busy, last, probes, now);
	KUNIT_EXPECT_EQ_MSG(test, (int)d.action, (int)act,
			    "state %u probes %u at last + %llu ns", state, probes,
			    now - last);
	if (act == VTCP_KA_WAIT || act == VTCP_KA_PROBE)
		KUNIT_EXPECT_EQ(test, d.when, at);
}

#define EST	VTCP_ESTABLISHED

/* RFC 1122 4.2.3.6: keepalives MUST default to off. */
static void rfc1122_keepalive_is_off_by_default(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_cfg_default(&cfg);
	KUNIT_EXPECT_FALSE(test, cfg.flags & VTCP_CFG_KEEPALIVE);
	/* ...and the interval MUST default to no less than two hours. */
	KUNIT_EXPECT_GE(test, cfg.keepalive_idle_ms, 7200U * 1000);
	vtcp_t_expect_ka(test, &cfg, EST, false, 0, 0, 1000 * 3600 * S,
			 VTCP_KA_OFF, 0);
	c = vtcp_t_established(test, NULL);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_KEEPALIVE], 0ULL);
}

/*
 * Probes at idle, idle + intvl, ..., idle + (cnt - 1) * intvl after the
 * last segment; dead at idle + cnt * intvl. Before each, wait.
 */
static void rfc1122_keepalive_decide_timing(struct kunit *test)
{
	struct vtcp_cfg cfg;
	u64 t = 5000 * S;
	u8 p;

	vtcp_t_ka_cfg(&cfg);
	vtcp_t_expect_ka(test, &cfg, EST, false, t, 0, t + 1,
			 VTCP_KA_WAIT, t + 100 * S);
	for (p = 0; p < 3; p++) {
		u64 due = t + 100 * S + p * 10 * S;

		vtcp_t_expect_ka(test, &cfg, EST, false, t, p, due - 1,
				 VTCP_KA_WAIT, due);
		vtcp_t_expect_ka(test, &cfg, EST, false, t, p, due,
				 VTCP_KA_PROBE, due + 10 * S);
	}
	vtcp_t_expect_ka(test, &cfg, EST, false, t, 3, t + 130 * S - 1,
			 VTCP_KA_WAIT, t + 130 * S);
	vtcp_t_expect_ka(test, &cfg, EST, false, t, 3, t + 130 * S,
			 VTCP_KA_DEAD, 0);
}

/* Any segment from the peer starts the idle time over. */
static void rfc1122_keepalive_decide_restarts_on_any_segment(struct kunit *test)
{
	struct vtcp_cfg cfg;
	u64 t = 5000 * S;

	vtcp_t_ka_cfg(&cfg);
	/* Two probes were out when the peer spoke at t + 115 s. */
	vtcp_t_expect_ka(test, &cfg, EST, false, t + 115 * S, 0, t + 120 * S,
			 VTCP_KA_WAIT, t + 215 * S);
}

/*
 * Only idle connections are probed (data in flight has the RTO), and only
 * in the states where the peer is expected to be there.
 */
static void rfc1122_keepalive_decide_only_idle_synchronized(struct kunit *test)
{
	static const u8 off[] = {
		VTCP_CLOSED, VTCP_LISTEN, VTCP_SYN_SENT, VTCP_SYN_RECEIVED,
		VTCP_FIN_WAIT_1, VTCP_CLOSING, VTCP_LAST_ACK, VTCP_TIME_WAIT,
	};
	static const u8 on[] = {
		VTCP_ESTABLISHED, VTCP_CLOSE_WAIT, VTCP_FIN_WAIT_2,
	};
	struct vtcp_cfg cfg;
	u64 t = 5000 * S;
	int i;

	vtcp_t_ka_cfg(&cfg);
	for (i = 0; i < ARRAY_SIZE(off); i++)
		vtcp_t_expect_ka(test, &cfg, off[i], false, t, 0, t + 200 * S,
				 VTCP_KA_OFF, 0);
	for (i = 0; i < ARRAY_SIZE(on); i++)
		vtcp_t_expect_ka(test, &cfg, on[i], false, t, 0, t + 200 * S,
				 VTCP_KA_PROBE, t + 210 * S);
	vtcp_t_expect_ka(test, &cfg, EST, true, t, 0, t + 200 * S,
			 VTCP_KA_WAIT, t + 300 * S);
}

/* RFC 5482: a user timeout ends probing early, once a probe went out. */
static void rfc5482_keepalive_decide_user_timeout(struct kunit *test)
{
	struct vtcp_cfg cfg;
	u64 t = 5000 * S;

	vtcp_t_ka_cfg(&cfg);
	cfg.user_timeout_ms = 105000;
	vtcp_t_expect_ka(test, &cfg, EST, false, t, 1, t + 110 * S,
			 VTCP_KA_DEAD, 0);
	vtcp_t_expect_ka(test, &cfg, EST, false, t, 0, t + 110 * S,
			 VTCP_KA_PROBE, t + 120 * S);
}

static struct vtcp_t_conn *vtcp_t_ka_conn(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_ka_cfg(&cfg);
	c = vtcp_t_established(test, &cfg);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_KEEPALIVE], c->now + 100 * S);
	return c;
}

/* A keepalive probe: SEG.SEQ = SND.NXT - 1, no data (RFC 1122 4.2.3.6). */
static void vtcp_t_expect_ka_probe(struct vtcp_t_conn *c)
{
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT - 1, RCV_NXT, 0, 65535);
	VTCP_T_EXPECT_NOTHING(c);
}

/*
 * Through the engine: probes every interval after the idle time, then a
 * RST and ETIMEDOUT; everything the connection held is freed.
 */
static void rfc1122_keepalive_declares_silent_peer_dead(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ka_conn(test);
	u64 t = c->now;
	int i;

	for (i = 0; i < 3; i++) {
		vtcp_t_run_until(c, t + 100 * S + i * 10 * S - 1);
		VTCP_T_EXPECT_NOTHING(c);
		vtcp_t_advance(c, 1);
		vtcp_t_expect_ka_probe(c);
	}
	KUNIT_EXPECT_EQ(test, c->tcb.stats.keepalive_probes, 3U);
	vtcp_t_run_until(c, t + 130 * S - 1);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	vtcp_t_advance(c, 1);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_RST | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSED, c->tcb.state);
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, (int)c->tcb.err);
	KUNIT_EXPECT_EQ(test, vtcp_deadline_next(&c->tcb), 0ULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->tcb.sndq.segs));
}

/* An answer to a probe (any segment) starts the idle time over. */
static void rfc1122_keepalive_answer_restarts_idle(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ka_conn(test);
	u64 t = c->now;

	vtcp_t_run_until(c, t + 100 * S);
	vtcp_t_expect_ka_probe(c);
	vtcp_t_run_until(c, t + 101 * S);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_ack(c, RCV_NXT, SND_NXT, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, c->tcb.probes, 0);
	vtcp_t_run_until(c, t + 201 * S - 1);
	VTCP_T_EXPECT_NOTHING(c);
	vtcp_t_advance(c, 1);
	vtcp_t_expect_ka_probe(c);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
}

/* Data in flight: no keepalive probes, the retransmission timer rules. */
static void rfc1122_keepalive_not_sent_while_data_outstanding(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ka_conn(test);
	struct vtcp_t_out *o;

	c->tcb.cfg.retries = 30;
	vtcp_t_write(c, NULL, 100);
	vtcp_t_advance(c, 150 * S);
	while ((o = vtcp_t_pop(c)))
		KUNIT_EXPECT_EQ(test, o->out.len, 100U);	/* resends only */
	KUNIT_EXPECT_EQ(test, c->tcb.stats.keepalive_probes, 0U);
}

/* A RST ends the connection and its keepalive timer with it. */
static void rfc1122_keepalive_cancelled_by_rst(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ka_conn(test);
	struct vtcp_t_seg rst = { .flags = VTCP_TH_RST, .seq = RCV_NXT };

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &rst));
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_KEEPALIVE], 0ULL);
	vtcp_t_advance(c, 200 * S);
	VTCP_T_EXPECT_NOTHING(c);
}

/* Closing gives the user's keepalive up: the orphan sends no probes. */
static void rfc1122_keepalive_cancelled_by_close(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_ka_conn(test);

	c->tcb.cfg.fin_wait2_ms = 1000000;
	vtcp_t_close(c);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_FIN | VTCP_TH_ACK, SND_NXT, RCV_NXT, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, SND_NXT + 1, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, VTCP_FIN_WAIT_2, c->tcb.state);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_KEEPALIVE], 0ULL);
	vtcp_t_advance(c, 300 * S);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.stats.keepalive_probes, 0U);
}

/*
 * Turning keepalive on for a connection idle longer than the idle time
 * probes at once; turning it off stops it.
 */
static void vtcp_keepalive_set_on_idle_connection(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_established(test, NULL);
	struct vtcp_cfg cfg;

	vtcp_t_advance(c, 500 * S);
	vtcp_t_ka_cfg(&cfg);
	vtcp_t_set_cfg(c, &cfg);
	vtcp_t_advance(c, 0);
	vtcp_t_expect_ka_probe(c);
	cfg.flags &= ~VTCP_CFG_KEEPALIVE;
	vtcp_t_set_cfg(c, &cfg);
	KUNIT_EXPECT_EQ(test, c->tcb.deadline[VTCP_TIMER_KEEPALIVE], 0ULL);
	vtcp_t_advance(c, 500 * S);
	VTCP_T_EXPECT_NOTHING(c);
}

static struct kunit_case vtcp_keepalive_cases[] = {
	KUNIT_CASE(rfc1122_keepalive_is_off_by_default),
	KUNIT_CASE(rfc1122_keepalive_decide_timing),
	KUNIT_CASE(rfc1122_keepalive_decide_restarts_on_any_segment),
	KUNIT_CASE(rfc1122_keepalive_decide_only_idle_synchronized),
	KUNIT_CASE(rfc5482_keepalive_decide_user_timeout),
	KUNIT_CASE(rfc1122_keepalive_declares_silent_peer_dead),
	KUNIT_CASE(rfc1122_keepalive_answer_restarts_idle),
	KUNIT_CASE(rfc1122_keepalive_not_sent_while_data_outstanding),
	KUNIT_CASE(rfc1122_keepalive_cancelled_by_rst),
	KUNIT_CASE(rfc1122_keepalive_cancelled_by_close),
	KUNIT_CASE(vtcp_keepalive_set_on_idle_connection),
	{}
};

static struct kunit_suite vtcp_keepalive_suite = {
	.name = "vtcp_keepalive",
	.test_cases = vtcp_keepalive_cases,
};

kunit_test_suite(vtcp_keepalive_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control: PRR's sndcnt (RFC 6937 3) and how it spreads
 * recovery's sends; CUBIC's window curve and reduction against RFC 9438's
 * formulas (4.2-4.7); HyStart++'s slow-start exit (RFC 9406 4); choosing
 * an algorithm by name.
 */
#include <linux/slab.h>

#include "engine/cc.h"
#include "harness.h"
#include "engine/output.h"
#include "engine/recovery.h"

#define RCV_NXT		(VTCP_T_IRS + 1)
#define S		(VTCP_T_ISS + 1)
#define MSS		VTCP_T_MSS
#define MS		NSEC_PER_MSEC
#define US		NSEC_PER_USEC

/*
 * RFC 6937 3: sndcnt for a RecoverFS of 20 segments and ssthresh 10.
 * While pipe > ssthresh, CEIL(prr_delivered * ssthresh / RecoverFS) -
 * prr_out (but the first ACK lets the fast retransmit go); below it,
 * PRR-SSRB: min(ssthresh - pipe, max(prr_delivered - prr_out,
 * DeliveredData) + MSS).
 */
static void rfc6937_prr_sndcnt_worked_example(struct kunit *test)
{
	struct vtcp_tcb *tcb = kunit_kzalloc(test, sizeof(*tcb), GFP_KERNEL);
	static const struct {
		u32 delivered_total, out, pipe, delivered, sndcnt;
	} steps[] = {
		{ 1000, 0, 19000, 1000, 1000 },		/* 500, but the first */
		{ 2000, 1000, 18000, 1000, 0 },		/* 1000 - 1000 */
		{ 3000, 1000, 18000, 1000, 500 },	/* 1500 - 1000 */
		{ 4000, 1000, 17000, 1000, 1000 },
		{ 15000, 7000, 16000, 1000, 500 },	/* 7500 - 7000 */
		{ 12000, 6000, 8000, 1000, 2000 },	/* SSRB: ssthresh - pipe */
		{ 7000, 6500, 2000, 500, 1500 },	/* SSRB: 500 + MSS */
		{ 9000, 6000, 10000, 1000, 0 },		/* at ssthresh */
	};
	int i;

	KUNIT_ASSERT_NOT_NULL(test, tcb);
	tcb->mss = MSS;
	tcb->ssthresh = 10000;
	tcb->recovery_flight = 20000;
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		tcb->prr_delivered = steps[i].delivered_total;
		tcb->prr_out = steps[i].out;
		KUNIT_EXPECT_EQ_MSG(test, vtcp_prr_sndcnt(tcb, steps[i].pipe,
							  steps[i].delivered),
				    steps[i].sndcnt, "step %d", i);
	}
}

/*
 * RFC 6937 1: 20 segments out, the first lost; the first two SACKs each
 * let a new one go (22 in flight: ssthresh 11). In recovery PRR sends one
 * segment for every two delivered while the pipe exceeds ssthresh, not
 * none for half an RTT and then a burst; by its end it has sent no more
 * than ssthresh, and cwnd is ssthresh.
 */
static void rfc6937_prr_spreads_sends_over_recovery(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_sender(test, VTCP_CFG_RACK);
	struct vtcp_tcb *tcb = &c->tcb;
	u32 k, sent = 0, proportional = 0, bounded = 0;

	tcb->cwnd = 20 * MSS;
	vtcp_t_write(c, NULL, 40 * MSS);
	KUNIT_ASSERT_EQ(test, vtcp_t_pending(c), 20U);
	vtcp_t_drain(c);
	c->now += 20 * MS;
	for (k = 2; k <= 20; k++) {
		/* The pipe once this ACK's SACK has taken a segment out. */
		u32 pipe = vtcp_in_flight(tcb) - MSS, n;

		c->now += 100 * US;
		KUNIT_ASSERT_EQ(test, VTCP_DROP_NONE,
				vtcp_t_sack(c, S, 1, S + MSS, S + k * MSS));
		n = vtcp_t_pending(c);
		vtcp_t_drain(c);
		if (k < 4) {
			/* A SACK empties the pipe by a segment (RFC 3042). */
			KUNIT_EXPECT_EQ(test, n, 1U);
			continue;
		}
		if (k == 4) {
			KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_RECOVERY);
			KUNIT_EXPECT_EQ(test, tcb->ssthresh, 11U * MSS);
			KUNIT_EXPECT_EQ(test, n, 1U);	/* the fast retransmit */
		} else if (pipe > tcb->ssthresh) {
			/* The pipe above ssthresh: one for every two. */
			KUNIT_EXPECT_LE(test, n, 1U);
			proportional += n;
		} else {
			/* Then as many as are delivered (PRR-SSRB). */
			KUNIT_EXPECT_EQ(test, n, pipe < tcb->ssthresh ? 1U : 0U);
			bounded += n;
		}
		sent += n;
	}
	KUNIT_EXPECT_EQ(test, proportional, 5U);
	KUNIT_EXPECT_EQ(test, bounded, 3U);
	KUNIT_EXPECT_EQ(test, tcb->prr_out, sent * MSS);
	KUNIT_EXPECT_LE(test, sent, 11U);
	c->now += 100 * US;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE,
			vtcp_t_ack(c, RCV_NXT, S + 22 * MSS, VTCP_T_WND));
	KUNIT_EXPECT_EQ(test, tcb->ca_state, VTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, tcb->cwnd, tcb->ssthresh);
}

/* A bare TCB for an algorithm: @cwnd bytes, all of them in flight. */
static struct vtcp_tcb *vtcp_t_cc_tcb(struct kunit *test,
				      const struct vtcp_cc_ops *cc, u32 cwnd)
{
	struct vtcp_tcb *tcb = kunit_kzalloc(test, sizeof(*tcb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tcb);
	KUNIT_ASSERT_NOT_NULL(test, cc);
	tcb->mss = MSS;
	tcb->cwnd = cwnd;
	tcb->ssthresh = U32_MAX / 2;
	tcb->snd_nxt = cwnd;
	tcb->cfg.cc = cc;
	cc->init(tcb, 0);
	return tcb;
}

/*
 * The test's own W_cubic(t) (RFC 9438 eq. 1 and 2), in bytes: W_max +
 * C * (t - K)^3 segments, C = 0.4, K found by bisection so that the curve
 * starts at @w0.
 */
static s64 vtcp_t_rfc9438_w(s64 w_max, s64 w0, s64 t_ms)
{
	s64 lo = 0, hi = 100000, k;

	/* W(0) = W_max - 0.4 K^3 MSS (K in s) = w0 */
	while (hi - lo > 1) {
		k = (lo + hi) / 2;
		if (w_max - div64_s64(4 * k * k * k * MSS, 10000000000LL) > w0)
			lo = k;
		else
			hi = k;
	}
	k = t_ms - lo;
	return w_max + div64_s64(4 * k * k * k * MSS, 10000000000LL);
}

/*
 * Congestion avoidance for @ms with a fixed RTT: every RTT a window of
 * ACKs, one per segment. Checks, each RTT, that cwnd lies between the
 * curve now and the curve one RTT ahead (4.2's target) while in the cubic
 * region.
 */
static void vtcp_t_cubic_run(struct kunit *test, struct vtcp_tcb *tcb,
			     u64 *now, u64 epoch, u32 ms, u32 rtt_ms,
			     s64 w_max, s64 w0)
{
	const struct vtcp_cc_ops *cc = tcb->cfg.cc;
	u64 end = *now + (u64)ms * MS;

	tcb->srtt_us = rtt_ms * USEC_PER_MSEC;
	while (*now < end) {
		u32 acks = tcb->cwnd / MSS, i;
		s64 t = div_u64(*now - epoch, MS);

		for (i = 0; i < acks; i++)
			cc->cong_avoid(tcb, MSS, *now);
		*now += (u64)rtt_ms * MS;
		if (!w_max)
			continue;
		KUNIT_EXPECT_GE_MSG(test, (s64)tcb->cwnd,
				    vtcp_t_rfc9438_w(w_max, w0, t) * 99 / 100,
				    "t = %lld ms", t);
		KUNIT_EXPECT_LE_MSG(test, (s64)tcb->cwnd,
				    vtcp_t_rfc9438_w(w_max, w0, t + rtt_ms) *
				    101 / 100 + MSS, "t = %lld ms", t);
	}
}

/* RFC 9438 4.2 eq. 1 and 2: the curve itself, point by point. */
static void rfc9438_cubic_window_follows_the_formula(struct kunit *test)
{
	static const u32 t_ms[] = { 0, 1000, 2000, 4217, 6000, 8000, 10000 };
	int i;

	/* W_max 100 segments, from 70 after the loss: K = cbrt(75) s. */
	KUNIT_EXPECT_EQ(test, vtcp_cubic_k_ms(30 * MSS, MSS), 4217U);
	for (i = 0; i < ARRAY_SIZE(t_ms); i++) {
		s64 want = vtcp_t_rfc9438_w(100 * MSS, 70 * MSS, t_ms[i]);
		s64 got = vtcp_cubic_window(100 * MSS, 4217, t_ms[i], MSS);

		KUNIT_EXPECT_LE_MSG(test, abs(got - want), 50LL,
				    "t = %u ms: %lld, not %lld", t_ms[i], got, want);
	}
}

/*
 * RFC 9438 4.6, 4.2, 4.7: a loss at 100 segments takes the window to 70
 * (beta 0.7), and it grows back along the curve through W_max at K (on a
 * 200 ms path, where Reno's estimate stays below the curve); a
 * second loss before it got there (at 95.6) lowers W_max to 0.85 of that,
 * fast convergence, and the new curve flattens there.
 */
static void rfc9438_cubic_reduction_and_growth_follow_the_curve(struct kunit *test)
{
	const struct vtcp_cc_ops *cc = vtcp_cc_find("cubic");
	struct vtcp_tcb *tcb = vtcp_t_cc_tcb(test, cc, 100 * MSS);
	u64 now = NSEC_PER_SEC, epoch;
	u32 w2;

	tcb->ssthresh = cc->ssthresh(tcb, now);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, 70U * MSS);
	tcb->cwnd = tcb->ssthresh;
	tcb->snd_una = tcb->snd_nxt;
	epoch = now;
	vtcp_t_cubic_run(test, tcb, &now, epoch, 10000, 200, 100 * MSS, 70 * MSS);
	KUNIT_EXPECT_GT(test, tcb->cwnd, 160U * MSS);

	/* Again, lost at 2 s into the curve, below W_max. */
	tcb = vtcp_t_cc_tcb(test, cc, 100 * MSS);
	now = NSEC_PER_SEC;
	tcb->ssthresh = cc->ssthresh(tcb, now);
	tcb->cwnd = tcb->ssthresh;
	tcb->snd_una = tcb->snd_nxt;
	vtcp_t_cubic_run(test, tcb, &now, now, 2000, 200, 100 * MSS, 70 * MSS);
	w2 = tcb->cwnd;
	KUNIT_EXPECT_LT(test, w2, 100U * MSS);
	tcb->snd_nxt = tcb->snd_una + w2;
	tcb->ssthresh = cc->ssthresh(tcb, now);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, w2 * 7 / 10);
	tcb->cwnd = tcb->ssthresh;
	tcb->snd_una = tcb->snd_nxt;
	vtcp_t_cubic_run(test, tcb, &now, now, 6000, 200, w2 * 85 / 100,
			 tcb->cwnd);
}

/*
 * RFC 9438 4.3: on a short path CUBIC grows at least as fast as Reno
 * would: W_est grows by alpha_cubic = 0.53 segments per RTT up to the
 * window before the loss, then by one. From 70 segments, 100 RTTs of 1 ms
 * end near 143, far above the curve's 72.
 */
static void rfc9438_cubic_reno_friendly_region(struct kunit *test)
{
	const struct vtcp_cc_ops *cc = vtcp_cc_find("cubic");
	struct vtcp_tcb *tcb = vtcp_t_cc_tcb(test, cc, 100 * MSS);
	u64 now = NSEC_PER_SEC;

	tcb->ssthresh = cc->ssthresh(tcb, now);
	tcb->cwnd = tcb->ssthresh;
	tcb->snd_una = tcb->snd_nxt;
	vtcp_t_cubic_run(test, tcb, &now, now, 100, 1, 0, 0);
	KUNIT_EXPECT_GE(test, tcb->cwnd, 138U * MSS);
	KUNIT_EXPECT_LE(test, tcb->cwnd, 148U * MSS);
}

/* One round of HyStart++: data out, @n RTT samples, @acked acknowledged. */
static void vtcp_t_hystart_round(struct vtcp_tcb *tcb, u32 rtt_us, int n,
				 u32 acked)
{
	const struct vtcp_cc_ops *cc = tcb->cfg.cc;
	int i;

	tcb->snd_una = tcb->snd_nxt;
	tcb->snd_nxt += tcb->cwnd;
	for (i = 0; i < n; i++)
		cc->rtt_sample(tcb, rtt_us, 0);
	cc->cong_avoid(tcb, acked, 0);
}

/*
 * RFC 9406 4.2-4.3: when a round's least RTT (of 8 samples) exceeds the
 * last round's by max(4 ms, RTT / 8), slow start turns conservative:
 * growth by a quarter; five rounds later it ends (ssthresh = cwnd). An RTT
 * back below the baseline resumes slow start.
 */
static void rfc9406_hystart_leaves_slow_start_when_the_rtt_rises(struct kunit *test)
{
	const struct vtcp_cc_ops *cc = vtcp_cc_find("cubic");
	struct vtcp_tcb *tcb = vtcp_t_cc_tcb(test, cc, 10 * MSS);
	u32 cwnd;
	int r;

	tcb->snd_nxt = 0;
	vtcp_t_hystart_round(tcb, 20000, 8, 10 * MSS);
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 20U * MSS);
	vtcp_t_hystart_round(tcb, 23000, 8, 20 * MSS);	/* + 3 ms: not yet */
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 40U * MSS);
	vtcp_t_hystart_round(tcb, 27000, 8, 4 * MSS);	/* + 4 ms: CSS */
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 41U * MSS);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, U32_MAX / 2);
	for (r = 0; r < 4; r++) {
		cwnd = tcb->cwnd;
		vtcp_t_hystart_round(tcb, 27000, 8, 4 * MSS);
		KUNIT_EXPECT_EQ(test, tcb->cwnd, cwnd + MSS);
	}
	/* The fifth round of CSS: slow start is over. */
	vtcp_t_hystart_round(tcb, 27000, 8, 0);
	KUNIT_EXPECT_EQ(test, tcb->ssthresh, tcb->cwnd);

	/* A drop below the baseline: back to slow start. */
	tcb = vtcp_t_cc_tcb(test, cc, 10 * MSS);
	tcb->snd_nxt = 0;
	vtcp_t_hystart_round(tcb, 20000, 8, 10 * MSS);
	vtcp_t_hystart_round(tcb, 30000, 8, 4 * MSS);
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 21U * MSS);
	vtcp_t_hystart_round(tcb, 19000, 8, 4 * MSS);
	KUNIT_EXPECT_EQ(test, tcb->cwnd, 25U * MSS);
}

/*
 * CUBIC by default; NewReno by name, for one connection, the algorithm
 * starting afresh when switched to; unknown names are refused.
 */
static void vtcp_congestion_control_is_chosen_by_name(struct kunit *test)
{
	const struct vtcp_cc_ops *cubic = vtcp_cc_find("cubic");
	const struct vtcp_cc_ops *newreno = vtcp_cc_find("newreno");
	struct vtcp_t_conn *c;
	struct vtcp_cfg cfg;

	KUNIT_ASSERT_NOT_NULL(test, cubic);
	KUNIT_ASSERT_NOT_NULL(test, newreno);
	KUNIT_EXPECT_STREQ(test, cubic->name, "cubic");
	KUNIT_EXPECT_STREQ(test, newreno->name, "newreno");
	KUNIT_EXPECT_PTR_EQ(test, vtcp_cc_default(), cubic);
	KUNIT_EXPECT_NULL(test, vtcp_cc_find("reno"));
	KUNIT_EXPECT_NULL(test, vtcp_cc_find(""));
	vtcp_cfg_default(&cfg);
	KUNIT_EXPECT_PTR_EQ(test, cfg.cc, cubic);

	c = vtcp_t_established(test, NULL);
	KUNIT_EXPECT_PTR_EQ(test, c->tcb.cfg.cc, newreno);
	cfg = c->tcb.cfg;
	cfg.cc = cubic;
	c->tcb.bytes_acked_ca = 1234;
	vtcp_t_set_cfg(c, &cfg);
	KUNIT_EXPECT_PTR_EQ(test, c->tcb.cfg.cc, cubic);
	KUNIT_EXPECT_EQ(test, c->tcb.bytes_acked_ca, 0U);
}

static struct kunit_case vtcp_cc_cases[] = {
	KUNIT_CASE(rfc6937_prr_sndcnt_worked_example),
	KUNIT_CASE(rfc6937_prr_spreads_sends_over_recovery),
	KUNIT_CASE(rfc9438_cubic_window_follows_the_formula),
	KUNIT_CASE(rfc9438_cubic_reduction_and_growth_follow_the_curve),
	KUNIT_CASE(rfc9438_cubic_reno_friendly_region),
	KUNIT_CASE(rfc9406_hystart_leaves_slow_start_when_the_rtt_rises),
	KUNIT_CASE(vtcp_congestion_control_is_chosen_by_name),
	{}
};

static struct kunit_suite vtcp_cc_suite = {
	.name = "vtcp_cc",
	.test_cases = vtcp_cc_cases,
};

kunit_test_suite(vtcp_cc_suite);

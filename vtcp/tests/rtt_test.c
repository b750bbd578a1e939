// SPDX-License-Identifier: GPL-2.0
/*
 * The retransmission timer's estimator (RFC 6298 2), against the RFC's
 * formulas: worked examples computed by hand, and a long run of samples
 * against the formulas evaluated exactly.
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "engine/rtt.h"

static struct vtcp_tcb *vtcp_t_rtt_tcb(struct kunit *test)
{
	struct vtcp_tcb *tcb = kunit_kzalloc(test, sizeof(*tcb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tcb);
	tcb->rto_us = VTCP_RTO_INIT_US;
	return tcb;
}

/* RFC 6298 2.1: before any sample, RTO is 1 s. */
static void rfc6298_initial_rto_is_one_second(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_tcb *tcb = kunit_kzalloc(test, sizeof(*tcb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tcb);
	vtcp_cfg_default(&cfg);
	vtcp_tcb_init(tcb, NULL, &cfg, 1460, 0, 0);
	KUNIT_EXPECT_EQ(test, tcb->rto_us, 1000000U);
	KUNIT_EXPECT_EQ(test, tcb->srtt_us, 0U);
	vtcp_tcb_destroy(tcb);
}

struct vtcp_rtt_step {
	u32 r;			/* sample, us */
	u32 srtt, rttvar, rto;	/* after it, us */
};

/*
 * RFC 6298 2.2 and 2.3 worked by hand (alpha 1/8, beta 1/4, K 4, G 1 ms),
 * with vtcp's clamp to [200 ms, 120 s]:
 *   R=400:   SRTT 400, RTTVAR 200, RTO 400 + 800 = 1200
 *   R=800:   RTTVAR 3/4*200 + 1/4*|400-800| = 250, SRTT 7/8*400 + 100 = 450,
 *            RTO 450 + 1000 = 1450
 *   R=450:   RTTVAR 187.5, SRTT 450, RTO 1200
 *   R=50:    RTTVAR 3/4*187.5 + 100 = 240.625, SRTT 400, RTO 1362.5
 */
static const struct vtcp_rtt_step vtcp_rtt_example[] = {
	{ 400000, 400000, 200000, 1200000 },
	{ 800000, 450000, 250000, 1450000 },
	{ 450000, 450000, 187500, 1200000 },
	{  50000, 400000, 240625, 1362500 },
};

static void rfc6298_estimator_worked_example(struct kunit *test)
{
	struct vtcp_tcb *tcb = vtcp_t_rtt_tcb(test);
	int i;

	for (i = 0; i < ARRAY_SIZE(vtcp_rtt_example); i++) {
		const struct vtcp_rtt_step *s = &vtcp_rtt_example[i];

		vtcp_rtt_sample(tcb, s->r);
		KUNIT_EXPECT_EQ_MSG(test, tcb->srtt_us, s->srtt, "step %d", i);
		KUNIT_EXPECT_EQ_MSG(test, tcb->rttvar_us, s->rttvar, "step %d", i);
		KUNIT_EXPECT_EQ_MSG(test, tcb->rto_us, s->rto, "step %d", i);
	}
	KUNIT_EXPECT_EQ(test, tcb->rtt_min_us, 50000U);
}

/*
 * RFC 6298 2.4 (as Linux: a 200 ms floor instead of 1 s), 2.5 (a 120 s
 * ceiling) and G: a tiny RTT gives the floor, a huge one the ceiling.
 */
static void rfc6298_rto_is_clamped(struct kunit *test)
{
	struct vtcp_tcb *tcb = vtcp_t_rtt_tcb(test);

	vtcp_rtt_sample(tcb, 1);
	KUNIT_EXPECT_EQ(test, tcb->srtt_us, 1U);
	KUNIT_EXPECT_EQ(test, tcb->rto_us, 200000U);
	/* RTO = SRTT + max(G, 4 * RTTVAR): G wins once RTTVAR is tiny. */
	tcb = vtcp_t_rtt_tcb(test);
	vtcp_rtt_sample(tcb, 300000);
	while (tcb->rttvar_us > 200)
		vtcp_rtt_sample(tcb, 300000);
	KUNIT_EXPECT_EQ(test, tcb->srtt_us, 300000U);
	KUNIT_EXPECT_EQ(test, tcb->rto_us, 300000U + 1000U);

	tcb = vtcp_t_rtt_tcb(test);
	vtcp_rtt_sample(tcb, 100000000);
	KUNIT_EXPECT_EQ(test, tcb->rto_us, 120000000U);
}

/*
 * The formulas, exactly: SRTT and RTTVAR in units of 2^-16 us. vtcp's
 * integer version truncates each 1/8 and 1/4, an error that stays below
 * 8 us for SRTT and 12 us for RTTVAR (each step keeps 7/8 or 3/4 of the
 * previous error and adds less than 1 or 3 us).
 */
static void rfc6298_estimator_tracks_exact_formulas(struct kunit *test)
{
	struct vtcp_tcb *tcb = vtcp_t_rtt_tcb(test);
	struct rnd_state rnd;
	s64 srtt = 0, rttvar = 0;
	int i;

	prandom_seed_state(&rnd, 6298);
	for (i = 0; i < 1000; i++) {
		u32 r = 1000 + prandom_u32_state(&rnd) % 500000;
		s64 rs = (s64)r << 16;
		u64 rto;

		if (!i) {
			srtt = rs;
			rttvar = rs / 2;
		} else {
			rttvar = rttvar - rttvar / 4 + abs(srtt - rs) / 4;
			srtt = srtt - srtt / 8 + rs / 8;
		}
		vtcp_rtt_sample(tcb, r);
		KUNIT_ASSERT_LE_MSG(test, abs((s64)tcb->srtt_us - (srtt >> 16)), 16LL,
				    "sample %d", i);
		KUNIT_ASSERT_LE_MSG(test, abs((s64)tcb->rttvar_us - (rttvar >> 16)),
				    16LL, "sample %d", i);
		rto = clamp_t(u64, (srtt >> 16) + max_t(s64, 1000, (4 * rttvar) >> 16),
			      200000, 120000000);
		KUNIT_ASSERT_LE_MSG(test, abs((s64)tcb->rto_us - (s64)rto), 96LL,
				    "sample %d", i);
	}
}

/* RFC 6298 5.5: each expiration doubles the RTO, up to the maximum. */
static void rfc6298_backoff_doubles_up_to_max(struct kunit *test)
{
	struct vtcp_tcb *tcb = vtcp_t_rtt_tcb(test);
	u32 expect = 300000;
	int i;

	tcb->rto_us = 300000;
	for (i = 0; i < 12; i++) {
		tcb->backoff = i;
		KUNIT_EXPECT_EQ_MSG(test, vtcp_rto_backed_off(tcb),
				    min(expect, 120000000U), "backoff %d", i);
		expect = min(expect * 2, 1U << 30);
	}
	tcb->backoff = 255;
	KUNIT_EXPECT_EQ(test, vtcp_rto_backed_off(tcb), 120000000U);
}

static struct kunit_case vtcp_rtt_cases[] = {
	KUNIT_CASE(rfc6298_initial_rto_is_one_second),
	KUNIT_CASE(rfc6298_estimator_worked_example),
	KUNIT_CASE(rfc6298_rto_is_clamped),
	KUNIT_CASE(rfc6298_estimator_tracks_exact_formulas),
	KUNIT_CASE(rfc6298_backoff_doubles_up_to_max),
	{}
};

static struct kunit_suite vtcp_rtt_suite = {
	.name = "vtcp_rtt",
	.test_cases = vtcp_rtt_cases,
};

kunit_test_suite(vtcp_rtt_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers (RFC 6528) and SYN cookies: the cookie's round
 * trip and what it refuses, the MSS table, the options carried in the
 * timestamp, and a connection opened from a cookie through vtcp_input().
 */
#include <linux/in.h>

#include "harness.h"
#include "engine/cookie.h"
#include "engine/isn.h"

#define S	NSEC_PER_SEC

static const siphash_key_t vtcp_t_key = { { 0x0123456789abcdefULL,
					    0xfedcba9876543210ULL } };

static struct vtcp_tuple vtcp_t_tuple(u16 rport)
{
	struct vtcp_tuple t = {
		.local.ip = htonl(0xc0000201),		/* 192.0.2.1 */
		.remote.ip = htonl(0xc0000202),
		.lport = htons(80),
		.rport = htons(rport),
		.family = AF_INET,
	};

	return t;
}

/* RFC 6528 3: F(4-tuple, secret) differs per connection and per secret. */
static void rfc6528_isn_differs_per_tuple_and_secret(struct kunit *test)
{
	static const siphash_key_t other = { { 1, 2 } };
	struct vtcp_tuple a = vtcp_t_tuple(40000), b = vtcp_t_tuple(40001);
	u64 now = 77 * S;

	KUNIT_EXPECT_NE(test, vtcp_isn(&vtcp_t_key, &a, now),
			vtcp_isn(&vtcp_t_key, &b, now));
	KUNIT_EXPECT_NE(test, vtcp_isn(&vtcp_t_key, &a, now),
			vtcp_isn(&other, &a, now));
	KUNIT_EXPECT_EQ(test, vtcp_isn(&vtcp_t_key, &a, now),
			vtcp_isn(&vtcp_t_key, &a, now));
	b = a;
	b.local.ip ^= htonl(1);
	KUNIT_EXPECT_NE(test, vtcp_isn(&vtcp_t_key, &a, now),
			vtcp_isn(&vtcp_t_key, &b, now));
	/* The timestamp offset is per tuple too (RFC 7323 5.4). */
	KUNIT_EXPECT_NE(test, vtcp_isn_ts_offset(&vtcp_t_key, &a),
			vtcp_isn_ts_offset(&vtcp_t_key, &b));
}

/* RFC 6528 3: ISN = M + F(), M a timer ticking every 4 us (4.096 here). */
static void rfc6528_isn_advances_with_the_clock(struct kunit *test)
{
	struct vtcp_tuple a = vtcp_t_tuple(40000);
	u64 now = 1234 * S;
	u32 isn = vtcp_isn(&vtcp_t_key, &a, now);

	KUNIT_EXPECT_EQ(test, vtcp_isn(&vtcp_t_key, &a, now + 4096), isn + 1);
	KUNIT_EXPECT_EQ(test, vtcp_isn(&vtcp_t_key, &a, now + 4096 * 1000), isn + 1000);
	/* About 244141 a second: a new incarnation starts ahead of the old. */
	KUNIT_EXPECT_EQ(test, vtcp_isn(&vtcp_t_key, &a, now + S) - isn,
			(u32)(((now + S) >> 12) - (now >> 12)));
}

/* A cookie made for a SYN checks out for the ACK that returns it. */
static void vtcp_cookie_round_trip(struct kunit *test)
{
	struct vtcp_tuple t = vtcp_t_tuple(40000);
	u64 now = 1000 * S;
	u16 mss;
	u32 c = vtcp_cookie_make(&vtcp_t_key, &t, 777, 1460, now, &mss);

	KUNIT_EXPECT_EQ(test, mss, 1460);
	KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, 777, now), 1460);
	KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, 777, now + 10 * S),
			1460);
}

/* Another tuple, another peer ISN or another secret: refused. */
static void vtcp_cookie_rejects_wrong_tuple_isn_or_secret(struct kunit *test)
{
	static const siphash_key_t other = { { 1, 2 } };
	struct vtcp_tuple t = vtcp_t_tuple(40000), u = vtcp_t_tuple(40002);
	u64 now = 1000 * S;
	u16 mss;
	u32 c = vtcp_cookie_make(&vtcp_t_key, &t, 777, 1460, now, &mss);
	int i;

	KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &u, c, 777, now), 0);
	KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, 778, now), 0);
	KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&other, &t, c, 777, now), 0);
	/* Guesses near the cookie fail too (8 in 2^27 may pass by chance). */
	for (i = 1; i <= 16; i++)
		KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c + (i << 3),
							777, now), 0);
}

/*
 * A cookie lives two 64 s counter periods: good until the counter has
 * moved twice, across the 5-bit counter's wrap as well.
 */
static void vtcp_cookie_rejects_old_cookie(struct kunit *test)
{
	struct vtcp_tuple t = vtcp_t_tuple(40000);
	u64 period = 64 * S;
	u64 starts[] = { 100 * period, 31 * period, 63 * period + 5 * S };
	u16 mss;
	int i;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		u64 now = starts[i];
		u32 c = vtcp_cookie_make(&vtcp_t_key, &t, 9, 1460, now, &mss);
		u64 next = (div64_u64(now, period) + 1) * period;

		KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, 9,
							next + period - 1), 1460);
		KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, 9,
							next + period), 0);
		/* A cookie from the future is no better. */
		KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, 9,
							now - period), 0);
	}
}

/* The MSS carried is the largest table entry not above the peer's. */
static void vtcp_cookie_mss_table(struct kunit *test)
{
	static const u16 cases[][2] = {
		{ 65535, 65483 }, { 9000, 8940 }, { 1460, 1460 }, { 1459, 1440 },
		{ 1440, 1440 }, { 1400, 1400 }, { 1380, 1360 }, { 1220, 1220 },
		{ 1000, 536 }, { 536, 536 },
		/* Below 536 still 536: every host takes that (RFC 9293 3.7.1). */
		{ 100, 536 },
	};
	struct vtcp_tuple t = vtcp_t_tuple(40000);
	u64 now = 1000 * S;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u16 mss;
		u32 c = vtcp_cookie_make(&vtcp_t_key, &t, i, cases[i][0], now, &mss);

		KUNIT_EXPECT_EQ_MSG(test, mss, cases[i][1], "peer MSS %u", cases[i][0]);
		KUNIT_EXPECT_EQ(test, vtcp_cookie_check(&vtcp_t_key, &t, c, i, now),
				cases[i][1]);
	}
}

/* Window scale and SACK-permitted ride in our timestamp, never ahead of it. */
static void vtcp_cookie_timestamp_carries_options(struct kunit *test)
{
	static const u32 clocks[] = { 0, 31, 32, 1000000, 0xffffffe0, 0xffffffff };
	int i;

	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		u32 ts = vtcp_cookie_tsval(clocks[i], 7, true);
		bool sack;
		u8 ws;

		KUNIT_EXPECT_LE(test, (s32)(ts - clocks[i]), 0);
		KUNIT_EXPECT_GT(test, (s32)(ts - clocks[i]), -64);
		vtcp_cookie_ts_decode(ts, &ws, &sack);
		KUNIT_EXPECT_EQ(test, ws, 7);
		KUNIT_EXPECT_TRUE(test, sack);
		ts = vtcp_cookie_tsval(clocks[i], VTCP_COOKIE_NO_WSCALE, false);
		vtcp_cookie_ts_decode(ts, &ws, &sack);
		KUNIT_EXPECT_EQ(test, ws, VTCP_COOKIE_NO_WSCALE);
		KUNIT_EXPECT_FALSE(test, sack);
	}
}

/*
 * The whole path: the SYN-ACK a listener sends with a cookie, the ACK
 * that returns it, vtcp_cookie_child() and vtcp_input(): ESTABLISHED with
 * MSS, window scale and SACK recovered, and data flows.
 */
static void vtcp_cookie_handshake_reaches_established(struct kunit *test)
{
	struct vtcp_tuple t = vtcp_t_tuple(40000);
	struct vtcp_seg syn = {
		.seq = 7000, .flags = VTCP_TH_SYN, .wnd = 65535,
		.opt = {
			.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE |
				   VTCP_TCPOPT_SACK_OK | VTCP_TCPOPT_TS,
			.mss = 1400, .wscale = 7, .tsval = 555,
		},
	};
	struct vtcp_seg ack = {
		.seq = 7001, .flags = VTCP_TH_ACK, .wnd = 100,
		.opt = { .present = VTCP_TCPOPT_TS, .tsval = 556 },
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_out out;
	u16 mss, cmss;
	u32 cookie;
	bool sack;
	u8 ws;

	vtcp_cfg_default(&cfg);
	c = vtcp_t_conn_new(test, &cfg);
	cookie = vtcp_cookie_make(&vtcp_t_key, &t, syn.seq, syn.opt.mss, c->now, &mss);
	vtcp_cookie_synack(&cfg, &syn, cookie, 1460, 0, c->now, &out);
	KUNIT_EXPECT_EQ(test, (u32)out.flags, (u32)(VTCP_TH_SYN | VTCP_TH_ACK));
	KUNIT_EXPECT_EQ(test, out.seq, cookie);
	KUNIT_EXPECT_EQ(test, out.ack, 7001U);
	KUNIT_EXPECT_EQ(test, out.wnd, 65535U);
	KUNIT_EXPECT_EQ(test, (u32)out.opt.present,
			(u32)(VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE |
			      VTCP_TCPOPT_SACK_OK | VTCP_TCPOPT_TS));
	KUNIT_EXPECT_EQ(test, out.opt.mss, 1460);
	KUNIT_EXPECT_EQ(test, out.opt.wscale, vtcp_wscale_for(cfg.rcvbuf));
	KUNIT_EXPECT_EQ(test, out.opt.tsecr, 555U);

	/* The peer's ACK comes back 10 ms later, echoing our timestamp. */
	c->now += 10 * NSEC_PER_MSEC;
	ack.ack = out.seq + 1;
	ack.opt.tsecr = out.opt.tsval;
	cmss = vtcp_cookie_check(&vtcp_t_key, &t, ack.ack - 1, ack.seq - 1, c->now);
	KUNIT_ASSERT_EQ(test, cmss, 1400);
	vtcp_cookie_ts_decode(ack.opt.tsecr, &ws, &sack);
	spin_lock_bh(&c->tcb.lock);
	vtcp_cookie_child(&c->tcb, &ack, cmss, ws, sack, c->now);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_input(&c->tcb, &ack, c->now));
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_TRUE(test, c->tcb.passive);
	KUNIT_EXPECT_EQ(test, c->tcb.iss, cookie);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_una, cookie + 1);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, 7001U);
	/* RFC 6691: less the timestamps every segment carries. */
	KUNIT_EXPECT_EQ(test, c->tcb.mss, 1400 - VTCP_OPTLEN_TS_ALIGNED);
	KUNIT_EXPECT_TRUE(test, c->tcb.ts_ok);
	KUNIT_EXPECT_TRUE(test, c->tcb.ws_ok);
	KUNIT_EXPECT_TRUE(test, c->tcb.sack_ok);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wscale, 7);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_wscale, vtcp_wscale_for(cfg.rcvbuf));
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, 100U << 7);
	KUNIT_EXPECT_EQ(test, c->tcb.ts_recent, 556U);
	VTCP_T_EXPECT_NOTHING(c);

	vtcp_t_write(c, "hello", 5);
	VTCP_T_EXPECT_SEG(c, VTCP_TH_ACK | VTCP_TH_PSH, cookie + 1, 7001, 5);
}

/* Without timestamps a cookie cannot carry window scale or SACK. */
static void vtcp_cookie_without_timestamps_drops_ws_and_sack(struct kunit *test)
{
	struct vtcp_tuple t = vtcp_t_tuple(40001);
	struct vtcp_seg syn = {
		.seq = 100, .flags = VTCP_TH_SYN, .wnd = 65535,
		.opt = {
			.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE |
				   VTCP_TCPOPT_SACK_OK,
			.mss = 1460, .wscale = 7,
		},
	};
	struct vtcp_seg ack = { .seq = 101, .flags = VTCP_TH_ACK, .wnd = 1000 };
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	struct vtcp_out out;
	u16 mss;
	u32 cookie;

	vtcp_cfg_default(&cfg);
	c = vtcp_t_conn_new(test, &cfg);
	cookie = vtcp_cookie_make(&vtcp_t_key, &t, syn.seq, 1460, c->now, &mss);
	vtcp_cookie_synack(&cfg, &syn, cookie, 1460, 0, c->now, &out);
	KUNIT_EXPECT_EQ(test, (u32)out.opt.present, (u32)VTCP_TCPOPT_MSS);
	ack.ack = cookie + 1;
	spin_lock_bh(&c->tcb.lock);
	vtcp_cookie_child(&c->tcb, &ack, mss, VTCP_COOKIE_NO_WSCALE, false, c->now);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_input(&c->tcb, &ack, c->now));
	spin_unlock_bh(&c->tcb.lock);
	KUNIT_EXPECT_EQ(test, VTCP_ESTABLISHED, c->tcb.state);
	KUNIT_EXPECT_FALSE(test, c->tcb.ws_ok || c->tcb.sack_ok || c->tcb.ts_ok);
	KUNIT_EXPECT_EQ(test, c->tcb.rcv_wscale, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.snd_wnd, 1000U);
}

static struct kunit_case vtcp_isn_cases[] = {
	KUNIT_CASE(rfc6528_isn_differs_per_tuple_and_secret),
	KUNIT_CASE(rfc6528_isn_advances_with_the_clock),
	KUNIT_CASE(vtcp_cookie_round_trip),
	KUNIT_CASE(vtcp_cookie_rejects_wrong_tuple_isn_or_secret),
	KUNIT_CASE(vtcp_cookie_rejects_old_cookie),
	KUNIT_CASE(vtcp_cookie_mss_table),
	KUNIT_CASE(vtcp_cookie_timestamp_carries_options),
	KUNIT_CASE(vtcp_cookie_handshake_reaches_established),
	KUNIT_CASE(vtcp_cookie_without_timestamps_drops_ws_and_sack),
	{}
};

static struct kunit_suite vtcp_isn_suite = {
	.name = "vtcp_isn",
	.test_cases = vtcp_isn_cases,
};

kunit_test_suite(vtcp_isn_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * The receive side: out-of-order reassembly within a memory bound, the
 * SACK blocks it reports (RFC 2018) and D-SACK (RFC 2883), and the receive
 * window derived from buffer space (RFC 9293 3.8.6.2.2).
 */
#include <linux/slab.h>

#include "harness.h"
#include "engine/rcvq.h"

#define SND_NXT		(VTCP_T_ISS + 1)

/* The byte at stream offset @off of everything the peer sends. */
static u8 vtcp_t_byte(u32 off)
{
	return (u8)(off * 7 + (off >> 8) + 3);
}

/* Send the peer's bytes [@off, @off + @len) with the pattern above. */
static enum vtcp_drop_reason vtcp_t_send_at(struct vtcp_t_conn *c, u32 off, u32 len)
{
	u8 *data = kmalloc(len, GFP_KERNEL);
	enum vtcp_drop_reason drop;
	struct vtcp_t_seg s = {
		.flags = VTCP_TH_ACK, .seq = c->tcb.irs + 1 + off,
		.ack = c->tcb.snd_una, .wnd = VTCP_T_WND, .len = len,
	};
	u32 i;

	KUNIT_ASSERT_NOT_NULL(c->test, data);
	for (i = 0; i < len; i++)
		data[i] = vtcp_t_byte(off + i);
	s.data = data;
	drop = vtcp_t_input(c, &s);
	kfree(data);
	return drop;
}

/* Read everything and check it is the pattern from @off on; returns bytes. */
static u32 vtcp_t_read_check(struct vtcp_t_conn *c, u32 off)
{
	u8 *buf = kmalloc(65536, GFP_KERNEL);
	u32 n, i, total = 0;

	KUNIT_ASSERT_NOT_NULL(c->test, buf);
	while ((n = vtcp_t_read(c, buf, 65536))) {
		for (i = 0; i < n; i++)
			if (buf[i] != vtcp_t_byte(off + total + i)) {
				KUNIT_FAIL(c->test, "byte %u is %#x, not %#x",
					   off + total + i, buf[i],
					   vtcp_t_byte(off + total + i));
				break;
			}
		total += n;
	}
	kfree(buf);
	return total;
}

/* A connection with SACK (and, if @ts, timestamps) in use. */
static struct vtcp_t_conn *vtcp_t_sack_conn(struct kunit *test, bool ts)
{
	struct vtcp_opts opt = {
		.present = VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK, .mss = VTCP_T_MSS,
	};
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;

	vtcp_t_cfg(&cfg);
	cfg.flags |= VTCP_CFG_SACK;
	if (ts) {
		cfg.flags |= VTCP_CFG_TIMESTAMPS;
		opt.present |= VTCP_TCPOPT_TS;
		opt.tsval = 1;
	}
	c = vtcp_t_open(test, &cfg, VTCP_T_ISS, VTCP_T_IRS, &opt, VTCP_T_WND);
	KUNIT_ASSERT_TRUE(test, c->tcb.sack_ok);
	return c;
}

/* Expect an ACK of stream offset @ack with these SACK blocks (offsets). */
static void vtcp_t_expect_sack(struct vtcp_t_conn *c, u32 ack, int n,
			       const u32 (*blocks)[2])
{
	struct vtcp_t_out *o = vtcp_t_pop(c);
	u32 base = c->tcb.irs + 1;
	int i;

	KUNIT_ASSERT_NOT_NULL(c->test, o);
	KUNIT_EXPECT_EQ(c->test, (u32)o->out.flags, (u32)VTCP_TH_ACK);
	KUNIT_EXPECT_EQ(c->test, o->out.ack, base + ack);
	KUNIT_EXPECT_EQ(c->test, !!(o->out.opt.present & VTCP_TCPOPT_SACK), n > 0);
	KUNIT_ASSERT_EQ(c->test, (int)o->out.opt.nsack, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(c->test, o->out.opt.sack[i].start - base,
				    blocks[i][0], "block %d", i);
		KUNIT_EXPECT_EQ_MSG(c->test, o->out.opt.sack[i].end - base,
				    blocks[i][1], "block %d", i);
	}
}

#define EXPECT_SACK(c, ack, ...) do {						\
	static const u32 __b[][2] = { __VA_ARGS__ };				\
	vtcp_t_expect_sack(c, ack, ARRAY_SIZE(__b), __b);			\
} while (0)

/*
 * RFC 2018 4: the first block holds the segment that triggered the ACK,
 * the others repeat the most recently reported ones; as many as fit (4
 * without timestamps).
 */
static void rfc2018_sack_blocks_most_recent_first(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_conn(test, false);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 1000, 100));
	EXPECT_SACK(c, 0, { 1000, 1100 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 3000, 100));
	EXPECT_SACK(c, 0, { 3000, 3100 }, { 1000, 1100 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 5000, 100));
	EXPECT_SACK(c, 0, { 5000, 5100 }, { 3000, 3100 }, { 1000, 1100 });
	/* A block that grows comes first again, as one block. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 3100, 100));
	EXPECT_SACK(c, 0, { 3000, 3200 }, { 5000, 5100 }, { 1000, 1100 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 7000, 100));
	EXPECT_SACK(c, 0, { 7000, 7100 }, { 3000, 3200 }, { 5000, 5100 },
		    { 1000, 1100 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 9000, 100));
	EXPECT_SACK(c, 0, { 9000, 9100 }, { 7000, 7100 }, { 3000, 3200 },
		    { 5000, 5100 });
	/* The first hole fills: the ACK moves, the blocks above stay. */
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 0, 1000));
	EXPECT_SACK(c, 1100, { 9000, 9100 }, { 7000, 7100 }, { 3000, 3200 },
		    { 5000, 5100 });
	VTCP_T_EXPECT_NOTHING(c);
}

/* With timestamps in the header, three blocks fit (RFC 2018 3). */
static void rfc2018_sack_with_timestamps_reports_three_blocks(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_conn(test, true);
	struct vtcp_t_out *o;
	int i;

	for (i = 1; i <= 4; i++) {
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, i * 1000, 10));
		o = vtcp_t_pop(c);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_EQ(test, (int)o->out.opt.nsack, min(i, 3));
		KUNIT_EXPECT_TRUE(test, o->out.opt.present & VTCP_TCPOPT_TS);
	}
}

/*
 * A block made of several received segments is still reported after
 * in-order data arrives that does not reach it.
 */
static void rfc2018_sack_block_of_several_segments_survives(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_conn(test, false);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 2000, 100));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 2100, 100));
	EXPECT_SACK(c, 0, { 2000, 2100 });
	EXPECT_SACK(c, 0, { 2000, 2200 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 0, 100));
	EXPECT_SACK(c, 100, { 2000, 2200 });
}

/*
 * RFC 2883 4.1.1: a duplicate below the cumulative ACK is reported in a
 * first, D-SACK, block, once.
 */
static void rfc2883_dsack_reports_duplicate_below_ack(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_conn(test, false);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 0, 100));
	EXPECT_SACK(c, 100);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_OUT_OF_WINDOW, vtcp_t_send_at(c, 0, 100));
	EXPECT_SACK(c, 100, { 0, 100 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 100, 100));
	EXPECT_SACK(c, 200);
}

/*
 * RFC 2883 4.1.2: a duplicate of data held above the cumulative ACK: the
 * D-SACK block, then the block of data that holds it, then the rest.
 */
static void rfc2883_dsack_then_block_holding_the_duplicate(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_conn(test, false);

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 1000, 300));
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 3000, 100));
	vtcp_t_drain(c);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_DUPLICATE, vtcp_t_send_at(c, 1100, 100));
	EXPECT_SACK(c, 0, { 1100, 1200 }, { 1000, 1300 }, { 3000, 3100 });
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 5000, 100));
	EXPECT_SACK(c, 0, { 5000, 5100 }, { 1000, 1300 }, { 3000, 3100 });
}

/*
 * RFC 9293 3.10.7.4 eighth: nothing exists past the FIN. Data a peer
 * sends beyond a FIN it sent beyond a hole is ignored, reported in no
 * SACK block, and the stream still ends where the FIN said.
 */
static void rfc9293_data_past_the_fin_is_ignored(struct kunit *test)
{
	struct vtcp_t_conn *c = vtcp_t_sack_conn(test, false);
	struct vtcp_t_seg fin = {
		.flags = VTCP_TH_ACK | VTCP_TH_FIN, .seq = c->tcb.irs + 1 + 1000,
		.ack = c->tcb.snd_una, .wnd = VTCP_T_WND,
	};

	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_input(c, &fin));
	EXPECT_SACK(c, 0);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 1000, 100));
	EXPECT_SACK(c, 0);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ooo_bytes, 0U);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 0, 1000));
	EXPECT_SACK(c, 1001);
	KUNIT_EXPECT_EQ(test, VTCP_CLOSE_WAIT, c->tcb.state);
	KUNIT_EXPECT_EQ(test, vtcp_t_read_check(c, 0), 1000U);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.mem, 0U);
}

/*
 * Out-of-order data is held within vtcp_rcvq_mem_limit(): past it,
 * segments are refused (VTCP_DROP_OOO_LIMIT, for the caller to count),
 * nothing held is corrupted, and in-order data still gets in by pruning
 * out-of-order data from the far end. Run at two places in sequence
 * space, below and above 2^31.
 */
static void vtcp_ooo_memory_is_bounded(struct kunit *test)
{
	static const u32 irs[] = { VTCP_T_IRS, 0x90000000 };
	struct vtcp_opts opt = { .present = VTCP_TCPOPT_MSS, .mss = VTCP_T_MSS };
	int k;

	for (k = 0; k < ARRAY_SIZE(irs); k++) {
		struct vtcp_t_conn *c = vtcp_t_open(test, NULL, VTCP_T_ISS, irs[k],
						    &opt, VTCP_T_WND);
		u32 limit = vtcp_rcvq_mem_limit(&c->tcb), i, held = 0, refused = 0;
		enum vtcp_drop_reason drop;

		for (i = 0; i < 2000; i++) {
			drop = vtcp_t_send_at(c, 2000 + 2 * i, 1);
			if (drop == VTCP_DROP_OOO_LIMIT)
				refused++;
			else if (drop == VTCP_DROP_NONE)
				held++;
			else
				KUNIT_FAIL(test, "drop reason %d", drop);
			KUNIT_ASSERT_LE(test, c->tcb.rcvq.mem, limit);
			vtcp_t_drain(c);
		}
		KUNIT_EXPECT_GT(test, refused, 0U);
		KUNIT_EXPECT_GT(test, held, 100U);
		KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ooo_bytes, held);
		/* In-order data is taken, memory full or not. */
		KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 0, 1000));
		KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, irs[k] + 1 + 1000);
		KUNIT_EXPECT_LE(test, c->tcb.rcvq.mem, limit);
		KUNIT_EXPECT_EQ(test, vtcp_t_read_check(c, 0), 1000U);
		/* Whatever was kept or refused, the stream comes out right. */
		for (i = 1000; i < 6000; i += 1000) {
			KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, i, 1000));
			vtcp_t_drain(c);
		}
		KUNIT_EXPECT_EQ(test, c->tcb.rcv_nxt, irs[k] + 1 + 6000);
		KUNIT_EXPECT_EQ(test, vtcp_t_read_check(c, 1000), 5000U);
		KUNIT_EXPECT_EQ(test, c->tcb.rcvq.ooo_bytes, 0U);
		KUNIT_EXPECT_EQ(test, c->tcb.rcvq.mem, 0U);
	}
}

/*
 * RFC 9293 3.8.6.2.2: the window offered is the buffer space left by
 * data not yet read; data held out of order lies inside it and does not
 * shrink it.
 */
static void rfc9293_receive_window_is_free_buffer_space(struct kunit *test)
{
	struct vtcp_cfg cfg;
	struct vtcp_t_conn *c;
	u32 base;

	vtcp_t_cfg(&cfg);
	cfg.rcvbuf = 10000;
	c = vtcp_t_established(test, &cfg);
	base = c->tcb.irs + 1;
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 2000, 1000));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, base, 0, 10000);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 0, 1000));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, base + 1000, 0, 9000);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 1000, 1000));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, base + 3000, 0, 7000);
	/* Reading frees the space; the update waits for the window to double. */
	KUNIT_EXPECT_EQ(test, vtcp_t_read_check(c, 0), 3000U);
	VTCP_T_EXPECT_NOTHING(c);
	KUNIT_EXPECT_EQ(test, c->tcb.rcvq.mem, 0U);
	KUNIT_EXPECT_EQ(test, VTCP_DROP_NONE, vtcp_t_send_at(c, 3000, 1000));
	VTCP_T_EXPECT_SEG_W(c, VTCP_TH_ACK, SND_NXT, base + 4000, 0, 9000);
}

static struct kunit_case vtcp_reassembly_cases[] = {
	KUNIT_CASE(rfc2018_sack_blocks_most_recent_first),
	KUNIT_CASE(rfc2018_sack_with_timestamps_reports_three_blocks),
	KUNIT_CASE(rfc2018_sack_block_of_several_segments_survives),
	KUNIT_CASE(rfc2883_dsack_reports_duplicate_below_ack),
	KUNIT_CASE(rfc2883_dsack_then_block_holding_the_duplicate),
	KUNIT_CASE(rfc9293_data_past_the_fin_is_ignored),
	KUNIT_CASE(vtcp_ooo_memory_is_bounded),
	KUNIT_CASE(rfc9293_receive_window_is_free_buffer_space),
	{}
};

static struct kunit_suite vtcp_reassembly_suite = {
	.name = "vtcp_reassembly",
	.test_cases = vtcp_reassembly_cases,
};

kunit_test_suite(vtcp_reassembly_suite);

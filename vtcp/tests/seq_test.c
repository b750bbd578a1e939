// SPDX-License-Identifier: GPL-2.0
/*
 * Sequence number arithmetic across the 2^32 wrap (RFC 9293 3.4).
 */
#include <kunit/test.h>

#include "engine/seq.h"

static void vtcp_seq_compares_across_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vtcp_seq_lt(0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_gt(0x10, 0xfffffff0));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_leq(0xffffffff, 0));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_geq(0, 0xffffffff));
	KUNIT_EXPECT_FALSE(test, vtcp_seq_lt(5, 5));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_leq(5, 5));
	KUNIT_EXPECT_EQ(test, vtcp_seq_max(0xfffffff0, 0x10), 0x10U);
	KUNIT_EXPECT_EQ(test, vtcp_seq_min(0xfffffff0, 0x10), 0xfffffff0U);
}

/* Numbers 2^31 - 1 apart still compare; the order is the short way round. */
static void vtcp_seq_half_space_limit(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vtcp_seq_lt(0, 0x7fffffff));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_gt(0, 0x80000001));
}

static void vtcp_seq_in_window_across_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vtcp_seq_in(0xfffffffe, 0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_in(0x0f, 0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, vtcp_seq_in(0x10, 0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, vtcp_seq_in(0xfffffff0, 0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, vtcp_seq_in(0xffffffef, 0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, vtcp_seq_in(7, 7, 7));	/* empty window */
}

static struct kunit_case vtcp_seq_cases[] = {
	KUNIT_CASE(vtcp_seq_compares_across_wrap),
	KUNIT_CASE(vtcp_seq_half_space_limit),
	KUNIT_CASE(vtcp_seq_in_window_across_wrap),
	{}
};

static struct kunit_suite vtcp_seq_suite = {
	.name = "vtcp_seq",
	.test_cases = vtcp_seq_cases,
};

kunit_test_suite(vtcp_seq_suite);

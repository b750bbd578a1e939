// SPDX-License-Identifier: GPL-2.0
/*
 * TCP option parsing (RFC 9293 3.2, RFC 7323, RFC 2018): every malformed
 * form is refused without reading past the option space (each case sits in
 * a heap buffer of exactly its length, so KASAN sees any over-read), and
 * what we write parses back to what we meant.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "engine/options.h"
#include "engine/proto.h"

struct vtcp_opt_case {
	const char *name;
	u8 bytes[40];
	u8 len;
	int ret;		/* 0 or -EINVAL */
	u8 present;		/* VTCP_TCPOPT_* expected when ret is 0 */
	u8 nsack;		/* SACK blocks kept, when SACK is present */
};

static const struct vtcp_opt_case vtcp_opt_cases[] = {
	{ "empty", {}, 0, 0, 0 },
	{ "eol_ends_parsing", { VTCP_OPTKIND_EOL, 0xff, 0xff }, 3, 0, 0 },
	{ "nops_only", { 1, 1, 1, 1 }, 4, 0, 0 },
	{ "mss", { 2, 4, 0x05, 0xb4 }, 4, 0, VTCP_TCPOPT_MSS },
	{ "mss_zero_is_malformed", { 2, 4, 0, 0 }, 4, -EINVAL, 0 },
	{ "mss_wrong_length", { 2, 3, 0x05 }, 3, -EINVAL, 0 },
	{ "mss_truncated", { 2, 4, 0x05 }, 3, -EINVAL, 0 },
	{ "length_zero", { 2, 0, 0, 0 }, 4, -EINVAL, 0 },
	{ "length_one", { 30, 1, 0, 0 }, 4, -EINVAL, 0 },
	{ "kind_without_length", { 1, 1, 1, 30 }, 4, -EINVAL, 0 },
	{ "length_past_end", { 30, 10, 0, 0 }, 4, -EINVAL, 0 },
	{ "unknown_kind_skipped", { 30, 4, 0xaa, 0xbb, 2, 4, 0x02, 0x18 }, 8, 0,
	  VTCP_TCPOPT_MSS },
	{ "duplicate_mss", { 2, 4, 5, 0xb4, 2, 4, 5, 0xb4 }, 8, -EINVAL, 0 },
	{ "duplicate_timestamps",
	  { 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0 }, 20,
	  -EINVAL, 0 },
	{ "wscale", { 3, 3, 7 }, 3, 0, VTCP_TCPOPT_WSCALE },
	{ "wscale_above_14_is_clamped", { 3, 3, 15 }, 3, 0,
	  VTCP_TCPOPT_WSCALE | VTCP_TCPOPT_WSCALE_CLAMPED },
	{ "wscale_wrong_length", { 3, 4, 7, 0 }, 4, -EINVAL, 0 },
	{ "sack_ok", { 4, 2 }, 2, 0, VTCP_TCPOPT_SACK_OK },
	{ "sack_ok_wrong_length", { 4, 3, 0 }, 3, -EINVAL, 0 },
	{ "timestamps", { 8, 10, 0, 0, 0, 9, 0, 0, 0, 7 }, 10, 0, VTCP_TCPOPT_TS },
	{ "timestamps_truncated", { 8, 10, 0, 0, 0, 9, 0, 0 }, 8, -EINVAL, 0 },
	{ "sack_one_block", { 5, 10, 0, 0, 0, 10, 0, 0, 0, 20 }, 10, 0,
	  VTCP_TCPOPT_SACK, 1 },
	{ "sack_no_block", { 5, 2 }, 2, -EINVAL, 0 },
	{ "sack_partial_block", { 5, 6, 0, 0, 0, 10 }, 6, -EINVAL, 0 },
	{ "sack_five_blocks", { 5, 42 }, 2, -EINVAL, 0 },
	{ "sack_inverted_block_dropped", { 5, 10, 0, 0, 0, 20, 0, 0, 0, 10 }, 10,
	  0, VTCP_TCPOPT_SACK },
	{ "timestamps_wrong_length", { 8, 8, 0, 0, 0, 9, 0, 0 }, 8, -EINVAL, 0 },
	{ "duplicate_wscale", { 3, 3, 7, 3, 3, 7 }, 6, -EINVAL, 0 },
	{ "duplicate_sack_ok", { 4, 2, 4, 2 }, 4, -EINVAL, 0 },
	{ "duplicate_sack",
	  { 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 5, 10, 0, 0, 0, 3, 0, 0, 0, 4 }, 20,
	  -EINVAL, 0 },
	{ "sack_four_blocks",
	  { 5, 34, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
	    0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8 }, 34, 0, VTCP_TCPOPT_SACK, 4 },
	{ "sack_block_wrapping_2_32_kept",
	  { 5, 10, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10 }, 10, 0, VTCP_TCPOPT_SACK,
	  1 },
	{ "unknown_kind_length_two_at_end", { 1, 30, 2 }, 3, 0, 0 },
	{ "unknown_kind_filling_all_40_bytes",
	  { 253, 40, 0xde, 0xad }, 40, 0, 0 },
	{ "eol_before_kind_without_length", { 0, 2 }, 2, 0, 0 },
	{ "nop_then_truncated_mss", { 1, 1, 1, 2 }, 4, -EINVAL, 0 },
	{ "syn_options_like_linux",
	  { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 },
	  20, 0, VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK | VTCP_TCPOPT_TS | VTCP_TCPOPT_WSCALE },
};

static void vtcp_opt_case_desc(const struct vtcp_opt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_opt, vtcp_opt_cases, vtcp_opt_case_desc);

static void vtcp_options_parse_table(struct kunit *test)
{
	const struct vtcp_opt_case *c = test->param_value;
	u8 *buf = kunit_kmalloc(test, max_t(u8, c->len, 1), GFP_KERNEL);
	struct vtcp_opts o;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, c->bytes, c->len);
	KUNIT_EXPECT_EQ(test, c->ret, vtcp_opts_parse(buf, c->len, &o));
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, (u32)c->present, (u32)o.present);
	/* Valid SACK blocks are all kept, inverted ones none (RFC 2018 3). */
	if (!c->ret && (o.present & VTCP_TCPOPT_SACK))
		KUNIT_EXPECT_EQ(test, (int)o.nsack, c->nsack);
}

static void vtcp_options_values(struct kunit *test)
{
	static const u8 b[] = { 2, 4, 0x05, 0xb4, 3, 3, 15, 8, 10, 1, 2, 3, 4,
				5, 6, 7, 8, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20,
				0, 0, 0, 30, 0, 0, 0, 40 };
	struct vtcp_opts o;

	KUNIT_ASSERT_EQ(test, 0, vtcp_opts_parse(b, sizeof(b), &o));
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_EQ(test, o.wscale, 14);	/* RFC 7323 2.3 */
	KUNIT_EXPECT_EQ(test, o.tsval, 0x01020304U);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0x05060708U);
	KUNIT_ASSERT_EQ(test, o.nsack, 2);
	KUNIT_EXPECT_EQ(test, o.sack[0].start, 10U);
	KUNIT_EXPECT_EQ(test, o.sack[0].end, 20U);
	KUNIT_EXPECT_EQ(test, o.sack[1].start, 30U);
	KUNIT_EXPECT_EQ(test, o.sack[1].end, 40U);
}

/* Every set of options we write is aligned and parses back unchanged. */
static void vtcp_options_write_parses_back(struct kunit *test)
{
	static const u8 sets[] = {
		VTCP_TCPOPT_MSS,
		VTCP_TCPOPT_MSS | VTCP_TCPOPT_WSCALE,
		VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK,
		VTCP_TCPOPT_MSS | VTCP_TCPOPT_SACK_OK | VTCP_TCPOPT_TS | VTCP_TCPOPT_WSCALE,
		VTCP_TCPOPT_TS,
		VTCP_TCPOPT_TS | VTCP_TCPOPT_SACK,
		VTCP_TCPOPT_SACK,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		struct vtcp_opts in = {
			.present = sets[i], .mss = 1400, .wscale = 9,
			.tsval = 77, .tsecr = 88,
			.nsack = (sets[i] & VTCP_TCPOPT_TS) ? 3 : 4,
			.sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } },
		};
		u8 buf[VTCP_MAX_OPTION_SPACE];
		unsigned int size = vtcp_opts_size(&in);
		struct vtcp_opts out;

		KUNIT_ASSERT_LE(test, size, VTCP_MAX_OPTION_SPACE);
		KUNIT_EXPECT_EQ(test, size % 4, 0U);
		vtcp_opts_write(buf, &in, size);
		KUNIT_ASSERT_EQ(test, 0, vtcp_opts_parse(buf, size, &out));
		KUNIT_EXPECT_EQ(test, (u32)in.present, (u32)out.present);
		if (in.present & VTCP_TCPOPT_MSS)
			KUNIT_EXPECT_EQ(test, out.mss, 1400);
		if (in.present & VTCP_TCPOPT_WSCALE)
			KUNIT_EXPECT_EQ(test, out.wscale, 9);
		if (in.present & VTCP_TCPOPT_TS) {
			KUNIT_EXPECT_EQ(test, out.tsval, 77U);
			KUNIT_EXPECT_EQ(test, out.tsecr, 88U);
		}
		if (in.present & VTCP_TCPOPT_SACK) {
			KUNIT_ASSERT_EQ(test, out.nsack, in.nsack);
			KUNIT_EXPECT_EQ(test, out.sack[in.nsack - 1].end,
					in.sack[in.nsack - 1].end);
		}
	}
}

static struct kunit_case vtcp_options_cases[] = {
	KUNIT_CASE_PARAM(vtcp_options_parse_table, vtcp_opt_gen_params),
	KUNIT_CASE(vtcp_options_values),
	KUNIT_CASE(vtcp_options_write_parses_back),
	{}
};

static struct kunit_suite vtcp_options_suite = {
	.name = "vtcp_options",
	.test_cases = vtcp_options_cases,
};

kunit_test_suite(vtcp_options_suite);

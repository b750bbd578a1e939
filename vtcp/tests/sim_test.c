// SPDX-License-Identifier: GPL-2.0
/*
 * Whole transfers between two engines over an impaired link (sim.c): each
 * case moves megabytes, checks every byte, closes both ends cleanly, and
 * prints its simulated goodput so that regressions in recovery show.
 */
#include <linux/math64.h>
#include <linux/sizes.h>

#include "sim.h"

#define MIB		SZ_1M
#define PCT		10000U	/* ppm */

/* What each case turns on: the defaults, then one mechanism off at a time. */
#define BASE		(VTCP_CFG_TIMESTAMPS | VTCP_CFG_WSCALE | VTCP_CFG_ECN)
#define OPTS		(BASE | VTCP_CFG_SACK | VTCP_CFG_RACK)	/* the default */
#define NORACK		(BASE | VTCP_CFG_SACK)	/* SACK, RFC 6675 IsLost() */
#define NOSACK		BASE			/* NewReno recovery */

/* 100 Mbit/s, 10 ms each way: a 20 ms path with a 250 KB BDP. */
#define PATH		.rate_mbps = 100, .delay_us = 10000

/* A 20 ms buffer at the bottleneck, and a step AQM marking at 2 ms. */
#define QUEUE		PATH, .queue_us = 20000
#define AQM		QUEUE, .ecn_mark_us = 2000

/*
 * Each lossy case runs with the defaults (SACK, RACK-TLP, CUBIC), then
 * with RACK off (RFC 6675 loss detection), SACK off (NewReno recovery)
 * and NewReno for CUBIC.
 */
static const struct vtcp_sim_params vtcp_sim_cases[] = {
	{ .name = "clean", .link = { PATH },
	  .bytes = { 8 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 1 },
	{ .name = "loss1", .link = { PATH, .loss_ppm = 1 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 2 },
	{ .name = "loss1_no_rack", .link = { PATH, .loss_ppm = 1 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NORACK, .seed = 2 },
	{ .name = "loss1_no_sack", .link = { PATH, .loss_ppm = 1 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NOSACK, .seed = 2 },
	{ .name = "loss1_newreno", .link = { PATH, .loss_ppm = 1 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .cc = "newreno", .seed = 2 },
	{ .name = "loss5", .link = { PATH, .loss_ppm = 5 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 3 },
	{ .name = "loss5_no_rack", .link = { PATH, .loss_ppm = 5 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NORACK, .seed = 3 },
	{ .name = "loss5_no_sack", .link = { PATH, .loss_ppm = 5 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NOSACK, .seed = 3 },
	{ .name = "loss5_newreno", .link = { PATH, .loss_ppm = 5 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .cc = "newreno", .seed = 3 },
	{ .name = "loss20", .link = { PATH, .loss_ppm = 20 * PCT },
	  .bytes = { 2 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 4 },
	{ .name = "loss20_no_rack", .link = { PATH, .loss_ppm = 20 * PCT },
	  .bytes = { 2 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NORACK, .seed = 4 },
	{ .name = "loss20_no_sack", .link = { PATH, .loss_ppm = 20 * PCT },
	  .bytes = { 2 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NOSACK, .seed = 4 },
	{ .name = "loss20_newreno", .link = { PATH, .loss_ppm = 20 * PCT },
	  .bytes = { 2 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .cc = "newreno", .seed = 4 },
	{ .name = "reorder", .link = { PATH, .reorder_ppm = 2 * PCT,
				       .reorder_us = 3000, .jitter_us = 200 },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 5 },
	{ .name = "reorder_no_rack", .link = { PATH, .reorder_ppm = 2 * PCT,
					       .reorder_us = 3000, .jitter_us = 200 },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NORACK, .seed = 5 },
	{ .name = "reorder_no_sack", .link = { PATH, .reorder_ppm = 2 * PCT,
					       .reorder_us = 3000, .jitter_us = 200 },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NOSACK, .seed = 5 },
	/* As netem's reorder 25%: those packets skip the 10 ms delay. */
	{ .name = "skip_delay", .link = { PATH, .skip_ppm = 25 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 12 },
	{ .name = "skip_delay_no_rack", .link = { PATH, .skip_ppm = 25 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = NORACK, .seed = 12 },
	{ .name = "dup", .link = { PATH, .dup_ppm = 5 * PCT },
	  .bytes = { 4 * MIB, 0 }, .rcvbuf = MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 6 },
	{ .name = "mixed_both_ways_gso_wrap",
	  .link = { PATH, .loss_ppm = 2 * PCT, .reorder_ppm = 2 * PCT,
		    .reorder_us = 2000, .dup_ppm = 2 * PCT, .jitter_us = 500 },
	  .bytes = { 3 * MIB, 3 * MIB }, .rcvbuf = MIB, .mss = 1448,
	  .gso_max = 65535, .iss = { 0xfff00000, 0xffff0000 },
	  .cfg_flags = OPTS, .seed = 7 },
	{ .name = "no_options_loss5", .link = { PATH, .loss_ppm = 5 * PCT },
	  .bytes = { 2 * MIB, 0 }, .rcvbuf = 65535, .mss = 1460,
	  .cfg_flags = 0, .seed = 8 },
	{ .name = "slow_reader", .link = { PATH },
	  .bytes = { 1 * MIB, 0 }, .rcvbuf = 65536, .mss = 1448,
	  .read_bytes_per_ms = 256, .cfg_flags = OPTS, .seed = 9 },
	/* Losses from a full buffer: slow start's exit and the window curve. */
	{ .name = "buffer", .link = { QUEUE },
	  .bytes = { 16 * MIB, 0 }, .rcvbuf = 4 * MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 10 },
	{ .name = "buffer_newreno", .link = { QUEUE },
	  .bytes = { 16 * MIB, 0 }, .rcvbuf = 4 * MIB, .mss = 1448,
	  .cfg_flags = OPTS, .cc = "newreno", .seed = 10 },
	/* An AQM that marks ECN-capable packets and drops the others. */
	{ .name = "aqm_ecn", .link = { AQM },
	  .bytes = { 16 * MIB, 0 }, .rcvbuf = 4 * MIB, .mss = 1448,
	  .cfg_flags = OPTS, .seed = 11 },
	{ .name = "aqm_no_ecn", .link = { AQM },
	  .bytes = { 16 * MIB, 0 }, .rcvbuf = 4 * MIB, .mss = 1448,
	  .cfg_flags = OPTS & ~VTCP_CFG_ECN, .seed = 11 },
};

static void vtcp_sim_case_desc(const struct vtcp_sim_params *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vtcp_sim, vtcp_sim_cases, vtcp_sim_case_desc);

static void vtcp_sim_transfer(struct kunit *test)
{
	const struct vtcp_sim_params *p = test->param_value;
	const struct vtcp_sim_link_params *l = &p->link;
	u64 bytes = (u64)p->bytes[0] + p->bytes[1];
	struct vtcp_sim_result res;
	u64 us, mbps10;

	vtcp_sim_run(test, p, &res);
	us = max_t(u64, div_u64(res.done_ns, NSEC_PER_USEC), 1);
	mbps10 = div64_u64(bytes * 80, us);
	kunit_info(test,
		   "sim %s: loss=%u%% reorder=%u%% dup=%u%%: %llu MiB in %llu.%03llu s virtual, goodput %llu.%llu Mbit/s (%llu packets, %llu lost, %llu CE, %u resent, %u RTOs, %u fast retransmits, %u TLPs, %u undone)\n",
		   p->name, l->loss_ppm / PCT, l->reorder_ppm / PCT, l->dup_ppm / PCT,
		   bytes / MIB, us / USEC_PER_SEC, (us % USEC_PER_SEC) / 1000,
		   mbps10 / 10, mbps10 % 10, res.packets, res.lost, res.marked,
		   res.retrans_segs, res.rto_expirations, res.fast_retrans,
		   res.tlp_probes, res.undos);
	KUNIT_EXPECT_GT(test, res.done_ns, 0ULL);
}

static struct kunit_case vtcp_sim_test_cases[] = {
	KUNIT_CASE_PARAM_ATTR(vtcp_sim_transfer, vtcp_sim_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite vtcp_sim_suite = {
	.name = "vtcp_sim",
	.test_cases = vtcp_sim_test_cases,
};

kunit_test_suite(vtcp_sim_suite);

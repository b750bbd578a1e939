/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic simulation: two engines, one opening (vtcp_connect())
 * and one a listener's child (vtcp_open_passive()), joined by a simulated
 * link with a virtual clock and a seeded PRNG. Each direction of the link
 * has a bottleneck rate, a delay with jitter, and loss, reordering and
 * duplication with given probabilities. Each end's application writes a
 * stream generated from the byte offset, reads and checks the other's,
 * shuts its side down when done and closes once it has read the end.
 */
#ifndef _VTCP_TEST_SIM_H
#define _VTCP_TEST_SIM_H

#include <kunit/test.h>

#include "engine/tcb.h"

struct vtcp_sim_link_params {
	u32 loss_ppm;		/* per packet, parts per million */
	u32 reorder_ppm;	/* held back by reorder_ns more */
	u32 skip_ppm;		/* sent without the delay, as netem's reorder */
	u32 dup_ppm;		/* delivered twice */
	u32 rate_mbps;		/* bottleneck; 0: none */
	u32 delay_us;		/* one way */
	u32 jitter_us;		/* uniform in [0, jitter) on top */
	u32 reorder_us;
	/*
	 * The bottleneck's buffer, in microseconds of its rate (0: no
	 * limit): a packet finding a fuller queue is dropped. With
	 * @ecn_mark_us, a step AQM (as DCTCP's) acts on a queue longer than
	 * that: it marks ECN-capable packets CE and drops the others.
	 */
	u32 queue_us;
	u32 ecn_mark_us;
};

struct vtcp_sim_params {
	const char *name;
	struct vtcp_sim_link_params link;	/* both directions */
	u32 bytes[2];		/* what the client (0) and server (1) send */
	u32 rcvbuf;
	u16 mss;
	u16 gso_max;		/* 0: one MSS per segment */
	u32 iss[2];		/* 0: chosen from the seed */
	u32 read_bytes_per_ms;	/* a slow reader; 0: reads at once */
	u16 cfg_flags;		/* VTCP_CFG_* for both ends */
	const char *cc;		/* congestion control; NULL: the default */
	u32 seed;
};

struct vtcp_sim_result {
	u64 open_ns;		/* connect() to ESTABLISHED (client) */
	u64 done_ns;		/* to the last byte read, either way */
	u64 closed_ns;		/* to both CLOSED */
	u64 packets, lost, duplicated, reordered, marked;
	u32 retrans_segs, rto_expirations, fast_retrans, tlp_probes, undos;
};

/* Run one case to the end; every check is a KUnit expectation. */
void vtcp_sim_run(struct kunit *test, const struct vtcp_sim_params *p,
		  struct vtcp_sim_result *res);

#endif /* _VTCP_TEST_SIM_H */

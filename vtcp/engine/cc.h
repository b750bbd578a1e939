/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control algorithms. The engine decides when the window grows
 * and when a loss is detected; an algorithm says by how much.
 */
#ifndef _VTCP_CC_H
#define _VTCP_CC_H

#include "engine/tcb.h"

#define VTCP_CC_NAME_MAX	16

struct vtcp_cc_ops {
	const char *name;
	/* The connection starts, the algorithm is switched to, or an RTO. */
	void (*init)(struct vtcp_tcb *tcb, u64 now);
	/* ssthresh after a loss is detected (RFC 5681 eq. 4). */
	u32 (*ssthresh)(struct vtcp_tcb *tcb, u64 now);
	/* @acked new bytes were acknowledged outside loss recovery. */
	void (*cong_avoid)(struct vtcp_tcb *tcb, u32 acked, u64 now);
	/* An RTT sample, for delay-based slow-start exit (optional). */
	void (*rtt_sample)(struct vtcp_tcb *tcb, u32 rtt_us, u64 now);
	/* The last reduction was spurious; cwnd is restored (optional). */
	void (*undo)(struct vtcp_tcb *tcb);
};

extern const struct vtcp_cc_ops vtcp_cc_newreno;
extern const struct vtcp_cc_ops vtcp_cc_cubic;

/* cubic.c, for the tests */
u32 vtcp_cubic_k_ms(u32 delta, u16 mss);
u32 vtcp_cubic_window(u32 origin, u32 k_ms, u32 t_ms, u16 mss);

const struct vtcp_cc_ops *vtcp_cc_find(const char *name);
const struct vtcp_cc_ops *vtcp_cc_default(void);
void vtcp_cc_slow_start(struct vtcp_tcb *tcb, u32 *acked);

#endif /* _VTCP_CC_H */

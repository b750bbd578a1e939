// SPDX-License-Identifier: GPL-2.0
/*
 * The retransmission timeout (RFC 6298). Samples come from segments sent
 * once (Karn's rule, RFC 6298 3) or from timestamp echoes (RFC 7323 4),
 * which are unambiguous even for retransmitted data. Every ACK that yields
 * a sample updates the estimator, as Linux does.
 */

#include <kunit/visibility.h>
#include <linux/minmax.h>

#include "engine/rtt.h"

void vtcp_rtt_sample(struct vtcp_tcb *tcb, u32 rtt_us)
{
	u32 delta;

	rtt_us = max(rtt_us, 1U);
	if (!tcb->srtt_us) {
		/* RFC 6298 2.2 */
		tcb->srtt_us = rtt_us;
		tcb->rttvar_us = rtt_us / 2;
		tcb->rtt_min_us = rtt_us;
	} else {
		/* RFC 6298 2.3, alpha = 1/8, beta = 1/4 */
		delta = tcb->srtt_us > rtt_us ? tcb->srtt_us - rtt_us :
						rtt_us - tcb->srtt_us;
		tcb->rttvar_us = tcb->rttvar_us - tcb->rttvar_us / 4 +
				 delta / 4;
		tcb->srtt_us = tcb->srtt_us - tcb->srtt_us / 8 + rtt_us / 8;
		tcb->rtt_min_us = min(tcb->rtt_min_us, rtt_us);
	}
	tcb->rto_us = clamp(tcb->srtt_us +
			    max(VTCP_CLOCK_G_US, 4 * tcb->rttvar_us),
			    VTCP_RTO_MIN_US, VTCP_RTO_MAX_US);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rtt_sample);

/* The RTO with the exponential backoff of RFC 6298 5.5 applied. */
u32 vtcp_rto_backed_off(const struct vtcp_tcb *tcb)
{
	u64 rto = (u64)tcb->rto_us << min_t(u8, tcb->backoff, 31);

	return min_t(u64, rto, VTCP_RTO_MAX_US);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_rto_backed_off);

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RTT_H
#define _VTCP_RTT_H

#include "engine/tcb.h"

#define VTCP_RTO_INIT_US	1000000U	/* RFC 6298 2.1 */
#define VTCP_RTO_MIN_US		200000U		/* as Linux; RFC 6298 says 1 s */
#define VTCP_RTO_MAX_US		120000000U	/* RFC 6298 2.5 allows >= 60 s */
#define VTCP_CLOCK_G_US		1000U		/* granularity G */
#define VTCP_RTO_SYN_LOST_US	3000000U	/* RFC 6298 5.7 */

void vtcp_rtt_sample(struct vtcp_tcb *tcb, u32 rtt_us);
u32 vtcp_rto_backed_off(const struct vtcp_tcb *tcb);

#endif /* _VTCP_RTT_H */

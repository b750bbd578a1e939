/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RTT_H
#define _VTCP_RTT_H

#include "engine/tcb.h"

void vtcp_rtt_sample(struct vtcp_tcb *tcb, u32 rtt_us);
u32 vtcp_rto_backed_off(const struct vtcp_tcb *tcb);

#endif /* _VTCP_RTT_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RECOVERY_H
#define _VTCP_RECOVERY_H

#include "tcb.h"

#define VTCP_DUPTHRESH	3	/* RFC 5681 3.2 */

u32 vtcp_reno_sacked(const struct vtcp_tcb *tcb);
void vtcp_recovery_ack(struct vtcp_tcb *tcb, u32 acked, bool dupack, u64 now);
void vtcp_enter_loss(struct vtcp_tcb *tcb, u64 now);

#endif /* _VTCP_RECOVERY_H */

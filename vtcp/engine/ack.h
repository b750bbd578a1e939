/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_ACK_H
#define _VTCP_ACK_H

#include "engine/tcb.h"

bool vtcp_ack_acceptable(const struct vtcp_tcb *tcb,
			 const struct vtcp_seg *seg);
void vtcp_ack_syn(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
		  u64 now);
enum vtcp_drop_reason vtcp_ack_input(struct vtcp_tcb *tcb,
				     const struct vtcp_seg *seg, u8 wshift,
				     u64 now);

#endif /* _VTCP_ACK_H */

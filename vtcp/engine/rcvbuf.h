/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RCVBUF_H
#define _VTCP_RCVBUF_H

#include "engine/tcb.h"

void vtcp_rcvbuf_rtt_measure(struct vtcp_tcb *tcb, const struct vtcp_seg *seg,
			     u64 now);
void vtcp_rcvbuf_adjust(struct vtcp_tcb *tcb, u64 now);

#endif /* _VTCP_RCVBUF_H */

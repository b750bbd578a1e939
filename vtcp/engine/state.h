/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_STATE_H
#define _VTCP_STATE_H

#include "engine/tcb.h"

void vtcp_set_state(struct vtcp_tcb *tcb, u8 state);
void vtcp_tcb_done(struct vtcp_tcb *tcb);
void vtcp_enter_time_wait(struct vtcp_tcb *tcb, u64 now);

#endif /* _VTCP_STATE_H */

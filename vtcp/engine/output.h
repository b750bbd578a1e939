/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_OUTPUT_H
#define _VTCP_OUTPUT_H

#include "engine/tcb.h"

#define VTCP_MAX_PIECES		16	/* send-queue pieces a segment takes */

u32 vtcp_rcv_space(const struct vtcp_tcb *tcb);
u32 vtcp_rcv_wnd_step(const struct vtcp_tcb *tcb);
u16 vtcp_select_window(struct vtcp_tcb *tcb);
void vtcp_mss_less_options(struct vtcp_tcb *tcb);

void vtcp_send_ack(struct vtcp_tcb *tcb, u64 now);
bool vtcp_challenge_allow(struct vtcp_challenge *c, u64 now);
void vtcp_send_challenge_ack(struct vtcp_tcb *tcb, u64 now);
void vtcp_send_syn(struct vtcp_tcb *tcb, u64 now);
void vtcp_send_rst(struct vtcp_tcb *tcb, u64 now);
void vtcp_send_reset_reply(struct vtcp_tcb *tcb, const struct vtcp_seg *seg);
void vtcp_send_probe(struct vtcp_tcb *tcb, u64 now);
void vtcp_schedule_ack(struct vtcp_tcb *tcb, u64 now);
void vtcp_enter_quickack(struct vtcp_tcb *tcb);
u64 vtcp_user_timeout_end(const struct vtcp_tcb *tcb);
void vtcp_restart_rto(struct vtcp_tcb *tcb, u64 now);
void vtcp_arm_persist(struct vtcp_tcb *tcb, u64 now);
bool vtcp_send_loss_probe(struct vtcp_tcb *tcb, bool *retrans, u64 now);
void vtcp_retransmit_head(struct vtcp_tcb *tcb, u64 now);

#endif /* _VTCP_OUTPUT_H */

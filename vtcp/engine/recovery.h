/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loss detection and recovery: the SACK scoreboard (sack.c), RACK-TLP
 * (rack.c), and the recovery state machine with PRR (recovery.c).
 */
#ifndef _VTCP_RECOVERY_H
#define _VTCP_RECOVERY_H

#include "engine/tcb.h"

/* What one ACK told the sender, gathered as it is processed. */
struct vtcp_ack_sample {
	u32 prior_una;		/* SND.UNA before the ACK */
	u32 prior_sacked;	/* SACKed (or dup-ACKed) bytes before it */
	u32 acked;		/* sequence space newly acknowledged */
	u32 sacked;		/* bytes newly SACKed */
	u32 dsack_start;	/* the D-SACK block, if any (RFC 2883) */
	u32 dsack_end;
	u32 tsecr;		/* the timestamp echo, 0 without one */
	u8 dupack:1,		/* RFC 5681 2's duplicate ACK */
	   dsack:1,
	   has_sack:1,		/* it carried SACK blocks */
	   ece:1;		/* ECN-Echo (RFC 3168), ECN in use */
};

static inline bool vtcp_rack_enabled(const struct vtcp_tcb *tcb)
{
	return tcb->sack_ok && (tcb->cfg.flags & VTCP_CFG_RACK);
}

/* sack.c */
/* Records beyond twice the send buffer in full segments (sack.c). */
#define VTCP_SACK_RECORDS_SLACK	32
u32 vtcp_sack_records_max(const struct vtcp_tcb *tcb);
void vtcp_sack_input(struct vtcp_tcb *tcb, const struct vtcp_opts *opt,
		     u32 ack, struct vtcp_ack_sample *as, u64 now);
void vtcp_sack_mark_lost(struct vtcp_tcb *tcb);
void vtcp_sack_clear(struct vtcp_tcb *tcb);

/* rack.c */
void vtcp_rack_delivered(struct vtcp_tcb *tcb, const struct vtcp_txseg *seg,
			 u32 tsecr, u64 now);
u32 vtcp_rack_reo_wnd_us(const struct vtcp_tcb *tcb);
void vtcp_rack_update_reo_wnd(struct vtcp_tcb *tcb, bool dsack);
void vtcp_rack_detect_loss(struct vtcp_tcb *tcb, u64 now);
void vtcp_rack_mark_on_rto(struct vtcp_tcb *tcb, u64 now);
void vtcp_tlp_schedule(struct vtcp_tcb *tcb, u64 now);
void vtcp_tlp_ack(struct vtcp_tcb *tcb, const struct vtcp_ack_sample *as,
		  u64 now);
void vtcp_tlp_expire(struct vtcp_tcb *tcb, u64 now);
void vtcp_rack_reo_expire(struct vtcp_tcb *tcb, u64 now);

/* recovery.c */
u32 vtcp_reno_sacked(const struct vtcp_tcb *tcb);
u32 vtcp_in_flight(const struct vtcp_tcb *tcb);
bool vtcp_lost_pending(struct vtcp_tcb *tcb);
u32 vtcp_prr_sndcnt(const struct vtcp_tcb *tcb, u32 pipe, u32 delivered);
void vtcp_cwnd_reduce(struct vtcp_tcb *tcb, u64 now);
void vtcp_recovery_ack(struct vtcp_tcb *tcb, struct vtcp_ack_sample *as,
		       u64 now);
void vtcp_recovery_check(struct vtcp_tcb *tcb, u64 now);
void vtcp_enter_loss(struct vtcp_tcb *tcb, u64 now);
void vtcp_undo_dsack(struct vtcp_tcb *tcb, u32 start, u32 end);

#endif /* _VTCP_RECOVERY_H */

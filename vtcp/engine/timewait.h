/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_TIMEWAIT_H
#define _VTCP_TIMEWAIT_H

#include "engine/tcb.h"

/*
 * What TIME-WAIT needs of a connection nobody holds any more: enough to
 * re-ACK the peer's FIN, ignore RSTs (RFC 1337) and tell a new SYN from an
 * old duplicate (RFC 6191). The datapath keeps this instead of the TCB.
 */
struct vtcp_timewait {
	u32 snd_nxt;
	u32 rcv_nxt;
	u32 ts_recent;
	u32 ts_offset;
	u16 wnd;		/* the window field our ACKs carry */
	u8 ts_ok:1;
	struct vtcp_challenge challenge;	/* RFC 5961 7 */
};

enum vtcp_timewait_verdict {
	VTCP_TIMEWAIT_DROP,		/* nothing to send */
	VTCP_TIMEWAIT_ACK,		/* send *out */
	VTCP_TIMEWAIT_ACK_RESTART,	/* send *out, restart the 2MSL wait */
	VTCP_TIMEWAIT_REOPEN,		/* a new connection: end TIME-WAIT */
};

void vtcp_timewait_from(const struct vtcp_tcb *tcb, struct vtcp_timewait *tw);
bool vtcp_timewait_reopens(const struct vtcp_timewait *tw,
			   const struct vtcp_seg *seg);
enum vtcp_timewait_verdict
vtcp_timewait_input(struct vtcp_timewait *tw, const struct vtcp_seg *seg,
		    u64 now, struct vtcp_out *out, enum vtcp_drop_reason *drop);

#endif /* _VTCP_TIMEWAIT_H */

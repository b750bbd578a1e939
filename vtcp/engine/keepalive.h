/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_KEEPALIVE_H
#define _VTCP_KEEPALIVE_H

#include "engine/tcb.h"

enum vtcp_ka_action {
	VTCP_KA_OFF,		/* no keepalive in this state or config */
	VTCP_KA_WAIT,		/* nothing to do before @when */
	VTCP_KA_PROBE,		/* send a probe now; next look at @when */
	VTCP_KA_DEAD,		/* the peer is gone */
};

struct vtcp_ka_decision {
	enum vtcp_ka_action action;
	u64 when;
};

struct vtcp_ka_decision vtcp_keepalive_decide(const struct vtcp_cfg *cfg,
					      u8 state, bool busy,
					      u64 last_rcv, u8 probes, u64 now);

#endif /* _VTCP_KEEPALIVE_H */

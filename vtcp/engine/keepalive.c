// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive (RFC 1122 4.2.3.6), as a pure function of the configuration,
 * the state and the clock, so that its timing is tested on its own.
 *
 * After @idle without a segment from the peer, a probe goes out every
 * @intvl; after @cnt unanswered probes, idle + cnt * intvl after the last
 * segment, the peer is declared dead. Any segment from the peer starts over
 * (the caller resets @probes and @last_rcv). A connection with data in
 * flight is watched by its retransmission timer instead (@busy), as in
 * Linux. A user timeout (RFC 5482) ends it sooner once probing started.
 */

#include <kunit/visibility.h>
#include <linux/time64.h>

#include "engine/keepalive.h"

struct vtcp_ka_decision vtcp_keepalive_decide(const struct vtcp_cfg *cfg,
					      u8 state, bool busy,
					      u64 last_rcv, u8 probes, u64 now)
{
	u64 intvl = (u64)cfg->keepalive_intvl_ms * NSEC_PER_MSEC;
	u64 idle = (u64)cfg->keepalive_idle_ms * NSEC_PER_MSEC;
	u64 utmo = (u64)cfg->user_timeout_ms * NSEC_PER_MSEC;
	struct vtcp_ka_decision d = { VTCP_KA_OFF, 0 };
	u64 due;

	if (!(cfg->flags & VTCP_CFG_KEEPALIVE))
		return d;
	switch (state) {
	case VTCP_ESTABLISHED:
	case VTCP_CLOSE_WAIT:
	case VTCP_FIN_WAIT_2:
		break;
	default:
		return d;
	}
	d.action = VTCP_KA_WAIT;
	if (busy) {
		d.when = now + idle;
		return d;
	}
	due = last_rcv + idle + probes * intvl;
	if (now < due) {
		d.when = due;
		return d;
	}
	if (probes >= cfg->keepalive_cnt ||
	    (utmo && probes && now - last_rcv >= utmo)) {
		d.action = VTCP_KA_DEAD;
		return d;
	}
	d.action = VTCP_KA_PROBE;
	d.when = now + intvl;
	return d;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_keepalive_decide);

// SPDX-License-Identifier: GPL-2.0
/*
 * Discarding a packet vtcp received: counted under vtcp's reason (drop.h,
 * ethtool -S), freed through kfree_skb_reason() under the closest of the
 * kernel's own reasons, so that skb:kfree_skb, perf and dropwatch see
 * vtcp's drops as any other. A module cannot add to enum skb_drop_reason;
 * where the core's reason says less than vtcp's (it stands for several of
 * vtcp's, or only roughly), the vtcp:vtcp_drop tracepoint says which, with
 * the same skbaddr as the skb:kfree_skb event that follows it.
 *
 * Only reasons that Debian's 6.1 already has are used: the table needs no
 * help from compat.h.
 */

#include <kunit/visibility.h>

#include "net/device.h"
#include "net/discard.h"
#include "net/trace.h"

struct vtcp_discard_map {
	u16 core;	/* enum skb_drop_reason */
	bool exact;	/* says what vtcp's reason says: no vtcp_drop event */
};

#define VTCP_SAME(core)	{ SKB_DROP_REASON_##core, true }
#define VTCP_NEAR(core)	{ SKB_DROP_REASON_##core, false }

/* Sized by its last entry: a reason appended to drop.h needs its own. */
static const struct vtcp_discard_map vtcp_discard_map[] = {
	[VTCP_DROP_NOT_IP]		= VTCP_NEAR(UNHANDLED_PROTO),
	[VTCP_DROP_NOT_TCP]		= VTCP_SAME(IP_NOPROTO),
	[VTCP_DROP_TRUNCATED]		= VTCP_NEAR(PKT_TOO_SMALL),
	[VTCP_DROP_BAD_IP_HEADER]	= VTCP_NEAR(IP_INHDR),
	[VTCP_DROP_BAD_IP_LENGTH]	= VTCP_NEAR(IP_INHDR),
	/* vtcp does not reassemble: a protocol feature it lacks. */
	[VTCP_DROP_FRAGMENT]		= VTCP_NEAR(UNHANDLED_PROTO),
	[VTCP_DROP_BAD_ADDRESS]		= VTCP_NEAR(IP_INADDRERRORS),
	[VTCP_DROP_BAD_TCP_HEADER]	= VTCP_NEAR(PKT_TOO_SMALL),
	/* The IPv4 header's sum as well as TCP's. */
	[VTCP_DROP_BAD_CHECKSUM]	= VTCP_NEAR(TCP_CSUM),
	[VTCP_DROP_BAD_OPTIONS]		= VTCP_NEAR(INVALID_PROTO),
	[VTCP_DROP_BAD_FLAGS]		= VTCP_NEAR(TCP_FLAGS),
	[VTCP_DROP_NO_SOCKET]		= VTCP_SAME(NO_SOCKET),
	[VTCP_DROP_LISTEN_OVERFLOW]	= VTCP_NEAR(SOCKET_BACKLOG),
	/* An ACK that no connection and no valid cookie stands for. */
	[VTCP_DROP_BAD_COOKIE]		= VTCP_NEAR(NO_SOCKET),
	[VTCP_DROP_MEMORY]		= VTCP_NEAR(PROTO_MEM),
	[VTCP_DROP_PAWS]		= VTCP_SAME(TCP_RFC7323_PAWS),
	[VTCP_DROP_OUT_OF_WINDOW]	= VTCP_SAME(TCP_INVALID_SEQUENCE),
	/* Beyond SND.NXT, or older than the window allows (RFC 5961 5.2). */
	[VTCP_DROP_BAD_ACK]		= VTCP_NEAR(TCP_ACK_UNSENT_DATA),
	[VTCP_DROP_RST_CHALLENGED]	= VTCP_SAME(TCP_RESET),
	[VTCP_DROP_SYN_CHALLENGED]	= VTCP_SAME(TCP_INVALID_SYN),
	[VTCP_DROP_OOO_LIMIT]		= VTCP_NEAR(SOCKET_RCVBUFF),
	/* Flags the connection's (or listener's) state does not take. */
	[VTCP_DROP_STATE]		= VTCP_NEAR(TCP_FLAGS),
	[VTCP_DROP_DUPLICATE]		= VTCP_NEAR(TCP_OLD_DATA),
	[VTCP_DROP_BACKLOG]		= VTCP_SAME(CPU_BACKLOG),
	/* A SYN past max_conns(_per_netns): as a full accept backlog. */
	[VTCP_DROP_CONN_LIMIT]		= VTCP_NEAR(SOCKET_BACKLOG),
	/* Payload trimmed past the receive budget: a memory limit. */
	[VTCP_DROP_RCV_BUDGET]		= VTCP_NEAR(PROTO_MEM),
	/* The packet channel's queue is full: as a socket's receive buffer. */
	[VTCP_DROP_PKT_QUEUE_FULL]	= VTCP_NEAR(SOCKET_RCVBUFF),
	[VTCP_DROP_PKT_GSO]		= VTCP_SAME(SKB_GSO_SEG),
	[VTCP_DROP_PKT_CHECKSUM]	= VTCP_NEAR(SKB_CSUM),
	/* A deferred listener's SYN queue is full (it has no cookies). */
	[VTCP_DROP_DEFER_OVERFLOW]	= VTCP_NEAR(SOCKET_BACKLOG),
	/* A resent SYN for a request the helper holds: it joins it. */
	[VTCP_DROP_DEFER_PENDING]	= VTCP_NEAR(TCP_INVALID_SYN),
};

static_assert(ARRAY_SIZE(vtcp_discard_map) == VTCP_DROP_MAX);

static const char *const vtcp_discard_names[VTCP_DROP_MAX] = {
	[VTCP_DROP_NONE] = "none",
#define VTCP_DROP_REASON(reason, name)	\
	[VTCP_DROP_##reason] = name,
#include "drop.h"
#undef VTCP_DROP_REASON
};

/* The core's reason for @reason: never 0, which would mean "not dropped". */
enum skb_drop_reason vtcp_discard_core(enum vtcp_drop_reason reason)
{
	if (reason <= VTCP_DROP_NONE || reason >= VTCP_DROP_MAX ||
	    !vtcp_discard_map[reason].core)
		return SKB_DROP_REASON_NOT_SPECIFIED;
	return vtcp_discard_map[reason].core;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_discard_core);

bool vtcp_discard_core_exact(enum vtcp_drop_reason reason)
{
	return reason > VTCP_DROP_NONE && reason < VTCP_DROP_MAX &&
	       vtcp_discard_map[reason].exact;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_discard_core_exact);

/* @reason's ethtool -S name. */
const char *vtcp_discard_name(enum vtcp_drop_reason reason)
{
	if (reason < VTCP_DROP_NONE || reason >= VTCP_DROP_MAX)
		return "?";
	return vtcp_discard_names[reason];
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_discard_name);

/*
 * Drop @skb, received on @vd, for @reason; @tuple is what parsing learnt
 * of its addresses and ports (zeros for the rest), or NULL.
 */
void vtcp_discard(struct vtcp_device *vd, struct sk_buff *skb,
		  enum vtcp_drop_reason reason, const struct vtcp_tuple *tuple)
{
	vtcp_dev_drop(vd, reason);
	if (!vtcp_discard_core_exact(reason))
		trace_vtcp_drop(vd->dev, skb, tuple, reason);
	kfree_skb_reason(skb, vtcp_discard_core(reason));
}

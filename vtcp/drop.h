/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a packet was discarded. Every drop is counted per device under the
 * reason's name (device.c: ethtool -S), so that every discarded packet is
 * explained.
 *
 * The reasons are written once, in the list at the end of this file, as
 * the kernel's are in include/net/dropreason-core.h: enum vtcp_drop_reason
 * and device.c's counter names are both made from it, so that a reason
 * cannot be added to one and not the other. The list is not a macro but
 * this file read again with VTCP_DROP_REASON(reason, name) defined, as
 * kernel/sched/features.h is read, which checkpatch can check. Selftests
 * read the counters by name and ethtool -S lists them in this order:
 * append new reasons, never rename one.
 */
#ifndef VTCP_DROP_REASON

#ifndef _VTCP_DROP_H
#define _VTCP_DROP_H

enum vtcp_drop_reason {
	VTCP_DROP_NONE = 0,	/* not dropped: has no counter */
#define VTCP_DROP_REASON(reason, ...)	VTCP_DROP_##reason,
#include "drop.h"
#undef VTCP_DROP_REASON
	VTCP_DROP_MAX
};

#endif /* _VTCP_DROP_H */

#else /* VTCP_DROP_REASON: the list */

VTCP_DROP_REASON(NOT_IP,		"drop_not_ip")
VTCP_DROP_REASON(NOT_TCP,		"drop_not_tcp")
VTCP_DROP_REASON(TRUNCATED,		"drop_truncated")
VTCP_DROP_REASON(BAD_IP_HEADER,		"drop_bad_ip_header")
VTCP_DROP_REASON(BAD_IP_LENGTH,		"drop_bad_ip_length")
VTCP_DROP_REASON(FRAGMENT,		"drop_fragment")
VTCP_DROP_REASON(BAD_ADDRESS,		"drop_bad_address")
VTCP_DROP_REASON(BAD_TCP_HEADER,	"drop_bad_tcp_header")
VTCP_DROP_REASON(BAD_CHECKSUM,		"drop_bad_checksum")
VTCP_DROP_REASON(BAD_OPTIONS,		"drop_bad_options")
VTCP_DROP_REASON(BAD_FLAGS,		"drop_bad_flags")
VTCP_DROP_REASON(NO_SOCKET,		"drop_no_socket")
VTCP_DROP_REASON(LISTEN_OVERFLOW,	"drop_listen_overflow")
VTCP_DROP_REASON(BAD_COOKIE,		"drop_bad_cookie")
VTCP_DROP_REASON(MEMORY,		"drop_memory")
VTCP_DROP_REASON(PAWS,			"drop_paws")
VTCP_DROP_REASON(OUT_OF_WINDOW,		"drop_out_of_window")
VTCP_DROP_REASON(BAD_ACK,		"drop_bad_ack")
VTCP_DROP_REASON(RST_CHALLENGED,	"drop_rst_challenged")
VTCP_DROP_REASON(SYN_CHALLENGED,	"drop_syn_challenged")
VTCP_DROP_REASON(OOO_LIMIT,		"drop_ooo_limit")
VTCP_DROP_REASON(STATE,			"drop_state")
VTCP_DROP_REASON(DUPLICATE,		"drop_duplicate")
VTCP_DROP_REASON(BACKLOG,		"drop_backlog")
/* A connection past max_conns or max_conns_per_netns: no answer. */
VTCP_DROP_REASON(CONN_LIMIT,		"drop_conn_limit")
/* Receive queues past their budget: payload trimmed, header acted on. */
VTCP_DROP_REASON(RCV_BUDGET,		"drop_rcv_budget")
VTCP_DROP_REASON(PKT_QUEUE_FULL,	"drop_pkt_queue_full")
VTCP_DROP_REASON(PKT_GSO,		"drop_pkt_gso")
VTCP_DROP_REASON(PKT_CHECKSUM,		"drop_pkt_checksum")
/* A SYN at a deferred listener whose SYN queue is full (no cookies). */
VTCP_DROP_REASON(DEFER_OVERFLOW,	"drop_defer_overflow")
/* For a request the helper has not answered: a resent SYN joins it. */
VTCP_DROP_REASON(DEFER_PENDING,		"drop_defer_pending")

#endif /* VTCP_DROP_REASON */

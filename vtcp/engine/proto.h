/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP's constants, named once for every layer of vtcp: the wire format,
 * the protocol's timers and limits, and the values vtcp chose where an RFC
 * leaves the choice. The engine cannot include <net/tcp.h> (it brings in
 * sockets and devices), and the datapath and the API use the same names so
 * that a flag or a bound reads the same wherever it is tested.
 */
#ifndef _VTCP_PROTO_H
#define _VTCP_PROTO_H

#include <linux/time64.h>

/* The flags byte of the TCP header (RFC 9293 3.1, RFC 3168 6.1). */
#define VTCP_TH_FIN		0x01
#define VTCP_TH_SYN		0x02
#define VTCP_TH_RST		0x04
#define VTCP_TH_PSH		0x08
#define VTCP_TH_ACK		0x10
#define VTCP_TH_URG		0x20
#define VTCP_TH_ECE		0x40
#define VTCP_TH_CWR		0x80

/* Option kinds and lengths (RFC 9293 3.2, RFC 7323, RFC 2018). */
#define VTCP_OPTKIND_EOL	0
#define VTCP_OPTKIND_NOP	1
#define VTCP_OPTKIND_MSS	2
#define VTCP_OPTKIND_WSCALE	3
#define VTCP_OPTKIND_SACK_OK	4
#define VTCP_OPTKIND_SACK	5
#define VTCP_OPTKIND_TS		8
#define VTCP_OPTLEN_MSS		4
#define VTCP_OPTLEN_WSCALE	3
#define VTCP_OPTLEN_SACK_OK	2
#define VTCP_OPTLEN_SACK_BASE	2
#define VTCP_OPTLEN_SACK_BLOCK	8
#define VTCP_OPTLEN_TS		10
/* What options take with the NOPs that align them to 32 bits. */
#define VTCP_OPTLEN_TS_ALIGNED		12
#define VTCP_OPTLEN_SACK_BASE_ALIGNED	4

/* ECN codepoints of the IP header's TOS/traffic class (RFC 3168 5). */
#define VTCP_ECN_NOT_ECT	0
#define VTCP_ECN_ECT_1		1
#define VTCP_ECN_ECT_0		2
#define VTCP_ECN_CE		3
#define VTCP_ECN_MASK		3

/* Segment sizes (RFC 9293 3.7.1 MUST-15, RFC 8200 5). */
#define VTCP_MSS_DEFAULT	536	/* IPv4, when the peer sent none */
#define VTCP_MSS_DEFAULT_V6	1220	/* IPv6, likewise */
#define VTCP_MSS_MIN		64	/* the least vtcp sends, whatever */
#define VTCP_MSS_CLAMP_MIN	88	/* VTCP_OPT_MAXSEG's bounds, Linux's */
#define VTCP_MSS_CLAMP_MAX	65495	/* 65535 less IPv4 and TCP headers */

/* Headers without options: IPv4's (RFC 791 3.1), TCP's (RFC 9293 3.1). */
#define VTCP_IPV4_HLEN		20
#define VTCP_TCP_HLEN		20

/* The largest unscaled window, and the largest IPv4 packet. */
#define VTCP_MAX_WINDOW		65535U
#define VTCP_IP_MAX_LEN		65535U

/* TTL and hop limit of what vtcp sends. */
#define VTCP_IP_TTL		64

/* Option space and what fits in it (RFC 9293 3.1, RFC 7323 2.3, RFC 2018 3). */
#define VTCP_MAX_OPTION_SPACE	40	/* a data offset of 15 words */
#define VTCP_MAX_WSCALE		14
#define VTCP_MAX_SACK_BLOCKS	4

/* The initial window (RFC 6928): min(10 MSS, max(2 MSS, 14600 bytes)). */
#define VTCP_IW_SEGS		10U
#define VTCP_IW_BYTES		14600U

/* The retransmission timeout (RFC 6298). */
#define VTCP_RTO_INIT_US	1000000U	/* 2.1 */
#define VTCP_RTO_MIN_US		200000U		/* as Linux; 2.4 says 1 s */
#define VTCP_RTO_MAX_US		120000000U	/* 2.5 allows >= 60 s */
#define VTCP_CLOCK_G_US		1000U		/* the clock granularity G */
#define VTCP_RTO_SYN_LOST_US	3000000U	/* 5.7: after a lost SYN */

/* ACKs (RFC 9293 3.8.6.3, RFC 5961 7). */
#define VTCP_DELACK_US		40000U	/* a delayed ACK waits (< 0.5 s) */
#define VTCP_QUICKACKS		16	/* ACKs sent at once after open */
#define VTCP_CHALLENGE_LIMIT	10	/* challenge ACKs per second */

/* Loss detection (RFC 5681 3.2, RFC 8985). */
#define VTCP_DUPTHRESH		3	/* duplicate ACKs that mean a loss */
#define VTCP_MAX_REORDERING	127	/* DupThresh's ceiling, segments */
#define VTCP_WC_DELACK_US	200000U	/* 7.2: WCDelAckT */
#define VTCP_TLP_MIN_US		10000U	/* the least PTO, as Linux */
#define VTCP_REO_PERSIST	16	/* 6.2: recoveries reo_wnd outlives */

/* RFC 7323 5.5: a TS.Recent idle this long is no longer valid. */
#define VTCP_PAWS_IDLE_NS	(24ULL * 24 * 3600 * NSEC_PER_SEC)

/* SYN cookies: the counter's period; a cookie is good for two. */
#define VTCP_COOKIE_PERIOD_NS	(64ULL * NSEC_PER_SEC)

/* Receive-buffer auto-tuning (as Linux's tcp_rcv_space_adjust()). */
#define VTCP_RCVBUF_INIT	(128U << 10)	/* the buffer starts here */
#define VTCP_RCV_SPACE_INIT	10		/* segments per RTT, at first */
#define VTCP_RCV_RTT_MAX_MS	60000U		/* a larger echo is stale */

#endif /* _VTCP_PROTO_H */

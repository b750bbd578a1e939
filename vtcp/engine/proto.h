/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP's wire constants, named once for every layer of vtcp: the engine
 * cannot include <net/tcp.h> (it brings in sockets and devices), and the
 * datapath and the API use the same names so that a flag or a bound reads
 * the same wherever it is tested.
 */
#ifndef _VTCP_PROTO_H
#define _VTCP_PROTO_H

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
#define VTCP_MSS_MIN		64	/* the least vtcp sends, whatever asked */
#define VTCP_MSS_CLAMP_MIN	88	/* VTCP_OPT_MAXSEG's bounds, as Linux's */
#define VTCP_MSS_CLAMP_MAX	65495	/* 65535 less the IPv4 and TCP headers */

/* The largest unscaled window, and the largest IPv4 packet. */
#define VTCP_MAX_WINDOW		65535U
#define VTCP_IP_MAX_LEN		65535U

/* TTL and hop limit of what vtcp sends. */
#define VTCP_IP_TTL		64

#endif /* _VTCP_PROTO_H */

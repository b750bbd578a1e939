/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a packet was discarded. Every drop is counted per device under one of
 * these names (ethtool -S), so that every discarded packet is explained.
 */
#ifndef _VTCP_DROP_H
#define _VTCP_DROP_H

#define VTCP_DROP_REASONS(X)						\
	X(NOT_IP,		"drop_not_ip")				\
	X(NOT_TCP,		"drop_not_tcp")				\
	X(TRUNCATED,		"drop_truncated")			\
	X(BAD_IP_HEADER,	"drop_bad_ip_header")			\
	X(BAD_IP_LENGTH,	"drop_bad_ip_length")			\
	X(FRAGMENT,		"drop_fragment")			\
	X(BAD_ADDRESS,		"drop_bad_address")			\
	X(BAD_TCP_HEADER,	"drop_bad_tcp_header")			\
	X(BAD_CHECKSUM,		"drop_bad_checksum")			\
	X(BAD_OPTIONS,		"drop_bad_options")			\
	X(BAD_FLAGS,		"drop_bad_flags")			\
	X(NO_SOCKET,		"drop_no_socket")			\
	X(LISTEN_OVERFLOW,	"drop_listen_overflow")			\
	X(BAD_COOKIE,		"drop_bad_cookie")			\
	X(MEMORY,		"drop_memory")				\
	X(PAWS,			"drop_paws")				\
	X(OUT_OF_WINDOW,	"drop_out_of_window")			\
	X(BAD_ACK,		"drop_bad_ack")				\
	X(RST_CHALLENGED,	"drop_rst_challenged")			\
	X(SYN_CHALLENGED,	"drop_syn_challenged")			\
	X(OOO_LIMIT,		"drop_ooo_limit")			\
	X(STATE,		"drop_state")				\
	X(DUPLICATE,		"drop_duplicate")			\
	X(BACKLOG,		"drop_backlog")

enum vtcp_drop_reason {
	VTCP_DROP_NONE = 0,
#define VTCP_DROP_ENUM(name, str) VTCP_DROP_##name,
	VTCP_DROP_REASONS(VTCP_DROP_ENUM)
#undef VTCP_DROP_ENUM
	VTCP_DROP_MAX
};

#endif /* _VTCP_DROP_H */

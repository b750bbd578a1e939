/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_TUPLE_H
#define _VTCP_TUPLE_H

#include <linux/in6.h>
#include <linux/types.h>

union vtcp_addr {
	__be32 ip;
	struct in6_addr ip6;
};

/*
 * A connection's addresses, from vtcp's side: "local" is vtcp's end (the
 * destination of what the host sends), "remote" the host's. Hashed and
 * compared as bytes: every byte is set, padding included.
 */
struct vtcp_tuple {
	union vtcp_addr local;
	union vtcp_addr remote;
	__be16 lport;
	__be16 rport;
	u8 family;		/* AF_INET or AF_INET6 */
	u8 pad[3];
};

#endif /* _VTCP_TUPLE_H */

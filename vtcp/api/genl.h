/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_GENL_H
#define _VTCP_GENL_H

#include <linux/types.h>
#include <net/genetlink.h>

#include "tuple.h"

struct vtcp_info;

int vtcp_genl_init(void);
void vtcp_genl_uninit(void);

/* What the family's files share: genl.c, genl_conn.c, genl_dump.c. */

/* One end of a filter: the parts given must match. */
struct vtcp_genl_ep {
	u8 family;		/* 0: any */
	bool has_addr;
	__be16 port;		/* 0: any */
	union vtcp_addr addr;
};

struct vtcp_genl_filter {
	u32 ifindex;		/* 0: every device */
	u32 state_mask;		/* 0: every state */
	bool has_local, has_remote;
	struct vtcp_genl_ep local, remote;
};

/* What of struct vtcp_info an object has. */
enum vtcp_genl_kind {
	VTCP_GENL_CONN,
	VTCP_GENL_LISTENER,
	VTCP_GENL_TW,
};

int vtcp_genl_may(struct sk_buff *skb, struct net *net,
		  struct netlink_ext_ack *extack);
struct net_device *vtcp_genl_next_dev(struct net *net, u32 ifindex, u32 only);
int vtcp_genl_parse_filter(struct nlattr **attrs, struct vtcp_genl_filter *f,
			   struct netlink_ext_ack *extack);
bool vtcp_genl_ep_match(const struct vtcp_genl_ep *ep, u8 family,
			const union vtcp_addr *addr, __be16 port);
bool vtcp_genl_tuple_match(const struct vtcp_genl_filter *f,
			   const struct vtcp_tuple *t);
int vtcp_genl_put_info(struct sk_buff *skb, const struct vtcp_info *i,
		       enum vtcp_genl_kind kind);

static inline bool
vtcp_genl_state_match(const struct vtcp_genl_filter *f, u8 state)
{
	return !f->state_mask || (f->state_mask & BIT(state));
}

#endif /* _VTCP_GENL_H */

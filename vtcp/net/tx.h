/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_TX_H
#define _VTCP_TX_H

#include "engine/tcb.h"
#include "tuple.h"

struct net_device;
struct sk_buff;
struct vtcp_device;

int vtcp_tx_xmit(struct vtcp_tcb *tcb, const struct vtcp_out *out)
	__must_hold(&tcb->lock);
void vtcp_tx_reply(struct vtcp_device *vd, const struct vtcp_tuple *tuple,
		   const struct vtcp_out *out);
int vtcp_tx_inject(struct vtcp_device *vd, struct sk_buff *skb);
void vtcp_tx_icmp(struct vtcp_device *vd, const struct vtcp_tuple *tuple,
		  u8 type, u8 code, const void *quote, unsigned int qlen);
u16 vtcp_tx_mss(const struct net_device *dev, u8 family);
u16 vtcp_tx_gso_max(u8 family);

#endif /* _VTCP_TX_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RX_H
#define _VTCP_RX_H

struct sk_buff;
struct vtcp_device;

void vtcp_rx(struct vtcp_device *vd, struct sk_buff *skb);

#endif /* _VTCP_RX_H */

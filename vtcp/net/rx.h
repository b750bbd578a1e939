/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RX_H
#define _VTCP_RX_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct vtcp_device;

/* Per CPU and device: what the host sent, waiting for the NAPI poll. */
struct vtcp_rx_cpu {
	struct napi_struct napi;
	struct sk_buff_head queue;
};

int vtcp_rx_init(struct vtcp_device *vd);
void vtcp_rx_uninit(struct vtcp_device *vd);
void vtcp_rx_open(struct vtcp_device *vd);
void vtcp_rx_stop(struct vtcp_device *vd);
void vtcp_rx_enqueue(struct vtcp_device *vd, struct sk_buff *skb);

#endif /* _VTCP_RX_H */

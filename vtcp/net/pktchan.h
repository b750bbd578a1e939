/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_PKTCHAN_H
#define _VTCP_PKTCHAN_H

#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/wait.h>

struct vtcp_device;

/*
 * A device's packet channel: what the host routes into the device that
 * vtcp does not take waits here for its reader, whole and finished; what
 * the reader writes is injected as received on the device.
 *
 * queue.lock protects vd and dead and the queue; poll() and the waits
 * read dead without it (READ_ONCE). The device's pktchan pointer is no
 * reference: the handle owns the channel, the receive path reaches it
 * under RCU only, and device teardown takes a reference while it works.
 */
struct vtcp_pktchan {
	struct sk_buff_head queue;
	struct vtcp_device *vd;		/* NULL once unlinked */
	netdevice_tracker dev_tracker;
	u32 queue_max;
	bool dead;			/* no more packets either way */
	wait_queue_head_t wq;		/* read() and poll() waiters */
	wait_queue_head_t __rcu *hwq;	/* the handle's, until it closes */
	refcount_t refs;
	struct rcu_head rcu;
};

struct vtcp_pktchan *vtcp_pktchan_create(struct vtcp_device *vd,
					 u32 queue_max);
void vtcp_pktchan_close(struct vtcp_pktchan *chan);
bool vtcp_pktchan_rx(struct vtcp_device *vd, struct sk_buff *skb);
struct sk_buff *vtcp_pktchan_dequeue(struct vtcp_pktchan *chan);
void vtcp_pktchan_consumed(struct vtcp_pktchan *chan, struct sk_buff *skb);
void vtcp_pktchan_requeue(struct vtcp_pktchan *chan, struct sk_buff *skb);
int vtcp_pktchan_refuse(struct vtcp_pktchan *chan);
int vtcp_pktchan_inject(struct vtcp_pktchan *chan, struct sk_buff *skb);
void vtcp_pktchan_uninit(struct vtcp_device *vd);

#endif /* _VTCP_PKTCHAN_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The packet channel: the rest of what the host routes into a device, for
 * a reader to handle as tun's would (UDP, ICMP, DNS in a vtcpnet), and
 * what that reader answers, injected as received.
 *
 * The receive path hands over what vtcp does not take (rx.c) and the
 * reader sees it as it would be on a wire: GSO trains are segmented and
 * CHECKSUM_PARTIAL sums completed here, in the receive softirq, before
 * the packet counts against the bounded queue. What does not fit is
 * dropped and counted; with no channel bound, nothing changes (rx.c
 * counts drop_not_tcp as before).
 *
 * A written packet is checked whole (pktcheck.c) before anything of it
 * reaches the host, and then goes the way vtcp's own segments go
 * (tx.c).
 */

#define VTCP_COMPAT_GSO		/* skb_gso_segment() */

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/poll.h>

#include "compat.h"
#include "net/device.h"
#include "net/discard.h"
#include "net/pktchan.h"
#include "net/pktcheck.h"
#include "net/tx.h"

struct vtcp_pktchan *vtcp_pktchan_create(struct vtcp_device *vd,
					 u32 queue_max)
{
	struct vtcp_pktchan *chan;
	int ret = 0;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL_ACCOUNT);
	if (!chan)
		return ERR_PTR(-ENOMEM);
	skb_queue_head_init(&chan->queue);
	chan->queue_max = queue_max;
	init_waitqueue_head(&chan->wq);
	refcount_set(&chan->refs, 1);

	/* vd->dead is set under vd->lock before vtcp_pktchan_uninit() runs. */
	spin_lock_bh(&vd->lock);
	if (vd->dead) {
		ret = -ENODEV;
		goto unlock;
	}
	if (rcu_access_pointer(vd->pktchan)) {
		ret = -EBUSY;
		goto unlock;
	}
	chan->vd = vd;
	netdev_hold(vd->dev, &chan->dev_tracker, GFP_ATOMIC);
	rcu_assign_pointer(vd->pktchan, chan);
unlock:
	spin_unlock_bh(&vd->lock);
	if (ret) {
		kfree(chan);
		return ERR_PTR(ret);
	}
	return chan;
}

static void vtcp_pktchan_put(struct vtcp_pktchan *chan)
{
	if (refcount_dec_and_test(&chan->refs))
		kfree_rcu(chan, rcu);
}

/* Off the device, which is released; the first caller does it. */
static void vtcp_pktchan_unlink(struct vtcp_pktchan *chan)
{
	struct vtcp_device *vd;

	spin_lock_bh(&chan->queue.lock);
	vd = chan->vd;
	chan->vd = NULL;
	spin_unlock_bh(&chan->queue.lock);
	if (!vd)
		return;
	spin_lock_bh(&vd->lock);
	RCU_INIT_POINTER(vd->pktchan, NULL);
	spin_unlock_bh(&vd->lock);
	netdev_put(vd->dev, &chan->dev_tracker);
}

/*
 * Readers and pollers of the channel, and of the handle it belongs to: an
 * epoll set up before the bind waits on the handle's queue (handle.h).
 */
static void vtcp_pktchan_wake(struct vtcp_pktchan *chan, __poll_t mask)
{
	wait_queue_head_t *hwq;

	wake_up_interruptible_poll(&chan->wq, mask);
	rcu_read_lock();
	hwq = rcu_dereference(chan->hwq);
	if (hwq)
		wake_up_interruptible_poll(hwq, mask);
	rcu_read_unlock();
}

/* Nothing more comes or goes: waiting packets are freed, waiters woken. */
static void vtcp_pktchan_stop(struct vtcp_pktchan *chan)
{
	struct sk_buff_head gone;

	__skb_queue_head_init(&gone);
	spin_lock_bh(&chan->queue.lock);
	WRITE_ONCE(chan->dead, true);
	skb_queue_splice_init(&chan->queue, &gone);
	spin_unlock_bh(&chan->queue.lock);
	__skb_queue_purge(&gone);
	vtcp_pktchan_wake(chan, EPOLLIN | EPOLLERR | EPOLLHUP);
}

/* The handle closes: the caller's reference goes with it. */
void vtcp_pktchan_close(struct vtcp_pktchan *chan)
{
	vtcp_pktchan_unlink(chan);
	vtcp_pktchan_stop(chan);
	vtcp_pktchan_put(chan);
}

/* The device goes away: its channel stops; the handle keeps it, dead. */
void vtcp_pktchan_uninit(struct vtcp_device *vd)
{
	struct vtcp_pktchan *chan;

	spin_lock_bh(&vd->lock);
	chan = rcu_dereference_protected(vd->pktchan,
					 lockdep_is_held(&vd->lock));
	if (chan)
		refcount_inc(&chan->refs);
	spin_unlock_bh(&vd->lock);
	if (!chan)
		return;
	vtcp_pktchan_unlink(chan);
	vtcp_pktchan_stop(chan);
	vtcp_pktchan_put(chan);
}

/* One finished packet onto the queue, or dropped and counted. */
static void vtcp_pktchan_queue(struct vtcp_pktchan *chan,
			       struct vtcp_device *vd, struct sk_buff *skb)
{
	enum vtcp_drop_reason drop = VTCP_DROP_NONE;

	/* The host left the sum to the device: finish it, as a NIC would. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		vtcp_discard(vd, skb, VTCP_DROP_PKT_CHECKSUM, NULL);
		return;
	}
	spin_lock(&chan->queue.lock);
	if (chan->dead)
		drop = VTCP_DROP_NOT_TCP;	/* as with no channel at all */
	else if (skb_queue_len(&chan->queue) >= chan->queue_max)
		drop = VTCP_DROP_PKT_QUEUE_FULL;
	else
		__skb_queue_tail(&chan->queue, skb);
	spin_unlock(&chan->queue.lock);
	if (drop) {
		vtcp_discard(vd, skb, drop, NULL);
		return;
	}
	vtcp_pktchan_wake(chan, EPOLLIN | EPOLLRDNORM);
}

/*
 * A packet vtcp does not take, from the receive path: true if the device
 * has a channel, which then owns @skb (queued, or dropped and counted).
 */
bool vtcp_pktchan_rx(struct vtcp_device *vd, struct sk_buff *skb)
{
	struct vtcp_pktchan *chan;
	struct sk_buff *segs, *next;

	rcu_read_lock();
	chan = rcu_dereference(vd->pktchan);
	if (!chan) {
		rcu_read_unlock();
		return false;
	}
	if (!skb_is_gso(skb)) {
		vtcp_pktchan_queue(chan, vd, skb);
		goto unlock;
	}
	/* No offload at all: every segment gets its full checksum. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		vtcp_discard(vd, skb, VTCP_DROP_PKT_GSO, NULL);
		goto unlock;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		vtcp_pktchan_queue(chan, vd, skb);
	}
unlock:
	rcu_read_unlock();
	return true;
}

/* The next packet for the reader, or NULL. */
struct sk_buff *vtcp_pktchan_dequeue(struct vtcp_pktchan *chan)
{
	return skb_dequeue(&chan->queue);
}

/* The reader has a packet: counted while the device is still there. */
void vtcp_pktchan_consumed(struct vtcp_pktchan *chan, struct sk_buff *skb)
{
	spin_lock_bh(&chan->queue.lock);
	if (chan->vd)
		vtcp_dev_count(chan->vd, VTCP_CNT_PKT_READ);
	spin_unlock_bh(&chan->queue.lock);
	consume_skb(skb);
}

/* A packet the reader could not take goes back first in line. */
void vtcp_pktchan_requeue(struct vtcp_pktchan *chan, struct sk_buff *skb)
{
	spin_lock_bh(&chan->queue.lock);
	if (chan->dead) {
		spin_unlock_bh(&chan->queue.lock);
		kfree_skb(skb);
		return;
	}
	__skb_queue_head(&chan->queue, skb);
	spin_unlock_bh(&chan->queue.lock);
}

/* A write that cannot be a packet: counted as malformed ones are. */
int vtcp_pktchan_refuse(struct vtcp_pktchan *chan)
{
	spin_lock_bh(&chan->queue.lock);
	if (chan->vd)
		vtcp_dev_count(chan->vd, VTCP_CNT_PKT_MALFORMED);
	spin_unlock_bh(&chan->queue.lock);
	return -EINVAL;
}

/*
 * Inject the reader's packet, at skb->data, as received on the device:
 * -EINVAL (counted) if it is not one whole, valid packet, -ENODEV once the
 * device is gone, else what the transmit path says. Consumes @skb.
 */
int vtcp_pktchan_inject(struct vtcp_pktchan *chan, struct sk_buff *skb)
{
	struct vtcp_device *vd;
	int ret;

	spin_lock_bh(&chan->queue.lock);
	vd = chan->vd;
	if (vd)
		dev_hold(vd->dev);
	spin_unlock_bh(&chan->queue.lock);
	if (!vd) {
		kfree_skb(skb);
		return -ENODEV;
	}
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	ret = vtcp_pktcheck(skb);
	/* The counters are per CPU; netif_rx() runs the softirq after. */
	local_bh_disable();
	if (ret) {
		vtcp_dev_count(vd, VTCP_CNT_PKT_MALFORMED);
		kfree_skb(skb);
		goto put_dev;
	}
	skb->protocol = (skb->data[0] >> 4) == 4 ? htons(ETH_P_IP) :
						   htons(ETH_P_IPV6);
	/* Checked as the host checks, which checks again: nothing trusted. */
	skb->ip_summed = CHECKSUM_NONE;
	skb->dev = vd->dev;
	skb->pkt_type = PACKET_HOST;
	ret = vtcp_tx_inject(vd, skb);
	if (!ret)
		vtcp_dev_count(vd, VTCP_CNT_PKT_WRITTEN);
put_dev:
	local_bh_enable();
	dev_put(vd->dev);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A packet channel handle's file side: one whole packet per read() and per
 * write() (readv/writev gather one packet too), poll() and O_NONBLOCK.
 *
 * A read whose buffer is too short for the next packet gets -EMSGSIZE and
 * leaves the packet first in line, as does one that faults: nothing is
 * lost to a reader's mistake, nothing is ever truncated.
 */

#include <linux/sched/signal.h>
#include <linux/skbuff.h>

#include "api/packet.h"
#include "net/pktchan.h"
#include "net/pktcheck.h"

static bool vtcp_packet_read_waits(struct vtcp_pktchan *chan)
{
	return skb_queue_empty_lockless(&chan->queue) &&
	       !READ_ONCE(chan->dead);
}

ssize_t vtcp_packet_read(struct vtcp_pktchan *chan, struct iov_iter *to,
			 bool nonblock)
{
	struct sk_buff *skb;
	ssize_t len;

	while (!(skb = vtcp_pktchan_dequeue(chan))) {
		if (READ_ONCE(chan->dead))
			return -ENODEV;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(chan->wq,
					     !vtcp_packet_read_waits(chan)))
			return -ERESTARTSYS;
	}
	len = skb->len;
	if (iov_iter_count(to) < len) {
		vtcp_pktchan_requeue(chan, skb);
		return -EMSGSIZE;
	}
	if (skb_copy_datagram_iter(skb, 0, to, len)) {
		vtcp_pktchan_requeue(chan, skb);
		return -EFAULT;
	}
	vtcp_pktchan_consumed(chan, skb);
	return len;
}

/* Never blocks: a packet is checked and injected, or refused, at once. */
ssize_t vtcp_packet_write(struct vtcp_pktchan *chan, struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	struct sk_buff *skb;
	int ret;

	if (READ_ONCE(chan->dead))
		return -ENODEV;
	/* Too long to be one packet: refused before anything is allocated. */
	if (!len || len > VTCP_PKTCHECK_MAX_LEN)
		return vtcp_pktchan_refuse(chan);
	skb = alloc_skb(NET_SKB_PAD + len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, NET_SKB_PAD);
	if (!copy_from_iter_full(skb_put(skb, len), len, from)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	ret = vtcp_pktchan_inject(chan, skb);
	return ret ?: len;
}

__poll_t vtcp_packet_poll(struct vtcp_pktchan *chan, struct file *file,
			  poll_table *wait)
{
	__poll_t mask;

	poll_wait(file, &chan->wq, wait);
	if (READ_ONCE(chan->dead))
		return EPOLLERR | EPOLLHUP;
	mask = EPOLLOUT | EPOLLWRNORM;
	if (!skb_queue_empty_lockless(&chan->queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

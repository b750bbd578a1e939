// SPDX-License-Identifier: GPL-2.0
/*
 * What the host sends into a vtcp device: queue, parse, demux, engine.
 *
 * ndo_start_xmit only queues the skb on this CPU's queue and schedules the
 * device's NAPI instance for this CPU; the poll then runs each segment
 * through vtcp, in the receive softirq, as loopback and veth hand their
 * packets to the receiving side. Processing in ndo_start_xmit itself would
 * nest vtcp, the host's receive of vtcp's answer and the host's next
 * transmission on the sender's stack (which overflowed under UML).
 *
 * A segment goes to its connection; else to its TIME-WAIT entry (tw.c);
 * else to the most specific listener; else it is answered with a RST
 * (RFC 9293 3.10.7.1). What is not TCP for vtcp (other protocols, IPv4
 * fragments) goes to the device's packet channel if one is bound
 * (pktchan.c). Whatever is discarded on the way is counted under its
 * reason.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dst.h>

#include "net/conn.h"
#include "compat.h"
#include "net/device.h"
#include "net/discard.h"
#include "engine/input.h"
#include "net/limits.h"
#include "net/listen.h"
#include "net/parse.h"
#include "net/pktchan.h"
#include "net/request.h"
#include "engine/proto.h"
#include "net/rx.h"
#include "net/tw.h"
#include "net/tx.h"

/* The engine's input for a connection, behind the datapath's gates. */
static enum vtcp_drop_reason vtcp_rx_conn(struct vtcp_conn *conn,
					  struct vtcp_pkt *pkt, u64 now)
{
	struct vtcp_listener *lsn = conn->listener;
	enum vtcp_drop_reason drop;
	bool trimmed = false;

	/* A request of a deferred listener, not answered yet. */
	if (conn->req)
		return vtcp_request_rx(conn, pkt);
	/* No room to accept it: the peer retries the handshake's ACK. */
	if (lsn && !conn->deferred && conn->tcb.state == VTCP_SYN_RECEIVED &&
	    (pkt->seg.flags & VTCP_TH_ACK) &&
	    READ_ONCE(lsn->acceptq_len) >= lsn->backlog)
		return VTCP_DROP_LISTEN_OVERFLOW;
	/*
	 * Receive queues at their budget: the payload goes, and a FIN after
	 * it (out of sequence without it), but the ACK, RST and window act,
	 * since they are what frees memory. The peer resends the data.
	 */
	if (pkt->seg.len && vtcp_budget_rcv_over(conn->budget)) {
		pkt->seg.len = 0;
		pkt->seg.flags &= ~VTCP_TH_FIN;
		trimmed = true;
	}
	drop = vtcp_input(&conn->tcb, &pkt->seg, now);
	return drop ?: trimmed ? VTCP_DROP_RCV_BUDGET : VTCP_DROP_NONE;
}

static enum vtcp_drop_reason vtcp_rx_segment(struct vtcp_device *vd,
					     struct vtcp_pkt *pkt, u64 now)
{
	enum vtcp_drop_reason drop = VTCP_DROP_NO_SOCKET;
	bool handled, reopen = false;
	struct vtcp_listener *lsn;
	struct vtcp_conn *conn;
	struct vtcp_out out;

	conn = vtcp_conn_lookup(vd, &pkt->tuple);
	if (conn) {
		vtcp_conn_lock(conn);
		if (!conn->dead) {
			drop = vtcp_rx_conn(conn, pkt, now);
			/* A SYN ends TIME-WAIT: it goes to the listener. */
			reopen = conn->tcb.events & VTCP_EV_REOPEN;
		}
		vtcp_conn_unlock(conn);
		if (!reopen && drop != VTCP_DROP_NO_SOCKET)
			return drop;
	}
	if (!reopen) {
		drop = vtcp_tw_rx(vd, pkt, now, &handled, &reopen);
		if (handled)
			return drop;
		drop = VTCP_DROP_NO_SOCKET;
	}

	lsn = vtcp_listener_lookup(vd, &pkt->tuple);
	if (lsn) {
		drop = vtcp_listen_input(lsn, vd, pkt, now);
		if (drop != VTCP_DROP_NO_SOCKET && drop != VTCP_DROP_BAD_COOKIE)
			return drop;
	}
	if (vtcp_reply_rst(&pkt->seg, &out))
		vtcp_tx_reply(vd, &pkt->tuple, &out);
	return drop;
}

static void vtcp_rx(struct vtcp_device *vd, struct sk_buff *skb)
{
	enum vtcp_drop_reason drop;
	struct vtcp_pkt pkt;

	/*
	 * The skb may wait in a receive queue for as long as the reader
	 * likes: release what ties it to the host, as tun does.
	 */
	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC))) {
		vtcp_discard(vd, skb, VTCP_DROP_MEMORY, NULL);
		return;
	}
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);

	drop = vtcp_parse(skb, &pkt);
	/* Not for vtcp's TCP: for the device's packet channel, if bound. */
	if ((drop == VTCP_DROP_NOT_TCP || drop == VTCP_DROP_FRAGMENT) &&
	    vtcp_pktchan_rx(vd, skb))
		return;
	if (drop) {
		vtcp_discard(vd, skb, drop, &pkt.tuple);
		return;
	}
	if (pkt.seg.opt.present & VTCP_TCPOPT_WSCALE_CLAMPED)
		vtcp_dev_count(vd, VTCP_CNT_WSCALE_CLAMPED);

	rcu_read_lock();
	drop = vtcp_rx_segment(vd, &pkt, vtcp_now());
	rcu_read_unlock();
	/* The engine took the skb if it kept the payload by reference. */
	if (!pkt.seg.skb) {
		if (drop)
			vtcp_dev_drop(vd, drop);
	} else if (drop) {
		vtcp_discard(vd, skb, drop, &pkt.tuple);
	} else {
		consume_skb(skb);
	}
}

/* More than this waiting on one CPU: the poll cannot keep up; drop. */
#define VTCP_RX_QUEUE_MAX	4096

void vtcp_rx_enqueue(struct vtcp_device *vd, struct sk_buff *skb)
{
	struct vtcp_rx_cpu *rx = this_cpu_ptr(vd->rx);

	spin_lock(&rx->queue.lock);
	if (unlikely(skb_queue_len(&rx->queue) >= VTCP_RX_QUEUE_MAX)) {
		spin_unlock(&rx->queue.lock);
		vtcp_discard(vd, skb, VTCP_DROP_BACKLOG, NULL);
		return;
	}
	__skb_queue_tail(&rx->queue, skb);
	spin_unlock(&rx->queue.lock);
	napi_schedule(&rx->napi);
}

static int vtcp_rx_poll(struct napi_struct *napi, int budget)
{
	struct vtcp_rx_cpu *rx = container_of(napi, struct vtcp_rx_cpu, napi);
	struct vtcp_device *vd = netdev_priv(napi->dev);
	struct sk_buff_head batch;
	struct sk_buff *skb;
	int done = 0;

	__skb_queue_head_init(&batch);
	spin_lock(&rx->queue.lock);
	while (done < budget && (skb = __skb_dequeue(&rx->queue))) {
		__skb_queue_tail(&batch, skb);
		done++;
	}
	spin_unlock(&rx->queue.lock);

	while ((skb = __skb_dequeue(&batch)))
		vtcp_rx(vd, skb);

	if (done < budget && napi_complete_done(napi, done)) {
		/* Queued by another CPU's poll thread meanwhile: go again. */
		if (!skb_queue_empty_lockless(&rx->queue))
			napi_schedule(napi);
	}
	return done;
}

int vtcp_rx_init(struct vtcp_device *vd)
{
	int cpu;

	vd->rx = alloc_percpu(struct vtcp_rx_cpu);
	if (!vd->rx)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct vtcp_rx_cpu *rx = per_cpu_ptr(vd->rx, cpu);

		skb_queue_head_init(&rx->queue);
		netif_napi_add(vd->dev, &rx->napi, vtcp_rx_poll);
	}
	return 0;
}

void vtcp_rx_uninit(struct vtcp_device *vd)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vtcp_rx_cpu *rx = per_cpu_ptr(vd->rx, cpu);

		netif_napi_del(&rx->napi);
		skb_queue_purge_reason(&rx->queue, SKB_DROP_REASON_DEV_READY);
	}
	free_percpu(vd->rx);
}

void vtcp_rx_open(struct vtcp_device *vd)
{
	int cpu;

	for_each_possible_cpu(cpu)
		napi_enable(&per_cpu_ptr(vd->rx, cpu)->napi);
}

/* The device goes down: nothing polls any more, nothing stays queued. */
void vtcp_rx_stop(struct vtcp_device *vd)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vtcp_rx_cpu *rx = per_cpu_ptr(vd->rx, cpu);

		napi_disable(&rx->napi);
		skb_queue_purge_reason(&rx->queue, SKB_DROP_REASON_DEV_READY);
	}
}

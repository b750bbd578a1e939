// SPDX-License-Identifier: GPL-2.0
/*
 * What the host sends into a vtcp device: parse, demux, engine.
 *
 * A segment goes to its connection; else to the most specific listener;
 * else it is answered with a RST (RFC 9293 3.10.7.1). Whatever is
 * discarded on the way is counted under its reason.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/tcp.h>

#include "conn.h"
#include "device.h"
#include "listen.h"
#include "parse.h"
#include "rx.h"
#include "tx.h"

/* The engine's input for an existing connection, behind the datapath's gates. */
static enum vtcp_drop_reason vtcp_rx_conn(struct vtcp_conn *conn,
					  struct vtcp_pkt *pkt, u64 now)
{
	struct vtcp_listener *lsn = conn->listener;

	/* No room to accept it: the peer retries the handshake's ACK. */
	if (lsn && conn->tcb.state == VTCP_SYN_RECEIVED &&
	    (pkt->seg.flags & TCPHDR_ACK) &&
	    READ_ONCE(lsn->acceptq_len) >= lsn->backlog)
		return VTCP_DROP_LISTEN_OVERFLOW;
	if (pkt->seg.len && vtcp_over_limits())
		return VTCP_DROP_MEMORY;
	return vtcp_input(&conn->tcb, &pkt->seg, now);
}

static enum vtcp_drop_reason vtcp_rx_segment(struct vtcp_device *vd,
					     struct vtcp_pkt *pkt, u64 now)
{
	enum vtcp_drop_reason drop = VTCP_DROP_NO_SOCKET;
	struct vtcp_listener *lsn;
	struct vtcp_conn *conn;
	struct vtcp_out out;

	conn = vtcp_conn_lookup(vd, &pkt->tuple);
	if (conn) {
		bool reopen = false;

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

void vtcp_rx(struct vtcp_device *vd, struct sk_buff *skb)
{
	enum vtcp_drop_reason drop;
	struct vtcp_pkt pkt;

	/*
	 * The skb may wait in a receive queue for as long as the reader
	 * likes: release what ties it to the host, as tun does.
	 */
	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC))) {
		vtcp_dev_drop(vd, VTCP_DROP_MEMORY);
		kfree_skb(skb);
		return;
	}
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);

	drop = vtcp_parse(skb, &pkt);
	if (drop) {
		vtcp_dev_drop(vd, drop);
		kfree_skb(skb);
		return;
	}
	if (pkt.seg.opt.present & VTCP_TCPOPT_WSCALE_CLAMPED)
		vtcp_dev_count(vd, VTCP_CNT_WSCALE_CLAMPED);

	rcu_read_lock();
	drop = vtcp_rx_segment(vd, &pkt, vtcp_now());
	rcu_read_unlock();
	if (drop)
		vtcp_dev_drop(vd, drop);
	/* The engine took the skb if it kept the payload by reference. */
	if (pkt.seg.skb) {
		if (drop)
			kfree_skb(skb);
		else
			consume_skb(skb);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Requests of a deferred listener (VTCP_LISTEN_DEFER): a SYN vtcp does not
 * answer until its user says how.
 *
 * A request is a child like any other, in the device's table from its
 * SYN on, but left in LISTEN holding the SYN (its parsed segment, and the
 * bytes an ICMP error quotes) instead of answering it. The listener queues
 * it until ACCEPT takes it with VTCP_ACCEPT_REQUEST; on its descriptor,
 * COMPLETE hands the SYN to the engine, which answers it as it would have
 * (the SYN-ACK; the handshake ends as any other), and REFUSE answers with a
 * RST or an ICMP destination unreachable instead and ends it. Meanwhile a
 * resent SYN, or anything else but the client's RST, finds it in the table
 * and is dropped as pending; the client's RST ends it (ECONNRESET), and so
 * does the RTO deadline armed for the listener's defer timeout
 * (ETIMEDOUT, deadline.c).
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/slab.h>

#include "net/conn.h"
#include "engine/input.h"
#include "net/limits.h"
#include "net/listen.h"
#include "net/parse.h"
#include "engine/proto.h"
#include "net/request.h"
#include "net/tx.h"

/*
 * What an ICMP error quotes: the SYN's IP header and the start of its TCP
 * header (at least its first 8 bytes, which RFC 792 asks for, up to the
 * whole header for IPv4). An IPv6 SYN with extension headers longer than
 * that has its TCP header cut: the host then finds no socket for it.
 */
#define VTCP_REQUEST_QUOTE_MAX	128

struct vtcp_request {
	struct vtcp_seg syn;	/* no payload, no skb: a SYN's data is resent */
	u8 quote_len;
	u8 quote[VTCP_REQUEST_QUOTE_MAX];
};

/*
 * A deferred listener's child takes its SYN (@pkt) and waits: the caller
 * queues it for ACCEPT. Returns 0, or -ENOMEM and the child is to end.
 */
int vtcp_request_start(struct vtcp_conn *conn, const struct vtcp_pkt *pkt,
		       u64 now)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	struct vtcp_request *req;
	unsigned int qlen;

	lockdep_assert_held(&tcb->lock);
	req = kzalloc(sizeof(*req), GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN);
	if (!req)
		return -ENOMEM;
	req->syn = pkt->seg;
	req->syn.skb = NULL;
	req->syn.len = 0;
	req->syn.data_off = 0;
	qlen = min_t(unsigned int, pkt->seg.data_off, VTCP_REQUEST_QUOTE_MAX);
	if (skb_copy_bits(pkt->seg.skb, 0, req->quote, qlen)) {
		kfree(req);
		return -ENOMEM;
	}
	req->quote_len = qlen;
	conn->req = req;
	vtcp_arm(tcb, VTCP_TIMER_RTO,
		 now + (u64)tcb->cfg.defer_timeout_ms * NSEC_PER_MSEC);
	tcb->last_rcv_ns = now;
	return 0;
}

/* A segment for a request not answered yet. */
enum vtcp_drop_reason vtcp_request_rx(struct vtcp_conn *conn,
				      const struct vtcp_pkt *pkt)
	__must_hold(&conn->tcb.lock)
{
	const struct vtcp_seg *seg = &pkt->seg;

	lockdep_assert_held(&conn->tcb.lock);
	if (!(seg->flags & VTCP_TH_RST))
		return VTCP_DROP_DEFER_PENDING;
	/*
	 * The client gave up. Nothing was sent to it, so only RCV.NXT is
	 * in its window (RFC 9293 3.10.7.4, RFC 5961 3.2): exactly that.
	 */
	if (seg->seq != conn->req->syn.seq + 1)
		return VTCP_DROP_OUT_OF_WINDOW;
	vtcp_tcb_reset(&conn->tcb, -ECONNRESET);
	return VTCP_DROP_NONE;
}

/* The options of a request's SYN, for ACCEPT; zero if it has none. */
void vtcp_request_syn_options(struct vtcp_conn *conn,
			      struct vtcp_syn_options *syn)
{
	const struct vtcp_opts *o;

	memset(syn, 0, sizeof(*syn));
	vtcp_conn_lock(conn);
	if (conn->req) {
		o = &conn->req->syn.opt;
		if (o->present & VTCP_TCPOPT_MSS)
			syn->mss = o->mss;
		if (o->present & VTCP_TCPOPT_WSCALE) {
			syn->wscale = o->wscale;
			syn->flags |= VTCP_SYN_WSCALE;
		}
		if (o->present & VTCP_TCPOPT_SACK_OK)
			syn->flags |= VTCP_SYN_SACK_OK;
		if (o->present & VTCP_TCPOPT_TS) {
			syn->tsval = o->tsval;
			syn->flags |= VTCP_SYN_TS;
		}
		if ((conn->req->syn.flags & (VTCP_TH_ECE | VTCP_TH_CWR)) ==
		    (VTCP_TH_ECE | VTCP_TH_CWR))
			syn->flags |= VTCP_SYN_ECN;
	}
	vtcp_conn_unlock(conn);
}

/*
 * Whether @conn is a request still to be answered; if not, why not:
 * -EINVAL (never one), -EISCONN (completed), the error that ended it
 * (-ETIMEDOUT, -ECONNRESET) or -ENOTCONN (refused, or ended otherwise).
 */
static int vtcp_request_check(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	int err;

	lockdep_assert_held(&tcb->lock);
	if (!conn->deferred)
		return -EINVAL;
	if (!conn->dead && conn->req && tcb->state == VTCP_LISTEN)
		return 0;
	if (!conn->dead && tcb->state != VTCP_CLOSED)
		return -EISCONN;
	err = vtcp_take_error(tcb);
	return err ?: -ENOTCONN;
}

/* The request's answer: the SYN goes to the engine, which sends the SYN-ACK. */
int vtcp_request_complete(struct vtcp_conn *conn)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	struct vtcp_request *req;
	int ret;

	vtcp_conn_lock(conn);
	ret = vtcp_request_check(conn);
	if (!ret) {
		req = conn->req;
		conn->req = NULL;
		vtcp_disarm(tcb, VTCP_TIMER_RTO);
		vtcp_input(tcb, &req->syn, vtcp_now());
		kfree(req);
	}
	vtcp_conn_unlock(conn);
	return ret;
}

/* Is @r a refusal vtcp can send for a request of @family? */
static bool vtcp_request_refusal_ok(const struct vtcp_refuse *r, u8 family)
{
	if (r->__reserved)
		return false;
	switch (r->how) {
	case VTCP_REFUSE_RST:
		return !r->type && !r->code;
	case VTCP_REFUSE_ICMP:
		/* FRAG_NEEDED would want an MTU: no refusal. */
		if (family == AF_INET)
			return r->type == ICMP_DEST_UNREACH &&
			       r->code <= NR_ICMP_UNREACH &&
			       r->code != ICMP_FRAG_NEEDED;
		return r->type == ICMPV6_DEST_UNREACH &&
		       r->code <= ICMPV6_REJECT_ROUTE;
	}
	return false;
}

/* Refuse the request: a RST as from a closed port, or an ICMP error. */
int vtcp_request_refuse(struct vtcp_conn *conn, const struct vtcp_refuse *r)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	struct vtcp_request *req;
	struct vtcp_out out;
	int ret;

	vtcp_conn_lock(conn);
	ret = vtcp_request_check(conn);
	if (!ret && !vtcp_request_refusal_ok(r, conn->tuple.family))
		ret = -EINVAL;
	if (!ret) {
		req = conn->req;
		if (r->how == VTCP_REFUSE_RST) {
			if (vtcp_reply_rst(&req->syn, &out))
				vtcp_tx_reply(conn->vd, &conn->tuple, &out);
		} else {
			vtcp_tx_icmp(conn->vd, &conn->tuple, r->type, r->code,
				     req->quote, req->quote_len);
		}
		vtcp_tcb_reset(tcb, 0);
	}
	vtcp_conn_unlock(conn);
	return ret;
}

/* The connection is freed: a request it still held goes with it. */
void vtcp_request_free(struct vtcp_conn *conn)
{
	kfree(conn->req);
	conn->req = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners: SYNs become children, children become accepted connections.
 *
 * A SYN for a listener makes a child in the device's table at once (the
 * engine's LISTEN processing answers it), up to synq_max children still
 * in the handshake. Past that, SYNs are answered with a SYN cookie and no
 * state (isn.c), and a bare ACK carrying a valid cookie makes the child
 * then. A SYN is dropped while the accept queue is full, as Linux does:
 * the peer retries, and nothing is promised that accept() cannot keep.
 *
 * A deferred listener's children are requests (request.c): they wait in
 * the listener's request queue, unanswered, for ACCEPT to take them; the
 * handshake a request's user completes ends on its own descriptor, never
 * in the accept queue. No cookies: a cookie's SYN-ACK would answer before
 * the user did, so past synq_max a SYN is dropped (drop_defer_overflow).
 *
 * Lock order (net/conn.h): a connection's lock, then its listener's lock.
 */

#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "net/conn.h"
#include "engine/cookie.h"
#include "net/device.h"
#include "engine/input.h"
#include "engine/isn.h"
#include "net/limits.h"
#include "net/listen.h"
#include "net/request.h"
#include "engine/proto.h"
#include "net/trace.h"
#include "net/tx.h"

/* The least SYN queue (children in the handshake), else twice the backlog. */
#define VTCP_LISTEN_SYNQ_MIN		64U

/*
 * How long after the last SYN cookie sent a bare ACK is checked as one: a
 * cookie is taken in the period it was made in and the next (cookie.c).
 * Past that, an ACK for no connection is answered with a RST unchecked.
 */
#define VTCP_LISTEN_COOKIE_WINDOW_NS	(2 * VTCP_COOKIE_PERIOD_NS)

/* What a valid cookie's ACK says of the SYN it answers (isn.c). */
struct vtcp_listen_cookie {
	u16 mss;
	u8 wscale;		/* VTCP_COOKIE_NO_WSCALE: none offered */
	bool sack;
};

static bool vtcp_listener_matches(const struct vtcp_listener *lsn, u8 family,
				  const union vtcp_addr *addr, __be16 port,
				  bool exact)
{
	bool any = !memchr_inv(&lsn->addr, 0, sizeof(lsn->addr));

	if (exact)
		return lsn->family == family && lsn->port == port &&
		       !memcmp(&lsn->addr, addr, sizeof(*addr));
	if (lsn->family && lsn->family != family)
		return false;
	if (lsn->port && lsn->port != port)
		return false;
	return any || !memcmp(&lsn->addr, addr, sizeof(*addr));
}

struct vtcp_listener *vtcp_listener_create(struct vtcp_device *vd, u8 family,
					   const union vtcp_addr *addr,
					   __be16 port, u32 backlog, bool defer,
					   const struct vtcp_cfg *cfg)
{
	struct vtcp_listener *lsn, *other;
	int ret = 0;

	lsn = kzalloc(sizeof(*lsn), GFP_KERNEL_ACCOUNT);
	if (!lsn)
		return ERR_PTR(-ENOMEM);
	lsn->family = family;
	lsn->addr = *addr;
	lsn->port = port;
	lsn->backlog = backlog;
	lsn->defer = defer;
	lsn->synq_max = max(2 * backlog, VTCP_LISTEN_SYNQ_MIN);
	atomic_set(&lsn->synq_len, 0);
	spin_lock_init(&lsn->lock);
	INIT_LIST_HEAD(&lsn->acceptq);
	INIT_LIST_HEAD(&lsn->reqq);
	init_waitqueue_head(&lsn->wq);
	lsn->cfg = *cfg;
	lsn->memcg = vtcp_memcg_get_active();
	refcount_set(&lsn->refs, 1);

	spin_lock_bh(&vd->lock);
	if (vd->dead) {
		ret = -ENODEV;
		goto unlock;
	}
	hlist_for_each_entry(other, &vd->listeners, node) {
		if (vtcp_listener_matches(other, family, addr, port, true)) {
			ret = -EADDRINUSE;
			goto unlock;
		}
	}
	lsn->vd = vd;
	netdev_hold(vd->dev, &lsn->dev_tracker, GFP_ATOMIC);
	hlist_add_head_rcu(&lsn->node, &vd->listeners);
unlock:
	spin_unlock_bh(&vd->lock);
	if (ret) {
		vtcp_memcg_put(lsn->memcg);
		kfree(lsn);
		return ERR_PTR(ret);
	}
	return lsn;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_listener_create);

/* The most specific listener for @tuple; under RCU, takes no reference. */
struct vtcp_listener *vtcp_listener_lookup(struct vtcp_device *vd,
					   const struct vtcp_tuple *tuple)
{
	struct vtcp_listener *lsn, *best = NULL;
	int score, best_score = -1;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "listener lookup outside RCU");
	hlist_for_each_entry_rcu(lsn, &vd->listeners, node) {
		if (!vtcp_listener_matches(lsn, tuple->family, &tuple->local,
					   tuple->lport, false))
			continue;
		score = !!lsn->port * 2 + !!memchr_inv(&lsn->addr, 0,
							sizeof(lsn->addr));
		if (score > best_score) {
			best = lsn;
			best_score = score;
		}
	}
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_listener_lookup);

/* What children start with: the options set on the listener so far. */
static void vtcp_listener_cfg(struct vtcp_listener *lsn, struct vtcp_cfg *cfg)
{
	spin_lock_bh(&lsn->lock);
	*cfg = lsn->cfg;
	spin_unlock_bh(&lsn->lock);
}

/*
 * Wake accept() and poll(), and the handle's own queue (as for
 * connections, conn.c). Unconditional: the queue's lock orders the
 * waker's change with a poller's check.
 */
static void vtcp_listener_wake(struct vtcp_listener *lsn, __poll_t mask)
{
	wait_queue_head_t *hwq;

	wake_up_interruptible_poll(&lsn->wq, mask);
	rcu_read_lock();
	hwq = rcu_dereference(lsn->hwq);
	if (hwq)
		wake_up_interruptible_poll(hwq, mask);
	rcu_read_unlock();
}

void vtcp_listener_put(struct vtcp_listener *lsn)
{
	if (refcount_dec_and_test(&lsn->refs)) {
		vtcp_memcg_put(lsn->memcg);
		kfree_rcu(lsn, rcu);
	}
}

/* Out of the device's table; the device is released. */
static void vtcp_listener_unlink(struct vtcp_listener *lsn)
{
	struct vtcp_device *vd;

	spin_lock_bh(&lsn->lock);
	vd = lsn->vd;
	lsn->vd = NULL;
	spin_unlock_bh(&lsn->lock);
	if (!vd)
		return;
	spin_lock_bh(&vd->lock);
	hlist_del_rcu(&lsn->node);
	spin_unlock_bh(&vd->lock);
	netdev_put(vd->dev, &lsn->dev_tracker);
}

/*
 * No more accepts: connections waiting in the accept queue are reset, as
 * they would be by Linux, and children still in the handshake are when
 * they complete. The caller's reference stays its own.
 */
static void vtcp_listener_stop(struct vtcp_listener *lsn)
{
	struct vtcp_conn *conn, *tmp;
	LIST_HEAD(orphans);

	spin_lock_bh(&lsn->lock);
	WRITE_ONCE(lsn->dead, true);
	list_splice_init(&lsn->acceptq, &orphans);
	WRITE_ONCE(lsn->acceptq_len, 0);
	spin_unlock_bh(&lsn->lock);
	vtcp_listener_wake(lsn, EPOLLIN | EPOLLERR | EPOLLHUP);

	list_for_each_entry_safe(conn, tmp, &orphans, accept_node) {
		list_del_init(&conn->accept_node);
		vtcp_conn_lock(conn);
		if (!conn->dead)
			vtcp_abort(&conn->tcb, vtcp_now());
		vtcp_conn_unlock(conn);
		vtcp_conn_put(conn);
	}
	/*
	 * Requests nobody took end unanswered. One at a time: a request that
	 * ends meanwhile leaves the queue itself (vtcp_conn_kill()).
	 */
	while ((conn = vtcp_listen_take_request(lsn))) {
		vtcp_conn_lock(conn);
		if (!conn->dead)
			vtcp_abort(&conn->tcb, vtcp_now());
		vtcp_conn_unlock(conn);
		vtcp_conn_put(conn);
	}
}

void vtcp_listener_close(struct vtcp_listener *lsn)
{
	vtcp_listener_unlink(lsn);
	vtcp_listener_stop(lsn);
	vtcp_listener_put(lsn);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_listener_close);

/* The device goes away: every listener on it stops, and lets it go. */
void vtcp_listen_table_uninit(struct vtcp_device *vd)
{
	struct vtcp_listener *lsn;

	for (;;) {
		spin_lock_bh(&vd->lock);
		lsn = hlist_entry_safe(vd->listeners.first,
				       struct vtcp_listener, node);
		if (lsn)
			refcount_inc(&lsn->refs);
		spin_unlock_bh(&vd->lock);
		if (!lsn)
			break;
		vtcp_listener_unlink(lsn);
		vtcp_listener_stop(lsn);
		vtcp_listener_put(lsn);
	}
}

/* The next established connection, with the queue's reference, or NULL. */
struct vtcp_conn *vtcp_listen_accept(struct vtcp_listener *lsn)
{
	struct vtcp_conn *conn;

	spin_lock_bh(&lsn->lock);
	conn = list_first_entry_or_null(&lsn->acceptq, struct vtcp_conn,
					accept_node);
	if (conn) {
		list_del_init(&conn->accept_node);
		WRITE_ONCE(lsn->acceptq_len, lsn->acceptq_len - 1);
	}
	spin_unlock_bh(&lsn->lock);
	return conn;
}

/* The next request not taken yet, with the queue's reference, or NULL. */
struct vtcp_conn *vtcp_listen_take_request(struct vtcp_listener *lsn)
{
	struct vtcp_conn *conn;

	spin_lock_bh(&lsn->lock);
	conn = list_first_entry_or_null(&lsn->reqq, struct vtcp_conn,
					accept_node);
	if (conn)
		list_del_init(&conn->accept_node);
	spin_unlock_bh(&lsn->lock);
	return conn;
}

/*
 * A request ends: out of the request queue if nobody took it. Returns the
 * number of references that leaves the caller to drop (the queue's).
 */
int vtcp_listen_request_unqueue(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_listener *lsn = conn->listener;
	int puts = 0;

	lockdep_assert_held(&conn->tcb.lock);
	if (!conn->deferred)
		return 0;
	spin_lock(&lsn->lock);
	if (!list_empty(&conn->accept_node)) {
		list_del_init(&conn->accept_node);
		puts = 1;
	}
	spin_unlock(&lsn->lock);
	return puts;
}

/* A deferred listener's child waits for its user with its SYN. */
static int vtcp_listen_request_queue(struct vtcp_listener *lsn,
				     struct vtcp_conn *conn,
				     const struct vtcp_pkt *pkt, u64 now)
	__must_hold(&conn->tcb.lock)
{
	int ret;

	lockdep_assert_held(&conn->tcb.lock);
	ret = vtcp_request_start(conn, pkt, now);
	if (ret)
		return ret;
	spin_lock(&lsn->lock);
	if (lsn->dead) {
		ret = -ENODEV;
	} else {
		list_add_tail(&conn->accept_node, &lsn->reqq);
		vtcp_conn_get(conn);
	}
	spin_unlock(&lsn->lock);
	if (!ret)
		wake_up_interruptible_poll(&lsn->wq, EPOLLIN | EPOLLRDNORM);
	return ret;
}

/*
 * A child's handshake ended: to the accept queue, or, if the listener
 * stopped or the queue filled meanwhile, reset. Returns the listener
 * reference the child held, for the caller to drop.
 */
struct vtcp_listener *vtcp_listen_child_ready(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_listener *lsn = conn->listener;
	bool queued = false;

	lockdep_assert_held(&conn->tcb.lock);
	conn->listener = NULL;
	atomic_dec(&lsn->synq_len);
	/* A request's user has it already, by its own descriptor. */
	if (conn->deferred)
		return lsn;
	spin_lock(&lsn->lock);
	if (!lsn->dead && lsn->acceptq_len < lsn->backlog) {
		list_add_tail(&conn->accept_node, &lsn->acceptq);
		WRITE_ONCE(lsn->acceptq_len, lsn->acceptq_len + 1);
		vtcp_conn_get(conn);
		queued = true;
	}
	spin_unlock(&lsn->lock);
	if (queued)
		vtcp_listener_wake(lsn, EPOLLIN | EPOLLRDNORM);
	else
		vtcp_abort(&conn->tcb, vtcp_now());
	return lsn;
}

/* A child died in the handshake. Returns the listener reference it held. */
struct vtcp_listener *vtcp_listen_child_gone(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_listener *lsn = conn->listener;

	lockdep_assert_held(&conn->tcb.lock);
	conn->listener = NULL;
	atomic_dec(&lsn->synq_len);
	return lsn;
}

/*
 * Make a child for @lsn and give it the segment that made it: a SYN, or
 * the ACK of a valid cookie, whose SYN's options @cookie carries.
 */
static enum vtcp_drop_reason
vtcp_listen_new_child(struct vtcp_listener *lsn, struct vtcp_device *vd,
		      struct vtcp_pkt *pkt,
		      const struct vtcp_listen_cookie *cookie, u64 now)
{
	struct mem_cgroup *memcg_old;
	struct vtcp_budget *budget;
	enum vtcp_drop_reason drop;
	struct vtcp_conn *conn;
	struct vtcp_cfg cfg;

	budget = vtcp_budget_of(dev_net(vd->dev));
	if (!vtcp_budget_conn_charge(budget))
		return VTCP_DROP_CONN_LIMIT;
	vtcp_listener_cfg(lsn, &cfg);
	/* Charged to the listener's opener, and refused past its limit. */
	memcg_old = set_active_memcg(lsn->memcg);
	conn = vtcp_conn_alloc(vd, &pkt->tuple, &cfg,
			       GFP_NOWAIT | __GFP_NOWARN);
	set_active_memcg(memcg_old);
	if (!conn) {
		vtcp_budget_conn_uncharge(budget);
		return VTCP_DROP_MEMORY;
	}
	conn->budget = budget;
	if (!refcount_inc_not_zero(&lsn->refs)) {
		vtcp_conn_discard(conn);
		return VTCP_DROP_STATE;
	}
	conn->listener = lsn;
	conn->deferred = lsn->defer;
	atomic_inc(&lsn->synq_len);
	if (cookie)
		vtcp_cookie_child(&conn->tcb, &pkt->seg, cookie->mss,
				  cookie->wscale, cookie->sack, now);
	else
		vtcp_open_passive(&conn->tcb,
				  vtcp_isn(&vtcp_secret, &pkt->tuple, now));
	if (vtcp_conn_insert(conn)) {
		/* The tuple was taken on another CPU meanwhile. */
		vtcp_conn_discard(conn);
		return VTCP_DROP_STATE;
	}
	vtcp_dev_count(vd, VTCP_CNT_PASSIVE_OPENS);
	vtcp_conn_lock(conn);
	if (lsn->defer) {
		drop = VTCP_DROP_NONE;
		if (vtcp_listen_request_queue(lsn, conn, pkt, now)) {
			drop = VTCP_DROP_MEMORY;
			vtcp_tcb_reset(&conn->tcb, 0);
		}
	} else {
		drop = vtcp_input(&conn->tcb, &pkt->seg, now);
	}
	vtcp_conn_unlock(conn);
	vtcp_conn_put(conn);
	return drop;
}

static enum vtcp_drop_reason vtcp_listen_syn(struct vtcp_listener *lsn,
					     struct vtcp_device *vd,
					     struct vtcp_pkt *pkt, u64 now)
{
	struct vtcp_cfg cfg;
	struct vtcp_out out;
	u16 peer_mss, mss;
	u32 cookie;

	if (lsn->defer) {
		if (atomic_read(&lsn->synq_len) >= lsn->synq_max)
			return VTCP_DROP_DEFER_OVERFLOW;
		return vtcp_listen_new_child(lsn, vd, pkt, NULL, now);
	}
	if (READ_ONCE(lsn->acceptq_len) >= lsn->backlog)
		return VTCP_DROP_LISTEN_OVERFLOW;
	if (atomic_read(&lsn->synq_len) < lsn->synq_max)
		return vtcp_listen_new_child(lsn, vd, pkt, NULL, now);

	/* The SYN queue is full: answer with a cookie, keep nothing. */
	peer_mss = pkt->seg.opt.present & VTCP_TCPOPT_MSS ?
		   pkt->seg.opt.mss : VTCP_MSS_DEFAULT;
	cookie = vtcp_cookie_make(&vtcp_secret, &pkt->tuple, pkt->seg.seq,
				  peer_mss, now, &mss);
	vtcp_listener_cfg(lsn, &cfg);
	vtcp_cookie_synack(&cfg, &pkt->seg, cookie,
			   vtcp_tx_mss(vd->dev, pkt->tuple.family),
			   vtcp_isn_ts_offset(&vtcp_secret, &pkt->tuple),
			   now, &out);
	WRITE_ONCE(lsn->cookie_ns, now);
	vtcp_dev_count(vd, VTCP_CNT_COOKIES_SENT);
	trace_vtcp_syncookie(vd->dev, &pkt->tuple, VTCP_TRACE_COOKIE_SENT, mss);
	vtcp_tx_reply(vd, &pkt->tuple, &out);
	return VTCP_DROP_NONE;
}

/* Cookies sent this recently may still come back. */
static bool vtcp_listen_cookies_recent(const struct vtcp_listener *lsn,
				       u64 now)
{
	u64 sent = READ_ONCE(lsn->cookie_ns);

	return sent && now - sent < VTCP_LISTEN_COOKIE_WINDOW_NS;
}

static enum vtcp_drop_reason vtcp_listen_ack(struct vtcp_listener *lsn,
					     struct vtcp_device *vd,
					     struct vtcp_pkt *pkt, u64 now)
{
	struct vtcp_listen_cookie cookie = {
		.wscale = VTCP_COOKIE_NO_WSCALE,
	};
	const struct vtcp_seg *seg = &pkt->seg;

	if (!vtcp_listen_cookies_recent(lsn, now))
		return VTCP_DROP_NO_SOCKET;
	cookie.mss = vtcp_cookie_check(&vtcp_secret, &pkt->tuple, seg->ack - 1,
				       seg->seq - 1, now);
	if (!cookie.mss)
		return VTCP_DROP_BAD_COOKIE;
	if (READ_ONCE(lsn->acceptq_len) >= lsn->backlog)
		return VTCP_DROP_LISTEN_OVERFLOW;
	vtcp_dev_count(vd, VTCP_CNT_COOKIES_VALID);
	trace_vtcp_syncookie(vd->dev, &pkt->tuple, VTCP_TRACE_COOKIE_VALID,
			     cookie.mss);
	if (seg->opt.present & VTCP_TCPOPT_TS)
		vtcp_cookie_ts_decode(seg->opt.tsecr, &cookie.wscale,
				      &cookie.sack);
	return vtcp_listen_new_child(lsn, vd, pkt, &cookie, now);
}

/*
 * A segment for a listener and no connection (RFC 9293 3.10.7.2). Returns
 * VTCP_DROP_NO_SOCKET when the caller should answer with a RST.
 */
enum vtcp_drop_reason vtcp_listen_input(struct vtcp_listener *lsn,
					struct vtcp_device *vd,
					struct vtcp_pkt *pkt, u64 now)
{
	u8 flags = pkt->seg.flags;

	if (flags & VTCP_TH_RST)
		return VTCP_DROP_STATE;
	if (flags & VTCP_TH_ACK)
		return vtcp_listen_ack(lsn, vd, pkt, now);
	if (flags & VTCP_TH_SYN)
		return vtcp_listen_syn(lsn, vd, pkt, now);
	return VTCP_DROP_BAD_FLAGS;
}

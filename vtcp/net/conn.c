// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: allocation, the device's table, and the two-phase end.
 *
 * Every path that runs the engine takes the connection's lock with
 * vtcp_conn_lock() and leaves through vtcp_conn_unlock(), which acts on
 * what the engine reported: a handshake that completed goes to its
 * listener's accept queue, a connection that reached CLOSED is killed,
 * the timer follows the earliest deadline, waiters are woken, and the
 * memory the connection holds is accounted. In between, what the engine
 * allocates is charged to the connection's memory cgroup.
 */

#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "net/conn.h"
#include "net/device.h"
#include "engine/isn.h"
#include "net/limits.h"
#include "net/listen.h"
#include "net/request.h"
#include "net/timers.h"
#include "net/trace.h"
#include "net/tw.h"
#include "net/tx.h"

atomic_t vtcp_nconns = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(vtcp_nconns_wq);
static struct kmem_cache *vtcp_conn_cache;

static const struct rhashtable_params vtcp_conn_params = {
	.key_len = sizeof(struct vtcp_tuple),
	.key_offset = offsetof(struct vtcp_conn, tuple),
	.head_offset = offsetof(struct vtcp_conn, node),
	.automatic_shrinking = true,
};

int vtcp_conn_init(void)
{
	vtcp_conn_cache = KMEM_CACHE(vtcp_conn, SLAB_ACCOUNT);
	return vtcp_conn_cache ? 0 : -ENOMEM;
}

/* Module exit: every connection was killed; wait until each is freed. */
void vtcp_conn_uninit(void)
{
	wait_event(vtcp_nconns_wq, !atomic_read(&vtcp_nconns));
	rcu_barrier();
	kmem_cache_destroy(vtcp_conn_cache);
}

int vtcp_conn_table_init(struct vtcp_device *vd)
{
	return rhashtable_init(&vd->conns, &vtcp_conn_params);
}

static const struct vtcp_engine_ops vtcp_conn_ops = {
	.xmit = vtcp_tx_xmit,
};

/*
 * A connection charged to @budget (see vtcp_budget_conn_charge(), whose
 * reference it takes over) and to the active memory cgroup.
 */
struct vtcp_conn *vtcp_conn_alloc(struct vtcp_device *vd,
				  const struct vtcp_tuple *tuple,
				  const struct vtcp_cfg *cfg, gfp_t gfp)
{
	struct vtcp_conn *conn;

	conn = kmem_cache_zalloc(vtcp_conn_cache, gfp);
	if (!conn)
		return NULL;
	conn->memcg = vtcp_memcg_get_active();
	vtcp_tcb_init(&conn->tcb, &vtcp_conn_ops, cfg,
		      vtcp_tx_mss(vd->dev, tuple->family),
		      (READ_ONCE(vd->dev->features) & NETIF_F_GRO_HW) ?
		      vtcp_tx_gso_max(tuple->family) : 0,
		      vtcp_isn_ts_offset(&vtcp_secret, tuple));
	conn->tcb.ipv6 = tuple->family == AF_INET6;
	conn->tuple = *tuple;
	conn->vd = vd;
	netdev_hold(vd->dev, &conn->dev_tracker, gfp);
	INIT_LIST_HEAD(&conn->accept_node);
	init_waitqueue_head(&conn->wq);
	mutex_init(&conn->ulock);
	vtcp_timer_init(conn);
	refcount_set(&conn->refs, 1);
	atomic_inc(&vtcp_nconns);
	return conn;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_alloc);

/*
 * Put @conn in its device's table, which takes a reference. Fails with
 * -EEXIST if the tuple is taken, -ENODEV if the device is going away.
 */
int vtcp_conn_insert(struct vtcp_conn *conn)
{
	struct vtcp_device *vd = conn->vd;
	int ret = -ENODEV;

	spin_lock_bh(&vd->lock);
	if (!vd->dead) {
		ret = rhashtable_lookup_insert_fast(&vd->conns, &conn->node,
						    vtcp_conn_params);
		if (!ret)
			vtcp_conn_get(conn);
	}
	spin_unlock_bh(&vd->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_insert);

/*
 * The connection for @tuple, or NULL; takes no reference. Under RCU: the
 * packet path has it by running with BH disabled.
 */
struct vtcp_conn *vtcp_conn_lookup(struct vtcp_device *vd,
				   const struct vtcp_tuple *tuple)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "connection lookup outside RCU");
	return rhashtable_lookup(&vd->conns, tuple, vtcp_conn_params);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_lookup);

/* A connection that never made it into the table. */
void vtcp_conn_discard(struct vtcp_conn *conn)
{
	struct vtcp_listener *lsn = NULL;

	spin_lock_bh(&conn->tcb.lock);
	if (conn->listener)
		lsn = vtcp_listen_child_gone(conn);
	spin_unlock_bh(&conn->tcb.lock);
	if (lsn)
		vtcp_listener_put(lsn);
	netdev_put(conn->vd->dev, &conn->dev_tracker);
	conn->vd = NULL;
	conn->dead = 1;
	vtcp_conn_put(conn);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_discard);

static void vtcp_conn_free_rcu(struct rcu_head *rcu)
{
	struct vtcp_conn *conn = container_of(rcu, struct vtcp_conn, rcu);

	if (conn->budget)
		vtcp_budget_conn_uncharge(conn->budget);
	vtcp_memcg_put(conn->memcg);
	kmem_cache_free(vtcp_conn_cache, conn);
	if (atomic_dec_and_test(&vtcp_nconns))
		wake_up(&vtcp_nconns_wq);
}

void vtcp_conn_put(struct vtcp_conn *conn)
{
	if (!refcount_dec_and_test(&conn->refs))
		return;
	WARN_ON_ONCE(!conn->dead && conn->vd);
	vtcp_tcb_destroy(&conn->tcb);
	vtcp_request_free(conn);
	vtcp_budget_mem(conn->budget, -(long)conn->rcv_mem,
			-(long)conn->snd_mem);
	mutex_destroy(&conn->ulock);
	call_rcu(&conn->rcu, vtcp_conn_free_rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_put);

void vtcp_conn_lock(struct vtcp_conn *conn) __acquires(&conn->tcb.lock)
{
	spin_lock_bh(&conn->tcb.lock);
	conn->memcg_old = set_active_memcg(conn->memcg);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_lock);

/*
 * Phase one of the end: out of the table, away from its listener, timer
 * stopped, device released. Returns the references to drop once unlocked.
 */
static int vtcp_conn_kill(struct vtcp_conn *conn, struct vtcp_listener **lsn)
	__must_hold(&conn->tcb.lock)
{
	struct vtcp_device *vd = conn->vd;
	int puts = 1;	/* the table's */

	lockdep_assert_held(&conn->tcb.lock);
	conn->dead = 1;
	rhashtable_remove_fast(&vd->conns, &conn->node, vtcp_conn_params);
	if (conn->listener) {
		/* A request nobody took leaves the queue, and its reference. */
		puts += vtcp_listen_request_unqueue(conn);
		*lsn = vtcp_listen_child_gone(conn);
	}
	puts += vtcp_timer_stop(conn);
	netdev_put(vd->dev, &conn->dev_tracker);
	conn->vd = NULL;
	return puts;
}

/* Count the memory the connection holds against its budgets. */
static void vtcp_conn_account(struct vtcp_conn *conn)
{
	u32 rcv = conn->tcb.rcvq.mem, snd = conn->tcb.sndq.bytes;

	if (rcv != conn->rcv_mem || snd != conn->snd_mem) {
		vtcp_budget_mem(conn->budget,
				(long)rcv - (long)conn->rcv_mem,
				(long)snd - (long)conn->snd_mem);
		conn->rcv_mem = rcv;
		conn->snd_mem = snd;
	}
}

static u16 vtcp_conn_snapshot(const struct vtcp_conn *conn)
{
	const struct vtcp_tcb *tcb = &conn->tcb;
	u16 snap = 0;

	if (tcb->rcvq.ready_bytes)
		snap |= VTCP_SNAP_READABLE;
	if (tcb->fin_received)
		snap |= VTCP_SNAP_EOF;
	if (tcb->rd_shutdown)
		snap |= VTCP_SNAP_RD_SHUT;
	if (tcb->fin_queued)
		snap |= VTCP_SNAP_WR_SHUT;
	if (tcb->err)
		snap |= VTCP_SNAP_ERROR;
	/* Past the send budget, a write waits for its own bytes only. */
	if (tcb->cfg.sndbuf - min(tcb->sndq.bytes, tcb->cfg.sndbuf) >=
	    tcb->cfg.sndbuf / 3 &&
	    (!tcb->sndq.bytes || !vtcp_budget_snd_over(conn->budget)))
		snap |= VTCP_SNAP_WRITEABLE;
	switch (tcb->state) {
	case VTCP_LISTEN:	/* a request, not answered yet */
	case VTCP_SYN_SENT:
	case VTCP_SYN_RECEIVED:
		snap |= VTCP_SNAP_OPENING;
		break;
	case VTCP_ESTABLISHED:
	case VTCP_CLOSE_WAIT:
		snap |= VTCP_SNAP_CAN_SEND;
		break;
	case VTCP_CLOSED:
		snap |= VTCP_SNAP_CLOSED;
		break;
	}
	if (conn->dead)
		snap |= VTCP_SNAP_CLOSED;
	return snap;
}

static __poll_t vtcp_conn_events_mask(const struct vtcp_conn *conn, u8 ev)
{
	__poll_t mask = 0;

	if (ev & VTCP_EV_READABLE)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (ev & VTCP_EV_WRITABLE)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (ev & (VTCP_EV_STATE | VTCP_EV_ERROR | VTCP_EV_CLOSED))
		mask |= EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP;
	return mask;
}

/*
 * The handle that made the connection polls its own queue, which it may
 * have done before it was bound (epoll registers once); the handle frees
 * it only after a grace period once it has cleared conn->hwq.
 */
static void vtcp_conn_wake_handle(struct vtcp_conn *conn, __poll_t mask)
{
	wait_queue_head_t *hwq;

	rcu_read_lock();
	hwq = rcu_dereference(conn->hwq);
	if (hwq && wq_has_sleeper(hwq))
		wake_up_interruptible_poll(hwq, mask);
	rcu_read_unlock();
}

void vtcp_conn_unlock(struct vtcp_conn *conn) __releases(&conn->tcb.lock)
{
	struct vtcp_tcb *tcb = &conn->tcb;
	struct vtcp_listener *lsn = NULL;
	u8 ev = tcb->events;
	__poll_t mask;
	int puts = 0;

	tcb->events = 0;
	if (ev & VTCP_EV_REOPEN) {
		/*
		 * A SYN ended TIME-WAIT (RFC 6191): this incarnation is over.
		 * rx.c hands the SYN to the listener once we are unlinked.
		 */
		vtcp_tcb_reset(tcb, 0);
		ev |= tcb->events;
		tcb->events = 0;
	}
	if (!conn->dead) {
		if (conn->listener && vtcp_state_synchronized(tcb->state))
			lsn = vtcp_listen_child_ready(conn);
		vtcp_trace_unlock(conn);
		/* An orphan in TIME-WAIT shrinks to an entry of tw.c. */
		if (tcb->state == VTCP_CLOSED ||
		    (tcb->state == VTCP_TIME_WAIT && tcb->orphan &&
		     vtcp_tw_replace(conn)))
			puts += vtcp_conn_kill(conn, &lsn);
		else
			vtcp_timer_sync(conn);
	}
	vtcp_conn_account(conn);
	WRITE_ONCE(conn->snap, vtcp_conn_snapshot(conn));
	mask = vtcp_conn_events_mask(conn, ev);
	set_active_memcg(conn->memcg_old);
	spin_unlock_bh(&tcb->lock);

	if (mask) {
		if (wq_has_sleeper(&conn->wq))
			wake_up_interruptible_poll(&conn->wq, mask);
		vtcp_conn_wake_handle(conn, mask);
	}
	if (lsn)
		vtcp_listener_put(lsn);
	while (puts--)
		vtcp_conn_put(conn);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_conn_unlock);

/*
 * The device goes away (vd->dead, so nothing is inserted any more): every
 * connection ends now. Walked from the table until it is empty, since
 * timers may kill connections meanwhile.
 */
void vtcp_conn_table_uninit(struct vtcp_device *vd)
{
	struct rhashtable_iter iter;
	struct vtcp_conn *conn;

	do {
		rhashtable_walk_enter(&vd->conns, &iter);
		rhashtable_walk_start(&iter);
		while ((conn = rhashtable_walk_next(&iter))) {
			if (IS_ERR(conn))
				continue;
			if (!refcount_inc_not_zero(&conn->refs))
				continue;
			vtcp_conn_lock(conn);
			if (!conn->dead)
				vtcp_tcb_reset(&conn->tcb, -ENETDOWN);
			vtcp_conn_unlock(conn);
			vtcp_conn_put(conn);
		}
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
	} while (atomic_read(&vd->conns.nelems));
	/*
	 * A killer on another CPU may have decremented nelems and not yet
	 * queued the table's shrink work. Every kill runs under the conn's
	 * BH lock, an RCU reader: once a grace period has passed it has
	 * queued it, and rhashtable_destroy() cancels it.
	 */
	synchronize_rcu();
	rhashtable_destroy(&vd->conns);
}

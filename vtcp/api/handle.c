// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vtcp handles: binding one as a listener, a connection or a packet
 * channel; accepting.
 */

#include <kunit/visibility.h>
#include <linux/nsproxy.h>
#include <linux/memcontrol.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "net/conn.h"
#include "net/device.h"
#include "api/handle.h"
#include "engine/isn.h"
#include "net/limits.h"
#include "net/listen.h"
#include "net/perm.h"
#include "net/pktchan.h"
#include "net/request.h"
#include "api/stream.h"
#include "net/testhook.h"

/* Ports vtcp picks for its own end of a connection (as Linux's default). */
#define VTCP_PORT_LOW		32768
#define VTCP_PORT_HIGH		60999
#define VTCP_BACKLOG_DEFAULT	128
#define VTCP_BACKLOG_MAX	65535
/* Packets a packet channel holds for its reader. */
#define VTCP_PKT_QUEUE_DEFAULT	512
#define VTCP_PKT_QUEUE_MAX	4096

/* A handle for @file, opened by the current task (whose file it is). */
struct vtcp_handle *vtcp_handle_new(struct file *file)
{
	struct vtcp_handle *h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);

	if (!h)
		return NULL;
	h->file = file;
	mutex_init(&h->lock);
	init_waitqueue_head(&h->wq);
	h->net = get_net(current->nsproxy->net_ns);
	h->memcg = get_mem_cgroup_from_mm(current->mm);
	vtcp_cfg_default(&h->cfg);
	return h;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_handle_new);

void vtcp_handle_release(struct vtcp_handle *h)
{
	if (h->lsn) {
		RCU_INIT_POINTER(h->lsn->hwq, NULL);
		vtcp_listener_close(h->lsn);
	}
	if (h->conn) {
		RCU_INIT_POINTER(h->conn->hwq, NULL);
		vtcp_stream_release(h->conn);
	}
	if (h->pkt) {
		RCU_INIT_POINTER(h->pkt->hwq, NULL);
		vtcp_pktchan_close(h->pkt);
	}
	if (h->net)
		put_net(h->net);
	vtcp_memcg_put(h->memcg);
	mutex_destroy(&h->lock);
	kfree_rcu(h, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_handle_release);

/*
 * The handle is bound (h->lock held): it reaches its device through its
 * listener, connection or packet channel from now on, and lets its
 * namespace go, so that deleting the namespace deletes the device and
 * ends them. Only unbound handles keep their namespace alive, as
 * unconnected sockets do.
 */
static void vtcp_handle_bound(struct vtcp_handle *h)
	__must_hold(&h->lock)
{
	lockdep_assert_held(&h->lock);
	put_net(h->net);
	h->net = NULL;
}

/*
 * The device @ifindex of the handle's namespace, with a reference, if the
 * handle is unbound (else -EISCONN) and its opener may bind to it: -ENODEV
 * if the namespace has no such vtcp device, -EPERM if the opener may not
 * (perm.c).
 */
static struct vtcp_device *vtcp_handle_device(struct vtcp_handle *h,
					      int ifindex)
	__must_hold(&h->lock)
{
	struct vtcp_device *vd;
	int ret;

	lockdep_assert_held(&h->lock);
	if (h->lsn || h->conn || h->pkt)
		return ERR_PTR(-EISCONN);
	vd = vtcp_device_get(h->net, ifindex);
	if (!vd)
		return ERR_PTR(-ENODEV);
	ret = vtcp_perm_bind(h->file, dev_net(vd->dev));
	if (ret) {
		vtcp_device_put(vd);
		return ERR_PTR(ret);
	}
	return vd;
}

void vtcp_endpoint_from(struct vtcp_endpoint *ep, u8 family,
			const union vtcp_addr *addr, __be16 port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = family;
	ep->port = port;
	if (family == AF_INET)
		ep->addr4 = addr->ip;
	else if (family == AF_INET6)
		memcpy(ep->addr6, &addr->ip6, sizeof(ep->addr6));
}

/* An endpoint from userspace, checked; AF_UNSPEC only if @any_ok. */
static int vtcp_endpoint_to(const struct vtcp_endpoint *ep, bool any_ok,
			    u8 *family, union vtcp_addr *addr)
{
	if (ep->__reserved)
		return -EINVAL;
	memset(addr, 0, sizeof(*addr));
	switch (ep->family) {
	case AF_UNSPEC:
		if (!any_ok || memchr_inv(ep->addr6, 0, sizeof(ep->addr6)))
			return -EINVAL;
		break;
	case AF_INET:
		if (memchr_inv(ep->addr6 + 4, 0, sizeof(ep->addr6) - 4))
			return -EINVAL;
		addr->ip = ep->addr4;
		break;
	case AF_INET6:
		memcpy(&addr->ip6, ep->addr6, sizeof(addr->ip6));
		break;
	default:
		return -EAFNOSUPPORT;
	}
	*family = ep->family;
	return 0;
}

int vtcp_handle_listen(struct vtcp_handle *h, const struct vtcp_listen *req)
{
	struct mem_cgroup *memcg_old;
	struct vtcp_listener *lsn;
	struct vtcp_device *vd;
	union vtcp_addr addr;
	u32 backlog;
	u8 family;
	int ret;

	if ((req->flags & ~VTCP_LISTEN_DEFER) || req->__reserved)
		return -EINVAL;
	ret = vtcp_endpoint_to(&req->local, true, &family, &addr);
	if (ret)
		return ret;
	backlog = req->backlog ? min_t(u32, req->backlog, VTCP_BACKLOG_MAX) :
				 VTCP_BACKLOG_DEFAULT;

	mutex_lock(&h->lock);
	vd = vtcp_handle_device(h, req->ifindex);
	ret = PTR_ERR_OR_ZERO(vd);
	if (ret)
		goto unlock;
	/* The listener and its children are charged to the opener. */
	memcg_old = set_active_memcg(h->memcg);
	lsn = vtcp_listener_create(vd, family, &addr, req->local.port, backlog,
				   req->flags & VTCP_LISTEN_DEFER, &h->cfg);
	set_active_memcg(memcg_old);
	vtcp_device_put(vd);
	ret = PTR_ERR_OR_ZERO(lsn);
	if (!ret) {
		rcu_assign_pointer(lsn->hwq, &h->wq);
		/* Publish it set up: pairs with vtcp_handle_lsn()'s acquire. */
		smp_store_release(&h->lsn, lsn);
		vtcp_handle_bound(h);
	}
unlock:
	mutex_unlock(&h->lock);
	/* A connection may have arrived before lsn->hwq was set. */
	if (!ret)
		wake_up_interruptible_poll(&h->wq, EPOLLIN | EPOLLRDNORM);
	return ret;
}

static bool vtcp_handle_accept_waits(struct vtcp_listener *lsn)
{
	return list_empty_careful(lsn->defer ? &lsn->reqq : &lsn->acceptq) &&
	       !READ_ONCE(lsn->dead);
}

/*
 * The next established connection, or with VTCP_ACCEPT_REQUEST the next
 * request of a deferred listener (and nothing else from either), with a
 * reference for the caller, and its endpoints (and a request's SYN) in
 * @req, whose flags the caller checked. Waits for one unless @nonblock.
 */
struct vtcp_conn *vtcp_handle_accept(struct vtcp_handle *h,
				     struct vtcp_accept *req, bool nonblock)
{
	struct vtcp_listener *lsn = vtcp_handle_lsn(h);
	bool request = req->flags & VTCP_ACCEPT_REQUEST;
	struct vtcp_conn *conn;

	if (!lsn || request != lsn->defer)
		return ERR_PTR(-EINVAL);
	while (!(conn = request ? vtcp_listen_take_request(lsn) :
				  vtcp_listen_accept(lsn))) {
		if (READ_ONCE(lsn->dead))
			return ERR_PTR(-ENODEV);
		if (nonblock)
			return ERR_PTR(-EAGAIN);
		if (wait_event_interruptible(lsn->wq,
					     !vtcp_handle_accept_waits(lsn)))
			return ERR_PTR(-ERESTARTSYS);
	}
	vtcp_endpoint_from(&req->local, conn->tuple.family, &conn->tuple.local,
			   conn->tuple.lport);
	vtcp_endpoint_from(&req->remote, conn->tuple.family,
			   &conn->tuple.remote, conn->tuple.rport);
	if (request)
		vtcp_request_syn_options(conn, &req->syn);
	else
		memset(&req->syn, 0, sizeof(req->syn));
	return conn;
}

/*
 * Insert @conn in SYN-SENT, its ISS for the tuple it is inserted with: a
 * CLOSED connection in the table would be killed by the first segment for
 * its tuple, or by the device's teardown, before CONNECT had started it.
 */
static int vtcp_handle_insert(struct vtcp_conn *conn, u64 now)
{
	spin_lock_bh(&conn->tcb.lock);
	vtcp_connect_prepare(&conn->tcb,
			     vtcp_isn(&vtcp_secret, &conn->tuple, now),
			     vtcp_isn_ts_offset(&vtcp_secret, &conn->tuple));
	spin_unlock_bh(&conn->tcb.lock);
	return vtcp_conn_insert(conn);
}

/* Insert @conn with a port of ours picked at random from the range. */
static int vtcp_handle_bind_ephemeral(struct vtcp_conn *conn, u64 now)
{
	u32 range = VTCP_PORT_HIGH - VTCP_PORT_LOW + 1;
	u32 start = get_random_u32_below(range);
	u32 i;

	for (i = 0; i < range; i++) {
		u16 port = VTCP_PORT_LOW + (start + i) % range;
		int ret;

		conn->tuple.lport = htons(port);
		ret = vtcp_handle_insert(conn, now);
		if (ret != -EEXIST)
			return ret;
		cond_resched();
	}
	return -EADDRNOTAVAIL;
}

/* The 4-tuple a CONNECT asks for, checked. */
static int vtcp_handle_connect_tuple(const struct vtcp_connect *req,
				     struct vtcp_tuple *tuple)
{
	u8 rfamily;
	int ret;

	if (req->flags)
		return -EINVAL;
	memset(tuple, 0, sizeof(*tuple));
	ret = vtcp_endpoint_to(&req->local, false, &tuple->family,
			       &tuple->local);
	if (!ret)
		ret = vtcp_endpoint_to(&req->remote, false, &rfamily,
				       &tuple->remote);
	if (ret)
		return ret;
	if (rfamily != tuple->family || !req->remote.port ||
	    !memchr_inv(&tuple->local, 0, sizeof(tuple->local)) ||
	    !memchr_inv(&tuple->remote, 0, sizeof(tuple->remote)))
		return -EINVAL;
	tuple->lport = req->local.port;
	tuple->rport = req->remote.port;
	return 0;
}

/*
 * The core of both CONNECTs: a connection on @vd for @tuple, charged to
 * @memcg and waking @hwq (if any) as well as its own waiters, in the
 * table and its SYN sent, with a reference for the caller. Takes over the
 * caller's reference to @vd, and lets it go once the connection holds its
 * own: the device may be unregistered while the connection is inserted.
 */
static struct vtcp_conn *vtcp_handle_connect_open(struct vtcp_device *vd,
						  const struct vtcp_tuple *tuple,
						  const struct vtcp_cfg *cfg,
						  struct mem_cgroup *memcg,
						  wait_queue_head_t *hwq)
{
	struct vtcp_conn *conn = NULL;
	struct mem_cgroup *memcg_old;
	struct vtcp_budget *budget;
	u64 now;
	int ret;

	/* Past max_conns(_per_netns): ENOBUFS, as sockets. */
	budget = vtcp_budget_of(dev_net(vd->dev));
	if (vtcp_budget_conn_charge(budget)) {
		memcg_old = set_active_memcg(memcg);
		conn = vtcp_conn_alloc(vd, tuple, cfg, GFP_KERNEL_ACCOUNT);
		set_active_memcg(memcg_old);
		if (conn)
			conn->budget = budget;
		else
			vtcp_budget_conn_uncharge(budget);
	}
	vtcp_device_put(vd);
	if (!conn)
		return ERR_PTR(-ENOBUFS);
	/* Not yet visible: set before anything can wake it. */
	RCU_INIT_POINTER(conn->hwq, hwq);
	now = vtcp_now();
	if (tuple->lport) {
		ret = vtcp_handle_insert(conn, now);
		if (ret == -EEXIST)
			ret = -EADDRINUSE;
	} else {
		ret = vtcp_handle_bind_ephemeral(conn, now);
	}
	if (ret) {
		vtcp_conn_discard(conn);
		return ERR_PTR(ret);
	}
	vtcp_testhook_at(VTCP_HOOK_CONNECT_INSERTED, conn);
	vtcp_conn_lock(conn);
	/* The device may have gone meanwhile, and the connection with it. */
	ret = conn->dead ? -ENETDOWN : 0;
	if (!ret) {
		vtcp_connect_start(&conn->tcb, vtcp_now());
		vtcp_dev_count(conn->vd, VTCP_CNT_ACTIVE_OPENS);
	}
	vtcp_conn_unlock(conn);
	if (ret) {
		vtcp_conn_put(conn);
		return ERR_PTR(ret);
	}
	return conn;
}

int vtcp_handle_connect(struct vtcp_handle *h, const struct vtcp_connect *req,
			bool nonblock)
{
	struct vtcp_tuple tuple;
	struct vtcp_device *vd;
	struct vtcp_conn *conn;
	int ret;

	ret = vtcp_handle_connect_tuple(req, &tuple);
	if (ret)
		return ret;

	mutex_lock(&h->lock);
	if (h->conn) {
		/* Again, after a signal or a non-blocking start. */
		conn = h->conn;
		mutex_unlock(&h->lock);
		if (!(READ_ONCE(conn->snap) & VTCP_SNAP_OPENING))
			return -EISCONN;
		return nonblock ? -EALREADY :
				  vtcp_stream_wait_connected(conn, false);
	}
	vd = vtcp_handle_device(h, req->ifindex);
	ret = PTR_ERR_OR_ZERO(vd);
	if (ret)
		goto unlock;
	conn = vtcp_handle_connect_open(vd, &tuple, &h->cfg, h->memcg, &h->wq);
	ret = PTR_ERR_OR_ZERO(conn);
	if (ret)
		goto unlock;
	/* Publish it set up: pairs with vtcp_handle_conn()'s acquire. */
	smp_store_release(&h->conn, conn);
	vtcp_handle_bound(h);
unlock:
	mutex_unlock(&h->lock);
	if (ret)
		return ret;
	return vtcp_stream_wait_connected(conn, nonblock);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_handle_connect);

/* Make the handle its device's packet channel. */
int vtcp_handle_packet(struct vtcp_handle *h, const struct vtcp_packet *req)
{
	struct mem_cgroup *memcg_old;
	struct vtcp_pktchan *chan;
	struct vtcp_device *vd;
	u32 queue_len;
	int ret;

	if (req->flags || req->__reserved || req->queue_len > VTCP_PKT_QUEUE_MAX)
		return -EINVAL;
	queue_len = req->queue_len ?: VTCP_PKT_QUEUE_DEFAULT;

	mutex_lock(&h->lock);
	vd = vtcp_handle_device(h, req->ifindex);
	ret = PTR_ERR_OR_ZERO(vd);
	if (ret)
		goto unlock;
	memcg_old = set_active_memcg(h->memcg);
	chan = vtcp_pktchan_create(vd, queue_len);
	set_active_memcg(memcg_old);
	vtcp_device_put(vd);
	ret = PTR_ERR_OR_ZERO(chan);
	if (!ret) {
		rcu_assign_pointer(chan->hwq, &h->wq);
		/* Publish it set up: pairs with vtcp_handle_pkt()'s acquire. */
		smp_store_release(&h->pkt, chan);
		vtcp_handle_bound(h);
	}
unlock:
	mutex_unlock(&h->lock);
	return ret;
}

/*
 * The device a bound handle (a listener or a packet channel) is on, held,
 * and the options its connections start with; checks @ifindex (0: that
 * device).
 */
static struct vtcp_device *vtcp_handle_bound_device(struct vtcp_handle *h,
						    int ifindex,
						    struct vtcp_cfg *cfg)
{
	struct vtcp_listener *lsn = vtcp_handle_lsn(h);
	struct vtcp_pktchan *chan = vtcp_handle_pkt(h);
	struct vtcp_device *vd = NULL;
	spinlock_t *lock;	/* the listener's, or the channel's queue's */

	if (!lsn && !chan)
		return ERR_PTR(-EINVAL);
	/* The device, held: the listener or channel lets go of it unlinked. */
	lock = lsn ? &lsn->lock : &chan->queue.lock;
	spin_lock_bh(lock);
	vd = lsn ? lsn->vd : chan->vd;
	if (vd && ifindex && ifindex != vd->dev->ifindex)
		vd = ERR_PTR(-EINVAL);
	else if (vd)
		dev_hold(vd->dev);
	*cfg = lsn ? lsn->cfg : h->cfg;
	spin_unlock_bh(lock);
	return vd ?: ERR_PTR(-ENODEV);
}

/*
 * CONNECT from a listener's or a packet channel's handle: a connection of
 * its own on that device, with the listener's (or the handle's) options,
 * and a reference for the caller. Established before it returns unless
 * @nonblock; on failure it is closed and the error returned.
 */
struct vtcp_conn *vtcp_handle_connect_fd(struct vtcp_handle *h,
					 const struct vtcp_connect *req,
					 bool nonblock)
{
	struct vtcp_device *vd;
	struct vtcp_tuple tuple;
	struct vtcp_conn *conn;
	struct vtcp_cfg cfg;
	int ret;

	ret = vtcp_handle_connect_tuple(req, &tuple);
	if (ret)
		return ERR_PTR(ret);
	vd = vtcp_handle_bound_device(h, req->ifindex, &cfg);
	if (IS_ERR(vd))
		return ERR_CAST(vd);
	conn = vtcp_handle_connect_open(vd, &tuple, &cfg, h->memcg, NULL);
	if (IS_ERR(conn) || nonblock)
		return conn;
	ret = vtcp_stream_wait_connected(conn, false);
	if (ret) {
		vtcp_stream_release(conn);
		return ERR_PTR(ret);
	}
	return conn;
}

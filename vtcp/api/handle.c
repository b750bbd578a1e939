// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vtcp handles: binding one as a listener or a connection, accepting.
 */

#include <linux/nsproxy.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "net/conn.h"
#include "net/device.h"
#include "api/handle.h"
#include "engine/isn.h"
#include "net/limits.h"
#include "net/listen.h"
#include "net/request.h"
#include "api/stream.h"

/* Ports vtcp picks for its own end of a connection (as Linux's default). */
#define VTCP_PORT_LOW		32768
#define VTCP_PORT_HIGH		60999
#define VTCP_BACKLOG_DEFAULT	128
#define VTCP_BACKLOG_MAX	65535

struct vtcp_handle *vtcp_handle_new(void)
{
	struct vtcp_handle *h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);

	if (!h)
		return NULL;
	mutex_init(&h->lock);
	h->net = get_net(current->nsproxy->net_ns);
	vtcp_cfg_default(&h->cfg);
	return h;
}

void vtcp_handle_release(struct vtcp_handle *h)
{
	if (h->lsn)
		vtcp_listener_close(h->lsn);
	if (h->conn)
		vtcp_stream_release(h->conn);
	if (h->net)
		put_net(h->net);
	mutex_destroy(&h->lock);
	kfree(h);
}

/*
 * The handle is bound (h->lock held): it reaches its device through its
 * listener or connection from now on, and lets its namespace go, so that
 * deleting the namespace deletes the device and ends them. Only unbound
 * handles keep their namespace alive, as unconnected sockets do.
 */
static void vtcp_handle_bound(struct vtcp_handle *h)
	__must_hold(&h->lock)
{
	lockdep_assert_held(&h->lock);
	put_net(h->net);
	h->net = NULL;
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
	ret = -EISCONN;
	if (h->lsn || h->conn)
		goto unlock;
	ret = -ENODEV;
	vd = vtcp_device_get(h->net, req->ifindex);
	if (!vd)
		goto unlock;
	lsn = vtcp_listener_create(vd, family, &addr, req->local.port, backlog,
				   req->flags & VTCP_LISTEN_DEFER, &h->cfg);
	vtcp_device_put(vd);
	ret = PTR_ERR_OR_ZERO(lsn);
	if (!ret) {
		/* Publish it set up: pairs with vtcp_handle_lsn()'s acquire. */
		smp_store_release(&h->lsn, lsn);
		vtcp_handle_bound(h);
	}
unlock:
	mutex_unlock(&h->lock);
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

/* Insert @conn with a port of ours picked at random from the range. */
static int vtcp_handle_bind_ephemeral(struct vtcp_conn *conn)
{
	u32 range = VTCP_PORT_HIGH - VTCP_PORT_LOW + 1;
	u32 start = get_random_u32_below(range);
	u32 i;

	for (i = 0; i < range; i++) {
		u16 port = VTCP_PORT_LOW + (start + i) % range;
		int ret;

		conn->tuple.lport = htons(port);
		ret = vtcp_conn_insert(conn);
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
 * The core of both CONNECTs: a connection on @vd for @tuple, in the table
 * and its SYN sent, with a reference for the caller.
 */
static struct vtcp_conn *vtcp_handle_connect_open(struct vtcp_device *vd,
						  const struct vtcp_tuple *tuple,
						  const struct vtcp_cfg *cfg)
{
	struct vtcp_conn *conn;
	u64 now;
	int ret;

	conn = vtcp_over_limits() ? NULL :
	       vtcp_conn_alloc(vd, tuple, cfg, GFP_KERNEL_ACCOUNT);
	if (!conn)
		return ERR_PTR(-ENOBUFS);
	if (tuple->lport) {
		ret = vtcp_conn_insert(conn);
		if (ret == -EEXIST)
			ret = -EADDRINUSE;
	} else {
		ret = vtcp_handle_bind_ephemeral(conn);
	}
	if (ret) {
		vtcp_conn_discard(conn);
		return ERR_PTR(ret);
	}
	now = vtcp_now();
	vtcp_conn_lock(conn);
	vtcp_connect(&conn->tcb, vtcp_isn(&vtcp_secret, &conn->tuple, now),
		     vtcp_isn_ts_offset(&vtcp_secret, &conn->tuple), now);
	vtcp_dev_count(conn->vd, VTCP_CNT_ACTIVE_OPENS);
	vtcp_conn_unlock(conn);
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
	ret = -EISCONN;
	if (h->lsn)
		goto unlock;
	ret = -ENODEV;
	vd = vtcp_device_get(h->net, req->ifindex);
	if (!vd)
		goto unlock;
	conn = vtcp_handle_connect_open(vd, &tuple, &h->cfg);
	vtcp_device_put(vd);
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

/*
 * CONNECT from a listener's handle: a connection of its own on the
 * listener's device, with the listener's options, and a reference for the
 * caller. Established before it returns unless @nonblock; on failure it is
 * closed and the error returned.
 */
struct vtcp_conn *vtcp_handle_connect_fd(struct vtcp_handle *h,
					 const struct vtcp_connect *req,
					 bool nonblock)
{
	struct vtcp_listener *lsn = vtcp_handle_lsn(h);
	struct vtcp_device *vd;
	struct vtcp_tuple tuple;
	struct vtcp_conn *conn;
	struct vtcp_cfg cfg;
	int ret;

	if (!lsn)
		return ERR_PTR(-EINVAL);
	ret = vtcp_handle_connect_tuple(req, &tuple);
	if (ret)
		return ERR_PTR(ret);
	/* The listener's device, held: it lets it go when unlinked. */
	spin_lock_bh(&lsn->lock);
	vd = lsn->vd;
	if (vd && req->ifindex && req->ifindex != vd->dev->ifindex)
		ret = -EINVAL;
	else if (vd)
		dev_hold(vd->dev);
	cfg = lsn->cfg;
	spin_unlock_bh(&lsn->lock);
	if (ret)
		return ERR_PTR(ret);
	if (!vd)
		return ERR_PTR(-ENODEV);
	conn = vtcp_handle_connect_open(vd, &tuple, &cfg);
	vtcp_device_put(vd);
	if (IS_ERR(conn) || nonblock)
		return conn;
	ret = vtcp_stream_wait_connected(conn, false);
	if (ret) {
		vtcp_stream_release(conn);
		return ERR_PTR(ret);
	}
	return conn;
}

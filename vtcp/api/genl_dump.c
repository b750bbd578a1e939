// SPDX-License-Identifier: GPL-2.0
/*
 * conn-get's dump (see genl.c): device by device, listeners, then
 * connections, then TIME-WAIT entries, at most VTCP_GENL_DUMP_VISITS
 * objects a message, the place kept in struct vtcp_genl_dump.
 */

#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "tuple.h"
#include "api/genl-gen.h"
#include "api/genl.h"
#include "api/handle.h"
#include "api/info.h"
#include "net/conn.h"
#include "net/device.h"
#include "net/listen.h"
#include "net/tw.h"
#include "net/walk.h"

/* Objects one dump message may look at, whether or not they match. */
#define VTCP_GENL_DUMP_VISITS	256

enum vtcp_genl_phase {
	VTCP_GENL_LISTENERS,
	VTCP_GENL_CONNS,
	VTCP_GENL_TWS,
	VTCP_GENL_NEXT_DEV,	/* this device is done */
};

/* A dump of connections in progress: in cb->ctx, from start to done. */
struct vtcp_genl_dump {
	struct vtcp_genl_filter filter;
	u32 ifindex;		/* the device in progress; 0: none yet */
	enum vtcp_genl_phase phase;
	u32 pos;		/* listeners sent or passed over */
	struct vtcp_walk walk;	/* in the connection or TIME-WAIT table */
	u32 gen;		/* times a table changed under the dump */
	/* The message being filled. */
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned int visits;
	struct vtcp_info info;
};

static_assert(sizeof(struct vtcp_genl_dump *) <=
	      sizeof_field(struct netlink_callback, ctx));

static struct vtcp_genl_dump *vtcp_genl_dump_of(struct netlink_callback *cb)
{
	return *(struct vtcp_genl_dump **)cb->ctx;
}

/* Stop the message once it looked at its share of objects. */
static int vtcp_genl_visit(struct vtcp_genl_dump *d)
{
	if (d->visits >= VTCP_GENL_DUMP_VISITS)
		return -ENOSPC;
	d->visits++;
	return 0;
}

static int vtcp_genl_dump_put(struct vtcp_genl_dump *d,
			      enum vtcp_genl_kind kind)
{
	struct netlink_callback *cb = d->cb;
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &vtcp_nl_family, NLM_F_MULTI,
			  VTCP_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	cb->seq = d->gen + 1;
	genl_dump_check_consistent(cb, hdr);
	if (vtcp_genl_put_info(d->skb, &d->info, kind)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

static int vtcp_genl_dump_listeners(struct vtcp_genl_dump *d,
				    struct vtcp_device *vd)
{
	const struct vtcp_genl_filter *f = &d->filter;
	struct vtcp_listener *lsn;
	u32 i = 0;
	int ret;

	/* A device has few listeners: their place is an index. */
	hlist_for_each_entry_rcu(lsn, &vd->listeners, node) {
		if (i++ < d->pos)
			continue;
		ret = vtcp_genl_visit(d);
		if (ret)
			return ret;
		if (!f->has_remote && vtcp_genl_state_match(f, VTCP_LISTEN) &&
		    (!f->has_local ||
		     vtcp_genl_ep_match(&f->local, lsn->family, &lsn->addr,
					lsn->port))) {
			vtcp_info_listener(lsn, &d->info);
			if (d->info.state == VTCP_LISTEN) {
				ret = vtcp_genl_dump_put(d, VTCP_GENL_LISTENER);
				if (ret)
					return ret;
			}
		}
		d->pos++;
	}
	return 0;
}

static int vtcp_genl_dump_conn(void *obj, void *arg)
{
	struct vtcp_genl_dump *d = arg;
	struct vtcp_conn *conn = obj;
	int ret;

	ret = vtcp_genl_visit(d);
	if (ret)
		return ret;
	if (!vtcp_genl_tuple_match(&d->filter, &conn->tuple) ||
	    !refcount_inc_not_zero(&conn->refs))
		return 0;
	vtcp_info_conn(conn, &d->info);
	vtcp_conn_put(conn);
	if (!vtcp_genl_state_match(&d->filter, d->info.state))
		return 0;
	return vtcp_genl_dump_put(d, VTCP_GENL_CONN);
}

static int vtcp_genl_dump_tw(void *arg, const struct vtcp_tuple *t)
{
	struct vtcp_genl_dump *d = arg;
	int ret;

	ret = vtcp_genl_visit(d);
	if (ret)
		return ret;
	if (!vtcp_genl_tuple_match(&d->filter, t) ||
	    !vtcp_genl_state_match(&d->filter, VTCP_TIME_WAIT))
		return 0;
	memset(&d->info, 0, sizeof(d->info));
	d->info.state = VTCP_TIME_WAIT;
	d->info.ifindex = d->ifindex;
	vtcp_endpoint_from(&d->info.local, t->family, &t->local, t->lport);
	vtcp_endpoint_from(&d->info.remote, t->family, &t->remote, t->rport);
	return vtcp_genl_dump_put(d, VTCP_GENL_TW);
}

/* Go on with @vd from the dump's place: 0 once it is done. */
static int vtcp_genl_dump_dev(struct vtcp_genl_dump *d,
			      struct vtcp_device *vd)
{
	u16 restarts = d->walk.restarts;
	int ret = 0;

	switch (d->phase) {
	case VTCP_GENL_LISTENERS:
		ret = vtcp_genl_dump_listeners(d, vd);
		if (ret)
			break;
		d->phase = VTCP_GENL_CONNS;
		memset(&d->walk, 0, sizeof(d->walk));
		restarts = 0;
		fallthrough;
	case VTCP_GENL_CONNS:
		ret = vtcp_walk_table(&vd->conns, &d->walk,
				      vtcp_genl_dump_conn, d);
		if (ret)
			break;
		d->phase = VTCP_GENL_TWS;
		if (d->walk.restarts != restarts)
			d->gen++;
		memset(&d->walk, 0, sizeof(d->walk));
		restarts = 0;
		fallthrough;
	case VTCP_GENL_TWS:
		ret = vtcp_tw_walk(vd, &d->walk, vtcp_genl_dump_tw, d);
		if (ret)
			break;
		d->phase = VTCP_GENL_NEXT_DEV;
		break;
	case VTCP_GENL_NEXT_DEV:
		break;
	}
	if (d->walk.restarts != restarts)
		d->gen++;
	return ret;
}

/* The device the dump is at, or the next one, from its first phase. */
static struct net_device *vtcp_genl_dump_at(struct net *net,
					    struct vtcp_genl_dump *d)
{
	struct net_device *dev;

	if (d->ifindex && d->phase != VTCP_GENL_NEXT_DEV) {
		dev = dev_get_by_index_rcu(net, d->ifindex);
		if (dev && vtcp_is_device(dev))
			return dev;
	}
	dev = vtcp_genl_next_dev(net, d->ifindex, d->filter.ifindex);
	if (dev) {
		d->ifindex = dev->ifindex;
		d->phase = VTCP_GENL_LISTENERS;
		d->pos = 0;
		memset(&d->walk, 0, sizeof(d->walk));
	}
	return dev;
}

int vtcp_nl_conn_dump_start(struct netlink_callback *cb)
{
	struct vtcp_genl_dump *d;
	int ret;

	ret = vtcp_genl_may(cb->skb, sock_net(cb->skb->sk), cb->extack);
	if (ret)
		return ret;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	ret = vtcp_genl_parse_filter(vtcp_compat_dump_attrs(cb), &d->filter,
				     cb->extack);
	if (ret) {
		kfree(d);
		return ret;
	}
	*(struct vtcp_genl_dump **)cb->ctx = d;
	return 0;
}

int vtcp_nl_conn_dump_done(struct netlink_callback *cb)
{
	kfree(vtcp_genl_dump_of(cb));
	return 0;
}

int vtcp_nl_conn_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vtcp_genl_dump *d = vtcp_genl_dump_of(cb);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int ret = 0;

	d->skb = skb;
	d->cb = cb;
	d->visits = 0;
	rcu_read_lock();
	while (!ret && (dev = vtcp_genl_dump_at(net, d)))
		ret = vtcp_genl_dump_dev(d, netdev_priv(dev));
	rcu_read_unlock();
	vtcp_walk_note_visits(d->visits);
	if (ret == -EMSGSIZE && !skb->len)
		return ret;	/* one object larger than a message */
	if (ret == -ENOSPC && !skb->len)
		return 1;	/* nothing matched yet: an empty message */
	return skb->len;
}


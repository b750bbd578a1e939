// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "vtcp" (Documentation/netlink/specs/vtcp.yaml;
 * policies and ops table generated into genl-gen.c): devices with their
 * counters and drop reasons, and every listener, connection and TIME-WAIT
 * entry, with what VTCP_IOC_INFO reports of each.
 *
 * Everything is of the caller's network namespace (the family is netnsok;
 * the namespace is the socket's), and needs CAP_NET_ADMIN over it: in the
 * user namespace that owns it, as GENL_UNS_ADMIN_PERM would check.
 *
 * A dump of connections goes device by device (in ifindex order): its
 * listeners, then its connection table, then its TIME-WAIT table. Each
 * message is filled in one RCU section and looks at no more than
 * VTCP_GENL_DUMP_VISITS objects, so that no dump holds RCU across a whole
 * table nor works without bound for a message that a filter leaves empty
 * (such a message goes out empty: read on until NLMSG_DONE). The place is
 * kept between messages as a device, a phase and a position in the phase
 * (net/walk.h), never as a reference: a device deleted during a dump is
 * skipped. A table that changed shape under the walk marks the next
 * message NLM_F_DUMP_INTR.
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

static const char *const vtcp_genl_drop_names[VTCP_DROP_MAX] = {
#define VTCP_DROP_REASON(reason, name)	\
	[VTCP_DROP_##reason] = name,
#include "drop.h"
#undef VTCP_DROP_REASON
};

static const char *const vtcp_genl_counter_names[VTCP_CNT_MAX] = {
#define VTCP_COUNTER(counter, name)	\
	[VTCP_CNT_##counter] = name,
#include "net/device.h"
#undef VTCP_COUNTER
};

/* One end of a filter: the parts given must match. */
struct vtcp_genl_ep {
	u8 family;		/* 0: any */
	bool has_addr;
	__be16 port;		/* 0: any */
	union vtcp_addr addr;
};

struct vtcp_genl_filter {
	u32 ifindex;		/* 0: every device */
	u32 state_mask;		/* 0: every state */
	bool has_local, has_remote;
	struct vtcp_genl_ep local, remote;
};

enum vtcp_genl_kind {
	VTCP_GENL_CONN,
	VTCP_GENL_LISTENER,
	VTCP_GENL_TW,
};

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

/* As for GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN over the namespace. */
static int vtcp_genl_may(struct sk_buff *skb, struct net *net,
			 struct netlink_ext_ack *extack)
{
	if (netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "CAP_NET_ADMIN over the network namespace is needed");
	return -EPERM;
}

static int vtcp_genl_parse_ep(const struct nlattr *nest,
			      struct vtcp_genl_ep *ep,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VTCP_A_ENDPOINT_MAX + 1];
	const struct nlattr *a;
	u8 family = 0;
	int ret;

	memset(ep, 0, sizeof(*ep));
	ret = nla_parse_nested(tb, VTCP_A_ENDPOINT_MAX, nest,
			       vtcp_endpoint_nl_policy, extack);
	if (ret)
		return ret;
	if (tb[VTCP_A_ENDPOINT_FAMILY]) {
		family = nla_get_u16(tb[VTCP_A_ENDPOINT_FAMILY]);
		if (family != AF_UNSPEC && family != AF_INET &&
		    family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VTCP_A_ENDPOINT_FAMILY],
					    "family is AF_INET or AF_INET6");
			return -EAFNOSUPPORT;
		}
	}
	if (tb[VTCP_A_ENDPOINT_PORT])
		ep->port = nla_get_be16(tb[VTCP_A_ENDPOINT_PORT]);
	a = tb[VTCP_A_ENDPOINT_ADDR];
	if (a) {
		u8 afamily = nla_len(a) == 4 ? AF_INET :
			     nla_len(a) == 16 ? AF_INET6 : 0;

		if (!afamily || (family && family != afamily)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "addr is 4 bytes for AF_INET, 16 for AF_INET6");
			return -EINVAL;
		}
		family = afamily;
		nla_memcpy(&ep->addr, a, sizeof(ep->addr));
		ep->has_addr = !!memchr_inv(&ep->addr, 0, sizeof(ep->addr));
	}
	ep->family = family;
	return 0;
}

static int vtcp_genl_parse_filter(struct nlattr **attrs,
				  struct vtcp_genl_filter *f,
				  struct netlink_ext_ack *extack)
{
	int ret;

	memset(f, 0, sizeof(*f));
	if (attrs[VTCP_A_CONN_IFINDEX])
		f->ifindex = nla_get_u32(attrs[VTCP_A_CONN_IFINDEX]);
	if (attrs[VTCP_A_CONN_STATE_MASK])
		f->state_mask = nla_get_u32(attrs[VTCP_A_CONN_STATE_MASK]);
	if (attrs[VTCP_A_CONN_LOCAL]) {
		f->has_local = true;
		ret = vtcp_genl_parse_ep(attrs[VTCP_A_CONN_LOCAL], &f->local,
					 extack);
		if (ret)
			return ret;
	}
	if (attrs[VTCP_A_CONN_REMOTE]) {
		f->has_remote = true;
		ret = vtcp_genl_parse_ep(attrs[VTCP_A_CONN_REMOTE], &f->remote,
					 extack);
		if (ret)
			return ret;
	}
	return 0;
}

static bool vtcp_genl_ep_match(const struct vtcp_genl_ep *ep, u8 family,
			       const union vtcp_addr *addr, __be16 port)
{
	size_t len = family == AF_INET ? sizeof(addr->ip) : sizeof(addr->ip6);

	if (ep->family && ep->family != family)
		return false;
	if (ep->port && ep->port != port)
		return false;
	return !ep->has_addr || !memcmp(&ep->addr, addr, len);
}

static bool vtcp_genl_tuple_match(const struct vtcp_genl_filter *f,
				  const struct vtcp_tuple *t)
{
	return (!f->has_local || vtcp_genl_ep_match(&f->local, t->family,
						    &t->local, t->lport)) &&
	       (!f->has_remote || vtcp_genl_ep_match(&f->remote, t->family,
						     &t->remote, t->rport));
}

static bool vtcp_genl_state_match(const struct vtcp_genl_filter *f, u8 state)
{
	return !f->state_mask || (f->state_mask & BIT(state));
}

static int vtcp_genl_put_ep(struct sk_buff *skb, int type,
			    const struct vtcp_endpoint *ep)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u16(skb, VTCP_A_ENDPOINT_FAMILY, ep->family) ||
	    nla_put_be16(skb, VTCP_A_ENDPOINT_PORT, ep->port) ||
	    (ep->family == AF_INET &&
	     nla_put(skb, VTCP_A_ENDPOINT_ADDR, 4, &ep->addr4)) ||
	    (ep->family == AF_INET6 &&
	     nla_put(skb, VTCP_A_ENDPOINT_ADDR, 16, ep->addr6)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What a connection reports: every field of struct vtcp_info. */
static int vtcp_genl_put_conn_info(struct sk_buff *skb,
				   const struct vtcp_info *i)
{
	if (nla_put_u8(skb, VTCP_A_CONN_CA_STATE, i->ca_state) ||
	    nla_put_u8(skb, VTCP_A_CONN_OPTIONS, i->options) ||
	    nla_put_u8(skb, VTCP_A_CONN_SND_WSCALE, i->snd_wscale) ||
	    nla_put_u8(skb, VTCP_A_CONN_RCV_WSCALE, i->rcv_wscale) ||
	    nla_put_u8(skb, VTCP_A_CONN_BACKOFF, i->backoff) ||
	    nla_put_u8(skb, VTCP_A_CONN_PROBES, i->probes) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTO, i->rto) ||
	    nla_put_u32(skb, VTCP_A_CONN_SRTT, i->srtt) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTTVAR, i->rttvar) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTT_MIN, i->rtt_min) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_MSS, i->snd_mss) ||
	    nla_put_u32(skb, VTCP_A_CONN_RCV_MSS, i->rcv_mss) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_CWND, i->snd_cwnd) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_SSTHRESH, i->snd_ssthresh) ||
	    nla_put_u32(skb, VTCP_A_CONN_SND_WND, i->snd_wnd) ||
	    nla_put_u32(skb, VTCP_A_CONN_RCV_WND, i->rcv_wnd) ||
	    nla_put_u32(skb, VTCP_A_CONN_UNACKED, i->unacked) ||
	    nla_put_u32(skb, VTCP_A_CONN_SACKED, i->sacked) ||
	    nla_put_u32(skb, VTCP_A_CONN_LOST, i->lost) ||
	    nla_put_u32(skb, VTCP_A_CONN_RETRANS, i->retrans) ||
	    nla_put_u32(skb, VTCP_A_CONN_REORDERING, i->reordering) ||
	    nla_put_u32(skb, VTCP_A_CONN_NOTSENT, i->notsent) ||
	    nla_put_s32(skb, VTCP_A_CONN_ERROR, i->error) ||
	    nla_put_u64_64bit(skb, VTCP_A_CONN_BYTES_SENT, i->bytes_sent,
			      VTCP_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, VTCP_A_CONN_BYTES_RETRANS,
			      i->bytes_retrans, VTCP_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, VTCP_A_CONN_BYTES_ACKED, i->bytes_acked,
			      VTCP_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, VTCP_A_CONN_BYTES_RECEIVED,
			      i->bytes_received, VTCP_A_CONN_PAD) ||
	    nla_put_u32(skb, VTCP_A_CONN_SEGS_OUT, i->segs_out) ||
	    nla_put_u32(skb, VTCP_A_CONN_SEGS_IN, i->segs_in) ||
	    nla_put_u32(skb, VTCP_A_CONN_DATA_SEGS_OUT, i->data_segs_out) ||
	    nla_put_u32(skb, VTCP_A_CONN_DATA_SEGS_IN, i->data_segs_in) ||
	    nla_put_u32(skb, VTCP_A_CONN_TOTAL_RETRANS, i->total_retrans) ||
	    nla_put_u32(skb, VTCP_A_CONN_RTO_EXPIRATIONS,
			i->rto_expirations) ||
	    nla_put_u32(skb, VTCP_A_CONN_FAST_RETRANS, i->fast_retrans) ||
	    nla_put_u32(skb, VTCP_A_CONN_DSACKS, i->dsacks) ||
	    nla_put_u32(skb, VTCP_A_CONN_OOO_SEGS, i->ooo_segs) ||
	    nla_put_u32(skb, VTCP_A_CONN_CHALLENGE_ACKS, i->challenge_acks) ||
	    nla_put_u32(skb, VTCP_A_CONN_ZERO_WINDOW_PROBES,
			i->zero_window_probes) ||
	    nla_put_u32(skb, VTCP_A_CONN_KEEPALIVE_PROBES,
			i->keepalive_probes))
		return -EMSGSIZE;
	return 0;
}

/* One object's attributes: what @kind has of struct vtcp_info. */
static int vtcp_genl_put_info(struct sk_buff *skb, const struct vtcp_info *i,
			      enum vtcp_genl_kind kind)
{
	if (nla_put_u32(skb, VTCP_A_CONN_IFINDEX, i->ifindex) ||
	    nla_put_u8(skb, VTCP_A_CONN_STATE, i->state) ||
	    vtcp_genl_put_ep(skb, VTCP_A_CONN_LOCAL, &i->local))
		return -EMSGSIZE;
	if (kind == VTCP_GENL_LISTENER)
		return nla_put_u32(skb, VTCP_A_CONN_RCV_QUEUED, i->rcv_queued) ?:
		       nla_put_string(skb, VTCP_A_CONN_CONGESTION,
				      i->congestion);
	if (vtcp_genl_put_ep(skb, VTCP_A_CONN_REMOTE, &i->remote))
		return -EMSGSIZE;
	if (kind == VTCP_GENL_TW)
		return 0;
	if (nla_put_u32(skb, VTCP_A_CONN_RCV_QUEUED, i->rcv_queued) ||
	    nla_put_string(skb, VTCP_A_CONN_CONGESTION, i->congestion))
		return -EMSGSIZE;
	return vtcp_genl_put_conn_info(skb, i);
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

/* The vtcp device of @net after @ifindex, or that of @only. Under RCU. */
static struct net_device *vtcp_genl_next_dev(struct net *net, u32 ifindex,
					     u32 only)
{
	struct net_device *dev, *next = NULL;

	if (only) {
		dev = ifindex < only ? dev_get_by_index_rcu(net, only) : NULL;
		return dev && vtcp_is_device(dev) ? dev : NULL;
	}
	for_each_netdev_rcu(net, dev)
		if (vtcp_is_device(dev) && dev->ifindex > ifindex &&
		    (!next || dev->ifindex < next->ifindex))
			next = dev;
	return next;
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

static int vtcp_genl_put_stats(struct sk_buff *skb, int type,
			       const char *const *names, const u64 *values,
			       unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;	/* drop reason 0: not a drop */
		nest = nla_nest_start(skb, type);
		if (!nest ||
		    nla_put_string(skb, VTCP_A_STAT_NAME, names[i]) ||
		    nla_put_u64_64bit(skb, VTCP_A_STAT_VALUE, values[i],
				      VTCP_A_STAT_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int vtcp_genl_put_dev(struct sk_buff *skb, struct net_device *dev)
{
	struct vtcp_device *vd = netdev_priv(dev);
	struct vtcp_dev_sums sum;

	vtcp_dev_sum(vd, &sum);
	if (nla_put_u32(skb, VTCP_A_DEV_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VTCP_A_DEV_NAME, dev->name) ||
	    nla_put_u64_64bit(skb, VTCP_A_DEV_RX_PACKETS, sum.rx_packets,
			      VTCP_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, VTCP_A_DEV_RX_BYTES, sum.rx_bytes,
			      VTCP_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, VTCP_A_DEV_TX_PACKETS, sum.tx_packets,
			      VTCP_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, VTCP_A_DEV_TX_BYTES, sum.tx_bytes,
			      VTCP_A_DEV_PAD) ||
	    nla_put_u32(skb, VTCP_A_DEV_CONNS,
			atomic_read(&vd->conns.nelems)) ||
	    nla_put_u32(skb, VTCP_A_DEV_TIME_WAIT,
			atomic_read(&vd->tws.nelems)))
		return -EMSGSIZE;
	return vtcp_genl_put_stats(skb, VTCP_A_DEV_DROP, vtcp_genl_drop_names,
				   sum.drops, VTCP_DROP_MAX) ?:
	       vtcp_genl_put_stats(skb, VTCP_A_DEV_COUNTER,
				   vtcp_genl_counter_names, sum.counters,
				   VTCP_CNT_MAX);
}

int vtcp_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vtcp_device *vd;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = vtcp_genl_may(skb, genl_info_net(info), info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, VTCP_A_DEV_IFINDEX))
		return -EINVAL;
	vd = vtcp_device_get(genl_info_net(info),
			     nla_get_u32(info->attrs[VTCP_A_DEV_IFINDEX]));
	if (!vd) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VTCP_A_DEV_IFINDEX],
				    "no vtcp device of that index here");
		return -ENODEV;
	}
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err_put_device;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &vtcp_nl_family, 0,
				VTCP_CMD_DEV_GET);
	if (!hdr || vtcp_genl_put_dev(msg, vd->dev))
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	vtcp_device_put(vd);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
err_put_device:
	vtcp_device_put(vd);
	return ret;
}

int vtcp_nl_dev_dump_start(struct netlink_callback *cb)
{
	return vtcp_genl_may(cb->skb, sock_net(cb->skb->sk), cb->extack);
}

/* One message per device; cb->args[0] is the last ifindex sent. */
int vtcp_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = vtcp_compat_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	u32 only = 0;
	void *hdr;
	int ret = 0;

	if (attrs[VTCP_A_DEV_IFINDEX])
		only = nla_get_u32(attrs[VTCP_A_DEV_IFINDEX]);
	rcu_read_lock();
	while ((dev = vtcp_genl_next_dev(net, cb->args[0], only))) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vtcp_nl_family,
				  NLM_F_MULTI, VTCP_CMD_DEV_GET);
		ret = -EMSGSIZE;
		if (!hdr)
			break;
		if (vtcp_genl_put_dev(skb, dev)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = dev->ifindex;
		ret = 0;
	}
	rcu_read_unlock();
	return ret && !skb->len ? ret : skb->len;
}

/* One connection, named by its device and both ends. */
static int vtcp_genl_conn_tuple(struct genl_info *info,
				const struct vtcp_genl_filter *f,
				struct vtcp_tuple *t)
{
	const struct vtcp_genl_ep *l = &f->local, *r = &f->remote;

	if (!l->family || l->family != r->family || !l->port || !r->port ||
	    !l->has_addr || !r->has_addr) {
		NL_SET_ERR_MSG(info->extack,
			       "a connection is named by the family, address and port of both ends");
		return -EINVAL;
	}
	memset(t, 0, sizeof(*t));
	t->family = l->family;
	t->local = l->addr;
	t->remote = r->addr;
	t->lport = l->port;
	t->rport = r->port;
	return 0;
}

int vtcp_nl_conn_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct vtcp_genl_filter f;
	struct vtcp_info vinfo;
	struct vtcp_device *vd;
	struct vtcp_conn *conn;
	struct vtcp_tuple t;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = vtcp_genl_may(skb, net, info->extack);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, VTCP_A_CONN_IFINDEX) ||
	    GENL_REQ_ATTR_CHECK(info, VTCP_A_CONN_LOCAL) ||
	    GENL_REQ_ATTR_CHECK(info, VTCP_A_CONN_REMOTE))
		return -EINVAL;
	ret = vtcp_genl_parse_filter(info->attrs, &f, info->extack) ?:
	      vtcp_genl_conn_tuple(info, &f, &t);
	if (ret)
		return ret;
	vd = vtcp_device_get(net, f.ifindex);
	if (!vd) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VTCP_A_CONN_IFINDEX],
				    "no vtcp device of that index here");
		return -ENODEV;
	}
	rcu_read_lock();
	conn = vtcp_conn_lookup(vd, &t);
	if (conn && !refcount_inc_not_zero(&conn->refs))
		conn = NULL;
	rcu_read_unlock();
	vtcp_device_put(vd);
	if (!conn)
		return -ENOENT;
	vtcp_info_conn(conn, &vinfo);
	vtcp_conn_put(conn);
	if (!vtcp_genl_state_match(&f, vinfo.state))
		return -ENOENT;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vtcp_nl_family, 0,
				VTCP_CMD_CONN_GET);
	if (!hdr || vtcp_genl_put_info(msg, &vinfo, VTCP_GENL_CONN)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int vtcp_genl_init(void)
{
	return vtcp_compat_genl_register(&vtcp_nl_family);
}

void vtcp_genl_uninit(void)
{
	genl_unregister_family(&vtcp_nl_family);
}

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
 * genl.c has the family, its permission and dev-get; genl_conn.c
 * conn-get's filter, attributes and do; genl_dump.c conn-get's dump.
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
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "tuple.h"
#include "api/genl-gen.h"
#include "api/genl.h"

#include "net/device.h"

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

/* As for GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN over the namespace. */
int vtcp_genl_may(struct sk_buff *skb, struct net *net,
		  struct netlink_ext_ack *extack)
{
	if (netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "CAP_NET_ADMIN over the network namespace is needed");
	return -EPERM;
}

/* The vtcp device of @net after @ifindex, or that of @only. Under RCU. */
struct net_device *vtcp_genl_next_dev(struct net *net, u32 ifindex, u32 only)
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
		    nla_put_uint(skb, VTCP_A_STAT_VALUE, values[i]))
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
	    nla_put_uint(skb, VTCP_A_DEV_RX_PACKETS, sum.rx_packets) ||
	    nla_put_uint(skb, VTCP_A_DEV_RX_BYTES, sum.rx_bytes) ||
	    nla_put_uint(skb, VTCP_A_DEV_TX_PACKETS, sum.tx_packets) ||
	    nla_put_uint(skb, VTCP_A_DEV_TX_BYTES, sum.tx_bytes) ||
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

int vtcp_genl_init(void)
{
	return vtcp_compat_genl_register(&vtcp_nl_family);
}

void vtcp_genl_uninit(void)
{
	genl_unregister_family(&vtcp_nl_family);
}

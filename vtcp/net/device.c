// SPDX-License-Identifier: GPL-2.0
/*
 * The vtcp netdevice: an L3 device (no link header, no ARP, like tun in L3
 * mode). What the host transmits into it is what vtcp receives; what vtcp
 * sends, the device injects as received.
 *
 * It takes the host's large segments whole: SG, HW_CSUM and the software
 * GSO types let the host hand over up to 64 KiB in one skb with its TCP
 * checksum left to us (CHECKSUM_PARTIAL), exactly as loopback would.
 */

#include <kunit/visibility.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "net/conn.h"
#include "net/device.h"
#include "net/listen.h"
#include "net/perm.h"
#include "net/pktchan.h"
#include "net/rx.h"
#include "net/testhook.h"
#include "net/tw.h"

#define VTCP_DEFAULT_MTU	1500
/*
 * The receive features stand for what vtcp injects. GRO_HW (the default):
 * a segment larger than the MSS reaches the host as one GSO train, as a
 * NIC with hardware GRO would deliver it; "ethtool -K DEV rx-gro-hw off"
 * makes vtcp deliver MSS-sized packets, e.g. for tc to impair one by one.
 * RXCSUM: the checksum counts as verified; "rx-checksumming off" makes
 * vtcp deliver full checksums for the host to verify (and implies no
 * GRO_HW, by the core's rule).
 */
#define VTCP_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			 NETIF_F_GSO_SOFTWARE | NETIF_F_RXCSUM | NETIF_F_GRO_HW)

static unsigned int numdevs = 1;
module_param(numdevs, uint, 0444);
MODULE_PARM_DESC(numdevs,
		 "Devices made in the initial namespace at load (default 1)");

/*
 * ethtool -S names: every drop reason but "none", then the counters, each
 * from its list (drop.h, device.h).
 */
static const char vtcp_stat_names[][ETH_GSTRING_LEN] = {
#define VTCP_DROP_REASON(reason, name)	\
	[VTCP_DROP_##reason - 1] = name,
#include "drop.h"
#undef VTCP_DROP_REASON
#define VTCP_COUNTER(counter, name)	\
	[VTCP_DROP_MAX - 1 + VTCP_CNT_##counter] = name,
#include "net/device.h"
#undef VTCP_COUNTER
};

static_assert(ARRAY_SIZE(vtcp_stat_names) == VTCP_DROP_MAX - 1 + VTCP_CNT_MAX);

static netdev_tx_t vtcp_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vtcp_device *vd = netdev_priv(dev);
	struct vtcp_pcpu_stats *s = this_cpu_ptr(vd->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, skb->len);
	u64_stats_update_end(&s->syncp);
	vtcp_rx_enqueue(vd, skb);
	return NETDEV_TX_OK;
}

static int vtcp_dev_open(struct net_device *dev)
{
	vtcp_rx_open(netdev_priv(dev));
	return 0;
}

static int vtcp_dev_stop(struct net_device *dev)
{
	vtcp_rx_stop(netdev_priv(dev));
	return 0;
}

/* One CPU's counters, read consistently. */
static void vtcp_dev_read(const struct vtcp_pcpu_stats *s,
			  struct vtcp_dev_sums *one)
{
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		one->rx_packets = u64_stats_read(&s->rx_packets);
		one->rx_bytes = u64_stats_read(&s->rx_bytes);
		one->tx_packets = u64_stats_read(&s->tx_packets);
		one->tx_bytes = u64_stats_read(&s->tx_bytes);
		for (i = 0; i < VTCP_DROP_MAX; i++)
			one->drops[i] = u64_stats_read(&s->drops[i]);
		for (i = 0; i < VTCP_CNT_MAX; i++)
			one->counters[i] = u64_stats_read(&s->counters[i]);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

/* Sum every per-CPU counter: rx/tx packets and bytes, drops, counters. */
void vtcp_dev_sum(struct vtcp_device *vd, struct vtcp_dev_sums *sum)
{
	struct vtcp_dev_sums one;
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		vtcp_dev_read(per_cpu_ptr(vd->stats, cpu), &one);
		sum->rx_packets += one.rx_packets;
		sum->rx_bytes += one.rx_bytes;
		sum->tx_packets += one.tx_packets;
		sum->tx_bytes += one.tx_bytes;
		for (i = 0; i < VTCP_DROP_MAX; i++)
			sum->drops[i] += one.drops[i];
		for (i = 0; i < VTCP_CNT_MAX; i++)
			sum->counters[i] += one.counters[i];
	}
}

static void vtcp_dev_get_stats64(struct net_device *dev,
				 struct rtnl_link_stats64 *tot)
{
	struct vtcp_dev_sums sum;
	int i;

	vtcp_dev_sum(netdev_priv(dev), &sum);
	/* The host's view: what it sent us is its tx. */
	tot->tx_packets = sum.rx_packets;
	tot->tx_bytes = sum.rx_bytes;
	tot->rx_packets = sum.tx_packets;
	tot->rx_bytes = sum.tx_bytes;
	for (i = 1; i < VTCP_DROP_MAX; i++)
		tot->tx_dropped += sum.drops[i];
	tot->rx_dropped = sum.counters[VTCP_CNT_TX_DROPPED];
}

static int vtcp_dev_init(struct net_device *dev)
{
	struct vtcp_device *vd = netdev_priv(dev);
	int ret;

	vd->dev = dev;
	spin_lock_init(&vd->lock);
	INIT_HLIST_HEAD(&vd->listeners);
	vd->stats = netdev_alloc_pcpu_stats(struct vtcp_pcpu_stats);
	if (!vd->stats)
		return -ENOMEM;
	ret = vtcp_rx_init(vd);
	if (ret)
		goto err_free_stats;
	ret = vtcp_conn_table_init(vd);
	if (ret)
		goto err_uninit_rx;
	ret = vtcp_tw_table_init(vd);
	if (ret)
		goto err_uninit_conns;
	return 0;

err_uninit_conns:
	vtcp_conn_table_uninit(vd);
err_uninit_rx:
	vtcp_rx_uninit(vd);
err_free_stats:
	free_percpu(vd->stats);
	return ret;
}

/* Called once the device is closed and no packet reaches it any more. */
static void vtcp_dev_uninit(struct net_device *dev)
{
	struct vtcp_device *vd = netdev_priv(dev);

	/*
	 * First: a LISTEN or CONNECT that found the device before it was
	 * unlisted checks this under vd->lock, and so cannot add to a table
	 * already torn down (and hold the device until its file closes).
	 */
	spin_lock_bh(&vd->lock);
	vd->dead = true;
	spin_unlock_bh(&vd->lock);
	vtcp_listen_table_uninit(vd);
	vtcp_testhook_at(VTCP_HOOK_DEV_LISTENERS_DONE, vd);
	vtcp_conn_table_uninit(vd);
	/* After vd->dead is set (above): no channel can be bound after it. */
	vtcp_pktchan_uninit(vd);
	vtcp_tw_table_uninit(vd);
	vtcp_rx_uninit(vd);
	free_percpu(vd->stats);
}

static const struct net_device_ops vtcp_netdev_ops = {
	.ndo_init		= vtcp_dev_init,
	.ndo_uninit		= vtcp_dev_uninit,
	.ndo_open		= vtcp_dev_open,
	.ndo_stop		= vtcp_dev_stop,
	.ndo_start_xmit		= vtcp_dev_xmit,
	.ndo_get_stats64	= vtcp_dev_get_stats64,
};

static void vtcp_ethtool_get_drvinfo(struct net_device *dev,
				     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
}

static int vtcp_ethtool_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(vtcp_stat_names) : -EOPNOTSUPP;
}

static void vtcp_ethtool_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	if (sset == ETH_SS_STATS)
		memcpy(buf, vtcp_stat_names, sizeof(vtcp_stat_names));
}

static void vtcp_ethtool_get_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	struct vtcp_dev_sums sum;

	vtcp_dev_sum(netdev_priv(dev), &sum);
	/* Drop reason 0 is "none": the names start at reason 1. */
	memcpy(data, &sum.drops[1], (VTCP_DROP_MAX - 1) * sizeof(u64));
	memcpy(data + VTCP_DROP_MAX - 1, sum.counters, sizeof(sum.counters));
}

static const struct ethtool_ops vtcp_ethtool_ops = {
	.get_drvinfo		= vtcp_ethtool_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= vtcp_ethtool_get_sset_count,
	.get_strings		= vtcp_ethtool_get_strings,
	.get_ethtool_stats	= vtcp_ethtool_get_stats,
};

static void vtcp_dev_setup(struct net_device *dev)
{
	dev->netdev_ops = &vtcp_netdev_ops;
	dev->ethtool_ops = &vtcp_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = VTCP_DEFAULT_MTU;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->features |= VTCP_FEATURES;
	dev->hw_features |= VTCP_FEATURES;
	dev->hw_enc_features |= VTCP_FEATURES;
	vtcp_compat_set_lltx(dev);
	/*
	 * Listeners and connections were bound with a capability over this
	 * namespace (perm.c) and serve its traffic: moving the device would
	 * hand them another namespace's. Refused (EINVAL), as for loopback.
	 */
	vtcp_compat_set_netns_immutable(dev);
}

static int vtcp_dev_validate(struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG(extack,
			       "vtcp devices have no link-layer address");
		return -EINVAL;
	}
	return 0;
}

/*
 * ip link add: the device's namespace (where it stays) is known here, not
 * in validate.
 */
static int vtcp_dev_newlink(struct net *src_net, struct net_device *dev,
			    struct nlattr *tb[], struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	int ret = vtcp_perm_link(dev_net(dev));

	if (ret) {
		NL_SET_ERR_MSG(extack, "vtcp.unprivileged is off");
		return ret;
	}
	return register_netdevice(dev);
}

static struct rtnl_link_ops vtcp_link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.priv_size	= sizeof(struct vtcp_device),
	.setup		= vtcp_dev_setup,
	.validate	= vtcp_dev_validate,
	.newlink	= vtcp_dev_newlink,
};

bool vtcp_is_device(const struct net_device *dev)
{
	return dev->netdev_ops == &vtcp_netdev_ops;
}

/*
 * The vtcp device @ifindex in @net, with a reference, or NULL. A device
 * of another kind is as good as none.
 */
struct vtcp_device *vtcp_device_get(struct net *net, int ifindex)
{
	struct net_device *dev = dev_get_by_index(net, ifindex);

	if (!dev)
		return NULL;
	if (!vtcp_is_device(dev)) {
		dev_put(dev);
		return NULL;
	}
	return netdev_priv(dev);
}

void vtcp_device_put(struct vtcp_device *vd)
{
	dev_put(vd->dev);
}

/* Create and register a vtcp device in the initial namespace. */
VISIBLE_IF_KUNIT struct net_device *vtcp_device_add(const char *name)
{
	struct net_device *dev;
	int ret;

	ASSERT_RTNL();
	dev = alloc_netdev(sizeof(struct vtcp_device), name, NET_NAME_ENUM,
			   vtcp_dev_setup);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->rtnl_link_ops = &vtcp_link_ops;
	ret = register_netdevice(dev);
	if (ret < 0) {
		free_netdev(dev);
		return ERR_PTR(ret);
	}
	return dev;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_device_add);

int vtcp_device_init(void)
{
	unsigned int i;
	int ret;

	ret = rtnl_link_register(&vtcp_link_ops);
	if (ret)
		return ret;

	rtnl_lock();
	for (i = 0; i < numdevs && !ret; i++)
		ret = PTR_ERR_OR_ZERO(vtcp_device_add(KBUILD_MODNAME "%d"));
	rtnl_unlock();
	if (ret)
		goto err_unregister_link;
	return 0;

err_unregister_link:
	/* Also deletes the devices created before the failure. */
	rtnl_link_unregister(&vtcp_link_ops);
	return ret;
}

void vtcp_device_uninit(void)
{
	rtnl_link_unregister(&vtcp_link_ops);
}

MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_DEVICE_H
#define _VTCP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>

#include "drop.h"

/* Events worth counting that are not drops (ethtool -S). */
enum vtcp_counter {
	VTCP_CNT_ACTIVE_OPENS,
	VTCP_CNT_PASSIVE_OPENS,
	VTCP_CNT_RESETS_SENT,
	VTCP_CNT_COOKIES_SENT,
	VTCP_CNT_COOKIES_VALID,
	VTCP_CNT_WSCALE_CLAMPED,
	VTCP_CNT_TX_DROPPED,
	VTCP_CNT_MAX
};

/*
 * Counters kept per CPU so the packet paths never share a cache line. "rx"
 * is what vtcp receives (the host's transmissions into the device), "tx" is
 * what vtcp injects into the host; ndo_get_stats64 shows them from the
 * host's side, as any netdevice does.
 */
struct vtcp_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t drops[VTCP_DROP_MAX];
	u64_stats_t counters[VTCP_CNT_MAX];
	struct u64_stats_sync syncp;
};

struct vtcp_device {
	struct net_device *dev;
	struct vtcp_pcpu_stats __percpu *stats;
	struct vtcp_rx_cpu __percpu *rx;
	struct rhashtable conns;	/* struct vtcp_conn, by tuple */
	struct rhashtable tws;		/* struct vtcp_tw, by tuple */
	struct hlist_head listeners;	/* struct vtcp_listener, RCU */
	spinlock_t lock;		/* protects listeners (writers) */
	bool dead;			/* being unregistered */
};

int vtcp_device_init(void);
void vtcp_device_uninit(void);
void vtcp_dev_drop(struct vtcp_device *vd, enum vtcp_drop_reason reason);
void vtcp_dev_count(struct vtcp_device *vd, enum vtcp_counter counter);
void vtcp_dev_tx_stats(struct vtcp_device *vd, unsigned int len);
bool vtcp_is_device(const struct net_device *dev);
struct vtcp_device *vtcp_device_get(struct net *net, int ifindex);
void vtcp_device_put(struct vtcp_device *vd);

#if IS_ENABLED(CONFIG_KUNIT)
struct net_device *vtcp_device_add(const char *name);
#endif

#endif /* _VTCP_DEVICE_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VTCP_COUNTER

#ifndef _VTCP_DEVICE_H
#define _VTCP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>

#include "drop.h"

struct vtcp_pktchan;

/*
 * Events worth counting that are not drops (ethtool -S, after the drops).
 * Like the drop reasons (drop.h), they are one list, at the end of this
 * file, which device.c also reads for their names.
 */
enum vtcp_counter {
#define VTCP_COUNTER(counter, ...)	VTCP_CNT_##counter,
#include "net/device.h"
#undef VTCP_COUNTER
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

/* What the per-CPU counters add up to, on every CPU (vtcp_dev_sum). */
struct vtcp_dev_sums {
	u64 rx_packets;		/* vtcp's view: what the host sent it */
	u64 rx_bytes;
	u64 tx_packets;		/* what vtcp injected into the host */
	u64 tx_bytes;
	u64 drops[VTCP_DROP_MAX];
	u64 counters[VTCP_CNT_MAX];
};

/*
 * vd->lock serialises the writers of the listener list, and vd->dead
 * against every insert into the device's tables (connections, TIME-WAIT
 * entries, listeners): once dead is set under it, nothing more is added,
 * so the tables' teardown cannot miss an entry.
 */
struct vtcp_device {
	struct net_device *dev;
	struct vtcp_pcpu_stats __percpu *stats;
	struct vtcp_rx_cpu __percpu *rx;
	struct rhashtable conns;	/* struct vtcp_conn, by tuple */
	struct rhashtable tws;		/* struct vtcp_tw, by tuple */
	struct hlist_head listeners;	/* struct vtcp_listener, RCU */
	struct vtcp_pktchan __rcu *pktchan;	/* the packet channel, if any */
	spinlock_t lock;		/* listeners and pktchan (writers), dead */
	bool dead;			/* being unregistered */
};

int vtcp_device_init(void);
void vtcp_device_uninit(void);
bool vtcp_is_device(const struct net_device *dev);
struct vtcp_device *vtcp_device_get(struct net *net, int ifindex);
void vtcp_device_put(struct vtcp_device *vd);
void vtcp_dev_sum(struct vtcp_device *vd, struct vtcp_dev_sums *sum);

#if IS_ENABLED(CONFIG_KUNIT)
struct net_device *vtcp_device_add(const char *name);
#endif

/* A packet vtcp received was dropped, for @reason. */
static inline void vtcp_dev_drop(struct vtcp_device *vd,
				 enum vtcp_drop_reason reason)
{
	struct vtcp_pcpu_stats *s = this_cpu_ptr(vd->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->drops[reason]);
	u64_stats_update_end(&s->syncp);
}

static inline void vtcp_dev_count(struct vtcp_device *vd,
				  enum vtcp_counter counter)
{
	struct vtcp_pcpu_stats *s = this_cpu_ptr(vd->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->counters[counter]);
	u64_stats_update_end(&s->syncp);
}

/* vtcp injected a packet of @len bytes into the host. */
static inline void vtcp_dev_tx_stats(struct vtcp_device *vd, unsigned int len)
{
	struct vtcp_pcpu_stats *s = this_cpu_ptr(vd->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

#endif /* _VTCP_DEVICE_H */

#else /* VTCP_COUNTER: the list, with each counter's ethtool -S name */

VTCP_COUNTER(ACTIVE_OPENS,	"active_opens")
VTCP_COUNTER(PASSIVE_OPENS,	"passive_opens")
VTCP_COUNTER(RESETS_SENT,	"resets_sent")
VTCP_COUNTER(COOKIES_SENT,	"syncookies_sent")
VTCP_COUNTER(COOKIES_VALID,	"syncookies_valid")
VTCP_COUNTER(WSCALE_CLAMPED,	"wscale_clamped")
VTCP_COUNTER(TX_DROPPED,	"tx_dropped")
VTCP_COUNTER(SPLICE_LENT,	"splice_pages_lent")
VTCP_COUNTER(SPLICE_COPIED,	"splice_pages_copied")
/* An orphan reached TIME-WAIT past max_time_wait(_per_netns): closed. */
VTCP_COUNTER(TW_OVERFLOW,	"tw_overflow")
VTCP_COUNTER(PKT_READ,		"pkt_read")
VTCP_COUNTER(PKT_WRITTEN,	"pkt_written")
VTCP_COUNTER(PKT_MALFORMED,	"pkt_write_malformed")

#endif /* VTCP_COUNTER */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_CONN_H
#define _VTCP_CONN_H

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/wait.h>

#include "engine/tcb.h"
#include "tuple.h"

struct mem_cgroup;
struct vtcp_budget;
struct vtcp_device;
struct vtcp_listener;
struct vtcp_request;

/*
 * Locking, outermost first:
 *
 *   h->lock         mutex: binding a /dev/vtcp handle, its options
 *   conn->ulock     mutex: one reader or writer copies at a time
 *   conn->tcb.lock  spinlock, BH: the connection's lock, held whenever
 *                   the engine runs (vtcp_conn_lock/unlock)
 *   lsn->lock       a child joins its listener's accept queue, or
 *   vd->lock        a connection becomes a TIME-WAIT entry
 *
 * lsn->lock and vd->lock are never held together. tw->lock (tw.c) is
 * independent: taken under no other lock, it takes none. Lookups in a
 * device's tables and listener list need RCU only, which the packet path
 * has by running with BH disabled.
 */

/*
 * A connection: the engine's TCB plus what ties it to a device, a file and
 * a timer. tcb.lock is the connection's lock.
 *
 * References: one while in the device's table, one per file, one while the
 * timer is armed (timer_ref), one while in a listener's accept queue. Life
 * ends in two phases: vtcp_conn_kill() unlinks it, marks it dead and drops
 * the device; dead connections are never re-armed, never transmit and are
 * never found again; the last reference frees it after an RCU grace period,
 * since the packet path may still be looking at it.
 */
struct vtcp_conn {
	struct vtcp_tcb tcb;
	struct rhash_head node;		/* in vd->conns */
	struct vtcp_tuple tuple;
	struct vtcp_device *vd;		/* NULL once dead */
	netdevice_tracker dev_tracker;
	struct vtcp_listener *listener;	/* until the handshake ends */
	struct list_head accept_node;	/* in listener->acceptq or reqq */
	struct vtcp_request *req;	/* a deferred SYN not answered yet */
	wait_queue_head_t wq;
	/* CONNECT's /dev/vtcp handle's queue, woken with wq (RCU). */
	wait_queue_head_t __rcu *hwq;
	struct mutex ulock;		/* serialises readers and writers */
	struct hrtimer timer;
	u64 timer_at;			/* when it fires, if timer_ref */
	refcount_t refs;
	struct vtcp_budget *budget;	/* its namespace's, charged */
	struct mem_cgroup *memcg;	/* charged for it; NULL: none */
	struct mem_cgroup *memcg_old;	/* active outside tcb.lock */
	u32 rcv_mem;			/* bytes counted in the budgets */
	u32 snd_mem;
	u16 snap;			/* VTCP_SNAP_*, for lockless readers */
	u8 dead:1,
	   timer_ref:1,
	   deferred:1;			/* a deferred listener's child */
	struct {			/* what trace.c last saw */
		u32 cwnd;
		u32 ssthresh;
		u32 rtos;
		u8 ca_state;
	} seen;
	struct rcu_head rcu;
};

/*
 * What poll() and sleepers need to know, computed under the lock each time
 * it is released, so that they never read the TCB without it.
 */
enum {
	VTCP_SNAP_READABLE	= BIT(0),	/* data for read() */
	VTCP_SNAP_EOF		= BIT(1),	/* the peer's FIN came */
	VTCP_SNAP_RD_SHUT	= BIT(2),
	VTCP_SNAP_WR_SHUT	= BIT(3),	/* our FIN queued or sent */
	VTCP_SNAP_ERROR		= BIT(4),	/* an error pending */
	VTCP_SNAP_WRITEABLE	= BIT(5),	/* a third of sndbuf free */
	VTCP_SNAP_OPENING	= BIT(6),	/* SYN-SENT, SYN-RECEIVED */
	VTCP_SNAP_CAN_SEND	= BIT(7),	/* ESTABLISHED, CLOSE-WAIT */
	VTCP_SNAP_CLOSED	= BIT(8),
};

extern atomic_t vtcp_nconns;

int vtcp_conn_init(void);
void vtcp_conn_uninit(void);
int vtcp_conn_table_init(struct vtcp_device *vd);
void vtcp_conn_table_uninit(struct vtcp_device *vd);

struct vtcp_conn *vtcp_conn_alloc(struct vtcp_device *vd,
				  const struct vtcp_tuple *tuple,
				  const struct vtcp_cfg *cfg, gfp_t gfp);
int vtcp_conn_insert(struct vtcp_conn *conn);
void vtcp_conn_discard(struct vtcp_conn *conn);
struct vtcp_conn *vtcp_conn_lookup(struct vtcp_device *vd,
				   const struct vtcp_tuple *tuple);
void vtcp_conn_put(struct vtcp_conn *conn);
void vtcp_conn_lock(struct vtcp_conn *conn) __acquires(&conn->tcb.lock);
void vtcp_conn_unlock(struct vtcp_conn *conn) __releases(&conn->tcb.lock);

static inline struct vtcp_conn *vtcp_conn_of(struct vtcp_tcb *tcb)
{
	return container_of(tcb, struct vtcp_conn, tcb);
}

static inline void vtcp_conn_get(struct vtcp_conn *conn)
{
	refcount_inc(&conn->refs);
}

#endif /* _VTCP_CONN_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_LISTEN_H
#define _VTCP_LISTEN_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "net/parse.h"
#include "engine/tcb.h"

struct vtcp_conn;
struct vtcp_device;

/*
 * A listener: terminates connections to one address and port of a device,
 * either of which may be "any". Children live in the device's connection
 * table from the first SYN; until the handshake ends they only count
 * against synq_len (and hold a reference here); established ones wait in
 * the accept queue, which holds a reference on each.
 */
struct vtcp_listener {
	struct hlist_node node;		/* in vd->listeners, RCU */
	struct vtcp_device *vd;		/* NULL once unlinked */
	netdevice_tracker dev_tracker;
	u8 family;			/* 0: IPv4 and IPv6 */
	union vtcp_addr addr;		/* all zero: any */
	__be16 port;			/* 0: any */
	u32 backlog;
	u32 synq_max;
	bool defer;			/* VTCP_LISTEN_DEFER: requests */
	atomic_t synq_len;
	/*
	 * lock protects vd once the listener is published, acceptq,
	 * acceptq_len, reqq, dead and cfg. The packet path and poll() also
	 * read acceptq_len and dead without it (READ_ONCE), and acceptq and
	 * reqq with list_empty_careful().
	 */
	spinlock_t lock;
	struct list_head acceptq;
	u32 acceptq_len;
	/*
	 * A deferred listener's requests not taken yet, a reference on
	 * each; they count in synq_len, as every child in the handshake.
	 */
	struct list_head reqq;
	bool dead;
	struct vtcp_cfg cfg;		/* what children start with */
	struct mem_cgroup *memcg;	/* children are charged to it */
	u64 cookie_ns;			/* last cookie sent; no lock */
	wait_queue_head_t wq;		/* accept() and poll() waiters */
	/* Its /dev/vtcp handle's queue, woken with wq (RCU). */
	wait_queue_head_t __rcu *hwq;
	refcount_t refs;
	struct rcu_head rcu;
};

struct vtcp_listener *vtcp_listener_create(struct vtcp_device *vd, u8 family,
					   const union vtcp_addr *addr,
					   __be16 port, u32 backlog, bool defer,
					   const struct vtcp_cfg *cfg);
void vtcp_listener_close(struct vtcp_listener *lsn);
void vtcp_listener_put(struct vtcp_listener *lsn);
struct vtcp_listener *vtcp_listener_lookup(struct vtcp_device *vd,
					   const struct vtcp_tuple *tuple);
enum vtcp_drop_reason vtcp_listen_input(struct vtcp_listener *lsn,
					struct vtcp_device *vd,
					struct vtcp_pkt *pkt, u64 now);
struct vtcp_conn *vtcp_listen_accept(struct vtcp_listener *lsn);
struct vtcp_conn *vtcp_listen_take_request(struct vtcp_listener *lsn);
int vtcp_listen_request_unqueue(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock);
struct vtcp_listener *vtcp_listen_child_ready(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock);
struct vtcp_listener *vtcp_listen_child_gone(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock);
void vtcp_listen_table_uninit(struct vtcp_device *vd);

#endif /* _VTCP_LISTEN_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_HANDLE_H
#define _VTCP_HANDLE_H

#include <linux/mutex.h>
#include <linux/wait.h>
#include <uapi/linux/vtcp.h>

#include "engine/tcb.h"

struct mem_cgroup;
struct net;
struct vtcp_conn;
struct vtcp_listener;
struct vtcp_pktchan;

/*
 * What an open /dev/vtcp file is: unbound, then a listener, a connection
 * or a device's packet channel (published once with release semantics,
 * never changed again), and the options set so far. Accepted connections
 * have files of their own that point at the connection directly.
 */
struct vtcp_handle {
	struct mutex lock;		/* serialises binding and options */
	struct file *file;		/* its file: the opener's credentials */
	struct net *net;		/* opener's netns; NULL once bound */
	struct vtcp_cfg cfg;
	struct mem_cgroup *memcg;	/* the opener's: charged for all */
	struct vtcp_listener *lsn;
	struct vtcp_conn *conn;
	/*
	 * poll() always waits here, bound or not: epoll registers its wait
	 * once, maybe before LISTEN or CONNECT. The listener or connection
	 * wakes it through its hwq, which release clears; the handle is
	 * then freed after a grace period (the wakers read hwq under RCU).
	 */
	wait_queue_head_t wq;
	struct rcu_head rcu;
	struct vtcp_pktchan *pkt;
};

struct vtcp_handle *vtcp_handle_new(struct file *file);
void vtcp_handle_release(struct vtcp_handle *h);
int vtcp_handle_listen(struct vtcp_handle *h, const struct vtcp_listen *req);
struct vtcp_conn *vtcp_handle_accept(struct vtcp_handle *h,
				     struct vtcp_accept *req, bool nonblock);
int vtcp_handle_connect(struct vtcp_handle *h, const struct vtcp_connect *req,
			bool nonblock);
int vtcp_handle_packet(struct vtcp_handle *h, const struct vtcp_packet *req);
struct vtcp_conn *vtcp_handle_connect_fd(struct vtcp_handle *h,
					 const struct vtcp_connect *req,
					 bool nonblock);

/*
 * The binding is read without h->lock: the acquire pairs with the release
 * that published it, so a reader sees the object fully set up.
 */
static inline struct vtcp_conn *vtcp_handle_conn(struct vtcp_handle *h)
{
	/* Pairs with the release in vtcp_handle_connect(). */
	return smp_load_acquire(&h->conn);
}

static inline struct vtcp_listener *vtcp_handle_lsn(struct vtcp_handle *h)
{
	/* Pairs with the release in vtcp_handle_listen(). */
	return smp_load_acquire(&h->lsn);
}

static inline struct vtcp_pktchan *vtcp_handle_pkt(struct vtcp_handle *h)
{
	/* Pairs with the release in vtcp_handle_packet(). */
	return smp_load_acquire(&h->pkt);
}

void vtcp_endpoint_from(struct vtcp_endpoint *ep, u8 family,
			const union vtcp_addr *addr, __be16 port);

#endif /* _VTCP_HANDLE_H */

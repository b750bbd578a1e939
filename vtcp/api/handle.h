/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_HANDLE_H
#define _VTCP_HANDLE_H

#include <linux/mutex.h>
#include <uapi/linux/vtcp.h>

#include "engine/tcb.h"

struct net;
struct vtcp_conn;
struct vtcp_listener;

/*
 * What an open /dev/vtcp file is: unbound, then a listener or a connection
 * (published once with release semantics, never changed again), and the
 * options set so far. Accepted connections have files of their own that
 * point at the connection directly.
 */
struct vtcp_handle {
	struct mutex lock;		/* serialises binding and options */
	struct net *net;		/* opener's netns; NULL once bound */
	struct vtcp_cfg cfg;
	struct vtcp_listener *lsn;
	struct vtcp_conn *conn;
};

struct vtcp_handle *vtcp_handle_new(void);
void vtcp_handle_release(struct vtcp_handle *h);
int vtcp_handle_listen(struct vtcp_handle *h, const struct vtcp_listen *req);
struct vtcp_conn *vtcp_handle_accept(struct vtcp_handle *h,
				     struct vtcp_accept *req, bool nonblock);
int vtcp_handle_connect(struct vtcp_handle *h, const struct vtcp_connect *req,
			bool nonblock);
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

void vtcp_endpoint_from(struct vtcp_endpoint *ep, u8 family,
			const union vtcp_addr *addr, __be16 port);

#endif /* _VTCP_HANDLE_H */

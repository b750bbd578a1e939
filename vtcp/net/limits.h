/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_LIMITS_H
#define _VTCP_LIMITS_H

#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct mem_cgroup;
struct net;

/*
 * What a network namespace holds, counted against its own bounds and, in
 * vtcp_budget_all, against the module's. Connections and TIME-WAIT entries
 * may outlive their namespace (a file keeps a connection), so each holds a
 * reference on its namespace's budget; the namespace holds one until it
 * goes.
 */
struct vtcp_budget {
	refcount_t refs;
	atomic_t conns;			/* connections charged */
	atomic_t tws;			/* TIME-WAIT entries */
	atomic_long_t rcv_mem;		/* receive-queue truesize, bytes */
	atomic_long_t snd_mem;		/* send-queue bytes */
};

extern struct vtcp_budget vtcp_budget_all;

int vtcp_limits_init(void);
void vtcp_limits_uninit(void);

u64 vtcp_now(void);

struct vtcp_budget *vtcp_budget_of(const struct net *net);
void vtcp_budget_put(struct vtcp_budget *b);

bool vtcp_budget_conn_charge(struct vtcp_budget *b);
void vtcp_budget_conn_uncharge(struct vtcp_budget *b);
bool vtcp_budget_tw_charge(struct vtcp_budget *b);
void vtcp_budget_tw_uncharge(struct vtcp_budget *b);
void vtcp_budget_mem(struct vtcp_budget *b, long rcv, long snd);
bool vtcp_budget_rcv_over(const struct vtcp_budget *b);
bool vtcp_budget_snd_over(const struct vtcp_budget *b);

struct mem_cgroup *vtcp_memcg_get_active(void);
void vtcp_memcg_put(struct mem_cgroup *memcg);

#endif /* _VTCP_LIMITS_H */

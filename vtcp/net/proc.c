// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/vtcp: every listener and connection of the namespace's vtcp
 * devices, one per line, like /proc/net/tcp but with names and units:
 *
 *   dev state local remote sendq recvq rto_ms srtt_us cwnd retrans
 *
 * Addresses are a.b.c.d:port or [v6]:port; a wildcard is *. sendq is
 * bytes not yet acknowledged, recvq bytes not yet read (for a listener:
 * connections waiting in the accept queue); cwnd is in bytes.
 *
 * Anyone may read it, and a namespace may hold a million connections: the
 * file is a seq_file iterator that takes one record at a time, each under
 * an RCU read section of its own, and resumes from a cursor (device, table,
 * bucket, place in the bucket) that holds nothing in between. A read()
 * thus costs what it returns, whatever the namespace holds, and never
 * keeps RCU or a device across records. debug.c's proc_rcu_steps_max
 * shows the most steps (devices, listeners, table entries looked at) one
 * RCU section ever took, which the tests check does not grow with the
 * number of connections.
 */

#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/proc_fs.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "net/conn.h"
#include "net/device.h"
#include "net/listen.h"
#include "net/proc.h"
#include "net/rht.h"
#include "engine/sndq.h"
#include "net/tw.h"

static const char *const vtcp_state_names[VTCP_NR_STATES] = {
	[VTCP_CLOSED]		= "CLOSED",
	[VTCP_LISTEN]		= "LISTEN",
	[VTCP_SYN_SENT]		= "SYN_SENT",
	[VTCP_SYN_RECEIVED]	= "SYN_RECEIVED",
	[VTCP_ESTABLISHED]	= "ESTABLISHED",
	[VTCP_FIN_WAIT_1]	= "FIN_WAIT_1",
	[VTCP_FIN_WAIT_2]	= "FIN_WAIT_2",
	[VTCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[VTCP_CLOSING]		= "CLOSING",
	[VTCP_LAST_ACK]		= "LAST_ACK",
	[VTCP_TIME_WAIT]	= "TIME_WAIT",
};

enum {
	VTCP_PROC_LISTENERS,
	VTCP_PROC_CONNS,
	VTCP_PROC_TWS,
};

/* One line, copied out under RCU so that printing it needs nothing. */
struct vtcp_proc_rec {
	char dev[IFNAMSIZ];
	u8 state;
	u8 family;
	struct vtcp_tuple tuple;	/* a listener: local only */
	u32 sendq, recvq, rto, srtt, cwnd, retrans;
};

struct vtcp_proc_iter {
	struct seq_net_private p;	/* first: seq_file_net() */
	/* The cursor: where the record after rec is looked for. */
	int ifindex;
	u8 phase;
	u32 slot, skip;
	/* The record at position pos, if have. */
	loff_t pos;
	bool have;
	struct vtcp_proc_rec rec;
};

atomic_t vtcp_proc_rcu_steps_max = ATOMIC_INIT(0);

/* The vtcp device of @net with the least ifindex from @ifindex on. */
static struct net_device *vtcp_proc_dev(struct net *net, int ifindex,
					u32 *steps)
{
	struct net_device *dev, *best = NULL;

	for_each_netdev_rcu(net, dev) {
		++*steps;
		if (dev->ifindex >= ifindex && vtcp_is_device(dev) &&
		    (!best || dev->ifindex < best->ifindex))
			best = dev;
	}
	return best;
}

static void vtcp_proc_listener(struct vtcp_proc_rec *r,
			       struct vtcp_listener *lsn)
{
	r->state = VTCP_LISTEN;
	r->family = lsn->family;
	r->tuple.local = lsn->addr;
	r->tuple.lport = lsn->port;
	r->recvq = READ_ONCE(lsn->acceptq_len);
}

static void vtcp_proc_conn(struct vtcp_proc_rec *r, struct vtcp_conn *conn)
{
	const struct vtcp_tcb *tcb = &conn->tcb;

	spin_lock_bh(&conn->tcb.lock);
	r->state = tcb->state;
	r->sendq = tcb->snd_nxt - tcb->snd_una;
	r->recvq = tcb->rcvq.ready_bytes;
	r->rto = tcb->rto_us / USEC_PER_MSEC;
	r->srtt = tcb->srtt_us;
	r->cwnd = tcb->cwnd;
	r->retrans = tcb->stats.retrans_segs;
	spin_unlock_bh(&conn->tcb.lock);
	r->family = conn->tuple.family;
	r->tuple = conn->tuple;
}

/* The @n-th listener of @vd, or NULL. Listeners are few: one per handle. */
static struct vtcp_listener *vtcp_proc_nth_listener(struct vtcp_device *vd,
						    u32 n, u32 *steps)
{
	struct vtcp_listener *lsn;

	hlist_for_each_entry_rcu(lsn, &vd->listeners, node) {
		++*steps;
		if (!n--)
			return lsn;
	}
	return NULL;
}

/* Fill it->rec with the record at the cursor and move past it. */
static bool vtcp_proc_fetch(struct vtcp_proc_iter *it)
{
	struct vtcp_proc_rec *r = &it->rec;
	struct vtcp_listener *lsn;
	struct vtcp_device *vd;
	struct net_device *dev;
	struct vtcp_conn *conn;
	bool found = false;
	u32 steps = 0, max;

	memset(r, 0, sizeof(*r));
	rcu_read_lock();
	while (!found) {
		steps++;
		dev = vtcp_proc_dev(it->p.net, it->ifindex, &steps);
		if (!dev)
			break;
		if (dev->ifindex != it->ifindex) {
			it->ifindex = dev->ifindex;
			it->phase = VTCP_PROC_LISTENERS;
			it->slot = 0;
			it->skip = 0;
		}
		vd = netdev_priv(dev);
		switch (it->phase) {
		case VTCP_PROC_LISTENERS:
			lsn = vtcp_proc_nth_listener(vd, it->skip, &steps);
			if (lsn) {
				it->skip++;
				vtcp_proc_listener(r, lsn);
				found = true;
				break;
			}
			it->phase = VTCP_PROC_CONNS;
			it->skip = 0;
			break;
		case VTCP_PROC_CONNS:
			conn = vtcp_rht_next(&vd->conns, &it->slot, &it->skip);
			if (conn) {
				vtcp_proc_conn(r, conn);
				found = true;
				break;
			}
			it->phase = VTCP_PROC_TWS;
			it->slot = 0;
			it->skip = 0;
			break;
		default:
			if (vtcp_tw_next(vd, &it->slot, &it->skip, &r->tuple)) {
				r->state = VTCP_TIME_WAIT;
				r->family = r->tuple.family;
				found = true;
				break;
			}
			it->ifindex++;
			break;
		}
		if (found)
			memcpy(r->dev, dev->name, IFNAMSIZ);
	}
	rcu_read_unlock();
	max = atomic_read(&vtcp_proc_rcu_steps_max);
	while (steps > max) {
		u32 seen = atomic_cmpxchg(&vtcp_proc_rcu_steps_max, max, steps);

		if (seen == max)
			break;
		max = seen;
	}
	return found;
}

static void *vtcp_proc_start(struct seq_file *m, loff_t *pos)
{
	struct vtcp_proc_iter *it = m->private;
	loff_t i;

	if (!*pos) {
		it->ifindex = 0;
		it->phase = VTCP_PROC_LISTENERS;
		it->slot = 0;
		it->skip = 0;
		it->pos = 0;
		it->have = false;
		return SEQ_START_TOKEN;
	}
	/* Where the last read stopped: its next record, or the end. */
	if (*pos == it->pos)
		return it->have ? &it->rec : NULL;
	/* A seek: walk there from the start, a record at a time. */
	vtcp_proc_start(m, &(loff_t){ 0 });
	for (i = 0; i < *pos; i++) {
		if (!vtcp_proc_fetch(it))
			return NULL;
		cond_resched();
	}
	it->pos = *pos;
	it->have = true;
	return &it->rec;
}

static void *vtcp_proc_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct vtcp_proc_iter *it = m->private;

	++*pos;
	it->pos = *pos;
	it->have = vtcp_proc_fetch(it);
	cond_resched();
	return it->have ? &it->rec : NULL;
}

static void vtcp_proc_stop(struct seq_file *m, void *v)
{
}

static void vtcp_proc_addr(struct seq_file *m, u8 family,
			   const union vtcp_addr *addr, __be16 port)
{
	bool any = !memchr_inv(addr, 0, sizeof(*addr));

	if (!family || any)
		seq_puts(m, "*");
	else if (family == AF_INET)
		seq_printf(m, "%pI4", &addr->ip);
	else
		seq_printf(m, "[%pI6c]", &addr->ip6);
	if (port)
		seq_printf(m, ":%u ", ntohs(port));
	else
		seq_puts(m, ":* ");
}

static int vtcp_proc_show(struct seq_file *m, void *v)
{
	const struct vtcp_proc_rec *r = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "dev state local remote sendq recvq ");
		seq_puts(m, "rto_ms srtt_us cwnd retrans\n");
		return 0;
	}
	seq_printf(m, "%s %s ", r->dev, vtcp_state_names[r->state]);
	vtcp_proc_addr(m, r->family, &r->tuple.local, r->tuple.lport);
	if (r->state == VTCP_LISTEN)
		seq_puts(m, "* ");
	else
		vtcp_proc_addr(m, r->family, &r->tuple.remote,
			       r->tuple.rport);
	seq_printf(m, "%u %u %u %u %u %u\n", r->sendq, r->recvq, r->rto,
		   r->srtt, r->cwnd, r->retrans);
	return 0;
}

static const struct seq_operations vtcp_proc_ops = {
	.start = vtcp_proc_start,
	.next = vtcp_proc_next,
	.stop = vtcp_proc_stop,
	.show = vtcp_proc_show,
};

static int __net_init vtcp_proc_net_init(struct net *net)
{
	if (!proc_create_net("vtcp", 0444, net->proc_net, &vtcp_proc_ops,
			     sizeof(struct vtcp_proc_iter)))
		return -ENOMEM;
	return 0;
}

static void __net_exit vtcp_proc_net_exit(struct net *net)
{
	remove_proc_entry("vtcp", net->proc_net);
}

static struct pernet_operations vtcp_proc_net_ops = {
	.init = vtcp_proc_net_init,
	.exit = vtcp_proc_net_exit,
};

int vtcp_proc_init(void)
{
	return register_pernet_subsys(&vtcp_proc_net_ops);
}

void vtcp_proc_uninit(void)
{
	unregister_pernet_subsys(&vtcp_proc_net_ops);
}

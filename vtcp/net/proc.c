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
 */

#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "net/conn.h"
#include "net/device.h"
#include "net/listen.h"
#include "net/proc.h"
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

static void vtcp_proc_listener(struct seq_file *m, struct net_device *dev,
			       struct vtcp_listener *lsn)
{
	seq_printf(m, "%s LISTEN ", dev->name);
	vtcp_proc_addr(m, lsn->family, &lsn->addr, lsn->port);
	seq_printf(m, "* 0 %u 0 0 0 0\n", READ_ONCE(lsn->acceptq_len));
}

static void vtcp_proc_conn(struct seq_file *m, struct net_device *dev,
			   struct vtcp_conn *conn)
{
	u32 sendq, recvq, rto, srtt, cwnd, retrans;
	const struct vtcp_tcb *tcb = &conn->tcb;
	u8 state;

	spin_lock_bh(&conn->tcb.lock);
	state = tcb->state;
	sendq = tcb->snd_nxt - tcb->snd_una;
	recvq = tcb->rcvq.ready_bytes;
	rto = tcb->rto_us / USEC_PER_MSEC;
	srtt = tcb->srtt_us;
	cwnd = tcb->cwnd;
	retrans = tcb->stats.retrans_segs;
	spin_unlock_bh(&conn->tcb.lock);

	seq_printf(m, "%s %s ", dev->name, vtcp_state_names[state]);
	vtcp_proc_addr(m, conn->tuple.family, &conn->tuple.local,
		       conn->tuple.lport);
	vtcp_proc_addr(m, conn->tuple.family, &conn->tuple.remote,
		       conn->tuple.rport);
	seq_printf(m, "%u %u %u %u %u %u\n", sendq, recvq, rto, srtt, cwnd,
		   retrans);
}

struct vtcp_proc_tw {
	struct seq_file *m;
	struct net_device *dev;
};

static void vtcp_proc_tw(void *arg, const struct vtcp_tuple *t)
{
	struct vtcp_proc_tw *p = arg;

	seq_printf(p->m, "%s TIME_WAIT ", p->dev->name);
	vtcp_proc_addr(p->m, t->family, &t->local, t->lport);
	vtcp_proc_addr(p->m, t->family, &t->remote, t->rport);
	seq_puts(p->m, "0 0 0 0 0 0\n");
}

static void vtcp_proc_device(struct seq_file *m, struct net_device *dev)
{
	struct vtcp_device *vd = netdev_priv(dev);
	struct rhashtable_iter iter;
	struct vtcp_listener *lsn;
	struct vtcp_conn *conn;

	hlist_for_each_entry_rcu(lsn, &vd->listeners, node)
		vtcp_proc_listener(m, dev, lsn);

	rhashtable_walk_enter(&vd->conns, &iter);
	rhashtable_walk_start(&iter);
	while ((conn = rhashtable_walk_next(&iter))) {
		if (IS_ERR(conn))
			continue;	/* -EAGAIN: resized, some repeat */
		vtcp_proc_conn(m, dev, conn);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);

	vtcp_tw_for_each(vd, vtcp_proc_tw, &(struct vtcp_proc_tw){ m, dev });
}

static int vtcp_proc_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct net_device *dev;

	seq_puts(m, "dev state local remote sendq recvq ");
	seq_puts(m, "rto_ms srtt_us cwnd retrans\n");
	rcu_read_lock();
	for_each_netdev_rcu(net, dev)
		if (vtcp_is_device(dev))
			vtcp_proc_device(m, dev);
	rcu_read_unlock();
	return 0;
}

static int __net_init vtcp_proc_net_init(struct net *net)
{
	if (!proc_create_net_single("vtcp", 0444, net->proc_net, vtcp_proc_show,
				    NULL))
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The clock every path hands the engine, and the budgets: how many
 * connections and TIME-WAIT entries vtcp keeps, and how many bytes their
 * receive and send queues hold, in each network namespace and in all of
 * them together. Documentation/vtcp.rst ("Resource bounds") lists every
 * object and what happens at its bound.
 *
 * The receive and send budgets are apart: bytes one user leaves unsent
 * (a peer's zero window) must not stop everyone else's incoming data.
 * A namespace's figures are its own, so that one container at its bound
 * leaves the others theirs; /proc/net/vtcp_limits shows them there.
 */

#include <linux/atomic.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "net/limits.h"

/* 0 means no bound of that kind. Read at each use: writable at run time. */
static unsigned int max_conns = 1 << 20;
module_param(max_conns, uint, 0644);
MODULE_PARM_DESC(max_conns, "Connections at most, in all namespaces (default 1048576)");

static unsigned int max_conns_per_netns = 1 << 18;
module_param(max_conns_per_netns, uint, 0644);
MODULE_PARM_DESC(max_conns_per_netns, "Connections at most in one namespace (default 262144)");

static unsigned int max_time_wait = 1 << 18;
module_param(max_time_wait, uint, 0644);
MODULE_PARM_DESC(max_time_wait, "TIME-WAIT entries at most, in all namespaces (default 262144)");

static unsigned int max_time_wait_per_netns = 1 << 17;
module_param(max_time_wait_per_netns, uint, 0644);
MODULE_PARM_DESC(max_time_wait_per_netns, "TIME-WAIT entries at most in one namespace (default 131072)");

static unsigned long rcv_mem_kb;
module_param(rcv_mem_kb, ulong, 0644);
MODULE_PARM_DESC(rcv_mem_kb, "KiB receive queues may hold in all (default: a sixteenth of RAM)");

static unsigned long rcv_mem_kb_per_netns;
module_param(rcv_mem_kb_per_netns, ulong, 0644);
MODULE_PARM_DESC(rcv_mem_kb_per_netns, "KiB receive queues may hold in one namespace (default: half of rcv_mem_kb)");

static unsigned long snd_mem_kb;
module_param(snd_mem_kb, ulong, 0644);
MODULE_PARM_DESC(snd_mem_kb, "KiB send queues may hold in all (default: a sixteenth of RAM)");

static unsigned long snd_mem_kb_per_netns;
module_param(snd_mem_kb_per_netns, ulong, 0644);
MODULE_PARM_DESC(snd_mem_kb_per_netns, "KiB send queues may hold in one namespace (default: half of snd_mem_kb)");

struct vtcp_budget vtcp_budget_all;
static unsigned int vtcp_limits_net_id __read_mostly;

/* The engine's time: monotonic nanoseconds. */
u64 vtcp_now(void)
{
	return ktime_get_ns();
}

static long vtcp_mem_limit(unsigned long kb)
{
	if (!kb)
		kb = (totalram_pages() << (PAGE_SHIFT - 10)) / 16;
	return (long)min_t(unsigned long, kb, LONG_MAX >> 10) << 10;
}

static long vtcp_rcv_limit(bool netns)
{
	unsigned long kb = READ_ONCE(rcv_mem_kb_per_netns);

	if (netns && kb)
		return vtcp_mem_limit(kb);
	return vtcp_mem_limit(READ_ONCE(rcv_mem_kb)) >> netns;
}

static long vtcp_snd_limit(bool netns)
{
	unsigned long kb = READ_ONCE(snd_mem_kb_per_netns);

	if (netns && kb)
		return vtcp_mem_limit(kb);
	return vtcp_mem_limit(READ_ONCE(snd_mem_kb)) >> netns;
}

/* The namespace's budget; @net must be alive (a device or file of it). */
struct vtcp_budget *vtcp_budget_of(const struct net *net)
{
	struct vtcp_budget **b = net_generic(net, vtcp_limits_net_id);

	return *b;
}

static void vtcp_budget_get(struct vtcp_budget *b)
{
	refcount_inc(&b->refs);
}

void vtcp_budget_put(struct vtcp_budget *b)
{
	if (b && refcount_dec_and_test(&b->refs))
		kfree(b);
}

/* One more of @n, within @max (0: none); false, and unchanged, if not. */
static bool vtcp_charge_one(atomic_t *n, unsigned int max)
{
	if (atomic_inc_return(n) <= max || !max)
		return true;
	atomic_dec(n);
	return false;
}

/*
 * A new connection in @b's namespace (NULL: a connection of no namespace,
 * KUnit's). On success the connection holds a reference on @b.
 */
bool vtcp_budget_conn_charge(struct vtcp_budget *b)
{
	if (!vtcp_charge_one(&vtcp_budget_all.conns, READ_ONCE(max_conns)))
		return false;
	if (b && !vtcp_charge_one(&b->conns, READ_ONCE(max_conns_per_netns))) {
		atomic_dec(&vtcp_budget_all.conns);
		return false;
	}
	if (b)
		vtcp_budget_get(b);
	return true;
}

void vtcp_budget_conn_uncharge(struct vtcp_budget *b)
{
	atomic_dec(&vtcp_budget_all.conns);
	if (b) {
		atomic_dec(&b->conns);
		vtcp_budget_put(b);
	}
}

bool vtcp_budget_tw_charge(struct vtcp_budget *b)
{
	if (!vtcp_charge_one(&vtcp_budget_all.tws, READ_ONCE(max_time_wait)))
		return false;
	if (!vtcp_charge_one(&b->tws, READ_ONCE(max_time_wait_per_netns))) {
		atomic_dec(&vtcp_budget_all.tws);
		return false;
	}
	vtcp_budget_get(b);
	return true;
}

void vtcp_budget_tw_uncharge(struct vtcp_budget *b)
{
	atomic_dec(&vtcp_budget_all.tws);
	atomic_dec(&b->tws);
	vtcp_budget_put(b);
}

/* Queue bytes a connection gained (or, negative, lost). */
void vtcp_budget_mem(struct vtcp_budget *b, long rcv, long snd)
{
	if (rcv) {
		atomic_long_add(rcv, &vtcp_budget_all.rcv_mem);
		if (b)
			atomic_long_add(rcv, &b->rcv_mem);
	}
	if (snd) {
		atomic_long_add(snd, &vtcp_budget_all.snd_mem);
		if (b)
			atomic_long_add(snd, &b->snd_mem);
	}
}

/* Receive queues are full: new payload is trimmed off, headers still act. */
bool vtcp_budget_rcv_over(const struct vtcp_budget *b)
{
	return atomic_long_read(&vtcp_budget_all.rcv_mem) >= vtcp_rcv_limit(false) ||
	       (b && atomic_long_read(&b->rcv_mem) >= vtcp_rcv_limit(true));
}

/* Send queues are full: writes wait for their own queue to drain. */
bool vtcp_budget_snd_over(const struct vtcp_budget *b)
{
	return atomic_long_read(&vtcp_budget_all.snd_mem) >= vtcp_snd_limit(false) ||
	       (b && atomic_long_read(&b->snd_mem) >= vtcp_snd_limit(true));
}

/*
 * The memory cgroup allocations are charged to here, with a reference: the
 * one set_active_memcg() named (the packet path, working for a listener or
 * connection), else the task's. NULL in softirq with none set.
 */
struct mem_cgroup *vtcp_memcg_get_active(void)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;

	if (!in_task()) {
		memcg = this_cpu_read(int_active_memcg);
	} else {
		memcg = current->active_memcg;
		if (!memcg)
			return get_mem_cgroup_from_mm(current->mm);
	}
	if (memcg)
		css_get(&memcg->css);
	return memcg;
#else
	return NULL;
#endif
}

void vtcp_memcg_put(struct mem_cgroup *memcg)
{
	mem_cgroup_put(memcg);
}

/*
 * /proc/net/vtcp_limits: the namespace's bounds and use, then the module's,
 * one "name limit used" per line (limit 0: none), for vtcpctl stat.
 */
static int vtcp_limits_show(struct seq_file *m, void *v)
{
	const struct vtcp_budget *b = vtcp_budget_of(seq_file_single_net(m));
	int i;

	seq_puts(m, "scope name limit used\n");
	for (i = 0; i < 2; i++) {
		const struct vtcp_budget *s = i ? &vtcp_budget_all : b;
		const char *scope = i ? "all" : "netns";

		seq_printf(m, "%s conns %u %d\n", scope,
			   i ? READ_ONCE(max_conns) :
			       READ_ONCE(max_conns_per_netns),
			   atomic_read(&s->conns));
		seq_printf(m, "%s time_wait %u %d\n", scope,
			   i ? READ_ONCE(max_time_wait) :
			       READ_ONCE(max_time_wait_per_netns),
			   atomic_read(&s->tws));
		seq_printf(m, "%s rcv_mem_bytes %ld %ld\n", scope,
			   vtcp_rcv_limit(!i), atomic_long_read(&s->rcv_mem));
		seq_printf(m, "%s snd_mem_bytes %ld %ld\n", scope,
			   vtcp_snd_limit(!i), atomic_long_read(&s->snd_mem));
	}
	return 0;
}

static int __net_init vtcp_limits_net_init(struct net *net)
{
	struct vtcp_budget **slot = net_generic(net, vtcp_limits_net_id);
	struct vtcp_budget *b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);

	if (!b)
		return -ENOMEM;
	refcount_set(&b->refs, 1);
	if (!proc_create_net_single("vtcp_limits", 0444, net->proc_net,
				    vtcp_limits_show, NULL)) {
		kfree(b);
		return -ENOMEM;
	}
	*slot = b;
	return 0;
}

static void __net_exit vtcp_limits_net_exit(struct net *net)
{
	remove_proc_entry("vtcp_limits", net->proc_net);
	vtcp_budget_put(vtcp_budget_of(net));
}

static struct pernet_operations vtcp_limits_net_ops = {
	.init = vtcp_limits_net_init,
	.exit = vtcp_limits_net_exit,
	.id = &vtcp_limits_net_id,
	.size = sizeof(struct vtcp_budget *),
};

int vtcp_limits_init(void)
{
	refcount_set(&vtcp_budget_all.refs, 1);
	return register_pernet_subsys(&vtcp_limits_net_ops);
}

void vtcp_limits_uninit(void)
{
	unregister_pernet_subsys(&vtcp_limits_net_ops);
}

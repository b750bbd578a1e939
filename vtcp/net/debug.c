// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vtcp/objects: what vtcp holds in all namespaces, for
 * tests and for a look at a live system. Slab statistics cannot serve:
 * SLUB counts objects freed into per-CPU slabs as in use.
 *
 *   connections <n>	struct vtcp_conn allocated and not yet freed
 *   time_wait <n>	TIME-WAIT entries (tw.c)
 *   queued_bytes <n>	send and receive queue memory counted against
 *			the budgets (limits.c)
 *   rcv_bytes <n>	of which receive queues
 *   snd_bytes <n>	of which send queues
 *   proc_rcu_steps_max <n>	the most steps one RCU section of a
 *			/proc/net/vtcp read took (proc.c): bounded,
 *			whatever the number of connections
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "net/conn.h"
#include "net/debug.h"
#include "net/limits.h"
#include "net/proc.h"
#include "net/tw.h"
#include "net/walk.h"

static struct dentry *vtcp_debug_dir;

static int vtcp_debug_objects_show(struct seq_file *m, void *v)
{
	long rcv = atomic_long_read(&vtcp_budget_all.rcv_mem);
	long snd = atomic_long_read(&vtcp_budget_all.snd_mem);

	seq_printf(m, "connections %d\n", atomic_read(&vtcp_nconns));
	seq_printf(m, "time_wait %d\n", atomic_read(&vtcp_ntws));
	seq_printf(m, "queued_bytes %ld\n", rcv + snd);
	seq_printf(m, "rcv_bytes %ld\n", rcv);
	seq_printf(m, "snd_bytes %ld\n", snd);
	seq_printf(m, "proc_rcu_steps_max %d\n",
		   atomic_read(&vtcp_proc_rcu_steps_max));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vtcp_debug_objects);

void vtcp_debug_init(void)
{
	/* debugfs is for debugging: vtcp works without it. */
	vtcp_debug_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("objects", 0444, vtcp_debug_dir, NULL,
			    &vtcp_debug_objects_fops);
	/* The most one netlink dump message looked at; write 0 to reset. */
	debugfs_create_atomic_t("dump_visits_max", 0600, vtcp_debug_dir,
				&vtcp_walk_visits_max);
}

void vtcp_debug_uninit(void)
{
	debugfs_remove_recursive(vtcp_debug_dir);
}

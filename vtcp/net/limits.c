// SPDX-License-Identifier: GPL-2.0
/*
 * The clock every path hands the engine, and the global limits: how many
 * connections vtcp keeps and how much queued data they may hold, in all
 * namespaces together.
 */

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/timekeeping.h>

#include "net/conn.h"
#include "net/limits.h"

/* Bytes queued in every connection's send and receive queues. */
atomic_long_t vtcp_mem = ATOMIC_LONG_INIT(0);

static unsigned int max_conns = 1 << 20;
module_param(max_conns, uint, 0644);
MODULE_PARM_DESC(max_conns,
		 "Connections at most, in all namespaces (default 1048576)");

static unsigned long mem_limit_kb;
module_param(mem_limit_kb, ulong, 0644);
MODULE_PARM_DESC(mem_limit_kb,
		 "KiB queued data may take in all (default: an eighth of RAM)");

/* The engine's time: monotonic nanoseconds. */
u64 vtcp_now(void)
{
	return ktime_get_ns();
}

/* Past the global limits, new connections and new data are refused. */
bool vtcp_over_limits(void)
{
	unsigned long limit = READ_ONCE(mem_limit_kb);

	if (!limit)
		limit = (totalram_pages() << (PAGE_SHIFT - 10)) / 8;
	return atomic_read(&vtcp_nconns) >= READ_ONCE(max_conns) ||
	       atomic_long_read(&vtcp_mem) >= (long)(limit << 10);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * TIME-WAIT entries: what remains of an orphaned connection in TIME-WAIT.
 *
 * A connection nobody holds (its file closed) that reaches TIME-WAIT is
 * replaced by a struct vtcp_tw of under 256 bytes, in a table of its own,
 * until its 2MSL wait ends; timewait.c decides what arriving segments get.
 * An entry ends once, whoever ends it (its timer, a reopening SYN, the
 * device going away): under its lock, the first to set VTCP_TW_DEAD
 * stops the timer, unlinks the entry and frees it after an RCU grace
 * period, which covers the packet path and the timer callback, both under
 * RCU. The timer is re-armed only under the lock and only while alive, so
 * no timer outlives its entry.
 *
 * Entries are bounded by max_time_wait and max_time_wait_per_netns
 * (limits.c). Past either, the orphan is closed without TIME-WAIT and
 * counted (tw_overflow), as Linux does past tcp_max_tw_buckets: the entries
 * already waiting keep protecting their tuples. Entries are charged to no
 * memory cgroup: they outlive the handle, and would keep a deleted cgroup
 * alive for up to time_wait_ms each; the caps bound them instead.
 */

#include <kunit/visibility.h>
#include <linux/hrtimer.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "compat.h"
#include "net/conn.h"
#include "net/device.h"
#include "net/limits.h"
#include "net/rht.h"
#include "engine/timewait.h"
#include "net/tw.h"
#include "net/walk.h"
#include "net/tx.h"

enum {
	VTCP_TW_DEAD,
};

struct vtcp_tw {
	struct rhash_head node;		/* in vd->tws */
	struct vtcp_tuple tuple;
	spinlock_t lock;		/* protects st, flags, re-arming */
	struct vtcp_timewait st;
	u32 length_ms;			/* the 2MSL wait */
	struct hrtimer timer;
	struct vtcp_device *vd;
	netdevice_tracker dev_tracker;
	struct vtcp_budget *budget;	/* its namespace's, charged */
	unsigned long flags;
	struct rcu_head rcu;
};

atomic_t vtcp_ntws = ATOMIC_INIT(0);
static struct kmem_cache *vtcp_tw_cache;

static const struct rhashtable_params vtcp_tw_params = {
	.key_len = sizeof(struct vtcp_tuple),
	.key_offset = offsetof(struct vtcp_tw, tuple),
	.head_offset = offsetof(struct vtcp_tw, node),
	.automatic_shrinking = true,
};

int vtcp_tw_init(void)
{
	vtcp_tw_cache = KMEM_CACHE(vtcp_tw, 0);
	return vtcp_tw_cache ? 0 : -ENOMEM;
}

void vtcp_tw_uninit(void)
{
	/* Entries are freed by RCU callbacks: let them all run first. */
	rcu_barrier();
	kmem_cache_destroy(vtcp_tw_cache);
}

int vtcp_tw_table_init(struct vtcp_device *vd)
{
	return rhashtable_init(&vd->tws, &vtcp_tw_params);
}

static void vtcp_tw_free_rcu(struct rcu_head *rcu)
{
	struct vtcp_tw *tw = container_of(rcu, struct vtcp_tw, rcu);

	vtcp_budget_tw_uncharge(tw->budget);
	kmem_cache_free(vtcp_tw_cache, tw);
	atomic_dec(&vtcp_ntws);
}

/* Unlink and free @tw; the caller won VTCP_TW_DEAD. */
static void vtcp_tw_end(struct vtcp_tw *tw)
{
	struct vtcp_device *vd = tw->vd;

	rhashtable_remove_fast(&vd->tws, &tw->node, vtcp_tw_params);
	netdev_put(vd->dev, &tw->dev_tracker);
	call_rcu(&tw->rcu, vtcp_tw_free_rcu);
}

/* Mark @tw dead and stop its timer; false if it was dead already. */
static bool vtcp_tw_kill(struct vtcp_tw *tw)
	__must_hold(&tw->lock)
{
	lockdep_assert_held(&tw->lock);
	if (test_and_set_bit(VTCP_TW_DEAD, &tw->flags))
		return false;
	/* If the callback runs now, it waits for our lock and leaves. */
	hrtimer_try_to_cancel(&tw->timer);
	return true;
}

static enum hrtimer_restart vtcp_tw_timer_fn(struct hrtimer *timer)
{
	struct vtcp_tw *tw = container_of(timer, struct vtcp_tw, timer);
	bool end = false;

	spin_lock(&tw->lock);
	/* Re-armed while this callback waited for the lock: not over yet. */
	if (!hrtimer_is_queued(timer))
		end = !test_and_set_bit(VTCP_TW_DEAD, &tw->flags);
	spin_unlock(&tw->lock);
	if (end)
		vtcp_tw_end(tw);
	return HRTIMER_NORESTART;
}

/*
 * Replace @conn, an orphan in TIME-WAIT, by an entry; or, past the caps,
 * by nothing. Returns true when @conn is to end: false when memory is
 * short, and the connection then stays whole.
 */
bool vtcp_tw_replace(struct vtcp_conn *conn)
	__must_hold(&conn->tcb.lock)
{
	u64 expires = conn->tcb.deadline[VTCP_TIMER_LINGER];
	struct vtcp_device *vd = conn->vd;
	struct vtcp_budget *budget;
	struct vtcp_tw *tw;

	lockdep_assert_held(&conn->tcb.lock);
	if (!expires)
		return false;
	budget = vtcp_budget_of(dev_net(vd->dev));
	if (!vtcp_budget_tw_charge(budget)) {
		vtcp_dev_count(vd, VTCP_CNT_TW_OVERFLOW);
		return true;
	}
	tw = kmem_cache_zalloc(vtcp_tw_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!tw) {
		vtcp_budget_tw_uncharge(budget);
		return false;
	}
	tw->budget = budget;
	tw->tuple = conn->tuple;
	spin_lock_init(&tw->lock);
	vtcp_timewait_from(&conn->tcb, &tw->st);
	tw->length_ms = conn->tcb.cfg.time_wait_ms;
	tw->vd = vd;
	hrtimer_setup(&tw->timer, vtcp_tw_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);

	spin_lock(&vd->lock);
	if (vd->dead || rhashtable_lookup_insert_fast(&vd->tws, &tw->node,
						      vtcp_tw_params)) {
		spin_unlock(&vd->lock);
		vtcp_budget_tw_uncharge(budget);
		kmem_cache_free(vtcp_tw_cache, tw);
		return false;
	}
	netdev_hold(vd->dev, &tw->dev_tracker, GFP_ATOMIC);
	atomic_inc(&vtcp_ntws);
	hrtimer_start(&tw->timer, ns_to_ktime(expires), HRTIMER_MODE_ABS_SOFT);
	spin_unlock(&vd->lock);
	return true;
}

/*
 * A segment for a TIME-WAIT entry, if there is one; under RCU, which keeps
 * the entry until it is out of our hands. Sets *handled when the entry
 * took it; *reopen when it is a SYN that ended TIME-WAIT and should go to
 * the listener.
 */
enum vtcp_drop_reason vtcp_tw_rx(struct vtcp_device *vd,
				 const struct vtcp_pkt *pkt, u64 now,
				 bool *handled, bool *reopen)
{
	enum vtcp_drop_reason drop = VTCP_DROP_NONE;
	enum vtcp_timewait_verdict v = VTCP_TIMEWAIT_DROP;
	struct vtcp_out out;
	struct vtcp_tw *tw;
	bool end = false;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "TIME-WAIT lookup outside RCU");
	*handled = false;
	*reopen = false;
	tw = rhashtable_lookup(&vd->tws, &pkt->tuple, vtcp_tw_params);
	if (!tw)
		return VTCP_DROP_NONE;

	spin_lock(&tw->lock);
	if (!test_bit(VTCP_TW_DEAD, &tw->flags)) {
		*handled = true;
		v = vtcp_timewait_input(&tw->st, &pkt->seg, now, &out, &drop);
		if (v == VTCP_TIMEWAIT_ACK_RESTART)
			hrtimer_start(&tw->timer,
				      ns_to_ktime(now + (u64)tw->length_ms *
						  NSEC_PER_MSEC),
				      HRTIMER_MODE_ABS_SOFT);
		else if (v == VTCP_TIMEWAIT_REOPEN)
			end = vtcp_tw_kill(tw);
	}
	spin_unlock(&tw->lock);

	switch (v) {
	case VTCP_TIMEWAIT_ACK:
	case VTCP_TIMEWAIT_ACK_RESTART:
		vtcp_tx_reply(vd, &tw->tuple, &out);
		break;
	case VTCP_TIMEWAIT_REOPEN:
		*handled = false;
		*reopen = true;
		if (end)
			vtcp_tw_end(tw);
		break;
	case VTCP_TIMEWAIT_DROP:
		break;
	}
	return drop;
}

/* The device goes away: every entry ends now. */
void vtcp_tw_table_uninit(struct vtcp_device *vd)
{
	struct rhashtable_iter iter;
	struct vtcp_tw *tw;

	do {
		rhashtable_walk_enter(&vd->tws, &iter);
		rhashtable_walk_start(&iter);
		while ((tw = rhashtable_walk_next(&iter))) {
			bool end;

			if (IS_ERR(tw))
				continue;
			spin_lock_bh(&tw->lock);
			end = vtcp_tw_kill(tw);
			spin_unlock_bh(&tw->lock);
			if (end)
				vtcp_tw_end(tw);
		}
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
	} while (atomic_read(&vd->tws.nelems));
	/* As for connections (conn.c): the timer and rx remove with BH off. */
	synchronize_rcu();
	rhashtable_destroy(&vd->tws);
}

/*
 * For /proc/net/vtcp: the tuple of the live entry at or after the cursor
 * (vtcp_rht_next()), false at the end. Under RCU, which keeps @vd (the
 * caller found it in the namespace's device list).
 */
bool vtcp_tw_next(struct vtcp_device *vd, u32 *slot, u32 *skip,
		  struct vtcp_tuple *tuple)
{
	struct vtcp_tw *tw;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "TIME-WAIT walk outside RCU");
	do {
		tw = vtcp_rht_next(&vd->tws, slot, skip);
	} while (tw && test_bit(VTCP_TW_DEAD, &tw->flags));
	if (tw)
		*tuple = tw->tuple;
	return tw;
}

struct vtcp_tw_walk {
	int (*fn)(void *arg, const struct vtcp_tuple *tuple);
	void *arg;
};

static int vtcp_tw_walk_one(void *obj, void *arg)
{
	struct vtcp_tw *tw = obj;
	struct vtcp_tw_walk *p = arg;

	if (test_bit(VTCP_TW_DEAD, &tw->flags))
		return 0;
	return p->fn(p->arg, &tw->tuple);
}

/*
 * One step of a walk of @vd's live TIME-WAIT entries (net/walk.h): @fn
 * gets each one's tuple, and stops the walk there by returning non-zero.
 */
int vtcp_tw_walk(struct vtcp_device *vd, struct vtcp_walk *w,
		 int (*fn)(void *arg, const struct vtcp_tuple *tuple),
		 void *arg)
{
	struct vtcp_tw_walk p = { fn, arg };

	return vtcp_walk_table(&vd->tws, w, vtcp_tw_walk_one, &p);
}

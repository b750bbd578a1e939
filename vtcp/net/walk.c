// SPDX-License-Identifier: GPL-2.0
/*
 * Walks of a device's tables in steps, for netlink dumps: each step runs
 * in one RCU section, the caller's, and stops where @fn says; the next
 * step, in another section, goes on from there.
 *
 * rhashtable's own iterator keeps its place between rhashtable_walk_stop()
 * and _start() by staying linked to the table, which the device's
 * teardown destroys (ndo_uninit). So the place is kept outside, as the
 * iterator's bucket and position in it, and the iterator is entered and
 * left within each step.
 */

#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/rhashtable.h>

#include "net/walk.h"

atomic_t vtcp_walk_visits_max = ATOMIC_INIT(0);

/*
 * Call @fn on each object of @ht from @w's position on, until @fn returns
 * non-zero (the object was not taken: the walk resumes at it) or the
 * table ends (w->done). Returns what @fn returned, or 0 at the end. The
 * caller holds rcu_read_lock(), which keeps the table alive.
 */
int vtcp_walk_table(struct rhashtable *ht, struct vtcp_walk *w,
		    int (*fn)(void *obj, void *arg), void *arg)
{
	struct rhashtable_iter iter;
	void *obj;
	int ret = 0;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "table walk outside RCU");
	if (w->done)
		return 0;
	rhashtable_walk_enter(ht, &iter);
	if (w->started && iter.walker.tbl->hash_rnd != w->hash_rnd) {
		w->slot = 0;
		w->skip = 0;
		w->restarts++;
	}
	w->started = 1;
	iter.slot = w->slot;
	iter.skip = w->skip;
	if (rhashtable_walk_start_check(&iter) == -EAGAIN) {
		/* Rehashed since enter: from the start of the new table. */
		w->slot = 0;
		w->skip = 0;
		w->restarts++;
	}
	w->hash_rnd = rht_dereference_rcu(ht->tbl, ht)->hash_rnd;

	while ((obj = rhashtable_walk_next(&iter))) {
		if (IS_ERR(obj)) {
			w->restarts++;	/* -EAGAIN: resized, some repeat */
			continue;
		}
		ret = fn(obj, arg);
		if (ret)
			break;
		w->slot = iter.slot;
		w->skip = iter.skip;
	}
	if (!obj)
		w->done = 1;
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_walk_table);

void vtcp_walk_note_visits(unsigned int visits)
{
	int max = atomic_read(&vtcp_walk_visits_max);

	while ((int)visits > max &&
	       !atomic_try_cmpxchg(&vtcp_walk_visits_max, &max, visits))
		;
}

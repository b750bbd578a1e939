/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_WALK_H
#define _VTCP_WALK_H

#include <linux/atomic.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

/*
 * A position in a device's table that outlives the RCU section it was
 * taken in, so that a walk (a netlink dump) goes on from it in a later
 * one, with nothing held in between: the table may be destroyed with its
 * device meanwhile, which an rhashtable_iter kept across the sections
 * would not survive. The bucket table is recognised by its hash seed: a
 * resize or rehash in between starts the walk again (some objects come
 * twice) and counts in @restarts.
 */
struct vtcp_walk {
	u32 hash_rnd;		/* the bucket table the position is in */
	u32 slot;		/* the bucket */
	u32 skip;		/* objects of the bucket already seen */
	u16 restarts;		/* the table changed under the walk */
	u8 started:1,
	   done:1;		/* the end was reached */
};

/* The most objects one netlink dump message looked at (debugfs). */
extern atomic_t vtcp_walk_visits_max;

int vtcp_walk_table(struct rhashtable *ht, struct vtcp_walk *w,
		    int (*fn)(void *obj, void *arg), void *arg);
void vtcp_walk_note_visits(unsigned int visits);

#endif /* _VTCP_WALK_H */

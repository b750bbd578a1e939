/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTCP_RHT_H
#define _VTCP_RHT_H

#include <linux/rhashtable.h>

/*
 * A walk of @ht that resumes where it stopped without holding anything in
 * between: *@slot and *@skip (start both at 0) say where, as the kernel's
 * iterator keeps them. Returns the next object, or NULL at the end, and
 * moves the cursor past it. Under RCU, which keeps the object while the
 * caller looks at it. An object may come twice if the table is resized
 * meanwhile, or not at all if it moved, as with rhashtable_walk_next().
 */
static inline void *vtcp_rht_next(struct rhashtable *ht, u32 *slot, u32 *skip)
{
	struct rhashtable_iter iter;
	void *obj;

	rhashtable_walk_enter(ht, &iter);
	iter.slot = *slot;
	iter.skip = *skip;
	rhashtable_walk_start(&iter);
	do {
		obj = rhashtable_walk_next(&iter);
	} while (IS_ERR(obj));	/* -EAGAIN: resized, restarted at 0 */
	*slot = iter.slot;
	*skip = iter.skip;
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return obj;
}

#endif /* _VTCP_RHT_H */

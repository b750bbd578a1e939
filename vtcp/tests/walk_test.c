// SPDX-License-Identifier: GPL-2.0
/*
 * net/walk.c: a table walked in steps, each in its own RCU section, with
 * nothing held between them, sees every object once; a step stopped at
 * an object resumes at it; and the walk ends.
 */
#include <kunit/test.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "net/walk.h"

#define VTCP_T_WALK_N	1000

struct vtcp_t_obj {
	struct rhash_head node;
	u32 key;
};

static const struct rhashtable_params vtcp_t_walk_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct vtcp_t_obj, key),
	.head_offset = offsetof(struct vtcp_t_obj, node),
	/* Sized for them all: no resize, which would restart the walk. */
	.nelem_hint = VTCP_T_WALK_N,
};

struct vtcp_t_walk {
	u8 seen[VTCP_T_WALK_N];
	unsigned int budget;	/* objects the step takes */
	u32 refused;		/* the last one it did not */
};

static int vtcp_t_walk_fn(void *obj, void *arg)
{
	struct vtcp_t_obj *o = obj;
	struct vtcp_t_walk *w = arg;

	if (!w->budget) {
		w->refused = o->key;
		return -EMSGSIZE;
	}
	w->budget--;
	w->seen[o->key]++;
	return 0;
}

/* Steps of 7 objects: each one once, the refused one first next time. */
static void vtcp_walk_steps_see_every_object_once(struct kunit *test)
{
	struct vtcp_t_walk *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct vtcp_t_obj *objs;
	struct vtcp_walk pos = { };
	struct rhashtable *ht;
	unsigned int i, steps = 0;
	int ret = 0;

	KUNIT_ASSERT_NOT_NULL(test, w);
	objs = kunit_kcalloc(test, VTCP_T_WALK_N, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	ht = kunit_kzalloc(test, sizeof(*ht), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ht);
	KUNIT_ASSERT_EQ(test, 0, rhashtable_init(ht, &vtcp_t_walk_params));
	for (i = 0; i < VTCP_T_WALK_N; i++) {
		objs[i].key = i;
		KUNIT_ASSERT_EQ(test, 0,
				rhashtable_insert_fast(ht, &objs[i].node,
						       vtcp_t_walk_params));
	}

	do {
		bool stopped = steps && ret == -EMSGSIZE;
		u32 refused = w->refused;

		w->budget = 7;
		rcu_read_lock();
		ret = vtcp_walk_table(ht, &pos, vtcp_t_walk_fn, w);
		rcu_read_unlock();
		steps++;
		/* The object refused last time is taken now. */
		if (stopped)
			KUNIT_EXPECT_EQ(test, 1, w->seen[refused]);
	} while (ret == -EMSGSIZE && steps <= VTCP_T_WALK_N);

	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_TRUE(test, pos.done);
	KUNIT_EXPECT_EQ(test, 0, pos.restarts);
	KUNIT_EXPECT_EQ(test, DIV_ROUND_UP(VTCP_T_WALK_N, 7), steps);
	for (i = 0; i < VTCP_T_WALK_N; i++)
		KUNIT_EXPECT_EQ_MSG(test, 1, w->seen[i], "object %u", i);

	/* A finished walk stays finished. */
	w->budget = 7;
	rcu_read_lock();
	ret = vtcp_walk_table(ht, &pos, vtcp_t_walk_fn, w);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, 7U, w->budget);
	rhashtable_destroy(ht);
}

static struct kunit_case vtcp_walk_cases[] = {
	KUNIT_CASE(vtcp_walk_steps_see_every_object_once),
	{}
};

static struct kunit_suite vtcp_walk_suite = {
	.name = "vtcp_walk",
	.test_cases = vtcp_walk_cases,
};

kunit_test_suite(vtcp_walk_suite);

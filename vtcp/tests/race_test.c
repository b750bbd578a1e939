// SPDX-License-Identifier: GPL-2.0
/*
 * Races a uniprocessor guest never shows by chance, forced: the test hook
 * (net/testhook.h) runs the other side of each race at the one point
 * where it used to do harm.
 */
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "net/conn.h"
#include "api/handle.h"
#include "engine/input.h"
#include "engine/proto.h"
#include "harness.h"
#include "net/device.h"
#include "net/listen.h"
#include "net/testhook.h"

struct vtcp_race {
	struct kunit *test;
	enum vtcp_hook at;			/* the point it acts at */
	void (*fn)(struct vtcp_race *r, void *arg);
	void *arg;				/* ... for this object only */
	bool acted;
	int ret;				/* what the other side saw */
	struct net_device *dev;
	bool dev_gone;
};

/* The race under way; the hook only ever runs with one set. */
static struct vtcp_race *vtcp_race_cur;

static void vtcp_race_hook(enum vtcp_hook point, void *arg)
{
	struct vtcp_race *r = READ_ONCE(vtcp_race_cur);

	if (!r || point != r->at || (r->arg && arg != r->arg))
		return;
	/* Once: what the other side does may pass the point again. */
	if (r->acted)
		return;
	r->acted = true;
	r->fn(r, arg);
}

static void vtcp_race_unhook(void *unused)
{
	vtcp_testhook_set(NULL);
	/* The timer's hook runs in softirq: a grace period waits it out. */
	synchronize_rcu();
	WRITE_ONCE(vtcp_race_cur, NULL);
}

static void vtcp_race_hook_set(struct vtcp_race *r, enum vtcp_hook at,
			       void (*fn)(struct vtcp_race *r, void *arg),
			       void *arg)
{
	r->at = at;
	r->fn = fn;
	r->arg = arg;
	WRITE_ONCE(vtcp_race_cur, r);
	vtcp_testhook_set(vtcp_race_hook);
	KUNIT_ASSERT_EQ(r->test, 0,
			kunit_add_action_or_reset(r->test, vtcp_race_unhook,
						  NULL));
}

static void vtcp_race_dev_del(struct vtcp_race *r)
{
	if (!r->dev_gone) {
		r->dev_gone = true;
		unregister_netdev(r->dev);
	}
}

static void vtcp_race_dev_cleanup(void *arg)
{
	vtcp_race_dev_del(arg);
}

/* A race with a device of its own, which the race may unregister. */
static struct vtcp_race *vtcp_race_new(struct kunit *test)
{
	struct vtcp_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->test = test;
	rtnl_lock();
	r->dev = vtcp_device_add("vtcpr%d");
	rtnl_unlock();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r->dev);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vtcp_race_dev_cleanup,
						  r));
	return r;
}

static void vtcp_race_handle_release(void *h)
{
	vtcp_handle_release(h);
}

static void vtcp_race_file_put(void *file)
{
	fput(file);
}

static const struct file_operations vtcp_race_fops = {
	.owner = THIS_MODULE,
};

/*
 * A handle as /dev/vtcp's open makes one: with a file of the test's own
 * credentials, which the permission check reads.
 */
static struct vtcp_handle *vtcp_race_handle(struct kunit *test)
{
	struct vtcp_handle *h;
	struct file *file;

	file = anon_inode_getfile("[vtcp-race]", &vtcp_race_fops, NULL,
				  O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vtcp_race_file_put,
						  file));
	h = vtcp_handle_new(file);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  vtcp_race_handle_release, h));
	return h;
}

static void vtcp_race_connect_req(struct vtcp_connect *req,
				  const struct net_device *dev)
{
	memset(req, 0, sizeof(*req));
	req->ifindex = dev->ifindex;
	req->local.family = AF_INET;
	req->local.addr4 = htonl(0xc0000202);
	req->local.port = htons(5000);
	req->remote.family = AF_INET;
	req->remote.addr4 = htonl(0xc0000201);
	req->remote.port = htons(80);
}

/*
 * A segment for @conn's tuple, as the datapath delivers it (rx.c): found
 * by lookup, given to the engine under the lock, acted on at unlock.
 */
static void vtcp_race_segment(struct vtcp_race *r, void *arg)
{
	struct vtcp_conn *conn = arg, *found;
	struct vtcp_seg seg = {
		.flags = VTCP_TH_ACK,
		.seq = 1,
		.ack = 12345,
		.wnd = 65535,
	};

	rcu_read_lock();
	local_bh_disable();
	found = vtcp_conn_lookup(netdev_priv(r->dev), &conn->tuple);
	KUNIT_EXPECT_PTR_EQ(r->test, found, conn);
	if (found) {
		vtcp_conn_lock(found);
		if (!found->dead)
			vtcp_input(&found->tcb, &seg, ktime_get_ns());
		vtcp_conn_unlock(found);
	}
	local_bh_enable();
	rcu_read_unlock();
}

/*
 * A segment for the tuple arrives between CONNECT's insert and its lock:
 * the connection it finds is in SYN-SENT (its ACK is not acceptable, and
 * answered), not a CLOSED one that the unlock kills under CONNECT's feet.
 */
static void race_connect_segment(struct kunit *test)
{
	struct vtcp_race *r = vtcp_race_new(test);
	struct vtcp_handle *h = vtcp_race_handle(test);
	struct vtcp_connect req;
	struct vtcp_conn *conn;

	vtcp_race_connect_req(&req, r->dev);
	vtcp_race_hook_set(r, VTCP_HOOK_CONNECT_INSERTED, vtcp_race_segment,
			   NULL);
	KUNIT_EXPECT_EQ(test, -EINPROGRESS, vtcp_handle_connect(h, &req, true));
	KUNIT_EXPECT_TRUE(test, r->acted);
	conn = vtcp_handle_conn(h);
	KUNIT_ASSERT_NOT_NULL(test, conn);
	KUNIT_EXPECT_FALSE(test, conn->dead);
	KUNIT_EXPECT_EQ(test, VTCP_SYN_SENT, conn->tcb.state);
	KUNIT_EXPECT_EQ(test, conn->tcb.iss + 1, conn->tcb.snd_nxt);
}

static void vtcp_race_unregister(struct vtcp_race *r, void *arg)
{
	vtcp_race_dev_del(r);
}

/*
 * The device goes between CONNECT's insert and its lock: CONNECT fails
 * with ENETDOWN and leaves the handle unbound.
 */
static void race_connect_teardown(struct kunit *test)
{
	struct vtcp_race *r = vtcp_race_new(test);
	struct vtcp_handle *h = vtcp_race_handle(test);
	struct vtcp_connect req;

	vtcp_race_connect_req(&req, r->dev);
	vtcp_race_hook_set(r, VTCP_HOOK_CONNECT_INSERTED, vtcp_race_unregister,
			   NULL);
	KUNIT_EXPECT_EQ(test, -ENETDOWN, vtcp_handle_connect(h, &req, true));
	KUNIT_EXPECT_TRUE(test, r->acted);
	KUNIT_EXPECT_NULL(test, vtcp_handle_conn(h));
}

/* LISTEN, late: its device reference predates the teardown. */
static void vtcp_race_listen(struct vtcp_race *r, void *arg)
{
	union vtcp_addr addr = { .ip = htonl(0xc0000202) };
	struct vtcp_listener *lsn;
	struct vtcp_cfg cfg;

	vtcp_cfg_default(&cfg);
	lsn = vtcp_listener_create(arg, AF_INET, &addr, htons(80), 16, false,
				   &cfg);
	r->ret = PTR_ERR_OR_ZERO(lsn);
	/* Else the device's reference it took would hang the unregister. */
	if (!IS_ERR(lsn))
		vtcp_listener_close(lsn);
}

/*
 * A listener made once the teardown has stopped the device's listeners
 * would hold the device until its handle closed: refused with ENODEV.
 */
static void race_listen_teardown(struct kunit *test)
{
	struct vtcp_race *r = vtcp_race_new(test);

	vtcp_race_hook_set(r, VTCP_HOOK_DEV_LISTENERS_DONE, vtcp_race_listen,
			   netdev_priv(r->dev));
	vtcp_race_dev_del(r);
	KUNIT_EXPECT_TRUE(test, r->acted);
	KUNIT_EXPECT_EQ(test, -ENODEV, r->ret);
}

/* The connection is killed while its timer's callback is returning. */
static void vtcp_race_kill(struct vtcp_race *r, void *arg)
{
	struct vtcp_conn *conn = arg;

	vtcp_conn_lock(conn);
	if (!conn->dead)
		vtcp_abort(&conn->tcb, ktime_get_ns());
	vtcp_conn_unlock(conn);
	r->ret = conn->dead;
}

static void vtcp_race_put(void *conn)
{
	vtcp_conn_put(conn);
}

/*
 * A connection killed after its timer's callback decided to restart, and
 * before it returned: the timer does not stay queued for its deadline (an
 * hour away here), holding the dead connection; it stops at once.
 */
static void race_timer_requeue(struct kunit *test)
{
	struct vtcp_race *r = vtcp_race_new(test);
	struct vtcp_device *vd = netdev_priv(r->dev);
	struct vtcp_tuple tuple = {
		.family = AF_INET,
		.local.ip = htonl(0xc0000202),
		.remote.ip = htonl(0xc0000201),
		.lport = htons(5001),
		.rport = htons(80),
	};
	struct vtcp_conn *conn;
	struct vtcp_cfg cfg;
	u64 now = ktime_get_ns();
	unsigned long end;

	vtcp_cfg_default(&cfg);
	conn = vtcp_conn_alloc(vd, &tuple, &cfg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, conn);
	if (vtcp_conn_insert(conn)) {
		vtcp_conn_discard(conn);
		KUNIT_FAIL(test, "the tuple is taken");
		return;
	}
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vtcp_race_put,
							   conn));
	vtcp_conn_lock(conn);
	vtcp_connect(&conn->tcb, 1000, 0, now);
	vtcp_arm(&conn->tcb, VTCP_TIMER_RTO, now + 3600 * NSEC_PER_SEC);
	vtcp_conn_unlock(conn);
	KUNIT_ASSERT_TRUE(test, conn->timer_ref);

	vtcp_race_hook_set(r, VTCP_HOOK_TIMER_UNLOCKED, vtcp_race_kill, conn);
	/* Fire now: it finds nothing due and decides to restart. */
	vtcp_conn_lock(conn);
	conn->timer_at = now;
	hrtimer_start(&conn->timer, ns_to_ktime(now), HRTIMER_MODE_ABS_SOFT);
	vtcp_conn_unlock(conn);

	/* A second at most: it fires at once, twice, then stops. */
	end = jiffies + HZ;
	while (time_before(jiffies, end) &&
	       (!READ_ONCE(r->acted) || hrtimer_active(&conn->timer)))
		msleep(20);
	KUNIT_EXPECT_TRUE(test, r->acted);
	KUNIT_EXPECT_EQ(test, 1, r->ret);
	KUNIT_EXPECT_FALSE_MSG(test, hrtimer_active(&conn->timer),
			       "timer still busy after stop");
	KUNIT_EXPECT_FALSE(test, conn->timer_ref);
	if (hrtimer_cancel(&conn->timer) && conn->timer_ref) {
		/* The defect: give the timer's reference back. */
		conn->timer_ref = 0;
		vtcp_conn_put(conn);
	}
}

static struct kunit_case vtcp_race_cases[] = {
	KUNIT_CASE(race_connect_segment),
	KUNIT_CASE(race_connect_teardown),
	KUNIT_CASE(race_listen_teardown),
	KUNIT_CASE(race_timer_requeue),
	{}
};

static struct kunit_suite vtcp_race_suite = {
	.name = "vtcp_race",
	.test_cases = vtcp_race_cases,
};

kunit_test_suite(vtcp_race_suite);

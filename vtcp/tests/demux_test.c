// SPDX-License-Identifier: GPL-2.0
/*
 * Demultiplexing (conn.c, listen.c): a segment goes to its connection,
 * else to the most specific listener; listeners and tuples are unique.
 */
#include <kunit/test.h>
#include <linux/netdevice.h>

#include "harness.h"
#include "net/conn.h"
#include "net/device.h"
#include "net/listen.h"

static struct vtcp_device *vtcp_demux_device(struct kunit *test)
{
	return netdev_priv(vtcp_t_device(test));
}

static void vtcp_demux_close(void *lsn)
{
	vtcp_listener_close(lsn);
}

static struct vtcp_listener *vtcp_demux_listen(struct kunit *test,
					       struct vtcp_device *vd, u8 family,
					       __be32 ip, u16 port)
{
	union vtcp_addr addr = { .ip = ip };
	struct vtcp_listener *lsn;
	struct vtcp_cfg cfg;

	vtcp_cfg_default(&cfg);
	lsn = vtcp_listener_create(vd, family, &addr, htons(port), 16, false,
				   &cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, lsn);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vtcp_demux_close,
							   lsn));
	return lsn;
}

static struct vtcp_tuple vtcp_demux_tuple(__be32 local, u16 lport, u16 rport)
{
	struct vtcp_tuple t = {
		.family = AF_INET,
		.local.ip = local,
		.remote.ip = htonl(0xc0000201),
		.lport = htons(lport),
		.rport = htons(rport),
	};

	return t;
}

static struct vtcp_listener *vtcp_demux_lookup(struct vtcp_device *vd,
					       const struct vtcp_tuple *t)
{
	struct vtcp_listener *lsn;

	rcu_read_lock();
	lsn = vtcp_listener_lookup(vd, t);
	rcu_read_unlock();
	return lsn;
}

/* Address and port beat port only, which beats address only, then any. */
static void vtcp_demux_most_specific_listener_wins(struct kunit *test)
{
	struct vtcp_device *vd = vtcp_demux_device(test);
	__be32 a = htonl(0xc0000202), b = htonl(0xc0000203);
	struct vtcp_listener *any, *addr_only, *port_only, *exact;
	struct vtcp_tuple t;

	any = vtcp_demux_listen(test, vd, 0, 0, 0);
	addr_only = vtcp_demux_listen(test, vd, AF_INET, a, 0);
	port_only = vtcp_demux_listen(test, vd, AF_INET, 0, 80);
	exact = vtcp_demux_listen(test, vd, AF_INET, a, 80);

	t = vtcp_demux_tuple(a, 80, 40000);
	KUNIT_EXPECT_PTR_EQ(test, exact, vtcp_demux_lookup(vd, &t));
	t = vtcp_demux_tuple(b, 80, 40000);
	KUNIT_EXPECT_PTR_EQ(test, port_only, vtcp_demux_lookup(vd, &t));
	t = vtcp_demux_tuple(a, 81, 40000);
	KUNIT_EXPECT_PTR_EQ(test, addr_only, vtcp_demux_lookup(vd, &t));
	t = vtcp_demux_tuple(b, 81, 40000);
	KUNIT_EXPECT_PTR_EQ(test, any, vtcp_demux_lookup(vd, &t));
}

/* A family-specific listener does not take the other family's segments. */
static void vtcp_demux_family_must_match(struct kunit *test)
{
	struct vtcp_device *vd = vtcp_demux_device(test);
	struct vtcp_tuple t = vtcp_demux_tuple(htonl(0xc0000202), 80, 1);

	vtcp_demux_listen(test, vd, AF_INET6, 0, 80);
	KUNIT_EXPECT_NULL(test, vtcp_demux_lookup(vd, &t));
}

static void vtcp_demux_duplicate_listener_is_refused(struct kunit *test)
{
	struct vtcp_device *vd = vtcp_demux_device(test);
	union vtcp_addr addr = { .ip = htonl(0xc0000202) };
	struct vtcp_listener *lsn;
	struct vtcp_cfg cfg;

	vtcp_cfg_default(&cfg);
	vtcp_demux_listen(test, vd, AF_INET, addr.ip, 80);
	lsn = vtcp_listener_create(vd, AF_INET, &addr, htons(80), 16, false,
				   &cfg);
	KUNIT_EXPECT_EQ(test, -EADDRINUSE, PTR_ERR(lsn));
	/* Overlapping wildcards are not duplicates: the lookup ranks them. */
	vtcp_demux_listen(test, vd, AF_INET, 0, 80);
}

/* The table holds one connection per tuple and finds it by tuple. */
static void vtcp_demux_connection_table(struct kunit *test)
{
	struct vtcp_device *vd = vtcp_demux_device(test);
	struct vtcp_tuple t = vtcp_demux_tuple(htonl(0xc0000202), 80, 40000);
	struct vtcp_tuple other = vtcp_demux_tuple(htonl(0xc0000202), 80, 40001);
	struct vtcp_conn *a, *b;
	struct vtcp_cfg cfg;

	vtcp_cfg_default(&cfg);
	a = vtcp_conn_alloc(vd, &t, &cfg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, 0, vtcp_conn_insert(a));
	b = vtcp_conn_alloc(vd, &t, &cfg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, -EEXIST, vtcp_conn_insert(b));
	vtcp_conn_discard(b);

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, a, vtcp_conn_lookup(vd, &t));
	KUNIT_EXPECT_NULL(test, vtcp_conn_lookup(vd, &other));
	rcu_read_unlock();
	/* Our reference; the table's goes when the device does. */
	vtcp_conn_put(a);
}

static struct kunit_case vtcp_demux_cases[] = {
	KUNIT_CASE(vtcp_demux_most_specific_listener_wins),
	KUNIT_CASE(vtcp_demux_family_must_match),
	KUNIT_CASE(vtcp_demux_duplicate_listener_is_refused),
	KUNIT_CASE(vtcp_demux_connection_table),
	{}
};

static struct kunit_suite vtcp_demux_suite = {
	.name = "vtcp_demux",
	.test_cases = vtcp_demux_cases,
};

kunit_test_suite(vtcp_demux_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * The vtcp netdevice, driven directly: what it counts for the host.
 */
#include <kunit/test.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "harness.h"
#include "net/device.h"

static struct sk_buff *vtcp_test_skb(struct kunit *test, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, len);
	return skb;
}

/* The host's view: what it transmits into vtcp shows as its tx. */
static void vtcp_device_counts_host_tx_as_tx(struct kunit *test)
{
	struct net_device *dev = vtcp_t_device(test);
	struct sk_buff *a = vtcp_test_skb(test, 100);
	struct sk_buff *b = vtcp_test_skb(test, 60);
	struct rtnl_link_stats64 st = {};

	/* The stack calls ndo_start_xmit with bottom halves disabled. */
	local_bh_disable();
	dev->netdev_ops->ndo_start_xmit(a, dev);
	dev->netdev_ops->ndo_start_xmit(b, dev);
	local_bh_enable();
	dev_get_stats(dev, &st);
	KUNIT_EXPECT_EQ(test, st.tx_packets, 2);
	KUNIT_EXPECT_EQ(test, st.tx_bytes, 160);
	KUNIT_EXPECT_EQ(test, st.rx_packets, 0);
}

static struct kunit_case vtcp_device_cases[] = {
	KUNIT_CASE(vtcp_device_counts_host_tx_as_tx),
	{}
};

static struct kunit_suite vtcp_device_suite = {
	.name = "vtcp_device",
	.test_cases = vtcp_device_cases,
};

kunit_test_suite(vtcp_device_suite);
